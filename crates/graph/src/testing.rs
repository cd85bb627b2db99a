//! Graphs for the unit tests.

use crate::index::Graph;
use govgraph_model::{Dataset, Entity, EntityKind, Evidence, Relation, RelationType};

/// Shorthand for the type most test relations have.
pub(crate) const C: RelationType = RelationType::CoordinatesWith;

/// A graph of the given relations among the entities they name (countries
/// by their `country:` prefix, institutions otherwise).
pub(crate) fn graph(edges: &[(&str, RelationType, &str)]) -> Graph {
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
                profile: None,
            }],
        })
        .collect();
    Graph::build(Dataset {
        entities,
        relations,
        profiles: Vec::new(),
    })
    .0
}

/// A seeded random graph of `n` entities and `m` relations with hubs,
/// parallel facts, self-loops, NOT_RATIFIED, isolated and dangling entities.
pub(crate) fn random_graph(n: usize, m: usize, seed: u64) -> Graph {
    let mut state = seed.max(1);
    let mut next = move |below: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % below as u64) as usize
    };
    let ids: Vec<String> = (0..n).map(|i| format!("institution:{i:04}")).collect();
    let types = [
        C,
        RelationType::Supports,
        RelationType::PartOf,
        RelationType::NotRatified,
    ];
    let mut edges = Vec::new();
    for _ in 0..m {
        // A product of two uniform draws favours low positions: a few hubs.
        let s = next(n) * next(n) / n;
        let t = if next(10) == 0 {
            s
        } else {
            next(n) * next(n) / n
        };
        edges.push((ids[s].as_str(), types[next(types.len())], ids[t].as_str()));
    }
    edges.sort();
    edges.dedup();
    // Entities in no relation belong to the graph too.
    let mut g = graph(&edges);
    if g.entity_count() < n {
        let mut dataset = Dataset {
            entities: crate::EntityIx::all(g.entity_count())
                .map(|e| g.entity(e).clone())
                .collect(),
            relations: crate::RelationIx::all(g.relation_count())
                .map(|r| g.relation(r).to_relation())
                .collect(),
            profiles: Vec::new(),
        };
        for id in &ids {
            if g.entity_ix(id).is_none() {
                let mut extra = dataset.entities[0].clone();
                extra.id = id.clone();
                extra.name = id.clone();
                dataset.entities.push(extra);
            }
        }
        g = Graph::build(dataset).0;
    }
    g
}
