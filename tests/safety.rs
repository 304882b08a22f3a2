//! Safe by construction: the last good site survives any failure, data can never inject
//! markup or script, and internal fields never reach the public site.

mod common;

use scopemap::audience::Audience;
use scraper::{Html, Selector};
use std::path::Path;

fn all_text(dir: &Path) -> String {
    common::tree(dir)
        .into_iter()
        .map(|(_, bytes)| String::from_utf8_lossy(&bytes).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

const MARKERS: [&str; 10] = [
    "SECRET-RETURN-CONTACT",
    "secret-return-email@example.org",
    "SECRET-RETURN-PHONE",
    "SECRET-RETURN-NOTES",
    "SECRET-RATING-NOTE",
    "SECRET-DRAFT-NOTE",
    "SECRET-SERVICE-CONTACT",
    "secret-service-email@example.org",
    "SECRET-SERVICE-PHONE",
    "SECRET-SERVICE-NOTES",
];

#[test]
fn internal_fields_never_reach_the_public_site() {
    let site = common::site_with("internal");
    let out = site.path().join("public");
    let (code, log) = common::build(site.path(), &out, Audience::Public);
    assert_eq!(code, 0, "{log}");
    let everything = all_text(&out);
    assert!(
        everything.contains("A public note."),
        "the public note is published"
    );
    for marker in MARKERS {
        assert!(
            !everything.contains(marker),
            "{marker} leaked into the public site"
        );
    }
    let internal = site.path().join("internal-site");
    let (code, log) = common::build(site.path(), &internal, Audience::Internal);
    assert_eq!(code, 0, "{log}");
    let everything = all_text(&internal);
    for marker in MARKERS {
        assert!(
            everything.contains(marker),
            "{marker} missing from the internal site"
        );
    }
    assert!(everything.contains("Internal version."));
}

/// The script of the theme's 404.html, as written in the template.
fn theme_404_script() -> String {
    let template = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/404.html"),
    )
    .unwrap();
    let start = template.find("<script data-root=\"{{ root }}\">").unwrap();
    let body = &template[start..];
    let open = body.find('>').unwrap() + 1;
    let close = body.find("</script>").unwrap();
    body[open..close].to_string()
}

fn no_active_content(dir: &Path) {
    let any = Selector::parse("*").unwrap();
    for (path, bytes) in common::tree(dir) {
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let doc = Html::parse_document(&String::from_utf8(bytes).unwrap());
        for el in doc.select(&any) {
            let name = el.value().name();
            if name == "script" && el.value().attr("type") == Some("application/ld+json") {
                let json: String = el.text().collect();
                assert!(
                    serde_json::from_str::<serde_json::Value>(&json).is_ok(),
                    "{}: structured data is JSON",
                    path.display()
                );
                assert!(
                    !json.contains('<'),
                    "{}: structured data cannot close its element",
                    path.display()
                );
                continue;
            }
            let from_site = el.value().attr("src").is_some_and(|s| s.starts_with("../"));
            // 404.html's own script, which finds the site's folder, is the theme's text
            // word for word: nothing of the data is in it.
            if name == "script" && path.ends_with("404.html") {
                let text: String = el.text().collect();
                assert_eq!(
                    text,
                    theme_404_script(),
                    "{}: a script other than the theme's",
                    path.display()
                );
                continue;
            }
            assert!(
                !["script", "iframe", "object", "embed"].contains(&name) || from_site,
                "{}: <{name}> from data",
                path.display()
            );
            for (attr, value) in el.value().attrs() {
                assert!(
                    !attr.starts_with("on"),
                    "{}: event handler {attr}={value}",
                    path.display()
                );
                assert!(
                    !value.trim_start().to_lowercase().starts_with("javascript:"),
                    "{}: {attr}={value}",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn hostile_text_is_shown_as_text_never_run() {
    let site = common::site_with("hostile");
    let out = site.path().join("public");
    let (code, log) = common::build(site.path(), &out, Audience::Public);
    assert_eq!(code, 0, "{log}");
    no_active_content(&out);
    let page = std::fs::read_to_string(out.join("directory/alpha-babies/index.html")).unwrap();
    let doc = Html::parse_document(&page);
    let h1: String = doc
        .select(&Selector::parse("h1").unwrap())
        .next()
        .unwrap()
        .text()
        .collect();
    assert!(h1.contains("<script>alert('name')</script> Babies"), "{h1}");
    assert!(
        h1.contains("{{ site.title }}"),
        "template syntax in data stays literal: {h1}"
    );
    assert!(
        page.contains("mailto:team@example.org"),
        "safe links are kept"
    );
    let source: String = doc
        .select(&Selector::parse("#source-hostile-page").unwrap())
        .next()
        .expect("the hostile source is listed")
        .text()
        .collect();
    assert!(
        source.contains("<script>alert('source')</script>"),
        "a source's address is shown as text: {source}"
    );
    let area = std::fs::read_to_string(out.join("areas/alpha-ccg/index.html")).unwrap();
    assert!(
        area.contains("{{ 1 + 1 }}"),
        "a note's braces are not evaluated"
    );
    assert!(
        area.contains("&lt;img src=x onerror="),
        "the note is shown escaped, as text"
    );
    // The search index's scripts only hand over data: each is one call with a JSON value,
    // which carries the hostile name as text.
    let docs = common::search_docs(&out);
    assert!(
        docs.iter()
            .any(|d| d["n"] == "<script>alert('name')</script> Babies"),
        "the hostile name is in the index: {docs:?}"
    );
    for entry in walkdir::WalkDir::new(out.join("directory/search")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(out.join("directory/search"))
                .unwrap()
                .to_str()
                .unwrap()
                .trim_end_matches(".js")
                .to_string();
            common::search_file(&out, &rel);
        }
    }
}

#[test]
fn a_javascript_url_in_data_is_rejected() {
    let site = common::site_with("");
    let file = site.path().join("scoping-data/directory/alpha-babies.yaml");
    let text = std::fs::read_to_string(&file).unwrap().replace(
        "url: https://example.org/alpha",
        "url: \"javascript:alert(1)\"",
    );
    std::fs::write(&file, text).unwrap();
    let (code, log) = common::build(site.path(), &site.path().join("public"), Audience::Public);
    assert_eq!(code, 1);
    assert!(
        log.contains("error[E022]: `javascript:alert(1)` is not a valid web address for `url`"),
        "{log}"
    );
}

#[test]
fn a_failed_build_leaves_the_previous_output_exactly_as_it_was() {
    let site = common::site_with("");
    let out = site.path().join("public");
    assert_eq!(common::build(site.path(), &out, Audience::Public).0, 0);
    let before = common::tree(&out);
    // A data error.
    let ret = site
        .path()
        .join("scoping-data/returns/2022/north/beta-ccg.yaml");
    let good = std::fs::read_to_string(&ret).unwrap();
    std::fs::write(
        &ret,
        good.replace("health-visiting: G", "health-visiting: Y"),
    )
    .unwrap();
    let (code, log) = common::build(site.path(), &out, Audience::Public);
    assert_eq!(code, 1);
    assert!(log.contains("was left as it was"), "{log}");
    assert!(
        common::tree(&out) == before,
        "output changed after a data error"
    );
    // A template error.
    std::fs::write(&ret, good).unwrap();
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    std::fs::write(
        site.path().join("templates/area.html"),
        "{% extends \"base.html\" %}{% block content %}{{ missing.value }}{% endblock content %}",
    )
    .unwrap();
    let (code, log) = common::build(site.path(), &out, Audience::Public);
    assert_eq!(code, 1, "{log}");
    assert!(log.contains("error[E062]"), "{log}");
    assert!(
        common::tree(&out) == before,
        "output changed after a template error"
    );
    let leftovers: Vec<String> = std::fs::read_dir(site.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn refuses_output_folders_that_are_not_its_own() {
    let site = common::site_with("");
    let (code, log) = common::build(site.path(), site.path(), Audience::Public);
    assert_eq!(code, 2);
    assert!(log.contains("it is the site root"), "{log}");
    let (code, log) = common::build(
        site.path(),
        &site.path().join("scoping-data/out"),
        Audience::Public,
    );
    assert_eq!(code, 2);
    assert!(log.contains("inside scoping-data/"), "{log}");
    let other = site.path().join("notes");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("mine.txt"), "keep me").unwrap();
    let (code, log) = common::build(site.path(), &other, Audience::Public);
    assert_eq!(code, 2);
    assert!(log.contains("was not written by scopemap"), "{log}");
    assert_eq!(
        std::fs::read_to_string(other.join("mine.txt")).unwrap(),
        "keep me"
    );
    let mut sink = Vec::new();
    assert_eq!(
        scopemap::commands::build_for(site.path(), &other, true, Audience::Public, &mut sink),
        0,
        "--force replaces it"
    );
}

#[test]
fn a_content_page_cannot_take_a_generated_path() {
    let site = common::site_with("");
    std::fs::write(
        site.path().join("content/directory.md"),
        "---\ntitle: Mine\n---\nText\n",
    )
    .unwrap();
    let (code, log) = common::build(site.path(), &site.path().join("public"), Audience::Public);
    assert_eq!(code, 1);
    assert!(
        log.contains("error[E054]: the page name `directory` is used by scopemap's own pages"),
        "{log}"
    );
}

#[test]
fn awkward_but_valid_files_load() {
    let site = common::base_with("");
    let file = site
        .path()
        .join("scoping-data/returns/2022/north/beta-ccg.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("\u{feff}{}", text.replace('\n', "\r\n"))).unwrap();
    let (_, diagnostics) = scopemap::commands::check_data(site.path());
    assert_eq!(
        diagnostics,
        vec![],
        "a byte-order mark and CRLF line ends are fine"
    );
}

#[test]
fn limits_give_diagnostics_not_hangs() {
    let site = common::base_with("");
    let dir = site.path().join("scoping-data/directory");
    std::fs::write(
        dir.join("deep.yaml"),
        format!("id: {}{}\n", "[".repeat(50_000), "]".repeat(50_000)),
    )
    .unwrap();
    std::fs::write(dir.join("huge.yaml"), "# padding\n".repeat(600_000)).unwrap();
    std::fs::write(dir.join("tabs.yaml"), "id: tabs\n\tname: x\n").unwrap();
    std::fs::write(
        dir.join("bomb.yaml"),
        "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n",
    )
    .unwrap();
    let (_, diagnostics) = scopemap::commands::check_data(site.path());
    let code_for = |name: &str| {
        diagnostics
            .iter()
            .find(|d| d.file.ends_with(name))
            .map(|d| d.code)
            .unwrap_or("none")
    };
    assert_eq!(code_for("deep.yaml"), "E001");
    assert_eq!(code_for("huge.yaml"), "E007");
    assert_eq!(code_for("tabs.yaml"), "E001");
    assert_eq!(code_for("bomb.yaml"), "E001");
    let empty = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(empty.path().join("scoping-data")).unwrap();
    let (_, diagnostics) = scopemap::commands::check_data(empty.path());
    assert_eq!(
        diagnostics.iter().map(|d| d.code).collect::<Vec<_>>(),
        vec!["E030"]
    );
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_not_followed_out_of_the_data_folder() {
    let site = common::base_with("");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("x.yaml"), "id: x\n").unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("x.yaml"),
        site.path().join("scoping-data/directory/x.yaml"),
    )
    .unwrap();
    let (_, diagnostics) = scopemap::commands::check_data(site.path());
    assert!(
        diagnostics
            .iter()
            .any(|d| d.code == "E008" && d.file == "scoping-data/directory/x.yaml"),
        "{diagnostics:#?}"
    );
}

#[test]
fn two_items_on_one_path_are_refused() {
    let site = common::site_with("");
    std::fs::create_dir_all(site.path().join("static/Directory")).unwrap();
    std::fs::write(
        site.path().join("static/Directory/index.html"),
        "<p>mine</p>",
    )
    .unwrap();
    let (code, log) = common::build(site.path(), &site.path().join("public"), Audience::Public);
    assert_eq!(code, 1, "{log}");
    assert!(
        log.contains("error[E064]: two items would be written to `directory/index.html`"),
        "{log}"
    );
}

#[test]
fn a_static_file_cannot_take_the_sitemaps_place() {
    let site = common::site_with("");
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    std::fs::write(site.path().join("static/Sitemap.xml"), "<urlset/>").unwrap();
    let out = site.path().join("public");
    let (code, log) = common::build(site.path(), &out, Audience::Public);
    assert_eq!(code, 1, "{log}");
    assert!(
        log.contains("error[E064]: two items would be written to `sitemap.xml`"),
        "{log}"
    );
    assert!(!out.exists(), "a refused build wrote {}", out.display());
}

#[test]
fn template_errors_name_the_file_line_and_column() {
    let site = common::site_with("");
    let out = site.path().join("public");
    std::fs::create_dir_all(site.path().join("templates/partials")).unwrap();
    // Tera 1's way of picking an item of a list, on line 2, column 8.
    std::fs::write(
        site.path().join("templates/partials/gaps.html"),
        "<ul>\n<li>{{ g.0 }}</li>\n</ul>\n",
    )
    .unwrap();
    let (code, log) = common::build(site.path(), &out, Audience::Public);
    assert_eq!(code, 1, "{log}");
    assert!(
        log.contains("error[E061]: a template does not compile"),
        "{log}"
    );
    assert!(log.contains("--> templates/partials/gaps.html:2:"), "{log}");
    assert!(log.contains("`pair[0]`, not `pair.0`"), "{log}");

    // A variable the page does not have, at line 3 of the site's area template.
    std::fs::remove_file(site.path().join("templates/partials/gaps.html")).unwrap();
    std::fs::write(
        site.path().join("templates/area.html"),
        "{% extends \"base.html\" %}\n{% block content %}\n<p>{{ area.nickname }}</p>\n{% endblock content %}\n",
    )
    .unwrap();
    let (code, log) = common::build(site.path(), &out, Audience::Public);
    assert_eq!(code, 1, "{log}");
    assert!(log.contains("error[E062]: rendering areas/"), "{log}");
    // Every area page fails at the same place: one message, counting the others.
    assert_eq!(log.matches("error[E062]").count(), 1, "{log}");
    assert!(log.contains(" other pages failed: "), "{log}");
    assert!(log.contains("`nickname` is not defined"), "{log}");
    assert!(log.contains("--> templates/area.html:3:"), "{log}");
}
