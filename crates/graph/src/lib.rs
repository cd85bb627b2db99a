//! govgraph graph.
