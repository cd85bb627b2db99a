//! File locks that keep readers, importers and servers of one store out of
//! each other's way.
//!
//! - A reader *pins* the generation it opens: a shared lock on the generation's
//!   `readers.lock`. An import removes an old generation only after taking that
//!   lock exclusively, so it never deletes a generation someone is opening or
//!   reading; a pinned generation is left for a later import to remove.
//! - A running server holds a shared lock on the store's `serving.lock` for its
//!   whole life. A server that wants to replace the data (`serve --data`) must
//!   first take that lock exclusively, so it cannot silently overwrite the store
//!   another server answers from.
//!
//! The locks are advisory `flock`s, released by the kernel when their holder
//! exits, however it exits: a killed process never leaves a stale lock.

use crate::sled_db::io;
use crate::StoreError;
use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};

/// The pin file inside each generation folder.
const READERS: &str = "readers.lock";
/// The file a running server locks in the store folder.
const SERVING: &str = "serving.lock";

/// A shared lock on one generation: while it is held, no import removes it.
#[derive(Debug)]
pub(crate) struct Pin {
    _file: Option<File>,
}

/// What [`pin`] found.
pub(crate) enum Pinned {
    /// The generation is pinned and still there.
    Held(Pin),
    /// The generation was removed before it could be pinned: read `CURRENT` again.
    Gone,
}

/// Pins `generation`, if it still exists.
pub(crate) fn pin(generation: &Path) -> Result<Pinned, StoreError> {
    let path = generation.join(READERS);
    let file = match open_lock_file(&path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Pinned::Gone),
        // A store on a read-only medium cannot be imported into either, so
        // there is nothing to keep out.
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            return Ok(Pinned::Held(Pin { _file: None }))
        }
        Err(e) => return Err(io("open", &path)(e)),
    };
    file.lock_shared().map_err(io("lock", &path))?;
    // An import may have removed the folder between our open and our lock (it
    // holds the lock exclusively while it deletes, so by now it is done).
    if !path.exists() {
        return Ok(Pinned::Gone);
    }
    Ok(Pinned::Held(Pin { _file: Some(file) }))
}

/// Removes `generation` unless a reader has it pinned. Returns whether it did.
/// Called only under the import lock.
pub(crate) fn remove_unpinned(generation: &Path) -> bool {
    let path = generation.join(READERS);
    // Created when missing, so that a reader arriving now pins the same file.
    let Ok(file) = open_lock_file(&path) else {
        return false;
    };
    match file.try_lock() {
        Ok(()) => fs::remove_dir_all(generation).is_ok(),
        Err(_) => false,
    }
}

fn open_lock_file(path: &Path) -> std::io::Result<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
}

/// A running server's claim on a store (see the module docs).
#[derive(Debug)]
pub struct ServerClaim {
    file: File,
    path: PathBuf,
}

impl ServerClaim {
    /// Claims the store at `store` for serving, alongside any other server.
    /// Fails with [`StoreError::Served`] only while another server is replacing
    /// the store's data.
    pub fn shared(store: &Path) -> Result<ServerClaim, StoreError> {
        let claim = ServerClaim::open(store)?;
        claim
            .file
            .try_lock_shared()
            .map_err(|_| StoreError::Served { path: store.into() })?;
        Ok(claim)
    }

    /// Claims the store at `store` for a server that will replace its data.
    /// Fails with [`StoreError::Served`] when another server holds a claim.
    pub fn exclusive(store: &Path) -> Result<ServerClaim, StoreError> {
        let claim = ServerClaim::open(store)?;
        claim
            .file
            .try_lock()
            .map_err(|_| StoreError::Served { path: store.into() })?;
        Ok(claim)
    }

    /// Turns an exclusive claim into a shared one, once the data is in place.
    pub fn share(self) -> Result<ServerClaim, StoreError> {
        // flock converts the lock in place; other servers may claim it from now.
        self.file.lock_shared().map_err(io("lock", &self.path))?;
        Ok(self)
    }

    fn open(store: &Path) -> Result<ServerClaim, StoreError> {
        fs::create_dir_all(store).map_err(io("create", store))?;
        let path = store.join(SERVING);
        let file = open_lock_file(&path).map_err(io("open", &path))?;
        Ok(ServerClaim { file, path })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pinned_generation_is_not_removed_and_an_unpinned_one_is() {
        let dir = tempfile::tempdir().expect("temp dir");
        let generation = dir.path().join("gen-1");
        fs::create_dir_all(&generation).expect("generation");
        let Pinned::Held(held) = pin(&generation).expect("pin") else {
            panic!("the generation exists")
        };
        assert!(!remove_unpinned(&generation), "a reader holds it");
        assert!(generation.is_dir());
        drop(held);
        assert!(remove_unpinned(&generation));
        assert!(!generation.exists());
        assert!(matches!(pin(&generation), Ok(Pinned::Gone)));
        assert!(!generation.exists(), "pinning never creates a folder");
    }

    #[test]
    fn a_server_cannot_replace_data_another_server_answers_from() {
        let dir = tempfile::tempdir().expect("temp dir");
        let first = ServerClaim::shared(dir.path()).expect("first server");
        let second = ServerClaim::shared(dir.path()).expect("servers share a store");
        let refused = ServerClaim::exclusive(dir.path()).expect_err("refused");
        assert!(matches!(refused, StoreError::Served { .. }), "{refused}");
        drop((first, second));
        let importing = ServerClaim::exclusive(dir.path()).expect("alone now");
        assert!(
            ServerClaim::shared(dir.path()).is_err(),
            "not while it imports"
        );
        let serving = importing.share().expect("share");
        let _other = ServerClaim::shared(dir.path()).expect("shared again");
        drop(serving);
    }
}
