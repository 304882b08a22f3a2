//! `scoping-data/framework.yaml`: the rating scale and the service categories.

use super::Spanned;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    /// Short name of the framework, e.g. "NWC conception to age five scoping".
    pub name: Spanned<String>,
    pub ratings: Vec<RatingLevel>,
    /// Categories in the order the report prints its columns.
    pub categories: Vec<Category>,
    /// How need and targets are estimated from population figures.
    #[serde(default)]
    pub need_model: Option<NeedModel>,
}

/// Percentages of the need model, kept in data so a network can change them.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct NeedModel {
    /// Where the model comes from, in words.
    pub source: Spanned<String>,
    /// The year the model was published: reports of earlier years do not show its figures.
    #[serde(default)]
    pub published: Option<Spanned<u16>>,
    /// Share of all children aged 0–4 expected to need support, in per cent.
    pub base_rate_percent: Spanned<f64>,
    /// Extra share of children aged 0–4 living in areas of increased deprivation, in per cent.
    pub deprivation_uplift_percent: Spanned<f64>,
    /// The first target, as a share of the total need, in per cent.
    pub initial_target_percent: Spanned<f64>,
    /// The category whose provision the need is for, shown beside the figures.
    #[serde(default)]
    pub category: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct RatingLevel {
    /// One capital letter: G, A, R or B in the 2022 reports.
    pub code: Spanned<String>,
    pub label: Spanned<String>,
    /// What the rating means, for any year: the definition shown in the key, except for a
    /// year that printed its own wording under `printed`.
    pub definition: Spanned<String>,
    /// The definition as a year's report printed it in its key, where that differs from
    /// `definition` (e.g. dated "at time of writing (May 2022)"), so that the year keeps
    /// its own wording and no other year shows its date.
    #[serde(default)]
    pub printed: Vec<PrintedDefinition>,
    /// A symbol shown beside the letter so the rating never rests on colour alone.
    pub glyph: Spanned<String>,
    /// Cell fill and text colours, `#RRGGBB`.
    pub fill: Spanned<String>,
    pub text: Spanned<String>,
    /// Order from best to worst (lower is better), used to sort gaps and to say which
    /// areas are rated better or worse. Absent for a state outside that order, such as "in
    /// development": it is neither better nor worse than a rating, so it is listed apart
    /// and never counted as best or worst.
    #[serde(default)]
    pub rank: Option<Spanned<u8>>,
}

/// A rating's definition in one year's own words.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct PrintedDefinition {
    pub year: Spanned<u16>,
    pub definition: Spanned<String>,
}

impl RatingLevel {
    /// The definition shown with `year`'s ratings: that year's printed wording, if it has
    /// one, else the general `definition`.
    pub fn definition_in(&self, year: u16) -> &str {
        self.printed
            .iter()
            .find(|p| p.year.value == year)
            .map_or(&self.definition.value, |p| &p.definition.value)
    }
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub id: Spanned<String>,
    /// The name printed in the reports.
    pub name: Spanned<String>,
    /// Other names the reports use for the same category.
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    /// What the category means, as the reports' key and method text define it.
    pub description: Spanned<String>,
    /// Where in the reports the description comes from, e.g. "2022 reports, section 2.3".
    #[serde(default)]
    pub source: Option<Spanned<String>>,
    /// First year the category is graded; absent means from the start.
    #[serde(default)]
    pub introduced: Option<Spanned<u16>>,
    /// Last year the category is graded; absent means still graded.
    #[serde(default)]
    pub retired: Option<Spanned<u16>>,
}

impl Category {
    pub fn graded_in(&self, year: u16) -> bool {
        self.introduced.as_ref().is_none_or(|y| y.value <= year)
            && self.retired.as_ref().is_none_or(|y| year <= y.value)
    }
}

impl Framework {
    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id.value == id)
    }

    pub fn rating(&self, code: &str) -> Option<&RatingLevel> {
        self.ratings.iter().find(|r| r.code.value == code)
    }

    /// The level a rating code written in a return or a form names: the code exactly, or
    /// with spaces around it or in lower case (which `validate` accepts with warning
    /// W011); `None` for anything else (E010). Every reader of a written code goes through
    /// here, so validation and analysis cannot read one differently.
    pub fn level_of(&self, written: &str) -> Option<&RatingLevel> {
        let code = written.trim();
        self.rating(code)
            .or_else(|| self.rating(&code.to_ascii_uppercase()))
    }

    /// The categories graded in a year, in report order.
    pub fn categories_in(&self, year: u16) -> Vec<&Category> {
        self.categories
            .iter()
            .filter(|c| c.graded_in(year))
            .collect()
    }
}
