//! The vocabulary of govgraph: entity kinds, relation types, entities, relations,
//! evidence, ids and the domain/range rule of every relation type.
//!
//! This crate knows no I/O, no async and no GraphQL; every other crate builds on it.
//! The record-level rules every import path shares are in [`checks`].

pub mod checks;
pub mod csv_layout;
mod id;
mod kinds;
mod record;
mod rules;
pub mod text;

pub use checks::{
    check_entity, check_relation, Field, Finding, Limits, RecordViolation, Sections, YEARS,
};
pub use id::{
    check_entity_id, is_user_assigned_code, relation_id, slugify, slugify_within, IdError,
};
pub use kinds::{EntityKind, ParseKindError, RelationType};
pub use record::{Dataset, Entity, Evidence, ProfileInfo, Relation};
pub use rules::{allowed_sources, allowed_targets, check_domain_range, RuleViolation};
