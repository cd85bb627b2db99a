//! Live reload: a running `serve` watches its store and, when an import makes a
//! new generation current, loads it and serves it from then on.
//!
//! The store's `CURRENT` is read once a second (a file read; an import renames
//! it atomically). A new generation is loaded off the async workers: opened
//! (which pins it, so the import that follows cannot remove it mid-read),
//! indexed, its centrality ranked, then swapped in whole
//! (`govgraph_server::AppState::replace`). Requests already running finish on
//! the dataset they started with; none sees a mix. The old graph is freed when
//! its last request ends, and the next import removes its generation. A
//! generation that fails to load is logged and skipped; the server keeps
//! serving what it had.

use anyhow::{Context, Result};
use govgraph_store::Store;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// How often `CURRENT` is read.
const POLL: Duration = Duration::from_secs(1);

/// Where a reloaded dataset's profile mentions come from.
#[derive(Clone)]
pub(crate) enum MentionsFrom {
    /// The server runs without mentions.
    None,
    /// This document (the embedded profile when `None`), for the data of
    /// `source` only: a dataset imported from elsewhere is served without
    /// mentions rather than with sentences of another profile.
    Document {
        /// The profile's path.
        path: Option<PathBuf>,
        /// The store source (`Meta::source`) the profile belongs to.
        source: String,
    },
}

/// Watches the store at `db`, whose generation `serving` is served now, and
/// swaps each new one into `state`. Runs until the server stops.
pub(crate) async fn watch(
    state: govgraph_server::AppState,
    db: PathBuf,
    mut serving: String,
    mentions: MentionsFrom,
) {
    let mut ticker = tokio::time::interval(POLL);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        let Ok(current) = Store::current_generation(&db) else {
            continue;
        };
        if current == serving {
            continue;
        }
        let (state, db, mentions) = (state.clone(), db.clone(), mentions.clone());
        let loaded = tokio::task::spawn_blocking(move || load(&state, &db, &mentions)).await;
        match loaded {
            Ok(Ok(generation)) => serving = generation,
            Ok(Err(error)) => {
                tracing::warn!(generation = %current, error = format!("{error:#}"), "cannot load the new generation; still serving the previous dataset");
                serving = current;
            }
            Err(error) => {
                tracing::warn!(%error, "the reload task failed; still serving the previous dataset");
                serving = current;
            }
        }
    }
}

/// Loads the store's current generation into `state`; returns its name.
fn load(
    state: &govgraph_server::AppState,
    db: &std::path::Path,
    mentions: &MentionsFrom,
) -> Result<String> {
    let clock = std::time::Instant::now();
    let store =
        Store::open(db).with_context(|| format!("cannot open the store {}", db.display()))?;
    let generation = store.generation().to_owned();
    let fingerprint = store.meta().fingerprint.clone();
    let source = store.meta().source.clone();
    let graph = crate::dataset::load_graph(&store)?;
    drop(store);
    let mentions = match mentions {
        MentionsFrom::Document { path, source: own } if *own == source => {
            crate::profile::serve_mentions(&graph, path.as_deref())?.map(Arc::new)
        }
        MentionsFrom::Document { .. } => {
            tracing::info!(%source, "the new import comes from elsewhere than the served profile: `mentions` are empty");
            None
        }
        MentionsFrom::None => None,
    };
    let (entities, relations) = (graph.entity_count(), graph.relation_count());
    state.replace(graph, mentions, fingerprint);
    tracing::info!(%generation, entities, relations, seconds = clock.elapsed().as_secs_f64(), "reloaded: serving the new import");
    Ok(generation)
}
