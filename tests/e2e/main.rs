//! End-to-end tests of govgraph, one module per area.

mod analytics;
mod bad_input;
mod bulk;
mod concurrency;
mod contract;
mod crash;
mod dataset;
mod explorer;
mod http;
mod profile;
mod serve;
mod store;
