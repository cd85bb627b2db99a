//! Two complete profiles in one store: the default Azerbaijan data and the
//! curated invented Norvania profile (tests/fixtures/profiles/norvania), imported
//! together from one folder of profile folders, then asked the cross-profile
//! questions over GraphQL through the CLI.

use govgraph_tests::{arg, copy_data_dir, govgraph, govgraph_ok, root};
use serde_json::Value;
use std::path::Path;

/// A folder holding both profiles' folders, imported into a store; returns
/// the temporary folder (kept alive by the caller) and the store's path.
fn two_profile_store() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    copy_data_dir(&data.join("azerbaijan-2023"), |_| true);
    let norvania = root().join("tests/fixtures/profiles/norvania");
    let to = data.join("norvania-2024");
    std::fs::create_dir_all(to.join("source")).expect("folder");
    std::fs::copy(norvania.join("norvania.toml"), to.join("norvania.toml")).expect("copy");
    std::fs::copy(
        norvania.join("source/profile.md"),
        to.join("source/profile.md"),
    )
    .expect("copy");
    let store = dir.path().join("store");
    govgraph_ok(&["import", "--data", arg(&data), "--db", arg(&store)]);
    (dir, store)
}

fn query(store: &Path, query: &str) -> Value {
    serde_json::from_str(&govgraph_ok(&["query", query, "--db", arg(store)])).expect("JSON")
}

fn ids(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .expect("a list")
        .iter()
        .map(|e| e["id"].as_str().expect("id"))
        .collect()
}

#[test]
fn two_profiles_are_served_from_one_store() {
    let (_dir, store) = two_profile_store();
    let answer = query(
        &store,
        "{ profiles { id title year country { id name } relationCount } }",
    );
    let profiles = &answer["data"]["profiles"];
    assert_eq!(
        ids(profiles),
        ["azerbaijan-2023", "norvania-2024"],
        "{answer}"
    );
    assert_eq!(profiles[0]["country"]["id"], "country:AZE");
    assert_eq!(profiles[0]["year"], 2023);
    assert_eq!(profiles[1]["country"]["id"], "country:XNO");
    assert_eq!(profiles[1]["country"]["name"], "Norvania");
    assert_eq!(profiles[1]["title"], "REPUBLIC OF NORVANIA");
    assert!(profiles[1]["relationCount"]
        .as_i64()
        .is_some_and(|n| n >= 50));

    // Shared things have one id: Italy and the conventions of Table 1 link the profiles.
    let overlap = query(
        &store,
        r#"{ profileOverlap(a: "azerbaijan-2023", b: "norvania-2024") { partners { id } conventions { id } processes { id } } }"#,
    );
    let overlap = &overlap["data"]["profileOverlap"];
    let partners = ids(&overlap["partners"]);
    assert!(
        !partners.contains(&"country:AZE") && !partners.contains(&"country:XNO"),
        "{partners:?}"
    );
    assert!(partners.contains(&"country:RUS"), "{partners:?}");
    let conventions = ids(&overlap["conventions"]);
    assert!(
        conventions.contains(&"convention:convention-on-the-rights-of-the-child"),
        "{conventions:?}"
    );
    assert_eq!(
        conventions.len(),
        6,
        "the six conventions of Table 1: {conventions:?}"
    );
    let processes = ids(&overlap["processes"]);
    for process in [
        "process:almaty-process",
        "process:budapest-process",
        "process:prague-process",
    ] {
        assert!(processes.contains(&process), "{processes:?}");
    }

    // Which profiles' countries have agreements with the Russian Federation?
    let with = query(
        &store,
        r#"{ agreementsWith(country: "country:RUS") { profile { id } country { id } agreements { id } } }"#,
    );
    let with = with["data"]["agreementsWith"]
        .as_array()
        .expect("a list")
        .clone();
    let by: Vec<(&str, &str)> = with
        .iter()
        .map(|p| {
            (
                p["profile"]["id"].as_str().unwrap_or(""),
                p["country"]["id"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        by,
        [
            ("azerbaijan-2023", "country:AZE"),
            ("norvania-2024", "country:XNO")
        ]
    );
    assert!(with
        .iter()
        .all(|p| !p["agreements"].as_array().expect("agreements").is_empty()));
}

#[test]
fn evidence_names_its_profile_and_filters_keep_to_one_profile() {
    let (_dir, store) = two_profile_store();
    // Every PARTY_TO of Norvania's profile cites it; Azerbaijan's relations cite theirs.
    let answer = query(
        &store,
        r#"{ relations(types: [PARTY_TO], first: 500, profile: "norvania-2024") { totalCount edges { node { source { id } evidence { profile { id } } } } } }"#,
    );
    let relations = &answer["data"]["relations"];
    assert!(
        relations["totalCount"].as_i64().is_some_and(|n| n >= 26),
        "{answer}"
    );
    for edge in relations["edges"].as_array().expect("edges") {
        let profiles: Vec<&str> = edge["node"]["evidence"]
            .as_array()
            .expect("evidence")
            .iter()
            .filter_map(|e| e["profile"]["id"].as_str())
            .collect();
        assert!(profiles.contains(&"norvania-2024"), "{edge}");
    }
    // The partnership network of one profile has its own country at the centre, not the other's.
    let network = query(
        &store,
        r#"{ partnershipNetwork(profile: "norvania-2024") { nodes { entity { id } } } }"#,
    );
    let nodes: Vec<&str> = network["data"]["partnershipNetwork"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| n["entity"]["id"].as_str().expect("id"))
        .collect();
    assert!(
        nodes.contains(&"country:XNO") && !nodes.contains(&"country:AZE"),
        "{nodes:?}"
    );
    let all = query(
        &store,
        r#"{ partnershipNetwork { nodes { entity { id } } } }"#,
    );
    let all = all["data"]["partnershipNetwork"]["nodes"]
        .as_array()
        .expect("nodes")
        .len();
    assert!(all > nodes.len());
    // Listings keep to the profile too, and an unknown profile is NOT_FOUND.
    let entities = query(
        &store,
        r#"{ entities(kind: COUNTRY, first: 500, profile: "azerbaijan-2023") { edges { node { id } } } }"#,
    );
    let countries: Vec<&str> = entities["data"]["entities"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"]["id"].as_str().expect("id"))
        .collect();
    assert!(countries.contains(&"country:AZE") && !countries.contains(&"country:XNO"));
    let run = govgraph(&[
        "query",
        r#"{ entities(profile: "nowhere") { totalCount } }"#,
        "--db",
        arg(&store),
    ]);
    assert!(
        run.stdout.contains("NOT_FOUND") && run.stdout.contains("azerbaijan-2023, norvania-2024"),
        "{run:?}"
    );
}

/// The curated profile validates against its own source and covers it whole.
#[test]
fn the_curated_profile_validates_and_covers_its_source() {
    let folder = root().join("tests/fixtures/profiles/norvania");
    let text = govgraph_ok(&["validate", "--data", arg(&folder)]);
    assert!(
        text.contains("every quote verbatim in the profile"),
        "{text}"
    );
    let profile = folder.join("source/profile.md");
    let text = govgraph_ok(&[
        "coverage",
        "--profile",
        arg(&profile),
        "--data",
        arg(&folder),
    ]);
    assert!(
        text.trim_end()
            .ends_with("key sources 68/68, table 1 6/6, countries 15/15 matched"),
        "{text}"
    );
}

/// The other complete fixture's scaffold validates as written, quotes included.
#[test]
fn a_scaffold_validates_as_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("kestria");
    std::fs::create_dir_all(folder.join("source")).expect("folder");
    let profile = root().join("tests/fixtures/profiles/kestria/source/profile.md");
    std::fs::copy(&profile, folder.join("source/profile.md")).expect("copy");
    let out = folder.join("kestria.toml");
    govgraph_ok(&["profile", "scaffold", arg(&profile), "--out", arg(&out)]);
    let text = govgraph_ok(&["validate", "--data", arg(&folder)]);
    assert!(text.contains("every quote verbatim"), "{text}");
}
