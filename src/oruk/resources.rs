//! The feed's paged lists and the resources beside services: organizations and taxonomies.
//!
//! In: the services' one-to-one fields (made by `export`), the dataset (for organisations'
//! register numbers and the framework's categories). Out: `OutputFile`s —
//! `oruk/<resource>/index.json` (the first page), `oruk/<resource>/page/<n>/index.json`
//! (every page, the first included), `oruk/organizations/<uuid>.json` (an organisation with
//! its register numbers and services), `oruk/taxonomies/<uuid>.json` (a taxonomy with all
//! its terms). Pages carry the ORUK page fields and `contents`, nothing else.

use super::export::Profile;
use super::{
    IDENTIFIER_SCHEMES, TAXONOMY_AGE_GROUPS, TAXONOMY_CATEGORIES, TAXONOMY_DELIVERY,
    TAXONOMY_REFERRAL, TAXONOMY_STATUS, codes, stable_id,
};
use crate::model::Dataset;
use crate::model::vocab::{AgeGroup, Delivery, Referral, ServiceStatus};
use crate::write::OutputFile;
use rayon::prelude::*;
use serde::Serialize;

/// One page of a list, as ORUK's `Page` (the fields of its OpenAPI `components/schemas/Page`)
/// with its `contents`.
#[derive(Serialize)]
pub struct Page<'a, T> {
    total_items: usize,
    total_pages: usize,
    page_number: usize,
    size: usize,
    first_page: bool,
    last_page: bool,
    empty: bool,
    contents: &'a [T],
}

/// The pages of `items` under `oruk/<resource>/`, `page_size` to a page, each handed to
/// `emit`: `page/<n>/index.json` for every page, and `index.json` for the first, which a
/// request with no page number gets. An empty list has one empty page.
pub fn pages<T: Serialize + Sync>(
    resource: &str,
    items: &[T],
    page_size: usize,
    emit: &(dyn Fn(OutputFile) + Sync),
) {
    let page_size = page_size.max(1);
    let total_pages = items.len().div_ceil(page_size).max(1);
    (1..=total_pages).into_par_iter().for_each(|page_number| {
        let start = ((page_number - 1) * page_size).min(items.len());
        let end = (start + page_size).min(items.len());
        let contents = &items[start..end];
        let page = Page {
            total_items: items.len(),
            total_pages,
            page_number,
            size: contents.len(),
            first_page: page_number == 1,
            last_page: page_number == total_pages,
            empty: items.is_empty(),
            contents,
        };
        let file = super::export::json_file(
            &format!("oruk/{resource}/page/{page_number}/index.json"),
            &page,
        );
        if page_number == 1 {
            emit(OutputFile {
                path: format!("oruk/{resource}/index.json"),
                bytes: file.bytes.clone(),
            });
        }
        emit(file);
    });
}

/// An organisation's one-to-one fields, as its list item and inside a service.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct OrganizationHead {
    pub id: String,
    pub name: String,
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
}

/// A register number of an organisation.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct OrganizationIdentifier {
    pub id: String,
    pub organization_id: String,
    pub identifier_scheme: &'static str,
    pub identifier_type: &'static str,
    pub identifier: String,
}

/// An organisation's register numbers, from the directory's `organization.identifiers`.
pub fn identifiers(org: &crate::model::Organization, org_id: &str) -> Vec<OrganizationIdentifier> {
    org.identifiers
        .iter()
        .filter_map(|ident| {
            let (_, scheme, kind) = IDENTIFIER_SCHEMES
                .iter()
                .find(|(ours, _, _)| *ours == ident.scheme.value)?;
            let value = ident.value.value.trim().to_string();
            Some(OrganizationIdentifier {
                id: stable_id(&["organization-identifier", org_id, scheme, &value]),
                organization_id: org_id.to_string(),
                identifier_scheme: scheme,
                identifier_type: kind,
                identifier: value,
            })
        })
        .collect()
}

/// An organisation's own record: itself, its register numbers and its services.
#[derive(Serialize)]
struct OrganizationRecord<'a, S> {
    #[serde(flatten)]
    head: &'a OrganizationHead,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    organization_identifiers: Vec<OrganizationIdentifier>,
    services: Vec<&'a S>,
}

/// The organisations the services name, each with the services it provides (in the order
/// given) and every register number any of its services' files states; the website is
/// the first one stated. Sorted by id.
pub fn organizations<'a, S: Serialize + Sync>(
    ds: &Dataset,
    services: &[(usize, &'a OrganizationHead, &'a S)],
    page_size: usize,
    emit: &(dyn Fn(OutputFile) + Sync),
) {
    let mut by_id: std::collections::BTreeMap<
        &str,
        (OrganizationHead, Vec<OrganizationIdentifier>, Vec<&S>),
    > = std::collections::BTreeMap::new();
    for (i, org, service) in services {
        let entry = by_id
            .entry(org.id.as_str())
            .or_insert_with(|| ((*org).clone(), Vec::new(), Vec::new()));
        if entry.0.website.is_none() {
            entry.0.website.clone_from(&org.website);
        }
        if let Some(o) = &ds.services()[*i].value.organization {
            for ident in identifiers(o, &org.id) {
                if !entry.1.contains(&ident) {
                    entry.1.push(ident);
                }
            }
        }
        entry.2.push(*service);
    }
    let heads: Vec<&OrganizationHead> = by_id.values().map(|(h, _, _)| h).collect();
    pages("organizations", &heads, page_size, emit);
    by_id
        .into_values()
        .collect::<Vec<_>>()
        .into_par_iter()
        .for_each(|(head, mut identifiers, services)| {
            identifiers.sort();
            let record = OrganizationRecord {
                head: &head,
                organization_identifiers: identifiers,
                services,
            };
            emit(super::export::json_file(
                &format!("oruk/organizations/{}.json", head.id),
                &record,
            ));
        });
}

/// A term of one of scopemap's taxonomies, as a taxonomy lists it and as an attribute of a
/// service carries it. The term's code is ORUK's `term`, or HSDS's `code`.
#[derive(Serialize, Clone, Debug)]
pub struct Term {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    pub name: String,
    pub description: String,
    pub taxonomy: &'static str,
    pub taxonomy_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub term: Option<String>,
}

/// A taxonomy, with its terms in its own record and without them in the list.
#[derive(Serialize)]
struct Taxonomy {
    id: String,
    name: &'static str,
    description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    taxonomy_terms: Vec<Term>,
}

/// The term `code` of `taxonomy`, named and described.
pub fn term(ds: &Dataset, taxonomy: &'static str, code: &str, profile: Profile) -> Term {
    let (name, description) = match taxonomy {
        TAXONOMY_CATEGORIES => match ds.framework().and_then(|f| f.category(code)) {
            Some(c) => (
                c.name.value.trim().to_string(),
                c.description.value.trim().to_string(),
            ),
            None => (code.to_string(), code.to_string()),
        },
        _ => label(taxonomy, code),
    };
    let (id, taxonomy_id) = term_ids(taxonomy, code);
    let (hsds, oruk) = match profile {
        Profile::Hsds => (Some(code.to_string()), None),
        Profile::Oruk => (None, Some(code.to_string())),
    };
    Term {
        id,
        code: hsds,
        name,
        description,
        taxonomy,
        taxonomy_id,
        term: oruk,
    }
}

/// The ids of a taxonomy term and of its taxonomy. Every service with the term carries
/// them, so each thread works them out once.
pub fn term_ids(taxonomy: &'static str, code: &str) -> (String, String) {
    type Ids = std::collections::HashMap<(&'static str, String), (String, String)>;
    thread_local! {
        static IDS: std::cell::RefCell<Ids> = Default::default();
    }
    IDS.with_borrow_mut(|ids| {
        ids.entry((taxonomy, code.to_string()))
            .or_insert_with(|| {
                (
                    stable_id(&["taxonomy-term", taxonomy, code]),
                    stable_id(&["taxonomy", taxonomy]),
                )
            })
            .clone()
    })
}

/// scopemap's taxonomies, every term of each: the framework's categories, and the
/// directory's age groups, ways of delivery, referral routes and statuses.
pub fn taxonomies(
    ds: &Dataset,
    profile: Profile,
    page_size: usize,
    emit: &(dyn Fn(OutputFile) + Sync),
) {
    let categories: Vec<String> = ds
        .framework()
        .map(|f| f.categories.iter().map(|c| c.id.value.clone()).collect())
        .unwrap_or_default();
    let framework = ds
        .framework()
        .map_or_else(String::new, |f| f.name.value.trim().to_string());
    let lists: [(&'static str, String, Vec<String>); 5] = [
        (
            TAXONOMY_CATEGORIES,
            format!(
                "The kinds of provision the framework \"{framework}\" rates areas on. A service has a term for each kind of provision it is."
            ),
            categories,
        ),
        (
            TAXONOMY_AGE_GROUPS,
            "The ages a service is for, from pregnancy to age five.".to_string(),
            codes::<AgeGroup>().iter().map(|s| s.to_string()).collect(),
        ),
        (
            TAXONOMY_DELIVERY,
            "How a service is delivered.".to_string(),
            codes::<Delivery>().iter().map(|s| s.to_string()).collect(),
        ),
        (
            TAXONOMY_REFERRAL,
            "Who can refer a family to a service.".to_string(),
            codes::<Referral>().iter().map(|s| s.to_string()).collect(),
        ),
        (
            TAXONOMY_STATUS,
            "Whether a service is running, being set up or closed, as the directory records it; the service's own status in Open Referral UK cannot say that it is being set up.".to_string(),
            codes::<ServiceStatus>().iter().map(|s| s.to_string()).collect(),
        ),
    ];
    let mut all: Vec<Taxonomy> = lists
        .into_iter()
        .map(|(name, description, codes)| Taxonomy {
            id: stable_id(&["taxonomy", name]),
            name,
            description,
            taxonomy_terms: codes.iter().map(|c| term(ds, name, c, profile)).collect(),
        })
        .collect();
    all.sort_by(|a, b| a.id.cmp(&b.id));
    for t in &all {
        emit(super::export::json_file(
            &format!("oruk/taxonomies/{}.json", t.id),
            t,
        ));
    }
    let listed: Vec<Taxonomy> = all
        .into_iter()
        .map(|t| Taxonomy {
            taxonomy_terms: Vec::new(),
            ..t
        })
        .collect();
    pages("taxonomies", &listed, page_size, emit);
}

/// The name and description of a term of one of the directory's own vocabularies.
fn label(taxonomy: &str, code: &str) -> (String, String) {
    let pair = |name: &str, description: &str| (name.to_string(), description.to_string());
    match (taxonomy, code) {
        (TAXONOMY_AGE_GROUPS, "pregnancy") => {
            pair("Pregnancy", "Expectant parents, before the baby is born.")
        }
        (TAXONOMY_AGE_GROUPS, "0-1") => {
            pair("Age 0 to 1", "Families with a baby under one year old.")
        }
        (TAXONOMY_AGE_GROUPS, "1-2") => {
            pair("Age 1 to 2", "Families with a child aged one to two.")
        }
        (TAXONOMY_AGE_GROUPS, "2-5") => {
            pair("Age 2 to 5", "Families with a child aged two to five.")
        }
        (TAXONOMY_DELIVERY, "home") => pair("Home visits", "Delivered in the family's home."),
        (TAXONOMY_DELIVERY, "community-venue") => pair(
            "Community venue",
            "Delivered in a community venue such as a family hub or children's centre.",
        ),
        (TAXONOMY_DELIVERY, "clinic") => pair("Clinic", "Delivered in a clinic."),
        (TAXONOMY_DELIVERY, "online") => pair("Online", "Delivered online."),
        (TAXONOMY_DELIVERY, "telephone") => pair("Telephone", "Delivered by telephone."),
        (TAXONOMY_DELIVERY, "group") => pair("Group", "Delivered in groups."),
        (TAXONOMY_DELIVERY, "one-to-one") => pair("One to one", "Delivered one to one."),
        (TAXONOMY_DELIVERY, "inpatient") => pair("Inpatient", "Delivered on an inpatient unit."),
        (TAXONOMY_REFERRAL, "self") => pair("Self-referral", "Families can refer themselves."),
        (TAXONOMY_REFERRAL, "professional") => pair(
            "Professional referral",
            "A professional such as a GP, midwife or health visitor refers the family.",
        ),
        (TAXONOMY_STATUS, "active") => pair("Active", "The service is running."),
        (TAXONOMY_STATUS, "in-development") => pair(
            "In development",
            "The service is being set up and is not yet open.",
        ),
        (TAXONOMY_STATUS, "decommissioned") => pair("Decommissioned", "The service has stopped."),
        _ => pair(code, code),
    }
}
