//! The in-memory side of the seam: a generation held in maps, for tests of
//! the import code that need no disk. It keeps the sled writer's promises:
//! records in id order, a repeated id refused with both lines, the same
//! fingerprint for the same records.

use crate::generation::{Meta, SCHEMA_VERSION};
use crate::seam::{GenerationReader, GenerationWriter, Origins, RecordHasher};
use crate::sled_db::{encode, encode_relation};
use crate::StoreError;
use govgraph_model::{Dataset, Entity, ProfileInfo, Relation};
use std::collections::BTreeMap;

/// A generation being written in memory.
#[derive(Debug)]
pub struct MemoryWriter {
    origins: Origins,
    /// Each record by id, with the line it came from.
    entities: BTreeMap<String, (Entity, u64)>,
    relations: BTreeMap<String, (Relation, u64)>,
    profiles: Vec<ProfileInfo>,
    /// The first repeated id, reported at sealing as the sled writer does.
    duplicate: Option<StoreError>,
}

/// A sealed in-memory generation.
#[derive(Debug, Clone, PartialEq)]
pub struct MemoryGeneration {
    meta: Meta,
    dataset: Dataset,
}

impl MemoryWriter {
    /// An empty generation whose repeated ids name `origins`.
    pub fn new(origins: Origins) -> Self {
        MemoryWriter {
            origins,
            entities: BTreeMap::new(),
            relations: BTreeMap::new(),
            profiles: Vec::new(),
            duplicate: None,
        }
    }
}

/// Inserts `record` under `id` unless the id is there already; then remembers
/// the repetition (the first one only).
fn insert<T>(
    map: &mut BTreeMap<String, (T, u64)>,
    (id, record, line): (&str, T, u64),
    (file, what): (&std::path::Path, &str),
    duplicate: &mut Option<StoreError>,
) {
    if let Some((_, first)) = map.get(id) {
        if duplicate.is_none() {
            *duplicate = Some(Origins::duplicate(file, what, id.as_bytes(), *first, line));
        }
        return;
    }
    map.insert(id.to_owned(), (record, line));
}

impl GenerationWriter for MemoryWriter {
    type Sealed = MemoryGeneration;

    fn put_entity(&mut self, entity: &Entity, line: u64) -> Result<(), StoreError> {
        let origin = (self.origins.entities.as_path(), "entity");
        let record = (entity.id.as_str(), entity.clone(), line);
        insert(&mut self.entities, record, origin, &mut self.duplicate);
        Ok(())
    }

    fn put_relation(&mut self, relation: &Relation, line: u64) -> Result<(), StoreError> {
        crate::seam::refuse_empty_id(relation, &self.origins, line)?;
        let origin = (self.origins.relations.as_path(), "relation");
        let record = (relation.id.as_str(), relation.clone(), line);
        insert(&mut self.relations, record, origin, &mut self.duplicate);
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
    ) -> Result<MemoryGeneration, StoreError> {
        if let Some(error) = self.duplicate {
            return Err(error);
        }
        let total = (self.entities.len() + self.relations.len()) as u64;
        let mut hasher = RecordHasher::new();
        let entities: Vec<Entity> = self.entities.into_values().map(|(e, _)| e).collect();
        entities.iter().for_each(|e| hasher.record(&encode(e)));
        hasher.record(&[]);
        let relations: Vec<Relation> = self.relations.into_values().map(|(r, _)| r).collect();
        relations
            .iter()
            .for_each(|r| hasher.record(&encode_relation(r)));
        self.profiles.sort_by(|a, b| a.id.cmp(&b.id));
        let fingerprint = hasher.finish(&encode(&self.profiles));
        progress(total, total);
        Ok(MemoryGeneration {
            meta: Meta {
                schema_version: SCHEMA_VERSION,
                fingerprint,
                entities: entities.len(),
                relations: relations.len(),
                source: source.to_owned(),
            },
            dataset: Dataset {
                entities,
                relations,
                profiles: self.profiles,
            },
        })
    }
}

impl GenerationReader for MemoryGeneration {
    fn meta(&self) -> &Meta {
        &self.meta
    }

    fn dataset(&self) -> Result<Dataset, StoreError> {
        Ok(self.dataset.clone())
    }
}
