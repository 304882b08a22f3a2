//! What every template receives: the site settings, navigation, the rating key, and the
//! relative path back to the root.

use super::{OutputFile, SiteInput, root_prefix};
use crate::model::Dataset;
use serde::Serialize;

#[derive(Serialize)]
pub struct SiteContext<'a> {
    pub title: &'a str,
    pub tagline: Option<&'a str>,
    pub language: &'a str,
    pub base_url: &'a str,
    pub publisher: &'a str,
    pub publisher_url: Option<&'a str>,
    pub publisher_email: Option<&'a str>,
    pub caveat: &'a str,
    pub licence: &'a str,
    pub licence_url: &'a str,
    /// "25 November 2026" style from settings, else the newest report's ratings date as
    /// that report gives it ("May 2022" for a re-presented one); never the clock. `None`
    /// when neither states a date: no "data as of" is shown.
    pub build_date: Option<String>,
}

#[derive(Serialize, Clone)]
pub struct NavLink {
    pub title: String,
    /// Path from the root, e.g. `about/`.
    pub path: String,
}

#[derive(Serialize)]
pub struct RatingKey<'a> {
    pub code: &'a str,
    pub label: &'a str,
    pub definition: &'a str,
    pub glyph: &'a str,
}

pub fn site_context<'a>(input: &'a SiteInput) -> SiteContext<'a> {
    let c = input.config;
    SiteContext {
        title: &c.title.value,
        tagline: c.tagline.as_ref().map(|t| t.value.as_str()),
        language: &c.language.value,
        base_url: &c.base_url.value,
        publisher: &c.publisher.name.value,
        publisher_url: c.publisher.url.as_ref().map(|u| u.value.as_str()),
        publisher_email: c.publisher.email.as_ref().map(|u| u.value.as_str()),
        caveat: &c.caveat.value,
        licence: &c.data_licence.name.value,
        licence_url: &c.data_licence.url.value,
        build_date: build_date_shown(input),
    }
}

/// The build date as `YYYY-MM-DD`: configured, else the newest report's data date; `None`
/// for a site with neither.
pub fn build_date(input: &SiteInput) -> Option<String> {
    if let Some(d) = &input.config.build_date {
        return Some(d.value.clone());
    }
    input
        .dataset
        .reports
        .iter()
        .map(|r| r.value.data_as_of.value.clone())
        .max()
}

/// The build date as pages show it: the configured day, else the date of the newest
/// report's ratings as that report gives it (no day a re-presented source does not state);
/// `None` for a site with neither.
pub fn build_date_shown(input: &SiteInput) -> Option<String> {
    if let Some(d) = &input.config.build_date {
        return Some(long_date(&d.value));
    }
    // The first of the newest reports, as `build_date` takes the newest date.
    let mut newest: Option<&crate::model::Report> = None;
    for r in input.dataset.reports.iter().map(|r| &r.value) {
        if newest.is_none_or(|n| r.data_as_of.value > n.data_as_of.value) {
            newest = Some(r);
        }
    }
    newest.map(ratings_date)
}

/// The date a report's ratings describe, as pages show it: for a re-presented document
/// its date as printed there ("May 2022"), never with a day the source does not state;
/// otherwise `data_as_of` in full.
pub fn ratings_date(r: &crate::model::Report) -> String {
    match &r.re_presented {
        Some(_) => r.document.date.value.trim().to_string(),
        None => long_date(&r.data_as_of.value),
    }
}

/// `2022-05-01` → `1 May 2022`.
pub fn long_date(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(|d| d.format("%-d %B %Y").to_string())
        .unwrap_or_else(|_| iso.to_string())
}

pub fn ratings_key(ds: &Dataset) -> Vec<RatingKey<'_>> {
    ds.framework()
        .map(|fw| {
            fw.ratings
                .iter()
                .map(|r| RatingKey {
                    code: &r.code.value,
                    label: &r.label.value,
                    definition: &r.definition.value,
                    glyph: &r.glyph.value,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The parts of every page's context that are the same on every page, as template values.
/// A template value holds its contents behind a reference count, so each page's context
/// takes them without copying.
pub struct BaseValues {
    site: tera::Value,
    ratings: tera::Value,
    audience: tera::Value,
}

impl BaseValues {
    fn new(input: &SiteInput) -> BaseValues {
        BaseValues {
            site: tera::Value::from_serializable(&site_context(input)),
            ratings: tera::Value::from_serializable(&ratings_key(input.dataset)),
            audience: tera::Value::from_serializable(&input.audience),
        }
    }
}

/// What every page's template receives, whatever the page: each page's own context takes it
/// whole (`#[serde(flatten)]`), and so do the partials rendered for a page. Each field is a
/// variable of the same name in the templates; docs/themes.md lists them under "Context
/// every page receives".
#[derive(Serialize)]
pub struct Base<'a> {
    /// The site settings from `scopemap.yaml` (a `SiteContext`), the same on every page.
    pub site: tera::Value,
    /// The relative path from the page back to the site root (`""`, `"../"`, …); on
    /// `404.html`, where the site is published.
    pub root: String,
    /// The page's path without `index.html` (`"about/"`, `""` for the home page).
    pub page_path: String,
    /// The main menu: the directory, then the content pages that have an `order`.
    pub nav: &'a [NavLink],
    /// The rating scale of the framework (`RatingKey`s), the same on every page.
    pub ratings: tera::Value,
    /// `"public"` or `"internal"`: which build this is.
    pub audience: tera::Value,
    /// A `mailto:` link to the publisher whose subject names the page, or `None` when the
    /// settings give no email address.
    pub report_problem: Option<String>,
}

/// What every page's context starts from, for the page at `path`.
pub fn base_context<'a>(input: &SiteInput, path: &str, nav: &'a [NavLink]) -> Base<'a> {
    let base = input.base_values.get_or_init(|| BaseValues::new(input));
    let page_path = path.trim_end_matches("index.html");
    Base {
        site: base.site.clone(),
        root: root_prefix(path),
        page_path: page_path.to_string(),
        nav,
        ratings: base.ratings.clone(),
        audience: base.audience.clone(),
        report_problem: input
            .config
            .publisher
            .email
            .as_ref()
            .map(|e| report_problem_href(&e.value, &input.config.base_url.value, page_path)),
    }
}

/// A `mailto:` link whose subject names the page, as published under `base_url`.
pub fn report_problem_href(email: &str, base_url: &str, page_path: &str) -> String {
    let page = format!("{}/{page_path}", base_url.trim_end_matches('/'));
    format!(
        "mailto:{email}?subject={}",
        percent_encode(&format!("Problem with the page {page}"))
    )
}

/// Every byte but the unreserved characters of RFC 3986 written as `%XX`.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Rating colours from the framework, so a changed palette needs no CSS edit.
pub fn ratings_css(ds: &Dataset) -> OutputFile {
    let mut css = String::from("/* Generated from scoping-data/framework.yaml. */\n");
    if let Some(fw) = ds.framework() {
        for r in &fw.ratings {
            let code = r
                .code
                .value
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect::<String>();
            let fill = r
                .fill
                .value
                .chars()
                .filter(|c| c.is_ascii_hexdigit() || *c == '#')
                .collect::<String>();
            let text = r
                .text
                .value
                .chars()
                .filter(|c| c.is_ascii_hexdigit() || *c == '#')
                .collect::<String>();
            css.push_str(&format!(
                ".rating-{code} {{ background-color: {fill}; color: {text}; }}\n"
            ));
        }
    }
    OutputFile {
        path: "assets/ratings.css".into(),
        bytes: css.into_bytes(),
    }
}
