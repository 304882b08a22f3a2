//! The narrative pages from `content/`: markdown rendered and cleaned, with each shortcode
//! replaced by its partial (a matrix, gaps, a chart or a need table of one region and year).

use super::context::{NavLink, base_context};
use super::templates::Templates;
use super::views::need_view;
use super::{PageJob, SiteInput, charts, markdown, shortcodes};
use crate::analyse;
use crate::diag::Diagnostic;
use crate::model::{Dataset, Framework, Region};

pub(super) fn content_page(
    input: &SiteInput,
    fw: &Framework,
    tera: &Templates,
    page: &crate::model::Page,
    nav: &[NavLink],
) -> Result<PageJob, Vec<Diagnostic>> {
    let ds = input.dataset;
    let path = format!("{}/index.html", page.slug);
    let root = super::root_prefix(&path);
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
        let mut ctx = base_context(input, &path, nav);
        ctx.insert("matrix", &*m);
        ctx.insert("gaps", &analyse::gap_sentences(fw, &m));
        let counts = analyse::category_counts(fw, &m);
        let chart_id = format!("chart-{}-{year}-{}", region.id.value, rendered.len());
        ctx.insert(
            "chart",
            &charts::stacked_bar(
                fw,
                &counts,
                &chart_id,
                &format!("Ratings by category, {} {year}", region.name.value),
            ),
        );
        if code.kind == "need" {
            let Some(need) = need_view(&region.name.value, fw, region.population.as_ref(), &counts)
            else {
                errors.push(need_without_figures(ds, &page.source.path, code, region));
                continue;
            };
            ctx.insert("need", &need);
            ctx.insert(
                "need_id",
                &format!("{}-{}", region.id.value, rendered.len()),
            );
        }
        ctx.insert("counts", &counts);
        ctx.insert("root", &root);
        let template = format!("partials/{}.html", code.kind);
        match tera.render(&template, &ctx) {
            Ok(fragment) => rendered.push(fragment),
            Err(e) => errors.push(super::templates::template_error(tera, &template, &path, &e)),
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
    let mut ctx = base_context(input, &path, nav);
    ctx.insert("title", &page.front.title.value);
    ctx.insert(
        "description",
        &page.front.description.as_ref().map(|d| d.value.as_str()),
    );
    ctx.insert("contents", &super::wayfinding::contents(&html));
    ctx.insert("content", &shortcodes::insert(&html, &rendered));
    let template = page
        .front
        .template
        .as_ref()
        .map(|t| t.value.clone())
        .unwrap_or_else(|| "page.html".into());
    Ok(PageJob {
        path,
        template,
        context: ctx,
    })
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
