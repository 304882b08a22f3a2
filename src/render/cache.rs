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
    provision: Keyed<super::exports::ProvisionPart>,
    region_services: OnceLock<HashMap<String, Vec<usize>>>,
}

/// Values by region and year, each computed once, on first use, by whichever thread asks.
struct Keyed<V>(Mutex<HashMap<(String, u16), Slot<V>>>);

impl<V> Default for Keyed<V> {
    fn default() -> Self {
        Keyed(Default::default())
    }
}

impl<V> Keyed<V> {
    /// Only the entries for which `keep` says yes.
    fn retain(self, keep: &impl Fn(&str, u16) -> bool) -> Keyed<V> {
        let mut all = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        all.retain(|(region, year), slot| slot.get().is_some() && keep(region, *year));
        Keyed(Mutex::new(all))
    }

    fn get(&self, region: &str, year: u16, make: impl FnOnce() -> V) -> Arc<V> {
        let slot = {
            let mut all = self.0.lock().unwrap_or_else(|e| e.into_inner());
            Arc::clone(all.entry((region.to_string(), year)).or_default())
        };
        Arc::clone(slot.get_or_init(|| Arc::new(make())))
    }
}

impl RenderCache {
    /// For the next build of the same data: the matrices and counts of the regions' years
    /// `keep` says are unchanged. Which services work in each region is worked out again.
    pub fn keep(self, keep: impl Fn(&str, u16) -> bool) -> RenderCache {
        RenderCache {
            matrices: self.matrices.retain(&keep),
            counts: self.counts.retain(&keep),
            provision: self.provision.retain(&keep),
            region_services: OnceLock::new(),
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

    /// Services that work in a region: in one of its areas, or across the whole region.
    pub fn region_services(&self, region: &crate::model::Region) -> Vec<&'a crate::model::Service> {
        let all = self.cache.region_services.get_or_init(|| {
            let ds = self.dataset;
            let mut map: HashMap<String, Vec<usize>> = HashMap::new();
            for (i, s) in ds.services.iter().enumerate() {
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
        all.get(&region.id.value)
            .map(|ids| {
                ids.iter()
                    .map(|i| &self.dataset.services[*i].value)
                    .collect()
            })
            .unwrap_or_default()
    }
}
