//! The rules of `scopemap.yaml`: required texts say something, addresses and dates are
//! well formed, and the places it names (`base_url`, `theme`) cannot lead elsewhere.
//!
//! In: the settings as loaded, and whether the theme folder was found. Out: diagnostics.

mod places;

use super::common::{check_date, check_email, check_text, check_url};
use crate::diag::Diagnostic;
use crate::model::{CONFIG_FILE, SiteConfig};
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
    if let Some(e) = &c.publisher.email {
        check_email(CONFIG_FILE, e, "publisher.email", diagnostics);
    }
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
