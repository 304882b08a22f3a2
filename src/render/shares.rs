//! The shares of the overview: how many of a region's areas (or of several regions'
//! together) were rated at each level in one type of service, as counts and as whole
//! percentages of all those areas, with the areas awaiting their return and those with no
//! published rating counted apart from the ratings.

use super::share_chart as charts;
use crate::analyse::{Matrix, rating_counts_phrase};
use crate::model::Framework;
use serde::Serialize;

/// How the areas of one region (or of several) were rated in one type of service.
#[derive(Clone, Default)]
pub(super) struct Tally {
    /// Areas at each level of the rating scale, in its order.
    pub(super) ratings: Vec<usize>,
    pub(super) awaiting: usize,
    /// Areas with no published rating for the type of service (such as a draft rating,
    /// which only the internal build shows).
    pub(super) unrated: usize,
}

impl Tally {
    pub(super) fn new(fw: &Framework) -> Tally {
        Tally {
            ratings: vec![0; fw.ratings.len()],
            ..Tally::default()
        }
    }

    /// The areas of a matrix in its column `index`.
    pub(super) fn of(fw: &Framework, m: &Matrix, index: usize) -> Tally {
        let mut t = Tally::new(fw);
        for row in &m.rows {
            let cell = row.cells.get(index).and_then(Option::as_ref);
            let awaiting = row.awaiting.get(index).is_some_and(Option::is_some);
            match cell.and_then(|c| fw.ratings.iter().position(|l| l.code.value == c.code)) {
                Some(level) => t.ratings[level] += 1,
                None if awaiting => t.awaiting += 1,
                None => t.unrated += 1,
            }
        }
        t
    }

    pub(super) fn add(&mut self, other: &Tally) {
        for (a, b) in self.ratings.iter_mut().zip(&other.ratings) {
            *a += b;
        }
        self.awaiting += other.awaiting;
        self.unrated += other.unrated;
    }

    pub(super) fn areas(&self) -> usize {
        self.ratings.iter().sum::<usize>() + self.awaiting + self.unrated
    }

    pub(super) fn bar(&self, label: &str) -> charts::ShareBar {
        charts::ShareBar {
            label: label.to_string(),
            ratings: self.ratings.clone(),
            awaiting: self.awaiting,
            unrated: self.unrated,
        }
    }
}

/// One heading of a table of shares.
#[derive(Serialize)]
pub(super) struct ShareColumn {
    /// The rating's code, or `awaiting` or `none` for the parts that are not ratings.
    pub(super) code: String,
    /// "Full provision", "Awaiting return", "No rating".
    pub(super) label: String,
}

/// The headings: each rating, awaiting return, and no rating when `unrated` (a page whose
/// rows all have a rating or await one leaves that column out).
pub(super) fn columns(fw: &Framework, unrated: bool) -> Vec<ShareColumn> {
    let mut columns: Vec<ShareColumn> = fw
        .ratings
        .iter()
        .map(|l| ShareColumn {
            code: l.code.value.clone(),
            label: l.label.value.clone(),
        })
        .collect();
    columns.push(ShareColumn {
        code: "awaiting".into(),
        label: "Awaiting return".into(),
    });
    if unrated {
        columns.push(ShareColumn {
            code: "none".into(),
            label: "No rating".into(),
        });
    }
    columns
}

/// One part of a row of shares.
#[derive(Serialize)]
pub(super) struct SharePart {
    /// As the row's column has it: a rating's code, `awaiting` or `none`.
    pub(super) code: String,
    /// How many areas.
    pub(super) count: usize,
    /// The share of all the row's areas, as a whole percentage rounded half up.
    pub(super) percent: usize,
}

/// One row of a table of shares: a region, a type of service, or all regions together.
#[derive(Serialize)]
pub(super) struct ShareRow {
    /// The row's name.
    pub(super) name: String,
    /// Where its name links, from the site root (`regions/<id>/<year>/index.html`).
    pub(super) href: String,
    /// How many areas the shares are of.
    pub(super) areas: usize,
    /// One per column, in the columns' order.
    pub(super) parts: Vec<SharePart>,
    /// The counts in words: "2 full, 2 some, 1 none; 1 awaiting return".
    pub(super) phrase: String,
}

/// `n` of `total` as a whole percentage, rounded half up.
fn percent(n: usize, total: usize) -> usize {
    if total == 0 {
        0
    } else {
        (n * 200 + total) / (2 * total)
    }
}

/// A row of shares; its part for no rating only when the page has that column.
pub(super) fn share_row(
    fw: &Framework,
    name: &str,
    href: String,
    t: &Tally,
    unrated: bool,
) -> ShareRow {
    let areas = t.areas();
    let mut parts: Vec<SharePart> = fw
        .ratings
        .iter()
        .zip(&t.ratings)
        .map(|(l, n)| SharePart {
            code: l.code.value.clone(),
            count: *n,
            percent: percent(*n, areas),
        })
        .collect();
    let mut others = vec![("awaiting", t.awaiting)];
    if unrated {
        others.push(("none", t.unrated));
    }
    for (code, n) in others {
        parts.push(SharePart {
            code: code.into(),
            count: n,
            percent: percent(n, areas),
        });
    }
    let counts: Vec<(String, String, usize)> = fw
        .ratings
        .iter()
        .zip(&t.ratings)
        .map(|(l, n)| (l.code.value.clone(), l.label.value.clone(), *n))
        .collect();
    let mut phrase = rating_counts_phrase(&counts);
    if t.awaiting > 0 {
        phrase.push_str(&format!("; {} awaiting return", t.awaiting));
    }
    if t.unrated > 0 {
        phrase.push_str(&format!("; {} with no rating", t.unrated));
    }
    ShareRow {
        name: name.to_string(),
        href,
        areas,
        parts,
        phrase,
    }
}

/// The rows of a table in words, for a chart's description.
pub(super) fn describe(rows: &[ShareRow]) -> String {
    rows.iter()
        .map(|r| format!("{}: {} of {} areas", r.name, r.phrase, r.areas))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn percent_rounds_half_up_and_survives_no_areas() {
        assert_eq!(super::percent(1, 3), 33);
        assert_eq!(super::percent(2, 3), 67);
        assert_eq!(super::percent(1, 8), 13);
        assert_eq!(super::percent(0, 0), 0);
        assert_eq!(super::percent(5, 5), 100);
    }
}
