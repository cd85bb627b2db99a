//! The loader's oracle: data files in, and either problems that each name a
//! given file, an existing line and a column, or a dataset that passes the
//! validation rules re-checked independently and builds a graph.

use crate::fuzz::{self, Outcome, Rules};

/// Splits an input into data files; names with a `/` put the file in that
/// profile folder (several folders are loaded and merged, without quote checks).
pub fn check(input: &[u8]) -> Result<Outcome, String> {
    let files: Vec<govgraph_loader::DataFile> = fuzz::split_sections(input, "fuzz.toml")
        .into_iter()
        .map(|(name, bytes)| govgraph_loader::DataFile::new(name, bytes))
        .collect();
    let folders: std::collections::BTreeSet<&str> = files
        .iter()
        .filter_map(|f| f.name.split_once('/').map(|(dir, _)| dir))
        .collect();
    let (result, profile) = if folders.len() > 1 {
        let grouped = folders
            .iter()
            .map(|dir| govgraph_loader::ProfileFolder {
                info: govgraph_model::ProfileInfo {
                    id: (*dir).to_owned(),
                    title: dir.to_uppercase(),
                    country: None,
                    year: None,
                },
                files: files
                    .iter()
                    .filter(|f| f.name.split_once('/').is_some_and(|(d, _)| d == *dir))
                    .cloned()
                    .collect(),
                source: None,
            })
            .collect::<Vec<_>>();
        (govgraph_loader::load_profiles(&grouped), None)
    } else {
        let profile = fuzz::default_profile();
        (govgraph_loader::load(&files, Some(profile)), Some(profile))
    };
    match result {
        Err(problems) => {
            if problems.0.is_empty() {
                return Err("refused without a problem".into());
            }
            for problem in &problems.0 {
                fuzz::check_problem(problem, &files)?;
            }
            Ok(Outcome::Refused)
        }
        Ok(dataset) => {
            let broken = fuzz::violations(
                &dataset,
                Rules {
                    toml: true,
                    profile,
                },
            );
            if !broken.is_empty() {
                return Err(format!("accepted an invalid dataset: {broken:?}"));
            }
            let _ = govgraph_store::fingerprint(&dataset);
            let _ = govgraph_graph::Graph::build(dataset);
            Ok(Outcome::Accepted)
        }
    }
}
