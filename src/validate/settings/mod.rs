//! The rules of `scopemap.yaml`: required texts say something, addresses and dates are
//! well formed, and the places it names (`base_url`, `theme`) cannot lead elsewhere.
//!
//! In: the settings as loaded, and whether the theme folder was found. Out: diagnostics.

mod oruk;
mod places;

pub use oruk::check_taxonomy_map;

use super::common::{check_date, check_email, check_text, check_url, check_value};
use crate::diag::Diagnostic;
use crate::model::vocab::Compliance;
use crate::model::{AccessibilitySettings, CONFIG_FILE, SiteConfig, Spanned};
use places::{check_base_url, check_theme_name};

/// Check the settings; `theme_found` says whether `themes/<theme>/templates/` exists.
pub fn check(c: &SiteConfig, theme_found: bool, diagnostics: &mut Vec<Diagnostic>) {
    check_text(CONFIG_FILE, &c.title, "title", diagnostics);
    check_text(CONFIG_FILE, &c.caveat, "caveat", diagnostics);
    check_text(
        CONFIG_FILE,
        &c.publisher.name,
        "publisher.name",
        diagnostics,
    );
    check_text(
        CONFIG_FILE,
        &c.data_licence.name,
        "data_licence.name",
        diagnostics,
    );
    check_url(
        CONFIG_FILE,
        &c.data_licence.url,
        "data_licence.url",
        diagnostics,
    );
    if let Some(u) = &c.publisher.url {
        check_url(CONFIG_FILE, u, "publisher.url", diagnostics);
    }
    match &c.publisher.email {
        Some(e) => check_email(CONFIG_FILE, e, "publisher.email", diagnostics),
        None => diagnostics.push(no_contact(&c.publisher.name)),
    }
    check_accessibility(&c.accessibility, diagnostics);
    check_base_url(&c.base_url, diagnostics);
    if let Some(d) = &c.build_date {
        check_date(CONFIG_FILE, d, "build_date", diagnostics);
    }
    if let Some(contact) = &c.returns.contact {
        check_text(CONFIG_FILE, contact, "returns.contact", diagnostics);
    }
    if let Some(d) = &c.returns.due {
        check_date(CONFIG_FILE, d, "returns.due", diagnostics);
    }
    if !check_theme_name(&c.theme, diagnostics) {
        // Not looked for: the name could lead out of themes/.
    } else if !theme_found {
        diagnostics.push(
            Diagnostic::error(
                "E051",
                CONFIG_FILE,
                format!("the theme `{}` was not found", c.theme.value),
            )
            .at_value(&c.theme, c.theme.value.chars().count())
            .expected(format!("a folder themes/{}/templates/", c.theme.value))
            .help("set `theme: default` or add the theme folder"),
        );
    }
}

/// E245: the accessibility statement, and the "report a problem" link on every page, need
/// an address to write to.
pub fn no_contact(publisher: &Spanned<String>) -> Diagnostic {
    Diagnostic::error(
        "E245",
        CONFIG_FILE,
        format!(
            "`publisher` has no `email`: the accessibility statement and every page's \"Report a problem with this page\" link need the address of {}",
            publisher.value
        ),
    )
    .at_value(publisher, publisher.value.chars().count())
    .expected("`email:` under `publisher:`, beside `name:`")
    .help("add `email: accessibility@example.nhs.uk` (the publisher's real address) under `publisher:`")
}

/// The statement's own settings: a known value for `compliance`, real dates, and text
/// where text is given.
fn check_accessibility(a: &AccessibilitySettings, diagnostics: &mut Vec<Diagnostic>) {
    if let Some(c) = &a.compliance {
        check_value::<Compliance>(CONFIG_FILE, c, diagnostics);
    }
    if let Some(p) = &a.phone {
        check_text(CONFIG_FILE, p, "accessibility.phone", diagnostics);
    }
    for (d, field) in [
        (&a.prepared, "accessibility.prepared"),
        (&a.tested, "accessibility.tested"),
    ] {
        if let Some(d) = d {
            check_date(CONFIG_FILE, d, field, diagnostics);
        }
    }
    if let Some(t) = &a.tested_by {
        check_text(CONFIG_FILE, t, "accessibility.tested_by", diagnostics);
    }
    for k in &a.known_problems {
        check_text(
            CONFIG_FILE,
            &k.problem,
            "accessibility.known_problems.problem",
            diagnostics,
        );
        for c in &k.criteria {
            check_text(
                CONFIG_FILE,
                c,
                "accessibility.known_problems.criteria",
                diagnostics,
            );
        }
        if let Some(p) = &k.plan {
            check_text(
                CONFIG_FILE,
                p,
                "accessibility.known_problems.plan",
                diagnostics,
            );
        }
    }
}
