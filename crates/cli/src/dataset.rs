//! Where the served dataset comes from: the embedded default, or a data folder;
//! keeping the store in step with it; and the graph built from the store.

use anyhow::{Context, Result};
use govgraph_graph::Graph;
use govgraph_loader::{DataFile, Limits, Profile, ProfileFolder};
use govgraph_model::{Dataset, ProfileInfo};
use govgraph_store::{Meta, ServerClaim, Store, StoreError, StoredIndex};
use std::path::Path;
use std::sync::Arc;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_data.rs"));
}

mod embedded_profile {
    include!(concat!(env!("OUT_DIR"), "/embedded_profile.rs"));
}

/// The default dataset's source document, when it was there at build time.
pub(crate) const EMBEDDED_PROFILE_TEXT: Option<&str> = embedded_profile::PROFILE;

/// The source label of the embedded dataset in store metadata.
pub(crate) const EMBEDDED: &str = "embedded:azerbaijan-2023";

/// The id of the embedded default profile: its data folder's name.
pub(crate) const EMBEDDED_PROFILE: &str = "azerbaijan-2023";

/// The embedded default dataset, validated.
pub(crate) fn embedded() -> Result<Dataset> {
    let files: Vec<DataFile> = embedded::FILES
        .iter()
        .map(|(name, text)| DataFile::new(format!("<embedded>/{name}"), text.as_bytes().to_vec()))
        .collect();
    let folder = ProfileFolder {
        info: profile_info(EMBEDDED_PROFILE, EMBEDDED_PROFILE_TEXT),
        files,
        // Checked by the tests; not again at every start.
        source: None,
    };
    govgraph_loader::load_profiles(&[folder]).context("the embedded dataset is invalid")
}

/// Who a profile is about, read from its source document's title when there is
/// one; the folder's name otherwise.
fn profile_info(id: &str, source: Option<&str>) -> ProfileInfo {
    let document = source.map(|text| govgraph_profile::parse(text).document);
    profile_info_of(id, document.as_ref())
}

/// [`profile_info`] from a document already parsed.
fn profile_info_of(id: &str, document: Option<&govgraph_profile::Document>) -> ProfileInfo {
    let subject = document.and_then(govgraph_profile::subject);
    ProfileInfo {
        id: id.to_owned(),
        title: subject
            .as_ref()
            .map_or_else(|| id.to_owned(), |s| s.title.clone()),
        country: subject.as_ref().map(|s| format!("country:{}", s.iso3)),
        year: subject.and_then(|s| s.year),
    }
}

/// The profile folders under `dir`: `dir` itself when it holds data files, else
/// each of its subfolders that does, in name order.
fn profile_folders(dir: &Path) -> Result<Vec<std::path::PathBuf>> {
    let has_data = |d: &Path| {
        std::fs::read_dir(d).is_ok_and(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .any(|p| p.is_file() && p.extension().is_some_and(|e| e == "toml"))
        })
    };
    if has_data(dir) || !dir.is_dir() {
        return Ok(vec![dir.to_owned()]);
    }
    let mut folders: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot list {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir() && has_data(p))
        .collect();
    folders.sort();
    if folders.is_empty() {
        folders.push(dir.to_owned());
    }
    Ok(folders)
}

/// Where a data folder keeps its source document, if it has one.
pub(crate) const SOURCE_PROFILE: &str = "source/profile.md";

/// The profile to check a data folder's quotes against: `explicit` when given,
/// else the folder's own source document when it has one.
pub(crate) fn profile_for(dir: &Path, explicit: Option<&Path>) -> Option<std::path::PathBuf> {
    explicit
        .map(Path::to_path_buf)
        .or_else(|| Some(dir.join(SOURCE_PROFILE)).filter(|p| p.is_file()))
}

/// The document `serve` answers mentions from: `explicit`, else the data
/// folder's own source; `None` for a data folder without one.
pub(crate) fn profile_for_mentions(
    data: Option<&Path>,
    explicit: Option<&Path>,
) -> Option<std::path::PathBuf> {
    match data {
        Some(dir) => profile_for(dir, explicit),
        None => explicit.map(Path::to_path_buf),
    }
}

/// [`from_dir_with`] under the default limits.
pub(crate) fn from_dir(dir: &Path, profile: Option<&Path>) -> Result<Dataset> {
    from_dir_with(dir, profile, &Limits::default())
}

/// Prints a warning to standard error: it names a problem that does not stop
/// the command.
#[allow(clippy::print_stderr)]
pub(crate) fn warn(message: &str) {
    eprintln!("warning: {message}");
}

/// The dataset of a data folder, validated; quotes and evidence sections too
/// when a profile is given or the folder holds its source document (see
/// [`profile_for`]). A folder of profile folders loads them all, each checked
/// against its own source, into one dataset. Files and fields above `limits`
/// are refused; warnings (an empty file, one cut off) are printed.
pub(crate) fn from_dir_with(
    dir: &Path,
    profile: Option<&Path>,
    limits: &Limits,
) -> Result<Dataset> {
    let folders = profile_folders(dir)?;
    if profile.is_some() && folders.len() > 1 {
        return Err(crate::exit::usage(format!(
            "--profile names one document, but {} holds {} profile folders; each is checked against its own source/profile.md",
            dir.display(),
            folders.len()
        )));
    }
    let mut loaded = Vec::with_capacity(folders.len());
    for folder in &folders {
        let files = govgraph_loader::read_dir_with(folder, limits)?;
        let text = profile_for(folder, profile)
            .map(|p| {
                std::fs::read_to_string(&p)
                    .with_context(|| format!("cannot read the profile {}", p.display()))
            })
            .transpose()?;
        let id = folder
            .canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "data".to_owned());
        // Parsed once: for who the profile is about and for the sections
        // its evidence may cite.
        let document = text.as_deref().map(|t| govgraph_profile::parse(t).document);
        let source = text
            .as_deref()
            .zip(document.as_ref())
            .map(|(t, d)| Profile::new(t).with_sections(d.citable_sections()));
        loaded.push(ProfileFolder {
            info: profile_info_of(&id, document.as_ref()),
            files,
            source,
        });
    }
    let done = govgraph_loader::load_profiles_with(&loaded, limits)?;
    for warning in &done.warnings {
        warn(&warning.to_string());
    }
    Ok(done.dataset)
}

/// The number of relations in the store at `db`, when it can be read at once;
/// `None` when there is no store or it is busy, so the caller skips its check.
pub(crate) fn stored_relations(db: &Path) -> Option<usize> {
    Store::open(db).ok().map(|store| store.meta().relations)
}

/// Warns when an import replaced `before` stored relations with fewer than half
/// as many: a data folder or CSV file cut short looks like that.
pub(crate) fn warn_if_shrunk(db: &Path, before: Option<usize>, after: usize) {
    if let Some(before) = before.filter(|&b| after.saturating_mul(2) < b) {
        warn(&format!(
            "the store {} held {before} relations and now holds {after}, fewer than half as many; was the data cut short?",
            db.display()
        ));
    }
}

/// Imports `dataset` into the store at `db`, with a progress bar on long work,
/// warning when it holds less than half the relations the store held.
pub(crate) fn import(db: &Path, dataset: &Dataset, source: &str) -> Result<Meta> {
    let before = stored_relations(db);
    let total = (dataset.entities.len() + dataset.relations.len()) as u64;
    let bar = crate::output::progress(total, "{msg} [{bar:40}] {pos}/{len} records ({eta})");
    let indexer: govgraph_store::Indexer<'_> = &index_of;
    let meta =
        govgraph_store::import_indexed(db, dataset, source, Some(indexer), &mut |done, _| {
            bar.set_position(done)
        })
        .with_context(|| format!("cannot import into {}", db.display()))?;
    bar.finish_and_clear();
    warn_if_shrunk(db, before, meta.relations);
    Ok(meta)
}

/// Opens the store at `db` for a server, first (re)importing `dataset` when the
/// store is missing, was written by an older schema, or holds other content.
/// When the dataset is only the default (`explicit` false), a store holding a
/// dataset from another source, such as a folder imported with `govgraph
/// import`, is kept.
///
/// The returned claim is to be held while serving: a server never replaces the
/// data of a store another running server answers from.
pub(crate) fn ensure_store(
    db: &Path,
    dataset: &Dataset,
    source: &str,
    explicit: bool,
) -> Result<(Store, ServerClaim)> {
    let wanted = govgraph_store::fingerprint(dataset);
    let context = || format!("cannot open the store {}", db.display());
    match Store::open(db) {
        Ok(store) if store.meta().fingerprint == wanted => {
            return Ok((store, ServerClaim::shared(db).with_context(context)?))
        }
        Ok(store) if !explicit && store.meta().source != source => {
            return Ok((store, ServerClaim::shared(db).with_context(context)?))
        }
        Ok(_) => {
            tracing::info!(db = %db.display(), "the dataset changed since the last import; re-importing")
        }
        Err(StoreError::Missing { .. }) => {
            tracing::info!(db = %db.display(), "no store yet; importing")
        }
        Err(StoreError::OldSchema { found, .. }) => {
            tracing::info!(found, "the store has an older schema; re-importing")
        }
        Err(e) => return Err(e).with_context(context),
    }
    let claim = ServerClaim::exclusive(db)
        .with_context(|| format!("cannot import into the store {}", db.display()))?;
    import(db, dataset, source)?;
    let store = Store::open(db).with_context(context)?;
    Ok((store, claim.share().with_context(context)?))
}

/// Opens an existing store for reading. A read never creates or imports a store:
/// a missing one is an error that says how to make it.
pub(crate) fn open_existing(db: &Path) -> Result<Store> {
    Store::open(db).with_context(|| format!("cannot open the store {}", db.display()))
}

/// The persisted index of `dataset`, as an import stores it beside the records.
pub(crate) fn index_of(dataset: Dataset) -> Vec<u8> {
    Graph::build(dataset).0.to_index()
}

/// The in-memory index of an open store: its persisted index when it has one
/// that belongs to it; else (with a log line saying why) built from its records.
pub(crate) fn load_graph(store: &Store) -> Result<Arc<Graph>> {
    let path = store.path().display();
    let why = match store
        .index()
        .with_context(|| format!("cannot read the index of the store {path}"))?
    {
        StoredIndex::Ready(index) => match index
            .decode(Graph::read_index)
            .with_context(|| format!("cannot read the index of the store {path}"))?
        {
            Ok(graph) => return Ok(Arc::new(graph)),
            Err(why) => why,
        },
        StoredIndex::Missing => "it has none".to_owned(),
        StoredIndex::Unusable(why) => why,
    };
    tracing::warn!(store = %path, "not using the store's persisted index ({why}); building the graph from its records");
    let dataset = store
        .dataset()
        .with_context(|| format!("cannot read the store {path}"))?;
    let (graph, skipped) = Graph::build(dataset);
    if !skipped.is_empty() {
        tracing::warn!(count = skipped.len(), first = %skipped[0], "relations with unknown ends were left out");
    }
    Ok(Arc::new(graph))
}
