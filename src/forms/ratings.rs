//! Checking the cells of a form's Ratings sheet, area by area.
//!
//! In: a form's cells as read (`RawForm`), the framework and, for each area of the form,
//! its last confirmed ratings and evidence choices. Out: the rows that name a category
//! graded that year; for each area, the ratings to write (a code, or "No change" read as
//! the one last rating), with notes and evidence ids; and diagnostics at the cell for a
//! formula, an unknown code, a "No change" with nothing single to confirm, or an evidence
//! name the form did not offer.
//!
//! Kept in one file: each cell of the Ratings sheet is read once, and what a cell may hold
//! depends on the cells of its row and area; the checks and the suggestions for a mistyped
//! code are read together.

use super::about::one_of;
use super::codes;
use super::import::at_cell;
use super::layout::*;
use super::read::{AreaCells, CellText, RawForm};
use super::yaml::YamlRating;
use crate::analyse::EarlierCode;
use crate::diag::{Diagnostic, nearest};
use crate::load::DATA_DIR;
use crate::model::{Category, Framework, Spanned};
use std::collections::BTreeSet;

/// Every formula is an error at its cell: its cached value may be stale or computed from
/// cells import never reads, and a person reading the form cannot see it was not typed.
pub fn check_formulas(name: &str, form: &RawForm, out: &mut Vec<Diagnostic>) {
    for f in &form.formulas {
        let shown = if f.formula.is_empty() {
            "a formula".to_string()
        } else {
            format!("the formula `={}`", f.formula)
        };
        out.push(
            Diagnostic::error(
                codes::FORMULA,
                name,
                format!("{}: the cell holds {shown}; type the value, not a formula", f.cell),
            )
            .expected("a typed value (a rating chosen from the drop-down list, or plain text)")
            .help("select the cell, type the value itself (or choose it from the list), save the form and import it again"),
        );
    }
}

/// Last confirmed ratings of a category along an area's lineage.
pub type EarlierOf<'a> = dyn Fn(&str) -> Vec<EarlierCode> + 'a;

/// A row of the Ratings sheet that names a category graded in the form's year.
pub struct CategoryRow<'a> {
    pub index: usize,
    pub category: &'a Category,
}

/// The rows naming a category graded in `year`, each category once; `None` when the sheet
/// is missing. Rows naming no category, an unknown one or one twice are reported; a missing
/// category is an error for the whole sheet.
pub fn check_rows<'a>(
    fw: &'a Framework,
    name: &str,
    form: &RawForm,
    year: u16,
    out: &mut Vec<Diagnostic>,
) -> Option<Vec<CategoryRow<'a>>> {
    let Some(rows) = &form.ratings else {
        out.push(
            Diagnostic::error(
                codes::NOT_A_FORM,
                name,
                format!("the workbook has no `{RATINGS_SHEET}` sheet"),
            )
            .help("import the form as scopemap made it, with its sheets unrenamed"),
        );
        return None;
    };
    let mut found = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for (index, row) in rows.iter().enumerate() {
        let Some(id) = &row.id else {
            out.push(
                Diagnostic::error(
                    "E013",
                    name,
                    format!(
                        "{}: row {} has a rating or note but no category id in column A",
                        cell_ref(RATINGS_SHEET, row.row, COL_ID),
                        row.row + 1
                    ),
                )
                .help("the rows of the form must not be changed; put the rating in the row of its category"),
            );
            continue;
        };
        let Some(cat) = fw.category(&id.text) else {
            let ids = fw.categories.iter().map(|c| c.id.value.as_str());
            let d = Diagnostic::error(
                "E013",
                name,
                format!("{}: unknown category `{}`", id.cell, id.text),
            )
            .expected(one_of(ids.clone()));
            out.push(match nearest(&id.text, ids) {
                Some(near) => d.help(format!(
                    "did you mean `{near}`? Column A must not be changed"
                )),
                None => d.help("column A must not be changed; use a form as scopemap made it"),
            });
            continue;
        };
        if !cat.graded_in(year) {
            out.push(
                Diagnostic::warning(
                    "W035",
                    name,
                    format!(
                        "{}: category `{}` is not graded in {year}; its row was left out",
                        id.cell, id.text
                    ),
                )
                .help("the framework changed after the form was made; nothing to do unless the rating matters"),
            );
            continue;
        }
        if !seen.insert(cat.id.value.clone()) {
            out.push(
                Diagnostic::error(
                    "E031",
                    name,
                    format!("{}: category `{}` has a second row", id.cell, cat.id.value),
                )
                .help("keep one row per category"),
            );
            continue;
        }
        found.push(CategoryRow {
            index,
            category: cat,
        });
    }
    let missing: Vec<&str> = fw
        .categories_in(year)
        .into_iter()
        .filter(|c| !seen.contains(&c.id.value))
        .map(|c| c.id.value.as_str())
        .collect();
    if !missing.is_empty() {
        out.push(
            Diagnostic::error(
                "E012",
                name,
                format!(
                    "{RATINGS_SHEET}: the sheet has no row for {}",
                    missing.join(", ")
                ),
            )
            .expected(format!("a row for every category graded in {year}"))
            .help("rows were deleted from the form; copy the ratings into a new form"),
        );
    }
    // Framework order, whatever order the rows were in.
    found.sort_by_key(|r| {
        fw.categories
            .iter()
            .position(|c| c.id.value == r.category.id.value)
            .unwrap_or(usize::MAX)
    });
    Some(found)
}

/// One area of a form, as its ratings are checked.
pub struct FormAreaCheck<'a> {
    /// Its block of columns on the Ratings sheet (0 for the first or only area).
    pub block: usize,
    /// Its name on a joint form, to say in messages whose rating a cell holds; `None` on a
    /// single-area form.
    pub joint_name: Option<&'a str>,
    pub earlier: &'a EarlierOf<'a>,
    /// The evidence choices the form offered for the area.
    pub choices: &'a [(String, String)],
}

/// The ratings of one area of the form, in framework order, and the categories confirmed
/// with "No change". Cells with problems are reported and their rows left out.
pub fn area_ratings(
    fw: &Framework,
    name: &str,
    form: &RawForm,
    rows: &[CategoryRow],
    area: &FormAreaCheck,
    out: &mut Vec<Diagnostic>,
) -> (Vec<YamlRating>, BTreeSet<String>) {
    let codes_list: Vec<&str> = fw.ratings.iter().map(|r| r.code.value.as_str()).collect();
    let expected = format!(
        "one of {}",
        fw.ratings
            .iter()
            .map(|r| format!("{} ({})", r.code.value, r.label.value))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let all_rows = form.ratings.as_deref().unwrap_or(&[]);
    let columns = area_columns(area.block);
    let in_area = area
        .joint_name
        .map(|n| format!(" in {n}"))
        .unwrap_or_default();
    let mut found: Vec<YamlRating> = Vec::new();
    let mut unchanged: BTreeSet<String> = BTreeSet::new();
    for CategoryRow {
        index,
        category: cat,
    } in rows
    {
        let Some(row) = all_rows.get(*index) else {
            continue;
        };
        let empty = AreaCells::default();
        let cells = row.areas.get(area.block).unwrap_or(&empty);
        let rating_cell = cell_ref(RATINGS_SHEET, row.row, columns.rating);
        let note_cell = cell_ref(RATINGS_SHEET, row.row, columns.note);
        // A formula was reported at its cell; its cached value is not taken.
        if form.is_formula(&rating_cell) || form.is_formula(&note_cell) {
            continue;
        }
        let what = format!("`{}`{in_area}", cat.name.value);
        let Some(value) = &cells.rating else {
            out.push(
                Diagnostic::error(
                    "E012",
                    name,
                    format!(
                        "{rating_cell}: no rating for `{}` ({}){in_area}",
                        cat.name.value, cat.id.value
                    ),
                )
                .expected(expected.clone())
                .help(format!(
                    "choose one of {} from the drop-down list in the cell",
                    codes_list.join(", ")
                )),
            );
            continue;
        };
        let code = if value.text.trim().eq_ignore_ascii_case(NO_CHANGE) {
            let confirmed =
                confirmed_rating(name, &what, value, (area.earlier)(&cat.id.value), out);
            if confirmed.is_some() {
                unchanged.insert(cat.id.value.clone());
            }
            confirmed
        } else {
            rating_code(fw, name, &what, value, &expected, out)
        };
        let evidence = evidence_ids(name, form, &cells.evidence, area.choices, out);
        let (Some(code), Some(evidence)) = (code, evidence) else {
            continue;
        };
        found.push(YamlRating {
            category: cat.id.value.clone(),
            code,
            note: cells.note.as_ref().map(|n| n.text.clone()),
            rating_cell,
            note_cell,
            evidence,
        });
    }
    (found, unchanged)
}

/// The service ids of a row's evidence cells, each with its cell, each service once; `None`
/// when a cell names no service the form offered (an error at that cell) or the form's
/// area is unknown (reported already).
fn evidence_ids(
    name: &str,
    form: &RawForm,
    cells: &[CellText],
    choices: &[(String, String)],
    out: &mut Vec<Diagnostic>,
) -> Option<Vec<(String, String)>> {
    let mut ids: Vec<(String, String)> = Vec::new();
    let mut all_known = true;
    for cell in cells {
        if form.is_formula(&cell.cell) {
            all_known = false;
            continue;
        }
        let typed = cell.text.trim();
        let found = choices
            .iter()
            .find(|(choice, _)| choice == typed)
            .or_else(|| choices.iter().find(|(c, _)| c.eq_ignore_ascii_case(typed)));
        match found {
            Some((_, id)) => {
                if !ids.iter().any(|(known, _)| known == id) {
                    ids.push((id.clone(), cell.cell.clone()));
                }
            }
            None => {
                all_known = false;
                let names = choices.iter().map(|(c, _)| c.as_str());
                let d = Diagnostic::error(
                    codes::UNKNOWN_EVIDENCE,
                    name,
                    format!(
                        "{}: `{}` is not a service the directory lists for the form's area",
                        cell.cell,
                        super::xlsx::shown(typed)
                    ),
                )
                .expected(if choices.is_empty() {
                    "nothing: the directory lists no service for this area".to_string()
                } else {
                    "a service chosen from the cell's drop-down list".to_string()
                });
                out.push(match nearest(typed, names) {
                    Some(near) => d.help(format!("did you mean “{near}”? Choose it from the drop-down list in the cell")),
                    None => d.help(format!("choose a service from the drop-down list, or add the service to {DATA_DIR}/directory/ with this area in its `areas`, make the form again and copy the ratings into it")),
                });
            }
        }
    }
    all_known.then_some(ids)
}

/// The rating "No change" confirms: the one last confirmed rating. With none, or with
/// predecessors rated differently, there is nothing single to confirm: an error at the cell.
fn confirmed_rating(
    name: &str,
    what: &str,
    value: &CellText,
    earlier: Vec<EarlierCode>,
    out: &mut Vec<Diagnostic>,
) -> Option<String> {
    let why = match earlier.as_slice() {
        [] => "there is no earlier rating to confirm".to_string(),
        [one, rest @ ..] if rest.iter().all(|e| e.code == one.code) => {
            return Some(one.code.clone());
        }
        _ => format!(
            "the area's predecessors were rated differently ({}), so there is no single last rating to confirm",
            crate::analyse::earlier_phrase(&earlier)
        ),
    };
    out.push(
        Diagnostic::error(
            codes::NO_SINGLE_LAST_RATING,
            name,
            format!("{}: “{NO_CHANGE}” for {what}, but {why}", value.cell),
        )
        .expected("this year's rating code")
        .help("choose this year's rating from the drop-down list in the cell"),
    );
    None
}

/// The code a rating cell means: exact, or in lower case (with a warning). Anything else
/// is an error that suggests the code most likely meant.
fn rating_code(
    fw: &Framework,
    name: &str,
    what: &str,
    value: &CellText,
    expected: &str,
    out: &mut Vec<Diagnostic>,
) -> Option<String> {
    let v = value.text.trim();
    if fw.rating(v).is_some() {
        return Some(v.to_string());
    }
    if let Some(level) = fw.level_of(v) {
        let upper = level.code.value.clone();
        out.push(
            Diagnostic::warning(
                "W011",
                name,
                format!(
                    "{}: rating code `{v}` for {what} is lower case; read as `{upper}`",
                    value.cell
                ),
            )
            .help(format!(
                "choose `{upper}` from the drop-down list next time"
            )),
        );
        return Some(upper);
    }
    let suggestions = suggest_codes(fw, v);
    let d = Diagnostic::error(
        "E010",
        name,
        format!("{}: unknown rating code `{v}` for {what}", value.cell),
    )
    .expected(expected.to_string());
    let codes: Vec<&str> = fw.ratings.iter().map(|r| r.code.value.as_str()).collect();
    out.push(if suggestions.is_empty() {
        d.help(format!(
            "choose one of {} from the drop-down list in the cell",
            codes.join(", ")
        ))
    } else {
        let named: Vec<String> = suggestions
            .iter()
            .map(|c| match fw.rating(c) {
                Some(level) => format!("`{c}` ({})", level.label.value),
                None => format!("`{c}`"),
            })
            .collect();
        d.help(format!(
            "did you mean {}? Choose the code from the drop-down list in the cell",
            named.join(" or ")
        ))
    });
    None
}

/// Words people type instead of a code, and the code they mean.
const RATING_WORDS: &[(&str, &str)] = &[
    ("green", "G"),
    ("amber", "A"),
    ("yellow", "A"),
    ("orange", "A"),
    ("red", "R"),
    ("blue", "B"),
    ("full", "G"),
    ("yes", "G"),
    ("some", "A"),
    ("partial", "A"),
    ("none", "R"),
    ("no", "R"),
    ("development", "B"),
    ("developing", "B"),
];

/// The rating codes `value` most likely meant, best first; empty when there is no guess.
fn suggest_codes(fw: &Framework, value: &str) -> Vec<String> {
    let codes: Vec<&str> = fw.ratings.iter().map(|r| r.code.value.as_str()).collect();
    let known = |c: &str| codes.iter().any(|k| k.eq_ignore_ascii_case(c));
    let lower = value.to_lowercase();
    // A label ("Full provision") or glyph (✓).
    if let Some(level) = fw
        .ratings
        .iter()
        .find(|r| r.label.value.eq_ignore_ascii_case(value.trim()) || r.glyph.value == value.trim())
    {
        return vec![level.code.value.clone()];
    }
    // A colour or word, alone or at either end ("green - stable funding").
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    for (word, code) in RATING_WORDS {
        if known(code) && (words.first() == Some(word) || words.last() == Some(word)) {
            return vec![(*code).to_string()];
        }
    }
    // A code with punctuation or extra text around it ("G.", "(A)", "R - none").
    if let Some(first) = words.first()
        && let Some(code) = codes.iter().find(|c| c.eq_ignore_ascii_case(first))
    {
        return vec![(*code).to_string()];
    }
    // One letter: the codes next to it on the keyboard (`Y` sits by `G` and `H`).
    let letters: Vec<char> = lower.chars().filter(|c| c.is_alphanumeric()).collect();
    if let [c] = letters.as_slice() {
        let near: Vec<String> = keyboard_neighbours(*c)
            .into_iter()
            .filter_map(|n| {
                codes
                    .iter()
                    .find(|code| code.eq_ignore_ascii_case(&n.to_string()))
                    .map(|code| (*code).to_string())
            })
            .collect();
        if !near.is_empty() {
            return near;
        }
    }
    // Close spelling of a label ("Ful provision").
    let labels: Vec<&str> = fw.ratings.iter().map(|r| r.label.value.as_str()).collect();
    if value.chars().count() > 3
        && let Some(label) = nearest(value, labels.iter().copied())
        && let Some(level) = fw.ratings.iter().find(|r| r.label.value == label)
    {
        return vec![level.code.value.clone()];
    }
    Vec::new()
}

/// Keys next to `c` on a UK/US QWERTY keyboard, in keyboard order.
fn keyboard_neighbours(c: char) -> Vec<char> {
    const ROWS: [&str; 3] = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];
    let rows: Vec<Vec<char>> = ROWS.iter().map(|r| r.chars().collect()).collect();
    let Some((r, i)) = rows
        .iter()
        .enumerate()
        .find_map(|(r, keys)| keys.iter().position(|k| *k == c).map(|i| (r, i)))
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut take = |row: usize, idx: Option<usize>| {
        if let Some(k) = idx.and_then(|i| rows.get(row).and_then(|keys| keys.get(i))) {
            out.push(*k);
        }
    };
    if r > 0 {
        take(r - 1, Some(i));
        take(r - 1, Some(i + 1));
    }
    take(r, i.checked_sub(1));
    take(r, Some(i + 1));
    take(r + 1, i.checked_sub(1));
    take(r + 1, Some(i));
    out
}

/// `compiled_on` as the project's rule reads it; a UK date (`01/05/2023`) gets a hint.
pub fn check_compiled_on(name: &str, cell: &CellText, out: &mut Vec<Diagnostic>) -> Option<String> {
    let mut found = Vec::new();
    let value = Spanned::synthetic(cell.text.clone());
    if crate::validate::common::check_date(name, &value, "compiled_on", &mut found).is_some() {
        return Some(cell.text.clone());
    }
    let uk = chrono::NaiveDate::parse_from_str(&cell.text, "%d/%m/%Y")
        .ok()
        .map(|d| d.format("%Y-%m-%d").to_string());
    for d in found {
        let help = match &uk {
            Some(iso) => format!("write the date as YYYY-MM-DD: `{iso}`"),
            None => "write the date as YYYY-MM-DD, e.g. 2023-05-01".to_string(),
        };
        out.push(at_cell(d, name, &cell.cell).help(help));
    }
    None
}
