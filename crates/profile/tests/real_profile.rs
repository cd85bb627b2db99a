//! Facts of the real MGI profile kept as source data beside the dataset (`data/azerbaijan-2023/source/profile.md`), each
//! checked by reading the file by hand.

use govgraph_model::EntityKind;
use govgraph_profile::{
    mentions, read_file, MentionIndex, Parsed, SectionKind, Severity, SourceEntry,
};
use std::sync::OnceLock;

/// The profile kept as the default dataset's source document.
const PROFILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../data/azerbaijan-2023/source/profile.md"
);

fn profile() -> &'static Parsed {
    static PARSED: OnceLock<Parsed> = OnceLock::new();
    PARSED.get_or_init(|| read_file(PROFILE).unwrap_or_else(|e| panic!("{e}")))
}

fn source() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        std::fs::read_to_string(PROFILE).unwrap_or_else(|e| panic!("{PROFILE}: {e}"))
    })
}

/// The text of the source's line `line` (1-based), so that a test states what
/// a reported line holds rather than which number it has.
fn line_text(line: usize) -> &'static str {
    source()
        .lines()
        .nth(line.checked_sub(1).expect("lines are 1-based"))
        .unwrap_or_else(|| panic!("the profile has no line {line}"))
}

/// The 1-based number of the one line of the source holding `needle`.
fn line_of(needle: &str) -> usize {
    let found: Vec<usize> = source()
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .map(|(i, _)| i + 1)
        .collect();
    match found[..] {
        [line] => line,
        _ => panic!("`{needle}` is on lines {found:?}, not on exactly one"),
    }
}

/// The Key Sources entry written on the line that holds `needle`.
fn entry(needle: &str) -> &'static SourceEntry {
    let line = line_of(needle);
    profile()
        .document
        .key_sources
        .iter()
        .find(|e| e.line == line)
        .unwrap_or_else(|| panic!("no entry read from the line of `{needle}`"))
}

#[test]
fn only_the_two_empty_list_items_are_diagnosed() {
    let parsed = profile();
    let got: Vec<&str> = parsed
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(got, ["empty list item in Key Sources; skipped"; 2]);
    assert!(parsed
        .diagnostics
        .iter()
        .all(|d| d.severity == Severity::Warning));
    let key_sources = line_of("# KEY SOURCES");
    for diagnostic in &parsed.diagnostics {
        assert!(diagnostic.line > key_sources, "{diagnostic}");
        assert_eq!(line_text(diagnostic.line).trim(), "-", "{diagnostic}");
    }
    assert!(parsed.require_key_sources().is_ok());
}

#[test]
fn sections_are_found() {
    let doc = &profile().document;
    let mut expected: Vec<String> = ["Introduction", "Summary", "Context"]
        .map(String::from)
        .to_vec();
    for (dimension, count) in [(1, 3), (2, 2), (3, 2), (4, 2), (5, 2), (6, 2)] {
        expected.extend((1..=count).map(|n| format!("{dimension}.{n}")));
    }
    expected.extend(["After the MGI assessment", "Annex", "Key sources"].map(String::from));
    let found: Vec<String> = doc
        .sections
        .iter()
        .filter(|s| s.kind != SectionKind::Unlisted)
        .map(|s| s.label.clone())
        .collect();
    assert_eq!(found, expected);

    fn check(label: &str, heading: &str, first_words: &str) {
        let section = profile()
            .document
            .section(label)
            .unwrap_or_else(|| panic!("no section {label}"));
        assert!(
            line_text(section.line).contains(heading),
            "{label}: line {} is `{}`",
            section.line,
            line_text(section.line)
        );
        let first = section.paragraphs.first().map_or("", |p| p.text.as_str());
        assert!(first.starts_with(first_words), "{label}: {first}");
    }
    check(
        "Introduction",
        "# INTRODUCTION",
        "\" Migration has been part",
    );
    check(
        "Context",
        "CONTEXT",
        "Immigration to Azerbaijan has decreased",
    );
    check(
        "1.1",
        "### 1.1. International conventions ratified",
        "Table 1. Signature and ratification",
    );
    check(
        "2.2",
        "## 2.2. Areas with potential",
        "There is no interministerial coordination mechanism",
    );
    check(
        "6.2",
        "## 6.2. Areas with potential",
        "The establishment of a policy or strategy",
    );
    check("Annex", "ANNEX", "1");
    check(
        "Key sources",
        "# KEY SOURCES",
        "All hyperlinks were working",
    );
    // Footnote definitions are not paragraphs of their section.
    let section = doc.section("1.3").expect("1.3");
    assert!(section
        .paragraphs
        .iter()
        .all(|p| !p.raw.starts_with("<sup>")));
}

#[test]
fn footnotes_are_read() {
    let doc = &profile().document;
    assert_eq!(doc.footnotes.len(), 54);
    assert_eq!(doc.footnote_refs.len(), 54);
    let twenty = doc.footnote(20).expect("footnote 20");
    assert_eq!(twenty.label, "Footnote 20");
    assert!(line_text(twenty.line).starts_with("<sup>20</sup> ASAN service centres"));
    assert_eq!(twenty.section, "1.3");
    assert_eq!(
        twenty.text,
        "ASAN service centres were established under the State Agency for Public Service and Social Innovations under the President of Azerbaijan, according to Decree No. 685 of the President of Azerbaijan, dated 13 July 2012."
    );
    let markers: Vec<(usize, &str)> = doc
        .footnote_refs
        .iter()
        .filter(|r| r.number == 20)
        .map(|r| (r.line, r.section.as_str()))
        .collect();
    assert_eq!(markers.len(), 1, "{markers:?}");
    let (line, section) = markers[0];
    assert_eq!(section, "1.3");
    assert!(
        line_text(line).contains("<sup>20</sup>"),
        "{}",
        line_text(line)
    );
    assert!(line < twenty.line, "the marker comes before its definition");
    // "<sup>17,18</sup>" is two markers on one line.
    let combined: Vec<u32> = doc
        .footnote_refs
        .iter()
        .filter(|r| r.line == line_of("<sup>17,18</sup>"))
        .map(|r| r.number)
        .collect();
    assert_eq!(combined, [17, 18]);
}

#[test]
fn table_1_is_read() {
    let table = profile().document.table1.as_ref().expect("Table 1");
    assert!(line_text(table.line).contains("**Table 1.** Signature and ratification"));
    let rows: Vec<(&str, bool, Option<i32>)> = table
        .rows
        .iter()
        .map(|r| (r.status.as_str(), r.ratified, r.year))
        .collect();
    assert_eq!(
        rows,
        [
            ("No", false, None),
            ("Yes (1993)", true, Some(1993)),
            ("Yes (1996)", true, Some(1996)),
            ("No", false, None),
            ("Yes (1992)", true, Some(1992)),
            ("Yes (1999)", true, Some(1999)),
        ]
    );
    assert_eq!(
        table.rows[4].name,
        "Convention on the Rights of the Child (CRC), 1989"
    );
}

#[test]
fn key_sources_are_counted() {
    let entries = &profile().document.key_sources;
    assert_eq!(entries.len(), 88);
    assert!(entries.iter().all(|e| e.year.is_some() || e.undated));
    assert_eq!(entries.iter().filter(|e| e.undated).count(), 6);
    assert_eq!(entries.iter().filter(|e| !e.available_online).count(), 8);
    let count = |kind: EntityKind| entries.iter().filter(|e| e.kind == kind).count();
    assert_eq!(
        [
            EntityKind::Law,
            EntityKind::Agreement,
            EntityKind::Policy,
            EntityKind::Programme,
            EntityKind::Publication,
            EntityKind::Convention
        ]
        .map(count),
        [41, 29, 7, 3, 7, 1]
    );
    let per_issuer = |issuer: &str| {
        entries
            .iter()
            .filter(|e| e.issuer.as_deref() == Some(issuer))
            .count()
    };
    assert_eq!(per_issuer("Government of Azerbaijan"), 45);
    assert_eq!(per_issuer("President of Azerbaijan"), 24);
    // Issuers written as list items rather than headings.
    for issuer in [
        "Government of Bulgaria",
        "Government of Serbia",
        "Ministry of Health",
        "Prague Process",
    ] {
        assert_eq!(per_issuer(issuer), 1, "{issuer}");
    }
    assert_eq!(per_issuer("Ministry of Emergency Situations (MES)"), 2);
}

#[test]
fn an_agreement_approved_by_law() {
    let e = entry("2009a [Agreement on cooperation between the Government of the Republic of Azerbaijan and the Government of Romania");
    assert_eq!((e.year, e.suffix), (Some(2009), Some('a')));
    assert_eq!(e.issuer.as_deref(), Some("Government of Azerbaijan"));
    assert_eq!(e.kind, EntityKind::Agreement);
    assert!(
        e.title
            .starts_with("Agreement on cooperation between the Government"),
        "{}",
        e.title
    );
    let law = e.approved_by.as_ref().expect("approving law");
    assert_eq!(law.kind, "Law");
    assert_eq!(law.number.as_deref(), Some("916-IIIQ"));
    assert_eq!(law.date.as_deref(), Some("26 November 2009"));
    assert_eq!(law.year, Some(2009));
    assert_eq!(law.text, "Law No. 916-IIIQ of 26 November 2009");
    assert_eq!(
        e.parties,
        [
            "Government of the Republic of Azerbaijan",
            "Government of Romania"
        ]
    );
    let relations: Vec<(&str, &str)> = e
        .relations
        .iter()
        .map(|r| (r.ty.as_str(), r.counterpart.as_str()))
        .collect();
    assert_eq!(
        relations,
        [
            ("APPROVED_BY", "Law No. 916-IIIQ of 26 November 2009"),
            ("PARTY_TO", "Government of the Republic of Azerbaijan"),
            ("PARTY_TO", "Government of Romania"),
        ]
    );
    assert_eq!(
        e.relations[0].quote,
        "approved by Law No. 916-IIIQ of 26 November 2009"
    );
}

#[test]
fn other_entries() {
    let rules = entry("2016 [Internal disciplinary rules of detention centres");
    assert_eq!(
        rules.title,
        "Internal disciplinary rules of detention centres for irregular migrants"
    );
    assert_eq!(rules.kind, EntityKind::Law);
    let decision = rules.approved_by.as_ref().expect("decision");
    assert_eq!(
        (decision.kind.as_str(), decision.number.as_deref()),
        ("Decision", Some("317"))
    );
    assert_eq!(decision.authority.as_deref(), Some("Cabinet of Ministers"));
    assert_eq!(decision.date.as_deref(), Some("24 August 2016"));

    let sms = entry("2007 Establishment of the State Migration Service");
    assert_eq!(sms.issuer.as_deref(), Some("President of Azerbaijan"));
    assert_eq!(
        sms.title,
        "Establishment of the State Migration Service of the Republic of Azerbaijan"
    );
    let decree = sms.designation.as_ref().expect("own decree");
    assert_eq!(decree.text, "Decree No. 560 of 19 March 2007");
    assert!(sms.approved_by.is_none());

    let charter = entry("2022a [Consular Charter");
    assert_eq!(
        (charter.year, charter.suffix, charter.amended.as_slice()),
        (Some(2022), Some('a'), &[2022][..])
    );
    assert_eq!(
        charter.approved_by.as_ref().and_then(|l| l.year),
        Some(1994)
    );

    let diplomatic = entry("2001b [Law on Diplomatic Service");
    assert_eq!(
        (diplomatic.title.as_str(), diplomatic.amended.as_slice()),
        ("Law on Diplomatic Service", &[2023][..])
    );

    let uzbekistan = entry("1996c [Agreement on cooperation in the field of pension provision");
    assert!(!uzbekistan.available_online);
    assert_eq!(
        (uzbekistan.year, uzbekistan.suffix),
        (Some(1996), Some('c'))
    );

    let bulgaria = entry(
        "2019 [Agreement on pension provision between the Government of the Republic of Bulgaria",
    );
    assert_eq!(bulgaria.issuer.as_deref(), Some("Government of Bulgaria"));
    assert_eq!(
        bulgaria.parties,
        [
            "Government of the Republic of Bulgaria",
            "Government of the Republic of Azerbaijan"
        ]
    );

    let yearbook = entry("2023 [Statistical Yearbook of Azerbaijan.");
    assert_eq!(
        (yearbook.title.as_str(), yearbook.kind),
        (
            "Statistical Yearbook of Azerbaijan",
            EntityKind::Publication
        )
    );

    let chronicle = entry("n.d.a [Daily chronicle.");
    assert_eq!(
        (chronicle.year, chronicle.suffix, chronicle.undated),
        (None, Some('a'), true)
    );

    let roadmap = entry("2016 Strategic Roadmap for Development of Financial Services");
    assert_eq!(roadmap.kind, EntityKind::Policy);
    assert_eq!(
        roadmap.approved_by.as_ref().map(|d| d.text.as_str()),
        Some("Decree of 6 December 2016")
    );

    let pandemic = entry("2020 [Migration management in Azerbaijan during the pandemic");
    assert_eq!(
        pandemic.title,
        "Migration management in Azerbaijan during the pandemic"
    );
}

#[test]
fn state_migration_service_is_mentioned_across_sections() {
    let doc = &profile().document;
    let found = mentions(doc, &["State Migration Service"]);
    let mut sections: Vec<&str> = found.iter().map(|m| m.section).collect();
    sections.dedup();
    for expected in [
        "Summary",
        "1.3",
        "2.1",
        "3.1",
        "4.1",
        "6.1",
        "Footnote 7",
        "Footnote 28",
        "Key sources",
    ] {
        assert!(
            sections.contains(&expected),
            "{expected} not in {sections:?}"
        );
    }
    for mention in &found {
        assert!(
            mention
                .sentence
                .to_lowercase()
                .contains("state migration service"),
            "{}",
            mention.sentence
        );
    }
    let summary = found
        .iter()
        .find(|m| m.section == "Summary")
        .expect("summary mention");
    assert!(summary.sentence.starts_with(
        "The State Migration Service (SMS) of Azerbaijan is a central executive power body"
    ));
    assert!(
        line_text(summary.line).starts_with("The State Migration Service (SMS) of Azerbaijan is")
    );

    // Case does not matter.
    assert_eq!(
        mentions(doc, &["STATE migration service"]).len(),
        found.len()
    );
    // A name never matches inside a longer word.
    assert!(mentions(doc, &["State Migration Serv"]).is_empty());
    assert!(mentions(doc, &["ASAN service centre"]).is_empty());
    assert!(!mentions(doc, &["ASAN service centres"]).is_empty());
    // Diacritics do not matter either.
    assert_eq!(
        mentions(doc, &["Turkiye"]).len(),
        mentions(doc, &["Türkiye"]).len()
    );
    assert!(!mentions(doc, &["Turkiye"]).is_empty());
    // Table 1 rows are searchable under their evidence label.
    assert!(mentions(doc, &["Refugee Convention"])
        .iter()
        .any(|m| m.section == "Table 1"));
}

#[test]
fn sentences_do_not_break_at_abbreviations() {
    let doc = &profile().document;
    let found = mentions(doc, &["Decree No. 560"]);
    assert!(found.iter().any(|m| m.sentence == "This is according to Part 1 of Decree No. 560 of the President of Azerbaijan, dated 19 March 2007."));
}

#[test]
fn index_serves_many_names() {
    let doc = &profile().document;
    let index = MentionIndex::new(doc);
    assert!(index.len() > 500, "{}", index.len());
    let names: Vec<String> = doc.key_sources.iter().map(|e| e.title.clone()).collect();
    let mut names: Vec<&str> = names.iter().map(String::as_str).collect();
    names.extend(std::iter::repeat_n("Ministry of Foreign Affairs", 300));
    let found = index.find(&names);
    // Each title is at least in its own Key Sources entry.
    for (i, _) in doc.key_sources.iter().enumerate() {
        assert!(found.iter().any(|m| m.name == i), "{}", names[i]);
    }
}

#[test]
fn every_section_the_data_cites_is_one_the_profile_has() {
    use govgraph_model::checks::check_section;
    let sections = profile().document.citable_sections();
    assert_eq!(sections.len(), 19 + 1 + 54, "sections, Table 1, footnotes");
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/azerbaijan-2023");
    let mut cited = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(dir).expect("the data folder") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("a data file");
        let value: toml::Table = toml::from_str(&text).expect("valid TOML");
        let relations = value.get("relation").and_then(|r| r.as_array());
        for relation in relations.into_iter().flatten() {
            let evidence = relation.get("evidence").and_then(|e| e.as_array());
            for item in evidence.into_iter().flatten() {
                let section = item.get("section").and_then(|s| s.as_str());
                cited.insert(section.expect("a section").to_owned());
            }
        }
    }
    // Each kind of label is cited: numbered, named, the table and footnotes.
    for label in [
        "1.2",
        "6.2",
        "Summary",
        "Key sources",
        "Table 1",
        "Footnote 54",
    ] {
        assert!(cited.contains(label), "the data cites {label}");
    }
    for label in &cited {
        assert_eq!(check_section(label, Some(&sections)), Ok(()), "{label}");
    }
    for label in ["9.9", "6.3", "Footnote 9999", "Footnote 55"] {
        assert!(
            check_section(label, Some(&sections)).is_err(),
            "{label} is not in the profile"
        );
    }
}
