//! Importing filled forms as YAML returns.
//!
//! In: paths of filled `.xlsx` forms, the `scoping-data/` folder and whether to write the
//! good forms when others fail. Out: an `ImportOutcome` listing the returns written, the
//! forms that failed, and every diagnostic, each naming the workbook (`file`) and the cell
//! (`Ratings!E7: …` at the start of the message).
//!
//! A form becomes one return per area it covers: a joint form (several areas that return
//! together, one block of columns each) gives each area its own return, with
//! `submission.listed_as` set to the areas' shared label and a note saying so, and is
//! written whole or not at all.
//!
//! Each form is checked twice. First its cells are checked directly (`about`: is it a
//! form, which year, region and areas; `ratings`: no cell holds a formula, and for each
//! area is every rating a known code or a "No change" that confirms its one last rating,
//! does every evidence cell name a service the form offered that area), so problems can
//! name the cell and suggest the value meant. Then the YAML it
//! would become is parsed with the project's own loader and checked with the project's own
//! `validate` rules alongside the existing data, and anything found there is mapped back to
//! the cell the value came from. A form replaces a return awaiting it (made by
//! `new-year`); a return that came back is replaced only with `force`, and the outcome
//! says what was overwritten. The title of the Ratings sheet (and on a joint form each
//! area's rating heading) must name the year, region and area of the hidden About sheet.
//! For each return written the outcome lists, rating
//! by rating, the new rating against the last confirmed one. If any form has an error
//! nothing is written, unless `partial` is set, in which case the good forms are written
//! and the bad ones listed.
//!
//! The Services sheet's contact details for the directory's services (website, phone,
//! e-mail, how families get the service, who can refer) go into each service's directory
//! file with the return as their source (`directory`); a detail the file states
//! differently needs `force`, and the outcome lists each fact written. Rows of services
//! the directory does not list are not imported: a warning (W086) names them. Forms are
//! checked in order and each good one stays in the data for the next (`project`), so two
//! forms that change one directory file both land in it.
//!
//! Kept in one file: the order of the steps below (check every form, plan every return,
//! write them all or none, undo what a failed write began) is what keeps an import safe,
//! and it reads best in one place; the checks of each sheet have files of their own.

use super::about::{check_about, check_titles};
use super::codes;
use super::contacts::{ServiceFacts, typed_facts};
use super::directory::{PreparedEdit, plan_edits};
use super::evidence::evidence_choices;
use super::layout::*;
use super::project::{self, Prepared};
use super::ratings::{FormAreaCheck, area_ratings, check_compiled_on, check_formulas, check_rows};
use super::read::{CellText, read_form};
use super::services::listed_services;
use super::xlsx::ReadError;
use super::yaml::{YamlRating, YamlReturn, render};
use crate::analyse::Lineage;
use crate::diag::{self, Diagnostic};
use crate::load::DATA_DIR;
use crate::model::{Area, Dataset, Framework, Loaded, Region};
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
    /// Directory files changed with contact details from the forms' Services sheets, each
    /// once.
    pub directory: Vec<PathBuf>,
    /// For each return written: what it replaced and, rating by rating, what changed
    /// against the last confirmed ratings; for each directory file, each fact written.
    pub changes: Vec<String>,
}

struct FormResult {
    path: PathBuf,
    name: String,
    diagnostics: Vec<Diagnostic>,
    /// The form's returns, one per area; empty when the form failed.
    prepared: Vec<Prepared>,
    /// The contact details typed on its Services sheet.
    facts: Vec<ServiceFacts>,
    /// The directory files those details change.
    edits: Vec<PreparedEdit>,
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
        let mut duplicate = false;
        for p in &result.prepared {
            if let Some((_, _, first)) = seen.iter().find(|(y, a, _)| *y == p.year && *a == p.area)
            {
                result.diagnostics.push(
                    Diagnostic::error(
                        codes::DUPLICATE_FORM,
                        &result.name,
                        format!(
                            "{}: a second form for area `{}` in {} in this import",
                            p.area_cell, p.area, p.year
                        ),
                    )
                    .help(format!(
                        "the first is {first}; import one form per area and year"
                    )),
                );
                duplicate = true;
            }
        }
        if duplicate {
            result.prepared.clear();
        } else {
            for p in &result.prepared {
                seen.push((p.year, p.area.clone(), result.name.clone()));
            }
        }
    }

    // The directory edits, then the project's own loader and rules with the existing data
    // around each form's returns and edits; a good form stays in place for the next.
    let before = project::baseline(&ds);
    for result in &mut results {
        if result.prepared.is_empty() {
            continue;
        }
        let year = result.prepared[0].year;
        result.edits = plan_edits(
            &ds,
            &result.name,
            year,
            &result.facts,
            force,
            &mut result.diagnostics,
        );
        if !result.has_errors() {
            let found = project::check(&mut ds, &result.prepared, &result.edits, &before)
                .into_iter()
                .map(|(d, cell)| at_cell(d, &result.name, &cell));
            result.diagnostics.extend(found);
        }
        if result.has_errors() {
            result.prepared.clear();
            result.edits.clear();
        } else {
            project::commit(&mut ds, &result.prepared, &result.edits);
        }
    }

    let any_errors = results
        .iter()
        .any(|r| r.has_errors() || r.prepared.is_empty());
    let write = !any_errors || partial;
    // Each form is written whole or not at all; without `partial`, a form that cannot be
    // written undoes the forms written before it too.
    let mut written_forms: Vec<usize> = Vec::new();
    for index in (0..results.len()).filter(|_| write) {
        if results[index].prepared.is_empty() {
            continue;
        }
        let Err((target, e)) = write_form_files(&results[index]) else {
            written_forms.push(index);
            continue;
        };
        let result = &mut results[index];
        result.diagnostics.push(
            Diagnostic::error(
                codes::CANNOT_WRITE,
                &result.name,
                format!("cannot write {}: {e}", target.display()),
            )
            .help("check that the data folder can be written, then import this form again"),
        );
        result.prepared.clear();
        if !partial {
            // Latest first: a later form may have edited a file an earlier one edited.
            for &done in written_forms.iter().rev() {
                undo(&results[done], usize::MAX);
            }
            written_forms.clear();
            break;
        }
    }
    for &index in &written_forms {
        for p in &results[index].prepared {
            outcome.written.push(p.target.clone());
            outcome.changes.extend(p.changes.iter().cloned());
        }
        for e in &results[index].edits {
            if !outcome.directory.contains(&e.target) {
                outcome.directory.push(e.target.clone());
            }
            outcome.changes.extend(e.changes.iter().cloned());
        }
    }
    for result in results {
        if result.prepared.is_empty() {
            outcome.failed.push(result.path);
        }
        outcome.diagnostics.extend(result.diagnostics);
    }
    outcome
}

/// Write the returns of one form, then the directory files it changes; on a failure, undo
/// what was written and say which file could not be written and why.
fn write_form_files(result: &FormResult) -> Result<(), (PathBuf, std::io::Error)> {
    let writes = result
        .prepared
        .iter()
        .map(|p| (&p.target, &p.yaml, p.replaces.is_some()))
        .chain(result.edits.iter().map(|e| (&e.target, &e.text, true)));
    for (i, (target, text, replaces)) in writes.enumerate() {
        let written = if replaces {
            replace(target, text)
        } else {
            write_new(target, text)
        };
        if let Err(e) = written {
            undo(result, i);
            return Err((target.clone(), e));
        }
    }
    Ok(())
}

/// Put back what the first `count` files a form wrote replaced, and remove new ones.
fn undo(result: &FormResult, count: usize) {
    let writes = result
        .prepared
        .iter()
        .map(|p| (&p.target, p.replaces.as_ref()))
        .chain(result.edits.iter().map(|e| (&e.target, Some(&e.replaces))));
    for (target, before) in writes.take(count) {
        match before {
            Some(text) => {
                let _ = replace(target, text);
            }
            None => {
                let _ = std::fs::remove_file(target);
            }
        }
    }
}

/// A human-readable report of an import: every diagnostic, then what was written.
pub fn render_outcome(outcome: &ImportOutcome) -> String {
    let mut out = String::new();
    for d in &outcome.diagnostics {
        out.push_str(&diag::render_human_with(d, None));
    }
    for path in outcome.written.iter().chain(&outcome.directory) {
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
        "{} written{}, {} not imported: {}\n",
        plural(outcome.written.len(), "return", "returns"),
        match outcome.directory.len() {
            0 => String::new(),
            n => format!(
                ", {}",
                plural(n, "directory file changed", "directory files changed")
            ),
        },
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
pub fn at_cell(d: Diagnostic, file: &str, cell: &str) -> Diagnostic {
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

/// Check one form's cells; when they are all right, prepare a YAML return for each of its
/// areas.
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
        prepared: Vec::new(),
        facts: Vec::new(),
        edits: Vec::new(),
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
    check_titles(ds, &name, &form, &subject, out);
    let Some(rows) = check_rows(fw, &name, &form, subject.year, out) else {
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
    // An unknown region or area was reported at its About cell.
    let Some((region_id, areas)) = &subject.areas else {
        return result;
    };
    let Some(region) = ds.region(region_id) else {
        return result;
    };
    let found: Vec<&Area> = areas.iter().filter_map(|a| region.area(&a.id)).collect();
    if found.len() != areas.len() {
        return result;
    }
    let listed = listed_services(ds, region, &found);
    result.facts = typed_facts(&name, &form, subject.version, &listed, out);
    let joint = (found.len() > 1).then(|| Joint::of(&found));
    let mut prepared = Vec::new();
    for (block, (area, cell)) in found.iter().zip(areas).enumerate() {
        let lineage = Lineage::of(ds, region, area);
        let earlier =
            |category: &str| lineage.earlier_codes(&area.id.value, category, subject.year);
        let choices = evidence_choices(ds, region, area);
        let check = FormAreaCheck {
            block,
            joint_name: joint.as_ref().map(|_| area.name.value.as_str()),
            earlier: &earlier,
            choices: &choices,
        };
        let (ratings, unchanged) = area_ratings(fw, &name, &form, &rows, &check, out);
        let planned = plan_return(
            ds,
            fw,
            &name,
            data_dir,
            force,
            PlannedReturn {
                year: subject.year,
                region,
                area,
                area_cell: &cell.cell,
                compiled_by: compiled_by.clone(),
                compiled_on: compiled_on.clone(),
                joint: joint.clone(),
                ratings,
                unchanged,
            },
            out,
        );
        prepared.extend(planned);
    }
    if !out.iter().any(Diagnostic::is_error) {
        result.prepared = prepared;
    }
    result
}

/// How a joint form's returns say they were returned together.
#[derive(Debug, Clone)]
struct Joint {
    /// `submission.listed_as`: the label of the one returns-table row the areas share.
    label: String,
    /// `submission.note`.
    note: String,
}

impl Joint {
    fn of(areas: &[&Area]) -> Joint {
        let names: Vec<&str> = areas.iter().map(|a| a.name.value.as_str()).collect();
        let each: Vec<String> = names.iter().map(|n| format!("for {n}")).collect();
        let together = match each.split_last() {
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
            None => String::new(),
        };
        Joint {
            label: joint_label(names.iter().copied()),
            note: format!(
                "One form was returned {together} together; each area is rated separately."
            ),
        }
    }
}

/// What one area of a form will become.
struct PlannedReturn<'a> {
    year: u16,
    region: &'a Region,
    area: &'a Area,
    area_cell: &'a str,
    compiled_by: Option<(String, String)>,
    compiled_on: Option<(String, String)>,
    joint: Option<Joint>,
    ratings: Vec<YamlRating>,
    unchanged: BTreeSet<String>,
}

/// The return of one area, ready to write, after checking what it would replace; `None`
/// (with an error at the area's About cell) when it may not be written.
fn plan_return(
    ds: &Dataset,
    fw: &Framework,
    name: &str,
    data_dir: &Path,
    force: bool,
    plan: PlannedReturn,
    out: &mut Vec<Diagnostic>,
) -> Option<Prepared> {
    let (region_id, area_id, year) = (&plan.region.id.value, &plan.area.id.value, plan.year);
    if !is_safe_id(region_id) || !is_safe_id(area_id) {
        out.push(
            Diagnostic::error(
                codes::CANNOT_WRITE,
                name,
                format!(
                    "{}: the region or area id cannot be used as a file name",
                    plan.area_cell
                ),
            )
            .help("fix the ids in the region file (`scopemap validate` reports them)"),
        );
        return None;
    }
    let target = data_dir
        .join("returns")
        .join(year.to_string())
        .join(region_id)
        .join(format!("{area_id}.yaml"));
    let rel_path = format!("{DATA_DIR}/returns/{year}/{region_id}/{area_id}.yaml");
    let existing = ds
        .returns
        .iter()
        .find(|r| r.value.year.value == year && r.value.area.value == *area_id);
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
                    name,
                    format!(
                        "{}: a return for `{area_id}` in {year} already exists and came back ({}): {path}",
                        plan.area_cell, old.value.submission.status.value
                    ),
                )
                .help(format!(
                    "it was left as it is; it says: {}. To replace it with this form, import again with --force",
                    said(fw, &old.value)
                )),
            );
            return None;
        }
        None if target.exists() => {
            out.push(
                Diagnostic::error(
                    codes::RETURN_EXISTS,
                    name,
                    format!(
                        "{}: a file for `{area_id}` in {year} already exists and could not be read as a return: {rel_path}",
                        plan.area_cell
                    ),
                )
                .help("run `scopemap validate` to see what is wrong with it, fix or move it, and import the form again"),
            );
            return None;
        }
        None => {}
    }
    if let Some(joint) = &plan.joint {
        changes.push(format!(
            "  returned jointly as “{}” (submission.listed_as)",
            joint.label
        ));
    }
    changes.extend(rating_changes(
        ds,
        fw,
        plan.region,
        plan.area,
        year,
        &plan.ratings,
        &plan.unchanged,
    ));
    let ret = YamlReturn {
        source_name: name.to_string(),
        year,
        region: region_id.clone(),
        area: area_id.clone(),
        listed_as: plan.joint.as_ref().map(|j| j.label.clone()),
        submission_note: plan.joint.map(|j| j.note),
        compiled_by: plan.compiled_by,
        compiled_on: plan.compiled_on,
        ratings: plan.ratings,
        about_cell: plan.area_cell.to_string(),
    };
    let (yaml, cells) = render(&ret);
    Some(Prepared {
        target,
        rel_path,
        yaml,
        cells,
        year,
        area: area_id.clone(),
        area_cell: plan.area_cell.to_string(),
        replaces,
        changes,
    })
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
                    // The form's code was resolved to a level when the form was read.
                    let to = fw
                        .rating(&r.code)
                        .and_then(|l| l.rank.as_ref())
                        .map(|r| r.value);
                    match crate::analyse::compare_ranks(one.rank, to) {
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
