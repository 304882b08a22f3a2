//! `scopemap validate` on small changes to the base fixture: the framework's own rules,
//! the regions' map tiles and years, ids, services' phone numbers and funding, evidence
//! and files in places scopemap does not read. Each test checks the code, the file, the
//! line and column, and what the message and help say.

mod common;

use scopemap::commands::{Format, check_data, validate_command};
use scopemap::diag::{Diagnostic, Severity};
use std::path::Path;

const FRAMEWORK: &str = "scoping-data/framework.yaml";
const REGION: &str = "scoping-data/regions/north.yaml";
const ALPHA: &str = "scoping-data/returns/2022/north/alpha-ccg.yaml";
const BETA: &str = "scoping-data/returns/2022/north/beta-ccg.yaml";
const SERVICE: &str = "scoping-data/directory/alpha-babies.yaml";

/// Replace `old` (which must be there) by `new` in the file at `rel` under `root`.
fn edit(root: &Path, rel: &str, old: &str, new: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(old), "`{old}` is not in {rel}");
    std::fs::write(&path, text.replacen(old, new, 1)).unwrap();
}

/// Every diagnostic `scopemap validate` finds in the base fixture after `change`.
fn validate_after(change: impl FnOnce(&Path)) -> Vec<Diagnostic> {
    let dir = common::base_with("");
    change(dir.path());
    check_data(dir.path()).1
}

/// The one diagnostic with this code; fails if there is none or several.
fn only<'a>(all: &'a [Diagnostic], code: &str) -> &'a Diagnostic {
    let found: Vec<&Diagnostic> = all.iter().filter(|d| d.code == code).collect();
    assert_eq!(found.len(), 1, "expected one {code}, got {all:#?}");
    found[0]
}

fn at(d: &Diagnostic, file: &str, line: usize, column: usize) {
    assert_eq!(
        (d.file.as_str(), d.line, d.column),
        (file, line, column),
        "{d:#?}"
    );
}

#[test]
fn evidence_naming_an_unknown_service_suggests_the_nearest() {
    let all = validate_after(|root| edit(root, ALPHA, "[alpha-babies]", "[alpha-babes]"));
    assert_eq!(all.len(), 1, "{all:#?}");
    let d = only(&all, "E029");
    at(d, ALPHA, 12, 16);
    assert_eq!(d.width, "alpha-babes".len());
    assert_eq!(d.message, "evidence names unknown service `alpha-babes`");
    assert_eq!(d.help.as_deref(), Some("did you mean `alpha-babies`?"));
}

#[test]
fn an_id_that_cannot_be_part_of_a_web_address_is_refused_with_a_better_one() {
    let all = validate_after(|root| {
        let text = std::fs::read_to_string(root.join(SERVICE)).unwrap();
        std::fs::write(
            root.join("scoping-data/directory/Team_Two.yaml"),
            text.replacen("id: alpha-babies", "id: Team_Two", 1),
        )
        .unwrap();
    });
    assert_eq!(all.len(), 1, "{all:#?}");
    let d = only(&all, "E040");
    at(d, "scoping-data/directory/Team_Two.yaml", 1, 5);
    assert_eq!(d.message, "the service id `Team_Two` is not a valid id");
    assert_eq!(d.help.as_deref(), Some("write it as `team-two`"));
    assert!(d.expected.as_deref().unwrap().contains("single hyphens"));
}

#[test]
fn a_framework_without_ratings_says_so() {
    let all = validate_after(|root| {
        let path = root.join(FRAMEWORK);
        let text = std::fs::read_to_string(&path).unwrap();
        let (_, categories) = text.split_once("categories:").unwrap();
        std::fs::write(
            &path,
            format!("name: Test framework\nratings: []\ncategories:{categories}"),
        )
        .unwrap();
    });
    let d = only(&all, "E041");
    at(d, FRAMEWORK, 0, 0);
    assert_eq!(d.message, "the framework has no ratings");
    assert_eq!(
        d.help.as_deref(),
        Some("list the rating scale under `ratings:` (G, A, R, B)")
    );
}

#[test]
fn a_rating_code_of_two_letters_is_refused() {
    let all = validate_after(|root| edit(root, FRAMEWORK, "- code: B\n", "- code: BD\n"));
    let d = only(&all, "E042");
    at(d, FRAMEWORK, 24, 11);
    assert_eq!(d.message, "the rating code `BD` must be one capital letter");
    // The return that uses `B` no longer finds it.
    assert!(all.iter().any(|d| d.code == "E010" && d.file == BETA));
}

#[test]
fn a_category_retired_before_it_is_introduced_is_refused() {
    let all = validate_after(|root| {
        edit(
            root,
            FRAMEWORK,
            "    introduced: 2022",
            "    introduced: 2022\n    retired: 2021",
        )
    });
    let d = only(&all, "E043");
    at(d, FRAMEWORK, 43, 14);
    assert_eq!(
        d.message,
        "category `family-hubs` is retired in 2021 before it is introduced in 2022"
    );
}

#[test]
fn an_area_in_use_until_a_year_before_its_first_is_refused() {
    let all = validate_after(|root| {
        edit(
            root,
            REGION,
            "in_use: {until: 2022}\n    hex: {q: 0",
            "in_use: {from: 2023, until: 2022}\n    hex: {q: 0",
        )
    });
    let d = only(&all, "E043");
    at(d, REGION, 9, 33);
    assert_eq!(
        d.message,
        "area `alpha-ccg` is in use until 2022 but only from 2023"
    );
}

#[test]
fn a_colour_that_is_not_six_hex_digits_is_refused() {
    let all = validate_after(|root| edit(root, FRAMEWORK, "\"#CCE5D8\"", "\"#CCE5D\""));
    assert_eq!(all.len(), 1, "{all:#?}");
    let d = only(&all, "E044");
    at(d, FRAMEWORK, 7, 11);
    assert_eq!(d.message, "`#CCE5D` is not a colour for `fill`");
    assert_eq!(
        d.expected.as_deref(),
        Some("a colour written #RRGGBB, e.g. #005EB8")
    );
}

#[test]
fn a_phone_number_too_short_is_refused() {
    let all = validate_after(|root| edit(root, SERVICE, "\"0151 555 0100\"", "\"0151 555\""));
    assert_eq!(all.len(), 1, "{all:#?}");
    let d = only(&all, "E048");
    at(d, SERVICE, 24, 8);
    assert_eq!(d.message, "`0151 555` is not a valid telephone number");
    assert_eq!(
        d.expected.as_deref(),
        Some("a UK number such as 0151 555 0100 or +44 151 555 0100")
    );
}

#[test]
fn a_service_id_the_directory_uses_for_its_own_pages_is_refused() {
    let all = validate_after(|root| {
        let text = std::fs::read_to_string(root.join(SERVICE)).unwrap();
        std::fs::write(
            root.join("scoping-data/directory/search.yaml"),
            text.replacen("id: alpha-babies", "id: search", 1),
        )
        .unwrap();
    });
    assert_eq!(all.len(), 1, "{all:#?}");
    let d = only(&all, "E049");
    at(d, "scoping-data/directory/search.yaml", 1, 5);
    assert_eq!(
        d.message,
        "the service id `search` is used by the directory's own pages"
    );
    assert_eq!(
        d.help.as_deref(),
        Some("choose a longer id that names the service")
    );
}

#[test]
fn a_file_where_scopemap_does_not_look_is_named_and_ignored() {
    let dir = common::site_with("");
    let stray = dir.path().join("scoping-data/returns/2022/alpha-ccg.yaml");
    std::fs::copy(dir.path().join(ALPHA), &stray).unwrap();
    let mut printed = Vec::new();
    let code = validate_command(dir.path(), Format::Human, &mut printed);
    let printed = String::from_utf8(printed).unwrap();
    assert_eq!(code, 0, "a warning does not fail: {printed}");
    let (_, all) = check_data(dir.path());
    assert_eq!(all.len(), 1, "{all:#?}");
    let d = only(&all, "W032");
    assert_eq!(d.severity, Severity::Warning);
    at(d, "scoping-data/returns/2022/alpha-ccg.yaml", 0, 0);
    assert_eq!(
        d.message,
        "this file is not in a place scopemap reads, so it is ignored"
    );
    assert!(
        printed.contains(
            "warning[W032]: this file is not in a place scopemap reads, so it is ignored\n  --> scoping-data/returns/2022/alpha-ccg.yaml\n"
        ),
        "{printed}"
    );
}

#[test]
fn a_rating_of_a_category_not_graded_that_year_is_a_warning() {
    let all = validate_after(|root| {
        edit(root, FRAMEWORK, "introduced: 2022", "introduced: 2023");
        edit(root, BETA, "  family-hubs: B\n", "");
    });
    assert_eq!(all.len(), 1, "{all:#?}");
    let d = only(&all, "W035");
    assert_eq!(d.severity, Severity::Warning);
    at(d, ALPHA, 14, 3);
    assert_eq!(d.message, "category `family-hubs` is not graded in 2022");
}

#[test]
fn two_areas_in_use_together_on_one_map_tile_are_a_warning() {
    let all = validate_after(|root| {
        edit(root, REGION, "hex: {q: 1, r: 0}", "hex: {q: 0, r: 0}");
    });
    assert_eq!(all.len(), 1, "{all:#?}");
    let d = only(&all, "W045");
    assert_eq!(d.severity, Severity::Warning);
    at(d, REGION, 11, 9);
    assert_eq!(
        d.message,
        "areas `alpha-ccg` and `beta-ccg` share the map tile q=0 r=0"
    );
}

#[test]
fn fixed_term_funding_without_an_end_is_a_warning() {
    let all = validate_after(|root| edit(root, SERVICE, "  ends: \"2024-02-29\"\n", ""));
    assert_eq!(all.len(), 1, "{all:#?}");
    let d = only(&all, "W047");
    assert_eq!(d.severity, Severity::Warning);
    at(d, SERVICE, 18, 11);
    assert_eq!(d.message, "fixed-term funding without an end date");
    assert_eq!(d.width, "fixed-term".len());
}

const SYNONYMS: &str = "scoping-data/synonyms.yaml";

#[test]
fn a_synonym_group_needs_two_different_phrases() {
    let all = validate_after(|root| {
        std::fs::write(
            root.join(SYNONYMS),
            "synonyms:\n  - [health visitor, health visiting]\n  - [MBU]\n  - [Health Visitor, health-visitor]\n",
        )
        .unwrap();
    });
    let found: Vec<&Diagnostic> = all.iter().filter(|d| d.code == "E240").collect();
    assert_eq!(found.len(), 2, "{all:#?}");
    at(found[0], SYNONYMS, 3, 5);
    assert_eq!(
        found[0].message,
        "the synonym group [MBU] does not name two different phrases"
    );
    // Neither case nor punctuation makes a phrase different.
    at(found[1], SYNONYMS, 4, 5);
    assert_eq!(
        found[1].message,
        "the synonym group [Health Visitor, health-visitor] does not name two different phrases"
    );
    assert_eq!(
        found[1].help.as_deref(),
        Some("add the other ways people say it, or delete the group")
    );
    assert!(found.iter().all(|d| d.severity == Severity::Error));
}

#[test]
fn a_synonym_the_search_would_never_look_for_is_refused() {
    let all = validate_after(|root| {
        std::fs::write(
            root.join(SYNONYMS),
            "synonyms:\n  - [MBU, mother and baby unit, \"the\", \"&\"]\n",
        )
        .unwrap();
    });
    let found: Vec<&Diagnostic> = all.iter().filter(|d| d.code == "E241").collect();
    assert_eq!(found.len(), 2, "{all:#?}");
    at(found[0], SYNONYMS, 2, 33);
    assert_eq!(
        found[0].message,
        "the synonym `the` has no word the search looks for"
    );
    at(found[1], SYNONYMS, 2, 40);
    assert_eq!(
        found[1].message,
        "the synonym `&` has no word the search looks for"
    );
    assert!(
        found[1]
            .expected
            .as_deref()
            .is_some_and(|e| e.contains("the words a, an, and")),
        "{:?}",
        found[1].expected
    );
    // The group still names two phrases the search looks for.
    assert!(all.iter().all(|d| d.code != "E240"), "{all:#?}");
}

#[test]
fn a_synonyms_file_with_an_unknown_field_is_refused() {
    let all = validate_after(|root| {
        std::fs::write(
            root.join(SYNONYMS),
            "synonym:\n  - [MBU, mother and baby unit]\n",
        )
        .unwrap();
    });
    assert!(
        all.iter()
            .any(|d| d.file == SYNONYMS && (d.code == "E003" || d.code == "E009")),
        "{all:#?}"
    );
}
