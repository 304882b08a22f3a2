//! Finding data files and deciding what each one is from where it sits.

use crate::diag::Diagnostic;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Framework,
    Region,
    Return,
    Service,
    Report,
    Synonyms,
}

#[derive(Debug, Clone)]
pub struct Found {
    pub kind: FileKind,
    pub rel_path: String,
    pub disk_path: PathBuf,
}

/// What a file is, from its path inside `scoping-data/` (components without the folder).
pub fn classify(parts: &[&str]) -> Option<FileKind> {
    match parts {
        ["framework.yaml"] => Some(FileKind::Framework),
        ["regions", _] => Some(FileKind::Region),
        ["returns", _, _, _] => Some(FileKind::Return),
        ["directory", _] => Some(FileKind::Service),
        ["reports", _, _] => Some(FileKind::Report),
        ["synonyms.yaml"] => Some(FileKind::Synonyms),
        _ => None,
    }
}

/// Every YAML file under `data_dir`, sorted by path. Links are not followed; files in
/// places that mean nothing get a warning rather than being silently ignored.
pub fn discover(data_dir: &Path, diagnostics: &mut Vec<Diagnostic>) -> Vec<Found> {
    let mut found = Vec::new();
    discover_each(data_dir, diagnostics, |f| found.push(f));
    found.sort_by(|a, b| path_order(&a.rel_path, &b.rel_path));
    found
}

/// Hand every YAML file under `data_dir` to `on_found` as soon as it is found: sorted by
/// path within each folder, but with `directory/` last. A sorted walk lists a whole folder
/// before handing over its first file, and listing the directory's thousands of services
/// takes a while; walked last, the returns found before it are parsed meanwhile. Sort the
/// files by `path_order` for the order of their paths.
pub fn discover_each(
    data_dir: &Path,
    diagnostics: &mut Vec<Diagnostic>,
    mut on_found: impl FnMut(Found),
) {
    let walker = WalkDir::new(data_dir).follow_links(false).sort_by(|a, b| {
        let last = |e: &walkdir::DirEntry| e.depth() == 1 && e.file_name() == "directory";
        (last(a), a.file_name()).cmp(&(last(b), b.file_name()))
    });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err
                    .path()
                    .map(|p| rel(data_dir, p))
                    .unwrap_or_else(|| super::DATA_DIR.into());
                diagnostics.push(
                    Diagnostic::error("E006", &path, format!("cannot read: {err}"))
                        .help("check the file's permissions"),
                );
                continue;
            }
        };
        let rel_path = rel(data_dir, entry.path());
        if entry.path_is_symlink() {
            diagnostics.push(
                Diagnostic::error(
                    "E008",
                    &rel_path,
                    "symbolic links are not followed in the data folder",
                )
                .help("replace the link with the file itself"),
            );
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') {
            continue;
        }
        let is_yaml = name.ends_with(".yaml") || name.ends_with(".yml");
        let inner: Vec<&str> = rel_path.split('/').skip(1).collect();
        match classify(&inner).filter(|_| is_yaml) {
            Some(kind) => on_found(Found { kind, rel_path, disk_path: entry.path().to_path_buf() }),
            None if is_yaml || inner.first() != Some(&"README.md") => diagnostics.push(
                Diagnostic::warning("W032", &rel_path, "this file is not in a place scopemap reads, so it is ignored")
                    .expected("framework.yaml, synonyms.yaml, regions/<id>.yaml, returns/<year>/<region>/<area>.yaml, directory/<id>.yaml or reports/<year>/<region>.yaml")
                    .help("move or rename the file (data files end in .yaml)"),
            ),
            None => {}
        }
    }
}

/// Compare `scoping-data/...` paths name by name, as a sorted walk lists them:
/// `a/z.yaml` before `a-b/c.yaml`, although `-` sorts before `/`.
pub fn path_order(a: &str, b: &str) -> std::cmp::Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let same = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let next = |path: &[u8]| path.get(same).map(|&c| if c == b'/' { 0 } else { c });
    next(a).cmp(&next(b))
}

/// `scoping-data/...` path with forward slashes, for messages.
fn rel(data_dir: &Path, path: &Path) -> String {
    let inner = path.strip_prefix(data_dir).unwrap_or(path);
    let mut out = String::from(super::DATA_DIR);
    for part in inner.components() {
        out.push('/');
        out.push_str(&part.as_os_str().to_string_lossy());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_sort_folder_by_folder() {
        let mut paths = vec!["d/a-b/c.yaml", "d/a/z.yaml", "d/a.yaml", "d/b.yaml"];
        paths.sort_by(|a, b| path_order(a, b));
        // Folder `a` before `a-b` before the file `a.yaml`, as names compare; comparing
        // the whole paths as text would put `a-b/` first and `a/` last.
        assert_eq!(
            paths,
            ["d/a/z.yaml", "d/a-b/c.yaml", "d/a.yaml", "d/b.yaml"]
        );
    }

    #[test]
    fn found_files_come_sorted_by_path() {
        let dir = tempfile::tempdir().unwrap();
        for file in [
            "regions/b.yaml",
            "regions/a.yaml",
            "directory/a-b.yaml",
            "directory/a.yaml",
            "framework.yaml",
        ] {
            let path = dir.path().join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x: 1\n").unwrap();
        }
        let found: Vec<String> = discover(dir.path(), &mut Vec::new())
            .into_iter()
            .map(|f| f.rel_path)
            .collect();
        assert_eq!(
            found,
            [
                "scoping-data/directory/a-b.yaml",
                "scoping-data/directory/a.yaml",
                "scoping-data/framework.yaml",
                "scoping-data/regions/a.yaml",
                "scoping-data/regions/b.yaml"
            ]
        );
    }

    #[test]
    fn classifies_by_position() {
        assert_eq!(classify(&["framework.yaml"]), Some(FileKind::Framework));
        assert_eq!(
            classify(&["returns", "2022", "cm", "halton.yaml"]),
            Some(FileKind::Return)
        );
        assert_eq!(classify(&["returns", "2022", "halton.yaml"]), None);
        assert_eq!(
            classify(&["directory", "babs.yaml"]),
            Some(FileKind::Service)
        );
    }
}
