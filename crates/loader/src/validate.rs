//! Cross-file checks: ids, references, domain/range rules, evidence.

use crate::problem::{Problem, Problems};
use crate::source::DataFile;
use crate::toml_file::{FileReader, RawEntity, RawRelation};
use govgraph_model::text::normalize_markdown;
use govgraph_model::{check_domain_range, check_entity_id, Dataset, EntityKind};
use std::collections::HashMap;

/// The profile text that quotes are checked against, normalised once.
pub struct Profile {
    normalized: String,
}

impl Profile {
    /// Prepares the profile's markdown for verbatim checks.
    pub fn new(markdown: &str) -> Self {
        Profile {
            normalized: normalize_markdown(markdown),
        }
    }

    /// Whether `quote` occurs in the profile, after normalising both sides.
    pub fn contains(&self, quote: &str) -> bool {
        let quote = normalize_markdown(quote);
        !quote.is_empty() && self.normalized.contains(&quote)
    }
}

/// Where a record was read: which file, and a located reader to report into.
struct Located<T> {
    file: usize,
    raw: T,
}

/// Loads and validates every file; returns the dataset only if no problem was found.
pub fn load(files: &[DataFile], profile: Option<&Profile>) -> Result<Dataset, Problems> {
    let texts: Vec<Result<&str, usize>> = files
        .iter()
        .map(|f| std::str::from_utf8(&f.bytes).map_err(|e| e.valid_up_to()))
        .collect();
    let mut readers: Vec<FileReader<'_>> = files
        .iter()
        .zip(&texts)
        .map(|(f, t)| FileReader::new(&f.name, t.as_ref().copied().unwrap_or("")))
        .collect();
    let mut entities = Vec::new();
    let mut relations = Vec::new();
    for (index, (reader, text)) in readers.iter_mut().zip(&texts).enumerate() {
        match text {
            Ok(_) => {
                let (e, r) = reader.read();
                entities.extend(e.into_iter().map(|raw| Located { file: index, raw }));
                relations.extend(r.into_iter().map(|raw| Located { file: index, raw }));
            }
            Err(valid_up_to) => {
                let bytes = &files[index].bytes[..*valid_up_to];
                let line = bytes.iter().filter(|b| **b == b'\n').count() + 1;
                let column = bytes.iter().rev().take_while(|b| **b != b'\n').count() + 1;
                reader.problems.push(Problem {
                    file: files[index].name.clone(),
                    line,
                    column,
                    field: None,
                    message: format!("not UTF-8: invalid byte at offset {valid_up_to}"),
                });
            }
        }
    }
    let kinds = check_entities(&entities, &mut readers);
    check_relations(&relations, &kinds, profile, &mut readers);
    let problems: Vec<Problem> = readers.into_iter().flat_map(|r| r.problems).collect();
    if !problems.is_empty() {
        return Err(Problems(problems));
    }
    let mut dataset = Dataset {
        entities: entities.into_iter().map(|l| l.raw.entity).collect(),
        relations: relations.into_iter().map(|l| l.raw.relation).collect(),
        profiles: Vec::new(),
    };
    dataset.canonicalize();
    Ok(dataset)
}

/// Checks ids and country codes; returns the kind of every entity id.
fn check_entities(
    entities: &[Located<RawEntity>],
    readers: &mut [FileReader<'_>],
) -> HashMap<String, EntityKind> {
    let mut first_seen: HashMap<&str, (usize, usize)> = HashMap::new();
    let mut kinds = HashMap::new();
    for Located { file, raw } in entities {
        let entity = &raw.entity;
        let at = raw.at.of("id");
        if let Err(e) = check_entity_id(&entity.id, entity.kind) {
            readers[*file].problem(at, Some("entity.id"), e.to_string());
        }
        if let Some((other_file, other_at)) = first_seen.get(entity.id.as_str()).copied() {
            let (line, _) = line_of(&readers[other_file], other_at);
            let where_ = format!("{}:{line}", readers[other_file].name);
            readers[*file].problem(
                at,
                Some("entity.id"),
                format!("duplicate id `{}` (first defined at {where_})", entity.id),
            );
        } else {
            first_seen.insert(&entity.id, (*file, at));
        }
        if entity.kind == EntityKind::Country {
            check_country(raw, &mut readers[*file]);
        }
        kinds.insert(entity.id.clone(), entity.kind);
    }
    kinds
}

fn line_of(reader: &FileReader<'_>, offset: usize) -> (usize, usize) {
    crate::problem::LineIndex::new(reader.text).locate(reader.text, offset)
}

/// A country's id must carry a real ISO 3166-1 alpha-3 code, and `attributes.iso3` must agree.
fn check_country(raw: &RawEntity, reader: &mut FileReader<'_>) {
    let entity = &raw.entity;
    let code = entity.id.strip_prefix("country:").unwrap_or_default();
    if code.len() == 3
        && celes::Country::from_alpha3(code).is_err()
        && !govgraph_model::is_user_assigned_code(code)
    {
        reader.problem(
            raw.at.of("id"),
            Some("entity.id"),
            format!("`{code}` is not an ISO 3166-1 alpha-3 country code (nor a user-assigned one: AAA–AAZ, QMA–QZZ, XAA–XZZ, ZZA–ZZZ)"),
        );
    }
    if let Some(iso3) = entity.attributes.get("iso3") {
        if iso3 != code {
            reader.problem(
                raw.at.of("attributes.iso3"),
                Some("entity.attributes.iso3"),
                format!("iso3 `{iso3}` does not match the id `{}`", entity.id),
            );
        }
    }
}

fn check_relations(
    relations: &[Located<RawRelation>],
    kinds: &HashMap<String, EntityKind>,
    profile: Option<&Profile>,
    readers: &mut [FileReader<'_>],
) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for Located { file, raw } in relations {
        let relation = &raw.relation;
        let reader = &mut readers[*file];
        if seen.insert(&relation.id, *file).is_some() {
            reader.problem(
                raw.at.record,
                Some("relation.id"),
                format!("duplicate relation `{}`: merge the evidence into one relation, or give each an explicit `id`", relation.id),
            );
        }
        let source = kinds.get(&relation.source);
        let target = kinds.get(&relation.target);
        if source.is_none() {
            reader.problem(
                raw.at.of("source"),
                Some("relation.source"),
                format!("no entity has the id `{}`", relation.source),
            );
        }
        if target.is_none() {
            reader.problem(
                raw.at.of("target"),
                Some("relation.target"),
                format!("no entity has the id `{}`", relation.target),
            );
        }
        if let (Some(s), Some(t)) = (source, target) {
            if let Err(violation) = check_domain_range(relation.ty, *s, *t) {
                let field = match violation {
                    govgraph_model::RuleViolation::Source { .. } => "source",
                    govgraph_model::RuleViolation::Target { .. } => "target",
                };
                let message = format!(
                    "{violation}: `{}`",
                    if field == "source" {
                        &relation.source
                    } else {
                        &relation.target
                    }
                );
                reader.problem(
                    raw.at.of(field),
                    Some(&format!("relation.{field}")),
                    message,
                );
            }
        }
        for (evidence, at) in relation.evidence.iter().zip(&raw.quote_at) {
            if !is_section_label(&evidence.section) {
                reader.problem(
                    *at,
                    Some("relation.evidence.section"),
                    format!("unknown section `{}`", evidence.section),
                );
            }
            if let Some(profile) = profile {
                if !profile.contains(&evidence.quote) {
                    let short: String = evidence.quote.chars().take(60).collect();
                    reader.problem(
                        *at,
                        Some("relation.evidence.quote"),
                        format!("quote is not verbatim in the profile: \"{short}…\""),
                    );
                }
            }
        }
    }
}

/// Section labels of an MGI profile: "Summary", "2.1", "Footnote 20", …
pub(crate) fn is_section_label(label: &str) -> bool {
    const NAMED: &[&str] = &[
        "Introduction",
        "Summary",
        "Context",
        "Table 1",
        "After the MGI assessment",
        "Annex",
        "Key sources",
    ];
    if NAMED.contains(&label) {
        return true;
    }
    if let Some(n) = label.strip_prefix("Footnote ") {
        return !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit());
    }
    let bytes = label.as_bytes();
    bytes.len() == 3
        && (b'1'..=b'9').contains(&bytes[0])
        && bytes[1] == b'.'
        && bytes[2].is_ascii_digit()
}
