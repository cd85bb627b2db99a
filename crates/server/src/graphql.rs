//! The `/graphql` endpoint: JSON over POST, queries over GET, Apollo's automatic
//! persisted queries on both, and HTTP caching of GET answers.
//!
//! The body is read and decoded here rather than by async-graphql-axum's
//! extractor, which reads the body itself and so bypasses axum's body limit;
//! decoding here also lets us refuse batches and answer malformed JSON with a
//! plain 400 that carries no internal text.
//!
//! Caching: the graph only changes when the server starts on a new import, so a
//! GET answer is a pure function of the dataset and the request. Its `ETag` is a
//! hash of the dataset fingerprint and the request; a client or CDN that sends it
//! back in `If-None-Match` gets `304 Not Modified` without the query being run.

use crate::executor::NotRun;
use crate::metrics::{operation_name, Outcome};
use crate::persisted::{self, Persisted, Refusal};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::Instant;

/// How long a shared cache may serve a GET answer without asking again.
const GET_MAX_AGE_SECONDS: u32 = 300;

/// Longest error message sent; longer ones are cut (parse errors quote the query).
const MAX_ERROR_MESSAGE: usize = 400;

/// At most `max` bytes of `text`, cut at a character boundary, with `…` when cut.
fn clip(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

fn error_with_code(status: StatusCode, message: String, code: &str) -> Response {
    (
        status,
        axum::Json(json!({ "errors": [{ "message": message, "extensions": { "code": code } }] })),
    )
        .into_response()
}

fn error_response(status: StatusCode, message: impl Into<String>) -> Response {
    (
        status,
        axum::Json(json!({ "errors": [{ "message": message.into() }] })),
    )
        .into_response()
}

/// One GraphQL request as sent, before the persisted query is resolved.
struct Incoming {
    query: Option<String>,
    operation_name: Option<String>,
    variables: Option<Value>,
    extensions: Option<Value>,
}

/// What a request is refused with before it runs.
enum Refused {
    /// An HTTP-level refusal.
    Http(StatusCode, String),
    /// A GraphQL error body with status 200, as APQ clients expect.
    Graphql(Refusal),
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        match self {
            Refused::Http(status, message) => error_response(status, message),
            Refused::Graphql(Refusal(body)) => (StatusCode::OK, axum::Json(body)).into_response(),
        }
    }
}

/// Answers 413 at once to a request whose `Content-Length` is over the body
/// limit, instead of waiting for a body it would refuse (a client that
/// declares 100 MB and sends nothing would otherwise hold the connection until
/// the request timeout).
pub(crate) async fn refuse_declared_oversize(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > crate::MAX_BODY_BYTES as u64) {
        return error_response(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("request body larger than {} bytes", crate::MAX_BODY_BYTES),
        );
    }
    next.run(request).await
}

/// POST: a JSON body `{ query, variables?, operationName?, extensions? }`.
pub(crate) async fn post_handler(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Response {
    let started = Instant::now();
    let _in_flight = state.http.metrics.start();
    match decode_post(&headers, body) {
        Ok(incoming) => answer(&state, incoming, None, started).await,
        Err(refused) => rejected(&state, refused, started),
    }
}

/// GET: `?query=…&variables=…&operationName=…&extensions=…`; queries only. A
/// browser asking for a page gets the console instead.
pub(crate) async fn get_handler(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    if params.is_empty() && crate::console::wants_page(&headers) {
        return crate::console::page().await;
    }
    let started = Instant::now();
    let _in_flight = state.http.metrics.start();
    match decode_get(&params) {
        Ok(incoming) => answer(&state, incoming, Some(&headers), started).await,
        Err(refused) => rejected(&state, refused, started),
    }
}

fn rejected(state: &AppState, refused: Refused, started: Instant) -> Response {
    state
        .http
        .metrics
        .record(None, Outcome::Rejected, started.elapsed());
    refused.into_response()
}

fn decode_post(
    headers: &HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Incoming, Refused> {
    let body = body.map_err(|rejection| {
        let status = rejection.status();
        let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
            format!("request body larger than {} bytes", crate::MAX_BODY_BYTES)
        } else {
            "cannot read the request body".to_owned()
        };
        Refused::Http(status, message)
    })?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let media = content_type.split(';').next().unwrap_or("").trim();
    if !media.eq_ignore_ascii_case("application/json")
        && !media.eq_ignore_ascii_case("application/graphql-response+json")
    {
        return Err(Refused::Http(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "send the request with Content-Type: application/json (got {})",
                if media.is_empty() {
                    "none".to_owned()
                } else {
                    format!("`{}`", clip(media, 60))
                }
            ),
        ));
    }
    let value: Value = serde_json::from_slice(&body).map_err(|e| {
        Refused::Http(
            StatusCode::BAD_REQUEST,
            format!("the request body is not valid JSON ({e})"),
        )
    })?;
    if value.is_array() {
        return Err(Refused::Http(
            StatusCode::BAD_REQUEST,
            "batched requests are not supported: send one operation per request".into(),
        ));
    }
    let Value::Object(mut object) = value else {
        return Err(bad_request("the request body is not a JSON object"));
    };
    let query = match object.remove("query") {
        None | Some(Value::Null) => None,
        Some(Value::String(query)) => Some(query),
        Some(_) => return Err(bad_request("`query` must be a string")),
    };
    let operation_name = match object.remove("operationName") {
        None | Some(Value::Null) => None,
        Some(Value::String(name)) => Some(name),
        Some(_) => return Err(bad_request("`operationName` must be a string")),
    };
    let variables = optional_object(object.remove("variables"), "variables")?;
    let extensions = optional_object(object.remove("extensions"), "extensions")?;
    Ok(Incoming {
        query,
        operation_name,
        variables,
        extensions,
    })
}

fn decode_get(params: &HashMap<String, String>) -> Result<Incoming, Refused> {
    let length: usize = params.values().map(String::len).sum();
    if length > crate::MAX_BODY_BYTES {
        return Err(Refused::Http(
            StatusCode::URI_TOO_LONG,
            format!(
                "the GET parameters are {length} bytes, more than {}; send the query by POST",
                crate::MAX_BODY_BYTES
            ),
        ));
    }
    let json_param = |name: &str| -> Result<Option<Value>, Refused> {
        let Some(text) = params.get(name) else {
            return Ok(None);
        };
        let value = serde_json::from_str::<Value>(text)
            .map_err(|e| bad_request(format!("`{name}` is not valid JSON ({e})")))?;
        optional_object(Some(value), name)
    };
    Ok(Incoming {
        query: params.get("query").cloned(),
        operation_name: params.get("operationName").cloned(),
        variables: json_param("variables")?,
        extensions: json_param("extensions")?,
    })
}

fn bad_request(message: impl Into<String>) -> Refused {
    Refused::Http(StatusCode::BAD_REQUEST, message.into())
}

fn optional_object(value: Option<Value>, name: &str) -> Result<Option<Value>, Refused> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(value @ Value::Object(_)) => Ok(Some(value)),
        Some(_) => Err(bad_request(format!("`{name}` must be a JSON object"))),
    }
}

/// The query text to run: sent, or looked up by its persisted hash.
fn resolve_query(
    state: &AppState,
    incoming: &Incoming,
    persisted: &Persisted,
) -> Result<String, Refused> {
    match (&incoming.query, persisted) {
        (Some(query), Persisted::Hash(hash)) if persisted::hash(query) != *hash => {
            Err(Refused::Graphql(Refusal(json!({ "errors": [{
                "message": "provided sha does not match query",
                "extensions": { "code": "BAD_USER_INPUT" }
            }] }))))
        }
        (Some(query), _) => Ok(query.clone()),
        (None, Persisted::Hash(hash)) => state
            .http
            .persisted
            .get(hash)
            .ok_or_else(|| Refused::Graphql(persisted::not_found())),
        (None, Persisted::None) => Err(bad_request(
            "the request has no `query` (nor a known persisted query hash)",
        )),
    }
}

/// Runs one request. `get` holds the request headers of a GET, whose answer is
/// cacheable; POST answers are not.
async fn answer(
    state: &AppState,
    incoming: Incoming,
    get: Option<&HeaderMap>,
    started: Instant,
) -> Response {
    let resolved = persisted::read(incoming.extensions.as_ref())
        .map_err(Refused::Graphql)
        .and_then(|persisted| Ok((resolve_query(state, &incoming, &persisted)?, persisted)));
    let (query, persisted) = match resolved {
        Ok(pair) => pair,
        Err(refused) => return rejected(state, refused, started),
    };
    let operation = operation_name(&query, incoming.operation_name.as_deref()).map(str::to_owned);
    let metrics = &state.http.metrics;
    // One dataset from here to the answer, even if a reload swaps it meanwhile.
    let served = state.served();
    let etag = get.map(|_| state.http.etag(&served.fingerprint, &query, &incoming));
    if let Some(headers) = get {
        if is_mutation(&query) {
            return rejected(
                state,
                Refused::Http(
                    StatusCode::METHOD_NOT_ALLOWED,
                    "mutations are not accepted over GET: use POST".into(),
                ),
                started,
            );
        }
        if let Some(etag) = &etag {
            if if_none_match(headers, etag) {
                metrics.record(
                    operation.as_deref(),
                    Outcome::NotModified,
                    started.elapsed(),
                );
                return (
                    StatusCode::NOT_MODIFIED,
                    [
                        (header::ETAG, etag.clone()),
                        (header::CACHE_CONTROL, cache_control()),
                    ],
                )
                    .into_response();
            }
        }
    }

    let planned = served.plans.answer(
        &query,
        incoming.operation_name.as_deref(),
        incoming.variables.as_ref(),
    );
    metrics.record_engine(planned.is_some());
    let answer = match planned {
        Some(body) => Ok(Answer {
            document_ok: true,
            errors: false,
            body,
        }),
        None => run_schema(state, &served, &query, incoming).await,
    };
    let answer = match answer {
        Ok(answer) => answer,
        Err(NotRun::Busy(waited)) => {
            metrics.record(operation.as_deref(), Outcome::Rejected, started.elapsed());
            return busy(waited);
        }
        Err(NotRun::TimedOut(limit)) => {
            metrics.record(operation.as_deref(), Outcome::Error, started.elapsed());
            return timed_out(limit);
        }
        Err(NotRun::Failed) => {
            metrics.record(operation.as_deref(), Outcome::Error, started.elapsed());
            return error_response(StatusCode::INTERNAL_SERVER_ERROR, "internal error");
        }
    };
    if let (Persisted::Hash(hash), true) = (persisted, answer.document_ok) {
        state.http.persisted.insert(hash, &query);
    }
    let outcome = if answer.errors {
        Outcome::Error
    } else {
        Outcome::Ok
    };
    metrics.record(operation.as_deref(), outcome, started.elapsed());
    let body = answer.body;
    let limit = state.http.max_response_bytes;
    if body.len() > limit {
        return error_with_code(
            StatusCode::OK,
            format!(
                "the answer would be {} bytes, more than this server's limit of {limit}; ask for less (fewer fields or aliases, a smaller `first` or `depth`)",
                body.len()
            ),
            "RESPONSE_TOO_LARGE",
        );
    }
    let mut reply = (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response();
    if let (Some(etag), Outcome::Ok) = (etag, outcome) {
        let headers = reply.headers_mut();
        headers.insert(header::ETAG, etag);
        headers.insert(header::CACHE_CONTROL, cache_control());
    }
    reply
}

/// Runs `query` through the schema (the general executor), and compiles a
/// plan for it when it was answered without error.
async fn run_schema(
    state: &AppState,
    served: &crate::Served,
    query: &str,
    incoming: Incoming,
) -> Result<Answer, NotRun> {
    let operation = incoming.operation_name.clone();
    let mut request = async_graphql::Request::new(query);
    if let Some(name) = incoming.operation_name {
        request = request.operation_name(name);
    }
    if let Some(variables) = incoming.variables {
        request = request.variables(async_graphql::Variables::from_json(variables));
    }
    let answer = state
        .http
        .executor
        .run_then(&served.schema, request, Answer::of)
        .await?;
    if !answer.errors {
        served.plans.learn(query, operation.as_deref());
    }
    Ok(answer)
}

/// An executed request, serialised where it ran.
struct Answer {
    /// No error is the document's own (parse, validation, limits): errors at a
    /// path (an unknown id) are data, and such a document is worth keeping.
    document_ok: bool,
    /// Whether there are errors at all.
    errors: bool,
    /// The JSON body.
    body: Vec<u8>,
}

impl Answer {
    fn of(mut response: async_graphql::Response) -> Answer {
        for error in &mut response.errors {
            // A parse error quotes the offending line, which may be the whole query.
            if error.message.len() > MAX_ERROR_MESSAGE {
                error.message = clip(&error.message, MAX_ERROR_MESSAGE);
            }
        }
        Answer {
            document_ok: response.errors.iter().all(|e| !e.path.is_empty()),
            errors: !response.errors.is_empty(),
            // Serialising plain values into memory cannot fail.
            body: serde_json::to_vec(&response).unwrap_or_default(),
        }
    }
}

/// 503 with `Retry-After` and a `SERVER_BUSY` error.
fn busy(waited: std::time::Duration) -> Response {
    let message = format!(
        "the server is busy: every worker stayed taken for {} s; retry shortly",
        waited.as_secs()
    );
    let mut response = error_with_code(StatusCode::SERVICE_UNAVAILABLE, message, "SERVER_BUSY");
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    response
}

/// The answer to a request whose work ran past the time limit and was stopped.
fn timed_out(limit: std::time::Duration) -> Response {
    let message = format!(
        "the request ran longer than {} s and was stopped; ask for less (a smaller limit, depth or first)",
        limit.as_secs_f64()
    );
    error_with_code(StatusCode::GATEWAY_TIMEOUT, message, "TIMEOUT")
}

fn cache_control() -> HeaderValue {
    HeaderValue::from_str(&format!("public, max-age={GET_MAX_AGE_SECONDS}"))
        .unwrap_or(HeaderValue::from_static("no-cache"))
}

/// Whether `If-None-Match` names `etag`. `*` is not honoured: it would answer
/// 304 to a query never run, even an invalid one.
fn if_none_match(headers: &HeaderMap, etag: &HeaderValue) -> bool {
    let Some(wanted) = etag.to_str().ok() else {
        return false;
    };
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == wanted.trim_start_matches("W/"))
}

impl crate::HttpShared {
    /// A strong ETag for the answer to `query` with the request's variables and
    /// operation name, on the dataset of `fingerprint`.
    fn etag(&self, fingerprint: &str, query: &str, incoming: &Incoming) -> HeaderValue {
        let mut hasher = blake3::Hasher::new();
        for part in [
            fingerprint,
            self.config.as_str(),
            query,
            incoming.operation_name.as_deref().unwrap_or(""),
        ] {
            hasher.update(&(part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        }
        let variables = incoming
            .variables
            .as_ref()
            .map(Value::to_string)
            .unwrap_or_default();
        hasher.update(variables.as_bytes());
        let hex = hasher.finalize().to_hex();
        // Weak: the same answer goes out gzip, brotli, zstd or plain.
        HeaderValue::from_str(&format!("W/\"{}\"", &hex[..32]))
            .unwrap_or(HeaderValue::from_static("\"0\""))
    }
}

/// Whether the document holds a mutation or subscription. A token scan rather
/// than a parse: GET must not parse every document a second time, and this
/// schema has neither, so any such document is refused anyway.
fn is_mutation(query: &str) -> bool {
    query
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .any(|word| word == "mutation" || word == "subscription")
}

/// A panic becomes a bare 500: its payload may hold internal text.
pub(crate) fn panic_response(_payload: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    error_response(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
}
