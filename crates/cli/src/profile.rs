//! The profile commands: `coverage`, `profile scaffold`, `profile inspect`, and the
//! profile mentions `serve` computes once at start-up. The work is the profile
//! crate's; this module reads files, prints, and picks exit codes.

use crate::args::ProfileCommand;
use crate::dataset;
use crate::exit;
use crate::output::outln;
use anyhow::{Context, Result};
use govgraph_graph::Graph;
use govgraph_profile::{Parsed, SectionKind};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

/// Runs a `govgraph profile` subcommand.
pub(crate) fn run(command: ProfileCommand) -> Result<ExitCode> {
    match command {
        ProfileCommand::Scaffold { path, out } => scaffold(&path, out.as_deref()),
        ProfileCommand::Inspect { path } => inspect(&path),
    }
}

/// Reads a profile that must have Key Sources; every error names the file.
fn read(path: &Path) -> Result<Parsed> {
    let parsed = govgraph_profile::read_file(path)?;
    parsed
        .require_key_sources()
        .with_context(|| format!("cannot use the profile `{}`", path.display()))?;
    Ok(parsed)
}

/// `govgraph coverage`: prints each unmatched item with its line, then one summary
/// line; exits with [`exit::UNMATCHED`] when anything is unmatched.
pub(crate) fn coverage(profile: &Path, data: Option<&Path>, verbose: bool) -> Result<ExitCode> {
    let parsed = read(profile)?;
    let dataset = match data {
        Some(dir) => dataset::from_dir(dir, None)?,
        None => dataset::embedded()?,
    };
    let report = govgraph_profile::coverage(&parsed.document, &dataset);
    if verbose {
        let parts = [
            ("key source", &report.key_sources),
            ("table 1", &report.table1),
            ("country", &report.countries),
        ];
        for (part, items) in parts {
            for item in items {
                if let (Some(id), Some(how)) = (&item.entity, item.how) {
                    outln!(
                        "matched {part} (line {}) by {how:?}: {id} <- {}",
                        item.line,
                        item.text
                    )?;
                }
            }
        }
    }
    for (part, item) in report.unmatched() {
        outln!(
            "unmatched {part}: {}:{}: {}",
            profile.display(),
            item.line,
            item.text
        )?;
    }
    outln!("{report}")?;
    Ok(if report.is_complete() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(exit::UNMATCHED)
    })
}

fn scaffold(path: &Path, out: Option<&Path>) -> Result<ExitCode> {
    let parsed = read(path)?;
    let toml = govgraph_profile::scaffold(&parsed.document);
    match out {
        Some(out) => {
            std::fs::write(out, &toml)
                .with_context(|| format!("cannot write {}", out.display()))?;
            outln!(
                "wrote {} entities and {} relations to {}",
                toml.matches("[[entity]]").count(),
                toml.matches("[[relation]]").count(),
                out.display()
            )?;
        }
        None => crate::output::write(toml.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}

fn inspect(path: &Path) -> Result<ExitCode> {
    let parsed = read(path)?;
    let doc = &parsed.document;
    outln!("{}", path.display())?;
    outln!("\nsections")?;
    for section in &doc.sections {
        let label = match section.kind {
            SectionKind::Unlisted if section.title.is_empty() => "(front matter)".to_owned(),
            SectionKind::Unlisted => format!("({})", section.title),
            _ => section.label.clone(),
        };
        outln!(
            "  {:<40} line {:>5}  {:>4} paragraph(s)",
            label,
            section.line,
            section.paragraphs.len()
        )?;
    }
    outln!("\ncounts")?;
    outln!("  footnotes          {}", doc.footnotes.len())?;
    outln!("  footnote markers   {}", doc.footnote_refs.len())?;
    outln!(
        "  table 1 rows       {}",
        doc.table1.as_ref().map_or(0, |t| t.rows.len())
    )?;
    outln!("  key sources        {}", doc.key_sources.len())?;
    let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_issuer: BTreeMap<&str, usize> = BTreeMap::new();
    for entry in &doc.key_sources {
        *by_kind.entry(entry.kind.as_str()).or_default() += 1;
        *by_issuer
            .entry(entry.issuer.as_deref().unwrap_or("(no issuer)"))
            .or_default() += 1;
    }
    outln!("\nkey sources by kind")?;
    for (kind, count) in by_kind {
        outln!("  {kind:<28} {count:>4}")?;
    }
    outln!("\nkey sources by issuer")?;
    for (issuer, count) in by_issuer {
        outln!("  {issuer:<60} {count:>4}")?;
    }
    outln!("\ndiagnostics: {}", parsed.diagnostics.len())?;
    for diagnostic in &parsed.diagnostics {
        outln!("  {diagnostic}")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The mentions `serve` answers: from `--profile`, else from the profile embedded at
/// build time, else none.
pub(crate) fn serve_mentions(
    graph: &Graph,
    profile: Option<&Path>,
) -> Result<Option<govgraph_api::Mentions>> {
    let parsed = match profile {
        Some(path) => govgraph_profile::read_file(path)?,
        None => match dataset::EMBEDDED_PROFILE_TEXT {
            Some(text) => govgraph_profile::parse(text),
            None => {
                tracing::info!("no profile embedded; serving without mentions");
                return Ok(None);
            }
        },
    };
    let mentions = govgraph_api::Mentions::build(graph, &parsed.document);
    tracing::info!("profile mentions indexed");
    Ok(Some(mentions))
}
