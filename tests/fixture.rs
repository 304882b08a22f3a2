//! `scopemap fixture`: the synthetic data set validates without errors, builds, is marked
//! synthetic, has lineage changes, and is identical for the same seed.

mod common;

use scopemap::commands::fixture_command;
use scopemap::fixture::{FixtureOptions, generate};
use std::path::Path;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn small(seed: u64) -> FixtureOptions {
    FixtureOptions {
        regions: 3,
        areas_per_region: 3,
        years: 3,
        services: 50,
        seed,
    }
}

fn write(options: &FixtureOptions) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut log = Vec::new();
    let code = fixture_command(repo(), options, &dir.path().join("site"), &mut log);
    let log = String::from_utf8(log).unwrap();
    assert_eq!(code, 0, "{log}");
    assert!(log.contains("SYNTHETIC"), "{log}");
    assert!(!log.contains("warning"), "{log}");
    dir
}

#[test]
fn small_set_validates_without_errors_and_builds() {
    let dir = write(&small(1));
    let site = dir.path().join("site");
    let (dataset, diagnostics) = scopemap::commands::check_data(&site);
    let text: Vec<String> = diagnostics
        .iter()
        .map(|d| scopemap::diag::render_human(d, &dataset.sources))
        .collect();
    assert!(diagnostics.is_empty(), "{}", text.join("\n"));
    assert_eq!(dataset.regions().len(), 3);
    assert_eq!(dataset.services().len(), 50);
    assert_eq!(dataset.years(), vec![2021, 2022, 2023]);
    // Every area in use has a return in every year.
    for region in dataset.regions() {
        for year in dataset.years() {
            let in_use = region.value.areas_in(year).len();
            assert_eq!(
                dataset.returns_for(year, &region.value).len(),
                in_use,
                "{} {year}",
                region.value.id.value
            );
        }
    }
    let (code, log) = common::build(
        &site,
        &dir.path().join("public"),
        scopemap::audience::Audience::Public,
    );
    assert_eq!(code, 0, "{log}");
    assert!(log.contains("0 errors, 0 warnings"), "{log}");
    let home = std::fs::read_to_string(dir.path().join("public/index.html")).unwrap();
    assert!(home.contains("SYNTHETIC"));
}

#[test]
fn says_it_is_synthetic() {
    let dir = write(&small(1));
    let site = dir.path().join("site");
    let readme = std::fs::read_to_string(site.join("README.md")).unwrap();
    assert!(readme.contains("SYNTHETIC"));
    assert!(readme.contains("synthetic"));
    let settings = std::fs::read_to_string(site.join("scopemap.yaml")).unwrap();
    let title = settings
        .lines()
        .find(|l| l.starts_with("title:"))
        .unwrap_or_default();
    assert!(title.contains("SYNTHETIC"), "{title}");
    assert!(site.join("themes/default/templates/base.html").is_file());
}

#[test]
fn same_seed_same_files_other_seed_other_files() {
    let a = write(&small(7));
    let b = write(&small(7));
    let c = write(&small(8));
    let tree_a = common::tree(&a.path().join("site"));
    assert_eq!(tree_a, common::tree(&b.path().join("site")));
    assert_ne!(tree_a, common::tree(&c.path().join("site")));
}

#[test]
fn ten_years_have_ccg_to_place_lineage_and_still_validate() {
    let options = FixtureOptions {
        regions: 3,
        areas_per_region: 5,
        years: 10,
        services: 60,
        seed: 2,
    };
    let (files, counts) = generate(&options);
    assert_eq!((counts.first_year, counts.last_year), (2016, 2025));
    let texts: Vec<(String, String)> = files
        .iter()
        .filter_map(|f| {
            f.path
                .strip_prefix("scoping-data/")
                .map(|p| (p.to_string(), f.text.clone()))
        })
        .collect();
    let refs: Vec<(&str, &str)> = texts
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let diagnostics = scopemap::commands::check_texts(&refs);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let regions: Vec<&str> = files
        .iter()
        .filter(|f| f.path.starts_with("scoping-data/regions/"))
        .map(|f| f.text.as_str())
        .collect();
    let all = regions.concat();
    assert!(all.contains("kind: \"CCG\"") && all.contains("kind: \"Place\""));
    // A Place that succeeds two CCGs (a merger) and two Places that succeed one (a split).
    let successions: Vec<Vec<String>> = regions
        .iter()
        .flat_map(|r| r.split("\n  - id: "))
        .filter_map(|area| {
            let after = area.split_once("    succeeds:\n")?.1;
            Some(
                after
                    .lines()
                    .take_while(|l| l.starts_with("      - "))
                    .map(|l| l.trim_start_matches("      - ").to_string())
                    .collect(),
            )
        })
        .collect();
    assert!(
        successions.iter().any(|s| s.len() == 2),
        "some area succeeds two others (a merger)"
    );
    let mut predecessors: Vec<&String> = successions.iter().flatten().collect();
    predecessors.sort();
    assert!(
        predecessors.windows(2).any(|w| w[0] == w[1]),
        "some area is succeeded by two others (a split)"
    );
    // Ratings are a mix of every code.
    let returns: String = files
        .iter()
        .filter(|f| f.path.starts_with("scoping-data/returns/"))
        .map(|f| f.text.as_str())
        .collect();
    for code in ["G", "A", "R", "B"] {
        assert!(
            returns.contains(&format!(": {code}\n")),
            "no {code} ratings"
        );
    }
}

#[test]
fn refuses_bad_sizes_and_non_empty_folders() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("keep.txt"), "mine").unwrap();
    let mut log = Vec::new();
    let code = fixture_command(repo(), &small(1), dir.path(), &mut log);
    assert_eq!(code, scopemap::EXIT_CANNOT_RUN);
    assert!(String::from_utf8_lossy(&log).contains("not empty"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("keep.txt")).unwrap(),
        "mine"
    );
    let mut log = Vec::new();
    let bad = FixtureOptions {
        regions: 0,
        ..small(1)
    };
    let code = fixture_command(repo(), &bad, &dir.path().join("new"), &mut log);
    assert_eq!(code, scopemap::EXIT_CANNOT_RUN);
    assert!(String::from_utf8_lossy(&log).contains("--regions"));
}

#[test]
fn three_boundary_generations_keep_every_year_of_lineage() {
    // Two CCGs merge into a larger CCG in 2019, which two Places succeed in 2023: a Place's
    // history and trend reach back through both boundary changes to 2016.
    let options = FixtureOptions {
        regions: 2,
        areas_per_region: 3,
        years: 10,
        services: 10,
        seed: 3,
    };
    let dir = write(&options);
    let site = dir.path().join("site");
    let (ds, diagnostics) = scopemap::commands::check_data(&site);
    assert_eq!(scopemap::diag::count_errors(&diagnostics), 0);
    let fw = ds.framework().unwrap();
    // The Place whose predecessor itself succeeds two areas.
    let (region, place, middle) = ds
        .regions()
        .iter()
        .map(|r| &r.value)
        .find_map(|r| {
            r.areas.iter().find_map(|a| {
                let p = r.area(&a.succeeds.first()?.value)?;
                (a.kind.value == "Place" && p.succeeds.len() == 2).then_some((r, a, p))
            })
        })
        .expect("a Place two generations after a merger");
    let oldest: Vec<&str> = middle.succeeds.iter().map(|s| s.value.as_str()).collect();
    let ancestors: Vec<&str> = scopemap::analyse::ancestors(region, place)
        .iter()
        .map(|a| a.id.value.as_str())
        .collect();
    assert_eq!(ancestors, [middle.id.value.as_str(), oldest[0], oldest[1]]);

    let history = scopemap::analyse::area_history(&ds, fw, region, place);
    let mut seen: Vec<(u16, &str)> = history
        .iter()
        .map(|h| (h.year, h.area_id.as_str()))
        .collect();
    seen.dedup();
    let years_of = |id: &str| -> Vec<u16> {
        seen.iter()
            .filter(|(_, a)| *a == id)
            .map(|(y, _)| *y)
            .collect()
    };
    assert_eq!(years_of(oldest[0]), [2016, 2017, 2018]);
    assert_eq!(years_of(oldest[1]), [2016, 2017, 2018]);
    assert_eq!(years_of(&middle.id.value), [2019, 2020, 2021, 2022]);
    assert_eq!(years_of(&place.id.value), [2023, 2024, 2025]);

    // Every value in the trend names the area it belongs to, unless it is the Place's own.
    let trend = scopemap::analyse::area_trend(&history, &place.id.value);
    let first = &trend[0].years;
    assert_eq!(first.len(), 10, "one column per year from 2016 to 2025");
    let labels = |i: usize| -> Vec<&str> { first[i].1.iter().map(|(a, _)| a.as_str()).collect() };
    let names = |id: &str| region.area(id).unwrap().name.value.as_str();
    assert_eq!(labels(0), [names(oldest[0]), names(oldest[1])]);
    assert_eq!(labels(3), [middle.name.value.as_str()]);
    assert_eq!(labels(9), [""]);

    // The built page shows each generation's returns.
    let out = dir.path().join("public");
    let (code, log) = common::build(&site, &out, scopemap::audience::Audience::Public);
    assert_eq!(code, 0, "{log}");
    let page = scraper::Html::parse_document(
        &std::fs::read_to_string(out.join(format!("areas/{}/index.html", place.id.value))).unwrap(),
    );
    let captions: Vec<String> = page
        .select(&common::sel("table.history caption"))
        .map(common::text)
        .collect();
    assert_eq!(captions.len(), 3 * 2 + 4 + 3, "{captions:?}");
    assert!(
        captions[0].starts_with(&format!("{}, 2016", names(oldest[0]))),
        "{captions:?}"
    );
}
