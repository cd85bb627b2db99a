//! Fuzzing of the four inputs govgraph takes from outside: TOML data files
//! (the loader), a neo4j-admin CSV pair (the store's streaming import), a
//! profile's markdown (parse, scaffold, coverage, mentions) and GraphQL
//! (documents and variables, in process and through the HTTP app).
//!
//! Properties, for every case: no panic, no hang (a case still running after
//! `fuzz::HANG_BOUND` counts as one: a detector, not a timing), and then
//! - loader: refused with problems that each name a given file, an existing
//!   line and a column, printed `file:line:col: …`; or accepted with a dataset
//!   that passes the validation rules re-checked independently
//!   (`fuzz::violations`) and builds a graph;
//! - CSV: refused with `StoreError::Invalid` naming one of the two files and
//!   an existing line, printed `file:line: …`, the store's fingerprint and
//!   generations unchanged; or accepted with a store whose dataset passes the
//!   structural rules and whose counts match its metadata;
//! - profile: `read_file` fails only as documented (not UTF-8 at the right
//!   offset, empty), diagnostics name existing lines, the scaffold loads with
//!   no problem against its own profile (every quote verbatim), and coverage,
//!   mentions and the subject never panic;
//! - GraphQL: every error has a message, and a location inside the document
//!   when it has one; the answer serialises; over HTTP no request is answered
//!   500 and every `/graphql` answer is JSON.
//!
//! Inputs are mutants of real ones (the data files of `data/azerbaijan-2023`,
//! `tests/fixtures/`, the contract's queries, the profile), made by the seeded
//! structure-aware mutator of `govgraph_tests::fuzz`, after the committed
//! corpus `tests/fuzz/corpus/<target>/` is replayed (seed inputs and every
//! regression found). A failing input is saved under
//! `target/fuzz-findings/<target>/` and named in the failure.
//!
//! Fast set (the normal `cargo test`): 250 generated cases per target.
//!
//! ```sh
//! cargo test -p govgraph-tests --test e2e fuzz
//! ```
//!
//! Long run: the number of generated cases per target and, to explore further,
//! another seed (the output then says what ran):
//!
//! ```sh
//! GOVGRAPH_FUZZ_CASES=20000 GOVGRAPH_FUZZ_SEED=1 cargo test -p govgraph-tests --release --test e2e fuzz -- --nocapture --test-threads 1
//! ```
//!
//! Measured on the 2-core development machine: the fast set takes about 10 s
//! (debug, four targets on two test threads). Long runs (release, seeds 1–3):
//! loader 115,094 executions, CSV 15,015, profile about 98,500, GraphQL
//! 115,054 (no answer 500, none 504); no panic and no hang anywhere. Found and
//! fixed: three scaffold/Table 1 bugs of the profile reader (an entity with an
//! empty name, non-verbatim Table 1 quotes twice, a name past the loader's
//! field limit); found and left: the normaliser's unclosed `<sup>` (see
//! `tests/fuzz/README.md`). Each is a corpus file now.

use govgraph_tests::fuzz::{self, Check, Outcome, Rules, Target};
use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Arc;

/// Generated cases per target in the normal run.
const FAST_CASES: usize = 250;

/// Reports what a target ran, on a long run (a normal run stays quiet).
fn report(name: &str, stats: &fuzz::Stats, extra: &str) {
    if fuzz::long_run() {
        let _ = writeln!(
            std::io::stderr(),
            "fuzz {name}: {} executions ({} corpus), {} accepted, {} refused{extra}, seed {:#x}",
            stats.executions,
            stats.replayed,
            stats.accepted,
            stats.refused,
            fuzz::seed()
        );
    }
}

fn lossy_lines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| **b == b'\n').count() + 1
}

// ---------------------------------------------------------------- loader

/// Splits an input into data files; names with a `/` put the file in that
/// profile folder (several folders are loaded and merged, without quote checks).
fn loader_check(input: &[u8]) -> Result<Outcome, String> {
    let files: Vec<govgraph_loader::DataFile> = fuzz::split_sections(input, "fuzz.toml")
        .into_iter()
        .map(|(name, bytes)| govgraph_loader::DataFile::new(name, bytes))
        .collect();
    let folders: std::collections::BTreeSet<&str> = files
        .iter()
        .filter_map(|f| f.name.split_once('/').map(|(dir, _)| dir))
        .collect();
    let (result, profile) = if folders.len() > 1 {
        let grouped = folders
            .iter()
            .map(|dir| govgraph_loader::ProfileFolder {
                info: govgraph_model::ProfileInfo {
                    id: (*dir).to_owned(),
                    title: dir.to_uppercase(),
                    country: None,
                    year: None,
                },
                files: files
                    .iter()
                    .filter(|f| f.name.split_once('/').is_some_and(|(d, _)| d == *dir))
                    .cloned()
                    .collect(),
                source: None,
            })
            .collect::<Vec<_>>();
        (govgraph_loader::load_profiles(&grouped), None)
    } else {
        let profile = fuzz::default_profile();
        (govgraph_loader::load(&files, Some(profile)), Some(profile))
    };
    match result {
        Err(problems) => {
            if problems.0.is_empty() {
                return Err("refused without a problem".into());
            }
            for problem in &problems.0 {
                fuzz::check_problem(problem, &files)?;
            }
            Ok(Outcome::Refused)
        }
        Ok(dataset) => {
            let broken = fuzz::violations(
                &dataset,
                Rules {
                    toml: true,
                    profile,
                },
            );
            if !broken.is_empty() {
                return Err(format!("accepted an invalid dataset: {broken:?}"));
            }
            let _ = govgraph_store::fingerprint(&dataset);
            let _ = govgraph_graph::Graph::build(dataset);
            Ok(Outcome::Accepted)
        }
    }
}

#[test]
fn fuzz_the_toml_loader() {
    let files = fuzz::default_data_files();
    let mut seeds: Vec<Vec<u8>> = files
        .iter()
        .map(|f| fuzz::join_sections(&[(f.name.clone(), f.bytes.clone())]))
        .collect();
    // Entities beside the relations that use them, and two folders that share a country.
    let pick = |name: &str| {
        files
            .iter()
            .find(|f| f.name == name)
            .map(|f| (f.name.clone(), f.bytes.clone()))
            .expect("a default data file")
    };
    seeds.push(fuzz::join_sections(&[
        pick("a-entities-countries.toml"),
        pick("a-entities-conventions.toml"),
        pick("a-entities-agreements.toml"),
    ]));
    let fixture = govgraph_tests::root().join("tests/fixtures/profiles/norvania/norvania.toml");
    let norvania = std::fs::read(fixture).expect("the norvania fixture");
    seeds.push(fuzz::join_sections(&[
        (
            "a/countries.toml".into(),
            pick("a-entities-countries.toml").1,
        ),
        ("b/norvania.toml".into(), norvania),
    ]));
    let mut dictionary = fuzz::vocabulary();
    dictionary.extend(
        [
            "[[entity]]",
            "[[relation]]",
            "[[relation.evidence]]",
            "[entity]",
            "id = ",
            "kind = ",
            "name = ",
            "type = ",
            "source = ",
            "target = ",
            "year = ",
            "since = ",
            "until = ",
            "note = ",
            "aliases = [",
            "attributes = { iso3 = \"AZE\" }",
            "evidence = []",
            "evidence = [{ section = \"2.1\", quote = \"Migration Code\" }]",
            "section = \"Table 1\"",
            "quote = \"\"",
            "colour = \"red\"",
            "\"\"\"",
            "'''",
            "\"",
            "'",
            "=",
            "[",
            "]",
            "{",
            "}",
            ",",
            "#",
            "\\",
            "\\u0000",
            "1979-05-27T07:32:00Z",
            "true",
        ]
        .map(|s| s.as_bytes().to_vec()),
    );
    let stats = fuzz::run(
        Target {
            name: "loader",
            seeds,
            dictionary,
            cases: fuzz::cases(FAST_CASES),
        },
        Box::new(loader_check),
    );
    report("loader", &stats, "");
    assert!(stats.accepted > 0 && stats.refused > 0, "{stats:?}");
}

// ---------------------------------------------------------------- CSV

/// A store every case imports into, and the two files it writes.
struct CsvBench {
    dir: tempfile::TempDir,
    db: PathBuf,
}

fn generations(db: &std::path::Path) -> usize {
    std::fs::read_dir(db).map_or(0, |entries| {
        entries
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with("gen-"))
            .count()
    })
}

fn csv_check(bench: &CsvBench, input: &[u8]) -> Result<Outcome, String> {
    let parts = fuzz::split_sections(input, "nodes.csv");
    let part = |name: &str| {
        parts
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b.clone())
            .unwrap_or_default()
    };
    let (nodes_bytes, rels_bytes) = (part("nodes.csv"), part("relationships.csv"));
    let nodes = bench.dir.path().join("nodes.csv");
    let relationships = bench.dir.path().join("relationships.csv");
    std::fs::write(&nodes, &nodes_bytes).map_err(|e| e.to_string())?;
    std::fs::write(&relationships, &rels_bytes).map_err(|e| e.to_string())?;
    let before = govgraph_store::Store::open(&bench.db)
        .ok()
        .map(|s| s.meta().clone());
    let files = govgraph_store::CsvFiles {
        nodes: &nodes,
        relationships: &relationships,
    };
    match govgraph_store::import_csv(&bench.db, files, "fuzz", &mut |_, _| {}) {
        Err(error) => {
            fuzz::check_csv_error(
                &error,
                (&nodes, &nodes_bytes),
                (&relationships, &rels_bytes),
            )?;
            let after = govgraph_store::Store::open(&bench.db)
                .ok()
                .map(|s| s.meta().clone());
            if after != before {
                return Err(format!(
                    "refused ({error}) but the store changed: {before:?} -> {after:?}"
                ));
            }
            if generations(&bench.db) != usize::from(before.is_some()) {
                return Err("refused but a generation was left behind".into());
            }
            Ok(Outcome::Refused)
        }
        Ok(meta) => {
            let store = govgraph_store::Store::open(&bench.db).map_err(|e| e.to_string())?;
            if store.meta() != &meta {
                return Err("the store's metadata is not the import's".into());
            }
            let dataset = store.dataset().map_err(|e| e.to_string())?;
            if (dataset.entities.len(), dataset.relations.len()) != (meta.entities, meta.relations)
            {
                return Err("the counts differ from the metadata".into());
            }
            let broken = fuzz::violations(
                &dataset,
                Rules {
                    toml: false,
                    profile: None,
                },
            );
            if !broken.is_empty() {
                return Err(format!("accepted an invalid CSV pair: {broken:?}"));
            }
            Ok(Outcome::Accepted)
        }
    }
}

#[test]
fn fuzz_the_csv_import() {
    let section = |nodes: &str, rels: &str| {
        fuzz::join_sections(&[
            ("nodes.csv".into(), nodes.as_bytes().to_vec()),
            ("relationships.csv".into(), rels.as_bytes().to_vec()),
        ])
    };
    let (nodes, rels) = fuzz::small_csv_pair(25);
    let mut seeds = vec![section(&nodes, &rels)];
    let synthetic = govgraph_synth::generate(govgraph_synth::Config {
        entities: 40,
        relations: 60,
        seed: 3,
    });
    let dir = tempfile::tempdir().expect("temp dir");
    let (n, r) = synthetic.write_csv(dir.path()).expect("synthetic pair");
    seeds.push(section(
        &std::fs::read_to_string(n).expect("nodes"),
        &std::fs::read_to_string(r).expect("relationships"),
    ));
    let mut dictionary = fuzz::vocabulary();
    dictionary.extend(
        [
            ",",
            "\"",
            "\"\"",
            ";",
            "\n",
            "\r\n",
            ",,,,,",
            "id:ID",
            ":ID(Entity)",
            ":LABEL",
            "kind",
            "name",
            "year:int",
            "aliases:string[]",
            ":START_ID",
            ":END_ID",
            ":TYPE",
            "id",
            "since:int",
            "until:int",
            "evidence",
            "evidence_sections:string[]",
            "Table 1: Yes (1992)",
            " | ",
            "InternationalOrganization",
            "Law",
        ]
        .map(|s| s.as_bytes().to_vec()),
    );
    let bench = CsvBench {
        db: dir.path().join("store"),
        dir,
    };
    let stats = fuzz::run(
        Target {
            name: "csv",
            seeds,
            dictionary,
            cases: fuzz::cases(FAST_CASES),
        },
        Box::new(move |input| csv_check(&bench, input)),
    );
    report("csv", &stats, "");
    assert!(stats.accepted > 0 && stats.refused > 0, "{stats:?}");
}

// ---------------------------------------------------------------- profile

/// Whether a line of `text` opens a `<sup>` it does not close.
fn unclosed_sup(text: &str) -> bool {
    text.lines()
        .any(|l| l.matches("<sup>").count() > l.matches("</sup>").count())
}

/// A hash of an input (FNV-1a), to choose deterministically per input.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn profile_check(
    dir: &std::path::Path,
    dataset: &govgraph_model::Dataset,
    input: &[u8],
) -> Result<Outcome, String> {
    // The file reader: typed errors only where documented.
    let path = dir.join("profile.md");
    std::fs::write(&path, input).map_err(|e| e.to_string())?;
    let read = govgraph_profile::read_file(&path);
    let outcome = match (&read, std::str::from_utf8(input)) {
        (Ok(_), Ok(_)) => Outcome::Accepted,
        (Err(govgraph_profile::ProfileError::NotUtf8 { offset, .. }), Err(e))
            if *offset == e.valid_up_to() =>
        {
            Outcome::Refused
        }
        (Err(govgraph_profile::ProfileError::Empty { .. }), Ok(text))
            if text.trim_start_matches('\u{FEFF}').trim().is_empty() =>
        {
            Outcome::Refused
        }
        (other, utf8) => {
            return Err(format!(
                "read_file answered {:?} for an input whose UTF-8 check is {:?}",
                other.as_ref().err(),
                utf8.err()
            ))
        }
    };
    let text = String::from_utf8_lossy(input);
    let parsed = govgraph_profile::parse(&text);
    let lines = lossy_lines(text.as_bytes());
    for diagnostic in &parsed.diagnostics {
        if diagnostic.line > lines || diagnostic.message.trim().is_empty() {
            return Err(format!("diagnostic `{diagnostic}` of a {lines}-line text"));
        }
    }
    let _ = parsed.has_errors();
    let _ = parsed.require_key_sources();
    let doc = &parsed.document;
    let scaffold = govgraph_profile::scaffold(doc);
    let files = [govgraph_loader::DataFile::new(
        "scaffold.toml",
        scaffold.into_bytes(),
    )];
    let source = govgraph_loader::Profile::new(&text);
    if let Err(problems) = govgraph_loader::load(&files, Some(&source)) {
        // Known and reported, not ours to fix here: the verbatim check's
        // normaliser (govgraph_model::text::normalize_markdown) removes from an
        // unclosed `<sup>` up to the next `</sup>`, however many lines later,
        // so quotes from the text between are "not verbatim" while the profile
        // reader, line by line, reads them (corpus: known-unclosed-sup.md).
        let known = unclosed_sup(&text);
        let broken: Vec<String> = problems
            .0
            .iter()
            .filter(|p| !(known && p.message.contains("not verbatim")))
            .take(5)
            .map(ToString::to_string)
            .collect();
        if !broken.is_empty() {
            return Err(format!(
                "the scaffold does not load against its own profile: {}",
                broken.join("\n")
            ));
        }
    }
    let _ = govgraph_profile::subject(doc);
    // Coverage and the country finder cost most (a whole profile takes over a
    // second in a debug build): run them on small inputs and on a quarter of
    // the rest, chosen by the input itself so that a case replays the same.
    let mut names = Vec::new();
    if input.len() < 8_192 || fnv(input).is_multiple_of(4) {
        let report = govgraph_profile::coverage(doc, dataset);
        let _ = (report.is_complete(), report.unmatched().len());
        let countries = govgraph_profile::named_countries(doc);
        names.extend(countries.iter().take(5).map(|c| c.name.clone()));
    }
    let mut asked: Vec<&str> = names.iter().map(String::as_str).collect();
    asked.extend(["State Migration Service", "Ministry", "", "a"]);
    let _ = govgraph_profile::mentions(doc, &asked);
    Ok(outcome)
}

#[test]
fn fuzz_the_profile_reader() {
    let profile = govgraph_tests::profile_text();
    let fixtures = govgraph_tests::root().join("tests/fixtures/profiles");
    let read = |f: &str| {
        std::fs::read_to_string(fixtures.join(f).join("source/profile.md")).expect("fixture")
    };
    let mut seeds: Vec<Vec<u8>> = vec![read("broken").into_bytes()];
    // Windows of the whole profiles, each after its title lines: quick cases
    // that keep the structure (the subject, sections, Table 1, Key sources).
    // The whole documents join on a long run (a case of one takes seconds in
    // a debug build, and the real profile has tests of its own).
    let mut rng = fuzz::Rng::new(fuzz::DEFAULT_SEED, "profile windows");
    for whole in [profile.clone(), read("norvania"), read("kestria")] {
        let lines: Vec<&str> = whole.split_inclusive('\n').collect();
        let head: String = lines.iter().take(6).copied().collect();
        for _ in 0..6 {
            let start = rng.below(lines.len());
            let end = (start + 10 + rng.below(110)).min(lines.len());
            seeds.push(format!("{head}{}", lines[start..end].concat()).into_bytes());
        }
        for marker in ["KEY SOURCES", "Table 1", "TABLE 1"] {
            if let Some(at) = lines.iter().position(|l| l.contains(marker)) {
                let end = (at + 80).min(lines.len());
                seeds.push(format!("{head}{}", lines[at..end].concat()).into_bytes());
            }
        }
        if fuzz::long_run() {
            seeds.push(whole.into_bytes());
        }
    }
    let mut dictionary: Vec<Vec<u8>> = [
        "# ",
        "## ",
        "### ",
        "#### ",
        "| ",
        " |",
        "|---|---|",
        "\t",
        "[^1]",
        "[^1]: ",
        "[^99]",
        "KEY SOURCES",
        "# KEY SOURCES*",
        "TABLE 1",
        "Table 1:",
        "Yes (1993)",
        "No",
        "* ",
        "- ",
        "1. ",
        "**",
        "_",
        "REPUBLIC OF AZERBAIJAN | PROFILE 2023",
        "KINGDOM OF",
        "PROFILE 1999",
        "Law of the Republic of Azerbaijan No. 123-IIIQ",
        "Decree of the President",
        "Ministry of",
        "State Migration Service",
        "Cabinet of Ministers",
        "Memorandum of Understanding between",
        "Agreement between the Government of",
        "Türkiye",
        "Russian Federation",
        "Georgia",
        "United Nations",
        "(2019)",
        "(19",
        "2.1",
        "6.3",
        "SUMMARY",
        "CONTEXT",
        "ANNEX",
        "AFTER THE MGI ASSESSMENT",
        "Available from",
        "http://x.y/z",
        "www.",
        "<br>",
        "&amp;",
    ]
    .map(|s| s.as_bytes().to_vec())
    .to_vec();
    dictionary.extend(fuzz::vocabulary());
    let dir = tempfile::tempdir().expect("temp dir");
    let dataset = govgraph_tests::default_dataset();
    let check: Check = Box::new(move |input| profile_check(dir.path(), &dataset, input));
    let stats = fuzz::run(
        Target {
            name: "profile",
            seeds,
            dictionary,
            cases: fuzz::cases(FAST_CASES),
        },
        check,
    );
    report("profile", &stats, "");
    assert!(stats.accepted > 0 && stats.refused > 0, "{stats:?}");
}

// ---------------------------------------------------------------- GraphQL

/// Percent-encodes `bytes` for a query string.
fn url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 3);
    for &b in bytes {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// What the GraphQL target keeps between cases.
struct GraphqlBench {
    runtime: tokio::runtime::Runtime,
    schema: govgraph_api::GovSchema,
    app: axum::Router,
    /// Answers `504 TIMEOUT` (the server's work limit): slow, not hung.
    timeouts: std::sync::atomic::AtomicUsize,
}

fn check_errors(errors: &[async_graphql::ServerError], document: &str) -> Result<(), String> {
    let lines = lossy_lines(document.as_bytes());
    for error in errors {
        if error.message.trim().is_empty() {
            return Err(format!("an error without a message: {error:?}"));
        }
        for at in &error.locations {
            if at.line == 0 || at.line > lines || at.column == 0 {
                return Err(format!(
                    "`{}` at {}:{} of a {lines}-line document",
                    error.message, at.line, at.column
                ));
            }
        }
    }
    Ok(())
}

/// One HTTP request through the app: its status and body.
fn http(bench: &GraphqlBench, request: axum::http::Request<axum::body::Body>) -> (u16, Vec<u8>) {
    use tower::ServiceExt;
    bench.runtime.block_on(async {
        let response = bench
            .app
            .clone()
            .oneshot(request)
            .await
            .expect("the router never fails");
        let status = response.status().as_u16();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("a body");
        (status, body.to_vec())
    })
}

fn check_http(bench: &GraphqlBench, what: &str, status: u16, body: &[u8]) -> Result<(), String> {
    if status == 504 {
        bench
            .timeouts
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
    if status >= 500 && status != 503 && status != 504 {
        return Err(format!(
            "{what}: answered {status}: {}",
            String::from_utf8_lossy(body)
        ));
    }
    if status != 304 && serde_json::from_slice::<serde_json::Value>(body).is_err() {
        return Err(format!(
            "{what}: answered {status} with a body that is not JSON: {}",
            String::from_utf8_lossy(&body[..body.len().min(300)])
        ));
    }
    Ok(())
}

fn graphql_check(bench: &GraphqlBench, input: &[u8]) -> Result<Outcome, String> {
    let parts = fuzz::split_sections(input, "query");
    let part = |name: &str| {
        parts
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b.as_slice())
    };
    let query_bytes = part("query").unwrap_or_default();
    let variables_bytes = part("variables").unwrap_or_default();
    let operation = part("operationName").map(|b| String::from_utf8_lossy(b).trim().to_owned());
    let query = String::from_utf8_lossy(query_bytes).into_owned();
    let variables: Option<serde_json::Value> = serde_json::from_slice(variables_bytes).ok();

    // In process.
    let mut request = async_graphql::Request::new(query.clone());
    if let Some(vars) = variables.clone() {
        request = request.variables(async_graphql::Variables::from_json(vars));
    }
    if let Some(name) = operation.clone() {
        request = request.operation_name(name);
    }
    let response = bench.runtime.block_on(bench.schema.execute(request));
    check_errors(&response.errors, &query)?;
    let answer = serde_json::to_value(&response).map_err(|e| format!("unserialisable: {e}"))?;
    let outcome = if response.errors.is_empty() {
        Outcome::Accepted
    } else {
        Outcome::Refused
    };
    if !answer["data"].is_null() && !answer["data"].is_object() {
        return Err(format!("data is neither null nor an object: {answer}"));
    }

    // Over HTTP: a POST whose body is spliced from the raw parts (so broken
    // JSON in the variables reaches the server as it is) ...
    let mut body = b"{\"query\": ".to_vec();
    body.extend(serde_json::to_vec(&query).unwrap_or_default());
    if !variables_bytes.is_empty() {
        body.extend_from_slice(b", \"variables\": ");
        body.extend_from_slice(variables_bytes);
    }
    if let Some(name) = &operation {
        body.extend_from_slice(b", \"operationName\": ");
        body.extend(serde_json::to_vec(name).unwrap_or_default());
    }
    body.push(b'}');
    let post = axum::http::Request::post("/graphql")
        .header("content-type", "application/json")
        .body(axum::body::Body::from(body))
        .map_err(|e| e.to_string())?;
    let (status, answer) = http(bench, post);
    check_http(bench, "POST", status, &answer)?;

    // ... and a GET of the same, when it fits in an address.
    if query_bytes.len() + variables_bytes.len() < 6_000 {
        let mut uri = format!("/graphql?query={}", url_encode(query_bytes));
        if !variables_bytes.is_empty() {
            uri.push_str(&format!("&variables={}", url_encode(variables_bytes)));
        }
        if let Ok(get) = axum::http::Request::get(uri.as_str())
            .header("accept", "application/json")
            .body(axum::body::Body::empty())
        {
            let (status, answer) = http(bench, get);
            check_http(bench, "GET", status, &answer)?;
        }
    }
    Ok(outcome)
}

/// Variables for each contract operation, naming real entities of the default data.
fn contract_variables(operation: &str) -> &'static str {
    match operation {
        "ego-network" => r#"{ "id": "country:AZE" }"#,
        "find-then-trace" => r#"{ "name": "State Migration Service" }"#,
        "implementers" => r#"{ "instrument": "law:migration-code" }"#,
        "why-connected" => {
            r#"{ "from": "institution:public-council", "to": "law:migration-code" }"#
        }
        _ => r#"{ "after": null }"#,
    }
}

#[test]
fn fuzz_the_graphql_endpoint() {
    let mut seeds = Vec::new();
    let dir = govgraph_tests::contract_dir().join("queries");
    let mut queries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("contract queries")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "graphql"))
        .collect();
    queries.sort();
    for path in &queries {
        let stem = path
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .into_owned();
        seeds.push(fuzz::join_sections(&[
            ("query".into(), std::fs::read(path).expect("query")),
            (
                "variables".into(),
                contract_variables(&stem).as_bytes().to_vec(),
            ),
        ]));
    }
    assert!(seeds.len() >= 6, "the contract's operations");
    for extra in [
        "{ stats { entities relations } }",
        "{ __schema { queryType { name } types { name kind fields { name args { name type { name kind ofType { name } } } } } } }",
        "query A { entity(id: \"law:migration-code\") { ...F } } fragment F on Entity { id name ... on Entity { kind } }",
        "{ a: search(query: \"migration\", first: 5) { id } b: search(query: \"\", first: 500) { id } }",
        "query Q($skip: Boolean!) { stats @skip(if: $skip) { entities } __typename }",
        "{ path(from: \"country:AZE\", to: \"law:migration-code\", maxDepth: 8) { length } }",
    ] {
        seeds.push(fuzz::join_sections(&[
            ("query".into(), extra.as_bytes().to_vec()),
            ("variables".into(), br#"{ "skip": false, "first": 2147483647 }"#.to_vec()),
        ]));
    }
    // Every name the schema knows, as tokens.
    let sdl = govgraph_api::sdl();
    let mut names: Vec<&str> = sdl
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    names.sort_unstable();
    names.dedup();
    let mut dictionary: Vec<Vec<u8>> = names.iter().map(|n| n.as_bytes().to_vec()).collect();
    dictionary.extend(
        [
            "{",
            "}",
            "(",
            ")",
            ":",
            "$",
            "!",
            "[",
            "]",
            "...",
            "@",
            "#",
            "\"",
            "\"\"\"",
            "=",
            "query",
            "mutation",
            "subscription",
            "fragment F on Query",
            "...F",
            "on",
            "__schema",
            "__type(name: \"Entity\")",
            "__typename",
            "@include(if: true)",
            "@skip(if: false)",
            "@deprecated",
            "first: 500",
            "first: -1",
            "depth: 4",
            "maxDepth: 8",
            "after: \"bm90IGEgY3Vyc29y\"",
            "null",
            "true",
            "1e400",
            "\"\\u0000\"",
            "\"\\uD800\"",
            "$v",
            "($v: Int = 1)",
            "{\"v\": [1, 2]}",
            "query Q",
        ]
        .map(|s| s.as_bytes().to_vec()),
    );
    dictionary.extend(fuzz::vocabulary());
    let graph = govgraph_tests::default_graph();
    let schema = govgraph_api::schema(Arc::clone(&graph), govgraph_api::Limits::default());
    let app = govgraph_server::app(govgraph_server::AppState::new(graph));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let bench = Arc::new(GraphqlBench {
        runtime,
        schema,
        app,
        timeouts: std::sync::atomic::AtomicUsize::new(0),
    });
    let shared = Arc::clone(&bench);
    let stats = fuzz::run(
        Target {
            name: "graphql",
            seeds,
            dictionary,
            cases: fuzz::cases(FAST_CASES),
        },
        Box::new(move |input| graphql_check(&shared, input)),
    );
    let timeouts = bench.timeouts.load(std::sync::atomic::Ordering::Relaxed);
    report(
        "graphql",
        &stats,
        &format!(", {timeouts} answered 504 (work time limit)"),
    );
    assert!(stats.accepted > 0 && stats.refused > 0, "{stats:?}");
}
