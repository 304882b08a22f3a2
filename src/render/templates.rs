//! Finding templates and static files: the site's own `templates/` and `static/` override
//! the theme's file of the same name.

use super::OutputFile;
use crate::diag::Diagnostic;
use std::path::Path;
use walkdir::WalkDir;

/// Every file under `dir`, as (relative path with forward slashes, full path), sorted.
fn files_under(dir: &Path) -> Vec<(String, std::path::PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap_or(e.path())
                .to_string_lossy()
                .replace('\\', "/");
            (rel, e.path().to_path_buf())
        })
        .collect()
}

/// The compiled templates, and the file each was read from.
pub struct Templates {
    tera: tera::Tera,
    /// By template name, the file as messages show it: the site's override
    /// (`templates/…`) or the theme's (`themes/NAME/templates/…`).
    files: std::collections::HashMap<String, String>,
    theme: String,
}

impl std::ops::Deref for Templates {
    type Target = tera::Tera;
    fn deref(&self) -> &tera::Tera {
        &self.tera
    }
}

/// The last templates compiled, by a digest of their names and texts.
pub type CompiledTemplates = std::sync::Mutex<Option<(blake3::Hash, std::sync::Arc<Templates>)>>;

/// Theme templates with the site's overrides laid over them, compiled; the templates in
/// `last` are reused when no template changed, since compiling them costs more than a
/// rebuild after a small edit renders.
pub fn load_templates(
    root: &Path,
    theme: &str,
    diagnostics: &mut Vec<Diagnostic>,
    last: &CompiledTemplates,
) -> Option<std::sync::Arc<Templates>> {
    let by_name = read_templates(root, theme, diagnostics);
    let mut h = blake3::Hasher::new();
    for (name, text, shown) in &by_name {
        for part in [name, text, shown] {
            h.update(&(part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
    }
    let digest = h.finalize();
    let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((known, tera)) = last.as_ref()
        && *known == digest
    {
        return Some(std::sync::Arc::clone(tera));
    }
    let tera = std::sync::Arc::new(compile(theme, &by_name, diagnostics)?);
    *last = Some((digest, std::sync::Arc::clone(&tera)));
    Some(tera)
}

/// Every template by name, with its text and the path shown in messages; the site's
/// `templates/` wins over the theme's.
fn read_templates(
    root: &Path,
    theme: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(String, String, String)> {
    let mut by_name: Vec<(String, String, String)> = Vec::new();
    for (label, dir) in [
        ("theme", root.join("themes").join(theme).join("templates")),
        ("site", root.join("templates")),
    ] {
        for (name, path) in files_under(&dir) {
            let shown = format!(
                "{}/{name}",
                if label == "theme" {
                    format!("themes/{theme}/templates")
                } else {
                    "templates".into()
                }
            );
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    by_name.retain(|(n, _, _)| n != &name);
                    by_name.push((name, text, shown));
                }
                Err(e) => diagnostics.push(
                    Diagnostic::error("E060", &shown, format!("cannot read the template: {e}"))
                        .help("save it as UTF-8 text"),
                ),
            }
        }
    }
    by_name
}

fn compile(
    theme: &str,
    by_name: &[(String, String, String)],
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Templates> {
    let files: std::collections::HashMap<String, String> = by_name
        .iter()
        .map(|(name, _, shown)| (name.clone(), shown.clone()))
        .collect();
    let mut tera = tera::Tera::new();
    tera.register_filter("thousands", thousands_filter);
    tera.autoescape_on([".html", ".xml", ".svg"]);
    tera.set_escape_fn(super::escape::write_html);
    let raw: Vec<(&str, &str)> = by_name
        .iter()
        .map(|(n, t, _)| (n.as_str(), t.as_str()))
        .collect();
    if let Err(e) = tera.add_raw_templates(raw) {
        diagnostics.extend(compile_errors(theme, by_name, &e));
        return None;
    }
    Some(Templates {
        tera,
        files,
        theme: theme.to_string(),
    })
}

/// One E061 for each problem Tera found, at the template file, line and column.
fn compile_errors(
    theme: &str,
    by_name: &[(String, String, String)],
    e: &tera::Error,
) -> Vec<Diagnostic> {
    let help = |message: &str| {
        if message.contains("Found integer but expected identifier") {
            "pick an item of a list with square brackets, `pair[0]`, not `pair.0` (see docs/themes.md)"
        } else {
            "fix the template syntax; see docs/themes.md for the template names and their context"
        }
    };
    let e061 = |message: &str, place: Option<Place>| {
        // The file as the user sees it: the site's override or the theme's template.
        let file = place
            .as_ref()
            .and_then(|p| by_name.iter().find(|(name, _, _)| *name == p.template))
            .map_or_else(
                || format!("themes/{theme}/templates"),
                |(_, _, shown)| shown.clone(),
            );
        located(
            Diagnostic::error(
                "E061",
                &file,
                format!("a template does not compile: {message}"),
            ),
            place.as_ref(),
        )
        .help(help(message))
    };
    // Where a tag naming `target` (`{% extends "base.html" %}`) is in the template `name`.
    let tag_naming = |name: &str, tag: &str, target: &str| {
        let (_, text, _) = by_name.iter().find(|(n, _, _)| n == name)?;
        let pattern = format!(r#"\{{%-?\s*{tag}\s+["']({})["']"#, regex::escape(target));
        let found = regex::Regex::new(&pattern).ok()?.captures(text)?.get(1)?;
        let before = &text[..found.start()];
        let line_start = before.rfind('\n').map_or(0, |p| p + 1);
        Some(Place {
            template: name.to_string(),
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
            width: target.chars().count(),
        })
    };
    match e.kind() {
        tera::ErrorKind::MissingParent { current, parent } => vec![e061(
            &format!(
                "`{current}` extends `{parent}`, which is in neither the theme nor templates/"
            ),
            tag_naming(current, "extends", parent),
        )],
        tera::ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => {
            let parent = inheritance_chain.first().map_or("", String::as_str);
            vec![e061(
                &format!(
                    "the templates extend each other in a loop: {tpl} → {}",
                    inheritance_chain.join(" → ")
                ),
                tag_naming(tpl, "extends", parent),
            )]
        }
        tera::ErrorKind::CircularInclude { tpl, include_chain } => {
            let includer = include_chain
                .len()
                .checked_sub(2)
                .and_then(|i| include_chain.get(i))
                .map_or("", String::as_str);
            vec![e061(
                &format!(
                    "the templates include each other in a loop: {}",
                    include_chain.join(" → ")
                ),
                tag_naming(includer, "include", tpl),
            )]
        }
        tera::ErrorKind::Msg(text) if REPORT.is_match(text) => REPORT
            .captures_iter(text)
            .map(|c| {
                let place = Place {
                    template: c["name"].to_string(),
                    line: c["line"].parse().unwrap_or(0),
                    column: c["column"].parse().unwrap_or(0),
                    width: c["marks"].len(),
                };
                e061(&c["message"], Some(place))
            })
            .collect(),
        _ => {
            let (message, place) = describe(e);
            vec![e061(&message, place)]
        }
    }
}

/// One of the reports Tera joins into a single message when it checks the templates
/// together (an unknown filter, function or included template; a block in no parent).
static REPORT: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?m)^error: (?P<message>.*)\n *--> (?P<name>.+):(?P<line>\d+):(?P<column>\d+)\n *\|\n *\d+ \|.*\n *\| [ \t]*(?P<marks>\^+)",
    )
    .expect("report pattern")
});

/// `{{ n | thousands }}`: 111629 → "111,629"; anything that is not a whole number is left as it is.
fn thousands_filter(value: &tera::Value, _: tera::Kwargs, _: &tera::State) -> tera::Value {
    match value.as_u64() {
        Some(n) => tera::Value::from(crate::analyse::thousands(n)),
        None => value.clone(),
    }
}

/// A page that failed to render, reported at the template and place where it failed (an
/// included or parent template may be the one at fault).
pub fn template_error(
    templates: &Templates,
    template: &str,
    page: &str,
    e: &tera::Error,
) -> Diagnostic {
    if let tera::ErrorKind::TemplateNotFound(missing) = e.kind() {
        return missing_template(templates, missing, page);
    }
    let (message, place) = describe(e);
    let name = place.as_ref().map_or(template, |p| p.template.as_str());
    let file = templates.files.get(name).map_or(name, String::as_str);
    located(
        Diagnostic::error("E062", file, format!("rendering {page}{FAILED}{message}")),
        place.as_ref(),
    )
    .help("check the variables the template uses against docs/themes.md")
}

/// A template a page needs that is in neither the theme nor the site's `templates/`,
/// reported at the theme's file that is missing.
fn missing_template(templates: &Templates, missing: &str, page: &str) -> Diagnostic {
    let file = format!("themes/{}/templates/{missing}", templates.theme);
    Diagnostic::error(
        "E062",
        &file,
        format!("rendering {page}{FAILED}there is no template `{missing}`"),
    )
    .help(format!(
        "add {file} (or templates/{missing} at the site root); see docs/themes.md for the templates a theme needs"
    ))
}

/// A page's front matter naming a template that does not exist, at the `template:` value.
pub fn check_named(
    templates: &Templates,
    file: &str,
    named: &crate::model::Spanned<String>,
) -> Option<Diagnostic> {
    if templates.contains_template(&named.value) {
        return None;
    }
    Some(
        Diagnostic::error(
            "E062",
            file,
            format!(
                "the page names the template `{}`, which is in neither the theme nor templates/",
                named.value
            ),
        )
        .at_value(named, named.value.chars().count())
        .help(format!(
            "add templates/{} at the site root, or remove `template:` to use page.html",
            named.value
        )),
    )
}

/// Between the page and the problem in an E062 message.
const FAILED: &str = " failed: ";

/// One E062 for each place in a template that failed, naming how many pages it stopped:
/// a mistake in the service page template would otherwise be reported once per service.
pub fn merge_repeated_failures(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut merged: Vec<(Diagnostic, usize)> = Vec::new();
    let mut first_of: std::collections::HashMap<(String, usize, usize, String), usize> =
        std::collections::HashMap::new();
    for d in diagnostics {
        let problem = (d.code == "E062")
            .then(|| d.message.split_once(FAILED))
            .flatten()
            .map(|(_, problem)| problem.to_string());
        let Some(problem) = problem else {
            merged.push((d, 1));
            continue;
        };
        let key = (d.file.clone(), d.line, d.column, problem);
        match first_of.get(&key) {
            Some(&i) => merged[i].1 += 1,
            None => {
                first_of.insert(key, merged.len());
                merged.push((d, 1));
            }
        }
    }
    merged
        .into_iter()
        .map(|(mut d, pages)| {
            if pages > 1
                && let Some((page, problem)) = d.message.split_once(FAILED)
            {
                d.message = format!(
                    "{page} and {} other pages{FAILED}{problem}",
                    crate::analyse::thousands(pages as u64 - 1)
                );
            }
            d
        })
        .collect()
}

/// Where in a template Tera found a problem.
struct Place {
    template: String,
    line: usize,
    column: usize,
    width: usize,
}

/// The message of a Tera error and, for syntax and rendering errors, where it is.
fn describe(e: &tera::Error) -> (String, Option<Place>) {
    match e.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            let width = if span.end_line == span.start_line {
                span.end_col.saturating_sub(span.start_col)
            } else {
                1
            };
            let place = Place {
                template: report.filename().to_string(),
                line: span.start_line,
                // Tera counts columns from 0, messages from 1.
                column: span.start_col + 1,
                width,
            };
            (report.message().to_string(), Some(place))
        }
        _ => (error_chain(e), None),
    }
}

fn located(d: Diagnostic, place: Option<&Place>) -> Diagnostic {
    match place {
        Some(p) if p.line > 0 => d.at(p.line, p.column, p.width),
        _ => d,
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ")
}

/// Theme `static/` files with the site's `static/` laid over them, copied as they are.
pub fn static_files(
    root: &Path,
    theme: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<OutputFile> {
    let mut out: Vec<OutputFile> = Vec::new();
    for dir in [
        root.join("themes").join(theme).join("static"),
        root.join("static"),
    ] {
        for (name, path) in files_under(&dir) {
            match std::fs::read(&path) {
                Ok(bytes) => {
                    out.retain(|f| f.path != name);
                    out.push(OutputFile { path: name, bytes });
                }
                Err(e) => diagnostics.push(
                    Diagnostic::error(
                        "E063",
                        &path.strip_prefix(root).unwrap_or(&path).to_string_lossy(),
                        format!("cannot read the static file: {e}"),
                    )
                    .help("check its permissions"),
                ),
            }
        }
    }
    out
}

/// A hash of every template and static file of the theme and of the site's overrides
/// (names and contents), so an edit to any of them is noticed.
pub fn theme_fingerprint(root: &Path, theme: &str) -> blake3::Hash {
    let mut h = blake3::Hasher::new();
    // Each folder is named as it is inside the site, so the fingerprint is the same however
    // the site's root is spelled (relative, absolute, through a link).
    let theme_dir = format!("themes/{theme}");
    for dir in [
        format!("{theme_dir}/templates"),
        "templates".to_string(),
        format!("{theme_dir}/static"),
        "static".to_string(),
    ] {
        h.update(dir.as_bytes());
        for (name, path) in files_under(&root.join(&dir)) {
            h.update(name.as_bytes());
            h.update(&[0]);
            match std::fs::read(&path) {
                Ok(bytes) => h.update(blake3::hash(&bytes).as_bytes()),
                Err(_) => h.update(b"unreadable"),
            };
        }
    }
    h.finalize()
}
