//! Input that is not a usable profile: clear errors or diagnostics, never a panic.

use govgraph_profile::{parse, read_file, ProfileError, Severity};
use std::path::PathBuf;

fn scratch(name: &str, bytes: &[u8]) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("govgraph-profile-{name}"));
    std::fs::write(&path, bytes).expect("write scratch file");
    path
}

#[test]
fn missing_file_is_named() {
    let err = read_file("/nonexistent/profile.md").unwrap_err();
    assert!(matches!(err, ProfileError::NotFound { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "profile file `/nonexistent/profile.md` does not exist; expected an MGI profile in markdown"
    );
}

#[test]
fn directory_is_an_io_error() {
    let err = read_file(env!("CARGO_MANIFEST_DIR")).unwrap_err();
    assert!(matches!(err, ProfileError::Io { .. }), "{err:?}");
    assert!(
        err.to_string().contains(env!("CARGO_MANIFEST_DIR")),
        "{err}"
    );
}

#[test]
fn non_utf8_is_rejected_with_offset() {
    let path = scratch("latin1.md", b"# KEY SOURCES\n\n- 2001 Caf\xe9 law.\n");
    let err = read_file(&path).unwrap_err();
    assert!(
        matches!(err, ProfileError::NotUtf8 { offset: 25, .. }),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(
        message.contains(path.to_str().expect("utf-8 path")),
        "{message}"
    );
    assert!(
        message.contains("not UTF-8") && message.contains("offset 25"),
        "{message}"
    );
}

#[test]
fn empty_files_are_rejected() {
    for (name, bytes) in [
        ("empty.md", &b""[..]),
        ("blank.md", &b" \n\t\r\n"[..]),
        ("bom.md", &b"\xef\xbb\xbf\n"[..]),
    ] {
        let path = scratch(name, bytes);
        let err = read_file(&path).unwrap_err();
        assert!(matches!(err, ProfileError::Empty { .. }), "{name}: {err:?}");
        assert!(err.to_string().contains("is empty"), "{err}");
    }
}

#[test]
fn missing_key_sources_is_an_error() {
    let parsed = parse("# INTRODUCTION\n\nSome text.\n\n# SUMMARY\n\nMore text.\n");
    assert!(parsed.has_errors());
    let error = parsed
        .diagnostics
        .iter()
        .find(|d| d.severity == Severity::Error)
        .expect("an error diagnostic");
    assert_eq!(
        error.to_string(),
        "error: no KEY SOURCES section: expected a heading or a line `KEY SOURCES`"
    );
    let err = parsed.require_key_sources().unwrap_err();
    assert_eq!(
        err.to_string(),
        "the profile has no KEY SOURCES section (sections found: Introduction, Summary); expected a heading or a line `KEY SOURCES`"
    );
}

#[test]
fn odd_input_never_panics() {
    let inputs = [
        "",
        "<sup>",
        "<sup></sup>",
        "<sup>99999999999999999999</sup> huge",
        "text <sup>1,,x</sup> and <sup>2",
        "#",
        "# ",
        "####### seven",
        "|",
        "| |",
        "\t",
        "1.",
        "Table 1.",
        "**Table 1.**\n\nA\tB\tC\nD\t\tYes (19",
        "# KEY SOURCES\n\n- (\n- )\n- n.d\n- n.d.zz x\n- 2001\n- 2001a\n- ü\n-\n",
        "KEY SOURCES\n- 2001 [unclosed link\n- 2002 approved by\n- 2003 between\n- 2004 between and\n- 2005 amended in\n- 2006 signed with\n- 2007 Decree No.\n- 2008 Law No. 5 of 31 Smarch 2001",
        "ü<sup>ü</sup>\u{0301}",
        "## 1.1.\n## 9.99. x\n## 0.1 y",
        "\u{FEFF}# SUMMARY",
        "- Issuer\n",
    ];
    for input in inputs {
        let parsed = parse(input);
        for diagnostic in &parsed.diagnostics {
            assert!(!diagnostic.message.is_empty(), "{input:?}");
        }
        let _ = govgraph_profile::mentions(&parsed.document, &["x", "ü", "Issuer"]);
    }
}

#[test]
fn malformed_entries_are_reported_and_kept() {
    let parsed = parse("# KEY SOURCES\n\n## Someone\n\n- 2001 [Law on Things.](#)\n- [Law on Other Things.](#)\n- \n- 20O1 Typo Law.\n");
    let titles: Vec<(&str, Option<i32>)> = parsed
        .document
        .key_sources
        .iter()
        .map(|e| (e.title.as_str(), e.year))
        .collect();
    assert_eq!(
        titles,
        [
            ("Law on Things", Some(2001)),
            ("Law on Other Things", None),
            ("20O1 Typo Law", None)
        ]
    );
    let lines: Vec<usize> = parsed.diagnostics.iter().map(|d| d.line).collect();
    assert_eq!(lines, [0, 6, 7, 8], "{:#?}", parsed.diagnostics);
    assert!(
        parsed.diagnostics[1]
            .message
            .contains("`[Law on Other Things.](#)`"),
        "{}",
        parsed.diagnostics[1]
    );
}

#[test]
fn key_sources_without_entries_and_repeated_sections_are_reported() {
    let parsed = parse(
        "# SUMMARY\n\nText.\n\n# SUMMARY\n\nAgain.\n\n# KEY SOURCES\n\nNothing listed here.\n",
    );
    let got: Vec<String> = parsed.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(got, [
        "warning: no Table 1: expected a caption starting `**Table 1.**` followed by a table",
        "line 5: warning: section `Summary` appears a second time (heading `SUMMARY`); both are kept",
        "line 9: warning: the KEY SOURCES section lists no entries (expected items such as `- 2019 Title.`)",
    ]);
    assert!(parsed.require_key_sources().is_ok());
}
