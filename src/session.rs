//! Build sessions: one `build`, or the many rebuilds of `serve`, which keeps what it loaded
//! between them so that a rebuild reads and parses only the data files that changed and
//! renders only the pages they feed.
//!
//! In: the site root, the output folder, the audience, and for each rebuild the files as
//! they are on disk now. Out: the build's log and exit code; the output folder updated in
//! place (or, the first time, replaced as a whole), or left exactly as it was when the
//! build fails.
//!
//! Data files are compared by size and modification time. The session patches its copy of
//! the data only when the same files exist as last time and every changed file still
//! parses cleanly; anything else (a file added, removed or broken) is a full load, which
//! also gives the located diagnostics.

use crate::audience::Audience;
use crate::commands::{Format, print_diagnostics};
use crate::diag::{self, Diagnostic};
use crate::load::{self, FileKind, Parsed};
use crate::model::{Dataset, SourceFile};
use crate::render::Manifest;
use crate::{EXIT_CANNOT_RUN, EXIT_DATA_ERRORS, EXIT_OK};
use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

/// What a data file looked like when it was read.
type Stamp = (u64, Option<SystemTime>);

/// A data file found on disk now.
#[derive(Clone)]
struct Scanned {
    found: load::Found,
    stamp: Stamp,
}

/// The folders of the data tree with their modification times, and the data files found in
/// them. A folder's time changes when an entry is added, removed or renamed in it, so while
/// no folder's time has changed the list of files is still right and only their own
/// stamps need checking.
struct Tree {
    folders: Vec<(PathBuf, Option<SystemTime>)>,
    files: Arc<Vec<Scanned>>,
    /// Each file's position in `files`, by its path inside the data folder.
    positions: std::collections::HashMap<PathBuf, usize>,
    /// The data folder's real path, which file watchers report paths under.
    real_data_dir: Option<PathBuf>,
    /// Warnings about the files found (such as files in places scopemap does not read).
    warnings: Vec<Diagnostic>,
}

/// The data as last loaded, kept between rebuilds.
struct Loaded {
    /// As in the files: what is validated and quoted in messages.
    raw: Dataset,
    /// With the audience applied: what is rendered. Its source texts are dropped (for the
    /// public) and its digests kept.
    prepared: Dataset,
    /// The data files in source order, with their stamps; empty when the load was not
    /// clean, so the next rebuild loads everything again.
    files: Vec<(String, FileKind, Stamp)>,
    /// How many of the sources are data files (settings and narrative follow).
    data_sources: usize,
    /// What the last patch changed.
    stale: Stale,
}

pub struct Session {
    root: PathBuf,
    out: PathBuf,
    force: bool,
    audience: Audience,
    loaded: Option<Loaded>,
    /// What the output folder holds, once this session has built it.
    manifest: Option<Manifest>,
    /// How the last build got its data.
    last_load: DataLoad,
    /// The data tree as last scanned (only kept when scanning found nothing to report).
    tree: Option<Tree>,
    /// Matrices and counts of the last build, for the years whose data has not changed.
    cache: Option<crate::render::RenderCache>,
    /// What checking each service found, for the services whose files have not changed.
    checked: crate::validate::directory::Memo,
}

/// How a build got its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataLoad {
    /// Every data file was read and parsed.
    Full,
    /// The data kept from the last build was used, with this many changed files re-read.
    Patched(usize),
}

impl Session {
    pub fn new(root: &Path, out: &Path, force: bool, audience: Audience) -> Session {
        Session {
            root: root.to_path_buf(),
            out: out.to_path_buf(),
            force,
            audience,
            loaded: None,
            manifest: None,
            last_load: DataLoad::Full,
            tree: None,
            cache: None,
            checked: Default::default(),
        }
    }

    /// How the last build got its data.
    pub fn last_load(&self) -> DataLoad {
        self.last_load
    }

    /// Check the site and build it into the output folder, logging to `log`.
    pub fn build(&mut self, log: &mut dyn Write) -> i32 {
        self.build_after(None, log)
    }

    /// `build`, told which files changed since the last build (the paths a file watcher
    /// reported): only those files' stamps are looked at. `None` looks at every file.
    pub fn build_after(&mut self, changed: Option<&[PathBuf]>, log: &mut dyn Write) -> i32 {
        let (root, out_dir) = (self.root.clone(), self.out.clone());
        if !root.is_dir() {
            let _ = writeln!(
                log,
                "error: the root folder {} does not exist or is not a folder",
                root.display()
            );
            return EXIT_CANNOT_RUN;
        }
        let started = std::time::Instant::now();
        // Taken now, so that a build that stops early cannot leave matrices behind that a
        // later patch would not know to drop.
        let previous_cache = self.cache.take();
        let mut diagnostics = self.load_data(changed);
        let Some(loaded) = &mut self.loaded else {
            return EXIT_CANNOT_RUN;
        };
        // Matrices of the years no changed file touched are kept from the last build.
        let cache = match previous_cache {
            Some(cache) => cache.keep(
                |region, year| !loaded.stale.covers(region, year),
                loaded.stale.services_changed(),
            ),
            None => Default::default(),
        };
        diagnostics.extend(crate::validate::validate_remembering(
            &loaded.raw,
            Some((&loaded.prepared.digests, &mut self.checked)),
        ));
        let (config, config_source) = crate::config::load_config(&root, &mut diagnostics);
        let pages = crate::content::load_pages(&root, &mut diagnostics);
        diag::sort(&mut diagnostics);
        // Settings and narrative are read afresh every time (they are few files); their
        // sources follow the data's, for quoting.
        let data_files = loaded.data_sources;
        let extra: Vec<SourceFile> = config_source
            .into_iter()
            .chain(pages.iter().map(|p| p.source.clone()))
            .collect();
        attach_sources(&mut loaded.raw, data_files, &extra, None);
        attach_sources(
            &mut loaded.prepared,
            data_files,
            &extra,
            Some(self.audience),
        );

        // When the build stops, lead with the errors: they are what must be fixed.
        let errors_first: Vec<Diagnostic> = {
            let mut all = diagnostics.clone();
            all.sort_by_key(|d| !d.is_error());
            all
        };
        print_diagnostics(&loaded.raw, &errors_first, Format::Human, log);
        let (Some(config), 0) = (&config, diag::count_errors(&diagnostics)) else {
            let _ = writeln!(
                log,
                "build stopped: {}; {} was left as it was",
                diag::summary_line(&diagnostics),
                out_dir.display()
            );
            return EXIT_DATA_ERRORS;
        };
        let input = crate::render::SiteInput {
            root: root.clone(),
            config,
            dataset: &loaded.prepared,
            pages: &pages,
            audience: self.audience,
            cache,
        };
        let staging = match crate::write::check_output_dir(&root, &out_dir, self.force)
            .and_then(|_| crate::write::Staging::new(&out_dir))
        {
            Ok(staging) => staging,
            Err(e) => {
                let _ = writeln!(log, "error: {}\n   = help: {}", e.message, e.help);
                return EXIT_CANNOT_RUN;
            }
        };
        // A folder written by an earlier build is updated in place: only what changed is
        // rendered and replaced.
        let previous = match self.manifest.take() {
            Some(m) if out_dir.is_dir() => Some(m),
            _ => crate::write::read_manifest(&out_dir),
        };
        let sink = |path: &str, bytes: &[u8]| staging.put(path, bytes).map_err(|e| e.message);
        let rendered = match crate::render::render_site(&input, &sink, previous.as_ref()) {
            Ok(rendered) => rendered,
            Err(failed) => {
                // Dropping the staging folder removes it; the output was never touched.
                drop(staging);
                self.manifest = previous;
                print_diagnostics(&loaded.raw, &failed, Format::Human, log);
                let _ = writeln!(
                    log,
                    "build stopped: {}; {} was left as it was",
                    diag::summary_line(&failed),
                    out_dir.display()
                );
                return EXIT_DATA_ERRORS;
            }
        };
        // When every file was written again, the staging folder is a whole site: swap it in.
        let committed = match &previous {
            Some(previous) if rendered.written.len() < rendered.paths.len() => staging
                .commit_update(
                    &rendered.written,
                    &rendered.manifest.dropped_since(previous),
                    &rendered.manifest,
                ),
            _ => staging.commit(&rendered.manifest),
        };
        if let Err(e) = committed {
            self.manifest = previous;
            let _ = writeln!(log, "error: {}\n   = help: {}", e.message, e.help);
            return EXIT_CANNOT_RUN;
        }
        let files = &rendered.paths;
        let pages = files.iter().filter(|f| f.ends_with(".html")).count();
        let unchanged = if previous.is_some() {
            format!(
                ": {} written, {} unchanged",
                rendered.written.len(),
                files.len() - rendered.written.len()
            )
        } else {
            String::new()
        };
        let _ = writeln!(
            log,
            "built {pages} pages ({} files{unchanged}) into {} in {:.2}s; {}",
            files.len(),
            out_dir.display(),
            started.elapsed().as_secs_f64(),
            diag::summary_line(&diagnostics)
        );
        self.manifest = Some(rendered.manifest);
        self.cache = Some(input.cache);
        EXIT_OK
    }

    /// Bring the session's data up to date with the disk: patch what changed, or load it all.
    /// Returns the diagnostics of loading (not of validating).
    fn load_data(&mut self, changed: Option<&[PathBuf]>) -> Vec<Diagnostic> {
        let mut scan_diagnostics = Vec::new();
        let scanned = self.scan(changed, &mut scan_diagnostics);
        if let Some(loaded) = &mut self.loaded
            && !scan_diagnostics.iter().any(Diagnostic::is_error)
            && let Some(changed) = loaded.patch(&scanned, self.audience)
        {
            self.last_load = DataLoad::Patched(changed);
            return scan_diagnostics;
        }
        self.last_load = DataLoad::Full;
        let (raw, diagnostics) = load::load(&self.root);
        let mut prepared = raw.clone();
        crate::audience::prepare(&mut prepared, self.audience);
        prepared.digests = prepared.source_digests();
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
        self.loaded = Some(Loaded {
            stale: Stale::everything(),
            data_sources: raw.sources.len(),
            raw,
            prepared,
            files,
        });
        diagnostics
    }
}

impl Loaded {
    /// Re-read the files whose stamps changed and put their values in place; how many
    /// there were, or `None` when that cannot be done (files added or removed, or a
    /// changed file with a problem).
    fn patch(&mut self, scanned: &[Scanned], audience: Audience) -> Option<usize> {
        if self.files.is_empty()
            || self.files.len() != scanned.len()
            || self
                .files
                .iter()
                .zip(scanned)
                .any(|((path, kind, _), f)| *path != f.found.rel_path || *kind != f.found.kind)
        {
            return None;
        }
        let changed: Vec<usize> = (0..scanned.len())
            .filter(|i| self.files[*i].2 != scanned[*i].stamp)
            .collect();
        let mut fresh = Vec::new();
        for &i in &changed {
            let found = &scanned[i].found;
            let mut problems = Vec::new();
            let text = load::read_text(&found.disk_path, &found.rel_path, &mut problems)?;
            let file = SourceFile {
                path: found.rel_path.clone(),
                disk_path: found.disk_path.clone(),
                text,
            };
            match load::parse_kind(found.kind, &file, &mut problems) {
                Some(value) if problems.is_empty() => fresh.push((i, file, value)),
                _ => return None,
            }
        }
        let mut stale = Stale::nothing();
        for (i, file, value) in fresh {
            stale.add(touches_source(&self.raw, i));
            if let Some(also) = touches_also(&value) {
                stale.add(also);
            }
            let mut prepared_value = value.clone();
            match &mut prepared_value {
                Parsed::Return(r) => crate::audience::prepare_return(r, audience),
                Parsed::Service(s) => crate::audience::prepare_service(s, audience),
                _ => {}
            }
            let digest = blake3::hash(file.text.as_bytes());
            if !load::replace(&mut self.raw, i, value)
                || !load::replace(&mut self.prepared, i, prepared_value)
            {
                // The kinds line up by construction; if not, start again from the disk.
                self.files.clear();
                return None;
            }
            if let Some(slot) = self.prepared.digests.get_mut(i) {
                *slot = digest;
            }
            if let Some(source) = self.prepared.sources.get_mut(i) {
                source.text = if audience == Audience::Internal {
                    file.text.clone()
                } else {
                    String::new()
                };
            }
            self.raw.sources[i] = file;
            self.files[i].2 = scanned[i].stamp;
        }
        self.stale = stale;
        Some(changed.len())
    }
}

/// What one data file feeds into the views kept between builds.
enum Touches {
    /// The matrices of one region's year (a return or a report file).
    Year(String, u16),
    /// The service cards of the service at this position (a service file).
    Service(usize),
    /// Everything (a framework or region file).
    All,
}

/// What a new value touches beyond what the value it replaces did (a return or report
/// may now name another region or year).
fn touches_also(value: &Parsed) -> Option<Touches> {
    match value {
        Parsed::Return(r) => Some(Touches::Year(r.region.value.clone(), r.year.value)),
        Parsed::Report(r) => Some(Touches::Year(r.region.value.clone(), r.year.value)),
        Parsed::Service(_) => None,
        Parsed::Framework(_) | Parsed::Region(_) => Some(Touches::All),
    }
}

/// What the value loaded from `source` feeds into the views kept between builds.
fn touches_source(ds: &Dataset, source: usize) -> Touches {
    if let Some(r) = ds.returns.iter().find(|r| r.source == source) {
        return Touches::Year(r.value.region.value.clone(), r.value.year.value);
    }
    if let Some(r) = ds.reports.iter().find(|r| r.source == source) {
        return Touches::Year(r.value.region.value.clone(), r.value.year.value);
    }
    if let Some(position) = ds.services.iter().position(|s| s.source == source) {
        return Touches::Service(position);
    }
    Touches::All
}

/// What the last patch changed, for the views kept from the last build.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stale {
    /// Everything may have changed (a framework or region file, or a full load).
    all: bool,
    /// These regions' years changed.
    years: Vec<(String, u16)>,
    /// The positions of the services that changed.
    services: Vec<usize>,
}

impl Stale {
    fn nothing() -> Stale {
        Stale {
            all: false,
            years: Vec::new(),
            services: Vec::new(),
        }
    }

    fn everything() -> Stale {
        Stale {
            all: true,
            ..Stale::nothing()
        }
    }

    fn add(&mut self, touched: Touches) {
        match touched {
            Touches::Year(region, year) => self.years.push((region, year)),
            Touches::Service(position) => self.services.push(position),
            Touches::All => self.all = true,
        }
    }

    /// Whether a region's year's matrix may have changed.
    fn covers(&self, region: &str, year: u16) -> bool {
        self.all || self.years.iter().any(|(r, y)| r == region && *y == year)
    }

    /// The positions of the services whose cards may have changed; `None` for all.
    fn services_changed(&self) -> Option<&[usize]> {
        (!self.all).then_some(self.services.as_slice())
    }
}

/// Replace the sources after the first `data_files` (settings and narrative) with `extra`;
/// with an audience, as `audience::prepare` leaves them (digests kept, public text dropped).
fn attach_sources(
    ds: &mut Dataset,
    data_files: usize,
    extra: &[SourceFile],
    audience: Option<Audience>,
) {
    ds.sources.truncate(data_files);
    ds.sources.extend(extra.iter().cloned());
    if let Some(audience) = audience {
        ds.digests.truncate(data_files);
        ds.digests
            .extend(extra.iter().map(|s| blake3::hash(s.text.as_bytes())));
        if audience == Audience::Public {
            for s in &mut ds.sources[data_files..] {
                s.text.clear();
            }
        }
    }
}

impl Tree {
    /// Whether the files found last time are still all there is, given the times of the
    /// same folders now: in each folder whose time changed, the same names as before. Saving a file by writing a
    /// temporary file and renaming it over the old one changes the folder's time but not
    /// its names.
    fn still_lists(&self, folders: &[(PathBuf, Option<SystemTime>)]) -> bool {
        self.folders
            .iter()
            .zip(folders)
            .filter(|(before, now)| before.1 != now.1)
            .all(|(_, (folder, _))| self.names_in(folder) == listing(folder))
    }

    /// The names of the data files and folders known to be in `folder`, sorted.
    fn names_in(&self, folder: &Path) -> Option<Vec<String>> {
        let name = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned());
        let files = self
            .files
            .iter()
            .map(|f| f.found.disk_path.as_path())
            .filter(|p| p.parent() == Some(folder));
        let subfolders = self
            .folders
            .iter()
            .map(|(p, _)| p.as_path())
            .filter(|p| p.parent() == Some(folder));
        let mut names: Vec<String> = files.chain(subfolders).filter_map(name).collect();
        names.sort();
        Some(names)
    }
}

/// The names in `folder` that scopemap would look at (hidden ones are skipped), sorted.
fn listing(folder: &Path) -> Option<Vec<String>> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .ok()?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    Some(names)
}

/// Every folder under `data_dir` (itself included) with its modification time.
fn folder_stamps(data_dir: &Path) -> Vec<(PathBuf, Option<SystemTime>)> {
    let mut folders: Vec<(PathBuf, Option<SystemTime>)> = walkdir::WalkDir::new(data_dir)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| e.file_type().is_dir())
        .flatten()
        .filter(|e| e.file_type().is_dir())
        .map(|e| {
            let time = e.metadata().ok().and_then(|m| m.modified().ok());
            (e.into_path(), time)
        })
        .collect();
    folders.sort_by(|a, b| a.0.cmp(&b.0));
    folders
}

fn stamp_of(path: &Path) -> Stamp {
    std::fs::metadata(path)
        .map(|m| (m.len(), m.modified().ok()))
        .unwrap_or((0, None))
}

impl Session {
    /// The data files on disk now, in the order `load` reads them, with their stamps.
    fn scan(
        &mut self,
        changed: Option<&[PathBuf]>,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Arc<Vec<Scanned>> {
        let data_dir = self.root.join(load::DATA_DIR);
        if !data_dir.is_dir() {
            self.tree = None;
            diagnostics.push(Diagnostic::error("E030", load::DATA_DIR, "no data folder"));
            return Arc::default();
        }
        // The folders known from last time are enough: a new folder changes its parent's
        // time, and a removed one has none.
        if let Some(tree) = &mut self.tree
            && let folders = tree
                .folders
                .iter()
                .map(|(p, _)| {
                    (
                        p.clone(),
                        std::fs::metadata(p).and_then(|m| m.modified()).ok(),
                    )
                })
                .collect::<Vec<_>>()
            && tree.still_lists(&folders)
        {
            tree.folders = folders;
            diagnostics.extend(tree.warnings.iter().cloned());
            let files = Arc::make_mut(&mut tree.files);
            match (changed, &tree.real_data_dir) {
                // Only the files named; other names (temporary files, folders) are covered
                // by the folders' check above.
                (Some(paths), Some(real)) => {
                    for path in paths {
                        let inside = path
                            .strip_prefix(real)
                            .or_else(|_| path.strip_prefix(&data_dir));
                        if let Some(&i) = inside.ok().and_then(|p| tree.positions.get(p)) {
                            files[i].stamp = stamp_of(&files[i].found.disk_path);
                        }
                    }
                }
                _ => files
                    .par_iter_mut()
                    .for_each(|f| f.stamp = stamp_of(&f.found.disk_path)),
            }
            return Arc::clone(&tree.files);
        }
        let folders = folder_stamps(&data_dir);
        let mut found_diagnostics = Vec::new();
        let files: Arc<Vec<Scanned>> = Arc::new(
            load::discover(&data_dir, &mut found_diagnostics)
                .into_par_iter()
                .map(|found| Scanned {
                    stamp: stamp_of(&found.disk_path),
                    found,
                })
                .collect(),
        );
        self.tree = (!found_diagnostics.iter().any(Diagnostic::is_error)).then(|| Tree {
            folders,
            positions: files
                .iter()
                .enumerate()
                .filter_map(|(i, f)| {
                    let inside = f.found.disk_path.strip_prefix(&data_dir).ok()?;
                    Some((inside.to_path_buf(), i))
                })
                .collect(),
            real_data_dir: std::fs::canonicalize(&data_dir).ok(),
            files: Arc::clone(&files),
            warnings: found_diagnostics.clone(),
        });
        diagnostics.extend(found_diagnostics);
        files
    }
}
