//! The parties of an agreement an entry names ("between A and B", "signed with B").

use super::words::find_word;

/// The parties of "between A and B" or "signed with B", and the span that names them.
pub(super) fn read_parties(text: &str) -> (Vec<String>, String) {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
