//! Pages that help people find their way: the lists of regions, areas and types of service
//! that a shortened address leads to (`regions/`, `areas/`, `categories/`), and the
//! accessibility statement, written from the settings in `scopemap.yaml`, and the "page not
//! found" page.
//!
//! In: the site input. Out: page jobs. Each list names what it lists as its own page does,
//! so an area's entry reads the same as the area page's title.

use super::context::{Base, NavLink, base_context, long_date};
use super::views::{RegionLink, region_links};
use super::{Dep, LazyJob, PageJob, SiteInput, lazy};
use crate::diag::Diagnostic;
use crate::model::vocab::SubmissionStatus;
use crate::model::{Area, Framework};
use serde::Serialize;

/// The wayfinding pages of the site.
pub fn jobs<'a>(input: &'a SiteInput, fw: &'a Framework, nav: &'a [NavLink]) -> Vec<LazyJob<'a>> {
    vec![
        lazy("regions/index.html".into(), vec![Dep::AllData], move || {
            regions_index(input, fw, nav)
        }),
        lazy("areas/index.html".into(), vec![Dep::AllData], move || {
            areas_index(input, nav)
        }),
        lazy(
            "categories/index.html".into(),
            vec![Dep::AllData],
            move || categories_index(input, fw, nav),
        ),
        lazy("accessibility/index.html".into(), Vec::new(), move || {
            accessibility_statement(input, nav)
        }),
    ]
}

/// What an area is and when, to tell apart areas that share a name: "(Place, from 2023)",
/// "(CCG area, to 2022)". An area still in use gives the year it started, one no longer in
/// use the last year it was; an area with neither gives its kind alone.
pub fn area_qualifier(area: &Area) -> String {
    let kind = match area.kind.value.as_str() {
        "CCG" => "CCG area",
        other => other,
    };
    match (&area.in_use.from, &area.in_use.until) {
        (_, Some(until)) => format!("{kind}, to {}", until.value),
        (Some(from), None) => format!("{kind}, from {}", from.value),
        (None, None) => kind.to_string(),
    }
}

/// The area's name with what it is and when: the title of its page and its entry in lists.
pub fn area_title(area: &Area) -> String {
    format!("{} ({})", area.name.value, area_qualifier(area))
}

/// Where the links of `404.html` start. A web server shows that page in place of any
/// missing address, at any depth, so they cannot be relative: they start from the full
/// address in `base_url` when it has one (`https://example.org/scoping/`), else from its
/// path (`/scoping/`). The page's script corrects them when the site turns out to be
/// published somewhere else.
pub fn not_found_root(base_url: &str) -> String {
    if base_url.contains("://") {
        format!("{}/", base_url.trim_end_matches('/'))
    } else {
        super::base_path(base_url)
    }
}

/// The second-level headings of rendered HTML, as (id, text as HTML) for an "On this
/// page" list: only headings with an id, in order.
pub fn contents(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("<h2 id=\"") {
        rest = &rest[at + 8..];
        let Some(id_end) = rest.find('"') else { break };
        let id = &rest[..id_end];
        let Some(open_end) = rest.find('>') else {
            break;
        };
        let Some(close) = rest.find("</h2>") else {
            break;
        };
        if close < open_end {
            continue;
        }
        let inner = &rest[open_end + 1..close];
        // The heading's text without its tags (a heading may hold a link or emphasis).
        let mut text = String::new();
        let mut in_tag = false;
        for c in inner.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        out.push((id.to_string(), text.trim().to_string()));
        rest = &rest[close..];
    }
    out
}

/// What `404.html` receives.
#[derive(Serialize)]
struct NotFoundContext<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    /// A region link for every region.
    regions: Vec<RegionLink>,
}

/// The "page not found" page, served for any missing address.
pub(super) fn not_found_page(
    input: &SiteInput,
    nav: &[NavLink],
) -> Result<PageJob, Vec<Diagnostic>> {
    let mut base = base_context(input, "404.html", nav);
    // Served for any missing path, so links start from where the site is published.
    base.root = not_found_root(&input.config.base_url.value);
    let regions = region_links(input);
    PageJob::new("404.html", "404.html", &NotFoundContext { base, regions })
}

/// What `regions.html` receives.
#[derive(Serialize)]
struct RegionsContext<'a, T> {
    #[serde(flatten)]
    base: Base<'a>,
    /// Every region, with its years and its latest year's returns.
    regions: T,
}

/// What `areas.html` receives.
#[derive(Serialize)]
struct AreasContext<'a, T> {
    #[serde(flatten)]
    base: Base<'a>,
    /// One group per region, with its areas in use and its former areas.
    groups: T,
}

/// What `categories.html` receives.
#[derive(Serialize)]
struct CategoriesContext<'a, T> {
    #[serde(flatten)]
    base: Base<'a>,
    /// Every type of service, with each region's latest phrase for it.
    categories: T,
}

/// What `accessibility.html` receives.
#[derive(Serialize)]
struct AccessibilityContext<'a, T> {
    #[serde(flatten)]
    base: Base<'a>,
    /// The accessibility statement, from the settings.
    statement: T,
}

fn regions_index(
    input: &SiteInput,
    fw: &Framework,
    nav: &[NavLink],
) -> Result<PageJob, Vec<Diagnostic>> {
    #[derive(Serialize)]
    struct Entry {
        id: String,
        name: String,
        description: Option<String>,
        years: Vec<u16>,
        /// Areas rated in the latest year, and how many of them returned a form.
        areas: usize,
        returned: usize,
        has_report: bool,
    }
    let path = "regions/index.html";
    let regions: Vec<Entry> = input
        .dataset
        .regions()
        .iter()
        .map(|r| &r.value)
        .map(|region| {
            let years = input.years(region).to_vec();
            let latest = years.last().map(|&y| input.matrix(fw, region, y));
            Entry {
                id: region.id.value.clone(),
                name: region.name.value.clone(),
                description: region.description.as_ref().map(|d| d.value.clone()),
                areas: latest.as_ref().map_or(0, |m| {
                    m.rows
                        .iter()
                        .filter(|r| r.status() != Some(SubmissionStatus::AwaitingReturn))
                        .count()
                }),
                returned: latest.as_ref().map_or(0, |m| {
                    m.rows
                        .iter()
                        .filter(|r| r.status() == Some(SubmissionStatus::Received))
                        .count()
                }),
                has_report: years
                    .last()
                    .is_some_and(|&y| input.dataset.report(y, &region.id.value).is_some()),
                years,
            }
        })
        .collect();
    let base = base_context(input, path, nav);
    PageJob::new(path, "regions.html", &RegionsContext { base, regions })
}

fn areas_index(input: &SiteInput, nav: &[NavLink]) -> Result<PageJob, Vec<Diagnostic>> {
    #[derive(Serialize)]
    struct Entry {
        id: String,
        title: String,
        covers: Vec<String>,
        /// The names of the areas that replaced it, for an area no longer in use.
        now_part_of: Vec<String>,
    }
    #[derive(Serialize)]
    struct Group {
        id: String,
        name: String,
        current: Vec<Entry>,
        former: Vec<Entry>,
    }
    let path = "areas/index.html";
    let groups: Vec<Group> = input
        .dataset
        .regions()
        .iter()
        .map(|r| &r.value)
        .map(|region| {
            let entry = |a: &Area| Entry {
                id: a.id.value.clone(),
                title: area_title(a),
                covers: a.covers.iter().map(|c| c.value.clone()).collect(),
                now_part_of: region
                    .successors_of(&a.id.value)
                    .into_iter()
                    .map(area_title)
                    .collect(),
            };
            let (current, former): (Vec<&Area>, Vec<&Area>) =
                region.areas.iter().partition(|a| a.in_use.until.is_none());
            Group {
                id: region.id.value.clone(),
                name: region.name.value.clone(),
                current: current.into_iter().map(entry).collect(),
                former: former.into_iter().map(entry).collect(),
            }
        })
        .collect();
    let base = base_context(input, path, nav);
    PageJob::new(path, "areas.html", &AreasContext { base, groups })
}

fn categories_index(
    input: &SiteInput,
    fw: &Framework,
    nav: &[NavLink],
) -> Result<PageJob, Vec<Diagnostic>> {
    #[derive(Serialize)]
    struct Entry {
        id: String,
        name: String,
        description: String,
        /// (region, year, "0 full, 6 some, 3 none") for each region's latest year that
        /// grades the category.
        latest: Vec<(String, u16, String)>,
    }
    let path = "categories/index.html";
    let ds = input.dataset;
    let categories: Vec<Entry> = fw
        .categories
        .iter()
        .map(|cat| Entry {
            id: cat.id.value.clone(),
            name: cat.name.value.clone(),
            description: cat.description.value.clone(),
            latest: ds
                .regions()
                .iter()
                .map(|r| &r.value)
                .filter_map(|region| {
                    input.years(region).iter().rev().find_map(|&year| {
                        let counts = input.counts(fw, region, year);
                        let c = counts
                            .iter()
                            .find(|c| c.category_id == cat.id.value && c.rated > 0)?;
                        Some((region.name.value.clone(), year, c.phrase.clone()))
                    })
                })
                .collect(),
        })
        .collect();
    let base = base_context(input, path, nav);
    PageJob::new(
        path,
        "categories.html",
        &CategoriesContext { base, categories },
    )
}

fn accessibility_statement(input: &SiteInput, nav: &[NavLink]) -> Result<PageJob, Vec<Diagnostic>> {
    #[derive(Serialize)]
    struct Problem<'a> {
        problem: &'a str,
        criteria: Vec<&'a str>,
        plan: Option<&'a str>,
    }
    #[derive(Serialize)]
    struct Statement<'a> {
        compliance: Option<&'a str>,
        phone: Option<&'a str>,
        reply_within_days: Option<u32>,
        prepared: Option<String>,
        tested: Option<String>,
        tested_by: Option<&'a str>,
        /// Problems that fail named success criteria, and the others.
        failures: Vec<Problem<'a>>,
        other_problems: Vec<Problem<'a>>,
        plans: bool,
    }
    let a = &input.config.accessibility;
    let problems = a.known_problems.iter().map(|k| Problem {
        problem: &k.problem.value,
        criteria: k.criteria.iter().map(|c| c.value.as_str()).collect(),
        plan: k.plan.as_ref().map(|p| p.value.as_str()),
    });
    let (failures, other_problems): (Vec<_>, Vec<_>) =
        problems.partition(|p| !p.criteria.is_empty());
    let statement = Statement {
        compliance: a.compliance.as_ref().map(|c| c.value.as_str()),
        phone: a.phone.as_ref().map(|p| p.value.as_str()),
        reply_within_days: a.reply_within_days.as_ref().map(|d| d.value),
        prepared: a.prepared.as_ref().map(|d| long_date(&d.value)),
        tested: a.tested.as_ref().map(|d| long_date(&d.value)),
        tested_by: a.tested_by.as_ref().map(|t| t.value.as_str()),
        plans: a.known_problems.iter().any(|k| k.plan.is_some()),
        failures,
        other_problems,
    };
    let path = "accessibility/index.html";
    let base = base_context(input, path, nav);
    PageJob::new(
        path,
        "accessibility.html",
        &AccessibilityContext { base, statement },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Spanned;

    fn area(kind: &str, from: Option<u16>, until: Option<u16>) -> Area {
        let year = |y: Option<u16>| y.map(Spanned::synthetic);
        Area {
            id: Spanned::synthetic("knowsley".into()),
            name: Spanned::synthetic("Knowsley".into()),
            kind: Spanned::synthetic(kind.into()),
            ons_code: None,
            ons_codes: Vec::new(),
            in_use: crate::model::InUse {
                from: year(from),
                until: year(until),
            },
            succeeds: Vec::new(),
            covers: Vec::new(),
            population: None,
            hex: None,
        }
    }

    #[test]
    fn the_missing_page_links_from_the_published_address() {
        assert_eq!(
            not_found_root("https://example.org/scoping"),
            "https://example.org/scoping/"
        );
        assert_eq!(
            not_found_root("https://example.org/"),
            "https://example.org/"
        );
        assert_eq!(not_found_root("/scoping/"), "/scoping/");
        assert_eq!(not_found_root("/"), "/");
    }

    #[test]
    fn contents_lists_the_second_level_headings_with_their_ids() {
        let html = r#"<h1>T</h1><h2 id="a">One &amp; <em>two</em></h2><p>x</p><h3 id="c">No</h3><h2>No id</h2><h2 id="b">Three</h2>"#;
        assert_eq!(
            contents(html),
            vec![
                ("a".to_string(), "One &amp; two".to_string()),
                ("b".to_string(), "Three".to_string())
            ]
        );
    }

    #[test]
    fn a_place_and_the_ccg_area_before_it_are_told_apart() {
        assert_eq!(
            area_title(&area("Place", Some(2023), None)),
            "Knowsley (Place, from 2023)"
        );
        assert_eq!(
            area_title(&area("CCG", Some(2013), Some(2022))),
            "Knowsley (CCG area, to 2022)"
        );
        assert_eq!(area_title(&area("Place", None, None)), "Knowsley (Place)");
    }
}
