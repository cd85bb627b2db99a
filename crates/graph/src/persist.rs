//! The graph as bytes and back: what an import stores beside the records so
//! that opening a store reads the built index instead of rebuilding it. The
//! bytes are postcard, behind a format number this build writes and reads;
//! checking that they belong to the generation (its fingerprint, a checksum)
//! is the store's, which keeps them opaque.
//!
//! They are decoded as they are read ([`Graph::read_index`]), through a
//! postcard flavor of our own: postcard's `from_io` needs a scratch buffer
//! fixed in advance and as large as the longest string, and reading the file
//! into one buffer first cost its size again in resident memory.

use crate::index::Graph;
use std::io::Read;

/// The layout of the persisted graph this build writes and reads; raised
/// whenever a persisted field of `Graph` or its parts changes.
pub const INDEX_FORMAT: u32 = 4;
/// Bytes read from the index at a time.
const READ_AHEAD: usize = 64 * 1024;

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
    /// Bytes left over after the graph: not an index this build wrote.
    #[error("the index has {0} bytes after the graph")]
    Trailing(u64),
    /// The bytes could not be read.
    #[error("cannot read the index: {0}")]
    Read(#[from] std::io::Error),
}

impl Graph {
    /// The graph as bytes, for [`Graph::read_index`].
    pub fn to_index(&self) -> Vec<u8> {
        let bytes = INDEX_FORMAT.to_le_bytes().to_vec();
        postcard::to_extend(self, bytes)
            .expect("a graph is vectors, maps, strings and numbers, which postcard always encodes")
    }

    /// The graph [`Graph::to_index`] wrote.
    pub fn from_index(bytes: &[u8]) -> Result<Graph, IndexError> {
        Graph::read_index(&mut &bytes[..], bytes.len() as u64)
    }

    /// The graph [`Graph::to_index`] wrote, read from `reader`, which holds
    /// `len` bytes of it; memory beyond the graph's own is a small read-ahead.
    pub fn read_index(reader: &mut impl Read, len: u64) -> Result<Graph, IndexError> {
        let mut format = [0u8; 4];
        let found = match reader.read_exact(&mut format) {
            Ok(()) => u32::from_le_bytes(format),
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => 0,
            Err(e) => return Err(e.into()),
        };
        if found != INDEX_FORMAT {
            return Err(IndexError::Format {
                found,
                expected: INDEX_FORMAT,
            });
        }
        let flavor = ReadFlavor::new(reader, len.saturating_sub(4));
        let mut deserializer = postcard::Deserializer::from_flavor(flavor);
        let mut graph = <Graph as serde::Deserialize>::deserialize(&mut deserializer)?;
        let left = deserializer.finalize()?;
        if left > 0 {
            return Err(IndexError::Trailing(left));
        }
        graph.restore();
        Ok(graph)
    }
}

/// postcard's input read from a `Read` through a read-ahead buffer. Nothing
/// in a graph borrows from its input, so only temporary takes are served:
/// from the read-ahead when it holds them, else from a scratch buffer that
/// grows as needed, never past the bytes the input has left (a damaged
/// length cannot ask for an absurd allocation).
struct ReadFlavor<'r, R> {
    reader: &'r mut R,
    ahead: Vec<u8>,
    at: usize,
    /// Bytes not read from `reader` yet.
    unread: u64,
    scratch: Vec<u8>,
}

impl<'r, R: Read> ReadFlavor<'r, R> {
    fn new(reader: &'r mut R, len: u64) -> Self {
        ReadFlavor {
            reader,
            ahead: Vec::with_capacity(READ_AHEAD),
            at: 0,
            unread: len,
            scratch: Vec::new(),
        }
    }

    fn buffered(&self) -> usize {
        self.ahead.len() - self.at
    }

    /// Reads the next bytes into the read-ahead, which must be used up.
    fn refill(&mut self) -> postcard::Result<()> {
        let want = READ_AHEAD.min(usize::try_from(self.unread).unwrap_or(READ_AHEAD));
        if want == 0 {
            return Err(postcard::Error::DeserializeUnexpectedEnd);
        }
        self.ahead.resize(want, 0);
        self.at = 0;
        self.reader
            .read_exact(&mut self.ahead)
            .map_err(|_| postcard::Error::DeserializeUnexpectedEnd)?;
        self.unread -= want as u64;
        Ok(())
    }
}

impl<'r, R: Read + 'r> postcard::de_flavors::Flavor<'r> for ReadFlavor<'r, R> {
    /// Bytes of the input not taken.
    type Remainder = u64;
    type Source = ();

    /// The bytes left: postcard then gives serde no size hint larger than
    /// what could follow, so a damaged length reserves nothing.
    fn size_hint(&self) -> Option<usize> {
        usize::try_from(self.unread + self.buffered() as u64).ok()
    }

    #[inline]
    fn pop(&mut self) -> postcard::Result<u8> {
        if self.at == self.ahead.len() {
            self.refill()?;
        }
        let byte = self.ahead[self.at];
        self.at += 1;
        Ok(byte)
    }

    fn try_take_n(&mut self, _ct: usize) -> postcard::Result<&'r [u8]> {
        // Only borrowed strings and byte slices ask for this; a graph has none.
        Err(postcard::Error::DeserializeBadEncoding)
    }

    #[inline]
    fn try_take_n_temp<'a>(&'a mut self, ct: usize) -> postcard::Result<&'a [u8]>
    where
        'r: 'a,
    {
        if ct <= self.buffered() {
            let taken = &self.ahead[self.at..self.at + ct];
            self.at += ct;
            return Ok(taken);
        }
        let missing = ct - self.buffered();
        if missing as u64 > self.unread {
            return Err(postcard::Error::DeserializeUnexpectedEnd);
        }
        self.scratch.clear();
        self.scratch.extend_from_slice(&self.ahead[self.at..]);
        self.at = self.ahead.len();
        // Grown as the bytes arrive, not sized first: a damaged length in a
        // damaged file must not make us allocate and fill what is not there.
        let read = (&mut *self.reader)
            .take(missing as u64)
            .read_to_end(&mut self.scratch)
            .map_err(|_| postcard::Error::DeserializeUnexpectedEnd)?;
        if read != missing {
            return Err(postcard::Error::DeserializeUnexpectedEnd);
        }
        self.unread -= missing as u64;
        Ok(&self.scratch)
    }

    fn finalize(self) -> postcard::Result<u64> {
        Ok(self.unread + self.buffered() as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::random_graph;
    use crate::{EdgeFilter, EntityIx, Measure, RelationIx};

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

    /// A reader that hands out at most a few bytes per call, as a slow file
    /// or pipe may.
    struct Trickle<'b> {
        bytes: &'b [u8],
        calls: usize,
    }

    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            self.calls += 1;
            let n = buf.len().min(1 + self.calls % 7).min(self.bytes.len());
            buf[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    /// Quotes longer than a read-ahead and than a written text piece, with
    /// characters of 2 to 4 bytes across every boundary, come back whole
    /// from a reader that trickles, and nothing left over is accepted.
    #[test]
    fn long_texts_come_back_whole_through_any_reader() {
        use govgraph_model::{Dataset, Entity, EntityKind, Evidence, Relation, RelationType};
        let entity = |id: &str| Entity {
            id: id.into(),
            kind: EntityKind::Institution,
            name: format!("name of {id} é"),
            aliases: vec![],
            year: None,
            attributes: Default::default(),
        };
        let quotes: Vec<String> = (0..6)
            .map(|i| "aé€😀".repeat(3_000 * i + 1 + i) + &"x".repeat(i))
            .collect();
        let relations = quotes
            .iter()
            .enumerate()
            .map(|(i, quote)| Relation {
                id: format!("a|COORDINATES_WITH|b{i}"),
                ty: RelationType::CoordinatesWith,
                source: "a".into(),
                target: format!("b{i}"),
                since: None,
                until: None,
                evidence: vec![Evidence::new("1.1", quote.clone())],
            })
            .collect();
        let mut entities = vec![entity("a")];
        entities.extend((0..quotes.len()).map(|i| entity(&format!("b{i}"))));
        let (g, _) = Graph::build(Dataset {
            entities,
            relations,
            profiles: Vec::new(),
        });
        let bytes = g.to_index();
        let mut trickle = Trickle {
            bytes: &bytes,
            calls: 0,
        };
        let back = Graph::read_index(&mut trickle, bytes.len() as u64).expect("its own index");
        let quotes_of = |g: &Graph| -> Vec<String> {
            RelationIx::all(g.relation_count())
                .map(|j| {
                    g.relation(j)
                        .evidence
                        .iter()
                        .next()
                        .expect("a quote")
                        .quote
                        .to_owned()
                })
                .collect()
        };
        let mut expected = quotes.clone();
        expected.sort();
        let mut found = quotes_of(&back);
        found.sort();
        assert_eq!(found, expected);
        assert_eq!(quotes_of(&back), quotes_of(&g));

        let mut longer = bytes.clone();
        longer.push(0);
        let left = Graph::read_index(&mut &longer[..], longer.len() as u64);
        assert!(
            matches!(left, Err(IndexError::Trailing(1))),
            "{:?}",
            left.err()
        );
    }

    /// Bytes are decoded before the store's checksum is known, so damaged
    /// bytes of every kind (flipped, cut short, lengths gone wild) must end
    /// in an error or some graph, never in a panic or an abort.
    #[test]
    fn damaged_bytes_never_panic_the_decoder() {
        let bytes = random_graph(120, 400, 5).to_index();
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move |below: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % below as u64) as usize
        };
        let mut refused = 0;
        for round in 0..400 {
            let mut damaged = bytes.clone();
            for _ in 0..1 + next(4) {
                // Past the format number, which is checked first.
                let at = 4 + next(damaged.len() - 4);
                damaged[at] = match round % 3 {
                    0 => damaged[at] ^ (1 << next(8)),
                    1 => 0xff,
                    _ => next(256) as u8,
                };
            }
            if round % 5 == 0 {
                damaged.truncate(4 + next(damaged.len() - 4));
            }
            refused += usize::from(Graph::from_index(&damaged).is_err());
        }
        assert!(
            refused > 100,
            "only {refused} of 400 damaged indexes refused"
        );
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
