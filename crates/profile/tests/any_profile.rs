//! Profiles of other countries, read as a new user would: two complete invented
//! profiles and a broken one (tests/fixtures/profiles/, with expected results
//! written while they were authored) against `parse`, `named_countries`,
//! `subject` and `scaffold`. One `check_*` helper per feature, each run on
//! every fixture.

use govgraph_profile::{named_countries, parse, scaffold, subject, Parsed};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

const COMPLETE: [&str; 2] = ["norvania", "kestria"];

fn fixture_dir(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/profiles")
        .join(name)
}

fn load(name: &str) -> (Parsed, Value) {
    let dir = fixture_dir(name);
    let text = std::fs::read_to_string(dir.join("source/profile.md")).expect("the fixture");
    let expected = std::fs::read_to_string(dir.join("expected.json")).expect("its expectations");
    (parse(&text), serde_json::from_str(&expected).expect("JSON"))
}

/// Typographic apostrophes as straight ones, for comparing names.
fn plain(text: &str) -> String {
    text.replace(['\u{2019}', '\u{2018}'], "'")
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .expect("a list")
        .iter()
        .map(|v| v.as_str().expect("a string").to_owned())
        .collect()
}

#[test]
fn sections_in_order() {
    for name in COMPLETE {
        let (parsed, expected) = load(name);
        let labels: Vec<String> = parsed
            .document
            .sections
            .iter()
            .map(|s| s.label.clone())
            .collect();
        assert_eq!(labels, strings(&expected["sections"]), "{name}");
    }
}

#[test]
fn the_subject_is_the_title_country() {
    for name in COMPLETE {
        let (parsed, expected) = load(name);
        let subject = subject(&parsed.document).expect("a title line");
        assert_eq!(
            subject.country,
            expected["country"].as_str().expect("country"),
            "{name}"
        );
        assert_eq!(
            subject.year.map(i64::from),
            expected["year"].as_i64(),
            "{name}"
        );
        assert!(
            govgraph_model::is_user_assigned_code(&subject.iso3),
            "{name}: {}",
            subject.iso3
        );
    }
}

#[test]
fn table1_rows() {
    for name in COMPLETE {
        let (parsed, expected) = load(name);
        let table = parsed.document.table1.as_ref().expect("Table 1");
        let got: Vec<(String, bool, Option<i64>)> = table
            .rows
            .iter()
            .map(|r| (plain(&r.name), r.ratified, r.year.map(i64::from)))
            .collect();
        let want: Vec<(String, bool, Option<i64>)> = expected["table1"]
            .as_array()
            .expect("rows")
            .iter()
            .map(|r| {
                (
                    plain(r["convention"].as_str().expect("name")),
                    r["ratified"].as_bool().expect("ratified"),
                    r["year"].as_i64(),
                )
            })
            .collect();
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn key_sources_by_issuer() {
    for name in COMPLETE {
        let (parsed, expected) = load(name);
        let mut got: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for entry in &parsed.document.key_sources {
            let raw = entry.raw.trim();
            let raw = raw.strip_prefix("- ").unwrap_or(raw);
            got.entry(entry.issuer.clone().unwrap_or_default())
                .or_default()
                .push(raw.split_whitespace().collect::<Vec<_>>().join(" "));
        }
        let want: BTreeMap<String, Vec<String>> = expected["key_sources"]
            .as_object()
            .expect("issuers")
            .iter()
            .map(|(issuer, entries)| {
                let entries = strings(entries)
                    .iter()
                    .map(|e| e.split_whitespace().collect::<Vec<_>>().join(" "))
                    .collect();
                (issuer.clone(), entries)
            })
            .collect();
        assert_eq!(
            got.keys().collect::<Vec<_>>(),
            want.keys().collect::<Vec<_>>(),
            "{name}: issuers"
        );
        for (issuer, entries) in &want {
            assert_eq!(&got[issuer], entries, "{name}: entries under {issuer}");
        }
    }
}

#[test]
fn countries_named() {
    for name in COMPLETE {
        let (parsed, expected) = load(name);
        let got: BTreeSet<&str> = named_countries(&parsed.document)
            .iter()
            .map(|c| c.iso3)
            .collect();
        let want: BTreeSet<&str> = expected["countries_detail"]
            .as_array()
            .expect("countries")
            .iter()
            .map(|c| c["iso3"].as_str().expect("iso3"))
            .collect();
        assert_eq!(got, want, "{name}");
    }
}

/// Every bilateral agreement has its partner COUNTRY and the profile's own
/// country as parties, and nothing else.
#[test]
fn scaffold_gives_every_agreement_its_partner_country_and_the_own_country() {
    for name in COMPLETE {
        let (parsed, expected) = load(name);
        let own = format!(
            "country:{}",
            subject(&parsed.document).expect("subject").iso3
        );
        let toml: toml::Table = scaffold(&parsed.document)
            .parse()
            .expect("scaffold writes TOML");
        let entities = toml["entity"].as_array().expect("entities");
        let relations = toml["relation"].as_array().expect("relations");
        for agreement in expected["bilateral_agreements"]
            .as_array()
            .expect("agreements")
        {
            let title = plain(agreement["title"].as_str().expect("title"));
            let entity = entities
                .iter()
                .find(|e| {
                    e["kind"].as_str() == Some("AGREEMENT")
                        && plain(e["name"].as_str().unwrap_or("")) == title
                })
                .unwrap_or_else(|| panic!("{name}: no AGREEMENT named {title}"));
            let id = entity["id"].as_str().expect("id");
            let parties: BTreeSet<&str> = relations
                .iter()
                .filter(|r| {
                    r["type"].as_str() == Some("PARTY_TO") && r["target"].as_str() == Some(id)
                })
                .filter_map(|r| r["source"].as_str())
                .collect();
            let partner = format!(
                "country:{}",
                agreement["partner_iso3"].as_str().expect("iso3")
            );
            let want: BTreeSet<&str> = [partner.as_str(), own.as_str()].into();
            assert_eq!(parties, want, "{name}: parties of {title}");
        }
        // No government, ministry or state ends up as an international organization.
        for entity in entities
            .iter()
            .filter(|e| e["kind"].as_str() == Some("INTERNATIONAL_ORGANIZATION"))
        {
            let entity_name = entity["name"].as_str().unwrap_or("");
            assert!(
                govgraph_profile::country_code(entity_name).is_none()
                    && !entity_name.starts_with("Government"),
                "{name}: {entity_name} is not an international organization"
            );
        }
        // Processes are PROCESS entities.
        for process in expected["processes"].as_array().expect("processes") {
            let canonical = process["name"].as_str().expect("name");
            if let Some(entity) = entities
                .iter()
                .find(|e| e["name"].as_str() == Some(canonical))
            {
                assert_eq!(
                    entity["kind"].as_str(),
                    Some("PROCESS"),
                    "{name}: {canonical}"
                );
            }
        }
    }
}

/// The broken profile's defects, each at its line, and nothing else.
#[test]
fn broken_profile_diagnostics() {
    let dir = fixture_dir("broken");
    let text = std::fs::read_to_string(dir.join("source/profile.md")).expect("the fixture");
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("expected-diagnostics.json")).expect("expectations"),
    )
    .expect("JSON");
    let parsed = parse(&text);
    let phrase = |kind: &str| match kind {
        "glued-footnote-marker" => "footnote marker",
        "unexpected-heading-level" => "heading level",
        "missing-domain" => "domain 3 is missing",
        "entry-before-issuer" => "Key Sources entry comes before any issuer heading",
        "truncated-entry" => "Key Sources entry is cut off",
        "truncated-file" => "the file ends in the middle of a Key Sources entry",
        other => panic!("an unknown kind {other}"),
    };
    let mut wanted = Vec::new();
    for defect in expected.as_array().expect("defects") {
        let kind = defect["kind"].as_str().expect("kind");
        let lines: Vec<usize> = match defect["lines"].as_array() {
            // Entries before an issuer: one diagnostic per entry.
            Some(lines) if kind == "entry-before-issuer" => lines
                .iter()
                .filter_map(Value::as_u64)
                .map(|l| l as usize)
                .collect(),
            _ => vec![defect["line"].as_u64().expect("line") as usize],
        };
        for line in lines {
            wanted.push((line, phrase(kind)));
        }
    }
    let got: Vec<(usize, &str)> = parsed
        .diagnostics
        .iter()
        .map(|d| (d.line, d.message.as_str()))
        .collect();
    for (line, phrase) in &wanted {
        assert!(
            got.iter().any(|(l, m)| l == line && m.contains(phrase)),
            "no `{phrase}` at line {line}: {got:#?}"
        );
    }
    assert_eq!(
        got.len(),
        wanted.len(),
        "only the expected diagnostics: {got:#?}"
    );
}
