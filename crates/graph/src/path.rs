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
                self.relation_records(),
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
