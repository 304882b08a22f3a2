//! A small YAML writer for directory files made by the import.
//!
//! In: field names and text values. Out: YAML text in which every string is double-quoted
//! with `\\`, `"` and every control or line-breaking character escaped, so any text from a
//! feed reads back exactly as it was and can never turn into YAML syntax.

use std::fmt::Write as _;

/// A YAML double-quoted scalar holding exactly `text`.
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
            // Other C0 controls, DEL, the C1 controls (including NEL), the byte-order mark
            // and the Unicode line and paragraph separators: escaped by code point, since
            // YAML either forbids them raw or treats them as line breaks.
            c if (c as u32) < 0x20
                || ('\u{7f}'..='\u{9f}').contains(&c)
                || c == '\u{2028}'
                || c == '\u{2029}'
                || c == '\u{feff}' =>
            {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

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

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn quotes_and_escapes() {
        assert_eq!(quote("plain"), "\"plain\"");
        assert_eq!(quote("a \"b\" \\ c"), "\"a \\\"b\\\" \\\\ c\"");
        assert_eq!(quote("x\ny\tz"), "\"x\\ny\\tz\"");
        assert_eq!(quote("\u{1b}\u{85}\u{2028}"), "\"\\u001B\\u0085\\u2028\"");
        assert_eq!(quote("é ✓"), "\"é ✓\"");
    }
}
