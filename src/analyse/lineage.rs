//! Lineage: the areas an area succeeds through every generation of boundary changes, and
//! the last rating of a category that someone actually gave along them.
//!
//! In: a dataset, a region and an area. Out: the area's ancestors, nearest generation
//! first, and for a category and year the latest *confirmed* ratings before it — the
//! area's own, or else each predecessor's (followed back as far as needed). A rating in a
//! return still awaiting its form, a carried-forward copy or a draft is never a source,
//! so a copy is never copied again.

use crate::model::{Area, Dataset, Framework, RatingEntry, RatingLevel, Region, Return};
use serde::Serialize;

/// One confirmed rating found along an area's lineage, with the level of the framework
/// its code names.
#[derive(Debug, Clone)]
pub struct Earlier<'a> {
    pub area: &'a Area,
    pub ret: &'a Return,
    pub entry: &'a RatingEntry,
    pub level: &'a RatingLevel,
}

impl Earlier<'_> {
    /// The level's code, as the framework writes it.
    pub fn code(&self) -> String {
        self.level.code.value.clone()
    }

    pub fn year(&self) -> u16 {
        self.ret.year.value
    }
}

/// An earlier rating as the pages show it beside a cell still awaiting its return.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EarlierCode {
    pub year: u16,
    pub area_id: String,
    pub area_name: String,
    pub code: String,
    /// The level's rank (`None` for a state outside the order of ratings).
    pub rank: Option<u8>,
}

/// Every area `area` succeeds, directly or through its own predecessors, nearest
/// generation first, each once.
pub fn ancestors<'a>(region: &'a Region, area: &Area) -> Vec<&'a Area> {
    let mut out: Vec<&Area> = Vec::new();
    let mut frontier: Vec<&str> = area.succeeds.iter().map(|s| s.value.as_str()).collect();
    while !frontier.is_empty() {
        let mut next = Vec::new();
        for id in frontier {
            let Some(a) = region.area(id) else { continue };
            if a.id.value == area.id.value || out.iter().any(|o| o.id.value == a.id.value) {
                continue;
            }
            out.push(a);
            next.extend(a.succeeds.iter().map(|s| s.value.as_str()));
        }
        frontier = next;
    }
    out
}

/// The returns of an area and of all its ancestors, gathered once so that many
/// categories can be looked up without walking every return of the data each time.
pub struct Lineage<'a> {
    region: &'a Region,
    framework: Option<&'a Framework>,
    returns: Vec<&'a Return>,
}

impl<'a> Lineage<'a> {
    pub fn of(ds: &'a Dataset, region: &'a Region, area: &Area) -> Lineage<'a> {
        let mut ids: Vec<&str> = vec![area.id.value.as_str()];
        ids.extend(ancestors(region, area).iter().map(|a| a.id.value.as_str()));
        let mut returns: Vec<&Return> = ds
            .returns
            .iter()
            .map(|r| &r.value)
            .filter(|r| r.region.value == region.id.value && ids.contains(&r.area.value.as_str()))
            .collect();
        // Newest first, so the first confirmed rating found is the latest.
        returns.sort_by_key(|r| std::cmp::Reverse(r.year.value));
        Lineage {
            region,
            framework: ds.framework(),
            returns,
        }
    }

    /// The latest confirmed ratings of `category` from before `year` for `area_id`: its
    /// own when it has one, or else those of each area it succeeds, found the same way. A
    /// rating counts once its code is resolved to a level (`Framework::level_of`), as
    /// validation has made sure every code is.
    pub fn last_confirmed(&self, area_id: &str, category: &str, year: u16) -> Vec<Earlier<'a>> {
        let mut out = Vec::new();
        let mut visited = Vec::new();
        self.collect(area_id, category, year, &mut visited, &mut out);
        out
    }

    fn collect(
        &self,
        area_id: &str,
        category: &str,
        year: u16,
        visited: &mut Vec<String>,
        out: &mut Vec<Earlier<'a>>,
    ) {
        if visited.iter().any(|v| v == area_id) {
            return;
        }
        visited.push(area_id.to_string());
        let Some(area) = self.region.area(area_id) else {
            return;
        };
        let Some(fw) = self.framework else {
            return;
        };
        let own = self
            .returns
            .iter()
            .filter(|r| r.area.value == area_id && r.year.value < year)
            .find_map(|r| {
                let entry = r.confirmed_rating(category)?;
                Some((*r, entry, fw.level_of(&entry.rating.value)?))
            });
        if let Some((ret, entry, level)) = own {
            out.push(Earlier {
                area,
                ret,
                entry,
                level,
            });
            return;
        }
        for p in &area.succeeds {
            self.collect(&p.value, category, year, visited, out);
        }
    }

    /// `last_confirmed`, as the codes and names the pages show.
    pub fn earlier_codes(&self, area_id: &str, category: &str, year: u16) -> Vec<EarlierCode> {
        self.last_confirmed(area_id, category, year)
            .iter()
            .map(|e| EarlierCode {
                year: e.year(),
                area_id: e.area.id.value.clone(),
                area_name: e.area.name.value.clone(),
                code: e.code(),
                rank: e.level.rank.as_ref().map(|r| r.value),
            })
            .collect()
    }
}

/// "2022: B in Blackpool, R in Fylde and Wyre", years oldest first; "no earlier rating"
/// when there is none.
pub fn earlier_phrase(earlier: &[EarlierCode]) -> String {
    if earlier.is_empty() {
        return "no earlier rating".into();
    }
    let mut years: Vec<u16> = earlier.iter().map(|e| e.year).collect();
    years.sort_unstable();
    years.dedup();
    years
        .iter()
        .map(|y| {
            let each = earlier
                .iter()
                .filter(|e| e.year == *y)
                .map(|e| format!("{} in {}", e.code, e.area_name))
                .collect::<Vec<_>>()
                .join(", ");
            format!("{y}: {each}")
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(year: u16, name: &str, code: &str) -> EarlierCode {
        EarlierCode {
            year,
            area_id: name.to_lowercase(),
            area_name: name.into(),
            code: code.into(),
            rank: None,
        }
    }

    #[test]
    fn phrases_group_by_year() {
        assert_eq!(
            earlier_phrase(&[
                code(2022, "Blackpool", "B"),
                code(2022, "Fylde and Wyre", "R")
            ]),
            "2022: B in Blackpool, R in Fylde and Wyre"
        );
        assert_eq!(
            earlier_phrase(&[code(2022, "Alpha", "A"), code(2021, "Beta", "G")]),
            "2021: G in Beta; 2022: A in Alpha"
        );
        assert_eq!(earlier_phrase(&[]), "no earlier rating");
    }
}
