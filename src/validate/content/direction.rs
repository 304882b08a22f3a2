//! Direction controls in a page's Markdown body.
//!
//! In: the body and the line of the file it starts on. Out: an E111 for each character
//! that overrides or isolates the direction of text (U+202A–U+202E, U+2066–U+2069), whether
//! written as it is or as an HTML character reference such as `&#x202E;`, which the page
//! would turn into the character.

use crate::diag::{Diagnostic, is_bidi_control};
use crate::load::direction_control;
use regex::Regex;
use std::sync::LazyLock;

static REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"&#(?:[xX]([0-9a-fA-F]{1,6})|([0-9]{1,7}));").expect("reference pattern")
});

pub fn check(file: &str, body: &str, first_line: usize, diagnostics: &mut Vec<Diagnostic>) {
    for (index, line) in body.lines().enumerate() {
        let number = first_line + index;
        for (column, c) in line.chars().enumerate() {
            if is_bidi_control(c) {
                diagnostics.push(direction_control(
                    file,
                    "the page text",
                    line,
                    c,
                    number,
                    column + 1,
                ));
            }
        }
        for reference in REFERENCE.captures_iter(line) {
            let code = match (reference.get(1), reference.get(2)) {
                (Some(hex), _) => u32::from_str_radix(hex.as_str(), 16).ok(),
                (_, Some(decimal)) => decimal.as_str().parse().ok(),
                _ => None,
            };
            let Some(c) = code
                .and_then(char::from_u32)
                .filter(|c| is_bidi_control(*c))
            else {
                continue;
            };
            let whole = reference.get(0).map_or(0..0, |m| m.range());
            let column = line[..whole.start].chars().count() + 1;
            let written = format!("{}{c}", &line[whole.clone()]);
            diagnostics.push(
                direction_control(file, "the page text", &written, c, number, column).at(
                    number,
                    column,
                    whole.len(),
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_character_and_its_references() {
        let mut d = Vec::new();
        check(
            "content/x.md",
            "Fine line\nAlpha \u{202E}oflA\nSee &#x202e; and &#8294; and &#65;\n",
            4,
            &mut d,
        );
        let places: Vec<(usize, usize)> = d.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(places, vec![(5, 7), (6, 5), (6, 18)]);
        assert!(d.iter().all(|d| d.code == "E111"));
        assert!(
            d[0].message.contains("U+202E (RIGHT-TO-LEFT OVERRIDE)"),
            "{}",
            d[0].message
        );
        assert!(
            d[0].message.contains("`Alpha \\u{202e}oflA`"),
            "{}",
            d[0].message
        );
        assert!(
            d[2].message.contains("U+2066 (LEFT-TO-RIGHT ISOLATE)"),
            "{}",
            d[2].message
        );
    }
}
