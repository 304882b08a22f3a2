//! The returns tracker: where each area's return for a year stands.
//!
//! In: a loaded `Dataset`, a year and optionally a region id. Out: for each region, the
//! areas in use that year sorted into returned, rated without a form, returned with
//! ratings still unconfirmed, awaiting their form, and with no return file at all, each
//! with the path of its file; and the same as plain text for `scopemap status`.

use crate::diag::Failure;
use crate::model::{Dataset, Region, Return};
use serde::Serialize;

/// One area's line in the tracker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrackedArea {
    pub area_id: String,
    pub area_name: String,
    /// The return's path under the site root; empty when there is no return file.
    pub path: String,
    /// Categories whose rating is carried forward and not yet confirmed.
    pub unconfirmed: Vec<String>,
}

/// Where one region's returns for a year stand.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RegionTracker {
    pub region_id: String,
    pub region_name: String,
    pub year: u16,
    /// Forms that came back, every rating confirmed.
    pub returned: Vec<TrackedArea>,
    /// Rated by the network without a form (`not-received`, `not-listed`).
    pub rated_without_form: Vec<TrackedArea>,
    /// Returned, but with ratings still carried forward and unconfirmed.
    pub unconfirmed: Vec<TrackedArea>,
    /// Made by `new-year`, the form not back yet.
    pub awaiting: Vec<TrackedArea>,
    /// Areas in use that year with no return file.
    pub missing: Vec<TrackedArea>,
}

impl RegionTracker {
    pub fn areas(&self) -> usize {
        self.returned.len()
            + self.rated_without_form.len()
            + self.unconfirmed.len()
            + self.awaiting.len()
            + self.missing.len()
    }
}

/// The tracker of `region` for `year`.
pub fn region_tracker(ds: &Dataset, region: &Region, year: u16) -> RegionTracker {
    let mut t = RegionTracker {
        region_id: region.id.value.clone(),
        region_name: region.name.value.clone(),
        year,
        ..Default::default()
    };
    let returns: Vec<(&Return, String)> = ds
        .returns
        .iter()
        .filter(|r| r.value.year.value == year && r.value.region.value == region.id.value)
        .map(|r| {
            let path = ds
                .sources
                .get(r.source)
                .map(|s| s.path.clone())
                .unwrap_or_default();
            (&r.value, path)
        })
        .collect();
    for area in region.areas_in(year) {
        let found = returns.iter().find(|(r, _)| r.area.value == area.id.value);
        let mut line = TrackedArea {
            area_id: area.id.value.clone(),
            area_name: area.name.value.clone(),
            path: found.map(|(_, p)| p.clone()).unwrap_or_default(),
            unconfirmed: Vec::new(),
        };
        let Some((ret, _)) = found else {
            t.missing.push(line);
            continue;
        };
        if ret.is_awaiting() {
            t.awaiting.push(line);
            continue;
        }
        line.unconfirmed = ret
            .ratings
            .iter()
            .filter(|(_, e)| e.value.carried_forward)
            .map(|(k, _)| k.value.clone())
            .collect();
        if !line.unconfirmed.is_empty() {
            t.unconfirmed.push(line);
        } else if ret.was_received() {
            t.returned.push(line);
        } else {
            t.rated_without_form.push(line);
        }
    }
    t
}

/// The trackers of every region, or of the one named, for `year`.
pub fn tracker(
    ds: &Dataset,
    year: u16,
    region_id: Option<&str>,
) -> Result<Vec<RegionTracker>, Failure> {
    let regions: Vec<&Region> = match region_id {
        Some(id) => vec![ds.region(id).ok_or_else(|| {
            let known: Vec<&str> = ds
                .regions()
                .iter()
                .map(|r| r.value.id.value.as_str())
                .collect();
            Failure::new(format!(
                "unknown region `{id}`; known regions: {}",
                known.join(", ")
            ))
        })?],
        None => ds.regions().iter().map(|r| &r.value).collect(),
    };
    Ok(regions
        .into_iter()
        .map(|r| region_tracker(ds, r, year))
        .collect())
}

/// The trackers as text, region by region.
pub fn render_tracker(trackers: &[RegionTracker]) -> String {
    let mut out = String::new();
    for t in trackers {
        out.push_str(&format!(
            "{}, {}: {} of {} areas returned, {} awaiting, {} with unconfirmed ratings\n",
            t.region_name,
            t.year,
            t.returned.len(),
            t.areas(),
            t.awaiting.len(),
            t.unconfirmed.len()
        ));
        let groups: [(&str, &Vec<TrackedArea>); 5] = [
            ("returned", &t.returned),
            ("rated without a form", &t.rated_without_form),
            ("returned, ratings unconfirmed", &t.unconfirmed),
            ("awaiting return", &t.awaiting),
            ("no return file (run `scopemap new-year`)", &t.missing),
        ];
        for (title, areas) in groups {
            if areas.is_empty() {
                continue;
            }
            out.push_str(&format!("  {title}:\n"));
            for a in areas {
                let mut line = format!("    {}", a.area_name);
                if !a.path.is_empty() {
                    line.push_str(&format!("  {}", a.path));
                }
                if !a.unconfirmed.is_empty() {
                    line.push_str(&format!("  (unconfirmed: {})", a.unconfirmed.join(", ")));
                }
                out.push_str(crate::diag::visible(&line).as_ref());
                out.push('\n');
            }
        }
    }
    out
}
