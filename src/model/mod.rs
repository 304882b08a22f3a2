//! The scoping data model: typed structs for every file in `scoping-data/`.
//!
//! In: nothing (these are plain data types). Out: the `Dataset` that `load` fills and every
//! later stage reads. Values a diagnostic may need to point at are wrapped in `Spanned`, so
//! each keeps the line and column it came from. This module holds no logic beyond small
//! accessors; checking belongs to `validate`.

mod directory;
mod framework;
mod ons_code;
mod region;
mod report;
mod returns;
mod spanned;
mod synonyms;

pub use directory::*;
pub use framework::*;
pub use ons_code::{DatedCode, OnsCode};
pub use region::*;
pub use report::*;
pub use returns::*;
pub use spanned::{Spanned, ordered_map, pairs_as_map};
pub use synonyms::Synonyms;

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
#[derive(Debug, Default, Clone)]
pub struct Dataset {
    pub sources: Vec<SourceFile>,
    pub framework: Option<Loaded<Framework>>,
    pub regions: Vec<Loaded<Region>>,
    pub returns: Vec<Loaded<Return>>,
    pub services: Vec<Loaded<Service>>,
    pub reports: Vec<Loaded<Report>>,
    /// What the directory search treats as meaning the same (`synonyms.yaml`), if present.
    pub synonyms: Option<Loaded<Synonyms>>,
    /// A hash of each source's text, taken when the text is dropped before rendering (see
    /// `audience::prepare`), so rebuilds can still tell which files changed.
    pub digests: Vec<blake3::Hash>,
    /// Lookup tables by id, built on first use (the dataset does not change after loading).
    index: std::sync::OnceLock<Index>,
}

/// Positions of regions, areas and services by id.
#[derive(Debug, Default, Clone)]
struct Index {
    regions: rustc_hash::FxHashMap<String, usize>,
    areas: rustc_hash::FxHashMap<String, (usize, usize)>,
    services: rustc_hash::FxHashMap<String, usize>,
}

/// A parsed file together with the index of its source in `Dataset::sources`.
#[derive(Debug, Clone)]
pub struct Loaded<T> {
    pub source: usize,
    pub value: T,
}

impl Dataset {
    pub fn framework(&self) -> Option<&Framework> {
        self.framework.as_ref().map(|f| &f.value)
    }

    fn index(&self) -> &Index {
        self.index.get_or_init(|| {
            let mut index = Index::default();
            for (ri, r) in self.regions.iter().enumerate() {
                index.regions.entry(r.value.id.value.clone()).or_insert(ri);
                for (ai, a) in r.value.areas.iter().enumerate() {
                    index.areas.entry(a.id.value.clone()).or_insert((ri, ai));
                }
            }
            for (si, s) in self.services.iter().enumerate() {
                index.services.entry(s.value.id.value.clone()).or_insert(si);
            }
            index
        })
    }

    pub fn region(&self, id: &str) -> Option<&Region> {
        self.index()
            .regions
            .get(id)
            .map(|i| &self.regions[*i].value)
    }

    /// The region and area with this area id, searching every region.
    pub fn area(&self, id: &str) -> Option<(&Region, &Area)> {
        self.index()
            .areas
            .get(id)
            .map(|(r, a)| (&self.regions[*r].value, &self.regions[*r].value.areas[*a]))
    }

    pub fn service(&self, id: &str) -> Option<&Service> {
        self.index()
            .services
            .get(id)
            .map(|i| &self.services[*i].value)
    }

    /// Forget the lookup tables after a value was replaced in place.
    pub fn invalidate_index(&mut self) {
        self.index = std::sync::OnceLock::new();
    }

    /// The hash of each source's text, in the order of `sources`.
    pub fn source_digests(&self) -> std::borrow::Cow<'_, [blake3::Hash]> {
        use rayon::prelude::*;
        if self.digests.len() == self.sources.len() {
            return std::borrow::Cow::Borrowed(&self.digests);
        }
        std::borrow::Cow::Owned(
            self.sources
                .par_iter()
                .map(|s| blake3::hash(s.text.as_bytes()))
                .collect(),
        )
    }

    /// The position of a service in `services`.
    pub fn service_position(&self, id: &str) -> Option<usize> {
        self.index().services.get(id).copied()
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
