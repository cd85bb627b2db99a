//! Compiled plans: the hot operations answered without the general executor.
//!
//! async-graphql resolves every field through a boxed future and builds a
//! `Value` tree that is then serialised; for a page of 100 relations that is
//! about 900 resolved fields, and its cost dwarfs the graph lookups. A plan is
//! compiled once per document (the request text and the operation chosen),
//! after async-graphql has parsed, validated and answered it without error;
//! later requests with the same text run the plan, which walks the graph and
//! writes the response JSON straight into one buffer.
//!
//! A plan covers a part of the schema: `entity` and `relation` with everything
//! under them but `mentions` (see [`compile`]). Anything else (a document of
//! several operations, a response key repeated over different fields or
//! arguments), and any request whose variables or arguments would lead to an
//! error (a `first` out of range,
//! a cursor from another list, a complexity over the limit, a variable of the
//! wrong type), is declined, and the caller runs async-graphql instead, so the
//! answers, errors included, are async-graphql's. The differential tests
//! (`tests/e2e/plans.rs`) hold the two to the same bytes.
//!
//! Written here rather than taken from a crate: no Rust GraphQL library
//! compiles queries to writers (graphql-jit does it for graphql-js).

mod compile;
mod inputs;
mod write;

use crate::mentions::Mentions;
use govgraph_graph::Graph;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

pub(crate) use compile::Plan;

/// Most distinct documents kept before the cache is cleared.
const CAPACITY: usize = 1024;
/// Most bytes of request text kept before the cache is cleared.
const CAPACITY_BYTES: usize = 8 * 1024 * 1024;

/// What is known about one document: its plan, or that it has none.
type Known = Option<Arc<Plan>>;

/// Per request text, per operation name: the plan, or `None` when the
/// document is not one a plan covers.
#[derive(Default)]
struct Cache {
    by_text: HashMap<String, Vec<(Option<String>, Known)>>,
    bytes: usize,
}

/// Plans of the documents served so far, over one graph.
pub struct Plans {
    graph: Arc<Graph>,
    mentions: Arc<Mentions>,
    complexity: usize,
    cache: RwLock<Cache>,
}

impl Plans {
    /// Plans over `graph`, refusing (leaving to async-graphql) any request whose
    /// complexity may exceed `complexity`.
    pub(crate) fn new(graph: Arc<Graph>, mentions: Arc<Mentions>, complexity: usize) -> Self {
        Plans {
            graph,
            mentions,
            complexity,
            cache: RwLock::default(),
        }
    }

    /// The response body (`{"data":…}`) for `query` run as `operation` with
    /// `variables`, when a plan for it is known and covers this request;
    /// `None` means: run it through the schema, then [`Plans::learn`] it.
    pub fn answer(
        &self,
        query: &str,
        operation: Option<&str>,
        variables: Option<&serde_json::Value>,
    ) -> Option<Vec<u8>> {
        let plan = self.plan(query, operation)?;
        let env = write::Env {
            graph: &self.graph,
            mentions: &self.mentions,
        };
        plan.run(&env, variables, self.complexity)
    }

    /// Compiles a plan for `query` as `operation`, which the schema has just
    /// answered without error (so it parses and validates), unless it is known.
    pub fn learn(&self, query: &str, operation: Option<&str>) {
        if self.known(query, operation).is_some() {
            return;
        }
        let plan = compile::compile(query, operation).map(Arc::new);
        let Ok(mut cache) = self.cache.write() else {
            return;
        };
        if cache.by_text.len() >= CAPACITY || cache.bytes + query.len() > CAPACITY_BYTES {
            *cache = Cache::default();
        }
        cache.bytes += query.len();
        cache
            .by_text
            .entry(query.to_owned())
            .or_default()
            .push((operation.map(str::to_owned), plan));
    }

    fn known(&self, query: &str, operation: Option<&str>) -> Option<Known> {
        let cache = self.cache.read().ok()?;
        cache
            .by_text
            .get(query)?
            .iter()
            .find(|(name, _)| name.as_deref() == operation)
            .map(|(_, known)| known.clone())
    }

    fn plan(&self, query: &str, operation: Option<&str>) -> Option<Arc<Plan>> {
        self.known(query, operation).flatten()
    }
}
