//! Hex tile maps of a region's areas: one small map per category, each tile coloured and
//! lettered by the area's rating and linked to the area's page. Tile positions come from
//! the region file (`hex: {q, r}`, odd rows shifted right).
//!
//! Each tile carries its own focus ring, shown by the stylesheet while the tile's link has
//! focus: a dark band on the tile's edge and a yellow band inside it, so that one of the
//! two stands out (at least 3:1) against any fill and against the page. The theme's
//! `hexmap.js` makes each map one stop in the tab order, with the arrow keys moving between
//! its tiles.

use super::escape::html as escape_html;
use crate::analyse::Cell;

const RADIUS: f64 = 17.0;

#[derive(Debug, Clone)]
pub struct Tile {
    pub name: String,
    pub short: String,
    pub href: String,
    pub q: i32,
    pub r: i32,
}

/// Initials of an area name for its tile ("Southport & Formby" → "SF").
pub fn initials(name: &str) -> String {
    let words: Vec<&str> = name
        .split(|c: char| c.is_whitespace() || c == '-' || c == ',')
        .filter(|w| {
            !w.is_empty() && !["and", "&", "with", "of"].contains(&w.to_lowercase().as_str())
        })
        .collect();
    if words.len() == 1 {
        return words[0].chars().take(3).collect();
    }
    words
        .iter()
        .filter_map(|w| w.chars().next())
        .map(|c| c.to_ascii_uppercase())
        .take(3)
        .collect()
}

fn centre(q: i32, r: i32, min_q: i32, min_r: i32) -> (f64, f64) {
    let w = 3f64.sqrt() * RADIUS;
    let shift = if r.rem_euclid(2) == 1 { w / 2.0 } else { 0.0 };
    let x = w * (q - min_q) as f64 + shift + w / 2.0 + 2.0;
    let y = 1.5 * RADIUS * (r - min_r) as f64 + RADIUS + 2.0;
    (x, y)
}

/// The corners of a hexagon centred on (x, y), `radius` from the centre to each corner.
fn hexagon(x: f64, y: f64, radius: f64) -> String {
    (0..6)
        .map(|i| {
            let angle = std::f64::consts::PI / 180.0 * (60.0 * i as f64 - 30.0);
            format!(
                "{:.1},{:.1}",
                x + radius * angle.cos(),
                y + radius * angle.sin()
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where each tile of a set goes, worked out once for all the maps drawn from the set: a
/// region page draws a dozen maps of the same tiles.
pub struct Layout<'t> {
    tiles: &'t [Tile],
    /// Per tile: the hexagon's corners, the label's x and the label's y.
    places: Vec<(String, String, String)>,
    /// Per tile: the corners of the inner band of its focus ring.
    rings: Vec<String>,
    width: f64,
    height: f64,
}

impl<'t> Layout<'t> {
    pub fn new(tiles: &'t [Tile]) -> Layout<'t> {
        let min_q = tiles.iter().map(|t| t.q).min().unwrap_or(0);
        let min_r = tiles.iter().map(|t| t.r).min().unwrap_or(0);
        let centres: Vec<(f64, f64)> = tiles
            .iter()
            .map(|t| centre(t.q, t.r, min_q, min_r))
            .collect();
        let max_x = centres.iter().map(|c| c.0).fold(0.0, f64::max);
        let max_y = centres.iter().map(|c| c.1).fold(0.0, f64::max);
        Layout {
            tiles,
            places: centres
                .iter()
                .map(|&(x, y)| {
                    (
                        hexagon(x, y, RADIUS - 1.0),
                        format!("{x:.1}"),
                        format!("{:.1}", y + 4.0),
                    )
                })
                .collect(),
            rings: centres
                .iter()
                .map(|&(x, y)| hexagon(x, y, RADIUS - 4.0))
                .collect(),
            width: max_x + 3f64.sqrt() * RADIUS / 2.0 + 4.0,
            height: max_y + RADIUS + 2.0,
        }
    }
}

/// Each tile's rating, and for a tile whose rating is still awaited, its awaiting label.
pub type MapCells<'a> = (&'a [Option<Cell>], &'a [Option<String>]);

/// One map. `cells` gives each tile's rating, or the label of a rating still awaiting its
/// return (same order as the layout's tiles); `None` draws the tile with the area's initials
/// instead of a rating, as a key to the other maps.
pub fn hex_map(layout: &Layout, cells: Option<MapCells>, title: &str) -> String {
    if layout.tiles.is_empty() {
        return String::new();
    }
    let (w, h) = (layout.width, layout.height);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w:.0} {h:.0}\" width=\"{w:.0}\" height=\"{h:.0}\" role=\"group\" aria-label=\"{}\" class=\"hexmap\">",
        escape_html(title)
    );
    for (i, ((tile, (corners, x, y)), ring)) in layout
        .tiles
        .iter()
        .zip(&layout.places)
        .zip(&layout.rings)
        .enumerate()
    {
        let cell = cells.and_then(|c| c.0.get(i)).and_then(|c| c.as_ref());
        // The awaiting label, for a tile whose rating has not been returned yet.
        let awaited = cells.and_then(|c| c.1.get(i)).and_then(Option::as_ref);
        let (fill, text, letter, words) = match (cells, cell) {
            (None, _) => (
                "#FFFFFF".to_string(),
                "#212B32".to_string(),
                tile.short.clone(),
                // The visible initials must be part of the link's name (WCAG 2.5.3).
                format!("{}, marked {}", tile.name, tile.short),
            ),
            (Some(_), Some(c)) => (
                c.fill.clone(),
                c.text.clone(),
                c.code.clone(),
                format!("{}: {} ({})", tile.name, c.label, c.code),
            ),
            // Awaited: white, dotted outline and an ellipsis, unlike any rating.
            (Some(_), None) if awaited.is_some() => (
                "#FFFFFF".into(),
                "#4C6272".into(),
                "…".into(),
                format!("{}: {}", tile.name, awaited.map_or("", String::as_str)),
            ),
            (Some(_), None) => (
                "#FFFFFF".into(),
                "#4C6272".into(),
                "–".into(),
                format!("{}: not rated", tile.name),
            ),
        };
        let dash = if awaited.is_some() && cell.is_none() {
            " stroke-dasharray=\"3 2\""
        } else {
            ""
        };
        svg.push_str(&format!(
            "<a href=\"{}\" aria-label=\"{}\"><title>{}</title><polygon class=\"tile\" points=\"{corners}\" fill=\"{}\" stroke=\"#4C6272\" stroke-width=\"1\"{dash}/><text x=\"{x}\" y=\"{y}\" text-anchor=\"middle\" font-size=\"{}\" font-family=\"Arial, Helvetica, sans-serif\" font-weight=\"bold\" fill=\"{}\">{}</text><polygon class=\"ring\" points=\"{ring}\" fill=\"none\" stroke=\"#FFEB3B\" stroke-width=\"3\" visibility=\"hidden\"/></a>",
            escape_html(&tile.href),
            escape_html(&words),
            escape_html(&words),
            escape_html(&fill),
            if cells.is_none() { 10 } else { 12 },
            escape_html(&text),
            escape_html(&letter),
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_skip_joining_words() {
        assert_eq!(initials("Southport & Formby"), "SF");
        assert_eq!(initials("Blackburn with Darwen"), "BD");
        assert_eq!(initials("Wirral"), "Wir");
    }
}
