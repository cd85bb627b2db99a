//! What GraphQL objects stand for: positions in the graph a request runs
//! against. Their fields are resolved in `views` and `profiles`; the types live
//! here, apart, so that pages (`connection`) and views can both name them
//! without depending on each other.

use async_graphql::Context;
use govgraph_graph::{EntityIx, Graph, RelationIx};
use std::sync::Arc;

/// The graph a request runs against.
pub(crate) fn graph<'c>(ctx: &Context<'c>) -> &'c Arc<Graph> {
    // The schema is always built with the graph as data (see `crate::schema`).
    ctx.data_unchecked::<Arc<Graph>>()
}

/// An entity of the graph.
pub(crate) struct Entity(pub EntityIx);

/// A relation of the graph.
pub(crate) struct Relation(pub RelationIx);

/// One MGI profile the data comes from, by its position in the graph's list.
pub(crate) struct Profile(pub usize);
