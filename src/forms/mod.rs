//! Spreadsheet return forms: writing one .xlsx per area and reading filled forms back.
