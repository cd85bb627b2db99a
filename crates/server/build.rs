//! Builds the console's editor into the binary when npm is there.
//!
//! GraphiQL's browser build and React come from the npm registry, pinned by
//! `console/package-lock.json` and installed with `npm ci` into `OUT_DIR` (never
//! into the source tree, never committed). Without npm, or with
//! `GOVGRAPH_CONSOLE=plain`, or when the install fails (no registry), the build
//! still succeeds and the binary serves the plain console instead; the build says
//! which with a cargo warning, and `GET /console/info` tells at run time.
//!
//! The generated `console_assets.rs` defines `GRAPHIQL: Option<Assets>`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The files embedded, relative to `node_modules`.
const FILES: [(&str, &str); 4] = [
    ("react", "react/umd/react.production.min.js"),
    ("react_dom", "react-dom/umd/react-dom.production.min.js"),
    ("graphiql_js", "graphiql/graphiql.min.js"),
    ("graphiql_css", "graphiql/graphiql.min.css"),
];

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it"));
    let console = manifest.join("console");
    println!(
        "cargo:rerun-if-changed={}",
        console.join("package.json").display()
    );
    println!(
        "cargo:rerun-if-changed={}",
        console.join("package-lock.json").display()
    );
    println!("cargo:rerun-if-env-changed=GOVGRAPH_CONSOLE");

    let generated = match install(&console, &out.join("console")) {
        Ok(modules) => embed(&modules),
        Err(why) => {
            println!("cargo:warning=the console is built without GraphiQL ({why}); the plain console is served");
            "/// GraphiQL's files, when npm installed them at build time.\npub const GRAPHIQL: Option<Assets> = None;\n".to_owned()
        }
    };
    std::fs::write(out.join("console_assets.rs"), generated).expect("OUT_DIR is writable");
}

/// Installs the locked packages into `dir`, unless the same lockfile is installed there already.
fn install(console: &Path, dir: &Path) -> Result<PathBuf, String> {
    if std::env::var("GOVGRAPH_CONSOLE").is_ok_and(|v| v == "plain") {
        return Err("GOVGRAPH_CONSOLE=plain".into());
    }
    let lock = std::fs::read(console.join("package-lock.json"))
        .map_err(|e| format!("cannot read console/package-lock.json: {e}"))?;
    let modules = dir.join("node_modules");
    let stamp = dir.join("installed-lock.json");
    let installed = std::fs::read(&stamp).is_ok_and(|old| old == lock)
        && FILES.iter().all(|(_, f)| modules.join(f).is_file());
    if !installed {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        for file in ["package.json", "package-lock.json"] {
            std::fs::copy(console.join(file), dir.join(file))
                .map_err(|e| format!("cannot copy {file}: {e}"))?;
        }
        let status = Command::new(if cfg!(windows) { "npm.cmd" } else { "npm" })
            .args([
                "ci",
                "--ignore-scripts",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
            ])
            .current_dir(dir)
            .status()
            .map_err(|e| format!("npm is not available: {e}"))?;
        if !status.success() {
            return Err(format!("`npm ci` failed with {status}"));
        }
        std::fs::write(&stamp, &lock).map_err(|e| format!("cannot write the stamp: {e}"))?;
    }
    Ok(modules)
}

fn embed(modules: &Path) -> String {
    let mut fields = String::new();
    for (name, file) in FILES {
        let path = modules.join(file);
        fields.push_str(&format!(
            "    {name}: include_str!({:?}),\n",
            path.display().to_string()
        ));
    }
    let version = std::fs::read_to_string(modules.join("graphiql/package.json"))
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .and_then(|json| json["version"].as_str().map(str::to_owned))
        .unwrap_or_default();
    format!(
        "/// GraphiQL's files, installed by npm at build time.\npub const GRAPHIQL: Option<Assets> = Some(Assets {{\n{fields}    version: {version:?},\n}});\n"
    )
}
