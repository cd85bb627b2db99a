//! Opening the current generation of a store, and importing a new one.

use crate::claims::{self, Pin, Pinned};
use crate::layout::{self, *};
use crate::StoreError;
use govgraph_model::{text::fold, Dataset, Entity, Relation};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The version of the key layout and record encoding this build writes and reads.
pub const SCHEMA_VERSION: u32 = 3;

const CURRENT: &str = "CURRENT";
const LOCK: &str = "import.lock";
/// sled's page cache when a store is opened for reading.
const READ_CACHE_BYTES: u64 = 64 * 1024 * 1024;
/// How many times opening reads `CURRENT` again when imports keep replacing
/// the generation it names before it can be pinned.
const OPEN_ATTEMPTS: u32 = 50;
/// How long opening waits for a lock left by a just-closed handle.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(3);
/// sled's page cache while importing: keys arrive in order, so only the right
/// edge of each tree is hot (sled's default is 1 GiB).
const IMPORT_CACHE_BYTES: u64 = 256 * 1024 * 1024;
/// Records reserved up front when reading a tree back (beyond, the vector grows).
const PREALLOCATE_AT_MOST: usize = 1 << 20;
/// Records written per sled batch during import.
pub(crate) const BATCH: usize = 5_000;

/// Facts about the stored dataset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    /// Schema version the store was written with.
    pub schema_version: u32,
    /// Fingerprint of the stored dataset (see [`fingerprint`]).
    pub fingerprint: String,
    /// Number of entities.
    pub entities: usize,
    /// Number of relations.
    pub relations: usize,
    /// Where the dataset came from (`embedded:azerbaijan-2023`, a folder path …).
    pub source: String,
}

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

/// A stable hash of a dataset's content, independent of file layout and order.
pub fn fingerprint(dataset: &Dataset) -> String {
    let mut canonical = dataset.clone();
    canonical.canonicalize();
    let mut hasher = blake3::Hasher::new();
    serde_json::to_writer(&mut hasher, &canonical)
        .expect("a dataset is strings, numbers and string-keyed maps, which JSON always encodes");
    hasher.finalize().to_hex().to_string()
}

pub(crate) fn io<'p>(
    action: &'static str,
    path: &'p Path,
) -> impl FnOnce(std::io::Error) -> StoreError + 'p {
    move |source| StoreError::Io {
        action,
        path: path.to_owned(),
        source,
    }
}

pub(crate) fn sled_err(path: &Path) -> impl FnOnce(sled::Error) -> StoreError + '_ {
    move |source| StoreError::Sled {
        path: path.to_owned(),
        source,
    }
}

/// Opens a sled database, waiting out a briefly held lock.
///
/// sled takes an exclusive `flock` on open. Dropping a `Db` does not join its
/// flusher thread, and a child forked by another thread keeps a copy of the
/// descriptor until it execs, so a lock can outlive its owner by milliseconds
/// (sled issues 1234 and 1289). A lock held for longer than [`LOCK_WAIT`] is a
/// real second user and becomes [`StoreError::Busy`].
pub(crate) fn open_sled(config: &sled::Config, generation: &Path) -> Result<sled::Db, StoreError> {
    let started = std::time::Instant::now();
    let mut pause = std::time::Duration::from_millis(5);
    loop {
        match config.open() {
            Ok(db) => return Ok(db),
            Err(error) if is_lock_contention(&error) => {
                if started.elapsed() >= LOCK_WAIT {
                    return Err(StoreError::Busy {
                        path: generation.to_owned(),
                    });
                }
                std::thread::sleep(pause);
                pause = (pause * 2).min(std::time::Duration::from_millis(200));
            }
            Err(error) => return Err(sled_err(generation)(error)),
        }
    }
}

/// sled's settings for writing a new generation.
///
/// An import writes once and reads back nothing but its meta, so sled is told
/// to favour write throughput over disk space. Its background flusher stays on:
/// without it dirty pages pile up in memory (5 M relations took 24 GiB).
pub(crate) fn import_config(generation: &Path) -> sled::Config {
    sled::Config::new()
        .path(generation)
        .mode(sled::Mode::HighThroughput)
        .cache_capacity(IMPORT_CACHE_BYTES)
}

/// sled reports a held lock as an `Other` I/O error whose text names it.
fn is_lock_contention(error: &sled::Error) -> bool {
    matches!(error, sled::Error::Io(e) if e.to_string().contains("could not acquire lock"))
}

fn corrupt(path: &Path, what: impl Into<String>) -> StoreError {
    StoreError::Corrupt {
        path: path.to_owned(),
        what: what.into(),
    }
}

/// The folder of the generation `CURRENT` names (which may be gone already).
fn current_generation(path: &Path) -> Result<PathBuf, StoreError> {
    let current = path.join(CURRENT);
    let name = match fs::read_to_string(&current) {
        Ok(name) => name.trim().to_owned(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(StoreError::Missing {
                path: path.to_owned(),
            })
        }
        Err(e) => return Err(io("read", &current)(e)),
    };
    if !is_generation_name(&name) {
        return Err(corrupt(
            path,
            format!("CURRENT names `{name}`, not a generation"),
        ));
    }
    Ok(path.join(name))
}

/// The error for a `CURRENT` that names a generation that is not there, unless
/// an import has moved `CURRENT` on meanwhile (then `None`: read it again).
fn missing_generation(path: &Path, generation: &Path) -> Option<StoreError> {
    let now = current_generation(path).ok()?;
    (now == generation).then(|| {
        corrupt(
            path,
            format!(
                "CURRENT names the missing generation `{}`",
                generation
                    .file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default()
            ),
        )
    })
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
        let entities = self.scan::<Entity>(ENTITIES, self.meta.entities)?;
        let relations = self.scan::<Relation>(RELATIONS, self.meta.relations)?;
        if entities.len() != self.meta.entities || relations.len() != self.meta.relations {
            return Err(corrupt(
                &self.path,
                "record counts differ from the metadata",
            ));
        }
        let profiles = match self
            .tree(META)?
            .get(META_PROFILES)
            .map_err(sled_err(&self.path))?
        {
            Some(bytes) => decode(&self.path, &bytes)?,
            None => Vec::new(),
        };
        Ok(Dataset {
            entities,
            relations,
            profiles,
        })
    }

    /// One entity by id.
    pub fn entity(&self, id: &str) -> Result<Option<Entity>, StoreError> {
        let tree = self.tree(ENTITIES)?;
        let value = tree.get(id.as_bytes()).map_err(sled_err(&self.path))?;
        value.map(|v| decode(&self.path, &v)).transpose()
    }

    /// Ids of the relations leaving `entity`, in id order (a prefix scan).
    pub fn outgoing(&self, entity: &str) -> Result<Vec<String>, StoreError> {
        self.adjacent(OUTGOING, entity)
    }

    /// Ids of the relations reaching `entity`, in id order (a prefix scan).
    pub fn incoming(&self, entity: &str) -> Result<Vec<String>, StoreError> {
        self.adjacent(INCOMING, entity)
    }

    /// Ids of entities with a name or alias whose folded form starts with `prefix`.
    pub fn ids_by_name_prefix(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        let tree = self.tree(NAMES)?;
        let mut ids = Vec::new();
        for item in tree.scan_prefix(fold(prefix).as_bytes()) {
            let (key, _) = item.map_err(sled_err(&self.path))?;
            if let Some(pos) = key.iter().position(|b| *b == 0) {
                ids.push(String::from_utf8_lossy(&key[pos + 1..]).into_owned());
            }
        }
        ids.sort();
        ids.dedup();
        Ok(ids)
    }

    fn adjacent(&self, tree: &str, entity: &str) -> Result<Vec<String>, StoreError> {
        let tree = self.tree(tree)?;
        let prefix = layout::adjacency_prefix(entity);
        let mut ids = Vec::new();
        for item in tree.scan_prefix(&prefix) {
            let (key, _) = item.map_err(sled_err(&self.path))?;
            ids.push(
                layout::relation_of(&key, prefix.len())
                    .ok_or_else(|| corrupt(&self.path, "adjacency key"))?,
            );
        }
        Ok(ids)
    }

    fn tree(&self, name: &str) -> Result<sled::Tree, StoreError> {
        self.db.open_tree(name).map_err(sled_err(&self.path))
    }

    /// Every record of tree `name`, in key order; `expected` (from meta) sizes
    /// the vector, because sled's `Tree::len` walks the whole tree, a second full
    /// scan. Capped so that a damaged count cannot ask for an absurd allocation.
    fn scan<T: serde::de::DeserializeOwned>(
        &self,
        name: &str,
        expected: usize,
    ) -> Result<Vec<T>, StoreError> {
        let tree = self.tree(name)?;
        let mut out = Vec::with_capacity(expected.min(PREALLOCATE_AT_MOST));
        for item in tree.iter() {
            let (_, value) = item.map_err(sled_err(&self.path))?;
            out.push(decode(&self.path, &value)?);
        }
        Ok(out)
    }
}

fn decode<T: serde::de::DeserializeOwned>(path: &Path, bytes: &[u8]) -> Result<T, StoreError> {
    postcard::from_bytes(bytes).map_err(|e| corrupt(path, format!("undecodable record: {e}")))
}

pub(crate) fn read_meta(path: &Path, db: &sled::Db) -> Result<Meta, StoreError> {
    let meta = db.open_tree(META).map_err(sled_err(path))?;
    let get = |key: &[u8]| meta.get(key).map_err(sled_err(path));
    let version = get(META_SCHEMA)?.ok_or_else(|| corrupt(path, "no schema version"))?;
    let version = u32::from_be_bytes(
        version
            .as_ref()
            .try_into()
            .map_err(|_| corrupt(path, "schema version"))?,
    );
    if version < SCHEMA_VERSION {
        return Err(StoreError::OldSchema {
            path: path.to_owned(),
            found: version,
            expected: SCHEMA_VERSION,
        });
    }
    if version > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            path: path.to_owned(),
            found: version,
            expected: SCHEMA_VERSION,
        });
    }
    if get(META_COMPLETE)?.is_none() {
        return Err(corrupt(path, "the current generation was never completed"));
    }
    let fingerprint = get(META_FINGERPRINT)?.ok_or_else(|| corrupt(path, "no fingerprint"))?;
    let count = |key: &[u8], what: &str| -> Result<usize, StoreError> {
        let bytes = get(key)?.ok_or_else(|| corrupt(path, format!("no {what} count")))?;
        let bytes: [u8; 8] = bytes
            .as_ref()
            .try_into()
            .map_err(|_| corrupt(path, format!("the {what} count")))?;
        usize::try_from(u64::from_be_bytes(bytes))
            .map_err(|_| corrupt(path, format!("the {what} count")))
    };
    Ok(Meta {
        schema_version: version,
        fingerprint: String::from_utf8_lossy(&fingerprint).into_owned(),
        entities: count(META_ENTITIES, "entity")?,
        relations: count(META_RELATIONS, "relation")?,
        source: get(META_SOURCE)?
            .map(|s| String::from_utf8_lossy(&s).into_owned())
            .unwrap_or_default(),
    })
}

fn is_generation_name(name: &str) -> bool {
    name.strip_prefix("gen-").is_some_and(|rest| {
        !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    })
}

/// Writes `dataset` as a new generation of the store at `path` and makes it current.
///
/// `progress(done, total)` is called as records are written. Only one import runs
/// at a time per store (a file lock); readers of the old generation are not disturbed.
/// `source` records where the dataset came from, for [`Meta::source`].
pub fn import(
    path: &Path,
    dataset: &Dataset,
    source: &str,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Meta, StoreError> {
    with_new_generation(path, &mut |generation| {
        write_generation(generation, dataset, source, progress)
    })
}

/// Takes the import lock, lets `write` fill a fresh generation folder, and makes
/// it current with an atomic rename; on failure the new folder is removed and
/// `CURRENT` is untouched. Returns the metadata of the new current generation.
pub(crate) fn with_new_generation(
    path: &Path,
    write: &mut dyn FnMut(&Path) -> Result<Meta, StoreError>,
) -> Result<Meta, StoreError> {
    fs::create_dir_all(path).map_err(io("create", path))?;
    let lock_path = path.join(LOCK);
    let lock = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(io("open", &lock_path))?;
    lock.lock().map_err(io("lock", &lock_path))?;
    remove_stale_generations(path)?;

    let name = format!(
        "gen-{:x}-{}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
        std::process::id()
    );
    let generation = path.join(&name);
    // The writer reads its meta back before closing: reopening a generation
    // right after closing it races sled's lock release.
    let meta = match write(&generation) {
        Ok(meta) => meta,
        Err(error) => {
            // Nothing names this folder.
            let _ = fs::remove_dir_all(&generation);
            return Err(error);
        }
    };

    // Make the new generation current with an atomic rename, durably.
    let tmp = path.join("CURRENT.tmp");
    let mut file = fs::File::create(&tmp).map_err(io("create", &tmp))?;
    file.write_all(format!("{name}\n").as_bytes())
        .map_err(io("write", &tmp))?;
    file.sync_all().map_err(io("sync", &tmp))?;
    fs::rename(&tmp, path.join(CURRENT)).map_err(io("rename", &tmp))?;
    fs::File::open(path)
        .and_then(|d| d.sync_all())
        .map_err(io("sync", path))?;
    remove_stale_generations(path)?;
    Ok(meta)
}

/// Removes every generation that `CURRENT` does not name (left by crashed imports
/// or replaced by a later one) and that no reader has pinned. Called only under
/// the import lock.
fn remove_stale_generations(path: &Path) -> Result<(), StoreError> {
    // No CURRENT yet (a first import): every generation here is stale. Any other
    // failure to read it must not be taken for that.
    let current = match fs::read_to_string(path.join(CURRENT)) {
        Ok(current) => current,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(io("read", &path.join(CURRENT))(e)),
    };
    for entry in fs::read_dir(path).map_err(io("list", path))? {
        let entry = entry.map_err(io("list", path))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_generation_name(&name) && name != current.trim() {
            // A generation a reader has pinned stays until a later import.
            claims::remove_unpinned(&entry.path());
        }
    }
    Ok(())
}

fn write_generation(
    generation: &Path,
    dataset: &Dataset,
    source: &str,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Meta, StoreError> {
    let db = open_sled(&import_config(generation), generation)?;
    let tree = |name: &str| db.open_tree(name).map_err(sled_err(generation));
    let (entities, relations, outgoing, incoming, names, meta) = (
        tree(ENTITIES)?,
        tree(RELATIONS)?,
        tree(OUTGOING)?,
        tree(INCOMING)?,
        tree(NAMES)?,
        tree(META)?,
    );
    let total = (dataset.entities.len() + dataset.relations.len()) as u64;
    let mut done = 0u64;
    for chunk in dataset.entities.chunks(BATCH) {
        let (mut records, mut index) = (sled::Batch::default(), sled::Batch::default());
        for entity in chunk {
            records.insert(entity.id.as_bytes(), encode(entity));
            for name in std::iter::once(&entity.name).chain(&entity.aliases) {
                index.insert(layout::name_key(&fold(name), &entity.id), &[]);
            }
            crate::fault::point();
        }
        entities
            .apply_batch(records)
            .map_err(sled_err(generation))?;
        names.apply_batch(index).map_err(sled_err(generation))?;
        done += chunk.len() as u64;
        progress(done, total);
    }
    for chunk in dataset.relations.chunks(BATCH) {
        let (mut records, mut out, mut inc) = (
            sled::Batch::default(),
            sled::Batch::default(),
            sled::Batch::default(),
        );
        for relation in chunk {
            records.insert(relation.id.as_bytes(), encode(relation));
            out.insert(layout::adjacency_key(&relation.source, &relation.id), &[]);
            inc.insert(layout::adjacency_key(&relation.target, &relation.id), &[]);
            crate::fault::point();
        }
        relations
            .apply_batch(records)
            .map_err(sled_err(generation))?;
        outgoing.apply_batch(out).map_err(sled_err(generation))?;
        incoming.apply_batch(inc).map_err(sled_err(generation))?;
        done += chunk.len() as u64;
        progress(done, total);
    }
    if !dataset.profiles.is_empty() {
        meta.insert(META_PROFILES, encode(&dataset.profiles))
            .map_err(sled_err(generation))?;
    }
    let counts = (dataset.entities.len(), dataset.relations.len());
    crate::fault::last_point();
    seal(
        generation,
        &db,
        &meta,
        &fingerprint(dataset),
        source,
        counts,
    )
}

/// Writes the meta of a fully written generation, flushes it, and reads the
/// meta back. `counts` are the entities and relations written: kept in meta so
/// that opening a store does not count a million keys.
pub(crate) fn seal(
    generation: &Path,
    db: &sled::Db,
    meta: &sled::Tree,
    fingerprint: &str,
    source: &str,
    (entities, relations): (usize, usize),
) -> Result<Meta, StoreError> {
    let put = |key: &[u8], value: &[u8]| meta.insert(key, value).map_err(sled_err(generation));
    put(META_SCHEMA, &SCHEMA_VERSION.to_be_bytes())?;
    put(META_FINGERPRINT, fingerprint.as_bytes())?;
    put(META_SOURCE, source.as_bytes())?;
    put(META_ENTITIES, &(entities as u64).to_be_bytes())?;
    put(META_RELATIONS, &(relations as u64).to_be_bytes())?;
    // Written last: a generation without it was cut off mid-import.
    put(META_COMPLETE, &[1])?;
    db.flush().map_err(sled_err(generation))?;
    read_meta(generation, db)
}

/// Records are postcard: a compact binary form of the model's plain structs,
/// several times smaller and faster to read back than JSON (schema version 2).
pub(crate) fn encode<T: serde::Serialize>(record: &T) -> Vec<u8> {
    postcard::to_allocvec(record)
        .expect("records are plain structs of strings and numbers, which postcard always encodes")
}

#[cfg(test)]
mod tests {
    use super::*;
    use govgraph_model::{EntityKind, Evidence, RelationType};

    fn sample() -> Dataset {
        let entity = |id: &str, kind| Entity {
            id: id.into(),
            kind,
            name: id.into(),
            aliases: vec![],
            year: None,
            attributes: Default::default(),
        };
        Dataset {
            entities: vec![
                entity("country:AZE", EntityKind::Country),
                entity("convention:crc", EntityKind::Convention),
            ],
            relations: vec![Relation {
                id: "country:AZE|RATIFIED|convention:crc".into(),
                ty: RelationType::Ratified,
                source: "country:AZE".into(),
                target: "convention:crc".into(),
                since: Some(1992),
                until: None,
                evidence: vec![Evidence::new("Table 1", "Yes (1992)")],
            }],
            profiles: Vec::new(),
        }
    }

    /// Rewrites the schema version of the current generation, as an older build would have left it.
    fn set_schema_version(path: &Path, version: u32) {
        let name = fs::read_to_string(path.join(CURRENT)).expect("CURRENT");
        let generation = path.join(name.trim());
        let db = open_sled(&sled::Config::new().path(&generation), &generation).expect("open");
        db.open_tree(META)
            .expect("meta")
            .insert(META_SCHEMA, &version.to_be_bytes())
            .expect("write");
        db.flush().expect("flush");
    }

    #[test]
    fn an_older_schema_says_how_to_rebuild() {
        let dir = tempfile::tempdir().expect("temp dir");
        import(dir.path(), &sample(), "test", &mut |_, _| {}).expect("import");
        set_schema_version(dir.path(), SCHEMA_VERSION - 1);
        let error = Store::open(dir.path()).err().expect("refused");
        assert!(
            matches!(error, StoreError::OldSchema { found, .. } if found == SCHEMA_VERSION - 1)
        );
        assert!(error.to_string().contains("govgraph import"), "{error}");
        set_schema_version(dir.path(), SCHEMA_VERSION + 1);
        assert!(matches!(
            Store::open(dir.path()),
            Err(StoreError::NewerSchema { .. })
        ));
    }

    #[test]
    fn an_interrupted_generation_is_never_current_and_is_cleaned_up() {
        let dir = tempfile::tempdir().expect("temp dir");
        import(dir.path(), &sample(), "first", &mut |_, _| {}).expect("import");
        // A crashed import leaves a generation folder that CURRENT does not name.
        let stale = dir.path().join("gen-dead-1");
        fs::create_dir_all(&stale).expect("stale");
        let store = Store::open(dir.path()).expect("open");
        assert_eq!(store.meta().source, "first");
        drop(store);
        import(dir.path(), &sample(), "second", &mut |_, _| {}).expect("import");
        assert!(!stale.exists(), "the stale generation was removed");
        assert_eq!(
            Store::open(dir.path()).expect("open").meta().source,
            "second"
        );
    }

    #[test]
    fn a_damaged_current_pointer_is_reported() {
        let dir = tempfile::tempdir().expect("temp dir");
        import(dir.path(), &sample(), "x", &mut |_, _| {}).expect("import");
        fs::write(dir.path().join(CURRENT), "../../etc\n").expect("write");
        assert!(matches!(
            Store::open(dir.path()),
            Err(StoreError::Corrupt { .. })
        ));
        fs::write(dir.path().join(CURRENT), "gen-missing\n").expect("write");
        assert!(matches!(
            Store::open(dir.path()),
            Err(StoreError::Corrupt { .. })
        ));
    }

    #[test]
    fn a_lock_released_soon_is_waited_for() {
        let dir = tempfile::tempdir().expect("temp dir");
        import(dir.path(), &sample(), "x", &mut |_, _| {}).expect("import");
        let holder = Store::open(dir.path()).expect("open");
        let release = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(300));
            drop(holder);
        });
        let second = Store::open(dir.path()).expect("opens once the first handle is gone");
        assert_eq!(second.meta().source, "x");
        release.join().expect("release");
    }

    #[test]
    fn a_lock_held_on_is_reported_as_busy() {
        let dir = tempfile::tempdir().expect("temp dir");
        import(dir.path(), &sample(), "x", &mut |_, _| {}).expect("import");
        let _holder = Store::open(dir.path()).expect("open");
        let error = Store::open(dir.path()).err().expect("refused");
        assert!(matches!(error, StoreError::Busy { .. }), "{error:?}");
        assert!(
            error.to_string().contains("in use by another process"),
            "{error}"
        );
    }
    #[test]
    fn an_import_leaves_a_generation_a_reader_holds_until_it_is_let_go() {
        let dir = tempfile::tempdir().expect("temp dir");
        import(dir.path(), &sample(), "old", &mut |_, _| {}).expect("import");
        let reader = Store::open(dir.path()).expect("open");
        let held = current_generation(dir.path()).expect("current");
        import(dir.path(), &sample(), "new", &mut |_, _| {}).expect("import");
        assert!(held.is_dir(), "the pinned generation was kept");
        assert_eq!(
            fingerprint(&reader.dataset().expect("still readable")),
            fingerprint(&sample())
        );
        drop(reader);
        import(dir.path(), &sample(), "newer", &mut |_, _| {}).expect("import");
        assert!(!held.exists(), "removed once nothing reads it");
    }

    #[test]
    fn readers_opening_during_imports_always_find_a_complete_generation() {
        let dir = tempfile::tempdir().expect("temp dir");
        import(dir.path(), &sample(), "0", &mut |_, _| {}).expect("import");
        let path = dir.path().to_owned();
        let importer = std::thread::spawn(move || {
            for round in 1..=25 {
                import(&path, &sample(), &round.to_string(), &mut |_, _| {}).expect("import");
            }
        });
        let mut opened = 0;
        while !importer.is_finished() {
            let store = Store::open(dir.path()).expect("every open succeeds");
            assert_eq!(store.meta().fingerprint, fingerprint(&sample()));
            assert_eq!(store.dataset().expect("read").relations.len(), 1);
            opened += 1;
        }
        importer.join().expect("importer");
        assert!(opened > 0);
        let names: Vec<String> = fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("gen-"))
            .collect();
        assert!(names.len() <= 2, "stale generations piled up: {names:?}");
    }
}
