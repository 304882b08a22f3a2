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
        _ => None,
    }
}

/// Every YAML file under `data_dir`, sorted by path. Links are not followed; files in
/// places that mean nothing get a warning rather than being silently ignored.
pub fn discover(data_dir: &Path, diagnostics: &mut Vec<Diagnostic>) -> Vec<Found> {
    let mut found = Vec::new();
    discover_each(data_dir, diagnostics, |f| found.push(f));
    found
}

/// Hand every YAML file under `data_dir` to `on_found` as soon as it is found, in the
/// order of their paths (see `discover`).
pub fn discover_each(
    data_dir: &Path,
    diagnostics: &mut Vec<Diagnostic>,
    mut on_found: impl FnMut(Found),
) {
    let walker = WalkDir::new(data_dir)
        .follow_links(false)
        .sort_by_file_name();
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
                    .expected("framework.yaml, regions/<id>.yaml, returns/<year>/<region>/<area>.yaml, directory/<id>.yaml or reports/<year>/<region>.yaml")
                    .help("move or rename the file (data files end in .yaml)"),
            ),
            None => {}
        }
    }
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
