//! `scopemap validate`: every diagnostic has a fixture that triggers it, and each test checks
//! the code, the file, the line and column, and what the message and help say.

mod common;

use scopemap::commands::{Format, check_data, validate_command};
use scopemap::diag::{Diagnostic, Severity};

fn diagnostics(case: &str) -> Vec<Diagnostic> {
    let dir = common::base_with(case);
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

const ALPHA: &str = "scoping-data/returns/2022/north/alpha-ccg.yaml";
const BETA: &str = "scoping-data/returns/2022/north/beta-ccg.yaml";
const SERVICE: &str = "scoping-data/directory/alpha-babies.yaml";

#[test]
fn the_base_fixture_is_clean() {
    assert_eq!(diagnostics(""), vec![]);
}

#[test]
fn yaml_syntax_error() {
    let all = diagnostics("yaml-syntax");
    let d = only(&all, "E001");
    at(d, ALPHA, 7, 18);
    assert!(d.message.starts_with("YAML syntax error"), "{}", d.message);
    assert!(d.help.as_deref().unwrap().contains("matching quotes"));
}

#[test]
fn wrong_type_names_the_value() {
    let all = diagnostics("wrong-type");
    let d = only(&all, "E002");
    at(d, ALPHA, 1, 7);
    assert_eq!(d.message, "`twenty-twenty-two` is not a number");
    assert_eq!(d.width, "twenty-twenty-two".len());
}

#[test]
fn unknown_field_suggests_the_nearest() {
    let all = diagnostics("unknown-field");
    let d = only(&all, "E003");
    at(d, ALPHA, 8, 5);
    assert_eq!(d.message, "unknown field `rateing`");
    assert_eq!(d.help.as_deref(), Some("did you mean `rating`?"));
    assert_eq!(
        d.expected.as_deref(),
        Some("rating, note, evidence, internal_note, draft, carried_forward")
    );
}

#[test]
fn rating_codes_unknown_word_and_lowercase() {
    let all = diagnostics("rating-codes");
    let errors: Vec<&Diagnostic> = all.iter().filter(|d| d.code == "E010").collect();
    assert_eq!(errors.len(), 2, "{all:#?}");
    at(errors[0], ALPHA, 7, 18);
    assert_eq!(
        errors[0].message,
        "unknown rating code `Y` for `parent-infant`"
    );
    assert!(
        errors[0]
            .expected
            .as_deref()
            .unwrap()
            .contains("G (Full provision)")
    );
    at(errors[1], ALPHA, 8, 20);
    assert_eq!(
        errors[1].help.as_deref(),
        Some("write the code, not the word: `G`")
    );
    let lower = only(&all, "W011");
    assert_eq!(lower.severity, Severity::Warning);
    at(lower, ALPHA, 9, 16);
    assert!(lower.message.contains("read as `R`"));
}

#[test]
fn missing_category_points_at_ratings() {
    let all = diagnostics("missing-category");
    let d = only(&all, "E012");
    at(d, ALPHA, 6, 1);
    assert!(d.message.ends_with("family-hubs"), "{}", d.message);
}

#[test]
fn unknown_category_suggests_the_id() {
    let all = diagnostics("unknown-category");
    let d = only(&all, "E013");
    at(d, ALPHA, 8, 3);
    assert_eq!(d.message, "unknown category `helth-visiting`");
    assert_eq!(d.help.as_deref(), Some("did you mean `health-visiting`?"));
}

#[test]
fn two_returns_for_one_area_and_year() {
    let all = diagnostics("duplicate-return");
    let d = only(&all, "E014");
    at(d, "scoping-data/returns/2022/north/alpha-copy.yaml", 3, 7);
    assert!(d.help.as_deref().unwrap().contains(ALPHA));
}

#[test]
fn path_disagrees_with_contents() {
    let all = diagnostics("path-mismatch");
    let d = only(&all, "E015");
    at(d, BETA, 3, 7);
    assert_eq!(
        d.message,
        "the return says area `alpha-ccg` but its path says `beta-ccg`"
    );
    assert_eq!(
        d.expected.as_deref(),
        Some("scoping-data/returns/2022/north/alpha-ccg.yaml")
    );
}

#[test]
fn area_not_in_use_that_year_names_its_successor() {
    let all = diagnostics("area-not-in-use");
    let d = only(&all, "E016");
    at(d, "scoping-data/returns/2023/north/alpha-ccg.yaml", 3, 7);
    assert!(d.message.contains("not in use in 2023"));
    assert!(d.help.as_deref().unwrap().contains("alphabeta"));
}

#[test]
fn service_with_unknown_references_bad_links_and_vocabulary() {
    let all = diagnostics("service-references");
    at(only(&all, "E021"), SERVICE, 7, 29);
    let area = only(&all, "E020");
    at(area, SERVICE, 8, 20);
    assert_eq!(area.message, "service names unknown area `gamma`");
    let url = only(&all, "E022");
    at(url, SERVICE, 14, 6);
    assert_eq!(
        url.help.as_deref(),
        Some("add the scheme: `https://www.example.org/alpha`")
    );
    at(only(&all, "E023"), SERVICE, 15, 8);
    at(only(&all, "E028"), SERVICE, 17, 15);
    let vocab: Vec<&Diagnostic> = all.iter().filter(|d| d.code == "E027").collect();
    assert_eq!(vocab.len(), 2);
    assert_eq!(vocab[1].help.as_deref(), Some("did you mean `online`?"));
}

#[test]
fn duplicate_ids() {
    let all = diagnostics("duplicate-ids");
    let d = only(&all, "E024");
    assert!(d.message.contains("`alpha-babies` is used twice"));
    assert_eq!((d.line, d.column), (1, 5));
}

#[test]
fn empty_required_text() {
    let all = diagnostics("empty-text");
    let d = only(&all, "E025");
    at(d, SERVICE, 5, 10);
    assert_eq!(d.message, "`summary` is empty");
}

#[test]
fn lineage_to_an_unknown_area() {
    let all = diagnostics("lineage-unknown");
    let d = only(&all, "E026");
    at(d, "scoping-data/regions/north.yaml", 16, 27);
    assert_eq!(d.help.as_deref(), Some("did you mean `beta-ccg`?"));
}

#[test]
fn file_that_is_not_utf8() {
    let all = diagnostics("not-utf8");
    let d = only(&all, "E004");
    at(d, SERVICE, 2, 10);
    assert!(d.message.contains("0xE9"));
}

#[test]
fn empty_file() {
    let all = diagnostics("empty-file");
    let d = only(&all, "E005");
    assert_eq!(d.file, "scoping-data/directory/new-service.yaml");
}

#[test]
fn duplicate_key_in_a_mapping() {
    let all = diagnostics("duplicate-key");
    let d = only(&all, "E031");
    at(d, BETA, 10, 3);
    assert!(d.help.as_deref().unwrap().contains("line 7"));
}

#[test]
fn yaml_aliases_are_refused() {
    let all = diagnostics("yaml-alias");
    at(only(&all, "E001"), BETA, 5, 9);
}

#[test]
fn missing_required_field() {
    let all = diagnostics("missing-field");
    let d = only(&all, "E009");
    assert_eq!(d.message, "the required field `submission` is missing");
    at(d, BETA, 1, 1);
}

#[test]
fn human_output_quotes_the_line_and_exit_code_is_one() {
    let dir = common::base_with("rating-codes");
    let mut out = Vec::new();
    let code = validate_command(dir.path(), Format::Human, &mut out);
    let text = String::from_utf8(out).unwrap();
    assert_eq!(code, 1);
    assert!(text.contains("error[E010]: unknown rating code `Y` for `parent-infant`"));
    assert!(
        text.contains(" 7 |   parent-infant: Y\n   |                  ^\n"),
        "{text}"
    );
    assert!(text.contains("2 errors, 1 warning"));
}

#[test]
fn json_output_is_one_object_per_line() {
    let dir = common::base_with("rating-codes");
    let mut out = Vec::new();
    validate_command(dir.path(), Format::Json, &mut out);
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["code"], "E010");
    assert_eq!(lines[0]["line"], 7);
    assert_eq!(lines[0]["file"], ALPHA);
}

#[test]
fn the_binary_exits_two_for_a_missing_root_and_zero_for_clean_data() {
    let bin = env!("CARGO_BIN_EXE_scopemap");
    let missing = std::process::Command::new(bin)
        .args(["validate", "--root", "/no/such/folder"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    let dir = common::base_with("");
    let clean = std::process::Command::new(bin)
        .args(["validate", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&clean.stdout)
    );
    let bad_args = std::process::Command::new(bin)
        .args(["validate", "--format", "xml"])
        .output()
        .unwrap();
    assert_eq!(bad_args.status.code(), Some(2));
}

/// The settings' diagnostics of a whole site (data, settings, content and theme).
fn site_diagnostics(case: &str) -> (tempfile::TempDir, Vec<Diagnostic>) {
    let dir = common::site_with(case);
    let all = scopemap::commands::check_site(dir.path()).diagnostics;
    (dir, all)
}

#[test]
fn a_base_url_naming_another_host_is_refused() {
    let (_dir, all) = site_diagnostics("base-url-elsewhere");
    assert_eq!(all.len(), 1, "{all:#?}");
    let d = only(&all, "E100");
    at(d, "scopemap.yaml", 2, 11);
    assert_eq!(d.width, "//evil.example/".len());
    assert_eq!(
        d.message,
        "`//evil.example/` cannot be used as `base_url`: its path holds `//`, which browsers read as the start of another host"
    );
    assert_eq!(
        d.help.as_deref(),
        Some(
            "write the full address, `https://evil.example/`, or a path with a single leading `/`"
        )
    );
    assert!(d.expected.as_deref().unwrap().contains("a single `/`"));
}

#[test]
fn base_url_forms_that_lead_elsewhere_are_each_refused_where_they_stand() {
    let dir = common::site_with("");
    let settings = dir.path().join("scopemap.yaml");
    let original = std::fs::read_to_string(&settings).unwrap();
    for (value, reason) in [
        ("/\\evil.example/", "it holds a backslash"),
        ("https:\\\\evil.example/", "it holds a backslash"),
        ("https://example.org//evil.example/", "its path holds `//`"),
        (
            "https://good.example@evil.example/",
            "it holds a user name or password",
        ),
        ("javascript:alert(1)", "only http:// and https://"),
        ("scoping/", "it is neither a full address nor a path"),
    ] {
        let quoted = format!("'{value}'");
        std::fs::write(
            &settings,
            original.replace("https://example.org/scoping/", &quoted),
        )
        .unwrap();
        let all = scopemap::commands::check_site(dir.path()).diagnostics;
        let d = only(&all, "E100");
        at(d, "scopemap.yaml", 2, 11);
        assert!(
            d.message
                .starts_with(&format!("`{value}` cannot be used as `base_url`: {reason}")),
            "{value}: {}",
            d.message
        );
    }
    for value in ["/", "/scoping/", "https://example.org/"] {
        std::fs::write(
            &settings,
            original.replace("https://example.org/scoping/", value),
        )
        .unwrap();
        let all = scopemap::commands::check_site(dir.path()).diagnostics;
        assert_eq!(all, vec![], "{value}");
    }
}

#[test]
fn a_theme_outside_themes_is_refused_and_never_looked_for() {
    let (_dir, all) = site_diagnostics("theme-outside");
    assert_eq!(all.len(), 1, "{all:#?}");
    let d = only(&all, "E101");
    at(d, "scopemap.yaml", 3, 8);
    assert_eq!(d.width, "../../x".len());
    assert_eq!(
        d.message,
        "the theme `../../x` is not the name of a folder under themes/"
    );
    assert_eq!(
        d.help.as_deref(),
        Some("put the theme in themes/x/ and write `theme: x`")
    );
}

#[test]
fn a_build_with_a_theme_beside_the_site_stops_before_reading_it() {
    let dir = common::site_with("");
    let root = dir.path();
    // A complete theme one folder up from themes/: before E101 it was used.
    common::copy_dir(&root.join("themes/default"), &root.join("outside"));
    let settings = root.join("scopemap.yaml");
    let text = std::fs::read_to_string(&settings).unwrap();
    std::fs::write(&settings, format!("{text}theme: ../outside\n")).unwrap();
    let out = root.join("public");
    let (code, log) = common::build(root, &out, scopemap::audience::Audience::Public);
    assert_eq!(code, 1, "{log}");
    assert!(
        log.contains(
            "error[E101]: the theme `../outside` is not the name of a folder under themes/"
        ),
        "{log}"
    );
    assert!(log.contains("scopemap.yaml:9:8"), "{log}");
    assert!(!out.exists(), "nothing was written");
}
