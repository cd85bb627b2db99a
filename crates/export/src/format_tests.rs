//! Structure checks of every text format on a small graph with awkward text:
//! the XML parses with namespaces resolved, follows the GraphML and GEXF 1.3
//! element and key rules, and (where the tools are installed) passes `xmllint`
//! and Graphviz `dot`.

use crate::xml::{GEXF_NS, GRAPHML_NS};
use crate::{export, fixture, Format, Selection};
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::process::{Command, Stdio};

/// An element: namespace, local name, attributes, children, text.
#[derive(Debug, Default)]
struct Element {
    ns: String,
    name: String,
    attrs: HashMap<String, String>,
    children: Vec<Element>,
    text: String,
}

impl Element {
    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    fn one<'a>(&'a self, name: &'a str) -> &'a Element {
        let found: Vec<_> = self.all(name).collect();
        assert_eq!(found.len(), 1, "one <{name}> in <{}>", self.name);
        found[0]
    }

    fn attr(&self, name: &str) -> &str {
        self.attrs
            .get(name)
            .unwrap_or_else(|| panic!("<{}> has no {name}", self.name))
    }
}

/// Parses `text` into its root element, resolving namespaces; panics when not well-formed.
fn parse(text: &str) -> Element {
    let mut reader = NsReader::from_str(text);
    let mut stack: Vec<Element> = vec![Element::default()];
    loop {
        let (resolved, event) = reader.read_resolved_event().expect("well-formed XML");
        let ns = match resolved {
            ResolveResult::Bound(ns) => String::from_utf8(ns.as_ref().to_vec()).unwrap(),
            _ => String::new(),
        };
        let open = |e: &quick_xml::events::BytesStart| Element {
            ns: ns.clone(),
            name: String::from_utf8(e.local_name().as_ref().to_vec()).unwrap(),
            attrs: e
                .attributes()
                .map(|a| {
                    let a = a.expect("attribute");
                    (
                        String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                        a.unescape_value().expect("escaped value").into_owned(),
                    )
                })
                .collect(),
            ..Default::default()
        };
        match event {
            Event::Start(e) => stack.push(open(&e)),
            Event::Empty(e) => {
                let element = open(&e);
                stack.last_mut().unwrap().children.push(element);
            }
            Event::End(_) => {
                let done = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(done);
            }
            Event::Text(t) => stack
                .last_mut()
                .unwrap()
                .text
                .push_str(&t.decode().expect("utf-8")),
            Event::GeneralRef(r) => {
                let name = r.decode().expect("utf-8");
                let c = match name.as_ref() {
                    "lt" => '<',
                    "gt" => '>',
                    "amp" => '&',
                    "quot" => '"',
                    "apos" => '\'',
                    other => panic!("unexpected entity {other}"),
                };
                stack.last_mut().unwrap().text.push(c);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut document = stack.pop().unwrap();
    assert!(stack.is_empty(), "unclosed elements");
    assert_eq!(document.children.len(), 1, "one root element");
    document.children.pop().unwrap()
}

/// Starts a checking tool. Without it, a developer's run skips the check (the
/// other assertions stand alone); under CI (env `CI` set), where `.ci/run`
/// installs the tools, a missing one fails the test.
#[allow(clippy::print_stderr)]
fn start_tool(command: &mut Command) -> Option<std::process::Child> {
    match command.spawn() {
        Ok(child) => Some(child),
        Err(error) if std::env::var_os("CI").is_some() => {
            panic!("{command:?} cannot run under CI, where it is required: {error}")
        }
        Err(error) => {
            eprintln!("skipped {command:?} ({error}); install it to run this check");
            None
        }
    }
}

/// Runs `xmllint --noout` on `text` (see [`start_tool`] when it is missing).
fn xmllint(text: &str) {
    let Some(mut child) = start_tool(
        Command::new("xmllint")
            .args(["--noout", "-"])
            .stdin(Stdio::piped())
            .stderr(Stdio::piped()),
    ) else {
        return;
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "xmllint: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn whole() -> (govgraph_graph::Graph, Selection) {
    let g = fixture::graph();
    let sel = Selection::whole(&g, None);
    (g, sel)
}

#[test]
fn graphml_follows_the_spec() {
    let (g, sel) = whole();
    let text = export(&g, &sel, Format::GraphMl).unwrap();
    xmllint(&text);
    let root = parse(&text);
    assert_eq!(
        (root.ns.as_str(), root.name.as_str()),
        (GRAPHML_NS, "graphml")
    );
    // Keys come before the graph, and each is fully typed.
    let names: Vec<&str> = root.children.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names.last(), Some(&"graph"));
    let mut keys: HashMap<String, (String, String)> = HashMap::new();
    for key in root.all("key") {
        assert!(["node", "edge"].contains(&key.attr("for")));
        assert!(["string", "int", "double"].contains(&key.attr("attr.type")));
        key.attr("attr.name");
        keys.insert(
            key.attr("id").into(),
            (key.attr("for").into(), key.attr("attr.type").into()),
        );
    }
    let graph = root.one("graph");
    assert_eq!(graph.attr("edgedefault"), "directed");
    let mut ids = HashSet::new();
    for child in &graph.children {
        assert!(
            ["node", "edge"].contains(&child.name.as_str()),
            "{}",
            child.name
        );
        assert_eq!(child.ns, GRAPHML_NS);
        for data in child.all("data") {
            let (domain, ty) = &keys[data.attr("key")];
            assert_eq!(
                domain,
                &child.name,
                "key {} used on a {}",
                data.attr("key"),
                child.name
            );
            if ty == "int" {
                data.text.parse::<i64>().expect("int data");
            }
            if ty == "double" {
                data.text.parse::<f64>().expect("double data");
            }
        }
        if child.name == "node" {
            assert!(
                ids.insert(child.attr("id").to_owned()),
                "node ids are unique"
            );
        }
    }
    let nodes: Vec<_> = graph.all("node").collect();
    let edges: Vec<_> = graph.all("edge").collect();
    assert_eq!((nodes.len(), edges.len()), (3, 3));
    for edge in &edges {
        assert!(ids.contains(edge.attr("source")) && ids.contains(edge.attr("target")));
        let evidence = edge
            .all("data")
            .find(|d| d.attr("key") == "evidence")
            .unwrap();
        assert!(evidence
            .text
            .contains("1.2: Pension & \"social\" <security>"));
    }
    let pension = nodes
        .iter()
        .find(|n| n.attr("id") == "agreement:pension")
        .unwrap();
    let name = pension
        .all("data")
        .find(|d| d.attr("key") == "name")
        .unwrap();
    assert_eq!(
        name.text,
        "Agreement on \"pension\" & <benefits>\nsecond line"
    );
}

#[test]
fn gexf_follows_the_1_3_spec() {
    let (g, sel) = whole();
    let text = export(&g, &sel, Format::Gexf).unwrap();
    xmllint(&text);
    let root = parse(&text);
    assert_eq!((root.ns.as_str(), root.name.as_str()), (GEXF_NS, "gexf"));
    assert_eq!(root.attr("version"), "1.3");
    root.one("meta").one("creator");
    let graph = root.one("graph");
    assert_eq!(graph.attr("defaultedgetype"), "directed");
    let order: Vec<&str> = graph.children.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(order, ["attributes", "attributes", "nodes", "edges"]);
    let mut declared: HashMap<(String, String), String> = HashMap::new();
    for attributes in graph.all("attributes") {
        for a in attributes.all("attribute") {
            assert!(["string", "integer"].contains(&a.attr("type")));
            a.attr("title");
            declared.insert(
                (attributes.attr("class").into(), a.attr("id").into()),
                a.attr("type").into(),
            );
        }
    }
    let check_values = |element: &Element, class: &str| {
        for v in element.one("attvalues").all("attvalue") {
            let ty = &declared[&(class.to_owned(), v.attr("for").to_owned())];
            if ty == "integer" {
                v.attr("value").parse::<i64>().expect("integer value");
            }
        }
    };
    let mut ids = HashSet::new();
    for node in graph.one("nodes").all("node") {
        assert!(ids.insert(node.attr("id").to_owned()));
        node.attr("label");
        check_values(node, "node");
    }
    let edges: Vec<_> = graph.one("edges").all("edge").collect();
    assert_eq!((ids.len(), edges.len()), (3, 3));
    for edge in edges {
        assert!(ids.contains(edge.attr("source")) && ids.contains(edge.attr("target")));
        check_values(edge, "edge");
        let evidence = edge
            .one("attvalues")
            .all("attvalue")
            .find(|v| v.attr("for") == "evidence")
            .unwrap();
        assert!(evidence
            .attr("value")
            .contains("<security>, with a; semicolon | Key sources"));
    }
}

#[test]
fn cytoscape_json_has_elements() {
    let (g, sel) = whole();
    let text = export(&g, &sel, Format::CytoscapeJson).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let nodes = value["elements"]["nodes"].as_array().unwrap();
    let edges = value["elements"]["edges"].as_array().unwrap();
    assert_eq!((nodes.len(), edges.len()), (3, 3));
    let ids: HashSet<&str> = nodes
        .iter()
        .map(|n| n["data"]["id"].as_str().unwrap())
        .collect();
    for edge in edges {
        assert!(ids.contains(edge["data"]["source"].as_str().unwrap()));
        assert!(ids.contains(edge["data"]["target"].as_str().unwrap()));
        assert_eq!(edge["data"]["evidence"][1]["section"], "Key sources");
    }
}

#[test]
fn dot_is_accepted_by_graphviz() {
    let (g, sel) = whole();
    let text = export(&g, &sel, Format::Dot).unwrap();
    assert!(text.starts_with("digraph govgraph {"));
    assert!(text.contains(
        r#""agreement:pension" [label="Agreement on \"pension\" & <benefits>\nsecond line""#
    ));
    assert!(text.contains(r#"label="Georgia \\ <Sakartvelo>""#));
    assert_eq!(text.matches(" -> ").count(), 3);
    let Some(mut child) = start_tool(
        Command::new("dot")
            .args(["-Tcanon"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped()),
    ) else {
        return;
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.trim().is_empty(),
        "dot: {stderr}"
    );
    let canon = String::from_utf8_lossy(&out.stdout);
    assert_eq!(canon.matches("->").count(), 3, "{canon}");
}

#[test]
fn a_neighbourhood_exports_only_its_part() {
    let g = fixture::graph();
    let centre = g.entity_ix("country:GEO").unwrap();
    let filter =
        govgraph_graph::EdgeFilter::listing(Some(vec![govgraph_model::RelationType::PartyTo]));
    let sel = Selection::from(g.neighborhood(centre, 1, &filter, 100));
    let text = export(&g, &sel, Format::CytoscapeJson).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["elements"]["nodes"].as_array().unwrap().len(), 2);
    assert_eq!(value["elements"]["edges"].as_array().unwrap().len(), 1);
}

/// `whole()` with two of its three entities drawn: Georgia at (10, 20) and
/// the agreement at (-3.5, 0.25).
fn drawn() -> (govgraph_graph::Graph, Selection) {
    let (g, mut sel) = whole();
    sel.positions
        .insert(g.entity_ix("country:GEO").unwrap(), (10.0, 20.0));
    sel.positions
        .insert(g.entity_ix("agreement:pension").unwrap(), (-3.5, 0.25));
    (g, sel)
}

#[test]
fn graphml_carries_positions_y_up_and_every_look() {
    let (g, sel) = drawn();
    let text = export(&g, &sel, Format::GraphMl).unwrap();
    xmllint(&text);
    let root = parse(&text);
    for node in root.one("graph").all("node") {
        let data: HashMap<&str, &str> = node
            .all("data")
            .map(|d| (d.attr("key"), d.text.as_str()))
            .collect();
        let expected = match node.attr("id") {
            "country:GEO" => Some(("10", "-20")),
            "agreement:pension" => Some(("-3.5", "-0.25")),
            _ => None,
        };
        assert_eq!(
            data.get("x").zip(data.get("y")).map(|(x, y)| (*x, *y)),
            expected,
            "{}",
            node.attr("id")
        );
        for key in ["size", "r", "g", "b", "color", "shape"] {
            assert!(data.contains_key(key), "{} has {key}", node.attr("id"));
        }
    }
}

#[test]
fn gexf_nodes_are_styled_with_viz_and_placed_where_drawn() {
    let (g, sel) = drawn();
    let text = export(&g, &sel, Format::Gexf).unwrap();
    xmllint(&text);
    let root = parse(&text);
    let mut placed = 0;
    for node in root.one("graph").one("nodes").all("node") {
        let viz: Vec<&Element> = node
            .children
            .iter()
            .filter(|c| c.ns == crate::xml::VIZ_NS)
            .collect();
        let names: Vec<&str> = viz.iter().map(|c| c.name.as_str()).collect();
        assert!(names.starts_with(&["color", "size", "shape"]), "{names:?}");
        let kind = g.entity(g.entity_ix(node.attr("id")).unwrap()).kind;
        let look = crate::style::look(kind);
        let color = viz[0];
        assert_eq!(
            (color.attr("r"), color.attr("g"), color.attr("b")),
            (
                look.rgb.0.to_string().as_str(),
                look.rgb.1.to_string().as_str(),
                look.rgb.2.to_string().as_str()
            )
        );
        if let Some(position) = viz.iter().find(|c| c.name == "position") {
            placed += 1;
            if node.attr("id") == "country:GEO" {
                assert_eq!((position.attr("x"), position.attr("y")), ("10", "-20"));
            }
        }
    }
    assert_eq!(placed, 2, "only drawn entities have a position");
}

#[test]
fn cytoscape_and_dot_place_drawn_nodes() {
    let (g, sel) = drawn();
    let json: serde_json::Value =
        serde_json::from_str(&export(&g, &sel, Format::CytoscapeJson).unwrap()).unwrap();
    let nodes = json["elements"]["nodes"].as_array().unwrap();
    let geo = nodes
        .iter()
        .find(|n| n["data"]["id"] == "country:GEO")
        .unwrap();
    // Cytoscape's y grows downwards, as the explorer's does.
    assert_eq!(geo["position"], serde_json::json!({ "x": 10.0, "y": 20.0 }));
    assert_eq!(
        nodes.iter().filter(|n| n.get("position").is_some()).count(),
        2
    );
    assert!(nodes
        .iter()
        .all(|n| n["data"]["color"].as_str().unwrap().starts_with('#')));
    let dot = export(&g, &sel, Format::Dot).unwrap();
    assert!(dot.contains(r#"pos="10,-20""#), "{dot}");
    assert_eq!(dot.matches("pos=").count(), 2);
    assert_eq!(dot.matches("fillcolor=").count(), 3);
}

/// The look of a kind: `check(kind, family, shape)`.
#[test]
fn kinds_fall_into_six_families() {
    use govgraph_model::EntityKind;
    fn check(kind: EntityKind, family: &str, shape: &str) {
        let look = crate::style::look(kind);
        assert_eq!((look.family, look.shape), (family, shape), "{kind:?}");
        assert_eq!(look.hex().len(), 7);
    }
    check(EntityKind::Institution, "bodies", "circle");
    check(EntityKind::Law, "instruments", "square");
    check(EntityKind::Convention, "agreements", "diamond");
    check(EntityKind::Country, "parties", "hexagon");
    check(EntityKind::System, "processes", "triangle");
    check(EntityKind::Topic, "topics", "pill");
    let families: HashSet<&str> = EntityKind::ALL
        .iter()
        .map(|&k| crate::style::look(k).family)
        .collect();
    assert_eq!(families.len(), 6);
}
