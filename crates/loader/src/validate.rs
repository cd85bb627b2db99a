//! Cross-file checks (duplicate ids, references, domain/range rules, quotes
//! against the profile) and the shared record rules of `govgraph_model::checks`,
//! applied to every record and located in its file; plus the warnings about a
//! file that loads but looks cut off or empty.

use crate::problem::{Problem, Problems};
use crate::source::DataFile;
use crate::toml_file::{FileReader, Offsets, RawEntity, RawRelation};
use govgraph_model::checks::{check_entity, check_relation, Ends, Field, Finding};
use govgraph_model::text::normalize_markdown;
use govgraph_model::{Dataset, Limits, Sections};
use std::collections::HashMap;

/// The profile that quotes are checked against, normalised once, and, when
/// known, the sections evidence may cite.
pub struct Profile {
    normalized: String,
    sections: Option<Sections>,
}

/// A dataset that loaded, with what was noticed on the way without failing it
/// (an empty file, a file that does not end with a newline).
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    /// The validated dataset.
    pub dataset: Dataset,
    /// Warnings, in file and line order.
    pub warnings: Vec<Problem>,
}

impl Profile {
    /// Prepares the profile's markdown for verbatim checks. Evidence sections
    /// are then only checked for their syntax; see [`Profile::with_sections`].
    pub fn new(markdown: &str) -> Self {
        Profile {
            normalized: normalize_markdown(markdown),
            sections: None,
        }
    }

    /// The same profile, whose evidence must cite one of `sections` (the labels
    /// the document actually has, read by the caller).
    pub fn with_sections(mut self, sections: Sections) -> Self {
        self.sections = Some(sections);
        self
    }

    /// The sections evidence must cite, when known.
    pub fn sections(&self) -> Option<&Sections> {
        self.sections.as_ref()
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

/// Loads and validates every file under the default [`Limits`]; returns the
/// dataset only if no problem was found (warnings are dropped; see [`load_with`]).
pub fn load(files: &[DataFile], profile: Option<&Profile>) -> Result<Dataset, Problems> {
    load_with(files, profile, &Limits::default()).map(|loaded| loaded.dataset)
}

/// What a file's text is: too large to be read, not UTF-8 (valid up to an
/// offset), or text.
enum Contents<'a> {
    TooLarge(u64),
    NotUtf8(usize),
    Text(&'a str),
}

/// Loads and validates every file; returns the dataset, with warnings, only if
/// no problem was found.
pub fn load_with(
    files: &[DataFile],
    profile: Option<&Profile>,
    limits: &Limits,
) -> Result<Loaded, Problems> {
    let texts: Vec<Contents<'_>> = files
        .iter()
        .map(|f| {
            let size = f.size.max(f.bytes.len() as u64);
            if size > limits.max_file_bytes {
                return Contents::TooLarge(size);
            }
            match std::str::from_utf8(&f.bytes) {
                Ok(text) => Contents::Text(text),
                Err(e) => Contents::NotUtf8(e.valid_up_to()),
            }
        })
        .collect();
    let mut readers: Vec<FileReader<'_>> = files
        .iter()
        .zip(&texts)
        .map(|(f, t)| {
            let text = if let Contents::Text(t) = t { t } else { "" };
            FileReader::new(&f.name, text)
        })
        .collect();
    let mut entities = Vec::new();
    let mut relations = Vec::new();
    let mut warnings = Vec::new();
    for (index, (reader, text)) in readers.iter_mut().zip(&texts).enumerate() {
        match text {
            Contents::Text(text) => {
                let (e, r) = reader.read();
                let no_records = e.is_empty() && r.is_empty() && reader.problems.is_empty();
                warnings.extend(file_warning(&files[index], text, no_records));
                entities.extend(e.into_iter().map(|raw| Located { file: index, raw }));
                relations.extend(r.into_iter().map(|raw| Located { file: index, raw }));
            }
            Contents::TooLarge(size) => {
                let limit = limits.max_file_bytes;
                let message = format!(
                    "the file is {size} bytes, more than the limit of {limit} bytes for a data file; it was not read"
                );
                reader.problems.push(whole_file(&files[index], 1, &message));
            }
            Contents::NotUtf8(valid_up_to) => {
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
    let ends = check_entities(&entities, limits, &mut readers);
    check_relations(&relations, &ends, profile, limits, &mut readers);
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
    Ok(Loaded { dataset, warnings })
}

/// A problem or warning about a whole file, placed at `line`.
fn whole_file(file: &DataFile, line: usize, message: &str) -> Problem {
    Problem {
        file: file.name.clone(),
        line,
        column: 1,
        field: None,
        message: message.to_owned(),
    }
}

/// A warning when a file is empty, holds no record (`no_records`), or does not
/// end with a newline: an editor always ends the last line, so a file without
/// one was probably cut off.
fn file_warning(file: &DataFile, text: &str, no_records: bool) -> Option<Problem> {
    if text.trim().is_empty() {
        return Some(whole_file(file, 1, "the file is empty"));
    }
    if !text.ends_with('\n') {
        let line = text.matches('\n').count() + 1;
        let message = "the file does not end with a newline: was it cut off?";
        return Some(whole_file(file, line, message));
    }
    let message = "the file holds no `[[entity]]` or `[[relation]]`";
    no_records.then(|| whole_file(file, 1, message))
}

/// Reports the shared-rule findings of one record at the offsets of their fields.
fn report(reader: &mut FileReader<'_>, findings: Vec<Finding>, offset: impl Fn(&Field) -> usize) {
    for Finding { field, violation } in findings {
        reader.problem(offset(&field), Some(&field.path()), violation.to_string());
    }
}

/// Where an entity's field starts in its file.
fn entity_offset(at: &Offsets, field: &Field) -> usize {
    match field {
        Field::Name => at.of("name"),
        Field::Alias(_) => at.of("aliases"),
        Field::Year => at.of("year"),
        Field::Attribute(key) => at
            .fields
            .get(&format!("attributes.{key}"))
            .copied()
            .unwrap_or_else(|| at.of("attributes")),
        _ => at.of("id"),
    }
}

/// Where a relation's field starts in its file.
fn relation_offset(raw: &RawRelation, field: &Field) -> usize {
    let at = &raw.at;
    match field {
        Field::Source => at.of("source"),
        Field::Target => at.of("target"),
        Field::Since => at.of("since"),
        Field::Until => at.of("until"),
        Field::Evidence => at.of("evidence"),
        Field::Section(i) => raw.section_at.get(*i).copied().unwrap_or(at.of("evidence")),
        Field::Quote(i) => raw.quote_at.get(*i).copied().unwrap_or(at.of("evidence")),
        _ => at.of("id"),
    }
}

/// Checks the shared rules and duplicate ids; returns the entities taken in, for the relations' ends.
fn check_entities(
    entities: &[Located<RawEntity>],
    limits: &Limits,
    readers: &mut [FileReader<'_>],
) -> Ends {
    // Where each id was first defined, to point a duplicate at it.
    let mut first_seen: HashMap<&str, (usize, usize)> = HashMap::new();
    let mut ends = Ends::default();
    for Located { file, raw } in entities {
        let entity = &raw.entity;
        let at = raw.at.of("id");
        report(&mut readers[*file], check_entity(entity, limits), |field| {
            entity_offset(&raw.at, field)
        });
        if !ends.add(entity) {
            let (other_file, other_at) = first_seen[entity.id.as_str()];
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
    }
    ends
}

fn line_of(reader: &FileReader<'_>, offset: usize) -> (usize, usize) {
    crate::problem::LineIndex::new(reader.text).locate(reader.text, offset)
}

fn check_relations(
    relations: &[Located<RawRelation>],
    ends: &Ends,
    profile: Option<&Profile>,
    limits: &Limits,
    readers: &mut [FileReader<'_>],
) {
    let sections = profile.and_then(Profile::sections);
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
        report(reader, ends.check(relation), |field| {
            relation_offset(raw, field)
        });
        report(
            reader,
            check_relation(relation, sections, limits),
            |field| relation_offset(raw, field),
        );
        for (evidence, at) in relation.evidence.iter().zip(&raw.quote_at) {
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

#[cfg(test)]
mod tests {
    use super::*;

    const ENTITIES: &str = "[[entity]]\nid = \"institution:sms\"\nkind = \"INSTITUTION\"\nname = \"State Migration Service\"\n\n[[entity]]\nid = \"law:code\"\nkind = \"LAW\"\nname = \"Migration Code\"\n";

    /// A relation from the service to the code, its evidence citing `section`.
    fn relation(extra: &str, section: &str) -> String {
        format!("[[relation]]\ntype = \"IMPLEMENTS\"\nsource = \"institution:sms\"\ntarget = \"law:code\"\n{extra}[[relation.evidence]]\nsection = \"{section}\"\nquote = \"the Migration Code\"\n")
    }

    fn profile() -> Profile {
        Profile::new("Under 2.1, the Migration Code applies.").with_sections(
            ["2.1", "Summary", "Table 1", "Footnote 3"]
                .into_iter()
                .collect(),
        )
    }

    /// Loads `b.toml` (holding `text`) beside a file of entities; `expected` is
    /// every problem, or, when the load succeeds, every warning, as printed.
    fn check(text: &str, profile: Option<&Profile>, limits: &Limits, expected: &[&str]) {
        let files = [
            DataFile::new("a.toml", ENTITIES.as_bytes().to_vec()),
            DataFile::new("b.toml", text.as_bytes().to_vec()),
        ];
        let got: Vec<String> = match load_with(&files, profile, limits) {
            Ok(loaded) => loaded
                .warnings
                .iter()
                .map(|w| format!("warning: {w}"))
                .collect(),
            Err(Problems(problems)) => problems.iter().map(ToString::to_string).collect(),
        };
        assert_eq!(got, expected, "input:\n{text}");
    }

    #[test]
    fn sections_are_checked_against_the_profile_when_it_is_known() {
        let limits = Limits::default();
        check(&relation("", "2.1"), Some(&profile()), &limits, &[]);
        check(&relation("", "Footnote 3"), Some(&profile()), &limits, &[]);
        check(
            &relation("", "9.9"),
            Some(&profile()),
            &limits,
            &["b.toml:6:11: relation.evidence.section: unknown section `9.9`: the profile has no section, table or footnote with that label"],
        );
        check(
            &relation("", "Footnote 9999"),
            Some(&profile()),
            &limits,
            &["b.toml:6:11: relation.evidence.section: unknown section `Footnote 9999`: the profile has no section, table or footnote with that label"],
        );
        // Without the profile's sections only the syntax is checked.
        check(
            &relation("", "9.9"),
            Some(&Profile::new("the Migration Code")),
            &limits,
            &[],
        );
        check(&relation("", "Footnote 9999"), None, &limits, &[]);
        check(
            &relation("", "Chapter 9"),
            None,
            &limits,
            &["b.toml:6:11: relation.evidence.section: unknown section `Chapter 9`"],
        );
    }

    #[test]
    fn years_and_periods_follow_the_shared_rules() {
        let limits = Limits::default();
        check(
            &relation("since = 1700\n", "2.1"),
            None,
            &limits,
            &["b.toml:5:9: relation.since: `1700` is not a year (expected a whole number from 1800 to 2100)"],
        );
        check(
            &relation("since = 2010\nuntil = 2005\n", "2.1"),
            None,
            &limits,
            &["b.toml:6:9: relation.until: until 2005 is before since 2010"],
        );
        check(
            "[[entity]]\nid = \"country:XNO\"\nkind = \"COUNTRY\"\nname = \"Norvania\"\nyear = 2101\n",
            None,
            &limits,
            &["b.toml:5:8: entity.year: `2101` is not a year (expected a whole number from 1800 to 2100)"],
        );
    }

    #[test]
    fn countries_need_a_real_or_user_assigned_code() {
        let limits = Limits::default();
        check(
            "[[entity]]\nid = \"country:XNO\"\nkind = \"COUNTRY\"\nname = \"Norvania\"\nattributes = { iso3 = \"XNO\" }\n",
            None,
            &limits,
            &[],
        );
        check(
            "[[entity]]\nid = \"country:BRZ\"\nkind = \"COUNTRY\"\nname = \"Nowhere\"\n\n[entity.attributes]\nnote = \"x\"\niso3 = \"BRA\"\n",
            None,
            &limits,
            &[
                "b.toml:2:6: entity.id: `BRZ` is not an ISO 3166-1 alpha-3 country code (nor a user-assigned one: AAA–AAZ, QMA–QZZ, XAA–XZZ, ZZA–ZZZ)",
                "b.toml:8:8: entity.attributes.iso3: iso3 `BRA` does not match the id `country:BRZ`",
            ],
        );
    }

    #[test]
    fn files_and_fields_above_the_limits_are_refused() {
        let small = Limits {
            max_file_bytes: 400,
            max_field_bytes: 40,
        };
        check(&relation("", "2.1"), None, &small, &[]);
        check(
            "[[entity]]\nid = \"law:x\"\nkind = \"LAW\"\nname = \"The Law on Everything Else in the Republic\"\naliases = [\"X\", \"The Everything Else Law of the Republic of X\"]\n",
            None,
            &small,
            &[
                "b.toml:4:8: entity.name: `The Law on Everything Else in the Republic` is 42 bytes long, more than the limit of 40 bytes",
                "b.toml:5:11: entity.aliases: `The Everything Else Law of the Republic of X` is 44 bytes long, more than the limit of 40 bytes",
            ],
        );
        let long = format!("{}# {}\n", relation("", "2.1"), "x".repeat(400));
        check(
            &long,
            None,
            &small,
            &[&format!("b.toml:1:1: the file is {} bytes, more than the limit of 400 bytes for a data file; it was not read", long.len())],
        );
    }

    #[test]
    fn empty_and_cut_off_files_are_warned_about() {
        let limits = Limits::default();
        check(
            "",
            None,
            &limits,
            &["warning: b.toml:1:1: the file is empty"],
        );
        check(
            " \n\n",
            None,
            &limits,
            &["warning: b.toml:1:1: the file is empty"],
        );
        check(
            "# nothing yet\n",
            None,
            &limits,
            &["warning: b.toml:1:1: the file holds no `[[entity]]` or `[[relation]]`"],
        );
        let cut = relation("", "2.1");
        check(
            cut.trim_end(),
            None,
            &limits,
            &["warning: b.toml:7:1: the file does not end with a newline: was it cut off?"],
        );
    }

    #[test]
    fn a_file_above_the_limit_is_not_read() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("a.toml"), ENTITIES).expect("write");
        std::fs::write(dir.path().join("b.toml"), "#".repeat(1000)).expect("write");
        let limits = Limits {
            max_file_bytes: 999,
            max_field_bytes: 100,
        };
        let files = crate::read_dir_with(dir.path(), &limits).expect("read");
        let sizes: Vec<(usize, u64)> = files.iter().map(|f| (f.bytes.len(), f.size)).collect();
        assert_eq!(sizes, [(ENTITIES.len(), ENTITIES.len() as u64), (0, 1000)]);
        let Err(Problems(problems)) = load_with(&files, None, &limits) else {
            panic!("a file above the limit is refused");
        };
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].file.ends_with("b.toml"), "{problems:?}");
        assert!(
            problems[0]
                .message
                .contains("1000 bytes, more than the limit of 999"),
            "{problems:?}"
        );
    }
}
