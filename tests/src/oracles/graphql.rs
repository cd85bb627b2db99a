//! The GraphQL endpoint's oracle: a document, variables and an operation name
//! in; every error has a message and a location inside the document; the
//! answer serialises; over HTTP nothing is answered 500 and every `/graphql`
//! answer is JSON.

use super::lossy_lines;
use crate::fuzz::{self, Outcome};

/// Percent-encodes `bytes` for a query string.
fn url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 3);
    for &b in bytes {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// What the GraphQL target keeps between cases.
pub struct GraphqlBench {
    runtime: tokio::runtime::Runtime,
    schema: govgraph_api::GovSchema,
    app: axum::Router,
    /// Answers `504 TIMEOUT` (the server's work limit): slow, not hung.
    timeouts: std::sync::atomic::AtomicUsize,
}

impl GraphqlBench {
    /// The schema and the HTTP app over the default graph, with a runtime of two workers.
    pub fn new() -> std::io::Result<Self> {
        let graph = crate::default_graph();
        let schema = govgraph_api::schema(
            std::sync::Arc::clone(&graph),
            govgraph_api::Limits::default(),
        );
        let app = govgraph_server::app(govgraph_server::AppState::new(graph));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?;
        Ok(GraphqlBench {
            runtime,
            schema,
            app,
            timeouts: std::sync::atomic::AtomicUsize::new(0),
        })
    }

    /// How many answers were `504 TIMEOUT` (the work limit): slow, not hung.
    pub fn timeouts(&self) -> usize {
        self.timeouts.load(std::sync::atomic::Ordering::Relaxed)
    }
}

fn check_errors(errors: &[async_graphql::ServerError], document: &str) -> Result<(), String> {
    let lines = lossy_lines(document.as_bytes());
    for error in errors {
        if error.message.trim().is_empty() {
            return Err(format!("an error without a message: {error:?}"));
        }
        for at in &error.locations {
            if at.line == 0 || at.line > lines || at.column == 0 {
                return Err(format!(
                    "`{}` at {}:{} of a {lines}-line document",
                    error.message, at.line, at.column
                ));
            }
        }
    }
    Ok(())
}

/// One HTTP request through the app: its status and body.
fn http(bench: &GraphqlBench, request: axum::http::Request<axum::body::Body>) -> (u16, Vec<u8>) {
    use tower::ServiceExt;
    bench.runtime.block_on(async {
        let response = bench
            .app
            .clone()
            .oneshot(request)
            .await
            .expect("the router never fails");
        let status = response.status().as_u16();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("a body");
        (status, body.to_vec())
    })
}

fn check_http(bench: &GraphqlBench, what: &str, status: u16, body: &[u8]) -> Result<(), String> {
    if status == 504 {
        bench
            .timeouts
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
    if status >= 500 && status != 503 && status != 504 {
        return Err(format!(
            "{what}: answered {status}: {}",
            String::from_utf8_lossy(body)
        ));
    }
    if status != 304 && serde_json::from_slice::<serde_json::Value>(body).is_err() {
        return Err(format!(
            "{what}: answered {status} with a body that is not JSON: {}",
            String::from_utf8_lossy(&body[..body.len().min(300)])
        ));
    }
    Ok(())
}

/// Runs the request `input` holds in process, then as a POST and (when it fits) a GET, and checks every answer.
pub fn check(bench: &GraphqlBench, input: &[u8]) -> Result<Outcome, String> {
    let parts = fuzz::split_sections(input, "query");
    let part = |name: &str| {
        parts
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b.as_slice())
    };
    let query_bytes = part("query").unwrap_or_default();
    let variables_bytes = part("variables").unwrap_or_default();
    let operation = part("operationName").map(|b| String::from_utf8_lossy(b).trim().to_owned());
    let query = String::from_utf8_lossy(query_bytes).into_owned();
    let variables: Option<serde_json::Value> = serde_json::from_slice(variables_bytes).ok();

    // In process.
    let mut request = async_graphql::Request::new(query.clone());
    if let Some(vars) = variables.clone() {
        request = request.variables(async_graphql::Variables::from_json(vars));
    }
    if let Some(name) = operation.clone() {
        request = request.operation_name(name);
    }
    let response = bench.runtime.block_on(bench.schema.execute(request));
    check_errors(&response.errors, &query)?;
    let answer = serde_json::to_value(&response).map_err(|e| format!("unserialisable: {e}"))?;
    let outcome = if response.errors.is_empty() {
        Outcome::Accepted
    } else {
        Outcome::Refused
    };
    if !answer["data"].is_null() && !answer["data"].is_object() {
        return Err(format!("data is neither null nor an object: {answer}"));
    }

    // Over HTTP: a POST whose body is spliced from the raw parts (so broken
    // JSON in the variables reaches the server as it is) ...
    let mut body = b"{\"query\": ".to_vec();
    body.extend(serde_json::to_vec(&query).unwrap_or_default());
    if !variables_bytes.is_empty() {
        body.extend_from_slice(b", \"variables\": ");
        body.extend_from_slice(variables_bytes);
    }
    if let Some(name) = &operation {
        body.extend_from_slice(b", \"operationName\": ");
        body.extend(serde_json::to_vec(name).unwrap_or_default());
    }
    body.push(b'}');
    let post = axum::http::Request::post("/graphql")
        .header("content-type", "application/json")
        .body(axum::body::Body::from(body))
        .map_err(|e| e.to_string())?;
    let (status, answer) = http(bench, post);
    check_http(bench, "POST", status, &answer)?;

    // ... and a GET of the same, when it fits in an address.
    if query_bytes.len() + variables_bytes.len() < 6_000 {
        let mut uri = format!("/graphql?query={}", url_encode(query_bytes));
        if !variables_bytes.is_empty() {
            uri.push_str(&format!("&variables={}", url_encode(variables_bytes)));
        }
        if let Ok(get) = axum::http::Request::get(uri.as_str())
            .header("accept", "application/json")
            .body(axum::body::Body::empty())
        {
            let (status, answer) = http(bench, get);
            check_http(bench, "GET", status, &answer)?;
        }
    }
    Ok(outcome)
}
