//! Printing diagnostics for people (rustc style) and for tools (JSON lines).

use super::visible::{escape_json_hidden, shown_width, visible, visible_line};
use super::{Diagnostic, Severity};
use crate::model::SourceFile;
use std::fmt::Write;

/// Where the text of a file a diagnostic points into can be found, for quoting its lines:
/// the data, settings and pages as loaded, the files of a built site, or nothing at all.
pub trait SourceLookup {
    /// The text of the file at `path` (relative to the site root), if it is at hand.
    fn source_text(&self, path: &str) -> Option<&str>;
}

impl SourceLookup for [SourceFile] {
    fn source_text(&self, path: &str) -> Option<&str> {
        self.iter()
            .find(|s| s.path == path)
            .map(|s| s.text.as_str())
    }
}

impl SourceLookup for Vec<SourceFile> {
    fn source_text(&self, path: &str) -> Option<&str> {
        self.as_slice().source_text(path)
    }
}

impl SourceLookup for std::collections::HashMap<String, String> {
    fn source_text(&self, path: &str) -> Option<&str> {
        self.get(path).map(String::as_str)
    }
}

/// No source at hand: diagnostics are printed without quoted lines.
pub struct NoSources;

impl SourceLookup for NoSources {
    fn source_text(&self, _: &str) -> Option<&str> {
        None
    }
}

/// Many source files by path, looked up in one step each (a national data set has tens of
/// thousands, and a bad edit can give a diagnostic in each).
pub struct SourceMap<'s>(std::collections::HashMap<&'s str, &'s str>);

impl<'s> SourceMap<'s> {
    pub fn new(sources: impl IntoIterator<Item = &'s SourceFile>) -> SourceMap<'s> {
        SourceMap(
            sources
                .into_iter()
                .map(|s| (s.path.as_str(), s.text.as_str()))
                .collect(),
        )
    }
}

impl SourceLookup for SourceMap<'_> {
    fn source_text(&self, path: &str) -> Option<&str> {
        self.0.get(path).copied()
    }
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// rustc style, with the source line quoted and the place underlined.
    Human,
    /// One JSON object per line.
    Json,
}

/// Print `diagnostics` to `out` in `format`, quoting the lines `sources` has.
pub fn print(
    diagnostics: &[Diagnostic],
    format: Format,
    sources: &dyn SourceLookup,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let quoter = Quoter::new(sources);
    for d in diagnostics {
        let text = match format {
            Format::Human => render_human_with(d, quoter.line(&d.file, d.line)),
            Format::Json => render_json(d) + "\n",
        };
        out.write_all(text.as_bytes())?;
    }
    Ok(())
}

/// Render one diagnostic with the offending source line quoted and the span underlined.
pub fn render_human(d: &Diagnostic, sources: &(impl SourceLookup + ?Sized)) -> String {
    let line = sources
        .source_text(&d.file)
        .and_then(|text| text.lines().nth(d.line.checked_sub(1)?));
    render_human_with(d, line)
}

/// The lines of the files diagnostics point into, found through an index of each file's
/// line starts made the first time the file is quoted: many diagnostics in one large file
/// (a page with thousands of broken links) must not each search it from the top.
pub struct Quoter<'s> {
    sources: &'s dyn SourceLookup,
    files: std::cell::RefCell<std::collections::HashMap<String, Option<Lines<'s>>>>,
}

/// A file's text and where each of its lines starts.
type Lines<'s> = (&'s str, std::rc::Rc<[usize]>);

impl<'s> Quoter<'s> {
    pub fn new(sources: &'s dyn SourceLookup) -> Quoter<'s> {
        Quoter {
            sources,
            files: Default::default(),
        }
    }

    /// Line `number` (from 1) of `file`, without its line ending.
    pub fn line(&self, file: &str, number: usize) -> Option<&'s str> {
        let (text, starts) = {
            let mut files = self.files.borrow_mut();
            let entry = files.entry(file.to_string()).or_insert_with(|| {
                let text = self.sources.source_text(file)?;
                let starts: std::rc::Rc<[usize]> = std::iter::once(0)
                    .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                    .collect();
                Some((text, starts))
            });
            entry.clone()?
        };
        let start = *starts.get(number.checked_sub(1)?)?;
        if start >= text.len() && number > 1 {
            return None;
        }
        let end = starts.get(number).map_or(text.len(), |next| next - 1);
        Some(text[start..end].trim_end_matches('\r'))
    }
}

/// Render one diagnostic given the source line it points at, when that line is at hand.
/// Every piece of text is made visible first: a value, a file name or a quoted line from
/// the data may hold terminal escape sequences, which are shown, never sent to the terminal
/// raw. A very long line is quoted only around the place the diagnostic points at.
pub fn render_human_with(d: &Diagnostic, source_line: Option<&str>) -> String {
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
        if let Some(src_line) = source_line {
            let (shown, column) = around(src_line, d.column);
            let number = d.line.to_string();
            let pad = " ".repeat(number.len());
            let (indent, marks) = underline(&shown, column, d.width);
            let _ = writeln!(out, " {pad} |");
            let _ = writeln!(out, " {number} | {}", visible_line(&shown));
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

/// Characters of a quoted line shown before and after the place a diagnostic points at.
const QUOTE_CONTEXT: usize = 60;

/// The part of `line` worth quoting for a diagnostic at `column` (from 1), and that column
/// within it: the whole line when it is short, else the characters around the column with
/// `…` where the line goes on.
fn around(line: &str, column: usize) -> (std::borrow::Cow<'_, str>, usize) {
    let length = line.chars().count();
    if length <= 2 * QUOTE_CONTEXT + 20 {
        return (line.into(), column);
    }
    let at = column.saturating_sub(1).min(length);
    let from = at.saturating_sub(QUOTE_CONTEXT);
    let to = (at + QUOTE_CONTEXT).min(length);
    let mut shown = String::new();
    if from > 0 {
        shown.push('…');
    }
    shown.extend(line.chars().skip(from).take(to - from));
    if to < length {
        shown.push('…');
    }
    let column = at - from + 1 + usize::from(from > 0);
    (shown.into(), column)
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
    fn the_quoter_finds_each_line_and_nothing_past_the_end() {
        let sources = vec![SourceFile {
            path: "a.html".into(),
            disk_path: "a.html".into(),
            text: "one\r\ntwo\n\nfour".into(),
        }];
        let quoter = Quoter::new(&sources);
        let lines: Vec<Option<&str>> = (0..6).map(|n| quoter.line("a.html", n)).collect();
        assert_eq!(
            lines,
            [None, Some("one"), Some("two"), Some(""), Some("four"), None]
        );
        assert_eq!(quoter.line("b.html", 1), None);
    }

    #[test]
    fn a_long_line_is_quoted_around_the_place_with_the_underline_under_it() {
        let line = format!("{}<a href=\"x\">{}", "a".repeat(5000), "b".repeat(5000));
        let d = Diagnostic::error("C005", "p.html", "broken").at(1, 5001, 13);
        let text = render_human_with(&d, Some(&line));
        assert!(text.len() < 400, "{} bytes", text.len());
        let quoted: Vec<&str> = text.lines().collect();
        let (code, marks) = (quoted[3], quoted[4]);
        assert!(code.contains("…") && code.ends_with('…'), "{code}");
        let at = code.find("<a href").unwrap();
        assert_eq!(marks.find('^'), Some(at - ("…".len() - 1)), "{text}");
        assert_eq!(marks.matches('^').count(), 13);
    }

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
