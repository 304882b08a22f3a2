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

/// `scopemap validate`.
pub fn validate_command(root: &Path, format: Format, out: &mut dyn Write) -> i32 {
    if !root.is_dir() {
        let _ = writeln!(
            out,
            "error: the root folder {} does not exist or is not a folder",
            root.display()
        );
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
    for d in diagnostics {
        let text = match format {
            Format::Human => diag::render_human(d, &dataset.sources),
            Format::Json => diag::render_json(d) + "\n",
        };
        let _ = out.write_all(text.as_bytes());
    }
}
