//! Build script: lists the files of the default theme for `scopemap init`, which writes a
//! copy of the theme into every new site, so that an installed binary needs no repository
//! beside it.
//!
//! Out: `$OUT_DIR/default_theme.rs`, a sorted table of (path inside `themes/default/`,
//! `include_bytes!` of the file). The compiler tracks each included file, and the folder is
//! watched here, so a file added to or removed from the theme rebuilds the table.

use std::path::{Path, PathBuf};

fn files_under(dir: &Path, base: &Path, out: &mut Vec<(String, PathBuf)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("a folder entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') {
            continue;
        }
        let kind = std::fs::symlink_metadata(&path).expect("a file's metadata");
        if kind.is_dir() {
            files_under(&path, base, out);
        } else if kind.is_file() {
            let rel = path
                .strip_prefix(base)
                .expect("inside the theme")
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, path));
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let theme = manifest.join("themes").join("default");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=themes/default");
    let mut files = Vec::new();
    files_under(&theme, &theme, &mut files);
    files.sort();
    let mut table = String::from(
        "/// The default theme: (path inside `themes/default/`, contents), sorted by path.\n\
         pub const DEFAULT_THEME: &[(&str, &[u8])] = &[\n",
    );
    for (rel, path) in files {
        table.push_str(&format!(
            "    ({rel:?}, include_bytes!({:?})),\n",
            path.display().to_string()
        ));
    }
    table.push_str("];\n");
    let out =
        PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it")).join("default_theme.rs");
    std::fs::write(&out, table).unwrap_or_else(|e| panic!("cannot write {}: {e}", out.display()));
}
