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

use crate::generation::Meta;
use crate::import::{seal, with_new_generation, BATCH};
use crate::layout::{self, *};
use crate::sled_db::{encode, import_config, io, open_sled, sled_err};
use crate::sorted_runs::SortedRuns;
use crate::StoreError;
use govgraph_model::checks::{check_entity, check_relation, parse_year, Field, Finding};
use govgraph_model::{
    check_domain_range, relation_id, text::fold, Entity, EntityKind, Evidence, Limits, Relation,
    RelationType,
};
use std::cell::Cell;
use std::collections::HashMap;
use std::fmt;
use std::io::{Read, Seek};
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// The csv reader's buffer: it reads this much ahead of the record it parses.
const READ_BUFFER: usize = 1 << 20;

/// How many fields' worth of bytes one record may hold: a record has eight
/// columns at most in govgraph's layout, and a cell of aliases or evidence
/// items may hold several fields.
const FIELDS_PER_RECORD: usize = 16;

/// The two files of a CSV import.
#[derive(Debug, Clone, Copy)]
pub struct CsvFiles<'a> {
    /// Entities: `id:ID`, `name`, `kind` or `:LABEL`, optionally `year:int`, `aliases:string[]`.
    pub nodes: &'a Path,
    /// Relations: `:START_ID`, `:END_ID`, `:TYPE`, `evidence`, optionally `id`,
    /// `since:int`, `until:int`, `evidence_sections:string[]`.
    pub relationships: &'a Path,
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
    import_csv_with(path, files, source, &Limits::default(), progress).map(|done| done.meta)
}

/// Streams the CSV pair `files` into a new generation of the store at `path` and
/// makes it current. `progress(done, total)` is called per batch: reading the
/// files is its first half, writing the sorted trees the second.
/// An invalid record, or a field or record longer than `limits` allow, fails
/// with [`StoreError::Invalid`] naming its file and line, and leaves the store
/// unchanged.
pub fn import_csv_with(
    path: &Path,
    files: CsvFiles<'_>,
    source: &str,
    limits: &Limits,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<CsvImport, StoreError> {
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).map_err(io("read", p));
    let total = size(files.nodes)? + size(files.relationships)?;
    let mut warnings = Vec::new();
    let meta = with_new_generation(path, &mut |generation| {
        warnings.clear();
        write_csv_generation(
            generation,
            files,
            source,
            total,
            limits,
            &mut warnings,
            progress,
        )
    })?;
    Ok(CsvImport { meta, warnings })
}

/// Where a record went wrong.
fn invalid(file: &Path, line: u64, message: impl Into<String>) -> StoreError {
    StoreError::Invalid {
        file: file.to_owned(),
        line,
        message: message.into(),
    }
}

/// The error a [`Bounded`] reader gives when a record runs past its allowance.
#[derive(Debug)]
struct RecordTooLong;

impl fmt::Display for RecordTooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a record longer than the limit")
    }
}

impl std::error::Error for RecordTooLong {}

/// A file handed to the csv reader at most up to an offset that the import
/// moves forward after each complete record.
struct Bounded<R> {
    inner: R,
    /// Bytes handed out so far.
    handed: u64,
    /// The offset not to read past.
    until: Rc<Cell<u64>>,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let room = self.until.get().saturating_sub(self.handed);
        // The csv reader asks for more only once it has parsed all it was
        // handed, so an exhausted allowance means one record that long.
        if room == 0 && !buf.is_empty() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                RecordTooLong,
            ));
        }
        let len = buf.len().min(usize::try_from(room).unwrap_or(usize::MAX));
        let read = self.inner.read(&mut buf[..len])?;
        self.handed += read as u64;
        Ok(read)
    }
}

/// A CSV file being read record by record, within its record allowance.
struct CsvReader<'a> {
    file: &'a Path,
    csv: csv::Reader<Bounded<std::fs::File>>,
    until: Rc<Cell<u64>>,
    /// The longest record allowed, in bytes.
    max_record: u64,
    /// Whether the file ends with a newline (an empty file counts as ending well).
    ends_with_newline: bool,
    /// Records read so far, the line the last one started on, and the line
    /// the next one starts on.
    records: u64,
    last_line: u64,
    next_line: u64,
}

impl<'a> CsvReader<'a> {
    fn open(file: &'a Path, limits: &Limits) -> Result<Self, StoreError> {
        let mut handle = std::fs::File::open(file).map_err(io("open", file))?;
        let ends_with_newline = ends_with_newline(&mut handle).map_err(io("read", file))?;
        let max_record = (limits.max_field_bytes as u64).saturating_mul(FIELDS_PER_RECORD as u64);
        let until = Rc::new(Cell::new(max_record.saturating_add(READ_BUFFER as u64)));
        let bounded = Bounded {
            inner: handle,
            handed: 0,
            until: Rc::clone(&until),
        };
        let csv = csv::ReaderBuilder::new()
            .has_headers(true)
            .buffer_capacity(READ_BUFFER)
            .from_reader(bounded);
        Ok(CsvReader {
            file,
            csv,
            until,
            max_record,
            ends_with_newline,
            records: 0,
            last_line: 1,
            next_line: 1,
        })
    }

    fn headers(&mut self) -> Result<csv::StringRecord, StoreError> {
        let headers = match self.csv.headers() {
            Ok(headers) => headers.clone(),
            Err(e) => return Err(self.problem(&e)),
        };
        self.allow_next();
        Ok(headers)
    }

    /// Reads the next record into `record`; false at the end of the file.
    fn next(&mut self, record: &mut csv::StringRecord) -> Result<bool, StoreError> {
        if !self.csv.read_record(record).map_err(|e| self.problem(&e))? {
            return Ok(false);
        }
        self.records += 1;
        self.last_line = record.position().map_or(0, csv::Position::line);
        self.allow_next();
        Ok(true)
    }

    /// Lets the reader fill its buffer and read one more record of the longest size.
    fn allow_next(&mut self) {
        // Read here, between records: the reader's position moves on while
        // it parses one.
        self.next_line = self.csv.position().line();
        let next = self.csv.position().byte();
        self.until.set(
            next.saturating_add(READ_BUFFER as u64)
                .saturating_add(self.max_record),
        );
    }

    /// A CSV error as a located problem.
    fn problem(&self, error: &csv::Error) -> StoreError {
        if let csv::ErrorKind::Io(io) = error.kind() {
            if io.get_ref().is_some_and(|e| e.is::<RecordTooLong>()) {
                return invalid(
                    self.file,
                    self.next_line,
                    format!(
                        "a record longer than {} bytes (the limit: {FIELDS_PER_RECORD} fields of at most {} bytes); an unclosed quote?",
                        self.max_record,
                        self.max_record / FIELDS_PER_RECORD as u64
                    ),
                );
            }
        }
        csv_problem(self.file, error)
    }

    /// Warnings about a file that was read to its end: one that holds a header
    /// but no record, or does not end with a newline.
    fn warnings(&self, into: &mut Vec<CsvWarning>) {
        let mut warn = |line: u64, message: &str| {
            into.push(CsvWarning {
                file: self.file.to_owned(),
                line,
                message: message.to_owned(),
            })
        };
        if self.records == 0 {
            warn(1, "the file holds a header but no records");
        }
        if !self.ends_with_newline {
            warn(
                self.last_line,
                "the file does not end with a newline: was it cut off?",
            );
        }
    }
}

/// Whether the file's last byte is a newline, read without reading the rest;
/// the file is left at its start.
fn ends_with_newline(file: &mut std::fs::File) -> std::io::Result<bool> {
    if file.metadata()?.len() == 0 {
        return Ok(true);
    }
    file.seek(std::io::SeekFrom::End(-1))?;
    let mut last = [0u8];
    file.read_exact(&mut last)?;
    file.rewind()?;
    Ok(last[0] == b'\n')
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

/// A year cell: empty, or a year of the shared range.
fn optional_year(
    file: &Path,
    line: u64,
    column: &str,
    value: &str,
) -> Result<Option<i32>, StoreError> {
    if value.is_empty() {
        return Ok(None);
    }
    parse_year(value)
        .map(Some)
        .map_err(|e| invalid(file, line, format!("{column}: {e}")))
}

/// The first shared-rule finding of a record, as a problem naming the column
/// it was read from.
fn first_finding(
    file: &Path,
    line: u64,
    findings: Vec<Finding>,
    column: impl Fn(&Field) -> String,
) -> Result<(), StoreError> {
    match findings.into_iter().next() {
        None => Ok(()),
        Some(Finding { field, violation }) => Err(invalid(
            file,
            line,
            format!("{}: {violation}", column(&field)),
        )),
    }
}

/// The header of column `index`, or `fallback` when the file has no such column.
fn header(headers: &csv::StringRecord, index: Option<usize>, fallback: &str) -> String {
    index
        .and_then(|i| headers.get(i))
        .map_or_else(|| fallback.to_owned(), |h| h.trim().to_owned())
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
    limits: &Limits,
    warnings: &mut Vec<CsvWarning>,
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
    let mut nodes = CsvReader::open(file, limits)?;
    let headers = nodes.headers()?;
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
    let entity_column = |field: &Field| match field {
        Field::Name => header(&headers, name_col, "name"),
        Field::Alias(_) => header(&headers, alias_col, "aliases"),
        Field::Year => header(&headers, year_col, "year"),
        _ => header(&headers, Some(id_col), "id:ID"),
    };
    let mut kinds: HashMap<String, EntityKind> = HashMap::new();
    let mut record = csv::StringRecord::new();
    let mut in_batch = 0usize;
    while nodes.next(&mut record)? {
        let line = record.position().map_or(0, csv::Position::line);
        let id = cell(&record, Some(id_col));
        let kind = parse_kind(cell(&record, kind_col), cell(&record, label_col))
            .ok_or_else(|| invalid(file, line, format!("entity `{id}` has no known kind")))?;
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
            year: optional_year(
                file,
                line,
                &entity_column(&Field::Year),
                cell(&record, year_col),
            )?,
            attributes: Default::default(),
        };
        first_finding(file, line, check_entity(&entity, limits), entity_column)?;
        if kinds.insert(entity.id.clone(), kind).is_some() {
            return Err(invalid(file, line, format!("duplicate entity id `{id}`")));
        }
        let bytes = encode(&entity);
        hasher.update(&bytes);
        for name in std::iter::once(&entity.name).chain(&entity.aliases) {
            name_runs.push(layout::name_key(&fold(name), &entity.id), Vec::new(), line)?;
        }
        entity_runs.push(entity.id.into_bytes(), bytes, line)?;
        crate::fault::point();
        in_batch += 1;
        if in_batch == BATCH {
            in_batch = 0;
            progress(nodes.csv.position().byte(), 2 * total);
        }
    }
    nodes.warnings(warnings);
    let nodes_bytes = nodes.csv.position().byte();
    progress(nodes_bytes, 2 * total);

    // Relationships.
    let file = files.relationships;
    let mut rels = CsvReader::open(file, limits)?;
    let headers = rels.headers()?;
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
    let relation_column = |field: &Field| match field {
        Field::Source => header(&headers, Some(start_col), ":START_ID"),
        Field::Target => header(&headers, Some(end_col), ":END_ID"),
        Field::Since => header(&headers, since_col, "since"),
        Field::Until => header(&headers, until_col, "until"),
        Field::Section(_) => header(&headers, sections_col, "evidence_sections"),
        Field::Evidence | Field::Quote(_) => header(&headers, evidence_col, "evidence"),
        _ => header(&headers, id_col, "id"),
    };
    let (mut relation_runs, mut out_runs, mut in_runs) = (
        SortedRuns::new(&spill, RELATIONS),
        SortedRuns::new(&spill, OUTGOING),
        SortedRuns::new(&spill, INCOMING),
    );
    let mut in_batch = 0usize;
    while rels.next(&mut record)? {
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
            since: optional_year(
                file,
                line,
                &relation_column(&Field::Since),
                cell(&record, since_col),
            )?,
            until: optional_year(
                file,
                line,
                &relation_column(&Field::Until),
                cell(&record, until_col),
            )?,
            evidence: parse_evidence(cell(&record, sections_col), cell(&record, evidence_col)),
            id,
            ty,
            source: start.to_owned(),
            target: end.to_owned(),
        };
        // A CSV pair names no profile: section labels are checked for their form.
        first_finding(
            file,
            line,
            check_relation(&relation, None, limits),
            relation_column,
        )?;
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
        crate::fault::point();
        in_batch += 1;
        if in_batch == BATCH {
            in_batch = 0;
            progress(nodes_bytes + rels.csv.position().byte(), 2 * total);
        }
    }
    rels.warnings(warnings);

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
        crate::fault::point();
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
    crate::fault::last_point();
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
/// An item without a section keeps an empty one, which the shared rules refuse.
fn parse_evidence(sections: &str, evidence: &str) -> Vec<Evidence> {
    if evidence.is_empty() {
        return Vec::new();
    }
    let sections: Vec<&str> = sections.split(';').map(str::trim).collect();
    let items: Vec<&str> = evidence.split(" | ").collect();
    if items.len() != sections.len() {
        // The pairing is unclear: keep the text whole.
        let section = sections.first().copied().unwrap_or_default();
        return vec![Evidence::new(section, evidence)];
    }
    items
        .iter()
        .zip(&sections)
        .map(|(item, section)| {
            let quote = item
                .strip_prefix(section)
                .and_then(|r| r.strip_prefix(": "))
                .unwrap_or(item);
            Evidence::new(*section, quote)
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
                format!("{RELATIONSHIPS}country:AZE,law:none,RATIFIED,,,,1.1,1.1: b\n"),
                "relationships.csv:3: unknown entity",
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
        match import_csv_with(&db, files, "x", limits, &mut |_, _| {}) {
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
}
