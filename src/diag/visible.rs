//! Making invisible characters visible before text from the data reaches a terminal.
//!
//! In: any text a diagnostic quotes (a value, a source line, a file name). Out: the same
//! text with control characters (which a terminal would obey: colours, cursor moves, title
//! changes) and direction overrides (which reorder what is shown) written as escapes such
//! as `\u{1b}`, so what the data says is shown, never obeyed.

use std::borrow::Cow;

/// Characters that override or isolate the direction of the text around them
/// (U+202A–U+202E and U+2066–U+2069): they can make text read differently from what it is.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters a diagnostic must not print as they are.
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || is_bidi_control(c)
        // Direction marks and line separators: invisible, or breaking a line where none is.
        || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{2028}' | '\u{2029}')
}

/// How a character is written in a diagnostic: itself, or an escape.
fn shown(c: char) -> Cow<'static, str> {
    match c {
        '\t' => Cow::Borrowed("\\t"),
        '\n' => Cow::Borrowed("\\n"),
        '\r' => Cow::Borrowed("\\r"),
        c if is_hidden(c) => Cow::Owned(format!("\\u{{{:x}}}", c as u32)),
        c => Cow::Owned(c.to_string()),
    }
}

/// `text` with every hidden character written as an escape; borrowed when there is none.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hidden) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().map(shown).collect())
}

/// How many columns a character takes once made visible (a tab is shown as one space in
/// a quoted source line).
pub fn shown_width(c: char) -> usize {
    if c == '\t' || !is_hidden(c) {
        1
    } else {
        shown(c).chars().count()
    }
}

/// A quoted source line: tabs as spaces, other hidden characters as escapes.
pub fn visible_line(line: &str) -> String {
    line.chars()
        .map(|c| match c {
            '\t' => Cow::Borrowed(" "),
            c => shown(c),
        })
        .collect()
}

/// JSON text with the hidden characters that JSON leaves raw (DEL, the C1 controls,
/// direction controls) written as `\uXXXX` escapes. JSON's own syntax is plain ASCII, so
/// each such character is inside a string, where the escape stands for the same value.
pub fn escape_json_hidden(json: &str) -> Cow<'_, str> {
    if !json.chars().any(is_hidden) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_hidden(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminal_controls_and_direction_overrides() {
        assert_eq!(visible("plain"), "plain");
        assert_eq!(
            visible("a\u{1b}[31mred\u{7}"),
            "a\\u{1b}[31mred\\u{7}".to_string()
        );
        assert_eq!(visible("x\u{9b}2Jy"), "x\\u{9b}2Jy");
        assert_eq!(visible("abc\u{202E}fed"), "abc\\u{202e}fed");
        assert_eq!(visible("two\nlines\t"), "two\\nlines\\t");
    }

    #[test]
    fn json_escapes_what_serde_leaves_raw() {
        let json = serde_json::to_string("a\u{1b}b\u{7f}c\u{9b}d\u{2066}e").unwrap();
        let safe = escape_json_hidden(&json);
        assert!(!safe.chars().any(is_hidden), "{safe}");
        assert_eq!(
            safe, "\"a\\u001bb\\u007fc\\u009bd\\u2066e\"",
            "each character is escaped once"
        );
        let back: String = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, "a\u{1b}b\u{7f}c\u{9b}d\u{2066}e", "the value is kept");
    }

    #[test]
    fn widths_follow_what_is_shown() {
        assert_eq!(shown_width('a'), 1);
        assert_eq!(shown_width('\t'), 1);
        assert_eq!(shown_width('\u{1b}'), "\\u{1b}".len());
    }
}
