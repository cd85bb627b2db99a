//! What can go wrong when opening, reading or writing a store.

use std::path::PathBuf;

/// A store that cannot be opened, read or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No store exists at the path.
    #[error(
        "no store at {path}; run `govgraph import --db {path}` (the default data; `--data DIR` for yours) or `govgraph serve --db {path}`"
    )]
    Missing {
        /// The store folder.
        path: PathBuf,
    },
    /// The store was written by an older schema version.
    #[error("the store at {path} was written by schema version {found}, this govgraph reads version {expected}: rebuild it with `govgraph import --data DIR --db {path}`")]
    OldSchema {
        /// The store folder.
        path: PathBuf,
        /// Version found in the store.
        found: u32,
        /// Version this build reads.
        expected: u32,
    },
    /// The store was written by a newer govgraph.
    #[error("the store at {path} was written by schema version {found}, newer than this govgraph's {expected}: upgrade govgraph or rebuild the store")]
    NewerSchema {
        /// The store folder.
        path: PathBuf,
        /// Version found in the store.
        found: u32,
        /// Version this build reads.
        expected: u32,
    },
    /// A record or the metadata cannot be decoded.
    #[error("the store at {path} is damaged: {what}")]
    Corrupt {
        /// The store folder.
        path: PathBuf,
        /// What could not be read.
        what: String,
    },
    /// A record of an imported CSV file is invalid; the store was left unchanged.
    #[error("{}:{line}: {message}", file.display())]
    Invalid {
        /// The CSV file.
        file: PathBuf,
        /// The line the record starts on (1-based; the header is line 1).
        line: u64,
        /// What is wrong with it.
        message: String,
    },
    /// Another process holds the store's generation open (sled locks it exclusively).
    #[error("the store generation {path} is in use by another process; stop it (a running `govgraph serve`?) or try again")]
    Busy {
        /// The generation folder.
        path: PathBuf,
    },
    /// Another running `govgraph serve` answers from the store, so its data is not replaced.
    #[error("the store {path} is in use by another running `govgraph serve`; its data is not replaced under it: give this server its own --db, or stop the other one")]
    Served {
        /// The store folder.
        path: PathBuf,
    },
    /// The store's current generation kept changing while it was being opened.
    #[error("the store {path} changed {attempts} times while it was being opened (imports running back to back?); try again")]
    Unsettled {
        /// The store folder.
        path: PathBuf,
        /// How many generations were tried.
        attempts: u32,
    },
    /// sled failed.
    #[error("database error in {path}")]
    Sled {
        /// The generation folder.
        path: PathBuf,
        /// sled's error.
        #[source]
        source: sled::Error,
    },
    /// A file-system operation failed.
    #[error("cannot {action} {path}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// The system's error.
        #[source]
        source: std::io::Error,
    },
}
