//! External sorting for imports.
//!
//! sled inserts fast and in bounded memory only when keys arrive in order: an
//! ordered stream appends at the right edge of each tree, while random keys keep
//! every leaf of a tree hot, and once a tree outgrows sled's page cache its
//! memory grows without bound (5 M relations in random order took over 20 GiB).
//! So the import does not write records as it reads them: each tree gets a
//! [`SortedRuns`] that buffers records, spills them as sorted run files when the
//! buffer is full, and at the end merges the runs into the tree in key order.
//! Written by hand because the sorting crates on the registry either sort in
//! memory only or bring a whole storage engine; this is one k-way merge.
//!
//! A run file is a sequence of records: key length (u32 LE), key, value length
//! (u32 LE), value, source line (u64 LE). Equal keys meet in the merge, which is
//! where duplicates are found.

use crate::sled_db::io;
use crate::StoreError;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

/// Buffered bytes (keys, values and bookkeeping) at which a run is spilled.
const SPILL_BYTES: usize = 48 << 20;
/// Bookkeeping bytes counted per buffered record (two vectors and a line).
const RECORD_OVERHEAD: usize = 64;

/// Decides about a repeated key, given the key and both lines: an error to stop
/// with, or `None` to keep the first record and skip the second.
pub(crate) type OnDuplicate<'a> = dyn FnMut(&[u8], u64, u64) -> Option<StoreError> + 'a;

/// Takes the records of a merge, in key order, each once.
pub(crate) type Sink<'a> = dyn FnMut(Vec<u8>, Vec<u8>) -> Result<(), StoreError> + 'a;

/// One record: key, value and the source line it came from.
type Record = (Vec<u8>, Vec<u8>, u64);

/// The records bound for one tree, sorted on the way out.
pub(crate) struct SortedRuns {
    dir: PathBuf,
    name: &'static str,
    buffer: Vec<Record>,
    buffered: usize,
    runs: Vec<PathBuf>,
    pushed: u64,
}

impl SortedRuns {
    /// Records for the tree `name`, spilling run files into `dir`.
    pub(crate) fn new(dir: &Path, name: &'static str) -> Self {
        SortedRuns {
            dir: dir.to_owned(),
            name,
            buffer: Vec::new(),
            buffered: 0,
            runs: Vec::new(),
            pushed: 0,
        }
    }

    /// Adds a record read from `line`.
    pub(crate) fn push(
        &mut self,
        key: Vec<u8>,
        value: Vec<u8>,
        line: u64,
    ) -> Result<(), StoreError> {
        self.pushed += 1;
        self.buffered += key.len() + value.len() + RECORD_OVERHEAD;
        self.buffer.push((key, value, line));
        if self.buffered >= SPILL_BYTES {
            self.spill()?;
        }
        Ok(())
    }

    /// Number of records pushed so far.
    pub(crate) fn len(&self) -> u64 {
        self.pushed
    }

    /// Writes the buffer, sorted, as a new run file.
    fn spill(&mut self) -> Result<(), StoreError> {
        std::fs::create_dir_all(&self.dir).map_err(io("create", &self.dir))?;
        let path = self
            .dir
            .join(format!("{}-{}.run", self.name, self.runs.len()));
        let file = File::create(&path).map_err(io("create", &path))?;
        let mut out = BufWriter::with_capacity(1 << 16, file);
        sort(&mut self.buffer);
        for (key, value, line) in self.buffer.drain(..) {
            write_record(&mut out, &key, &value, line).map_err(io("write", &path))?;
        }
        out.flush().map_err(io("write", &path))?;
        self.buffered = 0;
        self.runs.push(path);
        Ok(())
    }

    /// Hands every record to `sink` in key order and returns how many there
    /// were. Two records with the same key are refused through
    /// `duplicate(key, first_line, second_line)`, unless it returns `None`, in
    /// which case the second is skipped. `progress(1)` follows each record.
    /// The run files are removed.
    pub(crate) fn finish(
        mut self,
        sink: &mut Sink<'_>,
        duplicate: &mut OnDuplicate<'_>,
        progress: &mut dyn FnMut(u64),
    ) -> Result<u64, StoreError> {
        let mut merged = Merged::new(sink);
        if self.runs.is_empty() {
            sort(&mut self.buffer);
            for (key, value, line) in std::mem::take(&mut self.buffer) {
                merged.put(key, value, line, duplicate, progress)?;
            }
        } else {
            if !self.buffer.is_empty() {
                self.spill()?;
            }
            let mut readers = Vec::with_capacity(self.runs.len());
            let mut heads = BinaryHeap::new();
            for (i, path) in self.runs.iter().enumerate() {
                let file = File::open(path).map_err(io("open", path))?;
                let mut reader = BufReader::with_capacity(1 << 16, file);
                if let Some(record) = read_record(&mut reader).map_err(io("read", path))? {
                    heads.push(Reverse(Head { record, run: i }));
                }
                readers.push(reader);
            }
            while let Some(Reverse(Head { record, run })) = heads.pop() {
                let (key, value, line) = record;
                merged.put(key, value, line, duplicate, progress)?;
                let path = &self.runs[run];
                if let Some(next) = read_record(&mut readers[run]).map_err(io("read", path))? {
                    heads.push(Reverse(Head { record: next, run }));
                }
            }
            for path in &self.runs {
                let _ = std::fs::remove_file(path);
            }
        }
        Ok(merged.count)
    }
}

/// Sorts by key, then by line, so that of two equal keys the earlier line comes first.
fn sort(records: &mut [Record]) {
    records.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.2.cmp(&b.2)));
}

/// The smallest unread record of one run.
#[derive(PartialEq, Eq)]
struct Head {
    record: Record,
    run: usize,
}

impl Ord for Head {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (&self.record.0, self.record.2, self.run).cmp(&(&other.record.0, other.record.2, other.run))
    }
}

impl PartialOrd for Head {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// The ordered stream into a sink, repeated keys left out.
struct Merged<'s, 'a> {
    sink: &'s mut Sink<'a>,
    last: Option<(Vec<u8>, u64)>,
    count: u64,
}

impl<'s, 'a> Merged<'s, 'a> {
    fn new(sink: &'s mut Sink<'a>) -> Self {
        Merged {
            sink,
            last: None,
            count: 0,
        }
    }

    fn put(
        &mut self,
        key: Vec<u8>,
        value: Vec<u8>,
        line: u64,
        duplicate: &mut OnDuplicate<'_>,
        progress: &mut dyn FnMut(u64),
    ) -> Result<(), StoreError> {
        if let Some((last, first_line)) = &self.last {
            if *last == key {
                return match duplicate(&key, *first_line, line) {
                    Some(error) => Err(error),
                    None => Ok(()),
                };
            }
        }
        self.last = Some((key.clone(), line));
        (self.sink)(key, value)?;
        self.count += 1;
        progress(1);
        Ok(())
    }
}

fn write_record(out: &mut impl Write, key: &[u8], value: &[u8], line: u64) -> std::io::Result<()> {
    out.write_all(&(key.len() as u32).to_le_bytes())?;
    out.write_all(key)?;
    out.write_all(&(value.len() as u32).to_le_bytes())?;
    out.write_all(value)?;
    out.write_all(&line.to_le_bytes())
}

/// The next record of a run, or `None` at its end.
fn read_record(input: &mut impl Read) -> std::io::Result<Option<Record>> {
    let mut len = [0u8; 4];
    match input.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let mut key = vec![0; u32::from_le_bytes(len) as usize];
    input.read_exact(&mut key)?;
    input.read_exact(&mut len)?;
    let mut value = vec![0; u32::from_le_bytes(len) as usize];
    input.read_exact(&mut value)?;
    let mut line = [0u8; 8];
    input.read_exact(&mut line)?;
    Ok(Some((key, value, u64::from_le_bytes(line))))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pushes `keys` (with their index as line), spilling every `spill` records,
    /// and returns what lands in the tree and the duplicates reported.
    fn check(keys: &[&str], spill: usize, expected: &[&str], expected_duplicates: &[(u64, u64)]) {
        let dir = tempfile::tempdir().unwrap();
        let db = sled::Config::new().temporary(true).open().unwrap();
        let tree = db.open_tree("t").unwrap();
        let mut runs = SortedRuns::new(&dir.path().join("runs"), "t");
        for (i, key) in keys.iter().enumerate() {
            runs.push(
                key.as_bytes().to_vec(),
                key.to_uppercase().into_bytes(),
                i as u64,
            )
            .unwrap();
            if (i + 1) % spill == 0 {
                runs.spill().unwrap();
            }
        }
        let mut duplicates = Vec::new();
        let count = runs
            .finish(
                &mut |key, value| {
                    tree.insert(key, value).unwrap();
                    Ok(())
                },
                &mut |_, first, second| {
                    duplicates.push((first, second));
                    None
                },
                &mut |_| {},
            )
            .unwrap();
        let stored: Vec<String> = tree
            .iter()
            .map(|kv| String::from_utf8(kv.unwrap().0.to_vec()).unwrap())
            .collect();
        assert_eq!(stored, expected);
        assert_eq!(count as usize, expected.len());
        assert_eq!(duplicates, expected_duplicates);
        for (key, value) in tree.iter().map(Result::unwrap) {
            assert_eq!(
                value.to_vec(),
                key.to_ascii_uppercase(),
                "values follow their keys"
            );
        }
        let leftover = std::fs::read_dir(dir.path().join("runs")).map_or(0, |d| d.count());
        assert_eq!(leftover, 0, "run files are removed");
    }

    #[test]
    fn records_land_in_key_order_from_memory_and_from_runs() {
        let keys = ["m", "c", "x", "a", "q", "b", "z", "k"];
        let sorted = ["a", "b", "c", "k", "m", "q", "x", "z"];
        check(&keys, usize::MAX, &sorted, &[]);
        check(&keys, 3, &sorted, &[]);
        check(&keys, 1, &sorted, &[]);
    }

    #[test]
    fn duplicates_are_reported_with_both_lines_across_runs() {
        // "b" on lines 1 and 4, in different runs; "a" twice in one run.
        check(
            &["c", "b", "a", "a", "b"],
            2,
            &["a", "b", "c"],
            &[(2, 3), (1, 4)],
        );
        check(
            &["c", "b", "a", "a", "b"],
            usize::MAX,
            &["a", "b", "c"],
            &[(2, 3), (1, 4)],
        );
    }

    #[test]
    fn a_truncated_run_is_an_error_not_a_short_read() {
        let mut bytes = Vec::new();
        write_record(&mut bytes, b"key", b"value", 7).unwrap();
        let whole = read_record(&mut bytes.as_slice()).unwrap();
        assert_eq!(whole, Some((b"key".to_vec(), b"value".to_vec(), 7)));
        assert!(read_record(&mut &bytes[..bytes.len() - 1]).is_err());
        assert_eq!(read_record(&mut &[][..]).unwrap(), None);
    }
}
