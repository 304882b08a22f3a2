//! The home page: each region's latest year in a few figures and sentences, the types of
//! service, and the way into the directory and the narrative pages.

use super::context::{NavLink, base_context};
use super::{PageJob, SiteInput};
use crate::analyse;
use crate::model::Framework;
use crate::model::vocab::SubmissionStatus;
use serde::Serialize;

pub(super) fn home(input: &SiteInput, fw: &Framework, nav: &[NavLink]) -> PageJob {
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
