//! Streaming the cells of one sheet, keeping only those asked for.
//!
//! In: a sheet part, the shared strings and date styles, and which cells to keep. Out: the
//! text of each kept cell that holds anything, by (row, column). Cells are read one at a
//! time and their text dropped unless kept; the sheet's declared `<dimension>` is never
//! used. Rows and cells read are counted against `MAX_ROWS` and `MAX_CELLS` (all sheets
//! together), kept text against `MAX_KEPT_TEXT_BYTES`, and a value outside the area a form
//! uses (`FORM_ROWS` × `FORM_COLUMNS`) is refused. Every cell that holds a formula is
//! listed, kept or not, so import can refuse it rather than take its cached value.

use super::strings::SharedStrings;
use super::styles::{DateStyles, number_text};
use super::xml::{Xml, attr};
use super::{ReadError, shown};
use crate::forms::layout::{FORM_COLUMNS, FORM_ROWS, cell_ref};
use crate::forms::limits::{MAX_CELLS, MAX_KEPT_TEXT_BYTES, MAX_ROWS};
use quick_xml::events::Event;
use std::collections::BTreeMap;

/// Excel's own last row and column (`XFD1048576`), 0-based.
const LAST_ROW: u32 = 1_048_575;
const LAST_COLUMN: u32 = 16_383;

/// Kept cells by 0-based (row, column), trimmed and never empty.
pub type Grid = BTreeMap<(u32, u16), String>;

/// A cell that holds a formula: its reference (`Ratings!E7`) and the formula as shown in
/// a message (empty for a formula shared from another cell).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormulaCell {
    pub cell: String,
    pub formula: String,
}

/// What the workbook's sheets have cost so far, across sheets.
#[derive(Default)]
pub struct Counts {
    rows: usize,
    cells: usize,
    kept_text: usize,
}

/// What a cell's value is read with.
pub struct Context<'a> {
    pub strings: &'a SharedStrings,
    pub styles: &'a DateStyles,
    pub date1904: bool,
}

pub fn read_cells(
    xml: &mut Xml<'_>,
    sheet: &str,
    context: &Context<'_>,
    counts: &mut Counts,
    formulas: &mut Vec<FormulaCell>,
    keep: &dyn Fn(u32, u16) -> bool,
) -> Result<Grid, ReadError> {
    enum Step {
        Row(Option<String>),
        RowEnd,
        Cell {
            at: Option<String>,
            kind: Option<String>,
            format: Option<String>,
        },
        Data(bool),
        Other,
    }
    let mut grid = Grid::new();
    let mut buf = Vec::new();
    let mut in_data = false;
    let (mut row, mut next_row, mut next_col) = (0u32, 0u32, 0u32);
    loop {
        let step = match xml.event(&mut buf)? {
            Event::Start(e) => match e.local_name().as_ref() {
                "sheetData" => Step::Data(true),
                "row" if in_data => Step::Row(attr(&e, "r")?),
                "c" if in_data => Step::Cell {
                    at: attr(&e, "r")?,
                    kind: attr(&e, "t")?,
                    format: attr(&e, "s")?,
                },
                _ => Step::Other,
            },
            Event::End(e) => match e.local_name().as_ref() {
                "sheetData" => Step::Data(false),
                "row" if in_data => Step::RowEnd,
                _ => Step::Other,
            },
            Event::Eof if in_data => return Err(xml.malformed("it ends inside the cells")),
            Event::Eof => return Ok(grid),
            _ => Step::Other,
        };
        match step {
            Step::Data(true) => in_data = true,
            // The cells are all read; the rest of the sheet is not needed.
            Step::Data(false) => return Ok(grid),
            Step::Row(at) => {
                counts.rows += 1;
                if counts.rows > MAX_ROWS {
                    return Err(ReadError::TooLarge(format!(
                        "the sheets of the form have more than {MAX_ROWS} rows, far more than a form"
                    )));
                }
                row = match at {
                    Some(text) => parse_row(&text).ok_or_else(|| bad_reference(sheet, &text))?,
                    None => next_row,
                };
                next_col = 0;
            }
            Step::RowEnd => next_row = row.saturating_add(1),
            Step::Cell { at, kind, format } => {
                counts.cells += 1;
                if counts.cells > MAX_CELLS {
                    return Err(ReadError::TooLarge(format!(
                        "the sheets of the form have more than {MAX_CELLS} cells, far more than a form"
                    )));
                }
                let (r, c) = match &at {
                    Some(text) => parse_cell(text).ok_or_else(|| bad_reference(sheet, text))?,
                    None => (row, next_col),
                };
                if r > LAST_ROW || c > LAST_COLUMN {
                    return Err(ReadError::Unreadable(format!(
                        "a cell of the {sheet} sheet lies beyond the last row or column a spreadsheet has"
                    )));
                }
                next_col = c + 1;
                let (value, formula) = cell_value(xml, &mut buf, context, kind.as_deref(), format)?;
                let col = c as u16;
                if let Some(formula) = formula {
                    formulas.push(FormulaCell {
                        cell: cell_ref(sheet, r, col),
                        formula: shown(&formula),
                    });
                }
                let Some(text) = value else { continue };
                if r >= FORM_ROWS || col >= FORM_COLUMNS {
                    return Err(ReadError::OutsideForm(cell_ref(sheet, r, col)));
                }
                if keep(r, col) {
                    counts.kept_text += text.len();
                    if counts.kept_text > MAX_KEPT_TEXT_BYTES {
                        return Err(ReadError::TooLarge(format!(
                            "the cells of the form hold more than {} of text, far more than a form",
                            super::part::mib(MAX_KEPT_TEXT_BYTES as u64)
                        )));
                    }
                    grid.entry((r, col)).or_insert(text);
                }
            }
            Step::Other => {}
        }
    }
}

/// The text of the cell just opened, read up to its end (`None` when it is empty), and
/// its formula when it holds one.
fn cell_value(
    xml: &mut Xml<'_>,
    buf: &mut Vec<u8>,
    context: &Context<'_>,
    kind: Option<&str>,
    format: Option<String>,
) -> Result<(Option<String>, Option<String>), ReadError> {
    enum Step {
        Value,
        Inline,
        Formula,
        SharedFormula,
        Skip,
        End,
        Other,
    }
    let mut raw: Option<String> = None;
    let mut formula: Option<String> = None;
    loop {
        let step = match xml.event(buf)? {
            Event::Start(e) => match e.local_name().as_ref() {
                "v" => Step::Value,
                "is" => Step::Inline,
                "f" => Step::Formula,
                _ => Step::Skip,
            },
            Event::Empty(e) if e.local_name().as_ref() == "f" => Step::SharedFormula,
            Event::End(e) if e.local_name().as_ref() == "c" => Step::End,
            Event::Eof => return Err(xml.malformed("it ends inside a cell")),
            _ => Step::Other,
        };
        match step {
            Step::Value => raw = Some(xml.text(buf)?),
            Step::Inline => raw = Some(xml.rich_text(buf)?),
            Step::Formula => formula = Some(xml.text(buf)?),
            Step::SharedFormula => formula = Some(String::new()),
            Step::Skip => xml.skip(buf)?,
            Step::End => break,
            Step::Other => {}
        }
    }
    let Some(raw) = raw.filter(|raw| !raw.trim().is_empty()) else {
        return Ok((None, formula));
    };
    let text = match kind {
        Some("s") => {
            let index = raw.trim();
            let found = index
                .parse::<usize>()
                .ok()
                .and_then(|i| context.strings.get(i));
            match found {
                Some(s) => s.replace("\r\n", "\n"),
                None => {
                    return Err(ReadError::Unreadable(format!(
                        "a cell refers to shared string `{}`, which the workbook does not have",
                        shown(index)
                    )));
                }
            }
        }
        Some("inlineStr" | "str") => raw.replace("\r\n", "\n"),
        Some("b") => if raw.trim() == "1" { "TRUE" } else { "FALSE" }.to_string(),
        Some("n") | None => {
            let is_date = format
                .and_then(|f| f.trim().parse::<usize>().ok())
                .is_some_and(|f| context.styles.is_date(f));
            number_text(&raw, is_date, context.date1904)
        }
        // Errors (`#N/A`), ISO dates and anything newer: the text as written.
        Some(_) => raw,
    };
    let trimmed = text.trim();
    Ok(((!trimmed.is_empty()).then(|| trimmed.to_string()), formula))
}

/// A cell reference such as `E7` as a 0-based (row, column).
fn parse_cell(text: &str) -> Option<(u32, u32)> {
    let digits = text.find(|c: char| c.is_ascii_digit())?;
    let (letters, number) = text.split_at(digits);
    if letters.is_empty() || letters.len() > 3 || !letters.bytes().all(|b| b.is_ascii_alphabetic())
    {
        return None;
    }
    let col = letters.bytes().fold(0u32, |n, b| {
        n * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1
    });
    Some((parse_row(number)?, col - 1))
}

/// A 1-based row number as a 0-based row.
fn parse_row(text: &str) -> Option<u32> {
    if text.is_empty() || text.len() > 7 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<u32>().ok()?.checked_sub(1)
}

fn bad_reference(sheet: &str, text: &str) -> ReadError {
    ReadError::Unreadable(format!(
        "the {sheet} sheet has a cell or row numbered `{}`, which is not a cell reference",
        shown(text)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::layout::column_letters;

    #[test]
    fn references_parse_within_a_spreadsheet() {
        assert_eq!(parse_cell("A1"), Some((0, 0)));
        assert_eq!(parse_cell("E7"), Some((6, 4)));
        assert_eq!(parse_cell("XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(parse_cell("AAAA1"), None);
        assert_eq!(parse_cell("A0"), None);
        assert_eq!(parse_cell("A99999999"), None);
        assert_eq!(parse_cell("7"), None);
        assert_eq!(parse_cell("A1B"), None);
        assert_eq!(column_letters(16_383), "XFD");
    }
}
