//! Relay-style connections with opaque keyset cursors: one generic page type
//! for entities and relations.

use crate::cursor::{self, CursorKind};
use crate::error::bounded;
use crate::nodes::{Entity, Relation};
use crate::MAX_FIRST;
use async_graphql::{OutputType, SimpleObject};
use govgraph_graph::{EntityList, Graph, RelationIx};

/// A node that can be listed page by page: its cursor names its id.
pub(crate) trait Paged: OutputType {
    /// Which list the cursor belongs to.
    const KIND: CursorKind;
    /// The node's id, which its cursor encodes.
    fn id<'g>(&self, g: &'g Graph) -> &'g str;
}

impl Paged for Entity {
    const KIND: CursorKind = CursorKind::Entity;
    fn id<'g>(&self, g: &'g Graph) -> &'g str {
        &g.entity(self.0).id
    }
}

impl Paged for Relation {
    const KIND: CursorKind = CursorKind::Relation;
    fn id<'g>(&self, g: &'g Graph) -> &'g str {
        g.relation_id(self.0)
    }
}

/// Whether more items follow, and the cursor to ask for them.
#[derive(SimpleObject)]
pub(crate) struct PageInfo {
    has_next_page: bool,
    end_cursor: Option<String>,
}

/// One item of a page, with its cursor.
#[derive(SimpleObject)]
#[graphql(concrete(name = "EntityEdge", params(Entity)))]
#[graphql(concrete(name = "RelationEdge", params(Relation)))]
pub(crate) struct Edge<N: OutputType> {
    cursor: String,
    node: N,
}

/// A page of a list in id order.
#[derive(SimpleObject)]
#[graphql(concrete(name = "EntityConnection", params(Entity)))]
#[graphql(concrete(name = "RelationConnection", params(Relation)))]
pub(crate) struct Connection<N: OutputType>
where
    Edge<N>: OutputType,
{
    total_count: i32,
    page_info: PageInfo,
    edges: Vec<Edge<N>>,
}

/// A page of entities.
pub(crate) type EntityConnection = Connection<Entity>;
/// A page of relations.
pub(crate) type RelationConnection = Connection<Relation>;

impl<N: Paged> Connection<N>
where
    Edge<N>: OutputType,
{
    /// The page holding `nodes`, out of `total` items, with more after it
    /// when `more`.
    pub(crate) fn new(
        g: &Graph,
        nodes: impl IntoIterator<Item = N>,
        more: bool,
        total: usize,
    ) -> Self {
        let edges: Vec<Edge<N>> = nodes
            .into_iter()
            .map(|node| Edge {
                cursor: cursor::encode(N::KIND, node.id(g)),
                node,
            })
            .collect();
        Connection {
            total_count: i32::try_from(total).unwrap_or(i32::MAX),
            page_info: PageInfo {
                has_next_page: more,
                end_cursor: edges.last().map(|e| e.cursor.clone()),
            },
            edges,
        }
    }
}

/// Where the page after `after` starts and ends in a list of `len` items
/// sorted by id: `position(id)` is the first index whose id is greater.
/// Also checks `first` against the cap.
pub(crate) fn page_bounds<N: Paged>(
    len: usize,
    first: i32,
    after: Option<&str>,
    position: impl FnOnce(&str) -> usize,
) -> async_graphql::Result<(usize, usize)> {
    let first = bounded("first", first, MAX_FIRST)?;
    let start = match after {
        Some(c) => position(&cursor::decode(N::KIND, c)?),
        None => 0,
    };
    Ok((start, start.saturating_add(first).min(len)))
}

/// The page of `items` (relation positions in id order) after the cursor `after`.
pub(crate) fn page_relations(
    g: &Graph,
    items: &[RelationIx],
    first: i32,
    after: Option<&str>,
) -> async_graphql::Result<RelationConnection> {
    let (start, end) = page_bounds::<Relation>(items.len(), first, after, |id| {
        items.partition_point(|&r| g.relation_id(r) <= id)
    })?;
    let page = items[start..end].iter().map(|&r| Relation(r));
    Ok(Connection::new(g, page, end < items.len(), items.len()))
}

/// The page of `items` (entity positions in id order) after the cursor `after`.
/// Only the page is materialised; the total comes from the list's length.
pub(crate) fn page_entities(
    g: &Graph,
    items: EntityList<'_>,
    first: i32,
    after: Option<&str>,
) -> async_graphql::Result<EntityConnection> {
    let (start, end) = page_bounds::<Entity>(items.len(), first, after, |id| {
        items.partition_point(|e| g.entity(e).id.as_str() <= id)
    })?;
    let page = (start..end).filter_map(|i| items.get(i)).map(Entity);
    Ok(Connection::new(g, page, end < items.len(), items.len()))
}
