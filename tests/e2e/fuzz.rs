//! Fuzzing of the four inputs govgraph takes from outside: TOML data files
//! (the loader), a neo4j-admin CSV pair (the store's streaming import), a
//! profile's markdown (parse, scaffold, coverage, mentions) and GraphQL
//! (documents and variables, in process and through the HTTP app).
//!
//! Properties, checked by `govgraph_tests::oracles` (which the coverage-guided
//! targets of `fuzz/` run too), for every case: no panic, no hang (a case still running after
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
//! cargo test -p govgraph --test e2e fuzz
//! ```
//!
//! Long run: the number of generated cases per target and, to explore further,
//! another seed (the output then says what ran):
//!
//! ```sh
//! GOVGRAPH_FUZZ_CASES=20000 GOVGRAPH_FUZZ_SEED=1 cargo test -p govgraph --release --test e2e fuzz -- --nocapture --test-threads 1
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

use govgraph_tests::fuzz::{self, Check, Target};
use govgraph_tests::oracles::{self, csv::CsvBench, graphql::GraphqlBench};
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

// ---------------------------------------------------------------- loader

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
        Box::new(oracles::loader::check),
    );
    report("loader", &stats, "");
    assert!(stats.accepted > 0 && stats.refused > 0, "{stats:?}");
}

// ---------------------------------------------------------------- CSV

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
            ":ID(Entity)",
            "Table 1: Yes (1992)",
            " | ",
            "InternationalOrganization",
            "Law",
        ]
        .map(|s| s.as_bytes().to_vec()),
    );
    // Every column of govgraph's own CSV layout.
    let layout = govgraph_model::csv_layout::NODES_HEADER
        .iter()
        .chain(govgraph_model::csv_layout::RELATIONSHIPS_HEADER);
    dictionary.extend(layout.map(|column| column.as_bytes().to_vec()));
    let bench = CsvBench::new().expect("a temporary folder");
    let stats = fuzz::run(
        Target {
            name: "csv",
            seeds,
            dictionary,
            cases: fuzz::cases(FAST_CASES),
        },
        Box::new(move |input| oracles::csv::check(&bench, input)),
    );
    report("csv", &stats, "");
    assert!(stats.accepted > 0 && stats.refused > 0, "{stats:?}");
}

// ---------------------------------------------------------------- profile

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
    let check: Check = Box::new(move |input| oracles::profile::check(dir.path(), &dataset, input));
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
    let bench = Arc::new(GraphqlBench::over_default_graph());
    let shared = Arc::clone(&bench);
    let stats = fuzz::run(
        Target {
            name: "graphql",
            seeds,
            dictionary,
            cases: fuzz::cases(FAST_CASES),
        },
        Box::new(move |input| oracles::graphql::check(&shared, input)),
    );
    let timeouts = bench.timeouts();
    report(
        "graphql",
        &stats,
        &format!(", {timeouts} answered 504 (work time limit)"),
    );
    assert!(stats.accepted > 0 && stats.refused > 0, "{stats:?}");
}
