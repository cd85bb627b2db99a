//! The GraphQL console at `/` in a real Chromium (tests/browser/console.test.mjs):
//! GraphiQL from the binary with nothing fetched from elsewhere, autocomplete and
//! validation as you type, the docs of `Entity.relations`, running a query, the
//! query in a shareable URL that survives a reload, history, prettify and the
//! examples; and CORS from a page on another loopback origin, answered by a
//! server that allows any origin and refused by one that does not list it.
//!
//! It needs the GraphiQL build (npm at build time), Chromium and playwright-core;
//! without them it is skipped with a message, except under CI, where it fails.

use govgraph_server::{AppState, CorsOrigins};
use govgraph_tests::tools::{missing_node_packages, prerequisites_met, run_to_success, CHROMIUM};
use govgraph_tests::{default_graph, root, TestServer};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

#[test]
fn console_and_cors_in_a_real_browser() {
    let browser_dir = root().join("tests/browser");
    let mut missing = missing_node_packages(&browser_dir, &["playwright-core"]);
    if !Path::new(CHROMIUM).exists() {
        missing.push(format!("{CHROMIUM} (apt-get install chromium)"));
    }
    if govgraph_server::console_kind() != "graphiql" {
        missing.push("a binary built with GraphiQL (npm on the PATH at build time)".to_owned());
    }
    if !prerequisites_met("the console's browser test", &missing) {
        return;
    }
    let server = TestServer::start(default_graph());
    let strict = TestServer::start_with(
        AppState::new(default_graph())
            .cors(CorsOrigins::List(vec!["http://127.0.0.1:9".to_owned()])),
    );
    let shots = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
        .join("console-screenshots");
    let out = run_to_success(
        Command::new("node")
            .arg(browser_dir.join("console.test.mjs"))
            .current_dir(&browser_dir)
            .env("GOVGRAPH_URL", format!("http://{}", server.addr))
            .env("GOVGRAPH_STRICT_URL", format!("http://{}", strict.addr))
            .env("SCREENSHOT_DIR", &shots)
            .env("CHROMIUM", CHROMIUM),
        Duration::from_secs(300),
    );
    assert!(out.contains("console.test: all checks passed"), "{out}");
    assert!(shots.join("console-03-result.png").exists());
}
