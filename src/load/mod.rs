//! Load: find the files of `scoping-data/`, read them and parse them into the model.
//!
//! In: the site root. Out: a `Dataset` (every file that parsed, with its source text kept
//! for quoting) and the diagnostics for files that could not be read or parsed.
//! This stage checks only what it must to build typed values (encoding, YAML syntax, types,
//! unknown fields); every rule about what the values mean belongs to `validate`.

mod discover;
mod parse;

pub use discover::{FileKind, classify};
pub use parse::{parse_file, read_text};

use crate::diag::Diagnostic;
use crate::model::{Dataset, Loaded, SourceFile};
use std::path::Path;

/// Files larger than this are refused rather than parsed.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// The folder under the root that holds the data.
pub const DATA_DIR: &str = "scoping-data";

/// Load every data file under `root/scoping-data`.
pub fn load(root: &Path) -> (Dataset, Vec<Diagnostic>) {
    let mut dataset = Dataset::default();
    let mut diagnostics = Vec::new();
    let data_dir = root.join(DATA_DIR);
    if !data_dir.is_dir() {
        diagnostics.push(
            Diagnostic::error(
                "E030",
                DATA_DIR,
                format!("no `{DATA_DIR}/` folder under {}", root.display()),
            )
            .help(
                "run scopemap from the site folder or pass `--root DIR`; see docs/data-format.md",
            ),
        );
        return (dataset, diagnostics);
    }
    for found in discover::discover(&data_dir, &mut diagnostics) {
        let Some(text) = parse::read_text(&found.disk_path, &found.rel_path, &mut diagnostics)
        else {
            continue;
        };
        let file = SourceFile {
            path: found.rel_path.clone(),
            disk_path: found.disk_path.clone(),
            text,
        };
        add_file(&mut dataset, found.kind, file, &mut diagnostics);
    }
    if dataset.framework.is_none()
        && !diagnostics
            .iter()
            .any(|d| d.file.ends_with("framework.yaml"))
    {
        diagnostics.push(
            Diagnostic::error("E030", &format!("{DATA_DIR}/framework.yaml"), "the framework file is missing")
                .help("create scoping-data/framework.yaml with the rating scale and categories; see docs/data-format.md"),
        );
    }
    (dataset, diagnostics)
}

/// Parse one file's text by its kind and add it to the dataset.
fn add_file(
    dataset: &mut Dataset,
    kind: FileKind,
    file: SourceFile,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let source = dataset.sources.len();
    dataset.sources.push(file);
    let file = &dataset.sources[source];
    match kind {
        FileKind::Framework => {
            if let Some(value) = parse_file(file, diagnostics) {
                dataset.framework = Some(Loaded { source, value });
            }
        }
        FileKind::Region => {
            if let Some(value) = parse_file(file, diagnostics) {
                dataset.regions.push(Loaded { source, value });
            }
        }
        FileKind::Return => {
            if let Some(mut value) = parse_file::<crate::model::Return>(file, diagnostics) {
                parse::place_short_ratings(&mut value);
                dataset.returns.push(Loaded { source, value });
            }
        }
        FileKind::Service => {
            if let Some(value) = parse_file(file, diagnostics) {
                dataset.services.push(Loaded { source, value });
            }
        }
        FileKind::Report => {
            if let Some(value) = parse_file(file, diagnostics) {
                dataset.reports.push(Loaded { source, value });
            }
        }
    }
}

/// Load files given as (path inside `scoping-data/`, text) without touching the disk: the
/// same parsing as `load`, for tests and fuzzing.
pub fn load_texts(files: &[(&str, &str)]) -> (Dataset, Vec<Diagnostic>) {
    let mut dataset = Dataset::default();
    let mut diagnostics = Vec::new();
    for (inner, text) in files {
        let rel_path = format!("{DATA_DIR}/{inner}");
        let parts: Vec<&str> = inner.split('/').collect();
        let Some(kind) = classify(&parts) else {
            continue;
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(text).to_string();
        if !parse::has_content(&text) {
            diagnostics.push(
                Diagnostic::error("E005", &rel_path, "the file is empty")
                    .help("fill it in or delete it"),
            );
            continue;
        }
        let file = SourceFile {
            path: rel_path.clone(),
            disk_path: rel_path.clone().into(),
            text,
        };
        add_file(&mut dataset, kind, file, &mut diagnostics);
    }
    (dataset, diagnostics)
}
