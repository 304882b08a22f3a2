//! Write: put rendered files on disk without ever leaving a half-written site.
//!
//! In: the output folder and the rendered files. Out: the folder replaced as a whole, or
//! an error with the previous output left exactly as it was. Files are written into a
//! staging folder beside the output, which is swapped in only when every file is written.

use crate::render::OutputFile;
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
        })
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
            std::fs::create_dir_all(folder)
                .map_err(|e| io_error(&format!("cannot create {}", folder.display()), e))?;
        }
        std::fs::write(&target, bytes)
            .map_err(|e| io_error(&format!("cannot write {}", target.display()), e))
    }

    /// Swap the staging folder in place of the output.
    pub fn commit(mut self) -> Result<(), WriteError> {
        std::fs::write(
            self.dir.join(MARKER),
            b"This folder is written by scopemap build and replaced on every build.\n",
        )
        .map_err(|e| io_error("cannot write the marker", e))?;
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
    staging.commit()
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
