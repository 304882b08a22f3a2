//! The site's own settings, as read from `scopemap.yaml`: title, address, theme, publisher,
//! caveat, licence and what the return forms say.
//!
//! In: nothing (plain data types, filled by `load`). Out: the settings every page and form
//! reads. Unknown keys are errors, so a typo never silently falls back to a default; the
//! defaults below are the documented ones.

use super::Spanned;
use serde::Deserialize;

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
    /// How `import oruk` reads other directories' feeds.
    #[serde(default)]
    pub oruk: OrukSettings,
}

/// How `import oruk` reads other directories' feeds.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrukSettings {
    /// Terms of other directories' taxonomies, each standing for one of the framework's
    /// categories. A term listed nowhere here gives no category (and is reported).
    #[serde(default)]
    pub taxonomy_map: Vec<TaxonomyMapping>,
}

/// One taxonomy term of another directory and the framework category it stands for.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxonomyMapping {
    /// The taxonomy the term belongs to, as the feed names it (its `taxonomy`, or the
    /// `id` or `name` of its taxonomy); absent: the term in any taxonomy.
    #[serde(default)]
    pub taxonomy: Option<Spanned<String>>,
    /// The term, by its `id`, its `name` or its `term` code as the feed writes it.
    pub term: Spanned<String>,
    /// The framework category id it stands for.
    pub category: Spanned<String>,
}

impl TaxonomyMapping {
    /// The entry's taxonomy and term as compared with another entry's: spaces around them
    /// do not count.
    pub fn key(&self) -> (Option<&str>, &str) {
        (
            self.taxonomy.as_ref().map(|t| t.value.trim()),
            self.term.value.trim(),
        )
    }
}

/// The facts of the accessibility statement that only the publisher can state. The
/// statement's contact is `publisher.email`, which every site must have (E245). A fact
/// left out is said to be not stated; none is made up.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessibilitySettings {
    /// How far the site meets WCAG 2.2 level AA: a `vocab::Compliance` code.
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
    /// The due date, when it is set and is a date (`validate` reports it otherwise).
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

/// A name that stays inside the folder it is joined to, on every system: what `theme` must
/// be before a folder of that name is looked for under `themes/`.
pub fn is_plain_name(v: &str) -> bool {
    !v.is_empty()
        && v.len() <= 100
        && !v.starts_with('.')
        && v.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}
