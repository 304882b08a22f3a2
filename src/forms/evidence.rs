//! The directory services a form offers as evidence for a rating, shared by the writer
//! and the reader so a name chosen on a form maps back to the same service id.
//!
//! In: a dataset, a region and one of its areas. Out: (choice, service id) pairs sorted by
//! choice: every service of the directory listed for the area, for an area it succeeds
//! (a Place's services are often still listed under its CCGs) or for the whole region.
//! A choice is the service's name, or "name (id)" where two services share a name.

use crate::model::{Area, Dataset, Region};
use std::collections::BTreeMap;

pub fn evidence_choices(ds: &Dataset, region: &Region, area: &Area) -> Vec<(String, String)> {
    let mut covered: Vec<&str> = vec![area.id.value.as_str()];
    covered.extend(
        crate::analyse::ancestors(region, area)
            .iter()
            .map(|a| a.id.value.as_str()),
    );
    let services: Vec<(&str, &str)> = ds
        .services()
        .iter()
        .map(|s| &s.value)
        .filter(|s| {
            s.areas.iter().any(|a| covered.contains(&a.value.as_str()))
                || s.regions.iter().any(|r| r.value == region.id.value)
        })
        .map(|s| (s.name.value.trim(), s.id.value.as_str()))
        .collect();
    let mut uses: BTreeMap<&str, usize> = BTreeMap::new();
    for (name, _) in &services {
        *uses.entry(name).or_default() += 1;
    }
    let mut choices: Vec<(String, String)> = services
        .iter()
        .map(|(name, id)| {
            let choice = if uses[name] > 1 {
                format!("{name} ({id})")
            } else {
                (*name).to_string()
            };
            (choice, (*id).to_string())
        })
        .collect();
    choices.sort();
    choices.dedup();
    choices
}
