//! ONS codes of regions and areas, each with the years it is valid.
//!
//! In: a region file's `ons_code` (one code for every year) or `ons_codes` (a list of
//! codes with `from` / `until` years). Out: `DatedCode`s, the same facts whichever way
//! they were written, and the code valid in a given year. A year no code covers has no
//! code: it is "not stated", never filled in from a neighbouring year.

use super::Spanned;
use serde::Deserialize;

/// One entry of `ons_codes`: a code and the years it is valid, both inclusive.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct OnsCode {
    pub code: Spanned<String>,
    /// First year the code is valid; left out for "from the first year the area is used".
    #[serde(default)]
    pub from: Option<Spanned<u16>>,
    /// Last year the code is valid; left out for "until the last year the area is used".
    #[serde(default)]
    pub until: Option<Spanned<u16>>,
    /// Where the code and its years come from, e.g. the ONS lookup that introduced it.
    #[serde(default)]
    pub source: Option<Spanned<String>>,
}

/// A code with the years it applies, as a page or export should use it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DatedCode<'a> {
    pub code: &'a str,
    /// `None`: from the first year the area (or region) is used.
    pub from: Option<u16>,
    /// `None`: until the last year the area (or region) is used.
    pub until: Option<u16>,
}

impl DatedCode<'_> {
    pub fn valid_in(&self, year: u16) -> bool {
        self.from.is_none_or(|f| f <= year) && self.until.is_none_or(|u| year <= u)
    }
}

/// The codes of one region or area, whichever field the file used. A plain `ons_code`
/// applies to every year (`within`: the area's own years in use, or none for a region).
pub fn dated_codes<'a>(
    single: &'a Option<Spanned<String>>,
    list: &'a [OnsCode],
    within: (Option<u16>, Option<u16>),
) -> Vec<DatedCode<'a>> {
    let mut out: Vec<DatedCode<'a>> = single
        .iter()
        .map(|c| DatedCode {
            code: c.value.as_str(),
            from: within.0,
            until: within.1,
        })
        .collect();
    out.extend(list.iter().map(|c| DatedCode {
        code: c.code.value.as_str(),
        from: c.from.as_ref().map(|y| y.value).or(within.0),
        until: c.until.as_ref().map(|y| y.value).or(within.1),
    }));
    out
}

/// The code valid in `year`, if one is stated.
pub fn code_in<'a>(codes: &[DatedCode<'a>], year: u16) -> Option<&'a str> {
    codes.iter().find(|c| c.valid_in(year)).map(|c| c.code)
}

/// The most recent code: the one valid latest (a code with no end year is the newest).
pub fn latest_code<'a>(codes: &[DatedCode<'a>]) -> Option<&'a str> {
    codes
        .iter()
        .max_by_key(|c| (c.until.unwrap_or(u16::MAX), c.from.unwrap_or(0)))
        .map(|c| c.code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(code: &str, from: Option<u16>, until: Option<u16>) -> OnsCode {
        OnsCode {
            code: Spanned::synthetic(code.into()),
            from: from.map(Spanned::synthetic),
            until: until.map(Spanned::synthetic),
            source: None,
        }
    }

    #[test]
    fn a_plain_code_covers_the_years_in_use_only() {
        let single = Some(Spanned::synthetic("E38000068".to_string()));
        let codes = dated_codes(&single, &[], (Some(2013), Some(2022)));
        assert_eq!(code_in(&codes, 2013), Some("E38000068"));
        assert_eq!(code_in(&codes, 2022), Some("E38000068"));
        assert_eq!(code_in(&codes, 2012), None);
        assert_eq!(code_in(&codes, 2023), None);
    }

    #[test]
    fn a_changed_code_is_chosen_by_year_and_gaps_stay_empty() {
        let list = [
            entry("E38000216", Some(2017), Some(2017)),
            entry("E38000228", Some(2018), None),
        ];
        let codes = dated_codes(&None, &list, (Some(2015), Some(2022)));
        assert_eq!(code_in(&codes, 2016), None);
        assert_eq!(code_in(&codes, 2017), Some("E38000216"));
        assert_eq!(code_in(&codes, 2018), Some("E38000228"));
        assert_eq!(code_in(&codes, 2022), Some("E38000228"));
        assert_eq!(
            codes[1].until,
            Some(2022),
            "an open end is the area's last year"
        );
        assert_eq!(latest_code(&codes), Some("E38000228"));
    }

    #[test]
    fn nothing_stated_gives_no_code() {
        let codes = dated_codes(&None, &[], (None, None));
        assert_eq!(code_in(&codes, 2022), None);
        assert_eq!(latest_code(&codes), None);
    }
}
