//! Shortest paths by bidirectional breadth-first search.
//!
//! Every relation weighs the same, so BFS is exact and Dijkstra's priority queue
//! buys nothing; searching from both ends meets in the middle and touches far
//! fewer nodes than a one-sided search on hub-heavy graphs.

use crate::filter::{Direction, EdgeFilter};
use crate::index::{EntityIx, Graph, RelationIx};
use std::collections::{HashMap, HashSet};

/// A path in walking order: `entities.len() == relations.len() + 1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathResult {
    /// Entities from start to end.
    pub entities: Vec<EntityIx>,
    /// Relations between consecutive entities.
    pub relations: Vec<RelationIx>,
}

/// What a search may not use: Yen's spur searches ban the root path's nodes and
/// the hops that earlier paths took from the spur node.
#[derive(Debug, Default)]
pub(crate) struct Bans {
    /// Entities the path may not pass through.
    pub nodes: HashSet<EntityIx>,
    /// Hops (unordered pairs of entities, smaller first) the path may not take.
    pub hops: HashSet<(EntityIx, EntityIx)>,
}

impl Bans {
    fn forbids(&self, a: EntityIx, b: EntityIx) -> bool {
        self.nodes.contains(&b) || self.hops.contains(&(a.min(b), a.max(b)))
    }
}

/// One side of the search: who was reached, and by which relation from whom.
struct Side {
    parent: HashMap<EntityIx, Option<(EntityIx, RelationIx)>, crate::adjacency::PositionHash>,
    frontier: Vec<EntityIx>,
    depth: u32,
    direction: Direction,
}

impl Side {
    fn new(start: EntityIx, direction: Direction) -> Self {
        Side {
            parent: [(start, None)].into_iter().collect(),
            frontier: vec![start],
            depth: 0,
            direction,
        }
    }

    fn distance_to(&self, node: EntityIx) -> u32 {
        let mut d = 0;
        let mut at = node;
        while let Some(Some((prev, _))) = self.parent.get(&at) {
            at = *prev;
            d += 1;
        }
        d
    }

    fn walk_back(&self, node: EntityIx) -> Vec<(EntityIx, RelationIx)> {
        let mut steps = Vec::new();
        let mut at = node;
        while let Some(Some((prev, rel))) = self.parent.get(&at) {
            steps.push((*prev, *rel));
            at = *prev;
        }
        steps
    }
}

impl Graph {
    /// A shortest path from `from` to `to` of at most `max_depth` relations passing
    /// `filter`, following relation direction only when `directed`.
    pub fn shortest_path(
        &self,
        from: EntityIx,
        to: EntityIx,
        max_depth: u32,
        directed: bool,
        filter: &EdgeFilter,
    ) -> Option<PathResult> {
        self.shortest_path_avoiding(from, to, max_depth, directed, filter, &Bans::default())
    }

    /// [`Graph::shortest_path`] that never uses what `bans` forbids.
    pub(crate) fn shortest_path_avoiding(
        &self,
        from: EntityIx,
        to: EntityIx,
        max_depth: u32,
        directed: bool,
        filter: &EdgeFilter,
        bans: &Bans,
    ) -> Option<PathResult> {
        if from == to {
            return Some(PathResult {
                entities: vec![from],
                relations: Vec::new(),
            });
        }
        if !directed
            && filter.is_default_traversal()
            && bans.nodes.is_empty()
            && bans.hops.is_empty()
        {
            return self.shortest_path_plain(from, to, max_depth);
        }
        let (forward, backward) = if directed {
            (Direction::Outgoing, Direction::Incoming)
        } else {
            (Direction::Both, Direction::Both)
        };
        let mut sides = [Side::new(from, forward), Side::new(to, backward)];
        while sides[0].depth + sides[1].depth < max_depth {
            if sides[0].frontier.is_empty()
                || sides[1].frontier.is_empty()
                || crate::interrupt::interrupted()
            {
                return None;
            }
            // Grow the cheaper side by one whole level.
            let grow = usize::from(sides[1].frontier.len() < sides[0].frontier.len());
            let (grown, other) = if grow == 0 {
                let (a, b) = sides.split_at_mut(1);
                (&mut a[0], &b[0])
            } else {
                let (a, b) = sides.split_at_mut(1);
                (&mut b[0], &a[0])
            };
            let meetings = self.expand(grown, other, filter, bans);
            if let Some(meet) = meetings
                .into_iter()
                .min_by_key(|&m| (sides[0].distance_to(m) + sides[1].distance_to(m), m))
            {
                return Some(self.join(&sides[0], &sides[1], meet));
            }
        }
        None
    }

    /// [`Graph::shortest_path`] under the default traversal filter, undirected:
    /// the search walks the plain neighbour lists (4 bytes a step, no filter
    /// test, no relation kept) and stops at the first entity both sides have
    /// reached, as networkx's bidirectional search does. All the meetings of
    /// one level are equally far apart (a shorter one would have been met a
    /// level earlier), so the first is a shortest path. Each hop's relation is
    /// then the first relation of the row that the walk over rows would have
    /// taken.
    fn shortest_path_plain(
        &self,
        from: EntityIx,
        to: EntityIx,
        max_depth: u32,
    ) -> Option<PathResult> {
        let neighbours = self.adjacency.neighbours();
        let mut sides = [PlainSide::new(from), PlainSide::new(to)];
        let mut depths = [0u32; 2];
        while depths[0] + depths[1] < max_depth {
            if sides[0].frontier.is_empty()
                || sides[1].frontier.is_empty()
                || crate::interrupt::interrupted()
            {
                return None;
            }
            let grow = usize::from(sides[1].frontier.len() < sides[0].frontier.len());
            let (a, b) = sides.split_at_mut(1);
            let (grown, other) = if grow == 0 {
                (&mut a[0], &b[0])
            } else {
                (&mut b[0], &a[0])
            };
            depths[grow] += 1;
            if let Some(meet) = grown.expand(neighbours, other) {
                let mut entities = sides[0].walk_back(meet);
                entities.reverse();
                entities.extend(sides[1].walk_back(meet).into_iter().skip(1));
                let relations = entities
                    .windows(2)
                    .map(|hop| self.first_plain_relation(hop[0], hop[1]))
                    .collect::<Option<Vec<_>>>()?;
                return Some(PathResult {
                    entities,
                    relations,
                });
            }
        }
        None
    }

    /// The first relation between `a` and `b` that a default traversal follows.
    fn first_plain_relation(&self, a: EntityIx, b: EntityIx) -> Option<RelationIx> {
        self.adjacency
            .steps(a, Direction::Both)
            .iter()
            .find(|s| s.other == b && !s.ty.is_negative())
            .map(|s| s.rel)
    }

    /// Expands one level of `side`; returns the newly reached nodes that `other` has reached.
    fn expand(
        &self,
        side: &mut Side,
        other: &Side,
        filter: &EdgeFilter,
        bans: &Bans,
    ) -> Vec<EntityIx> {
        let mut next = Vec::new();
        let mut meetings = Vec::new();
        let banning = !bans.nodes.is_empty() || !bans.hops.is_empty();
        for &node in &side.frontier {
            let parent = &mut side.parent;
            self.adjacency.walk(
                node,
                side.direction,
                filter,
                self.relation_table(),
                |step| {
                    let (rel, neighbour) = (step.rel, step.other);
                    if parent.contains_key(&neighbour)
                        || !self.existed(neighbour, filter.as_of)
                        || (banning && bans.forbids(node, neighbour))
                    {
                        return;
                    }
                    parent.insert(neighbour, Some((node, rel)));
                    next.push(neighbour);
                    if other.parent.contains_key(&neighbour) {
                        meetings.push(neighbour);
                    }
                },
            );
        }
        side.frontier = next;
        side.depth += 1;
        meetings
    }

    fn join(&self, start_side: &Side, end_side: &Side, meet: EntityIx) -> PathResult {
        let mut entities: Vec<EntityIx> = Vec::new();
        let mut relations = Vec::new();
        let mut back = start_side.walk_back(meet);
        back.reverse();
        for (node, rel) in back {
            entities.push(node);
            relations.push(rel);
        }
        entities.push(meet);
        for (node, rel) in end_side.walk_back(meet) {
            relations.push(rel);
            entities.push(node);
        }
        PathResult {
            entities,
            relations,
        }
    }
}

/// One side of [`Graph::shortest_path_plain`]: who was reached, from whom.
struct PlainSide {
    /// Each reached entity's predecessor; the start is its own.
    parent: HashMap<EntityIx, EntityIx, crate::adjacency::PositionHash>,
    frontier: Vec<EntityIx>,
}

impl PlainSide {
    fn new(start: EntityIx) -> Self {
        PlainSide {
            parent: [(start, start)].into_iter().collect(),
            frontier: vec![start],
        }
    }

    /// Expands one level; the first newly reached entity that `other` has
    /// reached too, if any.
    fn expand(
        &mut self,
        neighbours: &crate::adjacency::Neighbours,
        other: &PlainSide,
    ) -> Option<EntityIx> {
        let mut next = Vec::new();
        for &node in &self.frontier {
            for &neighbour in neighbours.of(node) {
                if self.parent.contains_key(&neighbour) {
                    continue;
                }
                self.parent.insert(neighbour, node);
                if other.parent.contains_key(&neighbour) {
                    return Some(neighbour);
                }
                next.push(neighbour);
            }
        }
        self.frontier = next;
        None
    }

    /// The entities from `node` back to this side's start.
    fn walk_back(&self, node: EntityIx) -> Vec<EntityIx> {
        let mut path = vec![node];
        let mut at = node;
        while let Some(&prev) = self.parent.get(&at) {
            if prev == at {
                break;
            }
            path.push(prev);
            at = prev;
        }
        path
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::random_graph;

    /// The plain search against the search over filtered rows (which takes
    /// the general route when it must avoid something) and against BFS
    /// distances: the same lengths, every hop a followed relation between
    /// the entities it joins.
    #[test]
    fn the_plain_search_finds_shortest_paths_over_followed_relations() {
        for (n, m, seed) in [(2_000, 5_000, 7), (300, 3_000, 8), (5_000, 5_200, 9)] {
            let g = random_graph(n, m, seed);
            let filter = EdgeFilter::traversal(None);
            // A ban that forbids nothing reachable still forces the general route.
            let general = Bans {
                nodes: [EntityIx::MAX].into_iter().collect(),
                hops: HashSet::new(),
            };
            let mut found = 0;
            for i in 0..200 {
                let (a, b) = (EntityIx::new(i * 7 % n), EntityIx::new(i * 13 % n));
                let plain = g.shortest_path(a, b, 6, false, &filter);
                let rows = g.shortest_path_avoiding(a, b, 6, false, &filter, &general);
                let (reached, _) = g.bfs(a, 6, &filter, usize::MAX);
                let distance = reached.iter().find(|(e, _)| *e == b).map(|(_, d)| *d);
                let length = |p: &Option<PathResult>| p.as_ref().map(|p| p.relations.len() as u32);
                assert_eq!(length(&plain), distance, "{a:?} -> {b:?}");
                assert_eq!(length(&rows), distance, "{a:?} -> {b:?}");
                let Some(path) = plain else { continue };
                found += 1;
                assert_eq!(path.entities.first(), Some(&a));
                assert_eq!(path.entities.last(), Some(&b));
                for (hop, &r) in path.relations.iter().enumerate() {
                    let (s, t) = g.ends(r);
                    let pair = (path.entities[hop], path.entities[hop + 1]);
                    assert!(pair == (s, t) || pair == (t, s), "hop {hop} is not {r:?}");
                    assert!(
                        filter.admits(&g.relation(r)),
                        "hop {hop} follows a negative relation"
                    );
                }
            }
            assert!(found > 50, "only {found} pairs connected");
        }
    }
}
