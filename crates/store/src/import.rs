//! Writing a store: a new generation filled and sealed under the import lock,
//! then made current with an atomic rename; stale generations removed.

use crate::claims;
use crate::generation::{is_generation_name, read_meta, Meta, CURRENT, SCHEMA_VERSION};
use crate::layout::*;
use crate::seam::{write_dataset, Indexer, Origins};
use crate::sled_db::{io, sled_err};
use crate::sled_writer::SledWriter;
use crate::StoreError;
use govgraph_model::Dataset;
use std::fs;
use std::io::Write;
use std::path::Path;

/// The lock file only one import at a time holds.
const LOCK: &str = "import.lock";
/// Records written per sled batch during import.
pub(crate) const BATCH: usize = 5_000;

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
    import_indexed(path, dataset, source, None, progress)
}

/// [`import`], with the persisted index `indexer` builds from the records
/// stored beside them (see [`crate::Store::index`]).
pub fn import_indexed(
    path: &Path,
    dataset: &Dataset,
    source: &str,
    indexer: Option<Indexer<'_>>,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Meta, StoreError> {
    with_new_generation(path, &mut |generation| {
        let writer = SledWriter::create(generation, Origins::dataset(), indexer)?;
        write_dataset(writer, dataset, source, progress)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fingerprint;
    use crate::generation::current_generation;
    use crate::sled_db::open_sled;
    use crate::Store;
    use govgraph_model::{Entity, EntityKind, Evidence, Relation, RelationType};

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

    /// Relations are stored many to a sled value: counts on either side of a
    /// value's edge, and an empty store, read back as written.
    #[test]
    fn relations_read_back_across_the_edges_of_stored_values() {
        use crate::layout::RELATIONS_PER_VALUE;
        for count in [
            0,
            1,
            RELATIONS_PER_VALUE - 1,
            RELATIONS_PER_VALUE,
            2 * RELATIONS_PER_VALUE + 7,
        ] {
            let mut dataset = sample();
            let template = dataset.relations.pop().expect("one relation");
            dataset.relations = (0..count)
                .map(|i| Relation {
                    id: format!("r{i:05}"),
                    since: Some(1900 + (i % 100) as i32),
                    evidence: vec![Evidence::new("2.1", format!("quote {i}"))],
                    ..template.clone()
                })
                .collect();
            dataset.canonicalize();
            let dir = tempfile::tempdir().expect("temp dir");
            let meta = import(dir.path(), &dataset, "chunks", &mut |_, _| {}).expect("import");
            assert_eq!(meta.relations, count);
            let back = Store::open(dir.path())
                .expect("open")
                .dataset()
                .expect("read");
            assert_eq!(back, dataset, "{count} relations");
            assert_eq!(crate::fingerprint(&back), meta.fingerprint);
        }
    }

    /// Entities are stored many to a sled value too: each is found by id
    /// whichever place it has in its value, and ids before, between and after
    /// the stored ones are not found.
    #[test]
    fn every_entity_is_found_by_id_across_the_edges_of_stored_values() {
        use crate::layout::ENTITIES_PER_VALUE;
        let mut dataset = sample();
        let template = dataset.entities[0].clone();
        dataset.relations.clear();
        dataset.entities = (0..2 * ENTITIES_PER_VALUE + 3)
            .map(|i| Entity {
                id: format!("e{:05}", 2 * i + 1),
                name: format!("entity {i}"),
                ..template.clone()
            })
            .collect();
        let dir = tempfile::tempdir().expect("temp dir");
        import(dir.path(), &dataset, "chunks", &mut |_, _| {}).expect("import");
        let store = Store::open(dir.path()).expect("open");
        for (i, entity) in dataset.entities.iter().enumerate() {
            assert_eq!(
                store.entity(&entity.id).expect("read").as_ref(),
                Some(entity)
            );
            let between = format!("e{:05}", 2 * i + 2);
            assert_eq!(store.entity(&between).expect("read"), None, "{between}");
        }
        assert_eq!(store.entity("a").expect("read"), None);
        assert_eq!(store.entity("").expect("read"), None);
        assert_eq!(store.dataset().expect("read"), dataset);
    }

    /// An empty relation id would come back as the derived one (stored
    /// records leave derived ids out as empty ones), so it is refused and
    /// the store keeps what it had.
    #[test]
    fn an_empty_relation_id_is_refused_and_nothing_changes() {
        let dir = tempfile::tempdir().expect("temp dir");
        import(dir.path(), &sample(), "first", &mut |_, _| {}).expect("import");
        let mut empty = sample();
        empty.relations[0].id.clear();
        let error = import(dir.path(), &empty, "second", &mut |_, _| {}).expect_err("refused");
        assert!(error.to_string().contains("empty relation id"), "{error}");
        let store = Store::open(dir.path()).expect("open");
        assert_eq!(store.meta().source, "first");
        let mut expected = sample();
        expected.canonicalize();
        assert_eq!(store.dataset().expect("read"), expected);
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
