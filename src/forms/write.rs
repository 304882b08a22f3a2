//! Writing return forms with rust_xlsxwriter.
//!
//! In: a loaded `Dataset`, a year, a region id (and for one form its area ids, one or
//! several that return together, and the values to put in its input cells). Out: `.xlsx`
//! files in the output folder, named `<year>-<region-id>-<area-id>.xlsx` (area ids joined
//! with `-and-` for a joint form), or a message saying why none could be written. The
//! Ratings sheet is written by `ratings_sheet`, the Services sheet by `forms::services`.
//! Output is deterministic: the same data gives byte-identical files, because the
//! document's creation date is fixed (1 January of the form's year) rather than "now".
//!
//! Kept in one file: the form's layout (its sheets, styles, cell positions and protection)
//! is written by one `Form` value whose parts read one another's positions; the Ratings
//! and Services sheets, which stand alone, have files of their own.

use super::layout::*;
use crate::diag::Failure;
use crate::model::ReturnsSettings;
use crate::model::{Area, Category, Dataset, Framework, Region};
use chrono::Datelike;
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula,
    ProtectionOptions, Workbook, Worksheet, XlsxError,
};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod ratings_sheet;

/// Values to put into a form's input cells, as a person would type them. Blank forms use
/// `FormFill::default()`. Tests use it to make filled forms: rust_xlsxwriter cannot edit
/// an existing workbook, so a "filled" form is the same form written again with these
/// values in its unlocked cells (the cells and their formats are exactly those of a blank
/// form).
#[derive(Debug, Clone, Default)]
pub struct FormFill {
    pub compiled_by: Option<String>,
    pub compiled_on: Option<String>,
    /// By category id: the text typed in the rating cell and the note cell.
    pub ratings: BTreeMap<String, FilledRating>,
    /// Services the directory does not list, typed into the blank rows of the Services
    /// table: one value a column from B ("Service name"), missing columns left blank.
    pub services: Vec<Vec<String>>,
    /// By directory id: what is typed in a listed service's row of the Services table.
    pub contacts: BTreeMap<String, ServiceFill>,
    /// Formulas typed over cells, as a person might type `="G"` into a rating cell.
    pub formulas: Vec<FilledFormula>,
    /// By category id: the text in the evidence cells, left to right (at most three).
    pub evidence: BTreeMap<String, Vec<String>>,
    /// For a joint form: the ratings and evidence typed for each area, by area id. An area
    /// not listed here takes `ratings` and `evidence`.
    pub by_area: BTreeMap<String, AreaFill>,
}

/// The cells of a listed service's row of the Services table, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceFill {
    pub website: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub how_to_access: Option<String>,
    /// One of the "Who can refer" choices, or anything typed.
    pub who_can_refer: Option<String>,
}

/// The rating, note and evidence cells of one area of a joint form.
#[derive(Debug, Clone, Default)]
pub struct AreaFill {
    pub ratings: BTreeMap<String, FilledRating>,
    pub evidence: BTreeMap<String, Vec<String>>,
}

/// A formula in one cell (0-based row and column), with the value it was last computed to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilledFormula {
    pub sheet: String,
    pub row: u32,
    pub col: u16,
    /// With its `=`, e.g. `="G"`.
    pub formula: String,
    pub result: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilledRating {
    pub rating: String,
    pub note: Option<String>,
}

/// Write one blank form per area of `region_id` in use in `year`, into `out_dir` (created
/// if missing), saying nothing about a contact or due date. Returns the paths written, in
/// the region's area order.
pub fn write_forms(
    ds: &Dataset,
    year: u16,
    region_id: &str,
    out_dir: &Path,
) -> Result<Vec<PathBuf>, Failure> {
    write_forms_with(
        ds,
        &ReturnsSettings::default(),
        year,
        region_id,
        &[],
        out_dir,
    )
}

/// `write_forms`, with the contact and due date of `settings` on every form, and one joint
/// form for each group of area ids in `joint` (areas that return together) in place of
/// their single forms. Returns the paths written, in the order of each form's first area.
pub fn write_forms_with(
    ds: &Dataset,
    settings: &ReturnsSettings,
    year: u16,
    region_id: &str,
    joint: &[Vec<String>],
    out_dir: &Path,
) -> Result<Vec<PathBuf>, Failure> {
    let (_, region) = form_subject(ds, year, region_id)?;
    let areas = region.areas_in(year);
    if areas.is_empty() {
        return Err(Failure::new(format!(
            "region `{region_id}` has no areas in use in {year}; check the `in_use` years in scoping-data/regions/{region_id}.yaml"
        )));
    }
    // Every group is checked before any form is written.
    let mut grouped: Vec<&str> = Vec::new();
    for group in joint {
        if group.len() > MAX_JOINT_AREAS {
            return Err(Failure::new(format!(
                "a form covers one to {MAX_JOINT_AREAS} areas, not {} ({}); split the joint group",
                group.len(),
                group.join(", ")
            )));
        }
        for id in group {
            if grouped.contains(&id.as_str()) {
                return Err(Failure::new(format!(
                    "area `{id}` is in more than one joint form; list each area in one `--joint` group only"
                )));
            }
            form_area(region, year, id)?;
            grouped.push(id);
        }
    }
    let mut written = Vec::new();
    for area in &areas {
        let id = area.id.value.as_str();
        let group: Vec<&str> = match joint.iter().find(|g| g.iter().any(|a| a == id)) {
            // A joint form is written once, where its first area in the region's order is.
            Some(group) => {
                let first = areas
                    .iter()
                    .find(|a| group.contains(&a.id.value))
                    .map(|a| a.id.value.as_str());
                if first != Some(id) {
                    continue;
                }
                group.iter().map(String::as_str).collect()
            }
            None => vec![id],
        };
        written.push(write_joint_form(
            ds,
            settings,
            year,
            region_id,
            &group,
            &FormFill::default(),
            out_dir,
        )?);
    }
    Ok(written)
}

/// Write the form of one area, with `fill` typed into its input cells, into `out_dir`.
pub fn write_form(
    ds: &Dataset,
    year: u16,
    region_id: &str,
    area_id: &str,
    fill: &FormFill,
    out_dir: &Path,
) -> Result<PathBuf, Failure> {
    let settings = ReturnsSettings::default();
    write_form_with(ds, &settings, year, region_id, area_id, fill, out_dir)
}

/// `write_form`, with the contact and due date of `settings` on the form.
pub fn write_form_with(
    ds: &Dataset,
    settings: &ReturnsSettings,
    year: u16,
    region_id: &str,
    area_id: &str,
    fill: &FormFill,
    out_dir: &Path,
) -> Result<PathBuf, Failure> {
    write_joint_form(ds, settings, year, region_id, &[area_id], fill, out_dir)
}

/// Write one form covering the areas `area_ids` of a region that return together (one
/// area makes a single-area form), with `fill` typed into its input cells, into `out_dir`.
pub fn write_joint_form(
    ds: &Dataset,
    settings: &ReturnsSettings,
    year: u16,
    region_id: &str,
    area_ids: &[&str],
    fill: &FormFill,
    out_dir: &Path,
) -> Result<PathBuf, Failure> {
    let (fw, region) = form_subject(ds, year, region_id)?;
    if let Some(due) = settings.due_date().filter(|d| d.year() < i32::from(year)) {
        return Err(Failure::new(format!(
            "`returns.due` in scopemap.yaml is {due}, before {year}: it is the date of an earlier round of forms; set the date the {year} forms are due back, or remove it"
        )));
    }
    if area_ids.is_empty() || area_ids.len() > MAX_JOINT_AREAS {
        return Err(Failure::new(format!(
            "a form covers one to {MAX_JOINT_AREAS} areas, not {} ({}); split the joint group",
            area_ids.len(),
            area_ids.join(", ")
        )));
    }
    let mut areas: Vec<FormArea> = Vec::new();
    for (i, &area_id) in area_ids.iter().enumerate() {
        if area_ids[..i].contains(&area_id) {
            return Err(Failure::new(format!(
                "area `{area_id}` is named twice for one joint form"
            )));
        }
        let area = form_area(region, year, area_id)?;
        areas.push(FormArea {
            choices: super::evidence::evidence_choices(ds, region, area),
            area,
        });
    }
    let categories = fw.categories_in(year);
    if categories.is_empty() {
        return Err(Failure::new(format!(
            "no category in framework.yaml is graded in {year}; check the `introduced` and `retired` years"
        )));
    }
    std::fs::create_dir_all(out_dir).map_err(|e| Failure::io("create", out_dir, &e))?;
    let path = out_dir.join(form_file_name(year, region_id, area_ids));
    let form = Form {
        ds,
        settings,
        fw,
        region,
        areas,
        year,
        categories,
    };
    let what = area_ids.join("`, `");
    let mut workbook = form
        .build(fill)
        .map_err(|e| Failure::new(format!("cannot build the form for `{what}`: {e}")))?;
    let bytes = workbook
        .save_to_buffer()
        .map_err(|e| Failure::new(format!("cannot build the form for `{what}`: {e}")))?;
    let bytes = super::protect::lock_structure(&bytes)?;
    std::fs::write(&path, bytes).map_err(|e| Failure::io("write", &path, &e))?;
    Ok(path)
}

/// An area of `region` that a form for `year` can be made for.
fn form_area<'a>(region: &'a Region, year: u16, area_id: &str) -> Result<&'a Area, Failure> {
    let region_id = &region.id.value;
    let Some(area) = region.area(area_id) else {
        return Err(Failure::new(format!(
            "region `{region_id}` has no area `{area_id}`; known areas: {}",
            region
                .areas
                .iter()
                .map(|a| a.id.value.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    };
    if !area.in_use_in(year) {
        return Err(Failure::new(format!(
            "area `{area_id}` is not in use in {year}"
        )));
    }
    if !is_safe_id(area_id) {
        return Err(Failure::new(format!(
            "area id `{area_id}` cannot be used in a file name; fix it in the region file first"
        )));
    }
    Ok(area)
}

/// The framework and region a form is for, after checking they exist.
fn form_subject<'a>(
    ds: &'a Dataset,
    year: u16,
    region_id: &str,
) -> Result<(&'a Framework, &'a Region), Failure> {
    let fw = ds.framework().ok_or_else(|| {
        Failure::new("the framework (scoping-data/framework.yaml) did not load; fix it first")
    })?;
    let Some(region) = ds.region(region_id) else {
        let known: Vec<&str> = ds
            .regions()
            .iter()
            .map(|r| r.value.id.value.as_str())
            .collect();
        let hint = crate::diag::nearest(region_id, known.iter().copied())
            .map(|n| format!(" (did you mean `{n}`?)"))
            .unwrap_or_default();
        return Err(Failure::new(format!(
            "unknown region `{region_id}`{hint}; known regions: {}",
            known.join(", ")
        )));
    };
    if !is_safe_id(region_id) {
        return Err(Failure::new(format!(
            "region id `{region_id}` cannot be used in a file name; fix it in the region file first"
        )));
    }
    if !(1900..=9999).contains(&year) {
        return Err(Failure::new(format!(
            "{year} is not a year a form can be made for"
        )));
    }
    Ok((fw, region))
}

struct Form<'a> {
    ds: &'a Dataset,
    settings: &'a ReturnsSettings,
    fw: &'a Framework,
    region: &'a Region,
    /// The areas the form covers: one, or several that return together.
    areas: Vec<FormArea<'a>>,
    year: u16,
    categories: Vec<&'a Category>,
}

struct FormArea<'a> {
    area: &'a Area,
    /// The services offered as evidence: (choice, service id).
    choices: Vec<(String, String)>,
}

/// The cell formats of a form.
pub(super) struct Styles {
    pub(super) title: Format,
    heading: Format,
    pub(super) text: Format,
    pub(super) header: Format,
    pub(super) id: Format,
    pub(super) label: Format,
    pub(super) input: Format,
    pub(super) input_text: Format,
    rating_input: Format,
}

impl Styles {
    fn new() -> Self {
        let border = |f: Format| {
            f.set_border(FormatBorder::Thin)
                .set_border_color(Color::RGB(0x8C8C8C))
        };
        let text = Format::new().set_text_wrap().set_align(FormatAlign::Top);
        let input = border(
            Format::new()
                .set_unlocked()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_background_color(Color::RGB(0xFFF6D5)),
        );
        Styles {
            title: Format::new().set_bold().set_font_size(14),
            heading: Format::new().set_bold().set_font_size(12),
            header: border(
                text.clone()
                    .set_bold()
                    .set_background_color(Color::RGB(0xE8EDEE)),
            ),
            id: border(text.clone().set_font_color(Color::RGB(0x595959))),
            label: text.clone().set_bold(),
            text: border(text),
            input_text: input.clone().set_num_format("@"),
            rating_input: input
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::Top)
                .set_num_format("@"),
            input,
        }
    }
}

impl Form<'_> {
    fn build(&self, fill: &FormFill) -> Result<Workbook, XlsxError> {
        let mut workbook = Workbook::new();
        let created = ExcelDateTime::from_ymd(self.year, 1, 1)?;
        let properties = DocProperties::new()
            .set_title(format!(
                "{} return for {}, {}",
                self.fw.name.value,
                self.label(),
                self.year
            ))
            .set_subject(format!("{} ({})", self.region.name.value, self.year))
            .set_author("scopemap")
            .set_creation_datetime(&created);
        workbook.set_properties(&properties);
        let styles = Styles::new();
        self.instructions(workbook.add_worksheet(), &styles)?;
        self.ratings(workbook.add_worksheet(), &styles, fill)?;
        self.services(workbook.add_worksheet(), &styles, fill)?;
        self.about(workbook.add_worksheet(), &styles)?;
        for f in &fill.formulas {
            let formula = Formula::new(&f.formula).set_result(&f.result);
            workbook
                .worksheet_from_name(&f.sheet)?
                .write_formula_with_format(f.row, f.col, formula, &styles.input)?;
        }
        Ok(workbook)
    }

    /// The due date from the settings, e.g. "30 June 2023 (2023-06-30)".
    fn due_text(&self) -> Option<String> {
        self.settings
            .due_date()
            .map(|d| format!("{} ({})", d.format("%-d %B %Y"), d.format("%Y-%m-%d")))
    }

    /// The network contact from the settings.
    fn contact(&self) -> Option<&str> {
        self.settings
            .contact
            .as_ref()
            .map(|c| c.value.trim())
            .filter(|c| !c.is_empty())
    }

    /// The area's name, or the joint label of the areas of a joint form.
    fn label(&self) -> String {
        joint_label(self.areas.iter().map(|a| a.area.name.value.as_str()))
    }

    fn is_joint(&self) -> bool {
        self.areas.len() > 1
    }

    /// "Blackpool (columns D to I) and Fylde and Wyre (columns J to O)".
    fn blocks_text(&self) -> String {
        let each: Vec<String> = self
            .areas
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let c = area_columns(i);
                format!(
                    "{} (columns {} to {})",
                    a.area.name.value,
                    column_letters(c.last),
                    column_letters(c.evidence[2])
                )
            })
            .collect();
        match each.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            _ => each.concat(),
        }
    }

    fn key_text(&self) -> Vec<String> {
        self.fw
            .ratings
            .iter()
            .map(|r| format!("{}  {}", r.code.value, r.label.value))
            .collect()
    }

    fn instructions(&self, ws: &mut Worksheet, s: &Styles) -> Result<(), XlsxError> {
        ws.set_name(INSTRUCTIONS_SHEET)?;
        ws.set_column_width(0, 10)?;
        ws.set_column_width(1, 24)?;
        ws.set_column_width(2, 80)?;
        print_setup(ws, false);
        let codes: Vec<&str> = self
            .fw
            .ratings
            .iter()
            .map(|r| r.code.value.as_str())
            .collect();
        let mut row = 0;
        ws.write_string_with_format(
            row,
            0,
            format!(
                "{} {}: return for {} ({})",
                self.fw.name.value,
                self.year,
                self.label(),
                self.region.name.value
            ),
            &s.title,
        )?;
        row += 2;
        let paragraph = |ws: &mut Worksheet, row: &mut u32, text: &str, f: &Format| {
            let result = ws
                .merge_range(*row, 0, *row, 2, text, f)
                .and_then(|ws| ws.set_row_height(*row, row_height(text, 110)));
            *row += 1;
            result.map(|_| ())
        };
        let plain = Format::new().set_text_wrap().set_align(FormatAlign::Top);
        // (heading, paragraphs) in order; a section with nothing to say is left out.
        let mut purpose = vec![format!(
            "This form collects the {} ratings of {} for {}: for each kind of service, how much provision there is in the area for families from pregnancy to age five.",
            self.year,
            self.label(),
            self.region.name.value
        )];
        if self.is_joint() {
            purpose.push(format!(
                "It covers {} areas that return together, each rated separately in its own columns: {}. Each area's columns hold its last rating, this year's rating, a note and evidence, in that order; the columns named below are those of {}, and the other areas' follow the same pattern.",
                self.areas.len(),
                self.blocks_text(),
                self.areas[0].area.name.value
            ));
        }
        let no_evidence = self.areas.iter().all(|a| a.choices.is_empty());
        let mut sections: Vec<(&str, Vec<String>)> = vec![
            ("What this form is for", purpose),
            ("What to do", vec![
                format!(
                    "1. On the \"{RATINGS_SHEET}\" sheet, choose this year's rating for every category in column E, using the drop-down list in each cell. The ratings are {}; the key is below.",
                    codes.join(", ")
                ),
                format!("   Where last year's rating still holds, you may choose \"{NO_CHANGE}\" instead: it confirms the rating shown in column D. It is not offered where the area's predecessors were rated differently, as there is no single last rating to confirm."),
                "2. Add a note in column F to explain a rating, especially where it differs from last year's (column D) or where provision is short-term or changing.".to_string(),
                if no_evidence {
                    "   Columns G to I are for up to three services that show the rating, chosen from the network's service directory; the directory lists no service for this area yet, so leave them empty.".to_string()
                } else {
                    "   In columns G to I you may choose up to three services that show the rating, from the drop-down lists of the services the network's directory lists for the area.".to_string()
                },
                format!("3. Fill in who completed the form and the date (written YYYY-MM-DD) at the top of the \"{RATINGS_SHEET}\" sheet."),
                format!("4. On the \"{SERVICES_SHEET}\" sheet, check what the network's directory says about each service it lists for the area (column C). Where a website, phone number, e-mail address, how families get the service or who can refer is missing or wrong, type the public detail in columns D to H; an empty cell keeps what the directory says. These details are published in the directory with this return as their source. Below the listed services, add any other service in the area, one a row; those rows are read by the network team, not imported."),
                "5. Only the shaded cells can be changed. Type values, not formulas: a cell holding a formula is refused. Do not rename, add or remove sheets, and keep the file as an Excel workbook (.xlsx): it is read back by a program, and a PDF, CSV or older .xls copy cannot be read.".to_string(),
            ]),
        ];
        if let Some(due) = self.due_text() {
            sections.push((
                "When it is due",
                vec![format!("Please send the completed form back by {due}.")],
            ));
        }
        let mut send = vec!["Save the completed workbook as .xlsx (you may rename the file) and send it back to the network team that sent it to you, by the route they asked for. Keep a copy.".to_string()];
        if let Some(contact) = self.contact() {
            send.push(format!("The network contact for this form: {contact}."));
        }
        sections.push(("How to send it back", send));
        sections.push(("The rating key", Vec::new()));
        for (i, (heading, paragraphs)) in sections.iter().enumerate() {
            if i > 0 {
                row += 1;
            }
            ws.write_string_with_format(row, 0, *heading, &s.heading)?;
            row += 1;
            for text in paragraphs {
                paragraph(ws, &mut row, text, &plain)?;
            }
        }
        ws.write_string_with_format(row, 0, "Code", &s.header)?;
        ws.write_string_with_format(row, 1, "Meaning", &s.header)?;
        ws.write_string_with_format(
            row,
            2,
            "Definition (as printed in the report's key)",
            &s.header,
        )?;
        row += 1;
        for r in &self.fw.ratings {
            ws.write_string_with_format(row, 0, &r.code.value, &s.text.clone().set_bold())?;
            ws.write_string_with_format(row, 1, &r.label.value, &s.text)?;
            ws.write_string_with_format(row, 2, &r.definition.value, &s.text)?;
            ws.set_row_height(row, row_height(&r.definition.value, 80))?;
            row += 1;
        }
        ws.protect_with_options(&protection());
        Ok(())
    }

    fn services(&self, ws: &mut Worksheet, s: &Styles, fill: &FormFill) -> Result<(), XlsxError> {
        let areas: Vec<&Area> = self.areas.iter().map(|a| a.area).collect();
        let listed = super::services::listed_services(self.ds, self.region, &areas);
        let title = format!("Services in {} ({})", self.label(), self.year);
        super::services::write_sheet(ws, s, &title, &listed, fill)
    }

    fn about(&self, ws: &mut Worksheet, s: &Styles) -> Result<(), XlsxError> {
        ws.set_name(ABOUT_SHEET)?;
        ws.set_column_width(ABOUT_KEY_COL, 18)?;
        ws.set_column_width(ABOUT_VALUE_COL, 40)?;
        let values = [
            FORM_MARKER.to_string(),
            FORM_FORMAT_VERSION.to_string(),
            self.year.to_string(),
            self.region.id.value.clone(),
        ];
        for (row, (key, value)) in ABOUT_KEYS.iter().zip(values).enumerate() {
            let row = row as u32;
            ws.write_string(row, ABOUT_KEY_COL, *key)?;
            ws.write_string(row, ABOUT_VALUE_COL, value)?;
        }
        // The areas, side by side in the order of their blocks on the Ratings sheet.
        ws.write_string(ABOUT_AREA_ROW, ABOUT_KEY_COL, ABOUT_AREA)?;
        for (i, area) in self.areas.iter().enumerate() {
            ws.write_string(
                ABOUT_AREA_ROW,
                ABOUT_VALUE_COL + i as u16,
                &area.area.id.value,
            )?;
        }
        // Each area's evidence choices, which its evidence drop-downs list.
        for (i, area) in self.areas.iter().enumerate() {
            for (row, (choice, _)) in (0u32..).zip(&area.choices) {
                ws.write_string(row, about_choices_col(i), choice)?;
            }
        }
        let row = ABOUT_KEYS.len() as u32 + 1;
        ws.write_string_with_format(
            row,
            ABOUT_KEY_COL,
            "This sheet tells scopemap which form this is. Do not change it.",
            &s.label,
        )?;
        ws.write_string(
            row + 1,
            ABOUT_KEY_COL,
            format!("Made by scopemap {}", env!("CARGO_PKG_VERSION")),
        )?;
        // Very hidden: not listed under Unhide, and with the structure locked it cannot be
        // shown at all, so the values import relies on stay out of reach.
        ws.set_very_hidden(true);
        ws.protect_with_options(&protection());
        Ok(())
    }
}

/// A4, one page wide, so a printed form keeps all its columns together.
pub(super) fn print_setup(ws: &mut Worksheet, landscape: bool) {
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    if landscape {
        ws.set_landscape();
    }
}

/// Locked cells stay locked; people may still resize rows and columns.
pub(super) fn protection() -> ProtectionOptions {
    ProtectionOptions {
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::new()
    }
}

/// A row height (points) that shows `text` wrapped in a column about `chars` wide.
pub(super) fn row_height(text: &str, chars: usize) -> f64 {
    let chars = chars.max(1);
    let lines: usize = text
        .split('\n')
        .map(|l| l.chars().count().div_ceil(chars).max(1))
        .sum();
    (15.0 * lines.max(1) as f64 + 3.0).min(409.0)
}

/// At most `max` UTF-16 units of `text` (Excel's limit for validation messages).
fn clip(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        used += c.len_utf16();
        if used > max {
            break;
        }
        out.push(c);
    }
    out
}

/// `text` with its first letter in lower case ("Last rating" → "last rating").
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
