//! The commands about the site as a whole: `validate`, `build`, `serve`, `check` and
//! `report`.
//!
//! In: the arguments of each command. Out: the report written to the given writer and an
//! exit status.

use super::reporting;
use crate::audience::Audience;
use crate::diag::{self, Failure, Format};
use crate::pipeline::{self, BuildCache, BuildOptions};
use crate::serve::ServeOptions;
use crate::{EXIT_DATA_ERRORS, EXIT_OK, load, validate};
use std::io::Write;
use std::path::Path;

/// `scopemap validate`.
pub fn validate_command(root: &Path, format: Format, out: &mut dyn Write) -> i32 {
    reporting(out, |out| {
        load::check_root(root)?;
        // The whole site, as `build` reads and checks it: data, settings and pages.
        let (site, mut diagnostics) = load::load_site(root);
        diagnostics.extend(validate::validate_site(&site, None));
        diag::sort(&mut diagnostics);
        if !diagnostics.is_empty() {
            out.diagnostics(&diagnostics, format, &diag::SourceMap::new(site.sources()));
        }
        if format == Format::Human {
            out.line(format_args!(
                "checked {} files ({} returns, {} services, {} pages): {}",
                site.data.sources.len(),
                site.data.returns.len(),
                site.data.services().len(),
                site.pages.len(),
                diag::summary_line(&diagnostics)
            ));
        }
        Ok(exit_status(&diagnostics))
    })
}

/// The exit status of a command whose findings are `diagnostics`.
fn exit_status(diagnostics: &[diag::Diagnostic]) -> i32 {
    if diag::count_errors(diagnostics) > 0 {
        EXIT_DATA_ERRORS
    } else {
        EXIT_OK
    }
}

/// `scopemap build`: check, render what changed, then update the output folder.
pub fn build_command(root: &Path, out_dir: &Path, force: bool, out: &mut dyn Write) -> i32 {
    build_for(root, out_dir, force, Audience::Public, out)
}

/// `scopemap build --audience …`: one build, with nothing kept for a next one.
pub fn build_for(
    root: &Path,
    out_dir: &Path,
    force: bool,
    audience: Audience,
    out: &mut dyn Write,
) -> i32 {
    let options = build_options(root, out_dir, force, audience);
    pipeline::build(&options, &mut BuildCache::single(), None, out)
}

fn build_options(root: &Path, out_dir: &Path, force: bool, audience: Audience) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        out: out_dir.to_path_buf(),
        force,
        audience,
    }
}

/// `scopemap build` as the last thing the process does: the loaded data is never freed,
/// since freeing a national data set piece by piece would only delay the exit.
pub(super) fn build_to_exit(
    root: &Path,
    out_dir: &Path,
    force: bool,
    audience: Audience,
    out: &mut dyn Write,
) -> i32 {
    let options = build_options(root, out_dir, force, audience);
    let mut cache = BuildCache::single();
    let code = pipeline::build(&options, &mut cache, None, out);
    std::mem::forget(cache);
    code
}

/// `scopemap check`: verify a built site folder.
pub fn check_command(root: &Path, site: &Path, format: Format, out: &mut dyn Write) -> i32 {
    reporting(out, |out| {
        if !site.join("index.html").is_file() && !site.is_dir() {
            return Err(Failure::new(format!(
                "{} is not a built site; run `scopemap build` first",
                site.display()
            )));
        }
        let mut ignored = Vec::new();
        let base_path = load::load_settings(root, &mut ignored)
            .config
            .map(|c| crate::render::base_path(&c.base_url.value))
            .unwrap_or_else(|| "/".into());
        let diagnostics = crate::check::check_site(site, &base_path);
        // The pages the diagnostics point into, read once each for quoting.
        let mut pages = std::collections::HashMap::new();
        for d in &diagnostics {
            if d.line > 0 && !pages.contains_key(&d.file) {
                let text = std::fs::read_to_string(site.join(&d.file)).unwrap_or_default();
                pages.insert(d.file.clone(), text);
            }
        }
        out.diagnostics(&diagnostics, format, &pages);
        if format == Format::Human {
            out.line(format_args!(
                "checked {}: {}",
                site.display(),
                diag::summary_line(&diagnostics)
            ));
        }
        Ok(exit_status(&diagnostics))
    })
}

/// `scopemap serve [--port N] [--bind ADDR] [--no-watch]`.
pub fn serve_command(mut options: ServeOptions, bind_to: Option<&str>, log: &mut dyn Write) -> i32 {
    reporting(log, |log| {
        if let Some(text) = bind_to {
            options.address = crate::serve::parse_bind(text)?;
            options.allow_network = true;
        }
        let audience = options.audience;
        let server = crate::serve::bind(options)?;
        if !server.addr().ip().is_loopback() {
            log.line(format_args!(
                "warning: listening on {}: the site is visible to other machines on the network{}",
                server.addr(),
                if audience == Audience::Internal {
                    ", and this is the internal build, which is not for publication"
                } else {
                    ""
                }
            ));
        }
        let stop = crate::serve::stop_on_ctrl_c()?;
        server.run(&stop, log)?;
        Ok(EXIT_OK)
    })
}

/// `scopemap report --region R --year Y --pdf FILE`: the year's report printed to PDF.
pub fn report_pdf_command(
    root: &Path,
    region: &str,
    year: u16,
    pdf: &Path,
    out: &mut dyn Write,
) -> i32 {
    reporting(out, |out| {
        let browser = crate::pdf::find_chromium().ok_or_else(|| {
            Failure::new("printing needs a local Chromium").help(crate::pdf::INSTALL_HELP)
        })?;
        let work =
            tempfile::tempdir().map_err(|_| Failure::new("cannot make a temporary folder"))?;
        let site = work.path().join("site");
        let mut log = Vec::new();
        let code = build_for(root, &site, false, Audience::Public, &mut log);
        if code != EXIT_OK {
            out.bytes(&log);
            return Ok(code);
        }
        let page = site.join(format!("regions/{region}/{year}/report/index.html"));
        if !page.is_file() {
            out.failure(
                &Failure::new(format!("there is no {year} report for `{region}`"))
                    .help("use a region id from scoping-data/regions/ and a year that has returns"),
            );
            return Ok(EXIT_DATA_ERRORS);
        }
        crate::pdf::print_report_with(&browser, &page, pdf).map_err(|e| {
            Failure::new(format!("the PDF was not made: {e}")).help(format!(
                "check that the browser runs (`{} --version`), or set SCOPEMAP_CHROMIUM to another Chromium or Chrome",
                browser.display()
            ))
        })?;
        out.line(format_args!("wrote {}", pdf.display()));
        Ok(EXIT_OK)
    })
}
