//! Contact details from a form's Services sheet into the directory, with the return as
//! their source.
//!
//! In: the dataset, the form's year, the facts typed for each listed service
//! (`contacts::ServiceFacts`) and whether the import is forced. Out: for each service, the
//! new text of its directory file (`directory_edit` keeps the rest of the file as it was),
//! the line of each value written with its cell, and in words each fact written: new,
//! confirmed (the form gave the value the directory states), or overwritten (with
//! `force`, saying what it replaced and which sources stated it). Each fact written cites
//! a source `return-<year>-<area>` (`return: <year>/<area>`) for each of the form's areas
//! the service is listed for; an overwritten fact cites only those, a confirmed one keeps
//! its sources and adds them. A fact the directory states differently is an error at its
//! cell unless forced (E185); a file the import cannot edit safely is E187.

use super::codes;
use super::contacts::{FactValue, ServiceFacts, TypedFact};
use super::directory_edit::ServiceText;
use crate::diag::Diagnostic;
use crate::model::yaml::quote;
use crate::model::{Dataset, Service, SourceFile};
use std::path::PathBuf;

/// A directory file to rewrite.
#[derive(Debug, Clone)]
pub struct PreparedEdit {
    pub target: PathBuf,
    pub rel_path: String,
    /// The index of the service in `Dataset::services`.
    pub service: usize,
    pub text: String,
    /// The text it replaces, to put back if the import is undone.
    pub replaces: String,
    /// (1-based line, cell) for each line holding a value from the form.
    pub cells: Vec<(usize, String)>,
    /// What the edit writes, in words.
    pub changes: Vec<String>,
}

/// What a typed fact does to the fact the directory states.
enum Effect {
    New,
    Confirmed,
    /// With `force`: the value it replaces.
    Overwrites(String),
}

/// The edits of the directory files for the facts typed on one form.
pub fn plan_edits(
    ds: &Dataset,
    name: &str,
    year: u16,
    typed: &[ServiceFacts],
    force: bool,
    out: &mut Vec<Diagnostic>,
) -> Vec<PreparedEdit> {
    typed
        .iter()
        .filter_map(|facts| plan_edit(ds, name, year, facts, force, out))
        .collect()
}

fn plan_edit(
    ds: &Dataset,
    name: &str,
    year: u16,
    typed: &ServiceFacts,
    force: bool,
    out: &mut Vec<Diagnostic>,
) -> Option<PreparedEdit> {
    let index = ds
        .services()
        .iter()
        .position(|s| s.value.id.value == typed.service_id)?;
    let loaded = &ds.services()[index];
    let service = &loaded.value;
    let source = ds.sources.get(loaded.source)?;
    let first_cell = typed.facts.first().map_or("Services", |f| f.cell.as_str());
    let keys: Vec<String> = typed
        .areas
        .iter()
        .map(|area| format!("return-{year}-{area}"))
        .collect();
    let mut effects = Vec::new();
    for fact in &typed.facts {
        let current = stated(service, fact.field);
        let effect = match current {
            None => Effect::New,
            Some(old) if same(&old, &fact.value) => Effect::Confirmed,
            Some(old) if force => Effect::Overwrites(full(&old)),
            Some(old) => {
                let by = service.sources_of(fact.field);
                let by = if by.is_empty() {
                    String::new()
                } else {
                    format!(
                        " (source: {})",
                        by.iter()
                            .map(|k| k.value.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                out.push(
                    Diagnostic::error(
                        codes::STATED_FACT,
                        name,
                        format!(
                            "{}: the form gives `{}` the {} {}, but the directory states {}{by}: {}",
                            fact.cell,
                            service.name.value.trim(),
                            what(fact.field),
                            shown(&fact.value),
                            shown(&old),
                            source.path
                        ),
                    )
                    .help("check which is right; it was left as it is. To replace it with the form's, import again with --force (the import then says what it overwrote)"),
                );
                continue;
            }
        };
        effects.push((fact, effect));
    }
    if effects.is_empty() {
        return None;
    }
    let mut text = ServiceText::new(&source.text);
    let mut changes = vec![format!(
        "{} ({}), from the {} sheet:",
        source.path,
        service.name.value.trim(),
        super::layout::SERVICES_SHEET
    )];
    let cited = keys.join(", ");
    let edited: Result<(), String> = (|| {
        for (i, area) in typed.areas.iter().enumerate() {
            text.add_source(
                &keys[i],
                &[format!("return: {}", quote(&format!("{year}/{area}")))],
            )?;
        }
        for (fact, effect) in &effects {
            let sources: Vec<String> = match effect {
                Effect::Confirmed => {
                    let mut all: Vec<String> = service
                        .sources_of(fact.field)
                        .iter()
                        .map(|k| k.value.clone())
                        .collect();
                    all.extend(
                        keys.iter()
                            .filter(|k| !all.contains(k))
                            .cloned()
                            .collect::<Vec<_>>(),
                    );
                    all
                }
                _ => keys.clone(),
            };
            if !matches!(effect, Effect::Confirmed) {
                text.set(fact.field, &yaml_value(&fact.value));
            }
            text.set_source_of(fact.field, &sources)?;
            changes.push(match effect {
                Effect::New => format!(
                    "  {}: {} (new; source: {cited})",
                    fact.field,
                    full(&fact.value)
                ),
                Effect::Confirmed => format!(
                    "  {}: {} (confirmed; source added: {cited})",
                    fact.field,
                    full(&fact.value)
                ),
                Effect::Overwrites(old) => format!(
                    "  {}: {} (overwrote {old}; source: {cited})",
                    fact.field,
                    full(&fact.value)
                ),
            });
        }
        Ok(())
    })();
    if let Err(why) = edited {
        out.push(
            Diagnostic::error(
                codes::DIRECTORY_EDIT,
                name,
                format!(
                    "{first_cell}: the details of `{}` cannot be written into {}: {why}",
                    service.name.value.trim(),
                    source.path
                ),
            )
            .help("change the file as the message says, or type the details into it by hand"),
        );
        return None;
    }
    let new_text = text.text();
    if let Err(why) = check_edit(source, &new_text, &effects, &keys) {
        out.push(
            Diagnostic::error(
                codes::DIRECTORY_EDIT,
                name,
                format!(
                    "{first_cell}: the details of `{}` could not be written into {} safely: {why}",
                    service.name.value.trim(),
                    source.path
                ),
            )
            .help("type the details into the file by hand, with the return as their source (see docs/data-format.md)"),
        );
        return None;
    }
    let mut cells = Vec::new();
    for (fact, _) in &effects {
        if let Some(line) = text.line_of(fact.field) {
            cells.push((line, fact.cell.clone()));
        }
        if let Some(line) = text.line_of_child("source_of", fact.field) {
            cells.push((line, fact.cell.clone()));
        }
    }
    for key in &keys {
        if let Some(line) = text.line_of_child("sources", key) {
            cells.push((line, first_cell.to_string()));
        }
    }
    Some(PreparedEdit {
        target: source.disk_path.clone(),
        rel_path: source.path.clone(),
        service: index,
        text: new_text,
        replaces: source.text.clone(),
        cells,
        changes,
    })
}

/// The edited file, read back with the project's loader, states each fact as the form
/// gave it and cites the return for it; otherwise why not.
fn check_edit(
    source: &SourceFile,
    text: &str,
    effects: &[(&TypedFact, Effect)],
    keys: &[String],
) -> Result<(), String> {
    let edited = SourceFile {
        path: source.path.clone(),
        disk_path: source.disk_path.clone(),
        text: text.to_string(),
    };
    let mut found = Vec::new();
    let Some(service) = crate::load::parse_file::<Service>(&edited, &mut found) else {
        return Err(found
            .first()
            .map(|d| format!("the edited file does not read back ({})", d.message))
            .unwrap_or_else(|| "the edited file does not read back".into()));
    };
    for (fact, _) in effects {
        if !stated(&service, fact.field).is_some_and(|v| same(&v, &fact.value)) {
            return Err(format!(
                "`{}` does not read back as the form gave it",
                fact.field
            ));
        }
        let cited: Vec<&str> = service
            .sources_of(fact.field)
            .iter()
            .map(|k| k.value.as_str())
            .collect();
        if !keys.iter().all(|k| cited.contains(&k.as_str())) {
            return Err(format!(
                "`source_of` does not cite the return for `{}`",
                fact.field
            ));
        }
    }
    Ok(())
}

/// What the service states for a field, as a form would give it.
fn stated(service: &Service, field: &str) -> Option<FactValue> {
    let text = |v: &Option<crate::model::Spanned<String>>| {
        v.as_ref()
            .map(|s| s.value.trim().to_string())
            .filter(|s| !s.is_empty())
            .map(FactValue::Text)
    };
    match field {
        "url" => text(&service.url),
        "phone" => text(&service.phone),
        "email" => text(&service.email),
        "how_to_access" => text(&service.how_to_access),
        "referral" => (!service.referral.is_empty())
            .then(|| FactValue::Routes(service.referral.iter().map(|r| r.value.clone()).collect())),
        _ => None,
    }
}

/// Whether two values say the same: equal text, or the same routes in any order.
fn same(a: &FactValue, b: &FactValue) -> bool {
    match (a, b) {
        (FactValue::Text(a), FactValue::Text(b)) => a.trim() == b.trim(),
        (FactValue::Routes(a), FactValue::Routes(b)) => {
            a.len() == b.len() && a.iter().all(|r| b.contains(r))
        }
        _ => false,
    }
}

/// A value as the list of changes shows it, whole.
fn full(value: &FactValue) -> String {
    match value {
        FactValue::Text(t) => format!("“{t}”"),
        FactValue::Routes(r) => format!("[{}]", r.join(", ")),
    }
}

/// A value as error messages show it: quoted text (at most 60 characters), or the routes.
fn shown(value: &FactValue) -> String {
    match value {
        FactValue::Text(t) => format!("“{}”", super::xlsx::shown(t)),
        FactValue::Routes(r) => format!("[{}]", r.join(", ")),
    }
}

/// The value's YAML, as the lines `ServiceText::set` takes.
fn yaml_value(value: &FactValue) -> Vec<String> {
    match value {
        FactValue::Text(t) => vec![format!(" {}", quote(t))],
        FactValue::Routes(routes) => std::iter::once(String::new())
            .chain(routes.iter().map(|r| format!("  - {}", quote(r))))
            .collect(),
    }
}

/// A field in words.
fn what(field: &str) -> &'static str {
    match field {
        "url" => "website",
        "phone" => "phone number",
        "email" => "e-mail address",
        "how_to_access" => "way to get it",
        "referral" => "referral routes",
        _ => "detail",
    }
}
