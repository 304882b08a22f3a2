//! Writing data files: the one way scalars are quoted, and a line writer for whole files.
//!
//! In: keys, text and numbers. Out: YAML text that the loader reads back as exactly what
//! was written. Every text value is a double-quoted scalar (`quote`), with `\`, `"` and
//! every control, line-breaking or byte-order character escaped, so no text, whatever it
//! holds (`: `, a leading `-`, `#`, `&`, `*`, `yes`, `null`, a number, a line break), can
//! turn into YAML syntax or another type. Keys are written bare only when they cannot be
//! read as anything but themselves (`key`).
//!
//! The new-year scaffold, returns imported from forms, services imported from an Open
//! Referral UK feed and the synthetic data set are written with `Writer` or `quote`; the
//! in-place editor of directory files (`forms::directory_edit`) keeps comments and order
//! and writes its values with `quote` and `key` too.

use std::fmt::Write as _;

/// A YAML double-quoted scalar holding exactly `text`, on one line.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            // Other C0 controls, DEL, the C1 controls (including NEL), the byte-order mark,
            // the Unicode line and paragraph separators and U+FFFE and U+FFFF: escaped by
            // code point, since YAML either forbids them raw or reads them as line breaks.
            c if c.is_control()
                || matches!(
                    c,
                    '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
                ) =>
            {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Words YAML reads as something other than text (booleans and null, in YAML 1.1 or 1.2).
const NOT_TEXT: &[&str] = &["y", "n", "yes", "no", "on", "off", "true", "false", "null"];

/// A mapping key: bare when it starts with a lowercase letter and holds only lowercase
/// letters, digits, hyphens, dots and underscores (a field name, an id or a source key)
/// and is no word YAML reads as a boolean or null; quoted otherwise.
pub fn key(text: &str) -> String {
    let bare = text.starts_with(|c: char| c.is_ascii_lowercase())
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-._".contains(c))
        && !NOT_TEXT.contains(&text);
    if bare { text.to_string() } else { quote(text) }
}

/// Where a line starts: `At(n)` after `n` spaces, or `Item(n)` as the first line of a
/// list item, `- ` after `n` spaces (the item's further lines are `At(n + 2)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lead {
    At(usize),
    Item(usize),
}

impl From<usize> for Lead {
    fn from(indent: usize) -> Lead {
        Lead::At(indent)
    }
}

/// Builds a YAML document line by line, every key through `key` and every text through
/// `quote`.
#[derive(Default)]
pub struct Writer {
    text: String,
    lines: usize,
}

impl Writer {
    fn start(&mut self, lead: impl Into<Lead>) {
        match lead.into() {
            Lead::At(n) => {
                let _ = write!(self.text, "{:n$}", "");
            }
            Lead::Item(n) => {
                let _ = write!(self.text, "{:n$}- ", "");
            }
        }
    }

    fn end(&mut self) {
        self.text.push('\n');
        self.lines += 1;
    }

    /// How many lines have been written: the 1-based number of the last one.
    pub fn lines(&self) -> usize {
        self.lines
    }

    /// `# text`, with any line break or other control in `text` made a space.
    pub fn comment(&mut self, lead: impl Into<Lead>, text: &str) {
        let flat: String = text
            .chars()
            .map(|c| {
                if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        self.start(lead);
        let _ = write!(self.text, "# {flat}");
        self.end();
    }

    /// `key: "value"`.
    pub fn string(&mut self, lead: impl Into<Lead>, key: &str, value: &str) {
        self.start(lead);
        let _ = write!(self.text, "{}: {}", self::key(key), quote(value));
        self.end();
    }

    /// `key: "value"` when there is a value; nothing otherwise.
    pub fn optional(&mut self, lead: impl Into<Lead>, key: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.string(lead, key, v);
        }
    }

    /// `key: value` for a number or a boolean, written as it displays.
    pub fn plain(&mut self, lead: impl Into<Lead>, key: &str, value: impl std::fmt::Display) {
        self.start(lead);
        let _ = write!(self.text, "{}: {value}", self::key(key));
        self.end();
    }

    /// `key:` opening a nested mapping or list.
    pub fn open(&mut self, lead: impl Into<Lead>, key: &str) {
        self.start(lead);
        let _ = write!(self.text, "{}:", self::key(key));
        self.end();
    }

    /// `key: {}`, a mapping with nothing in it.
    pub fn empty_map(&mut self, lead: impl Into<Lead>, key: &str) {
        self.start(lead);
        let _ = write!(self.text, "{}: {{}}", self::key(key));
        self.end();
    }

    /// A list of texts: `key: []` when empty, otherwise one `- "item"` a line.
    pub fn list(&mut self, indent: usize, key: &str, items: &[String]) {
        if items.is_empty() {
            self.start(indent);
            let _ = write!(self.text, "{}: []", self::key(key));
            self.end();
            return;
        }
        self.open(indent, key);
        for item in items {
            self.item(indent + 2, item);
        }
    }

    /// One `- "item"` of a list of texts.
    pub fn item(&mut self, indent: usize, item: &str) {
        self.start(Lead::Item(indent));
        self.text.push_str(&quote(item));
        self.end();
    }

    /// A list of texts on one line: `key: ["a", "b"]`.
    pub fn inline_list(&mut self, lead: impl Into<Lead>, key: &str, items: &[String]) {
        let items: Vec<String> = items.iter().map(|i| quote(i)).collect();
        self.start(lead);
        let _ = write!(self.text, "{}: [{}]", self::key(key), items.join(", "));
        self.end();
    }

    /// A list of mappings of texts, each given as (key, value) pairs; nothing when empty.
    pub fn list_of_maps(&mut self, indent: usize, key: &str, items: &[Vec<(&str, String)>]) {
        if items.is_empty() {
            return;
        }
        self.open(indent, key);
        for item in items {
            for (i, (k, v)) in item.iter().enumerate() {
                let lead = if i == 0 {
                    Lead::Item(indent + 2)
                } else {
                    Lead::At(indent + 4)
                };
                self.string(lead, k, v);
            }
        }
    }

    pub fn finish(self) -> String {
        self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{SourceFile, Spanned, ordered_map};
    use proptest::prelude::*;
    use serde::Deserialize;

    #[test]
    fn quotes_and_escapes() {
        assert_eq!(quote("plain"), "\"plain\"");
        assert_eq!(quote("a \"b\" \\ c"), "\"a \\\"b\\\" \\\\ c\"");
        assert_eq!(quote("x\ny\tz\r"), "\"x\\ny\\tz\\r\"");
        assert_eq!(
            quote("\u{7}\u{1b}\u{85}\u{2028}\u{feff}"),
            "\"\\u0007\\u001B\\u0085\\u2028\\uFEFF\""
        );
        assert_eq!(quote("é ✓ 😀"), "\"é ✓ 😀\"");
    }

    #[test]
    fn keys_are_bare_only_when_they_can_only_be_read_as_themselves() {
        assert_eq!(key("health-visiting"), "health-visiting");
        assert_eq!(key("lsc-2.4"), "lsc-2.4");
        assert_eq!(key("carried_forward"), "carried_forward");
        assert_eq!(key("Health visiting"), "\"Health visiting\"");
        assert_eq!(key("2022"), "\"2022\"");
        assert_eq!(key("-a"), "\"-a\"");
        assert_eq!(key("no"), "\"no\"");
        assert_eq!(key(""), "\"\"");
    }

    #[test]
    fn items_and_lists_are_laid_out_in_blocks() {
        let mut w = Writer::default();
        w.comment(0, "two\nlines");
        w.plain(0, "year", 2023);
        w.open(0, "carried_from");
        w.plain(Lead::Item(2), "year", 2022);
        w.string(4, "area", "alpha");
        w.inline_list(2, "evidence", &["a".into(), "b".into()]);
        w.list(0, "areas", &[]);
        assert_eq!(w.lines(), 7);
        assert_eq!(
            w.finish(),
            "# two lines\nyear: 2023\ncarried_from:\n  - year: 2022\n    area: \"alpha\"\n  evidence: [\"a\", \"b\"]\nareas: []\n"
        );
    }

    /// What the property test writes and reads back: a text, a list and a mapping.
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Probe {
        text: Spanned<String>,
        list: Vec<Spanned<String>>,
        #[serde(deserialize_with = "ordered_map")]
        map: Vec<(Spanned<String>, Spanned<String>)>,
    }

    /// `value` written as a text, a list item, an inline list item, a key and a value, and
    /// read back through the project's loader.
    fn round_trip(value: &str) -> Result<(), TestCaseError> {
        let mut w = Writer::default();
        w.comment(0, value);
        w.string(0, "text", value);
        w.list(0, "list", &[value.to_string(), value.to_string()]);
        w.open(0, "map");
        w.string(2, value, value);
        let text = w.finish();
        let file = SourceFile {
            path: "scoping-data/probe.yaml".into(),
            disk_path: "probe.yaml".into(),
            text: text.clone(),
        };
        let mut diagnostics = Vec::new();
        let read = crate::load::parse_file::<Probe>(&file, &mut diagnostics);
        let read = match read {
            Some(read) => read,
            None => {
                return Err(TestCaseError::fail(format!(
                    "{value:?} did not read back: {diagnostics:?}\n{text}"
                )));
            }
        };
        prop_assert_eq!(&read.text.value, value, "{}", text);
        let list: Vec<&str> = read.list.iter().map(|v| v.value.as_str()).collect();
        prop_assert_eq!(list, vec![value, value], "{}", text);
        prop_assert_eq!(read.map.len(), 1, "{}", text);
        prop_assert_eq!(&read.map[0].0.value, value, "{}", text);
        prop_assert_eq!(&read.map[0].1.value, value, "{}", text);
        Ok(())
    }

    /// Characters and pieces YAML gives a meaning to, and others from all over Unicode.
    fn awkward() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("\"".to_string()),
            Just("'".to_string()),
            Just("\\".to_string()),
            Just("\n".to_string()),
            Just("\r\n".to_string()),
            Just("\t".to_string()),
            Just(": ".to_string()),
            Just(" #".to_string()),
            Just("- ".to_string()),
            Just("-".to_string()),
            Just("#".to_string()),
            Just("&a".to_string()),
            Just("*a".to_string()),
            Just("!tag".to_string()),
            Just("{".to_string()),
            Just("[".to_string()),
            Just("|".to_string()),
            Just(">".to_string()),
            Just("%".to_string()),
            Just("@".to_string()),
            Just("`".to_string()),
            Just("---".to_string()),
            Just("...".to_string()),
            Just("yes".to_string()),
            Just("no".to_string()),
            Just("null".to_string()),
            Just("~".to_string()),
            Just("true".to_string()),
            Just("2022".to_string()),
            Just("1.5e3".to_string()),
            Just("0x1F".to_string()),
            Just(" ".to_string()),
            Just("\u{0}".to_string()),
            Just("\u{7f}".to_string()),
            Just("\u{85}".to_string()),
            Just("\u{2028}".to_string()),
            Just("\u{feff}".to_string()),
            Just("é".to_string()),
            Just("✓".to_string()),
            Just("😀".to_string()),
            any::<char>().prop_map(|c| c.to_string()),
            "[a-z]{1,4}",
        ];
        prop::collection::vec(piece, 0..12).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #[test]
        fn any_text_reads_back_as_written(value in awkward()) {
            round_trip(&value)?;
        }

        #[test]
        fn any_string_at_all_reads_back_as_written(value in any::<String>()) {
            round_trip(&value)?;
        }
    }

    #[test]
    fn words_and_numbers_stay_text() {
        for value in [
            "yes",
            "no",
            "null",
            "~",
            "true",
            "2022",
            "1.5",
            "- item",
            "# not a comment",
            "&anchor",
            "*alias",
            "key: value",
            "",
            " ",
            "\u{feff}",
        ] {
            round_trip(value).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}
