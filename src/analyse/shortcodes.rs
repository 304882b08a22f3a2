//! Where a narrative page's shortcode points: the region it names and the year it shows.
//!
//! In: the dataset, the years published for each region, and one shortcode. Out: the
//! region and year, or an E053 at the argument that names nothing. `validate` asks with
//! every year that has returns; `render` with the years its audience publishes.

use crate::diag::{Diagnostic, nearest};
use crate::model::{Dataset, Region, Shortcode};

/// The region and year `code` shows: the year given, or the latest of `published` for the
/// region; an E053 naming the unknown region or the year without returns otherwise.
pub fn shortcode_target<'a>(
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
