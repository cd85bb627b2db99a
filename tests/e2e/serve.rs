//! `govgraph serve` as a user runs it: first run imports, later runs reuse the
//! store, a changed dataset is re-imported, and SIGTERM stops it cleanly.

use govgraph_tests::govgraph_bin;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// Starts `govgraph serve` on an ephemeral port; returns the child and its address.
fn start(db: &Path, data: Option<&Path>) -> (Child, String) {
    let mut command = Command::new(govgraph_bin());
    command
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(db)
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(data) = data {
        command.arg("--data").arg(data);
    }
    let mut child = command.spawn().expect("spawn serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("the server announces itself");
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("an address in the banner")
        .trim_end_matches('/')
        .to_owned();
    (child, url)
}

/// Sends SIGTERM and expects a clean exit.
fn stop(mut child: Child) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let exit = child.wait().expect("wait");
    assert!(exit.success(), "serve exited with {exit:?} after SIGTERM");
}

fn current_generation(db: &Path) -> String {
    std::fs::read_to_string(db.join("CURRENT")).expect("CURRENT")
}

fn entity_count(url: &str) -> u64 {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let health: serde_json::Value = runtime.block_on(async {
        reqwest::get(format!("{url}/health"))
            .await
            .expect("health")
            .json()
            .await
            .expect("json")
    });
    health["entities"].as_u64().expect("count")
}

#[test]
fn serve_imports_once_reuses_the_store_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("store");

    let (child, url) = start(&db, None);
    let first_count = entity_count(&url);
    assert!(first_count > 0);
    stop(child);
    let generation = current_generation(&db);

    let (child, url) = start(&db, None);
    assert_eq!(entity_count(&url), first_count);
    stop(child);
    assert_eq!(
        current_generation(&db),
        generation,
        "an unchanged dataset is not re-imported"
    );

    // A data folder whose content differs is imported on start.
    let data = dir.path().join("data");
    govgraph_tests::copy_data_dir(&data, |_| true);
    std::fs::write(
        data.join("zz-extra.toml"),
        "[[entity]]\nid = \"topic:an-extra-topic\"\nkind = \"TOPIC\"\nname = \"An extra topic\"\n",
    )
    .expect("extra");
    let (child, url) = start(&db, Some(&data));
    assert_eq!(entity_count(&url), first_count + 1);
    stop(child);
    assert_ne!(current_generation(&db), generation);
}

#[test]
fn a_server_never_replaces_the_data_another_server_answers_from() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("store");
    let (first, url) = start(&db, None);
    let count = entity_count(&url);
    let generation = current_generation(&db);

    // A second server with the same data shares the store.
    let (second, second_url) = start(&db, None);
    assert_eq!(entity_count(&second_url), count);

    // One with other data would overwrite it: refused, nothing changed.
    let data = dir.path().join("data");
    govgraph_tests::copy_data_dir(&data, |_| true);
    std::fs::write(
        data.join("zz-extra.toml"),
        "[[entity]]\nid = \"topic:another-topic\"\nkind = \"TOPIC\"\nname = \"Another topic\"\n",
    )
    .expect("extra");
    let refused = govgraph_tests::govgraph(&[
        "serve",
        "--addr",
        "127.0.0.1:0",
        "--db",
        govgraph_tests::arg(&db),
        "--data",
        govgraph_tests::arg(&data),
    ]);
    assert_eq!(refused.code, Some(4), "{}", refused.stderr);
    assert!(
        refused.stderr.contains("another running `govgraph serve`"),
        "{}",
        refused.stderr
    );
    assert_eq!(current_generation(&db), generation);
    assert_eq!(entity_count(&url), count);
    stop(second);
    stop(first);
}

/// One probe of a reloading server: the entity count and whether the probe
/// entity exists, read in one request.
async fn probe(client: &reqwest::Client, url: &str, id: &str) -> Result<(u64, bool), String> {
    let body = serde_json::json!({
        "query": "query($id: ID!) { stats { entities } entity(id: $id) { id } }",
        "variables": { "id": id },
    });
    let response = client
        .post(format!("{url}/graphql"))
        .json(&body)
        .send()
        .await
        .map_err(|e| format!("request failed: {e}"))?;
    let status = response.status();
    let value: serde_json::Value = response
        .json()
        .await
        .map_err(|e| format!("not JSON: {e}"))?;
    if !status.is_success() || value.get("errors").is_some() {
        return Err(format!("{status}: {value}"));
    }
    let entities = value["data"]["stats"]["entities"]
        .as_u64()
        .ok_or_else(|| format!("no count: {value}"))?;
    Ok((entities, !value["data"]["entity"].is_null()))
}

#[test]
fn an_import_into_a_served_store_is_served_without_dropping_a_request() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("store");
    let (child, url) = start(&db, None);
    let before = entity_count(&url);
    let probe_id = "topic:a-reload-probe";

    // A client asks without pause while the import runs and the server swaps.
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let client = {
        let (done, url) = (done.clone(), url.clone());
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Runtime::new().expect("runtime");
            let client = reqwest::Client::new();
            let mut answers = Vec::new();
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                answers.push(runtime.block_on(probe(&client, &url, probe_id)));
            }
            answers
        })
    };
    let data = dir.path().join("data");
    govgraph_tests::copy_data_dir(&data, |_| true);
    std::fs::write(
        data.join("zz-probe.toml"),
        format!("[[entity]]\nid = \"{probe_id}\"\nkind = \"TOPIC\"\nname = \"A reload probe\"\n"),
    )
    .expect("probe");
    govgraph_tests::govgraph_ok(&[
        "import",
        "--data",
        govgraph_tests::arg(&data),
        "--db",
        govgraph_tests::arg(&db),
    ]);
    // The swap follows within the watcher's poll; the bound only guards a hang.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while entity_count(&url) != before + 1 {
        assert!(
            std::time::Instant::now() < deadline,
            "the server never picked up the import"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let answers = client.join().expect("client");
    assert!(!answers.is_empty());
    for answer in &answers {
        match answer {
            // Each answer is wholly the old dataset or wholly the new one.
            Ok((n, false)) if *n == before => {}
            Ok((n, true)) if *n == before + 1 => {}
            other => panic!("a request failed or saw a mix: {other:?}"),
        }
    }
    // Nothing reads the first generation any more: the next import removes it.
    govgraph_tests::govgraph_ok(&["import", "--db", govgraph_tests::arg(&db)]);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while entity_count(&url) != before {
        assert!(
            std::time::Instant::now() < deadline,
            "the second import was never served"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let generations = std::fs::read_dir(&db)
        .expect("store")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().starts_with("gen-"))
        })
        .count();
    assert!(generations <= 2, "{generations} generations kept");
    stop(child);
}
