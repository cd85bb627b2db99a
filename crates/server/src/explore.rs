//! The visual explorer at `/explore`: a page, a script and a style sheet written
//! for govgraph and embedded in the binary, so it works with no internet and no
//! separate front-end server. It talks only to `/graphql` on the same origin.

use axum::http::header;
use axum::response::IntoResponse;

/// Same-origin only: nothing is fetched from elsewhere. `blob:` and `data:`
/// images let the page turn its own drawing into a PNG.
const CSP: &str = "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; \
                   script-src 'self'; connect-src 'self'; object-src 'none'; \
                   base-uri 'none'; frame-ancestors 'none'";

fn asset(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-cache"),
            (header::CONTENT_SECURITY_POLICY, CSP),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        body,
    )
}

/// The page.
pub(crate) async fn page() -> impl IntoResponse {
    asset(
        "text/html; charset=utf-8",
        include_str!("explore/index.html"),
    )
}

/// Its script.
pub(crate) async fn script() -> impl IntoResponse {
    asset(
        "text/javascript; charset=utf-8",
        include_str!("explore/explore.js"),
    )
}

/// Its style sheet.
pub(crate) async fn style() -> impl IntoResponse {
    asset(
        "text/css; charset=utf-8",
        include_str!("explore/explore.css"),
    )
}
