//! A cache of parsed and validated GraphQL documents.
//!
//! Clients send the same few operations again and again; parsing (a PEG
//! parser) and validating them (every rule, plus the depth, complexity and
//! directive limits) cost more than resolving a lookup. The cache keeps, per
//! exact request text (query, operation name and variables, since complexity
//! depends on variables), the parsed document and the validation result, and
//! replays them. Only documents that passed validation are kept, so errors are
//! always computed afresh; the cache is bounded and simply cleared when full.
//!
//! It is also where a new document is parsed and measured (see
//! [`crate::shape`]), before async-graphql's own parse step could expand its
//! fragments.

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextPrepareRequest,
    NextValidation,
};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{Request, ServerError, ServerResult, ValidationResult, Variables};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::shape::ShapeLimits;

/// Most distinct requests kept before the cache is cleared.
const CAPACITY: usize = 1024;
/// The memory the cache may hold, as estimated by [`estimated_bytes`], before
/// it is cleared: bounded whatever the requests' sizes (64 KiB bodies × 1,024
/// would not be).
const CAPACITY_BYTES: usize = 64 * 1024 * 1024;
/// How much memory an entry takes per byte of its request text: a document of
/// thousands of short fields parses into about 32 times its text (measured:
/// 62 KB of text, 2 MB parsed), and its key and validation result come on top.
const BYTES_PER_TEXT_BYTE: usize = 34;

/// The memory an entry for a request text of `len` bytes is counted for.
fn estimated_bytes(len: usize) -> usize {
    len.saturating_mul(BYTES_PER_TEXT_BYTE)
}

#[derive(Clone)]
struct Entry {
    document: ExecutableDocument,
    validation: Option<ValidationResult>,
}

/// The entries and the memory they are counted for.
#[derive(Default)]
struct Entries {
    map: HashMap<String, Entry>,
    bytes: usize,
}

type Shared = Arc<Mutex<Entries>>;

/// The extension factory: one shared cache, one extension per request. It also
/// measures each newly parsed document's shape (see [`crate::shape`]) before
/// anything expands its fragments, so only documents within the limits are cached.
#[derive(Clone)]
pub(crate) struct DocumentCache {
    entries: Shared,
    limits: ShapeLimits,
}

impl DocumentCache {
    /// An empty cache whose documents must fit `limits`.
    pub(crate) fn new(limits: ShapeLimits) -> Self {
        DocumentCache {
            entries: Shared::default(),
            limits,
        }
    }
}

impl ExtensionFactory for DocumentCache {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(PerRequest {
            entries: self.entries.clone(),
            limits: self.limits,
            key: Mutex::new(None),
            document: Mutex::new(None),
            parsed: Mutex::new(None),
        })
    }
}

struct PerRequest {
    entries: Shared,
    limits: ShapeLimits,
    /// This request's cache key, set when the request is prepared.
    key: Mutex<Option<String>>,
    /// This request's document, parsed and measured when the request is
    /// prepared, until [`Extension::parse_query`] hands it to async-graphql.
    document: Mutex<Option<ExecutableDocument>>,
    /// A copy of a newly parsed document, kept once it has validated.
    parsed: Mutex<Option<ExecutableDocument>>,
}

impl PerRequest {
    fn key(&self) -> Option<String> {
        self.key.lock().ok().and_then(|k| k.clone())
    }

    fn lookup(&self, key: &str) -> Option<Entry> {
        self.entries.lock().ok()?.map.get(key).cloned()
    }

    fn update(&self, key: String, change: impl FnOnce(Option<&mut Entry>) -> Option<Entry>) {
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if let Some(new) = change(entries.map.get_mut(&key)) {
            let added = estimated_bytes(key.len());
            if entries.map.len() >= CAPACITY || entries.bytes + added > CAPACITY_BYTES {
                entries.map.clear();
                entries.bytes = 0;
            }
            if entries.map.insert(key, new).is_none() {
                entries.bytes += added;
            }
        }
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for PerRequest {
    /// Parses and measures the document here, before async-graphql's own parse
    /// step, whose recursion-depth and directive checks expand every fragment
    /// spread anew (exponential in a document of a few hundred bytes); the
    /// measured document is then handed over in [`Self::parse_query`] without
    /// running that step. [`crate::shape`] enforces the same limits linearly.
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        let mut request = next.run(ctx, request).await?;
        // A request with uploads is not cached.
        let key = request.uploads.is_empty().then(|| {
            format!(
                "{}\u{0}{}\u{0}{:?}",
                request.query,
                request.operation_name.as_deref().unwrap_or(""),
                request.variables
            )
        });
        let cached = key.as_deref().and_then(|key| self.lookup(key));
        let document = match cached {
            Some(entry) => entry.document,
            None => {
                let document = request.parsed_query()?.clone();
                crate::shape::check(&document, self.limits)?;
                if let (Some(_), Ok(mut slot)) = (&key, self.parsed.lock()) {
                    *slot = Some(document.clone());
                }
                document
            }
        };
        if let Ok(mut slot) = self.document.lock() {
            *slot = Some(document);
        }
        if let (Some(key), Ok(mut slot)) = (key, self.key.lock()) {
            *slot = Some(key);
        }
        Ok(request)
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        match self.document.lock().ok().and_then(|mut slot| slot.take()) {
            Some(document) => Ok(document),
            None => next.run(ctx, query, variables).await,
        }
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let Some(key) = self.key() else {
            return next.run(ctx).await;
        };
        if let Some(validation) = self.lookup(&key).and_then(|e| e.validation) {
            return Ok(validation);
        }
        let result = next.run(ctx).await?;
        if let Some(document) = self.parsed.lock().ok().and_then(|slot| slot.clone()) {
            let misfits = crate::positions::check(&ctx.schema_env.registry, &document);
            if !misfits.is_empty() {
                return Err(misfits);
            }
        }
        // Only documents that passed validation are kept.
        if let Some(document) = self.parsed.lock().ok().and_then(|mut slot| slot.take()) {
            self.update(key, |_| {
                Some(Entry {
                    document,
                    validation: Some(result),
                })
            });
        }
        Ok(result)
    }
}

#[cfg(test)]
mod tests {
    use crate::Limits;
    use govgraph_graph::Graph;
    use std::sync::Arc;

    #[tokio::test]
    async fn cached_requests_answer_the_same_and_errors_stay_errors() {
        let schema = crate::schema(
            Arc::new(Graph::build(Default::default()).0),
            Limits::default(),
        );
        let query = "{ stats { entities relations } }";
        let first = schema.execute(query).await;
        let second = schema.execute(query).await;
        assert!(first.errors.is_empty());
        assert_eq!(
            serde_json::to_value(&first).unwrap(),
            serde_json::to_value(&second).unwrap()
        );
        for _ in 0..2 {
            let bad = schema.execute("{ stats { nope } }").await;
            assert_eq!(bad.errors.len(), 1, "validation errors are not cached away");
        }
        // The same text with other variables is validated on its own.
        let q = "query($n: Int) { search(query: \"x\", first: $n) { id } }";
        let ok = async_graphql::Request::new(q).variables(async_graphql::Variables::from_json(
            serde_json::json!({"n": 5}),
        ));
        assert!(schema.execute(ok).await.errors.is_empty());
        let too_many = async_graphql::Request::new(q).variables(
            async_graphql::Variables::from_json(serde_json::json!({"n": 100000})),
        );
        assert!(!schema.execute(too_many).await.errors.is_empty());
    }
}
