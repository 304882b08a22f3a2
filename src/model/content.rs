//! Narrative pages: `content/**/*.md`, each a front matter of YAML and a Markdown body with
//! the shortcodes found in it.
//!
//! In: nothing (plain data types, filled by `load`). Out: the pages `validate` checks and
//! `render` turns into HTML.

use super::{SourceFile, Spanned};
use serde::Deserialize;
use std::ops::Range;

/// First path segments that belong to generated pages and files.
pub const RESERVED: &[&str] = &[
    "index",
    "regions",
    "areas",
    "categories",
    "directory",
    "data",
    "assets",
    "oruk",
    "404",
    "sitemap",
    "search",
    "accessibility",
];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: Spanned<String>,
    /// Position in the navigation menu (lower first); pages without it are not in the menu.
    #[serde(default)]
    pub order: Option<Spanned<i32>>,
    /// One sentence for search engines and link previews.
    #[serde(default)]
    pub description: Option<Spanned<String>>,
    /// Template to render with instead of `page.html`.
    #[serde(default)]
    pub template: Option<Spanned<String>>,
    /// Drafts are not built.
    #[serde(default)]
    pub draft: Option<Spanned<bool>>,
    /// For report sections (`content/reports/<year>/<region>/`): generated data blocks to
    /// place at the end of the section — `returns`, `provision`, `changes`, `need`, `services`.
    #[serde(default)]
    pub includes: Vec<Spanned<String>>,
    /// For a section of a re-presented report: the number of the source's section it
    /// re-presents (`2.5.1`), as in the report file's `outline`. The report keeps that
    /// number and the source's title; a section without one is marked as added.
    #[serde(default)]
    pub section: Option<Spanned<String>>,
}

/// Generated blocks a report section may include.
pub const REPORT_BLOCKS: &[&str] = &["returns", "provision", "changes", "need", "services"];

impl Page {
    /// `(year, region)` when the page is a section of a yearly report.
    pub fn report_section(&self) -> Option<(u16, &str)> {
        let mut parts = self.slug.split('/');
        match (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) {
            (Some("reports"), Some(year), Some(region), Some(_), None) => {
                Some((year.parse().ok()?, region))
            }
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Page {
    /// `about`, or `guides/visiting` for nested files: the page is served at `<slug>/`.
    pub slug: String,
    pub front: FrontMatter,
    pub body: String,
    /// The line of the file the body starts on.
    pub body_line: usize,
    /// The body's shortcodes, in order.
    pub shortcodes: Vec<Shortcode>,
    pub source: SourceFile,
}

/// The views a shortcode can name.
pub const KINDS: &[&str] = &["matrix", "gaps", "chart", "need"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortcode {
    pub kind: String,
    pub region: Spanned<String>,
    /// As written; whether it is a year with returns is checked at render time.
    pub year: Option<Spanned<u64>>,
    /// Where `{{` is in the page file.
    pub line: usize,
    pub column: usize,
    /// The whole line holding it, as bytes of the body.
    pub range: Range<usize>,
}

impl Page {
    /// Whether the page is a draft, which is checked but never built.
    pub fn is_draft(&self) -> bool {
        self.front.draft.as_ref().is_some_and(|d| d.value)
    }
}
