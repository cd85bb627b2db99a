//! What a store folder holds: generations (`gen-*` folders, each a complete
//! sled database), the `CURRENT` file naming the one served, and each
//! generation's metadata.

use crate::layout::*;
use crate::seam::RecordHasher;
use crate::sled_db::{corrupt, encode, encode_relation, io, sled_err};
use crate::StoreError;
use govgraph_model::Dataset;
use std::fs;
use std::path::{Path, PathBuf};

/// The version of the key layout and record encoding this build writes and reads
/// (4: record trees only, fingerprints of the records in id order; 5: many
/// relations to a sled value; 6: many entities to a value, derived relation
/// ids left out of the records, the index file compressed).
pub const SCHEMA_VERSION: u32 = 6;

/// The file naming the current generation.
pub(crate) const CURRENT: &str = "CURRENT";

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

/// A stable hash of a dataset's content, independent of file layout and order:
/// the one sealing a generation of the same records computes (see
/// [`crate::seam`]), so a dataset and the store holding it agree.
pub fn fingerprint(dataset: &Dataset) -> String {
    let mut canonical = dataset.clone();
    canonical.canonicalize();
    let mut hasher = RecordHasher::new();
    for entity in &canonical.entities {
        hasher.record(&encode(entity));
    }
    hasher.record(&[]);
    for relation in &canonical.relations {
        hasher.record(&encode_relation(relation));
    }
    hasher.finish(&encode(&canonical.profiles))
}

/// The folder of the generation `CURRENT` names (which may be gone already).
pub(crate) fn current_generation(path: &Path) -> Result<PathBuf, StoreError> {
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
pub(crate) fn missing_generation(path: &Path, generation: &Path) -> Option<StoreError> {
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

/// Reads and checks the metadata of the generation open as `db` (`path` names
/// it in errors): its schema version, completion mark, fingerprint and counts.
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

/// Whether `name` is a generation folder's (`gen-` and letters, digits, dashes).
pub(crate) fn is_generation_name(name: &str) -> bool {
    name.strip_prefix("gen-").is_some_and(|rest| {
        !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    })
}
