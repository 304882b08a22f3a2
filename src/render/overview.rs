//! The overview of every region, on a site that holds more than one: for each year, how
//! the areas of all regions together were rated in each type of service, and for each type
//! of service, the share of each region's areas at each rating. Areas still awaiting their
//! return and areas with no rating are counted apart from the ratings, never as one.
//!
//! In: the site input and the framework. Out: page jobs for `overview/` (the latest year),
//! `overview/<year>/` and `overview/<year>/<category>/`. Each page holds one table and one
//! chart whatever the number of regions: a national site's 42 regions make a table of 42
//! rows on each type of service's page, never one table of every region and type at once.

use super::context::{Base, NavLink, base_context};
use super::share_chart as charts;
use super::shares::{ShareColumn, ShareRow, Tally, columns, describe, share_row};
use super::{Dep, LazyJob, PageJob, SiteInput, lazy};
use crate::diag::Diagnostic;
use crate::model::{Category, Framework, Region};
use serde::Serialize;

/// Where the overview starts, from the site root.
pub const PATH: &str = "overview/";

/// Whether the site has an overview: it holds more than one region.
pub fn shown(input: &SiteInput) -> bool {
    input.dataset.regions().len() > 1
}

/// The overview's item in the main menu.
pub fn nav_link() -> NavLink {
    NavLink {
        title: "All regions".into(),
        path: PATH.into(),
    }
}

/// Every year any region has returns for, oldest first.
fn all_years(input: &SiteInput) -> Vec<u16> {
    let mut years: Vec<u16> = input
        .dataset
        .regions()
        .iter()
        .flat_map(|r| input.years(&r.value).iter().copied())
        .collect();
    years.sort_unstable();
    years.dedup();
    years
}

/// What a page of the overview for `year` reads: every region's file and returns of that
/// year, and which years each has (the pages link to every year and name the regions
/// without returns). An edit to one year's return leaves the other years' pages alone.
fn year_deps<'a>(input: &SiteInput<'a>, year: u16) -> Vec<Dep<'a>> {
    input
        .dataset
        .regions()
        .iter()
        .flat_map(|r| {
            let id = r.value.id.value.as_str();
            [Dep::RegionYear(id, year), Dep::RegionYears(id)]
        })
        .collect()
}

/// The overview's pages, when the site holds more than one region.
pub fn jobs<'a>(input: &'a SiteInput, fw: &'a Framework, nav: &'a [NavLink]) -> Vec<LazyJob<'a>> {
    if !shown(input) {
        return Vec::new();
    }
    let years = all_years(input);
    let mut jobs = Vec::new();
    let latest = years.last().copied().unwrap_or(0);
    let index = format!("{PATH}index.html");
    let y = years.clone();
    jobs.push(lazy(index.clone(), year_deps(input, latest), move || {
        year_page(input, fw, nav, latest, &y, &index)
    }));
    for &year in &years {
        let path = format!("{PATH}{year}/index.html");
        let y = years.clone();
        let p = path.clone();
        jobs.push(lazy(path, year_deps(input, year), move || {
            year_page(input, fw, nav, year, &y, &p)
        }));
        for cat in &fw.categories {
            let path = format!("{PATH}{year}/{}/index.html", cat.id.value);
            let y = years.clone();
            let p = path.clone();
            jobs.push(lazy(path, year_deps(input, year), move || {
                category_page(input, fw, nav, cat, year, &y, &p)
            }));
        }
    }
    jobs
}

/// A region that has returns for the year, with how many areas it rated.
#[derive(Serialize)]
struct RegionEntry {
    id: String,
    name: String,
    areas: usize,
}

/// The regions of the site with returns for `year`, and the names of those without.
fn regions_in<'a>(input: &'a SiteInput, year: u16) -> (Vec<&'a Region>, Vec<String>) {
    let (with, without): (Vec<&Region>, Vec<&Region>) = input
        .dataset
        .regions()
        .iter()
        .map(|r| &r.value)
        .partition(|r| input.years(r).contains(&year));
    (
        with,
        without.into_iter().map(|r| r.name.value.clone()).collect(),
    )
}

/// What `overview.html` receives as `overview`: one year across every region.
#[derive(Serialize)]
struct YearPage {
    /// The year shown; 0 when no region has returns yet.
    year: u16,
    /// Every year any region has returns for, oldest first.
    years: Vec<u16>,
    /// `true` on `overview/index.html`, the latest year.
    is_latest: bool,
    /// The headings of the shares: each rating, awaiting return, and no rating when some
    /// row has an area without one.
    columns: Vec<ShareColumn>,
    /// One row per type of service some region graded that year, in the framework's order:
    /// the areas of every region with returns that year, together; each links to its page
    /// of shares by region.
    categories: Vec<ShareRow>,
    /// The names of the framework's types of service no region graded that year.
    not_graded: Vec<String>,
    /// The regions with returns for the year.
    regions: Vec<RegionEntry>,
    /// The names of the regions with no returns for the year.
    without_returns: Vec<String>,
    /// **Safe HTML**: the chart of `categories`.
    chart: String,
}

fn year_page(
    input: &SiteInput,
    fw: &Framework,
    nav: &[NavLink],
    year: u16,
    years: &[u16],
    path: &str,
) -> Result<PageJob, Vec<Diagnostic>> {
    let (regions, without_returns) = if year == 0 {
        (Vec::new(), Vec::new())
    } else {
        regions_in(input, year)
    };
    let matrices: Vec<_> = regions.iter().map(|r| input.matrix(fw, r, year)).collect();
    // The types of service some region graded that year, with the areas of all regions.
    let mut graded: Vec<(&Category, Tally)> = Vec::new();
    let mut not_graded = Vec::new();
    for cat in &fw.categories {
        let mut all = Tally::new(fw);
        let mut any = false;
        for m in &matrices {
            if let Some(i) = m.columns.iter().position(|c| c.id == cat.id.value) {
                all.add(&Tally::of(fw, m, i));
                any = true;
            }
        }
        if any {
            graded.push((cat, all));
        } else {
            not_graded.push(cat.name.value.clone());
        }
    }
    let unrated = graded.iter().any(|(_, t)| t.unrated > 0);
    let bars: Vec<charts::ShareBar> = graded
        .iter()
        .map(|(cat, t)| t.bar(&cat.name.value))
        .collect();
    let categories: Vec<ShareRow> = graded
        .iter()
        .map(|(cat, t)| {
            let href = format!("{PATH}{year}/{}/index.html", cat.id.value);
            share_row(fw, &cat.name.value, href, t, unrated)
        })
        .collect();
    let title = format!("Ratings of the areas of all regions by type of service, {year}");
    let desc = describe(&categories);
    let overview = YearPage {
        year,
        years: years.to_vec(),
        is_latest: path == format!("{PATH}index.html"),
        columns: columns(fw, unrated),
        chart: if year == 0 {
            String::new()
        } else {
            charts::share_bars(fw, &bars, "chart-overview", &title, &desc)
        },
        categories,
        not_graded,
        regions: regions
            .iter()
            .zip(&matrices)
            .map(|(r, m)| RegionEntry {
                id: r.id.value.clone(),
                name: r.name.value.clone(),
                areas: m.rows.len(),
            })
            .collect(),
        without_returns,
    };
    let ctx = YearContext {
        base: base_context(input, path, nav),
        overview,
    };
    PageJob::new(path, "overview.html", &ctx)
}

/// A type of service as the overview names it.
#[derive(Serialize)]
struct CategoryRef {
    id: String,
    name: String,
}

/// What `overview_category.html` receives as `overview`: one type of service in one year,
/// region by region.
#[derive(Serialize)]
struct CategoryPage {
    /// The year shown.
    year: u16,
    /// Every year any region has returns for, oldest first.
    years: Vec<u16>,
    /// The type of service, named as the framework names it.
    category: CategoryRef,
    /// The headings of the shares: each rating, awaiting return, and no rating when some
    /// row has an area without one.
    columns: Vec<ShareColumn>,
    /// The areas of every region below, together.
    all: ShareRow,
    /// One row per region that graded the type of service that year, in the site's order
    /// of regions; each links to the region's page for the year.
    regions: Vec<ShareRow>,
    /// The names of the regions with returns for the year that did not grade it.
    not_graded: Vec<String>,
    /// The names of the regions with no returns for the year.
    without_returns: Vec<String>,
    /// **Safe HTML**: the chart of `all` and `regions`.
    chart: String,
}

fn category_page(
    input: &SiteInput,
    fw: &Framework,
    nav: &[NavLink],
    cat: &Category,
    year: u16,
    years: &[u16],
    path: &str,
) -> Result<PageJob, Vec<Diagnostic>> {
    let (with, without_returns) = regions_in(input, year);
    let mut all = Tally::new(fw);
    let mut tallies = Vec::new();
    let mut not_graded = Vec::new();
    for region in with {
        let m = input.matrix(fw, region, year);
        let Some(i) = m.columns.iter().position(|c| c.id == cat.id.value) else {
            not_graded.push(region.name.value.clone());
            continue;
        };
        let t = Tally::of(fw, &m, i);
        all.add(&t);
        tallies.push((region, t));
    }
    let unrated = all.unrated > 0;
    let bars: Vec<charts::ShareBar> = tallies
        .iter()
        .map(|(region, t)| t.bar(&region.name.value))
        .collect();
    let rows: Vec<ShareRow> = tallies
        .iter()
        .map(|(region, t)| {
            let href = format!("regions/{}/{year}/index.html", region.id.value);
            share_row(fw, &region.name.value, href, t, unrated)
        })
        .collect();
    let all_name = "All regions";
    let mut shown = vec![all.bar(all_name)];
    shown.extend(bars);
    let all = share_row(
        fw,
        all_name,
        format!("{PATH}{year}/index.html"),
        &all,
        unrated,
    );
    let title = format!("{} by region, {year}", cat.name.value);
    let mut desc = describe(std::slice::from_ref(&all));
    if !rows.is_empty() {
        desc = format!("{desc}; {}", describe(&rows));
    }
    let chart = if rows.is_empty() {
        String::new()
    } else {
        charts::share_bars(fw, &shown, "chart-overview", &title, &desc)
    };
    let overview = CategoryPage {
        year,
        years: years.to_vec(),
        category: CategoryRef {
            id: cat.id.value.clone(),
            name: cat.name.value.clone(),
        },
        columns: columns(fw, unrated),
        all,
        regions: rows,
        not_graded,
        without_returns,
        chart,
    };
    let ctx = CategoryContext {
        base: base_context(input, path, nav),
        overview,
    };
    PageJob::new(path, "overview_category.html", &ctx)
}

/// What `overview.html` receives.
#[derive(Serialize)]
struct YearContext<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    /// One year's shares of ratings per type of service, over every region's areas.
    overview: YearPage,
}

/// What `overview_category.html` receives.
#[derive(Serialize)]
struct CategoryContext<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    /// One type of service's shares of ratings in one year, region by region.
    overview: CategoryPage,
}
