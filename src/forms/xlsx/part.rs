//! The parts of a workbook's zip, inflated through a counting reader.
//!
//! In: the path of an .xlsx file. Out: `Parts`, which finds a part (an XML file inside the
//! zip) by name and opens it as an `Xml` reader whose bytes are counted as they inflate.
//! A part passing `MAX_PART_BYTES`, or all parts together passing `MAX_INFLATED_BYTES`,
//! stops the read with a `LimitHit`. The sizes the zip's directory declares are not used:
//! each part's compressed bytes are read raw and inflated here, and its checksum is
//! checked once it ends.

use super::ReadError;
use super::xml::Xml;
use crate::forms::limits::{MAX_FORM_BYTES, MAX_INFLATED_BYTES, MAX_PART_BYTES, MAX_ZIP_ENTRIES};
use std::cell::Cell;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;
use zip::{CompressionMethod, ZipArchive};

/// A limit passed while inflating, carried through the XML reader as an I/O error.
#[derive(Debug)]
pub struct LimitHit(pub String);

impl std::fmt::Display for LimitHit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LimitHit {}

/// `8 MiB` for a byte count that is a whole number of mebibytes.
pub fn mib(bytes: u64) -> String {
    format!("{} MiB", bytes / (1024 * 1024))
}

pub struct Parts {
    zip: ZipArchive<BufReader<File>>,
    /// Bytes inflated so far from all parts.
    inflated: Cell<u64>,
}

impl Parts {
    pub fn open(path: &Path) -> Result<Parts, ReadError> {
        let file = File::open(path)
            .map_err(|e| ReadError::Unreadable(format!("cannot read the file: {e}")))?;
        let size = file
            .metadata()
            .map_err(|e| ReadError::Unreadable(format!("cannot read the file: {e}")))?
            .len();
        if size > MAX_FORM_BYTES {
            return Err(ReadError::TooLarge(format!(
                "the file is {size} bytes, more than the {} a form can be",
                mib(MAX_FORM_BYTES)
            )));
        }
        let zip = ZipArchive::new(BufReader::new(file)).map_err(|e| {
            ReadError::Unreadable(format!(
                "it is not a readable .xlsx workbook ({e}); save it from Excel as \"Excel Workbook (.xlsx)\""
            ))
        })?;
        if zip.len() > MAX_ZIP_ENTRIES {
            return Err(ReadError::TooLarge(format!(
                "the workbook's zip holds {} files, more than the {MAX_ZIP_ENTRIES} a form can have",
                zip.len()
            )));
        }
        Ok(Parts {
            zip,
            inflated: Cell::new(0),
        })
    }

    /// The index of a part; part names are compared ignoring case, as Office does.
    pub fn find(&self, name: &str) -> Option<usize> {
        self.zip.index_for_name(name).or_else(|| {
            (0..self.zip.len()).find(|&i| {
                self.zip
                    .name_for_index(i)
                    .and_then(Result::ok)
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
            })
        })
    }

    /// Open a part for reading as XML.
    pub fn xml(&mut self, index: usize, name: &str) -> Result<Xml<'_>, ReadError> {
        let name = &super::shown(name);
        let Parts { zip, inflated } = self;
        let unreadable = |e: &dyn std::fmt::Display| {
            ReadError::Unreadable(format!("`{name}` cannot be read from the zip ({e})"))
        };
        let raw = zip.by_index_raw(index).map_err(|e| unreadable(&e))?;
        if raw.encrypted() {
            return Err(ReadError::Unreadable(format!(
                "`{name}` is encrypted; save the workbook without a password"
            )));
        }
        let method = raw.compression();
        let expected_crc = raw.crc32();
        let source: Box<dyn Read + '_> = if method == CompressionMethod::Stored {
            Box::new(raw)
        } else if method == CompressionMethod::DEFLATE {
            Box::new(flate2::read::DeflateDecoder::new(raw))
        } else {
            return Err(unreadable(&format!(
                "compression method {method} is not used by Excel"
            )));
        };
        let inflating = Inflating {
            source,
            part: name.to_string(),
            read: 0,
            inflated: &*inflated,
            crc: crc32fast::Hasher::new(),
            expected_crc,
            ended: false,
        };
        Ok(Xml::new(BufReader::new(inflating), name))
    }
}

/// One part's bytes as they inflate, counted against the limits.
pub struct Inflating<'a> {
    source: Box<dyn Read + 'a>,
    part: String,
    read: u64,
    inflated: &'a Cell<u64>,
    crc: crc32fast::Hasher,
    expected_crc: u32,
    ended: bool,
}

impl Read for Inflating<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.source.read(buf)?;
        if n == 0 {
            if !self.ended {
                self.ended = true;
                if self.crc.clone().finalize() != self.expected_crc {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        "its checksum does not match; the file is damaged",
                    ));
                }
            }
            return Ok(0);
        }
        self.read += n as u64;
        let total = self.inflated.get() + n as u64;
        self.inflated.set(total);
        if self.read > MAX_PART_BYTES {
            return Err(io::Error::other(LimitHit(format!(
                "`{}` inflates to more than {}, far more than any part of a form; the file may be a zip bomb",
                self.part,
                mib(MAX_PART_BYTES)
            ))));
        }
        if total > MAX_INFLATED_BYTES {
            return Err(io::Error::other(LimitHit(format!(
                "the parts read inflate to more than {} together, far more than a form; the file may be a zip bomb",
                mib(MAX_INFLATED_BYTES)
            ))));
        }
        self.crc.update(&buf[..n]);
        Ok(n)
    }
}
