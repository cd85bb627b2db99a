//! End-to-end tests of govgraph, one module per area.

mod analytics;
mod attacks;
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
mod fuzz;
mod hardening;
mod http;
mod mutants;
mod profile;
mod profiles;
mod serve;
mod soak;
mod stall;
mod store;
