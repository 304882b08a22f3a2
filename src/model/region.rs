//! `scoping-data/regions/<region-id>.yaml`: an Integrated Care System and its areas over time.

use super::Spanned;
use super::ons_code::{DatedCode, OnsCode, code_in, dated_codes, latest_code};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    pub id: Spanned<String>,
    pub name: Spanned<String>,
    /// ONS code of the ICS / ICB, e.g. E54000008, for every year.
    #[serde(default)]
    pub ons_code: Option<Spanned<String>>,
    /// ONS codes with the years each is valid, when the code changed over time.
    #[serde(default)]
    pub ons_codes: Vec<OnsCode>,
    /// A sentence or two about the region, in plain language.
    #[serde(default)]
    pub description: Option<Spanned<String>>,
    /// Population figures used to estimate need.
    #[serde(default)]
    pub population: Option<Population>,
    /// Areas in the order the reports list them.
    pub areas: Vec<Area>,
}

/// Children aged 0–4, and any need figures a report already stated for them.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Population {
    /// The year the population estimate is for.
    pub year: Spanned<u16>,
    pub aged_0_4: Spanned<u64>,
    /// Children aged 0–4 living in areas of increased deprivation, when known.
    #[serde(default)]
    pub aged_0_4_in_deprived_areas: Option<Spanned<u64>>,
    /// Where the figures come from.
    pub source: Spanned<String>,
    /// Figures as a report printed them, checked against the need model.
    #[serde(default)]
    pub stated: Option<StatedNeed>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct StatedNeed {
    #[serde(default)]
    pub base_need: Option<Spanned<u64>>,
    #[serde(default)]
    pub additional_need: Option<Spanned<u64>>,
    #[serde(default)]
    pub total_need: Option<Spanned<u64>>,
    #[serde(default)]
    pub initial_target: Option<Spanned<u64>>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Area {
    pub id: Spanned<String>,
    pub name: Spanned<String>,
    /// `CCG` (until 2022) or `Place` (from 2023).
    pub kind: Spanned<String>,
    /// ONS code of the area for every year it is in use, e.g. E38000068.
    #[serde(default)]
    pub ons_code: Option<Spanned<String>>,
    /// ONS codes with the years each is valid, when the code changed over time.
    #[serde(default)]
    pub ons_codes: Vec<OnsCode>,
    /// Years the area is in use, inclusive.
    pub in_use: InUse,
    /// For a Place: the ids of the CCG areas it succeeds.
    #[serde(default)]
    pub succeeds: Vec<Spanned<String>>,
    /// Towns and districts the area covers, so people can find it by the name they know.
    #[serde(default)]
    pub covers: Vec<Spanned<String>>,
    /// Population figures used to estimate need.
    #[serde(default)]
    pub population: Option<Population>,
    /// Position of the area's tile on the region's hex map (odd-row offset coordinates).
    #[serde(default)]
    pub hex: Option<HexTile>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct InUse {
    #[serde(default)]
    pub from: Option<Spanned<u16>>,
    #[serde(default)]
    pub until: Option<Spanned<u16>>,
}

#[derive(Debug, Clone, Copy, Deserialize, serde::Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct HexTile {
    /// Column.
    pub q: i32,
    /// Row.
    pub r: i32,
}

impl Area {
    pub fn in_use_in(&self, year: u16) -> bool {
        self.in_use.from.as_ref().is_none_or(|y| y.value <= year)
            && self.in_use.until.as_ref().is_none_or(|y| year <= y.value)
    }

    /// The area's codes with their years; a plain `ons_code` covers the years in use.
    pub fn dated_codes(&self) -> Vec<DatedCode<'_>> {
        let within = (
            self.in_use.from.as_ref().map(|y| y.value),
            self.in_use.until.as_ref().map(|y| y.value),
        );
        dated_codes(&self.ons_code, &self.ons_codes, within)
    }

    /// The ONS code valid in `year`, or `None` when none is stated for that year.
    pub fn ons_code_in(&self, year: u16) -> Option<&str> {
        code_in(&self.dated_codes(), year)
    }

    /// The area's most recent ONS code.
    pub fn latest_ons_code(&self) -> Option<&str> {
        latest_code(&self.dated_codes())
    }
}

impl Region {
    /// The region's codes with their years.
    pub fn dated_codes(&self) -> Vec<DatedCode<'_>> {
        dated_codes(&self.ons_code, &self.ons_codes, (None, None))
    }

    /// The ONS code valid in `year`, or `None` when none is stated for that year.
    pub fn ons_code_in(&self, year: u16) -> Option<&str> {
        code_in(&self.dated_codes(), year)
    }

    /// The region's most recent ONS code.
    pub fn latest_ons_code(&self) -> Option<&str> {
        latest_code(&self.dated_codes())
    }

    pub fn area(&self, id: &str) -> Option<&Area> {
        self.areas.iter().find(|a| a.id.value == id)
    }

    pub fn area_index(&self, id: &str) -> Option<usize> {
        self.areas.iter().position(|a| a.id.value == id)
    }

    pub fn areas_in(&self, year: u16) -> Vec<&Area> {
        self.areas.iter().filter(|a| a.in_use_in(year)).collect()
    }

    /// Areas that list `id` among those they succeed.
    pub fn successors_of(&self, id: &str) -> Vec<&Area> {
        self.areas
            .iter()
            .filter(|a| a.succeeds.iter().any(|s| s.value == id))
            .collect()
    }
}
