//! Plot 4: key outcomes per arm, and the paired change against the baseline.

use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::montecarlo::stats::Interval;
use crate::report::plotdata::{MetricRow, PlotData};

use super::axes::{axes_box, nice_step, ticks, x_axis};
use super::canvas::{Canvas, Rect, Scale};
use super::layout::{Swatch, arm_legend, frame, legend};
use super::palette::{AXIS, MUTED, arm_colour};
use super::text::{fmt_tick, font};

/// The most metrics the outcome grid shows (one row each).
pub(super) const MAX_METRICS: usize = 8;

fn finite(i: &Interval) -> bool {
    i.value.is_finite() && i.lo.is_finite() && i.hi.is_finite()
}

/// The value range to show for intervals, padded, always including zero.
fn interval_range(intervals: &[Interval], scale: f64) -> (f64, f64, f64) {
    let mut lo = 0.0f64;
    let mut hi = 0.0f64;
    for i in intervals.iter().filter(|i| finite(i)) {
        lo = lo.min(i.lo.min(i.value) * scale);
        hi = hi.max(i.hi.max(i.value) * scale);
    }
    if hi - lo <= 0.0 {
        hi = lo + 1.0;
    }
    let step = nice_step(hi - lo, 4);
    let lo = if lo < 0.0 {
        (lo / step - 0.15).floor() * step
    } else {
        0.0
    };
    let hi = if hi > 0.0 {
        (hi / step + 0.15).ceil() * step
    } else {
        0.0
    };
    (lo, hi, step)
}

fn draw_intervals<DB: DrawingBackend>(
    c: &Canvas<DB>,
    plot: Rect,
    rows: usize,
    entries: &[(usize, Interval)],
    scale: f64,
    unit: &str,
    zero_line: bool,
) -> Result<()> {
    if !entries.iter().any(|e| finite(&e.1)) {
        axes_box(c, plot)?;
        return c.note(plot, "no estimate");
    }
    let (lo, hi, step) = interval_range(&entries.iter().map(|e| e.1).collect::<Vec<_>>(), scale);
    let x = Scale::new(lo, hi, plot.x0, plot.x1);
    let xt = ticks(lo, hi, step);
    x_axis(
        c,
        plot,
        x,
        &xt,
        &|v| format!("{}{unit}", fmt_tick(v, step)),
        true,
    )?;
    // Estimates in % are probabilities; differences (with their zero line) are not.
    c.note_axis(lo, unit.contains('%') && !zero_line, false);
    if zero_line {
        c.line(
            vec![(x.px(0.0), plot.y0), (x.px(0.0), plot.y1)],
            // Grey, not black: an arm drawn in black must stay visible on it.
            AXIS.stroke_width(2),
        )?;
    }
    let row_h = f64::from(plot.h()) / rows.max(1) as f64;
    for &(arm, i) in entries {
        if !finite(&i) {
            continue;
        }
        let py = (f64::from(plot.y0) + (arm as f64 + 0.5) * row_h).round() as i32;
        let colour = arm_colour(arm);
        let (a, b) = (x.px(i.lo * scale), x.px(i.hi * scale));
        let cap = (row_h * 0.3).clamp(2.0, 7.0) as i32;
        c.line(vec![(a, py), (b, py)], colour.stroke_width(3))?;
        c.line(vec![(a, py - cap), (a, py + cap)], colour.stroke_width(2))?;
        c.line(vec![(b, py - cap), (b, py + cap)], colour.stroke_width(2))?;
        c.dot(
            (x.px(i.value * scale), py),
            (row_h * 0.32).clamp(3.0, 6.0) as i32,
            colour.filled(),
        )?;
    }
    axes_box(c, plot)
}

pub(super) fn draw_outcomes<DB: DrawingBackend>(c: &Canvas<DB>, d: &PlotData) -> Result<()> {
    let baseline = d.arms.first().map_or("the first arm", String::as_str);
    let body = frame(
        c,
        "outcomes",
        if d.parameter_uncertainty {
            "Dots: estimates · bars: 95 % Monte Carlo intervals (with parameter uncertainty: report.md) · right: change from the first arm"
        } else {
            "Dots: estimates · bars: 95 % intervals · right: the paired difference from the first arm"
        },
        d,
    )?;
    let legend_h = legend(c, body, &arm_legend(&d.arms, Swatch::Line))?;
    let metrics: Vec<&MetricRow> = d.metrics.iter().take(MAX_METRICS).collect();
    let area = Rect::new(body.x0, body.y0 + legend_h + 8, body.x1, body.y1);
    if metrics.is_empty() || d.arms.is_empty() {
        return c.note(area, "No metrics to show.");
    }
    let with_differences = d.arms.len() > 1;
    let label_w = 270;
    let header_h = 30;
    let cols_x0 = area.x0 + label_w;
    let col_gap = 56;
    let col_w = if with_differences {
        (area.x1 - cols_x0 - col_gap) / 2
    } else {
        area.x1 - cols_x0
    };
    let head = font(17.0).bold();
    c.text(
        &head.fit("estimate per arm", col_w),
        (cols_x0, area.y0 + 12),
        head,
        HPos::Left,
        VPos::Center,
    )?;
    if with_differences {
        let title = format!("difference from “{baseline}”");
        c.text(
            &head.fit(&title, col_w),
            (cols_x0 + col_w + col_gap, area.y0 + 12),
            head,
            HPos::Left,
            VPos::Center,
        )?;
    }
    let rows_area = Rect::new(area.x0, area.y0 + header_h, area.x1, area.y1);
    let row_h = rows_area.h() / metrics.len() as i32;
    let name_font = font(17.0).bold();
    let unit_font = font(15.0).colour(MUTED);
    for (m, metric) in metrics.iter().enumerate() {
        let top = rows_area.y0 + m as i32 * row_h;
        let plot_h = row_h - 34;
        let label_lines = name_font.wrap(metric.label(), label_w - 20, 2);
        for (i, line) in label_lines.iter().enumerate() {
            c.text(
                line,
                (area.x0, top + 12 + 21 * i as i32),
                name_font,
                HPos::Left,
                VPos::Center,
            )?;
        }
        let unit = match (metric.proportion(), with_differences) {
            (true, true) => "% of runs; change in % points",
            (true, false) => "% of runs",
            (false, _) => "mean per run",
        };
        c.text(
            unit,
            (area.x0, top + 12 + 21 * label_lines.len() as i32),
            unit_font,
            HPos::Left,
            VPos::Center,
        )?;
        let (scale, suffix) = if metric.proportion() {
            (100.0, " %")
        } else {
            (1.0, "")
        };
        let plot = Rect::new(cols_x0, top + 4, cols_x0 + col_w, top + 4 + plot_h);
        let estimates: Vec<(usize, Interval)> = metric
            .by_arm
            .iter()
            .copied()
            .enumerate()
            .take(d.arms.len())
            .collect();
        draw_intervals(c, plot, d.arms.len(), &estimates, scale, suffix, false)?;
        if with_differences {
            let plot = Rect::new(
                plot.x1 + col_gap,
                plot.y0,
                plot.x1 + col_gap + col_w,
                plot.y1,
            );
            let diffs: Vec<(usize, Interval)> = d
                .differences
                .iter()
                .find(|row| row.metric == metric.metric)
                .map(|row| {
                    row.by_arm
                        .iter()
                        .copied()
                        .enumerate()
                        .map(|(j, i)| (j + 1, i))
                        .take(d.arms.len() - 1)
                        .collect()
                })
                .unwrap_or_default();
            if diffs.is_empty() {
                axes_box(c, plot)?;
                c.note(plot, "no paired differences")?;
            } else {
                draw_intervals(c, plot, d.arms.len(), &diffs, scale, "", true)?;
            }
        }
    }
    Ok(())
}
