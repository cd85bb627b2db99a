//! The query console at `/` (and at `GET /graphql` when a browser asks for a
//! page): GraphiQL when the build embedded it (see `build.rs`), else a plain
//! console of our own. Both are served from the binary, so they work offline,
//! and both list the same example operations from `console/examples.json`.

use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};

/// The browser files of GraphiQL and React, embedded at build time.
pub(crate) struct Assets {
    react: &'static str,
    react_dom: &'static str,
    graphiql_js: &'static str,
    graphiql_css: &'static str,
    version: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/console_assets.rs"));

/// Same-origin only. GraphiQL sets inline styles and inlines its fonts and
/// icons as `data:` URLs, hence those two allowances.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                   img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; \
                   object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// Vendor files change only with the binary; the page itself is revalidated.
const VENDOR_CACHE: &str = "public, max-age=86400";

fn asset(content_type: &'static str, cache: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, cache),
            (header::CONTENT_SECURITY_POLICY, CSP),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        body,
    )
        .into_response()
}

/// Which console this binary serves: `"graphiql"` or `"plain"`.
pub fn kind() -> &'static str {
    if GRAPHIQL.is_some() {
        "graphiql"
    } else {
        "plain"
    }
}

/// The console page.
pub(crate) async fn page() -> Response {
    let html = if GRAPHIQL.is_some() {
        include_str!("console/graphiql.html")
    } else {
        include_str!("console/plain.html")
    };
    if GRAPHIQL.is_some() {
        asset("text/html; charset=utf-8", "no-cache", html)
    } else {
        // The plain console keeps its script inline: no CSP that forbids it.
        (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            html,
        )
            .into_response()
    }
}

/// Whether a GET to `/graphql` comes from a browser asking for a page rather
/// than from a client asking for JSON.
pub(crate) fn wants_page(headers: &HeaderMap) -> bool {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    accept.contains("text/html")
        && !accept.contains("application/json")
        && !accept.contains("application/graphql-response+json")
}

/// `/console/{file}`: the console's scripts, styles and examples.
pub(crate) async fn file(axum::extract::Path(name): axum::extract::Path<String>) -> Response {
    const JS: &str = "text/javascript; charset=utf-8";
    const CSS: &str = "text/css; charset=utf-8";
    match (name.as_str(), GRAPHIQL.as_ref()) {
        ("examples.json", _) => asset(
            "application/json",
            "no-cache",
            include_str!("console/examples.json"),
        ),
        ("console.js", Some(_)) => asset(JS, "no-cache", include_str!("console/console.js")),
        ("console.css", Some(_)) => asset(CSS, "no-cache", include_str!("console/console.css")),
        ("react.js", Some(a)) => asset(JS, VENDOR_CACHE, a.react),
        ("react-dom.js", Some(a)) => asset(JS, VENDOR_CACHE, a.react_dom),
        ("graphiql.js", Some(a)) => asset(JS, VENDOR_CACHE, a.graphiql_js),
        ("graphiql.css", Some(a)) => asset(CSS, VENDOR_CACHE, a.graphiql_css),
        ("info", a) => axum::Json(serde_json::json!({
            "console": kind(),
            "graphiql": a.map(|a| a.version),
        }))
        .into_response(),
        _ => (
            axum::http::StatusCode::NOT_FOUND,
            axum::Json(serde_json::json!({ "errors": [{ "message": format!("no console file `{name}`") }] })),
        )
            .into_response(),
    }
}
