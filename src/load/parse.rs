//! Reading one file's text and turning it into a typed value, with located errors.

use crate::diag::{Diagnostic, nearest};
use crate::model::{Return, SourceFile};
use marked_yaml::{LoadError, LoaderOptions};
use serde::de::DeserializeOwned;
use std::path::Path;

/// Read a file as UTF-8 text without a byte-order mark; `None` (with a diagnostic) if it
/// is too large, unreadable, not UTF-8 or empty.
pub fn read_text(
    disk_path: &Path,
    rel_path: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<String> {
    let cannot_read = |err: std::io::Error| {
        Diagnostic::error("E006", rel_path, format!("cannot read the file: {err}"))
            .help("check the file's permissions")
    };
    // The size comes from the open file, so the path is looked up once.
    let mut file = match std::fs::File::open(disk_path) {
        Ok(file) => file,
        Err(err) => {
            diagnostics.push(cannot_read(err));
            return None;
        }
    };
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > super::MAX_FILE_BYTES {
        diagnostics.push(
            Diagnostic::error(
                "E007",
                rel_path,
                format!(
                    "the file is {size} bytes, more than the {} allowed",
                    super::MAX_FILE_BYTES
                ),
            )
            .help("a data file describes one return, region or service; split or trim it"),
        );
        return None;
    }
    let mut bytes = Vec::with_capacity(size as usize);
    if let Err(err) = std::io::Read::read_to_end(&mut file, &mut bytes) {
        diagnostics.push(cannot_read(err));
        return None;
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
            let line_start = valid
                .iter()
                .rposition(|b| *b == b'\n')
                .map(|p| p + 1)
                .unwrap_or(0);
            let column = String::from_utf8_lossy(&valid[line_start..])
                .chars()
                .count()
                + 1;
            let byte = err.as_bytes()[valid.len()];
            diagnostics.push(
                Diagnostic::error(
                    "E004",
                    rel_path,
                    format!(
                        "the file is not UTF-8 text (byte 0x{byte:02X} cannot start a character)"
                    ),
                )
                .at(line, column, 1)
                .help("save the file as UTF-8 (in Excel or Notepad: \"Save as\" and choose UTF-8)"),
            );
            return None;
        }
    };
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    if !has_content(&text) {
        diagnostics.push(
            Diagnostic::error("E005", rel_path, "the file is empty")
                .help("fill it in (see docs/data-format.md for a complete example) or delete it"),
        );
        return None;
    }
    Some(text)
}

/// Whether the text holds anything but blank lines, comments and document markers.
pub fn has_content(text: &str) -> bool {
    text.lines().any(|l| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with('#') && t != "---" && t != "..."
    })
}

/// Parse YAML text into `T`, reporting syntax and shape errors against the file. A file
/// holding a second YAML document is refused; every text in it is checked for direction
/// controls, which are reported without stopping the value from being read.
pub fn parse_file<T: DeserializeOwned>(
    file: &SourceFile,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<T> {
    if let Some((line, column)) = super::documents::second_document(&file.text) {
        diagnostics.push(
            Diagnostic::error(
                "E110",
                &file.path,
                "a second YAML document starts here; a file holds one document",
            )
            .at(line, column, 3)
            .expected("one document: the fields of this file, with at most one `---` at the top")
            .help("remove this marker and move what follows into the document above it, or into a file of its own"),
        );
        return None;
    }
    let options = LoaderOptions::default().error_on_duplicate_keys(true);
    let node = match marked_yaml::parse_yaml_with_options(0, file.text.as_str(), options) {
        Ok(node) => node,
        Err(err) => {
            diagnostics.push(load_error(&file.path, &err));
            return None;
        }
    };
    super::direction::check(file, &node, diagnostics);
    match super::missing::from_node::<T>(&node) {
        Ok(value) => Some(value),
        Err(err) => {
            diagnostics.push(shape_error(file, &err.error, err.missing));
            None
        }
    }
}

fn load_error(path: &str, err: &LoadError) -> Diagnostic {
    let (marker, message, help): (_, String, &str) = match err {
        LoadError::TopLevelMustBeMapping(m) | LoadError::TopLevelMustBeSequence(m) => (
            *m,
            "the file must be a mapping of `key: value` lines at the top level".into(),
            "start the file with fields such as `id:`; see docs/data-format.md",
        ),
        LoadError::UnexpectedAnchor(m) => (
            *m,
            "YAML anchors and aliases (`&name`, `*name`) are not allowed".into(),
            "write the value out in full where it is needed",
        ),
        LoadError::MappingKeyMustBeScalar(m) => (
            *m,
            "a key must be plain text".into(),
            "write keys as `name:`",
        ),
        LoadError::UnexpectedTag(m) => (
            *m,
            "YAML tags (`!tag`) are not allowed".into(),
            "remove the tag",
        ),
        LoadError::ScanError(m, scan) => (
            *m,
            format!("YAML syntax error: {}", scan.info()),
            "check indentation (spaces, not tabs), colons after keys and matching quotes",
        ),
        LoadError::DuplicateKey(inner) => {
            let key = inner.key.as_str();
            let first = inner.prev_key.span().start().map(|m| m.line()).unwrap_or(0);
            let at = inner
                .key
                .span()
                .start()
                .copied()
                .unwrap_or_else(|| marked_yaml::Marker::new(0, 0, 0, 0));
            return Diagnostic::error(
                "E031",
                path,
                format!("the key `{key}` appears twice in one mapping"),
            )
            .at(at.line(), at.column(), key.chars().count())
            .help(format!("keep one `{key}:` (the first is on line {first})"));
        }
    };
    Diagnostic::error("E001", path, message)
        .at(marker.line(), marker.column(), 1)
        .help(help)
}

/// The diagnostic for a value of the wrong shape; `missing` is the required field serde
/// found missing, when that is what failed (told apart by `missing::from_node`).
fn shape_error(
    file: &SourceFile,
    err: &marked_yaml::Error,
    missing: Option<&'static str>,
) -> Diagnostic {
    let (line, column) = err
        .start_mark()
        .map(|m| (m.line(), m.column()))
        .unwrap_or((0, 0));
    if let Some(field) = missing {
        let (line, column) = if line == 0 { (1, 1) } else { (line, column) };
        return Diagnostic::error(
            "E009",
            &file.path,
            format!("the required field `{field}` is missing"),
        )
        .at(line, column, 1)
        .help(format!("add `{field}:` here; see docs/data-format.md"));
    }
    match err {
        marked_yaml::Error::UnknownFieldError(field, expected, _) => {
            // Errors raised inside nested custom readers lose their position: find the key.
            let (line, column) = if line == 0 {
                find_key(&file.text, field).unwrap_or((1, 1))
            } else {
                (line, column)
            };
            let mut d = Diagnostic::error("E003", &file.path, format!("unknown field `{field}`"))
                .at(line, column, field.chars().count())
                .expected(expected.join(", "));
            d = match nearest(field, expected.iter().copied()) {
                Some(near) => d.help(format!("did you mean `{near}`?")),
                None => d.help(
                    "remove the field, or check docs/data-format.md for the fields this file takes",
                ),
            };
            d
        }
        other => {
            let text = other.to_string();
            if matches!(
                err,
                marked_yaml::Error::IntegerParseFailure(..)
                    | marked_yaml::Error::FloatParseFailure(..)
            ) {
                let token = source_token(file, line, column);
                Diagnostic::error("E002", &file.path, format!("`{token}` is not a number"))
                    .at(line, column, token.chars().count())
                    .expected("a whole number, e.g. a year such as 2022")
                    .help("write the number in digits, without quotes or words")
            } else {
                let width = source_token(file, line, column).chars().count();
                Diagnostic::error("E002", &file.path, format!("wrong type of value: {text}"))
                    .at(line, column, width)
                    .help("check this value against the example in docs/data-format.md (a list needs `- ` items, a number must be digits)")
            }
        }
    }
}

/// The value starting at (line, column), up to a comment or the end of the line.
fn source_token(file: &SourceFile, line: usize, column: usize) -> String {
    file.text
        .lines()
        .nth(line.saturating_sub(1))
        .map(|l| {
            l.chars()
                .skip(column.saturating_sub(1))
                .take_while(|c| *c != '#')
                .collect::<String>()
        })
        .map(|rest| rest.trim_end().to_string())
        .unwrap_or_default()
}

/// Line and column of the first `key:` in the text.
fn find_key(text: &str, key: &str) -> Option<(usize, usize)> {
    let pattern = format!("{key}:");
    text.lines().enumerate().find_map(|(i, l)| {
        let trimmed = l.trim_start().trim_start_matches("- ");
        trimmed
            .starts_with(&pattern)
            .then(|| (i + 1, l.chars().count() - trimmed.chars().count() + 1))
    })
}

/// A rating written in short form (`health-visiting: G`) takes its position from the value.
pub fn place_short_ratings(ret: &mut Return) {
    for (_, entry) in &mut ret.ratings {
        if entry.value.rating.line == 0 {
            entry.value.rating.line = entry.line;
            entry.value.rating.column = entry.column;
        }
    }
}
