//! The bulk CSV layout (the pair of files `neo4j-admin database import` reads),
//! shared by the exporter, the synthetic-graph generator and the bulk importer so
//! that the three can never disagree about a column.

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
