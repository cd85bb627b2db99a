//! The TOML loader: data files (parts `%%% name.toml`) in, the loader's oracle
//! (`govgraph_tests::oracles::loader`) must hold.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    if let Err(finding) = govgraph_tests::oracles::loader::check(input) {
        panic!("{finding}");
    }
});
