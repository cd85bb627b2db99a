//! In-process benchmarks of the graph engine on G0 (the real data) and G1 (a
//! synthetic 20k entities / 100k relations), next to a hand-written CSR BFS.
//!
//! `cargo bench -p govgraph-graph --bench traversal` (add `-- --quick` for a
//! short run); `GOVGRAPH_BENCH_GRAPHS=g0` limits the graphs (`g2` adds the
//! 200k/1M synthetic graph of `bench/run`), `GOVGRAPH_BENCH_G1=N,M` changes the
//! size of G1.

#![allow(missing_docs)] // criterion_group! generates an undocumented function

mod common;

use common::{path_pairs, percentile_picks, Csr};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use govgraph_graph::{Direction, EdgeFilter, Graph, Measure};
use govgraph_model::Dataset;
use std::hint::black_box;
use std::time::Duration;

fn graphs() -> Vec<(&'static str, Dataset)> {
    let wanted = std::env::var("GOVGRAPH_BENCH_GRAPHS").unwrap_or_else(|_| "g0,g1".into());
    let (n, m) = std::env::var("GOVGRAPH_BENCH_G1")
        .ok()
        .and_then(|s| {
            let (a, b) = s.split_once(',')?;
            Some((a.parse().ok()?, b.parse().ok()?))
        })
        .unwrap_or((20_000, 100_000));
    let mut out = Vec::new();
    if wanted.contains("g0") {
        out.push(("G0", common::g0()));
    }
    if wanted.contains("g1") {
        out.push(("G1", common::synthetic(n, m)));
    }
    if wanted.contains("g2") {
        out.push(("G2", common::synthetic(200_000, 1_000_000)));
    }
    out
}

fn engine(c: &mut Criterion) {
    for (name, dataset) in graphs() {
        let (g, _) = Graph::build(dataset.clone());
        let csr = Csr::new(&g);
        let picks = percentile_picks(&g);
        let traversal = EdgeFilter::traversal(None);
        let listing = EdgeFilter::listing(None);

        let mut group = c.benchmark_group(format!("{name}/lookup"));
        let ids: Vec<String> = picks.iter().map(|(_, e)| g.entity(*e).id.clone()).collect();
        group.bench_function("entity_by_id", |b| {
            b.iter(|| {
                for id in &ids {
                    black_box(g.entity(g.entity_ix(id).expect("known")));
                }
            })
        });
        group.bench_function("search_top10", |b| {
            b.iter(|| black_box(g.search("national migration service", None, 10)))
        });
        // The longest name, as `bench/run` searches for the p90 entity's name
        // (a 30-word agreement title on G0).
        let longest = (0..g.entity_count())
            .map(|i| g.entity(govgraph_graph::EntityIx::new(i)).name.clone())
            .max_by_key(|name| (name.split_whitespace().count(), name.clone()))
            .unwrap_or_default();
        group.bench_function("search_longest_name", |b| {
            b.iter(|| black_box(g.search(&longest, None, 10)))
        });
        group.finish();

        let mut group = c.benchmark_group(format!("{name}/neighbours"));
        for (label, e) in &picks {
            // The most common relation type at this entity.
            let all = g.relations_at(*e, Direction::Both, &listing);
            let ty = all.first().map(|&r| g.relation_type(r));
            let typed = EdgeFilter::listing(ty.map(|t| vec![t]));
            group.bench_with_input(BenchmarkId::new("one_type_first100", label), e, |b, &e| {
                b.iter(|| {
                    let items = g.relations_at(e, Direction::Both, &typed);
                    black_box(items.into_iter().take(100).count())
                })
            });
            group.bench_with_input(BenchmarkId::new("two_hop_capped", label), e, |b, &e| {
                b.iter(|| black_box(g.neighborhood(e, 2, &listing, 2_000).entities.len()))
            });
            // What `bench/run` times as govgraph's 2-hop count: the entity set alone.
            group.bench_with_input(BenchmarkId::new("two_hop_bfs", label), e, |b, &e| {
                b.iter(|| black_box(g.bfs(e, 2, &traversal, usize::MAX).0.len()))
            });
            group.bench_with_input(BenchmarkId::new("csr_two_hop", label), e, |b, &e| {
                b.iter(|| black_box(csr.bfs(e, 2)))
            });
        }
        group.finish();

        let mut group = c.benchmark_group(format!("{name}/traversal"));
        let hub = picks.last().expect("picks").1;
        group.bench_function("engine_full_bfs", |b| {
            b.iter(|| black_box(g.bfs(hub, u32::MAX, &traversal, usize::MAX).0.len()))
        });
        // A filter off the default (negatives kept) walks the general rows.
        group.bench_function("engine_full_bfs_listing", |b| {
            b.iter(|| black_box(g.bfs(hub, u32::MAX, &listing, usize::MAX).0.len()))
        });
        group.bench_function("engine_full_neighborhood", |b| {
            b.iter(|| {
                let all = g.neighborhood(hub, u32::MAX, &traversal, usize::MAX);
                black_box(all.entities.len())
            })
        });
        group.bench_function("csr_full_bfs", |b| {
            b.iter(|| black_box(csr.bfs(hub, u32::MAX)))
        });
        group.finish();

        let mut group = c.benchmark_group(format!("{name}/shortest_path"));
        for (label, pairs) in path_pairs(&g, &csr, 20) {
            if pairs.is_empty() {
                continue;
            }
            group.bench_function(BenchmarkId::new("engine", label), |b| {
                b.iter(|| {
                    for &(s, t) in &pairs {
                        black_box(g.shortest_path(s, t, 8, false, &traversal));
                    }
                })
            });
            group.bench_function(BenchmarkId::new("csr_bfs", label), |b| {
                b.iter(|| {
                    for &(s, t) in &pairs {
                        black_box(csr.distance(s, t));
                    }
                })
            });
        }
        group.finish();

        let mut group = c.benchmark_group(format!("{name}/k_shortest_paths"));
        group.sample_size(10);
        let pairs = path_pairs(&g, &csr, 5);
        if let Some((_, hub_pairs)) = pairs.iter().find(|(label, _)| *label == "hub-to-hub") {
            group.bench_function("k10_hub_to_hub_x5", |b| {
                b.iter(|| {
                    for &(s, t) in hub_pairs {
                        black_box(g.k_shortest_paths(s, t, 10, 6, false, &traversal).len());
                    }
                })
            });
        }
        group.finish();

        let mut group = c.benchmark_group(format!("{name}/centrality"));
        group.sample_size(10);
        for (label, measure) in [
            ("pagerank", Measure::PageRank),
            ("betweenness", Measure::Betweenness),
        ] {
            // Rankings are cached per graph: time the first computation on a fresh one.
            group.bench_function(label, |b| {
                b.iter_batched(
                    || Graph::build(dataset.clone()).0,
                    // Hand the graph back so that dropping it is not timed.
                    |g| {
                        black_box(g.centrality_scores(measure).len());
                        g
                    },
                    criterion::BatchSize::LargeInput,
                )
            });
        }
        // The scores and the ranking the API's `centrality` query reads.
        group.bench_function("pagerank_top10", |b| {
            b.iter_batched(
                || Graph::build(dataset.clone()).0,
                |g| {
                    black_box(g.top_central(Measure::PageRank, 10, |_| true).len());
                    g
                },
                criterion::BatchSize::LargeInput,
            )
        });
        group.finish();
    }
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(20)
}

criterion_group! {
    name = benches;
    config = config();
    targets = engine
}
criterion_main!(benches);
