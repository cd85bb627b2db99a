//! The profile commands end to end: `coverage`, `profile scaffold`, `profile inspect`
//! on the real profile and the fixtures, their bad inputs, and entity mentions over
//! GraphQL.

use govgraph_tests::{default_graph, govgraph_bin, profile_path, root};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn real_profile() -> PathBuf {
    profile_path()
}

fn fixture(name: &str) -> PathBuf {
    root().join("crates/profile/tests/fixtures").join(name)
}

fn run(args: &[&str]) -> Output {
    Command::new(govgraph_bin())
        .args(args)
        .output()
        .expect("govgraph runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `govgraph coverage` on the real profile and the default dataset: the summary is the
/// last line and counts every Key Sources entry and Table 1 row.
#[test]
fn coverage_of_the_real_profile_ends_with_the_summary() {
    let out = run(&[
        "coverage",
        "--profile",
        real_profile().to_str().expect("utf-8"),
    ]);
    let stdout = text(&out.stdout);
    let summary = stdout.lines().last().expect("a summary line");
    let words: Vec<&str> = summary.split(' ').collect();
    assert_eq!(words.len(), 9, "{summary}");
    assert_eq!(
        (words[0], words[1], words[3], words[4], words[6], words[8]),
        ("key", "sources", "table", "1", "countries", "matched"),
        "{summary}"
    );
    assert!(words[2].ends_with("/88,"), "{summary}");
    assert!(words[5].ends_with("/6,"), "{summary}");
    let complete = |w: &str| {
        let w = w.trim_end_matches(',');
        let (a, b) = w.split_once('/').expect("n/m");
        a == b
    };
    let unmatched = stdout
        .lines()
        .filter(|l| l.starts_with("unmatched "))
        .count();
    // The default dataset covers the whole profile.
    assert!(
        complete(words[2]) && complete(words[5]) && complete(words[7]),
        "{stdout}"
    );
    assert_eq!(unmatched, 0, "{stdout}");
    assert_eq!(out.status.code(), Some(0), "{stdout}");

    // Without the file of merely-named countries, those countries are unmatched.
    let dir = tempfile::tempdir().expect("temp dir");
    govgraph_tests::copy_data_dir(dir.path(), |name| name != "c-entities-countries.toml");
    let out = std::process::Command::new(govgraph_tests::govgraph_bin())
        .args([
            "coverage",
            "--profile",
            real_profile().to_str().expect("utf-8"),
            "--data",
        ])
        .arg(dir.path())
        .output()
        .expect("run coverage");
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(6), "{stdout}");
    let lines: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("unmatched "))
        .collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    for line in lines {
        assert!(
            line.contains("source/profile.md:"),
            "names the profile line: {line}"
        );
    }
    assert!(
        stdout
            .lines()
            .last()
            .is_some_and(|l| l.ends_with("countries 27/29 matched")),
        "{stdout}"
    );
}

/// A scaffold must load with the project's loader, every quote verbatim in its profile.
fn check_scaffold(profile: &Path, min_entities: usize, expected: &[&str]) {
    let dir = tempfile::tempdir().expect("tempdir");
    let out_file = dir.path().join("scaffold.toml");
    let out = run(&[
        "profile",
        "scaffold",
        profile.to_str().expect("utf-8"),
        "--out",
        out_file.to_str().expect("utf-8"),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let files = govgraph_loader::read_dir(dir.path()).expect("readable");
    let source = std::fs::read_to_string(profile).expect("profile");
    let checked = govgraph_loader::Profile::new(&source);
    let dataset = match govgraph_loader::load(&files, Some(&checked)) {
        Ok(dataset) => dataset,
        Err(problems) => panic!(
            "{}: the scaffold does not load:\n{}",
            profile.display(),
            problems
                .0
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        ),
    };
    assert!(
        dataset.entities.len() >= min_entities,
        "{}",
        dataset.entities.len()
    );
    let toml = std::fs::read_to_string(&out_file).expect("written");
    for line in expected {
        assert!(
            toml.contains(line),
            "{}: missing `{line}`",
            profile.display()
        );
    }
}

#[test]
fn scaffold_loads_for_the_real_profile_and_the_fixtures() {
    check_scaffold(
        &real_profile(),
        88 + 6,
        &[
            "section = \"Key sources\"",
            "section = \"Table 1\"",
            "type = \"RATIFIED\"\nsource = \"country:AZE\"",
            "type = \"NOT_RATIFIED\"",
            "type = \"PARTY_TO\"",
            "type = \"APPROVED_BY\"",
            "listed_under = \"President of Azerbaijan\"",
            "number = \"No. 560\"",
        ],
    );
    check_scaffold(&fixture("veloria.md"), 9, &["section = \"Key sources\""]);
    check_scaffold(&fixture("tallmark.md"), 1, &["[[entity]]"]);
}

fn check_inspect(profile: &Path, expected: &[&str]) {
    let out = run(&["profile", "inspect", profile.to_str().expect("utf-8")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    for line in expected {
        assert!(stdout.contains(line), "missing `{line}` in:\n{stdout}");
    }
}

#[test]
fn inspect_prints_outline_counts_and_diagnostics() {
    check_inspect(
        &real_profile(),
        &[
            "sections",
            "2.1",
            "Key sources",
            "key sources        88",
            "table 1 rows       6",
            "key sources by kind",
            "key sources by issuer",
            "diagnostics: ",
        ],
    );
    check_inspect(
        &fixture("veloria.md"),
        &[
            "table 1 rows       3",
            "key sources        9",
            "Government of Veloria",
            "diagnostics: 2",
            "line 73: warning",
        ],
    );
}

/// Bad input for every profile command: a clear message naming the file, non-zero
/// exit, no panic.
fn check_bad(contents: Option<&[u8]>, expected: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("profile.md");
    if let Some(bytes) = contents {
        std::fs::write(&path, bytes).expect("write");
    }
    let p = path.to_str().expect("utf-8");
    let out_file = dir.path().join("out.toml");
    for args in [
        vec!["coverage", "--profile", p],
        vec![
            "profile",
            "scaffold",
            p,
            "--out",
            out_file.to_str().expect("utf-8"),
        ],
        vec!["profile", "inspect", p],
    ] {
        let out = run(&args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains(p), "{args:?} names the file: {stderr}");
        assert!(
            stderr.contains(expected),
            "{args:?}: `{expected}` in {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    assert!(!out_file.exists());
}

#[test]
fn bad_profiles_are_refused_with_a_clear_message() {
    check_bad(None, "does not exist");
    check_bad(Some(b"# SUMMARY\n\n\xff\xfe text"), "not UTF-8");
    check_bad(Some(b"  \n\n"), "is empty");
    check_bad(
        Some(b"# SUMMARY\n\nJust a summary.\n"),
        "no KEY SOURCES section",
    );
}

async fn mentions_of(id: &str, first: i32) -> Value {
    let parsed = govgraph_profile::parse(&govgraph_tests::profile_text());
    let graph = default_graph();
    let mentions = std::sync::Arc::new(govgraph_api::Mentions::build(&graph, &parsed.document));
    let schema =
        govgraph_api::schema_with_mentions(graph, govgraph_api::Limits::default(), Some(mentions));
    let request = async_graphql::Request::new(
        "query($id: ID!, $first: Int!) { entity(id: $id) { name aliases mentionCount mentions(first: $first) { section quote } } }",
    )
    .variables(async_graphql::Variables::from_json(json!({ "id": id, "first": first })));
    let response = serde_json::to_value(schema.execute(request).await).expect("json");
    assert!(response.get("errors").is_none(), "{response}");
    response["data"]["entity"].clone()
}

#[tokio::test]
async fn mentions_quote_sentences_that_name_the_entity() {
    let sms = mentions_of("institution:state-migration-service", 500).await;
    let mentions = sms["mentions"].as_array().expect("list");
    let count = sms["mentionCount"].as_i64().expect("count");
    assert!(
        count as usize >= mentions.len() && mentions.len() > 3,
        "{sms}"
    );
    let sections: std::collections::BTreeSet<&str> = mentions
        .iter()
        .map(|m| m["section"].as_str().expect("section"))
        .collect();
    assert!(
        sections.contains("2.1") && sections.len() >= 3,
        "{sections:?}"
    );
    let names: Vec<String> = std::iter::once(&sms["name"])
        .chain(sms["aliases"].as_array().expect("aliases"))
        .map(|n| govgraph_model::text::fold(n.as_str().expect("name")))
        .collect();
    for m in mentions {
        let quote = govgraph_model::text::fold(m["quote"].as_str().expect("quote"));
        assert!(
            names.iter().any(|n| quote.contains(n.as_str())),
            "{quote} names none of {names:?}"
        );
    }
    let two = mentions_of("institution:state-migration-service", 2).await;
    assert_eq!(two["mentions"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn without_a_profile_mentions_are_empty() {
    let schema = govgraph_api::schema(default_graph(), govgraph_api::Limits::default());
    let response = serde_json::to_value(
        schema
            .execute(r#"{ entity(id: "institution:state-migration-service") { mentionCount mentions { section } } }"#)
            .await,
    )
    .expect("json");
    assert_eq!(
        response["data"]["entity"],
        json!({ "mentionCount": 0, "mentions": [] }),
        "{response}"
    );
}

/// Every quote of the curated data is found in its paragraph of the profile,
/// in the section it cites, with the quote's span marked.
#[test]
fn every_quote_is_found_in_its_paragraph_and_section() {
    let parsed = govgraph_profile::parse(&govgraph_tests::profile_text());
    let graph = default_graph();
    let mentions = govgraph_api::Mentions::build(&graph, &parsed.document);
    let mut checked = 0;
    let mut elsewhere = Vec::new();
    for r in govgraph_graph::RelationIx::all(graph.relation_count()) {
        for evidence in graph.relation(r).evidence {
            let found = mentions
                .context(evidence.quote, Some(evidence.section))
                .unwrap_or_else(|| panic!("no paragraph holds {:?}", evidence.quote));
            let marked: String = found
                .paragraph
                .chars()
                .skip(found.start)
                .take(found.end - found.start)
                .collect();
            assert_eq!(
                marked,
                govgraph_model::text::normalize_markdown(evidence.quote)
            );
            if found.section != evidence.section {
                elsewhere.push(format!("{} ({})", evidence.section, found.section));
            }
            checked += 1;
        }
    }
    assert!(checked > 400, "{checked} quotes");
    assert!(
        elsewhere.len() * 20 < checked,
        "{} of {checked} quotes found outside the section they cite: {elsewhere:?}",
        elsewhere.len()
    );
    assert!(mentions.context("no profile says this", None).is_none());
}
