//! Import: an Open Referral UK / HSDS 3.0 JSON feed into directory YAML files.
//!
//! In: a JSON file holding one service, a page (`{"contents": [...]}`) or a list of services,
//! or a folder of such files; the `scoping-data` folder to write into; whether to overwrite.
//! Out: `scoping-data/directory/<id>.yaml` per service, and an `ImportReport` naming the
//! files written and skipped, the fields left for the network manager to fill in, and the
//! files or records that could not be read. Nothing is invented: a value the feed does not
//! give that a file needs (categories, areas) is written empty so that `scopemap validate`
//! points at it; one it may leave out (the provider; the day the details were checked,
//! which only the feed's `assured_date` gives; ages, delivery, referral, funding) is left
//! out, so the page says "Not stated"; both are reported. Each file cites the feed
//! as its source (`url: file:<feed>`, `checked:` the day of the import) for every fact the
//! feed filled.
//!
//! Kept in one file: reading a feed, mapping each record onto a directory file and writing
//! it is one pass over one schema, and the rules for what is left empty or left out are
//! best read together.

use super::{
    TAXONOMY_AGE_GROUPS, TAXONOMY_CATEGORIES, TAXONOMY_DELIVERY, TAXONOMY_REFERRAL,
    TAXONOMY_STATUS, org_id_list,
};
use crate::model::vocab::{
    AgeGroup, Cost, Delivery, IdentifierScheme, Referral, ServiceStatus, Vocabulary,
};
use crate::model::yaml::Writer;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Feed files larger than this are refused rather than read into memory.
pub const MAX_FEED_BYTES: u64 = 64 * 1024 * 1024;

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Directory files written (created, or overwritten with `force`).
    pub written: Vec<PathBuf>,
    /// Directory files that already existed and were left alone (no `force`).
    pub skipped_existing: Vec<PathBuf>,
    /// Per written service id: the fields to fill in by hand, named as in the directory
    /// format (`categories`, `areas`, `delivery`, `referral`, `funding.status`, ...),
    /// followed by the feed's own fields that were not carried over, as `oruk:<field>`.
    pub unmapped: Vec<(String, Vec<String>)>,
    /// Files or records that could not be read, each naming the file (and for bad JSON the
    /// line and column).
    pub errors: Vec<String>,
}

/// Import the feed at `input` (a file or a folder of `.json` files) into
/// `data_dir/directory/`, citing it as read today. Existing files are kept unless `force`.
pub fn import(input: &Path, data_dir: &Path, force: bool) -> ImportReport {
    import_on(input, data_dir, force, &today())
}

/// Today's date (UTC), `YYYY-MM-DD`.
fn today() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    chrono::DateTime::from_timestamp(i64::try_from(seconds).unwrap_or(0), 0)
        .map(|t| t.date_naive().format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// `import`, citing the feed as read on `date` (`YYYY-MM-DD`).
pub fn import_on(input: &Path, data_dir: &Path, force: bool, date: &str) -> ImportReport {
    let mut report = ImportReport::default();
    let files = feed_files(input, &mut report.errors);
    let mut records: Vec<Found> = Vec::new();
    for file in &files {
        let Some(value) = read_json(file, &mut report.errors) else {
            continue;
        };
        collect_records(file, &value, &mut records, &mut report.errors);
    }

    let out_dir = data_dir.join("directory");
    if !records.is_empty()
        && let Err(e) = std::fs::create_dir_all(&out_dir)
    {
        report
            .errors
            .push(format!("cannot create {}: {e}", out_dir.display()));
        return report;
    }
    let mut used_ids: BTreeSet<String> = BTreeSet::new();
    for found in &records {
        let Some(draft) = convert(found, date, &mut report.errors) else {
            continue;
        };
        let id = unique_id(&draft.base_id, &mut used_ids);
        let path = out_dir.join(format!("{id}.yaml"));
        if path.exists() && !force {
            report.skipped_existing.push(path);
            continue;
        }
        match std::fs::write(&path, draft.to_yaml(&id)) {
            Ok(()) => {
                report.written.push(path);
                if !draft.unmapped.is_empty() {
                    report.unmapped.push((id, draft.unmapped.clone()));
                }
            }
            Err(e) => report
                .errors
                .push(format!("cannot write {}: {e}", path.display())),
        }
    }
    report
}

/// One service found in the feed, with where it came from.
struct Found {
    file: PathBuf,
    /// Position in the file's list, for messages; `None` for a file that is one service.
    index: Option<usize>,
    value: Value,
    /// A fully nested record (a service file) rather than a list item.
    full: bool,
}

impl Found {
    fn place(&self) -> String {
        match self.index {
            Some(i) => format!("{}: record {}", self.file.display(), i + 1),
            None => self.file.display().to_string(),
        }
    }
}

fn feed_files(input: &Path, errors: &mut Vec<String>) -> Vec<PathBuf> {
    if input.is_file() {
        return vec![input.to_path_buf()];
    }
    if !input.is_dir() {
        errors.push(format!(
            "{}: no such file or folder to import",
            input.display()
        ));
        return Vec::new();
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(input).sort_by_file_name() {
        match entry {
            Ok(e) => {
                let is_json = e
                    .path()
                    .extension()
                    .is_some_and(|x| x.eq_ignore_ascii_case("json"));
                if e.file_type().is_file() && is_json {
                    files.push(e.into_path());
                }
            }
            Err(err) => errors.push(format!("cannot read the folder {}: {err}", input.display())),
        }
    }
    if files.is_empty() && errors.is_empty() {
        errors.push(format!(
            "{}: the folder has no .json files",
            input.display()
        ));
    }
    files
}

fn read_json(file: &Path, errors: &mut Vec<String>) -> Option<Value> {
    let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    if size > MAX_FEED_BYTES {
        errors.push(format!(
            "{}: the file is {size} bytes, more than the {MAX_FEED_BYTES} an import reads",
            file.display()
        ));
        return None;
    }
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            errors.push(format!("{}: cannot read the file: {e}", file.display()));
            return None;
        }
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    match serde_json::from_slice::<Value>(bytes) {
        Ok(v) => Some(v),
        Err(e) => {
            let text = e.to_string();
            let suffix = format!(" at line {} column {}", e.line(), e.column());
            let message = text.strip_suffix(&suffix).unwrap_or(&text);
            errors.push(format!(
                "{}:{}:{}: not valid JSON: {message}",
                file.display(),
                e.line(),
                e.column()
            ));
            None
        }
    }
}

/// Find the services in one parsed file: a page or list (`contents`, or a bare array), or a
/// single service. The API root object (`version`, `openapi_url`) is passed over.
fn collect_records(file: &Path, value: &Value, records: &mut Vec<Found>, errors: &mut Vec<String>) {
    let list = match value {
        Value::Array(items) => Some(items),
        Value::Object(map) => match map.get("contents") {
            Some(Value::Array(items)) => Some(items),
            Some(_) => {
                errors.push(format!(
                    "{}: `contents` is not a list of services",
                    file.display()
                ));
                return;
            }
            None => None,
        },
        _ => {
            errors.push(format!(
                "{}: expected an ORUK service, a page with `contents` or a list of services",
                file.display()
            ));
            return;
        }
    };
    match list {
        Some(items) => {
            for (i, item) in items.iter().enumerate() {
                add(
                    records,
                    Found {
                        file: file.to_path_buf(),
                        index: Some(i),
                        value: item.clone(),
                        full: false,
                    },
                );
            }
        }
        None => {
            let is_root = value.get("name").is_none()
                && (value.get("openapi_url").is_some() || value.get("version").is_some());
            if !is_root {
                add(
                    records,
                    Found {
                        file: file.to_path_buf(),
                        index: None,
                        value: value.clone(),
                        full: true,
                    },
                );
            }
        }
    }
}

/// Add a record, keeping one per feed id: a full record replaces a list item of the same id
/// (a folder export holds both), otherwise the first one found stays.
fn add(records: &mut Vec<Found>, found: Found) {
    let id = text(&found.value, "id");
    if let Some(id) = id
        && let Some(existing) = records
            .iter_mut()
            .find(|r| text(&r.value, "id").as_deref() == Some(id.as_str()))
    {
        if found.full && !existing.full {
            *existing = found;
        }
        return;
    }
    records.push(found);
}

/// A trimmed, non-empty string field.
fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// A number field, also accepted when written as a numeric string.
fn number(v: &Value, key: &str) -> Option<f64> {
    match v.get(key)? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
    .filter(|n| n.is_finite())
}

fn array<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// The `YYYY-MM-DD` at the start of a date or date-time field.
fn date_of(v: &Value, key: &str) -> Option<String> {
    let t = text(v, key)?;
    let day = t.get(..10)?;
    chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .ok()
        .map(|_| day.to_string())
}

/// A service ready to write.
struct Draft {
    base_id: String,
    name: String,
    alternate_name: Option<String>,
    org_name: String,
    org_url: Option<String>,
    identifiers: Vec<(String, String)>,
    summary: String,
    description: String,
    categories: Vec<String>,
    age_groups: Vec<String>,
    eligibility: Option<String>,
    delivery: Vec<String>,
    referral: Vec<String>,
    how_to_access: Option<String>,
    cost: Option<&'static str>,
    funding_source: Option<String>,
    url: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    status: String,
    last_checked: String,
    /// The feed, as the source of every fact it filled: `file:<path>`.
    feed: String,
    /// The day of the import, when the feed was read.
    read_on: String,
    /// The feed's own id of the service.
    feed_id: Option<String>,
    unmapped: Vec<String>,
}

/// Fields of an ORUK/HSDS service this import reads; any other field with a value is
/// reported as not carried over.
const READ_FIELDS: &[&str] = &[
    "id",
    "organization_id",
    "name",
    "alternate_name",
    "description",
    "url",
    "email",
    "status",
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
];

fn convert(found: &Found, date: &str, errors: &mut Vec<String>) -> Option<Draft> {
    let v = &found.value;
    if !v.is_object() {
        errors.push(format!("{}: not a service object", found.place()));
        return None;
    }
    let Some(name) = text(v, "name") else {
        errors.push(format!(
            "{}: the service has no `name`, so it was not imported",
            found.place()
        ));
        return None;
    };
    let mut unmapped: Vec<String> = Vec::new();
    let mut dropped: BTreeSet<String> = BTreeSet::new();

    let ours = our_terms(v);
    let pick = |taxonomy: &str| -> Vec<String> {
        ours.iter()
            .filter(|(t, _)| t == taxonomy)
            .map(|(_, c)| c.clone())
            .collect()
    };
    if ours.len() < array(v, "attributes").len() {
        dropped.insert("attributes".to_string());
    }

    let description = text(v, "description").unwrap_or_default();
    if description.is_empty() {
        unmapped.push("description".to_string());
    }
    let summary = first_sentence(&description).unwrap_or_else(|| name.clone());

    let org = v.get("organization").filter(|o| o.is_object());
    let org_name = org.and_then(|o| text(o, "name")).unwrap_or_default();
    if org_name.is_empty() {
        unmapped.push("organization.name".to_string());
    }
    let org_url = org.and_then(|o| text(o, "website"));
    let mut identifiers = Vec::new();
    for ident in org
        .map(|o| array(o, "organization_identifiers"))
        .unwrap_or(&[])
    {
        match (identifier_scheme(ident), text(ident, "identifier")) {
            (Some(scheme), Some(value)) => identifiers.push((scheme.to_string(), value)),
            _ => {
                dropped.insert("organization.organization_identifiers".to_string());
            }
        }
    }

    let categories = pick(TAXONOMY_CATEGORIES);
    if categories.is_empty() {
        unmapped.push("categories".to_string());
    }
    // The feed's service areas are free text or polygons; matching them to area ids is
    // left to the network manager.
    unmapped.push("areas".to_string());
    if !array(v, "service_areas").is_empty() {
        dropped.insert("service_areas".to_string());
    }

    let mut age_groups = pick(TAXONOMY_AGE_GROUPS);
    if age_groups.is_empty() {
        age_groups = groups_for_ages(number(v, "minimum_age"), number(v, "maximum_age"));
    }
    if age_groups.is_empty() {
        unmapped.push("age_groups".to_string());
    }
    let delivery = pick(TAXONOMY_DELIVERY);
    if delivery.is_empty() {
        unmapped.push("delivery".to_string());
    }
    let referral = pick(TAXONOMY_REFERRAL);
    if referral.is_empty() {
        unmapped.push("referral".to_string());
    }

    let cost = cost_of(v);
    let funding_source = array(v, "funding")
        .iter()
        .filter_map(|f| text(f, "source"))
        .next();
    unmapped.push("funding.status".to_string());

    let phone = first_phone(v);

    let our_status = pick(TAXONOMY_STATUS).into_iter().next();
    let status = match (our_status, text(v, "status").as_deref()) {
        (Some(s), _) => s,
        (None, Some("active")) => ServiceStatus::Active.code().to_string(),
        (None, Some("inactive" | "defunct")) => ServiceStatus::Decommissioned.code().to_string(),
        (None, Some("temporarily closed")) => {
            // Still a service, so it stays in the directory; the manager decides.
            unmapped.push("status (temporarily closed in the feed)".to_string());
            ServiceStatus::Active.code().to_string()
        }
        _ => {
            unmapped.push("status".to_string());
            String::new()
        }
    };

    // The assured date is when the details were last checked; `last_modified` is only when
    // the feed's record changed, which says nothing about a check with the service.
    let last_checked = date_of(v, "assured_date").unwrap_or_default();
    if last_checked.is_empty() {
        unmapped.push("last_checked".to_string());
    }

    if let Some(map) = v.as_object() {
        for (key, value) in map {
            let has_value = match value {
                Value::Null => false,
                Value::String(s) => !s.trim().is_empty(),
                Value::Array(a) => !a.is_empty(),
                Value::Object(o) => !o.is_empty(),
                _ => true,
            };
            if has_value && !READ_FIELDS.contains(&key.as_str()) {
                dropped.insert(key.clone());
            }
        }
    }
    unmapped.extend(dropped.into_iter().map(|f| format!("oruk:{f}")));

    let feed = format!("file:{}", found.file.to_string_lossy().replace('\\', "/"));

    Some(Draft {
        base_id: slug(&name),
        alternate_name: text(v, "alternate_name"),
        org_name,
        org_url,
        identifiers,
        summary,
        description,
        categories,
        age_groups,
        eligibility: text(v, "eligibility_description"),
        delivery,
        referral,
        how_to_access: text(v, "application_process"),
        cost,
        funding_source,
        url: text(v, "url"),
        email: text(v, "email"),
        phone,
        status,
        last_checked,
        feed,
        read_on: date.to_string(),
        feed_id: text(v, "id"),
        unmapped,
        name,
    })
}

/// (taxonomy, code) of every attribute in one of scopemap's own taxonomies, as written by
/// the export, keeping only codes the directory format knows (categories are checked by
/// `scopemap validate` against the framework).
fn our_terms(v: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for attr in array(v, "attributes") {
        let Some(term) = attr.get("taxonomy_term") else {
            continue;
        };
        let Some(taxonomy) = text(term, "taxonomy") else {
            continue;
        };
        let Some(code) = text(term, "code") else {
            continue;
        };
        let known: Option<Vec<&str>> = match taxonomy.as_str() {
            TAXONOMY_CATEGORIES => None,
            TAXONOMY_AGE_GROUPS => Some(AgeGroup::codes()),
            TAXONOMY_DELIVERY => Some(Delivery::codes()),
            TAXONOMY_REFERRAL => Some(Referral::codes()),
            TAXONOMY_STATUS => Some(ServiceStatus::codes()),
            _ => continue,
        };
        if known.is_some_and(|k| !k.contains(&code.as_str())) {
            continue;
        }
        if !out.iter().any(|(t, c)| *t == taxonomy && *c == code) {
            out.push((taxonomy, code));
        }
    }
    out
}

/// scopemap's scheme for an ORUK organization identifier: by org-id.guide code, else by the
/// readable type.
fn identifier_scheme(ident: &Value) -> Option<&'static str> {
    if let Some(code) = text(ident, "identifier_scheme")
        && let Some(ours) = IdentifierScheme::ALL
            .iter()
            .find(|ours| org_id_list(**ours).eq_ignore_ascii_case(&code))
    {
        return Some(ours.code());
    }
    let kind = text(ident, "identifier_type")?.to_ascii_lowercase();
    let scheme = if kind.contains("ods") || kind.contains("organisation data service") {
        IdentifierScheme::Ods
    } else if kind.contains("charity") {
        IdentifierScheme::CharityEnglandWales
    } else if kind.contains("company") || kind.contains("companies house") {
        IdentifierScheme::Company
    } else {
        return None;
    };
    Some(scheme.code())
}

/// Age groups whose child ages overlap the feed's range. A range `min..max` is read as
/// "from `min` up to `max`", a single age (`min == max`) as that age, and an open end as
/// unbounded. Groups run from one birthday to the next: `0-1` is [0, 1), `1-2` is [1, 2) and
/// `2-5` is [2, 6). Pregnancy cannot be told from ages, so it is never inferred.
fn groups_for_ages(min: Option<f64>, max: Option<f64>) -> Vec<String> {
    if min.is_none() && max.is_none() {
        return Vec::new();
    }
    let low = min.unwrap_or(0.0);
    let high = max.unwrap_or(f64::INFINITY);
    if low > high {
        return Vec::new();
    }
    AgeGroup::ALL
        .iter()
        .filter_map(|group| {
            let (a, b) = group.child_years()?;
            let (a, b) = (f64::from(a), f64::from(if b == 5 { 6 } else { b }));
            let overlaps = if high > low {
                low < b && high > a
            } else {
                a <= low && low < b
            };
            overlaps.then(|| group.code().to_string())
        })
        .collect()
}

fn cost_of(v: &Value) -> Option<&'static str> {
    let options = array(v, "cost_options");
    let charged = options
        .iter()
        .any(|o| number(o, "amount").is_some_and(|a| a > 0.0));
    if charged {
        return Some(Cost::Charge.code());
    }
    let free = options.iter().any(|o| {
        number(o, "amount") == Some(0.0)
            || ["option", "amount_description"]
                .iter()
                .any(|k| text(o, k).is_some_and(|t| t.to_ascii_lowercase().contains("free")))
    });
    free.then_some(Cost::Free.code())
}

/// The service's first phone number, else its contacts' or its organization's.
fn first_phone(v: &Value) -> Option<String> {
    let from = |holder: &Value| {
        array(holder, "phones")
            .iter()
            .filter_map(|p| text(p, "number"))
            .next()
    };
    from(v)
        .or_else(|| array(v, "contacts").iter().filter_map(from).next())
        .or_else(|| v.get("organization").and_then(from))
}

/// The first sentence of a description, on one line.
fn first_sentence(description: &str) -> Option<String> {
    let flat = description.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.is_empty() {
        return None;
    }
    let chars: Vec<char> = flat.chars().collect();
    let mut end = chars.len();
    for (i, c) in chars.iter().enumerate() {
        if matches!(c, '.' | '!' | '?') && chars.get(i + 1).is_none_or(|n| *n == ' ') {
            end = i + 1;
            break;
        }
    }
    Some(chars[..end].iter().collect())
}

/// A directory id from a name (`model::id::slug`); `service` when nothing usable is left.
pub fn slug(name: &str) -> String {
    let id = crate::model::id::slug(name);
    if id.is_empty() {
        "service".to_string()
    } else {
        id
    }
}

/// `base`, or `base-2`, `base-3`, ... when an earlier record of this import took it.
fn unique_id(base: &str, used: &mut BTreeSet<String>) -> String {
    let mut n = 1usize;
    loop {
        let candidate = if n == 1 {
            base.to_string()
        } else {
            let suffix = format!("-{n}");
            let room = crate::model::id::MAX_ID_CHARS.saturating_sub(suffix.len());
            let head: String = base.chars().take(room).collect();
            format!("{}{suffix}", head.trim_end_matches('-'))
        };
        if used.insert(candidate.clone()) {
            return candidate;
        }
        n += 1;
    }
}

/// The key under which an imported file cites its feed.
const FEED_SOURCE: &str = "feed";

impl Draft {
    /// The facts the feed filled, by field name, each cited to the feed.
    fn stated_facts(&self) -> Vec<&'static str> {
        [
            ("organization", !self.org_name.is_empty()),
            ("age_groups", !self.age_groups.is_empty()),
            ("eligibility", self.eligibility.is_some()),
            ("delivery", !self.delivery.is_empty()),
            ("referral", !self.referral.is_empty()),
            ("how_to_access", self.how_to_access.is_some()),
            ("cost", self.cost.is_some()),
            ("funding", self.funding_source.is_some()),
            ("url", self.url.is_some()),
            ("email", self.email.is_some()),
            ("phone", self.phone.is_some()),
            ("status", !self.status.is_empty()),
        ]
        .into_iter()
        .filter_map(|(fact, stated)| stated.then_some(fact))
        .collect()
    }

    fn to_yaml(&self, id: &str) -> String {
        let mut w = Writer::default();
        match &self.feed_id {
            Some(feed_id) => w.comment(
                0,
                &format!(
                "Imported from an Open Referral UK feed by `scopemap import` (the feed's service {feed_id})."
            )),
            None => w.comment(
                0,
                "Imported from an Open Referral UK feed by `scopemap import`.",
            ),
        }
        let to_fill: Vec<&str> = self
            .unmapped
            .iter()
            .filter(|f| !f.starts_with("oruk:"))
            .map(String::as_str)
            .collect();
        if !to_fill.is_empty() {
            w.comment(0, &format!("Still to fill in: {}", to_fill.join(", ")));
        }
        w.string(0, "id", id);
        w.string(0, "name", &self.name);
        w.optional(0, "alternate_name", self.alternate_name.as_deref());
        // A feed that names no organization gives no provider: the file leaves it out.
        if !self.org_name.is_empty() {
            w.open(0, "organization");
            w.string(2, "name", &self.org_name);
            w.optional(2, "url", self.org_url.as_deref());
            let identifiers: Vec<Vec<(&str, String)>> = self
                .identifiers
                .iter()
                .map(|(scheme, value)| vec![("scheme", scheme.clone()), ("value", value.clone())])
                .collect();
            w.list_of_maps(2, "identifiers", &identifiers);
        }
        w.string(0, "summary", &self.summary);
        w.string(0, "description", &self.description);
        w.list(0, "categories", &self.categories);
        w.list(0, "areas", &[]);
        // Facts the feed does not give are left out: the page says "Not stated".
        for (key, values) in [
            ("age_groups", &self.age_groups),
            ("delivery", &self.delivery),
            ("referral", &self.referral),
        ] {
            if !values.is_empty() {
                w.list(0, key, values);
            }
        }
        w.optional(0, "eligibility", self.eligibility.as_deref());
        w.optional(0, "how_to_access", self.how_to_access.as_deref());
        w.optional(0, "cost", self.cost);
        if let Some(source) = &self.funding_source {
            w.open(0, "funding");
            w.string(2, "source", source);
        }
        w.optional(0, "url", self.url.as_deref());
        w.optional(0, "email", self.email.as_deref());
        w.optional(0, "phone", self.phone.as_deref());
        w.string(0, "status", &self.status);
        // The feed's assured date says when its publisher checked the details; with none,
        // nobody is known to have checked them.
        if !self.last_checked.is_empty() {
            w.string(0, "last_checked", &self.last_checked);
        }
        w.open(0, "sources");
        w.open(2, FEED_SOURCE);
        w.string(4, "url", &self.feed);
        w.string(4, "checked", &self.read_on);
        let facts = self.stated_facts();
        if facts.is_empty() {
            w.empty_map(0, "source_of");
        } else {
            w.open(0, "source_of");
            for fact in facts {
                w.string(2, fact, FEED_SOURCE);
            }
        }
        w.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("Community Counselling"), "community-counselling");
        assert_eq!(slug("  Café & Crèche!! "), "cafe-and-creche");
        assert_eq!(slug("Parents' Group"), "parents-group");
        assert_eq!(slug("✓✓✓"), "service");
        let long = slug(&"word ".repeat(40));
        assert!(long.len() <= 80 && !long.ends_with('-'));
    }

    #[test]
    fn unique_ids_get_suffixes() {
        let mut used = BTreeSet::new();
        assert_eq!(unique_id("a", &mut used), "a");
        assert_eq!(unique_id("a", &mut used), "a-2");
        assert_eq!(unique_id("a", &mut used), "a-3");
        let long = "x".repeat(80);
        assert_eq!(unique_id(&long, &mut used), long);
        let second = unique_id(&long, &mut used);
        assert_eq!(second.len(), 80);
        assert!(second.ends_with("-2"));
    }

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
    fn first_sentences() {
        assert_eq!(
            first_sentence("One thing. Another.").as_deref(),
            Some("One thing.")
        );
        assert_eq!(
            first_sentence("Costs 2.50 a go\nfor all").as_deref(),
            Some("Costs 2.50 a go for all")
        );
        assert_eq!(first_sentence("  "), None);
    }
}
