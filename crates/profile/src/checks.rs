//! Structural checks of a parsed profile, each a diagnostic with its line: a
//! domain of the MGI template with no section, a numbered section's heading at
//! another level than its siblings', a footnote marker glued to the word before
//! it, and a file that ends in the middle of a Key Sources entry.
//!
//! They run after the walk in [`crate::parse`], on what it read, so that the walk
//! itself stays one pass that never stops on an odd line.

use crate::document::{Diagnostic, Document, SectionKind, Severity, KEY_SOURCES};
use std::collections::BTreeMap;

/// The MGI template's domains: key findings are numbered 1.x to 6.x.
const DOMAINS: std::ops::RangeInclusive<u32> = 1..=6;

/// A domain of the template with no section at all ("3", "3.1", …), reported at
/// the heading that follows where it should have been.
pub(crate) fn missing_domains(document: &Document, diagnostics: &mut Vec<Diagnostic>) {
    let domain_of = |label: &str| label.split('.').next()?.parse::<u32>().ok();
    let mut first_line: BTreeMap<u32, usize> = BTreeMap::new();
    for section in &document.sections {
        let numbered = section.kind == SectionKind::Numbered
            || (section.kind == SectionKind::Unlisted
                && section.label.bytes().all(|b| b.is_ascii_digit()));
        if let Some(domain) = numbered.then(|| domain_of(&section.label)).flatten() {
            first_line.entry(domain).or_insert(section.line);
        }
    }
    // A document with hardly any numbered sections is not following the template.
    if first_line.len() < 2 {
        return;
    }
    // Domains after the last one present count as missing only in a document
    // that has most of them; an excerpt of the first two is not a broken profile.
    let last = first_line.keys().next_back().copied().unwrap_or(0);
    let trailing_too = first_line.len() >= 4;
    for domain in DOMAINS {
        if first_line.contains_key(&domain) || (domain > last && !trailing_too) {
            continue;
        }
        let next = first_line
            .range(domain + 1..)
            .next()
            .map(|(_, line)| *line)
            .or_else(|| document.section(KEY_SOURCES).map(|s| s.line))
            .unwrap_or(0);
        diagnostics.push(Diagnostic {
            line: next,
            severity: Severity::Warning,
            message: format!(
                "domain {domain} is missing: no section `{domain}` or `{domain}.x` comes before this line"
            ),
        });
    }
}

/// Numbered sections ("2.1") whose heading level is two or more away from the
/// level most of them share; `levels` holds (label, level, line) of each
/// numbered heading.
pub(crate) fn heading_levels(levels: &[(String, usize, usize)], diagnostics: &mut Vec<Diagnostic>) {
    if levels.len() < 3 {
        return;
    }
    let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
    for (_, level, _) in levels {
        *counts.entry(*level).or_default() += 1;
    }
    let Some((&usual, &shared)) = counts
        .iter()
        .max_by_key(|(level, n)| (**n, std::cmp::Reverse(**level)))
    else {
        return;
    };
    // Only a clear convention makes a heading's level unexpected.
    if shared < 3 || shared * 2 <= levels.len() {
        return;
    }
    // PDF conversions often put these headings one level up or down; two or more
    // levels away is a heading that lost its place.
    for (label, level, line) in levels {
        if level.abs_diff(usual) >= 2 {
            diagnostics.push(Diagnostic {
                line: *line,
                severity: Severity::Warning,
                message: format!(
                    "heading level {level} for section `{label}`, where the other numbered sections use level {usual}; read as section {label}"
                ),
            });
        }
    }
}

/// Footnotes defined but never marked, whose number is glued to a word of the
/// text ("Code12"): the marker lost its `<sup>`. Returns the footnote numbers
/// found glued, whose "never referenced" warning this one replaces.
pub(crate) fn glued_markers(document: &Document, diagnostics: &mut Vec<Diagnostic>) -> Vec<u32> {
    let referenced: Vec<u32> = document.footnote_refs.iter().map(|r| r.number).collect();
    let mut glued = Vec::new();
    for footnote in document
        .footnotes
        .iter()
        .filter(|f| !referenced.contains(&f.number))
    {
        let number = footnote.number.to_string();
        let found = document
            .sections
            .iter()
            .flat_map(|s| &s.paragraphs)
            .find_map(|p| glued_word(&p.raw, &number).map(|word| (p, word)));
        if let Some((paragraph, word)) = found {
            let line = paragraph.line
                + paragraph.raw[..paragraph.raw.find(&word).unwrap_or(0)]
                    .matches('\n')
                    .count();
            diagnostics.push(Diagnostic {
                line,
                severity: Severity::Warning,
                message: format!(
                    "footnote marker {number} is glued to a word (`{word}`): write it as <sup>{number}</sup>; footnote {number} is defined at line {}",
                    footnote.line
                ),
            });
            glued.push(footnote.number);
        }
    }
    glued
}

/// The first word of `text` that is letters immediately followed by `number`
/// and then a non-digit ("Code12 applies" for 12).
fn glued_word(text: &str, number: &str) -> Option<String> {
    text.split(|c: char| c.is_whitespace())
        .map(|w| w.trim_end_matches(|c: char| c.is_ascii_punctuation()))
        .find(|word| {
            word.strip_suffix(number).is_some_and(|head| {
                head.chars().count() >= 2
                    && head.chars().last().is_some_and(char::is_alphabetic)
                    && head.chars().all(char::is_alphabetic)
            })
        })
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(text: &str) -> Vec<(usize, String)> {
        crate::parse(text)
            .diagnostics
            .into_iter()
            .map(|d| (d.line, d.message))
            .collect()
    }

    fn check(text: &str, line: usize, start: &str) {
        let found = messages(text);
        assert!(
            found
                .iter()
                .any(|(l, m)| *l == line && m.starts_with(start)),
            "no `{start}…` at line {line} in {found:#?}"
        );
    }

    #[test]
    fn structure_problems_are_diagnosed_with_their_lines() {
        let domains = "# SUMMARY\n\nx\n\n## 1\n\n### 1.1 A\n\nx\n\n## 2\n\n### 2.1 B\n\nx\n\n## 4\n\n### 4.1 D\n\nx\n\n## 5\n\n## 6\n";
        check(domains, 17, "domain 3 is missing");
        let levels =
            "# SUMMARY\n\nx\n\n### 1.1 A\n\nx\n\n### 1.2 B\n\nx\n\n##### 2.1 C\n\nx\n\n### 2.2 D\n";
        check(levels, 13, "heading level 5 for section `2.1`");
        let glued = "# SUMMARY\n\nThe Labour Code12 applies.\n\n<sup>12</sup> Law No. 1.\n";
        check(glued, 3, "footnote marker 12 is glued to a word (`Code12`)");
        assert!(
            !messages(glued)
                .iter()
                .any(|(_, m)| m.contains("never referenced")),
            "the glued marker replaces the unreferenced-footnote warning"
        );
        assert!(glued_word("in 2012 and Code12.", "12").as_deref() == Some("Code12"));
        assert!(glued_word("the year 2012", "12").is_none());
    }
}
