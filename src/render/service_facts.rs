//! What a service's page states, row by row, each stated fact with the numbers of the
//! sources that state it, and the list of those sources.
//!
//! In: the dataset, the framework and one service. Out: `ServiceFacts`, plain values for the
//! `service.html` template. A fact the file does not state is shown as "Not stated" or left
//! out; nothing here supplies a default. A closed service shows only what it was: who ran
//! it, where, what it offered, when it closed, and the sources.
//!
//! Kept in one file: a fact's row carries the numbers of its sources, which point into the
//! list of sources made beside it; the two are made together so the numbers always match.

use super::context::long_date;
use crate::analyse::{self, AreaRef};
use crate::model::vocab::{
    AgeGroup, Cost, Delivery, FundingStatus, Referral, ServiceStatus, Vocabulary, Weekday, label_of,
};
use crate::model::{
    Contact, Dataset, Framework, Location, OpeningTime, ReportPart, Service, Source, SourceKind,
    Spanned, year_and_id,
};
use serde::Serialize;

/// A piece of a row's value: text, optionally a link within the site (`link`, relative to
/// the site's root) or to elsewhere (`href`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub link: Option<String>,
    pub href: Option<String>,
}

impl Piece {
    fn text(text: impl Into<String>) -> Piece {
        Piece {
            text: text.into(),
            link: None,
            href: None,
        }
    }
    fn link(text: impl Into<String>, link: String) -> Piece {
        Piece {
            link: Some(link),
            ..Piece::text(text)
        }
    }
    fn href(text: impl Into<String>, href: &str) -> Piece {
        Piece {
            href: Some(href.to_string()),
            ..Piece::text(text)
        }
    }
}

/// A citation: the source's key (its anchor on the page) and its number in the list.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Cite {
    pub key: String,
    pub number: usize,
}

/// One row of the page's facts. `fact` names the field the row shows (none for rows that
/// are not facts needing a source, such as the type of service).
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub fact: Option<&'static str>,
    pub label: &'static str,
    pub pieces: Vec<Piece>,
    /// For a fact that is a list of things (locations, opening times): each thing on a
    /// line of its own, and `pieces` empty.
    pub lines: Vec<Vec<Piece>>,
    pub not_stated: bool,
    pub cites: Vec<Cite>,
}

/// One entry of the page's list of sources.
#[derive(Debug, Clone, Serialize)]
pub struct SourceEntry {
    pub key: String,
    pub number: usize,
    pub pieces: Vec<Piece>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ServiceFacts {
    pub rows: Vec<Row>,
    /// Telephone, e-mail and website rows; empty for a closed service.
    pub contact: Vec<Row>,
    /// Whether to show the contact section (not for a closed service).
    pub show_contact: bool,
    pub sources: Vec<SourceEntry>,
    /// The date of the newest dated source, as that source gives it ("May 2022").
    pub as_of: Option<String>,
    /// Where the details come from and when: "Last checked with the service on …", or the
    /// newest dated source and that nobody has checked them with the service since.
    pub dated: Option<String>,
}

pub fn service_facts(ds: &Dataset, fw: &Framework, s: &Service) -> ServiceFacts {
    let closed = s.is_closed();
    let cites = |fact: &str| -> Vec<Cite> {
        s.sources_of(fact)
            .iter()
            .filter_map(|key| {
                let number = s.sources.iter().position(|(k, _)| k.value == key.value)? + 1;
                Some(Cite {
                    key: key.value.clone(),
                    number,
                })
            })
            .collect()
    };
    let stated = |fact: &'static str, label: &'static str, pieces: Vec<Piece>| Row {
        fact: Some(fact),
        label,
        pieces,
        lines: Vec::new(),
        not_stated: false,
        cites: cites(fact),
    };
    // A fact that is a list of things, each on its own line; left out when none is stated.
    let lines = |fact: &'static str, label: &'static str, lines: Vec<Vec<Piece>>| {
        (!lines.is_empty()).then(|| Row {
            fact: Some(fact),
            label,
            pieces: Vec::new(),
            lines,
            not_stated: false,
            cites: cites(fact),
        })
    };
    let not_stated = |fact: &'static str, label: &'static str| Row {
        fact: Some(fact),
        label,
        pieces: Vec::new(),
        lines: Vec::new(),
        not_stated: true,
        cites: Vec::new(),
    };
    // A fact shown as a list of labels, or "Not stated" when the file states none.
    let listed = |fact: &'static str, label: &'static str, values: Vec<&str>| {
        if values.is_empty() {
            not_stated(fact, label)
        } else {
            stated(fact, label, vec![Piece::text(values.join(", "))])
        }
    };

    let mut rows = vec![match organization(s) {
        Some(pieces) => stated("organization", "Provided by", pieces),
        None => not_stated("organization", "Provided by"),
    }];
    if !closed {
        if let Some(e) = &s.eligibility {
            rows.push(stated(
                "eligibility",
                "Who it is for",
                vec![Piece::text(&e.value)],
            ));
        }
        rows.push(listed(
            "age_groups",
            "Ages",
            s.age_groups
                .iter()
                .map(|a| label_of::<AgeGroup>(&a.value))
                .collect(),
        ));
        rows.push(listed(
            "delivery",
            "How it is delivered",
            s.delivery
                .iter()
                .map(|d| label_of::<Delivery>(&d.value))
                .collect(),
        ));
        rows.push(if s.referral.is_empty() {
            not_stated("referral", "Who can refer")
        } else {
            let routes: Vec<&str> = s
                .referral
                .iter()
                .map(|r| label_of::<Referral>(&r.value))
                .collect();
            stated(
                "referral",
                "Who can refer",
                vec![Piece::text(routes.join("; "))],
            )
        });
        if let Some(h) = &s.how_to_access {
            rows.push(stated(
                "how_to_access",
                "How to get it",
                vec![Piece::text(&h.value)],
            ));
        }
    }
    rows.push(if s.states("areas") {
        stated("areas", "Where", areas(ds, s))
    } else {
        not_stated("areas", "Where")
    });
    if !closed {
        rows.extend(lines(
            "locations",
            "Locations",
            s.locations.iter().map(location).collect(),
        ));
        rows.extend(lines(
            "opening_times",
            "Opening times",
            s.opening_times
                .iter()
                .map(|o| vec![Piece::text(opening_time(o))])
                .collect(),
        ));
    }
    if !closed {
        rows.push(match &s.cost {
            Some(c) => stated(
                "cost",
                "Cost",
                vec![Piece::text(label_of::<Cost>(&c.value))],
            ),
            None => not_stated("cost", "Cost"),
        });
    }
    if !s.interventions.is_empty() {
        let label = if closed {
            "What it offered"
        } else {
            "What it offers"
        };
        let names: Vec<&str> = s.interventions.iter().map(|i| i.value.as_str()).collect();
        rows.push(stated(
            "interventions",
            label,
            vec![Piece::text(names.join(", "))],
        ));
    }
    rows.push(Row {
        fact: None,
        label: "Type of service",
        pieces: categories(fw, s),
        lines: Vec::new(),
        not_stated: false,
        cites: Vec::new(),
    });
    if !closed {
        rows.push(match funding(s) {
            Some(pieces) => stated("funding", "Funding", pieces),
            None => not_stated("funding", "Funding"),
        });
    }
    rows.push(stated("status", "Status", vec![Piece::text(status(s))]));

    let mut contact = Vec::new();
    if !closed {
        if let Some(p) = &s.phone {
            contact.push(stated(
                "phone",
                "Telephone",
                vec![Piece::href(&p.value, &tel(&p.value))],
            ));
        }
        if let Some(e) = &s.email {
            contact.push(stated(
                "email",
                "E-mail",
                vec![Piece::href(&e.value, &format!("mailto:{}", e.value))],
            ));
        }
        if let Some(u) = &s.url {
            contact.push(stated(
                "url",
                "Website",
                vec![Piece::href(&u.value, &u.value)],
            ));
        }
        for c in &s.contacts {
            contact.push(stated("contacts", "Contact person", named_contact(c)));
        }
    }
    let sources = s
        .sources
        .iter()
        .enumerate()
        .map(|(i, (key, source))| SourceEntry {
            key: key.value.clone(),
            number: i + 1,
            pieces: describe_source(ds, source),
        })
        .collect();
    let newest = analyse::newest_source_date(ds, s);
    ServiceFacts {
        rows,
        contact,
        show_contact: !closed,
        sources,
        as_of: newest.as_ref().map(|d| d.shown.clone()),
        dated: dated_line(ds, s, newest.as_ref()),
    }
}

/// Where the details come from and when. A check with the service is named as such;
/// otherwise the newest dated source is, with its date as it gives it, and (unless the
/// service has closed) that the details have not been checked with the service since.
fn dated_line(ds: &Dataset, s: &Service, newest: Option<&analyse::SourceDate>) -> Option<String> {
    if let Some(checked) = &s.last_checked {
        return Some(format!(
            "Last checked with the service on {}.",
            long_date(&checked.value)
        ));
    }
    let newest = newest?;
    let from = match newest.by {
        analyse::DatedBy::LastChecked => return None,
        analyse::DatedBy::Report(report) => format!(
            "in {} (version {}, {})",
            report.title.value.trim(),
            report.document.version.value.trim(),
            newest.shown
        ),
        analyse::DatedBy::Url(url) => match url.strip_prefix("file:") {
            Some(path) => format!("in the file {path}, read on {}", newest.shown),
            None => format!("on {url}, read on {}", newest.shown),
        },
        analyse::DatedBy::Return { year, area } => {
            let name = ds
                .area(area)
                .map_or(area.to_string(), |(_, a)| a.name.value.clone());
            format!("in the {year} return for {name}")
        }
    };
    Some(if s.is_closed() {
        format!("Details as given {from}.")
    } else {
        format!("Details as given {from}; not checked with the service since.")
    })
}

/// A named contact as "name, role", then their telephone number and e-mail address as
/// links; each part left out when the file does not state it.
fn named_contact(c: &Contact) -> Vec<Piece> {
    let said: Vec<&str> = [&c.name, &c.title]
        .into_iter()
        .flatten()
        .map(|v| v.value.as_str())
        .collect();
    let mut pieces = vec![Piece::text(said.join(", "))];
    if let Some(p) = &c.phone {
        pieces.push(Piece::text(", telephone "));
        pieces.push(Piece::href(&p.value, &tel(&p.value)));
    }
    if let Some(e) = &c.email {
        pieces.push(Piece::text(", e-mail "));
        pieces.push(Piece::href(&e.value, &format!("mailto:{}", e.value)));
    }
    pieces
}

/// A `tel:` address for a number as written: its spaces taken out.
fn tel(number: &str) -> String {
    let digits: String = number.chars().filter(|c| *c != ' ').collect();
    format!("tel:{digits}")
}

/// A location as an address is written on one line: its name, then the parts of the
/// address the file states ("Alphaton Family Hub, 1 High Street, Alphaton, AL1 2BC").
/// The country code is left out: every location of a UK directory is in the UK, and the
/// code is in the open data.
fn location(l: &Location) -> Vec<Piece> {
    let said: Vec<&str> = [&l.name, &l.address, &l.town, &l.county, &l.postcode]
        .into_iter()
        .flatten()
        .map(|v| v.value.as_str())
        .collect();
    vec![Piece::text(said.join(", "))]
}

/// Opening times as people say them: "Monday to Friday, 9:00 to 17:00", with what the
/// file says of them in words after a dash. Only what the file states: days without hours
/// are just the days, hours without days just the hours.
pub fn opening_time(o: &OpeningTime) -> String {
    let days = days_in_words(&o.days);
    let hours = match (&o.opens, &o.closes) {
        (Some(opens), Some(closes)) => Some(format!(
            "{} to {}",
            clock(&opens.value),
            clock(&closes.value)
        )),
        (Some(opens), None) => Some(format!("from {}", clock(&opens.value))),
        (None, Some(closes)) => Some(format!("until {}", clock(&closes.value))),
        (None, None) => None,
    };
    let when: Vec<String> = [days, hours].into_iter().flatten().collect();
    let when = when.join(", ");
    let when = match when.chars().next() {
        Some(first) => first.to_uppercase().chain(when.chars().skip(1)).collect(),
        None => when,
    };
    match (&o.description, when.is_empty()) {
        (Some(d), true) => d.value.clone(),
        (Some(d), false) => format!("{when} — {}", d.value),
        (None, _) => when,
    }
}

/// Days of the week in the week's order, a run of three or more as "Monday to Friday":
/// "Monday, Wednesday and Friday", "Monday to Wednesday and Saturday".
fn days_in_words(days: &[Spanned<String>]) -> Option<String> {
    let mut known: Vec<Weekday> = days
        .iter()
        .filter_map(|d| Weekday::from_code(&d.value))
        .collect();
    known.sort_unstable();
    known.dedup();
    let position = |d: Weekday| Weekday::ALL.iter().position(|w| *w == d).unwrap_or(0);
    let mut runs: Vec<Vec<Weekday>> = Vec::new();
    for day in known {
        match runs.last_mut() {
            Some(run)
                if run
                    .last()
                    .is_some_and(|l| position(*l) + 1 == position(day)) =>
            {
                run.push(day)
            }
            _ => runs.push(vec![day]),
        }
    }
    let mut parts: Vec<String> = Vec::new();
    for run in runs {
        match run.as_slice() {
            [first, .., last] if run.len() >= 3 => {
                parts.push(format!("{} to {}", first.label(), last.label()))
            }
            _ => parts.extend(run.iter().map(|d| d.label().to_string())),
        }
    }
    match parts.as_slice() {
        [] => None,
        [one] => Some(one.clone()),
        [rest @ .., last] => Some(format!("{} and {last}", rest.join(", "))),
    }
}

/// A time of day as the file writes it, `HH:MM`, shown without a leading zero ("9:00").
fn clock(hhmm: &str) -> String {
    match hhmm.strip_prefix('0') {
        Some(rest) if rest.len() == 4 => rest.to_string(),
        _ => hhmm.to_string(),
    }
}

/// Who runs the service, or `None` when no source names the provider.
fn organization(s: &Service) -> Option<Vec<Piece>> {
    let org = s.organization.as_ref()?;
    let name = &org.name.value;
    Some(vec![match &org.url {
        Some(u) => Piece::href(name, &u.value),
        None => Piece::text(name),
    }])
}

/// The service's areas named as of the year it is described in, each linked, with what an
/// area no longer in use is part of now ("Blackpool (now part of Fylde Coast)").
fn areas(ds: &Dataset, s: &Service) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let separate = |pieces: &mut Vec<Piece>| {
        if !pieces.is_empty() {
            pieces.push(Piece::text(", "));
        }
    };
    let link = |a: &AreaRef| Piece::link(&a.name, format!("areas/{}/index.html", a.id));
    let year = analyse::described_in(s).unwrap_or(u16::MAX);
    for named in analyse::service_areas_as_of(ds, s, year) {
        separate(&mut pieces);
        let Some(area) = &named.area else {
            pieces.push(Piece::text("areas now part of "));
            pieces.extend(named.now.iter().map(link));
            continue;
        };
        pieces.push(link(area));
        match named.now.as_slice() {
            [] => {}
            [only] if named.same_boundary => {
                pieces.push(Piece::text(format!(" (now the {} ", only.kind)));
                pieces.push(link(only));
                pieces.push(Piece::text(", same boundary)"));
            }
            now => {
                pieces.push(Piece::text(" (now part of "));
                for (i, n) in now.iter().enumerate() {
                    if i > 0 {
                        pieces.push(Piece::text(if i + 1 == now.len() { " and " } else { ", " }));
                    }
                    pieces.push(link(n));
                }
                pieces.push(Piece::text(")"));
            }
        }
    }
    for r in s.regions.iter().filter_map(|r| ds.region(&r.value)) {
        separate(&mut pieces);
        pieces.push(Piece::link(
            &r.name.value,
            format!("regions/{}/index.html", r.id.value),
        ));
        pieces.push(Piece::text(" (areas not stated)"));
    }
    pieces
}

fn categories(fw: &Framework, s: &Service) -> Vec<Piece> {
    let mut pieces = Vec::new();
    for c in s.categories.iter().filter_map(|c| fw.category(&c.value)) {
        if !pieces.is_empty() {
            pieces.push(Piece::text(", "));
        }
        pieces.push(Piece::link(
            &c.name.value,
            format!("categories/{}/index.html", c.id.value),
        ));
    }
    if pieces.is_empty() {
        pieces.push(Piece::text("None of the "));
        pieces.push(Piece::link(
            "rated categories",
            "method/index.html#the-eleven-service-categories".to_string(),
        ));
        pieces.push(Piece::text(match &s.not_categorised {
            Some(reason) => format!(": {}", reason.value),
            None => ".".to_string(),
        }));
    }
    pieces
}

/// What the file says of the funding, or `None` when it says nothing.
fn funding(s: &Service) -> Option<Vec<Piece>> {
    let f = s.funding.as_ref()?;
    let status = f
        .status
        .as_ref()
        .map(|st| match (FundingStatus::from_code(&st.value), &f.ends) {
            (Some(FundingStatus::FixedTerm), Some(ends)) => format!(
                "{}, until {}",
                FundingStatus::FixedTerm.label(),
                long_date(&ends.value)
            ),
            (Some(known), _) => known.label().to_string(),
            (None, _) => st.value.clone(),
        });
    let ends = match (&f.status, &f.ends) {
        (None, Some(ends)) => Some(format!("Funded until {}", long_date(&ends.value))),
        _ => None,
    };
    let parts: Vec<String> = [status, ends, f.source.as_ref().map(|s| s.value.clone())]
        .into_iter()
        .flatten()
        .collect();
    (!parts.is_empty()).then(|| vec![Piece::text(parts.join(" — "))])
}

fn status(s: &Service) -> String {
    match (ServiceStatus::from_code(&s.status.value), &s.closed) {
        (Some(ServiceStatus::Decommissioned), Some(when)) => {
            format!("{} ({})", ServiceStatus::Decommissioned.label(), when.value)
        }
        (Some(known), _) => known.label().to_string(),
        (None, _) => s.status.value.clone(),
    }
}

/// One source as the reader sees it: the report with the section's number and title as its
/// contents page prints them, the web page and the day it was read, or the return.
pub fn describe_source(ds: &Dataset, source: &Source) -> Vec<Piece> {
    match source.kind() {
        Some(SourceKind::Report { year, region, part }) => {
            let Some(report) = ds.report(year, region) else {
                return vec![Piece::text(format!("The {year} report for {region}"))];
            };
            let part = match part {
                ReportPart::Section(number) => {
                    let entry = report
                        .outline
                        .iter()
                        .find(|e| e.number.as_ref().is_some_and(|n| n.value == number));
                    match entry {
                        Some(e) => format!(
                            "section {number}, “{}” (page {})",
                            e.title.value, e.page.value
                        ),
                        None => format!("section {number}"),
                    }
                }
                ReportPart::Table(n) => caption("Table", n, &report.tables),
                ReportPart::TextBox(n) => caption("Text box", n, &report.text_boxes),
                ReportPart::Figure(n) => caption("Figure", n, &report.figures),
            };
            vec![Piece::text(format!(
                "{}, version {}, {}: {part}.",
                report.title.value, report.document.version.value, report.document.date.value
            ))]
        }
        Some(SourceKind::Url { url, checked }) => match url.strip_prefix("file:") {
            Some(path) => vec![Piece::text(format!(
                "The file {path}, read on {}.",
                long_date(checked)
            ))],
            None => vec![
                Piece::href(url, url),
                Piece::text(format!(", read on {}.", long_date(checked))),
            ],
        },
        Some(SourceKind::Return { year, area }) => {
            let name = ds
                .area(area)
                .map_or(area.to_string(), |(_, a)| a.name.value.clone());
            vec![Piece::text(format!("The {year} return for {name}."))]
        }
        None => vec![Piece::text(fallback(source))],
    }
}

fn caption(what: &str, number: u16, captions: &[crate::model::Caption]) -> String {
    match captions.iter().find(|c| c.number.value == number) {
        Some(c) => format!("{what} {number}, “{}”", c.title.value.trim_end_matches('.')),
        None => format!("{what} {number}"),
    }
}

/// A source `validate` would refuse, described from whatever it holds (never shown in a
/// site built from valid data).
fn fallback(source: &Source) -> String {
    let named = |v: &Option<Spanned<String>>| v.as_ref().map(|v| v.value.clone());
    named(&source.report)
        .or_else(|| named(&source.url))
        .or_else(|| named(&source.return_))
        .unwrap_or_default()
}

/// The reports a service cites, as (year, region id), for what its page depends on.
pub fn cited_reports(s: &Service) -> Vec<(u16, &str)> {
    let mut cited: Vec<(u16, &str)> = s
        .sources
        .iter()
        .filter_map(|(_, source)| year_and_id(&source.report.as_ref()?.value))
        .collect();
    cited.sort_unstable();
    cited.dedup();
    cited
}

#[cfg(test)]
mod tests {
    use super::opening_time;
    use crate::model::{OpeningTime, Spanned};

    fn times(
        days: &[&str],
        opens: Option<&str>,
        closes: Option<&str>,
        words: Option<&str>,
    ) -> String {
        let s = |v: &str| Spanned::synthetic(v.to_string());
        opening_time(&OpeningTime {
            description: words.map(s),
            days: days.iter().map(|d| s(d)).collect(),
            opens: opens.map(s),
            closes: closes.map(s),
        })
    }

    #[test]
    fn opening_times_read_as_people_say_them() {
        let weekdays = ["MO", "TU", "WE", "TH", "FR"];
        assert_eq!(
            times(&weekdays, Some("09:00"), Some("17:00"), None),
            "Monday to Friday, 9:00 to 17:00"
        );
        // Written out of order or twice, the days are still the week's.
        assert_eq!(
            times(
                &["FR", "MO", "WE", "MO"],
                Some("09:30"),
                Some("12:00"),
                None
            ),
            "Monday, Wednesday and Friday, 9:30 to 12:00"
        );
        assert_eq!(
            times(&["MO", "TU", "WE", "SA"], None, None, None),
            "Monday to Wednesday and Saturday"
        );
        assert_eq!(
            times(&["SA", "SU"], None, None, None),
            "Saturday and Sunday"
        );
        assert_eq!(
            times(&[], Some("10:00"), Some("18:30"), None),
            "10:00 to 18:30"
        );
        assert_eq!(
            times(&["TU"], Some("08:00"), None, None),
            "Tuesday, from 8:00"
        );
        assert_eq!(times(&[], None, Some("16:00"), None), "Until 16:00");
        assert_eq!(
            times(
                &["TH"],
                Some("13:00"),
                Some("15:00"),
                Some("Term time only")
            ),
            "Thursday, 13:00 to 15:00 — Term time only"
        );
        assert_eq!(
            times(&[], None, None, Some("By appointment")),
            "By appointment"
        );
    }
}
