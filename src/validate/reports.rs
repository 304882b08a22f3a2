//! Rules for report files: they belong to a known region, name known categories, and cite
//! sections their own contents page lists.

use super::common::{check_date, check_optional_text, check_text, check_value};
use super::path_of;
use crate::diag::{Diagnostic, nearest};
use crate::model::vocab::ReportStatus;
use crate::model::{Dataset, Report};

/// The generated blocks that print a table a source document printed too.
pub const REPRODUCIBLE_BLOCKS: &[&str] = &["returns", "provision"];

pub fn check(ds: &Dataset, out: &mut Vec<Diagnostic>) {
    let mut seen: Vec<(u16, &str)> = Vec::new();
    for loaded in &ds.reports {
        let file = path_of(ds, loaded.source);
        let r = &loaded.value;
        let parts: Vec<&str> = file.split('/').collect();
        if let [_, _, year, name] = parts.as_slice() {
            let stem = name.trim_end_matches(".yaml").trim_end_matches(".yml");
            if *year != r.year.value.to_string() || stem != r.region.value {
                out.push(
                    Diagnostic::error(
                        "E015",
                        file,
                        format!(
                            "the report says {} `{}` but its path says {year} `{stem}`",
                            r.year.value, r.region.value
                        ),
                    )
                    .at_value(&r.region, r.region.value.chars().count())
                    .expected(format!(
                        "scoping-data/reports/{}/{}.yaml",
                        r.year.value, r.region.value
                    ))
                    .help("move the file to match its contents, or correct `year:` and `region:`"),
                );
            }
        }
        if ds.region(&r.region.value).is_none() {
            let mut d =
                Diagnostic::error("E017", file, format!("unknown region `{}`", r.region.value))
                    .at_value(&r.region, r.region.value.chars().count());
            if let Some(near) = nearest(
                &r.region.value,
                ds.regions().iter().map(|x| x.value.id.value.as_str()),
            ) {
                d = d.help(format!("did you mean `{near}`?"));
            } else {
                d = d.help("use a region id from scoping-data/regions/");
            }
            out.push(d);
        }
        if seen.contains(&(r.year.value, r.region.value.as_str())) {
            out.push(
                Diagnostic::error(
                    "E014",
                    file,
                    format!(
                        "a second report for `{}` in {}",
                        r.region.value, r.year.value
                    ),
                )
                .at_value(&r.region, r.region.value.len())
                .help("keep one report file per region and year"),
            );
        }
        seen.push((r.year.value, r.region.value.as_str()));
        check_text(file, &r.title, "title", out);
        check_date(file, &r.data_as_of, "data_as_of", out);
        check_optional_text(file, &r.forms_sent, "forms_sent", out);
        let d = &r.document;
        for (t, f) in [
            (&d.version, "version"),
            (&d.date, "date"),
            (&d.author, "author"),
            (&d.owner, "owner"),
        ] {
            check_text(file, t, f, out);
        }
        check_optional_text(file, &d.contributors, "contributors", out);
        if let Some(status) = &d.status {
            check_value::<ReportStatus>(file, status, out);
        }
        check_optional_text(file, &r.re_presented, "re_presented", out);
        for table in &r.tables {
            if let Some(block) = &table.reproduced_by
                && !REPRODUCIBLE_BLOCKS.contains(&block.value.as_str())
            {
                out.push(
                    Diagnostic::error(
                        "E203",
                        file,
                        format!(
                            "Table {} is said to be reproduced by `{}`, which is no table scopemap makes",
                            table.number.value, block.value
                        ),
                    )
                    .at_value(block, block.value.chars().count())
                    .expected(format!("one of {}", REPRODUCIBLE_BLOCKS.join(", ")))
                    .help("name the generated block that prints this table, or remove `reproduced_by` and say in `note` what became of it"),
                );
            }
        }
        check_not_in_directory(file, r, out);
        if let Some(fw) = ds.framework() {
            for (key, name) in &r.column_names {
                check_text(file, name, "column name", out);
                if fw.category(&key.value).is_none() {
                    let mut d = Diagnostic::error(
                        "E013",
                        file,
                        format!("unknown category `{}`", key.value),
                    )
                    .at_value(key, key.value.chars().count());
                    if let Some(near) = nearest(
                        &key.value,
                        fw.categories.iter().map(|c| c.id.value.as_str()),
                    ) {
                        d = d.help(format!("did you mean `{near}`?"));
                    } else {
                        d = d.help("use a category id from scoping-data/framework.yaml");
                    }
                    out.push(d);
                }
            }
        }
    }
}

/// Each service the report names but the directory does not list is named with a section
/// the report's contents page (`outline`) lists.
fn check_not_in_directory(file: &str, r: &Report, out: &mut Vec<Diagnostic>) {
    let numbers: Vec<&str> = r
        .outline
        .iter()
        .filter_map(|e| e.number.as_ref().map(|n| n.value.as_str()))
        .collect();
    for left_out in &r.not_in_directory {
        check_text(file, &left_out.name, "not_in_directory name", out);
        check_text(file, &left_out.reason, "not_in_directory reason", out);
        let section = &left_out.section;
        if section.value.trim().is_empty() {
            check_text(file, section, "not_in_directory section", out);
            continue;
        }
        if r.has_section(&section.value) {
            continue;
        }
        let mut d = Diagnostic::error(
            "E221",
            file,
            format!(
                "`{}` is said to be named in section {}, which the report's contents page does not list",
                left_out.name.value.trim(),
                section.value
            ),
        )
        .at_value(section, section.value.chars().count().max(1));
        d = if numbers.is_empty() {
            d.help("add the report's contents page as `outline:`, one entry per numbered section")
        } else {
            d = d.expected(format!("one of {}", numbers.join(", ")));
            match nearest(&section.value, numbers.iter().copied()) {
                Some(near) => d.help(format!(
                    "give the section that names it, as the contents page numbers it: did you mean `{near}`?"
                )),
                None => d.help("give the section that names it, as the contents page numbers it"),
            }
        };
        out.push(d);
    }
}
