//! Exit codes, and printing an error as its chain of causes.

#![allow(clippy::print_stderr)]

use govgraph_loader::Problems;
use govgraph_store::StoreError;
use std::process::ExitCode;

/// Something failed that is none of the cases below.
pub(crate) const FAILURE: u8 = 1;
/// The command line is wrong.
pub(crate) const USAGE: u8 = 2;
/// The data files have problems.
pub(crate) const INVALID_DATA: u8 = 3;
/// The store is missing, from another schema version, or damaged.
pub(crate) const STORE: u8 = 4;
/// A GraphQL operation answered with errors.
pub(crate) const QUERY_ERRORS: u8 = 5;
/// `govgraph coverage` found profile items no entity matches.
pub(crate) const UNMATCHED: u8 = 6;

/// A command-line value clap cannot check itself.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct UsageError(String);

/// A usage error with `message`, for `?` in the commands.
pub(crate) fn usage(message: String) -> anyhow::Error {
    UsageError(message).into()
}

/// Prints `error` with its causes and returns the matching exit code.
pub(crate) fn report(error: &anyhow::Error) -> ExitCode {
    // The reader of our output went away (`| head`): nothing failed.
    if error
        .downcast_ref::<crate::output::StdoutClosed>()
        .is_some()
    {
        return ExitCode::SUCCESS;
    }
    if let Some(problems) = error.downcast_ref::<Problems>() {
        for problem in &problems.0 {
            eprintln!("{problem}");
        }
        eprintln!(
            "error: {} problem(s) found; nothing was written",
            problems.0.len()
        );
        return ExitCode::from(INVALID_DATA);
    }
    if let Some(invalid @ StoreError::Invalid { .. }) = error.downcast_ref::<StoreError>() {
        eprintln!("{invalid}");
        eprintln!("error: the CSV files have a problem; nothing was written");
        return ExitCode::from(INVALID_DATA);
    }
    if let Some(usage) = error.downcast_ref::<UsageError>() {
        eprintln!("error: {usage}");
        return ExitCode::from(USAGE);
    }
    eprintln!("error: {error}");
    for cause in error.chain().skip(1) {
        eprintln!("  caused by: {cause}");
    }
    let store_problem = error.chain().any(|c| {
        matches!(
            c.downcast_ref::<StoreError>(),
            Some(
                StoreError::Missing { .. }
                    | StoreError::OldSchema { .. }
                    | StoreError::NewerSchema { .. }
                    | StoreError::Corrupt { .. }
                    | StoreError::Busy { .. }
                    | StoreError::Served { .. }
                    | StoreError::Unsettled { .. }
            )
        )
    });
    ExitCode::from(if store_problem { STORE } else { FAILURE })
}
