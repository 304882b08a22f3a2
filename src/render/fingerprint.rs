//! Fingerprints: a hash of everything a page or a generated file is made from, so a rebuild
//! renders again only what an edit can have changed.
//!
//! In: the site input (data sources, content pages, settings, theme folder). Out: a
//! fingerprint for each kind of dependency, and for each unit of output (a page, or a
//! group of generated files) the hash of the global inputs and its own dependencies.
//! Global inputs (settings, framework, theme files, navigation, the scopemap version and the
//! audience) touch every page, so they are part of every fingerprint.

use super::SiteInput;
use blake3::{Hash, Hasher};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// What a unit of output reads, beyond the global inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dep<'a> {
    /// Every data file: regions, returns, reports and services.
    AllData,
    /// Every service file and every region file (services name their areas), and the
    /// search's synonyms.
    AllServices,
    /// A region's file, returns and report files.
    Region(&'a str),
    /// A region's file, and its returns and report file of one year.
    RegionYear(&'a str, u16),
    /// Which years a region has returns for.
    RegionYears(&'a str),
    /// The services working in a region, and the region files.
    RegionServices(&'a str),
    /// One service's file (by position in the dataset), and the region files.
    Service(usize),
    /// A content page's file, by slug.
    Page(&'a str),
    /// The narrative sections of one region's report for one year.
    Narrative(u16, &'a str),
    /// One year's report file of a region (its contents page, which service pages cite).
    Report(u16, &'a str),
}

/// The fingerprints of one build's inputs.
pub struct Fingerprints {
    global: Hash,
    all_data: Hash,
    all_services: Hash,
    region_files: Hash,
    regions: HashMap<String, Hash>,
    region_years: HashMap<(String, u16), Hash>,
    year_lists: HashMap<String, Hash>,
    region_services: HashMap<String, Hash>,
    services: Vec<Hash>,
    pages: HashMap<String, Hash>,
    narratives: HashMap<(u16, String), Hash>,
    reports: HashMap<(u16, String), Hash>,
}

static PROGRAM_DIGEST: std::sync::OnceLock<Hash> = std::sync::OnceLock::new();

/// Start hashing the program file on a thread of its own, so that the build need not wait
/// for it later (it reads the whole executable).
pub fn start_program_digest() {
    if PROGRAM_DIGEST.get().is_none() {
        std::thread::spawn(program_digest);
    }
}

/// A hash of the running scopemap program, so pages built by another build of scopemap
/// (whose templates or pages may differ) are never reused.
fn program_digest() -> Hash {
    *PROGRAM_DIGEST.get_or_init(|| digest_program(std::env::current_exe().and_then(std::fs::read)))
}

/// The hash of the program's bytes. When they cannot be read, nothing tells this program
/// from another, so no earlier output can be trusted: the digest is then one no other run
/// can have, which makes every fingerprint new and every page rendered again. (Within one
/// run it stays the same, so `serve`'s rebuilds still reuse what this run rendered.)
fn digest_program(bytes: std::io::Result<Vec<u8>>) -> Hash {
    match bytes {
        Ok(bytes) => blake3::hash(&bytes),
        Err(_) => one_off_digest(),
    }
}

/// A hash no other call, in this process or any other, returns: the process id, the
/// time, a count and the standard library's random hash keys.
fn one_off_digest() -> Hash {
    use std::hash::{BuildHasher, Hasher as _};
    static CALLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let mut random = std::collections::hash_map::RandomState::new().build_hasher();
    random.write_u8(0);
    let mut h = Hasher::new();
    h.update(b"unreadable program");
    h.update(&std::process::id().to_le_bytes());
    h.update(
        &CALLS
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            .to_le_bytes(),
    );
    h.update(&random.finish().to_le_bytes());
    if let Ok(since) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        h.update(&since.as_nanos().to_le_bytes());
    }
    h.finalize()
}

/// A content page's hash: its front matter and body as parsed (its source text is dropped
/// before rendering).
fn page_digest(p: &crate::model::Page) -> Hash {
    blake3::hash(format!("{:?}\n{}", p.front, p.body).as_bytes())
}

/// Combine hashes in order into one.
fn combine(hashes: impl IntoIterator<Item = Hash>) -> Hash {
    let mut h = Hasher::new();
    for x in hashes {
        h.update(x.as_bytes());
    }
    h.finalize()
}

impl Fingerprints {
    /// Hash every input of `input`; `theme` is the hash of the theme and override folders.
    pub fn new(input: &SiteInput, theme: Hash, nav: &impl Serialize) -> Fingerprints {
        let ds = input.dataset;
        let source = ds.source_digests();
        let of = |i: usize| source.get(i).copied().unwrap_or(Hash::from([0; 32]));

        let mut g = Hasher::new();
        g.update(env!("CARGO_PKG_VERSION").as_bytes());
        g.update(program_digest().as_bytes());
        g.update(format!("{:?}", input.audience).as_bytes());
        g.update(format!("{:?}", input.config).as_bytes());
        g.update(theme.as_bytes());
        if let Some(fw) = &ds.framework {
            g.update(of(fw.source).as_bytes());
        }
        g.update(
            serde_json::to_string(&super::context::site_context(input))
                .unwrap_or_default()
                .as_bytes(),
        );
        g.update(serde_json::to_string(nav).unwrap_or_default().as_bytes());
        let global = g.finalize();

        let region_files = combine(ds.regions().iter().map(|r| of(r.source)));
        let services: Vec<Hash> = ds
            .services()
            .iter()
            .map(|s| combine([of(s.source), region_files]))
            .collect();
        // The search index reads the synonyms file too.
        let all_services = combine(
            services
                .iter()
                .copied()
                .chain(ds.synonyms.iter().map(|s| of(s.source))),
        );
        let all_data = combine(
            ds.regions()
                .iter()
                .map(|r| r.source)
                .chain(ds.returns.iter().map(|r| r.source))
                .chain(ds.reports.iter().map(|r| r.source))
                .chain(ds.services().iter().map(|s| s.source))
                .map(of),
        );

        let mut per_region: HashMap<&str, Vec<Hash>> = HashMap::new();
        for r in ds.regions() {
            per_region
                .entry(r.value.id.value.as_str())
                .or_default()
                .push(of(r.source));
        }
        for r in &ds.returns {
            per_region
                .entry(r.value.region.value.as_str())
                .or_default()
                .push(of(r.source));
        }
        for r in &ds.reports {
            per_region
                .entry(r.value.region.value.as_str())
                .or_default()
                .push(of(r.source));
        }
        let regions = per_region
            .into_iter()
            .map(|(id, hashes)| (id.to_string(), combine(hashes)))
            .collect();
        let region_file: HashMap<&str, Hash> = ds
            .regions()
            .iter()
            .map(|r| (r.value.id.value.as_str(), of(r.source)))
            .collect();
        let mut per_year: BTreeMap<(&str, u16), Vec<Hash>> = BTreeMap::new();
        for r in &ds.returns {
            per_year
                .entry((r.value.region.value.as_str(), r.value.year.value))
                .or_default()
                .push(of(r.source));
        }
        for r in &ds.reports {
            per_year
                .entry((r.value.region.value.as_str(), r.value.year.value))
                .or_default()
                .push(of(r.source));
        }
        let mut region_years = HashMap::new();
        for ((region, year), hashes) in per_year {
            let file = region_file
                .get(region)
                .copied()
                .unwrap_or(Hash::from([0; 32]));
            region_years.insert(
                (region.to_string(), year),
                combine(std::iter::once(file).chain(hashes)),
            );
        }
        let year_lists = ds
            .regions()
            .iter()
            .map(|r| {
                let years = input.years(&r.value);
                (
                    r.value.id.value.clone(),
                    blake3::hash(format!("{years:?}").as_bytes()),
                )
            })
            .collect();
        let region_services = ds
            .regions()
            .iter()
            .map(|r| {
                let mut h = Hasher::new();
                h.update(region_files.as_bytes());
                for &i in input.region_service_positions(&r.value) {
                    h.update(of(ds.services()[i].source).as_bytes());
                }
                (r.value.id.value.clone(), h.finalize())
            })
            .collect();

        let pages = input
            .pages
            .iter()
            .map(|p| (p.slug.clone(), page_digest(p)))
            .collect();
        let mut per_narrative: BTreeMap<(u16, String), Vec<(&str, Hash)>> = BTreeMap::new();
        for p in input.pages {
            if let Some((year, region)) = p.report_section() {
                per_narrative
                    .entry((year, region.to_string()))
                    .or_default()
                    .push((&p.slug, page_digest(p)));
            }
        }
        let narratives = per_narrative
            .into_iter()
            .map(|(key, mut parts)| {
                parts.sort_by(|a, b| a.0.cmp(b.0));
                let mut h = Hasher::new();
                for (slug, hash) in parts {
                    h.update(slug.as_bytes());
                    h.update(hash.as_bytes());
                }
                (key, h.finalize())
            })
            .collect();

        let reports = ds
            .reports
            .iter()
            .map(|r| {
                (
                    (r.value.year.value, r.value.region.value.clone()),
                    of(r.source),
                )
            })
            .collect();
        Fingerprints {
            reports,
            global,
            all_data,
            all_services,
            region_files,
            regions,
            region_years,
            year_lists,
            region_services,
            services,
            pages,
            narratives,
        }
    }

    fn dep(&self, dep: &Dep) -> Hash {
        let missing = Hash::from([0; 32]);
        match dep {
            Dep::AllData => self.all_data,
            Dep::AllServices => self.all_services,
            Dep::Region(id) => self.regions.get(*id).copied().unwrap_or(missing),
            Dep::RegionYear(id, year) => self
                .region_years
                .get(&(id.to_string(), *year))
                .copied()
                .unwrap_or(missing),
            Dep::RegionYears(id) => self.year_lists.get(*id).copied().unwrap_or(missing),
            Dep::RegionServices(id) => self
                .region_services
                .get(*id)
                .copied()
                .unwrap_or(self.region_files),
            Dep::Service(i) => self.services.get(*i).copied().unwrap_or(missing),
            Dep::Page(slug) => self.pages.get(*slug).copied().unwrap_or(missing),
            Dep::Report(year, region) => self
                .reports
                .get(&(*year, region.to_string()))
                .copied()
                .unwrap_or(missing),
            Dep::Narrative(year, region) => self
                .narratives
                .get(&(*year, region.to_string()))
                .copied()
                .unwrap_or(missing),
        }
    }

    /// The fingerprint of a unit named `name` that reads `deps`, as hex.
    /// The fingerprint of a unit that lists `items` (and reads the global inputs).
    pub fn listing(&self, name: &str, items: &[String]) -> String {
        let mut h = Hasher::new();
        h.update(self.global.as_bytes());
        h.update(name.as_bytes());
        for item in items {
            h.update(item.as_bytes());
            h.update(&[0]);
        }
        h.finalize().to_hex()[..32].to_string()
    }

    /// The fingerprint of a unit that reads `deps`. It is only ever compared with the same
    /// unit's last fingerprint, so the unit's name is not part of it.
    pub fn unit(&self, deps: &[Dep]) -> String {
        let mut h = Hasher::new();
        h.update(self.global.as_bytes());
        for d in deps {
            h.update(self.dep(d).as_bytes());
        }
        // Half the hash is plenty to tell builds apart and keeps the manifest small.
        h.finalize().to_hex()[..32].to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreadable_program_never_matches_an_earlier_digest() {
        let readable = digest_program(Ok(b"scopemap".to_vec()));
        assert_eq!(readable, digest_program(Ok(b"scopemap".to_vec())));
        let unreadable = || {
            digest_program(Err(std::io::Error::from(
                std::io::ErrorKind::PermissionDenied,
            )))
        };
        let first = unreadable();
        let second = unreadable();
        assert_ne!(first, second, "two runs that cannot read the program");
        // What a failed read used to give, and what an empty program file gives.
        assert_ne!(first, blake3::hash(b""));
        assert_ne!(first, readable);
    }
}
