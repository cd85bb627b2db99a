//! Sentence splitting for normalized profile text. Legal citations are full of
//! periods that end no sentence ("Decree No. 560", "e.g.", "52.1.4"), so a period
//! ends a sentence only before white space and a capital, digit or quote, and never
//! after a known abbreviation or an initial.

/// Abbreviations, lower case, that do not end a sentence even before a capital.
const ABBREVIATIONS: &[&str] = &[
    "no", "nos", "e.g", "i.e", "etc", "mr", "mrs", "ms", "dr", "prof", "st", "art", "arts", "para",
    "paras", "vs", "cf", "approx", "inc", "ltd", "co", "jr", "sr", "fig", "vol", "p", "pp", "op",
    "n.d", "govt", "dept", "rev", "ch", "sec",
];

/// Splits `text` into sentences, trimmed, each a slice of `text`.
///
/// Walks byte offsets rather than a collected list of characters: a profile
/// line may be megabytes long, and a list of 16-byte entries per character
/// cost more than the whole rest of reading it.
pub fn split_sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut at = 0;
    while let Some(c) = text[at..].chars().next() {
        let next = at + c.len_utf8();
        if matches!(c, '.' | '!' | '?') {
            let end = next
                + prefix_len(&text[next..], |n| {
                    matches!(n, '"' | '\'' | ')' | ']' | '\u{201D}' | '\u{2019}')
                });
            let following = end + prefix_len(&text[end..], char::is_whitespace);
            let starts_sentence = following > end
                && text[following..].chars().next().is_some_and(|n| {
                    n.is_uppercase()
                        || n.is_ascii_digit()
                        || matches!(n, '"' | '(' | '[' | '\u{201C}' | '\'')
                });
            if starts_sentence && !(c == '.' && is_abbreviation(&text[start..at])) {
                push_trimmed(&mut out, &text[start..end]);
                start = following;
                at = following;
                continue;
            }
        }
        at = next;
    }
    push_trimmed(&mut out, &text[start..]);
    out
}

/// The byte length of the longest prefix of `text` whose characters all satisfy `keep`.
fn prefix_len(text: &str, keep: impl Fn(char) -> bool) -> usize {
    text.char_indices()
        .find(|&(_, c)| !keep(c))
        .map_or(text.len(), |(i, _)| i)
}

fn push_trimmed<'a>(out: &mut Vec<&'a str>, sentence: &'a str) {
    let sentence = sentence.trim();
    if !sentence.is_empty() {
        out.push(sentence);
    }
}

/// Whether the word just before a period is an abbreviation or an initial.
fn is_abbreviation(before_period: &str) -> bool {
    let word = before_period
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or("");
    let word = word.trim_start_matches(['(', '"', '\'', '[']);
    let lower = word.to_lowercase();
    if lower.is_empty() {
        return false;
    }
    // Initials ("J. Smith") and dotted forms ("P.O", "U.S") never end a sentence here.
    lower.chars().count() == 1 && lower.chars().all(char::is_alphabetic)
        || lower.contains('.')
        || ABBREVIATIONS.contains(&lower.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &[&str]) {
        assert_eq!(split_sentences(input), expected, "input: {input:?}");
    }

    #[test]
    fn sentences_split_at_real_ends_only() {
        check("One. Two! Three? four", &["One.", "Two!", "Three? four"]);
        check(
            "Under Decree No. 560 of 2007. Next one.",
            &["Under Decree No. 560 of 2007.", "Next one."],
        );
        check(
            "Some, e.g. Schools, and i.e. Others. Done",
            &["Some, e.g. Schools, and i.e. Others.", "Done"],
        );
        check(
            "It rose 4.6 per cent. Articles 52.1.4 apply.",
            &["It rose 4.6 per cent.", "Articles 52.1.4 apply."],
        );
        check(
            "P.O. Box 17 is here. He said \"yes.\" Then left.",
            &["P.O. Box 17 is here.", "He said \"yes.\"", "Then left."],
        );
        check("  ", &[]);
        check(
            "Ends in 2013. 2014 began.",
            &["Ends in 2013.", "2014 began."],
        );
        check(
            "Ça va.\u{2019}  Été (là). « Oui » [2] fin.)",
            &["Ça va.\u{2019}", "Été (là). « Oui » [2] fin.)"],
        );
        check("Dr. Who. (Yes.) Done.", &["Dr. Who.", "(Yes.)", "Done."]);
        check("No end.", &["No end."]);
    }
}
