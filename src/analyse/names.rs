//! Names of their time: an area named as it was in a given year, with what it is part of
//! now.
//!
//! In: a dataset, an area (or a service's areas) and the year a page or a description is
//! about. Out: the names of the areas in use that year; an area no longer in use is
//! followed by the areas in use now that took it over, as "Blackpool (now part of Fylde
//! Coast)", or, where the boundary stayed the same, "Halton (now the Place Halton, same
//! boundary)". A later area never stands in for an earlier one: a service described in
//! 2022 as working in Blackpool is not said to cover Fylde Coast, which also takes in
//! Fylde and Wyre.

use super::lineage::ancestors;
use crate::model::{Area, Dataset, Region, Service};
use serde::Serialize;

/// An area as pages link to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AreaRef {
    pub id: String,
    pub name: String,
    pub kind: String,
}

impl AreaRef {
    fn of(a: &Area) -> AreaRef {
        AreaRef {
            id: a.id.value.clone(),
            name: a.name.value.clone(),
            kind: a.kind.value.clone(),
        }
    }
}

/// One area named as of a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NamedArea {
    /// The area named; `None` for a later area none of whose predecessors is known, which
    /// is named only as "areas now part of" it.
    pub area: Option<AreaRef>,
    /// The areas in use now that took it over; empty while it is itself in use.
    pub now: Vec<AreaRef>,
    /// Taken over by one area with the same boundary, which replaced nothing else.
    pub same_boundary: bool,
    /// The whole name in words, e.g. "Blackpool (now part of Fylde Coast)".
    pub label: String,
}

/// The areas in use now (no `until`) that took `area` over, through every generation of
/// boundary changes, in the region file's order; empty while `area` is in use.
pub fn successors_now<'a>(region: &'a Region, area: &Area) -> Vec<&'a Area> {
    if area.in_use.until.is_none() {
        return Vec::new();
    }
    region
        .areas
        .iter()
        .filter(|a| a.in_use.until.is_none())
        .filter(|a| {
            ancestors(region, a)
                .iter()
                .any(|p| p.id.value == area.id.value)
        })
        .collect()
}

/// Whether `later` took over from `earlier` alone and `earlier` went only to `later`: the
/// same boundary under a new kind of area, which "is now part of" would misdescribe.
pub fn same_boundary(region: &Region, earlier: &Area, later: &Area) -> bool {
    later.succeeds.len() == 1
        && later.succeeds[0].value == earlier.id.value
        && region.successors_of(&earlier.id.value).len() == 1
}

/// "A", "A and B", "A, B and C".
pub fn join_names<S: AsRef<str>>(names: &[S]) -> String {
    match names {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => format!(
            "{} and {}",
            init.iter()
                .map(AsRef::as_ref)
                .collect::<Vec<_>>()
                .join(", "),
            last.as_ref()
        ),
    }
}

/// "now part of Fylde Coast", "now the Place Halton, same boundary", or `None` for an area
/// still in use (or one nothing took over).
pub fn now_phrase(region: &Region, area: &Area) -> Option<String> {
    let now = successors_now(region, area);
    match now.as_slice() {
        [] => None,
        [only] if same_boundary(region, area, only) => Some(format!(
            "now the {} {}, same boundary",
            only.kind.value, only.name.value
        )),
        many => Some(format!(
            "now part of {}",
            join_names(
                &many
                    .iter()
                    .map(|a| a.name.value.as_str())
                    .collect::<Vec<_>>()
            )
        )),
    }
}

/// `area` as named in `year`. An area in use that year, or ended before it, keeps its own
/// name, followed by what it is part of now; an area not yet in use is named only as
/// "areas now part of" it, since it did not exist then.
pub fn area_as_of(region: &Region, area: &Area, year: u16) -> NamedArea {
    let not_yet = area.in_use.from.as_ref().is_some_and(|f| year < f.value);
    if not_yet {
        return NamedArea {
            area: None,
            now: vec![AreaRef::of(area)],
            same_boundary: false,
            label: format!("areas now part of {}", area.name.value),
        };
    }
    let now: Vec<&Area> = successors_now(region, area);
    let same = matches!(now.as_slice(), [only] if same_boundary(region, area, only));
    let label = match now_phrase(region, area) {
        Some(phrase) => format!("{} ({phrase})", area.name.value),
        None => area.name.value.clone(),
    };
    NamedArea {
        area: Some(AreaRef::of(area)),
        now: now.into_iter().map(AreaRef::of).collect(),
        same_boundary: same,
        label,
    }
}

/// The areas a service works in, named as of `year`. A later area is left out when one of
/// its predecessors is listed (that predecessor is named, with what it is part of now);
/// an earlier area is left out when every area it is part of now is listed and in use
/// in `year`.
pub fn service_areas_as_of(ds: &Dataset, s: &Service, year: u16) -> Vec<NamedArea> {
    let listed: Vec<(&Region, &Area)> = s.areas.iter().filter_map(|a| ds.area(&a.value)).collect();
    let is_listed = |id: &str| listed.iter().any(|(_, a)| a.id.value == id);
    let mut out: Vec<NamedArea> = Vec::new();
    for &(region, area) in &listed {
        let not_yet = area.in_use.from.as_ref().is_some_and(|f| year < f.value);
        if not_yet
            && ancestors(region, area)
                .iter()
                .any(|p| is_listed(&p.id.value))
        {
            continue;
        }
        let ended = area.in_use.until.as_ref().is_some_and(|u| u.value < year);
        let now = successors_now(region, area);
        if ended
            && !now.is_empty()
            && now
                .iter()
                .all(|n| is_listed(&n.id.value) && n.in_use_in(year))
        {
            continue;
        }
        let named = area_as_of(region, area, year);
        if !out.contains(&named) {
            out.push(named);
        }
    }
    out
}

/// The names of a service's areas as of `year`, then each region it works across when the
/// sources do not say in which of its areas ("Cheshire and Merseyside (areas not
/// stated)").
pub fn service_area_labels(ds: &Dataset, s: &Service, year: u16) -> Vec<String> {
    let mut labels: Vec<String> = service_areas_as_of(ds, s, year)
        .into_iter()
        .map(|n| n.label)
        .collect();
    labels.extend(
        s.regions
            .iter()
            .filter_map(|r| ds.region(&r.value))
            .map(|r| format!("{} (areas not stated)", r.name.value)),
    );
    labels
}

/// The names of the areas a service works in today, for readers of now (such as search
/// engines): an area in use now where the service is listed in the whole of it (in it and
/// in every area it took over, or in none of those), and otherwise each listed earlier
/// area by its own name, so that a service of Blackpool alone is never said to serve Fylde
/// Coast.
pub fn service_area_names_now(ds: &Dataset, s: &Service) -> Vec<String> {
    let listed: Vec<(&Region, &Area)> = s.areas.iter().filter_map(|a| ds.area(&a.value)).collect();
    let is_listed = |id: &str| listed.iter().any(|(_, a)| a.id.value == id);
    let whole = |a: &Area| {
        let in_it = a.succeeds.iter().filter(|p| is_listed(&p.value)).count();
        is_listed(&a.id.value) && (in_it == 0 || in_it == a.succeeds.len())
    };
    let mut names: Vec<String> = Vec::new();
    for &(region, area) in &listed {
        let named = if area.in_use.until.is_none() {
            whole(area)
        } else {
            !successors_now(region, area).into_iter().any(whole)
        };
        if named && !names.contains(&area.name.value) {
            names.push(area.name.value.clone());
        }
    }
    names
}

/// The year a service's description is of: the year of its newest dated source (a check
/// with the service, a web page read, a return, a report), so its areas are named as they
/// were then.
pub fn described_in(s: &Service) -> Option<u16> {
    super::dated::newest_source_year(s)
}

/// The names of a service's areas as of the year it is described in; with no such year,
/// as of the latest year any of its areas is in use.
pub fn service_area_labels_as_described(ds: &Dataset, s: &Service) -> Vec<String> {
    let year = described_in(s).unwrap_or(u16::MAX);
    service_area_labels(ds, s, year)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REGION: &str = "id: north\nname: North\nareas:\n\
  - {id: a-ccg, name: Alpha, kind: CCG, in_use: {from: 2013, until: 2022}}\n\
  - {id: b-ccg, name: Beta, kind: CCG, in_use: {from: 2013, until: 2022}}\n\
  - {id: c-ccg, name: Gamma, kind: CCG, in_use: {from: 2013, until: 2022}}\n\
  - {id: ab, name: Alpha Beta, kind: Place, in_use: {from: 2023}, succeeds: [a-ccg, b-ccg]}\n\
  - {id: c, name: Gamma, kind: Place, in_use: {from: 2023}, succeeds: [c-ccg]}\n";

    fn dataset() -> Dataset {
        let (ds, diagnostics) = crate::load::load_texts(&[("regions/north.yaml", REGION)]);
        assert!(diagnostics.is_empty(), "{diagnostics:#?}");
        ds
    }

    fn service(areas: &[&str], checked: &str) -> Service {
        let yaml = format!(
            "id: s\nname: S\norganization: {{name: O}}\nsummary: x\ndescription: x\ncategories: []\n\
             areas: [{}]\nage_groups: []\ndelivery: []\nreferral: []\nfunding: {{status: unknown}}\n\
             status: active\nlast_checked: \"{checked}\"\n",
            areas.join(", ")
        );
        let (ds, diagnostics) =
            crate::load::load_texts(&[("regions/north.yaml", REGION), ("directory/s.yaml", &yaml)]);
        assert!(diagnostics.is_empty(), "{diagnostics:#?}");
        ds.services()[0].value.clone()
    }

    #[test]
    fn an_earlier_area_is_named_with_what_it_is_part_of_now() {
        let ds = dataset();
        let s = service(&["a-ccg", "ab"], "2022-05-01");
        assert_eq!(
            service_area_labels(&ds, &s, 2022),
            ["Alpha (now part of Alpha Beta)"]
        );
        assert_eq!(
            service_area_labels_as_described(&ds, &s),
            ["Alpha (now part of Alpha Beta)"]
        );
        // Described in 2023, the service is in the Place itself.
        let later = service(&["a-ccg", "ab"], "2023-06-01");
        assert_eq!(
            service_area_labels_as_described(&ds, &later),
            ["Alpha Beta"]
        );
    }

    #[test]
    fn a_kept_boundary_is_not_part_of_itself() {
        let ds = dataset();
        let s = service(&["c-ccg", "c"], "2022-05-01");
        assert_eq!(
            service_area_labels(&ds, &s, 2022),
            ["Gamma (now the Place Gamma, same boundary)"]
        );
    }

    #[test]
    fn two_earlier_areas_and_a_later_one_with_no_listed_predecessor() {
        let ds = dataset();
        let s = service(&["a-ccg", "b-ccg", "c"], "2022-05-01");
        assert_eq!(
            service_area_labels(&ds, &s, 2022),
            [
                "Alpha (now part of Alpha Beta)",
                "Beta (now part of Alpha Beta)",
                "areas now part of Gamma"
            ]
        );
    }

    #[test]
    fn today_a_service_is_named_in_a_place_only_where_it_covers_all_of_it() {
        let ds = dataset();
        let part = service(&["a-ccg", "ab"], "2022-05-01");
        assert_eq!(service_area_names_now(&ds, &part), ["Alpha"]);
        let whole = service(&["a-ccg", "b-ccg", "ab", "c-ccg", "c"], "2022-05-01");
        assert_eq!(service_area_names_now(&ds, &whole), ["Alpha Beta", "Gamma"]);
        let only_earlier = service(&["b-ccg"], "2022-05-01");
        assert_eq!(service_area_names_now(&ds, &only_earlier), ["Beta"]);
    }

    #[test]
    fn a_place_is_named_plainly_in_its_own_time() {
        let ds = dataset();
        let s = service(&["ab"], "2023-01-01");
        assert_eq!(service_area_labels(&ds, &s, 2023), ["Alpha Beta"]);
        // An earlier area listed alone, named in a later year, keeps its own name.
        let s = service(&["a-ccg"], "2023-01-01");
        assert_eq!(
            service_area_labels(&ds, &s, 2023),
            ["Alpha (now part of Alpha Beta)"]
        );
    }
}
