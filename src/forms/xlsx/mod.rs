//! A bounded reader for the few parts of an .xlsx workbook a form needs.
//!
//! In: the path of an .xlsx file and the names of the sheets wanted. Out: a `Workbook` that
//! reads one wanted sheet at a time and hands back the text of the cells asked for (and
//! lists every cell holding a formula); or a
//! `ReadError` saying why the file cannot be read, which limit it passed, or which value
//! lies outside the form.
//!
//! Only what a form needs is read: the package and workbook relationships, the workbook
//! (sheet names and date system), the shared strings, the number formats (to tell dates
//! from numbers) and the wanted sheets. Nothing is allocated from a size the file declares:
//! parts inflate through a counting reader (`part`), cells are streamed one at a time and
//! only those asked for are kept (`sheet`), and every count is checked against
//! `forms::limits`.

mod package;
mod part;
mod sheet;
mod strings;
mod styles;
mod xml;

pub use sheet::{FormulaCell, Grid};

use part::Parts;
use sheet::{Context, Counts};
use std::path::Path;
use strings::SharedStrings;
use styles::DateStyles;

/// Why a workbook was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// Not a readable workbook: a sentence saying why.
    Unreadable(String),
    /// Larger than a form can be: which limit was passed, and where.
    TooLarge(String),
    /// A value outside the area a form uses: its cell, e.g. `Ratings!XFD1048576`.
    OutsideForm(String),
}

/// A name or value from the file as a message shows it: at most 60 characters, control
/// characters replaced, so a hostile file cannot flood or garble the terminal.
pub fn shown(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(60)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if text.chars().nth(60).is_some() {
        out.push('…');
    }
    out
}

pub struct Workbook {
    parts: Parts,
    date1904: bool,
    /// (wanted name, part) of each wanted sheet the workbook has.
    sheets: Vec<(String, String)>,
    strings: SharedStrings,
    styles: DateStyles,
    counts: Counts,
    formulas: Vec<FormulaCell>,
}

impl Workbook {
    pub fn open(path: &Path, wanted_sheets: &[&str]) -> Result<Workbook, ReadError> {
        let mut parts = Parts::open(path)?;
        let package = package::read(&mut parts, wanted_sheets)?;
        let strings = match &package.shared_strings {
            Some(name) => match parts.find(name) {
                Some(index) => SharedStrings::read(&mut parts.xml(index, name)?)?,
                None => SharedStrings::default(),
            },
            None => SharedStrings::default(),
        };
        let styles = match &package.styles {
            Some(name) => match parts.find(name) {
                Some(index) => DateStyles::read(&mut parts.xml(index, name)?)?,
                None => DateStyles::default(),
            },
            None => DateStyles::default(),
        };
        Ok(Workbook {
            parts,
            date1904: package.date1904,
            sheets: package.sheets,
            strings,
            styles,
            counts: Counts::default(),
            formulas: Vec::new(),
        })
    }

    /// The cells of a wanted sheet for which `keep(row, column)` is true; `None` when the
    /// workbook has no such sheet. Cell references in errors use the name as wanted.
    pub fn read_sheet(
        &mut self,
        name: &str,
        keep: &dyn Fn(u32, u16) -> bool,
    ) -> Result<Option<Grid>, ReadError> {
        let Some((_, part)) = self.sheets.iter().find(|(wanted, _)| wanted == name) else {
            return Ok(None);
        };
        let Some(index) = self.parts.find(part) else {
            return Err(ReadError::Unreadable(format!(
                "the {name} sheet's part `{}` is missing from the zip",
                shown(part)
            )));
        };
        let mut xml = self.parts.xml(index, part)?;
        let context = Context {
            strings: &self.strings,
            styles: &self.styles,
            date1904: self.date1904,
        };
        sheet::read_cells(
            &mut xml,
            name,
            &context,
            &mut self.counts,
            &mut self.formulas,
            keep,
        )
        .map(Some)
    }

    /// Every cell holding a formula in the sheets read so far, in the order read.
    pub fn formulas(&self) -> &[FormulaCell] {
        &self.formulas
    }
}

#[cfg(test)]
mod tests;
