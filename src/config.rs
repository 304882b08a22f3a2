//! `scopemap.yaml`: the site's own settings.
//!
//! In: the site root. Out: a `SiteConfig` or diagnostics. Unknown keys are errors so that
//! a typo never silently falls back to a default.

use crate::diag::Diagnostic;
use crate::load::parse_file;
use crate::model::{SourceFile, Spanned};
use crate::validate::common::{check_date, check_text, check_url};

mod places;

use places::{check_base_url, check_theme_name};
use serde::Deserialize;
use std::path::Path;

pub const CONFIG_FILE: &str = "scopemap.yaml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: Spanned<String>,
    /// Where the site is published, e.g. `https://example.org/scoping/`; used for the
    /// sitemap and canonical links only — pages link to each other relatively.
    pub base_url: Spanned<String>,
    #[serde(default = "default_theme")]
    pub theme: Spanned<String>,
    /// BCP 47 language of the pages.
    #[serde(default = "default_language")]
    pub language: Spanned<String>,
    pub publisher: Publisher,
    /// Shown beside every rating: where the data comes from and how far to trust it.
    pub caveat: Spanned<String>,
    pub data_licence: Licence,
    /// The date printed as "built on"; defaults to the newest report's `data_as_of`, never
    /// the clock, so rebuilding the same data gives the same files.
    #[serde(default)]
    pub build_date: Option<Spanned<String>>,
    /// A sentence for the home page under the title.
    #[serde(default)]
    pub tagline: Option<Spanned<String>>,
    /// Whether a year whose returns are all still awaiting their forms is published (its
    /// cells shown as awaiting); `false` leaves such years out of the site entirely.
    #[serde(default = "publish_unconfirmed_by_default")]
    pub publish_unconfirmed: bool,
    /// Who return forms go back to and by when, as written on the forms.
    #[serde(default)]
    pub returns: ReturnsSettings,
    /// What the accessibility statement says beyond the publisher's contact.
    #[serde(default)]
    pub accessibility: AccessibilitySettings,
}

/// The facts of the accessibility statement that only the publisher can state. The
/// statement's contact is `publisher.email`, which every site must have (E245). A fact
/// left out is said to be not stated; none is made up.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessibilitySettings {
    /// How far the site meets WCAG 2.2 level AA: `full`, `partial` or `none`.
    #[serde(default)]
    pub compliance: Option<Spanned<String>>,
    /// A telephone number for people who cannot use e-mail.
    #[serde(default)]
    pub phone: Option<Spanned<String>>,
    /// Within how many working days the publisher answers.
    #[serde(default)]
    pub reply_within_days: Option<Spanned<u32>>,
    /// When the statement was written, `YYYY-MM-DD`.
    #[serde(default)]
    pub prepared: Option<Spanned<String>>,
    /// When the site was last tested, `YYYY-MM-DD`, and how.
    #[serde(default)]
    pub tested: Option<Spanned<String>>,
    #[serde(default)]
    pub tested_by: Option<Spanned<String>>,
    /// What is known not to meet the standard, each with the success criteria it fails.
    #[serde(default)]
    pub known_problems: Vec<KnownProblem>,
}

/// The accepted values of `accessibility.compliance`.
pub const COMPLIANCE: &[&str] = &["full", "partial", "none"];

/// One thing on the site known not to meet the standard.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnownProblem {
    /// What does not work, for whom, in plain words.
    pub problem: Spanned<String>,
    /// The WCAG success criteria it fails, e.g. `1.4.10 Reflow`; none when it is a
    /// standard other than WCAG (PDF/UA for a PDF).
    #[serde(default)]
    pub criteria: Vec<Spanned<String>>,
    /// What is being done about it, and by when, as the publisher states it.
    #[serde(default)]
    pub plan: Option<Spanned<String>>,
}

/// What the return forms say about sending them back. A setting left out is left off the
/// forms: nothing is made up in its place.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReturnsSettings {
    /// The network contact for the forms: a name, and an e-mail address or phone number.
    #[serde(default)]
    pub contact: Option<Spanned<String>>,
    /// The date the forms are due back, `YYYY-MM-DD`.
    #[serde(default)]
    pub due: Option<Spanned<String>>,
}

impl ReturnsSettings {
    /// The due date, when it is set and is a date (`load_config` reports it otherwise).
    pub fn due_date(&self) -> Option<chrono::NaiveDate> {
        let due = self.due.as_ref()?;
        chrono::NaiveDate::parse_from_str(&due.value, "%Y-%m-%d").ok()
    }
}

fn publish_unconfirmed_by_default() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Publisher {
    pub name: Spanned<String>,
    #[serde(default)]
    pub url: Option<Spanned<String>>,
    #[serde(default)]
    pub email: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Licence {
    pub name: Spanned<String>,
    pub url: Spanned<String>,
}

fn default_theme() -> Spanned<String> {
    Spanned::synthetic("default".into())
}

fn default_language() -> Spanned<String> {
    Spanned::synthetic("en-GB".into())
}

/// For `validate`: E245 when `scopemap.yaml` reads but names no publisher e-mail, with
/// the file for quoting. Nothing when there is no settings file or it does not read
/// (`build` reports those).
pub fn contact_problems(root: &Path) -> (Vec<Diagnostic>, Vec<SourceFile>) {
    if !root.join(CONFIG_FILE).is_file() {
        return (Vec::new(), Vec::new());
    }
    let mut ignored = Vec::new();
    match load_config(root, &mut ignored) {
        (Some(c), source) if c.publisher.email.is_none() => (
            vec![no_contact(&c.publisher.name)],
            source.into_iter().collect(),
        ),
        _ => (Vec::new(), Vec::new()),
    }
}

/// E245: the accessibility statement, and the "report a problem" link on every page, need
/// an address to write to.
fn no_contact(publisher: &Spanned<String>) -> Diagnostic {
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
    use crate::validate::common::check_one_of;
    if let Some(c) = &a.compliance {
        check_one_of(
            CONFIG_FILE,
            c,
            "accessibility.compliance",
            COMPLIANCE,
            diagnostics,
        );
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

/// Read and check `scopemap.yaml`; the source is returned so diagnostics can quote it.
pub fn load_config(
    root: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Option<SiteConfig>, Option<SourceFile>) {
    let disk_path = root.join(CONFIG_FILE);
    if !disk_path.is_file() {
        diagnostics.push(
            Diagnostic::error("E050", CONFIG_FILE, "the site settings file is missing")
                .help("create scopemap.yaml at the site root with title, base_url, publisher, caveat and data_licence; see docs/data-format.md"),
        );
        return (None, None);
    }
    let Some(text) = crate::load::read_text(&disk_path, CONFIG_FILE, diagnostics) else {
        return (None, None);
    };
    let source = SourceFile {
        path: CONFIG_FILE.into(),
        disk_path,
        text,
    };
    let config: Option<SiteConfig> = parse_file(&source, diagnostics);
    if let Some(c) = &config {
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
            Some(e) => {
                crate::validate::common::check_email(CONFIG_FILE, e, "publisher.email", diagnostics)
            }
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
        let theme_dir = root.join("themes").join(&c.theme.value);
        if !check_theme_name(&c.theme, diagnostics) {
            // Not looked for: the name could lead out of themes/.
        } else if !theme_dir.join("templates").is_dir() {
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
    (config, Some(source))
}
