//! Incremental rebuilds: after every kind of edit, a rebuild that reuses the previous
//! output (through a cache kept between builds as `serve` keeps one, and through `build`
//! reading the folder's manifest)
//! gives exactly the files of a fresh build, rewrites only what the edit can change, and a
//! failed rebuild leaves the output as it was.

mod common;

use common::tree;
use scopemap::audience::Audience;
use scopemap::fixture::FixtureOptions;
use scopemap::pipeline::{BuildCache, BuildOptions, DataLoad};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A small synthetic site: lineage changes, reports, narrative pages and the theme.
fn synthetic_site() -> (tempfile::TempDir, PathBuf) {
    common::synthetic(&FixtureOptions {
        regions: 2,
        areas_per_region: 3,
        years: 3,
        services: 40,
        seed: 7,
    })
}

/// Builds of one site into one folder with one cache, as `serve` makes them.
struct Rebuilds {
    options: BuildOptions,
    cache: BuildCache,
}

impl Rebuilds {
    fn new(root: &Path, out: &Path) -> Rebuilds {
        let options = BuildOptions {
            root: root.to_path_buf(),
            out: out.to_path_buf(),
            force: false,
            audience: Audience::Public,
        };
        Rebuilds {
            options,
            cache: BuildCache::for_rebuilds(),
        }
    }

    fn build(&mut self, log: &mut Vec<u8>) -> i32 {
        self.build_after(None, log)
    }

    fn build_after(&mut self, changed: Option<&[PathBuf]>, log: &mut Vec<u8>) -> i32 {
        scopemap::pipeline::build(&self.options, &mut self.cache, changed, log)
    }

    fn last_load(&self) -> DataLoad {
        self.cache.last_load()
    }
}

fn cached_build(rebuilds: &mut Rebuilds) -> String {
    let mut log = Vec::new();
    let code = rebuilds.build(&mut log);
    let log = String::from_utf8(log).unwrap();
    assert_eq!(code, 0, "{log}");
    log
}

fn fresh_build(site: &Path, out: &Path) {
    let _ = std::fs::remove_dir_all(out);
    let (code, log) = common::build(site, out, Audience::Public);
    assert_eq!(code, 0, "{log}");
}

/// Each file's identity on disk: a file replaced by a rebuild gets a new inode.
#[cfg(unix)]
fn identities(out: &Path) -> BTreeMap<PathBuf, u64> {
    use std::os::unix::fs::MetadataExt;
    walkdir::WalkDir::new(out)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(out).unwrap().to_path_buf();
            (rel, e.metadata().unwrap().ino())
        })
        .collect()
}

/// The files a rebuild replaced, added or removed, leaving out the marker.
#[cfg(unix)]
fn touched(before: &BTreeMap<PathBuf, u64>, after: &BTreeMap<PathBuf, u64>) -> Vec<String> {
    let mut names: Vec<String> = after
        .iter()
        .filter(|(p, ino)| before.get(*p) != Some(ino))
        .map(|(p, _)| p.to_string_lossy().into_owned())
        .chain(
            before
                .keys()
                .filter(|p| !after.contains_key(*p))
                .map(|p| p.to_string_lossy().into_owned()),
        )
        .filter(|p| p != ".scopemap-output")
        .collect();
    names.sort();
    names
}

/// The fingerprint the output folder's marker records for each page and file group.
fn fingerprints(out: &Path) -> BTreeMap<String, String> {
    let marker: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join(".scopemap-output")).unwrap()).unwrap();
    marker["manifest"]["units"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v["fingerprint"].as_str().unwrap().to_string()))
        .collect()
}

/// Every file under `dir`, sorted.
fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().to_path_buf())
        .collect();
    files.sort();
    files
}

fn first_file(dir: &Path) -> PathBuf {
    files_in(dir).remove(0)
}

fn last_file(dir: &Path) -> PathBuf {
    files_in(dir).pop().unwrap()
}

/// Change the first G rating in a return to `other`, or, if there is none, the first
/// `other` back to G.
fn flip_rating(file: &Path, other: &str) {
    let text = std::fs::read_to_string(file).unwrap();
    let (g, o) = (": G\n", format!(": {other}\n"));
    let flipped = if text.contains(g) {
        text.replacen(g, &o, 1)
    } else {
        text.replacen(&o, g, 1)
    };
    assert_ne!(flipped, text, "{} has no rating to change", file.display());
    std::fs::write(file, flipped).unwrap();
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no `{from}`", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// One change to the site's sources.
type Edit = (&'static str, Box<dyn Fn(&Path)>);

fn edits() -> Vec<Edit> {
    vec![
        (
            "a rating in the newest return",
            Box::new(|site: &Path| {
                flip_rating(&last_file(&site.join("scoping-data/returns")), "R");
            }),
        ),
        (
            "a return saved by renaming a new file over it, as editors do",
            Box::new(|site: &Path| {
                let file = first_file(&site.join("scoping-data/returns"));
                let text = std::fs::read_to_string(&file).unwrap();
                let (from, to) = if text.contains(": A\n") {
                    (": A\n", ": B\n")
                } else {
                    (": G\n", ": A\n")
                };
                let temp = file.with_file_name("save-in-progress.tmp");
                std::fs::write(&temp, text.replacen(from, to, 1)).unwrap();
                std::fs::rename(&temp, &file).unwrap();
            }),
        ),
        (
            "a service file added",
            Box::new(|site: &Path| {
                let dir = site.join("scoping-data/directory");
                let file = first_file(&dir);
                let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
                let text = std::fs::read_to_string(&file)
                    .unwrap()
                    .replace(&format!("id: {stem}"), "id: a-new-service");
                std::fs::write(dir.join("a-new-service.yaml"), text).unwrap();
            }),
        ),
        (
            "the body of a content page",
            Box::new(|site: &Path| {
                let page = site.join("content/method.md");
                let mut text = std::fs::read_to_string(&page).unwrap();
                text.push_str("\nOne more sentence about the method.\n");
                std::fs::write(page, text).unwrap();
            }),
        ),
        (
            "the title of a content page, which is in every menu",
            Box::new(|site: &Path| {
                edit(
                    &site.join("content/method.md"),
                    "title: \"Method\"",
                    "title: \"How we did it\"",
                )
            }),
        ),
        (
            "a service's name",
            Box::new(|site: &Path| {
                let file = first_file(&site.join("scoping-data/directory"));
                edit(&file, "name: ", "name: Renamed ");
            }),
        ),
        (
            "a region's name",
            Box::new(|site: &Path| {
                let file = first_file(&site.join("scoping-data/regions"));
                edit(&file, "name: \"", "name: \"Greater ");
            }),
        ),
        (
            "a report's data file",
            Box::new(|site: &Path| {
                let file = last_file(&site.join("scoping-data/reports"));
                edit(&file, "title: \"", "title: \"Revised: ");
            }),
        ),
        (
            "a template",
            Box::new(|site: &Path| {
                edit(
                    &site.join("themes/default/templates/base.html"),
                    "</body>",
                    "<!-- edited --></body>",
                )
            }),
        ),
        (
            "a static file",
            Box::new(|site: &Path| {
                let css = first_file(&site.join("themes/default/static"));
                let mut bytes = std::fs::read(&css).unwrap();
                bytes.extend_from_slice(b"\n/* edited */\n");
                std::fs::write(css, bytes).unwrap();
            }),
        ),
        (
            "the site settings",
            Box::new(|site: &Path| edit(&site.join("scopemap.yaml"), "title: \"", "title: \"New ")),
        ),
        (
            "a service file removed",
            Box::new(|site: &Path| {
                // The last service no rating cites as evidence, so the data stays valid.
                let returns: String = walkdir::WalkDir::new(site.join("scoping-data/returns"))
                    .into_iter()
                    .flatten()
                    .filter(|e| e.file_type().is_file())
                    .map(|e| std::fs::read_to_string(e.path()).unwrap())
                    .collect();
                let uncited = files_in(&site.join("scoping-data/directory"))
                    .into_iter()
                    .rev()
                    .find(|f| {
                        let id = f.file_stem().unwrap().to_string_lossy();
                        !returns.contains(&format!("- {id}\n"))
                    })
                    .unwrap();
                std::fs::remove_file(uncited).unwrap()
            }),
        ),
        (
            "a content page added",
            Box::new(|site: &Path| {
                std::fs::write(
                    site.join("content/contact.md"),
                    "---\ntitle: \"Contact\"\norder: 9\n---\n\nWrite to the network team.\n",
                )
                .unwrap()
            }),
        ),
    ]
}

#[test]
fn every_kind_of_edit_rebuilds_to_the_same_files_as_a_fresh_build() {
    let (dir, site) = synthetic_site();
    let (by_cache, by_build, fresh) = (
        dir.path().join("by-cache"),
        dir.path().join("by-build"),
        dir.path().join("fresh"),
    );
    let mut rebuilds = Rebuilds::new(&site, &by_cache);
    cached_build(&mut rebuilds);
    fresh_build(&site, &by_build);
    for (what, apply) in edits() {
        apply(&site);
        cached_build(&mut rebuilds);
        let (code, log) = common::build(&site, &by_build, Audience::Public);
        assert_eq!(code, 0, "{what}: {log}");
        assert!(log.contains(" written, "), "{what}: not incremental: {log}");
        fresh_build(&site, &fresh);
        let expected = tree(&fresh);
        assert!(
            tree(&by_cache) == expected,
            "after editing {what}, serve's rebuild differs from a fresh build"
        );
        assert!(
            tree(&by_build) == expected,
            "after editing {what}, an incremental build differs from a fresh build"
        );
    }
}

#[cfg(unix)]
#[test]
fn an_edit_rewrites_only_the_files_that_depend_on_it() {
    let (dir, site) = synthetic_site();
    let out = dir.path().join("out");
    let mut rebuilds = Rebuilds::new(&site, &out);
    cached_build(&mut rebuilds);
    assert_eq!(rebuilds.last_load(), DataLoad::Full);
    let all = identities(&out);

    // Nothing changed: nothing is written, not even the sitemap, which lists every page.
    let before = identities(&out);
    cached_build(&mut rebuilds);
    assert_eq!(rebuilds.last_load(), DataLoad::Patched(0));
    assert_eq!(touched(&before, &identities(&out)), Vec::<String>::new());

    // A content page's text: that page only (its title, in the menus, is unchanged).
    let before = identities(&out);
    let page = site.join("content/method.md");
    let mut text = std::fs::read_to_string(&page).unwrap();
    text.push_str("\nA new paragraph.\n");
    std::fs::write(&page, text).unwrap();
    cached_build(&mut rebuilds);
    assert_eq!(touched(&before, &identities(&out)), ["method/index.html"]);

    // One return: that file alone is read again, and its region's pages for that year,
    // the area pages, the category pages and the provision exports are written; no
    // service page, directory list or Open Referral file is. The home page, made again
    // because it lists the regions, shows no rating and so keeps its file.
    let before = identities(&out);
    let file = last_file(&site.join("scoping-data/returns"));
    let rel = file
        .strip_prefix(site.join("scoping-data/returns"))
        .unwrap();
    let parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let (year, region) = (&parts[0], &parts[1]);
    let prints_before = fingerprints(&out);
    flip_rating(&file, "A");
    cached_build(&mut rebuilds);
    assert_eq!(rebuilds.last_load(), DataLoad::Patched(1));
    let changed = touched(&before, &identities(&out));
    // The overview of all regions is made again for that year only.
    let prints_after = fingerprints(&out);
    let overview: Vec<&String> = prints_after
        .keys()
        .filter(|p| p.starts_with("overview/"))
        .collect();
    assert!(overview.len() > 3, "{overview:?}");
    let latest = overview
        .iter()
        .filter_map(|p| p.split('/').nth(1)?.parse::<u16>().ok())
        .max()
        .unwrap();
    for page in overview {
        let again = prints_before.get(page) != prints_after.get(page);
        // `overview/` itself shows the latest year.
        let of_year = page.starts_with(&format!("overview/{year}/"))
            || (page == "overview/index.html" && year == &latest.to_string());
        assert_eq!(again, of_year, "{page}");
    }
    // An area's brief looks back, never forward: the briefs of earlier years stay.
    let briefs: Vec<&String> = prints_after
        .keys()
        .filter(|p| p.ends_with("/brief/index.html") && p.contains(&format!("/{year}/")))
        .collect();
    assert!(
        briefs
            .iter()
            .any(|p| prints_before.get(*p) != prints_after.get(*p))
    );
    let earlier: Vec<&String> = prints_after
        .keys()
        .filter(|p| p.ends_with("/brief/index.html"))
        .filter(|p| {
            p.split('/')
                .nth(2)
                .and_then(|y| y.parse::<u16>().ok())
                .is_some_and(|y| y.to_string() < *year)
        })
        .collect();
    assert!(!earlier.is_empty());
    for page in earlier {
        assert_eq!(prints_before.get(page), prints_after.get(page), "{page}");
    }
    for expected in [
        format!("regions/{region}/{year}/index.html"),
        format!("regions/{region}/{year}/report/index.html"),
        format!("regions/{region}/index.html"),
        "data/provision.csv".to_string(),
    ] {
        assert!(
            changed.contains(&expected),
            "{expected} not rewritten: {changed:?}"
        );
    }
    assert!(changed.iter().any(|p| p.starts_with("categories/")));
    assert!(changed.iter().any(|p| p.starts_with("areas/")));
    for p in &changed {
        assert!(
            !p.starts_with("directory/") && !p.starts_with("oruk/"),
            "{p} does not depend on a return"
        );
        let other_year = p.starts_with(&format!("regions/{region}/"))
            && !p.contains(&format!("/{year}/"))
            && p != &format!("regions/{region}/index.html");
        assert!(!other_year, "{p} is another year's page");
    }
    assert!(
        changed.len() * 4 < all.len(),
        "{} of {} files rewritten",
        changed.len(),
        all.len()
    );

    // Saved the way many editors save (a new file renamed over the old one): still only
    // that file is read again.
    let text = std::fs::read_to_string(&file).unwrap();
    let temp = file.with_file_name("4913");
    std::fs::write(&temp, text.replacen("note: ", "note: Revised. ", 1)).unwrap();
    std::fs::rename(&temp, &file).unwrap();
    cached_build(&mut rebuilds);
    assert_eq!(rebuilds.last_load(), DataLoad::Patched(1));

    // One service's summary: its own page and the lists it is on; no other
    // service's page or record.
    let before = identities(&out);
    let service = first_file(&site.join("scoping-data/directory"));
    let id = service.file_stem().unwrap().to_string_lossy().into_owned();
    edit(
        &service,
        "summary: \"",
        "summary: \"Now also on Saturdays. ",
    );
    cached_build(&mut rebuilds);
    let changed = touched(&before, &identities(&out));
    assert!(
        changed.contains(&format!("directory/{id}/index.html")),
        "{changed:?}"
    );
    let pages: Vec<&String> = changed
        .iter()
        .filter(|p| p.starts_with("directory/") && p.matches('/').count() == 2)
        .filter(|p| !p.starts_with("directory/in/") && !p.starts_with("directory/type/"))
        .filter(|p| !p.starts_with("directory/search/"))
        .filter(|p| p.as_str() != "directory/index.html")
        .collect();
    assert_eq!(pages, [&format!("directory/{id}/index.html")]);
    // The search index is made as one, like the directory's export, but only its files
    // whose bytes changed are replaced: those of the new words and the service's details.
    let search: Vec<&String> = changed
        .iter()
        .filter(|p| p.starts_with("directory/search/"))
        .collect();
    let all_search = all
        .keys()
        .filter(|p| p.starts_with("directory/search/"))
        .count();
    for expected in ["t/sa.js", "t/no.js"] {
        assert!(
            search.contains(&&format!("directory/search/{expected}")),
            "{expected} not rewritten: {search:?}"
        );
    }
    assert!(
        search.iter().any(|p| p.starts_with("directory/search/d/")),
        "{search:?}"
    );
    assert!(
        search.len() <= 6 && search.len() * 4 < all_search,
        "{} of {all_search} search files rewritten: {search:?}",
        search.len()
    );
    let records: Vec<&String> = changed
        .iter()
        .filter(|p| {
            p.starts_with("oruk/services/") && !p.contains("page-") && !p.ends_with("/index.json")
        })
        .collect();
    // Open Referral has no one-line summary, so no record's bytes change.
    assert_eq!(records, Vec::<&String>::new(), "{changed:?}");
}

#[test]
fn a_broken_edit_leaves_the_output_and_the_next_fix_rebuilds() {
    let (dir, site) = synthetic_site();
    let out = dir.path().join("out");
    let mut rebuilds = Rebuilds::new(&site, &out);
    cached_build(&mut rebuilds);
    let before = tree(&out);

    let file = first_file(&site.join("scoping-data/directory"));
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{good}\n  : : not yaml [\n")).unwrap();
    let mut log = Vec::new();
    assert_eq!(rebuilds.build(&mut log), 1);
    let log = String::from_utf8(log).unwrap();
    assert!(log.contains("left as it was"), "{log}");
    assert!(tree(&out) == before, "a failed rebuild changed the output");

    // A template error is caught the same way.
    let base = site.join("themes/default/templates/base.html");
    let template = std::fs::read_to_string(&base).unwrap();
    std::fs::write(&file, &good).unwrap();
    std::fs::write(
        &base,
        template.replace("</body>", "{{ nothing_here.x }}</body>"),
    )
    .unwrap();
    let mut log = Vec::new();
    assert_eq!(rebuilds.build(&mut log), 1);
    assert!(tree(&out) == before, "a failed rebuild changed the output");

    std::fs::write(&base, template).unwrap();
    cached_build(&mut rebuilds);
    let fresh = dir.path().join("fresh");
    fresh_build(&site, &fresh);
    assert!(tree(&out) == tree(&fresh));

    // A rating changed in the same save as a mistake that validation catches: once the
    // mistake is fixed, the new rating is shown (nothing computed before is reused).
    flip_rating(&last_file(&site.join("scoping-data/returns")), "R");
    edit(
        &file,
        "categories:\n  - ",
        "categories:\n  - no-such-category\n  - ",
    );
    let mut log = Vec::new();
    assert_eq!(rebuilds.build(&mut log), 1);
    let log = String::from_utf8(log).unwrap();
    assert!(log.contains("no-such-category"), "{log}");
    std::fs::write(&file, &good).unwrap();
    cached_build(&mut rebuilds);
    assert_eq!(rebuilds.last_load(), DataLoad::Patched(1));
    fresh_build(&site, &fresh);
    assert!(
        tree(&out) == tree(&fresh),
        "a rating changed before a failed build was lost"
    );
}

#[test]
fn files_deleted_from_the_output_are_written_again() {
    let (dir, site) = synthetic_site();
    let out = dir.path().join("out");
    fresh_build(&site, &out);
    let fresh = tree(&out);
    std::fs::remove_file(out.join("index.html")).unwrap();
    std::fs::remove_dir_all(out.join("oruk")).unwrap();
    let (code, log) = common::build(&site, &out, Audience::Public);
    assert_eq!(code, 0, "{log}");
    assert!(tree(&out) == fresh);
}

#[test]
fn the_audience_is_part_of_every_fingerprint() {
    let (dir, site) = synthetic_site();
    let out = dir.path().join("out");
    fresh_build(&site, &out);
    let (code, log) = common::build(&site, &out, Audience::Internal);
    assert_eq!(code, 0, "{log}");
    let internal = dir.path().join("internal");
    let (code, log) = common::build(&site, &internal, Audience::Internal);
    assert_eq!(code, 0, "{log}");
    assert!(tree(&out) == tree(&internal));
}

#[test]
fn a_rebuild_told_which_files_changed_reads_only_those() {
    let (dir, site) = synthetic_site();
    let out = dir.path().join("out");
    let mut rebuilds = Rebuilds::new(&site, &out);
    cached_build(&mut rebuilds);
    let file = last_file(&site.join("scoping-data/returns"));
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen("note: ", "note: Checked again. ", 1)).unwrap();
    // Watchers report absolute paths, and paths of files that are not data (editors'
    // temporary files) along with them.
    let reported = [
        std::fs::canonicalize(&file).unwrap(),
        file.with_file_name("4913"),
    ];
    let mut log = Vec::new();
    assert_eq!(rebuilds.build_after(Some(&reported), &mut log), 0);
    assert_eq!(rebuilds.last_load(), DataLoad::Patched(1));
    let fresh = dir.path().join("fresh");
    fresh_build(&site, &fresh);
    assert!(tree(&out) == tree(&fresh));
}
