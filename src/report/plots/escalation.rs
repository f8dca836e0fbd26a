//! Plot 1, escalation over time: the share of runs on each rung in each arm, day by day, stacked
//! (rungs are ordered categories, so each gets its own band rather than a position on a scale).

use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::report::plotdata::PlotData;

use super::axes::{TimeAxis, axes_box, x_axis, y_axis};
use super::canvas::{Canvas, Rect, Scale, simplify};
use super::layout::{LegendItem, Swatch, frame, grid_cells, grid_shape, legend, panel_header};
use super::palette::{INK, MUTED};
use super::text::{AXIS_LABEL, TICK, fmt_share, fmt_tick, font};

/// Daily cumulative shares of one arm: `bounds[r][day]` is the share of runs (0–1) at rung `r` or
/// below on `day`, None on a day without replicates.
fn cumulative_shares(timeline: &[Vec<u64>], rungs: usize) -> Vec<Vec<Option<f64>>> {
    let mut bounds = vec![Vec::with_capacity(timeline.len()); rungs];
    for hist in timeline {
        let total: u64 = hist.iter().sum();
        let mut below = 0u64;
        for (r, bound) in bounds.iter_mut().enumerate() {
            below += hist.get(r).copied().unwrap_or(0);
            bound.push((total > 0).then(|| below as f64 / total as f64));
        }
    }
    bounds
}

/// The fill of rung `r`: light to dark slate below the crisis rung, light orange to dark red from it.
fn rung_colour(r: usize, crisis: usize, rungs: usize) -> RGBColor {
    let ramp = |from: RGBColor, to: RGBColor, i: usize, n: usize| {
        let t = if n <= 1 {
            0.0
        } else {
            i as f64 / (n - 1) as f64
        };
        let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
        RGBColor(mix(from.0, to.0), mix(from.1, to.1), mix(from.2, to.2))
    };
    if r < crisis {
        ramp(
            RGBColor(0xEE, 0xF1, 0xF4),
            RGBColor(0x4A, 0x63, 0x7D),
            r,
            crisis,
        )
    } else {
        ramp(
            RGBColor(0xFD, 0xB8, 0x63),
            RGBColor(0x8C, 0x1A, 0x0B),
            r - crisis,
            rungs - crisis,
        )
    }
}

/// Share of runs (0–1) at a crisis rung or above on the last day with replicates.
fn last_day_in_crisis(timeline: &[Vec<u64>], crisis: usize) -> Option<f64> {
    let hist = timeline.iter().rev().find(|h| h.iter().any(|&c| c > 0))?;
    let total: u64 = hist.iter().sum();
    let high: u64 = hist.iter().skip(crisis).sum();
    Some(high as f64 / total as f64)
}

/// Pixel paths of a daily value, one per stretch of days with data: a point at the middle of each
/// day, stretched to the start of the first day and the end of the last.
fn daily_paths(
    values: &[Option<f64>],
    x: &dyn Fn(f64) -> i32,
    y: &dyn Fn(f64) -> i32,
) -> Vec<Vec<(i32, i32)>> {
    let mut paths = Vec::new();
    let mut current: Vec<(i32, i32)> = Vec::new();
    let mut last: Option<(usize, f64)> = None;
    for (day, v) in values.iter().enumerate() {
        match v {
            Some(v) if v.is_finite() => {
                if current.is_empty() {
                    current.push((x(day as f64), y(*v)));
                }
                current.push((x(day as f64 + 0.5), y(*v)));
                last = Some((day, *v));
            }
            _ => {
                if let Some((end, v)) = last.take() {
                    current.push((x(end as f64 + 1.0), y(v)));
                    paths.push(simplify(&std::mem::take(&mut current), 0.75));
                }
            }
        }
    }
    if let Some((end, v)) = last {
        current.push((x(end as f64 + 1.0), y(v)));
        paths.push(simplify(&current, 0.75));
    }
    paths
}

/// Band polygons between two daily values, one per stretch of days with data.
fn band_polygons(
    lower: &[Option<f64>],
    upper: &[Option<f64>],
    x: &dyn Fn(f64) -> i32,
    y: &dyn Fn(f64) -> i32,
) -> Vec<Vec<(i32, i32)>> {
    daily_paths(upper, x, y)
        .into_iter()
        .zip(daily_paths(lower, x, y))
        .map(|(mut top, mut bottom)| {
            bottom.reverse();
            top.extend(bottom);
            top
        })
        .collect()
}

pub(super) fn draw_escalation<DB: DrawingBackend>(c: &Canvas<DB>, d: &PlotData) -> Result<()> {
    let body = frame(
        c,
        "escalation_over_time",
        "Day by day, the share of runs whose most escalated pair of states stands on each rung",
        d,
    )?;
    let days = d
        .timeline
        .iter()
        .take(d.arms.len())
        .map(Vec::len)
        .max()
        .unwrap_or(0);
    if d.arms.is_empty() || d.rungs.is_empty() || days == 0 {
        return c.note(body, "No runs to show: the result holds no daily rungs.");
    }
    let rungs = d.rungs.len();
    let crisis = d.crisis_rung.min(rungs);
    // Only the rungs some run stood on are keyed.
    let present: Vec<bool> = (0..rungs)
        .map(|r| {
            d.timeline
                .iter()
                .take(d.arms.len())
                .flatten()
                .any(|h| h.get(r).copied().unwrap_or(0) > 0)
        })
        .collect();
    let items: Vec<LegendItem> = (0..rungs)
        .filter(|&r| present[r])
        .map(|r| LegendItem {
            swatch: Swatch::Block(rung_colour(r, crisis, rungs).mix(1.0)),
            label: if r == crisis {
                format!("{} (crisis)", d.rungs[r])
            } else {
                d.rungs[r].clone()
            },
        })
        .collect();
    let legend_h = legend(c, body, &items)?;
    let gutter = TICK.width("100 %") + 16;
    let grid = Rect::new(
        body.x0 + gutter + 24,
        body.y0 + legend_h + 10,
        body.x1,
        body.y1 - 30,
    );
    let (rows, cols) = grid_shape(d.arms.len());
    let cells = grid_cells(grid, rows, cols, 22, 10);
    let time = TimeAxis::new(days);
    let note = font(14.0).colour(MUTED);
    // Under each arm's name, how many runs stand on a crisis rung on the last day and how many ever
    // reached one: the thin top bands are small shares, and this says how small.
    let notes: Vec<Vec<String>> = (0..d.arms.len())
        .map(|arm| {
            let timeline = d.timeline.get(arm).map_or(&[][..], Vec::as_slice);
            let ever = d
                .crisis_by_day
                .get(arm)
                .and_then(|v| v.last())
                .map(|&n| n as f64 / d.replicates.max(1) as f64);
            let text = match (crisis < rungs, last_day_in_crisis(timeline, crisis), ever) {
                (true, Some(now), Some(ever)) => format!(
                    "on a crisis rung: {} on the last day, {} ever",
                    fmt_share(now),
                    fmt_share(ever)
                ),
                (true, Some(now), None) => {
                    format!("on a crisis rung: {} on the last day", fmt_share(now))
                }
                _ => String::new(),
            };
            let width = cells.first().map_or(200, |c| c.w() - 4);
            note.wrap(&text, width, 2)
        })
        .collect();
    let note_lines = notes.iter().map(Vec::len).max().unwrap_or(0) as i32;
    for (arm, cell) in cells.iter().enumerate().take(d.arms.len()) {
        panel_header(c, *cell, d, arm)?;
        let timeline = d.timeline.get(arm).map_or(&[][..], Vec::as_slice);
        for (i, line) in notes[arm].iter().enumerate() {
            c.text(
                line,
                (cell.x0, cell.y0 + 36 + 17 * i as i32),
                note,
                HPos::Left,
                VPos::Center,
            )?;
        }
        let plot = Rect::new(
            cell.x0,
            cell.y0 + 33 + 17 * note_lines.max(1),
            cell.x1,
            cell.y1 - 26,
        );
        let x = time.scale(plot);
        let y = Scale::new(0.0, 1.0, plot.y1, plot.y0);
        let yt = [0.0, 0.25, 0.5, 0.75, 1.0];
        y_axis(
            c,
            plot,
            y,
            &yt,
            &|v| format!("{} %", fmt_tick(100.0 * v, 25.0)),
            arm % cols == 0,
        )?;
        c.note_axis(0.0, true, false);
        let (xt, step) = time.ticks(plot.w());
        let bottom = arm + cols >= d.arms.len();
        x_axis(c, plot, x, &xt, &|v| fmt_tick(v, step), bottom)?;
        if timeline.iter().all(|h| h.iter().all(|&n| n == 0)) {
            axes_box(c, plot)?;
            c.note(plot, "no runs")?;
            continue;
        }
        let bounds = cumulative_shares(timeline, rungs);
        let zero: Vec<Option<f64>> = bounds
            .first()
            .map(|b| b.iter().map(|v| v.map(|_| 0.0)).collect())
            .unwrap_or_default();
        let xd = |day: f64| x.px(time.value(day));
        let yd = |v: f64| y.px(v);
        for r in (0..rungs).filter(|&r| present[r]) {
            let lower = if r == 0 { &zero } else { &bounds[r - 1] };
            for poly in band_polygons(lower, &bounds[r], &xd, &yd) {
                c.polygon(poly, rung_colour(r, crisis, rungs).filled())?;
            }
        }
        // The crisis line: runs below it are short of a crisis that day.
        if crisis > 0 && crisis < rungs {
            for path in daily_paths(&bounds[crisis - 1], &xd, &yd) {
                c.line(path, INK.stroke_width(1))?;
            }
        }
        axes_box(c, plot)?;
    }
    c.text(
        time.label(),
        (grid.cx(), body.y1 - 2),
        AXIS_LABEL,
        HPos::Center,
        VPos::Bottom,
    )?;
    c.text_rotated(
        "share of runs on each rung (%)",
        (body.x0 + 10, grid.cy()),
        AXIS_LABEL,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cumulative_shares_stack_to_one_and_keep_empty_days_empty() {
        let timeline = vec![vec![3, 1, 0, 0], vec![0, 0, 0, 0], vec![1, 1, 1, 1]];
        let b = cumulative_shares(&timeline, 4);
        assert_eq!(b[0][0], Some(0.75));
        assert_eq!(b[1][0], Some(1.0));
        assert_eq!(b[3][0], Some(1.0));
        assert_eq!(b[2][1], None, "a day without replicates stays empty");
        assert_eq!(b[1][2], Some(0.5));
        assert_eq!(last_day_in_crisis(&timeline, 2), Some(0.5));
        assert_eq!(last_day_in_crisis(&timeline[..2], 2), Some(0.0));
        assert_eq!(last_day_in_crisis(&[], 2), None);
    }

    #[test]
    fn rung_colours_darken_up_the_ladder_and_turn_warm_at_the_crisis_rung() {
        let luma = |c: RGBColor| {
            0.2126 * f64::from(c.0) + 0.7152 * f64::from(c.1) + 0.0722 * f64::from(c.2)
        };
        for (lo, hi) in [(0, 4), (5, 8)] {
            for r in lo..hi {
                assert!(
                    luma(rung_colour(r, 5, 9)) > luma(rung_colour(r + 1, 5, 9)),
                    "rung {r}"
                );
            }
        }
        let warm = rung_colour(5, 5, 9);
        assert!(warm.0 > warm.2, "the crisis rung is warm");
        let cool = rung_colour(4, 5, 9);
        assert!(cool.2 > cool.0, "the rung below it is cool");
    }
}
