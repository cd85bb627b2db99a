//! End-to-end tests of govgraph, one module per area.

mod analytics;
mod bad_input;
mod bulk;
mod clients;
mod concurrency;
mod console;
mod contract;
mod crash;
mod dataset;
mod ecosystem;
mod explorer;
mod hardening;
mod http;
mod profile;
mod profiles;
mod serve;
mod store;
