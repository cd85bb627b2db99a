//! `govgraph`: import, validate, inspect and serve a migration-governance graph.
//!
//! The only crate that prints or uses anyhow: library errors arrive typed and
//! leave here as a printed chain with a meaningful exit code.

mod args;
mod bulk;
mod commands;
mod dataset;
mod exit;
mod output;
mod profile;
mod reload;

use clap::Parser;

/// sled's node rewrites and async-graphql's per-field maps and values make
/// glibc's malloc a quarter of the profile (BENCHMARKS.md); mimalloc's
/// thread-local free lists serve those small, short-lived blocks faster.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = args::Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(error) => exit::report(&error),
    }
}
