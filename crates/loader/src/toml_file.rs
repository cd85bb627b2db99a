//! Reads one TOML data file into raw records, keeping the byte offset of every
//! field so that later checks can point at the exact place.
//!
//! We walk `toml_edit`'s span-preserving document by hand rather than derive
//! serde structs: serde stops at the first error of a file, and a curator
//! wants every unknown key, missing field and bad value of a file in one run.

use crate::problem::{LineIndex, Problem};
use govgraph_model::checks::{check_year, RecordViolation};
use govgraph_model::{relation_id, Entity, EntityKind, Evidence, Relation, RelationType};
use std::collections::{BTreeMap, HashMap};
use toml_edit::{ImDocument, InlineTable, Item, Key, Table};

/// An entity as read, with the offsets of its fields.
pub(crate) struct RawEntity {
    pub entity: Entity,
    pub at: Offsets,
}

/// A relation as read, with the offsets of its fields.
pub(crate) struct RawRelation {
    pub relation: Relation,
    pub at: Offsets,
    /// Offset of each evidence item's quote, in order.
    pub quote_at: Vec<usize>,
    /// Offset of each evidence item's section, in order.
    pub section_at: Vec<usize>,
}

/// Byte offsets of a record and of each field it has, by field name
/// (`attributes.<key>` for an attribute).
#[derive(Default)]
pub(crate) struct Offsets {
    pub record: usize,
    pub fields: HashMap<String, usize>,
}

impl Offsets {
    pub(crate) fn of(&self, field: &str) -> usize {
        self.fields.get(field).copied().unwrap_or(self.record)
    }
}

/// A data file being read: its text, where its lines start, and its problems so far.
pub(crate) struct FileReader<'a> {
    pub name: &'a str,
    pub text: &'a str,
    lines: LineIndex,
    pub problems: Vec<Problem>,
}

const ENTITY_KEYS: &[&str] = &["id", "kind", "name", "aliases", "year", "attributes"];
const RELATION_KEYS: &[&str] = &[
    "id", "type", "source", "target", "since", "until", "note", "evidence",
];
const EVIDENCE_KEYS: &[&str] = &["section", "quote"];

/// A table written either as `[header]` or `{ inline }`.
#[derive(Clone, Copy)]
enum Fields<'d> {
    Block(&'d Table),
    Inline(&'d InlineTable),
}

impl<'d> Fields<'d> {
    fn keys(self) -> Vec<&'d str> {
        match self {
            Fields::Block(t) => t.iter().map(|(k, _)| k).collect(),
            Fields::Inline(t) => t.iter().map(|(k, _)| k).collect(),
        }
    }

    fn get(self, key: &str) -> Option<(&'d Key, &'d Item)> {
        match self {
            Fields::Block(t) => t.get_key_value(key),
            Fields::Inline(t) => t.get_key_value(key),
        }
    }

    fn span_start(self) -> Option<usize> {
        match self {
            Fields::Block(t) => t.span().map(|s| s.start),
            Fields::Inline(t) => t.span().map(|s| s.start),
        }
    }
}

impl<'a> FileReader<'a> {
    pub(crate) fn new(name: &'a str, text: &'a str) -> Self {
        FileReader {
            name,
            text,
            lines: LineIndex::new(text),
            problems: Vec::new(),
        }
    }

    pub(crate) fn problem(
        &mut self,
        offset: usize,
        field: Option<&str>,
        message: impl Into<String>,
    ) {
        let (line, column) = self.lines.locate(self.text, offset);
        self.problems.push(Problem {
            file: self.name.to_owned(),
            line,
            column,
            field: field.map(str::to_owned),
            message: message.into(),
        });
    }

    /// Reads the whole file; records with problems are left out of the result.
    pub(crate) fn read(&mut self) -> (Vec<RawEntity>, Vec<RawRelation>) {
        let doc = match ImDocument::parse(self.text) {
            Ok(doc) => doc,
            Err(error) => {
                let offset = error.span().map_or(0, |s| s.start);
                let message = error.message().trim().to_owned();
                self.problem(offset, None, format!("not valid TOML: {message}"));
                return (Vec::new(), Vec::new());
            }
        };
        let root = doc.as_table();
        let mut entities = Vec::new();
        let mut relations = Vec::new();
        for key in Fields::Block(root).keys() {
            let Some((k, item)) = root.get_key_value(key) else {
                continue;
            };
            match key {
                "entity" => {
                    for table in self.record_tables(k, item, "entity") {
                        entities.extend(self.entity(table));
                    }
                }
                "relation" => {
                    for table in self.record_tables(k, item, "relation") {
                        relations.extend(self.relation(table));
                    }
                }
                other => {
                    let offset = key_offset(k, item);
                    self.problem(
                        offset,
                        Some(other),
                        format!("unknown key `{other}` (expected `[[entity]]` or `[[relation]]`)"),
                    );
                }
            }
        }
        (entities, relations)
    }

    fn record_tables<'d>(&mut self, key: &Key, item: &'d Item, what: &str) -> Vec<Fields<'d>> {
        if let Some(array) = item.as_array_of_tables() {
            return array.iter().map(Fields::Block).collect();
        }
        if let Some(array) = item.as_array() {
            let tables: Option<Vec<_>> = array
                .iter()
                .map(|v| v.as_inline_table().map(Fields::Inline))
                .collect();
            if let Some(tables) = tables {
                return tables;
            }
        }
        self.problem(
            key_offset(key, item),
            Some(what),
            format!("`{what}` must be an array of tables, written `[[{what}]]`"),
        );
        Vec::new()
    }

    fn check_keys(&mut self, fields: Fields<'_>, allowed: &[&str], context: &str) {
        for key in fields.keys() {
            if !allowed.contains(&key) {
                let offset = fields.get(key).map_or(0, |(k, i)| key_offset(k, i));
                self.problem(
                    offset,
                    Some(&format!("{context}.{key}")),
                    format!(
                        "unknown key `{key}` (expected one of: {})",
                        allowed.join(", ")
                    ),
                );
            }
        }
    }

    fn entity(&mut self, fields: Fields<'_>) -> Option<RawEntity> {
        let before = self.problems.len();
        let mut at = Offsets {
            record: fields.span_start().unwrap_or(0),
            ..Offsets::default()
        };
        self.check_keys(fields, ENTITY_KEYS, "entity");
        let id = self.required_str(fields, "id", "entity", &mut at);
        let kind = self
            .required_str(fields, "kind", "entity", &mut at)
            .and_then(|k| {
                k.parse::<EntityKind>()
                    .map_err(|e| self.problem(at.of("kind"), Some("entity.kind"), e.to_string()))
                    .ok()
            });
        let name = self.required_str(fields, "name", "entity", &mut at);
        let aliases = self.string_list(fields, "aliases", "entity", &mut at);
        let year = self.year(fields, "year", "entity", &mut at);
        let attributes = self.attributes(fields, &mut at);
        if self.problems.len() > before {
            return None;
        }
        let entity = Entity {
            id: id?,
            kind: kind?,
            name: name?,
            aliases,
            year,
            attributes,
        };
        Some(RawEntity { entity, at })
    }

    fn relation(&mut self, fields: Fields<'_>) -> Option<RawRelation> {
        let before = self.problems.len();
        let mut at = Offsets {
            record: fields.span_start().unwrap_or(0),
            ..Offsets::default()
        };
        self.check_keys(fields, RELATION_KEYS, "relation");
        let explicit_id = self.optional_str(fields, "id", "relation", &mut at);
        let ty = self
            .required_str(fields, "type", "relation", &mut at)
            .and_then(|t| {
                t.parse::<RelationType>()
                    .map_err(|e| self.problem(at.of("type"), Some("relation.type"), e.to_string()))
                    .ok()
            });
        let source = self.required_str(fields, "source", "relation", &mut at);
        let target = self.required_str(fields, "target", "relation", &mut at);
        let since = self.year(fields, "since", "relation", &mut at);
        let until = self.year(fields, "until", "relation", &mut at);
        self.optional_str(fields, "note", "relation", &mut at);
        let (evidence, quote_at, section_at) = self.evidence(fields, &mut at);
        if self.problems.len() > before {
            return None;
        }
        let (ty, source, target) = (ty?, source?, target?);
        let id = explicit_id.unwrap_or_else(|| relation_id(&source, ty, &target));
        let relation = Relation {
            id,
            ty,
            source,
            target,
            since,
            until,
            evidence,
        };
        Some(RawRelation {
            relation,
            at,
            quote_at,
            section_at,
        })
    }

    /// The evidence items, with the offsets of their quotes and of their sections.
    fn evidence(
        &mut self,
        fields: Fields<'_>,
        at: &mut Offsets,
    ) -> (Vec<Evidence>, Vec<usize>, Vec<usize>) {
        let Some((key, item)) = fields.get("evidence") else {
            self.problem(
                at.record,
                Some("relation.evidence"),
                "missing `evidence`: every relation cites the profile",
            );
            return (Vec::new(), Vec::new(), Vec::new());
        };
        at.fields
            .insert("evidence".to_owned(), key_offset(key, item));
        let tables = self.record_tables(key, item, "relation.evidence");
        if tables.is_empty() && (item.is_array() || item.is_array_of_tables()) {
            self.problem(
                key_offset(key, item),
                Some("relation.evidence"),
                "empty `evidence`: every relation cites the profile",
            );
        }
        let mut items = Vec::new();
        let mut quote_at = Vec::new();
        let mut section_at = Vec::new();
        for table in tables {
            let mut item_at = Offsets {
                record: table.span_start().unwrap_or(at.of("evidence")),
                ..Offsets::default()
            };
            self.check_keys(table, EVIDENCE_KEYS, "relation.evidence");
            let section = self.required_str(table, "section", "relation.evidence", &mut item_at);
            let quote = self.required_str(table, "quote", "relation.evidence", &mut item_at);
            if let (Some(section), Some(quote)) = (section, quote) {
                quote_at.push(item_at.of("quote"));
                section_at.push(item_at.of("section"));
                items.push(Evidence::new(section, quote));
            }
        }
        (items, quote_at, section_at)
    }

    fn required_str(
        &mut self,
        fields: Fields<'_>,
        key: &'static str,
        context: &str,
        at: &mut Offsets,
    ) -> Option<String> {
        if fields.get(key).is_none() {
            self.problem(
                at.record,
                Some(&format!("{context}.{key}")),
                format!("missing `{key}`"),
            );
            return None;
        }
        self.optional_str(fields, key, context, at)
    }

    fn optional_str(
        &mut self,
        fields: Fields<'_>,
        key: &'static str,
        context: &str,
        at: &mut Offsets,
    ) -> Option<String> {
        let (k, item) = fields.get(key)?;
        at.fields.insert(key.to_owned(), value_offset(k, item));
        match item.as_str() {
            Some(s) if !s.trim().is_empty() => Some(s.to_owned()),
            Some(_) => {
                self.problem(
                    value_offset(k, item),
                    Some(&format!("{context}.{key}")),
                    format!("`{key}` is empty"),
                );
                None
            }
            None => {
                let shown = shown(item);
                self.problem(
                    value_offset(k, item),
                    Some(&format!("{context}.{key}")),
                    format!("`{key}` must be a string, not `{shown}`"),
                );
                None
            }
        }
    }

    fn string_list(
        &mut self,
        fields: Fields<'_>,
        key: &'static str,
        context: &str,
        at: &mut Offsets,
    ) -> Vec<String> {
        let Some((k, item)) = fields.get(key) else {
            return Vec::new();
        };
        at.fields.insert(key.to_owned(), value_offset(k, item));
        let strings = item.as_array().and_then(|a| {
            a.iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
        });
        strings.unwrap_or_else(|| {
            self.problem(
                value_offset(k, item),
                Some(&format!("{context}.{key}")),
                format!("`{key}` must be a list of strings, not `{}`", shown(item)),
            );
            Vec::new()
        })
    }

    fn year(
        &mut self,
        fields: Fields<'_>,
        key: &'static str,
        context: &str,
        at: &mut Offsets,
    ) -> Option<i32> {
        let (k, item) = fields.get(key)?;
        at.fields.insert(key.to_owned(), value_offset(k, item));
        // The shared rule words the message, whether the value is out of range
        // or no whole number at all.
        let year = match item.as_integer() {
            Some(y) => check_year(y),
            None => Err(RecordViolation::Year { value: shown(item) }),
        };
        year.map_err(|violation| {
            self.problem(
                value_offset(k, item),
                Some(&format!("{context}.{key}")),
                violation.to_string(),
            )
        })
        .ok()
    }

    fn attributes(&mut self, fields: Fields<'_>, at: &mut Offsets) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        let Some((k, item)) = fields.get("attributes") else {
            return out;
        };
        at.fields
            .insert("attributes".to_owned(), value_offset(k, item));
        let table = match (item.as_table(), item.as_inline_table()) {
            (Some(t), _) => Fields::Block(t),
            (None, Some(t)) => Fields::Inline(t),
            _ => {
                self.problem(
                    value_offset(k, item),
                    Some("entity.attributes"),
                    "`attributes` must be a table of strings",
                );
                return out;
            }
        };
        for name in table.keys() {
            let Some((key, value)) = table.get(name) else {
                continue;
            };
            at.fields
                .insert(format!("attributes.{name}"), value_offset(key, value));
            match value.as_str() {
                Some(s) => {
                    out.insert(name.to_owned(), s.to_owned());
                }
                None => self.problem(
                    value_offset(key, value),
                    Some(&format!("entity.attributes.{name}")),
                    format!(
                        "attribute `{name}` must be a string, not `{}`",
                        shown(value)
                    ),
                ),
            }
        }
        out
    }
}

fn key_offset(key: &Key, item: &Item) -> usize {
    key.span().or_else(|| item.span()).map_or(0, |s| s.start)
}

fn value_offset(key: &Key, item: &Item) -> usize {
    item.span().or_else(|| key.span()).map_or(0, |s| s.start)
}

/// A short rendering of a value for messages.
fn shown(item: &Item) -> String {
    let text = item.to_string();
    let text = text.trim();
    let mut short: String = text.chars().take(40).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    short
}
