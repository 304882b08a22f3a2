//! The commands about the data and the yearly cycle: `export`, `import`, `forms`,
//! `new-year`, `status` and `fixture`.
//!
//! In: the arguments of each command. Out: the report written to the given writer and an
//! exit status.

use super::{check_data, print_diagnostics, reporting};
use crate::diag::{self, Diagnostic, Failure, Format, Reporter};
use crate::fixture::{FixtureOptions, write_fixture};
use crate::{EXIT_DATA_ERRORS, EXIT_OK, load, validate};
use std::io::Write;
use std::path::Path;

/// `scopemap export oruk --out DIR`: the directory as a static Open Referral UK feed.
pub fn export_oruk_command(
    root: &Path,
    out_dir: &Path,
    profile: crate::oruk::Profile,
    out: &mut dyn Write,
) -> i32 {
    reporting(out, |out| {
        let (mut dataset, diagnostics) = check_data(root);
        if diag::count_errors(&diagnostics) > 0 {
            print_diagnostics(&dataset, &diagnostics, Format::Human, out);
            out.line(format_args!(
                "export stopped: {}",
                diag::summary_line(&diagnostics)
            ));
            return Ok(EXIT_DATA_ERRORS);
        }
        crate::audience::prepare(&mut dataset, crate::audience::Audience::Public);
        let options = crate::oruk::ExportOptions {
            profile,
            ..Default::default()
        };
        let n = crate::oruk::export_to_dir_with(&dataset, out_dir, &options)
            .map_err(|e| Failure::new(e.as_str()))?;
        out.line(format_args!(
            "wrote {n} files of the Open Referral UK feed into {}",
            out_dir.display()
        ));
        Ok(EXIT_OK)
    })
}

/// `scopemap import oruk FILE_OR_DIR…`: services from an ORUK / HSDS feed into directory
/// files, with a summary of every record and field not taken and why.
pub fn import_oruk_command(
    root: &Path,
    inputs: &[std::path::PathBuf],
    options: &crate::oruk::ImportOptions,
    out: &mut dyn Write,
) -> i32 {
    reporting(out, |out| {
        let report = crate::oruk::import_feeds(inputs, root, options);
        out.text(&crate::oruk::render_import(&report));
        Ok(if report.errors().is_empty() {
            EXIT_OK
        } else {
            EXIT_DATA_ERRORS
        })
    })
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
    reporting(out, |out| {
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
            return Err(Failure::new(format!(
                "`--joint {}` names fewer than two areas; list the area ids that return together, separated by commas, e.g. `--joint knowsley,st-helens`",
                bad.0
            )));
        }
        let (dataset, diagnostics) = check_data(root);
        if diag::count_errors(&diagnostics) > 0 {
            print_diagnostics(&dataset, &diagnostics, Format::Human, out);
            out.line(format_args!(
                "forms not written: {}",
                diag::summary_line(&diagnostics)
            ));
            return Ok(EXIT_DATA_ERRORS);
        }
        let Some(settings) = returns_settings(root, out) else {
            return Ok(EXIT_DATA_ERRORS);
        };
        let paths =
            crate::forms::write_forms_with(&dataset, &settings, year, region, &groups, out_dir)?;
        for p in &paths {
            out.line(format_args!("wrote {}", p.display()));
        }
        out.line(format_args!("{} forms for {region} {year}", paths.len()));
        Ok(EXIT_OK)
    })
}

/// The `returns` settings of scopemap.yaml for the forms: none without the file; `None`
/// (after printing why) when the file cannot be read or its `returns` settings are wrong,
/// so a misspelt setting never leaves a form without its due date unnoticed.
fn returns_settings(root: &Path, out: &mut Reporter) -> Option<crate::model::ReturnsSettings> {
    let mut found = Vec::new();
    let settings = load::load_settings(root, &mut found);
    let (config, source) = (settings.config, settings.source);
    if let Some(c) = &config {
        found.extend(validate::validate_settings(c, settings.theme_found));
    }
    if found.iter().any(|d| d.code == "E050") {
        return Some(Default::default());
    }
    let relevant: Vec<Diagnostic> = found
        .into_iter()
        .filter(|d| d.is_error() && (config.is_none() || d.message.contains("`returns.")))
        .collect();
    if relevant.is_empty() {
        return Some(config.map(|c| c.returns).unwrap_or_default());
    }
    let sources: Vec<crate::model::SourceFile> = source.into_iter().collect();
    out.diagnostics(&relevant, Format::Human, &sources);
    out.line(format_args!(
        "forms not written: fix {} first",
        crate::model::CONFIG_FILE
    ));
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
    reporting(out, |out| {
        let data_dir = root.join(crate::load::DATA_DIR);
        let outcome = crate::forms::import_forms_with(files, &data_dir, partial, force);
        out.text(&crate::forms::render_outcome(&outcome));
        Ok(if outcome.failed.is_empty() {
            EXIT_OK
        } else {
            EXIT_DATA_ERRORS
        })
    })
}

/// `scopemap new-year YEAR --region R`: next year's returns, pre-filled and marked unconfirmed.
pub fn new_year_command(root: &Path, year: u16, region: &str, out: &mut dyn Write) -> i32 {
    reporting(out, |out| {
        let (dataset, diagnostics) = check_data(root);
        if diag::count_errors(&diagnostics) > 0 {
            print_diagnostics(&dataset, &diagnostics, Format::Human, out);
            out.line(format_args!(
                "no returns written: {}",
                diag::summary_line(&diagnostics)
            ));
            return Ok(EXIT_DATA_ERRORS);
        }
        let data_dir = root.join(crate::load::DATA_DIR);
        let outcome = crate::cycle::write_new_year(&dataset, &data_dir, region, year)?;
        for p in &outcome.written {
            out.line(format_args!("wrote {}", p.display()));
        }
        for p in &outcome.kept {
            out.line(format_args!("kept {} (it already exists)", p.display()));
        }
        out.line(format_args!(
            "{} new returns awaiting their forms, {} kept; carried-forward ratings are not published until the form comes back",
            outcome.written.len(),
            outcome.kept.len()
        ));
        Ok(EXIT_OK)
    })
}

/// `scopemap status --year Y [--region R]`: which areas have returned, which are awaited.
pub fn status_command(root: &Path, year: u16, region: Option<&str>, out: &mut dyn Write) -> i32 {
    reporting(out, |out| {
        load::check_root(root)?;
        let (dataset, diagnostics) = check_data(root);
        if dataset.regions().is_empty() && diag::count_errors(&diagnostics) > 0 {
            print_diagnostics(&dataset, &diagnostics, Format::Human, out);
            out.line(format_args!(
                "no status: {}",
                diag::summary_line(&diagnostics)
            ));
            return Ok(EXIT_DATA_ERRORS);
        }
        let trackers = crate::cycle::tracker(&dataset, year, region)?;
        out.text(&crate::cycle::render_tracker(&trackers));
        if diag::count_errors(&diagnostics) > 0 {
            out.line(format_args!(
                "the data has errors ({}); run `scopemap validate`",
                diag::summary_line(&diagnostics)
            ));
            return Ok(EXIT_DATA_ERRORS);
        }
        Ok(EXIT_OK)
    })
}

/// `scopemap fixture --regions R --areas-per-region A --years Y --services S --out DIR`.
pub fn fixture_command(
    root: &Path,
    options: &FixtureOptions,
    out_dir: &Path,
    log: &mut dyn Write,
) -> i32 {
    reporting(log, |log| {
        let (counts, written, themes_found) = write_fixture(options, out_dir, root)?;
        log.line(format_args!(
            "wrote {written} files of SYNTHETIC data into {}: {} regions, {} areas, \
             {}–{}, {} returns, {} reports, {} services (seed {})",
            out_dir.display(),
            counts.regions,
            counts.areas,
            counts.first_year,
            counts.last_year,
            counts.returns,
            counts.reports,
            counts.services,
            options.seed
        ));
        if !themes_found {
            log.warning(
                &Failure::new(format!(
                    "{} has no themes/ folder, so the set has no theme and will not build",
                    root.display()
                ))
                .help(format!(
                    "run this from the scopemap repository or pass --root REPO, or copy a theme into {}",
                    out_dir.join("themes").display()
                )),
            );
        }
        Ok(EXIT_OK)
    })
}
