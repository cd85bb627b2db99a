//! The bulk CSV layout (the pair of files `neo4j-admin database import` reads)
//! that the exporter and the synthetic-graph generator write, so the two never
//! disagree about a column. The bulk importer does not take these lists: it
//! finds its columns by name in whatever header a file has (neo4j's own files
//! order and type them differently); `tests/e2e/bulk.rs` imports what the
//! generator writes.

/// The header of `nodes.csv`.
pub const NODES_HEADER: &[&str] = &[
    "id:ID",
    "name",
    "kind",
    "year:int",
    "aliases:string[]",
    ":LABEL",
];

/// The header of `relationships.csv`.
pub const RELATIONSHIPS_HEADER: &[&str] = &[
    ":START_ID",
    ":END_ID",
    ":TYPE",
    "id",
    "since:int",
    "until:int",
    "evidence_sections:string[]",
    "evidence",
];
