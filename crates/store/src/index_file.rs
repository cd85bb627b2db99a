//! The persisted index beside a generation's records: the file `index` in the
//! generation's folder, holding bytes the store keeps opaque (the graph crate
//! writes and reads them). It is written while the generation is sealed, so it
//! is in place before `CURRENT` names the generation; a crash before that
//! leaves the old generation live.
//!
//! Layout: a magic line, the schema version (u32 LE), the fingerprint of the
//! generation it was built from (u16 LE length, then its text), the payload's
//! length (u64 LE) and blake3 hash (32 bytes), then the payload as an LZ4
//! frame. A reader serves the payload only when all of them match the
//! generation it opened, so a stale, foreign or damaged index is rebuilt from
//! the records, never served.
//!
//! LZ4 because the payload repeats itself (ids share prefixes, sections and
//! names recur) and LZ4 decodes at several gigabytes a second: a G2 index
//! takes a third of the disk for a few tens of milliseconds more at start.

use crate::generation::{Meta, SCHEMA_VERSION};
use crate::sled_db::io;
use crate::StoreError;
use std::io::{Read, Write};
use std::path::Path;

/// The index file's name in a generation's folder.
const INDEX: &str = "index";
/// The first bytes of an index file.
const MAGIC: &[u8; 16] = b"govgraph index\n\0";

/// An index file whose header matched the generation: its payload is read
/// only through [`IndexReader::decode`].
///
/// A G2 index is hundreds of megabytes: reading it into one buffer cost its
/// size again in resident memory (an allocator keeps a freed buffer that
/// large), so it is decoded as it is read. Its checksum is known only at the
/// end, so `decode` hands back what was decoded only when it holds.
#[derive(Debug)]
pub struct IndexReader {
    payload: Payload,
    expected: [u8; 32],
}

/// The payload of an index file as it is decompressed and hashed; what an
/// [`IndexReader::decode`] closure reads from.
pub struct Payload {
    // The decoder and the hasher are boxed: together they are kilobytes,
    // too large to move around inside a `StoredIndex`.
    decompressed: Box<lz4_flex::frame::FrameDecoder<FileReader>>,
    path: std::path::PathBuf,
    /// Payload bytes not read yet.
    remaining: u64,
    len: u64,
    hasher: Box<blake3::Hasher>,
    /// Whether the compressed bytes failed to decode.
    undecodable: bool,
}

/// The file under the decompression, keeping the first error reading it, so
/// that a failing disk is told apart from damaged bytes.
struct FileReader {
    file: std::fs::File,
    failed: Option<std::io::Error>,
}

impl Read for FileReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            match self.file.read(buf) {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    let kept = std::io::Error::new(e.kind(), e.to_string());
                    self.failed.get_or_insert(kept);
                    return Err(e);
                }
                read => return read,
            }
        }
    }
}

impl std::fmt::Debug for Payload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Payload({}, {} bytes)", self.path.display(), self.len)
    }
}

impl Read for Payload {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let want = buf
            .len()
            .min(usize::try_from(self.remaining).unwrap_or(usize::MAX));
        if want == 0 {
            return Ok(0);
        }
        let n = self
            .decompressed
            .read(&mut buf[..want])
            .inspect_err(|_| self.undecodable = true)?;
        self.hasher.update(&buf[..n]);
        self.remaining -= n as u64;
        Ok(n)
    }
}

impl IndexReader {
    /// Runs `decode` over the payload (given with its declared length), then
    /// reads whatever it left and checks the checksum. What `decode` returned
    /// is given back only when the whole payload is undamaged; otherwise, why
    /// not. A failure to read the file is an error of its own.
    pub fn decode<T, E: std::fmt::Display>(
        self,
        decode: impl FnOnce(&mut Payload, u64) -> Result<T, E>,
    ) -> Result<Result<T, String>, StoreError> {
        let IndexReader {
            mut payload,
            expected,
        } = self;
        let len = payload.len;
        let decoded = decode(&mut payload, len);
        let drained = std::io::copy(&mut payload, &mut std::io::sink());
        if let Some(error) = payload.decompressed.get_mut().failed.take() {
            return Err(io("read", &payload.path)(error));
        }
        if drained.is_err() || payload.undecodable {
            return Ok(Err(
                "damaged: its compressed bytes do not decode to its payload".into(),
            ));
        }
        // Nothing may follow the payload's declared length.
        if !matches!(payload.decompressed.read(&mut [0u8; 1]), Ok(0)) {
            return Ok(Err("damaged: longer than its header says".into()));
        }
        if payload.remaining != 0 {
            return Ok(Err(
                "damaged or cut off: shorter than its header says".into()
            ));
        }
        if payload.hasher.finalize().as_bytes() != &expected {
            return Ok(Err("damaged: its checksum does not match".into()));
        }
        Ok(decoded.map_err(|e| e.to_string()))
    }
}

/// What a generation's index file gives a reader.
#[derive(Debug)]
pub enum StoredIndex {
    /// The payload, whose header says it belongs to this generation.
    Ready(IndexReader),
    /// The generation has no index file.
    Missing,
    /// An index file that cannot be served, and why.
    Unusable(String),
}

/// Writes `payload` as the index of the generation at `generation`, whose
/// records have `fingerprint`, durably: a temporary file synced, then renamed.
pub(crate) fn write(
    generation: &Path,
    fingerprint: &str,
    payload: &[u8],
) -> Result<(), StoreError> {
    let tmp = generation.join("index.tmp");
    let mut file = std::fs::File::create(&tmp).map_err(io("create", &tmp))?;
    let fingerprint_len =
        u16::try_from(fingerprint.len()).expect("a fingerprint is a 64-character hex hash");
    let mut header = MAGIC.to_vec();
    header.extend_from_slice(&SCHEMA_VERSION.to_le_bytes());
    header.extend_from_slice(&fingerprint_len.to_le_bytes());
    header.extend_from_slice(fingerprint.as_bytes());
    header.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    header.extend_from_slice(blake3::hash(payload).as_bytes());
    file.write_all(&header).map_err(io("write", &tmp))?;
    let frame = lz4_flex::frame::FrameInfo::new().block_mode(lz4_flex::frame::BlockMode::Linked);
    let mut compressed = lz4_flex::frame::FrameEncoder::with_frame_info(frame, file);
    compressed.write_all(payload).map_err(io("write", &tmp))?;
    let file = compressed
        .finish()
        .map_err(|e| io("write", &tmp)(e.into()))?;
    file.sync_all().map_err(io("sync", &tmp))?;
    crate::fault::point();
    let path = generation.join(INDEX);
    std::fs::rename(&tmp, &path).map_err(io("rename", &tmp))?;
    std::fs::File::open(generation)
        .and_then(|d| d.sync_all())
        .map_err(io("sync", generation))
}

/// The index of the generation at `generation`, described by `meta`.
pub(crate) fn read(generation: &Path, meta: &Meta) -> Result<StoredIndex, StoreError> {
    let path = generation.join(INDEX);
    let mut file = match std::fs::File::open(&path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(StoredIndex::Missing),
        Err(e) => return Err(io("open", &path)(e)),
    };
    let header = match read_header(&mut file, meta) {
        Ok(header) => header,
        Err(Header::Unusable(why)) => return Ok(StoredIndex::Unusable(why)),
        Err(Header::Io(e)) => return Err(io("read", &path)(e)),
    };
    Ok(StoredIndex::Ready(IndexReader {
        payload: Payload {
            decompressed: Box::new(lz4_flex::frame::FrameDecoder::new(FileReader {
                file,
                failed: None,
            })),
            path,
            remaining: header.len,
            len: header.len,
            hasher: Box::default(),
            undecodable: false,
        },
        expected: header.hash,
    }))
}

/// A checked header: the payload's length and expected hash.
struct Checked {
    len: u64,
    hash: [u8; 32],
}

/// Why a header was not read.
enum Header {
    Unusable(String),
    Io(std::io::Error),
}

/// Reads and checks the header at the start of `file` against `meta`.
fn read_header(file: &mut std::fs::File, meta: &Meta) -> Result<Checked, Header> {
    let unusable = |why: String| Header::Unusable(why);
    let mut magic = Vec::with_capacity(MAGIC.len());
    (&mut *file)
        .take(MAGIC.len() as u64)
        .read_to_end(&mut magic)
        .map_err(Header::Io)?;
    if magic != MAGIC {
        return Err(unusable(if MAGIC.starts_with(&magic) {
            "cut off".into()
        } else {
            "not an index file".into()
        }));
    }
    let mut take = |n: usize| -> Result<Vec<u8>, Header> {
        let mut bytes = vec![0; n];
        file.read_exact(&mut bytes).map_err(|e| match e.kind() {
            std::io::ErrorKind::UnexpectedEof => Header::Unusable("cut off".into()),
            _ => Header::Io(e),
        })?;
        Ok(bytes)
    };
    let version = u32::from_le_bytes(take(4)?.try_into().expect("four bytes"));
    if version != SCHEMA_VERSION {
        return Err(unusable(format!(
            "written for schema {version}, this build reads {SCHEMA_VERSION}"
        )));
    }
    let fingerprint_len = u16::from_le_bytes(take(2)?.try_into().expect("two bytes"));
    if take(usize::from(fingerprint_len))? != meta.fingerprint.as_bytes() {
        return Err(unusable(
            "built from other records than this generation's".into(),
        ));
    }
    let len = u64::from_le_bytes(take(8)?.try_into().expect("eight bytes"));
    let hash = take(32)?.try_into().expect("32 bytes");
    Ok(Checked { len, hash })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(fingerprint: &str) -> Meta {
        Meta {
            schema_version: SCHEMA_VERSION,
            fingerprint: fingerprint.to_owned(),
            entities: 0,
            relations: 0,
            source: String::new(),
        }
    }

    /// The payload of `read`, through [`IndexReader::decode`].
    fn payload(stored: StoredIndex) -> Result<Vec<u8>, String> {
        match stored {
            StoredIndex::Ready(reader) => reader
                .decode(|r, _| {
                    let mut bytes = Vec::new();
                    r.read_to_end(&mut bytes).map(|_| bytes)
                })
                .expect("the file reads"),
            StoredIndex::Missing => Err("missing".into()),
            StoredIndex::Unusable(why) => Err(why),
        }
    }

    #[test]
    fn an_index_is_served_only_to_its_own_generation_and_undamaged() {
        let dir = tempfile::tempdir().unwrap();
        let ours = meta(&"a".repeat(64));
        assert!(matches!(
            read(dir.path(), &ours).unwrap(),
            StoredIndex::Missing
        ));
        write(dir.path(), &ours.fingerprint, b"payload").unwrap();
        assert_eq!(
            payload(read(dir.path(), &ours).unwrap()).unwrap(),
            b"payload"
        );
        let unusable = |m: &Meta| payload(read(dir.path(), m).unwrap()).unwrap_err();
        assert!(unusable(&meta(&"b".repeat(64))).contains("other records"));
        let path = dir.path().join(INDEX);
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        assert!(unusable(&ours).contains("damaged"));
        std::fs::write(&path, &bytes[..MAGIC.len() + 3]).unwrap();
        assert!(unusable(&ours).contains("cut off"));
        std::fs::write(&path, b"something else").unwrap();
        assert!(unusable(&ours).contains("not an index"));
        assert!(
            !dir.path().join("index.tmp").exists(),
            "no temporary file is left"
        );
    }

    /// A decoder that stops early still has the rest checked, and one that
    /// fails on a damaged payload reports the damage, not its own error.
    #[test]
    fn the_checksum_covers_what_a_decoder_did_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let ours = meta(&"a".repeat(64));
        write(dir.path(), &ours.fingerprint, b"0123456789").unwrap();
        let first = |stored: StoredIndex| match stored {
            StoredIndex::Ready(reader) => reader
                .decode(|r, _| {
                    let mut byte = [0u8; 1];
                    r.read_exact(&mut byte).map(|()| byte[0])
                })
                .expect("the file reads"),
            _ => Err("not ready".into()),
        };
        assert_eq!(first(read(dir.path(), &ours).unwrap()), Ok(b'0'));
        let path = dir.path().join(INDEX);
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        let damaged = first(read(dir.path(), &ours).unwrap()).unwrap_err();
        assert!(damaged.contains("damaged"), "{damaged}");

        // A longer payload, so that the compressed bytes have a middle to damage.
        let long: Vec<u8> = (0..200_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect();
        write(dir.path(), &ours.fingerprint, &long).unwrap();
        let mut bytes = std::fs::read(&path).unwrap();
        let header = MAGIC.len() + 4 + 2 + 64;
        let whole = payload(read(dir.path(), &ours).unwrap());
        assert_eq!(whole.as_deref(), Ok(long.as_slice()));
        assert!(bytes.len() < long.len() / 2, "the payload is compressed");
        let middle = header + 40 + (bytes.len() - header - 40) / 2;
        bytes[middle] ^= 0x5a;
        std::fs::write(&path, &bytes).unwrap();
        let why = payload(read(dir.path(), &ours).unwrap()).unwrap_err();
        assert!(why.contains("damaged"), "{why}");
        // A header that claims more than the file holds.
        bytes[middle] ^= 0x5a;
        let claimed = (long.len() as u64 + 1).to_le_bytes();
        bytes[header..header + 8].copy_from_slice(&claimed);
        std::fs::write(&path, &bytes).unwrap();
        let why = payload(read(dir.path(), &ours).unwrap()).unwrap_err();
        assert!(why.contains("shorter than its header says"), "{why}");
        // A header that claims less than the file holds.
        let claimed = (long.len() as u64 - 1).to_le_bytes();
        bytes[header..header + 8].copy_from_slice(&claimed);
        std::fs::write(&path, &bytes).unwrap();
        let why = payload(read(dir.path(), &ours).unwrap()).unwrap_err();
        assert!(why.contains("longer than its header says"), "{why}");
    }
}
