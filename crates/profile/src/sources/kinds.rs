//! What kind of entity a title names, from the words in it.

use govgraph_model::text::fold;
use govgraph_model::EntityKind;

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

pub(super) fn has_keyword(title: &str) -> bool {
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
