//! Open Referral UK export and import: every exported file against the ORUK 3.0 and HSDS 3.0
//! JSON Schemas shipped in tests/fixtures/oruk/ (formats checked, references resolved
//! locally), stable UUIDs and bytes, and imports of the ORUK examples into a fixture site.

mod common;

use jsonschema::{Draft, Registry, Validator};
use scopemap::commands::check_data;
use scopemap::oruk::{self, ImportReport};
use scopemap::write::OutputFile;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Where the fixture schemas are registered; nothing is fetched from it.
const BASE: &str = "https://schemas.scopemap.test/";

const ORUK_SERVICE: &str = "oruk-3.0/schema/compiled/service.json";
const ORUK_SERVICE_LIST: &str = "oruk-3.0/schema/compiled/service_list.json";
const HSDS_SERVICE: &str = "hsds-3.0/schema/compiled/service.json";
const HSDS_SERVICE_LIST: &str = "hsds-3.0/schema/compiled/service_list.json";
const API_ROOT: &str = "api/root.json";
const API_PAGE: &str = "api/services_page.json";

fn oruk_fixtures() -> PathBuf {
    common::fixtures().join("oruk")
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// One validator per schema, all sharing a registry of the fixture files, offline, draft
/// 2020-12 (the dialect ORUK's openapi.json declares; the compiled schemas name none), with
/// `format` asserted.
struct Schemas {
    validators: BTreeMap<&'static str, Validator>,
}

impl Schemas {
    fn load() -> Schemas {
        let names = [
            ORUK_SERVICE,
            ORUK_SERVICE_LIST,
            HSDS_SERVICE,
            HSDS_SERVICE_LIST,
            API_ROOT,
            API_PAGE,
        ];
        let resources: Vec<(String, Value)> = names
            .iter()
            .map(|n| (format!("{BASE}{n}"), read_json(&oruk_fixtures().join(n))))
            .collect();
        let registry = Registry::new()
            .draft(Draft::Draft202012)
            .extend(resources)
            .expect("schema URIs")
            .prepare()
            .expect("the fixture schemas resolve among themselves");
        let mut validators = BTreeMap::new();
        for name in names {
            let validator = jsonschema::options()
                .with_draft(Draft::Draft202012)
                .should_validate_formats(true)
                .offline()
                .with_registry(&registry)
                .build(&json!({ "$ref": format!("{BASE}{name}") }))
                .unwrap_or_else(|e| panic!("cannot build a validator for {name}: {e}"));
            validators.insert(name, validator);
        }
        Schemas { validators }
    }

    /// Every error of `instance` against `schema`, as "what: path: message".
    fn check(&self, schema: &str, what: &str, instance: &Value) -> Vec<String> {
        self.validators[schema]
            .iter_errors(instance)
            .map(|e| format!("{what} against {schema}: at `{}`: {e}", e.instance_path()))
            .collect()
    }
}

fn shipped() -> scopemap::model::Dataset {
    let (ds, _) = check_data(Path::new(env!("CARGO_MANIFEST_DIR")));
    assert!(
        !ds.services().is_empty(),
        "the shipped data has directory services"
    );
    ds
}

fn parse(file: &OutputFile) -> Value {
    assert!(
        file.bytes.ends_with(b"}\n"),
        "{} ends with a newline",
        file.path
    );
    serde_json::from_slice(&file.bytes).unwrap_or_else(|e| panic!("{}: {e}", file.path))
}

#[test]
fn every_exported_file_matches_the_oruk_and_hsds_schemas() {
    let schemas = Schemas::load();
    let ds = shipped();
    let files = oruk::export_files(&ds);
    let by_uuid: BTreeMap<String, String> = ds
        .services()
        .iter()
        .map(|s| {
            (
                oruk::service_uuid(&s.value.id.value),
                s.value.id.value.clone(),
            )
        })
        .collect();
    let mut failures = Vec::new();
    let mut records = 0;
    let mut listed = BTreeSet::new();
    for file in &files {
        let value = parse(file);
        let name = file.path.as_str();
        if name == "oruk/index.json" {
            failures.extend(schemas.check(API_ROOT, name, &value));
            assert_eq!(value["version"], "HSDS-UK-3.0");
        } else if name == "oruk/services/index.json" || name.starts_with("oruk/services/page-") {
            failures.extend(schemas.check(API_PAGE, name, &value));
            let contents = value["contents"].as_array().expect("contents");
            assert_eq!(
                value["size"].as_u64(),
                Some(contents.len() as u64),
                "{name}"
            );
            assert_eq!(
                value["total_items"].as_u64(),
                Some(ds.services().len() as u64)
            );
            for item in contents {
                let uuid = item["id"].as_str().unwrap_or_default().to_string();
                let what = format!("{name} item {uuid} ({:?})", by_uuid.get(&uuid));
                failures.extend(schemas.check(ORUK_SERVICE_LIST, &what, item));
                failures.extend(schemas.check(HSDS_SERVICE_LIST, &what, item));
                listed.insert(uuid);
            }
        } else {
            let uuid = name
                .strip_prefix("oruk/services/")
                .and_then(|n| n.strip_suffix(".json"))
                .unwrap_or_else(|| panic!("unexpected file {name}"));
            let ours = by_uuid
                .get(uuid)
                .unwrap_or_else(|| panic!("{name} is not a shipped service"));
            assert_eq!(value["id"], uuid, "{name}");
            let what = format!("service `{ours}` ({name})");
            failures.extend(schemas.check(ORUK_SERVICE, &what, &value));
            failures.extend(schemas.check(HSDS_SERVICE, &what, &value));
            records += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(records, ds.services().len(), "one record per service");
    assert_eq!(listed.len(), ds.services().len(), "every service is listed");
}

#[test]
fn the_schemas_really_check_formats_and_required_fields() {
    let schemas = Schemas::load();
    let ds = shipped();
    let files = oruk::export_files(&ds);
    let record = files
        .iter()
        .find(|f| {
            f.path.starts_with("oruk/services/")
                && !f.path.contains("index")
                && !f.path.contains("page-")
        })
        .map(parse)
        .expect("a service record");
    assert!(schemas.check(ORUK_SERVICE, "good", &record).is_empty());
    let mut bad = record.clone();
    bad["id"] = json!("not-a-uuid");
    bad["email"] = json!("no at sign");
    bad["last_modified"] = json!("yesterday");
    bad["status"] = json!("in-development");
    let errors = schemas.check(ORUK_SERVICE, "bad", &bad);
    for path in ["/id", "/email", "/last_modified", "/status"] {
        assert!(
            errors.iter().any(|e| e.contains(&format!("`{path}`"))),
            "{path} flagged: {errors:#?}"
        );
    }
    let hsds_errors = schemas.check(HSDS_SERVICE, "bad", &bad);
    for path in ["/id", "/email", "/last_modified", "/status"] {
        assert!(
            hsds_errors.iter().any(|e| e.contains(&format!("`{path}`"))),
            "{path} flagged by HSDS: {hsds_errors:#?}"
        );
    }
    let mut page = parse(
        files
            .iter()
            .find(|f| f.path == "oruk/services/index.json")
            .expect("page"),
    );
    page.as_object_mut().expect("object").remove("total_pages");
    page["contents"][0]["id"] = json!(12);
    let errors = schemas.check(API_PAGE, "bad page", &page);
    assert!(
        errors.iter().any(|e| e.contains("total_pages")),
        "{errors:#?}"
    );
    assert!(
        errors.iter().any(|e| e.contains("`/contents/0/id`")),
        "{errors:#?}"
    );
    // The ORUK examples themselves pass the ORUK schemas.
    let examples = oruk_fixtures().join("oruk-3.0/examples");
    let full = read_json(&examples.join("service_full.json"));
    assert_eq!(
        schemas.check(ORUK_SERVICE, "example", &full),
        Vec::<String>::new()
    );
    let list = read_json(&examples.join("service_list.json"));
    assert_eq!(
        schemas.check(API_PAGE, "example", &list),
        Vec::<String>::new()
    );
}

#[test]
fn the_export_maps_the_directory_fields() {
    let ds = shipped();
    let files = oruk::export_files(&ds);
    let record = |id: &str| {
        let path = format!("oruk/services/{}.json", oruk::service_uuid(id));
        parse(files.iter().find(|f| f.path == path).expect("record"))
    };
    let babs = record("babs-mersey-care");
    assert_eq!(babs["name"], "Building Attachment and Bonds Service");
    assert_eq!(babs["alternate_name"], "BABS");
    assert_eq!(babs["status"], "active");
    // Nobody has checked the shipped details with the services since the reports: no
    // assured date, and no last-modified date made up from today or a file's time.
    assert!(babs.get("assured_date").is_none(), "{babs}");
    assert!(babs.get("last_modified").is_none(), "{babs}");
    assert_eq!(
        (babs["minimum_age"].as_u64(), babs["maximum_age"].as_u64()),
        (Some(0), Some(2))
    );
    let org = &babs["organization"];
    assert_eq!(org["name"], "Mersey Care NHS Foundation Trust");
    assert_eq!(
        org["organization_identifiers"][0]["identifier_scheme"],
        "GB-NHS"
    );
    assert_eq!(org["organization_identifiers"][0]["identifier"], "RW4");
    assert_eq!(babs["organization_id"], org["id"]);
    // A service whose provider no source names has no organisation, not a placeholder.
    let pimhs = record("blackpool-parent-infant-mental-health-service");
    assert!(pimhs.get("organization").is_none(), "{pimhs}");
    assert!(pimhs.get("organization_id").is_none(), "{pimhs}");
    // The report states no cost for BABS, so the record offers no cost option; a service
    // stated to be free (the fixture's) is offered at no charge.
    assert!(
        babs["cost_options"].as_array().is_none_or(|c| c.is_empty()),
        "{}",
        babs["cost_options"]
    );
    let fixture = common::base_with("");
    let (fixture, _) = check_data(fixture.path());
    let alpha = oruk::export_files(&fixture)
        .iter()
        .find(|f| f.path == format!("oruk/services/{}.json", oruk::service_uuid("alpha-babies")))
        .map(parse)
        .expect("alpha-babies record");
    assert_eq!(alpha["cost_options"][0]["amount"], 0);
    let areas: Vec<&str> = babs["service_areas"]
        .as_array()
        .expect("areas")
        .iter()
        .filter_map(|a| a["name"].as_str())
        .collect();
    assert!(areas.contains(&"Knowsley"), "{areas:?}");
    let knowsley = babs["service_areas"]
        .as_array()
        .expect("areas")
        .iter()
        .find(|a| a["name"] == "Knowsley")
        .expect("Knowsley");
    assert!(
        knowsley["uri"]
            .as_str()
            .is_some_and(|u| u.ends_with("/E38000091")),
        "{knowsley}"
    );
    let terms: Vec<(String, String)> = babs["attributes"]
        .as_array()
        .expect("attributes")
        .iter()
        .map(|a| {
            (
                a["taxonomy_term"]["taxonomy"]
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
                a["taxonomy_term"]["code"]
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
            )
        })
        .collect();
    assert!(terms.contains(&(
        "scopemap-categories".into(),
        "parent-infant-mh-service".into()
    )));
    assert!(terms.contains(&("scopemap-age-groups".into(), "pregnancy".into())));
    for s in ds.services() {
        let r = record(&s.value.id.value);
        let expected = match s.value.status.value.as_str() {
            "active" => "active",
            _ => "inactive",
        };
        assert_eq!(r["status"], expected, "{}", s.value.id.value);
        if s.value.status.value != "active" {
            assert!(r["alert"].is_string(), "{} has an alert", s.value.id.value);
        }
    }
}

#[test]
fn same_input_gives_the_same_uuids_and_bytes() {
    let first = oruk::export_files(&shipped());
    let second = oruk::export_files(&shipped());
    assert_eq!(first, second);
    // The namespace is part of the published ids: it must never change.
    assert_eq!(
        oruk::service_uuid("babs-mersey-care"),
        oruk::service_uuid("babs-mersey-care")
    );
    assert_eq!(oruk::service_uuid("babs-mersey-care"), BABS_UUID);
    let ids: BTreeSet<&str> = first.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(ids.len(), first.len(), "no two files share a path");

    let a = tempfile::tempdir().expect("temp");
    let b = tempfile::tempdir().expect("temp");
    let ds = shipped();
    let written = oruk::export_to_dir(&ds, a.path()).expect("export");
    assert_eq!(written, first.len());
    // A file from an older export is removed; an unrelated file is kept.
    std::fs::create_dir_all(b.path().join("oruk/services")).expect("dir");
    let stale = b
        .path()
        .join("oruk/services/00000000-0000-5000-8000-000000000000.json");
    std::fs::write(&stale, "{}").expect("stale");
    std::fs::write(b.path().join("oruk/services/notes.txt"), "mine").expect("notes");
    oruk::export_to_dir(&ds, b.path()).expect("export");
    assert!(!stale.exists(), "stale record removed");
    assert!(b.path().join("oruk/services/notes.txt").exists());
    for f in &first {
        let left = std::fs::read(a.path().join(&f.path)).expect("a");
        let right = std::fs::read(b.path().join(&f.path)).expect("b");
        assert_eq!(left, f.bytes, "{}", f.path);
        assert_eq!(left, right, "{}", f.path);
    }
}

/// UUID v5 of `service\u{1f}babs-mersey-care` in scopemap's ORUK namespace.
const BABS_UUID: &str = "dbffe72f-67ae-5e56-8f90-542018277f0a";

fn example(name: &str) -> PathBuf {
    oruk_fixtures().join("oruk-3.0/examples").join(name)
}

fn codes_for(root: &Path, file: &str) -> BTreeSet<&'static str> {
    let (ds, diagnostics) = check_data(root);
    assert!(
        ds.services()
            .iter()
            .any(|s| ds.sources[s.source].path == file),
        "{file} loads: {diagnostics:#?}"
    );
    diagnostics
        .iter()
        .filter(|d| d.file == file)
        .map(|d| d.code)
        .collect()
}

const COUNSELLING: &str = "scoping-data/directory/community-counselling.yaml";

#[test]
fn importing_the_oruk_examples() {
    let site = common::base_with("");
    let data = site.path().join("scoping-data");
    let target = data.join("directory/community-counselling.yaml");

    let report = oruk::import_on(&example("service_full.json"), &data, false, "2024-03-01");
    assert_eq!(report.errors, Vec::<String>::new());
    assert_eq!(report.written, vec![target.clone()]);
    assert!(report.skipped_existing.is_empty());
    let (record, fields) = &report.unmapped[0];
    assert_eq!(record, "community-counselling");
    for f in [
        "categories",
        "areas",
        "age_groups",
        "delivery",
        "referral",
        "funding.status",
        "oruk:schedules",
        "oruk:service_at_locations",
        "oruk:service_areas",
        "oruk:contacts",
    ] {
        assert!(fields.contains(&f.to_string()), "{f} in {fields:?}");
    }
    let text = std::fs::read_to_string(&target).expect("written");
    for line in [
        "id: \"community-counselling\"",
        "name: \"Community Counselling\"",
        "  name: \"Example Organization Inc.\"",
        "    - scheme: \"company\"",
        "      value: \"1234567\"",
        "categories: []",
        "areas: []",
        "status: \"active\"",
        "last_checked: \"2005-01-01\"",
        "url: \"http://example.com/counselling\"",
        "email: \"email@example.com\"",
        "cost: \"charge\"",
        // The feed is the source of each fact it filled, read on the day of the import.
        "sources:",
        "  feed:",
        "    checked: \"2024-03-01\"",
        "source_of:",
        "  organization: \"feed\"",
        "  cost: \"feed\"",
        "  funding: \"feed\"",
        "  url: \"feed\"",
        "  email: \"feed\"",
        "  status: \"feed\"",
    ] {
        assert!(text.lines().any(|l| l == line), "`{line}` in\n{text}");
    }
    assert!(
        text.lines().any(|l| l.starts_with("    url: \"file:")
            && l.ends_with("oruk-3.0/examples/service_full.json\"")),
        "the feed's file is the source:\n{text}"
    );
    // What the feed does not give is left out, so the page says "Not stated".
    for absent in ["age_groups:", "delivery:", "referral:", "  status: \"\""] {
        assert!(
            !text.lines().any(|l| l.starts_with(absent)),
            "`{absent}` in\n{text}"
        );
    }
    assert!(
        !text.contains("areas: feed"),
        "no source is cited for areas"
    );
    assert!(text.contains("summary: \"Counselling Services provided by trained professionals.\""));
    // It loads; the validator points at exactly what the feed could not give.
    assert_eq!(
        codes_for(site.path(), COUNSELLING),
        BTreeSet::from(["E046"])
    );
    let (_, diagnostics) = check_data(site.path());
    let messages: Vec<&str> = diagnostics
        .iter()
        .filter(|d| d.file == COUNSELLING)
        .map(|d| d.message.as_str())
        .collect();
    assert!(
        messages.contains(&"the service has no categories"),
        "{messages:?}"
    );
    assert!(
        messages.contains(&"the service serves no areas"),
        "{messages:?}"
    );

    // Again without force: nothing is touched.
    let again = oruk::import(&example("service_full.json"), &data, false);
    assert_eq!(again.skipped_existing, vec![target.clone()]);
    assert!(again.written.is_empty() && again.unmapped.is_empty());
    assert_eq!(std::fs::read_to_string(&target).expect("kept"), text);

    // The list page holds the same service with fewer fields; with force it replaces the file.
    let forced = oruk::import(&example("service_list.json"), &data, true);
    assert_eq!(forced.errors, Vec::<String>::new());
    assert_eq!(forced.written, vec![target.clone()]);
    let replaced = std::fs::read_to_string(&target).expect("replaced");
    assert_ne!(replaced, text);
    assert!(
        !replaced.contains("cost:"),
        "the list item has no cost options"
    );
    assert!(
        !replaced.contains("  cost: \"feed\""),
        "no source is cited for a cost the feed does not give"
    );
    assert_eq!(
        codes_for(site.path(), COUNSELLING),
        BTreeSet::from(["E046"])
    );
}

#[test]
fn importing_a_folder_keeps_one_record_per_service() {
    let feed = tempfile::tempdir().expect("temp");
    for name in ["service_list.json", "service_full.json"] {
        std::fs::copy(example(name), feed.path().join(name)).expect("copy");
    }
    let site = common::base_with("");
    let data = site.path().join("scoping-data");
    let report = oruk::import(feed.path(), &data, false);
    assert_eq!(report.errors, Vec::<String>::new());
    assert_eq!(report.written.len(), 1, "{report:#?}");
    let text = std::fs::read_to_string(&report.written[0]).expect("written");
    assert!(
        text.contains("cost: \"charge\""),
        "the full record won:\n{text}"
    );
}

#[test]
fn export_then_import_round_trips_the_vocabularies() {
    let ds = shipped();
    let out = tempfile::tempdir().expect("temp");
    oruk::export_to_dir(&ds, out.path()).expect("export");
    let site = common::base_with("");
    let data = site.path().join("scoping-data");
    std::fs::remove_file(data.join("directory/alpha-babies.yaml")).expect("remove");
    let report = oruk::import(&out.path().join("oruk"), &data, false);
    assert_eq!(report.errors, Vec::<String>::new());
    assert_eq!(report.written.len(), ds.services().len());
    let (back, _) = check_data(site.path());
    assert_eq!(back.services().len(), ds.services().len());
    for original in ds.services() {
        let o = &original.value;
        let copy = back
            .services()
            .iter()
            .map(|s| &s.value)
            .find(|s| s.name.value == o.name.value)
            .unwrap_or_else(|| panic!("{} imported", o.id.value));
        let values = |v: &[scopemap::model::Spanned<String>]| {
            v.iter().map(|x| x.value.clone()).collect::<Vec<_>>()
        };
        // Only what ORUK cannot carry is left to fill in.
        let to_fill: Vec<&str> = report
            .unmapped
            .iter()
            .find(|(record, _)| *record == copy.id.value)
            .map(|(_, fields)| {
                fields
                    .iter()
                    .map(String::as_str)
                    .filter(|f| !f.starts_with("oruk:"))
                    .collect()
            })
            .unwrap_or_default();
        // A service that is none of the rated kinds has no category to carry: the import
        // asks for its categories (or the reason it has none) like any other.
        // A provider no source names, and details nobody checked with the service, are
        // absent from the export and so from the import, which lists them as unfilled.
        let mut expected = if o.organization.is_none() {
            vec!["organization.name"]
        } else {
            Vec::new()
        };
        if o.categories.is_empty() {
            expected.push("categories");
        }
        expected.push("areas");
        for (empty, field) in [
            (o.age_groups.is_empty(), "age_groups"),
            (o.delivery.is_empty(), "delivery"),
            (o.referral.is_empty(), "referral"),
        ] {
            if empty {
                expected.push(field);
            }
        }
        expected.push("funding.status");
        if o.last_checked.is_none() {
            expected.push("last_checked");
        }
        assert_eq!(to_fill, expected, "{}", o.id.value);
        assert_eq!(
            copy.organization.as_ref().map(|org| org.name.value.clone()),
            o.organization.as_ref().map(|org| org.name.value.clone()),
            "{}",
            o.id.value
        );
        assert_eq!(
            values(&copy.categories),
            values(&o.categories),
            "{}",
            o.id.value
        );
        assert_eq!(
            values(&copy.age_groups),
            values(&o.age_groups),
            "{}",
            o.id.value
        );
        assert_eq!(
            values(&copy.delivery),
            values(&o.delivery),
            "{}",
            o.id.value
        );
        assert_eq!(
            values(&copy.referral),
            values(&o.referral),
            "{}",
            o.id.value
        );
        assert_eq!(copy.status.value, o.status.value, "{}", o.id.value);
        assert_eq!(
            copy.last_checked.as_ref().map(|c| c.value.clone()),
            o.last_checked.as_ref().map(|c| c.value.clone()),
            "{}",
            o.id.value
        );
        assert_eq!(
            copy.description.value,
            o.description.value.trim(),
            "{}",
            o.id.value
        );
        assert_eq!(
            copy.phone.as_ref().map(|p| p.value.clone()),
            o.phone.as_ref().map(|p| p.value.clone()),
            "{}",
            o.id.value
        );
        assert_eq!(
            copy.cost.as_ref().map(|p| p.value.clone()),
            o.cost.as_ref().map(|p| p.value.clone()),
            "{}",
            o.id.value
        );
    }
}

#[test]
fn awkward_text_survives_the_yaml_writer() {
    let tricky = "Quote \" backslash \\ colon: hash # dash - \n newline\ttab \r return \u{7} bell \u{85} nel \u{2028} ls \u{feff} bom ✓ — \"end\"";
    let feed = json!({
        "id": "3b0f1a4e-1d2c-4a5b-9c8d-7e6f5a4b3c2d",
        "name": "- [not: a list] & *alias",
        "alternate_name": "@at 'single' %percent",
        "description": tricky,
        "status": "active",
        "assured_date": "2024-02-29",
        "organization": { "id": "3b0f1a4e-1d2c-4a5b-9c8d-7e6f5a4b3c2e", "name": "yes", "description": "x" }
    });
    let dir = tempfile::tempdir().expect("temp");
    let file = dir.path().join("tricky.json");
    std::fs::write(&file, feed.to_string()).expect("write");
    let site = common::base_with("");
    let data = site.path().join("scoping-data");
    let report = oruk::import(&file, &data, false);
    assert_eq!(report.errors, Vec::<String>::new());
    let (ds, diagnostics) = check_data(site.path());
    let s = ds
        .services()
        .iter()
        .map(|s| &s.value)
        .find(|s| s.id.value == "not-a-list-and-alias")
        .unwrap_or_else(|| panic!("loaded: {diagnostics:#?}"));
    assert_eq!(s.name.value, "- [not: a list] & *alias");
    assert_eq!(
        s.alternate_name.as_ref().map(|a| a.value.as_str()),
        Some("@at 'single' %percent")
    );
    assert_eq!(
        s.organization.as_ref().map(|o| o.name.value.as_str()),
        Some("yes")
    );
    assert_eq!(s.description.value, tricky.trim());
    assert_eq!(
        s.last_checked.as_ref().map(|c| c.value.as_str()),
        Some("2024-02-29")
    );
    // The summary is the description on one line: every kind of white space becomes a space.
    assert_eq!(
        s.summary.value,
        "Quote \" backslash \\ colon: hash # dash - newline tab return \u{7} bell nel ls \u{feff} bom ✓ — \"end\""
    );
}

#[test]
fn bad_json_names_the_file_line_and_column() {
    let dir = tempfile::tempdir().expect("temp");
    let file = dir.path().join("broken.json");
    std::fs::write(&file, "{\n  \"name\": \"x\",\n  oops\n}\n").expect("write");
    let site = common::base_with("");
    let report = oruk::import(&file, &site.path().join("scoping-data"), false);
    assert!(report.written.is_empty());
    assert_eq!(report.errors.len(), 1, "{report:#?}");
    let error = &report.errors[0];
    assert!(
        error.starts_with(&format!("{}:3:3: not valid JSON", file.display())),
        "{error}"
    );
}

#[test]
fn odd_feeds_are_reported_not_panicked_on() {
    let dir = tempfile::tempdir().expect("temp");
    let cases = [
        ("string.json", json!("just text")),
        ("contents.json", json!({ "contents": 5 })),
        (
            "no-name.json",
            json!({ "id": "x", "name": 7, "status": "active" }),
        ),
        ("items.json", json!([1, null, { "name": "   " }])),
        (
            "root.json",
            json!({ "version": "HSDS-UK-3.0", "openapi_url": "https://example.org/o.json" }),
        ),
        (
            "weird-types.json",
            json!({
                "name": "Weird Types",
                "description": ["not", "text"],
                "status": "paused",
                "minimum_age": "two",
                "maximum_age": { "years": 5 },
                "organization": "not an object",
                "phones": "0151",
                "cost_options": [{ "amount": "lots" }],
                "attributes": [{ "taxonomy_term": { "taxonomy": "scopemap-delivery", "code": "teleport" } }],
                "last_modified": "2024-13-45T00:00:00Z"
            }),
        ),
    ];
    for (name, value) in &cases {
        std::fs::write(dir.path().join(name), value.to_string()).expect("write");
    }
    std::fs::write(dir.path().join("empty.json"), "").expect("write");
    std::fs::write(dir.path().join("notes.txt"), "{").expect("write");
    let site = common::base_with("");
    let data = site.path().join("scoping-data");
    let report: ImportReport = oruk::import(dir.path(), &data, false);
    assert_eq!(
        report.written,
        vec![data.join("directory/weird-types.yaml")],
        "{report:#?}"
    );
    let expected_errors = [
        "contents.json: `contents` is not a list of services",
        "empty.json:1:0: not valid JSON",
        "items.json: record 1: not a service object",
        "items.json: record 2: not a service object",
        "items.json: record 3: the service has no `name`",
        "no-name.json: the service has no `name`",
        "string.json: expected an ORUK service",
    ];
    assert_eq!(
        report.errors.len(),
        expected_errors.len(),
        "{:#?}",
        report.errors
    );
    for e in expected_errors {
        assert!(
            report.errors.iter().any(|x| x.contains(e)),
            "{e} in {:#?}",
            report.errors
        );
    }
    let (_, fields) = &report.unmapped[0];
    for f in [
        "description",
        "organization.name",
        "status",
        "last_checked",
        "delivery",
        "age_groups",
    ] {
        assert!(fields.contains(&f.to_string()), "{f} in {fields:?}");
    }
    // It still loads, with the gaps flagged. The feed names no organization and gives no
    // good date, so the file names no provider and no check: neither is made up.
    let codes = codes_for(site.path(), "scoping-data/directory/weird-types.yaml");
    assert!(
        codes.contains("E025") && codes.contains("E046"),
        "{codes:?}"
    );
    let written = std::fs::read_to_string(data.join("directory/weird-types.yaml")).unwrap();
    for absent in ["\norganization:", "\nlast_checked:"] {
        assert!(!written.contains(absent), "{absent} in\n{written}");
    }

    let missing = oruk::import(&dir.path().join("nope"), &data, false);
    assert!(
        missing.errors[0].contains("no such file or folder"),
        "{missing:#?}"
    );
}
