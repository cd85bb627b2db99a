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

/// Folded names and aliases of every entity, computed once.
pub(crate) struct SearchIndex {
    names: Vec<(EntityIx, String, Vec<String>)>,
}

/// Below this similarity a fuzzy match is noise.
const MIN_SCORE: f64 = 0.6;

impl SearchIndex {
    pub(crate) fn build(entities: &[Entity]) -> Self {
        let mut names = Vec::new();
        for (i, entity) in entities.iter().enumerate() {
            // A country is also found by its ISO code.
            let code = (entity.kind == EntityKind::Country)
                .then(|| entity.id.trim_start_matches("country:"));
            for name in std::iter::once(entity.name.as_str())
                .chain(entity.aliases.iter().map(String::as_str))
                .chain(code)
            {
                let folded = fold(name);
                let words = words(&folded);
                names.push((i as EntityIx, folded, words));
            }
        }
        SearchIndex { names }
    }
}

fn words(folded: &str) -> Vec<String> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// How well `query` matches one folded name.
fn score(query: &str, query_words: &[String], name: &str, name_words: &[String]) -> f64 {
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
    let per_word: f64 = query_words
        .iter()
        .map(|q| {
            name_words
                .iter()
                .map(|w| {
                    if w == q {
                        1.0
                    } else if w.starts_with(q.as_str()) && q.len() >= 3 {
                        0.9
                    } else {
                        strsim::normalized_damerau_levenshtein(q, w)
                    }
                })
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
        let mut best: Vec<SearchHit> = Vec::new();
        let mut last: Option<usize> = None;
        for (entity, name, name_words) in &self.search.names {
            if kinds.is_some_and(|k| !k.contains(&self.entity(*entity).kind)) {
                continue;
            }
            let s = score(&query, &query_words, name, name_words);
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
