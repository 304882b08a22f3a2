//! File operations inside one folder tree that never reach outside it: a symbolic link
//! planted in the tree is replaced, never followed, and a file is always written as a new
//! file (never rewritten in place), so a file shared with another tree by a hard link is
//! never changed through this one.
//!
//! In: a tree's folder and paths relative to it (already checked to name only plain names).
//! Out: folders made, files written, linked or removed, or the I/O error.

use std::collections::HashSet;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A folder tree being written, remembering the folders it has checked or made.
pub struct Tree {
    top: PathBuf,
    /// Folders (relative) known to be real folders, each checked or made once.
    known: Mutex<HashSet<PathBuf>>,
}

impl Tree {
    pub fn new(top: &Path) -> Tree {
        Tree {
            top: top.to_path_buf(),
            known: Default::default(),
        }
    }

    pub fn top(&self) -> &Path {
        &self.top
    }

    /// Make `folder` and every folder above it inside the tree real folders: a symbolic link
    /// or a file standing in the way is removed and a folder made in its place.
    pub fn make_folder(&self, folder: &Path) -> std::io::Result<()> {
        if folder.as_os_str().is_empty() || self.is_known(folder) {
            return Ok(());
        }
        let mut sofar = PathBuf::new();
        for part in folder.components() {
            sofar.push(part);
            if self.is_known(&sofar) {
                continue;
            }
            let full = self.top.join(&sofar);
            match std::fs::symlink_metadata(&full) {
                Ok(meta) if meta.is_dir() => {}
                Ok(_) => {
                    std::fs::remove_file(&full)?;
                    std::fs::create_dir(&full)?;
                }
                Err(e) if e.kind() == ErrorKind::NotFound => match std::fs::create_dir(&full) {
                    Ok(()) => {}
                    // Made by another thread meanwhile: a folder all the same.
                    Err(e) if e.kind() == ErrorKind::AlreadyExists && full.is_dir() => {}
                    Err(e) => return Err(e),
                },
                Err(e) => return Err(e),
            }
            self.known
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(sofar.clone());
        }
        Ok(())
    }

    fn is_known(&self, folder: &Path) -> bool {
        self.known
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(folder)
    }

    /// Whether `rel` is already a plain file holding exactly `bytes`, so writing it again
    /// would change nothing but its time (and so the caches of those who fetch it). The
    /// folders above it are made real first, so a planted link is never read through.
    pub fn holds(&self, rel: &Path, bytes: &[u8]) -> std::io::Result<bool> {
        if let Some(folder) = rel.parent() {
            self.make_folder(folder)?;
        }
        let target = self.top.join(rel);
        match std::fs::symlink_metadata(&target) {
            Ok(meta) if meta.is_file() && meta.len() == bytes.len() as u64 => {
                Ok(std::fs::read(&target)? == bytes)
            }
            Ok(_) => Ok(false),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Write `bytes` to `rel` as a new file, replacing whatever stood there.
    pub fn write(&self, rel: &Path, bytes: &[u8]) -> std::io::Result<()> {
        self.create(rel)?.write_all(bytes)
    }

    /// Create `rel` as a new, empty file, replacing whatever stood there.
    pub fn create(&self, rel: &Path) -> std::io::Result<std::fs::File> {
        if let Some(folder) = rel.parent() {
            self.make_folder(folder)?;
        }
        let target = self.top.join(rel);
        match create_new(&target) {
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                clear(&target)?;
                create_new(&target)
            }
            other => other,
        }
    }

    /// Make `rel` in this tree the same file as `source` (a hard link; a copy where the
    /// disk has no hard links). A source that is not a regular file is not taken.
    pub fn link_from(&self, source: &Path, rel: &Path) -> std::io::Result<()> {
        if let Some(folder) = rel.parent() {
            self.make_folder(folder)?;
        }
        let target = self.top.join(rel);
        clear(&target)?;
        match std::fs::hard_link(source, &target) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == ErrorKind::NotFound => Err(e),
            Err(_) if std::fs::symlink_metadata(source)?.is_file() => {
                std::fs::copy(source, &target).map(|_| ())
            }
            Err(e) => Err(e),
        }
    }

    /// Remove the file `rel`, and the folders above it that are left empty. Nothing is
    /// removed through a symbolic link: if a folder on the way is one, the link itself goes.
    pub fn remove(&self, rel: &Path) -> std::io::Result<()> {
        let mut sofar = self.top.clone();
        let parts: Vec<_> = rel.components().collect();
        for (i, part) in parts.iter().enumerate() {
            sofar.push(part);
            let last = i + 1 == parts.len();
            match std::fs::symlink_metadata(&sofar) {
                Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
                Err(e) => return Err(e),
                Ok(meta) if meta.is_dir() && !last => {}
                Ok(_) => {
                    clear(&sofar)?;
                    break;
                }
            }
        }
        let mut folder = sofar.parent();
        while let Some(f) = folder {
            if f == self.top || !f.starts_with(&self.top) || std::fs::remove_dir(f).is_err() {
                break;
            }
            self.known
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .remove(f.strip_prefix(&self.top).unwrap_or(f));
            folder = f.parent();
        }
        Ok(())
    }
}

/// Create `path` as a new file; fails if anything (a file, a folder, a symbolic link) is
/// there already, and so never writes through a link.
fn create_new(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

/// Remove whatever stands at `path` (a file, a link, or a whole folder), if anything.
fn clear(path: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
        Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn a_planted_folder_link_is_replaced_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let (top, outside) = (dir.path().join("tree"), dir.path().join("outside"));
        std::fs::create_dir_all(top.join("areas")).unwrap();
        std::fs::create_dir(&outside).unwrap();
        std::fs::write(outside.join("index.html"), b"theirs").unwrap();
        symlink(&outside, top.join("areas/halton")).unwrap();
        let tree = Tree::new(&top);
        tree.write(Path::new("areas/halton/index.html"), b"ours")
            .unwrap();
        assert_eq!(
            std::fs::read(outside.join("index.html")).unwrap(),
            b"theirs"
        );
        assert!(
            std::fs::symlink_metadata(top.join("areas/halton"))
                .unwrap()
                .is_dir()
        );
        assert_eq!(
            std::fs::read(top.join("areas/halton/index.html")).unwrap(),
            b"ours"
        );
    }

    #[test]
    fn a_planted_file_link_is_replaced_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path().join("tree");
        std::fs::create_dir(&top).unwrap();
        let outside = dir.path().join("secret");
        std::fs::write(&outside, b"theirs").unwrap();
        symlink(&outside, top.join("index.html")).unwrap();
        Tree::new(&top)
            .write(Path::new("index.html"), b"ours")
            .unwrap();
        assert_eq!(std::fs::read(&outside).unwrap(), b"theirs");
        assert_eq!(std::fs::read(top.join("index.html")).unwrap(), b"ours");
    }

    #[test]
    fn a_linked_file_is_replaced_not_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        std::fs::write(a.join("page.html"), b"old").unwrap();
        let tree = Tree::new(&b);
        tree.link_from(&a.join("page.html"), Path::new("page.html"))
            .unwrap();
        tree.write(Path::new("page.html"), b"new").unwrap();
        assert_eq!(std::fs::read(a.join("page.html")).unwrap(), b"old");
        assert_eq!(std::fs::read(b.join("page.html")).unwrap(), b"new");
    }

    #[test]
    fn a_file_holds_only_its_own_bytes_and_never_through_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("page.html"), b"same").unwrap();
        let tree = Tree::new(dir.path());
        tree.write(Path::new("a/page.html"), b"same").unwrap();
        assert!(tree.holds(Path::new("a/page.html"), b"same").unwrap());
        assert!(!tree.holds(Path::new("a/page.html"), b"other").unwrap());
        assert!(!tree.holds(Path::new("a/page.html"), b"sam").unwrap());
        assert!(!tree.holds(Path::new("a/new.html"), b"same").unwrap());
        symlink(outside.path(), dir.path().join("planted")).unwrap();
        assert!(!tree.holds(Path::new("planted/page.html"), b"same").unwrap());
        assert!(dir.path().join("planted").is_dir());
        assert!(
            !std::fs::symlink_metadata(dir.path().join("planted"))
                .unwrap()
                .is_symlink()
        );
        symlink(
            outside.path().join("page.html"),
            dir.path().join("a/link.html"),
        )
        .unwrap();
        assert!(!tree.holds(Path::new("a/link.html"), b"same").unwrap());
    }

    #[test]
    fn removing_never_goes_through_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let (top, outside) = (dir.path().join("tree"), dir.path().join("outside"));
        std::fs::create_dir_all(top.join("areas")).unwrap();
        std::fs::create_dir(&outside).unwrap();
        std::fs::write(outside.join("index.html"), b"theirs").unwrap();
        symlink(&outside, top.join("areas/gone")).unwrap();
        Tree::new(&top)
            .remove(Path::new("areas/gone/index.html"))
            .unwrap();
        assert!(outside.join("index.html").is_file());
        assert!(std::fs::symlink_metadata(top.join("areas/gone")).is_err());
        assert!(!top.join("areas").exists(), "empty folders above go too");
    }
}
