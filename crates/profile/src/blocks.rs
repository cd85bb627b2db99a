//! Splits markdown lines into blocks (headings, paragraphs, list items, footnote
//! definitions, table rows). Only the markdown that MGI profiles use is recognised;
//! anything else is a paragraph, so no input is lost.

/// What a block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BlockKind {
    /// `#`…`######` heading of this level.
    Heading(u8),
    /// Running text.
    Paragraph,
    /// A `- `, `* `, `+ ` or `1. ` item.
    ListItem,
    /// A paragraph that starts with `<sup>N</sup>`.
    FootnoteDef,
    /// A line with tab-separated cells, or a `|` pipe-table row.
    TableRow,
}

/// A run of lines that belong together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Block<'a> {
    pub kind: BlockKind,
    /// (1-based line number, line without trailing white space).
    pub lines: Vec<(usize, &'a str)>,
    /// The content: heading text without `#`, list item without its marker, else the
    /// lines joined with `\n`.
    pub body: String,
}

impl Block<'_> {
    /// Line where the block starts.
    pub fn line(&self) -> usize {
        self.lines.first().map_or(0, |(n, _)| *n)
    }

    /// The lines as written, joined with `\n`.
    pub fn raw(&self) -> String {
        let lines: Vec<&str> = self.lines.iter().map(|(_, l)| *l).collect();
        lines.join("\n")
    }
}

/// Splits `text` into blocks; blank lines and thematic breaks only separate them.
pub(crate) fn lex(text: &str) -> Vec<Block<'_>> {
    let mut blocks: Vec<Block<'_>> = Vec::new();
    // Whether the last block may take the next line as a continuation.
    let mut open = false;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let line = line.trim_end();
        let content = line.trim_start();
        if content.is_empty() || is_thematic_break(content) {
            open = false;
            continue;
        }
        if let Some((level, heading)) = heading(line) {
            blocks.push(Block {
                kind: BlockKind::Heading(level),
                lines: vec![(number, line)],
                body: heading.to_owned(),
            });
            open = false;
            continue;
        }
        if is_table_row(line) {
            if !is_pipe_separator(content) {
                blocks.push(Block {
                    kind: BlockKind::TableRow,
                    lines: vec![(number, line)],
                    body: content.to_owned(),
                });
            }
            open = false;
            continue;
        }
        let new_kind = if let Some(item) = list_item(content) {
            Some((BlockKind::ListItem, item))
        } else if starts_with_footnote_marker(content) {
            Some((BlockKind::FootnoteDef, content))
        } else {
            None
        };
        match (new_kind, open) {
            (Some((kind, body)), _) => {
                blocks.push(Block {
                    kind,
                    lines: vec![(number, line)],
                    body: body.to_owned(),
                });
            }
            (None, true) => {
                if let Some(last) = blocks.last_mut() {
                    last.lines.push((number, line));
                    last.body.push('\n');
                    last.body.push_str(content);
                }
            }
            (None, false) => {
                blocks.push(Block {
                    kind: BlockKind::Paragraph,
                    lines: vec![(number, line)],
                    body: content.to_owned(),
                });
            }
        }
        open = true;
    }
    blocks
}

/// `## Text ##` → (2, "Text"). A `#` not followed by a space is a hashtag, not a heading.
fn heading(line: &str) -> Option<(u8, &str)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let hashes = rest.len() - rest.trim_start_matches('#').len();
    if hashes == 0 || hashes > 6 {
        return None;
    }
    let after = &rest[hashes..];
    if !(after.is_empty() || after.starts_with([' ', '\t'])) {
        return None;
    }
    let text = after.trim();
    let text = text.trim_end_matches('#').trim_end();
    // `hashes` is at most 6, so it fits.
    Some((hashes as u8, text))
}

fn is_thematic_break(content: &str) -> bool {
    let compact: String = content.chars().filter(|c| !c.is_whitespace()).collect();
    compact.len() >= 3
        && ['-', '*', '_', '=']
            .iter()
            .any(|&m| compact.chars().all(|c| c == m))
}

fn is_table_row(line: &str) -> bool {
    let content = line.trim();
    content.contains('\t') || (content.starts_with('|') && content.len() > 1)
}

fn is_pipe_separator(content: &str) -> bool {
    content.starts_with('|')
        && content
            .chars()
            .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}

/// The item text when `content` starts a list item: `- x`, `* x`, `+ x`, `1. x`, `1) x`,
/// or a bare marker (an empty item).
fn list_item(content: &str) -> Option<&str> {
    for marker in ['-', '*', '+'] {
        if let Some(rest) = content.strip_prefix(marker) {
            if rest.is_empty() {
                return Some("");
            }
            if rest.starts_with([' ', '\t']) {
                return Some(rest.trim_start());
            }
        }
    }
    let digits = content.len()
        - content
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .len();
    if (1..=3).contains(&digits) {
        let rest = &content[digits..];
        for marker in ['.', ')'] {
            if let Some(after) = rest.strip_prefix(marker) {
                if after.starts_with([' ', '\t']) {
                    return Some(after.trim_start());
                }
            }
        }
    }
    None
}

fn starts_with_footnote_marker(content: &str) -> bool {
    let Some(rest) = content.strip_prefix("<sup>") else {
        return false;
    };
    let Some(end) = rest.find("</sup>") else {
        return false;
    };
    let inner = rest[..end].trim();
    !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &[(BlockKind, usize, &str)]) {
        let blocks = lex(input);
        let got: Vec<(BlockKind, usize, &str)> = blocks
            .iter()
            .map(|b| (b.kind, b.line(), b.body.as_str()))
            .collect();
        assert_eq!(got, expected, "input: {input:?}");
    }

    #[test]
    fn blocks_are_recognised() {
        use BlockKind::*;
        check(
            "# A\ntext\nmore\n\n- item\n  cont",
            &[
                (Heading(1), 1, "A"),
                (Paragraph, 2, "text\nmore"),
                (ListItem, 5, "item\ncont"),
            ],
        );
        check(
            "#hashtag\n\n---\n\n<sup>3</sup> note",
            &[
                (Paragraph, 1, "#hashtag"),
                (FootnoteDef, 5, "<sup>3</sup> note"),
            ],
        );
        check(
            "Name\tYes (1990)\n| a | b |\n|---|---|",
            &[
                (TableRow, 1, "Name\tYes (1990)"),
                (TableRow, 2, "| a | b |"),
            ],
        );
        check(
            "-\n- \n1. first\n2) second",
            &[
                (ListItem, 1, ""),
                (ListItem, 2, ""),
                (ListItem, 3, "first"),
                (ListItem, 4, "second"),
            ],
        );
        check("### 1.1. Title ###", &[(Heading(3), 1, "1.1. Title")]);
        check(
            "\\* note\n*emphasis* here",
            &[(Paragraph, 1, "\\* note\n*emphasis* here")],
        );
    }
}
