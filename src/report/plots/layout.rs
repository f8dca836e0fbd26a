//! Layout shared by the plots: title, subtitle and footer, legends, and grids of small panels.

use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::report::plotdata::PlotData;

use super::PLOTS;
use super::axes::DAYS_PER_YEAR;
use super::canvas::{Canvas, Rect};
use super::palette::{GRID, MUTED, arm_colour};
use super::text::{FOOTER, LEGEND, PANEL_TITLE, SUBTITLE, TITLE, group_thousands};

const MARGIN: i32 = 28;

fn plot_title(stem: &str) -> &'static str {
    PLOTS
        .iter()
        .find(|(s, _)| *s == stem)
        .map_or("", |(_, t)| t)
}

/// A horizon in words for footers: "1 day", "90 days", "1,826 days (5.0 years)".
pub(super) fn horizon_days(days: u32) -> String {
    match days {
        1 => "1 day".to_string(),
        n if f64::from(n) >= DAYS_PER_YEAR => format!(
            "{} days ({:.1} years)",
            group_thousands(u64::from(n)),
            f64::from(n) / DAYS_PER_YEAR
        ),
        n => format!("{} days", group_thousands(u64::from(n))),
    }
}

/// Draws the title and a subtitle wrapped to at most `lines` lines at the top of the canvas; returns
/// the number of subtitle lines drawn.
pub(super) fn title_and_subtitle<DB: DrawingBackend>(
    c: &Canvas<DB>,
    title: &str,
    subtitle: &str,
    lines: usize,
) -> Result<usize> {
    let width = c.w - 2 * MARGIN;
    c.text(
        &TITLE.fit(title, width),
        (MARGIN, 20),
        TITLE,
        HPos::Left,
        VPos::Top,
    )?;
    let wrapped = SUBTITLE.wrap(subtitle, width, lines);
    for (i, line) in wrapped.iter().enumerate() {
        c.text(
            line,
            (MARGIN, 62 + 24 * i as i32),
            SUBTITLE,
            HPos::Left,
            VPos::Top,
        )?;
    }
    Ok(wrapped.len())
}

/// Draws the footer line at the bottom of the canvas and the rule above it.
pub(super) fn footer_with_rule<DB: DrawingBackend>(c: &Canvas<DB>, footer: &str) -> Result<()> {
    c.text(
        &FOOTER.fit(footer, c.w - 2 * MARGIN),
        (MARGIN, c.h - 14),
        FOOTER,
        HPos::Left,
        VPos::Bottom,
    )?;
    c.line(
        vec![(MARGIN, c.h - 40), (c.w - MARGIN, c.h - 40)],
        GRID.stroke_width(1),
    )
}

/// Draws the title, the subtitle and the footer; returns the area left for the plot.
pub(super) fn frame<DB: DrawingBackend>(
    c: &Canvas<DB>,
    stem: &str,
    subtitle: &str,
    d: &PlotData,
) -> Result<Rect> {
    let width = c.w - 2 * MARGIN;
    c.text(
        &TITLE.fit(plot_title(stem), width),
        (MARGIN, 20),
        TITLE,
        HPos::Left,
        VPos::Top,
    )?;
    c.text(
        &SUBTITLE.fit(subtitle, width),
        (MARGIN, 62),
        SUBTITLE,
        HPos::Left,
        VPos::Top,
    )?;
    let footer = format!(
        "scenario {} · seed {} · {} replicates per arm · horizon {} · escalate",
        d.scenario,
        d.seed,
        group_thousands(d.replicates),
        horizon_days(d.horizon_days),
    );
    footer_with_rule(c, &footer)?;
    Ok(Rect::new(MARGIN, 100, c.w - MARGIN, c.h - 48))
}

#[derive(Clone, Copy)]
pub(super) enum Swatch {
    Block(RGBAColor),
    Line(RGBColor),
    Dashed(RGBColor),
}

pub(super) struct LegendItem {
    pub(super) swatch: Swatch,
    pub(super) label: String,
}

const SWATCH_W: i32 = 32;
const LEGEND_ROW: i32 = 28;
/// The most rows a legend takes; items beyond are summarised as "+N more".
const LEGEND_ROWS: i32 = 3;

/// A legend entry's place: x offset, row, and the (possibly shortened) text.
type Placed = (i32, i32, String);

/// Places legend items left to right, wrapping; returns the places of the items that fit in
/// [`LEGEND_ROWS`] rows, the rows used, and a "+N more" note with its place if some did not.
fn legend_layout(items: &[LegendItem], width: i32) -> (Vec<Placed>, i32, Option<Placed>) {
    let mut placed = Vec::with_capacity(items.len());
    let (mut x, mut row) = (0, 0);
    let max_label = (width - SWATCH_W - 10).max(40);
    let more_w = LEGEND.width("+000 more") + 8;
    for (i, item) in items.iter().enumerate() {
        let label = LEGEND.fit(&item.label, max_label.min(360));
        let w = SWATCH_W + 8 + LEGEND.width(&label);
        let last_row = row == LEGEND_ROWS - 1;
        let room = if last_row && i + 1 < items.len() {
            width - more_w
        } else {
            width
        };
        if x > 0 && x + w > room {
            if last_row {
                let note = format!("+{} more", items.len() - i);
                return (placed, LEGEND_ROWS, Some((x, row, note)));
            }
            x = 0;
            row += 1;
        }
        placed.push((x, row, label));
        x += w + 28;
    }
    let rows = if items.is_empty() { 0 } else { row + 1 };
    (placed, rows, None)
}

/// Draws a legend at the top of `r`; returns its height.
pub(super) fn legend<DB: DrawingBackend>(
    c: &Canvas<DB>,
    r: Rect,
    items: &[LegendItem],
) -> Result<i32> {
    let (placed, rows, more) = legend_layout(items, r.w());
    c.log
        .borrow_mut()
        .legends
        .push(items.iter().map(|i| i.label.clone()).collect());
    if let Some((x, row, note)) = more {
        let y = r.y0 + row * LEGEND_ROW + LEGEND_ROW / 2;
        c.text(
            &note,
            (r.x0 + x, y),
            LEGEND.colour(MUTED),
            HPos::Left,
            VPos::Center,
        )?;
    }
    for (item, (x, row, label)) in items.iter().zip(&placed) {
        let (x, y) = (r.x0 + x, r.y0 + row * LEGEND_ROW + LEGEND_ROW / 2);
        match item.swatch {
            Swatch::Block(colour) => {
                c.fill(Rect::new(x, y - 8, x + SWATCH_W, y + 8), colour.filled())?;
            }
            Swatch::Line(colour) => {
                c.line(vec![(x, y), (x + SWATCH_W, y)], colour.stroke_width(4))?;
            }
            Swatch::Dashed(colour) => {
                c.dashed(
                    vec![(x, y), (x + SWATCH_W, y)],
                    8,
                    5,
                    colour.stroke_width(3),
                )?;
            }
        }
        c.text(
            label,
            (x + SWATCH_W + 8, y),
            LEGEND,
            HPos::Left,
            VPos::Center,
        )?;
    }
    Ok(rows * LEGEND_ROW)
}

pub(super) fn arm_legend(arms: &[String], swatch: fn(RGBColor) -> Swatch) -> Vec<LegendItem> {
    arms.iter()
        .enumerate()
        .map(|(i, name)| LegendItem {
            swatch: swatch(arm_colour(i)),
            label: name.clone(),
        })
        .collect()
}

/// Rows and columns of a grid of `n` small panels.
pub(super) fn grid_shape(n: usize) -> (usize, usize) {
    match n {
        0 | 1 => (1, 1),
        2 => (1, 2),
        3 => (1, 3),
        4 => (2, 2),
        5 | 6 => (2, 3),
        7..=9 => (3, 3),
        _ => (n.div_ceil(4), 4),
    }
}

/// Splits `r` into `rows` × `cols` cells separated by gaps, row by row.
pub(super) fn grid_cells(r: Rect, rows: usize, cols: usize, gap_x: i32, gap_y: i32) -> Vec<Rect> {
    let (rows_i, cols_i) = (rows.max(1) as i32, cols.max(1) as i32);
    let cw = (r.w() - gap_x * (cols_i - 1)) / cols_i;
    let ch = (r.h() - gap_y * (rows_i - 1)) / rows_i;
    let mut cells = Vec::with_capacity(rows * cols);
    for row in 0..rows_i {
        for col in 0..cols_i {
            let x0 = r.x0 + col * (cw + gap_x);
            let y0 = r.y0 + row * (ch + gap_y);
            cells.push(Rect::new(x0, y0, x0 + cw, y0 + ch));
        }
    }
    cells
}

/// The header of an arm's small panel: its colour swatch and its name (fitted to the panel).
pub(super) fn panel_header<DB: DrawingBackend>(
    c: &Canvas<DB>,
    cell: Rect,
    d: &PlotData,
    arm: usize,
) -> Result<()> {
    c.fill(
        Rect::new(cell.x0, cell.y0 + 5, cell.x0 + 16, cell.y0 + 21),
        arm_colour(arm).filled(),
    )?;
    let name = d.arms.get(arm).map_or("", String::as_str);
    c.text(
        &PANEL_TITLE.fit(name, cell.w() - 24),
        (cell.x0 + 24, cell.y0 + 13),
        PANEL_TITLE,
        HPos::Left,
        VPos::Center,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::plots::register_fonts;

    #[test]
    fn legend_wraps_and_summarises_what_does_not_fit() {
        register_fonts().expect("fonts");
        let items: Vec<LegendItem> = (0..40)
            .map(|i| LegendItem {
                swatch: Swatch::Line(arm_colour(i)),
                label: format!("arm number {i}"),
            })
            .collect();
        let (placed, rows, more) = legend_layout(&items, 1100);
        assert_eq!(rows, LEGEND_ROWS);
        assert!(placed.len() < items.len());
        let (_, _, note) = more.expect("a +N more note");
        assert_eq!(note, format!("+{} more", items.len() - placed.len()));
        let (placed, rows, more) = legend_layout(&items[..3], 1100);
        assert_eq!((placed.len(), rows, more), (3, 1, None));
    }
}
