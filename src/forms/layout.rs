//! Where everything sits in a return form, shared by the writer and the reader.
//!
//! In: nothing. Out: sheet names, 0-based row and column numbers, the keys of the About
//! sheet, and helpers that turn positions into A1 references (`Ratings!E7`) and ids into
//! form file names. Changing any position here changes the form format: raise
//! `FORM_FORMAT_VERSION` when you do, so old forms are refused rather than misread.

/// The version of the cell layout below, written on the About sheet of every form.
/// Version 2 added the evidence columns; version 3 added joint forms (several areas, one
/// block of columns each, their ids side by side on the About sheet) and moved the
/// evidence choices to About!F:H. Version 1 and 2 forms (one area) still read.
pub const FORM_FORMAT_VERSION: u32 = 3;

use crate::model::vocab::Referral;
/// The oldest form format import still reads.
pub const OLDEST_FORM_FORMAT: u32 = 1;

pub const INSTRUCTIONS_SHEET: &str = "Instructions";
pub const RATINGS_SHEET: &str = "Ratings";
pub const SERVICES_SHEET: &str = "Services";
pub const ABOUT_SHEET: &str = "About";

/// The text in About!B1 that marks a workbook as a scopemap return form.
pub const FORM_MARKER: &str = "scopemap scoping return form";

/// About sheet: one `key | value` pair a row, keys in column A, values in column B.
pub const ABOUT_KEY_COL: u16 = 0;
pub const ABOUT_VALUE_COL: u16 = 1;
pub const ABOUT_FORM: &str = "form";
pub const ABOUT_VERSION: &str = "format_version";
pub const ABOUT_YEAR: &str = "year";
pub const ABOUT_REGION: &str = "region";
pub const ABOUT_AREA: &str = "area";
/// The row of the About sheet holding the form's area ids: one in column B, or on a joint
/// form one a column from B, in the order of the areas' blocks on the Ratings sheet.
pub const ABOUT_AREA_ROW: u32 = 4;
/// Rows of the About sheet, in order.
pub const ABOUT_KEYS: [&str; 5] = [
    ABOUT_FORM,
    ABOUT_VERSION,
    ABOUT_YEAR,
    ABOUT_REGION,
    ABOUT_AREA,
];

/// Ratings sheet rows.
pub const RATINGS_TITLE_ROW: u32 = 0;
pub const COMPILED_BY_ROW: u32 = 1;
pub const COMPILED_ON_ROW: u32 = 2;
pub const RATINGS_GUIDE_ROW: u32 = 3;
pub const RATINGS_HEADER_ROW: u32 = 4;
pub const FIRST_RATING_ROW: u32 = 5;
/// Ratings sheet columns. The labels of "completed by" and "date" sit in `COL_NAME`, their
/// input cells in `COL_DESCRIPTION`.
pub const COL_ID: u16 = 0;
pub const COL_NAME: u16 = 1;
pub const COL_DESCRIPTION: u16 = 2;

/// The most areas one joint form covers: each takes a block of `AREA_BLOCK_WIDTH`
/// columns, and the blocks must fit in the columns a form uses (`FORM_COLUMNS`).
pub const MAX_JOINT_AREAS: usize = 3;
/// The first column of the first area's block, and the width of a block.
const FIRST_AREA_COL: u16 = 3;
const AREA_BLOCK_WIDTH: u16 = 6;

/// The Ratings columns of one area of a form: a single-area form has one block (D to I);
/// a joint form one block per area, side by side, in the order of the About sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AreaColumns {
    /// Last year's rating and note (locked).
    pub last: u16,
    pub rating: u16,
    pub note: u16,
    /// Up to three directory services that evidence the rating, chosen by name.
    pub evidence: [u16; 3],
}

/// The columns of the `index`th area (0-based) of a form.
pub fn area_columns(index: usize) -> AreaColumns {
    let first = FIRST_AREA_COL + AREA_BLOCK_WIDTH * index as u16;
    AreaColumns {
        last: first,
        rating: first + 1,
        note: first + 2,
        evidence: [first + 3, first + 4, first + 5],
    }
}

/// The last column of the Ratings table of a form for `areas` areas.
pub fn last_ratings_column(areas: usize) -> u16 {
    area_columns(areas.max(1) - 1).evidence[2]
}

/// About sheet column listing the evidence choices (service names) of the `index`th area,
/// one a row from row 1, which that area's evidence drop-downs refer to.
pub fn about_choices_col(index: usize) -> u16 {
    5 + index as u16
}

/// The choice in a rating cell's drop-down that confirms last year's rating. It is offered
/// only where there is one last rating (the area's own, or its predecessors' when they all
/// agree); import reads it as that rating.
pub const NO_CHANGE: &str = "No change";

/// Services sheet rows and columns (format 3). The directory's services for the form's
/// areas come first, one a row, each with its id (locked) and what the directory says now
/// (locked), and cells for its public contact details and how families get it, which
/// import writes into the service's directory file; then `SERVICE_ROWS` blank rows for
/// services the directory does not list, which are for a person to read.
pub const SERVICES_HEADER_ROW: u32 = 3;
pub const FIRST_SERVICE_ROW: u32 = 4;
/// Empty rows offered for services the directory does not list.
pub const SERVICE_ROWS: u32 = 30;
pub const SERVICE_COL_ID: u16 = 0;
pub const SERVICE_COL_NAME: u16 = 1;
pub const SERVICE_COL_NOW: u16 = 2;
pub const SERVICE_COL_WEBSITE: u16 = 3;
pub const SERVICE_COL_PHONE: u16 = 4;
pub const SERVICE_COL_EMAIL: u16 = 5;
pub const SERVICE_COL_HOW_TO_ACCESS: u16 = 6;
pub const SERVICE_COL_WHO_REFERS: u16 = 7;
/// Headings of the Services table, from column A; the columns from `SERVICE_COL_NEW_ONLY`
/// are filled in for services the directory does not list.
pub const SERVICE_COLUMNS: [&str; 14] = [
    "Directory id (do not change)",
    "Service name",
    "What the directory says now",
    "Website",
    "Phone",
    "E-mail",
    "How families get it (how to be referred)",
    "Who can refer",
    "Provider",
    "What it offers",
    "Categories (names from the Ratings sheet)",
    "Ages",
    "How it is delivered",
    "Funding (and when it ends)",
];
pub const SERVICE_COL_NEW_ONLY: u16 = 8;
/// The choices of the "Who can refer" cells, and the `referral` routes each means.
pub const WHO_REFERS: [(&str, &[Referral]); 3] = [
    ("Families themselves", &[Referral::SelfReferral]),
    ("A professional", &[Referral::Professional]),
    (
        "Families or a professional",
        &[Referral::SelfReferral, Referral::Professional],
    ),
];
/// The Services table of a version 1 or 2 form: ten columns from A, none imported.
pub const OLD_SERVICE_COLUMNS: u16 = 10;

/// The area of a sheet a form may use: rows 1 to `FORM_ROWS` and columns A to Z. Import
/// refuses a value outside it (E121) rather than walk or allocate for a sheet of millions
/// of cells; empty cells outside it are passed over.
pub const FORM_ROWS: u32 = 5_000;
pub const FORM_COLUMNS: u16 = 26;

/// The title in Ratings!A1, which import checks against the About sheet. `area_name` is
/// the joint label of a joint form.
pub fn ratings_title(area_name: &str, region_name: &str, year: u16) -> String {
    format!("Ratings for {area_name} ({region_name}), {year}")
}

/// The heading of an area's rating column on a joint form, which import checks against
/// the area the About sheet gives for that block.
pub fn joint_rating_header(area_name: &str, year: u16) -> String {
    format!("{area_name}: this year's rating ({year})")
}

/// The label of a joint return, as the report's returns table prints one: the area names
/// joined by commas ("Blackpool, Fylde and Wyre").
pub fn joint_label<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    names.into_iter().collect::<Vec<_>>().join(", ")
}

/// `A`, `B`, …, `Z`, `AA`, … for a 0-based column number.
pub fn column_letters(col: u16) -> String {
    let mut n = u32::from(col) + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// `Sheet!E7` for a 0-based row and column.
pub fn cell_ref(sheet: &str, row: u32, col: u16) -> String {
    format!("{sheet}!{}{}", column_letters(col), u64::from(row) + 1)
}

/// `<year>-<region-id>-<area-id>.xlsx`; a joint form joins its area ids with `-and-`.
pub fn form_file_name(year: u16, region_id: &str, area_ids: &[&str]) -> String {
    format!("{year}-{region_id}-{}.xlsx", area_ids.join("-and-"))
}

/// Whether an id is safe to use as a file or folder name: lowercase letters, digits and
/// hyphens, not starting with a hyphen. The validator insists on this for every id; forms
/// check again because they build paths from ids.
pub fn is_safe_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 80
        && !id.starts_with('-')
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cells_like_a_spreadsheet() {
        assert_eq!(cell_ref("Ratings", 6, area_columns(0).rating), "Ratings!E7");
        assert_eq!(cell_ref("Ratings", 6, area_columns(1).rating), "Ratings!K7");
        assert_eq!(last_ratings_column(1), 8);
        assert!(last_ratings_column(MAX_JOINT_AREAS) < FORM_COLUMNS);
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn safe_ids_only() {
        assert!(is_safe_id("south-sefton-ccg"));
        assert!(!is_safe_id("../etc"));
        assert!(!is_safe_id(""));
        assert!(!is_safe_id("-x"));
        assert!(!is_safe_id("A"));
    }
}
