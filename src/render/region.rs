//! A region's pages: its provision for each year with returns and again for the latest
//! year (matrix, counts, gaps, chart, hex maps, changes, need and services), and the
//! returns tracker of each year in the network's own build.

use super::context::{Base, NavLink, base_context};
use super::hexmap::{Layout, Tile, hex_map, initials};
use super::templates::Templates;
use super::views::{NeedView, RegionLink, Shared, need_view, on_offer_and_closed};
use super::{PageJob, SiteInput, charts};
use crate::analyse::{self, Matrix};
use crate::diag::Diagnostic;
use crate::model::{Framework, Region, Service};
use serde::Serialize;

fn hex_tiles(region: &Region, year: u16) -> Vec<(Tile, String)> {
    region
        .areas_in(year)
        .into_iter()
        .filter_map(|a| {
            let hex = a.hex?;
            Some((
                Tile {
                    name: a.name.value.clone(),
                    short: initials(&a.name.value),
                    href: String::new(),
                    q: hex.q,
                    r: hex.r,
                },
                a.id.value.clone(),
            ))
        })
        .collect()
}

#[derive(Serialize)]
struct SmallMap {
    title: String,
    svg: String,
}

/// The key map (area initials) and one small map per category.
fn hex_maps(region: &Region, m: &Matrix, root: &str) -> Vec<SmallMap> {
    let mut tiles = hex_tiles(region, m.year);
    if tiles.is_empty() {
        return Vec::new();
    }
    for (t, id) in &mut tiles {
        t.href = format!("{root}areas/{id}/index.html");
    }
    let plain: Vec<Tile> = tiles.iter().map(|(t, _)| t.clone()).collect();
    let layout = Layout::new(&plain);
    let mut maps = vec![SmallMap {
        title: "Areas".into(),
        svg: hex_map(
            &layout,
            None,
            &format!("Map of the areas of {}", region.name.value),
        ),
    }];
    for (i, col) in m.columns.iter().enumerate() {
        let rows: Vec<Option<&analyse::MatrixRow>> = tiles
            .iter()
            .map(|(_, id)| m.rows.iter().find(|r| &r.area_id == id))
            .collect();
        let cells: Vec<Option<analyse::Cell>> = rows
            .iter()
            .map(|r| r.and_then(|r| r.cells.get(i).cloned().flatten()))
            .collect();
        let awaiting: Vec<Option<String>> = rows
            .iter()
            .map(|r| r.and_then(|r| r.awaiting.get(i).cloned().flatten().map(|a| a.label)))
            .collect();
        maps.push(SmallMap {
            title: col.name.clone(),
            svg: hex_map(
                &layout,
                Some((&cells, &awaiting)),
                &format!("{} by area", col.name),
            ),
        });
    }
    maps
}

/// What `region.html` receives, for one region and year.
#[derive(Serialize)]
struct RegionContext<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    /// The region, with its latest year with returns.
    region: RegionLink,
    /// The region's `description`, or `None`.
    region_description: Option<&'a str>,
    /// The region's ONS code valid in `year` (its latest code when `year` is 0), or `None`.
    region_code: Option<&'a str>,
    /// The year shown; 0 for a region with no returns yet.
    year: u16,
    /// Every year with returns for the region, oldest first.
    years: &'a [u16],
    /// Whether this is the region's own address (its latest year) rather than a year page.
    is_latest: bool,
    /// The provision matrix of the region and year.
    matrix: &'a Matrix,
    /// One count per column of the matrix.
    counts: &'a [analyse::CategoryCount],
    /// The gap sentences that are gaps, worst first.
    gaps: Vec<analyse::GapSentence>,
    /// The gap sentences of the types of service every area has in full.
    full_everywhere: Vec<analyse::GapSentence>,
    /// One sentence for each form that covered more than one rated area.
    shared_returns: Vec<String>,
    /// The returns table as the report prints it.
    returns_rows: &'a [analyse::ReturnsRow],
    /// The names of the areas rated but not in the returns table.
    not_listed: &'a [String],
    /// The SVG ratings chart (safe HTML).
    chart: String,
    /// The hex maps: the key map, then one per category.
    maps: Vec<SmallMap>,
    /// How many services on offer serve the region (closed services are not counted).
    service_count: usize,
    /// The rendered cards of those services, on the region's own address only, when there
    /// are at most `MOST_CARDS` of them.
    service_cards: Vec<tera::Value>,
    /// The rendered cards of the region's closed services, on its own address only, when
    /// the services are shown as cards.
    closed_cards: Vec<tera::Value>,
    /// When there are more services than `MOST_CARDS`, on the region's own address: the
    /// services on offer by name under each type of service they give, in the framework's
    /// order (a service of several types under each). Empty otherwise.
    service_groups: Vec<ServiceGroup<'a>>,
    /// The closed services by name, when the services are listed by name.
    closed_names: Vec<ServiceName<'a>>,
    /// That year's report, or `None`.
    report: Option<ReportSummary>,
    /// What changed since the previous year with returns, or `None` in the first year.
    changes: Option<analyse::ChangeMatrix>,
    /// Need and targets for the region, or `None` without population figures.
    need: Option<NeedView>,
}

/// The most services a region's page describes as cards; more are listed by name.
const MOST_CARDS: usize = 60;

/// A type of service and the services on offer in the region that give it.
#[derive(Serialize)]
struct ServiceGroup<'a> {
    /// The category's id, or `None` for services whose types the framework does not have.
    id: Option<&'a str>,
    /// The category's name, or "Type of service not stated".
    name: &'a str,
    services: Vec<ServiceName<'a>>,
}

/// A service by id (its page is `directory/<id>/`) and name.
#[derive(Serialize)]
struct ServiceName<'a> {
    id: &'a str,
    name: &'a str,
}

impl<'a> ServiceName<'a> {
    fn of(s: &'a Service) -> ServiceName<'a> {
        ServiceName {
            id: &s.id.value,
            name: &s.name.value,
        }
    }
}

/// `services` under each category of the framework they give, in the framework's order;
/// a service none of whose categories the framework has is listed last, not left out.
fn service_groups<'a>(fw: &'a Framework, services: &[&'a Service]) -> Vec<ServiceGroup<'a>> {
    let gives = |s: &Service, id: &str| s.categories.iter().any(|c| c.value == id);
    let mut groups: Vec<ServiceGroup> = fw
        .categories
        .iter()
        .map(|c| ServiceGroup {
            id: Some(&c.id.value),
            name: &c.name.value,
            services: services
                .iter()
                .filter(|s| gives(s, &c.id.value))
                .map(|s| ServiceName::of(s))
                .collect(),
        })
        .filter(|g| !g.services.is_empty())
        .collect();
    let unplaced: Vec<ServiceName> = services
        .iter()
        .filter(|s| s.categories.iter().all(|c| fw.category(&c.value).is_none()))
        .map(|s| ServiceName::of(s))
        .collect();
    if !unplaced.is_empty() {
        groups.push(ServiceGroup {
            id: None,
            name: "Type of service not stated",
            services: unplaced,
        });
    }
    groups
}

#[allow(clippy::too_many_arguments)]
pub(super) fn region_page(
    input: &SiteInput,
    fw: &Framework,
    tera: &Templates,
    shared: &Shared,
    region: &Region,
    year: u16,
    years: &[u16],
    path: &str,
) -> Result<PageJob, Vec<Diagnostic>> {
    let ds = input.dataset;
    let root = super::root_prefix(path);
    let m = input.matrix(fw, region, year);
    let counts = analyse::category_counts(fw, &m);
    let (returns_rows, not_listed) = analyse::returns_table(&m);
    let is_latest = path == format!("regions/{}/index.html", region.id.value);
    // Gaps, and apart from them the types of service every area has in full.
    let (full, gaps): (Vec<_>, Vec<_>) = analyse::gap_sentences(fw, &m)
        .into_iter()
        .partition(|g| g.full);
    // The directory lists services as they are now, so only the latest year's page (the
    // region's own address) lists them; each year's page links to it. Closed services are
    // listed apart and counted nowhere.
    let (on_offer, closed) = on_offer_and_closed(input.region_services(region));
    // Cards describe each service, but a region of hundreds of services would make a page
    // too heavy for a phone: then the services are listed by name, each linked to its page.
    let by_name = on_offer.len() > MOST_CARDS;
    let (cards, closed_cards) = if is_latest && !by_name {
        (
            shared.cards(input, fw, tera, path, 3, &on_offer)?,
            shared.cards(input, fw, tera, path, 4, &closed)?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let (service_groups, closed_names) = if is_latest && by_name {
        (
            service_groups(fw, &on_offer),
            closed.iter().map(|s| ServiceName::of(s)).collect(),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let previous = years.iter().copied().filter(|y| *y < year).max();
    let ctx = RegionContext {
        base: base_context(input, path, &shared.nav),
        region: RegionLink {
            id: region.id.value.clone(),
            name: region.name.value.clone(),
            latest_year: years.last().copied(),
        },
        region_description: region.description.as_ref().map(|d| d.value.as_str()),
        region_code: match year {
            0 => region.latest_ons_code(),
            y => region.ons_code_in(y),
        },
        year,
        years,
        is_latest,
        matrix: &m,
        counts: &counts,
        gaps,
        full_everywhere: full,
        shared_returns: analyse::shared_return_sentences(&returns_rows),
        returns_rows: &returns_rows,
        not_listed: &not_listed,
        chart: charts::stacked_bar(
            fw,
            &counts,
            "chart-ratings",
            &format!("Ratings by category, {} {year}", region.name.value),
        ),
        maps: hex_maps(region, &m, &root),
        service_count: on_offer.len(),
        service_cards: cards,
        closed_cards,
        service_groups,
        closed_names,
        report: ds.report(year, &region.id.value).map(report_summary),
        changes: previous.map(|p| analyse::change_matrix(region, &input.matrix(fw, region, p), &m)),
        need: need_view(&region.name.value, fw, region.population.as_ref(), &counts),
    };
    PageJob::new(path, "region.html", &ctx)
}

/// What `tracker.html` receives.
#[derive(Serialize)]
struct TrackerContext<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    /// The number of areas in use that year.
    areas: usize,
    /// The tracker's five lists of areas in display order, each with an id and a title.
    groups: &'a [TrackerGroup<'a>],
    /// The region's areas sorted by where their returns are.
    tracker: &'a crate::cycle::RegionTracker,
}

/// One list of the tracker.
#[derive(Serialize)]
struct TrackerGroup<'a> {
    id: &'static str,
    title: &'static str,
    areas: &'a [crate::cycle::TrackedArea],
}

/// The returns tracker of one region and year (internal build only).
pub(super) fn tracker_page(
    input: &SiteInput,
    nav: &[NavLink],
    region: &Region,
    year: u16,
    path: &str,
) -> Result<PageJob, Vec<Diagnostic>> {
    let t = crate::cycle::region_tracker(input.dataset, region, year);
    let groups = [
        TrackerGroup {
            id: "returned",
            title: "Returned",
            areas: &t.returned,
        },
        TrackerGroup {
            id: "without-form",
            title: "Rated without a form",
            areas: &t.rated_without_form,
        },
        TrackerGroup {
            id: "unconfirmed",
            title: "Returned, ratings unconfirmed",
            areas: &t.unconfirmed,
        },
        TrackerGroup {
            id: "awaiting",
            title: "Awaiting return",
            areas: &t.awaiting,
        },
        TrackerGroup {
            id: "missing",
            title: "No return file",
            areas: &t.missing,
        },
    ];
    let ctx = TrackerContext {
        base: base_context(input, path, nav),
        areas: t.areas(),
        groups: &groups,
        tracker: &t,
    };
    PageJob::new(path, "tracker.html", &ctx)
}

#[derive(Serialize)]
struct ReportSummary {
    title: String,
    version: String,
    date: String,
    author: String,
    owner: String,
    status: Option<String>,
    data_as_of: String,
    forms_sent: Option<String>,
}

fn report_summary(r: &crate::model::Report) -> ReportSummary {
    ReportSummary {
        title: r.title.value.clone(),
        version: r.document.version.value.clone(),
        date: r.document.date.value.clone(),
        author: r.document.author.value.clone(),
        owner: r.document.owner.value.clone(),
        status: r.document.status.as_ref().map(|s| s.value.clone()),
        data_as_of: super::context::ratings_date(r),
        forms_sent: r.forms_sent.as_ref().map(|f| f.value.clone()),
    }
}
