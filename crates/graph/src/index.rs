//! The graph itself: records, lookup tables and neighbourhood traversals.

use crate::centrality::Measure;
use crate::filter::{Direction, EdgeFilter};
use crate::relations::{RelationRef, RelationTable};
use govgraph_model::{Dataset, Entity, EntityKind, Relation, RelationType};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

pub use crate::ids::{EntityIx, RelationIx};

/// Entries a breadth-first order reserves up front (8 bytes each).
const ORDER_ROOM: usize = 1024;

/// Entities and the relations among them, as positions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subgraph {
    /// Entities, the centre first, then in discovery order.
    pub entities: Vec<EntityIx>,
    /// Relations among them, in id order.
    pub relations: Vec<RelationIx>,
    /// Whether the node cap stopped the walk early.
    pub truncated: bool,
}

/// The in-memory index of one dataset. It is persisted as it is (see
/// [`crate::persist`]), all but the centrality rankings, which are computed
/// after loading.
#[derive(Serialize, Deserialize)]
pub struct Graph {
    entities: Vec<Entity>,
    relations: RelationTable,
    /// Source and target positions of relation `j`.
    ends: Vec<(EntityIx, EntityIx)>,
    by_kind: HashMap<EntityKind, Vec<EntityIx>>,
    by_type: HashMap<RelationType, Vec<RelationIx>>,
    search: crate::search::SearchIndex,
    /// Centrality rankings, computed on first use (see `crate::centrality`).
    #[serde(skip)]
    centrality: crate::centrality::CentralityCache,
    /// CSR rows of every entity's relations, walked by the traversals.
    pub(crate) adjacency: crate::adjacency::Adjacency,
    /// The profiles the data comes from, by id.
    profiles: Vec<govgraph_model::ProfileInfo>,
    /// Per profile (in `profiles` order): the relations with its evidence and
    /// the entities they touch, each in id order.
    by_profile: Vec<(Vec<EntityIx>, Vec<RelationIx>)>,
}

impl Graph {
    /// Recomputes what is not persisted, after loading (see [`crate::persist`]).
    pub(crate) fn restore(&mut self) {
        self.search.restore();
    }

    /// Builds the index. Relations whose ends are unknown are skipped and their
    /// ids returned, so a damaged store degrades instead of failing.
    pub fn build(mut dataset: Dataset) -> (Graph, Vec<String>) {
        dataset.canonicalize();
        let Dataset {
            entities,
            relations,
            profiles,
        } = dataset;
        let mut entity_by_id: HashMap<&str, EntityIx> = HashMap::with_capacity(entities.len());
        let mut by_kind: HashMap<EntityKind, Vec<EntityIx>> = HashMap::new();
        for (i, entity) in entities.iter().enumerate() {
            let ix = EntityIx::new(i);
            entity_by_id.insert(entity.id.as_str(), ix);
            by_kind.entry(entity.kind).or_default().push(ix);
        }
        let mut kept = Vec::with_capacity(relations.len());
        let mut ends = Vec::with_capacity(relations.len());
        let mut skipped = Vec::new();
        for relation in relations {
            match (
                entity_by_id.get(relation.source.as_str()),
                entity_by_id.get(relation.target.as_str()),
            ) {
                (Some(&s), Some(&t)) => {
                    ends.push((s, t));
                    kept.push(relation);
                }
                _ => skipped.push(relation.id),
            }
        }
        let mut by_type: HashMap<RelationType, Vec<RelationIx>> = HashMap::new();
        for (j, relation) in kept.iter().enumerate() {
            by_type
                .entry(relation.ty)
                .or_default()
                .push(RelationIx::new(j));
        }
        let search = crate::search::SearchIndex::build(&entities);
        let by_profile = profile_members(&profiles, &kept, &ends);
        let relations = RelationTable::new(kept);
        let adjacency = crate::adjacency::Adjacency::new(entities.len(), &ends, relations.types());
        let graph = Graph {
            entities,
            relations,
            ends,
            by_kind,
            by_type,
            search,
            centrality: Default::default(),
            adjacency,
            profiles,
            by_profile,
        };
        (graph, skipped)
    }

    /// The profiles the data comes from, sorted by id.
    pub fn profiles(&self) -> &[govgraph_model::ProfileInfo] {
        &self.profiles
    }

    /// The profile with `id`.
    pub fn profile(&self, id: &str) -> Option<&govgraph_model::ProfileInfo> {
        self.profiles.iter().find(|p| p.id == id)
    }

    /// The entities that relations of profile `id` touch, in id order.
    pub fn profile_entities(&self, id: &str) -> Option<&[EntityIx]> {
        let at = self.profiles.iter().position(|p| p.id == id)?;
        Some(&self.by_profile[at].0)
    }

    /// The relations with evidence from profile `id`, in id order.
    pub fn profile_relations(&self, id: &str) -> Option<&[RelationIx]> {
        let at = self.profiles.iter().position(|p| p.id == id)?;
        Some(&self.by_profile[at].1)
    }

    /// The entity at `ix`.
    pub fn entity(&self, ix: EntityIx) -> &Entity {
        &self.entities[ix.index()]
    }

    /// The relation at `ix`.
    pub fn relation(&self, ix: RelationIx) -> RelationRef<'_> {
        self.relations
            .view(ix, &self.entities, self.ends[ix.index()])
    }

    /// The id of the relation at `ix`, without reading the rest of it.
    pub fn relation_id(&self, ix: RelationIx) -> &str {
        self.relations.id(ix)
    }

    /// The type of the relation at `ix`, without reading the rest of it.
    pub fn relation_type(&self, ix: RelationIx) -> RelationType {
        self.relations.ty(ix)
    }

    /// Every relation, by position.
    pub(crate) fn relation_table(&self) -> &RelationTable {
        &self.relations
    }

    /// The position of the entity with this id.
    pub fn entity_ix(&self, id: &str) -> Option<EntityIx> {
        // Entities are sorted by id: a binary search needs no map of a second
        // copy of every id (200,000 strings to allocate at every start on G2).
        self.entities
            .binary_search_by(|e| e.id.as_str().cmp(id))
            .ok()
            .map(EntityIx::new)
    }

    /// The position of the relation with this id.
    pub fn relation_ix(&self, id: &str) -> Option<RelationIx> {
        self.relations.find(id)
    }

    /// Entities whose name or alias matches `query` (case, diacritics and small
    /// typos forgiven), best first, at most `limit`; only of `kinds` when given.
    pub fn search(
        &self,
        query: &str,
        kinds: Option<&[EntityKind]>,
        limit: usize,
    ) -> Vec<crate::search::SearchHit> {
        self.search.search(query, limit, |e| {
            kinds.is_none_or(|k| k.contains(&self.entities[e.index()].kind))
        })
    }

    /// The links centrality measures are computed from.
    fn links(&self) -> crate::centrality::Links<'_> {
        crate::centrality::Links {
            adjacency: &self.adjacency,
            types: self.relations.types(),
            ends: &self.ends,
        }
    }

    /// Computes every centrality measure's scores and ranking now. A server
    /// calls this on a thread of its own at start-up, so no request waits for it.
    pub fn warm_centrality(&self) {
        for measure in Measure::ALL {
            self.centrality.ranking(measure, &self.links()).order();
        }
    }

    /// Whether `measure` is ranked already, so that asking for it is a lookup.
    pub fn centrality_ready(&self, measure: Measure) -> bool {
        self.centrality.ready(measure)
    }

    /// The score of every entity under `measure`, by position.
    pub fn centrality_scores(&self, measure: Measure) -> &[f64] {
        self.centrality.ranking(measure, &self.links()).scores()
    }

    /// Exact betweenness at any size, O(entities × relations). The API
    /// estimates above 5,000 entities because this takes minutes there;
    /// benchmarks that compare exact values with other tools call this instead.
    pub fn betweenness_exact(&self) -> Vec<f64> {
        crate::centrality::betweenness_exact(&self.links())
    }

    /// The `first` best-scoring entities under `measure` that `keep` admits.
    pub fn top_central(
        &self,
        measure: Measure,
        first: usize,
        mut keep: impl FnMut(EntityIx) -> bool,
    ) -> Vec<(EntityIx, f64)> {
        let ranking = self.centrality.ranking(measure, &self.links());
        ranking
            .order()
            .iter()
            .copied()
            .filter(|&e| keep(e))
            .take(first)
            .map(|e| (e, ranking.scores()[e.index()]))
            .collect()
    }

    /// Number of entities.
    pub fn entity_count(&self) -> usize {
        self.entities.len()
    }

    /// Number of relations.
    pub fn relation_count(&self) -> usize {
        self.relations.len()
    }

    /// Entities of `kind` (all when `None`), in id order.
    pub fn entities_of(&self, kind: Option<EntityKind>) -> EntityList<'_> {
        match kind {
            None => EntityList::All(self.entities.len() as u32),
            Some(kind) => EntityList::Subset(self.by_kind.get(&kind).map_or(&[], Vec::as_slice)),
        }
    }

    /// Relations of the given types (all when `None`), in id order.
    pub fn relations_of(&self, types: Option<&[RelationType]>) -> Vec<RelationIx> {
        match types {
            None => RelationIx::all(self.relations.len()).collect(),
            Some(types) => {
                let mut out: Vec<RelationIx> = types
                    .iter()
                    .flat_map(|t| self.by_type.get(t).into_iter().flatten().copied())
                    .collect();
                out.sort_unstable();
                out.dedup();
                out
            }
        }
    }

    /// How many relations have one of the given types (all when `None`), without listing them.
    pub fn count_relations_of(&self, types: Option<&[RelationType]>) -> usize {
        match types {
            None => self.relations.len(),
            Some(types) => {
                let mut distinct = types.to_vec();
                distinct.sort();
                distinct.dedup();
                distinct
                    .iter()
                    .map(|t| self.by_type.get(t).map_or(0, Vec::len))
                    .sum()
            }
        }
    }

    /// Number of entities of each kind.
    pub fn kind_counts(&self) -> Vec<(EntityKind, usize)> {
        EntityKind::ALL
            .iter()
            .map(|k| (*k, self.by_kind.get(k).map_or(0, Vec::len)))
            .collect()
    }

    /// Number of relations of each type.
    pub fn type_counts(&self) -> Vec<(RelationType, usize)> {
        RelationType::ALL
            .iter()
            .map(|t| (*t, self.by_type.get(t).map_or(0, Vec::len)))
            .collect()
    }

    /// Relations at `entity` in `direction` that pass `filter`, in id order.
    pub fn relations_at(
        &self,
        entity: EntityIx,
        direction: Direction,
        filter: &EdgeFilter,
    ) -> Vec<RelationIx> {
        let adjacency = &self.adjacency;
        // Each row is already in relation (= id) order; `Both` rows are merged.
        adjacency
            .steps(entity, direction)
            .iter()
            .filter(|s| adjacency.admits(filter, s, &self.relations))
            .map(|s| s.rel)
            .collect()
    }

    /// The other end of `relation` seen from `from`.
    pub(crate) fn other_end(&self, relation: RelationIx, from: EntityIx) -> EntityIx {
        let (s, t) = self.ends(relation);
        if s == from {
            t
        } else {
            s
        }
    }

    /// Source and target positions of `relation`.
    ///
    /// # Panics
    /// When `relation` is not a position of this graph: positions come only
    /// from the graph itself, so that is a caller's bug.
    pub fn ends(&self, relation: RelationIx) -> (EntityIx, EntityIx) {
        self.ends[relation.index()]
    }

    /// Number of relations at `entity`, in both directions (a self-loop once).
    pub fn degree(&self, entity: EntityIx) -> usize {
        self.adjacency.steps(entity, Direction::Both).len()
    }

    /// Whether `entity` existed in `year` (unknown years count as always).
    pub fn existed(&self, entity: EntityIx, year: Option<i32>) -> bool {
        match (year, self.entity(entity).year) {
            (Some(as_of), Some(founded)) => founded <= as_of,
            _ => true,
        }
    }

    /// Breadth-first order from `start`: every entity within `depth` hops in
    /// either direction over relations passing `filter` (at most `max_nodes`),
    /// with its distance; and whether the cap stopped the walk early.
    pub fn bfs(
        &self,
        start: EntityIx,
        depth: u32,
        filter: &EdgeFilter,
        max_nodes: usize,
    ) -> (Vec<(EntityIx, u32)>, bool) {
        if filter.is_default_traversal() {
            self.bfs_default(start, depth, max_nodes)
        } else {
            self.bfs_filtered(start, depth, filter, max_nodes)
        }
    }

    /// [`Graph::bfs`] under the default traversal filter, over the plain
    /// neighbour lists: the same entities in the same order.
    fn bfs_default(
        &self,
        start: EntityIx,
        depth: u32,
        max_nodes: usize,
    ) -> (Vec<(EntityIx, u32)>, bool) {
        let neighbours = self.adjacency.neighbours();
        let mut seen = vec![false; self.entities.len()];
        seen[start.index()] = true;
        // Room for a small graph's whole component at once, so its walk does
        // not reallocate; a big one's grows as it goes.
        let room = max_nodes.min(self.entities.len()).min(ORDER_ROOM);
        let mut order = Vec::with_capacity(room);
        order.push((start, 0u32));
        let mut head = 0;
        while head < order.len() {
            let (node, d) = order[head];
            head += 1;
            if d == depth {
                continue;
            }
            if crate::interrupt::interrupted() {
                return (order, true);
            }
            for &next in neighbours.of(node) {
                if seen[next.index()] {
                    continue;
                }
                if order.len() >= max_nodes {
                    return (order, true);
                }
                seen[next.index()] = true;
                order.push((next, d + 1));
            }
        }
        (order, false)
    }

    /// [`Graph::bfs`] under any filter, over the rows of relations.
    fn bfs_filtered(
        &self,
        start: EntityIx,
        depth: u32,
        filter: &EdgeFilter,
        max_nodes: usize,
    ) -> (Vec<(EntityIx, u32)>, bool) {
        let mut seen = vec![false; self.entities.len()];
        seen[start.index()] = true;
        let mut order = vec![(start, 0u32)];
        let mut head = 0;
        let mut truncated = false;
        while head < order.len() {
            let (node, d) = order[head];
            head += 1;
            if d == depth {
                continue;
            }
            if crate::interrupt::interrupted() {
                truncated = true;
                break;
            }
            let mut full = false;
            self.adjacency
                .walk(node, Direction::Both, filter, &self.relations, |step| {
                    let next = step.other;
                    if full
                        || seen[next.index()]
                        || (filter.as_of.is_some() && !self.existed(next, filter.as_of))
                    {
                        return;
                    }
                    if order.len() >= max_nodes {
                        full = true;
                        return;
                    }
                    seen[next.index()] = true;
                    order.push((next, d + 1));
                });
            if full {
                truncated = true;
                break;
            }
        }
        (order, truncated)
    }

    /// The centre, every entity within `depth` hops in either direction (at most
    /// `max_nodes`), and the relations passing `filter` among them.
    pub fn neighborhood(
        &self,
        centre: EntityIx,
        depth: u32,
        filter: &EdgeFilter,
        max_nodes: usize,
    ) -> Subgraph {
        let (order, truncated) = self.bfs(centre, depth, filter, max_nodes);
        let mut inside = vec![false; self.entities.len()];
        for &(e, _) in &order {
            inside[e.index()] = true;
        }
        let mut relations: Vec<RelationIx> = Vec::new();
        for &(e, _) in &order {
            for step in self.adjacency.outgoing(e) {
                if inside[step.other.index()]
                    && self.adjacency.admits(filter, step, &self.relations)
                {
                    relations.push(step.rel);
                }
            }
        }
        relations.sort_unstable();
        relations.dedup();
        Subgraph {
            entities: order.into_iter().map(|(e, _)| e).collect(),
            relations,
            truncated,
        }
    }
}

/// A list of entity positions in id order, without copying the full list.
pub enum EntityList<'g> {
    /// Every entity: positions `0..n`.
    All(u32),
    /// A subset.
    Subset(&'g [EntityIx]),
}

impl EntityList<'_> {
    /// Number of entities in the list.
    pub fn len(&self) -> usize {
        match self {
            EntityList::All(n) => *n as usize,
            EntityList::Subset(list) => list.len(),
        }
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The item at `i`.
    pub fn get(&self, i: usize) -> Option<EntityIx> {
        match self {
            EntityList::All(n) => (i < *n as usize).then(|| EntityIx::new(i)),
            EntityList::Subset(list) => list.get(i).copied(),
        }
    }

    /// The index of the first item for which `pred` is false, where `pred`
    /// holds on a prefix of the list (as `slice::partition_point`): a binary search.
    pub fn partition_point(&self, mut pred: impl FnMut(EntityIx) -> bool) -> usize {
        match self {
            EntityList::All(n) => {
                let (mut lo, mut hi) = (0usize, *n as usize);
                while lo < hi {
                    let mid = (lo + hi) / 2;
                    if pred(EntityIx::new(mid)) {
                        lo = mid + 1
                    } else {
                        hi = mid
                    }
                }
                lo
            }
            EntityList::Subset(list) => list.partition_point(|&ix| pred(ix)),
        }
    }
}

impl Graph {
    /// A page of the relations of the given types (all when `None`) in id order:
    /// up to `first` relations whose id is greater than `after`, and whether more
    /// follow. Merges the per-type lists instead of materialising their union.
    pub fn relations_page(
        &self,
        types: Option<&[RelationType]>,
        after: Option<&str>,
        first: usize,
    ) -> (Vec<RelationIx>, bool) {
        let start_in = |list: &[RelationIx]| {
            after.map_or(0, |a| list.partition_point(|&r| self.relations.id(r) <= a))
        };
        match types {
            None => {
                let start = after.map_or(0, |a| self.relations.partition_point(|id| id <= a));
                let end = (start + first).min(self.relations.len());
                (
                    (start..end).map(RelationIx::new).collect(),
                    end < self.relations.len(),
                )
            }
            Some(types) => {
                let mut distinct = types.to_vec();
                distinct.sort();
                distinct.dedup();
                let mut lists: Vec<&[RelationIx]> = distinct
                    .iter()
                    .filter_map(|t| self.by_type.get(t))
                    .map(|l| &l[start_in(l)..])
                    .filter(|l| !l.is_empty())
                    .collect();
                let mut page = Vec::with_capacity(first.min(1024));
                while page.len() < first {
                    let Some((which, _)) = lists
                        .iter()
                        .enumerate()
                        .filter_map(|(i, l)| l.first().map(|r| (i, *r)))
                        .min_by_key(|(_, r)| *r)
                    else {
                        break;
                    };
                    page.push(lists[which][0]);
                    lists[which] = &lists[which][1..];
                }
                let more = lists.iter().any(|l| !l.is_empty());
                (page, more)
            }
        }
    }
}

/// Per profile: the entities its relations touch and those relations, in id order.
fn profile_members(
    profiles: &[govgraph_model::ProfileInfo],
    relations: &[Relation],
    ends: &[(EntityIx, EntityIx)],
) -> Vec<(Vec<EntityIx>, Vec<RelationIx>)> {
    let mut members = vec![(Vec::new(), Vec::new()); profiles.len()];
    if profiles.is_empty() {
        return members;
    }
    let position: HashMap<&str, usize> = profiles
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    for (ix, relation) in relations.iter().enumerate() {
        let mut seen = Vec::new();
        for evidence in &relation.evidence {
            let Some(&at) = evidence.profile.as_deref().and_then(|p| position.get(p)) else {
                continue;
            };
            if seen.contains(&at) {
                continue;
            }
            seen.push(at);
            let (entities, rels): &mut (Vec<EntityIx>, Vec<RelationIx>) = &mut members[at];
            rels.push(RelationIx::new(ix));
            entities.push(ends[ix].0);
            entities.push(ends[ix].1);
        }
    }
    for (entities, _) in &mut members {
        entities.sort_unstable();
        entities.dedup();
    }
    members
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::random_graph;

    /// The fast path of `bfs` against the rows it stands in for, from several
    /// starts, at several depths and caps.
    fn assert_default_bfs_walks_like_the_rows(g: &Graph) {
        let filter = EdgeFilter::traversal(None);
        assert!(filter.is_default_traversal());
        let n = g.entity_count();
        let hub = EntityIx::all(n)
            .max_by_key(|&e| g.adjacency.steps(e, Direction::Both).len())
            .expect("entities");
        let mut checked = 0;
        let starts = [0, 1, n / 3, n / 2, n - 1].map(EntityIx::new);
        for start in std::iter::once(hub).chain(starts) {
            for depth in [0, 1, 2, 3, u32::MAX] {
                for cap in [1, 2, 10, 500, usize::MAX] {
                    let fast = g.bfs(start, depth, &filter, cap);
                    assert_eq!(
                        fast,
                        g.bfs_filtered(start, depth, &filter, cap),
                        "start {start:?}, depth {depth}, cap {cap}"
                    );
                    checked += fast.0.len();
                }
            }
        }
        assert!(checked > 1000, "the walks reach far enough to compare");
        // The same meaning spelled out as a type list takes the general path.
        let spelled = EdgeFilter::traversal(Some(
            RelationType::ALL
                .iter()
                .copied()
                .filter(|t| !t.is_negative())
                .collect(),
        ));
        assert!(!spelled.is_default_traversal());
        assert_eq!(
            g.bfs(hub, u32::MAX, &filter, usize::MAX),
            g.bfs(hub, u32::MAX, &spelled, usize::MAX)
        );
    }

    #[test]
    fn default_bfs_matches_the_filtered_rows_on_a_random_graph() {
        let g = random_graph(2_000, 5_000, 7);
        // The cases the plain lists drop must be there to drop.
        let negative = RelationIx::all(g.relation_count())
            .filter(|&r| g.relation_type(r).is_negative())
            .count();
        let loops = RelationIx::all(g.relation_count())
            .filter(|&r| g.ends(r).0 == g.ends(r).1)
            .count();
        assert!(
            negative > 100 && loops > 100,
            "{negative} negative, {loops} loops"
        );
        assert_default_bfs_walks_like_the_rows(&g);
    }

    #[test]
    fn default_bfs_matches_the_filtered_rows_on_a_synthetic_graph() {
        let dataset = govgraph_synth::generate(govgraph_synth::Config {
            entities: 3_000,
            relations: 15_000,
            seed: 3,
        })
        .to_dataset();
        assert_default_bfs_walks_like_the_rows(&Graph::build(dataset).0);
    }
}
