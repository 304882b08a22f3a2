//! Reading one Open Referral UK / HSDS 3.0 service record into the directory's fields.
//!
//! In: a service object from a feed, where it is in its file, and the project (its areas
//! and regions, its framework's categories). Out: a `Reading` — the `Draft` of directory
//! fields, every field of the record that was not carried over with the reason, the
//! problems found in values (dates that are not dates, ages that are not numbers) as
//! diagnostics to place in the file, what the record says about where the service works
//! and whom it is for (so the import can tell whether it is in the project's scope), and
//! the fields left for the network manager to fill in.
//!
//! scopemap's own export is read back exactly: its taxonomies give categories, age groups,
//! delivery, referral routes and status; its service areas' ONS addresses (or their ids,
//! derived from the area's id) give the areas; its alerts give the closing date.
//!
//! Kept in one file: each ORUK object is read by the same rules of position, dates and
//! dropped fields; apart, two readers could report the same problem differently.

use super::position::{Path, Step};
use super::{
    AGE_RANGES, IDENTIFIER_SCHEMES, TAXONOMY_AGE_GROUPS, TAXONOMY_CATEGORIES, TAXONOMY_DELIVERY,
    TAXONOMY_REFERRAL, TAXONOMY_STATUS, codes, stable_id,
};
use crate::model::Dataset;
use crate::model::vocab::{AgeGroup, Delivery, Referral, ServiceStatus, Vocabulary, Weekday};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

use super::draft::{Draft, Org};

/// Where a service works, in the project's terms.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Place {
    Area(String),
    Region(String),
}

/// The project's areas and regions, by the codes and names a feed may give them.
pub struct Places {
    by_code: BTreeMap<String, Place>,
    by_name: BTreeMap<String, Place>,
    /// Towns and districts an area covers, to tell that a place is inside the project.
    towns: BTreeMap<String, Place>,
    /// Every area and region id, for recognising scopemap's own service area ids.
    all: Vec<Place>,
}

impl Places {
    pub fn new(ds: &Dataset) -> Places {
        let mut by_code = BTreeMap::new();
        let mut by_name: BTreeMap<String, (Place, u16)> = BTreeMap::new();
        let mut towns: BTreeMap<String, (Place, u16)> = BTreeMap::new();
        let mut all = Vec::new();
        // Of two areas with one name (a CCG and the Place that succeeded it), a name or
        // town means the one in use latest.
        let keep =
            |map: &mut BTreeMap<String, (Place, u16)>, name: &str, place: &Place, until: u16| {
                let key = name_key(name);
                if key.is_empty() {
                    return;
                }
                match map.get(&key) {
                    Some((_, known)) if *known >= until => {}
                    _ => {
                        map.insert(key, (place.clone(), until));
                    }
                }
            };
        for region in ds.regions() {
            let r = &region.value;
            let place = Place::Region(r.id.value.clone());
            for c in r.dated_codes() {
                by_code.entry(c.code.to_string()).or_insert(place.clone());
            }
            keep(&mut by_name, &r.name.value, &place, u16::MAX);
            all.push(place);
            for a in &r.areas {
                let place = Place::Area(a.id.value.clone());
                for c in a.dated_codes() {
                    by_code.entry(c.code.to_string()).or_insert(place.clone());
                }
                let until = a.in_use.until.as_ref().map_or(u16::MAX, |y| y.value);
                keep(&mut by_name, &a.name.value, &place, until);
                for town in &a.covers {
                    keep(&mut towns, &town.value, &place, until);
                }
                all.push(place);
            }
        }
        Places {
            by_code,
            by_name: by_name.into_iter().map(|(k, (p, _))| (k, p)).collect(),
            towns: towns.into_iter().map(|(k, (p, _))| (k, p)).collect(),
            all,
        }
    }

    /// The place with this ONS code, also given as an ONS address
    /// (`http://statistics.data.gov.uk/id/statistical-geography/E38000091`).
    fn by_code(&self, text: &str) -> Option<&Place> {
        let code = text.trim().trim_end_matches('/').rsplit('/').next()?;
        self.by_code.get(&code.to_ascii_uppercase())
    }

    fn by_name(&self, text: &str) -> Option<&Place> {
        self.by_name.get(&name_key(text))
    }

    /// Whether a town or place name is inside the project's areas.
    fn knows_place(&self, text: &str) -> bool {
        let key = name_key(text);
        self.by_name.contains_key(&key) || self.towns.contains_key(&key)
    }

    /// The area a town is in.
    fn town(&self, text: &str) -> Option<&Place> {
        self.towns.get(&name_key(text))
    }
}

/// A name compared loosely: case, punctuation and "and" (or "&") do not matter.
pub fn name_key(name: &str) -> String {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| w != "and")
        .collect::<Vec<_>>()
        .join(" ")
}

/// What the import knows of the project.
pub struct Context {
    pub places: Places,
    /// The framework's category ids.
    pub categories: BTreeSet<String>,
    /// Terms of other taxonomies that stand for a category: (taxonomy, term, category),
    /// from `oruk.taxonomy_map` in `scopemap.yaml`.
    pub taxonomy_map: Vec<(Option<String>, String, String)>,
}

impl Context {
    pub fn new(ds: &Dataset) -> Context {
        Context {
            places: Places::new(ds),
            categories: ds
                .framework()
                .map(|f| f.categories.iter().map(|c| c.id.value.clone()).collect())
                .unwrap_or_default(),
            taxonomy_map: Vec::new(),
        }
    }

    /// The context with the terms `scopemap.yaml` maps to categories.
    pub fn with_map(mut self, map: &[crate::model::TaxonomyMapping]) -> Context {
        self.taxonomy_map = map
            .iter()
            .map(|m| {
                let (taxonomy, term) = m.key();
                (
                    taxonomy.map(str::to_string),
                    term.to_string(),
                    m.category.value.clone(),
                )
            })
            .collect();
        self
    }

    /// The categories the map gives a term of another taxonomy, found by the term's id,
    /// name or code and, where an entry names one, the taxonomy's name or id. Entries that
    /// name the taxonomy come before those that do not.
    fn mapped(&self, attr: &Value, term: &Value) -> Vec<String> {
        let terms: Vec<String> = [
            text(term, "id"),
            text(attr, "taxonomy_term_id"),
            text(term, "name"),
            text(term, "term"),
            text(term, "code"),
        ]
        .into_iter()
        .flatten()
        .collect();
        let detail = term.get("taxonomy_detail").unwrap_or(&Value::Null);
        let taxonomies: Vec<String> = [
            text(term, "taxonomy"),
            text(term, "taxonomy_id"),
            text(detail, "id"),
            text(detail, "name"),
        ]
        .into_iter()
        .flatten()
        .collect();
        let matching = |named: bool| -> Vec<String> {
            let mut out: Vec<String> = Vec::new();
            for (taxonomy, t, category) in &self.taxonomy_map {
                let fits = terms.contains(t)
                    && match taxonomy {
                        Some(x) => named && taxonomies.contains(x),
                        None => !named,
                    };
                if fits && self.categories.contains(category) && !out.contains(category) {
                    out.push(category.clone());
                }
            }
            out
        };
        let named = matching(true);
        if named.is_empty() {
            matching(false)
        } else {
            named
        }
    }
}

/// A value problem found while reading a record.
#[derive(Debug, Clone)]
pub struct Problem {
    pub code: &'static str,
    pub path: Path,
    pub message: String,
    pub expected: Option<String>,
    pub help: String,
}

/// A field of the record that was not carried over, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Dropped {
    /// The field, as a path inside the record (`schedules`, `organization.logo`).
    pub field: String,
    pub reason: String,
}

/// Everything read from one service record.
pub struct Reading {
    pub draft: Draft,
    pub dropped: Vec<Dropped>,
    pub problems: Vec<Problem>,
    /// Names of the places the record says the service works in (service areas, the towns
    /// of its locations), and whether any is inside the project.
    pub places_named: Vec<String>,
    pub in_project: bool,
    /// The ages the record states, in years.
    pub ages: (Option<f64>, Option<f64>),
    /// Directory fields the feed did not fill, for the network manager.
    pub to_fill: Vec<String>,
}

/// The fields of a service record this module reads; anything else is reported.
const READ: &[&str] = &[
    "id",
    "organization_id",
    "name",
    "alternate_name",
    "description",
    "url",
    "email",
    "status",
    "alert",
    "eligibility_description",
    "application_process",
    "minimum_age",
    "maximum_age",
    "assured_date",
    "last_modified",
    "organization",
    "phones",
    "funding",
    "cost_options",
    "attributes",
    "service_areas",
    "contacts",
    "schedules",
    "service_at_locations",
];

/// Why a field of ORUK or HSDS has no place in the directory, for fields the directory
/// has nothing for.
fn no_place(field: &str) -> &'static str {
    match field {
        "fees" | "fees_description" => {
            "the directory records only whether a service is free or charges (`cost`), from `cost_options`"
        }
        "accreditations" | "licenses" => "the directory has no field for accreditations",
        "assurer_email" => "the directory does not record who checked the details",
        "languages" => "the directory has no field for languages",
        "regular_schedules" | "holiday_schedules" => {
            "an HSDS 1 field; the directory reads opening times from `schedules`"
        }
        "program" | "program_id" => "the directory has no field for programmes",
        "required_documents" => "the directory has no field for required documents",
        "capacities" => "the directory has no field for capacity",
        "interpretation_services" => "the directory has no field for interpretation",
        "wait_time" => "the directory has no field for waiting times",
        _ => "not a field of an Open Referral UK service that the directory reads",
    }
}

/// A trimmed, non-empty string field.
pub fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn array<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

fn has_value(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::String(s) => !s.trim().is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
        _ => true,
    }
}

fn short(v: &Value) -> String {
    let text = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.chars().count() > 60 {
        format!("{}…", flat.chars().take(60).collect::<String>())
    } else {
        flat
    }
}

fn child(path: &Path, key: &str) -> Path {
    let mut p = path.clone();
    p.push(Step::Key(key.to_string()));
    p
}

/// Read the service `v` (at `path` in its file). `organization` is the record's
/// organisation when the service came nested in one.
pub fn read_service(v: &Value, path: &Path, ctx: &Context, parent_org: Option<&Value>) -> Reading {
    let mut r = Reading {
        draft: Draft::default(),
        dropped: Vec::new(),
        problems: Vec::new(),
        places_named: Vec::new(),
        in_project: false,
        ages: (None, None),
        to_fill: Vec::new(),
    };
    let d = &mut r.draft;
    d.name = text(v, "name").unwrap_or_default();
    let feed_id = text(v, "id");
    match &feed_id {
        Some(id) if uuid::Uuid::parse_str(id).is_ok() => {
            d.oruk_id = Some(id.to_ascii_lowercase());
        }
        Some(id) => r.dropped.push(Dropped {
            field: "id".into(),
            reason: format!(
                "`{}` is not a UUID, which Open Referral UK ids are: the export will give the service an id of its own",
                short(&Value::String(id.clone()))
            ),
        }),
        None => {}
    }
    d.alternate_name = text(v, "alternate_name");
    d.description = text(v, "description");
    if d.description.is_none() {
        r.to_fill.push("description".into());
    }
    d.url = text(v, "url");
    d.email = text(v, "email");
    d.eligibility = text(v, "eligibility_description");
    d.how_to_access = text(v, "application_process");

    read_organization(v, parent_org, &mut r);
    let ours = read_attributes(v, ctx, &mut r.dropped);
    let pick = |taxonomy: &str| -> Vec<String> {
        ours.iter()
            .filter(|(t, _)| t == taxonomy)
            .map(|(_, c)| c.clone())
            .collect()
    };
    let d = &mut r.draft;
    d.categories = pick(TAXONOMY_CATEGORIES);
    d.delivery = pick(TAXONOMY_DELIVERY);
    d.referral = pick(TAXONOMY_REFERRAL);
    let own_status = pick(TAXONOMY_STATUS).into_iter().next();
    let own_ages = pick(TAXONOMY_AGE_GROUPS);
    if d.categories.is_empty() {
        r.to_fill.push("categories".into());
    }

    // Ages.
    let min = read_age(v, path, "minimum_age", &mut r.problems);
    let max = read_age(v, path, "maximum_age", &mut r.problems);
    r.ages = (min, max);
    r.draft.age_groups = if own_ages.is_empty() {
        let whole = |a: Option<f64>| a.filter(|a| a.fract() == 0.0).map(|a| a as u32);
        if min.is_some() || max.is_some() {
            r.draft.ages = Some((whole(min), whole(max)));
        }
        groups_for_ages(min, max)
    } else {
        own_ages
    };

    read_places(v, ctx, &mut r);
    read_status(v, own_status, &mut r);
    read_dates(v, path, &mut r);
    read_contact(v, &mut r);
    read_cost_and_funding(v, &mut r);
    read_contacts(v, &mut r);
    read_locations(v, &mut r);
    read_schedules(v, path, &mut r);

    let d = &r.draft;
    for (field, missing) in [
        ("age_groups", d.age_groups.is_empty()),
        ("delivery", d.delivery.is_empty()),
        ("referral", d.referral.is_empty()),
    ] {
        if missing {
            r.to_fill.push(field.into());
        }
    }
    if d.organization.is_none() {
        r.to_fill.push("organization".into());
    }
    if d.last_checked.is_none() {
        r.to_fill.push("last_checked".into());
    }

    if let Some(map) = v.as_object() {
        for (key, value) in map {
            if has_value(value) && !READ.contains(&key.as_str()) {
                r.dropped.push(Dropped {
                    field: key.clone(),
                    reason: no_place(key).to_string(),
                });
            }
        }
    }
    r.dropped.sort();
    r.dropped.dedup();
    r
}

fn read_organization(v: &Value, parent: Option<&Value>, r: &mut Reading) {
    let org = match v.get("organization") {
        Some(o) if o.is_object() => Some(o),
        Some(o) if has_value(o) => {
            r.dropped.push(Dropped {
                field: "organization".into(),
                reason: "not an organization object".into(),
            });
            parent
        }
        _ => parent,
    };
    let Some(org) = org else {
        if text(v, "organization_id").is_some() {
            r.dropped.push(Dropped {
                field: "organization_id".into(),
                reason: "the record names its organization only by id, and the import reads organizations from the services that nest them".into(),
            });
        }
        return;
    };
    let Some(name) = text(org, "name") else {
        r.dropped.push(Dropped {
            field: "organization".into(),
            reason: "the organization has no name".into(),
        });
        return;
    };
    let mut identifiers = Vec::new();
    for ident in array(org, "organization_identifiers") {
        match (identifier_scheme(ident), text(ident, "identifier")) {
            (Some(scheme), Some(value)) => identifiers.push((scheme.to_string(), value)),
            _ => r.dropped.push(Dropped {
                field: "organization.organization_identifiers".into(),
                reason: format!(
                    "an identifier of a scheme the directory does not record (`{}`); it records {}",
                    text(ident, "identifier_scheme")
                        .or_else(|| text(ident, "identifier_type"))
                        .unwrap_or_default(),
                    IDENTIFIER_SCHEMES
                        .iter()
                        .map(|(_, code, _)| *code)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }),
        }
    }
    let url = text(org, "website").filter(|u| is_web(u));
    if text(org, "website").is_some() && url.is_none() {
        r.dropped.push(Dropped {
            field: "organization.website".into(),
            reason: "not an http(s) address".into(),
        });
    }
    for key in [
        "email",
        "logo",
        "uri",
        "parent_organization_id",
        "attributes",
        "services",
    ] {
        if org.get(key).is_some_and(has_value) {
            r.dropped.push(Dropped {
                field: format!("organization.{key}"),
                reason: "the directory records an organization's name, website and register identifiers only".into(),
            });
        }
    }
    r.draft.organization = Some(Org {
        name,
        url,
        identifiers,
    });
}

fn is_web(text: &str) -> bool {
    url::Url::parse(text).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}

/// (taxonomy, code) of every attribute in one of scopemap's own taxonomies, keeping only
/// codes the directory format knows; the others are reported in `dropped`.
fn read_attributes(v: &Value, ctx: &Context, dropped: &mut Vec<Dropped>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for attr in array(v, "attributes") {
        let term = attr.get("taxonomy_term").unwrap_or(&Value::Null);
        let taxonomy = text(term, "taxonomy").unwrap_or_default();
        let code = text(term, "term")
            .or_else(|| text(term, "code"))
            .unwrap_or_default();
        let known: Option<Vec<&str>> = match taxonomy.as_str() {
            TAXONOMY_CATEGORIES => None,
            TAXONOMY_AGE_GROUPS => Some(codes::<AgeGroup>()),
            TAXONOMY_DELIVERY => Some(codes::<Delivery>()),
            TAXONOMY_REFERRAL => Some(codes::<Referral>()),
            TAXONOMY_STATUS => Some(codes::<ServiceStatus>()),
            _ => {
                let mapped = ctx.mapped(attr, term);
                if mapped.is_empty() {
                    let name = text(term, "name")
                        .or_else(|| Some(code.clone()).filter(|c| !c.is_empty()))
                        .or_else(|| text(attr, "taxonomy_term_id"))
                        .unwrap_or_default();
                    dropped.push(Dropped {
                        field: "attributes".into(),
                        reason: format!(
                            "the term `{}` of the taxonomy `{}`, which `oruk.taxonomy_map` in scopemap.yaml does not map to a category",
                            short(&Value::String(name)),
                            short(&Value::String(taxonomy.clone()))
                        ),
                    });
                }
                for category in mapped {
                    let pair = (TAXONOMY_CATEGORIES.to_string(), category);
                    if !out.contains(&pair) {
                        out.push(pair);
                    }
                }
                continue;
            }
        };
        let fits = match known {
            Some(list) => list.contains(&code.as_str()),
            None => ctx.categories.contains(&code),
        };
        if !fits {
            dropped.push(Dropped {
                field: "attributes".into(),
                reason: format!(
                    "`{}` is not a value of {taxonomy} that this project knows",
                    short(&Value::String(code))
                ),
            });
            continue;
        }
        if !out.iter().any(|(t, c)| *t == taxonomy && *c == code) {
            out.push((taxonomy, code));
        }
    }
    out
}

/// An age field: a number, or a numeric string; anything else is a problem.
fn read_age(v: &Value, path: &Path, key: &str, problems: &mut Vec<Problem>) -> Option<f64> {
    let value = v.get(key)?;
    let n = match value {
        Value::Null => return None,
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
    .filter(|n| n.is_finite() && *n >= 0.0 && *n <= 150.0);
    if n.is_none() {
        problems.push(Problem {
            code: "W253",
            path: child(path, key),
            message: format!("`{key}` is `{}`, not an age in years", short(value)),
            expected: Some("a number of years from 0 to 150, e.g. 0 or 5".into()),
            help: "the age was not imported; correct it in the feed, or state the service's age groups in its directory file".into(),
        });
    }
    n
}

/// Age groups whose child ages overlap the feed's range. A range `min..max` is read as
/// "from `min` up to `max`", a single age (`min == max`) as that age, and an open end as
/// unbounded. Groups run from one birthday to the next: `0-1` is [0, 1), `1-2` is [1, 2) and
/// `2-5` is [2, 6). Pregnancy cannot be told from ages, so it is never inferred.
pub fn groups_for_ages(min: Option<f64>, max: Option<f64>) -> Vec<String> {
    if min.is_none() && max.is_none() {
        return Vec::new();
    }
    let low = min.unwrap_or(0.0);
    let high = max.unwrap_or(f64::INFINITY);
    if low > high {
        return Vec::new();
    }
    AGE_RANGES
        .iter()
        .filter_map(|(name, range)| {
            let (a, b) = (*range)?;
            let (a, b) = (f64::from(a), f64::from(if b == 5 { 6 } else { b }));
            let overlaps = if high > low {
                low < b && high > a
            } else {
                a <= low && low < b
            };
            overlaps.then(|| name.to_string())
        })
        .collect()
}

/// Whether the ages a record states leave the project's range (pregnancy to age five):
/// it is for people older than five only.
pub fn ages_outside(ages: (Option<f64>, Option<f64>)) -> bool {
    match ages {
        (Some(min), _) if min >= 6.0 => true,
        (min, Some(max)) => max < 0.0 || min.is_some_and(|m| m > max),
        _ => false,
    }
}

fn read_places(v: &Value, ctx: &Context, r: &mut Reading) {
    let service_id = text(v, "id").unwrap_or_default();
    let mut places: Vec<Place> = Vec::new();
    let mut complete = true;
    for area in array(v, "service_areas") {
        let name = text(area, "name")
            .or_else(|| text(area, "service_area"))
            .unwrap_or_default();
        if !name.is_empty() {
            r.places_named.push(name.clone());
        }
        let own = text(area, "id").and_then(|id| {
            ctx.places.all.iter().find(|p| {
                let (kind, pid) = match p {
                    Place::Area(a) => ("area", a),
                    Place::Region(r) => ("region", r),
                };
                stable_id(&["service-area", &service_id, kind, pid]) == id
            })
        });
        let found = own
            .or_else(|| text(area, "uri").and_then(|u| ctx.places.by_code(&u)))
            .or_else(|| ctx.places.by_name(&name))
            .cloned();
        match found {
            Some(place) => {
                r.in_project = true;
                if !places.contains(&place) {
                    places.push(place);
                }
            }
            None => {
                complete = false;
                let reason = match ctx.places.town(&name) {
                    Some(Place::Area(area) | Place::Region(area)) => {
                        r.in_project = true;
                        format!(
                            "`{}` is a place in the area `{area}`, not a whole area: list the area under `areas` if the service covers it",
                            short(&Value::String(name))
                        )
                    }
                    None => format!(
                        "`{}` is not an area or region of this project (matched by ONS code, then by name)",
                        short(&Value::String(name))
                    ),
                };
                r.dropped.push(Dropped {
                    field: "service_areas".into(),
                    reason,
                });
            }
        }
    }
    // Where the service is delivered: the towns of its locations' addresses.
    let mut towns = Vec::new();
    let locations = array(v, "service_at_locations")
        .iter()
        .filter_map(|sal| sal.get("location"))
        .chain(v.get("location"));
    for location in locations {
        for address in array(location, "addresses") {
            for key in ["city", "region", "state_province"] {
                if let Some(t) = text(address, key) {
                    towns.push(t);
                }
            }
        }
    }
    for town in towns {
        if ctx.places.knows_place(&town) {
            r.in_project = true;
        }
        r.places_named.push(town);
    }
    for place in places {
        match place {
            Place::Area(a) => r.draft.areas.push(a),
            Place::Region(g) => r.draft.regions.push(g),
        }
    }
    r.draft.areas_complete = complete;
    if r.draft.areas.is_empty() && r.draft.regions.is_empty() {
        r.to_fill.push("areas".into());
    }
}

fn read_status(v: &Value, own: Option<String>, r: &mut Reading) {
    let alert = text(v, "alert");
    let theirs = text(v, "status");
    let status = match (own, theirs.as_deref()) {
        (Some(s), _) => Some(s),
        (None, Some("active")) => Some("active".to_string()),
        // scopemap's own alert says that an inactive service is being set up.
        (None, Some("inactive")) if alert.as_deref() == Some(super::ALERT_IN_DEVELOPMENT) => {
            Some("in-development".to_string())
        }
        (None, Some("inactive" | "defunct")) => Some("decommissioned".to_string()),
        (None, Some("temporarily closed")) => {
            // Still a service, so it stays in the directory; the manager decides.
            r.to_fill
                .push("status (temporarily closed in the feed)".to_string());
            Some("active".to_string())
        }
        (None, other) => {
            if let Some(other) = other {
                r.dropped.push(Dropped {
                    field: "status".into(),
                    reason: format!(
                        "`{}` is not an Open Referral UK status (active, inactive, defunct, temporarily closed)",
                        short(&Value::String(other.to_string()))
                    ),
                });
            }
            r.to_fill.push("status".to_string());
            None
        }
    };
    // scopemap's own alerts say what its status means; another alert has no field here.
    if let Some(alert) = alert {
        let closed = alert
            .strip_prefix("This service has been decommissioned (")
            .and_then(|rest| rest.strip_suffix(")."))
            .map(str::to_string);
        let ours = alert == super::ALERT_IN_DEVELOPMENT
            || alert == super::ALERT_DECOMMISSIONED
            || closed.is_some();
        if closed.is_some() && status.as_deref() == Some("decommissioned") {
            r.draft.closed = closed;
        } else if !ours {
            r.dropped.push(Dropped {
                field: "alert".into(),
                reason: "the directory has no field for alerts".into(),
            });
        }
    }
    r.draft.status = status;
}

/// A `YYYY-MM-DD` date, also at the start of a date-time; anything else is a problem.
fn read_date(v: &Value, path: &Path, key: &str, problems: &mut Vec<Problem>) -> Option<String> {
    let value = v.get(key)?;
    if value.is_null() {
        return None;
    }
    let day = value
        .as_str()
        .map(str::trim)
        .and_then(|t| {
            let (day, rest) = (t.get(..10)?, t.get(10..)?);
            (rest.is_empty() || rest.starts_with('T')).then_some(day)
        })
        .filter(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok());
    if day.is_none() {
        problems.push(Problem {
            code: "W252",
            path: child(path, key),
            message: format!("`{key}` is `{}`, not a date", short(value)),
            expected: Some("a date written YYYY-MM-DD, or a date-time such as 2024-03-01T09:00:00Z".into()),
            help: "the date was not imported; ask the feed's publisher to write dates as ISO 8601 (31/12/2023 is 2023-12-31)".into(),
        });
    }
    day.map(str::to_string)
}

fn read_dates(v: &Value, path: &Path, r: &mut Reading) {
    // The assured date is when the details were last checked; `last_modified` is when the
    // record last changed, which says nothing about a check with the service.
    r.draft.last_checked = read_date(v, path, "assured_date", &mut r.problems);
    r.draft.last_changed = read_date(v, path, "last_modified", &mut r.problems);
}

fn read_contact(v: &Value, r: &mut Reading) {
    let numbers: Vec<String> = array(v, "phones")
        .iter()
        .filter_map(|p| text(p, "number"))
        .collect();
    r.draft.phone = numbers.first().cloned();
    if numbers.len() > 1 {
        r.dropped.push(Dropped {
            field: "phones".into(),
            reason: format!(
                "{} more numbers: the directory keeps one phone number",
                numbers.len() - 1
            ),
        });
    }
}

/// Named contacts: their name and title, and (from HSDS feeds; the ORUK profile has
/// neither) their e-mail address and first phone number. A contact with neither name nor
/// title is no named contact, and is reported.
fn read_contacts(v: &Value, r: &mut Reading) {
    for contact in array(v, "contacts") {
        let numbers: Vec<String> = array(contact, "phones")
            .iter()
            .filter_map(|p| text(p, "number"))
            .collect();
        let c = super::draft::Contact {
            name: text(contact, "name"),
            title: text(contact, "title"),
            phone: numbers.first().cloned(),
            email: text(contact, "email"),
        };
        if c.name.is_none() && c.title.is_none() {
            if c.phone.is_some() || c.email.is_some() {
                r.dropped.push(Dropped {
                    field: "contacts".into(),
                    reason: "a contact with neither a name nor a title".into(),
                });
            }
            continue;
        }
        if numbers.len() > 1 {
            r.dropped.push(Dropped {
                field: "contacts.phones".into(),
                reason: format!(
                    "{} more numbers: the directory keeps one phone number of a contact",
                    numbers.len() - 1
                ),
            });
        }
        if contact.get("department").is_some_and(has_value) {
            r.dropped.push(Dropped {
                field: "contacts.department".into(),
                reason: "the directory has no field for a contact's department".into(),
            });
        }
        r.draft.contacts.push(c);
    }
}

/// Locations with their first address: building and street, town, county, postcode.
fn read_locations(v: &Value, r: &mut Reading) {
    for sal in array(v, "service_at_locations") {
        let Some(location) = sal.get("location").filter(|l| l.is_object()) else {
            if sal.get("location_id").is_some() {
                r.dropped.push(Dropped {
                    field: "service_at_locations".into(),
                    reason: "a location named only by its id".into(),
                });
            }
            continue;
        };
        let addresses = array(location, "addresses");
        let address = addresses.first().unwrap_or(&Value::Null);
        let l = super::draft::Location {
            name: text(location, "name"),
            address: text(address, "address_1"),
            town: text(address, "city"),
            county: text(address, "state_province"),
            postcode: text(address, "postal_code"),
            country: text(address, "country"),
        };
        if addresses.len() > 1 {
            r.dropped.push(Dropped {
                field: "service_at_locations.location.addresses".into(),
                reason: "the directory keeps one address of a location".into(),
            });
        }
        for key in [
            "accessibility",
            "latitude",
            "longitude",
            "external_identifier",
            "description",
        ] {
            if location.get(key).is_some_and(has_value) {
                r.dropped.push(Dropped {
                    field: format!("service_at_locations.location.{key}"),
                    reason: "the directory keeps a location's name and address only".into(),
                });
            }
        }
        if l != super::draft::Location::default() {
            r.draft.locations.push(l);
        }
    }
}

/// A time of day, `HH:MM` (also read from `HH:MM:SS`); anything else is a problem.
fn read_time(v: &Value, path: &Path, key: &str, problems: &mut Vec<Problem>) -> Option<String> {
    let value = v.get(key)?;
    if value.is_null() {
        return None;
    }
    let hhmm = value.as_str().map(str::trim).and_then(|t| {
        let t = t.get(..5).filter(|_| t.len() == 5 || t.len() == 8)?;
        chrono::NaiveTime::parse_from_str(t, "%H:%M")
            .ok()
            .map(|_| t)
    });
    if hhmm.is_none() {
        problems.push(Problem {
            code: "W252",
            path: child(path, key),
            message: format!("`{key}` is `{}`, not a time of day", short(value)),
            expected: Some("a time written HH:MM or HH:MM:SS, e.g. 09:30:00".into()),
            help: "the time was not imported; ask the feed's publisher to correct it".into(),
        });
    }
    hhmm.map(str::to_string)
}

/// Weekly opening times: the days and the hours, and what the feed says of them in words.
fn read_schedules(v: &Value, path: &Path, r: &mut Reading) {
    for (i, schedule) in array(v, "schedules").iter().enumerate() {
        let mut here = child(path, "schedules");
        here.push(Step::Index(i));
        let days: Vec<String> = text(schedule, "byday")
            .map(|d| {
                d.split(',')
                    .map(|x| x.trim().to_ascii_uppercase())
                    .filter(|x| Weekday::from_code(x).is_some())
                    .collect()
            })
            .unwrap_or_default();
        let weekly = text(schedule, "freq").is_none_or(|f| f.eq_ignore_ascii_case("WEEKLY"));
        let o = super::draft::OpeningTime {
            description: text(schedule, "description"),
            days: if weekly { days } else { Vec::new() },
            opens: read_time(schedule, &here, "opens_at", &mut r.problems),
            closes: read_time(schedule, &here, "closes_at", &mut r.problems),
        };
        if !weekly {
            r.dropped.push(Dropped {
                field: "schedules.freq".into(),
                reason: "the directory keeps weekly opening times; other patterns are kept only in words".into(),
            });
        }
        for key in [
            "valid_from",
            "valid_to",
            "dtstart",
            "until",
            "count",
            "interval",
            "bymonthday",
            "byweekno",
            "byyearday",
            "wkst",
            "notes",
            "attending_type",
            "schedule_link",
            "timezone",
        ] {
            if schedule.get(key).is_some_and(has_value)
                && !(key == "interval" && schedule[key] == 1)
            {
                r.dropped.push(Dropped {
                    field: format!("schedules.{key}"),
                    reason:
                        "the directory keeps the days, the hours and a description of opening times"
                            .into(),
                });
            }
        }
        if o != super::draft::OpeningTime::default() {
            r.draft.opening_times.push(o);
        }
    }
}

fn read_cost_and_funding(v: &Value, r: &mut Reading) {
    let options = array(v, "cost_options");
    r.draft.cost = cost_of(options).map(str::to_string);
    if !options.is_empty() && r.draft.cost.is_none() {
        r.dropped.push(Dropped {
            field: "cost_options".into(),
            reason: "they say neither that the service is free nor that it charges".into(),
        });
    }
    let sources: Vec<String> = array(v, "funding")
        .iter()
        .filter_map(|f| text(f, "source"))
        .collect();
    r.draft.funding_source = sources.first().cloned();
    if sources.len() > 1 {
        r.dropped.push(Dropped {
            field: "funding".into(),
            reason: format!(
                "{} more sources: the directory keeps one funding source",
                sources.len() - 1
            ),
        });
    }
}

/// `free` when an option costs nothing or says it is free; `charge` when one costs
/// something or says there is a charge.
fn cost_of(options: &[Value]) -> Option<&'static str> {
    let amount = |o: &Value| match o.get("amount") {
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    let words = |o: &Value| {
        ["option", "amount_description"]
            .iter()
            .filter_map(|k| text(o, k))
            .collect::<Vec<_>>()
            .join(" ")
            .to_ascii_lowercase()
    };
    if options.iter().any(|o| {
        amount(o).is_some_and(|a| a > 0.0) || {
            let w = words(o);
            !w.contains("free") && (w.contains("charge") || w.contains("fee"))
        }
    }) {
        return Some("charge");
    }
    options
        .iter()
        .any(|o| amount(o) == Some(0.0) || words(o).contains("free"))
        .then_some("free")
}

/// scopemap's scheme for an ORUK organization identifier: by org-id.guide code, else by the
/// readable type.
fn identifier_scheme(ident: &Value) -> Option<&'static str> {
    if let Some(code) = text(ident, "identifier_scheme")
        && let Some((ours, _, _)) = IDENTIFIER_SCHEMES
            .iter()
            .find(|(_, theirs, _)| theirs.eq_ignore_ascii_case(&code))
    {
        return Some(ours);
    }
    let kind = text(ident, "identifier_type")?.to_ascii_lowercase();
    if kind.contains("ods") || kind.contains("organisation data service") {
        Some("ods")
    } else if kind.contains("charity") {
        Some("charity-england-wales")
    } else if kind.contains("company") || kind.contains("companies house") {
        Some("company")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_to_groups() {
        assert_eq!(
            groups_for_ages(Some(12.0), Some(100.0)),
            Vec::<String>::new()
        );
        assert_eq!(groups_for_ages(Some(0.0), Some(1.0)), vec!["0-1"]);
        assert_eq!(groups_for_ages(Some(0.0), Some(0.0)), vec!["0-1"]);
        assert_eq!(groups_for_ages(Some(1.0), Some(2.0)), vec!["1-2"]);
        assert_eq!(groups_for_ages(Some(5.0), Some(5.0)), vec!["2-5"]);
        assert_eq!(groups_for_ages(Some(0.0), Some(0.5)), vec!["0-1"]);
        assert_eq!(groups_for_ages(Some(2.0), None), vec!["2-5"]);
        assert_eq!(groups_for_ages(None, Some(5.0)), vec!["0-1", "1-2", "2-5"]);
        assert!(groups_for_ages(None, None).is_empty());
    }

    #[test]
    fn ages_outside_the_range() {
        assert!(ages_outside((Some(18.0), Some(99.0))));
        assert!(ages_outside((Some(12.0), Some(100.0))));
        assert!(ages_outside((Some(6.0), None)));
        assert!(!ages_outside((Some(5.0), Some(11.0))));
        assert!(!ages_outside((Some(0.0), Some(25.0))));
        assert!(!ages_outside((None, Some(3.0))));
        assert!(!ages_outside((None, None)));
    }

    #[test]
    fn cost_words() {
        let free = serde_json::json!([{ "option": "Free", "amount": 0, "amount_description": "Free of charge" }]);
        let ours = serde_json::json!([{ "option": "Charges apply", "amount_description": "There is a charge for this service; ask the provider." }]);
        let priced = serde_json::json!([{ "option": "Under 18s", "amount": 35 }]);
        let vague = serde_json::json!([{ "option": "Ask" }]);
        let of = |v: &Value| cost_of(v.as_array().unwrap());
        assert_eq!(of(&free), Some("free"));
        assert_eq!(of(&ours), Some("charge"));
        assert_eq!(of(&priced), Some("charge"));
        assert_eq!(of(&vague), None);
    }

    #[test]
    fn names_match_loosely() {
        assert_eq!(name_key("St. Helens"), name_key("st helens"));
        assert_eq!(name_key("Fylde & Wyre"), name_key("Fylde and Wyre"));
    }
}
