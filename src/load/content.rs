//! Reading narrative content: `content/**/*.md` with YAML front matter.
//!
//! In: the site root. Out: every page, drafts included (front matter, Markdown body and its
//! shortcodes, not yet rendered), and diagnostics for pages whose front matter is missing
//! or does not parse and for malformed shortcodes. What the pages may be called and hold is
//! checked by `validate`; rendering the Markdown is the render stage's job.

use super::shortcodes;
use super::{parse_file, read_text};
use crate::diag::Diagnostic;
use crate::model::{FrontMatter, Page, SourceFile};
use std::path::Path;
use walkdir::WalkDir;

/// The folder under the root that holds the narrative pages.
pub const CONTENT_DIR: &str = "content";

/// Load every page, drafts included, sorted by slug.
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
        if let Some(page) = parse_page(source, rel_str.trim_end_matches(".md"), diagnostics) {
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
    let in_report = slug.starts_with("reports/");
    let shortcodes = shortcodes::scan(&source.path, &body, body_line, in_report, diagnostics);
    Some(Page {
        slug: slug.to_string(),
        front,
        body,
        body_line,
        shortcodes,
        source,
    })
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
