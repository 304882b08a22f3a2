//! The Ratings sheet of a form: a row per category and, for each area of the form, a block
//! of columns with its last rating, a drop-down for this year's (with "No change" where
//! there is one last rating to confirm), a note and three evidence drop-downs.
//!
//! In: the form being written and what to type into it. Out: the sheet.

use super::super::layout::*;
use super::super::previous::{PreviousRating, previous_rating};
use super::{
    FilledRating, Form, FormFill, Styles, clip, lower_first, print_setup, protection, row_height,
};
use rust_xlsxwriter::{DataValidation, Formula, Worksheet, XlsxError};
use std::collections::BTreeMap;

impl Form<'_> {
    pub(super) fn ratings(
        &self,
        ws: &mut Worksheet,
        s: &Styles,
        fill: &FormFill,
    ) -> Result<(), XlsxError> {
        ws.set_name(RATINGS_SHEET)?;
        for (col, width) in [(COL_ID, 22), (COL_NAME, 28), (COL_DESCRIPTION, 50)] {
            ws.set_column_width(col, width)?;
        }
        for i in 0..self.areas.len() {
            let c = area_columns(i);
            for (col, width) in [(c.last, 34), (c.rating, 14), (c.note, 50)] {
                ws.set_column_width(col, width)?;
            }
            for col in c.evidence {
                ws.set_column_width(col, 30)?;
            }
        }
        ws.write_string_with_format(
            RATINGS_TITLE_ROW,
            0,
            ratings_title(&self.label(), &self.region.name.value, self.year),
            &s.title,
        )?;
        ws.write_string_with_format(COMPILED_BY_ROW, COL_NAME, "Form completed by", &s.label)?;
        ws.write_string_with_format(
            COMPILED_BY_ROW,
            COL_DESCRIPTION,
            fill.compiled_by.as_deref().unwrap_or(""),
            &s.input_text,
        )?;
        ws.write_string_with_format(
            COMPILED_ON_ROW,
            COL_NAME,
            "Date completed (YYYY-MM-DD)",
            &s.label,
        )?;
        ws.write_string_with_format(
            COMPILED_ON_ROW,
            COL_DESCRIPTION,
            fill.compiled_on.as_deref().unwrap_or(""),
            &s.input_text,
        )?;
        let mut guide = if self.is_joint() {
            format!(
                "Rate each area in its own columns: {}. Choose this year's rating for each category and explain it in the note beside it. Key: {}. See the Instructions sheet for the full definitions.",
                self.blocks_text(),
                self.key_text().join("; ")
            )
        } else {
            format!(
                "Choose this year's rating for each category in column E and explain it in column F. Key: {}. See the Instructions sheet for the full definitions.",
                self.key_text().join("; ")
            )
        };
        if let Some(due) = self.due_text() {
            guide.push_str(&format!(" Due back by {due}."));
        }
        if let Some(contact) = self.contact() {
            guide.push_str(&format!(" Network contact: {contact}."));
        }
        ws.merge_range(
            RATINGS_GUIDE_ROW,
            0,
            RATINGS_GUIDE_ROW,
            last_ratings_column(self.areas.len()),
            &guide,
            &s.label.clone().set_bold(),
        )?;
        ws.set_row_height(RATINGS_GUIDE_ROW, row_height(&guide, 200))?;
        let headers = [
            (COL_ID, "Category id (do not change)"),
            (COL_NAME, "Category"),
            (COL_DESCRIPTION, "What it covers"),
        ];
        for (col, text) in headers {
            ws.write_string_with_format(RATINGS_HEADER_ROW, col, text, &s.header)?;
        }
        ws.set_row_height(RATINGS_HEADER_ROW, if self.is_joint() { 48 } else { 33 })?;
        let mut heights: Vec<f64> = self
            .categories
            .iter()
            .map(|cat| row_height(&cat.description.value, 50).max(row_height(&cat.name.value, 28)))
            .collect();
        for (row, cat) in (FIRST_RATING_ROW..).zip(&self.categories) {
            ws.write_string_with_format(row, COL_ID, &cat.id.value, &s.id)?;
            ws.write_string_with_format(
                row,
                COL_NAME,
                &cat.name.value,
                &s.text.clone().set_bold(),
            )?;
            ws.write_string_with_format(row, COL_DESCRIPTION, &cat.description.value, &s.text)?;
        }
        for (i, area) in self.areas.iter().enumerate() {
            let (ratings, evidence) = match fill.by_area.get(&area.area.id.value) {
                Some(own) => (&own.ratings, &own.evidence),
                None => (&fill.ratings, &fill.evidence),
            };
            self.area_block(ws, s, i, ratings, evidence, &mut heights)?;
        }
        for (row, height) in (FIRST_RATING_ROW..).zip(heights) {
            ws.set_row_height(row, height)?;
        }
        ws.set_freeze_panes(FIRST_RATING_ROW, 0)?;
        ws.set_repeat_rows(RATINGS_HEADER_ROW, RATINGS_HEADER_ROW)?;
        print_setup(ws, true);
        let first = area_columns(0).rating;
        ws.set_selection(FIRST_RATING_ROW, first, FIRST_RATING_ROW, first)?;
        ws.set_active(true);
        ws.protect_with_options(&protection());
        Ok(())
    }

    /// The columns of the `index`th area: last rating, this year's rating, note, evidence.
    fn area_block(
        &self,
        ws: &mut Worksheet,
        s: &Styles,
        index: usize,
        ratings: &BTreeMap<String, FilledRating>,
        evidence: &BTreeMap<String, Vec<String>>,
        heights: &mut [f64],
    ) -> Result<(), XlsxError> {
        let area = &self.areas[index];
        let c = area_columns(index);
        let previous: Vec<PreviousRating> = self
            .categories
            .iter()
            .map(|cat| previous_rating(self.ds, self.region, area.area, &cat.id.value, self.year))
            .collect();
        let mut years: Vec<u16> = previous
            .iter()
            .flat_map(|p| p.years.iter().copied())
            .collect();
        years.sort_unstable();
        years.dedup();
        let last_header = match years.as_slice() {
            [one] => format!("Last rating and note ({one})"),
            _ => "Last rating and note".to_string(),
        };
        let name = &area.area.name.value;
        let headers: Vec<(u16, String)> = if self.is_joint() {
            vec![
                (c.last, format!("{name}: {}", lower_first(&last_header))),
                (c.rating, joint_rating_header(name, self.year)),
                (c.note, format!("{name}: note (optional)")),
                (
                    c.evidence[0],
                    format!("{name}: evidence, a service (optional)"),
                ),
                (c.evidence[1], format!("{name}: evidence, a second service")),
                (c.evidence[2], format!("{name}: evidence, a third service")),
            ]
        } else {
            vec![
                (c.last, last_header.clone()),
                (c.rating, format!("This year's rating ({})", self.year)),
                (c.note, "Note (optional)".to_string()),
                (c.evidence[0], "Evidence: a service (optional)".to_string()),
                (c.evidence[1], "Evidence: a second service".to_string()),
                (c.evidence[2], "Evidence: a third service".to_string()),
            ]
        };
        for (col, text) in headers {
            ws.write_string_with_format(RATINGS_HEADER_ROW, col, text, &s.header)?;
        }
        for (i, (cat, prev)) in self.categories.iter().zip(&previous).enumerate() {
            let row = FIRST_RATING_ROW + i as u32;
            let filled = ratings.get(&cat.id.value);
            let prev_text = prev.text(years.len() > 1);
            ws.write_string_with_format(row, c.last, &prev_text, &s.text)?;
            ws.write_string_with_format(
                row,
                c.rating,
                filled.map(|f| f.rating.as_str()).unwrap_or(""),
                &s.rating_input,
            )?;
            ws.write_string_with_format(
                row,
                c.note,
                filled.and_then(|f| f.note.as_deref()).unwrap_or(""),
                &s.input,
            )?;
            let typed = evidence.get(&cat.id.value);
            for (j, col) in c.evidence.into_iter().enumerate() {
                let text = typed.and_then(|e| e.get(j)).map_or("", String::as_str);
                ws.write_string_with_format(row, col, text, &s.input_text)?;
            }
            heights[i] = heights[i].max(row_height(&prev_text, 34));
            let validation = self.rating_validation(prev.single.is_some())?;
            ws.add_data_validation(row, c.rating, row, c.rating, &validation)?;
        }
        if let Some(validation) = self.evidence_validation(index)? {
            let last_row = FIRST_RATING_ROW + self.categories.len() as u32 - 1;
            ws.add_data_validation(
                FIRST_RATING_ROW,
                c.evidence[0],
                last_row,
                c.evidence[2],
                &validation,
            )?;
        }
        Ok(())
    }

    /// The drop-down of a rating cell: the codes, and "No change" where there is one last
    /// rating to confirm.
    fn rating_validation(&self, no_change: bool) -> Result<DataValidation, XlsxError> {
        let mut choices: Vec<&str> = self
            .fw
            .ratings
            .iter()
            .map(|r| r.code.value.as_str())
            .collect();
        let mut key = self.key_text();
        if no_change {
            choices.push(NO_CHANGE);
            key.push(format!("{NO_CHANGE}  the same as last year's rating"));
        }
        DataValidation::new()
            .allow_list_strings(&choices)?
            .set_input_title("This year's rating")?
            .set_input_message(clip(&key.join("\n"), 255))?
            .set_error_title("Not a rating code")?
            .set_error_message(clip(
                &format!(
                    "Choose one of {} from the list. The key is on the Instructions sheet.",
                    choices.join(", ")
                ),
                255,
            ))
    }

    /// The drop-down of the evidence cells of the `index`th area: its services listed on
    /// the About sheet. `None` when the directory lists no service for the area.
    fn evidence_validation(&self, index: usize) -> Result<Option<DataValidation>, XlsxError> {
        let choices = &self.areas[index].choices;
        if choices.is_empty() {
            return Ok(None);
        }
        let range = format!(
            "={ABOUT_SHEET}!${col}$1:${col}${}",
            choices.len(),
            col = column_letters(about_choices_col(index))
        );
        let validation = DataValidation::new()
            .allow_list_formula(Formula::new(range))
            .set_input_title("Evidence")?
            .set_input_message(
                "Optional: a service in the directory that shows this rating. Choose it from the list.",
            )?
            .set_error_title("Not a service in the directory")?
            .set_error_message(
                "Choose a service from the list. A service missing from it must be added to the directory first.",
            )?;
        Ok(Some(validation))
    }
}
