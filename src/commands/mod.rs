//! The commands behind the command line, callable from tests. Each writes its report to
//! the given writer and returns an exit status: 0 when it ran and found no errors
//! (warnings allowed), 1 when the data has errors, 2 when it could not run.
//!
//! In: a parsed command line (`run`), or the arguments of one command. Out: the report and
//! the exit status. Every command goes through here; `main.rs` only parses the arguments.

mod brief;
mod cli;
mod data;
mod init;
mod site;

pub use brief::*;
pub use cli::{AudienceArg, Cli, Command, ExportWhat, OutputFormat};
pub use data::*;
pub use init::init_command;
pub use site::*;

use crate::EXIT_CANNOT_RUN;
use crate::diag::{self, Diagnostic, Failure, Reporter};
use crate::model::Dataset;
use crate::{load, validate};
use std::io::Write;
use std::path::Path;

pub use crate::diag::Format;

/// Load and validate the data under `root`; every diagnostic, sorted.
pub fn check_data(root: &Path) -> (Dataset, Vec<Diagnostic>) {
    let (dataset, mut diagnostics) = load::load(root);
    diagnostics.extend(validate::validate(&dataset));
    diag::sort(&mut diagnostics);
    (dataset, diagnostics)
}

/// Load and validate files given as text (path inside `scoping-data/`, text).
pub fn check_texts(files: &[(&str, &str)]) -> Vec<Diagnostic> {
    let (dataset, mut diagnostics) = load::load_texts(files);
    diagnostics.extend(validate::validate(&dataset));
    diag::sort(&mut diagnostics);
    diagnostics
}

/// Print `diagnostics`, quoting the lines of the data files in `dataset`.
fn print_diagnostics(
    dataset: &Dataset,
    diagnostics: &[Diagnostic],
    format: Format,
    out: &mut Reporter,
) {
    if !diagnostics.is_empty() {
        out.diagnostics(diagnostics, format, &diag::SourceMap::new(&dataset.sources));
    }
}

/// Run a command that reports to `out`: a failure it stops on is printed (`error: …` and
/// its help) and makes the exit status 2, as does a report that could not be written for
/// another reason than a reader that went away.
fn reporting(
    out: &mut dyn Write,
    command: impl FnOnce(&mut Reporter) -> Result<i32, Failure>,
) -> i32 {
    let mut out = Reporter::new(out);
    let code = match command(&mut out) {
        Ok(code) => code,
        Err(failure) => {
            out.failure(&failure);
            EXIT_CANNOT_RUN
        }
    };
    out.exit(code)
}

/// Run the command `cli` names, writing its report to `out`; the exit status.
pub fn run(cli: Cli, out: &mut dyn Write) -> i32 {
    match cli.command {
        Command::Validate { root, format } => validate_command(&root, format.into(), out),
        Command::Report {
            root,
            region,
            area,
            all,
            year,
            pdf,
            out: out_dir,
        } => {
            let request = ReportRequest {
                region,
                area,
                all,
                year,
                pdf,
                out: out_dir,
            };
            report_command(&root, request, out)
        }
        Command::NewYear { year, region, root } => new_year_command(&root, year, &region, out),
        Command::Status { year, region, root } => {
            status_command(&root, year, region.as_deref(), out)
        }
        Command::Forms {
            root,
            year,
            region,
            out: out_dir,
            joint,
        } => forms_command(&root, year, &region, &joint, &out_dir, out),
        Command::Export {
            what:
                ExportWhat::Oruk {
                    root,
                    out: out_dir,
                    profile,
                },
        } => export_oruk_command(&root, &out_dir, profile.into(), out),
        Command::Import {
            root,
            force,
            partial,
            include_out_of_scope,
            inputs,
        } => {
            if inputs
                .first()
                .is_some_and(|first| first.as_os_str() == "oruk")
            {
                let options = crate::oruk::ImportOptions {
                    force,
                    include_out_of_scope,
                };
                import_oruk_command(&root, &inputs[1..], &options, out)
            } else {
                import_forms_command(&root, &inputs, partial, force, out)
            }
        }
        Command::Check {
            root,
            out: site,
            format,
        } => {
            let site = site.unwrap_or_else(|| root.join("public"));
            check_command(&root, &site, format.into(), out)
        }
        Command::Build {
            root,
            out: out_dir,
            force,
            audience,
        } => {
            let out_dir = out_dir.unwrap_or_else(|| root.join("public"));
            build_to_exit(&root, &out_dir, force, audience.into(), out)
        }
        Command::Serve {
            root,
            out: out_dir,
            port,
            bind,
            no_watch,
            force,
            audience,
        } => {
            let out_dir = out_dir.unwrap_or_else(|| root.join("public"));
            let mut options = crate::serve::ServeOptions::new(root, out_dir);
            options.port = port;
            options.watch = !no_watch;
            options.force = force;
            options.audience = audience.into();
            serve_command(options, bind.as_deref(), out)
        }
        Command::Init { dir, from_network } => init_command(&dir, from_network.as_deref(), out),
        Command::Fixture {
            root,
            regions,
            areas_per_region,
            years,
            services,
            out: out_dir,
            seed,
        } => {
            let options = crate::fixture::FixtureOptions {
                regions,
                areas_per_region,
                years,
                services,
                seed,
            };
            fixture_command(&root, &options, &out_dir, out)
        }
    }
}
