//! Rules for the ONS codes of regions and areas: the shape of each kind's code, the years
//! a code is stated for, and areas in use without a code.
//!
//! In: the loaded regions and the years that have returns. Out: E160–E164 and W160.

use super::common::check_optional_text;
use super::path_of;
use crate::diag::Diagnostic;
use crate::model::{Area, Dataset, OnsCode, Region, Spanned};
use std::collections::BTreeSet;

/// The code shapes ONS gives each kind of geography the data uses: the three-character
/// entity prefixes and an example of each.
struct Shape {
    kind: &'static str,
    prefixes: &'static [&'static str],
    example: &'static str,
}

const REGION: Shape = Shape {
    kind: "an integrated care system or board",
    prefixes: &["E54"],
    example: "E54000008",
};
const CCG: Shape = Shape {
    kind: "a CCG",
    prefixes: &["E38"],
    example: "E38000068",
};
/// A Place is named after, and shares the boundary of, a local authority: a unitary
/// authority (E06), non-metropolitan district (E07), metropolitan district (E08) or
/// London borough (E09).
const PLACE: Shape = Shape {
    kind: "a Place (the code of its local authority)",
    prefixes: &["E06", "E07", "E08", "E09"],
    example: "E06000006",
};

impl Shape {
    fn fits(&self, code: &str) -> bool {
        code.len() == 9
            && self.prefixes.iter().any(|p| code.starts_with(p))
            && code[3..].bytes().all(|b| b.is_ascii_digit())
    }

    fn expected(&self) -> String {
        let prefixes = match self.prefixes {
            [] => String::new(),
            [one] => one.to_string(),
            [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
        };
        format!("{prefixes} followed by six digits, e.g. {}", self.example)
    }
}

pub fn check(ds: &Dataset, out: &mut Vec<Diagnostic>) {
    for loaded in ds.regions() {
        let file = path_of(ds, loaded.source);
        let region = &loaded.value;
        let who = format!("region `{}`", region.id.value);
        let codes = Codes {
            file,
            who: &who,
            single: &region.ons_code,
            list: &region.ons_codes,
            shape: &REGION,
            in_use: (None, None),
        };
        codes.check(out);
        let years: BTreeSet<u16> = ds
            .returns
            .iter()
            .filter(|r| r.value.region.value == region.id.value)
            .map(|r| r.value.year.value)
            .collect();
        for area in &region.areas {
            let shape = match area.kind.value.as_str() {
                "CCG" => &CCG,
                "Place" => &PLACE,
                // An unknown kind is E027; its code's shape cannot be judged.
                _ => continue,
            };
            let who = format!("area `{}`", area.id.value);
            let codes = Codes {
                file,
                who: &who,
                single: &area.ons_code,
                list: &area.ons_codes,
                shape,
                in_use: (
                    area.in_use.from.as_ref().map(|y| y.value),
                    area.in_use.until.as_ref().map(|y| y.value),
                ),
            };
            codes.check(out);
            check_years_without_code(file, region, area, &years, out);
        }
    }
}

/// The code fields of one region or area.
struct Codes<'a> {
    file: &'a str,
    who: &'a str,
    single: &'a Option<Spanned<String>>,
    list: &'a [OnsCode],
    shape: &'a Shape,
    in_use: (Option<u16>, Option<u16>),
}

impl Codes<'_> {
    fn check(&self, out: &mut Vec<Diagnostic>) {
        for code in self.single.iter().chain(self.list.iter().map(|c| &c.code)) {
            self.check_shape(code, out);
        }
        if let (Some(single), Some(first)) = (self.single, self.list.first()) {
            out.push(
                Diagnostic::error(
                    "E161",
                    self.file,
                    format!(
                        "{} has both `ons_code` ({}) and `ons_codes`",
                        self.who, single.value
                    ),
                )
                .at_value(&first.code, first.code.value.chars().count())
                .help(
                    "keep one: `ons_code` for a code valid in every year, or `ons_codes` \
                     with each code's years",
                ),
            );
        }
        for entry in self.list {
            check_optional_text(self.file, &entry.source, "source", out);
            self.check_entry_years(entry, out);
        }
        self.check_overlaps(out);
    }

    fn check_shape(&self, code: &Spanned<String>, out: &mut Vec<Diagnostic>) {
        if self.shape.fits(&code.value) {
            return;
        }
        out.push(
            Diagnostic::error(
                "E160",
                self.file,
                format!(
                    "`{}` is not the ONS code of {}, the kind of {}",
                    code.value, self.shape.kind, self.who
                ),
            )
            .at_value(code, code.value.chars().count().max(1))
            .expected(self.shape.expected())
            .help("copy the code from the ONS Code History Database or Open Geography Portal"),
        );
    }

    /// A code's years must be in order and inside the years the area is in use.
    fn check_entry_years(&self, entry: &OnsCode, out: &mut Vec<Diagnostic>) {
        let code = &entry.code.value;
        if let (Some(from), Some(until)) = (&entry.from, &entry.until)
            && until.value < from.value
        {
            out.push(
                Diagnostic::error(
                    "E162",
                    self.file,
                    format!(
                        "ONS code `{code}` of {} is valid until {} but only from {}",
                        self.who, until.value, from.value
                    ),
                )
                .at_value(until, 4)
                .help("`until` is the last year the code is valid; it must not be before `from`"),
            );
            return;
        }
        let (use_from, use_until) = self.in_use;
        let outside = [
            entry
                .from
                .as_ref()
                .filter(|f| use_from.is_some_and(|u| f.value < u))
                .map(|f| (f, "from")),
            entry
                .from
                .as_ref()
                .filter(|f| use_until.is_some_and(|u| f.value > u))
                .map(|f| (f, "from")),
            entry
                .until
                .as_ref()
                .filter(|u| use_until.is_some_and(|last| u.value > last))
                .map(|u| (u, "until")),
            entry
                .until
                .as_ref()
                .filter(|u| use_from.is_some_and(|first| u.value < first))
                .map(|u| (u, "until")),
        ];
        if let Some((year, field)) = outside.into_iter().flatten().next() {
            out.push(
                Diagnostic::error(
                    "E163",
                    self.file,
                    format!(
                        "ONS code `{code}` is stated for {}, which is in use {}, but its `{field}: {}` is outside those years",
                        self.who,
                        years_text(use_from, use_until),
                        year.value
                    ),
                )
                .at_value(year, 4)
                .expected(format!("a year {}", years_text(use_from, use_until)))
                .help(
                    "a code is only this area's in the years the area is in use: correct the \
                     code's years, or the area's `in_use` if the area existed longer",
                ),
            );
        }
    }

    /// No year may have two codes.
    fn check_overlaps(&self, out: &mut Vec<Diagnostic>) {
        let span = |c: &OnsCode| {
            (
                c.from
                    .as_ref()
                    .map(|y| y.value)
                    .or(self.in_use.0)
                    .unwrap_or(0),
                c.until
                    .as_ref()
                    .map(|y| y.value)
                    .or(self.in_use.1)
                    .unwrap_or(u16::MAX),
            )
        };
        for (i, a) in self.list.iter().enumerate() {
            for b in &self.list[i + 1..] {
                let (af, au) = span(a);
                let (bf, bu) = span(b);
                if af > au || bf > bu || af.max(bf) > au.min(bu) {
                    continue;
                }
                let year = af.max(bf);
                out.push(
                    Diagnostic::error(
                        "E164",
                        self.file,
                        format!(
                            "{} has two ONS codes for {year}: `{}` and `{}`",
                            self.who, a.code.value, b.code.value
                        ),
                    )
                    .at_value(&b.code, b.code.value.chars().count().max(1))
                    .help(
                        "give each code the years it is valid (`from`, `until`) so that they \
                         do not overlap: when ONS changes a code, the old one ends the year \
                         before the new one starts",
                    ),
                );
            }
        }
    }
}

/// W160: an area in use in a year that has returns, with no code for that year.
fn check_years_without_code(
    file: &str,
    region: &Region,
    area: &Area,
    years: &BTreeSet<u16>,
    out: &mut Vec<Diagnostic>,
) {
    let missing: Vec<u16> = years
        .iter()
        .copied()
        .filter(|y| area.in_use_in(*y) && area.ons_code_in(*y).is_none())
        .collect();
    if missing.is_empty() {
        return;
    }
    let list = missing
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    out.push(
        Diagnostic::warning(
            "W160",
            file,
            format!(
                "area `{}` ({}) is in use in {list}, with returns for {}, but has no ONS code for {list}",
                area.id.value, area.name.value, region.name.value
            ),
        )
        .at_value(&area.id, area.id.value.chars().count())
        .help(
            "add `ons_code`, or an `ons_codes` entry valid in that year, from the ONS Code \
             History Database or Open Geography Portal",
        ),
    );
}

fn years_text(from: Option<u16>, until: Option<u16>) -> String {
    match (from, until) {
        (Some(f), Some(u)) => format!("from {f} to {u}"),
        (Some(f), None) => format!("from {f}"),
        (None, Some(u)) => format!("until {u}"),
        (None, None) => "in every year".into(),
    }
}
