//! Finding a second YAML document in a file.
//!
//! In: a file's text. Out: where a second document starts, if there is one. The YAML
//! reader stops after the first document, so without this check everything after a second
//! `---` (or after `...`) would be dropped without a word.

/// Line and column (1-based) where a second document starts.
///
/// A line starting with `---` or `...` followed by a space or nothing is a document marker
/// wherever it appears (YAML forbids such lines inside a value), so the lines can be read
/// one at a time: the first `---` before any content opens the first document; a later
/// `---`, or content after `...`, starts another.
pub fn second_document(text: &str) -> Option<(usize, usize)> {
    // Most files have no marker after their first line: skip them without a closer look.
    if !text.contains("\n---") && !text.contains("\n...") {
        return None;
    }
    let mut opened = false;
    let mut content = false;
    let mut ended = false;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        if let Some(rest) = marker(line, "---") {
            if opened || content || ended {
                return Some((number, 1));
            }
            opened = true;
            content = holds_content(rest);
        } else if marker(line, "...").is_some() {
            ended = true;
        } else if holds_content(line) && !line.starts_with('%') {
            if ended {
                let column = line.chars().take_while(|c| c.is_whitespace()).count() + 1;
                return Some((number, column));
            }
            content = true;
        }
    }
    None
}

/// The rest of the line after a document marker, if the line starts with one.
fn marker<'a>(line: &'a str, mark: &str) -> Option<&'a str> {
    let rest = line.strip_prefix(mark)?;
    (rest.is_empty() || rest.starts_with([' ', '\t', '\r'])).then_some(rest)
}

/// Whether a line says anything: not blank and not only a comment.
fn holds_content(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && !t.starts_with('#')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_document_with_or_without_markers_is_fine() {
        assert_eq!(second_document("a: 1\nb: 2\n"), None);
        assert_eq!(second_document("---\na: 1\n"), None);
        assert_eq!(second_document("# note\n---\na: 1\n...\n# end\n"), None);
        assert_eq!(second_document("%YAML 1.2\n---\na: 1\n"), None);
        assert_eq!(second_document("a: |\n  ---x\n  text\n"), None);
        assert_eq!(second_document("a: 1\n----\n"), None, "not a marker");
    }

    #[test]
    fn a_second_document_is_found_where_it_starts() {
        assert_eq!(second_document("a: 1\n---\nb: 2\n"), Some((2, 1)));
        assert_eq!(second_document("---\na: 1\n--- \nb: 2\n"), Some((3, 1)));
        assert_eq!(second_document("---\n---\na: 1\n"), Some((2, 1)));
        assert_eq!(second_document("a: 1\r\n---\r\nb: 2\r\n"), Some((2, 1)));
        assert_eq!(second_document("a: 1\n...\n  b: 2\n"), Some((3, 3)));
        assert_eq!(second_document("--- a: 1\n--- b\n"), Some((2, 1)));
    }
}
