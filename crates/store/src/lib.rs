//! Persistence of a dataset in sled, behind a small facade.
//!
//! A store is a folder holding generations: each import writes a complete new
//! sled database in a fresh `gen-*` folder, flushes it, and only then points the
//! `CURRENT` file at it with an atomic rename. A crash at any moment therefore
//! leaves `CURRENT` naming either the old complete generation or the new one.
//! The key layout inside a generation is private to this crate (see [`layout`]).
//!
//! Large graphs arrive as a `neo4j-admin` CSV pair: [`import_csv`] streams it
//! through sorted run files (`sorted_runs`) into a new generation, so memory is
//! bounded by the number of entities plus one run buffer per tree.

mod claims;
mod csv_import;
mod error;
mod fault;
mod generation;
mod import;
mod index_file;
mod layout;
mod memory;
mod reader;
mod seam;
mod sled_db;
mod sled_writer;
mod sorted_runs;

pub use claims::ServerClaim;
pub use csv_import::{import_csv, import_csv_with, read_csv_into, CsvFiles, CsvImport, CsvWarning};
pub use error::StoreError;
pub use generation::{fingerprint, Meta, SCHEMA_VERSION};
/// The size limits of a CSV import (a field, and so a record), shared with the TOML loader.
pub use govgraph_model::Limits;
pub use import::{import, import_indexed};
pub use index_file::{IndexReader, Payload, StoredIndex};
pub use memory::{MemoryGeneration, MemoryWriter};
pub use reader::Store;
pub use seam::{write_dataset, GenerationReader, GenerationWriter, Indexer, Origins};
