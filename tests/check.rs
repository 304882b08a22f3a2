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
