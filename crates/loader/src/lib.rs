//! Reads curated TOML data files into a validated [`Dataset`].
//!
//! Loading never stops at the first problem: every file is read and every
//! problem is reported with its file, line, column and field, so a curator fixes
//! a whole batch in one pass. Nothing is returned as a dataset unless it is clean.
//!
//! The rules about one record's own fields (years, periods, section labels,
//! country codes, field sizes) are `govgraph_model::checks`, shared with the
//! bulk CSV import; [`Limits`] bounds the size of files and fields. A load that
//! succeeds may still carry warnings ([`Loaded`]): an empty file, or one that
//! does not end with a newline and so may have been cut off.

mod problem;
mod profiles;
mod source;
mod toml_file;
mod validate;

pub use govgraph_model::{Limits, Sections};
pub use problem::{Problem, Problems};
pub use profiles::{load_profiles, load_profiles_with, ProfileFolder, SHARED_KINDS};
pub use source::{read_dir, read_dir_with, DataFile, ReadDirError};
pub use validate::{load, load_with, Loaded, Profile};
