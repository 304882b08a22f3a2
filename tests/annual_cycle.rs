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

fn new_year(root: &std::path::Path, year: u16) -> String {
    let mut out = Vec::new();
    let code = scopemap::commands::new_year_command(root, year, "north", &mut out);
    let out = String::from_utf8(out).unwrap();
    assert_eq!(code, 0, "{out}");
    out
}

#[test]
fn new_year_writes_returns_awaiting_their_form_and_never_overwrites() {
    let site = common::base_with("");
    new_year(site.path(), 2023);
    let file = site
        .path()
        .join("scoping-data/returns/2023/north/alphabeta.yaml");
    let written = std::fs::read_to_string(&file).unwrap();
    let (ds, diagnostics) = scopemap::commands::check_data(site.path());
    assert_eq!(
        scopemap::diag::count_errors(&diagnostics),
        0,
        "{diagnostics:#?}"
    );
    assert!(
        !diagnostics.iter().any(|d| d.code == "W090"),
        "a return awaiting its form is not a set of unconfirmed findings: {diagnostics:#?}"
    );
    let ret = ds
        .returns
        .iter()
        .map(|r| &r.value)
        .find(|r| r.year.value == 2023)
        .unwrap();
    assert!(ret.is_awaiting(), "{written}");
    assert_eq!(ret.submission.status.value, "awaiting-return");

    // Alpha A and Beta R: no rating is invented, each predecessor is kept as context.
    assert!(ret.rating("parent-infant").is_none(), "{written}");
    type Context = (String, u16, String, Option<String>, Vec<String>);
    let context: Vec<Context> = ret
        .predecessor_ratings("parent-infant")
        .iter()
        .map(|e| {
            (
                e.area.value.clone(),
                e.year.value,
                e.rating.value.clone(),
                e.note.as_ref().map(|n| n.value.clone()),
                e.evidence.iter().map(|x| x.value.clone()).collect(),
            )
        })
        .collect();
    assert_eq!(
        context,
        [
            (
                "alpha-ccg".to_string(),
                2022,
                "A".to_string(),
                Some("One small team.".to_string()),
                vec!["alpha-babies".to_string()]
            ),
            ("beta-ccg".to_string(), 2022, "R".to_string(), None, vec![]),
        ]
    );
    assert!(ret.rating("family-hubs").is_none());
    assert_eq!(ret.predecessor_ratings("family-hubs").len(), 2);

    // Both predecessors G: carried forward, saying from where.
    let hv = ret.rating("health-visiting").unwrap();
    assert_eq!(hv.rating.value, "G");
    assert!(hv.carried_forward);
    let from: Vec<(u16, &str)> = hv
        .carried_from
        .iter()
        .map(|c| (c.year.value, c.area.value.as_str()))
        .collect();
    assert_eq!(from, [(2022, "alpha-ccg"), (2022, "beta-ccg")]);

    std::fs::write(&file, "# edited by hand\n".to_string() + &written).unwrap();
    let out = new_year(site.path(), 2023);
    assert!(out.contains("kept"), "existing returns are kept: {out}");
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .starts_with("# edited by hand")
    );
}

#[test]
fn new_year_never_copies_a_copy() {
    let site = common::base_with("");
    new_year(site.path(), 2023);
    new_year(site.path(), 2024);
    let (ds, diagnostics) = scopemap::commands::check_data(site.path());
    assert_eq!(
        scopemap::diag::count_errors(&diagnostics),
        0,
        "{diagnostics:#?}"
    );
    let y2024 = ds
        .returns
        .iter()
        .map(|r| &r.value)
        .find(|r| r.year.value == 2024)
        .unwrap();
    let hv = y2024.rating("health-visiting").unwrap();
    let from: Vec<(u16, &str)> = hv
        .carried_from
        .iter()
        .map(|c| (c.year.value, c.area.value.as_str()))
        .collect();
    assert_eq!(
        from,
        [(2022, "alpha-ccg"), (2022, "beta-ccg")],
        "the 2023 copy is not a source; the 2022 returns are"
    );
    assert_eq!(y2024.predecessor_ratings("parent-infant").len(), 2);

    // Once 2023 is returned, 2024 carries that forward, from Alphabeta itself.
    let file = site
        .path()
        .join("scoping-data/returns/2023/north/alphabeta.yaml");
    std::fs::write(
        &file,
        "year: 2023\nregion: north\narea: alphabeta\nsubmission:\n  status: received\n\
         ratings:\n  parent-infant: B\n  health-visiting:\n    rating: A\n    note: Fewer visits.\n  family-hubs: G\n",
    )
    .unwrap();
    std::fs::remove_file(
        site.path()
            .join("scoping-data/returns/2024/north/alphabeta.yaml"),
    )
    .unwrap();
    new_year(site.path(), 2024);
    let text = std::fs::read_to_string(
        site.path()
            .join("scoping-data/returns/2024/north/alphabeta.yaml"),
    )
    .unwrap();
    assert!(!text.contains("predecessor_ratings"), "{text}");
    assert!(
        text.contains(
            "  health-visiting:\n    rating: \"A\"\n    note: \"Fewer visits.\"\n    carried_forward: true\n    carried_from:\n      - year: 2023\n        area: \"alphabeta\"\n"
        ),
        "{text}"
    );
}

#[test]
fn earlier_ratings_must_point_back_along_the_lineage() {
    let site = common::base_with("");
    let file = site
        .path()
        .join("scoping-data/returns/2023/north/alphabeta.yaml");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(
        &file,
        "year: 2023\nregion: north\narea: alphabeta\nsubmission:\n  status: awaiting-return\n\
         ratings:\n  health-visiting:\n    rating: G\n    carried_forward: true\n    carried_from:\n      - year: 2023\n        area: gamma\n",
    )
    .unwrap();
    let (_, diagnostics) = scopemap::commands::check_data(site.path());
    let found: Vec<(usize, usize, &str)> = diagnostics
        .iter()
        .filter(|d| d.code == "E140")
        .map(|d| (d.line, d.column, d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                11,
                15,
                "the earlier rating of `health-visiting` names 2023, which is not before the return's year 2023"
            ),
            (
                12,
                15,
                "the earlier rating of `health-visiting` names area `gamma`, which is not `alphabeta` or an area it succeeds"
            ),
        ],
        "{diagnostics:#?}"
    );
    assert!(
        !diagnostics.iter().any(|d| d.code == "E012"),
        "a return awaiting its form may leave ratings unset"
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

/// The text of every element matching `selector` on a built page.
fn texts(out: &std::path::Path, page: &str, selector: &str) -> Vec<String> {
    let html = Html::parse_document(&std::fs::read_to_string(out.join(page)).unwrap());
    html.select(&sel(selector)).map(text).collect()
}

/// Each table row matching `selector`, its cells' texts joined with spaces.
fn rows(out: &std::path::Path, page: &str, selector: &str) -> Vec<String> {
    let html = Html::parse_document(&std::fs::read_to_string(out.join(page)).unwrap());
    html.select(&sel(selector)).map(row).collect()
}

/// The rows of `data/provision.csv` of one year, as text lines.
fn csv_rows(out: &std::path::Path, year: &str) -> Vec<String> {
    std::fs::read_to_string(out.join("data/provision.csv"))
        .unwrap()
        .lines()
        .filter(|l| l.starts_with(&format!("{year},")))
        .map(str::to_string)
        .collect()
}

#[test]
fn returns_awaiting_their_form_are_never_published_as_ratings() {
    let site = common::site_with("");
    let before = site.path().join("before");
    assert_eq!(common::build(site.path(), &before, Audience::Public).0, 0);
    new_year(site.path(), 2023);
    let out = site.path().join("public");
    let (code, log) = common::build(site.path(), &out, Audience::Public);
    assert_eq!(code, 0, "{log}");
    assert_eq!(
        csv_rows(&out, "2023"),
        [
            "2023,north,North Region,alphabeta,Alphabeta,E06900001,parent-infant,Parent Infant MH Service,,,,no,awaiting return",
            "2023,north,North Region,alphabeta,Alphabeta,E06900001,health-visiting,Health Visiting,,,,no,awaiting return",
            "2023,north,North Region,alphabeta,Alphabeta,E06900001,family-hubs,Family Hubs,,,,no,awaiting return",
        ]
    );
    assert_eq!(csv_rows(&out, "2022"), csv_rows(&before, "2022"));
    assert_eq!(
        csv_rows(&out, "2022")[1],
        "2022,north,North Region,alpha-ccg,Alpha,E38900001,health-visiting,Health Visiting,G,Full provision,,yes,returned"
    );
    let page = "regions/north/2023/index.html";
    assert_eq!(
        texts(&out, page, "table.matrix tbody td"),
        [
            "Parent Infant MH Service: … Awaiting return — 2022: A in Alpha, R in Beta",
            "Health Visiting: … Awaiting return — 2022: G in Alpha, G in Beta",
            "Family Hubs: … Awaiting return — 2022: R in Alpha, B in Beta",
        ]
    );
    assert_eq!(
        texts(&out, page, "table.matrix tbody td.rating-awaiting").len(),
        3,
        "awaited cells carry no rating class"
    );
    assert_eq!(
        texts(&out, page, "ul.gaps li"),
        ["No area in North Region has returned its 2023 ratings yet (1 area awaited)."]
    );
    assert_eq!(
        texts(&out, page, "table.counts tbody td:last-child"),
        [
            "0 full, 0 some, 0 none, 1 awaiting return",
            "0 full, 0 some, 0 none, 1 awaiting return",
            "0 full, 0 some, 0 none, 1 awaiting return"
        ]
    );
    let changes = texts(&out, page, "#changes ~ p");
    assert_eq!(changes[0], "Compared with 2022: 3 awaiting return.");
    assert_eq!(
        texts(&out, page, "table.changes td")[0],
        "… Awaiting return — 2022: A in Alpha, R in Beta",
        "the change table names the last confirmed ratings as every other page does"
    );
    assert_eq!(
        texts(&out, page, "table.returns tbody td")[0],
        "Awaiting return"
    );
    let maps = texts(&out, page, ".maps svg a title");
    assert_eq!(
        maps[1..],
        [
            "Alphabeta: Awaiting return — 2022: A in Alpha, R in Beta",
            "Alphabeta: Awaiting return — 2022: G in Alpha, G in Beta",
            "Alphabeta: Awaiting return — 2022: R in Alpha, B in Beta",
        ]
    );

    let area = "areas/alphabeta/index.html";
    assert!(
        texts(&out, area, "#gaps").is_empty(),
        "no gaps are drawn from a return still awaited"
    );
    let caption = texts(&out, area, "table.history caption");
    assert_eq!(
        caption.last().unwrap(),
        "Alphabeta, 2023 (awaiting return: no 2023 rating is published yet)"
    );
    let history = rows(&out, area, "table.history tbody tr");
    assert_eq!(
        history.last().unwrap(),
        "Family Hubs … Awaiting return — 2022: R in Alpha, B in Beta ",
        "the awaited cell names the last confirmed ratings, and its note is empty"
    );
    let trend = rows(&out, area, "table.trend tbody tr");
    assert_eq!(
        trend[1],
        "Health Visiting Alpha: G; Beta CCG: G Awaiting return — 2022: G in Alpha, G in Beta Only one year of returns: no trend yet."
    );

    // Until the 2023 report has its facts file, the 2022 report stays the latest one and
    // keeps the full service entries.
    assert!(
        !texts(
            &out,
            "regions/north/2022/report/index.html",
            ".report-service h4"
        )
        .is_empty()
    );
    assert!(
        texts(
            &out,
            "regions/north/2023/report/index.html",
            ".report-service h4"
        )
        .is_empty()
    );

    let category = "categories/family-hubs/index.html";
    assert_eq!(
        rows(&out, category, "table.category-areas tbody tr"),
        ["Alphabeta … Awaiting return — 2022: R in Alpha, B in Beta "]
    );
    assert!(
        texts(&out, category, "ul.trends li")[0]
            .ends_with("Only one year of returns: no trend yet."),
        "a year nobody returned is not a year of the trend"
    );
}

#[test]
fn an_unconfirmed_rating_in_a_return_is_awaited_and_counted_nowhere() {
    let site = common::site_with("");
    let file = site
        .path()
        .join("scoping-data/returns/2023/north/alphabeta.yaml");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(
        &file,
        "year: 2023\nregion: north\narea: alphabeta\nsubmission:\n  status: received\nratings:\n  parent-infant: A\n  health-visiting:\n    rating: G\n    carried_forward: true\n    carried_from:\n      - year: 2022\n        area: alpha-ccg\n  family-hubs: G\n",
    )
    .unwrap();
    let out = site.path().join("public");
    let (code, log) = common::build(site.path(), &out, Audience::Public);
    assert_eq!(code, 0, "{log}");
    assert!(log.contains("warning[W090]"), "{log}");
    let page = "regions/north/2023/index.html";
    assert_eq!(
        texts(&out, page, "ul.gaps li"),
        [
            "No area in North Region has full provision of Parent Infant MH Service: 1 of 1 has some provision.",
            "No area in North Region has returned its rating of Health Visiting yet (1 area awaited).",
        ]
    );
    assert_eq!(
        texts(&out, page, "ul.full-provision li"),
        ["Every area in North Region has full provision of Family Hubs."]
    );
    assert_eq!(
        texts(&out, page, "table.matrix tbody td")[1],
        "Health Visiting: … Awaiting return — 2022: G in Alpha, G in Beta"
    );
    let area = "areas/alphabeta/index.html";
    assert_eq!(
        texts(&out, area, "#gaps ~ p.note")[0],
        "1 type of service is awaiting Alphabeta's return for 2023 and is left out."
    );
    assert_eq!(
        rows(&out, area, "table.compare tbody tr")[1],
        "Health Visiting … Awaiting return — 2022: G in Alpha, G in Beta 0 0 0 Not compared: awaiting return."
    );
}

#[test]
fn a_public_build_can_leave_out_years_nobody_has_returned() {
    let site = common::site_with("");
    let settings = site.path().join("scopemap.yaml");
    let text = std::fs::read_to_string(&settings).unwrap();
    std::fs::write(&settings, text + "publish_unconfirmed: false\n").unwrap();
    // A page whose matrix names no year shows the latest the site publishes.
    let page = site.path().join("content/about.md");
    let about = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        about.replace(
            "{{ matrix(region=\"north\", year=2022) }}",
            "{{ matrix(region=\"north\") }}",
        ),
    )
    .unwrap();
    new_year(site.path(), 2023);
    let out = site.path().join("public");
    let (code, log) = common::build(site.path(), &out, Audience::Public);
    assert_eq!(code, 0, "{log}");
    assert!(!out.join("regions/north/2023").exists());
    assert!(csv_rows(&out, "2023").is_empty());
    assert!(
        !std::fs::read_to_string(out.join("data/provision.json"))
            .unwrap()
            .contains("\"year\":2023")
    );
    let captions = texts(&out, "areas/alphabeta/index.html", "table.history caption");
    assert!(captions.iter().all(|c| !c.contains("2023")), "{captions:?}");
    assert!(
        texts(&out, "index.html", "main p")
            .iter()
            .any(|p| p.starts_with("2 areas rated in 2022")),
        "the home page still leads with 2022"
    );
    let captions = texts(&out, "about/index.html", "table.matrix caption");
    assert_eq!(captions.len(), 1, "{captions:?}");
    assert!(captions[0].ends_with("2022"), "{captions:?}");

    // Once one form is back, the year is published, its other cells shown as awaited.
    let file = site
        .path()
        .join("scoping-data/returns/2023/north/alphabeta.yaml");
    std::fs::write(
        &file,
        "year: 2023\nregion: north\narea: alphabeta\nsubmission:\n  status: received\nratings:\n  parent-infant: A\n  health-visiting: G\n  family-hubs: G\n",
    )
    .unwrap();
    let (code, log) = common::build(site.path(), &out, Audience::Public);
    assert_eq!(code, 0, "{log}");
    assert_eq!(csv_rows(&out, "2023").len(), 3);
}

#[test]
fn status_tracks_which_areas_have_returned() {
    let site = common::site_with("multi-year");
    // 2024 in the overlay is a return that came back; make the 2023 one carry an
    // unconfirmed rating, then scaffold 2025 (awaiting).
    let y2023 = site
        .path()
        .join("scoping-data/returns/2023/north/alphabeta.yaml");
    let text = std::fs::read_to_string(&y2023).unwrap();
    let one = text.replacen(
        "family-hubs: ",
        "family-hubs:\n    carried_forward: true\n    rating: ",
        1,
    );
    assert_ne!(one, text, "{text}");
    std::fs::write(&y2023, one).unwrap();
    new_year(site.path(), 2025);
    let status = |year: u16, region: Option<&str>| {
        let mut out = Vec::new();
        let code = scopemap::commands::status_command(site.path(), year, region, &mut out);
        (code, String::from_utf8(out).unwrap())
    };
    assert_eq!(
        status(2024, None),
        (
            0,
            "North Region, 2024: 1 of 1 areas returned, 0 awaiting, 0 with unconfirmed ratings\n  returned:\n    Alphabeta  scoping-data/returns/2024/north/alphabeta.yaml\n".to_string()
        )
    );
    assert_eq!(
        status(2023, Some("north")).1,
        "North Region, 2023: 0 of 1 areas returned, 0 awaiting, 1 with unconfirmed ratings\n  returned, ratings unconfirmed:\n    Alphabeta  scoping-data/returns/2023/north/alphabeta.yaml  (unconfirmed: family-hubs)\n"
    );
    assert_eq!(
        status(2025, None).1,
        "North Region, 2025: 0 of 1 areas returned, 1 awaiting, 0 with unconfirmed ratings\n  awaiting return:\n    Alphabeta  scoping-data/returns/2025/north/alphabeta.yaml\n"
    );
    assert_eq!(
        status(2022, Some("south")),
        (
            2,
            "error: unknown region `south`; known regions: north\n".to_string()
        )
    );

    let public = site.path().join("public");
    assert_eq!(common::build(site.path(), &public, Audience::Public).0, 0);
    assert!(!public.join("regions/north/2025/returns").exists());
    let internal = site.path().join("internal");
    let (code, log) = common::build(site.path(), &internal, Audience::Internal);
    assert_eq!(code, 0, "{log}");
    assert_eq!(
        rows(
            &internal,
            "regions/north/2025/returns/index.html",
            "table.tracker tbody tr"
        ),
        ["Alphabeta scoping-data/returns/2025/north/alphabeta.yaml "]
    );
    assert_eq!(
        rows(
            &internal,
            "regions/north/2023/returns/index.html",
            "table.tracker tbody tr"
        ),
        ["Alphabeta scoping-data/returns/2023/north/alphabeta.yaml family-hubs"]
    );
}

#[test]
fn an_area_replaced_one_for_one_keeps_its_boundary_in_the_changes() {
    // The shipped data: each Cheshire and Merseyside CCG became one Place in 2023.
    let dir = tempfile::tempdir().unwrap();
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    common::copy_dir(&repo.join("scoping-data"), &dir.path().join("scoping-data"));
    let mut out = Vec::new();
    let region_id = "cheshire-and-merseyside";
    let code = scopemap::commands::new_year_command(dir.path(), 2023, region_id, &mut out);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&out));
    let (ds, diagnostics) = scopemap::commands::check_data(dir.path());
    assert_eq!(scopemap::diag::count_errors(&diagnostics), 0);
    let fw = ds.framework().unwrap();
    let region = ds.region(region_id).unwrap();
    let c = analyse::change_matrix(
        region,
        &analyse::matrix(&ds, fw, region, 2022),
        &analyse::matrix(&ds, fw, region, 2023),
    );
    assert!(
        c.no_longer_assessed
            .contains(&"Halton became the Place Halton, with the same boundary.".to_string()),
        "{:#?}",
        c.no_longer_assessed
    );
    assert!(
        !c.no_longer_assessed
            .iter()
            .any(|s| s.contains("is now part of Halton")),
        "{:#?}",
        c.no_longer_assessed
    );
}
