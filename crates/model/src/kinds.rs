//! The two closed vocabularies of the contract: kinds of entity and types of relation.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Declares a fieldless enum whose variants are written in SCREAMING_SNAKE_CASE,
/// exactly as the GraphQL contract spells them, with `ALL`, `as_str` and `FromStr`.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant,)*
        }

        impl $name {
            /// Every value, in contract order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The contract's spelling of this value.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)* }
            }

            /// Position in [`Self::ALL`]; stable, used as a compact code in storage.
            pub fn index(self) -> u8 {
                self as u8
            }

            /// The value at `index` in [`Self::ALL`].
            pub fn from_index(index: u8) -> Option<Self> {
                Self::ALL.get(usize::from(index)).copied()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = ParseKindError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)*
                    _ => Err(ParseKindError { vocabulary: stringify!($name), value: s.to_owned() }),
                }
            }
        }
    };
}

/// A string that names no value of a vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {vocabulary} `{value}`")]
pub struct ParseKindError {
    /// Which vocabulary was asked (`EntityKind` or `RelationType`).
    pub vocabulary: &'static str,
    /// The value that matched nothing.
    pub value: String,
}

vocabulary! {
    /// Kinds of entity in the governance graph.
    EntityKind {
        /// A sovereign state, identified by its ISO 3166-1 alpha-3 code.
        Country => "COUNTRY",
        /// A national public body, or a foreign government body.
        Institution => "INSTITUTION",
        /// An intergovernmental organization (IOM, UNHCR, the EU, ILO …).
        InternationalOrganization => "INTERNATIONAL_ORGANIZATION",
        /// A legal instrument: constitution, code, law, decree, decision, order, rule.
        Law => "LAW",
        /// A strategy, action plan, road map, state programme or national priority.
        Policy => "POLICY",
        /// A programme, project or initiative.
        Programme => "PROGRAMME",
        /// A bilateral or multilateral agreement, memorandum or joint declaration.
        Agreement => "AGREEMENT",
        /// An international convention, treaty or global compact.
        Convention => "CONVENTION",
        /// A regional consultative process, dialogue or forum.
        Process => "PROCESS",
        /// An information system or service.
        System => "SYSTEM",
        /// A subject that instruments and agreements address.
        Topic => "TOPIC",
        /// A stakeholder group.
        Group => "GROUP",
        /// A publication or data set.
        Publication => "PUBLICATION",
    }
}

vocabulary! {
    /// Kinds of directed relationship; the arrow reads source -> target.
    RelationType {
        /// body -> instrument or body that created it
        EstablishedBy => "ESTABLISHED_BY",
        /// body -> instrument, policy, agreement or programme it implements
        Implements => "IMPLEMENTS",
        /// body -> instrument that defines its mandate
        GovernedBy => "GOVERNED_BY",
        /// body -> parent body, or the state it belongs to; policy -> broader policy
        PartOf => "PART_OF",
        /// body -> body it heads or chairs permanently
        Heads => "HEADS",
        /// member -> organization, process or collective body
        MemberOf => "MEMBER_OF",
        /// chair -> process or body it chairs for a period
        Chairs => "CHAIRS",
        /// participant -> initiative it takes part in without membership
        ParticipatesIn => "PARTICIPATES_IN",
        /// party -> agreement
        PartyTo => "PARTY_TO",
        /// country -> convention it ratified
        Ratified => "RATIFIED",
        /// country -> convention listed as not ratified (a negative statement)
        NotRatified => "NOT_RATIFIED",
        /// country -> non-binding framework it supports
        Supports => "SUPPORTS",
        /// instrument -> instrument or body that approved it
        ApprovedBy => "APPROVED_BY",
        /// instrument -> body that issued it
        IssuedBy => "ISSUED_BY",
        /// instrument -> earlier instrument it replaced; body -> predecessor
        Replaces => "REPLACES",
        /// instrument -> instrument it amends
        Amends => "AMENDS",
        /// instrument, agreement, policy or programme -> topic
        Addresses => "ADDRESSES",
        /// body -> body it coordinates or collaborates with
        CoordinatesWith => "COORDINATES_WITH",
        /// body -> stakeholder group it formally engages
        Engages => "ENGAGES",
        /// body -> system it operates
        Operates => "OPERATES",
        /// body -> publication it publishes
        Publishes => "PUBLISHES",
    }
}

impl EntityKind {
    /// The id prefix of this kind: lower case, `_` written as `-`.
    pub fn id_prefix(self) -> &'static str {
        match self {
            EntityKind::Country => "country",
            EntityKind::Institution => "institution",
            EntityKind::InternationalOrganization => "international-organization",
            EntityKind::Law => "law",
            EntityKind::Policy => "policy",
            EntityKind::Programme => "programme",
            EntityKind::Agreement => "agreement",
            EntityKind::Convention => "convention",
            EntityKind::Process => "process",
            EntityKind::System => "system",
            EntityKind::Topic => "topic",
            EntityKind::Group => "group",
            EntityKind::Publication => "publication",
        }
    }
}

impl RelationType {
    /// Negative statements are left out of traversals unless asked for by type.
    pub fn is_negative(self) -> bool {
        self == RelationType::NotRatified
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_round_trip() {
        for kind in EntityKind::ALL {
            assert_eq!(kind.as_str().parse::<EntityKind>(), Ok(*kind));
            assert_eq!(EntityKind::from_index(kind.index()), Some(*kind));
        }
        for ty in RelationType::ALL {
            assert_eq!(ty.as_str().parse::<RelationType>(), Ok(*ty));
            assert_eq!(RelationType::from_index(ty.index()), Some(*ty));
        }
        assert!("RATIFIES".parse::<RelationType>().is_err());
    }
}
