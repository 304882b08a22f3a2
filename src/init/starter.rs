//! The files of a new site, as text: settings, framework, the example region, return and
//! service, the content pages, the README and the theme.
//!
//! In: the framework's text and its parsed form, and the year of the example return. Out: a
//! list of files (path inside the new site, bytes) in a fixed order. Nothing here touches
//! the disk. The example return rates every category the framework grades in its year, so
//! a framework from another network gets an example that fits it.

use super::DEFAULT_THEME;
use crate::model::Framework;
use crate::model::yaml::{key, quote};
use crate::validate::examples::{
    AREAS, CAVEAT, LICENCE_NAME, LICENCE_URL, PAGE_NOTICE, PUBLISHER_EMAIL, PUBLISHER_NAME, REGION,
    SERVICE, TAGLINE, TITLE,
};

/// One file of the new site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StarterFile {
    /// Relative to the site's folder, with forward slashes.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The content pages, with `@NOTICE@` and `@REGION@` to fill in.
const PAGES: &[(&str, &str)] = &[
    ("about.md", include_str!("starter/content/about.md")),
    ("findings.md", include_str!("starter/content/findings.md")),
    (
        "introduction.md",
        include_str!("starter/content/introduction.md"),
    ),
    ("method.md", include_str!("starter/content/method.md")),
];

/// The year of the example return: the latest year the framework names (a category's
/// `introduced` or `retired`, a `printed` definition's year) in which it grades a category.
/// A framework that names no year grades its categories in every year; its example is
/// dated 2022, the year of the reports the shipped framework comes from. `None` when no
/// category is graded in any of those years.
pub fn example_year(fw: &Framework) -> Option<u16> {
    let mut named: Vec<u16> = Vec::new();
    for c in &fw.categories {
        named.extend(c.introduced.as_ref().map(|y| y.value));
        named.extend(c.retired.as_ref().map(|y| y.value));
    }
    for r in &fw.ratings {
        named.extend(r.printed.iter().map(|p| p.year.value));
    }
    if named.is_empty() {
        named.push(2022);
    }
    named
        .into_iter()
        .filter(|&y| !fw.categories_in(y).is_empty())
        .max()
}

/// What the README says of the framework: the shipped one, or one copied from a site.
const SHIPPED_FRAMEWORK: &str = "holds the categories and rating key of
   the North West Coast's 2022 scoping reports. Keep them, or change them to your network's:
   the comment at the top of the file says how.";
const COPIED_FRAMEWORK: &str = "is a copy of the framework of the site
   this one was started from (`--from-network`). Change it here as your scoping changes.";

/// Every file of the new site, in the order they are written; `copied` when the framework
/// came from another site.
pub fn starter_files(
    framework_text: &str,
    fw: &Framework,
    year: u16,
    copied: bool,
) -> Vec<StarterFile> {
    let text = |path: &str, text: String| StarterFile {
        path: path.to_string(),
        bytes: text.into_bytes(),
    };
    let [north, _] = AREAS;
    let mut files = vec![
        text("README.md", readme(year, copied)),
        text(".gitignore", "/public/\n/.public.scopemap/\n".into()),
        text("scopemap.yaml", settings()),
        text("scoping-data/framework.yaml", framework_text.to_string()),
        text(&format!("scoping-data/regions/{REGION}.yaml"), region()),
        text(
            &format!("scoping-data/returns/{year}/{REGION}/{north}.yaml"),
            example_return(fw, year),
        ),
        text(
            &format!("scoping-data/directory/{SERVICE}.yaml"),
            service(fw, year),
        ),
    ];
    for (name, page) in PAGES {
        files.push(text(&format!("content/{name}"), fill(page, year)));
    }
    for (path, bytes) in DEFAULT_THEME {
        files.push(StarterFile {
            path: format!("themes/default/{path}"),
            bytes: bytes.to_vec(),
        });
    }
    files
}

/// A starter text with its `@…@` fields filled in.
fn fill(text: &str, year: u16) -> String {
    text.replace("@NOTICE@", PAGE_NOTICE)
        .replace("@REGION@", REGION)
        .replace("@AREA@", AREAS[0])
        .replace("@SERVICE@", SERVICE)
        .replace("@YEAR@", &year.to_string())
}

fn readme(year: u16, copied: bool) -> String {
    fill(include_str!("starter/README.md"), year).replace(
        "@FRAMEWORK@",
        if copied {
            COPIED_FRAMEWORK
        } else {
            SHIPPED_FRAMEWORK
        },
    )
}

fn settings() -> String {
    format!(
        r#"# Site settings for scopemap, written by `scopemap init`. docs/data-format.md
# ("scopemap.yaml") describes every key.
#
# Each value marked EXAMPLE must be replaced before the site is published: `scopemap
# validate` and `scopemap build` warn (W280) about each one still here.

# EXAMPLE: the site's title, on every page.
title: {title}
# EXAMPLE: a sentence under the title on the home page (or delete the line).
tagline: {tagline}
# Where the site will be published: a full address such as https://www.example.nhs.uk/scoping/,
# or a path starting with one slash. Used only in sitemap.xml.
base_url: /
# The theme in themes/; `scopemap init` copied the default one there.
theme: default
language: en-GB
publisher:
  # EXAMPLE: who publishes the site, named in every page's footer.
  name: {name}
  # The publisher's website (optional):
  # url: "https://…"
  # EXAMPLE: an address the publisher reads: the contact of the accessibility statement
  # and of every page's "Report a problem with this page" link. example.org reaches nobody.
  email: {email}
# EXAMPLE: one sentence on where the data comes from and how far to trust it, shown in
# every page's footer.
caveat: {caveat}
# EXAMPLE: the licence the data is published under, and its address.
data_licence:
  name: {licence}
  url: {licence_url}
# What the accessibility statement (accessibility/index.html) says beyond the contact.
# Until these are filled in, it says each is not stated.
# accessibility:
#   compliance: partial            # full, partial or none: how far the site meets WCAG 2.2 AA
#   prepared: "YYYY-MM-DD"
#   tested: "YYYY-MM-DD"
#   tested_by: "who tested the site, and how"
#   known_problems:
#     - problem: "what does not work, and for whom"
# What the return forms made by `scopemap forms` say about sending them back:
# returns:
#   contact: "name, role, e-mail address"
#   due: "YYYY-MM-DD"
"#,
        title = quote(TITLE),
        tagline = quote(TAGLINE),
        name = quote(PUBLISHER_NAME),
        email = quote(PUBLISHER_EMAIL),
        caveat = quote(CAVEAT),
        licence = quote(LICENCE_NAME),
        licence_url = quote(LICENCE_URL),
    )
}

fn region() -> String {
    let [north, south] = AREAS;
    format!(
        r#"# An example region written by `scopemap init`, with two example areas. Replace it with
# one file per region of your network (an integrated care system), each listing every
# area it rates with its ONS code, and delete this file: `scopemap validate` warns (W281)
# while it is here. docs/data-format.md ("regions/") describes every field.
id: {REGION}
name: "Example Region"
description: "An example region written by scopemap init, with two example areas. It is not a real region."
areas:
  - id: {north}
    name: "Example Area North"
    kind: "Place"
    in_use: {{}}
    hex:
      q: 0
      r: 0
  - id: {south}
    name: "Example Area South"
    kind: "Place"
    in_use: {{}}
    hex:
      q: 0
      r: 1
"#
    )
}

/// The rating codes, best ranked first, then those without a rank, each in framework order.
fn codes_best_first(fw: &Framework) -> Vec<&str> {
    let mut levels: Vec<(Option<u8>, usize, &str)> = fw
        .ratings
        .iter()
        .enumerate()
        .map(|(i, r)| (r.rank.as_ref().map(|r| r.value), i, r.code.value.as_str()))
        .collect();
    levels.sort_by_key(|(rank, i, _)| (rank.is_none(), *rank, *i));
    levels.into_iter().map(|(_, _, code)| code).collect()
}

/// The example service's category: the first one graded in the year, which the example
/// return rates with the best rating, so the service contradicts no rating.
fn service_category(fw: &Framework, year: u16) -> &str {
    fw.categories_in(year)
        .first()
        .map_or("", |c| c.id.value.as_str())
}

fn example_return(fw: &Framework, year: u16) -> String {
    let [north, _] = AREAS;
    let codes = codes_best_first(fw);
    let evidence = service_category(fw, year);
    let mut out = format!(
        r#"# An example return written by `scopemap init`: its ratings are examples, not findings.
# A real return holds one area's ratings for one year; `scopemap new-year` makes them and
# `scopemap import` fills them in from the area's form. Delete this file once your own
# regions have returns: `scopemap validate` warns (W281) while it is here.
# docs/data-format.md ("returns/") describes every field.
year: {year}
region: {REGION}
area: {north}
submission:
  status: received
  note: "An example return written by scopemap init: no form was sent or returned."
ratings:
"#
    );
    for (i, category) in fw.categories_in(year).iter().enumerate() {
        let code = codes.get(i % codes.len().max(1)).copied().unwrap_or("");
        out.push_str(&format!(
            "  {}:\n    rating: {}\n    note: \"An example rating written by scopemap init, not a finding.\"\n",
            key(&category.id.value),
            quote(code)
        ));
        if category.id.value == evidence {
            out.push_str(&format!("    evidence:\n      - {SERVICE}\n"));
        }
    }
    out
}

fn service(fw: &Framework, year: u16) -> String {
    let [north, _] = AREAS;
    format!(
        r#"# An example service written by `scopemap init`. Describe each of your network's
# services in a file of its own in this folder, stating only what its sources say, and
# delete this one: `scopemap validate` warns (W281) while it is here.
# docs/data-format.md ("directory/") describes every field.
id: {SERVICE}
name: "Example Service"
summary: "An example service written by scopemap init, not a real service."
description: "This entry shows how a service appears in the directory. It describes no real service: every service listed here should state only what its sources say."
categories:
  - {category}
areas:
  - {north}
status: active
sources:
  example-return:
    return: {year}/{north}
source_of:
  areas: example-return
  status: example-return
"#,
        category = key(service_category(fw, year)),
    )
}
