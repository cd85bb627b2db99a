//! Shared by the graph benches and the in-process bench driver: the graphs
//! (G0 the real data, G1/G2 synthetic), start entities at degree percentiles,
//! and the hand-written compressed-sparse-row BFS baseline.

#![allow(dead_code)]

use govgraph_graph::{EntityIx, Graph, RelationIx};
use govgraph_model::{Dataset, RelationType};
use std::collections::VecDeque;
use std::path::Path;

/// The real default dataset (data/azerbaijan-2023), validated without the profile.
pub fn g0() -> Dataset {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/azerbaijan-2023");
    let files = govgraph_loader::read_dir(&dir).expect("the default data folder");
    govgraph_loader::load(&files, None).expect("the default dataset is valid")
}

/// A synthetic dataset of `entities` and `relations` (seed 1).
pub fn synthetic(entities: usize, relations: usize) -> Dataset {
    govgraph_synth::generate(govgraph_synth::Config {
        entities,
        relations,
        seed: 1,
    })
    .to_dataset()
}

/// Number of relations at `e`, both directions.
pub fn degree(g: &Graph, e: EntityIx) -> usize {
    g.degree(e)
}

/// Entities at the p50, p90, p99 and maximum of the degree distribution
/// (ties broken by position, so the picks are stable).
pub fn percentile_picks(g: &Graph) -> Vec<(&'static str, EntityIx)> {
    let mut by_degree: Vec<(usize, EntityIx)> = EntityIx::all(g.entity_count())
        .map(|e| (degree(g, e), e))
        .collect();
    by_degree.sort_unstable();
    let at = |q: f64| by_degree[((by_degree.len() - 1) as f64 * q) as usize].1;
    vec![
        ("p50", at(0.50)),
        ("p90", at(0.90)),
        ("p99", at(0.99)),
        ("max", at(1.0)),
    ]
}

/// `e` as the plain `u32` the reference structures here hold.
pub fn position(e: EntityIx) -> u32 {
    u32::try_from(e.index()).expect("positions are 32-bit")
}

/// A small deterministic generator for picking pairs (xorshift).
pub struct Pick(u64);

impl Pick {
    /// Seeded.
    pub fn new(seed: u64) -> Self {
        Pick(seed.max(1))
    }

    /// Next index below `n`.
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// Compressed sparse rows of the graph read as undirected, NOT_RATIFIED left
/// out as traversals do: the neighbours of `v` are `targets[offsets[v]..offsets[v+1]]`.
pub struct Csr {
    /// Row starts, one per entity plus one.
    pub offsets: Vec<u32>,
    /// Neighbour positions.
    pub targets: Vec<u32>,
}

impl Csr {
    /// Builds the rows from the graph's relation ends.
    pub fn new(g: &Graph) -> Self {
        let n = g.entity_count();
        let mut degree = vec![0u32; n + 1];
        let edges: Vec<(u32, u32)> = RelationIx::all(g.relation_count())
            .filter(|&r| g.relation_type(r) != RelationType::NotRatified)
            .map(|r| {
                let (s, t) = g.ends(r);
                (position(s), position(t))
            })
            .collect();
        for &(s, t) in &edges {
            degree[s as usize] += 1;
            degree[t as usize] += 1;
        }
        let mut offsets = vec![0u32; n + 1];
        for v in 0..n {
            offsets[v + 1] = offsets[v] + degree[v];
        }
        let mut fill = offsets.clone();
        let mut targets = vec![0u32; offsets[n] as usize];
        for &(s, t) in &edges {
            targets[fill[s as usize] as usize] = t;
            fill[s as usize] += 1;
            targets[fill[t as usize] as usize] = s;
            fill[t as usize] += 1;
        }
        Csr { offsets, targets }
    }

    /// Breadth-first search from `start` up to `depth` hops; returns how many entities it reached.
    pub fn bfs(&self, start: EntityIx, depth: u32) -> usize {
        let start = position(start);
        let n = self.offsets.len() - 1;
        let mut dist = vec![u32::MAX; n];
        let mut queue = VecDeque::with_capacity(1024);
        dist[start as usize] = 0;
        queue.push_back(start);
        let mut reached = 1;
        while let Some(v) = queue.pop_front() {
            let d = dist[v as usize];
            if d == depth {
                continue;
            }
            let (a, b) = (self.offsets[v as usize], self.offsets[v as usize + 1]);
            for &w in &self.targets[a as usize..b as usize] {
                if dist[w as usize] == u32::MAX {
                    dist[w as usize] = d + 1;
                    reached += 1;
                    queue.push_back(w);
                }
            }
        }
        reached
    }

    /// Length of a shortest undirected path, by plain BFS; `None` when unreachable.
    pub fn distance(&self, from: EntityIx, to: EntityIx) -> Option<u32> {
        let (from, to) = (position(from), position(to));
        let n = self.offsets.len() - 1;
        let mut dist = vec![u32::MAX; n];
        let mut queue = VecDeque::new();
        dist[from as usize] = 0;
        queue.push_back(from);
        while let Some(v) = queue.pop_front() {
            if v == to {
                return Some(dist[v as usize]);
            }
            let (a, b) = (self.offsets[v as usize], self.offsets[v as usize + 1]);
            for &w in &self.targets[a as usize..b as usize] {
                if dist[w as usize] == u32::MAX {
                    dist[w as usize] = dist[v as usize] + 1;
                    queue.push_back(w);
                }
            }
        }
        None
    }
}

/// Pairs of entities for path benchmarks: `count` random pairs, hub-to-hub pairs
/// among the top 1% by degree, and pairs in different components.
pub fn path_pairs(
    g: &Graph,
    csr: &Csr,
    count: usize,
) -> Vec<(&'static str, Vec<(EntityIx, EntityIx)>)> {
    let n = g.entity_count();
    let mut pick = Pick::new(12345);
    let random: Vec<_> = (0..count)
        .map(|_| (EntityIx::new(pick.below(n)), EntityIx::new(pick.below(n))))
        .collect();
    let mut by_degree: Vec<(usize, EntityIx)> =
        EntityIx::all(n).map(|e| (degree(g, e), e)).collect();
    by_degree.sort_unstable_by(|a, b| b.cmp(a));
    let hubs: Vec<EntityIx> = by_degree[..(n / 100).max(2)].iter().map(|x| x.1).collect();
    let hub_pairs: Vec<_> = (0..count)
        .map(|_| (hubs[pick.below(hubs.len())], hubs[pick.below(hubs.len())]))
        .filter(|(a, b)| a != b)
        .collect();
    // Unreachable: the biggest hub and entities outside its component.
    let centre = by_degree[0].1;
    let mut dist = vec![false; n];
    let mut stack = vec![centre.index()];
    dist[centre.index()] = true;
    while let Some(v) = stack.pop() {
        let (a, b) = (csr.offsets[v], csr.offsets[v + 1]);
        for &w in &csr.targets[a as usize..b as usize] {
            if !dist[w as usize] {
                dist[w as usize] = true;
                stack.push(w as usize);
            }
        }
    }
    let outside: Vec<EntityIx> = EntityIx::all(n).filter(|&e| !dist[e.index()]).collect();
    let unreachable: Vec<_> = if outside.is_empty() {
        Vec::new()
    } else {
        (0..count)
            .map(|_| {
                (
                    hubs[pick.below(hubs.len())],
                    outside[pick.below(outside.len())],
                )
            })
            .collect()
    };
    vec![
        ("random", random),
        ("hub-to-hub", hub_pairs),
        ("unreachable", unreachable),
    ]
}
