//! Where data files come from: a folder on disk, or files embedded in the binary.

use std::path::{Path, PathBuf};

/// One data file: its name for messages and its raw bytes (checked for UTF-8 later).
#[derive(Debug, Clone)]
pub struct DataFile {
    /// Path or name shown in problems.
    pub name: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// A data folder that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadDirError {
    /// The folder does not exist or cannot be listed.
    #[error("cannot read the data folder {path}")]
    List {
        /// The folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A file in it cannot be read.
    #[error("cannot read the data file {path}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The folder holds no `*.toml` file.
    #[error("the data folder {path} holds no .toml file")]
    Empty {
        /// The folder.
        path: PathBuf,
    },
}

/// Reads every `*.toml` file of `dir`, in file-name order.
pub fn read_dir(dir: &Path) -> Result<Vec<DataFile>, ReadDirError> {
    let list_error = |source| ReadDirError::List {
        path: dir.to_owned(),
        source,
    };
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(list_error)? {
        let path = entry.map_err(list_error)?.path();
        if path.extension().is_some_and(|e| e == "toml") && path.is_file() {
            paths.push(path);
        }
    }
    if paths.is_empty() {
        return Err(ReadDirError::Empty {
            path: dir.to_owned(),
        });
    }
    paths.sort();
    paths
        .into_iter()
        .map(|path| match std::fs::read(&path) {
            Ok(bytes) => Ok(DataFile {
                name: path.display().to_string(),
                bytes,
            }),
            Err(source) => Err(ReadDirError::Read { path, source }),
        })
        .collect()
}
