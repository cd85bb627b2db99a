//! The HTTP baseline of `bench/run`: a raw axum handler that echoes the request
//! body on `POST /graphql`, served by the same hyper connection loop as govgraph,
//! so the difference to `govgraph serve` is the GraphQL work alone.
//!
//! `cargo run --release -p govgraph-server --example echo -- 127.0.0.1:8090`

#![allow(missing_docs, clippy::print_stdout)]

use axum::body::Bytes;
use axum::http::header;
use axum::routing::post;
use axum::Router;

fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8090".into());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let app = Router::new().route(
            "/graphql",
            post(|body: Bytes| async move { ([(header::CONTENT_TYPE, "application/json")], body) }),
        );
        let listener = tokio::net::TcpListener::bind(&addr).await?;
        println!("echo serving on http://{addr}/graphql");
        govgraph_server::serve(listener, app, Default::default(), std::future::pending()).await
    })
}
