//! Page numbers for a printed report's contents page.
//!
//! In: a PDF Chromium printed, and the report page it printed. Out: the page each section
//! starts on, read from the PDF's named destinations (Chromium writes one per element id),
//! and a copy of the page with those numbers written into its contents list. Chromium
//! cannot number a contents page itself (CSS `target-counter` is not supported), so the
//! report is printed once to learn the pages, then again with the numbers in place.

use crate::diag::Failure;
use std::collections::BTreeMap;
use std::path::Path;

/// The page (from 1) of every named destination in `pdf`, by name.
pub fn destination_pages(pdf: &Path) -> Result<BTreeMap<String, u32>, Failure> {
    let doc = lopdf::Document::load(pdf).map_err(|e| {
        Failure::new(format!(
            "cannot read the printed PDF {}: {e}",
            pdf.display()
        ))
    })?;
    let page_of: BTreeMap<lopdf::ObjectId, u32> =
        doc.get_pages().into_iter().map(|(n, id)| (id, n)).collect();
    let mut out = BTreeMap::new();
    let catalog = doc
        .catalog()
        .map_err(|e| Failure::new(format!("the printed PDF has no catalog: {e}")))?;
    // Destinations are either a dictionary under /Dests (PDF 1.1) or a name tree under
    // /Names /Dests (PDF 1.2 on); Chromium's versions have used both.
    if let Ok((_, dests)) = catalog.get(b"Dests").and_then(|d| doc.dereference(d))
        && let Ok(dict) = dests.as_dict()
    {
        for (name, dest) in dict.iter() {
            if let Some(page) = dest_page(&doc, dest, &page_of) {
                out.insert(String::from_utf8_lossy(name).into_owned(), page);
            }
        }
    }
    if let Ok(names) = catalog.get(b"Names").and_then(|n| doc.dereference(n))
        && let Ok(tree) = names
            .1
            .as_dict()
            .and_then(|d| d.get(b"Dests"))
            .and_then(|t| doc.dereference(t))
    {
        walk_name_tree(&doc, tree.1, &page_of, &mut out, 0);
    }
    Ok(out)
}

fn walk_name_tree(
    doc: &lopdf::Document,
    node: &lopdf::Object,
    page_of: &BTreeMap<lopdf::ObjectId, u32>,
    out: &mut BTreeMap<String, u32>,
    depth: usize,
) {
    // A tree deeper than this is malformed; stop rather than loop.
    if depth > 32 {
        return;
    }
    let Ok(dict) = node.as_dict() else { return };
    if let Ok(pairs) = dict.get(b"Names").and_then(|n| n.as_array()) {
        for pair in pairs.chunks(2) {
            if let [name, dest] = pair
                && let Ok(name) = name.as_str()
                && let Some(page) = dest_page(doc, dest, page_of)
            {
                out.insert(String::from_utf8_lossy(name).into_owned(), page);
            }
        }
    }
    if let Ok(kids) = dict.get(b"Kids").and_then(|k| k.as_array()) {
        for kid in kids {
            if let Ok((_, kid)) = doc.dereference(kid) {
                walk_name_tree(doc, kid, page_of, out, depth + 1);
            }
        }
    }
}

/// The page a destination points to: `[page /XYZ …]`, or a dictionary with it under /D.
fn dest_page(
    doc: &lopdf::Document,
    dest: &lopdf::Object,
    page_of: &BTreeMap<lopdf::ObjectId, u32>,
) -> Option<u32> {
    let (_, dest) = doc.dereference(dest).ok()?;
    let array = match dest.as_dict() {
        Ok(d) => doc.dereference(d.get(b"D").ok()?).ok()?.1.as_array().ok()?,
        Err(_) => dest.as_array().ok()?,
    };
    let page = array.first()?.as_reference().ok()?;
    page_of.get(&page).copied()
}

/// The empty page-number slot the report template writes for a contents entry.
fn slot(id: &str) -> String {
    format!("<span class=\"toc-page\" data-for=\"{id}\"></span>")
}

/// The report page with each contents entry's page number written in, and the ids of
/// entries whose section the PDF does not show (none, unless the page was changed).
pub fn with_page_numbers(html: &str, pages: &BTreeMap<String, u32>) -> (String, Vec<String>) {
    let mut out = html.to_string();
    let mut missing = Vec::new();
    for id in slot_ids(html) {
        let filled = match pages.get(&id) {
            Some(n) => format!("<span class=\"toc-page\" data-for=\"{id}\">{n}</span>"),
            None => {
                missing.push(id.clone());
                continue;
            }
        };
        out = out.replacen(&slot(&id), &filled, 1);
    }
    (out, missing)
}

/// The ids of the contents entries, in order.
fn slot_ids(html: &str) -> Vec<String> {
    const OPEN: &str = "<span class=\"toc-page\" data-for=\"";
    html.match_indices(OPEN)
        .filter_map(|(at, _)| {
            let rest = &html[at + OPEN.len()..];
            rest.find('"').map(|end| rest[..end].to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_go_into_their_own_slots() {
        let html = "<li><a href=\"#section-a\">1 A</a><span class=\"toc-page\" data-for=\"section-a\"></span></li>\
                    <li><a href=\"#section-b\">2 B</a><span class=\"toc-page\" data-for=\"section-b\"></span></li>";
        let pages = BTreeMap::from([("section-a".to_string(), 3), ("section-b".to_string(), 12)]);
        let (filled, missing) = with_page_numbers(html, &pages);
        assert!(missing.is_empty());
        assert!(
            filled.contains("data-for=\"section-a\">3</span>"),
            "{filled}"
        );
        assert!(
            filled.contains("data-for=\"section-b\">12</span>"),
            "{filled}"
        );
        let (_, missing) = with_page_numbers(html, &BTreeMap::new());
        assert_eq!(missing, vec!["section-a", "section-b"]);
    }
}
