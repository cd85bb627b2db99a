//! Reads a Migration Governance Indicators (MGI) profile written as markdown into a
//! structured [`Document`]: sections and their paragraphs, footnotes, Table 1 and the
//! Key Sources list, plus a finder for where names are mentioned.
//!
//! [`parse`] never fails: whatever it cannot read becomes a [`Diagnostic`] with a line
//! number, so one odd line in a long profile does not cost the rest of it. Only
//! [`read_file`] (the file itself is missing, not text or empty) and
//! [`Parsed::require_key_sources`] (the profile has nothing to build a graph from)
//! return errors.
//!
//! Nothing here knows a particular country: section names are the MGI template's,
//! and instruments, issuers and parties are recognised by the shape of the text.

mod blocks;
mod checks;
mod countries;
mod coverage;
mod document;
mod error;
mod mentions;
mod names;
mod parse;
mod scaffold;
mod sentences;
mod sources;
mod subject;

pub use countries::{iso3_of, named_countries, NamedCountry};
pub use coverage::{coverage, CoverageReport, Item, MatchKind};
pub use document::{
    CandidateRelation, ConventionRow, Diagnostic, Document, EntryRole, Footnote, FootnoteRef,
    Instrument, Paragraph, Section, SectionKind, Severity, SourceEntry, Table, NAMED_SECTIONS,
};
pub use error::ProfileError;
pub use mentions::{mentions, Mention, MentionIndex};
pub use names::{country_code, country_name, resolve, strip_state_prefixes, Referent, UN_FORMS};
pub use scaffold::scaffold;
pub use sentences::split_sentences;
pub use sources::classify_title;
pub use subject::{subject, Subject};

use serde::Serialize;
use std::path::Path;

/// What [`parse`] read, and what it could not.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Parsed {
    /// The structured profile, as complete as the input allowed.
    pub document: Document,
    /// Everything that could not be read, in line order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Parsed {
    /// Whether any diagnostic is an [`Severity::Error`], i.e. the profile is unusable
    /// as a source of facts even though it was parsed.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// Fails when the profile has no Key Sources section, the one part a graph is
    /// built from; the CLI turns this into a non-zero exit.
    pub fn require_key_sources(&self) -> Result<(), ProfileError> {
        if self.document.section(document::KEY_SOURCES).is_some() {
            return Ok(());
        }
        let found: Vec<&str> = self
            .document
            .sections
            .iter()
            .map(|s| s.label.as_str())
            .collect();
        Err(ProfileError::NoKeySources {
            sections: found.join(", "),
        })
    }
}

/// Reads a profile from markdown text. Never fails and never panics: unreadable parts
/// are reported in [`Parsed::diagnostics`].
pub fn parse(text: &str) -> Parsed {
    parse::parse(text)
}

/// Reads and parses the profile at `path`. Fails only when the file cannot serve as a
/// profile at all: it is missing or unreadable, not UTF-8, or empty.
pub fn read_file(path: impl AsRef<Path>) -> Result<Parsed, ProfileError> {
    let path = path.as_ref();
    let bytes = std::fs::read(path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            ProfileError::NotFound {
                path: path.to_path_buf(),
            }
        } else {
            ProfileError::Io {
                path: path.to_path_buf(),
                source,
            }
        }
    })?;
    let text = String::from_utf8(bytes).map_err(|e| ProfileError::NotUtf8 {
        path: path.to_path_buf(),
        offset: e.utf8_error().valid_up_to(),
    })?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
    if text.trim().is_empty() {
        return Err(ProfileError::Empty {
            path: path.to_path_buf(),
        });
    }
    Ok(parse(text))
}
