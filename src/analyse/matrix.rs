//! The provision matrix of one region and year: areas as rows, categories as columns.

use crate::model::{Dataset, Framework, RatingEntry, Region};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub id: String,
    /// The name as that year's report prints it.
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    /// Upper-case rating code.
    pub code: String,
    pub label: String,
    pub glyph: String,
    pub rank: u8,
    pub note: Option<String>,
    pub evidence: Vec<String>,
    /// Present only in an internal build.
    pub internal_note: Option<String>,
    pub draft: bool,
    /// Copied from the year before and not yet confirmed.
    pub carried_forward: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct MatrixRow {
    pub area_id: String,
    /// The area's name as that year's report prints it.
    pub area_name: String,
    pub area_code: Option<String>,
    /// `received`, `not-received` or `not-listed`.
    pub submission: String,
    pub listed_as: Option<String>,
    pub submission_note: Option<String>,
    /// One cell per column; `None` where the return has no rating for it.
    pub cells: Vec<Option<Cell>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Matrix {
    pub region_id: String,
    pub region_name: String,
    pub year: u16,
    pub columns: Vec<Column>,
    pub rows: Vec<MatrixRow>,
}

/// Build a cell from a rating entry, reading lower-case codes as upper case.
pub fn cell_for(fw: &Framework, entry: &RatingEntry) -> Option<Cell> {
    let code = entry.rating.value.trim().to_ascii_uppercase();
    let level = fw.rating(&code)?;
    Some(Cell {
        code,
        label: level.label.value.clone(),
        glyph: level.glyph.value.clone(),
        rank: level.rank.value,
        note: entry.note.as_ref().map(|n| n.value.clone()),
        evidence: entry.evidence.iter().map(|e| e.value.clone()).collect(),
        internal_note: entry.internal_note.as_ref().map(|n| n.value.clone()),
        draft: entry.draft,
        carried_forward: entry.carried_forward,
    })
}

pub fn matrix(ds: &Dataset, fw: &Framework, region: &Region, year: u16) -> Matrix {
    let report = ds.report(year, &region.id.value);
    let columns = fw
        .categories_in(year)
        .into_iter()
        .map(|c| Column {
            id: c.id.value.clone(),
            name: report
                .map(|r| r.column_name(&c.id.value, &c.name.value))
                .unwrap_or(&c.name.value)
                .to_string(),
        })
        .collect::<Vec<_>>();
    let rows = ds
        .returns_for(year, region)
        .into_iter()
        .filter_map(|ret| {
            let area = region.area(&ret.area.value)?;
            Some(MatrixRow {
                area_id: area.id.value.clone(),
                area_name: ret
                    .reported_name
                    .as_ref()
                    .unwrap_or(&area.name)
                    .value
                    .clone(),
                area_code: area.ons_code.as_ref().map(|c| c.value.clone()),
                submission: ret.submission.status.value.clone(),
                listed_as: ret.submission.listed_as.as_ref().map(|l| l.value.clone()),
                submission_note: ret.submission.note.as_ref().map(|n| n.value.clone()),
                cells: columns
                    .iter()
                    .map(|c| ret.rating(&c.id).and_then(|e| cell_for(fw, e)))
                    .collect(),
            })
        })
        .collect();
    Matrix {
        region_id: region.id.value.clone(),
        region_name: region.name.value.clone(),
        year,
        columns,
        rows,
    }
}

impl Matrix {
    /// The cells of one column, with the row they belong to.
    pub fn column_cells(&self, index: usize) -> impl Iterator<Item = (&MatrixRow, Option<&Cell>)> {
        self.rows
            .iter()
            .map(move |r| (r, r.cells.get(index).and_then(|c| c.as_ref())))
    }
}

/// A row of the returns-received table as the report prints it.
#[derive(Debug, Clone, Serialize)]
pub struct ReturnsRow {
    pub label: String,
    pub returned: bool,
    /// The rated areas this row's form covered.
    pub areas: Vec<String>,
}

/// Rebuild the returns-received table: one row per form (areas sharing a `listed_as` label
/// share a row), in matrix order; areas the table does not list are returned separately.
pub fn returns_table(m: &Matrix) -> (Vec<ReturnsRow>, Vec<String>) {
    let mut rows: Vec<ReturnsRow> = Vec::new();
    let mut not_listed = Vec::new();
    for row in &m.rows {
        if row.submission == "not-listed" {
            not_listed.push(row.area_name.clone());
            continue;
        }
        let label = row
            .listed_as
            .clone()
            .unwrap_or_else(|| row.area_name.clone());
        match rows.iter_mut().find(|r| r.label == label) {
            Some(existing) => existing.areas.push(row.area_name.clone()),
            None => rows.push(ReturnsRow {
                label,
                returned: row.submission == "received",
                areas: vec![row.area_name.clone()],
            }),
        }
    }
    (rows, not_listed)
}
