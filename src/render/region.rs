//! A region's pages: its provision for each year with returns and again for the latest
//! year (matrix, counts, gaps, chart, hex maps, changes, need and services), and the
//! returns tracker of each year in the network's own build.

use super::context::{NavLink, base_context};
use super::hexmap::{Layout, Tile, hex_map, initials};
use super::templates::Templates;
use super::views::{RegionLink, Shared, need_view, on_offer_and_closed};
use super::{PageJob, SiteInput, charts};
use crate::analyse::{self, Matrix};
use crate::diag::Diagnostic;
use crate::model::{Framework, Region};
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
    let mut ctx = base_context(input, path, &shared.nav);
    let root = super::root_prefix(path);
    let m = input.matrix(fw, region, year);
    let counts = analyse::category_counts(fw, &m);
    let (returns_rows, not_listed) = analyse::returns_table(&m);
    ctx.insert(
        "region",
        &RegionLink {
            id: region.id.value.clone(),
            name: region.name.value.clone(),
            latest_year: years.last().copied(),
        },
    );
    ctx.insert(
        "region_description",
        &region.description.as_ref().map(|d| d.value.as_str()),
    );
    ctx.insert(
        "region_code",
        &match year {
            0 => region.latest_ons_code(),
            y => region.ons_code_in(y),
        },
    );
    ctx.insert("year", &year);
    ctx.insert("years", years);
    let is_latest = path == format!("regions/{}/index.html", region.id.value);
    ctx.insert("is_latest", &is_latest);
    ctx.insert("matrix", &*m);
    ctx.insert("counts", &counts);
    // Gaps, and apart from them the types of service every area has in full.
    let (full, gaps): (Vec<_>, Vec<_>) = analyse::gap_sentences(fw, &m)
        .into_iter()
        .partition(|g| g.full);
    ctx.insert("gaps", &gaps);
    ctx.insert("full_everywhere", &full);
    ctx.insert(
        "shared_returns",
        &analyse::shared_return_sentences(&returns_rows),
    );
    ctx.insert("returns_rows", &returns_rows);
    ctx.insert("not_listed", &not_listed);
    ctx.insert(
        "chart",
        &charts::stacked_bar(
            fw,
            &counts,
            "chart-ratings",
            &format!("Ratings by category, {} {year}", region.name.value),
        ),
    );
    ctx.insert("maps", &hex_maps(region, &m, &root));
    // The directory lists services as they are now, so only the latest year's page (the
    // region's own address) lists them; each year's page links to it. Closed services are
    // listed apart and counted nowhere.
    let (on_offer, closed) = on_offer_and_closed(input.region_services(region));
    ctx.insert("service_count", &on_offer.len());
    let (cards, closed_cards) = if is_latest {
        (
            shared.cards(input, fw, tera, path, 3, &on_offer)?,
            shared.cards(input, fw, tera, path, 4, &closed)?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    ctx.insert("service_cards", &cards);
    ctx.insert("closed_cards", &closed_cards);
    ctx.insert(
        "report",
        &ds.report(year, &region.id.value).map(report_summary),
    );
    let previous = years.iter().copied().filter(|y| *y < year).max();
    ctx.insert(
        "changes",
        &previous.map(|p| analyse::change_matrix(region, &input.matrix(fw, region, p), &m)),
    );
    ctx.insert(
        "need",
        &need_view(&region.name.value, fw, region.population.as_ref(), &counts),
    );
    Ok(PageJob {
        path: path.into(),
        template: "region.html".into(),
        context: ctx,
    })
}

/// The returns tracker of one region and year (internal build only).
pub(super) fn tracker_page(
    input: &SiteInput,
    nav: &[NavLink],
    region: &Region,
    year: u16,
    path: &str,
) -> PageJob {
    #[derive(Serialize)]
    struct Group<'a> {
        id: &'static str,
        title: &'static str,
        areas: &'a [crate::cycle::TrackedArea],
    }
    let t = crate::cycle::region_tracker(input.dataset, region, year);
    let groups = [
        Group {
            id: "returned",
            title: "Returned",
            areas: &t.returned,
        },
        Group {
            id: "without-form",
            title: "Rated without a form",
            areas: &t.rated_without_form,
        },
        Group {
            id: "unconfirmed",
            title: "Returned, ratings unconfirmed",
            areas: &t.unconfirmed,
        },
        Group {
            id: "awaiting",
            title: "Awaiting return",
            areas: &t.awaiting,
        },
        Group {
            id: "missing",
            title: "No return file",
            areas: &t.missing,
        },
    ];
    let mut ctx = base_context(input, path, nav);
    ctx.insert("areas", &t.areas());
    ctx.insert("groups", &groups);
    ctx.insert("tracker", &t);
    PageJob {
        path: path.into(),
        template: "tracker.html".into(),
        context: ctx,
    }
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
