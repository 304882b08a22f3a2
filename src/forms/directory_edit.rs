//! Editing the text of a directory file in place: setting a top-level fact, adding a
//! source and saying which sources state a fact, with everything else (comments, order,
//! quoting, the other facts) left exactly as it was.
//!
//! In: the text of `scoping-data/directory/<id>.yaml` and the edits. Out: the edited text,
//! and the line of each value written, so a problem the project's rules find there can be
//! reported at the form's cell; or a sentence saying why the file cannot be edited safely
//! (a `sources:` or `source_of:` written inline rather than as an indented block). The
//! caller parses the result with the project's loader and checks it says what was meant.
//! Keys are written with `model::yaml::key`, and values come quoted by `model::yaml::quote`.

use crate::model::yaml::key as yaml_key;

/// A directory file's lines, being edited.
pub struct ServiceText {
    lines: Vec<String>,
}

/// The lines `start..end` of one entry: its key line and the lines that belong to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    start: usize,
    end: usize,
}

/// Where a missing top-level fact goes: before the first of these keys the file has.
const FACTS_BEFORE: [&str; 3] = ["status", "last_checked", "sources"];

impl ServiceText {
    pub fn new(text: &str) -> Self {
        ServiceText {
            lines: text.lines().map(str::to_string).collect(),
        }
    }

    pub fn text(&self) -> String {
        let mut text = self.lines.join("\n");
        text.push('\n');
        text
    }

    /// The 1-based line of the top-level key `key`.
    pub fn line_of(&self, key: &str) -> Option<usize> {
        self.entry(key).map(|s| s.start + 1)
    }

    /// The 1-based line of `child` in the block map under the top-level `parent`.
    pub fn line_of_child(&self, parent: &str, child: &str) -> Option<usize> {
        let parent = self.entry(parent)?;
        self.child(parent, child).map(|s| s.start + 1)
    }

    /// Set the top-level `key` to the YAML lines `value` (the first starts after `key:`,
    /// e.g. ` "text"`; further lines are indented). An existing entry is replaced where it
    /// is; a new one goes before `status:`.
    pub fn set(&mut self, key: &str, value: &[String]) {
        let mut new = vec![format!(
            "{}:{}",
            yaml_key(key),
            value.first().map_or("", String::as_str)
        )];
        new.extend(value.iter().skip(1).cloned());
        match self.entry(key) {
            Some(span) => {
                self.lines.splice(span.start..span.end, new);
            }
            None => {
                let at = FACTS_BEFORE
                    .iter()
                    .find_map(|k| self.entry(k))
                    .map_or(self.lines.len(), |s| s.start);
                self.lines.splice(at..at, new);
            }
        }
    }

    /// Add `key` with the body lines `body` (each one level below it) to the `sources:`
    /// block, unless the block has it already. A missing block goes after `last_checked`.
    pub fn add_source(&mut self, key: &str, body: &[String]) -> Result<(), String> {
        let parent = self.block("sources", &["last_checked"])?;
        if self.child(parent, key).is_some() {
            return Ok(());
        }
        let indent = self.child_indent(parent);
        let mut new = vec![format!("{indent}{}:", yaml_key(key))];
        new.extend(body.iter().map(|line| format!("{indent}  {line}")));
        let at = parent.end;
        self.lines.splice(at..at, new);
        Ok(())
    }

    /// Say in `source_of:` that `keys` state `fact`, replacing what it said. A missing block
    /// goes after `sources:`.
    pub fn set_source_of(&mut self, fact: &str, keys: &[String]) -> Result<(), String> {
        let parent = self.block("source_of", &["sources", "last_checked"])?;
        let indent = self.child_indent(parent);
        let value = match keys {
            [one] => yaml_key(one),
            _ => format!(
                "[{}]",
                keys.iter()
                    .map(|k| yaml_key(k))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let line = format!("{indent}{}: {value}", yaml_key(fact));
        match self.child(parent, fact) {
            Some(span) => {
                self.lines.splice(span.start..span.end, [line]);
            }
            None => {
                let at = parent.end;
                self.lines.splice(at..at, [line]);
            }
        }
        Ok(())
    }

    /// The block map entry `key`, made (empty, after the first of `after` the file has, or
    /// at the end) when missing. An entry written inline is refused, but for an empty
    /// `{}`, which becomes an empty block.
    fn block(&mut self, key: &str, after: &[&str]) -> Result<Span, String> {
        if let Some(span) = self.entry(key) {
            let inline = self.lines[span.start][key.len() + 1..].trim();
            let inline = strip_comment(inline);
            return match inline {
                "" => Ok(span),
                "{}" => {
                    self.lines[span.start] = format!("{key}:");
                    Ok(span)
                }
                _ => Err(format!(
                    "its `{key}:` is written on one line; write it as an indented block, one entry a line, and import the form again"
                )),
            };
        }
        let at = after
            .iter()
            .find_map(|k| self.entry(k))
            .map_or(self.lines.len(), |s| s.end);
        self.lines.insert(at, format!("{key}:"));
        Ok(Span {
            start: at,
            end: at + 1,
        })
    }

    /// The top-level entry `key`: its line, and the indented lines, block-sequence items
    /// and blank lines after it, up to the next top-level key or comment (trailing blank
    /// lines left out).
    fn entry(&self, key: &str) -> Option<Span> {
        let start = self.lines.iter().position(|l| is_key_line(l, key))?;
        let mut end = start + 1;
        let mut last = start + 1;
        while end < self.lines.len() {
            let line = &self.lines[end];
            let continues = line.trim().is_empty()
                || line.starts_with([' ', '\t'])
                || line == "-"
                || line.starts_with("- ");
            if !continues {
                break;
            }
            end += 1;
            if !line.trim().is_empty() {
                last = end;
            }
        }
        Some(Span { start, end: last })
    }

    /// The indentation of the entries of a block map entry (two spaces when it has none).
    fn child_indent(&self, parent: Span) -> String {
        self.lines[parent.start + 1..parent.end]
            .iter()
            .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            .map(|l| l[..l.len() - l.trim_start().len()].to_string())
            .unwrap_or_else(|| "  ".to_string())
    }

    /// The entry `key` of a block map entry, with its more-indented lines.
    fn child(&self, parent: Span, key: &str) -> Option<Span> {
        let indent = self.child_indent(parent);
        let start = (parent.start + 1..parent.end).find(|&i| {
            let line = &self.lines[i];
            line.starts_with(&indent)
                && !line[indent.len()..].starts_with([' ', '\t'])
                && is_key_line(&line[indent.len()..], key)
        })?;
        let mut last = start + 1;
        for i in start + 1..parent.end {
            let line = &self.lines[i];
            if line.trim().is_empty() {
                continue;
            }
            let deeper = line.len() - line.trim_start().len() > indent.len();
            if !deeper {
                break;
            }
            last = i + 1;
        }
        Some(Span { start, end: last })
    }
}

/// Whether `line` starts with the key `key`, bare or quoted, followed by its colon.
fn is_key_line(line: &str, key: &str) -> bool {
    [key.to_string(), format!("\"{key}\""), format!("'{key}'")]
        .iter()
        .any(|k| {
            line.strip_prefix(k.as_str())
                .and_then(|rest| rest.strip_prefix(':'))
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
        })
}

/// `text` without a trailing ` # comment`.
fn strip_comment(text: &str) -> &str {
    match text.find(" #") {
        Some(i) => text[..i].trim_end(),
        None if text.starts_with('#') => "",
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "id: babs\nname: \"BABS\"\n# How to reach it.\nreferral:\n  - professional\nhow_to_access: \"By referral\"\nstatus: active\nlast_checked: \"2022-05-01\"\nsources:\n  cm-2.2:   # the section on BABS\n    report: 2022/cheshire-and-merseyside\n    section: \"2.2\"\n\nsource_of:\n  referral: cm-2.2\n  status:\n    - cm-2.2\n  areas: cm-2.2\n";

    #[test]
    fn sets_a_fact_where_it_is_or_before_status() {
        let mut t = ServiceText::new(FILE);
        t.set("how_to_access", &[" \"Ask your health visitor\"".into()]);
        t.set("url", &[" \"https://example.org/babs\"".into()]);
        t.set("referral", &[String::new(), "  - self".into()]);
        let text = t.text();
        assert!(
            text.starts_with("id: babs\nname: \"BABS\"\n# How to reach it.\nreferral:\n  - self\nhow_to_access: \"Ask your health visitor\"\nurl: \"https://example.org/babs\"\nstatus: active\n"),
            "{text}"
        );
        assert_eq!(t.line_of("url"), Some(7));
    }

    #[test]
    fn adds_a_source_and_replaces_what_states_a_fact() {
        let mut t = ServiceText::new(FILE);
        t.add_source(
            "return-2023-knowsley",
            &["return: \"2023/knowsley\"".into()],
        )
        .unwrap();
        // A second time changes nothing.
        t.add_source(
            "return-2023-knowsley",
            &["return: \"2023/knowsley\"".into()],
        )
        .unwrap();
        t.set_source_of("status", &["return-2023-knowsley".into()])
            .unwrap();
        t.set_source_of(
            "url",
            &["return-2023-knowsley".into(), "return-2023-sefton".into()],
        )
        .unwrap();
        let text = t.text();
        assert!(
            text.ends_with("sources:\n  cm-2.2:   # the section on BABS\n    report: 2022/cheshire-and-merseyside\n    section: \"2.2\"\n  return-2023-knowsley:\n    return: \"2023/knowsley\"\n\nsource_of:\n  referral: cm-2.2\n  status: return-2023-knowsley\n  areas: cm-2.2\n  url: [return-2023-knowsley, return-2023-sefton]\n"),
            "{text}"
        );
        assert_eq!(
            t.line_of_child("source_of", "url"),
            Some(t.text().lines().count())
        );
    }

    #[test]
    fn makes_missing_blocks_and_refuses_inline_ones() {
        let mut t =
            ServiceText::new("id: x\nstatus: active\nlast_checked: \"2022-05-01\"\n# end\n");
        t.add_source("r", &["return: \"2023/a\"".into()]).unwrap();
        t.set_source_of("url", &["r".into()]).unwrap();
        assert_eq!(
            t.text(),
            "id: x\nstatus: active\nlast_checked: \"2022-05-01\"\nsources:\n  r:\n    return: \"2023/a\"\nsource_of:\n  url: r\n# end\n"
        );
        let mut t = ServiceText::new("id: x\nsources: {}\nsource_of: {url: a}\n");
        t.add_source("r", &["return: \"2023/a\"".into()]).unwrap();
        assert!(
            t.text().starts_with("id: x\nsources:\n  r:\n"),
            "{}",
            t.text()
        );
        let err = t.set_source_of("url", &["r".into()]).unwrap_err();
        assert!(err.contains("`source_of:` is written on one line"), "{err}");
    }

    #[test]
    fn a_key_is_a_whole_word_at_the_start_of_a_line() {
        let t = ServiceText::new("urls: x\n  url: y\nurl: \"z\"\n");
        assert_eq!(t.line_of("url"), Some(3));
    }
}
