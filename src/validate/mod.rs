//! Validate: every rule about what the loaded values mean.
//!
//! In: a `Site` from `load` (settings, data and pages), or its `Dataset` alone. Out: diagnostics (errors and warnings), sorted by file and
//! position. Pure functions: nothing is read from disk or written, and a check never stops
//! at the first problem — every file and every value is looked at in one run.

mod categories;
pub mod common;
mod content;
mod dated_definitions;
pub mod directory;
pub mod examples;
mod framework;
mod need;
mod ons_codes;
mod provenance;
mod regions;
mod reports;
mod returns;
pub mod settings;
mod spellings;
mod synonyms;

pub use reports::REPRODUCIBLE_BLOCKS;

use crate::diag::{self, Diagnostic};
use crate::model::{Dataset, Site, SiteConfig};

/// Check the whole site: its settings, its pages and its data.
pub fn validate_site(
    site: &Site,
    memo: Option<(&[blake3::Hash], &mut directory::Memo)>,
) -> Vec<Diagnostic> {
    let mut out = validate_remembering(&site.data, memo);
    if let Some(settings) = &site.settings {
        settings::check(settings, site.theme_found, &mut out);
        settings::check_taxonomy_map(&settings.oruk, &site.data, &mut out);
        examples::check_settings(settings, &mut out);
    }
    content::check(&site.pages, &site.data, &mut out);
    examples::check_pages(&site.pages, &mut out);
    diag::sort(&mut out);
    out
}

/// Check the whole dataset.
pub fn validate(ds: &Dataset) -> Vec<Diagnostic> {
    validate_remembering(ds, None)
}

/// Check the settings alone, for the commands that read nothing else of the site;
/// `theme_found` says whether the theme they name has a `templates/` folder.
pub fn validate_settings(settings: &SiteConfig, theme_found: bool) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    settings::check(settings, theme_found, &mut out);
    out
}

/// `validate`, reusing the services' checks remembered in `memo` (with the digests of
/// `ds`'s sources) where their files have not changed; the result is the same.
pub fn validate_remembering(
    ds: &Dataset,
    memo: Option<(&[blake3::Hash], &mut directory::Memo)>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    framework::check(ds, &mut out);
    dated_definitions::check(ds, &mut out);
    regions::check(ds, &mut out);
    ons_codes::check(ds, &mut out);
    // The returns and the directory, the two large parts, are checked side by side.
    let (mut returns, mut directory) = (Vec::new(), Vec::new());
    rayon::join(
        || returns::check(ds, &mut returns),
        || directory::check_remembering(ds, memo, &mut directory),
    );
    out.append(&mut returns);
    out.append(&mut directory);
    provenance::check_references(ds, &mut out);
    categories::check(ds, &mut out);
    reports::check(ds, &mut out);
    spellings::check(ds, &mut out);
    need::check(ds, &mut out);
    synonyms::check(ds, &mut out);
    examples::check_data(ds, &mut out);
    diag::sort(&mut out);
    out
}

/// The path of a loaded file, for messages.
fn path_of(ds: &Dataset, source: usize) -> &str {
    ds.sources
        .get(source)
        .map(|s| s.path.as_str())
        .unwrap_or("scoping-data")
}
