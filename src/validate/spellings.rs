//! One spelling per name: a name a report printed differently is kept only when it is a
//! different name, not the same name spelt another way.
//!
//! In: returns (`reported_name`), reports (`column_names`), regions and the framework.
//! Out: W162 where the printed name differs from the area's or category's own name only in
//! case, punctuation, spacing or `&` for "and" ("St. Helen's" for St Helens).

use super::path_of;
use crate::diag::Diagnostic;
use crate::model::{Dataset, Spanned};

pub fn check(ds: &Dataset, out: &mut Vec<Diagnostic>) {
    for loaded in &ds.returns {
        let ret = &loaded.value;
        let Some(printed) = &ret.reported_name else {
            continue;
        };
        let Some(area) = ds
            .region(&ret.region.value)
            .and_then(|r| r.area(&ret.area.value))
        else {
            continue;
        };
        let file = path_of(ds, loaded.source);
        same_name_check(file, printed, &area.name.value, "reported_name", out);
    }
    let Some(fw) = ds.framework() else { return };
    for loaded in &ds.reports {
        let file = path_of(ds, loaded.source);
        for (id, printed) in &loaded.value.column_names {
            if let Some(cat) = fw.category(&id.value) {
                same_name_check(file, printed, &cat.name.value, "column_names", out);
            }
        }
    }
}

fn same_name_check(
    file: &str,
    printed: &Spanned<String>,
    name: &str,
    field: &str,
    out: &mut Vec<Diagnostic>,
) {
    if printed.value == name || folded(&printed.value) != folded(name) {
        return;
    }
    out.push(
        Diagnostic::warning(
            "W162",
            file,
            format!(
                "`{}` in `{field}` is `{name}` spelt another way",
                printed.value
            ),
        )
        .at_value(printed, printed.value.chars().count().max(1))
        .help(format!(
            "remove it, so the site shows `{name}` everywhere; keep `{field}` only for a name \
             that really differed that year"
        )),
    );
}

/// A name with case, punctuation and spacing set aside, and `&` read as "and". An
/// apostrophe joins (Helen's, Helens); other punctuation separates (Health-Visiting).
fn folded(name: &str) -> String {
    let words: String = name
        .replace('&', " and ")
        .chars()
        .filter(|c| !matches!(c, '\'' | '’'))
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .flat_map(char::to_lowercase)
        .collect();
    words.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::folded;

    #[test]
    fn spellings_of_one_name_fold_together() {
        assert_eq!(folded("St. Helen's"), folded("St Helens"));
        assert_eq!(folded("Fylde & Wyre"), folded("Fylde and Wyre"));
        assert_eq!(
            folded("Antenatal education Provision"),
            folded("Antenatal education provision")
        );
        assert_eq!(folded("Health-Visiting"), folded("Health Visiting"));
        assert_ne!(folded("Beta CCG"), folded("Beta"));
        assert_ne!(
            folded("Specialist Perinatal and Infant MH Health Visitor"),
            folded("Specialist Perinatal MH Health Visitors")
        );
    }
}
