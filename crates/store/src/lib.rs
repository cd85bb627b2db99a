//! govgraph store.
