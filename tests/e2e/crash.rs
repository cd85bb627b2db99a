//! kill -9 during import, many times: the store always opens and holds exactly
//! the old dataset or the new one, never a mix.

use govgraph_store::{fingerprint, Store};
use govgraph_tests::{default_dataset, govgraph_bin};
use std::fmt::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const KILLS: usize = 60;

/// A data folder: the default data plus `extra` more entities, so that an import
/// runs long enough to be interrupted at many different moments.
fn bigger_data(dir: &std::path::Path, extra: usize) {
    govgraph_tests::copy_data_dir(dir, |_| true);
    let mut text = String::new();
    for i in 0..extra {
        writeln!(text, "[[entity]]\nid = \"topic:synthetic-{i}\"\nkind = \"TOPIC\"\nname = \"Synthetic topic {i}\"\n").expect("write");
    }
    std::fs::write(dir.join("zz-synthetic.toml"), text).expect("synthetic");
}

/// A small deterministic pseudo-random sequence (xorshift), so failures replay.
fn delays(count: usize, max: Duration) -> Vec<Duration> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..count)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            max.mul_f64((state % 10_000) as f64 / 10_000.0)
        })
        .collect()
}

#[test]
fn killed_imports_leave_the_old_or_the_new_dataset() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("store");
    let new_data = dir.path().join("new");
    bigger_data(&new_data, 20_000);

    let old = default_dataset();
    let old_fingerprint = fingerprint(&old);
    govgraph_store::import(&db, &old, "old", &mut |_, _| {}).expect("old import");

    // One full import tells how long the window to interrupt is.
    let started = Instant::now();
    let status = Command::new(govgraph_bin())
        .args(["import", "--data"])
        .arg(&new_data)
        .arg("--db")
        .arg(&db)
        .stderr(Stdio::null())
        .stdout(Stdio::null())
        .status()
        .expect("import");
    assert!(status.success());
    let window = started.elapsed();
    let new_fingerprint = Store::open(&db).expect("open").meta().fingerprint.clone();
    assert_ne!(new_fingerprint, old_fingerprint);

    let (mut saw_old, mut saw_new) = (0, 0);
    for (round, delay) in delays(KILLS, window).into_iter().enumerate() {
        govgraph_store::import(&db, &old, "old", &mut |_, _| {}).expect("reset to the old dataset");
        let mut child = Command::new(govgraph_bin())
            .args(["import", "--data"])
            .arg(&new_data)
            .arg("--db")
            .arg(&db)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn import");
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();

        let store = Store::open(&db).unwrap_or_else(|e| {
            panic!("round {round}: the store does not open after kill -9: {e}")
        });
        let stored = store
            .dataset()
            .unwrap_or_else(|e| panic!("round {round}: unreadable: {e}"));
        let actual = fingerprint(&stored);
        assert_eq!(
            actual,
            store.meta().fingerprint,
            "round {round}: the content does not match its own metadata"
        );
        if actual == old_fingerprint {
            saw_old += 1;
        } else if actual == new_fingerprint {
            saw_new += 1;
        } else {
            panic!("round {round}: the store holds a mix of datasets");
        }
    }
    // Both outcomes must have happened, or the kills did not land inside imports.
    assert!(
        saw_old > 0 && saw_new > 0,
        "old {saw_old}, new {saw_new}: the kill moments did not span the import"
    );
}
