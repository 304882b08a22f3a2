//! `scopemap init`: a new site validates, builds and passes `check` at once; every page it
//! builds says its content is an example, and `validate` and `build` say so for each
//! example left (W280–W282, and only for those); a folder that is not empty is refused with
//! nothing written (E280); `--from-network` copies another site's framework as it is,
//! fits the example return to it, and refuses a folder that is not a site (E281) or a
//! framework with errors (E282); two runs write the same files; and the README's commands
//! exist.

mod common;

use common::tree;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Run the scopemap binary away from the repository, as an installed one runs: its exit
/// status and everything it printed.
fn scopemap(args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_scopemap"))
        .args(args)
        .current_dir(std::env::temp_dir())
        .output()
        .expect("the binary runs");
    let mut text = String::from_utf8(output.stdout).unwrap();
    text.push_str(&String::from_utf8(output.stderr).unwrap());
    (output.status.code().expect("an exit status"), text)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// `scopemap init` into `dir/site`: the site's folder.
fn init(dir: &Path, more: &[&str]) -> PathBuf {
    let site = dir.join("site");
    let mut args = vec!["init", s(&site)];
    args.extend_from_slice(more);
    let (code, log) = scopemap(&args);
    assert_eq!(code, 0, "{log}");
    site
}

/// The codes of the diagnostics in a report, in order.
fn codes(log: &str, code: &str) -> usize {
    log.matches(&format!("[{code}]")).count()
}

/// The example settings, the example data and the pages to fill, as the new site holds them.
const SETTINGS: [&str; 7] = [
    "title",
    "tagline",
    "publisher.name",
    "publisher.email",
    "caveat",
    "data_licence.name",
    "data_licence.url",
];

#[test]
fn a_new_site_validates_builds_and_passes_check_and_warns_about_each_example() {
    let dir = tempfile::tempdir().unwrap();
    let site = init(dir.path(), &[]);
    let root = s(&site);

    let (code, log) = scopemap(&["validate", "--root", root]);
    assert_eq!(code, 0, "{log}");
    assert!(log.contains(": 0 errors,"), "{log}");
    for key in SETTINGS {
        assert!(
            log.contains(&format!("warning[W280]: `{key}` still holds the example")),
            "{key}: {log}"
        );
    }
    assert_eq!(codes(&log, "W280"), SETTINGS.len(), "{log}");
    // The region, the return and the service, and each page of content/.
    assert_eq!(codes(&log, "W281"), 3, "{log}");
    for file in [
        "scoping-data/regions/example-region.yaml",
        "scoping-data/returns/2022/example-region/example-area-north.yaml",
        "scoping-data/directory/example-service.yaml",
    ] {
        assert!(log.contains(&format!("--> {file}:")), "{file}: {log}");
    }
    assert_eq!(codes(&log, "W282"), 4, "{log}");

    let out = dir.path().join("public");
    let (code, log) = scopemap(&["build", "--root", root, "--out", s(&out)]);
    assert_eq!(code, 0, "{log}");
    assert!(log.contains("0 errors"), "{log}");
    assert_eq!(codes(&log, "W280"), SETTINGS.len(), "{log}");
    assert_eq!(codes(&log, "W281"), 3, "{log}");
    assert_eq!(
        codes(&log, "W282"),
        4,
        "one for each page of content/: {log}"
    );

    let (code, log) = scopemap(&["check", "--root", root, "--out", s(&out)]);
    assert_eq!(code, 0, "{log}");
    assert!(log.contains(": 0 errors"), "{log}");

    // The default `--out` works as the README says.
    let (code, log) = scopemap(&["build", "--root", root]);
    assert_eq!(code, 0, "{log}");
    let (code, log) = scopemap(&["check", "--root", root]);
    assert_eq!(code, 0, "{log}");
}

#[test]
fn every_page_built_from_a_new_site_says_its_content_is_an_example() {
    let dir = tempfile::tempdir().unwrap();
    let site = init(dir.path(), &[]);
    let out = dir.path().join("public");
    let (code, log) = scopemap(&["build", "--root", s(&site), "--out", s(&out)]);
    assert_eq!(code, 0, "{log}");
    let caveat = scopemap::validate::examples::CAVEAT;
    let mut pages = 0;
    for (path, bytes) in tree(&out) {
        if path.extension().is_none_or(|x| x != "html") {
            continue;
        }
        pages += 1;
        let html = String::from_utf8(bytes).unwrap();
        assert!(
            html.contains(caveat),
            "{} does not say its content is an example",
            path.display()
        );
        // No date is made up for a site that states none.
        assert!(!html.contains("Data as of"), "{}", path.display());
    }
    assert!(pages > 20, "only {pages} pages were built");
    let page = |p: &str| std::fs::read_to_string(out.join(p)).unwrap();
    let region = page("regions/example-region/index.html");
    assert!(
        region.contains("Example Region: provision in 2022"),
        "{region}"
    );
    assert!(region.contains("It is not a real region."), "{region}");
    assert!(region.contains("Example Area North"), "{region}");
    let area = page("areas/example-area-north/index.html");
    assert!(
        area.contains("An example rating written by scopemap init, not a finding."),
        "{area}"
    );
    let service = page("directory/example-service/index.html");
    assert!(
        service.contains("An example service written by scopemap init, not a real service."),
        "{service}"
    );
    let home = page("index.html");
    assert!(
        home.contains(scopemap::validate::examples::TAGLINE),
        "{home}"
    );
    // A site whose settings state nothing about its accessibility claims nothing either.
    let statement = page("accessibility/index.html");
    assert!(
        statement.contains("has not yet stated what it knows about the accessibility"),
        "{statement}"
    );
    assert!(!statement.contains("We know of no"), "{statement}");
    for name in ["introduction", "method", "findings", "about"] {
        let text = page(&format!("{name}/index.html"));
        assert!(
            text.contains("This is an example page written by <code>scopemap init</code>"),
            "{name}: {text}"
        );
    }
}

#[test]
fn each_warning_goes_once_its_example_is_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let site = init(dir.path(), &[]);
    let settings = site.join("scopemap.yaml");
    let text = std::fs::read_to_string(&settings).unwrap();
    let text = text.replace(
        &format!("title: \"{}\"", scopemap::validate::examples::TITLE),
        "title: \"Early years provision in the North\"",
    );
    std::fs::write(&settings, text).unwrap();
    let page = site.join("content/about.md");
    let text = std::fs::read_to_string(&page).unwrap();
    let text: String = text
        .lines()
        .filter(|l| l.trim() != scopemap::validate::examples::PAGE_NOTICE)
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&page, text).unwrap();
    std::fs::remove_file(site.join("scoping-data/directory/example-service.yaml")).unwrap();
    let evidence = site.join("scoping-data/returns/2022/example-region/example-area-north.yaml");
    let text = std::fs::read_to_string(&evidence).unwrap();
    std::fs::write(
        &evidence,
        text.replace("    evidence:\n      - example-service\n", ""),
    )
    .unwrap();

    let out = dir.path().join("public");
    let (code, log) = scopemap(&["build", "--root", s(&site), "--out", s(&out)]);
    assert_eq!(code, 0, "{log}");
    assert!(!log.contains("`title` still holds"), "{log}");
    assert_eq!(codes(&log, "W280"), SETTINGS.len() - 1, "{log}");
    assert_eq!(codes(&log, "W281"), 2, "{log}");
    assert!(!log.contains("example-service"), "{log}");
    assert_eq!(codes(&log, "W282"), 3, "{log}");
    assert!(!log.contains("--> content/about.md"), "{log}");
}

#[test]
fn a_folder_that_is_not_empty_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("site");
    std::fs::create_dir(&target).unwrap();
    std::fs::write(target.join("notes.txt"), "mine").unwrap();
    let before = tree(dir.path());
    let (code, log) = scopemap(&["init", s(&target)]);
    assert_eq!(code, 2, "{log}");
    assert!(log.contains("error[E280]"), "{log}");
    assert!(
        log.contains(&format!("{} is not empty", target.display())),
        "{log}"
    );
    assert!(log.contains("`notes.txt`"), "{log}");
    assert!(log.contains("nothing was written"), "{log}");
    assert!(log.contains("help: give a new folder"), "{log}");
    assert_eq!(tree(dir.path()), before, "init changed the folder");

    // A file where the folder should be is refused too.
    let file = dir.path().join("file.txt");
    std::fs::write(&file, "text").unwrap();
    let (code, log) = scopemap(&["init", s(&file)]);
    assert_eq!(code, 2, "{log}");
    assert!(log.contains("error[E280]"), "{log}");
    assert!(log.contains("is a file, not a folder"), "{log}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "text");

    // An empty folder is taken.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let (code, log) = scopemap(&["init", s(&empty)]);
    assert_eq!(code, 0, "{log}");
    assert!(empty.join("scopemap.yaml").is_file());
}

#[test]
fn two_runs_write_the_same_files_and_the_theme_is_the_repository_s() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let first = tree(&init(a.path(), &[]));
    let second = tree(&init(b.path(), &[]));
    assert_eq!(first, second);
    let theme: Vec<_> = first
        .iter()
        .filter_map(|(p, bytes)| {
            Some((
                p.strip_prefix("themes/default").ok()?.to_path_buf(),
                bytes.clone(),
            ))
        })
        .collect();
    assert_eq!(theme, tree(&repo().join("themes/default")));
    let paths: Vec<String> = first
        .iter()
        .map(|(p, _)| p.display().to_string())
        .filter(|p| !p.starts_with("themes/"))
        .collect();
    assert_eq!(
        paths,
        [
            ".gitignore",
            "README.md",
            "content/about.md",
            "content/findings.md",
            "content/introduction.md",
            "content/method.md",
            "scopemap.yaml",
            "scoping-data/directory/example-service.yaml",
            "scoping-data/framework.yaml",
            "scoping-data/regions/example-region.yaml",
            "scoping-data/returns/2022/example-region/example-area-north.yaml",
        ]
    );
    // The shipped framework, with a comment on changing it.
    let framework = String::from_utf8(
        first
            .iter()
            .find(|(p, _)| p == Path::new("scoping-data/framework.yaml"))
            .unwrap()
            .1
            .clone(),
    )
    .unwrap();
    let shipped = std::fs::read_to_string(repo().join("scoping-data/framework.yaml")).unwrap();
    assert!(framework.ends_with(&shipped));
    assert!(framework.starts_with("# The rating key and the categories"));
    assert!(framework.contains("Rename a category by changing its `name`, never its `id`"));
    let readme = String::from_utf8(
        first
            .iter()
            .find(|(p, _)| p == Path::new("README.md"))
            .unwrap()
            .1
            .clone(),
    )
    .unwrap();
    assert!(
        readme.contains("rating key of\n   the North West Coast's 2022 scoping reports"),
        "{readme}"
    );
    assert!(!readme.contains('@'), "a field left unfilled: {readme}");
}

/// A copy of the shipped site's settings and data, as another network's site.
fn other_site(dir: &Path) -> PathBuf {
    let other = dir.join("other");
    common::copy_dir(&repo().join("scoping-data"), &other.join("scoping-data"));
    std::fs::copy(repo().join("scopemap.yaml"), other.join("scopemap.yaml")).unwrap();
    other
}

#[test]
fn from_network_copies_the_framework_as_it_is_and_the_site_builds() {
    let dir = tempfile::tempdir().unwrap();
    let other = other_site(dir.path());
    let site = init(dir.path(), &["--from-network", s(&other)]);
    assert_eq!(
        std::fs::read(site.join("scoping-data/framework.yaml")).unwrap(),
        std::fs::read(repo().join("scoping-data/framework.yaml")).unwrap()
    );
    let readme = std::fs::read_to_string(site.join("README.md")).unwrap();
    assert!(
        readme.contains("is a copy of the framework of the site"),
        "{readme}"
    );
    assert!(!readme.contains("North West Coast"), "{readme}");
    // Nothing else of the other site is copied.
    assert!(
        !site
            .join("scoping-data/regions/cheshire-and-merseyside.yaml")
            .exists()
    );
    assert!(
        !site
            .join("scoping-data/directory")
            .join("koala-north-west.yaml")
            .exists()
    );
    let (code, log) = scopemap(&["validate", "--root", s(&site)]);
    assert_eq!(code, 0, "{log}");
    let out = dir.path().join("public");
    let (code, log) = scopemap(&["build", "--root", s(&site), "--out", s(&out)]);
    assert_eq!(code, 0, "{log}");
}

#[test]
fn from_network_fits_the_example_return_to_another_framework() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other");
    std::fs::create_dir_all(other.join("scoping-data")).unwrap();
    let framework = r##"name: "Another network's scoping"
ratings:
  - code: "N"
    label: "None"
    definition: "Nothing is provided."
    glyph: "✕"
    fill: "#D5281B"
    text: "#FFFFFF"
    rank: 3
  - code: "Y"
    label: "Full"
    definition: "Fully provided."
    glyph: "✓"
    fill: "#CCE5D8"
    text: "#004C23"
    rank: 1
categories:
  - id: old-groups
    name: "Old groups"
    description: "Groups no longer rated."
    retired: 2024
  - id: talking-therapy
    name: "Talking therapy"
    description: "Therapy for parents."
  - id: family-hubs
    name: "Family hubs"
    description: "Hubs for families."
    introduced: 2026
"##;
    std::fs::write(other.join("scoping-data/framework.yaml"), framework).unwrap();
    let site = init(dir.path(), &["--from-network", s(&other)]);
    assert_eq!(
        std::fs::read_to_string(site.join("scoping-data/framework.yaml")).unwrap(),
        framework
    );
    // The latest year the framework names, rating the two categories graded then, the
    // service filed under the first with the best rating.
    let ret = std::fs::read_to_string(
        site.join("scoping-data/returns/2026/example-region/example-area-north.yaml"),
    )
    .unwrap();
    assert!(ret.contains("year: 2026"), "{ret}");
    assert!(!ret.contains("old-groups"), "{ret}");
    assert!(
        ret.contains("  talking-therapy:\n    rating: \"Y\"\n"),
        "{ret}"
    );
    assert!(ret.contains("  family-hubs:\n    rating: \"N\"\n"), "{ret}");
    let service =
        std::fs::read_to_string(site.join("scoping-data/directory/example-service.yaml")).unwrap();
    assert!(
        service.contains("categories:\n  - talking-therapy\n"),
        "{service}"
    );
    assert!(
        service.contains("return: 2026/example-area-north"),
        "{service}"
    );
    let (code, log) = scopemap(&["validate", "--root", s(&site)]);
    assert_eq!(code, 0, "{log}");
    assert!(log.contains(": 0 errors,"), "{log}");
    let out = dir.path().join("public");
    let (code, log) = scopemap(&["build", "--root", s(&site), "--out", s(&out)]);
    assert_eq!(code, 0, "{log}");
    let (code, log) = scopemap(&["check", "--root", s(&site), "--out", s(&out)]);
    assert_eq!(code, 0, "{log}");
}

#[test]
fn from_network_refuses_a_folder_that_is_not_a_site() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("site");

    let missing = dir.path().join("missing");
    let (code, log) = scopemap(&["init", s(&target), "--from-network", s(&missing)]);
    assert_eq!(code, 2, "{log}");
    assert!(log.contains("error[E281]"), "{log}");
    assert!(log.contains("no such folder"), "{log}");

    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let (code, log) = scopemap(&["init", s(&target), "--from-network", s(&empty)]);
    assert_eq!(code, 2, "{log}");
    assert!(log.contains("error[E281]"), "{log}");
    assert!(log.contains("is not a scopemap site"), "{log}");
    assert!(
        log.contains("scoping-data/framework.yaml does not exist"),
        "{log}"
    );

    // The data folder itself: the help names the site's folder above it.
    let other = other_site(dir.path());
    let data = other.join("scoping-data");
    let (code, log) = scopemap(&["init", s(&target), "--from-network", s(&data)]);
    assert_eq!(code, 2, "{log}");
    assert!(log.contains("error[E281]"), "{log}");
    assert!(
        log.contains(&format!(
            "give the site's folder above it: `{}`",
            other.display()
        )),
        "{log}"
    );
    assert!(!target.exists(), "init wrote into {}", target.display());
}

#[test]
fn from_network_refuses_a_framework_with_errors_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let other = other_site(dir.path());
    let file = other.join("scoping-data/framework.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen("code: \"G\"", "code: \"GG\"", 1)).unwrap();
    let target = dir.path().join("site");
    let (code, log) = scopemap(&["init", s(&target), "--from-network", s(&other)]);
    assert_eq!(code, 1, "{log}");
    // The framework's own error, at its line, then why nothing was copied.
    assert!(log.contains("error[E042]"), "{log}");
    assert!(log.contains(&format!("--> {}:", file.display())), "{log}");
    assert!(log.contains("code: \"GG\""), "the line is quoted: {log}");
    assert!(log.contains("error[E282]"), "{log}");
    assert!(
        log.contains("the framework has 1 error, so it is not copied"),
        "{log}"
    );
    assert!(!target.exists(), "init wrote into {}", target.display());
}

#[test]
fn the_readme_of_a_new_site_names_only_commands_and_flags_that_exist() {
    let dir = tempfile::tempdir().unwrap();
    let site = init(dir.path(), &[]);
    let readme = std::fs::read_to_string(site.join("README.md")).unwrap();
    let (mut commands, mut in_code) = (0, false);
    for line in readme.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        let Some(rest) = line.trim().strip_prefix("scopemap ").filter(|_| in_code) else {
            continue;
        };
        let words: Vec<&str> = rest.split('#').next().unwrap().split_whitespace().collect();
        let (code, help) = scopemap(&[words[0], "--help"]);
        assert_eq!(code, 0, "`scopemap {}` is not a command: {help}", words[0]);
        for flag in words.iter().filter(|w| w.starts_with("--")) {
            assert!(
                help.contains(&format!("{flag} ")) || help.contains(&format!("{flag}\n")),
                "`scopemap {}` has no {flag}: {help}",
                words[0]
            );
        }
        commands += 1;
    }
    assert!(!in_code, "a code block is not closed");
    assert!(commands >= 10, "only {commands} commands in the README");
    // Every example file it names is there.
    for name in [
        "scoping-data/regions/example-region.yaml",
        "scoping-data/returns/2022/example-region/example-area-north.yaml",
        "scoping-data/directory/example-service.yaml",
    ] {
        assert!(readme.contains(&format!("`{name}`")), "{name}");
        assert!(site.join(name).is_file(), "{name}");
    }
}

#[test]
fn the_yearly_cycle_of_the_readme_runs_on_a_new_site() {
    let dir = tempfile::tempdir().unwrap();
    let site = init(dir.path(), &[]);
    let root = s(&site);
    let forms = dir.path().join("forms");
    let steps: [&[&str]; 5] = [
        &[
            "new-year",
            "2023",
            "--region",
            "example-region",
            "--root",
            root,
        ],
        &[
            "forms",
            "--year",
            "2023",
            "--region",
            "example-region",
            "--out",
            s(&forms),
            "--root",
            root,
        ],
        &["status", "--year", "2023", "--root", root],
        &["validate", "--root", root],
        &["build", "--root", root],
    ];
    for args in steps {
        let (code, log) = scopemap(args);
        assert_eq!(code, 0, "scopemap {}: {log}", args.join(" "));
    }
    for area in ["example-area-north", "example-area-south"] {
        assert!(
            forms
                .join(format!("2023-example-region-{area}.xlsx"))
                .is_file()
        );
    }
    let (code, log) = scopemap(&["validate", "--root", root]);
    assert_eq!(code, 0, "{log}");
    // The new year's returns of the example areas are examples too.
    assert_eq!(codes(&log, "W281"), 5, "{log}");
}

/// A framework of two rating levels and the given categories (`id`, extra lines).
fn framework_with(categories: &[(&str, &str)]) -> scopemap::model::Framework {
    let mut text = String::from(
        "name: \"F\"\nratings:\n  - code: \"Y\"\n    label: \"Yes\"\n    definition: \"Yes.\"\n    glyph: \"✓\"\n    fill: \"#CCE5D8\"\n    text: \"#004C23\"\n    rank: 1\ncategories:\n",
    );
    for (id, more) in categories {
        text.push_str(&format!(
            "  - id: {id}\n    name: \"{id}\"\n    description: \"A category.\"\n{more}"
        ));
    }
    let (dataset, diagnostics) = scopemap::load::load_texts(&[("framework.yaml", &text)]);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    dataset.framework.unwrap().value
}

#[test]
fn the_example_year_is_the_latest_year_the_framework_names_that_grades_a_category() {
    use scopemap::init::example_year;
    // No year named: every category is graded every year; the example is dated 2022.
    assert_eq!(example_year(&framework_with(&[("a", "")])), Some(2022));
    // Retired in 2020, introduced in 2019: 2020 is the latest year named.
    assert_eq!(
        example_year(&framework_with(&[
            ("a", "    retired: 2020\n"),
            ("b", "    introduced: 2019\n    retired: 2020\n"),
        ])),
        Some(2020)
    );
    // A year named only as a category's last: still graded that year.
    assert_eq!(
        example_year(&framework_with(&[(
            "a",
            "    introduced: 2030\n    retired: 2031\n"
        )])),
        Some(2031)
    );
}
