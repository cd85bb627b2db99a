//! End-to-end tests of govgraph, one module per area.

mod bad_input;
mod concurrency;
mod contract;
mod crash;
mod dataset;
mod http;
mod serve;
mod store;
