//! The HTTP app driven in process: each request goes straight to the router
//! `govgraph_server::app` builds, through tower's `oneshot`, with no socket.
//! Tests of routes, status codes, headers and bodies use this; only what needs
//! a connection (timeouts, connection caps, real clients) binds a port.

use axum::body::Body;
use axum::http::{HeaderMap, Request};
use serde_json::Value;
use tower::ServiceExt;

/// The app of one `AppState`, and a runtime to drive it.
pub struct InProcess {
    app: axum::Router,
    runtime: tokio::runtime::Runtime,
}

/// What the app answered.
pub struct Answer {
    /// The status code.
    pub status: u16,
    /// The headers.
    pub headers: HeaderMap,
    /// The body, as text (bytes that are not UTF-8 replaced).
    pub body: String,
    /// The body as it came.
    pub bytes: Vec<u8>,
}

impl Answer {
    /// The body as JSON (panics, naming the body, when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// A header's value as text, when present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl InProcess {
    /// The app serving `state`.
    pub fn new(state: govgraph_server::AppState) -> InProcess {
        InProcess {
            app: govgraph_server::app(state),
            runtime: tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime"),
        }
    }

    /// Runs `work` to its end on this app's runtime (for calls beside the HTTP
    /// app, such as the schema in process).
    pub fn block_on<F: std::future::Future>(&self, work: F) -> F::Output {
        self.runtime.block_on(work)
    }

    /// Sends `request` and reads the whole answer.
    pub fn send(&self, request: Request<Body>) -> Answer {
        self.runtime.block_on(async {
            let response = self
                .app
                .clone()
                .oneshot(request)
                .await
                .expect("the router never fails");
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .expect("a body");
            Answer {
                status,
                headers,
                body: String::from_utf8_lossy(&bytes).into_owned(),
                bytes: bytes.to_vec(),
            }
        })
    }

    /// POSTs `body` to `/graphql` as JSON.
    pub fn post_json(&self, body: impl Into<String>) -> Answer {
        self.send(
            Request::post("/graphql")
                .header("content-type", "application/json")
                .body(Body::from(body.into()))
                .expect("a request"),
        )
    }

    /// GETs `uri` (a path with its query string).
    pub fn get(&self, uri: &str) -> Answer {
        self.send(Request::get(uri).body(Body::empty()).expect("a request"))
    }

    /// GETs `path` with `params` as its query string.
    pub fn get_with(&self, path: &str, params: &[(&str, &str)]) -> Answer {
        let query = serde_urlencoded::to_string(params).expect("encodable parameters");
        self.get(&format!("{path}?{query}"))
    }
}
