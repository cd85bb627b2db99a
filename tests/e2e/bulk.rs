//! Bulk data: `govgraph synth` CSV -> streamed CSV import -> store -> index -> GraphQL,
//! and a malformed CSV line reported as file:line with the store left unchanged.

use govgraph_graph::Graph;
use govgraph_store::{CsvFiles, Store};
use govgraph_synth::{generate, Config};
use govgraph_tests::govgraph_bin;
use std::process::Command;
use std::sync::Arc;

#[test]
fn a_synthetic_csv_pair_round_trips_through_the_store() {
    let dir = tempfile::tempdir().expect("temp dir");
    let synthetic = generate(Config {
        entities: 3_000,
        relations: 12_000,
        seed: 11,
    });
    let (nodes, relationships) = synthetic.write_csv(&dir.path().join("csv")).expect("write");
    let db = dir.path().join("store");
    let files = CsvFiles {
        nodes: &nodes,
        relationships: &relationships,
    };
    let mut calls = 0;
    let meta = govgraph_store::import_csv(&db, files, "csv:test", &mut |done, total| {
        assert!(done <= total);
        calls += 1;
    })
    .expect("import");
    assert!(calls >= 2, "progress was reported");
    assert_eq!((meta.entities, meta.relations), (3_000, 12_000));
    let stored = Store::open(&db).expect("open").dataset().expect("read");
    assert_eq!(
        stored,
        synthetic.to_dataset(),
        "the store holds exactly the CSV"
    );

    let (graph, skipped) = Graph::build(stored);
    assert!(skipped.is_empty());
    let hub = govgraph_graph::EntityIx::all(graph.entity_count())
        .max_by_key(|&e| graph.degree(e))
        .expect("entities");
    let id = graph.entity(hub).id.clone();
    let schema = govgraph_api::schema(Arc::new(graph), Default::default());
    let query = format!("{{ entity(id: \"{id}\") {{ relations(first: 100) {{ totalCount edges {{ node {{ type }} }} }} }} }}");
    let response = tokio::runtime::Runtime::new()
        .expect("runtime")
        .block_on(schema.execute(query));
    assert!(response.errors.is_empty(), "{:?}", response.errors);
    let data = serde_json::to_value(response.data).expect("json");
    assert!(
        data["entity"]["relations"]["totalCount"]
            .as_i64()
            .unwrap_or(0)
            > 100
    );
}

#[test]
fn the_cli_reports_a_malformed_line_and_keeps_the_store() {
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = dir.path().join("csv");
    let synth = Command::new(govgraph_bin())
        .args([
            "synth",
            "--entities",
            "200",
            "--relations",
            "500",
            "--seed",
            "3",
            "--out",
        ])
        .arg(&csv)
        .output()
        .expect("synth runs");
    assert!(
        synth.status.success(),
        "{}",
        String::from_utf8_lossy(&synth.stderr)
    );
    let db = dir.path().join("store");
    let import = |nodes: &std::path::Path| {
        Command::new(govgraph_bin())
            .arg("import")
            .arg("--nodes")
            .arg(nodes)
            .arg("--relationships")
            .arg(csv.join("relationships.csv"))
            .arg("--db")
            .arg(&db)
            .output()
            .expect("import runs")
    };
    let good = import(&csv.join("nodes.csv"));
    assert!(
        good.status.success(),
        "{}",
        String::from_utf8_lossy(&good.stderr)
    );
    let before = Store::open(&db).expect("open").meta().clone();

    let text = std::fs::read_to_string(csv.join("nodes.csv")).expect("read");
    let mut lines: Vec<&str> = text.lines().collect();
    lines.insert(5, "law:broken,\"an unterminated name,LAW,1990,,Entity;Law");
    let bad = dir.path().join("bad-nodes.csv");
    std::fs::write(&bad, lines.join("\n")).expect("write");
    let failed = import(&bad);
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert_eq!(failed.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("bad-nodes.csv:6:"), "{stderr}");
    assert_eq!(
        Store::open(&db).expect("open").meta(),
        &before,
        "the store is unchanged"
    );
}
