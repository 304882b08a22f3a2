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
    /// Set when this file describes a document published elsewhere that the site shows
    /// again: what the web version changed, in words ("wording edited for the web; ratings
    /// unchanged"). The report then says on its cover that it is a re-presentation.
    #[serde(default)]
    pub re_presented: Option<Spanned<String>>,
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
    /// The generated block that reproduces this table from the data (`returns`,
    /// `provision`); the report then prints it under the source's number and caption.
    #[serde(default)]
    pub reproduced_by: Option<Spanned<String>>,
    /// What a re-presentation does with an item it does not reproduce, in words.
    #[serde(default)]
    pub note: Option<Spanned<String>>,
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
    /// `draft` or `final`, only where the document states one.
    #[serde(default)]
    pub status: Option<Spanned<String>>,
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

    /// The source table a generated block reproduces, if any.
    pub fn table_reproduced_by(&self, block: &str) -> Option<&Caption> {
        self.tables
            .iter()
            .find(|t| t.reproduced_by.as_ref().is_some_and(|b| b.value == block))
    }

    /// The position of a numbered section in the source's contents page.
    pub fn section_position(&self, number: &str) -> Option<(usize, &OutlineEntry)> {
        self.outline
            .iter()
            .enumerate()
            .find(|(_, e)| e.number.as_ref().is_some_and(|n| n.value == number))
    }

    /// Whether the site shows this report as a re-presentation of a source document whose
    /// contents page it records, keeping that document's numbers. An outline alone may be
    /// there only for services to cite.
    pub fn re_presents_source(&self) -> bool {
        self.re_presented.is_some() && !self.outline.is_empty()
    }

    /// Whether the source's contents page lists a section with this number.
    pub fn has_section(&self, number: &str) -> bool {
        self.outline
            .iter()
            .any(|e| e.number.as_ref().is_some_and(|n| n.value == number))
    }
}
