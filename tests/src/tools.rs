//! Running the external tools some tests drive (Node scripts in Chromium, real
//! GraphQL clients in Python and Node): checking that they are installed, and
//! running one with a time limit while collecting its output.
//!
//! A test whose tools are missing is skipped with a message on a developer's
//! machine, but fails under CI (env `CI` set): `.ci/run` installs them all.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Debian's Chromium, which the browser tests drive.
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Whether `program --version` runs.
pub fn runs(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// What a Node script in `dir` needs and is missing: Node itself and each of
/// `packages` under `dir/node_modules`.
pub fn missing_node_packages(dir: &Path, packages: &[&str]) -> Vec<String> {
    let mut missing = Vec::new();
    if !runs("node") {
        missing.push("node (Node.js 18 or later)".to_owned());
    }
    for package in packages {
        if !dir.join("node_modules").join(package).exists() {
            missing.push(format!(
                "{}/node_modules/{package} (npm ci --prefix {})",
                dir.display(),
                dir.display()
            ));
        }
    }
    missing
}

/// Whether a test may go on: true when nothing is `missing`. Otherwise it panics
/// under CI and prints a SKIPPED line elsewhere.
#[allow(clippy::print_stderr)]
pub fn prerequisites_met(test: &str, missing: &[String]) -> bool {
    if missing.is_empty() {
        return true;
    }
    let message = format!("{test} needs {}", missing.join(" and "));
    if std::env::var_os("CI").is_some() {
        panic!("{message}: CI is set, so this is a failure, not a skip");
    }
    eprintln!("SKIPPED {message}");
    false
}

/// Runs `command` to the end within `limit` and returns its standard output;
/// panics with both outputs when it fails or hangs.
#[allow(clippy::print_stderr)]
pub fn run_to_success(command: &mut Command, limit: Duration) -> String {
    let description = format!("{command:?}");
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {description}: {e}"));
    // Drain the pipes on threads so a chatty run cannot block on a full pipe.
    let drain = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_string(&mut text);
            }
            text
        })
    };
    let stdout = drain(child.stdout.take().map(|p| Box::new(p) as _));
    let stderr = drain(child.stderr.take().map(|p| Box::new(p) as _));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for the child") {
            break Some(status);
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();
    eprintln!("{stdout}{stderr}");
    match status {
        None => panic!("{description} ran longer than {limit:?}\n{stdout}\n{stderr}"),
        Some(status) if !status.success() => {
            panic!("{description} failed ({status})\n{stdout}\n{stderr}")
        }
        Some(_) => stdout,
    }
}
