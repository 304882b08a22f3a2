//! `scopemap check` on a built site: a clean build passes; broken links, missing anchors,
//! orphan pages and pages without a title or language are each reported with their place.

mod common;

use scopemap::audience::Audience;

#[test]
fn a_fresh_build_passes_and_damage_is_reported() {
    let site = common::site_with("");
    let out = site.path().join("public");
    let (code, log) = common::build(site.path(), &out, Audience::Public);
    assert_eq!(code, 0, "{log}");
    assert_eq!(scopemap::check::check_site(&out, "/scoping/"), vec![]);

    let about = out.join("about/index.html");
    let text = std::fs::read_to_string(&about).unwrap();
    let damaged = text
        .replacen(
            "href=\"../directory/index.html\"",
            "href=\"../nowhere/index.html\"",
            1,
        )
        .replacen("<html lang=\"en-GB\">", "<html>", 1)
        .replacen(
            "</main>",
            "<a href=\"../index.html#no-such-anchor\">x</a></main>",
            1,
        );
    std::fs::write(&about, damaged).unwrap();
    std::fs::write(
        out.join("lonely.html"),
        "<!DOCTYPE html><html lang=\"en\"><head><title></title></head><body></body></html>",
    )
    .unwrap();

    let found = scopemap::check::check_site(&out, "/scoping/");
    let codes: Vec<(&str, &str)> = found.iter().map(|d| (d.code, d.file.as_str())).collect();
    assert!(codes.contains(&("C002", "about/index.html")), "{found:#?}");
    assert!(codes.contains(&("C003", "lonely.html")), "{found:#?}");
    assert!(codes.contains(&("C006", "about/index.html")), "{found:#?}");
    assert!(codes.contains(&("C007", "lonely.html")), "{found:#?}");
    let broken = found
        .iter()
        .find(|d| d.code == "C005")
        .expect("broken link reported");
    assert_eq!(
        broken.message,
        "the link `../nowhere/index.html` leads to nothing"
    );
    assert!(broken.line > 0 && broken.column > 0, "{broken:#?}");

    let mut printed = Vec::new();
    assert_eq!(
        scopemap::commands::check_command(
            site.path(),
            &out,
            scopemap::commands::Format::Human,
            &mut printed
        ),
        1
    );
    let printed = String::from_utf8(printed).unwrap();
    assert!(
        printed.contains("error[C005]: the link `../nowhere/index.html` leads to nothing"),
        "{printed}"
    );
}

/// A page made to be slow to check: 200,000 nested elements on the home page and 10,000
/// broken links on another. Every problem is still found, once, at its place. (The time
/// is measured with `scopemap check` as a child process, not here.)
#[test]
fn deep_nesting_and_many_broken_links_are_each_reported_once() {
    let site = tempfile::tempdir().unwrap();
    let head = "<!DOCTYPE html>\n<html lang=\"en\">\n<head><title>t</title></head>\n<body>\n";
    let depth = 200_000;
    let home = format!(
        "{head}{}<p id=\"deep\">x</p><a href=\"links.html\">l</a><a href=\"gone.html\">g</a>\
         <a href=\"#deep\">d</a><a href=\"#nowhere\">n</a>{}\n</body></html>\n",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    std::fs::write(site.path().join("index.html"), home).unwrap();
    let mut links = head.to_string();
    for i in 0..10_000 {
        links.push_str(&format!(
            "<p><a href=\"missing-{i}.html\">{i}</a> <a href=\"index.html#deep\">home</a></p>\n"
        ));
    }
    links.push_str("</body></html>\n");
    std::fs::write(site.path().join("links.html"), links).unwrap();

    let found = scopemap::check::check_site(site.path(), "/");
    let count = |code: &str, file: &str| {
        found
            .iter()
            .filter(|d| d.code == code && d.file == file)
            .count()
    };
    assert_eq!(count("C005", "links.html"), 10_000);
    assert_eq!(count("C005", "index.html"), 1);
    assert_eq!(count("C006", "index.html"), 1);
    assert_eq!(found.len(), 10_002, "nothing else: {:#?}", &found[..5]);
    let last = found
        .iter()
        .find(|d| d.message == "the link `missing-9999.html` leads to nothing")
        .expect("the last broken link");
    assert_eq!((last.line, last.column), (10_004, 13));
    let nowhere = found.iter().find(|d| d.code == "C006").unwrap();
    assert_eq!(nowhere.line, 5);
    assert_eq!(
        nowhere.message,
        "the link `#nowhere` names an anchor `#nowhere` that does not exist"
    );
}

/// A folder with no home page, a page that is not UTF-8 and a link out of the folder:
/// `scopemap check` names each, with the link's place, and fails.
#[test]
fn a_missing_home_page_a_garbled_page_and_a_link_outside_are_reported() {
    let root = tempfile::tempdir().unwrap();
    let site = root.path().join("public");
    std::fs::create_dir(&site).unwrap();
    std::fs::write(
        site.join("garbled.html"),
        b"<html lang=\"en\">caf\xe9</html>",
    )
    .unwrap();
    std::fs::write(
        site.join("away.html"),
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><title>Away</title></head>\n\
         <body><a href=\"../../elsewhere.html\">x</a></body></html>\n",
    )
    .unwrap();

    let mut printed = Vec::new();
    let code = scopemap::commands::check_command(
        root.path(),
        &site,
        scopemap::commands::Format::Human,
        &mut printed,
    );
    let printed = String::from_utf8(printed).unwrap();
    assert_eq!(code, 1, "{printed}");
    for expected in [
        "error[C001]: the page is not UTF-8 text\n  --> garbled.html\n",
        "error[C004]: the link `../../elsewhere.html` leads outside the site\n  --> away.html:4:16\n",
        "error[C008]: the site has no home page\n  --> index.html\n",
    ] {
        assert!(printed.contains(expected), "{expected}\n{printed}");
    }
}
