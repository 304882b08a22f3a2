//! The words of a return: a category named under `ratings` must be one of the framework's
//! (a name or alias typed instead is pointed to its id), and each rating one of the
//! framework's codes (lower case is read with a warning; a word such as "green" is pointed
//! to its code).
//!
//! In: the framework and one rating's key or code. Out: the diagnostic for it, if any.

use crate::diag::{Diagnostic, nearest};
use crate::model::{Framework, Spanned};

pub(super) fn unknown_category(fw: &Framework, file: &str, key: &Spanned<String>) -> Diagnostic {
    let by_alias = fw.categories.iter().find(|c| {
        c.name.value.eq_ignore_ascii_case(&key.value)
            || c.aliases
                .iter()
                .any(|a| a.value.eq_ignore_ascii_case(&key.value))
    });
    let ids = fw.categories.iter().map(|c| c.id.value.as_str());
    let d = Diagnostic::error("E013", file, format!("unknown category `{}`", key.value))
        .at_value(key, key.value.chars().count())
        .expected(known(ids.clone()));
    match by_alias
        .map(|c| c.id.value.as_str())
        .or_else(|| nearest(&key.value, ids))
    {
        Some(id) => d.help(format!("did you mean `{id}`?")),
        None => d.help("use a category id from scoping-data/framework.yaml"),
    }
}

/// Words people type instead of a code, and the code they mean.
const RATING_WORDS: &[(&str, &str)] = &[
    ("green", "G"),
    ("amber", "A"),
    ("red", "R"),
    ("blue", "B"),
    ("full", "G"),
    ("some", "A"),
    ("none", "R"),
    ("no", "R"),
    ("false", "R"),
    ("development", "B"),
];

pub(super) fn check_code(
    fw: &Framework,
    file: &str,
    category: &str,
    code: &Spanned<String>,
    out: &mut Vec<Diagnostic>,
) {
    let v = code.value.trim();
    if fw.rating(v).is_some() {
        return;
    }
    let codes: Vec<&str> = fw.ratings.iter().map(|r| r.code.value.as_str()).collect();
    let expected = fw
        .ratings
        .iter()
        .map(|r| format!("{} ({})", r.code.value, r.label.value))
        .collect::<Vec<_>>()
        .join(", ");
    let width = code.value.chars().count();
    if let Some(level) = fw.level_of(v) {
        let upper = &level.code.value;
        out.push(
            Diagnostic::warning(
                "W011",
                file,
                format!("rating code `{v}` for `{category}` is lower case; read as `{upper}`"),
            )
            .at_value(code, width)
            .help(format!("write `{upper}`")),
        );
        return;
    }
    let lower = v.to_lowercase();
    let meant = RATING_WORDS
        .iter()
        .find(|(word, _)| {
            lower == *word
                || lower.starts_with(&format!("{word} "))
                || lower.ends_with(&format!(" {word}"))
        })
        .map(|(_, c)| *c)
        .or_else(|| {
            fw.ratings
                .iter()
                .find(|r| r.label.value.eq_ignore_ascii_case(v))
                .map(|r| r.code.value.as_str())
        })
        .filter(|c| codes.contains(c));
    let d = Diagnostic::error(
        "E010",
        file,
        format!("unknown rating code `{v}` for `{category}`"),
    )
    .at_value(code, width)
    .expected(format!("one of {expected}"));
    out.push(match meant {
        Some(c) => d.help(format!("write the code, not the word: `{c}`")),
        None => d.help(format!("use one of {}", codes.join(", "))),
    });
}

pub(super) fn known<'a>(ids: impl Iterator<Item = &'a str>) -> String {
    let list: Vec<&str> = ids.collect();
    if list.is_empty() {
        "no ids are defined yet".into()
    } else {
        format!("one of {}", list.join(", "))
    }
}
