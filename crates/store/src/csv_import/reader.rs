//! Reading a CSV file record by record without ever buffering more than one
//! record of the longest allowed size beyond the parser's read-ahead, so an
//! endless record (an unclosed quote, a 60 MB cell) fails early with its line.

use super::{invalid, CsvWarning};
use crate::sled_db::io;
use crate::StoreError;
use govgraph_model::Limits;
use std::cell::Cell;
use std::fmt;
use std::io::{Read, Seek};
use std::path::Path;
use std::rc::Rc;

/// The csv reader's buffer: it reads this much ahead of the record it parses.
pub(super) const READ_BUFFER: usize = 1 << 20;

/// How many fields' worth of bytes one record may hold: a record has eight
/// columns at most in govgraph's layout, and a cell of aliases or evidence
/// items may hold several fields.
pub(super) const FIELDS_PER_RECORD: usize = 16;

/// The error a [`Bounded`] reader gives when a record runs past its allowance.
#[derive(Debug)]
struct RecordTooLong;

impl fmt::Display for RecordTooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a record longer than the limit")
    }
}

impl std::error::Error for RecordTooLong {}

/// A file handed to the csv reader at most up to an offset that the import
/// moves forward after each complete record.
struct Bounded<R> {
    inner: R,
    /// Bytes handed out so far.
    handed: u64,
    /// The offset not to read past.
    until: Rc<Cell<u64>>,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let room = self.until.get().saturating_sub(self.handed);
        // The csv reader asks for more only once it has parsed all it was
        // handed, so an exhausted allowance means one record that long.
        if room == 0 && !buf.is_empty() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                RecordTooLong,
            ));
        }
        let len = buf.len().min(usize::try_from(room).unwrap_or(usize::MAX));
        let read = self.inner.read(&mut buf[..len])?;
        self.handed += read as u64;
        Ok(read)
    }
}

/// A CSV file being read record by record, within its record allowance.
pub(super) struct CsvReader<'a> {
    file: &'a Path,
    csv: csv::Reader<Bounded<std::fs::File>>,
    until: Rc<Cell<u64>>,
    /// The longest record allowed, in bytes.
    max_record: u64,
    /// Whether the file ends with a newline (an empty file counts as ending well).
    ends_with_newline: bool,
    /// Records read so far, the line the last one started on, and the line
    /// the next one starts on.
    records: u64,
    last_line: u64,
    next_line: u64,
}

impl<'a> CsvReader<'a> {
    /// Opens `file` for reading within the record allowance `limits` give.
    pub(super) fn open(file: &'a Path, limits: &Limits) -> Result<Self, StoreError> {
        let mut handle = std::fs::File::open(file).map_err(io("open", file))?;
        let ends_with_newline = ends_with_newline(&mut handle).map_err(io("read", file))?;
        let max_record = (limits.max_field_bytes as u64).saturating_mul(FIELDS_PER_RECORD as u64);
        let until = Rc::new(Cell::new(max_record.saturating_add(READ_BUFFER as u64)));
        let bounded = Bounded {
            inner: handle,
            handed: 0,
            until: Rc::clone(&until),
        };
        let csv = csv::ReaderBuilder::new()
            .has_headers(true)
            .buffer_capacity(READ_BUFFER)
            .from_reader(bounded);
        Ok(CsvReader {
            file,
            csv,
            until,
            max_record,
            ends_with_newline,
            records: 0,
            last_line: 1,
            next_line: 1,
        })
    }

    /// The header record.
    pub(super) fn headers(&mut self) -> Result<csv::StringRecord, StoreError> {
        let headers = match self.csv.headers() {
            Ok(headers) => headers.clone(),
            Err(e) => return Err(self.problem(&e)),
        };
        self.allow_next();
        Ok(headers)
    }

    /// Reads the next record into `record`; false at the end of the file.
    pub(super) fn next(&mut self, record: &mut csv::StringRecord) -> Result<bool, StoreError> {
        if !self.csv.read_record(record).map_err(|e| self.problem(&e))? {
            return Ok(false);
        }
        self.records += 1;
        self.last_line = record.position().map_or(0, csv::Position::line);
        self.allow_next();
        Ok(true)
    }

    /// Bytes of the file parsed so far.
    pub(super) fn bytes_read(&self) -> u64 {
        self.csv.position().byte()
    }

    /// Lets the reader fill its buffer and read one more record of the longest size.
    fn allow_next(&mut self) {
        // Read here, between records: the reader's position moves on while
        // it parses one.
        self.next_line = self.csv.position().line();
        let next = self.csv.position().byte();
        self.until.set(
            next.saturating_add(READ_BUFFER as u64)
                .saturating_add(self.max_record),
        );
    }

    /// A CSV error as a located problem.
    fn problem(&self, error: &csv::Error) -> StoreError {
        if let csv::ErrorKind::Io(io) = error.kind() {
            if io.get_ref().is_some_and(|e| e.is::<RecordTooLong>()) {
                return invalid(
                    self.file,
                    self.next_line,
                    format!(
                        "a record longer than {} bytes (the limit: {FIELDS_PER_RECORD} fields of at most {} bytes); an unclosed quote?",
                        self.max_record,
                        self.max_record / FIELDS_PER_RECORD as u64
                    ),
                );
            }
        }
        csv_problem(self.file, error)
    }

    /// Warnings about a file that was read to its end: one that holds a header
    /// but no record, or does not end with a newline.
    pub(super) fn warnings(&self, into: &mut Vec<CsvWarning>) {
        let mut warn = |line: u64, message: &str| {
            into.push(CsvWarning {
                file: self.file.to_owned(),
                line,
                message: message.to_owned(),
            })
        };
        if self.records == 0 {
            warn(1, "the file holds a header but no records");
        }
        if !self.ends_with_newline {
            warn(
                self.last_line,
                "the file does not end with a newline: was it cut off?",
            );
        }
    }
}

/// Whether the file's last byte is a newline, read without reading the rest;
/// the file is left at its start.
fn ends_with_newline(file: &mut std::fs::File) -> std::io::Result<bool> {
    if file.metadata()?.len() == 0 {
        return Ok(true);
    }
    file.seek(std::io::SeekFrom::End(-1))?;
    let mut last = [0u8];
    file.read_exact(&mut last)?;
    file.rewind()?;
    Ok(last[0] == b'\n')
}

/// A CSV error as a located problem.
fn csv_problem(file: &Path, error: &csv::Error) -> StoreError {
    let line = error.position().map_or(0, csv::Position::line);
    let message = match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("{len} fields where the header has {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => "not UTF-8".to_owned(),
        _ => error.to_string(),
    };
    invalid(file, line, message)
}
