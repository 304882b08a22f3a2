//! The command line: every command, its arguments and their defaults, as `clap` reads
//! them. `main.rs` parses the arguments into a `Cli` and hands it to `commands::run`.
//!
//! In: the program's arguments. Out: a `Cli`; clap itself prints `--help` and argument
//! errors (with exit status 2).

use crate::audience::Audience;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "scopemap",
    version,
    about = "Validate service-provision scoping returns and build them into a static website"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Whether the command builds the site once and ends (`build`), rather than serving
    /// it or doing something else.
    pub fn builds_once(&self) -> bool {
        matches!(self.command, Command::Build { .. })
    }
}

#[derive(Subcommand)]
pub enum Command {
    /// Check the whole site (data, settings and pages) as `build` would, without building,
    /// and report all problems at once.
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
    /// Print a region's yearly report (`--region`), an area's brief (`--area`) or every
    /// brief of a year (`--all --out DIR`) to PDF through a local headless Chromium.
    Report {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The region whose report to print; with `--all`, the only region to print.
        #[arg(long)]
        region: Option<String>,
        /// The area whose brief to print.
        #[arg(long)]
        area: Option<String>,
        /// Every area's brief of the year, into the folder `--out`.
        #[arg(long)]
        all: bool,
        #[arg(long)]
        year: u16,
        /// The PDF file for one report or brief.
        #[arg(long)]
        pdf: Option<PathBuf>,
        /// The folder `--all` writes the briefs into.
        #[arg(long)]
        out: Option<PathBuf>,
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
    /// Start a new network's site in DIR: example settings, the 2022 framework, an example
    /// region, return and service, pages to fill, the default theme and a README; it
    /// validates and builds at once. Asks nothing; DIR must be new or empty.
    Init {
        /// The new site's folder.
        dir: PathBuf,
        /// Copy the framework (categories and rating key) of this existing site instead.
        #[arg(long, value_name = "OTHER_SITE")]
        from_network: Option<PathBuf>,
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

impl From<OutputFormat> for crate::diag::Format {
    fn from(f: OutputFormat) -> Self {
        match f {
            OutputFormat::Human => crate::diag::Format::Human,
            OutputFormat::Json => crate::diag::Format::Json,
        }
    }
}

#[derive(Subcommand)]
pub enum ExportWhat {
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
pub enum ProfileArg {
    Oruk,
    Hsds,
}

impl From<ProfileArg> for crate::oruk::Profile {
    fn from(p: ProfileArg) -> Self {
        match p {
            ProfileArg::Oruk => crate::oruk::Profile::Oruk,
            ProfileArg::Hsds => crate::oruk::Profile::Hsds,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum AudienceArg {
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
pub enum OutputFormat {
    Human,
    Json,
}
