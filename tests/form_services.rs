//! The Services sheet of a form: the directory's services for the area with cells for their
//! public contact details and how families get them, imported into each service's
//! directory file with the return as the source of every fact written. A detail the
//! directory states differently needs `--force`, and the import says what it overwrote.
//!
//! Filled forms are the same forms written again with values typed into their unlocked
//! cells (`FormFill::contacts`); the blank forms are read with calamine.

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook};
use scopemap::commands::check_data;
use scopemap::forms::{
    FilledRating, FormFill, ImportOutcome, ServiceFill, import_forms_with, render_outcome,
    write_form,
};
use scopemap::model::Dataset;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

const CM: &str = "cheshire-and-merseyside";
const BIBS: &str = "bibs-halton-warrington";

fn shipped_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    common::copy_dir(&repo.join("scoping-data"), &dir.path().join("scoping-data"));
    dir
}

/// States in the copy that BIBS takes referrals from professionals, cited to the report
/// section that describes it, so that a form can confirm or change a stated detail (the
/// shipped file leaves who can refer unstated, as its source does).
fn state_bibs_referral(root: &Path) {
    let path = root.join(format!("scoping-data/directory/{BIBS}.yaml"));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains("referral"), "{text}");
    let text = text
        .replacen(
            "interventions:\n",
            "referral:\n  - professional\ninterventions:\n",
            1,
        )
        .replacen(
            "  interventions: cm-2.2\n",
            "  referral: cm-2.2\n  interventions: cm-2.2\n",
            1,
        );
    std::fs::write(&path, text).unwrap();
}

fn load(root: &Path) -> Dataset {
    let (ds, diagnostics) = check_data(root);
    assert!(diagnostics.iter().all(|d| !d.is_error()), "{diagnostics:?}");
    ds
}

/// Every non-empty cell of a sheet, by (row, column).
fn sheet(path: &Path, name: &str) -> Vec<((u32, u32), String)> {
    let mut wb: Xlsx<_> = open_workbook(path).expect("open form");
    let range = wb.worksheet_range(name).expect("sheet");
    range
        .cells()
        .filter_map(|(r, c, v)| match v {
            Data::String(s) if !s.is_empty() => {
                Some(((range.start().unwrap().0 + r as u32, c as u32), s.clone()))
            }
            _ => None,
        })
        .collect()
}

fn at(cells: &[((u32, u32), String)], row: u32, col: u32) -> String {
    cells
        .iter()
        .find(|(p, _)| *p == (row, col))
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// Halton's 2023 form with every category rated G, and `contacts` typed on its Services
/// sheet.
fn halton_form(ds: &Dataset, contacts: &[(&str, ServiceFill)], out: &Path) -> PathBuf {
    let ratings = ds
        .framework()
        .unwrap()
        .categories_in(2023)
        .into_iter()
        .map(|c| {
            (
                c.id.value.clone(),
                FilledRating {
                    rating: "G".into(),
                    note: None,
                },
            )
        })
        .collect();
    let fill = FormFill {
        ratings,
        contacts: contacts
            .iter()
            .map(|(id, f)| (id.to_string(), f.clone()))
            .collect(),
        ..FormFill::default()
    };
    write_form(ds, 2023, CM, "halton", &fill, out).expect("form")
}

fn import(root: &Path, form: &Path, force: bool) -> (ImportOutcome, String) {
    let outcome = import_forms_with(
        std::slice::from_ref(&form.to_path_buf()),
        &root.join("scoping-data"),
        false,
        force,
    );
    let report = render_outcome(&outcome);
    (outcome, report)
}

fn directory_file(root: &Path, id: &str) -> String {
    std::fs::read_to_string(root.join(format!("scoping-data/directory/{id}.yaml"))).unwrap()
}

#[test]
fn the_services_sheet_lists_the_areas_services_with_what_the_directory_says_now() {
    let dir = shipped_copy();
    let ds = load(dir.path());
    let form = halton_form(&ds, &[], &dir.path().join("forms"));
    let cells = sheet(&form, "Services");
    // Services on offer listed for Halton, for Halton CCG (which it succeeds) or for the
    // whole region, by name.
    let mut expected: Vec<(String, String)> = ds
        .services()
        .iter()
        .map(|s| &s.value)
        .filter(|s| s.status.value != "decommissioned")
        .filter(|s| {
            s.areas
                .iter()
                .any(|a| a.value == "halton" || a.value == "halton-ccg")
                || s.regions.iter().any(|r| r.value == CM)
        })
        .map(|s| (s.name.value.trim().to_string(), s.id.value.clone()))
        .collect();
    expected.sort();
    assert!(expected.iter().any(|(_, id)| id == BIBS));
    let listed: Vec<(String, String)> = (4..4 + expected.len() as u32)
        .map(|row| (at(&cells, row, 1), at(&cells, row, 0)))
        .collect();
    assert_eq!(listed, expected);
    assert_eq!(at(&cells, 4 + expected.len() as u32, 0), "");
    assert_eq!(at(&cells, 3, 3), "Website");
    assert_eq!(at(&cells, 3, 7), "Who can refer");
    let bibs_row = 4 + expected.iter().position(|(_, id)| id == BIBS).unwrap() as u32;
    assert_eq!(
        at(&cells, bibs_row, 2),
        "Website: not stated\nPhone: not stated\nE-mail: not stated\nHow families get it: not stated\nWho can refer: not stated"
    );
}

#[test]
fn contact_details_go_into_the_directory_with_the_return_as_their_source() {
    let dir = shipped_copy();
    let root = dir.path();
    state_bibs_referral(root);
    let ds = load(root);
    let before = directory_file(root, BIBS);
    let typed = ServiceFill {
        website: Some("https://www.example.nhs.uk/bibs".into()),
        phone: Some("01928 555 0100".into()),
        email: Some("bibs@example.nhs.uk".into()),
        how_to_access: Some("Ask your midwife or health visitor to refer you.".into()),
        // What the directory says already: the return becomes a further source.
        who_can_refer: Some("A professional".into()),
    };
    let form = halton_form(&ds, &[(BIBS, typed)], &root.join("forms"));
    let (outcome, report) = import(root, &form, false);
    assert!(outcome.failed.is_empty(), "{report}");
    assert_eq!(
        outcome.directory,
        [root.join(format!("scoping-data/directory/{BIBS}.yaml"))]
    );
    for line in [
        format!("wrote {}", root.join(format!("scoping-data/directory/{BIBS}.yaml")).display()),
        format!("scoping-data/directory/{BIBS}.yaml (Baby and Infant Bonding Support), from the Services sheet:"),
        "  url: “https://www.example.nhs.uk/bibs” (new; source: return-2023-halton)".into(),
        "  phone: “01928 555 0100” (new; source: return-2023-halton)".into(),
        "  email: “bibs@example.nhs.uk” (new; source: return-2023-halton)".into(),
        "  how_to_access: “Ask your midwife or health visitor to refer you.” (new; source: return-2023-halton)".into(),
        "  referral: [professional] (confirmed; source added: return-2023-halton)".into(),
        "1 return written, 1 directory file changed, 0 forms not imported".into(),
    ] {
        assert!(report.contains(&line), "`{line}` in\n{report}");
    }
    let after = directory_file(root, BIBS);
    // Everything the file said is kept; the new facts and their source are added.
    let kept: Vec<&str> = before
        .lines()
        .filter(|l| !l.starts_with("  referral: "))
        .collect();
    for line in kept {
        assert!(after.contains(line), "`{line}` kept in\n{after}");
    }
    for added in [
        "url: \"https://www.example.nhs.uk/bibs\"\n",
        "phone: \"01928 555 0100\"\n",
        "email: \"bibs@example.nhs.uk\"\n",
        "how_to_access: \"Ask your midwife or health visitor to refer you.\"\n",
        "  return-2023-halton:\n    return: \"2023/halton\"\n",
        "  referral: [cm-2.2, return-2023-halton]\n",
        "  url: return-2023-halton\n",
        "  phone: return-2023-halton\n",
        "  email: return-2023-halton\n",
        "  how_to_access: return-2023-halton\n",
    ] {
        assert!(after.contains(added), "`{added}` in\n{after}");
    }
    // The project reads it back, every fact with its source, and finds nothing wrong.
    let ds = load(root);
    let bibs = ds
        .services()
        .iter()
        .map(|s| &s.value)
        .find(|s| s.id.value == BIBS)
        .unwrap();
    assert_eq!(
        bibs.url.as_ref().map(|u| u.value.as_str()),
        Some("https://www.example.nhs.uk/bibs")
    );
    let cited: Vec<&str> = bibs
        .sources_of("phone")
        .iter()
        .map(|k| k.value.as_str())
        .collect();
    assert_eq!(cited, ["return-2023-halton"]);
    let (_, diagnostics) = check_data(root);
    let about_bibs: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.file.ends_with(&format!("{BIBS}.yaml")))
        .collect();
    assert!(about_bibs.is_empty(), "{about_bibs:?}");
}

#[test]
fn a_stated_detail_is_changed_only_with_force_which_says_what_it_overwrote() {
    let dir = shipped_copy();
    let root = dir.path();
    state_bibs_referral(root);
    let ds = load(root);
    let before = directory_file(root, BIBS);
    let typed = ServiceFill {
        who_can_refer: Some("Families or a professional".into()),
        ..ServiceFill::default()
    };
    let form = halton_form(&ds, &[(BIBS, typed)], &root.join("forms"));
    let (outcome, report) = import(root, &form, false);
    assert_eq!(outcome.failed, std::slice::from_ref(&form), "{report}");
    let row = 1 + sheet(&form, "Services")
        .iter()
        .find(|(_, v)| v == BIBS)
        .map(|((r, _), _)| *r)
        .unwrap();
    let expected = format!(
        "error[E185]: Services!H{row}: the form gives `Baby and Infant Bonding Support` the referral routes [self, professional], but the directory states [professional] (source: cm-2.2): scoping-data/directory/{BIBS}.yaml"
    );
    assert!(report.contains(&expected), "`{expected}` in\n{report}");
    assert!(report.contains("import again with --force"), "{report}");
    assert_eq!(directory_file(root, BIBS), before);
    assert!(outcome.written.is_empty());

    let (outcome, report) = import(root, &form, true);
    assert!(outcome.failed.is_empty(), "{report}");
    assert!(
        report.contains("  referral: [self, professional] (overwrote [professional]; source: return-2023-halton)"),
        "{report}"
    );
    let after = directory_file(root, BIBS);
    assert!(
        after.contains("referral:\n  - \"self\"\n  - \"professional\"\n"),
        "{after}"
    );
    assert!(
        after.contains("  referral: return-2023-halton\n"),
        "{after}"
    );
    load(root);
}

/// A copy of a workbook with `from` replaced by `to` in its shared strings.
fn with_string(form: &Path, from: &str, to: &str, out: &Path) {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(form).unwrap()).unwrap();
    let mut writer = zip::ZipWriter::new(std::fs::File::create(out).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let name = part.name().unwrap().to_string();
        let mut bytes = Vec::new();
        part.read_to_end(&mut bytes).unwrap();
        if name == "xl/sharedStrings.xml" {
            let text = String::from_utf8(bytes).unwrap();
            bytes = text
                .replace(&format!("<t>{from}</t>"), &format!("<t>{to}</t>"))
                .into_bytes();
        }
        writer.start_file(name, options).unwrap();
        writer.write_all(&bytes).unwrap();
    }
    writer.finish().unwrap();
}

#[test]
fn wrong_contact_cells_are_named_and_nothing_is_written() {
    let dir = shipped_copy();
    let root = dir.path();
    let ds = load(root);
    let before = directory_file(root, BIBS);
    let typed = ServiceFill {
        email: Some("not an address".into()),
        who_can_refer: Some("Anyone".into()),
        ..ServiceFill::default()
    };
    let form = halton_form(&ds, &[(BIBS, typed)], &root.join("forms"));
    let row = 1 + sheet(&form, "Services")
        .iter()
        .find(|(_, v)| v == BIBS)
        .map(|((r, _), _)| *r)
        .unwrap();
    let (outcome, report) = import(root, &form, false);
    assert_eq!(outcome.failed, std::slice::from_ref(&form), "{report}");
    for expected in [
        format!(
            "error[E186]: Services!H{row}: “Anyone” is not a choice for who can refer to `Baby and Infant Bonding Support`"
        ),
        "expected: one of “Families themselves”, “A professional”, “Families or a professional”"
            .to_string(),
    ] {
        assert!(report.contains(&expected), "`{expected}` in\n{report}");
    }
    // With the referral put right, the e-mail address is refused by the project's own
    // rule, named at its cell.
    let typed = ServiceFill {
        email: Some("not an address".into()),
        ..ServiceFill::default()
    };
    let form = halton_form(&ds, &[(BIBS, typed)], &root.join("forms2"));
    let (outcome, report) = import(root, &form, false);
    assert_eq!(outcome.failed, std::slice::from_ref(&form), "{report}");
    assert!(
        report.contains(&format!("error[E023]: Services!F{row}: ")),
        "{report}"
    );
    assert_eq!(directory_file(root, BIBS), before);
    assert!(
        !root
            .join(format!("scoping-data/returns/2023/{CM}/halton.yaml"))
            .exists()
    );

    // A directory id changed by hand is named at its cell, with the id meant.
    let typed = ServiceFill {
        phone: Some("01928 555 0100".into()),
        ..ServiceFill::default()
    };
    let good = halton_form(&ds, &[(BIBS, typed)], &root.join("forms3"));
    let changed = root.join("changed.xlsx");
    with_string(&good, BIBS, "bibs-halton-warington", &changed);
    let (outcome, report) = import(root, &changed, false);
    assert_eq!(outcome.failed, std::slice::from_ref(&changed), "{report}");
    assert!(
        report.contains(&format!(
            "error[E184]: Services!A{row}: `bibs-halton-warington` is not a service of the directory that this form lists"
        )) && report.contains(&format!("did you mean `{BIBS}`?")),
        "{report}"
    );
}

#[test]
fn a_directory_file_the_import_cannot_edit_safely_is_named_and_left_alone() {
    let dir = shipped_copy();
    let root = dir.path();
    // The same facts and sources, but `source_of` written on one line.
    let path = root.join(format!("scoping-data/directory/{BIBS}.yaml"));
    let text = directory_file(root, BIBS);
    let at = text.find("source_of:\n").unwrap();
    let inline: Vec<String> = text[at + "source_of:\n".len()..]
        .lines()
        .map(|l| l.trim().to_string())
        .collect();
    let edited = format!("{}source_of: {{{}}}\n", &text[..at], inline.join(", "));
    std::fs::write(&path, &edited).unwrap();
    let ds = load(root);
    let typed = ServiceFill {
        website: Some("https://www.example.nhs.uk/bibs".into()),
        ..ServiceFill::default()
    };
    let form = halton_form(&ds, &[(BIBS, typed)], &root.join("forms"));
    let row = 1 + sheet(&form, "Services")
        .iter()
        .find(|(_, v)| v == BIBS)
        .map(|((r, _), _)| *r)
        .unwrap();
    let (outcome, report) = import(root, &form, false);
    assert_eq!(outcome.failed, std::slice::from_ref(&form), "{report}");
    let expected = format!(
        "error[E187]: Services!D{row}: the details of `Baby and Infant Bonding Support` cannot be written into scoping-data/directory/{BIBS}.yaml: its `source_of:` is written on one line; write it as an indented block, one entry a line, and import the form again"
    );
    assert!(report.contains(&expected), "`{expected}` in\n{report}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), edited);
}

#[test]
fn two_forms_that_change_one_directory_file_both_land_in_it() {
    let dir = shipped_copy();
    let root = dir.path();
    let ds = load(root);
    let perinatal = "cm-specialist-community-perinatal-mh-service";
    let ratings = |ds: &Dataset| -> FormFill {
        FormFill {
            ratings: ds
                .framework()
                .unwrap()
                .categories_in(2023)
                .into_iter()
                .map(|c| {
                    (
                        c.id.value.clone(),
                        FilledRating {
                            rating: "A".into(),
                            note: None,
                        },
                    )
                })
                .collect(),
            ..FormFill::default()
        }
    };
    let halton = halton_form(
        &ds,
        &[(
            perinatal,
            ServiceFill {
                website: Some("https://www.example.nhs.uk/perinatal".into()),
                ..ServiceFill::default()
            },
        )],
        &root.join("forms"),
    );
    let mut wirral_fill = ratings(&ds);
    wirral_fill.contacts.insert(
        perinatal.to_string(),
        ServiceFill {
            phone: Some("0151 555 0123".into()),
            ..ServiceFill::default()
        },
    );
    let wirral = write_form(&ds, 2023, CM, "wirral", &wirral_fill, &root.join("forms")).unwrap();
    let outcome = import_forms_with(&[halton, wirral], &root.join("scoping-data"), false, false);
    let report = render_outcome(&outcome);
    assert!(outcome.failed.is_empty(), "{report}");
    assert!(
        report.contains("2 returns written, 1 directory file changed, 0 forms not imported"),
        "{report}"
    );
    let text = directory_file(root, perinatal);
    for line in [
        "url: \"https://www.example.nhs.uk/perinatal\"\n",
        "phone: \"0151 555 0123\"\n",
        "  return-2023-halton:\n    return: \"2023/halton\"\n",
        "  return-2023-wirral:\n    return: \"2023/wirral\"\n",
        "  url: return-2023-halton\n",
        "  phone: return-2023-wirral\n",
    ] {
        assert!(text.contains(line), "`{line}` in\n{text}");
    }
    let (_, diagnostics) = check_data(root);
    assert!(
        diagnostics
            .iter()
            .all(|d| !d.is_error() && !d.file.ends_with(&format!("{perinatal}.yaml"))),
        "{diagnostics:?}"
    );
}
