//! The structure the code keeps: every module uses only the modules docs/architecture.md
//! allows it to (the table is read from the document, so the two cannot drift apart), the
//! table itself has no cycle, and no source file runs far past 500 lines without its
//! opening comment saying why. Test code is not held to the table (a test may build its
//! input with any stage): a file from its `#[cfg(test)]` line on, and the files of test
//! modules declared as `#[cfg(test)] mod name;`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The layer table of docs/architecture.md: each module and the modules it may use.
fn layer_table() -> BTreeMap<String, BTreeSet<String>> {
    let doc = std::fs::read_to_string(repo().join("docs/architecture.md")).unwrap();
    let section = doc
        .split("\n## ")
        .find(|s| s.starts_with("Layers"))
        .expect("docs/architecture.md has a `## Layers` section");
    let names = |cell: &str| -> BTreeSet<String> {
        cell.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    };
    let mut table = BTreeMap::new();
    for row in section.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = row.trim_matches('|').split('|').collect();
        assert!(cells.len() >= 2, "a row without a second column: {row}");
        let module = names(cells[0]);
        assert_eq!(module.len(), 1, "one module per row: {row}");
        let module = module.into_iter().next().unwrap();
        let before = table.insert(module.clone(), names(cells[1]));
        assert!(before.is_none(), "`{module}` has two rows");
    }
    assert!(table.len() > 10, "the layer table was not found: {table:?}");
    table
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// The top-level module a file of src/ belongs to: `render` for src/render/pages.rs and
/// src/render.rs, `main` for src/main.rs.
fn module_of(file: &Path) -> String {
    let rel = file.strip_prefix(repo().join("src")).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// The code of a file without its comments, so that a module named in prose is not taken
/// for a use of it.
fn code(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            Some(at) => &l[..at],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The crate's modules a file's code names: `crate::x::…` anywhere, and each `x` of
/// `use crate::{x, y::z}`. In main.rs the crate is named `scopemap`. Names that start with
/// a capital are items of the crate root (the exit statuses), not modules.
fn used_modules(code: &str, crate_name: &str) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    let path = format!("{crate_name}::");
    let mut rest = code;
    while let Some(at) = rest.find(&path) {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + path.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            for name in top_level_names(group) {
                used.insert(name);
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            used.insert(name);
        }
    }
    used.retain(|n| !n.is_empty() && !n.starts_with(char::is_uppercase) && n != "self");
    used
}

/// The first name of each path in a `{a, b::{c, d}, e}` group, up to its closing brace.
fn top_level_names(group: &str) -> Vec<String> {
    let mut names = Vec::new();
    let (mut depth, mut current, mut first) = (0, String::new(), true);
    for c in group.chars() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                names.push(std::mem::take(&mut current));
                first = true;
                continue;
            }
            _ => {}
        }
        if depth == 0 && first {
            if c.is_alphanumeric() || c == '_' {
                current.push(c);
            } else if !current.is_empty() || c == ':' {
                first = false;
            }
        }
    }
    names.push(current);
    names.into_iter().map(|n| n.trim().to_string()).collect()
}

/// The files of the test modules that `files` declare on their own (`#[cfg(test)]` and
/// then `mod name;`): `name.rs` or `name/mod.rs` beside the declaring file's module.
fn test_module_files(files: &[PathBuf]) -> BTreeSet<PathBuf> {
    let mut tests = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for pair in lines.windows(2) {
            let Some(name) = pair[1]
                .trim()
                .strip_prefix("mod ")
                .and_then(|rest| rest.strip_suffix(';'))
            else {
                continue;
            };
            if pair[0].trim() != "#[cfg(test)]" {
                continue;
            }
            let stem = file.file_stem().unwrap().to_string_lossy();
            let folder = if stem == "mod" || stem == "lib" || stem == "main" {
                file.parent().unwrap().to_path_buf()
            } else {
                file.with_extension("")
            };
            tests.insert(folder.join(format!("{name}.rs")));
            tests.insert(folder.join(name).join("mod.rs"));
        }
    }
    tests
}

#[test]
fn the_parser_reads_paths_and_groups() {
    let code = "use crate::{EXIT_OK, diag::{self, Diagnostic}, load};\n\
                let x = crate::render::base_path(y);\n\
                use crate::model::Site;\n\
                let s = my_crate::other::f();";
    let used = used_modules(code, "crate");
    let expected: BTreeSet<String> = ["diag", "load", "model", "render"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(used, expected);
    assert_eq!(code_without_comment(), "let a = 1; ");
}

fn code_without_comment() -> String {
    code("let a = 1; // crate::render::x")
}

#[test]
fn every_module_uses_only_what_the_layer_table_allows() {
    let table = layer_table();
    let mut declared: BTreeSet<String> = BTreeSet::new();
    let lib = std::fs::read_to_string(repo().join("src/lib.rs")).unwrap();
    for line in lib.lines() {
        if let Some(name) = line.strip_prefix("pub mod ") {
            declared.insert(name.trim_end_matches(';').to_string());
        }
    }
    declared.insert("main".to_string());
    let listed: BTreeSet<String> = table.keys().cloned().collect();
    assert_eq!(
        listed, declared,
        "the layer table of docs/architecture.md must have one row for each module of src/lib.rs and for `main`"
    );
    let mut breaches = Vec::new();
    let files = rust_files(&repo().join("src"));
    let tests = test_module_files(&files);
    for file in files {
        let module = module_of(&file);
        if module == "lib" || tests.contains(&file) {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let text = match text.find("\n#[cfg(test)]") {
            Some(at) => &text[..at],
            None => &text,
        };
        let crate_name = if module == "main" {
            "scopemap"
        } else {
            "crate"
        };
        let allowed = &table[&module];
        for used in used_modules(&code(text), crate_name) {
            if used != module && !allowed.contains(&used) {
                breaches.push(format!(
                    "{} uses `{used}`, which `{module}` may not use",
                    file.strip_prefix(repo()).unwrap().display()
                ));
            }
        }
    }
    assert!(
        breaches.is_empty(),
        "imports the layer table of docs/architecture.md does not allow (move the code, or change the table if the design changed):\n{}",
        breaches.join("\n")
    );
}

#[test]
fn the_layer_table_has_no_cycle() {
    let table = layer_table();
    for (module, allowed) in &table {
        for used in allowed {
            assert!(
                table.contains_key(used),
                "`{module}` may use `{used}`, which is not a module"
            );
        }
    }
    // Take away, again and again, the modules that use nothing left; a cycle is what
    // cannot be taken away.
    let mut left = table.clone();
    while !left.is_empty() {
        let free: Vec<String> = left
            .iter()
            .filter(|(_, uses)| uses.iter().all(|u| !left.contains_key(u)))
            .map(|(m, _)| m.clone())
            .collect();
        assert!(
            !free.is_empty(),
            "the layer table has a cycle among {:?}",
            left.keys().collect::<Vec<_>>()
        );
        for m in free {
            left.remove(&m);
        }
    }
}

/// Lines a source file may have before its opening comment must say why it is longer.
const LONG_FILE: usize = 500;

/// What the opening comment of a longer file says, followed by the reason.
const LONG_FILE_NOTE: &str = "Kept in one file:";

#[test]
fn long_files_say_why_they_are_long() {
    let mut unexplained = Vec::new();
    for file in rust_files(&repo().join("src")) {
        let text = std::fs::read_to_string(&file).unwrap();
        let lines = text.lines().count();
        let opening: String = text
            .lines()
            .take_while(|l| l.starts_with("//!"))
            .collect::<Vec<_>>()
            .join("\n");
        if lines > LONG_FILE && !opening.contains(LONG_FILE_NOTE) {
            unexplained.push(format!(
                "{} ({lines} lines)",
                file.strip_prefix(repo()).unwrap().display()
            ));
        }
    }
    assert!(
        unexplained.is_empty(),
        "files over {LONG_FILE} lines whose opening comment does not say `{LONG_FILE_NOTE}` and why; split them or say why they are better whole:\n{}",
        unexplained.join("\n")
    );
}
