//! The public service directory: the full list grouped by area, a static page per area and
//! per type of service (so it all works without JavaScript), a page per service with
//! schema.org data, and the search index the directory's script filters.
//!
//! Kept in one file: the directory's pages and its search index list the same services
//! with the same labels and the same rule for which services are listed; apart, the two
//! could show a family different lists.

use super::context::{NavLink, base_context, build_date};
use super::pages::Shared;
use super::service_facts::{cited_reports, service_facts};
use super::templates::Templates;
use super::{Dep, LazyJob, OutputFile, PageJob, SiteInput, lazy};
use crate::diag::Diagnostic;
use crate::model::vocab::{
    AgeGroup, Cost, Delivery, Referral, ReservedServiceId, ServiceStatus, Vocabulary,
};
use crate::model::{Area, Dataset, Framework, Region, Service};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

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
fn served_areas<'a>(input: &SiteInput<'a>) -> Vec<Vec<(&'a Region, &'a Area)>> {
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
    for (region, area) in current_areas(ds) {
        let path = format!(
            "directory/{}/{}/index.html",
            ReservedServiceId::In.code(),
            area.id.value
        );
        let p = path.clone();
        let deps = vec![Dep::RegionServices(&region.id.value)];
        jobs.push(lazy(path, deps, move || {
            area_list(input, fw, tera, shared, region, area, &p)
        }));
    }
    for cat in &fw.categories {
        let path = format!(
            "directory/{}/{}/index.html",
            ReservedServiceId::Type.code(),
            cat.id.value
        );
        let p = path.clone();
        jobs.push(lazy(path, all(), move || {
            type_list(input, fw, tera, shared, cat, &p)
        }));
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
            move || Ok(service_page(input, fw, s, nav, &shared.descriptions)),
        )
    }));
    jobs
}

/// The static list of services that serve one area.
fn area_list(
    input: &SiteInput,
    fw: &Framework,
    tera: &Templates,
    shared: &Shared,
    region: &Region,
    area: &Area,
    path: &str,
) -> Result<PageJob, Vec<Diagnostic>> {
    let mut ctx = base_context(input, path, &shared.nav);
    let services: Vec<&Service> = input
        .region_services(region)
        .into_iter()
        .filter(|s| listed(s) && serves(region, area, s))
        .collect();
    let cards = shared.cards(input, fw, tera, path, 2, &services)?;
    ctx.insert("heading", &format!("Services in {}", area.name.value));
    ctx.insert(
        "intro",
        &format!(
            "Services for families from pregnancy to age five that serve {} ({}).",
            area.name.value, region.name.value
        ),
    );
    ctx.insert("service_cards", &cards);
    ctx.insert(
        "more",
        &(
            format!("areas/{}/", area.id.value),
            format!("How {} is provided for", area.name.value),
        ),
    );
    Ok(PageJob {
        path: path.into(),
        template: "directory_list.html".into(),
        context: ctx,
    })
}

/// The static list of services of one type.
fn type_list(
    input: &SiteInput,
    fw: &Framework,
    tera: &Templates,
    shared: &Shared,
    cat: &crate::model::Category,
    path: &str,
) -> Result<PageJob, Vec<Diagnostic>> {
    let ds = input.dataset;
    let mut ctx = base_context(input, path, &shared.nav);
    let services: Vec<&Service> = ds
        .services()
        .iter()
        .map(|s| &s.value)
        .filter(|s| listed(s) && s.categories.iter().any(|c| c.value == cat.id.value))
        .collect();
    let cards = shared.cards(input, fw, tera, path, 2, &services)?;
    ctx.insert("heading", &cat.name.value);
    ctx.insert("intro", &cat.description.value);
    ctx.insert("service_cards", &cards);
    ctx.insert(
        "more",
        &(
            format!("categories/{}/", cat.id.value),
            format!("Where {} is provided", cat.name.value),
        ),
    );
    Ok(PageJob {
        path: path.into(),
        template: "directory_list.html".into(),
        context: ctx,
    })
}

fn index_page(
    input: &SiteInput,
    fw: &Framework,
    tera: &Templates,
    shared: &Shared,
) -> Result<PageJob, Vec<Diagnostic>> {
    let ds = input.dataset;
    let path = "directory/index.html";
    let mut ctx = base_context(input, path, &shared.nav);
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
    ctx.insert("cards_shown", &cards_shown);
    ctx.insert("listed_total", &total);
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
    ctx.insert("groups", &groups);
    ctx.insert("area_choices", &areas);
    ctx.insert("category_choices", &categories);
    ctx.insert("age_choices", &choice::<AgeGroup>());
    ctx.insert("delivery_choices", &choice::<Delivery>());
    // A service whose sources do not say who can refer, or what it costs, matches none of
    // the stated values: "Not stated" finds it.
    let with_not_stated = |mut choices: Vec<Choice>| {
        choices.push(Choice {
            value: NOT_STATED.to_string(),
            label: "Not stated".to_string(),
        });
        choices
    };
    ctx.insert("referral_choices", &with_not_stated(choice::<Referral>()));
    ctx.insert("cost_choices", &with_not_stated(choice::<Cost>()));
    ctx.insert("service_count", &listed_count(ds));
    ctx.insert(
        "type_pages",
        &fw.categories
            .iter()
            .map(|c| (c.id.value.as_str(), c.name.value.as_str()))
            .collect::<Vec<_>>(),
    );
    Ok(PageJob {
        path: path.into(),
        template: "directory.html".into(),
        context: ctx,
    })
}

/// The filter value that finds services whose sources do not state a fact.
const NOT_STATED: &str = "not-stated";

fn service_page(
    input: &SiteInput,
    fw: &Framework,
    s: &Service,
    nav: &[NavLink],
    descriptions: &super::pages::Descriptions,
) -> PageJob {
    let ds = input.dataset;
    let path = format!("directory/{}/index.html", s.id.value);
    let mut ctx = base_context(input, &path, nav);
    ctx.insert("service", s);
    ctx.insert("facts", &service_facts(ds, fw, s));
    ctx.insert_value("description_html", descriptions.get(ds, s));
    // A closed service's page says what it was, not whether its details are current.
    if !s.is_closed() {
        ctx.insert("stale_note", &stale_note(input, s));
    }
    ctx.insert("structured_data", &structured_data(ds, s));
    PageJob {
        path,
        template: "service.html".into(),
        context: ctx,
    }
}

/// When the newest dated source of a service's details (a check with the service, or
/// else a report, web page or return) is more than a year before the build date: what the
/// page says about it.
fn stale_note(input: &SiteInput, s: &Service) -> Option<String> {
    let newest = crate::analyse::newest_source_date(input.dataset, s)?;
    let built = chrono::NaiveDate::parse_from_str(&build_date(input), "%Y-%m-%d").ok()?;
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

/// The search index: the labels of the filter codes, and one entry per listed service.
#[derive(Serialize)]
struct SearchIndex<'a> {
    labels: Labels,
    services: Vec<IndexEntry<'a>>,
}

#[derive(Serialize)]
struct Labels {
    ages: BTreeMap<&'static str, String>,
    delivery: BTreeMap<&'static str, String>,
    referral: BTreeMap<&'static str, String>,
}

#[derive(Serialize)]
struct IndexEntry<'a> {
    id: &'a str,
    name: &'a str,
    alt: Option<&'a str>,
    /// Absent (`null`) when no source names the provider.
    provider: Option<&'a str>,
    summary: &'a str,
    text: &'a str,
    interventions: Vec<&'a str>,
    places: Vec<String>,
    towns: Vec<&'a str>,
    area_labels: Vec<String>,
    categories: Vec<&'a str>,
    ages: Vec<&'a str>,
    delivery: Vec<&'a str>,
    referral: Vec<&'a str>,
    cost: Option<&'a str>,
    status: &'a str,
}

/// `directory/search-index.json` (for other tools) and `directory/search-index.js` (the
/// same data as a script, which browsers also load from pages opened straight from disk):
/// what the directory's script searches and filters. Areas are current area ids (Places),
/// reached from old CCG ids through lineage.
pub fn search_index(input: &SiteInput) -> Vec<OutputFile> {
    let ds = input.dataset;
    let served_by = served_areas(input);
    let entries: Vec<IndexEntry> = ds
        .services()
        .iter()
        .map(|s| &s.value)
        .zip(&served_by)
        .filter(|(s, _)| listed(s))
        .map(|(s, served)| IndexEntry {
            id: &s.id.value,
            name: &s.name.value,
            alt: s.alternate_name.as_ref().map(|a| a.value.as_str()),
            provider: s.organization.as_ref().map(|o| o.name.value.as_str()),
            summary: &s.summary.value,
            text: &s.description.value,
            interventions: s.interventions.iter().map(|i| i.value.as_str()).collect(),
            places: served.iter().map(|(_, a)| a.id.value.clone()).collect(),
            towns: served
                .iter()
                .flat_map(|(_, a)| a.covers.iter().map(|c| c.value.as_str()))
                .collect(),
            area_labels: crate::analyse::service_area_labels_as_described(ds, s),
            categories: s.categories.iter().map(|c| c.value.as_str()).collect(),
            ages: s.age_groups.iter().map(|a| a.value.as_str()).collect(),
            delivery: s.delivery.iter().map(|d| d.value.as_str()).collect(),
            referral: s.referral.iter().map(|r| r.value.as_str()).collect(),
            cost: s.cost.as_ref().map(|c| c.value.as_str()),
            status: &s.status.value,
        })
        .collect();
    fn labels<V: Vocabulary>() -> BTreeMap<&'static str, String> {
        V::ALL
            .iter()
            .map(|v| (v.code(), v.label().to_string()))
            .collect()
    }
    let index = SearchIndex {
        labels: Labels {
            ages: labels::<AgeGroup>(),
            delivery: labels::<Delivery>(),
            referral: labels::<Referral>(),
        },
        services: entries,
    };
    // Room for a large entry per service, as for the directory export.
    let mut bytes = Vec::with_capacity(index.services.len() * 2048 + 4096);
    if serde_json::to_writer(&mut bytes, &index).is_err() {
        bytes.clear();
    }
    // The script is the JSON with every `<` escaped, so that no text in the data can end
    // the script early; made in one pass, as the index is megabytes long.
    let (start, end) = (&b"window.SCOPEMAP_DIRECTORY = "[..], &b";\n"[..]);
    let mut script = Vec::with_capacity(start.len() + bytes.len() + end.len() + 1024);
    script.extend_from_slice(start);
    for (i, piece) in bytes.split(|b| *b == b'<').enumerate() {
        if i > 0 {
            script.extend_from_slice(b"\\u003c");
        }
        script.extend_from_slice(piece);
    }
    script.extend_from_slice(end);
    vec![
        OutputFile {
            path: "directory/search-index.json".into(),
            bytes,
        },
        OutputFile {
            path: "directory/search-index.js".into(),
            bytes: script,
        },
    ]
}
