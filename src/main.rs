//! The `scopemap` command line: parses arguments and hands over to the library.

use clap::{Parser, Subcommand, ValueEnum};
use scopemap::audience::Audience;
use scopemap::commands::{self, Format};
use std::path::PathBuf;

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
    /// Build the static site into the output folder (replaced only if the build succeeds).
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
    /// Build the site and serve it on 127.0.0.1 to look at in a browser.
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long, default_value_t = 8000)]
        port: u16,
        #[arg(long)]
        force: bool,
        #[arg(long, value_enum, default_value_t = AudienceArg::Public)]
        audience: AudienceArg,
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
            commands::build_for(&root, &out, force, audience.into(), &mut stdout)
        }
        Command::Serve {
            root,
            out,
            port,
            force,
            audience,
        } => {
            let out = out.unwrap_or_else(|| root.join("public"));
            let code = commands::build_for(&root, &out, force, audience.into(), &mut stdout);
            if code != scopemap::EXIT_OK {
                std::process::exit(code);
            }
            match scopemap::serve::serve(&out, &format!("127.0.0.1:{port}"), &mut stdout) {
                Ok(()) => scopemap::EXIT_OK,
                Err(e) => {
                    eprintln!("error: {e}");
                    scopemap::EXIT_CANNOT_RUN
                }
            }
        }
    };
    std::process::exit(code);
}
