//! sled underneath a store: opening a database while waiting out a briefly
//! held lock, sled's settings for imports, its errors as [`StoreError`]s, and
//! the binary encoding of records.

use crate::StoreError;
use govgraph_model::{relation_id, Evidence, Relation, RelationType};
use std::path::Path;
use std::time::{Duration, Instant};

/// How long opening waits for a lock left by a just-closed handle.
const LOCK_WAIT: Duration = Duration::from_secs(3);
/// sled's page cache while importing: keys arrive in order, so only the right
/// edge of each tree is hot (sled's default is 1 GiB).
const IMPORT_CACHE_BYTES: u64 = 256 * 1024 * 1024;

/// Maps an I/O error of `action` on `path` to [`StoreError::Io`].
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

/// Maps a sled error on the store or generation at `path` to [`StoreError::Sled`].
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
    wait_for_lock(|| config.open(), generation, LOCK_WAIT)
}

/// Calls `open` until it answers anything but lock contention, for at most
/// `wait`; contention that outlasts it is [`StoreError::Busy`].
fn wait_for_lock<T>(
    mut open: impl FnMut() -> Result<T, sled::Error>,
    generation: &Path,
    wait: Duration,
) -> Result<T, StoreError> {
    let started = Instant::now();
    let mut pause = Duration::from_millis(5);
    loop {
        match open() {
            Ok(opened) => return Ok(opened),
            Err(error) if is_lock_contention(&error) => {
                if started.elapsed() >= wait {
                    return Err(StoreError::Busy {
                        path: generation.to_owned(),
                    });
                }
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(200));
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

/// Whether `error` is sled's report of a lock another handle holds.
///
/// sled 0.34 gives it no kind of its own: it is an `Other` I/O error whose text
/// names it, so the text is matched here and nowhere else, and the tests below
/// hold a real lock to prove the match still recognises it.
fn is_lock_contention(error: &sled::Error) -> bool {
    matches!(error, sled::Error::Io(e) if e.kind() == std::io::ErrorKind::Other && e.to_string().contains("could not acquire lock"))
}

/// A [`StoreError::Corrupt`] of the store at `path`.
pub(crate) fn corrupt(path: &Path, what: impl Into<String>) -> StoreError {
    StoreError::Corrupt {
        path: path.to_owned(),
        what: what.into(),
    }
}

/// Decodes a record written by [`encode`]; undecodable bytes are corruption.
pub(crate) fn decode<T: serde::de::DeserializeOwned>(
    path: &Path,
    bytes: &[u8],
) -> Result<T, StoreError> {
    postcard::from_bytes(bytes).map_err(|e| corrupt(path, format!("undecodable record: {e}")))
}

/// Records are postcard: a compact binary form of the model's plain structs,
/// several times smaller and faster to read back than JSON (schema version 2).
pub(crate) fn encode<T: serde::Serialize>(record: &T) -> Vec<u8> {
    postcard::to_allocvec(record)
        .expect("records are plain structs of strings and numbers, which postcard always encodes")
}

/// A relation as stored: postcard writes fields in order, so this mirrors
/// [`Relation`], but its id is left empty when it is the one derived from its
/// ends and type (`source|TYPE|target`, see [`relation_id`]), as most are:
/// written out, it was about a third of every record. Validation never lets
/// an empty id through, so an empty one always means "derived".
#[derive(serde::Serialize)]
struct StoredRelation<'r> {
    id: &'r str,
    ty: RelationType,
    source: &'r str,
    target: &'r str,
    since: Option<i32>,
    until: Option<i32>,
    evidence: &'r [Evidence],
}

/// The stored encoding of `relation` (see [`StoredRelation`]).
pub(crate) fn encode_relation(relation: &Relation) -> Vec<u8> {
    let derived = is_derived_id(relation);
    encode(&StoredRelation {
        id: if derived { "" } else { &relation.id },
        ty: relation.ty,
        source: &relation.source,
        target: &relation.target,
        since: relation.since,
        until: relation.until,
        evidence: &relation.evidence,
    })
}

/// Gives a relation read back its derived id when it was stored without one.
pub(crate) fn restore_relation_id(relation: &mut Relation) {
    if relation.id.is_empty() {
        relation.id = relation_id(&relation.source, relation.ty, &relation.target);
    }
}

/// Whether `relation`'s id is the one derived from its ends and type,
/// compared piece by piece (a million formatted ids would be a million
/// allocations on the import's path).
fn is_derived_id(relation: &Relation) -> bool {
    relation
        .id
        .strip_prefix(relation.source.as_str())
        .and_then(|rest| rest.strip_prefix('|'))
        .and_then(|rest| rest.strip_prefix(relation.ty.as_str()))
        .and_then(|rest| rest.strip_prefix('|'))
        == Some(relation.target.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contention() -> sled::Error {
        sled::Error::Io(std::io::Error::other(
            "could not acquire lock on \"db\": held",
        ))
    }

    #[test]
    fn contention_is_waited_out_and_other_errors_are_not() {
        let mut calls = 0;
        let opened = wait_for_lock(
            || {
                calls += 1;
                if calls < 4 {
                    Err(contention())
                } else {
                    Ok(calls)
                }
            },
            Path::new("gen-x"),
            Duration::from_secs(60),
        );
        assert_eq!(opened.ok(), Some(4));
        let mut calls = 0;
        let failed = wait_for_lock::<()>(
            || {
                calls += 1;
                Err(sled::Error::Unsupported("no".into()))
            },
            Path::new("gen-x"),
            Duration::from_secs(60),
        );
        assert!(matches!(failed, Err(StoreError::Sled { .. })), "{failed:?}");
        assert_eq!(calls, 1, "a real failure is not retried");
    }

    #[test]
    fn contention_past_the_wait_is_busy() {
        let busy = wait_for_lock::<()>(|| Err(contention()), Path::new("gen-x"), Duration::ZERO);
        assert!(matches!(busy, Err(StoreError::Busy { .. })), "{busy:?}");
    }

    /// The text match recognises the error sled really gives for a lock held
    /// by another handle (two handles of one process conflict as two
    /// processes do: the lock belongs to the open file).
    #[test]
    fn a_real_held_lock_is_recognised_as_contention() {
        let dir = tempfile::tempdir().expect("temp dir");
        let config = sled::Config::new().path(dir.path().join("gen-x"));
        let _held = config.open().expect("first handle");
        let second = config.open().expect_err("the second handle is refused");
        assert!(is_lock_contention(&second), "{second:?}");
        let busy = wait_for_lock(|| config.open(), dir.path(), Duration::ZERO).expect_err("busy");
        assert!(matches!(busy, StoreError::Busy { .. }), "{busy:?}");
        assert!(
            busy.to_string().contains("in use by another process"),
            "{busy}"
        );
    }

    /// A derived id is left out and comes back; an explicit one, even one
    /// that merely looks derived for other ends, is kept as it is.
    #[test]
    fn derived_relation_ids_are_left_out_and_come_back() {
        let relation = |id: &str| Relation {
            id: id.into(),
            ty: RelationType::PartyTo,
            source: "country:AZE".into(),
            target: "agreement:x".into(),
            since: Some(2001),
            until: None,
            evidence: vec![Evidence::new("2.1", "a quote")],
        };
        for (id, stored_without_id) in [
            ("country:AZE|PARTY_TO|agreement:x", true),
            ("country:AZE|PARTY_TO|agreement:y", false),
            ("country:AZE|MEMBER_OF|agreement:x", false),
            ("country:AZE|PARTY_TO|agreement:x|2", false),
            ("agreement-membership-7", false),
        ] {
            let original = relation(id);
            let bytes = encode_relation(&original);
            let mut back: Relation = postcard::from_bytes(&bytes).expect("decodes as a relation");
            assert_eq!(back.id.is_empty(), stored_without_id, "{id}");
            restore_relation_id(&mut back);
            assert_eq!(back, original);
            if !stored_without_id {
                assert_eq!(
                    bytes,
                    encode(&original),
                    "{id}: stored as the model writes it"
                );
            }
        }
    }
}
