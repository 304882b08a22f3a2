//! A chart of shares drawn with plotters as SVG, in the manner of `charts`: one bar per
//! row (a region, or a type of service), each the whole of its areas, split by rating and
//! by the areas awaiting their return or with no rating, which are drawn apart from the
//! ratings in pale outlined parts. Drawn wide and narrow, as every chart.

use super::charts::{
    LABEL_WIDTH, NARROW, NARROW_CHAR_WIDTH, NARROW_CHARS, NARROW_LINE, NARROW_TEXT, ROW, TEXT,
    TITLE, TOP, WIDTH, accessible, both, colour, font, wrap,
};
use crate::model::Framework;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One bar of a chart of shares: its label, and how many areas fall in each part: each
/// level of the rating scale in order, then those awaiting their return and those with no
/// rating (no return, or none given), which are never drawn as a rating.
pub struct ShareBar {
    pub label: String,
    pub ratings: Vec<usize>,
    pub awaiting: usize,
    pub unrated: usize,
}

impl ShareBar {
    fn total(&self) -> usize {
        self.ratings.iter().sum::<usize>() + self.awaiting + self.unrated
    }

    /// The parts with their number of areas, fill, text colour, outline and short label.
    fn parts<'f>(&self, fw: &'f Framework) -> Vec<(usize, &'f str, &'f str, bool, String)> {
        let mut parts: Vec<(usize, &str, &str, bool, String)> = fw
            .ratings
            .iter()
            .zip(&self.ratings)
            .map(|(level, n)| {
                (
                    *n,
                    level.fill.value.as_str(),
                    level.text.value.as_str(),
                    false,
                    level.code.value.clone(),
                )
            })
            .collect();
        parts.push((self.awaiting, AWAITING_FILL, "#212B32", true, "…".into()));
        parts.push((self.unrated, "#FFFFFF", "#212B32", true, "–".into()));
        parts
    }
}

/// The ground of the part of a bar still awaiting its return, and of its key.
const AWAITING_FILL: &str = "#E8EDEE";

/// The key of a chart of shares: each rating, then the parts that are not ratings (no
/// rating only when a bar has areas without one).
fn share_key(fw: &Framework, unrated: bool) -> Vec<(String, &str, bool)> {
    let mut key: Vec<(String, &str, bool)> = fw
        .ratings
        .iter()
        .map(|l| {
            (
                format!("{} {}", l.code.value, l.label.value),
                l.fill.value.as_str(),
                false,
            )
        })
        .collect();
    key.push(("… Awaiting return".into(), AWAITING_FILL, true));
    if unrated {
        key.push(("– No rating".into(), "#FFFFFF", true));
    }
    key
}

/// Draw one part of a bar, outlined when its fill is pale, and its label when it fits.
#[allow(clippy::too_many_arguments)]
fn share_part<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    (x, y, w, h): (i32, i32, i32, i32),
    fill: &str,
    text_colour: &str,
    outlined: bool,
    text: String,
    size: u32,
    char_width: i32,
) {
    let _ = root.draw(&Rectangle::new(
        [(x, y), (x + w, y + h)],
        colour(fill).filled(),
    ));
    if outlined {
        let _ = root.draw(&Rectangle::new(
            [(x, y), (x + w, y + h)],
            colour("#4C6272").stroke_width(1),
        ));
    }
    if !text.is_empty() && w >= char_width * text.chars().count() as i32 + 4 {
        let centre = Pos::new(HPos::Center, VPos::Center);
        let _ = root.draw(&Text::new(
            text,
            (x + w / 2, y + h / 2),
            font(size, text_colour).pos(centre),
        ));
    }
}

/// One bar per row, each the whole of its areas, split by rating and by the areas awaiting
/// their return or with no rating; each part holds its number of areas where it fits.
/// `desc` is the chart's description for screen readers (the page's table has the same).
pub fn share_bars(fw: &Framework, bars: &[ShareBar], id: &str, title: &str, desc: &str) -> String {
    let key = share_key(fw, bars.iter().any(|b| b.unrated > 0));
    let key_per_row = 4;
    let key_rows = key.len().div_ceil(key_per_row) as i32;
    let height = (TOP + ROW * bars.len() as i32 + 12 + key_rows * 22 + 8) as u32;
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
        for (i, bar) in bars.iter().enumerate() {
            let y = TOP + ROW * i as i32;
            let anchor = Pos::new(HPos::Right, VPos::Center);
            let _ = root.draw(&Text::new(
                bar.label.clone(),
                (LABEL_WIDTH - 8, y + ROW / 2 - 2),
                font(TEXT, "#212B32").pos(anchor),
            ));
            let total = bar.total();
            let mut x = LABEL_WIDTH;
            let mut done = 0;
            for (n, fill, text, outlined, code) in bar.parts(fw) {
                if n == 0 || total == 0 {
                    continue;
                }
                // Each part ends where the running total puts it, so the bar is whole.
                done += n;
                let end = LABEL_WIDTH + (bar_width as usize * done / total) as i32;
                let box_ = (x, y + 3, end - x, ROW - 10);
                share_part(
                    &root,
                    box_,
                    fill,
                    text,
                    outlined,
                    format!("{code} {n}"),
                    TEXT,
                    7,
                );
                x = end;
            }
        }
        let key_y = TOP + ROW * bars.len() as i32 + 12;
        for (i, (label, fill, outlined)) in key.iter().enumerate() {
            let x = (i % key_per_row) as i32 * 190;
            let y = key_y + (i / key_per_row) as i32 * 22;
            share_part(
                &root,
                (x, y, 14, 14),
                fill,
                "#212B32",
                *outlined,
                String::new(),
                TEXT,
                7,
            );
            let _ = root.draw(&Text::new(
                label.clone(),
                (x + 18, y + 1),
                font(TEXT, "#212B32"),
            ));
        }
        let _ = root.present();
    }
    both(
        accessible(svg, id, title, desc, "chart-wide"),
        accessible(
            share_bars_narrow(fw, bars, title),
            &format!("{id}-narrow"),
            title,
            desc,
            "chart-narrow",
        ),
    )
}

/// The shares for a phone: each label on its own lines above its bar.
fn share_bars_narrow(fw: &Framework, bars: &[ShareBar], title: &str) -> String {
    let title_lines = wrap(title, NARROW_CHARS - 6);
    let labels: Vec<Vec<String>> = bars.iter().map(|b| wrap(&b.label, NARROW_CHARS)).collect();
    let bar = 24;
    let key = share_key(fw, bars.iter().any(|b| b.unrated > 0));
    let key_rows = key.len().div_ceil(2) as i32;
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
        for (b, lines) in bars.iter().zip(&labels) {
            for line in lines {
                let _ = root.draw(&Text::new(
                    line.clone(),
                    (0, y),
                    font(NARROW_TEXT, "#212B32"),
                ));
                y += NARROW_LINE;
            }
            let total = b.total();
            let (mut x, mut done) = (0, 0);
            for (n, fill, text, outlined, code) in b.parts(fw) {
                if n == 0 || total == 0 {
                    continue;
                }
                done += n;
                let end = (NARROW as usize * done / total) as i32;
                share_part(
                    &root,
                    (x, y, end - x, bar),
                    fill,
                    text,
                    outlined,
                    format!("{code} {n}"),
                    NARROW_TEXT,
                    NARROW_CHAR_WIDTH,
                );
                x = end;
            }
            y += bar + 10;
        }
        y += 8;
        for (i, (label, fill, outlined)) in key.iter().enumerate() {
            let x = if i % 2 == 0 { 0 } else { NARROW as i32 / 2 };
            let row_y = y + (i / 2) as i32 * (NARROW_LINE + 6);
            share_part(
                &root,
                (x, row_y, 14, 14),
                fill,
                "#212B32",
                *outlined,
                String::new(),
                NARROW_TEXT,
                NARROW_CHAR_WIDTH,
            );
            let _ = root.draw(&Text::new(
                label.clone(),
                (x + 18, row_y + 1),
                font(NARROW_TEXT, "#212B32"),
            ));
        }
        let _ = root.present();
    }
    svg
}
