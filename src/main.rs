//! The `scopemap` command line: parses arguments and hands over to the library.

use clap::{Parser, Subcommand, ValueEnum};
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
            let format = match format {
                OutputFormat::Human => Format::Human,
                OutputFormat::Json => Format::Json,
            };
            commands::validate_command(&root, format, &mut stdout)
        }
    };
    std::process::exit(code);
}
