//! The query console at `/`: a self-contained page (no CDN, no scripts from
//! elsewhere) that sends queries to `/graphql`, so it works with no internet.

use axum::response::Html;

/// The console page.
pub(crate) async fn page() -> Html<&'static str> {
    Html(include_str!("console.html"))
}
