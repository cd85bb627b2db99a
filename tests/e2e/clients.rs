//! Real GraphQL clients against a live server (tests/clients/): Python's `gql`
//! with schema fetching on, running the README's operations, graphql-core's full
//! introspection query, `/metrics` through prometheus_client's parser and the
//! compressed answers decoded; GraphQL Code Generator writing types for the
//! contract's operations from the live endpoint, `tsc` compiling code that uses
//! them, and graphql-request running operations from Node.
//!
//! `.ci/run` installs the pinned clients (tests/clients/requirements.txt and
//! package-lock.json); elsewhere a missing client skips with a message.

use govgraph_tests::tools::{missing_node_packages, prerequisites_met, run_to_success, runs};
use govgraph_tests::{default_graph, root, TestServer};
use std::process::Command;
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(180);

fn python_clients_missing() -> Vec<String> {
    if !runs("python3") {
        return vec!["python3".to_owned()];
    }
    let import = Command::new("python3")
        .args([
            "-c",
            "import gql, graphql, prometheus_client, brotli, zstandard, requests",
        ])
        .output();
    if import.is_ok_and(|o| o.status.success()) {
        Vec::new()
    } else {
        vec!["the Python clients (pip install -r tests/clients/requirements.txt)".to_owned()]
    }
}

#[test]
fn python_gql_and_the_standard_introspection_query() {
    if !prerequisites_met("the Python client test", &python_clients_missing()) {
        return;
    }
    let server = TestServer::start(default_graph());
    let out = run_to_success(
        Command::new("python3")
            .arg(root().join("tests/clients/clients.py"))
            .env("GOVGRAPH_URL", format!("http://{}", server.addr)),
        LIMIT,
    );
    assert!(out.contains("clients.py: all checks passed"), "{out}");
    assert!(
        out.contains("gql ran README"),
        "the README's operations ran: {out}"
    );
}

#[test]
fn codegen_types_compile_and_graphql_request_runs() {
    let dir = root().join("tests/clients");
    let missing = missing_node_packages(
        &dir,
        &[
            "@graphql-codegen/cli",
            "@graphql-codegen/typescript-operations",
            "typescript",
            "graphql-request",
        ],
    );
    if !prerequisites_met("the Node client test", &missing) {
        return;
    }
    let server = TestServer::start(default_graph());
    let url = format!("http://{}", server.addr);
    let generated = dir.join("generated/operations.ts");
    let _ = std::fs::remove_file(&generated);
    let bin = dir.join("node_modules/.bin");
    run_to_success(
        Command::new(bin.join("graphql-codegen"))
            .args(["--config", "codegen.yml"])
            .current_dir(&dir)
            .env("GOVGRAPH_URL", &url),
        LIMIT,
    );
    let types = std::fs::read_to_string(&generated).expect("codegen wrote the operations' types");
    for name in [
        "WhyConnectedQuery",
        "ImplementersQueryVariables",
        "EgoNetworkQuery",
        "PartyToPageQuery",
    ] {
        assert!(
            types.contains(&format!("export type {name} ")),
            "no type {name}"
        );
    }
    run_to_success(
        Command::new(bin.join("tsc"))
            .args(["-p", "tsconfig.json"])
            .current_dir(&dir),
        LIMIT,
    );
    let out = run_to_success(
        Command::new("node")
            .arg("request.mjs")
            .current_dir(&dir)
            .env("GOVGRAPH_URL", &url),
        LIMIT,
    );
    assert!(out.contains("request.mjs: all checks passed"), "{out}");
}
