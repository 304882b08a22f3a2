//! Which form a workbook is: its hidden About sheet and visible titles, checked.
//!
//! In: a form's cells as read (`RawForm`) and the dataset. Out: the year, region and areas
//! the About sheet names (several on a joint form), each checked to be known and in use
//! that year, and diagnostics at the About cell for each that is not; and errors (E141)
//! where the visible title of the Ratings sheet, or on a joint form the heading of an
//! area's rating column, names another year, region or area than the About sheet.

use super::codes;
use super::layout::*;
use super::read::{CellText, RawForm};
use crate::diag::{Diagnostic, nearest};
use crate::model::Dataset;

/// What the About sheet says the form is for.
pub struct Subject {
    pub year: u16,
    /// The form format version.
    pub version: u32,
    /// The region id and the form's areas (several on a joint form), when the region and
    /// every area are known and in use in `year`.
    pub areas: Option<(String, Vec<SubjectArea>)>,
    /// The About cell of the (first) area, for diagnostics about the whole form.
    pub about_cell: String,
}

/// One area of a form: its id and the About cell that names it.
pub struct SubjectArea {
    pub id: String,
    pub cell: String,
}

/// What the hidden About sheet says: year, region and areas, each checked against the
/// data. `None` when the workbook is not a form this scopemap reads.
pub fn check_about(
    ds: &Dataset,
    name: &str,
    form: &RawForm,
    out: &mut Vec<Diagnostic>,
) -> Option<Subject> {
    let not_a_form = |message: String| {
        Diagnostic::error(codes::NOT_A_FORM, name, message).help(
            "import only forms made by scopemap, with their sheets as they were; if the About sheet was deleted, copy the ratings into a new form",
        )
    };
    let Some(about) = &form.about else {
        out.push(not_a_form(format!(
            "the workbook has no `{ABOUT_SHEET}` sheet, so it is not a scopemap return form (or that hidden sheet was deleted)"
        )));
        return None;
    };
    let get = |key: &str| about.get(key);
    if get(ABOUT_FORM).map(|c| c.text.as_str()) != Some(FORM_MARKER) {
        out.push(not_a_form(format!(
            "{}: the `{ABOUT_SHEET}` sheet does not say `{FORM_MARKER}`, so this is not a scopemap return form",
            cell_ref(ABOUT_SHEET, 0, ABOUT_VALUE_COL)
        )));
        return None;
    }
    let missing = |key: &str, row: u32| {
        not_a_form(format!(
            "{}: the `{ABOUT_SHEET}` sheet has no `{key}`",
            cell_ref(ABOUT_SHEET, row, ABOUT_VALUE_COL)
        ))
    };
    let Some(version) = get(ABOUT_VERSION) else {
        out.push(missing(ABOUT_VERSION, 1));
        return None;
    };
    match version.text.trim().parse::<u32>() {
        Ok(v) if (OLDEST_FORM_FORMAT..=FORM_FORMAT_VERSION).contains(&v) => {}
        Ok(v) => {
            let why = if v > FORM_FORMAT_VERSION {
                "made by a newer scopemap"
            } else {
                "an older form format"
            };
            out.push(
                Diagnostic::error(
                    codes::FORMAT_VERSION,
                    name,
                    format!(
                        "{}: the form is format version {v} ({why}); this scopemap reads versions {OLDEST_FORM_FORMAT} to {FORM_FORMAT_VERSION}",
                        version.cell
                    ),
                )
                .expected(format!("format version {OLDEST_FORM_FORMAT} to {FORM_FORMAT_VERSION}"))
                .help("import it with the scopemap that made it, or copy the ratings into a form made by this version"),
            );
            return None;
        }
        Err(_) => {
            out.push(
                Diagnostic::error(
                    codes::FORMAT_VERSION,
                    name,
                    format!(
                        "{}: `{}` is not a form format version",
                        version.cell, version.text
                    ),
                )
                .expected(format!(
                    "format version {OLDEST_FORM_FORMAT} to {FORM_FORMAT_VERSION}"
                ))
                .help("the About sheet was changed; use a form as scopemap made it"),
            );
            return None;
        }
    }
    let (Some(year), Some(region), Some(area)) =
        (get(ABOUT_YEAR), get(ABOUT_REGION), get(ABOUT_AREA))
    else {
        for (row, key) in ABOUT_KEYS.iter().enumerate().skip(2) {
            if get(key).is_none() {
                out.push(missing(key, row as u32));
            }
        }
        return None;
    };
    let Ok(year_value) = year.text.trim().parse::<u16>() else {
        out.push(not_a_form(format!(
            "{}: `{}` is not a year",
            year.cell, year.text
        )));
        return None;
    };
    let mut subject = Subject {
        year: year_value,
        version: version.text.trim().parse::<u32>().unwrap_or(0),
        areas: None,
        about_cell: area.cell.clone(),
    };
    let region_ids = ds.regions().iter().map(|r| r.value.id.value.as_str());
    let Some(reg) = ds.region(&region.text) else {
        let d = Diagnostic::error(
            "E017",
            name,
            format!("{}: unknown region `{}`", region.cell, region.text),
        )
        .expected(one_of(region_ids.clone()));
        out.push(match nearest(&region.text, region_ids) {
            Some(near) => d.help(format!("did you mean `{near}`? The form may be for another site's data")),
            None => d.help("add the region under scoping-data/regions/, or import the form into the data it was made from"),
        });
        return Some(subject);
    };
    // A version 1 or 2 form names one area; from version 3 a joint form names several,
    // side by side.
    let cells: Vec<&CellText> = if subject.version >= 3 && !form.about_areas.is_empty() {
        form.about_areas.iter().collect()
    } else {
        vec![area]
    };
    let mut areas = Vec::new();
    for (i, cell) in cells.iter().enumerate() {
        if let Some(first) = cells[..i].iter().find(|c| c.text == cell.text) {
            out.push(
                Diagnostic::error(
                    codes::DUPLICATE_FORM,
                    name,
                    format!(
                        "{}: area `{}` is named twice on the form, also in {}",
                        cell.cell, cell.text, first.cell
                    ),
                )
                .help("the About sheet was changed; fill in the form `scopemap forms` made for the areas"),
            );
            continue;
        }
        if check_area(ds, name, reg, cell, region, year_value, out) {
            areas.push(SubjectArea {
                id: cell.text.clone(),
                cell: cell.cell.clone(),
            });
        }
    }
    if areas.len() == cells.len() {
        subject.areas = Some((reg.id.value.clone(), areas));
    }
    Some(subject)
}

/// Whether the area an About cell names is an area of `reg` in use in `year`; an error at
/// the cell when it is not.
fn check_area(
    ds: &Dataset,
    name: &str,
    reg: &crate::model::Region,
    area: &CellText,
    region: &CellText,
    year: u16,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let area_ids = reg.areas.iter().map(|a| a.id.value.as_str());
    if reg.area(&area.text).is_none()
        && let Some((other, ar)) = ds.area(&area.text)
    {
        out.push(
            Diagnostic::error(
                codes::AREA_OF_ANOTHER_REGION,
                name,
                format!(
                    "{}: area `{}` ({}) is in region `{}`, but {} says region `{}`",
                    area.cell, ar.id.value, ar.name.value, other.id.value, region.cell, reg.id.value
                ),
            )
            .expected(one_of(area_ids))
            .help("the About sheet was changed or copied from another form; fill in the form `scopemap forms` made for the area"),
        );
        return false;
    }
    let Some(ar) = reg.area(&area.text) else {
        let d = Diagnostic::error(
            "E017",
            name,
            format!(
                "{}: unknown area `{}` in region `{}`",
                area.cell, area.text, reg.id.value
            ),
        )
        .expected(one_of(area_ids.clone()));
        out.push(match nearest(&area.text, area_ids) {
            Some(near) => d.help(format!("did you mean `{near}`?")),
            None => d.help(format!(
                "add the area to scoping-data/regions/{}.yaml, or import the form into the data it was made from",
                reg.id.value
            )),
        });
        return false;
    };
    if !ar.in_use_in(year) {
        let successors: Vec<&str> = reg
            .successors_of(&ar.id.value)
            .iter()
            .filter(|a| a.in_use_in(year))
            .map(|a| a.name.value.as_str())
            .collect();
        let help = if successors.is_empty() {
            format!("use the form of an area in use in {year}")
        } else {
            format!(
                "in {year} this area is succeeded by {}; use that area's form",
                successors.join(", ")
            )
        };
        out.push(
            Diagnostic::error(
                "E016",
                name,
                format!(
                    "{}: area `{}` is not in use in {year}",
                    area.cell, ar.id.value
                ),
            )
            .help(help),
        );
        return false;
    }
    true
}

/// The visible title of the Ratings sheet must name the year, region and area(s) that the
/// hidden About sheet gives, and on a joint form each area's rating column must be headed
/// with the area the About sheet gives for it, so a form copied from another year or area,
/// or with its sheets changed, is caught.
pub fn check_titles(
    ds: &Dataset,
    name: &str,
    form: &RawForm,
    subject: &Subject,
    out: &mut Vec<Diagnostic>,
) {
    let Some((region_id, areas)) = &subject.areas else {
        return;
    };
    let Some(region) = ds.region(region_id) else {
        return;
    };
    let names: Vec<&str> = areas
        .iter()
        .filter_map(|a| region.area(&a.id))
        .map(|a| a.name.value.as_str())
        .collect();
    if names.len() != areas.len() {
        return;
    }
    let year_cell = cell_ref(
        ABOUT_SHEET,
        ABOUT_KEYS
            .iter()
            .position(|k| *k == ABOUT_YEAR)
            .unwrap_or(2) as u32,
        ABOUT_VALUE_COL,
    );
    let expected = ratings_title(
        &joint_label(names.iter().copied()),
        &region.name.value,
        subject.year,
    );
    let found = form.title.as_ref();
    if found.map(|t| t.text.as_str()) != Some(expected.as_str()) {
        let last_area = areas
            .last()
            .map_or(subject.about_cell.as_str(), |a| a.cell.as_str());
        out.push(
            Diagnostic::error(
                codes::TITLE_MISMATCH,
                name,
                format!(
                    "{} reads “{}” but {}:{} say the form is for {} ({}), {}",
                    cell_ref(RATINGS_SHEET, RATINGS_TITLE_ROW, 0),
                    found.map(|t| t.text.as_str()).unwrap_or(""),
                    year_cell,
                    last_area.trim_start_matches("About!"),
                    joint_label(names.iter().copied()),
                    region.name.value,
                    subject.year
                ),
            )
            .expected(format!("“{expected}”"))
            .help("the form was copied from another year or area, or its sheets were changed; fill in the form made for this year and area by `scopemap forms`"),
        );
    }
    if areas.len() < 2 {
        return;
    }
    for (i, (area, area_name)) in areas.iter().zip(&names).enumerate() {
        let expected = joint_rating_header(area_name, subject.year);
        let found = form.rating_headers.get(i).and_then(Option::as_ref);
        if found.map(|h| h.text.as_str()) == Some(expected.as_str()) {
            continue;
        }
        out.push(
            Diagnostic::error(
                codes::TITLE_MISMATCH,
                name,
                format!(
                    "{} reads “{}” but {} and {} say this column is for {} in {}",
                    cell_ref(RATINGS_SHEET, RATINGS_HEADER_ROW, area_columns(i).rating),
                    found.map(|h| h.text.as_str()).unwrap_or(""),
                    area.cell,
                    year_cell,
                    area_name,
                    subject.year
                ),
            )
            .expected(format!("“{expected}”"))
            .help("the columns or the About sheet of the joint form were changed; fill in the form made for these areas by `scopemap forms`"),
        );
    }
}

pub fn one_of<'a>(ids: impl Iterator<Item = &'a str>) -> String {
    let list: Vec<&str> = ids.collect();
    if list.is_empty() {
        "no ids are defined yet".into()
    } else {
        format!("one of {}", list.join(", "))
    }
}
