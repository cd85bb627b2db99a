//! The HTTP server: `fn app(state) -> Router` with its routes and layers, and a
//! serve loop with a header-read timeout and graceful shutdown.

mod console;
mod explore;
mod graphql;
mod serve;

use axum::routing::get;
use axum::Router;
use govgraph_api::GovSchema;
use govgraph_graph::Graph;
use std::sync::Arc;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use serve::{serve, ServeOptions};

/// Largest request body accepted; larger ones get 413.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// Longest time one request may take before it gets 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The GraphQL schema, with the graph as its data.
    pub schema: GovSchema,
    /// The graph, for health and counts.
    pub graph: Arc<Graph>,
}

impl AppState {
    /// State serving `graph` with the default limits.
    pub fn new(graph: Arc<Graph>) -> Self {
        let schema = govgraph_api::schema(graph.clone(), govgraph_api::Limits::default());
        AppState { schema, graph }
    }

    /// State serving `graph` and the profile mentions of its entities.
    pub fn with_mentions(graph: Arc<Graph>, mentions: Arc<govgraph_api::Mentions>) -> Self {
        let schema = govgraph_api::schema_with_mentions(
            graph.clone(),
            govgraph_api::Limits::default(),
            Some(mentions),
        );
        AppState { schema, graph }
    }
}

/// The whole HTTP application.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route(
            "/graphql",
            get(graphql::get_handler).post(graphql::post_handler),
        )
        .route("/", get(console::page))
        .route("/health", get(health))
        .route("/explore", get(explore::page))
        .route("/explore/explore.js", get(explore::script))
        .route("/explore/explore.css", get(explore::style))
        .with_state(state)
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(CatchPanicLayer::custom(graphql::panic_response))
        .layer(TraceLayer::new_for_http())
}

async fn health(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> axum::Json<serde_json::Value> {
    axum::Json(serde_json::json!({
        "status": "ok",
        "entities": state.graph.entity_count(),
        "relations": state.graph.relation_count(),
    }))
}
