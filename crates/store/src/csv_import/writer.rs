//! Writing a CSV pair into a new generation, in three passes: the nodes are
//! read, checked and spilled into sorted runs (keeping only each id's kind),
//! then the relationships likewise (their ends checked against those kinds),
//! then every tree's runs are merged into sled in key order, where duplicate
//! ids meet.

use super::reader::CsvReader;
use super::records::{NodeColumns, RelationshipColumns};
use super::{invalid, CsvFiles, CsvWarning};
use crate::generation::Meta;
use crate::import::{seal, BATCH};
use crate::layout::{self, *};
use crate::sled_db::{encode, import_config, open_sled, sled_err};
use crate::sorted_runs::SortedRuns;
use crate::StoreError;
use govgraph_model::{text::fold, EntityKind, Limits};
use std::collections::HashMap;
use std::path::Path;

/// What the passes share: the limits, the fingerprint being hashed, the
/// warnings noticed, and the progress callback with the pair's total size
/// (reading is the first half of the progress, merging the second).
struct Pass<'p> {
    limits: &'p Limits,
    hasher: blake3::Hasher,
    warnings: &'p mut Vec<CsvWarning>,
    progress: &'p mut dyn FnMut(u64, u64),
    total: u64,
}

/// The entities read: their sorted runs, their name index's, and each id's kind.
struct Nodes {
    entities: SortedRuns,
    names: SortedRuns,
    kinds: HashMap<String, EntityKind>,
    /// Bytes of `nodes.csv` read, for the progress of the next pass.
    bytes: u64,
}

/// The relations read: their sorted runs and both adjacency indexes'.
struct Relationships {
    relations: SortedRuns,
    outgoing: SortedRuns,
    incoming: SortedRuns,
}

/// Fills the new generation at `generation` from `files` and seals it.
pub(super) fn write_generation(
    generation: &Path,
    files: CsvFiles<'_>,
    source: &str,
    total: u64,
    limits: &Limits,
    warnings: &mut Vec<CsvWarning>,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Meta, StoreError> {
    let db = open_sled(&import_config(generation), generation)?;
    let mut pass = Pass {
        limits,
        hasher: blake3::Hasher::new(),
        warnings,
        progress,
        total,
    };
    pass.hasher.update(b"csv\n");
    // Runs spill into the generation folder, so a crash leaves them where the
    // stale generation is removed.
    let spill = generation.join("import-runs");
    let nodes = read_nodes(files.nodes, &spill, &mut pass)?;
    let relationships = read_relationships(files.relationships, &spill, &nodes, &mut pass)?;
    let counts = merge(&db, generation, files, nodes, relationships, &mut pass)?;
    let _ = std::fs::remove_dir_all(&spill);
    (pass.progress)(total, total);

    let fingerprint = pass.hasher.finalize().to_hex();
    let meta = db.open_tree(META).map_err(sled_err(generation))?;
    crate::fault::last_point();
    seal(generation, &db, &meta, &fingerprint, source, counts)
}

/// The first pass: every entity of `file` read, checked, hashed and spilled.
fn read_nodes(file: &Path, spill: &Path, pass: &mut Pass<'_>) -> Result<Nodes, StoreError> {
    let mut reader = CsvReader::open(file, pass.limits)?;
    let columns = NodeColumns::new(file, reader.headers()?)?;
    let mut nodes = Nodes {
        entities: SortedRuns::new(spill, ENTITIES),
        names: SortedRuns::new(spill, NAMES),
        kinds: HashMap::new(),
        bytes: 0,
    };
    let mut record = csv::StringRecord::new();
    let mut in_batch = 0usize;
    while reader.next(&mut record)? {
        let line = record.position().map_or(0, csv::Position::line);
        let entity = columns.entity(&record, line, pass.limits)?;
        if nodes.kinds.insert(entity.id.clone(), entity.kind).is_some() {
            let message = format!("duplicate entity id `{}`", entity.id);
            return Err(invalid(file, line, message));
        }
        let bytes = encode(&entity);
        pass.hasher.update(&bytes);
        for name in std::iter::once(&entity.name).chain(&entity.aliases) {
            let key = layout::name_key(&fold(name), &entity.id);
            nodes.names.push(key, Vec::new(), line)?;
        }
        nodes.entities.push(entity.id.into_bytes(), bytes, line)?;
        crate::fault::point();
        in_batch += 1;
        if in_batch == BATCH {
            in_batch = 0;
            (pass.progress)(reader.bytes_read(), 2 * pass.total);
        }
    }
    reader.warnings(pass.warnings);
    nodes.bytes = reader.bytes_read();
    (pass.progress)(nodes.bytes, 2 * pass.total);
    Ok(nodes)
}

/// The second pass: every relation of `file` read, its ends checked against
/// the entities of `nodes`, hashed and spilled.
fn read_relationships(
    file: &Path,
    spill: &Path,
    nodes: &Nodes,
    pass: &mut Pass<'_>,
) -> Result<Relationships, StoreError> {
    let mut reader = CsvReader::open(file, pass.limits)?;
    let columns = RelationshipColumns::new(file, reader.headers()?)?;
    let mut runs = Relationships {
        relations: SortedRuns::new(spill, RELATIONS),
        outgoing: SortedRuns::new(spill, OUTGOING),
        incoming: SortedRuns::new(spill, INCOMING),
    };
    let mut record = csv::StringRecord::new();
    let mut in_batch = 0usize;
    while reader.next(&mut record)? {
        let line = record.position().map_or(0, csv::Position::line);
        let relation = columns.relation(&record, line, &nodes.kinds, pass.limits)?;
        let bytes = encode(&relation);
        pass.hasher.update(&bytes);
        let out = layout::adjacency_key(&relation.source, &relation.id);
        runs.outgoing.push(out, Vec::new(), line)?;
        let inc = layout::adjacency_key(&relation.target, &relation.id);
        runs.incoming.push(inc, Vec::new(), line)?;
        runs.relations.push(relation.id.into_bytes(), bytes, line)?;
        crate::fault::point();
        in_batch += 1;
        if in_batch == BATCH {
            in_batch = 0;
            (pass.progress)(nodes.bytes + reader.bytes_read(), 2 * pass.total);
        }
    }
    reader.warnings(pass.warnings);
    Ok(runs)
}

/// The third pass: every tree written from its runs in key order; a
/// duplicate entity or relation id is an error naming both lines. Returns
/// the entities and relations written.
fn merge(
    db: &sled::Db,
    generation: &Path,
    files: CsvFiles<'_>,
    nodes: Nodes,
    relationships: Relationships,
    pass: &mut Pass<'_>,
) -> Result<(usize, usize), StoreError> {
    let tree = |name: &str| db.open_tree(name).map_err(sled_err(generation));
    let pending = [
        &nodes.entities,
        &nodes.names,
        &relationships.relations,
        &relationships.outgoing,
        &relationships.incoming,
    ]
    .iter()
    .map(|runs| runs.len())
    .sum::<u64>()
    .max(1);
    let total = pass.total;
    let progress = &mut *pass.progress;
    let mut merged = 0u64;
    let merge_progress = &mut |step: u64| {
        merged += step;
        crate::fault::point();
        progress(total + merged.min(pending) * total / pending, 2 * total);
    };
    let duplicate = |file: &Path, what: &'static str| {
        let file = file.to_owned();
        move |key: &[u8], first: u64, second: u64| {
            let id = String::from_utf8_lossy(key);
            let message = format!("duplicate {what} id `{id}` (first on line {first})");
            Some(invalid(&file, second, message))
        }
    };
    // Index keys repeat when one entity has a name twice; one entry is enough.
    let same_entry = &mut |_: &[u8], _: u64, _: u64| None;
    let entities = nodes.entities.finish(
        &tree(ENTITIES)?,
        &mut duplicate(files.nodes, "entity"),
        merge_progress,
    )?;
    nodes
        .names
        .finish(&tree(NAMES)?, same_entry, merge_progress)?;
    let relations = relationships.relations.finish(
        &tree(RELATIONS)?,
        &mut duplicate(files.relationships, "relation"),
        merge_progress,
    )?;
    relationships
        .outgoing
        .finish(&tree(OUTGOING)?, same_entry, merge_progress)?;
    relationships
        .incoming
        .finish(&tree(INCOMING)?, same_entry, merge_progress)?;
    let count = |n: u64| usize::try_from(n).expect("a count of records on disk fits in memory");
    Ok((count(entities), count(relations)))
}
