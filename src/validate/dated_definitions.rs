//! Definitions shown in years they do not belong to: a rating's definition or a category's
//! description that names a year is shown with every year's ratings that has no wording
//! of its own, and then dates the later pages wrongly ("at time of writing (May 2022)" in
//! the key of 2023).
//!
//! In: the framework and the years that have returns. Out: W210 where a definition shown
//! with a year's ratings names another year, and E211 where a rating gives its printed
//! wording for one year twice.

use super::path_of;
use crate::diag::Diagnostic;
use crate::model::{Dataset, Spanned};
use std::collections::BTreeSet;

pub fn check(ds: &Dataset, out: &mut Vec<Diagnostic>) {
    let Some(loaded) = &ds.framework else { return };
    let file = path_of(ds, loaded.source);
    let fw = &loaded.value;
    let years = ds.years();
    for level in &fw.ratings {
        let code = &level.code.value;
        let mut seen = BTreeSet::new();
        for printed in &level.printed {
            if !seen.insert(printed.year.value) {
                out.push(
                    Diagnostic::error(
                        "E211",
                        file,
                        format!(
                            "the rating `{code}` gives its printed definition for {} twice",
                            printed.year.value
                        ),
                    )
                    .at_value(&printed.year, printed.year.value.to_string().len())
                    .help("keep one `printed` entry for each year"),
                );
            }
            let shown = [printed.year.value];
            if let Some(d) = named_elsewhere(&printed.definition, &shown) {
                out.push(d.diagnostic(
                    file,
                    &printed.definition,
                    format!("the {} wording of rating `{code}`", printed.year.value),
                    "check the year it is given for: a year's printed wording names no other year",
                ));
            }
        }
        // The general definition is shown for every year without a wording of its own.
        let shown: Vec<u16> = years
            .iter()
            .copied()
            .filter(|y| !level.printed.iter().any(|p| p.year.value == *y))
            .collect();
        if let Some(d) = named_elsewhere(&level.definition, &shown) {
            out.push(d.diagnostic(
                file,
                &level.definition,
                format!("the definition of rating `{code}`"),
                "leave the date out of `definition`, and give a year's own dated wording under `printed:` with its `year`",
            ));
        }
    }
    for cat in &fw.categories {
        let shown: Vec<u16> = years
            .iter()
            .copied()
            .filter(|y| cat.graded_in(*y))
            .collect();
        if let Some(d) = named_elsewhere(&cat.description, &shown) {
            out.push(d.diagnostic(
                file,
                &cat.description,
                format!("the description of category `{}`", cat.id.value),
                "describe the category without dates; say where the description comes from, and when, in `source`",
            ));
        }
    }
}

/// A year named in a text, and a year the text is shown for that is not it.
struct Dated {
    named: u16,
    shown: u16,
}

impl Dated {
    fn diagnostic(
        &self,
        file: &str,
        text: &Spanned<String>,
        what: String,
        help: &str,
    ) -> Diagnostic {
        Diagnostic::warning(
            "W210",
            file,
            format!(
                "{what} names {}, but is shown with the {} ratings",
                self.named, self.shown
            ),
        )
        .at_value(text, text.value.chars().count())
        .help(help)
    }
}

/// The first year `text` names (a four-digit year from 1900 to 2099 standing as a word)
/// with the first year in `shown` that it is not.
fn named_elsewhere(text: &Spanned<String>, shown: &[u16]) -> Option<Dated> {
    let named = years_named(&text.value);
    named.iter().find_map(|&n| {
        shown
            .iter()
            .find(|&&s| s != n)
            .map(|&s| Dated { named: n, shown: s })
    })
}

fn years_named(text: &str) -> Vec<u16> {
    let bytes = text.as_bytes();
    let mut years = Vec::new();
    let word = |i: usize| bytes.get(i).is_some_and(|b| b.is_ascii_alphanumeric());
    for i in 0..bytes.len().saturating_sub(3) {
        let digits = &bytes[i..i + 4];
        if digits.iter().all(u8::is_ascii_digit)
            && (digits.starts_with(b"19") || digits.starts_with(b"20"))
            && (i == 0 || !word(i - 1))
            && !word(i + 4)
            && let Ok(year) = text[i..i + 4].parse::<u16>()
            && !years.contains(&year)
        {
            years.push(year);
        }
    }
    years
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_are_read_only_where_they_stand_as_words() {
        assert_eq!(years_named("at time of writing (May 2022)"), [2022]);
        assert_eq!(years_named("2021/22 and 2023"), [2021, 2023]);
        assert_eq!(
            years_named("E38000226, 12022, 1001 days, 2022a"),
            Vec::<u16>::new()
        );
    }
}
