//! Relay-style connections with opaque keyset cursors.

use crate::cursor::{self, CursorKind};
use crate::error::bounded;
use crate::views::{Entity, Relation};
use crate::MAX_FIRST;
use async_graphql::SimpleObject;
use govgraph_graph::{EntityList, Graph, RelationIx};

/// Whether more items follow, and the cursor to ask for them.
#[derive(SimpleObject)]
pub(crate) struct PageInfo {
    has_next_page: bool,
    end_cursor: Option<String>,
}

impl PageInfo {
    pub(crate) fn new(has_next_page: bool, end_cursor: Option<String>) -> Self {
        PageInfo {
            has_next_page,
            end_cursor,
        }
    }
}

impl RelationEdge {
    pub(crate) fn new(g: &Graph, r: RelationIx) -> Self {
        RelationEdge {
            cursor: cursor::encode(CursorKind::Relation, &g.relation(r).id),
            node: Relation(r),
        }
    }

    pub(crate) fn cursor_string(&self) -> String {
        self.cursor.clone()
    }
}

impl RelationConnection {
    pub(crate) fn new(total: usize, page_info: PageInfo, edges: Vec<RelationEdge>) -> Self {
        RelationConnection {
            total_count: total as i32,
            page_info,
            edges,
        }
    }
}

/// One relation of a page, with its cursor.
#[derive(SimpleObject)]
pub(crate) struct RelationEdge {
    cursor: String,
    node: Relation,
}

/// A page of relations.
#[derive(SimpleObject)]
pub(crate) struct RelationConnection {
    total_count: i32,
    page_info: PageInfo,
    edges: Vec<RelationEdge>,
}

/// One entity of a page, with its cursor.
#[derive(SimpleObject)]
pub(crate) struct EntityEdge {
    cursor: String,
    node: Entity,
}

/// A page of entities.
#[derive(SimpleObject)]
pub(crate) struct EntityConnection {
    total_count: i32,
    page_info: PageInfo,
    edges: Vec<EntityEdge>,
}

/// The page of `items` (relation positions in id order) after the cursor `after`.
pub(crate) fn page_relations(
    g: &Graph,
    items: &[RelationIx],
    first: i32,
    after: Option<String>,
) -> async_graphql::Result<RelationConnection> {
    let first = bounded("first", first, MAX_FIRST)?;
    let start = match after {
        Some(c) => {
            let id = cursor::decode(CursorKind::Relation, &c)?;
            items.partition_point(|&r| g.relation(r).id.as_str() <= id.as_str())
        }
        None => 0,
    };
    let page = &items[start..(start + first).min(items.len())];
    let edges: Vec<RelationEdge> = page
        .iter()
        .map(|&r| RelationEdge {
            cursor: cursor::encode(CursorKind::Relation, &g.relation(r).id),
            node: Relation(r),
        })
        .collect();
    let page_info = PageInfo {
        has_next_page: start + page.len() < items.len(),
        end_cursor: edges.last().map(|e| e.cursor.clone()),
    };
    Ok(RelationConnection {
        total_count: items.len() as i32,
        page_info,
        edges,
    })
}

/// The page of `items` (entity positions in id order) after the cursor `after`.
/// Only the page is materialised; the total comes from the list's length.
pub(crate) fn page_entities(
    g: &Graph,
    items: EntityList<'_>,
    first: i32,
    after: Option<String>,
) -> async_graphql::Result<EntityConnection> {
    let first = bounded("first", first, MAX_FIRST)?;
    let start = match after {
        Some(c) => {
            let id = cursor::decode(CursorKind::Entity, &c)?;
            items.partition_point(|e| g.entity(e).id.as_str() <= id.as_str())
        }
        None => 0,
    };
    let end = (start + first).min(items.len());
    let edges: Vec<EntityEdge> = (start..end)
        .filter_map(|i| items.get(i))
        .map(|e| EntityEdge {
            cursor: cursor::encode(CursorKind::Entity, &g.entity(e).id),
            node: Entity(e),
        })
        .collect();
    let page_info = PageInfo {
        has_next_page: end < items.len(),
        end_cursor: edges.last().map(|e| e.cursor.clone()),
    };
    Ok(EntityConnection {
        total_count: items.len() as i32,
        page_info,
        edges,
    })
}
