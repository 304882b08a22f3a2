//! Importing filled forms as YAML returns.
//!
//! In: paths of filled `.xlsx` forms, the `scoping-data/` folder and whether to write the
//! good forms when others fail. Out: an `ImportOutcome` listing the returns written, the
//! forms that failed, and every diagnostic, each naming the workbook (`file`) and the cell
//! (`Ratings!E7: …` at the start of the message).
//!
//! Each form is checked twice. First its cells are checked directly (no cell holds a
//! formula, is it a form, which area and year, is every rating a known code or a "No
//! change" that confirms one last rating, does every evidence cell name a service the form
//! offered), so problems can name the cell and suggest the value meant. Then the YAML it
//! would become is parsed with the project's own loader and checked with the project's own
//! `validate` rules alongside the existing data, and anything found there is mapped back to
//! the cell the value came from. A form replaces a return awaiting it (made by
//! `new-year`); a return that came back is replaced only with `force`, and the outcome
//! says what was overwritten. The title of the Ratings sheet must name the year, region
//! and area of the hidden About sheet. For each return written the outcome lists, rating
//! by rating, the new rating against the last confirmed one. If any form has an error
//! nothing is written, unless `partial` is set, in which case the good forms are written
//! and the bad ones listed.
//!
//! The Services sheet is not imported (a return has no place for services); a warning
//! (W086) says which rows hold services so a person can add them to the directory.

use super::codes;
use super::evidence::evidence_choices;
use super::layout::*;
use super::read::{CellText, RawForm, read_form};
use super::xlsx::ReadError;
use super::yaml::{YamlRating, YamlReturn, render};
use crate::analyse::{EarlierCode, Lineage};
use crate::diag::{self, Diagnostic, nearest};
use crate::load::DATA_DIR;
use crate::model::{Dataset, Framework, Loaded, SourceFile, Spanned};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What an import did.
#[derive(Debug, Clone, Default)]
pub struct ImportOutcome {
    /// Returns written, in the order the forms were given.
    pub written: Vec<PathBuf>,
    /// Forms that have errors (or could not be written), in the order given.
    pub failed: Vec<PathBuf>,
    /// Every problem found, errors and warnings, form by form in the order given.
    pub diagnostics: Vec<Diagnostic>,
    /// For each return written: what it replaced and, rating by rating, what changed
    /// against the last confirmed ratings.
    pub changes: Vec<String>,
}

/// A form that passed its checks, ready to be written.
struct Prepared {
    target: PathBuf,
    rel_path: String,
    yaml: String,
    cells: Vec<(usize, String)>,
    year: u16,
    area: String,
    /// The text of the return this one replaces, to put back if the import is undone.
    replaces: Option<String>,
    /// What the import changes, in words.
    changes: Vec<String>,
}

struct FormResult {
    path: PathBuf,
    name: String,
    diagnostics: Vec<Diagnostic>,
    prepared: Option<Prepared>,
}

impl FormResult {
    fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Read filled forms into returns under `data_dir` (a `scoping-data` folder). A return
/// awaiting its form is replaced; one that came back is kept.
pub fn import_forms(files: &[PathBuf], data_dir: &Path, partial: bool) -> ImportOutcome {
    import_forms_with(files, data_dir, partial, false)
}

/// `import_forms`, where `force` also replaces returns that came back.
pub fn import_forms_with(
    files: &[PathBuf],
    data_dir: &Path,
    partial: bool,
    force: bool,
) -> ImportOutcome {
    let mut outcome = ImportOutcome::default();
    let root = match data_dir.parent() {
        Some(parent) if data_dir.file_name().is_some_and(|n| n == DATA_DIR) => parent,
        _ => {
            for path in files {
                outcome.diagnostics.push(
                    Diagnostic::error(
                        "E030",
                        &display_name(path),
                        format!(
                            "the data folder {} is not a `{DATA_DIR}/` folder, so the form cannot be checked",
                            data_dir.display()
                        ),
                    )
                    .help(format!("pass the site's `{DATA_DIR}/` folder")),
                );
                outcome.failed.push(path.clone());
            }
            return outcome;
        }
    };
    let root = if root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        root
    };
    let (mut ds, load_diagnostics) = crate::load::load(root);
    let Some(fw) = ds.framework().cloned() else {
        let why = load_diagnostics
            .iter()
            .find(|d| d.file.ends_with("framework.yaml") || d.code == "E030")
            .map(|d| format!("{}: {}", d.file, d.message))
            .unwrap_or_else(|| "framework.yaml did not load".into());
        for path in files {
            outcome.diagnostics.push(
                Diagnostic::error(
                    "E030",
                    &display_name(path),
                    format!("the form cannot be checked because the data did not load ({why})"),
                )
                .help("run `scopemap validate` and fix the framework first"),
            );
            outcome.failed.push(path.clone());
        }
        return outcome;
    };

    let mut results: Vec<FormResult> = files
        .iter()
        .map(|path| check_form(&ds, &fw, path, data_dir, force))
        .collect();

    // Two forms for the same area and year: the first one wins, the others fail.
    let mut seen: Vec<(u16, String, String)> = Vec::new();
    for result in &mut results {
        let Some(p) = &result.prepared else { continue };
        if let Some((_, _, first)) = seen.iter().find(|(y, a, _)| *y == p.year && *a == p.area) {
            result.diagnostics.push(
                Diagnostic::error(
                    codes::DUPLICATE_FORM,
                    &result.name,
                    format!(
                        "{}: a second form for area `{}` in {} in this import",
                        cell_ref(ABOUT_SHEET, 4, ABOUT_VALUE_COL),
                        p.area,
                        p.year
                    ),
                )
                .help(format!(
                    "the first is {first}; import one form per area and year"
                )),
            );
            result.prepared = None;
        } else {
            seen.push((p.year, p.area.clone(), result.name.clone()));
        }
    }

    // The project's own loader and rules, with the existing data around the new return.
    for result in &mut results {
        let Some(p) = &result.prepared else { continue };
        let found = project_check(&mut ds, p)
            .into_iter()
            .map(|(d, cell)| at_cell(d, &result.name, &cell));
        result.diagnostics.extend(found);
        if result.has_errors() {
            result.prepared = None;
        }
    }

    let any_errors = results
        .iter()
        .any(|r| r.has_errors() || r.prepared.is_none());
    let write = !any_errors || partial;
    let mut written_now: Vec<PathBuf> = Vec::new();
    let mut write_failed = false;
    for result in results.iter_mut().filter(|_| write) {
        let Some(p) = &result.prepared else { continue };
        let written = match &p.replaces {
            None => write_new(&p.target, &p.yaml),
            Some(_) => replace(&p.target, &p.yaml),
        };
        if let Err(e) = written {
            write_failed = true;
            result.diagnostics.push(
                Diagnostic::error(
                    codes::CANNOT_WRITE,
                    &result.name,
                    format!("cannot write {}: {e}", p.target.display()),
                )
                .help("check that the data folder can be written, then import this form again"),
            );
            result.prepared = None;
        } else {
            written_now.push(p.target.clone());
        }
    }
    // Without `partial`, a write that failed half way undoes the others, putting back
    // what they replaced.
    if write_failed && !partial {
        for path in written_now.drain(..) {
            let before = results
                .iter()
                .filter_map(|r| r.prepared.as_ref())
                .find(|p| p.target == path)
                .and_then(|p| p.replaces.clone());
            match before {
                Some(text) => {
                    let _ = replace(&path, &text);
                }
                None => {
                    let _ = std::fs::remove_file(&path);
                }
            }
        }
    }
    for result in &results {
        if let Some(p) = result
            .prepared
            .as_ref()
            .filter(|p| written_now.contains(&p.target))
        {
            outcome.changes.extend(p.changes.iter().cloned());
        }
    }
    outcome.written = written_now;
    for result in results {
        if result.prepared.is_none() {
            outcome.failed.push(result.path);
        }
        outcome.diagnostics.extend(result.diagnostics);
    }
    outcome
}

/// A human-readable report of an import: every diagnostic, then what was written.
pub fn render_outcome(outcome: &ImportOutcome) -> String {
    let mut out = String::new();
    for d in &outcome.diagnostics {
        out.push_str(&diag::render_human(d, &[]));
    }
    for path in &outcome.written {
        out.push_str(&format!("wrote {}\n", path.display()));
    }
    for line in &outcome.changes {
        out.push_str(diag::visible(line).as_ref());
        out.push('\n');
    }
    for path in &outcome.failed {
        out.push_str(&format!("not imported: {}\n", path.display()));
    }
    if outcome.written.is_empty() && !outcome.failed.is_empty() {
        out.push_str("nothing was written; fix the forms listed and import them again\n");
    }
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    out.push_str(&format!(
        "{} written, {} not imported: {}\n",
        plural(outcome.written.len(), "return", "returns"),
        plural(outcome.failed.len(), "form", "forms"),
        diag::summary_line(&outcome.diagnostics)
    ));
    out
}

fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Re-point a diagnostic at a cell of the workbook.
fn at_cell(d: Diagnostic, file: &str, cell: &str) -> Diagnostic {
    Diagnostic {
        file: file.to_string(),
        message: format!("{cell}: {}", d.message),
        line: 0,
        column: 0,
        width: 1,
        ..d
    }
}

/// The diagnostic for a workbook that was not read.
fn read_error(name: &str, why: ReadError) -> Diagnostic {
    match why {
        ReadError::Unreadable(why) => {
            Diagnostic::error(codes::UNREADABLE, name, format!("cannot read the workbook: {why}"))
                .help("open the file in Excel to check it, save it as an Excel Workbook (.xlsx) and import it again")
        }
        ReadError::TooLarge(why) => Diagnostic::error(
            codes::TOO_LARGE,
            name,
            format!("the workbook is larger than a form can be: {why}"),
        )
        .help("import the form the area sent, as saved from Excel; a file this large did not come from `scopemap forms`"),
        ReadError::OutsideForm(cell) => Diagnostic::error(
            codes::OUTSIDE_FORM,
            name,
            format!(
                "{cell}: a value outside the area a form uses (rows 1 to {FORM_ROWS}, columns A to {})",
                column_letters(FORM_COLUMNS - 1)
            ),
        )
        .help("clear that cell in Excel, save the form and import it again"),
    }
}

/// Check one form's cells; when they are all right, prepare the YAML return.
fn check_form(
    ds: &Dataset,
    fw: &Framework,
    path: &Path,
    data_dir: &Path,
    force: bool,
) -> FormResult {
    let name = display_name(path);
    let mut result = FormResult {
        path: path.to_path_buf(),
        name: name.clone(),
        diagnostics: Vec::new(),
        prepared: None,
    };
    let out = &mut result.diagnostics;
    let form = match read_form(path) {
        Ok(form) => form,
        Err(why) => {
            out.push(read_error(&name, why));
            return result;
        }
    };
    check_formulas(&name, &form, out);
    let Some(subject) = check_about(ds, &name, &form, out) else {
        return result;
    };
    check_title(ds, &name, &form, &subject, out);
    let earlier = |category: &str| {
        let (region_id, area_id) = subject.area.as_ref()?;
        let region = ds.region(region_id)?;
        let area = region.area(area_id)?;
        Some(Lineage::of(ds, region, area).earlier_codes(area_id, category, subject.year))
    };
    let choices = subject.area.as_ref().and_then(|(region_id, area_id)| {
        let region = ds.region(region_id)?;
        Some(evidence_choices(ds, region, region.area(area_id)?))
    });
    let Some((ratings, unchanged)) = check_ratings(
        fw,
        &name,
        &form,
        subject.year,
        &earlier,
        choices.as_deref(),
        out,
    ) else {
        return result;
    };
    let typed = |c: &&CellText| !form.is_formula(&c.cell);
    let compiled_by = form
        .compiled_by
        .as_ref()
        .filter(typed)
        .map(|c| (c.text.clone(), c.cell.clone()));
    let compiled_on = form
        .compiled_on
        .as_ref()
        .filter(typed)
        .and_then(|c| check_compiled_on(&name, c, out).map(|date| (date, c.cell.clone())));
    if let (Some(first), Some(last)) = (form.service_rows.first(), form.service_rows.last()) {
        let n = form.service_rows.len();
        out.push(
            Diagnostic::warning(
                codes::SERVICES_NOT_IMPORTED,
                &name,
                format!(
                    "{SERVICES_SHEET}!A{}:J{}: {n} service{} listed; import does not read the {SERVICES_SHEET} sheet, so {} not saved",
                    first + 1,
                    last + 1,
                    if n == 1 { " is" } else { "s are" },
                    if n == 1 { "it was" } else { "they were" },
                ),
            )
            .help(format!("add the services to {DATA_DIR}/directory/ by hand (see docs/data-format.md)")),
        );
    }
    let Some((region_id, area_id)) = subject.area else {
        return result;
    };
    if !is_safe_id(&region_id) || !is_safe_id(&area_id) {
        out.push(
            Diagnostic::error(
                codes::CANNOT_WRITE,
                &name,
                format!(
                    "{}: the region or area id cannot be used as a file name",
                    cell_ref(ABOUT_SHEET, 4, ABOUT_VALUE_COL)
                ),
            )
            .help("fix the ids in the region file (`scopemap validate` reports them)"),
        );
        return result;
    }
    let target = data_dir
        .join("returns")
        .join(subject.year.to_string())
        .join(&region_id)
        .join(format!("{area_id}.yaml"));
    let rel_path = format!(
        "{DATA_DIR}/returns/{}/{region_id}/{area_id}.yaml",
        subject.year
    );
    let existing = ds
        .returns
        .iter()
        .find(|r| r.value.year.value == subject.year && r.value.area.value == area_id);
    let mut replaces = None;
    let mut changes = Vec::new();
    match existing {
        // A return awaiting its form is a placeholder: the form replaces it.
        Some(old) if old.value.is_awaiting() => {
            replaces = Some(existing_text(ds, old, &target));
            changes.push(format!("{rel_path}: replaces the return awaiting its form"));
        }
        Some(old) if force => {
            replaces = Some(existing_text(ds, old, &target));
            changes.push(format!(
                "{rel_path}: overwrites the return that came back ({}); it said: {}",
                old.value.submission.status.value,
                said(fw, &old.value)
            ));
        }
        Some(old) => {
            let path = ds
                .sources
                .get(old.source)
                .map(|s| s.path.clone())
                .unwrap_or_else(|| rel_path.clone());
            out.push(
                Diagnostic::error(
                    codes::RETURN_EXISTS,
                    &name,
                    format!(
                        "{}: a return for `{area_id}` in {} already exists and came back ({}): {path}",
                        subject.about_cell, subject.year, old.value.submission.status.value
                    ),
                )
                .help(format!(
                    "it was left as it is; it says: {}. To replace it with this form, import again with --force",
                    said(fw, &old.value)
                )),
            );
        }
        None if target.exists() => {
            out.push(
                Diagnostic::error(
                    codes::RETURN_EXISTS,
                    &name,
                    format!(
                        "{}: a file for `{area_id}` in {} already exists and could not be read as a return: {rel_path}",
                        subject.about_cell, subject.year
                    ),
                )
                .help("run `scopemap validate` to see what is wrong with it, fix or move it, and import the form again"),
            );
        }
        None => {}
    }
    if let (Some(region), Some(area)) = (ds.region(&region_id), ds.area(&area_id).map(|(_, a)| a)) {
        changes.extend(rating_changes(
            ds,
            fw,
            region,
            area,
            subject.year,
            &ratings,
            &unchanged,
        ));
    }
    if out.iter().any(Diagnostic::is_error) {
        return result;
    }
    let ret = YamlReturn {
        source_name: name.clone(),
        year: subject.year,
        region: region_id,
        area: area_id.clone(),
        compiled_by,
        compiled_on,
        ratings,
        about_cell: subject.about_cell,
    };
    let (yaml, cells) = render(&ret);
    result.prepared = Some(Prepared {
        target,
        rel_path,
        yaml,
        cells,
        year: subject.year,
        area: area_id,
        replaces,
        changes,
    });
    result
}

/// The text of an existing return, from the loaded data or, failing that, the disk.
fn existing_text(ds: &Dataset, old: &Loaded<crate::model::Return>, target: &Path) -> String {
    ds.sources
        .get(old.source)
        .map(|s| s.text.clone())
        .filter(|t| !t.is_empty())
        .or_else(|| std::fs::read_to_string(target).ok())
        .unwrap_or_default()
}

/// "Parent Infant MH Service A, Health Visiting G" for a return being replaced.
fn said(fw: &Framework, ret: &crate::model::Return) -> String {
    let each: Vec<String> = ret
        .ratings
        .iter()
        .map(|(k, e)| {
            let name = fw
                .category(&k.value)
                .map(|c| c.name.value.as_str())
                .unwrap_or(k.value.as_str());
            format!("{name} {}", e.value.rating.value)
        })
        .collect();
    if each.is_empty() {
        "no ratings".into()
    } else {
        each.join(", ")
    }
}

/// Rating by rating, the form's rating against the last confirmed ratings before it.
fn rating_changes(
    ds: &Dataset,
    fw: &Framework,
    region: &crate::model::Region,
    area: &crate::model::Area,
    year: u16,
    ratings: &[YamlRating],
    unchanged: &BTreeSet<String>,
) -> Vec<String> {
    let lineage = Lineage::of(ds, region, area);
    ratings
        .iter()
        .map(|r| {
            let name = fw
                .category(&r.category)
                .map(|c| c.name.value.as_str())
                .unwrap_or(r.category.as_str());
            let earlier = lineage.earlier_codes(&area.id.value, &r.category, year);
            let verdict = match earlier.as_slice() {
                _ if unchanged.contains(&r.category) => "no change, confirmed on the form".into(),
                [] => "new".to_string(),
                [one, rest @ ..] if rest.iter().all(|e| e.code == one.code) => {
                    let (from, to) = (fw.rating(&one.code), fw.rating(&r.code));
                    let rank = |l: Option<&crate::model::RatingLevel>| {
                        l.and_then(|l| l.rank.as_ref()).map(|r| r.value)
                    };
                    match crate::analyse::compare_ranks(rank(from), rank(to)) {
                        _ if one.code == r.code => "unchanged".into(),
                        Some(std::cmp::Ordering::Less) => "improved".into(),
                        Some(std::cmp::Ordering::Greater) => "worsened".into(),
                        Some(std::cmp::Ordering::Equal) => "unchanged".into(),
                        None => "changed".into(),
                    }
                }
                _ => "predecessors differed".to_string(),
            };
            format!(
                "  {name}: {} -> {} ({verdict})",
                crate::analyse::earlier_phrase(&earlier),
                r.code
            )
        })
        .collect()
}

/// Every formula is an error at its cell: its cached value may be stale or computed from
/// cells import never reads, and a person reading the form cannot see it was not typed.
fn check_formulas(name: &str, form: &RawForm, out: &mut Vec<Diagnostic>) {
    for f in &form.formulas {
        let shown = if f.formula.is_empty() {
            "a formula".to_string()
        } else {
            format!("the formula `={}`", f.formula)
        };
        out.push(
            Diagnostic::error(
                codes::FORMULA,
                name,
                format!("{}: the cell holds {shown}; type the value, not a formula", f.cell),
            )
            .expected("a typed value (a rating chosen from the drop-down list, or plain text)")
            .help("select the cell, type the value itself (or choose it from the list), save the form and import it again"),
        );
    }
}

/// The visible title of the Ratings sheet must name the year, region and area that the
/// hidden About sheet gives, so a form copied from another year or area is caught.
fn check_title(
    ds: &Dataset,
    name: &str,
    form: &RawForm,
    subject: &Subject,
    out: &mut Vec<Diagnostic>,
) {
    let Some((region_id, area_id)) = &subject.area else {
        return;
    };
    let (Some(region), Some((_, area))) = (ds.region(region_id), ds.area(area_id)) else {
        return;
    };
    let expected = ratings_title(&area.name.value, &region.name.value, subject.year);
    let found = form.title.as_ref();
    if found.map(|t| t.text.as_str()) == Some(expected.as_str()) {
        return;
    }
    let title_cell = cell_ref(RATINGS_SHEET, RATINGS_TITLE_ROW, 0);
    out.push(
        Diagnostic::error(
            codes::TITLE_MISMATCH,
            name,
            format!(
                "{title_cell} reads “{}” but {}:{} say the form is for {} ({}), {}",
                found.map(|t| t.text.as_str()).unwrap_or(""),
                cell_ref(ABOUT_SHEET, 2, ABOUT_VALUE_COL),
                cell_ref(ABOUT_SHEET, 4, ABOUT_VALUE_COL).trim_start_matches("About!"),
                area.name.value,
                region.name.value,
                subject.year
            ),
        )
        .expected(format!("“{expected}”"))
        .help("the form was copied from another year or area, or its sheets were changed; fill in the form made for this year and area by `scopemap forms`"),
    );
}

/// What the About sheet says the form is for.
struct Subject {
    year: u16,
    /// Region and area ids, when both are known and the area is in use in `year`.
    area: Option<(String, String)>,
    about_cell: String,
}

fn check_about(
    ds: &Dataset,
    name: &str,
    form: &RawForm,
    out: &mut Vec<Diagnostic>,
) -> Option<Subject> {
    let not_a_form = |message: String| {
        Diagnostic::error(codes::NOT_A_FORM, name, message).help(
            "import only forms made by scopemap, with their sheets as they were; if the About sheet was deleted, copy the ratings into a new form",
        )
    };
    let Some(about) = &form.about else {
        out.push(not_a_form(format!(
            "the workbook has no `{ABOUT_SHEET}` sheet, so it is not a scopemap return form (or that hidden sheet was deleted)"
        )));
        return None;
    };
    let get = |key: &str| about.get(key);
    if get(ABOUT_FORM).map(|c| c.text.as_str()) != Some(FORM_MARKER) {
        out.push(not_a_form(format!(
            "{}: the `{ABOUT_SHEET}` sheet does not say `{FORM_MARKER}`, so this is not a scopemap return form",
            cell_ref(ABOUT_SHEET, 0, ABOUT_VALUE_COL)
        )));
        return None;
    }
    let missing = |key: &str, row: u32| {
        not_a_form(format!(
            "{}: the `{ABOUT_SHEET}` sheet has no `{key}`",
            cell_ref(ABOUT_SHEET, row, ABOUT_VALUE_COL)
        ))
    };
    let Some(version) = get(ABOUT_VERSION) else {
        out.push(missing(ABOUT_VERSION, 1));
        return None;
    };
    match version.text.trim().parse::<u32>() {
        Ok(v) if (OLDEST_FORM_FORMAT..=FORM_FORMAT_VERSION).contains(&v) => {}
        Ok(v) => {
            let why = if v > FORM_FORMAT_VERSION {
                "made by a newer scopemap"
            } else {
                "an older form format"
            };
            out.push(
                Diagnostic::error(
                    codes::FORMAT_VERSION,
                    name,
                    format!(
                        "{}: the form is format version {v} ({why}); this scopemap reads versions {OLDEST_FORM_FORMAT} to {FORM_FORMAT_VERSION}",
                        version.cell
                    ),
                )
                .expected(format!("format version {OLDEST_FORM_FORMAT} to {FORM_FORMAT_VERSION}"))
                .help("import it with the scopemap that made it, or copy the ratings into a form made by this version"),
            );
            return None;
        }
        Err(_) => {
            out.push(
                Diagnostic::error(
                    codes::FORMAT_VERSION,
                    name,
                    format!(
                        "{}: `{}` is not a form format version",
                        version.cell, version.text
                    ),
                )
                .expected(format!(
                    "format version {OLDEST_FORM_FORMAT} to {FORM_FORMAT_VERSION}"
                ))
                .help("the About sheet was changed; use a form as scopemap made it"),
            );
            return None;
        }
    }
    let (Some(year), Some(region), Some(area)) =
        (get(ABOUT_YEAR), get(ABOUT_REGION), get(ABOUT_AREA))
    else {
        for (row, key) in ABOUT_KEYS.iter().enumerate().skip(2) {
            if get(key).is_none() {
                out.push(missing(key, row as u32));
            }
        }
        return None;
    };
    let Ok(year_value) = year.text.trim().parse::<u16>() else {
        out.push(not_a_form(format!(
            "{}: `{}` is not a year",
            year.cell, year.text
        )));
        return None;
    };
    let mut subject = Subject {
        year: year_value,
        area: None,
        about_cell: area.cell.clone(),
    };
    let region_ids = ds.regions.iter().map(|r| r.value.id.value.as_str());
    let Some(reg) = ds.region(&region.text) else {
        let d = Diagnostic::error(
            "E017",
            name,
            format!("{}: unknown region `{}`", region.cell, region.text),
        )
        .expected(one_of(region_ids.clone()));
        out.push(match nearest(&region.text, region_ids) {
            Some(near) => d.help(format!("did you mean `{near}`? The form may be for another site's data")),
            None => d.help("add the region under scoping-data/regions/, or import the form into the data it was made from"),
        });
        return Some(subject);
    };
    let area_ids = reg.areas.iter().map(|a| a.id.value.as_str());
    if reg.area(&area.text).is_none()
        && let Some((other, ar)) = ds.area(&area.text)
    {
        out.push(
            Diagnostic::error(
                codes::AREA_OF_ANOTHER_REGION,
                name,
                format!(
                    "{}: area `{}` ({}) is in region `{}`, but {} says region `{}`",
                    area.cell, ar.id.value, ar.name.value, other.id.value, region.cell, reg.id.value
                ),
            )
            .expected(one_of(area_ids))
            .help("the About sheet was changed or copied from another form; fill in the form `scopemap forms` made for the area"),
        );
        return Some(subject);
    }
    let Some(ar) = reg.area(&area.text) else {
        let d = Diagnostic::error(
            "E017",
            name,
            format!(
                "{}: unknown area `{}` in region `{}`",
                area.cell, area.text, reg.id.value
            ),
        )
        .expected(one_of(area_ids.clone()));
        out.push(match nearest(&area.text, area_ids) {
            Some(near) => d.help(format!("did you mean `{near}`?")),
            None => d.help(format!(
                "add the area to scoping-data/regions/{}.yaml, or import the form into the data it was made from",
                reg.id.value
            )),
        });
        return Some(subject);
    };
    if !ar.in_use_in(year_value) {
        let successors: Vec<&str> = reg
            .successors_of(&ar.id.value)
            .iter()
            .filter(|a| a.in_use_in(year_value))
            .map(|a| a.name.value.as_str())
            .collect();
        let help = if successors.is_empty() {
            format!("use the form of an area in use in {year_value}")
        } else {
            format!(
                "in {year_value} this area is succeeded by {}; use that area's form",
                successors.join(", ")
            )
        };
        out.push(
            Diagnostic::error(
                "E016",
                name,
                format!(
                    "{}: area `{}` is not in use in {year_value}",
                    area.cell, ar.id.value
                ),
            )
            .help(help),
        );
        return Some(subject);
    }
    subject.area = Some((reg.id.value.clone(), ar.id.value.clone()));
    Some(subject)
}

/// Last confirmed ratings of a category along the form's area's lineage; `None` when the
/// form's area is not known.
type EarlierOf<'a> = dyn Fn(&str) -> Option<Vec<EarlierCode>> + 'a;

/// The ratings of the form in framework order, and the categories confirmed with "No
/// change"; `None` when the sheet is missing. Rows with problems are reported and left out.
fn check_ratings(
    fw: &Framework,
    name: &str,
    form: &RawForm,
    year: u16,
    earlier: &EarlierOf<'_>,
    choices: Option<&[(String, String)]>,
    out: &mut Vec<Diagnostic>,
) -> Option<(Vec<YamlRating>, BTreeSet<String>)> {
    let Some(rows) = &form.ratings else {
        out.push(
            Diagnostic::error(
                codes::NOT_A_FORM,
                name,
                format!("the workbook has no `{RATINGS_SHEET}` sheet"),
            )
            .help("import the form as scopemap made it, with its sheets unrenamed"),
        );
        return None;
    };
    let codes_list: Vec<&str> = fw.ratings.iter().map(|r| r.code.value.as_str()).collect();
    let expected = format!(
        "one of {}",
        fw.ratings
            .iter()
            .map(|r| format!("{} ({})", r.code.value, r.label.value))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut found: Vec<YamlRating> = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut unchanged: BTreeSet<String> = BTreeSet::new();
    for row in rows {
        let rating_cell = cell_ref(RATINGS_SHEET, row.row, COL_RATING);
        let note_cell = cell_ref(RATINGS_SHEET, row.row, COL_NOTE);
        let Some(id) = &row.id else {
            out.push(
                Diagnostic::error(
                    "E013",
                    name,
                    format!(
                        "{}: row {} has a rating or note but no category id in column A",
                        cell_ref(RATINGS_SHEET, row.row, COL_ID),
                        row.row + 1
                    ),
                )
                .help("the rows of the form must not be changed; put the rating in the row of its category"),
            );
            continue;
        };
        let Some(cat) = fw.category(&id.text) else {
            let ids = fw.categories.iter().map(|c| c.id.value.as_str());
            let d = Diagnostic::error(
                "E013",
                name,
                format!("{}: unknown category `{}`", id.cell, id.text),
            )
            .expected(one_of(ids.clone()));
            out.push(match nearest(&id.text, ids) {
                Some(near) => d.help(format!(
                    "did you mean `{near}`? Column A must not be changed"
                )),
                None => d.help("column A must not be changed; use a form as scopemap made it"),
            });
            continue;
        };
        if !cat.graded_in(year) {
            out.push(
                Diagnostic::warning(
                    "W035",
                    name,
                    format!(
                        "{}: category `{}` is not graded in {year}; its row was left out",
                        id.cell, id.text
                    ),
                )
                .help("the framework changed after the form was made; nothing to do unless the rating matters"),
            );
            continue;
        }
        if !seen.insert(cat.id.value.clone()) {
            out.push(
                Diagnostic::error(
                    "E031",
                    name,
                    format!("{}: category `{}` has a second row", id.cell, cat.id.value),
                )
                .help("keep one row per category"),
            );
            continue;
        }
        // A formula was reported at its cell; its cached value is not taken.
        if form.is_formula(&rating_cell) || form.is_formula(&note_cell) {
            continue;
        }
        let Some(value) = &row.rating else {
            out.push(
                Diagnostic::error(
                    "E012",
                    name,
                    format!(
                        "{rating_cell}: no rating for `{}` ({})",
                        cat.name.value, cat.id.value
                    ),
                )
                .expected(expected.clone())
                .help(format!(
                    "choose one of {} from the drop-down list in the cell",
                    codes_list.join(", ")
                )),
            );
            continue;
        };
        let code = if value.text.trim().eq_ignore_ascii_case(NO_CHANGE) {
            let confirmed =
                confirmed_rating(name, &cat.name.value, value, earlier(&cat.id.value), out);
            if confirmed.is_some() {
                unchanged.insert(cat.id.value.clone());
            }
            confirmed
        } else {
            rating_code(fw, name, &cat.name.value, value, &expected, out)
        };
        let evidence = evidence_ids(name, form, &row.evidence, choices, out);
        let (Some(code), Some(evidence)) = (code, evidence) else {
            continue;
        };
        found.push(YamlRating {
            category: cat.id.value.clone(),
            code,
            note: row.note.as_ref().map(|n| n.text.clone()),
            rating_cell,
            note_cell,
            evidence,
        });
    }
    let missing: Vec<&str> = fw
        .categories_in(year)
        .into_iter()
        .filter(|c| !seen.contains(&c.id.value))
        .map(|c| c.id.value.as_str())
        .collect();
    if !missing.is_empty() {
        out.push(
            Diagnostic::error(
                "E012",
                name,
                format!(
                    "{RATINGS_SHEET}: the sheet has no row for {}",
                    missing.join(", ")
                ),
            )
            .expected(format!("a row for every category graded in {year}"))
            .help("rows were deleted from the form; copy the ratings into a new form"),
        );
    }
    // Framework order, whatever order the rows were in.
    found.sort_by_key(|r| {
        fw.categories
            .iter()
            .position(|c| c.id.value == r.category)
            .unwrap_or(usize::MAX)
    });
    Some((found, unchanged))
}

/// The service ids of a row's evidence cells, each with its cell, each service once; `None`
/// when a cell names no service the form offered (an error at that cell) or the form's
/// area is unknown (reported already).
fn evidence_ids(
    name: &str,
    form: &RawForm,
    cells: &[CellText],
    choices: Option<&[(String, String)]>,
    out: &mut Vec<Diagnostic>,
) -> Option<Vec<(String, String)>> {
    let choices = choices?;
    let mut ids: Vec<(String, String)> = Vec::new();
    let mut all_known = true;
    for cell in cells {
        if form.is_formula(&cell.cell) {
            all_known = false;
            continue;
        }
        let typed = cell.text.trim();
        let found = choices
            .iter()
            .find(|(choice, _)| choice == typed)
            .or_else(|| choices.iter().find(|(c, _)| c.eq_ignore_ascii_case(typed)));
        match found {
            Some((_, id)) => {
                if !ids.iter().any(|(known, _)| known == id) {
                    ids.push((id.clone(), cell.cell.clone()));
                }
            }
            None => {
                all_known = false;
                let names = choices.iter().map(|(c, _)| c.as_str());
                let d = Diagnostic::error(
                    codes::UNKNOWN_EVIDENCE,
                    name,
                    format!(
                        "{}: `{}` is not a service the directory lists for the form's area",
                        cell.cell,
                        super::xlsx::shown(typed)
                    ),
                )
                .expected(if choices.is_empty() {
                    "nothing: the directory lists no service for this area".to_string()
                } else {
                    "a service chosen from the cell's drop-down list".to_string()
                });
                out.push(match nearest(typed, names) {
                    Some(near) => d.help(format!("did you mean “{near}”? Choose it from the drop-down list in the cell")),
                    None => d.help(format!("choose a service from the drop-down list, or add the service to {DATA_DIR}/directory/ with this area in its `areas`, make the form again and copy the ratings into it")),
                });
            }
        }
    }
    all_known.then_some(ids)
}

/// The rating "No change" confirms: the one last confirmed rating. With none, or with
/// predecessors rated differently, there is nothing single to confirm: an error at the cell.
fn confirmed_rating(
    name: &str,
    category: &str,
    value: &CellText,
    earlier: Option<Vec<EarlierCode>>,
    out: &mut Vec<Diagnostic>,
) -> Option<String> {
    // An unknown area was reported already.
    let earlier = earlier?;
    let why = match earlier.as_slice() {
        [] => "there is no earlier rating to confirm".to_string(),
        [one, rest @ ..] if rest.iter().all(|e| e.code == one.code) => {
            return Some(one.code.clone());
        }
        _ => format!(
            "the area's predecessors were rated differently ({}), so there is no single last rating to confirm",
            crate::analyse::earlier_phrase(&earlier)
        ),
    };
    out.push(
        Diagnostic::error(
            codes::NO_SINGLE_LAST_RATING,
            name,
            format!("{}: “{NO_CHANGE}” for `{category}`, but {why}", value.cell),
        )
        .expected("this year's rating code")
        .help("choose this year's rating from the drop-down list in the cell"),
    );
    None
}

/// The code a rating cell means: exact, or in lower case (with a warning). Anything else
/// is an error that suggests the code most likely meant.
fn rating_code(
    fw: &Framework,
    name: &str,
    category: &str,
    value: &CellText,
    expected: &str,
    out: &mut Vec<Diagnostic>,
) -> Option<String> {
    let v = value.text.trim();
    if fw.rating(v).is_some() {
        return Some(v.to_string());
    }
    let upper = v.to_uppercase();
    if fw.rating(&upper).is_some() {
        out.push(
            Diagnostic::warning(
                "W011",
                name,
                format!(
                    "{}: rating code `{v}` for `{category}` is lower case; read as `{upper}`",
                    value.cell
                ),
            )
            .help(format!(
                "choose `{upper}` from the drop-down list next time"
            )),
        );
        return Some(upper);
    }
    let suggestions = suggest_codes(fw, v);
    let d = Diagnostic::error(
        "E010",
        name,
        format!("{}: unknown rating code `{v}` for `{category}`", value.cell),
    )
    .expected(expected.to_string());
    let codes: Vec<&str> = fw.ratings.iter().map(|r| r.code.value.as_str()).collect();
    out.push(if suggestions.is_empty() {
        d.help(format!(
            "choose one of {} from the drop-down list in the cell",
            codes.join(", ")
        ))
    } else {
        let named: Vec<String> = suggestions
            .iter()
            .map(|c| match fw.rating(c) {
                Some(level) => format!("`{c}` ({})", level.label.value),
                None => format!("`{c}`"),
            })
            .collect();
        d.help(format!(
            "did you mean {}? Choose the code from the drop-down list in the cell",
            named.join(" or ")
        ))
    });
    None
}

/// Words people type instead of a code, and the code they mean.
const RATING_WORDS: &[(&str, &str)] = &[
    ("green", "G"),
    ("amber", "A"),
    ("yellow", "A"),
    ("orange", "A"),
    ("red", "R"),
    ("blue", "B"),
    ("full", "G"),
    ("yes", "G"),
    ("some", "A"),
    ("partial", "A"),
    ("none", "R"),
    ("no", "R"),
    ("development", "B"),
    ("developing", "B"),
];

/// The rating codes `value` most likely meant, best first; empty when there is no guess.
fn suggest_codes(fw: &Framework, value: &str) -> Vec<String> {
    let codes: Vec<&str> = fw.ratings.iter().map(|r| r.code.value.as_str()).collect();
    let known = |c: &str| codes.iter().any(|k| k.eq_ignore_ascii_case(c));
    let lower = value.to_lowercase();
    // A label ("Full provision") or glyph (✓).
    if let Some(level) = fw
        .ratings
        .iter()
        .find(|r| r.label.value.eq_ignore_ascii_case(value.trim()) || r.glyph.value == value.trim())
    {
        return vec![level.code.value.clone()];
    }
    // A colour or word, alone or at either end ("green - stable funding").
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    for (word, code) in RATING_WORDS {
        if known(code) && (words.first() == Some(word) || words.last() == Some(word)) {
            return vec![(*code).to_string()];
        }
    }
    // A code with punctuation or extra text around it ("G.", "(A)", "R - none").
    if let Some(first) = words.first()
        && let Some(code) = codes.iter().find(|c| c.eq_ignore_ascii_case(first))
    {
        return vec![(*code).to_string()];
    }
    // One letter: the codes next to it on the keyboard (`Y` sits by `G` and `H`).
    let letters: Vec<char> = lower.chars().filter(|c| c.is_alphanumeric()).collect();
    if let [c] = letters.as_slice() {
        let near: Vec<String> = keyboard_neighbours(*c)
            .into_iter()
            .filter_map(|n| {
                codes
                    .iter()
                    .find(|code| code.eq_ignore_ascii_case(&n.to_string()))
                    .map(|code| (*code).to_string())
            })
            .collect();
        if !near.is_empty() {
            return near;
        }
    }
    // Close spelling of a label ("Ful provision").
    let labels: Vec<&str> = fw.ratings.iter().map(|r| r.label.value.as_str()).collect();
    if value.chars().count() > 3
        && let Some(label) = nearest(value, labels.iter().copied())
        && let Some(level) = fw.ratings.iter().find(|r| r.label.value == label)
    {
        return vec![level.code.value.clone()];
    }
    Vec::new()
}

/// Keys next to `c` on a UK/US QWERTY keyboard, in keyboard order.
fn keyboard_neighbours(c: char) -> Vec<char> {
    const ROWS: [&str; 3] = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];
    let rows: Vec<Vec<char>> = ROWS.iter().map(|r| r.chars().collect()).collect();
    let Some((r, i)) = rows
        .iter()
        .enumerate()
        .find_map(|(r, keys)| keys.iter().position(|k| *k == c).map(|i| (r, i)))
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut take = |row: usize, idx: Option<usize>| {
        if let Some(k) = idx.and_then(|i| rows.get(row).and_then(|keys| keys.get(i))) {
            out.push(*k);
        }
    };
    if r > 0 {
        take(r - 1, Some(i));
        take(r - 1, Some(i + 1));
    }
    take(r, i.checked_sub(1));
    take(r, Some(i + 1));
    take(r + 1, i.checked_sub(1));
    take(r + 1, Some(i));
    out
}

/// `compiled_on` as the project's rule reads it; a UK date (`01/05/2023`) gets a hint.
fn check_compiled_on(name: &str, cell: &CellText, out: &mut Vec<Diagnostic>) -> Option<String> {
    let mut found = Vec::new();
    let value = Spanned::synthetic(cell.text.clone());
    if crate::validate::common::check_date(name, &value, "compiled_on", &mut found).is_some() {
        return Some(cell.text.clone());
    }
    let uk = chrono::NaiveDate::parse_from_str(&cell.text, "%d/%m/%Y")
        .ok()
        .map(|d| d.format("%Y-%m-%d").to_string());
    for d in found {
        let help = match &uk {
            Some(iso) => format!("write the date as YYYY-MM-DD: `{iso}`"),
            None => "write the date as YYYY-MM-DD, e.g. 2023-05-01".to_string(),
        };
        out.push(at_cell(d, name, &cell.cell).help(help));
    }
    None
}

/// Parse the YAML with the project's loader and run the project's rules with the new
/// return among the existing data; the diagnostics about it, with the cell each came from.
fn project_check(ds: &mut Dataset, p: &Prepared) -> Vec<(Diagnostic, String)> {
    let fallback = RATINGS_SHEET.to_string();
    let cell_of = |line: usize| {
        p.cells
            .iter()
            .find(|(l, _)| *l == line)
            .map(|(_, c)| c.clone())
            .unwrap_or_else(|| fallback.clone())
    };
    let source = SourceFile {
        path: p.rel_path.clone(),
        disk_path: p.target.clone(),
        text: p.yaml.clone(),
    };
    let mut found = Vec::new();
    let Some(mut value) = crate::load::parse_file::<crate::model::Return>(&source, &mut found)
    else {
        return found
            .into_iter()
            .map(|d| {
                let cell = cell_of(d.line);
                (d, cell)
            })
            .collect();
    };
    // As the loader does: a short rating (`id: G`) takes its position from its key.
    for (_, entry) in &mut value.ratings {
        if entry.value.rating.line == 0 {
            entry.value.rating.line = entry.line;
            entry.value.rating.column = entry.column;
        }
    }
    // The return this form replaces (one awaiting its form, or any with --force) is set
    // aside while the new one is checked in its place.
    let replaced = ds
        .returns
        .iter()
        .position(|r| r.value.year.value == p.year && r.value.area.value == p.area)
        .filter(|_| p.replaces.is_some())
        .map(|i| (i, ds.returns.remove(i)));
    let index = ds.sources.len();
    ds.sources.push(source);
    ds.returns.push(Loaded {
        source: index,
        value,
    });
    let diagnostics = crate::validate::validate(ds);
    ds.returns.pop();
    ds.sources.pop();
    if let Some((i, old)) = replaced {
        ds.returns.insert(i, old);
    }
    found.extend(diagnostics.into_iter().filter(|d| d.file == p.rel_path));
    found
        .into_iter()
        .map(|d| {
            let cell = cell_of(d.line);
            (d, cell)
        })
        .collect()
}

/// Replace a file in one step: write beside it, then rename over it.
fn replace(target: &Path, text: &str) -> std::io::Result<()> {
    let parent = target.parent().unwrap_or(Path::new("."));
    let mut file = tempfile::NamedTempFile::new_in(parent)?;
    file.write_all(text.as_bytes())?;
    file.as_file().sync_all()?;
    file.persist(target).map_err(|e| e.error)?;
    Ok(())
}

/// Write a new file, never replacing one that exists.
fn write_new(target: &Path, text: &str) -> std::io::Result<()> {
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(target)?;
    if let Err(e) = file
        .write_all(text.as_bytes())
        .and_then(|_| file.sync_all())
    {
        drop(file);
        let _ = std::fs::remove_file(target);
        return Err(e);
    }
    Ok(())
}

fn one_of<'a>(ids: impl Iterator<Item = &'a str>) -> String {
    let list: Vec<&str> = ids.collect();
    if list.is_empty() {
        "no ids are defined yet".into()
    } else {
        format!("one of {}", list.join(", "))
    }
}
