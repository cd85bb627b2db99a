//! The contract's enums, mapped one to one onto the model's vocabularies.

use async_graphql::Enum;

/// Kinds of entity in the governance graph.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "govgraph_model::EntityKind")]
pub enum EntityKind {
    /// A sovereign state, identified by its ISO 3166-1 alpha-3 code.
    Country,
    /// National public bodies: ministries, services, agencies, committees, councils, commissions, funds, departments, offices; foreign government bodies too.
    Institution,
    /// IOM, UNHCR, the European Union, ILO and other intergovernmental organizations.
    InternationalOrganization,
    /// Legal instruments: constitution, codes, laws, decrees, decisions, regulations, charters, orders, rules.
    Law,
    /// Strategies, action plans, road maps, state programmes and national priorities.
    Policy,
    /// Programmes, projects and initiatives (grant programmes, a remittances project, a training centre initiative).
    Programme,
    /// Bilateral or multilateral agreements, memoranda of understanding, joint declarations.
    Agreement,
    /// International conventions and treaties, and global compacts.
    Convention,
    /// Regional consultative processes, dialogues and forums (Almaty, Budapest, Prague, Bologna, GFMD).
    Process,
    /// Information systems and services (a migration information system, an early warning system, a hotline).
    System,
    /// Subjects that instruments and agreements address (pension provision, migrant smuggling, human trafficking).
    Topic,
    /// Stakeholder groups (civil society organizations, the private sector, the diaspora).
    Group,
    /// Publications and data sets (a statistical yearbook, an annual labour quota, a web page of daily updates).
    Publication,
}

/// Kinds of directed relationship. The arrow reads source -> target.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "govgraph_model::RelationType")]
pub enum RelationType {
    /// body -> instrument or body that created it
    EstablishedBy,
    /// body -> instrument, policy, agreement or programme it implements, executes or is responsible for
    Implements,
    /// body -> instrument that defines its mandate or under which it acts
    GovernedBy,
    /// body -> parent body, or the state it belongs to; policy -> broader policy
    PartOf,
    /// body -> body it heads or chairs permanently
    Heads,
    /// country or body -> organization, process or collective body it belongs to
    MemberOf,
    /// country or body -> process or body it chairs for a period (since/until)
    Chairs,
    /// country or body -> initiative it takes part in without membership
    ParticipatesIn,
    /// country, organization or body -> agreement, MOU or declaration it is party to
    PartyTo,
    /// country -> convention it ratified (since = year of ratification)
    Ratified,
    /// country -> convention the profile lists as not ratified. A negative statement: path and centrality queries leave it out unless its type is asked for.
    NotRatified,
    /// country -> non-binding framework it supports (global compacts)
    Supports,
    /// instrument, agreement or policy -> instrument or body that approved it
    ApprovedBy,
    /// instrument -> body that issued it
    IssuedBy,
    /// instrument -> earlier instrument it replaced; body -> predecessor body
    Replaces,
    /// instrument -> instrument it amends
    Amends,
    /// instrument, agreement, policy or programme -> topic
    Addresses,
    /// body -> body it coordinates or collaborates with
    CoordinatesWith,
    /// body -> stakeholder group it formally engages
    Engages,
    /// body -> system or service it operates
    Operates,
    /// body -> publication or data set it publishes
    Publishes,
}

/// Which way relations are followed from an entity.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum Direction {
    /// Relations whose source is the entity.
    Outgoing,
    /// Relations whose target is the entity.
    Incoming,
    /// Both.
    Both,
}

impl From<Direction> for govgraph_graph::Direction {
    fn from(d: Direction) -> Self {
        match d {
            Direction::Outgoing => govgraph_graph::Direction::Outgoing,
            Direction::Incoming => govgraph_graph::Direction::Incoming,
            Direction::Both => govgraph_graph::Direction::Both,
        }
    }
}

/// Converts optional GraphQL type lists into model types.
pub(crate) fn model_types(
    types: Option<Vec<RelationType>>,
) -> Option<Vec<govgraph_model::RelationType>> {
    types.map(|t| t.into_iter().map(Into::into).collect())
}

/// Converts optional GraphQL kind lists into model kinds.
pub(crate) fn model_kinds(
    kinds: Option<Vec<EntityKind>>,
) -> Option<Vec<govgraph_model::EntityKind>> {
    kinds.map(|k| k.into_iter().map(Into::into).collect())
}
