//! Printing diagnostics for people (rustc style) and for tools (JSON lines).

use super::{Diagnostic, Severity};
use crate::model::SourceFile;
use std::fmt::Write;

/// Render one diagnostic with the offending source line quoted and the span underlined.
pub fn render_human(d: &Diagnostic, sources: &[SourceFile]) -> String {
    render_human_with(d, sources.iter().find(|s| s.path == d.file))
}

/// Render one diagnostic given the file it points into, when that file is at hand.
pub fn render_human_with(d: &Diagnostic, source: Option<&SourceFile>) -> String {
    let mut out = String::new();
    let label = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let _ = writeln!(out, "{label}[{}]: {}", d.code, d.message);
    if d.line == 0 {
        let _ = writeln!(out, "  --> {}", d.file);
    } else {
        let _ = writeln!(out, "  --> {}:{}:{}", d.file, d.line, d.column);
        let text = source.map(|s| s.text.as_str());
        if let Some(src_line) = text.and_then(|t| t.lines().nth(d.line - 1)) {
            let number = d.line.to_string();
            let pad = " ".repeat(number.len());
            let shown = src_line.replace('\t', " ");
            let _ = writeln!(out, " {pad} |");
            let _ = writeln!(out, " {number} | {shown}");
            let indent = " ".repeat(d.column.saturating_sub(1));
            let marks = "^".repeat(d.width.max(1));
            let _ = writeln!(out, " {pad} | {indent}{marks}");
        }
    }
    if let Some(expected) = &d.expected {
        let _ = writeln!(out, "   = expected: {expected}");
    }
    if let Some(help) = &d.help {
        let _ = writeln!(out, "   = help: {help}");
    }
    out
}

/// Render one diagnostic as a single JSON object (no trailing newline).
pub fn render_json(d: &Diagnostic) -> String {
    serde_json::to_string(d).unwrap_or_else(|_| String::from("{}"))
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
}
