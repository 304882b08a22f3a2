//! Change between years. Across a boundary change a Place is compared with the areas it
//! succeeds: when they were rated alike the change is read as usual, when they differed the
//! change is reported as a boundary change showing each predecessor — never an average.

use super::area::AreaYear;
use super::matrix::{Cell, Column, Matrix};
use crate::model::Region;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// `improved`, `worsened`, `unchanged`, `new`, `boundary` (predecessors differed) or
    /// `awaiting` (this year's rating has not been returned yet: nothing is compared).
    pub status: String,
    /// The ratings compared against: the area's own, or each predecessor's.
    pub before: Vec<(String, Cell)>,
    pub after: Option<Cell>,
    /// For an `awaiting` change: the last confirmed ratings, as every page shows them.
    pub awaiting: Option<super::matrix::Awaiting>,
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

const STATUSES: [&str; 7] = [
    "improved",
    "worsened",
    "changed",
    "unchanged",
    "new",
    "boundary",
    "awaiting",
];

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
    if after.code == first.code {
        return "unchanged".into();
    }
    match super::matrix::compare_ranks(first.rank, after.rank) {
        Some(std::cmp::Ordering::Less) => "improved",
        Some(std::cmp::Ordering::Greater) => "worsened",
        Some(std::cmp::Ordering::Equal) => "unchanged",
        // To or from "in development": a change, neither better nor worse.
        None => "changed",
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
                let awaiting = row.awaiting.get(i).cloned().flatten();
                Change {
                    status: if awaiting.is_some() {
                        "awaiting".into()
                    } else {
                        compare(&before, after.as_ref())
                    },
                    before,
                    after,
                    awaiting,
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
        let following = region.successors_of(&old.area_id);
        let successors: Vec<String> = following
            .iter()
            .filter(|a| current.rows.iter().any(|r| r.area_id == a.id.value))
            .map(|a| a.name.value.clone())
            .collect();
        // One area replaced by one that replaced nothing else has the same boundary.
        let same_boundary = following.len() == 1 && following[0].succeeds.len() == 1;
        no_longer.push(if successors.is_empty() {
            format!("{} is no longer assessed.", old.area_name)
        } else if same_boundary {
            format!(
                "{} became the {} {}, with the same boundary.",
                old.area_name, following[0].kind.value, successors[0]
            )
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
            } else if s == "awaiting" {
                format!("{n} awaiting return")
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

/// One year of a trend: the year, the ratings (each with the name of the area it belongs
/// to, empty for the area's own) and the names of the areas whose return is still awaited.
pub type TrendYear = (u16, Vec<(String, Cell)>, Vec<String>);

#[derive(Debug, Clone, Serialize)]
pub struct TrendRow {
    pub category_id: String,
    pub category_name: String,
    /// For each year: the ratings that year, each with the name of the area it belongs to
    /// (empty for the area's own), and for each area whose return is still awaited that
    /// year, the awaiting label with the last confirmed ratings ("Awaiting return — 2022:
    /// B in Blackpool, R in Fylde and Wyre").
    pub years: Vec<TrendYear>,
    pub statement: String,
}

/// Each category's ratings across an area's years (its own and, through every boundary
/// change, its predecessors'), with a sentence when there are enough years to speak of a
/// trend.
pub fn area_trend(history: &[AreaYear], area_id: &str) -> Vec<TrendRow> {
    let mut years: Vec<u16> = history.iter().map(|h| h.year).collect();
    years.dedup();
    let mut categories: Vec<(String, String)> = Vec::new();
    for h in history {
        for (id, name, _, _) in &h.ratings {
            if !categories.iter().any(|(c, _)| c == id) {
                categories.push((id.clone(), name.clone()));
            }
        }
    }
    let label = |h: &AreaYear| {
        if h.area_id == area_id {
            String::new()
        } else {
            h.area_name.clone()
        }
    };
    categories
        .into_iter()
        .map(|(id, name)| {
            let by_year: Vec<TrendYear> = years
                .iter()
                .map(|y| {
                    let that_year: Vec<(&AreaYear, &super::area::RatingOf)> = history
                        .iter()
                        .filter(|h| h.year == *y)
                        .filter_map(|h| h.ratings.iter().find(|r| r.0 == id).map(|r| (h, r)))
                        .collect();
                    let cells = that_year
                        .iter()
                        .filter_map(|(h, r)| r.2.clone().map(|c| (label(h), c)))
                        .collect();
                    let awaited = that_year
                        .iter()
                        .filter_map(|(_, r)| r.3.as_ref().map(|a| a.label.clone()))
                        .collect();
                    (*y, cells, awaited)
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

fn trend_statement(by_year: &[TrendYear]) -> String {
    let rated: Vec<(u16, &Vec<(String, Cell)>)> = by_year
        .iter()
        .filter(|(_, c, _)| !c.is_empty())
        .map(|(y, c, _)| (*y, c))
        .collect();
    let (Some((first_year, first)), Some((last_year, last))) = (rated.first(), rated.last()) else {
        return "Not rated.".into();
    };
    if rated.len() < 2 {
        return "Only one year of returns: no trend yet.".into();
    }
    // Any year in which the areas before a boundary change differed breaks the line.
    if let Some((year, cells)) = rated
        .iter()
        .find(|(_, cells)| cells.iter().any(|(_, c)| c.code != cells[0].1.code))
    {
        let each = cells
            .iter()
            .map(|(a, c)| format!("{a} {}", c.code))
            .collect::<Vec<_>>()
            .join(", ");
        return format!(
            "The boundary changed and the areas before it were rated differently in {year} ({each}), so there is no single trend."
        );
    }
    let (from, to) = (&first[0].1, &last[0].1);
    match super::matrix::compare_ranks(from.rank, to.rank) {
        Some(std::cmp::Ordering::Less) => format!(
            "Improved from {} in {first_year} to {} in {last_year}.",
            from.label, to.label
        ),
        Some(std::cmp::Ordering::Greater) => format!(
            "Worsened from {} in {first_year} to {} in {last_year}.",
            from.label, to.label
        ),
        _ if from.code == to.code => format!(
            "{} in every year from {first_year} to {last_year}.",
            to.label
        ),
        // To or from "in development", which is neither better nor worse than a rating.
        _ => format!(
            "Changed from {} in {first_year} to {} in {last_year}.",
            from.label, to.label
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(code: &str, rank: u8, label: &str) -> Cell {
        Cell {
            code: code.into(),
            label: label.into(),
            glyph: String::new(),
            rank: Some(rank),
            fill: String::new(),
            text: String::new(),
            note: None,
            evidence: Vec::new(),
            internal_note: None,
            draft: false,
            carried_forward: false,
        }
    }

    #[test]
    fn in_development_is_a_change_neither_better_nor_worse() {
        let mut developing = cell("B", 0, "In development");
        developing.rank = None;
        let (full, none) = (cell("G", 1, "Full provision"), cell("R", 4, "No provision"));
        let from = |c: &Cell| vec![("Alpha".to_string(), c.clone())];
        assert_eq!(compare(&from(&developing), Some(&full)), "changed");
        assert_eq!(compare(&from(&none), Some(&developing)), "changed");
        assert_eq!(compare(&from(&developing), Some(&developing)), "unchanged");
        assert_eq!(compare(&from(&none), Some(&full)), "improved");
    }

    #[test]
    fn a_year_in_which_predecessors_differed_is_never_skipped() {
        let some = cell("A", 2, "Some provision");
        let full = cell("G", 1, "Full provision");
        let none = cell("R", 4, "No provision");
        let by_year: Vec<TrendYear> = vec![
            (2019, vec![("Old".into(), some.clone())], vec![]),
            (
                2020,
                vec![("North".into(), full.clone()), ("South".into(), none)],
                vec![],
            ),
            (2021, vec![(String::new(), full.clone())], vec![]),
        ];
        assert_eq!(
            trend_statement(&by_year),
            "The boundary changed and the areas before it were rated differently in 2020 (North G, South R), so there is no single trend."
        );
        let alike: Vec<TrendYear> = vec![
            (2019, vec![("Old".into(), some)], vec![]),
            (2020, vec![], vec!["Old".into()]),
            (2021, vec![(String::new(), full)], vec![]),
        ];
        assert_eq!(
            trend_statement(&alike),
            "Improved from Some provision in 2019 to Full provision in 2021."
        );
    }
}
