//! Where data files come from: a folder on disk, or files embedded in the binary.

use govgraph_model::Limits;
use std::path::{Path, PathBuf};

/// One data file: its name for messages and its raw bytes (checked for UTF-8 later).
#[derive(Debug, Clone)]
pub struct DataFile {
    /// Path or name shown in problems.
    pub name: String,
    /// The file's bytes; left empty when the file was larger than the limit
    /// (see [`read_dir_with`]), so that it was never read.
    pub bytes: Vec<u8>,
    /// The file's size in bytes, as found before reading it.
    pub size: u64,
}

impl DataFile {
    /// A file already in memory.
    pub fn new(name: impl Into<String>, bytes: Vec<u8>) -> Self {
        DataFile {
            name: name.into(),
            size: bytes.len() as u64,
            bytes,
        }
    }
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

/// Reads every `*.toml` file of `dir`, in file-name order, under the default [`Limits`].
pub fn read_dir(dir: &Path) -> Result<Vec<DataFile>, ReadDirError> {
    read_dir_with(dir, &Limits::default())
}

/// Reads every `*.toml` file of `dir`, in file-name order. A file larger than
/// `limits.max_file_bytes` is not read at all (its size is taken from the file
/// system first): it comes back without bytes, and loading it reports it.
pub fn read_dir_with(dir: &Path, limits: &Limits) -> Result<Vec<DataFile>, ReadDirError> {
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
        .map(|path| {
            let name = path.display().to_string();
            let read = std::fs::metadata(&path).and_then(|meta| {
                if meta.len() > limits.max_file_bytes {
                    return Ok(DataFile {
                        name,
                        bytes: Vec::new(),
                        size: meta.len(),
                    });
                }
                std::fs::read(&path).map(|bytes| DataFile::new(name, bytes))
            });
            read.map_err(|source| ReadDirError::Read { path, source })
        })
        .collect()
}
