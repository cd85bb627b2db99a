//! Walks the blocks of a profile once, assigning paragraphs to sections, collecting
//! footnotes and Table 1, and handing the Key Sources blocks to [`crate::sources`].

use crate::blocks::{lex, Block, BlockKind};
use crate::document::{
    clip, ConventionRow, Diagnostic, Document, Footnote, FootnoteRef, Paragraph, Section,
    SectionKind, Severity, Table, KEY_SOURCES, NAMED_SECTIONS,
};
use crate::Parsed;
use govgraph_model::text::{fold, normalize_markdown};
use std::collections::BTreeSet;

/// The label of whatever precedes the first heading.
const FRONT_MATTER: &str = "Front matter";

pub(crate) fn parse(text: &str) -> Parsed {
    let blocks = lex(text);
    let mut reader = Reader::default();
    reader.sections.push(Section {
        label: FRONT_MATTER.to_owned(),
        kind: SectionKind::Unlisted,
        title: String::new(),
        line: 1,
        paragraphs: Vec::new(),
    });
    let mut key_source_blocks: Vec<&Block<'_>> = Vec::new();
    let mut index = 0;
    while index < blocks.len() {
        let block = &blocks[index];
        index += 1;
        if let Some((label, kind, title)) = reader.section_start(block) {
            if let (SectionKind::Numbered, BlockKind::Heading(level)) = (kind, block.kind) {
                reader
                    .numbered_levels
                    .push((label.clone(), usize::from(level), block.line()));
            }
            reader.start_section(label, kind, title, block.line());
            continue;
        }
        if reader.in_key_sources() {
            key_source_blocks.push(block);
        }
        match block.kind {
            BlockKind::Heading(_) => {}
            BlockKind::FootnoteDef => reader.footnote(block),
            BlockKind::Paragraph if is_table1_caption(&block.body) => {
                reader.paragraph(block);
                index = reader.table1(block, &blocks, index);
            }
            BlockKind::Paragraph | BlockKind::ListItem | BlockKind::TableRow => {
                reader.paragraph(block)
            }
        }
    }
    // A profile that opens with a heading has no front matter worth a section.
    let empty_front = reader
        .sections
        .first()
        .is_some_and(|s| s.label == FRONT_MATTER && s.paragraphs.is_empty());
    let front_cited = reader.footnotes.iter().any(|f| f.section == FRONT_MATTER)
        || reader.refs.iter().any(|r| r.section == FRONT_MATTER);
    if empty_front && !front_cited {
        reader.sections.remove(0);
    }
    let key_sources_seen = reader.sections.iter().any(|s| s.label == KEY_SOURCES);
    let reader_levels = std::mem::take(&mut reader.numbered_levels);
    let mut document = Document {
        sections: reader.sections,
        footnotes: reader.footnotes,
        footnote_refs: reader.refs,
        table1: reader.table1,
        key_sources: Vec::new(),
    };
    let mut diagnostics = reader.diagnostics;
    if key_sources_seen {
        document.key_sources = crate::sources::read_entries(&key_source_blocks, &mut diagnostics);
        if document.key_sources.is_empty() {
            let line = document.section(KEY_SOURCES).map_or(0, |s| s.line);
            diagnostics.push(Diagnostic {
                line,
                severity: Severity::Warning,
                message: "the KEY SOURCES section lists no entries (expected items such as `- 2019 Title.`)".to_owned(),
            });
        }
    } else {
        diagnostics.push(Diagnostic {
            line: 0,
            severity: Severity::Error,
            message: "no KEY SOURCES section: expected a heading or a line `KEY SOURCES`"
                .to_owned(),
        });
    }
    if document.table1.is_none() {
        diagnostics.push(Diagnostic {
            line: 0,
            severity: Severity::Warning,
            message: "no Table 1: expected a caption starting `**Table 1.**` followed by a table"
                .to_owned(),
        });
    }
    let glued = crate::checks::glued_markers(&document, &mut diagnostics);
    check_footnotes(&document, &glued, &mut diagnostics);
    crate::checks::missing_domains(&document, &mut diagnostics);
    crate::checks::heading_levels(&reader_levels, &mut diagnostics);
    if !text.ends_with('\n') {
        crate::sources::check_file_end(&document, &mut diagnostics);
    }
    diagnostics.sort_by_key(|d| d.line);
    Parsed {
        document,
        diagnostics,
    }
}

#[derive(Default)]
struct Reader {
    sections: Vec<Section>,
    footnotes: Vec<Footnote>,
    refs: Vec<FootnoteRef>,
    table1: Option<Table>,
    diagnostics: Vec<Diagnostic>,
    /// (label, heading level, line) of each numbered section's heading.
    numbered_levels: Vec<(String, usize, usize)>,
}

impl Reader {
    fn current(&mut self) -> &mut Section {
        // The front-matter section is pushed before any block is read, so there is
        // always a last section; the fallback only keeps this total.
        if self.sections.is_empty() {
            self.start_section(
                FRONT_MATTER.to_owned(),
                SectionKind::Unlisted,
                String::new(),
                1,
            );
        }
        let last = self.sections.len() - 1;
        &mut self.sections[last]
    }

    fn current_label(&self) -> String {
        self.sections
            .last()
            .map_or_else(|| FRONT_MATTER.to_owned(), |s| s.label.clone())
    }

    fn in_key_sources(&self) -> bool {
        self.sections.last().is_some_and(|s| s.label == KEY_SOURCES)
    }

    fn start_section(&mut self, label: String, kind: SectionKind, title: String, line: usize) {
        if kind != SectionKind::Unlisted && self.sections.iter().any(|s| s.label == label) {
            self.diagnostics.push(Diagnostic {
                line,
                severity: Severity::Warning,
                message: format!(
                    "section `{label}` appears a second time (heading `{title}`); both are kept"
                ),
            });
        }
        self.sections.push(Section {
            label,
            kind,
            title,
            line,
            paragraphs: Vec::new(),
        });
    }

    /// The section a block opens, if any: a named or numbered heading at any level,
    /// any other top-level heading, a heading that is only a dimension number, or a
    /// bare all-caps line that spells a named section ("CONTEXT").
    fn section_start(&self, block: &Block<'_>) -> Option<(String, SectionKind, String)> {
        match block.kind {
            BlockKind::Heading(level) => {
                let title = normalize_markdown(&block.body);
                if let Some(label) = named_label(&title) {
                    return Some((label.to_owned(), SectionKind::Named, title));
                }
                // Inside Key Sources every other heading names an issuer.
                if self.in_key_sources() {
                    return None;
                }
                if let Some(label) = numbered_label(&title) {
                    return Some((label, SectionKind::Numbered, title));
                }
                let dimension = !title.is_empty() && title.bytes().all(|b| b.is_ascii_digit());
                if level == 1 || dimension {
                    return Some((unlisted_label(&title), SectionKind::Unlisted, title));
                }
                None
            }
            BlockKind::Paragraph if block.lines.len() == 1 => {
                let title = normalize_markdown(&block.body);
                let has_letters = title.chars().any(char::is_alphabetic);
                let all_caps = has_letters && !title.chars().any(char::is_lowercase);
                let label = named_label(&title).filter(|_| all_caps)?;
                Some((label.to_owned(), SectionKind::Named, title))
            }
            _ => None,
        }
    }

    fn paragraph(&mut self, block: &Block<'_>) {
        self.markers(block, 0);
        let body = if block.kind == BlockKind::TableRow {
            block.body.replace('\t', " ")
        } else {
            block.body.clone()
        };
        let paragraph = Paragraph {
            line: block.line(),
            raw: block.raw(),
            text: normalize_markdown(&body),
        };
        // An empty list item or a line of bare markup has nothing to cite.
        if !paragraph.text.is_empty() {
            self.current().paragraphs.push(paragraph);
        }
    }

    fn footnote(&mut self, block: &Block<'_>) {
        let body = block.body.as_str();
        // The lexer only makes a FootnoteDef of a body starting `<sup>digits</sup>`.
        let Some(end) = body.find("</sup>") else {
            return;
        };
        let number_text = body["<sup>".len()..end].trim();
        let Ok(number) = number_text.parse::<u32>() else {
            self.diagnostics.push(Diagnostic {
                line: block.line(),
                severity: Severity::Warning,
                message: format!(
                    "footnote number `{number_text}` is too large; definition skipped"
                ),
            });
            return;
        };
        self.markers(block, end + "</sup>".len());
        let rest = &body[end + "</sup>".len()..];
        if self.footnotes.iter().any(|f| f.number == number) {
            self.diagnostics.push(Diagnostic {
                line: block.line(),
                severity: Severity::Warning,
                message: format!(
                    "footnote {number} is defined a second time; the first definition is kept"
                ),
            });
            return;
        }
        let section = self.current_label();
        self.footnotes.push(Footnote {
            number,
            label: format!("Footnote {number}"),
            line: block.line(),
            section,
            raw: block.raw(),
            text: normalize_markdown(rest),
        });
    }

    /// Records the `<sup>…</sup>` markers of a block, skipping the first `skip` bytes
    /// of its body (a footnote definition's own number).
    fn markers(&mut self, block: &Block<'_>, skip: usize) {
        let section = self.current_label();
        let mut consumed = 0;
        for (line, text) in &block.lines {
            let from = skip.saturating_sub(consumed);
            consumed += text.trim_start().len() + 1;
            let text = text.trim_start();
            let mut rest = text.get(from..).unwrap_or("");
            while let Some(open) = rest.find("<sup>") {
                let after = &rest[open + "<sup>".len()..];
                let Some(close) = after.find("</sup>") else {
                    self.diagnostics.push(Diagnostic {
                        line: *line,
                        severity: Severity::Warning,
                        message: format!(
                            "footnote marker `{}` is never closed by `</sup>`",
                            clip(&rest[open..], 40)
                        ),
                    });
                    break;
                };
                let inner = &after[..close];
                for part in inner.split(',') {
                    match part.trim().parse::<u32>() {
                        Ok(number) => self.refs.push(FootnoteRef {
                            number,
                            line: *line,
                            section: section.clone(),
                        }),
                        Err(_) => self.diagnostics.push(Diagnostic {
                            line: *line,
                            severity: Severity::Warning,
                            message: format!(
                                "footnote marker `<sup>{inner}</sup>` is not a number"
                            ),
                        }),
                    }
                }
                rest = &after[close + "</sup>".len()..];
            }
        }
    }

    /// Reads the table that follows a Table 1 caption; returns the index of the first
    /// block after it.
    fn table1(&mut self, caption: &Block<'_>, blocks: &[Block<'_>], mut index: usize) -> usize {
        if let Some(first) = &self.table1 {
            self.diagnostics.push(Diagnostic {
                line: caption.line(),
                severity: Severity::Warning,
                message: format!(
                    "a second Table 1 caption; the one at line {} is kept",
                    first.line
                ),
            });
            return index;
        }
        let mut lines: Vec<(usize, Vec<String>)> = Vec::new();
        loop {
            match blocks.get(index) {
                Some(block) if block.kind == BlockKind::TableRow => {
                    lines.push((block.line(), split_cells(&block.body)));
                }
                // A row the conversion broke over two lines, the first without the
                // cell separator: a one-line paragraph between two rows.
                Some(block)
                    if block.kind == BlockKind::Paragraph
                        && block.lines.len() == 1
                        && !lines.is_empty()
                        && blocks
                            .get(index + 1)
                            .is_some_and(|next| next.kind == BlockKind::TableRow) =>
                {
                    lines.push((block.line(), vec![block.body.trim().to_owned()]));
                }
                _ => break,
            }
            index += 1;
        }
        // Some converters lose the tabs and leave runs of spaces between the cells.
        if lines.is_empty() {
            if let Some(block) = blocks.get(index).filter(|b| b.kind == BlockKind::Paragraph) {
                let spaced: Vec<(usize, Vec<String>)> = block
                    .lines
                    .iter()
                    .map(|(n, l)| (*n, split_spaced(l)))
                    .collect();
                let all_split = spaced.iter().all(|(_, cells)| cells.len() >= 2);
                let any_status = spaced
                    .iter()
                    .any(|(_, cells)| cells.last().is_some_and(|c| read_status(c).is_some()));
                if all_split && any_status {
                    lines = spaced;
                    index += 1;
                }
            }
        }
        if lines.is_empty() {
            self.diagnostics.push(Diagnostic {
                line: caption.line(),
                severity: Severity::Warning,
                message: format!(
                    "Table 1 caption `{}` is not followed by a table",
                    clip(&normalize_markdown(&caption.body), 60)
                ),
            });
        }
        let mut rows = Vec::new();
        // The start of a row broken over two lines: its first line, its text,
        // and its longest cell (verbatim: cells stand apart in the text).
        let mut broken: Option<(usize, String, String)> = None;
        let count = lines.len();
        for (position, (line, mut cells)) in lines.into_iter().enumerate() {
            if let Some((first_line, head, head_cell)) = broken.take() {
                let tail = cells.first().cloned().unwrap_or_default();
                if let Some(first) = cells.first_mut() {
                    *first = format!("{head} {first}");
                }
                let longer = if head_cell.len() >= tail.len() {
                    head_cell
                } else {
                    tail
                };
                self.table_row(position, first_line, &cells, Some(longer), &mut rows);
                continue;
            }
            let readable =
                cells.len() >= 2 && cells.last().is_some_and(|c| read_status(c).is_some());
            if !readable && position > 0 && position + 1 < count {
                let longest = cells.iter().max_by_key(|c| c.len()).cloned();
                broken = Some((line, cells.join(" "), longest.unwrap_or_default()));
                continue;
            }
            self.table_row(position, line, &cells, None, &mut rows);
        }
        self.table1 = Some(Table {
            caption: normalize_markdown(&caption.body),
            line: caption.line(),
            rows,
        });
        index
    }

    /// One row of Table 1 into `rows`, or a diagnostic; the first unreadable row
    /// (`position` 0) is the header.
    fn table_row(
        &mut self,
        position: usize,
        line: usize,
        cells: &[String],
        part: Option<String>,
        rows: &mut Vec<ConventionRow>,
    ) {
        let Some((status, name_cells)) = cells.split_last() else {
            return;
        };
        let name = normalize_markdown(&name_cells.join(" "));
        match read_status(status) {
            Some((ratified, year)) if !name.is_empty() => {
                // A verbatim part to cite: the longer line of a broken row, else
                // the longest name cell (a wider table's cells stand apart in
                // the text, so their joined text is not verbatim).
                let quote = match part {
                    Some(p) => normalize_markdown(&p),
                    None if name_cells.len() > 1 => name_cells
                        .iter()
                        .map(|c| normalize_markdown(c))
                        .max_by_key(String::len)
                        .unwrap_or_else(|| name.clone()),
                    None => name.clone(),
                };
                rows.push(ConventionRow {
                    line,
                    name,
                    status: normalize_markdown(status),
                    ratified,
                    year,
                    quote,
                });
            }
            // The first row that reads as no status is the header.
            _ if position == 0 => {}
            _ => self.diagnostics.push(Diagnostic {
                line,
                severity: Severity::Warning,
                message: format!(
                    "Table 1 row `{}` has no readable ratification status (expected `Yes (YEAR)`, `Yes` or `No`); row skipped",
                    clip(&cells.join(" | "), 80)
                ),
            }),
        }
    }
}

fn is_table1_caption(body: &str) -> bool {
    let folded = fold(&normalize_markdown(body));
    let Some(rest) = folded.strip_prefix("table 1") else {
        return false;
    };
    rest.is_empty() || rest.starts_with(['.', ':', ' '])
}

fn split_cells(row: &str) -> Vec<String> {
    let row = row.trim();
    let cells: Vec<&str> = if row.starts_with('|') {
        row.trim_matches('|').split('|').collect()
    } else {
        row.split('\t').collect()
    };
    cells
        .into_iter()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect()
}

fn split_spaced(line: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut rest = line.trim();
    while let Some(gap) = rest.find("  ") {
        cells.push(rest[..gap].trim().to_owned());
        rest = rest[gap..].trim_start();
    }
    if !rest.is_empty() {
        cells.push(rest.to_owned());
    }
    cells.retain(|c| !c.is_empty());
    cells
}

/// "Yes (1993)" → (true, Some(1993)); "No" → (false, None); anything else → None.
fn read_status(cell: &str) -> Option<(bool, Option<i32>)> {
    let folded = fold(&normalize_markdown(cell));
    let folded = folded.trim();
    let word: String = folded.chars().take_while(|c| c.is_alphabetic()).collect();
    let ratified = match word.as_str() {
        "yes" => true,
        "no" | "not" => false,
        _ => return None,
    };
    let year = ratified.then(|| first_year(folded)).flatten();
    Some((ratified, year))
}

/// The first four-digit number in `text` that could be a year.
pub(crate) fn first_year(text: &str) -> Option<i32> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if i - start == 4 {
                let year: i32 = text[start..i].parse().ok()?;
                if govgraph_model::YEARS.contains(&year) {
                    return Some(year);
                }
            }
        } else {
            i += 1;
        }
    }
    None
}

fn named_label(title: &str) -> Option<&'static str> {
    let folded = fold(title);
    let folded = folded.trim().trim_end_matches([':', '.', '*']).trim();
    NAMED_SECTIONS
        .iter()
        .copied()
        .find(|name| fold(name) == folded)
}

/// "1.1. International conventions ratified" → "1.1"; "2.2 Areas" → "2.2".
fn numbered_label(title: &str) -> Option<String> {
    let bytes = title.trim().as_bytes();
    let major = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    if major != 1 || bytes.get(1) != Some(&b'.') {
        return None;
    }
    let minor = bytes[2..].iter().take_while(|b| b.is_ascii_digit()).count();
    if minor == 0 || minor > 2 {
        return None;
    }
    let mut end = 2 + minor;
    if bytes.get(end) == Some(&b'.') {
        end += 1;
    }
    if bytes.get(end).is_some_and(|b| !b.is_ascii_whitespace()) {
        return None;
    }
    Some(String::from_utf8_lossy(&bytes[..2 + minor]).into_owned())
}

/// Sentence case for an all-caps heading, so unlisted labels read like named ones.
fn unlisted_label(title: &str) -> String {
    if title.chars().any(char::is_lowercase) {
        return title.to_owned();
    }
    let mut chars = title.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

fn check_footnotes(document: &Document, glued: &[u32], diagnostics: &mut Vec<Diagnostic>) {
    let defined: BTreeSet<u32> = document.footnotes.iter().map(|f| f.number).collect();
    let mut reported = BTreeSet::new();
    for marker in &document.footnote_refs {
        if !defined.contains(&marker.number) && reported.insert(marker.number) {
            diagnostics.push(Diagnostic {
                line: marker.line,
                severity: Severity::Warning,
                message: format!("footnote {} is referenced but never defined", marker.number),
            });
        }
    }
    let referenced: BTreeSet<u32> = document.footnote_refs.iter().map(|r| r.number).collect();
    for footnote in &document.footnotes {
        if !referenced.contains(&footnote.number) && !glued.contains(&footnote.number) {
            diagnostics.push(Diagnostic {
                line: footnote.line,
                severity: Severity::Warning,
                message: format!(
                    "footnote {} is defined but never referenced",
                    footnote.number
                ),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_labels_are_read() {
        fn check(title: &str, expected: Option<&str>) {
            let got = named_label(title)
                .map(str::to_owned)
                .or_else(|| numbered_label(title));
            assert_eq!(got.as_deref(), expected, "title: {title:?}");
        }
        check("KEY SOURCES", Some("Key sources"));
        check("Key Sources:", Some("Key sources"));
        check("After the MGI assessment", Some("After the MGI assessment"));
        check("1.1. International conventions ratified", Some("1.1"));
        check("6.3 Areas", Some("6.3"));
        check("2.2.", Some("2.2"));
        check("1. Introduction", None);
        check("10.1 Too many", None);
        check("SUMMARY OF FINDINGS", None);
    }

    #[test]
    fn statuses_are_read() {
        fn check(cell: &str, expected: Option<(bool, Option<i32>)>) {
            assert_eq!(read_status(cell), expected, "cell: {cell:?}");
        }
        check("Yes (1993)", Some((true, Some(1993))));
        check(" yes(2001) ", Some((true, Some(2001))));
        check("Yes", Some((true, None)));
        check("No", Some((false, None)));
        check("Ratified (Year)", None);
        check("Not ratified", Some((false, None)));
        check("Maybe", None);
        check("", None);
    }

    #[test]
    fn cells_are_split() {
        fn check(row: &str, expected: &[&str]) {
            assert_eq!(split_cells(row), expected, "row: {row:?}");
        }
        check("Name\tYes (1990)", &["Name", "Yes (1990)"]);
        check("Name\t\t No ", &["Name", "No"]);
        check("| Name | No |", &["Name", "No"]);
        assert_eq!(
            split_spaced("Some convention, 1990    Yes (1991)"),
            ["Some convention, 1990", "Yes (1991)"]
        );
    }
}
