//! Service pages state only what a source states: every fact row shown cites a source that
//! the service's file names and cites for that fact, a fact the file leaves out is "Not
//! stated" or not shown, and a closed service shows only what it was.

mod common;

use common::{sel, text};
use scopemap::audience::Audience;
use scopemap::model::{FACTS, Service};
use scraper::{ElementRef, Html};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn build(root: &Path) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let (code, log) = common::build(root, &out, Audience::Public);
    assert_eq!(code, 0, "{log}");
    (dir, out)
}

fn page(out: &Path, id: &str) -> Html {
    Html::parse_document(
        &std::fs::read_to_string(out.join(format!("directory/{id}/index.html"))).unwrap(),
    )
}

/// The source keys a row's references point at, from their `#source-<key>` links.
fn cited_keys(row: ElementRef) -> Vec<String> {
    row.select(&sel("sup.cite a"))
        .map(|a| {
            a.value()
                .attr("href")
                .unwrap()
                .strip_prefix("#source-")
                .expect("a reference links to the sources list")
                .to_string()
        })
        .collect()
}

/// The row's value as read, without its references.
fn value_text(row: ElementRef) -> String {
    let value = row
        .select(&sel("dd"))
        .next()
        .unwrap_or(row)
        .text()
        .collect::<String>();
    let mut shown = value.split_whitespace().collect::<Vec<_>>().join(" ");
    for r in row.select(&sel("sup.cite")).map(text) {
        shown = shown.replace(&r, "");
    }
    shown.trim().to_string()
}

/// What the page should say for a stated cost or referral route, written out here rather
/// than taken from the program.
fn expected_value(s: &Service, fact: &str) -> Option<String> {
    match fact {
        "cost" => s.cost.as_ref().map(|c| {
            match c.value.as_str() {
                "free" => "Free",
                "charge" => "There may be a charge",
                other => panic!("cost {other}"),
            }
            .to_string()
        }),
        "referral" => Some(
            s.referral
                .iter()
                .map(|r| match r.value.as_str() {
                    "self" => "Self-referral welcome",
                    "professional" => "Professional referral",
                    other => panic!("referral {other}"),
                })
                .collect::<Vec<_>>()
                .join("; "),
        ),
        "organization" => s.organization.as_ref().map(|o| o.name.value.clone()),
        _ => None,
    }
}

/// Facts a closed service's page never shows: how to get it, what it costs, contact.
const NOT_FOR_A_CLOSED_SERVICE: &[&str] = &[
    "age_groups",
    "eligibility",
    "delivery",
    "referral",
    "how_to_access",
    "cost",
    "funding",
    "url",
    "email",
    "phone",
];

/// Checks one service's page against its file; returns how many fact rows were traced.
fn check_page(doc: &Html, s: &Service) -> usize {
    let id = &s.id.value;
    let keys: Vec<&str> = s.sources.iter().map(|(k, _)| k.value.as_str()).collect();
    let listed: Vec<String> = doc
        .select(&sel("ol.sources > li"))
        .map(|li| {
            li.value()
                .attr("id")
                .unwrap()
                .trim_start_matches("source-")
                .to_string()
        })
        .collect();
    assert_eq!(listed, keys, "{id}: the sources list is the file's sources");
    let mut traced = 0;
    let mut shown = BTreeSet::new();
    for row in doc.select(&sel("[data-fact]")) {
        let fact = row.value().attr("data-fact").unwrap();
        assert!(FACTS.contains(&fact), "{id}: unknown fact row {fact}");
        shown.insert(fact.to_string());
        if row.select(&sel(".not-stated")).next().is_some() {
            assert!(
                !s.states(fact),
                "{id}: {fact} is stated but shown as not stated"
            );
            assert_eq!(value_text(row), "Not stated", "{id}: {fact}");
            assert!(cited_keys(row).is_empty(), "{id}: a source for nothing");
            continue;
        }
        assert!(
            s.states(fact),
            "{id}: the page shows {fact} ({}), which the file does not state",
            value_text(row)
        );
        let cited = cited_keys(row);
        assert!(!cited.is_empty(), "{id}: {fact} is shown with no source");
        let cited_in_file: Vec<&str> = s
            .sources_of(fact)
            .iter()
            .map(|k| k.value.as_str())
            .collect();
        for key in &cited {
            assert!(
                keys.contains(&key.as_str()),
                "{id}: {fact} cites {key}, not a source of the file"
            );
            assert!(
                cited_in_file.contains(&key.as_str()),
                "{id}: {fact} cites {key}, which the file does not cite for {fact}"
            );
        }
        if let Some(expected) = expected_value(s, fact) {
            assert_eq!(value_text(row), expected, "{id}: {fact}");
        }
        traced += 1;
    }
    if s.is_closed() {
        for fact in NOT_FOR_A_CLOSED_SERVICE {
            assert!(!shown.contains(*fact), "{id} is closed but shows {fact}");
        }
        assert!(
            doc.select(&sel("#contact")).next().is_none(),
            "{id}: contact"
        );
    } else {
        // Who can refer and what it costs are always answered, if only with "Not stated".
        for fact in ["referral", "cost"] {
            assert!(shown.contains(fact), "{id}: no {fact} row");
        }
    }
    let body: String = doc.root_element().text().collect();
    assert!(
        !body.contains("Ask your health visitor, midwife or GP"),
        "{id}: advice no source gives"
    );
    traced
}

#[test]
fn every_fact_on_every_shipped_service_page_traces_to_its_source() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (_dir, out) = build(root);
    let ds = scopemap::commands::check_data(root).0;
    let mut traced = 0;
    for s in ds.services() {
        traced += check_page(&page(&out, &s.value.id.value), &s.value);
    }
    // Most services state their areas, ages, status and a few more; many name no provider.
    assert!(
        traced > ds.services().len() * 4,
        "only {traced} fact rows traced"
    );
    // A provider no source names is shown as not stated, never filled in.
    let unnamed: Vec<&str> = ds
        .services()
        .iter()
        .filter(|s| s.value.organization.is_none())
        .map(|s| s.value.id.value.as_str())
        .collect();
    assert!(unnamed.len() >= 20, "{unnamed:?}");
    for id in unnamed {
        let doc = page(&out, id);
        let row = doc.select(&sel("[data-fact=organization]")).next().unwrap();
        assert_eq!(value_text(row), "Not stated", "{id}");
    }
}

#[test]
fn absent_facts_are_not_stated_and_a_closed_service_shows_what_it_was() {
    let site = common::site_with("not-stated");
    let (_dir, out) = build(site.path());
    let ds = scopemap::commands::check_data(site.path()).0;
    for s in ds.services() {
        check_page(&page(&out, &s.value.id.value), &s.value);
    }

    // Nothing about referral, cost or funding is stated: the page says so, with no default.
    let doc = page(&out, "alpha-babies");
    let rows: Vec<(String, String)> = doc
        .select(&sel("dl.facts > div"))
        .map(|row| {
            (
                text(row.select(&sel("dt")).next().unwrap()),
                value_text(row),
            )
        })
        .collect();
    for label in [
        "Ages",
        "How it is delivered",
        "Who can refer",
        "Cost",
        "Funding",
    ] {
        assert!(
            rows.contains(&(label.to_string(), "Not stated".to_string())),
            "{label}: {rows:?}"
        );
    }
    let labels: Vec<&str> = rows.iter().map(|(l, _)| l.as_str()).collect();
    assert!(!labels.contains(&"Who it is for"), "{labels:?}");
    assert!(!labels.contains(&"How to get it"), "{labels:?}");
    let body: String = doc.root_element().text().collect();
    assert!(!body.contains("Professional referral"), "a default route");
    assert!(!body.contains("Free"), "a default cost");
    let contact = text(doc.select(&sel("#contact + p")).next().unwrap());
    assert!(contact.starts_with("Not stated"), "{contact}");
    // A return is named by year and area; a section by number, title and page.
    let sources: Vec<String> = doc.select(&sel("ol.sources > li")).map(text).collect();
    assert_eq!(
        sources,
        [
            "Test scoping report for the North Region, version 1.0, May 2022: section 2.1, “Parent-infant services” (page 4).",
            "The 2022 return for Alpha.",
        ]
    );
    let areas = doc
        .select(&sel("[data-fact=areas] sup.cite a"))
        .map(text)
        .collect::<Vec<_>>();
    assert_eq!(areas, ["[1]", "[2]"]);

    // The closed pilot: who ran it, where, what it offered, when it closed, its sources.
    let doc = page(&out, "alpha-closed");
    let labels: Vec<String> = doc.select(&sel("dl.facts > div > dt")).map(text).collect();
    assert_eq!(
        labels,
        [
            "Provided by",
            "Where",
            "What it offered",
            "Type of service",
            "Status"
        ]
    );
    let status = doc.select(&sel("[data-fact=status]")).next().unwrap();
    assert_eq!(value_text(status), "Closed (March 2021)");
    let note = text(doc.select(&sel("p.status")).next().unwrap());
    assert!(note.contains("closed (March 2021)"), "{note}");
    let body: String = doc.root_element().text().collect();
    for hidden in [
        "0151 555 0199",
        "pilot@example.org",
        "Ring the team",
        "Self-referral",
    ] {
        assert!(!body.contains(hidden), "a closed service shows {hidden}");
    }
    let sources: Vec<String> = doc.select(&sel("ol.sources > li")).map(text).collect();
    assert_eq!(
        sources,
        [
            "Test scoping report for the North Region, version 1.0, May 2022: Text box 1, “The Alpha Babies Team at home”.",
            "https://example.org/pilot, read on 1 February 2021.",
        ]
    );
    let json: String = doc
        .select(&sel("script[type=\"application/ld+json\"]"))
        .next()
        .unwrap()
        .text()
        .collect();
    let data: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(data.get("url").is_none() && data["provider"].get("telephone").is_none());
    assert!(data.get("isAccessibleForFree").is_none());
}

#[test]
fn the_directory_filters_offer_not_stated_and_count_no_unstated_cost_as_free() {
    let site = common::site_with("not-stated");
    let (_dir, out) = build(site.path());
    let doc =
        Html::parse_document(&std::fs::read_to_string(out.join("directory/index.html")).unwrap());
    for filter in ["f-referral", "f-cost"] {
        let options: Vec<(String, String)> = doc
            .select(&sel(&format!("#{filter} option")))
            .map(|o| (o.value().attr("value").unwrap().to_string(), text(o)))
            .collect();
        assert!(
            options.contains(&("not-stated".to_string(), "Not stated".to_string())),
            "{filter}: {options:?}"
        );
    }
    let docs = common::search_docs(&out);
    let alpha = docs.iter().position(|s| s["id"] == "alpha-babies").unwrap();
    // No cost or referral stated: none shown, and only "Not stated" finds it.
    assert!(docs[alpha].get("cost").is_none(), "{}", docs[alpha]);
    assert_eq!(docs[alpha]["f"], serde_json::json!([]));
    assert!(common::search_filter(&out, "cost", "not-stated").contains(&alpha));
    assert!(common::search_filter(&out, "referral", "not-stated").contains(&alpha));
    let meta = common::search_file(&out, "meta");
    assert!(
        meta["filters"]["cost"]
            .as_array()
            .unwrap()
            .contains(&"not-stated".into())
    );
}
