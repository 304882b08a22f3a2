//! Reading a filled form with calamine, without judging it.
//!
//! In: the path of an `.xlsx` file. Out: a `RawForm` holding the text of every cell import
//! looks at (About values, the Ratings rows, who completed it and when, which Services
//! rows hold anything), each with its cell reference; or a sentence saying why the file
//! could not be read. Checking the values is `import`'s job.

use super::layout::*;
use calamine::{Data, Range, Reader, Xlsx, open_workbook};
use std::collections::BTreeMap;
use std::path::Path;

/// Workbooks larger than this are refused (a filled form is a few tens of kilobytes).
pub const MAX_FORM_BYTES: u64 = 20 * 1024 * 1024;

/// A cell's text and its reference, e.g. `("G", "Ratings!E6")`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellText {
    pub text: String,
    pub cell: String,
}

#[derive(Debug, Clone, Default)]
pub struct RatingRow {
    /// 0-based row.
    pub row: u32,
    pub id: Option<CellText>,
    pub rating: Option<CellText>,
    pub note: Option<CellText>,
}

#[derive(Debug, Clone, Default)]
pub struct RawForm {
    /// About sheet values by key; `None` when the workbook has no About sheet.
    pub about: Option<BTreeMap<String, CellText>>,
    /// Ratings rows below the header that hold anything; `None` without a Ratings sheet.
    pub ratings: Option<Vec<RatingRow>>,
    pub compiled_by: Option<CellText>,
    pub compiled_on: Option<CellText>,
    /// 0-based rows of the Services table that hold anything.
    pub service_rows: Vec<u32>,
}

/// Read the cells of a form. Errors are plain sentences for an "unreadable file" report.
pub fn read_form(path: &Path) -> Result<RawForm, String> {
    let size = std::fs::metadata(path)
        .map_err(|e| format!("cannot read the file: {e}"))?
        .len();
    if size > MAX_FORM_BYTES {
        return Err(format!(
            "the file is {size} bytes, more than the {MAX_FORM_BYTES} a form can be"
        ));
    }
    // calamine parses untrusted zip and XML; a bug there must not take the program down.
    let opened = std::panic::catch_unwind(|| read_workbook(path));
    match opened {
        Ok(result) => result,
        Err(_) => Err("the workbook is damaged and could not be read".to_string()),
    }
}

fn read_workbook(path: &Path) -> Result<RawForm, String> {
    let mut wb: Xlsx<_> = open_workbook(path).map_err(|e| {
        format!("it is not a readable .xlsx workbook ({e}); save it from Excel as \"Excel Workbook (.xlsx)\"")
    })?;
    let names = wb.sheet_names();
    let find = |wanted: &str| {
        names
            .iter()
            .find(|n| n.as_str() == wanted)
            .or_else(|| names.iter().find(|n| n.eq_ignore_ascii_case(wanted)))
            .cloned()
    };
    let mut form = RawForm::default();
    if let Some(name) = find(ABOUT_SHEET) {
        let range = wb
            .worksheet_range(&name)
            .map_err(|e| format!("the {ABOUT_SHEET} sheet cannot be read: {e}"))?;
        let mut about = BTreeMap::new();
        for row in 0..64 {
            let Some(key) = text_at(&range, row, ABOUT_KEY_COL) else {
                continue;
            };
            if let Some(value) = text_at(&range, row, ABOUT_VALUE_COL) {
                about.entry(key).or_insert(CellText {
                    text: value,
                    cell: cell_ref(ABOUT_SHEET, row, ABOUT_VALUE_COL),
                });
            }
        }
        form.about = Some(about);
    }
    if let Some(name) = find(RATINGS_SHEET) {
        let range = wb
            .worksheet_range(&name)
            .map_err(|e| format!("the {RATINGS_SHEET} sheet cannot be read: {e}"))?;
        let at = |row: u32, col: u16| {
            text_at(&range, row, col).map(|text| CellText {
                text,
                cell: cell_ref(RATINGS_SHEET, row, col),
            })
        };
        form.compiled_by = at(COMPILED_BY_ROW, COL_DESCRIPTION);
        form.compiled_on = at(COMPILED_ON_ROW, COL_DESCRIPTION);
        let mut rows = Vec::new();
        for row in FIRST_RATING_ROW..last_row(&range) {
            let r = RatingRow {
                row,
                id: at(row, COL_ID),
                rating: at(row, COL_RATING),
                note: at(row, COL_NOTE),
            };
            if r.id.is_some() || r.rating.is_some() || r.note.is_some() {
                rows.push(r);
            }
        }
        form.ratings = Some(rows);
    }
    if let Some(name) = find(SERVICES_SHEET) {
        let range = wb
            .worksheet_range(&name)
            .map_err(|e| format!("the {SERVICES_SHEET} sheet cannot be read: {e}"))?;
        for row in FIRST_SERVICE_ROW..last_row(&range) {
            if (0..SERVICE_COLUMNS.len() as u16).any(|col| text_at(&range, row, col).is_some()) {
                form.service_rows.push(row);
            }
        }
    }
    Ok(form)
}

/// One past the last row to read from a sheet, capped at `MAX_ROWS_READ`.
fn last_row(range: &Range<Data>) -> u32 {
    range
        .end()
        .map(|(row, _)| row.saturating_add(1))
        .unwrap_or(0)
        .min(MAX_ROWS_READ)
}

/// The trimmed text of a cell, `None` when it is empty.
fn text_at(range: &Range<Data>, row: u32, col: u16) -> Option<String> {
    let text = match range.get_value((row, u32::from(col)))? {
        Data::Empty => return None,
        Data::String(s) => s.replace("\r\n", "\n"),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", *f as i64)
            } else {
                f.to_string()
            }
        }
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(dt) => {
            let (y, m, d, hh, mm, ss, _) = dt.to_ymd_hms_milli();
            if dt.is_datetime() && (hh, mm, ss) == (0, 0, 0) {
                format!("{y:04}-{m:02}-{d:02}")
            } else if dt.is_datetime() {
                format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}")
            } else {
                dt.as_f64().to_string()
            }
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    };
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}
