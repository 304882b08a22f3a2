//! Locking the structure of a written form, which rust_xlsxwriter does not offer.
//!
//! In: the bytes of an .xlsx workbook as rust_xlsxwriter saved it. Out: the same workbook
//! with `<workbookProtection lockStructure="1"/>` in `xl/workbook.xml`, so sheets cannot be
//! added, deleted, renamed, moved, hidden or unhidden (the very hidden About sheet cannot
//! be shown) until the protection is removed. Every other part is copied byte for byte,
//! and the changed part keeps its compression and date, so output stays deterministic.

use std::io::{Cursor, Read, Write};
use zip::write::SimpleFileOptions;
use zip::{ZipArchive, ZipWriter};

const WORKBOOK_PART: &str = "xl/workbook.xml";
/// The element goes after `<workbookPr>` and before `<bookViews>` (ECMA-376 §18.2.27).
const BEFORE: &str = "<bookViews>";
const PROTECTION: &str = r#"<workbookProtection lockStructure="1"/>"#;

pub fn lock_structure(workbook: &[u8]) -> Result<Vec<u8>, String> {
    let failed = |e: &dyn std::fmt::Display| format!("cannot lock the workbook's sheets: {e}");
    let mut zip = ZipArchive::new(Cursor::new(workbook)).map_err(|e| failed(&e))?;
    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    let mut locked = false;
    for i in 0..zip.len() {
        let part = zip.by_index(i).map_err(|e| failed(&e))?;
        let name = part.name().map_err(|e| failed(&e))?.to_string();
        if name != WORKBOOK_PART {
            out.raw_copy_file(part).map_err(|e| failed(&e))?;
            continue;
        }
        let mut options = SimpleFileOptions::default().compression_method(part.compression());
        if let Some(date) = part.last_modified() {
            options = options.last_modified_time(date);
        }
        let mut text = String::new();
        let mut part = part;
        part.read_to_string(&mut text).map_err(|e| failed(&e))?;
        let Some(at) = text.find(BEFORE) else {
            return Err(failed(&"the workbook part has no <bookViews>"));
        };
        text.insert_str(at, PROTECTION);
        out.start_file(name, options).map_err(|e| failed(&e))?;
        out.write_all(text.as_bytes()).map_err(|e| failed(&e))?;
        locked = true;
    }
    if !locked {
        return Err(failed(&format!("the workbook has no {WORKBOOK_PART}")));
    }
    Ok(out.finish().map_err(|e| failed(&e))?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_workbook_without_its_parts_is_an_error_not_a_panic() {
        assert!(lock_structure(b"not a zip").is_err());
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file("xl/workbook.xml", SimpleFileOptions::default())
            .expect("start");
        zip.write_all(b"<workbook><sheets/></workbook>")
            .expect("write");
        let bytes = zip.finish().expect("finish").into_inner();
        let why = lock_structure(&bytes).expect_err("no bookViews");
        assert!(why.contains("<bookViews>"), "{why}");
    }
}
