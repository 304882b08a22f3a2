//! A whole site as loaded: its settings, its data and its narrative pages.
//!
//! In: nothing (filled by `load::load_site`). Out: what `validate` checks as a whole and the
//! build renders.

use super::{Dataset, Page, SiteConfig, SourceFile};

#[derive(Debug, Default, Clone)]
pub struct Site {
    /// `scopemap.yaml`, when it could be read and parsed.
    pub settings: Option<SiteConfig>,
    /// The text of `scopemap.yaml`, for quoting.
    pub settings_source: Option<SourceFile>,
    /// Whether the theme the settings name has a `templates/` folder under `themes/`.
    pub theme_found: bool,
    /// Everything under `scoping-data/`.
    pub data: Dataset,
    /// `content/`, drafts included, sorted by slug.
    pub pages: Vec<Page>,
}

impl Site {
    /// Every file read, for quoting diagnostics: the data, the settings, then the pages.
    pub fn sources(&self) -> impl Iterator<Item = &SourceFile> {
        self.data
            .sources
            .iter()
            .chain(&self.settings_source)
            .chain(self.pages.iter().map(|p| &p.source))
    }
}
