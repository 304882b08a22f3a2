//! Write: put rendered files on disk without ever leaving a half-written site.
//!
//! In: the output folder and the rendered files. Out: the folder replaced as a whole (when
//! every file was written) or updated in place (the files written again moved over the old
//! ones, files no longer made deleted), or an error with the previous output left exactly
//! as it was. Files are written into a staging folder beside the output and moved only
//! when every file is written; the marker file records the build's manifest.

use crate::render::{Manifest, OutputFile};
use std::path::{Component, Path, PathBuf};

/// A file in every output folder scopemap writes, so it knows which folders are its own.
pub const MARKER: &str = ".scopemap-output";

#[derive(Debug)]
pub struct WriteError {
    pub message: String,
    pub help: String,
}

/// Refuse output folders that would destroy something that is not a previous build.
pub fn check_output_dir(root: &Path, out: &Path, force: bool) -> Result<(), WriteError> {
    let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let out_c = canon(out);
    let root_c = canon(root);
    let refuse = |why: &str| WriteError {
        message: format!("refusing to write the site into {}: {why}", out.display()),
        help: "choose another --out folder, e.g. public/".into(),
    };
    if out_c.parent().is_none() || out_c == root_c || root_c.starts_with(&out_c) {
        return Err(refuse("it is the site root or contains it"));
    }
    for protected in ["scoping-data", "content", "themes", "templates", "static"] {
        if out_c.starts_with(root_c.join(protected)) {
            return Err(refuse(&format!("it is inside {protected}/")));
        }
    }
    let looks_like_ours = out.join(MARKER).is_file();
    let empty = std::fs::read_dir(out)
        .map(|mut d| d.next().is_none())
        .unwrap_or(true);
    if out.exists() && !empty && !looks_like_ours && !force {
        return Err(WriteError {
            message: format!(
                "refusing to replace {}: it is not empty and was not written by scopemap",
                out.display()
            ),
            help: "choose an empty or new --out folder, or pass --force to replace it".into(),
        });
    }
    Ok(())
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
        help: "check free disk space and permissions of the output folder".into(),
    }
}

/// A folder beside the output that files are written into while a build runs. Nothing
/// touches the output until `commit`; dropping a staging folder without committing
/// removes it, so a failed build leaves the previous output exactly as it was.
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    committed: bool,
    /// Folders already created, so each is made once rather than once per file in it.
    made: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
}

impl Staging {
    /// Start a staging folder for `out` (which must already have passed `check_output_dir`).
    pub fn new(out: &Path) -> Result<Staging, WriteError> {
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "public".into());
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)
            .map_err(|e| io_error(&format!("cannot create {}", dir.display()), e))?;
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
            committed: false,
            made: Default::default(),
        })
    }

    /// Make the folders of `paths` that are not made yet, one after another. Two threads
    /// making folders in the same folder at once take turns for its lock (the directory's
    /// 20,000 service pages each have a folder of their own), so this is done on one
    /// thread while the pages render. Failures are left for `put` to report.
    pub fn make_folders(&self, paths: &[&str]) {
        let mut last: Option<&Path> = None;
        for path in paths {
            let Some(folder) = Path::new(path).parent() else {
                continue;
            };
            if last == Some(folder) || safe_relative(path).is_none() {
                continue;
            }
            last = Some(folder);
            let _ = self.make_folder(&self.dir.join(folder));
        }
    }

    /// Make `folder` (inside the staging folder) unless it was made already.
    fn make_folder(&self, folder: &Path) -> Result<(), WriteError> {
        if self
            .made
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(folder)
        {
            return Ok(());
        }
        std::fs::create_dir_all(folder)
            .map_err(|e| io_error(&format!("cannot create {}", folder.display()), e))?;
        self.made
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(folder.to_path_buf());
        Ok(())
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
        let target = self.dir.join(rel);
        if let Some(folder) = target.parent() {
            self.make_folder(folder)?;
        }
        std::fs::write(&target, bytes)
            .map_err(|e| io_error(&format!("cannot write {}", target.display()), e))
    }

    /// Swap the staging folder in place of the output, recording `manifest` in the marker.
    pub fn commit(mut self, manifest: &Manifest) -> Result<(), WriteError> {
        write_marker(&self.dir.join(MARKER), manifest)?;
        let old = self.dir.with_file_name(format!(
            ".{}.old-{}",
            self.out
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default(),
            std::process::id()
        ));
        if self.out.exists() {
            std::fs::rename(&self.out, &old)
                .map_err(|e| io_error(&format!("cannot move {} aside", self.out.display()), e))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.out) {
            let _ = std::fs::rename(&old, &self.out);
            return Err(io_error(
                &format!("cannot move the new site into {}", self.out.display()),
                e,
            ));
        }
        self.committed = true;
        let _ = std::fs::remove_dir_all(&old);
        Ok(())
    }

    /// Update the output in place: move the files written to the staging folder (`written`)
    /// over their old versions, delete the files `gone`, and record `manifest`. The
    /// replaced files are kept aside until every move has worked; if one fails, every move
    /// is undone and the output is left as it was.
    pub fn commit_update(
        mut self,
        written: &[String],
        gone: &[String],
        manifest: &Manifest,
    ) -> Result<(), WriteError> {
        let aside = self.dir.join(".replaced");
        let mut moved: Vec<(PathBuf, PathBuf)> = Vec::new();
        let mut result = Ok(());
        for path in written {
            let Some(rel) = safe_relative(path) else {
                continue;
            };
            let (new, target, backup) =
                (self.dir.join(&rel), self.out.join(&rel), aside.join(&rel));
            let step = (|| {
                if target.is_file() {
                    make_parent(&backup)?;
                    move_file(&target, &backup)?;
                    moved.push((target.clone(), backup.clone()));
                }
                make_parent(&target)?;
                move_file(&new, &target)?;
                moved.push((new.clone(), target.clone()));
                Ok(())
            })();
            if let Err(e) = step {
                result = Err(e);
                break;
            }
        }
        let marker = self.out.join(MARKER);
        let marker_new = self.dir.join(MARKER);
        if result.is_ok() {
            result =
                write_marker(&marker_new, manifest).and_then(|_| move_file(&marker_new, &marker));
        }
        if let Err(e) = result {
            // Undo in reverse order: new files go back to staging, old ones come back.
            for (from, to) in moved.iter().rev() {
                let _ = std::fs::rename(to, from);
            }
            return Err(e);
        }
        self.committed = true;
        for gone in gone {
            if let Some(rel) = safe_relative(gone) {
                let file = self.out.join(rel);
                let _ = std::fs::remove_file(&file);
                remove_empty_parents(&self.out, &file);
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
        Ok(())
    }
}

impl crate::render::Sink for Staging {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), String> {
        Staging::put(self, path, bytes).map_err(|e| e.message)
    }

    fn expect(&self, paths: &[&str]) {
        self.make_folders(paths);
    }
}

/// Write the marker file: what wrote the folder, and the manifest of the last build. It
/// is megabytes long on a large site, so it goes to the file as it is serialised rather
/// than into a buffer first.
fn write_marker(path: &Path, manifest: &Manifest) -> Result<(), WriteError> {
    #[derive(serde::Serialize)]
    struct Marker<'m> {
        written_by: &'static str,
        version: &'static str,
        manifest: &'m Manifest,
    }
    let marker = Marker {
        written_by: "scopemap build; this folder is replaced or updated on every build",
        version: env!("CARGO_PKG_VERSION"),
        manifest,
    };
    let cannot = |e: std::io::Error| io_error("cannot write the marker", e);
    let mut file =
        std::io::BufWriter::with_capacity(256 * 1024, std::fs::File::create(path).map_err(cannot)?);
    serde_json::to_writer(&mut file, &marker).map_err(|e| cannot(e.into()))?;
    std::io::Write::flush(&mut file).map_err(cannot)
}

/// The manifest recorded in `out` by the last build, keeping only the units whose files
/// are all still there; `None` if there is no readable one.
pub fn read_manifest(out: &Path) -> Option<Manifest> {
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
    let units = marker
        .manifest
        .units
        .into_par_iter()
        .filter(|(name, unit)| {
            unit.files(name)
                .iter()
                .all(|f| safe_relative(f).is_some_and(|rel| out.join(rel).is_file()))
        })
        .collect();
    Some(Manifest { units })
}

fn make_parent(path: &Path) -> Result<(), WriteError> {
    match path.parent() {
        Some(folder) if !folder.is_dir() => std::fs::create_dir_all(folder)
            .map_err(|e| io_error(&format!("cannot create {}", folder.display()), e)),
        _ => Ok(()),
    }
}

fn move_file(from: &Path, to: &Path) -> Result<(), WriteError> {
    std::fs::rename(from, to).map_err(|e| io_error(&format!("cannot move {}", to.display()), e))
}

/// Remove the folders above `file` that are now empty, up to (not including) `out`.
fn remove_empty_parents(out: &Path, file: &Path) {
    let mut folder = file.parent();
    while let Some(f) = folder {
        if f == out || !f.starts_with(out) || std::fs::remove_dir(f).is_err() {
            break;
        }
        folder = f.parent();
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Write `files` to a staging folder, then swap it in place of `out`.
pub fn write_site(out: &Path, files: &[OutputFile]) -> Result<(), WriteError> {
    let staging = Staging::new(out)?;
    for f in files {
        staging.put(&f.path, &f.bytes)?;
    }
    staging.commit(&Manifest::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_escape_are_refused() {
        assert!(safe_relative("a/b/index.html").is_some());
        assert!(safe_relative("../etc/passwd").is_none());
        assert!(safe_relative("/etc/passwd").is_none());
        assert!(safe_relative("a/../../b").is_none());
    }

    #[test]
    fn folders_made_ahead_are_inside_the_staging_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let staging = Staging::new(&out).unwrap();
        staging.make_folders(&[
            "directory/a/index.html",
            "directory/b/index.html",
            "index.html",
            "../outside/index.html",
        ]);
        assert!(staging.dir.join("directory/a").is_dir());
        assert!(staging.dir.join("directory/b").is_dir());
        assert!(!dir.path().join("outside").exists());
        staging.put("directory/a/index.html", b"a").unwrap();
        staging.put("regions/x/index.html", b"x").unwrap();
        staging.commit(&Manifest::default()).unwrap();
        assert_eq!(
            std::fs::read(out.join("directory/a/index.html")).unwrap(),
            b"a"
        );
        assert_eq!(
            std::fs::read(out.join("regions/x/index.html")).unwrap(),
            b"x"
        );
    }

    #[test]
    fn a_failed_write_leaves_the_old_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(
            &out,
            &[OutputFile {
                path: "index.html".into(),
                bytes: b"old".to_vec(),
            }],
        )
        .unwrap();
        let bad = [
            OutputFile {
                path: "ok.html".into(),
                bytes: vec![],
            },
            OutputFile {
                path: "../evil".into(),
                bytes: vec![],
            },
        ];
        assert!(write_site(&out, &bad).is_err());
        assert_eq!(std::fs::read(out.join("index.html")).unwrap(), b"old");
        assert!(!out.join("ok.html").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    }
}
