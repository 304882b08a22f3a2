//! Diagnostics: what every checking stage reports, and how it is shown.
//!
//! In: diagnostics built by `load` and `validate` (and later stages that check things).
//! Out: text in the style of rustc (a code, a message, the source line with the span
//! underlined, the expected values and a `help:` line) or one JSON object per line, with
//! any control character from the data shown as an escape rather than printed.
//! `codes` lists every code with what it means. A `Failure` is what stops a command (not
//! a finding about the data), and the `Reporter` is where every command's output goes.
//! This module never decides what is wrong; it only carries and prints the findings.

pub mod codes;
mod failure;
mod render;
mod report;
mod suggest;
mod visible;

pub use failure::Failure;
pub use render::{
    Format, NoSources, Quoter, SourceLookup, SourceMap, print, render_human, render_human_with,
    render_json, summary_line,
};
pub use report::Reporter;
pub use suggest::nearest;
pub use visible::{is_bidi_control, visible};

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable code, e.g. `E010`; see `docs/diagnostics.md`.
    pub code: &'static str,
    pub message: String,
    /// Path relative to the site root, forward slashes.
    pub file: String,
    /// 1-based; 0 when the problem concerns the whole file.
    pub line: usize,
    pub column: usize,
    /// How many characters to underline from `column`.
    #[serde(skip)]
    pub width: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, file: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            file: file.to_string(),
            line: 0,
            column: 0,
            width: 1,
            expected: None,
            help: None,
        }
    }

    pub fn warning(code: &'static str, file: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, file, message)
        }
    }

    pub fn at(mut self, line: usize, column: usize, width: usize) -> Self {
        self.line = line;
        self.column = column;
        self.width = width.max(1);
        self
    }

    /// Point at a value that was read from the file.
    pub fn at_value<T>(self, value: &crate::model::Spanned<T>, width: usize) -> Self {
        self.at(value.line, value.column, width)
    }

    pub fn expected(mut self, expected: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sort diagnostics by file, position and code so output never depends on check order.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.code, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.code, &b.message))
    });
}

pub fn count_errors(diagnostics: &[Diagnostic]) -> usize {
    diagnostics.iter().filter(|d| d.is_error()).count()
}
