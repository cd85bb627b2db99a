//! The GraphQL endpoint: a `%%% query`, optional `%%% variables` and
//! `%%% operationName` in, run in process and through the HTTP app over the
//! default graph; the GraphQL oracle (`govgraph_tests::oracles::graphql`) must hold.
#![no_main]

use govgraph_tests::oracles::graphql::{check, GraphqlBench};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static BENCH: OnceLock<GraphqlBench> = OnceLock::new();

fuzz_target!(|input: &[u8]| {
    let bench = BENCH.get_or_init(GraphqlBench::over_default_graph);
    if let Err(finding) = check(bench, input) {
        panic!("{finding}");
    }
});
