//! The brief of a Place: one area in one year on one or two printed A4 pages, for a local
//! board (`areas/<area-id>/<year>/brief/`).
//!
//! In: the site input and an area of a region. Out: one page job per year the site
//! publishes in which the area has a return (received, not received, or still awaited),
//! each with a typed context (`Brief`). Everything comes from the same views as the area
//! page: the area's history through boundary changes, its gaps, the comparison with its
//! region, the need model and the directory. A rating still awaited (a return not back
//! yet, or a carried-forward rating not confirmed) is shown as awaited, never as a rating.

use super::context::{Base, NavLink, base_context, ratings_date};
use super::{Dep, LazyJob, PageJob, SiteInput, lazy};
use crate::analyse::{self, AreaGap, AreaYear, Awaiting, Cell, KeyEntry, NeedFigures, TrendRow};
use crate::diag::Diagnostic;
use crate::model::vocab::{SubmissionStatus, Vocabulary};
use crate::model::{Area, Dataset, Framework, Region, Service};
use serde::Serialize;

/// The output path of an area's brief for `year`.
pub fn brief_path(area_id: &str, year: u16) -> String {
    format!("areas/{area_id}/{year}/brief/index.html")
}

/// The years the site publishes in which `area` has a return of its own (one still awaited
/// included): the years it has a brief for, ascending.
pub fn brief_years(input: &SiteInput, region: &Region, area: &Area) -> Vec<u16> {
    let published = input.years(region);
    let mut years: Vec<u16> = input
        .dataset
        .returns
        .iter()
        .map(|r| &r.value)
        .filter(|r| r.region.value == region.id.value && r.area.value == area.id.value)
        .map(|r| r.year.value)
        .filter(|y| published.contains(y))
        .collect();
    years.sort_unstable();
    years.dedup();
    years
}

/// The brief pages of every area of every region.
pub fn brief_jobs<'a>(
    input: &'a SiteInput,
    fw: &'a Framework,
    nav: &'a [NavLink],
) -> Vec<LazyJob<'a>> {
    let mut jobs = Vec::new();
    for region in input.dataset.regions().iter().map(|r| &r.value) {
        for area in &region.areas {
            for year in brief_years(input, region, area) {
                let path = brief_path(&area.id.value, year);
                // A brief looks back, never forward: its year's returns and every earlier
                // year's (the changes since the last return, through boundary changes).
                let id = region.id.value.as_str();
                let mut deps = vec![Dep::RegionYears(id), Dep::RegionServices(id)];
                deps.extend(
                    input
                        .years(region)
                        .iter()
                        .filter(|y| **y <= year)
                        .map(|y| Dep::RegionYear(id, *y)),
                );
                jobs.push(lazy(path, deps, move || {
                    brief_page(input, fw, nav, region, area, year)
                }));
            }
        }
    }
    jobs
}

/// Everything `brief.html` shows, under the name `brief`.
#[derive(Serialize)]
pub struct Brief {
    /// The page's title: the area's name with what it is and when, and the year
    /// ("Knowsley (Place, from 2023) — 2023 brief").
    pub title: String,
    /// The area: `id`, `name`, `kind` ("CCG", "Place").
    pub area: BriefArea,
    /// The region the area is in: `id`, `name`.
    pub region: BriefArea,
    /// The year of the return the brief is about.
    pub year: u16,
    /// The return's submission status code: `received`, `not-received`, `not-listed` or
    /// `awaiting-return`.
    pub submission: String,
    /// The status in words, as the vocabulary labels it ("Return received").
    pub submission_label: String,
    /// The name of the joint return the area's ratings were listed under, when there was one.
    pub listed_as: Option<String>,
    /// The return's own note about its submission.
    pub submission_note: Option<String>,
    /// Whether the whole return is still awaiting its form (no rating of it is published).
    pub awaiting_return: bool,
    /// One entry per category graded that year, in report order.
    pub ratings: Vec<BriefRating>,
    /// How many ratings are awaited: the return is not back, or a rating carried forward
    /// from an earlier year has not been confirmed.
    pub awaited: usize,
    /// The key to the rating codes, worded as the year words it.
    pub key: Vec<KeyEntry>,
    /// Categories without full provision, worst first (see `area.html`'s `gaps`).
    pub gaps: Vec<AreaGap>,
    /// What changed since the area's last earlier return, or its predecessors' when the
    /// boundary changed; `null` when there is no earlier return.
    pub changes: Option<BriefChanges>,
    /// The areas this area took over from (`id`, `name`, `kind`), empty when it took over
    /// from none.
    pub took_over_from: Vec<BriefArea>,
    /// Need and initial target from the need model, for an area with population figures in
    /// a year the model was published by; `null` otherwise.
    pub need: Option<BriefNeed>,
    /// The directory's services on offer in the area (or in an area it took over from),
    /// in directory order.
    pub services: Vec<BriefService>,
    /// How many more services on offer work across the whole region without naming areas.
    pub region_wide_services: usize,
    /// The report the ratings come from, when the data has one for the region and year.
    pub source: Option<BriefSource>,
}

/// An area or region as the brief names and links it.
#[derive(Serialize)]
pub struct BriefArea {
    /// Its id (the folder of its page).
    pub id: String,
    /// Its name.
    pub name: String,
    /// The kind of area ("CCG", "Place"); empty for a region.
    pub kind: String,
}

/// One category's rating in the brief's year.
#[derive(Serialize)]
pub struct BriefRating {
    /// The category's id (the folder of its page).
    pub category_id: String,
    /// The category's name as the year's report prints it.
    pub category_name: String,
    /// The published rating (`code`, `label`, `glyph`, `note`, …); `null` when awaited or
    /// not rated.
    pub cell: Option<Cell>,
    /// What is known of a rating still awaited: `label` ("Awaiting return — 2022: R in
    /// Knowsley"); `null` otherwise.
    pub awaiting: Option<Awaiting>,
    /// How the rating compares with the other areas of the region that year, in words.
    pub compared: String,
}

/// The ratings of the brief's year beside those of the last earlier year with a return.
#[derive(Serialize)]
pub struct BriefChanges {
    /// The earlier year.
    pub previous_year: u16,
    /// Whether the earlier ratings are those of other areas (the area's predecessors),
    /// each labelled with its name.
    pub through_boundary_change: bool,
    /// One row per category: `category_name`, `years` (two entries: year, the ratings each
    /// with the name of the area it belongs to, empty for the area's own, and the awaited
    /// labels) and `statement` in words. See `area.html`'s `trend`.
    pub rows: Vec<TrendRow>,
}

/// Need and initial target for the area.
#[derive(Serialize)]
pub struct BriefNeed {
    /// The figures (`aged_0_4`, `population_year`, `base_need`, `total_need`,
    /// `initial_target`, …), as `need.figures` on `area.html`.
    pub figures: NeedFigures,
    /// Where the population figures come from.
    pub population_source: String,
    /// Where the need model comes from.
    pub model_source: String,
}

/// One service of the area, as a line in a list.
#[derive(Serialize)]
pub struct BriefService {
    /// The service's id (the folder of its directory page).
    pub id: String,
    /// Its name.
    pub name: String,
    /// The organisation providing it, when the directory states one.
    pub provider: Option<String>,
    /// Its web address, telephone number and e-mail address, each when stated.
    pub url: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// The earlier area the directory lists it for, when it names that rather than this one.
    pub listed_for: Option<String>,
}

/// The report the brief's ratings come from.
#[derive(Serialize)]
pub struct BriefSource {
    /// Its title.
    pub title: String,
    /// Its version and date, as the document gives them.
    pub version: String,
    pub date: String,
    /// The date its ratings describe ("May 2022").
    pub data_as_of: String,
}

fn named(id: &str, name: &str, kind: &str) -> BriefArea {
    BriefArea {
        id: id.to_string(),
        name: name.to_string(),
        kind: kind.to_string(),
    }
}

fn brief_page(
    input: &SiteInput,
    fw: &Framework,
    nav: &[NavLink],
    region: &Region,
    area: &Area,
    year: u16,
) -> Result<PageJob, Vec<Diagnostic>> {
    let path = brief_path(&area.id.value, year);
    let ctx = BriefContext {
        base: base_context(input, &path, nav),
        brief: brief(input, fw, region, area, year),
    };
    PageJob::new(path, "brief.html", &ctx)
}

/// What `brief.html` receives.
#[derive(Serialize)]
struct BriefContext<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    /// The area's brief for the year (its fields in docs/themes.md).
    brief: Brief,
}

/// The brief of `area` for `year`.
pub fn brief(input: &SiteInput, fw: &Framework, region: &Region, area: &Area, year: u16) -> Brief {
    let ds = input.dataset;
    let published = input.years(region);
    let mut history = analyse::area_history(ds, fw, region, area);
    history.retain(|h| published.contains(&h.year) && h.year <= year);
    let own = history
        .iter()
        .find(|h| h.year == year && h.area_id == area.id.value);
    let matrix = input.matrix(fw, region, year);
    let comparison = analyse::area_comparison(&matrix, &area.id.value);
    let ratings: Vec<BriefRating> = own
        .map(|h| {
            h.ratings
                .iter()
                .map(|(id, name, cell, awaiting)| BriefRating {
                    category_id: id.clone(),
                    category_name: name.clone(),
                    cell: cell.clone(),
                    awaiting: awaiting.clone(),
                    compared: comparison
                        .iter()
                        .find(|c| &c.category_id == id)
                        .map(|c| c.sentence.clone())
                        .unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default();
    let awaited = ratings.iter().filter(|r| r.awaiting.is_some()).count();
    let submission = own.map(|h| h.submission.clone()).unwrap_or_default();
    let submission_label = SubmissionStatus::from_code(&submission)
        .map(|s| s.label().to_string())
        .unwrap_or_else(|| submission.clone());
    let awaiting_return = submission == SubmissionStatus::AwaitingReturn.code();
    let gaps = own.map(analyse::area_gaps).unwrap_or_default();
    let changes = changes(&history, &area.id.value, year);
    let took_over_from = area
        .succeeds
        .iter()
        .filter_map(|p| region.area(&p.value))
        .map(|p| named(&p.id.value, &p.name.value, &p.kind.value))
        .collect();
    let need = fw
        .need_model
        .as_ref()
        .filter(|m| m.published.as_ref().is_none_or(|p| p.value <= year))
        .zip(area.population.as_ref())
        .map(|(model, p)| BriefNeed {
            figures: analyse::need_figures(model, p),
            population_source: p.source.value.clone(),
            model_source: model.source.value.clone(),
        });
    let (services, region_wide_services) = services(input, ds, region, area);
    let source = ds.report(year, &region.id.value).map(|r| BriefSource {
        title: r.title.value.clone(),
        version: r.document.version.value.clone(),
        date: r.document.date.value.clone(),
        data_as_of: ratings_date(r),
    });
    Brief {
        title: format!("{} — {year} brief", super::wayfinding::area_title(area)),
        area: named(&area.id.value, &area.name.value, &area.kind.value),
        region: named(&region.id.value, &region.name.value, ""),
        year,
        submission,
        submission_label,
        listed_as: own.and_then(|h| h.listed_as.clone()),
        submission_note: own.and_then(|h| h.submission_note.clone()),
        awaiting_return,
        ratings,
        awaited,
        key: analyse::key_in(fw, year),
        gaps,
        changes,
        took_over_from,
        need,
        services,
        region_wide_services,
        source,
    }
}

/// The brief's year beside the last earlier year in `history` (the area's own returns and
/// its predecessors', up to the brief's year).
fn changes(history: &[AreaYear], area_id: &str, year: u16) -> Option<BriefChanges> {
    let previous_year = history.iter().map(|h| h.year).filter(|y| *y < year).max()?;
    let both: Vec<AreaYear> = history
        .iter()
        .filter(|h| h.year == year || h.year == previous_year)
        .cloned()
        .collect();
    let through_boundary_change = both
        .iter()
        .any(|h| h.year == previous_year && h.area_id != area_id);
    let mut rows = analyse::area_trend(&both, area_id);
    // Only the categories graded in the brief's year.
    rows.retain(|r| {
        both.iter()
            .any(|h| h.year == year && h.ratings.iter().any(|c| c.0 == r.category_id))
    });
    Some(BriefChanges {
        previous_year,
        through_boundary_change,
        rows,
    })
}

/// The services on offer that the directory lists for `area` or an area it took over from,
/// and how many more work across the whole region.
fn services(
    input: &SiteInput,
    ds: &Dataset,
    region: &Region,
    area: &Area,
) -> (Vec<BriefService>, usize) {
    let on_offer: Vec<&Service> = input
        .region_services(region)
        .into_iter()
        .filter(|s| super::directory::listed(s))
        .collect();
    let mut listed = Vec::new();
    let mut region_wide = 0;
    for s in on_offer {
        let own = s.areas.iter().any(|a| a.value == area.id.value);
        let earlier = s.areas.iter().find_map(|a| {
            area.succeeds
                .iter()
                .find(|p| p.value == a.value)
                .and_then(|p| ds.area(&p.value))
                .map(|(_, p)| p.name.value.clone())
        });
        if !own && earlier.is_none() {
            if s.regions.iter().any(|r| r.value == region.id.value) {
                region_wide += 1;
            }
            continue;
        }
        listed.push(BriefService {
            id: s.id.value.clone(),
            name: s.name.value.clone(),
            provider: s.organization.as_ref().map(|o| o.name.value.clone()),
            url: s.url.as_ref().map(|u| u.value.clone()),
            phone: s.phone.as_ref().map(|p| p.value.clone()),
            email: s.email.as_ref().map(|e| e.value.clone()),
            listed_for: if own { None } else { earlier },
        });
    }
    (listed, region_wide)
}
