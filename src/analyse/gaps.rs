//! Counts per category and the gap summary written as sentences.

use super::matrix::Matrix;
use crate::model::Framework;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct CategoryCount {
    pub category_id: String,
    pub category_name: String,
    /// (code, label, count) in the framework's order.
    pub counts: Vec<(String, String, usize)>,
    pub rated: usize,
    /// Areas whose rating has not been returned yet: in no count.
    pub awaiting: usize,
    /// "0 full, 6 some, 3 none", and ", 2 awaiting return" when some are awaited.
    pub phrase: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct GapSentence {
    pub category_id: String,
    pub text: String,
    /// Areas with no provision, then some: used to sort the worst gaps first.
    pub none: usize,
    pub some: usize,
    /// Every area that returned a rating has full provision: a statement of provision,
    /// not of a gap, which pages show apart from the gaps.
    pub full: bool,
}

pub fn category_counts(fw: &Framework, m: &Matrix) -> Vec<CategoryCount> {
    m.columns
        .iter()
        .enumerate()
        .map(|(i, col)| {
            let counts: Vec<(String, String, usize)> = fw
                .ratings
                .iter()
                .map(|r| {
                    let n = m
                        .column_cells(i)
                        .filter(|(_, c)| c.is_some_and(|c| c.code == r.code.value))
                        .count();
                    (r.code.value.clone(), r.label.value.clone(), n)
                })
                .collect();
            let rated = counts.iter().map(|c| c.2).sum();
            let awaiting = m.awaiting_in(i);
            let mut phrase = rating_counts_phrase(&counts);
            if awaiting > 0 {
                phrase.push_str(&format!(", {awaiting} awaiting return"));
            }
            CategoryCount {
                category_id: col.id.clone(),
                category_name: col.name.clone(),
                phrase,
                counts,
                rated,
                awaiting,
            }
        })
        .collect()
}

/// "0 full, 6 some, 3 none, 1 in development" from counts by rating.
pub fn rating_counts_phrase(counts: &[(String, String, usize)]) -> String {
    counts
        .iter()
        .filter(|(code, _, n)| *n > 0 || code != "B")
        .map(|(_, label, n)| format!("{n} {}", short_label(label)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "Full provision" → "full"; "In development" → "in development".
fn short_label(label: &str) -> String {
    let lower = label.to_lowercase();
    if lower.starts_with("no ") {
        return "none".into();
    }
    lower
        .strip_suffix(" provision")
        .unwrap_or(&lower)
        .to_string()
}

fn areas(n: usize) -> String {
    if n == 1 {
        "1 area".into()
    } else {
        format!("{n} areas")
    }
}

fn have(n: usize) -> &'static str {
    if n == 1 { "has" } else { "have" }
}

/// " 2 areas have not returned yet." when some ratings are still awaited.
fn not_returned(awaiting: usize) -> String {
    if awaiting == 0 {
        return String::new();
    }
    format!(" {} {} not returned yet.", areas(awaiting), have(awaiting))
}

/// One sentence per category, worst gaps first, led by what matters most: whether any
/// area has full provision. Only ratings that were returned count; the sentence says how
/// many areas have not returned yet.
pub fn gap_sentences(fw: &Framework, m: &Matrix) -> Vec<GapSentence> {
    let region = &m.region_name;
    let counts = category_counts(fw, m);
    // Nothing returned at all: one sentence rather than the same one per category.
    if counts.iter().all(|c| c.rated == 0) {
        let awaited = m.rows.len();
        if counts.iter().any(|c| c.awaiting > 0) {
            return vec![GapSentence {
                category_id: String::new(),
                text: format!(
                    "No area in {region} has returned its {} ratings yet ({} awaited).",
                    m.year,
                    areas(awaited)
                ),
                none: 0,
                some: 0,
                full: false,
            }];
        }
        return Vec::new();
    }
    let mut out: Vec<GapSentence> = counts
        .into_iter()
        .filter(|c| c.rated > 0 || c.awaiting > 0)
        .map(|c| {
            let name = &c.category_name;
            if c.rated == 0 {
                return GapSentence {
                    category_id: c.category_id,
                    text: format!(
                        "No area in {region} has returned its rating of {name} yet ({} awaited).",
                        areas(c.awaiting)
                    ),
                    none: 0,
                    some: 0,
                    full: false,
                };
            }
            let n = |code: &str| {
                c.counts
                    .iter()
                    .find(|x| x.0 == code)
                    .map(|x| x.2)
                    .unwrap_or(0)
            };
            let (full, some, none, dev) = (n("G"), n("A"), n("R"), n("B"));
            let total = c.rated;
            let returned = if c.awaiting > 0 { " that returned" } else { "" };
            let mut parts = Vec::new();
            if some > 0 {
                parts.push(format!("{} of {total} {} some provision", some, have(some)));
            }
            if none > 0 {
                parts.push(format!("{} of {total} {} none", none, have(none)));
            }
            if dev > 0 {
                parts.push(format!(
                    "{} of {total} {} a service in development",
                    dev,
                    have(dev)
                ));
            }
            let detail = join_words(&parts);
            let mut text = if full == total {
                format!("Every area in {region}{returned} has full provision of {name}.")
            } else if full == 0 {
                format!("No area in {region}{returned} has full provision of {name}: {detail}.")
            } else {
                format!(
                    "{} of {total} in {region}{returned} {} full provision of {name}; {detail}.",
                    areas(full),
                    have(full)
                )
            };
            text.push_str(&not_returned(c.awaiting));
            GapSentence {
                category_id: c.category_id,
                text,
                none,
                some,
                full: full == total,
            }
        })
        .collect();
    out.sort_by_key(|g| std::cmp::Reverse((g.none, g.some)));
    out
}

fn join_words(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
