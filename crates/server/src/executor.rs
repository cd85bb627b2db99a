//! Where GraphQL requests run: off the async workers, a bounded number at once.
//!
//! Resolvers walk the graph synchronously, and a path search or a centrality
//! ranking can take seconds of CPU. Run on the two async workers, one such
//! request stalls every other client, `/health` included. Here each execution
//! runs on tokio's blocking pool, behind a semaphore: at most `permits` run at
//! once, the rest wait up to `queue_wait` and are then refused with
//! `SERVER_BUSY` (HTTP 503 with `Retry-After`), so the async workers stay free
//! to accept connections and answer cheap routes.
//!
//! Work on the pool can be stopped: each execution runs under a
//! [`govgraph_graph::Interrupt`] that fires at the time limit, or as soon as
//! the request's future is dropped (the client went away, or the server's
//! request timeout answered first). The graph's long loops then stop, the
//! permit is freed, and the partial answer is thrown away.
//!
//! Lookups (an entity, a page of relations, counts) cost microseconds, less than
//! the hand-off to another thread, so only documents that name a field that
//! can do real work ([`HEAVY_FIELDS`]) take that route; the others run inline.

use async_graphql::{Request, Response};
use govgraph_api::GovSchema;
use govgraph_graph::Interrupt;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// Fields whose resolvers can take more than a millisecond: traversals, search,
/// analytics, exports and introspection.
pub(crate) const HEAVY_FIELDS: &[&str] = &[
    "path",
    "paths",
    "neighborhood",
    "timeline",
    "centrality",
    "search",
    "export",
    "partnershipNetwork",
    "implementations",
    "profileOverlap",
    "agreementsWith",
    "mentions",
    "__schema",
];

/// Whether `query` names a heavy field (as a whole word). Errs towards heavy:
/// a word in a string or a comment only sends a cheap request the long way.
pub(crate) fn is_heavy(query: &str) -> bool {
    // A long document costs real work to parse and validate, whatever it names.
    query.len() > LONG_DOCUMENT
        || query
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .any(|word| HEAVY_FIELDS.contains(&word))
}

/// Documents longer than this take the worker pool, whatever fields they name.
const LONG_DOCUMENT: usize = 4096;

/// Why a request was not run.
#[derive(Debug)]
pub(crate) enum NotRun {
    /// Every permit stayed taken for the whole queue wait.
    Busy(Duration),
    /// The blocking task failed (a panic in a resolver).
    Failed,
    /// The work ran past the time limit and was stopped.
    TimedOut(Duration),
}

/// Raises its interrupt when dropped: when the future awaiting the work is
/// dropped before the work is done, nobody is left to read the answer.
struct RaiseOnDrop(Interrupt);

impl Drop for RaiseOnDrop {
    fn drop(&mut self) {
        self.0.raise();
    }
}

/// Runs requests on the blocking pool, a bounded number at once.
pub(crate) struct Executor {
    permits: Arc<Semaphore>,
    queue_wait: Duration,
    time_limit: Duration,
}

impl Executor {
    /// At most `permits` requests at once; others wait up to `queue_wait`;
    /// each runs for at most `time_limit` from its arrival.
    pub(crate) fn new(permits: usize, queue_wait: Duration, time_limit: Duration) -> Self {
        Executor {
            permits: Arc::new(Semaphore::new(permits.max(1))),
            queue_wait,
            time_limit,
        }
    }

    /// Changes how long one request's work may run.
    pub(crate) fn set_time_limit(&mut self, time_limit: Duration) {
        self.time_limit = time_limit;
    }

    /// Runs `request` on `schema`: inline when it is cheap, else on the blocking
    /// pool once a permit is free.
    #[cfg(test)]
    pub(crate) async fn run(
        &self,
        schema: &GovSchema,
        request: Request,
    ) -> Result<Response, NotRun> {
        self.run_then(schema, request, |response| response).await
    }

    /// Runs `request` on `schema` (inline when it is cheap, else on the
    /// blocking pool once a permit is free), then `finish` on the answer on the
    /// same thread: a heavy request's answer is serialised off the async
    /// workers too.
    pub(crate) async fn run_then<T: Send + 'static>(
        &self,
        schema: &GovSchema,
        request: Request,
        finish: impl FnOnce(Response) -> T + Send + 'static,
    ) -> Result<T, NotRun> {
        if !is_heavy(&request.query) {
            return Ok(finish(schema.execute(request).await));
        }
        let interrupt = Interrupt::new(Some(Instant::now() + self.time_limit));
        let _raise_on_drop = RaiseOnDrop(interrupt.clone());
        let permit = tokio::time::timeout(self.queue_wait, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| NotRun::Busy(self.queue_wait))?
            .map_err(|_| NotRun::Failed)?;
        let schema = schema.clone();
        let runtime = tokio::runtime::Handle::current();
        let worker = interrupt.clone();
        let answer = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            // block_on polls the resolvers on this very thread, where the
            // interrupt is in force.
            let response = worker.run(|| runtime.block_on(schema.execute(request)));
            finish(response)
        })
        .await
        .map_err(|_| NotRun::Failed)?;
        // A fired interrupt may have cut a loop short: the answer may be partial.
        // (Dropping the guard afterwards raises it too, changing nothing.)
        if interrupt.fired() {
            return Err(NotRun::TimedOut(self.time_limit));
        }
        Ok(answer)
    }
}

/// Permits by default: one fewer than the cores, at least one, so that heavy
/// work never takes every core from the async workers that answer everyone
/// else (on two cores, one heavy request at a time).
pub(crate) fn default_permits() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().saturating_sub(1).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use govgraph_graph::Graph;

    #[tokio::test]
    async fn a_request_waits_for_a_worker_then_is_refused_as_busy() {
        let schema = govgraph_api::schema(
            Arc::new(Graph::build(Default::default()).0),
            govgraph_api::Limits::default(),
        );
        let executor = Executor::new(1, Duration::from_millis(50), Duration::from_secs(60));
        let heavy = "{ search(query: \"x\") { id } }";
        let answer = executor
            .run(&schema, Request::new(heavy))
            .await
            .expect("a free worker runs it");
        assert!(answer.errors.is_empty());
        // With the only permit held, a heavy request waits out the queue, then is
        // refused; a cheap one still runs inline.
        let held = executor
            .permits
            .clone()
            .try_acquire_owned()
            .expect("the permit");
        let refused = executor.run(&schema, Request::new(heavy)).await;
        assert!(matches!(refused, Err(NotRun::Busy(_))), "{refused:?}");
        assert!(executor
            .run(&schema, Request::new("{ stats { entities } }"))
            .await
            .is_ok());
        drop(held);
        assert!(executor.run(&schema, Request::new(heavy)).await.is_ok());
    }

    #[tokio::test]
    async fn work_past_the_time_limit_is_stopped_and_frees_its_worker() {
        let schema = govgraph_api::schema(
            Arc::new(Graph::build(Default::default()).0),
            govgraph_api::Limits::default(),
        );
        let executor = Executor::new(1, Duration::from_millis(50), Duration::ZERO);
        let heavy = Request::new("{ search(query: \"x\") { id } }");
        let stopped = executor.run(&schema, heavy).await;
        assert!(matches!(stopped, Err(NotRun::TimedOut(_))), "{stopped:?}");
        assert!(
            executor.permits.clone().try_acquire_owned().is_ok(),
            "the worker is free again"
        );
        // A cheap request runs inline, outside the limit.
        assert!(executor
            .run(&schema, Request::new("{ stats { entities } }"))
            .await
            .is_ok());
    }

    #[test]
    fn heavy_fields_are_told_apart() {
        assert!(is_heavy("{ paths(from: \"a\", to: \"b\") { length } }"));
        assert!(is_heavy("query Q { __schema { types { name } } }"));
        assert!(!is_heavy(
            "{ entity(id: \"law:x\") { name relations { totalCount } } }"
        ));
        assert!(!is_heavy("{ searchable }"));
    }
}
