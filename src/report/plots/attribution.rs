//! Plot 5, attribution: true sponsor against the state publicly blamed.

use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::report::plotdata::PlotData;

use super::canvas::{Canvas, Rect};
use super::layout::{frame, grid_cells, grid_shape, panel_header};
use super::palette::{INK, MUTED};
use super::text::{fmt_share, font};

/// The most arms the attribution grid shows (three rows of three; the canvas grows with the rows,
/// see `plot_size`).
pub(super) const MAX_MATRICES: usize = 9;

/// White to Okabe–Ito blue as `t` goes from 0 to 1.
fn heat(t: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
    RGBColor(mix(0xFF, 0x00), mix(0xFF, 0x5A), mix(0xFF, 0x9A))
}

/// Incidents per run: `n` incidents over `replicates` runs, to two decimals (three figures from 10).
fn fmt_per_run(n: u64, replicates: u64) -> String {
    if n == 0 || replicates == 0 {
        return "0".to_string();
    }
    let x = n as f64 / replicates as f64;
    if x < 0.005 {
        "<0.01".to_string()
    } else if x < 10.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.1}")
    }
}

pub(super) fn draw_attribution<DB: DrawingBackend>(c: &Canvas<DB>, d: &PlotData) -> Result<()> {
    let shown = d.arms.len().min(MAX_MATRICES);
    let more = if d.arms.len() > shown {
        format!(" (first {shown} of {} arms)", d.arms.len())
    } else {
        String::new()
    };
    let body = frame(
        c,
        "attribution",
        &format!(
            "Rows: true sponsor · columns: state blamed · cells: share of the row (bold), then incidents per run · outlined: correct{more}"
        ),
        d,
    )?;
    let total: u64 = d.attribution.iter().flatten().flatten().sum();
    if shown == 0 || d.true_sponsors.is_empty() || d.blamed.is_empty() || total == 0 {
        return c.note(body, "No publicly attributed incidents in these runs.");
    }
    let row_font = font(16.0);
    let gutter = row_font.width_max(&d.true_sponsors).min(200) + 16;
    let (rows, cols) = grid_shape(shown);
    let grid = Rect::new(body.x0 + gutter, body.y0 + 4, body.x1, body.y1);
    let cells = grid_cells(grid, rows, cols, 26, 14);
    let n_rows = d.true_sponsors.len();
    let n_cols = d.blamed.len();
    for (arm, cell) in cells.iter().enumerate().take(shown) {
        panel_header(c, *cell, d, arm)?;
        let header = Rect::new(cell.x0, cell.y0 + 30, cell.x1, cell.y0 + 56);
        let matrix = Rect::new(cell.x0, header.y1, cell.x1, cell.y1);
        let cw = f64::from(matrix.w()) / n_cols as f64;
        let ch = f64::from(matrix.h()) / n_rows as f64;
        let col_font = font(16.0).bold();
        for (j, state) in d.blamed.iter().enumerate() {
            let cx = (f64::from(matrix.x0) + (j as f64 + 0.5) * cw).round() as i32;
            c.text(
                &col_font.fit(state, cw as i32 - 4),
                (cx, header.cy()),
                col_font,
                HPos::Center,
                VPos::Center,
            )?;
        }
        let counts = d.attribution.get(arm);
        for (i, sponsor) in d.true_sponsors.iter().enumerate() {
            let row: Vec<u64> = (0..n_cols)
                .map(|j| {
                    counts
                        .and_then(|m| m.get(i))
                        .and_then(|r| r.get(j))
                        .copied()
                        .unwrap_or(0)
                })
                .collect();
            let row_total: u64 = row.iter().sum();
            let y0 = (f64::from(matrix.y0) + i as f64 * ch).round() as i32;
            let y1 = (f64::from(matrix.y0) + (i + 1) as f64 * ch).round() as i32;
            if arm % cols == 0 && i == 0 {
                let head = font(15.0).bold().colour(MUTED);
                c.text(
                    &head.fit("true sponsor", gutter - 16),
                    (matrix.x0 - 10, header.cy()),
                    head,
                    HPos::Right,
                    VPos::Center,
                )?;
            }
            if arm % cols == 0 {
                c.text(
                    &row_font.fit(sponsor, gutter - 16),
                    (matrix.x0 - 10, (y0 + y1) / 2),
                    row_font,
                    HPos::Right,
                    VPos::Center,
                )?;
            }
            for (j, &n) in row.iter().enumerate() {
                let x0 = (f64::from(matrix.x0) + j as f64 * cw).round() as i32;
                let x1 = (f64::from(matrix.x0) + (j + 1) as f64 * cw).round() as i32;
                let r = Rect::new(x0, y0, x1, y1);
                let share = if row_total > 0 {
                    n as f64 / row_total as f64
                } else {
                    f64::NAN
                };
                let fill = if row_total > 0 {
                    heat(share)
                } else {
                    RGBColor(0xF2, 0xF2, 0xF2)
                };
                c.fill(r, fill.filled())?;
                c.outline(r, WHITE.stroke_width(1))?;
                let ink = if share > 0.55 { WHITE } else { INK };
                // Text scaled to the cell: both lines when there is room, the share alone otherwise.
                let size = if r.h() >= 44 && r.w() >= 70 {
                    15.0
                } else {
                    13.0
                };
                let count_font = font(size).bold().colour(ink);
                let share_font = font(size - 1.0).colour(ink);
                let per_run = format!("{} / run", fmt_per_run(n, d.replicates));
                if r.h() >= 30 && share_font.width(&per_run) <= r.w() - 6 {
                    let half = (size * 0.6).round() as i32;
                    c.text(
                        &fmt_share(share),
                        (r.cx(), r.cy() - half),
                        count_font,
                        HPos::Center,
                        VPos::Center,
                    )?;
                    c.text(
                        &per_run,
                        (r.cx(), r.cy() + half + 1),
                        share_font,
                        HPos::Center,
                        VPos::Center,
                    )?;
                } else {
                    c.text(
                        &count_font.fit(&fmt_share(share), r.w() - 4),
                        (r.cx(), r.cy()),
                        count_font,
                        HPos::Center,
                        VPos::Center,
                    )?;
                }
            }
            if let Some(j) = d.blamed.iter().position(|b| b == sponsor) {
                let x0 = (f64::from(matrix.x0) + j as f64 * cw).round() as i32;
                let x1 = (f64::from(matrix.x0) + (j + 1) as f64 * cw).round() as i32;
                c.outline(
                    Rect::new(x0 + 1, y0 + 1, x1 - 1, y1 - 1),
                    INK.stroke_width(3),
                )?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incidents_per_run_read_as_small_numbers() {
        assert_eq!(fmt_per_run(0, 100), "0");
        assert_eq!(fmt_per_run(1, 20_000), "<0.01");
        assert_eq!(fmt_per_run(40_372, 20_000), "2.02");
        assert_eq!(fmt_per_run(410_419, 20_000), "20.5");
        assert_eq!(fmt_per_run(5, 0), "0");
    }
}
