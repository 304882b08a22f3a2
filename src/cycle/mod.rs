//! The annual cycle: scaffolding next year's returns from the latest ratings.
//!
//! In: a validated `Dataset`, a year and a region. Out: the text of one new return per area
//! in use that year, each rating marked `carried_forward` until someone confirms it.
//! Writing the files is done by `write_new_year`, which never replaces a return.

use crate::forms::yaml_quote as quote;
use crate::model::{Area, Dataset, Region, Return};
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// What `new-year` did for each area.
#[derive(Debug, Default)]
pub struct NewYearOutcome {
    pub written: Vec<PathBuf>,
    /// Returns that already existed and were left alone.
    pub kept: Vec<PathBuf>,
}

/// The latest return before `year` for an area.
fn latest_before<'a>(
    ds: &'a Dataset,
    region: &Region,
    area_id: &str,
    year: u16,
) -> Option<&'a Return> {
    ds.returns
        .iter()
        .map(|r| &r.value)
        .filter(|r| {
            r.region.value == region.id.value && r.area.value == area_id && r.year.value < year
        })
        .max_by_key(|r| r.year.value)
}

/// Where an area's carried-forward ratings come from: itself, or the areas it succeeds.
fn sources<'a>(
    ds: &'a Dataset,
    region: &'a Region,
    area: &'a Area,
    year: u16,
) -> Vec<(&'a Area, &'a Return)> {
    if let Some(own) = latest_before(ds, region, &area.id.value, year) {
        return vec![(area, own)];
    }
    area.succeeds
        .iter()
        .filter_map(|p| region.area(&p.value))
        .filter_map(|p| latest_before(ds, region, &p.id.value, year).map(|r| (p, r)))
        .collect()
}

/// The text of a new return for `area` in `year`.
pub fn scaffold(ds: &Dataset, region: &Region, area: &Area, year: u16) -> String {
    let mut out = String::new();
    let from = sources(ds, region, area, year);
    let _ = writeln!(
        out,
        "# Return for {} in {year}, made by `scopemap new-year`.",
        area.name.value
    );
    let _ = writeln!(
        out,
        "# Ratings are carried forward from the latest return; confirm or change each one,"
    );
    let _ = writeln!(out, "# then delete its `carried_forward: true` line.");
    let _ = writeln!(out, "year: {year}");
    let _ = writeln!(out, "region: {}", quote(&region.id.value));
    let _ = writeln!(out, "area: {}", quote(&area.id.value));
    let _ = writeln!(out, "submission:");
    let _ = writeln!(out, "  status: \"not-received\"");
    let _ = writeln!(
        out,
        "  note: {}",
        quote("The form for this year has not been returned yet.")
    );
    let _ = writeln!(out, "ratings:");
    let Some(fw) = ds.framework() else { return out };
    for cat in fw.categories_in(year) {
        let earlier: Vec<(&Area, String)> = from
            .iter()
            .filter_map(|(a, r)| {
                r.rating(&cat.id.value)
                    .map(|e| (*a, e.rating.value.trim().to_ascii_uppercase()))
            })
            .collect();
        if earlier.is_empty() {
            // Nothing to carry forward: leave it out, so `validate` asks for a rating.
            let _ = writeln!(
                out,
                "  # {}: no earlier rating to carry forward; add one",
                cat.id.value
            );
            continue;
        }
        let _ = writeln!(out, "  {}:", cat.id.value);
        match earlier.as_slice() {
            [] => {}
            [(a, code)] => {
                let _ = writeln!(out, "    rating: {}", quote(code));
                let _ = writeln!(
                    out,
                    "    note: {}",
                    quote(&format!("Carried forward from {} ({code}).", a.name.value))
                );
            }
            many => {
                // Predecessors can differ: keep the lowest so no provision is overstated, and
                // name each one so the reader can see it was not averaged.
                let lowest = many
                    .iter()
                    .max_by_key(|(_, c)| fw.rating(c).map(|r| r.rank.value).unwrap_or(0))
                    .map(|(_, c)| c.clone())
                    .unwrap_or_default();
                let names = many
                    .iter()
                    .map(|(a, c)| format!("{} ({c})", a.name.value))
                    .collect::<Vec<_>>()
                    .join(", ");
                let _ = writeln!(out, "    rating: {}", quote(&lowest));
                let _ = writeln!(
                    out,
                    "    note: {}",
                    quote(&format!(
                        "Carried forward across the boundary change from {names}; the lowest is shown."
                    ))
                );
            }
        }
        let _ = writeln!(out, "    carried_forward: true");
    }
    out
}

/// Write new returns for every area of `region` in use in `year`; existing files are kept.
pub fn write_new_year(
    ds: &Dataset,
    data_dir: &Path,
    region_id: &str,
    year: u16,
) -> Result<NewYearOutcome, String> {
    let region = ds.region(region_id).ok_or_else(|| {
        format!("unknown region `{region_id}`: use an id from scoping-data/regions/")
    })?;
    let areas = region.areas_in(year);
    if areas.is_empty() {
        return Err(format!(
            "no area of `{region_id}` is in use in {year}; check the `in_use` years in its region file"
        ));
    }
    let folder = data_dir
        .join("returns")
        .join(year.to_string())
        .join(region_id);
    std::fs::create_dir_all(&folder)
        .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
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
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
                outcome.written.push(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => outcome.kept.push(path),
            Err(e) => return Err(format!("cannot create {}: {e}", path.display())),
        }
    }
    Ok(outcome)
}
