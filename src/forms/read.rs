//! Reading a filled form, without judging it.
//!
//! In: the path of an `.xlsx` file. Out: a `RawForm` holding the text of every cell import
//! looks at (About values, the Ratings rows, who completed it and when, the cells of each
//! Services row that holds anything) and every cell that holds a formula, each with its
//! cell reference; or a `ReadError` saying why the file could not be read or which limit it passed.
//! Checking the values is `import`'s job.

use super::layout::*;
use super::xlsx::{FormulaCell, Grid, ReadError, Workbook};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Rows of the About sheet read for keys and values.
const ABOUT_ROWS: u32 = 64;

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
    /// The cells of each area's block, in order (`MAX_JOINT_AREAS` of them, whether or not
    /// the form has that many areas).
    pub areas: Vec<AreaCells>,
}

/// One area's cells in a row of the Ratings sheet.
#[derive(Debug, Clone, Default)]
pub struct AreaCells {
    pub rating: Option<CellText>,
    pub note: Option<CellText>,
    /// The evidence cells that hold a service name, left to right.
    pub evidence: Vec<CellText>,
}

/// A row of the Services table: the cells that hold anything, by 0-based column.
#[derive(Debug, Clone, Default)]
pub struct ServiceRow {
    /// 0-based row.
    pub row: u32,
    pub cells: BTreeMap<u16, CellText>,
}

impl ServiceRow {
    pub fn get(&self, col: u16) -> Option<&CellText> {
        self.cells.get(&col)
    }
}

#[derive(Debug, Clone, Default)]
pub struct RawForm {
    /// About sheet values by key; `None` when the workbook has no About sheet.
    pub about: Option<BTreeMap<String, CellText>>,
    /// The About sheet's `area` row, left to right from column B up to the first empty
    /// cell: the form's area ids (several on a joint form).
    pub about_areas: Vec<CellText>,
    /// The headings of each area's rating column (`MAX_JOINT_AREAS` of them).
    pub rating_headers: Vec<Option<CellText>>,
    /// Ratings rows below the header that hold anything; `None` without a Ratings sheet.
    pub ratings: Option<Vec<RatingRow>>,
    /// The title in Ratings!A1.
    pub title: Option<CellText>,
    pub compiled_by: Option<CellText>,
    pub compiled_on: Option<CellText>,
    /// Rows of the Services table that hold anything, in order.
    pub services: Vec<ServiceRow>,
    /// Every cell of the About, Ratings and Services sheets that holds a formula.
    pub formulas: Vec<FormulaCell>,
}

impl RawForm {
    /// Whether the cell `Sheet!E7` holds a formula.
    pub fn is_formula(&self, cell: &str) -> bool {
        self.formulas.iter().any(|f| f.cell == cell)
    }
}

/// Read the cells of a form.
pub fn read_form(path: &Path) -> Result<RawForm, ReadError> {
    // The reader parses untrusted zip and XML; a bug there must not take the program down.
    std::panic::catch_unwind(|| read_workbook(path)).unwrap_or_else(|_| {
        Err(ReadError::Unreadable(
            "the workbook is damaged and could not be read".to_string(),
        ))
    })
}

fn read_workbook(path: &Path) -> Result<RawForm, ReadError> {
    let mut wb = Workbook::open(path, &[ABOUT_SHEET, RATINGS_SHEET, SERVICES_SHEET])?;
    let mut form = RawForm::default();
    let about_cell = |row: u32, col: u16| {
        row < ABOUT_ROWS && (col == ABOUT_KEY_COL || col == ABOUT_VALUE_COL)
            || row == ABOUT_AREA_ROW
                && col > ABOUT_VALUE_COL
                && usize::from(col - ABOUT_VALUE_COL) < MAX_JOINT_AREAS
    };
    if let Some(grid) = wb.read_sheet(ABOUT_SHEET, &about_cell)? {
        let mut about = BTreeMap::new();
        for row in 0..ABOUT_ROWS {
            let (Some(key), Some(value)) = (
                grid.get(&(row, ABOUT_KEY_COL)),
                grid.get(&(row, ABOUT_VALUE_COL)),
            ) else {
                continue;
            };
            about.entry(key.clone()).or_insert(CellText {
                text: value.clone(),
                cell: cell_ref(ABOUT_SHEET, row, ABOUT_VALUE_COL),
            });
        }
        if about.get(ABOUT_AREA).map(|c| c.cell.as_str())
            == Some(cell_ref(ABOUT_SHEET, ABOUT_AREA_ROW, ABOUT_VALUE_COL).as_str())
        {
            form.about_areas = (0..MAX_JOINT_AREAS as u16)
                .map(|i| ABOUT_VALUE_COL + i)
                .map_while(|col| {
                    grid.get(&(ABOUT_AREA_ROW, col)).map(|text| CellText {
                        text: text.clone(),
                        cell: cell_ref(ABOUT_SHEET, ABOUT_AREA_ROW, col),
                    })
                })
                .collect();
        }
        form.about = Some(about);
    }
    let blocks: Vec<AreaColumns> = (0..MAX_JOINT_AREAS).map(area_columns).collect();
    let ratings_cell = |row: u32, col: u16| {
        (row == RATINGS_TITLE_ROW && col == 0)
            || (row == COMPILED_BY_ROW || row == COMPILED_ON_ROW) && col == COL_DESCRIPTION
            || row == RATINGS_HEADER_ROW && blocks.iter().any(|b| b.rating == col)
            || row >= FIRST_RATING_ROW
                && (col == COL_ID
                    || blocks
                        .iter()
                        .any(|b| col == b.rating || col == b.note || b.evidence.contains(&col)))
    };
    if let Some(grid) = wb.read_sheet(RATINGS_SHEET, &ratings_cell)? {
        let at = |row: u32, col: u16| {
            grid.get(&(row, col)).map(|text| CellText {
                text: text.clone(),
                cell: cell_ref(RATINGS_SHEET, row, col),
            })
        };
        form.title = at(RATINGS_TITLE_ROW, 0);
        form.rating_headers = blocks
            .iter()
            .map(|b| at(RATINGS_HEADER_ROW, b.rating))
            .collect();
        form.compiled_by = at(COMPILED_BY_ROW, COL_DESCRIPTION);
        form.compiled_on = at(COMPILED_ON_ROW, COL_DESCRIPTION);
        form.ratings = Some(
            rows_from(&grid, FIRST_RATING_ROW)
                .into_iter()
                .map(|row| RatingRow {
                    row,
                    id: at(row, COL_ID),
                    areas: blocks
                        .iter()
                        .map(|b| AreaCells {
                            rating: at(row, b.rating),
                            note: at(row, b.note),
                            evidence: b.evidence.iter().filter_map(|&c| at(row, c)).collect(),
                        })
                        .collect(),
                })
                .collect(),
        );
    }
    let services_cell =
        |row: u32, col: u16| row >= FIRST_SERVICE_ROW && usize::from(col) < SERVICE_COLUMNS.len();
    if let Some(grid) = wb.read_sheet(SERVICES_SHEET, &services_cell)? {
        form.services = rows_from(&grid, FIRST_SERVICE_ROW)
            .into_iter()
            .map(|row| ServiceRow {
                row,
                cells: grid
                    .range((row, 0)..(row + 1, 0))
                    .map(|(&(_, col), text)| {
                        let cell = cell_ref(SERVICES_SHEET, row, col);
                        (
                            col,
                            CellText {
                                text: text.clone(),
                                cell,
                            },
                        )
                    })
                    .collect(),
            })
            .collect();
    }
    form.formulas = wb.formulas().to_vec();
    Ok(form)
}

/// The rows from `first` on that hold a kept cell, in order.
fn rows_from(grid: &Grid, first: u32) -> Vec<u32> {
    let rows: BTreeSet<u32> = grid.keys().map(|&(row, _)| row).collect();
    rows.range(first..).copied().collect()
}
