//! The annual cycle on fixture data for later years: next year's returns scaffolded from the
//! last, changes between years across a boundary change, trends, and need and targets.
//! (The shipped data stays the real 2022 returns; later years here are test fixtures.)

mod common;

use common::{sel, text};

use scopemap::analyse;
use scopemap::audience::Audience;
use scraper::Html;

/// A table row's cells, each as text, joined with spaces.
fn row(tr: scraper::ElementRef) -> String {
    tr.select(&sel("th, td"))
        .map(text)
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn new_year_carries_ratings_forward_and_never_overwrites() {
    let site = common::base_with("");
    let mut out = Vec::new();
    assert_eq!(
        scopemap::commands::new_year_command(site.path(), 2023, "north", &mut out),
        0,
        "{}",
        String::from_utf8_lossy(&out)
    );
    let file = site
        .path()
        .join("scoping-data/returns/2023/north/alphabeta.yaml");
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(written.contains("carried_forward: true"));
    assert!(
        written.contains("from Alpha (A), Beta (R); the lowest is shown"),
        "{written}"
    );
    let (ds, diagnostics) = scopemap::commands::check_data(site.path());
    assert_eq!(
        scopemap::diag::count_errors(&diagnostics),
        0,
        "{diagnostics:#?}"
    );
    let unconfirmed: Vec<_> = diagnostics.iter().filter(|d| d.code == "W090").collect();
    assert_eq!(
        unconfirmed.len(),
        3,
        "one warning per carried-forward rating"
    );
    assert_eq!(
        unconfirmed[0].file,
        "scoping-data/returns/2023/north/alphabeta.yaml"
    );
    let ret = ds
        .returns
        .iter()
        .map(|r| &r.value)
        .find(|r| r.year.value == 2023)
        .unwrap();
    assert_eq!(
        ret.rating("parent-infant").unwrap().rating.value,
        "R",
        "predecessors differed: the lowest, never an average"
    );
    assert_eq!(ret.rating("health-visiting").unwrap().rating.value, "G");

    std::fs::write(&file, "# edited by hand\n".to_string() + &written).unwrap();
    let mut out = Vec::new();
    assert_eq!(
        scopemap::commands::new_year_command(site.path(), 2023, "north", &mut out),
        0
    );
    assert!(
        String::from_utf8_lossy(&out).contains("kept"),
        "existing returns are kept"
    );
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .starts_with("# edited by hand")
    );

    let site_dir = common::site_with("");
    let mut sink = Vec::new();
    scopemap::commands::new_year_command(site_dir.path(), 2023, "north", &mut sink);
    let public = site_dir.path().join("public");
    let (code, log) = common::build(site_dir.path(), &public, Audience::Public);
    assert_eq!(code, 0, "{log}");
    let page = std::fs::read_to_string(public.join("regions/north/2023/index.html")).unwrap();
    assert_eq!(
        page.matches("(unconfirmed)").count(),
        3,
        "unconfirmed ratings are shown as such"
    );
}

#[test]
fn changes_across_a_boundary_change_show_each_predecessor() {
    let site = common::base_with("multi-year");
    let (ds, diagnostics) = scopemap::commands::check_data(site.path());
    assert_eq!(
        scopemap::diag::count_errors(&diagnostics),
        0,
        "{diagnostics:#?}"
    );
    let fw = ds.framework().unwrap();
    let region = ds.region("north").unwrap();
    let m2022 = analyse::matrix(&ds, fw, region, 2022);
    let m2023 = analyse::matrix(&ds, fw, region, 2023);
    let m2024 = analyse::matrix(&ds, fw, region, 2024);

    let c = analyse::change_matrix(region, &m2022, &m2023);
    let row = &c.rows[0];
    assert!(row.boundary_changed);
    let statuses: Vec<&str> = row.changes.iter().map(|c| c.status.as_str()).collect();
    assert_eq!(statuses, ["boundary", "unchanged", "boundary"]);
    let before: Vec<(String, String)> = row.changes[0]
        .before
        .iter()
        .map(|(a, c)| (a.clone(), c.code.clone()))
        .collect();
    assert_eq!(
        before,
        [
            ("Alpha".to_string(), "A".to_string()),
            ("Beta CCG".to_string(), "R".to_string())
        ]
    );
    assert_eq!(
        c.no_longer_assessed,
        [
            "Alpha is now part of Alphabeta.",
            "Beta CCG is now part of Alphabeta."
        ]
    );

    let c = analyse::change_matrix(region, &m2023, &m2024);
    let statuses: Vec<&str> = c.rows[0]
        .changes
        .iter()
        .map(|c| c.status.as_str())
        .collect();
    assert_eq!(statuses, ["worsened", "unchanged", "improved"]);
    assert_eq!(c.phrase, "1 improved, 1 worsened, 1 unchanged");
}

#[test]
fn pages_show_changes_trends_and_need() {
    let site = common::site_with("multi-year");
    let out = site.path().join("public");
    let (code, log) = common::build(site.path(), &out, Audience::Public);
    assert_eq!(code, 0, "{log}");
    assert!(
        log.contains("warning[W094]"),
        "the stated target that does not reconcile is reported: {log}"
    );

    let region = Html::parse_document(
        &std::fs::read_to_string(out.join("regions/north/2024/index.html")).unwrap(),
    );
    let heading = text(
        region
            .select(&sel("#changes"))
            .next()
            .expect("a changes section"),
    );
    assert_eq!(heading, "Changes since 2023");
    let cells: Vec<String> = region.select(&sel("table.changes td")).map(text).collect();
    assert_eq!(
        cells,
        ["↓ Worsened G → A", "→ Unchanged G → G", "↑ Improved A → G"]
    );
    let need: Vec<String> = region
        .select(&sel("table.need tbody tr"))
        .map(row)
        .collect();
    assert_eq!(need[1], "Need (6.5% of all) 650 650");
    assert_eq!(need[4], "Initial target (35% of need) 300 298");
    let mismatch = text(region.select(&sel("ul.mismatches li")).next().unwrap());
    assert_eq!(
        mismatch,
        "The stated initial target of 300 is not 35% of a total need of 850, which is 298 (off by 2)."
    );

    let area = Html::parse_document(
        &std::fs::read_to_string(out.join("areas/alphabeta/index.html")).unwrap(),
    );
    let trend: Vec<String> = area.select(&sel("table.trend tbody tr")).map(row).collect();
    assert!(
        trend[0].contains("Alpha: A; Beta CCG: R"),
        "each predecessor's rating: {trend:?}"
    );
    assert!(
        trend[0].ends_with("so there is no single trend."),
        "{trend:?}"
    );
    assert!(
        trend[1].ends_with("Full provision in every year from 2022 to 2024."),
        "{trend:?}"
    );
    let notes: String = area.select(&sel("p.note")).map(text).collect();
    assert!(notes.contains("The boundary changed"), "{notes}");

    let category = Html::parse_document(
        &std::fs::read_to_string(out.join("categories/family-hubs/index.html")).unwrap(),
    );
    let trend = text(category.select(&sel("ul.trends li")).next().unwrap());
    assert!(
        trend.ends_with("Areas with full provision: 0 of 2 in 2022, 1 of 1 in 2024."),
        "{trend}"
    );

    let csv = std::fs::read_to_string(out.join("data/need.csv")).unwrap();
    assert!(
        csv.lines().nth(1).unwrap().starts_with(
            "north,,2020,10000,4000,6.5,5,35,650,200,850,298,650,200,850,300,initial_target"
        ),
        "{csv}"
    );
}

#[test]
fn with_one_year_there_is_no_trend_yet() {
    let site = common::site_with("");
    let out = site.path().join("public");
    assert_eq!(common::build(site.path(), &out, Audience::Public).0, 0);
    let area = std::fs::read_to_string(out.join("areas/alpha-ccg/index.html")).unwrap();
    assert!(area.contains("There is only one year of returns, so there is no trend yet."));
    let category = Html::parse_document(
        &std::fs::read_to_string(out.join("categories/family-hubs/index.html")).unwrap(),
    );
    assert!(
        text(category.select(&sel("ul.trends li")).next().unwrap())
            .ends_with("Only one year of returns: no trend yet.")
    );
}
