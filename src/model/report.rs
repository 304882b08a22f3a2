//! `scoping-data/reports/<year>/<region-id>.yaml`: the facts of one year's report for one
//! region — its document control table and the names it printed.

use super::{Spanned, ordered_map};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    pub year: Spanned<u16>,
    pub region: Spanned<String>,
    pub title: Spanned<String>,
    /// The date the ratings describe ("at time of writing"), `YYYY-MM-DD`.
    pub data_as_of: Spanned<String>,
    /// When the scoping forms went out, in words (e.g. "December 2021").
    #[serde(default)]
    pub forms_sent: Option<Spanned<String>>,
    pub document: DocumentControl,
    /// Category names as this report prints them, where they differ from the framework name.
    #[serde(default, deserialize_with = "ordered_map")]
    pub column_names: Vec<(Spanned<String>, Spanned<String>)>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentControl {
    pub version: Spanned<String>,
    /// As printed, e.g. "May 2022".
    pub date: Spanned<String>,
    pub author: Spanned<String>,
    pub owner: Spanned<String>,
    #[serde(default)]
    pub contributors: Option<Spanned<String>>,
    /// `draft` or `final`.
    pub status: Spanned<String>,
}

impl Report {
    /// The category name this report prints, falling back to the framework name.
    pub fn column_name<'a>(&'a self, category_id: &str, default: &'a str) -> &'a str {
        self.column_names
            .iter()
            .find(|(k, _)| k.value == category_id)
            .map(|(_, v)| v.value.as_str())
            .unwrap_or(default)
    }
}
