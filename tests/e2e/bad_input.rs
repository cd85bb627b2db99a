//! Broken data files: each is rejected with the right file, line and message,
//! by the loader and by `govgraph import`, and the store is left as it was.

use govgraph_store::Store;
use govgraph_tests::{arg, govgraph, govgraph_bin, profile_text};
use std::path::Path;
use std::process::Command;

/// A valid file every case sits beside.
const BASE: &str = r#"
[[entity]]
id = "country:AZE"
kind = "COUNTRY"
name = "Azerbaijan"
attributes = { iso3 = "AZE" }

[[entity]]
id = "institution:state-migration-service"
kind = "INSTITUTION"
name = "State Migration Service"

[[entity]]
id = "law:migration-code"
kind = "LAW"
name = "Migration Code"

[[relation]]
type = "GOVERNED_BY"
source = "institution:state-migration-service"
target = "law:migration-code"
evidence = [{ section = "2.1", quote = "Migration Code" }]
"#;

/// A relation from the SMS to the code, with `body` spliced in.
fn relation(body: &str) -> String {
    format!("[[relation]]\nsource = \"institution:state-migration-service\"\n{body}\n")
}

/// The cases: name, the broken file's bytes, and a fragment of the expected message.
/// The offending line is the one marked `#!`, or line 1 when none is marked.
fn cases() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    let ev = "evidence = [{ section = \"2.1\", quote = \"Migration Code\" }]";
    let text = |s: String| s.into_bytes();
    vec![
        ("unknown entity key", text("[[entity]]\nid = \"law:x\"\nkind = \"LAW\"\nname = \"X\"\ncolour = \"red\" #!\n".into()), "unknown key `colour`"),
        ("unknown table", text("[[entities]] #!\nid = \"law:x\"\n".into()), "unknown key `entities`"),
        ("duplicate id", text("[[entity]]\nid = \"law:migration-code\" #!\nkind = \"LAW\"\nname = \"Code again\"\n".into()), "duplicate id `law:migration-code`"),
        ("dangling source", text(format!("[[relation]]\ntype = \"IMPLEMENTS\"\nsource = \"institution:nobody\" #!\ntarget = \"law:migration-code\"\n{ev}\n")), "no entity has the id `institution:nobody`"),
        ("dangling target", text(relation(&format!("type = \"IMPLEMENTS\"\ntarget = \"law:nothing\" #!\n{ev}"))), "no entity has the id `law:nothing`"),
        ("domain broken", text(format!("[[relation]]\ntype = \"RATIFIED\"\nsource = \"institution:state-migration-service\" #!\ntarget = \"law:migration-code\"\n{ev}\n")), "cannot start at a INSTITUTION"),
        ("range broken", text(format!("[[relation]]\ntype = \"RATIFIED\"\nsource = \"country:AZE\"\ntarget = \"law:migration-code\" #!\n{ev}\n")), "cannot end at a LAW"),
        ("empty evidence", text(relation("type = \"IMPLEMENTS\"\ntarget = \"law:migration-code\"\nevidence = [] #!")), "empty `evidence`"),
        ("missing evidence", text("[[relation]] #!\ntype = \"IMPLEMENTS\"\nsource = \"institution:state-migration-service\"\ntarget = \"law:migration-code\"\n".into()), "missing `evidence`"),
        ("year out of range", text("[[entity]]\nid = \"law:x\"\nkind = \"LAW\"\nname = \"X\"\nyear = 20099 #!\n".into()), "`20099` is not a year"),
        ("year as text", text("[[entity]]\nid = \"law:x\"\nkind = \"LAW\"\nname = \"X\"\nyear = \"2009\" #!\n".into()), "is not a year"),
        ("since after until", text(relation(&format!("type = \"IMPLEMENTS\"\ntarget = \"law:migration-code\"\nsince = 2010\nuntil = 2005 #!\n{ev}"))), "until 2005 is before since 2010"),
        ("unknown kind", text("[[entity]]\nid = \"law:x\"\nkind = \"AGENCY\" #!\nname = \"X\"\n".into()), "unknown EntityKind `AGENCY`"),
        ("unknown relation type", text(relation(&format!("type = \"RUNS\" #!\ntarget = \"law:migration-code\"\n{ev}"))), "unknown RelationType `RUNS`"),
        ("missing name", text("[[entity]] #!\nid = \"law:x\"\nkind = \"LAW\"\n".into()), "missing `name`"),
        ("id with spaces", text("[[entity]]\nid = \"law:Migration Code\" #!\nkind = \"LAW\"\nname = \"X\"\n".into()), "slug of lower-case letters"),
        ("id of another kind", text("[[entity]]\nid = \"institution:x\" #!\nkind = \"LAW\"\nname = \"X\"\n".into()), "should start with `law:`"),
        ("not an ISO code", text("[[entity]]\nid = \"country:BRZ\" #!\nkind = \"COUNTRY\"\nname = \"Nowhere\"\n".into()), "`BRZ` is not an ISO 3166-1 alpha-3"),
        ("iso3 disagrees", text("[[entity]]\nid = \"country:TUR\"\nkind = \"COUNTRY\"\nname = \"Türkiye\"\nattributes = { iso3 = \"TRK\" } #!\n".into()), "iso3 `TRK` does not match"),
        ("quote not verbatim", text(relation("type = \"IMPLEMENTS\"\ntarget = \"law:migration-code\"\nevidence = [{ section = \"2.1\", quote = \"The SMS implements everything perfectly.\" }] #!")), "not verbatim"),
        ("unknown section", text(relation("type = \"IMPLEMENTS\"\ntarget = \"law:migration-code\"\nevidence = [{ section = \"Chapter 9\", quote = \"Migration Code\" }] #!")), "unknown section `Chapter 9`"),
        ("unknown evidence key", text(relation("type = \"IMPLEMENTS\"\ntarget = \"law:migration-code\"\nevidence = [{ section = \"2.1\", quote = \"Migration Code\", page = \"3\" }] #!")), "unknown key `page`"),
        ("empty quote", text(relation("type = \"IMPLEMENTS\"\ntarget = \"law:migration-code\"\nevidence = [{ section = \"2.1\", quote = \"\" }] #!")), "`quote` is empty"),
        ("duplicate relation", text(format!("[[relation]] #!\ntype = \"GOVERNED_BY\"\nsource = \"institution:state-migration-service\"\ntarget = \"law:migration-code\"\n{ev}\n")), "duplicate relation"),
        ("aliases not a list", text("[[entity]]\nid = \"law:x\"\nkind = \"LAW\"\nname = \"X\"\naliases = \"XL\" #!\n".into()), "list of strings"),
        ("syntax error", text("[[entity]]\nid = #!\n".into()), "not valid TOML"),
        ("truncated file", text("[[entity]]\nid = \"law:x\"\nkind = \"LAW\"\nname = \"Migration Co #!".into()), "not valid TOML"),
        ("not UTF-8", b"[[entity]]\nid = \"law:x\"\nname = \"Caf\xe9\" #!\n".to_vec(), "not UTF-8"),
    ]
}

fn marked_line(bytes: &[u8]) -> usize {
    let text = String::from_utf8_lossy(bytes);
    text.lines()
        .position(|l| l.contains("#!"))
        .map_or(1, |i| i + 1)
}

fn write_case(dir: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(dir).expect("case dir");
    std::fs::write(dir.join("a-base.toml"), BASE).expect("base");
    std::fs::write(dir.join("bad.toml"), bytes).expect("bad");
}

#[test]
fn the_base_file_is_valid() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("a-base.toml"), BASE).expect("base");
    let files = govgraph_loader::read_dir(dir.path()).expect("read");
    let profile = govgraph_loader::Profile::new(&profile_text());
    govgraph_loader::load(&files, Some(&profile)).expect("the base file alone is valid");
}

#[test]
fn every_broken_file_is_located() {
    let profile = govgraph_loader::Profile::new(&profile_text());
    let cases = cases();
    assert!(cases.len() >= 20);
    for (name, bytes, fragment) in cases {
        let dir = tempfile::tempdir().expect("temp dir");
        write_case(dir.path(), &bytes);
        let files = govgraph_loader::read_dir(dir.path()).expect("read");
        let problems = govgraph_loader::load(&files, Some(&profile))
            .err()
            .unwrap_or_else(|| panic!("{name}: accepted"))
            .0;
        let line = marked_line(&bytes);
        let hit = problems.iter().find(|p| p.message.contains(fragment));
        let hit =
            hit.unwrap_or_else(|| panic!("{name}: no problem says `{fragment}`: {problems:#?}"));
        assert!(
            hit.file.ends_with("bad.toml"),
            "{name}: blamed {}",
            hit.file
        );
        assert_eq!(hit.line, line, "{name}: {hit}");
        assert!(hit.column >= 1);
    }
}

#[test]
fn import_of_a_broken_folder_leaves_the_store_unchanged() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("store");
    let good = dir.path().join("good");
    std::fs::create_dir_all(&good).expect("good dir");
    std::fs::write(good.join("a-base.toml"), BASE).expect("base");
    let status = Command::new(govgraph_bin())
        .args(["import", "--data"])
        .arg(&good)
        .arg("--db")
        .arg(&db)
        .output()
        .expect("run import");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let before = Store::open(&db).expect("open").dataset().expect("read");

    let profile = govgraph_tests::profile_path();
    for (name, bytes, fragment) in cases() {
        let case_dir = dir.path().join(name.replace(' ', "-"));
        write_case(&case_dir, &bytes);
        let output = Command::new(govgraph_bin())
            .args(["import", "--data"])
            .arg(&case_dir)
            .arg("--db")
            .arg(&db)
            .arg("--profile")
            .arg(&profile)
            .output()
            .expect("run import");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(3), "{name}: {stderr}");
        let located = format!("bad.toml:{}:", marked_line(&bytes));
        assert!(
            stderr.contains(&located) && stderr.contains(fragment),
            "{name}: expected `{located}` and `{fragment}` in:\n{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        let after = Store::open(&db).expect("open").dataset().expect("read");
        assert_eq!(after, before, "{name}: the store changed");
    }
}

#[test]
fn a_missing_or_empty_folder_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = Command::new(govgraph_bin())
        .args(["validate", "--data"])
        .arg(dir.path().join("absent"))
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.contains("cannot read the data folder") && stderr.contains("absent"),
        "{stderr}"
    );
    let output = Command::new(govgraph_bin())
        .args(["validate", "--data"])
        .arg(dir.path())
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&output.stderr).contains("holds no .toml file"));
}

#[test]
fn evidence_must_cite_a_section_of_the_folders_own_profile() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("azerbaijan-2023");
    govgraph_tests::copy_data_dir(&data, |_| true);
    // Every label the default data cites is one its profile has.
    let run = govgraph(&["validate", "--data", arg(&data)]);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    let text = "[[relation]]\nid = \"zz-sections\"\ntype = \"GOVERNED_BY\"\nsource = \"institution:state-migration-service\"\ntarget = \"law:decree-560-2007\"\n[[relation.evidence]]\nsection = \"9.9\"\nquote = \"Migration Code\"\n[[relation.evidence]]\nsection = \"Footnote 9999\"\nquote = \"Migration Code\"\n";
    std::fs::write(data.join("zz-sections.toml"), text).expect("write");
    let run = govgraph(&["validate", "--data", arg(&data)]);
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    for (line, label) in [(7, "9.9"), (10, "Footnote 9999")] {
        let expected = format!("zz-sections.toml:{line}:11: relation.evidence.section: unknown section `{label}`: the profile has no section");
        assert!(run.stderr.contains(&expected), "{expected}\n{}", run.stderr);
    }
}

#[test]
fn limits_refuse_and_warnings_name_the_file_without_failing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("store");
    let db = arg(&db);
    govgraph_tests::govgraph_ok(&["import", "--db", db]);
    // A small folder whose one file is cut off just before its final newline.
    let small = dir.path().join("small");
    std::fs::create_dir_all(&small).expect("dir");
    std::fs::write(small.join("a.toml"), BASE.trim_end()).expect("write");
    let run = govgraph(&["import", "--data", arg(&small), "--db", db]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let file = small.join("a.toml");
    let last = BASE.trim_end().lines().count();
    for expected in [
        format!(
            "warning: {}:{last}:1: the file does not end with a newline: was it cut off?",
            file.display()
        ),
        format!(
            "warning: the store {db} held {} relations and now holds 1, fewer than half as many",
            govgraph_tests::default_dataset().relations.len()
        ),
    ] {
        assert!(run.stderr.contains(&expected), "{expected}\n{}", run.stderr);
    }
    let run = govgraph(&["validate", "--data", arg(&small), "--max-field-bytes", "20"]);
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    assert!(
        run.stderr.contains("a.toml:11:8: entity.name: `State Migration Service` is 23 bytes long, more than the limit of 20 bytes"),
        "{}",
        run.stderr
    );
    let run = govgraph(&[
        "import",
        "--data",
        arg(&small),
        "--db",
        db,
        "--max-file-bytes",
        "100",
    ]);
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    let expected = format!(
        "a.toml:1:1: the file is {} bytes, more than the limit of 100 bytes for a data file",
        BASE.trim_end().len()
    );
    assert!(run.stderr.contains(&expected), "{expected}\n{}", run.stderr);
}
