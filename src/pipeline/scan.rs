//! Finding which data files changed: the data tree as last seen (folders with their times,
//! files with their sizes and times), checked again folder by folder, or only for the
//! files a file watcher names.
//!
//! In: the site root, the tree as last seen, and optionally the changed paths. Out: every
//! data file in load order with its stamp now; the tree is brought up to date.

use crate::diag::Diagnostic;
use crate::load;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

/// What a data file looked like when it was read.
pub(super) type Stamp = (u64, Option<SystemTime>);

/// A data file found on disk now.
#[derive(Clone)]
pub(super) struct Scanned {
    pub(super) found: load::Found,
    pub(super) stamp: Stamp,
}

/// The folders of the data tree with their modification times, and the data files found in
/// them. A folder's time changes when an entry is added, removed or renamed in it, so while
/// no folder's time has changed the list of files is still right and only their own
/// stamps need checking.
pub(super) struct Tree {
    folders: Vec<(PathBuf, Option<SystemTime>)>,
    files: Arc<Vec<Scanned>>,
    /// Each file's position in `files`, by its path inside the data folder.
    positions: std::collections::HashMap<PathBuf, usize>,
    /// The data folder's real path, which file watchers report paths under.
    real_data_dir: Option<PathBuf>,
    /// Warnings about the files found (such as files in places scopemap does not read).
    warnings: Vec<Diagnostic>,
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

/// The data files on disk now, in the order `load` reads them, with their stamps.
pub(super) fn scan(
    root: &Path,
    known: &mut Option<Tree>,
    changed: Option<&[PathBuf]>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Arc<Vec<Scanned>> {
    let data_dir = root.join(load::DATA_DIR);
    if !data_dir.is_dir() {
        *known = None;
        diagnostics.push(Diagnostic::error("E030", load::DATA_DIR, "no data folder"));
        return Arc::default();
    }
    // The folders known from last time are enough: a new folder changes its parent's
    // time, and a removed one has none.
    if let Some(tree) = known.as_mut()
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
    *known = (!found_diagnostics.iter().any(Diagnostic::is_error)).then(|| Tree {
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
