//! The workbook's shared-strings table, which string cells refer to by number.
//!
//! In: the `sharedStrings.xml` part. Out: `SharedStrings`, every string's text in one
//! buffer, looked up by number. The count the part declares (`uniqueCount`) is not used;
//! the strings actually read are counted against `MAX_SHARED_STRINGS` and
//! `MAX_SHARED_STRING_BYTES`.

use super::ReadError;
use super::xml::Xml;
use crate::forms::limits::{MAX_SHARED_STRING_BYTES, MAX_SHARED_STRINGS};
use quick_xml::events::Event;

#[derive(Default)]
pub struct SharedStrings {
    text: String,
    /// Where each string ends in `text`.
    ends: Vec<usize>,
}

impl SharedStrings {
    pub fn read(xml: &mut Xml<'_>) -> Result<SharedStrings, ReadError> {
        let mut strings = SharedStrings::default();
        let mut buf = Vec::new();
        loop {
            let item = match xml.event(&mut buf)? {
                Event::Start(e) => e.local_name().as_ref() == "si",
                Event::Eof => return Ok(strings),
                _ => false,
            };
            if !item {
                continue;
            }
            let text = xml.rich_text(&mut buf)?;
            if strings.ends.len() == MAX_SHARED_STRINGS {
                return Err(ReadError::TooLarge(format!(
                    "`{}` holds more than {MAX_SHARED_STRINGS} strings, far more than a form",
                    xml.part()
                )));
            }
            if strings.text.len() + text.len() > MAX_SHARED_STRING_BYTES {
                return Err(ReadError::TooLarge(format!(
                    "the strings in `{}` hold more than {} of text, far more than a form",
                    xml.part(),
                    super::part::mib(MAX_SHARED_STRING_BYTES as u64)
                )));
            }
            strings.text.push_str(&text);
            strings.ends.push(strings.text.len());
        }
    }

    pub fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)?;
        let start = index.checked_sub(1).map_or(0, |i| self.ends[i]);
        self.text.get(start..end)
    }
}
