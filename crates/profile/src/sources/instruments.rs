//! The legal act an entry names: its kind, number, authority and date
//! ("Law No. 123-IIIQ of 2 March 2010").

use super::words::find_word;
use crate::document::Instrument;

/// The kinds of legal act that carry numbers and dates, lower case, singular.
pub(super) const INSTRUMENT_KINDS: &[&str] = &[
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

pub(super) const MONTHS: &[&str] = &[
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
pub(super) fn find_designation(text: &str) -> Option<Instrument> {
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
pub(super) fn read_instrument(s: &str) -> Option<(Instrument, usize)> {
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
pub(super) fn read_date(s: &str) -> Option<(String, i32, usize)> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
