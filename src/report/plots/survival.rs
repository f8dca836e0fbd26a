//! Plot 2, survival: how long runs stay clear of crisis and kinetic conflict.

use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::report::plotdata::PlotData;

use super::axes::{TimeAxis, axes_box, nice_step, ticks, x_axis, y_axis};
use super::canvas::{Canvas, Rect, Scale, simplify};
use super::layout::{LegendItem, Swatch, arm_legend, frame, legend};
use super::palette::{MUTED, arm_colour};
use super::text::{AXIS_LABEL, fmt_tick};

/// Percentage of replicates without the event by each day.
fn survival_percent(by_day: &[u64], replicates: u64) -> Vec<f64> {
    if replicates == 0 {
        return Vec::new();
    }
    by_day
        .iter()
        .map(|&n| 100.0 * (1.0 - (n.min(replicates) as f64 / replicates as f64)))
        .collect()
}

/// A step path through daily values, with points only where the value changes.
fn survival_path(values: &[f64], x: &dyn Fn(usize) -> i32, y: Scale) -> Vec<(i32, i32)> {
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

pub(super) fn draw_survival<DB: DrawingBackend>(c: &Canvas<DB>, d: &PlotData) -> Result<()> {
    let body = frame(
        c,
        "survival",
        "Share of runs with no kinetic conflict yet (solid) and no crisis yet (dashed), by day",
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
    // The line-style key first, so it survives when a long list of arms is cut short.
    let mut items = vec![
        LegendItem {
            swatch: Swatch::Line(MUTED),
            label: "no kinetic conflict yet".into(),
        },
        LegendItem {
            swatch: Swatch::Dashed(MUTED),
            label: "no crisis yet".into(),
        },
    ];
    items.extend(arm_legend(&d.arms, Swatch::Line));
    let legend_h = legend(c, body, &items)?;
    let plot = Rect::new(
        body.x0 + 100,
        body.y0 + legend_h + 16,
        body.x1 - 10,
        body.y1 - 60,
    );
    let curves: Vec<(Vec<f64>, Vec<f64>)> = (0..d.arms.len())
        .map(|arm| {
            let kinetic = d.kinetic_by_day.get(arm).map_or(&[][..], Vec::as_slice);
            let crisis = d.crisis_by_day.get(arm).map_or(&[][..], Vec::as_slice);
            (
                survival_percent(kinetic, d.replicates),
                survival_percent(crisis, d.replicates),
            )
        })
        .collect();
    let lowest = curves
        .iter()
        .flat_map(|(k, c)| k.iter().chain(c))
        .copied()
        .fold(100.0f64, f64::min);
    // At least five steps of scale, so a plot where nothing happens still reads as "100 %, flat".
    let step = nice_step((100.0 - lowest).max(5.0), 6);
    let lo = (((lowest - step * 0.3) / step).floor() * step)
        .min(100.0 - 5.0 * step)
        .max(0.0);
    let y = Scale::new(lo, 100.0 + (100.0 - lo) * 0.015, plot.y1, plot.y0);
    let time = TimeAxis::new(days);
    let x = time.scale(plot);
    let yt = ticks(lo, 100.0, step);
    y_axis(
        c,
        plot,
        y,
        &yt,
        &|v| format!("{} %", fmt_tick(v, step)),
        true,
    )?;
    let (xt, xstep) = time.ticks(plot.w());
    x_axis(c, plot, x, &xt, &|v| fmt_tick(v, xstep), true)?;
    let xd = |day: usize| x.px(time.value(day as f64));
    // The baseline is drawn first and wider, so an arm whose curve coincides with it leaves a visible edge.
    let width = |arm: usize| if arm == 0 && curves.len() > 1 { 6 } else { 3 };
    for (arm, (_, crisis)) in curves.iter().enumerate() {
        c.dashed(
            simplify(&survival_path(crisis, &xd, y), 3.0),
            10,
            7,
            arm_colour(arm).stroke_width(width(arm)),
        )?;
    }
    for (arm, (kinetic, _)) in curves.iter().enumerate() {
        c.line(
            simplify(&survival_path(kinetic, &xd, y), 3.0),
            arm_colour(arm).stroke_width(width(arm)),
        )?;
    }
    axes_box(c, plot)?;
    c.text(
        time.label(),
        (plot.cx(), body.y1 - 2),
        AXIS_LABEL,
        HPos::Center,
        VPos::Bottom,
    )?;
    c.text_rotated(
        "runs without the event so far (%)",
        (body.x0 + 12, plot.cy()),
        AXIS_LABEL,
    )
}
