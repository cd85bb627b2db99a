//! The country and year a profile is about, read from its title line
//! ("REPUBLIC OF AZERBAIJAN | PROFILE 2023"), so that the profile's own country
//! is known on any profile, also one the text names less than a partner.

use crate::document::Document;
use crate::names::{body_of, country_code, country_name, strip_state_prefixes};
use govgraph_model::text::fold;

/// Whom and when a profile is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    /// The title as written, before the `|`: "REPUBLIC OF AZERBAIJAN".
    pub title: String,
    /// The country's name: "Azerbaijan".
    pub country: String,
    /// Its ISO 3166-1 alpha-3 code, or a user-assigned code (`X..`) for a
    /// country that has none (see `govgraph_model::is_user_assigned_code`).
    pub iso3: String,
    /// The profile's year.
    pub year: Option<i32>,
    /// Line of the title.
    pub line: usize,
}

impl Subject {
    /// Whether `name` ("Government of the Republic of Azerbaijan", "Azerbaijan")
    /// names this country.
    pub fn is_named(&self, name: &str) -> bool {
        match country_code(name) {
            Some(code) => code == self.iso3,
            None => fold(strip_state_prefixes(name)) == fold(&self.country),
        }
    }

    /// Whether `name` is a body of this country ("Ministry of Interior of the
    /// Republic of Norvania").
    pub fn has_body(&self, name: &str) -> bool {
        body_of(name, |state| self.is_named(state).then_some(())).is_some()
    }
}

/// The subject of `doc`: its first paragraph of the form `<COUNTRY> | PROFILE <YEAR>`.
pub fn subject(doc: &Document) -> Option<Subject> {
    doc.sections
        .iter()
        .flat_map(|s| &s.paragraphs)
        .find_map(|paragraph| {
            let (title, rest) = paragraph.text.split_once('|')?;
            let rest = rest.trim();
            if !rest.to_ascii_uppercase().starts_with("PROFILE") {
                return None;
            }
            let title = title.trim().trim_matches('*').trim();
            if title.is_empty() {
                return None;
            }
            let year = rest
                .split(|c: char| !c.is_ascii_digit())
                .find(|w| w.len() == 4)
                .and_then(|w| w.parse().ok());
            let (country, iso3) = match country_code(title) {
                Some(code) => (country_name(code), code.to_owned()),
                None => {
                    let bare = title_case(strip_state_prefixes(title));
                    let code = assigned_code(&bare);
                    (bare, code)
                }
            };
            Some(Subject {
                title: title.to_owned(),
                country,
                iso3,
                year,
                line: paragraph.line,
            })
        })
}

/// "NORVANIA" → "Norvania"; "SAINT MARTINE" → "Saint Martine".
fn title_case(text: &str) -> String {
    text.split_whitespace()
        .map(|word| {
            let lower = word.to_lowercase();
            let mut chars = lower.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A user-assigned code for a country with no ISO code: `X` and the first two
/// letters of its name ("Norvania" → `XNO`).
fn assigned_code(name: &str) -> String {
    let letters: String = fold(name)
        .chars()
        .filter(char::is_ascii_alphabetic)
        .take(2)
        .collect::<String>()
        .to_ascii_uppercase();
    format!("X{letters:A<2}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: Option<(&str, &str, Option<i32>)>) {
        let doc = crate::parse(text).document;
        let got = subject(&doc);
        assert_eq!(
            got.as_ref()
                .map(|s| (s.country.as_str(), s.iso3.as_str(), s.year)),
            expected,
            "{text}"
        );
    }

    #[test]
    fn the_title_names_the_country_and_year() {
        check(
            "REPUBLIC OF AZERBAIJAN | PROFILE 2023\n\n# SUMMARY\n\nText.\n",
            Some(("Azerbaijan", "AZE", Some(2023))),
        );
        check(
            "KINGDOM OF KESTRIA | PROFILE 2024\n\n# SUMMARY\n\nText.\n",
            Some(("Kestria", "XKE", Some(2024))),
        );
        check(
            "VIET NAM | PROFILE 2019\n\n# SUMMARY\n\nText.\n",
            Some(("Viet Nam", "VNM", Some(2019))),
        );
        check("# SUMMARY\n\nNo title here | at all.\n", None);
        let doc = crate::parse("REPUBLIC OF NORVANIA | PROFILE 2024\n\n# SUMMARY\n\nx\n").document;
        let norvania = subject(&doc).expect("a subject");
        assert!(norvania.is_named("Government of the Republic of Norvania"));
        assert!(norvania.is_named("Norvania"));
        assert!(!norvania.is_named("Government of Italy"));
    }
}
