//! Machine-readable error codes, set as `extensions.code` on GraphQL errors.

use async_graphql::{Error, ErrorExtensions};

/// What kind of failure a GraphQL error reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// An id names no entity.
    NotFound,
    /// An argument is out of range (`first` above the cap, a negative depth).
    BadUserInput,
    /// A pagination cursor was not issued by this server.
    BadCursor,
    /// The server is still computing what the field answers from (centrality
    /// rankings, at start-up); the request may be sent again shortly.
    WarmingUp,
}

impl ErrorCode {
    /// The code as clients see it.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::BadUserInput => "BAD_USER_INPUT",
            ErrorCode::BadCursor => "BAD_CURSOR",
            ErrorCode::WarmingUp => "WARMING_UP",
        }
    }

    /// An error with this code and `message`.
    pub fn error(self, message: impl Into<String>) -> Error {
        Error::new(message).extend_with(|_, ext| ext.set("code", self.as_str()))
    }
}

/// The entity the argument `argument` names by `id`; NOT_FOUND, naming both,
/// when no entity has that id.
pub(crate) fn require_entity(
    g: &govgraph_graph::Graph,
    argument: &str,
    id: &str,
) -> async_graphql::Result<govgraph_graph::EntityIx> {
    g.entity_ix(id).ok_or_else(|| {
        ErrorCode::NotFound.error(format!(
            "no entity has the id `{id}` (argument `{argument}`)"
        ))
    })
}

/// [`require_entity`] for an optional argument.
pub(crate) fn optional_entity(
    g: &govgraph_graph::Graph,
    argument: &str,
    id: Option<&str>,
) -> async_graphql::Result<Option<govgraph_graph::EntityIx>> {
    id.map(|id| require_entity(g, argument, id)).transpose()
}

/// Checks an integer argument against `0..=max`.
pub(crate) fn bounded(name: &str, value: i32, max: i32) -> async_graphql::Result<usize> {
    if !(0..=max).contains(&value) {
        return Err(ErrorCode::BadUserInput
            .error(format!("`{name}` must be between 0 and {max}, got {value}")));
    }
    Ok(value as usize)
}
