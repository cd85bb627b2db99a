//! GraphML 1.0 and GEXF 1.3, written with quick-xml's writer (which escapes
//! text and attribute values).
//!
//! GraphML node ids are the entity ids (`country:AZE`, letters, digits, `:`
//! and `-`, valid NMTOKENs as the GraphML schema requires). Relation ids hold
//! `|`, which an NMTOKEN may not, so edges are `e<position>` and carry the
//! relation id as data.

use crate::style::{look, size};
use crate::{coordinate, evidence_lines, ExportError, Selection};
use govgraph_graph::{EntityIx, Graph};
use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;
use std::collections::HashMap;
use std::io;

/// The GraphML namespace.
pub(crate) const GRAPHML_NS: &str = "http://graphml.graphdrawing.org/xmlns";
/// The GEXF 1.3 namespace.
pub(crate) const GEXF_NS: &str = "http://gexf.net/1.3";
const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";
/// GEXF 1.3's visualisation namespace: colours, sizes, shapes and positions.
pub(crate) const VIZ_NS: &str = "http://gexf.net/1.3/viz";

/// (id, for, name, type) of every GraphML key.
const GRAPHML_KEYS: &[(&str, &str, &str, &str)] = &[
    ("name", "node", "name", "string"),
    ("kind", "node", "kind", "string"),
    ("year", "node", "year", "int"),
    ("aliases", "node", "aliases", "string"),
    // Gephi reads x, y, size, r, g and b as the node's position, size and colour.
    ("x", "node", "x", "double"),
    ("y", "node", "y", "double"),
    ("size", "node", "size", "double"),
    ("r", "node", "r", "int"),
    ("g", "node", "g", "int"),
    ("b", "node", "b", "int"),
    ("color", "node", "color", "string"),
    ("shape", "node", "shape", "string"),
    ("relation_id", "edge", "id", "string"),
    ("type", "edge", "type", "string"),
    ("since", "edge", "since", "int"),
    ("until", "edge", "until", "int"),
    ("evidence", "edge", "evidence", "string"),
];

fn new_writer() -> Result<Writer<Vec<u8>>, ExportError> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    Ok(w)
}

fn data(w: &mut Writer<Vec<u8>>, key: &str, value: &str) -> io::Result<()> {
    w.create_element("data")
        .with_attribute(("key", key))
        .write_text_content(BytesText::new(value))?;
    Ok(())
}

/// The selection as GraphML.
pub(crate) fn graphml(graph: &Graph, sel: &Selection) -> Result<String, ExportError> {
    let mut w = new_writer()?;
    w.create_element("graphml")
        .with_attributes([
            ("xmlns", GRAPHML_NS),
            ("xmlns:xsi", XSI_NS),
            (
                "xsi:schemaLocation",
                "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd",
            ),
        ])
        .write_inner_content(|w| {
            for (id, domain, name, ty) in GRAPHML_KEYS {
                w.create_element("key")
                    .with_attributes([
                        ("id", *id),
                        ("for", *domain),
                        ("attr.name", *name),
                        ("attr.type", *ty),
                    ])
                    .write_empty()?;
            }
            w.create_element("graph")
                .with_attributes([("id", "govgraph"), ("edgedefault", "directed")])
                .write_inner_content(|w| {
                    let degrees = sel.degrees(graph);
                    for &e in &sel.entities {
                        let entity = graph.entity(e);
                        w.create_element("node")
                            .with_attribute(("id", entity.id.as_str()))
                            .write_inner_content(|w| {
                                data(w, "name", &entity.name)?;
                                data(w, "kind", entity.kind.as_str())?;
                                if let Some(year) = entity.year {
                                    data(w, "year", &year.to_string())?;
                                }
                                if !entity.aliases.is_empty() {
                                    data(w, "aliases", &entity.aliases.join("; "))?;
                                }
                                graphml_look(w, (graph, sel), &degrees, e)
                            })?;
                    }
                    for &r in &sel.relations {
                        let relation = graph.relation(r);
                        let (s, t) = graph.ends(r);
                        let edge_id = format!("e{r}");
                        w.create_element("edge")
                            .with_attributes([
                                ("id", edge_id.as_str()),
                                ("source", graph.entity(s).id.as_str()),
                                ("target", graph.entity(t).id.as_str()),
                            ])
                            .write_inner_content(|w| {
                                data(w, "relation_id", relation.id)?;
                                data(w, "type", relation.ty.as_str())?;
                                if let Some(since) = relation.since {
                                    data(w, "since", &since.to_string())?;
                                }
                                if let Some(until) = relation.until {
                                    data(w, "until", &until.to_string())?;
                                }
                                data(w, "evidence", &evidence_lines(graph, r, "\n"))
                            })?;
                    }
                    Ok(())
                })?;
            Ok(())
        })?;
    Ok(String::from_utf8(w.into_inner())?)
}

/// A node's position (y up, as Gephi draws it), size, colour and shape.
fn graphml_look(
    w: &mut Writer<Vec<u8>>,
    (graph, sel): (&Graph, &Selection),
    degrees: &HashMap<EntityIx, usize>,
    e: EntityIx,
) -> io::Result<()> {
    if let Some(&(x, y)) = sel.positions.get(&e) {
        data(w, "x", &coordinate(x))?;
        data(w, "y", &coordinate(-y))?;
    }
    let look = look(graph.entity(e).kind);
    data(
        w,
        "size",
        &coordinate(size(degrees.get(&e).copied().unwrap_or(0))),
    )?;
    let (r, g, b) = look.rgb;
    data(w, "r", &r.to_string())?;
    data(w, "g", &g.to_string())?;
    data(w, "b", &b.to_string())?;
    data(w, "color", &look.hex())?;
    data(w, "shape", look.shape)
}

/// (id, title, type) of the GEXF node attributes, then of the edge attributes.
const GEXF_NODE_ATTRIBUTES: &[(&str, &str, &str)] = &[
    ("kind", "kind", "string"),
    ("year", "year", "integer"),
    ("aliases", "aliases", "string"),
];
const GEXF_EDGE_ATTRIBUTES: &[(&str, &str, &str)] = &[
    ("relation_id", "id", "string"),
    ("type", "type", "string"),
    ("since", "since", "integer"),
    ("until", "until", "integer"),
    ("evidence", "evidence", "string"),
];

fn attribute_declarations(
    w: &mut Writer<Vec<u8>>,
    class: &str,
    attributes: &[(&str, &str, &str)],
) -> io::Result<()> {
    w.create_element("attributes")
        .with_attributes([("class", class), ("mode", "static")])
        .write_inner_content(|w| {
            for (id, title, ty) in attributes {
                w.create_element("attribute")
                    .with_attributes([("id", *id), ("title", *title), ("type", *ty)])
                    .write_empty()?;
            }
            Ok(())
        })?;
    Ok(())
}

fn attvalues(w: &mut Writer<Vec<u8>>, values: &[(&str, String)]) -> io::Result<()> {
    w.create_element("attvalues").write_inner_content(|w| {
        for (key, value) in values {
            w.create_element("attvalue")
                .with_attributes([("for", *key), ("value", value.as_str())])
                .write_empty()?;
        }
        Ok(())
    })?;
    Ok(())
}

/// A node's `viz` colour, size, shape and, when drawn, position (y up).
fn gexf_look(
    w: &mut Writer<Vec<u8>>,
    (graph, sel): (&Graph, &Selection),
    degrees: &HashMap<EntityIx, usize>,
    e: EntityIx,
) -> io::Result<()> {
    let look = look(graph.entity(e).kind);
    let (r, g, b) = look.rgb;
    let (r, g, b) = (r.to_string(), g.to_string(), b.to_string());
    w.create_element("viz:color")
        .with_attributes([("r", r.as_str()), ("g", g.as_str()), ("b", b.as_str())])
        .write_empty()?;
    let value = coordinate(size(degrees.get(&e).copied().unwrap_or(0)));
    w.create_element("viz:size")
        .with_attribute(("value", value.as_str()))
        .write_empty()?;
    w.create_element("viz:shape")
        .with_attribute(("value", look.gexf_shape()))
        .write_empty()?;
    if let Some(&(x, y)) = sel.positions.get(&e) {
        let (x, y) = (coordinate(x), coordinate(-y));
        w.create_element("viz:position")
            .with_attributes([("x", x.as_str()), ("y", y.as_str()), ("z", "0")])
            .write_empty()?;
    }
    Ok(())
}

/// The selection as GEXF 1.3.
pub(crate) fn gexf(graph: &Graph, sel: &Selection) -> Result<String, ExportError> {
    let mut w = new_writer()?;
    w.create_element("gexf")
        .with_attributes([
            ("xmlns", GEXF_NS),
            ("xmlns:xsi", XSI_NS),
            (
                "xsi:schemaLocation",
                "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd",
            ),
            ("version", "1.3"),
            ("xmlns:viz", VIZ_NS),
        ])
        .write_inner_content(|w| {
            w.create_element("meta").write_inner_content(|w| {
                w.create_element("creator")
                    .write_text_content(BytesText::new("govgraph"))?;
                w.create_element("description")
                    .write_text_content(BytesText::new(
                        "Migration governance graph: entities and cited relations",
                    ))?;
                Ok(())
            })?;
            w.create_element("graph")
                .with_attributes([("defaultedgetype", "directed"), ("mode", "static")])
                .write_inner_content(|w| {
                    attribute_declarations(w, "node", GEXF_NODE_ATTRIBUTES)?;
                    attribute_declarations(w, "edge", GEXF_EDGE_ATTRIBUTES)?;
                    w.create_element("nodes").write_inner_content(|w| {
                        let degrees = sel.degrees(graph);
                        for &e in &sel.entities {
                            let entity = graph.entity(e);
                            let mut values = vec![("kind", entity.kind.as_str().to_owned())];
                            if let Some(year) = entity.year {
                                values.push(("year", year.to_string()));
                            }
                            if !entity.aliases.is_empty() {
                                values.push(("aliases", entity.aliases.join("; ")));
                            }
                            w.create_element("node")
                                .with_attributes([
                                    ("id", entity.id.as_str()),
                                    ("label", entity.name.as_str()),
                                ])
                                .write_inner_content(|w| {
                                    attvalues(w, &values)?;
                                    gexf_look(w, (graph, sel), &degrees, e)
                                })?;
                        }
                        Ok(())
                    })?;
                    w.create_element("edges").write_inner_content(|w| {
                        for &r in &sel.relations {
                            let relation = graph.relation(r);
                            let (s, t) = graph.ends(r);
                            let mut values = vec![
                                ("relation_id", relation.id.to_owned()),
                                ("type", relation.ty.as_str().to_owned()),
                            ];
                            if let Some(since) = relation.since {
                                values.push(("since", since.to_string()));
                            }
                            if let Some(until) = relation.until {
                                values.push(("until", until.to_string()));
                            }
                            // An attribute value cannot hold a line break (XML normalizes it away).
                            values.push(("evidence", evidence_lines(graph, r, " | ")));
                            let edge_id = format!("e{r}");
                            w.create_element("edge")
                                .with_attributes([
                                    ("id", edge_id.as_str()),
                                    ("source", graph.entity(s).id.as_str()),
                                    ("target", graph.entity(t).id.as_str()),
                                    ("label", relation.ty.as_str()),
                                ])
                                .write_inner_content(|w| attvalues(w, &values))?;
                        }
                        Ok(())
                    })?;
                    Ok(())
                })?;
            Ok(())
        })?;
    Ok(String::from_utf8(w.into_inner())?)
}
