//! The `scopemap` command line: parses arguments and hands over to the library.

use clap::{Parser, Subcommand, ValueEnum};
use scopemap::audience::Audience;
use scopemap::commands::{self, Format};
use std::path::PathBuf;

// The build allocates many short-lived strings on every thread; mimalloc handles that
// far better than the system allocator (a third of a national build went to malloc).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `purge_delay` option (its number in `mimalloc.h`, the same in mimalloc 2
/// and 3): how long freed memory is kept before it is handed back to the system.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Keep memory the build frees for the rest of the process instead of handing it back to
/// the system. A build frees and allocates pages all the time; memory handed back must be
/// zeroed again by the kernel when it is reused, which made a national build about 7%
/// slower.
/// For one build only: the process ends soon after, whereas `serve` should shrink again.
fn keep_freed_memory() {
    // SAFETY: sets one of mimalloc's plain integer options (-1: never purge); the call
    // checks the option number and touches nothing else.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
}

#[derive(Parser)]
#[command(
    name = "scopemap",
    version,
    about = "Validate service-provision scoping returns and build them into a static website"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check every file under scoping-data/ and report all problems at once.
    Validate {
        /// Folder holding scopemap.yaml, scoping-data/, content/ and themes/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// `human` (rustc-style, with source lines) or `json` (one object per line).
        #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
        format: OutputFormat,
    },
    /// Build the static site into the output folder. A folder built before is updated in
    /// place, rendering only what changed; nothing is changed unless the build succeeds.
    Build {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder; defaults to `public/` under the root.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace the output folder even if it was not written by scopemap.
        #[arg(long)]
        force: bool,
        /// `public` (default) leaves out everything the data marks internal.
        #[arg(long, value_enum, default_value_t = AudienceArg::Public)]
        audience: AudienceArg,
    },
    /// Verify a built site: links, anchors, assets, orphan pages, titles and languages.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The built site; defaults to `public/` under the root.
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
        format: OutputFormat,
    },
    /// Write one spreadsheet return form per area of a region for a year.
    Forms {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long)]
        year: u16,
        #[arg(long)]
        region: String,
        #[arg(long)]
        out: PathBuf,
        /// Area ids that return together on one form, separated by commas (e.g.
        /// `--joint blackpool-ccg,fylde-wyre-ccg`); repeat for each joint form.
        #[arg(long)]
        joint: Vec<String>,
    },
    /// Print a region's yearly report to PDF through a local headless Chromium.
    Report {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long)]
        region: String,
        #[arg(long)]
        year: u16,
        #[arg(long)]
        pdf: PathBuf,
    },
    /// Create next year's return files for a region, pre-filled from the latest ratings.
    NewYear {
        /// The year to create returns for.
        year: u16,
        #[arg(long)]
        region: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Show, region by region, which areas have returned their form for a year, which are
    /// still awaited and which have ratings still unconfirmed, with the files' paths.
    Status {
        #[arg(long)]
        year: u16,
        /// Only this region.
        #[arg(long)]
        region: Option<String>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Export data in another format.
    Export {
        #[command(subcommand)]
        what: ExportWhat,
    },
    /// Read returns or services from outside: `import FORM.xlsx…` for filled return forms,
    /// `import oruk FILE_OR_DIR…` for an Open Referral UK feed.
    Import {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Replace existing files: services (ORUK import), or returns that came back (form
        /// import; a return awaiting its form is replaced without it).
        #[arg(long)]
        force: bool,
        /// Write the forms without errors even when others have errors.
        #[arg(long)]
        partial: bool,
        /// ORUK import: also import services outside the project's regions or its ages.
        #[arg(long)]
        include_out_of_scope: bool,
        /// `oruk` followed by feed files or folders, or spreadsheet forms.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
    },
    /// Build the site, serve it on 127.0.0.1, and rebuild and reload pages when files change.
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder; defaults to `public/` under the root.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// Listen on ADDR instead of 127.0.0.1. A non-loopback address (e.g. 0.0.0.0) makes
        /// the site visible to other machines on the network.
        #[arg(long, value_name = "ADDR")]
        bind: Option<String>,
        /// Build once and serve, without watching for changes.
        #[arg(long)]
        no_watch: bool,
        /// Replace the output folder even if it was not written by scopemap.
        #[arg(long)]
        force: bool,
        #[arg(long, value_enum, default_value_t = AudienceArg::Public)]
        audience: AudienceArg,
    },
    /// Write a SYNTHETIC national data set (a complete site folder) for tests and benchmarks.
    Fixture {
        /// The scopemap repository whose themes/ folder is copied into the new site.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Regions (integrated care systems).
        #[arg(long, default_value_t = 42)]
        regions: usize,
        /// Areas in use per region in any year.
        #[arg(long, default_value_t = 5)]
        areas_per_region: usize,
        /// Years of returns; areas are CCGs until 2022 and Places from 2023.
        #[arg(long, default_value_t = 10)]
        years: usize,
        /// Services in the directory.
        #[arg(long, default_value_t = 20000)]
        services: usize,
        /// The new site folder; it must not exist or be empty.
        #[arg(long)]
        out: PathBuf,
        /// The same seed always gives the same files.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

impl From<OutputFormat> for Format {
    fn from(f: OutputFormat) -> Self {
        match f {
            OutputFormat::Human => Format::Human,
            OutputFormat::Json => Format::Json,
        }
    }
}

#[derive(Subcommand)]
enum ExportWhat {
    /// The service directory as static Open Referral UK JSON files.
    Oruk {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long)]
        out: PathBuf,
        /// `oruk`: exactly the Open Referral UK 3.0 profile; `hsds`: with the HSDS 3.0
        /// fields ORUK leaves out (alternate name, eligibility, phone number, ...).
        #[arg(long, value_enum, default_value = "oruk")]
        profile: ProfileArg,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ProfileArg {
    Oruk,
    Hsds,
}

#[derive(Clone, Copy, ValueEnum)]
enum AudienceArg {
    Public,
    Internal,
}

impl From<AudienceArg> for Audience {
    fn from(a: AudienceArg) -> Self {
        match a {
            AudienceArg::Public => Audience::Public,
            AudienceArg::Internal => Audience::Internal,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    Human,
    Json,
}

fn main() {
    let cli = Cli::parse();
    let mut stdout = std::io::stdout().lock();
    let code = match cli.command {
        Command::Validate { root, format } => {
            commands::validate_command(&root, format.into(), &mut stdout)
        }
        Command::Report {
            root,
            region,
            year,
            pdf,
        } => commands::report_pdf_command(&root, &region, year, &pdf, &mut stdout),
        Command::NewYear { year, region, root } => {
            commands::new_year_command(&root, year, &region, &mut stdout)
        }
        Command::Status { year, region, root } => {
            commands::status_command(&root, year, region.as_deref(), &mut stdout)
        }
        Command::Forms {
            root,
            year,
            region,
            out,
            joint,
        } => commands::forms_command(&root, year, &region, &joint, &out, &mut stdout),
        Command::Export {
            what: ExportWhat::Oruk { root, out, profile },
        } => {
            let profile = match profile {
                ProfileArg::Oruk => scopemap::oruk::Profile::Oruk,
                ProfileArg::Hsds => scopemap::oruk::Profile::Hsds,
            };
            commands::export_oruk_command(&root, &out, profile, &mut stdout)
        }
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
                let options = scopemap::oruk::ImportOptions {
                    force,
                    include_out_of_scope,
                };
                commands::import_oruk_command(&root, &inputs[1..], &options, &mut stdout)
            } else {
                commands::import_forms_command(&root, &inputs, partial, force, &mut stdout)
            }
        }
        Command::Check { root, out, format } => {
            let out = out.unwrap_or_else(|| root.join("public"));
            commands::check_command(&root, &out, format.into(), &mut stdout)
        }
        Command::Build {
            root,
            out,
            force,
            audience,
        } => {
            let out = out.unwrap_or_else(|| root.join("public"));
            keep_freed_memory();
            let mut session = scopemap::session::Session::once(&root, &out, force, audience.into());
            let code = session.build(&mut stdout);
            // The process ends now: freeing a national data set piece by piece would
            // only delay it.
            std::mem::forget(session);
            code
        }
        Command::Serve {
            root,
            out,
            port,
            bind,
            no_watch,
            force,
            audience,
        } => {
            let out = out.unwrap_or_else(|| root.join("public"));
            let mut options = scopemap::serve::ServeOptions::new(root, out);
            options.port = port;
            options.watch = !no_watch;
            options.force = force;
            options.audience = audience.into();
            scopemap::serve::serve_command(options, bind.as_deref(), &mut stdout)
        }
        Command::Fixture {
            root,
            regions,
            areas_per_region,
            years,
            services,
            out,
            seed,
        } => {
            let options = scopemap::fixture::FixtureOptions {
                regions,
                areas_per_region,
                years,
                services,
                seed,
            };
            scopemap::fixture::fixture_command(&root, &options, &out, &mut stdout)
        }
    };
    std::process::exit(code);
}
