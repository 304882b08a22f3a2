//! The brief of a Place: a page per area and year, printable on one or two A4 pages, and
//! `scopemap report --area` / `--all`, which print it through a local Chromium. The printed
//! ratings are checked against the returns as the data files give them, and a return still
//! awaited shows no rating.

mod common;

use clap::Parser;
use common::{sel, text};
use scopemap::audience::Audience;
use scraper::Html;
use std::path::{Path, PathBuf};
use std::process::Command;

const CM: &str = "cheshire-and-merseyside";
const LSC: &str = "lancashire-and-south-cumbria";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn tool(name: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("`{name}` is needed for this test: run `bash scripts/test.sh`, which installs it (Debian: apt-get install chromium poppler-utils)"))
}

/// `scopemap ARGS…` run in-process: (exit status, everything it printed).
fn scopemap(args: &[&str]) -> (i32, String) {
    let cli = scopemap::commands::Cli::try_parse_from(
        std::iter::once("scopemap").chain(args.iter().copied()),
    )
    .unwrap_or_else(|e| panic!("{args:?}: {e}"));
    let mut out = Vec::new();
    let code = scopemap::commands::run(cli, &mut out);
    (code, String::from_utf8(out).unwrap())
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// scoping-data/, content/, themes/ and scopemap.yaml of the repository, in a temp folder.
fn shipped_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for folder in ["scoping-data", "content", "themes"] {
        common::copy_dir(&repo().join(folder), &dir.path().join(folder));
    }
    std::fs::copy(
        repo().join("scopemap.yaml"),
        dir.path().join("scopemap.yaml"),
    )
    .unwrap();
    dir
}

/// Every (region, area, codes of its ratings in the order of the year's categories) of the
/// shipped returns of `year`, read from the YAML files through the loader.
fn returned_ratings(year: u16) -> Vec<(String, String, Vec<String>)> {
    let (ds, diagnostics) = scopemap::commands::check_data(&repo());
    assert!(!diagnostics.iter().any(|d| d.is_error()), "{diagnostics:?}");
    let fw = ds.framework().unwrap();
    let categories: Vec<String> = fw
        .categories_in(year)
        .into_iter()
        .map(|c| c.id.value.clone())
        .collect();
    let mut out = Vec::new();
    for region in ds.regions().iter().map(|r| &r.value) {
        for area in &region.areas {
            let Some(ret) = ds.returns.iter().map(|r| &r.value).find(|r| {
                r.year.value == year
                    && r.region.value == region.id.value
                    && r.area.value == area.id.value
            }) else {
                continue;
            };
            let codes = categories
                .iter()
                .filter_map(|c| ret.rating(c))
                .map(|e| e.rating.value.to_uppercase())
                .collect();
            out.push((region.id.value.clone(), area.id.value.clone(), codes));
        }
    }
    out
}

/// The rating codes of the printed ratings table, top to bottom: each rating is printed as
/// its symbol and code ("✕ R"), between the table's caption and the key.
fn printed_codes(text: &str, symbols: &[(String, String)]) -> Vec<String> {
    let start = text
        .find("by type of service")
        .unwrap_or_else(|| panic!("no ratings table in:\n{text}"));
    let rest = &text[start..];
    let end = rest
        .lines()
        .scan(0, |at, line| {
            let here = *at;
            *at += line.len() + 1;
            Some((here, line))
        })
        .find(|(_, line)| line.trim() == "Key")
        .map(|(at, _)| at)
        .unwrap_or_else(|| panic!("no key after the ratings table in:\n{text}"));
    let table = &rest[..end];
    let mut found: Vec<(usize, String)> = Vec::new();
    for (glyph, code) in symbols {
        let mark = format!("{glyph} {code} ");
        found.extend(table.match_indices(&mark).map(|(i, _)| (i, code.clone())));
    }
    found.sort();
    found.into_iter().map(|(_, code)| code).collect()
}

fn page_count(pdfinfo: &Path, pdf: &Path) -> u32 {
    let info = Command::new(pdfinfo).arg(pdf).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout).to_string();
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count for {}: {info}", pdf.display()))
}

#[test]
fn every_shipped_brief_prints_the_returned_ratings_on_at_most_two_pages() {
    let pdftotext = tool("pdftotext");
    let pdfinfo = tool("pdfinfo");
    assert!(
        scopemap::pdf::find_chromium().is_some(),
        "Chromium is needed: {}",
        scopemap::pdf::INSTALL_HELP
    );
    let (ds, _) = scopemap::commands::check_data(&repo());
    let symbols: Vec<(String, String)> = ds
        .framework()
        .unwrap()
        .ratings
        .iter()
        .map(|r| (r.glyph.value.clone(), r.code.value.clone()))
        .collect();
    let expected = returned_ratings(2022);
    let regions: std::collections::BTreeSet<&str> =
        expected.iter().map(|(r, _, _)| r.as_str()).collect();
    assert_eq!(
        regions.into_iter().collect::<Vec<_>>(),
        [CM, LSC],
        "both shipped regions have 2022 returns"
    );

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("briefs");
    let root = repo();
    let (code, log) = scopemap(&[
        "report",
        "--root",
        root.to_str().unwrap(),
        "--all",
        "--year",
        "2022",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{log}");
    assert!(
        log.contains(&format!("printed {} briefs of 2022", expected.len())),
        "{log}"
    );
    let artifacts = root.join("target/test-artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    for (region, area, codes) in &expected {
        let pdf = out.join(scopemap::commands::brief_file_name(2022, region, area));
        assert!(pdf.is_file(), "no brief for {area}: {log}");
        let pages = page_count(&pdfinfo, &pdf);
        assert!((1..=2).contains(&pages), "{area}'s brief has {pages} pages");
        let printed = Command::new(&pdftotext)
            .args(["-layout"])
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap();
        let printed = String::from_utf8_lossy(&printed.stdout).to_string();
        assert_eq!(
            &printed_codes(&printed, &symbols),
            codes,
            "{area}'s printed ratings differ from its return:\n{printed}"
        );
        assert!(printed.contains("2022 brief"), "{printed}");
        if area == "blackpool-ccg" {
            std::fs::copy(&pdf, artifacts.join("brief-blackpool-2022.pdf")).unwrap();
        }
    }
}

#[test]
fn one_brief_prints_to_the_named_file() {
    let pdfinfo = tool("pdfinfo");
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("knowsley.pdf");
    let root = repo();
    let (code, log) = scopemap(&[
        "report",
        "--root",
        root.to_str().unwrap(),
        "--area",
        "knowsley-ccg",
        "--year",
        "2022",
        "--pdf",
        pdf.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{log}");
    assert!(log.contains("wrote "), "{log}");
    assert!((1..=2).contains(&page_count(&pdfinfo, &pdf)));
}

#[test]
fn a_brief_page_for_every_return_linked_from_its_area() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let (code, log) = common::build(&repo(), &out, Audience::Public);
    assert_eq!(code, 0, "{log}");
    let mut titles = std::collections::BTreeSet::new();
    for (_, area, codes) in returned_ratings(2022) {
        let page = out.join(format!("areas/{area}/2022/brief/index.html"));
        let doc = Html::parse_document(&read(&page));
        let title = text(doc.select(&sel("title")).next().unwrap());
        assert!(titles.insert(title.clone()), "{title} twice");
        let shown: Vec<String> = doc
            .select(&sel(".brief-ratings td > .rating"))
            .map(|td| text(td).split(' ').nth(1).unwrap_or_default().to_string())
            .collect();
        assert_eq!(shown, codes, "{area}");
        let area_page = Html::parse_document(&read(&out.join(format!("areas/{area}/index.html"))));
        let links: Vec<&str> = area_page
            .select(&sel(".brief-links a"))
            .filter_map(|a| a.value().attr("href"))
            .collect();
        assert_eq!(
            links,
            [format!("../../areas/{area}/2022/brief/index.html")],
            "{area}"
        );
    }
    // A Place made after 2022 has no return yet, so no brief and no link.
    assert!(!out.join("areas/fylde-coast/2022").exists());
    let place = read(&out.join("areas/fylde-coast/index.html"));
    assert!(!place.contains("brief-links"));
    let (code, log) = scopemap(&[
        "check",
        "--root",
        repo().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{log}");
}

#[test]
fn an_awaited_return_shows_no_rating_and_the_predecessors_by_name() {
    let project = shipped_project();
    let root = project.path();
    for region in [CM, LSC] {
        let mut out = Vec::new();
        let code = scopemap::commands::new_year_command(root, 2023, region, &mut out);
        assert_eq!(code, 0, "{}", String::from_utf8_lossy(&out));
    }
    // Knowsley's form came back confirming one rating: the others, carried forward and
    // not confirmed, stay awaited.
    let knowsley = root.join("scoping-data/returns/2023/cheshire-and-merseyside/knowsley.yaml");
    let carried = "    carried_forward: true\n    carried_from:\n      - year: 2022\n        area: \"knowsley-ccg\"\n";
    let edited = read(&knowsley)
        .replace("status: \"awaiting-return\"", "status: \"received\"")
        .replace(
            "  note: \"The form for this year has not been returned yet.\"\n",
            "",
        )
        .replacen(carried, "", 1);
    std::fs::write(&knowsley, edited).unwrap();
    let out = root.join("public");
    let (code, log) = common::build(root, &out, Audience::Public);
    assert_eq!(code, 0, "{log}");

    let doc = Html::parse_document(&read(&out.join("areas/knowsley/2023/brief/index.html")));
    let shown: Vec<String> = doc
        .select(&sel(".brief-ratings td > .rating"))
        .map(|c| c.value().attr("class").unwrap().to_string())
        .collect();
    assert_eq!(shown[0], "rating rating-A", "the confirmed rating");
    assert!(
        shown[1..].iter().all(|c| c == "rating rating-awaiting"),
        "{shown:?}"
    );
    let note = text(doc.select(&sel("#brief-ratings ~ .note")).next().unwrap());
    assert!(
        note.starts_with(&format!("{} ratings were carried forward", shown.len() - 1)),
        "{note}"
    );
    let status = text(doc.select(&sel(".brief-status")).next().unwrap());
    assert_eq!(status, "Knowsley returned its 2023 form.");

    let page = out.join("areas/fylde-coast/2023/brief/index.html");
    let doc = Html::parse_document(&read(&page));
    assert_eq!(
        text(doc.select(&sel("h1")).next().unwrap()),
        "Fylde Coast (Place, from 2023) — 2023 brief"
    );
    let status = text(doc.select(&sel(".brief-status")).next().unwrap());
    assert!(status.starts_with("Awaiting return:"), "{status}");
    let cells: Vec<_> = doc.select(&sel(".brief-ratings td > .rating")).collect();
    assert!(!cells.is_empty());
    for cell in &cells {
        let class = cell.value().attr("class").unwrap();
        assert_eq!(class, "rating rating-awaiting", "{}", cell.html());
        assert!(text(*cell).contains("Awaiting return"), "{}", cell.html());
    }
    // No rating of the framework anywhere in the ratings table.
    let table = doc
        .select(&sel("table.brief-ratings"))
        .next()
        .unwrap()
        .html();
    for code in ["G", "A", "R", "B"] {
        assert!(
            !table.contains(&format!("rating-{code}\"")),
            "{code} in {table}"
        );
    }
    assert!(
        doc.select(&sel("#brief-gaps")).next().is_none(),
        "no gaps are stated for a return nobody made"
    );
    // What changed: the 2022 ratings of each area Fylde Coast took over from, by name.
    let changes = text(doc.select(&sel("table.brief-changes")).next().unwrap());
    assert!(changes.contains("Blackpool: "), "{changes}");
    assert!(changes.contains("Fylde and Wyre: "), "{changes}");
    let took_over = text(doc.select(&sel("#brief-changes + p")).next().unwrap());
    assert!(
        took_over.contains("took over from Blackpool"),
        "{took_over}"
    );

    // The Place's page links to its brief; the CCG's 2022 brief is still there.
    let area_page = read(&out.join("areas/fylde-coast/index.html"));
    assert!(area_page.contains("href=\"../../areas/fylde-coast/2023/brief/index.html\""));
    assert!(
        out.join("areas/blackpool-ccg/2022/brief/index.html")
            .is_file()
    );
    let (code, log) = scopemap(&[
        "check",
        "--root",
        root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{log}");

    // Printed, the brief of a Place awaiting its first return still fits on two pages.
    let pdf = root.join("fylde-coast-2023.pdf");
    let (code, log) = scopemap(&[
        "report",
        "--root",
        root.to_str().unwrap(),
        "--area",
        "fylde-coast",
        "--year",
        "2023",
        "--pdf",
        pdf.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{log}");
    assert!((1..=2).contains(&page_count(&tool("pdfinfo"), &pdf)));
}

#[test]
fn wrong_arguments_are_named_with_their_fix() {
    let root = repo();
    let root = root.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("x.pdf");
    let pdf = pdf.to_str().unwrap();

    let (code, log) = scopemap(&[
        "report",
        "--root",
        root,
        "--area",
        "knowsey-ccg",
        "--year",
        "2022",
        "--pdf",
        pdf,
    ]);
    assert_eq!(code, 1, "{log}");
    assert!(
        log.contains("error[E270]: unknown area `knowsey-ccg`; did you mean `knowsley-ccg`?"),
        "{log}"
    );

    let (code, log) = scopemap(&[
        "report",
        "--root",
        root,
        "--area",
        "knowsley-ccg",
        "--year",
        "2023",
        "--pdf",
        pdf,
    ]);
    assert_eq!(code, 1, "{log}");
    assert!(
        log.contains("error[E271]: `knowsley-ccg` has no return for 2023"),
        "{log}"
    );
    assert!(
        log.contains("use a year Knowsley has a return for: 2022"),
        "{log}"
    );

    let (code, log) = scopemap(&[
        "report", "--root", root, "--area", "knowsley", "--year", "2022", "--pdf", pdf,
    ]);
    assert_eq!(code, 1, "{log}");
    assert!(log.contains("[E271]"), "{log}");
    assert!(log.contains("`--area knowsley-ccg`"), "{log}");

    let (code, log) = scopemap(&["report", "--root", root, "--all", "--year", "2022"]);
    assert_eq!(code, 2, "{log}");
    assert!(log.contains("error[E272]"), "{log}");
    assert!(log.contains("add `--out DIR`"), "{log}");

    let out = dir.path().join("briefs");
    let out = out.to_str().unwrap();
    let (code, log) = scopemap(&[
        "report", "--root", root, "--all", "--year", "2022", "--region", "nowhere", "--out", out,
    ]);
    assert_eq!(code, 1, "{log}");
    assert!(
        log.contains("error[E273]: unknown region `nowhere`"),
        "{log}"
    );
    let (code, log) = scopemap(&[
        "report", "--root", root, "--all", "--year", "2031", "--out", out,
    ]);
    assert_eq!(code, 1, "{log}");
    assert!(log.contains("[E273]"), "{log}");
    assert!(
        log.contains("no area of any region has a return for 2031"),
        "{log}"
    );

    let (code, log) = scopemap(&[
        "report",
        "--root",
        root,
        "--area",
        "knowsley-ccg",
        "--year",
        "2022",
    ]);
    assert_eq!(code, 2, "{log}");
    assert!(log.contains("error[E274]: no `--pdf` file"), "{log}");
    let (code, log) = scopemap(&[
        "report", "--root", root, "--all", "--year", "2022", "--out", out, "--pdf", pdf,
    ]);
    assert_eq!(code, 2, "{log}");
    assert!(log.contains("[E274]"), "{log}");
    assert!(!Path::new(pdf).exists() && !Path::new(out).exists());
}

#[test]
fn a_browser_that_ends_at_once_is_reported_with_what_it_said() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("chromium");
    std::fs::write(
        &script,
        "#!/bin/sh\necho 'fake chromium: no pipe here' >&2\nexit 3\n",
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let Err(failure) = scopemap::pdf::browser::Browser::launch(&script) else {
        panic!("a browser that ends at once cannot print");
    };
    // It ended before or after taking the first command, depending on timing.
    let m = &failure.message;
    assert!(
        m.starts_with("the browser ended (")
            || m.starts_with("the browser stopped taking commands ("),
        "{m}"
    );
    assert!(m.ends_with("(fake chromium: no pipe here)"), "{m}");
}
