//! Plot 2, survival: how soon runs reach a crisis and kinetic conflict, as cumulative shares from 0 %.

use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::report::plotdata::PlotData;

use super::axes::{TimeAxis, axes_box, nice_step, ticks, x_axis, y_axis};
use super::canvas::{Canvas, Rect, Scale, simplify};
use super::layout::{Swatch, arm_legend, frame, grid_cells, legend};
use super::palette::arm_colour;
use super::text::{AXIS_LABEL, PANEL_TITLE, fmt_tick};

/// Percentage of replicates that have had the event by each day (a cumulative incidence).
fn reached_percent(by_day: &[u64], replicates: u64) -> Vec<f64> {
    if replicates == 0 {
        return Vec::new();
    }
    by_day
        .iter()
        .map(|&n| 100.0 * (n.min(replicates) as f64 / replicates as f64))
        .collect()
}

/// A step path through daily values, with points only where the value changes.
fn step_path(values: &[f64], x: &dyn Fn(usize) -> i32, y: Scale) -> Vec<(i32, i32)> {
    let mut pts = Vec::new();
    let Some(&first) = values.first() else {
        return pts;
    };
    pts.push((x(0), y.px(first)));
    let mut last = first;
    for (day, &v) in values.iter().enumerate().skip(1) {
        if v != last {
            pts.push((x(day), y.px(last)));
            pts.push((x(day), y.px(v)));
            last = v;
        }
    }
    pts.push((x(values.len()), y.px(last)));
    pts
}

/// The two panels: crisis, then kinetic conflict.
const PANELS: [&str; 2] = ["reached a crisis", "reached kinetic conflict"];

/// Lines closer than this everywhere, in percentage points, are drawn on top of each other: the
/// legend says which hides which, since the lower one cannot be seen.
const COINCIDE_POINTS: f64 = 0.1;

/// The pairs of arms whose curves in both panels stay within [`COINCIDE_POINTS`] of each other on
/// every day (and are not both flat at zero), by arm index.
fn coinciding(d: &PlotData) -> Vec<(usize, usize)> {
    let curves: Vec<[Vec<f64>; 2]> = (0..d.arms.len())
        .map(|a| {
            [
                reached_percent(
                    d.crisis_by_day.get(a).map_or(&[][..], Vec::as_slice),
                    d.replicates,
                ),
                reached_percent(
                    d.kinetic_by_day.get(a).map_or(&[][..], Vec::as_slice),
                    d.replicates,
                ),
            ]
        })
        .collect();
    let mut pairs = Vec::new();
    for i in 0..curves.len() {
        for j in i + 1..curves.len() {
            let close = (0..2).all(|p| {
                let (a, b) = (&curves[i][p], &curves[j][p]);
                a.len() == b.len()
                    && a.iter()
                        .zip(b)
                        .all(|(x, y)| (x - y).abs() <= COINCIDE_POINTS + 1e-9)
            });
            let moves = (0..2).any(|p| curves[i][p].iter().any(|&x| x > 0.0));
            if close && moves {
                pairs.push((i, j));
            }
        }
    }
    pairs
}

pub(super) fn draw_survival<DB: DrawingBackend>(c: &Canvas<DB>, d: &PlotData) -> Result<()> {
    let body = frame(
        c,
        "survival",
        "Share of runs that have reached each by that day; each panel on its own scale, from 0 %",
        d,
    )?;
    let days = d
        .kinetic_by_day
        .iter()
        .chain(&d.crisis_by_day)
        .map(Vec::len)
        .max()
        .unwrap_or(0);
    if d.arms.is_empty() || days == 0 || d.replicates == 0 {
        return c.note(body, "No runs to show: no replicates or no days.");
    }
    let mut items = arm_legend(&d.arms, Swatch::Line);
    if let Some(first) = items.first_mut()
        && d.arms.len() > 1
    {
        // The baseline is drawn wider and underneath, so an arm that matches it leaves a visible edge.
        first.label = format!("{} (baseline, drawn wider)", first.label);
    }
    // An arm drawn over by a later one that coincides with it says so, or a reader looks for it in vain.
    for (i, j) in coinciding(d) {
        if i > 0 {
            items[i].label = format!("{} (under \u{201c}{}\u{201d})", items[i].label, d.arms[j]);
        }
    }
    let legend_h = legend(c, body, &items)?;
    let curves: Vec<[Vec<f64>; 2]> = (0..d.arms.len())
        .map(|arm| {
            let crisis = d.crisis_by_day.get(arm).map_or(&[][..], Vec::as_slice);
            let kinetic = d.kinetic_by_day.get(arm).map_or(&[][..], Vec::as_slice);
            [
                reached_percent(crisis, d.replicates),
                reached_percent(kinetic, d.replicates),
            ]
        })
        .collect();
    let area = Rect::new(
        body.x0 + 96,
        body.y0 + legend_h + 16,
        body.x1 - 10,
        body.y1 - 60,
    );
    let cells = grid_cells(area, 1, 2, 90, 0);
    let time = TimeAxis::new(days);
    for (panel, cell) in cells.iter().enumerate() {
        c.text(
            PANELS[panel],
            (cell.x0, cell.y0 + 10),
            PANEL_TITLE,
            HPos::Left,
            VPos::Center,
        )?;
        let highest = curves
            .iter()
            .flat_map(|pair| pair[panel].iter())
            .copied()
            .fold(0.0f64, f64::max);
        // A probability axis starts at 0 %; its top is the next tick above the highest curve
        // (at least 1 %, so a panel where nothing happens reads as flat at 0).
        let step = nice_step(highest.max(1.0), 5);
        let top = ((highest / step).ceil().max(1.0) * step).min(100.0);
        let plot = Rect::new(cell.x0, cell.y0 + 34, cell.x1, cell.y1);
        let y = Scale::new(0.0, top, plot.y1, plot.y0);
        let x = time.scale(plot);
        y_axis(
            c,
            plot,
            y,
            &ticks(0.0, top, step),
            &|v| format!("{} %", fmt_tick(v, step)),
            true,
        )?;
        c.note_axis(0.0, true, false);
        let (xt, xstep) = time.ticks(plot.w());
        x_axis(c, plot, x, &xt, &|v| fmt_tick(v, xstep), true)?;
        let xd = |day: usize| x.px(time.value(day as f64));
        let width = |arm: usize| if arm == 0 && curves.len() > 1 { 6 } else { 3 };
        for (arm, pair) in curves.iter().enumerate() {
            c.line(
                simplify(&step_path(&pair[panel], &xd, y), 1.5),
                arm_colour(arm).stroke_width(width(arm)),
            )?;
        }
        axes_box(c, plot)?;
    }
    c.text(
        time.label(),
        (area.cx(), body.y1 - 2),
        AXIS_LABEL,
        HPos::Center,
        VPos::Bottom,
    )?;
    c.text_rotated(
        "runs that reached it so far (%)",
        (body.x0 + 12, area.cy() + 17),
        AXIS_LABEL,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_arms_whose_curves_stay_together_every_day_are_named() {
        let mut d = crate::report::plots::example_plot_data();
        assert!(d.arms.len() >= 2, "the example has two arms or more");
        d.replicates = 1000;
        let days = 10;
        for a in 0..d.arms.len() {
            // Far apart: arm a reaches 10·(a+1) % by the end.
            d.crisis_by_day[a] = (0..days)
                .map(|t| (t as u64 + 1) * 10 * (a as u64 + 1))
                .collect();
            d.kinetic_by_day[a] = vec![0; days];
        }
        assert!(coinciding(&d).is_empty());
        // Arm 1 one replicate in 1000 (0.1 pts) from arm 0 every day: on top of each other.
        d.crisis_by_day[1] = d.crisis_by_day[0].iter().map(|n| n + 1).collect();
        assert_eq!(coinciding(&d), vec![(0, 1)]);
        // Two replicates apart on one day: no longer.
        d.crisis_by_day[1][5] += 1;
        assert!(coinciding(&d).is_empty());
        // Curves both flat at zero coincide trivially and are not named.
        for a in 0..d.arms.len() {
            d.crisis_by_day[a] = vec![0; days];
        }
        assert!(coinciding(&d).is_empty());
    }
}
