//! Which sections a report has, in what order and under what numbers.
//!
//! In: the report's narrative pages (`content/reports/<year>/<region>/`), the report file
//! (if any) and which generated blocks can be shown. Out: the sections in order, each with
//! its label, or the E200–E202 errors of narrative pages that misname the source.
//!
//! A report that re-presents no source is numbered 1, 2, 3 … in the narrative's `order`.
//! A report whose file says it is a re-presentation (`re_presented`) and records the
//! source's contents page (`outline`) keeps that document's numbers: a page naming a source section (`section: "2.5.1"`) keeps the source's number
//! and title, in the source's order; anything else was added for the web and is numbered
//! in a series of its own (A1, A2 …) after them, so no number means two things.

use crate::diag::Diagnostic;
use crate::model::Page;
use crate::model::Report;

/// The prefix of the numbers of sections, tables and figures a re-presentation adds.
pub const ADDED: &str = "A";

/// A section of the report: narrative (if any) and the generated blocks it ends with.
pub struct Placement<'a> {
    /// The number printed before the title: "2.5.1", "A1", or "3" in a generated report.
    pub number: String,
    /// How deep the number is in the source's outline (1 for "2", 3 for "2.5.1").
    pub level: usize,
    /// Added for the web: not a section of the source document.
    pub added: bool,
    pub name: String,
    pub title: String,
    pub includes: Vec<String>,
    pub page: Option<&'a Page>,
}

/// The generated blocks that get a section of their own when no narrative includes them.
const DEFAULT_TITLES: [(&str, i32, &str); 5] = [
    ("returns", 55, "Returns received"),
    ("provision", 65, "Overview of service provision"),
    ("changes", 66, "Changes since the previous year"),
    ("need", 67, "Need and targets"),
    ("services", 75, "Services by type"),
];

/// The report's sections in order, numbered as the report file says.
pub fn place<'a>(
    narrative: &[&'a Page],
    report: Option<&Report>,
    available: &dyn Fn(&str) -> bool,
) -> Result<Vec<Placement<'a>>, Vec<Diagnostic>> {
    let source = report.filter(|r| r.re_presents_source());
    // (position in the source's outline, or None for an addition; order; name; placement)
    let mut keyed: Vec<(Option<usize>, i32, Placement<'a>)> = Vec::new();
    let mut errors = Vec::new();
    let mut claimed: Vec<(&str, &Page)> = Vec::new();
    for p in narrative {
        let order = p.front.order.as_ref().map(|o| o.value).unwrap_or(i32::MAX);
        let mut placement = Placement {
            number: String::new(),
            level: 1,
            added: source.is_some(),
            name: p.slug.rsplit('/').next().unwrap_or("section").to_string(),
            title: p.front.title.value.clone(),
            includes: p.front.includes.iter().map(|b| b.value.clone()).collect(),
            page: Some(*p),
        };
        placement.includes.retain(|b| available(b));
        let mut position = None;
        if let Some(section) = &p.front.section {
            match source.and_then(|r| r.section_position(&section.value)) {
                None => errors.push(unknown_section(p, section, source)),
                Some((at, entry)) => {
                    if let Some((_, first)) = claimed.iter().find(|(n, _)| *n == section.value) {
                        errors.push(
                            Diagnostic::error(
                                "E201",
                                &p.source.path,
                                format!(
                                    "section {} of the source is already re-presented by {}",
                                    section.value, first.source.path
                                ),
                            )
                            .at_value(section, section.value.chars().count())
                            .help("keep one page per source section: merge the two pages, or correct `section:`"),
                        );
                    }
                    claimed.push((&section.value, p));
                    if entry.title.value != p.front.title.value {
                        errors.push(
                            Diagnostic::error(
                                "E202",
                                &p.source.path,
                                format!(
                                    "the title differs from the source's title of section {}",
                                    section.value
                                ),
                            )
                            .at_value(&p.front.title, p.front.title.value.chars().count())
                            .expected(format!("\"{}\"", entry.title.value))
                            .help("a section that keeps the source's number keeps its title as printed: copy it from `outline` in the report file, or remove `section:` to mark the page as added"),
                        );
                    }
                    placement.number = section.value.clone();
                    placement.level = section.value.split('.').count();
                    placement.added = false;
                    position = Some(at);
                }
            }
        }
        keyed.push((position, order, placement));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    for (block, order, title) in DEFAULT_TITLES {
        let placed = keyed
            .iter()
            .any(|(_, _, p)| p.includes.iter().any(|b| b == block));
        if available(block) && !placed {
            keyed.push((
                None,
                order,
                Placement {
                    number: String::new(),
                    level: 1,
                    added: source.is_some(),
                    name: block.to_string(),
                    title: title.to_string(),
                    includes: vec![block.to_string()],
                    page: None,
                },
            ));
        }
    }
    // Source sections first, in the source's order; additions after them.
    keyed.sort_by(|a, b| {
        (a.0.is_none(), a.0, a.1, &a.2.name).cmp(&(b.0.is_none(), b.0, b.1, &b.2.name))
    });
    let mut added = 0;
    let mut placed = Vec::with_capacity(keyed.len());
    for (i, (_, _, mut p)) in keyed.into_iter().enumerate() {
        if source.is_none() {
            p.number = (i + 1).to_string();
        } else if p.added {
            added += 1;
            p.number = format!("{ADDED}{added}");
        }
        placed.push(p);
    }
    Ok(placed)
}

fn unknown_section(
    p: &Page,
    section: &crate::model::Spanned<String>,
    source: Option<&Report>,
) -> Diagnostic {
    let d = Diagnostic::error(
        "E200",
        &p.source.path,
        format!(
            "`section: {}` names no section of the source's contents page",
            section.value
        ),
    )
    .at_value(section, section.value.chars().count());
    match source {
        Some(r) => d
            .expected(format!(
                "one of {}",
                r.outline
                    .iter()
                    .filter_map(|e| e.number.as_ref().map(|n| n.value.as_str()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .help("use a section number from `outline` in the report file, or remove `section:` to mark the page as added for the web"),
        None => d.help("mark the report as a re-presentation (`re_presented:`) with the source's contents page as `outline:` in scoping-data/reports/<year>/<region>.yaml, or remove `section:`"),
    }
}
