//! The Key Sources list: issuers, entries, the instruments and parties an entry
//! names, its likely entity kind and the relations it suggests.
//!
//! Entries follow one loose pattern — `YEAR[letter] Title[, approved by <act>]
//! [, amended in YEAR][. Not available online]` — but profiles differ in how they
//! mark issuers (headings, or list items that carry no year), so everything is read
//! from the shape of the text rather than from known names.

use crate::blocks::{Block, BlockKind};
use crate::document::{clip, CandidateRelation, Diagnostic, EntryRole, Severity, SourceEntry};
use govgraph_model::text::normalize_markdown;
use govgraph_model::{allowed_sources, allowed_targets, EntityKind, RelationType};

mod instruments;
mod kinds;
mod parties;
mod words;
mod years;

use instruments::{find_designation, read_instrument, INSTRUMENT_KINDS, MONTHS};
use kinds::has_keyword;
use parties::read_parties;
use words::find_word;
use years::{amendment_years, leading_year, year_token};

pub use kinds::classify_title;

/// Reads the entries of the blocks that make up the Key Sources section.
pub(crate) fn read_entries(
    blocks: &[&Block<'_>],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<SourceEntry> {
    let mut issuer: Option<String> = None;
    let mut entries = Vec::new();
    for (index, block) in blocks.iter().enumerate() {
        let body = block.body.trim();
        match block.kind {
            BlockKind::Heading(_) => {
                let heading = normalize_markdown(body);
                issuer = (!heading.is_empty()).then_some(heading);
            }
            BlockKind::ListItem if body.is_empty() => diagnostics.push(Diagnostic {
                line: block.line(),
                severity: Severity::Warning,
                message: "empty list item in Key Sources; skipped".to_owned(),
            }),
            BlockKind::ListItem => {
                if year_token(body).is_none()
                    && looks_like_issuer(body)
                    && next_has_year(blocks, index)
                {
                    issuer = Some(normalize_markdown(body));
                    continue;
                }
                if issuer.is_none() {
                    diagnostics.push(Diagnostic {
                        line: block.line(),
                        severity: Severity::Warning,
                        message: format!(
                            "Key Sources entry comes before any issuer heading, so it has no issuer: `{}`",
                            clip(body, 60)
                        ),
                    });
                }
                entries.push(read_entry(block, issuer.as_deref(), diagnostics));
            }
            // Some profiles print entries as plain lines; a leading year tells them
            // apart from notes such as "* All hyperlinks were working …".
            BlockKind::Paragraph if leading_year(body).is_some() => {
                entries.push(read_entry(block, issuer.as_deref(), diagnostics));
            }
            _ => {}
        }
    }
    entries
}

/// How the message of a cut-off entry starts.
const CUT_OFF: &str = "Key Sources entry is cut off";

/// Whether an entry stops before its end: a markdown link opened and never closed.
fn is_cut_off(body: &str) -> bool {
    body.rfind('[')
        .is_some_and(|open| !body[open..].contains("]("))
}

/// For a file with no final newline: when its last Key Sources entry is cut off,
/// says that the file ends in the middle of it (in place of the cut-off warning).
pub(crate) fn check_file_end(document: &crate::Document, diagnostics: &mut Vec<Diagnostic>) {
    let Some(last) = document.key_sources.last() else {
        return;
    };
    let ends_there = document
        .sections
        .last()
        .is_some_and(|s| s.label == crate::document::KEY_SOURCES)
        && document
            .sections
            .last()
            .and_then(|s| s.paragraphs.last())
            .is_none_or(|p| p.line <= last.line);
    let unfinished = is_cut_off(&last.raw)
        || !last
            .raw
            .trim_end()
            .ends_with(['.', ')', '"', '\'', '\u{201D}', '\u{2019}']);
    if ends_there && unfinished {
        diagnostics.retain(|d| !(d.line == last.line && d.message.starts_with(CUT_OFF)));
        diagnostics.push(Diagnostic {
            line: last.line,
            severity: Severity::Warning,
            message: format!(
                "the file ends in the middle of a Key Sources entry (no final newline): `{}`",
                clip(&last.text, 60)
            ),
        });
    }
}

/// Whether the next non-empty item after `index` is a dated entry.
fn next_has_year(blocks: &[&Block<'_>], index: usize) -> bool {
    for block in &blocks[index + 1..] {
        let body = block.body.trim();
        match block.kind {
            BlockKind::ListItem if body.is_empty() => continue,
            BlockKind::ListItem | BlockKind::Paragraph => return year_token(body).is_some(),
            _ => return false,
        }
    }
    false
}

/// An issuer written as a list item is a bare name: no link, no closing period.
fn looks_like_issuer(body: &str) -> bool {
    !body.contains("](")
        && !body.ends_with('.')
        && !body.contains('\n')
        && body.chars().count() <= 120
}

fn read_entry(
    block: &Block<'_>,
    issuer: Option<&str>,
    diagnostics: &mut Vec<Diagnostic>,
) -> SourceEntry {
    let line = block.line();
    let body = block.body.trim();
    let token = year_token(body);
    let rest = match token {
        Some(t) => format!("{}{}", body[..t.start].trim_end(), &body[t.end..]),
        None => body.to_owned(),
    };
    let rest = rest.trim();
    let text = normalize_markdown(rest);
    let title_source = link_text(rest).map_or_else(|| text.clone(), normalize_markdown);
    let title = cut_title(&title_source);

    let lower = text.to_ascii_lowercase();
    let approval_at = find_word(&lower, "approved by ");
    let designation = find_designation(&text[..approval_at.unwrap_or(text.len())]);
    let approval = approval_at.and_then(|at| {
        let from = at + "approved by ".len();
        let (instrument, end) = read_instrument(&text[from..])?;
        Some((instrument, text[at..from + end].to_owned()))
    });
    let amended = amendment_years(&lower);
    let available_online = !lower.contains("not available online");
    let (parties, parties_quote) = read_parties(&text);

    let mut kind = classify_title(&title);
    if kind == EntityKind::Publication
        && !has_keyword(&title)
        && (designation.is_some() || approval.is_some())
    {
        kind = EntityKind::Law;
    }

    if token.is_none() {
        diagnostics.push(Diagnostic {
            line,
            severity: Severity::Warning,
            message: format!(
                "Key Sources entry has no year (expected `YEAR`, `YEARa` or `n.d.` before the title): `{}`",
                clip(body, 80)
            ),
        });
    }
    if is_cut_off(body) {
        diagnostics.push(Diagnostic {
            line,
            severity: Severity::Warning,
            message: format!(
                "{CUT_OFF}: its link `[…` is never closed (`{}`)",
                clip(body, 80)
            ),
        });
    }
    if title.is_empty() {
        diagnostics.push(Diagnostic {
            line,
            severity: Severity::Warning,
            message: format!("Key Sources entry has no title: `{}`", clip(body, 80)),
        });
    }

    // The issuer heading says under whom the profile lists the entry, not who
    // issued it: it stays the entry's `issuer`, never an ISSUED_BY candidate.
    let mut relations = Vec::new();
    if let Some((instrument, quote)) = &approval {
        if allowed_sources(RelationType::ApprovedBy).contains(&kind) {
            relations.push(CandidateRelation {
                ty: RelationType::ApprovedBy,
                entry_role: EntryRole::Source,
                counterpart: instrument.text.clone(),
                quote: quote.clone(),
            });
        }
    }
    if allowed_targets(RelationType::PartyTo, EntityKind::Institution).contains(&kind) {
        for party in &parties {
            relations.push(CandidateRelation {
                ty: RelationType::PartyTo,
                entry_role: EntryRole::Target,
                counterpart: party.clone(),
                quote: parties_quote.clone(),
            });
        }
    }

    SourceEntry {
        line,
        raw: block.raw(),
        text,
        issuer: issuer.map(str::to_owned),
        year: token.and_then(|t| t.year),
        suffix: token.and_then(|t| t.suffix),
        undated: token.is_some_and(|t| t.undated),
        title,
        kind,
        designation,
        approved_by: approval.map(|(instrument, _)| instrument),
        amended,
        available_online,
        parties,
        relations,
    }
}

/// The text of a leading markdown link: `[Title.](#) Capital.` → `Title.`.
fn link_text(rest: &str) -> Option<&str> {
    let inner = rest.strip_prefix('[')?;
    let close = inner.find("](")?;
    Some(&inner[..close])
}

/// Where the notes that follow a title begin, lower case.
const TITLE_ENDS: &[&str] = &[
    ", approved by",
    " approved by",
    ", amended in",
    ". not available online",
    ", not available online",
    " not available online",
    ", dated ",
];

/// The title without approval, amendment and availability notes or a trailing date.
fn cut_title(source: &str) -> String {
    let lower = source.to_ascii_lowercase();
    let mut end = source.len();
    for marker in TITLE_ENDS {
        if let Some(at) = lower.find(marker).filter(|&at| at > 0) {
            end = end.min(at);
        }
    }
    // "…, Decree No. 740 of 31 July 2002" names the entry's own act: cut before it,
    // unless the title is nothing but the act ("Decree No. 326 of 13 September 2010").
    for kind in INSTRUMENT_KINDS {
        let marker = format!(", {kind} no.");
        if let Some(at) = lower.find(&marker).filter(|&at| at > 0) {
            end = end.min(at);
        }
    }
    let mut title = source[..end]
        .trim()
        .trim_end_matches(['.', ',', ';'])
        .trim_end();
    // A trailing "26 August." or "Istanbul, 19–20 February." dates the publication.
    let sentences = crate::sentences::split_sentences(title);
    if let (true, Some(tail)) = (sentences.len() >= 2, sentences.last()) {
        // `title` is trimmed, so its last sentence ends where it ends.
        let at = title.len() - tail.len();
        let words = tail.split_whitespace().count();
        let dated = tail.chars().any(|c| c.is_ascii_digit())
            && tail
                .split(|c: char| !c.is_alphabetic())
                .any(|w| MONTHS.contains(&w.to_ascii_lowercase().as_str()));
        if dated && words <= 5 {
            title = title[..at].trim_end();
        }
    }
    title
        .trim_end_matches(['.', ',', ';'])
        .trim_end()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_cut() {
        fn check(source: &str, expected: &str) {
            assert_eq!(cut_title(source), expected, "source: {source:?}");
        }
        check(
            "Law on Diplomatic Service, amended in 2023.",
            "Law on Diplomatic Service",
        );
        check(
            "Agreement between A and B, approved by Law No. 1 of 2 May 2000.",
            "Agreement between A and B",
        );
        check(
            "Law on Social Insurance. Not available online.",
            "Law on Social Insurance",
        );
        check(
            "Establishment of the Border Office, Decree No. 7 of 1 May 2002.",
            "Establishment of the Border Office",
        );
        check(
            "Decree No. 326 of 13 September 2010.",
            "Decree No. 326 of 13 September 2010",
        );
        check(
            "Migration management during the pandemic. 26 August.",
            "Migration management during the pandemic",
        );
        check(
            "Commitments: A plan. Istanbul, 19–20 February.",
            "Commitments: A plan",
        );
        check("Internal rules, approved by Decision No. 3 of the Cabinet of Ministers, dated 4 May 2016.", "Internal rules");
    }
}
