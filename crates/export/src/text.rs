//! Graphviz DOT. DOT is not XML: its only quoting is a double-quoted string in
//! which `"` and `\` are backslash-escaped and a line break is written `\n`.

use crate::style::look;
use crate::{coordinate, Selection};
use govgraph_graph::Graph;
use std::fmt::Write;

/// A DOT double-quoted string.
pub(crate) fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The selection as a DOT `digraph`; kind, year, type, since and until are
/// attributes; each node has its family's shape and colour, and its drawn
/// position (in points, y up) when it has one, which `neato -n` keeps.
pub(crate) fn dot(graph: &Graph, sel: &Selection) -> String {
    let mut out =
        String::from("digraph govgraph {\n  node [style=filled, fontcolor=\"#1d232b\"];\n");
    for &e in &sel.entities {
        let entity = graph.entity(e);
        let look = look(entity.kind);
        let _ = write!(
            out,
            "  {} [label={}, kind={}, shape={}, fillcolor={}",
            quoted(&entity.id),
            quoted(&entity.name),
            quoted(entity.kind.as_str()),
            look.dot_shape(),
            quoted(&look.hex())
        );
        if let Some(year) = entity.year {
            let _ = write!(out, ", year={}", quoted(&year.to_string()));
        }
        if let Some(&(x, y)) = sel.positions.get(&e) {
            let pos = format!("{},{}", coordinate(x), coordinate(-y));
            let _ = write!(out, ", pos={}", quoted(&pos));
        }
        out.push_str("];\n");
    }
    for &r in &sel.relations {
        let relation = graph.relation(r);
        let (s, t) = graph.ends(r);
        let _ = write!(
            out,
            "  {} -> {} [label={}, type={}, id={}",
            quoted(&graph.entity(s).id),
            quoted(&graph.entity(t).id),
            quoted(relation.ty.as_str()),
            quoted(relation.ty.as_str()),
            quoted(relation.id)
        );
        if let Some(since) = relation.since {
            let _ = write!(out, ", since={}", quoted(&since.to_string()));
        }
        if let Some(until) = relation.until {
            let _ = write!(out, ", until={}", quoted(&until.to_string()));
        }
        out.push_str("];\n");
    }
    out.push_str("}\n");
    out
}
