//! One area's view: its ratings by year, its gaps, and how it compares with its region.

use super::matrix::{Awaiting, Cell, Matrix, published_cell};
use crate::model::{Area, Dataset, Framework, Region};
use serde::Serialize;

/// (category id, category name as printed, cell, what is known of a cell still awaiting
/// its return).
pub type RatingOf = (String, String, Option<Cell>, Option<Awaiting>);

#[derive(Debug, Clone, Serialize)]
pub struct AreaYear {
    pub year: u16,
    /// The area whose return this is: the area itself, or a predecessor for a Place.
    pub area_id: String,
    pub area_name: String,
    pub submission: String,
    pub listed_as: Option<String>,
    pub submission_note: Option<String>,
    /// Who to contact about the return, and notes: present only in an internal build.
    pub internal: Option<crate::model::InternalDetails>,
    pub ratings: Vec<RatingOf>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AreaGap {
    pub category_id: String,
    pub category_name: String,
    pub cell: Cell,
}

#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub category_id: String,
    pub category_name: String,
    pub cell: Option<Cell>,
    /// What is known of the area's rating when it has not been returned yet.
    pub awaiting: Option<Awaiting>,
    /// Other areas of the region rated better, the same, and worse that year.
    pub better: usize,
    pub same: usize,
    pub worse: usize,
    pub sentence: String,
}

/// The area's own returns, oldest first, and those of every area it succeeds, through
/// every generation of boundary changes (each predecessor shown separately, never
/// averaged).
pub fn area_history(ds: &Dataset, fw: &Framework, region: &Region, area: &Area) -> Vec<AreaYear> {
    let mut ids: Vec<&str> = vec![area.id.value.as_str()];
    ids.extend(
        super::lineage::ancestors(region, area)
            .iter()
            .map(|a| a.id.value.as_str()),
    );
    let mut out: Vec<AreaYear> = ds
        .returns
        .iter()
        .map(|r| &r.value)
        .filter(|r| r.region.value == region.id.value && ids.contains(&r.area.value.as_str()))
        .map(|ret| {
            let report = ds.report(ret.year.value, &region.id.value);
            let who = region.area(&ret.area.value).unwrap_or(area);
            let mut lineage = None;
            AreaYear {
                year: ret.year.value,
                area_id: who.id.value.clone(),
                area_name: ret
                    .reported_name
                    .as_ref()
                    .unwrap_or(&who.name)
                    .value
                    .clone(),
                submission: ret.submission.status.value.clone(),
                listed_as: ret.submission.listed_as.as_ref().map(|l| l.value.clone()),
                submission_note: ret.submission.note.as_ref().map(|n| n.value.clone()),
                internal: ret.internal.clone(),
                ratings: fw
                    .categories_in(ret.year.value)
                    .into_iter()
                    .map(|c| {
                        let name = report
                            .map(|r| r.column_name(&c.id.value, &c.name.value))
                            .unwrap_or(&c.name.value);
                        let (cell, awaiting) =
                            published_cell(fw, &mut lineage, (ds, region, who), ret, &c.id.value);
                        (c.id.value.clone(), name.to_string(), cell, awaiting)
                    })
                    .collect(),
            }
        })
        .collect();
    out.sort_by_key(|y| (y.year, region.area_index(&y.area_id)));
    out
}

/// Categories without full provision in the given year's ratings, worst first (none, then
/// some), then those in development, which are outside the order of ratings; each group in
/// report order.
pub fn area_gaps(year: &AreaYear) -> Vec<AreaGap> {
    let mut gaps: Vec<AreaGap> = year
        .ratings
        .iter()
        .filter_map(|(id, name, cell, _)| {
            let cell = cell.clone()?;
            (cell.code != "G").then(|| AreaGap {
                category_id: id.clone(),
                category_name: name.clone(),
                cell,
            })
        })
        .collect();
    // Worst first; states outside the order (in development) after every rating.
    gaps.sort_by_key(|g| (g.cell.rank.is_none(), std::cmp::Reverse(g.cell.rank)));
    gaps
}

/// How an area's ratings compare with the other areas of its region in one matrix.
pub fn area_comparison(m: &Matrix, area_id: &str) -> Vec<Comparison> {
    let Some(row) = m.rows.iter().find(|r| r.area_id == area_id) else {
        return Vec::new();
    };
    m.columns
        .iter()
        .enumerate()
        .map(|(i, col)| {
            let mine = row.cells.get(i).cloned().flatten();
            let awaiting = row.awaiting.get(i).cloned().flatten();
            let (mut better, mut same, mut worse) = (0, 0, 0);
            for (other, cell) in m.column_cells(i) {
                let (Some(c), Some(me)) = (cell, &mine) else {
                    continue;
                };
                if other.area_id == area_id {
                    continue;
                }
                // "In development" is neither better nor worse than a rating.
                match super::matrix::compare_ranks(me.rank, c.rank) {
                    Some(std::cmp::Ordering::Less) => better += 1,
                    Some(std::cmp::Ordering::Equal) => same += 1,
                    Some(std::cmp::Ordering::Greater) => worse += 1,
                    None => {}
                }
            }
            let others = better + same + worse;
            let sentence = match &mine {
                None if awaiting.is_some() => "Not compared: awaiting return.".to_string(),
                None => "Not rated.".to_string(),
                Some(c) if c.rank.is_none() => format!(
                    "{}: not ranked against the other areas, as it is neither better nor worse than a rating.",
                    c.label
                ),
                Some(_) if others == 0 => "No other area has a rating to compare with.".to_string(),
                Some(_) if better == 0 && worse == 0 => {
                    format!("The same as all {others} other areas.")
                }
                Some(_) if better == 0 => format!(
                    "Among the best rated: {worse} of {others} other areas are rated lower."
                ),
                Some(_) if worse == 0 => format!(
                    "Among the lowest rated: {better} of {others} other areas are rated higher."
                ),
                Some(_) => {
                    format!("{better} of {others} other areas are rated higher and {worse} lower.")
                }
            };
            Comparison {
                category_id: col.id.clone(),
                category_name: col.name.clone(),
                cell: mine,
                awaiting,
                better,
                same,
                worse,
                sentence,
            }
        })
        .collect()
}
