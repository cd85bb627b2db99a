//! The GraphQL endpoint's oracle: a document, variables and an operation name
//! in; every error has a message and a location inside the document; the
//! answer serialises; over HTTP nothing is answered 500 and every `/graphql`
//! answer is JSON.

use super::lossy_lines;
use crate::fuzz::{self, Outcome};
use crate::in_process::{Answer, InProcess};

/// What the GraphQL target keeps between cases.
pub struct GraphqlBench {
    schema: govgraph_api::GovSchema,
    app: InProcess,
    /// Answers `504 TIMEOUT` (the server's work limit): slow, not hung.
    timeouts: std::sync::atomic::AtomicUsize,
}

impl GraphqlBench {
    /// The schema and the HTTP app over the default graph.
    pub fn over_default_graph() -> Self {
        let graph = crate::default_graph();
        let schema = govgraph_api::schema(
            std::sync::Arc::clone(&graph),
            govgraph_api::Limits::default(),
        );
        let app = InProcess::new(govgraph_server::AppState::new(graph));
        GraphqlBench {
            schema,
            app,
            timeouts: std::sync::atomic::AtomicUsize::new(0),
        }
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

/// `bytes` as a query-string value, percent-encoded as they are (a fuzzed
/// query need not be UTF-8, so serde_urlencoded's `&str` does not do).
fn percent_encoded(bytes: &[u8]) -> String {
    form_urlencoded::byte_serialize(bytes).collect()
}

/// What must hold of every HTTP answer: no 500 (a 503 or 504 is the server
/// protecting itself, counted) and a JSON body.
fn check_http(bench: &GraphqlBench, what: &str, answer: &Answer) -> Result<(), String> {
    let (status, body) = (answer.status, answer.body.as_str());
    if status == 504 {
        bench
            .timeouts
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
    if status >= 500 && status != 503 && status != 504 {
        return Err(format!("{what}: answered {status}: {body}"));
    }
    if status != 304 && serde_json::from_slice::<serde_json::Value>(&answer.bytes).is_err() {
        let head: String = body.chars().take(300).collect();
        return Err(format!(
            "{what}: answered {status} with a body that is not JSON: {head}"
        ));
    }
    Ok(())
}

/// Runs the request `input` holds in process, then as a POST and (when it fits) a GET, and checks every answer.
pub fn check(bench: &GraphqlBench, input: &[u8]) -> Result<Outcome, String> {
    let parts = fuzz::split_sections(input, "query");
    let part = |name: &str| fuzz::part(&parts, name);
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
    let response = bench.app.block_on(bench.schema.execute(request));
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
    check_http(bench, "POST", &bench.app.send(post))?;

    // ... and a GET of the same, when it fits in an address.
    if query_bytes.len() + variables_bytes.len() < 6_000 {
        let mut uri = format!("/graphql?query={}", percent_encoded(query_bytes));
        if !variables_bytes.is_empty() {
            uri.push_str(&format!("&variables={}", percent_encoded(variables_bytes)));
        }
        if let Ok(get) = axum::http::Request::get(uri.as_str())
            .header("accept", "application/json")
            .body(axum::body::Body::empty())
        {
            check_http(bench, "GET", &bench.app.send(get))?;
        }
    }
    Ok(outcome)
}
