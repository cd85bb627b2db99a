//! The years of the Key Sources list: an entry's leading year token ("1996a",
//! "n.d.") and the years it was amended in.

use super::instruments::read_date;

/// A year as the list gives it: "1996a", "2019", "n.d.", "n.d.b".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct YearToken {
    /// The year, unless the entry is undated.
    pub(super) year: Option<i32>,
    /// The letter that tells apart entries of one year ("1996a").
    pub(super) suffix: Option<char>,
    /// "n.d.": no date.
    pub(super) undated: bool,
    /// Byte range of the token in the text it was found in.
    pub(super) start: usize,
    /// End of that range.
    pub(super) end: usize,
}

/// The year token of an entry: the one that opens it, else one in parentheses.
pub(super) fn year_token(body: &str) -> Option<YearToken> {
    leading_year(body).or_else(|| parenthesized_year(body))
}

/// The year token that opens `body`, with its range.
pub(super) fn leading_year(body: &str) -> Option<YearToken> {
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

/// Every year written as "amended in YEAR".
pub(super) fn amendment_years(lower: &str) -> Vec<i32> {
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
}
