//! Reading a store: the current generation, pinned and opened, and its records.

use crate::claims::{self, Pin, Pinned};
use crate::generation::{current_generation, missing_generation, read_meta, Meta};
use crate::index_file::StoredIndex;
use crate::layout::*;
use crate::seam::GenerationReader;
use crate::sled_db::{corrupt, decode, open_sled, restore_relation_id, sled_err};
use crate::StoreError;
use govgraph_model::{Dataset, Entity, Relation};
use std::path::{Path, PathBuf};

/// sled's page cache when a store is opened for reading.
const READ_CACHE_BYTES: u64 = 64 * 1024 * 1024;
/// How many times opening reads `CURRENT` again when imports keep replacing
/// the generation it names before it can be pinned.
const OPEN_ATTEMPTS: u32 = 50;
/// Records reserved up front when reading a tree back (beyond, the vector grows).
const PREALLOCATE_AT_MOST: usize = 1 << 20;

/// An open generation of a store, for reading.
pub struct Store {
    path: PathBuf,
    /// The name of the open generation.
    generation: String,
    db: sled::Db,
    meta: Meta,
    /// Keeps imports from removing the generation while it is open.
    _pin: Pin,
}

impl Store {
    /// Opens the current generation of the store at `path`.
    ///
    /// The generation is pinned before it is opened (see [`crate::claims`]):
    /// an import that replaces it meanwhile leaves it in place for as long as
    /// this handle lives. When an import removed it between reading `CURRENT`
    /// and pinning, `CURRENT` is read again.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        for _ in 0..OPEN_ATTEMPTS {
            let generation = current_generation(path)?;
            let Pinned::Held(pin) = claims::pin(&generation)? else {
                match missing_generation(path, &generation) {
                    Some(error) => return Err(error),
                    None => continue,
                }
            };
            // Readers scan the store once at start-up; a small page cache keeps
            // the resident memory of a large store down (sled's default is 1 GiB).
            let config = sled::Config::new()
                .path(&generation)
                .cache_capacity(READ_CACHE_BYTES);
            let db = open_sled(&config, &generation)?;
            let meta = read_meta(path, &db)?;
            return Ok(Store {
                path: path.to_owned(),
                generation: generation
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                db,
                meta,
                _pin: pin,
            });
        }
        Err(StoreError::Unsettled {
            path: path.to_owned(),
            attempts: OPEN_ATTEMPTS,
        })
    }

    /// Facts about the stored dataset.
    pub fn meta(&self) -> &Meta {
        &self.meta
    }

    /// The store folder.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The name of the open generation; see [`Store::current_generation`].
    pub fn generation(&self) -> &str {
        &self.generation
    }

    /// The name of the generation the store at `path` serves now. Every import
    /// makes a new one current, so a server watches this to see imports.
    pub fn current_generation(path: &Path) -> Result<String, StoreError> {
        let generation = current_generation(path)?;
        Ok(generation
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default())
    }

    /// Reads the whole dataset back, in id order.
    pub fn dataset(&self) -> Result<Dataset, StoreError> {
        read_dataset(&self.db, &self.path, &self.meta)
    }

    /// The persisted index of this generation, when it has one that belongs to
    /// it (see [`crate::index_file`]).
    pub fn index(&self) -> Result<StoredIndex, StoreError> {
        crate::index_file::read(&self.path.join(&self.generation), &self.meta)
    }

    /// One entity by id.
    pub fn entity(&self, id: &str) -> Result<Option<Entity>, StoreError> {
        let tree = self.tree(ENTITIES)?;
        // Entities are stored several to a value, keyed by the first one's id.
        let Some(item) = tree.range(..=id.as_bytes()).next_back() else {
            return Ok(None);
        };
        let (_, value) = item.map_err(sled_err(&self.path))?;
        let found = records_in::<Entity>(&self.path, &value)
            .find(|entity| entity.as_ref().map_or(true, |e| e.id == id));
        found.transpose()
    }

    fn tree(&self, name: &str) -> Result<sled::Tree, StoreError> {
        self.db.open_tree(name).map_err(sled_err(&self.path))
    }
}

impl GenerationReader for Store {
    fn meta(&self) -> &Meta {
        Store::meta(self)
    }

    fn dataset(&self) -> Result<Dataset, StoreError> {
        Store::dataset(self)
    }
}

/// The whole dataset of the generation open as `db` (`path` names it in
/// errors), in id order, its counts checked against `meta`.
pub(crate) fn read_dataset(db: &sled::Db, path: &Path, meta: &Meta) -> Result<Dataset, StoreError> {
    let entities = scan::<Entity>(db, path, ENTITIES, meta.entities)?;
    let mut relations = scan::<Relation>(db, path, RELATIONS, meta.relations)?;
    relations.iter_mut().for_each(restore_relation_id);
    if entities.len() != meta.entities || relations.len() != meta.relations {
        return Err(corrupt(path, "record counts differ from the metadata"));
    }
    let profiles = match db
        .open_tree(META)
        .map_err(sled_err(path))?
        .get(META_PROFILES)
        .map_err(sled_err(path))?
    {
        Some(bytes) => decode(path, &bytes)?,
        None => Vec::new(),
    };
    Ok(Dataset {
        entities,
        relations,
        profiles,
    })
}

/// Every record of tree `name`, in key order (a value holds several records
/// end to end); `expected` (from meta) sizes
/// the vector, because sled's `Tree::len` walks the whole tree, a second full
/// scan. Capped so that a damaged count cannot ask for an absurd allocation.
fn scan<T: serde::de::DeserializeOwned>(
    db: &sled::Db,
    path: &Path,
    name: &str,
    expected: usize,
) -> Result<Vec<T>, StoreError> {
    let tree = db.open_tree(name).map_err(sled_err(path))?;
    let mut out = Vec::with_capacity(expected.min(PREALLOCATE_AT_MOST));
    for item in tree.iter() {
        let (_, value) = item.map_err(sled_err(path))?;
        for record in records_in(path, &value) {
            out.push(record?);
        }
    }
    Ok(out)
}

/// The records of one sled value, written end to end, in order; the first
/// that does not decode ends them as corruption of the store at `path`.
fn records_in<'v, T: serde::de::DeserializeOwned>(
    path: &'v Path,
    value: &'v [u8],
) -> impl Iterator<Item = Result<T, StoreError>> + 'v {
    let mut rest = value;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        Some(match postcard::take_from_bytes(rest) {
            Ok((record, after)) => {
                rest = after;
                Ok(record)
            }
            Err(e) => {
                rest = &[];
                Err(corrupt(path, format!("undecodable record: {e}")))
            }
        })
    })
}
