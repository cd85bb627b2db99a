//! Analytics over the real dataset: implementations, partnership networks,
//! k shortest paths, centrality, the timeline, agreement counts and exports,
//! in process and through `govgraph export`. The dataset is still growing, so
//! these check properties and facts the profile states, not totals.

use govgraph_tests::{default_graph, govgraph_bin};
use quick_xml::events::Event;
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashSet};
use std::process::Command;

/// Runs `query` with `variables` on the default graph.
fn run(query: &str, variables: Value) -> Value {
    let schema = govgraph_api::schema(default_graph(), govgraph_api::Limits::default());
    let request = async_graphql::Request::new(query)
        .variables(async_graphql::Variables::from_json(variables));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    serde_json::to_value(runtime.block_on(schema.execute(request))).expect("json")
}

/// The data of a response that must have no errors.
fn data(query: &str, variables: Value) -> Value {
    let value = run(query, variables);
    assert!(value.get("errors").is_none(), "{query}: {value}");
    value["data"].clone()
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|e| e["id"].as_str().expect("id").to_owned())
        .collect()
}

/// `implementations(instrument:)` finds `agency`, through `via` (empty for direct).
fn check_implementation(instrument: &str, agency: &str, via: &[&str]) {
    let d = data(
        "query($i: ID) { implementations(instrument: $i) { agency { id } instrument { id } type via { id } evidence { section quote } } }",
        json!({ "i": instrument }),
    );
    let rows = d["implementations"].as_array().expect("rows");
    assert!(!rows.is_empty(), "{instrument} has implementers");
    for row in rows {
        assert_eq!(row["instrument"]["id"], instrument);
        assert!(matches!(
            row["type"].as_str(),
            Some("IMPLEMENTS" | "GOVERNED_BY")
        ));
        let evidence = row["evidence"].as_array().expect("evidence");
        // One evidence item at least per relation involved.
        assert!(evidence.len() > row["via"].as_array().expect("via").len());
        assert!(evidence
            .iter()
            .all(|e| !e["quote"].as_str().unwrap().is_empty()));
    }
    assert!(
        rows.iter()
            .any(|r| r["agency"]["id"] == agency && ids(&r["via"]) == via),
        "{agency} via {via:?} acts on {instrument}: {rows:?}"
    );
}

#[test]
fn implementations_of_the_migration_code() {
    check_implementation(
        "law:migration-code",
        "institution:state-migration-service",
        &[],
    );
    // The Public Council is PART_OF the State Migration Service (3.1).
    check_implementation(
        "law:migration-code",
        "institution:public-council",
        &["institution:state-migration-service"],
    );
    let all = data(
        "{ implementations(first: 500) { agency { id } instrument { id } type } }",
        json!({}),
    );
    let rows = all["implementations"].as_array().expect("rows");
    assert!(rows.len() >= 20, "every IMPLEMENTS and GOVERNED_BY pair");
    let by_agency = data(
        r#"{ implementations(agency: "institution:state-migration-service") { agency { id } } }"#,
        json!({}),
    );
    for row in by_agency["implementations"].as_array().expect("rows") {
        assert_eq!(row["agency"]["id"], "institution:state-migration-service");
    }
}

/// The partners Azerbaijan is linked to in a network, with the weights.
fn aze_partners(arguments: &str) -> Vec<(String, i64, Vec<String>)> {
    // GraphQL has no empty argument list: `f()` does not parse.
    let arguments = if arguments.is_empty() {
        String::new()
    } else {
        format!("({arguments})")
    };
    let d = data(
        &format!(
            "{{ partnershipNetwork{arguments} {{ nodes {{ entity {{ id }} degree agreements }} edges {{ source {{ id }} target {{ id }} weight via {{ id }} }} }} }}"
        ),
        json!({}),
    );
    let network = &d["partnershipNetwork"];
    let nodes = network["nodes"].as_array().expect("nodes");
    let edges = network["edges"].as_array().expect("edges");
    for edge in edges {
        assert_eq!(
            edge["weight"].as_i64(),
            Some(edge["via"].as_array().expect("via").len() as i64)
        );
    }
    if let Some(aze) = nodes.iter().find(|n| n["entity"]["id"] == "country:AZE") {
        let linked = edges
            .iter()
            .filter(|e| e["source"]["id"] == "country:AZE" || e["target"]["id"] == "country:AZE")
            .count();
        assert_eq!(aze["degree"].as_i64(), Some(linked as i64));
    }
    let mut out: Vec<(String, i64, Vec<String>)> = edges
        .iter()
        .filter_map(|e| {
            let (s, t) = (e["source"]["id"].as_str()?, e["target"]["id"].as_str()?);
            let other = match (s, t) {
                ("country:AZE", o) | (o, "country:AZE") => o,
                _ => return None,
            };
            Some((other.to_owned(), e["weight"].as_i64()?, ids(&e["via"])))
        })
        .collect();
    out.sort();
    out
}

/// Azerbaijan is linked to each of `linked` and to none of `absent`.
fn check_network(arguments: &str, linked: &[&str], absent: &[&str]) {
    let partners = aze_partners(arguments);
    let names: HashSet<&str> = partners.iter().map(|(p, _, _)| p.as_str()).collect();
    for country in linked {
        assert!(
            names.contains(country),
            "{arguments}: AZE–{country} in {partners:?}"
        );
    }
    for country in absent {
        assert!(
            !names.contains(country),
            "{arguments}: no AZE–{country} in {partners:?}"
        );
    }
}

/// The partners of the nine pension agreements (1.2), with their years.
const PENSION_PARTNERS: &[(&str, i32)] = &[
    ("country:GEO", 1993),
    ("country:KAZ", 1996),
    ("country:UKR", 1996),
    ("country:UZB", 1996),
    ("country:KGZ", 1997),
    ("country:MDA", 1997),
    ("country:BLR", 2016),
    ("country:BGR", 2019),
    ("country:RUS", 2022),
];

#[test]
fn pension_network_links_azerbaijan_to_its_partners() {
    let all: Vec<&str> = PENSION_PARTNERS.iter().map(|(c, _)| *c).collect();
    check_network(r#"topic: "pension""#, &all, &[]);
    for (_, _, via) in aze_partners(r#"topic: "Pension""#) {
        assert!(via.iter().all(|a| a.contains("pension")), "{via:?}");
    }
    let before_2000: Vec<&str> = PENSION_PARTNERS
        .iter()
        .filter(|(_, y)| *y < 2000)
        .map(|(c, _)| *c)
        .collect();
    let later: Vec<&str> = PENSION_PARTNERS
        .iter()
        .filter(|(_, y)| *y >= 2000)
        .map(|(c, _)| *c)
        .collect();
    check_network(r#"topic: "pension", asOf: 2000"#, &before_2000, &later);
    check_network(r#"topic: "pension", until: 1999"#, &before_2000, &later);
    check_network(r#"topic: "pension", since: 2016"#, &later, &before_2000);
    check_network(r#"topic: "no such topic at all""#, &[], &all);
    // Without a topic, every agreement and process counts: the pension partners stay linked.
    check_network("", &all, &[]);
}

#[test]
fn paths_come_shortest_first_and_distinct() {
    for (from, to) in [
        ("institution:public-council", "law:migration-code"),
        ("country:GEO", "law:migration-code"),
        ("country:AZE", "international-organization:iom"),
    ] {
        let d = data(
            "query($f: ID!, $t: ID!) { path(from: $f, to: $t) { length } paths(from: $f, to: $t, limit: 12) { length entities { id } relations { id source { id } target { id } evidence { quote } } } }",
            json!({ "f": from, "t": to }),
        );
        let paths = d["paths"].as_array().expect("paths");
        assert!(!paths.is_empty() && paths.len() <= 12, "{from} -> {to}");
        assert_eq!(
            paths[0]["length"], d["path"]["length"],
            "the first is a shortest path"
        );
        let mut seen = HashSet::new();
        let mut last = 0;
        for path in paths {
            let length = path["length"].as_i64().expect("length");
            assert!(length >= last, "nondecreasing length");
            last = length;
            let entities = ids(&path["entities"]);
            assert_eq!(entities.len() as i64, length + 1);
            assert_eq!(
                (entities[0].as_str(), entities.last().unwrap().as_str()),
                (from, to)
            );
            assert_eq!(
                entities.iter().collect::<HashSet<_>>().len(),
                entities.len(),
                "simple"
            );
            assert!(seen.insert(entities.clone()), "distinct entity sequences");
            for (i, hop) in path["relations"]
                .as_array()
                .expect("hops")
                .iter()
                .enumerate()
            {
                let ends = [hop["source"]["id"].as_str(), hop["target"]["id"].as_str()];
                assert!(ends.contains(&Some(entities[i].as_str())));
                assert!(ends.contains(&Some(entities[i + 1].as_str())));
                assert!(!hop["evidence"].as_array().expect("evidence").is_empty());
            }
        }
    }
    // Pension agreements did not exist in 1990: no path through them then.
    let d = data(
        r#"{ paths(from: "country:GEO", to: "country:AZE", asOf: 1990, types: [PARTY_TO]) { length } }"#,
        json!({}),
    );
    assert_eq!(d["paths"], json!([]));
}

#[test]
fn a_server_answers_centrality_only_once_it_is_warmed_up() {
    let graph =
        std::sync::Arc::new(govgraph_graph::Graph::build(govgraph_tests::default_dataset()).0);
    let limits = govgraph_api::Limits {
        centrality_warmed_up: true,
        ..Default::default()
    };
    let schema = govgraph_api::schema(graph.clone(), limits);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let ask = || {
        let request = async_graphql::Request::new(
            "{ centrality(measure: CLOSENESS, first: 3) { entity { id } } }",
        );
        serde_json::to_value(runtime.block_on(schema.execute(request))).expect("json")
    };
    let cold = ask();
    assert_eq!(
        cold["errors"][0]["extensions"]["code"], "WARMING_UP",
        "{cold}"
    );
    assert!(
        !graph.centrality_ready(govgraph_graph::Measure::Closeness),
        "asking computed nothing"
    );
    graph.warm_centrality();
    let warm = ask();
    assert!(warm.get("errors").is_none(), "{warm}");
    let on_demand = data(
        "{ centrality(measure: CLOSENESS, first: 3) { entity { id } } }",
        json!({}),
    );
    assert_eq!(warm["data"], on_demand);
}

#[test]
fn centrality_ranks_best_first() {
    for measure in ["DEGREE", "BETWEENNESS", "CLOSENESS", "PAGERANK"] {
        let d = data(
            &format!("{{ all: centrality(measure: {measure}, first: 15) {{ entity {{ id kind }} score }} countries: centrality(measure: {measure}, kinds: [COUNTRY], first: 3) {{ entity {{ id kind }} score }} }}"),
            json!({}),
        );
        let all = d["all"].as_array().expect("ranked");
        assert_eq!(all.len(), 15, "{measure}");
        let scores: Vec<f64> = all.iter().map(|r| r["score"].as_f64().unwrap()).collect();
        assert!(
            scores.windows(2).all(|w| w[0] >= w[1]),
            "{measure}: {scores:?}"
        );
        assert!(scores.iter().all(|s| s.is_finite() && *s >= 0.0));
        let countries = d["countries"].as_array().expect("ranked");
        assert!(countries.iter().all(|r| r["entity"]["kind"] == "COUNTRY"));
        if measure != "PAGERANK" {
            // Azerbaijan is party to every agreement of its own profile.
            assert_eq!(countries[0]["entity"]["id"], "country:AZE", "{measure}");
        }
    }
}

#[test]
fn timeline_buckets_entities_and_relations_by_year() {
    let d = data(
        "{ timeline(from: 1990, to: 2023) { year entities { year } relations { since } } }",
        json!({}),
    );
    let buckets = d["timeline"].as_array().expect("buckets");
    assert!(buckets.len() > 5);
    let years: Vec<i64> = buckets
        .iter()
        .map(|b| b["year"].as_i64().unwrap())
        .collect();
    assert!(
        years.windows(2).all(|w| w[0] < w[1]) && years[0] >= 1990 && *years.last().unwrap() <= 2023
    );
    for bucket in buckets {
        let year = &bucket["year"];
        assert!(bucket["entities"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| &e["year"] == year));
        assert!(bucket["relations"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| &r["since"] == year));
    }
    let agreements = data(
        "{ timeline(kinds: [AGREEMENT]) { year entities { kind } } }",
        json!({}),
    );
    let pension_year = agreements["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["year"] == 1993)
        .expect("the Georgia pension agreement (1993)");
    assert!(pension_year["entities"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["kind"] == "AGREEMENT"));
}

#[test]
fn stats_count_agreements_per_country() {
    let d = data(
        "{ stats { agreementsByCountry { country { id kind } count } } }",
        json!({}),
    );
    let counts = d["stats"]["agreementsByCountry"]
        .as_array()
        .expect("counts");
    assert_eq!(counts[0]["country"]["id"], "country:AZE");
    assert!(
        counts[0]["count"].as_i64().unwrap() >= 9,
        "at least the pension agreements"
    );
    let values: Vec<i64> = counts
        .iter()
        .map(|c| c["count"].as_i64().unwrap())
        .collect();
    assert!(values.windows(2).all(|w| w[0] >= w[1]) && values.iter().all(|v| *v > 0));
    for (country, _) in PENSION_PARTNERS {
        assert!(
            counts.iter().any(|c| c["country"]["id"] == *country),
            "{country}"
        );
    }
}

/// Element names of an XML document, in order, after checking it is well-formed.
fn xml_elements(text: &str) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut names = Vec::new();
    let mut depth = 0i32;
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                depth += 1;
                names.push(String::from_utf8(e.name().as_ref().to_vec()).unwrap());
            }
            Event::Empty(e) => names.push(String::from_utf8(e.name().as_ref().to_vec()).unwrap()),
            Event::End(_) => depth -= 1,
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0, "every element is closed");
    names
}

/// Exports in `format` around `center` (whole graph when None) and checks the result.
fn check_export(format: &str, center: Option<&str>) {
    let d = data(
        "query($f: ExportFormat!, $c: ID) { export(format: $f, center: $c, depth: 1) }",
        json!({ "f": format, "c": center }),
    );
    let text = d["export"].as_str().expect("a string");
    let (nodes, edges) = match format {
        "GRAPHML" | "GEXF" => {
            let names = xml_elements(text);
            assert_eq!(
                names[0],
                if format == "GRAPHML" {
                    "graphml"
                } else {
                    "gexf"
                }
            );
            let count = |n: &str| names.iter().filter(|x| *x == n).count();
            (count("node"), count("edge"))
        }
        "CYTOSCAPE_JSON" => {
            let value: Value = serde_json::from_str(text).expect("JSON");
            (
                value["elements"]["nodes"].as_array().expect("nodes").len(),
                value["elements"]["edges"].as_array().expect("edges").len(),
            )
        }
        "DOT" => {
            assert!(text.starts_with("digraph"));
            check_with_graphviz(text);
            (
                text.lines()
                    .filter(|l| l.contains(" [label=") && !l.contains(" -> "))
                    .count(),
                text.matches(" -> ").count(),
            )
        }
        other => panic!("unknown format {other}"),
    };
    let g = default_graph();
    match center {
        None => assert_eq!(
            (nodes, edges),
            (g.entity_count(), g.relation_count()),
            "{format}"
        ),
        Some(_) => assert!(
            nodes > 1 && edges > 0 && nodes < g.entity_count(),
            "{format}"
        ),
    }
}

#[test]
fn exports_parse_in_every_format() {
    for format in ["GRAPHML", "GEXF", "CYTOSCAPE_JSON", "DOT"] {
        check_export(format, None);
        check_export(format, Some("country:GEO"));
    }
}

/// `query` fails with `code`, naming `needle`.
fn check_error(query: &str, code: &str, needle: &str) {
    let value = run(query, json!({}));
    let error = &value["errors"][0];
    assert_eq!(error["extensions"]["code"], code, "{query}: {value}");
    assert!(
        error["message"].as_str().expect("message").contains(needle),
        "{query}: {value}"
    );
}

#[test]
fn caps_answer_bad_user_input() {
    check_error(
        r#"{ paths(from: "country:AZE", to: "country:GEO", limit: 51) { length } }"#,
        "BAD_USER_INPUT",
        "limit",
    );
    check_error(
        r#"{ paths(from: "country:AZE", to: "country:GEO", maxDepth: 9) { length } }"#,
        "BAD_USER_INPUT",
        "maxDepth",
    );
    check_error(
        r#"{ paths(from: "country:AZE", to: "law:none") { length } }"#,
        "NOT_FOUND",
        "law:none",
    );
    check_error(
        "{ centrality(measure: DEGREE, first: 501) { score } }",
        "BAD_USER_INPUT",
        "first",
    );
    check_error(
        "{ implementations(first: 501) { type } }",
        "BAD_USER_INPUT",
        "first",
    );
    check_error(
        r#"{ implementations(instrument: "law:none") { type } }"#,
        "NOT_FOUND",
        "law:none",
    );
    check_error(
        r#"{ export(format: DOT, center: "country:AZE", depth: 5) }"#,
        "BAD_USER_INPUT",
        "depth",
    );
    check_error(
        r#"{ export(format: DOT, center: "country:XXX") }"#,
        "NOT_FOUND",
        "country:XXX",
    );
}

/// Graphviz's `dot` accepts `text`. Without dot a developer's run skips this
/// check; CI, which installs it, fails instead.
fn check_with_graphviz(text: &str) {
    use std::io::Write;
    let started = Command::new("dot")
        .arg("-Tcanon")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let missing = match &started {
        Ok(_) => Vec::new(),
        Err(e) => vec![format!("Graphviz's dot ({e})")],
    };
    if !govgraph_tests::tools::prerequisites_met("the DOT export check", &missing) {
        return;
    }
    let Ok(mut child) = started else {
        return;
    };
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(text.as_bytes())
        .expect("dot reads the text");
    let out = child.wait_with_output().expect("dot ends");
    assert!(
        out.status.success(),
        "dot: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `govgraph export` with `args` succeeds, on a store of the default data.
fn export_cli(args: &[&str], db: &std::path::Path) {
    if !db.exists() {
        govgraph_tests::govgraph_ok(&["import", "--db", govgraph_tests::arg(db)]);
    }
    let out = Command::new(govgraph_bin())
        .arg("export")
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .expect("govgraph runs");
    assert!(
        out.status.success(),
        "govgraph export {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn cli_export_writes_neo4j_csv_and_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("store");
    let csv_dir = dir.path().join("csv");
    export_cli(
        &["--format", "csv", "--out", csv_dir.to_str().unwrap()],
        &db,
    );
    // The columns neo4j-admin needs, as the files spell them.
    for (file, needed) in [
        ("nodes.csv", &["id:ID", ":LABEL"][..]),
        ("relationships.csv", &[":START_ID", ":END_ID", ":TYPE"][..]),
    ] {
        let mut reader = csv::Reader::from_path(csv_dir.join(file)).expect(file);
        let header = reader.headers().expect("header").clone();
        for column in needed {
            assert!(header.iter().any(|c| c == *column), "{file}: {header:?}");
        }
        let rows = reader
            .records()
            .inspect(|r| assert!(r.is_ok(), "{r:?}"))
            .count();
        assert!(rows > 100, "{file} has {rows} rows");
    }
    // Every relationship's ends are nodes.
    let nodes: BTreeSet<String> = csv::Reader::from_path(csv_dir.join("nodes.csv"))
        .unwrap()
        .records()
        .map(|r| r.unwrap()[0].to_owned())
        .collect();
    for row in csv::Reader::from_path(csv_dir.join("relationships.csv"))
        .unwrap()
        .records()
    {
        let row = row.unwrap();
        assert!(
            nodes.contains(&row[0]) && nodes.contains(&row[1]),
            "{row:?}"
        );
    }
    let graphml = dir.path().join("aze.graphml");
    export_cli(
        &[
            "--format",
            "graphml",
            "--center",
            "country:AZE",
            "--depth",
            "1",
            "--out",
            graphml.to_str().unwrap(),
        ],
        &db,
    );
    let names = xml_elements(&std::fs::read_to_string(&graphml).expect("written"));
    assert!(names.iter().filter(|n| *n == "node").count() > 10);
}
