//! Rules for where a service's facts come from: its `sources` are well formed and exist,
//! and its `source_of` cites a known source for each fact it states and for nothing else.
//!
//! In: one service (`check_service`, which reads only the service's own file and so can be
//! remembered between rebuilds) or the whole dataset (`check_references`, which looks the
//! cited reports and returns up). Out: diagnostics E190–E199, E220, W190 and W191.

use super::common::{check_date, check_text, check_url};
use super::path_of;
use crate::diag::{Diagnostic, nearest};
use crate::model::{Dataset, FACTS, Report, Service, Source, Spanned, year_and_id};

/// Checks that need only the service's own file.
pub fn check_service(file: &str, s: &Service, out: &mut Vec<Diagnostic>) {
    if s.sources.is_empty() {
        out.push(
            Diagnostic::error("E198", file, "the service names no sources")
                .at_value(&s.id, s.id.value.chars().count().max(1))
                .help(
                    "add `sources:` with at least one source (a report section, a web page \
                     with the date it was read, or a return) and cite it under `source_of:`",
                ),
        );
    }
    for (key, source) in &s.sources {
        check_key(file, key, out);
        check_shape(file, key, source, out);
    }
    check_citations(file, s, out);
    // With no sources at all, E198 says what to do; a warning per fact would only repeat it.
    if !s.sources.is_empty() {
        check_unsourced_facts(file, s, out);
    }
    check_uncited_sources(file, s, out);
    check_placeholder_provider(file, s, out);
    if let Some(closed) = &s.closed {
        check_text(file, closed, "closed", out);
        if !s.is_closed() {
            out.push(
                Diagnostic::error(
                    "E199",
                    file,
                    format!(
                        "`closed: {}` on a service whose status is `{}`",
                        closed.value, s.status.value
                    ),
                )
                .at_value(closed, closed.value.chars().count().max(1))
                .expected("`closed` only with `status: decommissioned`")
                .help("remove `closed`, or set `status: decommissioned` if the service has closed"),
            );
        }
    }
}

/// Whether an organisation name says that the provider is not known rather than naming
/// one: "Provider not named in the report", "Not stated", "Unknown", "TBC", "n/a".
pub fn is_placeholder_provider(name: &str) -> bool {
    let lower = name.trim().to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '/'))
        .filter(|w| !w.is_empty())
        .collect();
    let phrase = words.join(" ");
    const PHRASES: &[&str] = &[
        "not named",
        "not stated",
        "not known",
        "not given",
        "not specified",
        "not recorded",
        "to be confirmed",
        "to be decided",
    ];
    const WORDS: &[&str] = &["unknown", "tbc", "tbd", "n/a", "unnamed", "unspecified"];
    let padded = format!(" {phrase} ");
    phrase.is_empty()
        || phrase.starts_with("provider not")
        || matches!(phrase.as_str(), "none" | "na" | "various" | "n a")
        || PHRASES.iter().any(|p| padded.contains(&format!(" {p} ")))
        || words.iter().any(|w| WORDS.contains(w))
}

/// An organisation whose name says the provider is not known is a placeholder posing as a
/// fact: a page would show it as who runs the service.
fn check_placeholder_provider(file: &str, s: &Service, out: &mut Vec<Diagnostic>) {
    let Some(org) = &s.organization else {
        return;
    };
    let name = &org.name;
    if name.value.trim().is_empty() || !is_placeholder_provider(&name.value) {
        return;
    }
    out.push(
        Diagnostic::error(
            "E220",
            file,
            format!(
                "`organization.name` is \"{}\", which names no provider",
                name.value.trim()
            ),
        )
        .at_value(name, name.value.chars().count().max(1))
        .expected("the name of the organisation that runs the service, as a source gives it")
        .help("leave out `organization` when no source names the provider"),
    );
}

/// A source key is also the anchor of the source on the service's page: lowercase letters,
/// digits, hyphens and dots (as in `lsc-2.4`), starting with a letter or digit.
fn check_key(file: &str, key: &Spanned<String>, out: &mut Vec<Diagnostic>) {
    let k = key.value.as_str();
    let ok = k.len() <= 80
        && k.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && k.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.');
    if !ok {
        let suggestion: String = k
            .to_lowercase()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' {
                    c
                } else {
                    '-'
                }
            })
            .collect::<String>()
            .trim_matches(|c| c == '-' || c == '.')
            .to_string();
        let d = Diagnostic::error(
            "E198",
            file,
            format!("the source key `{k}` is not a valid key"),
        )
        .at_value(key, k.chars().count().max(1))
        .expected(
            "lowercase letters, digits, hyphens and dots, at most 80 characters, e.g. `lsc-2.4`",
        );
        out.push(if suggestion.is_empty() {
            d.help("name the source with a short key such as `report-2.4` or `website`")
        } else {
            d.help(format!("write it as `{suggestion}`"))
        });
    }
}

/// Exactly one of `report`, `url`, `return`; exactly one part of a report; `checked` with
/// a web page only.
fn check_shape(file: &str, key: &Spanned<String>, source: &Source, out: &mut Vec<Diagnostic>) {
    let kinds: Vec<(&str, &Spanned<String>)> = [
        ("report", &source.report),
        ("url", &source.url),
        ("return", &source.return_),
    ]
    .into_iter()
    .filter_map(|(name, v)| v.as_ref().map(|v| (name, v)))
    .collect();
    let k = &key.value;
    match kinds.as_slice() {
        [] => out.push(
            Diagnostic::error(
                "E190",
                file,
                format!("the source `{k}` says neither `report`, `url` nor `return`"),
            )
            .at_value(key, k.chars().count().max(1))
            .expected("exactly one of `report: <year>/<region-id>`, `url:` with `checked:`, or `return: <year>/<area-id>`")
            .help("say what the source is: a report and its section, a web page and the date it was read, or a return"),
        ),
        [(first, _), (second, value), ..] => out.push(
            Diagnostic::error(
                "E190",
                file,
                format!("the source `{k}` is both a `{first}` and a `{second}`"),
            )
            .at_value(value, value.value.chars().count().max(1))
            .expected("exactly one of `report`, `url` or `return` per source")
            .help(format!("make `{second}` a source of its own, with its own key")),
        ),
        [(kind, value)] => check_one_kind(file, k, kind, value, source, out),
    }
}

fn check_one_kind(
    file: &str,
    key: &str,
    kind: &str,
    value: &Spanned<String>,
    source: &Source,
    out: &mut Vec<Diagnostic>,
) {
    let parts: Vec<(&str, usize, usize, String)> = [
        source
            .section
            .as_ref()
            .map(|v| ("section", v.line, v.column, v.value.clone())),
        source
            .table
            .as_ref()
            .map(|v| ("table", v.line, v.column, v.value.to_string())),
        source
            .text_box
            .as_ref()
            .map(|v| ("text_box", v.line, v.column, v.value.to_string())),
        source
            .figure
            .as_ref()
            .map(|v| ("figure", v.line, v.column, v.value.to_string())),
    ]
    .into_iter()
    .flatten()
    .collect();
    let width = value.value.chars().count().max(1);
    if kind == "report" {
        match parts.as_slice() {
            [] => out.push(
                Diagnostic::error(
                    "E191",
                    file,
                    format!("the report source `{key}` names no section, table, text box or figure"),
                )
                .at_value(value, width)
                .expected("one of `section: \"2.4\"`, `table: 2`, `text_box: 1` or `figure: 3`")
                .help("add the part of the report that states the facts, as its contents page or caption numbers it"),
            ),
            [_] => {}
            [(first, ..), (second, line, column, text), ..] => out.push(
                Diagnostic::error(
                    "E191",
                    file,
                    format!("the report source `{key}` names both a `{first}` and a `{second}`"),
                )
                .at(*line, *column, text.chars().count())
                .expected("one part of the report per source")
                .help(format!("make the `{second}` a source of its own, with its own key")),
            ),
        }
        if let Some(section) = &source.section {
            check_text(file, section, "section", out);
        }
        if year_and_id(&value.value).is_none() {
            out.push(
                Diagnostic::error(
                    "E192",
                    file,
                    format!("`{}` does not name a report", value.value),
                )
                .at_value(value, width)
                .expected("<year>/<region-id>, e.g. 2022/cheshire-and-merseyside")
                .help("write the report's year and region id, as in its path under scoping-data/reports/"),
            );
        }
    } else if let Some((part, line, column, text)) = parts.first() {
        out.push(
            Diagnostic::error(
                "E191",
                file,
                format!("the source `{key}` is a `{kind}`, which has no `{part}`"),
            )
            .at(*line, *column, text.chars().count())
            .expected("`section`, `table`, `text_box` and `figure` only with `report`")
            .help(format!(
                "remove `{part}`, or make the source a `report:` if the {part} is a report's"
            )),
        );
    }
    match (kind, &source.checked) {
        ("url", None) => out.push(
            Diagnostic::error(
                "E191",
                file,
                format!("the web page source `{key}` does not say when it was read"),
            )
            .at_value(value, width)
            .expected("`checked: \"YYYY-MM-DD\"` with `url`")
            .help("add `checked:` with the date someone read the page"),
        ),
        ("url", Some(checked)) => {
            check_date(file, checked, "checked", out);
        }
        (_, Some(checked)) => out.push(
            Diagnostic::error(
                "E191",
                file,
                format!("the source `{key}` is a `{kind}`, which has no `checked` date"),
            )
            .at_value(checked, checked.value.chars().count().max(1))
            .expected("`checked` only with `url`")
            .help("remove `checked`; a report or return is dated by its year"),
        ),
        _ => {}
    }
    if kind == "url" {
        // An imported feed read from a file is cited as `file:<path>`.
        if value
            .value
            .strip_prefix("file:")
            .is_none_or(|p| p.trim().is_empty())
        {
            check_url(file, value, "url", out);
        }
    }
    if kind == "return" && year_and_id(&value.value).is_none() {
        out.push(
            Diagnostic::error(
                "E194",
                file,
                format!("`{}` does not name a return", value.value),
            )
            .at_value(value, width)
            .expected("<year>/<area-id>, e.g. 2023/blackpool")
            .help(
                "write the return's year and area id, as in its path under scoping-data/returns/",
            ),
        );
    }
}

/// Each `source_of` entry names a known fact that the file states, and known sources.
fn check_citations(file: &str, s: &Service, out: &mut Vec<Diagnostic>) {
    let keys: Vec<&str> = s.sources.iter().map(|(k, _)| k.value.as_str()).collect();
    for (fact, cited) in &s.source_of {
        let f = fact.value.as_str();
        let width = f.chars().count().max(1);
        if !FACTS.contains(&f) {
            let help =
                match f {
                    "regions" => "`regions` is covered by `areas`: cite its sources under `areas`"
                        .to_string(),
                    "closed" => "`closed` is covered by `status`: cite its sources under `status`"
                        .to_string(),
                    _ => match nearest(f, FACTS.iter().copied()) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None => "name a fact by its field name".to_string(),
                    },
                };
            out.push(
                Diagnostic::error(
                    "E195",
                    file,
                    format!("`source_of` names `{f}`, which is not a fact"),
                )
                .at_value(fact, width)
                .expected(format!("one of {}", FACTS.join(", ")))
                .help(help),
            );
            continue;
        }
        if !s.states(f) {
            out.push(
                Diagnostic::error(
                    "E197",
                    file,
                    format!("`source_of` cites a source for `{f}`, which the file does not state"),
                )
                .at_value(fact, width)
                .help(format!(
                    "remove `{f}` from `source_of`, or write the `{f}` the source states"
                )),
            );
        }
        for key in &cited.0 {
            if keys.contains(&key.value.as_str()) {
                continue;
            }
            let mut d = Diagnostic::error(
                "E196",
                file,
                format!(
                    "`source_of.{f}` cites `{}`, which is not under `sources`",
                    key.value
                ),
            )
            .at_value(key, key.value.chars().count().max(1));
            d = if keys.is_empty() {
                d.help("add the source under `sources:` with this key")
            } else {
                d = d.expected(format!("one of {}", keys.join(", ")));
                match nearest(&key.value, keys.iter().copied()) {
                    Some(near) => d.help(format!("did you mean `{near}`?")),
                    None => d.help("add the source under `sources:` with this key"),
                }
            };
            out.push(d);
        }
    }
}

/// A fact the file states with no `source_of` entry would be shown without a source.
fn check_unsourced_facts(file: &str, s: &Service, out: &mut Vec<Diagnostic>) {
    for fact in FACTS {
        if !s.states(fact) || !s.sources_of(fact).is_empty() {
            continue;
        }
        let (line, column, width) = fact_position(s, fact);
        out.push(
            Diagnostic::warning(
                "W190",
                file,
                format!("`{fact}` is shown with no source"),
            )
            .at(line, column, width)
            .help(format!(
                "add `{fact}: <source key>` under `source_of:` naming the source that states it, or remove `{fact}` if no source does"
            )),
        );
    }
}

/// Where a fact is written, for pointing at it: its first value.
fn fact_position(s: &Service, fact: &str) -> (usize, usize, usize) {
    let at = |v: &Spanned<String>| (v.line, v.column, v.value.chars().count().max(1));
    let first = |list: &[Spanned<String>]| list.first().map(at);
    let found = match fact {
        "organization" => s.organization.as_ref().map(|o| at(&o.name)),
        "areas" => first(&s.areas).or_else(|| first(&s.regions)),
        "age_groups" => first(&s.age_groups),
        "eligibility" => s.eligibility.as_ref().map(at),
        "delivery" => first(&s.delivery),
        "referral" => first(&s.referral),
        "how_to_access" => s.how_to_access.as_ref().map(at),
        "cost" => s.cost.as_ref().map(at),
        "funding" => s.funding.as_ref().and_then(|f| {
            f.status
                .as_ref()
                .or(f.source.as_ref())
                .or(f.ends.as_ref())
                .map(at)
        }),
        "interventions" => first(&s.interventions),
        "url" => s.url.as_ref().map(at),
        "email" => s.email.as_ref().map(at),
        "phone" => s.phone.as_ref().map(at),
        "status" => Some(at(&s.status)),
        _ => None,
    };
    found.unwrap_or((s.id.line, s.id.column, 1))
}

fn check_uncited_sources(file: &str, s: &Service, out: &mut Vec<Diagnostic>) {
    for (key, _) in &s.sources {
        let cited = s
            .source_of
            .iter()
            .any(|(_, keys)| keys.0.iter().any(|k| k.value == key.value));
        if !cited {
            out.push(
                Diagnostic::warning(
                    "W191",
                    file,
                    format!("the source `{}` is cited for no fact", key.value),
                )
                .at_value(key, key.value.chars().count().max(1))
                .help(format!(
                    "cite `{}` under `source_of:` for the facts it states, or remove it",
                    key.value
                )),
            );
        }
    }
}

/// The reports and returns the services cite exist, and so do the parts of reports cited.
pub fn check_references(ds: &Dataset, out: &mut Vec<Diagnostic>) {
    let returns: rustc_hash::FxHashSet<(u16, &str)> = ds
        .returns
        .iter()
        .map(|r| (r.value.year.value, r.value.area.value.as_str()))
        .collect();
    let reports: rustc_hash::FxHashMap<(u16, &str), &Report> = ds
        .reports
        .iter()
        .map(|r| {
            (
                (r.value.year.value, r.value.region.value.as_str()),
                &r.value,
            )
        })
        .collect();
    let report_names: Vec<String> = ds
        .reports
        .iter()
        .map(|r| format!("{}/{}", r.value.year.value, r.value.region.value))
        .collect();
    for loaded in ds.services() {
        let file = path_of(ds, loaded.source);
        for (_, source) in &loaded.value.sources {
            if let Some(reference) = &source.report
                && let Some((year, region)) = year_and_id(&reference.value)
            {
                match reports.get(&(year, region)) {
                    Some(report) => check_parts(file, reference, report, source, out),
                    None => out.push(unknown_report(file, reference, &report_names)),
                }
            }
            if let Some(reference) = &source.return_
                && let Some((year, area)) = year_and_id(&reference.value)
                && !returns.contains(&(year, area))
            {
                out.push(unknown_return(ds, file, reference, year, area));
            }
        }
    }
}

fn unknown_report(file: &str, reference: &Spanned<String>, known: &[String]) -> Diagnostic {
    let mut d = Diagnostic::error(
        "E192",
        file,
        format!("there is no report `{}`", reference.value),
    )
    .at_value(reference, reference.value.chars().count().max(1));
    if !known.is_empty() {
        d = d.expected(format!("one of {}", known.join(", ")));
    }
    match nearest(&reference.value, known.iter().map(String::as_str)) {
        Some(near) => d.help(format!("did you mean `{near}`?")),
        None => d.help(format!(
            "cite a report that has a file scoping-data/reports/{}.yaml",
            reference.value
        )),
    }
}

fn unknown_return(
    ds: &Dataset,
    file: &str,
    reference: &Spanned<String>,
    year: u16,
    area: &str,
) -> Diagnostic {
    let d = Diagnostic::error(
        "E194",
        file,
        format!("there is no return `{}`", reference.value),
    )
    .at_value(reference, reference.value.chars().count().max(1));
    let same_year: Vec<String> = ds
        .returns
        .iter()
        .filter(|r| r.value.year.value == year)
        .map(|r| format!("{year}/{}", r.value.area.value))
        .collect();
    let help = match nearest(&reference.value, same_year.iter().map(String::as_str)) {
        Some(near) => format!("did you mean `{near}`?"),
        None => format!(
            "cite a return that exists: scoping-data/returns/{year}/<region-id>/{area}.yaml"
        ),
    };
    d.help(help)
}

/// The cited section, table, text box or figure is listed in the report.
fn check_parts(
    file: &str,
    reference: &Spanned<String>,
    report: &Report,
    source: &Source,
    out: &mut Vec<Diagnostic>,
) {
    let name = &reference.value;
    if let Some(section) = &source.section
        && !report.has_section(&section.value)
    {
        let numbers: Vec<&str> = report
            .outline
            .iter()
            .filter_map(|e| e.number.as_ref().map(|n| n.value.as_str()))
            .collect();
        let mut d = Diagnostic::error(
            "E193",
            file,
            format!("the report `{name}` has no section {}", section.value),
        )
        .at_value(section, section.value.chars().count().max(1));
        if numbers.is_empty() {
            d = d.help(format!(
                "add the report's contents page as `outline:` in scoping-data/reports/{name}.yaml"
            ));
        } else {
            d = d.expected(format!("one of {}", numbers.join(", ")));
            d = match nearest(&section.value, numbers.iter().copied()) {
                Some(near) => d.help(format!(
                    "cite a section the report's contents page lists: did you mean `{near}`?"
                )),
                None => d.help("cite a section the report's contents page lists"),
            };
        }
        out.push(d);
    }
    let numbered = [
        ("table", "tables", &source.table, &report.tables),
        (
            "text box",
            "text_boxes",
            &source.text_box,
            &report.text_boxes,
        ),
        ("figure", "figures", &source.figure, &report.figures),
    ];
    for (what, list, cited, captions) in numbered {
        let Some(cited) = cited else { continue };
        if captions.iter().any(|c| c.number.value == cited.value) {
            continue;
        }
        let numbers: Vec<String> = captions
            .iter()
            .map(|c| c.number.value.to_string())
            .collect();
        let mut d = Diagnostic::error(
            "E193",
            file,
            format!("the report `{name}` has no {what} {}", cited.value),
        )
        .at_value(cited, cited.value.to_string().len());
        d = if numbers.is_empty() {
            d.help(format!(
                "the report lists no {list}; add them as `{list}:` in scoping-data/reports/{name}.yaml"
            ))
        } else {
            d.expected(format!("one of {}", numbers.join(", ")))
                .help(format!("cite a {what} the report lists under `{list}:`"))
        };
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::is_placeholder_provider;

    #[test]
    fn placeholders_are_told_from_names() {
        for placeholder in [
            "Provider not named in the 2022 scoping report",
            "Not stated",
            "not known",
            "Unknown",
            "TBC",
            "tbd",
            "N/A",
            "n/a",
            "Provider not yet confirmed",
            "Organisation to be confirmed",
            "?",
        ] {
            assert!(is_placeholder_provider(placeholder), "{placeholder}");
        }
        for name in [
            "Mersey Care NHS Foundation Trust",
            "NCT",
            "Home-Start",
            "PSS and Everton in the Community",
            "Blackpool Council",
            "Nottingham Trent University",
            "Knowsley Metropolitan Borough Council",
        ] {
            assert!(!is_placeholder_provider(name), "{name}");
        }
    }
}
