//! Helpers shared by the integration tests: fixture sites copied into temp folders.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk fixture");
        let rel = entry.path().strip_prefix(from).expect("inside fixture");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("create dir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// The base fixture with the named case from `tests/fixtures/invalid/` laid over it.
pub fn base_with(case: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&fixtures().join("base"), dir.path());
    if !case.is_empty() {
        copy_dir(&fixtures().join("invalid").join(case), dir.path());
    }
    dir
}
