//! Hostile and unlucky input refused quickly and clearly, without stalling
//! anyone: HTTP details (Content-Type, JSON 413s, clipped parse errors),
//! bounded search, bounded answers, introspection switched off, idle and
//! excess connections closed, and read commands that never create a store.

use govgraph_api::Limits;
use govgraph_server::{AppState, ServeOptions};
use govgraph_tests::{arg, default_graph, govgraph, govgraph_ok, TestServer};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().expect("runtime")
}

/// Status and JSON body of a POST with `content_type` (none when `None`).
async fn post(server: &TestServer, content_type: Option<&str>, body: String) -> (u16, Value) {
    let mut request = reqwest::Client::new().post(server.graphql_url()).body(body);
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}")),
    )
}

fn message(body: &Value) -> &str {
    body["errors"][0]["message"].as_str().unwrap_or_default()
}

#[test]
fn http_details_are_strict_and_answered_in_json() {
    let server = TestServer::start(default_graph());
    let query = json!({ "query": "{ stats { entities } }" }).to_string();
    runtime().block_on(async {
        let (status, body) = post(&server, None, query.clone()).await;
        assert_eq!(status, 415, "{body}");
        assert!(message(&body).contains("application/json"), "{body}");
        let (status, _) = post(&server, Some("text/plain"), query.clone()).await;
        assert_eq!(status, 415);
        let (status, body) = post(
            &server,
            Some("application/graphql-response+json"),
            query.clone(),
        )
        .await;
        assert_eq!(
            (status, &body["data"]["stats"]["entities"]),
            (200, &json!(326))
        );
        let (status, _) = post(&server, Some("application/json; charset=utf-8"), query).await;
        assert_eq!(status, 200);

        // Too large: 413, in JSON like every other error.
        let padding = "x".repeat(govgraph_server::MAX_BODY_BYTES + 10);
        let big = json!({ "query": "{ stats { entities } }", "pad": padding }).to_string();
        let (status, body) = post(&server, Some("application/json"), big).await;
        assert_eq!(status, 413);
        assert!(message(&body).contains("larger than"), "{body}");

        // A parse error quotes a short excerpt, not the 50 KB query.
        let long = format!("{{ stats {{ entities {} }}", "x ".repeat(25_000));
        let (_, body) = post(
            &server,
            Some("application/json"),
            json!({ "query": long }).to_string(),
        )
        .await;
        let text = message(&body);
        assert!(
            !text.is_empty() && text.len() <= 410,
            "{} bytes",
            text.len()
        );
    });
}

#[test]
fn search_is_bounded_before_it_runs() {
    let server = TestServer::start(default_graph());
    runtime().block_on(async {
        let words: Vec<String> = (0..100).map(|i| format!("w{i}")).collect();
        for q in [words.join(" "), "a".repeat(600)] {
            let body = json!({ "query": "query($q: String!) { search(query: $q) { id } }", "variables": { "q": q } });
            let (_, answer) = post(&server, Some("application/json"), body.to_string()).await;
            assert_eq!(answer["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{answer}");
        }
        // The longest real name still finds itself.
        let name = "International Convention on the Protection of the Rights of All Migrant Workers and Members of Their Families";
        let body = json!({ "query": "query($q: String!) { search(query: $q, first: 1) { id } }", "variables": { "q": name } });
        let (_, answer) = post(&server, Some("application/json"), body.to_string()).await;
        assert!(answer["data"]["search"][0]["id"].as_str().is_some_and(|id| id.starts_with("convention:")), "{answer}");
    });
}

#[test]
fn answers_are_bounded_in_size() {
    let server = TestServer::start_with(AppState::new(default_graph()).max_response_bytes(2_000));
    runtime().block_on(async {
        let big = json!({ "query": "{ entities(first: 200) { edges { node { id name } } } }" });
        let (status, body) = post(&server, Some("application/json"), big.to_string()).await;
        assert_eq!(status, 200);
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "RESPONSE_TOO_LARGE",
            "{body}"
        );
        let small = json!({ "query": "{ stats { entities } }" });
        let (_, body) = post(&server, Some("application/json"), small.to_string()).await;
        assert_eq!(body["data"]["stats"]["entities"], 326);
    });
}

#[test]
fn introspection_can_be_switched_off() {
    let limits = Limits {
        introspection: false,
        ..Default::default()
    };
    let server = TestServer::start_with(AppState::with_limits(default_graph(), None, limits));
    runtime().block_on(async {
        let (_, body) = post(
            &server,
            Some("application/json"),
            json!({ "query": "{ __schema { types { name } } }" }).to_string(),
        )
        .await;
        assert!(message(&body).contains("switched off"), "{body}");
        let (_, body) = post(
            &server,
            Some("application/json"),
            json!({ "query": "{ stats { entities } }" }).to_string(),
        )
        .await;
        assert_eq!(body["data"]["stats"]["entities"], 326);
    });
}

/// Whether the server closes `stream` (end of file or a reset) before `wait` passes.
fn closed_by_server(stream: &mut TcpStream, wait: Duration) -> bool {
    stream.set_read_timeout(Some(wait)).expect("timeout");
    let mut buf = [0u8; 64];
    match stream.read(&mut buf) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
    }
}

#[test]
fn idle_and_excess_connections_are_closed_and_health_still_answers() {
    let options = ServeOptions {
        header_read_timeout: Duration::from_secs(1),
        idle_timeout: Duration::from_millis(500),
        max_connections: 3,
        ..Default::default()
    };
    let server = TestServer::start_with_options(AppState::new(default_graph()), options);
    // A connection that sends nothing is closed.
    let mut silent = TcpStream::connect(server.addr).expect("connect");
    assert!(
        closed_by_server(&mut silent, Duration::from_secs(20)),
        "an idle connection stays open"
    );
    // Over the cap, a new connection is closed at once.
    let held: Vec<TcpStream> = (0..3)
        .map(|_| TcpStream::connect(server.addr).expect("connect"))
        .collect();
    std::thread::sleep(Duration::from_millis(100));
    let mut extra = TcpStream::connect(server.addr).expect("connect");
    let _ = extra.write_all(b"GET /health HTTP/1.1\r\nhost: x\r\n\r\n");
    assert!(
        closed_by_server(&mut extra, Duration::from_secs(5)),
        "a connection over the cap is served"
    );
    drop(held);
    // Once the idle ones are gone, /health answers.
    std::thread::sleep(Duration::from_secs(1));
    let health = runtime().block_on(async {
        reqwest::get(format!("http://{}/health", server.addr))
            .await
            .expect("health")
            .status()
            .as_u16()
    });
    assert_eq!(health, 200);
}

#[test]
fn read_commands_never_create_a_store() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("no-store-here");
    for command in [
        &["stats"][..],
        &["query", "{ stats { entities } }"],
        &["export", "--format", "dot"],
    ] {
        let run = govgraph(&[command, &["--db", arg(&db)]].concat());
        assert_eq!(run.code, Some(4), "{command:?}: {run:?}");
        assert!(
            run.stderr.contains("no store at") && run.stderr.contains("govgraph import"),
            "{run:?}"
        );
        assert!(!db.exists(), "{command:?} created {}", db.display());
    }
    // `import` without --data creates it from the default data.
    govgraph_ok(&["import", "--db", arg(&db)]);
    assert!(govgraph_ok(&["stats", "--db", arg(&db)]).contains("326 entities"));
}

#[test]
fn fragment_cycles_are_refused_and_the_server_stays_up() {
    let server = TestServer::start(default_graph());
    runtime().block_on(async {
        for query in [
            "{ ...A } fragment A on Query { ...A }",
            "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }",
            "{ entity(id: \"law:migration-code\") { ...E } } fragment E on Entity { name ...E }",
        ] {
            let (_, body) = post(
                &server,
                Some("application/json"),
                json!({ "query": query }).to_string(),
            )
            .await;
            assert!(message(&body).contains("spreads itself"), "{query}: {body}");
        }
        let health = reqwest::get(format!("http://{}/health", server.addr))
            .await
            .expect("health");
        assert_eq!(health.status().as_u16(), 200);
    });
}

#[test]
fn cors_origins_are_checked() {
    use govgraph_server::CorsOrigins;
    let parse = |values: &[&str]| {
        CorsOrigins::parse(&values.iter().map(|v| (*v).to_owned()).collect::<Vec<_>>())
    };
    assert_eq!(parse(&[]), Ok(CorsOrigins::Any));
    assert_eq!(parse(&["*"]), Ok(CorsOrigins::Any));
    assert_eq!(parse(&["none"]), Ok(CorsOrigins::None));
    assert_eq!(
        parse(&["http://localhost:3000/"]),
        Ok(CorsOrigins::List(vec!["http://localhost:3000".into()]))
    );
    for bad in [
        &["localhost:3000"][..],
        &[""],
        &["NONE"],
        &["none", "http://a.b"],
        &["*", "http://a.b"],
        &["http://a.b/path"],
    ] {
        assert!(parse(bad).is_err(), "{bad:?}");
    }
}
