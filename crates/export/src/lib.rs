//! Exports of the governance graph, or of part of it, for other tools: GraphML
//! and GEXF 1.3 (Gephi, yEd, NetworkX), Cytoscape JSON, Graphviz DOT, and the
//! node and relationship CSV files that `neo4j-admin database import` reads.
//!
//! Every export writes a string (or two for CSV) and prints nothing; the caller
//! decides where it goes. XML goes through quick-xml and CSV through the csv
//! crate, so escaping is theirs, never hand-rolled.

mod csv_export;
#[cfg(test)]
mod format_tests;
mod json;
pub mod style;
mod text;
mod xml;

use govgraph_graph::{EntityIx, Graph, RelationIx, Subgraph};
use govgraph_model::RelationType;
use std::collections::{BTreeMap, HashMap};

pub use csv_export::{neo4j_csv, Neo4jCsv, NODES_HEADER, RELATIONSHIPS_HEADER};

/// Why an export failed; each wraps the writer's own error.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The XML writer failed.
    #[error("cannot write XML: {0}")]
    Xml(#[from] std::io::Error),
    /// The JSON encoder failed.
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The CSV writer failed.
    #[error("cannot write CSV: {0}")]
    Csv(#[from] csv::Error),
    /// A writer produced bytes that are not UTF-8 (never expected: all input is UTF-8).
    #[error("the export is not UTF-8: {0}")]
    Utf8(#[from] std::string::FromUtf8Error),
}

/// The text formats of [`export`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// GraphML 1.0 with typed keys.
    GraphMl,
    /// GEXF 1.3 with node and edge attributes.
    Gexf,
    /// Cytoscape.js / Cytoscape desktop JSON: `{ "elements": { "nodes", "edges" } }`.
    CytoscapeJson,
    /// Graphviz DOT, a `digraph`.
    Dot,
}

impl Format {
    /// Every text format, in the order a command line lists them.
    pub const ALL: [Format; 4] = [
        Format::GraphMl,
        Format::Gexf,
        Format::CytoscapeJson,
        Format::Dot,
    ];

    /// The name a command line gives the format: `graphml`, `gexf`,
    /// `cytoscape`, `dot`.
    pub fn name(self) -> &'static str {
        match self {
            Format::GraphMl => "graphml",
            Format::Gexf => "gexf",
            Format::CytoscapeJson => "cytoscape",
            Format::Dot => "dot",
        }
    }
}

/// What to export: entities, and relations whose both ends are among them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selection {
    /// Entities, in the order they are written.
    pub entities: Vec<EntityIx>,
    /// Relations, in the order they are written.
    pub relations: Vec<RelationIx>,
    /// Where entities were drawn, as (x, y) with y growing downwards (screen
    /// coordinates); written into every format that has a place for it.
    pub positions: BTreeMap<EntityIx, (f64, f64)>,
}

impl Selection {
    /// Every entity, and every relation of `types` (all when `None`, negative ones too:
    /// an export is a copy of the data, not a traversal).
    pub fn whole(graph: &Graph, types: Option<&[RelationType]>) -> Self {
        Selection {
            entities: EntityIx::all(graph.entity_count()).collect(),
            relations: graph.relations_of(types),
            positions: BTreeMap::new(),
        }
    }

    /// `entities` and every relation among them (of `types`, all when
    /// `None`), in id order.
    pub fn among(graph: &Graph, entities: Vec<EntityIx>, types: Option<&[RelationType]>) -> Self {
        let inside: std::collections::HashSet<EntityIx> = entities.iter().copied().collect();
        let filter = govgraph_graph::EdgeFilter::listing(types.map(<[_]>::to_vec));
        let mut relations: Vec<RelationIx> = entities
            .iter()
            .flat_map(|&e| graph.relations_at(e, govgraph_graph::Direction::Outgoing, &filter))
            .filter(|&r| inside.contains(&graph.ends(r).1))
            .collect();
        relations.sort_unstable();
        relations.dedup();
        Selection {
            entities,
            relations,
            positions: BTreeMap::new(),
        }
    }

    /// How many of the selection's relations each entity has.
    pub(crate) fn degrees(&self, graph: &Graph) -> HashMap<EntityIx, usize> {
        let mut out = HashMap::new();
        for &r in &self.relations {
            let (s, t) = graph.ends(r);
            *out.entry(s).or_insert(0) += 1;
            if t != s {
                *out.entry(t).or_insert(0) += 1;
            }
        }
        out
    }
}

impl From<Subgraph> for Selection {
    fn from(sub: Subgraph) -> Self {
        Selection {
            entities: sub.entities,
            relations: sub.relations,
            positions: BTreeMap::new(),
        }
    }
}

/// A coordinate as text with at most two decimals.
pub(crate) fn coordinate(v: f64) -> String {
    let rounded = (v * 100.0).round() / 100.0;
    if rounded == 0.0 {
        "0".to_owned()
    } else {
        format!("{rounded}")
    }
}

/// Writes `selection` of `graph` in `format`.
pub fn export(graph: &Graph, selection: &Selection, format: Format) -> Result<String, ExportError> {
    match format {
        Format::GraphMl => xml::graphml(graph, selection),
        Format::Gexf => xml::gexf(graph, selection),
        Format::CytoscapeJson => json::cytoscape(graph, selection),
        Format::Dot => Ok(text::dot(graph, selection)),
    }
}

/// Evidence as one line per item: `section: quote`.
pub(crate) fn evidence_lines(graph: &Graph, relation: RelationIx, separator: &str) -> String {
    graph
        .relation(relation)
        .evidence
        .iter()
        .map(|e| format!("{}: {}", e.section, e.quote))
        .collect::<Vec<_>>()
        .join(separator)
}

#[cfg(test)]
pub(crate) mod fixture {
    //! A small hand-made graph with awkward text: quotes, ampersands, angle brackets.

    use govgraph_graph::Graph;
    use govgraph_model::{Dataset, Entity, EntityKind, Evidence, Relation, RelationType};

    /// Two countries, an agreement with an awkward name, and three relations.
    pub(crate) fn graph() -> Graph {
        let entity = |id: &str, kind, name: &str, year| Entity {
            id: id.into(),
            kind,
            name: name.into(),
            aliases: vec!["A; B".into(), "\"Q\"".into()],
            year,
            attributes: Default::default(),
        };
        let rel = |s: &str, ty, t: &str, since| Relation {
            id: govgraph_model::relation_id(s, ty, t),
            ty,
            source: s.into(),
            target: t.into(),
            since,
            until: Some(2030),
            evidence: vec![
                Evidence::new("1.2", "Pension & \"social\" <security>, with a; semicolon"),
                Evidence::new("Key sources", "n.d."),
            ],
        };
        let dataset = Dataset {
            entities: vec![
                entity("country:AZE", EntityKind::Country, "Azerbaijan", Some(1991)),
                entity(
                    "country:GEO",
                    EntityKind::Country,
                    "Georgia \\ <Sakartvelo>",
                    None,
                ),
                entity(
                    "agreement:pension",
                    EntityKind::Agreement,
                    "Agreement on \"pension\" & <benefits>\nsecond line",
                    Some(1993),
                ),
            ],
            relations: vec![
                rel(
                    "country:AZE",
                    RelationType::PartyTo,
                    "agreement:pension",
                    Some(1993),
                ),
                rel(
                    "country:GEO",
                    RelationType::PartyTo,
                    "agreement:pension",
                    None,
                ),
                rel(
                    "country:AZE",
                    RelationType::CoordinatesWith,
                    "country:GEO",
                    None,
                ),
            ],
            profiles: Vec::new(),
        };
        Graph::build(dataset).0
    }
}
