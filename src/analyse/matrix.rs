//! The provision matrix of one region and year: areas as rows, categories as columns.

use super::lineage::{EarlierCode, Lineage, earlier_phrase};
use crate::model::vocab::{SubmissionStatus, Vocabulary};
use crate::model::{Area, Dataset, Framework, RatingEntry, Region, Return};
use serde::Serialize;

/// A cell nobody has returned yet: the return is awaiting its form, or the rating was
/// carried forward and never confirmed. It is shown as awaiting, never as a rating, and
/// counts nowhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Awaiting {
    /// The last confirmed ratings along the area's lineage.
    pub earlier: Vec<EarlierCode>,
    /// "2022: B in Blackpool, R in Fylde and Wyre", or "no earlier rating".
    pub phrase: String,
    /// What every page shows for the cell: "Awaiting return — " and the phrase.
    pub label: String,
}

impl Awaiting {
    pub fn new(earlier: Vec<EarlierCode>) -> Self {
        let phrase = earlier_phrase(&earlier);
        Awaiting {
            label: format!("Awaiting return — {phrase}"),
            earlier,
            phrase,
        }
    }
}

/// The rating of one category in one return as published: a cell, or awaiting its return.
pub fn published_cell<'a>(
    fw: &Framework,
    lineage: &mut Option<Lineage<'a>>,
    ds_region_area: (&'a Dataset, &'a Region, &Area),
    ret: &Return,
    category: &str,
) -> (Option<Cell>, Option<Awaiting>) {
    let entry = ret.rating(category);
    let confirmed = !ret.is_awaiting() && entry.is_none_or(|e| !e.carried_forward);
    let (ds, region, area) = ds_region_area;
    if confirmed {
        return (entry.and_then(|e| cell_for(fw, ds, e)), None);
    }
    let lineage = lineage.get_or_insert_with(|| Lineage::of(ds, region, area));
    let earlier = lineage.earlier_codes(&area.id.value, category, ret.year.value);
    (None, Some(Awaiting::new(earlier)))
}

#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub id: String,
    /// The name as that year's report prints it.
    pub name: String,
}

/// A published rating, resolved to its level of the framework when the matrix is made:
/// every later reader (pages, counts, charts, maps) takes the level from here and never
/// reads the written code again.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    /// The level's code, as the framework writes it.
    pub code: String,
    pub label: String,
    pub glyph: String,
    /// `None` for a state outside the order of ratings (in development).
    pub rank: Option<u8>,
    /// The level's fill and text colours, for charts and maps.
    #[serde(skip)]
    pub fill: String,
    #[serde(skip)]
    pub text: String,
    pub note: Option<String>,
    /// The directory's services the rating cites.
    pub evidence: Vec<Evidence>,
    /// Present only in an internal build.
    pub internal_note: Option<String>,
    pub draft: bool,
    /// Copied from the year before and not yet confirmed.
    pub carried_forward: bool,
}

/// How a rating ranked `to` compares with one ranked `from`: `Less` is better. `None` when
/// either is outside the order (in development), which is neither better nor worse.
pub fn compare_ranks(from: Option<u8>, to: Option<u8>) -> Option<std::cmp::Ordering> {
    Some(to?.cmp(&from?))
}

/// A service a rating cites, by its id (its page's address) and its name in the directory.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct MatrixRow {
    pub area_id: String,
    /// The area's name as that year's report prints it.
    pub area_name: String,
    pub area_code: Option<String>,
    /// The `SubmissionStatus` code: `received`, `not-received`, `not-listed` or
    /// `awaiting-return`.
    pub submission: String,
    pub listed_as: Option<String>,
    pub submission_note: Option<String>,
    /// One cell per column; `None` where the return has no rating for it, or where the
    /// rating is still awaited.
    pub cells: Vec<Option<Cell>>,
    /// One per column: what is known of a cell still awaiting its return.
    pub awaiting: Vec<Option<Awaiting>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Matrix {
    pub region_id: String,
    pub region_name: String,
    pub year: u16,
    pub columns: Vec<Column>,
    pub rows: Vec<MatrixRow>,
    /// The key to the ratings, worded as this year has it: a year's printed wording stays
    /// with that year's matrix, and no other year shows its dates.
    pub key: Vec<KeyEntry>,
}

/// One rating of a matrix's key.
#[derive(Debug, Clone, Serialize)]
pub struct KeyEntry {
    pub code: String,
    pub label: String,
    pub definition: String,
    pub glyph: String,
}

/// Build a cell from a rating entry, its code resolved to its level by
/// `Framework::level_of` (a lower-case code reads as upper case); `None` only for a code
/// that names no level, which validation refuses. The services cited as evidence are named
/// as the directory names them (validation has checked that each id is one of its
/// services).
pub fn cell_for(fw: &Framework, ds: &Dataset, entry: &RatingEntry) -> Option<Cell> {
    let level = fw.level_of(&entry.rating.value)?;
    Some(Cell {
        code: level.code.value.clone(),
        label: level.label.value.clone(),
        glyph: level.glyph.value.clone(),
        rank: level.rank.as_ref().map(|r| r.value),
        fill: level.fill.value.clone(),
        text: level.text.value.clone(),
        note: entry.note.as_ref().map(|n| n.value.clone()),
        evidence: entry
            .evidence
            .iter()
            .map(|e| Evidence {
                name: ds
                    .service(&e.value)
                    .map_or_else(|| e.value.clone(), |s| s.name.value.clone()),
                id: e.value.clone(),
            })
            .collect(),
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
            let mut lineage = None;
            let (cells, awaiting): (Vec<_>, Vec<_>) = columns
                .iter()
                .map(|c| published_cell(fw, &mut lineage, (ds, region, area), ret, &c.id))
                .unzip();
            Some(MatrixRow {
                area_id: area.id.value.clone(),
                area_name: ret
                    .reported_name
                    .as_ref()
                    .unwrap_or(&area.name)
                    .value
                    .clone(),
                // Codes change with boundaries: the code valid in the matrix's year.
                area_code: area.ons_code_in(year).map(str::to_string),
                submission: ret.submission.status.value.clone(),
                listed_as: ret.submission.listed_as.as_ref().map(|l| l.value.clone()),
                submission_note: ret.submission.note.as_ref().map(|n| n.value.clone()),
                cells,
                awaiting,
            })
        })
        .collect();
    Matrix {
        region_id: region.id.value.clone(),
        region_name: region.name.value.clone(),
        year,
        columns,
        rows,
        key: key_in(fw, year),
    }
}

/// The key to the ratings as `year` words it.
pub fn key_in(fw: &Framework, year: u16) -> Vec<KeyEntry> {
    fw.ratings
        .iter()
        .map(|r| KeyEntry {
            code: r.code.value.clone(),
            label: r.label.value.clone(),
            definition: r.definition_in(year).to_string(),
            glyph: r.glyph.value.clone(),
        })
        .collect()
}

impl MatrixRow {
    /// The return's submission status.
    pub fn status(&self) -> Option<SubmissionStatus> {
        SubmissionStatus::from_code(&self.submission)
    }
}

impl Matrix {
    /// How many areas have not returned the rating of column `index` yet.
    pub fn awaiting_in(&self, index: usize) -> usize {
        self.rows
            .iter()
            .filter(|r| r.awaiting.get(index).is_some_and(Option::is_some))
            .count()
    }

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
    /// The form was sent by `new-year` and has not come back yet.
    pub awaiting: bool,
    /// The rated areas this row's form covered.
    pub areas: Vec<String>,
}

/// Rebuild the returns-received table: one row per form (areas sharing a `listed_as` label
/// share a row), in matrix order; areas the table does not list are returned separately.
pub fn returns_table(m: &Matrix) -> (Vec<ReturnsRow>, Vec<String>) {
    let mut rows: Vec<ReturnsRow> = Vec::new();
    let mut not_listed = Vec::new();
    for row in &m.rows {
        if row.status() == Some(SubmissionStatus::NotListed) {
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
                returned: row.status() == Some(SubmissionStatus::Received),
                awaiting: row.status() == Some(SubmissionStatus::AwaitingReturn),
                areas: vec![row.area_name.clone()],
            }),
        }
    }
    (rows, not_listed)
}

/// A sentence for each form that covered more than one rated area, e.g. "One return,
/// listed as “Blackpool, Fylde and Wyre”, covered two rated areas: Blackpool, and Fylde
/// and Wyre. Each area is rated separately."
pub fn shared_return_sentences(rows: &[ReturnsRow]) -> Vec<String> {
    rows.iter()
        .filter(|r| r.areas.len() > 1)
        .map(|r| {
            let count = match r.areas.len() {
                2 => "two".to_string(),
                3 => "three".to_string(),
                4 => "four".to_string(),
                n => n.to_string(),
            };
            let (form, verb) = if r.returned {
                ("One return", "covered")
            } else if r.awaiting {
                ("One form, still awaited", "is for")
            } else {
                ("One form, not returned", "was for")
            };
            format!(
                "{form}, listed as “{}”, {verb} {count} rated areas: {}. Each area is rated separately.",
                r.label,
                list_of_names(&r.areas)
            )
        })
        .collect()
}

/// "A and B", "A, B and C"; with a comma before the last where a name holds an "and"
/// itself ("Blackpool, and Fylde and Wyre").
fn list_of_names(names: &[String]) -> String {
    match names {
        [init @ .., last] if !init.is_empty() && names.iter().any(|n| n.contains(" and ")) => {
            format!("{}, and {last}", init.join(", "))
        }
        _ => super::names::join_names(names),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(label: &str, areas: &[&str], returned: bool) -> ReturnsRow {
        ReturnsRow {
            label: label.into(),
            returned,
            awaiting: false,
            areas: areas.iter().map(|a| a.to_string()).collect(),
        }
    }

    #[test]
    fn a_return_for_two_rated_areas_is_said_in_words() {
        let rows = [
            row("Alpha", &["Alpha"], true),
            row(
                "Blackpool, Fylde and Wyre",
                &["Blackpool", "Fylde and Wyre"],
                true,
            ),
            row("North", &["East", "West", "South"], false),
        ];
        assert_eq!(
            shared_return_sentences(&rows),
            [
                "One return, listed as “Blackpool, Fylde and Wyre”, covered two rated areas: Blackpool, and Fylde and Wyre. Each area is rated separately.",
                "One form, not returned, listed as “North”, was for three rated areas: East, West and South. Each area is rated separately."
            ]
        );
    }
}
