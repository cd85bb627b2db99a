//! Text folding shared by search, mentions and the verbatim-quote check.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Lower case without diacritics: "Türkiye" -> "turkiye". Typographic quotes and
/// dashes become their ASCII forms so that a typed query finds a typeset name.
pub fn fold(text: &str) -> String {
    // ASCII decomposes to itself and has no marks or typographic punctuation,
    // so lower-casing is all there is to do; the Unicode path is far slower
    // per character, which a long line of a profile pays several times.
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    fold_unicode(text)
}

fn fold_unicode(text: &str) -> String {
    text.nfkd()
        .filter(|c| !is_combining_mark(*c))
        .map(ascii_punctuation)
        .flat_map(char::to_lowercase)
        .collect()
}

fn ascii_punctuation(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{02BC}' => '\'',
        '\u{201C}' | '\u{201D}' => '"',
        '\u{2013}' | '\u{2014}' => '-',
        other => other,
    }
}

/// The comparable form of profile text and of quotes: markdown markup
/// (`**`, `*`, `_`, `\` escapes, `<sup>N</sup>` footnote markers, links) removed,
/// typographic quotes made ASCII, white space collapsed to single spaces.
pub fn normalize_markdown(text: &str) -> String {
    let without_sup = strip_sup_markers(text);
    let without_links = strip_link_targets(&without_sup);
    let mut out = String::with_capacity(without_links.len());
    let mut pending_space = false;
    for c in without_links.chars() {
        let c = match c {
            '*' | '_' | '\\' => continue,
            '\u{2018}' | '\u{2019}' => '\'',
            '\u{201C}' | '\u{201D}' => '"',
            c => c,
        };
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    out
}

/// Removes `<sup>…</sup>` spans (footnote markers). A span closes on its own
/// line: a `<sup>` left unclosed there is kept as text, so that it cannot
/// swallow everything up to a `</sup>` paragraphs later.
fn strip_sup_markers(text: &str) -> String {
    const OPEN: &str = "<sup>";
    const CLOSE: &str = "</sup>";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(OPEN) {
        let after = &rest[start + OPEN.len()..];
        let line_end = after.find('\n').unwrap_or(after.len());
        match after[..line_end].find(CLOSE) {
            Some(end) => {
                out.push_str(&rest[..start]);
                rest = &after[end + CLOSE.len()..];
            }
            None => {
                out.push_str(&rest[..start + OPEN.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Turns `[text](target)` into `text`.
fn strip_link_targets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(close) = rest.find("](") {
        let Some(end) = rest[close..].find(')') else {
            break;
        };
        let Some(open) = rest[..close].rfind('[') else {
            out.push_str(&rest[..close + 2]);
            rest = &rest[close + 2..];
            continue;
        };
        out.push_str(&rest[..open]);
        out.push_str(&rest[open + 1..close]);
        rest = &rest[close + end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unclosed_footnote_marker_swallows_nothing_beyond_its_line() {
        assert_eq!(strip_sup_markers("a<sup>1</sup> b"), "a b");
        assert_eq!(
            strip_sup_markers("a<sup>1\nlater text</sup> end"),
            "a<sup>1\nlater text</sup> end"
        );
        assert_eq!(strip_sup_markers("x<sup>2\ny<sup>3</sup>z"), "x<sup>2\nyz");
    }

    fn check(input: &str, expected: &str) {
        assert_eq!(normalize_markdown(input), expected, "input: {input:?}");
    }

    #[test]
    fn markdown_is_normalized() {
        check(
            "the **State  Migration**\nService<sup>12</sup>.",
            "the State Migration Service.",
        );
        check(
            "see the [Migration Data Portal](#) now",
            "see the Migration Data Portal now",
        );
        check("Azerbaijan’s “Code”", "Azerbaijan's \"Code\"");
        check("KEY SOURCES\\*", "KEY SOURCES");
    }

    #[test]
    fn folding_drops_case_and_diacritics() {
        assert_eq!(fold("Türkiye"), "turkiye");
        assert_eq!(fold("ÇAĞ – Öz"), "cag - oz");
    }

    #[test]
    fn ascii_folds_as_unicode_does() {
        let ascii: String = (0u8..128).map(char::from).collect();
        assert_eq!(fold(&ascii), fold_unicode(&ascii));
        assert_eq!(
            fold("Decree No. 560 of 19 March"),
            "decree no. 560 of 19 march"
        );
    }
}
