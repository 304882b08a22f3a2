//! When a service's details date from: the newest of its dated sources.
//!
//! In: the dataset and one service. Out: `SourceDate`s, one per dated thing the file names
//! — its `last_checked` (a check with the service), each web page's `checked` day, each
//! return's year and each cited report's date as its document control prints it — each
//! with the date as precise as its source gives it, never more. Pages use the newest to
//! say where the details come from and when, and whether they may be out of date.

use crate::model::{Dataset, Report, Service, SourceKind};
use chrono::{Datelike, NaiveDate};

/// How much of a date a source gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Precision {
    Year,
    Month,
    Day,
}

/// The days a date as given can mean: one day, a month or a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// The first day: the day itself, the 1st of the month, or 1 January.
    pub from: NaiveDate,
    /// The last day: the day itself, the last day of the month, or 31 December.
    pub until: NaiveDate,
    pub precision: Precision,
}

impl Period {
    fn day(d: NaiveDate) -> Period {
        Period {
            from: d,
            until: d,
            precision: Precision::Day,
        }
    }

    fn month(year: i32, month: u32) -> Option<Period> {
        let next = if month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)
        };
        Some(Period {
            from: NaiveDate::from_ymd_opt(year, month, 1)?,
            until: next?.pred_opt()?,
            precision: Precision::Month,
        })
    }

    fn year(year: i32) -> Option<Period> {
        Some(Period {
            from: NaiveDate::from_ymd_opt(year, 1, 1)?,
            until: NaiveDate::from_ymd_opt(year, 12, 31)?,
            precision: Precision::Year,
        })
    }
}

/// What a date belongs to.
#[derive(Debug, Clone, Copy)]
pub enum DatedBy<'a> {
    /// The file's `last_checked`: someone checked the details with the service.
    LastChecked,
    /// A web page (or an imported feed, `file:<path>`) read on the day given.
    Url(&'a str),
    /// A return, dated by its year.
    Return { year: u16, area: &'a str },
    /// A cited report, dated as its document control prints the date.
    Report(&'a Report),
}

/// One dated source of a service's details.
#[derive(Debug, Clone)]
pub struct SourceDate<'a> {
    pub period: Period,
    /// The date as the source gives it: "3 March 2024", "May 2022", "2023".
    pub shown: String,
    pub by: DatedBy<'a>,
}

/// `2024-03-03` as a date, or nothing.
fn iso(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

/// A date as a report's document control prints it: "1 May 2022", "May 2022" or "2022"
/// (or `YYYY-MM-DD`), as the days it can mean.
pub fn printed_date(text: &str) -> Option<Period> {
    let t = text.trim();
    if let Some(d) = iso(t) {
        return Some(Period::day(d));
    }
    if let Ok(d) = NaiveDate::parse_from_str(t, "%d %B %Y") {
        return Some(Period::day(d));
    }
    if let Ok(d) = NaiveDate::parse_from_str(&format!("1 {t}"), "%d %B %Y") {
        return Period::month(d.year(), d.month());
    }
    if t.len() == 4 {
        return Period::year(t.parse::<i32>().ok()?);
    }
    None
}

/// `2024-03-03` → "3 March 2024".
fn long(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// A report's date as its document control prints it, or failing that the date its
/// ratings describe.
fn report_date(report: &Report) -> Option<(Period, String)> {
    let printed = report.document.date.value.trim();
    match printed_date(printed) {
        Some(period) => Some((period, printed.to_string())),
        None => iso(&report.data_as_of.value).map(|d| (Period::day(d), long(d))),
    }
}

/// Every dated source of the service's details, in the file's order, `last_checked` first.
pub fn source_dates<'a>(ds: &'a Dataset, s: &'a Service) -> Vec<SourceDate<'a>> {
    let mut dates = Vec::new();
    if let Some(d) = s.last_checked.as_ref().and_then(|c| iso(&c.value)) {
        dates.push(SourceDate {
            period: Period::day(d),
            shown: long(d),
            by: DatedBy::LastChecked,
        });
    }
    for (_, source) in &s.sources {
        let dated = match source.kind() {
            Some(SourceKind::Url { url, checked }) => iso(checked).map(|d| SourceDate {
                period: Period::day(d),
                shown: long(d),
                by: DatedBy::Url(url),
            }),
            Some(SourceKind::Return { year, area }) => {
                Period::year(i32::from(year)).map(|period| SourceDate {
                    period,
                    shown: year.to_string(),
                    by: DatedBy::Return { year, area },
                })
            }
            Some(SourceKind::Report { year, region, .. }) => {
                ds.report(year, region).and_then(|report| {
                    report_date(report).map(|(period, shown)| SourceDate {
                        period,
                        shown,
                        by: DatedBy::Report(report),
                    })
                })
            }
            None => None,
        };
        dates.extend(dated);
    }
    dates
}

/// The newest dated source: the one whose period starts latest (a return of 2022, made
/// early in the year, is not newer than a report of May 2022), the more precise of two
/// that start on the same day, and a check with the service before any other source of
/// that day.
pub fn newest_source_date<'a>(ds: &'a Dataset, s: &'a Service) -> Option<SourceDate<'a>> {
    source_dates(ds, s).into_iter().max_by_key(|d| {
        (
            d.period.from,
            d.period.precision,
            matches!(d.by, DatedBy::LastChecked),
        )
    })
}

/// The year of the newest dated source, read from the service's file alone (a report by
/// the year it describes), so that whatever shows it depends on that file only.
pub fn newest_source_year(s: &Service) -> Option<u16> {
    let checked = s
        .last_checked
        .as_ref()
        .and_then(|c| iso(&c.value))
        .and_then(|d| u16::try_from(d.year()).ok());
    let sources = s
        .sources
        .iter()
        .filter_map(|(_, source)| match source.kind()? {
            SourceKind::Url { checked, .. } => u16::try_from(iso(checked)?.year()).ok(),
            SourceKind::Return { year, .. } | SourceKind::Report { year, .. } => Some(year),
        });
    checked.into_iter().chain(sources).max()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn period(from: NaiveDate, until: NaiveDate, precision: Precision) -> Option<Period> {
        Some(Period {
            from,
            until,
            precision,
        })
    }

    #[test]
    fn printed_dates_mean_no_more_than_they_say() {
        assert_eq!(
            printed_date("May 2022"),
            period(d(2022, 5, 1), d(2022, 5, 31), Precision::Month)
        );
        assert_eq!(
            printed_date("February 2024"),
            period(d(2024, 2, 1), d(2024, 2, 29), Precision::Month)
        );
        assert_eq!(
            printed_date("December 2021"),
            period(d(2021, 12, 1), d(2021, 12, 31), Precision::Month)
        );
        assert_eq!(
            printed_date("3 March 2024"),
            period(d(2024, 3, 3), d(2024, 3, 3), Precision::Day)
        );
        assert_eq!(
            printed_date("2024-03-03"),
            period(d(2024, 3, 3), d(2024, 3, 3), Precision::Day)
        );
        assert_eq!(
            printed_date("2023"),
            period(d(2023, 1, 1), d(2023, 12, 31), Precision::Year)
        );
        assert_eq!(printed_date("Spring 2022"), None);
        assert_eq!(printed_date(""), None);
    }
}
