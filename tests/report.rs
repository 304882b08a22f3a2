//! The annual report: one document per region and year, numbered like the 2022 reports,
//! assembled from the same data as the site, and printable to PDF.

mod common;

use common::{sel, text};

use scopemap::audience::Audience;
use scraper::Html;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn shipped_report(region: &str) -> (tempfile::TempDir, Html) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let (code, log) = common::build(&repo(), &out, Audience::Public);
    assert_eq!(code, 0, "{log}");
    let html =
        std::fs::read_to_string(out.join(format!("regions/{region}/2022/report/index.html")))
            .unwrap();
    (dir, Html::parse_document(&html))
}

#[test]
fn a_report_without_a_source_is_numbered_in_order() {
    let site = common::site_with("");
    let out = site.path().join("public");
    let (code, log) = common::build(site.path(), &out, Audience::Public);
    assert_eq!(code, 0, "{log}");
    let doc = Html::parse_document(
        &std::fs::read_to_string(out.join("regions/north/2022/report/index.html")).unwrap(),
    );
    let headings: Vec<String> = doc.select(&sel(".report-section > h2")).map(text).collect();
    let numbers: Vec<&str> = headings
        .iter()
        .map(|h| h.split(' ').next().unwrap())
        .collect();
    let expected: Vec<String> = (1..=headings.len()).map(|n| n.to_string()).collect();
    assert_eq!(numbers, expected, "{headings:?}");
    let contents: Vec<String> = doc
        .select(&sel("nav.contents a"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    let ids: Vec<String> = doc
        .select(&sel(".report-section > h2"))
        .map(|h| format!("#{}", h.value().attr("id").unwrap()))
        .collect();
    assert_eq!(contents, ids, "the contents list links to every section");
    let captions: Vec<String> = doc.select(&sel("caption")).map(text).collect();
    assert!(
        captions
            .iter()
            .any(|c| c.starts_with("Table 1 – Responses to the scoping exercise")),
        "{captions:?}"
    );
    assert!(
        captions
            .iter()
            .any(|c| c.starts_with("Table 3 – Areas at each rating")),
        "{captions:?}"
    );
    let control: Vec<String> = doc
        .select(&sel("table.document-control td"))
        .map(text)
        .collect();
    assert_eq!(
        control[0], "1.0 (final)",
        "a status the file states is shown"
    );
    assert!(doc.select(&sel(".re-presented")).next().is_none());
    assert!(doc.select(&sel(".source-items")).next().is_none());
}

#[test]
fn the_report_matrix_is_the_same_as_the_site_matrix() {
    let (_dir, doc) = shipped_report("lancashire-and-south-cumbria");
    let expected: Vec<Vec<String>> =
        csv::Reader::from_path(common::fixtures().join("table2_2022.csv"))
            .unwrap()
            .records()
            .map(|r| r.unwrap())
            .filter(|r| &r[0] == "lancashire-and-south-cumbria")
            .map(|r| r.iter().skip(1).map(common::spelt).collect())
            .collect();
    let got: Vec<Vec<String>> = doc
        .select(&sel("table.matrix tbody tr"))
        .map(|tr| {
            let mut row = vec![text(tr.select(&sel("th a")).next().unwrap())];
            row.extend(tr.select(&sel("td .code")).map(text));
            row
        })
        .collect();
    assert_eq!(got, expected);
    let services: Vec<String> = doc.select(&sel(".report-service h4")).map(text).collect();
    assert!(
        services
            .iter()
            .any(|s| s.starts_with("Ribblemere Mother and Baby Unit")),
        "{services:?}"
    );
    assert!(
        services.iter().any(|s| s.starts_with("Good Enough Start")),
        "{services:?}"
    );
}

#[test]
fn a_draft_report_says_so() {
    let site = common::site_with("draft-report");
    let out = site.path().join("public");
    let (code, log) = common::build(site.path(), &out, Audience::Public);
    assert_eq!(code, 0, "{log}");
    let doc = Html::parse_document(
        &std::fs::read_to_string(out.join("regions/north/2022/report/index.html")).unwrap(),
    );
    assert_eq!(
        text(
            doc.select(&sel(".draft-mark"))
                .next()
                .expect("a DRAFT mark for every printed page")
        ),
        "DRAFT"
    );
    assert!(doc.select(&sel("body.is-draft")).next().is_some());
    assert!(text(doc.select(&sel(".draft-banner")).next().unwrap()).starts_with("Draft."));
}

fn tool(name: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("`{name}` is needed for this test: run `bash scripts/test.sh`, which installs it (Debian: apt-get install chromium poppler-utils)"))
}

/// Where test runs leave pictures for people to look at.
fn artifacts() -> PathBuf {
    let dir = repo().join("target/test-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_shipped_reports_print_to_pdf() {
    let pdftotext = tool("pdftotext");
    let pdfinfo = tool("pdfinfo");
    let pdftoppm = tool("pdftoppm");
    assert!(
        scopemap::pdf::find_chromium().is_some(),
        "Chromium is needed: {}",
        scopemap::pdf::INSTALL_HELP
    );
    let dir = tempfile::tempdir().unwrap();
    for (region, name) in [
        ("cheshire-and-merseyside", "Cheshire and Merseyside"),
        (
            "lancashire-and-south-cumbria",
            "Lancashire and South Cumbria",
        ),
    ] {
        let pdf = dir.path().join(format!("{region}.pdf"));
        let mut log = Vec::new();
        let code = scopemap::commands::report_pdf_command(&repo(), region, 2022, &pdf, &mut log);
        assert_eq!(code, 0, "{}", String::from_utf8_lossy(&log));
        let info =
            String::from_utf8(Command::new(&pdfinfo).arg(&pdf).output().unwrap().stdout).unwrap();
        let pages: usize = info
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        assert!((12..=60).contains(&pages), "{region}: {pages} pages");
        let text = String::from_utf8(
            Command::new(&pdftotext)
                .args(["-layout"])
                .arg(&pdf)
                .arg("-")
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap();
        assert!(
            text.contains(&format!(
                "Table 2 – overview of relevant service provision for {name} by CCG area"
            )),
            "{region}: matrix caption missing"
        );
        assert!(text.contains("Page 1 of"), "{region}: page numbers missing");
        assert!(
            text.contains(&format!("{name} · 2022")),
            "{region}: running header missing"
        );
        let pages_text: Vec<&str> = text.split('\u{c}').collect();
        // The list of the source's tables names it too, on the contents pages before it.
        let matrix_page = pages_text
            .iter()
            .rposition(|p| p.contains("Table 2 – overview"))
            .unwrap()
            + 1;
        assert!(
            pages_text[matrix_page - 1].contains("Key")
                && pages_text[matrix_page - 1].contains("No provision."),
            "{region}: the key is on the matrix page"
        );
        contents_pages_are_right(region, &pages_text);
        no_page_holds_only_a_line(region, &pages_text);
        let prefix = artifacts().join(format!("report-{region}"));
        let status = Command::new(&pdftoppm)
            .args([
                "-png",
                "-r",
                "60",
                "-f",
                &matrix_page.to_string(),
                "-l",
                &matrix_page.to_string(),
            ])
            .arg(&pdf)
            .arg(&prefix)
            .status()
            .unwrap();
        assert!(status.success());
    }
}

/// The body of a printed page: its lines without the running header and page number.
fn body_lines(page: &str) -> Vec<&str> {
    page.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.ends_with("· 2022") && !l.starts_with("Page "))
        .collect()
}

/// Every numbered entry of the contents page gives the page its section starts on.
fn contents_pages_are_right(region: &str, pages: &[&str]) {
    let contents = pages
        .iter()
        .position(|p| p.contains("Contents"))
        .expect("a contents page");
    let entry = regex::Regex::new(r"^((?:\d+(?:\.\d+)*|A\d+) .*?)\s{2,}(\d+)$").unwrap();
    let mut checked = 0;
    for line in pages[contents].lines().map(str::trim) {
        let Some(c) = entry.captures(line) else {
            continue;
        };
        let heading: String = c[1].chars().take(40).collect();
        let page: usize = c[2].parse().unwrap();
        assert!(
            body_lines(pages[page - 1])
                .iter()
                .any(|l| l.starts_with(&heading)),
            "{region}: the contents put `{heading}` on page {page}:\n{}",
            pages[page - 1]
        );
        checked += 1;
    }
    assert!(
        checked >= 15,
        "{region}: only {checked} contents entries with pages"
    );
}

/// No page holds only a line or two (the end of a paragraph, a lone footnote).
fn no_page_holds_only_a_line(region: &str, pages: &[&str]) {
    for (i, page) in pages.iter().enumerate() {
        let body = body_lines(page);
        if body.is_empty() {
            continue; // the end of the text: pdftotext's last form feed
        }
        assert!(
            body.len() >= 3,
            "{region}: page {} holds only {:?}",
            i + 1,
            body
        );
    }
}

#[test]
fn the_browser_is_found_on_the_path_or_named_explicitly() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        scopemap::pdf::find_chromium_in(None, Some(dir.path().as_os_str().to_owned())),
        None
    );
    std::fs::write(dir.path().join("chromium-browser"), "").unwrap();
    assert_eq!(
        scopemap::pdf::find_chromium_in(None, Some(dir.path().as_os_str().to_owned())),
        Some(dir.path().join("chromium-browser"))
    );
    assert_eq!(
        scopemap::pdf::find_chromium_in(Some("/opt/chrome".into()), None),
        Some(PathBuf::from("/opt/chrome"))
    );
    let err = scopemap::pdf::print_to_pdf(
        Path::new("/nonexistent/page.html"),
        &dir.path().join("x.pdf"),
    )
    .unwrap_err()
    .message;
    assert!(
        err.contains("cannot open /nonexistent/page.html") || err.contains("no Chromium found"),
        "{err}"
    );
    assert!(scopemap::pdf::INSTALL_HELP.contains("apt-get install chromium"));
}

#[test]
fn a_later_year_report_shows_changes_and_need() {
    let site = common::site_with("multi-year");
    let out = site.path().join("public");
    let (code, log) = common::build(site.path(), &out, Audience::Public);
    assert_eq!(code, 0, "{log}");
    let doc = Html::parse_document(
        &std::fs::read_to_string(out.join("regions/north/2024/report/index.html")).unwrap(),
    );
    let headings: Vec<String> = doc.select(&sel(".report-section > h2")).map(text).collect();
    assert!(
        headings
            .iter()
            .any(|h| h.ends_with("Changes since the previous year")),
        "{headings:?}"
    );
    assert!(
        headings.iter().any(|h| h.ends_with("Need and targets")),
        "{headings:?}"
    );
    let captions: Vec<String> = doc.select(&sel("caption")).map(text).collect();
    assert!(
        captions
            .iter()
            .any(|c| c.starts_with("Table 4 – Change in each rating from 2023 to 2024")),
        "{captions:?}"
    );
    assert!(
        captions
            .iter()
            .any(|c| c.starts_with("Table 5 – Need and initial target for North Region")),
        "{captions:?}"
    );
    let first = Html::parse_document(
        &std::fs::read_to_string(out.join("regions/north/2022/report/index.html")).unwrap(),
    );
    let headings: Vec<String> = first
        .select(&sel(".report-section > h2"))
        .map(text)
        .collect();
    assert!(
        !headings.iter().any(|h| h.contains("Changes since")),
        "no changes section in the first year: {headings:?}"
    );
}

#[test]
fn only_the_latest_report_carries_full_service_entries() {
    // The directory describes services as they are now: the latest year's report has each
    // service's entry, earlier reports name the services and point to it.
    let site = common::site_with("multi-year");
    let out = site.path().join("public");
    let (code, log) = common::build(site.path(), &out, Audience::Public);
    assert_eq!(code, 0, "{log}");
    let read = |year: u16| {
        Html::parse_document(
            &std::fs::read_to_string(out.join(format!("regions/north/{year}/report/index.html")))
                .unwrap(),
        )
    };
    let latest = read(2024);
    let entries: Vec<String> = latest
        .select(&sel(".report-service h4"))
        .map(text)
        .collect();
    assert!(
        entries.iter().any(|e| e.starts_with("Alpha Babies Team")),
        "{entries:?}"
    );
    assert_eq!(latest.select(&sel(".report-service-names")).count(), 0);

    let earlier = read(2022);
    assert_eq!(earlier.select(&sel(".report-service")).count(), 0);
    let named: Vec<(String, String)> = earlier
        .select(&sel(".report-service-names a"))
        .map(|a| (text(a), a.value().attr("href").unwrap_or("").to_string()))
        .collect();
    assert_eq!(
        named,
        vec![(
            "Alpha Babies Team".to_string(),
            "../../../../directory/alpha-babies/index.html".to_string()
        )]
    );
    let to_latest = earlier.select(&sel(".report-section a")).any(|a| {
        a.value().attr("href") == Some("../../../../regions/north/2024/report/index.html")
    });
    assert!(to_latest, "an earlier report links to the latest one");
}

/// A stand-in for Chromium: a shell script that records the address it was given beside
/// itself, then runs `body` with `$out` set to the file it was told to print to.
#[cfg(unix)]
fn fake_browser(dir: &Path, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let script = dir.join(format!("chromium-{}", body.len()));
    let text = format!(
        "#!/bin/sh\nfor a in \"$@\"; do\n  case \"$a\" in --print-to-pdf=*) out=\"${{a#--print-to-pdf=}}\";; esac\n  last=\"$a\"\ndone\nprintf '%s' \"$last\" > \"$(dirname \"$0\")/address.txt\"\n{body}\n"
    );
    std::fs::write(&script, text).unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

/// Run `scopemap report` on the fixture site with `browser` as Chromium; (exit code, output).
#[cfg(unix)]
fn report_with(root: &Path, browser: &Path, pdf: &Path) -> (i32, String) {
    let run = Command::new(env!("CARGO_BIN_EXE_scopemap"))
        .args(["report", "--region", "north", "--year", "2022", "--root"])
        .arg(root)
        .arg("--pdf")
        .arg(pdf)
        .env("SCOPEMAP_CHROMIUM", browser)
        .output()
        .unwrap();
    let mut text = String::from_utf8_lossy(&run.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&run.stderr));
    (run.status.code().unwrap_or(-1), text)
}

#[cfg(unix)]
#[test]
fn a_failing_browser_fails_the_report_and_leaves_an_older_pdf_alone() {
    let site = common::site_with("");
    let tools = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("north.pdf");
    let older = b"%PDF-1.4 the older report".to_vec();
    std::fs::write(&pdf, &older).unwrap();
    for (body, says) in [
        (
            "echo 'fake chromium: crashed' >&2\nexit 3",
            "failed (exit status: 3): fake chromium: crashed; ",
        ),
        ("exit 0", "did not write a PDF (it printed no message); "),
        ("echo 'not a pdf' > \"$out\"", "did not write a PDF"),
        (
            "printf '%%PDF-1.4 half' > \"$out\"\nexit 1",
            "failed (exit status: 1)",
        ),
    ] {
        let browser = fake_browser(tools.path(), body);
        let (code, printed) = report_with(site.path(), &browser, &pdf);
        assert_eq!(code, 2, "{body}: {printed}");
        assert!(
            printed.contains(&format!(
                "error: the PDF was not made: {}",
                browser.display()
            )),
            "{body}: {printed}"
        );
        assert!(printed.contains(says), "{body}: {printed}");
        assert!(
            printed.contains(&format!("{} was left as it was", pdf.display())),
            "{body}: {printed}"
        );
        assert!(!printed.contains("wrote "), "{body}: {printed}");
        assert_eq!(std::fs::read(&pdf).unwrap(), older, "{body}");
        let left: Vec<_> = std::fs::read_dir(out.path()).unwrap().flatten().collect();
        assert_eq!(left.len(), 1, "{body}: no partial file is left behind");
    }

    // A PDF that shows no page for the report's sections cannot number its contents.
    let browser = fake_browser(tools.path(), "printf '%%PDF-1.4 new' > \"$out\"");
    let (code, printed) = report_with(site.path(), &browser, &pdf);
    assert_eq!(code, 2, "{printed}");
    assert!(printed.contains("cannot read the printed PDF"), "{printed}");
    assert_eq!(std::fs::read(&pdf).unwrap(), older);

    // A browser that works replaces the older PDF.
    let built = tempfile::tempdir().unwrap();
    let (code, log) = common::build(site.path(), built.path(), Audience::Public);
    assert_eq!(code, 0, "{log}");
    let report =
        std::fs::read_to_string(built.path().join("regions/north/2022/report/index.html")).unwrap();
    let ids: Vec<String> = Html::parse_document(&report)
        .select(&sel(".toc-page"))
        .map(|s| s.value().attr("data-for").unwrap().to_string())
        .collect();
    let printed_pdf = tools.path().join("printed.pdf");
    std::fs::write(&printed_pdf, pdf_with_destinations(&ids)).unwrap();
    let browser = fake_browser(
        tools.path(),
        &format!("cp '{}' \"$out\"", printed_pdf.display()),
    );
    let (code, printed) = report_with(site.path(), &browser, &pdf);
    assert_eq!(code, 0, "{printed}");
    assert!(
        printed.contains(&format!("wrote {}", pdf.display())),
        "{printed}"
    );
    assert_eq!(
        std::fs::read(&pdf).unwrap(),
        std::fs::read(&printed_pdf).unwrap()
    );
}

/// A one-page PDF with a named destination on its page for each id, as Chromium writes
/// one for each element id of the page it prints.
fn pdf_with_destinations(ids: &[String]) -> Vec<u8> {
    use lopdf::{Dictionary, Document, Object, dictionary};
    let mut doc = Document::with_version("1.4");
    let pages_id = doc.new_object_id();
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => vec![page_id.into()],
            "Count" => 1,
        }),
    );
    let mut dests = Dictionary::new();
    for id in ids {
        dests.set(
            id.as_bytes().to_vec(),
            Object::Array(vec![
                page_id.into(),
                Object::Name(b"XYZ".to_vec()),
                0.into(),
                800.into(),
                Object::Null,
            ]),
        );
    }
    let catalog = doc.add_object(dictionary! {
        "Type" => "Catalog",
        "Pages" => pages_id,
        "Dests" => dests,
    });
    doc.trailer.set("Root", catalog);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    bytes
}

#[cfg(unix)]
#[test]
fn the_page_address_is_percent_encoded() {
    let tools = tempfile::tempdir().unwrap();
    let browser = fake_browser(tools.path(), "printf '%%PDF-1.4' > \"$out\"");
    let pages = tempfile::tempdir().unwrap();
    let folder = pages.path().join("a b#c%d?e");
    std::fs::create_dir(&folder).unwrap();
    let page = folder.join("report.html");
    std::fs::write(&page, "<title>x</title>").unwrap();
    let pdf = folder.join("out #1.pdf");
    scopemap::pdf::print_with(&browser, &page, &pdf).unwrap();
    let address = std::fs::read_to_string(tools.path().join("address.txt")).unwrap();
    let expected = format!(
        "file://{}/a%20b%23c%25d%3Fe/report.html",
        pages.path().canonicalize().unwrap().display()
    );
    assert_eq!(address, expected);
    assert_eq!(
        url::Url::parse(&address).unwrap().to_file_path().unwrap(),
        page.canonicalize().unwrap()
    );
    assert_eq!(std::fs::read(&pdf).unwrap(), b"%PDF-1.4");
}
