//! An area's page: its ratings over the years (its predecessors' too), its gaps and how
//! it compares with the rest of its region, its codes and lineage, its need, and the
//! services that list it.

use super::context::{Base, base_context};
use super::templates::Templates;
use super::views::{AreaLink, NeedView, RegionLink, Shared, link, need_view, on_offer_and_closed};
use super::{PageJob, SiteInput, charts};
use crate::analyse;
use crate::diag::Diagnostic;
use crate::model::vocab::{SubmissionStatus, Vocabulary};
use crate::model::{Area, DatedCode, Framework, Region};
use serde::Serialize;

/// What `area.html` receives.
#[derive(Serialize)]
struct AreaContext<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    /// The area: its id, name and kind.
    area: AreaLink,
    /// The area's name with its kind and years, the page's title.
    area_title: String,
    /// The one area this one replaced, or was replaced by, on the same boundary; or `None`.
    same_boundary_as: Option<AreaLink>,
    /// The area's most recent ONS code, or `None`.
    area_code: Option<&'a str>,
    /// Every ONS code of the area with the years it was in use.
    area_codes: Vec<DatedCode<'a>>,
    /// The years the area came into use and went out of use, as its file states them.
    in_use_from: Option<u16>,
    in_use_until: Option<u16>,
    /// The towns and districts the area covers.
    covers: Vec<&'a str>,
    /// The area's region (without its latest year).
    region: RegionLink,
    /// The area's returns, oldest first, with its predecessors' returns.
    history: &'a [analyse::AreaYear],
    /// Each category's ratings year by year, with the trend in words.
    trend: Vec<analyse::TrendRow>,
    /// How many different years `history` covers.
    years_of_history: usize,
    /// Need and targets for the area, or `None` without population figures.
    need: Option<NeedView>,
    /// The area's own latest entry of `history` that is not awaiting its return, or `None`.
    latest: Option<&'a analyse::AreaYear>,
    /// How many categories of `latest` are still awaiting their return.
    latest_awaiting: usize,
    /// The categories of `latest` not rated in full, worst first.
    gaps: Vec<analyse::AreaGap>,
    /// Each category of `latest` against the other areas of the region.
    comparison: Vec<analyse::Comparison>,
    /// The SVG comparison chart (safe HTML), or `None` without `latest`.
    profile: Option<String>,
    /// The areas this area succeeds.
    predecessors: Vec<AreaLink>,
    /// The areas that succeed this one.
    successors: Vec<AreaLink>,
    /// Whether `history` includes returns made by predecessors.
    boundary_changed: bool,
    /// The rendered cards of the services on offer that list this area.
    service_cards: Vec<tera::Value>,
    /// The rendered cards of the closed services that list this area.
    closed_cards: Vec<tera::Value>,
    /// The years the area has a brief for, ascending.
    briefs: Vec<u16>,
}

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
    let latest_counts = latest
        .map(|l| analyse::category_counts(fw, &input.matrix(fw, region, l.year)))
        .unwrap_or_default();
    let ctx = AreaContext {
        base: base_context(input, &path, &shared.nav),
        area: link(area),
        area_title: super::wayfinding::area_title(area),
        same_boundary_as,
        area_code: area.latest_ons_code(),
        area_codes: area.dated_codes(),
        in_use_from: area.in_use.from.as_ref().map(|y| y.value),
        in_use_until: area.in_use.until.as_ref().map(|y| y.value),
        covers: area.covers.iter().map(|c| c.value.as_str()).collect(),
        region: RegionLink {
            id: region.id.value.clone(),
            name: region.name.value.clone(),
            latest_year: None,
        },
        trend: analyse::area_trend(&history, &area.id.value),
        years_of_history: history
            .iter()
            .map(|h| h.year)
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        need: need_view(
            &area.name.value,
            fw,
            area.population.as_ref(),
            &latest_counts,
        ),
        latest,
        latest_awaiting,
        gaps,
        comparison,
        profile,
        predecessors,
        successors,
        boundary_changed: !area.succeeds.is_empty()
            && history.iter().any(|h| h.area_id != area.id.value),
        service_cards: cards,
        closed_cards,
        briefs: super::brief::brief_years(input, region, area),
        history: &history,
    };
    PageJob::new(path, "area.html", &ctx)
}
