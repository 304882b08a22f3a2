//! Terms of other directories' taxonomies, mapped to the framework's categories by
//! `oruk.taxonomy_map` in `scopemap.yaml`: the import gives a service the categories of its
//! mapped terms (by term id, name or code, within a taxonomy or in any), reports every term
//! it does not map, guesses none; a map naming an unknown category (E290) or a term twice
//! (E291) is an error of `validate`, `build` and `import`, which then imports nothing.

mod common;

use scopemap::commands::{Format, validate_command};
use scopemap::oruk::{self, ImportOptions, ImportReport};
use serde_json::json;
use std::path::{Path, PathBuf};

const LGA: &str = "https://example.org/lga-service-types";

const OPTIONS: ImportOptions = ImportOptions {
    force: false,
    include_out_of_scope: false,
};

/// A feed of two services in the fixture's Alpha area, classified by a local taxonomy.
fn feed(dir: &Path) -> PathBuf {
    let term = |id: &str, name: &str, code: &str, taxonomy: &str| {
        json!({ "id": format!("{id}-link"), "link_type": "service_type",
                "taxonomy_term_id": id,
                "taxonomy_term": { "id": id, "name": name, "term": code, "taxonomy": taxonomy } })
    };
    let feed = json!([
        {
            "id": "a1111111-1111-4111-8111-111111111111",
            "name": "Alphaton Bonding Group",
            "description": "Groups for parents and babies.",
            "status": "active",
            "service_areas": [{ "id": "a", "name": "Alpha" }],
            "attributes": [
                // By the term's name, in any taxonomy.
                term("t-1", "Parent and infant relationships", "PIR", LGA),
                // By the term's id, in the named taxonomy.
                term("t-2", "Health visitors", "HV", LGA),
                // Not mapped: reported, not guessed.
                term("t-3", "Benefits advice", "BEN", LGA),
                // Named only by its id, with no term nested.
                { "id": "t-4-link", "taxonomy_term_id": "t-4", "link_type": "service_type" }
            ]
        },
        {
            "id": "b2222222-2222-4222-8222-222222222222",
            "name": "Alphaton Advice Line",
            "description": "Advice by telephone.",
            "status": "active",
            "service_areas": [{ "id": "a", "name": "Alpha" }],
            "attributes": [
                // The same code in another taxonomy: the entry naming LGA does not apply.
                term("x-2", "Health visitors", "HV", "https://example.org/other"),
                term("t-3", "Benefits advice", "BEN", LGA)
            ]
        }
    ]);
    let file = dir.join("feed.json");
    std::fs::write(&file, serde_json::to_string_pretty(&feed).unwrap()).unwrap();
    file
}

/// The base fixture with `map` (the lines under `taxonomy_map:`) in its settings.
fn site_with_map(map: &str) -> tempfile::TempDir {
    let site = common::base_with("");
    let settings = site.path().join("scopemap.yaml");
    let mut text = std::fs::read_to_string(&settings).unwrap();
    text.push_str("oruk:\n  taxonomy_map:\n");
    text.push_str(map);
    std::fs::write(&settings, text).unwrap();
    site
}

fn import(site: &Path, dir: &Path) -> ImportReport {
    oruk::import_on(&feed(dir), site, &OPTIONS, "2024-03-01")
}

/// The `categories` of a written directory file, as the import writes them: `categories: []`
/// or one `  - "id"` a line.
fn categories_of(site: &Path, id: &str) -> Vec<String> {
    let text =
        std::fs::read_to_string(site.join(format!("scoping-data/directory/{id}.yaml"))).unwrap();
    let mut lines = text.lines().skip_while(|l| !l.starts_with("categories:"));
    match lines.next() {
        Some("categories: []") => Vec::new(),
        Some("categories:") => lines
            .map_while(|l| l.strip_prefix("  - "))
            .map(|c| c.trim_matches('"').to_string())
            .collect(),
        other => panic!("{other:?} in {text}"),
    }
}

const MAP: &str = "    - term: \"Parent and infant relationships\"
      category: parent-infant
    - taxonomy: \"https://example.org/lga-service-types\"
      term: \"t-2\"
      category: health-visiting
    - term: \"t-4\"
      category: family-hubs
";

#[test]
fn mapped_terms_give_categories_and_the_others_are_reported() {
    let site = site_with_map(MAP);
    let dir = tempfile::tempdir().unwrap();
    let report = import(site.path(), dir.path());
    let summary = oruk::render_import(&report);
    assert!(report.errors().is_empty(), "{summary}");
    assert_eq!(report.written.len(), 2, "{summary}");

    assert_eq!(
        categories_of(site.path(), "alphaton-bonding-group"),
        ["parent-infant", "health-visiting", "family-hubs"]
    );
    // Its code in another taxonomy is not the mapped term: no category, none guessed.
    assert_eq!(
        categories_of(site.path(), "alphaton-advice-line"),
        Vec::<String>::new()
    );

    let lines: Vec<&str> = summary.lines().collect();
    for expected in [
        "  attributes (alphaton-bonding-group, alphaton-advice-line): the term `Benefits advice` of the taxonomy `https://example.org/lga-service-types`, which `oruk.taxonomy_map` in scopemap.yaml does not map to a category",
        "  attributes (alphaton-advice-line): the term `Health visitors` of the taxonomy `https://example.org/other`, which `oruk.taxonomy_map` in scopemap.yaml does not map to a category",
    ] {
        assert!(lines.contains(&expected), "{expected}\nin\n{summary}");
    }
    // The service left without a category is asked for one; the other is not.
    for (id, categories_to_fill) in [
        ("alphaton-advice-line", true),
        ("alphaton-bonding-group", false),
    ] {
        let fill = lines
            .iter()
            .find(|l| l.starts_with(&format!("{id}: fill in or review ")))
            .unwrap_or_else(|| panic!("{id} in {summary}"));
        assert_eq!(fill.contains(" categories,"), categories_to_fill, "{fill}");
    }
}

#[test]
fn without_a_map_no_term_gives_a_category() {
    let site = common::base_with("");
    let dir = tempfile::tempdir().unwrap();
    let report = import(site.path(), dir.path());
    assert!(
        report.errors().is_empty(),
        "{}",
        oruk::render_import(&report)
    );
    assert_eq!(
        categories_of(site.path(), "alphaton-bonding-group"),
        Vec::<String>::new()
    );
    let summary = oruk::render_import(&report);
    assert!(
        summary.contains("the term `Parent and infant relationships` of the taxonomy"),
        "{summary}"
    );
    assert!(
        summary.contains("the term `t-4` of the taxonomy ``"),
        "{summary}"
    );
}

/// Every diagnostic of `validate` on `site`, as printed in JSON, one object a line.
fn validate_json(site: &Path) -> (i32, Vec<serde_json::Value>) {
    let mut out = Vec::new();
    let code = validate_command(site, Format::Json, &mut out);
    let found = String::from_utf8(out)
        .unwrap()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v.get("code").is_some())
        .collect();
    (code, found)
}

#[test]
fn a_map_naming_an_unknown_category_or_a_term_twice_is_an_error() {
    let bad = "    - term: \"Parent and infant relationships\"
      category: parent-infnat
    - taxonomy: \"https://example.org/lga-service-types\"
      term: \"t-2\"
      category: health-visiting
    - taxonomy: \"https://example.org/lga-service-types\"
      term: \" t-2\"
      category: family-hubs
";
    let site = site_with_map(bad);
    // The settings file's lines: the base's nine, `oruk:`, `taxonomy_map:`, then the map.
    let first_line = 12;

    let (code, found) = validate_json(site.path());
    assert_eq!(code, 1, "{found:#?}");
    let of = |c: &str| {
        found
            .iter()
            .find(|d| d["code"] == c)
            .unwrap_or_else(|| panic!("{c} in {found:#?}"))
    };
    let e290 = of("E290");
    assert_eq!(e290["file"], "scopemap.yaml");
    assert_eq!(e290["line"], first_line + 1);
    assert_eq!(e290["column"], 17);
    assert!(
        e290["message"]
            .as_str()
            .unwrap()
            .contains("`parent-infnat`, which is not a category of the framework"),
        "{e290}"
    );
    assert_eq!(e290["help"], "did you mean `parent-infant`?");
    let e291 = of("E291");
    assert_eq!(e291["file"], "scopemap.yaml");
    assert_eq!(e291["line"], first_line + 6);
    assert!(
        e291["message"].as_str().unwrap().contains(&format!(
            "a second time (first at line {}, to `health-visiting`)",
            first_line + 3
        )),
        "{e291}"
    );

    // The import stops before reading the feed: nothing is written.
    let dir = tempfile::tempdir().unwrap();
    let before = common::tree(site.path());
    let report = import(site.path(), dir.path());
    let codes: Vec<&str> = report.errors().iter().map(|d| d.code).collect();
    assert_eq!(codes, ["E290", "E291"], "{}", oruk::render_import(&report));
    assert!(report.written.is_empty());
    assert!(common::tree(site.path()) == before);
    let summary = oruk::render_import(&report);
    assert!(summary.contains("scopemap.yaml:13:17"), "{summary}");

    // So does the build.
    let out = site.path().join("public");
    let (code, log) = common::build(site.path(), &out, scopemap::audience::Audience::Public);
    assert_eq!(code, 1, "{log}");
    assert!(log.contains("E290") && log.contains("E291"), "{log}");
}

#[test]
fn a_misspelt_map_stops_the_import_rather_than_map_nothing() {
    let site = common::base_with("");
    let settings = site.path().join("scopemap.yaml");
    let mut text = std::fs::read_to_string(&settings).unwrap();
    text.push_str("oruk:\n  taxonomy_mapping:\n    - term: \"t-4\"\n      category: family-hubs\n");
    std::fs::write(&settings, text).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let report = import(site.path(), dir.path());
    let summary = oruk::render_import(&report);
    let errors: Vec<(&str, &str)> = report
        .errors()
        .iter()
        .map(|d| (d.code, d.file.as_str()))
        .collect();
    assert_eq!(errors, [("E003", "scopemap.yaml")], "{summary}");
    assert!(summary.contains("taxonomy_mapping"), "{summary}");
    assert!(report.written.is_empty(), "{summary}");
}
