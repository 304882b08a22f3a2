//! An area's page: its ratings over the years (its predecessors' too), its gaps and how
//! it compares with the rest of its region, its codes and lineage, its need, and the
//! services that list it.

use super::context::base_context;
use super::templates::Templates;
use super::views::{AreaLink, RegionLink, Shared, link, need_view, on_offer_and_closed};
use super::{PageJob, SiteInput, charts};
use crate::analyse;
use crate::diag::Diagnostic;
use crate::model::vocab::{SubmissionStatus, Vocabulary};
use crate::model::{Area, Framework, Region};

pub(super) fn area_page(
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
    ctx.insert("closed_cards", &closed_cards);
    Ok(PageJob {
        path,
        template: "area.html".into(),
        context: ctx,
    })
}
