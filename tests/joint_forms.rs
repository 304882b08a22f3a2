//! Joint forms: one workbook for several areas that return together, with a block of
//! rating columns per area, imported back as one return per area marked as returned
//! jointly, with every check of a single form made area by area and naming the cell.
//!
//! Filled forms are the same forms written again with values typed into their unlocked
//! cells (`FormFill::by_area` for each area's block); the blank forms are read with
//! calamine, as a person reading the sheet would.

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook};
use scopemap::commands::check_data;
use scopemap::forms::{
    AreaFill, FilledFormula, FilledRating, FormFill, import_forms, render_outcome, write_joint_form,
};
use scopemap::model::Dataset;
use scopemap::model::ReturnsSettings;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

const CM: &str = "cheshire-and-merseyside";

/// The shipped `scoping-data/` copied into a temp folder, so imports cannot touch it.
fn shipped_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    common::copy_dir(&repo.join("scoping-data"), &dir.path().join("scoping-data"));
    dir
}

fn load(root: &Path) -> Dataset {
    let (ds, diagnostics) = check_data(root);
    assert!(diagnostics.iter().all(|d| !d.is_error()), "{diagnostics:?}");
    ds
}

fn cell(path: &Path, sheet: &str, row: u32, col: u32) -> String {
    let mut wb: Xlsx<_> = open_workbook(path).expect("open form");
    let range = wb.worksheet_range(sheet).expect("sheet");
    match range.get_value((row, col)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// Category ids of the rating rows (from row 6), read from column A.
fn categories(path: &Path) -> Vec<String> {
    let mut wb: Xlsx<_> = open_workbook(path).expect("open form");
    let range = wb.worksheet_range("Ratings").expect("Ratings sheet");
    (5..range.end().map(|(r, _)| r + 1).unwrap_or(0))
        .filter_map(|row| match range.get_value((row, 0)) {
            Some(Data::String(id)) => Some(id.clone()),
            _ => None,
        })
        .collect()
}

fn rated(ids: &[String], code: &str) -> AreaFill {
    AreaFill {
        ratings: ids
            .iter()
            .map(|id| {
                (
                    id.clone(),
                    FilledRating {
                        rating: code.to_string(),
                        note: None,
                    },
                )
            })
            .collect(),
        ..AreaFill::default()
    }
}

fn joint(ds: &Dataset, fill: &FormFill, out: &Path) -> PathBuf {
    write_joint_form(
        ds,
        &ReturnsSettings::default(),
        2023,
        CM,
        &["knowsley", "st-helens"],
        fill,
        out,
    )
    .expect("joint form")
}

/// A copy of a workbook with `from` replaced by `to` in its shared strings, as when a
/// hidden cell is changed by hand.
fn with_string(form: &Path, from: &str, to: &str, out: &Path) {
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
    assert!(changed, "`{from}` is a shared string");
}

#[test]
fn forms_with_joint_writes_one_workbook_for_the_areas_that_return_together() {
    let dir = shipped_copy();
    let out = dir.path().join("forms");
    let mut log = Vec::new();
    let joint = ["knowsley,st-helens".to_string()];
    let code = scopemap::commands::forms_command(dir.path(), 2023, CM, &joint, &out, &mut log);
    let log = String::from_utf8(log).unwrap();
    assert_eq!(code, 0, "{log}");
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 8, "nine areas, two on one form: {names:?}");
    assert!(names.contains(&"2023-cheshire-and-merseyside-knowsley-and-st-helens.xlsx".into()));
    assert!(
        !names
            .iter()
            .any(|n| n.ends_with("-merseyside-knowsley.xlsx"))
    );
    assert!(
        !names
            .iter()
            .any(|n| n.ends_with("-merseyside-st-helens.xlsx"))
    );

    let form = out.join("2023-cheshire-and-merseyside-knowsley-and-st-helens.xlsx");
    assert_eq!(
        cell(&form, "Ratings", 0, 0),
        "Ratings for Knowsley, St Helens (Cheshire and Merseyside), 2023"
    );
    // The About sheet names both areas, side by side, and says format 3.
    assert_eq!(cell(&form, "About", 1, 1), "3");
    assert_eq!(cell(&form, "About", 4, 0), "area");
    assert_eq!(cell(&form, "About", 4, 1), "knowsley");
    assert_eq!(cell(&form, "About", 4, 2), "st-helens");
    // A block of columns per area: Knowsley D to I, St Helens J to O, each with its own
    // predecessor's last rating.
    assert_eq!(
        cell(&form, "Ratings", 4, 4),
        "Knowsley: this year's rating (2023)"
    );
    assert_eq!(
        cell(&form, "Ratings", 4, 10),
        "St Helens: this year's rating (2023)"
    );
    assert_eq!(cell(&form, "Ratings", 4, 11), "St Helens: note (optional)");
    assert_eq!(
        cell(&form, "Ratings", 4, 12),
        "St Helens: evidence, a service (optional)"
    );
    let ds = load(dir.path());
    let earlier = |area: &str, category: &str| -> String {
        let ret = ds
            .returns
            .iter()
            .map(|r| &r.value)
            .find(|r| r.year.value == 2022 && r.area.value == area)
            .unwrap();
        ret.rating(category).unwrap().rating.value.clone()
    };
    let first = &categories(&form)[0];
    assert!(
        cell(&form, "Ratings", 5, 3)
            .starts_with(&format!("Knowsley: {}", earlier("knowsley-ccg", first))),
        "{}",
        cell(&form, "Ratings", 5, 3)
    );
    assert!(
        cell(&form, "Ratings", 5, 9)
            .starts_with(&format!("St Helens: {}", earlier("st-helens-ccg", first))),
        "{}",
        cell(&form, "Ratings", 5, 9)
    );
    // Each area's evidence drop-downs list its own services: Knowsley's programmes are
    // offered to Knowsley only.
    let column = |col: u32| -> Vec<String> {
        (0..200)
            .map(|row| cell(&form, "About", row, col))
            .take_while(|c| !c.is_empty())
            .collect()
    };
    let knowsley = column(5);
    let st_helens = column(6);
    assert!(knowsley.contains(&"Knowsley antenatal and postnatal programmes".to_string()));
    assert!(!st_helens.contains(&"Knowsley antenatal and postnatal programmes".to_string()));
    assert!(st_helens.contains(&"Enhancing Families Pathway".to_string()));
    let instructions: Vec<String> = (0..40)
        .map(|row| cell(&form, "Instructions", row, 0))
        .collect();
    assert!(
        instructions.iter().any(|t| t.contains(
            "It covers 2 areas that return together, each rated separately in its own columns: Knowsley (columns D to I) and St Helens (columns J to O)."
        )),
        "{instructions:?}"
    );
}

#[test]
fn joint_groups_that_cannot_be_one_form_are_refused() {
    let dir = shipped_copy();
    let out = dir.path().join("forms");
    let run = |joint: &[&str]| -> (i32, String) {
        let joint: Vec<String> = joint.iter().map(|s| s.to_string()).collect();
        let mut log = Vec::new();
        let code = scopemap::commands::forms_command(dir.path(), 2023, CM, &joint, &out, &mut log);
        (code, String::from_utf8(log).unwrap())
    };
    let (code, log) = run(&["knowsley"]);
    assert_eq!(code, 2);
    assert!(
        log.contains("`--joint knowsley` names fewer than two areas"),
        "{log}"
    );
    let (code, log) = run(&["knowsley,st-helen"]);
    assert_eq!(code, 2);
    assert!(
        log.contains("region `cheshire-and-merseyside` has no area `st-helen`"),
        "{log}"
    );
    let (code, log) = run(&["knowsley,halton-ccg"]);
    assert_eq!(code, 2);
    assert!(
        log.contains("area `halton-ccg` is not in use in 2023"),
        "{log}"
    );
    let (code, log) = run(&["knowsley,st-helens", "st-helens,halton"]);
    assert_eq!(code, 2);
    assert!(
        log.contains("area `st-helens` is in more than one joint form"),
        "{log}"
    );
    let (code, log) = run(&["knowsley,st-helens,halton,wirral"]);
    assert_eq!(code, 2);
    assert!(log.contains("a form covers one to 3 areas, not 4"), "{log}");
    assert!(!out.exists() || std::fs::read_dir(&out).unwrap().count() == 0);
}

#[test]
fn a_joint_form_imports_as_one_return_per_area_marked_as_returned_together() {
    let dir = shipped_copy();
    let ds = load(dir.path());
    let data_dir = dir.path().join("scoping-data");
    let blank = joint(&ds, &FormFill::default(), &dir.path().join("blank"));
    let ids = categories(&blank);
    let mut knowsley = rated(&ids, "G");
    knowsley.evidence.insert(
        ids[0].clone(),
        vec!["Knowsley antenatal and postnatal programmes".into()],
    );
    let mut st_helens = rated(&ids, "A");
    st_helens.ratings.insert(
        ids[1].clone(),
        FilledRating {
            rating: "R".into(),
            note: Some("Only a pilot".into()),
        },
    );
    st_helens
        .evidence
        .insert(ids[0].clone(), vec!["Enhancing Families Pathway".into()]);
    let fill = FormFill {
        compiled_by: Some("Mersey commissioners".into()),
        compiled_on: Some("2023-05-02".into()),
        by_area: [
            ("knowsley".to_string(), knowsley),
            ("st-helens".to_string(), st_helens),
        ]
        .into_iter()
        .collect(),
        ..FormFill::default()
    };
    let form = joint(&ds, &fill, &dir.path().join("filled"));
    let outcome = import_forms(std::slice::from_ref(&form), &data_dir, false);
    let report = render_outcome(&outcome);
    assert!(outcome.failed.is_empty(), "{report}");
    assert_eq!(
        outcome.written,
        [
            data_dir.join(format!("returns/2023/{CM}/knowsley.yaml")),
            data_dir.join(format!("returns/2023/{CM}/st-helens.yaml")),
        ]
    );
    assert!(
        report.contains("  returned jointly as “Knowsley, St Helens” (submission.listed_as)"),
        "{report}"
    );
    let read = |area: &str| {
        std::fs::read_to_string(data_dir.join(format!("returns/2023/{CM}/{area}.yaml"))).unwrap()
    };
    let note = "One form was returned for Knowsley and for St Helens together; each area is rated separately.";
    for area in ["knowsley", "st-helens"] {
        let text = read(area);
        assert!(
            text.contains(&format!(
                "submission:\n  status: \"received\"\n  listed_as: \"Knowsley, St Helens\"\n  note: \"{note}\"\n"
            )),
            "{text}"
        );
        assert!(
            text.contains("compiled_by: \"Mersey commissioners\""),
            "{text}"
        );
    }
    assert!(
        read("knowsley").contains(&format!(
            "  {}:\n    rating: \"G\"\n    evidence:\n      - \"knowsley-antenatal-postnatal-programmes\"\n",
            ids[0]
        )),
        "{}",
        read("knowsley")
    );
    let st = read("st-helens");
    assert!(
        st.contains(&format!(
            "  {}:\n    rating: \"A\"\n    evidence:\n      - \"st-helens-enhancing-families-pathway\"\n",
            ids[0]
        )),
        "{st}"
    );
    assert!(
        st.contains(&format!(
            "  {}:\n    rating: \"R\"\n    note: \"Only a pilot\"\n",
            ids[1]
        )),
        "{st}"
    );
    // The project reads both back with their shared label, and is still valid.
    let after = load(dir.path());
    let labels: Vec<Option<String>> = ["knowsley", "st-helens"]
        .iter()
        .map(|area| {
            after
                .returns
                .iter()
                .map(|r| &r.value)
                .find(|r| r.year.value == 2023 && r.area.value == *area)
                .and_then(|r| r.submission.listed_as.as_ref().map(|l| l.value.clone()))
        })
        .collect();
    assert_eq!(
        labels,
        [
            Some("Knowsley, St Helens".to_string()),
            Some("Knowsley, St Helens".to_string())
        ]
    );
}

#[test]
fn each_areas_cells_of_a_joint_form_are_checked_and_named() {
    let dir = shipped_copy();
    let ds = load(dir.path());
    let data_dir = dir.path().join("scoping-data");
    let blank = joint(&ds, &FormFill::default(), &dir.path().join("blank"));
    let ids = categories(&blank);
    // St Helens (columns J to O): a service of Knowsley's as evidence in row 6, nothing in
    // row 7, a word for a code in row 8 and a formula in row 9.
    let mut st_helens = rated(&ids, "A");
    st_helens.evidence.insert(
        ids[0].clone(),
        vec!["Knowsley antenatal and postnatal programmes".into()],
    );
    st_helens.ratings.remove(&ids[1]);
    st_helens.ratings.insert(
        ids[2].clone(),
        FilledRating {
            rating: "green".into(),
            note: None,
        },
    );
    let fill = FormFill {
        by_area: [
            ("knowsley".to_string(), rated(&ids, "G")),
            ("st-helens".to_string(), st_helens),
        ]
        .into_iter()
        .collect(),
        formulas: vec![FilledFormula {
            sheet: "Ratings".into(),
            row: 8,
            col: 10,
            formula: "=\"G\"".into(),
            result: "G".into(),
        }],
        ..FormFill::default()
    };
    let form = joint(&ds, &fill, &dir.path().join("filled"));
    let outcome = import_forms(std::slice::from_ref(&form), &data_dir, false);
    let report = render_outcome(&outcome);
    assert!(outcome.written.is_empty(), "{report}");
    assert_eq!(outcome.failed, std::slice::from_ref(&form));
    for expected in [
        "error[E183]: Ratings!M6: `Knowsley antenatal and postnatal programmes` is not a service the directory lists for the form's area",
        "error[E012]: Ratings!K7: no rating for",
        ") in St Helens",
        "error[E010]: Ratings!K8: unknown rating code `green` for",
        "` in St Helens",
        "error[E180]: Ratings!K9: the cell holds the formula `=\"G\"`; type the value, not a formula",
    ] {
        assert!(report.contains(expected), "`{expected}` in\n{report}");
    }
    assert!(
        !report.contains("Ratings!E") && !report.contains("Ratings!G"),
        "Knowsley's cells are all right: {report}"
    );
    assert!(
        !data_dir
            .join(format!("returns/2023/{CM}/knowsley.yaml"))
            .exists()
    );

    // A hidden area changed by hand: the title and the column heading no longer match it,
    // and each mismatch names the visible cell and the hidden one.
    let good = joint(
        &ds,
        &{
            let mut f = FormFill::default();
            f.by_area.insert("knowsley".into(), rated(&ids, "G"));
            f.by_area.insert("st-helens".into(), rated(&ids, "A"));
            f
        },
        &dir.path().join("good"),
    );
    let changed = dir.path().join("changed.xlsx");
    with_string(&good, "st-helens", "halton", &changed);
    let outcome = import_forms(std::slice::from_ref(&changed), &data_dir, false);
    let report = render_outcome(&outcome);
    assert!(
        report.contains("error[E141]: Ratings!A1 reads “Ratings for Knowsley, St Helens (Cheshire and Merseyside), 2023” but About!B3:C5 say the form is for Knowsley, Halton (Cheshire and Merseyside), 2023"),
        "{report}"
    );
    assert!(
        report.contains("error[E141]: Ratings!K5 reads “St Helens: this year's rating (2023)” but About!C5 and About!B3 say this column is for Halton in 2023"),
        "{report}"
    );
    assert!(outcome.written.is_empty(), "{report}");

    // The same area on a joint form and on its own form in one import: the second fails,
    // named at its About cell.
    let single = scopemap::forms::write_form(
        &ds,
        2023,
        CM,
        "st-helens",
        &FormFill {
            ratings: rated(&ids, "R").ratings,
            ..FormFill::default()
        },
        &dir.path().join("single"),
    )
    .unwrap();
    let outcome = import_forms(&[good.clone(), single.clone()], &data_dir, true);
    let report = render_outcome(&outcome);
    assert!(
        report.contains(
            "error[E084]: About!B5: a second form for area `st-helens` in 2023 in this import"
        ),
        "{report}"
    );
    assert_eq!(outcome.failed, [single]);
    assert_eq!(outcome.written.len(), 2, "{report}");
}
