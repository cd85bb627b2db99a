//! The HTTP surface over a real socket: routes, limits and clean errors.

use govgraph_tests::{default_graph, TestServer};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::time::Duration;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().expect("runtime")
}

/// Sends a POST with a raw body and returns the status and the body text.
async fn post_raw(server: &TestServer, body: impl Into<reqwest::Body>) -> (u16, String) {
    let response = reqwest::Client::new()
        .post(server.graphql_url())
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

/// No Rust internals, paths or panics in what a client sees.
fn assert_clean(text: &str) {
    for leak in [
        "panicked",
        "src/",
        ".rs:",
        "RUST_BACKTRACE",
        "Error {",
        "Some(",
        "thread '",
    ] {
        assert!(!text.contains(leak), "the response leaks `{leak}`: {text}");
    }
}

#[test]
fn limits_and_malformed_requests() {
    let server = TestServer::start(default_graph());
    runtime().block_on(async {
        // An oversized body is refused before it is read whole.
        let padding = "x".repeat(govgraph_server::MAX_BODY_BYTES + 1);
        let (status, body) = post_raw(&server, json!({ "query": "{ stats { entities } }", "pad": padding }).to_string()).await;
        assert_eq!(status, 413, "{body}");

        // Malformed JSON: 400, a message, nothing internal.
        let (status, body) = post_raw(&server, "{\"query\": ").await;
        assert_eq!(status, 400);
        assert!(body.contains("not valid JSON"), "{body}");
        assert_clean(&body);

        // A batch is refused.
        let batch = json!([{ "query": "{ stats { entities } }" }, { "query": "{ stats { relations } }" }]).to_string();
        let (status, body) = post_raw(&server, batch).await;
        assert_eq!(status, 400);
        assert!(body.contains("batched requests are not supported"), "{body}");

        // Too deep.
        let deep = "{ entity(id: \"country:AZE\") { relations(first: 1) { edges { node { source { relations(first: 1) { edges { node { target { relations(first: 1) { edges { node { id } } } } } } } } } } } } }";
        let (status, body) = post_raw(&server, json!({ "query": deep }).to_string()).await;
        assert_eq!(status, 200);
        let value: Value = serde_json::from_str(&body).expect("json");
        assert!(value["errors"][0]["message"].as_str().expect("message").contains("nested too deep"), "{body}");

        // Too complex: wide pages inside wide pages.
        let complex = "{ entities(first: 500) { edges { node { relations(first: 500) { edges { node { id } } } } } } }";
        let (_, body) = post_raw(&server, json!({ "query": complex }).to_string()).await;
        let value: Value = serde_json::from_str(&body).expect("json");
        assert!(value["errors"][0]["message"].as_str().expect("message").contains("too complex"), "{body}");

        // Too many directives.
        let directives = " @include(if: true)".repeat(12);
        let query = format!("{{ stats {{ entities{directives} }} }}");
        let (_, body) = post_raw(&server, json!({ "query": query }).to_string()).await;
        let value: Value = serde_json::from_str(&body).expect("json");
        assert!(value["errors"][0]["message"].as_str().expect("message").contains("directives"), "{body}");

        // A request that is not a GraphQL request.
        let (status, body) = post_raw(&server, "{\"variables\": {}}").await;
        assert_eq!(status, 400);
        assert_clean(&body);
    });
}

#[test]
fn get_runs_queries_but_never_mutations() {
    let server = TestServer::start(default_graph());
    runtime().block_on(async {
        let client = reqwest::Client::new();
        let response = client
            .get(server.graphql_url())
            .query(&[("query", "{ entity(id: \"country:AZE\") { name } }")])
            .send()
            .await
            .expect("get");
        assert_eq!(response.status(), 200);
        let value: Value = response.json().await.expect("json");
        assert_eq!(value["data"]["entity"]["name"], "Azerbaijan");

        let response = client
            .get(server.graphql_url())
            .query(&[("query", "mutation { anything }")])
            .send()
            .await
            .expect("get");
        assert_eq!(response.status(), 405);

        let response = client.get(server.graphql_url()).send().await.expect("get");
        assert_eq!(response.status(), 400);
    });
}

#[test]
fn health_and_an_offline_console() {
    let server = TestServer::start(default_graph());
    runtime().block_on(async {
        let client = reqwest::Client::new();
        let health: Value = client
            .get(format!("http://{}/health", server.addr))
            .send()
            .await
            .expect("health")
            .json()
            .await
            .expect("json");
        assert_eq!(health["status"], "ok");
        assert_eq!(
            health["entities"].as_u64(),
            Some(default_graph().entity_count() as u64)
        );
        let page = client
            .get(format!("http://{}/", server.addr))
            .send()
            .await
            .expect("console")
            .text()
            .await
            .expect("html");
        // Whichever console the build has, it queries this server...
        let script = if govgraph_server::console_kind() == "graphiql" {
            client
                .get(format!("http://{}/console/console.js", server.addr))
                .send()
                .await
                .expect("console script")
                .text()
                .await
                .expect("script")
        } else {
            page.clone()
        };
        assert!(
            script.contains("fetch('/graphql'") || script.contains("url: '/graphql'"),
            "the console queries this server"
        );
        // ...and loads nothing from elsewhere: every src and href is a path here.
        for attribute in ["src=\"", "href=\""] {
            for value in page.split(attribute).skip(1) {
                assert!(
                    value.starts_with('/'),
                    "the console links {attribute}{value:.40}"
                );
            }
        }
    });
}

#[test]
fn slow_headers_are_cut_off() {
    // The test server's header-read timeout is one second.
    let server = TestServer::start(default_graph());
    let mut stream = std::net::TcpStream::connect(server.addr).expect("connect");
    stream
        .write_all(b"POST /graphql HTTP/1.1\r\nHost: x\r\n")
        .expect("partial headers");
    // Only a guard against hanging: a closed connection ends the read first.
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    let mut buffer = Vec::new();
    let read = stream.read_to_end(&mut buffer);
    assert!(
        read.is_ok(),
        "the server kept a connection with unfinished headers open: {read:?}"
    );
}
