//! The public directory: complete without JavaScript, a search index for the script, a
//! page per area and per type of service, and service pages people can trust.

mod common;

use common::sel;

use scopemap::audience::Audience;
use scraper::Html;
use std::collections::BTreeSet;
use std::path::PathBuf;

fn build_shipped() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let (code, log) = common::build(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")),
        &out,
        Audience::Public,
    );
    assert_eq!(code, 0, "{log}");
    (dir, out)
}

#[test]
fn the_index_finds_babs_in_knowsley_and_sefton() {
    let (_dir, out) = build_shipped();
    let docs = common::search_docs(&out);
    let babs = docs
        .iter()
        .position(|s| s["a"] == "BABS")
        .expect("BABS is indexed");
    assert_eq!(docs[babs]["n"], "Building Attachment and Bonds Service");
    // Its Places through the CCGs it names, and no other.
    let meta = common::search_file(&out, "meta");
    let areas: Vec<&str> = meta["filters"]["area"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .filter(|a| common::search_filter(&out, "area", a).contains(&babs))
        .collect();
    assert_eq!(areas, ["knowsley", "sefton"]);
    // Found by its short name, as a name; by the towns its areas cover and by its type.
    assert!(common::search_postings(&out, "babs").contains(&(babs, 3)));
    assert!(common::search_postings(&out, "southport").contains(&(babs, 2)));
    assert!(common::search_postings(&out, "huyton").contains(&(babs, 2)));
    assert!(
        common::search_postings(&out, "infant")
            .iter()
            .any(|p| p.0 == babs)
    );
    // Services are numbered in the order of their names.
    let names: Vec<String> = docs
        .iter()
        .map(|d| d["n"].as_str().unwrap().to_lowercase())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    // The page fetches no whole index.
    let page = std::fs::read_to_string(out.join("directory/index.html")).unwrap();
    assert!(!page.contains("search-index"), "{page}");
    assert!(!out.join("directory/search-index.js").exists());
}

#[test]
fn the_index_carries_the_synonyms_as_the_search_reads_them() {
    let (_dir, out) = build_shipped();
    let meta = common::search_file(&out, "meta");
    let groups = meta["syn"].as_array().unwrap();
    let group = |phrase: &[&str]| {
        groups
            .iter()
            .find(|g| {
                g.as_array()
                    .unwrap()
                    .iter()
                    .any(|p| p == &serde_json::json!(phrase))
            })
            .unwrap_or_else(|| panic!("no group has {phrase:?}: {groups:?}"))
            .clone()
    };
    assert_eq!(
        group(&["mbu"]),
        serde_json::json!([["mbu"], ["mother", "baby", "unit"]])
    );
    assert_eq!(
        group(&["health", "visitor"]),
        serde_json::json!([["health", "visitor"], ["health", "visiting"]])
    );
    assert!(meta["stop"].as_array().unwrap().contains(&"and".into()));
    // Each term file the index names exists, and no other.
    let keys: BTreeSet<String> = meta["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| format!("{}.js", k.as_str().unwrap()))
        .collect();
    let files: BTreeSet<String> = std::fs::read_dir(out.join("directory/search/t"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(keys, files);
}

#[test]
fn without_javascript_every_active_service_is_listed_by_area() {
    let (_dir, out) = build_shipped();
    let doc =
        Html::parse_document(&std::fs::read_to_string(out.join("directory/index.html")).unwrap());
    let form = doc.select(&sel("form#directory-search")).next().unwrap();
    assert!(
        form.value().attr("hidden").is_some(),
        "the search form appears only when the script runs"
    );
    let listed: BTreeSet<String> = doc
        .select(&sel("#full-list .service-card .card-title a"))
        .map(|a| {
            a.value()
                .attr("href")
                .unwrap()
                .trim_start_matches("../directory/")
                .trim_end_matches("/index.html")
                .to_string()
        })
        .collect();
    let ds = scopemap::commands::check_data(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))).0;
    for s in ds
        .services()
        .iter()
        .map(|s| &s.value)
        .filter(|s| s.status.value != "decommissioned")
    {
        assert!(
            listed.contains(&s.id.value),
            "{} is missing from the no-script list",
            s.id.value
        );
    }
    for area in ["sefton", "pennine-lancashire", "cheshire-west"] {
        let page = Html::parse_document(
            &std::fs::read_to_string(out.join(format!("directory/in/{area}/index.html"))).unwrap(),
        );
        assert!(
            page.select(&sel(".service-card")).count() > 0,
            "{area} lists services"
        );
    }
    let sefton = std::fs::read_to_string(out.join("directory/in/sefton/index.html")).unwrap();
    assert!(
        sefton.contains("Building Attachment and Bonds Service"),
        "services of the CCGs a Place succeeds are listed"
    );
    assert!(
        out.join("directory/type/parent-infant-mh-service/index.html")
            .is_file()
    );
}

#[test]
fn service_pages_carry_structured_data() {
    let (_dir, out) = build_shipped();
    let doc = Html::parse_document(
        &std::fs::read_to_string(out.join("directory/babs-mersey-care/index.html")).unwrap(),
    );
    let json: String = doc
        .select(&sel("script[type=\"application/ld+json\"]"))
        .next()
        .unwrap()
        .text()
        .collect();
    let data: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(data["@type"], "Service");
    assert_eq!(data["name"], "Building Attachment and Bonds Service");
    assert_eq!(data["provider"]["name"], "Mersey Care NHS Foundation Trust");
    let areas: Vec<&str> = data["areaServed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    // The 2022 report gives BABS the CCG areas of its time, not the later Places.
    assert_eq!(areas, ["Knowsley", "South Sefton", "Southport and Formby"]);
}

#[test]
fn a_stale_or_unfinished_service_says_so() {
    let site = common::site_with("stale-service");
    let out = site.path().join("public");
    let (code, log) = common::build(site.path(), &out, Audience::Public);
    assert_eq!(code, 0, "{log}");
    let doc = Html::parse_document(
        &std::fs::read_to_string(out.join("directory/alpha-babies/index.html")).unwrap(),
    );
    let warning: String = doc
        .select(&sel("p.warning"))
        .next()
        .expect("a stale warning")
        .text()
        .collect();
    // Built in September 2023, a service whose newest source is of May 2022.
    assert!(
        warning.contains("date from May 2022 (their newest source), more than 12 months ago"),
        "{warning}"
    );
    let status: String = doc
        .select(&sel("p.status"))
        .next()
        .expect("a status")
        .text()
        .collect();
    assert!(status.starts_with("In development"), "{status}");
    let fresh = common::site_with("");
    let out = fresh.path().join("public");
    assert_eq!(common::build(fresh.path(), &out, Audience::Public).0, 0);
    let doc = Html::parse_document(
        &std::fs::read_to_string(out.join("directory/alpha-babies/index.html")).unwrap(),
    );
    assert!(
        doc.select(&sel("p.warning")).next().is_none(),
        "checked within a year: no warning"
    );
}

#[test]
fn a_national_directory_page_links_each_area_list_instead_of_every_card() {
    // Over 2,000 services the directory page would run to megabytes: it counts each area's
    // services and links the area's own list, which still has every card.
    let (_dir, site) = common::synthetic(&scopemap::fixture::FixtureOptions {
        regions: 1,
        areas_per_region: 2,
        years: 2,
        services: 2100,
        seed: 3,
    });
    let out = site.join("public");
    let (code, log) = common::build(&site, &out, Audience::Public);
    assert_eq!(code, 0, "{log}");
    let doc =
        Html::parse_document(&std::fs::read_to_string(out.join("directory/index.html")).unwrap());
    assert_eq!(doc.select(&sel("#full-list .service-card")).count(), 0);
    let text: String = doc
        .select(&sel("#full-list"))
        .flat_map(|e| e.text())
        .collect();
    assert!(
        text.contains("too many services to show on one page"),
        "{text}"
    );

    // Every listed service is still on an area's list, reached from the directory page.
    let ds = scopemap::commands::check_data(&site).0;
    let listed = ds
        .services()
        .iter()
        .filter(|s| s.value.status.value != "decommissioned")
        .count();
    assert!(listed > 1500, "{listed} services listed");
    let mut on_lists = BTreeSet::new();
    let mut lists: Vec<String> = doc
        .select(&sel("#full-list a"))
        .filter_map(|a| a.value().attr("href"))
        .filter(|h| h.starts_with("../directory/in/"))
        .map(|h| h.trim_start_matches("../").to_string())
        .collect();
    assert!(!lists.is_empty());
    // Each list is cut into pages of at most 100 cards, each linking all the others.
    let mut seen = BTreeSet::new();
    while let Some(list) = lists.pop() {
        if !seen.insert(list.clone()) {
            continue;
        }
        let page = Html::parse_document(&std::fs::read_to_string(out.join(&list)).unwrap());
        let cards = page.select(&sel(".service-card .card-title a")).count();
        assert!((1..=100).contains(&cards), "{list}: {cards} cards");
        for a in page.select(&sel(".service-card .card-title a")) {
            on_lists.insert(a.value().attr("href").unwrap().to_string());
        }
        let depth = list.matches('/').count();
        for a in page.select(&sel("nav.pagination a")) {
            let href = a.value().attr("href").unwrap();
            lists.push(href.trim_start_matches(&"../".repeat(depth)).to_string());
        }
    }
    assert!(
        seen.iter().any(|l| l.ends_with("/2/index.html")),
        "no list has a second page: {seen:?}"
    );
    // A service across the whole region is on each of its areas' lists.
    let on_lists: BTreeSet<String> = on_lists
        .iter()
        .map(|h| h.trim_start_matches("../").to_string())
        .collect();
    assert_eq!(on_lists.len(), listed);
    // No page of the directory grows with it: the lists by type are cut too.
    for entry in walkdir::WalkDir::new(out.join("directory")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "html") {
            let size = entry.metadata().unwrap().len();
            assert!(size < 500_000, "{}: {size} bytes", entry.path().display());
        }
    }
    assert!(
        out.join("directory/type/health-visiting/2/index.html")
            .is_file()
    );

    // The region's latest report names its 2,000 services by type instead of describing
    // each in full, and links each name to the service's entry.
    let region = &ds.regions()[0].value.id.value;
    let latest = ds.years().into_iter().max().unwrap();
    let report =
        std::fs::read_to_string(out.join(format!("regions/{region}/{latest}/report/index.html")))
            .unwrap();
    assert!(
        report.contains("too many services to describe each in full here"),
        "{region} {latest}: the report does not say why it only names its services"
    );
    let doc = Html::parse_document(&report);
    let named = doc.select(&sel(".report-service-names a")).count();
    assert!(named >= listed, "{named} names for {listed} services");
}

/// Each service or programme the 2022 reports name that the directory leaves out is
/// recorded with the section that names it and a reason, and is not listed as well; those
/// the reports name for families to be referred to are listed, citing that section.
#[test]
fn what_the_reports_name_is_listed_or_left_out_with_a_reason() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let (ds, _) = scopemap::commands::check_data(root);
    let listed: BTreeSet<String> = ds
        .services()
        .iter()
        .map(|s| s.value.name.value.to_lowercase())
        .collect();
    let mut left_out = 0;
    for report in ds.reports.iter().map(|r| &r.value) {
        for entry in &report.not_in_directory {
            let name = &entry.name.value;
            assert!(
                report.has_section(&entry.section.value),
                "{name}: section {} is not in the contents of {}",
                entry.section.value,
                report.region.value
            );
            assert!(!entry.reason.value.trim().is_empty(), "{name}: no reason");
            assert!(
                !listed.contains(&name.to_lowercase()),
                "{name} is both listed and left out"
            );
            left_out += 1;
        }
    }
    assert!(left_out >= 2, "both reports record what they leave out");
    let cm = "2022/cheshire-and-merseyside";
    let lsc = "2022/lancashire-and-south-cumbria";
    for (id, report, section) in [
        ("family-nurse-partnership-wirral", cm, "2.5"),
        ("knowsley-universal-integrated-pathway", cm, "2.5"),
        ("liverpool-womens-neonatal-peer-support", cm, "2.5.2"),
        ("arrowe-park-neonatal-peer-support", cm, "2.5.2"),
        ("caring-dads-blackpool", lsc, "2.5.1"),
        ("east-lancashire-childrens-centre-psychologists", lsc, "2.4"),
    ] {
        let service = ds
            .services()
            .iter()
            .map(|s| &s.value)
            .find(|s| s.id.value == id)
            .unwrap_or_else(|| panic!("{id} is not listed"));
        assert!(
            service.sources.iter().any(|(_, source)| {
                source.report.as_ref().is_some_and(|r| r.value == report)
                    && source.section.as_ref().is_some_and(|s| s.value == section)
            }),
            "{id} does not cite {report} section {section}"
        );
    }
}

/// The reports say no neonatal service has a remit for the parent-infant relationship, and
/// rate no category for neonatal support: none is filed under a rated kind of provision.
#[test]
fn neonatal_support_is_filed_under_no_rated_category() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let (ds, _) = scopemap::commands::check_data(root);
    let neonatal: Vec<_> = ds
        .services()
        .iter()
        .map(|s| &s.value)
        .filter(|s| s.id.value.contains("neonatal"))
        .collect();
    assert!(neonatal.len() >= 5, "{}", neonatal.len());
    for s in neonatal {
        assert!(
            s.categories.is_empty() && s.not_categorised.is_some(),
            "{} is filed under {:?}",
            s.id.value,
            s.categories.iter().map(|c| &c.value).collect::<Vec<_>>()
        );
    }
}
