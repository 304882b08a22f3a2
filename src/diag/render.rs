//! Printing diagnostics for people (rustc style) and for tools (JSON lines).

use super::visible::{escape_json_hidden, shown_width, visible, visible_line};
use super::{Diagnostic, Severity};
use crate::model::SourceFile;
use std::fmt::Write;

/// Render one diagnostic with the offending source line quoted and the span underlined.
pub fn render_human(d: &Diagnostic, sources: &[SourceFile]) -> String {
    render_human_with(d, sources.iter().find(|s| s.path == d.file))
}

/// Render one diagnostic given the file it points into, when that file is at hand. Every
/// piece of text is made visible first: a value, a file name or a quoted line from the data
/// may hold terminal escape sequences, which are shown, never sent to the terminal raw.
pub fn render_human_with(d: &Diagnostic, source: Option<&SourceFile>) -> String {
    let mut out = String::new();
    let label = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let file = visible(&d.file);
    let _ = writeln!(out, "{label}[{}]: {}", d.code, visible(&d.message));
    if d.line == 0 {
        let _ = writeln!(out, "  --> {file}");
    } else {
        let _ = writeln!(out, "  --> {file}:{}:{}", d.line, d.column);
        let text = source.map(|s| s.text.as_str());
        if let Some(src_line) = text.and_then(|t| t.lines().nth(d.line - 1)) {
            let number = d.line.to_string();
            let pad = " ".repeat(number.len());
            let (indent, marks) = underline(src_line, d.column, d.width);
            let _ = writeln!(out, " {pad} |");
            let _ = writeln!(out, " {number} | {}", visible_line(src_line));
            let _ = writeln!(out, " {pad} | {}{}", " ".repeat(indent), "^".repeat(marks));
        }
    }
    if let Some(expected) = &d.expected {
        let _ = writeln!(out, "   = expected: {}", visible(expected));
    }
    if let Some(help) = &d.help {
        let _ = writeln!(out, "   = help: {}", visible(help));
    }
    out
}

/// Where the underline starts and how long it is, in columns of the line as shown: a
/// character written as an escape takes as many columns as its escape.
fn underline(line: &str, column: usize, width: usize) -> (usize, usize) {
    let start = column.saturating_sub(1);
    let width = width.max(1);
    // Past the end of the line each column is one character wide.
    let columns = |chars: &mut std::str::Chars, count: usize| {
        let widths: Vec<usize> = chars.by_ref().take(count).map(shown_width).collect();
        widths.iter().sum::<usize>() + (count - widths.len())
    };
    let mut chars = line.chars();
    let indent = columns(&mut chars, start);
    (indent, columns(&mut chars, width))
}

/// Render one diagnostic as a single JSON object (no trailing newline). serde escapes the
/// C0 controls; the other characters a terminal could obey are escaped here.
pub fn render_json(d: &Diagnostic) -> String {
    let json = serde_json::to_string(d).unwrap_or_else(|_| String::from("{}"));
    escape_json_hidden(&json).into_owned()
}

/// "2 errors, 1 warning" style closing line.
pub fn summary_line(diagnostics: &[Diagnostic]) -> String {
    let errors = super::count_errors(diagnostics);
    let warnings = diagnostics.len() - errors;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn underlines_the_span_under_the_quoted_line() {
        let sources = vec![SourceFile {
            path: "a.yaml".into(),
            disk_path: "a.yaml".into(),
            text: "year: 2022\nrating: Y\n".into(),
        }];
        let d = Diagnostic::error("E010", "a.yaml", "unknown rating code `Y`")
            .at(2, 9, 1)
            .help("use one of G, A, R, B");
        let text = render_human(&d, &sources);
        assert!(text.contains("error[E010]: unknown rating code `Y`"));
        assert!(text.contains("--> a.yaml:2:9"));
        assert!(text.contains(" 2 | rating: Y\n   |         ^\n"), "{text}");
        assert!(text.contains("= help: use one of G, A, R, B"));
    }

    #[test]
    fn escape_sequences_from_the_data_are_shown_not_sent() {
        let sources = vec![SourceFile {
            path: "a\u{1b}]0;x\u{7}.yaml".into(),
            disk_path: "a.yaml".into(),
            text: "name: \u{1b}[2J\u{1b}[31mRed\tZ\n".into(),
        }];
        let d = Diagnostic::error("E010", &sources[0].path, "unknown code `\u{1b}[2JZ`")
            .at(1, 20, 1)
            .expected("not \u{9b}31m")
            .help("remove \u{1b}[31m");
        let text = render_human(&d, &sources);
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{text:?}"
        );
        assert!(
            text.contains("error[E010]: unknown code `\\u{1b}[2JZ`"),
            "{text}"
        );
        assert!(text.contains("--> a\\u{1b}]0;x\\u{7}.yaml:1:20"), "{text}");
        assert!(text.contains("= expected: not \\u{9b}31m"), "{text}");
        assert!(text.contains("= help: remove \\u{1b}[31m"), "{text}");
        // `Z` is the 20th character; the escapes before it widen the line as shown.
        let quoted = " 1 | name: \\u{1b}[2J\\u{1b}[31mRed Z\n";
        assert!(text.contains(quoted), "{text}");
        let caret = quoted.find('Z').unwrap() - " 1 | ".len();
        assert!(
            text.contains(&format!("   | {}^\n", " ".repeat(caret))),
            "{text}"
        );
    }
}
