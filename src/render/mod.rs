//! Render: turn the validated data, the analysed views and the narrative into the files
//! of the site.
//!
//! In: a `SiteInput` (config, dataset, content pages, theme folder) and a sink. Out: every
//! file of the site handed to the sink (path relative to the output folder + bytes), or
//! diagnostics when a template fails. It builds a flat list of lazy page jobs and runs
//! them in parallel with rayon; it never chooses where files land — the sink (the `write`
//! stage's staging folder) does, so a failed render never reaches the output folder.

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
    /// Views many pages share, worked out once on first use.
    pub cache: RenderCache,
}

/// Matrices by region and year, and each region's services, computed once per build.
#[derive(Default)]
pub struct RenderCache {
    matrices: std::sync::OnceLock<std::collections::HashMap<(String, u16), crate::analyse::Matrix>>,
    region_services: std::sync::OnceLock<std::collections::HashMap<String, Vec<usize>>>,
}

impl<'a> SiteInput<'a> {
    /// The provision matrix of a region and year (computed once, in parallel, for all).
    pub fn matrix(
        &self,
        fw: &crate::model::Framework,
        region: &crate::model::Region,
        year: u16,
    ) -> std::borrow::Cow<'_, crate::analyse::Matrix> {
        let all = self.cache.matrices.get_or_init(|| {
            let ds = self.dataset;
            let pairs: Vec<(&crate::model::Region, u16)> = ds
                .regions
                .iter()
                .flat_map(|r| {
                    crate::analyse::region_years(ds, &r.value.id.value)
                        .into_iter()
                        .map(move |y| (&r.value, y))
                })
                .collect();
            pairs
                .into_par_iter()
                .map(|(r, y)| {
                    (
                        (r.id.value.clone(), y),
                        crate::analyse::matrix(ds, fw, r, y),
                    )
                })
                .collect()
        });
        match all.get(&(region.id.value.clone(), year)) {
            Some(m) => std::borrow::Cow::Borrowed(m),
            None => std::borrow::Cow::Owned(crate::analyse::matrix(self.dataset, fw, region, year)),
        }
    }

    /// Services that work in a region: in one of its areas, or across the whole region.
    pub fn region_services(&self, region: &crate::model::Region) -> Vec<&'a crate::model::Service> {
        let all = self.cache.region_services.get_or_init(|| {
            let ds = self.dataset;
            let mut map: std::collections::HashMap<String, Vec<usize>> =
                std::collections::HashMap::new();
            for (i, s) in ds.services.iter().enumerate() {
                let mut regions: Vec<&str> = s
                    .value
                    .areas
                    .iter()
                    .filter_map(|a| ds.area(&a.value))
                    .map(|(r, _)| r.id.value.as_str())
                    .collect();
                regions.extend(s.value.regions.iter().map(|r| r.value.as_str()));
                regions.sort_unstable();
                regions.dedup();
                for r in regions {
                    map.entry(r.to_string()).or_default().push(i);
                }
            }
            map
        });
        all.get(&region.id.value)
            .map(|ids| {
                ids.iter()
                    .map(|i| &self.dataset.services[*i].value)
                    .collect()
            })
            .unwrap_or_default()
    }
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

/// A page whose context is built only when the job runs, so building contexts happens in
/// parallel and no page's context outlives its rendering.
pub struct LazyJob<'a> {
    pub path: String,
    make: Box<dyn Fn() -> Result<PageJob, Vec<Diagnostic>> + Send + Sync + 'a>,
}

pub fn lazy<'a>(
    path: String,
    make: impl Fn() -> Result<PageJob, Vec<Diagnostic>> + Send + Sync + 'a,
) -> LazyJob<'a> {
    LazyJob {
        path,
        make: Box::new(make),
    }
}

/// Where rendered files go: called from several threads at once with a path relative to
/// the output folder and the file's bytes.
pub type Sink<'s> = dyn Fn(&str, &[u8]) -> Result<(), String> + Sync + 's;

/// Render every file of the site into `sink`, pages in parallel. Returns the paths written,
/// sorted, or every diagnostic (after which the caller discards what the sink received).
pub fn render_site(input: &SiteInput, sink: &Sink) -> Result<Vec<String>, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let tera = templates::load_templates(&input.root, &input.config.theme.value, &mut diagnostics);
    let Some(tera) = tera else {
        return Err(diagnostics);
    };
    let shared = pages::shared(input);
    let jobs = pages::page_jobs(input, &tera, &shared);
    let progress = progress_bar(jobs.len());
    let results: Vec<Result<String, Vec<Diagnostic>>> = jobs
        .par_iter()
        .map(|job| {
            progress.inc(1);
            let page = (job.make)()?;
            let html = tera
                .render(&page.template, &page.context)
                .map_err(|e| vec![templates::template_error(&page.template, &page.path, &e)])?;
            sink(&page.path, html.as_bytes()).map_err(|e| {
                vec![
                    Diagnostic::error("E065", &page.path, e)
                        .help("check free disk space and permissions of the output folder"),
                ]
            })?;
            Ok(page.path)
        })
        .collect();
    progress.finish_and_clear();
    let mut paths = Vec::new();
    for r in results {
        match r {
            Ok(p) => paths.push(p),
            Err(d) => diagnostics.extend(d),
        }
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let mut files: Vec<OutputFile> = exports::exports(input);
    files.extend(directory::search_index(input));
    files.extend(crate::oruk::export_files(input.dataset));
    files.push(pages::sitemap(input, &paths));
    files.extend(templates::static_files(
        &input.root,
        &input.config.theme.value,
        &mut diagnostics,
    ));
    files.push(context::ratings_css(input.dataset));
    for f in files {
        if let Err(e) = sink(&f.path, &f.bytes) {
            diagnostics.push(
                Diagnostic::error("E065", &f.path, e)
                    .help("check free disk space and permissions of the output folder"),
            );
        }
        paths.push(f.path);
    }
    paths.sort();
    // Two items landing on one path (or on paths that differ only in case, which clash on
    // case-insensitive disks) would silently lose one of them.
    let mut folded: Vec<String> = paths.iter().map(|p| p.to_lowercase()).collect();
    folded.sort();
    for pair in folded.windows(2) {
        if pair[0] == pair[1] {
            diagnostics.push(
                Diagnostic::error("E064", &pair[1], format!("two items would be written to `{}`", pair[1]))
                    .help("rename a static file, a template output or a content page so each has its own path"),
            );
        }
    }
    if diagnostics.is_empty() {
        Ok(paths)
    } else {
        Err(diagnostics)
    }
}

/// Render the whole site into memory (for tests and small sites).
pub fn render_to_memory(input: &SiteInput) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let files = std::sync::Mutex::new(Vec::new());
    let sink = |path: &str, bytes: &[u8]| -> Result<(), String> {
        files
            .lock()
            .map_err(|_| "a rendering thread failed".to_string())?
            .push(OutputFile {
                path: path.into(),
                bytes: bytes.to_vec(),
            });
        Ok(())
    };
    render_site(input, &sink)?;
    let mut files = files.into_inner().unwrap_or_default();
    files.sort_by(|a, b| a.path.cmp(&b.path));
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
