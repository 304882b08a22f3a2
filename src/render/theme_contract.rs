//! docs/themes.md is the contract with a theme: it lists exactly the variables each
//! template receives. The fields are read from the typed contexts of every page of the
//! shipped site, public and internal builds, and of the partials those pages render on
//! their own, and compared with the document's section for the template, so a field added
//! to a context without a line in the document (or a line left for a field that is gone)
//! fails here.

use super::{SiteInput, context, pages, templates, views};
use crate::audience::Audience;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The top-level field names of a typed context, as its template sees them.
fn field_names(context: &impl serde::Serialize) -> BTreeSet<String> {
    match serde_json::to_value(context) {
        Ok(serde_json::Value::Object(map)) => map.keys().cloned().collect(),
        _ => BTreeSet::new(),
    }
}

thread_local! {
    /// The fields of every context made on this thread, by template.
    static RECORDED: RefCell<BTreeMap<String, BTreeSet<String>>> = RefCell::default();
}

/// Note the fields of a context made for `template` (every page and partial context is
/// made through `template_context`, which calls this in tests).
pub(super) fn record(template: &str, context: &impl serde::Serialize) {
    let fields = field_names(context);
    RECORDED.with(|r| {
        r.borrow_mut()
            .entry(template.to_string())
            .or_default()
            .extend(fields)
    });
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The fields every page receives, and each page template's fields besides, by template,
/// from every page of the shipped site built for `audience`.
fn contexts(audience: Audience) -> (BTreeSet<String>, BTreeMap<String, BTreeSet<String>>) {
    let root = repo();
    let (site, diagnostics) = crate::load::load_site(&root);
    assert!(
        diagnostics.iter().all(|d| !d.is_error()),
        "the shipped site loads: {diagnostics:?}"
    );
    let config = site.settings.expect("scopemap.yaml");
    let mut data = site.data;
    crate::audience::prepare(&mut data, audience);
    let pages: Vec<_> = site.pages.into_iter().filter(|p| !p.is_draft()).collect();
    let input = SiteInput {
        root: root.clone(),
        config: &config,
        dataset: &data,
        pages: &pages,
        audience,
        cache: Default::default(),
        base_values: Default::default(),
    };
    let mut errors = Vec::new();
    let tera = templates::load_templates(
        &root,
        &config.theme.value,
        &mut errors,
        &input.cache.templates,
    )
    .expect("the theme's templates compile");
    let theme = templates::theme_fingerprint(&root, &config.theme.value);
    let shared = views::shared(&input, theme);
    let base = field_names(&context::base_context(&input, "x/index.html", &[]));
    // Each page's context, and those of the partials it renders on its own, are made on
    // this thread as the jobs run one by one.
    RECORDED.with(|r| r.borrow_mut().clear());
    for job in pages::page_jobs(&input, &tera, &shared) {
        (job.make)().unwrap_or_else(|d| panic!("{}: {d:?}", job.path));
    }
    let recorded = RECORDED.with(|r| r.take());
    let mut by_template = BTreeMap::new();
    for (template, fields) in recorded {
        assert!(
            fields.is_superset(&base),
            "{template} lacks some of what every page receives"
        );
        by_template.insert(template, fields.difference(&base).cloned().collect());
    }
    (base, by_template)
}

/// The variables docs/themes.md lists in the first column of the first table of each
/// `### ` section, by the section's heading.
fn documented(doc: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut sections = BTreeMap::new();
    for section in doc.split("\n### ").skip(1) {
        let heading = section
            .lines()
            .next()
            .unwrap_or_default()
            .trim()
            .to_string();
        // The first table only: a section may describe the parts of a variable in another.
        let table = section
            .lines()
            .skip_while(|l| !l.starts_with('|'))
            .take_while(|l| l.starts_with('|'));
        let mut names = BTreeSet::new();
        for row in table.filter(|l| l.starts_with("| `")) {
            let first = row
                .trim_start_matches('|')
                .split('|')
                .next()
                .unwrap_or_default();
            names.extend(first.split('`').skip(1).step_by(2).map(str::to_string));
        }
        sections.insert(heading, names);
    }
    sections
}

/// The templates a section's heading names: "a.html, b.html and c.html".
fn templates_in(heading: &str) -> Vec<&str> {
    heading
        .split(", ")
        .flat_map(|part| part.split(" and "))
        .map(str::trim)
        .collect()
}

fn themes_doc() -> String {
    std::fs::read_to_string(Path::new(&repo()).join("docs/themes.md")).unwrap()
}

/// The difference between what a template receives and what the document lists, in words,
/// or `None` when they agree.
fn disagreement(
    what: &str,
    received: &BTreeSet<String>,
    listed: &BTreeSet<String>,
) -> Option<String> {
    let missing: Vec<&String> = received.difference(listed).collect();
    let extra: Vec<&String> = listed.difference(received).collect();
    if missing.is_empty() && extra.is_empty() {
        return None;
    }
    Some(format!(
        "{what}: received but not in docs/themes.md {missing:?}; in docs/themes.md but not received {extra:?}"
    ))
}

#[test]
fn the_theme_guide_lists_exactly_what_each_template_receives() {
    let doc = documented(&themes_doc());
    let (base, mut templates) = contexts(Audience::Public);
    let (_, internal) = contexts(Audience::Internal);
    for (template, fields) in internal {
        templates.entry(template).or_default().extend(fields);
    }
    // The shipped reports have no block of changes (one year of returns) or of need: their
    // contexts' fields are read from contexts made here.
    for (template, fields) in super::report::blocks::unexercised_blocks() {
        let own = fields.difference(&base).cloned();
        templates
            .entry(template.to_string())
            .or_default()
            .extend(own);
    }
    // Pages of every family, the internal build's tracker among them, and the partials
    // rendered on their own.
    for expected in [
        "index.html",
        "region.html",
        "area.html",
        "service.html",
        "tracker.html",
        "partials/matrix.html",
        "partials/report_services.html",
    ] {
        assert!(
            templates.contains_key(expected),
            "no page rendered with {expected}"
        );
    }
    let mut problems = Vec::new();
    let every_page = doc
        .get("Context every page receives")
        .expect("docs/themes.md has a section `### Context every page receives`");
    problems.extend(disagreement("every page", &base, every_page));
    // A section may document several templates together ("### a.html, b.html and
    // c.html"): it lists what they receive between them.
    let mut by_section: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (template, fields) in &templates {
        match doc
            .keys()
            .find(|h| templates_in(h).contains(&template.as_str()))
        {
            Some(heading) => by_section
                .entry(heading)
                .or_default()
                .extend(fields.iter().cloned()),
            None if fields.is_empty() => {}
            None => problems.push(format!(
                "{template} receives {fields:?} but no `### ` section of docs/themes.md names it"
            )),
        }
    }
    for (heading, fields) in &by_section {
        problems.extend(disagreement(heading, fields, &doc[*heading]));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_theme_guide_lists_exactly_what_a_service_card_receives() {
    let card = super::cards::CardContext {
        s: tera::Value::from(""),
        root: "",
        card_heading: 3,
        description: tera::Value::from(""),
    };
    let doc = documented(&themes_doc());
    let heading = "partials/service_card.html and partials/report_service.html";
    let listed = doc
        .get(heading)
        .unwrap_or_else(|| panic!("docs/themes.md has a section `### {heading}`"));
    assert_eq!(disagreement(heading, &field_names(&card), listed), None);
}

#[test]
fn a_field_the_document_does_not_list_is_found() {
    let listed: BTreeSet<String> = ["a".to_string()].into();
    let received: BTreeSet<String> = ["a".to_string(), "b".to_string()].into();
    let found = disagreement("t.html", &received, &listed).unwrap();
    assert!(found.contains("[\"b\"]"), "{found}");
    assert_eq!(disagreement("t.html", &listed, &listed), None);
    let doc = "x\n### t.html\n\n| Variable | Meaning |\n|---|---|\n| `a`, `c` | Two. |\n| `d` | `e` is not a name. |\n\nIts parts:\n\n| `d.x` | Not a variable. |\n\n### u.html\n\n| `f` | One. |\n";
    let sections = documented(doc);
    assert_eq!(sections["t.html"], ["a", "c", "d"].map(String::from).into());
    assert_eq!(sections["u.html"], ["f".to_string()].into());
    assert_eq!(
        templates_in("partials/a.html, partials/b.html and partials/c.html"),
        ["partials/a.html", "partials/b.html", "partials/c.html"]
    );
}
