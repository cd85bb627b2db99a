//! The structured form of a profile. Every piece keeps its line number and its raw
//! markdown beside the normalized text, so callers can cite it verbatim.

use govgraph_model::checks::{FOOTNOTE_PREFIX, TABLE_1};
use govgraph_model::{EntityKind, RelationType, Sections};
use serde::Serialize;
use std::fmt;

/// The label of the Key Sources section.
pub(crate) const KEY_SOURCES: &str = "Key sources";

/// The labels of the MGI template's named sections, spelled as evidence cites them
/// (the data files' rules use the same list).
/// The numbered key-finding sections ("1.1" … "6.3") are labelled by their numbers.
pub const NAMED_SECTIONS: &[&str] = govgraph_model::checks::NAMED_SECTIONS;

/// A whole profile.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Document {
    /// Sections in the order they appear.
    pub sections: Vec<Section>,
    /// Footnote texts, in the order they are defined.
    pub footnotes: Vec<Footnote>,
    /// Every footnote marker in the running text, in order.
    pub footnote_refs: Vec<FootnoteRef>,
    /// Table 1 (conventions ratified), when the profile has one.
    pub table1: Option<Table>,
    /// The Key Sources entries, in order.
    pub key_sources: Vec<SourceEntry>,
}

impl Document {
    /// The first section with this label ("Summary", "2.1", "Key sources").
    pub fn section(&self, label: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.label == label)
    }

    /// The footnote numbered `number`.
    pub fn footnote(&self, number: u32) -> Option<&Footnote> {
        self.footnotes.iter().find(|f| f.number == number)
    }

    /// Every label evidence may cite in this profile: its named and numbered
    /// sections, "Table 1" when it has that table, and "Footnote N" for each
    /// footnote it defines.
    pub fn citable_sections(&self) -> Sections {
        let sections = self
            .sections
            .iter()
            .filter(|s| s.kind != SectionKind::Unlisted)
            .map(|s| s.label.clone());
        let table = self.table1.as_ref().map(|_| TABLE_1.to_owned());
        let footnotes = self
            .footnotes
            .iter()
            .map(|f| format!("{FOOTNOTE_PREFIX}{}", f.number));
        sections.chain(table).chain(footnotes).collect()
    }
}

/// How a section's label was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SectionKind {
    /// One of [`NAMED_SECTIONS`].
    Named,
    /// A numbered key-finding heading such as "2.2".
    Numbered,
    /// Anything else (front matter, contents, conceptual framework, a dimension
    /// number); its label is the heading text and is not a citable evidence label.
    Unlisted,
}

/// A part of the profile between two section headings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// "Summary", "1.1", … or the heading text for an unlisted section.
    pub label: String,
    /// How the label was found.
    pub kind: SectionKind,
    /// The heading as written, markup removed.
    pub title: String,
    /// Line of the heading (1 for the front matter).
    pub line: usize,
    /// The section's paragraphs and list items, footnote definitions excluded.
    pub paragraphs: Vec<Paragraph>,
}

/// A paragraph or a list item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Paragraph {
    /// Line where it starts.
    pub line: usize,
    /// The markdown as written, lines joined with `\n`.
    pub raw: String,
    /// The comparable form (`govgraph_model::text::normalize_markdown`), list marker removed.
    pub text: String,
}

/// The text of one footnote.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Footnote {
    /// Its number.
    pub number: u32,
    /// Its evidence label, "Footnote N".
    pub label: String,
    /// Line of its definition.
    pub line: usize,
    /// Label of the section it is printed in.
    pub section: String,
    /// The definition as written, marker included.
    pub raw: String,
    /// The normalized text without the leading marker.
    pub text: String,
}

/// One occurrence of a footnote marker `<sup>N</sup>` in the running text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FootnoteRef {
    /// The footnote number referred to.
    pub number: u32,
    /// Line of the marker.
    pub line: usize,
    /// Label of the section the marker is in.
    pub section: String,
}

/// Table 1: which international conventions the country ratified.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    /// The caption, normalized ("Table 1. Signature and ratification …").
    pub caption: String,
    /// Line of the caption.
    pub line: usize,
    /// The body rows, header excluded.
    pub rows: Vec<ConventionRow>,
}

/// A row of Table 1.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConventionRow {
    /// Line of the row.
    pub line: usize,
    /// The convention's name as printed, normalized.
    pub name: String,
    /// The status cell as printed ("Yes (1993)", "No").
    pub status: String,
    /// Whether the status says ratified.
    pub ratified: bool,
    /// The year of ratification, when printed.
    pub year: Option<i32>,
    /// A verbatim part of the name to cite: the name itself, or, for a row the
    /// conversion broke over two lines, the longer of its two lines.
    pub quote: String,
}

/// An entry of the Key Sources list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceEntry {
    /// Line of the entry.
    pub line: usize,
    /// The entry as written.
    pub raw: String,
    /// The entry normalized, list marker and year removed.
    pub text: String,
    /// The issuer heading it is listed under ("Government of …", "State Border Service").
    pub issuer: Option<String>,
    /// The year the list gives it; `None` when undated or unreadable.
    pub year: Option<i32>,
    /// The letter that tells apart entries of one year and issuer ("1996a" → `a`).
    pub suffix: Option<char>,
    /// Listed as "n.d." (no date).
    pub undated: bool,
    /// The title: the entry without approval, amendment, availability and date notes.
    pub title: String,
    /// The kind of entity the entry most likely is.
    pub kind: EntityKind,
    /// The entry's own number when it is itself a numbered instrument
    /// ("Establishment of …, Decree No. 740 of 31 July 2002").
    pub designation: Option<Instrument>,
    /// The instrument that approved it ("approved by Law No. … of …").
    pub approved_by: Option<Instrument>,
    /// Years of the amendments noted ("amended in 2022").
    pub amended: Vec<i32>,
    /// False when the entry says "Not available online".
    pub available_online: bool,
    /// Parties named in "between … and …" or "signed with …", without a leading "the".
    pub parties: Vec<String>,
    /// Relations the entry suggests, kept only where the kinds fit the relation type.
    pub relations: Vec<CandidateRelation>,
}

/// A numbered or dated legal act named in an entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Instrument {
    /// The act's type, capitalized: "Law", "Decree", "Decision", "Resolution", "Order".
    pub kind: String,
    /// Its number as printed ("916-IIIQ", "560").
    pub number: Option<String>,
    /// Its date as printed ("26 November 2009").
    pub date: Option<String>,
    /// The year of that date.
    pub year: Option<i32>,
    /// The body it is "of" ("Cabinet of Ministers", "President of …").
    pub authority: Option<String>,
    /// The normalized span that names it ("Law No. 916-IIIQ of 26 November 2009").
    pub text: String,
}

/// Which end of a candidate relation the entry itself stands at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum EntryRole {
    /// The arrow leaves the entry (entry APPROVED_BY instrument).
    Source,
    /// The arrow reaches the entry (party PARTY_TO entry).
    Target,
}

/// A relation suggested by a Key Sources entry, for a curator to confirm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CandidateRelation {
    /// The relation type.
    pub ty: RelationType,
    /// The entry's end of the arrow.
    pub entry_role: EntryRole,
    /// The name at the other end (a party, an issuer, an instrument).
    pub counterpart: String,
    /// The normalized span of the profile that states it.
    pub quote: String,
}

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Severity {
    /// Something was skipped or guessed; the rest is usable.
    Warning,
    /// The profile lacks something a graph needs.
    Error,
}

/// Something in the input that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// 1-based line; 0 when it concerns the whole document.
    pub line: usize,
    /// How bad it is.
    pub severity: Severity,
    /// What could not be read, quoting the offending text.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        if self.line == 0 {
            write!(f, "{severity}: {}", self.message)
        } else {
            write!(f, "line {}: {severity}: {}", self.line, self.message)
        }
    }
}

/// At most `max` characters of `text`, for quoting in a message.
pub(crate) fn clip(text: &str, max: usize) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(max).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn citable_sections_are_those_the_document_has() {
        fn check(profile: &str, expected: &[&str]) {
            let sections = crate::parse(profile).document.citable_sections();
            let got: Vec<&str> = sections.iter().collect();
            assert_eq!(got, expected, "profile: {profile:?}");
        }
        check(
            "# SUMMARY\n\nText.<sup>1</sup>\n\n## 2.1 Areas\n\nMore.\n\n<sup>1</sup> A note.\n\n# CONCEPTUAL FRAMEWORK\n\nx\n",
            &["2.1", "Footnote 1", "Summary"],
        );
        check(
            "# CONTEXT\n\n**Table 1.** Conventions\n\nName\tYes (1990)\n",
            &["Context", "Table 1"],
        );
        check("no headings at all\n", &[]);
    }
}
