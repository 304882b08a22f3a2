//! Rules for population figures and the need model: the figures must make sense, and any
//! need figures a report stated must follow from the model, or a warning says which number
//! is off and by how much.

use super::path_of;
use crate::analyse::need_figures;
use crate::diag::Diagnostic;
use crate::model::{Dataset, Population, Spanned};

pub fn check(ds: &Dataset, out: &mut Vec<Diagnostic>) {
    if let Some(loaded) = &ds.framework
        && let Some(model) = &loaded.value.need_model
    {
        let file = path_of(ds, loaded.source);
        if let Some(c) = &model.category
            && loaded.value.category(&c.value).is_none()
        {
            out.push(
                Diagnostic::error("E013", file, format!("unknown category `{}`", c.value))
                    .at_value(c, c.value.chars().count())
                    .help("use a category id from the `categories:` list above"),
            );
        }
        for p in [
            &model.base_rate_percent,
            &model.deprivation_uplift_percent,
            &model.initial_target_percent,
        ] {
            if !(0.0..=100.0).contains(&p.value) {
                out.push(
                    Diagnostic::error("E096", file, format!("{} is not a percentage", p.value))
                        .at_value(p, p.value.to_string().len())
                        .expected("a number from 0 to 100")
                        .help("write the percentage without the % sign, e.g. 6.5"),
                );
            }
        }
    }
    for loaded in ds.regions() {
        let file = path_of(ds, loaded.source);
        let region = &loaded.value;
        let mut all: Vec<&Population> = region.population.iter().collect();
        all.extend(region.areas.iter().filter_map(|a| a.population.as_ref()));
        for p in all {
            check_population(ds, file, p, out);
        }
    }
}

fn check_population(ds: &Dataset, file: &str, p: &Population, out: &mut Vec<Diagnostic>) {
    super::common::check_text(file, &p.source, "population.source", out);
    if let Some(d) = &p.aged_0_4_in_deprived_areas
        && d.value > p.aged_0_4.value
    {
        out.push(
            Diagnostic::error(
                "E095",
                file,
                format!(
                    "{} children in deprived areas is more than all {} children aged 0–4",
                    d.value, p.aged_0_4.value
                ),
            )
            .at_value(d, d.value.to_string().len())
            .help("check both figures against their source"),
        );
    }
    let Some(model) = ds.framework().and_then(|f| f.need_model.as_ref()) else {
        if p.stated.is_some() {
            out.push(
                Diagnostic::warning(
                    "W097",
                    file,
                    "stated need figures cannot be checked: the framework has no `need_model`",
                )
                .at_value(&p.aged_0_4, 1)
                .help("add `need_model:` with the percentages to scoping-data/framework.yaml"),
            );
        }
        return;
    };
    let figures = need_figures(model, p);
    let Some(stated) = &p.stated else { return };
    for m in &figures.mismatches {
        let (code, value): (&'static str, &Option<Spanned<u64>>) = match m.field.as_str() {
            "base_need" => ("W091", &stated.base_need),
            "additional_need" => ("W092", &stated.additional_need),
            "total_need" => ("W093", &stated.total_need),
            _ => ("W094", &stated.initial_target),
        };
        let mut d = Diagnostic::warning(code, file, m.text.clone()).help("check the figure against its source; if the source itself is wrong, keep it as stated and let this warning stand as the record");
        if let Some(v) = value {
            d = d.at_value(v, v.value.to_string().len());
        }
        out.push(d);
    }
}
