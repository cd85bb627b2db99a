//! Apollo's Automatic Persisted Queries: a client sends the sha256 of a query in
//! `extensions.persistedQuery`; if the server knows it, the query text need not
//! travel (and a GET with only the hash is short enough for a CDN to cache); if
//! not, the server answers `PersistedQueryNotFound` and the client sends the text
//! once with its hash. Only texts whose hash matches and that parsed and
//! validated are kept, in a store bounded in entries and bytes, oldest first out.
//!
//! Written here rather than with async-graphql's extension, which keeps any
//! parsed document (valid or not) in an entry-bounded cache, answers without the
//! `PERSISTED_QUERY_NOT_FOUND` code Apollo's clients look for, and takes the
//! query text away from the request before our document cache sees it.

use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

/// Most query texts kept.
const MAX_ENTRIES: usize = 4096;
/// Most bytes of query text kept.
const MAX_BYTES: usize = 16 * 1024 * 1024;

/// The `persistedQuery` extension of a request, once read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Persisted {
    /// No `persistedQuery` extension.
    None,
    /// A valid extension with this sha256 (lower-case hex).
    Hash(String),
}

/// Why a persisted-query request is refused, as a GraphQL error body.
#[derive(Debug)]
pub(crate) struct Refusal(pub(crate) Value);

fn refusal(message: &str, code: &str) -> Refusal {
    Refusal(json!({ "errors": [{ "message": message, "extensions": { "code": code } }] }))
}

/// Reads `extensions.persistedQuery` (version 1 with a `sha256Hash`).
pub(crate) fn read(extensions: Option<&Value>) -> Result<Persisted, Refusal> {
    let Some(pq) = extensions.and_then(|e| e.get("persistedQuery")) else {
        return Ok(Persisted::None);
    };
    if pq.get("version").and_then(Value::as_i64) != Some(1) {
        return Err(refusal(
            "Unsupported persisted query version: only version 1 is supported",
            "PERSISTED_QUERY_VERSION_NOT_SUPPORTED",
        ));
    }
    match pq.get("sha256Hash").and_then(Value::as_str) {
        Some(hash) if hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()) => {
            Ok(Persisted::Hash(hash.to_ascii_lowercase()))
        }
        _ => Err(refusal(
            "persistedQuery.sha256Hash must be 64 hexadecimal digits",
            "BAD_USER_INPUT",
        )),
    }
}

/// The refusal for a hash the server does not know, exactly as Apollo's clients expect.
pub(crate) fn not_found() -> Refusal {
    refusal("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")
}

/// The sha256 of `query`, lower-case hex.
pub(crate) fn hash(query: &str) -> String {
    Sha256::digest(query.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Known query texts by hash.
#[derive(Default)]
pub(crate) struct PersistedQueries {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    texts: HashMap<String, String>,
    order: VecDeque<String>,
    bytes: usize,
}

impl PersistedQueries {
    /// The query text of `hash`, if known.
    pub(crate) fn get(&self, hash: &str) -> Option<String> {
        self.inner.lock().ok()?.texts.get(hash).cloned()
    }

    /// Keeps `query` under `hash`; the caller has checked that it hashes so and
    /// that it validated.
    pub(crate) fn insert(&self, hash: String, query: &str) {
        if query.len() > MAX_BYTES {
            return;
        }
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        if inner.texts.contains_key(&hash) {
            return;
        }
        while inner.texts.len() >= MAX_ENTRIES || inner.bytes + query.len() > MAX_BYTES {
            let Some(oldest) = inner.order.pop_front() else {
                break;
            };
            if let Some(text) = inner.texts.remove(&oldest) {
                inner.bytes -= text.len();
            }
        }
        inner.bytes += query.len();
        inner.order.push_back(hash.clone());
        inner.texts.insert(hash, query.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_extension() {
        let ext = |v: Value| read(Some(&json!({ "persistedQuery": v })));
        let h = hash("{ stats { entities } }");
        assert_eq!(
            ext(json!({"version": 1, "sha256Hash": h.to_uppercase()})).unwrap(),
            Persisted::Hash(h.clone())
        );
        assert_eq!(read(None).unwrap(), Persisted::None);
        assert!(ext(json!({"version": 2, "sha256Hash": h})).is_err());
        assert!(ext(json!({"version": 1, "sha256Hash": "abc"})).is_err());
    }

    #[test]
    fn hashes_like_apollo() {
        // sha256("{ __typename }"), as `printf '{ __typename }' | sha256sum` prints it.
        assert_eq!(
            hash("{ __typename }"),
            "7f56e67dd21ab3f30d1ff8b7bed08893f0a0db86449836189b361dd1e56ddb4b"
        );
    }

    #[test]
    fn bounded_oldest_first() {
        let store = PersistedQueries::default();
        for i in 0..MAX_ENTRIES + 3 {
            let q = format!("{{ q{i} }}");
            store.insert(hash(&q), &q);
        }
        assert!(store.get(&hash("{ q0 }")).is_none());
        assert!(store.get(&hash("{ q3 }")).is_some());
        let last = format!("{{ q{} }}", MAX_ENTRIES + 2);
        assert_eq!(store.get(&hash(&last)).as_deref(), Some(last.as_str()));
    }
}
