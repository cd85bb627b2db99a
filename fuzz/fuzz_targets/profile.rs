//! The profile reader: a profile's markdown in; the profile oracle
//! (`govgraph_tests::oracles::profile`) must hold, with coverage measured
//! against the default dataset.
#![no_main]

use govgraph_model::Dataset;
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

static BENCH: OnceLock<(PathBuf, Dataset)> = OnceLock::new();

fuzz_target!(|input: &[u8]| {
    let (dir, dataset) = BENCH.get_or_init(|| {
        // One folder per target, reused: libFuzzer never drops statics.
        let dir = std::env::temp_dir().join("govgraph-fuzz-profile");
        std::fs::create_dir_all(&dir).expect("a scratch folder");
        (dir, govgraph_tests::default_dataset())
    });
    if let Err(finding) = govgraph_tests::oracles::profile::check(dir, dataset, input) {
        panic!("{finding}");
    }
});
