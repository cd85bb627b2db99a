//! The persisted index beside a generation's records: the file `index` in the
//! generation's folder, holding bytes the store keeps opaque (the graph crate
//! writes and reads them). It is written while the generation is sealed, so it
//! is in place before `CURRENT` names the generation; a crash before that
//! leaves the old generation live.
//!
//! Layout: a magic line, the schema version (u32 LE), the fingerprint of the
//! generation it was built from (u16 LE length, then its text), the blake3
//! hash of the payload (32 bytes), then the payload. A reader serves the
//! payload only when all of them match the generation it opened, so a stale,
//! foreign or damaged index is rebuilt from the records, never served.

use crate::generation::{Meta, SCHEMA_VERSION};
use crate::sled_db::io;
use crate::StoreError;
use std::io::Write;
use std::path::Path;

/// The index file's name in a generation's folder.
const INDEX: &str = "index";
/// The first bytes of an index file.
const MAGIC: &[u8; 16] = b"govgraph index\n\0";

/// An index file's payload, kept in the buffer the file was read into (a
/// G2 index is hundreds of megabytes: copying it out of the header would
/// cost a second buffer and a pass over it at every start).
#[derive(Clone, Eq)]
pub struct IndexBytes {
    file: Vec<u8>,
    payload_at: usize,
}

impl std::ops::Deref for IndexBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.file[self.payload_at..]
    }
}

/// Equal when the payloads are, wherever they sit in their files.
impl PartialEq for IndexBytes {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl std::fmt::Debug for IndexBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "IndexBytes({} bytes)", self.len())
    }
}

/// What a generation's index file gives a reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoredIndex {
    /// The payload, checked to belong to this generation.
    Ready(IndexBytes),
    /// The generation has no index file.
    Missing,
    /// An index file that cannot be served, and why.
    Unusable(String),
}

/// Writes `payload` as the index of the generation at `generation`, whose
/// records have `fingerprint`, durably: a temporary file synced, then renamed.
pub(crate) fn write(
    generation: &Path,
    fingerprint: &str,
    payload: &[u8],
) -> Result<(), StoreError> {
    let tmp = generation.join("index.tmp");
    let mut file = std::fs::File::create(&tmp).map_err(io("create", &tmp))?;
    let fingerprint_len =
        u16::try_from(fingerprint.len()).expect("a fingerprint is a 64-character hex hash");
    let mut header = MAGIC.to_vec();
    header.extend_from_slice(&SCHEMA_VERSION.to_le_bytes());
    header.extend_from_slice(&fingerprint_len.to_le_bytes());
    header.extend_from_slice(fingerprint.as_bytes());
    header.extend_from_slice(blake3::hash(payload).as_bytes());
    file.write_all(&header).map_err(io("write", &tmp))?;
    file.write_all(payload).map_err(io("write", &tmp))?;
    file.sync_all().map_err(io("sync", &tmp))?;
    crate::fault::point();
    let path = generation.join(INDEX);
    std::fs::rename(&tmp, &path).map_err(io("rename", &tmp))?;
    std::fs::File::open(generation)
        .and_then(|d| d.sync_all())
        .map_err(io("sync", generation))
}

/// The index of the generation at `generation`, described by `meta`.
pub(crate) fn read(generation: &Path, meta: &Meta) -> Result<StoredIndex, StoreError> {
    let path = generation.join(INDEX);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(StoredIndex::Missing),
        Err(e) => return Err(io("read", &path)(e)),
    };
    Ok(match check(&bytes, meta) {
        Ok(payload) => StoredIndex::Ready(IndexBytes {
            payload_at: bytes.len() - payload.len(),
            file: bytes,
        }),
        Err(why) => StoredIndex::Unusable(why),
    })
}

/// The payload of `bytes` when its header matches `meta`; else why not.
fn check<'b>(bytes: &'b [u8], meta: &Meta) -> Result<&'b [u8], String> {
    let rest = bytes
        .strip_prefix(MAGIC.as_slice())
        .ok_or("not an index file")?;
    let (version, rest) = take(rest, 4)?;
    let version = u32::from_le_bytes(version.try_into().map_err(|_| "cut off")?);
    if version != SCHEMA_VERSION {
        return Err(format!(
            "written for schema {version}, this build reads {SCHEMA_VERSION}"
        ));
    }
    let (len, rest) = take(rest, 2)?;
    let len = u16::from_le_bytes(len.try_into().map_err(|_| "cut off")?);
    let (fingerprint, rest) = take(rest, usize::from(len))?;
    if fingerprint != meta.fingerprint.as_bytes() {
        return Err("built from other records than this generation's".into());
    }
    let (hash, payload) = take(rest, 32)?;
    if hash != blake3::hash(payload).as_bytes() {
        return Err("damaged: its checksum does not match".into());
    }
    Ok(payload)
}

/// The first `n` bytes of `bytes` and the rest, or the error of a file cut short.
fn take(bytes: &[u8], n: usize) -> Result<(&[u8], &[u8]), String> {
    bytes
        .split_at_checked(n)
        .ok_or_else(|| "cut off".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(fingerprint: &str) -> Meta {
        Meta {
            schema_version: SCHEMA_VERSION,
            fingerprint: fingerprint.to_owned(),
            entities: 0,
            relations: 0,
            source: String::new(),
        }
    }

    #[test]
    fn an_index_is_served_only_to_its_own_generation_and_undamaged() {
        let dir = tempfile::tempdir().unwrap();
        let ours = meta(&"a".repeat(64));
        assert_eq!(read(dir.path(), &ours).unwrap(), StoredIndex::Missing);
        write(dir.path(), &ours.fingerprint, b"payload").unwrap();
        assert_eq!(
            read(dir.path(), &ours).unwrap(),
            StoredIndex::Ready(IndexBytes {
                payload_at: 0,
                file: b"payload".to_vec()
            })
        );
        let unusable = |m: &Meta| match read(dir.path(), m).unwrap() {
            StoredIndex::Unusable(why) => why,
            other => panic!("served {other:?}"),
        };
        assert!(unusable(&meta(&"b".repeat(64))).contains("other records"));
        let path = dir.path().join(INDEX);
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        assert!(unusable(&ours).contains("damaged"));
        std::fs::write(&path, &bytes[..MAGIC.len() + 3]).unwrap();
        assert!(unusable(&ours).contains("cut off"));
        std::fs::write(&path, b"something else").unwrap();
        assert!(unusable(&ours).contains("not an index"));
        assert!(
            !dir.path().join("index.tmp").exists(),
            "no temporary file is left"
        );
    }
}
