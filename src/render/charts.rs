//! Charts drawn with plotters as SVG: a stacked bar of ratings per category for a region,
//! and an area's ratings set against its region's. Each chart carries a title and a text
//! description inside the SVG; the page also shows the same numbers as a table.

use crate::analyse::{CategoryCount, Comparison};
use crate::model::Framework;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

const WIDTH: u32 = 760;
const LABEL_WIDTH: i32 = 300;
const ROW: i32 = 30;
const TOP: i32 = 34;

fn colour(hex: &str) -> RGBColor {
    let n = u32::from_str_radix(hex.trim_start_matches('#'), 16).unwrap_or(0x4C6272);
    RGBColor((n >> 16) as u8, (n >> 8) as u8, n as u8)
}

fn font(size: u32, hex: &str) -> TextStyle<'static> {
    ("Arial, Helvetica, sans-serif", size)
        .into_font()
        .color(&colour(hex))
}

/// Add `role`, `<title>` and `<desc>` so screen readers announce the chart.
fn accessible(svg: String, id: &str, title: &str, desc: &str) -> String {
    let esc = super::escape::element_text;
    let Some(end) = svg.find('>') else { return svg };
    format!(
        "{} role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" class=\"chart\"><title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>{}",
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
        let _ = root.draw(&Text::new(title.to_string(), (0, 6), font(15, "#212B32")));
        for (i, c) in counts.iter().enumerate() {
            let y = TOP + ROW * i as i32;
            let anchor = Pos::new(HPos::Right, VPos::Center);
            let _ = root.draw(&Text::new(
                c.category_name.clone(),
                (LABEL_WIDTH - 8, y + ROW / 2 - 2),
                font(12, "#212B32").pos(anchor),
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
                    font(12, &level.text).pos(centre),
                ));
                x += w;
            }
        }
        let key_y = TOP + ROW * counts.len() as i32 + 12;
        let mut x = LABEL_WIDTH;
        for level in &fw.ratings {
            let _ = root.draw(&Rectangle::new(
                [(x, key_y), (x + 14, key_y + 14)],
                colour(&level.fill).filled(),
            ));
            let _ = root.draw(&Text::new(
                format!("{} {}", level.code.value, level.label.value),
                (x + 18, key_y + 1),
                font(12, "#212B32"),
            ));
            x += 115;
        }
        let _ = root.present();
    }
    let desc = counts
        .iter()
        .map(|c| format!("{}: {}", c.category_name, c.phrase))
        .collect::<Vec<_>>()
        .join("; ");
    accessible(svg, id, title, &desc)
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
    let height = (TOP + ROW * comparison.len() as i32 + 16) as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let _ = root.draw(&Text::new(title.to_string(), (0, 6), font(15, "#212B32")));
        let badge_x = LABEL_WIDTH;
        let bar_x = LABEL_WIDTH + 130;
        let bar_width = WIDTH as i32 - bar_x - 10;
        let _ = root.draw(&Text::new(
            area_name.to_string(),
            (badge_x, TOP - 14),
            font(11, "#4C6272"),
        ));
        let _ = root.draw(&Text::new(
            "Rest of region".to_string(),
            (bar_x, TOP - 14),
            font(11, "#4C6272"),
        ));
        for (i, comp) in comparison.iter().enumerate() {
            let y = TOP + ROW * i as i32;
            let right = Pos::new(HPos::Right, VPos::Center);
            let _ = root.draw(&Text::new(
                comp.category_name.clone(),
                (LABEL_WIDTH - 8, y + ROW / 2 - 2),
                font(12, "#212B32").pos(right),
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
                    font(12, &cell.text).pos(centre),
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
                    font(12, &level.text).pos(centre),
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
    accessible(svg, id, title, &desc)
}
