//! Finding direction-control characters in every text of a YAML file.
//!
//! In: a file's text and its YAML tree. Out: a diagnostic for each key or value that holds
//! one of the characters that override or isolate the direction of text (U+202A–U+202E,
//! U+2066–U+2069). Every text of a data file, a settings file or a page's front matter can
//! end up on a page, so all of them are looked at, whatever the field.

use crate::diag::{Diagnostic, is_bidi_control};
use crate::model::SourceFile;
use marked_yaml::Node;

/// A key or value as written: where it starts (character index, line, column), what it is
/// (`` `organization.name` ``, `` a key in `ratings` ``), and its text.
struct Text<'a> {
    start: usize,
    line: usize,
    column: usize,
    what: String,
    value: &'a str,
}

/// Report every key and value of `node` holding a direction control.
pub fn check(file: &SourceFile, node: &Node, diagnostics: &mut Vec<Diagnostic>) {
    if !may_hold_one(&file.text) {
        return;
    }
    let mut texts = Vec::new();
    collect(node, String::new(), &mut texts);
    texts.sort_by_key(|t| t.start);
    let chars: Vec<char> = file.text.chars().collect();
    for (i, text) in texts.iter().enumerate() {
        let Some(found) = text.value.chars().find(|c| is_bidi_control(*c)) else {
            continue;
        };
        // Point at the character itself when it is written out in this text; an escape
        // leaves only the start of the text to point at.
        let end = texts.get(i + 1).map_or(chars.len(), |next| next.start);
        let (line, column) = (text.start..end.min(chars.len()))
            .find(|&k| chars[k] == found)
            .map(|k| line_and_column(&chars, k))
            .unwrap_or((text.line, text.column));
        diagnostics.push(direction_control(
            &file.path, &text.what, text.value, found, line, column,
        ));
    }
}

fn collect<'a>(node: &'a Node, field: String, out: &mut Vec<Text<'a>>) {
    match node {
        Node::Scalar(scalar) => push(scalar, format!("`{field}`"), out),
        Node::Sequence(items) => {
            for (i, item) in items.iter().enumerate() {
                collect(item, format!("{field}[{i}]"), out);
            }
        }
        Node::Mapping(map) => {
            for (key, value) in map.iter() {
                let owner = if field.is_empty() {
                    "a key".to_string()
                } else {
                    format!("a key in `{field}`")
                };
                push(key, owner, out);
                let inner = if field.is_empty() {
                    key.as_str().to_string()
                } else {
                    format!("{field}.{}", key.as_str())
                };
                collect(value, inner, out);
            }
        }
    }
}

fn push<'a>(
    scalar: &'a marked_yaml::types::MarkedScalarNode,
    what: String,
    out: &mut Vec<Text<'a>>,
) {
    let (start, line, column) = scalar
        .span()
        .start()
        .map_or((0, 0, 0), |m| (m.character(), m.line(), m.column()));
    out.push(Text {
        start,
        line,
        column,
        what,
        value: scalar.as_str(),
    });
}

/// Whether the text holds a direction control as it is (UTF-8 `E2 80 AA`–`E2 80 AE`,
/// `E2 81 A6`–`E2 81 A9`) or possibly as an escape (`\u202E`, `\U0000202E`) in a
/// double-quoted string. Nearly every file holds neither, so this is made of the fastest
/// searches there are: for two bytes, and whether the text is all ASCII.
fn may_hold_one(text: &str) -> bool {
    if text.contains("\\u") || text.contains("\\U") {
        return true;
    }
    if text.is_ascii() {
        return false;
    }
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(i, b)| {
        *b == 0xE2
            && matches!(
                (bytes.get(i + 1), bytes.get(i + 2)),
                (Some(0x80), Some(0xAA..=0xAE)) | (Some(0x81), Some(0xA6..=0xA9))
            )
    })
}

/// The 1-based line and column of the character at `index`.
fn line_and_column(chars: &[char], index: usize) -> (usize, usize) {
    let before = &chars[..index];
    let line = before.iter().filter(|c| **c == '\n').count() + 1;
    let line_start = before.iter().rposition(|c| *c == '\n').map_or(0, |p| p + 1);
    (line, index - line_start + 1)
}

/// Published text holding a character that reorders how the text around it reads (the
/// "Trojan Source" trick: `abc\u{202E}fed` shows as `abcdef`). `what` names the field, e.g.
/// `` `organization.name` ``; (`line`, `column`) is where the character is.
pub fn direction_control(
    file: &str,
    what: &str,
    value: &str,
    found: char,
    line: usize,
    column: usize,
) -> Diagnostic {
    let name = match found {
        '\u{202A}' => "LEFT-TO-RIGHT EMBEDDING",
        '\u{202B}' => "RIGHT-TO-LEFT EMBEDDING",
        '\u{202C}' => "POP DIRECTIONAL FORMATTING",
        '\u{202D}' => "LEFT-TO-RIGHT OVERRIDE",
        '\u{202E}' => "RIGHT-TO-LEFT OVERRIDE",
        '\u{2066}' => "LEFT-TO-RIGHT ISOLATE",
        '\u{2067}' => "RIGHT-TO-LEFT ISOLATE",
        '\u{2068}' => "FIRST STRONG ISOLATE",
        _ => "POP DIRECTIONAL ISOLATE",
    };
    Diagnostic::error(
        "E111",
        file,
        format!(
            "{what} holds the invisible direction control U+{:04X} ({name}): `{}`",
            found as u32,
            crate::diag::visible(&excerpt(value, found))
        ),
    )
    .at(line, column, 1)
    .expected("text without direction controls (U+202A to U+202E, U+2066 to U+2069)")
    .help("delete the character (retype the text around the place shown); pages show right-to-left text in its right order without it")
}

/// Up to 20 characters either side of the first `found` in `value`.
fn excerpt(value: &str, found: char) -> String {
    let chars: Vec<char> = value.chars().collect();
    let at = chars.iter().position(|c| *c == found).unwrap_or(0);
    let from = at.saturating_sub(20);
    let to = (at + 21).min(chars.len());
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    out.extend(&chars[from..to]);
    if to < chars.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quick_look_finds_every_direction_control() {
        for c in ('\u{2000}'..='\u{20FF}').chain(['a', '\u{61C}', '\u{200F}']) {
            let text = format!("name: a{c}b");
            assert_eq!(may_hold_one(&text), is_bidi_control(c), "{c:?}");
        }
        assert!(may_hold_one("name: \"a\\u202Eb\""));
        assert!(!may_hold_one("name: \"a\\nb\" – plain"));
    }
}
