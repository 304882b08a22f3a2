//! The home page: each region's latest year in a few figures and sentences, the types of
//! service, and the way into the directory and the narrative pages.

use super::context::{Base, NavLink, base_context};
use super::{PageJob, SiteInput};
use crate::analyse;
use crate::diag::Diagnostic;
use crate::model::Framework;
use crate::model::vocab::SubmissionStatus;
use serde::Serialize;

/// What `index.html` receives.
#[derive(Serialize)]
struct HomeContext<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    /// One summary per region of its latest year with returns.
    regions: Vec<RegionSummary>,
    /// Every category of the framework as `(id, name)`.
    categories: Vec<(&'a str, &'a str)>,
    /// The number of services the directory lists (on offer, not closed).
    service_count: usize,
    /// The menu without the directory and the overview of all regions, which the page
    /// links to in their own places.
    pages: Vec<&'a NavLink>,
    /// Whether the site has an overview of all regions (it holds more than one).
    overview: bool,
}

/// One region on the home page, for its latest year with returns.
#[derive(Serialize)]
struct RegionSummary {
    id: String,
    name: String,
    /// The latest year with returns, or `None` before the first.
    year: Option<u16>,
    /// Areas rated that year, forms returned, and forms still awaited.
    areas: usize,
    returned: usize,
    awaiting: usize,
    /// The three worst gap sentences.
    headline: Vec<String>,
}

pub(super) fn home(
    input: &SiteInput,
    fw: &Framework,
    nav: &[NavLink],
) -> Result<PageJob, Vec<Diagnostic>> {
    let ds = input.dataset;
    let awaited = |r: &analyse::MatrixRow| r.status() == Some(SubmissionStatus::AwaitingReturn);
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
    let overview = super::overview::nav_link().path;
    let ctx = HomeContext {
        base: base_context(input, "index.html", nav),
        regions,
        categories: fw
            .categories
            .iter()
            .map(|c| (c.id.value.as_str(), c.name.value.as_str()))
            .collect(),
        // The same count as the directory's own page gives.
        service_count: super::directory::listed_count(ds),
        pages: nav[1..].iter().filter(|l| l.path != overview).collect(),
        overview: super::overview::shown(input),
    };
    PageJob::new("index.html", "index.html", &ctx)
}
