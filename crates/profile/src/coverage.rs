//! How much of a profile a dataset covers: every Key Sources entry, every Table 1 row
//! and every country the text names, each matched to an entity or reported unmatched.
//!
//! Matching is deliberately layered from strict to loose (exact name or alias, then
//! instrument number with year, then agreement parties with year, then fuzzy name)
//! so that the reason for each match can be shown and checked by a curator.

use crate::countries::named_countries;
use crate::document::{Document, Instrument, SourceEntry};
use govgraph_model::text::fold;
use govgraph_model::{Dataset, Entity, EntityKind, RelationType};
use std::fmt;

/// Smallest normalized similarity of two folded names for a fuzzy match.
const FUZZY: f64 = 0.88;

/// How an item was matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchKind {
    /// The name or an alias, case and accents ignored.
    Name,
    /// The instrument number (and the year, where both are known).
    Number,
    /// An agreement of that year whose parties include every party of the entry.
    Parties,
    /// The ISO code of a country, or the shared id of a Table 1 convention.
    Code,
    /// A close name (typos, small wording differences) or one containing the other.
    Fuzzy,
}

/// One item of the profile and the entity it was matched to.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Line of the profile.
    pub line: usize,
    /// What the profile says (an entry, a row, a country's name).
    pub text: String,
    /// The id of the matched entity, `None` when unmatched.
    pub entity: Option<String>,
    /// How it was matched.
    pub how: Option<MatchKind>,
}

/// Coverage of one profile by one dataset.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CoverageReport {
    /// One item per Key Sources entry.
    pub key_sources: Vec<Item>,
    /// One item per Table 1 row.
    pub table1: Vec<Item>,
    /// One item per country named in the text.
    pub countries: Vec<Item>,
}

impl CoverageReport {
    /// Items not matched to any entity, grouped by part (label, item).
    pub fn unmatched(&self) -> Vec<(&'static str, &Item)> {
        let parts = [
            ("key source", &self.key_sources),
            ("table 1", &self.table1),
            ("country", &self.countries),
        ];
        parts
            .into_iter()
            .flat_map(|(label, items)| {
                items
                    .iter()
                    .filter(|i| i.entity.is_none())
                    .map(move |i| (label, i))
            })
            .collect()
    }

    /// Whether everything was matched.
    pub fn is_complete(&self) -> bool {
        self.unmatched().is_empty()
    }
}

impl fmt::Display for CoverageReport {
    /// The one-line summary: `key sources 88/88, table 1 6/6, countries 31/31 matched`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = |items: &[Item]| items.iter().filter(|i| i.entity.is_some()).count();
        write!(
            f,
            "key sources {}/{}, table 1 {}/{}, countries {}/{} matched",
            count(&self.key_sources),
            self.key_sources.len(),
            count(&self.table1),
            self.table1.len(),
            count(&self.countries),
            self.countries.len()
        )
    }
}

/// Matches the profile `doc` against `dataset`.
pub fn coverage(doc: &Document, dataset: &Dataset) -> CoverageReport {
    let names: Vec<Vec<String>> = dataset
        .entities
        .iter()
        .map(|e| {
            std::iter::once(&e.name)
                .chain(&e.aliases)
                .map(|n| fold(n).trim().to_owned())
                .collect()
        })
        .collect();
    let matcher = Matcher { dataset, names };
    let key_sources = doc
        .key_sources
        .iter()
        .map(|entry| {
            let found = matcher.entry(entry);
            Item {
                line: entry.line,
                text: entry.text.clone(),
                entity: found.map(|(i, _)| dataset.entities[i].id.clone()),
                how: found.map(|(_, how)| how),
            }
        })
        .collect();
    let table1 = doc
        .table1
        .iter()
        .flat_map(|t| &t.rows)
        .map(|row| {
            // A template convention under its shared id, however the row prints it.
            let shared = crate::names::convention(&row.name).and_then(|(slug, _)| {
                let id = format!("convention:{slug}");
                dataset.entities.iter().position(|e| e.id == id)
            });
            let found = shared
                .map(|i| (i, MatchKind::Code))
                .or_else(|| matcher.by_name(&row.name, Some(EntityKind::Convention)))
                .or_else(|| matcher.fuzzy(&row.name, Some(EntityKind::Convention), None));
            Item {
                line: row.line,
                text: row.name.clone(),
                entity: found.map(|(i, _)| dataset.entities[i].id.clone()),
                how: found.map(|(_, how)| how),
            }
        })
        .collect();
    let countries = named_countries(doc)
        .into_iter()
        .map(|country| {
            let by_code = dataset.entities.iter().position(|e| {
                e.kind == EntityKind::Country
                    && (e.id == format!("country:{}", country.iso3)
                        || e.attributes.get("iso3").map(String::as_str) == Some(country.iso3))
            });
            let found = by_code.map(|i| (i, MatchKind::Code)).or_else(|| {
                country
                    .names
                    .iter()
                    .find_map(|n| matcher.by_name(n, Some(EntityKind::Country)))
            });
            Item {
                line: country.first_line,
                text: format!("{} ({}): {}", country.name, country.iso3, country.sentence),
                entity: found.map(|(i, _)| dataset.entities[i].id.clone()),
                how: found.map(|(_, how)| how),
            }
        })
        .collect();
    CoverageReport {
        key_sources,
        table1,
        countries,
    }
}

/// The dataset with every entity's folded names, for repeated lookups.
struct Matcher<'d> {
    dataset: &'d Dataset,
    /// Folded name and aliases of entity *i*.
    names: Vec<Vec<String>>,
}

impl Matcher<'_> {
    fn entry(&self, entry: &SourceEntry) -> Option<(usize, MatchKind)> {
        let title = if entry.title.is_empty() {
            &entry.text
        } else {
            &entry.title
        };
        // A close name of the entry's own kind beats the approving instrument's number,
        // which beats a close name of another kind (an institution named in a title).
        self.by_name(title, None)
            .or_else(|| self.by_number(entry.designation.as_ref(), entry.year))
            .or_else(|| self.by_parties(entry))
            .or_else(|| self.fuzzy(title, Some(entry.kind), entry.year))
            .or_else(|| self.by_number(entry.approved_by.as_ref(), entry.year))
            .or_else(|| self.fuzzy(title, None, entry.year))
    }

    fn kind_fits(entity: &Entity, kind: Option<EntityKind>) -> bool {
        kind.is_none_or(|k| entity.kind == k)
    }

    /// The first entity (of `kind`, when given) with `name` as name or alias.
    fn by_name(&self, name: &str, kind: Option<EntityKind>) -> Option<(usize, MatchKind)> {
        let wanted = fold(name);
        let wanted = wanted.trim();
        (0..self.dataset.entities.len())
            .find(|&i| {
                Self::kind_fits(&self.dataset.entities[i], kind)
                    && self.names[i].iter().any(|n| n == wanted)
            })
            .map(|i| (i, MatchKind::Name))
    }

    /// An entity whose `attributes.number` is the instrument's number, of the same
    /// year when both give one.
    fn by_number(
        &self,
        instrument: Option<&Instrument>,
        year: Option<i32>,
    ) -> Option<(usize, MatchKind)> {
        let number = instrument?.number.as_deref()?;
        let wanted = bare_number(number);
        let year = instrument.and_then(|d| d.year).or(year);
        self.dataset
            .entities
            .iter()
            .position(|e| {
                e.attributes
                    .get("number")
                    .is_some_and(|n| bare_number(n) == wanted)
                    && (year.is_none() || e.year.is_none() || e.year == year)
            })
            .map(|i| (i, MatchKind::Number))
    }

    /// An agreement of the entry's year that every party of the entry known to the
    /// dataset is PARTY_TO.
    fn by_parties(&self, entry: &SourceEntry) -> Option<(usize, MatchKind)> {
        if entry.parties.is_empty() {
            return None;
        }
        let party_ids: Vec<Vec<&str>> = entry
            .parties
            .iter()
            .map(|party| {
                let wanted = fold(party);
                let wanted = wanted.trim();
                let by_iso = crate::countries::iso3_of(party).map(|c| format!("country:{c}"));
                self.dataset
                    .entities
                    .iter()
                    .enumerate()
                    .filter(|(i, e)| {
                        self.names[*i].iter().any(|n| n == wanted)
                            || by_iso.as_deref() == Some(e.id.as_str())
                    })
                    .map(|(_, e)| e.id.as_str())
                    .collect()
            })
            .collect();
        // The profile's own country is often not an entity of a partner's agreement
        // list, so parties the dataset does not know are not required; one must be.
        let party_ids: Vec<Vec<&str>> = party_ids.into_iter().filter(|p| !p.is_empty()).collect();
        if party_ids.is_empty() {
            return None;
        }
        self.dataset
            .entities
            .iter()
            .position(|agreement| {
                agreement.kind == EntityKind::Agreement
                    && (entry.year.is_none() || agreement.year == entry.year)
                    && party_ids.iter().all(|ids| {
                        self.dataset.relations.iter().any(|r| {
                            r.ty == RelationType::PartyTo
                                && r.target == agreement.id
                                && ids.contains(&r.source.as_str())
                        })
                    })
            })
            .map(|i| (i, MatchKind::Parties))
    }

    /// The most similar name above [`FUZZY`], or a long name contained in the other,
    /// of the same year when both give one.
    fn fuzzy(
        &self,
        name: &str,
        kind: Option<EntityKind>,
        year: Option<i32>,
    ) -> Option<(usize, MatchKind)> {
        let wanted = fold(name);
        let wanted = wanted.trim();
        let wanted_chars = wanted.chars().count();
        let mut best: Option<(usize, f64)> = None;
        for (i, entity) in self.dataset.entities.iter().enumerate() {
            if !Self::kind_fits(entity, kind)
                || (year.is_some() && entity.year.is_some() && entity.year != year)
            {
                continue;
            }
            for n in &self.names[i] {
                let mut score = levenshtein_above(wanted, wanted_chars, n);
                let (short, long) = if n.len() < wanted.len() {
                    (n.as_str(), wanted)
                } else {
                    (wanted, n.as_str())
                };
                // Containment counts only when the shorter name is most of the longer,
                // so that a country's name inside a title does not match the country.
                if short.len() >= 20 && short.len() * 2 >= long.len() && long.contains(short) {
                    score = score.max(FUZZY);
                }
                if score >= FUZZY && best.is_none_or(|(_, s)| score > s) {
                    best = Some((i, score));
                }
            }
        }
        best.map(|(i, _)| (i, MatchKind::Fuzzy))
    }
}

/// `strsim::normalized_levenshtein(a, b)` when it could reach [`FUZZY`], else 0.
///
/// The distance is at least the difference of the two lengths (in characters),
/// so the similarity is at most shorter / longer; when that is below the
/// threshold the quadratic distance is not computed. Without this bound one
/// long Key Sources line (a stray 2 MB row of `|`) was compared cell by cell
/// with every name of the dataset: 19 s per MB.
fn levenshtein_above(a: &str, a_chars: usize, b: &str) -> f64 {
    let b_chars = b.chars().count();
    let (shorter, longer) = (a_chars.min(b_chars), a_chars.max(b_chars));
    if longer == 0 {
        return 1.0;
    }
    // The margin keeps a pair exactly at the bound (up to rounding) computed.
    if (shorter as f64) / (longer as f64) < FUZZY - 1e-9 {
        return 0.0;
    }
    strsim::normalized_levenshtein(a, b)
}

/// "No. 560" → "560"; "916-IIIQ" stays; case folded.
fn bare_number(number: &str) -> String {
    let folded = fold(number);
    let trimmed = folded.trim();
    trimmed
        .strip_prefix("no.")
        .or_else(|| trimmed.strip_prefix("no"))
        .unwrap_or(trimmed)
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use govgraph_model::{Evidence, Relation};
    use std::collections::BTreeMap;

    fn entity(
        id: &str,
        kind: EntityKind,
        name: &str,
        year: Option<i32>,
        number: Option<&str>,
    ) -> Entity {
        let mut attributes = BTreeMap::new();
        if let Some(n) = number {
            attributes.insert("number".to_owned(), n.to_owned());
        }
        Entity {
            id: id.to_owned(),
            kind,
            name: name.to_owned(),
            aliases: vec![],
            year,
            attributes,
        }
    }

    fn check(profile: &str, dataset: &Dataset, expected_summary: &str, unmatched: &[&str]) {
        let parsed = crate::parse(profile);
        let report = coverage(&parsed.document, dataset);
        assert_eq!(report.to_string(), expected_summary);
        let got: Vec<&str> = report
            .unmatched()
            .iter()
            .map(|(_, i)| i.text.as_str())
            .collect();
        assert_eq!(got, unmatched);
    }

    const PROFILE: &str = "# SUMMARY\n\nCooperation with Georgia and Ruritania and Türkiye.\n\n# KEY SOURCES\n\n## Government of Veloria\n\n- 2007 Establishment of things, Decree No. 560 of 19 March 2007.\n- 2009 Law on Migraton.\n- 2010 Agreement between the Republic of Veloria and Georgia on readmission.\n- 2011 Something nobody recorded.\n";

    fn dataset() -> Dataset {
        let mut dataset = Dataset {
            entities: vec![
                entity(
                    "law:decree-560-2007",
                    EntityKind::Law,
                    "Decree on things",
                    Some(2007),
                    Some("No. 560"),
                ),
                entity(
                    "law:law-on-migration",
                    EntityKind::Law,
                    "Law on Migration",
                    Some(2009),
                    None,
                ),
                entity(
                    "agreement:geo-readmission",
                    EntityKind::Agreement,
                    "Readmission agreement",
                    Some(2010),
                    None,
                ),
                entity("country:GEO", EntityKind::Country, "Georgia", None, None),
            ],
            relations: vec![Relation {
                id: "country:GEO|PARTY_TO|agreement:geo-readmission".into(),
                ty: RelationType::PartyTo,
                source: "country:GEO".into(),
                target: "agreement:geo-readmission".into(),
                since: None,
                until: None,
                evidence: vec![Evidence {
                    section: "Key sources".into(),
                    quote: "Georgia".into(),
                    profile: None,
                }],
            }],
            profiles: Vec::new(),
        };
        dataset.canonicalize();
        dataset
    }

    #[test]
    fn matches_by_number_parties_and_fuzzy_name_and_lists_the_rest() {
        let parsed = crate::parse(PROFILE);
        assert_eq!(
            parsed.document.key_sources.len(),
            4,
            "{:?}",
            parsed.diagnostics
        );
        check(
            PROFILE,
            &dataset(),
            "key sources 3/4, table 1 0/0, countries 1/2 matched",
            &[
                "Something nobody recorded.",
                "Türkiye (TUR): Cooperation with Georgia and Ruritania and Türkiye.",
            ],
        );
    }

    #[test]
    fn a_huge_entry_is_unmatched_and_the_rest_still_match() {
        // "Law on Migraton" still matches fuzzily beside a 200 KB entry.
        let bars = "|".repeat(200_000);
        let profile = format!("{PROFILE}- {bars}\n");
        check(
            &profile,
            &dataset(),
            "key sources 3/5, table 1 0/0, countries 1/2 matched",
            &[
                "Something nobody recorded.",
                &bars,
                "Türkiye (TUR): Cooperation with Georgia and Ruritania and Türkiye.",
            ],
        );
    }

    #[test]
    fn similarity_is_skipped_only_below_the_threshold() {
        fn check(a: &str, b: &str) {
            let exact = strsim::normalized_levenshtein(a, b);
            let bounded = levenshtein_above(a, a.chars().count(), b);
            if exact >= FUZZY {
                assert_eq!(bounded, exact, "{a:?} / {b:?}");
            } else {
                assert!(bounded < FUZZY, "{a:?} / {b:?}: {bounded}");
            }
        }
        check("", "");
        check("law on migration", "law on migraton");
        check("law on migration", "law on migration and asylum");
        check("abcdefghijklmnopqrstuvwxy", "abcdefghijklmnopqrstuv");
        check("abcdefghijklmnopqrstuvwxy", "abcdefghijklmnopqrstu");
        check("türkiye", "turkiye");
        check(&"|".repeat(1000), "decree on things");
    }

    #[test]
    fn numbers_compare_without_the_no_prefix() {
        assert_eq!(bare_number("No. 560"), "560");
        assert_eq!(bare_number("916-IIIQ"), "916-iiiq");
    }
}
