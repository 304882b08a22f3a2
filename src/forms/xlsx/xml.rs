//! Reading one part as XML, with the text rules of spreadsheet files.
//!
//! In: a part's inflating bytes. Out: events one at a time, attribute values, and the text
//! of an element (entities resolved, `_xHHHH_` escapes decoded, phonetic runs left out),
//! each failure a `ReadError` naming the part. Nothing here is read ahead: an element's text
//! is at most as large as the part, which the inflating reader bounds.

use super::ReadError;
use super::part::{Inflating, LimitHit};
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use std::io::BufReader;

pub struct Xml<'a> {
    reader: Reader<BufReader<Inflating<'a>>>,
    part: String,
}

impl<'a> Xml<'a> {
    pub fn new(source: BufReader<Inflating<'a>>, part: &str) -> Xml<'a> {
        let mut reader = Reader::from_reader(source);
        let config = reader.config_mut();
        // `<c/>` arrives as a start and an end, so empty and full elements read alike.
        config.expand_empty_elements = true;
        config.check_end_names = false;
        config.trim_text(false);
        Xml {
            reader,
            part: part.to_string(),
        }
    }

    pub fn part(&self) -> &str {
        &self.part
    }

    /// The next event; its data lives in `buf`, which is cleared first.
    pub fn event<'b>(&mut self, buf: &'b mut Vec<u8>) -> Result<Event<'b>, ReadError> {
        buf.clear();
        self.reader
            .read_event_into(buf)
            .map_err(|e| failure(&self.part, e))
    }

    /// The text up to the end of the element just opened, nested elements' text included.
    pub fn text(&mut self, buf: &mut Vec<u8>) -> Result<String, ReadError> {
        let mut text = String::new();
        let mut depth = 1usize;
        loop {
            match self.event(buf)? {
                Event::Text(t) => text.push_str(&t.xml10_content()),
                Event::CData(t) => text.push_str(&t.xml10_content()),
                Event::GeneralRef(r) => {
                    if let Some(ch) = r.resolve_char_ref().map_err(|e| failure(&self.part, e))? {
                        text.push(ch);
                    } else {
                        let name = r.into_inner();
                        let Some(value) = quick_xml::escape::resolve_predefined_entity(&name)
                        else {
                            return Err(self.malformed(&format!("unknown entity `&{name};`")));
                        };
                        text.push_str(value);
                    }
                }
                Event::Start(_) => depth += 1,
                Event::End(_) => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(decode_escapes(&text));
                    }
                }
                Event::Eof => return Err(self.malformed("it ends inside an element")),
                _ => {}
            }
        }
    }

    /// The text of a string item (`<si>` or `<is>`, just opened): its `<t>` runs joined,
    /// without the phonetic guides (`<rPh>`) that East Asian text may carry.
    pub fn rich_text(&mut self, buf: &mut Vec<u8>) -> Result<String, ReadError> {
        enum Step {
            Run,
            Phonetic,
            End,
            Other,
        }
        let mut text = String::new();
        loop {
            let step = match self.event(buf)? {
                Event::Start(e) => match e.local_name().as_ref() {
                    "t" => Step::Run,
                    "rPh" => Step::Phonetic,
                    _ => Step::Other,
                },
                Event::End(e) if matches!(e.local_name().as_ref(), "si" | "is") => Step::End,
                Event::Eof => return Err(self.malformed("it ends inside a string")),
                _ => Step::Other,
            };
            match step {
                Step::Run => text.push_str(&self.text(buf)?),
                Step::Phonetic => self.skip(buf)?,
                Step::End => return Ok(text),
                Step::Other => {}
            }
        }
    }

    /// Pass over the rest of the element just opened.
    pub fn skip(&mut self, buf: &mut Vec<u8>) -> Result<(), ReadError> {
        let mut depth = 1usize;
        loop {
            match self.event(buf)? {
                Event::Start(_) => depth += 1,
                Event::End(_) => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                Event::Eof => return Err(self.malformed("it ends inside an element")),
                _ => {}
            }
        }
    }

    pub fn malformed(&self, why: &str) -> ReadError {
        ReadError::Unreadable(format!("`{}` is not well-formed: {why}", self.part))
    }
}

/// The value of an attribute, found by its local name (`r:id` is found as `id`).
pub fn attr(e: &BytesStart<'_>, local: &str) -> Result<Option<String>, ReadError> {
    for a in e.attributes().with_checks(false) {
        let a = a.map_err(|e| ReadError::Unreadable(format!("an attribute is malformed ({e})")))?;
        if a.key.local_name().as_ref() == local {
            let value = a
                .normalized_value(XmlVersion::Implicit1_0)
                .map_err(|e| ReadError::Unreadable(format!("an attribute is malformed ({e})")))?;
            return Ok(Some(value.into_owned()));
        }
    }
    Ok(None)
}

/// A reading failure: a limit passed while inflating, or a damaged part.
fn failure(part: &str, e: quick_xml::Error) -> ReadError {
    if let quick_xml::Error::Io(io) = &e {
        if let Some(hit) = io
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<LimitHit>())
        {
            return ReadError::TooLarge(hit.0.clone());
        }
        return ReadError::Unreadable(format!("`{part}` cannot be inflated: {io}"));
    }
    ReadError::Unreadable(format!("`{part}` is not well-formed XML ({e})"))
}

/// Decode the `_xHHHH_` escapes spreadsheet files use for characters XML cannot hold
/// (`_x000D_` is a carriage return; `_x005F_` is `_`, so a literal `_x…_` survives).
pub fn decode_escapes(text: &str) -> String {
    if !text.contains("_x") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("_x") {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let decoded = tail
            .get(2..6)
            .filter(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()))
            .filter(|_| tail.as_bytes().get(6) == Some(&b'_'))
            .and_then(|hex| u32::from_str_radix(hex, 16).ok())
            .and_then(char::from_u32);
        match decoded {
            Some(ch) => {
                out.push(ch);
                rest = &tail[7..];
            }
            None => {
                out.push_str("_x");
                rest = &tail[2..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::decode_escapes;

    #[test]
    fn escapes_decode_and_lookalikes_stay() {
        assert_eq!(decode_escapes("a_x000D_\nb"), "a\r\nb");
        assert_eq!(decode_escapes("_x005F_x0041_"), "_x0041_");
        assert_eq!(decode_escapes("_x0041"), "_x0041");
        assert_eq!(decode_escapes("_xZZZZ_ and _x00E9_"), "_xZZZZ_ and é");
        assert_eq!(decode_escapes("plain"), "plain");
    }
}
