//! The storage seam: what every import writes a generation through, and what
//! reading one gives back. Both imports (a validated dataset, a streamed CSV
//! pair) feed a [`GenerationWriter`]; the sled store and an in-memory
//! generation for tests implement it, so the import code does not know where
//! records go.
//!
//! A writer takes records in any order and keeps them in id order, where a
//! repeated id is refused naming both places it came from; sealing computes the
//! fingerprint from the records in id order, so the same records give the same
//! fingerprint whatever their source or order.

use crate::generation::Meta;
use crate::StoreError;
use govgraph_model::{Dataset, Entity, ProfileInfo, Relation};
use std::path::{Path, PathBuf};

/// Where an import puts the records of one new generation.
pub trait GenerationWriter {
    /// What sealing gives: the new generation's metadata, or the generation itself.
    type Sealed;

    /// Adds `entity`, read at `line` of its source (1-based; its position in
    /// a dataset when it has no file).
    fn put_entity(&mut self, entity: &Entity, line: u64) -> Result<(), StoreError>;

    /// Adds `relation`, read at `line` of its source.
    fn put_relation(&mut self, relation: &Relation, line: u64) -> Result<(), StoreError>;

    /// Records the profiles the data comes from.
    fn put_profiles(&mut self, profiles: &[ProfileInfo]) -> Result<(), StoreError>;

    /// Writes every record in id order and completes the generation; a
    /// repeated id fails here. `progress(done, total)` counts records written.
    fn seal(
        self,
        source: &str,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<Self::Sealed, StoreError>;
}

/// A complete generation, read back.
pub trait GenerationReader {
    /// Facts about it.
    fn meta(&self) -> &Meta;

    /// Its whole dataset, in id order.
    fn dataset(&self) -> Result<Dataset, StoreError>;
}

/// The files records come from, so that a repeated id names its file.
#[derive(Debug, Clone)]
pub struct Origins {
    /// Where the entities come from.
    pub entities: PathBuf,
    /// Where the relations come from.
    pub relations: PathBuf,
}

impl Origins {
    /// Records of a dataset in memory, cited by their position in it.
    pub fn dataset() -> Self {
        Origins {
            entities: PathBuf::from("<dataset entities>"),
            relations: PathBuf::from("<dataset relations>"),
        }
    }

    /// The error for a repeated `what` id `key`, first at `first`, again at `second`.
    pub(crate) fn duplicate(
        file: &Path,
        what: &str,
        key: &[u8],
        first: u64,
        second: u64,
    ) -> StoreError {
        StoreError::Invalid {
            file: file.to_owned(),
            line: second,
            message: format!(
                "duplicate {what} id `{}` (first on line {first})",
                String::from_utf8_lossy(key)
            ),
        }
    }
}

/// Refuses a relation with an empty id, which the model's rules never let
/// through: a stored record leaves a derived id out as an empty one, so an
/// empty id would come back as the derived one.
pub(crate) fn refuse_empty_id(
    relation: &Relation,
    origins: &Origins,
    line: u64,
) -> Result<(), StoreError> {
    if relation.id.is_empty() {
        return Err(StoreError::Invalid {
            file: origins.relations.clone(),
            line,
            message: govgraph_model::RecordViolation::EmptyRelationId.to_string(),
        });
    }
    Ok(())
}

/// Builds a generation's persisted index from its records, read back once
/// they are sealed: bytes the store keeps opaque and gives back through
/// [`crate::Store::index`] (the graph crate's `Graph::to_index`).
pub type Indexer<'a> = &'a dyn Fn(Dataset) -> Vec<u8>;

/// Writes `dataset` through `writer` and seals it.
pub fn write_dataset<W: GenerationWriter>(
    mut writer: W,
    dataset: &Dataset,
    source: &str,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<W::Sealed, StoreError> {
    for (i, entity) in dataset.entities.iter().enumerate() {
        writer.put_entity(entity, i as u64 + 1)?;
    }
    for (i, relation) in dataset.relations.iter().enumerate() {
        writer.put_relation(relation, i as u64 + 1)?;
    }
    writer.put_profiles(&dataset.profiles)?;
    writer.seal(source, progress)
}

/// The fingerprint of records met in id order: each encoded record, length
/// first, entities then relations, then the profiles.
pub(crate) struct RecordHasher(blake3::Hasher);

impl RecordHasher {
    pub(crate) fn new() -> Self {
        let mut hasher = blake3::Hasher::new();
        hasher.update(b"govgraph records 1\n");
        RecordHasher(hasher)
    }

    /// Adds one encoded record (or the end-of-entities mark, an empty one).
    pub(crate) fn record(&mut self, encoded: &[u8]) {
        self.0.update(&(encoded.len() as u64).to_le_bytes());
        self.0.update(encoded);
    }

    /// The fingerprint, after the encoded profiles.
    pub(crate) fn finish(mut self, profiles: &[u8]) -> String {
        self.record(profiles);
        self.0.finalize().to_hex().to_string()
    }
}
