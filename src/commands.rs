//! The commands behind the CLI, callable from tests. Each returns an exit status and
//! writes its report to the given writer.

use crate::diag::{self, Diagnostic};
use crate::model::Dataset;
use crate::{EXIT_CANNOT_RUN, EXIT_DATA_ERRORS, EXIT_OK, load, validate};
use std::io::Write;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
}

/// Load and validate the data under `root`; every diagnostic, sorted.
pub fn check_data(root: &Path) -> (Dataset, Vec<Diagnostic>) {
    let (dataset, mut diagnostics) = load::load(root);
    diagnostics.extend(validate::validate(&dataset));
    diag::sort(&mut diagnostics);
    (dataset, diagnostics)
}

/// Whether `root` is not a folder, which is then said on `out`.
pub fn root_is_missing(root: &Path, out: &mut dyn Write) -> bool {
    if root.is_dir() {
        return false;
    }
    let _ = writeln!(
        out,
        "error: the root folder {} does not exist or is not a folder",
        root.display()
    );
    true
}

/// `scopemap validate`.
pub fn validate_command(root: &Path, format: Format, out: &mut dyn Write) -> i32 {
    if root_is_missing(root, out) {
        return EXIT_CANNOT_RUN;
    }
    let (dataset, diagnostics) = check_data(root);
    print_diagnostics(&dataset, &diagnostics, format, out);
    if format == Format::Human {
        let _ = writeln!(
            out,
            "checked {} files ({} returns, {} services): {}",
            dataset.sources.len(),
            dataset.returns.len(),
            dataset.services.len(),
            diag::summary_line(&diagnostics)
        );
    }
    if diag::count_errors(&diagnostics) > 0 {
        EXIT_DATA_ERRORS
    } else {
        EXIT_OK
    }
}

pub fn print_diagnostics(
    dataset: &Dataset,
    diagnostics: &[Diagnostic],
    format: Format,
    out: &mut dyn Write,
) {
    if diagnostics.is_empty() {
        return;
    }
    let quoter = diag::Quoter::new(&dataset.sources);
    for d in diagnostics {
        let text = match format {
            Format::Human => diag::render_human_with(d, quoter.line(&d.file, d.line)),
            Format::Json => diag::render_json(d) + "\n",
        };
        let _ = out.write_all(text.as_bytes());
    }
}

/// `scopemap build`: check, render what changed, then update the output folder.
pub fn build_command(root: &Path, out_dir: &Path, force: bool, out: &mut dyn Write) -> i32 {
    build_for(root, out_dir, force, crate::audience::Audience::Public, out)
}

/// `scopemap build --audience …`: one build session.
pub fn build_for(
    root: &Path,
    out_dir: &Path,
    force: bool,
    audience: crate::audience::Audience,
    out: &mut dyn Write,
) -> i32 {
    crate::session::Session::once(root, out_dir, force, audience).build(out)
}

/// `scopemap check`: verify a built site folder.
pub fn check_command(root: &Path, site: &Path, format: Format, out: &mut dyn Write) -> i32 {
    if !site.join("index.html").is_file() && !site.is_dir() {
        let _ = writeln!(
            out,
            "error: {} is not a built site; run `scopemap build` first",
            site.display()
        );
        return EXIT_CANNOT_RUN;
    }
    let mut ignored = Vec::new();
    let base_path = crate::config::load_config(root, &mut ignored)
        .0
        .map(|c| crate::render::base_path(&c.base_url.value))
        .unwrap_or_else(|| "/".into());
    let diagnostics = crate::check::check_site(site, &base_path);
    let mut quoted = Dataset::default();
    let mut read = std::collections::HashSet::new();
    for d in &diagnostics {
        if d.line > 0 && read.insert(d.file.as_str()) {
            let disk_path = site.join(&d.file);
            let text = std::fs::read_to_string(&disk_path).unwrap_or_default();
            quoted.sources.push(crate::model::SourceFile {
                path: d.file.clone(),
                disk_path,
                text,
            });
        }
    }
    print_diagnostics(&quoted, &diagnostics, format, out);
    if format == Format::Human {
        let _ = writeln!(
            out,
            "checked {}: {}",
            site.display(),
            diag::summary_line(&diagnostics)
        );
    }
    if diag::count_errors(&diagnostics) > 0 {
        EXIT_DATA_ERRORS
    } else {
        EXIT_OK
    }
}

/// Load and validate files given as text (path inside `scoping-data/`, text).
pub fn check_texts(files: &[(&str, &str)]) -> Vec<Diagnostic> {
    let (dataset, mut diagnostics) = load::load_texts(files);
    diagnostics.extend(validate::validate(&dataset));
    diag::sort(&mut diagnostics);
    diagnostics
}

/// `scopemap export oruk --out DIR`: the directory as a static Open Referral UK feed.
pub fn export_oruk_command(
    root: &Path,
    out_dir: &Path,
    profile: crate::oruk::Profile,
    out: &mut dyn Write,
) -> i32 {
    let (mut dataset, diagnostics) = check_data(root);
    if diag::count_errors(&diagnostics) > 0 {
        print_diagnostics(&dataset, &diagnostics, Format::Human, out);
        let _ = writeln!(out, "export stopped: {}", diag::summary_line(&diagnostics));
        return EXIT_DATA_ERRORS;
    }
    crate::audience::prepare(&mut dataset, crate::audience::Audience::Public);
    let options = crate::oruk::ExportOptions {
        profile,
        ..Default::default()
    };
    match crate::oruk::export_to_dir_with(&dataset, out_dir, &options) {
        Ok(n) => {
            let _ = writeln!(
                out,
                "wrote {n} files of the Open Referral UK feed into {}",
                out_dir.display()
            );
            EXIT_OK
        }
        Err(e) => {
            let _ = writeln!(out, "error: {e}");
            EXIT_CANNOT_RUN
        }
    }
}

/// `scopemap import oruk FILE_OR_DIR…`: services from an ORUK / HSDS feed into directory files.
pub fn import_oruk_command(
    root: &Path,
    inputs: &[std::path::PathBuf],
    options: &crate::oruk::ImportOptions,
    out: &mut dyn Write,
) -> i32 {
    let report = crate::oruk::import_feeds(inputs, root, options);
    let _ = out.write_all(crate::oruk::render_import(&report).as_bytes());
    if report.errors().is_empty() {
        EXIT_OK
    } else {
        EXIT_DATA_ERRORS
    }
}

/// `scopemap forms --year Y --region R --out DIR [--joint A,B]…`: one spreadsheet return
/// form per area, and one joint form for each `--joint` list of areas that return together.
pub fn forms_command(
    root: &Path,
    year: u16,
    region: &str,
    joint: &[String],
    out_dir: &Path,
    out: &mut dyn Write,
) -> i32 {
    let groups: Vec<Vec<String>> = joint
        .iter()
        .map(|g| {
            g.split(',')
                .map(|a| a.trim().to_string())
                .filter(|a| !a.is_empty())
                .collect()
        })
        .collect();
    if let Some(bad) = joint.iter().zip(&groups).find(|(_, g)| g.len() < 2) {
        let _ = writeln!(
            out,
            "error: `--joint {}` names fewer than two areas; list the area ids that return together, separated by commas, e.g. `--joint knowsley,st-helens`",
            bad.0
        );
        return EXIT_CANNOT_RUN;
    }
    let (dataset, diagnostics) = check_data(root);
    if diag::count_errors(&diagnostics) > 0 {
        print_diagnostics(&dataset, &diagnostics, Format::Human, out);
        let _ = writeln!(
            out,
            "forms not written: {}",
            diag::summary_line(&diagnostics)
        );
        return EXIT_DATA_ERRORS;
    }
    let Some(settings) = returns_settings(root, out) else {
        return EXIT_DATA_ERRORS;
    };
    match crate::forms::write_forms_with(&dataset, &settings, year, region, &groups, out_dir) {
        Ok(paths) => {
            for p in &paths {
                let _ = writeln!(out, "wrote {}", p.display());
            }
            let _ = writeln!(out, "{} forms for {region} {year}", paths.len());
            EXIT_OK
        }
        Err(e) => {
            let _ = writeln!(out, "error: {e}");
            EXIT_CANNOT_RUN
        }
    }
}

/// The `returns` settings of scopemap.yaml for the forms: none without the file; `None`
/// (after printing why) when the file cannot be read or its `returns` settings are wrong,
/// so a misspelt setting never leaves a form without its due date unnoticed.
fn returns_settings(root: &Path, out: &mut dyn Write) -> Option<crate::config::ReturnsSettings> {
    let mut found = Vec::new();
    let (config, source) = crate::config::load_config(root, &mut found);
    if found.iter().any(|d| d.code == "E050") {
        return Some(Default::default());
    }
    let relevant: Vec<&Diagnostic> = found
        .iter()
        .filter(|d| d.is_error() && (config.is_none() || d.message.contains("`returns.")))
        .collect();
    if relevant.is_empty() {
        return Some(config.map(|c| c.returns).unwrap_or_default());
    }
    let sources: Vec<crate::model::SourceFile> = source.into_iter().collect();
    for d in relevant {
        let _ = write!(out, "{}", diag::render_human(d, &sources));
    }
    let _ = writeln!(
        out,
        "forms not written: fix {} first",
        crate::config::CONFIG_FILE
    );
    None
}

/// `scopemap import FORM.xlsx…`: filled return forms into YAML returns, then validated.
pub fn import_forms_command(
    root: &Path,
    files: &[std::path::PathBuf],
    partial: bool,
    force: bool,
    out: &mut dyn Write,
) -> i32 {
    let outcome =
        crate::forms::import_forms_with(files, &root.join(crate::load::DATA_DIR), partial, force);
    let _ = out.write_all(crate::forms::render_outcome(&outcome).as_bytes());
    if outcome.failed.is_empty() {
        EXIT_OK
    } else {
        EXIT_DATA_ERRORS
    }
}

/// `scopemap report --region R --year Y --pdf FILE`: the year's report printed to PDF.
pub fn report_pdf_command(
    root: &Path,
    region: &str,
    year: u16,
    pdf: &Path,
    out: &mut dyn Write,
) -> i32 {
    let Some(browser) = crate::pdf::find_chromium() else {
        let _ = writeln!(
            out,
            "error: printing needs a local Chromium\n   = help: {}",
            crate::pdf::INSTALL_HELP
        );
        return EXIT_CANNOT_RUN;
    };
    let Ok(work) = tempfile::tempdir() else {
        let _ = writeln!(out, "error: cannot make a temporary folder");
        return EXIT_CANNOT_RUN;
    };
    let site = work.path().join("site");
    let mut log = Vec::new();
    let code = build_for(
        root,
        &site,
        false,
        crate::audience::Audience::Public,
        &mut log,
    );
    if code != EXIT_OK {
        let _ = out.write_all(&log);
        return code;
    }
    let page = site.join(format!("regions/{region}/{year}/report/index.html"));
    if !page.is_file() {
        let _ = writeln!(
            out,
            "error: there is no {year} report for `{region}`\n   = help: use a region id from scoping-data/regions/ and a year that has returns"
        );
        return EXIT_DATA_ERRORS;
    }
    match crate::pdf::print_report_with(&browser, &page, pdf) {
        Ok(()) => {
            let _ = writeln!(out, "wrote {}", pdf.display());
            EXIT_OK
        }
        Err(e) => {
            let _ = writeln!(
                out,
                "error: the PDF was not made: {e}\n   = help: check that the browser runs (`{} --version`), or set SCOPEMAP_CHROMIUM to another Chromium or Chrome",
                browser.display()
            );
            EXIT_CANNOT_RUN
        }
    }
}

/// `scopemap new-year YEAR --region R`: next year's returns, pre-filled and marked unconfirmed.
pub fn new_year_command(root: &Path, year: u16, region: &str, out: &mut dyn Write) -> i32 {
    let (dataset, diagnostics) = check_data(root);
    if diag::count_errors(&diagnostics) > 0 {
        print_diagnostics(&dataset, &diagnostics, Format::Human, out);
        let _ = writeln!(
            out,
            "no returns written: {}",
            diag::summary_line(&diagnostics)
        );
        return EXIT_DATA_ERRORS;
    }
    match crate::cycle::write_new_year(&dataset, &root.join(crate::load::DATA_DIR), region, year) {
        Ok(outcome) => {
            for p in &outcome.written {
                let _ = writeln!(out, "wrote {}", p.display());
            }
            for p in &outcome.kept {
                let _ = writeln!(out, "kept {} (it already exists)", p.display());
            }
            let _ = writeln!(
                out,
                "{} new returns awaiting their forms, {} kept; carried-forward ratings are not published until the form comes back",
                outcome.written.len(),
                outcome.kept.len()
            );
            EXIT_OK
        }
        Err(e) => {
            let _ = writeln!(out, "error: {e}");
            EXIT_CANNOT_RUN
        }
    }
}

/// `scopemap status --year Y [--region R]`: which areas have returned, which are awaited.
pub fn status_command(root: &Path, year: u16, region: Option<&str>, out: &mut dyn Write) -> i32 {
    if root_is_missing(root, out) {
        return EXIT_CANNOT_RUN;
    }
    let (dataset, diagnostics) = check_data(root);
    if dataset.regions.is_empty() && diag::count_errors(&diagnostics) > 0 {
        print_diagnostics(&dataset, &diagnostics, Format::Human, out);
        let _ = writeln!(out, "no status: {}", diag::summary_line(&diagnostics));
        return EXIT_DATA_ERRORS;
    }
    match crate::cycle::tracker(&dataset, year, region) {
        Ok(trackers) => {
            let _ = out.write_all(crate::cycle::render_tracker(&trackers).as_bytes());
            if diag::count_errors(&diagnostics) > 0 {
                let _ = writeln!(
                    out,
                    "the data has errors ({}); run `scopemap validate`",
                    diag::summary_line(&diagnostics)
                );
                return EXIT_DATA_ERRORS;
            }
            EXIT_OK
        }
        Err(e) => {
            let _ = writeln!(out, "error: {e}");
            EXIT_CANNOT_RUN
        }
    }
}
