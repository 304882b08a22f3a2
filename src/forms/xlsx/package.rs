//! Finding the parts of a workbook: the workbook itself, the sheets a form uses, the
//! shared strings and the styles.
//!
//! In: `Parts` and the names of the sheets wanted. Out: a `Package` with the date system,
//! the part of each wanted sheet that exists (an exact name before one differing only in
//! case), and the parts of the shared strings and styles. Only the entries wanted are kept,
//! so a workbook listing a million sheets or relationships costs no memory.

use super::ReadError;
use super::part::Parts;
use super::xml::attr;
use quick_xml::events::Event;

pub struct Package {
    /// Whether day numbers count from 1904 rather than 1900.
    pub date1904: bool,
    /// (wanted name, part) for each wanted sheet the workbook has.
    pub sheets: Vec<(String, String)>,
    pub shared_strings: Option<String>,
    pub styles: Option<String>,
}

struct Relationship {
    id: String,
    /// The last segment of its type, e.g. `worksheet`.
    kind: String,
    /// The part it points at, from the root of the zip.
    target: String,
}

pub fn read(parts: &mut Parts, wanted: &[&str]) -> Result<Package, ReadError> {
    let package_rels = relationships(parts, "_rels/.rels", "", &|_, kind| {
        kind == "officeDocument"
    })?;
    let workbook = package_rels
        .into_iter()
        .next()
        .map(|r| r.target)
        .unwrap_or_else(|| "xl/workbook.xml".to_string());
    let (date1904, sheet_ids) = read_workbook(parts, &workbook, wanted)?;
    let (folder, file) = workbook.rsplit_once('/').unwrap_or(("", &workbook));
    let folder = if folder.is_empty() {
        String::new()
    } else {
        format!("{folder}/")
    };
    let rels = relationships(
        parts,
        &format!("{folder}_rels/{file}.rels"),
        &folder,
        &|id, kind| {
            matches!(kind, "sharedStrings" | "styles")
                || sheet_ids.iter().any(|(_, wanted_id)| wanted_id == id)
        },
    )?;
    let target_of = |kind: &str, default: &str| {
        rels.iter()
            .find(|r| r.kind == kind)
            .map(|r| r.target.clone())
            .or_else(|| {
                let conventional = format!("{folder}{default}");
                parts.find(&conventional).map(|_| conventional)
            })
    };
    let shared_strings = target_of("sharedStrings", "sharedStrings.xml");
    let styles = target_of("styles", "styles.xml");
    let sheets = sheet_ids
        .iter()
        .filter_map(|(name, id)| {
            rels.iter()
                .find(|r| &r.id == id && r.kind == "worksheet")
                .map(|r| (name.clone(), r.target.clone()))
        })
        .collect();
    Ok(Package {
        date1904,
        sheets,
        shared_strings,
        styles,
    })
}

/// The relationships of a `.rels` part that `keep(id, kind)` wants; none when the part is
/// missing.
fn relationships(
    parts: &mut Parts,
    path: &str,
    base: &str,
    keep: &dyn Fn(&str, &str) -> bool,
) -> Result<Vec<Relationship>, ReadError> {
    let Some(index) = parts.find(path) else {
        return Ok(Vec::new());
    };
    let mut xml = parts.xml(index, path)?;
    let mut found = Vec::new();
    let mut buf = Vec::new();
    loop {
        match xml.event(&mut buf)? {
            Event::Start(e) if e.local_name().as_ref() == "Relationship" => {
                if attr(&e, "TargetMode")?.is_some_and(|m| m == "External") {
                    continue;
                }
                let id = attr(&e, "Id")?.unwrap_or_default();
                let kind = attr(&e, "Type")?.unwrap_or_default();
                let kind = kind.rsplit('/').next().unwrap_or_default();
                if keep(&id, kind) {
                    let target = attr(&e, "Target")?.unwrap_or_default();
                    found.push(Relationship {
                        id,
                        kind: kind.to_string(),
                        target: resolve(base, &target),
                    });
                }
            }
            Event::Eof => return Ok(found),
            _ => {}
        }
    }
}

/// The date system and the relationship id of each wanted sheet found.
fn read_workbook(
    parts: &mut Parts,
    path: &str,
    wanted: &[&str],
) -> Result<(bool, Vec<(String, String)>), ReadError> {
    let Some(index) = parts.find(path) else {
        return Err(ReadError::Unreadable(format!(
            "it has no workbook part (`{}`); save it from Excel as \"Excel Workbook (.xlsx)\"",
            super::shown(path)
        )));
    };
    let mut xml = parts.xml(index, path)?;
    let mut date1904 = false;
    let mut exact: Vec<Option<String>> = vec![None; wanted.len()];
    let mut loose: Vec<Option<String>> = vec![None; wanted.len()];
    let mut buf = Vec::new();
    loop {
        match xml.event(&mut buf)? {
            Event::Start(e) if e.local_name().as_ref() == "workbookPr" => {
                date1904 = attr(&e, "date1904")?.is_some_and(|v| v == "1" || v == "true");
            }
            Event::Start(e) if e.local_name().as_ref() == "sheet" => {
                let name = attr(&e, "name")?.unwrap_or_default();
                for (i, w) in wanted.iter().enumerate() {
                    if exact[i].is_none() && name == *w {
                        exact[i] = attr(&e, "id")?;
                    } else if loose[i].is_none() && name.eq_ignore_ascii_case(w) {
                        loose[i] = attr(&e, "id")?;
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let sheets = wanted
        .iter()
        .zip(exact.into_iter().zip(loose))
        .filter_map(|(w, (exact, loose))| exact.or(loose).map(|id| (w.to_string(), id)))
        .collect();
    Ok((date1904, sheets))
}

/// A relationship's target as a path from the root of the zip: relative to the folder of
/// the part that names it, or from the root when it starts with `/`.
fn resolve(base: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("{base}{target}"),
    };
    let mut segments: Vec<&str> = Vec::new();
    for segment in joined.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    segments.join("/")
}

#[cfg(test)]
mod tests {
    use super::resolve;

    #[test]
    fn targets_resolve_from_the_folder_of_their_part() {
        assert_eq!(
            resolve("xl/", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            resolve("xl/", "/xl/worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(resolve("xl/", "../xl/./styles.xml"), "xl/styles.xml");
        assert_eq!(resolve("", "xl/workbook.xml"), "xl/workbook.xml");
    }
}
