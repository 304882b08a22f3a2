//! The public service directory: the full list grouped by area, a static page per area and
//! per type of service (so it all works without JavaScript), a page per service with
//! schema.org data. The search index the directory's script reads is made in `search`.
//!
//! Kept in one file: the directory's pages all list services by the same rule (`listed`)
//! with the same cards and filter choices; apart, two pages could show a family different
//! lists.

use super::context::{Base, NavLink, base_context, build_date};
use super::search::NOT_STATED;
use super::service_facts::{cited_reports, service_facts};
use super::templates::Templates;
use super::views::Shared;
use super::{Dep, LazyJob, PageJob, SiteInput, lazy};
use crate::diag::Diagnostic;
use crate::model::vocab::{
    AgeGroup, Cost, Delivery, Referral, ReservedServiceId, ServiceStatus, Vocabulary,
};
use crate::model::{Area, Dataset, Framework, Region, Service};
use rayon::prelude::*;
use serde::Serialize;

/// What `directory.html` receives.
#[derive(Serialize)]
struct DirectoryContext<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    /// The services listed, by area still in use and region by region.
    groups: Vec<Group>,
    /// Whether the groups carry their cards (not above `DIRECTORY_CARDS_LIMIT` services).
    cards_shown: bool,
    /// The number of services listed over all groups.
    listed_total: usize,
    /// The options of the search form's filters.
    area_choices: Vec<Choice>,
    category_choices: Vec<Choice>,
    age_choices: Vec<Choice>,
    delivery_choices: Vec<Choice>,
    referral_choices: Vec<Choice>,
    cost_choices: Vec<Choice>,
    /// The number of services the directory lists (on offer, each counted once).
    service_count: usize,
    /// `(id, name)` of every category, for the lists by type.
    type_pages: Vec<(&'a str, &'a str)>,
}

/// What `directory_list.html` receives, for one page of a list by area or by type.
#[derive(Serialize)]
struct ListContext<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    /// The list's title.
    heading: String,
    /// The list's first paragraph.
    intro: &'a str,
    /// The rendered cards of the services on this page of the list.
    service_cards: Vec<tera::Value>,
    /// How many services the whole list has.
    total: usize,
    /// Which page this is, from 1, and how many there are.
    page: usize,
    page_count: usize,
    /// The positions in the list of the first and last service on this page.
    first_shown: usize,
    last_shown: usize,
    /// `(number, path from the root)` of every page of the list.
    pages: Vec<(usize, String)>,
    /// `(path, text)`: a link to the area's or category's own page.
    more: (String, String),
}

/// What `service.html` receives.
#[derive(Serialize)]
struct ServiceContext<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    /// The service's file as written (what the audience may see).
    service: &'a Service,
    /// What the page states, fact by fact, with the sources stating each.
    facts: super::service_facts::ServiceFacts,
    /// The service's description rendered from markdown (safe HTML).
    description_html: tera::Value,
    /// What the page says when its details are more than a year old; `None` when they are
    /// not, or the service is closed.
    stale_note: Option<String>,
    /// The service as schema.org JSON-LD, for the page's head.
    structured_data: String,
}

/// One group of the directory's full list: the services of one area, or those listed
/// only by region.
#[derive(Serialize)]
struct Group {
    region: String,
    region_id: String,
    area_id: String,
    area: String,
    is_area: bool,
    count: usize,
    cards: Vec<tera::Value>,
}

/// Above this many listed services, the directory page links each area's list instead of
/// showing every card: a national directory would be one page of tens of megabytes. The
/// search still finds every service, and each area's list has its cards.
const DIRECTORY_CARDS_LIMIT: usize = 2000;

#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
}

/// Whether the directory lists a service as on offer: running or in development, not
/// closed. Every page that counts services counts these.
pub(super) fn listed(s: &Service) -> bool {
    ServiceStatus::from_code(&s.status.value) != Some(ServiceStatus::Decommissioned)
}

/// How many services the directory lists, as every page that counts them says.
pub(super) fn listed_count(ds: &crate::model::Dataset) -> usize {
    ds.services().iter().filter(|s| listed(&s.value)).count()
}

/// Whether a service lists an area, or an area it succeeded: a service described in an
/// earlier year names the areas of that year.
fn in_area(area: &Area, s: &Service) -> bool {
    s.areas
        .iter()
        .any(|a| a.value == area.id.value || area.succeeds.iter().any(|p| p.value == a.value))
}

/// Whether a service serves an area: through `in_area`, or as a service of the whole region.
fn serves(region: &Region, area: &Area, s: &Service) -> bool {
    in_area(area, s) || s.regions.iter().any(|r| r.value == region.id.value)
}

/// The current areas each service serves, by position in the dataset, in the order of
/// `current_areas`. Only the services working in an area's region can serve it.
pub(super) fn served_areas<'a>(input: &SiteInput<'a>) -> Vec<Vec<(&'a Region, &'a Area)>> {
    let ds = input.dataset;
    let mut served = vec![Vec::new(); ds.services().len()];
    for (region, area) in current_areas(ds) {
        for &i in input.region_service_positions(region) {
            if serves(region, area, &ds.services()[i].value) {
                served[i].push((region, area));
            }
        }
    }
    served
}

fn current_areas(ds: &Dataset) -> Vec<(&Region, &Area)> {
    ds.regions()
        .iter()
        .flat_map(|r| {
            r.value
                .areas
                .iter()
                .filter(|a| a.in_use.until.is_none())
                .map(move |a| (&r.value, a))
        })
        .collect()
}

pub fn directory_jobs<'a>(
    input: &'a SiteInput,
    fw: &'a Framework,
    tera: &'a Templates,
    shared: &'a Shared,
) -> Vec<LazyJob<'a>> {
    let ds = input.dataset;
    let nav = &shared.nav;
    let all = || vec![Dep::AllServices];
    let mut jobs = vec![lazy("directory/index.html".into(), all(), move || {
        index_page(input, fw, tera, shared)
    })];
    // Each list is cut into pages of LIST_PAGE services, so no page grows with the size of
    // the directory.
    for (region, area) in current_areas(ds) {
        let folder = format!(
            "directory/{}/{}",
            ReservedServiceId::In.code(),
            area.id.value
        );
        let count = area_services(input, region, area).len();
        for page in 1..=page_count(count) {
            let deps = vec![Dep::RegionServices(&region.id.value)];
            jobs.push(lazy(list_page_path(&folder, page), deps, move || {
                area_list(input, fw, tera, shared, region, area, page)
            }));
        }
    }
    for cat in &fw.categories {
        let folder = format!(
            "directory/{}/{}",
            ReservedServiceId::Type.code(),
            cat.id.value
        );
        let count = type_services(input, cat).len();
        for page in 1..=page_count(count) {
            jobs.push(lazy(list_page_path(&folder, page), all(), move || {
                type_list(input, fw, tera, shared, cat, page)
            }));
        }
    }
    // A national directory has tens of thousands of services: their jobs are made in
    // parallel too.
    jobs.par_extend(ds.services().par_iter().enumerate().map(|(i, s)| {
        let s = &s.value;
        // The page names the sections of the reports it cites.
        let deps = std::iter::once(Dep::Service(i))
            .chain(
                cited_reports(s)
                    .into_iter()
                    .map(|(year, region)| Dep::Report(year, region)),
            )
            .collect();
        lazy(
            format!("directory/{}/index.html", s.id.value),
            deps,
            move || service_page(input, fw, s, nav, &shared.descriptions),
        )
    }));
    jobs
}

/// How many services each page of a list by area or by type shows: a hundred cards are
/// about 150 KB of HTML.
pub const LIST_PAGE: usize = 100;

/// How many pages a list of `count` services takes (one, even when it is empty).
fn page_count(count: usize) -> usize {
    count.div_ceil(LIST_PAGE).max(1)
}

/// Where page `page` (from 1) of the list in `folder` goes: the first in the folder itself,
/// the others in numbered folders inside it.
fn list_page_path(folder: &str, page: usize) -> String {
    if page == 1 {
        format!("{folder}/index.html")
    } else {
        format!("{folder}/{page}/index.html")
    }
}

/// The listed services that serve one area.
fn area_services<'a>(input: &SiteInput<'a>, region: &Region, area: &Area) -> Vec<&'a Service> {
    input
        .region_services(region)
        .into_iter()
        .filter(|s| listed(s) && serves(region, area, s))
        .collect()
}

/// The listed services of one type.
fn type_services<'a>(input: &SiteInput<'a>, cat: &crate::model::Category) -> Vec<&'a Service> {
    input
        .dataset
        .services()
        .iter()
        .map(|s| &s.value)
        .filter(|s| listed(s) && s.categories.iter().any(|c| c.value == cat.id.value))
        .collect()
}

/// One page of a list by area or by type: `heading` and `intro` describe the whole list.
#[allow(clippy::too_many_arguments)]
fn list_page(
    input: &SiteInput,
    fw: &Framework,
    tera: &Templates,
    shared: &Shared,
    (heading, intro): (String, &str),
    services: &[&Service],
    (folder, page): (&str, usize),
    more: (String, String),
) -> Result<PageJob, Vec<Diagnostic>> {
    let path = list_page_path(folder, page);
    let pages = page_count(services.len());
    let first = (page - 1) * LIST_PAGE;
    let shown = &services[first.min(services.len())..(first + LIST_PAGE).min(services.len())];
    let cards = shared.cards(input, fw, tera, &path, 2, shown)?;
    let ctx = ListContext {
        base: base_context(input, &path, &shared.nav),
        heading,
        intro,
        service_cards: cards,
        total: services.len(),
        page,
        page_count: pages,
        first_shown: first + 1,
        last_shown: first + shown.len(),
        pages: (1..=pages)
            .map(|n| (n, list_page_path(folder, n)))
            .collect(),
        more,
    };
    PageJob::new(path, "directory_list.html", &ctx)
}

/// A page of the static list of services that serve one area.
fn area_list(
    input: &SiteInput,
    fw: &Framework,
    tera: &Templates,
    shared: &Shared,
    region: &Region,
    area: &Area,
    page: usize,
) -> Result<PageJob, Vec<Diagnostic>> {
    let services = area_services(input, region, area);
    let folder = format!(
        "directory/{}/{}",
        ReservedServiceId::In.code(),
        area.id.value
    );
    let intro = format!(
        "Services for families from pregnancy to age five that serve {} ({}).",
        area.name.value, region.name.value
    );
    list_page(
        input,
        fw,
        tera,
        shared,
        (format!("Services in {}", area.name.value), &intro),
        &services,
        (&folder, page),
        (
            format!("areas/{}/", area.id.value),
            format!("How {} is provided for", area.name.value),
        ),
    )
}

/// A page of the static list of services of one type.
fn type_list(
    input: &SiteInput,
    fw: &Framework,
    tera: &Templates,
    shared: &Shared,
    cat: &crate::model::Category,
    page: usize,
) -> Result<PageJob, Vec<Diagnostic>> {
    let services = type_services(input, cat);
    let folder = format!(
        "directory/{}/{}",
        ReservedServiceId::Type.code(),
        cat.id.value
    );
    list_page(
        input,
        fw,
        tera,
        shared,
        (cat.name.value.clone(), &cat.description.value),
        &services,
        (&folder, page),
        (
            format!("categories/{}/", cat.id.value),
            format!("Where {} is provided", cat.name.value),
        ),
    )
}

fn index_page(
    input: &SiteInput,
    fw: &Framework,
    tera: &Templates,
    shared: &Shared,
) -> Result<PageJob, Vec<Diagnostic>> {
    let ds = input.dataset;
    let path = "directory/index.html";
    let mut listed_in: Vec<(&Region, Option<&Area>, Vec<&Service>)> = Vec::new();
    for (region, area) in current_areas(ds) {
        let services: Vec<&Service> = input
            .region_services(region)
            .into_iter()
            .filter(|s| listed(s) && in_area(area, s))
            .collect();
        listed_in.push((region, Some(area), services));
    }
    for region in ds.regions().iter().map(|r| &r.value) {
        let wide: Vec<&Service> = input
            .region_services(region)
            .into_iter()
            .filter(|s| listed(s) && s.regions.iter().any(|r| r.value == region.id.value))
            .collect();
        if !wide.is_empty() {
            listed_in.push((region, None, wide));
        }
    }
    let total: usize = listed_in.iter().map(|(_, _, s)| s.len()).sum();
    let cards_shown = total <= DIRECTORY_CARDS_LIMIT;
    let mut groups = Vec::new();
    for (region, area, services) in listed_in {
        groups.push(Group {
            region: region.name.value.clone(),
            region_id: region.id.value.clone(),
            area_id: area.map_or_else(
                || format!("{}-wide", region.id.value),
                |a| a.id.value.clone(),
            ),
            area: area.map_or_else(
                || format!("Across {} (areas not stated)", region.name.value),
                |a| a.name.value.clone(),
            ),
            is_area: area.is_some(),
            count: services.len(),
            cards: if cards_shown {
                shared.cards(input, fw, tera, path, 4, &services)?
            } else {
                Vec::new()
            },
        });
    }
    let areas: Vec<Choice> = current_areas(ds)
        .into_iter()
        .map(|(r, a)| Choice {
            value: a.id.value.clone(),
            label: format!("{} ({})", a.name.value, r.name.value),
        })
        .collect();
    let categories: Vec<Choice> = fw
        .categories
        .iter()
        .map(|c| Choice {
            value: c.id.value.clone(),
            label: c.name.value.clone(),
        })
        .collect();
    fn choice<V: Vocabulary>() -> Vec<Choice> {
        V::ALL
            .iter()
            .map(|v| Choice {
                value: v.code().to_string(),
                label: v.label().to_string(),
            })
            .collect()
    }
    // A service whose sources do not say who can refer, or what it costs, matches none of
    // the stated values: "Not stated" finds it.
    let with_not_stated = |mut choices: Vec<Choice>| {
        choices.push(Choice {
            value: NOT_STATED.to_string(),
            label: "Not stated".to_string(),
        });
        choices
    };
    let ctx = DirectoryContext {
        base: base_context(input, path, &shared.nav),
        groups,
        cards_shown,
        listed_total: total,
        area_choices: areas,
        category_choices: categories,
        age_choices: choice::<AgeGroup>(),
        delivery_choices: choice::<Delivery>(),
        referral_choices: with_not_stated(choice::<Referral>()),
        cost_choices: with_not_stated(choice::<Cost>()),
        service_count: listed_count(ds),
        type_pages: fw
            .categories
            .iter()
            .map(|c| (c.id.value.as_str(), c.name.value.as_str()))
            .collect(),
    };
    PageJob::new(path, "directory.html", &ctx)
}

fn service_page(
    input: &SiteInput,
    fw: &Framework,
    s: &Service,
    nav: &[NavLink],
    descriptions: &super::views::Descriptions,
) -> Result<PageJob, Vec<Diagnostic>> {
    let ds = input.dataset;
    let path = format!("directory/{}/index.html", s.id.value);
    let ctx = ServiceContext {
        base: base_context(input, &path, nav),
        service: s,
        facts: service_facts(ds, fw, s),
        description_html: descriptions.get(ds, s),
        // A closed service's page says what it was, not whether its details are current.
        stale_note: if s.is_closed() {
            None
        } else {
            stale_note(input, s)
        },
        structured_data: structured_data(ds, s),
    };
    PageJob::new(path, "service.html", &ctx)
}

/// When the newest dated source of a service's details (a check with the service, or
/// else a report, web page or return) is more than a year before the build date: what the
/// page says about it.
fn stale_note(input: &SiteInput, s: &Service) -> Option<String> {
    let newest = crate::analyse::newest_source_date(input.dataset, s)?;
    let built = chrono::NaiveDate::parse_from_str(&build_date(input)?, "%Y-%m-%d").ok()?;
    if built.signed_duration_since(newest.period.until).num_days() <= 365 {
        return None;
    }
    Some(match newest.by {
        crate::analyse::DatedBy::LastChecked => format!(
            "These details were last checked with the service on {}, more than 12 months ago. Please confirm them with the service.",
            newest.shown
        ),
        _ => format!(
            "These details date from {} (their newest source), more than 12 months ago, and have not been checked with the service since. Please confirm them with the service.",
            newest.shown
        ),
    })
}

/// schema.org data for a service, as JSON safe to place inside a `<script>` element.
fn structured_data(ds: &Dataset, s: &Service) -> String {
    // Today's areas where the service covers the whole of one, never a wider area.
    let area_names: Vec<String> = crate::analyse::service_area_names_now(ds, s)
        .into_iter()
        .chain(
            s.regions
                .iter()
                .filter_map(|r| ds.region(&r.value))
                .map(|r| r.name.value.clone()),
        )
        .collect();
    let mut value = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Service",
        "name": s.name.value,
        "description": s.summary.value,
        "areaServed": area_names.iter().map(|n| serde_json::json!({ "@type": "AdministrativeArea", "name": n })).collect::<Vec<_>>(),
    });
    // No provider is named where no source names one.
    if let Some(org) = &s.organization {
        value["provider"] = serde_json::json!({ "@type": "Organization", "name": org.name.value });
    }
    if let Some(e) = s.eligibility.as_ref().filter(|_| !s.is_closed()) {
        value["audience"] =
            serde_json::json!({ "@type": "PeopleAudience", "audienceType": e.value });
    }
    if let Some(alt) = &s.alternate_name {
        value["alternateName"] = alt.value.clone().into();
    }
    // A closed service is described as it was, with no way to reach it and no cost.
    if !s.is_closed() {
        if let Some(u) = &s.url {
            value["url"] = u.value.clone().into();
        }
        if s.cost
            .as_ref()
            .is_some_and(|c| c.value == Cost::Free.code())
        {
            value["isAccessibleForFree"] = true.into();
        }
        // Contact details belong to the provider when one is named, else to a contact
        // point of the service itself.
        let mut contact = serde_json::Map::new();
        if let Some(p) = &s.phone {
            contact.insert("telephone".into(), p.value.clone().into());
        }
        if let Some(e) = &s.email {
            contact.insert("email".into(), e.value.clone().into());
        }
        if !contact.is_empty() {
            match value.get_mut("provider").and_then(|p| p.as_object_mut()) {
                Some(provider) => provider.extend(contact),
                None => {
                    contact.insert("@type".into(), "ContactPoint".into());
                    value["availableChannel"] = serde_json::json!({
                        "@type": "ServiceChannel",
                        "servicePhone": contact,
                    });
                }
            }
        }
    }
    // `<`, `>` and `&` are escaped so no text in the data can close the script element.
    serde_json::to_string(&value)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}
