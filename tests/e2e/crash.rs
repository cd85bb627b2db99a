//! Crash safety of imports, proved deterministically: `govgraph import` dies at
//! a chosen fault point of the store's writers (`crates/store/src/fault.rs`,
//! feature `fault-injection`, on in test builds through the binary crate's dev-dependencies), and the store
//! must then open and hold exactly the old dataset — or the new one when the
//! point lies past the end of the import; never a mix, never a store that fails
//! to open. Both import paths are driven: a TOML data folder and a CSV pair.
//!
//! Both imports go through one writer (`crates/store/src/sled_writer.rs`): a
//! fault point follows each record it takes, each batch its merge applies to
//! sled, the moment before the generation is sealed, the moment before its
//! index file is renamed into place, and once it is complete but not current; the import's count
//! of points is read once from `GOVGRAPH_FAULT_TRACE`. The points chosen are the
//! boundaries (first, last record of each kind, every merge batch, the sealing
//! point, one past the end) and then a seeded spread over the whole import.
//! Most cycles abort (`std::process::abort()`: no destructor, no flush, as after
//! `kill -9`); a few stall at their point and receive a real `SIGKILL`.
//!
//! Four imports are interrupted, over one store that holds the default dataset
//! before each cycle: the default data folder (768 fault points), a small CSV
//! pair (300 entities, 600 relations), the data folder with 6,000 more topics
//! (two merge batches of entities) and a CSV pair of 5,200 + 5,200 records
//! (each tree above one merge batch).
//!
//! Fast set (the normal `cargo test`): 60 abort cycles (28 + 28 over the small
//! imports, boundaries first, and 2 + 2 at the batch boundaries of the large
//! ones) and 4 `SIGKILL` cycles, plus one check that the next import removes
//! the generation a dead one left:
//!
//! ```sh
//! cargo test -p govgraph --test e2e crash
//! ```
//!
//! Long run: the number of abort cycles, spread evenly over the four imports
//! after their boundaries, and optionally another seed; it prints what ran:
//!
//! ```sh
//! GOVGRAPH_CRASH_CYCLES=1000 GOVGRAPH_CRASH_SEED=7 cargo test -p govgraph --release --test e2e crash -- --nocapture
//! ```
//!
//! Measured on the 2-core development machine: the fast set takes about 13 s
//! (debug); the long run (release, seed 7) ran 1,000 abort cycles (249 + 248
//! over the small imports, 250 + 253 over the large) and 4 `SIGKILL` cycles in
//! 264 s with 0 failures: every cycle that died held the old dataset, every
//! cycle past the end the new one. Durations are reported, not asserted.

use govgraph_model::Dataset;
use govgraph_store::{fingerprint, Store};
use govgraph_tests::{arg, default_dataset, govgraph_bin};
use std::fmt::Write as _;
use std::io::Write as _;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Abort cycles of the normal run, split between the two import paths.
const FAST_CYCLES: usize = 60;
/// Cycles that end in a real `SIGKILL`.
const KILLS: usize = 4;

/// A number from the environment, or `default`.
fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

/// A small deterministic pseudo-random sequence (xorshift), so failures replay.
struct Xorshift(u64);

impl Xorshift {
    fn below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % bound.max(1)
    }
}

/// One import to interrupt: its command, its fault points and what it leaves.
struct Scenario {
    name: &'static str,
    /// `govgraph` arguments, without `--db`.
    args: Vec<String>,
    /// How many fault points the import passes.
    points: u64,
    /// Points that must be tried whatever the seed.
    boundaries: Vec<u64>,
    /// The dataset a complete import leaves, as read back.
    new: Dataset,
    /// The metadata fingerprint a complete import leaves.
    new_fingerprint: String,
}

/// The store's dataset before every cycle.
struct Old {
    dataset: Dataset,
    fingerprint: String,
}

/// A data folder: the default data files (without the source, so quotes are not
/// checked and loading stays quick) plus `extra` topics.
fn toml_folder(dir: &Path, extra: usize) {
    std::fs::create_dir_all(dir).expect("data folder");
    for entry in std::fs::read_dir(govgraph_tests::data_dir()).expect("the default data") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "toml") {
            std::fs::copy(&path, dir.join(path.file_name().expect("name"))).expect("copy");
        }
    }
    let mut text = String::new();
    for i in 0..extra {
        writeln!(text, "[[entity]]\nid = \"topic:synthetic-{i}\"\nkind = \"TOPIC\"\nname = \"Synthetic topic {i}\"\n").expect("write");
    }
    std::fs::write(dir.join("zz-synthetic.toml"), text).expect("synthetic");
}

fn govgraph_import(args: &[String], db: &Path) -> Command {
    let mut command = Command::new(govgraph_bin());
    command.args(args).arg("--db").arg(db).stdout(Stdio::null());
    command
}

/// Imports once, completely, with tracing: the count of fault points and the result.
fn scenario(
    name: &'static str,
    args: Vec<String>,
    db: &Path,
    boundaries: impl Fn(u64) -> Vec<u64>,
) -> Scenario {
    let out = govgraph_import(&args, db)
        .env("GOVGRAPH_FAULT_TRACE", "1")
        .output()
        .expect("import runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{name}: {stderr}");
    let points: u64 = stderr
        .lines()
        .find_map(|l| l.strip_prefix("govgraph-fault: last point "))
        .unwrap_or_else(|| panic!("{name}: no fault trace; is the hook compiled in? {stderr}"))
        .trim()
        .parse()
        .expect("a count");
    let store = Store::open(db).expect("open");
    Scenario {
        name,
        args,
        points,
        boundaries: boundaries(points),
        new: store.dataset().expect("read"),
        new_fingerprint: store.meta().fingerprint.clone(),
    }
}

/// Puts the old dataset back, unless the store holds it already.
fn reset(db: &Path, old: &Old) {
    let holds_old = Store::open(db).is_ok_and(|s| s.meta().fingerprint == old.fingerprint);
    if !holds_old {
        govgraph_store::import(db, &old.dataset, "old", &mut |_, _| {}).expect("reset");
    }
}

/// What the store must hold after dying at `point` (or not dying, past the end).
fn check_store(db: &Path, scenario: &Scenario, old: &Old, point: u64, how: &str) {
    let what = format!(
        "{} import, {how} at point {point} of {}",
        scenario.name, scenario.points
    );
    let store = Store::open(db).unwrap_or_else(|e| panic!("{what}: the store does not open: {e}"));
    let stored = store
        .dataset()
        .unwrap_or_else(|e| panic!("{what}: the store is unreadable: {e}"));
    if point <= scenario.points {
        assert_eq!(
            store.meta().fingerprint,
            old.fingerprint,
            "{what}: not the old dataset's metadata"
        );
        assert!(
            stored == old.dataset,
            "{what}: the store holds something else than the old dataset"
        );
    } else {
        assert_eq!(
            store.meta().fingerprint,
            scenario.new_fingerprint,
            "{what}: not the new dataset's metadata"
        );
        assert!(
            stored == scenario.new,
            "{what}: the store holds something else than the new dataset"
        );
    }
}

/// One abort cycle: reset, import dying at `point`, check.
fn abort_cycle(db: &Path, scenario: &Scenario, old: &Old, point: u64) {
    reset(db, old);
    let out = govgraph_import(&scenario.args, db)
        .env("GOVGRAPH_FAULT_AFTER_RECORDS", point.to_string())
        .output()
        .expect("import runs");
    if point <= scenario.points {
        assert_eq!(
            out.status.code(),
            None,
            "{} import: point {point} of {} did not abort: {}",
            scenario.name,
            scenario.points,
            String::from_utf8_lossy(&out.stderr)
        );
    } else {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    check_store(db, scenario, old, point, "aborted");
}

/// One real `kill -9` cycle: the import stalls at `point`, announces it, and is killed.
fn kill_cycle(db: &Path, scenario: &Scenario, old: &Old, point: u64) {
    reset(db, old);
    let mut child = govgraph_import(&scenario.args, db)
        .env("GOVGRAPH_FAULT_AFTER_RECORDS", point.to_string())
        .env("GOVGRAPH_FAULT_ACTION", "stall")
        .stderr(Stdio::piped())
        .spawn()
        .expect("import starts");
    let stderr = child.stderr.take().expect("piped");
    let mut announced = false;
    for line in BufReader::new(stderr).lines() {
        if line
            .expect("stderr")
            .starts_with("govgraph-fault: stalled at point")
        {
            announced = true;
            break;
        }
    }
    assert!(
        announced,
        "{} import ended without reaching point {point}",
        scenario.name
    );
    child.kill().expect("SIGKILL");
    let status = child.wait().expect("reaped");
    assert_eq!(status.code(), None, "killed by a signal");
    check_store(db, scenario, old, point, "killed");
}

/// The points to try: every boundary, then a seeded spread over the import,
/// `count` in all (or the boundaries alone, when they are more).
fn points(scenario: &Scenario, count: usize, seed: u64) -> Vec<u64> {
    let mut chosen = scenario.boundaries.clone();
    let mut rng = Xorshift(seed | 1);
    while chosen.len() < count {
        chosen.push(1 + rng.below(scenario.points));
    }
    chosen
}

/// A CSV pair of `entities` (half laws, half topics) and `relations` (laws
/// ADDRESSES topics), written here in the neo4j-admin layout the import reads.
fn csv_pair(dir: &Path, entities: usize, relations: usize) -> (Vec<String>, u64, u64) {
    std::fs::create_dir_all(dir).expect("csv folder");
    let (laws, topics) = (entities / 2, entities - entities / 2);
    assert!(relations <= laws * topics, "distinct relations");
    let mut nodes = String::from("id:ID,name,kind,year:int,aliases:string[],:LABEL\n");
    for i in 0..laws {
        writeln!(nodes, "law:l-{i},Law {i},LAW,{},,Entity;Law", 1990 + i % 30).expect("write");
    }
    for i in 0..topics {
        writeln!(nodes, "topic:t-{i},Topic {i},TOPIC,,T{i},Entity;Topic").expect("write");
    }
    let mut rels = String::from(
        ":START_ID,:END_ID,:TYPE,id,since:int,until:int,evidence_sections:string[],evidence\n",
    );
    for i in 0..relations {
        let (law, topic) = (i % laws, (i % laws + i / laws) % topics);
        writeln!(
            rels,
            "law:l-{law},topic:t-{topic},ADDRESSES,,,,2.1,2.1: Migration Code"
        )
        .expect("write");
    }
    let (n, r) = (dir.join("nodes.csv"), dir.join("relationships.csv"));
    std::fs::write(&n, nodes).expect("nodes");
    std::fs::write(&r, rels).expect("relationships");
    let args = vec![
        "import".into(),
        "--nodes".into(),
        arg(&n).into(),
        "--relationships".into(),
        arg(&r).into(),
    ];
    (args, entities as u64, relations as u64)
}

/// A TOML scenario: the default data plus `extra` topics.
fn toml_scenario(name: &'static str, dir: &Path, db: &Path, extra: usize) -> Scenario {
    toml_folder(dir, extra);
    let entities = (default_dataset().entities.len() + extra) as u64;
    let args = vec!["import".into(), "--data".into(), arg(dir).into()];
    let scenario = scenario(name, args, db, |points| {
        // Every point of the merge: past the records, up to and with sealing.
        let mut b = vec![1, entities, entities + 1];
        b.extend(points.saturating_sub(4)..=points + 1);
        b
    });
    assert_eq!(scenario.new.entities.len() as u64, entities);
    let relations = scenario.new.relations.len() as u64;
    // The merge applies a batch per 5,000 records of a tree, and its last one.
    let batches = |records: u64| records / 5_000 + 1;
    assert_eq!(
        scenario.points,
        entities + relations + batches(entities) + batches(relations) + 3,
        "one point per record, one per merge batch, before sealing, before the index goes in place, and once complete"
    );
    scenario
}

/// A CSV scenario: a pair of `entities` and `relations`.
fn csv_scenario(
    name: &'static str,
    dir: &Path,
    db: &Path,
    (entities, relations): (usize, usize),
) -> Scenario {
    let (args, entities, relations) = csv_pair(dir, entities, relations);
    let records = entities + relations;
    let scenario = scenario(name, args, db, |points| {
        // Every point of the merge: past the records, up to and with sealing.
        let mut b = vec![1, entities, entities + 1, records];
        b.extend(records + 1..=points + 1);
        b
    });
    assert_eq!(
        (
            scenario.new.entities.len() as u64,
            scenario.new.relations.len() as u64
        ),
        (entities, relations)
    );
    assert!(scenario.points > records, "one point per record, and more");
    scenario
}

/// The scenarios over one store, which is left holding the old dataset: small
/// imports, where most cycles go, and larger ones whose sled batches and CSV
/// merge have fault points of their own.
fn scenarios(dir: &Path, db: &Path) -> (Old, Vec<Scenario>) {
    let scenarios = vec![
        toml_scenario("TOML", &dir.join("small"), db, 0),
        csv_scenario("CSV", &dir.join("small-csv"), db, (300, 600)),
        toml_scenario("large TOML", &dir.join("large"), db, 6_000),
        csv_scenario("large CSV", &dir.join("large-csv"), db, (5_200, 5_200)),
    ];
    let large_csv = &scenarios[3];
    assert!(
        large_csv.points
            > large_csv.new.entities.len() as u64 + large_csv.new.relations.len() as u64 + 1,
        "the merge has fault points too"
    );
    let old = default_dataset();
    govgraph_store::import(db, &old, "old", &mut |_, _| {}).expect("old import");
    let old_fingerprint = fingerprint(&old);
    let store = Store::open(db).expect("open");
    assert_eq!(store.meta().fingerprint, old_fingerprint);
    let old = Old {
        dataset: store.dataset().expect("read"),
        fingerprint: old_fingerprint,
    };
    (old, scenarios)
}

#[test]
fn imports_dying_at_any_record_leave_the_old_or_the_new_dataset() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("store");
    let (old, scenarios) = scenarios(dir.path(), &db);
    let cycles = env_number("GOVGRAPH_CRASH_CYCLES", FAST_CYCLES as u64) as usize;
    let seed = env_number("GOVGRAPH_CRASH_SEED", 0x9E37_79B9_7F4A_7C15);
    // The fast set tries the large imports at their boundaries only (a cycle
    // of theirs costs seconds in a debug build); a long run spreads over all.
    let long = cycles > FAST_CYCLES;
    let fixed: usize = scenarios
        .iter()
        .map(|s| {
            if long || s.new.entities.len() < 5_000 {
                s.boundaries.len()
            } else {
                LARGE_FAST_POINTS
            }
        })
        .sum();
    let spread = cycles.saturating_sub(fixed);
    let mut done = 0;
    for (i, scenario) in scenarios.iter().enumerate() {
        let large = scenario.new.entities.len() >= 5_000;
        let chosen = if large && !long {
            fast_large_points(scenario)
        } else {
            // Shared out evenly, the remainder to the first ones.
            let ways = if long { scenarios.len() } else { 2 };
            let share = spread / ways + usize::from(i < spread % ways);
            points(
                scenario,
                scenario.boundaries.len() + share,
                seed.wrapping_add(i as u64),
            )
        };
        let (mut died, mut completed) = (0, 0);
        for &point in &chosen {
            abort_cycle(&db, scenario, &old, point);
            if point <= scenario.points {
                died += 1;
            } else {
                completed += 1;
            }
        }
        assert!(
            died > 0 && completed > 0,
            "{}: both outcomes are tried",
            scenario.name
        );
        done += chosen.len();
        if long {
            let _ = writeln!(
                std::io::stderr(),
                "crash {}: {} cycles ({died} died at their point and held the old dataset, {completed} completed and held the new), {} fault points",
                scenario.name,
                chosen.len(),
                scenario.points
            );
        }
        if !large {
            let mut kills = Xorshift(seed ^ 0xDEAD_BEEF ^ i as u64);
            for _ in 0..KILLS / 2 {
                kill_cycle(&db, scenario, &old, 1 + kills.below(scenario.points));
            }
        }
    }
    assert!(done >= cycles, "{done} cycles run, {cycles} asked for");
}

/// Cycles of a large import in the fast set.
const LARGE_FAST_POINTS: usize = 2;

/// The fast set's points of a large import: past its last merge batch, and
/// one past the end.
fn fast_large_points(scenario: &Scenario) -> Vec<u64> {
    let p = scenario.points;
    let chosen = vec![p - 1, p + 1];
    debug_assert_eq!(chosen.len(), LARGE_FAST_POINTS);
    chosen
}

/// The path of a store's current generation, for the check below.
fn current_generation(db: &Path) -> PathBuf {
    let name = std::fs::read_to_string(db.join("CURRENT")).expect("CURRENT");
    db.join(name.trim())
}

#[test]
fn an_import_after_a_crash_removes_the_dead_generation() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("store");
    let old = default_dataset();
    govgraph_store::import(&db, &old, "old", &mut |_, _| {}).expect("old import");
    let live = current_generation(&db);
    let data = dir.path().join("data");
    toml_folder(&data, 10);
    let args = vec![
        "import".to_owned(),
        "--data".to_owned(),
        arg(&data).to_owned(),
    ];
    let out = govgraph_import(&args, &db)
        .env("GOVGRAPH_FAULT_AFTER_RECORDS", "100")
        .output()
        .expect("import runs");
    assert_eq!(out.status.code(), None, "aborted");
    let generations = |db: &Path| {
        std::fs::read_dir(db)
            .expect("store folder")
            .filter(|e| {
                e.as_ref()
                    .is_ok_and(|e| e.file_name().to_string_lossy().starts_with("gen-"))
            })
            .count()
    };
    assert_eq!(
        generations(&db),
        2,
        "the dead import left its generation behind"
    );
    assert_eq!(
        current_generation(&db),
        live,
        "and CURRENT still names the old one"
    );
    let out = govgraph_import(&args, &db).output().expect("import runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(generations(&db), 1, "the next import removed it");
}
