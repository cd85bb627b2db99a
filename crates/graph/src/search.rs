//! Ranked name search that ignores case and diacritics and tolerates typos.

use crate::ids::EntityIx;
use govgraph_model::{text::fold, Entity, EntityKind};
use serde::{Deserialize, Serialize};

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
#[derive(Serialize, Deserialize)]
pub(crate) struct SearchIndex {
    vocabulary: Vec<String>,
    /// The letter counts of each vocabulary word, for [`similarity_bound`];
    /// not persisted (serde has no arrays this long), recounted on load.
    #[serde(skip)]
    letters: Vec<LetterCounts>,
    /// Each vocabulary word's position, for a query word found whole; not
    /// persisted either, rebuilt on load.
    #[serde(skip)]
    word_ids: std::collections::HashMap<String, u32>,
    names: Vec<(EntityIx, String, Vec<u32>)>,
}

/// How often each of a-z and 0-9 occurs in a word, every other character in
/// one last bin; and the word's length in characters.
#[derive(Clone, Copy)]
struct LetterCounts {
    bins: [u8; 37],
    len: u32,
}

impl LetterCounts {
    fn of(word: &str) -> Self {
        let mut bins = [0u8; 37];
        let mut len = 0;
        for c in word.chars() {
            let bin = match c {
                'a'..='z' => c as usize - 'a' as usize,
                '0'..='9' => 26 + c as usize - '0' as usize,
                _ => 36,
            };
            bins[bin] = bins[bin].saturating_add(1);
            len += 1;
        }
        LetterCounts { bins, len }
    }
}

/// An upper bound of [`word_score`] that costs a few dozen operations instead
/// of a Damerau-Levenshtein table. Each edit (insertion, deletion, substitution,
/// transposition) removes at most one character from either side's surplus of
/// letters over the other's, so the distance is at least the larger surplus;
/// merged bins and saturated counts only shrink the surplus, keeping it a bound.
fn similarity_bound(q: &str, qc: &LetterCounts, w: &str, wc: &LetterCounts) -> f64 {
    if let Some(score) = equal_or_prefix(q, w) {
        return score;
    }
    let longest = qc.len.max(wc.len);
    if longest == 0 {
        return 1.0;
    }
    let (mut q_surplus, mut w_surplus) = (0u32, 0u32);
    for (a, b) in qc.bins.iter().zip(&wc.bins) {
        q_surplus += u32::from(a.saturating_sub(*b));
        w_surplus += u32::from(b.saturating_sub(*a));
    }
    let fewest_edits = q_surplus.max(w_surplus).max(qc.len.abs_diff(wc.len));
    1.0 - f64::from(fewest_edits) / f64::from(longest)
}

/// Below this similarity a fuzzy match is noise.
const MIN_SCORE: f64 = 0.6;

impl SearchIndex {
    /// Recounts what is not persisted, after loading.
    pub(crate) fn restore(&mut self) {
        self.letters = self
            .vocabulary
            .iter()
            .map(|w| LetterCounts::of(w))
            .collect();
        self.word_ids = word_positions(&self.vocabulary);
    }

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
                names.push((EntityIx::new(i), folded, ids));
            }
        }
        let letters = vocabulary.iter().map(|w| LetterCounts::of(w)).collect();
        SearchIndex {
            word_ids: word_positions(&vocabulary),
            vocabulary,
            letters,
            names,
        }
    }
}

fn word_positions(vocabulary: &[String]) -> std::collections::HashMap<String, u32> {
    vocabulary
        .iter()
        .enumerate()
        .map(|(i, w)| (w.clone(), i as u32))
        .collect()
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
    equal_or_prefix(q, w).unwrap_or_else(|| normalized_damerau_levenshtein(q, w))
}

/// The score of a name word equal to the query word, or starting with it; these
/// need no edit distance, and [`similarity_bound`] returns them as they are.
fn equal_or_prefix(q: &str, w: &str) -> Option<f64> {
    if w == q {
        Some(1.0)
    } else if w.starts_with(q) && q.len() >= 3 {
        Some(0.9)
    } else {
        None
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
        if q.len() <= SHORT && w.len() <= SHORT {
            short_ascii_distance(q.as_bytes(), w.as_bytes())
        } else {
            distance(q.bytes(), w.bytes())
        }
    } else {
        distance(q.chars(), w.chars())
    };
    1.0 - edits as f64 / longest as f64
}

/// Longest words [`short_ascii_distance`] takes.
const SHORT: usize = 16;

/// The unrestricted Damerau-Levenshtein distance of two ASCII words of at most
/// [`SHORT`] bytes, by Lowrance and Wagner's table, here on the stack: most
/// words of names are this short, and for them rapidfuzz's setting up (a
/// 256-entry table of last rows and three row vectors per call) costs more
/// than the table itself.
fn short_ascii_distance(a: &[u8], b: &[u8]) -> usize {
    const SIDE: usize = SHORT + 2;
    let (n, m) = (a.len(), b.len());
    // Row and column 0 stand for position -1: "infinitely" far.
    let far = (n + m) as u8;
    let mut d = [[0u8; SIDE]; SIDE];
    d[0][0] = far;
    for i in 0..=n {
        d[i + 1][0] = far;
        d[i + 1][1] = i as u8;
    }
    for j in 0..=m {
        d[0][j + 1] = far;
        d[1][j + 1] = j as u8;
    }
    // The last row (1-based) of `a` holding each byte so far.
    let mut last_row = [0u8; 128];
    for i in 1..=n {
        // The last column (1-based) in this row where `b` matched `a[i - 1]`.
        let mut last_col = 0usize;
        for j in 1..=m {
            let k = usize::from(last_row[usize::from(b[j - 1] & 0x7f)]);
            let l = last_col;
            let same = a[i - 1] == b[j - 1];
            if same {
                last_col = j;
            }
            let substitute = d[i][j] + u8::from(!same);
            let insert = d[i + 1][j] + 1;
            let delete = d[i][j + 1] + 1;
            let transpose = usize::from(d[k][l]) + (i - k - 1) + 1 + (j - l - 1);
            d[i + 1][j + 1] = substitute
                .min(insert)
                .min(delete)
                .min(transpose.min(usize::from(far)) as u8);
        }
        last_row[usize::from(a[i - 1] & 0x7f)] = i as u8;
    }
    usize::from(d[n + 1][m + 1])
}

/// How well `query` matches one folded name; `similarity(i, w, best)` is the
/// [`word_score`] of query word `i` and vocabulary word `w` (or, for a bound of
/// the score, a bound of it: the result only grows with it). `best` is the
/// best similarity of word `i` in this name so far: when `w` cannot beat it,
/// `similarity` may return anything up to `best` without changing the result.
///
/// Scores below `floor` are not wanted: once the words left cannot lift the
/// name to `floor` even matching perfectly, the rest is skipped and 0 returned
/// (a 30-word query against a short name is settled after a dozen words).
/// A score that reaches `floor` is computed whole, bit for bit.
fn score(
    query: &str,
    query_words: &[Option<u32>],
    mut similarity: impl FnMut(usize, u32, f64) -> f64,
    name: &str,
    name_words: &[u32],
    floor: f64,
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
    // Prefer names that say little beyond the query.
    let coverage = (query_words.len() as f64 / name_words.len() as f64).min(1.0);
    let n = query_words.len() as f64;
    // The sum of per-word similarities that `floor` needs, less a margin far
    // above rounding, so that no name reaching `floor` is cut short.
    let needed = floor / (0.85 * (0.8 + 0.2 * coverage)) * n * (1.0 - 1e-9);
    // Each query word finds its closest name word; typos cost a little, a missing word a lot.
    let mut sum = 0.0;
    for (i, whole) in query_words.iter().enumerate() {
        // A query word the name holds whole scores 1, the most any word can.
        sum += if whole.is_some_and(|id| name_words.contains(&id)) {
            1.0
        } else {
            name_words
                .iter()
                .fold(0.0, |best: f64, &w| best.max(similarity(i, w, best)))
        };
        let left = (query_words.len() - i - 1) as f64;
        if sum + left < needed {
            return 0.0;
        }
    }
    let per_word = sum / n;
    0.85 * per_word * (0.8 + 0.2 * coverage)
}

impl SearchIndex {
    /// Entities that `keep` admits whose name or alias matches `query`, best
    /// first, at most `limit` (see `Graph::search`).
    pub(crate) fn search(
        &self,
        query: &str,
        limit: usize,
        keep: impl Fn(EntityIx) -> bool,
    ) -> Vec<SearchHit> {
        let query = fold(query.trim());
        if query.is_empty() || limit == 0 {
            return Vec::new();
        }
        let query_words = words(&query);
        let index = self;
        // Each distinct query word is scored once ("of" and "the" repeat in long
        // queries), and against a vocabulary word only when a name containing
        // it might reach MIN_SCORE: a cheap bound of the score rules most out.
        let mut distinct: Vec<&str> = Vec::new();
        let slot: Vec<usize> = query_words
            .iter()
            .map(|q| match distinct.iter().position(|d| d == q) {
                Some(i) => i,
                None => {
                    distinct.push(q);
                    distinct.len() - 1
                }
            })
            .collect();
        // Each query word's place in the vocabulary, when it is there whole.
        let known: Vec<Option<u32>> = query_words
            .iter()
            .map(|q| index.word_ids.get(q).copied())
            .collect();
        let counts: Vec<LetterCounts> = distinct.iter().map(|q| LetterCounts::of(q)).collect();
        let vocabulary = index.vocabulary.len();
        // Bounds and exact scores per (distinct query word, vocabulary word),
        // each computed when first needed: names cut short by the floor never
        // ask for most of them.
        let mut bounds: Vec<f64> = vec![f64::NAN; distinct.len() * vocabulary];
        let mut bound = |cell: usize, q: usize, w: usize| {
            if bounds[cell].is_nan() {
                bounds[cell] = similarity_bound(
                    distinct[q],
                    &counts[q],
                    &index.vocabulary[w],
                    &index.letters[w],
                );
            }
            bounds[cell]
        };
        let mut exact: Vec<f64> = vec![f64::NAN; distinct.len() * vocabulary];
        let mut best: Vec<SearchHit> = Vec::new();
        let mut last: Option<usize> = None;
        // The best `limit` scores of the entities already passed, best first:
        // a name that cannot reach the lowest of them cannot make the answer,
        // so its scoring stops as soon as that is certain.
        let mut leaders: Vec<f64> = Vec::with_capacity(limit.min(64) + 1);
        for (entity, name, name_words) in &self.names {
            if crate::interrupt::interrupted() {
                break;
            }
            if !keep(*entity) {
                continue;
            }
            let floor = match leaders.get(limit - 1) {
                Some(&lowest) => lowest.max(MIN_SCORE),
                None => MIN_SCORE,
            };
            let upper = score(
                &query,
                &known,
                |i, w, _| bound(slot[i] * vocabulary + w as usize, slot[i], w as usize),
                name,
                name_words,
                floor,
            );
            if upper < floor {
                continue;
            }
            let s = score(
                &query,
                &known,
                |i, w, best| {
                    let cell = slot[i] * vocabulary + w as usize;
                    if bound(cell, slot[i], w as usize) <= best {
                        return best; // its score is at most its bound: no better
                    }
                    if exact[cell].is_nan() {
                        exact[cell] = word_score(distinct[slot[i]], &index.vocabulary[w as usize]);
                    }
                    exact[cell]
                },
                name,
                name_words,
                floor,
            );
            if s < MIN_SCORE {
                continue;
            }
            // Names of one entity are adjacent: keep the best of them.
            match last {
                Some(i) if best[i].entity == *entity => best[i].score = best[i].score.max(s),
                _ => {
                    if let Some(i) = last {
                        lead(&mut leaders, best[i].score, limit);
                    }
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

/// Adds an entity's final `score` to `leaders` (best first, at most `limit`).
fn lead(leaders: &mut Vec<f64>, score: f64, limit: usize) {
    let at = leaders.partition_point(|&l| l >= score);
    if at < limit {
        leaders.insert(at, score);
        leaders.truncate(limit);
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

    /// Words with typos, transpositions, diacritics, prefixes and digits.
    const SAMPLE_WORDS: [&str; 28] = [
        "",
        "a",
        "ab",
        "ba",
        "abc",
        "cab",
        "ca",
        "migration",
        "migraton",
        "mirgation",
        "state",
        "servce",
        "service",
        "turkiye",
        "türkiye",
        "tuerkiye",
        "labour",
        "labor",
        "law",
        "of",
        "on",
        "the",
        "organisation",
        "organization",
        "ázərbaycan",
        "azerbaijan",
        "sms",
        "smss",
    ];

    #[test]
    fn word_similarity_equals_strsim() {
        let words = SAMPLE_WORDS;
        for a in words {
            for b in words {
                let ours = normalized_damerau_levenshtein(a, b);
                let theirs = strsim::normalized_damerau_levenshtein(a, b);
                assert_eq!(ours.to_bits(), theirs.to_bits(), "{a:?} vs {b:?}");
            }
        }
    }

    #[test]
    fn the_short_word_distance_equals_strsim_on_every_small_word() {
        // Every word of up to 5 letters over a 3-letter alphabet, against each
        // other (transpositions, repeats, empties), and longer ones at SHORT.
        let mut words = vec![String::new()];
        let mut frontier = vec![String::new()];
        for _ in 0..5 {
            frontier = frontier
                .iter()
                .flat_map(|w| ['a', 'b', 'c'].map(|c| format!("{w}{c}")))
                .collect();
            words.extend(frontier.iter().cloned());
        }
        words.push("abcabcabcabcabca".into());
        words.push("bacbacbacbacbacb".into());
        words.push("a".repeat(SHORT));
        for a in &words {
            for b in &words {
                let ours = short_ascii_distance(a.as_bytes(), b.as_bytes());
                assert_eq!(ours, strsim::damerau_levenshtein(a, b), "{a:?} vs {b:?}");
            }
        }
    }

    #[test]
    fn the_bound_is_never_below_the_score() {
        // Saturated counts (300 a's) must still give a bound.
        let long = format!("{}b", "a".repeat(300));
        let words: Vec<&str> = SAMPLE_WORDS
            .into_iter()
            .chain(["2009", "2019", long.as_str()])
            .collect();
        for &q in &words {
            for &w in &words {
                let bound = similarity_bound(q, &LetterCounts::of(q), w, &LetterCounts::of(w));
                let score = word_score(q, w);
                assert!(
                    bound >= score,
                    "{q:?} vs {w:?}: bound {bound} < score {score}"
                );
            }
        }
    }

    /// Every name of the real dataset scored directly, kept if it reaches
    /// MIN_SCORE, best name per entity, best first: what `search` must return.
    fn brute_force(index: &SearchIndex, query: &str, limit: usize) -> Vec<SearchHit> {
        let query = fold(query.trim());
        let query_words = words(&query);
        let mut best: std::collections::BTreeMap<EntityIx, f64> = Default::default();
        for (entity, name, _) in &index.names {
            let s = reference(&query, &query_words, name);
            if s >= MIN_SCORE {
                let slot = best.entry(*entity).or_insert(s);
                *slot = slot.max(s);
            }
        }
        let mut hits: Vec<SearchHit> = best
            .into_iter()
            .map(|(entity, score)| SearchHit { entity, score })
            .collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.entity.cmp(&b.entity)));
        hits.truncate(limit);
        hits
    }

    #[test]
    fn search_equals_scoring_every_name() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/azerbaijan-2023");
        let files = govgraph_loader::read_dir(&dir).expect("the default data folder");
        let mut dataset =
            govgraph_loader::load(&files, None).expect("the default dataset is valid");
        dataset.canonicalize();
        let index = SearchIndex::build(&dataset.entities);
        for query in [
            "State Migration Service",
            "migraton code",
            "national migration service",
            "Agreement on cooperation between the Government of the Republic of Azerbaijan and \
             the Government of the Islamic Republic of Pakistan in the field of combating \
             international terrorism and organized crime",
            "turkiye",
            "labour law of the republic",
            "ASAN",
            "agrement between the european union and azerbaijan on visa",
        ] {
            // Small limits make the leaders' cut bite early.
            for limit in [1, 2, 3, 10, 500] {
                let fast = index.search(query, limit, |_| true);
                let direct = brute_force(&index, query, limit);
                assert!(!direct.is_empty(), "{query}: the reference finds something");
                assert_eq!(fast, direct, "{query}, limit {limit}");
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
            let known: Vec<Option<u32>> = query_words
                .iter()
                .map(|q| index.word_ids.get(q).copied())
                .collect();
            for (_, name, ids) in &index.names {
                let fast = score(
                    &query,
                    &known,
                    |i, w, _| similarity[i][w as usize],
                    name,
                    ids,
                    0.0,
                );
                let direct = reference(&query, &query_words, name);
                assert_eq!(fast.to_bits(), direct.to_bits(), "{query} vs {name}");
            }
        }
    }
}
