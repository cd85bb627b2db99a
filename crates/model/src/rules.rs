//! The domain/range rule of every relation type: which kinds of entity may stand
//! at each end of the arrow. `data/README.md` shows the same table to curators.

use crate::{EntityKind, RelationType};
use EntityKind::*;

/// A relation whose ends break its type's domain/range rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleViolation {
    /// The source's kind may not start this type of relation.
    #[error("a {ty} relation cannot start at a {kind} (allowed: {allowed})")]
    Source {
        /// The relation type.
        ty: RelationType,
        /// The source entity's kind.
        kind: EntityKind,
        /// The allowed kinds, comma-separated.
        allowed: String,
    },
    /// The target's kind may not end this type of relation.
    #[error("a {ty} relation cannot end at a {kind} (allowed: {allowed})")]
    Target {
        /// The relation type.
        ty: RelationType,
        /// The target entity's kind.
        kind: EntityKind,
        /// The allowed kinds, comma-separated.
        allowed: String,
    },
}

/// The kinds a relation of type `ty` may start at.
pub fn allowed_sources(ty: RelationType) -> &'static [EntityKind] {
    use RelationType as R;
    match ty {
        R::EstablishedBy => &[Institution, System, Programme, Process, Publication],
        R::Implements => &[Institution, InternationalOrganization],
        R::GovernedBy => &[Institution, System, Programme, Process],
        R::PartOf => &[
            Institution,
            InternationalOrganization,
            Policy,
            Programme,
            System,
        ],
        R::Heads => &[Institution],
        R::MemberOf | R::Chairs => &[Country, Institution, InternationalOrganization],
        R::ParticipatesIn => &[Country, Institution, InternationalOrganization, Group],
        R::PartyTo => &[Country, InternationalOrganization, Institution],
        R::Ratified | R::NotRatified | R::Supports => &[Country],
        R::ApprovedBy => &[Law, Agreement, Policy, Programme, Publication],
        R::IssuedBy => &[Law, Policy, Convention, Agreement],
        R::Replaces => &[Law, Policy, Institution, Programme, System],
        R::Amends => &[Law],
        R::Addresses => &[Law, Agreement, Policy, Programme, Convention],
        R::CoordinatesWith => &[Institution, InternationalOrganization],
        R::Engages | R::Operates => &[Institution],
        R::Publishes => &[Institution, InternationalOrganization],
    }
}

/// The kinds a relation of type `ty` may end at, given its source's kind.
pub fn allowed_targets(ty: RelationType, source: EntityKind) -> &'static [EntityKind] {
    use RelationType as R;
    match ty {
        R::EstablishedBy => &[
            Law,
            Institution,
            Policy,
            Agreement,
            InternationalOrganization,
        ],
        R::Implements => &[Law, Policy, Agreement, Programme, Convention],
        R::GovernedBy | R::Amends => &[Law],
        // A body may also belong to a state: a foreign ministry is PART_OF its country.
        R::PartOf if source == Institution => &[
            Institution,
            InternationalOrganization,
            Policy,
            Programme,
            System,
            Country,
        ],
        R::PartOf => &[
            Institution,
            InternationalOrganization,
            Policy,
            Programme,
            System,
        ],
        R::Heads => &[Institution],
        R::MemberOf => &[InternationalOrganization, Process, Institution],
        R::Chairs => &[Process, Institution, InternationalOrganization],
        R::ParticipatesIn => &[Programme, Process, Policy, Convention],
        R::PartyTo => &[Agreement],
        R::Ratified | R::NotRatified | R::Supports => &[Convention],
        R::ApprovedBy => &[Law, Institution],
        R::IssuedBy => &[Institution, InternationalOrganization, Process],
        // A replacement links two things of one kind.
        R::Replaces => same_kind(source),
        R::Addresses => &[Topic],
        R::CoordinatesWith => &[Institution, InternationalOrganization],
        R::Engages => &[Group],
        R::Operates => &[System],
        R::Publishes => &[Publication],
    }
}

fn same_kind(kind: EntityKind) -> &'static [EntityKind] {
    let index = EntityKind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
    &EntityKind::ALL[index..=index]
}

/// Checks one relation's ends against the rule of its type.
pub fn check_domain_range(
    ty: RelationType,
    source: EntityKind,
    target: EntityKind,
) -> Result<(), RuleViolation> {
    let sources = allowed_sources(ty);
    if !sources.contains(&source) {
        return Err(RuleViolation::Source {
            ty,
            kind: source,
            allowed: join(sources),
        });
    }
    let targets = allowed_targets(ty, source);
    if !targets.contains(&target) {
        return Err(RuleViolation::Target {
            ty,
            kind: target,
            allowed: join(targets),
        });
    }
    Ok(())
}

fn join(kinds: &[EntityKind]) -> String {
    kinds
        .iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use RelationType as R;

    #[test]
    fn ratified_goes_country_to_convention() {
        assert!(check_domain_range(R::Ratified, Country, Convention).is_ok());
        assert!(check_domain_range(R::Ratified, Institution, Convention).is_err());
        assert!(check_domain_range(R::Ratified, Country, Agreement).is_err());
    }

    #[test]
    fn replaces_keeps_the_kind() {
        assert!(check_domain_range(R::Replaces, Law, Law).is_ok());
        assert!(check_domain_range(R::Replaces, Institution, Institution).is_ok());
        assert!(check_domain_range(R::Replaces, Law, Institution).is_err());
    }

    #[test]
    fn every_type_has_a_rule() {
        for ty in RelationType::ALL {
            assert!(!allowed_sources(*ty).is_empty(), "{ty}");
        }
    }
}
