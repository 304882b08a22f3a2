//! The directory's search index, cut into small files so that a search fetches only the few
//! it needs: a national directory's whole index is tens of megabytes, a phone's search a
//! few hundred kilobytes at most.
//!
//! In: the listed services, the areas each serves, the framework's categories and the
//! synonyms. Out: the files under `directory/search/`, each a script that hands its data
//! to `scopemapSearch(name, data)` (scripts, so that the search also works on pages opened
//! straight from disk, where a page cannot fetch files):
//!
//! - `meta.js`: the number of services, which term files exist, the filter values, the
//!   labels of the filter codes, the words the search ignores and the synonyms (as words);
//! - `t/<key>.js`: the terms whose first two letters are `<key>` (one letter for a one-letter
//!   term), each with its postings: the services it occurs in and in which kind of field;
//! - `d/<n>.js`: what a result shows of services `n × DOCS_PER_FILE` onwards;
//! - `f/<filter>/<value>.js`: the services a filter value keeps.
//!
//! Services are numbered in the order of their names, so a list of numbers is also a list
//! in name order, and services with similar names share the files of their details.
//!
//! Lists of numbers are written as text: each number is the gap to the one before it less
//! one (from -1 for the first), in groups of five bits, lowest first, one character of
//! `DIGITS` each, where a character from the second half of `DIGITS` says another group
//! follows. A posting is `gap × 4 + field`, where `field` says where the term occurs
//! (3 the name or alternate name, 2 provider, kind of service, intervention, area or town,
//! 1 the summary or who it is for, 0 only the description).

use super::SiteInput;
use crate::model::vocab::{AgeGroup, Delivery, Referral, ServiceStatus, Vocabulary};
use crate::model::{Area, Region, Service};
use crate::search_text::{STOP_WORDS, fold, words};
use crate::write::OutputFile;
use serde::Serialize;
use std::collections::BTreeMap;

/// How many services' details each `d/<n>.js` file holds: few enough that the first page
/// of results, whose services may each be in a different file, stays small.
pub const DOCS_PER_FILE: usize = 8;

/// The characters of the number lists (see the module's comment).
const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Where in a service's details a term occurs, from weakest to strongest.
const IN_DESCRIPTION: u8 = 0;
const IN_SUMMARY: u8 = 1;
const IN_FACTS: u8 = 2;
const IN_NAME: u8 = 3;

/// The filter value that finds services whose sources do not state a fact.
pub const NOT_STATED: &str = "not-stated";

/// One service as a result shows it.
#[derive(Serialize)]
struct Doc<'a> {
    id: &'a str,
    #[serde(rename = "n")]
    name: &'a str,
    #[serde(rename = "a", skip_serializing_if = "Option::is_none")]
    alt: Option<&'a str>,
    #[serde(rename = "s")]
    summary: &'a str,
    /// Left out when no source names the provider.
    #[serde(rename = "p", skip_serializing_if = "Option::is_none")]
    provider: Option<&'a str>,
    /// Its areas, named as of the year it is described in.
    #[serde(rename = "r")]
    areas: Vec<String>,
    #[serde(rename = "g")]
    ages: Vec<&'a str>,
    #[serde(rename = "d")]
    delivery: Vec<&'a str>,
    #[serde(rename = "f")]
    referral: Vec<&'a str>,
    /// Only for a service that is not simply active (`in-development`).
    #[serde(rename = "x", skip_serializing_if = "Option::is_none")]
    status: Option<&'a str>,
}

#[derive(Serialize)]
struct Meta<'a> {
    /// A digest of every other file, added to their addresses so that a browser never
    /// mixes files of two builds.
    v: String,
    /// How many services are indexed.
    n: usize,
    /// Services per details file.
    per: usize,
    /// The term files that exist, by key.
    keys: Vec<String>,
    /// For each filter, the values that have a file.
    filters: BTreeMap<&'static str, Vec<String>>,
    labels: BTreeMap<&'static str, BTreeMap<&'a str, String>>,
    stop: &'static [&'static str],
    /// Each group of synonyms, each phrase as its words.
    syn: Vec<Vec<Vec<String>>>,
}

/// The words of a service and where each occurs, strongest place kept.
fn terms_of(
    input: &SiteInput,
    s: &Service,
    served: &[(&Region, &Area)],
    category_names: &BTreeMap<&str, &str>,
) -> BTreeMap<String, u8> {
    let ds = input.dataset;
    let mut terms: BTreeMap<String, u8> = BTreeMap::new();
    let mut add = |text: &str, field: u8| {
        for w in words(text) {
            let slot = terms.entry(w).or_insert(field);
            *slot = (*slot).max(field);
        }
    };
    add(&s.name.value, IN_NAME);
    if let Some(alt) = &s.alternate_name {
        add(&alt.value, IN_NAME);
    }
    if let Some(org) = &s.organization {
        add(&org.name.value, IN_FACTS);
    }
    for c in &s.categories {
        add(
            category_names.get(c.value.as_str()).unwrap_or(&""),
            IN_FACTS,
        );
    }
    for i in &s.interventions {
        add(&i.value, IN_FACTS);
    }
    for label in crate::analyse::service_area_labels_as_described(ds, s) {
        add(&label, IN_FACTS);
    }
    // The areas it serves today, their regions and the towns they cover; and the towns of
    // the areas it names, when those are former areas.
    for (region, area) in served {
        add(&area.name.value, IN_FACTS);
        add(&region.name.value, IN_FACTS);
        for town in &area.covers {
            add(&town.value, IN_FACTS);
        }
    }
    for (_, area) in s.areas.iter().filter_map(|a| ds.area(&a.value)) {
        for town in &area.covers {
            add(&town.value, IN_FACTS);
        }
    }
    for region in s.regions.iter().filter_map(|r| ds.region(&r.value)) {
        add(&region.name.value, IN_FACTS);
    }
    add(&s.summary.value, IN_SUMMARY);
    if let Some(e) = &s.eligibility {
        add(&e.value, IN_SUMMARY);
    }
    add(&s.description.value, IN_DESCRIPTION);
    terms
}

/// Append `n` to a number list.
fn push_number(out: &mut String, mut n: usize) {
    loop {
        let low = n & 31;
        n >>= 5;
        if n == 0 {
            out.push(DIGITS[low] as char);
            return;
        }
        out.push(DIGITS[low | 32] as char);
    }
}

/// Service numbers, ascending, as a number list.
fn number_list(docs: impl IntoIterator<Item = usize>) -> String {
    let mut out = String::new();
    let mut next = 0;
    for d in docs {
        push_number(&mut out, d - next);
        next = d + 1;
    }
    out
}

/// The term file a term is in: its first two characters (terms are ASCII).
fn key_of(term: &str) -> &str {
    &term[..term.len().min(2)]
}

/// A file that hands `data` to the page's search script.
fn script(path: String, data: &impl Serialize) -> OutputFile {
    let name = path
        .trim_start_matches("directory/search/")
        .trim_end_matches(".js");
    let mut bytes = format!("scopemapSearch({},", serde_json::Value::from(name)).into_bytes();
    if serde_json::to_writer(&mut bytes, data).is_err() {
        bytes.truncate(0);
    }
    bytes.extend_from_slice(b");\n");
    OutputFile { path, bytes }
}

/// Every file of the search index.
pub fn search_files(input: &SiteInput) -> Vec<OutputFile> {
    let ds = input.dataset;
    let category_names: BTreeMap<&str, &str> = ds
        .framework()
        .map(|fw| {
            fw.categories
                .iter()
                .map(|c| (c.id.value.as_str(), c.name.value.as_str()))
                .collect()
        })
        .unwrap_or_default();
    let served_by = super::directory::served_areas(input);
    // Listed services in the order of their names.
    let mut services: Vec<(&Service, &[(&Region, &Area)])> = ds
        .services()
        .iter()
        .map(|s| &s.value)
        .zip(served_by.iter().map(Vec::as_slice))
        .filter(|(s, _)| super::directory::listed(s))
        .collect();
    services.sort_by_cached_key(|(s, _)| (fold(&s.name.value), s.id.value.clone()));

    let mut files = Vec::new();
    // Postings, term by term; services are visited in number order, so each list ascends.
    let mut postings: BTreeMap<String, Vec<(usize, u8)>> = BTreeMap::new();
    let mut filters: BTreeMap<&'static str, BTreeMap<String, Vec<usize>>> = BTreeMap::new();
    let mut docs = Vec::with_capacity(services.len());
    for (n, (s, served)) in services.iter().enumerate() {
        for (term, field) in terms_of(input, s, served, &category_names) {
            postings.entry(term).or_default().push((n, field));
        }
        let mut keep = |filter: &'static str, value: &str| {
            let list = filters
                .entry(filter)
                .or_default()
                .entry(value.to_string())
                .or_default();
            if list.last() != Some(&n) {
                list.push(n);
            }
        };
        for (_, area) in served.iter() {
            keep("area", &area.id.value);
        }
        for c in &s.categories {
            keep("category", &c.value);
        }
        for a in &s.age_groups {
            keep("age", &a.value);
        }
        for d in &s.delivery {
            keep("delivery", &d.value);
        }
        for r in &s.referral {
            keep("referral", &r.value);
        }
        if s.referral.is_empty() {
            keep("referral", NOT_STATED);
        }
        match &s.cost {
            Some(c) => keep("cost", &c.value),
            None => keep("cost", NOT_STATED),
        }
        docs.push(Doc {
            id: &s.id.value,
            name: &s.name.value,
            alt: s.alternate_name.as_ref().map(|a| a.value.as_str()),
            summary: &s.summary.value,
            provider: s.organization.as_ref().map(|o| o.name.value.as_str()),
            areas: crate::analyse::service_area_labels_as_described(ds, s),
            ages: s.age_groups.iter().map(|a| a.value.as_str()).collect(),
            delivery: s.delivery.iter().map(|d| d.value.as_str()).collect(),
            referral: s.referral.iter().map(|r| r.value.as_str()).collect(),
            status: (ServiceStatus::from_code(&s.status.value) != Some(ServiceStatus::Active))
                .then_some(s.status.value.as_str()),
        });
    }

    for (i, chunk) in docs.chunks(DOCS_PER_FILE).enumerate() {
        files.push(script(format!("directory/search/d/{i}.js"), &chunk));
    }

    // Term files: the terms sharing a key, in order, with their postings.
    let mut keys = Vec::new();
    let mut by_key: BTreeMap<&str, (Vec<&str>, Vec<String>)> = BTreeMap::new();
    for (term, list) in &postings {
        let (terms, lists) = by_key.entry(key_of(term)).or_default();
        terms.push(term);
        let mut encoded = String::with_capacity(list.len() + 8);
        let mut next = 0;
        for &(d, field) in list {
            push_number(&mut encoded, (d - next) * 4 + usize::from(field));
            next = d + 1;
        }
        lists.push(encoded);
    }
    for (key, (terms, lists)) in &by_key {
        keys.push(key.to_string());
        files.push(script(
            format!("directory/search/t/{key}.js"),
            &serde_json::json!({ "w": terms, "p": lists }),
        ));
    }

    let mut filter_values = BTreeMap::new();
    for (filter, values) in &filters {
        for (value, list) in values {
            files.push(script(
                format!("directory/search/f/{filter}/{value}.js"),
                &number_list(list.iter().copied()),
            ));
        }
        filter_values.insert(*filter, values.keys().cloned().collect::<Vec<_>>());
    }

    let synonyms = ds
        .synonyms
        .as_ref()
        .map(|s| {
            s.value
                .synonyms
                .iter()
                .map(|group| {
                    let mut phrases: Vec<Vec<String>> = Vec::new();
                    for phrase in &group.value {
                        let w = words(&phrase.value);
                        if !w.is_empty() && !phrases.contains(&w) {
                            phrases.push(w);
                        }
                    }
                    phrases
                })
                .filter(|phrases| phrases.len() > 1)
                .collect()
        })
        .unwrap_or_default();
    fn labels<V: Vocabulary>() -> BTreeMap<&'static str, String> {
        V::ALL
            .iter()
            .map(|v| (v.code(), v.label().to_string()))
            .collect()
    }
    let mut label_sets = BTreeMap::new();
    label_sets.insert("age", labels::<AgeGroup>());
    label_sets.insert("delivery", labels::<Delivery>());
    label_sets.insert("referral", labels::<Referral>());
    // Every other file's bytes, in path order, make the version.
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut digest = blake3::Hasher::new();
    for f in &files {
        digest.update(f.path.as_bytes());
        digest.update(&f.bytes);
    }
    let meta = Meta {
        v: digest.finalize().to_hex()[..12].to_string(),
        n: docs.len(),
        per: DOCS_PER_FILE,
        keys,
        filters: filter_values,
        labels: label_sets,
        stop: STOP_WORDS,
        syn: synonyms,
    };
    files.push(script("directory/search/meta.js".into(), &meta));
    files
}

#[cfg(test)]
mod tests {
    use super::{number_list, push_number};

    #[test]
    fn numbers_are_written_five_bits_to_a_character() {
        let mut s = String::new();
        push_number(&mut s, 0);
        push_number(&mut s, 31);
        push_number(&mut s, 32);
        push_number(&mut s, 1000);
        // 0 is A, 31 is f; 32 is 0 with a continuation (g), then 1 (B); 1000 is 8 + 31 × 32:
        // 8 with a continuation (o), then 31 (f).
        assert_eq!(s, "AfgBof");
        assert_eq!(number_list([0, 1, 2, 10]), "AAAH");
    }
}
