//! Embeds the default dataset: lists `data/azerbaijan-2023/*.toml` into a
//! generated module of `include_str!`s, and tells cargo to rebuild when a file
//! is added, removed or changed there. Also embeds the default profile, when present.

use std::fmt::Write;
use std::path::PathBuf;

fn main() {
    let manifest =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let dir = manifest.join("../../data/azerbaijan-2023");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the default dataset folder data/azerbaijan-2023 exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let mut out = String::from("/// The default dataset's files: (name, contents).\npub const FILES: &[(&str, &str)] = &[\n");
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .expect("UTF-8 file names");
        let path = file.canonicalize().expect("a readable data file");
        writeln!(
            out,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .expect("writing to a String");
    }
    out.push_str("];\n");
    let target = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("embedded_data.rs");
    std::fs::write(target, out).expect("OUT_DIR is writable");
    embed_profile(&manifest);
}

/// Embeds the default profile (the dataset's source document) for `serve`'s
/// mentions. A tree without it still builds: the binary then serves without mentions.
fn embed_profile(manifest: &std::path::Path) {
    let path = manifest.join("../../data/azerbaijan-2023/source/profile.md");
    println!("cargo:rerun-if-changed={}", path.display());
    let value = match path.canonicalize() {
        Ok(path) if path.is_file() => {
            format!("Some(include_str!({:?}))", path.display().to_string())
        }
        _ => "None".to_owned(),
    };
    let out = format!("/// The default profile's markdown, when it was there at build time.\npub const PROFILE: Option<&str> = {value};\n");
    let target = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("embedded_profile.rs");
    std::fs::write(target, out).expect("OUT_DIR is writable");
}
