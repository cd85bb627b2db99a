//! Shared fixtures of the end-to-end tests: where things are, the default
//! dataset, the `govgraph` binary, and a server on a real socket.

use govgraph_graph::Graph;
use govgraph_model::Dataset;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, OnceLock};

pub mod in_process;
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

/// The `govgraph` binary, built on first use if `cargo test` has not built it.
pub fn govgraph_bin() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let exe = std::env::current_exe().expect("the test binary has a path");
        // target/<profile>/deps/e2e-<hash> -> target/<profile>/govgraph
        let profile_dir = exe
            .parent()
            .and_then(Path::parent)
            .expect("test binaries live in target/<profile>/deps");
        let bin = profile_dir.join(format!("govgraph{}", std::env::consts::EXE_SUFFIX));
        let release = profile_dir.file_name().is_some_and(|n| n == "release");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut build = Command::new(cargo);
        build
            .args(["build", "-q", "-p", "govgraph"])
            .current_dir(root());
        if release {
            build.arg("--release");
        }
        // Cheap when the binary is fresh; makes `cargo test -p govgraph-tests` work alone.
        let status = build.status().expect("cargo runs");
        assert!(status.success(), "building govgraph failed");
        bin
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
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
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
