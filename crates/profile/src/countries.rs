//! Countries named in a profile, found generically from the ISO 3166 table of the
//! `celes` crate (official names and common aliases), so that no profile's own
//! partner list is written into the code.

use crate::document::{Document, SectionKind};
use crate::mentions::MentionIndex;
use govgraph_model::text::fold;

/// A country the text names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedCountry {
    /// ISO 3166-1 alpha-3 code ("AZE").
    pub iso3: &'static str,
    /// The name as the table gives it ("Azerbaijan").
    pub name: String,
    /// Every name of the table that can be searched for (folded duplicates removed).
    pub names: Vec<String>,
    /// How many times the text names it.
    pub count: usize,
    /// Line and section of the first mention.
    pub first_line: usize,
    /// The first sentence that names it.
    pub sentence: String,
}

/// Every country named in the citable text of `doc` (named and numbered sections,
/// footnotes, Table 1), most named first, ties in table order.
pub fn named_countries(doc: &Document) -> Vec<NamedCountry> {
    let index = MentionIndex::new(doc);
    let unlisted: Vec<&str> = doc
        .sections
        .iter()
        .filter(|s| s.kind == SectionKind::Unlisted)
        .map(|s| s.label.as_str())
        .collect();
    let mut found = Vec::new();
    for country in celes::Country::get_countries() {
        let names = search_names(country.alpha3);
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let mentions = index.find(&refs);
        // A longer country name containing this one ("Guinea" in "Papua New Guinea",
        // "Niger" cannot match "Nigeria" as words are whole) is someone else's mention.
        // Unlisted sections (front matter, contents, publisher's address) cannot be
        // cited as evidence, so a country named only there is not a fact to record.
        let mentions: Vec<_> = mentions
            .into_iter()
            .filter(|m| !unlisted.contains(&m.section))
            .filter(|m| !longer_name_covers(refs[m.name], m.sentence))
            .collect();
        let Some(first) = mentions.first() else {
            continue;
        };
        found.push(NamedCountry {
            iso3: country.alpha3,
            name: crate::names::country_name(country.alpha3),
            names: names.clone(),
            count: mentions.len(),
            first_line: first.line,
            sentence: first.sentence.to_owned(),
        });
    }
    found.sort_by_key(|c| std::cmp::Reverse(c.count));
    found
}

/// Every name of country `code` worth searching the text for: the ISO table's
/// and the UN forms, folded duplicates removed.
fn search_names(code: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for (c, name) in crate::names::country_names() {
        if *c == code && !names.iter().any(|n| fold(n) == fold(name)) {
            names.push(name.clone());
        }
    }
    names
}

/// Whether every occurrence of `name` in `sentence` sits inside a longer country
/// name.
fn longer_name_covers(name: &str, sentence: &str) -> bool {
    let folded_name = fold(name);
    let folded = fold(sentence);
    let occurrences = folded.matches(folded_name.as_str()).count();
    let mut covered = 0;
    let mut seen = std::collections::HashSet::new();
    for (_, other) in crate::names::country_names() {
        let other = fold(other);
        if other.len() > folded_name.len()
            && other.contains(folded_name.as_str())
            && seen.insert(other.clone())
        {
            covered += folded.matches(other.as_str()).count();
        }
    }
    covered >= occurrences
}

/// The ISO code of a country name in any of its forms (case and accents
/// ignored; "Government of X", "Republic of X" and the UN forms included).
pub fn iso3_of(name: &str) -> Option<&'static str> {
    crate::names::country_code(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: &[&str]) {
        let parsed = crate::parse(text);
        let mut got: Vec<&str> = named_countries(&parsed.document)
            .iter()
            .map(|c| c.iso3)
            .collect();
        got.sort_unstable();
        assert_eq!(got, expected, "{text}");
    }

    #[test]
    fn finds_countries_by_name_and_alias_only_as_words() {
        check(
            "# SUMMARY\n\nAgreements with Georgia and Türkiye.\n",
            &["GEO", "TUR"],
        );
        check("# SUMMARY\n\nPapua New Guinea signed.\n", &["PNG"]);
        check("# SUMMARY\n\nNothing here, us included.\n", &[]);
        check(
            "Publisher: Geneva, Switzerland\n\n# SUMMARY\n\nChad.\n",
            &["TCD"],
        );
        assert_eq!(iso3_of("the Republic of Moldova"), iso3_of("Moldova"));
        assert_eq!(iso3_of("Georgia"), Some("GEO"));
        check(
            "# SUMMARY\n\nViet Nam, the Kyrgyz Republic, Côte d’Ivoire and Iran (Islamic Republic of) signed.\n",
            &["CIV", "IRN", "KGZ", "VNM"],
        );
        check("# SUMMARY\n\nMigrants from South America.\n", &[]);
    }
}
