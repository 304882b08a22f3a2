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
    /// "0 full, 6 some, 3 none".
    pub phrase: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct GapSentence {
    pub category_id: String,
    pub text: String,
    /// Areas with no provision, then some: used to sort the worst gaps first.
    pub none: usize,
    pub some: usize,
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
            CategoryCount {
                category_id: col.id.clone(),
                category_name: col.name.clone(),
                phrase: rating_counts_phrase(&counts),
                counts,
                rated,
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

/// One sentence per category, worst gaps first, led by what matters most: whether any
/// area has full provision.
pub fn gap_sentences(fw: &Framework, m: &Matrix) -> Vec<GapSentence> {
    let region = &m.region_name;
    let mut out: Vec<GapSentence> = category_counts(fw, m)
        .into_iter()
        .filter(|c| c.rated > 0)
        .map(|c| {
            let n = |code: &str| {
                c.counts
                    .iter()
                    .find(|x| x.0 == code)
                    .map(|x| x.2)
                    .unwrap_or(0)
            };
            let (full, some, none, dev) = (n("G"), n("A"), n("R"), n("B"));
            let name = &c.category_name;
            let total = c.rated;
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
            let text = if full == total {
                format!("Every area in {region} has full provision of {name}.")
            } else if full == 0 {
                format!("No area in {region} has full provision of {name}: {detail}.")
            } else {
                format!(
                    "{} of {total} in {region} {} full provision of {name}; {detail}.",
                    areas(full),
                    have(full)
                )
            };
            GapSentence {
                category_id: c.category_id,
                text,
                none,
                some,
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
