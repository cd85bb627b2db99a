//! The record-level rules every import path applies, so that a TOML data folder
//! and a bulk CSV pair are held to the same standard: the years a record may
//! carry, a period's order, evidence section labels (their syntax, and that the
//! profile at hand has them), country codes and the size of every field.
//!
//! Rules that join records, the same on every path too, are [`Ends`]': each
//! entity id once, and each relation's ends known entities of kinds its type
//! allows.
//!
//! Each rule returns a typed [`RecordViolation`]; [`check_entity`] and
//! [`check_relation`] apply all of them to one record and say which [`Field`]
//! each finding concerns, and the caller locates it its own way (a TOML file's
//! line and field, a CSV file's line and column).

use crate::{check_entity_id, is_user_assigned_code, Entity, EntityKind, IdError, Relation};
use std::collections::{BTreeSet, HashMap};
use std::ops::RangeInclusive;

/// The years an entity or a relation may carry; anything outside is a typing
/// mistake, not a date of governance. Profile readers use the same range.
pub const YEARS: RangeInclusive<i32> = 1800..=2100;

/// The named sections of the MGI template, spelled as evidence cites them.
/// The numbered key-finding sections ("1.1" … "6.3") are cited by their numbers.
pub const NAMED_SECTIONS: &[&str] = &[
    "Introduction",
    "Summary",
    "Context",
    "After the MGI assessment",
    "Annex",
    "Key sources",
];

/// The label evidence gives Table 1, the table of conventions ratified.
pub const TABLE_1: &str = "Table 1";

/// How the label of a footnote starts: "Footnote 20".
pub const FOOTNOTE_PREFIX: &str = "Footnote ";

/// How many bytes of an offending value a message quotes.
const SHOWN_BYTES: usize = 60;

/// Size limits on imported data, checked before a large value is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest data file that is read whole (TOML), in bytes. A streamed
    /// CSV file is not bounded as a whole, only record by record.
    pub max_file_bytes: u64,
    /// The longest field (id, name, alias, attribute, section, quote), in bytes.
    pub max_field_bytes: usize,
}

impl Limits {
    /// 16 MiB per data file, 64 KiB per field: the default dataset's largest
    /// file is a few dozen KiB and its longest quote a few hundred bytes.
    pub const DEFAULT: Limits = Limits {
        max_file_bytes: 16 << 20,
        max_field_bytes: 64 << 10,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// The section labels one profile actually has: its named and numbered
/// sections, Table 1 when it has it, and its footnotes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sections(BTreeSet<String>);

impl Sections {
    /// Whether the profile has a section labelled `label`.
    pub fn contains(&self, label: &str) -> bool {
        self.0.contains(label)
    }

    /// The labels, in byte order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }

    /// How many labels there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<S: Into<String>> FromIterator<S> for Sections {
    fn from_iter<I: IntoIterator<Item = S>>(labels: I) -> Self {
        Sections(labels.into_iter().map(Into::into).collect())
    }
}

/// A record that breaks one of the shared rules.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordViolation {
    /// An entity id that does not follow the id conventions.
    #[error(transparent)]
    Id(#[from] IdError),
    /// A year outside [`YEARS`], or a value that is not a whole number.
    #[error(
        "`{value}` is not a year (expected a whole number from {} to {})",
        YEARS.start(),
        YEARS.end()
    )]
    Year {
        /// The offending value as written.
        value: String,
    },
    /// A period that ends before it starts.
    #[error("until {until} is before since {since}")]
    Period {
        /// The first year.
        since: i32,
        /// The last year, earlier than `since`.
        until: i32,
    },
    /// An evidence item without a section.
    #[error("evidence names no section (expected a label such as `2.1`, `Summary`, `Table 1` or `Footnote 20`)")]
    NoSection,
    /// A section label no MGI profile has.
    #[error("unknown section `{label}`")]
    Section {
        /// The offending label.
        label: String,
    },
    /// A well-formed section label that the profile at hand does not have.
    #[error(
        "unknown section `{label}`: the profile has no section, table or footnote with that label"
    )]
    NotInProfile {
        /// The offending label.
        label: String,
    },
    /// A country code that is neither ISO 3166-1 alpha-3 nor in a user-assigned range.
    #[error("`{code}` is not an ISO 3166-1 alpha-3 country code (nor a user-assigned one: AAA–AAZ, QMA–QZZ, XAA–XZZ, ZZA–ZZZ)")]
    CountryCode {
        /// The offending code.
        code: String,
    },
    /// A country's `iso3` attribute that names another code than its id.
    #[error("iso3 `{iso3}` does not match the id `{id}`")]
    Iso3 {
        /// The attribute's value.
        iso3: String,
        /// The country's id.
        id: String,
    },
    /// A field longer than [`Limits::max_field_bytes`].
    #[error("`{start}` is {len} bytes long, more than the limit of {max} bytes")]
    TooLong {
        /// The value's first bytes, for finding it.
        start: String,
        /// Its length in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A quote that is empty or only white space.
    #[error("empty quote")]
    EmptyQuote,
    /// A relation id given as empty text.
    #[error("empty relation id (leave the id out to use the derived `source|TYPE|target`)")]
    EmptyRelationId,
    /// A relation that cites nothing.
    #[error("relation `{id}` has no evidence: every relation cites the profile")]
    NoEvidence {
        /// The relation's id.
        id: String,
    },
    /// A relation end that names no entity read before it.
    #[error("no entity has the id `{id}`")]
    UnknownEntity {
        /// The id the relation names.
        id: String,
    },
    /// A relation end whose entity's kind the relation's type does not allow.
    #[error("{violation}: `{id}`")]
    Kind {
        /// Which rule of the type it breaks.
        violation: crate::RuleViolation,
        /// The entity at that end.
        id: String,
    },
}

/// The field of a record a finding concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// An entity's id.
    EntityId,
    /// An entity's name.
    Name,
    /// The entity's alias at this position.
    Alias(usize),
    /// An entity's year.
    Year,
    /// The entity's attribute of this key.
    Attribute(String),
    /// A relation's id.
    RelationId,
    /// A relation's source id.
    Source,
    /// A relation's target id.
    Target,
    /// A relation's first year.
    Since,
    /// A relation's last year.
    Until,
    /// A relation's evidence as a whole.
    Evidence,
    /// The section of the relation's evidence item at this position.
    Section(usize),
    /// The quote of the relation's evidence item at this position.
    Quote(usize),
}

impl Field {
    /// The field as a data file names it: `entity.aliases`, `relation.evidence.section`.
    pub fn path(&self) -> String {
        match self {
            Field::EntityId => "entity.id".to_owned(),
            Field::Name => "entity.name".to_owned(),
            Field::Alias(_) => "entity.aliases".to_owned(),
            Field::Year => "entity.year".to_owned(),
            Field::Attribute(key) => format!("entity.attributes.{key}"),
            Field::RelationId => "relation.id".to_owned(),
            Field::Source => "relation.source".to_owned(),
            Field::Target => "relation.target".to_owned(),
            Field::Since => "relation.since".to_owned(),
            Field::Until => "relation.until".to_owned(),
            Field::Evidence => "relation.evidence".to_owned(),
            Field::Section(_) => "relation.evidence.section".to_owned(),
            Field::Quote(_) => "relation.evidence.quote".to_owned(),
        }
    }
}

/// One rule one record breaks, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The field concerned.
    pub field: Field,
    /// What is wrong.
    pub violation: RecordViolation,
}

/// A year as a data file gives it, checked against [`YEARS`].
pub fn check_year(value: i64) -> Result<i32, RecordViolation> {
    i32::try_from(value)
        .ok()
        .filter(|y| YEARS.contains(y))
        .ok_or_else(|| RecordViolation::Year {
            value: value.to_string(),
        })
}

/// A year written as text (a CSV cell), checked against [`YEARS`].
pub fn parse_year(text: &str) -> Result<i32, RecordViolation> {
    let text = text.trim();
    text.parse::<i64>()
        .map_err(|_| RecordViolation::Year { value: shown(text) })
        .and_then(check_year)
}

/// A period must not end before it starts; an open end is fine.
pub fn check_period(since: Option<i32>, until: Option<i32>) -> Result<(), RecordViolation> {
    match (since, until) {
        (Some(since), Some(until)) if since > until => {
            Err(RecordViolation::Period { since, until })
        }
        _ => Ok(()),
    }
}

/// Whether `label` could be a section of an MGI profile: a named section,
/// `Table 1`, `Footnote N`, or a key-finding number `D.N` (dimension 1–9, one
/// or two digits after the point).
pub fn is_section_label(label: &str) -> bool {
    if NAMED_SECTIONS.contains(&label) || label == TABLE_1 {
        return true;
    }
    if let Some(n) = label.strip_prefix(FOOTNOTE_PREFIX) {
        return !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit());
    }
    match label.as_bytes() {
        [major, b'.', minor @ ..] => {
            (b'1'..=b'9').contains(major)
                && (1..=2).contains(&minor.len())
                && minor.iter().all(u8::is_ascii_digit)
        }
        _ => false,
    }
}

/// Checks an evidence section label: its syntax always, and, when the profile's
/// sections are known, that the profile has it.
pub fn check_section(label: &str, known: Option<&Sections>) -> Result<(), RecordViolation> {
    if label.trim().is_empty() {
        return Err(RecordViolation::NoSection);
    }
    if !is_section_label(label) {
        return Err(RecordViolation::Section {
            label: shown(label),
        });
    }
    match known {
        Some(sections) if !sections.contains(label) => Err(RecordViolation::NotInProfile {
            label: label.to_owned(),
        }),
        _ => Ok(()),
    }
}

/// A country code must be an ISO 3166-1 alpha-3 code, or one of the ranges ISO
/// leaves to its users (see [`is_user_assigned_code`]).
pub fn check_country_code(code: &str) -> Result<(), RecordViolation> {
    let upper = code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase());
    if upper && (celes::Country::from_alpha3(code).is_ok() || is_user_assigned_code(code)) {
        Ok(())
    } else {
        Err(RecordViolation::CountryCode { code: shown(code) })
    }
}

/// A field must be at most `max` bytes long.
pub fn check_length(value: &str, max: usize) -> Result<(), RecordViolation> {
    if value.len() <= max {
        return Ok(());
    }
    Err(RecordViolation::TooLong {
        start: shown(value),
        len: value.len(),
        max,
    })
}

/// Every shared rule about one entity's own fields (nothing that needs the
/// other records, such as duplicate ids).
pub fn check_entity(entity: &Entity, limits: &Limits) -> Vec<Finding> {
    let mut findings = Findings::default();
    let max = limits.max_field_bytes;
    if findings.check(Field::EntityId, check_length(&entity.id, max)) {
        let id_ok = findings.check(
            Field::EntityId,
            check_entity_id(&entity.id, entity.kind).map_err(Into::into),
        );
        if id_ok && entity.kind == EntityKind::Country {
            let code = entity.id.strip_prefix("country:").unwrap_or_default();
            findings.check(Field::EntityId, check_country_code(code));
        }
    }
    findings.check(Field::Name, check_length(&entity.name, max));
    for (i, alias) in entity.aliases.iter().enumerate() {
        findings.check(Field::Alias(i), check_length(alias, max));
    }
    if let Some(year) = entity.year {
        findings.check(Field::Year, check_year(year.into()));
    }
    for (key, value) in &entity.attributes {
        let field = || Field::Attribute(shown(key));
        if findings.check(field(), check_length(key, max))
            && findings.check(field(), check_length(value, max))
            && key == "iso3"
            && entity.kind == EntityKind::Country
        {
            let code = entity.id.strip_prefix("country:").unwrap_or_default();
            if value != code {
                findings.push(
                    field(),
                    RecordViolation::Iso3 {
                        iso3: value.clone(),
                        id: entity.id.clone(),
                    },
                );
            }
        }
    }
    findings.0
}

/// Every shared rule about one relation's own fields; `sections`, when given,
/// are the sections of the profile its evidence must cite.
pub fn check_relation(
    relation: &Relation,
    sections: Option<&Sections>,
    limits: &Limits,
) -> Vec<Finding> {
    let mut findings = Findings::default();
    let max = limits.max_field_bytes;
    // A derived id is as long as its ends; only one given explicitly is checked.
    if relation.id.is_empty() {
        findings.push(Field::RelationId, RecordViolation::EmptyRelationId);
    } else if relation.id != crate::relation_id(&relation.source, relation.ty, &relation.target) {
        findings.check(Field::RelationId, check_length(&relation.id, max));
    }
    findings.check(Field::Source, check_length(&relation.source, max));
    findings.check(Field::Target, check_length(&relation.target, max));
    let since_ok = relation
        .since
        .is_none_or(|y| findings.check(Field::Since, check_year(y.into())));
    let until_ok = relation
        .until
        .is_none_or(|y| findings.check(Field::Until, check_year(y.into())));
    if since_ok && until_ok {
        findings.check(Field::Until, check_period(relation.since, relation.until));
    }
    if relation.evidence.is_empty() {
        findings.push(
            Field::Evidence,
            RecordViolation::NoEvidence {
                id: shown(&relation.id),
            },
        );
    }
    for (i, evidence) in relation.evidence.iter().enumerate() {
        if findings.check(Field::Section(i), check_length(&evidence.section, max)) {
            findings.check(
                Field::Section(i),
                check_section(&evidence.section, sections),
            );
        }
        if findings.check(Field::Quote(i), check_length(&evidence.quote, max))
            && evidence.quote.trim().is_empty()
        {
            findings.push(Field::Quote(i), RecordViolation::EmptyQuote);
        }
    }
    findings.0
}

/// The findings of one record so far.
#[derive(Default)]
struct Findings(Vec<Finding>);

impl Findings {
    fn push(&mut self, field: Field, violation: RecordViolation) {
        self.0.push(Finding { field, violation });
    }

    /// Records the violation, if any; whether the rule held.
    fn check(&mut self, field: Field, result: Result<impl Sized, RecordViolation>) -> bool {
        match result {
            Ok(_) => true,
            Err(violation) => {
                self.push(field, violation);
                false
            }
        }
    }
}

/// At most [`SHOWN_BYTES`] of `value` (cut at a character boundary), so that a
/// message about a huge value stays short.
fn shown(value: &str) -> String {
    if value.len() <= SHOWN_BYTES {
        return value.to_owned();
    }
    let mut end = SHOWN_BYTES;
    while !value.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &value[..end])
}

/// The entities read so far, by id and kind, and the rules that join a
/// relation to them. Every import path takes its entities in before its
/// relations and checks each relation here.
#[derive(Debug, Default)]
pub struct Ends {
    kinds: HashMap<String, EntityKind>,
}

impl Ends {
    /// Takes `entity` in; false when its id was taken already (the first one stays).
    pub fn add(&mut self, entity: &Entity) -> bool {
        if self.kinds.contains_key(&entity.id) {
            return false;
        }
        self.kinds.insert(entity.id.clone(), entity.kind);
        true
    }

    /// What is wrong with `relation`'s ends: one that names no entity taken
    /// in, or one whose kind its type does not allow.
    pub fn check(&self, relation: &Relation) -> Vec<Finding> {
        let source = self.kinds.get(&relation.source);
        let target = self.kinds.get(&relation.target);
        let mut findings = Vec::new();
        for (field, id, kind) in [
            (Field::Source, &relation.source, source),
            (Field::Target, &relation.target, target),
        ] {
            if kind.is_none() {
                let violation = RecordViolation::UnknownEntity { id: id.clone() };
                findings.push(Finding { field, violation });
            }
        }
        if let (Some(&s), Some(&t)) = (source, target) {
            if let Err(violation) = crate::check_domain_range(relation.ty, s, t) {
                let (field, id) = match violation {
                    crate::RuleViolation::Source { .. } => (Field::Source, &relation.source),
                    crate::RuleViolation::Target { .. } => (Field::Target, &relation.target),
                };
                let violation = RecordViolation::Kind {
                    violation,
                    id: id.clone(),
                };
                findings.push(Finding { field, violation });
            }
        }
        findings
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Evidence;
    use std::collections::BTreeMap;

    const SMALL: Limits = Limits {
        max_file_bytes: 1 << 10,
        max_field_bytes: 32,
    };

    /// The messages of every finding, as `field: message`.
    fn messages(findings: Vec<Finding>) -> Vec<String> {
        findings
            .into_iter()
            .map(|f| format!("{}: {}", f.field.path(), f.violation))
            .collect()
    }

    fn entity(id: &str, kind: EntityKind) -> Entity {
        Entity {
            id: id.to_owned(),
            kind,
            name: "A name".to_owned(),
            aliases: Vec::new(),
            year: None,
            attributes: BTreeMap::new(),
        }
    }

    fn relation(since: Option<i32>, until: Option<i32>, evidence: &[(&str, &str)]) -> Relation {
        Relation {
            id: "a|IMPLEMENTS|b".to_owned(),
            ty: crate::RelationType::Implements,
            source: "institution:a".to_owned(),
            target: "law:b".to_owned(),
            since,
            until,
            evidence: evidence
                .iter()
                .map(|(s, q)| Evidence::new(*s, *q))
                .collect(),
        }
    }

    #[test]
    fn ends_join_relations_to_the_entities_taken_in() {
        let mut ends = Ends::default();
        assert!(ends.add(&entity("institution:a", EntityKind::Institution)));
        assert!(ends.add(&entity("law:b", EntityKind::Law)));
        assert!(
            !ends.add(&entity("law:b", EntityKind::Programme)),
            "an id is taken once"
        );
        let check = |source: &str, target: &str, expected: &[&str]| {
            let mut r = relation(None, None, &[("2.1", "q")]);
            (r.source, r.target) = (source.to_owned(), target.to_owned());
            assert_eq!(messages(ends.check(&r)), expected, "{source} -> {target}");
        };
        check("institution:a", "law:b", &[]);
        check(
            "institution:x",
            "law:y",
            &[
                "relation.source: no entity has the id `institution:x`",
                "relation.target: no entity has the id `law:y`",
            ],
        );
        // The first `law:b` stayed a law: a law cannot implement a law.
        check(
            "law:b",
            "law:b",
            &["relation.source: a IMPLEMENTS relation cannot start at a LAW (allowed: INSTITUTION, INTERNATIONAL_ORGANIZATION): `law:b`"],
        );
    }

    #[test]
    fn section_labels() {
        fn check(label: &str, expected: Result<(), RecordViolation>) {
            let sections: Sections = ["2.1", "Summary", "Table 1", "Footnote 20"]
                .into_iter()
                .collect();
            let syntax = check_section(label, None);
            let in_profile = check_section(label, Some(&sections));
            assert_eq!(in_profile, expected, "{label:?} against the profile");
            // The syntax alone accepts whatever the profile accepts.
            if expected.is_ok() {
                assert_eq!(syntax, Ok(()), "{label:?} alone");
            }
        }
        let not_in = |l: &str| {
            Err(RecordViolation::NotInProfile {
                label: l.to_owned(),
            })
        };
        let unknown = |l: &str| {
            Err(RecordViolation::Section {
                label: l.to_owned(),
            })
        };
        check("2.1", Ok(()));
        check("Summary", Ok(()));
        check("Table 1", Ok(()));
        check("Footnote 20", Ok(()));
        check("9.9", not_in("9.9"));
        check("2.12", not_in("2.12"));
        check("Footnote 9999", not_in("Footnote 9999"));
        check("Annex", not_in("Annex"));
        check("Chapter 9", unknown("Chapter 9"));
        check("0.1", unknown("0.1"));
        check("2.123", unknown("2.123"));
        check("2.", unknown("2."));
        check("Footnote ", unknown("Footnote "));
        check("Footnote x", unknown("Footnote x"));
        check("summary", unknown("summary"));
        check(" ", Err(RecordViolation::NoSection));
        assert_eq!(check_section("Footnote 9999", None), Ok(()));
        assert_eq!(check_section("6.3", None), Ok(()));
    }

    #[test]
    fn years_and_periods() {
        assert_eq!(check_year(1800), Ok(1800));
        assert_eq!(check_year(2100), Ok(2100));
        assert_eq!(parse_year(" 1993 "), Ok(1993));
        for bad in ["1799", "2101", "20099", "nineteen", "", "99999999999"] {
            let error = parse_year(bad).expect_err(bad).to_string();
            assert_eq!(
                error,
                format!("`{bad}` is not a year (expected a whole number from 1800 to 2100)")
            );
        }
        assert_eq!(check_period(Some(2000), Some(2000)), Ok(()));
        assert_eq!(check_period(None, Some(1990)), Ok(()));
        assert_eq!(
            check_period(Some(2010), Some(2005))
                .expect_err("reversed")
                .to_string(),
            "until 2005 is before since 2010"
        );
    }

    #[test]
    fn country_codes() {
        for (code, ok) in [
            ("AZE", true),
            ("XNO", true),
            ("QMA", true),
            ("BRZ", false),
            ("aze", false),
            ("AZ", false),
            ("ABA", false),
        ] {
            assert_eq!(check_country_code(code).is_ok(), ok, "{code}");
        }
    }

    #[test]
    fn entities() {
        let mut turkey = entity("country:TUR", EntityKind::Country);
        turkey.attributes.insert("iso3".into(), "TRK".into());
        turkey.year = Some(2200);
        assert_eq!(
            messages(check_entity(&turkey, &SMALL)),
            [
                "entity.year: `2200` is not a year (expected a whole number from 1800 to 2100)",
                "entity.attributes.iso3: iso3 `TRK` does not match the id `country:TUR`",
            ]
        );
        assert_eq!(
            messages(check_entity(&entity("country:BRZ", EntityKind::Country), &SMALL)),
            ["entity.id: `BRZ` is not an ISO 3166-1 alpha-3 country code (nor a user-assigned one: AAA–AAZ, QMA–QZZ, XAA–XZZ, ZZA–ZZZ)"]
        );
        let mut long = entity("law:x", EntityKind::Law);
        long.aliases = vec!["X".into(), "é".repeat(20)];
        long.attributes.insert("number".into(), "n".repeat(33));
        assert_eq!(
            messages(check_entity(&long, &SMALL)),
            [
                format!("entity.aliases: `{}` is 40 bytes long, more than the limit of 32 bytes", "é".repeat(20)),
                format!("entity.attributes.number: `{}` is 33 bytes long, more than the limit of 32 bytes", "n".repeat(33)),
            ]
        );
        let huge = entity(&format!("law:{}", "x".repeat(100)), EntityKind::Law);
        assert_eq!(
            messages(check_entity(&huge, &SMALL)),
            [format!(
                "entity.id: `law:{}…` is 104 bytes long, more than the limit of 32 bytes",
                "x".repeat(56)
            )]
        );
        assert!(check_entity(&entity("country:AZE", EntityKind::Country), &SMALL).is_empty());
    }

    #[test]
    fn relations() {
        let sections: Sections = ["2.1"].into_iter().collect();
        let fine = relation(Some(2000), None, &[("2.1", "a quote")]);
        assert!(check_relation(&fine, Some(&sections), &SMALL).is_empty());
        // A derived id is longer than the limit when its ends nearly reach it.
        let mut derived = fine.clone();
        derived.source = format!("institution:{}", "a".repeat(19));
        derived.id = crate::relation_id(&derived.source, derived.ty, &derived.target);
        assert!(derived.id.len() > SMALL.max_field_bytes);
        assert!(check_relation(&derived, None, &SMALL).is_empty());
        derived.id.push('x');
        assert_eq!(
            messages(check_relation(&derived, None, &SMALL)),
            [format!(
                "relation.id: `{}` is 49 bytes long, more than the limit of 32 bytes",
                derived.id
            )]
        );
        let mut empty = fine.clone();
        empty.id.clear();
        assert_eq!(
            messages(check_relation(&empty, None, &SMALL)),
            ["relation.id: empty relation id (leave the id out to use the derived `source|TYPE|target`)"]
        );
        let bad = relation(
            Some(2010),
            Some(2005),
            &[
                ("9.9", "a quote"),
                ("Chapter 9", " "),
                ("2.1", &"q".repeat(40)),
            ],
        );
        assert_eq!(
            messages(check_relation(&bad, Some(&sections), &SMALL)),
            [
                "relation.until: until 2005 is before since 2010".to_owned(),
                "relation.evidence.section: unknown section `9.9`: the profile has no section, table or footnote with that label".to_owned(),
                "relation.evidence.section: unknown section `Chapter 9`".to_owned(),
                "relation.evidence.quote: empty quote".to_owned(),
                format!("relation.evidence.quote: `{}` is 40 bytes long, more than the limit of 32 bytes", "q".repeat(40)),
            ]
        );
        assert_eq!(
            messages(check_relation(&relation(Some(1700), None, &[]), None, &SMALL)),
            [
                "relation.since: `1700` is not a year (expected a whole number from 1800 to 2100)",
                "relation.evidence: relation `a|IMPLEMENTS|b` has no evidence: every relation cites the profile",
            ]
        );
    }
}
