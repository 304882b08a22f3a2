//! The 2022 reports re-presented: cover, document control, section and table numbers
//! checked against the source documents (the expected text is typed from the printed
//! reports), nothing from the July 2023 service model, and the errors of a narrative page
//! that misnames the source's sections.

mod common;

use common::{sel, text};
use scopemap::audience::Audience;
use scraper::Html;
use std::path::PathBuf;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shipped site, built once per test into a temporary folder.
fn shipped() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let (code, log) = common::build(&repo(), &out, Audience::Public);
    assert_eq!(code, 0, "{log}");
    (dir, out)
}

fn page(out: &std::path::Path, path: &str) -> Html {
    Html::parse_document(&std::fs::read_to_string(out.join(path)).unwrap())
}

const TITLE_START: &str = "Review of Mental Health and Relationship Support Services for families from conception to age 5 across the North-West Coast: ";
const AUTHOR: &str = "Dr Beth Luxmoore – Clinical Network Manager, Perinatal Mental Health, NWC Clinical Networks, NHSE";
const OWNER: &str = "Dr Gillian Strachan – Consultant Psychiatrist and Chair of the NWC Perinatal Mental Health Clinical Network for Lancashire and South Cumbria and Dr Ruth O’Shaughnessy – Consultant Clinical Psychologist and Chair NWC Perinatal Mental Health Clinical Network for Cheshire and Merseyside";
const CONTRIBUTORS: &str = "Ms Tracy Greenwood, Dr Lisa Marsland, Dr Libby Chamberlain - Co-Chairs, 0-5 Subgroup NWC Perinatal Mental Health Clinical Network With thanks to all members of the 0-5 subgroup and contributors from stakeholder organisations.";

/// The numbered headings of a source's contents page, as printed there.
fn source_sections(place: &str, section_2_5: &str) -> Vec<String> {
    [
        "1 Introduction",
        "1.1 Infant and Early Years Mental Health - National drivers and policy context",
        &format!("1.2 Local Systems and Context – {place}"),
        "1.3 Limitations and constraints",
        "2 Scoping of Services and Provision",
        "2.1 Overview of service provision",
        "2.2 Mental health services for children aged 0-5 years",
        "2.3 Specialist Perinatal Mental Health Services",
        "2.4 Children and Young Persons NHS Mental Health Services",
        &format!("2.5 Universal and enhanced service provision - {section_2_5}"),
        "2.5.1 Maternity and Antenatal Support and education groups",
        "2.5.2 Support to families with experience of Neonatal care",
        "2.5.3 Children’s centres / Family hubs",
        "2.5.4 Support to Early Years Settings",
        "2.6 Summary of scoping",
        "3 NWC conception to age five mental health summit event",
        "4 Recommendations",
        "5 References",
        "5.1 Recommended further reading",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

const REGIONS: [(&str, &str, &str); 2] = [
    (
        "cheshire-and-merseyside",
        "Cheshire and Merseyside",
        "Health Visiting, Specialist PIMH Health Visitors and FNP",
    ),
    (
        "lancashire-and-south-cumbria",
        "Lancashire and South Cumbria",
        "Health Visiting and Specialist PIMH Health Visitors",
    ),
];

#[test]
fn the_cover_says_it_re_presents_the_source_and_copies_its_document_control() {
    let (_dir, out) = shipped();
    for (region, place, _) in REGIONS {
        let doc = page(&out, &format!("regions/{region}/2022/report/index.html"));
        let note = text(
            doc.select(&sel(".title-page .re-presented"))
                .next()
                .unwrap(),
        );
        assert_eq!(
            note,
            format!(
                "Re-presented from {TITLE_START}{place}, version 1.1, May 2022; wording edited for the web; additions marked as such; ratings unchanged."
            )
        );
        let lead = text(doc.select(&sel(".title-page .lead")).next().unwrap());
        assert!(lead.starts_with("Ratings as at May 2022."), "{lead}");
        let rows: Vec<(String, String)> = doc
            .select(&sel("table.document-control tr"))
            .map(|tr| {
                (
                    text(tr.select(&sel("th")).next().unwrap()),
                    text(tr.select(&sel("td")).next().unwrap()),
                )
            })
            .collect();
        let expected: Vec<(String, String)> = [
            ("Version", "1.1"),
            ("Date", "May 2022"),
            ("Author", AUTHOR),
            ("Owner", OWNER),
            ("Contributors", CONTRIBUTORS),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        assert_eq!(rows, expected, "{region}");
        // The source states no status and no day of the month.
        let body = text(doc.select(&sel("main")).next().unwrap());
        assert!(!body.contains("(final)"), "{region}");
        assert!(!body.contains("1 May 2022"), "{region}");
        assert!(doc.select(&sel(".draft-mark")).next().is_none());
    }
}

#[test]
fn sections_and_tables_keep_the_source_numbers_and_titles() {
    let (_dir, out) = shipped();
    for (region, place, section_2_5) in REGIONS {
        let doc = page(&out, &format!("regions/{region}/2022/report/index.html"));
        let headings: Vec<String> = doc.select(&sel(".report-section > h2")).map(text).collect();
        let mut expected = source_sections(place, section_2_5);
        expected.push("A1 Services in the directory, by type".to_string());
        assert_eq!(headings, expected, "{region}");
        let contents: Vec<String> = doc.select(&sel("nav.contents li a")).map(text).collect();
        assert_eq!(
            contents, expected,
            "{region}: the contents list every section"
        );

        let recommendations: Vec<String> = doc
            .select(&sel("#section-recommendations ~ h3"))
            .map(text)
            .collect();
        assert_eq!(
            recommendations,
            [
                "Recommendation 1: Integrated commissioning approach to early years mental health support",
                "Recommendation 2: Model of best practice for joint delivery of services",
                "Additional recommendations",
            ],
            "{region}"
        );

        let captions: Vec<String> = doc.select(&sel("caption")).map(text).collect();
        let numbered: Vec<&String> = captions
            .iter()
            .filter(|c| c.starts_with("Table ") && !c.starts_with("Table A"))
            .collect();
        assert_eq!(
            numbered,
            [
                "Table 1 – responses to the scoping exercised returned by CCG area.",
                &format!(
                    "Table 2 – overview of relevant service provision for {place} by CCG area"
                ),
            ],
            "{region}: {captions:?}"
        );
        let figures: Vec<String> = doc.select(&sel("figcaption")).map(text).collect();
        assert!(
            figures.iter().all(|f| f.starts_with("Figure A")),
            "{region}: a figure the source did not print is numbered apart: {figures:?}"
        );

        let items: Vec<String> = doc.select(&sel(".source-items li")).map(text).collect();
        let named: Vec<&str> = items
            .iter()
            .map(|i| i.split(" – ").next().unwrap())
            .collect();
        let mut expected_items = vec![
            "Figure 1",
            "Figure 2",
            "Figure 3",
            "Figure 4",
            "Figure 5",
            "Table 1",
            "Table 2",
            "Text box 1",
        ];
        if region == "cheshire-and-merseyside" {
            expected_items.push("Text box 2");
        }
        assert_eq!(named, expected_items, "{region}");
        assert_eq!(
            items[0],
            "Figure 1 – Perinatal, parent infant and early years mental health services and systems, North West Coast Clinical Networks. Not reproduced."
        );
        assert!(
            items[6].ends_with("Reproduced from the returns in section 2.1."),
            "{}",
            items[6]
        );
    }
}

/// The need figures of Table 4 of the July 2023 service model, as printed there.
const NEED_2023: [(&str, [&str; 5]); 2] = [
    (
        "cheshire-and-merseyside",
        ["111,629", "3,628", "8,576", "10,251", "3,588"],
    ),
    (
        "lancashire-and-south-cumbria",
        ["74,276", "4,828", "5,060", "6,174", "2,161"],
    ),
];

#[test]
fn a_2022_report_holds_nothing_from_the_2023_need_model() {
    let (_dir, out) = shipped();
    for (region, figures) in NEED_2023 {
        let html =
            std::fs::read_to_string(out.join(format!("regions/{region}/2022/report/index.html")))
                .unwrap();
        for figure in figures {
            for form in [figure.to_string(), figure.replace(',', "")] {
                assert!(!html.contains(&form), "{region}: {form} in the 2022 report");
            }
        }
        assert!(!html.contains("Need and targets"), "{region}");
        assert!(!html.contains("initial target"), "{region}");
        // The need page still shows them.
        let need = std::fs::read_to_string(out.join("need/index.html")).unwrap();
        assert!(
            need.contains(figures[0]),
            "{region}: the need page lost {}",
            figures[0]
        );
        assert!(
            need.contains(figures[3]),
            "{region}: the need page lost {}",
            figures[3]
        );
    }
}

/// A site whose 2022 report records a source contents page, with the given narrative page.
fn site_with_section(front: &str) -> (i32, String) {
    let site = common::site_with("");
    let report = site.path().join("scoping-data/reports/2022/north.yaml");
    let yaml = std::fs::read_to_string(&report).unwrap();
    // The base report's own contents page (which its services cite) gives way to one with
    // a section 1.1; sections 2 and 2.1 and the text box stay for those citations.
    let mut yaml = yaml[..yaml.find("outline:").unwrap_or(yaml.len())].to_string();
    yaml.push_str(
        "re_presented: \"wording edited for the web\"\noutline:\n  - {number: \"1\", title: \"Introduction\", page: 3}\n  - {number: \"1.1\", title: \"Policy context\", page: 4}\n  - {number: \"2\", title: \"Services in the North\", page: 5}\n  - {number: \"2.1\", title: \"Parent-infant services\", page: 6}\ntables:\n  - {number: 1, title: \"returns by area\", reproduced_by: returns}\ntext_boxes:\n  - {number: 1, title: \"The Alpha Babies Team at home.\"}\n",
    );
    std::fs::write(&report, yaml).unwrap();
    let folder = site.path().join("content/reports/2022/north");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("intro.md"),
        "---\ntitle: Introduction\nsection: \"1\"\n---\nText.\n",
    )
    .unwrap();
    std::fs::write(folder.join("other.md"), front).unwrap();
    let out = site.path().join("public");
    let (code, log) = common::build(site.path(), &out, Audience::Public);
    if code == 0 {
        let doc = page(&out, "regions/north/2022/report/index.html");
        let headings: Vec<String> = doc.select(&sel(".report-section > h2")).map(text).collect();
        return (code, headings.join("\n"));
    }
    (code, log)
}

#[test]
fn a_page_naming_a_section_the_source_lacks_is_refused() {
    let (code, log) = site_with_section("---\ntitle: Policy\nsection: \"1.9\"\n---\nText.\n");
    assert_eq!(code, 1, "{log}");
    assert!(
        log.contains(
            "error[E200]: `section: 1.9` names no section of the source's contents page\n  --> content/reports/2022/north/other.md:3:10\n"
        ),
        "{log}"
    );
    assert!(log.contains("expected: one of 1, 1.1"), "{log}");
}

#[test]
fn two_pages_for_one_source_section_are_refused() {
    let (code, log) = site_with_section("---\ntitle: Introduction\nsection: \"1\"\n---\nMore.\n");
    assert_eq!(code, 1, "{log}");
    assert!(
        log.contains("error[E201]: section 1 of the source is already re-presented by content/reports/2022/north/intro.md\n  --> content/reports/2022/north/other.md:3:10\n"),
        "{log}"
    );
}

#[test]
fn a_section_keeps_the_source_title() {
    let (code, log) =
        site_with_section("---\ntitle: National policy\nsection: \"1.1\"\n---\nText.\n");
    assert_eq!(code, 1, "{log}");
    assert!(
        log.contains("error[E202]: the title differs from the source's title of section 1.1\n  --> content/reports/2022/north/other.md:2:8\n"),
        "{log}"
    );
    assert!(log.contains("expected: \"Policy context\""), "{log}");
}

#[test]
fn source_sections_come_first_in_source_order_and_additions_after() {
    let (code, headings) =
        site_with_section("---\ntitle: Policy context\nsection: \"1.1\"\norder: 1\n---\nText.\n");
    assert_eq!(code, 0, "{headings}");
    let headings: Vec<&str> = headings.lines().collect();
    assert_eq!(headings[..2], ["1 Introduction", "1.1 Policy context"]);
    assert!(
        headings[2..].iter().all(|h| h.starts_with('A')),
        "generated sections are additions: {headings:?}"
    );
}

#[test]
fn a_table_reproduced_by_no_block_is_refused() {
    let site = common::base_with("");
    let report = site.path().join("scoping-data/reports/2022/north.yaml");
    let yaml = std::fs::read_to_string(&report).unwrap().replace(
        "{number: 1, title: \"Returns by area\"}",
        "{number: 1, title: \"Returns by area\", reproduced_by: matrix}",
    );
    std::fs::write(&report, yaml).unwrap();
    let (_, diagnostics) = scopemap::commands::check_data(site.path());
    let d = diagnostics
        .iter()
        .find(|d| d.code == "E203")
        .unwrap_or_else(|| panic!("no E203: {diagnostics:#?}"));
    assert_eq!(
        d.message,
        "Table 1 is said to be reproduced by `matrix`, which is no table scopemap makes"
    );
    assert_eq!(d.file, "scoping-data/reports/2022/north.yaml");
    assert_eq!((d.line, d.column), (20, 58));
}
