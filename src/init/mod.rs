//! `scopemap init DIR`: a new network's starting site, complete and valid, written into a
//! new or empty folder without asking anything.
//!
//! In: the folder, and optionally an existing site whose framework to copy
//! (`--from-network`). Out: the files of the site on disk — `scopemap.yaml` with example
//! settings, the framework (the shipped 2022 one with a comment on changing it, or the
//! other site's file as it is), an example region with two example areas, one example
//! return, one example service, content pages with headings to fill, the default theme and
//! a README with the yearly cycle — or the diagnostics that stopped it, with nothing
//! written: E280 for a folder that is not empty, E281 for an `--from-network` folder that
//! is not a site, E282 for one whose framework has errors.
//!
//! The examples are the ones `validate::examples` defines and warns about (W280–W282), so a
//! new site validates and builds at once, and says until each is replaced that it still
//! holds them. The files come from the binary (`starter`, and the theme listed by the build
//! script), so `init` needs no repository beside it, and are the same on every run.

mod starter;

use crate::diag::{Diagnostic, Failure};
use crate::model::{Framework, SourceFile};
use crate::{EXIT_CANNOT_RUN, EXIT_DATA_ERRORS, load, validate};
use std::io::Write;
use std::path::{Path, PathBuf};

pub use starter::{StarterFile, example_year, starter_files};

mod theme {
    include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));
}
pub use theme::DEFAULT_THEME;

/// The framework shipped with scopemap: the 2022 reports' categories and rating key.
pub const SHIPPED_FRAMEWORK: &str = include_str!("../../scoping-data/framework.yaml");

/// The largest framework file `--from-network` reads, as `load` reads data files.
const MAX_FRAMEWORK_BYTES: u64 = 4 * 1024 * 1024;

/// What stopped `init`, with nothing written.
#[derive(Debug)]
pub enum Stop {
    /// Diagnostics to print (quoting `sources`), and the exit status.
    Found {
        diagnostics: Vec<Diagnostic>,
        sources: Vec<SourceFile>,
        exit: i32,
    },
    /// A folder or file the system refused.
    Failed(Failure),
}

impl Stop {
    fn cannot_run(d: Diagnostic) -> Stop {
        Stop::Found {
            diagnostics: vec![d],
            sources: Vec::new(),
            exit: EXIT_CANNOT_RUN,
        }
    }
}

impl From<Failure> for Stop {
    fn from(f: Failure) -> Stop {
        Stop::Failed(f)
    }
}

/// What `init` wrote.
#[derive(Debug)]
pub struct Written {
    /// Every file, relative to the new site's folder, in the order written.
    pub files: Vec<String>,
    /// The year of the example return.
    pub year: u16,
    /// The framework file copied, when it came from another site.
    pub framework_from: Option<PathBuf>,
}

/// Write a new site into `dir`, with the framework of `from_network` if given.
pub fn init_site(dir: &Path, from_network: Option<&Path>) -> Result<Written, Stop> {
    check_target(dir)?;
    let (framework_text, framework, framework_from) = match from_network {
        Some(other) => {
            let (text, framework, file) = other_framework(other)?;
            (text, framework, Some(file))
        }
        None => {
            let text = format!(
                "{}{SHIPPED_FRAMEWORK}",
                include_str!("starter/framework-header.yaml")
            );
            let framework = parse_framework(&text, "scoping-data/framework.yaml")
                .map_err(|_| Failure::new("the shipped framework does not read"))?;
            (text, framework, None)
        }
    };
    let year = example_year(&framework).ok_or_else(|| {
        Failure::new(
            "the framework grades no category in any year, so no example return can rate one",
        )
    })?;
    let files = starter_files(&framework_text, &framework, year, framework_from.is_some());
    self_check(&files)?;
    write_files(dir, &files)?;
    Ok(Written {
        files: files.into_iter().map(|f| f.path).collect(),
        year,
        framework_from,
    })
}

/// E280 unless `dir` is missing or an empty folder: `init` never writes over a file.
fn check_target(dir: &Path) -> Result<(), Stop> {
    let shown = dir.display().to_string();
    let refuse = |message: String| {
        Stop::cannot_run(
            Diagnostic::error("E280", &shown, message)
                .help("give a new folder, or empty this one first; init never writes over a file"),
        )
    };
    let Ok(meta) = std::fs::symlink_metadata(dir) else {
        return Ok(());
    };
    if !meta.is_dir() {
        return Err(refuse(format!(
            "{shown} is {}, not a folder",
            if meta.file_type().is_symlink() {
                "a symbolic link"
            } else {
                "a file"
            }
        )));
    }
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| Failure::io("read", dir, &e))?
        .map(|e| {
            e.map(|e| e.file_name().to_string_lossy().into_owned())
                .map_err(|e| Failure::io("read", dir, &e))
        })
        .collect::<Result<_, _>>()?;
    if names.is_empty() {
        return Ok(());
    }
    names.sort();
    let count = names.len();
    let mut shown_names: Vec<String> = names.iter().take(3).map(|n| format!("`{n}`")).collect();
    if count > 3 {
        shown_names.push(format!("{} more", count - 3));
    }
    Err(refuse(format!(
        "{shown} is not empty: it holds {}; nothing was written",
        shown_names.join(", ")
    )))
}

/// The framework of the site at `other`: its text as it is, parsed, and the file's path.
/// E281 when `other` holds no `scoping-data/framework.yaml`, E282 when it does not read or
/// has errors (each printed with its own code, file and line).
fn other_framework(other: &Path) -> Result<(String, Framework, PathBuf), Stop> {
    let file = other.join("scoping-data").join("framework.yaml");
    let shown = other.display().to_string();
    let not_a_site = |message: String, help: String| {
        Stop::cannot_run(Diagnostic::error("E281", &shown, message).help(help))
    };
    if !other.is_dir() {
        return Err(not_a_site(
            format!("--from-network {shown}: no such folder"),
            "give the folder of an existing scopemap site, the one holding scopemap.yaml and scoping-data/".into(),
        ));
    }
    let meta = std::fs::symlink_metadata(&file);
    if !meta.as_ref().is_ok_and(|m| m.is_file()) {
        let help = if other.join("framework.yaml").is_file() {
            format!(
                "that looks like a site's scoping-data/ folder; give the site's folder above it{}",
                other
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .map_or_else(String::new, |p| format!(": `{}`", p.display()))
            )
        } else {
            "give the folder of an existing scopemap site, the one holding scopemap.yaml and scoping-data/".into()
        };
        let what = match meta {
            Ok(m) if m.file_type().is_symlink() => "is a symbolic link, not a file",
            Ok(_) => "is not a file",
            Err(_) => "does not exist",
        };
        return Err(not_a_site(
            format!(
                "--from-network {shown} is not a scopemap site: {} {what}",
                file.display()
            ),
            help,
        ));
    }
    let file_shown = file.display().to_string();
    let bad = |message: String| {
        Diagnostic::error("E282", &file_shown, message).help(format!(
            "fix the framework there (`scopemap validate --root {shown}` lists its errors), or start from the shipped framework without --from-network"
        ))
    };
    let refuse = |d: Diagnostic, sources: Vec<SourceFile>| Stop::Found {
        diagnostics: vec![d],
        sources,
        exit: EXIT_DATA_ERRORS,
    };
    let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
    if size > MAX_FRAMEWORK_BYTES {
        return Err(refuse(
            bad(format!(
                "the framework is {size} bytes, more than the {MAX_FRAMEWORK_BYTES} a data file may be"
            )),
            Vec::new(),
        ));
    }
    let bytes = std::fs::read(&file).map_err(|e| Failure::io("read", &file, &e))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| refuse(bad("the framework is not UTF-8 text".into()), Vec::new()))?;
    match parse_framework(&text, &file_shown) {
        Ok(framework) => Ok((text, framework, file)),
        Err(mut diagnostics) => {
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            diagnostics.push(bad(format!(
                "the framework has {errors} error{}, so it is not copied",
                if errors == 1 { "" } else { "s" }
            )));
            Err(Stop::Found {
                diagnostics,
                sources: vec![SourceFile {
                    path: file_shown.clone(),
                    disk_path: file.clone(),
                    text,
                }],
                exit: EXIT_DATA_ERRORS,
            })
        }
    }
}

/// The framework in `text`, read and checked alone as `validate` checks it; the
/// diagnostics, shown at `shown`, when it has errors.
fn parse_framework(text: &str, shown: &str) -> Result<Framework, Vec<Diagnostic>> {
    let (dataset, mut diagnostics) = load::load_texts(&[("framework.yaml", text)]);
    diagnostics.extend(validate::validate(&dataset));
    diagnostics.retain(|d| d.file == "scoping-data/framework.yaml");
    for d in &mut diagnostics {
        d.file = shown.to_string();
    }
    match dataset.framework {
        Some(f) if !diagnostics.iter().any(Diagnostic::is_error) => Ok(f.value),
        _ => Err(diagnostics),
    }
}

/// The new site's data must validate with no error: a framework that reads on its own
/// could still clash with the examples (an id taken twice).
fn self_check(files: &[StarterFile]) -> Result<(), Stop> {
    let data: Vec<(&str, &str)> = files
        .iter()
        .filter_map(|f| {
            let inner = f.path.strip_prefix("scoping-data/")?;
            Some((inner, std::str::from_utf8(&f.bytes).ok()?))
        })
        .collect();
    let (dataset, mut diagnostics) = load::load_texts(&data);
    diagnostics.extend(validate::validate(&dataset));
    let errors: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{} [{}] {}", d.file, d.code, d.message))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Failure::new(format!(
            "the new site would not validate, so nothing was written: {}",
            errors.join("; ")
        ))
        .help("rename what the framework shares with the examples (`example-…` ids)")
        .into())
    }
}

/// Write every file, each created new: a file that appeared meanwhile is never replaced.
fn write_files(dir: &Path, files: &[StarterFile]) -> Result<(), Failure> {
    for f in files {
        let target = dir.join(&f.path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Failure::io("create", parent, &e))?;
        }
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&target)
            .map_err(|e| Failure::io("create", &target, &e))?;
        file.write_all(&f.bytes)
            .map_err(|e| Failure::io("write", &target, &e))?;
    }
    Ok(())
}
