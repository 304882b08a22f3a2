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

/// The base fixture with the named overlay from `tests/fixtures/overlays/` laid over it.
pub fn base_with(case: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&fixtures().join("base"), dir.path());
    if !case.is_empty() {
        copy_dir(&fixtures().join("overlays").join(case), dir.path());
    }
    dir
}

/// The base fixture as a whole site: data, settings, content and the repository's theme.
pub fn site_with(case: &str) -> tempfile::TempDir {
    let dir = base_with(case);
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("themes"),
        &dir.path().join("themes"),
    );
    dir
}

/// Every file under `dir` as (relative path, bytes), sorted.
pub fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// Build a site; returns the exit code and what the command printed.
pub fn build(root: &Path, out: &Path, audience: scopemap::audience::Audience) -> (i32, String) {
    let mut log = Vec::new();
    let code = scopemap::commands::build_for(root, out, false, audience, &mut log);
    (code, String::from_utf8(log).unwrap())
}

/// A CSS selector for the HTML assertions.
pub fn sel(s: &str) -> scraper::Selector {
    scraper::Selector::parse(s).unwrap()
}

/// An element's text with runs of white space folded to single spaces.
pub fn text(el: scraper::ElementRef) -> String {
    el.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A synthetic site made by `scopemap fixture` in a new temporary folder (`site/` in it).
pub fn synthetic(options: &scopemap::fixture::FixtureOptions) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let mut log = Vec::new();
    let code = scopemap::commands::fixture_command(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        options,
        &site,
        &mut log,
    );
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&log));
    (dir, site)
}

/// The fixtures transcribe the reports' tables as printed; the site spells each name one
/// way, the area's or category's own, where the tables spell it another.
pub const ONE_SPELLING: &[(&str, &str)] = &[
    ("St. Helen's", "St Helens"),
    ("Southport & Formby", "Southport and Formby"),
    ("Fylde & Wyre", "Fylde and Wyre"),
    ("Blackpool, Fylde & Wyre", "Blackpool, Fylde and Wyre"),
    ("Chorley & South Ribble", "Chorley and South Ribble"),
    ("0-5s pathway in CAMHs", "0-5s pathway in CAMHS"),
    (
        "Antenatal education Provision",
        "Antenatal education provision",
    ),
];

/// A name as the site spells it.
pub fn spelt(printed: &str) -> String {
    ONE_SPELLING
        .iter()
        .find(|(as_printed, _)| *as_printed == printed)
        .map_or(printed, |(_, name)| name)
        .to_string()
}

/// The data of one file of a built site's search index (`directory/search/<name>.js`),
/// checking that the script does nothing but hand it over.
pub fn search_file(out: &Path, name: &str) -> serde_json::Value {
    let path = out.join(format!("directory/search/{name}.js"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let data = text
        .strip_prefix(&format!("scopemapSearch(\"{name}\","))
        .and_then(|t| t.strip_suffix(");\n"))
        .unwrap_or_else(|| panic!("{name}.js does not only call scopemapSearch: {text}"));
    serde_json::from_str(data).unwrap_or_else(|e| panic!("{name}.js: {e}"))
}

/// A number list of the search index: each number is the gap to the one before less
/// one, five bits a character, lowest first, a character from the second half of the
/// alphabet saying more follow.
pub fn search_numbers(text: &str) -> Vec<usize> {
    const DIGITS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let (mut out, mut value, mut shift) = (Vec::new(), 0usize, 0);
    for c in text.chars() {
        let v = DIGITS
            .find(c)
            .unwrap_or_else(|| panic!("`{c}` in a number list"));
        value += (v & 31) << shift;
        if v & 32 != 0 {
            shift += 5;
        } else {
            out.push(value);
            (value, shift) = (0, 0);
        }
    }
    out
}

/// Every service of the search index, in its number order.
pub fn search_docs(out: &Path) -> Vec<serde_json::Value> {
    let meta = search_file(out, "meta");
    let (n, per) = (
        meta["n"].as_u64().unwrap() as usize,
        meta["per"].as_u64().unwrap() as usize,
    );
    let docs: Vec<serde_json::Value> = (0..n.div_ceil(per))
        .flat_map(|i| {
            search_file(out, &format!("d/{i}"))
                .as_array()
                .unwrap()
                .clone()
        })
        .collect();
    assert_eq!(docs.len(), n);
    docs
}

/// The service numbers a filter value keeps.
pub fn search_filter(out: &Path, filter: &str, value: &str) -> Vec<usize> {
    let text = search_file(out, &format!("f/{filter}/{value}"));
    let mut next = 0;
    search_numbers(text.as_str().unwrap())
        .into_iter()
        .map(|gap| {
            let d = next + gap;
            next = d + 1;
            d
        })
        .collect()
}

/// A term's postings: (service number, field: 3 name, 2 facts, 1 summary, 0 description).
pub fn search_postings(out: &Path, term: &str) -> Vec<(usize, u8)> {
    let shard = search_file(out, &format!("t/{}", &term[..term.len().min(2)]));
    let at = shard["w"]
        .as_array()
        .unwrap()
        .iter()
        .position(|w| w == term)
        .unwrap_or_else(|| panic!("`{term}` is not indexed"));
    let mut next = 0;
    search_numbers(shard["p"][at].as_str().unwrap())
        .into_iter()
        .map(|v| {
            let d = next + v / 4;
            next = d + 1;
            (d, (v % 4) as u8)
        })
        .collect()
}
