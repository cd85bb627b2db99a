//! The few ways reading a profile can fail outright; everything milder is a diagnostic.

use std::path::PathBuf;

/// A profile that cannot be used at all.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// The file does not exist.
    #[error("profile file `{}` does not exist; expected an MGI profile in markdown", path.display())]
    NotFound {
        /// The path that was asked for.
        path: PathBuf,
    },
    /// The file exists but could not be read (a directory, no permission, …).
    #[error("cannot read profile file `{}`: {source}; expected a readable markdown file", path.display())]
    Io {
        /// The path that was asked for.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The file holds bytes that are not UTF-8, so it is not markdown text.
    #[error("profile file `{}` is not UTF-8 text (first invalid byte at offset {offset}); expected UTF-8 markdown", path.display())]
    NotUtf8 {
        /// The path that was read.
        path: PathBuf,
        /// Byte offset of the first byte that is not valid UTF-8.
        offset: usize,
    },
    /// The file is empty or holds only white space.
    #[error("profile file `{}` is empty; expected the markdown text of an MGI profile", path.display())]
    Empty {
        /// The path that was read.
        path: PathBuf,
    },
    /// The profile has no Key Sources section, so there is nothing to build a graph from.
    #[error("the profile has no KEY SOURCES section (sections found: {sections}); expected a heading or a line `KEY SOURCES`")]
    NoKeySources {
        /// The labels of the sections that were found, comma-separated.
        sections: String,
    },
}
