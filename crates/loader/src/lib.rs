//! Reads curated TOML data files into a validated [`Dataset`].
//!
//! Loading never stops at the first problem: every file is read and every
//! problem is reported with its file, line, column and field, so a curator fixes
//! a whole batch in one pass. Nothing is returned as a dataset unless it is clean.

mod problem;
mod profiles;
mod source;
mod toml_file;
mod validate;

pub use problem::{Problem, Problems};
pub use profiles::{load_profiles, ProfileFolder, SHARED_KINDS};
pub use source::{read_dir, DataFile, ReadDirError};
pub use validate::{load, Profile};
