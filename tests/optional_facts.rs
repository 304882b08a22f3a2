//! A provider no source names, details nobody checked with the service, and dates as their
//! sources give them: a service without `organization` is "Not stated" on every page and
//! absent from every download, a placeholder name is refused, a page without
//! `last_checked` says which source its details come from and when, the staleness notice
//! goes by the newest dated source, and a re-presented report's month is never given a day.

mod common;

use common::{sel, text};
use scopemap::audience::Audience;
use scopemap::commands::check_data;
use scopemap::diag::Diagnostic;
use scraper::Html;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn build(root: &Path) -> PathBuf {
    let out = root.join("public");
    let (code, log) = common::build(root, &out, Audience::Public);
    assert_eq!(code, 0, "{log}");
    out
}

fn page(out: &Path, rel: &str) -> Html {
    Html::parse_document(
        &std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}")),
    )
}

fn service_page(out: &Path, id: &str) -> Html {
    page(out, &format!("directory/{id}/index.html"))
}

fn json(out: &Path, rel: &str) -> Value {
    serde_json::from_slice(&std::fs::read(out.join(rel)).unwrap()).unwrap()
}

/// Every service's details as the directory search shows them: the `directory/search/d/`
/// files, each a script `scopemapSearch("d/N",[…]);` around a JSON list.
fn search_details(out: &Path) -> Value {
    let mut all = Vec::new();
    for file in std::fs::read_dir(out.join("directory/search/d")).unwrap() {
        let text = std::fs::read_to_string(file.unwrap().path()).unwrap();
        let start = text.find(",[").expect("a list after the file's name") + 1;
        let end = text.rfind(");").unwrap();
        let list: Value = serde_json::from_str(&text[start..end]).unwrap();
        all.extend(list.as_array().unwrap().iter().cloned());
    }
    Value::Array(all)
}

/// The first element matching `selector`, as read.
fn first(doc: &Html, selector: &str) -> Option<String> {
    doc.select(&sel(selector)).next().map(text)
}

/// An element's text nodes joined by single spaces, so that a term and its value read apart.
fn words(el: scraper::ElementRef) -> String {
    el.text()
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The entry for `id` in a list of services given as JSON objects with an `id`.
fn entry<'a>(list: &'a Value, id: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("no {id} in {list}"))
}

#[test]
fn a_provider_no_source_names_is_not_stated_on_pages_and_absent_from_the_data() {
    let site = common::site_with("no-provider");
    let out = build(site.path());

    // The service's page: "Provided by: Not stated", with no source, like any absent fact.
    let doc = service_page(&out, "alpha-unnamed");
    let row = doc.select(&sel("[data-fact=organization]")).next().unwrap();
    assert_eq!(
        first(&doc, "[data-fact=organization] dt").unwrap(),
        "Provided by"
    );
    assert_eq!(
        row.select(&sel("dd .not-stated"))
            .map(text)
            .collect::<Vec<_>>(),
        ["Not stated"]
    );
    assert_eq!(
        row.select(&sel("sup.cite")).count(),
        0,
        "a source for nothing"
    );
    let data: Value = serde_json::from_str(
        &doc.select(&sel("script[type=\"application/ld+json\"]"))
            .next()
            .unwrap()
            .text()
            .collect::<String>(),
    )
    .unwrap();
    assert!(data.get("provider").is_none(), "{data}");
    assert_eq!(
        data["availableChannel"]["servicePhone"]["telephone"],
        "0151 555 0123"
    );
    // A named provider is shown and cited as before.
    let named = service_page(&out, "alpha-babies");
    assert_eq!(
        first(&named, "[data-fact=organization] dd").unwrap(),
        "Alpha NHS Trust[1]"
    );

    // The directory's cards (the static list and an area's list) say the same.
    for rel in ["directory/index.html", "directory/in/alphabeta/index.html"] {
        let doc = page(&out, rel);
        let card = doc
            .select(&sel("li.service-card"))
            .map(words)
            .find(|c| c.contains("Alpha Parent Group"))
            .unwrap_or_else(|| panic!("{rel}: no card"));
        assert!(card.contains("Provider Not stated"), "{rel}: {card}");
        let named = doc
            .select(&sel("li.service-card"))
            .map(words)
            .find(|c| c.contains("Alpha Babies Team"))
            .unwrap();
        assert!(named.contains("Provider Alpha NHS Trust"), "{rel}: {named}");
    }

    // The search index and the directory download leave the provider out, not blank.
    let index = search_details(&out);
    assert!(entry(&index, "alpha-unnamed").get("p").is_none());
    assert_eq!(entry(&index, "alpha-babies")["p"], "Alpha NHS Trust");
    let download = json(&out, "data/directory.json");
    let unnamed = entry(&download["services"], "alpha-unnamed");
    assert!(unnamed.get("organization").is_none(), "{unnamed}");
    assert!(unnamed.get("last_checked").is_none(), "{unnamed}");
    let babies = entry(&download["services"], "alpha-babies");
    assert_eq!(babies["organization"]["name"], "Alpha NHS Trust");
    assert_eq!(babies["last_checked"], "2022-05-01");
}

#[test]
fn the_oruk_export_has_no_organisation_and_no_dates_nobody_stated() {
    let site = common::base_with("no-provider");
    let (ds, diagnostics) = check_data(site.path());
    assert_eq!(diagnostics, Vec::<Diagnostic>::new());
    let files = scopemap::oruk::export_files(&ds);
    let file = |path: &str| -> Value {
        let f = files
            .iter()
            .find(|f| f.path == path)
            .unwrap_or_else(|| panic!("no {path}"));
        serde_json::from_slice(&f.bytes).unwrap()
    };
    let record = |id: &str| {
        file(&format!(
            "oruk/services/{}.json",
            scopemap::oruk::service_uuid(id)
        ))
    };

    let unnamed = record("alpha-unnamed");
    for absent in [
        "organization",
        "organization_id",
        "assured_date",
        "last_modified",
    ] {
        assert!(unnamed.get(absent).is_none(), "{absent}: {unnamed:#}");
    }
    // Nor is an organisation made up for it anywhere in the feed.
    for f in &files {
        let text = String::from_utf8_lossy(&f.bytes);
        assert!(
            !text.contains("not named") && !text.contains("\"name\": \"\""),
            "{}",
            f.path
        );
    }
    let list = file("oruk/services/page/1/index.json");
    let listed = entry(
        &list["contents"],
        &scopemap::oruk::service_uuid("alpha-unnamed"),
    );
    assert!(listed.get("organization").is_none() && listed.get("organization_id").is_none());

    // A named provider and a check with the service are carried as before.
    let babies = record("alpha-babies");
    assert_eq!(babies["organization"]["name"], "Alpha NHS Trust");
    assert_eq!(babies["organization_id"], babies["organization"]["id"]);
    assert_eq!(babies["assured_date"], "2022-05-01");
    // A check is not a change: with no `last_changed`, no `last_modified`.
    assert!(babies.get("last_modified").is_none(), "{babies:#}");
    // A web page read is not a check with the service: no assured date.
    let online = record("alpha-online");
    assert_eq!(online["organization"]["name"], "Alpha Online CIC");
    assert!(online.get("assured_date").is_none() && online.get("last_modified").is_none());
}

#[test]
fn a_page_says_where_its_details_come_from_and_when() {
    let site = common::site_with("no-provider");
    let out = build(site.path());
    let dated = |id: &str| first(&service_page(&out, id), "p.checked").unwrap();
    // The report is newer than the 2022 return; its date is as its document control gives it.
    assert_eq!(
        dated("alpha-unnamed"),
        "Details as given in Test scoping report for the North Region (version 1.0, May 2022); not checked with the service since."
    );
    assert_eq!(
        dated("alpha-online"),
        "Details as given on https://example.org/online, read on 10 June 2022; not checked with the service since."
    );
    assert_eq!(
        dated("alpha-babies"),
        "Last checked with the service on 1 May 2022."
    );
}

#[test]
fn the_staleness_notice_goes_by_the_newest_dated_source() {
    // Built on 1 September 2023: the service was checked in March 2021, but the report it
    // cites is of May 2022, more than a year before.
    let site = common::site_with("stale-service");
    let file = site.path().join("scoping-data/directory/alpha-babies.yaml");
    let original = std::fs::read_to_string(&file).unwrap();
    let out = build(site.path());
    let doc = service_page(&out, "alpha-babies");
    assert_eq!(
        first(&doc, "p.warning").unwrap(),
        "These details date from May 2022 (their newest source), more than 12 months ago, and have not been checked with the service since. Please confirm them with the service."
    );
    assert_eq!(
        first(&doc, "p.status").unwrap(),
        "In development: this service was being set up as of May 2022."
    );
    assert_eq!(
        first(&doc, "p.checked").unwrap(),
        "Last checked with the service on 31 March 2021."
    );

    // Checked with the service in July 2022: the check is the newest, and over a year old.
    std::fs::write(
        &file,
        original.replace(
            "last_checked: \"2021-03-31\"",
            "last_checked: \"2022-07-01\"",
        ),
    )
    .unwrap();
    let doc = service_page(&build(site.path()), "alpha-babies");
    assert_eq!(
        first(&doc, "p.warning").unwrap(),
        "These details were last checked with the service on 1 July 2022, more than 12 months ago. Please confirm them with the service."
    );

    // Checked in October 2022, eleven months before the build: no notice.
    std::fs::write(
        &file,
        original.replace(
            "last_checked: \"2021-03-31\"",
            "last_checked: \"2022-10-01\"",
        ),
    )
    .unwrap();
    let doc = service_page(&build(site.path()), "alpha-babies");
    assert_eq!(first(&doc, "p.warning"), None);

    // With no check at all, the report of May 2022 is the newest source.
    std::fs::write(
        &file,
        original.replace("last_checked: \"2021-03-31\"\n", ""),
    )
    .unwrap();
    let doc = service_page(&build(site.path()), "alpha-babies");
    assert!(
        first(&doc, "p.warning")
            .unwrap()
            .starts_with("These details date from May 2022 (their newest source)"),
    );
    assert_eq!(
        first(&doc, "p.checked").unwrap(),
        "Details as given in Test scoping report for the North Region (version 1.0, May 2022); not checked with the service since."
    );
}

#[test]
fn a_placeholder_provider_is_an_error_at_the_name() {
    let site = common::base_with("placeholder-provider");
    let found: Vec<Diagnostic> = check_data(site.path())
        .1
        .into_iter()
        .filter(|d| d.code == "E220")
        .collect();
    assert_eq!(found.len(), 1, "{found:#?}");
    let d = &found[0];
    assert_eq!(
        (d.file.as_str(), d.line, d.column),
        ("scoping-data/directory/alpha-babies.yaml", 5, 9)
    );
    assert!(
        d.message
            .contains("\"Provider not named in the 2022 report\", which names no provider"),
        "{d:#?}"
    );
    assert_eq!(
        d.help.as_deref(),
        Some("leave out `organization` when no source names the provider")
    );
    // The shipped directory names no placeholder provider.
    let (_, shipped) = check_data(Path::new(env!("CARGO_MANIFEST_DIR")));
    assert!(!shipped.iter().any(|d| d.code == "E220"), "{shipped:#?}");
}

#[test]
fn a_service_left_out_of_the_directory_names_a_section_the_report_lists() {
    let site = common::base_with("not-in-directory");
    let found: Vec<Diagnostic> = check_data(site.path())
        .1
        .into_iter()
        .filter(|d| d.code == "E221")
        .collect();
    assert_eq!(found.len(), 1, "only the unknown section: {found:#?}");
    let d = &found[0];
    assert_eq!(
        (d.file.as_str(), d.line, d.column),
        ("scoping-data/reports/2022/north.yaml", 28, 14)
    );
    assert!(
        d.message
            .contains("`Beta drop-in` is said to be named in section 2.7"),
        "{d:#?}"
    );
    assert_eq!(d.expected.as_deref(), Some("one of 1, 2, 2.1"));
    assert!(
        d.help
            .as_deref()
            .is_some_and(|h| h.contains("did you mean `2.1`?")),
        "{d:#?}"
    );
    // Every section the shipped reports give for what they leave out is on their contents.
    let (ds, shipped) = check_data(Path::new(env!("CARGO_MANIFEST_DIR")));
    assert!(!shipped.iter().any(|d| d.code == "E221"), "{shipped:#?}");
    let recorded: usize = ds
        .reports
        .iter()
        .map(|r| r.value.not_in_directory.len())
        .sum();
    assert!(recorded > 10, "{recorded} services recorded as left out");
}

/// Every HTML page of a built site, by path relative to it.
fn html_pages(out: &Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            (
                e.path().strip_prefix(out).unwrap().display().to_string(),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_re_presented_month_is_never_given_a_day() {
    // The base report is not re-presented: its ratings date is the day it states.
    let site = common::site_with("");
    let out = build(site.path());
    let region = page(&out, "regions/north/index.html");
    assert!(
        first(&region, "p.caveat-inline")
            .unwrap()
            .starts_with("Ratings as at 1 May 2022,")
    );
    assert!(
        first(&region, "footer")
            .unwrap()
            .contains("Data as of 1 May 2022.")
    );

    // Re-presented from a document dated "May 2022": the month, and no day anywhere.
    let site = common::site_with("re-presented-dates");
    let out = build(site.path());
    let region = page(&out, "regions/north/index.html");
    assert!(
        first(&region, "p.caveat-inline")
            .unwrap()
            .starts_with("Ratings as at May 2022,")
    );
    let pages = html_pages(&out);
    assert!(pages.len() > 10);
    for (rel, html) in &pages {
        assert!(!html.contains("1 May 2022"), "{rel} gives a day");
        if rel.ends_with(".html") && html.contains("<footer") {
            let doc = Html::parse_document(html);
            assert!(
                first(&doc, "footer")
                    .unwrap()
                    .contains("Data as of May 2022."),
                "{rel}"
            );
        }
    }

    // A build date set in the settings is a day someone chose, and is shown as one.
    let site = common::site_with("stale-service");
    let out = build(site.path());
    let home = page(&out, "index.html");
    assert!(
        first(&home, "footer")
            .unwrap()
            .contains("Data as of 1 September 2023.")
    );
}

#[test]
fn an_imported_feed_gives_a_check_date_only_where_it_states_one() {
    let feed = serde_json::json!([
        {
            "id": "3b0f1a4e-1d2c-4a5b-9c8d-7e6f5a4b3c01",
            "name": "Checked Group",
            "description": "A group.",
            "status": "active",
            "assured_date": "2024-02-29",
            "last_modified": "2024-05-01T10:00:00.000Z",
            "organization": { "id": "3b0f1a4e-1d2c-4a5b-9c8d-7e6f5a4b3c02", "name": "Group CIC", "description": "x" }
        },
        {
            "id": "3b0f1a4e-1d2c-4a5b-9c8d-7e6f5a4b3c03",
            "name": "Changed Group",
            "description": "Another group.",
            "status": "active",
            "last_modified": "2024-05-01T10:00:00.000Z"
        }
    ]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("feed.json");
    std::fs::write(&file, feed.to_string()).unwrap();
    let site = common::base_with("");
    let report = scopemap::oruk::import(
        &file,
        site.path(),
        &scopemap::oruk::ImportOptions {
            force: false,
            include_out_of_scope: true,
        },
    );
    assert!(report.errors().is_empty(), "{report:#?}");
    let (ds, _) = check_data(site.path());
    let service = |id: &str| {
        ds.services()
            .iter()
            .map(|s| &s.value)
            .find(|s| s.id.value == id)
            .unwrap_or_else(|| panic!("{id} imported"))
    };
    let checked = service("checked-group");
    assert_eq!(
        checked.last_checked.as_ref().map(|c| c.value.as_str()),
        Some("2024-02-29")
    );
    assert_eq!(
        checked.organization.as_ref().map(|o| o.name.value.as_str()),
        Some("Group CIC")
    );
    // A record that only changed on a day was not checked on it, and names no provider.
    let changed = service("changed-group");
    assert!(changed.last_checked.is_none());
    assert!(changed.organization.is_none());
}
