//! Spreadsheet return forms: writing one .xlsx per area and reading filled forms back.
//!
//! In: a loaded `Dataset` (to write forms), or filled `.xlsx` files and the `scoping-data/`
//! folder (to import them). Out: form files named `<year>-<region-id>-<area-id>.xlsx` (a
//! joint form, for areas that return together, joins its area ids with `-and-`), or YAML
//! returns at `scoping-data/returns/<year>/<region>/<area>.yaml` together with
//! diagnostics that point at the spreadsheet cell (`Ratings!E7`) rather than at YAML.
//!
//! A form has four sheets: "Instructions" (what to do, the rating key, how to send it
//! back), "Ratings" (one row per category graded that year and, for each area of the form,
//! a block of columns with its last rating (`previous`), a drop-down for this year's, a
//! note and up to three directory services as evidence, offered by `evidence`), "Services"
//! (`services`: the directory's services for the area, with cells for their contact
//! details, which import writes into the directory through `contacts` and `directory`,
//! then rows for services it does not list) and a very hidden "About" sheet saying which
//! year, region and area(s) the form is for and which form
//! format it uses. Every sheet is protected so only the cells meant to be filled in can
//! change, and the workbook's structure is locked (`protect`) so no sheet can be added,
//! removed, renamed or unhidden. The cell layout lives in `layout`, shared by the writer
//! and the reader. Filled forms come from outside, so they are read by `xlsx`, which
//! checks every size against `limits` as it reads and refuses a file past one (E120,
//! E121).

mod about;
mod contacts;
mod directory;
pub(crate) mod directory_edit;
mod evidence;
mod import;
mod layout;
mod limits;
mod previous;
mod project;
mod protect;
mod ratings;
mod read;
mod services;
mod write;
mod xlsx;
mod yaml;

pub use import::{ImportOutcome, import_forms, import_forms_with, render_outcome};
pub use layout::{FORM_FORMAT_VERSION, cell_ref, form_file_name};
pub use write::{
    AreaFill, FilledFormula, FilledRating, FormFill, ServiceFill, write_form, write_form_with,
    write_forms, write_forms_with, write_joint_form,
};

/// Diagnostic codes used only by form import (the others reuse the codes of `validate`:
/// E010, W011, E012, E013, E016, E017, W035, E025, E028).
pub mod codes {
    /// The file cannot be opened or read as an .xlsx workbook.
    pub const UNREADABLE: &str = "E080";
    /// The workbook is not a scopemap return form: no About sheet, a value missing from
    /// it, or no Ratings sheet.
    pub const NOT_A_FORM: &str = "E081";
    /// The About sheet names a form format this version of scopemap does not read.
    pub const FORMAT_VERSION: &str = "E082";
    /// A return for the form's area and year already exists and came back: it is kept
    /// unless the import is forced. (A return awaiting its form is simply replaced.)
    pub const RETURN_EXISTS: &str = "E083";
    /// The visible title of the Ratings sheet names another year, region or area than the
    /// hidden About sheet.
    pub const TITLE_MISMATCH: &str = "E141";
    /// Two forms in one import are for the same area and year.
    pub const DUPLICATE_FORM: &str = "E084";
    /// The return could not be written to disk.
    pub const CANNOT_WRITE: &str = "E085";
    /// The Services sheet lists services the directory does not have, which import does
    /// not add.
    pub const SERVICES_NOT_IMPORTED: &str = "W086";
    /// The workbook passes a size limit of `limits` (a zip bomb, or a sheet of millions of
    /// cells): it is refused before it can exhaust memory.
    pub const TOO_LARGE: &str = "E120";
    /// A sheet holds a value outside the area a form uses.
    pub const OUTSIDE_FORM: &str = "E121";
    /// A cell of the form holds a formula rather than a typed value.
    pub const FORMULA: &str = "E180";
    /// "No change" was chosen for a category with no single last rating to confirm (none,
    /// or predecessors rated differently).
    pub const NO_SINGLE_LAST_RATING: &str = "E181";
    /// The About sheet names an area of another region than the one it names.
    pub const AREA_OF_ANOTHER_REGION: &str = "E182";
    /// An evidence cell names no service the directory lists for the form's area.
    pub const UNKNOWN_EVIDENCE: &str = "E183";
    /// A row of the Services sheet names a directory id the form did not list.
    pub const UNLISTED_SERVICE: &str = "E184";
    /// A contact detail on the Services sheet differs from the one the directory states:
    /// kept unless the import is forced.
    pub const STATED_FACT: &str = "E185";
    /// A "Who can refer" cell holds something other than one of its choices.
    pub const WHO_REFERS: &str = "E186";
    /// A service's directory file could not be changed as the form asks (its text is laid
    /// out in a way the import does not edit safely).
    pub const DIRECTORY_EDIT: &str = "E187";
}
