//! Charts drawn with plotters as SVG: a stacked bar of ratings per category for a region,
//! and an area's ratings set against its region's. Each chart carries a title and a text
//! description inside the SVG; the page also shows the same numbers as a table.
//!
//! Each chart is drawn twice: wide, with the labels beside the bars, and narrow (300 units,
//! each label on its own line above its bar) for phones, where the wide one would shrink
//! its text below 12 pixels. The stylesheet shows one of the two (`chart-wide`,
//! `chart-narrow`); the hidden one is hidden from screen readers too.

use crate::analyse::{CategoryCount, Comparison};
use crate::model::Framework;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub(super) const WIDTH: u32 = 760;
pub(super) const LABEL_WIDTH: i32 = 300;
pub(super) const ROW: i32 = 30;
pub(super) const TOP: i32 = 34;
/// The area profile has a line of column headings under its title.
const PROFILE_TOP: i32 = 42;

/// Text sizes as plotters takes them: it draws a size of 15 as 12.1 units of the drawing,
/// which the wide chart shows at 12.1 px on a screen of 800 px or more.
pub(super) const TEXT: u32 = 15;
pub(super) const TITLE: u32 = 18;

/// The narrow drawing: its width, its text size (12.9 units, so 12.4 px even when a 320 px
/// screen shrinks the drawing to 288 px) and the room one line of text takes.
pub(super) const NARROW: u32 = 300;
pub(super) const NARROW_TEXT: u32 = 16;
pub(super) const NARROW_LINE: i32 = 19;
/// About how many characters of that size fit on one line of the narrow drawing.
pub(super) const NARROW_CHARS: usize = 38;
/// The width of one character of a count label, to tell whether a label fits its segment.
pub(super) const NARROW_CHAR_WIDTH: i32 = 8;

pub(super) fn colour(hex: &str) -> RGBColor {
    let n = u32::from_str_radix(hex.trim_start_matches('#'), 16).unwrap_or(0x4C6272);
    RGBColor((n >> 16) as u8, (n >> 8) as u8, n as u8)
}

pub(super) fn font(size: u32, hex: &str) -> TextStyle<'static> {
    ("Arial, Helvetica, sans-serif", size)
        .into_font()
        .color(&colour(hex))
}

/// Text broken into lines of at most `width` characters, at spaces (a longer word stands
/// on a line of its own).
pub(super) fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// The wide and the narrow drawing of one chart, one after the other.
pub(super) fn both(wide: String, narrow: String) -> String {
    format!("{wide}{narrow}")
}

/// Add `role`, `<title>` and `<desc>` so screen readers announce the chart, and the class
/// that says which drawing it is.
pub(super) fn accessible(svg: String, id: &str, title: &str, desc: &str, class: &str) -> String {
    let esc = super::escape::element_text;
    let Some(end) = svg.find('>') else { return svg };
    format!(
        "{} role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" class=\"chart {class}\"><title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>{}",
        &svg[..end],
        esc(title),
        esc(desc),
        &svg[end + 1..]
    )
}

/// One horizontal bar per category, split by rating, with the count in each segment.
pub fn stacked_bar(fw: &Framework, counts: &[CategoryCount], id: &str, title: &str) -> String {
    let height = (TOP + ROW * counts.len() as i32 + 40) as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let bar_width = WIDTH as i32 - LABEL_WIDTH - 20;
        let _ = root.draw(&Text::new(
            title.to_string(),
            (0, 6),
            font(TITLE, "#212B32"),
        ));
        for (i, c) in counts.iter().enumerate() {
            let y = TOP + ROW * i as i32;
            let anchor = Pos::new(HPos::Right, VPos::Center);
            let _ = root.draw(&Text::new(
                c.category_name.clone(),
                (LABEL_WIDTH - 8, y + ROW / 2 - 2),
                font(TEXT, "#212B32").pos(anchor),
            ));
            let mut x = LABEL_WIDTH;
            // The counts are by level, in the framework's order.
            for (level, (code, _, n)) in fw.ratings.iter().zip(&c.counts) {
                if *n == 0 || c.rated == 0 {
                    continue;
                }
                let w = (bar_width as usize * n / c.rated) as i32;
                let _ = root.draw(&Rectangle::new(
                    [(x, y + 3), (x + w, y + ROW - 7)],
                    colour(&level.fill).filled(),
                ));
                let centre = Pos::new(HPos::Center, VPos::Center);
                let _ = root.draw(&Text::new(
                    format!("{code} {n}"),
                    (x + w / 2, y + ROW / 2 - 2),
                    font(TEXT, &level.text).pos(centre),
                ));
                x += w;
            }
        }
        let key_y = TOP + ROW * counts.len() as i32 + 12;
        // The key starts left of the bars, so four ratings' names fit at full size.
        let mut x = LABEL_WIDTH / 2;
        for level in &fw.ratings {
            let _ = root.draw(&Rectangle::new(
                [(x, key_y), (x + 14, key_y + 14)],
                colour(&level.fill).filled(),
            ));
            let _ = root.draw(&Text::new(
                format!("{} {}", level.code.value, level.label.value),
                (x + 18, key_y + 1),
                font(TEXT, "#212B32"),
            ));
            x += 145;
        }
        let _ = root.present();
    }
    let desc = counts
        .iter()
        .map(|c| format!("{}: {}", c.category_name, c.phrase))
        .collect::<Vec<_>>()
        .join("; ");
    both(
        accessible(svg, id, title, &desc, "chart-wide"),
        accessible(
            stacked_bar_narrow(fw, counts, title),
            &format!("{id}-narrow"),
            title,
            &desc,
            "chart-narrow",
        ),
    )
}

/// The stacked bars for a phone: each category's name on its own lines above its bar.
fn stacked_bar_narrow(fw: &Framework, counts: &[CategoryCount], title: &str) -> String {
    let title_lines = wrap(title, NARROW_CHARS - 6);
    let labels: Vec<Vec<String>> = counts
        .iter()
        .map(|c| wrap(&c.category_name, NARROW_CHARS))
        .collect();
    let bar = 24;
    let key_rows = fw.ratings.len().div_ceil(2) as i32;
    let top = 6 + NARROW_LINE * title_lines.len() as i32 + 8;
    let body: i32 = labels
        .iter()
        .map(|l| NARROW_LINE * l.len() as i32 + bar + 10)
        .sum();
    let height = (top + body + 8 + key_rows * (NARROW_LINE + 6)) as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (NARROW, height)).into_drawing_area();
        let _ = root.fill(&WHITE);
        for (i, line) in title_lines.iter().enumerate() {
            let y = 6 + NARROW_LINE * i as i32;
            let _ = root.draw(&Text::new(line.clone(), (0, y), font(TITLE, "#212B32")));
        }
        let mut y = top;
        for (c, lines) in counts.iter().zip(&labels) {
            for line in lines {
                let _ = root.draw(&Text::new(
                    line.clone(),
                    (0, y),
                    font(NARROW_TEXT, "#212B32"),
                ));
                y += NARROW_LINE;
            }
            let mut x = 0;
            for (code, _, n) in &c.counts {
                if *n == 0 || c.rated == 0 {
                    continue;
                }
                let Some(level) = fw.rating(code) else {
                    continue;
                };
                let w = (NARROW as usize * n / c.rated) as i32;
                let _ = root.draw(&Rectangle::new(
                    [(x, y), (x + w, y + bar)],
                    colour(&level.fill).filled(),
                ));
                let text = format!("{code} {n}");
                // Only where it fits: every count is also in the table beside the chart.
                if w >= NARROW_CHAR_WIDTH * text.chars().count() as i32 + 4 {
                    let centre = Pos::new(HPos::Center, VPos::Center);
                    let _ = root.draw(&Text::new(
                        text,
                        (x + w / 2, y + bar / 2),
                        font(NARROW_TEXT, &level.text).pos(centre),
                    ));
                }
                x += w;
            }
            y += bar + 10;
        }
        y += 8;
        for (i, level) in fw.ratings.iter().enumerate() {
            let x = if i % 2 == 0 { 0 } else { NARROW as i32 / 2 };
            let row_y = y + (i / 2) as i32 * (NARROW_LINE + 6);
            let _ = root.draw(&Rectangle::new(
                [(x, row_y), (x + 14, row_y + 14)],
                colour(&level.fill).filled(),
            ));
            let _ = root.draw(&Text::new(
                format!("{} {}", level.code.value, level.label.value),
                (x + 18, row_y + 1),
                font(NARROW_TEXT, "#212B32"),
            ));
        }
        let _ = root.present();
    }
    svg
}

/// For each category, the region's spread of ratings and this area's own rating beside it.
pub fn area_profile(
    fw: &Framework,
    area_name: &str,
    comparison: &[Comparison],
    counts: &[CategoryCount],
    id: &str,
    title: &str,
) -> String {
    let height = (PROFILE_TOP + ROW * comparison.len() as i32 + 16) as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let _ = root.draw(&Text::new(
            title.to_string(),
            (0, 6),
            font(TITLE, "#212B32"),
        ));
        let badge_x = LABEL_WIDTH;
        let bar_x = LABEL_WIDTH + 130;
        let bar_width = WIDTH as i32 - bar_x - 10;
        let _ = root.draw(&Text::new(
            area_name.to_string(),
            (badge_x, PROFILE_TOP - 14),
            font(TEXT, "#4C6272"),
        ));
        let _ = root.draw(&Text::new(
            "Rest of region".to_string(),
            (bar_x, PROFILE_TOP - 14),
            font(TEXT, "#4C6272"),
        ));
        for (i, comp) in comparison.iter().enumerate() {
            let y = PROFILE_TOP + ROW * i as i32;
            let right = Pos::new(HPos::Right, VPos::Center);
            let _ = root.draw(&Text::new(
                comp.category_name.clone(),
                (LABEL_WIDTH - 8, y + ROW / 2 - 2),
                font(TEXT, "#212B32").pos(right),
            ));
            if let Some(cell) = &comp.cell {
                let _ = root.draw(&Rectangle::new(
                    [(badge_x, y + 3), (badge_x + 118, y + ROW - 7)],
                    colour(&cell.fill).filled(),
                ));
                let centre = Pos::new(HPos::Center, VPos::Center);
                let _ = root.draw(&Text::new(
                    format!("{} {}", cell.code, cell.label),
                    (badge_x + 59, y + ROW / 2 - 2),
                    font(TEXT, &cell.text).pos(centre),
                ));
            }
            let Some(count) = counts.iter().find(|c| c.category_id == comp.category_id) else {
                continue;
            };
            let mut x = bar_x;
            for (level, (code, _, n)) in fw.ratings.iter().zip(&count.counts) {
                let mine = comp.cell.as_ref().is_some_and(|c| &c.code == code) as usize;
                let others = n.saturating_sub(mine);
                let total = count.rated.saturating_sub(comp.cell.is_some() as usize);
                if others == 0 || total == 0 {
                    continue;
                }
                let w = (bar_width as usize * others / total) as i32;
                let _ = root.draw(&Rectangle::new(
                    [(x, y + 3), (x + w, y + ROW - 7)],
                    colour(&level.fill).filled(),
                ));
                let centre = Pos::new(HPos::Center, VPos::Center);
                let _ = root.draw(&Text::new(
                    format!("{code} {others}"),
                    (x + w / 2, y + ROW / 2 - 2),
                    font(TEXT, &level.text).pos(centre),
                ));
                x += w;
            }
        }
        let _ = root.present();
    }
    let desc = comparison
        .iter()
        .map(|c| {
            format!(
                "{}: {} — {}",
                c.category_name,
                c.cell
                    .as_ref()
                    .map(|x| x.label.as_str())
                    .unwrap_or("not rated"),
                c.sentence
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    both(
        accessible(svg, id, title, &desc, "chart-wide"),
        accessible(
            area_profile_narrow(fw, area_name, comparison, counts, title),
            &format!("{id}-narrow"),
            title,
            &desc,
            "chart-narrow",
        ),
    )
}

/// The area's profile for a phone: each category's name above a row holding the area's
/// own rating and the rest of the region's spread.
fn area_profile_narrow(
    fw: &Framework,
    area_name: &str,
    comparison: &[Comparison],
    counts: &[CategoryCount],
    title: &str,
) -> String {
    let title_lines = wrap(title, NARROW_CHARS - 6);
    let labels: Vec<Vec<String>> = comparison
        .iter()
        .map(|c| wrap(&c.category_name, NARROW_CHARS))
        .collect();
    let bar = 24;
    let badge = 134;
    let bar_x = badge + 8;
    let bar_width = NARROW as i32 - bar_x;
    let top = 6 + NARROW_LINE * title_lines.len() as i32 + 8 + NARROW_LINE + 4;
    let body: i32 = labels
        .iter()
        .map(|l| NARROW_LINE * l.len() as i32 + bar + 10)
        .sum();
    let height = (top + body + 4) as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (NARROW, height)).into_drawing_area();
        let _ = root.fill(&WHITE);
        for (i, line) in title_lines.iter().enumerate() {
            let y = 6 + NARROW_LINE * i as i32;
            let _ = root.draw(&Text::new(line.clone(), (0, y), font(TITLE, "#212B32")));
        }
        let heads_y = top - NARROW_LINE - 4;
        let _ = root.draw(&Text::new(
            wrap(area_name, 16).into_iter().next().unwrap_or_default(),
            (0, heads_y),
            font(NARROW_TEXT, "#4C6272"),
        ));
        let _ = root.draw(&Text::new(
            "Rest of region".to_string(),
            (bar_x, heads_y),
            font(NARROW_TEXT, "#4C6272"),
        ));
        let mut y = top;
        for (comp, lines) in comparison.iter().zip(&labels) {
            for line in lines {
                let _ = root.draw(&Text::new(
                    line.clone(),
                    (0, y),
                    font(NARROW_TEXT, "#212B32"),
                ));
                y += NARROW_LINE;
            }
            let centre = Pos::new(HPos::Center, VPos::Center);
            if let Some(cell) = &comp.cell
                && let Some(level) = fw.rating(&cell.code)
            {
                let _ = root.draw(&Rectangle::new(
                    [(0, y), (badge, y + bar)],
                    colour(&level.fill).filled(),
                ));
                let _ = root.draw(&Text::new(
                    format!("{} {}", cell.code, cell.label),
                    (badge / 2, y + bar / 2),
                    font(NARROW_TEXT, &level.text).pos(centre),
                ));
            }
            if let Some(count) = counts.iter().find(|c| c.category_id == comp.category_id) {
                let mut x = bar_x;
                for (code, _, n) in &count.counts {
                    let mine = comp.cell.as_ref().is_some_and(|c| &c.code == code) as usize;
                    let others = n.saturating_sub(mine);
                    let total = count.rated.saturating_sub(comp.cell.is_some() as usize);
                    if others == 0 || total == 0 {
                        continue;
                    }
                    let Some(level) = fw.rating(code) else {
                        continue;
                    };
                    let w = (bar_width as usize * others / total) as i32;
                    let _ = root.draw(&Rectangle::new(
                        [(x, y), (x + w, y + bar)],
                        colour(&level.fill).filled(),
                    ));
                    let text = format!("{code} {others}");
                    if w >= NARROW_CHAR_WIDTH * text.chars().count() as i32 + 4 {
                        let _ = root.draw(&Text::new(
                            text,
                            (x + w / 2, y + bar / 2),
                            font(NARROW_TEXT, &level.text).pos(centre),
                        ));
                    }
                    x += w;
                }
            }
            y += bar + 10;
        }
        let _ = root.present();
    }
    svg
}
