//! Checking what a form will write with the project's own loader and rules, among the
//! existing data, and keeping it there for the forms after it.
//!
//! In: the dataset, one form's prepared returns and directory edits, and the errors the
//! data had before the import. Out: the diagnostics the project's rules find in what the
//! form writes, each with the form's cell the value came from; and, once a form is known
//! to be good, the dataset with its returns and edits in place (`commit`), so a later form
//! that edits the same directory file builds on this one and cites returns that exist.

use super::directory::PreparedEdit;
use super::layout::{RATINGS_SHEET, SERVICES_SHEET};
use crate::diag::Diagnostic;
use crate::model::{Dataset, Loaded, Return, Service, SourceFile};
use std::collections::BTreeSet;
use std::path::PathBuf;

/// One return of a form that passed its checks, ready to be written.
pub struct Prepared {
    pub target: PathBuf,
    pub rel_path: String,
    pub yaml: String,
    /// (1-based line, cell) for each line holding a value from the form.
    pub cells: Vec<(usize, String)>,
    pub year: u16,
    pub area: String,
    /// The About cell naming the area.
    pub area_cell: String,
    /// The text of the return this one replaces, to put back if the import is undone.
    pub replaces: Option<String>,
    /// What the import changes, in words.
    pub changes: Vec<String>,
}

/// The errors of the data before the import, as (file, code, message), so that only the
/// problems a form brings into a directory file are blamed on it.
pub fn baseline(ds: &Dataset) -> BTreeSet<(String, String, String)> {
    crate::validate::validate(ds)
        .into_iter()
        .filter(Diagnostic::is_error)
        .map(|d| (d.file, d.code.to_string(), d.message))
        .collect()
}

/// What the data was before a form was put in, to put back.
struct Undo {
    /// Returns set aside, with their positions.
    removed: Vec<(usize, Loaded<Return>)>,
    returns_pushed: usize,
    sources_pushed: usize,
    /// (service index, its value and its source text before the edit).
    services: Vec<(usize, Service, String)>,
}

/// The diagnostics the project's rules find in a form's returns and edits, each with its
/// cell. The dataset is left as it was.
pub fn check(
    ds: &mut Dataset,
    returns: &[Prepared],
    edits: &[PreparedEdit],
    before: &BTreeSet<(String, String, String)>,
) -> Vec<(Diagnostic, String)> {
    let mut found: Vec<(Diagnostic, String)> = Vec::new();
    let undo = put_in(ds, returns, edits, &mut found);
    let diagnostics = crate::validate::validate(ds);
    take_out(ds, undo);
    for p in returns {
        found.extend(
            diagnostics
                .iter()
                .filter(|d| d.file == p.rel_path)
                .map(|d| (d.clone(), cell_of(&p.cells, d.line, RATINGS_SHEET))),
        );
    }
    for e in edits {
        for d in diagnostics.iter().filter(|d| d.file == e.rel_path) {
            let on_our_line = e.cells.iter().any(|(l, _)| *l == d.line);
            let new_error = d.is_error()
                && !before.contains(&(d.file.clone(), d.code.to_string(), d.message.clone()));
            if on_our_line || new_error {
                found.push((d.clone(), cell_of(&e.cells, d.line, SERVICES_SHEET)));
            }
        }
    }
    found
}

/// Put a good form's returns and edits into the dataset for the forms after it.
pub fn commit(ds: &mut Dataset, returns: &[Prepared], edits: &[PreparedEdit]) {
    let mut ignored = Vec::new();
    put_in(ds, returns, edits, &mut ignored);
}

fn cell_of(cells: &[(usize, String)], line: usize, fallback: &str) -> String {
    cells
        .iter()
        .find(|(l, _)| *l == line)
        .map(|(_, c)| c.clone())
        .unwrap_or_else(|| fallback.to_string())
}

/// Put the returns (in place of the ones they replace) and the edited services into the
/// dataset; problems reading them back go to `found`.
fn put_in(
    ds: &mut Dataset,
    returns: &[Prepared],
    edits: &[PreparedEdit],
    found: &mut Vec<(Diagnostic, String)>,
) -> Undo {
    let mut undo = Undo {
        removed: Vec::new(),
        returns_pushed: 0,
        sources_pushed: 0,
        services: Vec::new(),
    };
    for p in returns {
        let source = SourceFile {
            path: p.rel_path.clone(),
            disk_path: p.target.clone(),
            text: p.yaml.clone(),
        };
        let mut read = Vec::new();
        let Some(mut value) = crate::load::parse_file::<Return>(&source, &mut read) else {
            found.extend(read.into_iter().map(|d| {
                let cell = cell_of(&p.cells, d.line, RATINGS_SHEET);
                (d, cell)
            }));
            continue;
        };
        // As the loader does: a short rating (`id: G`) takes its position from its key.
        for (_, entry) in &mut value.ratings {
            if entry.value.rating.line == 0 {
                entry.value.rating.line = entry.line;
                entry.value.rating.column = entry.column;
            }
        }
        // The return this form replaces (one awaiting its form, or any with --force) is
        // set aside while the new one is in its place.
        if p.replaces.is_some()
            && let Some(i) = ds
                .returns
                .iter()
                .position(|r| r.value.year.value == p.year && r.value.area.value == p.area)
        {
            undo.removed.push((i, ds.returns.remove(i)));
        }
        ds.sources.push(source);
        undo.sources_pushed += 1;
        ds.returns.push(Loaded {
            source: ds.sources.len() - 1,
            value,
        });
        undo.returns_pushed += 1;
    }
    for e in edits {
        let Some(loaded) = ds.services().get(e.service) else {
            continue;
        };
        let Some(old_text) = ds.sources.get(loaded.source).map(|s| s.text.clone()) else {
            continue;
        };
        let edited = SourceFile {
            path: e.rel_path.clone(),
            disk_path: e.target.clone(),
            text: e.text.clone(),
        };
        let mut read = Vec::new();
        let Some(value) = crate::load::parse_file::<Service>(&edited, &mut read) else {
            found.extend(read.into_iter().map(|d| {
                let cell = cell_of(&e.cells, d.line, SERVICES_SHEET);
                (d, cell)
            }));
            continue;
        };
        let source = loaded.source;
        let Some(old) = ds.set_service(e.service, value) else {
            continue;
        };
        ds.sources[source].text = e.text.clone();
        undo.services.push((e.service, old, old_text));
    }
    undo
}

fn take_out(ds: &mut Dataset, undo: Undo) {
    for (index, value, text) in undo.services.into_iter().rev() {
        let source = ds.services()[index].source;
        ds.set_service(index, value);
        ds.sources[source].text = text;
    }
    for _ in 0..undo.returns_pushed {
        ds.returns.pop();
    }
    for _ in 0..undo.sources_pushed {
        ds.sources.pop();
    }
    for (i, old) in undo.removed.into_iter().rev() {
        ds.returns.insert(i, old);
    }
}
