//! Finding where names are mentioned: whole-word, case- and diacritic-insensitive,
//! reported with the sentence that contains them so it can serve as a quote.
//!
//! The document is split into sentences and folded once into one haystack; each
//! name is then a single substring scan, so hundreds of names stay cheap.

use crate::document::Document;
use crate::sentences::split_sentences;
use govgraph_model::checks::TABLE_1;
use govgraph_model::text::{fold, normalize_markdown};

/// One occurrence of a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention<'a> {
    /// Index of the matching name in the slice that was searched for.
    pub name: usize,
    /// Label of the section ("2.1"), footnote ("Footnote 20") or "Table 1".
    pub section: &'a str,
    /// The normalized sentence that contains the name.
    pub sentence: &'a str,
    /// Line where the sentence starts (its paragraph's first line when markup spans lines).
    pub line: usize,
}

/// A sentence of the document, as the index keeps it.
#[derive(Debug, Clone, Copy)]
struct Sentence<'a> {
    section: &'a str,
    text: &'a str,
    line: usize,
}

/// The sentences of a document, folded once for repeated searches.
#[derive(Debug, Clone)]
pub struct MentionIndex<'a> {
    sentences: Vec<Sentence<'a>>,
    /// Folded sentences, each followed by `\n`, which no name can match across.
    haystack: String,
    /// Byte offset in `haystack` where each sentence starts.
    starts: Vec<usize>,
}

impl<'a> MentionIndex<'a> {
    /// Indexes every paragraph of every section, every footnote and Table 1's rows.
    pub fn new(doc: &'a Document) -> Self {
        let mut sentences = Vec::new();
        for section in &doc.sections {
            for paragraph in &section.paragraphs {
                for (text, line) in sentence_lines(&paragraph.text, &paragraph.raw, paragraph.line)
                {
                    sentences.push(Sentence {
                        section: &section.label,
                        text,
                        line,
                    });
                }
            }
        }
        for footnote in &doc.footnotes {
            for (text, line) in sentence_lines(&footnote.text, &footnote.raw, footnote.line) {
                sentences.push(Sentence {
                    section: &footnote.label,
                    text,
                    line,
                });
            }
        }
        if let Some(table) = &doc.table1 {
            for row in &table.rows {
                sentences.push(Sentence {
                    section: TABLE_1,
                    text: &row.name,
                    line: row.line,
                });
            }
        }
        let mut haystack = String::new();
        let mut starts = Vec::with_capacity(sentences.len());
        for sentence in &sentences {
            starts.push(haystack.len());
            haystack.push_str(&fold(sentence.text).replace('\n', " "));
            haystack.push('\n');
        }
        MentionIndex {
            sentences,
            haystack,
            starts,
        }
    }

    /// Every whole-word occurrence of any of `names`, in document order (sentences as
    /// indexed: sections, then footnotes, then Table 1). Empty names match nothing.
    pub fn find(&self, names: &[&str]) -> Vec<Mention<'a>> {
        let mut found: Vec<(usize, Mention<'a>)> = Vec::new();
        for (name_index, name) in names.iter().enumerate() {
            let needle = fold(&normalize_markdown(name));
            let needle = needle.trim();
            if needle.is_empty() {
                continue;
            }
            for (at, _) in self.haystack.match_indices(needle) {
                let before = self.haystack[..at].chars().next_back();
                let after = self.haystack[at + needle.len()..].chars().next();
                if before.is_some_and(char::is_alphanumeric)
                    || after.is_some_and(char::is_alphanumeric)
                {
                    continue;
                }
                let sentence_index = self.starts.partition_point(|&start| start <= at) - 1;
                let sentence = self.sentences[sentence_index];
                found.push((
                    at,
                    Mention {
                        name: name_index,
                        section: sentence.section,
                        sentence: sentence.text,
                        line: sentence.line,
                    },
                ));
            }
        }
        found.sort_by_key(|(at, mention)| (*at, mention.name));
        found.into_iter().map(|(_, mention)| mention).collect()
    }

    /// How many sentences were indexed.
    pub fn len(&self) -> usize {
        self.sentences.len()
    }

    /// Whether the document had no text at all.
    pub fn is_empty(&self) -> bool {
        self.sentences.is_empty()
    }
}

/// The sentences of a paragraph with the line each starts on. The normalized text no
/// longer knows its line breaks, so the raw lines are normalized one by one and joined
/// the way the paragraph was; when that reproduces the text (possibly after a list
/// marker), offsets map back to lines. Otherwise (markup spanning lines) every
/// sentence gets the paragraph's first line.
fn sentence_lines<'t>(text: &'t str, raw: &str, first_line: usize) -> Vec<(&'t str, usize)> {
    let sentences = split_sentences(text);
    let mut joined = String::new();
    // (offset in `joined`, line index in `raw`)
    let mut line_starts: Vec<(usize, usize)> = Vec::new();
    for (index, line) in raw.lines().enumerate() {
        let normalized = normalize_markdown(line);
        if normalized.is_empty() {
            continue;
        }
        if !joined.is_empty() {
            joined.push(' ');
        }
        line_starts.push((joined.len(), index));
        joined.push_str(&normalized);
    }
    let shift = joined
        .len()
        .checked_sub(text.len())
        .filter(|&shift| joined.get(shift..) == Some(text));
    let (Some(shift), true) = (shift, line_starts.len() > 1) else {
        return sentences.into_iter().map(|s| (s, first_line)).collect();
    };
    let mut from = 0;
    sentences
        .into_iter()
        .map(|sentence| {
            let at = text[from..].find(sentence).map_or(from, |i| i + from);
            from = at + sentence.len();
            let index = line_starts
                .partition_point(|(start, _)| *start <= at + shift)
                .saturating_sub(1);
            (sentence, first_line + line_starts[index].1)
        })
        .collect()
}

/// Every whole-word, case- and diacritic-insensitive occurrence of any of `names` in
/// `doc`. Builds a [`MentionIndex`] each time; keep one to search repeatedly.
pub fn mentions<'a>(doc: &'a Document, names: &[&str]) -> Vec<Mention<'a>> {
    MentionIndex::new(doc).find(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(profile: &str, names: &[&str], expected: &[(usize, &str, &str, usize)]) {
        let parsed = crate::parse(profile);
        let got: Vec<(usize, &str, &str, usize)> = mentions(&parsed.document, names)
            .into_iter()
            .map(|m| (m.name, m.section, m.sentence, m.line))
            .collect();
        assert_eq!(got, expected, "names: {names:?}");
    }

    #[test]
    fn sentences_know_their_lines() {
        let profile = "# SUMMARY\n\nThe Bureau of Ports met. The\nBureau of Ports\nleft. Bureau\nof Ports!\n\n- One item about the  Bureau of Ports.\n  A *second* line: Bureau of Ports.\n\n[A link\nacross lines](#) to the Bureau of Ports. Bureau of Ports.\n";
        check(
            profile,
            &["Bureau of Ports"],
            &[
                (0, "Summary", "The Bureau of Ports met.", 3),
                (0, "Summary", "The Bureau of Ports left.", 3),
                (0, "Summary", "Bureau of Ports!", 5),
                (0, "Summary", "One item about the Bureau of Ports.", 8),
                (0, "Summary", "A second line: Bureau of Ports.", 9),
                (
                    0,
                    "Summary",
                    "A link across lines to the Bureau of Ports.",
                    11,
                ),
                (0, "Summary", "Bureau of Ports.", 11),
            ],
        );
    }

    #[test]
    fn names_match_whole_words_without_case_or_accents() {
        let profile = "# SUMMARY\n\nThe Bureau of Ports met. The BUREAU OF PORTS-Sud did too.\nThe Bureau of Portsmouth did not.\n\n## 1.1. Things\n\nThe Büreau of Ports, again.<sup>1</sup>\n\n<sup>1</sup> See the Bureau of Ports.\n";
        check(
            profile,
            &["bureau of ports"],
            &[
                (0, "Summary", "The Bureau of Ports met.", 3),
                (0, "Summary", "The BUREAU OF PORTS-Sud did too.", 3),
                (0, "1.1", "The Büreau of Ports, again.", 8),
                (0, "Footnote 1", "See the Bureau of Ports.", 10),
            ],
        );
        check(profile, &["", "  "], &[]);
        check(
            profile,
            &["Ports", "Portsmouth"],
            &[
                (0, "Summary", "The Bureau of Ports met.", 3),
                (0, "Summary", "The BUREAU OF PORTS-Sud did too.", 3),
                (1, "Summary", "The Bureau of Portsmouth did not.", 4),
                (0, "1.1", "The Büreau of Ports, again.", 8),
                (0, "Footnote 1", "See the Bureau of Ports.", 10),
            ],
        );
    }
}
