//! Whether what the services cite exists: each report and return a source names, and each
//! section, table, text box or figure of a report it points at.
//!
//! In: the whole dataset. Out: diagnostics at the citing service's source.

use super::super::path_of;
use crate::diag::{Diagnostic, nearest};
use crate::model::{Dataset, Report, Source, Spanned, year_and_id};

/// The reports and returns the services cite exist, and so do the parts of reports cited.
pub fn check_references(ds: &Dataset, out: &mut Vec<Diagnostic>) {
    let returns: rustc_hash::FxHashSet<(u16, &str)> = ds
        .returns
        .iter()
        .map(|r| (r.value.year.value, r.value.area.value.as_str()))
        .collect();
    let reports: rustc_hash::FxHashMap<(u16, &str), &Report> = ds
        .reports
        .iter()
        .map(|r| {
            (
                (r.value.year.value, r.value.region.value.as_str()),
                &r.value,
            )
        })
        .collect();
    let report_names: Vec<String> = ds
        .reports
        .iter()
        .map(|r| format!("{}/{}", r.value.year.value, r.value.region.value))
        .collect();
    for loaded in ds.services() {
        let file = path_of(ds, loaded.source);
        for (_, source) in &loaded.value.sources {
            if let Some(reference) = &source.report
                && let Some((year, region)) = year_and_id(&reference.value)
            {
                match reports.get(&(year, region)) {
                    Some(report) => check_parts(file, reference, report, source, out),
                    None => out.push(unknown_report(file, reference, &report_names)),
                }
            }
            if let Some(reference) = &source.return_
                && let Some((year, area)) = year_and_id(&reference.value)
                && !returns.contains(&(year, area))
            {
                out.push(unknown_return(ds, file, reference, year, area));
            }
        }
    }
}

fn unknown_report(file: &str, reference: &Spanned<String>, known: &[String]) -> Diagnostic {
    let mut d = Diagnostic::error(
        "E192",
        file,
        format!("there is no report `{}`", reference.value),
    )
    .at_value(reference, reference.value.chars().count().max(1));
    if !known.is_empty() {
        d = d.expected(format!("one of {}", known.join(", ")));
    }
    match nearest(&reference.value, known.iter().map(String::as_str)) {
        Some(near) => d.help(format!("did you mean `{near}`?")),
        None => d.help(format!(
            "cite a report that has a file scoping-data/reports/{}.yaml",
            reference.value
        )),
    }
}

fn unknown_return(
    ds: &Dataset,
    file: &str,
    reference: &Spanned<String>,
    year: u16,
    area: &str,
) -> Diagnostic {
    let d = Diagnostic::error(
        "E194",
        file,
        format!("there is no return `{}`", reference.value),
    )
    .at_value(reference, reference.value.chars().count().max(1));
    let same_year: Vec<String> = ds
        .returns
        .iter()
        .filter(|r| r.value.year.value == year)
        .map(|r| format!("{year}/{}", r.value.area.value))
        .collect();
    let help = match nearest(&reference.value, same_year.iter().map(String::as_str)) {
        Some(near) => format!("did you mean `{near}`?"),
        None => format!(
            "cite a return that exists: scoping-data/returns/{year}/<region-id>/{area}.yaml"
        ),
    };
    d.help(help)
}

/// The cited section, table, text box or figure is listed in the report.
fn check_parts(
    file: &str,
    reference: &Spanned<String>,
    report: &Report,
    source: &Source,
    out: &mut Vec<Diagnostic>,
) {
    let name = &reference.value;
    if let Some(section) = &source.section
        && !report.has_section(&section.value)
    {
        let numbers: Vec<&str> = report
            .outline
            .iter()
            .filter_map(|e| e.number.as_ref().map(|n| n.value.as_str()))
            .collect();
        let mut d = Diagnostic::error(
            "E193",
            file,
            format!("the report `{name}` has no section {}", section.value),
        )
        .at_value(section, section.value.chars().count().max(1));
        if numbers.is_empty() {
            d = d.help(format!(
                "add the report's contents page as `outline:` in scoping-data/reports/{name}.yaml"
            ));
        } else {
            d = d.expected(format!("one of {}", numbers.join(", ")));
            d = match nearest(&section.value, numbers.iter().copied()) {
                Some(near) => d.help(format!(
                    "cite a section the report's contents page lists: did you mean `{near}`?"
                )),
                None => d.help("cite a section the report's contents page lists"),
            };
        }
        out.push(d);
    }
    let numbered = [
        ("table", "tables", &source.table, &report.tables),
        (
            "text box",
            "text_boxes",
            &source.text_box,
            &report.text_boxes,
        ),
        ("figure", "figures", &source.figure, &report.figures),
    ];
    for (what, list, cited, captions) in numbered {
        let Some(cited) = cited else { continue };
        if captions.iter().any(|c| c.number.value == cited.value) {
            continue;
        }
        let numbers: Vec<String> = captions
            .iter()
            .map(|c| c.number.value.to_string())
            .collect();
        let mut d = Diagnostic::error(
            "E193",
            file,
            format!("the report `{name}` has no {what} {}", cited.value),
        )
        .at_value(cited, cited.value.to_string().len());
        d = if numbers.is_empty() {
            d.help(format!(
                "the report lists no {list}; add them as `{list}:` in scoping-data/reports/{name}.yaml"
            ))
        } else {
            d.expected(format!("one of {}", numbers.join(", ")))
                .help(format!("cite a {what} the report lists under `{list}:`"))
        };
        out.push(d);
    }
}
