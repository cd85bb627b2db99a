//! The default values of arguments, each stated once. The schema shows them
//! (`default_with`), resolvers fall back to them on an explicit `null`, and the
//! complexity count assumes them when nothing is given.

/// Items per page of a connection (`entities`, `relations`, `Entity.relations`).
pub(crate) const PAGE: i32 = 50;
/// Hits of a `search`.
pub(crate) const SEARCH_HITS: i32 = 10;
/// Rows of `implementations`.
pub(crate) const IMPLEMENTATIONS: i32 = 100;
/// Entities of a `centrality` ranking.
pub(crate) const RANKED: i32 = 20;
/// Sentences of `Entity.mentions`.
pub(crate) const MENTIONS: i32 = 20;
/// Longest path searched by `path` and `paths`, in relations.
pub(crate) const PATH_DEPTH: i32 = 6;
/// Paths returned by `paths`.
pub(crate) const PATHS: i32 = 10;
/// Hops of a `neighborhood` or an export around a centre.
pub(crate) const DEPTH: i32 = 1;
