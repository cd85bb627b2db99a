//! The sled side of the seam: a new generation's records spill into sorted
//! runs as they come, and sealing merges them into sled's trees in key order
//! (sled writes fast and in bounded memory only when keys arrive in order),
//! hashes them on the way, and writes the metadata last.

use crate::generation::Meta;
use crate::import::{seal, BATCH};
use crate::index_file;
use crate::layout::*;
use crate::reader::read_dataset;
use crate::seam::{GenerationWriter, Indexer, Origins, RecordHasher};
use crate::sled_db::{encode, encode_relation, import_config, open_sled, sled_err};
use crate::sorted_runs::SortedRuns;
use crate::StoreError;
use govgraph_model::{Entity, ProfileInfo, Relation};
use std::path::{Path, PathBuf};

/// A generation being written into its folder.
pub(crate) struct SledWriter<'i> {
    generation: PathBuf,
    db: sled::Db,
    /// Where the runs spill: inside the generation, so that a crash leaves
    /// them where the stale generation is removed.
    spill: PathBuf,
    entities: SortedRuns,
    relations: SortedRuns,
    profiles: Vec<ProfileInfo>,
    origins: Origins,
    /// Builds the persisted index from the sealed records, when given.
    indexer: Option<Indexer<'i>>,
}

impl<'i> SledWriter<'i> {
    /// Opens a new generation at `generation` (a folder that does not exist
    /// yet); when sealed, it stores what `indexer` builds from its records.
    pub(crate) fn create(
        generation: &Path,
        origins: Origins,
        indexer: Option<Indexer<'i>>,
    ) -> Result<Self, StoreError> {
        let db = open_sled(&import_config(generation), generation)?;
        let spill = generation.join("import-runs");
        Ok(SledWriter {
            generation: generation.to_owned(),
            db,
            entities: SortedRuns::new(&spill, ENTITIES),
            relations: SortedRuns::new(&spill, RELATIONS),
            spill,
            profiles: Vec::new(),
            origins,
            indexer,
        })
    }

    /// Merges `runs` into the tree `name` in key order, `per_value` records
    /// to a sled value (keyed by the first one's key), hashing each record;
    /// returns how many were written.
    fn merge(
        &self,
        runs: SortedRuns,
        (name, per_value): (&str, usize),
        (file, what): (&Path, &str),
        hasher: &mut RecordHasher,
        progress: &mut dyn FnMut(u64),
    ) -> Result<usize, StoreError> {
        let generation = &self.generation;
        let tree = self.db.open_tree(name).map_err(sled_err(generation))?;
        let mut batch = sled::Batch::default();
        let mut in_batch = 0usize;
        let apply = |batch: sled::Batch| -> Result<(), StoreError> {
            tree.apply_batch(batch).map_err(sled_err(generation))?;
            crate::fault::point();
            Ok(())
        };
        let mut chunk = Chunk::default();
        let count = runs.finish(
            &mut |key, value| {
                hasher.record(&value);
                chunk.add(key, &value);
                if chunk.records == per_value {
                    let (key, value) = chunk.take();
                    batch.insert(key, value);
                    in_batch += 1;
                    if in_batch * per_value >= BATCH {
                        in_batch = 0;
                        apply(std::mem::take(&mut batch))?;
                    }
                }
                Ok(())
            },
            &mut |key, first, second| Some(Origins::duplicate(file, what, key, first, second)),
            progress,
        )?;
        if chunk.records > 0 {
            let (key, value) = chunk.take();
            batch.insert(key, value);
        }
        apply(batch)?;
        Ok(usize::try_from(count).expect("a count of records on disk fits in memory"))
    }
}

impl GenerationWriter for SledWriter<'_> {
    type Sealed = Meta;

    fn put_entity(&mut self, entity: &Entity, line: u64) -> Result<(), StoreError> {
        self.entities
            .push(entity.id.as_bytes().to_vec(), encode(entity), line)?;
        crate::fault::point();
        Ok(())
    }

    fn put_relation(&mut self, relation: &Relation, line: u64) -> Result<(), StoreError> {
        crate::seam::refuse_empty_id(relation, &self.origins, line)?;
        self.relations.push(
            relation.id.as_bytes().to_vec(),
            encode_relation(relation),
            line,
        )?;
        crate::fault::point();
        Ok(())
    }

    fn put_profiles(&mut self, profiles: &[ProfileInfo]) -> Result<(), StoreError> {
        self.profiles.extend_from_slice(profiles);
        Ok(())
    }

    fn seal(
        mut self,
        source: &str,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<Meta, StoreError> {
        let total = self.entities.len() + self.relations.len();
        let mut done = 0u64;
        let mut step = |n: u64| {
            done += n;
            if done.is_multiple_of(BATCH as u64) || done == total {
                progress(done, total);
            }
        };
        let mut hasher = RecordHasher::new();
        let entities =
            std::mem::replace(&mut self.entities, SortedRuns::new(&self.spill, ENTITIES));
        let relations =
            std::mem::replace(&mut self.relations, SortedRuns::new(&self.spill, RELATIONS));
        let origins = self.origins.clone();
        let entity_count = self.merge(
            entities,
            (ENTITIES, ENTITIES_PER_VALUE),
            (&origins.entities, "entity"),
            &mut hasher,
            &mut step,
        )?;
        hasher.record(&[]);
        let relation_count = self.merge(
            relations,
            (RELATIONS, RELATIONS_PER_VALUE),
            (&origins.relations, "relation"),
            &mut hasher,
            &mut step,
        )?;
        let _ = std::fs::remove_dir_all(&self.spill);
        self.profiles.sort_by(|a, b| a.id.cmp(&b.id));
        let profiles = encode(&self.profiles);
        let meta = self
            .db
            .open_tree(META)
            .map_err(sled_err(&self.generation))?;
        if !self.profiles.is_empty() {
            meta.insert(META_PROFILES, profiles.as_slice())
                .map_err(sled_err(&self.generation))?;
        }
        let fingerprint = hasher.finish(&profiles);
        crate::fault::point();
        let sealed = seal(
            &self.generation,
            &self.db,
            &meta,
            &fingerprint,
            source,
            (entity_count, relation_count),
        )?;
        if let Some(indexer) = self.indexer {
            // Built from what was stored, read back, so the index cannot
            // describe other records than the generation's.
            let dataset = read_dataset(&self.db, &self.generation, &sealed)?;
            index_file::write(&self.generation, &sealed.fingerprint, &indexer(dataset))?;
        }
        // Complete, but not current until the caller renames `CURRENT`.
        crate::fault::last_point();
        Ok(sealed)
    }
}

/// Records gathered into one sled value: their encodings end to end, which
/// postcard reads back one after another; keyed by the first record's key,
/// so the tree stays in id order.
#[derive(Default)]
struct Chunk {
    key: Vec<u8>,
    value: Vec<u8>,
    records: usize,
}

impl Chunk {
    fn add(&mut self, key: Vec<u8>, value: &[u8]) {
        if self.records == 0 {
            self.key = key;
        }
        self.value.extend_from_slice(value);
        self.records += 1;
    }

    fn take(&mut self) -> (Vec<u8>, Vec<u8>) {
        self.records = 0;
        (
            std::mem::take(&mut self.key),
            std::mem::take(&mut self.value),
        )
    }
}
