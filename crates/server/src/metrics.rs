//! `/metrics` in the Prometheus text format: GraphQL requests by operation name
//! and outcome, their latency, requests in flight, the dataset's counts and the
//! version. Operation names are chosen by clients, so only the first
//! [`MAX_OPERATION_NAMES`] distinct names get a series of their own; later ones
//! are counted as `other`, which keeps the number of series bounded.

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry,
    TextEncoder,
};
use std::collections::HashSet;
use std::sync::Mutex;
use std::time::Duration;

/// Distinct operation names that get series of their own.
pub const MAX_OPERATION_NAMES: usize = 200;

/// The server's metrics and the registry they are exposed from.
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    engines: IntCounterVec,
    latency: HistogramVec,
    in_flight: IntGauge,
    entities: IntGaugeVec,
    relations: IntGaugeVec,
    names: Mutex<HashSet<String>>,
}

/// How a GraphQL request ended, as the `outcome` label says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Data and no errors.
    Ok,
    /// A response that carries GraphQL errors.
    Error,
    /// Answered `304 Not Modified` from the client's cached copy.
    NotModified,
    /// Refused before execution (bad HTTP, bad JSON, unknown persisted query).
    Rejected,
}

impl Outcome {
    fn label(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Error => "error",
            Outcome::NotModified => "not_modified",
            Outcome::Rejected => "rejected",
        }
    }
}

impl Metrics {
    /// Metrics for a server of `entities` and `relations`, counts by kind and type
    /// as given.
    pub fn new(by_kind: &[(String, usize)], by_type: &[(String, usize)]) -> Metrics {
        let registry =
            Registry::new_custom(Some("govgraph".into()), None).expect("a fixed, valid prefix");
        let requests = IntCounterVec::new(
            Opts::new(
                "graphql_requests_total",
                "GraphQL requests by operation name and outcome.",
            ),
            &["operation", "outcome"],
        )
        .expect("a valid metric");
        let engines = IntCounterVec::new(
            Opts::new(
                "graphql_executions_total",
                "GraphQL requests run, by engine: a compiled plan, or the schema's executor.",
            ),
            &["engine"],
        )
        .expect("a valid metric");
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "graphql_request_duration_seconds",
                "Time to answer a GraphQL request, by outcome.",
            )
            .buckets(vec![
                0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
                10.0, 30.0,
            ]),
            &["outcome"],
        )
        .expect("a valid metric");
        let in_flight = IntGauge::new(
            "graphql_requests_in_flight",
            "GraphQL requests being answered now.",
        )
        .expect("a valid metric");
        let entities = IntGaugeVec::new(
            Opts::new("dataset_entities", "Entities served, by kind."),
            &["kind"],
        )
        .expect("a valid metric");
        let relations = IntGaugeVec::new(
            Opts::new("dataset_relations", "Relations served, by type."),
            &["type"],
        )
        .expect("a valid metric");
        let info = IntGaugeVec::new(
            Opts::new("build_info", "The govgraph version serving; always 1."),
            &["version"],
        )
        .expect("a valid metric");
        info.with_label_values(&[env!("CARGO_PKG_VERSION")]).set(1);
        for collector in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(engines.clone()),
            Box::new(latency.clone()),
            Box::new(in_flight.clone()),
            Box::new(entities.clone()),
            Box::new(relations.clone()),
            Box::new(info),
        ] {
            registry
                .register(collector)
                .expect("each metric is registered once");
        }
        let metrics = Metrics {
            registry,
            requests,
            engines,
            latency,
            in_flight,
            entities,
            relations,
            names: Mutex::new(HashSet::new()),
        };
        metrics.set_dataset(by_kind, by_type);
        metrics
    }

    /// Counts a request run by a compiled plan (`planned`) or by the schema.
    pub fn record_engine(&self, planned: bool) {
        let engine = if planned { "plan" } else { "schema" };
        self.engines.with_label_values(&[engine]).inc();
    }

    /// Sets the dataset's counts, by kind and by type (after a reload too).
    pub fn set_dataset(&self, by_kind: &[(String, usize)], by_type: &[(String, usize)]) {
        self.entities.reset();
        self.relations.reset();
        for (kind, count) in by_kind {
            self.entities.with_label_values(&[kind]).set(*count as i64);
        }
        for (ty, count) in by_type {
            self.relations.with_label_values(&[ty]).set(*count as i64);
        }
    }

    /// Marks a request as started; the guard marks it finished when dropped,
    /// also when the request is cancelled.
    pub fn start(&self) -> InFlight<'_> {
        self.in_flight.inc();
        InFlight(self)
    }

    /// Counts one answered request.
    pub fn record(&self, operation: Option<&str>, outcome: Outcome, took: Duration) {
        let operation = self.operation_label(operation, outcome);
        self.requests
            .with_label_values(&[operation.as_str(), outcome.label()])
            .inc();
        self.latency
            .with_label_values(&[outcome.label()])
            .observe(took.as_secs_f64());
    }

    fn operation_label(&self, operation: Option<&str>, outcome: Outcome) -> String {
        let Some(name) = operation.filter(|n| !n.is_empty()) else {
            return "anonymous".to_owned();
        };
        // Only names of answered operations, well formed and short, take one of
        // the series: junk requests cannot use them up.
        let well_formed = name.len() <= 64
            && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !well_formed || outcome != Outcome::Ok {
            let known = self.names.lock().is_ok_and(|names| names.contains(name));
            return if known {
                name.to_owned()
            } else {
                "other".to_owned()
            };
        }
        let Ok(mut names) = self.names.lock() else {
            return "other".to_owned();
        };
        if names.contains(name) || names.len() < MAX_OPERATION_NAMES {
            names.insert(name.to_owned());
            name.to_owned()
        } else {
            "other".to_owned()
        }
    }

    /// The text exposition.
    pub fn render(&self) -> String {
        let mut out = Vec::new();
        // Encoding into a Vec cannot fail for these metric types.
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut out);
        String::from_utf8(out).unwrap_or_default()
    }
}

/// A request in flight; dropping it ends it.
pub struct InFlight<'m>(&'m Metrics);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.dec();
    }
}

/// The name of the operation a document runs: `operation_name` when given, else
/// the name of its first operation, if it has one.
///
/// Written by hand rather than parsed with the GraphQL parser: this runs on every
/// request, only needs the first definition's name, and must not parse the
/// document a second time (the document cache parses it once).
pub fn operation_name<'q>(query: &'q str, operation_name: Option<&'q str>) -> Option<&'q str> {
    if let Some(name) = operation_name.filter(|n| !n.is_empty()) {
        return Some(name);
    }
    let mut rest = query;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',' || c == '\u{feff}');
        if let Some(comment) = rest.strip_prefix('#') {
            rest = comment.split_once('\n').map_or("", |(_, after)| after);
            continue;
        }
        break;
    }
    let after_keyword = ["query", "mutation", "subscription"]
        .iter()
        .find_map(|kw| rest.strip_prefix(kw))?;
    if !after_keyword.starts_with(|c: char| c.is_whitespace() || c == ',') {
        return None;
    }
    let name = after_keyword.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
    let end = name
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(name.len());
    let name = &name[..end];
    (!name.is_empty() && !name.starts_with(|c: char| c.is_ascii_digit())).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(query: &str, given: Option<&str>, expected: Option<&str>) {
        assert_eq!(operation_name(query, given), expected, "{query:?}");
    }

    #[test]
    fn operation_names() {
        check("query Foo { a }", None, Some("Foo"));
        check(
            "  # a comment\n query Foo($x: Int) { a }",
            None,
            Some("Foo"),
        );
        check("{ a }", None, None);
        check("query { a }", None, None);
        check("query($x: Int) { a }", None, None);
        check("queryFoo { a }", None, None);
        check("mutation M { a }", None, Some("M"));
        check("query A { a } query B { b }", Some("B"), Some("B"));
    }

    #[test]
    fn operation_name_series_are_bounded() {
        let metrics = Metrics::new(&[], &[]);
        for i in 0..MAX_OPERATION_NAMES + 50 {
            metrics.record(
                Some(&format!("Op{i}")),
                Outcome::Ok,
                Duration::from_millis(1),
            );
        }
        let text = metrics.render();
        let series = text
            .lines()
            .filter(|l| l.starts_with("govgraph_graphql_requests_total{"))
            .count();
        assert_eq!(series, MAX_OPERATION_NAMES + 1, "named series plus `other`");
        assert!(text.contains("operation=\"other\",outcome=\"ok\"} 50"));
    }
}
