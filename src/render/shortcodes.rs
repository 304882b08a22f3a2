//! Live data inside narrative pages. A line holding only `{{ matrix(region="x", year=2022) }}`,
//! `{{ gaps(...) }}` or `{{ chart(...) }}` is replaced by that view, rendered from the data.
//!
//! In: a page with the shortcodes `load` read in it. Out: the
//! Markdown with a placeholder for each, the region and year each one shows (or an E053
//! at the argument that names nothing), and the HTML with the views in place. Shortcodes
//! are expanded after the markdown is sanitised, from our own templates, so a page's text
//! is never run as a template.

use crate::diag::Diagnostic;
use crate::model::Page;
use crate::model::Shortcode;
use crate::model::{Dataset, Region};

/// The body with each shortcode's line swapped for a placeholder paragraph, and the codes.
pub fn extract(page: &Page) -> (String, &[Shortcode]) {
    let mut text = String::with_capacity(page.body.len());
    let mut from = 0;
    for (i, code) in page.shortcodes.iter().enumerate() {
        text.push_str(&page.body[from..code.range.start]);
        text.push_str(&format!("\n\nSCOPEMAP-SHORTCODE-{i}\n\n"));
        from = code.range.end;
    }
    text.push_str(&page.body[from..]);
    (text, &page.shortcodes)
}

/// Put rendered views where the placeholders ended up in the sanitised HTML.
pub fn insert(html: &str, rendered: &[String]) -> String {
    let mut out = html.to_string();
    for (i, fragment) in rendered.iter().enumerate() {
        out = out.replace(&format!("<p>SCOPEMAP-SHORTCODE-{i}</p>"), fragment);
    }
    out
}

/// The region and year a shortcode shows: the year given, or the region's latest of the
/// years the site publishes (`published`); `None` with an E053 in `errors` when there is no
/// such data. `validate` runs the same rule over every year with returns.
pub fn resolve<'a>(
    ds: &'a Dataset,
    published: &dyn Fn(&Region) -> Vec<u16>,
    file: &str,
    code: &Shortcode,
    errors: &mut Vec<Diagnostic>,
) -> Option<(&'a Region, u16)> {
    crate::analyse::shortcode_target(ds, published, file, code)
        .map_err(|e| errors.push(*e))
        .ok()
}
