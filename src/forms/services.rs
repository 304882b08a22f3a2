//! The Services sheet of a form: the directory's services for the form's areas, with cells
//! for their public contact details and how families get them, then blank rows for
//! services the directory does not list.
//!
//! In: the dataset, a region and the form's areas (to write the sheet), and what a person
//! typed (`FormFill`, for filled test forms). Out: the sheet, and for import the list of
//! services a form offered (`listed_services`), each with the form's areas it is listed
//! for, so the facts typed for it can cite those areas' returns as their source.

use super::layout::*;
use super::write::{FormFill, Styles, print_setup, protection, row_height};
use crate::model::vocab::Vocabulary;
use crate::model::{Area, Dataset, Region, Service};
use rust_xlsxwriter::{DataValidation, Worksheet, XlsxError};

/// A directory service a form lists on its Services sheet.
pub struct Listed<'a> {
    pub service: &'a Service,
    /// Ids of the form's areas the service is listed for: those whose area, or an area
    /// they succeed, is among its `areas`; all of them for a service of the whole region.
    pub areas: Vec<String>,
}

/// The services of the directory listed for any of `areas` (or an area one of them
/// succeeds) or for the whole region, closed ones left out, by name then id.
pub fn listed_services<'a>(ds: &'a Dataset, region: &Region, areas: &[&Area]) -> Vec<Listed<'a>> {
    let covered: Vec<(String, Vec<String>)> = areas
        .iter()
        .map(|area| {
            let mut ids = vec![area.id.value.clone()];
            ids.extend(
                crate::analyse::ancestors(region, area)
                    .iter()
                    .map(|a| a.id.value.clone()),
            );
            (area.id.value.clone(), ids)
        })
        .collect();
    let mut listed: Vec<Listed> = ds
        .services()
        .iter()
        .map(|s| &s.value)
        .filter(|s| !s.is_closed())
        .filter_map(|s| {
            let whole_region = s.regions.iter().any(|r| r.value == region.id.value);
            let areas: Vec<String> = covered
                .iter()
                .filter(|(_, ids)| whole_region || s.areas.iter().any(|a| ids.contains(&a.value)))
                .map(|(id, _)| id.clone())
                .collect();
            (!areas.is_empty()).then_some(Listed { service: s, areas })
        })
        .collect();
    listed.sort_by(|a, b| {
        (a.service.name.value.trim(), &a.service.id.value)
            .cmp(&(b.service.name.value.trim(), &b.service.id.value))
    });
    listed
}

/// The "Who can refer" choice that means `routes`, when one does.
pub fn who_refers_choice(routes: &[&str]) -> Option<&'static str> {
    WHO_REFERS.iter().find_map(|(choice, means)| {
        (means.len() == routes.len() && means.iter().all(|m| routes.contains(&m.code())))
            .then_some(*choice)
    })
}

/// What the directory says now about a listed service's contact details.
fn now_text(service: &Service) -> String {
    let or_not = |v: Option<&str>| v.unwrap_or("not stated").to_string();
    let text = |v: &Option<crate::model::Spanned<String>>| {
        or_not(v.as_ref().map(|s| s.value.trim()).filter(|s| !s.is_empty()))
    };
    let routes: Vec<&str> = service.referral.iter().map(|r| r.value.as_str()).collect();
    let refer = if routes.is_empty() {
        "not stated".to_string()
    } else {
        who_refers_choice(&routes)
            .map(str::to_string)
            .unwrap_or_else(|| routes.join(", "))
    };
    format!(
        "Website: {}\nPhone: {}\nE-mail: {}\nHow families get it: {}\nWho can refer: {refer}",
        text(&service.url),
        text(&service.phone),
        text(&service.email),
        text(&service.how_to_access),
    )
}

/// Write the Services sheet.
pub fn write_sheet(
    ws: &mut Worksheet,
    s: &Styles,
    title: &str,
    listed: &[Listed],
    fill: &FormFill,
) -> Result<(), XlsxError> {
    ws.set_name(SERVICES_SHEET)?;
    ws.write_string_with_format(0, 0, title, &s.title)?;
    let last_col = SERVICE_COLUMNS.len() as u16 - 1;
    let intro = if listed.is_empty() {
        "The network's directory lists no service for this area yet. List each service for families from pregnancy to age five in the area, one a row, from row 5. Leave a cell empty when you do not know. These rows are read by the network team; they do not change the ratings.".to_string()
    } else {
        format!(
            "Rows 5 to {} are the services the network's directory lists for the area: column C says what it states now. Where a website, phone number, e-mail address, how families get the service or who can refer is missing or wrong, type the public detail in columns D to H; leave a cell empty to keep what the directory says. These details are published in the directory with this return as their source. Below them, list any other service for families from pregnancy to age five, one a row (columns B and D to N); those rows are read by the network team.",
            FIRST_SERVICE_ROW + listed.len() as u32
        )
    };
    ws.merge_range(1, 0, 1, last_col, &intro, &s.label.clone().set_bold())?;
    ws.set_row_height(1, row_height(&intro, 220))?;
    let widths = [24, 28, 40, 28, 16, 26, 34, 22, 24, 36, 30, 12, 18, 22];
    for (col, (heading, width)) in SERVICE_COLUMNS.iter().zip(widths).enumerate() {
        let col = col as u16;
        ws.set_column_width(col, width)?;
        ws.write_string_with_format(SERVICES_HEADER_ROW, col, *heading, &s.header)?;
    }
    ws.set_row_height(SERVICES_HEADER_ROW, 33)?;
    let mut row = FIRST_SERVICE_ROW;
    for item in listed {
        let service = item.service;
        let typed = fill.contacts.get(&service.id.value);
        let now = now_text(service);
        ws.write_string_with_format(row, SERVICE_COL_ID, &service.id.value, &s.id)?;
        ws.write_string_with_format(
            row,
            SERVICE_COL_NAME,
            service.name.value.trim(),
            &s.text.clone().set_bold(),
        )?;
        ws.write_string_with_format(row, SERVICE_COL_NOW, &now, &s.text)?;
        let cells = [
            (
                SERVICE_COL_WEBSITE,
                typed.and_then(|t| t.website.as_deref()),
            ),
            (SERVICE_COL_PHONE, typed.and_then(|t| t.phone.as_deref())),
            (SERVICE_COL_EMAIL, typed.and_then(|t| t.email.as_deref())),
            (
                SERVICE_COL_HOW_TO_ACCESS,
                typed.and_then(|t| t.how_to_access.as_deref()),
            ),
            (
                SERVICE_COL_WHO_REFERS,
                typed.and_then(|t| t.who_can_refer.as_deref()),
            ),
        ];
        for (col, value) in cells {
            ws.write_string_with_format(row, col, value.unwrap_or(""), &s.input_text)?;
        }
        for col in SERVICE_COL_NEW_ONLY..=last_col {
            ws.write_string_with_format(row, col, "", &s.text)?;
        }
        ws.set_row_height(row, row_height(&now, 40))?;
        row += 1;
    }
    let blank_rows = SERVICE_ROWS.max(u32::try_from(fill.services.len()).unwrap_or(u32::MAX));
    for i in 0..blank_rows.min(FORM_ROWS.saturating_sub(row)) {
        let values = fill.services.get(i as usize);
        ws.write_string_with_format(row, SERVICE_COL_ID, "", &s.id)?;
        ws.write_string_with_format(row, SERVICE_COL_NOW, "", &s.id)?;
        // Typed values start at "Service name" and skip the locked column C.
        let input_cols = std::iter::once(SERVICE_COL_NAME).chain(SERVICE_COL_WEBSITE..=last_col);
        for (j, col) in input_cols.enumerate() {
            let value = values.and_then(|v| v.get(j)).map_or("", String::as_str);
            ws.write_string_with_format(row, col, value, &s.input_text)?;
        }
        row += 1;
    }
    let choices: Vec<&str> = WHO_REFERS.iter().map(|(c, _)| *c).collect();
    let validation = DataValidation::new()
        .allow_list_strings(&choices)?
        .set_input_title("Who can refer")?
        .set_input_message("Choose who can refer a family to the service.")?
        .set_error_title("Not a choice")?
        .set_error_message("Choose who can refer from the list.")?;
    if row > FIRST_SERVICE_ROW {
        ws.add_data_validation(
            FIRST_SERVICE_ROW,
            SERVICE_COL_WHO_REFERS,
            row - 1,
            SERVICE_COL_WHO_REFERS,
            &validation,
        )?;
    }
    ws.set_freeze_panes(FIRST_SERVICE_ROW, 2)?;
    ws.set_repeat_rows(SERVICES_HEADER_ROW, SERVICES_HEADER_ROW)?;
    print_setup(ws, true);
    ws.protect_with_options(&protection());
    Ok(())
}
