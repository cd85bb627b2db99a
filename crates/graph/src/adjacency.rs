//! Compressed-sparse-row adjacency, the graph's only link structure: for every
//! entity, its outgoing and its incoming relations as contiguous runs of
//! (relation, other end), in relation id order, plus each relation's type in a
//! byte array. Traversals walk these runs without allocating, sorting or
//! touching the relation table's other columns unless a year filter needs them; the
//! default traversal (both directions, NOT_RATIFIED left out) walks plain
//! neighbour lists built once beside them.

use crate::filter::{Direction, EdgeFilter};
use crate::ids::{EntityIx, RelationIx};
use crate::relations::RelationTable;
use govgraph_model::RelationType;
use serde::{Deserialize, Serialize};

/// One step along a relation: which relation, its type, and the entity at its other end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Step {
    /// The relation.
    pub rel: RelationIx,
    /// The entity at the other end.
    pub other: EntityIx,
    /// The relation's type, kept here so that type filters need no second lookup.
    pub ty: RelationType,
}

/// Rows of steps, one row per entity.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Rows {
    offsets: Vec<u32>,
    steps: Vec<Step>,
}

impl Rows {
    /// Rows from `(row, step)` pairs already in relation order.
    fn new(n: usize, pairs: impl Iterator<Item = (EntityIx, Step)> + Clone) -> Self {
        let mut offsets = vec![0u32; n + 1];
        for (row, _) in pairs.clone() {
            offsets[row.index() + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let blank = Step {
            rel: RelationIx::default(),
            other: EntityIx::default(),
            ty: RelationType::PartOf,
        };
        let mut steps = vec![blank; offsets[n] as usize];
        for (row, step) in pairs {
            steps[fill[row.index()] as usize] = step;
            fill[row.index()] += 1;
        }
        Rows { offsets, steps }
    }

    #[inline]
    fn row(&self, e: EntityIx) -> &[Step] {
        let (a, b) = (
            self.offsets[e.index()] as usize,
            self.offsets[e.index() + 1] as usize,
        );
        &self.steps[a..b]
    }
}

/// The neighbours a default traversal reaches from each entity, as plain
/// positions: the `both` rows without NOT_RATIFIED, self-loops and repeats,
/// each neighbour where its first relation in the row puts it.
///
/// A breadth-first search over these reads 4 bytes a step and filters
/// nothing, where the rows cost 12 bytes and a filter test a step; it visits
/// the same entities in the same order, since a dropped step only ever leads
/// to an entity the search has already seen.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Neighbours {
    offsets: Vec<u32>,
    targets: Vec<EntityIx>,
}

impl Neighbours {
    fn new(both: &Rows) -> Self {
        let n = both.offsets.len().saturating_sub(1);
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0u32);
        let mut targets = Vec::with_capacity(both.steps.len());
        // The last row that took each entity: repeats go without sorting a row.
        let mut last = vec![EntityIx::MAX; n];
        for e in EntityIx::all(n) {
            for step in both.row(e) {
                let other = step.other;
                if step.ty.is_negative() || other == e || last[other.index()] == e {
                    continue;
                }
                last[other.index()] = e;
                targets.push(other);
            }
            offsets.push(targets.len() as u32);
        }
        targets.shrink_to_fit();
        Neighbours { offsets, targets }
    }

    /// Number of entities.
    pub(crate) fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// The neighbours of `e`, in the order of their first relation with it.
    #[inline]
    pub(crate) fn of(&self, e: EntityIx) -> &[EntityIx] {
        &self.targets[self.offsets[e.index()] as usize..self.offsets[e.index() + 1] as usize]
    }
}

/// The CSR adjacency of one graph: outgoing, incoming, and both merged (a
/// self-loop once), each row in relation order; and the plain neighbours of
/// default traversals.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Adjacency {
    out: Rows,
    inc: Rows,
    both: Rows,
    /// What a traversal with [`EdgeFilter::is_default_traversal`] walks.
    neighbours: Neighbours,
}

impl Adjacency {
    /// Builds the rows from each relation's `(source, target)` positions, by relation position.
    pub(crate) fn new(n: usize, ends: &[(EntityIx, EntityIx)], types: &[RelationType]) -> Self {
        let step = |j: usize, other: EntityIx| Step {
            rel: RelationIx::new(j),
            other,
            ty: types[j],
        };
        let out = Rows::new(
            n,
            ends.iter().enumerate().map(|(j, &(s, t))| (s, step(j, t))),
        );
        let inc = Rows::new(
            n,
            ends.iter().enumerate().map(|(j, &(s, t))| (t, step(j, s))),
        );
        let both = Rows::new(
            n,
            ends.iter().enumerate().flat_map(|(j, &(s, t))| {
                std::iter::once((s, step(j, t))).chain((s != t).then(|| (t, step(j, s))))
            }),
        );
        let neighbours = Neighbours::new(&both);
        Adjacency {
            out,
            inc,
            both,
            neighbours,
        }
    }

    /// The plain neighbour lists of the default traversal.
    pub(crate) fn neighbours(&self) -> &Neighbours {
        &self.neighbours
    }

    /// Number of entities.
    pub(crate) fn entity_count(&self) -> usize {
        self.neighbours.len()
    }

    /// Whether `filter` admits `step`'s relation; reads the full record only for
    /// a year or profile filter.
    #[inline]
    pub(crate) fn admits(
        &self,
        filter: &EdgeFilter,
        step: &Step,
        relations: &RelationTable,
    ) -> bool {
        if filter.as_of.is_some() || filter.profile.is_some() {
            return relations.admitted(filter, step.rel);
        }
        match &filter.types {
            Some(types) => types.contains(&step.ty),
            None => filter.include_negative || !step.ty.is_negative(),
        }
    }

    /// Outgoing steps of `e`, in relation order.
    pub(crate) fn outgoing(&self, e: EntityIx) -> &[Step] {
        self.out.row(e)
    }

    /// Steps of `e` in `direction`, in relation order (a self-loop once for `Both`).
    #[inline]
    pub(crate) fn steps(&self, e: EntityIx, direction: Direction) -> &[Step] {
        match direction {
            Direction::Outgoing => self.out.row(e),
            Direction::Incoming => self.inc.row(e),
            Direction::Both => self.both.row(e),
        }
    }

    /// Calls `visit` for every step of `e` in `direction` that `filter` admits,
    /// in relation (= id) order, as `Graph::relations_at` lists them.
    #[inline]
    pub(crate) fn walk(
        &self,
        e: EntityIx,
        direction: Direction,
        filter: &EdgeFilter,
        relations: &RelationTable,
        mut visit: impl FnMut(Step),
    ) {
        for step in self.steps(e, direction) {
            if self.admits(filter, step, relations) {
                visit(*step);
            }
        }
    }
}

/// A hasher for entity positions in the path searches' maps: one multiply,
/// instead of SipHash, which is built to resist attacks that small integer keys
/// chosen by the index itself cannot mount.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct PositionHasher(u64);

impl std::hash::Hasher for PositionHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = (self.0 ^ u64::from(n)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// Builds [`PositionHasher`]s.
pub(crate) type PositionHash = std::hash::BuildHasherDefault<PositionHasher>;
