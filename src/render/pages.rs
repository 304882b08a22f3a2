//! The list of pages to render, each with its template and context.
//!
//! Kept in one file: the site's shared page context, its labels and most page kinds are
//! built from the same few views, each read by several of the others; the split by page
//! family starts by giving those shared views a module of their own.

use super::context::{NavLink, base_context};
use super::hexmap::{Layout, Tile, hex_map, initials};
use super::templates::Templates;
use super::{Dep, LazyJob, OutputFile, PageJob, SiteInput, charts, lazy, markdown, shortcodes};
use crate::analyse::{self, Matrix};
use crate::diag::Diagnostic;
use crate::model::vocab::{AgeGroup, Delivery, Referral, SubmissionStatus, Vocabulary, label_of};
use crate::model::{Area, Dataset, Framework, Region, Service};
use serde::Serialize;

/// Each service's description rendered to safe HTML, on first use (a rebuild renders
/// only a few services' pages), as a template value that pages share without copying.
pub struct Descriptions(Vec<std::sync::OnceLock<tera::Value>>);

impl Descriptions {
    pub fn new(services: usize) -> Descriptions {
        Descriptions((0..services).map(|_| std::sync::OnceLock::new()).collect())
    }

    /// Forget the descriptions of the services at `positions`.
    pub fn forget(&mut self, positions: &[usize]) {
        for &i in positions {
            if let Some(slot) = self.0.get_mut(i) {
                slot.take();
            }
        }
    }

    pub fn get(&self, ds: &Dataset, s: &Service) -> tera::Value {
        match ds.service_position(&s.id.value).and_then(|i| self.0.get(i)) {
            Some(slot) => slot
                .get_or_init(|| tera::Value::from(markdown::to_html(&s.description.value)))
                .clone(),
            None => tera::Value::from(""),
        }
    }
}

/// What many pages share, worked out once before rendering.
pub struct Shared {
    pub nav: Vec<NavLink>,
    pub descriptions: std::sync::Arc<Descriptions>,
    pub cards: std::sync::Arc<super::cards::Cards>,
}

impl Shared {
    /// Rendered cards for `services`, as listed on the page at `path`.
    pub fn cards(
        &self,
        input: &SiteInput,
        fw: &Framework,
        tera: &Templates,
        path: &str,
        heading: u8,
        services: &[&Service],
    ) -> Result<Vec<tera::Value>, Vec<Diagnostic>> {
        self.cards.cards(
            input.dataset,
            fw,
            tera,
            path,
            heading,
            services,
            &self.descriptions,
        )
    }
}

/// Navigation, and the service descriptions and cards that many pages show (kept from
/// the last build when neither the services nor the theme, `theme`, have changed).
pub fn shared(input: &SiteInput, theme: blake3::Hash) -> Shared {
    let (cards, descriptions) = input.service_views(theme);
    Shared {
        nav: navigation(input),
        descriptions,
        cards,
    }
}

/// Every page of the site, as jobs that build their context only when run.
pub fn page_jobs<'a>(
    input: &'a SiteInput,
    tera: &'a Templates,
    shared: &'a Shared,
) -> Vec<LazyJob<'a>> {
    let ds = input.dataset;
    let Some(fw) = ds.framework() else {
        return Vec::new();
    };
    let nav = &shared.nav;
    // The reports are the largest pages: they go first, so that the many small pages
    // left at the end keep every core busy until the last one is done.
    let mut jobs = super::report::report_jobs(input, fw, tera, shared);
    jobs.push(lazy("index.html".into(), vec![Dep::AllData], move || {
        Ok(home(input, fw, nav))
    }));
    for region in ds.regions().iter().map(|r| &r.value) {
        let years = input.years(region).to_vec();
        let latest_path = format!("regions/{}/index.html", region.id.value);
        for year in &years {
            let (year, years) = (*year, years.clone());
            let path = format!("regions/{}/{year}/index.html", region.id.value);
            let p = path.clone();
            let deps = region_year_deps(region, year, &years);
            jobs.push(lazy(path, deps, move || {
                region_page(input, fw, tera, shared, region, year, &years, &p)
            }));
        }
        // The returns tracker, for the network's own build only.
        if input.audience == crate::audience::Audience::Internal {
            for year in &years {
                let (year, years) = (*year, years.clone());
                let path = format!("regions/{}/{year}/returns/index.html", region.id.value);
                let deps = region_year_deps(region, year, &years);
                jobs.push(lazy(path.clone(), deps, move || {
                    Ok(tracker_page(input, nav, region, year, &path))
                }));
            }
        }
        let latest = years.last().copied().unwrap_or(0);
        let p = latest_path.clone();
        let deps = region_year_deps(region, latest, &years);
        jobs.push(lazy(latest_path, deps, move || {
            region_page(input, fw, tera, shared, region, latest, &years, &p)
        }));
        for area in &region.areas {
            jobs.push(lazy(
                format!("areas/{}/index.html", area.id.value),
                region_deps(region),
                move || area_page(input, fw, tera, shared, region, area),
            ));
        }
    }
    for cat in &fw.categories {
        jobs.push(lazy(
            format!("categories/{}/index.html", cat.id.value),
            vec![Dep::AllData],
            move || Ok(category_page(input, fw, cat, nav)),
        ));
    }
    jobs.extend(super::brief::brief_jobs(input, fw, nav));
    jobs.extend(super::directory::directory_jobs(input, fw, tera, shared));
    jobs.extend(super::wayfinding::jobs(input, fw, nav));
    for page in input.pages.iter().filter(|p| p.report_section().is_none()) {
        // Shortcodes can place any region's data on a content page.
        let deps = vec![Dep::Page(&page.slug), Dep::AllData];
        jobs.push(lazy(format!("{}/index.html", page.slug), deps, move || {
            content_page(input, fw, tera, page, nav)
        }));
    }
    jobs.push(lazy("404.html".into(), vec![Dep::AllData], move || {
        let mut not_found = base_context(input, "404.html", nav);
        not_found.insert("regions", &region_links(input));
        // Served for any missing path, so links start from where the site is published.
        not_found.insert(
            "root",
            &super::wayfinding::not_found_root(&input.config.base_url.value),
        );
        Ok(PageJob {
            path: "404.html".into(),
            template: "404.html".into(),
            context: not_found,
        })
    }));
    jobs
}

/// What a region's pages read: its data and the services working in it.
pub(super) fn region_deps(region: &Region) -> Vec<Dep<'_>> {
    vec![
        Dep::Region(&region.id.value),
        Dep::RegionServices(&region.id.value),
    ]
}

/// What the pages of one region and year read: that year's data and the previous year's
/// (for the changes), which years there are, and the services working in the region.
pub(super) fn region_year_deps<'a>(region: &'a Region, year: u16, years: &[u16]) -> Vec<Dep<'a>> {
    let id = region.id.value.as_str();
    let mut deps = vec![
        Dep::RegionYear(id, year),
        Dep::RegionYears(id),
        Dep::RegionServices(id),
    ];
    if let Some(previous) = years.iter().copied().filter(|y| *y < year).max() {
        deps.push(Dep::RegionYear(id, previous));
    }
    deps
}

/// Services on offer (running or in development), as the directory lists and counts them,
/// and the closed ones, which pages list apart and never count.
fn on_offer_and_closed(services: Vec<&Service>) -> (Vec<&Service>, Vec<&Service>) {
    services
        .into_iter()
        .partition(|s| super::directory::listed(s))
}

fn ids_and_names(services: Vec<&Service>) -> Vec<(&str, &str)> {
    services
        .into_iter()
        .map(|s| (s.id.value.as_str(), s.name.value.as_str()))
        .collect()
}

/// The path part of the base URL, ending in `/` (`https://x.org/scoping` → `/scoping/`).
pub fn base_path(base_url: &str) -> String {
    let path = match base_url.split_once("://") {
        Some((_, rest)) => rest.find('/').map(|i| &rest[i..]).unwrap_or("/"),
        None => base_url,
    };
    format!("{}/", path.trim_end_matches('/'))
}

/// Narrative pages with an `order`, in that order, then the fixed sections.
fn navigation(input: &SiteInput) -> Vec<NavLink> {
    let mut pages: Vec<_> = input
        .pages
        .iter()
        .filter(|p| p.report_section().is_none())
        .filter_map(|p| p.front.order.as_ref().map(|o| (o.value, p)))
        .collect();
    pages.sort_by_key(|(o, p)| (*o, p.slug.clone()));
    let mut nav: Vec<NavLink> = pages
        .into_iter()
        .map(|(_, p)| NavLink {
            title: p.front.title.value.clone(),
            path: format!("{}/", p.slug),
        })
        .collect();
    nav.insert(
        0,
        NavLink {
            title: "Directory".into(),
            path: "directory/".into(),
        },
    );
    nav
}

#[derive(Serialize)]
struct RegionLink {
    id: String,
    name: String,
    latest_year: Option<u16>,
}

fn region_links(input: &SiteInput) -> Vec<RegionLink> {
    input
        .dataset
        .regions()
        .iter()
        .map(|r| RegionLink {
            id: r.value.id.value.clone(),
            name: r.value.name.value.clone(),
            latest_year: input.years(&r.value).last().copied(),
        })
        .collect()
}

#[derive(Serialize)]
pub(super) struct ServiceCard<'a> {
    id: &'a str,
    name: &'a str,
    alternate_name: Option<&'a str>,
    /// `None` when no source names the provider.
    provider: Option<&'a str>,
    summary: &'a str,
    status: &'a str,
    areas: Vec<String>,
    ages: Vec<&'a str>,
    delivery: Vec<&'a str>,
    referral: Vec<&'a str>,
    categories: Vec<String>,
}

pub(super) fn service_card<'a>(ds: &'a Dataset, fw: &Framework, s: &'a Service) -> ServiceCard<'a> {
    // A closed service's card says what it was: who ran it and where, not how to get it.
    let open = !s.is_closed();
    let labels = |values: &'a [crate::model::Spanned<String>], label: fn(&str) -> &str| {
        values
            .iter()
            .filter(|_| open)
            .map(|v| label(&v.value))
            .collect::<Vec<&'a str>>()
    };
    ServiceCard {
        id: &s.id.value,
        name: &s.name.value,
        alternate_name: s.alternate_name.as_ref().map(|a| a.value.as_str()),
        provider: s.organization.as_ref().map(|o| o.name.value.as_str()),
        summary: &s.summary.value,
        status: &s.status.value,
        areas: analyse::service_area_labels_as_described(ds, s),
        ages: labels(&s.age_groups, label_of::<AgeGroup>),
        delivery: labels(&s.delivery, label_of::<Delivery>),
        referral: labels(&s.referral, label_of::<Referral>),
        categories: s
            .categories
            .iter()
            .filter_map(|c| fw.category(&c.value))
            .map(|c| c.name.value.clone())
            .collect(),
    }
}

fn home(input: &SiteInput, fw: &Framework, nav: &[NavLink]) -> PageJob {
    let ds = input.dataset;
    let awaited = |r: &analyse::MatrixRow| r.status() == Some(SubmissionStatus::AwaitingReturn);
    #[derive(Serialize)]
    struct RegionSummary {
        id: String,
        name: String,
        year: Option<u16>,
        areas: usize,
        headline: Vec<String>,
        returned: usize,
        awaiting: usize,
    }
    let regions: Vec<RegionSummary> = ds
        .regions()
        .iter()
        .map(|r| {
            let region = &r.value;
            let year = input.years(region).last().copied();
            let m = year.map(|y| input.matrix(fw, region, y));
            RegionSummary {
                id: region.id.value.clone(),
                name: region.name.value.clone(),
                year,
                areas: m
                    .as_ref()
                    .map(|m| m.rows.iter().filter(|r| !awaited(r)).count())
                    .unwrap_or(0),
                awaiting: m
                    .as_ref()
                    .map(|m| m.rows.iter().filter(|r| awaited(r)).count())
                    .unwrap_or(0),
                returned: m
                    .as_ref()
                    .map(|m| {
                        m.rows
                            .iter()
                            .filter(|r| r.status() == Some(SubmissionStatus::Received))
                            .count()
                    })
                    .unwrap_or(0),
                headline: m
                    .as_ref()
                    .map(|m| {
                        analyse::gap_sentences(fw, m)
                            .into_iter()
                            .filter(|g| !g.full)
                            .take(3)
                            .map(|g| g.text)
                            .collect()
                    })
                    .unwrap_or_default(),
            }
        })
        .collect();
    let mut ctx = base_context(input, "index.html", nav);
    ctx.insert("regions", &regions);
    ctx.insert(
        "categories",
        &fw.categories
            .iter()
            .map(|c| (&c.id.value, &c.name.value))
            .collect::<Vec<_>>(),
    );
    // The same count as the directory's own page gives.
    ctx.insert("service_count", &super::directory::listed_count(ds));
    ctx.insert("pages", &nav[1..]);
    PageJob {
        path: "index.html".into(),
        template: "index.html".into(),
        context: ctx,
    }
}

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
fn region_page(
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
fn tracker_page(
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
struct CategoryTrend {
    region: String,
    /// (year, "0 full, 6 some, 3 none").
    years: Vec<(u16, String)>,
    statement: String,
}

/// One category's counts year by year in each region, with a sentence when there are two
/// years or more.
fn category_trends(input: &SiteInput, fw: &Framework, category: &str) -> Vec<CategoryTrend> {
    let ds = input.dataset;
    ds.regions()
        .iter()
        .map(|r| &r.value)
        .map(|region| {
            let mut years = Vec::new();
            let mut full = Vec::new();
            for &year in input.years(region) {
                if let Some(c) = input
                    .counts(fw, region, year)
                    .iter()
                    .find(|c| c.category_id == category)
                    .filter(|c| c.rated > 0)
                {
                    full.push((
                        year,
                        c.counts
                            .iter()
                            .find(|x| x.0 == "G")
                            .map(|x| x.2)
                            .unwrap_or(0),
                        c.rated,
                    ));
                    years.push((year, c.phrase.clone()));
                }
            }
            let statement = match (full.first(), full.last()) {
                (Some(first), Some(last)) if full.len() > 1 => format!(
                    "Areas with full provision: {} of {} in {}, {} of {} in {}.",
                    first.1, first.2, first.0, last.1, last.2, last.0
                ),
                (Some(_), _) => "Only one year of returns: no trend yet.".to_string(),
                _ => "Not graded yet.".to_string(),
            };
            CategoryTrend {
                region: region.name.value.clone(),
                years,
                statement,
            }
        })
        .collect()
}

#[derive(Serialize)]
pub(super) struct NeedView {
    region_name: String,
    figures: analyse::NeedFigures,
    source: String,
    model_source: String,
    /// How the category the need is for is provided now, e.g. "0 full, 6 some, 3 none".
    provision: Option<(String, String)>,
}

pub(super) fn need_view(
    name: &str,
    fw: &Framework,
    population: Option<&crate::model::Population>,
    counts: &[analyse::CategoryCount],
) -> Option<NeedView> {
    let model = fw.need_model.as_ref()?;
    let p = population?;
    let provision = model
        .category
        .as_ref()
        .and_then(|c| counts.iter().find(|x| x.category_id == c.value))
        .map(|c| (c.category_name.clone(), c.phrase.clone()));
    Some(NeedView {
        region_name: name.to_string(),
        figures: analyse::need_figures(model, p),
        source: p.source.value.clone(),
        model_source: model.source.value.clone(),
        provision,
    })
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

#[derive(Serialize)]
pub(super) struct AreaLink {
    id: String,
    name: String,
    kind: String,
}

pub(super) fn link(a: &Area) -> AreaLink {
    AreaLink {
        id: a.id.value.clone(),
        name: a.name.value.clone(),
        kind: a.kind.value.clone(),
    }
}

fn area_page(
    input: &SiteInput,
    fw: &Framework,
    tera: &Templates,
    shared: &Shared,
    region: &Region,
    area: &Area,
) -> Result<PageJob, Vec<Diagnostic>> {
    let ds = input.dataset;
    let path = format!("areas/{}/index.html", area.id.value);
    let mut ctx = base_context(input, &path, &shared.nav);
    let published = input.years(region);
    let mut history = analyse::area_history(ds, fw, region, area);
    history.retain(|h| published.contains(&h.year));
    // The latest year the area returned anything: a return still awaited has no findings.
    let own: Vec<&analyse::AreaYear> = history
        .iter()
        .filter(|h| {
            h.area_id == area.id.value && h.submission != SubmissionStatus::AwaitingReturn.code()
        })
        .collect();
    let latest = own.last().copied();
    let latest_awaiting = latest
        .map(|l| l.ratings.iter().filter(|r| r.3.is_some()).count())
        .unwrap_or(0);
    let gaps = latest.map(analyse::area_gaps).unwrap_or_default();
    let (comparison, profile) = match latest {
        Some(l) => {
            let m = input.matrix(fw, region, l.year);
            let comparison = analyse::area_comparison(&m, &area.id.value);
            let counts = analyse::category_counts(fw, &m);
            let title = format!(
                "{} against the rest of {}, {}",
                l.area_name, region.name.value, l.year
            );
            let svg = charts::area_profile(
                fw,
                &l.area_name,
                &comparison,
                &counts,
                "chart-profile",
                &title,
            );
            (comparison, Some(svg))
        }
        None => (Vec::new(), None),
    };
    let predecessors: Vec<AreaLink> = area
        .succeeds
        .iter()
        .filter_map(|p| region.area(&p.value))
        .map(link)
        .collect();
    let successors: Vec<AreaLink> = region
        .successors_of(&area.id.value)
        .into_iter()
        .map(link)
        .collect();
    // One area replaced by one other that replaced nothing else: the same boundary under a
    // new kind of area, which "is now part of" would misdescribe.
    let same_boundary_as = match (area.succeeds.as_slice(), successors.as_slice()) {
        ([only], []) => region
            .area(&only.value)
            .filter(|p| analyse::same_boundary(region, p, area))
            .map(link),
        ([], [only]) => region
            .area(&only.id)
            .filter(|s| analyse::same_boundary(region, area, s))
            .map(link),
        _ => None,
    };
    let (on_offer, closed) = on_offer_and_closed(
        input
            .region_services(region)
            .into_iter()
            .filter(|s| s.areas.iter().any(|a| a.value == area.id.value))
            .collect(),
    );
    let cards = shared.cards(input, fw, tera, &path, 3, &on_offer)?;
    let closed_cards = shared.cards(input, fw, tera, &path, 4, &closed)?;
    ctx.insert("area", &link(area));
    ctx.insert("area_title", &super::wayfinding::area_title(area));
    ctx.insert("same_boundary_as", &same_boundary_as);
    ctx.insert("area_code", &area.latest_ons_code());
    ctx.insert("area_codes", &area.dated_codes());
    ctx.insert("in_use_from", &area.in_use.from.as_ref().map(|y| y.value));
    ctx.insert("in_use_until", &area.in_use.until.as_ref().map(|y| y.value));
    ctx.insert(
        "covers",
        &area
            .covers
            .iter()
            .map(|c| c.value.as_str())
            .collect::<Vec<_>>(),
    );
    ctx.insert(
        "region",
        &RegionLink {
            id: region.id.value.clone(),
            name: region.name.value.clone(),
            latest_year: None,
        },
    );
    ctx.insert("history", &history);
    ctx.insert("trend", &analyse::area_trend(&history, &area.id.value));
    ctx.insert(
        "years_of_history",
        &history
            .iter()
            .map(|h| h.year)
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
    );
    let latest_counts = latest
        .map(|l| analyse::category_counts(fw, &input.matrix(fw, region, l.year)))
        .unwrap_or_default();
    ctx.insert(
        "need",
        &need_view(
            &area.name.value,
            fw,
            area.population.as_ref(),
            &latest_counts,
        ),
    );
    ctx.insert("latest", &latest);
    ctx.insert("latest_awaiting", &latest_awaiting);
    ctx.insert("gaps", &gaps);
    ctx.insert("comparison", &comparison);
    ctx.insert("profile", &profile);
    ctx.insert("predecessors", &predecessors);
    ctx.insert("successors", &successors);
    ctx.insert(
        "boundary_changed",
        &(!area.succeeds.is_empty() && history.iter().any(|h| h.area_id != area.id.value)),
    );
    ctx.insert("service_cards", &cards);
    ctx.insert("briefs", &super::brief::brief_years(input, region, area));
    ctx.insert("closed_cards", &closed_cards);
    Ok(PageJob {
        path,
        template: "area.html".into(),
        context: ctx,
    })
}

/// Up to this many services of a type, a category page names each one.
const CATEGORY_NAMES_LIMIT: usize = 200;

fn category_page(
    input: &SiteInput,
    fw: &Framework,
    cat: &crate::model::Category,
    nav: &[NavLink],
) -> PageJob {
    let ds = input.dataset;
    let path = format!("categories/{}/index.html", cat.id.value);
    let mut ctx = base_context(input, &path, nav);
    #[derive(Serialize)]
    struct RegionColumn {
        id: String,
        name: String,
        year: u16,
        column_name: String,
        rows: Vec<(
            String,
            String,
            Option<analyse::Cell>,
            Option<analyse::Awaiting>,
        )>,
        phrase: String,
        gap: Option<String>,
    }
    // Each region's latest year with this category in full; earlier years are summed up
    // in the trends above and shown in full on the region's page for each year.
    let mut regions = Vec::new();
    for region in ds.regions().iter().map(|r| &r.value) {
        let latest = input.years(region).iter().rev().find_map(|&year| {
            let m = input.matrix(fw, region, year);
            let i = m.columns.iter().position(|c| c.id == cat.id.value)?;
            Some((year, m, i))
        });
        let Some((year, m, i)) = latest else {
            continue;
        };
        let counts = input.counts(fw, region, year);
        regions.push(RegionColumn {
            id: region.id.value.clone(),
            name: region.name.value.clone(),
            year,
            column_name: m.columns[i].name.clone(),
            rows: m
                .column_cells(i)
                .map(|(r, c)| {
                    (
                        r.area_id.clone(),
                        r.area_name.clone(),
                        c.cloned(),
                        r.awaiting.get(i).cloned().flatten(),
                    )
                })
                .collect(),
            phrase: counts[i].phrase.clone(),
            gap: input
                .gaps(fw, region, year)
                .iter()
                .find(|g| g.category_id == cat.id.value)
                .map(|g| g.text.clone()),
        });
    }
    // Services of the type by region: their names while there are few; at national size
    // (thousands) the number, with the directory's list of the type for the details.
    #[derive(Serialize)]
    struct ServiceGroup<'a> {
        id: &'a str,
        name: &'a str,
        /// Services on offer; closed ones are named apart and not counted.
        count: usize,
        services: Vec<(&'a str, &'a str)>,
        closed: Vec<(&'a str, &'a str)>,
    }
    let mut service_groups: Vec<ServiceGroup> = ds
        .regions()
        .iter()
        .map(|r| &r.value)
        .map(|region| {
            let (on_offer, closed) =
                on_offer_and_closed(input.category_services(&cat.id.value, region));
            ServiceGroup {
                id: &region.id.value,
                name: &region.name.value,
                count: on_offer.len(),
                services: ids_and_names(on_offer),
                closed: ids_and_names(closed),
            }
        })
        .filter(|g| g.count > 0 || !g.closed.is_empty())
        .collect();
    let total: usize = service_groups.iter().map(|g| g.count).sum();
    if total > CATEGORY_NAMES_LIMIT {
        for g in &mut service_groups {
            g.services.clear();
            g.closed.clear();
        }
    }
    ctx.insert("service_total", &total);
    ctx.insert(
        "category",
        &serde_json::json!({
            "id": cat.id.value, "name": cat.name.value, "description": cat.description.value,
            "source": cat.source.as_ref().map(|s| s.value.as_str()),
            "aliases": cat.aliases.iter().map(|a| a.value.as_str()).collect::<Vec<_>>(),
        }),
    );
    ctx.insert("trends", &category_trends(input, fw, &cat.id.value));
    ctx.insert("regions", &regions);
    ctx.insert("service_groups", &service_groups);
    PageJob {
        path,
        template: "category.html".into(),
        context: ctx,
    }
}

fn content_page(
    input: &SiteInput,
    fw: &Framework,
    tera: &Templates,
    page: &crate::model::Page,
    nav: &[NavLink],
) -> Result<PageJob, Vec<Diagnostic>> {
    let ds = input.dataset;
    let path = format!("{}/index.html", page.slug);
    let root = super::root_prefix(&path);
    let (text, codes) = shortcodes::extract(page);
    let html = markdown::to_html(&text);
    let mut rendered = Vec::new();
    let mut errors = Vec::new();
    for code in codes {
        let published = |region: &Region| input.years(region).to_vec();
        let Some((region, year)) =
            shortcodes::resolve(ds, &published, &page.source.path, code, &mut errors)
        else {
            continue;
        };
        let m = input.matrix(fw, region, year);
        let mut ctx = base_context(input, &path, nav);
        ctx.insert("matrix", &*m);
        ctx.insert("gaps", &analyse::gap_sentences(fw, &m));
        let counts = analyse::category_counts(fw, &m);
        let chart_id = format!("chart-{}-{year}-{}", region.id.value, rendered.len());
        ctx.insert(
            "chart",
            &charts::stacked_bar(
                fw,
                &counts,
                &chart_id,
                &format!("Ratings by category, {} {year}", region.name.value),
            ),
        );
        if code.kind == "need" {
            let Some(need) = need_view(&region.name.value, fw, region.population.as_ref(), &counts)
            else {
                errors.push(need_without_figures(ds, &page.source.path, code, region));
                continue;
            };
            ctx.insert("need", &need);
            ctx.insert(
                "need_id",
                &format!("{}-{}", region.id.value, rendered.len()),
            );
        }
        ctx.insert("counts", &counts);
        ctx.insert("root", &root);
        let template = format!("partials/{}.html", code.kind);
        match tera.render(&template, &ctx) {
            Ok(fragment) => rendered.push(fragment),
            Err(e) => errors.push(super::templates::template_error(tera, &template, &path, &e)),
        }
    }
    if let Some(named) = &page.front.template {
        errors.extend(super::templates::check_named(
            tera,
            &page.source.path,
            named,
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut ctx = base_context(input, &path, nav);
    ctx.insert("title", &page.front.title.value);
    ctx.insert(
        "description",
        &page.front.description.as_ref().map(|d| d.value.as_str()),
    );
    ctx.insert("contents", &super::wayfinding::contents(&html));
    ctx.insert("content", &shortcodes::insert(&html, &rendered));
    let template = page
        .front
        .template
        .as_ref()
        .map(|t| t.value.clone())
        .unwrap_or_else(|| "page.html".into());
    Ok(PageJob {
        path,
        template,
        context: ctx,
    })
}

/// E210: a `need` shortcode for a region with no population figures, or in a framework
/// with no need model, has nothing to show.
fn need_without_figures(
    ds: &Dataset,
    file: &str,
    code: &crate::model::Shortcode,
    region: &Region,
) -> Diagnostic {
    let (missing, help) = if ds.framework().is_some_and(|f| f.need_model.is_none()) {
        (
            "framework.yaml has no `need_model`".to_string(),
            "add `need_model:` to scoping-data/framework.yaml, or remove the shortcode",
        )
    } else {
        (
            format!("the region `{}` has no `population`", region.id.value),
            "add `population:` to the region's file, or remove the shortcode",
        )
    };
    Diagnostic::error(
        "E210",
        file,
        format!("the `need` shortcode has no figures to show: {missing}"),
    )
    .at_value(&code.region, code.region.value.chars().count())
    .help(help)
}

/// `sitemap.xml` listing every HTML page under the configured base URL.
pub fn sitemap(input: &SiteInput, paths: &[String]) -> OutputFile {
    let base = input.config.base_url.value.trim_end_matches('/');
    let mut pages: Vec<&str> = paths
        .iter()
        .map(String::as_str)
        .filter(|p| p.ends_with("index.html"))
        .collect();
    pages.sort_unstable();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in pages {
        let loc = format!("{base}/{}", p.trim_end_matches("index.html"));
        let loc = super::escape::element_text(&loc);
        xml.push_str(&format!("  <url><loc>{loc}</loc></url>\n"));
    }
    xml.push_str("</urlset>\n");
    OutputFile {
        path: "sitemap.xml".into(),
        bytes: xml.into_bytes(),
    }
}
