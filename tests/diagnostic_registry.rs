//! The registry of diagnostic codes (`scopemap::diag::codes::CODES`), the source, the
//! documentation and the tests agree:
//!
//! - every code the source names (a string literal such as `"E010"` anywhere under `src/`)
//!   is in the registry, and every registry code is named by the program's code (outside
//!   test modules), so the registry lists exactly what scopemap can report;
//! - every registry code has exactly one entry in docs/diagnostics.md (a table row that
//!   starts `| E010 |`), and the docs list no other code;
//! - every registry code is asserted by a test: test code names it as the literal `"E010"`
//!   (compared with a diagnostic's code) or as `[E010]` (in printed output such as
//!   `error[E010]: …`). Test code is every file under `tests/` but this one, each `src/`
//!   file from its `#[cfg(test)]` line to its end (test modules close their files), and
//!   the files of test modules declared as `#[cfg(test)] mod name;`.

use regex::Regex;
use scopemap::diag::codes::CODES;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk").into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    files
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The text of `src/`, split into the program's code and its test modules.
struct Source {
    program: String,
    tests: String,
}

fn source() -> Source {
    let files: Vec<(PathBuf, String)> = rust_files(&repo().join("src"))
        .into_iter()
        .map(|f| {
            let text = read(&f);
            (f, text)
        })
        .collect();
    split(&files)
}

/// Split source files into the program's code and its test modules.
fn split(files: &[(PathBuf, String)]) -> Source {
    let declared = Regex::new(r"#\[cfg\(test\)\]\s*mod (\w+);").unwrap();
    let mut test_files = BTreeSet::new();
    for (file, text) in files {
        let folder = match file.file_stem().and_then(|s| s.to_str()) {
            Some("mod" | "lib" | "main") => file.parent().unwrap().to_path_buf(),
            _ => file.with_extension(""),
        };
        for name in declared.captures_iter(text) {
            test_files.insert(folder.join(format!("{}.rs", &name[1])));
            test_files.insert(folder.join(&name[1]).join("mod.rs"));
        }
    }
    let (mut program, mut tests) = (String::new(), String::new());
    for (file, text) in files {
        if test_files.contains(file) {
            tests.push_str(text);
            continue;
        }
        let mut offset = 0;
        let mut split = text.len();
        for line in text.split_inclusive('\n') {
            if line.trim() == "#[cfg(test)]" {
                split = offset;
                break;
            }
            offset += line.len();
        }
        program.push_str(&text[..split]);
        tests.push_str(&text[split..]);
    }
    Source { program, tests }
}

/// Every code named as a string literal in `text`.
fn literals(text: &str) -> BTreeSet<String> {
    let literal = Regex::new(r#""([CEW]\d{3})""#).unwrap();
    literal
        .captures_iter(text)
        .map(|c| c[1].to_string())
        .collect()
}

/// Every code asserted in test code: `"E010"` or `[E010]`.
fn asserted(text: &str) -> BTreeSet<String> {
    let asserted = Regex::new(r#""([CEW]\d{3})"|\[([CEW]\d{3})\]"#).unwrap();
    asserted
        .captures_iter(text)
        .map(|c| c.get(1).or(c.get(2)).unwrap().as_str().to_string())
        .collect()
}

/// How many table rows of docs/diagnostics.md start with each code.
fn documented() -> BTreeMap<String, usize> {
    let row = Regex::new(r"^\| ([CEW]\d{3}) \|").unwrap();
    let mut count = BTreeMap::new();
    for line in read(&repo().join("docs/diagnostics.md")).lines() {
        if let Some(c) = row.captures(line) {
            *count.entry(c[1].to_string()).or_insert(0) += 1;
        }
    }
    count
}

/// Every test file's text but this one's, with the test modules of `src/`.
fn test_code(source: &Source) -> String {
    let this = repo().join("tests/diagnostic_registry.rs");
    let mut text = source.tests.clone();
    for file in rust_files(&repo().join("tests")) {
        if file != this {
            text.push_str(&read(&file));
        }
    }
    text
}

fn registry() -> BTreeSet<String> {
    CODES.iter().map(|c| c.code.to_string()).collect()
}

#[test]
fn the_registry_is_sorted_with_one_line_per_code() {
    let shape = Regex::new(r"^[CEW]\d{3}$").unwrap();
    for c in CODES {
        assert!(shape.is_match(c.code), "`{}` is not a code", c.code);
        assert!(
            !c.summary.trim().is_empty() && !c.summary.contains('\n'),
            "{}: the summary is one line of text",
            c.code
        );
    }
    for pair in CODES.windows(2) {
        assert!(
            pair[0].code < pair[1].code,
            "{} then {}: codes are listed once each, in order",
            pair[0].code,
            pair[1].code
        );
    }
}

#[test]
fn every_code_the_source_names_is_in_the_registry_and_every_listed_code_is_reported() {
    let source = source();
    let registry = registry();
    let unregistered: Vec<String> = literals(&source.program)
        .union(&literals(&source.tests))
        .filter(|c| !registry.contains(*c))
        .cloned()
        .collect();
    assert!(
        unregistered.is_empty(),
        "codes named in src/ but not in src/diag/codes.rs: {unregistered:?}\n\
         add a line for each to CODES (or, in a test module, use a code the program reports)"
    );
    let reported = literals(&source.program);
    let unreported: Vec<&String> = registry.difference(&reported).collect();
    assert!(
        unreported.is_empty(),
        "codes in src/diag/codes.rs that the program never reports: {unreported:?}\n\
         remove them from CODES and docs/diagnostics.md"
    );
}

#[test]
fn every_listed_code_is_documented_once_and_the_docs_list_no_other() {
    let registry = registry();
    let docs = documented();
    let missing: Vec<&String> = registry.iter().filter(|c| !docs.contains_key(*c)).collect();
    assert!(
        missing.is_empty(),
        "codes with no `| CODE |` row in docs/diagnostics.md: {missing:?}\n\
         document what each means, an example and the fix"
    );
    let twice: Vec<&String> = docs
        .iter()
        .filter(|(_, n)| **n > 1)
        .map(|(c, _)| c)
        .collect();
    assert!(
        twice.is_empty(),
        "codes documented more than once: {twice:?}"
    );
    let unknown: Vec<&String> = docs.keys().filter(|c| !registry.contains(*c)).collect();
    assert!(
        unknown.is_empty(),
        "docs/diagnostics.md documents codes scopemap does not report: {unknown:?}"
    );
}

#[test]
fn every_listed_code_is_asserted_by_a_test() {
    let tested = asserted(&test_code(&source()));
    let untested: Vec<String> = registry().difference(&tested).cloned().collect();
    assert!(
        untested.is_empty(),
        "codes no test asserts (as \"CODE\" or [CODE] in test code): {untested:?}\n\
         add a fixture that triggers each through the command that reports it, and check \
         its message and place"
    );
}

/// The scan itself: it tells the program's code from test modules (inline or in files of
/// their own), and counts a code as asserted only in the forms a test compares or prints.
#[test]
fn the_scan_tells_program_code_from_tests_and_assertions_from_mentions() {
    let files = [
        (
            PathBuf::from("src/a.rs"),
            "fn f() -> &'static str { \"E001\" }\n#[cfg(test)]\nmod tests { \"E002\" }\n".into(),
        ),
        (
            PathBuf::from("src/b/mod.rs"),
            "fn g() -> &'static str { \"W003\" }\n#[cfg(test)]\nmod checks;\n".into(),
        ),
        (PathBuf::from("src/b/checks.rs"), "\"C004\"".into()),
    ];
    let source = split(&files);
    let set = |codes: &[&str]| codes.iter().map(|c| c.to_string()).collect::<BTreeSet<_>>();
    assert_eq!(literals(&source.program), set(&["E001", "W003"]));
    assert_eq!(literals(&source.tests), set(&["E002", "C004"]));
    let text =
        "assert_eq!(d.code, \"E010\"); // E011 is a mention\nlog.contains(\"warning[W032]\")";
    assert_eq!(asserted(text), set(&["E010", "W032"]));
    assert_eq!(
        literals("let c = \"C005\"; let s = \"E01\";"),
        set(&["C005"])
    );
}
