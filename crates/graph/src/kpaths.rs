//! The k shortest simple paths between two entities, by Yen's algorithm over the
//! bidirectional BFS of [`crate::path`].
//!
//! Paths are told apart by their sequence of entities: two parallel relations
//! between the same entities make one hop, so a client never sees the same walk
//! twice with only a different relation in the middle. The work is bounded by
//! `k` times the path length spur searches, each itself bounded by `max_depth`.

use crate::filter::EdgeFilter;
use crate::index::{EntityIx, Graph, RelationIx};
use crate::path::{Bans, PathResult};
use std::collections::{BTreeSet, HashSet};

impl Graph {
    /// Up to `k` shortest simple paths from `from` to `to` of at most `max_depth`
    /// relations passing `filter`, shortest first (ties by entity positions).
    pub fn k_shortest_paths(
        &self,
        from: EntityIx,
        to: EntityIx,
        k: usize,
        max_depth: u32,
        directed: bool,
        filter: &EdgeFilter,
    ) -> Vec<PathResult> {
        self.k_shortest_paths_avoiding(from, to, (k, max_depth), directed, filter, &HashSet::new())
    }

    /// [`Graph::k_shortest_paths`] through none of the entities in `avoid`
    /// (the two ends excepted: a path always starts and ends at them).
    pub fn k_shortest_paths_avoiding(
        &self,
        from: EntityIx,
        to: EntityIx,
        (k, max_depth): (usize, u32),
        directed: bool,
        filter: &EdgeFilter,
        avoid: &HashSet<EntityIx>,
    ) -> Vec<PathResult> {
        let mut found: Vec<PathResult> = Vec::new();
        if k == 0 {
            return found;
        }
        let avoided = || avoid.iter().copied().filter(|&e| e != from && e != to);
        let first_bans = Bans {
            nodes: avoided().collect(),
            ..Bans::default()
        };
        let Some(first) =
            self.shortest_path_avoiding(from, to, max_depth, directed, filter, &first_bans)
        else {
            return found;
        };
        let mut seen: HashSet<Vec<EntityIx>> = HashSet::from([first.entities.clone()]);
        // Ordered by (length, entities) so ties break the same way on every run.
        let mut candidates: BTreeSet<(usize, Vec<EntityIx>, Vec<RelationIx>)> = BTreeSet::new();
        found.push(first);
        while found.len() < k {
            if crate::interrupt::interrupted() {
                break;
            }
            let last = found.last().expect("found is never empty here").clone();
            for i in 0..last.relations.len() {
                if crate::interrupt::interrupted() {
                    break;
                }
                let spur = last.entities[i];
                let root_entities = &last.entities[..=i];
                let mut bans = Bans::default();
                // Hops already taken from this root by an accepted path.
                for path in &found {
                    if path.entities.len() > i + 1 && path.entities[..=i] == *root_entities {
                        let next = path.entities[i + 1];
                        bans.hops.insert((spur.min(next), spur.max(next)));
                    }
                }
                // Simplicity: the spur path may not come back through the root.
                bans.nodes.extend(root_entities[..i].iter().copied());
                bans.nodes.extend(avoided());
                let budget = max_depth.saturating_sub(i as u32);
                let Some(spur_path) =
                    self.shortest_path_avoiding(spur, to, budget, directed, filter, &bans)
                else {
                    continue;
                };
                let mut entities = root_entities.to_vec();
                entities.extend_from_slice(&spur_path.entities[1..]);
                if seen.contains(&entities) {
                    continue;
                }
                let mut relations = last.relations[..i].to_vec();
                relations.extend_from_slice(&spur_path.relations);
                seen.insert(entities.clone());
                candidates.insert((relations.len(), entities, relations));
            }
            let Some((_, entities, relations)) = candidates.pop_first() else {
                break;
            };
            found.push(PathResult {
                entities,
                relations,
            });
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use govgraph_model::{Dataset, Entity, EntityKind, Evidence, Relation, RelationType};

    fn entity(id: &str) -> Entity {
        Entity {
            id: format!("institution:{id}"),
            kind: EntityKind::Institution,
            name: id.to_owned(),
            aliases: Vec::new(),
            year: None,
            attributes: Default::default(),
        }
    }

    fn relation(s: &str, t: &str, since: Option<i32>) -> Relation {
        let (source, target) = (format!("institution:{s}"), format!("institution:{t}"));
        Relation {
            id: govgraph_model::relation_id(&source, RelationType::CoordinatesWith, &target),
            ty: RelationType::CoordinatesWith,
            source,
            target,
            since,
            until: None,
            evidence: vec![Evidence {
                section: "1.1".into(),
                quote: "q".into(),
                profile: None,
            }],
        }
    }

    /// a-b-d, a-c-d, a-e-f-d, and a direct a-d added in 2020.
    fn graph() -> Graph {
        let entities = ["a", "b", "c", "d", "e", "f"].map(entity).to_vec();
        let relations = vec![
            relation("a", "b", None),
            relation("b", "d", None),
            relation("a", "c", None),
            relation("c", "d", None),
            relation("a", "e", None),
            relation("e", "f", None),
            relation("f", "d", None),
            relation("a", "d", Some(2020)),
        ];
        Graph::build(Dataset {
            entities,
            relations,
            profiles: Vec::new(),
        })
        .0
    }

    fn names(g: &Graph, path: &PathResult) -> String {
        path.entities
            .iter()
            .map(|&e| g.entity(e).name.as_str())
            .collect::<Vec<_>>()
            .join("-")
    }

    fn check(k: usize, max_depth: u32, as_of: Option<i32>, expected: &[&str]) {
        check_avoiding(k, max_depth, as_of, &[], expected);
    }

    fn check_avoiding(
        k: usize,
        max_depth: u32,
        as_of: Option<i32>,
        avoid: &[&str],
        expected: &[&str],
    ) {
        let g = graph();
        let avoid: HashSet<EntityIx> = avoid
            .iter()
            .map(|n| g.entity_ix(&format!("institution:{n}")).unwrap())
            .collect();
        let (a, d) = (
            g.entity_ix("institution:a").unwrap(),
            g.entity_ix("institution:d").unwrap(),
        );
        let filter = EdgeFilter {
            as_of,
            ..EdgeFilter::traversal(None)
        };
        let paths = g.k_shortest_paths_avoiding(a, d, (k, max_depth), false, &filter, &avoid);
        let got: Vec<String> = paths.iter().map(|p| names(&g, p)).collect();
        assert_eq!(got, expected, "k={k} max_depth={max_depth} as_of={as_of:?}");
        for p in &paths {
            assert_eq!(p.entities.len(), p.relations.len() + 1);
            let distinct: HashSet<_> = p.entities.iter().collect();
            assert_eq!(distinct.len(), p.entities.len(), "simple path");
        }
    }

    #[test]
    fn yen_lists_paths_shortest_first_without_repeats() {
        check(1, 8, None, &["a-d"]);
        check(10, 8, None, &["a-d", "a-b-d", "a-c-d", "a-e-f-d"]);
        check(3, 8, None, &["a-d", "a-b-d", "a-c-d"]);
        check(10, 2, None, &["a-d", "a-b-d", "a-c-d"]);
        check(10, 8, Some(2019), &["a-b-d", "a-c-d", "a-e-f-d"]);
        check(0, 8, None, &[]);
    }

    #[test]
    fn avoided_entities_are_never_passed_through_but_the_ends_stay() {
        check_avoiding(10, 8, None, &["b"], &["a-d", "a-c-d", "a-e-f-d"]);
        check_avoiding(10, 8, None, &["b", "f"], &["a-d", "a-c-d"]);
        check_avoiding(10, 8, Some(2019), &["b", "c", "e"], &[]);
        // The ends themselves cannot be avoided.
        check_avoiding(10, 2, None, &["a", "d"], &["a-d", "a-b-d", "a-c-d"]);
    }
}
