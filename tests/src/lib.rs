//! Shared fixtures of the end-to-end tests: where things are, the default
//! dataset, the `govgraph` binary, and a server on a real socket.

use govgraph_graph::Graph;
use govgraph_model::Dataset;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, OnceLock};

pub mod fuzz;
pub mod in_process;
pub mod oracles;
pub mod tools;

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The client contract kept in the repository: `schema.graphql` and `queries/`.
pub fn contract_dir() -> PathBuf {
    root().join("contract")
}

/// The default dataset's source document, the profile's markdown.
pub fn profile_path() -> PathBuf {
    data_dir().join("source/profile.md")
}

/// The default data folder.
pub fn data_dir() -> PathBuf {
    root().join("data/azerbaijan-2023")
}

/// Copies the default data folder into `to`: its data files for which `keep`
/// holds, and its `source/` folder, so that the copy checks its quotes as the
/// original does.
pub fn copy_data_dir(to: &Path, keep: impl Fn(&str) -> bool) {
    std::fs::create_dir_all(to.join("source")).expect("data folder");
    for entry in std::fs::read_dir(data_dir()).expect("the default data folder") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("a UTF-8 name");
        if path.is_file() && keep(name) {
            std::fs::copy(&path, to.join(name)).expect("copy");
        }
    }
    for entry in std::fs::read_dir(data_dir().join("source")).expect("the source folder") {
        let path = entry.expect("entry").path();
        std::fs::copy(
            &path,
            to.join("source").join(path.file_name().expect("name")),
        )
        .expect("copy");
    }
}

/// The profile's markdown.
pub fn profile_text() -> String {
    let path = profile_path();
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The default dataset, validated against the profile (quotes included).
pub fn default_dataset() -> Dataset {
    static DATASET: OnceLock<Dataset> = OnceLock::new();
    DATASET
        .get_or_init(|| {
            let files = govgraph_loader::read_dir(&data_dir())
                .expect("the default data folder is readable");
            let text = profile_text();
            let subject = govgraph_profile::subject(&govgraph_profile::parse(&text).document)
                .expect("the profile's title names its country");
            let folder = govgraph_loader::ProfileFolder {
                info: govgraph_model::ProfileInfo {
                    id: "azerbaijan-2023".to_owned(),
                    title: subject.title,
                    country: Some(format!("country:{}", subject.iso3)),
                    year: subject.year,
                },
                files,
                source: Some(govgraph_loader::Profile::new(&text)),
            };
            match govgraph_loader::load_profiles(&[folder]) {
                Ok(dataset) => dataset,
                Err(problems) => panic!(
                    "the default dataset is invalid:\n{}",
                    problems
                        .0
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("\n")
                ),
            }
        })
        .clone()
}

/// The in-memory graph of the default dataset.
pub fn default_graph() -> Arc<Graph> {
    static GRAPH: OnceLock<Arc<Graph>> = OnceLock::new();
    GRAPH
        .get_or_init(|| Arc::new(Graph::build(default_dataset()).0))
        .clone()
}

/// The `govgraph` binary under test: the one cargo built for this test run
/// (with the store's fault-injection hook, inert unless
/// `GOVGRAPH_FAULT_AFTER_RECORDS` is set). Cargo names it in
/// `CARGO_BIN_EXE_govgraph` at run time (since 1.94); before that, or when the
/// test executable is run directly, it is found beside the test executable's
/// folder, where cargo puts a package's binaries (`target/<profile>/`).
///
/// # Panics
/// When neither names an existing file: the tests were not built by
/// `cargo test -p govgraph --test e2e`.
pub fn govgraph_bin() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let beside = || {
            let exe = std::env::current_exe().ok()?;
            // target/<profile>/deps/e2e-<hash> -> target/<profile>/govgraph
            let profile_dir = exe.parent()?.parent()?;
            Some(profile_dir.join(format!("govgraph{}", std::env::consts::EXE_SUFFIX)))
        };
        std::env::var_os("CARGO_BIN_EXE_govgraph")
            .map(PathBuf::from)
            .or_else(beside)
            .filter(|bin| bin.is_file())
            .expect("the govgraph binary: run the end-to-end tests with `cargo test -p govgraph --test e2e`")
    })
    .clone()
}

/// What a run of the `govgraph` binary left: its exit code and outputs.
#[derive(Debug)]
pub struct Run {
    /// The exit code (`None` when killed by a signal).
    pub code: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// Runs `govgraph` with `args` to the end.
pub fn govgraph(args: &[&str]) -> Run {
    let out = Command::new(govgraph_bin())
        .args(args)
        .output()
        .expect("govgraph runs");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `govgraph` with `args`, requires success, and returns its output.
pub fn govgraph_ok(args: &[&str]) -> String {
    let run = govgraph(args);
    assert_eq!(
        run.code,
        Some(0),
        "govgraph {args:?}: {}{}",
        run.stdout,
        run.stderr
    );
    run.stdout
}

/// `path` as the `&str` the CLI takes (test paths are UTF-8).
pub fn arg(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

/// A server on a real socket, stopped when dropped.
pub struct TestServer {
    /// Where it listens.
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestServer {
    /// Starts the app over `graph` on 127.0.0.1 and an ephemeral port, on its own runtime.
    pub fn start(graph: Arc<Graph>) -> TestServer {
        Self::start_with(govgraph_server::AppState::new(graph))
    }

    /// Starts the app with `state` (its CORS origins, fingerprint, …).
    pub fn start_with(state: govgraph_server::AppState) -> TestServer {
        Self::start_with_options(
            state,
            govgraph_server::ServeOptions {
                header_read_timeout: std::time::Duration::from_secs(1),
                ..Default::default()
            },
        )
    }

    /// Starts the app with `state` and connection `options`.
    pub fn start_with_options(
        state: govgraph_server::AppState,
        options: govgraph_server::ServeOptions,
    ) -> TestServer {
        Self::start_on_threads(state, options, "tokio-runtime-worker")
    }

    /// Starts the app with `state` and `options` on a runtime whose threads
    /// (async workers and blocking pool alike) are named `thread_name`, so
    /// that [`threads_cpu`] can tell the CPU this server uses from the rest of
    /// the test process.
    pub fn start_on_threads(
        state: govgraph_server::AppState,
        options: govgraph_server::ServeOptions,
        thread_name: &str,
    ) -> TestServer {
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let thread_name = thread_name.to_owned();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_name(thread_name)
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind");
                ready_tx
                    .send(listener.local_addr().expect("addr"))
                    .expect("test waits");
                let app = govgraph_server::app(state);
                govgraph_server::serve(listener, app, options, async {
                    let _ = stopped.await;
                })
                .await
                .expect("serve");
            });
        });
        let addr = ready_rx.recv().expect("server starts");
        TestServer {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// The GraphQL endpoint.
    pub fn graphql_url(&self) -> String {
        format!("http://{}/graphql", self.addr)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Serialises the tests that load the machine on purpose (the attack suite,
/// the stall test, the soak), so that one's timings and memory figures are
/// not another's: each holds the guard for its whole run.
pub fn exclusive() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A `Vm*` line of `/proc/<pid>/status` (`self` for this process), in KiB.
fn vm_kib(pid: &str, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

/// This process's resident memory (VmRSS), in KiB; 0 where `/proc` is missing.
pub fn rss_kib() -> u64 {
    vm_kib("self", "VmRSS").unwrap_or(0)
}

/// The resident memory (VmRSS) of process `pid`, in KiB; `None` once it is gone.
pub fn rss_kib_of(pid: u32) -> Option<u64> {
    vm_kib(&pid.to_string(), "VmRSS")
}

/// CPU time used so far by this process's live threads whose name starts
/// with `prefix` (see [`TestServer::start_on_threads`]).
pub fn threads_cpu(prefix: &str) -> std::time::Duration {
    let mut total = std::time::Duration::ZERO;
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return total;
    };
    for task in tasks.flatten() {
        let dir = task.path();
        let named = std::fs::read_to_string(dir.join("comm"))
            .is_ok_and(|comm| comm.trim_end().starts_with(prefix));
        if !named {
            continue;
        }
        // schedstat: nanoseconds on the CPU, then waiting, then timeslices.
        if let Some(ns) = std::fs::read_to_string(dir.join("schedstat"))
            .ok()
            .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        {
            total += std::time::Duration::from_nanos(ns);
        }
    }
    total
}

/// `govgraph serve` as a separate process on an ephemeral port (so that its
/// memory and CPU are its own), killed when dropped.
pub struct ServeProcess {
    /// The base URL, `http://127.0.0.1:<port>`.
    pub url: String,
    child: std::process::Child,
}

impl ServeProcess {
    /// Runs `govgraph serve --addr 127.0.0.1:0 --db <db>` with `args` after
    /// them, and waits for its banner (the first start imports the default data).
    pub fn start(db: &Path, args: &[&str]) -> ServeProcess {
        use std::io::BufRead;
        let mut child = Command::new(govgraph_bin())
            .args(["serve", "--addr", "127.0.0.1:0", "--db", arg(db)])
            .args(args)
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("govgraph serve starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = std::io::BufReader::new(stdout);
        let mut banner = String::new();
        while !banner.contains("serving on") {
            banner.clear();
            let read = lines.read_line(&mut banner).expect("serve's output");
            assert!(read > 0, "govgraph serve ended before it served");
        }
        // Keep reading, so that nothing it prints later can block it.
        std::thread::spawn(move || {
            let mut sink = String::new();
            while lines.read_line(&mut sink).is_ok_and(|n| n > 0) {
                sink.clear();
            }
        });
        let url = banner
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .expect("an address in the banner")
            .trim_end_matches('/')
            .to_owned();
        ServeProcess { url, child }
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Its resident memory, in KiB.
    pub fn rss_kib(&self) -> u64 {
        rss_kib_of(self.pid()).unwrap_or(0)
    }
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
