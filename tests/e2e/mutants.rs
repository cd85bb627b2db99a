//! Seeded mutants of real inputs, each either refused with a located message
//! or accepted only when valid, and a store left exactly as it was when refused.
//!
//! - 200 broken data folders: the default data folder `data/azerbaijan-2023`
//!   with one of its TOML files changed by one of 25 mutations (a line deleted,
//!   a record duplicated or deleted, a kind, type, id, year or quote made
//!   invalid, an end left dangling, the file truncated, bad UTF-8, unknown keys,
//!   broken syntax, …), loaded as `govgraph import` loads a folder (its quotes
//!   checked against the profile). Refused: every problem prints as
//!   `file:line:col: …` with an existing line, and for the mutations whose place
//!   is known, one names that file and line. Accepted: only if the dataset
//!   passes the validation rules re-checked independently. Either way the store
//!   is then imported into only on acceptance, and its fingerprint checked.
//! - 50 broken CSV pairs: a small valid pair (govgraph's own neo4j-admin export
//!   of part of the default graph) with one of 16 mutations, imported with
//!   `govgraph_store::import_csv` into a store that holds a dataset already.
//!   Refused: `StoreError::Invalid` printed `file:line: …` (the mutated line
//!   where it is known), the store's fingerprint and generations unchanged.
//!   Accepted: the stored dataset passes the structural rules.
//! - A few of each through the `govgraph` binary: exit 3 with `file:line:` on
//!   standard error and the store unchanged, or exit 0.
//!
//! The mutations cycle, so each kind is tried; where and how is seeded
//! (`GOVGRAPH_FUZZ_SEED`); `GOVGRAPH_MUTANTS=N` runs N folders and N/4 pairs.
//!
//! Measured on the 2-core development machine: the normal run takes about
//! 30 s (debug); a long run (release, seed 7) of 2,000 folders (1,902 refused,
//! 98 accepted and valid) and 500 CSV pairs (458 refused, 42 accepted) took
//! 177 s, with no failure.
//!
//! ```sh
//! cargo test -p govgraph --test e2e mutants
//! GOVGRAPH_FUZZ_SEED=7 GOVGRAPH_MUTANTS=2000 cargo test -p govgraph --release --test e2e mutants
//! ```

use govgraph_loader::DataFile;
use govgraph_store::{fingerprint, Store};
use govgraph_tests::fuzz::{self, Rng, Rules};
use govgraph_tests::{arg, govgraph};
use std::path::Path;

/// Broken data folders in the normal run.
const FOLDERS: usize = 200;
/// Broken CSV pairs in the normal run.
const CSV_PAIRS: usize = 50;
/// Of each, how many also go through the binary.
const THROUGH_BINARY: usize = 4;

/// The count of mutants of each sort: `GOVGRAPH_MUTANTS` scales both (folders;
/// CSV pairs a quarter of it), or the normal run's.
fn counts() -> (usize, usize) {
    match std::env::var("GOVGRAPH_MUTANTS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        Some(n) => (n, (n / 4).max(1)),
        None => (FOLDERS, CSV_PAIRS),
    }
}

/// Says what ran, on a long run (`GOVGRAPH_MUTANTS` set).
fn report(what: &str, accepted: usize, refused: usize) {
    if std::env::var_os("GOVGRAPH_MUTANTS").is_some() {
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "mutants, {what}: {} ({refused} refused, each problem located, {accepted} accepted and valid), seed {:#x}",
            accepted + refused,
            fuzz::seed()
        );
    }
}

// ---------------------------------------------------------------- data folders

/// What a mutant must do.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Expect {
    /// Be refused, with a problem in the mutated file at this line.
    At(usize),
    /// Be refused, with a problem in the mutated file.
    InFile,
    /// Either: accepted if it is still valid (a deleted comment, a changed
    /// kind that happens to fit), refused with located problems otherwise.
    Either,
}

/// One mutant folder.
struct Mutant {
    what: &'static str,
    files: Vec<DataFile>,
    /// The file changed (or added).
    file: String,
    expect: Expect,
}

const FOLDER_MUTATIONS: &[&str] = &[
    "delete a line",
    "duplicate an entity",
    "duplicate a relation",
    "unknown kind",
    "another kind",
    "unknown relation type",
    "another relation type",
    "malformed id",
    "dangling end",
    "year out of range",
    "since after until",
    "truncate",
    "bad UTF-8",
    "unknown key",
    "unknown table",
    "quote not verbatim",
    "unknown section",
    "delete an entity",
    "drop the evidence",
    "swap two lines",
    "garbage bytes",
    "break the syntax",
    "copy a file",
    "not an ISO code",
    "empty name",
];

/// Lines of `text` (without their ends), 1-based positions where `pred` holds.
fn lines_where(text: &str, pred: impl Fn(&str) -> bool) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| pred(l))
        .map(|(i, _)| i + 1)
        .collect()
}

/// `text` with line `n` (1-based) replaced by `with` (several lines allowed).
fn replace_line(text: &str, n: usize, with: &str) -> String {
    let mut out: Vec<&str> = text.lines().collect();
    out[n - 1] = with;
    let mut joined = out.join("\n");
    joined.push('\n');
    joined
}

/// A file with at least one line where `pred` holds, and those lines.
fn pick_line(
    rng: &mut Rng,
    files: &[DataFile],
    pred: impl Fn(&str) -> bool + Copy,
) -> (usize, usize) {
    let candidates: Vec<(usize, Vec<usize>)> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (i, lines_where(&String::from_utf8_lossy(&f.bytes), pred)))
        .filter(|(_, lines)| !lines.is_empty())
        .collect();
    let (file, lines) = rng.pick(&candidates);
    (*file, *rng.pick(lines))
}

/// The lines of the `[[header]]` block that starts at line `start` (1-based),
/// up to the next block header (`[[relation.evidence]]` stays inside).
fn block(text: &str, start: usize) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut end = start;
    while end < lines.len() {
        let l = lines[end].trim_start();
        if l.starts_with("[[entity]]") || l.starts_with("[[relation]]") {
            break;
        }
        end += 1;
    }
    lines[start - 1..end]
        .iter()
        .map(|l| (*l).to_owned())
        .collect()
}

/// Sets a `key = "…"` line of some file to `unknown` (refused at that line) or,
/// when `None`, to what `valid` picks (which may or may not suit the record).
fn set_value(
    rng: &mut Rng,
    files: &mut [DataFile],
    key: &str,
    unknown: Option<&str>,
    valid: impl FnOnce(&mut Rng) -> String,
) -> (usize, Expect) {
    let prefix = format!("{key} = ");
    let (f, n) = pick_line(rng, files, |l: &str| l.trim_start().starts_with(&prefix));
    let value = unknown.map_or_else(|| valid(rng), str::to_owned);
    files[f].bytes =
        replace_line(&text_of(&files[f]), n, &format!("{key} = \"{value}\"")).into_bytes();
    let expect = if unknown.is_some() {
        Expect::At(n)
    } else {
        Expect::Either
    };
    (f, expect)
}

/// A known entity kind, at random.
fn rng_kind(rng: &mut Rng) -> String {
    rng.pick(govgraph_model::EntityKind::ALL)
        .as_str()
        .to_owned()
}

/// A known relation type, at random.
fn rng_type(rng: &mut Rng) -> String {
    rng.pick(govgraph_model::RelationType::ALL)
        .as_str()
        .to_owned()
}

fn text_of(file: &DataFile) -> String {
    String::from_utf8_lossy(&file.bytes).into_owned()
}

fn quoted_value(line: &str) -> Option<&str> {
    let (_, rest) = line.split_once('"')?;
    rest.rsplit_once('"').map(|(v, _)| v)
}

/// Makes mutant `index`: the mutation `index` cycles through, placed by `rng`.
fn folder_mutant(rng: &mut Rng, base: &[DataFile], index: usize) -> Mutant {
    let what = FOLDER_MUTATIONS[index % FOLDER_MUTATIONS.len()];
    let mut files = base.to_vec();
    let is = |prefix: &'static str| move |l: &str| l.trim_start().starts_with(prefix);
    let (file, expect) = match what {
        "delete a line" => {
            let (f, n) = pick_line(rng, &files, |l| !l.trim().is_empty());
            let text = text_of(&files[f]);
            let mut lines: Vec<&str> = text.lines().collect();
            lines.remove(n - 1);
            files[f].bytes = (lines.join("\n") + "\n").into_bytes();
            (f, Expect::Either)
        }
        "duplicate an entity" | "duplicate a relation" => {
            let header = if what.ends_with("entity") {
                "[[entity]]"
            } else {
                "[[relation]]"
            };
            let (f, n) = pick_line(rng, &files, move |l| l.trim() == header);
            let text = text_of(&files[f]);
            let copy = block(&text, n);
            let at = text.lines().count() + 2;
            let mut out = text.clone();
            if !out.ends_with('\n') {
                out.push('\n');
            }
            out.push('\n');
            out.push_str(&copy.join("\n"));
            out.push('\n');
            files[f].bytes = out.into_bytes();
            // An entity is refused at its id, a relation at its header.
            let offset = copy
                .iter()
                .position(|l| header == "[[entity]]" && l.trim_start().starts_with("id ="))
                .unwrap_or(0);
            (f, Expect::At(at + offset))
        }
        "unknown kind" | "another kind" => {
            let unknown = what == "unknown kind";
            set_value(
                rng,
                &mut files,
                "kind",
                unknown.then_some("AGENCY"),
                rng_kind,
            )
        }
        "unknown relation type" | "another relation type" => {
            let unknown = what == "unknown relation type";
            set_value(rng, &mut files, "type", unknown.then_some("RUNS"), rng_type)
        }
        "malformed id" => {
            // Entity ids: relation ids are free text.
            let (f, n) = pick_line(rng, &files, |l| {
                l.trim_start().starts_with("id = \"") && !l.contains('|')
            });
            let text = text_of(&files[f]);
            let line = text.lines().nth(n - 1).unwrap_or_default();
            let id = quoted_value(line).unwrap_or("x");
            let broken = match rng.below(4) {
                0 => id.to_uppercase().replace("COUNTRY:", "country:") + " X",
                1 => id.replace(':', ""),
                2 => format!("{id}/../x"),
                _ => format!("nothing:{id}"),
            };
            files[f].bytes = replace_line(&text, n, &format!("id = \"{broken}\"")).into_bytes();
            (f, Expect::InFile)
        }
        "dangling end" => {
            let (f, n) = pick_line(rng, &files, |l| {
                l.trim_start().starts_with("source = ") || l.trim_start().starts_with("target = ")
            });
            let text = text_of(&files[f]);
            let line = text.lines().nth(n - 1).unwrap_or_default();
            let key = if line.trim_start().starts_with("source") {
                "source"
            } else {
                "target"
            };
            files[f].bytes =
                replace_line(&text, n, &format!("{key} = \"law:nowhere-to-be-found\""))
                    .into_bytes();
            (f, Expect::At(n))
        }
        "year out of range" => {
            let (f, n) = pick_line(rng, &files, |l| {
                ["year = ", "since = ", "until = "]
                    .iter()
                    .any(|k| l.trim_start().starts_with(k))
            });
            let text = text_of(&files[f]);
            let line = text.lines().nth(n - 1).unwrap_or_default();
            let key = line.split('=').next().unwrap_or("year").trim().to_owned();
            let value = *rng.pick(&[
                "20099",
                "1799",
                "-5",
                "\"2009\"",
                "2009.5",
                "99999999999999999999",
            ]);
            files[f].bytes = replace_line(&text, n, &format!("{key} = {value}")).into_bytes();
            (f, Expect::At(n))
        }
        "since after until" => {
            let (f, n) = pick_line(rng, &files, is("type = "));
            let text = text_of(&files[f]);
            let line = text.lines().nth(n - 1).unwrap_or_default().to_owned();
            files[f].bytes =
                replace_line(&text, n, &format!("{line}\nsince = 2010\nuntil = 2005")).into_bytes();
            // A relation with a `since` or `until` already has a duplicate key instead.
            (f, Expect::InFile)
        }
        "truncate" => {
            let f = rng.below(files.len());
            let len = files[f].bytes.len();
            let cut = rng.below(len.max(1));
            files[f].bytes.truncate(cut);
            (f, Expect::Either)
        }
        "bad UTF-8" => {
            let f = rng.below(files.len());
            let at = rng.below(files[f].bytes.len() + 1);
            let bad = *rng.pick(&[
                &b"\xff"[..],
                &b"\xc3("[..],
                &b"\xed\xa0\x80"[..],
                &b"\x80"[..],
            ]);
            let line = files[f].bytes[..at].iter().filter(|b| **b == b'\n').count() + 1;
            files[f].bytes.splice(at..at, bad.iter().copied());
            (f, Expect::At(line))
        }
        "unknown key" => {
            let (f, n) = pick_line(rng, &files, |l| {
                l.trim() == "[[entity]]" || l.trim() == "[[relation]]"
            });
            let text = text_of(&files[f]);
            let line = text.lines().nth(n - 1).unwrap_or_default().to_owned();
            files[f].bytes =
                replace_line(&text, n, &format!("{line}\ncolour = \"red\"")).into_bytes();
            (f, Expect::At(n + 1))
        }
        "unknown table" => {
            let f = rng.below(files.len());
            let mut text = text_of(&files[f]);
            if !text.ends_with('\n') {
                text.push('\n');
            }
            let at = text.lines().count() + 1;
            text.push_str("[[entities]]\nid = \"law:x\"\n");
            files[f].bytes = text.into_bytes();
            (f, Expect::At(at))
        }
        "quote not verbatim" => {
            let (f, n) = pick_line(rng, &files, |l| l.trim_start().starts_with("quote = \""));
            let text = text_of(&files[f]);
            files[f].bytes = replace_line(
                &text,
                n,
                "quote = \"The State Migration Service implements everything perfectly.\"",
            )
            .into_bytes();
            (f, Expect::At(n))
        }
        "unknown section" => {
            let (f, n) = pick_line(rng, &files, is("section = "));
            let text = text_of(&files[f]);
            let section = *rng.pick(&["Chapter 9", "2.100", "Footnote x", "", "0.1"]);
            files[f].bytes =
                replace_line(&text, n, &format!("section = \"{section}\"")).into_bytes();
            (f, Expect::InFile)
        }
        "delete an entity" => {
            let (f, n) = pick_line(rng, &files, |l| l.trim() == "[[entity]]");
            let text = text_of(&files[f]);
            let gone = block(&text, n).len();
            let mut lines: Vec<&str> = text.lines().collect();
            lines.drain(n - 1..n - 1 + gone);
            files[f].bytes = (lines.join("\n") + "\n").into_bytes();
            (f, Expect::Either)
        }
        "drop the evidence" => {
            let (f, n) = pick_line(rng, &files, |l| l.trim() == "[[relation]]");
            let text = text_of(&files[f]);
            let record = block(&text, n);
            let kept: Vec<&String> = record
                .iter()
                .take_while(|l| !l.contains("evidence"))
                .collect();
            let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
            lines.splice(
                n - 1..n - 1 + record.len(),
                kept.into_iter()
                    .cloned()
                    .chain(std::iter::once(String::new())),
            );
            files[f].bytes = (lines.join("\n") + "\n").into_bytes();
            (f, Expect::At(n))
        }
        "swap two lines" => {
            let f = rng.below(files.len());
            let text = text_of(&files[f]);
            let mut lines: Vec<&str> = text.lines().collect();
            let (a, b) = (rng.below(lines.len()), rng.below(lines.len()));
            lines.swap(a, b);
            files[f].bytes = (lines.join("\n") + "\n").into_bytes();
            (f, Expect::Either)
        }
        "garbage bytes" => {
            let f = rng.below(files.len());
            let at = rng.below(files[f].bytes.len() + 1);
            let junk: Vec<u8> = (0..1 + rng.below(12))
                .map(|_| rng.next_u64() as u8)
                .collect();
            files[f].bytes.splice(at..at, junk);
            (f, Expect::Either)
        }
        "break the syntax" => {
            let (f, n) = pick_line(rng, &files, |l| l.contains('"') || l.contains('['));
            let text = text_of(&files[f]);
            let line = text.lines().nth(n - 1).unwrap_or_default();
            let broken = match rng.below(3) {
                0 => line.replacen('"', "", 1),
                1 => line.replacen(']', "", 1),
                _ => format!("{line} ="),
            };
            files[f].bytes = replace_line(&text, n, &broken).into_bytes();
            (f, Expect::Either)
        }
        "copy a file" => {
            let f = rng.below(files.len());
            let mut copy = files[f].clone();
            copy.name = format!("zz-copy-of-{}", copy.name);
            files.push(copy);
            let added = files.len() - 1;
            // Every entity and relation is now defined twice, unless the file
            // holds neither.
            (added, Expect::Either)
        }
        "not an ISO code" => {
            let (f, n) = pick_line(rng, &files, |l| {
                l.trim_start().starts_with("id = \"country:")
            });
            let text = text_of(&files[f]);
            let code = *rng.pick(&["BRZ", "XYZ", "QQQ", "AZ", "AZEE", "aze"]);
            files[f].bytes =
                replace_line(&text, n, &format!("id = \"country:{code}\"")).into_bytes();
            (f, Expect::Either)
        }
        "empty name" => {
            let (f, n) = pick_line(rng, &files, is("name = "));
            let text = text_of(&files[f]);
            files[f].bytes = replace_line(&text, n, "name = \"  \"").into_bytes();
            (f, Expect::At(n))
        }
        other => unreachable!("no mutation `{other}`"),
    };
    for file in &mut files {
        file.size = file.bytes.len() as u64;
    }
    Mutant {
        what,
        file: files[file].name.clone(),
        files,
        expect,
    }
}

/// The store imported into on acceptance, and what it held before.
struct Bench {
    _dir: tempfile::TempDir,
    db: std::path::PathBuf,
}

impl Bench {
    fn new() -> Bench {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("store");
        let old = govgraph_tests::default_dataset();
        govgraph_store::import(&db, &old, "old", &mut |_, _| {}).expect("the old import");
        Bench { _dir: dir, db }
    }

    fn fingerprint(&self) -> String {
        Store::open(&self.db)
            .expect("the store opens")
            .meta()
            .fingerprint
            .clone()
    }
}

/// Checks one mutant folder; returns whether it was accepted.
fn check_folder(bench: &Bench, mutant: &Mutant, label: &str) -> bool {
    let before = bench.fingerprint();
    let result = govgraph_loader::load(&mutant.files, Some(fuzz::default_profile()));
    match result {
        Err(problems) => {
            assert!(!problems.0.is_empty(), "{label}: refused without a problem");
            for problem in &problems.0 {
                if let Err(broken) = fuzz::check_problem(problem, &mutant.files) {
                    panic!("{label}: {broken}");
                }
            }
            let in_file = || problems.0.iter().any(|p| p.file == mutant.file);
            match &mutant.expect {
                Expect::At(line) => assert!(
                    problems
                        .0
                        .iter()
                        .any(|p| p.file == mutant.file && p.line == *line),
                    "{label}: no problem at {}:{line}: {:#?}",
                    mutant.file,
                    problems.0
                ),
                Expect::InFile => assert!(
                    in_file(),
                    "{label}: no problem in {}: {:#?}",
                    mutant.file,
                    problems.0
                ),
                Expect::Either => {}
            }
            assert_eq!(bench.fingerprint(), before, "{label}: the store changed");
            false
        }
        Ok(dataset) => {
            assert_eq!(
                mutant.expect,
                Expect::Either,
                "{label}: accepted, but this mutation is never valid"
            );
            let broken = fuzz::violations(
                &dataset,
                Rules {
                    toml: true,
                    profile: Some(fuzz::default_profile()),
                },
            );
            assert!(
                broken.is_empty(),
                "{label}: accepted an invalid dataset: {broken:?}"
            );
            let meta = govgraph_store::import(&bench.db, &dataset, label, &mut |_, _| {})
                .expect("an accepted dataset imports");
            assert_eq!(meta.fingerprint, fingerprint(&dataset));
            assert_eq!(
                bench.fingerprint(),
                fingerprint(&dataset),
                "{label}: not stored"
            );
            true
        }
    }
}

#[test]
fn broken_data_folders_are_refused_at_their_line_or_are_valid() {
    let (folders, _) = counts();
    let base = fuzz::default_data_files();
    let bench = Bench::new();
    let mut rng = Rng::new(fuzz::seed(), "mutant folders");
    let (mut accepted, mut refused) = (0, 0);
    for i in 0..folders {
        let mutant = folder_mutant(&mut rng, &base, i);
        let label = format!("folder mutant {i} ({}, {})", mutant.what, mutant.file);
        if check_folder(&bench, &mutant, &label) {
            accepted += 1;
        } else {
            refused += 1;
        }
    }
    report("folders", accepted, refused);
    assert_eq!(accepted + refused, folders);
    assert!(
        refused >= folders / 2,
        "only {refused} of {folders} refused"
    );
}

/// A few mutant folders through `govgraph import --data`: exit 3, the file and
/// line on standard error, the store unchanged; or exit 0 when valid.
#[test]
fn broken_data_folders_through_the_binary() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("store");
    govgraph_store::import(
        &db,
        &govgraph_tests::default_dataset(),
        "old",
        &mut |_, _| {},
    )
    .expect("the old import");
    let base = fuzz::default_data_files();
    let mut rng = Rng::new(fuzz::seed(), "mutant folders through the binary");
    // Mutations with a known line: unknown kind, dangling end, bad UTF-8, empty name.
    for (n, index) in [3usize, 8, 12, 24]
        .into_iter()
        .take(THROUGH_BINARY)
        .enumerate()
    {
        let mutant = folder_mutant(&mut rng, &base, index);
        let folder = dir.path().join(format!("mutant-{n}"));
        govgraph_tests::copy_data_dir(&folder, |_| false);
        for file in &mutant.files {
            std::fs::write(folder.join(&file.name), &file.bytes).expect("write");
        }
        let before = Store::open(&db).expect("open").meta().fingerprint.clone();
        let run = govgraph(&["import", "--data", arg(&folder), "--db", arg(&db)]);
        let Expect::At(line) = mutant.expect else {
            panic!("{}: a mutation with a known line", mutant.what)
        };
        let located = format!("{}:{line}:", folder.join(&mutant.file).display());
        assert_eq!(run.code, Some(3), "{}: {}", mutant.what, run.stderr);
        assert!(
            run.stderr.contains(&located),
            "{}: `{located}` not in:\n{}",
            mutant.what,
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        let after = Store::open(&db).expect("open").meta().fingerprint.clone();
        assert_eq!(after, before, "{}: the store changed", mutant.what);
    }
}

// ---------------------------------------------------------------- CSV pairs

const CSV_MUTATIONS: &[&str] = &[
    "delete a line",
    "duplicate a node",
    "duplicate a relationship",
    "unknown kind",
    "unknown relation type",
    "another relation type",
    "dangling end",
    "year not a number",
    "truncate",
    "bad UTF-8",
    "unbalanced quote",
    "a field missing",
    "a header renamed",
    "empty name",
    "empty evidence",
    "malformed id",
];

/// One CSV mutant: the two files, which was changed, and the line a refusal must name.
struct CsvMutant {
    what: &'static str,
    nodes: Vec<u8>,
    relationships: Vec<u8>,
    in_nodes: bool,
    line: Option<u64>,
    must_refuse: bool,
}

/// The records of a CSV text with their 1-based lines (the header is line 1).
fn records(text: &[u8]) -> Vec<(u64, Vec<String>)> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text);
    reader
        .records()
        .map(|r| {
            let r = r.expect("the base pair is valid CSV");
            let line = r.position().map_or(0, csv::Position::line);
            (line, r.iter().map(str::to_owned).collect())
        })
        .collect()
}

fn write_records(records: &[(u64, Vec<String>)]) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    for (_, fields) in records {
        writer.write_record(fields).expect("write");
    }
    writer.into_inner().expect("flush")
}

fn column(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name || h.starts_with(&format!("{name}:")))
        .unwrap_or_else(|| panic!("the base pair has a `{name}` column"))
}

fn csv_mutant(rng: &mut Rng, (nodes, rels): (&[u8], &[u8]), index: usize) -> CsvMutant {
    let what = CSV_MUTATIONS[index % CSV_MUTATIONS.len()];
    let in_nodes_choice = rng.chance(1, 2);
    let mut m = CsvMutant {
        what,
        nodes: nodes.to_vec(),
        relationships: rels.to_vec(),
        in_nodes: in_nodes_choice,
        line: None,
        must_refuse: true,
    };
    // Edits one cell of one data record of one file; returns its line.
    let edit = |rng: &mut Rng, in_nodes: bool, col: &str, value: &dyn Fn(&str) -> String| {
        let text = if in_nodes { nodes } else { rels };
        let mut recs = records(text);
        let c = column(&recs[0].1, col);
        let i = 1 + rng.below(recs.len() - 1);
        recs[i].1[c] = value(&recs[i].1[c]);
        (write_records(&recs), recs[i].0, in_nodes)
    };
    let set = |(bytes, line, in_nodes): (Vec<u8>, u64, bool), m: &mut CsvMutant| {
        if in_nodes {
            m.nodes = bytes;
        } else {
            m.relationships = bytes;
        }
        m.in_nodes = in_nodes;
        m.line = Some(line);
    };
    match what {
        "delete a line" | "duplicate a node" | "duplicate a relationship" => {
            let in_nodes = match what {
                "duplicate a node" => true,
                "duplicate a relationship" => false,
                _ => in_nodes_choice,
            };
            let text = if in_nodes { nodes } else { rels };
            let mut recs = records(text);
            let i = 1 + rng.below(recs.len() - 1);
            if what == "delete a line" {
                recs.remove(i);
                // A node deleted leaves its relations dangling; a relation deleted is fine.
                m.must_refuse = false;
            } else {
                let copy = recs[i].clone();
                let last = recs.last().map_or(1, |r| r.0) + 1;
                recs.push((last, copy.1));
                m.line = Some(last);
            }
            let bytes = write_records(&recs);
            if in_nodes {
                m.nodes = bytes;
            } else {
                m.relationships = bytes;
            }
            m.in_nodes = in_nodes;
        }
        "unknown kind" => set(edit(rng, true, "kind", &|_| "AGENCY".into()), &mut m),
        "unknown relation type" => set(edit(rng, false, ":TYPE", &|_| "RUNS".into()), &mut m),
        "another relation type" => {
            let ty = rng.pick(govgraph_model::RelationType::ALL).as_str();
            set(edit(rng, false, ":TYPE", &|_| ty.into()), &mut m);
            m.must_refuse = false;
        }
        "dangling end" => {
            let col = if rng.chance(1, 2) {
                ":START_ID"
            } else {
                ":END_ID"
            };
            set(edit(rng, false, col, &|_| "law:nowhere".into()), &mut m);
        }
        "year not a number" => {
            let value = *rng.pick(&["nineteen", "99999999999", "19 90", "-"]);
            set(edit(rng, true, "year", &|_| value.into()), &mut m);
        }
        "truncate" => {
            let bytes = if in_nodes_choice {
                &mut m.nodes
            } else {
                &mut m.relationships
            };
            let cut = rng.below(bytes.len());
            bytes.truncate(cut);
            m.must_refuse = false;
        }
        "bad UTF-8" => {
            let bytes = if in_nodes_choice {
                &mut m.nodes
            } else {
                &mut m.relationships
            };
            // Inside a data record: after the header's end.
            let header_end = bytes.iter().position(|b| *b == b'\n').unwrap_or(0) + 1;
            let at = header_end + rng.below(bytes.len() - header_end);
            let line = bytes[..at].iter().filter(|b| **b == b'\n').count() as u64 + 1;
            bytes.splice(at..at, b"\xff\xfe".iter().copied());
            // A record spanning lines (a quoted newline) starts earlier; the line
            // is checked loosely below.
            m.line = Some(line);
        }
        "unbalanced quote" => {
            let bytes = if in_nodes_choice {
                &mut m.nodes
            } else {
                &mut m.relationships
            };
            let header_end = bytes.iter().position(|b| *b == b'\n').unwrap_or(0) + 1;
            let at = header_end + rng.below(bytes.len() - header_end);
            bytes.insert(at, b'"');
            m.must_refuse = false;
        }
        "a field missing" => {
            let text = if in_nodes_choice { nodes } else { rels };
            let mut recs = records(text);
            let i = 1 + rng.below(recs.len() - 1);
            recs[i].1.pop();
            m.line = Some(recs[i].0);
            let bytes = write_records(&recs);
            if in_nodes_choice {
                m.nodes = bytes;
            } else {
                m.relationships = bytes;
            }
        }
        "a header renamed" => {
            let (text, required): (&[u8], &[&str]) = if in_nodes_choice {
                (nodes, &["id:ID"])
            } else {
                (rels, &[":START_ID", ":END_ID", ":TYPE"])
            };
            let mut recs = records(text);
            let c = column(&recs[0].1, required[rng.below(required.len())]);
            recs[0].1[c] = "renamed".into();
            m.line = Some(1);
            let bytes = write_records(&recs);
            if in_nodes_choice {
                m.nodes = bytes;
            } else {
                m.relationships = bytes;
            }
        }
        "empty name" => set(edit(rng, true, "name", &|_| "   ".into()), &mut m),
        "empty evidence" => set(edit(rng, false, "evidence", &|_| String::new()), &mut m),
        "malformed id" => set(
            edit(rng, true, "id", &|id| format!("{} X", id.to_uppercase())),
            &mut m,
        ),
        other => unreachable!("no mutation `{other}`"),
    }
    m
}

/// Checks one CSV mutant against the store at `db`; returns whether it was accepted.
fn check_csv(dir: &Path, db: &Path, m: &CsvMutant, label: &str) -> bool {
    let nodes = dir.join("nodes.csv");
    let relationships = dir.join("relationships.csv");
    std::fs::write(&nodes, &m.nodes).expect("write");
    std::fs::write(&relationships, &m.relationships).expect("write");
    let before = Store::open(db).expect("open").meta().clone();
    let files = govgraph_store::CsvFiles {
        nodes: &nodes,
        relationships: &relationships,
    };
    match govgraph_store::import_csv(db, files, label, &mut |_, _| {}) {
        Err(error) => {
            if let Err(broken) = fuzz::check_csv_error(
                &error,
                (&nodes, &m.nodes),
                (&relationships, &m.relationships),
            ) {
                panic!("{label}: {broken}");
            }
            if let (Some(line), govgraph_store::StoreError::Invalid { file, line: at, .. }) =
                (m.line, &error)
            {
                let expected_file = if m.in_nodes { &nodes } else { &relationships };
                // A bad byte is found at the record it is in, which starts on or before its line.
                let near = if m.what == "bad UTF-8" {
                    *at <= line
                } else {
                    *at == line
                };
                assert!(
                    file == expected_file && near,
                    "{label}: `{error}` where {}:{line} was expected",
                    expected_file.display()
                );
            }
            let after = Store::open(db).expect("open").meta().clone();
            assert_eq!(after, before, "{label}: refused, but the store changed");
            let generations = std::fs::read_dir(db)
                .expect("store")
                .filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().starts_with("gen-"))
                .count();
            assert_eq!(
                generations, 1,
                "{label}: a refused generation was left behind"
            );
            false
        }
        Ok(meta) => {
            assert!(
                !m.must_refuse,
                "{label}: accepted, but this mutation is never valid"
            );
            let store = Store::open(db).expect("open");
            assert_eq!(store.meta(), &meta);
            let dataset = store.dataset().expect("read");
            let broken = fuzz::violations(
                &dataset,
                Rules {
                    toml: false,
                    profile: None,
                },
            );
            assert!(
                broken.is_empty(),
                "{label}: accepted an invalid pair: {broken:?}"
            );
            true
        }
    }
}

#[test]
fn broken_csv_pairs_are_refused_at_their_line_or_are_valid() {
    let (_, pairs) = counts();
    let (nodes, rels) = fuzz::small_csv_pair(25);
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("store");
    govgraph_store::import(
        &db,
        &govgraph_tests::default_dataset(),
        "old",
        &mut |_, _| {},
    )
    .expect("the old import");
    let mut rng = Rng::new(fuzz::seed(), "mutant csv pairs");
    let (mut accepted, mut refused) = (0, 0);
    for i in 0..pairs {
        let mutant = csv_mutant(&mut rng, (nodes.as_bytes(), rels.as_bytes()), i);
        let label = format!("CSV mutant {i} ({})", mutant.what);
        if check_csv(dir.path(), &db, &mutant, &label) {
            accepted += 1;
        } else {
            refused += 1;
        }
    }
    report("CSV pairs", accepted, refused);
    assert_eq!(accepted + refused, pairs);
    assert!(refused >= pairs / 2, "only {refused} of {pairs} refused");
}

/// A few CSV mutants through `govgraph import --nodes --relationships`.
#[test]
fn broken_csv_pairs_through_the_binary() {
    let (nodes, rels) = fuzz::small_csv_pair(25);
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("store");
    govgraph_store::import(
        &db,
        &govgraph_tests::default_dataset(),
        "old",
        &mut |_, _| {},
    )
    .expect("the old import");
    let mut rng = Rng::new(fuzz::seed(), "mutant csv pairs through the binary");
    // Mutations with a known line: unknown kind, dangling end, a field missing, malformed id.
    for index in [3usize, 6, 11, 15].into_iter().take(THROUGH_BINARY) {
        let m = csv_mutant(&mut rng, (nodes.as_bytes(), rels.as_bytes()), index);
        let (n, r) = (
            dir.path().join("nodes.csv"),
            dir.path().join("relationships.csv"),
        );
        std::fs::write(&n, &m.nodes).expect("write");
        std::fs::write(&r, &m.relationships).expect("write");
        let before = Store::open(&db).expect("open").meta().fingerprint.clone();
        let run = govgraph(&[
            "import",
            "--nodes",
            arg(&n),
            "--relationships",
            arg(&r),
            "--db",
            arg(&db),
        ]);
        let line = m.line.expect("a mutation with a known line");
        let file = if m.in_nodes { &n } else { &r };
        let located = format!("{}:{line}:", file.display());
        assert_eq!(run.code, Some(3), "{}: {}", m.what, run.stderr);
        assert!(
            run.stderr.contains(&located),
            "{}: `{located}` not in:\n{}",
            m.what,
            run.stderr
        );
        let after = Store::open(&db).expect("open").meta().fingerprint.clone();
        assert_eq!(after, before, "{}: the store changed", m.what);
    }
}
