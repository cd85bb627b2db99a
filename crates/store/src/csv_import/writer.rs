//! Feeding a CSV pair to a [`GenerationWriter`] in two passes: the nodes are
//! read, checked and handed over (keeping only each id's kind), then the
//! relationships, their ends checked against those kinds. The writer keeps
//! them in id order and finds repeated ids when it is sealed.

use super::reader::CsvReader;
use super::records::{NodeColumns, RelationshipColumns};
use super::{invalid, CsvFiles, CsvWarning};
use crate::import::BATCH;
use crate::seam::GenerationWriter;
use crate::StoreError;
use govgraph_model::checks::Ends;
use govgraph_model::Limits;
use std::path::Path;

/// What the passes share: the limits, the warnings noticed, and the progress
/// callback with the pair's total size in bytes (reading is the first half of
/// the progress, sealing the second).
pub(super) struct Pass<'p> {
    pub(super) limits: &'p Limits,
    pub(super) warnings: &'p mut Vec<CsvWarning>,
    pub(super) progress: &'p mut dyn FnMut(u64, u64),
    pub(super) total: u64,
}

/// Reads both files of `files` into `writer`; sealing is the caller's.
pub(super) fn read_pair<W: GenerationWriter>(
    writer: &mut W,
    files: CsvFiles<'_>,
    pass: &mut Pass<'_>,
) -> Result<(), StoreError> {
    let (ends, nodes_bytes) = read_nodes(writer, files.nodes, pass)?;
    read_relationships(writer, files.relationships, (&ends, nodes_bytes), pass)
}

/// The first pass: every entity of `file` read, checked and handed over;
/// returns the entities' ids and kinds and the bytes read.
fn read_nodes<W: GenerationWriter>(
    writer: &mut W,
    file: &Path,
    pass: &mut Pass<'_>,
) -> Result<(Ends, u64), StoreError> {
    let mut reader = CsvReader::open(file, pass.limits)?;
    let columns = NodeColumns::new(file, reader.headers()?)?;
    let mut ends = Ends::default();
    let mut record = csv::StringRecord::new();
    let mut in_batch = 0usize;
    while reader.next(&mut record)? {
        let line = record.position().map_or(0, csv::Position::line);
        let entity = columns.entity(&record, line, pass.limits)?;
        if !ends.add(&entity) {
            let message = format!("duplicate entity id `{}`", entity.id);
            return Err(invalid(file, line, message));
        }
        writer.put_entity(&entity, line)?;
        in_batch += 1;
        if in_batch == BATCH {
            in_batch = 0;
            (pass.progress)(reader.bytes_read(), 2 * pass.total);
        }
    }
    reader.warnings(pass.warnings);
    let bytes = reader.bytes_read();
    (pass.progress)(bytes, 2 * pass.total);
    Ok((ends, bytes))
}

/// The second pass: every relation of `file` read, its ends checked against
/// the entities read before, and handed over.
fn read_relationships<W: GenerationWriter>(
    writer: &mut W,
    file: &Path,
    (ends, nodes_bytes): (&Ends, u64),
    pass: &mut Pass<'_>,
) -> Result<(), StoreError> {
    let mut reader = CsvReader::open(file, pass.limits)?;
    let columns = RelationshipColumns::new(file, reader.headers()?)?;
    let mut record = csv::StringRecord::new();
    let mut in_batch = 0usize;
    while reader.next(&mut record)? {
        let line = record.position().map_or(0, csv::Position::line);
        let relation = columns.relation(&record, line, ends, pass.limits)?;
        writer.put_relation(&relation, line)?;
        in_batch += 1;
        if in_batch == BATCH {
            in_batch = 0;
            (pass.progress)(nodes_bytes + reader.bytes_read(), 2 * pass.total);
        }
    }
    reader.warnings(pass.warnings);
    Ok(())
}
