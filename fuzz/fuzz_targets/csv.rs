//! The CSV import: a `%%% nodes.csv` and a `%%% relationships.csv` part in,
//! imported into one store kept across inputs; the CSV oracle
//! (`govgraph_tests::oracles::csv`) must hold, so a refused pair must leave
//! that store as it was.
#![no_main]

use govgraph_tests::oracles::csv::{check, CsvBench};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static BENCH: OnceLock<CsvBench> = OnceLock::new();

fuzz_target!(|input: &[u8]| {
    let bench = BENCH.get_or_init(|| {
        // One folder per target, emptied at start: libFuzzer never drops statics.
        let dir = std::env::temp_dir().join("govgraph-fuzz-csv");
        CsvBench::in_folder(dir).expect("a scratch folder")
    });
    if let Err(finding) = check(bench, input) {
        panic!("{finding}");
    }
});
