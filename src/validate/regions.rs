//! Rules for region files: areas, the years they are in use, lineage and map tiles.

use super::common::{check_id, check_text, check_unique};
use super::path_of;
use crate::diag::{Diagnostic, nearest};
use crate::model::Dataset;
use crate::model::vocab::AreaKind;

pub fn check(ds: &Dataset, out: &mut Vec<Diagnostic>) {
    for loaded in ds.regions() {
        let file = path_of(ds, loaded.source);
        let region = &loaded.value;
        check_id(file, &region.id, "region", out);
        check_text(file, &region.name, "name", out);
        let stem = file
            .rsplit('/')
            .next()
            .unwrap_or("")
            .trim_end_matches(".yaml")
            .trim_end_matches(".yml");
        if stem != region.id.value {
            out.push(
                Diagnostic::error(
                    "E015",
                    file,
                    format!(
                        "the region id `{}` does not match the file name `{stem}`",
                        region.id.value
                    ),
                )
                .at_value(&region.id, region.id.value.chars().count())
                .help(format!(
                    "rename the file to `{}.yaml` or set `id: {stem}`",
                    region.id.value
                )),
            );
        }
        for area in &region.areas {
            check_id(file, &area.id, "area", out);
            check_text(file, &area.name, "name", out);
            super::common::check_value::<AreaKind>(file, &area.kind, out);
            if let (Some(from), Some(until)) = (&area.in_use.from, &area.in_use.until)
                && until.value < from.value
            {
                out.push(
                    Diagnostic::error("E043", file, format!("area `{}` is in use until {} but only from {}", area.id.value, until.value, from.value))
                        .at_value(until, 4)
                        .help("`in_use.until` is the last year the area is used; it must not be before `from`"),
                );
            }
            for pred in &area.succeeds {
                if !region.areas.iter().any(|a| a.id.value == pred.value) {
                    let mut d = Diagnostic::error(
                        "E026",
                        file,
                        format!(
                            "area `{}` succeeds `{}`, which is not an area of {}",
                            area.id.value, pred.value, region.name.value
                        ),
                    )
                    .at_value(pred, pred.value.chars().count());
                    d = match nearest(
                        &pred.value,
                        region.areas.iter().map(|a| a.id.value.as_str()),
                    ) {
                        Some(near) => d.help(format!("did you mean `{near}`?")),
                        None => {
                            d.help("list the ids of areas of this region that this area replaced")
                        }
                    };
                    out.push(d);
                } else if pred.value == area.id.value {
                    out.push(
                        Diagnostic::error(
                            "E026",
                            file,
                            format!("area `{}` lists itself in `succeeds`", area.id.value),
                        )
                        .at_value(pred, pred.value.len())
                        .help("remove it"),
                    );
                }
            }
        }
        check_hex_overlaps(file, region, out);
    }
    let ids = ds.regions().iter().flat_map(|r| {
        let file = path_of(ds, r.source);
        r.value.areas.iter().map(move |a| (file, &a.id))
    });
    check_unique(ids, "area", out);
    check_unique(
        ds.regions()
            .iter()
            .map(|r| (path_of(ds, r.source), &r.value.id)),
        "region",
        out,
    );
}

/// Two areas in use in the same year must not share a map tile.
fn check_hex_overlaps(file: &str, region: &crate::model::Region, out: &mut Vec<Diagnostic>) {
    for (i, a) in region.areas.iter().enumerate() {
        for b in &region.areas[i + 1..] {
            let (Some(ha), Some(hb)) = (a.hex, b.hex) else {
                continue;
            };
            if ha != hb {
                continue;
            }
            let overlap_from = a
                .in_use
                .from
                .as_ref()
                .map(|y| y.value)
                .max(b.in_use.from.as_ref().map(|y| y.value));
            let a_until = a.in_use.until.as_ref().map(|y| y.value).unwrap_or(u16::MAX);
            let b_until = b.in_use.until.as_ref().map(|y| y.value).unwrap_or(u16::MAX);
            if overlap_from.unwrap_or(0) <= a_until.min(b_until) {
                out.push(
                    Diagnostic::warning(
                        "W045",
                        file,
                        format!(
                            "areas `{}` and `{}` share the map tile q={} r={}",
                            a.id.value, b.id.value, ha.q, ha.r
                        ),
                    )
                    .at_value(&b.id, b.id.value.chars().count())
                    .help("give each area in use in the same year its own `hex:` position"),
                );
            }
        }
    }
}
