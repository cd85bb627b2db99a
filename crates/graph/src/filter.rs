//! Which relations a traversal may walk.

use govgraph_model::{Relation, RelationType};

/// Which way relations are followed from an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Relations whose source is the entity.
    Outgoing,
    /// Relations whose target is the entity.
    Incoming,
    /// Both.
    Both,
}

/// A filter on relations: by type, and by the year they are in force.
#[derive(Debug, Clone, Default)]
pub struct EdgeFilter {
    /// Only these types; `None` means every type.
    pub types: Option<Vec<RelationType>>,
    /// Keep negative statements (NOT_RATIFIED) even when `types` is `None`.
    pub include_negative: bool,
    /// Only relations in force this year.
    pub as_of: Option<i32>,
    /// Only relations with evidence from this profile (its id).
    pub profile: Option<String>,
}

impl EdgeFilter {
    /// A filter for traversals (paths, centrality): negative statements are left
    /// out unless their type is asked for explicitly.
    pub fn traversal(types: Option<Vec<RelationType>>) -> Self {
        EdgeFilter {
            types,
            include_negative: false,
            as_of: None,
            profile: None,
        }
    }

    /// A filter for listings: every relation of the asked types, negative ones too.
    pub fn listing(types: Option<Vec<RelationType>>) -> Self {
        EdgeFilter {
            types,
            include_negative: true,
            as_of: None,
            profile: None,
        }
    }

    /// Whether this is what [`EdgeFilter::traversal`] gives without types:
    /// every relation but NOT_RATIFIED, in any year. Traversals with it walk
    /// precomputed plain neighbour lists.
    pub(crate) fn is_default_traversal(&self) -> bool {
        self.types.is_none()
            && !self.include_negative
            && self.as_of.is_none()
            && self.profile.is_none()
    }

    /// Whether `relation` passes.
    pub fn admits(&self, relation: &Relation) -> bool {
        let by_type = match &self.types {
            Some(types) => types.contains(&relation.ty),
            None => self.include_negative || !relation.ty.is_negative(),
        };
        by_type
            && self.as_of.is_none_or(|year| relation.in_force(year))
            && self.profile.as_deref().is_none_or(|profile| {
                relation
                    .evidence
                    .iter()
                    .any(|e| e.profile.as_deref() == Some(profile))
            })
    }
}
