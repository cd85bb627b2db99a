//! The HTTP server: `fn app(state) -> Router` with its routes and layers, and a
//! serve loop with a header-read timeout and graceful shutdown.

mod console;
mod executor;
mod explore;
mod graphql;
pub mod metrics;
mod persisted;
mod serve;

use axum::http::{header, HeaderValue, Method};
use axum::routing::get;
use axum::Router;
use govgraph_api::GovSchema;
use govgraph_graph::Graph;
use std::sync::Arc;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use console::kind as console_kind;
pub use serve::{serve, ServeOptions};

/// Largest request body accepted; larger ones get 413.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// Longest time one request may take, body included, before it gets 408; the
/// request's work is stopped then too.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Longest time the work of one GraphQL request may run, counted from its
/// arrival at the executor; it is then stopped and answered `504` (`TIMEOUT`),
/// a little before [`REQUEST_TIMEOUT`] would answer a bare 408.
pub const WORK_TIME_LIMIT: Duration = Duration::from_secs(25);
/// Largest GraphQL answer sent by default; larger ones are replaced by a
/// `RESPONSE_TOO_LARGE` error.
pub const MAX_RESPONSE_BYTES: usize = 32 * 1024 * 1024;

/// How long a GraphQL request waits for a free worker before it is refused
/// with `SERVER_BUSY`.
pub const QUEUE_WAIT: Duration = Duration::from_secs(10);

/// Responses smaller than this go out uncompressed: compressing them saves
/// less than it costs.
pub const COMPRESS_ABOVE_BYTES: u16 = 1024;

/// Which other origins may call the API from a browser (CORS).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum CorsOrigins {
    /// Any origin (`Access-Control-Allow-Origin: *`), without credentials: the
    /// default, since the API is public, read-only and uses no cookies.
    #[default]
    Any,
    /// Only these origins, each as `scheme://host[:port]`.
    List(Vec<String>),
    /// No CORS headers: only same-origin pages can read answers.
    None,
}

impl CorsOrigins {
    /// From `--cors-origin` values: none given means [`CorsOrigins::Any`], `*`
    /// alone any, `none` alone none; otherwise each must be an origin,
    /// `http(s)://host[:port]`. Mixing `*` or `none` with origins is refused
    /// rather than guessed at.
    pub fn parse(values: &[String]) -> Result<CorsOrigins, String> {
        match values {
            [] => return Ok(CorsOrigins::Any),
            [only] if only == "*" => return Ok(CorsOrigins::Any),
            [only] if only == "none" => return Ok(CorsOrigins::None),
            _ => {}
        }
        let mut origins = Vec::new();
        for value in values {
            let origin = value.trim_end_matches('/');
            let rest = origin
                .strip_prefix("http://")
                .or_else(|| origin.strip_prefix("https://"));
            let valid = rest.is_some_and(|host| {
                !host.is_empty()
                    && !host.contains(['/', ' ', '?', '#', '*'])
                    && HeaderValue::from_str(origin).is_ok()
            });
            if !valid {
                return Err(format!(
                    "`{value}` is not an origin: give `http(s)://host[:port]`, or `*` or `none` alone"
                ));
            }
            origins.push(origin.to_owned());
        }
        Ok(CorsOrigins::List(origins))
    }

    /// [`CorsOrigins::parse`] for tests and callers whose values are known good.
    pub fn from_args(values: &[String]) -> CorsOrigins {
        Self::parse(values).unwrap_or(CorsOrigins::None)
    }
}

/// What the server answers from: one dataset's graph, the schema over it and
/// the dataset's fingerprint. [`AppState::replace`] swaps it whole, so a
/// request sees one dataset from start to end.
pub(crate) struct Served {
    /// The GraphQL schema, with the graph as its data.
    pub(crate) schema: GovSchema,
    /// Compiled plans of the documents served so far, over the same graph.
    pub(crate) plans: Arc<govgraph_api::Plans>,
    /// The graph, for health and counts.
    pub(crate) graph: Arc<Graph>,
    /// The dataset fingerprint: answers change only when it or the settings do.
    pub(crate) fingerprint: String,
}

/// What the HTTP layer shares between requests.
pub(crate) struct HttpShared {
    /// What is served now.
    served: std::sync::RwLock<Arc<Served>>,
    /// What a replacement's schema is built with.
    limits: govgraph_api::Limits,
    /// The version and settings that shape answers besides the data.
    pub(crate) config: String,
    pub(crate) metrics: metrics::Metrics,
    pub(crate) persisted: persisted::PersistedQueries,
    pub(crate) cors: CorsOrigins,
    pub(crate) executor: executor::Executor,
    pub(crate) max_response_bytes: usize,
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    http: Arc<HttpShared>,
}

impl AppState {
    /// State serving `graph` with the default limits, any CORS origin, and a
    /// fingerprint unique to this process (so caches revalidate after a restart).
    pub fn new(graph: Arc<Graph>) -> Self {
        Self::with_limits(graph, None, govgraph_api::Limits::default())
    }

    /// State serving `graph` and the profile mentions of its entities.
    pub fn with_mentions(graph: Arc<Graph>, mentions: Arc<govgraph_api::Mentions>) -> Self {
        Self::with_limits(graph, Some(mentions), govgraph_api::Limits::default())
    }

    /// State serving `graph`, with `mentions` when given, under `limits`
    /// (introspection switched off, for example).
    ///
    /// Centrality rankings are computed now, off the request path: at once for
    /// a small graph, else on a thread of their own while the server already
    /// answers everything else (`centrality` says `WARMING_UP` until then).
    pub fn with_limits(
        graph: Arc<Graph>,
        mentions: Option<Arc<govgraph_api::Mentions>>,
        limits: govgraph_api::Limits,
    ) -> Self {
        warm_centrality(&graph);
        let limits = govgraph_api::Limits {
            centrality_warmed_up: true,
            ..limits
        };
        // What besides the data shapes an answer: the version and the settings.
        let config = format!(
            "{}|introspection={}|mentions={}",
            env!("CARGO_PKG_VERSION"),
            limits.introspection,
            mentions.is_some()
        );
        let (by_kind, by_type) = counts(&graph);
        let started = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let served = Served {
            schema: govgraph_api::schema_with_mentions(graph.clone(), limits, mentions.clone()),
            plans: Arc::new(govgraph_api::plans(graph.clone(), limits, mentions)),
            graph,
            fingerprint: format!("process-{}-{started}", std::process::id()),
        };
        AppState {
            http: Arc::new(HttpShared {
                served: std::sync::RwLock::new(Arc::new(served)),
                limits,
                config,
                metrics: metrics::Metrics::new(&by_kind, &by_type),
                persisted: persisted::PersistedQueries::default(),
                cors: CorsOrigins::default(),
                executor: executor::Executor::new(
                    executor::default_permits(),
                    QUEUE_WAIT,
                    WORK_TIME_LIMIT,
                ),
                max_response_bytes: MAX_RESPONSE_BYTES,
            }),
        }
    }

    /// What is served now; a request holds on to it from start to end.
    pub(crate) fn served(&self) -> Arc<Served> {
        // A poisoned lock still holds a whole `Arc`: writers only swap it.
        match self.http.served.read() {
            Ok(served) => served.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// The graph served now.
    pub fn graph(&self) -> Arc<Graph> {
        self.served().graph.clone()
    }

    /// Serves `graph` (with `mentions` of its entities, when given, and its
    /// dataset `fingerprint`) from now on. Requests already running finish on
    /// the dataset they started with; later ones see only the new one. Its
    /// centrality is ranked first, so `centrality` never goes back to
    /// `WARMING_UP`.
    pub fn replace(
        &self,
        graph: Arc<Graph>,
        mentions: Option<Arc<govgraph_api::Mentions>>,
        fingerprint: impl Into<String>,
    ) {
        graph.warm_centrality();
        let (by_kind, by_type) = counts(&graph);
        self.swap(Served {
            schema: govgraph_api::schema_with_mentions(
                graph.clone(),
                self.http.limits,
                mentions.clone(),
            ),
            plans: Arc::new(govgraph_api::plans(
                graph.clone(),
                self.http.limits,
                mentions,
            )),
            graph,
            fingerprint: fingerprint.into(),
        });
        self.http.metrics.set_dataset(&by_kind, &by_type);
    }

    fn http_mut(&mut self) -> &mut HttpShared {
        // Settings are made before the state is shared with the router.
        Arc::get_mut(&mut self.http).expect("settings are made before the state is cloned")
    }

    /// The dataset fingerprint that `ETag`s are built from (the store's).
    pub fn fingerprint(self, fingerprint: impl Into<String>) -> Self {
        let current = self.served();
        let served = Served {
            schema: current.schema.clone(),
            plans: current.plans.clone(),
            graph: current.graph.clone(),
            fingerprint: fingerprint.into(),
        };
        self.swap(served);
        self
    }

    /// Serves `served` from now on (see [`AppState::replace`]).
    fn swap(&self, served: Served) {
        let served = Arc::new(served);
        match self.http.served.write() {
            Ok(mut slot) => *slot = served,
            Err(poisoned) => *poisoned.into_inner() = served,
        }
    }

    /// Which origins may call the API from a browser.
    pub fn cors(mut self, origins: CorsOrigins) -> Self {
        self.http_mut().cors = origins;
        self
    }

    /// The largest GraphQL answer sent, in bytes.
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.http_mut().max_response_bytes = bytes;
        self
    }

    /// At most `permits` GraphQL requests run at once; others wait up to
    /// `queue_wait`, then get `SERVER_BUSY`.
    pub fn workers(mut self, permits: usize, queue_wait: Duration) -> Self {
        self.http_mut().executor = executor::Executor::new(permits, queue_wait, WORK_TIME_LIMIT);
        self
    }

    /// How long one GraphQL request's work may run before it is stopped and
    /// answered `504` with code `TIMEOUT` (default [`WORK_TIME_LIMIT`]).
    pub fn time_limit(mut self, limit: Duration) -> Self {
        self.http_mut().executor.set_time_limit(limit);
        self
    }
}

/// Entities by kind and relations by type, as the metrics label them.
type Counts = Vec<(String, usize)>;

fn counts(graph: &Graph) -> (Counts, Counts) {
    let by_kind = graph
        .kind_counts()
        .into_iter()
        .map(|(kind, n)| (kind.as_str().to_owned(), n))
        .collect();
    let by_type = graph
        .type_counts()
        .into_iter()
        .map(|(ty, n)| (ty.as_str().to_owned(), n))
        .collect();
    (by_kind, by_type)
}

/// Graphs up to this many entities are ranked before the server starts: it
/// takes milliseconds, and then no client ever sees `WARMING_UP`.
const WARM_AT_ONCE_UP_TO: usize = 2_000;

/// Starts computing `graph`'s centrality rankings (see [`AppState::with_limits`]).
fn warm_centrality(graph: &Arc<Graph>) {
    if graph.entity_count() <= WARM_AT_ONCE_UP_TO {
        graph.warm_centrality();
        return;
    }
    let graph = graph.clone();
    let started = std::thread::Builder::new()
        .name("centrality-warm-up".into())
        .spawn(move || {
            let clock = std::time::Instant::now();
            graph.warm_centrality();
            tracing::info!(
                seconds = clock.elapsed().as_secs_f64(),
                "centrality rankings ready"
            );
        });
    if let Err(error) = started {
        tracing::warn!(%error, "cannot start the centrality warm-up; `centrality` will answer WARMING_UP");
    }
}

fn cors_layer(origins: &CorsOrigins) -> Option<CorsLayer> {
    let allow = match origins {
        CorsOrigins::None => return None,
        CorsOrigins::Any => AllowOrigin::any(),
        CorsOrigins::List(list) => AllowOrigin::list(
            list.iter()
                .filter_map(|o| HeaderValue::from_str(o.trim_end_matches('/')).ok()),
        ),
    };
    Some(
        CorsLayer::new()
            .allow_origin(allow)
            .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
            // Whatever headers the page's client asks to send (Apollo Client's
            // name and version, an Authorization header): the answers are the
            // same for all, and no credentials are ever allowed.
            .allow_headers(tower_http::cors::AllowHeaders::mirror_request())
            .expose_headers([header::ETAG, header::CACHE_CONTROL])
            .max_age(Duration::from_secs(86_400)),
    )
}

/// The whole HTTP application.
pub fn app(state: AppState) -> Router {
    let cors = cors_layer(&state.http.cors);
    let compression = CompressionLayer::new().compress_when(
        SizeAbove::new(COMPRESS_ABOVE_BYTES)
            .and(NotForContentType::GRPC)
            .and(NotForContentType::IMAGES)
            .and(NotForContentType::SSE),
    );
    let router = Router::new()
        .route(
            "/graphql",
            get(graphql::get_handler).post(graphql::post_handler),
        )
        .route("/", get(console::page))
        .route("/console/{file}", get(console::file))
        .route("/schema.graphql", get(schema_sdl))
        .route(
            "/favicon.ico",
            get(|| async { axum::http::StatusCode::NO_CONTENT }),
        )
        .route("/health", get(health))
        .route("/metrics", get(metrics_text))
        .route("/explore", get(explore::page))
        .route("/explore/{file}", get(explore::file))
        .with_state(state)
        // The handler reads the body through this limit and answers 413 in JSON
        // (tower-http's RequestBodyLimitLayer would answer in plain text).
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(graphql::refuse_declared_oversize))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(compression);
    let router = match cors {
        Some(cors) => router.layer(cors),
        None => router,
    };
    router
        .layer(CatchPanicLayer::custom(graphql::panic_response))
        .layer(TraceLayer::new_for_http())
}

/// `GET /schema.graphql`: the served schema as SDL.
async fn schema_sdl(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> impl axum::response::IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "application/graphql; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        state.served().schema.sdl(),
    )
}

/// `GET /metrics`: the Prometheus text format.
async fn metrics_text(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> impl axum::response::IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.http.metrics.render(),
    )
}

async fn health(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> axum::Json<serde_json::Value> {
    let graph = state.graph();
    axum::Json(serde_json::json!({
        "status": "ok",
        "entities": graph.entity_count(),
        "relations": graph.relation_count(),
    }))
}
