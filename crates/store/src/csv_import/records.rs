//! From CSV records to the model's entities and relations: columns found by
//! header name, cells parsed and checked by the shared record rules, each
//! problem named by its file, line and column.

use super::invalid;
use crate::StoreError;
use govgraph_model::checks::{check_entity, check_relation, parse_year, Ends, Field, Finding};
use govgraph_model::{relation_id, Entity, EntityKind, Evidence, Limits, Relation, RelationType};
use std::collections::HashMap;
use std::path::Path;

/// Where the fields of an entity are in `nodes.csv`.
pub(super) struct NodeColumns<'a> {
    file: &'a Path,
    headers: csv::StringRecord,
    id: usize,
    name: Option<usize>,
    kind: Option<usize>,
    label: Option<usize>,
    year: Option<usize>,
    aliases: Option<usize>,
}

impl<'a> NodeColumns<'a> {
    /// Finds the columns by header; an `id:ID` column and a `kind` or `:LABEL` one are required.
    pub(super) fn new(file: &'a Path, headers: csv::StringRecord) -> Result<Self, StoreError> {
        let columns = Columns::new(&headers);
        let id = columns
            .find_suffix(":ID")
            .ok_or_else(|| invalid(file, 1, "the header has no `id:ID` column"))?;
        let (kind, label) = (columns.find("kind"), columns.find(":LABEL"));
        if kind.is_none() && label.is_none() {
            return Err(invalid(
                file,
                1,
                "the header has neither `kind` nor `:LABEL`",
            ));
        }
        Ok(NodeColumns {
            file,
            id,
            name: columns.find("name"),
            kind,
            label,
            year: columns.find("year"),
            aliases: columns.find("aliases"),
            headers,
        })
    }

    /// The entity of `record`, read from `line`, checked by the shared rules.
    pub(super) fn entity(
        &self,
        record: &csv::StringRecord,
        line: u64,
        limits: &Limits,
    ) -> Result<Entity, StoreError> {
        let file = self.file;
        let id = cell(record, Some(self.id));
        let kind = parse_kind(cell(record, self.kind), cell(record, self.label))
            .ok_or_else(|| invalid(file, line, format!("entity `{id}` has no known kind")))?;
        let name = cell(record, self.name);
        if name.is_empty() {
            return Err(invalid(file, line, format!("entity `{id}` has no name")));
        }
        let entity = Entity {
            id: id.to_owned(),
            kind,
            name: name.to_owned(),
            aliases: cell(record, self.aliases)
                .split(';')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_owned)
                .collect(),
            year: optional_year(
                file,
                line,
                &self.column(&Field::Year),
                cell(record, self.year),
            )?,
            attributes: Default::default(),
        };
        first_finding(file, line, check_entity(&entity, limits), |f| {
            self.column(f)
        })?;
        Ok(entity)
    }

    /// The header of the column `field` is read from.
    fn column(&self, field: &Field) -> String {
        match field {
            Field::Name => header(&self.headers, self.name, "name"),
            Field::Alias(_) => header(&self.headers, self.aliases, "aliases"),
            Field::Year => header(&self.headers, self.year, "year"),
            _ => header(&self.headers, Some(self.id), "id:ID"),
        }
    }
}

/// Where the fields of a relation are in `relationships.csv`.
pub(super) struct RelationshipColumns<'a> {
    file: &'a Path,
    headers: csv::StringRecord,
    start: usize,
    end: usize,
    ty: usize,
    id: Option<usize>,
    since: Option<usize>,
    until: Option<usize>,
    sections: Option<usize>,
    evidence: Option<usize>,
}

impl<'a> RelationshipColumns<'a> {
    /// Finds the columns by header; `:START_ID`, `:END_ID` and `:TYPE` are required.
    pub(super) fn new(file: &'a Path, headers: csv::StringRecord) -> Result<Self, StoreError> {
        let columns = Columns::new(&headers);
        let required = |name: &str| {
            columns
                .find(name)
                .ok_or_else(|| invalid(file, 1, format!("the header has no `{name}` column")))
        };
        Ok(RelationshipColumns {
            file,
            start: required(":START_ID")?,
            end: required(":END_ID")?,
            ty: required(":TYPE")?,
            id: columns.0.get("id").copied(),
            since: columns.find("since"),
            until: columns.find("until"),
            sections: columns.find("evidence_sections"),
            evidence: columns.0.get("evidence").copied(),
            headers,
        })
    }

    /// The relation of `record`, read from `line`, checked by the shared rules,
    /// its ends against `ends` (every entity read before).
    pub(super) fn relation(
        &self,
        record: &csv::StringRecord,
        line: u64,
        ends: &Ends,
        limits: &Limits,
    ) -> Result<Relation, StoreError> {
        let file = self.file;
        let (start, end) = (cell(record, Some(self.start)), cell(record, Some(self.end)));
        let ty: RelationType = cell(record, Some(self.ty))
            .parse()
            .map_err(|e: govgraph_model::ParseKindError| invalid(file, line, e.to_string()))?;
        let id = match cell(record, self.id) {
            "" => relation_id(start, ty, end),
            given => given.to_owned(),
        };
        let year = |field: Field, column: Option<usize>| {
            optional_year(file, line, &self.column(&field), cell(record, column))
        };
        let relation = Relation {
            since: year(Field::Since, self.since)?,
            until: year(Field::Until, self.until)?,
            evidence: parse_evidence(cell(record, self.sections), cell(record, self.evidence)),
            id,
            ty,
            source: start.to_owned(),
            target: end.to_owned(),
        };
        first_finding(file, line, ends.check(&relation), |f| self.column(f))?;
        // A CSV pair names no profile: section labels are checked for their form.
        first_finding(file, line, check_relation(&relation, None, limits), |f| {
            self.column(f)
        })?;
        Ok(relation)
    }

    /// The header of the column `field` is read from.
    fn column(&self, field: &Field) -> String {
        let headers = &self.headers;
        match field {
            Field::Source => header(headers, Some(self.start), ":START_ID"),
            Field::Target => header(headers, Some(self.end), ":END_ID"),
            Field::Since => header(headers, self.since, "since"),
            Field::Until => header(headers, self.until, "until"),
            Field::Section(_) => header(headers, self.sections, "evidence_sections"),
            Field::Evidence | Field::Quote(_) => header(headers, self.evidence, "evidence"),
            _ => header(headers, self.id, "id"),
        }
    }
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

/// The trimmed text of `column` in `record`; empty when the file has no such column.
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
