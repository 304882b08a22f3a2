//! `scopemap fixture`: a synthetic national data set for tests and benchmarks, clearly
//! marked SYNTHETIC.
//!
//! In: the size of the set (regions, areas per region, years, services), a seed, the folder
//! to create, and the repository root whose `themes/` is copied so the set builds. Out: a
//! complete site folder in our data format (`scopemap.yaml`, `scoping-data/`, `content/`,
//! `themes/`, a README saying the data is synthetic), identical for identical options.

mod generate;
mod rng;

pub use generate::{Counts, FixtureFile, generate, year_span};
pub use rng::Rng;

use crate::diag::Failure;
use std::path::Path;

/// The size and seed of a synthetic set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixtureOptions {
    pub regions: usize,
    pub areas_per_region: usize,
    pub years: usize,
    pub services: usize,
    pub seed: u64,
}

impl Default for FixtureOptions {
    /// The national set of the benchmarks: 42 regions of 5 areas, 10 years, 20,000 services.
    fn default() -> Self {
        FixtureOptions {
            regions: 42,
            areas_per_region: 5,
            years: 10,
            services: 20_000,
            seed: 1,
        }
    }
}

/// Upper limits, so a typo cannot ask for millions of files.
const MAX_REGIONS: usize = 1_000;
const MAX_AREAS: usize = 60;
const MAX_YEARS: usize = 40;
const MAX_SERVICES: usize = 1_000_000;

impl FixtureOptions {
    /// Refuse sizes the generator does not support, with a sentence saying why.
    pub fn check(&self) -> Result<(), Failure> {
        let limits = [
            ("--regions", self.regions, 1, MAX_REGIONS),
            ("--areas-per-region", self.areas_per_region, 1, MAX_AREAS),
            ("--years", self.years, 1, MAX_YEARS),
            ("--services", self.services, 0, MAX_SERVICES),
        ];
        for (flag, value, lo, hi) in limits {
            if value < lo || value > hi {
                return Err(Failure::new(format!(
                    "{flag} must be between {lo} and {hi}, not {value}"
                )));
            }
        }
        Ok(())
    }
}

/// Write the set into `out_dir`, which must be new or empty, and copy `theme_root/themes`.
/// Returns what was written, and whether the themes were found.
pub fn write_fixture(
    options: &FixtureOptions,
    out_dir: &Path,
    theme_root: &Path,
) -> Result<(Counts, usize, bool), Failure> {
    options.check()?;
    if out_dir.exists() {
        let empty = std::fs::read_dir(out_dir)
            .map(|mut d| d.next().is_none())
            .map_err(|e| Failure::io("read", out_dir, &e))?;
        if !empty {
            return Err(Failure::new(format!(
                "{} is not empty; choose a new folder or delete it first",
                out_dir.display()
            )));
        }
    }
    let (files, counts) = generate(options);
    for f in &files {
        let target = out_dir.join(&f.path);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Failure::io("create", dir, &e))?;
        }
        std::fs::write(&target, &f.text).map_err(|e| Failure::io("write", &target, &e))?;
    }
    let themes = theme_root.join("themes");
    let mut written = files.len();
    let found = themes.is_dir();
    if found {
        written += copy_tree(&themes, &out_dir.join("themes"))?;
    }
    Ok((counts, written, found))
}

/// Copy regular files and folders (never symbolic links); the number of files copied.
fn copy_tree(from: &Path, to: &Path) -> Result<usize, Failure> {
    let mut copied = 0;
    for entry in walkdir::WalkDir::new(from)
        .follow_links(false)
        .sort_by_file_name()
    {
        let entry =
            entry.map_err(|e| Failure::new(format!("cannot read {}: {e}", from.display())))?;
        let Ok(rel) = entry.path().strip_prefix(from) else {
            continue;
        };
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).map_err(|e| Failure::io("create", &target, &e))?;
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &target)
                .map_err(|e| Failure::io("copy", entry.path(), &e))?;
            copied += 1;
        }
    }
    Ok(copied)
}
