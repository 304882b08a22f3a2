//! Change between years. Across a boundary change a Place is compared with the areas it
//! succeeds: when they were rated alike the change is read as usual, when they differed the
//! change is reported as a boundary change showing each predecessor — never an average.

use super::area::AreaYear;
use super::matrix::{Cell, Column, Matrix};
use crate::model::Region;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// `improved`, `worsened`, `unchanged`, `new` or `boundary` (predecessors differed).
    pub status: String,
    /// The ratings compared against: the area's own, or each predecessor's.
    pub before: Vec<(String, Cell)>,
    pub after: Option<Cell>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChangeRow {
    pub area_id: String,
    pub area_name: String,
    /// Compared with the areas it succeeds rather than with itself.
    pub boundary_changed: bool,
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChangeMatrix {
    pub region_name: String,
    pub year: u16,
    pub previous_year: u16,
    pub columns: Vec<Column>,
    pub rows: Vec<ChangeRow>,
    /// Areas and categories rated the year before and not any more, in words.
    pub no_longer_assessed: Vec<String>,
    /// (status, count) in a fixed order.
    pub counts: Vec<(String, usize)>,
    pub phrase: String,
}

const STATUSES: [&str; 5] = ["improved", "worsened", "unchanged", "new", "boundary"];

fn compare(before: &[(String, Cell)], after: Option<&Cell>) -> String {
    let Some(after) = after else {
        return "new".into();
    };
    let Some((_, first)) = before.first() else {
        return "new".into();
    };
    if before.iter().any(|(_, c)| c.code != first.code) {
        return "boundary".into();
    }
    match after.rank.cmp(&first.rank) {
        std::cmp::Ordering::Less => "improved",
        std::cmp::Ordering::Greater => "worsened",
        std::cmp::Ordering::Equal => "unchanged",
    }
    .into()
}

/// What changed in a region from `previous` to `current` (two matrices of the same region).
pub fn change_matrix(region: &Region, previous: &Matrix, current: &Matrix) -> ChangeMatrix {
    let mut rows = Vec::new();
    for row in &current.rows {
        let own = previous.rows.iter().find(|r| r.area_id == row.area_id);
        let sources: Vec<&super::matrix::MatrixRow> = match own {
            Some(r) => vec![r],
            None => region
                .area(&row.area_id)
                .map(|a| {
                    a.succeeds
                        .iter()
                        .filter_map(|p| previous.rows.iter().find(|r| r.area_id == p.value))
                        .collect()
                })
                .unwrap_or_default(),
        };
        let changes = current
            .columns
            .iter()
            .enumerate()
            .map(|(i, col)| {
                let before: Vec<(String, Cell)> =
                    match previous.columns.iter().position(|c| c.id == col.id) {
                        Some(j) => sources
                            .iter()
                            .filter_map(|r| {
                                r.cells
                                    .get(j)
                                    .cloned()
                                    .flatten()
                                    .map(|c| (r.area_name.clone(), c))
                            })
                            .collect(),
                        None => Vec::new(),
                    };
                let after = row.cells.get(i).cloned().flatten();
                Change {
                    status: compare(&before, after.as_ref()),
                    before,
                    after,
                }
            })
            .collect();
        rows.push(ChangeRow {
            area_id: row.area_id.clone(),
            area_name: row.area_name.clone(),
            boundary_changed: own.is_none() && !sources.is_empty(),
            changes,
        });
    }
    let mut no_longer = Vec::new();
    for old in &previous.rows {
        let still = current.rows.iter().any(|r| r.area_id == old.area_id);
        if still {
            continue;
        }
        let successors: Vec<String> = region
            .successors_of(&old.area_id)
            .iter()
            .filter(|a| current.rows.iter().any(|r| r.area_id == a.id.value))
            .map(|a| a.name.value.clone())
            .collect();
        no_longer.push(if successors.is_empty() {
            format!("{} is no longer assessed.", old.area_name)
        } else {
            format!(
                "{} is now part of {}.",
                old.area_name,
                successors.join(" and ")
            )
        });
    }
    for col in previous
        .columns
        .iter()
        .filter(|c| !current.columns.iter().any(|n| n.id == c.id))
    {
        no_longer.push(format!("{} is no longer assessed.", col.name));
    }
    let counts: Vec<(String, usize)> = STATUSES
        .iter()
        .map(|s| {
            (
                s.to_string(),
                rows.iter()
                    .flat_map(|r| &r.changes)
                    .filter(|c| c.status == *s)
                    .count(),
            )
        })
        .collect();
    let phrase = counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| {
            if s == "boundary" {
                format!("{n} changed boundary with predecessors rated differently")
            } else {
                format!("{n} {s}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    ChangeMatrix {
        region_name: current.region_name.clone(),
        year: current.year,
        previous_year: previous.year,
        columns: current.columns.clone(),
        rows,
        no_longer_assessed: no_longer,
        counts,
        phrase,
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TrendRow {
    pub category_id: String,
    pub category_name: String,
    /// For each year: the ratings that year (one, or one per predecessor).
    pub years: Vec<(u16, Vec<(String, Cell)>)>,
    pub statement: String,
}

/// Each category's ratings across an area's years, with a sentence when there are enough
/// years to speak of a trend.
pub fn area_trend(history: &[AreaYear]) -> Vec<TrendRow> {
    let mut years: Vec<u16> = history.iter().map(|h| h.year).collect();
    years.dedup();
    let mut categories: Vec<(String, String)> = Vec::new();
    for h in history {
        for (id, name, _) in &h.ratings {
            if !categories.iter().any(|(c, _)| c == id) {
                categories.push((id.clone(), name.clone()));
            }
        }
    }
    categories
        .into_iter()
        .map(|(id, name)| {
            let by_year: Vec<(u16, Vec<(String, Cell)>)> = years
                .iter()
                .map(|y| {
                    let cells = history
                        .iter()
                        .filter(|h| h.year == *y)
                        .filter_map(|h| {
                            h.ratings
                                .iter()
                                .find(|(c, _, _)| *c == id)
                                .and_then(|(_, _, cell)| cell.clone())
                                .map(|c| (h.area_name.clone(), c))
                        })
                        .collect();
                    (*y, cells)
                })
                .collect();
            let statement = trend_statement(&by_year);
            TrendRow {
                category_id: id,
                category_name: name,
                years: by_year,
                statement,
            }
        })
        .collect()
}

fn trend_statement(by_year: &[(u16, Vec<(String, Cell)>)]) -> String {
    let rated: Vec<&(u16, Vec<(String, Cell)>)> =
        by_year.iter().filter(|(_, c)| !c.is_empty()).collect();
    let (Some((first_year, first)), Some((last_year, last))) = (rated.first(), rated.last()) else {
        return "Not rated.".into();
    };
    if rated.len() < 2 {
        return "Only one year of returns: no trend yet.".into();
    }
    if first.iter().any(|(_, c)| c.code != first[0].1.code)
        || last.iter().any(|(_, c)| c.code != last[0].1.code)
    {
        let each = first
            .iter()
            .map(|(a, c)| format!("{a} {}", c.code))
            .collect::<Vec<_>>()
            .join(", ");
        return format!(
            "The boundary changed and the areas before it were rated differently in {first_year} ({each}), so there is no single trend."
        );
    }
    let (from, to) = (&first[0].1, &last[0].1);
    match to.rank.cmp(&from.rank) {
        std::cmp::Ordering::Less => format!(
            "Improved from {} in {first_year} to {} in {last_year}.",
            from.label, to.label
        ),
        std::cmp::Ordering::Greater => format!(
            "Worsened from {} in {first_year} to {} in {last_year}.",
            from.label, to.label
        ),
        std::cmp::Ordering::Equal => format!(
            "{} in every year from {first_year} to {last_year}.",
            to.label
        ),
    }
}
