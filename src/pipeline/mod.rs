//! The pipeline: the one function that builds the site, for `build` and for every rebuild
//! of `serve` alike — load → validate → audience → analyse → render → write — and the
//! caches that let a rebuild redo only what changed.
//!
//! In: the site root, the output folder, the audience, a `BuildCache` (empty for a single
//! build), and for a rebuild the files a watcher saw change. Out: the build's log and exit
//! code; the output folder updated in place (or, the first time, replaced as a whole), or
//! left exactly as it was when the build fails.
//!
//! Data files are compared by size and modification time. The cache patches its copy of
//! the data only when the same files exist as last time and every changed file still
//! parses cleanly; anything else (a file added, removed or broken) is a full load, which
//! also gives the located diagnostics. Settings and pages are few: they are read afresh
//! every time.

mod patch;
mod scan;

use crate::audience::Audience;
use crate::diag::{self, Diagnostic, Format, Reporter};
use crate::load;
use crate::model::{Dataset, Page, Site};
use crate::{EXIT_CANNOT_RUN, EXIT_DATA_ERRORS, EXIT_OK};
use patch::{Loaded, Stale};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What to build, and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The folder holding `scopemap.yaml`, `scoping-data/`, `content/` and `themes/`.
    pub root: PathBuf,
    /// The output folder.
    pub out: PathBuf,
    /// Replace an output folder that scopemap did not write.
    pub force: bool,
    pub audience: Audience,
}

/// What one build keeps for the next, so that a rebuild reads and parses only the data
/// files that changed, checks only the services that changed, and renders only the pages
/// they feed. A cache belongs to one set of `BuildOptions`.
pub struct BuildCache {
    /// The data as last loaded, as written and as prepared for the audience.
    loaded: Option<Loaded>,
    /// The data tree as last scanned (only kept when scanning found nothing to report).
    tree: Option<scan::Tree>,
    /// What checking each service found, for the services whose files have not changed.
    checked: crate::validate::directory::Memo,
    /// Matrices, counts, service cards and compiled templates of the last build, for what
    /// the changed files do not touch.
    views: Option<crate::render::RenderCache>,
    /// The Open Referral records of the last build, for the services that have not changed.
    records: Option<Arc<crate::oruk::Records>>,
    /// What the output folder holds, once a build with this cache has written it.
    manifest: Option<crate::write::Recorded>,
    /// How the last build got its data.
    last_load: DataLoad,
    /// Whether anything is kept for a next build. A single build loads the data once and
    /// prepares it in place, without a copy.
    keep: bool,
}

/// How a build got its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataLoad {
    /// Every data file was read and parsed.
    Full,
    /// The data kept from the last build was used, with this many changed files re-read.
    Patched(usize),
}

impl BuildCache {
    /// A cache for many builds of the same site into the same folder (`serve`).
    pub fn for_rebuilds() -> BuildCache {
        BuildCache {
            loaded: None,
            tree: None,
            checked: Default::default(),
            views: None,
            records: None,
            manifest: None,
            last_load: DataLoad::Full,
            keep: true,
        }
    }

    /// An empty cache for a single build (`scopemap build`): nothing is kept for a next one.
    pub fn single() -> BuildCache {
        BuildCache {
            keep: false,
            ..BuildCache::for_rebuilds()
        }
    }

    /// How the last build got its data.
    pub fn last_load(&self) -> DataLoad {
        self.last_load
    }
}

/// Check the site and build it into the output folder, logging to `log`. `changed` names
/// the files a watcher saw change since the last build with this cache: only their stamps
/// are looked at. `None` looks at every file.
pub fn build(
    options: &BuildOptions,
    cache: &mut BuildCache,
    changed: Option<&[PathBuf]>,
    log: &mut dyn Write,
) -> i32 {
    let mut log = Reporter::new(log);
    let code = build_reporting(options, cache, changed, &mut log);
    log.exit(code)
}

/// `build`, reporting to `log`.
fn build_reporting(
    options: &BuildOptions,
    cache: &mut BuildCache,
    changed: Option<&[PathBuf]>,
    log: &mut Reporter,
) -> i32 {
    let (root, out_dir) = (&options.root, &options.out);
    if let Err(e) = load::check_root(root) {
        log.failure(&e);
        return EXIT_CANNOT_RUN;
    }
    let started = std::time::Instant::now();
    crate::render::fingerprint::start_program_digest();
    // Taken now, so that a build that stops early cannot leave matrices behind that a
    // later patch would not know to drop.
    let previous_views = cache.views.take();
    let previous_records = cache.records.take();

    // Load: the data patched or read again, the settings and pages read afresh.
    let mut diagnostics = on_worker(|| load_data(options, cache, changed));
    let Some(loaded) = &mut cache.loaded else {
        return EXIT_CANNOT_RUN;
    };
    // What no changed file touched is kept from the last build.
    let views = match previous_views {
        Some(views) => views.keep(
            |region, year| !loaded.stale.covers(region, year),
            loaded.stale.services_changed(),
        ),
        None => Default::default(),
    };
    let records = match (previous_records, loaded.stale.services_changed()) {
        (Some(mut records), Some(changed)) => Arc::get_mut(&mut records)
            .map(|r| r.forget(changed))
            .map(|_| records),
        _ => None,
    };
    let site = load::load_around(root, std::mem::take(&mut loaded.raw), &mut diagnostics);

    // Validate, and stop on any error.
    diagnostics.extend(crate::validate::validate_site(
        &site,
        Some((&loaded.prepared.digests, &mut cache.checked)),
    ));
    diag::sort(&mut diagnostics);
    // When the build stops, lead with the errors: they are what must be fixed.
    let errors_first: Vec<Diagnostic> = {
        let mut all = diagnostics.clone();
        all.sort_by_key(|d| !d.is_error());
        all
    };
    print_diagnostics(&site, &errors_first, log);
    let Site {
        settings,
        settings_source,
        data,
        pages,
        ..
    } = site;
    loaded.raw = data;
    let (Some(config), 0) = (&settings, diag::count_errors(&diagnostics)) else {
        return stopped(&diagnostics, out_dir, log);
    };
    // Drafts are checked, never built.
    let pages: Vec<Page> = pages.into_iter().filter(|p| !p.is_draft()).collect();

    // Audience: what the public may not see is removed before anything is made of it.
    if !cache.keep {
        // Checked and reported: the data as written is needed no more.
        loaded.prepared = std::mem::take(&mut loaded.raw);
        crate::audience::prepare(&mut loaded.prepared, options.audience);
    }

    // Analyse and render (views are worked out as pages ask for them), then write.
    let input = crate::render::SiteInput {
        root: root.clone(),
        config,
        dataset: &loaded.prepared,
        pages: &pages,
        audience: options.audience,
        cache: views,
        base_values: Default::default(),
    };
    let output = match crate::write::Output::open(root, out_dir, options.force) {
        Ok(output) => output,
        Err(e) => {
            log.failure(&e.into());
            return EXIT_CANNOT_RUN;
        }
    };
    // A folder written by an earlier build is updated: only what changed is rendered,
    // and the rest of the new version is shared with the old one.
    let previous = match cache.manifest.take() {
        Some(m) if output.path().is_dir() => Some(m),
        _ => crate::write::read_manifest(output.path()),
    };
    let staging = crate::write::Staging::new(output, previous.as_ref());
    let records = records.unwrap_or_else(|| Arc::new(crate::oruk::Records::new(&loaded.prepared)));
    let rendered = match on_worker(|| {
        let feed = crate::oruk::feed_groups(&loaded.prepared, &records);
        crate::render::render_site(
            &input,
            feed,
            &staging,
            previous.as_ref().map(|p| &p.manifest),
        )
    }) {
        Ok(rendered) => rendered,
        Err(failed) => {
            // The output was never touched; the unfinished standby is made again by the
            // next build.
            drop(staging);
            cache.manifest = previous;
            let sources = diag::SourceMap::new(
                loaded
                    .raw
                    .sources
                    .iter()
                    .chain(&settings_source)
                    .chain(pages.iter().map(|p| &p.source)),
            );
            log.diagnostics(&failed, Format::Human, &sources);
            return stopped(&failed, out_dir, log);
        }
    };
    let gone = match &previous {
        Some(previous) => rendered.manifest.dropped_since(&previous.manifest),
        None => Vec::new(),
    };
    let incremental = previous.is_some();
    let (files, written) = (rendered.paths, rendered.written);
    match staging.commit(&gone, rendered.manifest) {
        Ok(crate::write::Committed::Switched(now)) => cache.manifest = Some(now),
        Ok(crate::write::Committed::Unchanged(_)) => cache.manifest = previous,
        Err(e) => {
            cache.manifest = previous;
            log.failure(&e.into());
            return EXIT_CANNOT_RUN;
        }
    }
    let pages = files.iter().filter(|f| f.ends_with(".html")).count();
    let unchanged = if incremental {
        format!(
            ": {} written, {} unchanged",
            written.len(),
            files.len() - written.len()
        )
    } else {
        String::new()
    };
    log.line(format_args!(
        "built {pages} pages ({} files{unchanged}) into {} in {:.2}s; {}",
        files.len(),
        out_dir.display(),
        started.elapsed().as_secs_f64(),
        diag::summary_line(&diagnostics)
    ));
    cache.views = Some(input.cache);
    cache.records = Some(records);
    EXIT_OK
}

/// Bring the cache's data up to date with the disk: patch what changed, or load it all.
/// Returns the diagnostics of loading (not of validating).
fn load_data(
    options: &BuildOptions,
    cache: &mut BuildCache,
    changed: Option<&[PathBuf]>,
) -> Vec<Diagnostic> {
    if !cache.keep {
        let (raw, diagnostics) = load::load(&options.root);
        cache.loaded = Some(Loaded {
            stale: Stale::everything(),
            raw,
            prepared: Dataset::default(),
            files: Vec::new(),
        });
        return diagnostics;
    }
    let mut scan_diagnostics = Vec::new();
    let scanned = scan::scan(
        &options.root,
        &mut cache.tree,
        changed,
        &mut scan_diagnostics,
    );
    if let Some(loaded) = &mut cache.loaded
        && !scan_diagnostics.iter().any(Diagnostic::is_error)
        && let Some(changed) = loaded.patch(&scanned, options.audience)
    {
        cache.last_load = DataLoad::Patched(changed);
        return scan_diagnostics;
    }
    cache.last_load = DataLoad::Full;
    let (raw, diagnostics) = load::load(&options.root);
    let mut prepared = raw.clone();
    crate::audience::prepare(&mut prepared, options.audience);
    prepared.digests = prepared.source_digests().into_owned();
    // Only a clean load (every file read and parsed) can be patched next time.
    let clean = diagnostics.len() == scan_diagnostics.len()
        && raw.sources.len() == scanned.len()
        && raw
            .sources
            .iter()
            .zip(scanned.iter())
            .all(|(s, f)| s.path == f.found.rel_path);
    let files = if clean {
        scanned
            .iter()
            .map(|f| (f.found.rel_path.clone(), f.found.kind, f.stamp))
            .collect()
    } else {
        Vec::new()
    };
    cache.loaded = Some(Loaded {
        stale: Stale::everything(),
        raw,
        prepared,
        files,
    });
    diagnostics
}

/// Print `diagnostics` for people, quoting the lines of the files of `site`.
fn print_diagnostics(site: &Site, diagnostics: &[Diagnostic], log: &mut Reporter) {
    if !diagnostics.is_empty() {
        let sources = diag::SourceMap::new(site.sources());
        log.diagnostics(diagnostics, Format::Human, &sources);
    }
}

/// Say that the build stopped on `diagnostics` and left `out_dir` alone.
fn stopped(diagnostics: &[Diagnostic], out_dir: &Path, log: &mut Reporter) -> i32 {
    log.line(format_args!(
        "build stopped: {}; {} was left as it was",
        diag::summary_line(diagnostics),
        out_dir.display()
    ));
    EXIT_DATA_ERRORS
}

/// Run `work` on one of rayon's worker threads, waiting for it. The allocator gives each
/// thread pages of its own; the workers' pages have room to spare once their earlier work
/// is freed, whereas on the main thread the large vectors these steps end with would need
/// pages never used before, which the system must zero first (a profile of a national
/// build showed half as much time zeroing pages at the end of rendering this way).
fn on_worker<R: Send>(work: impl FnOnce() -> R + Send) -> R {
    rayon::scope(|_| work())
}
