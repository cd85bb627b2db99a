//! Centrality of every entity: degree, betweenness, closeness (rustworkx-core)
//! and PageRank (sparse power iteration), each computed once per graph on first
//! use and cached, so a request only walks a ranking that already exists.
//!
//! Degree, betweenness and closeness read the graph as undirected and simple:
//! who is connected to whom matters, not which way the sentence reads or how
//! many facts link the same two entities. PageRank follows relation direction,
//! so importance flows towards what is implemented, joined and ratified.
//! NOT_RATIFIED is a negative statement and is left out of every measure.

use crate::index::{EntityIx, Graph};
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

/// Scores of one measure and the entities ranked by them, best first.
#[derive(Debug)]
pub(crate) struct Ranking {
    scores: Vec<f64>,
    order: Vec<EntityIx>,
}

/// The lazily computed rankings of one graph.
#[derive(Debug, Default)]
pub(crate) struct CentralityCache {
    degree: OnceLock<Ranking>,
    betweenness: OnceLock<Ranking>,
    closeness: OnceLock<Ranking>,
    pagerank: OnceLock<Ranking>,
}

/// Damping factor of PageRank.
const DAMPING: f64 = 0.85;
/// PageRank stops when the L1 change of an iteration falls below this …
const TOLERANCE: f64 = 1e-10;
/// … or after this many iterations.
const MAX_ITERATIONS: usize = 200;
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
fn bfs(g: &UnGraph<(), (), u32>, source: usize) -> (Vec<u32>, Vec<f64>, Vec<usize>) {
    let n = g.node_count();
    let mut dist = vec![u32::MAX; n];
    let mut sigma = vec![0.0; n];
    let mut order = Vec::new();
    dist[source] = 0;
    sigma[source] = 1.0;
    let mut queue = std::collections::VecDeque::from([source]);
    while let Some(v) = queue.pop_front() {
        order.push(v);
        for w in g.neighbors(NodeIndex::new(v)) {
            let w = w.index();
            if dist[w] == u32::MAX {
                dist[w] = dist[v] + 1;
                queue.push_back(w);
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
fn sampled_betweenness(g: &UnGraph<(), (), u32>, sources: &[usize]) -> Vec<f64> {
    let n = g.node_count();
    let mut score = vec![0.0; n];
    if n <= 2 || sources.is_empty() {
        return score;
    }
    for &s in sources {
        let (dist, sigma, order) = bfs(g, s);
        let mut delta = vec![0.0; n];
        for &w in order.iter().rev() {
            for v in g.neighbors(NodeIndex::new(w)) {
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
fn sampled_closeness(g: &UnGraph<(), (), u32>, sources: &[usize]) -> Vec<f64> {
    let n = g.node_count();
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
    fn new(scores: Vec<f64>) -> Self {
        let mut order: Vec<EntityIx> = (0..scores.len() as EntityIx).collect();
        // Best first; ties in id order so the ranking is stable across runs.
        order.sort_by(|&a, &b| {
            scores[b as usize]
                .total_cmp(&scores[a as usize])
                .then(a.cmp(&b))
        });
        Ranking { scores, order }
    }
}

impl Graph {
    /// The score of every entity under `measure`, by position.
    pub fn centrality_scores(&self, measure: Measure) -> &[f64] {
        &self.ranking(measure).scores
    }

    /// The `first` best-scoring entities under `measure` whose kind passes `keep`.
    pub fn top_central(
        &self,
        measure: Measure,
        first: usize,
        mut keep: impl FnMut(EntityIx) -> bool,
    ) -> Vec<(EntityIx, f64)> {
        let ranking = self.ranking(measure);
        ranking
            .order
            .iter()
            .copied()
            .filter(|&e| keep(e))
            .take(first)
            .map(|e| (e, ranking.scores[e as usize]))
            .collect()
    }

    fn ranking(&self, measure: Measure) -> &Ranking {
        let cache = &self.centrality;
        match measure {
            Measure::Degree => cache.degree.get_or_init(|| {
                Ranking::new(rustworkx_core::centrality::degree_centrality(
                    &self.simple_undirected(),
                    None,
                ))
            }),
            Measure::Betweenness => cache.betweenness.get_or_init(|| {
                let g = self.simple_undirected();
                if g.node_count() > EXACT_LIMIT {
                    return Ranking::new(sampled_betweenness(&g, &pivots(g.node_count())));
                }
                let scores = rustworkx_core::centrality::betweenness_centrality(
                    &g,
                    false,
                    true,
                    PARALLEL_THRESHOLD,
                );
                Ranking::new(scores.into_iter().map(|s| s.unwrap_or(0.0)).collect())
            }),
            Measure::Closeness => cache.closeness.get_or_init(|| {
                let g = self.simple_undirected();
                if g.node_count() > EXACT_LIMIT {
                    return Ranking::new(sampled_closeness(&g, &pivots(g.node_count())));
                }
                let scores =
                    rustworkx_core::centrality::closeness_centrality(&g, true, PARALLEL_THRESHOLD);
                Ranking::new(scores.into_iter().map(|s| s.unwrap_or(0.0)).collect())
            }),
            Measure::PageRank => cache.pagerank.get_or_init(|| Ranking::new(self.pagerank())),
        }
    }

    /// Node i = entity i; one undirected edge per linked pair, negatives and loops left out.
    fn simple_undirected(&self) -> UnGraph<(), (), u32> {
        let n = self.entity_count();
        let mut pairs: HashSet<(EntityIx, EntityIx)> = HashSet::new();
        for r in 0..self.relation_count() as u32 {
            if self.relation(r).ty.is_negative() {
                continue;
            }
            let (s, t) = self.ends(r);
            if s != t {
                pairs.insert((s.min(t), s.max(t)));
            }
        }
        let mut pairs: Vec<_> = pairs.into_iter().collect();
        pairs.sort_unstable();
        let mut g = UnGraph::with_capacity(n, pairs.len());
        for _ in 0..n {
            g.add_node(());
        }
        g.extend_with_edges(pairs);
        g
    }

    /// PageRank by power iteration over an adjacency list: O(iterations × relations),
    /// where petgraph's `page_rank` is quadratic in the number of nodes. Entities
    /// with no outgoing relation spread their rank evenly over every entity.
    fn pagerank(&self) -> Vec<f64> {
        let n = self.entity_count();
        if n == 0 {
            return Vec::new();
        }
        let mut out: Vec<Vec<EntityIx>> = vec![Vec::new(); n];
        for r in 0..self.relation_count() as u32 {
            if self.relation(r).ty.is_negative() {
                continue;
            }
            let (s, t) = self.ends(r);
            if s != t {
                out[s as usize].push(t);
            }
        }
        for targets in &mut out {
            // Several facts between the same two entities make one link.
            targets.sort_unstable();
            targets.dedup();
        }
        let nf = n as f64;
        let mut rank = vec![1.0 / nf; n];
        for _ in 0..MAX_ITERATIONS {
            let dangling: f64 = (0..n).filter(|&i| out[i].is_empty()).map(|i| rank[i]).sum();
            let base = (1.0 - DAMPING) / nf + DAMPING * dangling / nf;
            let mut next = vec![base; n];
            for (i, targets) in out.iter().enumerate() {
                if targets.is_empty() {
                    continue;
                }
                let share = DAMPING * rank[i] / targets.len() as f64;
                for &t in targets {
                    next[t as usize] += share;
                }
            }
            let change: f64 = next.iter().zip(&rank).map(|(a, b)| (a - b).abs()).sum();
            rank = next;
            if change < TOLERANCE {
                break;
            }
        }
        rank
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use govgraph_model::{Dataset, Entity, EntityKind, Evidence, Relation, RelationType};

    fn graph(edges: &[(&str, RelationType, &str)]) -> Graph {
        let mut ids: Vec<&str> = edges.iter().flat_map(|(s, _, t)| [*s, *t]).collect();
        ids.sort();
        ids.dedup();
        let entities = ids
            .iter()
            .map(|id| Entity {
                id: id.to_string(),
                kind: if id.starts_with("country:") {
                    EntityKind::Country
                } else {
                    EntityKind::Institution
                },
                name: id.to_string(),
                aliases: Vec::new(),
                year: None,
                attributes: Default::default(),
            })
            .collect();
        let relations = edges
            .iter()
            .map(|(s, ty, t)| Relation {
                id: govgraph_model::relation_id(s, *ty, t),
                ty: *ty,
                source: s.to_string(),
                target: t.to_string(),
                since: None,
                until: None,
                evidence: vec![Evidence {
                    section: "1.1".into(),
                    quote: "q".into(),
                }],
            })
            .collect();
        Graph::build(Dataset {
            entities,
            relations,
        })
        .0
    }

    fn check(g: &Graph, measure: Measure, expected: &[(&str, f64)]) {
        let scores = g.centrality_scores(measure);
        for (id, want) in expected {
            let got = scores[g.entity_ix(id).unwrap() as usize];
            assert!(
                (got - want).abs() < 1e-6,
                "{measure:?} of {id}: got {got}, want {want}"
            );
        }
    }

    const C: RelationType = RelationType::CoordinatesWith;

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
        let un = g.simple_undirected();
        let all: Vec<usize> = (0..un.node_count()).collect();
        let close = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-9);
        let betweenness = sampled_betweenness(&un, &all);
        assert!(
            close(&betweenness, g.centrality_scores(Measure::Betweenness)),
            "{betweenness:?}"
        );
        let closeness = sampled_closeness(&un, &all);
        assert!(
            close(&closeness, g.centrality_scores(Measure::Closeness)),
            "{closeness:?}"
        );
        // From a few sources, the pair g-h (no source) is still measured exactly.
        let few = sampled_closeness(&un, &[0, 2]);
        let h = g.entity_ix("institution:h").unwrap() as usize;
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
        let d = DAMPING;
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
