//! The visual explorer at `/explore`: its assets are served by the binary with
//! the right content types and fetch nothing from elsewhere; then a real
//! Chromium drives it (tests/browser/explore.test.mjs) when one is installed.
//! Without Chromium and playwright-core the browser part is skipped with a
//! message, except under CI (env `CI` set), where it fails instead.

use govgraph_tests::tools::{missing_node_packages, prerequisites_met, run_to_success, CHROMIUM};
use govgraph_tests::{default_graph, root, TestServer};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;
/// The browser run's own steps time out sooner; this only stops a hung run.
const BROWSER_TEST_LIMIT: Duration = Duration::from_secs(300);

/// XML namespace names the page writes into the SVG and the exports it makes;
/// they are identifiers, never fetched.
const NAMESPACES: [&str; 3] = [
    "http://www.w3.org/2000/svg",
    "http://graphml.graphdrawing.org/xmlns",
    "http://gexf.net/1.3",
];

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().expect("runtime")
}

/// Status, content type and body of a GET.
async fn get(server: &TestServer, path: &str) -> (u16, String, String, Option<String>) {
    let response = reqwest::get(format!("http://{}{path}", server.addr))
        .await
        .expect("request");
    let status = response.status().as_u16();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let content_type = header("content-type").unwrap_or_default();
    let csp = header("content-security-policy");
    (
        status,
        content_type,
        response.text().await.expect("body"),
        csp,
    )
}

/// Every absolute or protocol-relative URL in `text` that is not a namespace name.
fn external_urls(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in text.match_indices("//") {
        let before = &text[..at];
        let start = if before.ends_with("https:") {
            at - 6
        } else if before.ends_with("http:") {
            at - 5
        } else if before.ends_with(['"', '\'', '(', '`', '=']) {
            at // protocol-relative: "//host/path"
        } else {
            continue; // a comment or a regular expression
        };
        let tail = &text[start..];
        let end = tail
            .find(|c: char| c.is_whitespace() || "\"'`()<>;,".contains(c))
            .unwrap_or(tail.len());
        let url = &tail[..end];
        if !NAMESPACES.contains(&url) {
            found.push(url.to_owned());
        }
    }
    found
}

#[test]
fn external_url_scan_catches_urls() {
    assert!(external_urls(r#"<script src="https://cdn.example/x.js">"#).len() == 1);
    assert!(external_urls("url(//fonts.example/a.woff)").len() == 1);
    assert!(external_urls("const SVGNS = 'http://www.w3.org/2000/svg';").is_empty());
}

/// The relative modules `text` imports (`from './x.js'`).
fn imports(text: &str) -> Vec<String> {
    text.match_indices("from './")
        .filter_map(|(at, _)| {
            let rest = &text[at + "from './".len()..];
            rest.find('\'').map(|end| rest[..end].to_owned())
        })
        .collect()
}

#[test]
fn explorer_assets_are_served_and_self_contained() {
    let server = TestServer::start(default_graph());
    runtime().block_on(async {
        let (status, content_type, html, csp) = get(&server, "/explore").await;
        assert_eq!(status, 200, "{html}");
        assert!(content_type.starts_with("text/html"), "{content_type}");
        assert!(
            html.contains(r#"<script type="module" src="/explore/main.js">"#),
            "the page loads its entry module"
        );
        assert!(
            html.contains(r#"href="/explore/explore.css""#),
            "the page loads its style sheet"
        );
        let csp = csp.expect("the page carries a content security policy");
        assert!(csp.contains("default-src 'self'"), "{csp}");
        let mut texts = vec![("index.html".to_owned(), html)];

        // Every module the entry module reaches is served as JavaScript.
        let mut pending = vec!["main.js".to_owned()];
        let mut seen = std::collections::BTreeSet::new();
        while let Some(name) = pending.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            let (status, content_type, js, _) = get(&server, &format!("/explore/{name}")).await;
            assert_eq!(status, 200, "{name}");
            assert!(
                content_type.starts_with("text/javascript"),
                "{name}: {content_type}"
            );
            pending.extend(imports(&js));
            texts.push((name, js));
        }
        assert!(seen.len() >= 8, "the modules reached: {seen:?}");
        assert!(
            texts.iter().any(|(_, js)| js.contains("/graphql")),
            "a module talks to /graphql"
        );

        let (status, content_type, css, _) = get(&server, "/explore/explore.css").await;
        assert_eq!(status, 200);
        assert!(content_type.starts_with("text/css"), "{content_type}");
        assert!(!css.is_empty());
        texts.push(("explore.css".to_owned(), css));

        for (name, text) in &texts {
            let urls = external_urls(text);
            assert!(urls.is_empty(), "{name} references external URLs: {urls:?}");
            assert!(!text.contains("@import"), "{name} imports a style sheet");
        }

        // The query console is still at `/`, and unknown assets are 404s.
        let (status, _, _, _) = get(&server, "/").await;
        assert_eq!(status, 200);
        for missing in [
            "/explore/missing.js",
            "/explore/explore.js",
            "/explore/..%2Fmain.js",
        ] {
            let (status, _, _, _) = get(&server, missing).await;
            assert_eq!(status, 404, "{missing}");
        }
    });
}

fn screenshot_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("EXPLORER_SCREENSHOTS") {
        return PathBuf::from(dir);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    target.join("explorer-screenshots")
}

#[test]
fn explorer_in_a_real_browser() {
    let browser_dir = root().join("tests/browser");
    let mut missing = missing_node_packages(&browser_dir, &["playwright-core"]);
    if !Path::new(CHROMIUM).exists() {
        missing.push(format!("{CHROMIUM} (apt-get install chromium)"));
    }
    if !prerequisites_met("the explorer's browser test", &missing) {
        return;
    }
    // As `govgraph serve` runs on the default data: with the profile's text,
    // which "show context" reads.
    let graph = default_graph();
    let parsed = govgraph_profile::parse(&govgraph_tests::profile_text());
    let mentions = std::sync::Arc::new(govgraph_api::Mentions::build(&graph, &parsed.document));
    let server = TestServer::start_with(govgraph_server::AppState::with_mentions(graph, mentions));
    let shots = screenshot_dir();
    std::fs::create_dir_all(&shots).expect("screenshot folder");
    run_to_success(
        Command::new("node")
            .arg(browser_dir.join("explore.test.mjs"))
            .current_dir(&browser_dir)
            .env("GOVGRAPH_URL", format!("http://{}", server.addr))
            .env("SCREENSHOT_DIR", &shots)
            .env("CHROMIUM", CHROMIUM),
        BROWSER_TEST_LIMIT,
    );
    for shot in [
        "01-neighbourhood.png",
        "03-partnerships.png",
        "06-whole-graph.png",
    ] {
        assert!(shots.join(shot).exists(), "no screenshot {shot}");
    }
}

/// The explorer's pure modules (label placement, layout, URL state, the
/// visual vocabulary) under `node --test` (tests/explorer-units).
#[test]
fn explorer_modules_pass_their_unit_tests() {
    let mut missing = Vec::new();
    if !govgraph_tests::tools::runs("node") {
        missing.push("node (Node.js 18 or later)".to_owned());
    }
    if !prerequisites_met("the explorer's unit tests", &missing) {
        return;
    }
    let units = root().join("tests/explorer-units");
    let output = run_to_success(
        Command::new("node")
            .arg("--test")
            .arg("--test-reporter=spec")
            .arg(&units)
            .current_dir(root()),
        Duration::from_secs(120),
    );
    assert!(
        output.contains("pass") && !output.contains("not ok"),
        "{output}"
    );
}
