//! Render: turn the validated data, the analysed views and the narrative into the files
//! of the site.
//!
//! In: a `SiteInput` (config, dataset, content pages, theme folder). Out: a sorted list of
//! `OutputFile`s (path relative to the output folder + bytes), or diagnostics when a
//! template fails. It builds a flat list of page jobs, renders them in parallel with
//! rayon, and never touches the output folder — writing is the `write` stage's job.

mod charts;
mod context;
mod directory;
mod exports;
mod hexmap;
pub mod markdown;
mod pages;
mod report;
mod shortcodes;
mod templates;

use crate::config::SiteConfig;
use crate::content::Page;
use crate::diag::Diagnostic;
use crate::model::Dataset;
use rayon::prelude::*;
use std::path::PathBuf;

pub use directory::RESERVED_SERVICE_IDS;
pub use pages::base_path;
pub use templates::load_templates;

pub struct SiteInput<'a> {
    pub root: PathBuf,
    pub config: &'a SiteConfig,
    pub dataset: &'a Dataset,
    pub pages: &'a [Page],
    pub audience: crate::audience::Audience,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative path with forward slashes, e.g. `regions/x/2022/index.html`.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// One page to render: where it goes, with which template, and its own context.
pub struct PageJob {
    pub path: String,
    pub template: String,
    pub context: tera::Context,
}

/// Render the whole site into memory.
pub fn render_site(input: &SiteInput) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let tera = templates::load_templates(&input.root, &input.config.theme.value, &mut diagnostics);
    let Some(tera) = tera else {
        return Err(diagnostics);
    };
    let jobs = pages::page_jobs(input, &tera)?;
    let progress = progress_bar(jobs.len());
    let rendered: Vec<Result<OutputFile, Box<Diagnostic>>> = jobs
        .par_iter()
        .map(|job| {
            progress.inc(1);
            tera.render(&job.template, &job.context)
                .map(|html| OutputFile {
                    path: job.path.clone(),
                    bytes: html.into_bytes(),
                })
                .map_err(|e| Box::new(templates::template_error(&job.template, &job.path, &e)))
        })
        .collect();
    progress.finish_and_clear();
    let mut files = Vec::new();
    for r in rendered {
        match r {
            Ok(f) => files.push(f),
            Err(d) => diagnostics.push(*d),
        }
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    files.extend(exports::exports(input));
    files.extend(directory::search_index(input));
    files.extend(crate::oruk::export_files(input.dataset));
    files.push(pages::sitemap(input, &files));
    files.extend(templates::static_files(
        &input.root,
        &input.config.theme.value,
        &mut diagnostics,
    ));
    files.push(context::ratings_css(input.dataset));
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    // Two items landing on one path (or on paths that differ only in case, which clash on
    // case-insensitive disks) would silently lose one of them.
    let mut folded: Vec<String> = files.iter().map(|f| f.path.to_lowercase()).collect();
    folded.sort();
    for pair in folded.windows(2) {
        if pair[0] == pair[1] {
            diagnostics.push(
                Diagnostic::error("E064", &pair[1], format!("two items would be written to `{}`", pair[1]))
                    .help("rename a static file, a template output or a content page so each has its own path"),
            );
        }
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    Ok(files)
}

/// A progress bar on an interactive terminal for builds with many pages; hidden otherwise,
/// so logs and pipes get only the one-line summary.
fn progress_bar(pages: usize) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if pages < 2_000 || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(pages as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("rendering {bar:40} {pos}/{len} pages ({eta} left)")
    {
        bar.set_style(style);
    }
    bar
}

/// The relative prefix from a page at `path` back to the site root ("../../").
pub fn root_prefix(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

#[cfg(test)]
mod tests {
    #[test]
    fn root_prefix_counts_folders() {
        assert_eq!(super::root_prefix("index.html"), "");
        assert_eq!(
            super::root_prefix("regions/cm/2022/index.html"),
            "../../../"
        );
    }
}
