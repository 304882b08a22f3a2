//! Rules for directory services: references, vocabularies, contacts and dates.

use super::common::{
    check_date, check_email, check_id, check_optional_text, check_text, check_unique, check_url,
    check_value,
};
use super::path_of;
use crate::diag::{Diagnostic, nearest};
use crate::model::vocab::{
    AgeGroup, Cost, Delivery, FundingStatus, IdentifierScheme, Referral, ReservedServiceId,
    ServiceStatus, Vocabulary, Weekday,
};
use crate::model::{Dataset, Service};

pub fn check(ds: &Dataset, out: &mut Vec<Diagnostic>) {
    check_remembering(ds, None, out);
}

/// What each service's own checks found, by the hash of the service's file, valid while
/// the files those checks also read (the framework and the regions) are unchanged. `serve`
/// keeps one between rebuilds, so an edit re-checks only the services that changed.
#[derive(Default)]
pub struct Memo {
    context: Option<blake3::Hash>,
    found: std::collections::HashMap<blake3::Hash, Vec<Diagnostic>>,
    /// What the whole directory gave last time, by the digest of every service's key: a
    /// rebuild that changed no service reuses it without looking at any one service.
    whole: Option<(blake3::Hash, Vec<Diagnostic>)>,
}

/// `check`, reusing what `memo` remembers; `memo` holds the source digests of `ds`
/// (`Dataset::digests`, in the order of `ds.sources`) and what was found.
pub fn check_remembering(
    ds: &Dataset,
    memo: Option<(&[blake3::Hash], &mut Memo)>,
    out: &mut Vec<Diagnostic>,
) {
    use rayon::prelude::*;
    let check_one = |loaded: &crate::model::Loaded<Service>| {
        let mut found = Vec::new();
        check_service(ds, loaded, &mut found);
        found
    };
    let Some((digests, memo)) = memo else {
        // Each service is checked on its own, so a national directory is checked in parallel.
        let found: Vec<Vec<Diagnostic>> = ds.services().par_iter().map(check_one).collect();
        out.extend(found.into_iter().flatten());
        check_unique_ids(ds, out);
        return;
    };
    let digest = |source: usize| digests.get(source).copied();
    let mut context = blake3::Hasher::new();
    for source in ds
        .framework
        .iter()
        .map(|f| f.source)
        .chain(ds.regions().iter().map(|r| r.source))
    {
        context.update(
            digest(source)
                .unwrap_or(blake3::Hash::from([0; 32]))
                .as_bytes(),
        );
    }
    let context = context.finalize();
    if memo.context != Some(context) {
        memo.found.clear();
        memo.whole = None;
        memo.context = Some(context);
    }
    // The key is the file's hash together with its path, which the diagnostics name.
    let key = |loaded: &crate::model::Loaded<Service>| {
        digest(loaded.source).map(|d| {
            let mut h = blake3::Hasher::new();
            h.update(d.as_bytes());
            h.update(path_of(ds, loaded.source).as_bytes());
            h.finalize()
        })
    };
    let keys: Vec<Option<blake3::Hash>> = ds.services().par_iter().map(key).collect();
    let mut whole = blake3::Hasher::new();
    for k in &keys {
        whole.update(k.unwrap_or(blake3::Hash::from([0; 32])).as_bytes());
    }
    let whole = whole.finalize();
    if let Some((known, found)) = &memo.whole
        && *known == whole
        && keys.iter().all(Option::is_some)
    {
        out.extend(found.iter().cloned());
        return;
    }
    let found: Vec<Vec<Diagnostic>> = ds
        .services()
        .par_iter()
        .zip(&keys)
        .map(|(loaded, key)| match key.and_then(|k| memo.found.get(&k)) {
            Some(found) => found.clone(),
            None => check_one(loaded),
        })
        .collect();
    memo.found.clear();
    let mut all = Vec::new();
    for (key, found) in keys.into_iter().zip(found) {
        all.extend(found.iter().cloned());
        if let Some(key) = key {
            memo.found.insert(key, found);
        }
    }
    check_unique_ids(ds, &mut all);
    out.extend(all.iter().cloned());
    memo.whole = Some((whole, all));
}

fn check_unique_ids(ds: &Dataset, out: &mut Vec<Diagnostic>) {
    check_unique(
        ds.services()
            .iter()
            .map(|s| (path_of(ds, s.source), &s.value.id)),
        "service",
        out,
    );
    check_unique(
        ds.services()
            .iter()
            .filter_map(|s| Some((path_of(ds, s.source), s.value.oruk_id.as_ref()?))),
        "Open Referral",
        out,
    );
}

fn check_service(ds: &Dataset, loaded: &crate::model::Loaded<Service>, out: &mut Vec<Diagnostic>) {
    let file = path_of(ds, loaded.source);
    let s = &loaded.value;
    check_id(file, &s.id, "service", out);
    if ReservedServiceId::from_code(&s.id.value).is_some() {
        out.push(
            Diagnostic::error(
                "E049",
                file,
                format!(
                    "the service id `{}` is used by the directory's own pages",
                    s.id.value
                ),
            )
            .at_value(&s.id, s.id.value.chars().count())
            .expected(format!(
                "an id other than {}",
                ReservedServiceId::codes().join(", ")
            ))
            .help("choose a longer id that names the service"),
        );
    }
    let stem = file
        .rsplit('/')
        .next()
        .unwrap_or("")
        .trim_end_matches(".yaml")
        .trim_end_matches(".yml");
    if stem != s.id.value {
        out.push(
            Diagnostic::error(
                "E015",
                file,
                format!(
                    "the service id `{}` does not match the file name `{stem}`",
                    s.id.value
                ),
            )
            .at_value(&s.id, s.id.value.chars().count())
            .help(format!(
                "rename the file to `{}.yaml` or set `id: {stem}`",
                s.id.value
            )),
        );
    }
    check_text(file, &s.name, "name", out);
    check_optional_text(file, &s.alternate_name, "alternate_name", out);
    if let Some(org) = &s.organization {
        check_text(file, &org.name, "organization.name", out);
    }
    check_text(file, &s.summary, "summary", out);
    check_text(file, &s.description, "description", out);
    check_optional_text(file, &s.eligibility, "eligibility", out);
    check_optional_text(file, &s.how_to_access, "how_to_access", out);
    check_references(ds, file, s, out);
    check_vocabularies(file, s, out);
    if let Some(u) = &s.url {
        check_url(file, u, "url", out);
    }
    if let Some(u) = s.organization.as_ref().and_then(|o| o.url.as_ref()) {
        check_url(file, u, "organization.url", out);
    }
    if let Some(e) = &s.email {
        check_email(file, e, "email", out);
    }
    if let Some(p) = &s.phone {
        check_phone(file, p, out);
    }
    if let Some(checked) = &s.last_checked {
        check_date(file, checked, "last_checked", out);
    }
    if let Some(changed) = &s.last_changed {
        check_date(file, changed, "last_changed", out);
    }
    if let Some(id) = &s.oruk_id {
        check_oruk_id(file, id, out);
    }
    check_empty_lists(file, &ds.sources[loaded.source].text, s, out);
    check_details(file, s, out);
    super::common::check_internal(file, &s.internal, out);
    check_funding(file, s, out);
    super::provenance::check_service(file, s, out);
    for i in &s.interventions {
        check_text(file, i, "interventions", out);
    }
}

fn check_references(ds: &Dataset, file: &str, s: &Service, out: &mut Vec<Diagnostic>) {
    check_categorised(file, s, out);
    if let Some(fw) = ds.framework() {
        for cat in &s.categories {
            if fw.category(&cat.value).is_none() {
                let ids = fw.categories.iter().map(|c| c.id.value.as_str());
                let mut d = Diagnostic::error(
                    "E021",
                    file,
                    format!("service names unknown category `{}`", cat.value),
                )
                .at_value(cat, cat.value.chars().count())
                .expected(format!(
                    "one of {}",
                    ids.clone().collect::<Vec<_>>().join(", ")
                ));
                d = match nearest(&cat.value, ids) {
                    Some(near) => d.help(format!("did you mean `{near}`?")),
                    None => d.help("use a category id from scoping-data/framework.yaml"),
                };
                out.push(d);
            }
        }
    }
    if s.areas.is_empty() && s.regions.is_empty() {
        out.push(
            Diagnostic::error("E046", file, "the service serves no areas")
                .at_value(&s.id, 1)
                .help("list the area ids it serves under `areas:`, or its region under `regions:` when the areas are not known"),
        );
    }
    for region in &s.regions {
        if ds.region(&region.value).is_none() {
            let mut d = Diagnostic::error(
                "E020",
                file,
                format!("service names unknown region `{}`", region.value),
            )
            .at_value(region, region.value.chars().count());
            d = match nearest(
                &region.value,
                ds.regions().iter().map(|r| r.value.id.value.as_str()),
            ) {
                Some(near) => d.help(format!("did you mean `{near}`?")),
                None => d.help("use a region id from scoping-data/regions/"),
            };
            out.push(d);
        }
    }
    let all: Vec<&str> = ds
        .regions()
        .iter()
        .flat_map(|r| r.value.areas.iter().map(|a| a.id.value.as_str()))
        .collect();
    for area in &s.areas {
        if ds.area(&area.value).is_none() {
            let mut d = Diagnostic::error(
                "E020",
                file,
                format!("service names unknown area `{}`", area.value),
            )
            .at_value(area, area.value.chars().count());
            d = match nearest(&area.value, all.iter().copied()) {
                Some(near) => d.help(format!("did you mean `{near}`?")),
                None => d.help("use an area id from scoping-data/regions/"),
            };
            out.push(d);
        }
    }
}

fn check_vocabularies(file: &str, s: &Service, out: &mut Vec<Diagnostic>) {
    for v in &s.age_groups {
        check_value::<AgeGroup>(file, v, out);
    }
    for v in &s.delivery {
        check_value::<Delivery>(file, v, out);
    }
    for v in &s.referral {
        check_value::<Referral>(file, v, out);
    }
    if let Some(c) = &s.cost {
        check_value::<Cost>(file, c, out);
    }
    check_value::<ServiceStatus>(file, &s.status, out);
    for ident in s.organization.iter().flat_map(|o| &o.identifiers) {
        check_value::<IdentifierScheme>(file, &ident.scheme, out);
        check_text(file, &ident.value, "identifier value", out);
    }
}

fn check_funding(file: &str, s: &Service, out: &mut Vec<Diagnostic>) {
    let Some(funding) = &s.funding else {
        return;
    };
    let fixed_term = funding.status.as_ref().filter(|status| {
        check_value::<FundingStatus>(file, status, out) == Some(FundingStatus::FixedTerm)
    });
    check_optional_text(file, &funding.source, "funding.source", out);
    if let Some(ends) = &funding.ends {
        check_date(file, ends, "funding.ends", out);
    } else if let Some(status) = fixed_term {
        out.push(
            Diagnostic::warning("W047", file, "fixed-term funding without an end date")
                .at_value(status, FundingStatus::FixedTerm.code().len())
                .help("add `ends: \"YYYY-MM-DD\"` under `funding:` so readers know when it stops"),
        );
    }
}

fn check_phone(file: &str, p: &crate::model::Spanned<String>, out: &mut Vec<Diagnostic>) {
    let digits = p.value.chars().filter(|c| c.is_ascii_digit()).count();
    let ok = (10..=13).contains(&digits)
        && p.value
            .chars()
            .all(|c| c.is_ascii_digit() || " +()-".contains(c));
    if !ok {
        out.push(
            Diagnostic::error(
                "E048",
                file,
                format!("`{}` is not a valid telephone number", p.value),
            )
            .at_value(p, p.value.chars().count())
            .expected("a UK number such as 0151 555 0100 or +44 151 555 0100")
            .help("write digits, spaces and an optional leading +"),
        );
    }
}

/// Named contacts, locations and opening times: each says something, days are days of the
/// week and times are written `HH:MM`.
fn check_details(file: &str, s: &Service, out: &mut Vec<Diagnostic>) {
    let empty = |what: &str, at: &crate::model::Spanned<String>| {
        Diagnostic::error("E263", file, format!("{what} with nothing in it"))
            .at_value(at, 1)
            .help("fill it in, or delete the entry")
    };
    for c in &s.contacts {
        check_optional_text(file, &c.name, "contacts.name", out);
        check_optional_text(file, &c.title, "contacts.title", out);
        if let Some(e) = &c.email {
            check_email(file, e, "contacts.email", out);
        }
        if let Some(p) = &c.phone {
            check_phone(file, p, out);
        }
        // A number or address alone is the service's, not a named contact's.
        if c.name.is_none() && c.title.is_none() {
            out.push(empty("a contact", &s.id));
        }
    }
    for l in &s.locations {
        for (v, field) in [
            (&l.name, "locations.name"),
            (&l.address, "locations.address"),
            (&l.town, "locations.town"),
            (&l.county, "locations.county"),
            (&l.postcode, "locations.postcode"),
            (&l.country, "locations.country"),
        ] {
            check_optional_text(file, v, field, out);
        }
        if [&l.name, &l.address, &l.town, &l.postcode]
            .iter()
            .all(|v| v.is_none())
        {
            out.push(empty("a location", &s.id));
        }
    }
    for o in &s.opening_times {
        check_optional_text(file, &o.description, "opening_times.description", out);
        for d in &o.days {
            check_value::<Weekday>(file, d, out);
        }
        for t in [&o.opens, &o.closes].into_iter().flatten() {
            let ok =
                t.value.len() == 5 && chrono::NaiveTime::parse_from_str(&t.value, "%H:%M").is_ok();
            if !ok {
                out.push(
                    Diagnostic::error("E262", file, format!("`{}` is not a time of day", t.value))
                        .at_value(t, t.value.chars().count().max(1))
                        .expected(
                            "a time written HH:MM on the 24-hour clock, in quotes, e.g. \"09:30\"",
                        )
                        .help("write the hours and minutes with a colon"),
                );
            }
        }
        if o.description.is_none() && o.days.is_empty() && o.opens.is_none() && o.closes.is_none() {
            out.push(empty("an opening time", &s.id));
        }
    }
}

/// An Open Referral id is a UUID, written as the export publishes it.
fn check_oruk_id(file: &str, id: &crate::model::Spanned<String>, out: &mut Vec<Diagnostic>) {
    let canonical = uuid::Uuid::parse_str(id.value.trim())
        .ok()
        .map(|u| u.hyphenated().to_string());
    if canonical.as_deref() != Some(id.value.as_str()) {
        let mut d = Diagnostic::error(
            "E261",
            file,
            format!("`{}` is not an Open Referral id (a UUID)", id.value),
        )
        .at_value(id, id.value.chars().count())
        .expected("a UUID in lowercase with hyphens, e.g. 3f7b145d-84af-42d7-8fae-eaca714b02b2");
        d = match canonical {
            Some(c) => d.help(format!("write it as `{c}`")),
            None => d.help("copy the service's `id` from the feed, or remove `oruk_id` to let the export make one"),
        };
        out.push(d);
    }
}

/// Age groups, delivery and referral may be left out (not stated), but not written as an
/// empty list, which would publish an empty row.
fn check_empty_lists(file: &str, text: &str, s: &Service, out: &mut Vec<Diagnostic>) {
    for (key, empty) in [
        ("age_groups", s.age_groups.is_empty()),
        ("delivery", s.delivery.is_empty()),
        ("referral", s.referral.is_empty()),
    ] {
        if !empty {
            continue;
        }
        // The list is empty: if the key is written at all, it is written empty.
        let Some((line, column)) = text.lines().enumerate().find_map(|(i, l)| {
            let rest = l.strip_prefix(key)?.strip_prefix(':')?;
            let value = rest.trim_start();
            Some((i + 1, key.len() + 2 + rest.len() - value.len()))
        }) else {
            continue;
        };
        out.push(
            Diagnostic::error("E260", file, format!("`{key}` is an empty list"))
                .at(line, column, 2)
                .expected(format!("at least one value, or no `{key}` at all"))
                .help(format!(
                    "list what a source states, or delete the `{key}` line when no source states it (the page then says \"Not stated\")"
                )),
        );
    }
}

/// A service is filed under at least one category, or says why it is none of them.
fn check_categorised(file: &str, s: &Service, out: &mut Vec<Diagnostic>) {
    match (&s.not_categorised, s.categories.is_empty()) {
        (None, true) => out.push(
            Diagnostic::error("E046", file, "the service has no categories")
                .at_value(&s.id, 1)
                .help(
                    "list its category ids under `categories:`; for a service that is none of \
                     the rated kinds, say why under `not_categorised:`",
                ),
        ),
        (Some(reason), false) => out.push(
            Diagnostic::error(
                "E165",
                file,
                "the service has categories and also says why it has none (`not_categorised`)",
            )
            .at_value(reason, reason.value.chars().count().max(1))
            .help("remove `not_categorised`, or empty `categories` if the service is none of the rated kinds"),
        ),
        (Some(reason), true) => super::common::check_text(file, reason, "not_categorised", out),
        (None, false) => {}
    }
}
