//! govgraph loader.
