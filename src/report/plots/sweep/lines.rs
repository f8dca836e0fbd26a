//! The sweep of one parameter: the headline outcome per arm against it with 95 % bands, and below,
//! the paired difference of each other arm from the first (the value of the channels).

use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::montecarlo::stats::Interval;
use crate::report::sweep_plotdata::{PointResult, SweepPlotData};

use super::super::axes::{axes_box, nice_step, ticks, x_axis, y_axis};
use super::super::canvas::{Canvas, Rect, Scale};
use super::super::layout::{Swatch, arm_legend, legend};
use super::super::palette::{INK, arm_colour};
use super::super::text::{PANEL_TITLE, fmt_tick};
use super::shared::{
    baseline_name, finite, horizon_phrase, padded, param_range, sweep_frame, titled, unit,
    value_range, x_title, y_title,
};

/// One curve: (parameter value, interval) in increasing parameter order.
type Curve = Vec<(f64, Interval)>;

/// Splits a curve into runs of points whose estimate is finite (a missing estimate breaks the line).
fn runs(curve: &[(f64, Interval)]) -> Vec<&[(f64, Interval)]> {
    curve
        .split(|(_, i)| !i.value.is_finite())
        .filter(|r| !r.is_empty())
        .collect()
}

fn draw_bands<DB: DrawingBackend>(
    c: &Canvas<DB>,
    (x, y): (Scale, Scale),
    curve: &[(f64, Interval)],
    scale: f64,
    colour: RGBColor,
) -> Result<()> {
    for run in runs(curve) {
        if run.len() >= 2 && run.iter().all(|(_, i)| finite(i)) {
            let mut poly: Vec<(i32, i32)> = run
                .iter()
                .map(|(v, i)| (x.px(*v), y.px(i.hi * scale)))
                .collect();
            poly.extend(
                run.iter()
                    .rev()
                    .map(|(v, i)| (x.px(*v), y.px(i.lo * scale))),
            );
            c.polygon(poly, colour.mix(0.2).filled())?;
        } else {
            // Too short for a band, or with holes: an error bar at each point that has an interval.
            for (v, i) in run.iter().filter(|(_, i)| finite(i)) {
                let px = x.px(*v);
                c.line(
                    vec![(px, y.px(i.lo * scale)), (px, y.px(i.hi * scale))],
                    colour.stroke_width(3),
                )?;
            }
        }
    }
    Ok(())
}

fn draw_line<DB: DrawingBackend>(
    c: &Canvas<DB>,
    (x, y): (Scale, Scale),
    curve: &[(f64, Interval)],
    scale: f64,
    (colour, width, dot): (RGBColor, u32, i32),
) -> Result<()> {
    for run in runs(curve) {
        let pts: Vec<(i32, i32)> = run
            .iter()
            .map(|(v, i)| (x.px(*v), y.px(i.value * scale)))
            .collect();
        c.line(pts.clone(), colour.stroke_width(width))?;
        for p in pts {
            c.dot(p, dot, colour.filled())?;
        }
    }
    Ok(())
}

pub(super) fn draw_outcome_lines<DB: DrawingBackend>(
    c: &Canvas<DB>,
    d: &SweepPlotData,
) -> Result<()> {
    let u = unit(d);
    let label = d.parameters.first().map_or("", |p| p.label.as_str());
    let path = d.parameters.first().map_or(String::new(), |p| p.caption());
    let horizon = horizon_phrase(d.horizon_days);
    let title = titled(&[&d.outcome.label, &horizon, "by", label]);
    let baseline = baseline_name(d);
    let with_diff = d.arms.len() > 1;
    let subtitle = if with_diff {
        format!(
            "Lines: estimate per arm · bands: 95 % intervals · lower panel: paired difference of each arm from “{baseline}”"
        )
    } else {
        "Line: estimate · band: 95 % interval".to_string()
    };
    let body = sweep_frame(c, &title, &subtitle, d)?;
    let mut order: Vec<&PointResult> = d
        .points
        .iter()
        .filter(|p| p.values.first().is_some_and(|v| v.is_finite()))
        .collect();
    if d.arms.is_empty() || order.is_empty() {
        return c.note(body, "No points to show.");
    }
    order.sort_by(|a, b| {
        a.values[0]
            .total_cmp(&b.values[0])
            .then(a.index.cmp(&b.index))
    });
    let curve = |arm: usize, diff: bool| -> Curve {
        order
            .iter()
            .filter_map(|p| {
                let list = if diff { &p.diffs } else { &p.arms };
                list.get(arm).map(|i| (p.values[0], *i))
            })
            .collect()
    };
    let legend_h = legend(c, body, &arm_legend(&d.arms, Swatch::Line))?;
    let area = Rect::new(
        body.x0 + 100,
        body.y0 + legend_h + 12,
        body.x1 - 16,
        body.y1 - 80,
    );
    let (top, bottom) = if with_diff {
        let top_h = (area.h() - 64) * 11 / 20;
        (
            Rect::new(area.x0, area.y0 + 26, area.x1, area.y0 + 26 + top_h),
            Some(Rect::new(
                area.x0,
                area.y0 + 26 + top_h + 64,
                area.x1,
                area.y1,
            )),
        )
    } else {
        (Rect::new(area.x0, area.y0 + 26, area.x1, area.y1), None)
    };
    let (xlo, xhi) = padded(param_range(d, 0));
    let x = Scale::new(xlo, xhi, top.x0, top.x1);
    let xstep = nice_step(xhi - xlo, (top.w() / 120).clamp(2, 8) as usize);
    let xt = ticks(xlo, xhi, xstep);
    let dot = match order.len() {
        0..=40 => 5,
        41..=150 => 3,
        _ => 2,
    };
    // The baseline is drawn first and wider, so an arm that coincides with it leaves a visible edge.
    let width = |arm: usize| if arm == 0 && with_diff { 5 } else { 3 };

    // Upper panel: the outcome per arm.
    c.text(
        &PANEL_TITLE.fit(&format!("{} per arm", d.outcome.label), top.w()),
        (top.x0, top.y0 - 14),
        PANEL_TITLE,
        HPos::Left,
        VPos::Center,
    )?;
    let curves: Vec<Curve> = (0..d.arms.len()).map(|a| curve(a, false)).collect();
    // A probability is never below 0 (an interval's bound can be, by a rounding error).
    let floor = if d.outcome.proportion {
        0.0
    } else {
        f64::NEG_INFINITY
    };
    let values: Vec<f64> = curves
        .iter()
        .flatten()
        .flat_map(|(_, i)| [i.lo * u.scale, i.hi * u.scale, i.value * u.scale])
        .map(|v| v.max(floor))
        .collect();
    let (lo, hi, step) = value_range(&values, true, (top.h() / 60).clamp(2, 8) as usize);
    let y = Scale::new(lo, hi, top.y1, top.y0);
    y_axis(
        c,
        top,
        y,
        &ticks(lo, hi, step),
        &|v| format!("{}{}", fmt_tick(v, step), u.suffix),
        true,
    )?;
    c.note_axis(lo, d.outcome.proportion, false);
    x_axis(c, top, x, &xt, &|v| fmt_tick(v, xstep), true)?;
    for (arm, cv) in curves.iter().enumerate() {
        draw_bands(c, (x, y), cv, u.scale, arm_colour(arm))?;
    }
    for (arm, cv) in curves.iter().enumerate() {
        draw_line(c, (x, y), cv, u.scale, (arm_colour(arm), width(arm), dot))?;
    }
    axes_box(c, top)?;
    y_title(
        c,
        (body.x0 + 12, top.cy()),
        &format!("{} ({})", d.outcome.label, u.axis),
        top.h(),
    )?;

    // Lower panel: the paired difference from the baseline.
    let plot_bottom = if let Some(bottom) = bottom {
        c.text(
            &PANEL_TITLE.fit(
                &format!("Paired difference from “{baseline}” (arm − baseline)"),
                bottom.w(),
            ),
            (bottom.x0, bottom.y0 - 14),
            PANEL_TITLE,
            HPos::Left,
            VPos::Center,
        )?;
        let curves: Vec<Curve> = (1..d.arms.len()).map(|a| curve(a, true)).collect();
        let values: Vec<f64> = curves
            .iter()
            .flatten()
            .flat_map(|(_, i)| [i.lo * u.scale, i.hi * u.scale, i.value * u.scale])
            .collect();
        let (lo, hi, step) = value_range(&values, true, (bottom.h() / 55).clamp(2, 6) as usize);
        let y = Scale::new(lo, hi, bottom.y1, bottom.y0);
        y_axis(
            c,
            bottom,
            y,
            &ticks(lo, hi, step),
            &|v| fmt_tick(v, step),
            true,
        )?;
        x_axis(c, bottom, x, &xt, &|v| fmt_tick(v, xstep), true)?;
        c.line(
            vec![(bottom.x0, y.px(0.0)), (bottom.x1, y.px(0.0))],
            INK.stroke_width(2),
        )?;
        for (k, cv) in curves.iter().enumerate() {
            draw_bands(c, (x, y), cv, u.scale, arm_colour(k + 1))?;
        }
        for (k, cv) in curves.iter().enumerate() {
            draw_line(c, (x, y), cv, u.scale, (arm_colour(k + 1), 3, dot))?;
        }
        axes_box(c, bottom)?;
        y_title(
            c,
            (body.x0 + 12, bottom.cy()),
            &format!("change ({})", u.change),
            bottom.h(),
        )?;
        bottom
    } else {
        top
    };
    x_title(
        c,
        (plot_bottom.cx(), plot_bottom.y1 + 32),
        label,
        &path,
        plot_bottom.w(),
    )
}
