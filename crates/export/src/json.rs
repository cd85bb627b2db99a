//! Cytoscape JSON: the `elements` object that Cytoscape desktop imports and
//! cytoscape.js takes as is.

use crate::style::{look, size};
use crate::{ExportError, Selection};
use govgraph_graph::Graph;
use serde_json::{json, Map, Value};

/// The selection as Cytoscape JSON.
pub(crate) fn cytoscape(graph: &Graph, sel: &Selection) -> Result<String, ExportError> {
    let degrees = sel.degrees(graph);
    let nodes: Vec<Value> = sel
        .entities
        .iter()
        .map(|&e| {
            let entity = graph.entity(e);
            let look = look(entity.kind);
            let mut data = Map::new();
            data.insert("id".into(), json!(entity.id));
            data.insert("name".into(), json!(entity.name));
            data.insert("kind".into(), json!(entity.kind.as_str()));
            data.insert("year".into(), json!(entity.year));
            data.insert("aliases".into(), json!(entity.aliases));
            // For a style mapping in Cytoscape: colour, shape and size as drawn.
            data.insert("color".into(), json!(look.hex()));
            data.insert("shape".into(), json!(look.shape));
            data.insert(
                "size".into(),
                json!(size(degrees.get(&e).copied().unwrap_or(0))),
            );
            match sel.positions.get(&e) {
                Some(&(x, y)) => json!({ "data": data, "position": { "x": x, "y": y } }),
                None => json!({ "data": data }),
            }
        })
        .collect();
    let edges: Vec<Value> = sel
        .relations
        .iter()
        .map(|&r| {
            let relation = graph.relation(r);
            let (s, t) = graph.ends(r);
            let evidence: Vec<Value> = relation
                .evidence
                .iter()
                .map(|e| json!({ "section": e.section, "quote": e.quote }))
                .collect();
            json!({ "data": {
                "id": relation.id,
                "source": graph.entity(s).id,
                "target": graph.entity(t).id,
                // Cytoscape desktop names the edge type "interaction".
                "interaction": relation.ty.as_str(),
                "type": relation.ty.as_str(),
                "since": relation.since,
                "until": relation.until,
                "evidence": evidence,
            }})
        })
        .collect();
    let document = json!({
        "format_version": "1.0",
        "generated_by": "govgraph",
        "data": { "name": "govgraph" },
        "elements": { "nodes": nodes, "edges": edges },
    });
    Ok(serde_json::to_string_pretty(&document)?)
}
