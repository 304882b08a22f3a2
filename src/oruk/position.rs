//! Where a value sits in a JSON text, so that a message about one record or field of a feed
//! can name its line and column.
//!
//! In: the text of a JSON file that parsed, and a path to a value in it (object keys and
//! array positions). Out: the 1-based line and column (in characters) where that value
//! starts, or `None` when the path leads nowhere. `serde_json` keeps no positions, so the
//! text is scanned again, skipping every value off the path.

/// One step of a path into a JSON value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// A path into a JSON value, from the top of the file.
pub type Path = Vec<Step>;

/// The path written as a JSON pointer (`/contents/3/name`), for messages.
pub fn pointer(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        out.push('/');
        match step {
            Step::Key(k) => out.push_str(&k.replace('~', "~0").replace('/', "~1")),
            Step::Index(i) => out.push_str(&i.to_string()),
        }
    }
    out
}

/// The 1-based line and column of the value at `path` in `text`.
pub fn locate(text: &str, path: &[Step]) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut at = skip_space(bytes, skip_bom(bytes));
    for step in path {
        at = match (step, bytes.get(at)?) {
            (Step::Key(key), b'{') => find_key(bytes, at, key)?,
            (Step::Index(index), b'[') => find_index(bytes, at, *index)?,
            _ => return None,
        };
    }
    Some(line_and_column(text, at))
}

fn skip_bom(bytes: &[u8]) -> usize {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    }
}

fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while bytes
        .get(at)
        .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
    {
        at += 1;
    }
    at
}

/// The start of the value of `key` in the object starting at `at`.
fn find_key(bytes: &[u8], at: usize, key: &str) -> Option<usize> {
    let mut at = skip_space(bytes, at + 1);
    let mut found = None;
    while bytes.get(at) == Some(&b'"') {
        let end = skip_string(bytes, at)?;
        let name: String = serde_json::from_slice(&bytes[at..end]).ok()?;
        at = skip_space(bytes, end);
        if bytes.get(at) != Some(&b':') {
            return None;
        }
        at = skip_space(bytes, at + 1);
        // A key given twice: serde_json keeps the last value, and so does this.
        if name == key {
            found = Some(at);
        }
        at = skip_space(bytes, skip_value(bytes, at)?);
        if bytes.get(at) == Some(&b',') {
            at = skip_space(bytes, at + 1);
        }
    }
    found
}

/// The start of item `index` of the array starting at `at`.
fn find_index(bytes: &[u8], at: usize, index: usize) -> Option<usize> {
    let mut at = skip_space(bytes, at + 1);
    let mut i = 0;
    while bytes.get(at).is_some_and(|b| *b != b']') {
        if i == index {
            return Some(at);
        }
        at = skip_space(bytes, skip_value(bytes, at)?);
        if bytes.get(at) == Some(&b',') {
            at = skip_space(bytes, at + 1);
        }
        i += 1;
    }
    None
}

/// The end of the string starting at `at` (just past its closing quote).
fn skip_string(bytes: &[u8], at: usize) -> Option<usize> {
    let mut i = at + 1;
    while let Some(b) = bytes.get(i) {
        match b {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// The end of the value starting at `at`. Nesting is followed with a counter, not
/// recursion, so a deeply nested record cannot exhaust the stack.
fn skip_value(bytes: &[u8], at: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = at;
    loop {
        match bytes.get(i)? {
            b'"' => i = skip_string(bytes, i)?,
            b'{' | b'[' => {
                depth += 1;
                i += 1;
            }
            b'}' | b']' => {
                depth = depth.checked_sub(1)?;
                i += 1;
            }
            b',' | b' ' | b'\t' | b'\n' | b'\r' | b':' if depth > 0 => i += 1,
            _ if depth > 0 => i += 1,
            // A number or a literal at the top: it runs to the next separator.
            _ => {
                while bytes.get(i).is_some_and(|b| {
                    !matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
                }) {
                    i += 1;
                }
                return Some(i);
            }
        }
        if depth == 0 {
            return Some(i);
        }
    }
}

fn line_and_column(text: &str, at: usize) -> (usize, usize) {
    let before = &text.as_bytes()[..at.min(text.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[start..])
        .trim_start_matches('\u{feff}')
        .chars()
        .count()
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: &str) -> Step {
        Step::Key(k.to_string())
    }

    #[test]
    fn finds_values_by_path() {
        let text = "{\n  \"a\": 1,\n  \"b\\\"x\": [true, {\"c\": \"d,]}\"}, \n    {\"name\": \"é ✓\"}],\n  \"z\": null\n}\n";
        assert_eq!(locate(text, &[]), Some((1, 1)));
        assert_eq!(locate(text, &[key("a")]), Some((2, 8)));
        assert_eq!(locate(text, &[key("b\"x")]), Some((3, 11)));
        assert_eq!(
            locate(text, &[key("b\"x"), Step::Index(1), key("c")]),
            Some((3, 24))
        );
        assert_eq!(
            locate(text, &[key("b\"x"), Step::Index(2), key("name")]),
            Some((4, 14))
        );
        assert_eq!(locate(text, &[key("z")]), Some((5, 8)));
        assert_eq!(locate(text, &[key("missing")]), None);
        assert_eq!(locate(text, &[key("a"), Step::Index(0)]), None);
        assert_eq!(locate(text, &[key("b\"x"), Step::Index(9)]), None);
        assert_eq!(
            pointer(&[key("contents"), Step::Index(3), key("a/b")]),
            "/contents/3/a~1b"
        );
    }

    #[test]
    fn columns_count_characters_and_skip_a_byte_order_mark() {
        let text = "\u{feff}[\"é\", 5]";
        assert_eq!(locate(text, &[Step::Index(1)]), Some((1, 7)));
    }

    #[test]
    fn deep_nesting_does_not_recurse() {
        let deep = format!("[{}1{}, 2]", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(locate(&deep, &[Step::Index(1)]), Some((1, 200_005)));
    }
}
