//! Fuzzing and mutation helpers for the end-to-end tests (`tests/e2e/fuzz.rs`,
//! `tests/e2e/mutants.rs`): a seeded generator, a structure-aware mutator over
//! real inputs, a container for inputs of several files, an independent
//! re-check of a dataset against the validation rules, the committed corpus,
//! and a harness that runs each case on a worker thread so that a panic is
//! caught with its input and a hang is detected (by a generous bound per case,
//! reported, never timed).
//!
//! Written here rather than taken from a fuzzing crate because it must run in
//! a plain `cargo test` on stable Rust and replay exactly from a seed, with
//! mutations that keep the structure of the inputs (parts, lines, TOML and
//! CSV tokens). Coverage-guided fuzzing of the same oracles
//! (`crate::oracles`) is cargo-fuzz's, in `fuzz/`, on nightly.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

/// The environment variable that sets the number of generated cases per target.
pub const CASES_VAR: &str = "GOVGRAPH_FUZZ_CASES";
/// The environment variable that sets the base seed of the generators.
pub const SEED_VAR: &str = "GOVGRAPH_FUZZ_SEED";
/// The base seed when [`SEED_VAR`] is not set.
pub const DEFAULT_SEED: u64 = 0x5EED_2023_0A2E;
/// How long one case may run before it counts as a hang: a detector for cases
/// that never end, far above what any case takes, not a timing requirement.
pub const HANG_BOUND: Duration = Duration::from_secs(180);
/// Largest input the mutator produces, in bytes.
pub const MAX_INPUT: usize = 512 * 1024;

/// The number of generated cases per target: [`CASES_VAR`], or `default`.
pub fn cases(default: usize) -> usize {
    env_number(CASES_VAR).map_or(default, |n| n as usize)
}

/// The base seed: [`SEED_VAR`], or [`DEFAULT_SEED`].
pub fn seed() -> u64 {
    env_number(SEED_VAR).unwrap_or(DEFAULT_SEED)
}

/// Whether a long run was asked for (the case count is set explicitly).
pub fn long_run() -> bool {
    std::env::var_os(CASES_VAR).is_some()
}

fn env_number(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    let value = value.trim();
    match value.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => value.parse().ok(),
    }
}

/// A small seeded generator (splitmix64): the same seed, the same cases.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed`, mixed with `salt` (a target's name).
    pub fn new(seed: u64, salt: &str) -> Rng {
        let mut state = seed;
        for b in salt.bytes() {
            state = (state ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3);
        }
        Rng(state)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (0 when `bound` is 0).
    pub fn below(&mut self, bound: usize) -> usize {
        if bound == 0 {
            0
        } else {
            (self.next_u64() % bound as u64) as usize
        }
    }

    /// True `numerator` times in `denominator`.
    pub fn chance(&mut self, numerator: usize, denominator: usize) -> bool {
        self.below(denominator) < numerator
    }

    /// One item of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The line that starts each part of a container: `%%% <name>`.
pub const SECTION_MARK: &str = "%%% ";

/// Splits an input of several parts (files, a query and its variables) written
/// as `%%% <name>` lines, each followed by its bytes. Bytes before the first mark
/// form a part named `default`; a repeated name gets `~2`, `~3`, … Any bytes
/// split somehow: a mutated mark only moves the boundaries.
pub fn split_sections(input: &[u8], default: &str) -> Vec<(String, Vec<u8>)> {
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    let mut current = (default.to_owned(), Vec::new());
    let mut started = false;
    for line in input.split_inclusive(|b| *b == b'\n') {
        if let Some(name) = line.strip_prefix(SECTION_MARK.as_bytes()) {
            if started || !current.1.is_empty() {
                parts.push(std::mem::take(&mut current));
            }
            let name = String::from_utf8_lossy(name).trim().to_owned();
            current = (name, Vec::new());
            started = true;
        } else {
            current.1.extend_from_slice(line);
        }
    }
    if started || !current.1.is_empty() || parts.is_empty() {
        parts.push(current);
    }
    // Names are unique: a repeated one gets `~2`, `~3`, …
    let mut seen = std::collections::HashSet::new();
    for (name, _) in &mut parts {
        let mut unique = name.clone();
        let mut n = 1;
        while !seen.insert(unique.clone()) {
            n += 1;
            unique = format!("{name}~{n}");
        }
        *name = unique;
    }
    parts
}

/// The bytes of the part named `name` among `parts`, when there is one.
pub fn part<'p>(parts: &'p [(String, Vec<u8>)], name: &str) -> Option<&'p [u8]> {
    parts
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, bytes)| bytes.as_slice())
}

/// The inverse of [`split_sections`].
pub fn join_sections(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, bytes) in parts {
        out.extend_from_slice(SECTION_MARK.as_bytes());
        out.extend_from_slice(name.as_bytes());
        out.push(b'\n');
        out.extend_from_slice(bytes);
        if !bytes.is_empty() && !bytes.ends_with(b"\n") {
            out.push(b'\n');
        }
    }
    out
}

/// Numbers that find off-by-one and overflow mistakes.
const NUMBERS: &[&str] = &[
    "0",
    "-1",
    "1",
    "1799",
    "1800",
    "2100",
    "2101",
    "20099",
    "2147483647",
    "2147483648",
    "-2147483649",
    "9223372036854775807",
    "99999999999999999999999",
    "1e9",
    "0x10",
    "1_000",
    "+5",
    "3.5",
    "nan",
    "inf",
];

/// Byte sequences that are not UTF-8, or are awkward UTF-8.
const AWKWARD: &[&[u8]] = &[
    b"\xff",
    b"\xc3",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\xc0\xaf",
    b"\x00",
    b"\xef\xbb\xbf",
    b"\r",
    b"\r\n",
    b"\t",
    "\u{202e}".as_bytes(),
    "\u{2028}".as_bytes(),
    "é".as_bytes(),
    "\u{1F600}".as_bytes(),
    "\u{0301}".as_bytes(),
];

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b':' | b'-' | b'.')
}

/// Byte ranges of the lines of `bytes`, newline included.
fn lines(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\n' {
            out.push((start, i + 1));
            start = i + 1;
        }
    }
    if start < bytes.len() {
        out.push((start, bytes.len()));
    }
    out
}

/// A random run of `pred` bytes in `bytes`, as a range, if one is found in a few tries.
fn find_run(rng: &mut Rng, bytes: &[u8], pred: impl Fn(u8) -> bool) -> Option<(usize, usize)> {
    if bytes.is_empty() {
        return None;
    }
    for _ in 0..16 {
        let mut start = rng.below(bytes.len());
        if !pred(bytes[start]) {
            continue;
        }
        while start > 0 && pred(bytes[start - 1]) {
            start -= 1;
        }
        let mut end = start;
        while end < bytes.len() && pred(bytes[end]) {
            end += 1;
        }
        return Some((start, end));
    }
    None
}

/// The span between a random pair of double quotes on one line, if any.
fn find_string(rng: &mut Rng, bytes: &[u8]) -> Option<(usize, usize)> {
    let quotes: Vec<usize> = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'"')
        .map(|(i, _)| i)
        .collect();
    if quotes.len() < 2 {
        return None;
    }
    let i = rng.below(quotes.len() - 1);
    let (a, b) = (quotes[i], quotes[i + 1]);
    (!bytes[a..b].contains(&b'\n')).then_some((a + 1, b))
}

/// Mutates `input` with one to four stacked edits, drawing tokens from
/// `dictionary` and lines from `other` (another input of the same target).
pub fn mutate(rng: &mut Rng, input: &[u8], other: &[u8], dictionary: &[Vec<u8>]) -> Vec<u8> {
    let mut out = input.to_vec();
    let rounds = match rng.below(8) {
        0..=3 => 1,
        4 | 5 => 2,
        6 => 3,
        _ => 4,
    };
    for _ in 0..rounds {
        mutate_once(rng, &mut out, other, dictionary);
        out.truncate(MAX_INPUT);
    }
    out
}

fn token<'a>(rng: &mut Rng, dictionary: &'a [Vec<u8>]) -> &'a [u8] {
    if dictionary.is_empty() {
        b"x"
    } else {
        rng.pick(dictionary).as_slice()
    }
}

fn mutate_once(rng: &mut Rng, out: &mut Vec<u8>, other: &[u8], dictionary: &[Vec<u8>]) {
    let at = |rng: &mut Rng, out: &Vec<u8>| rng.below(out.len() + 1);
    match rng.below(20) {
        // Line edits: the shape of records.
        0 | 1 => {
            let ls = lines(out);
            if !ls.is_empty() {
                let (a, b) = *rng.pick(&ls);
                out.drain(a..b);
            }
        }
        2 => {
            let ls = lines(out);
            if !ls.is_empty() {
                let (a, b) = *rng.pick(&ls);
                let line = out[a..b].to_vec();
                let (to, _) = *rng.pick(&ls);
                out.splice(to..to, line);
            }
        }
        3 => {
            let ls = lines(out);
            if ls.len() >= 2 {
                let (a, b) = ls[rng.below(ls.len())];
                let (c, d) = ls[rng.below(ls.len())];
                if b <= c {
                    let (first, second) = (out[a..b].to_vec(), out[c..d].to_vec());
                    out.splice(c..d, first);
                    out.splice(a..b, second);
                }
            }
        }
        // A block of lines repeated (a duplicated record).
        4 => {
            let ls = lines(out);
            if !ls.is_empty() {
                let i = rng.below(ls.len());
                let j = (i + 1 + rng.below(8)).min(ls.len());
                let block = out[ls[i].0..ls[j - 1].1].to_vec();
                let to = ls[rng.below(ls.len())].0;
                out.splice(to..to, block);
            }
        }
        // Tokens: words replaced or inserted from the dictionary.
        5..=7 => {
            let tok = token(rng, dictionary).to_vec();
            match find_run(rng, out, is_word) {
                Some((a, b)) => {
                    out.splice(a..b, tok);
                }
                None => {
                    let i = at(rng, out);
                    out.splice(i..i, tok);
                }
            }
        }
        8 => {
            let tok = token(rng, dictionary).to_vec();
            let i = at(rng, out);
            out.splice(i..i, tok);
        }
        // Numbers.
        9 => {
            let number = rng.pick(NUMBERS).as_bytes().to_vec();
            if let Some((a, b)) = find_run(rng, out, |b| b.is_ascii_digit()) {
                out.splice(a..b, number);
            }
        }
        // A string's content: emptied, replaced, escaped, or made long.
        10 => {
            if let Some((a, b)) = find_string(rng, out) {
                let content = match rng.below(5) {
                    0 => Vec::new(),
                    1 => token(rng, dictionary).to_vec(),
                    2 => b"\\u0000\\uD800\\\\\\\"".to_vec(),
                    3 => out[a..b].repeat(1 + rng.below(200)),
                    _ => b"   ".to_vec(),
                };
                out.splice(a..b, content);
            }
        }
        // Cut short.
        11 => {
            let i = rng.below(out.len() + 1);
            out.truncate(i);
        }
        // Bytes that are not UTF-8, control characters, a BOM.
        12 => {
            let bytes = rng.pick(AWKWARD).to_vec();
            let i = at(rng, out);
            out.splice(i..i, bytes);
        }
        13 => {
            if !out.is_empty() {
                let i = rng.below(out.len());
                out[i] = match rng.below(3) {
                    0 => out[i] ^ (1 << rng.below(8)),
                    1 => rng.next_u64() as u8,
                    _ => *rng.pick(b"\"'[]{}=,#\\\n:|*"),
                };
            }
        }
        14 => {
            if !out.is_empty() {
                let a = rng.below(out.len());
                let b = (a + 1 + rng.below(32)).min(out.len());
                if rng.chance(1, 2) {
                    out.drain(a..b);
                } else {
                    let chunk = out[a..b].to_vec();
                    out.splice(b..b, chunk);
                }
            }
        }
        // Another input: a line of it, or its tail after our head.
        15 => {
            let theirs = lines(other);
            if !theirs.is_empty() {
                let (a, b) = *rng.pick(&theirs);
                let line = other[a..b].to_vec();
                let ours = lines(out);
                let to = if ours.is_empty() {
                    0
                } else {
                    rng.pick(&ours).0
                };
                out.splice(to..to, line);
            }
        }
        16 => {
            let theirs = lines(other);
            let ours = lines(out);
            if !theirs.is_empty() && !ours.is_empty() {
                let head = rng.pick(&ours).0;
                let tail = rng.pick(&theirs).0;
                out.truncate(head);
                out.extend_from_slice(&other[tail..]);
            }
        }
        // Nesting and repetition: deep structures, long lines.
        17 => {
            let unit = match rng.below(6) {
                0 => b"[".as_slice(),
                1 => b"{",
                2 => b"{ a ",
                3 => b"[[",
                4 => b"(",
                _ => token(rng, dictionary),
            }
            .to_vec();
            let most = if rng.chance(1, 4) { 5_000 } else { 64 };
            let times = 1 + rng.below(most);
            let i = at(rng, out);
            out.splice(i..i, unit.repeat(times));
        }
        // Line endings and indentation.
        18 => {
            let mut converted = Vec::with_capacity(out.len());
            let crlf = rng.chance(1, 2);
            for &b in out.iter() {
                if b == b'\n' && crlf {
                    converted.extend_from_slice(b"\r\n");
                } else if b == b'\n' {
                    converted.extend_from_slice(b"\n\t ");
                } else {
                    converted.push(b);
                }
            }
            *out = converted;
        }
        // A dictionary token as a line of its own.
        _ => {
            let mut line = token(rng, dictionary).to_vec();
            line.push(b'\n');
            let ours = lines(out);
            let to = if ours.is_empty() {
                0
            } else {
                rng.pick(&ours).0
            };
            out.splice(to..to, line);
        }
    }
}

/// The committed seed inputs of `target`: `tests/fuzz/corpus/<target>/*`, by name.
pub fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = crate::root().join("tests/fuzz/corpus").join(target);
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .map(|p| {
                    let bytes = std::fs::read(&p).unwrap_or_default();
                    (
                        p.file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default(),
                        bytes,
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Where a failing input is saved for replay: `<target dir>/fuzz-findings/<target>/`.
pub fn findings_dir(target: &str) -> PathBuf {
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::root().join("target"));
    target_dir.join("fuzz-findings").join(target)
}

/// How a case ended when it broke no property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The input was accepted (and re-checked).
    Accepted,
    /// The input was refused with a located, typed error.
    Refused,
}

/// What a run of a target did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Corpus inputs replayed.
    pub replayed: usize,
    /// Cases run in all (corpus, seeds and generated).
    pub executions: usize,
    /// Cases accepted.
    pub accepted: usize,
    /// Cases refused.
    pub refused: usize,
}

/// A property check: `Ok` with how the case ended, or `Err` naming the broken property.
pub type Check = Box<dyn Fn(&[u8]) -> Result<Outcome, String> + Send>;

/// One fuzz target: its seeds, its tokens and its property check.
pub struct Target {
    /// Its name: the corpus folder and the salt of its generator.
    pub name: &'static str,
    /// Real inputs the mutants are made from.
    pub seeds: Vec<Vec<u8>>,
    /// Tokens the mutator inserts.
    pub dictionary: Vec<Vec<u8>>,
    /// Generated cases to run after the corpus and the seeds.
    pub cases: usize,
}

/// The message of a caught panic.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned())
}

/// Saves `input` as a finding and returns where.
fn save_finding(target: &str, name: &str, input: &[u8]) -> PathBuf {
    let dir = findings_dir(target);
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(name);
    let _ = std::fs::write(&path, input);
    path
}

/// Runs `target`: replays its corpus, runs its seeds, then `target.cases`
/// mutants of them, each through `check` on a worker thread. Panics (so the
/// test fails) on the first broken property, panic or hang, after saving the
/// input under [`findings_dir`]; the input of the case in progress is also kept
/// there as `in-progress`, so a case that kills the process can be replayed.
pub fn run(target: Target, check: Check) -> Stats {
    let Target {
        name,
        seeds,
        dictionary,
        cases,
    } = target;
    let corpus = corpus(name);
    let mut pool: Vec<Vec<u8>> = seeds;
    pool.extend(corpus.iter().map(|(_, bytes)| bytes.clone()));
    assert!(!pool.is_empty(), "{name}: no seed input");

    let (to_worker, inputs) = mpsc::channel::<Vec<u8>>();
    let (to_runner, results) = mpsc::channel::<Result<Outcome, String>>();
    let worker = std::thread::Builder::new()
        .name(format!("fuzz-{name}"))
        // Deeply nested inputs are part of the game; give the parsers room.
        .stack_size(64 << 20)
        .spawn(move || {
            for input in inputs {
                let result = catch_unwind(AssertUnwindSafe(|| check(&input)))
                    .unwrap_or_else(|payload| Err(format!("panic: {}", panic_message(&*payload))));
                if to_runner.send(result).is_err() {
                    break;
                }
            }
        })
        .expect("the worker starts");

    let in_progress = findings_dir(name).join("in-progress");
    let _ = std::fs::create_dir_all(findings_dir(name));
    let mut stats = Stats::default();
    let mut rng = Rng::new(seed(), name);
    let generated = (0..cases).map(|i| {
        let base = rng.below(pool.len());
        let other = rng.below(pool.len());
        (
            format!("case-{i}-seed-{:#x}", seed()),
            mutate(&mut rng, &pool[base], &pool[other], &dictionary),
        )
    });
    let fixed: Vec<(String, Vec<u8>)> = corpus
        .iter()
        .map(|(file, bytes)| (format!("corpus-{file}"), bytes.clone()))
        .chain(
            pool.iter()
                .take(pool.len() - corpus.len())
                .enumerate()
                .map(|(i, bytes)| (format!("seed-{i}"), bytes.clone())),
        )
        .collect();
    let replayed = corpus.len();
    for (label, input) in fixed.into_iter().chain(generated) {
        let _ = std::fs::write(&in_progress, &input);
        to_worker.send(input.clone()).expect("the worker is alive");
        match results.recv_timeout(HANG_BOUND) {
            Ok(Ok(outcome)) => match outcome {
                Outcome::Accepted => stats.accepted += 1,
                Outcome::Refused => stats.refused += 1,
            },
            Ok(Err(broken)) => {
                let saved = save_finding(name, &label, &input);
                panic!(
                    "fuzz target `{name}`, {label}: {broken}\ninput saved as {} (copy it into tests/fuzz/corpus/{name}/ once fixed)",
                    saved.display()
                );
            }
            Err(_) => {
                let saved = save_finding(name, &label, &input);
                panic!(
                    "fuzz target `{name}`, {label}: still running after {HANG_BOUND:?}, a hang\ninput saved as {}",
                    saved.display()
                );
            }
        }
        stats.executions += 1;
    }
    drop(to_worker);
    let _ = worker.join();
    let _ = std::fs::remove_file(&in_progress);
    stats.replayed = replayed;
    stats
}

/// Which rules a dataset is re-checked against.
#[derive(Clone, Copy)]
pub struct Rules<'a> {
    /// The rules of TOML data files (sections, years, quotes), beyond the
    /// structural ones every import keeps.
    pub toml: bool,
    /// The profile quotes must be verbatim in, if any.
    pub profile: Option<&'a govgraph_loader::Profile>,
}

/// Every rule `dataset` breaks, re-checked from scratch (not through the
/// loader's code): unique and well-formed ids, names, known ends, the
/// domain/range rule of every relation, evidence on every relation, and with
/// [`Rules::toml`] years, sections and verbatim quotes.
pub fn violations(dataset: &govgraph_model::Dataset, rules: Rules<'_>) -> Vec<String> {
    use std::collections::{HashMap, HashSet};
    let mut found = Vec::new();
    let years = 1800..=2100;
    let mut kinds = HashMap::new();
    for entity in &dataset.entities {
        if kinds.insert(entity.id.as_str(), entity.kind).is_some() {
            found.push(format!("entity `{}` is defined twice", entity.id));
        }
        if let Err(e) = govgraph_model::check_entity_id(&entity.id, entity.kind) {
            found.push(format!("entity `{}`: {e}", entity.id));
        }
        if entity.name.trim().is_empty() {
            found.push(format!("entity `{}` has no name", entity.id));
        }
        if rules.toml {
            if let Some(year) = entity.year.filter(|y| !years.contains(y)) {
                found.push(format!("entity `{}`: year {year}", entity.id));
            }
            if entity.kind == govgraph_model::EntityKind::Country {
                let code = entity.id.strip_prefix("country:").unwrap_or_default();
                if entity.attributes.get("iso3").is_some_and(|c| c != code) {
                    found.push(format!("entity `{}`: iso3 disagrees", entity.id));
                }
            }
        }
    }
    let mut ids = HashSet::new();
    for relation in &dataset.relations {
        let at = &relation.id;
        if !ids.insert(relation.id.as_str()) {
            found.push(format!("relation `{at}` is defined twice"));
        }
        match (
            kinds.get(relation.source.as_str()),
            kinds.get(relation.target.as_str()),
        ) {
            (Some(s), Some(t)) => {
                if let Err(e) = govgraph_model::check_domain_range(relation.ty, *s, *t) {
                    found.push(format!("relation `{at}`: {e}"));
                }
            }
            _ => found.push(format!("relation `{at}` has an unknown end")),
        }
        if relation.evidence.is_empty() {
            found.push(format!("relation `{at}` has no evidence"));
        }
        if rules.toml {
            for year in [relation.since, relation.until].into_iter().flatten() {
                if !years.contains(&year) {
                    found.push(format!("relation `{at}`: year {year}"));
                }
            }
            if let (Some(s), Some(u)) = (relation.since, relation.until) {
                if s > u {
                    found.push(format!("relation `{at}`: since {s} after until {u}"));
                }
            }
            for evidence in &relation.evidence {
                if !govgraph_model::checks::is_section_label(&evidence.section) {
                    found.push(format!("relation `{at}`: section `{}`", evidence.section));
                }
                if evidence.quote.trim().is_empty() {
                    found.push(format!("relation `{at}`: empty quote"));
                }
                if rules.profile.is_some_and(|p| !p.contains(&evidence.quote)) {
                    found.push(format!("relation `{at}`: quote not verbatim"));
                }
            }
        }
    }
    found
}

/// Checks that a loader problem is located in one of `files` (by name) at a
/// line that exists, and that it prints as `file:line:column: …`.
pub fn check_problem(
    problem: &govgraph_loader::Problem,
    files: &[govgraph_loader::DataFile],
) -> Result<(), String> {
    let Some(file) = files.iter().find(|f| f.name == problem.file) else {
        return Err(format!("`{problem}` names no given file"));
    };
    let lines = file.bytes.iter().filter(|b| **b == b'\n').count() + 1;
    if problem.line == 0 || problem.line > lines {
        return Err(format!("`{problem}`: line {} of {lines}", problem.line));
    }
    if problem.column == 0 || problem.message.trim().is_empty() {
        return Err(format!("`{problem}`: no column or no message"));
    }
    let prefix = format!("{}:{}:{}: ", problem.file, problem.line, problem.column);
    if !problem.to_string().starts_with(&prefix) {
        return Err(format!("`{problem}` does not start with `{prefix}`"));
    }
    Ok(())
}

/// Checks a store error of a refused CSV import: [`govgraph_store::StoreError::Invalid`],
/// naming one of the two files and a line that exists, printed `file:line: …`.
pub fn check_csv_error(
    error: &govgraph_store::StoreError,
    nodes: (&std::path::Path, &[u8]),
    relationships: (&std::path::Path, &[u8]),
) -> Result<(), String> {
    let govgraph_store::StoreError::Invalid {
        file,
        line,
        message,
    } = error
    else {
        return Err(format!("not a located error: {error:?}"));
    };
    let bytes = if file == nodes.0 {
        nodes.1
    } else if file == relationships.0 {
        relationships.1
    } else {
        return Err(format!("`{error}` names neither file"));
    };
    let lines = bytes.iter().filter(|b| **b == b'\n').count() as u64 + 1;
    if *line == 0 || *line > lines {
        return Err(format!("`{error}`: line {line} of {lines}"));
    }
    if message.trim().is_empty() {
        return Err(format!("`{error}`: no message"));
    }
    let prefix = format!("{}:{line}: ", file.display());
    if !error.to_string().starts_with(&prefix) {
        return Err(format!("`{error}` does not start with `{prefix}`"));
    }
    Ok(())
}

/// The data files of the default data folder, by file name, in name order.
pub fn default_data_files() -> Vec<govgraph_loader::DataFile> {
    let mut files = govgraph_loader::read_dir(&crate::data_dir()).expect("the default data");
    for file in &mut files {
        file.name = std::path::Path::new(&file.name)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
    }
    files
}

/// The profile of the default data, prepared for the quote check, built once.
pub fn default_profile() -> &'static govgraph_loader::Profile {
    static PROFILE: std::sync::OnceLock<govgraph_loader::Profile> = std::sync::OnceLock::new();
    PROFILE.get_or_init(|| govgraph_loader::Profile::new(&crate::profile_text()))
}

/// Loads `files` as the CLI loads one profile folder, quotes checked against `profile`.
pub fn load_folder(
    files: Vec<govgraph_loader::DataFile>,
    profile: Option<&str>,
) -> Result<govgraph_model::Dataset, govgraph_loader::Problems> {
    let folder = govgraph_loader::ProfileFolder {
        info: govgraph_model::ProfileInfo {
            id: "fuzz".to_owned(),
            title: "FUZZ".to_owned(),
            country: None,
            year: None,
        },
        files,
        source: profile.map(govgraph_loader::Profile::new),
    };
    govgraph_loader::load_profiles(std::slice::from_ref(&folder))
}

/// Tokens of the data vocabulary: kinds, relation types, field names, ids.
pub fn vocabulary() -> Vec<Vec<u8>> {
    let mut words: Vec<String> = Vec::new();
    words.extend(
        govgraph_model::EntityKind::ALL
            .iter()
            .map(|k| k.as_str().to_owned()),
    );
    words.extend(
        govgraph_model::RelationType::ALL
            .iter()
            .map(|t| t.as_str().to_owned()),
    );
    words.extend(
        govgraph_model::EntityKind::ALL
            .iter()
            .map(|k| format!("{}:x", k.id_prefix())),
    );
    let dataset = crate::default_dataset();
    let mut rng = Rng::new(DEFAULT_SEED, "vocabulary");
    for _ in 0..40 {
        words.push(rng.pick(&dataset.entities).id.clone());
    }
    for _ in 0..10 {
        words.push(rng.pick(&dataset.relations).id.clone());
    }
    words.extend(
        [
            "country:AZE",
            "country:XXA",
            "country:BRZ",
            "law:Migration Code",
            "",
            " ",
            "Entity",
            "Entity;Law",
            "Table 1",
            "Footnote 20",
            "2.1",
            "9.9",
            "Key sources",
        ]
        .map(str::to_owned),
    );
    words.into_iter().map(String::into_bytes).collect()
}

/// A small valid CSV pair (`nodes.csv`, `relationships.csv`): govgraph's own
/// neo4j-admin export of a part of the default graph (the first `relations`
/// relations by id and the entities they join, plus a few unattached ones).
pub fn small_csv_pair(relations: usize) -> (String, String) {
    use std::collections::BTreeSet;
    let dataset = crate::default_dataset();
    let kept: Vec<govgraph_model::Relation> =
        dataset.relations.iter().take(relations).cloned().collect();
    let mut ids: BTreeSet<&str> = kept
        .iter()
        .flat_map(|r| [r.source.as_str(), r.target.as_str()])
        .collect();
    ids.extend(dataset.entities.iter().take(5).map(|e| e.id.as_str()));
    let part = govgraph_model::Dataset {
        entities: dataset
            .entities
            .iter()
            .filter(|e| ids.contains(e.id.as_str()))
            .cloned()
            .collect(),
        relations: kept,
        profiles: Vec::new(),
    };
    let graph = govgraph_graph::Graph::build(part).0;
    let selection = govgraph_export::Selection::whole(&graph, None);
    let csv = govgraph_export::neo4j_csv(&graph, &selection).expect("the export");
    (csv.nodes, csv.relationships)
}
