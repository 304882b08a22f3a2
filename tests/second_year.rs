//! The second year, end to end, on a copy of the shipped project: `new-year 2023` for both
//! regions, forms (one joint form for two areas that return together), forms filled in
//! (changed, unchanged, one with an error, one for the wrong year, contact details for the
//! directory on a Services sheet), `import` with no file deleted by hand, `validate` and
//! `build`. The 2023 pages and downloads say what was returned, jointly or not, and what
//! is awaited; the directory shows the contact details with the return as their source;
//! and the 2022 matrix, the 2022 rows of the downloads and the 2022 report are
//! byte-for-byte what they were.

mod common;

use common::{sel, text};
use scopemap::audience::Audience;
use scopemap::forms::{
    AreaFill, FilledFormula, FilledRating, FormFill, ServiceFill, write_form, write_joint_form,
};
use scopemap::model::ReturnsSettings;
use scraper::Html;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

const CM: &str = "cheshire-and-merseyside";
const LSC: &str = "lancashire-and-south-cumbria";
/// A service of Central and West Lancashire, and one of Central Lancashire only.
const HYPF: &str = "lancashire-hypf-parenting-team";
const NEONATAL: &str = "lancashire-women-neonatal-support";

/// scoping-data/, content/, themes/ and scopemap.yaml of the repository, in a temp folder.
fn shipped_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for folder in ["scoping-data", "content", "themes"] {
        common::copy_dir(&repo.join(folder), &dir.path().join(folder));
    }
    std::fs::copy(repo.join("scopemap.yaml"), dir.path().join("scopemap.yaml")).unwrap();
    dir
}

fn run(f: impl FnOnce(&mut Vec<u8>) -> i32) -> (i32, String) {
    let mut out = Vec::new();
    let code = f(&mut out);
    (code, String::from_utf8(out).unwrap())
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The outer HTML of the first element matching `selector`.
fn fragment(page: &Path, selector: &str) -> String {
    let html = Html::parse_document(&read(page));
    html.select(&sel(selector))
        .next()
        .unwrap_or_else(|| panic!("{selector} in {}", page.display()))
        .html()
}

fn rows_of_year(csv: &str, year: &str) -> Vec<String> {
    csv.lines()
        .filter(|l| l.starts_with(&format!("{year},")))
        .map(str::to_string)
        .collect()
}

fn json_rows_of_year(json: &str, year: u16) -> Vec<String> {
    json.lines()
        .filter(|l| l.contains(&format!("\"year\":{year},")))
        .map(|l| l.trim_end_matches(',').to_string())
        .collect()
}

/// What must not change in 2022: the matrices, the download rows and the reports.
fn year_2022(site: &Path) -> Vec<String> {
    let mut kept = Vec::new();
    for region in [CM, LSC] {
        kept.push(fragment(
            &site.join(format!("regions/{region}/2022/index.html")),
            "table.matrix",
        ));
        kept.push(read(
            &site.join(format!("regions/{region}/2022/report/index.html")),
        ));
    }
    kept.extend(rows_of_year(
        &read(&site.join("data/provision.csv")),
        "2022",
    ));
    kept.extend(json_rows_of_year(
        &read(&site.join("data/provision.json")),
        2022,
    ));
    kept
}

/// Every 2022 rating of an area, by category.
fn ratings_2022(ds: &scopemap::model::Dataset, area: &str) -> Vec<(String, String)> {
    let ret = ds
        .returns
        .iter()
        .map(|r| &r.value)
        .find(|r| r.year.value == 2022 && r.area.value == area)
        .unwrap();
    ret.ratings
        .iter()
        .map(|(k, e)| (k.value.clone(), e.value.rating.value.clone()))
        .collect()
}

fn fill(ratings: &[(String, String)]) -> FormFill {
    FormFill {
        compiled_by: Some("Commissioning team".into()),
        compiled_on: Some("2023-05-02".into()),
        ratings: ratings
            .iter()
            .map(|(k, code)| {
                (
                    k.clone(),
                    FilledRating {
                        rating: code.clone(),
                        note: None,
                    },
                )
            })
            .collect(),
        ..FormFill::default()
    }
}

/// A copy of a workbook whose hidden About sheet says `to` where it said the year `from`,
/// as when a form is copied from one year to another by hand.
fn with_hidden_year(form: &Path, from: u16, to: u16, out: &Path) {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(form).unwrap()).unwrap();
    let mut writer = zip::ZipWriter::new(std::fs::File::create(out).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut changed = false;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let name = part.name().unwrap().to_string();
        let mut bytes = Vec::new();
        part.read_to_end(&mut bytes).unwrap();
        if name == "xl/sharedStrings.xml" {
            let text = String::from_utf8(bytes).unwrap();
            let swapped = text.replace(&format!("<t>{from}</t>"), &format!("<t>{to}</t>"));
            changed = swapped != text;
            bytes = swapped.into_bytes();
        }
        writer.start_file(name, options).unwrap();
        writer.write_all(&bytes).unwrap();
    }
    writer.finish().unwrap();
    assert!(changed, "the About sheet's year is a shared string");
}

#[test]
fn the_2023_cycle_runs_start_to_finish_without_hand_edits() {
    let project = shipped_project();
    let root = project.path();
    let before = root.join("site-before");
    let (code, log) = common::build(root, &before, Audience::Public);
    assert_eq!(code, 0, "{log}");
    let kept_before = year_2022(&before);

    // 1. New year, for both regions: every file awaits its form.
    for region in [CM, LSC] {
        let (code, out) = run(|o| scopemap::commands::new_year_command(root, 2023, region, o));
        assert_eq!(code, 0, "{out}");
    }
    let (code, status) = run(|o| scopemap::commands::status_command(root, 2023, None, o));
    assert_eq!(code, 0, "{status}");
    assert!(
        status.contains("Cheshire and Merseyside, 2023: 0 of 9 areas returned, 9 awaiting"),
        "{status}"
    );
    let fylde = read(&root.join(format!("scoping-data/returns/2023/{LSC}/fylde-coast.yaml")));
    assert!(
        fylde.contains("predecessor_ratings:\n  parent-infant-mh-service:\n    - area: \"blackpool-ccg\"\n      year: 2022\n      rating: \"B\""),
        "Blackpool's B and Fylde and Wyre's R are both kept, neither is chosen: {fylde}"
    );

    // 2. Forms for both regions; Central Lancashire and West Lancashire return together.
    let blank = root.join("forms");
    let (code, out) = run(|o| scopemap::commands::forms_command(root, 2023, CM, &[], &blank, o));
    assert_eq!(code, 0, "{out}");
    let joint = ["central-lancashire,west-lancashire".to_string()];
    let (code, out) =
        run(|o| scopemap::commands::forms_command(root, 2023, LSC, &joint, &blank, o));
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(&format!(
            "{LSC}-central-lancashire-and-west-lancashire.xlsx"
        )),
        "{out}"
    );
    assert_eq!(std::fs::read_dir(&blank).unwrap().count(), 13);

    // 3. Filled forms, as commissioners would send them back.
    let ds = scopemap::commands::check_data(root).0;
    let filled = root.join("filled");
    // Halton: the same as its 2022 return (no change) but for one improvement.
    let mut halton = ratings_2022(&ds, "halton-ccg");
    assert_eq!(halton[0], ("parent-infant-mh-service".into(), "A".into()));
    halton[0].1 = "G".into();
    let mut halton_fill = fill(&halton);
    halton_fill.evidence.insert(
        halton[0].0.clone(),
        vec!["Baby and Infant Bonding Support".into()],
    );
    let halton_form = write_form(&ds, 2023, CM, "halton", &halton_fill, &filled).unwrap();
    // Wirral: "No change" chosen in every row.
    let wirral = ratings_2022(&ds, "wirral-ccg");
    let no_change: Vec<(String, String)> = wirral
        .iter()
        .map(|(k, _)| (k.clone(), "No change".to_string()))
        .collect();
    let wirral_form = write_form(&ds, 2023, CM, "wirral", &fill(&no_change), &filled).unwrap();
    // Fylde Coast: its own ratings for a Place whose predecessors differed.
    let fylde_codes: Vec<(String, String)> = ratings_2022(&ds, "blackpool-ccg")
        .into_iter()
        .map(|(k, _)| (k, "A".to_string()))
        .collect();
    let fylde_form =
        write_form(&ds, 2023, LSC, "fylde-coast", &fill(&fylde_codes), &filled).unwrap();
    // Central and West Lancashire, on one form: Central's own ratings, "No change" for
    // West; on the Services sheet, a website and phone number for a service of both areas
    // and an e-mail address for one of Central Lancashire's only.
    let central = AreaFill {
        ratings: fill(
            &ratings_2022(&ds, "greater-preston-ccg")
                .into_iter()
                .map(|(k, _)| (k, "A".to_string()))
                .collect::<Vec<_>>(),
        )
        .ratings,
        ..AreaFill::default()
    };
    let west_2022 = ratings_2022(&ds, "west-lancashire-ccg");
    let west = AreaFill {
        ratings: fill(
            &west_2022
                .iter()
                .map(|(k, _)| (k.clone(), "No change".to_string()))
                .collect::<Vec<_>>(),
        )
        .ratings,
        ..AreaFill::default()
    };
    let mut lancashire_fill = fill(&[]);
    lancashire_fill.by_area = [
        ("central-lancashire".to_string(), central),
        ("west-lancashire".to_string(), west),
    ]
    .into_iter()
    .collect();
    lancashire_fill.contacts = [
        (
            HYPF.to_string(),
            ServiceFill {
                website: Some("https://www.example.org.uk/hypf".into()),
                phone: Some("01772 555 0199".into()),
                ..ServiceFill::default()
            },
        ),
        (
            NEONATAL.to_string(),
            ServiceFill {
                email: Some("neonatal@example.org.uk".into()),
                ..ServiceFill::default()
            },
        ),
    ]
    .into_iter()
    .collect();
    let lancashire_form = write_joint_form(
        &ds,
        &ReturnsSettings::default(),
        2023,
        LSC,
        &["central-lancashire", "west-lancashire"],
        &lancashire_fill,
        &filled,
    )
    .unwrap();
    let service_name = |id: &str| {
        ds.services()
            .iter()
            .find(|s| s.value.id.value == id)
            .map(|s| s.value.name.value.trim().to_string())
            .unwrap()
    };
    // Liverpool: one rating that is not a code, and one typed as a formula.
    let mut liverpool = ratings_2022(&ds, "liverpool-ccg");
    liverpool[1].1 = "Y".into();
    let mut liverpool_fill = fill(&liverpool);
    liverpool_fill.formulas.push(FilledFormula {
        sheet: "Ratings".into(),
        row: 7,
        col: 4,
        formula: "=\"G\"".into(),
        result: "G".into(),
    });
    let liverpool_form = write_form(&ds, 2023, CM, "liverpool", &liverpool_fill, &filled).unwrap();
    // Knowsley: a 2023 form whose hidden year was changed to 2024.
    let knowsley = ratings_2022(&ds, "knowsley-ccg");
    let knowsley_2023 = write_form(&ds, 2023, CM, "knowsley", &fill(&knowsley), &filled).unwrap();
    let knowsley_form = filled.join("knowsley-copied.xlsx");
    with_hidden_year(&knowsley_2023, 2023, 2024, &knowsley_form);

    // 4. Import: the good forms replace the files awaiting them; the others are listed.
    let forms: Vec<PathBuf> = vec![
        halton_form.clone(),
        wirral_form,
        fylde_form,
        lancashire_form,
        liverpool_form.clone(),
        knowsley_form.clone(),
    ];
    let (code, out) =
        run(|o| scopemap::commands::import_forms_command(root, &forms, true, false, o));
    assert_eq!(code, 1, "two forms have errors: {out}");
    assert!(out.contains("error[E010]"), "{out}");
    assert!(
        out.contains("error[E180]")
            && out.contains(
                "Ratings!E8: the cell holds the formula `=\"G\"`; type the value, not a formula"
            ),
        "{out}"
    );
    assert!(
        out.contains("Ratings!E"),
        "the bad rating's cell is named: {out}"
    );
    assert!(
        out.contains("error[E141]") && out.contains("Ratings!A1 reads “Ratings for Knowsley (Cheshire and Merseyside), 2023” but About!B3:B5 say the form is for Knowsley (Cheshire and Merseyside), 2024"),
        "{out}"
    );
    assert!(!root.join("scoping-data/returns/2024").exists());
    assert!(
        out.contains(&format!(
            "scoping-data/returns/2023/{CM}/halton.yaml: replaces the return awaiting its form"
        )),
        "{out}"
    );
    assert!(
        out.contains("  Parent Infant MH Service: 2022: A in Halton -> G (improved)"),
        "{out}"
    );
    assert!(
        out.contains("  Parent Infant MH Service: 2022: B in Blackpool, R in Fylde and Wyre -> A (predecessors differed)"),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "  Parent Infant MH Service: 2022: {} in Wirral -> {} (no change, confirmed on the form)",
            wirral[0].1, wirral[0].1
        )),
        "{out}"
    );
    assert!(
        out.contains("5 returns written, 2 directory files changed, 2 forms not imported"),
        "{out}"
    );
    // The joint form: one return per area, each saying it was returned jointly.
    assert!(
        out.contains(
            "  returned jointly as “Central Lancashire, West Lancashire” (submission.listed_as)"
        ),
        "{out}"
    );
    for area in ["central-lancashire", "west-lancashire"] {
        let text = read(&root.join(format!("scoping-data/returns/2023/{LSC}/{area}.yaml")));
        assert!(
            text.contains("  status: \"received\"\n  listed_as: \"Central Lancashire, West Lancashire\"\n  note: \"One form was returned for Central Lancashire and for West Lancashire together; each area is rated separately.\"\n"),
            "{text}"
        );
    }
    // The Services sheet's details, each citing the return of every area of the form the
    // service is listed for, printed as they are written.
    for line in [
        format!(
            "scoping-data/directory/{HYPF}.yaml ({}), from the Services sheet:",
            service_name(HYPF)
        ),
        "  url: “https://www.example.org.uk/hypf” (new; source: return-2023-central-lancashire, return-2023-west-lancashire)".to_string(),
        "  phone: “01772 555 0199” (new; source: return-2023-central-lancashire, return-2023-west-lancashire)".to_string(),
        "  email: “neonatal@example.org.uk” (new; source: return-2023-central-lancashire)".to_string(),
    ] {
        assert!(out.contains(&line), "`{line}` in\n{out}");
    }
    let hypf = read(&root.join(format!("scoping-data/directory/{HYPF}.yaml")));
    for added in [
        "url: \"https://www.example.org.uk/hypf\"\n",
        "phone: \"01772 555 0199\"\n",
        "  return-2023-central-lancashire:\n    return: \"2023/central-lancashire\"\n  return-2023-west-lancashire:\n    return: \"2023/west-lancashire\"\n",
        "  url: [return-2023-central-lancashire, return-2023-west-lancashire]\n",
        "  phone: [return-2023-central-lancashire, return-2023-west-lancashire]\n",
    ] {
        assert!(hypf.contains(added), "`{added}` in\n{hypf}");
    }
    let neonatal = read(&root.join(format!("scoping-data/directory/{NEONATAL}.yaml")));
    assert!(
        neonatal.contains("email: \"neonatal@example.org.uk\"\n")
            && neonatal.contains("  email: return-2023-central-lancashire\n")
            && !neonatal.contains("2023/west-lancashire"),
        "{neonatal}"
    );

    // A 2022 form for a CCG that Halton replaced, its hidden year changed to 2023: the
    // retired area is named at its cell, with the Place that succeeds it.
    let ccg_2022 = write_form(
        &ds,
        2022,
        CM,
        "halton-ccg",
        &fill(&ratings_2022(&ds, "halton-ccg")),
        &root.join("old-forms"),
    )
    .unwrap();
    let ccg_form = filled.join("halton-ccg-copied.xlsx");
    with_hidden_year(&ccg_2022, 2022, 2023, &ccg_form);
    let (code, out) = run(|o| {
        scopemap::commands::import_forms_command(
            root,
            std::slice::from_ref(&ccg_form),
            false,
            false,
            o,
        )
    });
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("error[E016]: About!B5: area `halton-ccg` is not in use in 2023")
            && out.contains("succeeded by Halton"),
        "{out}"
    );

    // The service chosen by name as evidence is recorded by its directory id.
    assert!(
        read(&root.join(format!("scoping-data/returns/2023/{CM}/halton.yaml"))).contains(
            "  parent-infant-mh-service:\n    rating: \"G\"\n    evidence:\n      - \"bibs-halton-warrington\"\n"
        ),
        "{}",
        read(&root.join(format!("scoping-data/returns/2023/{CM}/halton.yaml")))
    );

    // A return that came back is not replaced without --force, and --force says what it
    // overwrote.
    let halton_file = root.join(format!("scoping-data/returns/2023/{CM}/halton.yaml"));
    let imported = read(&halton_file);
    let again = std::slice::from_ref(&halton_form);
    let (code, out) =
        run(|o| scopemap::commands::import_forms_command(root, again, false, false, o));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("error[E083]") && out.contains("--force"),
        "{out}"
    );
    assert_eq!(read(&halton_file), imported);
    let (code, out) =
        run(|o| scopemap::commands::import_forms_command(root, again, false, true, o));
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("halton.yaml: overwrites the return that came back (received); it said: Parent Infant MH Service G,"),
        "{out}"
    );

    // "No change" recorded Wirral CCG's 2022 ratings as Wirral's returned 2023 ratings.
    let after = scopemap::commands::check_data(root).0;
    let wirral_2023 = after
        .returns
        .iter()
        .map(|r| &r.value)
        .find(|r| r.year.value == 2023 && r.area.value == "wirral")
        .unwrap();
    assert_eq!(wirral_2023.submission.status.value, "received");
    let codes_2023: Vec<(String, String)> = wirral_2023
        .ratings
        .iter()
        .map(|(k, e)| (k.value.clone(), e.value.rating.value.clone()))
        .collect();
    assert_eq!(codes_2023, wirral);

    // 5. Validate: the awaited files are not errors.
    let (code, out) =
        run(|o| scopemap::commands::validate_command(root, scopemap::commands::Format::Human, o));
    assert_eq!(code, 0, "{out}");
    let (_, status) = run(|o| scopemap::commands::status_command(root, 2023, Some(CM), o));
    assert!(
        status.starts_with("Cheshire and Merseyside, 2023: 2 of 9 areas returned, 7 awaiting"),
        "{status}"
    );
    let (_, status) = run(|o| scopemap::commands::status_command(root, 2023, Some(LSC), o));
    assert!(
        status.starts_with("Lancashire and South Cumbria, 2023: 3 of 5 areas returned, 2 awaiting"),
        "{status}"
    );

    // 6. Build, and read what the 2023 pages and downloads say.
    let site = root.join("site");
    let (code, log) = common::build(root, &site, Audience::Public);
    assert_eq!(code, 0, "{log}");
    let page = Html::parse_document(&read(&site.join(format!("regions/{CM}/2023/index.html"))));
    let row = |area: &str| -> Vec<String> {
        page.select(&sel("table.matrix tbody tr"))
            .find(|tr| tr.select(&sel("th a")).any(|a| text(a) == area))
            .unwrap_or_else(|| panic!("row {area}"))
            .select(&sel("td"))
            .map(text)
            .collect()
    };
    assert_eq!(
        row("Halton")[0],
        "Parent Infant MH Service: ✓ G Full provision"
    );
    assert!(
        row("Liverpool")
            .iter()
            .all(|c| c.contains("Awaiting return — 2022:")),
        "{:?}",
        row("Liverpool")
    );
    let changes: Vec<String> = page
        .select(&sel("#changes ~ p"))
        .take(1)
        .map(text)
        .collect();
    assert_eq!(
        changes,
        ["Compared with 2022: 1 improved, 21 unchanged, 77 awaiting return."]
    );
    let gaps: Vec<String> = page.select(&sel("ul.gaps li")).map(text).collect();
    assert!(
        gaps.iter()
            .all(|g| g.contains("7 areas have not returned yet.")),
        "{gaps:?}"
    );
    assert!(
        !gaps
            .iter()
            .any(|g| g.starts_with("Every area in Cheshire and Merseyside has")),
        "{gaps:?}"
    );

    let csv = read(&site.join("data/provision.csv"));
    let rows_2023 = rows_of_year(&csv, "2023");
    assert_eq!(rows_2023.len(), 14 * 11);
    let of = |area: &str| -> Vec<&String> {
        rows_2023
            .iter()
            .filter(|r| r.contains(&format!(",{area},")))
            .collect()
    };
    assert!(
        of("halton")[0].ends_with(",G,Full provision,,yes,returned"),
        "{:?}",
        of("halton")
    );
    assert!(of("wirral").iter().all(|r| r.ends_with(",yes,returned")));
    assert!(
        of("liverpool")
            .iter()
            .all(|r| r.ends_with(",,,,no,awaiting return")),
        "{:?}",
        of("liverpool")
    );

    // The joint return: one row of the returns table for both areas, each area's history
    // saying so, and every rating returned.
    let lsc = Html::parse_document(&read(&site.join(format!("regions/{LSC}/2023/index.html"))));
    let returns: Vec<Vec<String>> = lsc
        .select(&sel("table.returns tbody tr"))
        .map(|tr| tr.select(&sel("th, td")).map(text).collect())
        .collect();
    assert!(
        returns.contains(&vec![
            "Central Lancashire, West Lancashire".to_string(),
            "Returned".to_string(),
            "Central Lancashire; West Lancashire".to_string(),
        ]),
        "{returns:?}"
    );
    let west = Html::parse_document(&read(&site.join("areas/west-lancashire/index.html")));
    let captions: Vec<String> = west
        .select(&sel("table.history caption"))
        .map(text)
        .collect();
    assert!(
        captions.contains(
            &"West Lancashire, 2023 (return received as part of “Central Lancashire, West Lancashire”)"
                .to_string()
        ),
        "{captions:?}"
    );
    assert_eq!(of("west-lancashire").len(), west_2022.len());
    assert!(
        of("west-lancashire")
            .iter()
            .all(|r| r.ends_with(",yes,returned")),
        "{:?}",
        of("west-lancashire")
    );
    // The directory shows the contact details, and says which returns they come from.
    let service = read(&site.join(format!("directory/{HYPF}/index.html")));
    for shown in [
        "href=\"https://www.example.org.uk/hypf\"",
        "01772 555 0199",
        "The 2023 return for Central Lancashire.",
        "The 2023 return for West Lancashire.",
    ] {
        assert!(service.contains(shown), "`{shown}` on the service page");
    }

    // The 2022 matrices, rows and reports are exactly what they were.
    let kept_after = year_2022(&site);
    assert_eq!(kept_before.len(), kept_after.len());
    for (b, a) in kept_before.iter().zip(&kept_after) {
        assert!(b == a, "a 2022 view changed:\n{b}\n---\n{a}");
    }
}
