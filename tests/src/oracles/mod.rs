//! What must hold of every input govgraph takes from outside, as one check per
//! input kind: the oracles of the seeded fuzzing in `cargo test`
//! (`tests/e2e/fuzz.rs`) and of the coverage-guided targets in `fuzz/`, which
//! run the same checks so that a finding means the same thing in both.
//!
//! Each check answers `Ok(Accepted | Refused)` when the input was handled as
//! promised and `Err(what went wrong)` when not; a panic inside is a finding
//! too.

pub mod csv;
pub mod graphql;
pub mod loader;
pub mod profile;

/// Lines of `bytes` read as text (one more than its newlines).
pub(crate) fn lossy_lines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| **b == b'\n').count() + 1
}
