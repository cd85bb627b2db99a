//! Which relations a traversal may walk.

use crate::relations::RelationRef;
use govgraph_model::RelationType;

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
    pub fn admits(&self, relation: &RelationRef<'_>) -> bool {
        self.admits_parts(relation.ty, (relation.since, relation.until), || {
            relation.evidence.iter().filter_map(|e| e.profile)
        })
    }

    /// Whether a relation of type `ty`, in force over `years`, whose
    /// evidence names `profiles`, passes; the profiles are read only when
    /// this filter asks for one.
    #[inline]
    pub(crate) fn admits_parts<'p, P: Iterator<Item = &'p str>>(
        &self,
        ty: RelationType,
        (since, until): (Option<i32>, Option<i32>),
        profiles: impl FnOnce() -> P,
    ) -> bool {
        let by_type = match &self.types {
            Some(types) => types.contains(&ty),
            None => self.include_negative || !ty.is_negative(),
        };
        by_type
            && self.as_of.is_none_or(|year| {
                since.is_none_or(|s| s <= year) && until.is_none_or(|u| year <= u)
            })
            && self
                .profile
                .as_deref()
                .is_none_or(|profile| profiles().any(|p| p == profile))
    }
}
