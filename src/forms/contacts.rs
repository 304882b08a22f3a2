//! What a form's Services sheet says about the directory's services, checked cell by cell.
//!
//! In: a form's cells as read (`RawForm`), its format version, and the services the form
//! listed (`services::listed_services`). Out: for each listed service whose row holds
//! anything, the facts typed for it (`url`, `phone`, `email`, `how_to_access`, `referral`),
//! each with its cell; errors at the cell for a row naming a service the form did not list
//! (E184) or a "Who can refer" that is not one of its choices (E186); and a warning (W086)
//! for rows of services the directory does not list, which a person must add by hand. A
//! version 1 or 2 form has no contact cells: every row it holds is W086.

use super::codes;
use super::layout::*;
use super::read::{CellText, RawForm, ServiceRow};
use super::services::Listed;
use crate::diag::{Diagnostic, nearest};
use crate::load::DATA_DIR;
use crate::model::vocab::Vocabulary;

/// A fact typed for a service, with the cell it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypedFact {
    /// The directory field: `url`, `phone`, `email`, `how_to_access` or `referral`.
    pub field: &'static str,
    pub value: FactValue,
    pub cell: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FactValue {
    Text(String),
    /// Referral routes, e.g. `self` and `professional`.
    Routes(Vec<String>),
}

/// The facts typed for one listed service.
#[derive(Debug, Clone)]
pub struct ServiceFacts {
    pub service_id: String,
    /// The form's areas the service is listed for: their returns are the facts' source.
    pub areas: Vec<String>,
    pub facts: Vec<TypedFact>,
}

/// The text cells of a listed service's row and the field each fills.
const TEXT_FIELDS: [(u16, &str); 4] = [
    (SERVICE_COL_WEBSITE, "url"),
    (SERVICE_COL_PHONE, "phone"),
    (SERVICE_COL_EMAIL, "email"),
    (SERVICE_COL_HOW_TO_ACCESS, "how_to_access"),
];

/// The facts typed on the Services sheet for the services the form listed.
pub fn typed_facts(
    name: &str,
    form: &RawForm,
    version: u32,
    listed: &[Listed],
    out: &mut Vec<Diagnostic>,
) -> Vec<ServiceFacts> {
    if version < 3 {
        let rows: Vec<&ServiceRow> = form.services.iter().collect();
        not_imported(name, &rows, 0, OLD_SERVICE_COLUMNS - 1, out);
        return Vec::new();
    }
    let mut found = Vec::new();
    let mut unlisted: Vec<&ServiceRow> = Vec::new();
    for row in &form.services {
        let typed = |col: u16| -> Option<&CellText> {
            row.get(col)
                .filter(|c| !form.is_formula(&c.cell) && !c.text.trim().is_empty())
        };
        let Some(id) = row.get(SERVICE_COL_ID) else {
            // A service the directory does not list, if anything was typed in the row.
            if typed(SERVICE_COL_NAME).is_some()
                || (SERVICE_COL_WEBSITE..SERVICE_COLUMNS.len() as u16).any(|c| typed(c).is_some())
            {
                unlisted.push(row);
            }
            continue;
        };
        let Some(item) = listed.iter().find(|l| l.service.id.value == id.text) else {
            let ids = listed.iter().map(|l| l.service.id.value.as_str());
            let d = Diagnostic::error(
                codes::UNLISTED_SERVICE,
                name,
                format!(
                    "{}: `{}` is not a service of the directory that this form lists",
                    id.cell,
                    super::xlsx::shown(&id.text)
                ),
            )
            .expected("the directory id the form was made with (column A must not be changed)");
            out.push(match nearest(&id.text, ids) {
                Some(near) => d.help(format!(
                    "did you mean `{near}`? If the service was renamed, removed or closed in {DATA_DIR}/directory/ since the form was made, type its details into the service's file by hand"
                )),
                None => d.help(format!(
                    "if the service was removed or closed in {DATA_DIR}/directory/ since the form was made, type its details into the service's file by hand"
                )),
            });
            continue;
        };
        let mut facts: Vec<TypedFact> = TEXT_FIELDS
            .iter()
            .filter_map(|&(col, field)| {
                typed(col).map(|c| TypedFact {
                    field,
                    value: FactValue::Text(c.text.trim().to_string()),
                    cell: c.cell.clone(),
                })
            })
            .collect();
        if let Some(cell) = typed(SERVICE_COL_WHO_REFERS) {
            match who_refers(&cell.text) {
                Some(routes) => facts.push(TypedFact {
                    field: "referral",
                    value: FactValue::Routes(routes),
                    cell: cell.cell.clone(),
                }),
                None => {
                    let choices: Vec<String> =
                        WHO_REFERS.iter().map(|(c, _)| format!("“{c}”")).collect();
                    out.push(
                        Diagnostic::error(
                            codes::WHO_REFERS,
                            name,
                            format!(
                                "{}: “{}” is not a choice for who can refer to `{}`",
                                cell.cell,
                                super::xlsx::shown(cell.text.trim()),
                                item.service.name.value.trim()
                            ),
                        )
                        .expected(format!("one of {}", choices.join(", ")))
                        .help("choose who can refer from the drop-down list in the cell"),
                    );
                }
            }
        }
        if !facts.is_empty() {
            found.push(ServiceFacts {
                service_id: item.service.id.value.clone(),
                areas: item.areas.clone(),
                facts,
            });
        }
    }
    not_imported(
        name,
        &unlisted,
        SERVICE_COL_NAME,
        SERVICE_COLUMNS.len() as u16 - 1,
        out,
    );
    found
}

/// The referral routes a "Who can refer" cell means: one of the choices, in any case.
fn who_refers(text: &str) -> Option<Vec<String>> {
    let text = text.trim();
    WHO_REFERS
        .iter()
        .find(|(choice, _)| choice.eq_ignore_ascii_case(text))
        .map(|(_, routes)| routes.iter().map(|r| r.code().to_string()).collect())
}

/// W086 for rows of services the directory does not list.
fn not_imported(
    name: &str,
    rows: &[&ServiceRow],
    first_col: u16,
    last_col: u16,
    out: &mut Vec<Diagnostic>,
) {
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
        return;
    };
    let n = rows.len();
    out.push(
        Diagnostic::warning(
            codes::SERVICES_NOT_IMPORTED,
            name,
            format!(
                "{SERVICES_SHEET}!{}{}:{}{}: {n} service{} the directory does not list; import does not add services, so {} not saved",
                column_letters(first_col),
                first.row + 1,
                column_letters(last_col),
                last.row + 1,
                if n == 1 { "" } else { "s" },
                if n == 1 { "it was" } else { "they were" },
            ),
        )
        .help(format!(
            "add the service{} to {DATA_DIR}/directory/ by hand (see docs/data-format.md), with the return as a source",
            if n == 1 { "" } else { "s" }
        )),
    );
}
