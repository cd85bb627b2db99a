//! The HTTP surface: routes, limits and clean errors, in process; and what only
//! a real socket shows (a connection cut off).

use govgraph_tests::in_process::InProcess;
use govgraph_tests::{default_graph, TestServer};
use serde_json::json;
use std::io::{Read, Write};
use std::time::Duration;

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

fn app() -> InProcess {
    InProcess::new(govgraph_server::AppState::new(default_graph()))
}

/// The first error message of a GraphQL answer.
fn first_error(answer: &govgraph_tests::in_process::Answer) -> String {
    answer.json()["errors"][0]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("an error: {}", answer.body))
        .to_owned()
}

#[test]
fn limits_and_malformed_requests() {
    let app = app();
    // An oversized body is refused before it is read whole.
    let padding = "x".repeat(govgraph_server::MAX_BODY_BYTES + 1);
    let answer =
        app.post_json(json!({ "query": "{ stats { entities } }", "pad": padding }).to_string());
    assert_eq!(answer.status, 413, "{}", answer.body);

    // Malformed JSON: 400, a message, nothing internal.
    let answer = app.post_json("{\"query\": ");
    assert_eq!(answer.status, 400);
    assert!(answer.body.contains("not valid JSON"), "{}", answer.body);
    assert_clean(&answer.body);

    // A batch is refused.
    let batch =
        json!([{ "query": "{ stats { entities } }" }, { "query": "{ stats { relations } }" }]);
    let answer = app.post_json(batch.to_string());
    assert_eq!(answer.status, 400);
    assert!(
        answer.body.contains("batched requests are not supported"),
        "{}",
        answer.body
    );

    // Too deep.
    let deep = "{ entity(id: \"country:AZE\") { relations(first: 1) { edges { node { source { relations(first: 1) { edges { node { target { relations(first: 1) { edges { node { id } } } } } } } } } } } } }";
    let answer = app.post_json(json!({ "query": deep }).to_string());
    assert_eq!(answer.status, 200);
    assert!(
        first_error(&answer).contains("nested too deep"),
        "{}",
        answer.body
    );

    // Too complex: wide pages inside wide pages.
    let complex = "{ entities(first: 500) { edges { node { relations(first: 500) { edges { node { id } } } } } } }";
    let answer = app.post_json(json!({ "query": complex }).to_string());
    assert!(
        first_error(&answer).contains("too complex"),
        "{}",
        answer.body
    );

    // Too many directives.
    let directives = " @include(if: true)".repeat(12);
    let query = format!("{{ stats {{ entities{directives} }} }}");
    let answer = app.post_json(json!({ "query": query }).to_string());
    assert!(
        first_error(&answer).contains("directives"),
        "{}",
        answer.body
    );

    // A request that is not a GraphQL request.
    let answer = app.post_json("{\"variables\": {}}");
    assert_eq!(answer.status, 400);
    assert_clean(&answer.body);
}

#[test]
fn get_runs_queries_but_never_mutations() {
    let app = app();
    let answer = app.get_with(
        "/graphql",
        &[("query", "{ entity(id: \"country:AZE\") { name } }")],
    );
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json()["data"]["entity"]["name"], "Azerbaijan");
    let answer = app.get_with("/graphql", &[("query", "mutation { anything }")]);
    assert_eq!(answer.status, 405);
    assert_eq!(app.get("/graphql").status, 400);
}

#[test]
fn health_and_an_offline_console() {
    let app = app();
    let health = app.get("/health").json();
    assert_eq!(health["status"], "ok");
    assert_eq!(
        health["entities"].as_u64(),
        Some(default_graph().entity_count() as u64)
    );
    let page = app.get("/").body;
    // Whichever console the build has, it queries this server...
    let script = if govgraph_server::console_kind() == "graphiql" {
        app.get("/console/console.js").body
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
