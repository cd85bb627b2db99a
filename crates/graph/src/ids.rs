//! Positions of entities and relations in one graph. Entities and relations
//! are kept sorted by id, so positions are in id order. Every other module of
//! the crate depends on this one and it on none.

/// Position of an entity; entities are sorted by id, so positions are in id order.
pub type EntityIx = u32;
/// Position of a relation; relations are sorted by id, so positions are in id order.
pub type RelationIx = u32;
