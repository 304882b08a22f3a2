//! Writing a return as YAML text by hand, with every string double-quoted and escaped.
//!
//! In: the values read from a form. Out: the text of
//! `scoping-data/returns/<year>/<region>/<area>.yaml` and, for each line that holds a value
//! from the form, the cell it came from, so a later diagnostic on that line can be
//! reported against the spreadsheet.

use std::fmt::Write;

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

/// `value` as a YAML double-quoted scalar. Backslash and double quote are escaped, and so
/// is every control character, line separator and byte-order mark, so the result is one
/// line that reads back as exactly `value`.
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{0}' => out.push_str("\\0"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') => {
                let code = u32::from(c);
                if code <= 0xFF {
                    let _ = write!(out, "\\x{code:02X}");
                } else {
                    let _ = write!(out, "\\u{code:04X}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A mapping key: bare when it is a plain id, quoted otherwise.
fn key(id: &str) -> String {
    let plain = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-');
    if plain { id.to_string() } else { quote(id) }
}

/// The YAML text, and (1-based line, cell) pairs for lines holding values from the form.
pub fn render(ret: &YamlReturn) -> (String, Vec<(usize, String)>) {
    let mut lines: Vec<String> = Vec::new();
    let mut cells: Vec<(usize, String)> = Vec::new();
    let mut push = |line: String, cell: Option<&str>, lines: &mut Vec<String>| {
        lines.push(line);
        if let Some(cell) = cell {
            cells.push((lines.len(), cell.to_string()));
        }
    };
    push(
        format!(
            "# Imported by scopemap from the spreadsheet form {}.",
            quote(&ret.source_name)
        ),
        None,
        &mut lines,
    );
    push(
        format!("year: {}", ret.year),
        Some(&ret.about_cell),
        &mut lines,
    );
    push(
        format!("region: {}", quote(&ret.region)),
        Some(&ret.about_cell),
        &mut lines,
    );
    push(
        format!("area: {}", quote(&ret.area)),
        Some(&ret.about_cell),
        &mut lines,
    );
    push("submission:".into(), None, &mut lines);
    push("  status: \"received\"".into(), None, &mut lines);
    if let Some(label) = &ret.listed_as {
        push(
            format!("  listed_as: {}", quote(label)),
            Some(&ret.about_cell),
            &mut lines,
        );
    }
    if let Some(note) = &ret.submission_note {
        push(format!("  note: {}", quote(note)), None, &mut lines);
    }
    if let Some((value, cell)) = &ret.compiled_by {
        push(
            format!("compiled_by: {}", quote(value)),
            Some(cell),
            &mut lines,
        );
    }
    if let Some((value, cell)) = &ret.compiled_on {
        push(
            format!("compiled_on: {}", quote(value)),
            Some(cell),
            &mut lines,
        );
    }
    push("ratings:".into(), None, &mut lines);
    for r in &ret.ratings {
        if r.note.is_none() && r.evidence.is_empty() {
            push(
                format!("  {}: {}", key(&r.category), quote(&r.code)),
                Some(&r.rating_cell),
                &mut lines,
            );
            continue;
        }
        push(
            format!("  {}:", key(&r.category)),
            Some(&r.rating_cell),
            &mut lines,
        );
        push(
            format!("    rating: {}", quote(&r.code)),
            Some(&r.rating_cell),
            &mut lines,
        );
        if let Some(note) = &r.note {
            push(
                format!("    note: {}", quote(note)),
                Some(&r.note_cell),
                &mut lines,
            );
        }
        if let Some((_, first)) = r.evidence.first() {
            push("    evidence:".into(), Some(first), &mut lines);
            for (id, cell) in &r.evidence {
                push(format!("      - {}", quote(id)), Some(cell), &mut lines);
            }
        }
    }
    let mut text = lines.join("\n");
    text.push('\n');
    (text, cells)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_escapes() {
        assert_eq!(quote("plain"), "\"plain\"");
        assert_eq!(quote("say \"hi\"\\"), "\"say \\\"hi\\\"\\\\\"");
        assert_eq!(quote("a\nb\tc\r"), "\"a\\nb\\tc\\r\"");
        assert_eq!(quote("\u{7}\u{2028}"), "\"\\x07\\u2028\"");
        assert_eq!(quote("# not a comment: yes"), "\"# not a comment: yes\"");
    }

    #[test]
    fn keys_are_bare_only_when_plain() {
        assert_eq!(key("health-visiting"), "health-visiting");
        assert_eq!(key("Health visiting"), "\"Health visiting\"");
    }
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
