//! The annual cycle: scaffolding next year's returns from the last confirmed ratings.
//!
//! In: a validated `Dataset`, a year and a region. Out: the text of one new return per area
//! in use that year, with the status `awaiting-return`. A category is pre-filled, marked
//! `carried_forward` with the year and area it came from, only when the last confirmed
//! ratings along the area's lineage agree; when predecessors differ, the rating is left
//! unset and each predecessor's rating, note and evidence is listed as context. Nothing is
//! averaged or reduced to a minimum. Writing the files is done by `write_new_year`, which
//! never replaces a return.

mod status;

pub use status::{RegionTracker, TrackedArea, region_tracker, render_tracker, tracker};

use crate::analyse::{Earlier, Lineage};
use crate::diag::Failure;
use crate::model::vocab::{SubmissionStatus, Vocabulary};
use crate::model::yaml::{Lead, Writer};
use crate::model::{Area, Dataset, Region};
use std::path::{Path, PathBuf};

/// What `new-year` did for each area.
#[derive(Debug, Default)]
pub struct NewYearOutcome {
    pub written: Vec<PathBuf>,
    /// Returns that already existed and were left alone.
    pub kept: Vec<PathBuf>,
}

/// What `new-year` writes for one category.
enum Carried<'a> {
    /// Nothing confirmed to carry forward.
    Nothing,
    /// One rating, from the area's own return or from predecessors that agree.
    Agreed(Vec<Earlier<'a>>),
    /// Predecessors rated differently: no rating, each one kept as context.
    Differ(Vec<Earlier<'a>>),
}

fn carried<'a>(lineage: &Lineage<'a>, area: &Area, category: &str, year: u16) -> Carried<'a> {
    let found = lineage.last_confirmed(&area.id.value, category, year);
    match found.first() {
        None => Carried::Nothing,
        Some(first) if found.iter().all(|e| e.code() == first.code()) => Carried::Agreed(found),
        Some(_) => Carried::Differ(found),
    }
}

/// `note: "…"` keeping each source's note; several different notes each name their area.
fn carried_note(sources: &[Earlier]) -> Option<String> {
    let notes: Vec<(&str, &str)> = sources
        .iter()
        .filter_map(|e| {
            e.entry
                .note
                .as_ref()
                .map(|n| (e.area.name.value.as_str(), n.value.as_str()))
        })
        .collect();
    let (_, first) = notes.first()?;
    if notes.iter().all(|(_, n)| n == first) {
        return Some(first.to_string());
    }
    Some(
        notes
            .iter()
            .map(|(area, note)| format!("{area}: {note}"))
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// Evidence ids of every source, each once, in order.
fn carried_evidence(sources: &[Earlier]) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for e in sources {
        for id in &e.entry.evidence {
            if !ids.contains(&id.value) {
                ids.push(id.value.clone());
            }
        }
    }
    ids
}

/// The text of a new return for `area` in `year`, awaiting its form.
pub fn scaffold(ds: &Dataset, region: &Region, area: &Area, year: u16) -> String {
    let mut w = Writer::default();
    let lineage = Lineage::of(ds, region, area);
    let header = [
        format!(
            "Return for {} in {year}, made by `scopemap new-year`: awaiting the area's form.",
            area.name.value
        ),
        format!("Nothing here is published as a {year} rating. Ratings marked carried_forward are"),
        "copied from the last confirmed return named under carried_from. `scopemap import`".into(),
        "replaces this file with the filled form; by hand, confirm or change each rating,".into(),
        "delete its carried_forward and carried_from lines and set the status to received.".into(),
    ];
    for line in &header {
        w.comment(0, line);
    }
    w.plain(0, "year", year);
    w.string(0, "region", &region.id.value);
    w.string(0, "area", &area.id.value);
    w.open(0, "submission");
    w.string(2, "status", SubmissionStatus::AwaitingReturn.code());
    w.string(
        2,
        "note",
        "The form for this year has not been returned yet.",
    );
    let Some(fw) = ds.framework() else {
        w.empty_map(0, "ratings");
        return w.finish();
    };
    let plan: Vec<(&str, Carried)> = fw
        .categories_in(year)
        .into_iter()
        .map(|c| {
            (
                c.id.value.as_str(),
                carried(&lineage, area, &c.id.value, year),
            )
        })
        .collect();
    if plan.iter().any(|(_, c)| matches!(c, Carried::Agreed(_))) {
        w.open(0, "ratings");
    } else {
        w.empty_map(0, "ratings");
    }
    for (id, what) in &plan {
        match what {
            Carried::Nothing => {
                // Left out, so `validate` asks for it once the form is back.
                w.comment(
                    2,
                    &format!("{id}: no earlier confirmed rating to carry forward"),
                );
            }
            Carried::Differ(_) => {
                w.comment(
                    2,
                    &format!(
                        "{id}: the predecessors were rated differently (see predecessor_ratings); no rating is carried forward"
                    ),
                );
            }
            Carried::Agreed(sources) => {
                w.open(2, id);
                w.string(4, "rating", &sources[0].code());
                w.optional(4, "note", carried_note(sources).as_deref());
                let evidence = carried_evidence(sources);
                if !evidence.is_empty() {
                    w.inline_list(4, "evidence", &evidence);
                }
                w.plain(4, "carried_forward", true);
                w.open(4, "carried_from");
                for e in sources {
                    w.plain(Lead::Item(6), "year", e.year());
                    w.string(8, "area", &e.area.id.value);
                }
            }
        }
    }
    let differing: Vec<(&str, &Vec<Earlier>)> = plan
        .iter()
        .filter_map(|(id, c)| match c {
            Carried::Differ(sources) => Some((*id, sources)),
            _ => None,
        })
        .collect();
    if !differing.is_empty() {
        w.open(0, "predecessor_ratings");
        for (id, sources) in differing {
            w.open(2, id);
            for e in sources {
                w.string(Lead::Item(4), "area", &e.area.id.value);
                w.plain(6, "year", e.year());
                w.string(6, "rating", &e.code());
                w.optional(6, "note", e.entry.note.as_ref().map(|n| n.value.as_str()));
                let evidence: Vec<String> =
                    e.entry.evidence.iter().map(|i| i.value.clone()).collect();
                if !evidence.is_empty() {
                    w.inline_list(6, "evidence", &evidence);
                }
            }
        }
    }
    w.finish()
}

/// Write new returns for every area of `region` in use in `year`; existing files are kept.
pub fn write_new_year(
    ds: &Dataset,
    data_dir: &Path,
    region_id: &str,
    year: u16,
) -> Result<NewYearOutcome, Failure> {
    let region = ds.region(region_id).ok_or_else(|| {
        Failure::new(format!(
            "unknown region `{region_id}`: use an id from scoping-data/regions/"
        ))
    })?;
    let areas = region.areas_in(year);
    if areas.is_empty() {
        return Err(Failure::new(format!(
            "no area of `{region_id}` is in use in {year}; check the `in_use` years in its region file"
        )));
    }
    let folder = data_dir
        .join("returns")
        .join(year.to_string())
        .join(region_id);
    std::fs::create_dir_all(&folder).map_err(|e| Failure::io("create", &folder, &e))?;
    let mut outcome = NewYearOutcome::default();
    for area in areas {
        let path = folder.join(format!("{}.yaml", area.id.value));
        let text = scaffold(ds, region, area, year);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                use std::io::Write as _;
                file.write_all(text.as_bytes())
                    .map_err(|e| Failure::io("write", &path, &e))?;
                outcome.written.push(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => outcome.kept.push(path),
            Err(e) => return Err(Failure::io("create", &path, &e)),
        }
    }
    Ok(outcome)
}
