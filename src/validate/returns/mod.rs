//! Rules for returns: where each sits, what it rates, and with which codes.

mod codes;

use super::common::{check_date, check_optional_text, check_value};
use super::path_of;
use crate::diag::{Diagnostic, nearest};
use crate::model::vocab::SubmissionStatus;
use crate::model::{Dataset, Framework, Return, Spanned};
use codes::{check_code, known, unknown_category};

pub fn check(ds: &Dataset, out: &mut Vec<Diagnostic>) {
    use rayon::prelude::*;
    // Each return is checked on its own, in parallel; only the search for a second return
    // of the same area and year looks across files. Findings keep the order of a check
    // one file after another.
    let own: Vec<(Vec<Diagnostic>, Vec<Diagnostic>)> = ds
        .returns
        .par_iter()
        .map(|loaded| {
            let (mut before, mut after) = (Vec::new(), Vec::new());
            check_return(ds, loaded, &mut before, &mut after);
            (before, after)
        })
        .collect();
    // The first file seen for each year and area.
    let mut seen: std::collections::HashMap<(u16, &str), &str> = std::collections::HashMap::new();
    for (loaded, (before, after)) in ds.returns.iter().zip(own) {
        let file = path_of(ds, loaded.source);
        let ret = &loaded.value;
        out.extend(before);
        let key = (ret.year.value, ret.area.value.as_str());
        if let Some(first) = seen.get(&key) {
            out.push(
                Diagnostic::error("E014", file, format!("a second return for area `{}` in {}", ret.area.value, ret.year.value))
                    .at_value(&ret.area, ret.area.value.chars().count())
                    .help(format!("the first is {first}; keep one return per area and year and delete or merge the other")),
            );
        } else {
            seen.insert(key, file);
        }
        out.extend(after);
    }
}

/// The checks of one return file: those reported before a duplicate (placement and area)
/// go to `before`, the rest to `out`.
fn check_return(
    ds: &Dataset,
    loaded: &crate::model::Loaded<Return>,
    before: &mut Vec<Diagnostic>,
    out: &mut Vec<Diagnostic>,
) {
    let file = path_of(ds, loaded.source);
    let ret = &loaded.value;
    check_placement(file, ret, before);
    check_area(ds, file, ret, before);
    check_value::<SubmissionStatus>(file, &ret.submission.status, out);
    check_optional_text(file, &ret.submission.listed_as, "listed_as", out);
    check_optional_text(file, &ret.submission.note, "note", out);
    check_optional_text(file, &ret.reported_name, "reported_name", out);
    check_optional_text(file, &ret.compiled_by, "compiled_by", out);
    super::common::check_internal(file, &ret.internal, out);
    if let Some(date) = &ret.compiled_on {
        check_date(file, date, "compiled_on", out);
    }
    if let Some(fw) = ds.framework() {
        check_ratings(ds, fw, file, ret, out);
    }
}

/// The folder and file name must agree with the year, region and area inside the file.
fn check_placement(file: &str, ret: &Return, out: &mut Vec<Diagnostic>) {
    let parts: Vec<&str> = file.split('/').collect();
    let [_, _, year, region, name] = parts.as_slice() else {
        return;
    };
    let stem = name.trim_end_matches(".yaml").trim_end_matches(".yml");
    let mut mismatch =
        |what: &str, inside: &str, path_value: &str, at: (usize, usize), width: usize| {
            out.push(
                Diagnostic::error(
                    "E015",
                    file,
                    format!("the return says {what} `{inside}` but its path says `{path_value}`"),
                )
                .at(at.0, at.1, width)
                .expected(format!(
                    "scoping-data/returns/{}/{}/{}.yaml",
                    ret.year.value, ret.region.value, ret.area.value
                ))
                .help(format!(
                    "move the file to match its contents, or correct `{what}:`"
                )),
            );
        };
    if *year != ret.year.value.to_string() {
        mismatch(
            "year",
            &ret.year.value.to_string(),
            year,
            (ret.year.line, ret.year.column),
            4,
        );
    }
    if *region != ret.region.value {
        mismatch(
            "region",
            &ret.region.value,
            region,
            (ret.region.line, ret.region.column),
            ret.region.value.chars().count(),
        );
    }
    if stem != ret.area.value {
        mismatch(
            "area",
            &ret.area.value,
            stem,
            (ret.area.line, ret.area.column),
            ret.area.value.chars().count(),
        );
    }
}

fn check_area(ds: &Dataset, file: &str, ret: &Return, out: &mut Vec<Diagnostic>) {
    let Some(region) = ds.region(&ret.region.value) else {
        let mut d = Diagnostic::error(
            "E017",
            file,
            format!("unknown region `{}`", ret.region.value),
        )
        .at_value(&ret.region, ret.region.value.chars().count())
        .expected(known(
            ds.regions().iter().map(|r| r.value.id.value.as_str()),
        ));
        if let Some(near) = nearest(
            &ret.region.value,
            ds.regions().iter().map(|r| r.value.id.value.as_str()),
        ) {
            d = d.help(format!("did you mean `{near}`?"));
        } else {
            d = d.help("add the region under scoping-data/regions/ or correct the id");
        }
        out.push(d);
        return;
    };
    let Some(area) = region.area(&ret.area.value) else {
        let ids = region.areas.iter().map(|a| a.id.value.as_str());
        let mut d = Diagnostic::error(
            "E017",
            file,
            format!(
                "unknown area `{}` in region `{}`",
                ret.area.value, region.id.value
            ),
        )
        .at_value(&ret.area, ret.area.value.chars().count())
        .expected(known(ids.clone()));
        d = match nearest(&ret.area.value, ids) {
            Some(near) => d.help(format!("did you mean `{near}`?")),
            None => d.help(format!(
                "add the area to scoping-data/regions/{}.yaml or correct the id",
                region.id.value
            )),
        };
        out.push(d);
        return;
    };
    if !area.in_use_in(ret.year.value) {
        let span = match (&area.in_use.from, &area.in_use.until) {
            (Some(f), Some(u)) => format!("from {} until {}", f.value, u.value),
            (Some(f), None) => format!("from {}", f.value),
            (None, Some(u)) => format!("until {}", u.value),
            (None, None) => "always".into(),
        };
        let successors: Vec<&str> = region
            .successors_of(&area.id.value)
            .iter()
            .filter(|a| a.in_use_in(ret.year.value))
            .map(|a| a.id.value.as_str())
            .collect();
        let help = if successors.is_empty() {
            format!(
                "rate the areas in use in {}, or change the area's `in_use` years",
                ret.year.value
            )
        } else {
            format!(
                "in {} this area is succeeded by {}; rate that instead",
                ret.year.value,
                successors.join(", ")
            )
        };
        out.push(
            Diagnostic::error(
                "E016",
                file,
                format!(
                    "area `{}` is not in use in {} (it is in use {span})",
                    area.id.value, ret.year.value
                ),
            )
            .at_value(&ret.area, ret.area.value.chars().count())
            .help(help),
        );
    }
}

fn check_ratings(
    ds: &Dataset,
    fw: &Framework,
    file: &str,
    ret: &Return,
    out: &mut Vec<Diagnostic>,
) {
    let year = ret.year.value;
    for (key, entry) in &ret.ratings {
        match fw.category(&key.value) {
            None => out.push(unknown_category(fw, file, key)),
            Some(cat) if !cat.graded_in(year) => out.push(
                Diagnostic::warning("W035", file, format!("category `{}` is not graded in {year}", key.value))
                    .at_value(key, key.value.chars().count())
                    .help("remove the rating, or change the category's `introduced`/`retired` years in framework.yaml"),
            ),
            Some(_) => {}
        }
        check_code(fw, file, &key.value, &entry.value.rating, out);
        check_optional_text(file, &entry.value.note, "note", out);
        check_optional_text(file, &entry.value.internal_note, "internal_note", out);
        check_sources(ds, file, ret, &key.value, &entry.value.carried_from, out);
        // A return still awaited is a placeholder as a whole: `status` says so already.
        if entry.value.carried_forward && !ret.is_awaiting() {
            out.push(
                Diagnostic::warning("W090", file, format!("the rating of `{}` is carried forward from last year and not yet confirmed", key.value))
                    .at_value(&entry.value.rating, entry.value.rating.value.chars().count())
                    .help("check the rating with the area, then remove `carried_forward: true`"),
            );
        }
        check_evidence(ds, file, &entry.value.evidence, out);
    }
    for (key, earlier) in &ret.predecessor_ratings {
        if fw.category(&key.value).is_none() {
            out.push(unknown_category(fw, file, key));
        }
        for e in earlier {
            check_code(fw, file, &key.value, &e.rating, out);
            check_optional_text(file, &e.note, "note", out);
            check_evidence(ds, file, &e.evidence, out);
            check_source(ds, file, ret, &key.value, &e.area, &e.year, out);
        }
    }
    // A return still awaiting its form may leave ratings unset (nothing to carry forward,
    // or predecessors that differ); one that came back must rate everything.
    let missing: Vec<&str> = fw
        .categories_in(year)
        .into_iter()
        .filter(|c| !ret.is_awaiting() && ret.rating(&c.id.value).is_none())
        .map(|c| c.id.value.as_str())
        .collect();
    report_missing(ds, fw, file, year, &missing, out);
}

fn check_evidence(
    ds: &Dataset,
    file: &str,
    evidence: &[Spanned<String>],
    out: &mut Vec<Diagnostic>,
) {
    for evidence in evidence {
        if ds.service(&evidence.value).is_none() {
            let mut d = Diagnostic::error(
                "E029",
                file,
                format!("evidence names unknown service `{}`", evidence.value),
            )
            .at_value(evidence, evidence.value.chars().count());
            d = match nearest(
                &evidence.value,
                ds.services().iter().map(|s| s.value.id.value.as_str()),
            ) {
                Some(near) => d.help(format!("did you mean `{near}`?")),
                None => d.help("add the service under scoping-data/directory/ or correct the id"),
            };
            out.push(d);
        }
    }
}

fn check_sources(
    ds: &Dataset,
    file: &str,
    ret: &Return,
    category: &str,
    sources: &[crate::model::CarriedFrom],
    out: &mut Vec<Diagnostic>,
) {
    for s in sources {
        check_source(ds, file, ret, category, &s.area, &s.year, out);
    }
}

/// A carried-forward rating or a predecessor's rating must name an earlier year and the
/// area itself or one it succeeds (through any number of boundary changes).
fn check_source(
    ds: &Dataset,
    file: &str,
    ret: &Return,
    category: &str,
    area: &Spanned<String>,
    year: &Spanned<u16>,
    out: &mut Vec<Diagnostic>,
) {
    let Some(region) = ds.region(&ret.region.value) else {
        return;
    };
    let Some(this) = region.area(&ret.area.value) else {
        return;
    };
    let lineage = crate::analyse::ancestors(region, this);
    if area.value != this.id.value && !lineage.iter().any(|a| a.id.value == area.value) {
        let known: Vec<&str> = std::iter::once(this.id.value.as_str())
            .chain(lineage.iter().map(|a| a.id.value.as_str()))
            .collect();
        out.push(
            Diagnostic::error(
                "E140",
                file,
                format!(
                    "the earlier rating of `{category}` names area `{}`, which is not `{}` or an area it succeeds",
                    area.value, this.id.value
                ),
            )
            .at_value(area, area.value.chars().count())
            .expected(format!("one of {}", known.join(", ")))
            .help("name the area whose return the rating was copied from, as `scopemap new-year` writes it"),
        );
    }
    if year.value >= ret.year.value {
        out.push(
            Diagnostic::error(
                "E140",
                file,
                format!(
                    "the earlier rating of `{category}` names {}, which is not before the return's year {}",
                    year.value, ret.year.value
                ),
            )
            .at_value(year, year.value.to_string().len())
            .expected(format!("a year before {}", ret.year.value))
            .help("name the year of the return the rating was copied from"),
        );
    }
}

fn report_missing(
    ds: &Dataset,
    fw: &Framework,
    file: &str,
    year: u16,
    missing: &[&str],
    out: &mut Vec<Diagnostic>,
) {
    if !missing.is_empty() {
        let source = ds
            .sources
            .iter()
            .find(|s| s.path == file)
            .map(|s| s.text.as_str())
            .unwrap_or("");
        let line = source
            .lines()
            .position(|l| l.starts_with("ratings:"))
            .map(|i| i + 1)
            .unwrap_or(0);
        let codes: Vec<&str> = fw.ratings.iter().map(|r| r.code.value.as_str()).collect();
        out.push(
            Diagnostic::error(
                "E012",
                file,
                format!(
                    "the return does not rate {}: {}",
                    if missing.len() == 1 {
                        "this category"
                    } else {
                        "these categories"
                    },
                    missing.join(", ")
                ),
            )
            .at(line, 1, "ratings".len())
            .expected(format!("a rating for every category graded in {year}"))
            .help(format!(
                "add `{}: <code>` under `ratings:` with one of {}",
                missing[0],
                codes.join(", ")
            )),
        );
    }
}
