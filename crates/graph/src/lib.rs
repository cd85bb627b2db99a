//! The in-memory index of a dataset: records, lookup tables and compact
//! adjacency rows, built once at start-up, and the traversals served to clients: neighbours filtered by
//! type and direction, k-hop neighbourhoods, shortest paths and ranked search.
//!
//! Entities and relations are kept sorted by id, so their positions double as
//! keyset order for pagination: a cursor is an id, and the page after it starts
//! at the first position whose id is greater. petgraph is used only where its
//! algorithms (rustworkx's centralities) are worth building its graph for.

mod adjacency;
mod analytics;
mod centrality;
mod filter;
mod ids;
mod index;
mod interrupt;
mod kpaths;
mod pagerank;
mod path;
mod persist;
mod relations;
mod search;
#[cfg(test)]
mod testing;

pub use analytics::{
    AnalyticsError, Implementation, ImplementationQuery, Network, NetworkEdge, NetworkNode,
    NetworkQuery, YearBucket, MAX_NETWORK_EDGES,
};
pub use centrality::Measure;

pub use filter::{Direction, EdgeFilter};
pub use index::{EntityIx, EntityList, Graph, RelationIx, Subgraph};
pub use interrupt::Interrupt;
pub use path::PathResult;
pub use persist::{IndexError, INDEX_FORMAT};
pub use relations::{EvidenceIter, EvidenceList, EvidenceRef, RelationRef};
pub use search::SearchHit;
