//! What the commands write to standard output and show on the terminal.
//!
//! A closed pipe (`govgraph stats | head -3`) is not a failure of the command:
//! a write that meets it returns [`StdoutClosed`], which the command passes up
//! with `?` like any error, and `main` turns into a quiet, successful exit
//! (ripgrep does the same). Any other write error is reported.

use anyhow::{Context, Result};
use std::io::Write;

/// Standard output was closed by the reader: stop writing, exit quietly.
#[derive(Debug, thiserror::Error)]
#[error("standard output was closed")]
pub(crate) struct StdoutClosed;

/// Writes `bytes` to standard output and flushes them.
pub(crate) fn write(bytes: &[u8]) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(StdoutClosed.into()),
        Err(e) => Err(e).context("cannot write to standard output"),
    }
}

/// Writes one line to standard output.
pub(crate) fn line(text: &str) -> Result<()> {
    write(format!("{text}\n").as_bytes())
}

/// Prints a formatted line to standard output; evaluates to the write's
/// `Result`, for `?`.
macro_rules! outln {
    ($($arg:tt)*) => { $crate::output::line(&format!($($arg)*)) };
}
pub(crate) use outln;

/// Reports an import that succeeded: what it stored and where.
pub(crate) fn imported(
    meta: &govgraph_store::Meta,
    db: &std::path::Path,
) -> anyhow::Result<std::process::ExitCode> {
    outln!(
        "imported {} entities and {} relations into {}",
        meta.entities,
        meta.relations,
        db.display()
    )?;
    Ok(std::process::ExitCode::SUCCESS)
}

/// A progress bar of `total` steps (0 when unknown) drawn with `template`
/// (indicatif's syntax), labelled "importing".
pub(crate) fn progress(total: u64, template: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(total);
    // A template is a constant of this crate; a bad one is a bug the bar
    // survives by falling back to the plain style.
    bar.set_style(
        indicatif::ProgressStyle::with_template(template)
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_message("importing");
    bar
}
