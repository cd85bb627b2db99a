//! Streaming import of a `neo4j-admin database import` CSV pair (`nodes.csv`,
//! `relationships.csv`) into a new generation.
//!
//! Records are read one at a time and checked; each tree's records then go
//! through sorted run files into sled in key order (see `sorted_runs`), so
//! memory holds a map from entity id to kind (needed to check relation ends)
//! and one bounded run buffer per tree, never all the relations. Duplicate
//! relation ids meet in the merge and are reported with both lines.
//! Columns are found by header name, so govgraph's own CSV export and the
//! output of `govgraph synth` both import. The first invalid record stops the
//! import with its file and line, and the store is left as it was: the new
//! generation is deleted and `CURRENT` never names it.

use crate::generation::{
    encode, import_config, io, open_sled, seal, sled_err, with_new_generation, Meta, BATCH,
};
use crate::layout::{self, *};
use crate::sorted_runs::SortedRuns;
use crate::StoreError;
use govgraph_model::{
    check_domain_range, check_entity_id, relation_id, text::fold, Entity, EntityKind, Evidence,
    Relation, RelationType,
};
use std::collections::HashMap;
use std::path::Path;

/// The two files of a CSV import.
#[derive(Debug, Clone, Copy)]
pub struct CsvFiles<'a> {
    /// Entities: `id:ID`, `name`, `kind` or `:LABEL`, optionally `year:int`, `aliases:string[]`.
    pub nodes: &'a Path,
    /// Relations: `:START_ID`, `:END_ID`, `:TYPE`, `evidence`, optionally `id`,
    /// `since:int`, `until:int`, `evidence_sections:string[]`.
    pub relationships: &'a Path,
}

/// Streams the CSV pair `files` into a new generation of the store at `path` and
/// makes it current. `progress(done, total)` is called per batch: reading the
/// files is its first half, writing the sorted trees the second.
/// An invalid record fails with [`StoreError::Invalid`] naming its file and line,
/// and leaves the store unchanged.
pub fn import_csv(
    path: &Path,
    files: CsvFiles<'_>,
    source: &str,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Meta, StoreError> {
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).map_err(io("read", p));
    let total = size(files.nodes)? + size(files.relationships)?;
    with_new_generation(path, &mut |generation| {
        write_csv_generation(generation, files, source, total, progress)
    })
}

/// Where a record went wrong.
fn invalid(file: &Path, line: u64, message: impl Into<String>) -> StoreError {
    StoreError::Invalid {
        file: file.to_owned(),
        line,
        message: message.into(),
    }
}

fn reader(file: &Path) -> Result<csv::Reader<std::fs::File>, StoreError> {
    let handle = std::fs::File::open(file).map_err(io("open", file))?;
    Ok(csv::ReaderBuilder::new()
        .has_headers(true)
        .buffer_capacity(1 << 20)
        .from_reader(handle))
}

/// A CSV error as a located problem.
fn csv_problem(file: &Path, error: &csv::Error) -> StoreError {
    let line = error.position().map_or(0, csv::Position::line);
    let message = match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("{len} fields where the header has {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => "not UTF-8".to_owned(),
        _ => error.to_string(),
    };
    invalid(file, line, message)
}

/// Column positions found by header name.
struct Columns(HashMap<String, usize>);

impl Columns {
    fn new(headers: &csv::StringRecord) -> Self {
        Columns(
            headers
                .iter()
                .enumerate()
                .map(|(i, h)| (h.trim().to_owned(), i))
                .collect(),
        )
    }

    /// The column whose header is `name` or starts with `name:` (a typed column).
    fn find(&self, name: &str) -> Option<usize> {
        self.0.get(name).copied().or_else(|| {
            self.0
                .iter()
                .filter(|(h, _)| h.strip_prefix(name).is_some_and(|r| r.starts_with(':')))
                .map(|(_, &i)| i)
                .min()
        })
    }

    /// The column whose header ends with `suffix` (`id:ID`, `:ID(Entity)` …).
    fn find_suffix(&self, suffix: &str) -> Option<usize> {
        self.0
            .iter()
            .filter(|(h, _)| h.ends_with(suffix) || h.contains(&format!("{suffix}(")))
            .map(|(_, &i)| i)
            .min()
    }
}

fn cell(record: &csv::StringRecord, column: Option<usize>) -> &str {
    column.and_then(|c| record.get(c)).unwrap_or("").trim()
}

fn optional_int(
    file: &Path,
    line: u64,
    field: &str,
    value: &str,
) -> Result<Option<i32>, StoreError> {
    if value.is_empty() {
        return Ok(None);
    }
    value
        .parse()
        .map(Some)
        .map_err(|_| invalid(file, line, format!("{field} `{value}` is not an integer")))
}

/// The kind named by a `kind` cell, or by one of the `;`-separated labels
/// (SCREAMING_SNAKE or PascalCase; `Entity` is skipped).
fn parse_kind(kind: &str, labels: &str) -> Option<EntityKind> {
    if !kind.is_empty() {
        return kind.parse().ok();
    }
    labels
        .split(';')
        .map(str::trim)
        .filter(|l| !l.is_empty() && *l != "Entity")
        .find_map(|label| {
            label.parse().ok().or_else(|| {
                let mut screaming = String::new();
                for (i, c) in label.chars().enumerate() {
                    if c.is_ascii_uppercase() && i > 0 {
                        screaming.push('_');
                    }
                    screaming.push(c.to_ascii_uppercase());
                }
                screaming.parse().ok()
            })
        })
}

fn write_csv_generation(
    generation: &Path,
    files: CsvFiles<'_>,
    source: &str,
    total: u64,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Meta, StoreError> {
    let db = open_sled(&import_config(generation), generation)?;
    let tree = |name: &str| db.open_tree(name).map_err(sled_err(generation));
    let (entities, relations, outgoing, incoming, names, meta) = (
        tree(ENTITIES)?,
        tree(RELATIONS)?,
        tree(OUTGOING)?,
        tree(INCOMING)?,
        tree(NAMES)?,
        tree(META)?,
    );
    let mut hasher = blake3::Hasher::new();
    hasher.update(b"csv\n");
    // Records are sorted on their way into sled (see `sorted_runs`); runs spill
    // into the generation folder, so a crash leaves them where the stale
    // generation is removed.
    let spill = generation.join("import-runs");
    let (mut entity_runs, mut name_runs) = (
        SortedRuns::new(&spill, ENTITIES),
        SortedRuns::new(&spill, NAMES),
    );

    // Nodes.
    let file = files.nodes;
    let mut nodes = reader(file)?;
    let headers = nodes.headers().map_err(|e| csv_problem(file, &e))?.clone();
    let columns = Columns::new(&headers);
    let id_col = columns
        .find_suffix(":ID")
        .ok_or_else(|| invalid(file, 1, "the header has no `id:ID` column"))?;
    let (name_col, kind_col, label_col, year_col, alias_col) = (
        columns.find("name"),
        columns.find("kind"),
        columns.find(":LABEL"),
        columns.find("year"),
        columns.find("aliases"),
    );
    if kind_col.is_none() && label_col.is_none() {
        return Err(invalid(
            file,
            1,
            "the header has neither `kind` nor `:LABEL`",
        ));
    }
    let mut kinds: HashMap<String, EntityKind> = HashMap::new();
    let mut record = csv::StringRecord::new();
    let mut in_batch = 0usize;
    loop {
        match nodes.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_problem(file, &e)),
        }
        let line = record.position().map_or(0, csv::Position::line);
        let id = cell(&record, Some(id_col));
        let kind = parse_kind(cell(&record, kind_col), cell(&record, label_col))
            .ok_or_else(|| invalid(file, line, format!("entity `{id}` has no known kind")))?;
        check_entity_id(id, kind).map_err(|e| invalid(file, line, e.to_string()))?;
        let name = cell(&record, name_col);
        if name.is_empty() {
            return Err(invalid(file, line, format!("entity `{id}` has no name")));
        }
        let entity = Entity {
            id: id.to_owned(),
            kind,
            name: name.to_owned(),
            aliases: cell(&record, alias_col)
                .split(';')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_owned)
                .collect(),
            year: optional_int(file, line, "year", cell(&record, year_col))?,
            attributes: Default::default(),
        };
        if kinds.insert(entity.id.clone(), kind).is_some() {
            return Err(invalid(file, line, format!("duplicate entity id `{id}`")));
        }
        let bytes = encode(&entity);
        hasher.update(&bytes);
        for name in std::iter::once(&entity.name).chain(&entity.aliases) {
            name_runs.push(layout::name_key(&fold(name), &entity.id), Vec::new(), line)?;
        }
        entity_runs.push(entity.id.into_bytes(), bytes, line)?;
        in_batch += 1;
        if in_batch == BATCH {
            in_batch = 0;
            progress(nodes.position().byte(), 2 * total);
        }
    }
    let nodes_bytes = nodes.position().byte();
    progress(nodes_bytes, 2 * total);

    // Relationships.
    let file = files.relationships;
    let mut rels = reader(file)?;
    let headers = rels.headers().map_err(|e| csv_problem(file, &e))?.clone();
    let columns = Columns::new(&headers);
    let required = |name: &str| {
        columns
            .find(name)
            .ok_or_else(|| invalid(file, 1, format!("the header has no `{name}` column")))
    };
    let (start_col, end_col, type_col) = (
        required(":START_ID")?,
        required(":END_ID")?,
        required(":TYPE")?,
    );
    let (id_col, since_col, until_col, sections_col, evidence_col) = (
        columns.0.get("id").copied(),
        columns.find("since"),
        columns.find("until"),
        columns.find("evidence_sections"),
        columns.0.get("evidence").copied(),
    );
    let (mut relation_runs, mut out_runs, mut in_runs) = (
        SortedRuns::new(&spill, RELATIONS),
        SortedRuns::new(&spill, OUTGOING),
        SortedRuns::new(&spill, INCOMING),
    );
    let mut in_batch = 0usize;
    loop {
        match rels.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_problem(file, &e)),
        }
        let line = record.position().map_or(0, csv::Position::line);
        let (start, end) = (cell(&record, Some(start_col)), cell(&record, Some(end_col)));
        let ty: RelationType = cell(&record, Some(type_col))
            .parse()
            .map_err(|e: govgraph_model::ParseKindError| invalid(file, line, e.to_string()))?;
        let kind_of = |id: &str| {
            kinds
                .get(id)
                .copied()
                .ok_or_else(|| invalid(file, line, format!("unknown entity `{id}`")))
        };
        let (source_kind, target_kind) = (kind_of(start)?, kind_of(end)?);
        check_domain_range(ty, source_kind, target_kind)
            .map_err(|e| invalid(file, line, e.to_string()))?;
        let id = match cell(&record, id_col) {
            "" => relation_id(start, ty, end),
            given => given.to_owned(),
        };
        let relation = Relation {
            since: optional_int(file, line, "since", cell(&record, since_col))?,
            until: optional_int(file, line, "until", cell(&record, until_col))?,
            evidence: parse_evidence(cell(&record, sections_col), cell(&record, evidence_col)),
            id,
            ty,
            source: start.to_owned(),
            target: end.to_owned(),
        };
        if relation.evidence.is_empty() {
            return Err(invalid(
                file,
                line,
                format!("relation `{}` has no evidence", relation.id),
            ));
        }
        let bytes = encode(&relation);
        hasher.update(&bytes);
        out_runs.push(
            layout::adjacency_key(&relation.source, &relation.id),
            Vec::new(),
            line,
        )?;
        in_runs.push(
            layout::adjacency_key(&relation.target, &relation.id),
            Vec::new(),
            line,
        )?;
        relation_runs.push(relation.id.into_bytes(), bytes, line)?;
        in_batch += 1;
        if in_batch == BATCH {
            in_batch = 0;
            progress(nodes_bytes + rels.position().byte(), 2 * total);
        }
    }

    // The merge: every tree written in key order, duplicates found on the way.
    // Reading was the first half of the progress bar; merging is the second.
    let pending = [
        &entity_runs,
        &name_runs,
        &relation_runs,
        &out_runs,
        &in_runs,
    ]
    .iter()
    .map(|runs| runs.len())
    .sum::<u64>()
    .max(1);
    let mut merged = 0u64;
    let merge_progress = &mut |step: u64| {
        merged += step;
        progress(total + merged.min(pending) * total / pending, 2 * total);
    };
    let nodes_file = files.nodes;
    let duplicate_entity = &mut |key: &[u8], first: u64, second: u64| {
        let id = String::from_utf8_lossy(key);
        let message = format!("duplicate entity id `{id}` (first on line {first})");
        Some(invalid(nodes_file, second, message))
    };
    let duplicate_relation = &mut |key: &[u8], first: u64, second: u64| {
        let id = String::from_utf8_lossy(key);
        let message = format!("duplicate relation id `{id}` (first on line {first})");
        Some(invalid(file, second, message))
    };
    // Index keys repeat when one entity has a name twice; one entry is enough.
    let same_entry = &mut |_: &[u8], _: u64, _: u64| None;
    let entity_count = entity_runs.finish(&entities, duplicate_entity, merge_progress)?;
    name_runs.finish(&names, same_entry, merge_progress)?;
    let relation_count = relation_runs.finish(&relations, duplicate_relation, merge_progress)?;
    out_runs.finish(&outgoing, same_entry, merge_progress)?;
    in_runs.finish(&incoming, same_entry, merge_progress)?;
    let _ = std::fs::remove_dir_all(&spill);
    progress(total, total);

    let fingerprint = hasher.finalize().to_hex();
    seal(
        generation,
        &db,
        &meta,
        &fingerprint,
        source,
        (entity_count as usize, relation_count as usize),
    )
}

/// Evidence from the `evidence_sections` array and the `evidence` cell, whose
/// items (`section: quote`) are separated by ` | ` as govgraph's export writes them.
fn parse_evidence(sections: &str, evidence: &str) -> Vec<Evidence> {
    if evidence.is_empty() {
        return Vec::new();
    }
    let sections: Vec<&str> = sections.split(';').map(str::trim).collect();
    let items: Vec<&str> = evidence.split(" | ").collect();
    if items.len() != sections.len() {
        // The pairing is unclear: keep the text whole.
        let section = sections.first().copied().filter(|s| !s.is_empty());
        return vec![Evidence::new(section.unwrap_or("CSV"), evidence)];
    }
    items
        .iter()
        .zip(&sections)
        .map(|(item, section)| {
            let quote = item
                .strip_prefix(section)
                .and_then(|r| r.strip_prefix(": "))
                .unwrap_or(item);
            Evidence::new(if section.is_empty() { "CSV" } else { section }, quote)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;
    use std::fs;

    const NODES: &str = "id:ID,name,kind,year:int,aliases:string[],:LABEL\n\
        country:AZE,Azerbaijan,COUNTRY,,AZ,Entity;Country\n\
        convention:crc,\"Convention on the Rights of the Child\",,1989,CRC;UNCRC,Entity;Convention\n";
    const RELATIONSHIPS: &str =
        ":START_ID,:END_ID,:TYPE,id,since:int,until:int,evidence_sections:string[],evidence\n\
        country:AZE,convention:crc,RATIFIED,,1992,,Table 1,Table 1: Yes (1992)\n";

    fn write(
        dir: &Path,
        nodes: &str,
        relationships: &str,
    ) -> (std::path::PathBuf, std::path::PathBuf) {
        let (n, r) = (dir.join("nodes.csv"), dir.join("relationships.csv"));
        fs::write(&n, nodes).unwrap();
        fs::write(&r, relationships).unwrap();
        (n, r)
    }

    #[test]
    fn a_csv_pair_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let (n, r) = write(dir.path(), NODES, RELATIONSHIPS);
        let db = dir.path().join("store");
        let files = CsvFiles {
            nodes: &n,
            relationships: &r,
        };
        let meta = import_csv(&db, files, "csv:test", &mut |_, _| {}).unwrap();
        assert_eq!((meta.entities, meta.relations), (2, 1));
        let dataset = Store::open(&db).unwrap().dataset().unwrap();
        let crc = &dataset.entities[0];
        assert_eq!(crc.kind, EntityKind::Convention);
        assert_eq!(crc.aliases, ["CRC", "UNCRC"]);
        assert_eq!(crc.year, Some(1989));
        let rel = &dataset.relations[0];
        assert_eq!(rel.id, "country:AZE|RATIFIED|convention:crc");
        assert_eq!(rel.since, Some(1992));
        assert_eq!(rel.evidence, [Evidence::new("Table 1", "Yes (1992)")]);
    }

    #[test]
    fn a_bad_line_is_located_and_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("store");
        let (n, r) = write(dir.path(), NODES, RELATIONSHIPS);
        let files = CsvFiles {
            nodes: &n,
            relationships: &r,
        };
        import_csv(&db, files, "first", &mut |_, _| {}).unwrap();
        let bad = format!("{RELATIONSHIPS}convention:crc,country:AZE,RATIFIED,,,,x,x: y\n");
        let (n, r) = write(dir.path(), NODES, &bad);
        let files = CsvFiles {
            nodes: &n,
            relationships: &r,
        };
        let error = import_csv(&db, files, "second", &mut |_, _| {}).unwrap_err();
        assert!(
            matches!(error, StoreError::Invalid { line: 3, .. }),
            "{error}"
        );
        assert!(
            error.to_string().contains("relationships.csv:3:"),
            "{error}"
        );
        let store = Store::open(&db).unwrap();
        assert_eq!(store.meta().source, "first");
        let generations = fs::read_dir(&db)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with("gen-")
            })
            .count();
        assert_eq!(generations, 1, "the failed generation was removed");
    }

    #[test]
    fn malformed_csv_and_bad_values_name_their_line() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("store");
        for (nodes, rels, needle) in [
            (
                format!("{NODES}law:x,Law X,LAW,1990\n"),
                RELATIONSHIPS.to_owned(),
                "nodes.csv:4: 4 fields",
            ),
            (
                format!("{NODES}law:x,Law X,LAW,nineteen,,\n"),
                RELATIONSHIPS.to_owned(),
                "nodes.csv:4: year",
            ),
            (
                format!("{NODES}law:X,Law X,LAW,,,\n"),
                RELATIONSHIPS.to_owned(),
                "nodes.csv:4: id",
            ),
            (
                NODES.to_owned(),
                format!("{RELATIONSHIPS}country:AZE,law:none,RATIFIED,,,,a,a: b\n"),
                "relationships.csv:3: unknown entity",
            ),
            (
                NODES.to_owned(),
                format!("{RELATIONSHIPS}country:AZE,convention:crc,RATIFIED,,,,a,a: b\n"),
                "relationships.csv:3: duplicate",
            ),
            (
                NODES.to_owned(),
                format!("{RELATIONSHIPS}country:AZE,convention:crc,SUPPORTS,,,,,\n"),
                "relationships.csv:3: relation",
            ),
        ] {
            let (n, r) = write(dir.path(), &nodes, &rels);
            let files = CsvFiles {
                nodes: &n,
                relationships: &r,
            };
            let error = import_csv(&db, files, "x", &mut |_, _| {})
                .unwrap_err()
                .to_string();
            assert!(error.contains(needle), "{error} lacks {needle}");
            assert!(matches!(Store::open(&db), Err(StoreError::Missing { .. })));
        }
    }
}
