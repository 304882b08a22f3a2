//! The annual report: one printable page per region and year, shaped like the 2022 reports.
//! Numbered sections come from the region's narrative (`content/reports/<year>/<region>/`)
//! with generated blocks — returns received, the provision matrix, services by type —
//! placed where the narrative asks, so the report and the site never disagree.

use super::context::{base_context, long_date};
use super::templates::Templates;
use super::{LazyJob, PageJob, SiteInput, charts, lazy, markdown};
use crate::analyse;
use crate::content::{Page, REPORT_BLOCKS};
use crate::diag::Diagnostic;
use crate::model::{Framework, Region};
use serde::Serialize;

#[derive(Serialize)]
struct Section {
    number: usize,
    id: String,
    title: String,
    html: String,
}

/// Counters for the numbered tables and figures of one document.
#[derive(Default)]
struct Numbers {
    table: usize,
    figure: usize,
}

impl Numbers {
    fn next_table(&mut self) -> usize {
        self.table += 1;
        self.table
    }
    fn next_figure(&mut self) -> usize {
        self.figure += 1;
        self.figure
    }
}

/// A section of the report: narrative (if any) and the generated blocks it ends with.
struct Placement<'a> {
    order: i32,
    name: String,
    title: String,
    includes: Vec<String>,
    page: Option<&'a Page>,
}

#[derive(Serialize)]
struct CategoryServices<'a> {
    id: String,
    name: String,
    /// Each service's entry (`partials/report_service.html`), rendered for this report;
    /// only in the report for the region's latest year.
    entries: Vec<tera::Value>,
    /// Every service of the type, by id and name, for the reports of earlier years.
    names: Vec<(&'a str, &'a str)>,
}

pub fn report_jobs<'a>(
    input: &'a SiteInput,
    fw: &'a Framework,
    tera: &'a Templates,
    shared: &'a super::pages::Shared,
) -> Vec<LazyJob<'a>> {
    let ds = input.dataset;
    let mut jobs = Vec::new();
    for region in ds.regions.iter().map(|r| &r.value) {
        let years = input.years(region).to_vec();
        for &year in &years {
            let path = format!("regions/{}/{year}/report/index.html", region.id.value);
            let mut deps = super::pages::region_year_deps(region, year, &years);
            deps.push(super::Dep::Narrative(year, &region.id.value));
            jobs.push(lazy(path, deps, move || {
                report_job(input, fw, tera, shared, region, year)
            }));
        }
    }
    jobs
}

fn report_job(
    input: &SiteInput,
    fw: &Framework,
    tera: &Templates,
    shared: &super::pages::Shared,
    region: &Region,
    year: u16,
) -> Result<PageJob, Vec<Diagnostic>> {
    let ds = input.dataset;
    let nav = &shared.nav;
    let path = format!("regions/{}/{year}/report/index.html", region.id.value);
    let root = super::root_prefix(&path);
    let mut narrative: Vec<&Page> = input
        .pages
        .iter()
        .filter(|p| p.report_section() == Some((year, region.id.value.as_str())))
        .collect();
    narrative.sort_by_key(|p| {
        (
            p.front.order.as_ref().map(|o| o.value).unwrap_or(i32::MAX),
            p.slug.clone(),
        )
    });

    // Which section each block goes in: the narrative's choice, else a section of its own.
    let mut placed: Vec<Placement> = narrative
        .iter()
        .map(|p| Placement {
            order: p.front.order.as_ref().map(|o| o.value).unwrap_or(i32::MAX),
            name: p.slug.rsplit('/').next().unwrap_or("section").to_string(),
            title: p.front.title.value.clone(),
            includes: p.front.includes.iter().map(|b| b.value.clone()).collect(),
            page: Some(*p),
        })
        .collect();
    // Changes need a previous year and need figures need population data; without them
    // the blocks are left out, wherever the narrative asked for them.
    let previous = input
        .years(region)
        .iter()
        .copied()
        .filter(|y| *y < year)
        .max();
    let need_available = fw.need_model.is_some() && region.population.is_some();
    let available = |block: &str| match block {
        "changes" => previous.is_some(),
        "need" => need_available,
        _ => true,
    };
    for p in &mut placed {
        p.includes.retain(|b| available(b));
    }
    let default_titles = [
        ("returns", 55, "Returns received"),
        ("provision", 65, "Overview of service provision"),
        ("changes", 66, "Changes since the previous year"),
        ("need", 67, "Need and targets"),
        ("services", 75, "Services by type"),
    ];
    for (block, order, title) in default_titles {
        if available(block) && !placed.iter().any(|p| p.includes.iter().any(|b| b == block)) {
            placed.push(Placement {
                order,
                name: block.to_string(),
                title: title.to_string(),
                includes: vec![block.to_string()],
                page: None,
            });
        }
    }
    placed.sort_by_key(|p| (p.order, p.name.clone()));

    let m = input.matrix(fw, region, year);
    let counts = input.counts(fw, region, year);
    let gaps = input.gaps(fw, region, year);
    let (returns_rows, not_listed) = analyse::returns_table(&m);
    let mut numbers = Numbers::default();
    let mut sections = Vec::new();
    let mut errors = Vec::new();
    for (
        i,
        Placement {
            name,
            title,
            includes,
            page,
            ..
        },
    ) in placed.iter().enumerate()
    {
        let number = i + 1;
        let mut html = page.map(|p| markdown::to_html(&p.body)).unwrap_or_default();
        for block in includes
            .iter()
            .filter(|b| REPORT_BLOCKS.contains(&b.as_str()))
        {
            let mut ctx = base_context(input, &path, nav);
            ctx.insert("root", &root);
            if matches!(block.as_str(), "returns" | "provision") {
                ctx.insert("matrix", &*m);
            }
            ctx.insert("section", &number);
            let template = format!("partials/report_{block}.html");
            match block.as_str() {
                "returns" => {
                    ctx.insert("table_number", &numbers.next_table());
                    ctx.insert("returns_rows", &returns_rows);
                    ctx.insert("not_listed", &not_listed);
                    ctx.insert(
                        "report",
                        &ds.report(year, &region.id.value)
                            .map(|r| r.forms_sent.as_ref().map(|f| f.value.clone())),
                    );
                }
                "provision" => {
                    ctx.insert("table_number", &numbers.next_table());
                    ctx.insert("counts_table_number", &numbers.next_table());
                    let figure = numbers.next_figure();
                    ctx.insert("figure_number", &figure);
                    ctx.insert("counts", &*counts);
                    ctx.insert("gaps", &*gaps);
                    let chart_title = format!(
                        "Figure {figure} – ratings by category, {} {year}",
                        region.name.value
                    );
                    ctx.insert(
                        "chart",
                        &charts::stacked_bar(
                            fw,
                            &counts,
                            &format!("report-chart-{number}"),
                            &chart_title,
                        ),
                    );
                }
                "changes" => {
                    ctx.insert("table_number", &numbers.next_table());
                    let before = previous.map(|p| input.matrix(fw, region, p));
                    ctx.insert(
                        "changes",
                        &before.map(|b| analyse::change_matrix(region, &b, &m)),
                    );
                }
                "need" => {
                    ctx.insert("table_number", &numbers.next_table());
                    ctx.insert(
                        "need",
                        &super::pages::need_view(
                            &region.name.value,
                            fw,
                            region.population.as_ref(),
                            &counts,
                        ),
                    );
                }
                _ => {
                    // The directory describes services as they are now, so the full
                    // entries belong in the latest published report (the latest year with
                    // a report file, else the latest year); the others name them and
                    // point there. A year still being collected does not take them over.
                    let years = input.years(region);
                    let latest = years
                        .iter()
                        .rev()
                        .find(|y| ds.report(**y, &region.id.value).is_some())
                        .or(years.last())
                        .copied();
                    let full = latest == Some(year);
                    ctx.insert("full_entries", &full);
                    ctx.insert("latest_year", &latest);
                    ctx.insert("region_id", &region.id.value);
                    let mut by_category = Vec::new();
                    let uncategorised: Vec<&crate::model::Service> = input
                        .region_services(region)
                        .into_iter()
                        .filter(|s| s.categories.is_empty())
                        .collect();
                    let groups = m
                        .columns
                        .iter()
                        .map(|col| (col.id.as_str(), col.name.as_str(), None))
                        .chain((!uncategorised.is_empty()).then_some((
                            "other",
                            "Other services, none of the rated categories",
                            Some(uncategorised),
                        )));
                    for (id, name, listed) in groups {
                        let services =
                            listed.unwrap_or_else(|| input.category_services(id, region));
                        let entries = if full {
                            shared.cards.report_entries(
                                ds,
                                fw,
                                tera,
                                &path,
                                &services,
                                &shared.descriptions,
                            )?
                        } else {
                            Vec::new()
                        };
                        by_category.push(CategoryServices {
                            id: id.to_string(),
                            name: name.to_string(),
                            entries,
                            names: services
                                .iter()
                                .map(|s| (s.id.value.as_str(), s.name.value.as_str()))
                                .collect(),
                        });
                    }
                    ctx.insert("categories", &by_category);
                }
            }
            match tera.render(&template, &ctx) {
                Ok(fragment) => html.push_str(&fragment),
                Err(e) => errors.push(super::templates::template_error(tera, &template, &path, &e)),
            }
        }
        sections.push(Section {
            number,
            id: format!("section-{}", crate::validate::common::slugify(name)),
            title: title.clone(),
            html,
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut ctx = base_context(input, &path, nav);
    let report = ds.report(year, &region.id.value);
    ctx.insert(
        "region",
        &serde_json::json!({ "id": region.id.value, "name": region.name.value }),
    );
    ctx.insert("year", &year);
    ctx.insert("sections", &sections);
    ctx.insert("document", &report.map(|r| &r.document));
    ctx.insert(
        "report_title",
        &report.map(|r| r.title.value.clone()).unwrap_or_else(|| {
            format!(
                "Scoping of services for families from conception to age five: {}, {year}",
                region.name.value
            )
        }),
    );
    ctx.insert(
        "data_as_of",
        &report.map(|r| long_date(&r.data_as_of.value)),
    );
    let draft = report.is_none_or(|r| r.document.status.value == "draft");
    ctx.insert("draft", &draft);
    ctx.insert(
        "running_header",
        &css_string(&format!("{} · {year}", region.name.value)),
    );
    Ok(PageJob {
        path,
        template: "report.html".into(),
        context: ctx,
    })
}

/// A CSS string literal that no text can break out of.
fn css_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == ' ' {
            out.push(c);
        } else {
            out.push_str(&format!("\\{:X} ", c as u32));
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn css_strings_escape_everything_but_letters() {
        assert_eq!(
            super::css_string("A\"</style>"),
            "\"A\\22 \\3C \\2F style\\3E \""
        );
    }
}
