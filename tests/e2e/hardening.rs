//! Hardening beyond single hostile requests (those are the table of
//! `attacks.rs`): idle and excess connections closed while `/health` still
//! answers, read commands that never create a store, and CORS origins checked.

use govgraph_server::{AppState, ServeOptions};
use govgraph_tests::{arg, default_graph, govgraph, govgraph_ok, TestServer};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().expect("runtime")
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
