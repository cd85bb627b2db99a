//! govgraph server.
