//! Escaping text for HTML and XML: the one escaper of the program, used by the templates'
//! autoescape, the pages, charts, maps and sitemap built in code, the development
//! server's pages and `check`'s search for an address as the templates wrote it.
//!
//! In: any text. Out: the text with `&`, `<`, `>`, `"` and `'` replaced by character
//! references, safe in element content and in quoted attribute values of either kind
//! (`html`); or, for text that only ever stands in element content, with `&`, `<` and `>`
//! replaced (`element_text`). `/` is left as it is: it ends nothing in either place, and
//! escaping it would lengthen every link of every page (`../` in each relative address).

use std::io::Write;

/// The reference that stands for `byte`, if it must be escaped; quotes only in an
/// attribute value.
fn reference(byte: u8, attribute: bool) -> Option<&'static [u8]> {
    Some(match byte {
        b'&' => b"&amp;",
        b'<' => b"&lt;",
        b'>' => b"&gt;",
        b'"' if attribute => b"&quot;",
        b'\'' if attribute => b"&#x27;",
        _ => return None,
    })
}

/// Writes `text` escaped; the runs between special characters are written whole.
fn write_escaped(text: &str, attribute: bool, out: &mut dyn Write) -> std::io::Result<()> {
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if let Some(r) = reference(b, attribute) {
            out.write_all(&bytes[start..i])?;
            out.write_all(r)?;
            start = i + 1;
        }
    }
    out.write_all(&bytes[start..])
}

/// Writes `text` escaped for element content and attribute values alike.
pub fn write_html(text: &str, out: &mut dyn Write) -> std::io::Result<()> {
    write_escaped(text, true, out)
}

fn escaped(text: &str, attribute: bool) -> String {
    let mut out = Vec::with_capacity(text.len() + text.len() / 8);
    // Writing to a Vec cannot fail, and only ASCII bytes are replaced, by ASCII.
    let _ = write_escaped(text, attribute, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// `text` escaped for element content and attribute values alike, as a new string.
pub fn html(text: &str) -> String {
    escaped(text, true)
}

/// `text` escaped for element content only (`&`, `<` and `>`): for text that is never
/// placed in an attribute, such as an SVG `<title>` or a sitemap's `<loc>`.
pub fn element_text(text: &str) -> String {
    escaped(text, false)
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
    fn element_text_keeps_quotes() {
        assert_eq!(
            super::element_text(r#"<b title="x">Children's & more</b>"#),
            r#"&lt;b title="x"&gt;Children's &amp; more&lt;/b&gt;"#
        );
    }

    #[test]
    fn other_text_is_unchanged() {
        assert_eq!(html("Bolton — 0–5 years"), "Bolton — 0–5 years");
        assert_eq!(html(""), "");
    }
}
