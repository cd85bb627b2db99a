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
//!
//! Records meet the same rules as a TOML data folder's (`govgraph_model::checks`:
//! years, periods, section labels, country codes, field sizes), reported with
//! the file, the line and the column. A file is streamed, so it has no size
//! limit, but a record does: the reader is handed at most a bounded number of
//! bytes past the last complete record, so an endless one (an unclosed quote,
//! a 60 MB cell) fails before it is buffered whole.

mod reader;
mod records;
mod writer;

use crate::generation::Meta;
use crate::import::with_new_generation;
use crate::seam::{GenerationWriter, Indexer, Origins};
use crate::sled_db::io;
use crate::sled_writer::SledWriter;
use crate::StoreError;
use govgraph_model::Limits;
use std::fmt;
use std::path::{Path, PathBuf};

/// The two files of a CSV import.
#[derive(Debug, Clone, Copy)]
pub struct CsvFiles<'a> {
    /// Entities: `id:ID`, `name`, `kind` or `:LABEL`, optionally `year:int`, `aliases:string[]`.
    pub nodes: &'a Path,
    /// Relations: `:START_ID`, `:END_ID`, `:TYPE`, `evidence`, optionally `id`,
    /// `since:int`, `until:int`, `evidence_sections:string[]`.
    pub relationships: &'a Path,
}

impl CsvFiles<'_> {
    /// The files, as a writer names them when an id repeats.
    pub fn origins(&self) -> Origins {
        Origins {
            entities: self.nodes.to_owned(),
            relations: self.relationships.to_owned(),
        }
    }
}

/// A CSV import that succeeded, and what it noticed without failing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvImport {
    /// The new generation's metadata.
    pub meta: Meta,
    /// Files that look cut off or hold no records, in file order.
    pub warnings: Vec<CsvWarning>,
}

/// Something odd about a CSV file that does not stop its import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvWarning {
    /// The CSV file.
    pub file: PathBuf,
    /// The line concerned (1-based; the header is line 1).
    pub line: u64,
    /// What is odd about it.
    pub message: String,
}

impl fmt::Display for CsvWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.message)
    }
}

/// Streams the CSV pair `files` into a new generation of the store at `path`
/// under the default [`Limits`] and makes it current; warnings are dropped (see
/// [`import_csv_with`]).
pub fn import_csv(
    path: &Path,
    files: CsvFiles<'_>,
    source: &str,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Meta, StoreError> {
    import_csv_with(path, files, source, &Limits::default(), None, progress).map(|done| done.meta)
}

/// Streams the CSV pair `files` into a new generation of the store at `path` and
/// makes it current. `progress(done, total)` is called per batch: reading the
/// files is its first half, sealing the generation (the sorted merge) the second.
/// An invalid record, or a field or record longer than `limits` allow, fails
/// with [`StoreError::Invalid`] naming its file and line, and leaves the store
/// unchanged. With an `indexer`, the generation also stores the persisted
/// index it builds from the records (see [`crate::Store::index`]).
pub fn import_csv_with(
    path: &Path,
    files: CsvFiles<'_>,
    source: &str,
    limits: &Limits,
    indexer: Option<Indexer<'_>>,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<CsvImport, StoreError> {
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).map_err(io("read", p));
    let total = size(files.nodes)? + size(files.relationships)?;
    let mut warnings = Vec::new();
    let origins = files.origins();
    let meta = with_new_generation(path, &mut |generation| {
        warnings.clear();
        let mut writer = SledWriter::create(generation, origins.clone(), indexer)?;
        let mut pass = writer::Pass {
            limits,
            warnings: &mut warnings,
            progress: &mut *progress,
            total,
        };
        writer::read_pair(&mut writer, files, &mut pass)?;
        // Sealing is the second half of the progress.
        writer.seal(source, &mut |done, records| {
            progress(total + done * total / records.max(1), 2 * total)
        })
    })?;
    Ok(CsvImport { meta, warnings })
}

/// Reads the CSV pair `files` into `writer` under `limits`, record by record,
/// with the checks of [`import_csv_with`], and returns the warnings; sealing
/// the writer is the caller's. This is the CSV side of the storage seam: the
/// writer may be a store's new generation or a [`crate::MemoryWriter`].
pub fn read_csv_into<W: GenerationWriter>(
    writer: &mut W,
    files: CsvFiles<'_>,
    limits: &Limits,
) -> Result<Vec<CsvWarning>, StoreError> {
    let mut warnings = Vec::new();
    let mut pass = writer::Pass {
        limits,
        warnings: &mut warnings,
        progress: &mut |_, _| {},
        total: 0,
    };
    writer::read_pair(writer, files, &mut pass)?;
    Ok(warnings)
}

/// Where a record went wrong.
fn invalid(file: &Path, line: u64, message: impl Into<String>) -> StoreError {
    StoreError::Invalid {
        file: file.to_owned(),
        line,
        message: message.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::reader::{FIELDS_PER_RECORD, READ_BUFFER};
    use super::*;
    use crate::Store;
    use govgraph_model::{EntityKind, Evidence};
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
                format!("{RELATIONSHIPS}country:AZE,law:none,RATIFIED,,,,1.1,1.1: b\n"),
                "relationships.csv:3: :END_ID: no entity has the id `law:none`",
            ),
            (
                NODES.to_owned(),
                format!("{RELATIONSHIPS}country:AZE,convention:crc,RATIFIED,,,,1.1,1.1: b\n"),
                "relationships.csv:3: duplicate",
            ),
            (
                NODES.to_owned(),
                format!("{RELATIONSHIPS}country:AZE,convention:crc,SUPPORTS,,,,,\n"),
                "relationships.csv:3: evidence: relation `country:AZE|SUPPORTS|convention:crc` has no evidence",
            ),
            // The rules a TOML data folder meets.
            (
                format!("{NODES}law:x,Law X,LAW,2101,,\n"),
                RELATIONSHIPS.to_owned(),
                "nodes.csv:4: year:int: `2101` is not a year (expected a whole number from 1800 to 2100)",
            ),
            (
                format!("{NODES}country:BRZ,Nowhere,COUNTRY,,,\n"),
                RELATIONSHIPS.to_owned(),
                "nodes.csv:4: id:ID: `BRZ` is not an ISO 3166-1 alpha-3 country code",
            ),
            (
                NODES.to_owned(),
                format!("{RELATIONSHIPS}country:AZE,convention:crc,SUPPORTS,,2010,2005,1.1,1.1: b\n"),
                "relationships.csv:3: until:int: until 2005 is before since 2010",
            ),
            (
                NODES.to_owned(),
                format!("{RELATIONSHIPS}country:AZE,convention:crc,SUPPORTS,,1799,,1.1,1.1: b\n"),
                "relationships.csv:3: since:int: `1799` is not a year",
            ),
            (
                NODES.to_owned(),
                format!("{RELATIONSHIPS}country:AZE,convention:crc,SUPPORTS,,,,Chapter 9,Chapter 9: b\n"),
                "relationships.csv:3: evidence_sections:string[]: unknown section `Chapter 9`",
            ),
            (
                NODES.to_owned(),
                format!("{RELATIONSHIPS}country:AZE,convention:crc,SUPPORTS,,,,,a quote\n"),
                "relationships.csv:3: evidence_sections:string[]: evidence names no section",
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

    /// Imports the pair under `limits` into a fresh store; the outcome as the
    /// CLI prints it: the warnings, or the error.
    fn outcome(nodes: &str, relationships: &str, limits: &Limits) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let (n, r) = write(dir.path(), nodes, relationships);
        let files = CsvFiles {
            nodes: &n,
            relationships: &r,
        };
        let db = dir.path().join("store");
        let folder = dir.path().display().to_string();
        let shorten = |s: String| s.replace(&folder, "DIR");
        match import_csv_with(&db, files, "x", limits, None, &mut |_, _| {}) {
            Ok(done) => done
                .warnings
                .iter()
                .map(|w| shorten(format!("warning: {w}")))
                .collect(),
            Err(error) => vec![shorten(error.to_string())],
        }
    }

    #[test]
    fn fields_and_records_above_the_limits_are_refused() {
        fn check(nodes: &str, expected: &str) {
            let limits = Limits {
                max_file_bytes: 1,
                max_field_bytes: 64,
            };
            assert_eq!(outcome(nodes, RELATIONSHIPS, &limits), [expected]);
        }
        let long = "n".repeat(100);
        check(
            &format!("{NODES}law:x,{long},LAW,,,\n"),
            &format!(
                "DIR/nodes.csv:4: name: `{}…` is 100 bytes long, more than the limit of 64 bytes",
                &long[..60]
            ),
        );
        check(
            &format!("{NODES}law:x,Law X,LAW,,X;{long},\n"),
            &format!("DIR/nodes.csv:4: aliases:string[]: `{}…` is 100 bytes long, more than the limit of 64 bytes", &long[..60]),
        );
        // An unclosed quote runs to the end of the file: without the bound the
        // whole rest would be read as one record.
        let rest = "x".repeat(3 << 20);
        check(
            &format!("{NODES}law:x,\"Law X,LAW,,,\n{rest}\n"),
            "DIR/nodes.csv:4: a record longer than 1024 bytes (the limit: 16 fields of at most 64 bytes); an unclosed quote?",
        );
    }

    #[test]
    fn files_larger_than_one_record_allowance_import() {
        let mut nodes = NODES.to_owned();
        for i in 0..25_000 {
            nodes.push_str(&format!("topic:t-{i},Topic number {i} of many,TOPIC,,,\n"));
        }
        assert!(nodes.len() > READ_BUFFER + 2 * 64 * FIELDS_PER_RECORD);
        let limits = Limits {
            max_file_bytes: 1,
            max_field_bytes: 64,
        };
        assert_eq!(
            outcome(&nodes, RELATIONSHIPS, &limits),
            Vec::<String>::new()
        );
    }

    #[test]
    fn header_only_and_cut_off_files_are_warned_about() {
        let limits = Limits::default();
        assert_eq!(
            outcome(NODES.trim_end(), RELATIONSHIPS, &limits),
            ["warning: DIR/nodes.csv:3: the file does not end with a newline: was it cut off?"]
        );
        let header = RELATIONSHIPS.lines().next().unwrap();
        assert_eq!(
            outcome(NODES, header, &limits),
            [
                "warning: DIR/relationships.csv:1: the file holds a header but no records",
                "warning: DIR/relationships.csv:1: the file does not end with a newline: was it cut off?",
            ]
        );
    }

    /// The seam: the same CSV pair read into memory and into a store gives the
    /// same records and the same fingerprint, which is also the fingerprint of
    /// the dataset read back, so no import path hashes differently.
    #[test]
    fn memory_and_store_generations_agree() {
        let dir = tempfile::tempdir().unwrap();
        let (n, r) = write(dir.path(), NODES, RELATIONSHIPS);
        let files = CsvFiles {
            nodes: &n,
            relationships: &r,
        };
        let mut memory = crate::MemoryWriter::new(files.origins());
        let warnings = read_csv_into(&mut memory, files, &Limits::default()).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        let in_memory = memory.seal("m", &mut |_, _| {}).unwrap();
        let db = dir.path().join("store");
        let meta = import_csv(&db, files, "s", &mut |_, _| {}).unwrap();
        let store = crate::Store::open(&db).unwrap();
        use crate::GenerationReader;
        assert_eq!(in_memory.dataset().unwrap(), store.dataset().unwrap());
        assert_eq!(in_memory.meta().fingerprint, meta.fingerprint);
        assert_eq!(
            crate::fingerprint(&store.dataset().unwrap()),
            meta.fingerprint
        );
        // The TOML path's writer, fed the dataset, seals the same fingerprint.
        let again = crate::write_dataset(
            crate::MemoryWriter::new(Origins::dataset()),
            &store.dataset().unwrap(),
            "d",
            &mut |_, _| {},
        )
        .unwrap();
        assert_eq!(again.meta().fingerprint, meta.fingerprint);
    }

    #[test]
    fn a_repeated_relation_id_names_both_lines_in_memory_too() {
        let dir = tempfile::tempdir().unwrap();
        let twice = format!(
            "{RELATIONSHIPS}country:AZE,convention:crc,RATIFIED,,1993,,Table 1,Table 1: Yes (1992)\n"
        );
        let (n, r) = write(dir.path(), NODES, &twice);
        let files = CsvFiles {
            nodes: &n,
            relationships: &r,
        };
        let mut memory = crate::MemoryWriter::new(files.origins());
        read_csv_into(&mut memory, files, &Limits::default()).unwrap();
        let error = memory.seal("m", &mut |_, _| {}).unwrap_err().to_string();
        let in_store = import_csv(&dir.path().join("store"), files, "s", &mut |_, _| {})
            .unwrap_err()
            .to_string();
        assert_eq!(error, in_store);
        assert!(
            error.contains("relationships.csv:3")
                && error.contains("duplicate relation id")
                && error.contains("first on line 2"),
            "{error}"
        );
    }
}
