//! The annual report: one printable page per region and year, shaped like the 2022 reports.
//! Numbered sections come from the region's narrative (`content/reports/<year>/<region>/`)
//! with generated blocks — returns received, the provision matrix, services by type —
//! placed where the narrative asks, so the report and the site never disagree.

use super::context::{Base, base_context, ratings_date};
use super::templates::Templates;
use super::{LazyJob, PageJob, SiteInput, charts, lazy, markdown};
use crate::analyse;
use crate::diag::Diagnostic;
use crate::model::{Framework, Region};
use crate::model::{Page, REPORT_BLOCKS};
use serde::Serialize;

pub(super) mod blocks;
mod sections;

/// What `report.html` receives: a region's report for one year.
#[derive(Serialize)]
struct ReportContext<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    /// `"A"`, the prefix of what the site adds, in a re-presentation; else `None`.
    added_prefix: Option<&'static str>,
    /// In a re-presentation, the source's numbered items and what became of each.
    source_items: Vec<SourceItem>,
    /// The region the report is for.
    region: RegionName<'a>,
    /// The year the report is for.
    year: u16,
    /// The report's sections in order, each rendered to safe HTML.
    sections: Vec<Section>,
    /// The report file's document control, or `None` without a report file.
    document: Option<&'a crate::model::DocumentControl>,
    /// The report's title.
    report_title: String,
    /// What the report re-presents, or `None`.
    re_presented: Option<&'a str>,
    /// The date of the ratings as the page shows it, or `None` without a report file.
    data_as_of: Option<String>,
    /// Whether every page is marked DRAFT.
    draft: bool,
    /// The running header of the printed pages, as a CSS string.
    running_header: String,
}

/// A region's id and name.
#[derive(Serialize)]
struct RegionName<'a> {
    id: &'a str,
    name: &'a str,
}

/// One section of a report.
#[derive(Serialize)]
struct Section {
    number: String,
    level: usize,
    added: bool,
    id: String,
    title: String,
    html: String,
}

/// Counters for the numbered tables and figures a report makes itself; in a
/// re-presentation they are numbered apart from the source's (A1, A2 …).
#[derive(Default)]
struct Numbers {
    prefix: &'static str,
    table: usize,
    figure: usize,
}

impl Numbers {
    fn next_table(&mut self) -> String {
        self.table += 1;
        format!("{}{}", self.prefix, self.table)
    }
    fn next_figure(&mut self) -> String {
        self.figure += 1;
        format!("{}{}", self.prefix, self.figure)
    }
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

/// Above this many entries (a service counts once for each of its types), the latest
/// report names its services instead of describing each in full: about 750 bytes an entry.
const REPORT_ENTRIES_LIMIT: usize = 300;

pub fn report_jobs<'a>(
    input: &'a SiteInput,
    fw: &'a Framework,
    tera: &'a Templates,
    shared: &'a super::views::Shared,
) -> Vec<LazyJob<'a>> {
    let ds = input.dataset;
    let mut jobs = Vec::new();
    for region in ds.regions().iter().map(|r| &r.value) {
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
    shared: &super::views::Shared,
    region: &Region,
    year: u16,
) -> Result<PageJob, Vec<Diagnostic>> {
    let ds = input.dataset;
    let nav = &shared.nav;
    let path = format!("regions/{}/{year}/report/index.html", region.id.value);
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
    let report = ds.report(year, &region.id.value);
    // Changes need a previous year. Need figures need population data and a need model
    // published by the report's year: a model from a later document is not read back into
    // an earlier report. Without them the blocks are left out, wherever the narrative
    // asked for them.
    let previous = input
        .years(region)
        .iter()
        .copied()
        .filter(|y| *y < year)
        .max();
    let need_available = fw
        .need_model
        .as_ref()
        .is_some_and(|n| n.published.as_ref().is_none_or(|p| p.value <= year))
        && region.population.is_some();
    let available = |block: &str| match block {
        "changes" => previous.is_some(),
        "need" => need_available,
        _ => true,
    };
    let placed = sections::place(&narrative, report, &available)?;
    let source = report.filter(|r| r.re_presents_source());

    let m = input.matrix(fw, region, year);
    let counts = input.counts(fw, region, year);
    let gaps = input.gaps(fw, region, year);
    let (returns_rows, not_listed) = analyse::returns_table(&m);
    let mut numbers = Numbers {
        prefix: if source.is_some() {
            sections::ADDED
        } else {
            ""
        },
        ..Numbers::default()
    };
    let mut sections = Vec::new();
    let mut errors = Vec::new();
    for sections::Placement {
        number,
        level,
        added,
        name,
        title,
        includes,
        page,
    } in &placed
    {
        let mut html = page.map(|p| markdown::to_html(&p.body)).unwrap_or_default();
        for block in includes
            .iter()
            .filter(|b| REPORT_BLOCKS.contains(&b.as_str()))
        {
            let template = format!("partials/report_{block}.html");
            // A table the source printed keeps its number and caption.
            let reproduced = source.and_then(|r| r.table_reproduced_by(block));
            let common = blocks::Block {
                base: base_context(input, &path, nav),
                section: number,
                re_presentation: source.is_some(),
                source_caption: reproduced.map(|t| t.title.value.clone()),
            };
            let mut table_number = || match reproduced {
                Some(t) => t.number.value.to_string(),
                None => numbers.next_table(),
            };
            let fragment = match block.as_str() {
                "returns" => {
                    let ctx = blocks::ReturnsBlock {
                        block: common,
                        table_number: table_number(),
                        matrix: &m,
                        returns_rows: &returns_rows,
                        not_listed: &not_listed,
                        report: ds
                            .report(year, &region.id.value)
                            .and_then(|r| r.forms_sent.as_ref().map(|f| f.value.clone())),
                    };
                    blocks::render(tera, &template, &path, &ctx)
                }
                "provision" => {
                    let table_number = table_number();
                    let counts_table_number = numbers.next_table();
                    let figure = numbers.next_figure();
                    let chart_title = format!(
                        "Figure {figure} – ratings by category, {} {year}",
                        region.name.value
                    );
                    let ctx = blocks::ProvisionBlock {
                        block: common,
                        table_number,
                        counts_table_number,
                        chart: charts::stacked_bar(
                            fw,
                            &counts,
                            &format!("report-chart-{}", crate::model::id::slug(number)),
                            &chart_title,
                        ),
                        figure_number: figure,
                        matrix: &m,
                        counts: &counts,
                        gaps: &gaps,
                    };
                    blocks::render(tera, &template, &path, &ctx)
                }
                "changes" => {
                    let before = previous.map(|p| input.matrix(fw, region, p));
                    let ctx = blocks::ChangesBlock {
                        block: common,
                        table_number: table_number(),
                        changes: before.map(|b| analyse::change_matrix(region, &b, &m)),
                    };
                    blocks::render(tera, &template, &path, &ctx)
                }
                "need" => {
                    let ctx = blocks::NeedBlock {
                        block: common,
                        table_number: table_number(),
                        need: super::views::need_view(
                            &region.name.value,
                            fw,
                            region.population.as_ref(),
                            &counts,
                        ),
                    };
                    blocks::render(tera, &template, &path, &ctx)
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
                    let mut by_category = Vec::new();
                    let uncategorised: Vec<&crate::model::Service> = input
                        .region_services(region)
                        .into_iter()
                        .filter(|s| s.categories.is_empty())
                        .collect();
                    let groups: Vec<(&str, &str, Vec<&crate::model::Service>)> = m
                        .columns
                        .iter()
                        .map(|col| {
                            let services = input.category_services(&col.id, region);
                            (col.id.as_str(), col.name.as_str(), services)
                        })
                        .chain((!uncategorised.is_empty()).then_some((
                            "other",
                            "Other services, none of the rated categories",
                            uncategorised,
                        )))
                        .collect();
                    // A region with hundreds of services would make a report of megabytes:
                    // its services are then named, each linking to its directory entry.
                    let entries_count: usize = groups.iter().map(|g| g.2.len()).sum();
                    let too_many = entries_count > REPORT_ENTRIES_LIMIT;
                    let full = latest == Some(year) && !too_many;
                    for (id, name, services) in groups {
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
                    let ctx = blocks::ServicesBlock {
                        block: common,
                        full_entries: full,
                        too_many_entries: latest == Some(year) && too_many,
                        latest_year: latest,
                        region_id: &region.id.value,
                        categories: by_category,
                    };
                    blocks::render(tera, &template, &path, &ctx)
                }
            };
            match fragment {
                Ok(fragment) => html.push_str(&fragment),
                Err(e) => errors.extend(e),
            }
        }
        sections.push(Section {
            number: number.clone(),
            level: *level,
            added: *added,
            id: format!("section-{}", crate::model::id::slug(name)),
            title: title.clone(),
            html,
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // A re-presented document's ratings date is printed as its source gives it ("May
    // 2022"), never with a day the source does not state.
    let re_presented = report.and_then(|r| r.re_presented.as_ref());
    let draft = report.is_none_or(|r| {
        r.document
            .status
            .as_ref()
            .is_some_and(|s| s.value == "draft")
    });
    let ctx = ReportContext {
        base: base_context(input, &path, nav),
        added_prefix: source.map(|_| sections::ADDED),
        source_items: source.map(|r| source_items(r, &placed)).unwrap_or_default(),
        region: RegionName {
            id: &region.id.value,
            name: &region.name.value,
        },
        year,
        sections,
        document: report.map(|r| &r.document),
        report_title: report.map(|r| r.title.value.clone()).unwrap_or_else(|| {
            format!(
                "Scoping of services for families from conception to age five: {}, {year}",
                region.name.value
            )
        }),
        re_presented: re_presented.map(|c| c.value.as_str()),
        data_as_of: report.map(ratings_date),
        draft,
        running_header: css_string(&format!("{} · {year}", region.name.value)),
    };
    PageJob::new(path, "report.html", &ctx)
}

/// One numbered item of the source — a figure, table or text box, or a numbered section
/// the re-presentation leaves out — and what became of it.
#[derive(Serialize)]
struct SourceItem {
    kind: &'static str,
    number: String,
    title: String,
    /// What became of it: where it is reproduced, or the file's note, or "Not reproduced."
    note: String,
}

fn source_items(r: &crate::model::Report, placed: &[sections::Placement]) -> Vec<SourceItem> {
    let showing = |block: &str| {
        placed
            .iter()
            .find(|p| p.includes.iter().any(|b| b == block))
            .map(|p| p.number.clone())
    };
    let mut items = Vec::new();
    let kinds = [
        ("Figure", &r.figures),
        ("Table", &r.tables),
        ("Text box", &r.text_boxes),
    ];
    for (kind, captions) in kinds {
        for c in captions {
            let shown_in = c.reproduced_by.as_ref().and_then(|b| showing(&b.value));
            let note = match (&shown_in, &c.note) {
                (Some(at), note) => format!(
                    "Reproduced from the returns in section {at}.{}",
                    note.as_ref()
                        .map(|n| format!(" {}", n.value))
                        .unwrap_or_default()
                ),
                (None, Some(n)) => n.value.clone(),
                (None, None) => "Not reproduced.".to_string(),
            };
            items.push(SourceItem {
                kind,
                number: c.number.value.to_string(),
                title: c.title.value.clone(),
                note,
            });
        }
    }
    for entry in &r.outline {
        let Some(number) = &entry.number else {
            continue;
        };
        if !placed.iter().any(|p| !p.added && p.number == number.value) {
            items.push(SourceItem {
                kind: "Section",
                number: number.value.clone(),
                title: entry.title.value.clone(),
                note: "Not re-presented.".to_string(),
            });
        }
    }
    items
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
