//! Load: find the files of a site (`scopemap.yaml`, `scoping-data/`, `content/`), read them
//! and parse them into the model.
//!
//! In: the site root. Out: a `Site` — the settings, a `Dataset` (every data file that
//! parsed, with its source text kept for quoting) and the pages — and the diagnostics for
//! files that could not be read or parsed.
//! This stage checks only what it must to build typed values (encoding, YAML syntax, one
//! document per file, types, unknown fields) and the one rule that holds for every text
//! whatever its field (no direction controls); every rule about what the values mean
//! belongs to `validate`.

mod content;
mod direction;
mod discover;
mod documents;
mod missing;
mod parse;
pub mod settings;
mod shortcodes;

pub use content::{CONTENT_DIR, load_pages};
pub use direction::direction_control;
pub use discover::{FileKind, Found, classify, discover};
pub use parse::{parse_file, read_text};
pub use settings::{Settings, load_settings};

use crate::diag::{Diagnostic, Failure};
use crate::model::{Dataset, Loaded, Site, SourceFile};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Files larger than this are refused rather than parsed.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// The folder under the root that holds the data.
pub const DATA_DIR: &str = "scoping-data";

/// That `root` is a folder, or why it cannot be read as a site.
pub fn check_root(root: &Path) -> Result<(), Failure> {
    if root.is_dir() {
        Ok(())
    } else {
        Err(Failure::new(format!(
            "the root folder {} does not exist or is not a folder",
            root.display()
        )))
    }
}

/// Load the whole site under `root`: the settings, every data file and every page.
pub fn load_site(root: &Path) -> (Site, Vec<Diagnostic>) {
    let (data, mut diagnostics) = load(root);
    let site = load_around(root, data, &mut diagnostics);
    (site, diagnostics)
}

/// The site under `root` around data already loaded: the settings and pages are read now.
pub fn load_around(root: &Path, data: Dataset, diagnostics: &mut Vec<Diagnostic>) -> Site {
    let settings = load_settings(root, diagnostics);
    let pages = load_pages(root, diagnostics);
    Site {
        settings: settings.config,
        settings_source: settings.source,
        theme_found: settings.theme_found,
        data,
        pages,
    }
}

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
    // Reading and parsing are independent per file, so each file is parsed on any free
    // thread as soon as it is found, while the walk goes on; the results are then sorted
    // by path, which keeps the dataset deterministic.
    let results = std::sync::Mutex::new(Vec::new());
    let (ahead, wanted) = std::sync::mpsc::channel::<PathBuf>();
    std::thread::scope(|threads| {
        threads.spawn(move || read_ahead(wanted));
        rayon::scope(|scope| {
            discover::discover_each(&data_dir, &mut diagnostics, |found| {
                let _ = ahead.send(found.disk_path.clone());
                let results = &results;
                scope.spawn(move |_| {
                    let file = read_and_parse(found);
                    results.lock().unwrap_or_else(|e| e.into_inner()).push(file);
                });
            });
            // The walk is over: the read-ahead thread ends once it has the last file.
            drop(ahead);
        });
    });
    let mut parsed: Vec<ReadFile> = results.into_inner().unwrap_or_else(|e| e.into_inner());
    parsed.par_sort_unstable_by(|a, b| discover::path_order(path_of(a), path_of(b)));
    // Reserved up front: a service is a large value, and growing the lists one push at a
    // time would move 20,000 of them again and again.
    let count = |kind: FileKind| parsed.iter().filter(|p| p.0 == kind).count();
    dataset.sources.reserve(parsed.len());
    dataset.returns.reserve(count(FileKind::Return));
    dataset.reports.reserve(count(FileKind::Report));
    dataset.regions_mut().reserve(count(FileKind::Region));
    let mut services = Vec::with_capacity(count(FileKind::Service));
    for (_, file, value, file_diagnostics) in parsed {
        diagnostics.extend(file_diagnostics);
        let Ok(file) = file else {
            continue;
        };
        match value {
            // Services are many and large: they leave their boxes in parallel, below.
            Some(Parsed::Service(service)) => {
                services.push((dataset.sources.len(), service));
                dataset.sources.push(file);
            }
            value => add_parsed(&mut dataset, file, value),
        }
    }
    *dataset.services_mut() = services
        .into_par_iter()
        .map(|(source, service)| Loaded {
            source,
            value: *service,
        })
        .collect();
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

/// Ask the system to start reading each file as soon as the walk finds it. Without this, a
/// build from a cold disk cache reads one small file at a time per thread and the threads
/// sit idle waiting for the disk (a national data set took 2 s to load instead of 0.8 s).
/// Opening a file can itself wait for the disk, so this runs on a thread of its own; the
/// hint never fails a build.
fn read_ahead(paths: std::sync::mpsc::Receiver<PathBuf>) {
    for path in paths {
        #[cfg(any(target_os = "linux", target_os = "android", target_os = "freebsd"))]
        if let Ok(file) = std::fs::File::open(&path) {
            let _ = rustix::fs::fadvise(&file, 0, None, rustix::fs::Advice::WillNeed);
        }
        #[cfg(not(any(target_os = "linux", target_os = "android", target_os = "freebsd")))]
        let _ = path;
    }
}

/// Read one found file and parse it as the kind its place says it is.
fn read_and_parse(found: Found) -> ReadFile {
    let mut diagnostics = Vec::new();
    let Some(text) = parse::read_text(&found.disk_path, &found.rel_path, &mut diagnostics) else {
        return (found.kind, Err(found.rel_path), None, diagnostics);
    };
    let file = SourceFile {
        path: found.rel_path,
        disk_path: found.disk_path,
        text,
    };
    let value = parse_kind(found.kind, &file, &mut diagnostics);
    (found.kind, Ok(file), value, diagnostics)
}

/// A file as read (or the path of one that could not be), its value (if it parsed) and
/// what went wrong.
type ReadFile = (
    FileKind,
    Result<SourceFile, String>,
    Option<Parsed>,
    Vec<Diagnostic>,
);

/// The path a read file came from.
fn path_of(read: &ReadFile) -> &str {
    match &read.1 {
        Ok(file) => &file.path,
        Err(path) => path,
    }
}

/// One data file's typed value (boxed: the kinds differ a lot in size).
#[derive(Clone)]
pub enum Parsed {
    Framework(Box<crate::model::Framework>),
    Region(Box<crate::model::Region>),
    Return(Box<crate::model::Return>),
    Service(Box<crate::model::Service>),
    Report(Box<crate::model::Report>),
    Synonyms(Box<crate::model::Synonyms>),
}

/// Parse one file's text as the kind its path says it is.
pub fn parse_kind(
    kind: FileKind,
    file: &SourceFile,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Parsed> {
    Some(match kind {
        FileKind::Framework => Parsed::Framework(parse_file(file, diagnostics)?),
        FileKind::Region => Parsed::Region(parse_file(file, diagnostics)?),
        FileKind::Return => {
            let mut value = parse_file::<crate::model::Return>(file, diagnostics)?;
            parse::place_short_ratings(&mut value);
            Parsed::Return(Box::new(value))
        }
        FileKind::Service => Parsed::Service(parse_file(file, diagnostics)?),
        FileKind::Report => Parsed::Report(parse_file(file, diagnostics)?),
        FileKind::Synonyms => Parsed::Synonyms(parse_file(file, diagnostics)?),
    })
}

/// Add a file, and its value if it parsed, to the dataset.
fn add_parsed(dataset: &mut Dataset, file: SourceFile, value: Option<Parsed>) {
    let source = dataset.sources.len();
    dataset.sources.push(file);
    match value {
        Some(Parsed::Framework(value)) => {
            dataset.framework = Some(Loaded {
                source,
                value: *value,
            })
        }
        Some(Parsed::Region(value)) => dataset.regions_mut().push(Loaded {
            source,
            value: *value,
        }),
        Some(Parsed::Return(value)) => dataset.returns.push(Loaded {
            source,
            value: *value,
        }),
        Some(Parsed::Service(value)) => dataset.services_mut().push(Loaded {
            source,
            value: *value,
        }),
        Some(Parsed::Report(value)) => dataset.reports.push(Loaded {
            source,
            value: *value,
        }),
        Some(Parsed::Synonyms(value)) => {
            dataset.synonyms = Some(Loaded {
                source,
                value: *value,
            })
        }
        None => {}
    }
}

/// Put a freshly parsed value in place of the value loaded from source `source`; `false`
/// (and nothing changed) if that source held no value of the same kind.
pub fn replace(dataset: &mut Dataset, source: usize, value: Parsed) -> bool {
    fn put<T>(list: &mut [Loaded<T>], source: usize, value: T) -> bool {
        match list.iter_mut().find(|l| l.source == source) {
            Some(slot) => {
                slot.value = value;
                true
            }
            None => false,
        }
    }
    // The dataset keeps its lookup tables by id in step with the regions and services.
    match value {
        Parsed::Framework(value) => match &mut dataset.framework {
            Some(fw) if fw.source == source => {
                fw.value = *value;
                true
            }
            _ => false,
        },
        Parsed::Region(value) => put(dataset.regions_mut(), source, *value),
        Parsed::Return(value) => put(&mut dataset.returns, source, *value),
        Parsed::Service(value) => {
            match dataset.services().iter().position(|s| s.source == source) {
                Some(position) => dataset.set_service(position, *value).is_some(),
                None => false,
            }
        }
        Parsed::Report(value) => put(&mut dataset.reports, source, *value),
        Parsed::Synonyms(value) => match &mut dataset.synonyms {
            Some(s) if s.source == source => {
                s.value = *value;
                true
            }
            _ => false,
        },
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
        let value = parse_kind(kind, &file, &mut diagnostics);
        add_parsed(&mut dataset, file, value);
    }
    (dataset, diagnostics)
}
