//! Check: verify a built site the way a visitor and a link checker would.
//!
//! In: an output folder written by `build`. Out: diagnostics in the same form as `validate`
//! — broken internal links and anchors, missing assets, pages nothing links to, pages
//! without a title or a language. It reads the folder only; it never changes it.

mod scan;

use scan::{Link, scan};

use crate::diag::{self, Diagnostic};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

struct PageFacts {
    ids: HashSet<String>,
    /// (href as written, resolved target file, fragment, line, column)
    links: Vec<(String, PathBuf, String, usize, usize)>,
}

fn is_external(target: &str) -> bool {
    ["http://", "https://", "mailto:", "tel:", "//", "data:"]
        .iter()
        .any(|p| target.starts_with(p))
}

/// What is on the disk at a path, asked once per path however many links lead there.
#[derive(Default)]
struct Disk {
    kinds: HashMap<PathBuf, Kind>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    File,
    Folder,
    Nothing,
}

impl Disk {
    fn kind(&mut self, path: &Path) -> Kind {
        if let Some(kind) = self.kinds.get(path) {
            return *kind;
        }
        let kind = match std::fs::metadata(path) {
            Ok(m) if m.is_file() => Kind::File,
            Ok(m) if m.is_dir() => Kind::Folder,
            _ => Kind::Nothing,
        };
        self.kinds.insert(path.to_path_buf(), kind);
        kind
    }
}

/// Check every HTML page under `site`, published at `base_path` (e.g. `/` or `/scoping/`).
/// Each page is read once, and each link looked at once: the time grows with the size of
/// the site, however many links are broken or however deep elements nest.
pub fn check_site(site: &Path, base_path: &str) -> Vec<Diagnostic> {
    let base_path = format!("/{}", base_path.trim_matches('/'));
    let base_path = if base_path == "/" {
        "/".to_string()
    } else {
        format!("{base_path}/")
    };
    let mut out = Vec::new();
    let mut disk = Disk::default();
    let root = site.canonicalize().unwrap_or_else(|_| site.to_path_buf());
    let mut pages: BTreeMap<PathBuf, PageFacts> = BTreeMap::new();
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&root)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().to_path_buf())
        .collect();
    for file in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "html"))
    {
        let rel = file
            .strip_prefix(&root)
            .unwrap_or(file)
            .to_string_lossy()
            .replace('\\', "/");
        let Ok(text) = std::fs::read_to_string(file) else {
            out.push(
                Diagnostic::error("C001", &rel, "the page is not UTF-8 text")
                    .help("rebuild the site"),
            );
            continue;
        };
        let page = scan(&text);
        drop(text);
        if page.lang.as_deref().is_none_or(|l| l.trim().is_empty()) {
            out.push(
                Diagnostic::error("C002", &rel, "the page has no `lang` on <html>")
                    .at(page.html_line, 1, 5)
                    .help("set `language:` in scopemap.yaml and use it in base.html"),
            );
        }
        if page.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
            out.push(
                Diagnostic::error("C003", &rel, "the page has no title")
                    .help("give the template a non-empty <title>"),
            );
        }
        let mut links = Vec::new();
        for Link {
            target,
            line,
            column,
        } in page.links
        {
            if is_external(&target) {
                continue;
            }
            let (path, fragment) = target.split_once('#').unwrap_or((&target, ""));
            let resolved = if path.is_empty() {
                file.clone()
            } else if let Some(abs) = path.strip_prefix(base_path.as_str()) {
                root.join(abs)
            } else if path.starts_with('/') {
                root.join("..").join(path.trim_start_matches('/'))
            } else {
                file.parent().unwrap_or(&root).join(path)
            };
            let resolved = if disk.kind(&resolved) == Kind::Folder {
                resolved.join("index.html")
            } else {
                resolved
            };
            let fragment = fragment.to_string();
            links.push((target, resolved, fragment, line, column));
        }
        pages.insert(
            file.clone(),
            PageFacts {
                ids: page.ids,
                links,
            },
        );
    }
    for (file, facts) in &pages {
        let rel = file
            .strip_prefix(&root)
            .unwrap_or(file)
            .to_string_lossy()
            .replace('\\', "/");
        for (target, resolved, fragment, line, column) in &facts.links {
            let normal = normalise(resolved);
            if !normal.starts_with(&root) {
                out.push(
                    Diagnostic::error(
                        "C004",
                        &rel,
                        format!("the link `{target}` leads outside the site"),
                    )
                    .at(*line, *column, target.chars().count())
                    .help("link within the site with a relative path"),
                );
            } else if disk.kind(&normal) != Kind::File {
                out.push(
                    Diagnostic::error(
                        "C005",
                        &rel,
                        format!("the link `{target}` leads to nothing"),
                    )
                    .at(*line, *column, target.chars().count())
                    .help(
                        "fix the link in the template or content, or add the missing page or asset",
                    ),
                );
            } else if !fragment.is_empty() && normal.extension().is_some_and(|e| e == "html") {
                let has = pages.get(&normal).is_some_and(|p| p.ids.contains(fragment));
                if !has {
                    out.push(Diagnostic::error("C006", &rel, format!("the link `{target}` names an anchor `#{fragment}` that does not exist")).at(*line, *column, target.chars().count()).help("link to an id that the target page has"));
                }
            }
        }
    }
    // Every page must be reachable from the home page (404 is served, not linked).
    let home = root.join("index.html");
    let mut seen: HashSet<PathBuf> = HashSet::new();
    let mut queue = vec![home.clone()];
    while let Some(page) = queue.pop() {
        if !seen.insert(page.clone()) {
            continue;
        }
        if let Some(facts) = pages.get(&page) {
            for (_, target, _, _, _) in &facts.links {
                let t = normalise(target);
                if t.extension().is_some_and(|e| e == "html") && !seen.contains(&t) {
                    queue.push(t);
                }
            }
        }
    }
    for file in pages.keys() {
        let rel = file
            .strip_prefix(&root)
            .unwrap_or(file)
            .to_string_lossy()
            .replace('\\', "/");
        if !seen.contains(file) && rel != "404.html" {
            out.push(
                Diagnostic::warning("C007", &rel, "no page links to this page")
                    .help("link to it from a menu, a list or the page it belongs under"),
            );
        }
    }
    if !home.is_file() {
        out.push(
            Diagnostic::error("C008", "index.html", "the site has no home page")
                .help("build the site into this folder first"),
        );
    }
    diag::sort(&mut out);
    out
}

/// Resolve `.` and `..` without touching the disk.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}
