//! The narrative pages from `content/`: markdown rendered and cleaned, with each shortcode
//! replaced by its partial (a matrix, gaps, a chart or a need table of one region and year).

use super::context::{Base, NavLink, base_context};
use super::templates::Templates;
use super::views::{NeedView, need_view};
use super::{PageJob, SiteInput, charts, markdown, shortcodes};
use crate::analyse::{self, Matrix};
use crate::diag::Diagnostic;
use crate::model::{Dataset, Framework, Region};
use serde::Serialize;

/// What `page.html` (or the page's own `template`) receives.
#[derive(Serialize)]
struct PageContext<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    /// The page's `title`.
    title: &'a str,
    /// The page's `description`, or `None`.
    description: Option<&'a str>,
    /// The page's second-level headings as `(id, text)`, the text safe HTML.
    contents: Vec<(String, String)>,
    /// The page's body as safe HTML, with its shortcodes replaced by their views.
    content: String,
}

/// What the partial of a shortcode (`partials/matrix.html`, `gaps.html`, `chart.html` or
/// `need.html`) receives, for one region and year.
#[derive(Serialize)]
struct ShortcodeContext<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    /// The provision matrix of the region and year.
    matrix: &'a Matrix,
    /// The gap sentences, worst first.
    gaps: Vec<analyse::GapSentence>,
    /// The SVG ratings chart (safe HTML).
    chart: String,
    /// One count per column of the matrix.
    counts: &'a [analyse::CategoryCount],
    /// For the `need` shortcode only: need and targets for the region.
    #[serde(skip_serializing_if = "Option::is_none")]
    need: Option<NeedView>,
    /// For the `need` shortcode only: a word unique on the page, for the table's caption.
    #[serde(skip_serializing_if = "Option::is_none")]
    need_id: Option<String>,
}

pub(super) fn content_page(
    input: &SiteInput,
    fw: &Framework,
    tera: &Templates,
    page: &crate::model::Page,
    nav: &[NavLink],
) -> Result<PageJob, Vec<Diagnostic>> {
    let ds = input.dataset;
    let path = format!("{}/index.html", page.slug);
    let (text, codes) = shortcodes::extract(page);
    let html = markdown::to_html(&text);
    let mut rendered = Vec::new();
    let mut errors = Vec::new();
    for code in codes {
        let published = |region: &Region| input.years(region).to_vec();
        let Some((region, year)) =
            shortcodes::resolve(ds, &published, &page.source.path, code, &mut errors)
        else {
            continue;
        };
        let m = input.matrix(fw, region, year);
        let counts = analyse::category_counts(fw, &m);
        let chart_id = format!("chart-{}-{year}-{}", region.id.value, rendered.len());
        let (need, need_id) = if code.kind == "need" {
            let Some(need) = need_view(&region.name.value, fw, region.population.as_ref(), &counts)
            else {
                errors.push(need_without_figures(ds, &page.source.path, code, region));
                continue;
            };
            let need_id = format!("{}-{}", region.id.value, rendered.len());
            (Some(need), Some(need_id))
        } else {
            (None, None)
        };
        let ctx = ShortcodeContext {
            base: base_context(input, &path, nav),
            matrix: &m,
            gaps: analyse::gap_sentences(fw, &m),
            chart: charts::stacked_bar(
                fw,
                &counts,
                &chart_id,
                &format!("Ratings by category, {} {year}", region.name.value),
            ),
            counts: &counts,
            need,
            need_id,
        };
        let template = format!("partials/{}.html", code.kind);
        let rendering = super::template_context(&path, &template, &ctx).and_then(|ctx| {
            tera.render(&template, &ctx)
                .map_err(|e| vec![super::templates::template_error(tera, &template, &path, &e)])
        });
        match rendering {
            Ok(fragment) => rendered.push(fragment),
            Err(e) => errors.extend(e),
        }
    }
    if let Some(named) = &page.front.template {
        errors.extend(super::templates::check_named(
            tera,
            &page.source.path,
            named,
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let ctx = PageContext {
        base: base_context(input, &path, nav),
        title: &page.front.title.value,
        description: page.front.description.as_ref().map(|d| d.value.as_str()),
        contents: super::wayfinding::contents(&html),
        content: shortcodes::insert(&html, &rendered),
    };
    let template = page
        .front
        .template
        .as_ref()
        .map(|t| t.value.clone())
        .unwrap_or_else(|| "page.html".into());
    PageJob::new(path, template, &ctx)
}

/// E210: a `need` shortcode for a region with no population figures, or in a framework
/// with no need model, has nothing to show.
fn need_without_figures(
    ds: &Dataset,
    file: &str,
    code: &crate::model::Shortcode,
    region: &Region,
) -> Diagnostic {
    let (missing, help) = if ds.framework().is_some_and(|f| f.need_model.is_none()) {
        (
            "framework.yaml has no `need_model`".to_string(),
            "add `need_model:` to scoping-data/framework.yaml, or remove the shortcode",
        )
    } else {
        (
            format!("the region `{}` has no `population`", region.id.value),
            "add `population:` to the region's file, or remove the shortcode",
        )
    };
    Diagnostic::error(
        "E210",
        file,
        format!("the `need` shortcode has no figures to show: {missing}"),
    )
    .at_value(&code.region, code.region.value.chars().count())
    .help(help)
}
