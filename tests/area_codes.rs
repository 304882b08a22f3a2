//! ONS codes with the years they are valid: the shipped codes, and every page and export
//! showing the code valid in the year it is about.

mod common;

use common::{sel, text};
use scopemap::audience::Audience;
use scraper::Html;

#[test]
fn shipped_codes_follow_the_ons_changes_of_april_2018() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let (ds, diagnostics) = scopemap::commands::check_data(root);
    assert!(
        !diagnostics
            .iter()
            .any(|d| d.code.starts_with("E16") || d.code == "W160"),
        "{diagnostics:#?}"
    );
    let code = |area: &str, year: u16| {
        let (_, a) = ds.area(area).unwrap();
        a.ons_code_in(year).map(str::to_string)
    };
    assert_eq!(code("fylde-wyre-ccg", 2022).as_deref(), Some("E38000226"));
    assert_eq!(
        code("greater-preston-ccg", 2022).as_deref(),
        Some("E38000227")
    );
    assert_eq!(
        code("morecambe-bay-ccg", 2022).as_deref(),
        Some("E38000228")
    );
    assert_eq!(
        code("morecambe-bay-ccg", 2018).as_deref(),
        Some("E38000228")
    );
    assert_eq!(
        code("morecambe-bay-ccg", 2017).as_deref(),
        Some("E38000216")
    );
    // The codes before the 2018 boundary change are not recorded: not stated, not guessed.
    assert_eq!(code("fylde-wyre-ccg", 2017), None);
    assert_eq!(code("greater-preston-ccg", 2017), None);
    // Every area rated in 2022 has its code for 2022.
    for r in ds.returns.iter().filter(|r| r.value.year.value == 2022) {
        assert!(
            code(&r.value.area.value, 2022).is_some(),
            "{} has no code for 2022",
            r.value.area.value
        );
    }
}

/// The multi-year fixture with the Place's code changed between its two years of returns.
fn changed_code_site() -> tempfile::TempDir {
    let site = common::site_with("multi-year");
    let path = site.path().join("scoping-data/regions/north.yaml");
    let region = std::fs::read_to_string(&path).unwrap();
    let changed = region.replace(
        "    ons_code: E06900001\n",
        "    ons_codes:\n      - code: E06900001\n        until: 2023\n      - code: E06900004\n        from: 2024\n",
    );
    assert_ne!(region, changed);
    std::fs::write(&path, changed).unwrap();
    site
}

#[test]
fn each_year_shows_the_code_valid_that_year() {
    let site = changed_code_site();
    let out = site.path().join("public");
    let (code, log) = common::build(site.path(), &out, Audience::Public);
    assert_eq!(code, 0, "{log}");
    assert!(!log.contains("W160"), "{log}");

    let mut reader = csv::Reader::from_path(out.join("data/provision.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (year, area, area_code) = (col("year"), col("area_id"), col("area_code"));
    let mut codes = std::collections::BTreeSet::new();
    for rec in reader.records() {
        let rec = rec.unwrap();
        codes.insert((
            rec[year].to_string(),
            rec[area].to_string(),
            rec[area_code].to_string(),
        ));
    }
    let expected: std::collections::BTreeSet<(String, String, String)> = [
        ("2022", "alpha-ccg", "E38900001"),
        ("2022", "beta-ccg", "E38900002"),
        ("2023", "alphabeta", "E06900001"),
        ("2024", "alphabeta", "E06900004"),
    ]
    .iter()
    .map(|(y, a, c)| (y.to_string(), a.to_string(), c.to_string()))
    .collect();
    assert_eq!(codes, expected);

    let page = std::fs::read_to_string(out.join("areas/alphabeta/index.html")).unwrap();
    let doc = Html::parse_document(&page);
    let lead = text(doc.select(&sel("p.lead")).next().unwrap());
    assert!(
        lead.ends_with("ONS codes E06900001 (2023), E06900004 (from 2024)."),
        "{lead}"
    );
    let page = std::fs::read_to_string(out.join("areas/alpha-ccg/index.html")).unwrap();
    let doc = Html::parse_document(&page);
    let lead = text(doc.select(&sel("p.lead")).next().unwrap());
    assert!(lead.ends_with("ONS code E38900001."), "{lead}");
}

#[test]
fn the_open_referral_feed_gives_an_area_its_latest_code() {
    let site = changed_code_site();
    let (ds, diagnostics) = scopemap::commands::check_data(site.path());
    assert_eq!(
        scopemap::diag::count_errors(&diagnostics),
        0,
        "{diagnostics:#?}"
    );
    let files = scopemap::oruk::export_files(&ds);
    let all: String = files
        .iter()
        .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
        .collect();
    assert!(all.contains("statistical-geography/E06900004"), "{all}");
    assert!(!all.contains("statistical-geography/E06900001"), "{all}");
    assert!(all.contains("statistical-geography/E38900001"), "{all}");
}
