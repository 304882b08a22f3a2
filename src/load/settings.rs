//! Reading `scopemap.yaml`, the site's settings.
//!
//! In: the site root. Out: the settings as typed values (or the diagnostics of a missing or
//! unparsable file), the file's text for quoting, and whether the theme they name is there.
//! What the values mean is checked by `validate`.

use super::{parse_file, read_text};
use crate::diag::Diagnostic;
use crate::model::{CONFIG_FILE, SiteConfig, SourceFile, is_plain_name};
use std::path::Path;

/// The settings file as read.
pub struct Settings {
    pub config: Option<SiteConfig>,
    pub source: Option<SourceFile>,
    /// Whether `themes/<theme>/templates/` exists; `false` when the theme's name is not a
    /// plain folder name, which is then not looked for.
    pub theme_found: bool,
}

/// Read `scopemap.yaml` under `root`.
pub fn load_settings(root: &Path, diagnostics: &mut Vec<Diagnostic>) -> Settings {
    let disk_path = root.join(CONFIG_FILE);
    let nothing = Settings {
        config: None,
        source: None,
        theme_found: false,
    };
    if !disk_path.is_file() {
        diagnostics.push(
            Diagnostic::error("E050", CONFIG_FILE, "the site settings file is missing")
                .help("create scopemap.yaml at the site root with title, base_url, publisher, caveat and data_licence; see docs/data-format.md"),
        );
        return nothing;
    }
    let Some(text) = read_text(&disk_path, CONFIG_FILE, diagnostics) else {
        return nothing;
    };
    let source = SourceFile {
        path: CONFIG_FILE.into(),
        disk_path,
        text,
    };
    let config: Option<SiteConfig> = parse_file(&source, diagnostics);
    let theme_found = config.as_ref().is_some_and(|c| {
        is_plain_name(&c.theme.value)
            && root
                .join("themes")
                .join(&c.theme.value)
                .join("templates")
                .is_dir()
    });
    Settings {
        config,
        source: Some(source),
        theme_found,
    }
}
