//! The two CSV files of `neo4j-admin database import full --nodes=nodes.csv
//! --relationships=relationships.csv`, with its header conventions: `:ID`,
//! `:LABEL`, `:START_ID`, `:END_ID`, `:TYPE`, typed columns (`year:int`) and
//! arrays split on `;` (`aliases:string[]`).

use crate::{evidence_lines, ExportError, Selection};
use govgraph_graph::Graph;
use govgraph_model::EntityKind;

pub use govgraph_model::csv_layout::{NODES_HEADER, RELATIONSHIPS_HEADER};

/// The contents of `nodes.csv` and `relationships.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Neo4jCsv {
    /// `nodes.csv`.
    pub nodes: String,
    /// `relationships.csv`.
    pub relationships: String,
}

/// A node label in Neo4j's usual PascalCase: INTERNATIONAL_ORGANIZATION -> InternationalOrganization.
fn label(kind: EntityKind) -> String {
    kind.as_str()
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_string() + &chars.as_str().to_lowercase()
            })
        })
        .collect()
}

/// An array cell: items joined by `;`, the import's array delimiter, so an item
/// may not contain one.
fn array(items: impl IntoIterator<Item = String>) -> String {
    items
        .into_iter()
        .map(|item| item.replace(';', ","))
        .collect::<Vec<_>>()
        .join(";")
}

fn optional(value: Option<i32>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// The selection as neo4j-admin import CSV: every node labelled `Entity` and its kind.
pub fn neo4j_csv(graph: &Graph, sel: &Selection) -> Result<Neo4jCsv, ExportError> {
    let mut nodes = csv::Writer::from_writer(Vec::new());
    nodes.write_record(NODES_HEADER)?;
    for &e in &sel.entities {
        let entity = graph.entity(e);
        nodes.write_record([
            entity.id.clone(),
            entity.name.clone(),
            entity.kind.as_str().to_owned(),
            optional(entity.year),
            array(entity.aliases.iter().cloned()),
            format!("Entity;{}", label(entity.kind)),
        ])?;
    }
    let mut relationships = csv::Writer::from_writer(Vec::new());
    relationships.write_record(RELATIONSHIPS_HEADER)?;
    for &r in &sel.relations {
        let relation = graph.relation(r);
        let (s, t) = graph.ends(r);
        relationships.write_record([
            graph.entity(s).id.clone(),
            graph.entity(t).id.clone(),
            relation.ty.as_str().to_owned(),
            relation.id.to_owned(),
            optional(relation.since),
            optional(relation.until),
            array(relation.evidence.iter().map(|e| e.section.to_owned())),
            evidence_lines(graph, r, " | "),
        ])?;
    }
    let into_string = |w: csv::Writer<Vec<u8>>| -> Result<String, ExportError> {
        let bytes = w.into_inner().map_err(|e| e.into_error())?;
        Ok(String::from_utf8(bytes)?)
    };
    Ok(Neo4jCsv {
        nodes: into_string(nodes)?,
        relationships: into_string(relationships)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    #[test]
    fn labels_are_pascal_case() {
        assert_eq!(
            label(EntityKind::InternationalOrganization),
            "InternationalOrganization"
        );
        assert_eq!(label(EntityKind::Country), "Country");
    }

    #[test]
    fn files_have_the_import_headers_and_round_trip() {
        let g = fixture::graph();
        let out = neo4j_csv(&g, &Selection::whole(&g, None)).unwrap();
        let mut nodes = csv::Reader::from_reader(out.nodes.as_bytes());
        assert_eq!(nodes.headers().unwrap(), NODES_HEADER);
        let rows: Vec<csv::StringRecord> = nodes.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 3);
        let pension = rows.iter().find(|r| &r[0] == "agreement:pension").unwrap();
        assert_eq!(
            &pension[1],
            "Agreement on \"pension\" & <benefits>\nsecond line"
        );
        assert_eq!(&pension[3], "1993");
        assert_eq!(&pension[4], "A, B;\"Q\"");
        assert_eq!(&pension[5], "Entity;Agreement");
        let mut rels = csv::Reader::from_reader(out.relationships.as_bytes());
        assert_eq!(rels.headers().unwrap(), RELATIONSHIPS_HEADER);
        let rows: Vec<csv::StringRecord> = rels.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 3);
        for row in &rows {
            assert!(g.entity_ix(&row[0]).is_some() && g.entity_ix(&row[1]).is_some());
            assert_eq!(&row[6], "1.2;Key sources");
        }
    }
}
