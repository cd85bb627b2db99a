//! govgraph api.
