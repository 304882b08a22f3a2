//! The rules of narrative pages: what they may be called, where report sections sit, which
//! data blocks they may include, that each shortcode names a region and a year with data,
//! and no direction controls in their text.
//!
//! In: the pages as loaded and the dataset their shortcodes point into. Out: diagnostics.

mod direction;

use super::common::check_id;
use crate::analyse::{region_years, shortcode_target};
use crate::diag::Diagnostic;
use crate::model::{Dataset, Region};
use crate::model::{Page, REPORT_BLOCKS, RESERVED, Spanned};

/// Check every page.
pub fn check(pages: &[Page], ds: &Dataset, diagnostics: &mut Vec<Diagnostic>) {
    let with_returns = |region: &Region| region_years(ds, &region.id.value);
    for page in pages {
        check_page(page, diagnostics);
        for code in &page.shortcodes {
            if let Err(e) = shortcode_target(ds, &with_returns, &page.source.path, code) {
                diagnostics.push(*e);
            }
        }
    }
}

fn check_page(page: &Page, diagnostics: &mut Vec<Diagnostic>) {
    let path = &page.source.path;
    let first = page.slug.split('/').next().unwrap_or("");
    if RESERVED.contains(&first) {
        diagnostics.push(
            Diagnostic::error(
                "E054",
                path,
                format!("the page name `{first}` is used by scopemap's own pages"),
            )
            .at(1, 1, 3)
            .expected(format!("a name other than {}", RESERVED.join(", ")))
            .help("rename the file, e.g. `about-the-directory.md`"),
        );
        return;
    }
    for part in page.slug.split('/') {
        check_id(
            path,
            &Spanned {
                value: part.to_string(),
                line: 0,
                column: 0,
            },
            "page file name",
            diagnostics,
        );
    }
    direction::check(path, &page.body, page.body_line, diagnostics);
    if page.slug.starts_with("reports/") && page.report_section().is_none() {
        diagnostics.push(
            Diagnostic::error(
                "E055",
                path,
                "a report section must sit at content/reports/<year>/<region>/<name>.md",
            )
            .at(1, 1, 3)
            .help("move the file into the folder of its year and region"),
        );
        return;
    }
    for block in &page.front.includes {
        if page.report_section().is_none() || !REPORT_BLOCKS.contains(&block.value.as_str()) {
            diagnostics.push(
                Diagnostic::error(
                    "E056",
                    path,
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
}
