//! What the partials of a report's generated blocks receive: one typed context per block
//! (`partials/report_returns.html`, `report_provision.html`, `report_changes.html`,
//! `report_need.html` and `report_services.html`), each with what every block receives.

use super::super::context::Base;
use super::super::templates::Templates;
use super::super::views::NeedView;
use super::CategoryServices;
use crate::analyse::{self, Matrix};
use crate::diag::Diagnostic;
use serde::Serialize;

/// What every block's partial receives.
#[derive(Serialize)]
pub(super) struct Block<'a> {
    #[serde(flatten)]
    pub base: Base<'a>,
    /// The number of the report section the block is in, as printed (`"3"`, `"A1"`).
    pub section: &'a str,
    /// Whether the report re-presents a source document.
    pub re_presentation: bool,
    /// The source's caption of the table the block reprints, or `None`.
    pub source_caption: Option<String>,
}

/// What `partials/report_returns.html` receives: the returns table.
#[derive(Serialize)]
pub(super) struct ReturnsBlock<'a> {
    #[serde(flatten)]
    pub block: Block<'a>,
    /// The table's number as printed.
    pub table_number: String,
    /// The provision matrix of the region and year.
    pub matrix: &'a Matrix,
    /// The returns table as the report prints it.
    pub returns_rows: &'a [analyse::ReturnsRow],
    /// The names of the areas rated but not in the returns table.
    pub not_listed: &'a [String],
    /// When the forms were sent, as the report file states it, or `None`.
    pub report: Option<String>,
}

/// What `partials/report_provision.html` receives: the matrix, the counts and the chart.
#[derive(Serialize)]
pub(super) struct ProvisionBlock<'a> {
    #[serde(flatten)]
    pub block: Block<'a>,
    /// The matrix table's number as printed.
    pub table_number: String,
    /// The number of the table of counts.
    pub counts_table_number: String,
    /// The chart's figure number.
    pub figure_number: String,
    /// The provision matrix of the region and year.
    pub matrix: &'a Matrix,
    /// One count per column of the matrix.
    pub counts: &'a [analyse::CategoryCount],
    /// The gap sentences, worst first.
    pub gaps: &'a [analyse::GapSentence],
    /// The SVG ratings chart (safe HTML).
    pub chart: String,
}

/// What `partials/report_changes.html` receives.
#[derive(Serialize)]
pub(super) struct ChangesBlock<'a> {
    #[serde(flatten)]
    pub block: Block<'a>,
    /// The table's number as printed.
    pub table_number: String,
    /// What changed since the previous year with returns, or `None` in the first year.
    pub changes: Option<analyse::ChangeMatrix>,
}

/// What `partials/report_need.html` receives.
#[derive(Serialize)]
pub(super) struct NeedBlock<'a> {
    #[serde(flatten)]
    pub block: Block<'a>,
    /// The table's number as printed.
    pub table_number: String,
    /// Need and targets for the region, or `None` without population figures.
    pub need: Option<NeedView>,
}

/// What `partials/report_services.html` receives: the region's services by type.
#[derive(Serialize)]
pub(super) struct ServicesBlock<'a> {
    #[serde(flatten)]
    pub block: Block<'a>,
    /// Whether this report carries the services' full entries.
    pub full_entries: bool,
    /// Whether this is the report that would carry them, were there not too many.
    pub too_many_entries: bool,
    /// The year of the report that carries the full entries, and the region's id, for
    /// the link to it.
    pub latest_year: Option<u16>,
    pub region_id: &'a str,
    /// One group per category of the matrix, then the services of none.
    pub categories: Vec<CategoryServices<'a>>,
}

/// A block's partial rendered with its typed context.
pub(super) fn render(
    tera: &Templates,
    template: &str,
    path: &str,
    context: &impl Serialize,
) -> Result<String, Vec<Diagnostic>> {
    let context = super::super::template_context(path, template, context)?;
    tera.render(template, &context).map_err(|e| {
        vec![super::super::templates::template_error(
            tera, template, path, &e,
        )]
    })
}

/// The field names of the contexts of the blocks the shipped site's reports do not show
/// (changes and need), by template, for the test of docs/themes.md.
#[cfg(test)]
pub(in crate::render) fn unexercised_blocks()
-> Vec<(&'static str, std::collections::BTreeSet<String>)> {
    let block = || Block {
        base: Base {
            site: tera::Value::from(""),
            root: String::new(),
            page_path: String::new(),
            nav: &[],
            ratings: tera::Value::from(""),
            audience: tera::Value::from(""),
            report_problem: None,
        },
        section: "1",
        re_presentation: false,
        source_caption: None,
    };
    let names = |value: serde_json::Value| match value {
        serde_json::Value::Object(map) => map.keys().cloned().collect(),
        _ => Default::default(),
    };
    let changes = ChangesBlock {
        block: block(),
        table_number: String::new(),
        changes: None,
    };
    let need = NeedBlock {
        block: block(),
        table_number: String::new(),
        need: None,
    };
    vec![
        (
            "partials/report_changes.html",
            names(serde_json::to_value(&changes).unwrap_or_default()),
        ),
        (
            "partials/report_need.html",
            names(serde_json::to_value(&need).unwrap_or_default()),
        ),
    ]
}
