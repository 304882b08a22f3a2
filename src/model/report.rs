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
    /// The source's contents page as printed: what a service's `sources:` may cite by section.
    #[serde(default)]
    pub outline: Vec<OutlineEntry>,
    /// The source's figures, tables and text boxes, by number and caption as printed.
    #[serde(default)]
    pub figures: Vec<Caption>,
    #[serde(default)]
    pub tables: Vec<Caption>,
    #[serde(default)]
    pub text_boxes: Vec<Caption>,
    /// Services and programmes the source names that the directory does not list, and why:
    /// a record that every one was looked at. Read and kept, shown on no page.
    #[serde(default)]
    pub not_in_directory: Vec<NotInDirectory>,
}

/// A service or programme a report names that has no file in `directory/`.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct NotInDirectory {
    /// As the report names it.
    pub name: Spanned<String>,
    /// The section that names it, as the contents page numbers it ("2.5.3").
    pub section: Spanned<String>,
    /// Why the directory does not list it, in plain words.
    pub reason: Spanned<String>,
}

/// One line of a source document's contents page.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct OutlineEntry {
    /// The section number as printed ("2.5.1"); absent for an unnumbered heading.
    #[serde(default)]
    pub number: Option<Spanned<String>>,
    pub title: Spanned<String>,
    /// The page the contents page gives.
    pub page: Spanned<u16>,
}

/// A numbered figure, table or text box and its caption, as printed.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Caption {
    pub number: Spanned<u16>,
    pub title: Spanned<String>,
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

    /// Whether the source's contents page lists a section with this number.
    pub fn has_section(&self, number: &str) -> bool {
        self.outline
            .iter()
            .any(|e| e.number.as_ref().is_some_and(|n| n.value == number))
    }
}
