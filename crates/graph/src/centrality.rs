//! Centrality of every entity: degree, betweenness, closeness (rustworkx-core)
//! and PageRank (Gauss–Seidel sweeps over compact rows of links), each
//! computed once per graph on first use and cached, so a request only walks a
//! ranking that already exists.
//!
//! Degree, betweenness and closeness read the graph as undirected and simple:
//! who is connected to whom matters, not which way the sentence reads or how
//! many facts link the same two entities. PageRank follows relation direction,
//! so importance flows towards what is implemented, joined and ratified.
//! NOT_RATIFIED is a negative statement and is left out of every measure.

use crate::adjacency::Adjacency;
use crate::adjacency::Neighbours;
use crate::ids::EntityIx;
use govgraph_model::RelationType;
use petgraph::graph::{NodeIndex, UnGraph};
use std::collections::HashSet;
use std::sync::OnceLock;

/// A centrality measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Number of distinct neighbours over `n - 1`.
    Degree,
    /// Share of shortest paths between other pairs that pass through the entity (normalized).
    Betweenness,
    /// Inverse mean distance to the entities it reaches, scaled by the share it reaches (Wasserman–Faust).
    Closeness,
    /// PageRank with damping 0.85 over directed relations.
    PageRank,
}

/// Scores of one measure and the entities ranked by them, best first. The
/// order is sorted on first use: asking for scores alone need not pay for it.
#[derive(Debug)]
pub(crate) struct Ranking {
    scores: Vec<f64>,
    order: OnceLock<Vec<EntityIx>>,
}

/// The lazily computed rankings of one graph.
#[derive(Debug, Default)]
pub(crate) struct CentralityCache {
    degree: OnceLock<Ranking>,
    betweenness: OnceLock<Ranking>,
    closeness: OnceLock<Ranking>,
    pagerank: OnceLock<Ranking>,
}

/// Below this many nodes rustworkx runs single-threaded (its recommended default).
const PARALLEL_THRESHOLD: usize = 50;
/// Up to this many entities betweenness and closeness are exact (rustworkx-core,
/// O(nodes × links)); above it that would take hours on a million relations, so
/// they are estimated from breadth-first searches out of [`PIVOTS`] sources.
const EXACT_LIMIT: usize = 5_000;
/// Number of sources of the estimates (Brandes–Pich for betweenness,
/// Eppstein–Wang for closeness).
const PIVOTS: usize = 256;

/// `PIVOTS` sources spread evenly over the positions, so the estimate is the same on every run.
fn pivots(n: usize) -> Vec<usize> {
    let k = PIVOTS.min(n);
    (0..k).map(|i| i * n / k).collect()
}

/// Distances (`u32::MAX` when unreached), shortest-path counts and the visiting
/// order of a breadth-first search from `source`.
fn bfs(g: &Neighbours, source: usize) -> (Vec<u32>, Vec<f64>, Vec<usize>) {
    let n = g.len();
    let mut dist = vec![u32::MAX; n];
    let mut sigma = vec![0.0; n];
    // The visiting order doubles as the queue: entities are appended once, when found.
    let mut order = vec![source];
    dist[source] = 0;
    sigma[source] = 1.0;
    let mut head = 0;
    while let Some(&v) = order.get(head) {
        head += 1;
        for &w in g.of(EntityIx::new(v)) {
            let w = w.index();
            if dist[w] == u32::MAX {
                dist[w] = dist[v] + 1;
                order.push(w);
            }
            if dist[w] == dist[v] + 1 {
                sigma[w] += sigma[v];
            }
        }
    }
    (dist, sigma, order)
}

/// Brandes' dependency accumulation from `sources` only, scaled up to all sources
/// and normalized like the exact measure: by (n - 1)(n - 2), pairs counted both ways.
fn sampled_betweenness(g: &Neighbours, sources: &[usize]) -> Vec<f64> {
    let n = g.len();
    let mut score = vec![0.0; n];
    if n <= 2 || sources.is_empty() {
        return score;
    }
    for &s in sources {
        let (dist, sigma, order) = bfs(g, s);
        let mut delta = vec![0.0; n];
        for &w in order.iter().rev() {
            for &v in g.of(EntityIx::new(w)) {
                let v = v.index();
                if dist[v] != u32::MAX && dist[v] + 1 == dist[w] {
                    delta[v] += sigma[v] / sigma[w] * (1.0 + delta[w]);
                }
            }
            if w != s {
                score[w] += delta[w];
            }
        }
    }
    let scale = n as f64 / sources.len() as f64 / ((n - 1) * (n - 2)) as f64;
    score.iter_mut().for_each(|x| *x *= scale);
    score
}

/// Wasserman–Faust closeness with each entity's mean distance estimated from the
/// sources in its component; an entity whose component holds no other source
/// (a small component) is measured exactly from itself.
fn sampled_closeness(g: &Neighbours, sources: &[usize]) -> Vec<f64> {
    let n = g.len();
    let mut sum = vec![0u64; n];
    let mut count = vec![0u32; n];
    let mut component_size = vec![0usize; n];
    for &s in sources {
        let (dist, _, order) = bfs(g, s);
        for &v in &order {
            if v != s {
                sum[v] += u64::from(dist[v]);
                count[v] += 1;
            }
            component_size[v] = order.len();
        }
    }
    let closeness = |reached: usize, mean: f64| {
        if reached <= 1 || mean <= 0.0 || n <= 1 {
            0.0
        } else {
            ((reached - 1) as f64 / (n - 1) as f64) / mean
        }
    };
    (0..n)
        .map(|v| {
            if count[v] > 0 && component_size[v] > 0 {
                closeness(component_size[v], sum[v] as f64 / f64::from(count[v]))
            } else {
                let (dist, _, order) = bfs(g, v);
                let total: u64 = order.iter().map(|&w| u64::from(dist[w])).sum();
                let others = order.len().saturating_sub(1).max(1);
                closeness(order.len(), total as f64 / others as f64)
            }
        })
        .collect()
}

impl Ranking {
    /// The scores, by position.
    pub(crate) fn scores(&self) -> &[f64] {
        &self.scores
    }

    fn new(scores: Vec<f64>) -> Self {
        Ranking {
            scores,
            order: OnceLock::new(),
        }
    }

    /// Positions best first; ties in id order so the ranking is stable across runs.
    pub(crate) fn order(&self) -> &[EntityIx] {
        self.order.get_or_init(|| rank_order(&self.scores))
    }
}

/// Positions by descending score (in `f64::total_cmp` order), ties by position.
/// Sorts (key, position) pairs, whose integer comparisons touch no other
/// memory, instead of comparing scores looked up by position; every pair is
/// distinct, so an unstable sort gives the one possible order.
fn rank_order(scores: &[f64]) -> Vec<EntityIx> {
    let mut keyed: Vec<(u64, EntityIx)> = scores
        .iter()
        .enumerate()
        .map(|(i, &score)| {
            // The integer order of these bits is `total_cmp`'s order (the
            // same flip it makes), complemented to put the best first.
            let bits = score.to_bits() as i64;
            let ordered = bits ^ ((((bits >> 63) as u64) >> 1) as i64);
            (!((ordered as u64) ^ (1 << 63)), EntityIx::new(i))
        })
        .collect();
    keyed.sort_unstable();
    keyed.into_iter().map(|(_, i)| i).collect()
}

impl Measure {
    /// Every measure.
    pub const ALL: [Measure; 4] = [
        Measure::Degree,
        Measure::Betweenness,
        Measure::Closeness,
        Measure::PageRank,
    ];
}

/// What the measures are computed from: the graph's links, by position.
pub(crate) struct Links<'g> {
    /// The adjacency rows.
    pub(crate) adjacency: &'g Adjacency,
    /// The relations' types, by position.
    pub(crate) types: &'g [RelationType],
    /// Each relation's source and target, by position.
    pub(crate) ends: &'g [(EntityIx, EntityIx)],
}

impl Links<'_> {
    fn entity_count(&self) -> usize {
        self.adjacency.entity_count()
    }

    /// Node i = entity i; one undirected edge per linked pair, negatives and loops left out.
    fn simple_undirected(&self) -> UnGraph<(), (), u32> {
        let n = self.entity_count();
        let mut pairs: HashSet<(EntityIx, EntityIx)> = HashSet::new();
        for (ty, &(s, t)) in self.types.iter().zip(self.ends) {
            if !ty.is_negative() && s != t {
                pairs.insert((s.min(t), s.max(t)));
            }
        }
        let mut pairs: Vec<_> = pairs.into_iter().collect();
        pairs.sort_unstable();
        let mut g = UnGraph::with_capacity(n, pairs.len());
        for _ in 0..n {
            g.add_node(());
        }
        g.extend_with_edges(
            pairs
                .into_iter()
                .map(|(s, t)| (NodeIndex::new(s.index()), NodeIndex::new(t.index()))),
        );
        g
    }
}

/// Exact betweenness at any size: Brandes' accumulation from every source over
/// the neighbour lists, O(entities × relations).
pub(crate) fn betweenness_exact(links: &Links<'_>) -> Vec<f64> {
    let all: Vec<usize> = (0..links.entity_count()).collect();
    sampled_betweenness(links.adjacency.neighbours(), &all)
}

impl CentralityCache {
    /// Whether `measure` is ranked already, so that asking for it is a lookup.
    pub(crate) fn ready(&self, measure: Measure) -> bool {
        self.slot(measure)
            .get()
            .is_some_and(|r| r.order.get().is_some())
    }

    fn slot(&self, measure: Measure) -> &OnceLock<Ranking> {
        match measure {
            Measure::Degree => &self.degree,
            Measure::Betweenness => &self.betweenness,
            Measure::Closeness => &self.closeness,
            Measure::PageRank => &self.pagerank,
        }
    }

    /// The ranking of `measure` over `links`, computed on first use.
    pub(crate) fn ranking(&self, measure: Measure, links: &Links<'_>) -> &Ranking {
        self.slot(measure)
            .get_or_init(|| Ranking::new(compute(measure, links)))
    }
}

/// The score of every entity under `measure`, by position.
fn compute(measure: Measure, links: &Links<'_>) -> Vec<f64> {
    let n = links.entity_count();
    // Above EXACT_LIMIT the estimates walk the plain neighbour lists of the
    // default traversal: the same simple undirected graph, as compact rows.
    let neighbours = links.adjacency.neighbours();
    let exact = |scores: Vec<Option<f64>>| scores.into_iter().map(|s| s.unwrap_or(0.0)).collect();
    match measure {
        Measure::Degree => {
            rustworkx_core::centrality::degree_centrality(&links.simple_undirected(), None)
        }
        Measure::Betweenness if n > EXACT_LIMIT => sampled_betweenness(neighbours, &pivots(n)),
        Measure::Betweenness => exact(rustworkx_core::centrality::betweenness_centrality(
            &links.simple_undirected(),
            false,
            true,
            PARALLEL_THRESHOLD,
        )),
        Measure::Closeness if n > EXACT_LIMIT => sampled_closeness(neighbours, &pivots(n)),
        Measure::Closeness => exact(rustworkx_core::centrality::closeness_centrality(
            &links.simple_undirected(),
            true,
            PARALLEL_THRESHOLD,
        )),
        Measure::PageRank => crate::pagerank::pagerank(links.adjacency, links.types.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{graph, random_graph, C};
    use crate::Graph;
    use crate::RelationIx;
    use govgraph_model::{EntityKind, RelationType};

    fn check(g: &Graph, measure: Measure, expected: &[(&str, f64)]) {
        let scores = g.centrality_scores(measure);
        for (id, want) in expected {
            let got = scores[g.entity_ix(id).unwrap().index()];
            assert!(
                (got - want).abs() < 1e-6,
                "{measure:?} of {id}: got {got}, want {want}"
            );
        }
    }

    /// A path a - b - c, with a second a-b fact and a NOT_RATIFIED edge that must not count.
    fn path_graph() -> Graph {
        graph(&[
            ("institution:a", C, "institution:b"),
            ("institution:b", C, "institution:a"),
            ("institution:b", C, "institution:c"),
            ("country:x", RelationType::NotRatified, "institution:b"),
        ])
    }

    #[test]
    fn undirected_measures_match_hand_computed_values() {
        let g = path_graph();
        // n = 4 (x is isolated once NOT_RATIFIED is dropped): degree / (n - 1).
        check(
            &g,
            Measure::Degree,
            &[
                ("institution:a", 1.0 / 3.0),
                ("institution:b", 2.0 / 3.0),
                ("institution:c", 1.0 / 3.0),
                ("country:x", 0.0),
            ],
        );
        // b lies on the one shortest a-c path; normalized by (n-1)(n-2)/2 = 3 pairs.
        check(
            &g,
            Measure::Betweenness,
            &[
                ("institution:a", 0.0),
                ("institution:b", 1.0 / 3.0),
                ("country:x", 0.0),
            ],
        );
        // Wasserman–Faust: (reached / (n-1)) * (reached / total distance).
        check(
            &g,
            Measure::Closeness,
            &[
                ("institution:b", (2.0 / 3.0) * (2.0 / 2.0)),
                ("institution:a", (2.0 / 3.0) * (2.0 / 3.0)),
                ("country:x", 0.0),
            ],
        );
    }

    /// A small graph with a cycle, a bridge, a pendant and a separate pair.
    fn mixed_graph() -> Graph {
        graph(&[
            ("institution:a", C, "institution:b"),
            ("institution:b", C, "institution:c"),
            ("institution:c", C, "institution:d"),
            ("institution:d", C, "institution:a"),
            ("institution:a", C, "institution:e"),
            ("institution:e", C, "institution:f"),
            ("institution:g", C, "institution:h"),
        ])
    }

    #[test]
    fn estimates_from_every_source_equal_the_exact_measures() {
        let g = mixed_graph();
        let un = g.adjacency.neighbours();
        let all: Vec<usize> = (0..g.entity_count()).collect();
        let close = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-9);
        let betweenness = sampled_betweenness(un, &all);
        assert!(
            close(&betweenness, g.centrality_scores(Measure::Betweenness)),
            "{betweenness:?}"
        );
        assert_eq!(g.betweenness_exact(), betweenness);
        let closeness = sampled_closeness(un, &all);
        assert!(
            close(&closeness, g.centrality_scores(Measure::Closeness)),
            "{closeness:?}"
        );
        // From a few sources, the pair g-h (no source) is still measured exactly.
        let few = sampled_closeness(un, &[0, 2]);
        let h = g.entity_ix("institution:h").unwrap().index();
        assert!((few[h] - g.centrality_scores(Measure::Closeness)[h]).abs() < 1e-9);
    }

    #[test]
    fn pagerank_matches_the_closed_form() {
        // a -> c and b -> c; c dangles. With d = 0.85 and n = 3:
        // x = (1-d)/3 + d*y/3 for a and b, y = 1 - 2x for c.
        let g = graph(&[
            ("institution:a", C, "institution:c"),
            ("institution:b", C, "institution:c"),
        ]);
        let d = crate::pagerank::DAMPING;
        let x = ((1.0 - d) / 3.0 + d / 3.0) / (1.0 + 2.0 * d / 3.0);
        check(
            &g,
            Measure::PageRank,
            &[
                ("institution:a", x),
                ("institution:b", x),
                ("institution:c", 1.0 - 2.0 * x),
            ],
        );
        let top = g.top_central(Measure::PageRank, 1, |_| true);
        assert_eq!(top[0].0, g.entity_ix("institution:c").unwrap());
    }

    /// The textbook power iteration, run to a far tighter tolerance: each
    /// non-negative relation that is not a self-loop is a link, parallel links
    /// count once, dangling entities spread their rank over every entity.
    fn reference_pagerank(g: &Graph) -> Vec<f64> {
        let n = g.entity_count();
        let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
        for r in RelationIx::all(g.relation_count()) {
            let (s, t) = g.ends(r);
            if !g.relation_type(r).is_negative() && s != t && !out[s.index()].contains(&t.index()) {
                out[s.index()].push(t.index());
            }
        }
        let mut rank = vec![1.0 / n as f64; n];
        for _ in 0..10_000 {
            let dangling: f64 = (0..n).filter(|&i| out[i].is_empty()).map(|i| rank[i]).sum();
            let mut next = vec![
                (1.0 - crate::pagerank::DAMPING
                    + crate::pagerank::DAMPING * dangling)
                    / n as f64;
                n
            ];
            for (i, targets) in out.iter().enumerate() {
                for &t in targets {
                    next[t] += crate::pagerank::DAMPING * rank[i] / targets.len() as f64;
                }
            }
            let change: f64 = next.iter().zip(&rank).map(|(a, b)| (a - b).abs()).sum();
            rank = next;
            if change < 1e-15 {
                break;
            }
        }
        rank
    }

    #[test]
    fn pagerank_matches_a_reference_power_iteration() {
        for (n, m, seed) in [(60, 150, 1), (300, 900, 2), (500, 3000, 3), (400, 200, 4)] {
            let g = random_graph(n, m, seed);
            assert_eq!(g.entity_count(), n);
            let want = reference_pagerank(&g);
            let got = g.centrality_scores(Measure::PageRank);
            let worst = got
                .iter()
                .zip(&want)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f64::max);
            assert!(worst < 1e-9, "n={n} m={m}: max abs diff {worst}");
            assert!((got.iter().sum::<f64>() - 1.0).abs() < 1e-12);
            // The ranking is the reference's wherever the scores are told apart.
            let top = g.top_central(Measure::PageRank, n, |_| true);
            for w in top.windows(2) {
                let (a, b) = (w[0].0.index(), w[1].0.index());
                assert!(want[a] > want[b] - 1e-9, "n={n}: {a} before {b}");
            }
        }
    }

    #[test]
    fn pagerank_of_a_cycle_and_of_isolated_entities_is_uniform() {
        let cycle = graph(&[
            ("institution:a", C, "institution:b"),
            ("institution:b", C, "institution:c"),
            ("institution:c", C, "institution:a"),
        ]);
        check(
            &cycle,
            Measure::PageRank,
            &[
                ("institution:a", 1.0 / 3.0),
                ("institution:b", 1.0 / 3.0),
                ("institution:c", 1.0 / 3.0),
            ],
        );
        // Only a negative statement and a self-loop: no link at all.
        let none = graph(&[
            ("country:x", RelationType::NotRatified, "institution:b"),
            ("institution:b", C, "institution:b"),
        ]);
        check(
            &none,
            Measure::PageRank,
            &[("country:x", 0.5), ("institution:b", 0.5)],
        );
        assert!(graph(&[]).centrality_scores(Measure::PageRank).is_empty());
    }

    #[test]
    fn rank_order_is_total_cmp_descending_with_ties_by_position() {
        let scores = [
            0.5,
            -0.0,
            0.0,
            1e-300,
            0.5,
            f64::INFINITY,
            -1.0,
            f64::MIN_POSITIVE,
            0.25,
            0.5,
            -f64::INFINITY,
            f64::NAN,
            -f64::NAN,
        ];
        let mut want: Vec<EntityIx> = EntityIx::all(scores.len()).collect();
        want.sort_by(|&a, &b| {
            scores[b.index()]
                .total_cmp(&scores[a.index()])
                .then(a.cmp(&b))
        });
        assert_eq!(rank_order(&scores), want);
    }

    #[test]
    fn rankings_filter_and_cut() {
        let g = path_graph();
        let top = g.top_central(Measure::Degree, 2, |_| true);
        assert_eq!(
            top.iter()
                .map(|(e, _)| g.entity(*e).id.as_str())
                .collect::<Vec<_>>(),
            ["institution:b", "institution:a"]
        );
        let countries = g.top_central(Measure::Degree, 5, |e| {
            g.entity(e).kind == EntityKind::Country
        });
        assert_eq!(countries.len(), 1);
    }
}
