//! The model: typed structs for every file of a site — the data in `scoping-data/`, the
//! settings in `scopemap.yaml` and the narrative pages in `content/`.
//!
//! In: nothing (these are plain data types). Out: the `Dataset` that `load` fills and every
//! later stage reads. Values a diagnostic may need to point at are wrapped in `Spanned`, so
//! each keeps the line and column it came from. This module holds no logic beyond small
//! accessors; checking belongs to `validate`.

mod content;
mod directory;
mod framework;
pub mod id;
mod ons_code;
mod region;
mod report;
mod returns;
mod settings;
mod site;
mod spanned;
mod synonyms;
pub mod vocab;
pub mod yaml;

pub use content::*;
pub use directory::*;
pub use framework::*;
pub use ons_code::{DatedCode, OnsCode};
pub use region::*;
pub use report::*;
pub use returns::*;
pub use settings::*;
pub use site::Site;
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
///
/// Regions (with their areas) and services are also found by id, through lookup tables
/// built on first use. They are read through `regions()` and `services()` and changed only
/// through `regions_mut()`, `services_mut()` and `set_service()`, each of which forgets
/// the tables when what it hands out could change an id, so a lookup can never answer
/// from tables older than the data.
#[derive(Debug, Default, Clone)]
pub struct Dataset {
    pub sources: Vec<SourceFile>,
    pub framework: Option<Loaded<Framework>>,
    regions: Vec<Loaded<Region>>,
    pub returns: Vec<Loaded<Return>>,
    services: Vec<Loaded<Service>>,
    pub reports: Vec<Loaded<Report>>,
    /// What the directory search treats as meaning the same (`synonyms.yaml`), if present.
    pub synonyms: Option<Loaded<Synonyms>>,
    /// A hash of each source's text, taken when the text is dropped before rendering (see
    /// `audience::prepare`), so rebuilds can still tell which files changed.
    pub digests: Vec<blake3::Hash>,
    /// Lookup tables by id, built on first use and forgotten by every change to the
    /// regions or the services.
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

    /// Every region, in file order.
    pub fn regions(&self) -> &[Loaded<Region>] {
        &self.regions
    }

    /// Every service, in file order.
    pub fn services(&self) -> &[Loaded<Service>] {
        &self.services
    }

    /// The regions, to change: the lookup tables are forgotten, since a region or area id
    /// may change.
    pub fn regions_mut(&mut self) -> &mut Vec<Loaded<Region>> {
        self.index = std::sync::OnceLock::new();
        &mut self.regions
    }

    /// The services, to change: the lookup tables are forgotten, since a service id may
    /// change.
    pub fn services_mut(&mut self) -> &mut Vec<Loaded<Service>> {
        self.index = std::sync::OnceLock::new();
        &mut self.services
    }

    /// Put `value` in place of the service at `position` and give back the one it
    /// replaced; the lookup tables are kept when the id stays the same, and forgotten
    /// otherwise. `None` (and nothing changed) when there is no such position.
    pub fn set_service(&mut self, position: usize, value: Service) -> Option<Service> {
        let same_id = self.services.get(position)?.value.id.value == value.id.value;
        if !same_id {
            self.index = std::sync::OnceLock::new();
        }
        Some(std::mem::replace(&mut self.services[position].value, value))
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

#[cfg(test)]
mod tests {
    const REGION: &str = "id: north\nname: North\nareas:\n  - id: alpha\n    name: Alpha\n    kind: CCG\n    in_use: {}\n";
    const SERVICE: &str = "id: babs\nname: BABS\norganization:\n  name: Trust\nsummary: s\ndescription: d\ncategories: []\nstatus: active\nlast_checked: \"2022-05-01\"\n";

    #[test]
    fn lookups_follow_every_change_to_regions_and_services() {
        let (mut ds, problems) = crate::load::load_texts(&[
            ("regions/north.yaml", REGION),
            ("directory/babs.yaml", SERVICE),
        ]);
        assert!(problems.is_empty(), "{problems:?}");
        // The tables are built by these lookups...
        assert!(ds.service("babs").is_some());
        assert!(ds.area("alpha").is_some());
        // ...and every way of changing the values they index forgets them.
        ds.services_mut()[0].value.id.value = "babs-2".into();
        assert!(ds.service("babs").is_none());
        assert_eq!(ds.service_position("babs-2"), Some(0));
        ds.regions_mut()[0].value.areas[0].id.value = "beta".into();
        assert!(ds.area("alpha").is_none());
        assert!(ds.area("beta").is_some());
        let mut renamed = ds.services()[0].value.clone();
        renamed.id.value = "babs-3".into();
        let old = ds.set_service(0, renamed).expect("a service at 0");
        assert_eq!(old.id.value, "babs-2");
        assert!(ds.service("babs-2").is_none());
        assert!(ds.service("babs-3").is_some());
        assert!(ds.set_service(1, old).is_none(), "no service at 1");
    }
}
