//! Writing a return read from a form as YAML text, with `model::yaml::Writer`.
//!
//! In: the values read from a form. Out: the text of
//! `scoping-data/returns/<year>/<region>/<area>.yaml` and, for each line that holds a value
//! from the form, the cell it came from, so a later diagnostic on that line can be
//! reported against the spreadsheet.

use crate::model::vocab::{SubmissionStatus, Vocabulary};
use crate::model::yaml::{Writer, quote};

/// One category's rating as it will be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlRating {
    pub category: String,
    pub code: String,
    pub note: Option<String>,
    /// Cells the rating and note came from.
    pub rating_cell: String,
    pub note_cell: String,
    /// Ids of the directory services chosen as evidence, each with its cell.
    pub evidence: Vec<(String, String)>,
}

/// A return ready to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlReturn {
    pub source_name: String,
    pub year: u16,
    pub region: String,
    pub area: String,
    /// For a return made from a joint form: the label the areas returned together share.
    pub listed_as: Option<String>,
    /// A note on the submission (how a joint form was returned).
    pub submission_note: Option<String>,
    pub compiled_by: Option<(String, String)>,
    pub compiled_on: Option<(String, String)>,
    pub ratings: Vec<YamlRating>,
    /// Cell that identifies the form (About sheet), for diagnostics on year/region/area.
    pub about_cell: String,
}

/// The YAML text, and (1-based line, cell) pairs for lines holding values from the form.
pub fn render(ret: &YamlReturn) -> (String, Vec<(usize, String)>) {
    let mut w = Writer::default();
    let mut cells: Vec<(usize, String)> = Vec::new();
    // The cell the line just written came from.
    let mut from = |w: &Writer, cell: &str| cells.push((w.lines(), cell.to_string()));
    w.comment(
        0,
        &format!(
            "Imported by scopemap from the spreadsheet form {}.",
            quote(&ret.source_name)
        ),
    );
    w.plain(0, "year", ret.year);
    from(&w, &ret.about_cell);
    w.string(0, "region", &ret.region);
    from(&w, &ret.about_cell);
    w.string(0, "area", &ret.area);
    from(&w, &ret.about_cell);
    w.open(0, "submission");
    w.string(2, "status", SubmissionStatus::Received.code());
    if let Some(label) = &ret.listed_as {
        w.string(2, "listed_as", label);
        from(&w, &ret.about_cell);
    }
    if let Some(note) = &ret.submission_note {
        w.string(2, "note", note);
    }
    if let Some((value, cell)) = &ret.compiled_by {
        w.string(0, "compiled_by", value);
        from(&w, cell);
    }
    if let Some((value, cell)) = &ret.compiled_on {
        w.string(0, "compiled_on", value);
        from(&w, cell);
    }
    w.open(0, "ratings");
    for r in &ret.ratings {
        if r.note.is_none() && r.evidence.is_empty() {
            w.string(2, &r.category, &r.code);
            from(&w, &r.rating_cell);
            continue;
        }
        w.open(2, &r.category);
        from(&w, &r.rating_cell);
        w.string(4, "rating", &r.code);
        from(&w, &r.rating_cell);
        if let Some(note) = &r.note {
            w.string(4, "note", note);
            from(&w, &r.note_cell);
        }
        if let Some((_, first)) = r.evidence.first() {
            w.open(4, "evidence");
            from(&w, first);
            for (id, cell) in &r.evidence {
                w.item(6, id);
                from(&w, cell);
            }
        }
    }
    (w.finish(), cells)
}

#[cfg(test)]
mod loader_tests {
    use super::*;

    fn line_of_text(text: &str, needle: &str) -> usize {
        text.lines()
            .position(|l| l.contains(needle))
            .map_or(0, |i| i + 1)
    }
    use crate::model::{Return, SourceFile};

    #[test]
    fn the_project_loader_reads_back_exactly_what_was_written() {
        let awkward = "tab\there, bell \u{7}, nul \u{0}, line\u{2028}sep, bom \u{feff}, \
                       crlf\r\n, quote \" and back\\slash, 'single', # hash, key: value, \
                       emoji 😀, - dash";
        let ret = YamlReturn {
            source_name: "odd \"name\"\n.xlsx".into(),
            year: 2023,
            region: "north".into(),
            area: "alphabeta".into(),
            listed_as: Some("Alpha, Beta".into()),
            submission_note: Some("One form was returned for Alpha and for Beta together.".into()),
            compiled_by: Some((awkward.into(), "Ratings!C2".into())),
            compiled_on: Some(("2023-05-01".into(), "Ratings!C3".into())),
            ratings: vec![
                YamlRating {
                    category: "health-visiting".into(),
                    code: "G".into(),
                    note: Some(awkward.into()),
                    rating_cell: "Ratings!E6".into(),
                    note_cell: "Ratings!F6".into(),
                    evidence: vec![
                        ("alpha-babies".into(), "Ratings!G6".into()),
                        ("beta-group".into(), "Ratings!H6".into()),
                    ],
                },
                YamlRating {
                    category: "family-hubs".into(),
                    code: "A".into(),
                    note: None,
                    rating_cell: "Ratings!E7".into(),
                    note_cell: "Ratings!F7".into(),
                    evidence: Vec::new(),
                },
            ],
            about_cell: "About!B5".into(),
        };
        let (text, cells) = render(&ret);
        let source = SourceFile {
            path: "scoping-data/returns/2023/north/alphabeta.yaml".into(),
            disk_path: "alphabeta.yaml".into(),
            text: text.clone(),
        };
        let mut diagnostics = Vec::new();
        let parsed = crate::load::parse_file::<Return>(&source, &mut diagnostics);
        let parsed = parsed.unwrap_or_else(|| panic!("{diagnostics:?}\n{text}"));
        assert_eq!(
            parsed.compiled_by.as_ref().map(|v| v.value.as_str()),
            Some(awkward)
        );
        let note = parsed.ratings[0]
            .1
            .value
            .note
            .as_ref()
            .map(|n| n.value.as_str());
        assert_eq!(note, Some(awkward));
        assert_eq!(parsed.ratings[1].1.value.rating.value, "A");
        assert_eq!(
            parsed
                .submission
                .listed_as
                .as_ref()
                .map(|l| l.value.as_str()),
            Some("Alpha, Beta")
        );
        let evidence: Vec<&str> = parsed.ratings[0]
            .1
            .value
            .evidence
            .iter()
            .map(|e| e.value.as_str())
            .collect();
        assert_eq!(evidence, ["alpha-babies", "beta-group"]);
        let beta = line_of_text(&text, "beta-group");
        assert!(cells.contains(&(beta, "Ratings!H6".to_string())));
        // Every line with a value maps back to its cell.
        let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).map(|i| i + 1);
        let family = line_of("family-hubs").unwrap_or(0);
        assert!(cells.contains(&(family, "Ratings!E7".to_string())));
        assert_eq!(text.lines().count(), text.split('\n').count() - 1);
    }
}
