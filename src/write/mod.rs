//! Write: put rendered files on disk so that the output folder always holds one whole site,
//! the old one or the new one, whatever happens to the build.
//!
//! In: the site root, the `--out` folder, the manifest of the site now in it, and the
//! rendered files. Out: the output folder exchanged in one step for a finished new version,
//! or left exactly as it was (a failed or killed build); or a refusal before anything is
//! made.
//!
//! How: beside the output folder, `.NAME.scopemap/standby/` holds a second version of the
//! site. A build first makes the standby the same as the output (hard links to the output's
//! files), then writes the files that changed now into it as new files, deletes what is
//! gone, records the manifest in its marker, and exchanges it with the output folder. The
//! old site becomes the standby for the next build, and `.NAME.scopemap/standby.json` says
//! what that build changed, so the next one brings the standby up to date by linking just
//! those files. Unchanged files are shared by both versions, so a rebuild costs what it
//! changes, not the size of the site; only when the standby's state is unknown (the second
//! build into a folder, or after a killed build) is every file linked again.

mod manifest;
mod place;
mod sink;
mod swap;
mod tree;

pub use manifest::{Manifest, UnitRecord};
pub use place::check_output_dir;
pub use sink::{OutputFile, Sink};

use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use tree::Tree;

/// A file in every output folder scopemap writes, so it knows which folders are its own.
pub const MARKER: &str = ".scopemap-output";

/// Why the output folder could not be used or written, and what to do about it.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct WriteError {
    pub message: String,
    pub help: String,
}

impl From<WriteError> for crate::diag::Failure {
    fn from(e: WriteError) -> crate::diag::Failure {
        crate::diag::Failure::new(e.message).help(e.help)
    }
}

/// A rendered path may only name a file inside the output folder.
fn safe_relative(path: &str) -> Option<PathBuf> {
    let p = Path::new(path);
    let ok = !path.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)));
    ok.then(|| p.to_path_buf())
}

fn io_error(what: &str, e: std::io::Error) -> WriteError {
    WriteError {
        message: format!("{what}: {e}"),
        help: "check free disk space and permissions of the output folder and the folder it is in"
            .into(),
    }
}

/// An output folder checked and locked for one build.
pub struct Output {
    /// The folder as the user named it, for messages.
    named: PathBuf,
    /// The real folder it resolves to.
    real: PathBuf,
    side: swap::Side,
}

impl Output {
    /// Check `out` against the site at `root` (see `check_output_dir`) and lock its side
    /// folder, putting right what an earlier killed build left.
    pub fn open(root: &Path, out: &Path, force: bool) -> Result<Output, WriteError> {
        let real = check_output_dir(root, out, force)?;
        let side = swap::Side::open(&real).map_err(|e| {
            io_error(
                &format!("cannot prepare the folder beside {}", out.display()),
                e,
            )
        })?;
        Ok(Output {
            named: out.to_path_buf(),
            real,
            side,
        })
    }

    /// The real folder the site is written to.
    pub fn path(&self) -> &Path {
        &self.real
    }
}

/// What a commit did.
#[derive(Debug)]
pub enum Committed {
    /// The new version of the site is in place.
    Switched(Recorded),
    /// Nothing had changed: the output folder was not touched (its marker's hash).
    Unchanged(blake3::Hash),
}

/// The manifest recorded in an output folder's marker, and the hash of the marker's bytes,
/// which names that version of the site.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub manifest: Manifest,
    pub marker: blake3::Hash,
}

/// What `.NAME.scopemap/standby.json` says: the standby is the version the build that made
/// the output (whose marker hashes to `active`) started from, and that build wrote
/// `written` and removed `removed`.
#[derive(serde::Serialize, serde::Deserialize)]
struct StandbyState {
    active: String,
    written: Vec<String>,
    removed: Vec<String>,
}

const STANDBY_STATE: &str = "standby.json";

/// The standby version of the site, being made into the next version. Nothing touches the
/// output folder until `commit`; a build that fails or is killed leaves the standby
/// unfinished (without its marker or state), and the next build links it again from the
/// output.
pub struct Staging<'a> {
    output: Output,
    tree: Tree,
    /// What the output folder holds now; `None` makes a whole new site.
    active: Option<&'a Recorded>,
    /// Set up once, before the first file is written.
    ready: OnceLock<Result<(), String>>,
    /// Whether any file has been written.
    touched: AtomicBool,
    /// The files written, for the standby's state after the switch.
    written: std::sync::Mutex<Vec<String>>,
}

impl<'a> Staging<'a> {
    /// Start the next version of the site in `output`, whose folder holds `active` (with
    /// all its files there), or `None` to make a whole new site.
    pub fn new(output: Output, active: Option<&'a Recorded>) -> Staging<'a> {
        let tree = Tree::new(&output.side.standby);
        Staging {
            output,
            tree,
            active,
            ready: OnceLock::new(),
            touched: AtomicBool::new(false),
            written: Default::default(),
        }
    }

    fn state_file(&self) -> PathBuf {
        self.output.side.folder.join(STANDBY_STATE)
    }

    /// The standby's state, if it is known and still describes how the output was made.
    fn known_state(&self, active: &Recorded) -> Option<StandbyState> {
        std::fs::symlink_metadata(self.tree.top().join(MARKER)).ok()?;
        let text = std::fs::read(self.state_file()).ok()?;
        let state: StandbyState = serde_json::from_slice(&text).ok()?;
        (state.active == active.marker.to_hex().as_str()).then_some(state)
    }

    /// Make the standby the same as the output folder, once, before anything is written.
    fn ready(&self) -> Result<(), String> {
        self.ready
            .get_or_init(|| self.prepare().map_err(|e| e.message))
            .clone()
    }

    fn prepare(&self) -> Result<(), WriteError> {
        let standby = self.tree.top().to_path_buf();
        let cannot = |e| io_error(&format!("cannot prepare {}", standby.display()), e);
        let known = self.active.and_then(|active| self.known_state(active));
        // From here on the standby is unfinished until its marker and state are written.
        for file in [standby.join(MARKER), self.state_file()] {
            if std::fs::symlink_metadata(&file).is_ok() {
                std::fs::remove_file(&file).map_err(cannot)?;
            }
        }
        crash_point();
        let Some(active) = self.active else {
            return clear_folder(&standby).map_err(cannot);
        };
        let Some(known) = known else {
            // What the standby holds is not known: every file is linked again.
            clear_folder(&standby).map_err(cannot)?;
            return self.link_files(active.manifest.all_files().into_iter());
        };
        for gone in &known.removed {
            if let Some(rel) = safe_relative(gone) {
                self.tree.remove(&rel).map_err(cannot)?;
                crash_point();
            }
        }
        self.link_files(known.written.iter().map(String::as_str))
    }

    /// Link each of `files` from the output folder into the standby.
    fn link_files<'f>(&self, files: impl Iterator<Item = &'f str>) -> Result<(), WriteError> {
        for file in files {
            let Some(rel) = safe_relative(file) else {
                continue;
            };
            match self.tree.link_from(&self.output.real.join(&rel), &rel) {
                // Gone from the output since its manifest was read: its unit is made again.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                other => other
                    .map_err(|e| io_error(&format!("cannot copy {file} from the output"), e))?,
            }
            crash_point();
        }
        Ok(())
    }

    /// Make the folders of `paths` that are not made yet, one after another. Two threads
    /// making folders in the same folder at once take turns for its lock (the directory's
    /// 20,000 service pages each have a folder of their own), so this is done on one
    /// thread while the pages render. Failures are left for `put` to report.
    pub fn make_folders(&self, paths: &[&str]) {
        if paths.is_empty() || self.ready().is_err() {
            return;
        }
        let mut last: Option<&Path> = None;
        for path in paths {
            let Some(folder) = Path::new(path).parent() else {
                continue;
            };
            if last == Some(folder) || safe_relative(path).is_none() {
                continue;
            }
            last = Some(folder);
            let _ = self.tree.make_folder(folder);
        }
    }

    /// Write one file; safe to call from several threads at once.
    pub fn put(&self, path: &str, bytes: &[u8]) -> Result<(), WriteError> {
        let Some(rel) = safe_relative(path) else {
            return Err(WriteError {
                message: format!(
                    "refusing to write `{path}`: it would land outside the output folder"
                ),
                help: "ids must not contain `..` or `/`".into(),
            });
        };
        self.ready().map_err(|message| WriteError {
            message,
            help: "check free disk space and permissions of the output folder".into(),
        })?;
        self.touched.store(true, Ordering::Relaxed);
        // A file made again with the same bytes (a search shard no edit reached, a page
        // whose inputs changed but not its text) keeps the copy already there, so its time
        // stays and so do the caches of browsers and hosts that hold it. The build is still
        // recorded (`touched`), so its manifest says the file is up to date.
        if self
            .tree
            .holds(&rel, bytes)
            .map_err(|e| io_error(&format!("cannot write {path}"), e))?
        {
            return Ok(());
        }
        self.tree
            .write(&rel, bytes)
            .map_err(|e| io_error(&format!("cannot write {path}"), e))?;
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(path.to_string());
        crash_point();
        Ok(())
    }

    /// Delete the files `gone`, record `manifest` in the standby's marker and exchange the
    /// standby with the output folder; returns what the output folder then holds. When
    /// nothing was written and nothing is gone, the site has not changed and nothing is
    /// touched.
    pub fn commit(self, gone: &[String], manifest: Manifest) -> Result<Committed, WriteError> {
        if let Some(active) = self.active
            && !self.touched.load(Ordering::Relaxed)
            && gone.is_empty()
        {
            return Ok(Committed::Unchanged(active.marker));
        }
        self.ready().map_err(|message| WriteError {
            message,
            help: "check free disk space and permissions of the output folder".into(),
        })?;
        for path in gone {
            if let Some(rel) = safe_relative(path) {
                self.tree
                    .remove(&rel)
                    .map_err(|e| io_error(&format!("cannot delete {path}"), e))?;
                crash_point();
            }
        }
        let marker = write_marker(&self.tree, &manifest)?;
        crash_point();
        self.output.side.switch(&self.output.real).map_err(|e| {
            io_error(
                &format!(
                    "cannot put the new site in place at {}",
                    self.output.named.display()
                ),
                e,
            )
        })?;
        crash_point();
        // The old version, now the standby, is what this build started from: saying so
        // lets the next build bring it up to date by linking what this one wrote. Without
        // this (a build killed just now), the next build links every file.
        if self.active.is_some() {
            let mut written = self.written.into_inner().unwrap_or_else(|e| e.into_inner());
            written.sort_unstable();
            let state = StandbyState {
                active: marker.to_hex().to_string(),
                written,
                removed: gone.to_vec(),
            };
            let bytes = serde_json::to_vec(&state)
                .map_err(|e| io_error("cannot record the standby", e.into()))?;
            let temporary = self.output.side.folder.join("standby.json.new");
            std::fs::write(&temporary, bytes)
                .and_then(|_| {
                    std::fs::rename(&temporary, self.output.side.folder.join(STANDBY_STATE))
                })
                .map_err(|e| io_error("cannot record the standby", e))?;
        }
        crash_point();
        finished();
        Ok(Committed::Switched(Recorded { manifest, marker }))
    }
}

impl Sink for Staging<'_> {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), WriteError> {
        Staging::put(self, path, bytes)
    }

    fn expect(&self, paths: &[&str]) {
        self.make_folders(paths);
    }
}

/// Remove everything inside `folder` (never following a link), making it if missing.
fn clear_folder(folder: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(folder) {
        Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(folder)?,
        Ok(_) => std::fs::remove_file(folder)?,
        Err(_) => {}
    }
    std::fs::create_dir(folder)
}

/// Write the marker file: what wrote the folder, and the manifest of the last build; returns
/// the hash of its bytes. It is megabytes long on a large site, so it goes to the file as it
/// is serialised rather than into a buffer first.
fn write_marker(tree: &Tree, manifest: &Manifest) -> Result<blake3::Hash, WriteError> {
    #[derive(serde::Serialize)]
    struct Marker<'m> {
        written_by: &'static str,
        version: &'static str,
        manifest: &'m Manifest,
    }
    /// Passes bytes on to the file, hashing them on the way.
    struct Hashing<W> {
        inner: W,
        hasher: blake3::Hasher,
    }
    impl<W: std::io::Write> std::io::Write for Hashing<W> {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            let n = self.inner.write(bytes)?;
            self.hasher.update(&bytes[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            self.inner.flush()
        }
    }
    let marker = Marker {
        written_by: "scopemap build; this folder is replaced or updated on every build",
        version: env!("CARGO_PKG_VERSION"),
        manifest,
    };
    let cannot = |e: std::io::Error| io_error("cannot write the marker", e);
    let file = tree.create(Path::new(MARKER)).map_err(cannot)?;
    let mut out = std::io::BufWriter::with_capacity(
        256 * 1024,
        Hashing {
            inner: file,
            hasher: blake3::Hasher::new(),
        },
    );
    serde_json::to_writer(&mut out, &marker).map_err(|e| cannot(e.into()))?;
    let hashing = out.into_inner().map_err(|e| cannot(e.into_error()))?;
    Ok(hashing.hasher.finalize())
}

/// The manifest recorded in `out` by the last build, keeping only the units whose files
/// are all still there (as files, not links); `None` if there is no readable one.
pub fn read_manifest(out: &Path) -> Option<Recorded> {
    use rayon::prelude::*;
    #[derive(serde::Deserialize)]
    struct Marker {
        version: String,
        manifest: Manifest,
    }
    let text = std::fs::read(out.join(MARKER)).ok()?;
    let marker: Marker = serde_json::from_slice(&text).ok()?;
    if marker.version != env!("CARGO_PKG_VERSION") {
        return None;
    }
    let is_file = |f: &str| {
        safe_relative(f).is_some_and(|rel| {
            std::fs::symlink_metadata(out.join(rel)).is_ok_and(|m| m.file_type().is_file())
        })
    };
    let units = marker
        .manifest
        .units
        .into_par_iter()
        .filter(|(name, unit)| unit.files(name).iter().all(|f| is_file(f)))
        .collect();
    Some(Recorded {
        manifest: Manifest { units },
        marker: blake3::hash(&text),
    })
}

/// A point at which tests kill a build. In debug builds, with `SCOPEMAP_CRASH_AT=N` set,
/// the process aborts at the Nth point it passes (no clean-up runs, as when it is killed);
/// a build that finishes first prints how many points it passed.
pub(crate) fn crash_point() {
    #[cfg(debug_assertions)]
    crash::point();
}

fn finished() {
    #[cfg(debug_assertions)]
    crash::finished();
}

#[cfg(debug_assertions)]
mod crash {
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicUsize, Ordering};

    static PASSED: AtomicUsize = AtomicUsize::new(0);

    fn at() -> Option<usize> {
        static AT: OnceLock<Option<usize>> = OnceLock::new();
        *AT.get_or_init(|| std::env::var("SCOPEMAP_CRASH_AT").ok()?.parse().ok())
    }

    pub fn point() {
        if let Some(at) = at()
            && PASSED.fetch_add(1, Ordering::SeqCst) + 1 == at
        {
            std::process::abort();
        }
    }

    pub fn finished() {
        if at().is_some() {
            eprintln!("crash points passed: {}", PASSED.load(Ordering::SeqCst));
        }
    }
}

#[cfg(test)]
mod tests;
