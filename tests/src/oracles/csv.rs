//! The CSV import's oracle: a neo4j-admin pair in, and either
//! `StoreError::Invalid` naming one of the two files and an existing line with
//! the store unchanged, or a store whose dataset passes the structural rules
//! and whose counts match its metadata.

use crate::fuzz::{self, Outcome, Rules};
use std::path::PathBuf;

/// A store every case imports into, and the two files it writes.
pub struct CsvBench {
    dir: PathBuf,
    db: PathBuf,
    /// Removes the folder when the bench goes, if it is a temporary one.
    _temporary: Option<tempfile::TempDir>,
}

impl CsvBench {
    /// A bench in a new temporary folder, with no store yet.
    pub fn new() -> std::io::Result<Self> {
        let temporary = tempfile::tempdir()?;
        let mut bench = CsvBench::in_folder(temporary.path().to_owned())?;
        bench._temporary = Some(temporary);
        Ok(bench)
    }

    /// A bench in `dir`, emptied first: for a process that never drops it
    /// (a libFuzzer target), so that runs reuse one folder instead of
    /// leaving one behind each.
    pub fn in_folder(dir: PathBuf) -> std::io::Result<Self> {
        match std::fs::remove_dir_all(&dir) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        std::fs::create_dir_all(&dir)?;
        Ok(CsvBench {
            db: dir.join("store"),
            dir,
            _temporary: None,
        })
    }
}

fn generations(db: &std::path::Path) -> usize {
    std::fs::read_dir(db).map_or(0, |entries| {
        entries
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with("gen-"))
            .count()
    })
}

/// Imports the pair `input` holds into the bench's store and checks the outcome.
pub fn check(bench: &CsvBench, input: &[u8]) -> Result<Outcome, String> {
    let parts = fuzz::split_sections(input, "nodes.csv");
    let part = |name: &str| fuzz::part(&parts, name).unwrap_or_default().to_vec();
    let (nodes_bytes, rels_bytes) = (part("nodes.csv"), part("relationships.csv"));
    let nodes = bench.dir.join("nodes.csv");
    let relationships = bench.dir.join("relationships.csv");
    std::fs::write(&nodes, &nodes_bytes).map_err(|e| e.to_string())?;
    std::fs::write(&relationships, &rels_bytes).map_err(|e| e.to_string())?;
    let before = govgraph_store::Store::open(&bench.db)
        .ok()
        .map(|s| s.meta().clone());
    let files = govgraph_store::CsvFiles {
        nodes: &nodes,
        relationships: &relationships,
    };
    match govgraph_store::import_csv(&bench.db, files, "fuzz", &mut |_, _| {}) {
        Err(error) => {
            fuzz::check_csv_error(
                &error,
                (&nodes, &nodes_bytes),
                (&relationships, &rels_bytes),
            )?;
            let after = govgraph_store::Store::open(&bench.db)
                .ok()
                .map(|s| s.meta().clone());
            if after != before {
                return Err(format!(
                    "refused ({error}) but the store changed: {before:?} -> {after:?}"
                ));
            }
            if generations(&bench.db) != usize::from(before.is_some()) {
                return Err("refused but a generation was left behind".into());
            }
            Ok(Outcome::Refused)
        }
        Ok(meta) => {
            let store = govgraph_store::Store::open(&bench.db).map_err(|e| e.to_string())?;
            if store.meta() != &meta {
                return Err("the store's metadata is not the import's".into());
            }
            let dataset = store.dataset().map_err(|e| e.to_string())?;
            if (dataset.entities.len(), dataset.relations.len()) != (meta.entities, meta.relations)
            {
                return Err("the counts differ from the metadata".into());
            }
            let broken = fuzz::violations(
                &dataset,
                Rules {
                    toml: false,
                    profile: None,
                },
            );
            if !broken.is_empty() {
                return Err(format!("accepted an invalid CSV pair: {broken:?}"));
            }
            Ok(Outcome::Accepted)
        }
    }
}
