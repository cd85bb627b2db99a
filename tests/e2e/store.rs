//! Files -> sled -> reopen -> index -> GraphQL gives the same graph as the files.

use govgraph_graph::Graph;
use govgraph_store::{Store, StoredIndex};
use govgraph_tests::{arg, default_dataset, default_graph};
use std::sync::Arc;

#[test]
fn import_reopen_and_serve() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("store");
    let dataset = default_dataset();
    let meta = govgraph_store::import(&db, &dataset, "test", &mut |_, _| {}).expect("import");
    assert_eq!(meta.entities, dataset.entities.len());
    assert_eq!(meta.relations, dataset.relations.len());
    assert_eq!(meta.fingerprint, govgraph_store::fingerprint(&dataset));

    let reopened = Store::open(&db).expect("reopen");
    let stored = reopened.dataset().expect("read back");
    assert_eq!(
        stored, dataset,
        "the store gives back exactly what was imported"
    );
    assert!(reopened.entity("country:AZE").expect("read").is_some());
    let graph = Arc::new(Graph::build(stored).0);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let query = "{ entity(id: \"law:migration-code\") { name relations(first: 100) { totalCount edges { node { id type } } } } }";
    let from_store =
        runtime.block_on(govgraph_api::schema(graph, Default::default()).execute(query));
    let from_files =
        runtime.block_on(govgraph_api::schema(default_graph(), Default::default()).execute(query));
    assert!(from_store.errors.is_empty());
    assert_eq!(
        serde_json::to_value(from_store.data).expect("json"),
        serde_json::to_value(from_files.data).expect("json")
    );
}

#[test]
fn reimport_replaces_the_dataset_whole() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("store");
    let full = default_dataset();
    let mut smaller = full.clone();
    smaller.relations.truncate(10);
    let keep: std::collections::HashSet<&str> = smaller
        .relations
        .iter()
        .flat_map(|r| [r.source.as_str(), r.target.as_str()])
        .collect();
    smaller.entities.retain(|e| keep.contains(e.id.as_str()));
    govgraph_store::import(&db, &full, "full", &mut |_, _| {}).expect("first import");
    govgraph_store::import(&db, &smaller, "smaller", &mut |_, _| {}).expect("second import");
    let store = Store::open(&db).expect("open");
    assert_eq!(store.dataset().expect("read"), smaller);
    assert_eq!(store.meta().source, "smaller");
    let generations = std::fs::read_dir(&db)
        .expect("list")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("gen-"))
        .count();
    assert_eq!(generations, 1, "the replaced generation is removed");
}

#[test]
fn a_missing_store_says_how_to_create_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let error = Store::open(&dir.path().join("nothing-here"))
        .err()
        .expect("no store");
    let message = error.to_string();
    assert!(
        message.contains("nothing-here") && message.contains("govgraph import"),
        "{message}"
    );
}

#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    use std::io::Read;
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("store");
    govgraph_tests::govgraph_ok(&["import", "--db", govgraph_tests::arg(&db)]);
    // The whole graph as GraphML is far more than a pipe holds, so the writer
    // meets the closed pipe mid-way, as under `govgraph export … | head`.
    let mut child = std::process::Command::new(govgraph_tests::govgraph_bin())
        .args([
            "export",
            "--format",
            "graphml",
            "--db",
            govgraph_tests::arg(&db),
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("govgraph runs");
    let mut start = [0u8; 64];
    child
        .stdout
        .take()
        .expect("stdout")
        .read_exact(&mut start)
        .expect("the export begins");
    let out = child.wait_with_output().expect("govgraph ends");
    assert!(String::from_utf8_lossy(&start).starts_with("<?xml"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The answers of a few queries over `graph`, as JSON.
fn answers(graph: Arc<Graph>) -> Vec<serde_json::Value> {
    let schema = govgraph_api::schema(graph, Default::default());
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    [
        "{ stats { entities relations } }",
        "{ search(query: \"migration servce\", first: 5) { id } }",
        "{ neighborhood(id: \"law:migration-code\", depth: 2) { entities { id } relations { id } } }",
        "{ paths(from: \"country:AZE\", to: \"law:migration-code\", limit: 3, maxDepth: 4) { length } }",
    ]
    .iter()
    .map(|query| {
        let response = runtime.block_on(schema.execute(*query));
        assert!(response.errors.is_empty(), "{query}: {:?}", response.errors);
        serde_json::to_value(response.data).expect("json")
    })
    .collect()
}

/// An import stores the graph's index beside the records; a reader gets it
/// back and answers as the graph built from the files does. A damaged index is
/// never served: the graph is built from the records instead.
#[test]
fn a_store_opens_from_its_index_and_never_serves_a_damaged_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("store");
    let data = govgraph_tests::data_dir();
    govgraph_tests::govgraph_ok(&["import", "--data", arg(&data), "--db", arg(&db)]);
    let expected = answers(default_graph());

    let store = Store::open(&db).expect("open");
    let StoredIndex::Ready(index) = store.index().expect("readable") else {
        panic!("the import stored no index")
    };
    let from_index = index
        .decode(Graph::read_index)
        .expect("the index reads")
        .expect("the index decodes");
    assert_eq!(answers(Arc::new(from_index)), expected);
    let index = db.join(store.generation()).join("index");
    drop(store);

    let query = [
        "query",
        "{ stats { entities relations } }",
        "--db",
        arg(&db),
    ];
    let before = govgraph_tests::govgraph_ok(&query);
    let mut damaged = std::fs::read(&index).expect("the index file");
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0x55;
    std::fs::write(&index, &damaged).expect("damage it");
    let store = Store::open(&db).expect("open");
    match store.index().expect("readable") {
        StoredIndex::Ready(index) => {
            let why = index
                .decode(|payload, len| Graph::read_index(payload, len).map(|_| ()))
                .expect("the index reads")
                .expect_err("a damaged index is refused");
            assert!(why.contains("damaged"), "{why}");
        }
        other => panic!("the damaged index is not there: {other:?}"),
    }
    drop(store);
    let rebuilt = govgraph_tests::govgraph(&query);
    assert_eq!(rebuilt.code, Some(0), "{}", rebuilt.stderr);
    assert_eq!(rebuilt.stdout, before);
    assert!(
        rebuilt
            .stderr
            .contains("not using the store's persisted index (damaged"),
        "the user is told why the graph was rebuilt: {}",
        rebuilt.stderr
    );
}
