//! A type of service's page: its description, its counts year by year in each region, each
//! region's latest column of the matrix for it, and the services of the type.

use super::context::{Base, NavLink, base_context};
use super::views::{ids_and_names, on_offer_and_closed};
use super::{PageJob, SiteInput};
use crate::analyse;
use crate::diag::Diagnostic;
use crate::model::Framework;
use serde::Serialize;

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

/// What `category.html` receives.
#[derive(Serialize)]
struct CategoryContext<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    /// The category as the framework describes it.
    category: CategoryView<'a>,
    /// Its counts year by year in each region, with the change in words.
    trends: Vec<CategoryTrend>,
    /// Each region's latest year that graded the category, with that year's column.
    regions: Vec<RegionColumn>,
    /// How many services of the type the directory lists (on offer, not closed).
    service_total: usize,
    /// The services of the type, region by region.
    service_groups: Vec<ServiceGroup<'a>>,
}

/// A category as the framework describes it.
#[derive(Serialize)]
struct CategoryView<'a> {
    id: &'a str,
    name: &'a str,
    description: &'a str,
    /// Where in the reports the description comes from, or `None`.
    source: Option<&'a str>,
    aliases: Vec<&'a str>,
}

/// One region's latest column of the matrix for the category.
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

/// The services of the type in one region.
#[derive(Serialize)]
struct ServiceGroup<'a> {
    id: &'a str,
    name: &'a str,
    /// Services on offer; closed ones are named apart and not counted.
    count: usize,
    services: Vec<(&'a str, &'a str)>,
    closed: Vec<(&'a str, &'a str)>,
}

/// Up to this many services of a type, a category page names each one.
const CATEGORY_NAMES_LIMIT: usize = 200;

pub(super) fn category_page(
    input: &SiteInput,
    fw: &Framework,
    cat: &crate::model::Category,
    nav: &[NavLink],
) -> Result<PageJob, Vec<Diagnostic>> {
    let ds = input.dataset;
    let path = format!("categories/{}/index.html", cat.id.value);
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
    let ctx = CategoryContext {
        base: base_context(input, &path, nav),
        category: CategoryView {
            id: &cat.id.value,
            name: &cat.name.value,
            description: &cat.description.value,
            source: cat.source.as_ref().map(|s| s.value.as_str()),
            aliases: cat.aliases.iter().map(|a| a.value.as_str()).collect(),
        },
        trends: category_trends(input, fw, &cat.id.value),
        regions,
        service_total: total,
        service_groups,
    };
    PageJob::new(path, "category.html", &ctx)
}
