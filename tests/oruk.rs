//! Open Referral UK export and import: every exported file against the ORUK 3.0 and HSDS 3.0
//! JSON Schemas shipped in tests/fixtures/oruk/ (formats checked, references resolved
//! locally), stable UUIDs and bytes, and imports of the ORUK examples into a fixture site.

mod common;

use jsonschema::{Draft, Registry, Validator};
use scopemap::commands::check_data;
use scopemap::oruk::{self, ImportOptions, ImportReport};
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
const ORUK_ORGANIZATION: &str = "oruk-3.0/schema/compiled/organization.json";
const ORUK_ORGANIZATION_LIST: &str = "oruk-3.0/schema/compiled/organization_list.json";
const ORUK_DEFINITIONS: &str = "oruk-3.0/schema/compiled/service_with_definitions.json";
/// The ORUK taxonomy, from the definitions of every entity of the profile.
const ORUK_TAXONOMY: &str =
    "oruk-3.0/schema/compiled/service_with_definitions.json#/definitions/taxonomy";
/// ORUK's page fields (`components/schemas/Page` of its OpenAPI file), without `contents`.
const PAGE_FIELDS: &str = "api/services_page.json#/$defs/Page";

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
        let files = [
            ORUK_SERVICE,
            ORUK_SERVICE_LIST,
            HSDS_SERVICE,
            HSDS_SERVICE_LIST,
            API_ROOT,
            API_PAGE,
            ORUK_ORGANIZATION,
            ORUK_ORGANIZATION_LIST,
            ORUK_DEFINITIONS,
        ];
        let resources: Vec<(String, Value)> = files
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
        for name in files.into_iter().chain([ORUK_TAXONOMY, PAGE_FIELDS]) {
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

/// The resource and the kind of an exported file: (`services`, `page`), (`services`,
/// `record`), ("", `root`) or ("", `rules`).
fn kind_of_file(path: &str) -> (&str, &str) {
    let parts: Vec<&str> = path.split('/').collect();
    match parts.as_slice() {
        ["oruk", "index.json"] => ("", "root"),
        ["oruk", ".htaccess"] | ["oruk", "nginx.conf"] | ["_redirects"] => ("", "rules"),
        ["oruk", r, "index.json"] | ["oruk", r, "page", _, "index.json"] => (r, "page"),
        ["oruk", r, _] => (r, "record"),
        _ => panic!("unexpected file {path}"),
    }
}

#[test]
fn every_exported_file_matches_the_oruk_and_hsds_schemas() {
    let schemas = Schemas::load();
    let ds = shipped();
    let files = oruk::export_files_paged(&ds, 10);
    let by_uuid: BTreeMap<String, String> = ds
        .services()
        .iter()
        .map(|s| (oruk::feed_id(&s.value), s.value.id.value.clone()))
        .collect();
    let mut failures = Vec::new();
    let mut records = BTreeMap::<&str, usize>::new();
    let mut listed = BTreeMap::<&str, BTreeSet<String>>::new();
    for file in &files {
        let name = file.path.as_str();
        let (resource, kind) = kind_of_file(name);
        if kind == "rules" {
            continue;
        }
        let value = parse(file);
        match (resource, kind) {
            ("", _) => {
                failures.extend(schemas.check(API_ROOT, name, &value));
                assert_eq!(value["version"], "HSDS-UK-3.0");
            }
            (resource, "page") => {
                failures.extend(schemas.check(PAGE_FIELDS, name, &value));
                let contents = value["contents"].as_array().expect("contents");
                assert_eq!(
                    value["size"].as_u64(),
                    Some(contents.len() as u64),
                    "{name}"
                );
                for item in contents {
                    let id = item["id"].as_str().unwrap_or_default().to_string();
                    let what = format!("{name} item {id} ({:?})", by_uuid.get(&id));
                    match resource {
                        "services" => {
                            failures.extend(schemas.check(ORUK_SERVICE_LIST, &what, item));
                            failures.extend(schemas.check(HSDS_SERVICE_LIST, &what, item));
                        }
                        "organizations" => {
                            failures.extend(schemas.check(ORUK_ORGANIZATION_LIST, &what, item))
                        }
                        _ => failures.extend(schemas.check(ORUK_TAXONOMY, &what, item)),
                    }
                    listed.entry(resource).or_default().insert(id);
                }
            }
            (resource, _) => {
                let id = name
                    .rsplit('/')
                    .next()
                    .and_then(|n| n.strip_suffix(".json"))
                    .expect("a record's file is named by its id");
                assert_eq!(value["id"], id, "{name}");
                match resource {
                    "services" => {
                        let ours = by_uuid
                            .get(id)
                            .unwrap_or_else(|| panic!("{name} is not a shipped service"));
                        let what = format!("service `{ours}` ({name})");
                        failures.extend(schemas.check(ORUK_SERVICE, &what, &value));
                        failures.extend(schemas.check(HSDS_SERVICE, &what, &value));
                    }
                    "organizations" => {
                        failures.extend(schemas.check(ORUK_ORGANIZATION, name, &value))
                    }
                    _ => failures.extend(schemas.check(ORUK_TAXONOMY, name, &value)),
                }
                *records.entry(resource).or_default() += 1;
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(
        records["services"],
        ds.services().len(),
        "one record per service"
    );
    assert_eq!(
        listed["services"].len(),
        ds.services().len(),
        "every service is listed"
    );
    // One organisation per provider the directory names; five taxonomies of scopemap's.
    let providers: BTreeSet<&str> = ds
        .services()
        .iter()
        .filter_map(|s| s.value.organization.as_ref().map(|o| o.name.value.trim()))
        .collect();
    assert_eq!(records["organizations"], providers.len());
    assert_eq!(listed["organizations"].len(), providers.len());
    assert_eq!(records["taxonomies"], 5);
    assert_eq!(listed["taxonomies"].len(), 5);
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
    // The ORUK profile has no alternate name; the HSDS profile carries it.
    assert!(babs.get("alternate_name").is_none(), "{babs}");
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
                a["taxonomy_term"]["term"]
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

/// Import options: `force`, `include_out_of_scope`.
fn options(force: bool, include_out_of_scope: bool) -> ImportOptions {
    ImportOptions {
        force,
        include_out_of_scope,
    }
}

const ALL: ImportOptions = ImportOptions {
    force: false,
    include_out_of_scope: true,
};

/// Import `input` into the site at `root`, read on 2024-03-01.
fn import(input: &Path, root: &Path, options: &ImportOptions) -> ImportReport {
    oruk::import_on(input, root, options, "2024-03-01")
}

fn codes(report: &ImportReport) -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = report.diagnostics.iter().map(|d| d.code).collect();
    codes.sort();
    codes
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

fn dropped<'a>(report: &'a ImportReport, id: &str) -> Vec<&'a str> {
    report
        .dropped
        .iter()
        .find(|(record, _)| record == id)
        .map(|(_, fields)| fields.iter().map(|f| f.field.as_str()).collect())
        .unwrap_or_default()
}

const COUNSELLING: &str = "scoping-data/directory/community-counselling.yaml";

#[test]
fn importing_the_oruk_examples() {
    let site = common::base_with("");
    let target = site.path().join(COUNSELLING);

    // The example serves "MyCity" and people aged 12 to 100: outside this project.
    let report = import(
        &example("service_full.json"),
        site.path(),
        &options(false, false),
    );
    assert!(report.written.is_empty(), "{report:#?}");
    assert_eq!(codes(&report), vec!["W254"]);
    assert!(
        report.skipped[0]
            .reason
            .contains("works outside this project's regions")
    );
    assert!(!target.exists());

    let report = import(&example("service_full.json"), site.path(), &ALL);
    assert!(report.errors().is_empty(), "{report:#?}");
    assert_eq!(report.written, vec![target.clone()]);
    let (record, fields) = &report.to_fill[0];
    assert_eq!(record, "community-counselling");
    for f in ["categories", "areas", "age_groups", "delivery", "referral"] {
        assert!(fields.contains(&f.to_string()), "{f} in {fields:?}");
    }
    // Every field not carried over is listed with its reason.
    let not_carried = dropped(&report, "community-counselling");
    for f in [
        "accreditations",
        "alert",
        "assurer_email",
        "fees",
        "languages",
        "organization.logo",
        "schedules.valid_from",
        "schedules.notes",
        "service_areas",
        "service_at_locations.location.accessibility",
        "service_at_locations.location.latitude",
    ] {
        assert!(not_carried.contains(&f), "{f} in {not_carried:?}");
    }
    for f in ["contacts", "schedules", "service_at_locations"] {
        assert!(!not_carried.contains(&f), "{f} is read: {not_carried:?}");
    }
    let text = std::fs::read_to_string(&target).expect("written");
    for line in [
        "id: \"community-counselling\"",
        "oruk_id: \"ac148810-d857-441c-9679-408f346de14b\"",
        "name: \"Community Counselling\"",
        "  name: \"Example Organization Inc.\"",
        "    - scheme: \"company\"",
        "      value: \"1234567\"",
        "categories: []",
        "areas: []",
        "status: \"active\"",
        "last_checked: \"2005-01-01\"",
        "last_changed: \"2023-03-15\"",
        "url: \"http://example.com/counselling\"",
        "email: \"email@example.com\"",
        "cost: \"charge\"",
        // Contacts, locations and opening times as the directory holds them.
        "contacts:",
        "  - name: \"Ann Persona\"",
        "    title: \"Reception Manager\"",
        "locations:",
        "  - name: \"MyCity Civic Center\"",
        "    address: \"1-30 Main Street\"",
        "    town: \"MyCity\"",
        "    county: \"MyState\"",
        "    postcode: \"ABC 1234\"",
        "    country: \"US\"",
        "opening_times:",
        "  - description: \"The service is available from 10 am to 6pm weekdays. The service is not available on public holidays.\"",
        "    days: [\"TH\", \"FR\"]",
        "    opens: \"10:00\"",
        "    closes: \"18:00\"",
        "  contacts: \"feed\"",
        "  locations: \"feed\"",
        "  opening_times: \"feed\"",
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
    // What the feed does not give is left out, so the page says "Not stated". Ages 12 to
    // 100 are no age group of the directory's.
    for absent in ["age_groups:", "delivery:", "referral:"] {
        assert!(
            !text.lines().any(|l| l.starts_with(absent)),
            "`{absent}` in\n{text}"
        );
    }
    assert!(text.contains("summary: \"Counselling Services provided by trained professionals.\""));
    // It loads; the validator points at exactly what the feed could not give.
    assert_eq!(
        codes_for(site.path(), COUNSELLING),
        BTreeSet::from(["E046"])
    );

    // Again: the service is known by the feed's id, and the feed says nothing new.
    let again = import(&example("service_full.json"), site.path(), &ALL);
    assert!(again.written.is_empty(), "{again:#?}");
    assert_eq!(again.unchanged, vec![target.clone()]);
    assert_eq!(std::fs::read_to_string(&target).expect("kept"), text);
    // The list page holds the same service with fewer fields: nothing it leaves out is
    // taken away, and nothing is added twice.
    let list = import(&example("service_list.json"), site.path(), &ALL);
    assert!(list.written.is_empty() && list.kept.is_empty(), "{list:#?}");
    assert_eq!(list.unchanged, vec![target.clone()]);
    assert_eq!(std::fs::read_to_string(&target).expect("kept"), text);
}

#[test]
fn importing_a_folder_keeps_one_record_per_service() {
    let feed = tempfile::tempdir().expect("temp");
    for name in ["service_list.json", "service_full.json"] {
        std::fs::copy(example(name), feed.path().join(name)).expect("copy");
    }
    let site = common::base_with("");
    let report = import(feed.path(), site.path(), &ALL);
    assert!(report.diagnostics.is_empty(), "{report:#?}");
    assert_eq!(report.written.len(), 1, "{report:#?}");
    let text = std::fs::read_to_string(&report.written[0]).expect("written");
    assert!(
        text.contains("cost: \"charge\""),
        "the full record won:\n{text}"
    );
}

#[test]
fn records_that_are_not_services_are_reported_and_skipped() {
    let site = common::base_with("");
    for name in [
        "taxonomy.json",
        "taxonomy_list.json",
        "taxonomy_term.json",
        "taxonomy_term_list.json",
        "organization_list.json",
    ] {
        let report = import(&example(name), site.path(), &ALL);
        assert!(report.written.is_empty(), "{name}: {report:#?}");
        assert_eq!(codes(&report), vec!["W250"], "{name}: {report:#?}");
        assert_eq!(report.skipped.len(), 1, "{name}");
        let d = &report.diagnostics[0];
        assert!(
            d.line > 0 && d.column > 0,
            "{name}: placed in the file: {d:?}"
        );
    }
    let report = import(&example("taxonomy_term.json"), site.path(), &ALL);
    assert!(
        report.skipped[0]
            .reason
            .starts_with("a taxonomy term, not a service"),
        "{report:#?}"
    );
    // An organisation is not a service, but the services it nests are read.
    let report = import(&example("organization_full.json"), site.path(), &ALL);
    assert_eq!(codes(&report), vec!["W250"]);
    assert!(
        report.diagnostics[0]
            .message
            .contains("its 1 service is read"),
        "{:?}",
        report.diagnostics[0]
    );
    assert_eq!(report.written, vec![site.path().join(COUNSELLING)]);
    let text = std::fs::read_to_string(site.path().join(COUNSELLING)).unwrap();
    assert!(
        text.contains("  name: \"Example Organization Inc.\""),
        "{text}"
    );
}

#[test]
fn a_service_at_a_location_is_imported() {
    for name in [
        "service_at_location_full.json",
        "service_at_location_list.json",
    ] {
        let site = common::base_with("");
        let report = import(&example(name), site.path(), &ALL);
        assert!(report.errors().is_empty(), "{name}: {report:#?}");
        assert_eq!(
            report.written,
            vec![site.path().join(COUNSELLING)],
            "{name}: {report:#?}"
        );
    }
    // The location's address is read for where the service works: MyCity is outside the
    // project. The list's location has no address, and its ages are outside the project.
    let site = common::base_with("");
    let full = import(
        &example("service_at_location_full.json"),
        site.path(),
        &options(false, false),
    );
    assert_eq!(codes(&full), vec!["W254"]);
    assert!(full.skipped[0].reason.contains("MyCity"), "{full:#?}");
    let list = import(
        &example("service_at_location_list.json"),
        site.path(),
        &options(false, false),
    );
    assert_eq!(codes(&list), vec!["W255"]);
    assert!(
        list.skipped[0].reason.contains("ages 12 to 100"),
        "{list:#?}"
    );
}

/// A feed of hostile and malformed records, in `root/feed.json`.
fn hostile_feed(dir: &Path) -> PathBuf {
    let feed = json!({
        "total_items": 9, "total_pages": 1, "page_number": 1, "size": 9,
        "first_page": true, "last_page": true, "empty": false,
        "contents": [
            {
                "id": "11111111-1111-4111-8111-111111111111",
                "name": "Alphaton Baby Group",
                "description": "A group for parents and babies.",
                "status": "active",
                "minimum_age": 0,
                "maximum_age": 2,
                "assured_date": "31/12/2023",
                "last_modified": "yesterday",
                "service_areas": [{ "id": "a", "name": "Alphaton" }]
            },
            {
                "id": "11111111-1111-4111-8111-111111111111",
                "name": "Second Record With The Same Id",
                "description": "x",
                "status": "active"
            },
            {
                "id": "22222222-2222-4222-8222-222222222222",
                "name": "Toddler Time",
                "description": "Play sessions.",
                "status": "active",
                "minimum_age": "two",
                "maximum_age": { "years": 5 },
                "service_areas": [{ "id": "b", "name": "Beta", "uri": "http://statistics.data.gov.uk/id/statistical-geography/E38900002" }]
            },
            {
                "id": "33333333-3333-4333-8333-333333333333",
                "name": "Manchester Family Hub",
                "description": "A hub in Manchester.",
                "status": "active",
                "service_areas": [{ "id": "c", "name": "Manchester" }]
            },
            {
                "id": "44444444-4444-4444-8444-444444444444",
                "name": "Adult Learning",
                "description": "Courses for adults.",
                "status": "active",
                "minimum_age": 18,
                "maximum_age": 99
            },
            {
                "id": "55555555-5555-4555-8555-555555555555",
                "name": "Alpha Babies Team",
                "description": "The same name as a service the directory has.",
                "status": "active"
            },
            { "id": "66666666-6666-4666-8666-666666666666", "name": "Example Org", "description": "x", "organization_identifiers": [] },
            "just text",
            { "id": "77777777-7777-4777-8777-777777777777", "description": "No name.", "status": "active" },
            {
                "id": "not-a-uuid",
                "name": "Weird \u{1b}[31m Types\u{202e}",
                "description": ["not", "text"],
                "status": "paused",
                "organization": "not an object",
                "phones": "0151",
                "cost_options": [{ "amount": "lots" }],
                "attributes": [
                    { "taxonomy_term": { "taxonomy": "scopemap-delivery", "term": "teleport" } },
                    { "taxonomy_term": { "taxonomy": "https://example.org/lga", "term": "hub", "name": "Family hub" } }
                ],
                "last_modified": "2024-13-45T00:00:00Z"
            }
        ]
    });
    let file = dir.join("feed.json");
    std::fs::write(&file, serde_json::to_string_pretty(&feed).unwrap()).expect("write");
    file
}

#[test]
fn a_hostile_feed_is_reported_record_by_record() {
    let dir = tempfile::tempdir().expect("temp");
    let feed = hostile_feed(dir.path());
    let site = common::base_with("");
    let report = import(&feed, site.path(), &options(false, false));
    let data = site.path().join("scoping-data/directory");
    assert_eq!(
        report.written,
        vec![
            data.join("alphaton-baby-group.yaml"),
            data.join("toddler-time.yaml"),
            data.join("weird-31m-types.yaml"),
        ],
        "{report:#?}"
    );
    assert_eq!(
        codes(&report),
        vec![
            "E252", "E252", "W250", "W251", "W252", "W252", "W252", "W253", "W253", "W254", "W255",
            "W256"
        ],
        "{}",
        oruk::render_import(&report)
    );
    let message = |code: &str| -> Vec<String> {
        report
            .diagnostics
            .iter()
            .filter(|d| d.code == code)
            .map(|d| format!("{}:{}: {}", d.line, d.column, d.message))
            .collect()
    };
    let feed_text = std::fs::read_to_string(&feed).unwrap();
    let line_of = |needle: &str| {
        feed_text
            .lines()
            .position(|l| l.contains(needle))
            .map(|i| i + 1)
            .unwrap_or_else(|| panic!("{needle}"))
    };
    // Every problem names the line of the value, and the value.
    assert!(
        message("W252")
            .iter()
            .any(|m| m.starts_with(&format!("{}:", line_of("31/12/2023")))
                && m.contains("`assured_date` is `31/12/2023`, not a date")),
        "{:?}",
        message("W252")
    );
    assert!(
        message("W253")
            .iter()
            .any(|m| m.starts_with(&format!("{}:", line_of("\"two\"")))
                && m.contains("`minimum_age` is `two`")),
        "{:?}",
        message("W253")
    );
    assert!(
        message("W251")[0].contains("record 2 has the id"),
        "{:?}",
        message("W251")
    );
    assert!(
        message("W254")[0].contains("Manchester"),
        "{:?}",
        message("W254")
    );
    assert!(
        message("W255")[0].contains("ages 18 to 99"),
        "{:?}",
        message("W255")
    );
    assert!(
        message("W256")[0].contains("`alpha-babies`"),
        "{:?}",
        message("W256")
    );
    assert!(
        message("W250")[0].contains("record 7 (`Example Org`) is an organization, not a service")
    );
    let e252 = message("E252");
    assert!(
        e252.iter()
            .any(|m| m.contains("record 8 is not a record but text")),
        "{e252:?}"
    );
    assert!(
        e252.iter()
            .any(|m| m.contains("record 9: the service has no `name`")),
        "{e252:?}"
    );

    // The dates and ages that are not dates and ages are left out, not guessed.
    let alphaton = std::fs::read_to_string(data.join("alphaton-baby-group.yaml")).unwrap();
    assert!(
        !alphaton
            .lines()
            .any(|l| l.starts_with("last_checked") || l.starts_with("last_changed")),
        "{alphaton}"
    );
    assert!(
        alphaton.contains("areas: []") || alphaton.contains("areas:\n"),
        "{alphaton}"
    );
    let toddler = std::fs::read_to_string(data.join("toddler-time.yaml")).unwrap();
    assert!(toddler.contains("areas:\n  - \"beta-ccg\""), "{toddler}");
    assert!(
        !toddler.lines().any(|l| l.starts_with("age_groups")),
        "{toddler}"
    );
    // Every record and field not imported is in the summary, with its reason.
    let summary = oruk::render_import(&report);
    for line in [
        "records not imported:",
        "  feed.json: record 2 `Second Record With The Same Id`: its id `11111111-1111-4111-8111-111111111111` is also the id of feed.json: record 1",
        "  feed.json: record 4 `Manchester Family Hub`: works outside this project's regions (Manchester)",
        "  feed.json: record 5 `Adult Learning`: is for ages 18 to 99, outside this project's pregnancy to age five",
        "  feed.json: record 7 `Example Org`: an organization, not a service",
        "  feed.json: record 8: not a record",
        "  feed.json: record 9: a service with no name",
        "fields not imported:",
        "  attributes (weird-31m-types): `teleport` is not a value of scopemap-delivery that this project knows",
        "  attributes (weird-31m-types): the term `Family hub` of the taxonomy `https://example.org/lga`, which `oruk.taxonomy_map` in scopemap.yaml does not map to a category",
        "  cost_options (weird-31m-types): they say neither that the service is free nor that it charges",
        "  id (weird-31m-types): `not-a-uuid` is not a UUID, which Open Referral UK ids are: the export will give the service an id of its own",
        "  organization (weird-31m-types): not an organization object",
        "  status (weird-31m-types): `paused` is not an Open Referral UK status (active, inactive, defunct, temporarily closed)",
        "3 services read: 3 new, 0 updated, 0 differing and kept, 0 unchanged; 7 records not imported; 2 errors, 10 warnings",
    ] {
        assert!(summary.lines().any(|l| l == line), "`{line}` in\n{summary}");
    }
    // Text from the feed never reaches the terminal raw.
    assert!(
        !summary.contains('\u{1b}') && !summary.contains('\u{202e}'),
        "{summary}"
    );
    // The written files load; what is wrong in them is flagged.
    let codes = codes_for(site.path(), "scoping-data/directory/weird-31m-types.yaml");
    assert!(
        codes.contains("E025") && codes.contains("E111"),
        "{codes:?}"
    );

    // With --include-out-of-scope, the Manchester and adult services are imported too.
    let site = common::base_with("");
    let report = import(&feed, site.path(), &options(false, true));
    assert_eq!(report.written.len(), 5, "{report:#?}");
    assert!(!report.has("W254") && !report.has("W255"));
}

#[test]
fn bad_json_is_an_error_naming_the_file_line_and_column() {
    let dir = tempfile::tempdir().expect("temp");
    let file = dir.path().join("broken.json");
    std::fs::write(&file, "{\n  \"name\": \"x\",\n  oops\n}\n").expect("write");
    let site = common::base_with("");
    let report = import(&file, site.path(), &ALL);
    assert!(report.written.is_empty());
    assert_eq!(codes(&report), vec!["E250"]);
    let d = &report.diagnostics[0];
    assert_eq!((d.line, d.column), (3, 3), "{d:?}");
    assert!(
        d.message
            .starts_with("not valid JSON: key must be a string"),
        "{d:?}"
    );
    // The command prints it as `file:line:col` and exits 1.
    let mut out = Vec::new();
    let code = scopemap::commands::import_oruk_command(
        site.path(),
        std::slice::from_ref(&file),
        &ALL,
        &mut out,
    );
    let out = String::from_utf8(out).unwrap();
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error[E250]: not valid JSON"), "{out}");
    assert!(
        out.contains(&format!("--> {}:3:3", file.display())),
        "{out}"
    );
    assert!(out.contains("3 |   oops"), "the line is quoted: {out}");
    // A good feed exits 0, even with warnings.
    let mut out = Vec::new();
    let code = scopemap::commands::import_oruk_command(
        site.path(),
        &[example("taxonomy.json")],
        &ALL,
        &mut out,
    );
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&out));
}

#[test]
fn odd_files_are_reported_not_panicked_on() {
    let dir = tempfile::tempdir().expect("temp");
    std::fs::write(dir.path().join("string.json"), "\"just text\"").unwrap();
    std::fs::write(dir.path().join("contents.json"), "{\"contents\": 5}").unwrap();
    std::fs::write(dir.path().join("empty.json"), "").unwrap();
    std::fs::write(dir.path().join("deep.json"), "[".repeat(100_000)).unwrap();
    std::fs::write(
        dir.path().join("root.json"),
        json!({ "version": "HSDS-UK-3.0", "profile": "https://example.org/p", "openapi_url": "https://example.org/o.json" }).to_string(),
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.txt"), "{").unwrap();
    let site = common::base_with("");
    let report = import(dir.path(), site.path(), &ALL);
    assert!(report.written.is_empty());
    assert_eq!(
        codes(&report),
        vec!["E250", "E250", "E252", "E252"],
        "{report:#?}"
    );
    let files: Vec<String> = report
        .diagnostics
        .iter()
        .map(|d| d.file.rsplit('/').next().unwrap().to_string())
        .collect();
    for f in ["contents.json", "deep.json", "empty.json", "string.json"] {
        assert!(files.contains(&f.to_string()), "{f} in {files:?}");
    }
    // The API root is passed over quietly, but listed.
    assert!(
        report
            .skipped
            .iter()
            .any(|s| s.place == "root.json: the record"
                && s.reason == "the feed's description of itself (its API root)")
    );

    let missing = import(&dir.path().join("nope"), site.path(), &ALL);
    assert_eq!(codes(&missing), vec!["E251"]);
    assert!(
        missing.diagnostics[0]
            .message
            .contains("no such file or folder")
    );
    let none = tempfile::tempdir().unwrap();
    let empty = import(none.path(), site.path(), &ALL);
    assert_eq!(codes(&empty), vec!["E251"]);
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
    let report = import(&file, site.path(), &ALL);
    assert!(report.errors().is_empty(), "{report:#?}");
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
fn empty_lists_and_bad_oruk_ids_are_validation_errors() {
    let site = common::base_with("");
    let file = site.path().join("scoping-data/directory/alpha-babies.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let text = text
        .replace("age_groups: [pregnancy, \"0-1\"]", "age_groups: []")
        .replace("delivery: [home, one-to-one]", "delivery:   []")
        .replace("referral: [professional]", "referral: [] # none")
        .replace(
            "status: active",
            "status: active\noruk_id: \"NOT-A-UUID\"\nlast_changed: \"31/12/2023\"",
        );
    std::fs::write(&file, text).unwrap();
    let (_, diagnostics) = check_data(site.path());
    let found: Vec<(&str, usize, usize, &str)> = diagnostics
        .iter()
        .filter(|d| d.code == "E260" || d.code == "E261" || d.code == "E028")
        .map(|d| (d.code, d.line, d.column, d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        vec![
            ("E260", 13, 13, "`age_groups` is an empty list"),
            ("E260", 14, 13, "`delivery` is an empty list"),
            ("E260", 15, 11, "`referral` is an empty list"),
            (
                "E261",
                26,
                10,
                "`NOT-A-UUID` is not an Open Referral id (a UUID)"
            ),
            (
                "E028",
                27,
                15,
                "`31/12/2023` is not a valid date for `last_changed`"
            ),
        ]
    );
    // Left out, they are simply not stated.
    let text: String = std::fs::read_to_string(&file)
        .unwrap()
        .lines()
        .filter(|l| {
            ![
                "age_groups:",
                "delivery:",
                "referral:",
                "oruk_id:",
                "last_changed:",
            ]
            .iter()
            .any(|k| l.starts_with(k))
        })
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&file, text).unwrap();
    let (_, diagnostics) = check_data(site.path());
    assert!(
        !diagnostics
            .iter()
            .any(|d| d.code == "E260" || d.code == "E261"),
        "{diagnostics:#?}"
    );
    // Two services may not share an Open Referral id.
    let other = site.path().join("scoping-data/directory/alpha-copy.yaml");
    let copy = std::fs::read_to_string(&file).unwrap().replace(
        "id: alpha-babies",
        "id: alpha-copy\noruk_id: \"ac148810-d857-441c-9679-408f346de14b\"",
    );
    std::fs::write(&other, &copy).unwrap();
    let with_id = std::fs::read_to_string(&file).unwrap().replace(
        "id: alpha-babies",
        "id: alpha-babies\noruk_id: \"ac148810-d857-441c-9679-408f346de14b\"",
    );
    std::fs::write(&file, with_id).unwrap();
    let (_, diagnostics) = check_data(site.path());
    assert!(
        diagnostics.iter().any(|d| d.code == "E024"
            && d.message
                == "the Open Referral id `ac148810-d857-441c-9679-408f346de14b` is used twice"),
        "{diagnostics:#?}"
    );
}

#[test]
fn an_import_that_changes_a_service_lists_each_field_and_needs_force() {
    let site = common::base_with("");
    let target = site.path().join(COUNSELLING);
    import(&example("service_full.json"), site.path(), &ALL);
    let before = std::fs::read_to_string(&target).unwrap();
    // The publisher changes the description and the web address, and drops the e-mail.
    let mut record = read_json(&example("service_full.json"));
    record["description"] = json!("Counselling for families.");
    record["url"] = json!("https://example.com/families");
    record.as_object_mut().unwrap().remove("email");
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("changed.json");
    std::fs::write(&feed, record.to_string()).unwrap();

    let kept = import(&feed, site.path(), &ALL);
    assert_eq!(codes(&kept), vec!["W257"], "{kept:#?}");
    assert!(kept.written.is_empty() && kept.updated.is_empty());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), before);
    let summary = oruk::render_import(&kept);
    for line in [
        &format!(
            "kept {} (pass --force to take the feed's values):",
            target.display()
        ),
        "  description: \"Counselling Services provided by trained professionals. Suitable for people with mental health conditions such as anxiety, depression, or eating disorders as well as people experiencing difficult life events and circumstances.\" → \"Counselling for families.\"",
        "  url: \"http://example.com/counselling\" → \"https://example.com/families\"",
    ] {
        assert!(summary.lines().any(|l| l == line), "`{line}` in\n{summary}");
    }
    assert!(
        kept.diagnostics[0]
            .message
            .contains("the feed states 2 fields of `community-counselling` differently"),
        "{:?}",
        kept.diagnostics[0]
    );

    let forced = import(&feed, site.path(), &options(true, true));
    assert!(forced.diagnostics.is_empty(), "{forced:#?}");
    assert_eq!(forced.updated.len(), 1);
    assert!(forced.written.is_empty(), "no second file");
    let after = std::fs::read_to_string(&target).unwrap();
    // Only the two fields changed; the e-mail the feed no longer gives is kept, and the
    // new web address is cited to the new feed.
    assert!(
        after.contains("description: \"Counselling for families.\""),
        "{after}"
    );
    assert!(
        after.contains("url: \"https://example.com/families\""),
        "{after}"
    );
    assert!(after.contains("email: \"email@example.com\""), "{after}");
    assert!(after.contains("  url: feed-2024-03-01"), "{after}");
    assert!(after.contains("  email: \"feed\""), "{after}");
    assert!(
        after.contains("  feed-2024-03-01:\n    url: \"file:")
            && after.contains("changed.json\"\n    checked: \"2024-03-01\""),
        "{after}"
    );
    let gone: Vec<&str> = before
        .lines()
        .filter(|l| !after.lines().any(|a| a == *l))
        .collect();
    assert_eq!(
        gone,
        vec![
            before
                .lines()
                .find(|l| l.starts_with("description:"))
                .unwrap(),
            "url: \"http://example.com/counselling\"",
            "  url: \"feed\"",
        ]
    );
    assert_eq!(
        codes_for(site.path(), COUNSELLING),
        BTreeSet::from(["E046"])
    );
    // Importing the same feed again changes nothing.
    let again = import(&feed, site.path(), &options(true, true));
    assert_eq!(again.unchanged, vec![target.clone()], "{again:#?}");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), after);
}

#[test]
fn a_file_that_cannot_be_changed_safely_is_left_as_it_was() {
    let site = common::base_with("");
    let file = site.path().join("scoping-data/directory/alpha-babies.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let start = text.find("source_of:").unwrap();
    let inline = format!(
        "{}source_of: {{url: website, status: north-2-1}}\n",
        &text[..start]
    );
    std::fs::write(&file, &inline).unwrap();
    let record = json!({
        "id": oruk::service_uuid("alpha-babies"),
        "name": "Alpha Babies Team",
        "status": "active",
        "url": "https://example.org/alpha-babies"
    });
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("feed.json");
    std::fs::write(&feed, record.to_string()).unwrap();
    let report = import(&feed, site.path(), &options(true, false));
    assert_eq!(codes(&report), vec!["E253"], "{report:#?}");
    assert!(
        report.diagnostics[0]
            .message
            .contains("`source_of:` is written on one line"),
        "{:?}",
        report.diagnostics[0]
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), inline);
}

/// The shipped site's data and settings, in a temporary folder.
fn shipped_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    common::copy_dir(&repo.join("scoping-data"), &dir.path().join("scoping-data"));
    std::fs::copy(repo.join("scopemap.yaml"), dir.path().join("scopemap.yaml")).expect("copy");
    dir
}

fn export_into(ds: &scopemap::model::Dataset) -> tempfile::TempDir {
    let feed = tempfile::tempdir().expect("temp");
    oruk::export_to_dir(ds, feed.path()).expect("export");
    feed
}

#[test]
fn importing_the_export_into_the_project_that_made_it_changes_nothing() {
    let site = shipped_copy();
    let (ds, _) = check_data(site.path());
    let feed = export_into(&ds);
    let before = common::tree(site.path());
    // Even with --force: every service is found again by its id, and every field the feed
    // carries is as the directory states it.
    let report = import(
        &feed.path().join("oruk"),
        site.path(),
        &options(true, false),
    );
    assert!(
        report.diagnostics.is_empty(),
        "{}",
        oruk::render_import(&report)
    );
    assert!(report.written.is_empty() && report.updated.is_empty() && report.kept.is_empty());
    assert_eq!(report.unchanged.len(), ds.services().len());
    // The API root, the organizations and the taxonomies are the feed's other resources.
    assert!(
        report
            .skipped
            .iter()
            .all(|s| s.place == "index.json: the record"
                || s.reason == "an organization, not a service"
                || s.reason == "a taxonomy, not a service"),
        "only the feed's other resources are passed over: {:#?}",
        report.skipped
    );
    assert_eq!(
        report.dropped,
        Vec::new(),
        "nothing of the export is left behind"
    );
    assert!(common::tree(site.path()) == before, "no file changed");
    let (again, _) = check_data(site.path());
    assert_eq!(oruk::export_files(&again), oruk::export_files(&ds));
    // A page alone lists fewer fields (no attributes, so ages stand for age groups, and an
    // alert for a service in development): it changes nothing either.
    let page = import(
        &feed.path().join("oruk/services/index.json"),
        site.path(),
        &options(true, false),
    );
    assert!(
        page.diagnostics.is_empty(),
        "{}",
        oruk::render_import(&page)
    );
    assert_eq!(
        page.unchanged.len(),
        ds.services().len(),
        "{}",
        oruk::render_import(&page)
    );
    assert!(common::tree(site.path()) == before, "no file changed");
}

#[test]
fn the_export_read_into_an_empty_directory_exports_the_same_bytes() {
    let site = shipped_copy();
    let (ds, _) = check_data(site.path());
    let first = oruk::export_files(&ds);
    let feed = export_into(&ds);
    let directory = site.path().join("scoping-data/directory");
    std::fs::remove_dir_all(&directory).unwrap();
    let report = import(
        &feed.path().join("oruk"),
        site.path(),
        &options(false, false),
    );
    assert!(
        report.diagnostics.is_empty(),
        "{}",
        oruk::render_import(&report)
    );
    assert_eq!(report.written.len(), ds.services().len());
    let (back, _) = check_data(site.path());
    let second = oruk::export_files(&back);
    assert_eq!(first.len(), second.len());
    for (a, b) in first.iter().zip(&second) {
        assert_eq!(a.path, b.path);
        assert!(
            a.bytes == b.bytes,
            "{} differs:\n{}\n---\n{}",
            a.path,
            String::from_utf8_lossy(&a.bytes),
            String::from_utf8_lossy(&b.bytes)
        );
    }
    // The facts came back to the same services: areas (by ONS code), categories, ages,
    // the provider and its register numbers.
    for original in ds.services() {
        let o = &original.value;
        let copy = back
            .services()
            .iter()
            .map(|s| &s.value)
            .find(|s| oruk::feed_id(s) == oruk::feed_id(o))
            .unwrap_or_else(|| panic!("{} imported", o.id.value));
        let values = |v: &[scopemap::model::Spanned<String>]| {
            v.iter().map(|x| x.value.clone()).collect::<Vec<_>>()
        };
        assert_eq!(values(&copy.areas), values(&o.areas), "{}", o.id.value);
        assert_eq!(values(&copy.regions), values(&o.regions), "{}", o.id.value);
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
        assert_eq!(copy.status.value, o.status.value, "{}", o.id.value);
        assert_eq!(
            copy.closed.as_ref().map(|c| c.value.clone()),
            o.closed.as_ref().map(|c| c.value.trim().to_string()),
            "{}",
            o.id.value
        );
        assert_eq!(
            copy.organization.as_ref().map(|org| (
                org.name.value.clone(),
                org.identifiers
                    .iter()
                    .map(|i| i.value.value.clone())
                    .collect::<Vec<_>>()
            )),
            o.organization.as_ref().map(|org| (
                org.name.value.clone(),
                org.identifiers
                    .iter()
                    .map(|i| i.value.value.clone())
                    .collect::<Vec<_>>()
            )),
            "{}",
            o.id.value
        );
    }
}

#[test]
fn the_oruk_examples_read_back_unchanged() {
    for name in [
        "service_full.json",
        "service_list.json",
        "service_at_location_full.json",
        "service_at_location_list.json",
        "organization_full.json",
    ] {
        let site = common::base_with("");
        let first = import(&example(name), site.path(), &ALL);
        assert_eq!(first.written.len(), 1, "{name}: {first:#?}");
        let before = common::tree(site.path());
        let (ds, _) = check_data(site.path());
        let feed = export_into(&ds);
        let second = import(&feed.path().join("oruk"), site.path(), &options(true, true));
        assert!(
            second.diagnostics.is_empty(),
            "{name}: {}",
            oruk::render_import(&second)
        );
        assert!(
            second.written.is_empty() && second.updated.is_empty(),
            "{name}: {second:#?}"
        );
        assert_eq!(
            second.unchanged.len(),
            2,
            "{name}: the example and alpha-babies"
        );
        assert!(
            common::tree(site.path()) == before,
            "{name}: no file changed"
        );
    }
}

// ---------------------------------------------------------------------------------------
// A feed a client can walk: pages by path, and the host rules that serve them.

/// The shipped directory exported with `page_size` services to a page, written to a folder.
fn walkable_feed(page_size: usize) -> (tempfile::TempDir, Vec<OutputFile>) {
    let ds = shipped();
    let files = oruk::export_files_paged(&ds, page_size);
    let dir = tempfile::tempdir().expect("temp");
    for f in &files {
        let path = dir.path().join(&f.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, &f.bytes).unwrap();
    }
    (dir, files)
}

/// A request's path and query, split.
fn split_url(url: &str) -> (&str, &str) {
    url.split_once('?').unwrap_or((url, ""))
}

fn query_value<'a>(query: &'a str, key: &str) -> Option<&'a str> {
    query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v)
}

/// The file Apache serves for `url`, by the rules of `oruk/.htaccess` (per-directory
/// mod_rewrite: patterns see the path below `oruk/`, substitutions are relative to it).
fn apache(rules: &str, url: &str) -> String {
    let (path, query) = split_url(url);
    let local = path
        .strip_prefix("/oruk/")
        .or(path.strip_prefix("/oruk").filter(|p| p.is_empty()));
    let Some(local) = local else {
        return path.trim_start_matches('/').to_string();
    };
    let mut conditions: Vec<regex::Captures> = Vec::new();
    let mut failed = false;
    for line in rules.lines().map(str::trim) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["RewriteCond", "%{QUERY_STRING}", pattern] => {
                match regex::Regex::new(pattern).unwrap().captures(query) {
                    Some(c) => conditions.push(c),
                    None => failed = true,
                }
            }
            ["RewriteRule", pattern, target, flags] => {
                assert_eq!(*flags, "[L]", "{line}");
                let re = regex::Regex::new(pattern).unwrap();
                let taken = !failed && re.is_match(local);
                if taken {
                    let caps = re.captures(local).unwrap();
                    let mut out = target.to_string();
                    for i in (1..10).rev() {
                        let rule = caps.get(i).map_or("", |m| m.as_str());
                        let cond = conditions
                            .last()
                            .and_then(|c| c.get(i))
                            .map_or("", |m| m.as_str());
                        out = out
                            .replace(&format!("${i}"), rule)
                            .replace(&format!("%{i}"), cond);
                    }
                    return format!("oruk/{out}");
                }
                conditions.clear();
                failed = false;
            }
            _ => {}
        }
    }
    format!("oruk/{local}")
}

/// The file nginx serves for `url`, by the `location` blocks of `oruk/nginx.conf` (exact
/// matches first, then regular expressions in order; `rewrite … last` searches again).
fn nginx(rules: &str, url: &str) -> String {
    struct Location {
        exact: Option<String>,
        regex: Option<regex::Regex>,
        body: Vec<String>,
    }
    let mut locations: Vec<Location> = Vec::new();
    let mut depth = 0;
    for line in rules
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        if depth == 0 {
            let head = line.strip_suffix('{').expect("a location block").trim();
            let loc = match head.split_whitespace().collect::<Vec<_>>().as_slice() {
                ["location", "=", path] => Location {
                    exact: Some(path.to_string()),
                    regex: None,
                    body: Vec::new(),
                },
                ["location", "~", re] => Location {
                    exact: None,
                    regex: Some(regex::Regex::new(re).unwrap()),
                    body: Vec::new(),
                },
                other => panic!("unexpected {other:?}"),
            };
            locations.push(loc);
            depth = 1;
            continue;
        }
        if line.ends_with('{') {
            depth += 1;
        } else if line == "}" {
            depth -= 1;
            if depth == 0 {
                continue;
            }
        }
        locations.last_mut().unwrap().body.push(line.to_string());
    }
    let (mut path, query) = {
        let (p, q) = split_url(url);
        (p.to_string(), q.to_string())
    };
    'search: for _ in 0..10 {
        let mut vars: BTreeMap<String, String> = BTreeMap::new();
        vars.insert(
            "arg_page".into(),
            query_value(&query, "page").unwrap_or("").into(),
        );
        let found = locations
            .iter()
            .find(|l| l.exact.as_deref() == Some(path.as_str()))
            .or_else(|| {
                locations.iter().find(|l| {
                    let Some(re) = &l.regex else { return false };
                    let Some(c) = re.captures(&path) else {
                        return false;
                    };
                    for name in re.capture_names().flatten() {
                        if let Some(m) = c.name(name) {
                            vars.insert(name.to_string(), m.as_str().to_string());
                        }
                    }
                    true
                })
            });
        let Some(location) = found else { break };
        let mut skip = false;
        for statement in &location.body {
            if let Some(cond) = statement.strip_prefix("if (") {
                let (var, rest) = cond.split_once(" ~ ").unwrap();
                let pattern = rest.trim_end_matches(") {").trim_matches('"');
                let value = &vars[var.trim_start_matches('$')];
                skip = !regex::Regex::new(pattern).unwrap().is_match(value);
                continue;
            }
            if statement == "}" {
                skip = false;
                continue;
            }
            if skip {
                continue;
            }
            if let Some(rest) = statement.strip_prefix("rewrite ^ ") {
                let mut target = rest.strip_suffix(" last;").unwrap().to_string();
                for (k, v) in &vars {
                    target = target.replace(&format!("${k}"), v);
                }
                path = target;
                continue 'search;
            }
        }
        break;
    }
    path.trim_start_matches('/').to_string()
}

/// The file a Netlify-style host serves for `url`, by the site's `_redirects`: an existing
/// file is served as it is; otherwise the first rule whose path (with `:name` segments)
/// and query conditions match.
fn redirects(rules: &str, root: &Path, url: &str) -> String {
    let (path, query) = split_url(url);
    let path = path.trim_end_matches('/');
    if root.join(path.trim_start_matches('/')).is_file() {
        return path.trim_start_matches('/').to_string();
    }
    for line in rules
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let words: Vec<&str> = line.split_whitespace().collect();
        let (from, conditions, to, status) = match words.as_slice() {
            [from, conditions @ .., to, status] => (from, conditions, to, status),
            _ => panic!("{line}"),
        };
        assert_eq!(*status, "200", "{line}");
        let from = from.trim_end_matches('/');
        let (fs, ps): (Vec<&str>, Vec<&str>) =
            (from.split('/').collect(), path.split('/').collect());
        if fs.len() != ps.len() {
            continue;
        }
        let mut vars: BTreeMap<String, String> = BTreeMap::new();
        let segments_match = fs.iter().zip(&ps).all(|(f, p)| match f.strip_prefix(':') {
            Some(name) => {
                vars.insert(name.to_string(), p.to_string());
                true
            }
            None => f == p,
        });
        let query_match = conditions.iter().all(|c| {
            let (key, var) = c.split_once('=').unwrap();
            match query_value(query, key) {
                Some(v) => {
                    vars.insert(var.trim_start_matches(':').to_string(), v.to_string());
                    true
                }
                None => false,
            }
        });
        if segments_match && query_match {
            let mut out = to.to_string();
            for (k, v) in &vars {
                out = out.replace(&format!(":{k}"), v);
            }
            return out.trim_start_matches('/').to_string();
        }
    }
    path.trim_start_matches('/').to_string()
}

#[test]
fn a_client_can_walk_every_page_through_each_hosts_rules() {
    let (dir, files) = walkable_feed(7);
    let rules = |path: &str| {
        String::from_utf8(
            files
                .iter()
                .find(|f| f.path == path)
                .unwrap_or_else(|| panic!("{path} is exported"))
                .bytes
                .clone(),
        )
        .unwrap()
    };
    let (htaccess, conf, netlify) = (
        rules("oruk/.htaccess"),
        rules("oruk/nginx.conf"),
        rules("_redirects"),
    );
    type Host<'a> = (&'a str, Box<dyn Fn(&str) -> String + 'a>);
    let hosts: [Host; 3] = [
        ("apache", Box::new(|url: &str| apache(&htaccess, url))),
        ("nginx", Box::new(|url: &str| nginx(&conf, url))),
        (
            "netlify",
            Box::new(|url: &str| redirects(&netlify, dir.path(), url)),
        ),
    ];
    let get = |file: &str| -> Option<Value> {
        let path = dir.path().join(file);
        path.is_file().then(|| read_json(&path))
    };
    for (host, serve) in &hosts {
        for root in ["/oruk/", "/oruk"] {
            let file = serve(root);
            assert_eq!(file, "oruk/index.json", "{host}: {root}");
        }
        for resource in ["services", "organizations", "taxonomies"] {
            let first = get(&serve(&format!("/oruk/{resource}")))
                .unwrap_or_else(|| panic!("{host}: /oruk/{resource}"));
            let total_pages = first["total_pages"].as_u64().unwrap() as usize;
            let total_items = first["total_items"].as_u64().unwrap() as usize;
            if resource == "services" {
                assert_eq!(total_pages, 7, "46 services, 7 to a page");
            }
            let mut ids = BTreeSet::new();
            for n in 1..=total_pages {
                for url in [
                    format!("/oruk/{resource}?page={n}"),
                    format!("/oruk/{resource}/?per_page=7&page={n}"),
                ] {
                    let file = serve(&url);
                    let page = get(&file).unwrap_or_else(|| panic!("{host}: {url} gives {file}"));
                    assert_eq!(page["page_number"], n, "{host}: {url}");
                    assert_eq!(page["first_page"], n == 1, "{host}: {url}");
                    assert_eq!(page["last_page"], n == total_pages, "{host}: {url}");
                    for item in page["contents"].as_array().unwrap() {
                        ids.insert(item["id"].as_str().unwrap().to_string());
                    }
                }
            }
            assert_eq!(ids.len(), total_items, "{host}: every {resource} item once");
            // A page past the last is no file: the host answers 404.
            let past = serve(&format!("/oruk/{resource}?page={}", total_pages + 1));
            assert!(get(&past).is_none(), "{host}: {past}");
            for id in &ids {
                let file = serve(&format!("/oruk/{resource}/{id}"));
                let record = get(&file).unwrap_or_else(|| panic!("{host}: {resource}/{id}"));
                assert_eq!(record["id"], id.as_str(), "{host}");
            }
        }
    }
}

#[test]
fn pages_carry_only_the_oruk_page_fields() {
    // The page fields are those of `components/schemas/Page` in ORUK's OpenAPI file,
    // transcribed in the fixture, and `contents`.
    let page_schema = read_json(&oruk_fixtures().join(API_PAGE));
    let mut allowed: BTreeSet<String> = page_schema["$defs"]["Page"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    allowed.insert("contents".into());
    let (_, files) = walkable_feed(10);
    let mut pages = 0;
    for f in &files {
        if kind_of_file(&f.path).1 != "page" {
            continue;
        }
        let page = parse(f);
        let keys: BTreeSet<String> = page.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, allowed, "{}", f.path);
        pages += 1;
    }
    // Five pages of services, and each list's first page twice (also as its index.json).
    assert_eq!(pages, 5 + 1 + 1 + 1 + 1 + 1 + 1);
    // The first page is also the list's index, byte for byte.
    for resource in ["services", "organizations", "taxonomies"] {
        let file = |p: String| files.iter().find(|f| f.path == p).unwrap().bytes.clone();
        assert_eq!(
            file(format!("oruk/{resource}/index.json")),
            file(format!("oruk/{resource}/page/1/index.json"))
        );
    }
}

#[test]
fn organizations_are_real_and_list_their_services() {
    let ds = shipped();
    let files = oruk::export_files(&ds);
    let find = |path: &str| {
        parse(
            files
                .iter()
                .find(|f| f.path == path)
                .unwrap_or_else(|| panic!("{path}")),
        )
    };
    let babs = find(&format!("oruk/services/{BABS_UUID}.json"));
    let org_id = babs["organization"]["id"].as_str().unwrap();
    let org = find(&format!("oruk/organizations/{org_id}.json"));
    assert_eq!(org["name"], "Mersey Care NHS Foundation Trust");
    assert_eq!(org["organization_identifiers"][0]["identifier"], "RW4");
    let services: Vec<&str> = org["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    let expected: BTreeSet<String> = ds
        .services()
        .iter()
        .filter(|s| {
            s.value
                .organization
                .as_ref()
                .is_some_and(|o| o.name.value == "Mersey Care NHS Foundation Trust")
        })
        .map(|s| oruk::feed_id(&s.value))
        .collect();
    assert_eq!(
        services
            .iter()
            .map(|s| s.to_string())
            .collect::<BTreeSet<_>>(),
        expected
    );
    assert!(services.contains(&BABS_UUID));
    // No organisation stands in for services whose provider no source names.
    for f in files
        .iter()
        .filter(|f| f.path.starts_with("oruk/organizations/"))
    {
        let text = String::from_utf8_lossy(&f.bytes);
        assert!(!text.to_lowercase().contains("not named"), "{}", f.path);
    }
}

#[test]
fn the_framework_categories_are_a_taxonomy() {
    let ds = shipped();
    let files = oruk::export_files(&ds);
    let taxonomies: Vec<Value> = files
        .iter()
        .filter(|f| kind_of_file(&f.path) == ("taxonomies", "record"))
        .map(parse)
        .collect();
    let categories = taxonomies
        .iter()
        .find(|t| t["name"] == "scopemap-categories")
        .expect("the categories taxonomy");
    let terms = categories["taxonomy_terms"].as_array().unwrap();
    let framework = ds.framework().unwrap();
    assert_eq!(terms.len(), framework.categories.len());
    for (term, category) in terms.iter().zip(&framework.categories) {
        assert_eq!(term["term"], category.id.value.as_str());
        assert_eq!(term["name"], category.name.value.as_str());
        assert_eq!(term["taxonomy_id"], categories["id"]);
    }
    // A service's attribute names a term of it, by the same id.
    let babs = parse(
        files
            .iter()
            .find(|f| f.path == format!("oruk/services/{BABS_UUID}.json"))
            .unwrap(),
    );
    let attribute = babs["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["taxonomy_term"]["taxonomy"] == "scopemap-categories")
        .unwrap();
    assert!(
        terms
            .iter()
            .any(|t| t["id"] == attribute["taxonomy_term_id"])
    );
}

#[test]
fn an_export_replaces_its_own_files_and_no_one_elses() {
    let ds = shipped();
    let out = tempfile::tempdir().unwrap();
    // An older export's page, a stale record, a stale page folder, someone's notes.
    for (path, text) in [
        ("oruk/services/page-1.json", "{}"),
        (
            "oruk/services/00000000-0000-5000-8000-000000000000.json",
            "{}",
        ),
        ("oruk/organizations/page/9/index.json", "{}"),
        ("oruk/services/notes.txt", "mine"),
        ("oruk/readme.json", "{}"),
    ] {
        let p = out.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    oruk::export_to_dir(&ds, out.path()).expect("export");
    for gone in [
        "oruk/services/page-1.json",
        "oruk/services/00000000-0000-5000-8000-000000000000.json",
        "oruk/organizations/page/9",
    ] {
        assert!(!out.path().join(gone).exists(), "{gone} removed");
    }
    for kept in ["oruk/services/notes.txt", "oruk/readme.json"] {
        assert!(out.path().join(kept).exists(), "{kept} kept");
    }
    // Someone's own _redirects is not overwritten.
    let other = tempfile::tempdir().unwrap();
    std::fs::write(other.path().join("_redirects"), "/old /new 301\n").unwrap();
    let err = oruk::export_to_dir(&ds, other.path()).unwrap_err();
    assert!(
        err.contains("_redirects exists and was not written by scopemap"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(other.path().join("_redirects")).unwrap(),
        "/old /new 301\n"
    );
}

// ---------------------------------------------------------------------------------------
// Exactly the ORUK profile: every property of every exported object is one the profile's
// schema has at that place.

/// The schema at `pointer` in `doc` (`#/definitions/x` style), or `doc` itself.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    let mut schema = schema;
    while let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let pointer = r
            .strip_prefix('#')
            .expect("a reference inside the document");
        schema = doc
            .pointer(pointer)
            .unwrap_or_else(|| panic!("{r} is in the document"));
    }
    schema
}

/// Every property in `value` that `schema` (inside `doc`) does not have at its place, as a
/// JSON pointer.
fn outside(doc: &Value, schema: &Value, value: &Value, path: &str, out: &mut Vec<String>) {
    let schema = resolve(doc, schema);
    match value {
        Value::Object(map) => {
            let properties = schema.get("properties").and_then(Value::as_object);
            for (key, v) in map {
                let here = format!("{path}/{key}");
                match properties.and_then(|p| p.get(key)) {
                    Some(s) => outside(doc, s, v, &here, out),
                    None => out.push(here),
                }
            }
        }
        Value::Array(items) => {
            let item = schema.get("items").unwrap_or(&Value::Null);
            for (i, v) in items.iter().enumerate() {
                outside(doc, item, v, &format!("{path}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// The properties of the files that the schemas of `profile` do not have at their places.
fn not_in_profile(files: &[OutputFile], hsds: bool) -> Vec<String> {
    let load = |name: &str| read_json(&oruk_fixtures().join(name));
    let (service, service_list) = if hsds {
        (load(HSDS_SERVICE), load(HSDS_SERVICE_LIST))
    } else {
        (load(ORUK_SERVICE), load(ORUK_SERVICE_LIST))
    };
    let organization = load(ORUK_ORGANIZATION);
    let organization_list = load(ORUK_ORGANIZATION_LIST);
    let definitions = load(ORUK_DEFINITIONS);
    let taxonomy = &definitions["definitions"]["taxonomy"];
    let api_root = load(API_ROOT);
    let page_schema = load(API_PAGE);
    let mut out = Vec::new();
    for f in files {
        let (resource, kind) = kind_of_file(&f.path);
        if kind == "rules" {
            continue;
        }
        let value = parse(f);
        let mut found = Vec::new();
        match (resource, kind) {
            ("", _) => outside(&api_root, &api_root, &value, "", &mut found),
            (resource, "page") => {
                for key in value.as_object().unwrap().keys() {
                    if key != "contents"
                        && page_schema["$defs"]["Page"]["properties"]
                            .get(key)
                            .is_none()
                    {
                        found.push(format!("/{key}"));
                    }
                }
                for (i, item) in value["contents"].as_array().unwrap().iter().enumerate() {
                    let here = format!("/contents/{i}");
                    match resource {
                        "services" => {
                            outside(&service_list, &service_list, item, &here, &mut found)
                        }
                        "organizations" => outside(
                            &organization_list,
                            &organization_list,
                            item,
                            &here,
                            &mut found,
                        ),
                        _ => outside(&definitions, taxonomy, item, &here, &mut found),
                    }
                }
            }
            ("services", _) => outside(&service, &service, &value, "", &mut found),
            ("organizations", _) if !hsds => {
                outside(&organization, &organization, &value, "", &mut found)
            }
            ("taxonomies", _) if !hsds => outside(&definitions, taxonomy, &value, "", &mut found),
            _ => {}
        }
        out.extend(found.into_iter().map(|p| format!("{}: {p}", f.path)));
    }
    out
}

/// The base fixture, its one service also stating contacts, locations and opening times.
fn fixture_with_details() -> tempfile::TempDir {
    let site = common::base_with("");
    let file = site.path().join("scoping-data/directory/alpha-babies.yaml");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace(
            "status: active\n",
            "contacts:\n  - name: \"Sam Lee\"\n    title: \"Team manager\"\n    phone: \"0151 555 0199\"\n    email: \"sam.lee@example.org\"\n  - title: \"Duty worker\"\n\
             locations:\n  - name: \"Alphaton Family Hub\"\n    address: \"1 High Street\"\n    town: \"Alphaton\"\n    county: \"Northshire\"\n    postcode: \"AL1 2BC\"\n    country: \"GB\"\n  - name: \"Betaby Clinic\"\n    postcode: \"BE1 1AA\"\n\
             opening_times:\n  - days: [MO, TU, WE, TH, FR]\n    opens: \"09:00\"\n    closes: \"17:00\"\n  - description: \"Evening groups in term time\"\n\
             status: active\n",
        )
        .replace(
            "  status: north-2-1\n",
            "  status: north-2-1\n  contacts: website\n  locations: website\n  opening_times: website\n",
        );
    std::fs::write(&file, text).unwrap();
    site
}

/// The shipped data and the base fixture (whose one service states every fact), exported.
fn both_exports(options: &oruk::ExportOptions) -> Vec<OutputFile> {
    let mut files = oruk::export_files_with(&shipped(), options);
    let fixture = fixture_with_details();
    let (ds, diagnostics) = check_data(fixture.path());
    assert!(
        !diagnostics
            .iter()
            .any(|d| d.file.ends_with("alpha-babies.yaml")),
        "{diagnostics:#?}"
    );
    files.extend(oruk::export_files_with(&ds, options));
    files
}

#[test]
fn contacts_locations_and_opening_times_are_exported_as_oruk_has_them() {
    let schemas = Schemas::load();
    let site = fixture_with_details();
    let (ds, _) = check_data(site.path());
    let files = oruk::export_files(&ds);
    let alpha = files
        .iter()
        .find(|f| f.path == format!("oruk/services/{}.json", oruk::service_uuid("alpha-babies")))
        .map(parse)
        .unwrap();
    assert_eq!(
        schemas.check(ORUK_SERVICE, "alpha", &alpha),
        Vec::<String>::new()
    );
    assert_eq!(alpha["contacts"][0]["name"], "Sam Lee");
    // The ORUK profile gives a contact no phone or e-mail.
    let keys: Vec<&String> = alpha["contacts"][0].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["id", "name", "service_id", "title"]);
    assert_eq!(alpha["contacts"][1]["title"], "Duty worker");
    assert!(alpha["contacts"][1].get("name").is_none());
    assert_eq!(alpha["schedules"][0]["byday"], "MO,TU,WE,TH,FR");
    assert_eq!(alpha["schedules"][0]["freq"], "WEEKLY");
    assert_eq!(alpha["schedules"][0]["opens_at"], "09:00:00");
    assert_eq!(
        alpha["schedules"][1]["description"],
        "Evening groups in term time"
    );
    assert!(alpha["schedules"][1].get("freq").is_none());
    let hub = &alpha["service_at_locations"][0]["location"];
    assert_eq!(hub["name"], "Alphaton Family Hub");
    assert_eq!(hub["addresses"][0]["postal_code"], "AL1 2BC");
    assert_eq!(hub["addresses"][0]["country"], "GB");
    // A location without every part of an address ORUK requires has no address.
    let clinic = &alpha["service_at_locations"][1]["location"];
    assert_eq!(clinic["name"], "Betaby Clinic");
    assert!(clinic.get("addresses").is_none(), "{clinic}");
    // Read back into the same project, nothing changes.
    let feed = export_into(&ds);
    let before = common::tree(site.path());
    let report = import(
        &feed.path().join("oruk"),
        site.path(),
        &options(true, false),
    );
    assert!(
        report.diagnostics.is_empty(),
        "{}",
        oruk::render_import(&report)
    );
    assert_eq!(
        report.unchanged.len(),
        1,
        "{}",
        oruk::render_import(&report)
    );
    assert!(common::tree(site.path()) == before);
}

#[test]
fn details_that_say_nothing_or_are_not_times_are_validation_errors() {
    let site = fixture_with_details();
    let file = site.path().join("scoping-data/directory/alpha-babies.yaml");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("opens: \"09:00\"", "opens: \"9am\"")
        .replace("days: [MO, TU, WE, TH, FR]", "days: [MO, Tuesday]")
        .replace("  - title: \"Duty worker\"\n", "  - {}\n")
        .replace("0151 555 0199", "ring the office")
        .replace("sam.lee@example.org", "sam.lee at example");
    std::fs::write(&file, text).unwrap();
    let (_, diagnostics) = check_data(site.path());
    let found: Vec<(&str, &str)> = diagnostics
        .iter()
        .filter(|d| d.file.ends_with("alpha-babies.yaml"))
        .map(|d| (d.code, d.message.as_str()))
        .collect();
    for expected in [
        ("E262", "`9am` is not a time of day"),
        ("E263", "a contact with nothing in it"),
        ("E048", "`ring the office` is not a valid telephone number"),
    ] {
        assert!(found.contains(&expected), "{expected:?} in {found:?}");
    }
    assert!(
        found
            .iter()
            .any(|(c, m)| *c == "E027" && m.contains("Tuesday")),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|(c, m)| *c == "E023" && m.contains("sam.lee at example")),
        "{found:?}"
    );
}

#[test]
fn every_exported_property_is_in_the_oruk_profile() {
    let files = both_exports(&oruk::ExportOptions::default());
    assert!(files.len() > 50, "{}", files.len());
    assert_eq!(not_in_profile(&files, false), Vec::<String>::new());
}

#[test]
fn the_hsds_profile_adds_hsds_fields_and_only_those() {
    let hsds = oruk::ExportOptions {
        profile: oruk::Profile::Hsds,
        ..Default::default()
    };
    let files = both_exports(&hsds);
    assert_eq!(not_in_profile(&files, true), Vec::<String>::new());
    // They are not ORUK's: the closed-world check finds each of them.
    let mut extra: Vec<String> = not_in_profile(&files, false)
        .iter()
        .map(|p| {
            let (_, pointer) = p.split_once(": ").unwrap();
            pointer
                .split('/')
                .filter(|s| !s.is_empty() && !s.bytes().all(|b| b.is_ascii_digit()))
                .collect::<Vec<_>>()
                .join(".")
        })
        .collect();
    extra.sort();
    extra.dedup();
    assert_eq!(
        extra,
        vec![
            "alternate_name",
            "application_process",
            "attributes.link_entity",
            "attributes.taxonomy_term.code",
            "contacts.email",
            "contacts.phones",
            "contents.alternate_name",
            "contents.application_process",
            "contents.eligibility_description",
            "cost_options.currency",
            "eligibility_description",
            "phones",
            "service_areas.description",
            "services.alternate_name",
            "services.eligibility_description",
            "taxonomy_terms.code",
        ]
    );
    let alpha = files
        .iter()
        .find(|f| f.path == format!("oruk/services/{}.json", oruk::service_uuid("alpha-babies")))
        .map(parse)
        .unwrap();
    assert_eq!(alpha["alternate_name"], "ABT");
    assert_eq!(alpha["phones"][0]["number"], "0151 555 0100");
    assert_eq!(alpha["cost_options"][0]["currency"], "GBP");
    // A named contact's own number and address, as HSDS has them.
    let details = files
        .iter()
        .filter(|f| f.path == format!("oruk/services/{}.json", oruk::service_uuid("alpha-babies")))
        .map(parse)
        .find(|v| v["contacts"].is_array())
        .unwrap();
    let sam = &details["contacts"][0];
    assert_eq!(sam["email"], "sam.lee@example.org");
    assert_eq!(sam["phones"][0]["number"], "0151 555 0199");
    assert_eq!(sam["phones"][0]["contact_id"], sam["id"]);
    assert!(details["contacts"][1].get("phones").is_none());
    // Read back into the project that made it, the HSDS feed changes nothing either.
    let site = fixture_with_details();
    let (ds, _) = check_data(site.path());
    let feed = tempfile::tempdir().unwrap();
    oruk::export_to_dir_with(&ds, feed.path(), &hsds).unwrap();
    let before = common::tree(site.path());
    let report = import(
        &feed.path().join("oruk"),
        site.path(),
        &options(true, false),
    );
    assert!(
        report.diagnostics.is_empty() && report.unchanged.len() == 1,
        "{}",
        oruk::render_import(&report)
    );
    assert!(common::tree(site.path()) == before);
    // A contact's number changed in the feed is a change of the contact.
    let record = feed.path().join(format!(
        "oruk/services/{}.json",
        oruk::service_uuid("alpha-babies")
    ));
    let changed = std::fs::read_to_string(&record)
        .unwrap()
        .replace("0151 555 0199", "0151 555 0198");
    std::fs::write(&record, changed).unwrap();
    let report = import(&record, site.path(), &options(false, false));
    assert_eq!(
        codes(&report),
        vec!["W257"],
        "{}",
        oruk::render_import(&report)
    );
    assert!(
        oruk::render_import(&report).contains("0151 555 0198"),
        "{}",
        oruk::render_import(&report)
    );
    // The HSDS feed reads back like the ORUK one, with the phone number too.
    let site = common::base_with("");
    let (ds, _) = check_data(site.path());
    let feed = tempfile::tempdir().unwrap();
    oruk::export_to_dir_with(&ds, feed.path(), &hsds).unwrap();
    let report = import(
        &feed.path().join("oruk"),
        site.path(),
        &options(true, false),
    );
    assert!(
        report.diagnostics.is_empty(),
        "{}",
        oruk::render_import(&report)
    );
    assert_eq!(report.unchanged.len(), 1);
}

#[test]
fn the_closed_world_check_finds_a_property_the_profile_does_not_have() {
    let mut files = both_exports(&oruk::ExportOptions::default());
    let record = files
        .iter_mut()
        .find(|f| kind_of_file(&f.path) == ("services", "record"))
        .unwrap();
    let mut value = parse(record);
    value["attributes"][0]["link_entity"] = json!("service");
    value["service_areas"][0]["description"] = json!("x");
    value["made_up"] = json!(1);
    let path = record.path.clone();
    record.bytes = format!("{value:#}\n").into_bytes();
    let found = not_in_profile(&files, false);
    for p in [
        "/attributes/0/link_entity",
        "/service_areas/0/description",
        "/made_up",
    ] {
        assert!(found.contains(&format!("{path}: {p}")), "{p} in {found:#?}");
    }
}

#[test]
fn last_modified_is_the_day_the_file_says_its_details_changed() {
    let site = common::base_with("");
    let file = site.path().join("scoping-data/directory/alpha-babies.yaml");
    let original = std::fs::read_to_string(&file).unwrap();
    let exported = |last_changed: &str| {
        let text = original.replace(
            "status: active\n",
            &format!("status: active\nlast_changed: \"{last_changed}\"\n"),
        );
        std::fs::write(&file, text).unwrap();
        let (ds, diagnostics) = check_data(site.path());
        assert!(
            !diagnostics
                .iter()
                .any(|d| d.file.ends_with("alpha-babies.yaml")),
            "{diagnostics:#?}"
        );
        let files = oruk::export_files(&ds);
        files
            .iter()
            .find(|f| {
                f.path == format!("oruk/services/{}.json", oruk::service_uuid("alpha-babies"))
            })
            .map(parse)
            .unwrap()
    };
    let before = exported("2024-02-01");
    assert_eq!(before["last_modified"], "2024-02-01T00:00:00.000Z");
    // An edit that says so moves it; the service keeps its id.
    let after = exported("2024-03-05");
    assert_eq!(after["last_modified"], "2024-03-05T00:00:00.000Z");
    assert_eq!(after["id"], before["id"]);
    assert_ne!(after["last_modified"], after["assured_date"]);
}
