//! Where a build may write: the output folder named by `--out`, resolved and checked before
//! anything is created.
//!
//! In: the site root and the `--out` path as the user gave it. Out: the output folder as a
//! real absolute path (symbolic links resolved, `..` worked out the way the system will once
//! the missing folders exist), or a refusal saying why the folder must not be written.

use super::{MARKER, WriteError};
use std::path::{Component, Path, PathBuf};

/// The folders of a site that hold its inputs: a build never writes in or over them.
const INPUT_FOLDERS: [&str; 5] = ["scoping-data", "content", "themes", "templates", "static"];

/// `path` as the system will resolve it once its missing folders have been created: the part
/// that exists is canonicalised (so symbolic links and `..` after them resolve as the system
/// resolves them), and the rest, which will be plain new folders, is applied lexically.
pub fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    let absolute = std::path::absolute(path)?;
    let mut resolved = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::Prefix(_) | Component::RootDir => resolved.push(component),
            Component::CurDir => {}
            Component::ParentDir => {
                resolved.pop();
            }
            Component::Normal(name) => {
                resolved.push(name);
                // Canonical so far, or a folder still to be made: either way `..` later on
                // is the lexical parent. A name that exists may be a symbolic link.
                if std::fs::symlink_metadata(&resolved).is_ok() {
                    resolved = std::fs::canonicalize(&resolved)?;
                }
            }
        }
    }
    Ok(resolved)
}

/// Resolve `out` and refuse it when writing there could destroy something that is not a
/// previous build: the site root or a folder above it, an input folder or anything inside
/// one, an existing file, or (without `force`) a folder with files scopemap did not write.
pub fn check_output_dir(root: &Path, out: &Path, force: bool) -> Result<PathBuf, WriteError> {
    let refuse = |why: String, help: &str| WriteError {
        message: format!("refusing to write the site into {}: {why}", out.display()),
        help: help.into(),
    };
    let another = "choose another --out folder, e.g. public/ inside the site";
    let cannot = |e: std::io::Error| refuse(format!("it cannot be resolved ({e})"), another);
    let out_real = resolve(out).map_err(cannot)?;
    let root_real = resolve(root).map_err(cannot)?;
    if out_real.parent().is_none() {
        return Err(refuse("it is the top of the file system".into(), another));
    }
    if root_real.starts_with(&out_real) {
        let what = if out_real == root_real {
            "it is the site root".to_string()
        } else {
            format!("it holds the site root {}", root_real.display())
        };
        return Err(refuse(what, another));
    }
    for input in INPUT_FOLDERS {
        let folder = root_real.join(input);
        if out_real.starts_with(&folder) {
            return Err(refuse(
                format!("it is inside {input}/, which holds the site's inputs"),
                another,
            ));
        }
    }
    match std::fs::symlink_metadata(&out_real) {
        Err(_) => Ok(out_real),
        Ok(meta) if !meta.is_dir() => Err(refuse(
            "it is a file, not a folder".into(),
            "choose a folder: an existing build, an empty folder or a new one",
        )),
        Ok(_) => {
            let ours = out_real.join(MARKER).is_file();
            let empty = std::fs::read_dir(&out_real)
                .map(|mut d| d.next().is_none())
                .map_err(cannot)?;
            if !ours && !empty && !force {
                return Err(WriteError {
                    message: format!(
                        "refusing to replace {}: it is not empty and was not written by scopemap",
                        out.display()
                    ),
                    help: "choose an empty or new --out folder, or pass --force to replace it"
                        .into(),
                });
            }
            Ok(out_real)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_dot_after_a_missing_folder_resolves_like_the_system_will() {
        let dir = tempfile::tempdir().unwrap();
        let base = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir(base.join("victim")).unwrap();
        let tricky = base.join("missing/../victim");
        assert_eq!(resolve(&tricky).unwrap(), base.join("victim"));
        assert_eq!(resolve(&base.join("a/./b/../c")).unwrap(), base.join("a/c"));
    }

    #[cfg(unix)]
    #[test]
    fn dot_dot_after_a_symbolic_link_follows_the_link() {
        let dir = tempfile::tempdir().unwrap();
        let base = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir_all(base.join("real/inner")).unwrap();
        std::os::unix::fs::symlink(base.join("real/inner"), base.join("link")).unwrap();
        // link/.. is real/, not base/, once the link is followed.
        assert_eq!(
            resolve(&base.join("link/../out")).unwrap(),
            base.join("real/out")
        );
    }
}
