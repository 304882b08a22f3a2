//! Views many pages share, worked out once per build on first use: provision matrices and
//! their counts by region and year, and the services working in each region.
//!
//! In: the site input. Out: shared, read-only values; a rebuild that renders a few pages
//! computes only what those pages ask for.

use super::SiteInput;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// A value computed once, by whichever thread asks first.
type Slot<V> = Arc<OnceLock<Arc<V>>>;

/// Matrices by region and year, and each region's services, computed once per build.
#[derive(Default)]
pub struct RenderCache {
    matrices: Keyed<crate::analyse::Matrix>,
    counts: Keyed<Vec<crate::analyse::CategoryCount>>,
    gaps: Keyed<Vec<crate::analyse::GapSentence>>,
    provision: Keyed<super::exports::ProvisionPart>,
    region_services: OnceLock<HashMap<String, Vec<usize>>>,
    region_years: OnceLock<HashMap<String, Vec<u16>>>,
    /// By category id, then region id: the positions of the region's services of the type.
    category_services: OnceLock<HashMap<String, HashMap<String, Vec<usize>>>>,
    /// Rendered service cards and descriptions, with the theme they were rendered with.
    service_views: Mutex<Option<ServiceViews>>,
    /// The compiled templates, by the digest of their texts.
    pub templates: super::templates::CompiledTemplates,
}

type ServiceViews = (
    blake3::Hash,
    Arc<super::cards::Cards>,
    Arc<super::views::Descriptions>,
);

/// Values by region and year, each computed once, on first use, by whichever thread asks.
struct Keyed<V>(Mutex<HashMap<String, HashMap<u16, Slot<V>>>>);

impl<V> Default for Keyed<V> {
    fn default() -> Self {
        Keyed(Default::default())
    }
}

impl<V> Keyed<V> {
    /// Only the entries for which `keep` says yes.
    fn retain(self, keep: &impl Fn(&str, u16) -> bool) -> Keyed<V> {
        let mut all = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        for (region, years) in &mut all {
            years.retain(|year, slot| slot.get().is_some() && keep(region, *year));
        }
        Keyed(Mutex::new(all))
    }

    fn get(&self, region: &str, year: u16, make: impl FnOnce() -> V) -> Arc<V> {
        let slot = {
            let mut all = self.0.lock().unwrap_or_else(|e| e.into_inner());
            let years = match all.get_mut(region) {
                Some(years) => years,
                None => all.entry(region.to_string()).or_default(),
            };
            Arc::clone(years.entry(year).or_default())
        };
        Arc::clone(slot.get_or_init(|| Arc::new(make())))
    }
}

impl RenderCache {
    /// For the next build of the same data: the matrices and counts of the regions' years
    /// `keep` says are unchanged, and the rendered service cards except those of the
    /// services at `changed_services` (`None`: any may have changed, as when a region or
    /// the framework did). Which services work in each region is worked out again.
    pub fn keep(
        self,
        keep: impl Fn(&str, u16) -> bool,
        changed_services: Option<&[usize]>,
    ) -> RenderCache {
        let views = self
            .service_views
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        let service_views = match (views, changed_services) {
            (Some((theme, mut cards, mut descriptions)), Some(changed)) => {
                let forgotten = match (Arc::get_mut(&mut cards), Arc::get_mut(&mut descriptions)) {
                    (Some(c), Some(d)) => {
                        d.forget(changed);
                        c.forget(changed)
                    }
                    _ => false,
                };
                forgotten.then_some((theme, cards, descriptions))
            }
            _ => None,
        };
        RenderCache {
            templates: Mutex::new(
                self.templates
                    .into_inner()
                    .unwrap_or_else(|e| e.into_inner()),
            ),
            service_views: Mutex::new(service_views),
            matrices: self.matrices.retain(&keep),
            counts: self.counts.retain(&keep),
            gaps: self.gaps.retain(&keep),
            provision: self.provision.retain(&keep),
            region_services: OnceLock::new(),
            region_years: OnceLock::new(),
            category_services: OnceLock::new(),
        }
    }
}

impl<'a> SiteInput<'a> {
    /// The provision matrix of a region and year, computed on first use: a rebuild after
    /// one edit computes only the matrices of the pages it renders.
    pub fn matrix(
        &self,
        fw: &crate::model::Framework,
        region: &crate::model::Region,
        year: u16,
    ) -> Arc<crate::analyse::Matrix> {
        self.cache.matrices.get(&region.id.value, year, || {
            crate::analyse::matrix(self.dataset, fw, region, year)
        })
    }

    /// The counts by category of a region and year's matrix, computed once.
    pub fn counts(
        &self,
        fw: &crate::model::Framework,
        region: &crate::model::Region,
        year: u16,
    ) -> Arc<Vec<crate::analyse::CategoryCount>> {
        self.cache.counts.get(&region.id.value, year, || {
            crate::analyse::category_counts(fw, &self.matrix(fw, region, year))
        })
    }

    /// The gaps in words of a region and year's matrix, worked out once.
    pub fn gaps(
        &self,
        fw: &crate::model::Framework,
        region: &crate::model::Region,
        year: u16,
    ) -> Arc<Vec<crate::analyse::GapSentence>> {
        self.cache.gaps.get(&region.id.value, year, || {
            crate::analyse::gap_sentences(fw, &self.matrix(fw, region, year))
        })
    }

    /// A region and year's rows of the provision exports, written out once.
    pub fn provision_part(
        &self,
        fw: &crate::model::Framework,
        region: &crate::model::Region,
        year: u16,
    ) -> Arc<super::exports::ProvisionPart> {
        self.cache.provision.get(&region.id.value, year, || {
            super::exports::ProvisionPart::new(year, &self.matrix(fw, region, year))
        })
    }

    /// The rendered service cards and descriptions: those of the last build if they were
    /// rendered with the same theme, else empty ones.
    pub fn service_views(
        &self,
        theme: blake3::Hash,
    ) -> (Arc<super::cards::Cards>, Arc<super::views::Descriptions>) {
        let mut views = self
            .cache
            .service_views
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        match &*views {
            Some((t, cards, descriptions)) if *t == theme => {
                (Arc::clone(cards), Arc::clone(descriptions))
            }
            _ => {
                let cards = Arc::new(super::cards::Cards::default());
                let descriptions = Arc::new(super::views::Descriptions::new(
                    self.dataset.services().len(),
                ));
                *views = Some((theme, Arc::clone(&cards), Arc::clone(&descriptions)));
                (cards, descriptions)
            }
        }
    }

    /// The years a region has returns for, ascending: the years the site publishes. With
    /// `publish_unconfirmed: false`, a year in which every return is still awaiting its
    /// form is left out.
    pub fn years(&self, region: &crate::model::Region) -> &[u16] {
        let all = self.cache.region_years.get_or_init(|| {
            let mut map: HashMap<String, Vec<u16>> = HashMap::new();
            let every = self.config.publish_unconfirmed;
            for r in &self.dataset.returns {
                if !every && r.value.is_awaiting() {
                    continue;
                }
                map.entry(r.value.region.value.clone())
                    .or_default()
                    .push(r.value.year.value);
            }
            for years in map.values_mut() {
                years.sort_unstable();
                years.dedup();
            }
            map
        });
        all.get(&region.id.value).map_or(&[], Vec::as_slice)
    }

    /// Services that work in a region: in one of its areas, or across the whole region.
    pub fn region_services(&self, region: &crate::model::Region) -> Vec<&'a crate::model::Service> {
        self.region_service_positions(region)
            .iter()
            .map(|i| &self.dataset.services()[*i].value)
            .collect()
    }

    /// The services of one type working in a region, in dataset order.
    pub fn category_services(
        &self,
        category: &str,
        region: &crate::model::Region,
    ) -> Vec<&'a crate::model::Service> {
        let all = self.cache.category_services.get_or_init(|| {
            let ds = self.dataset;
            let mut map: HashMap<String, HashMap<String, Vec<usize>>> = HashMap::new();
            for r in ds.regions().iter().map(|r| &r.value) {
                for &i in self.region_service_positions(r) {
                    for c in &ds.services()[i].value.categories {
                        let list = map
                            .entry(c.value.clone())
                            .or_default()
                            .entry(r.id.value.clone())
                            .or_default();
                        // A service that names its type twice is listed once.
                        if list.last() != Some(&i) {
                            list.push(i);
                        }
                    }
                }
            }
            map
        });
        all.get(category)
            .and_then(|regions| regions.get(&region.id.value))
            .map(|list| {
                list.iter()
                    .map(|i| &self.dataset.services()[*i].value)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The positions in the dataset of the services that work in a region, ascending.
    pub fn region_service_positions(&self, region: &crate::model::Region) -> &[usize] {
        let all = self.cache.region_services.get_or_init(|| {
            let ds = self.dataset;
            let mut map: HashMap<String, Vec<usize>> = HashMap::new();
            for (i, s) in ds.services().iter().enumerate() {
                let mut regions: Vec<&str> = s
                    .value
                    .areas
                    .iter()
                    .filter_map(|a| ds.area(&a.value))
                    .map(|(r, _)| r.id.value.as_str())
                    .collect();
                regions.extend(s.value.regions.iter().map(|r| r.value.as_str()));
                regions.sort_unstable();
                regions.dedup();
                for r in regions {
                    map.entry(r.to_string()).or_default().push(i);
                }
            }
            map
        });
        all.get(&region.id.value).map_or(&[], Vec::as_slice)
    }
}
