//! Compare areas: for each region and year, a page with every area's rating for each type
//! of service side by side, and beside them how all the region's areas were rated.
//!
//! In: the site input and the framework. Out: a page job per region and year,
//! `regions/<id>/<year>/compare/`. The page is one static table of every area, which is
//! what it shows without JavaScript; with it, `assets/compare.js` shows a picker of areas
//! and hides the columns of the areas not chosen, keeping the choice in the address
//! (`?areas=knowsley,liverpool`). A rating still awaiting its return shows as awaiting,
//! never as a rating, and is counted apart in the region's distribution.

use super::context::{Base, NavLink, base_context};
use super::{LazyJob, PageJob, SiteInput, lazy};
use crate::analyse::{Awaiting, Cell, KeyEntry};
use crate::diag::Diagnostic;
use crate::model::vocab::SubmissionStatus;
use crate::model::{Framework, Region};
use serde::Serialize;

/// The compare pages of every region and year with returns.
pub fn jobs<'a>(input: &'a SiteInput, fw: &'a Framework, nav: &'a [NavLink]) -> Vec<LazyJob<'a>> {
    let mut jobs = Vec::new();
    for region in input.dataset.regions().iter().map(|r| &r.value) {
        let years = input.years(region);
        for &year in years {
            let path = compare_path(&region.id.value, year);
            let deps = super::pages::region_year_deps(region, year, years);
            let p = path.clone();
            jobs.push(lazy(path, deps, move || {
                compare_page(input, fw, nav, region, year, &p)
            }));
        }
    }
    jobs
}

/// The compare page of a region and year, from the site root.
pub fn compare_path(region: &str, year: u16) -> String {
    format!("regions/{region}/{year}/compare/index.html")
}

/// A region as the compare page names it.
#[derive(Serialize)]
struct RegionRef {
    id: String,
    name: String,
}

/// One area that can be compared: a column of the table and a box of the picker.
#[derive(Serialize)]
struct CompareArea {
    /// The area's id: its page's folder, and its value in the address (`?areas=`).
    id: String,
    /// The area's name as that year's report prints it.
    name: String,
    /// Why the area has no ratings of its own that year, or `null`: "no return",
    /// "awaiting return" or "not in returns table".
    status: Option<&'static str>,
}

/// One area's rating of one type of service.
#[derive(Serialize)]
struct CompareCell {
    /// The area's id, as in `areas`.
    area_id: String,
    /// The published rating, or `null`.
    cell: Option<Cell>,
    /// What is known of a rating still awaiting its return, or `null`.
    awaiting: Option<Awaiting>,
}

/// One level of the region's distribution.
#[derive(Serialize)]
struct Level {
    code: String,
    label: String,
    glyph: String,
    /// How many of the region's areas were rated at this level.
    count: usize,
}

/// One type of service: a row of the table.
#[derive(Serialize)]
struct CompareRow {
    /// The category's id (its page's folder).
    id: String,
    /// Its name as that year's report prints it.
    name: String,
    /// One per area, in the order of `areas`.
    cells: Vec<CompareCell>,
    /// The region's areas at each level of the rating scale, in its order.
    levels: Vec<Level>,
    /// The region's areas still awaiting their return: not in any level.
    awaiting: usize,
    /// The region's areas with no rating (no return, or none given): not in any level.
    unrated: usize,
    /// The same in words: "0 full, 6 some, 3 none, 1 awaiting return".
    phrase: String,
}

/// What `compare.html` receives as `compare`.
#[derive(Serialize)]
struct ComparePage {
    region: RegionRef,
    /// The year shown.
    year: u16,
    /// Every year the region has returns for, oldest first.
    years: Vec<u16>,
    /// Every area of the region's matrix for the year, in its order.
    areas: Vec<CompareArea>,
    /// One row per type of service graded that year, in the framework's order.
    rows: Vec<CompareRow>,
    /// The key to the ratings as the year words it.
    key: Vec<KeyEntry>,
}

fn compare_page(
    input: &SiteInput,
    fw: &Framework,
    nav: &[NavLink],
    region: &Region,
    year: u16,
    path: &str,
) -> Result<PageJob, Vec<Diagnostic>> {
    let m = input.matrix(fw, region, year);
    let counts = input.counts(fw, region, year);
    let areas: Vec<CompareArea> = m
        .rows
        .iter()
        .map(|r| CompareArea {
            id: r.area_id.clone(),
            name: r.area_name.clone(),
            status: match r.status() {
                Some(SubmissionStatus::Received) => None,
                Some(SubmissionStatus::AwaitingReturn) => Some("awaiting return"),
                Some(SubmissionStatus::NotListed) => Some("not in returns table"),
                _ => Some("no return"),
            },
        })
        .collect();
    let rows = m
        .columns
        .iter()
        .enumerate()
        .map(|(i, col)| {
            let count = counts.iter().find(|c| c.category_id == col.id);
            let levels: Vec<Level> = fw
                .ratings
                .iter()
                .map(|l| Level {
                    code: l.code.value.clone(),
                    label: l.label.value.clone(),
                    glyph: l.glyph.value.clone(),
                    count: count
                        .and_then(|c| c.counts.iter().find(|x| x.0 == l.code.value))
                        .map_or(0, |x| x.2),
                })
                .collect();
            let rated: usize = levels.iter().map(|l| l.count).sum();
            let awaiting = m.awaiting_in(i);
            CompareRow {
                id: col.id.clone(),
                name: col.name.clone(),
                cells: m
                    .rows
                    .iter()
                    .map(|r| CompareCell {
                        area_id: r.area_id.clone(),
                        cell: r.cells.get(i).cloned().flatten(),
                        awaiting: r.awaiting.get(i).cloned().flatten(),
                    })
                    .collect(),
                levels,
                awaiting,
                unrated: m.rows.len().saturating_sub(rated + awaiting),
                phrase: count.map(|c| c.phrase.clone()).unwrap_or_default(),
            }
        })
        .collect();
    let compare = ComparePage {
        region: RegionRef {
            id: region.id.value.clone(),
            name: region.name.value.clone(),
        },
        year,
        years: input.years(region).to_vec(),
        areas,
        rows,
        key: m.key.clone(),
    };
    let ctx = CompareContext {
        base: base_context(input, path, nav),
        compare,
    };
    PageJob::new(path, "compare.html", &ctx)
}

/// What `compare.html` receives.
#[derive(Serialize)]
struct CompareContext<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    /// The region's areas, their ratings side by side and the region's spread per type.
    compare: ComparePage,
}
