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
        Some("rating, note, evidence, internal_note, draft, carried_forward, carried_from")
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
    at(d, "scoping-data/regions/north.yaml", 19, 27);
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
    let dir = common::site_with("rating-codes");
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
    let dir = common::site_with("rating-codes");
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
    let dir = common::site_with("");
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

/// Every diagnostic of the settings, pages and data of a whole site (what `build` checks
/// before rendering).
fn site_diagnostics(case: &str) -> Vec<Diagnostic> {
    let dir = common::site_with(case);
    build_checks(dir.path())
}

/// The checks `build` makes before it renders: the data, then the settings and the pages,
/// sorted as the build prints them.
fn build_checks(root: &std::path::Path) -> Vec<Diagnostic> {
    let (site, mut all) = scopemap::load::load_site(root);
    all.extend(scopemap::validate::validate_site(&site, None));
    scopemap::diag::sort(&mut all);
    all
}

/// The diagnostics with this code in this file, in order.
fn all_in<'a>(all: &'a [Diagnostic], code: &str, file: &str) -> Vec<&'a Diagnostic> {
    all.iter()
        .filter(|d| d.code == code && d.file == file)
        .collect()
}

#[test]
fn control_characters_from_the_data_are_shown_not_sent_to_the_terminal() {
    let dir = common::base_with("control-characters");
    let mut out = Vec::new();
    assert_eq!(validate_command(dir.path(), Format::Human, &mut out), 1);
    let text = String::from_utf8(out).unwrap();
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "a control character reached the output: {text:?}"
    );
    // An escape written in the YAML (`"\e[31m"`), quoted in the message.
    assert!(
        text.contains(
            "error[E010]: unknown rating code `\\u{1b}]0;owned\\u{7}\\u{1b}[2J\\u{1b}[31mG` for `health-visiting`"
        ),
        "{text}"
    );
    // Raw ESC and C1 characters in the file, in the message and in the quoted line, with
    // the underline under the value as shown.
    assert!(
        text.contains("  --> scoping-data/returns/2022/north/beta-ccg.yaml:11:16\n"),
        "{text}"
    );
    let quoted = " 11 |   family-hubs: \\u{1b}[2J\\u{1b}[1;1HB\\u{9b}0m\n";
    assert!(text.contains(quoted), "{text}");
    let under = format!("    | {}{}\n", " ".repeat(15), "^".repeat(29));
    assert!(text.contains(&under), "{text}");

    let mut out = Vec::new();
    validate_command(dir.path(), Format::Json, &mut out);
    let json = String::from_utf8(out).unwrap();
    assert!(
        !json.chars().any(|c| c.is_control() && c != '\n'),
        "{json:?}"
    );
    assert!(json.contains("\\u001b[2J\\u001b[1;1HB\\u009b0m"), "{json}");
    let beta: serde_json::Value = json
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["file"] == BETA)
        .unwrap();
    assert_eq!(
        beta["message"], "unknown rating code `\u{1b}[2J\u{1b}[1;1HB\u{9b}0m` for `family-hubs`",
        "the JSON value decodes to the text as it is in the file"
    );
}

#[test]
fn a_second_yaml_document_is_refused_where_it_starts() {
    let all = site_diagnostics("multi-document");
    let found: Vec<(&str, usize, usize)> = all
        .iter()
        .filter(|d| d.code == "E110")
        .map(|d| (d.file.as_str(), d.line, d.column))
        .collect();
    assert_eq!(
        found,
        vec![
            ("content/about.md", 5, 1),
            ("scopemap.yaml", 10, 1),
            (SERVICE, 44, 1),
            (BETA, 13, 3),
        ]
    );
    let d = all.iter().find(|d| d.code == "E110").unwrap();
    assert_eq!(
        d.message,
        "a second YAML document starts here; a file holds one document"
    );
    assert!(d.help.as_deref().unwrap().contains("remove this marker"));
}

#[test]
fn direction_controls_are_refused_in_every_text_with_the_character_shown() {
    let all = site_diagnostics("direction-controls");
    let found: Vec<(&str, usize, usize)> = all
        .iter()
        .filter(|d| d.code == "E111")
        .map(|d| (d.file.as_str(), d.line, d.column))
        .collect();
    assert_eq!(
        found,
        vec![
            // Front matter, then the page text: as it is, and as a character reference.
            ("content/about.md", 2, 18),
            ("content/about.md", 5, 3),
            ("content/about.md", 5, 16),
            ("scopemap.yaml", 6, 9),
            // Written as an escape in quotes: the start of the value.
            (SERVICE, 2, 7),
            // Written as it is: the character itself.
            (SERVICE, 5, 19),
            ("scoping-data/regions/north.yaml", 12, 13),
        ]
    );
    let name = &all_in(&all, "E111", SERVICE)[0];
    assert_eq!(
        name.message,
        "`name` holds the invisible direction control U+202E (RIGHT-TO-LEFT OVERRIDE): `Alpha \\u{202e}maet seibab\\u{202c}`"
    );
    assert!(
        name.help
            .as_deref()
            .unwrap()
            .starts_with("delete the character")
    );
    let area = &all_in(&all, "E111", "scoping-data/regions/north.yaml")[0];
    assert_eq!(
        area.message,
        "`areas[1].name` holds the invisible direction control U+2067 (RIGHT-TO-LEFT ISOLATE): `Be\\u{2067}ta\\u{2069}`"
    );
    let reference = &all_in(&all, "E111", "content/about.md")[2];
    assert!(
        reference
            .message
            .contains("U+202B (RIGHT-TO-LEFT EMBEDDING): `&#x202B;\\u{202b}`"),
        "{}",
        reference.message
    );
}

#[test]
fn email_addresses_must_be_plain_addresses() {
    let all = site_diagnostics("strict-emails");
    let emails: Vec<&Diagnostic> = all.iter().filter(|d| d.code == "E023").collect();
    assert_eq!(emails.len(), 3, "{all:#?}");
    at(emails[0], "scopemap.yaml", 5, 10);
    assert_eq!(
        emails[0].message,
        "`Test Team <team@example.org>` is not a valid e-mail address for `publisher.email`: it holds a space"
    );
    at(emails[1], SERVICE, 23, 8);
    assert_eq!(
        emails[1].message,
        "`javascript:alert(1)//@example.org` is not a valid e-mail address for `email`: it holds a `:`, as in `mailto:` or `javascript:`"
    );
    assert_eq!(
        emails[1].help.as_deref(),
        Some("remove `javascript:`; write only the address")
    );
    at(emails[2], ALPHA, 9, 18);
    assert_eq!(
        emails[2].message,
        "`\"boss\"@example.org` is not a valid e-mail address for `internal.contact_email`: it holds a quote"
    );
}

#[test]
fn malformed_shortcodes_are_errors_at_their_place() {
    let all = site_diagnostics("bad-shortcodes");
    let found: Vec<(&str, usize, usize, &str)> = all
        .iter()
        .filter(|d| d.code == "E112")
        .map(|d| (d.file.as_str(), d.line, d.column, d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        vec![
            (
                "content/reports/2022/north/intro.md",
                4,
                1,
                "the `matrix` shortcode is not shown in a report section"
            ),
            ("content/views.md", 6, 4, "`matrx` is not a shortcode"),
            (
                "content/views.md",
                8,
                16,
                "the value of `region` must be in double quotes"
            ),
            (
                "content/views.md",
                10,
                5,
                "a shortcode must stand on a line of its own"
            ),
            (
                "content/views.md",
                12,
                1,
                "the shortcode is not closed: `{{` has no `}}` on its line"
            ),
        ]
    );
    let name = all.iter().find(|d| d.message.contains("matrx")).unwrap();
    assert_eq!(
        name.expected.as_deref(),
        Some("one of matrix, gaps, chart, need")
    );
    assert!(
        name.help
            .as_deref()
            .unwrap()
            .starts_with("did you mean `matrix`?")
    );
    // The build stops on them: nothing of the page is published as text.
    let site = common::site_with("bad-shortcodes");
    let out = site.path().join("public");
    let (code, log) = common::build(site.path(), &out, scopemap::audience::Audience::Public);
    assert_eq!(code, 1, "{log}");
    assert!(log.contains("--> content/views.md:6:4"), "{log}");
    assert!(!out.exists());
}

#[test]
fn shortcodes_naming_no_data_point_at_the_argument() {
    let site = common::site_with("shortcode-data");
    let out = site.path().join("public");
    let (code, log) = common::build(site.path(), &out, scopemap::audience::Audience::Public);
    assert_eq!(code, 1, "{log}");
    assert_eq!(log.matches("error[").count(), 2, "code stays text: {log}");
    assert!(
        log.contains(
            "error[E053]: the `matrix` shortcode names the unknown region `nort`\n  --> content/views.md:6:19\n"
        ),
        "{log}"
    );
    assert!(log.contains("= help: did you mean `north`?"), "{log}");
    assert!(
        log.contains(
            "error[E053]: the `chart` shortcode names the year 65535, which has no returns for `north`\n  --> content/views.md:8:31\n"
        ),
        "{log}"
    );
    assert!(log.contains("= expected: one of 2022"), "{log}");
    // `validate` reads the pages as the build does and says the same, without building.
    let mut out = Vec::new();
    assert_eq!(validate_command(site.path(), Format::Human, &mut out), 1);
    let text = String::from_utf8(out).unwrap();
    for wanted in [
        "error[E053]: the `matrix` shortcode names the unknown region `nort`\n  --> content/views.md:6:19\n",
        "error[E053]: the `chart` shortcode names the year 65535, which has no returns for `north`\n  --> content/views.md:8:31\n",
    ] {
        assert!(text.contains(wanted), "{text}");
    }
    assert!(text.ends_with("2 errors, 0 warnings\n"), "{text}");
}

#[test]
fn validate_checks_the_pages_as_the_build_does() {
    let site = common::site_with("bad-shortcodes");
    let mut out = Vec::new();
    assert_eq!(validate_command(site.path(), Format::Human, &mut out), 1);
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("--> content/views.md:6:4"), "{text}");
    assert!(!site.path().join("public").exists());
}

/// Build the base site with one file written; what the build said.
fn build_with(file: &str, text: &str) -> String {
    let site = common::site_with("");
    let path = site.path().join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    let (code, log) = common::build(
        site.path(),
        &site.path().join("public"),
        scopemap::audience::Audience::Public,
    );
    assert_eq!(code, 1, "{log}");
    log
}

#[test]
fn template_errors_point_at_the_template_file_line_and_column() {
    // `extends` naming nothing: at the name in the tag, not at the theme's folder.
    let log = build_with(
        "templates/area.html",
        "{# area #}\n{% extends \"nobase.html\" %}\n{% block content %}x{% endblock content %}\n",
    );
    assert!(
        log.contains("error[E061]: a template does not compile: `area.html` extends `nobase.html`, which is in neither the theme nor templates/\n  --> templates/area.html:2:13\n"),
        "{log}"
    );
    // Problems Tera finds across templates: one diagnostic each, at its own place.
    let log = build_with(
        "templates/area.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{{ area.name | shout }}\n{% include \"partials/none.html\" %}\n{% endblock content %}\n",
    );
    assert!(
        log.contains("error[E061]: a template does not compile: Unknown filter `shout`\n  --> templates/area.html:3:16\n"),
        "{log}"
    );
    assert!(
        log.contains("error[E061]: a template does not compile: Unknown template `partials/none.html`\n  --> templates/area.html:4:12\n"),
        "{log}"
    );
    assert!(!log.contains("--> themes/default/templates\n"), "{log}");
    // Templates that include each other: at the include that closes the loop.
    let site = common::site_with("");
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    std::fs::write(
        site.path().join("templates/a.html"),
        "A\n{% include \"b.html\" %}",
    )
    .unwrap();
    std::fs::write(
        site.path().join("templates/b.html"),
        "B {% include \"a.html\" %}",
    )
    .unwrap();
    let (_, log) = common::build(
        site.path(),
        &site.path().join("public"),
        scopemap::audience::Audience::Public,
    );
    assert!(
        log.contains(
            "include each other in a loop: a.html → b.html → a.html\n  --> templates/b.html:1:15\n"
        ),
        "{log}"
    );
}

#[test]
fn a_missing_page_template_is_reported_where_it_is_named() {
    let log = build_with(
        "content/fancy.md",
        "---\ntitle: Fancy\ntemplate: fancy.html\n---\nHello\n",
    );
    assert!(
        log.contains("error[E062]: the page names the template `fancy.html`, which is in neither the theme nor templates/\n  --> content/fancy.md:3:11\n"),
        "{log}"
    );
    // A template the theme lacks: at the theme's file that is missing.
    let site = common::site_with("");
    std::fs::remove_file(site.path().join("themes/default/templates/page.html")).unwrap();
    let (code, log) = common::build(
        site.path(),
        &site.path().join("public"),
        scopemap::audience::Audience::Public,
    );
    assert_eq!(code, 1, "{log}");
    assert!(
        log.contains("error[E062]: rendering about/index.html failed: there is no template `page.html`\n  --> themes/default/templates/page.html\n"),
        "{log}"
    );
}

/// The settings' diagnostics of a whole site (data, settings, content and theme).
fn settings_diagnostics(case: &str) -> (tempfile::TempDir, Vec<Diagnostic>) {
    let dir = common::site_with(case);
    let all = build_checks(dir.path());
    (dir, all)
}

#[test]
fn a_base_url_naming_another_host_is_refused() {
    let (_dir, all) = settings_diagnostics("base-url-elsewhere");
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
        let all = build_checks(dir.path());
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
        let all = build_checks(dir.path());
        assert_eq!(all, vec![], "{value}");
    }
}

#[test]
fn a_theme_outside_themes_is_refused_and_never_looked_for() {
    let (_dir, all) = settings_diagnostics("theme-outside");
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
fn a_site_without_a_publisher_email_is_refused_by_validate_and_build() {
    let dir = common::site_with("");
    let root = dir.path();
    let settings = root.join("scopemap.yaml");
    let text = std::fs::read_to_string(&settings).unwrap();
    std::fs::write(
        &settings,
        text.replace("  email: network@example.org\n", ""),
    )
    .unwrap();
    let d = only(&build_checks(root), "E245").clone();
    // At the publisher's name, the line `email:` belongs beside.
    at(&d, "scopemap.yaml", 4, 9);
    assert_eq!(d.width, "Test Network".len());
    assert_eq!(
        d.message,
        "`publisher` has no `email`: the accessibility statement and every page's \"Report a problem with this page\" link need the address of Test Network"
    );
    assert!(d.help.as_deref().unwrap().contains("under `publisher:`"));
    let mut out = Vec::new();
    assert_eq!(validate_command(root, Format::Human, &mut out), 1);
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("error[E245]: `publisher` has no `email`"),
        "{text}"
    );
    assert!(text.contains("scopemap.yaml:4:9"), "{text}");
    assert!(text.contains("1 error"), "{text}");
    let out_dir = root.join("public");
    let (code, log) = common::build(root, &out_dir, scopemap::audience::Audience::Public);
    assert_eq!(code, 1, "{log}");
    assert!(log.contains("error[E245]"), "{log}");
    assert!(!out_dir.exists(), "nothing was written");
}

#[test]
fn accessibility_settings_are_checked_where_they_stand() {
    let dir = common::site_with("");
    let root = dir.path();
    let settings = root.join("scopemap.yaml");
    let text = std::fs::read_to_string(&settings).unwrap();
    std::fs::write(
        &settings,
        format!(
            "{text}accessibility:\n  compliance: partly\n  tested: \"2026-13-01\"\n  known_problems:\n    - problem: \" \"\n"
        ),
    )
    .unwrap();
    let all = build_checks(root);
    let d = only(&all, "E027");
    at(d, "scopemap.yaml", 11, 15);
    assert_eq!(
        d.message,
        "`partly` is not a valid accessibility compliance status"
    );
    assert_eq!(d.expected.as_deref(), Some("one of full, partial, none"));
    at(only(&all, "E028"), "scopemap.yaml", 12, 11);
    at(only(&all, "E025"), "scopemap.yaml", 14, 16);
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
    assert!(log.contains("scopemap.yaml:10:8"), "{log}");
    assert!(!out.exists(), "nothing was written");
}

const REGION: &str = "scoping-data/regions/north.yaml";

#[test]
fn ons_codes_must_have_the_shape_of_their_kind() {
    let all = diagnostics("ons-code-shapes");
    let found: Vec<&Diagnostic> = all.iter().filter(|d| d.code == "E160").collect();
    assert_eq!(found.len(), 4, "{all:#?}");
    at(found[0], REGION, 3, 11);
    assert_eq!(
        found[0].message,
        "`E38000001` is not the ONS code of an integrated care system or board, the kind of region `north`"
    );
    assert_eq!(
        found[0].expected.as_deref(),
        Some("E54 followed by six digits, e.g. E54000008")
    );
    at(found[1], REGION, 8, 15);
    assert_eq!(
        found[1].message,
        "`E06000006` is not the ONS code of a CCG, the kind of area `alpha-ccg`"
    );
    assert_eq!(
        found[1].expected.as_deref(),
        Some("E38 followed by six digits, e.g. E38000068")
    );
    // One digit short, in an `ons_codes` entry.
    at(found[2], REGION, 15, 15);
    assert!(
        found[2].message.starts_with("`E3800002` is not"),
        "{}",
        found[2].message
    );
    // A lower-case prefix is not an ONS code either.
    at(found[3], REGION, 21, 15);
    assert_eq!(
        found[3].expected.as_deref(),
        Some("E06, E07, E08 or E09 followed by six digits, e.g. E06000006")
    );
    assert!(
        found[3]
            .help
            .as_deref()
            .unwrap()
            .contains("ONS Code History Database")
    );
    assert_eq!(all.len(), 4, "{all:#?}");
}

#[test]
fn ons_code_years_must_fit_the_area_and_not_overlap() {
    let all = diagnostics("ons-code-years");
    let d = only(&all, "E164");
    at(d, REGION, 11, 15);
    assert_eq!(
        d.message,
        "area `alpha-ccg` has two ONS codes for 2020: `E38900001` and `E38900011`"
    );
    let d = only(&all, "E161");
    at(d, REGION, 21, 15);
    assert_eq!(
        d.message,
        "area `beta-ccg` has both `ons_code` (E38900002) and `ons_codes`"
    );
    let d = only(&all, "E163");
    at(d, REGION, 30, 15);
    assert_eq!(
        d.message,
        "ONS code `E06900001` is stated for area `alphabeta`, which is in use from 2023, but its `from: 2021` is outside those years"
    );
    assert_eq!(d.expected.as_deref(), Some("a year from 2023"));
    let d = only(&all, "E162");
    at(d, REGION, 34, 16);
    assert_eq!(
        d.message,
        "ONS code `E06900003` of area `alphabeta` is valid until 2025 but only from 2026"
    );
    assert_eq!(all.len(), 4, "{all:#?}");
}

#[test]
fn an_area_in_use_without_a_code_for_a_year_with_returns_is_warned() {
    let all = diagnostics("ons-code-missing");
    let warnings: Vec<&Diagnostic> = all.iter().filter(|d| d.code == "W160").collect();
    assert_eq!(warnings.len(), 2, "{all:#?}");
    assert!(warnings.iter().all(|d| d.severity == Severity::Warning));
    at(warnings[0], REGION, 5, 9);
    assert_eq!(
        warnings[0].message,
        "area `alpha-ccg` (Alpha) is in use in 2022, with returns for North Region, but has no ONS code for 2022"
    );
    // Beta's only code ends in 2021; the Place, in use from 2023, has no returns yet.
    at(warnings[1], REGION, 10, 9);
    assert!(warnings[1].message.starts_with("area `beta-ccg` (Beta)"));
    assert_eq!(all.len(), 2, "{all:#?}");
}

#[test]
fn a_service_filed_under_a_category_its_area_lacks_is_warned() {
    let all = diagnostics("service-categories");
    let d = only(&all, "W161");
    assert_eq!(d.severity, Severity::Warning);
    // The category rated R is named; the one rated G beside it is not.
    at(d, "scoping-data/directory/beta-support.yaml", 7, 31);
    assert_eq!(
        d.message,
        "the service is filed under `parent-infant`, but the latest return of `beta-ccg` (2022) rates that category R (No provision)"
    );
    assert_eq!(
        d.expected.as_deref(),
        Some("Parent Infant MH Service: A specialist team for parents and babies.")
    );
    // A closed service filed the same way is not warned about.
    assert!(
        all.iter().all(|d| !d.file.ends_with("beta-closed.yaml")),
        "{all:#?}"
    );
}

#[test]
fn a_service_with_no_category_says_why() {
    let all = diagnostics("service-categories");
    // With a reason, an empty list is accepted.
    assert!(
        all.iter().all(|d| !d.file.ends_with("beta-neonatal.yaml")),
        "{all:#?}"
    );
    let d = only(&all, "E046");
    at(d, "scoping-data/directory/beta-none.yaml", 1, 5);
    assert_eq!(d.message, "the service has no categories");
    assert!(d.help.as_deref().unwrap().contains("`not_categorised:`"));
    let d = only(&all, "E165");
    at(d, "scoping-data/directory/beta-both.yaml", 8, 18);
    assert_eq!(
        d.message,
        "the service has categories and also says why it has none (`not_categorised`)"
    );
    assert_eq!(all.len(), 3, "{all:#?}");
}

#[test]
fn a_printed_name_that_is_only_another_spelling_is_warned() {
    let all = diagnostics("spellings");
    let found: Vec<&Diagnostic> = all.iter().filter(|d| d.code == "W162").collect();
    assert_eq!(found.len(), 2, "{all:#?}");
    assert!(found.iter().all(|d| d.severity == Severity::Warning));
    at(found[0], "scoping-data/reports/2022/north.yaml", 14, 20);
    assert_eq!(
        found[0].message,
        "`Health-visiting` in `column_names` is `Health Visiting` spelt another way"
    );
    at(found[1], ALPHA, 4, 16);
    assert_eq!(
        found[1].message,
        "`ALPHA.` in `reported_name` is `Alpha` spelt another way"
    );
    assert!(
        found[1]
            .help
            .as_deref()
            .unwrap()
            .starts_with("remove it, so the site shows `Alpha` everywhere")
    );
    // "Children's Centres / Family Hubs" for Family Hubs, and "Beta CCG" for Beta, are
    // other names, not other spellings.
    assert_eq!(all.len(), 2, "{all:#?}");
}

const SHAPES: &str = "scoping-data/directory/alpha-shapes.yaml";
const CITATIONS: &str = "scoping-data/directory/alpha-citations.yaml";

/// (line, column, message, help) of each diagnostic with this code in this file.
fn found_in(all: &[Diagnostic], code: &str, file: &str) -> Vec<(usize, usize, String, String)> {
    all_in(all, code, file)
        .into_iter()
        .map(|d| {
            (
                d.line,
                d.column,
                d.message.clone(),
                d.help.clone().unwrap_or_default(),
            )
        })
        .collect()
}

fn row(line: usize, column: usize, message: &str, help: &str) -> (usize, usize, String, String) {
    (line, column, message.to_string(), help.to_string())
}

#[test]
fn a_source_is_exactly_one_report_part_web_page_or_return() {
    let all = diagnostics("provenance");
    assert_eq!(
        found_in(&all, "E190", SHAPES),
        [
            row(
                12,
                3,
                "the source `nothing` says neither `report`, `url` nor `return`",
                "say what the source is: a report and its section, a web page and the date it was read, or a return"
            ),
            row(
                16,
                10,
                "the source `both` is both a `report` and a `url`",
                "make `url` a source of its own, with its own key"
            ),
        ]
    );
    assert_eq!(
        found_in(&all, "E191", SHAPES),
        [
            row(
                18,
                13,
                "the report source `no-part` names no section, table, text box or figure",
                "add the part of the report that states the facts, as its contents page or caption numbers it"
            ),
            row(
                22,
                12,
                "the report source `two-parts` names both a `section` and a `table`",
                "make the `table` a source of its own, with its own key"
            ),
            row(
                26,
                14,
                "the source `page-part` is a `url`, which has no `section`",
                "remove `section`, or make the source a `report:` if the section is a report's"
            ),
            row(
                28,
                10,
                "the web page source `unread` does not say when it was read",
                "add `checked:` with the date someone read the page"
            ),
            row(
                31,
                14,
                "the source `dated-return` is a `return`, which has no `checked` date",
                "remove `checked`; a report or return is dated by its year"
            ),
        ]
    );
    let keys = all_in(&all, "E198", SHAPES);
    assert_eq!(keys.len(), 1, "{all:#?}");
    let key = keys[0];
    at(key, SHAPES, 48, 3);
    assert_eq!(key.message, "the source key `Bad_Key` is not a valid key");
    assert_eq!(key.help.as_deref(), Some("write it as `bad-key`"));
}

#[test]
fn a_cited_report_return_or_part_of_a_report_must_exist() {
    let all = diagnostics("provenance");
    assert_eq!(
        found_in(&all, "E192", SHAPES),
        [
            row(
                33,
                13,
                "`north-2022` does not name a report",
                "write the report's year and region id, as in its path under scoping-data/reports/"
            ),
            row(
                36,
                13,
                "there is no report `2021/north`",
                "did you mean `2022/north`?"
            ),
        ]
    );
    assert_eq!(
        found_in(&all, "E193", SHAPES),
        [
            row(
                40,
                14,
                "the report `2022/north` has no section 2.7",
                "cite a section the report's contents page lists: did you mean `2.1`?"
            ),
            row(
                43,
                12,
                "the report `2022/north` has no table 4",
                "cite a table the report lists under `tables:`"
            ),
        ]
    );
    // The sections listed are the numbered entries of the report's outline.
    let section = all_in(&all, "E193", SHAPES)[0];
    assert_eq!(section.expected.as_deref(), Some("one of 1, 2, 2.1"));
    assert_eq!(
        found_in(&all, "E194", SHAPES),
        [
            row(
                45,
                13,
                "`alpha-ccg` does not name a return",
                "write the return's year and area id, as in its path under scoping-data/returns/"
            ),
            row(
                47,
                13,
                "there is no return `2022/gamma-ccg`",
                "did you mean `2022/alpha-ccg`?"
            ),
        ]
    );
    // The sources that do resolve (section 2.1 of the 2022 report) give nothing.
    assert!(
        all.iter()
            .filter(|d| d.file == SHAPES)
            .all(|d| d.line != 50),
        "{all:#?}"
    );
}

#[test]
fn source_of_cites_known_sources_for_facts_the_file_states() {
    let all = diagnostics("provenance");
    let fact = only(&all, "E195");
    at(fact, CITATIONS, 26, 3);
    assert_eq!(
        fact.message,
        "`source_of` names `regions`, which is not a fact"
    );
    assert_eq!(
        fact.help.as_deref(),
        Some("`regions` is covered by `areas`: cite its sources under `areas`")
    );
    let key = only(&all, "E196");
    at(key, CITATIONS, 27, 10);
    assert_eq!(
        key.message,
        "`source_of.areas` cites `reprt-2`, which is not under `sources`"
    );
    assert_eq!(key.help.as_deref(), Some("did you mean `report-2`?"));
    let absent = only(&all, "E197");
    at(absent, CITATIONS, 28, 3);
    assert_eq!(
        absent.message,
        "`source_of` cites a source for `delivery`, which the file does not state"
    );
    let closed = only(&all, "E199");
    at(closed, CITATIONS, 13, 9);
    assert_eq!(
        closed.message,
        "`closed: 2021` on a service whose status is `active`"
    );
}

#[test]
fn a_fact_with_no_source_and_a_source_cited_for_nothing_are_warned() {
    let all = diagnostics("provenance");
    let unsourced = only(&all, "W190");
    assert_eq!(unsourced.severity, Severity::Warning);
    at(unsourced, CITATIONS, 11, 7);
    assert_eq!(unsourced.message, "`cost` is shown with no source");
    assert_eq!(
        unsourced.help.as_deref(),
        Some(
            "add `cost: <source key>` under `source_of:` naming the source that states it, or remove `cost` if no source does"
        )
    );
    let uncited = only(&all, "W191");
    assert_eq!(uncited.severity, Severity::Warning);
    at(uncited, CITATIONS, 22, 3);
    assert_eq!(uncited.message, "the source `spare` is cited for no fact");
    // A service with no sources at all has one error saying so, not a warning per fact.
    let none: Vec<&Diagnostic> = all
        .iter()
        .filter(|d| d.file.ends_with("alpha-unsourced.yaml"))
        .collect();
    assert_eq!(none.len(), 1, "{none:#?}");
    assert_eq!(none[0].code, "E198");
    assert_eq!(none[0].message, "the service names no sources");
    assert_eq!((none[0].line, none[0].column), (1, 5));
}

#[test]
fn every_section_the_shipped_services_cite_is_in_the_cited_report() {
    // Validate resolves each cited report part against the report's outline, tables,
    // text boxes and figures: the shipped directory cites only parts that exist.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let (ds, all) = check_data(root);
    let cited: usize = ds
        .services()
        .iter()
        .flat_map(|s| &s.value.sources)
        .filter(|(_, source)| source.report.is_some())
        .count();
    assert!(cited >= ds.services().len(), "{cited} report sources");
    let provenance: Vec<&Diagnostic> = all
        .iter()
        .filter(|d| d.code.starts_with("E19") || d.code.starts_with("W19"))
        .collect();
    assert!(provenance.is_empty(), "{provenance:#?}");
    // Each one really is listed: checked here from the report files themselves.
    for s in ds.services() {
        for (key, source) in &s.value.sources {
            let Some(report) = &source.report else {
                continue;
            };
            let (year, region) = report.value.split_once('/').unwrap();
            let r = ds.report(year.parse().unwrap(), region).unwrap_or_else(|| {
                panic!("{}: {} cites {}", s.value.id.value, key.value, report.value)
            });
            if let Some(section) = &source.section {
                assert!(
                    r.outline
                        .iter()
                        .any(|e| e.number.as_ref().map(|n| n.value.as_str())
                            == Some(section.value.as_str())),
                    "{}: section {} of {}",
                    s.value.id.value,
                    section.value,
                    report.value
                );
            }
            for (number, list) in [
                (&source.table, &r.tables),
                (&source.text_box, &r.text_boxes),
                (&source.figure, &r.figures),
            ] {
                if let Some(n) = number {
                    assert!(
                        list.iter().any(|c| c.number.value == n.value),
                        "{}: {} of {}",
                        s.value.id.value,
                        n.value,
                        report.value
                    );
                }
            }
        }
    }
}
