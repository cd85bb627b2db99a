//! The records of the graph: entities, relations and the evidence behind them.

use crate::{EntityKind, RelationType};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A node of the graph: a country, body, instrument, agreement, …
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// Stable readable id, `<kind>:<slug>` (`country:AZE` for countries).
    pub id: String,
    /// What sort of thing this is.
    pub kind: EntityKind,
    /// The name the profile uses.
    pub name: String,
    /// Abbreviations and other names.
    pub aliases: Vec<String>,
    /// Year adopted, signed, established or founded.
    pub year: Option<i32>,
    /// Free attributes: instrument number, dates, ISO code.
    pub attributes: BTreeMap<String, String>,
}

/// Where a fact comes from: a section of the profile and a verbatim quote.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Evidence {
    /// Section label: "2.1", "Summary", "Table 1", "Footnote 20", "Key sources".
    pub section: String,
    /// A verbatim span of the profile that states the fact.
    pub quote: String,
    /// Id of the profile quoted ([`ProfileInfo::id`]); `None` for data that
    /// names no profile (a bulk CSV import, a test graph).
    #[serde(default)]
    pub profile: Option<String>,
}

impl Evidence {
    /// Evidence from `section` quoting `quote`, of no named profile.
    pub fn new(section: impl Into<String>, quote: impl Into<String>) -> Self {
        Evidence {
            section: section.into(),
            quote: quote.into(),
            profile: None,
        }
    }
}

/// A profile a dataset was curated from: one MGI assessment of one country.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ProfileInfo {
    /// Stable id: its data folder's name ("azerbaijan-2023").
    pub id: String,
    /// The title as the document gives it ("REPUBLIC OF AZERBAIJAN | PROFILE 2023").
    pub title: String,
    /// The entity id of the country it is about ("country:AZE").
    pub country: Option<String>,
    /// The year of the assessment.
    pub year: Option<i32>,
}

/// A directed edge of the graph, always with evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relation {
    /// Stable id, `<source>|<TYPE>|<target>` unless given explicitly.
    pub id: String,
    /// What the arrow means.
    #[serde(rename = "type")]
    pub ty: RelationType,
    /// Id of the entity the arrow leaves.
    pub source: String,
    /// Id of the entity the arrow reaches.
    pub target: String,
    /// First year the relation holds.
    pub since: Option<i32>,
    /// Last year the relation holds.
    pub until: Option<i32>,
    /// Never empty.
    pub evidence: Vec<Evidence>,
}

impl Relation {
    /// Whether the relation holds in `year`; unknown bounds count as open.
    pub fn in_force(&self, year: i32) -> bool {
        self.since.is_none_or(|s| s <= year) && self.until.is_none_or(|u| year <= u)
    }
}

/// A whole validated dataset, in a canonical order (entities and relations by id).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dataset {
    /// Every entity, sorted by id.
    pub entities: Vec<Entity>,
    /// Every relation, sorted by id.
    pub relations: Vec<Relation>,
    /// The profiles the data comes from, sorted by id.
    #[serde(default)]
    pub profiles: Vec<ProfileInfo>,
}

impl Dataset {
    /// Sorts entities and relations by id so equal datasets compare and hash equal.
    pub fn canonicalize(&mut self) {
        self.entities.sort_by(|a, b| a.id.cmp(&b.id));
        self.relations.sort_by(|a, b| a.id.cmp(&b.id));
        self.profiles.sort_by(|a, b| a.id.cmp(&b.id));
    }
}
