//! The visual explorer at `/explore`: a page, its ES modules and a style sheet written
//! for govgraph and embedded in the binary, so it works with no internet and no
//! separate front-end server. It talks only to `/graphql` on the same origin.

use axum::extract::Path;
use axum::http::{header, StatusCode};
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

/// The page's ES modules and its style sheet, by file name: modules load one
/// another by relative URL, so they are served side by side under `/explore/`.
const FILES: [(&str, &str); 14] = [
    ("main.js", include_str!("explore/main.js")),
    ("api.js", include_str!("explore/api.js")),
    ("dom.js", include_str!("explore/dom.js")),
    ("exports.js", include_str!("explore/exports.js")),
    ("labels.js", include_str!("explore/labels.js")),
    ("layout.js", include_str!("explore/layout.js")),
    ("model.js", include_str!("explore/model.js")),
    ("panels.js", include_str!("explore/panels.js")),
    ("stage.js", include_str!("explore/stage.js")),
    ("state.js", include_str!("explore/state.js")),
    ("urlstate.js", include_str!("explore/urlstate.js")),
    ("views.js", include_str!("explore/views.js")),
    ("vocabulary.js", include_str!("explore/vocabulary.js")),
    ("explore.css", include_str!("explore/explore.css")),
];

/// One of [`FILES`], or 404.
pub(crate) async fn file(Path(name): Path<String>) -> axum::response::Response {
    let Some((_, body)) = FILES.iter().find(|(file, _)| *file == name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let content_type = if name.ends_with(".css") {
        "text/css; charset=utf-8"
    } else {
        "text/javascript; charset=utf-8"
    };
    asset(content_type, body).into_response()
}
