//! Large graphs: `govgraph synth` writes a synthetic CSV pair, and
//! `govgraph import --nodes --relationships` streams such a pair into the store
//! with a progress bar.

use crate::output::outln;
use anyhow::{Context, Result};
use govgraph_store::CsvFiles;
use std::path::Path;
use std::process::ExitCode;

/// `govgraph synth`: generate and write the CSV pair.
pub(crate) fn synth(entities: usize, relations: usize, seed: u64, out: &Path) -> Result<ExitCode> {
    let graph = govgraph_synth::generate(govgraph_synth::Config {
        entities,
        relations,
        seed,
    });
    let (nodes, relationships) = graph.write_csv(out)?;
    outln!(
        "wrote {} entities to {} and {} relations to {}",
        graph.nodes.len(),
        nodes.display(),
        graph.edges.len(),
        relationships.display()
    )?;
    Ok(ExitCode::SUCCESS)
}

/// `govgraph import --nodes --relationships`: stream the pair into a new
/// generation, under `limits`; print the warnings about the files.
pub(crate) fn import_csv(
    nodes: &Path,
    relationships: &Path,
    db: &Path,
    limits: &govgraph_store::Limits,
) -> Result<ExitCode> {
    let before = crate::dataset::stored_relations(db);
    let bar = crate::output::progress(
        0,
        "{msg} [{bar:40}] {percent}% (reading, then writing sorted trees; {eta})",
    );
    let source = format!("csv:{}", nodes.display());
    let files = CsvFiles {
        nodes,
        relationships,
    };
    let indexer: govgraph_store::Indexer<'_> = &crate::dataset::index_of;
    let imported = govgraph_store::import_csv_with(
        db,
        files,
        &source,
        limits,
        Some(indexer),
        &mut |done, total| {
            bar.set_length(total);
            bar.set_position(done);
        },
    );
    bar.finish_and_clear();
    let imported = imported.with_context(|| format!("cannot import into {}", db.display()))?;
    for warning in &imported.warnings {
        crate::dataset::warn(&warning.to_string());
    }
    let meta = imported.meta;
    crate::dataset::warn_if_shrunk(db, before, meta.relations);
    crate::output::imported(&meta, db)
}
