//! The job planner: every page of the site, as a lazy job with what it reads, and every
//! generated file that is not a page, as a file group. It only lists; each page family
//! builds its own pages (`home`, `region`, `area`, `category`, `directory`, `report`,
//! `wayfinding`, `content`), from the views they share (`views`).

use super::templates::Templates;
use super::views::Shared;
use super::{Dep, Emit, FileGroup, LazyJob, SiteInput, emit_all, lazy};
use super::{area, category, content, home, region};
use super::{context, exports, search, templates};
use crate::model::Region;

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
        home::home(input, fw, nav)
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
                region::region_page(input, fw, tera, shared, region, year, &years, &p)
            }));
        }
        // The returns tracker, for the network's own build only.
        if input.audience == crate::audience::Audience::Internal {
            for year in &years {
                let (year, years) = (*year, years.clone());
                let path = format!("regions/{}/{year}/returns/index.html", region.id.value);
                let deps = region_year_deps(region, year, &years);
                jobs.push(lazy(path.clone(), deps, move || {
                    region::tracker_page(input, nav, region, year, &path)
                }));
            }
        }
        let latest = years.last().copied().unwrap_or(0);
        let p = latest_path.clone();
        let deps = region_year_deps(region, latest, &years);
        jobs.push(lazy(latest_path, deps, move || {
            region::region_page(input, fw, tera, shared, region, latest, &years, &p)
        }));
        for area in &region.areas {
            jobs.push(lazy(
                format!("areas/{}/index.html", area.id.value),
                region_deps(region),
                move || area::area_page(input, fw, tera, shared, region, area),
            ));
        }
    }
    for cat in &fw.categories {
        jobs.push(lazy(
            format!("categories/{}/index.html", cat.id.value),
            vec![Dep::AllData],
            move || category::category_page(input, fw, cat, nav),
        ));
    }
    jobs.extend(super::brief::brief_jobs(input, fw, nav));
    jobs.extend(super::directory::directory_jobs(input, fw, tera, shared));
    jobs.extend(super::wayfinding::jobs(input, fw, nav));
    jobs.extend(super::compare::jobs(input, fw, nav));
    jobs.extend(super::overview::jobs(input, fw, nav));
    for page in input.pages.iter().filter(|p| p.report_section().is_none()) {
        // Shortcodes can place any region's data on a content page.
        let deps = vec![Dep::Page(&page.slug), Dep::AllData];
        jobs.push(lazy(format!("{}/index.html", page.slug), deps, move || {
            content::content_page(input, fw, tera, page, nav)
        }));
    }
    jobs.push(lazy("404.html".into(), vec![Dep::AllData], move || {
        super::wayfinding::not_found_page(input, nav)
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

/// The files that are not pages, in groups made together, each with what it reads.
pub(super) fn file_groups<'a>(input: &'a SiteInput) -> Vec<FileGroup<'a>> {
    vec![
        FileGroup::new("data/provision", vec![Dep::AllData], move |emit: &Emit| {
            emit_all(exports::provision_exports(input), emit);
            Ok(())
        }),
        FileGroup::new(
            "data/directory",
            vec![Dep::AllServices],
            move |emit: &Emit| {
                emit(exports::directory_export(input));
                Ok(())
            },
        ),
        FileGroup::new(
            "directory/search",
            vec![Dep::AllServices],
            move |emit: &Emit| {
                emit_all(search::search_files(input), emit);
                Ok(())
            },
        ),
        FileGroup::new("static", Vec::new(), move |emit: &Emit| {
            let mut diagnostics = Vec::new();
            let mut files =
                templates::static_files(&input.root, &input.config.theme.value, &mut diagnostics);
            files.push(context::ratings_css(input.dataset));
            if diagnostics.is_empty() {
                emit_all(files, emit);
                Ok(())
            } else {
                Err(diagnostics)
            }
        }),
    ]
}
