//! The GraphQL API: view types over the model, the query root, limits and error codes.
//!
//! This is the only crate that knows GraphQL. Doc comments on the types and
//! fields become the schema's descriptions.

mod analytics;
mod cache;
mod connection;
mod cost;
mod cursor;
mod defaults;
mod enums;
mod error;
mod mentions;
mod nodes;
mod plan;
mod positions;
mod profiles;
mod query;
mod shape;
mod views;

use async_graphql::{EmptyMutation, EmptySubscription, Schema};
use govgraph_graph::Graph;
use std::sync::Arc;

pub use analytics::{MAX_EXPORT_ITEMS, MAX_PATHS};
pub use error::ErrorCode;
pub use mentions::{EntityMention, Mentions};
pub use plan::Plans;

/// Entry points of the governance-graph API: one object per area, merged.
// A new area adds its own `#[Object]` in its own module and joins the list.
#[derive(async_graphql::MergedObject, Default)]
#[graphql(name = "Query")]
pub struct QueryRoot(
    query::CoreQuery,
    analytics::AnalyticsQuery,
    profiles::ProfilesQuery,
);

/// The served schema.
pub type GovSchema = Schema<QueryRoot, EmptyMutation, EmptySubscription>;

/// Limits a public endpoint needs; the defaults suit the contract's queries.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Deepest selection nesting accepted (introspection is measured apart).
    pub depth: usize,
    /// Deepest nesting inside `__schema` / `__type`: enough for the standard
    /// introspection query of graphql-js and graphql-core, and no more.
    pub introspection_depth: usize,
    /// Most fields a document may select once its fragments are expanded.
    pub fields: usize,
    /// Highest complexity accepted (list fields count their `first` times their children).
    pub complexity: usize,
    /// Most directives accepted in one operation.
    pub directives: usize,
    /// Whether `__schema` and `__type` are answered; a deployment may switch
    /// them off.
    pub introspection: bool,
    /// Whether `centrality` answers only from rankings computed beforehand
    /// ([`Graph::warm_centrality`], which a server runs at start-up), with a
    /// `WARMING_UP` error until they are ready; otherwise the first request
    /// for a measure computes it, which on a large graph takes seconds.
    pub centrality_warmed_up: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            depth: 12,
            introspection_depth: 15,
            fields: 10_000,
            introspection: true,
            complexity: 20_000,
            directives: 10,
            centrality_warmed_up: false,
        }
    }
}

/// Longest `search` query, in characters.
pub const MAX_SEARCH_CHARS: usize = 512;
/// Most distinct words in one `search` query.
pub const MAX_SEARCH_WORDS: usize = 64;

/// Largest `first` a list or connection accepts.
pub const MAX_FIRST: i32 = 500;
/// Largest `maxDepth` of a path search.
pub const MAX_PATH_DEPTH: i32 = 8;
/// Largest `depth` of a neighbourhood.
pub const MAX_NEIGHBORHOOD_DEPTH: i32 = 4;
/// Most entities a neighbourhood returns before it is cut off.
pub const MAX_NEIGHBORHOOD_NODES: usize = 2_000;

/// Builds the schema over `graph` with `limits`, without profile mentions.
pub fn schema(graph: Arc<Graph>, limits: Limits) -> GovSchema {
    schema_with_mentions(graph, limits, None)
}

/// Builds the schema over `graph` with `limits` and, when given, the profile
/// mentions of its entities (computed once, see [`Mentions::build`]).
pub fn schema_with_mentions(
    graph: Arc<Graph>,
    limits: Limits,
    mentions: Option<Arc<Mentions>>,
) -> GovSchema {
    let builder = Schema::build(QueryRoot::default(), EmptyMutation, EmptySubscription);
    let builder = if limits.introspection {
        builder
    } else {
        builder.disable_introspection()
    };
    builder
        .data(graph)
        .data(mentions.unwrap_or_default())
        .data(analytics::CentralityPolicy {
            warmed_up: limits.centrality_warmed_up,
        })
        // Depth and directives are enforced by `shape` instead of async-graphql's
        // `limit_depth`/`limit_directives`, which expand every fragment spread.
        .limit_complexity(limits.complexity)
        .extension(cache::DocumentCache::new(shape::ShapeLimits {
            depth: limits.depth,
            introspection_depth: limits.introspection_depth,
            fields: limits.fields,
            directives: limits.directives,
            introspection: limits.introspection,
        }))
        .finish()
}

/// Compiled plans over `graph` (see [`Plans`]), for requests that
/// [`schema_with_mentions`] with the same arguments would answer: the plans
/// decline whatever could exceed `limits.complexity`.
pub fn plans(graph: Arc<Graph>, limits: Limits, mentions: Option<Arc<Mentions>>) -> Plans {
    Plans::new(graph, mentions.unwrap_or_default(), limits.complexity)
}

/// The schema's SDL, as committed in `crates/api/schema.graphql`.
pub fn sdl() -> String {
    Schema::build(QueryRoot::default(), EmptyMutation, EmptySubscription)
        .finish()
        .sdl()
}
