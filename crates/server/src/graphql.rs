//! The `/graphql` endpoint: JSON over POST, queries over GET.
//!
//! The body is read and decoded here rather than by async-graphql-axum's
//! extractor, which reads the body itself and so bypasses axum's body limit;
//! decoding here also lets us refuse batches and answer malformed JSON with a
//! plain 400 that carries no internal text.

use crate::AppState;
use async_graphql::parser::types::{DocumentOperations, OperationType};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use std::collections::HashMap;

fn error_response(status: StatusCode, message: impl Into<String>) -> Response {
    (
        status,
        axum::Json(json!({ "errors": [{ "message": message.into() }] })),
    )
        .into_response()
}

async fn execute(state: &AppState, request: async_graphql::Request) -> Response {
    let response = state.schema.execute(request).await;
    axum::Json(response).into_response()
}

/// POST: a JSON body `{ query, variables?, operationName? }`.
pub(crate) async fn post_handler(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Response {
    let body = match body {
        Ok(body) => body,
        Err(rejection) => {
            let status = rejection.status();
            let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
                format!("request body larger than {} bytes", crate::MAX_BODY_BYTES)
            } else {
                "cannot read the request body".to_owned()
            };
            return error_response(status, message);
        }
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/json");
    if !content_type.starts_with("application/json") {
        return error_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the request as application/json",
        );
    }
    let value: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                format!("the request body is not valid JSON ({e})"),
            )
        }
    };
    if value.is_array() {
        return error_response(
            StatusCode::BAD_REQUEST,
            "batched requests are not supported: send one operation per request",
        );
    }
    if !value.get("query").is_some_and(serde_json::Value::is_string) {
        return error_response(
            StatusCode::BAD_REQUEST,
            "the request body has no `query` string",
        );
    }
    let request: async_graphql::Request = match serde_json::from_value(value) {
        Ok(r) => r,
        Err(e) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                format!("the request body is not a GraphQL request ({e})"),
            )
        }
    };
    execute(&state, request).await
}

/// GET: `?query=…&variables=…&operationName=…`; queries only.
pub(crate) async fn get_handler(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let Some(query) = params.get("query") else {
        return error_response(StatusCode::BAD_REQUEST, "missing the `query` parameter");
    };
    if is_mutation(query, params.get("operationName").map(String::as_str)) {
        return error_response(
            StatusCode::METHOD_NOT_ALLOWED,
            "mutations are not accepted over GET: use POST",
        );
    }
    let mut request = async_graphql::Request::new(query.clone());
    if let Some(name) = params.get("operationName") {
        request = request.operation_name(name.clone());
    }
    if let Some(variables) = params.get("variables") {
        match serde_json::from_str::<serde_json::Value>(variables) {
            Ok(v) => request = request.variables(async_graphql::Variables::from_json(v)),
            Err(e) => {
                return error_response(
                    StatusCode::BAD_REQUEST,
                    format!("`variables` is not valid JSON ({e})"),
                )
            }
        }
    }
    execute(&state, request).await
}

/// Whether the operation that would run is a mutation (or subscription).
fn is_mutation(query: &str, operation_name: Option<&str>) -> bool {
    let Ok(document) = async_graphql::parser::parse_query(query) else {
        return false;
    };
    let is_write = |ty: OperationType| ty != OperationType::Query;
    match &document.operations {
        DocumentOperations::Single(op) => is_write(op.node.ty),
        DocumentOperations::Multiple(ops) => match operation_name {
            Some(name) => ops.get(name).is_some_and(|op| is_write(op.node.ty)),
            None => ops.values().any(|op| is_write(op.node.ty)),
        },
    }
}

/// A panic becomes a bare 500: its payload may hold internal text.
pub(crate) fn panic_response(_payload: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    error_response(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
}
