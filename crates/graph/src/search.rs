//! Ranked name search that ignores case and diacritics and tolerates typos.

use crate::index::{EntityIx, Graph};
use govgraph_model::{text::fold, Entity, EntityKind};

/// One search result.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SearchHit {
    /// The entity found.
    pub entity: EntityIx,
    /// Relevance in (0, 1]; 1 is an exact name or alias match.
    pub score: f64,
}

/// Folded names and aliases of every entity, computed once. Words are stored
/// as positions in a vocabulary of distinct words, so a search compares each
/// query word with each distinct word once, not once per name it occurs in.
pub(crate) struct SearchIndex {
    vocabulary: Vec<String>,
    names: Vec<(EntityIx, String, Vec<u32>)>,
}

/// Below this similarity a fuzzy match is noise.
const MIN_SCORE: f64 = 0.6;

impl SearchIndex {
    pub(crate) fn build(entities: &[Entity]) -> Self {
        let mut names = Vec::new();
        let mut vocabulary: Vec<String> = Vec::new();
        let mut word_ids: std::collections::HashMap<String, u32> = Default::default();
        for (i, entity) in entities.iter().enumerate() {
            // A country is also found by its ISO code.
            let code = (entity.kind == EntityKind::Country)
                .then(|| entity.id.trim_start_matches("country:"));
            for name in std::iter::once(entity.name.as_str())
                .chain(entity.aliases.iter().map(String::as_str))
                .chain(code)
            {
                let folded = fold(name);
                let ids = words(&folded)
                    .into_iter()
                    .map(|w| {
                        *word_ids.entry(w).or_insert_with_key(|w| {
                            vocabulary.push(w.clone());
                            (vocabulary.len() - 1) as u32
                        })
                    })
                    .collect();
                names.push((i as EntityIx, folded, ids));
            }
        }
        SearchIndex { vocabulary, names }
    }
}

fn words(folded: &str) -> Vec<String> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// How well query word `q` matches name word `w`.
fn word_score(q: &str, w: &str) -> f64 {
    if w == q {
        1.0
    } else if w.starts_with(q) && q.len() >= 3 {
        0.9
    } else {
        normalized_damerau_levenshtein(q, w)
    }
}

/// `1 - distance / longer length`, in characters: the same value, bit for bit,
/// as `strsim::normalized_damerau_levenshtein`, computed with rapidfuzz, which
/// strips the common prefix and suffix and indexes ASCII in an array where
/// strsim builds a hash map per call. A search compares every query word with
/// every distinct word of every name, so this is its inner loop.
fn normalized_damerau_levenshtein(q: &str, w: &str) -> f64 {
    use rapidfuzz::distance::damerau_levenshtein::distance;
    let longest = q.chars().count().max(w.chars().count());
    if longest == 0 {
        return 1.0;
    }
    let edits = if q.is_ascii() && w.is_ascii() {
        distance(q.bytes(), w.bytes())
    } else {
        distance(q.chars(), w.chars())
    };
    1.0 - edits as f64 / longest as f64
}

/// How well `query` matches one folded name; `similarity[i][w]` is the
/// [`word_score`] of query word `i` and vocabulary word `w`.
fn score(
    query: &str,
    query_words: &[String],
    similarity: &[Vec<f64>],
    name: &str,
    name_words: &[u32],
) -> f64 {
    if name == query {
        return 1.0;
    }
    if name.starts_with(query) {
        return 0.95 - 0.1 * (1.0 - query.len() as f64 / name.len() as f64);
    }
    if query_words.is_empty() || name_words.is_empty() {
        return 0.0;
    }
    // Each query word finds its closest name word; typos cost a little, a missing word a lot.
    let per_word: f64 = similarity
        .iter()
        .map(|row| {
            name_words
                .iter()
                .map(|&w| row[w as usize])
                .fold(0.0, f64::max)
        })
        .sum::<f64>()
        / query_words.len() as f64;
    // Prefer names that say little beyond the query.
    let coverage = (query_words.len() as f64 / name_words.len() as f64).min(1.0);
    0.85 * per_word * (0.8 + 0.2 * coverage)
}

impl Graph {
    /// Entities whose name or alias matches `query`, best first, at most `limit`.
    pub fn search(
        &self,
        query: &str,
        kinds: Option<&[EntityKind]>,
        limit: usize,
    ) -> Vec<SearchHit> {
        let query = fold(query.trim());
        if query.is_empty() || limit == 0 {
            return Vec::new();
        }
        let query_words = words(&query);
        // A long query repeats words ("of", "the"): score each distinct one once.
        let mut rows: std::collections::HashMap<&str, Vec<f64>> = Default::default();
        let similarity: Vec<Vec<f64>> = query_words
            .iter()
            .map(|q| {
                rows.entry(q)
                    .or_insert_with(|| {
                        self.search
                            .vocabulary
                            .iter()
                            .map(|w| word_score(q, w))
                            .collect()
                    })
                    .clone()
            })
            .collect();
        let mut best: Vec<SearchHit> = Vec::new();
        let mut last: Option<usize> = None;
        for (entity, name, name_words) in &self.search.names {
            if kinds.is_some_and(|k| !k.contains(&self.entity(*entity).kind)) {
                continue;
            }
            let s = score(&query, &query_words, &similarity, name, name_words);
            if s < MIN_SCORE {
                continue;
            }
            // Names of one entity are adjacent: keep the best of them.
            match last {
                Some(i) if best[i].entity == *entity => best[i].score = best[i].score.max(s),
                _ => {
                    best.push(SearchHit {
                        entity: *entity,
                        score: s,
                    });
                    last = Some(best.len() - 1);
                }
            }
        }
        best.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.entity.cmp(&b.entity)));
        best.truncate(limit);
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The scoring before the vocabulary: every name word against every query
    /// word, directly. Kept as the reference the faster path must equal.
    fn reference(query: &str, query_words: &[String], name: &str) -> f64 {
        let name_words = words(name);
        if name == query {
            return 1.0;
        }
        if name.starts_with(query) {
            return 0.95 - 0.1 * (1.0 - query.len() as f64 / name.len() as f64);
        }
        if query_words.is_empty() || name_words.is_empty() {
            return 0.0;
        }
        let per_word: f64 = query_words
            .iter()
            .map(|q| {
                name_words
                    .iter()
                    .map(|w| word_score(q, w))
                    .fold(0.0, f64::max)
            })
            .sum::<f64>()
            / query_words.len() as f64;
        let coverage = (query_words.len() as f64 / name_words.len() as f64).min(1.0);
        0.85 * per_word * (0.8 + 0.2 * coverage)
    }

    #[test]
    fn word_similarity_equals_strsim() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "migration",
            "migraton",
            "mirgation",
            "state",
            "servce",
            "service",
            "turkiye",
            "türkiye",
            "tuerkiye",
            "ca",
            "abc",
            "labour",
            "labor",
            "organisation",
            "organization",
            "ázərbaycan",
            "azerbaijan",
            "sms",
            "smss",
        ];
        for a in words {
            for b in words {
                let ours = normalized_damerau_levenshtein(a, b);
                let theirs = strsim::normalized_damerau_levenshtein(a, b);
                assert_eq!(ours.to_bits(), theirs.to_bits(), "{a:?} vs {b:?}");
            }
        }
    }

    #[test]
    fn vocabulary_scores_equal_direct_scores() {
        let entity = |id: &str, name: &str, kind| Entity {
            id: id.into(),
            kind,
            name: name.into(),
            aliases: vec!["SMS".into(), "Law on Labour Migration (2010)".into()],
            year: None,
            attributes: Default::default(),
        };
        let entities = [
            entity(
                "institution:sms",
                "State Migration Service",
                EntityKind::Institution,
            ),
            entity(
                "law:code",
                "Migration Code of the Republic",
                EntityKind::Law,
            ),
            entity("country:TUR", "Türkiye", EntityKind::Country),
            entity(
                "international-organization:iom",
                "International Organization for Migration",
                EntityKind::InternationalOrganization,
            ),
        ];
        let index = SearchIndex::build(&entities);
        for query in [
            "migration",
            "Migraton Code",
            "labour law",
            "turkiye",
            "state servce",
            "x",
            "sms",
            "organisation migration",
        ] {
            let query = fold(query);
            let query_words = words(&query);
            let similarity: Vec<Vec<f64>> = query_words
                .iter()
                .map(|q| index.vocabulary.iter().map(|w| word_score(q, w)).collect())
                .collect();
            for (_, name, ids) in &index.names {
                let fast = score(&query, &query_words, &similarity, name, ids);
                let direct = reference(&query, &query_words, name);
                assert_eq!(fast.to_bits(), direct.to_bits(), "{query} vs {name}");
            }
        }
    }
}
