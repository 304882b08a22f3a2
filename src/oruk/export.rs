//! Export: the service directory as static Open Referral UK 3.0 JSON files.
//!
//! In: the loaded `Dataset` (services, the framework's categories, regions and areas).
//! Out: `OutputFile`s, sorted by path — `oruk/index.json` (API root),
//! `oruk/services/index.json` and `oruk/services/page-<n>.json` (paged lists of
//! `PAGE_SIZE`), and `oruk/services/<uuid>.json` (one fully nested service each) — or those
//! files written under an output folder. Output is pretty JSON with a trailing newline and
//! depends only on the data, never on the clock or on map order.

use super::{
    AGE_RANGES, IDENTIFIER_SCHEMES, ORUK_OPENAPI_URL, ORUK_PROFILE_URL, ORUK_VERSION, PAGE_SIZE,
    TAXONOMY_AGE_GROUPS, TAXONOMY_CATEGORIES, TAXONOMY_DELIVERY, TAXONOMY_REFERRAL,
    TAXONOMY_STATUS, organization_uuid, stable_id,
};
use crate::model::{Dataset, Service};
use crate::render::OutputFile;
use rayon::prelude::*;
use serde::Serialize;
use std::path::Path;
use std::sync::OnceLock;

#[derive(Serialize)]
struct ApiRoot {
    version: &'static str,
    profile: &'static str,
    openapi_url: &'static str,
}

#[derive(Serialize)]
struct Page<'a> {
    total_items: usize,
    total_pages: usize,
    page_number: usize,
    size: usize,
    first_page: bool,
    last_page: bool,
    empty: bool,
    contents: Vec<ListItem<'a>>,
}

/// A service's one-to-one fields: all a list page shows. Fields are in the order ORUK's
/// schema lists them; the HSDS 3.0 fields the ORUK profile leaves out (`alternate_name`,
/// `eligibility_description`, `application_process`, and `phones` below) are kept, as
/// neither schema forbids them.
#[derive(Serialize)]
pub struct ServiceHead {
    id: String,
    /// Left out, with `organization`, for a service whose provider no source names: the
    /// schemas require neither, and a placeholder organisation would be a made-up fact.
    #[serde(skip_serializing_if = "Option::is_none")]
    organization_id: Option<String>,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    alternate_name: Option<String>,
    description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    application_process: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    eligibility_description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    minimum_age: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    maximum_age: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    assured_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    alert: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_modified: Option<String>,
    #[serde(skip)]
    organization: Option<OrganizationHead>,
}

/// The organization's one-to-one fields.
#[derive(Serialize)]
struct OrganizationHead {
    id: String,
    name: String,
    description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    website: Option<String>,
}

/// A service as a list page shows it.
#[derive(Serialize)]
struct ListItem<'a> {
    #[serde(flatten)]
    head: &'a ServiceHead,
    #[serde(skip_serializing_if = "Option::is_none")]
    organization: Option<&'a OrganizationHead>,
}

/// The records that hang off a service, made only when its own file is written.
struct Children {
    phones: Vec<Phone>,
    service_areas: Vec<ServiceArea>,
    organization_identifiers: Vec<OrganizationIdentifier>,
    funding: Vec<Funding>,
    cost_options: Vec<CostOption>,
    attributes: Vec<Attribute>,
}

/// One service, fully nested, as its own file holds it.
#[derive(Serialize)]
struct ServiceRecord<'a> {
    #[serde(flatten)]
    head: &'a ServiceHead,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    phones: &'a Vec<Phone>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    service_areas: &'a Vec<ServiceArea>,
    #[serde(skip_serializing_if = "Option::is_none")]
    organization: Option<OrganizationRecord<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    funding: &'a Vec<Funding>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    cost_options: &'a Vec<CostOption>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attributes: &'a Vec<Attribute>,
}

#[derive(Serialize)]
struct OrganizationRecord<'a> {
    #[serde(flatten)]
    head: &'a OrganizationHead,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    organization_identifiers: &'a Vec<OrganizationIdentifier>,
}

#[derive(Serialize)]
struct OrganizationIdentifier {
    id: String,
    organization_id: String,
    identifier_scheme: &'static str,
    identifier_type: &'static str,
    identifier: String,
}

#[derive(Serialize)]
struct Phone {
    id: String,
    service_id: String,
    number: String,
}

#[derive(Serialize)]
struct ServiceArea {
    id: String,
    service_id: String,
    name: String,
    description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri: Option<String>,
}

#[derive(Serialize)]
struct Funding {
    id: String,
    service_id: String,
    source: String,
}

#[derive(Serialize)]
struct CostOption {
    id: String,
    service_id: String,
    option: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    amount: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    currency: Option<&'static str>,
    amount_description: &'static str,
}

#[derive(Serialize)]
struct Attribute {
    id: String,
    link_id: String,
    link_type: &'static str,
    link_entity: &'static str,
    taxonomy_term_id: String,
    taxonomy_term: TaxonomyTerm,
}

#[derive(Serialize)]
struct TaxonomyTerm {
    id: String,
    code: String,
    name: String,
    description: String,
    taxonomy: &'static str,
    taxonomy_id: String,
}

/// The directory as ORUK JSON files, paths relative to the output folder, sorted by path.
pub fn export_files(ds: &Dataset) -> Vec<OutputFile> {
    let records = Records::new(ds);
    let files = std::sync::Mutex::new(Vec::new());
    records.list_files(ds, &|file| {
        files.lock().unwrap_or_else(|e| e.into_inner()).push(file);
    });
    let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
    files.extend((0..ds.services.len()).filter_map(|i| records.service_file(ds, i)));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// Each service's one-to-one fields, made once on first use, by the service's position
/// in the dataset. A site build keeps them for its own file and the list pages to share,
/// and `serve` keeps them between rebuilds. The records hanging off a service are made
/// only for its own file and not kept: they are most of a record's size.
pub struct Records(Vec<OnceLock<ServiceHead>>);

impl Records {
    pub fn new(ds: &Dataset) -> Records {
        Records((0..ds.services.len()).map(|_| OnceLock::new()).collect())
    }

    fn get(&self, ds: &Dataset, i: usize) -> Option<&ServiceHead> {
        let service = &ds.services.get(i)?.value;
        let slot = self.0.get(i)?;
        Some(slot.get_or_init(|| head(service)))
    }

    /// Forget the records of the services at `positions` (their files changed).
    pub fn forget(&mut self, positions: &[usize]) {
        for &i in positions {
            if let Some(slot) = self.0.get_mut(i) {
                slot.take();
            }
        }
    }

    /// The record of the service at position `i`, `oruk/services/<uuid>.json`.
    pub fn service_file(&self, ds: &Dataset, i: usize) -> Option<OutputFile> {
        let head = self.get(ds, i)?;
        let children = children(ds, &ds.services[i].value, head);
        let record = ServiceRecord {
            head,
            phones: &children.phones,
            service_areas: &children.service_areas,
            organization: head
                .organization
                .as_ref()
                .map(|organization| OrganizationRecord {
                    head: organization,
                    organization_identifiers: &children.organization_identifiers,
                }),
            funding: &children.funding,
            cost_options: &children.cost_options,
            attributes: &children.attributes,
        };
        Some(json_file(
            &format!("oruk/services/{}.json", head.id),
            &record,
        ))
    }

    /// The feed's root and its paged list of services, each handed to `emit` as soon as
    /// it is made, so the pages are never all held at once.
    pub fn list_files(&self, ds: &Dataset, emit: &(dyn Fn(OutputFile) + Sync)) {
        // Listed in the order of their feed ids, which do not change when a file is renamed.
        let mut summaries: Vec<&ServiceHead> = (0..ds.services.len())
            .into_par_iter()
            .filter_map(|i| self.get(ds, i))
            .collect();
        summaries.sort_by(|a, b| a.id.cmp(&b.id));
        let total_pages = summaries.len().div_ceil(PAGE_SIZE).max(1);
        emit(json_file(
            "oruk/index.json",
            &ApiRoot {
                version: ORUK_VERSION,
                profile: ORUK_PROFILE_URL,
                openapi_url: ORUK_OPENAPI_URL,
            },
        ));
        (1..=total_pages).into_par_iter().for_each(|page_number| {
            let start = (page_number - 1) * PAGE_SIZE;
            let contents: Vec<ListItem> = summaries
                .iter()
                .skip(start)
                .take(PAGE_SIZE)
                .map(|head| ListItem {
                    head,
                    organization: head.organization.as_ref(),
                })
                .collect();
            let page = Page {
                total_items: summaries.len(),
                total_pages,
                page_number,
                size: contents.len(),
                first_page: page_number == 1,
                last_page: page_number == total_pages,
                empty: summaries.is_empty(),
                contents,
            };
            let file = json_file(&format!("oruk/services/page-{page_number}.json"), &page);
            if page_number == 1 {
                emit(OutputFile {
                    path: "oruk/services/index.json".into(),
                    bytes: file.bytes.clone(),
                });
            }
            emit(file);
        });
    }
}

/// Write the ORUK files under `out` (creating folders), removing JSON files left in
/// `out/oruk/services/` by an earlier export that this one no longer makes. Returns how many
/// files were written.
pub fn export_to_dir(ds: &Dataset, out: &Path) -> Result<usize, String> {
    let files = export_files(ds);
    let services_dir = out.join("oruk").join("services");
    if services_dir.is_dir() {
        let entries = std::fs::read_dir(&services_dir)
            .map_err(|e| format!("cannot read {}: {e}", services_dir.display()))?;
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            let rel = format!("oruk/services/{name}");
            let ours = name.ends_with(".json")
                && (name.starts_with("page-")
                    || uuid::Uuid::parse_str(name.trim_end_matches(".json")).is_ok());
            if ours && !files.iter().any(|f| f.path == rel) {
                std::fs::remove_file(entry.path())
                    .map_err(|e| format!("cannot remove {}: {e}", entry.path().display()))?;
            }
        }
    }
    for f in &files {
        let path = out.join(&f.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, &f.bytes)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(files.len())
}

fn json_file<T: Serialize>(path: &str, value: &T) -> OutputFile {
    // Serialising these plain structs cannot fail (no maps with non-string keys, no
    // non-finite floats); an empty object is written should it ever do so.
    // Sized for a typical service record, which takes a few reallocations otherwise.
    let mut bytes = Vec::with_capacity(16 * 1024);
    if serde_json::to_writer_pretty(&mut bytes, value).is_err() {
        bytes = b"{}".to_vec();
    }
    bytes.push(b'\n');
    OutputFile {
        path: path.to_string(),
        bytes,
    }
}

fn non_empty(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// A web address in the normal form of a URI (spaces and the like percent-encoded), or
/// nothing if it is not an http(s) address at all.
fn web_address(text: &str) -> Option<String> {
    let u = url::Url::parse(text.trim()).ok()?;
    matches!(u.scheme(), "http" | "https").then(|| u.to_string())
}

/// A `YYYY-MM-DD` date, or nothing.
fn date(text: &str) -> Option<String> {
    let t = text.trim();
    (t.len() == 10 && chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").is_ok())
        .then(|| t.to_string())
}

/// A service's one-to-one fields.
fn head(s: &Service) -> ServiceHead {
    let (status, alert) = match s.status.value.as_str() {
        "active" => ("active", None),
        // ORUK's statuses are active, inactive, defunct and temporarily closed: a service
        // still being set up is not available yet, so it is published as inactive with an
        // alert (and the exact status as a scopemap-status attribute).
        "in-development" => ("inactive", Some(super::ALERT_IN_DEVELOPMENT.to_string())),
        "decommissioned" => (
            "inactive",
            Some(match &s.closed {
                Some(when) => format!(
                    "This service has been decommissioned ({}).",
                    when.value.trim()
                ),
                None => super::ALERT_DECOMMISSIONED.to_string(),
            }),
        ),
        _ => ("inactive", None),
    };
    let (minimum_age, maximum_age) = age_range(s);
    // The assured date is when the details were checked with the service; the last change
    // is the day the file says they last changed. Each is left out when not stated: never
    // today's date or a file's time.
    let assured_date = s.last_checked.as_ref().and_then(|c| date(&c.value));
    let last_modified = s
        .last_changed
        .as_ref()
        .and_then(|c| date(&c.value))
        .map(|d| format!("{d}T00:00:00.000Z"));
    let organization = s.organization.as_ref().map(|org| {
        let name = org.name.value.trim().to_string();
        OrganizationHead {
            id: organization_uuid(&name),
            description: super::organization_description(&name),
            name,
            website: org.url.as_ref().and_then(|u| web_address(&u.value)),
        }
    });
    ServiceHead {
        id: super::feed_id(s),
        organization_id: organization.as_ref().map(|o| o.id.clone()),
        name: s.name.value.trim().to_string(),
        alternate_name: s.alternate_name.as_ref().and_then(|a| non_empty(&a.value)),
        description: s.description.value.trim().to_string(),
        url: s.url.as_ref().and_then(|u| web_address(&u.value)),
        email: s.email.as_ref().and_then(|e| non_empty(&e.value)),
        status,
        application_process: s.how_to_access.as_ref().and_then(|h| non_empty(&h.value)),
        eligibility_description: s.eligibility.as_ref().and_then(|e| non_empty(&e.value)),
        minimum_age,
        maximum_age,
        assured_date,
        alert,
        last_modified,
        organization,
    }
}

/// The records that hang off a service whose one-to-one fields are `head`.
fn children(ds: &Dataset, s: &Service, head: &ServiceHead) -> Children {
    // Every id hangs off the service's own feed id, so a service keeps its records' ids
    // wherever its file is, and an import can tell them again.
    let uuid = &head.id;
    let sid = uuid.as_str();
    let identifiers = match (&s.organization, &head.organization) {
        (Some(org), Some(org_head)) => Some((&org.identifiers, &org_head.id)),
        _ => None,
    };
    let organization_identifiers = identifiers
        .into_iter()
        .flat_map(|(identifiers, org_id)| identifiers.iter().map(move |i| (i, org_id)))
        .filter_map(|(ident, org_id)| {
            let (_, scheme, kind) = IDENTIFIER_SCHEMES
                .iter()
                .find(|(ours, _, _)| *ours == ident.scheme.value)?;
            let value = ident.value.value.trim().to_string();
            Some(OrganizationIdentifier {
                id: stable_id(&["organization-identifier", org_id, scheme, &value]),
                organization_id: org_id.clone(),
                identifier_scheme: scheme,
                identifier_type: kind,
                identifier: value,
            })
        })
        .collect();
    let phones = s
        .phone
        .as_ref()
        .and_then(|p| non_empty(&p.value))
        .map(|number| Phone {
            id: stable_id(&["phone", sid]),
            service_id: uuid.clone(),
            number,
        })
        .into_iter()
        .collect();
    let funding = s
        .funding
        .as_ref()
        .and_then(|f| f.source.as_ref())
        .and_then(|src| non_empty(&src.value))
        .map(|source| Funding {
            id: stable_id(&["funding", sid]),
            service_id: uuid.clone(),
            source,
        })
        .into_iter()
        .collect();
    let cost_options = match s.cost.as_ref().map(|c| c.value.as_str()) {
        Some("free") => vec![CostOption {
            id: stable_id(&["cost-option", sid]),
            service_id: uuid.clone(),
            option: "Free",
            amount: Some(0),
            currency: Some("GBP"),
            amount_description: "Free of charge",
        }],
        Some("charge") => vec![CostOption {
            id: stable_id(&["cost-option", sid]),
            service_id: uuid.clone(),
            option: "Charges apply",
            amount: None,
            currency: None,
            amount_description: "There is a charge for this service; ask the provider.",
        }],
        _ => Vec::new(),
    };
    Children {
        phones,
        service_areas: service_areas(ds, s, uuid),
        organization_identifiers,
        funding,
        cost_options,
        attributes: attributes(ds, s, uuid),
    }
}

/// The child's age range in years covered by the service's age groups. Pregnancy alone has
/// no child age, so a pregnancy-only service has no range (its age groups are attributes).
fn age_range(s: &Service) -> (Option<u32>, Option<u32>) {
    let ranges: Vec<(u32, u32)> = s
        .age_groups
        .iter()
        .filter_map(|g| {
            AGE_RANGES
                .iter()
                .find(|(name, _)| *name == g.value)
                .and_then(|(_, r)| *r)
        })
        .collect();
    if ranges.is_empty() {
        return (None, None);
    }
    let pregnancy = s.age_groups.iter().any(|g| g.value == "pregnancy");
    let low = ranges.iter().map(|r| r.0).min().unwrap_or(0);
    let high = ranges.iter().map(|r| r.1).max().unwrap_or(low);
    (Some(if pregnancy { 0 } else { low }), Some(high))
}

fn ons_uri(code: &str) -> Option<String> {
    let c = code.trim();
    (!c.is_empty() && c.chars().all(|ch| ch.is_ascii_alphanumeric()))
        .then(|| format!("http://statistics.data.gov.uk/id/statistical-geography/{c}"))
}

fn service_areas(ds: &Dataset, s: &Service, service_uuid: &str) -> Vec<ServiceArea> {
    let sid = service_uuid;
    let mut out = Vec::new();
    for area_id in &s.areas {
        let Some((region, area)) = ds.area(&area_id.value) else {
            continue;
        };
        out.push(ServiceArea {
            id: stable_id(&["service-area", sid, "area", &area.id.value]),
            service_id: service_uuid.to_string(),
            name: area.name.value.trim().to_string(),
            description: format!(
                "{} ({}) in {}",
                area.name.value.trim(),
                area.kind.value.trim(),
                region.name.value.trim()
            ),
            uri: area.latest_ons_code().and_then(ons_uri),
        });
    }
    for region_id in &s.regions {
        let Some(region) = ds.region(&region_id.value) else {
            continue;
        };
        out.push(ServiceArea {
            id: stable_id(&["service-area", sid, "region", &region.id.value]),
            service_id: service_uuid.to_string(),
            name: region.name.value.trim().to_string(),
            description: format!(
                "{} (Integrated Care System; the areas served within it are not known)",
                region.name.value.trim()
            ),
            uri: region.latest_ons_code().and_then(ons_uri),
        });
    }
    out
}

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

fn attributes(ds: &Dataset, s: &Service, service_uuid: &str) -> Vec<Attribute> {
    let mut terms: Vec<(&'static str, &'static str, String, String, String)> = Vec::new();
    for cat in &s.categories {
        let (name, description) = match ds.framework().and_then(|f| f.category(&cat.value)) {
            Some(c) => (
                c.name.value.trim().to_string(),
                c.description.value.trim().to_string(),
            ),
            None => (cat.value.clone(), cat.value.clone()),
        };
        terms.push((
            TAXONOMY_CATEGORIES,
            "service_category",
            cat.value.clone(),
            name,
            description,
        ));
    }
    let vocabularies: [(&'static str, &'static str, Vec<&str>); 4] = [
        (
            TAXONOMY_AGE_GROUPS,
            "eligibility",
            s.age_groups.iter().map(|v| v.value.as_str()).collect(),
        ),
        (
            TAXONOMY_DELIVERY,
            "delivery",
            s.delivery.iter().map(|v| v.value.as_str()).collect(),
        ),
        (
            TAXONOMY_REFERRAL,
            "referral",
            s.referral.iter().map(|v| v.value.as_str()).collect(),
        ),
        (TAXONOMY_STATUS, "status", vec![s.status.value.as_str()]),
    ];
    for (taxonomy, link_type, codes) in vocabularies {
        for code in codes {
            let (name, description) = label(taxonomy, code);
            terms.push((taxonomy, link_type, code.to_string(), name, description));
        }
    }
    let sid = service_uuid;
    let mut seen = std::collections::BTreeSet::new();
    terms
        .into_iter()
        .filter(|(taxonomy, _, code, _, _)| seen.insert((*taxonomy, code.clone())))
        .map(|(taxonomy, link_type, code, name, description)| {
            let (term_id, taxonomy_id) = term_ids(taxonomy, &code);
            Attribute {
                id: stable_id(&["attribute", sid, taxonomy, &code]),
                link_id: service_uuid.to_string(),
                link_type,
                link_entity: "service",
                taxonomy_term_id: term_id.clone(),
                taxonomy_term: TaxonomyTerm {
                    id: term_id,
                    code,
                    name,
                    description,
                    taxonomy,
                    taxonomy_id,
                },
            }
        })
        .collect()
}

/// The ids of a taxonomy term and of its taxonomy. Every service with the term carries
/// them, so each thread works them out once.
fn term_ids(taxonomy: &'static str, code: &str) -> (String, String) {
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
