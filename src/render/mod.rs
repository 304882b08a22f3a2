//! Render: turn the validated data, the analysed views and the narrative into the files
//! of the site.
//!
//! In: a `SiteInput` (config, dataset, content pages, theme folder) and a sink. Out: every
//! file of the site handed to the sink (path relative to the output folder + bytes), or
//! diagnostics when a template fails. It builds a flat list of lazy page jobs and runs
//! them in parallel with rayon; it never chooses where files land — the sink (the `write`
//! stage's staging folder) does, so a failed render never reaches the output folder.

mod area;
mod brief;
mod cache;
mod cards;
mod category;
mod charts;
mod compare;
mod content;
mod context;
mod directory;
pub mod escape;
mod exports;
pub mod fingerprint;
mod hexmap;
mod home;
pub mod markdown;
mod overview;
mod pages;
mod region;
mod report;
mod search;
mod service_facts;
mod share_chart;
mod shares;
mod shortcodes;
mod sitemap;
mod templates;
#[cfg(test)]
mod theme_contract;
mod views;
mod wayfinding;

use crate::diag::Diagnostic;
use crate::model::Dataset;
use crate::model::Page;
use crate::model::SiteConfig;
use rayon::prelude::*;
use std::path::PathBuf;

use crate::write::{Manifest, OutputFile, Sink, UnitRecord};
pub use brief::brief_path;
pub use cache::RenderCache;
pub use fingerprint::Dep;
use fingerprint::Fingerprints;

pub struct SiteInput<'a> {
    pub root: PathBuf,
    pub config: &'a SiteConfig,
    pub dataset: &'a Dataset,
    pub pages: &'a [Page],
    pub audience: crate::audience::Audience,
    /// Views many pages share, worked out once on first use.
    pub cache: RenderCache,
    /// What every page's context starts from, worked out by the first page of the build.
    pub(crate) base_values: std::sync::OnceLock<context::BaseValues>,
}

/// One page to render: where it goes, with which template, and its own context.
pub struct PageJob {
    pub path: String,
    pub template: String,
    pub context: tera::Context,
}

impl PageJob {
    /// The page at `path`, rendered with `template` from `context`: a typed context whose
    /// fields are the template's variables (with `context::Base` flattened into it).
    pub fn new(
        path: impl Into<String>,
        template: impl Into<String>,
        context: &impl serde::Serialize,
    ) -> Result<PageJob, Vec<Diagnostic>> {
        let path = path.into();
        let template = template.into();
        let context = template_context(&path, &template, context)?;
        Ok(PageJob {
            path,
            template,
            context,
        })
    }
}

/// A typed context as the values `template` receives on the page at `path`. Its fields
/// become the template's variables.
fn template_context(
    path: &str,
    template: &str,
    context: &impl serde::Serialize,
) -> Result<tera::Context, Vec<Diagnostic>> {
    #[cfg(test)]
    theme_contract::record(template, context);
    tera::Context::from_serialize(context).map_err(|e| {
        vec![
            Diagnostic::error(
                "E062",
                path,
                format!("the values of the page could not be handed to `{template}`: {e}"),
            )
            .help("this is a fault in scopemap: please report it with the data that causes it"),
        ]
    })
}

/// A page whose context is built only when the job runs, so building contexts happens in
/// parallel and no page's context outlives its rendering. `deps` says what it reads, so a
/// rebuild can skip it when none of that has changed.
pub struct LazyJob<'a> {
    pub path: String,
    pub deps: Vec<Dep<'a>>,
    make: Box<dyn Fn() -> Result<PageJob, Vec<Diagnostic>> + Send + Sync + 'a>,
}

pub fn lazy<'a>(
    path: String,
    deps: Vec<Dep<'a>>,
    make: impl Fn() -> Result<PageJob, Vec<Diagnostic>> + Send + Sync + 'a,
) -> LazyJob<'a> {
    LazyJob {
        path,
        deps,
        make: Box::new(make),
    }
}

/// Where a file group hands each file as soon as it is made, from any thread.
pub type Emit<'e> = dyn Fn(OutputFile) + Sync + 'e;

/// How a file group makes its files: each is handed to the `Emit` it is given, so large
/// files are written and freed one by one instead of being held until the last is made.
type MakeFiles<'a> = Box<dyn Fn(&Emit) -> Result<(), Vec<Diagnostic>> + Send + Sync + 'a>;

/// Files generated together (an export, the search index, the Open Referral feed): a unit
/// of output with a name, what it reads, and how it makes its files.
pub struct FileGroup<'a> {
    name: String,
    deps: Vec<Dep<'a>>,
    make: MakeFiles<'a>,
}

impl<'a> FileGroup<'a> {
    /// A group named `name` (its key in the manifest), made again only when something in
    /// `deps` changed; `make` hands each of its files to the `Emit` it is given.
    pub fn new(
        name: impl Into<String>,
        deps: Vec<Dep<'a>>,
        make: impl Fn(&Emit) -> Result<(), Vec<Diagnostic>> + Send + Sync + 'a,
    ) -> FileGroup<'a> {
        FileGroup {
            name: name.into(),
            deps,
            make: Box::new(make),
        }
    }
}

/// Hand every file of `files` to `emit`, several at once.
fn emit_all(files: Vec<OutputFile>, emit: &Emit) {
    files.into_par_iter().for_each(emit);
}

/// A file group's name, fingerprint, files, and whether it was made now.
type GroupOutcome<'n> = (&'n str, String, Vec<String>, bool);

/// What a render produced.
#[derive(Debug)]
pub struct Rendered {
    /// Every file of the site, sorted: those written now and those kept from the last build.
    pub paths: Vec<String>,
    /// The files handed to the sink this time.
    pub written: Vec<String>,
    /// What to keep for the next build.
    pub manifest: Manifest,
}

/// Render the site into `sink`, pages in parallel, with the file groups of the site and
/// those in `more` (such as the Open Referral feed). With the manifest of the previous build
/// (whose files are still in place), a page or file group whose fingerprint has not
/// changed is not rendered again: its files are listed as kept. Returns every path and the
/// new manifest, or every diagnostic (after which the caller discards what the sink got).
pub fn render_site<'a>(
    input: &'a SiteInput,
    more: Vec<FileGroup<'a>>,
    sink: &dyn Sink,
    previous: Option<&Manifest>,
) -> Result<Rendered, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let tera = templates::load_templates(
        &input.root,
        &input.config.theme.value,
        &mut diagnostics,
        &input.cache.templates,
    );
    let Some(tera) = tera else {
        return Err(diagnostics);
    };
    let theme = templates::theme_fingerprint(&input.root, &input.config.theme.value);
    let shared = views::shared(input, theme);
    // Three independent steps that each take tens of milliseconds at national size, made
    // side by side rather than one after another.
    let (fingerprints, (jobs, groups)) = rayon::join(
        || Fingerprints::new(input, theme, &shared.nav),
        || {
            rayon::join(
                || pages::page_jobs(input, &tera, &shared),
                || {
                    let mut groups = pages::file_groups(input);
                    groups.extend(more);
                    groups
                },
            )
        },
    );
    let unchanged = |name: &str, fingerprint: &str| {
        previous
            .and_then(|m| m.units.get(name))
            .is_some_and(|u| u.fingerprint == fingerprint)
    };
    let write_error = |path: &str, e: crate::write::WriteError| {
        Diagnostic::error("E065", path, e.message)
            .help("check free disk space and permissions of the output folder")
    };

    // (path, fingerprint, whether it was rendered now)
    let render_pages = || -> Vec<Result<(String, String, bool), Vec<Diagnostic>>> {
        // First the fingerprints, which say which pages must be rendered again: a rebuild
        // after one edit skips nearly all of them.
        let fingerprinted: Vec<(&LazyJob, String, bool)> = jobs
            .par_iter()
            .map(|job| {
                let fingerprint = fingerprints.unit(&job.deps);
                let again = !unchanged(&job.path, &fingerprint);
                (job, fingerprint, again)
            })
            .collect();
        let (again, kept): (Vec<_>, Vec<_>) = fingerprinted.into_iter().partition(|j| j.2);
        let progress = progress_bar(again.len());
        let mut results: Vec<_> = kept
            .into_iter()
            .map(|(job, fingerprint, _)| Ok((job.path.clone(), fingerprint, false)))
            .collect();
        // Then the pages, one per task: a run of pages left to one thread at the end would
        // keep the other cores idle, and a page is far more work than handing it out.
        // The sink hears which pages are coming first, while they render.
        let paths: Vec<&str> = again.iter().map(|(job, _, _)| job.path.as_str()).collect();
        let render = |results: &mut Vec<_>| {
            results.par_extend(again.into_par_iter().with_max_len(1).map(
                |(job, fingerprint, _)| {
                    progress.inc(1);
                    let page = (job.make)()?;
                    // Rendered as bytes into a buffer the size of a typical page: the sink
                    // takes bytes, so the text need not be checked and copied into a String.
                    let mut html = Vec::with_capacity(16 * 1024);
                    tera.render_to(&page.template, &page.context, &mut html)
                        .map_err(|e| {
                            vec![templates::template_error(
                                &tera,
                                &page.template,
                                &page.path,
                                &e,
                            )]
                        })?;
                    sink.put(&page.path, &html)
                        .map_err(|e| vec![write_error(&page.path, e)])?;
                    Ok((page.path, fingerprint, true))
                },
            ))
        };
        rayon::join(|| sink.expect(&paths), || render(&mut results));
        progress.finish_and_clear();
        results
    };
    // The generated files do not depend on the pages or on each other. Their few large
    // files (the directory export, the search index) are each made by one thread, so they
    // start alongside the pages, which keep the other cores busy meanwhile. Each group's
    // files are written as soon as it is made.
    let make_groups = || -> Vec<Result<GroupOutcome, Vec<Diagnostic>>> {
        groups
            .par_iter()
            .map(|g| {
                let fingerprint = fingerprints.unit(&g.deps);
                if unchanged(&g.name, &fingerprint)
                    && let Some(record) = previous.and_then(|m| m.units.get(&g.name))
                {
                    let kept = record
                        .files(&g.name)
                        .into_iter()
                        .map(String::from)
                        .collect();
                    return Ok((g.name.as_str(), fingerprint, kept, false));
                }
                let written = std::sync::Mutex::new(Vec::new());
                let failed = std::sync::Mutex::new(Vec::new());
                let emit = |f: OutputFile| match sink.put(&f.path, &f.bytes) {
                    Ok(()) => written
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(f.path),
                    Err(e) => failed
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(write_error(&f.path, e)),
                };
                (g.make)(&emit)?;
                let failed = failed.into_inner().unwrap_or_else(|e| e.into_inner());
                if !failed.is_empty() {
                    return Err(failed);
                }
                // Files are handed over from several threads: sorted, the list is the
                // same in every build.
                let mut files = written.into_inner().unwrap_or_else(|e| e.into_inner());
                files.sort_unstable();
                Ok((g.name.as_str(), fingerprint, files, true))
            })
            .collect()
    };
    let (results, outcomes) = rayon::join(render_pages, make_groups);
    drop(jobs);
    drop(shared);
    // Units in any order: the manifest's map is built from them in one go.
    let mut units: Vec<(String, UnitRecord)> = Vec::with_capacity(results.len() + outcomes.len());
    let mut paths = Vec::new();
    let mut written = Vec::new();
    for r in results {
        match r {
            Ok((path, fingerprint, now)) => {
                if now {
                    written.push(path.clone());
                }
                paths.push(path.clone());
                let files = None;
                units.push((path, UnitRecord { fingerprint, files }));
            }
            Err(d) => diagnostics.extend(d),
        }
    }
    for outcome in outcomes {
        match outcome {
            Ok((name, fingerprint, files, now)) => {
                if now {
                    written.extend(files.iter().cloned());
                }
                paths.extend(files.iter().cloned());
                let files = Some(files);
                units.push((name.to_string(), UnitRecord { fingerprint, files }));
            }
            Err(d) => diagnostics.extend(d),
        }
    }
    // The sitemap lists every page: it changes when a page comes or goes, or with the
    // settings. It is made while the manifest and the check below are worked out, which
    // would otherwise leave all but one core idle at the end of every build.
    paths.par_sort_unstable();
    let sitemap_name = "sitemap.xml";
    let make_sitemap = || {
        let fingerprint = fingerprints.listing(sitemap_name, &paths);
        if unchanged(sitemap_name, &fingerprint) {
            return (fingerprint, None);
        }
        let sitemap = sitemap::sitemap(input, &paths);
        let outcome = sink
            .put(&sitemap.path, &sitemap.bytes)
            .map_err(|e| write_error(&sitemap.path, e));
        (fingerprint, Some(outcome))
    };
    let check_paths = || {
        units.par_sort_by(|a, b| a.0.cmp(&b.0));
        written.par_sort_unstable();
        // Two items landing on one path (or on paths that differ only in case, which
        // clash on case-insensitive disks) would silently lose one of them. When every
        // unit wrote the same files as in the last build, which passed this check, there
        // is nothing new to compare.
        let same_files = previous.is_some_and(|p| {
            p.units.len() == units.len() + 1
                && p.units
                    .iter()
                    .filter(|(name, _)| name.as_str() != sitemap_name)
                    .zip(&units)
                    .all(|((a, x), (b, y))| a == b && x.files == y.files)
        });
        let mut folded: Vec<String> = if same_files {
            Vec::new()
        } else {
            let mut folded: Vec<String> = paths.par_iter().map(|p| p.to_lowercase()).collect();
            folded.push(sitemap_name.to_string());
            folded
        };
        folded.par_sort_unstable();
        folded
            .windows(2)
            .filter(|pair| pair[0] == pair[1])
            .map(|pair| pair[1].clone())
            .collect::<Vec<String>>()
    };
    let ((fingerprint, sitemap_written), clashes) = rayon::join(make_sitemap, check_paths);
    // Each list is sorted: the sitemap goes in its place.
    let place = |list: &[String]| list.partition_point(|p| p.as_str() < sitemap_name);
    match sitemap_written {
        Some(Ok(())) => written.insert(place(&written), sitemap_name.to_string()),
        Some(Err(e)) => diagnostics.push(e),
        None => {}
    }
    paths.insert(place(&paths), sitemap_name.to_string());
    let at = units.partition_point(|(name, _)| name.as_str() < sitemap_name);
    let files = None;
    units.insert(
        at,
        (sitemap_name.to_string(), UnitRecord { fingerprint, files }),
    );
    let manifest = Manifest {
        units: units.into_iter().collect(),
    };
    for clash in clashes {
        diagnostics.push(
            Diagnostic::error("E064", &clash, format!("two items would be written to `{clash}`"))
                .help("rename a static file, a template output or a content page so each has its own path"),
        );
    }
    if diagnostics.is_empty() {
        Ok(Rendered {
            paths,
            written,
            manifest,
        })
    } else {
        Err(templates::merge_repeated_failures(diagnostics))
    }
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

/// The path part of the base URL, ending in `/` (`https://x.org/scoping` → `/scoping/`).
pub fn base_path(base_url: &str) -> String {
    let path = match base_url.split_once("://") {
        Some((_, rest)) => rest.find('/').map(|i| &rest[i..]).unwrap_or("/"),
        None => base_url,
    };
    format!("{}/", path.trim_end_matches('/'))
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
