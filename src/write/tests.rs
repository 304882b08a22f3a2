//! Tests of the write stage: refused paths, folders made ahead, and a failed write that
//! leaves the old output.

use super::*;

/// Write `files` as the whole site in `out` (a folder that passed `check_output_dir`).
fn write_site(root: &Path, out: &Path, files: &[OutputFile]) -> Result<(), WriteError> {
    let staging = Staging::new(Output::open(root, out, false)?, None);
    for f in files {
        staging.put(&f.path, &f.bytes)?;
    }
    staging.commit(&[], Manifest::default()).map(|_| ())
}

#[test]
fn paths_that_escape_are_refused() {
    assert!(safe_relative("a/b/index.html").is_some());
    assert!(safe_relative("../etc/passwd").is_none());
    assert!(safe_relative("/etc/passwd").is_none());
    assert!(safe_relative("a/../../b").is_none());
}

fn site(dir: &Path) -> PathBuf {
    let root = dir.join("site");
    std::fs::create_dir_all(&root).unwrap();
    root
}

#[test]
fn folders_made_ahead_are_inside_the_standby_folder() {
    let dir = tempfile::tempdir().unwrap();
    let (root, out) = (site(dir.path()), dir.path().join("public"));
    let staging = Staging::new(Output::open(&root, &out, false).unwrap(), None);
    staging.make_folders(&[
        "directory/a/index.html",
        "directory/b/index.html",
        "index.html",
        "../outside/index.html",
    ]);
    assert!(staging.tree.top().join("directory/a").is_dir());
    assert!(staging.tree.top().join("directory/b").is_dir());
    assert!(!dir.path().join("outside").exists());
    staging.put("directory/a/index.html", b"a").unwrap();
    staging.put("regions/x/index.html", b"x").unwrap();
    staging.commit(&[], Manifest::default()).unwrap();
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
    let (root, out) = (site(dir.path()), dir.path().join("public"));
    let page = |path: &str, bytes: &[u8]| OutputFile {
        path: path.into(),
        bytes: bytes.to_vec(),
    };
    write_site(&root, &out, &[page("index.html", b"old")]).unwrap();
    let bad = [page("ok.html", b""), page("../evil", b"")];
    assert!(write_site(&root, &out, &bad).is_err());
    assert_eq!(std::fs::read(out.join("index.html")).unwrap(), b"old");
    assert!(!out.join("ok.html").exists());
    let mut beside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    beside.sort();
    assert_eq!(beside, [".public.scopemap", "public", "site"]);
}
