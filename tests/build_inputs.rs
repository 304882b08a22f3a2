//! `scopemap build` on a whole site whose settings, pages or templates are wrong: each
//! problem is printed with its code, message and place, the build stops with status 1, and
//! no output folder is made.

mod common;

use scopemap::audience::Audience;
use std::path::Path;

/// Build the base site after `change`; returns the exit code and the log, and checks that
/// nothing was published.
fn build_after(change: impl FnOnce(&Path)) -> (i32, String) {
    let site = common::site_with("");
    change(site.path());
    let out = site.path().join("public");
    let (code, log) = common::build(site.path(), &out, Audience::Public);
    assert!(!out.exists(), "a failed build made {}", out.display());
    (code, log)
}

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn a_site_without_settings_is_not_built() {
    let (code, log) = build_after(|root| std::fs::remove_file(root.join("scopemap.yaml")).unwrap());
    assert_eq!(code, 1, "{log}");
    assert!(
        log.contains("error[E050]: the site settings file is missing\n  --> scopemap.yaml\n"),
        "{log}"
    );
}

#[test]
fn a_theme_with_no_folder_is_named_at_its_setting() {
    let (code, log) = build_after(|root| {
        let path = root.join("scopemap.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(path, format!("{text}theme: nothere\n")).unwrap();
    });
    assert_eq!(code, 1, "{log}");
    assert!(
        log.contains("error[E051]: the theme `nothere` was not found\n  --> scopemap.yaml:10:8\n"),
        "{log}"
    );
    assert!(
        log.contains("= expected: a folder themes/nothere/templates/"),
        "{log}"
    );
}

#[test]
fn a_page_without_front_matter_or_with_it_unclosed_is_refused() {
    let (code, log) = build_after(|root| {
        write(root, "content/plain.md", b"Just text.\n");
        write(
            root,
            "content/unclosed.md",
            b"---\ntitle: Unclosed\n\nText.\n",
        );
    });
    assert_eq!(code, 1, "{log}");
    assert!(
        log.contains("error[E052]: the page has no front matter\n  --> content/plain.md:1:1\n"),
        "{log}"
    );
    assert!(
        log.contains(
            "error[E052]: the front matter is not closed\n  --> content/unclosed.md:1:1\n"
        ),
        "{log}"
    );
}

#[test]
fn a_report_section_outside_its_year_and_region_folder_is_refused() {
    let (code, log) = build_after(|root| {
        write(
            root,
            "content/reports/2022/stray.md",
            b"---\ntitle: Stray\n---\nText.\n",
        );
    });
    assert_eq!(code, 1, "{log}");
    assert!(
        log.contains(
            "error[E055]: a report section must sit at content/reports/<year>/<region>/<name>.md\n  --> content/reports/2022/stray.md:1:1\n"
        ),
        "{log}"
    );
}

#[test]
fn includes_outside_a_report_section_is_refused_at_the_block() {
    let (code, log) = build_after(|root| {
        write(
            root,
            "content/extra.md",
            b"---\ntitle: Extra\nincludes: [returns]\n---\nText.\n",
        );
    });
    assert_eq!(code, 1, "{log}");
    assert!(
        log.contains(
            "error[E056]: `includes` names `returns`, which is not a report data block here\n  --> content/extra.md:3:12\n"
        ),
        "{log}"
    );
    assert!(
        log.contains(
            "= help: remove it, or use it in a file under content/reports/<year>/<region>/"
        ),
        "{log}"
    );
}

#[test]
fn a_template_that_is_not_utf8_is_named() {
    let (code, log) = build_after(|root| {
        write(root, "templates/extra.html", b"<p>caf\xe9</p>\n");
    });
    assert_eq!(code, 1, "{log}");
    assert!(
        log.contains(
            "error[E060]: cannot read the template: stream did not contain valid UTF-8\n  --> templates/extra.html\n"
        ),
        "{log}"
    );
}
