//! The lines of directory files made by the Open Referral UK import.
//!
//! In: field names and text values. Out: YAML text in which every string is quoted by
//! `model::yaml::quote`, so any text from a feed reads back exactly as it was and can never
//! turn into YAML syntax.

use std::fmt::Write as _;

/// Every scalar is quoted by the one quoting function of `model::yaml`.
pub use crate::model::yaml::quote;

/// Builds a YAML document line by line.
#[derive(Default)]
pub struct Writer {
    text: String,
}

impl Writer {
    pub fn comment(&mut self, text: &str) {
        // A comment runs to the end of the line, so line breaks inside it are flattened.
        let flat: String = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let _ = writeln!(self.text, "# {flat}");
    }

    /// `key: "value"` at `indent` spaces.
    pub fn string(&mut self, indent: usize, key: &str, value: &str) {
        let _ = writeln!(self.text, "{:indent$}{key}: {}", "", quote(value));
    }

    pub fn optional(&mut self, indent: usize, key: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.string(indent, key, v);
        }
    }

    /// `key:` opening a nested mapping.
    pub fn open(&mut self, indent: usize, key: &str) {
        let _ = writeln!(self.text, "{:indent$}{key}:", "");
    }

    /// `key: {}`, a mapping with nothing in it.
    pub fn empty_map(&mut self, indent: usize, key: &str) {
        let _ = writeln!(self.text, "{:indent$}{key}: {{}}", "");
    }

    /// A list of strings: `key: []` when empty, otherwise one `- "item"` per line.
    pub fn list(&mut self, indent: usize, key: &str, items: &[String]) {
        if items.is_empty() {
            let _ = writeln!(self.text, "{:indent$}{key}: []", "");
            return;
        }
        self.open(indent, key);
        for item in items {
            let _ = writeln!(self.text, "{:indent$}  - {}", "", quote(item));
        }
    }

    /// Lines written as they are.
    pub fn lines(&mut self, lines: &[String]) {
        for line in lines {
            let _ = writeln!(self.text, "{line}");
        }
    }

    pub fn finish(self) -> String {
        self.text
    }
}
