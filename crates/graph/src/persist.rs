//! The graph as bytes and back: what an import stores beside the records so
//! that opening a store reads the built index instead of rebuilding it. The
//! bytes are postcard, behind a format number this build writes and reads;
//! checking that they belong to the generation (its fingerprint, a checksum)
//! is the store's, which keeps them opaque.

use crate::index::Graph;

/// The layout of the persisted graph this build writes and reads; raised
/// whenever a persisted field of `Graph` or its parts changes.
pub const INDEX_FORMAT: u32 = 3;

/// Why persisted bytes are not a graph this build can use.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// Written by a build with another layout.
    #[error("index format {found}, this build reads format {expected}")]
    Format {
        /// The format the bytes declare.
        found: u32,
        /// [`INDEX_FORMAT`].
        expected: u32,
    },
    /// Bytes that do not decode.
    #[error("the index does not decode: {0}")]
    Decode(#[from] postcard::Error),
}

impl Graph {
    /// The graph as bytes, for [`Graph::from_index`].
    pub fn to_index(&self) -> Vec<u8> {
        let bytes = INDEX_FORMAT.to_le_bytes().to_vec();
        postcard::to_extend(self, bytes)
            .expect("a graph is vectors, maps, strings and numbers, which postcard always encodes")
    }

    /// The graph [`Graph::to_index`] wrote.
    pub fn from_index(bytes: &[u8]) -> Result<Graph, IndexError> {
        let (format, payload) = bytes.split_at_checked(4).unwrap_or((&[], bytes));
        let found = format.try_into().map_or(0, u32::from_le_bytes);
        if found != INDEX_FORMAT {
            return Err(IndexError::Format {
                found,
                expected: INDEX_FORMAT,
            });
        }
        let mut graph: Graph = postcard::from_bytes(payload)?;
        graph.restore();
        Ok(graph)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::random_graph;
    use crate::{EdgeFilter, EntityIx, Measure};

    /// What a graph answers: the same after a round trip through its index.
    fn answers(g: &Graph) -> Vec<String> {
        let mut out = vec![format!("{} {}", g.entity_count(), g.relation_count())];
        for e in EntityIx::all(g.entity_count()).step_by(97) {
            let (reached, _) = g.bfs(e, 2, &EdgeFilter::traversal(None), usize::MAX);
            out.push(format!("{} {:?}", g.entity(e).id, reached));
        }
        let name = g.entity(EntityIx::new(0)).name.clone();
        out.push(format!("{:?}", g.search(&name, None, 5)));
        out.push(format!(
            "{:?}",
            g.top_central(Measure::PageRank, 5, |_| true)
        ));
        out
    }

    #[test]
    fn a_graph_comes_back_from_its_index_answering_the_same() {
        let g = random_graph(1_500, 4_000, 11);
        let bytes = g.to_index();
        let back = Graph::from_index(&bytes).expect("its own index");
        assert_eq!(answers(&back), answers(&g));
        // Maps are written in their own order, so compare sizes, not bytes.
        assert_eq!(back.to_index().len(), bytes.len());
    }

    #[test]
    fn another_format_or_damaged_bytes_are_refused() {
        let bytes = random_graph(50, 100, 3).to_index();
        let mut other = bytes.clone();
        other[..4].copy_from_slice(&(INDEX_FORMAT + 1).to_le_bytes());
        assert!(matches!(
            Graph::from_index(&other),
            Err(IndexError::Format { .. })
        ));
        assert!(Graph::from_index(&bytes[..bytes.len() / 2]).is_err());
        assert!(Graph::from_index(&[]).is_err());
    }
}
