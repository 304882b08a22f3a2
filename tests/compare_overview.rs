//! Comparing areas and the overview of all regions, read back from built sites: the
//! overview's shares are the counts of the returns themselves, ratings still awaited and
//! missing ratings are counted apart and never as a rating, the compare page holds every
//! area with the region's distribution, and a national site's overview pages stay small.

mod common;

use common::{sel, text};
use scopemap::model::{Dataset, Framework, Region, Return};
use scraper::{ElementRef, Html};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn build(root: &Path, out: &Path) {
    let mut log = Vec::new();
    let code = scopemap::commands::build_command(root, out, false, &mut log);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&log));
}

/// A built site: its data folder, its output and the data as loaded.
struct Site {
    out: PathBuf,
    /// The types of service whose rating was carried forward in one return, and given as
    /// a draft in another.
    edited: Option<(String, String)>,
    dataset: Dataset,
    _dir: Option<tempfile::TempDir>,
}

/// The shipped site, built once.
fn shipped() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        build(&repo(), &out);
        Site {
            out,
            edited: None,
            dataset: scopemap::commands::check_data(&repo()).0,
            _dir: Some(dir),
        }
    })
}

fn fixture(
    regions: usize,
    areas: usize,
    years: usize,
    services: usize,
) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let options = scopemap::fixture::FixtureOptions {
        regions,
        areas_per_region: areas,
        years,
        services,
        seed: 7,
    };
    let mut log = Vec::new();
    let code = scopemap::commands::fixture_command(&repo(), &options, &site, &mut log);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&log));
    (dir, site)
}

/// A synthetic site of four regions in which one area's first rating of the last year is
/// carried forward (so awaiting its return), another area's whole return is awaited, and
/// a third area's rating of a type of service is a draft (so not published).
fn edited() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let (dir, site) = fixture(4, 3, 2, 40);
        let ds = scopemap::commands::check_data(&site).0;
        let last = *ds.years().last().unwrap();
        let region = &ds.regions()[0].value.id.value;
        let folder = site.join(format!("scoping-data/returns/{last}/{region}"));
        let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        // A rating written on one line (`  health-visiting: G`) in each of two returns.
        let one_line = |file: &Path| {
            let yaml = std::fs::read_to_string(file).unwrap();
            let line = yaml
                .lines()
                .skip_while(|l| *l != "ratings:")
                .find(|l| {
                    l.starts_with("  ") && !l.starts_with("   ") && !l.trim_end().ends_with(':')
                })
                .unwrap_or_else(|| panic!("{}: no rating on one line", file.display()))
                .to_string();
            let (category, code) = line.trim().split_once(": ").unwrap();
            (
                yaml.clone(),
                line.clone(),
                category.to_string(),
                code.to_string(),
            )
        };
        let (yaml, line, awaited, code) = one_line(&files[0]);
        let carried = format!("  {awaited}:\n    rating: {code}\n    carried_forward: true");
        std::fs::write(&files[0], yaml.replacen(&line, &carried, 1)).unwrap();
        // A draft rating, which the public site does not publish.
        let (yaml, line, draft, code) = one_line(&files[2]);
        let drafted = format!("  {draft}:\n    rating: {code}\n    draft: true");
        std::fs::write(&files[2], yaml.replacen(&line, &drafted, 1)).unwrap();
        // A whole return still awaiting its form.
        let yaml = std::fs::read_to_string(&files[1]).unwrap();
        let status = yaml
            .lines()
            .find(|l| l.starts_with("  status: "))
            .unwrap()
            .to_string();
        let awaiting = yaml.replacen(&status, "  status: awaiting-return", 1);
        std::fs::write(&files[1], awaiting).unwrap();
        let out = dir.path().join("public");
        build(&site, &out);
        let dataset = scopemap::commands::check_data(&site).0;
        Site {
            out,
            edited: Some((awaited, draft)),
            dataset,
            _dir: Some(dir),
        }
    })
}

fn html(site: &Site, rel: &str) -> Html {
    let path = site.out.join(rel);
    Html::parse_document(
        &std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
}

/// How a return's rating of `category` is counted: a level's code, "awaiting" or "none".
fn counted_as(fw: &Framework, ret: &Return, category: &str) -> String {
    if ret.is_awaiting() || ret.rating(category).is_some_and(|e| e.carried_forward) {
        return "awaiting".into();
    }
    match ret
        .confirmed_rating(category)
        .and_then(|e| fw.level_of(&e.rating.value))
    {
        Some(level) => level.code.value.clone(),
        None => "none".into(),
    }
}

/// The counts of one region, year and type of service, worked out from the returns: for
/// each column code, how many areas.
fn expected(
    fw: &Framework,
    ds: &Dataset,
    region: &Region,
    year: u16,
    category: &str,
) -> Vec<(String, usize)> {
    let returns = ds.returns_for(year, region);
    let mut codes: Vec<String> = fw.ratings.iter().map(|l| l.code.value.clone()).collect();
    codes.push("awaiting".into());
    codes.push("none".into());
    codes
        .into_iter()
        .map(|code| {
            let n = returns
                .iter()
                .filter(|r| counted_as(fw, r, category) == code)
                .count();
            (code, n)
        })
        .collect()
}

/// A row of a table of shares as (code, percent, count) per column, and the areas cell.
fn shares_of(row: ElementRef) -> (Vec<(String, usize, usize)>, usize) {
    let parts = row
        .select(&sel("td[data-code]"))
        .map(|td| {
            let t = text(td);
            let (percent, count) = t.split_once("% (").unwrap_or_else(|| panic!("{t}"));
            (
                td.value().attr("data-code").unwrap().to_string(),
                percent.parse().unwrap(),
                count.trim_end_matches(')').parse().unwrap(),
            )
        })
        .collect();
    let areas = text(row.select(&sel("td.num")).next().unwrap())
        .parse()
        .unwrap();
    (parts, areas)
}

fn rounded_percent(n: usize, total: usize) -> usize {
    ((n as f64) * 100.0 / (total as f64) + 0.5).floor() as usize
}

/// Every overview page of a type of service holds, for each region, the counts worked out
/// from its returns and each as a share of all its areas, and their sum on "All regions".
fn shares_match_returns(site: &Site) -> usize {
    let ds = &site.dataset;
    let fw = ds.framework().unwrap();
    let mut checked = 0;
    for year in ds.years() {
        for cat in &fw.categories {
            let rel = format!("overview/{year}/{}/index.html", cat.id.value);
            let page = html(site, &rel);
            let rows: Vec<ElementRef> = page.select(&sel("table.shares tbody tr")).collect();
            // A type of service the framework did not grade that year has no shares.
            if !fw
                .categories_in(year)
                .iter()
                .any(|c| c.id.value == cat.id.value)
            {
                assert!(rows.is_empty(), "{rel}");
                // The year's page names it among those not graded, with no row.
                let year_page = html(site, &format!("overview/{year}/index.html"));
                assert!(
                    !year_page
                        .select(&sel("table.shares tbody th"))
                        .any(|th| text(th) == cat.name.value),
                    "overview/{year}/: a row for {}",
                    cat.name.value
                );
                continue;
            }
            let mut total: Vec<(String, usize)> = Vec::new();
            for region in ds.regions().iter().map(|r| &r.value) {
                let want = expected(fw, ds, region, year, &cat.id.value);
                if want.iter().all(|(_, n)| *n == 0) {
                    continue;
                }
                let row = rows
                    .iter()
                    .find(|r| text(r.select(&sel("th")).next().unwrap()) == region.name.value)
                    .unwrap_or_else(|| panic!("{rel}: no row for {}", region.name.value));
                let (parts, areas) = shares_of(*row);
                let all: usize = want.iter().map(|(_, n)| n).sum();
                // A page whose areas all have a rating or await one has no column for
                // those with none.
                let mut want = want;
                if !parts.iter().any(|(c, _, _)| c == "none") {
                    let none = want.pop().unwrap();
                    assert_eq!(none, ("none".to_string(), 0), "{rel}");
                }
                assert_eq!(areas, all, "{rel}: {}", region.name.value);
                let got: Vec<(String, usize)> =
                    parts.iter().map(|(c, _, n)| (c.clone(), *n)).collect();
                assert_eq!(got, want, "{rel}: {}", region.name.value);
                for (code, percent, n) in &parts {
                    assert_eq!(*percent, rounded_percent(*n, all), "{rel}: {code}");
                }
                if total.is_empty() {
                    total = want.clone();
                } else {
                    for (t, (_, n)) in total.iter_mut().zip(&want) {
                        t.1 += n;
                    }
                }
                checked += 1;
            }
            let all_row = rows
                .iter()
                .find(|r| r.value().classes().any(|c| c == "all-regions"))
                .unwrap_or_else(|| panic!("{rel}: no row for all regions"));
            let got: Vec<(String, usize)> = shares_of(*all_row)
                .0
                .into_iter()
                .map(|(c, _, n)| (c, n))
                .collect();
            assert_eq!(got, total, "{rel}: all regions");
            // The year's page sums the same counts for the type of service.
            let year_page = html(site, &format!("overview/{year}/index.html"));
            let row = year_page
                .select(&sel("table.shares tbody tr"))
                .find(|r| text(r.select(&sel("th")).next().unwrap()) == cat.name.value)
                .unwrap_or_else(|| panic!("overview/{year}/: no row for {}", cat.name.value));
            let got: Vec<(String, usize)> = shares_of(row)
                .0
                .into_iter()
                .map(|(c, _, n)| (c, n))
                // The year's page has the column for areas with no rating when any type
                // of service has one: empty here when this type's page has none.
                .filter(|(c, n)| c != "none" || *n > 0 || total.iter().any(|t| t.0 == "none"))
                .collect();
            assert_eq!(got, total, "overview/{year}/: {}", cat.name.value);
        }
    }
    checked
}

#[test]
fn overview_shares_of_the_shipped_regions_are_the_counts_of_their_returns() {
    let checked = shares_match_returns(shipped());
    assert!(checked >= 20, "only {checked} rows checked");
}

#[test]
fn overview_counts_awaited_and_missing_ratings_apart_from_the_ratings() {
    let site = edited();
    let checked = shares_match_returns(site);
    assert!(checked >= 40, "only {checked} rows checked");
    let ds = &site.dataset;
    let year = *ds.years().last().unwrap();
    let region = &ds.regions()[0].value;
    let row_of = |cat: &str| {
        let page = html(site, &format!("overview/{year}/{cat}/index.html"));
        let row = page
            .select(&sel("table.shares tbody tr"))
            .find(|r| text(r.select(&sel("th")).next().unwrap()) == region.name.value)
            .unwrap();
        shares_of(row).0
    };
    let (carried, draft) = site.edited.clone().unwrap();
    let fw = ds.framework().unwrap();
    // Two areas await the carried-forward type of service (the one carried forward, and
    // the one whose whole return is awaited), one every other type; the draft is no
    // rating, and only its type of service has a column for areas with none.
    for cat in fw.categories_in(year) {
        let row = row_of(&cat.id.value);
        let want = if cat.id.value == carried { 2 } else { 1 };
        assert!(
            row.iter().any(|(c, _, n)| c == "awaiting" && *n == want),
            "{}: {row:?}",
            cat.id.value
        );
        if cat.id.value == draft {
            assert!(
                row.iter().any(|(c, _, n)| c == "none" && *n == 1),
                "{row:?}"
            );
        } else {
            assert!(row.iter().all(|(c, _, _)| c != "none"), "{row:?}");
        }
    }
}

#[test]
fn overview_is_linked_from_the_home_page_and_the_menu_with_a_page_per_year_and_type() {
    let site = shipped();
    let home = html(site, "index.html");
    let links: Vec<&str> = home
        .select(&sel("main a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(links.contains(&"overview/index.html"), "{links:?}");
    let menu: Vec<String> = home.select(&sel("nav.nav-open a")).map(text).collect();
    assert!(menu.contains(&"All regions".to_string()), "{menu:?}");
    // The home page's list of pages about the scoping is not given the overview.
    let about: Vec<String> = home.select(&sel("#about + ul a")).map(text).collect();
    assert!(!about.contains(&"All regions".to_string()), "{about:?}");
    let fw = site.dataset.framework().unwrap();
    let latest = html(site, "overview/index.html");
    let categories: Vec<&str> = latest
        .select(&sel("table.shares tbody th a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    let want: Vec<String> = fw
        .categories
        .iter()
        .map(|c| format!("../overview/2022/{}/index.html", c.id.value))
        .collect();
    assert_eq!(categories, want);
    assert_eq!(
        latest.select(&sel("svg.chart-wide")).count()
            + latest.select(&sel("svg.chart-narrow")).count(),
        2
    );
    for h in latest.select(&sel("table.shares thead th")) {
        assert_eq!(h.value().attr("scope"), Some("col"));
    }
}

#[test]
fn a_site_of_one_region_has_no_overview() {
    let dir = common::site_with("");
    let out = dir.path().join("public");
    build(dir.path(), &out);
    assert!(!out.join("overview").exists());
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        !home.contains("overview/"),
        "the home page links to no overview"
    );
    // Its region still has a compare page for each year.
    assert!(out.join("regions/north/2022/compare/index.html").is_file());
}

#[test]
fn compare_page_holds_every_area_the_distribution_and_awaiting_as_awaiting() {
    let site = edited();
    let ds = &site.dataset;
    let fw = ds.framework().unwrap();
    let year = *ds.years().last().unwrap();
    let region = &ds.regions()[0].value;
    let rel = format!("regions/{}/{year}/compare/index.html", region.id.value);
    let region_page = html(
        site,
        &format!("regions/{}/{year}/index.html", region.id.value),
    );
    assert!(
        region_page
            .select(&sel("main a"))
            .any(|a| a.value().attr("href")
                == Some(&*format!(
                    "../../../regions/{}/{year}/compare/index.html",
                    region.id.value
                ))),
        "{rel} is not linked from the region's page"
    );
    let page = html(site, &rel);
    let returns = ds.returns_for(year, region);
    // A box for each area, labelled, in a form the page shows only with JavaScript.
    let form = page.select(&sel("form#compare-picker")).next().unwrap();
    assert!(form.value().attr("hidden").is_some());
    assert_eq!(form.value().attr("method"), Some("get"));
    let boxes: Vec<&str> = page
        .select(&sel("form#compare-picker input[name=areas]"))
        .map(|i| i.value().attr("value").unwrap())
        .collect();
    let areas: Vec<&str> = returns.iter().map(|r| r.area.value.as_str()).collect();
    assert_eq!(boxes, areas);
    for id in &boxes {
        assert_eq!(
            page.select(&sel(&format!("label[for=\"choose-{id}\"]")))
                .count(),
            1,
            "{id} has no label"
        );
    }
    // Every area's column, each cell and heading marked with its area.
    let heads: Vec<&str> = page
        .select(&sel("table.compare-areas thead th[data-area]"))
        .map(|th| th.value().attr("data-area").unwrap())
        .collect();
    assert_eq!(heads, areas);
    assert!(
        page.select(&sel("table.compare-areas th"))
            .all(|th| th.value().attr("scope").is_some())
    );
    let summary = text(page.select(&sel("#compare-summary")).next().unwrap());
    assert!(
        summary.contains(&format!("all {} areas", areas.len())),
        "{summary}"
    );
    for row in page.select(&sel("table.compare-areas tbody tr")) {
        let link = row.select(&sel("th a")).next().unwrap();
        let id = link
            .value()
            .attr("href")
            .unwrap()
            .trim_end_matches("/index.html")
            .rsplit('/')
            .next()
            .unwrap();
        for (ret, td) in returns.iter().zip(row.select(&sel("td[data-area]"))) {
            assert_eq!(td.value().attr("data-area"), Some(ret.area.value.as_str()));
            let want = counted_as(fw, ret, id);
            let classes: Vec<&str> = td.value().classes().collect();
            match want.as_str() {
                "awaiting" => {
                    assert!(
                        classes.contains(&"rating-awaiting"),
                        "{rel} {id}: {classes:?}"
                    );
                    let t = text(td);
                    assert!(t.contains("Awaiting return"), "{t}");
                    for level in &fw.ratings {
                        assert!(!classes.contains(&&*format!("rating-{}", level.code.value)));
                    }
                }
                "none" => assert!(classes.contains(&"rating-none"), "{rel} {id}: {classes:?}"),
                code => assert!(
                    classes.contains(&&*format!("rating-{code}")),
                    "{rel} {id}: {classes:?}, want {code}"
                ),
            }
        }
        // The region's distribution in words: each level's count from the returns.
        let dist = text(row.select(&sel("td.distribution .phrase")).next().unwrap());
        let want = expected(fw, ds, region, year, id);
        let awaiting = want.iter().find(|(c, _)| c == "awaiting").unwrap().1;
        if awaiting > 0 {
            assert!(
                dist.contains(&format!("{awaiting} awaiting return")),
                "{dist}"
            );
        }
        let unrated = want.iter().find(|(c, _)| c == "none").unwrap().1;
        if unrated > 0 {
            assert!(dist.contains(&format!("{unrated} not rated")), "{dist}");
        }
        let full = want.iter().find(|(c, _)| c == "G").unwrap().1;
        assert!(dist.starts_with(&format!("{full} full")), "{dist}");
    }
    // The edited cells are among them.
    let awaited = page
        .select(&sel("table.compare-areas td.rating-awaiting"))
        .count();
    let columns = page.select(&sel("table.compare-areas tbody tr")).count();
    assert_eq!(awaited, columns + 1, "{rel}");
}

#[test]
fn overview_pages_of_a_national_site_stay_under_500_kb() {
    let (dir, site) = fixture(42, 5, 2, 100);
    let out = dir.path().join("public");
    build(&site, &out);
    let ds = scopemap::commands::check_data(&site).0;
    let fw = ds.framework().unwrap();
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(out.join("overview")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "html") {
            let size = entry.metadata().unwrap().len();
            assert!(size < 500_000, "{}: {size} bytes", entry.path().display());
            pages += 1;
        }
    }
    // The latest year, each year, and each type of service in each year.
    assert_eq!(pages, 1 + 2 * (1 + fw.categories.len()));
    let year = ds.years()[1];
    let page = html(
        &Site {
            out: out.clone(),
            edited: None,
            dataset: ds,
            _dir: None,
        },
        &format!("overview/{year}/health-visiting/index.html"),
    );
    assert_eq!(page.select(&sel("table.shares tbody tr")).count(), 43);
}
