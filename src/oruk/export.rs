//! Export: the service directory as static Open Referral UK 3.0 JSON files.
//!
//! In: the loaded `Dataset` (services, the framework's categories, regions and areas).
//! Out: `OutputFile`s, sorted by path — `oruk/index.json` (API root); for each of
//! `services`, `organizations` and `taxonomies`, `oruk/<resource>/index.json` (the first
//! page), `oruk/<resource>/page/<n>/index.json` (every page, `PAGE_SIZE` to a page) and
//! `oruk/<resource>/<uuid>.json` (one fully nested record each); and the rules that let a
//! static host answer `?page=N` and `/<resource>/<id>` (`hosting`). Or those files written
//! under an output folder. Output is pretty JSON with a trailing newline and depends only
//! on the data, never on the clock or on map order.
//!
//! Kept in one file: the service record and its child records share their ids and
//! profile rules; apart, a child record could name an id its service does not carry.

use super::resources::{self, OrganizationHead, OrganizationIdentifier, Term};
use super::{
    ORUK_OPENAPI_URL, ORUK_PROFILE_URL, ORUK_VERSION, PAGE_SIZE, TAXONOMY_AGE_GROUPS,
    TAXONOMY_CATEGORIES, TAXONOMY_DELIVERY, TAXONOMY_REFERRAL, TAXONOMY_STATUS, hosting,
    organization_uuid, stable_id,
};
use crate::model::{Dataset, Service};
use crate::write::OutputFile;
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

/// A service's one-to-one fields: all a list page shows. Fields are in the order ORUK's
/// schema lists them. The HSDS 3.0 fields the ORUK profile does not have
/// (`alternate_name`, `application_process`, `eligibility_description`) are filled only for
/// the HSDS profile.
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
    schedules: Vec<Schedule>,
    service_at_locations: Vec<ServiceAtLocation>,
    contacts: Vec<ContactOut>,
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
    schedules: &'a Vec<Schedule>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    phones: &'a Vec<Phone>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    service_areas: &'a Vec<ServiceArea>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    service_at_locations: &'a Vec<ServiceAtLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    organization: Option<OrganizationRecord<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    funding: &'a Vec<Funding>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    cost_options: &'a Vec<CostOption>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    contacts: &'a Vec<ContactOut>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attributes: &'a Vec<Attribute>,
}

/// A named contact, as ORUK has it: a name and a job title; HSDS adds an e-mail address
/// and phone numbers.
#[derive(Serialize)]
struct ContactOut {
    id: String,
    service_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    phones: Vec<ContactPhone>,
}

/// A contact's phone number (HSDS only).
#[derive(Serialize)]
struct ContactPhone {
    id: String,
    contact_id: String,
    number: String,
}

/// Weekly opening times: the days (`byday`), the hours and a description.
#[derive(Serialize)]
struct Schedule {
    id: String,
    service_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    freq: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    byday: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    opens_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    closes_at: Option<String>,
}

#[derive(Serialize)]
struct ServiceAtLocation {
    id: String,
    service_id: String,
    location_id: String,
    location: LocationOut,
}

#[derive(Serialize)]
struct LocationOut {
    id: String,
    location_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    addresses: Vec<Address>,
}

/// An address; ORUK requires every one of these fields, so an address is written only when
/// the directory states them all.
#[derive(Serialize)]
struct Address {
    id: String,
    location_id: String,
    address_1: String,
    city: String,
    state_province: String,
    postal_code: String,
    country: String,
    address_type: &'static str,
}

#[derive(Serialize)]
struct OrganizationRecord<'a> {
    #[serde(flatten)]
    head: &'a OrganizationHead,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    organization_identifiers: &'a Vec<OrganizationIdentifier>,
}

#[derive(Serialize)]
struct Phone {
    id: String,
    service_id: String,
    number: String,
}

/// Where a service works. ORUK describes the area in `service_area`, HSDS in
/// `description`: the profile decides which is written.
#[derive(Serialize)]
struct ServiceArea {
    id: String,
    service_id: String,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    service_area: Option<String>,
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

/// A service's term in one of scopemap's taxonomies. `link_entity` is HSDS's alone.
#[derive(Serialize)]
struct Attribute {
    id: String,
    link_id: String,
    link_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    link_entity: Option<&'static str>,
    taxonomy_term_id: String,
    taxonomy_term: Term,
}

/// Which standard the files follow exactly.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Profile {
    /// Open Referral UK 3.0: every property is one the ORUK profile's schemas have.
    #[default]
    Oruk,
    /// HSDS 3.0, which ORUK profiles: adds the HSDS fields the directory can fill (a
    /// service's alternate name, eligibility, application process and phone number, and
    /// HSDS's spelling of a few others).
    Hsds,
}

/// How to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportOptions {
    pub profile: Profile,
    /// Items per page of every list.
    pub page_size: usize,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            profile: Profile::Oruk,
            page_size: PAGE_SIZE,
        }
    }
}

/// The directory as ORUK JSON files, paths relative to the output folder, sorted by path.
pub fn export_files(ds: &Dataset) -> Vec<OutputFile> {
    export_files_with(ds, &ExportOptions::default())
}

/// `export_files` with `page_size` items to a page.
pub fn export_files_paged(ds: &Dataset, page_size: usize) -> Vec<OutputFile> {
    export_files_with(
        ds,
        &ExportOptions {
            page_size,
            ..ExportOptions::default()
        },
    )
}

/// The feed's files, made as `options` say.
pub fn export_files_with(ds: &Dataset, options: &ExportOptions) -> Vec<OutputFile> {
    let records = Records::with_profile(ds, options.profile);
    let files = std::sync::Mutex::new(Vec::new());
    records.list_files_paged(ds, options.page_size, &|file| {
        files.lock().unwrap_or_else(|e| e.into_inner()).push(file);
    });
    let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
    files.extend((0..ds.services().len()).filter_map(|i| records.service_file(ds, i)));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// Each service's one-to-one fields, made once on first use, by the service's position
/// in the dataset. A site build keeps them for its own file and the list pages to share,
/// and `serve` keeps them between rebuilds. The records hanging off a service are made
/// only for its own file and not kept: they are most of a record's size.
pub struct Records {
    heads: Vec<OnceLock<ServiceHead>>,
    profile: Profile,
}

impl Records {
    /// The records of the ORUK profile.
    pub fn new(ds: &Dataset) -> Records {
        Records::with_profile(ds, Profile::Oruk)
    }

    pub fn with_profile(ds: &Dataset, profile: Profile) -> Records {
        Records {
            heads: (0..ds.services().len()).map(|_| OnceLock::new()).collect(),
            profile,
        }
    }

    fn get(&self, ds: &Dataset, i: usize) -> Option<&ServiceHead> {
        let service = &ds.services().get(i)?.value;
        let slot = self.heads.get(i)?;
        Some(slot.get_or_init(|| head(service, self.profile)))
    }

    /// Forget the records of the services at `positions` (their files changed).
    pub fn forget(&mut self, positions: &[usize]) {
        for &i in positions {
            if let Some(slot) = self.heads.get_mut(i) {
                slot.take();
            }
        }
    }

    /// The record of the service at position `i`, `oruk/services/<uuid>.json`.
    pub fn service_file(&self, ds: &Dataset, i: usize) -> Option<OutputFile> {
        let head = self.get(ds, i)?;
        let children = children(ds, &ds.services()[i].value, head, self.profile);
        let record = ServiceRecord {
            head,
            schedules: &children.schedules,
            phones: &children.phones,
            service_areas: &children.service_areas,
            service_at_locations: &children.service_at_locations,
            organization: head
                .organization
                .as_ref()
                .map(|organization| OrganizationRecord {
                    head: organization,
                    organization_identifiers: &children.organization_identifiers,
                }),
            funding: &children.funding,
            cost_options: &children.cost_options,
            contacts: &children.contacts,
            attributes: &children.attributes,
        };
        Some(json_file(
            &format!("oruk/services/{}.json", head.id),
            &record,
        ))
    }

    /// The feed's root, its paged lists of services, organizations and taxonomies, the
    /// records of organizations and taxonomies, and the host rules, each handed to `emit` as
    /// soon as it is made, so the pages are never all held at once.
    pub fn list_files(&self, ds: &Dataset, emit: &(dyn Fn(OutputFile) + Sync)) {
        self.list_files_paged(ds, PAGE_SIZE, emit);
    }

    /// `list_files` with `page_size` items to a page.
    pub fn list_files_paged(
        &self,
        ds: &Dataset,
        page_size: usize,
        emit: &(dyn Fn(OutputFile) + Sync),
    ) {
        // Listed in the order of their feed ids, which do not change when a file is renamed.
        let mut heads: Vec<(usize, &ServiceHead)> = (0..ds.services().len())
            .into_par_iter()
            .filter_map(|i| Some((i, self.get(ds, i)?)))
            .collect();
        heads.sort_by(|a, b| a.1.id.cmp(&b.1.id));
        let root = match self.profile {
            Profile::Oruk => ApiRoot {
                version: ORUK_VERSION,
                profile: ORUK_PROFILE_URL,
                openapi_url: ORUK_OPENAPI_URL,
            },
            Profile::Hsds => ApiRoot {
                version: super::HSDS_VERSION,
                profile: super::HSDS_PROFILE_URL,
                openapi_url: super::HSDS_OPENAPI_URL,
            },
        };
        emit(json_file("oruk/index.json", &root));
        let items: Vec<ListItem> = heads
            .iter()
            .map(|(_, head)| ListItem {
                head,
                organization: head.organization.as_ref(),
            })
            .collect();
        resources::pages("services", &items, page_size, emit);
        let provided: Vec<(usize, &OrganizationHead, &ServiceHead)> = heads
            .iter()
            .filter_map(|(i, head)| Some((*i, head.organization.as_ref()?, *head)))
            .collect();
        resources::organizations(ds, &provided, page_size, emit);
        resources::taxonomies(ds, self.profile, page_size, emit);
        for (path, text) in [
            ("oruk/.htaccess", hosting::apache()),
            ("oruk/nginx.conf", hosting::nginx()),
            ("_redirects", hosting::redirects()),
        ] {
            emit(OutputFile {
                path: path.to_string(),
                bytes: text.into_bytes(),
            });
        }
    }
}

/// Write the ORUK files under `out` (creating folders), removing the files an earlier
/// export left under `out/oruk/` that this one no longer makes (records, pages and host
/// rules; nothing else). A `_redirects` file at `out` that scopemap did not write is not
/// replaced. Returns how many files were written.
pub fn export_to_dir(ds: &Dataset, out: &Path) -> Result<usize, String> {
    export_to_dir_with(ds, out, &ExportOptions::default())
}

/// `export_to_dir`, made as `options` say.
pub fn export_to_dir_with(
    ds: &Dataset,
    out: &Path,
    options: &ExportOptions,
) -> Result<usize, String> {
    let files = export_files_with(ds, options);
    let redirects = out.join("_redirects");
    if let Ok(text) = std::fs::read_to_string(&redirects)
        && !text.starts_with(hosting::MARKER)
    {
        return Err(format!(
            "{} exists and was not written by scopemap; move it away (and add its rules to the new one) before exporting here",
            redirects.display()
        ));
    }
    let made: std::collections::BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let feed = out.join("oruk");
    if feed.is_dir() {
        for entry in walkdir::WalkDir::new(&feed)
            .contents_first(true)
            .into_iter()
            .flatten()
        {
            let Ok(rel) = entry.path().strip_prefix(out) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            if entry.file_type().is_dir() {
                // A page folder emptied by the removals below goes too.
                if rel.contains("/page/") || rel.ends_with("/page") {
                    let _ = std::fs::remove_dir(entry.path());
                }
                continue;
            }
            if is_ours(&rel) && !made.contains(rel.as_str()) {
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

/// Whether a file under `oruk/` is one an export makes: a record (`<resource>/<uuid>.json`),
/// a page (`<resource>/page/<n>/index.json`, or the `page-<n>.json` of older exports) or a
/// list's first page.
fn is_ours(rel: &str) -> bool {
    let parts: Vec<&str> = rel.split('/').collect();
    let number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        ["oruk", resource, name] if hosting::RESOURCES.contains(resource) => {
            *name == "index.json"
                || name
                    .strip_suffix(".json")
                    .is_some_and(|n| uuid::Uuid::parse_str(n).is_ok())
                || name
                    .strip_prefix("page-")
                    .and_then(|n| n.strip_suffix(".json"))
                    .is_some_and(number)
        }
        ["oruk", resource, "page", n, "index.json"] => {
            hosting::RESOURCES.contains(resource) && number(n)
        }
        _ => false,
    }
}

pub(super) fn json_file<T: Serialize>(path: &str, value: &T) -> OutputFile {
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
fn head(s: &Service, profile: Profile) -> ServiceHead {
    let hsds = |value: Option<String>| value.filter(|_| profile == Profile::Hsds);
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
        alternate_name: hsds(s.alternate_name.as_ref().and_then(|a| non_empty(&a.value))),
        description: s.description.value.trim().to_string(),
        url: s.url.as_ref().and_then(|u| web_address(&u.value)),
        email: s.email.as_ref().and_then(|e| non_empty(&e.value)),
        status,
        application_process: hsds(s.how_to_access.as_ref().and_then(|h| non_empty(&h.value))),
        eligibility_description: hsds(s.eligibility.as_ref().and_then(|e| non_empty(&e.value))),
        minimum_age,
        maximum_age,
        assured_date,
        alert,
        last_modified,
        organization,
    }
}

/// The records that hang off a service whose one-to-one fields are `head`.
fn children(ds: &Dataset, s: &Service, head: &ServiceHead, profile: Profile) -> Children {
    // Every id hangs off the service's own feed id, so a service keeps its records' ids
    // wherever its file is, and an import can tell them again.
    let uuid = &head.id;
    let sid = uuid.as_str();
    let organization_identifiers = match (&s.organization, &head.organization) {
        (Some(org), Some(org_head)) => resources::identifiers(org, &org_head.id),
        _ => Vec::new(),
    };
    // The ORUK profile has no phone numbers of a service: only HSDS carries them.
    let phones = s
        .phone
        .as_ref()
        .filter(|_| profile == Profile::Hsds)
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
            currency: (profile == Profile::Hsds).then_some("GBP"),
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
    let text =
        |v: &Option<crate::model::Spanned<String>>| v.as_ref().and_then(|t| non_empty(&t.value));
    let contacts = s
        .contacts
        .iter()
        .enumerate()
        .map(|(n, c)| {
            let id = stable_id(&["contact", sid, &n.to_string()]);
            let hsds = |v: &Option<crate::model::Spanned<String>>| {
                text(v).filter(|_| profile == Profile::Hsds)
            };
            ContactOut {
                phones: hsds(&c.phone)
                    .map(|number| ContactPhone {
                        id: stable_id(&["contact-phone", &id]),
                        contact_id: id.clone(),
                        number,
                    })
                    .into_iter()
                    .collect(),
                id,
                service_id: uuid.clone(),
                name: text(&c.name),
                title: text(&c.title),
                email: hsds(&c.email),
            }
        })
        .collect();
    let schedules = s
        .opening_times
        .iter()
        .enumerate()
        .map(|(n, o)| {
            let days: Vec<&str> = o.days.iter().map(|d| d.value.trim()).collect();
            Schedule {
                id: stable_id(&["schedule", sid, &n.to_string()]),
                service_id: uuid.clone(),
                freq: (!days.is_empty()).then_some("WEEKLY"),
                byday: (!days.is_empty()).then(|| days.join(",")),
                description: text(&o.description),
                opens_at: text(&o.opens).map(|t| format!("{t}:00")),
                closes_at: text(&o.closes).map(|t| format!("{t}:00")),
            }
        })
        .collect();
    let service_at_locations = s
        .locations
        .iter()
        .enumerate()
        .map(|(n, l)| {
            let location_id = stable_id(&["location", sid, &n.to_string()]);
            let address = match (
                text(&l.address),
                text(&l.town),
                text(&l.county),
                text(&l.postcode),
                text(&l.country),
            ) {
                (
                    Some(address_1),
                    Some(city),
                    Some(state_province),
                    Some(postal_code),
                    Some(country),
                ) => {
                    vec![Address {
                        id: stable_id(&["address", &location_id]),
                        location_id: location_id.clone(),
                        address_1,
                        city,
                        state_province,
                        postal_code,
                        country,
                        address_type: "physical",
                    }]
                }
                _ => Vec::new(),
            };
            ServiceAtLocation {
                id: stable_id(&["service-at-location", sid, &n.to_string()]),
                service_id: uuid.clone(),
                location_id: location_id.clone(),
                location: LocationOut {
                    id: location_id,
                    location_type: "physical",
                    name: text(&l.name),
                    addresses: address,
                },
            }
        })
        .collect();
    Children {
        schedules,
        service_at_locations,
        contacts,
        phones,
        service_areas: service_areas(ds, s, uuid, profile),
        organization_identifiers,
        funding,
        cost_options,
        attributes: attributes(ds, s, uuid, profile),
    }
}

/// The child's age range in years covered by the service's age groups. Pregnancy alone has
/// no child age, so a pregnancy-only service has no range (its age groups are attributes).
fn age_range(s: &Service) -> (Option<u32>, Option<u32>) {
    let groups: Vec<&str> = s.age_groups.iter().map(|g| g.value.as_str()).collect();
    super::ages_of_groups(&groups)
}

fn ons_uri(code: &str) -> Option<String> {
    let c = code.trim();
    (!c.is_empty() && c.chars().all(|ch| ch.is_ascii_alphanumeric()))
        .then(|| format!("http://statistics.data.gov.uk/id/statistical-geography/{c}"))
}

fn service_areas(
    ds: &Dataset,
    s: &Service,
    service_uuid: &str,
    profile: Profile,
) -> Vec<ServiceArea> {
    let (description, service_area) = match profile {
        Profile::Oruk => (None, Some(())),
        Profile::Hsds => (Some(()), None),
    };
    let sid = service_uuid;
    let mut out = Vec::new();
    for area_id in &s.areas {
        let Some((region, area)) = ds.area(&area_id.value) else {
            continue;
        };
        let words = format!(
            "{} ({}) in {}",
            area.name.value.trim(),
            area.kind.value.trim(),
            region.name.value.trim()
        );
        out.push(ServiceArea {
            id: stable_id(&["service-area", sid, "area", &area.id.value]),
            service_id: service_uuid.to_string(),
            name: area.name.value.trim().to_string(),
            description: description.map(|()| words.clone()),
            service_area: service_area.map(|()| words.clone()),
            uri: area.latest_ons_code().and_then(ons_uri),
        });
    }
    for region_id in &s.regions {
        let Some(region) = ds.region(&region_id.value) else {
            continue;
        };
        let words = format!(
            "{} (Integrated Care System; the areas served within it are not known)",
            region.name.value.trim()
        );
        out.push(ServiceArea {
            id: stable_id(&["service-area", sid, "region", &region.id.value]),
            service_id: service_uuid.to_string(),
            name: region.name.value.trim().to_string(),
            description: description.map(|()| words.clone()),
            service_area: service_area.map(|()| words.clone()),
            uri: region.latest_ons_code().and_then(ons_uri),
        });
    }
    out
}

fn attributes(ds: &Dataset, s: &Service, service_uuid: &str, profile: Profile) -> Vec<Attribute> {
    let lists: [(&'static str, &'static str, Vec<&str>); 5] = [
        (
            TAXONOMY_CATEGORIES,
            "service_category",
            s.categories.iter().map(|v| v.value.as_str()).collect(),
        ),
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
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for (taxonomy, link_type, codes) in lists {
        for code in codes {
            if !seen.insert((taxonomy, code)) {
                continue;
            }
            let term = resources::term(ds, taxonomy, code, profile);
            out.push(Attribute {
                id: stable_id(&["attribute", service_uuid, taxonomy, code]),
                link_id: service_uuid.to_string(),
                link_type,
                link_entity: (profile == Profile::Hsds).then_some("service"),
                taxonomy_term_id: term.id.clone(),
                taxonomy_term: term,
            });
        }
    }
    out
}
