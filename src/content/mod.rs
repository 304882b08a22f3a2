//! Narrative content: `content/**/*.md` with YAML front matter.
//!
//! In: the site root. Out: `Page`s (front matter, markdown body and its shortcodes, not yet
//! rendered) and diagnostics for bad front matter, malformed shortcodes and direction
//! controls in the text. Rendering the markdown is the render stage's job.

mod direction;
pub mod shortcodes;

use crate::diag::Diagnostic;
use crate::load::{parse_file, read_text};
use crate::model::{SourceFile, Spanned};
use crate::validate::common::check_id;
use serde::Deserialize;
use std::path::Path;
use walkdir::WalkDir;

pub const CONTENT_DIR: &str = "content";

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
    pub shortcodes: Vec<shortcodes::Shortcode>,
    pub source: SourceFile,
}

/// Load every non-draft page, sorted by slug.
pub fn load_pages(root: &Path, diagnostics: &mut Vec<Diagnostic>) -> Vec<Page> {
    let dir = root.join(CONTENT_DIR);
    let mut pages = Vec::new();
    if !dir.is_dir() {
        return pages;
    }
    for entry in WalkDir::new(&dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if !entry.file_type().is_file() || entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
        let rel_str = rel.to_string_lossy().replace('\\', "/");
        let path = format!("{CONTENT_DIR}/{rel_str}");
        let Some(text) = read_text(entry.path(), &path, diagnostics) else {
            continue;
        };
        let source = SourceFile {
            path: path.clone(),
            disk_path: entry.path().to_path_buf(),
            text,
        };
        if let Some(page) = parse_page(source, rel_str.trim_end_matches(".md"), diagnostics)
            && !page.front.draft.as_ref().is_some_and(|d| d.value)
        {
            pages.push(page);
        }
    }
    pages
}

fn parse_page(source: SourceFile, slug: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<Page> {
    let text = source.text.replace("\r\n", "\n");
    let Some(rest) = text.strip_prefix("---\n") else {
        diagnostics.push(
            Diagnostic::error("E052", &source.path, "the page has no front matter")
                .at(1, 1, 1)
                .help("start the file with a `---` line, `title: ...`, and another `---` line"),
        );
        return None;
    };
    let Some(end) = rest
        .find("\n---\n")
        .or_else(|| rest.strip_suffix("\n---").map(|r| r.len()))
    else {
        diagnostics.push(
            Diagnostic::error("E052", &source.path, "the front matter is not closed")
                .at(1, 1, 3)
                .help("end the front matter with a line holding only `---`"),
        );
        return None;
    };
    // A leading comment line keeps line numbers equal to those of the whole file.
    let front_text = format!("#\n{}\n", &rest[..end]);
    let body = rest.get(end + 5..).unwrap_or("").to_string();
    // "---\n", the front matter and "\n---\n" come before the body.
    let body_line = text[..(4 + end + 5).min(text.len())].matches('\n').count() + 1;
    let front_source = SourceFile {
        text: front_text,
        ..source.clone()
    };
    let front: FrontMatter = parse_file(&front_source, diagnostics)?;
    let first = slug.split('/').next().unwrap_or("");
    if RESERVED.contains(&first) {
        diagnostics.push(
            Diagnostic::error(
                "E054",
                &source.path,
                format!("the page name `{first}` is used by scopemap's own pages"),
            )
            .at(1, 1, 3)
            .expected(format!("a name other than {}", RESERVED.join(", ")))
            .help("rename the file, e.g. `about-the-directory.md`"),
        );
        return None;
    }
    for part in slug.split('/') {
        check_id(
            &source.path,
            &Spanned {
                value: part.to_string(),
                line: 0,
                column: 0,
            },
            "page file name",
            diagnostics,
        );
    }
    direction::check(&source.path, &body, body_line, diagnostics);
    let in_report = slug.starts_with("reports/");
    let shortcodes = shortcodes::scan(&source.path, &body, body_line, in_report, diagnostics);
    let page = Page {
        slug: slug.to_string(),
        front,
        body,
        body_line,
        shortcodes,
        source,
    };
    if page.slug.starts_with("reports/") && page.report_section().is_none() {
        diagnostics.push(
            Diagnostic::error(
                "E055",
                &page.source.path,
                "a report section must sit at content/reports/<year>/<region>/<name>.md",
            )
            .at(1, 1, 3)
            .help("move the file into the folder of its year and region"),
        );
        return None;
    }
    for block in &page.front.includes {
        if page.report_section().is_none() || !REPORT_BLOCKS.contains(&block.value.as_str()) {
            diagnostics.push(
                Diagnostic::error(
                    "E056",
                    &page.source.path,
                    format!(
                        "`includes` names `{}`, which is not a report data block here",
                        block.value
                    ),
                )
                .at_value(block, block.value.chars().count())
                .expected(format!(
                    "one of {} (only in report sections)",
                    REPORT_BLOCKS.join(", ")
                ))
                .help("remove it, or use it in a file under content/reports/<year>/<region>/"),
            );
        }
    }
    Some(page)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &str) -> (Option<Page>, Vec<Diagnostic>) {
        let mut d = Vec::new();
        let source = SourceFile {
            path: "content/x.md".into(),
            disk_path: "x.md".into(),
            text: text.into(),
        };
        (parse_page(source, "x", &mut d), d)
    }

    #[test]
    fn splits_front_matter_and_body() {
        let (p, d) = page("---\ntitle: About\norder: 2\n---\n# Hello\n");
        let p = p.expect("page");
        assert!(d.is_empty());
        assert_eq!(p.front.title.value, "About");
        assert_eq!(p.front.order.unwrap().value, 2);
        assert_eq!(p.body, "# Hello\n");
        assert_eq!(p.body_line, 5);
    }

    #[test]
    fn shortcodes_are_read_with_their_line_in_the_file() {
        let (p, d) =
            page("---\r\ntitle: About\r\n---\r\nIntro\r\n\r\n{{ gaps(region=\"north\") }}\r\n");
        assert!(d.is_empty(), "{d:#?}");
        let p = p.expect("page");
        assert_eq!((p.shortcodes[0].line, p.shortcodes[0].column), (6, 1));
        let (_, d) = page("---\ntitle: About\n---\n\n{{ gap(region=\"north\") }}\n");
        assert_eq!((d[0].code, d[0].line, d[0].column), ("E112", 5, 4));
    }

    #[test]
    fn front_matter_errors_keep_file_line_numbers() {
        let (p, d) = page("---\ntitle: About\nordr: 2\n---\nbody\n");
        assert!(p.is_none());
        assert_eq!((d[0].code, d[0].line, d[0].column), ("E003", 3, 1));
    }
}
