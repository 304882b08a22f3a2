//! Live data inside narrative pages. A line holding only `{{ matrix(region="x", year=2022) }}`,
//! `{{ gaps(...) }}` or `{{ chart(...) }}` is replaced by that view, rendered from the data.
//!
//! In: a page with the shortcodes `load` read in it. Out: the
//! Markdown with a placeholder for each, the region and year each one shows (or an E053
//! at the argument that names nothing), and the HTML with the views in place. Shortcodes
//! are expanded after the markdown is sanitised, from our own templates, so a page's text
//! is never run as a template.

use crate::diag::{Diagnostic, nearest};
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
/// such data.
pub fn resolve<'a>(
    ds: &'a Dataset,
    published: &dyn Fn(&Region) -> Vec<u16>,
    file: &str,
    code: &Shortcode,
    errors: &mut Vec<Diagnostic>,
) -> Option<(&'a Region, u16)> {
    find(ds, published, file, code)
        .map_err(|e| errors.push(*e))
        .ok()
}

fn find<'a>(
    ds: &'a Dataset,
    published: &dyn Fn(&Region) -> Vec<u16>,
    file: &str,
    code: &Shortcode,
) -> Result<(&'a Region, u16), Box<Diagnostic>> {
    let region_id = code.region.value.as_str();
    let Some(region) = ds.region(region_id) else {
        let ids = ds.regions().iter().map(|r| r.value.id.value.as_str());
        let help = match nearest(region_id, ids.clone()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => "use a region id from scoping-data/regions/".to_string(),
        };
        return Err(Box::new(
            Diagnostic::error(
                "E053",
                file,
                format!(
                    "the `{}` shortcode names the unknown region `{region_id}`",
                    code.kind
                ),
            )
            .at_value(&code.region, region_id.chars().count())
            .expected(format!("one of {}", ids.collect::<Vec<_>>().join(", ")))
            .help(help),
        ));
    };
    // A year the site leaves out (`publish_unconfirmed: false`) is not shown here either.
    let years = published(region);
    let listed = years
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let Some(given) = &code.year else {
        return match years.last() {
            Some(latest) => Ok((region, *latest)),
            None => Err(Box::new(
                Diagnostic::error(
                    "E053",
                    file,
                    format!(
                        "the `{}` shortcode names `{region_id}`, which has no returns",
                        code.kind
                    ),
                )
                .at(code.line, code.column, 2)
                .help("add the region's returns, or name a region that has some"),
            )),
        };
    };
    match years.iter().find(|y| u64::from(**y) == given.value) {
        Some(year) => Ok((region, *year)),
        None => Err(Box::new(
            Diagnostic::error(
                "E053",
                file,
                format!(
                    "the `{}` shortcode names the year {}, which has no returns for `{region_id}`",
                    code.kind, given.value
                ),
            )
            .at_value(given, given.value.to_string().len())
            .expected(if listed.is_empty() {
                "a year with returns (this region has none)".to_string()
            } else {
                format!("one of {listed}")
            })
            .help("use a year that has returns, or leave `year` out to show the latest"),
        )),
    }
}
