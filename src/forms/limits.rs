//! How much a form may hold, checked while it is read.
//!
//! In: nothing. Out: the limits the workbook reader (`xlsx`) enforces. A filled form is a
//! few tens of kilobytes and its sheets use a small area; every limit here is far above
//! what a real form reaches and far below what would strain memory, so a hostile file is
//! refused (E120, E121) long before import has allocated much. The sizes a zip or a sheet
//! *declares* are never trusted: each limit is checked against what was actually read.

const MIB: u64 = 1024 * 1024;

/// The workbook file on disk. This also bounds the zip's central directory, which is read
/// whole when the zip is opened (about 400 bytes of memory for each file it lists).
pub const MAX_FORM_BYTES: u64 = 10 * MIB;
/// Files inside the workbook's zip.
pub const MAX_ZIP_ENTRIES: usize = 1_000;
/// Bytes inflated from any one part (an XML file inside the zip) that is read.
pub const MAX_PART_BYTES: u64 = 8 * MIB;
/// Bytes inflated from all the parts read, together.
pub const MAX_INFLATED_BYTES: u64 = 32 * MIB;
/// Strings in the shared-strings table.
pub const MAX_SHARED_STRINGS: usize = 100_000;
/// Bytes of text in the shared-strings table, together.
pub const MAX_SHARED_STRING_BYTES: usize = 4 * MIB as usize;
/// Cell formats and number formats in the styles part (Excel itself allows 64,000).
pub const MAX_FORMATS: usize = 65_536;
/// `<row>` elements read from all sheets together.
pub const MAX_ROWS: usize = 50_000;
/// `<c>` (cell) elements read from all sheets together, empty ones included.
pub const MAX_CELLS: usize = 500_000;
/// Bytes of text kept from the cells import looks at, together: one long shared string
/// referred to by many cells would otherwise be copied for each of them.
pub const MAX_KEPT_TEXT_BYTES: usize = 16 * MIB as usize;
