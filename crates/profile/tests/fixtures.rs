//! Snapshot tests of small invented profiles: odd spacing, a pipe table, list-item
//! issuers, malformed Key Sources lines, a missing Table 1, CRLF line endings.

use govgraph_profile::{mentions, read_file, Parsed, Severity};

fn fixture(name: &str) -> Parsed {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    read_file(&path).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn veloria_snapshot() {
    insta::assert_debug_snapshot!(fixture("veloria.md"));
}

#[test]
fn tallmark_snapshot() {
    insta::assert_debug_snapshot!(fixture("tallmark.md"));
}

/// The facts the snapshots hold that matter most, stated once more so that a careless
/// snapshot update cannot hide a regression.
#[test]
fn veloria_facts() {
    let parsed = fixture("veloria.md");
    let doc = &parsed.document;
    let labels: Vec<&str> = doc.sections.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Front matter",
            "Introduction",
            "Summary",
            "Context",
            "1",
            "1.1",
            "1.2",
            "2.1",
            "After the MGI assessment",
            "Annex",
            "Key sources",
        ]
    );
    let table = doc.table1.as_ref().expect("Table 1");
    let rows: Vec<(bool, Option<i32>)> = table.rows.iter().map(|r| (r.ratified, r.year)).collect();
    assert_eq!(
        rows,
        [(true, Some(1970)), (false, None), (true, Some(1990))]
    );
    assert_eq!(doc.key_sources.len(), 9);
    let malformed = doc
        .key_sources
        .iter()
        .find(|e| e.title == "Law on Harbours")
        .expect("malformed entry kept");
    assert_eq!(malformed.year, None);
    let memo = doc
        .key_sources
        .iter()
        .find(|e| e.year == Some(2016))
        .expect("2016 entry");
    assert_eq!(memo.issuer.as_deref(), Some("Office of Arrivals (OA)"));
    assert_eq!(
        memo.parties,
        ["Office of Arrivals of Veloria", "Border Agency of Brenn"]
    );
    let messages: Vec<(usize, Severity)> = parsed
        .diagnostics
        .iter()
        .map(|d| (d.line, d.severity))
        .collect();
    assert_eq!(messages, [(38, Severity::Warning), (73, Severity::Warning)]);
    assert!(parsed.require_key_sources().is_ok());
}

#[test]
fn tallmark_facts() {
    let parsed = fixture("tallmark.md");
    let doc = &parsed.document;
    assert!(doc.table1.is_none());
    assert!(parsed
        .diagnostics
        .iter()
        .any(|d| d.line == 0 && d.message.contains("no Table 1")));
    assert!(doc.section("6.3").is_some());
    let years: Vec<(Option<i32>, Option<char>, bool)> = doc
        .key_sources
        .iter()
        .map(|e| (e.year, e.suffix, e.undated))
        .collect();
    assert_eq!(
        years,
        [
            (Some(2011), None, false),
            (Some(2019), Some('b'), false),
            (Some(2020), None, false),
            (None, None, false),
            (None, Some('a'), true),
            (Some(2022), None, false),
        ]
    );
    assert_eq!(
        doc.key_sources[5].issuer.as_deref(),
        Some("Ministry of Coasts")
    );
    assert!(!doc.key_sources[5].available_online);
    let found = mentions(doc, &["Tallmark Labour Board"]);
    let places: Vec<&str> = found.iter().map(|m| m.section).collect();
    assert_eq!(places, ["Summary", "1.2", "Footnote 1"]);
    assert!(!parsed.has_errors());
}

/// Every prefix of a profile is messy input of its own; none may panic.
#[test]
fn every_prefix_parses() {
    let text = std::fs::read_to_string(format!(
        "{}/tests/fixtures/veloria.md",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture");
    for (at, _) in text.char_indices() {
        let _ = govgraph_profile::parse(&text[..at]);
    }
}
