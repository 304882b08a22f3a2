//! The shipped site: built from the repository's own data into a temp folder, then read
//! back as HTML, CSV and JSON and compared with hand-transcribed tables of the 2022 report.

mod common;

use common::{ONE_SPELLING, sel, spelt, text};

use scraper::Html;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Build once for all tests in this file.
fn site() -> &'static Path {
    static SITE: OnceLock<(tempfile::TempDir, String)> = OnceLock::new();
    let (dir, log) = SITE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let mut out = Vec::new();
        let code =
            scopemap::commands::build_command(&repo(), &dir.path().join("public"), false, &mut out);
        let log = String::from_utf8(out).unwrap();
        assert_eq!(code, 0, "{log}");
        (dir, log)
    });
    // The only warnings are Table 4's printed need figures, which do not follow from the
    // need model they cite; the data keeps them as printed and the warnings record it.
    let warnings: Vec<&str> = log.lines().filter(|l| l.starts_with("warning[")).collect();
    assert!(log.contains("0 errors, 5 warnings"), "{log}");
    let allowed = ["warning[W091]", "warning[W092]", "warning[W093]"];
    assert!(
        warnings
            .iter()
            .all(|w| allowed.iter().any(|c| w.starts_with(c))),
        "{warnings:#?}"
    );
    Box::leak(Box::new(dir.path().join("public")))
}

fn html(rel: &str) -> Html {
    let text = std::fs::read_to_string(site().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    Html::parse_document(&text)
}

fn fixture_csv(name: &str) -> Vec<csv::StringRecord> {
    let path = common::fixtures().join(name);
    csv::Reader::from_path(&path)
        .unwrap()
        .records()
        .map(|r| r.unwrap())
        .collect()
}

#[test]
fn matrix_pages_reproduce_table_2_cell_for_cell() {
    let expected = fixture_csv("table2_2022.csv");
    let mut by_region: BTreeMap<String, Vec<Vec<String>>> = BTreeMap::new();
    for rec in &expected {
        by_region
            .entry(rec[0].to_string())
            .or_default()
            .push(rec.iter().skip(1).map(spelt).collect());
    }
    assert_eq!(by_region.values().map(Vec::len).sum::<usize>(), 17);
    for (region, rows) in &by_region {
        for page in [
            format!("regions/{region}/2022/index.html"),
            format!("regions/{region}/index.html"),
        ] {
            let doc = html(&page);
            let got: Vec<Vec<String>> = doc
                .select(&sel("table.matrix tbody tr"))
                .map(|tr| {
                    let area = text(tr.select(&sel("th a")).next().expect("area link"));
                    let mut row = vec![area];
                    row.extend(tr.select(&sel("td")).map(|td| {
                        td.select(&sel(".code"))
                            .next()
                            .map(text)
                            .unwrap_or_default()
                    }));
                    row
                })
                .collect();
            assert_eq!(&got, rows, "{page}");
        }
    }
    let headers = fixture_csv_headers("table2_2022.csv");
    let doc = html("regions/cheshire-and-merseyside/2022/index.html");
    let got: Vec<String> = doc
        .select(&sel("table.matrix thead th"))
        .skip(1)
        .map(text)
        .collect();
    assert_eq!(
        got,
        headers[2..].iter().map(|h| spelt(h)).collect::<Vec<_>>(),
        "column headings of the Cheshire and Merseyside report, one spelling per name"
    );
}

fn fixture_csv_headers(name: &str) -> Vec<String> {
    let mut r = csv::Reader::from_path(common::fixtures().join(name)).unwrap();
    r.headers().unwrap().iter().map(str::to_string).collect()
}

#[test]
fn every_cell_shows_letter_word_and_glyph() {
    let doc = html("regions/lancashire-and-south-cumbria/2022/index.html");
    let cells: Vec<_> = doc.select(&sel("table.matrix td")).collect();
    assert_eq!(cells.len(), 8 * 11);
    for td in cells {
        let class = td.value().attr("class").unwrap();
        let code = text(td.select(&sel(".code")).next().unwrap());
        assert!(class.contains(&format!("rating-{code}")), "{class}");
        assert!(!text(td.select(&sel(".label")).next().unwrap()).is_empty());
        assert!(!text(td.select(&sel(".glyph")).next().unwrap()).is_empty());
    }
}

#[test]
fn returns_tables_reproduce_table_1() {
    let expected = fixture_csv("table1_2022.csv");
    for region in ["cheshire-and-merseyside", "lancashire-and-south-cumbria"] {
        let want: Vec<(String, String)> = expected
            .iter()
            .filter(|r| &r[0] == region)
            .map(|r| {
                (
                    spelt(&r[1]),
                    if &r[2] == "yes" {
                        "Returned".into()
                    } else {
                        "Not returned".into()
                    },
                )
            })
            .collect();
        let doc = html(&format!("regions/{region}/2022/index.html"));
        let got: Vec<(String, String)> = doc
            .select(&sel("table.returns tbody tr"))
            .map(|tr| {
                (
                    text(tr.select(&sel("th")).next().unwrap()),
                    text(tr.select(&sel("td")).next().unwrap()),
                )
            })
            .collect();
        assert_eq!(got, want, "{region}");
    }
    let doc = html("regions/lancashire-and-south-cumbria/2022/index.html");
    let notes: String = doc.select(&sel("p.note")).map(text).collect();
    assert!(notes.contains("has no row for East Lancashire"), "{notes}");
}

#[test]
fn provision_csv_matches_the_returns() {
    let table2 = fixture_csv("table2_2022.csv");
    let mut reader = csv::Reader::from_path(site().join("data/provision.csv")).unwrap();
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        headers,
        [
            "year",
            "region_id",
            "region_name",
            "area_id",
            "area_name",
            "area_code",
            "category_id",
            "category_name",
            "rating",
            "rating_label",
            "note",
            "returned",
            "source"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 17 * 11);
    for (i, row) in rows.iter().enumerate() {
        let expected = &table2[i / 11];
        assert_eq!(
            (&row[1], row[4].to_string()),
            (&expected[0], spelt(&expected[1])),
            "row {i}"
        );
        assert_eq!(&row[8], &expected[2 + i % 11], "row {i}: {row:?}");
        assert_eq!(&row[0], "2022");
    }
    let l_and_sc = rows.iter().find(|r| {
        &r[4] == "Specialist Perinatal and Infant MH Health Visitor"
            || &r[7] == "Specialist Perinatal and Infant MH Health Visitor"
    });
    assert!(
        l_and_sc.is_some(),
        "category names as printed in each region's report"
    );
    let east = rows
        .iter()
        .find(|r| &r[3] == "east-lancashire-ccg")
        .unwrap();
    assert_eq!(&east[11], "unknown");
    assert_eq!(&east[12], "not in returns table");
    let sources: std::collections::BTreeSet<&str> = rows.iter().map(|r| &r[12]).collect();
    assert_eq!(
        sources.into_iter().collect::<Vec<_>>(),
        [
            "not in returns table",
            "rated from other sources",
            "returned"
        ],
        "every 2022 rating was returned or rated by the network"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site().join("data/provision.json")).unwrap())
            .unwrap();
    assert_eq!(json.as_array().unwrap().len(), rows.len());
}

#[test]
fn every_area_category_and_service_has_its_page() {
    let ds = scopemap::commands::check_data(&repo()).0;
    for r in ds.regions() {
        for a in &r.value.areas {
            let doc = html(&format!("areas/{}/index.html", a.id.value));
            assert_eq!(text(doc.select(&sel("h1")).next().unwrap()), a.name.value);
        }
    }
    for c in &ds.framework().unwrap().categories {
        let doc = html(&format!("categories/{}/index.html", c.id.value));
        assert_eq!(text(doc.select(&sel("h1")).next().unwrap()), c.name.value);
    }
    assert!(ds.services().len() >= 30);
    for s in ds.services() {
        let doc = html(&format!("directory/{}/index.html", s.value.id.value));
        assert!(text(doc.select(&sel("h1")).next().unwrap()).starts_with(&s.value.name.value));
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site().join("data/directory.json")).unwrap())
            .unwrap();
    assert_eq!(
        json["services"].as_array().unwrap().len(),
        ds.services().len()
    );
}

#[test]
fn every_internal_link_and_asset_resolves() {
    let root = site();
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(root)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
    {
        let doc = Html::parse_document(&std::fs::read_to_string(entry.path()).unwrap());
        let ids: BTreeSet<String> = doc
            .select(&sel("[id]"))
            .filter_map(|e| e.value().attr("id").map(str::to_string))
            .collect();
        for el in doc.select(&sel("a[href], link[href], script[src], img[src]")) {
            let target = el.value().attr("href").or(el.value().attr("src")).unwrap();
            if target.starts_with("http://")
                || target.starts_with("https://")
                || target.starts_with("mailto:")
                || target.starts_with("tel:")
            {
                continue;
            }
            let (path, fragment) = target.split_once('#').unwrap_or((target, ""));
            if path.is_empty() {
                assert!(
                    ids.contains(fragment),
                    "{}: no element with id `{fragment}`",
                    entry.path().display()
                );
                continue;
            }
            // Only the 404 page links from the base path ("/"), since it is served anywhere.
            let resolved = match path.strip_prefix('/') {
                Some(abs) => root.join(abs),
                None => entry.path().parent().unwrap().join(path),
            };
            let resolved = if resolved.is_dir() {
                resolved.join("index.html")
            } else {
                resolved
            };
            assert!(
                resolved.is_file(),
                "{}: broken link {target}",
                entry.path().display()
            );
            assert!(
                resolved
                    .canonicalize()
                    .unwrap()
                    .starts_with(root.canonicalize().unwrap()),
                "{target} leaves the site"
            );
            checked += 1;
        }
    }
    assert!(checked > 1000, "only {checked} links checked");
    assert_eq!(
        scopemap::check::check_site(root, "/"),
        vec![],
        "scopemap check finds nothing wrong"
    );
}

#[test]
fn every_page_has_a_title_and_language() {
    for entry in walkdir::WalkDir::new(site())
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
    {
        let doc = Html::parse_document(&std::fs::read_to_string(entry.path()).unwrap());
        assert_eq!(
            doc.select(&sel("html"))
                .next()
                .unwrap()
                .value()
                .attr("lang"),
            Some("en-GB")
        );
        assert!(
            !text(doc.select(&sel("title")).next().unwrap()).is_empty(),
            "{}",
            entry.path().display()
        );
        assert_eq!(
            doc.select(&sel("h1")).count(),
            1,
            "{}",
            entry.path().display()
        );
    }
}

#[test]
fn no_two_pages_share_a_title() {
    let mut by_title: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(site())
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
    {
        let doc = Html::parse_document(&std::fs::read_to_string(entry.path()).unwrap());
        let title = text(doc.select(&sel("head > title")).next().unwrap());
        let rel = entry
            .path()
            .strip_prefix(site())
            .unwrap()
            .display()
            .to_string();
        by_title.entry(title).or_default().push(rel);
    }
    let shared: Vec<_> = by_title
        .iter()
        .filter(|(_, pages)| pages.len() > 1)
        .collect();
    assert!(shared.is_empty(), "{shared:#?}");
    let site_title = "Early years mental health provision in the North West Coast";
    let title_of = |page: &str| text(html(page).select(&sel("head > title")).next().unwrap());
    assert_eq!(
        title_of("areas/knowsley/index.html"),
        format!("Knowsley (Place, from 2023) — {site_title}")
    );
    assert_eq!(
        title_of("areas/knowsley-ccg/index.html"),
        format!("Knowsley (CCG area, to 2022) — {site_title}")
    );
    assert_eq!(
        title_of("regions/cheshire-and-merseyside/index.html"),
        format!("Cheshire and Merseyside: latest year, 2022 — {site_title}")
    );
    assert_eq!(
        title_of("regions/cheshire-and-merseyside/2022/index.html"),
        format!("Cheshire and Merseyside, 2022 — {site_title}")
    );
}

#[test]
fn index_pages_list_every_region_area_and_type_of_service() {
    let ds = scopemap::commands::check_data(&repo()).0;
    let linked = |page: &str, folder: &str| -> BTreeSet<String> {
        html(page)
            .select(&sel("main a"))
            .filter_map(|a| a.value().attr("href"))
            .filter_map(|h| h.strip_prefix("../").and_then(|h| h.strip_prefix(folder)))
            .filter_map(|h| h.strip_suffix("/index.html"))
            .filter(|id| !id.contains('/'))
            .map(str::to_string)
            .collect()
    };
    let regions: BTreeSet<String> = ds
        .regions()
        .iter()
        .map(|r| r.value.id.value.clone())
        .collect();
    assert_eq!(linked("regions/index.html", "regions/"), regions);
    let fw = ds.framework().unwrap();
    let categories: BTreeSet<String> = fw.categories.iter().map(|c| c.id.value.clone()).collect();
    assert_eq!(linked("categories/index.html", "categories/"), categories);
    let areas: BTreeSet<String> = ds
        .regions()
        .iter()
        .flat_map(|r| r.value.areas.iter().map(|a| a.id.value.clone()))
        .collect();
    assert_eq!(linked("areas/index.html", "areas/"), areas);
    // Areas in use now and former areas are listed apart, by region, under their titles.
    let doc = html("areas/index.html");
    let list = |id: &str| -> Vec<String> {
        doc.select(&sel(&format!("#{id} + ul a")))
            .map(text)
            .collect()
    };
    let current = list("cheshire-and-merseyside-current");
    let former = list("cheshire-and-merseyside-former");
    assert!(
        current.contains(&"Knowsley (Place, from 2023)".to_string()),
        "{current:?}"
    );
    assert!(
        former.contains(&"Knowsley (CCG area, to 2022)".to_string()),
        "{former:?}"
    );
    assert_eq!(current.len() + former.len(), 18, "{current:?} {former:?}");
    // The home page leads to each of them.
    let home = html("index.html");
    for index in ["regions", "areas", "categories"] {
        let href = format!("{index}/index.html");
        assert!(
            home.select(&sel("main a"))
                .any(|a| a.value().attr("href") == Some(href.as_str())),
            "the home page does not link to {index}/"
        );
    }
}

#[test]
fn the_accessibility_statement_gives_the_publishers_contact_and_known_problems() {
    let doc = html("accessibility/index.html");
    let main = text(doc.select(&sel("main")).next().unwrap());
    assert!(main.contains("england.contactus@nhs.net"), "{main}");
    assert!(main.contains("partially compliant"), "{main}");
    // No reply time is promised where the publisher has not stated one.
    assert!(!main.contains("aim to reply within"), "{main}");
    assert!(
        main.contains("The PDF copies of the yearly reports"),
        "{main}"
    );
    assert!(
        main.contains("Equality Advisory and Support Service"),
        "{main}"
    );
    // Every page's footer mails the publisher about the page it is on.
    let footer = html("areas/knowsley/index.html");
    let report = footer
        .select(&sel("footer .report-problem a"))
        .next()
        .unwrap();
    assert_eq!(
        report.value().attr("href"),
        Some(
            "mailto:england.contactus@nhs.net?subject=Problem%20with%20the%20page%20%2Fareas%2Fknowsley%2F"
        )
    );
}

#[test]
fn gap_summary_and_counts_are_written_from_the_data() {
    let doc = html("regions/cheshire-and-merseyside/2022/index.html");
    let gaps: Vec<String> = doc.select(&sel("ul.gaps li")).map(text).collect();
    assert!(gaps.contains(&"No area in Cheshire and Merseyside has full provision of Parent Infant MH Service: 6 of 9 have some provision and 3 of 9 have none.".to_string()), "{gaps:#?}");
    let counts: Vec<String> = doc
        .select(&sel("table.counts tbody tr"))
        .map(text)
        .collect();
    assert!(counts[0].ends_with("0 full, 6 some, 3 none"), "{counts:?}");
    assert!(
        doc.select(&sel("svg.chart title")).next().is_some(),
        "chart has a title"
    );
    assert_eq!(
        doc.select(&sel(".small-map")).count(),
        12,
        "a key map and one map per category"
    );
}

#[test]
fn narrative_pages_embed_live_data() {
    let doc = html("findings/index.html");
    assert_eq!(doc.select(&sel("table.matrix")).count(), 2);
    assert!(doc.select(&sel("ul.gaps li")).count() >= 11);
    let sitemap = std::fs::read_to_string(site().join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>/findings/</loc>"));
    assert!(site().join("404.html").is_file());
}

#[test]
fn two_builds_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let mut sink = Vec::new();
    assert_eq!(
        scopemap::commands::build_command(&repo(), &dir.path().join("again"), false, &mut sink),
        0
    );
    let list = |root: &Path| -> BTreeMap<PathBuf, Vec<u8>> {
        walkdir::WalkDir::new(root)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    e.path().strip_prefix(root).unwrap().to_path_buf(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect()
    };
    assert!(
        list(site()) == list(&dir.path().join("again")),
        "the two builds differ"
    );
}

#[test]
fn categories_are_the_reports_and_neonatal_support_is_not_maternal_mental_health() {
    let framework = std::fs::read_to_string(repo().join("scoping-data/framework.yaml")).unwrap();
    assert!(!framework.contains("neonatal care"), "{framework}");
    // Each category's folder; categories/index.html lists them all.
    for entry in std::fs::read_dir(site().join("categories"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
    {
        let page = entry.path().join("index.html");
        let doc = Html::parse_document(&std::fs::read_to_string(&page).unwrap());
        let source = doc
            .select(&sel("p.source"))
            .next()
            .unwrap_or_else(|| panic!("{} names no source", page.display()));
        assert!(
            text(source).starts_with("From the 2022 reports"),
            "{}",
            page.display()
        );
    }
    let page = html("categories/maternal-mh-service/index.html");
    let listed: BTreeSet<String> = page
        .select(&sel("ul.name-list a"))
        .filter_map(|a| a.value().attr("href"))
        .filter_map(|h| h.split("directory/").nth(1))
        .map(|h| h.trim_end_matches("/index.html").to_string())
        .collect();
    assert_eq!(
        listed,
        BTreeSet::from(["reproductive-trauma-service".to_string()])
    );
    for id in [
        "chester-neonatal-peer-support",
        "lancashire-women-neonatal-support",
    ] {
        let doc = html(&format!("directory/{id}/index.html"));
        let kind = doc
            .select(&sel("dt"))
            .find(|dt| text(*dt) == "Type of service")
            .and_then(|dt| dt.next_siblings().find_map(scraper::ElementRef::wrap))
            .map(text)
            .unwrap();
        assert!(
            kind.starts_with("None of the rated categories: "),
            "{id}: {kind}"
        );
    }
}

#[test]
fn each_name_is_spelt_one_way() {
    let mut pages = Vec::new();
    for entry in walkdir::WalkDir::new(site()) {
        let entry = entry.unwrap();
        let path = entry.path();
        if path
            .extension()
            .is_some_and(|e| e == "html" || e == "csv" || e == "json")
        {
            pages.push((path.to_path_buf(), std::fs::read_to_string(path).unwrap()));
        }
    }
    assert!(pages.len() > 100);
    for (as_printed, name) in ONE_SPELLING {
        let escaped = as_printed.replace('&', "&amp;").replace('\'', "&#x27;");
        for (path, text) in &pages {
            assert!(
                !text.contains(as_printed) && !text.contains(&escaped),
                "{} spells {name} as {as_printed}",
                path.display()
            );
        }
    }
    // A public column says in plain words what it holds.
    let need =
        std::fs::read_to_string(site().join("regions/cheshire-and-merseyside/index.html")).unwrap();
    assert!(
        need.contains(">Calculated</th>"),
        "need and targets on the region page"
    );
    for (path, text) in &pages {
        assert!(!text.contains("Worked out by"), "{}", path.display());
    }
}

/// A service's name as its directory file states it.
fn service_name(id: &str) -> String {
    let file = repo().join(format!("scoping-data/directory/{id}.yaml"));
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{id}: {e}"));
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("name: "))
        .unwrap_or_else(|| panic!("{id} has no name"));
    line.trim().trim_matches('"').trim_matches('\'').to_string()
}

#[test]
fn evidence_under_a_rating_names_each_service() {
    let mut checked = 0;
    for entry in std::fs::read_dir(site().join("areas"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
    {
        let rel = format!("areas/{}/index.html", entry.file_name().to_string_lossy());
        let page = html(&rel);
        for link in page.select(&sel("td a[href*=\"directory/\"]")) {
            let href = link.value().attr("href").unwrap();
            let id = href
                .rsplit("directory/")
                .next()
                .unwrap()
                .trim_end_matches("/index.html");
            assert_eq!(text(link), service_name(id), "{rel}: the link to {id}");
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} evidence links");
}

#[test]
fn an_area_whose_boundary_stayed_the_same_says_so() {
    let lineage = |rel: &str| {
        let page = html(rel);
        page.select(&sel("#lineage ~ p"))
            .next()
            .map(text)
            .unwrap_or_default()
    };
    assert_eq!(
        lineage("areas/halton-ccg/index.html"),
        "Halton was replaced by the Place Halton, with the same boundary."
    );
    assert_eq!(
        lineage("areas/halton/index.html"),
        "Halton replaced the CCG area Halton, with the same boundary."
    );
    // A merger is not a boundary kept: Fylde Coast took over from two areas.
    assert!(lineage("areas/fylde-coast/index.html").starts_with("Fylde Coast took over from "));
    let all = std::fs::read_dir(site().join("areas")).unwrap();
    for entry in all.flatten().filter(|e| e.path().is_dir()) {
        let rel = format!("areas/{}/index.html", entry.file_name().to_string_lossy());
        let said = lineage(&rel);
        assert!(
            !said.contains("Halton is now part of Halton"),
            "{rel}: {said}"
        );
    }
}

#[test]
fn the_home_page_and_the_directory_give_one_count_of_services() {
    let count = |rel: &str, selector: &str, prefix: &str, suffix: &str| -> usize {
        let page = html(rel);
        let said = page
            .select(&sel(selector))
            .map(text)
            .find(|t| t.contains(suffix))
            .unwrap_or_else(|| panic!("{rel}: no sentence with {suffix:?}"));
        let after = match said.split_once(prefix) {
            Some((_, after)) if !prefix.is_empty() => after,
            _ => said.as_str(),
        };
        after
            .split(' ')
            .next()
            .unwrap()
            .replace(',', "")
            .parse()
            .unwrap()
    };
    let home = count(
        "index.html",
        "main p",
        "lists ",
        "services described in the returns",
    );
    let directory = count(
        "directory/index.html",
        "p.lead",
        "",
        "services described in the scoping returns",
    );
    let listed = std::fs::read_dir(repo().join("scoping-data/directory"))
        .unwrap()
        .flatten()
        .filter(|e| {
            let text = std::fs::read_to_string(e.path()).unwrap();
            !text.lines().any(|l| l == "status: decommissioned")
        })
        .count();
    assert_eq!((home, directory), (listed, listed));
}

#[test]
fn in_development_is_listed_apart_and_never_best_or_worst() {
    // Halton 2022: R for three types, A for five, B (in development) for maternal MH.
    let page = html("areas/halton-ccg/index.html");
    let gaps: Vec<String> = page
        .select(&sel("ul.area-gaps li .rating"))
        .map(text)
        .collect();
    let codes: Vec<&str> = gaps
        .iter()
        .map(|g| g.split(' ').nth(1).unwrap_or(""))
        .collect();
    assert_eq!(
        codes,
        ["R", "R", "R", "A", "A", "A", "A", "A", "B"],
        "{gaps:?}"
    );
    let rows: Vec<String> = page
        .select(&sel("table.compare tbody tr"))
        .map(text)
        .collect();
    let maternal = rows
        .iter()
        .find(|r| r.starts_with("Maternal MH Service"))
        .unwrap();
    assert!(
        maternal.ends_with(
            "not ranked against the other areas, as it is neither better nor worse than a rating."
        ),
        "{maternal}"
    );
    for row in &rows {
        assert!(
            !(row.contains("In development") && row.contains("Among the")),
            "{row}"
        );
    }
}
