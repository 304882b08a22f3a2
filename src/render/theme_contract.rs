//! docs/themes.md is the contract with a theme: it lists exactly the variables each page
//! template receives. The fields are read from the typed contexts of every page of the
//! shipped site, public and internal builds, and compared with the document's section for
//! the template, so a field added to a context without a line in the document (or a line
//! left for a field that is gone) fails here.

use super::{SiteInput, context, pages, templates, views};
use crate::audience::Audience;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The top-level field names of a typed context, as its template sees them.
pub(super) fn field_names(context: &impl serde::Serialize) -> Vec<String> {
    match serde_json::to_value(context) {
        Ok(serde_json::Value::Object(map)) => map.keys().cloned().collect(),
        _ => Vec::new(),
    }
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
    let base: BTreeSet<String> = field_names(&context::base_context(&input, "x/index.html", &[]))
        .into_iter()
        .collect();
    let mut by_template: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for job in pages::page_jobs(&input, &tera, &shared) {
        let page = (job.make)().unwrap_or_else(|d| panic!("{}: {d:?}", job.path));
        let fields: BTreeSet<String> = page.fields.iter().cloned().collect();
        assert!(
            fields.is_superset(&base),
            "{} lacks some of what every page receives",
            page.path
        );
        by_template
            .entry(page.template.clone())
            .or_default()
            .extend(fields.difference(&base).cloned());
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
fn the_theme_guide_lists_exactly_what_each_page_template_receives() {
    let doc = documented(&themes_doc());
    let (base, mut templates) = contexts(Audience::Public);
    let (_, internal) = contexts(Audience::Internal);
    for (template, fields) in internal {
        templates.entry(template).or_default().extend(fields);
    }
    // Pages of every family, the internal build's tracker among them.
    for expected in [
        "index.html",
        "region.html",
        "area.html",
        "service.html",
        "tracker.html",
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
    for (template, fields) in &templates {
        match doc.get(template) {
            Some(listed) => problems.extend(disagreement(template, fields, listed)),
            None if fields.is_empty() => {}
            None => problems.push(format!(
                "{template} receives {fields:?} but docs/themes.md has no `### {template}` section"
            )),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
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
}
