//! Rules for `synonyms.yaml`: every group names at least two different phrases, and every
//! phrase has a word the search can look for.

use super::path_of;
use crate::diag::Diagnostic;
use crate::model::Dataset;
use crate::search_text::{STOP_WORDS, words};

pub fn check(ds: &Dataset, out: &mut Vec<Diagnostic>) {
    let Some(loaded) = &ds.synonyms else { return };
    let file = path_of(ds, loaded.source);
    for group in &loaded.value.synonyms {
        let mut distinct: Vec<Vec<String>> = Vec::new();
        for phrase in &group.value {
            let searched = words(&phrase.value);
            if searched.is_empty() {
                out.push(
                    Diagnostic::error(
                        "E241",
                        file,
                        format!("the synonym `{}` has no word the search looks for", phrase.value),
                    )
                    .at_value(phrase, phrase.value.chars().count())
                    .expected(format!(
                        "a word or phrase with letters or digits; single letters and the words {} are not searched",
                        STOP_WORDS.join(", ")
                    ))
                    .help("write the word people type, or delete the line"),
                );
            } else if !distinct.contains(&searched) {
                distinct.push(searched);
            }
        }
        if distinct.len() < 2 {
            let shown: Vec<&str> = group.value.iter().map(|p| p.value.as_str()).collect();
            out.push(
                Diagnostic::error(
                    "E240",
                    file,
                    format!(
                        "the synonym group [{}] does not name two different phrases",
                        shown.join(", ")
                    ),
                )
                .at_value(group, 1)
                .expected("two or more phrases that mean the same, such as [health visitor, health visiting]")
                .help("add the other ways people say it, or delete the group"),
            );
        }
    }
}
