//! Which cell formats show dates, so a date typed into a form reads as `2023-05-01`
//! rather than as the day number the file stores.
//!
//! In: the `styles.xml` part, and later a cell's number and format index. Out:
//! `DateStyles` (for each cell format, whether it is a date format) and the text of a date
//! or a number. Only the number formats and the cell formats are read, each counted
//! against `MAX_FORMATS`; fonts, fills and the rest are passed over.

use super::ReadError;
use super::xml::{Xml, attr};
use crate::forms::limits::MAX_FORMATS;
use quick_xml::events::Event;
use std::collections::HashMap;

#[derive(Default)]
pub struct DateStyles {
    /// By cell format index (a cell's `s` attribute).
    is_date: Vec<bool>,
}

impl DateStyles {
    pub fn read(xml: &mut Xml<'_>) -> Result<DateStyles, ReadError> {
        let mut custom: HashMap<String, bool> = HashMap::new();
        let mut styles = DateStyles::default();
        let mut buf = Vec::new();
        // Depth 1 is <styleSheet>, 2 its sections, 3 their items.
        let mut depth = 0usize;
        let mut section = String::new();
        loop {
            match xml.event(&mut buf)? {
                Event::Start(e) => {
                    depth += 1;
                    let name = e.local_name();
                    match (depth, name.as_ref(), section.as_str()) {
                        (2, s, _) => s.clone_into(&mut section),
                        (3, "numFmt", "numFmts") => {
                            if custom.len() == MAX_FORMATS {
                                return Err(too_many(xml.part()));
                            }
                            let id = attr(&e, "numFmtId")?.unwrap_or_default();
                            let code = attr(&e, "formatCode")?.unwrap_or_default();
                            custom.insert(id, is_date_format(&code));
                        }
                        (3, "xf", "cellXfs") => {
                            if styles.is_date.len() == MAX_FORMATS {
                                return Err(too_many(xml.part()));
                            }
                            let id = attr(&e, "numFmtId")?.unwrap_or_default();
                            let date = custom
                                .get(&id)
                                .copied()
                                .unwrap_or_else(|| is_builtin_date(&id));
                            styles.is_date.push(date);
                        }
                        _ => {}
                    }
                }
                Event::End(_) => {
                    depth = depth.saturating_sub(1);
                    if depth < 2 {
                        section.clear();
                    }
                }
                Event::Eof => return Ok(styles),
                _ => {}
            }
        }
    }

    pub fn is_date(&self, format: usize) -> bool {
        self.is_date.get(format).copied().unwrap_or(false)
    }
}

fn too_many(part: &str) -> ReadError {
    ReadError::TooLarge(format!(
        "`{part}` defines more than {MAX_FORMATS} formats, more than a spreadsheet can"
    ))
}

/// The built-in number formats that show a date or a time of day.
fn is_builtin_date(id: &str) -> bool {
    matches!(id.parse::<u32>(), Ok(14..=22 | 27..=36 | 45 | 47 | 50..=58))
}

/// Whether a custom format code shows a date or time: a `d`, `m`, `y`, `h` or `s` outside
/// quoted text, escapes and `[…]` (colours, locales, and the elapsed-time `[h]`). Only the
/// first section (up to `;`) counts, as that is the one used for positive numbers.
fn is_date_format(code: &str) -> bool {
    let mut chars = code.chars();
    while let Some(c) = chars.next() {
        match c {
            ';' => return false,
            '"' => {
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                }
            }
            '\\' | '_' | '*' => {
                chars.next();
            }
            '[' => {
                let inside: String = chars.by_ref().take_while(|&b| b != ']').collect();
                if matches!(
                    inside.to_ascii_lowercase().chars().next(),
                    Some('h' | 'm' | 's')
                ) {
                    return false;
                }
            }
            c if matches!(c.to_ascii_lowercase(), 'd' | 'm' | 'y' | 'h' | 's') => return true,
            _ => {}
        }
    }
    false
}

/// A cell's number as a form shows it: a date as `YYYY-MM-DD` (with the time when it has
/// one) when its format is a date format, otherwise the number, whole numbers without `.0`.
pub fn number_text(raw: &str, is_date: bool, date1904: bool) -> String {
    let Ok(value) = raw.trim().parse::<f64>() else {
        return raw.to_string();
    };
    if is_date && let Some(date) = date_text(value, date1904) {
        return date;
    }
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        value.to_string()
    }
}

/// The date of a spreadsheet day number. Day 1 is 1 January 1900 (or 2 January 1904 in the
/// 1904 date system); the 1900 system counts a 29 February 1900 that never was, so day
/// numbers from 61 on are one day ahead of a plain count.
fn date_text(serial: f64, date1904: bool) -> Option<String> {
    // 2958465 is 31 December 9999, the last day a spreadsheet shows.
    if !(0.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let mut days = serial.trunc() as i64;
    let mut seconds = ((serial - serial.trunc()) * 86_400.0).round() as i64;
    if seconds == 86_400 {
        days += 1;
        seconds = 0;
    }
    let (base, days) = if date1904 {
        ((1904, 1, 1), days)
    } else if days < 61 {
        ((1899, 12, 31), days)
    } else {
        ((1899, 12, 30), days)
    };
    let start = chrono::NaiveDate::from_ymd_opt(base.0, base.1, base.2)?;
    let date = start.checked_add_signed(chrono::TimeDelta::try_days(days)?)?;
    let time = chrono::NaiveTime::from_num_seconds_from_midnight_opt(seconds as u32, 0)?;
    Some(if seconds == 0 {
        date.format("%Y-%m-%d").to_string()
    } else {
        date.and_time(time).format("%Y-%m-%d %H:%M:%S").to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_formats_are_told_from_number_formats() {
        for code in [
            "yyyy-mm-dd",
            "d/m/yy",
            "dd mmm yyyy",
            "h:mm",
            "[$-809]dd/mm/yyyy",
        ] {
            assert!(is_date_format(code), "{code}");
        }
        for code in [
            "0.00",
            "#,##0",
            "\"days\" 0",
            "[Red]0.0",
            "[h]:mm:ss",
            "0;[Red]-0",
            "@",
        ] {
            assert!(!is_date_format(code), "{code}");
        }
        assert!(is_builtin_date("14"));
        assert!(!is_builtin_date("0"));
        assert!(!is_builtin_date("49"));
    }

    #[test]
    fn day_numbers_become_dates() {
        assert_eq!(number_text("45047", true, false), "2023-05-01");
        assert_eq!(number_text("45047.5", true, false), "2023-05-01 12:00:00");
        assert_eq!(number_text("1", true, false), "1900-01-01");
        assert_eq!(number_text("61", true, false), "1900-03-01");
        assert_eq!(number_text("43585", true, true), "2023-05-01");
        assert_eq!(number_text("45047", false, false), "45047");
        assert_eq!(number_text("2.5", false, false), "2.5");
        assert_eq!(number_text("-3", false, false), "-3");
        assert!(!number_text("1e300", true, false).contains('-'));
        assert_eq!(number_text("n/a", false, false), "n/a");
    }
}
