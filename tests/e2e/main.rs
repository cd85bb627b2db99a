//! End-to-end tests of govgraph, one module per area. They are the `govgraph`
//! crate's test target (`cargo test -p govgraph --test e2e [area]`), so cargo
//! builds the binary they run; their shared support is the `govgraph-tests`
//! library beside them (`tests/src`).

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
mod plans;
mod profile;
mod profiles;
mod serve;
mod soak;
mod stall;
mod store;
