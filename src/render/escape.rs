//! Escaping text for HTML, used by the templates' autoescape and by the pages built in code.
//!
//! In: any text. Out: the text with `&`, `<`, `>`, `"` and `'` replaced by character
//! references, safe in element content and in quoted attribute values of either kind.
//! `/` is left as it is: it ends nothing in either place, and escaping it would lengthen
//! every link of every page (`../` in each relative address).

use std::io::Write;

/// The reference that stands for `byte`, if it must be escaped.
fn reference(byte: u8) -> Option<&'static [u8]> {
    Some(match byte {
        b'&' => b"&amp;",
        b'<' => b"&lt;",
        b'>' => b"&gt;",
        b'"' => b"&quot;",
        b'\'' => b"&#x27;",
        _ => return None,
    })
}

/// Writes `text` escaped; the runs between special characters are written whole.
pub fn write_html(text: &str, out: &mut dyn Write) -> std::io::Result<()> {
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if let Some(r) = reference(b) {
            out.write_all(&bytes[start..i])?;
            out.write_all(r)?;
            start = i + 1;
        }
    }
    out.write_all(&bytes[start..])
}

/// `text` escaped, as a new string.
pub fn html(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len() + text.len() / 8);
    write_html(text, &mut out).expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("only ASCII bytes were replaced, by ASCII")
}

#[cfg(test)]
mod tests {
    use super::html;

    #[test]
    fn every_markup_character_is_replaced() {
        assert_eq!(
            html(r#"<a href="x" title='y'>R&D</a>"#),
            "&lt;a href=&quot;x&quot; title=&#x27;y&#x27;&gt;R&amp;D&lt;/a&gt;"
        );
    }

    #[test]
    fn other_text_is_unchanged() {
        assert_eq!(html("Bolton — 0–5 years"), "Bolton — 0–5 years");
        assert_eq!(html(""), "");
    }
}
