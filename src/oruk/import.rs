//! Import: an Open Referral UK / HSDS 3.0 JSON feed into the service directory.
//!
//! In: feed files or folders of them — a service, a list or page of services (`contents`),
//! `service_at_location` records (which nest a service), organisations that nest their
//! services — the site's root (its `scoping-data/`), and the options. Out:
//! `scoping-data/directory/<id>.yaml` for each new service, existing files changed field by
//! field where the feed states something else (only with `force`), and an `ImportReport`
//! saying what was written, updated or left alone, every record and field not imported
//! with the reason, the fields left to fill in, and every problem as a diagnostic naming
//! the feed's file, line and column.
//!
//! Nothing is dropped without a word, and nothing is invented: a record that is not a
//! service (an organisation, a taxonomy) is reported and skipped; a service outside the
//! project's regions or ages is skipped with a warning unless `include_out_of_scope`; a
//! value the directory cannot hold is listed with the reason. A service the directory
//! already has — by its `oruk_id`, or by the id scopemap's export gives it — is compared
//! with the feed rather than added again; one with the same name but no such link is not
//! imported, so no service is ever added twice.
//!
//! Kept in one file: matching feed records to existing services, the field-by-field
//! changes and the summary of what was not taken are one decision per record.

use super::draft::{Change, Draft, FEED_SOURCE};
use super::position::{Path as JsonPath, Step, locate, pointer};
use super::read::{Context, Dropped, Reading, ages_outside, name_key, read_service, text};
use crate::diag::{self, Diagnostic, Severity};
use crate::model::{Dataset, SourceFile};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Feed files larger than this are refused rather than read into memory.
pub const MAX_FEED_BYTES: u64 = 64 * 1024 * 1024;

/// How an import treats what it finds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Change existing directory files where the feed states something else.
    pub force: bool,
    /// Import services outside the project's regions or its ages (pregnancy to five).
    pub include_out_of_scope: bool,
}

/// An existing service the feed states differently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    pub path: PathBuf,
    pub id: String,
    pub changes: Vec<Change>,
}

/// A record of the feed that was not imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// `file`, `file: record N` or the like.
    pub place: String,
    /// The record's name, when it has one.
    pub name: Option<String>,
    pub reason: String,
}

/// What an import did.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    /// New directory files.
    pub written: Vec<PathBuf>,
    /// Existing files changed (with `force`), with what changed.
    pub updated: Vec<Update>,
    /// Existing files the feed states differently, left as they were (no `force`).
    pub kept: Vec<Update>,
    /// Existing services the feed states exactly as the directory does.
    pub unchanged: Vec<PathBuf>,
    /// Records not imported, with the reason.
    pub skipped: Vec<Skipped>,
    /// Per imported service id: the feed's fields that were not carried over.
    pub dropped: Vec<(String, Vec<Dropped>)>,
    /// Per written service id: the directory fields to fill in by hand.
    pub to_fill: Vec<(String, Vec<String>)>,
    /// Every problem, each naming the feed's file (and, where it can, line and column).
    pub diagnostics: Vec<Diagnostic>,
    /// The feed files read, for quoting their lines in messages.
    pub sources: Vec<SourceFile>,
    /// Each source's name for the summary: its path inside the folder given to import, or
    /// its file name.
    names: Vec<String>,
    /// (reason, id) of the records skipped, so that one organization a saved feed lists on
    /// several pages is counted once.
    skipped_ids: BTreeSet<(String, String)>,
}

impl ImportReport {
    /// The problems that are errors.
    pub fn errors(&self) -> Vec<&Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect()
    }

    /// Whether the codes of the diagnostics include `code`.
    pub fn has(&self, code: &str) -> bool {
        self.diagnostics.iter().any(|d| d.code == code)
    }
}

/// Import the feed at `input` into the site at `root`, citing it as read today.
pub fn import(input: &Path, root: &Path, options: &ImportOptions) -> ImportReport {
    import_on(input, root, options, &today())
}

/// Import several feed files or folders as one feed, citing them as read today.
pub fn import_feeds(inputs: &[PathBuf], root: &Path, options: &ImportOptions) -> ImportReport {
    import_all(inputs, root, options, &today())
}

/// Today's date (UTC), `YYYY-MM-DD`.
fn today() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    chrono::DateTime::from_timestamp(i64::try_from(seconds).unwrap_or(0), 0)
        .map(|t| t.date_naive().format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// One service found in the feed, with where it came from.
struct Found {
    /// Index into the report's `sources`.
    file: usize,
    path: JsonPath,
    value: Value,
    /// The organisation it came nested in, if any.
    organization: Option<Value>,
    /// A fully nested record (a service's own file) rather than a list item.
    full: bool,
}

/// `import`, citing the feed as read on `date` (`YYYY-MM-DD`).
pub fn import_on(input: &Path, root: &Path, options: &ImportOptions, date: &str) -> ImportReport {
    import_all(&[input.to_path_buf()], root, options, date)
}

/// The terms `scopemap.yaml` maps to categories (none without the file), or `None` when
/// the file cannot be read or its map is wrong: the import then reports why and imports
/// nothing, rather than leave out categories the map would have given.
fn taxonomy_map(
    root: &Path,
    ds: &Dataset,
    report: &mut ImportReport,
) -> Option<Vec<crate::model::TaxonomyMapping>> {
    let mut problems = Vec::new();
    let settings = crate::load::load_settings(root, &mut problems);
    let map = match (settings.config, &settings.source) {
        (Some(config), _) => {
            problems.clear();
            crate::validate::settings::check_taxonomy_map(&config.oruk, ds, &mut problems);
            config.oruk.taxonomy_map
        }
        // No settings file: no map.
        (None, None) if problems.iter().all(|d| d.code == "E050") => return Some(Vec::new()),
        (None, _) => Vec::new(),
    };
    problems.retain(|d| d.severity == Severity::Error);
    if problems.is_empty() {
        return Some(map);
    }
    if let Some(source) = settings.source {
        report.sources.push(source);
        report.names.resize(report.sources.len(), String::new());
    }
    report.diagnostics.extend(problems);
    None
}

/// Import several feed files or folders as one feed.
pub fn import_all(
    inputs: &[PathBuf],
    root: &Path,
    options: &ImportOptions,
    date: &str,
) -> ImportReport {
    let mut report = ImportReport::default();
    let mut found: Vec<Found> = Vec::new();
    for input in inputs {
        for (file, resource) in feed_files(input, &mut report.diagnostics) {
            let name = file
                .strip_prefix(input)
                .ok()
                .filter(|rel| !rel.as_os_str().is_empty())
                .or_else(|| file.file_name().map(Path::new))
                .map_or_else(
                    || file.display().to_string(),
                    |n| n.to_string_lossy().replace('\\', "/"),
                );
            let Some((index, value)) = read_json(&file, &mut report) else {
                continue;
            };
            report.names.resize(report.sources.len(), String::new());
            report.names[index] = name;
            collect(index, &value, resource, &mut found, &mut report);
        }
    }
    let found = dedupe(found, &mut report);

    let (ds, _) = crate::load::load(root);
    let Some(map) = taxonomy_map(root, &ds, &mut report) else {
        return report;
    };
    let ctx = Context::new(&ds).with_map(&map);
    let out_dir = root.join(crate::load::DATA_DIR).join("directory");
    let existing = Existing::new(&ds);
    let mut used_ids: BTreeSet<String> = existing.ids.clone();
    let mut matched: BTreeMap<usize, String> = BTreeMap::new();

    for f in &found {
        let file = report.sources[f.file].path.clone();
        let place = place_in(&report, f.file, &f.path);
        let reading = read_service(&f.value, &f.path, &ctx, f.organization.as_ref());
        for p in &reading.problems {
            let d = at(
                &report.sources[f.file],
                &p.path,
                match p.code.as_bytes().first() {
                    Some(b'E') => Diagnostic::error(p.code, &file, p.message.clone()),
                    _ => Diagnostic::warning(p.code, &file, p.message.clone()),
                },
            );
            let d = match &p.expected {
                Some(e) => d.expected(e.clone()),
                None => d,
            };
            report.diagnostics.push(d.help(p.help.clone()));
        }
        let name = reading.draft.name.clone();
        if let Some(skip) = out_of_scope(&reading, options) {
            report.diagnostics.push(
                at(
                    &report.sources[f.file],
                    &f.path,
                    Diagnostic::warning(
                        skip.0,
                        &file,
                        format!("`{}` {}; not imported", shown(&name), skip.1),
                    ),
                )
                .help("pass --include-out-of-scope to import it anyway"),
            );
            report.skipped.push(Skipped {
                place,
                name: Some(name),
                reason: skip.1,
            });
            continue;
        }
        let target = existing.find(&reading.draft);
        match target {
            Target::Service(position) => {
                if let Some(first) = matched.get(&position) {
                    let reason = format!(
                        "it is the directory's `{}` too, which {first} already updates",
                        existing.id(&ds, position)
                    );
                    report.diagnostics.push(
                        at(
                            &report.sources[f.file],
                            &f.path,
                            Diagnostic::warning(
                                "W251",
                                &file,
                                format!("`{}`: {reason}; not imported", shown(&name)),
                            ),
                        )
                        .help("keep one record per service in the feed"),
                    );
                    report.skipped.push(Skipped {
                        place,
                        name: Some(name),
                        reason,
                    });
                    continue;
                }
                matched.insert(position, place.clone());
                update(
                    &ds,
                    position,
                    &reading,
                    f,
                    &place,
                    date,
                    options,
                    &mut report,
                );
            }
            Target::SameName(position) => {
                let other = existing.id(&ds, position);
                let reason = format!(
                    "the directory has a service of this name, `{other}`, which is not linked to the feed's id"
                );
                report.diagnostics.push(
                    at(
                        &report.sources[f.file],
                        &f.path,
                        Diagnostic::warning("W256", &file, format!("`{}`: {reason}; not imported", shown(&name))),
                    )
                    .help(format!(
                        "if it is the same service, add `oruk_id: \"{}\"` to scoping-data/directory/{other}.yaml and import again; if not, rename one of them",
                        reading.draft.oruk_id.as_deref().unwrap_or("<the feed's id>")
                    )),
                );
                report.skipped.push(Skipped {
                    place,
                    name: Some(name),
                    reason,
                });
            }
            Target::New => {
                let id = unique_id(&slug(&name), &mut used_ids);
                let path = out_dir.join(format!("{id}.yaml"));
                if let Err(e) = std::fs::create_dir_all(&out_dir) {
                    report.diagnostics.push(Diagnostic::error(
                        "E251",
                        &out_dir.display().to_string(),
                        format!("cannot create the folder: {e}"),
                    ));
                    return report;
                }
                let feed = feed_url(&report.sources[f.file]);
                let text = reading.draft.new_file(&id, &feed, date, &reading.to_fill);
                match write_new(&path, &text) {
                    Ok(()) => {
                        report.written.push(path);
                        if !reading.to_fill.is_empty() {
                            report.to_fill.push((id.clone(), reading.to_fill.clone()));
                        }
                        if !reading.dropped.is_empty() {
                            report.dropped.push((id, reading.dropped.clone()));
                        }
                    }
                    Err(e) => report.diagnostics.push(Diagnostic::error(
                        "E251",
                        &path.display().to_string(),
                        format!("cannot write the directory file: {e}"),
                    )),
                }
            }
        }
    }
    report
}

/// A new file, never over an existing one.
fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(text.as_bytes())
}

#[allow(clippy::too_many_arguments)]
fn update(
    ds: &Dataset,
    position: usize,
    reading: &Reading,
    f: &Found,
    place: &str,
    date: &str,
    options: &ImportOptions,
    report: &mut ImportReport,
) {
    let loaded = &ds.services()[position];
    let source = &ds.sources[loaded.source];
    let id = loaded.value.id.value.clone();
    let old = Draft::of_service(&loaded.value);
    let mut feed = reading.draft.clone();
    // The link to the feed is kept as the file has it: a service matched by the id
    // scopemap's export gives it needs no `oruk_id`.
    if old.oruk_id.is_none() {
        feed.oruk_id = None;
    }
    let changes = old.changes(&feed);
    if !reading.dropped.is_empty() {
        report.dropped.push((id.clone(), reading.dropped.clone()));
    }
    if changes.is_empty() {
        report.unchanged.push(source.disk_path.clone());
        return;
    }
    let update = Update {
        path: source.disk_path.clone(),
        id: id.clone(),
        changes,
    };
    let file = report.sources[f.file].path.clone();
    if !options.force {
        report.diagnostics.push(
            at(
                &report.sources[f.file],
                &f.path,
                Diagnostic::warning(
                    "W257",
                    &file,
                    format!(
                        "the feed states {} of `{id}` differently from {}; the file was not changed",
                        plural(update.changes.len(), "field", "fields"),
                        source.path
                    ),
                ),
            )
            .help("check the differences listed below, then import again with --force to take the feed's values"),
        );
        report.kept.push(update);
        return;
    }
    let key = source_key(&loaded.value, &feed_url(&report.sources[f.file]), date);
    match feed.apply(
        &old,
        &source.text,
        &update.changes,
        &key,
        &feed_url(&report.sources[f.file]),
        date,
    ) {
        Ok(text) => match std::fs::write(&source.disk_path, text) {
            Ok(()) => report.updated.push(update),
            Err(e) => report.diagnostics.push(Diagnostic::error(
                "E251",
                &source.path,
                format!("cannot write the directory file: {e}"),
            )),
        },
        Err(why) => {
            report.diagnostics.push(
                Diagnostic::error(
                    "E253",
                    &source.path,
                    format!("`{id}` cannot be changed safely from {place}: {why}"),
                )
                .help("make the change by hand, or rewrite the block as the message says and import again"),
            );
        }
    }
}

/// The key to cite the feed under in an existing file: `feed` unless the file uses it for
/// another source, then `feed-<date>` (with a number if needed).
fn source_key(s: &crate::model::Service, url: &str, date: &str) -> String {
    let same = |src: &crate::model::Source| {
        src.url.as_ref().is_some_and(|u| u.value == url)
            && src.checked.as_ref().is_some_and(|c| c.value == date)
    };
    let taken = |key: &str| {
        s.sources
            .iter()
            .find(|(k, _)| k.value == key)
            .map(|(_, src)| src)
    };
    for candidate in std::iter::once(FEED_SOURCE.to_string())
        .chain(std::iter::once(format!("{FEED_SOURCE}-{date}")))
        .chain((2..).map(|n| format!("{FEED_SOURCE}-{date}-{n}")))
    {
        match taken(&candidate) {
            None => return candidate,
            Some(src) if same(src) => return candidate,
            Some(_) => {}
        }
    }
    unreachable!("the candidate keys never run out")
}

/// Why a service is outside the project, with the warning's code.
fn out_of_scope(reading: &Reading, options: &ImportOptions) -> Option<(&'static str, String)> {
    if options.include_out_of_scope {
        return None;
    }
    if !reading.places_named.is_empty() && !reading.in_project {
        return Some((
            "W254",
            format!(
                "works outside this project's regions ({})",
                reading
                    .places_named
                    .iter()
                    .map(|p| shown(p))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        ));
    }
    if ages_outside(reading.ages) {
        let (min, max) = reading.ages;
        let years = |a: Option<f64>| a.map_or("?".to_string(), |a| a.to_string());
        return Some((
            "W255",
            format!(
                "is for ages {} to {}, outside this project's pregnancy to age five",
                years(min),
                years(max)
            ),
        ));
    }
    None
}

/// Where each existing service can be found.
struct Existing {
    by_oruk_id: BTreeMap<String, usize>,
    by_derived_id: BTreeMap<String, usize>,
    by_name: BTreeMap<String, usize>,
    /// Every id taken: the loaded services' and the file names in `directory/` (a file
    /// that did not load keeps its id).
    ids: BTreeSet<String>,
}

enum Target {
    /// The service at this position in the dataset.
    Service(usize),
    /// Not linked, but the service at this position has the same name.
    SameName(usize),
    New,
}

impl Existing {
    fn new(ds: &Dataset) -> Existing {
        let mut e = Existing {
            by_oruk_id: BTreeMap::new(),
            by_derived_id: BTreeMap::new(),
            by_name: BTreeMap::new(),
            ids: BTreeSet::new(),
        };
        for (i, s) in ds.services().iter().enumerate() {
            let s = &s.value;
            if let Some(o) = &s.oruk_id {
                e.by_oruk_id
                    .entry(o.value.trim().to_ascii_lowercase())
                    .or_insert(i);
            }
            e.by_derived_id
                .entry(super::service_uuid(&s.id.value))
                .or_insert(i);
            e.by_name.entry(name_key(&s.name.value)).or_insert(i);
            e.ids.insert(s.id.value.clone());
        }
        for source in &ds.sources {
            if let Some(stem) = source
                .path
                .strip_prefix("scoping-data/directory/")
                .and_then(|p| p.strip_suffix(".yaml").or_else(|| p.strip_suffix(".yml")))
            {
                e.ids.insert(stem.to_string());
            }
        }
        e
    }

    fn id(&self, ds: &Dataset, position: usize) -> String {
        ds.services()[position].value.id.value.clone()
    }

    fn find(&self, draft: &Draft) -> Target {
        if let Some(id) = &draft.oruk_id {
            if let Some(i) = self.by_oruk_id.get(id) {
                return Target::Service(*i);
            }
            if let Some(i) = self.by_derived_id.get(id) {
                return Target::Service(*i);
            }
        }
        if let Some(i) = self.by_name.get(&name_key(&draft.name)) {
            return Target::SameName(*i);
        }
        Target::New
    }
}

/// The folders of a saved feed that hold its other resources: their records are listed as
/// not imported, without a warning each.
const OTHER_RESOURCES: &[(&str, &str)] = &[
    ("organizations", "an organization"),
    ("taxonomies", "a taxonomy"),
    ("taxonomy_terms", "a taxonomy term"),
    ("locations", "a location"),
];

/// The `.json` files to read, each with whether it lies in a folder of the feed's other
/// resources (`organizations/`, `taxonomies/`, ...) inside a folder given to import.
fn feed_files(
    input: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(PathBuf, Option<&'static str>)> {
    let name = input.display().to_string();
    if input.is_file() {
        return vec![(input.to_path_buf(), None)];
    }
    if !input.is_dir() {
        diagnostics.push(
            Diagnostic::error("E251", &name, "no such file or folder to import")
                .help("give the path of a feed's .json file, or of a folder of them"),
        );
        return Vec::new();
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(input).sort_by_file_name() {
        match entry {
            Ok(e) => {
                let is_json = e
                    .path()
                    .extension()
                    .is_some_and(|x| x.eq_ignore_ascii_case("json"));
                if e.file_type().is_file() && is_json {
                    let other = e.path().strip_prefix(input).ok().and_then(|rel| {
                        rel.components().find_map(|c| {
                            let folder = c.as_os_str().to_string_lossy();
                            OTHER_RESOURCES
                                .iter()
                                .find(|(name, _)| *name == folder)
                                .map(|(_, kind)| *kind)
                        })
                    });
                    files.push((e.into_path(), other));
                }
            }
            Err(err) => diagnostics.push(Diagnostic::error(
                "E251",
                &name,
                format!("cannot read the folder: {err}"),
            )),
        }
    }
    if files.is_empty() {
        diagnostics.push(
            Diagnostic::error("E251", &name, "the folder has no .json files")
                .help("give the folder the feed was saved into, or one of its files"),
        );
    }
    files
}

/// Read and parse one feed file, keeping its text in the report for quoting.
fn read_json(file: &Path, report: &mut ImportReport) -> Option<(usize, Value)> {
    let name = file.display().to_string();
    let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    if size > MAX_FEED_BYTES {
        report.diagnostics.push(
            Diagnostic::error(
                "E251",
                &name,
                format!("the file is {size} bytes, more than the {MAX_FEED_BYTES} an import reads"),
            )
            .help("split the feed into pages and import the folder"),
        );
        return None;
    }
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            report.diagnostics.push(Diagnostic::error(
                "E251",
                &name,
                format!("cannot read the file: {e}"),
            ));
            return None;
        }
    };
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let parsed =
        serde_json::from_slice::<Value>(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes));
    report.sources.push(SourceFile {
        path: name.clone(),
        disk_path: file.to_path_buf(),
        text,
    });
    match parsed {
        Ok(v) => Some((report.sources.len() - 1, v)),
        Err(e) => {
            let text = e.to_string();
            let suffix = format!(" at line {} column {}", e.line(), e.column());
            let message = text.strip_suffix(&suffix).unwrap_or(&text);
            report.diagnostics.push(
                Diagnostic::error("E250", &name, format!("not valid JSON: {message}"))
                    .at(e.line(), e.column().max(1), 1)
                    .help("nothing of this file was imported; correct the JSON (or fetch the feed again) and import again"),
            );
            None
        }
    }
}

/// The kind of a record that is not a service, from the fields it has.
fn not_a_service(v: &Value) -> Option<&'static str> {
    let has = |k: &str| v.get(k).is_some();
    if has("openapi_url") || (has("version") && has("profile") && !has("name")) {
        return Some("the feed's description of itself (its API root)");
    }
    if has("taxonomy_terms") || (has("version") && !has("status")) {
        return Some("a taxonomy");
    }
    if !has("status")
        && (has("term") || has("term_uri") || has("taxonomy") || has("taxonomy_id") || has("code"))
    {
        return Some("a taxonomy term");
    }
    if !has("status")
        && (has("organization_identifiers")
            || has("services")
            || has("logo")
            || has("website")
            || has("parent_organization_id"))
    {
        return Some("an organization");
    }
    if !has("status") && (has("location_type") || has("addresses") || has("latitude")) {
        return Some("a location");
    }
    if !has("status") {
        return Some("not a service: it has no `status`, which every Open Referral UK service has");
    }
    None
}

/// Find the services in one parsed file. `quiet`: the file is one of a saved feed's other
/// resources (of this kind), whose records are listed as not imported without a warning
/// each.
fn collect(
    file: usize,
    value: &Value,
    quiet: Option<&'static str>,
    found: &mut Vec<Found>,
    report: &mut ImportReport,
) {
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                record(
                    file,
                    vec![Step::Index(i)],
                    item,
                    false,
                    quiet,
                    found,
                    report,
                );
            }
        }
        Value::Object(map) => {
            match map.get("contents") {
                Some(Value::Array(items)) => {
                    for (i, item) in items.iter().enumerate() {
                        let path = vec![Step::Key("contents".into()), Step::Index(i)];
                        record(file, path, item, false, quiet, found, report);
                    }
                }
                Some(_) => {
                    let d = Diagnostic::error("E252", &report.sources[file].path, "`contents` is not a list of records")
                    .help("a page of an Open Referral UK feed lists its records under `contents: [...]`");
                    let d = at(&report.sources[file], &[Step::Key("contents".into())], d);
                    report.diagnostics.push(d);
                }
                None => record(file, Vec::new(), value, true, quiet, found, report),
            }
        }
        _ => {
            let d = Diagnostic::error(
                "E252",
                &report.sources[file].path,
                "expected an Open Referral UK record, a page with `contents` or a list of records",
            )
            .at(1, 1, 1)
            .help(
                "import the feed's JSON files: a service, a page of services, or a folder of them",
            );
            report.diagnostics.push(d);
        }
    }
}

/// Read one record: a service is added to `found`; anything else is listed as skipped, with
/// a warning unless `quiet` (it came from a folder of the feed's other resources).
fn record(
    file: usize,
    path: JsonPath,
    v: &Value,
    full: bool,
    quiet: Option<&'static str>,
    found: &mut Vec<Found>,
    report: &mut ImportReport,
) {
    let place = place_in(report, file, &path);
    let source = &report.sources[file];
    let what = record_name(&path);
    if !v.is_object() {
        let d = Diagnostic::error(
            "E252",
            &source.path,
            format!("{what} is not a record but {}", kind_of(v)),
        )
        .help("each item of a feed is an object with the fields of a service");
        report.diagnostics.push(at(source, &path, d));
        report.skipped.push(Skipped {
            place,
            name: None,
            reason: "not a record".into(),
        });
        return;
    }
    // A service at a location nests the service, with the location beside it.
    if let Some(service) = v.get("service").filter(|s| s.is_object()) {
        let mut inner = path.clone();
        inner.push(Step::Key("service".into()));
        let mut service = service.clone();
        if let (Some(location), Some(map)) = (v.get("location"), service.as_object_mut())
            && !map.contains_key("service_at_locations")
        {
            map.insert(
                "service_at_locations".into(),
                serde_json::json!([{ "id": v.get("id"), "location": location }]),
            );
        }
        add_service(file, inner, service, None, full, found, report);
        return;
    }
    if let Some(kind) = not_a_service(v) {
        // A record of a saved feed's organizations or taxonomies is what its folder holds.
        let kind = match quiet {
            Some(folder) if kind.starts_with("not a service") => folder,
            _ => kind,
        };
        let what_it_is = if kind.starts_with("not a service") {
            kind.to_string()
        } else {
            format!("{kind}, not a service")
        };
        let name = text(v, "name");
        let nested: Vec<&Value> = v
            .get("services")
            .and_then(Value::as_array)
            .map(|s| s.iter().collect())
            .unwrap_or_default();
        let root = kind.starts_with("the feed's description");
        if !root && quiet.is_none() {
            let message = match &name {
                Some(n) => format!("{what} (`{}`) is {what_it_is}; skipped", shown(n)),
                None => format!("{what} is {what_it_is}; skipped"),
            };
            let message = if nested.is_empty() {
                message
            } else {
                format!(
                    "{message}; its {} read",
                    plural(nested.len(), "service is", "services are")
                )
            };
            let d = Diagnostic::warning("W250", &source.path, message)
                .help("import the feed's services: its /services pages and records");
            report.diagnostics.push(at(source, &path, d));
        }
        let reason = if root { kind.to_string() } else { what_it_is };
        let first = text(v, "id").is_none_or(|id| report.skipped_ids.insert((reason.clone(), id)));
        if first {
            report.skipped.push(Skipped {
                place: place.clone(),
                name,
                reason,
            });
        }
        // An organisation's own services are services of that organisation, listed as a
        // page lists them.
        for (i, service) in nested.into_iter().enumerate() {
            if !service.is_object() {
                continue;
            }
            let mut inner = path.clone();
            inner.push(Step::Key("services".into()));
            inner.push(Step::Index(i));
            let mut org = v.clone();
            if let Some(map) = org.as_object_mut() {
                map.remove("services");
            }
            add_service(
                file,
                inner,
                service.clone(),
                Some(org),
                false,
                found,
                report,
            );
        }
        return;
    }
    add_service(file, path, v.clone(), None, full, found, report);
}

fn add_service(
    file: usize,
    path: JsonPath,
    value: Value,
    organization: Option<Value>,
    full: bool,
    found: &mut Vec<Found>,
    report: &mut ImportReport,
) {
    let place = place_in(report, file, &path);
    let source = &report.sources[file];
    if text(&value, "name").is_none() {
        let d = Diagnostic::error(
            "E252",
            &source.path,
            format!(
                "{}: the service has no `name`, so it was not imported",
                record_name(&path)
            ),
        )
        .help("every Open Referral UK service has a name; ask the feed's publisher to add it");
        report.diagnostics.push(at(source, &path, d));
        report.skipped.push(Skipped {
            place,
            name: None,
            reason: "a service with no name".into(),
        });
        return;
    }
    found.push(Found {
        file,
        path,
        value,
        organization,
        full,
    });
}

/// One record per feed id: a full record stands for a list item of the same id (a folder
/// export holds both); any other second record with an id already seen is reported and
/// skipped.
fn dedupe(found: Vec<Found>, report: &mut ImportReport) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::new();
    for f in found {
        let id = text(&f.value, "id");
        let Some(id) = id else {
            out.push(f);
            continue;
        };
        let Some(first) = out
            .iter_mut()
            .find(|o| text(&o.value, "id").as_deref() == Some(id.as_str()))
        else {
            out.push(f);
            continue;
        };
        // A list item and the full record of one service: the full one is read, and the
        // item says nothing the full record does not.
        let (full, item) = if f.full && !first.full {
            (&f, &*first)
        } else {
            (&*first, &f)
        };
        let agrees = full.full
            && !item.full
            && item
                .value
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(k, _)| *k != "organization")
                .all(|(k, v)| full.value.get(k) == Some(v));
        if agrees {
            if f.full {
                *first = f;
            }
            continue;
        }
        let first_place = place_in(report, first.file, &first.path);
        let place = place_in(report, f.file, &f.path);
        let source = &report.sources[f.file];
        let name = text(&f.value, "name");
        let reason = format!("its id `{}` is also the id of {first_place}", shown(&id));
        let d = Diagnostic::warning(
            "W251",
            &source.path,
            format!(
                "{} has the id `{}` of another record, {first_place}; skipped",
                record_name(&f.path),
                shown(&id)
            ),
        )
        .help("a feed gives each service its own id; the first record with the id was read");
        report.diagnostics.push(at(source, &f.path, d));
        report.skipped.push(Skipped {
            place,
            name,
            reason,
        });
    }
    out
}

/// A diagnostic placed at the value at `path` in `source`.
fn at(source: &SourceFile, path: &[Step], d: Diagnostic) -> Diagnostic {
    match locate(&source.text, path) {
        Some((line, column)) => d.at(line, column, 1),
        None => d,
    }
}

/// `the record`, `record 3` or `the record at /contents/3/service`, for messages.
fn record_name(path: &[Step]) -> String {
    match path {
        [] => "the record".to_string(),
        [Step::Index(i)] | [Step::Key(_), Step::Index(i)] => format!("record {}", i + 1),
        _ => format!("the record at {}", pointer(path)),
    }
}

/// `feed.json: record 3`, for the summary.
fn place_of(source: &SourceFile, path: &[Step]) -> String {
    format!("{}: {}", file_name(source), record_name(path))
}

/// `place_of` with the file named by its path inside the folder imported.
fn place_in(report: &ImportReport, file: usize, path: &[Step]) -> String {
    match report.names.get(file).filter(|n| !n.is_empty()) {
        Some(name) => format!("{name}: {}", record_name(path)),
        None => place_of(&report.sources[file], path),
    }
}

fn file_name(source: &SourceFile) -> String {
    source
        .disk_path
        .file_name()
        .map_or_else(|| source.path.clone(), |n| n.to_string_lossy().into_owned())
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Text from a feed for a message: control characters made visible, at most 80 characters.
fn shown(text: &str) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.chars().count() > 80 {
        format!("{}…", flat.chars().take(80).collect::<String>())
    } else {
        flat
    }
}

fn feed_url(source: &SourceFile) -> String {
    format!(
        "file:{}",
        source.disk_path.to_string_lossy().replace('\\', "/")
    )
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A directory id from a name: lowercase ASCII letters and digits joined by single hyphens,
/// at most 80 characters; `service` when nothing usable is left.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(fold) {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let cut: String = out.chars().take(80).collect();
    let cut = cut.trim_end_matches('-');
    if cut.is_empty() {
        "service".to_string()
    } else {
        cut.to_string()
    }
}

/// A character of a name as an id has it: apostrophes dropped ("Parents' Group" is
/// `parents-group`), other letters folded as `model::id` folds them.
fn fold(c: char) -> Vec<char> {
    match c {
        '\'' | '’' => Vec::new(),
        other => crate::model::id::fold(other),
    }
}

/// `base`, or `base-2`, `base-3`, ... when the directory or an earlier record of this
/// import took it.
fn unique_id(base: &str, used: &mut BTreeSet<String>) -> String {
    let mut n = 1usize;
    loop {
        let candidate = if n == 1 {
            base.to_string()
        } else {
            let suffix = format!("-{n}");
            let room = 80usize.saturating_sub(suffix.len());
            let head: String = base.chars().take(room).collect();
            format!("{}{suffix}", head.trim_end_matches('-'))
        };
        if used.insert(candidate.clone()) {
            return candidate;
        }
        n += 1;
    }
}

/// The report as the command prints it: the diagnostics, what was written and changed
/// (field by field), then a summary of everything not imported, with the reasons.
pub fn render(report: &ImportReport) -> String {
    let mut out = String::new();
    let mut diagnostics = report.diagnostics.clone();
    diag::sort(&mut diagnostics);
    for d in &diagnostics {
        out.push_str(&diag::render_human(d, &report.sources));
    }
    let line = |out: &mut String, text: &str| {
        out.push_str(diag::visible(text).as_ref());
        out.push('\n');
    };
    for p in &report.written {
        line(&mut out, &format!("wrote {}", p.display()));
    }
    for u in &report.updated {
        line(&mut out, &format!("updated {}:", u.path.display()));
        for c in &u.changes {
            line(&mut out, &format!("  {}", change_line(c)));
        }
    }
    for u in &report.kept {
        line(
            &mut out,
            &format!(
                "kept {} (pass --force to take the feed's values):",
                u.path.display()
            ),
        );
        for c in &u.changes {
            line(&mut out, &format!("  {}", change_line(c)));
        }
    }
    if !report.skipped.is_empty() {
        line(&mut out, "records not imported:");
        // Many records skipped for one reason (a saved feed's organizations, say) are
        // counted, not listed one by one.
        let mut by_reason: BTreeMap<&str, Vec<&Skipped>> = BTreeMap::new();
        for s in &report.skipped {
            by_reason.entry(s.reason.as_str()).or_default().push(s);
        }
        for s in &report.skipped {
            let same = &by_reason[s.reason.as_str()];
            if same.len() > 5 {
                if std::ptr::eq(same[0], s) {
                    let first: Vec<&str> = same[..3].iter().map(|s| s.place.as_str()).collect();
                    line(
                        &mut out,
                        &format!(
                            "  {} records ({}, …): {}",
                            same.len(),
                            first.join("; "),
                            s.reason
                        ),
                    );
                }
                continue;
            }
            let name = s
                .name
                .as_ref()
                .map(|n| format!(" `{}`", shown(n)))
                .unwrap_or_default();
            line(&mut out, &format!("  {}{name}: {}", s.place, s.reason));
        }
    }
    // Fields not carried over, each reason once with the services it concerns.
    let mut by_reason: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
    for (id, fields) in &report.dropped {
        for f in fields {
            by_reason
                .entry((f.field.as_str(), f.reason.as_str()))
                .or_default()
                .push(id.as_str());
        }
    }
    if !by_reason.is_empty() {
        line(&mut out, "fields not imported:");
        for ((field, reason), ids) in &by_reason {
            let mut ids: Vec<&str> = ids.clone();
            ids.dedup();
            let who = if ids.len() > 5 {
                format!("{}, … ({} services)", ids[..5].join(", "), ids.len())
            } else {
                ids.join(", ")
            };
            line(&mut out, &format!("  {field} ({who}): {reason}"));
        }
    }
    for (id, fields) in &report.to_fill {
        line(
            &mut out,
            &format!("{id}: fill in or review {}", fields.join(", ")),
        );
    }
    let services =
        report.written.len() + report.updated.len() + report.kept.len() + report.unchanged.len();
    line(
        &mut out,
        &format!(
            "{} read: {} new, {} updated, {} differing and kept, {} unchanged; {} not imported; {}",
            plural(services, "service", "services"),
            report.written.len(),
            report.updated.len(),
            report.kept.len(),
            report.unchanged.len(),
            plural(report.skipped.len(), "record", "records"),
            diag::summary_line(&report.diagnostics)
        ),
    );
    if !report.written.is_empty() || !report.updated.is_empty() {
        line(
            &mut out,
            "run `scopemap validate` to see what the imported files still need",
        );
    }
    out
}

fn change_line(c: &Change) -> String {
    match &c.old {
        Some(old) => format!("{}: {old} → {}", c.field, c.new),
        None => format!("{}: (not stated) → {}", c.field, c.new),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("Community Counselling"), "community-counselling");
        assert_eq!(slug("  Café & Crèche!! "), "cafe-and-creche");
        assert_eq!(slug("Parents' Group"), "parents-group");
        assert_eq!(slug("✓✓✓"), "service");
        let long = slug(&"word ".repeat(40));
        assert!(long.len() <= 80 && !long.ends_with('-'));
    }

    #[test]
    fn unique_ids_get_suffixes() {
        let mut used = BTreeSet::new();
        assert_eq!(unique_id("a", &mut used), "a");
        assert_eq!(unique_id("a", &mut used), "a-2");
        assert_eq!(unique_id("a", &mut used), "a-3");
        let long = "x".repeat(80);
        assert_eq!(unique_id(&long, &mut used), long);
        let second = unique_id(&long, &mut used);
        assert_eq!(second.len(), 80);
        assert!(second.ends_with("-2"));
    }
}
