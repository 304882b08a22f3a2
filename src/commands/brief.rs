//! `scopemap report --area A --year Y --pdf FILE` and `scopemap report --all --year Y --out
//! DIR`: the brief of one area, or of every area of a year, printed to PDF.
//!
//! In: the arguments. Out: the PDFs, a line for each, and an exit status. The site is built
//! into a temporary folder and each brief printed from there, so a brief is exactly the
//! page the site publishes. `--all` prints every brief through one browser kept open
//! (`pdf::browser`), falling back to one browser per brief where that cannot start.

use super::{print_diagnostics, reporting};
use crate::audience::Audience;
use crate::diag::{Diagnostic, Failure, Format, Reporter};
use crate::model::{Area, Dataset, Region};
use crate::{EXIT_CANNOT_RUN, EXIT_DATA_ERRORS, EXIT_OK};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What `scopemap report` is asked to print.
pub struct ReportRequest {
    pub region: Option<String>,
    pub area: Option<String>,
    pub all: bool,
    pub year: u16,
    pub pdf: Option<PathBuf>,
    pub out: Option<PathBuf>,
}

/// `scopemap report`: a region's report, an area's brief, or every brief of a year.
pub fn report_command(root: &Path, request: ReportRequest, out: &mut dyn Write) -> i32 {
    let ReportRequest {
        region,
        area,
        all,
        year,
        pdf,
        out: out_dir,
    } = request;
    let usage = |message: String, help: &str| {
        Diagnostic::error("E274", "command line", message).help(help.to_string())
    };
    let problem = match (&region, &area, all, &pdf, &out_dir) {
        (_, _, true, _, None) => Some(
            Diagnostic::error(
                "E272",
                "command line",
                format!(
                    "`--all` prints every brief of {year} into a folder, and no `--out` names it"
                ),
            )
            .help(format!(
                "add `--out DIR`, e.g. `scopemap report --all --year {year} --out briefs/`"
            )),
        ),
        (_, _, true, Some(_), _) => Some(usage(
            "`--pdf` names one file, and `--all` prints many".into(),
            "use `--out DIR` with `--all`, or `--area AREA --pdf FILE` for one brief",
        )),
        (_, Some(_), true, _, _) => Some(usage(
            "`--area` and `--all` cannot be used together".into(),
            "leave out `--all` to print one area's brief, or `--area` to print every brief",
        )),
        (Some(_), Some(_), false, _, _) => Some(usage(
            "`--region` and `--area` cannot be used together".into(),
            "use `--region R` for the region's report, or `--area A` for an area's brief",
        )),
        (None, None, false, _, _) => Some(usage(
            "nothing to print: no `--region`, `--area` or `--all`".into(),
            "use `--region R --pdf FILE` for a report, `--area A --pdf FILE` for a brief, or `--all --out DIR` for every brief",
        )),
        (_, _, false, None, _) => Some(usage(
            "no `--pdf` file to print into".into(),
            "add `--pdf FILE`, e.g. `--pdf brief.pdf`",
        )),
        (_, _, false, Some(_), Some(_)) => Some(usage(
            "`--out` is for `--all`; one report or brief goes to `--pdf`".into(),
            "leave out `--out`",
        )),
        _ => None,
    };
    if let Some(problem) = problem {
        return reporting(out, |out| {
            out.diagnostics(&[problem], Format::Human, &crate::diag::NoSources);
            Ok(EXIT_CANNOT_RUN)
        });
    }
    match (region, area, pdf, out_dir) {
        (Some(region), None, Some(pdf), None) if !all => {
            super::report_pdf_command(root, &region, year, &pdf, out)
        }
        (_, Some(area), Some(pdf), _) => brief_pdf_command(root, &area, year, &pdf, out),
        (region, _, _, Some(dir)) => all_briefs_command(root, region.as_deref(), year, &dir, out),
        _ => EXIT_CANNOT_RUN,
    }
}

/// The file an area's brief is printed to by `--all`: `2022-cheshire-and-merseyside-halton-ccg.pdf`.
pub fn brief_file_name(year: u16, region: &str, area: &str) -> String {
    format!("{year}-{region}-{area}.pdf")
}

/// Whether `area` has a return of its own in `year`.
fn has_return(ds: &Dataset, region: &Region, area: &Area, year: u16) -> bool {
    ds.returns.iter().map(|r| &r.value).any(|r| {
        r.year.value == year && r.region.value == region.id.value && r.area.value == area.id.value
    })
}

/// Load the data, or print why it does not load (exit status 1).
fn loaded(root: &Path, out: &mut Reporter) -> Result<Dataset, i32> {
    crate::load::check_root(root).map_err(|f| {
        out.failure(&f);
        EXIT_CANNOT_RUN
    })?;
    let (dataset, diagnostics) = super::check_data(root);
    if diagnostics.iter().any(Diagnostic::is_error) {
        print_diagnostics(&dataset, &diagnostics, Format::Human, out);
        return Err(EXIT_DATA_ERRORS);
    }
    Ok(dataset)
}

/// The site built into `work`, or the build's log and exit status.
fn built(root: &Path, work: &Path, out: &mut Reporter) -> Result<PathBuf, i32> {
    let site = work.join("site");
    let mut log = Vec::new();
    let code = super::build_for(root, &site, false, Audience::Public, &mut log);
    if code != EXIT_OK {
        out.bytes(&log);
        return Err(code);
    }
    Ok(site)
}

fn browser() -> Result<PathBuf, Failure> {
    crate::pdf::find_chromium().ok_or_else(|| {
        Failure::new("printing needs a local Chromium").help(crate::pdf::INSTALL_HELP)
    })
}

/// `scopemap report --area A --year Y --pdf FILE`.
pub fn brief_pdf_command(
    root: &Path,
    area_id: &str,
    year: u16,
    pdf: &Path,
    out: &mut dyn Write,
) -> i32 {
    reporting(out, |out| {
        let ds = match loaded(root, out) {
            Ok(ds) => ds,
            Err(code) => return Ok(code),
        };
        let Some((region, area)) = ds.area(area_id) else {
            let known: Vec<&str> = ds
                .regions()
                .iter()
                .flat_map(|r| r.value.areas.iter().map(|a| a.id.value.as_str()))
                .collect();
            let hint = crate::diag::nearest(area_id, known.iter().copied())
                .map(|n| format!("; did you mean `{n}`?"))
                .unwrap_or_default();
            let d = Diagnostic::error(
                "E270",
                "scoping-data/regions/",
                format!("unknown area `{area_id}`{hint}"),
            )
            .help(format!(
                "use the id of an area in a region file under scoping-data/regions/: {}",
                known.join(", ")
            ));
            out.diagnostics(&[d], Format::Human, &crate::diag::NoSources);
            return Ok(EXIT_DATA_ERRORS);
        };
        if !has_return(&ds, region, area, year) {
            let mut years: Vec<u16> = ds
                .returns
                .iter()
                .map(|r| &r.value)
                .filter(|r| r.area.value == area.id.value)
                .map(|r| r.year.value)
                .collect();
            years.sort_unstable();
            years.dedup();
            // A Place's first years are its predecessors' returns, each with its own brief.
            let predecessors: Vec<String> = area
                .succeeds
                .iter()
                .filter_map(|p| region.area(&p.value))
                .filter(|p| has_return(&ds, region, p, year))
                .map(|p| format!("`--area {}`", p.id.value))
                .collect();
            let help = if !predecessors.is_empty() {
                format!(
                    "{} did not exist as an area in {year}; the areas it took over from have {year} briefs: {}",
                    area.name.value,
                    predecessors.join(", ")
                )
            } else if years.is_empty() {
                format!(
                    "{} has no return in any year; a brief needs one (`scopemap new-year` makes the returns of a year)",
                    area.name.value
                )
            } else {
                format!(
                    "use a year {} has a return for: {}",
                    area.name.value,
                    years
                        .iter()
                        .map(u16::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            let d = Diagnostic::error(
                "E271",
                &format!("scoping-data/returns/{year}/{}/", region.id.value),
                format!(
                    "`{area_id}` has no return for {year}, so there is no {year} brief of {}",
                    area.name.value
                ),
            )
            .help(help);
            out.diagnostics(&[d], Format::Human, &crate::diag::NoSources);
            return Ok(EXIT_DATA_ERRORS);
        }
        let browser = browser()?;
        let work =
            tempfile::tempdir().map_err(|_| Failure::new("cannot make a temporary folder"))?;
        let site = match built(root, work.path(), out) {
            Ok(site) => site,
            Err(code) => return Ok(code),
        };
        let page = site.join(crate::render::brief_path(area_id, year));
        if !page.is_file() {
            return Err(Failure::new(format!(
                "the site publishes no {year} for {}, so it has no {year} brief",
                region.name.value
            ))
            .help("set `publish_unconfirmed: true` in scopemap.yaml, or wait for the first form of the year"));
        }
        crate::pdf::print_with(&browser, &page, pdf).map_err(|e| printing_failed(e, &browser))?;
        out.line(format_args!("wrote {}", pdf.display()));
        Ok(EXIT_OK)
    })
}

fn printing_failed(e: Failure, browser: &Path) -> Failure {
    Failure::new(format!("the PDF was not made: {e}")).help(format!(
        "check that the browser runs (`{} --version`), or set SCOPEMAP_CHROMIUM to another Chromium or Chrome",
        browser.display()
    ))
}

/// `scopemap report --all --year Y --out DIR [--region R]`.
pub fn all_briefs_command(
    root: &Path,
    region_id: Option<&str>,
    year: u16,
    dir: &Path,
    out: &mut dyn Write,
) -> i32 {
    reporting(out, |out| {
        let ds = match loaded(root, out) {
            Ok(ds) => ds,
            Err(code) => return Ok(code),
        };
        if let Some(id) = region_id
            && ds.region(id).is_none()
        {
            let known: Vec<&str> = ds
                .regions()
                .iter()
                .map(|r| r.value.id.value.as_str())
                .collect();
            let d = Diagnostic::error(
                "E273",
                "scoping-data/regions/",
                format!("unknown region `{id}`, so there are no briefs to print"),
            )
            .help(format!(
                "use a region id from scoping-data/regions/: {}",
                known.join(", ")
            ));
            out.diagnostics(&[d], Format::Human, &crate::diag::NoSources);
            return Ok(EXIT_DATA_ERRORS);
        }
        let wanted: Vec<(&Region, &Area)> = ds
            .regions()
            .iter()
            .map(|r| &r.value)
            .filter(|r| region_id.is_none_or(|id| r.id.value == id))
            .flat_map(|r| r.areas.iter().map(move |a| (r, a)))
            .filter(|(r, a)| has_return(&ds, r, a, year))
            .collect();
        if wanted.is_empty() {
            let place = region_id.map_or_else(|| "any region".to_string(), |r| format!("`{r}`"));
            let d = Diagnostic::error(
                "E273",
                &format!("scoping-data/returns/{year}/"),
                format!(
                    "no area of {place} has a return for {year}, so there are no briefs to print"
                ),
            )
            .help("use a year that has returns (`scopemap status --year YEAR` lists them)");
            out.diagnostics(&[d], Format::Human, &crate::diag::NoSources);
            return Ok(EXIT_DATA_ERRORS);
        }
        let browser_path = browser()?;
        std::fs::create_dir_all(dir).map_err(|e| Failure::io("make the folder", dir, &e))?;
        let work =
            tempfile::tempdir().map_err(|_| Failure::new("cannot make a temporary folder"))?;
        let site = match built(root, work.path(), out) {
            Ok(site) => site,
            Err(code) => return Ok(code),
        };
        let pages: Vec<(PathBuf, PathBuf)> = wanted
            .iter()
            .map(|(r, a)| {
                (
                    site.join(crate::render::brief_path(&a.id.value, year)),
                    dir.join(brief_file_name(year, &r.id.value, &a.id.value)),
                )
            })
            .filter(|(page, _)| page.is_file())
            .collect();
        if pages.is_empty() {
            return Err(Failure::new(format!(
                "the site publishes no {year}, so it has no {year} briefs"
            ))
            .help("set `publish_unconfirmed: true` in scopemap.yaml, or wait for the first form of the year"));
        }
        match crate::pdf::browser::Browser::launch(&browser_path) {
            Ok(mut browser) => {
                for (page, pdf) in &pages {
                    browser
                        .print(page, pdf)
                        .map_err(|e| printing_failed(e, &browser_path))?;
                    out.line(format_args!("wrote {}", pdf.display()));
                }
                browser.close();
            }
            Err(e) => {
                out.warning(&Failure::new(format!(
                    "{e}; printing each brief with a browser of its own"
                )));
                for (page, pdf) in &pages {
                    crate::pdf::print_with(&browser_path, page, pdf)
                        .map_err(|e| printing_failed(e, &browser_path))?;
                    out.line(format_args!("wrote {}", pdf.display()));
                }
            }
        }
        out.line(format_args!(
            "printed {} brief{} of {year} into {}",
            pages.len(),
            if pages.len() == 1 { "" } else { "s" },
            dir.display()
        ));
        Ok(EXIT_OK)
    })
}
