//! The reader on a workbook written by hand, with the cell kinds and text rules that
//! spreadsheet programs other than scopemap's own writer produce.

use super::{ReadError, Workbook};
use std::io::Write;
use zip::write::SimpleFileOptions;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"#;

const WORKBOOK: &str = r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<workbookPr date1904="0"/><sheets>
<sheet name="Other" sheetId="1" r:id="rId1"/>
<sheet name="ratings" sheetId="2" r:id="rId2"/>
</sheets></workbook>"#;

const WORKBOOK_RELS: &str = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/Sheet2.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="http://example.org/" TargetMode="External"/>
</Relationships>"#;

const STRINGS: &str = r#"<sst uniqueCount="4000000000">
<si><t>plain</t></si>
<si><r><rPr><b/></rPr><t xml:space="preserve">rich </t></r><r><t>text</t></r><rPh><t>ふりがな</t></rPh></si>
<si><t>a &amp; b &#233; line_x000D_
two</t></si>
</sst>"#;

const STYLES: &str = r#"<styleSheet>
<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>
<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="14"><alignment wrapText="1"/></xf></cellXfs>
<dxfs count="1"><dxf><numFmt numFmtId="165" formatCode="yyyy"/></dxf></dxfs>
</styleSheet>"#;

const SHEET: &str = r#"<worksheet><dimension ref="A1:XFD1048576"/><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>
<row r="2"><c r="A2" t="inlineStr"><is><t>  inline  </t></is></c><c r="B2" t="str"><f>A1</f><v>formula text</v></c><c r="C2" t="b"><v>1</v></c><c r="D2" t="e"><v>#N/A</v></c></row>
<row r="3"><c r="A3" s="1"><v>45047</v></c><c r="B3" s="2"><v>45047.25</v></c><c r="C3" s="0"><v>45047</v></c><c r="D3"><v>2.50</v></c></row>
<row><c><v>7</v></c><c/><c><v>8</v></c></row>
<row r="6"><c r="A6" s="1"/><c r="Z6" t="s"><v></v></c></row>
</sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells></worksheet>"#;

fn workbook(parts: &[(&str, &str)]) -> tempfile::NamedTempFile {
    let file = tempfile::NamedTempFile::new().expect("temp file");
    let mut zip = zip::ZipWriter::new(file.reopen().expect("reopen"));
    for (i, (name, text)) in parts.iter().enumerate() {
        // Stored and deflated parts alike, as spreadsheet programs write both.
        let method = if i % 2 == 0 {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        let options = SimpleFileOptions::default().compression_method(method);
        zip.start_file(*name, options).expect("start");
        zip.write_all(text.as_bytes()).expect("write");
    }
    zip.finish().expect("finish");
    file
}

fn standard_parts(sheet: &str) -> Vec<(&'static str, String)> {
    vec![
        ("_rels/.rels", RELS.to_string()),
        ("xl/workbook.xml", WORKBOOK.to_string()),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.to_string()),
        ("xl/sharedStrings.xml", STRINGS.to_string()),
        ("xl/styles.xml", STYLES.to_string()),
        ("xl/worksheets/sheet1.xml", "<worksheet/>".to_string()),
        ("xl/worksheets/sheet2.xml", sheet.to_string()),
    ]
}

fn read(sheet: &str) -> Result<Option<super::Grid>, ReadError> {
    let parts = standard_parts(sheet);
    let borrowed: Vec<(&str, &str)> = parts.iter().map(|(n, t)| (*n, t.as_str())).collect();
    let file = workbook(&borrowed);
    let mut wb = Workbook::open(file.path(), &["Ratings", "Missing"])?;
    assert_eq!(wb.read_sheet("Missing", &|_, _| true)?, None);
    wb.read_sheet("Ratings", &|_, _| true)
}

#[test]
fn cells_read_as_a_person_sees_them() {
    let grid = read(SHEET)
        .expect("read")
        .expect("the sheet, found ignoring case");
    let at = |row: u32, col: u16| grid.get(&(row, col)).map(String::as_str);
    assert_eq!(at(0, 0), Some("plain"));
    assert_eq!(
        at(0, 1),
        Some("rich text"),
        "runs joined, phonetic guide left out"
    );
    assert_eq!(at(0, 2), Some("a & b é line\ntwo"));
    assert_eq!(at(1, 0), Some("inline"));
    assert_eq!(at(1, 1), Some("formula text"));
    assert_eq!(at(1, 2), Some("TRUE"));
    assert_eq!(at(1, 3), Some("#N/A"));
    assert_eq!(at(2, 0), Some("2023-05-01"), "a custom date format");
    assert_eq!(
        at(2, 1),
        Some("2023-05-01 06:00:00"),
        "a built-in date format"
    );
    assert_eq!(at(2, 2), Some("45047"));
    assert_eq!(at(2, 3), Some("2.5"));
    assert_eq!(at(3, 0), Some("7"), "a row and cells without references");
    assert_eq!(at(3, 2), Some("8"));
    assert_eq!(grid.len(), 13, "empty cells are not kept: {grid:?}");
}

#[test]
fn only_the_cells_asked_for_are_kept() {
    let parts = standard_parts(SHEET);
    let borrowed: Vec<(&str, &str)> = parts.iter().map(|(n, t)| (*n, t.as_str())).collect();
    let file = workbook(&borrowed);
    let mut wb = Workbook::open(file.path(), &["Ratings"]).expect("open");
    let grid = wb
        .read_sheet("Ratings", &|row, col| row == 2 && col == 0)
        .expect("read")
        .expect("sheet");
    assert_eq!(
        grid.into_iter().collect::<Vec<_>>(),
        [((2, 0), "2023-05-01".to_string())]
    );
}

#[test]
fn every_formula_is_listed_with_its_cell_kept_or_not() {
    let sheet = r#"<worksheet><sheetData>
<row r="1"><c r="A1" t="str"><f>"G"</f><v>G</v></c><c r="B1"><f>1+1</f></c></row>
<row r="2"><c r="C2"><f t="shared" si="0"/><v>3</v></c><c r="D2"><v>4</v></c></row>
</sheetData></worksheet>"#;
    let parts = standard_parts(sheet);
    let borrowed: Vec<(&str, &str)> = parts.iter().map(|(n, t)| (*n, t.as_str())).collect();
    let file = workbook(&borrowed);
    let mut wb = Workbook::open(file.path(), &["Ratings"]).expect("open");
    let grid = wb
        .read_sheet("Ratings", &|row, _| row == 0)
        .expect("read")
        .expect("sheet");
    assert_eq!(grid.get(&(0, 0)).map(String::as_str), Some("G"));
    let listed: Vec<(&str, &str)> = wb
        .formulas()
        .iter()
        .map(|f| (f.cell.as_str(), f.formula.as_str()))
        .collect();
    assert_eq!(
        listed,
        [
            ("Ratings!A1", "\"G\""),
            ("Ratings!B1", "1+1"),
            ("Ratings!C2", "")
        ]
    );
}

#[test]
fn damaged_sheets_are_unreadable_not_misread() {
    let cases = [
        (
            r#"<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>99</v></c></row></sheetData></worksheet>"#,
            "shared string `99`",
        ),
        (
            r#"<worksheet><sheetData><row r="1"><c r="1A"><v>1</v></c></row></sheetData></worksheet>"#,
            "numbered `1A`",
        ),
        (
            r#"<worksheet><sheetData><row r="x"></row></sheetData></worksheet>"#,
            "numbered `x`",
        ),
        (
            r#"<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&bogus;</t></is></c></row></sheetData></worksheet>"#,
            "unknown entity",
        ),
        (
            r#"<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c>"#,
            "ends inside",
        ),
    ];
    for (sheet, expected) in cases {
        match read(sheet) {
            Err(ReadError::Unreadable(why)) => assert!(why.contains(expected), "{why}"),
            other => panic!("{expected}: {other:?}"),
        }
    }
}

#[test]
fn a_value_outside_the_form_is_named_by_its_cell() {
    let sheet =
        r#"<worksheet><sheetData><row r="2"><c r="AA2"><v>1</v></c></row></sheetData></worksheet>"#;
    assert_eq!(
        read(sheet),
        Err(ReadError::OutsideForm("Ratings!AA2".into()))
    );
}

#[test]
fn a_part_whose_checksum_does_not_match_is_damaged() {
    let parts = standard_parts(SHEET);
    let borrowed: Vec<(&str, &str)> = parts.iter().map(|(n, t)| (*n, t.as_str())).collect();
    let file = workbook(&borrowed);
    let mut bytes = std::fs::read(file.path()).expect("read");
    // The first part is stored: change one byte of its text.
    let at = bytes
        .windows(13)
        .position(|w| w == b"Relationships")
        .expect("text");
    bytes[at] = b'r';
    std::fs::write(file.path(), bytes).expect("write");
    match Workbook::open(file.path(), &["Ratings"]) {
        Err(ReadError::Unreadable(why)) => assert!(why.contains("checksum"), "{why}"),
        other => panic!("{:?}", other.map(|_| ())),
    }
}

#[test]
fn names_from_the_file_are_shown_short_and_without_control_characters() {
    assert_eq!(
        super::shown("xl/worksheets/sheet1.xml"),
        "xl/worksheets/sheet1.xml"
    );
    assert_eq!(super::shown("a\u{1b}[2Jb\n"), "a?[2Jb?");
    let long = "x".repeat(100);
    assert_eq!(super::shown(&long), format!("{}…", "x".repeat(60)));
}
