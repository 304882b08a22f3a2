//! Where everything sits in a return form, shared by the writer and the reader.
//!
//! In: nothing. Out: sheet names, 0-based row and column numbers, the keys of the About
//! sheet, and helpers that turn positions into A1 references (`Ratings!E7`) and ids into
//! form file names. Changing any position here changes the form format: raise
//! `FORM_FORMAT_VERSION` when you do, so old forms are refused rather than misread.

/// The version of the cell layout below, written on the About sheet of every form.
/// Version 2 added the evidence columns; a version 1 form (without them) still reads.
pub const FORM_FORMAT_VERSION: u32 = 2;
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
pub const COL_LAST: u16 = 3;
pub const COL_RATING: u16 = 4;
pub const COL_NOTE: u16 = 5;
/// Up to three directory services that evidence the rating, chosen by name.
pub const COL_EVIDENCE: [u16; 3] = [6, 7, 8];
/// The last column of the Ratings table.
pub const COL_LAST_RATINGS: u16 = 8;
/// About sheet column listing the evidence choices (service names), one a row from row 1,
/// which the evidence drop-downs refer to.
pub const ABOUT_CHOICES_COL: u16 = 3;

/// The choice in a rating cell's drop-down that confirms last year's rating. It is offered
/// only where there is one last rating (the area's own, or its predecessors' when they all
/// agree); import reads it as that rating.
pub const NO_CHANGE: &str = "No change";

/// Services sheet rows and columns.
pub const SERVICES_HEADER_ROW: u32 = 3;
pub const FIRST_SERVICE_ROW: u32 = 4;
/// Empty rows offered for services.
pub const SERVICE_ROWS: u32 = 30;
pub const SERVICE_COLUMNS: [&str; 10] = [
    "Service name",
    "Provider",
    "What it offers",
    "Categories (names from the Ratings sheet)",
    "Ages",
    "How it is delivered",
    "How families are referred",
    "Funding (and when it ends)",
    "Website",
    "Contact (phone or e-mail)",
];

/// The area of a sheet a form may use: rows 1 to `FORM_ROWS` and columns A to Z. Import
/// refuses a value outside it (E121) rather than walk or allocate for a sheet of millions
/// of cells; empty cells outside it are passed over.
pub const FORM_ROWS: u32 = 5_000;
pub const FORM_COLUMNS: u16 = 26;

/// The title in Ratings!A1, which import checks against the About sheet.
pub fn ratings_title(area_name: &str, region_name: &str, year: u16) -> String {
    format!("Ratings for {area_name} ({region_name}), {year}")
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

/// `<year>-<region-id>-<area-id>.xlsx`.
pub fn form_file_name(year: u16, region_id: &str, area_id: &str) -> String {
    format!("{year}-{region_id}-{area_id}.xlsx")
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
        assert_eq!(cell_ref("Ratings", 6, COL_RATING), "Ratings!E7");
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
