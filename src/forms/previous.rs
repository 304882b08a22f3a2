//! What a form shows as an area's last rating of a category.
//!
//! In: the dataset, the framework, a region and one of its areas, a category and the form's
//! year. Out: the last confirmed rating, note and year of the area's own return or, for a
//! new area, of each predecessor through every generation, as the text of the form's
//! "last rating" cell, and the one rating "No change" would confirm, when there is one.

use crate::analyse::Earlier;
use crate::model::{Area, Dataset, Region};
use std::collections::BTreeSet;

/// The last confirmed rating before `year`: the area's own or, when it has none (a new
/// area after boundary changes), each predecessor's, through every generation. A return
/// still awaiting its form, a carried-forward copy and a draft (with its notes) are never
/// shown as a last rating.
pub fn previous_rating(
    ds: &Dataset,
    region: &Region,
    area: &Area,
    category: &str,
    year: u16,
) -> PreviousRating {
    let lineage = crate::analyse::Lineage::of(ds, region, area);
    let found = lineage.last_confirmed(&area.id.value, category, year);
    let parts = found
        .iter()
        .map(|e| {
            let name = (e.area.id.value != area.id.value).then(|| e.area.name.value.clone());
            part(name, e)
        })
        .collect();
    let codes: BTreeSet<String> = found.iter().map(|e| e.code()).collect();
    PreviousRating {
        years: found.iter().map(|e| e.year()).collect(),
        parts,
        single: (codes.len() == 1).then(|| codes.into_iter().collect()),
    }
}

/// One confirmed rating as the cell shows it: the code, with its label for the area's own.
fn part(name: Option<String>, e: &Earlier) -> Part {
    let code = &e.level.code.value;
    let rating = match &name {
        None => format!("{code} ({})", e.level.label.value),
        Some(_) => code.clone(),
    };
    Part {
        name,
        year: Some(e.year()),
        rating,
        note: e.entry.note.as_ref().map(|n| n.value.trim().to_string()),
    }
}

/// What an area's "last rating" column says for one category.
pub struct PreviousRating {
    pub years: Vec<u16>,
    parts: Vec<Part>,
    /// The one last rating, when there is one to confirm with "No change".
    pub single: Option<String>,
}

struct Part {
    /// The predecessor's name; `None` for the area's own return.
    name: Option<String>,
    year: Option<u16>,
    rating: String,
    note: Option<String>,
}

impl PreviousRating {
    /// "A (Some provision)" and its note for the area's own return; "South Sefton: A;
    /// Southport and Formby: A" and the notes (identical ones once) for predecessors.
    pub fn text(&self, with_years: bool) -> String {
        if self.parts.is_empty() {
            return "No earlier return".to_string();
        }
        let ratings: Vec<String> = self
            .parts
            .iter()
            .map(|p| {
                let year = match (with_years, p.year) {
                    (true, Some(y)) => format!(" ({y})"),
                    _ => String::new(),
                };
                match &p.name {
                    Some(name) => format!("{name}: {}{year}", p.rating),
                    None => format!("{}{year}", p.rating),
                }
            })
            .collect();
        let mut out = ratings.join("; ");
        // Notes, each text once, with the names of the areas it was given for.
        let mut notes: Vec<(String, Vec<&str>)> = Vec::new();
        for p in &self.parts {
            let Some(note) = p.note.as_ref().filter(|n| !n.is_empty()) else {
                continue;
            };
            let name = p.name.as_deref().unwrap_or("");
            match notes.iter_mut().find(|(text, _)| text == note) {
                Some((_, names)) => names.push(name),
                None => notes.push((note.clone(), vec![name])),
            }
        }
        for (note, names) in notes {
            let names: Vec<&str> = names.into_iter().filter(|n| !n.is_empty()).collect();
            if names.is_empty() {
                out.push_str(&format!("\nNote: {note}"));
            } else {
                out.push_str(&format!("\nNote ({}): {note}", names.join(", ")));
            }
        }
        out
    }
}
