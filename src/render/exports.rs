//! Open data: provision ratings as CSV and JSON (one row per year × area × category) and
//! the directory as JSON.
//!
//! Every text cell of a CSV goes through `csv_text`, so a note or name that starts like a
//! formula (`=HYPERLINK(…)`) opens in a spreadsheet as text, never as a live formula.

use super::{OutputFile, SiteInput};
use crate::analyse;
use crate::model::vocab::SubmissionStatus;
use serde::Serialize;
use std::borrow::Cow;

/// A text cell of a CSV download made safe to open in a spreadsheet, as OWASP advises
/// against CSV injection: a value starting with `=`, `+`, `-`, `@`, a tab or a carriage
/// return (or the full-width `＝ ＋ － ＠`, which some spreadsheets also read as the start
/// of a formula) gets a `'` in front, which spreadsheets take as "this is text" and do not
/// evaluate. Only text columns go through here: a number written from a number (`-3`) is
/// a number, and quoting it would turn it into text.
pub fn csv_text(value: &str) -> Cow<'_, str> {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '＝' | '＋' | '－' | '＠') => {
            Cow::Owned(format!("'{value}"))
        }
        _ => Cow::Borrowed(value),
    }
}

pub const PROVISION_COLUMNS: [&str; 13] = [
    "year",
    "region_id",
    "region_name",
    "area_id",
    "area_name",
    "area_code",
    "category_id",
    "category_name",
    "rating",
    "rating_label",
    "note",
    "returned",
    "source",
];

#[derive(Serialize)]
pub struct ProvisionRow {
    pub year: u16,
    pub region_id: String,
    pub region_name: String,
    pub area_id: String,
    /// As printed in that year's report.
    pub area_name: String,
    pub area_code: String,
    pub category_id: String,
    /// As printed in that year's report.
    pub category_name: String,
    pub rating: String,
    pub rating_label: String,
    pub note: String,
    /// `yes`, `no`, or `unknown` when the returns table has no row for the area.
    pub returned: String,
    /// Where the value comes from: `returned`, `rated from other sources`, `not in returns
    /// table`, `awaiting return` or `carried forward` (the last two with no rating), or
    /// `not rated`.
    pub source: String,
}

/// Where the value of one cell comes from, in the words of the `source` column.
fn source_of(row: &analyse::MatrixRow, cell: Option<&analyse::Cell>, index: usize) -> &'static str {
    if row.awaiting.get(index).is_some_and(Option::is_some) {
        return if row.status() == Some(SubmissionStatus::AwaitingReturn) {
            "awaiting return"
        } else {
            "carried forward"
        };
    }
    if cell.is_none() {
        return "not rated";
    }
    match row.status() {
        Some(SubmissionStatus::Received) => "returned",
        Some(SubmissionStatus::NotReceived) => "rated from other sources",
        _ => "not in returns table",
    }
}

impl ProvisionRow {
    /// The row as CSV cells, in `PROVISION_COLUMNS` order. `year` is a number and stays
    /// one; every other column is text (ids, names, codes, labels, notes) and is made
    /// formula-safe, ids included, although the validator already keeps them to letters,
    /// digits and inner hyphens.
    fn csv_cells(&self) -> [Cow<'_, str>; 13] {
        [
            Cow::Owned(self.year.to_string()),
            csv_text(&self.region_id),
            csv_text(&self.region_name),
            csv_text(&self.area_id),
            csv_text(&self.area_name),
            csv_text(&self.area_code),
            csv_text(&self.category_id),
            csv_text(&self.category_name),
            csv_text(&self.rating),
            csv_text(&self.rating_label),
            csv_text(&self.note),
            csv_text(&self.returned),
            csv_text(&self.source),
        ]
    }
}

/// The rows of one region's matrix for one year, in report order of areas and categories.
fn matrix_rows(year: u16, m: &analyse::Matrix) -> Vec<ProvisionRow> {
    let mut rows = Vec::new();
    for row in &m.rows {
        for (i, (col, cell)) in m.columns.iter().zip(&row.cells).enumerate() {
            rows.push(ProvisionRow {
                year,
                region_id: m.region_id.clone(),
                region_name: m.region_name.clone(),
                area_id: row.area_id.clone(),
                area_name: row.area_name.clone(),
                area_code: row.area_code.clone().unwrap_or_default(),
                category_id: col.id.clone(),
                category_name: col.name.clone(),
                rating: cell.as_ref().map(|c| c.code.clone()).unwrap_or_default(),
                rating_label: cell.as_ref().map(|c| c.label.clone()).unwrap_or_default(),
                note: cell
                    .as_ref()
                    .and_then(|c| c.note.clone())
                    .unwrap_or_default(),
                returned: match row.status() {
                    Some(SubmissionStatus::Received) => "yes",
                    Some(SubmissionStatus::NotReceived | SubmissionStatus::AwaitingReturn) => "no",
                    _ => "unknown",
                }
                .into(),
                source: source_of(row, cell.as_ref(), i).into(),
            });
        }
    }
    rows
}

/// One region's rows for one year, written out: CSV lines, and JSON objects one per line.
/// Kept with the matrix, so a rebuild writes again only the years that changed.
pub struct ProvisionPart {
    csv: Vec<u8>,
    json: String,
}

impl ProvisionPart {
    pub fn new(year: u16, m: &analyse::Matrix) -> ProvisionPart {
        let rows = matrix_rows(year, m);
        let mut writer = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new());
        for row in &rows {
            let _ = writer.write_record(row.csv_cells().iter().map(|cell| cell.as_bytes()));
        }
        let json: Vec<String> = rows
            .iter()
            .map(|r| serde_json::to_string(r).unwrap_or_default())
            .collect();
        ProvisionPart {
            csv: writer.into_inner().unwrap_or_default(),
            json: json.join(",\n"),
        }
    }
}

/// Every rating, ordered by year, region, area (report order) and category (report order):
/// `data/provision.csv` and `data/provision.json` (an array with one rating per line).
fn provision_files(input: &SiteInput) -> (Vec<u8>, Vec<u8>) {
    let ds = input.dataset;
    let mut csv_bytes = {
        let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
        let _ = writer.write_record(PROVISION_COLUMNS);
        writer.into_inner().unwrap_or_default()
    };
    let mut json = Vec::new();
    if let Some(fw) = ds.framework() {
        for year in ds.years() {
            for region in ds.regions().iter().map(|r| &r.value) {
                if !input.years(region).contains(&year) {
                    continue;
                }
                let part = input.provision_part(fw, region, year);
                csv_bytes.extend_from_slice(&part.csv);
                if !part.json.is_empty() {
                    json.push(part);
                }
            }
        }
    }
    let mut json_bytes = b"[\n".to_vec();
    for (i, part) in json.iter().enumerate() {
        if i > 0 {
            json_bytes.extend_from_slice(b",\n");
        }
        json_bytes.extend_from_slice(part.json.as_bytes());
    }
    json_bytes.extend_from_slice(b"\n]\n");
    (csv_bytes, json_bytes)
}

/// `data/need.csv`: population, need and target of every region and area with figures.
fn need_csv(input: &SiteInput) -> Vec<u8> {
    let ds = input.dataset;
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    let _ = writer.write_record([
        "region_id",
        "area_id",
        "population_year",
        "aged_0_4",
        "aged_0_4_in_deprived_areas",
        "base_rate_percent",
        "deprivation_uplift_percent",
        "initial_target_percent",
        "base_need",
        "additional_need",
        "total_need",
        "initial_target",
        "stated_base_need",
        "stated_additional_need",
        "stated_total_need",
        "stated_initial_target",
        "does_not_reconcile",
    ]);
    let Some(model) = ds.framework().and_then(|f| f.need_model.as_ref()) else {
        return writer.into_inner().unwrap_or_default();
    };
    let opt = |v: Option<u64>| v.map(|n| n.to_string()).unwrap_or_default();
    for region in ds.regions().iter().map(|r| &r.value) {
        let mut rows: Vec<(String, &crate::model::Population)> = region
            .population
            .iter()
            .map(|p| (String::new(), p))
            .collect();
        rows.extend(
            region
                .areas
                .iter()
                .filter_map(|a| a.population.as_ref().map(|p| (a.id.value.clone(), p))),
        );
        for (area, p) in rows {
            let f = analyse::need_figures(model, p);
            // The ids and the list of fields that do not reconcile are text and made
            // formula-safe; every other column is a number written from a number, which a
            // leading `-` must not turn into text.
            let _ = writer.write_record([
                csv_text(&region.id.value).into_owned(),
                csv_text(&area).into_owned(),
                f.population_year.to_string(),
                f.aged_0_4.to_string(),
                opt(f.in_deprived_areas),
                f.base_rate_percent.to_string(),
                f.uplift_percent.to_string(),
                f.target_percent.to_string(),
                f.base_need.to_string(),
                opt(f.additional_need),
                opt(f.total_need),
                opt(f.initial_target),
                opt(f.stated_base_need),
                opt(f.stated_additional_need),
                opt(f.stated_total_need),
                opt(f.stated_initial_target),
                csv_text(
                    &f.mismatches
                        .iter()
                        .map(|m| m.field.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                )
                .into_owned(),
            ]);
        }
    }
    writer.into_inner().unwrap_or_default()
}

/// The directory as JSON: every service as it is in the data.
pub fn directory_export(input: &SiteInput) -> OutputFile {
    #[derive(serde::Serialize)]
    struct Export<'a> {
        services: Vec<&'a crate::model::Service>,
    }
    let services: Vec<_> = input.dataset.services().iter().map(|s| &s.value).collect();
    // Room for a large entry per service, so the buffer is never copied as it grows; room
    // that is not written to is never touched.
    let mut bytes = Vec::with_capacity(services.len() * 4096 + 64);
    if serde_json::to_writer_pretty(&mut bytes, &Export { services }).is_err() {
        bytes.clear();
    }
    OutputFile {
        path: "data/directory.json".into(),
        bytes,
    }
}

/// The provision ratings as CSV and JSON, and the need figures as CSV.
pub fn provision_exports(input: &SiteInput) -> Vec<OutputFile> {
    let (csv_bytes, json) = provision_files(input);
    vec![
        OutputFile {
            path: "data/provision.csv".into(),
            bytes: csv_bytes,
        },
        OutputFile {
            path: "data/provision.json".into(),
            bytes: json,
        },
        OutputFile {
            path: "data/need.csv".into(),
            bytes: need_csv(input),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::csv_text;

    #[test]
    fn formula_starts_are_made_text_and_the_rest_left_alone() {
        for risky in [
            "=HYPERLINK(\"http://x\")",
            "+1",
            "-1+2",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "＝1+1",
            "＠x",
        ] {
            assert_eq!(csv_text(risky), format!("'{risky}"), "{risky:?}");
        }
        for plain in ["", "Good", " =1", "1-2", "a=b", "'quoted", "South Sefton"] {
            assert_eq!(csv_text(plain), plain, "{plain:?}");
        }
    }
}
