//! Rules for `framework.yaml`: the rating scale and the categories.

use super::common::{check_id, check_optional_text, check_text, check_unique};
use super::path_of;
use crate::diag::Diagnostic;
use crate::model::{Dataset, Spanned};

pub fn check(ds: &Dataset, out: &mut Vec<Diagnostic>) {
    let Some(loaded) = &ds.framework else { return };
    let file = path_of(ds, loaded.source);
    let fw = &loaded.value;
    check_text(file, &fw.name, "name", out);
    if fw.ratings.is_empty() {
        out.push(
            Diagnostic::error("E041", file, "the framework has no ratings")
                .help("list the rating scale under `ratings:` (G, A, R, B)"),
        );
    }
    if fw.categories.is_empty() {
        out.push(
            Diagnostic::error("E041", file, "the framework has no categories")
                .help("list the service categories under `categories:`"),
        );
    }
    for level in &fw.ratings {
        let code = &level.code;
        if code.value.chars().count() != 1 || !code.value.chars().all(|c| c.is_ascii_uppercase()) {
            out.push(
                Diagnostic::error(
                    "E042",
                    file,
                    format!(
                        "the rating code `{}` must be one capital letter",
                        code.value
                    ),
                )
                .at_value(code, code.value.chars().count())
                .help("use a single capital letter such as G, A, R or B"),
            );
        }
        check_text(file, &level.label, "label", out);
        check_text(file, &level.definition, "definition", out);
        check_text(file, &level.glyph, "glyph", out);
        check_colour(file, &level.fill, "fill", out);
        check_colour(file, &level.text, "text", out);
    }
    check_unique(fw.ratings.iter().map(|r| (file, &r.code)), "rating", out);
    for cat in &fw.categories {
        check_id(file, &cat.id, "category", out);
        check_text(file, &cat.name, "name", out);
        check_text(file, &cat.description, "description", out);
        check_optional_text(file, &cat.source, "source", out);
        for alias in &cat.aliases {
            check_text(file, alias, "alias", out);
        }
        if let (Some(from), Some(until)) = (&cat.introduced, &cat.retired)
            && until.value < from.value
        {
            out.push(
                Diagnostic::error("E043", file, format!("category `{}` is retired in {} before it is introduced in {}", cat.id.value, until.value, from.value))
                    .at_value(until, 4)
                    .help("`retired` is the last year the category is graded; it must not be before `introduced`"),
            );
        }
    }
    check_unique(fw.categories.iter().map(|c| (file, &c.id)), "category", out);
}

fn check_colour(file: &str, value: &Spanned<String>, field: &str, out: &mut Vec<Diagnostic>) {
    let v = value.value.as_str();
    let ok = v.len() == 7 && v.starts_with('#') && v[1..].chars().all(|c| c.is_ascii_hexdigit());
    if !ok {
        out.push(
            Diagnostic::error("E044", file, format!("`{v}` is not a colour for `{field}`"))
                .at_value(value, v.chars().count())
                .expected("a colour written #RRGGBB, e.g. #005EB8")
                .help("quote the value: `fill: \"#CCE5D8\"` (an unquoted # starts a comment)"),
        );
    }
}
