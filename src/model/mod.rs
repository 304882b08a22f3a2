//! The scoping data model: typed structs for every file in `scoping-data/`.
//!
//! In: nothing (these are plain data types). Out: the `Dataset` that `load` fills and every
//! later stage reads. Values a diagnostic may need to point at are wrapped in `Spanned`, so
//! each keeps the line and column it came from. This module holds no logic beyond small
//! accessors; checking belongs to `validate`.

mod directory;
mod framework;
mod region;
mod report;
mod returns;
mod spanned;

pub use directory::*;
pub use framework::*;
pub use region::*;
pub use report::*;
pub use returns::*;
pub use spanned::{Spanned, ordered_map};

use std::path::PathBuf;

/// One source file that was read, kept so diagnostics can quote its lines.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the site root, with forward slashes (e.g. `scoping-data/framework.yaml`).
    pub path: String,
    /// Absolute or root-joined path on disk.
    pub disk_path: PathBuf,
    pub text: String,
}

/// Everything loaded from `scoping-data/`, in a deterministic order.
#[derive(Debug, Default)]
pub struct Dataset {
    pub sources: Vec<SourceFile>,
    pub framework: Option<Loaded<Framework>>,
    pub regions: Vec<Loaded<Region>>,
    pub returns: Vec<Loaded<Return>>,
    pub services: Vec<Loaded<Service>>,
    pub reports: Vec<Loaded<Report>>,
}

/// A parsed file together with the index of its source in `Dataset::sources`.
#[derive(Debug)]
pub struct Loaded<T> {
    pub source: usize,
    pub value: T,
}

impl Dataset {
    pub fn framework(&self) -> Option<&Framework> {
        self.framework.as_ref().map(|f| &f.value)
    }

    pub fn region(&self, id: &str) -> Option<&Region> {
        self.regions
            .iter()
            .map(|r| &r.value)
            .find(|r| r.id.value == id)
    }

    /// The region and area with this area id, searching every region.
    pub fn area(&self, id: &str) -> Option<(&Region, &Area)> {
        self.regions.iter().find_map(|r| {
            r.value
                .areas
                .iter()
                .find(|a| a.id.value == id)
                .map(|a| (&r.value, a))
        })
    }

    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services
            .iter()
            .map(|s| &s.value)
            .find(|s| s.id.value == id)
    }

    /// Every year that has at least one return, ascending.
    pub fn years(&self) -> Vec<u16> {
        let mut years: Vec<u16> = self.returns.iter().map(|r| r.value.year.value).collect();
        years.sort_unstable();
        years.dedup();
        years
    }

    pub fn report(&self, year: u16, region: &str) -> Option<&Report> {
        self.reports
            .iter()
            .map(|r| &r.value)
            .find(|r| r.year.value == year && r.region.value == region)
    }

    /// The returns of one region and year, in the region's area order.
    pub fn returns_for(&self, year: u16, region: &Region) -> Vec<&Return> {
        let mut found: Vec<&Return> = self
            .returns
            .iter()
            .map(|r| &r.value)
            .filter(|r| r.year.value == year && r.region.value == region.id.value)
            .collect();
        found.sort_by_key(|r| region.area_index(&r.area.value).unwrap_or(usize::MAX));
        found
    }
}
