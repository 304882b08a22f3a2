//! The `oruk:` settings of `scopemap.yaml`: each term of another directory's taxonomy that
//! `import oruk` maps to a category names a category of the framework, and is mapped once.
//!
//! In: the settings and the dataset (for the framework's categories). Out: diagnostics.

use crate::diag::{Diagnostic, nearest};
use crate::model::{CONFIG_FILE, Dataset, OrukSettings};
use crate::validate::common::check_text;

/// Check `oruk.taxonomy_map`: E290 for a category the framework does not have, E291 for a
/// term listed twice, E025 for an empty taxonomy, term or category.
pub fn check_taxonomy_map(settings: &OrukSettings, ds: &Dataset, out: &mut Vec<Diagnostic>) {
    let categories: Vec<&str> = ds
        .framework()
        .map(|f| f.categories.iter().map(|c| c.id.value.as_str()).collect())
        .unwrap_or_default();
    for (i, m) in settings.taxonomy_map.iter().enumerate() {
        if let Some(t) = &m.taxonomy {
            check_text(CONFIG_FILE, t, "oruk.taxonomy_map.taxonomy", out);
        }
        check_text(CONFIG_FILE, &m.term, "oruk.taxonomy_map.term", out);
        check_text(CONFIG_FILE, &m.category, "oruk.taxonomy_map.category", out);
        // Without a framework there is nothing to compare with; its own error says so.
        if !categories.is_empty()
            && !m.category.value.trim().is_empty()
            && !categories.contains(&m.category.value.as_str())
        {
            let d = Diagnostic::error(
                "E290",
                CONFIG_FILE,
                format!(
                    "`oruk.taxonomy_map` maps the term `{}` to `{}`, which is not a category of the framework",
                    m.term.value, m.category.value
                ),
            )
            .at_value(&m.category, m.category.value.chars().count())
            .expected(format!("one of {}", categories.join(", ")));
            out.push(match nearest(&m.category.value, categories.iter().copied()) {
                Some(near) => d.help(format!("did you mean `{near}`?")),
                None => d.help(
                    "use a category id from scoping-data/framework.yaml, or remove the entry to leave the term unmapped",
                ),
            });
        }
        if let Some(first) = settings.taxonomy_map[..i]
            .iter()
            .find(|earlier| earlier.key() == m.key())
        {
            let what = match &m.taxonomy {
                Some(t) => format!("the term `{}` of `{}`", m.term.value, t.value),
                None => format!("the term `{}`", m.term.value),
            };
            out.push(
                Diagnostic::error(
                    "E291",
                    CONFIG_FILE,
                    format!(
                        "`oruk.taxonomy_map` maps {what} a second time (first at line {}, to `{}`)",
                        first.term.line, first.category.value
                    ),
                )
                .at_value(&m.term, m.term.value.chars().count())
                .expected("each taxonomy and term once")
                .help("keep one entry for the term: a term stands for one category"),
            );
        }
    }
}
