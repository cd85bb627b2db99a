//! The Key Sources list: issuers, entries, the instruments and parties an entry
//! names, its likely entity kind and the relations it suggests.
//!
//! Entries follow one loose pattern — `YEAR[letter] Title[, approved by <act>]
//! [, amended in YEAR][. Not available online]` — but profiles differ in how they
//! mark issuers (headings, or list items that carry no year), so everything is read
//! from the shape of the text rather than from known names.

use crate::blocks::{Block, BlockKind};
use crate::document::{
    clip, CandidateRelation, Diagnostic, EntryRole, Instrument, Severity, SourceEntry,
};
use govgraph_model::text::{fold, normalize_markdown};
use govgraph_model::{allowed_sources, allowed_targets, EntityKind, RelationType};

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

/// A year as the list gives it: "1996a", "2019", "n.d.", "n.d.b".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct YearToken {
    year: Option<i32>,
    suffix: Option<char>,
    undated: bool,
    /// Byte range of the token in the text it was found in.
    start: usize,
    end: usize,
}

fn year_token(body: &str) -> Option<YearToken> {
    leading_year(body).or_else(|| parenthesized_year(body))
}

/// The year token that opens `body`, with its range.
fn leading_year(body: &str) -> Option<YearToken> {
    let end = body.find(char::is_whitespace).unwrap_or(body.len());
    let token = read_year_word(&body[..end])?;
    Some(YearToken {
        start: 0,
        end,
        ..token
    })
}

/// A year in parentheses anywhere in `body`: "Law on Things (2019a)".
fn parenthesized_year(body: &str) -> Option<YearToken> {
    let mut from = 0;
    while let Some(open) = body[from..].find('(').map(|i| i + from) {
        let close = body[open..].find(')').map(|i| i + open)?;
        if let Some(token) = read_year_word(&body[open + 1..close]) {
            return Some(YearToken {
                start: open,
                end: close + 1,
                ..token
            });
        }
        from = open + 1;
    }
    None
}

/// Reads one word as a year token; the range fields are left to the caller.
fn read_year_word(word: &str) -> Option<YearToken> {
    let word = word
        .trim()
        .trim_start_matches('(')
        .trim_end_matches([')', ':', ',', ';']);
    let lower = word.to_ascii_lowercase();
    let blank = YearToken {
        year: None,
        suffix: None,
        undated: false,
        start: 0,
        end: 0,
    };
    if let Some(rest) = lower.strip_prefix("n.d") {
        let rest = rest.strip_prefix('.').unwrap_or(rest);
        let rest = rest.strip_suffix('.').unwrap_or(rest);
        return match rest.len() {
            0 => Some(YearToken {
                undated: true,
                ..blank
            }),
            1 if rest.chars().all(|c| c.is_ascii_lowercase()) => Some(YearToken {
                undated: true,
                suffix: rest.chars().next(),
                ..blank
            }),
            _ => None,
        };
    }
    let digits = lower.bytes().take_while(u8::is_ascii_digit).count();
    if digits != 4 {
        return None;
    }
    let year: i32 = lower[..4].parse().ok()?;
    if !govgraph_model::YEARS.contains(&year) {
        return None;
    }
    let rest = &lower[4..];
    let rest = rest.strip_suffix('.').unwrap_or(rest);
    let suffix = match rest.len() {
        0 => None,
        1 if rest.chars().all(|c| c.is_ascii_lowercase()) => rest.chars().next(),
        _ => return None,
    };
    Some(YearToken {
        year: Some(year),
        suffix,
        ..blank
    })
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

/// The kinds of legal act that carry numbers and dates, lower case, singular.
const INSTRUMENT_KINDS: &[&str] = &[
    "law",
    "decree",
    "decision",
    "resolution",
    "order",
    "ordinance",
    "regulation",
    "act",
    "directive",
    "instruction",
];

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The first "<Act> No. …" in `text`: the entry's own designation.
fn find_designation(text: &str) -> Option<Instrument> {
    let lower = text.to_ascii_lowercase();
    let at = INSTRUMENT_KINDS
        .iter()
        .filter_map(|kind| find_word(&lower, &format!("{kind} no")))
        .min()?;
    read_instrument(&text[at..]).map(|(instrument, _)| instrument)
}

/// Reads "Law No. 916-IIIQ of 26 November 2009", "Decision No. 145 of the Cabinet of
/// Ministers, dated 31 October 2003", "order of the President of … on 6 December 2017"
/// from the start of `s`. Returns the instrument and the byte length read.
fn read_instrument(s: &str) -> Option<(Instrument, usize)> {
    let lower = s.to_ascii_lowercase();
    let start = if lower.starts_with("the ") { 4 } else { 0 };
    let word_len = lower[start..]
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(lower.len() - start);
    let word = &lower[start..start + word_len];
    let singular = word
        .strip_suffix('s')
        .filter(|w| INSTRUMENT_KINDS.contains(w))
        .unwrap_or(word);
    if !INSTRUMENT_KINDS.contains(&singular) {
        return None;
    }
    let mut pos = start + word_len;
    let mut number = None;
    let mut date: Option<(String, i32)> = None;
    let mut authority = None;
    'read: loop {
        let rest = &s[pos..];
        let lrest = &lower[pos..];
        if number.is_none() {
            if let Some(lead) = [" no. ", " no.", " no ", " number "]
                .iter()
                .find(|l| lrest.starts_with(*l))
            {
                let from = pos + lead.len();
                let len = s[from..]
                    .find(|c: char| c.is_whitespace() || c == ',')
                    .unwrap_or(s.len() - from);
                let value = s[from..from + len].trim_end_matches(['.', ';', ')']);
                if !value.is_empty() && value.chars().any(|c| c.is_ascii_digit()) {
                    number = Some(value.to_owned());
                    pos = from + value.len();
                    continue;
                }
            }
        }
        if date.is_none() {
            for lead in [" of ", ", dated ", " dated ", " on ", ", of "] {
                if let Some(after) = lrest.strip_prefix(lead).map(|_| &rest[lead.len()..]) {
                    if let Some((text, year, len)) = read_date(after) {
                        date = Some((text, year));
                        pos += lead.len() + len;
                        continue 'read;
                    }
                }
            }
        }
        if authority.is_none() && lrest.starts_with(" of the ") {
            let from = pos + " of the ".len();
            let len = authority_len(&s[from..]);
            if len > 0 {
                authority = Some(s[from..from + len].to_owned());
                pos = from + len;
                continue;
            }
        }
        break;
    }
    let kind = {
        let mut chars = singular.chars();
        chars
            .next()
            .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
            .unwrap_or_default()
    };
    let text = s[start..pos].trim_end_matches(['.', ',']).to_owned();
    let (date, year) = match date {
        Some((text, year)) => (Some(text), Some(year)),
        None => (None, None),
    };
    Some((
        Instrument {
            kind,
            number,
            date,
            year,
            authority,
            text,
        },
        pos,
    ))
}

/// Length of a body's name after "of the": up to a comma, a sentence end, a date or
/// a number.
fn authority_len(s: &str) -> usize {
    let lower = s.to_ascii_lowercase();
    let mut end = s.len();
    for stop in [", ", ". ", " dated", " no.", " no ", " and ", " approved"] {
        if let Some(at) = lower.find(stop) {
            end = end.min(at);
        }
    }
    for lead in [" of ", " on "] {
        let mut from = 0;
        while let Some(at) = lower[from..].find(lead).map(|i| i + from) {
            if read_date(&s[at + lead.len()..]).is_some() {
                end = end.min(at);
                break;
            }
            from = at + 1;
        }
    }
    s[..end].trim_end_matches(['.', ')']).len()
}

/// A date at the start of `s`: "26 November 2009", "November 2009" or "2005".
/// Returns it as written, its year and its byte length.
fn read_date(s: &str) -> Option<(String, i32, usize)> {
    let words: Vec<(usize, &str)> = s
        .split(' ')
        .scan(0, |at, word| {
            let start = *at;
            *at += word.len() + 1;
            Some((start, word))
        })
        .take(3)
        .collect();
    let is_month = |w: &str| MONTHS.contains(&w.to_ascii_lowercase().as_str());
    let year_of = |w: &str| -> Option<i32> {
        let digits = w.bytes().take_while(u8::is_ascii_digit).count();
        if digits != 4 {
            return None;
        }
        w[..4]
            .parse()
            .ok()
            .filter(|y| govgraph_model::YEARS.contains(y))
    };
    let day = |w: &str| (1..=2).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_digit());
    let end_of = |index: usize| words[index].0 + 4;
    match words.as_slice() {
        [(_, d), (_, m), (_, y), ..] if day(d) && is_month(m) => {
            let year = year_of(y)?;
            Some((s[..end_of(2)].to_owned(), year, end_of(2)))
        }
        [(_, m), (_, y), ..] if is_month(m) => {
            let year = year_of(y)?;
            Some((s[..end_of(1)].to_owned(), year, end_of(1)))
        }
        [(_, y), ..] => {
            let year = year_of(y)?;
            Some((s[..4].to_owned(), year, 4))
        }
        [] => None,
    }
}

/// Every year written as "amended in YEAR".
fn amendment_years(lower: &str) -> Vec<i32> {
    let mut years = Vec::new();
    let mut from = 0;
    while let Some(at) = lower[from..].find("amended in ").map(|i| i + from) {
        let after = &lower[at + "amended in ".len()..];
        if let Some((_, year, _)) = read_date(after) {
            years.push(year);
        }
        from = at + 1;
    }
    years
}

/// The parties of "between A and B" or "signed with B", and the span that names them.
fn read_parties(text: &str) -> (Vec<String>, String) {
    let lower = text.to_ascii_lowercase();
    if let Some(at) = find_word(&lower, "between ") {
        let from = at + "between ".len();
        let segment = &lower[from..];
        // A name may itself contain "and" ("Ministry of Labour and Social Protection"),
        // so prefer the split where the second party starts with "the".
        let split = segment
            .find(" and the ")
            .or_else(|| {
                segment
                    .match_indices(" and ")
                    .map(|(i, _)| i)
                    .find(|&i| text[from + i + 5..].starts_with(|c: char| c.is_uppercase()))
            })
            .or_else(|| segment.find(" and "));
        if let Some(split) = split {
            let first = &text[from..from + split];
            let second_from = from + split + " and ".len();
            let second_len = party_len(&text[second_from..]);
            let parties = [first, &text[second_from..second_from + second_len]]
                .iter()
                .map(|p| party_name(p))
                .filter(|p| !p.is_empty())
                .collect();
            return (parties, text[at..second_from + second_len].to_owned());
        }
    }
    if let Some(at) = find_word(&lower, "signed with ") {
        let from = at + "signed with ".len();
        let len = party_len(&text[from..]);
        let party = party_name(&text[from..from + len]);
        if !party.is_empty() {
            return (vec![party], text[at..from + len].to_owned());
        }
    }
    (Vec::new(), String::new())
}

/// Length of the last party's name: it ends where the subject of the agreement or a
/// note begins ("… on cooperation", "… in the field of"). A comma before a capital stays inside ("Service of the Interior,
/// Immigration Office").
fn party_len(s: &str) -> usize {
    let lower = s.to_ascii_lowercase();
    let mut end = s.len();
    // Not " for ": it is often part of a name ("Committee for Combating …").
    for stop in [" on ", " in ", " concerning ", " regarding ", ". ", ";"] {
        if let Some(at) = lower.find(stop) {
            end = end.min(at);
        }
    }
    for (at, _) in s.match_indices(", ") {
        if s[at + 2..].starts_with(|c: char| !c.is_uppercase()) {
            end = end.min(at);
            break;
        }
    }
    let name = s[..end].trim_end_matches(['.', ',']);
    // A closing parenthesis ends the name only when it closes nothing in it:
    // "Republic of China (Taiwan)" keeps its own.
    let name = if name.ends_with(')') && name.matches('(').count() < name.matches(')').count() {
        name.trim_end_matches(')')
    } else {
        name
    };
    name.trim_end_matches(['.', ',']).trim_end().len()
}

fn party_name(raw: &str) -> String {
    let raw = raw.trim();
    let raw = raw.strip_prefix("the ").unwrap_or(raw);
    raw.trim_end_matches(['.', ',']).trim().to_owned()
}

/// Byte offset of `needle` in `haystack` where it starts a word.
fn find_word(haystack: &str, needle: &str) -> Option<usize> {
    haystack.match_indices(needle).map(|(i, _)| i).find(|&i| {
        !haystack[..i]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
    })
}

/// Words that tell what kind of entity a title names. The earliest keyword in a
/// title wins, the longest at a position, so "State Programme" is a policy while
/// "Programme" alone is a programme, and "Law on State Policy" is a law.
const KEYWORDS: &[(&str, EntityKind)] = {
    use EntityKind::*;
    &[
        ("memorandum", Agreement),
        ("memoranda", Agreement),
        ("agreement", Agreement),
        ("declaration", Agreement),
        ("protocol", Agreement),
        ("mou", Agreement),
        ("convention", Convention),
        ("treaty", Convention),
        ("strategy", Policy),
        ("strategies", Policy),
        ("action plan", Policy),
        ("plan of action", Policy),
        ("plan", Policy),
        ("state programme", Policy),
        ("state program", Policy),
        ("road map", Policy),
        ("roadmap", Policy),
        ("concept", Policy),
        ("national priorities", Policy),
        ("policy", Policy),
        ("programme", Programme),
        ("program", Programme),
        ("project", Programme),
        ("initiative", Programme),
        ("constitution", Law),
        ("code", Law),
        ("law", Law),
        ("decree", Law),
        ("decision", Law),
        ("order", Law),
        ("charter", Law),
        ("regulation", Law),
        ("rule", Law),
        ("resolution", Law),
        ("act", Law),
        ("statute", Law),
        ("ordinance", Law),
        ("report", Publication),
        ("yearbook", Publication),
        ("statistics", Publication),
        ("survey", Publication),
        ("bulletin", Publication),
        ("website", Publication),
        ("web page", Publication),
        ("portal", Publication),
        ("chronicle", Publication),
    ]
};

/// The entity kind a Key Sources title most likely names; PUBLICATION when no
/// keyword says otherwise. "Order … on approval of X" is classified by X.
pub fn classify_title(title: &str) -> EntityKind {
    let folded = fold(title);
    if let Some(at) = folded.find(" on approval of ") {
        if let Some(kind) = keyword_kind(&folded[at + " on approval of ".len()..]) {
            return kind;
        }
    }
    keyword_kind(&folded).unwrap_or(EntityKind::Publication)
}

fn has_keyword(title: &str) -> bool {
    keyword_kind(&fold(title)).is_some()
}

fn keyword_kind(folded: &str) -> Option<EntityKind> {
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    for start in 0..words.len() {
        let mut best: Option<(usize, EntityKind)> = None;
        for (keyword, kind) in KEYWORDS {
            let parts: Vec<&str> = keyword.split(' ').collect();
            let fits = parts.iter().enumerate().all(|(offset, part)| {
                words
                    .get(start + offset)
                    .is_some_and(|w| w == part || w.strip_suffix('s') == Some(part))
            });
            if fits && best.is_none_or(|(len, _)| parts.len() > len) {
                best = Some((parts.len(), *kind));
            }
        }
        if let Some((_, kind)) = best {
            return Some(kind);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_tokens_are_read() {
        fn check(body: &str, expected: Option<(Option<i32>, Option<char>, bool)>) {
            let got = year_token(body).map(|t| (t.year, t.suffix, t.undated));
            assert_eq!(got, expected, "body: {body:?}");
        }
        check("1996a [Title.](#)", Some((Some(1996), Some('a'), false)));
        check("2019 Title.", Some((Some(2019), None, false)));
        check("2019. Title.", Some((Some(2019), None, false)));
        check("n.d. [Thing.](#)", Some((None, None, true)));
        check("n.d.b [Thing.](#)", Some((None, Some('b'), true)));
        check(
            "Law on Things (2004b).",
            Some((Some(2004), Some('b'), false)),
        );
        check("19x6 Law on Things.", None);
        check("Government of Somewhere", None);
        check("12345 Things", None);
    }

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

    #[test]
    fn instruments_are_read() {
        /// (text, number, date, year, authority)
        type Read<'a> = (
            &'a str,
            Option<&'a str>,
            Option<&'a str>,
            Option<i32>,
            Option<&'a str>,
        );
        fn check(s: &str, expected: Option<Read<'_>>) {
            let got = read_instrument(s).map(|(i, _)| i);
            let got = got.as_ref().map(|i| {
                (
                    i.text.as_str(),
                    i.number.as_deref(),
                    i.date.as_deref(),
                    i.year,
                    i.authority.as_deref(),
                )
            });
            assert_eq!(got, expected, "input: {s:?}");
        }
        check(
            "Law No. 916-IIIQ of 26 November 2009.",
            Some((
                "Law No. 916-IIIQ of 26 November 2009",
                Some("916-IIIQ"),
                Some("26 November 2009"),
                Some(2009),
                None,
            )),
        );
        check(
            "Decision No. 317 of the Cabinet of Ministers, dated 24 August 2016.",
            Some((
                "Decision No. 317 of the Cabinet of Ministers, dated 24 August 2016",
                Some("317"),
                Some("24 August 2016"),
                Some(2016),
                Some("Cabinet of Ministers"),
            )),
        );
        check(
            "order of the Chief Minister of Nowhere on 6 May 2017.",
            Some((
                "order of the Chief Minister of Nowhere on 6 May 2017",
                None,
                Some("6 May 2017"),
                Some(2017),
                Some("Chief Minister of Nowhere"),
            )),
        );
        check(
            "Decree of 6 December 2016.",
            Some((
                "Decree of 6 December 2016",
                None,
                Some("6 December 2016"),
                Some(2016),
                None,
            )),
        );
        check(
            "Decree No. 1182 of 2005 establishes",
            Some((
                "Decree No. 1182 of 2005",
                Some("1182"),
                Some("2005"),
                Some(2005),
                None,
            )),
        );
        check(
            "Decision No. 317 of the Cabinet of Ministers.",
            Some((
                "Decision No. 317 of the Cabinet of Ministers",
                Some("317"),
                None,
                None,
                Some("Cabinet of Ministers"),
            )),
        );
        check("the Ministry of Things", None);
    }

    #[test]
    fn parties_are_read() {
        fn check(text: &str, expected: &[&str], quote: &str) {
            let (parties, got_quote) = read_parties(text);
            assert_eq!(parties, expected, "text: {text:?}");
            assert_eq!(got_quote, quote, "text: {text:?}");
        }
        check(
            "Agreement on pensions between the Government of Ruritania and the Government of Freedonia.",
            &["Government of Ruritania", "Government of Freedonia"],
            "between the Government of Ruritania and the Government of Freedonia",
        );
        check(
            "Memorandum between the Ministry of Labour and Welfare of Ruritania and the Office of Work, Freedonia Branch on cooperation.",
            &["Ministry of Labour and Welfare of Ruritania", "Office of Work, Freedonia Branch"],
            "between the Ministry of Labour and Welfare of Ruritania and the Office of Work, Freedonia Branch",
        );
        check(
            "Agreement between the Republic of Ruritania and the Duchy of Grand Fenwick in the field of pensions, approved by Law No. 5.",
            &["Republic of Ruritania", "Duchy of Grand Fenwick"],
            "between the Republic of Ruritania and the Duchy of Grand Fenwick",
        );
        check(
            "Memorandum between the Ministry of the Interior of Ruritania and the Committee for Fighting Smuggling of Freedonia, approved by Decree No. 4.",
            &["Ministry of the Interior of Ruritania", "Committee for Fighting Smuggling of Freedonia"],
            "between the Ministry of the Interior of Ruritania and the Committee for Fighting Smuggling of Freedonia",
        );
        check(
            "Agreement on social security signed with Ruritania.",
            &["Ruritania"],
            "signed with Ruritania",
        );
        check("Law on Education.", &[], "");
    }

    #[test]
    fn titles_are_classified() {
        use EntityKind::*;
        fn check(title: &str, expected: EntityKind) {
            assert_eq!(classify_title(title), expected, "title: {title:?}");
        }
        check("Labour Code", Law);
        check("Law on State Policy Connected with Citizens Abroad", Law);
        check("Constitution of the Republic", Law);
        check("Internal disciplinary rules of detention centres", Law);
        check("Memorandum of understanding on cooperation", Agreement);
        check("Building Partnerships: Joint Declaration", Agreement);
        check("The First State Programme on the Great Return", Policy);
        check("Employment Strategy for 2019–2030", Policy);
        check(
            "Strategic Roadmap for Development of Financial Services",
            Policy,
        );
        check(
            "National Action Plan for the Fight against Trafficking",
            Policy,
        );
        check(
            "Order of the President on approval of \"Vision 2030: National Priorities\"",
            Policy,
        );
        check("The Educational Grant Programme for Citizens", Programme);
        check("Brain Gain programme", Programme);
        check("Statistical Yearbook", Publication);
        check("Daily chronicle", Publication);
        check("Quota information on economic activities", Publication);
        check("Lisbon Recognition Convention", Convention);
    }
}
