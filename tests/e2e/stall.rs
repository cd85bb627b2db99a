//! No request stalls the others: while the worst valid request of each heavy
//! kind (paths, timeline, search, export, centrality, neighbourhood) runs
//! again and again, sixteen clients of cheap requests (an entity lookup,
//! `/health`) keep their 99th-percentile latency under 50 ms with no error, on
//! the real data and on a generated graph of 100,000 relations.
//!
//! "Worst valid" is found, not assumed: each kind's request is tried with 64
//! aliases, then 32, 16, … 1, each with a rich selection and then the least
//! one, and the first that the limits accept (that is not refused before it
//! runs) is the one sent; so the test follows the limits as they change.
//! Heavy requests may be answered, refused by a limit or told `SERVER_BUSY`;
//! they may not fail, time out (408, 504) or take the server down.
//!
//! The cheap clients send on a fixed schedule (one request every 50 ms each,
//! 320 a second in all), and a latency counts from when its request was due,
//! so a stall delays every request behind it and is counted in full. The same
//! clients run alone for 2 s first; their p99 then is printed beside the
//! figures under load, for comparison (a loaded machine shows there).
//!
//! ```sh
//! cargo test -p govgraph --test e2e stall -- --nocapture --test-threads 1
//! ```

use govgraph_graph::Graph;
use govgraph_server::{AppState, ServeOptions};
use govgraph_tests::{default_graph, exclusive, TestServer};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The generated graph: 25,000 entities and 100,000 relations, seed 1.
pub(crate) fn synthetic_graph() -> Arc<Graph> {
    static GRAPH: OnceLock<Arc<Graph>> = OnceLock::new();
    GRAPH
        .get_or_init(|| {
            let synthetic = govgraph_synth::generate(govgraph_synth::Config {
                entities: 25_000,
                relations: 100_000,
                seed: 1,
            });
            Arc::new(Graph::build(synthetic.to_dataset()).0)
        })
        .clone()
}

/// The ids of the `n` entities with the most relations (ties by position).
pub(crate) fn hubs(g: &Graph, n: usize) -> Vec<String> {
    let mut by_degree: Vec<(usize, govgraph_graph::EntityIx)> =
        govgraph_graph::EntityIx::all(g.entity_count())
            .map(|e| (g.degree(e), e))
            .collect();
    by_degree.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    by_degree
        .iter()
        .take(n)
        .map(|&(_, e)| g.entity(e).id.clone())
        .collect()
}

/// A search of at most 512 characters and 64 distinct words, all taken from
/// entity names (so that each word matches something): the longest allowed.
fn longest_search(g: &Graph) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut length = 0;
    'entities: for e in govgraph_graph::EntityIx::all(g.entity_count()) {
        for word in g.entity(e).name.split_whitespace() {
            let word: String = word
                .chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
                .to_lowercase();
            if word.len() < 3 || words.contains(&word) {
                continue;
            }
            if words.len() == 64 || length + word.len() + 1 > 512 {
                break 'entities;
            }
            length += word.len() + 1;
            words.push(word);
        }
    }
    words.join(" ")
}

/// One heavy kind: its name and its requests from the heaviest down: 64, 32,
/// …, 1 aliases, each first with a rich selection, then with the least one
/// (the resolver's work is the same, the complexity counted may not be).
pub(crate) struct Heavy {
    pub(crate) kind: &'static str,
    /// (a label, the query).
    pub(crate) ladder: Vec<(String, String)>,
}

/// The heaviest requests of each kind that the field caps allow, on `g`.
pub(crate) fn heavy_requests(g: &Graph) -> Vec<Heavy> {
    let hubs = hubs(g, 2);
    let (a, b) = (&hubs[0], &hubs[1]);
    let search = json!(longest_search(g));
    let kind = |kind: &'static str, field: String, rich: &str, least: &str| {
        let mut ladder = Vec::new();
        for n in [64, 32, 16, 8, 4, 2, 1] {
            let selections = if rich == least {
                vec![("", rich)]
            } else {
                vec![("rich", rich), ("least", least)]
            };
            for (label, selection) in selections {
                let fields: Vec<String> = (0..n)
                    .map(|i| format!("a{i}: {field} {selection}"))
                    .collect();
                ladder.push((
                    format!("x{n} {label}").trim_end().to_owned(),
                    format!("{{ {} }}", fields.join(" ")),
                ));
            }
        }
        Heavy { kind, ladder }
    };
    vec![
        kind(
            "paths",
            format!("paths(from: \"{a}\", to: \"{b}\", limit: 50, maxDepth: 8)"),
            "{ length entities { id name } relations { id type } }",
            "{ length }",
        ),
        kind(
            "timeline",
            "timeline".to_owned(),
            "{ year entities { id name } relations { id type } }",
            "{ year }",
        ),
        kind(
            "search",
            format!("search(query: {search}, first: 500)"),
            "{ id name kind }",
            "{ id }",
        ),
        kind(
            "export",
            format!("export(format: GRAPHML, center: \"{a}\", depth: 4)"),
            "",
            "",
        ),
        kind(
            "centrality",
            "centrality(measure: CLOSENESS, first: 500)".to_owned(),
            "{ score entity { id name } }",
            "{ score }",
        ),
        kind(
            "neighborhood",
            format!("neighborhood(id: \"{a}\", depth: 4)"),
            "{ entities { id name } relations { id type } }",
            "{ entities { id } }",
        ),
    ]
}

/// What became of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Answered with data (a resolver's error at a path included).
    Answered,
    /// Refused by a limit before anything ran: errors without a path.
    Refused(String),
    /// 503 `SERVER_BUSY`: every worker stayed taken.
    Busy,
    /// Anything else: a 408, a 500, a broken connection, a body not JSON.
    Failed(String),
}

/// Classifies an answer by its status and body.
pub(crate) fn classify(status: u16, body: &[u8]) -> Outcome {
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        return Outcome::Failed(format!("status {status}, a body that is not JSON"));
    };
    let code = value["errors"][0]["extensions"]["code"].as_str();
    if status == 503 && code == Some("SERVER_BUSY") {
        return Outcome::Busy;
    }
    if status != 200 {
        return Outcome::Failed(format!("status {status}: {value:.200}"));
    }
    let errors = value["errors"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    let data_present = !value["data"].is_null();
    let before_running = !errors.is_empty()
        && !data_present
        && errors.iter().all(|e| e.get("path").is_none())
        && code != Some("RESPONSE_TOO_LARGE");
    if before_running {
        let message = errors[0]["message"].as_str().unwrap_or_default();
        return Outcome::Refused(message.chars().take(120).collect());
    }
    Outcome::Answered
}

/// Sends `query` and classifies the answer; with `by_status`, by its status
/// alone (200 answered, 503 busy), so that this process does not spend the
/// CPU of parsing big answers while it measures the server.
async fn send(client: &reqwest::Client, url: &str, query: &str, by_status: bool) -> Outcome {
    let response = client
        .post(url)
        .header("content-type", "application/json")
        .body(json!({ "query": query }).to_string())
        .send()
        .await;
    match response {
        Ok(response) => {
            let status = response.status().as_u16();
            match response.bytes().await {
                Ok(_) if by_status && status == 200 => Outcome::Answered,
                Ok(_) if by_status && status == 503 => Outcome::Busy,
                Ok(body) => classify(status, &body),
                Err(e) => Outcome::Failed(format!("status {status}, body cut: {e}")),
            }
        }
        Err(e) => Outcome::Failed(format!("no answer: {e}")),
    }
}

/// What one graph's run measured.
struct Figures {
    /// p99 of the cheap clients alone, before the heavy requests start.
    idle_p99: Duration,
    cheap: usize,
    errors: Vec<String>,
    p50: Duration,
    p99: Duration,
    max: Duration,
    heavy: Vec<String>,
    heavy_failures: Vec<String>,
}

/// The `q`-quantile of sorted `samples`.
fn quantile(samples: &[Duration], q: f64) -> Duration {
    if samples.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((samples.len() as f64) * q).ceil() as usize;
    samples[rank.clamp(1, samples.len()) - 1]
}

/// Each cheap client sends a request every `PACE`: 16 of them, 320 requests
/// a second, well below what even a debug build answers on two cores, so that
/// a latency measures waiting on the server rather than a queue of the test's
/// own making.
const PACE: Duration = Duration::from_millis(50);

/// 16 clients sending cheap requests (an entity lookup, `/health`) in turn,
/// each on a fixed schedule of one every [`PACE`], for `window`: each
/// request's latency, counted from when it was due (so a stalled client's
/// late requests count their delay too), and what went wrong.
async fn cheap_clients(
    client: &reqwest::Client,
    url: &str,
    health: &str,
    ids: &[String],
    window: Duration,
) -> (Vec<Duration>, Vec<String>) {
    let deadline = Instant::now() + window;
    let mut clients = Vec::new();
    for n in 0..16 {
        let (client, url, health, ids) = (
            client.clone(),
            url.to_owned(),
            health.to_owned(),
            ids.to_vec(),
        );
        clients.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = Vec::new();
            let mut i = n;
            let mut due = Instant::now() + PACE * n as u32 / 16;
            while due < deadline {
                tokio::time::sleep_until(due.into()).await;
                let started = due;
                due += PACE;
                let result = if i % 2 == 0 {
                    let id = &ids[i % ids.len()];
                    let body = json!({ "query": format!("{{ entity(id: \"{id}\") {{ name }} }}") });
                    match client.post(&url).json(&body).send().await {
                        Ok(r) if r.status() == 200 => match r.json::<Value>().await {
                            Ok(v) if v["data"]["entity"]["name"].is_string() => Ok(()),
                            Ok(v) => Err(format!("{v:.200}")),
                            Err(e) => Err(e.to_string()),
                        },
                        Ok(r) => Err(format!("status {}", r.status())),
                        Err(e) => Err(e.to_string()),
                    }
                } else {
                    match client.get(&health).send().await {
                        Ok(r) if r.status() == 200 => {
                            r.bytes().await.map(|_| ()).map_err(|e| e.to_string())
                        }
                        Ok(r) => Err(format!("/health: status {}", r.status())),
                        Err(e) => Err(format!("/health: {e}")),
                    }
                };
                latencies.push(started.elapsed());
                if let Err(e) = result {
                    errors.push(e);
                }
                i += 1;
            }
            (latencies, errors)
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = Vec::new();
    for client in clients {
        let (l, e) = client.await.expect("cheap client");
        latencies.extend(l);
        errors.extend(e);
    }
    (latencies, errors)
}

/// Runs the heavy kinds in the background and 16 cheap clients for `window`.
fn stall_run(graph: Arc<Graph>, window: Duration) -> Figures {
    let cheap_ids: Vec<String> = govgraph_graph::EntityIx::all(graph.entity_count().min(64))
        .map(|e| graph.entity(e).id.clone())
        .collect();
    let heavy = heavy_requests(&graph);
    let server = TestServer::start_with_options(AppState::new(graph), ServeOptions::default());
    let url = server.graphql_url();
    let health = format!("http://{}/health", server.addr);
    // Heavy clients read and parse big answers: on their own thread, so that
    // the cheap clients' latencies are the server's, not this process's.
    let heavy_runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("heavy client runtime");
    let heavy_spawner = heavy_runtime.handle().clone();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("client runtime");
    let figures = runtime.block_on(async move {
        // Idle connections are dropped before the server's 10 s idle timeout
        // could close one under a new request.
        let heavy_client = reqwest::Client::builder()
            .timeout(Duration::from_secs(40))
            .pool_idle_timeout(Duration::from_secs(5))
            .build()
            .expect("client");
        let cheap_client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .pool_idle_timeout(Duration::from_secs(5))
            .build()
            .expect("client");
        // The same clients alone first, for comparison.
        let (mut idle, idle_errors) = cheap_clients(
            &cheap_client,
            &url,
            &health,
            &cheap_ids,
            Duration::from_secs(2),
        )
        .await;
        idle.sort_unstable();
        let stop = Arc::new(AtomicBool::new(false));
        let heavy_log: Arc<Mutex<Vec<String>>> = Arc::default();
        let heavy_failures: Arc<Mutex<Vec<String>>> = Arc::default();
        let mut background = Vec::new();
        for Heavy { kind, ladder } in heavy {
            let (client, url, stop) = (heavy_client.clone(), url.clone(), stop.clone());
            let (log, failures) = (heavy_log.clone(), heavy_failures.clone());
            background.push(heavy_spawner.spawn(async move {
                // The worst valid request: the first of the ladder not refused.
                let mut chosen = None;
                for (label, query) in &ladder {
                    let started = Instant::now();
                    let outcome = send(&client, &url, query, false).await;
                    let took = started.elapsed();
                    if !matches!(outcome, Outcome::Refused(_)) {
                        log.lock()
                            .expect("log")
                            .push(format!("{kind} {label}: {outcome:?} in {took:.2?}"));
                    }
                    match outcome {
                        Outcome::Refused(_) => continue,
                        Outcome::Failed(why) => {
                            failures
                                .lock()
                                .expect("failures")
                                .push(format!("{kind} {label}: {why}"));
                            chosen = Some(query.clone());
                            break;
                        }
                        Outcome::Answered | Outcome::Busy => {
                            chosen = Some(query.clone());
                            break;
                        }
                    }
                }
                let Some(query) = chosen else { return };
                let mut runs = 0;
                while !stop.load(Ordering::Relaxed) {
                    if let Outcome::Failed(why) = send(&client, &url, &query, true).await {
                        failures
                            .lock()
                            .expect("failures")
                            .push(format!("{kind} (again): {why}"));
                    }
                    runs += 1;
                }
                log.lock()
                    .expect("log")
                    .push(format!("{kind}: sent {runs} more times"));
            }));
        }
        // Let the heavy requests take the workers first.
        tokio::time::sleep(Duration::from_millis(500)).await;

        let (mut latencies, errors) =
            cheap_clients(&cheap_client, &url, &health, &cheap_ids, window).await;
        stop.store(true, Ordering::Relaxed);
        // A heavy request still running is abandoned (its client disconnects).
        for task in background {
            task.abort();
            let _ = task.await;
        }
        latencies.sort_unstable();
        let heavy = heavy_log.lock().expect("log").clone();
        let heavy_failures = heavy_failures.lock().expect("failures").clone();
        Figures {
            idle_p99: quantile(&idle, 0.99),
            cheap: latencies.len(),
            errors: idle_errors.into_iter().chain(errors).collect(),
            p50: quantile(&latencies, 0.50),
            p99: quantile(&latencies, 0.99),
            max: latencies.last().copied().unwrap_or_default(),
            heavy,
            heavy_failures,
        }
    });
    heavy_runtime.shutdown_background();
    figures
}

#[allow(clippy::print_stderr)]
fn check(name: &str, graph: Arc<Graph>) {
    let figures = stall_run(graph, Duration::from_secs(8));
    eprintln!(
        "stall [{name}]: {} cheap requests, p50 {:.2?}, p99 {:.2?}, max {:.2?}, {} errors (p99 alone before: {:.2?})\n  heavy: {}",
        figures.cheap,
        figures.p50,
        figures.p99,
        figures.max,
        figures.errors.len(),
        figures.idle_p99,
        figures.heavy.join("\n         ")
    );
    let mut problems = Vec::new();
    // 8 s at one request per PACE per client.
    if figures.cheap < 16 * 8 * 1000 / PACE.as_millis() as usize * 9 / 10 {
        problems.push(format!(
            "only {} cheap requests were answered in 8 s",
            figures.cheap
        ));
    }
    if !figures.errors.is_empty() {
        problems.push(format!(
            "{} cheap requests failed, first: {}",
            figures.errors.len(),
            figures.errors[0]
        ));
    }
    if figures.p99 >= Duration::from_millis(50) {
        problems.push(format!(
            "cheap requests' p99 is {:.2?}, not under 50 ms",
            figures.p99
        ));
    }
    for failure in &figures.heavy_failures {
        problems.push(format!("a heavy request was not bounded: {failure}"));
    }
    assert!(problems.is_empty(), "[{name}]\n{}", problems.join("\n"));
}

#[test]
fn cheap_requests_are_not_stalled_by_heavy_ones_on_the_real_data() {
    let _turn = exclusive();
    check("real data", default_graph());
}

#[test]
fn cheap_requests_are_not_stalled_by_heavy_ones_on_100k_relations() {
    let graph = synthetic_graph();
    let _turn = exclusive();
    check("100k relations", graph);
}
