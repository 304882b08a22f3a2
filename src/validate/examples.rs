//! The examples `scopemap init` writes into a new site, and the warnings that say, until
//! each is replaced, that the site still holds them: a site must not be published with an
//! example contact, licence or rating in it.
//!
//! In: the settings, the data or the pages. Out: W280 for a setting that still holds its
//! example value, W281 for an example region, return or service, W282 for a page that
//! still holds the example text. The values and ids are defined here, once: `init` writes
//! them, and these checks recognise exactly them (nothing else that merely looks alike).

use super::path_of;
use crate::diag::Diagnostic;
use crate::model::{CONFIG_FILE, Dataset, Page, SiteConfig, Spanned};

/// The example values of `scopemap.yaml`.
pub const TITLE: &str = "Example Network: early years mental health provision";
pub const TAGLINE: &str = "An example site made by scopemap init. Every region, area, rating and service on it is an example, not a finding.";
pub const PUBLISHER_NAME: &str = "Example Network";
/// At a domain reserved for examples, so no message sent to it reaches anyone.
pub const PUBLISHER_EMAIL: &str = "contact@example.org";
/// Read after "About this data:" in every footer, and after "Ratings" on region pages.
pub const CAVEAT: &str = "As made up by scopemap init for an example site: every region, area, rating and service on it is an example, not a finding.";
pub const LICENCE_NAME: &str = "Example licence";
pub const LICENCE_URL: &str = "https://example.org/licence/";

/// The example region, its two areas, and the example service.
pub const REGION: &str = "example-region";
pub const AREAS: [&str; 2] = ["example-area-north", "example-area-south"];
pub const SERVICE: &str = "example-service";

/// The line every example page of `content/` holds until it is rewritten.
pub const PAGE_NOTICE: &str = "*This is an example page written by `scopemap init`: replace it with your own text, or delete it.*";

/// W280: each setting that still holds its example value.
pub fn check_settings(c: &SiteConfig, out: &mut Vec<Diagnostic>) {
    let mut settings: Vec<(&str, &Spanned<String>, &str, &str)> = vec![
        ("title", &c.title, TITLE, "the site's own title"),
        (
            "publisher.name",
            &c.publisher.name,
            PUBLISHER_NAME,
            "the name of the body that publishes the site",
        ),
        (
            "caveat",
            &c.caveat,
            CAVEAT,
            "one sentence on where your data comes from and how far to trust it",
        ),
        (
            "data_licence.name",
            &c.data_licence.name,
            LICENCE_NAME,
            "the licence your data is published under, e.g. Open Government Licence v3.0",
        ),
        (
            "data_licence.url",
            &c.data_licence.url,
            LICENCE_URL,
            "the address of that licence",
        ),
    ];
    if let Some(tagline) = &c.tagline {
        settings.push((
            "tagline",
            tagline,
            TAGLINE,
            "a sentence about the site, or delete the line",
        ));
    }
    if let Some(email) = &c.publisher.email {
        settings.push((
            "publisher.email",
            email,
            PUBLISHER_EMAIL,
            "an address the publisher reads (the contact of the accessibility statement and of every page's \"Report a problem\" link)",
        ));
    }
    settings.sort_by_key(|(_, value, _, _)| (value.line, value.column));
    for (key, value, example, write) in settings {
        if value.value == example {
            out.push(
                Diagnostic::warning(
                    "W280",
                    CONFIG_FILE,
                    format!("`{key}` still holds the example `scopemap init` wrote"),
                )
                .at_value(value, value.value.chars().count())
                .help(format!(
                    "before the site is published, replace it with {write}"
                )),
            );
        }
    }
}

/// W281: the example region, each return of its areas, and the example service.
pub fn check_data(ds: &Dataset, out: &mut Vec<Diagnostic>) {
    for region in ds.regions() {
        let id = &region.value.id;
        if id.value == REGION {
            out.push(
                example(path_of(ds, region.source), id, "the example region")
                    .help("replace this file with one for each region of your network, and delete it; see README.md"),
            );
        }
    }
    for r in &ds.returns {
        let area = &r.value.area;
        if AREAS.contains(&area.value.as_str()) {
            out.push(
                example(path_of(ds, r.source), area, "a return of an example area").help(
                    "delete this file once your own regions have their returns; see README.md",
                ),
            );
        }
    }
    for s in ds.services() {
        let id = &s.value.id;
        if id.value == SERVICE {
            out.push(
                example(path_of(ds, s.source), id, "the example service")
                    .help("describe your network's services in scoping-data/directory/ and delete this file; see README.md"),
            );
        }
    }
}

fn example(file: &str, id: &Spanned<String>, what: &str) -> Diagnostic {
    Diagnostic::warning(
        "W281",
        file,
        format!(
            "`{}` is {what} `scopemap init` wrote, not your network's data",
            id.value
        ),
    )
    .at_value(id, id.value.chars().count())
}

/// W282: each page that still holds the example notice.
pub fn check_pages(pages: &[Page], out: &mut Vec<Diagnostic>) {
    for page in pages {
        let Some(at) = page.body.lines().position(|l| l.trim() == PAGE_NOTICE) else {
            continue;
        };
        out.push(
            Diagnostic::warning(
                "W282",
                &page.source.path,
                "the page still holds the example text `scopemap init` wrote",
            )
            .at(page.body_line + at, 1, PAGE_NOTICE.chars().count())
            .help("write the page's text under its headings and delete the line saying it is an example, or delete the page"),
        );
    }
}
