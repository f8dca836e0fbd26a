//! Many parameters (a grid over three or more, or a Latin hypercube): one small panel per parameter
//! with the paired difference at every design point against that parameter, and its mean per level
//! or bin with a 95 % interval. Panels share the y scale and are ordered by how much the means move,
//! so the parameters that drive the outcome come first.

use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::report::sweep_plotdata::SweepPlotData;

use super::super::axes::{axes_box, nice_step, ticks, x_axis, y_axis};
use super::super::canvas::{Canvas, Rect, Scale};
use super::super::layout::{Swatch, arm_legend, grid_cells, grid_shape, legend};
use super::super::palette::{INK, MUTED, arm_colour};
use super::super::text::{PANEL_TITLE, fmt_tick, font};
use super::shared::{
    baseline_name, design_name, fmt_value, horizon_phrase, level_index, levels_of, padded,
    param_range, sweep_frame, titled, unit, value_decimals, value_range, y_title,
};

/// The most parameters shown (the strongest, by the spread of their means).
const MAX_PANELS: usize = 12;
/// The most arms whose difference is drawn.
const MAX_SERIES: usize = 4;

pub(super) fn effects_size(d: &SweepPlotData) -> (u32, u32) {
    let n = d.parameters.len().clamp(1, MAX_PANELS);
    let (rows, cols) = grid_shape(n);
    let w = if cols >= 4 { 1500 } else { 1300 };
    (w, (250 + rows as u32 * 320).max(800))
}

/// The mean of the points at one level or in one bin, with a 95 % interval over the points.
struct Bin {
    x: f64,
    mean: f64,
    lo: f64,
    hi: f64,
}

/// Means of `(x, y)` pairs per grid level (few levels) or per equal-width bin over `range`.
fn bins(pairs: &[(f64, f64)], levels: &[f64], range: (f64, f64)) -> Vec<Bin> {
    let by_level = !levels.is_empty()
        && levels.len() <= 12
        && pairs.iter().all(|(x, _)| level_index(levels, *x).is_some());
    let (centres, slot): (Vec<f64>, Box<dyn Fn(f64) -> usize>) = if by_level {
        (
            levels.to_vec(),
            Box::new(|x| level_index(levels, x).unwrap_or(0)),
        )
    } else {
        let n = (pairs.len() / 10).clamp(3, 6);
        let (lo, hi) = range;
        let w = (hi - lo) / n as f64;
        let centres = (0..n).map(|k| lo + (k as f64 + 0.5) * w).collect();
        (
            centres,
            Box::new(move |x| (((x - lo) / w).floor().max(0.0) as usize).min(n - 1)),
        )
    };
    let mut groups: Vec<Vec<f64>> = vec![Vec::new(); centres.len()];
    for (x, y) in pairs.iter().filter(|(x, y)| x.is_finite() && y.is_finite()) {
        groups[slot(*x)].push(*y);
    }
    centres
        .iter()
        .zip(&groups)
        .filter(|(_, g)| !g.is_empty())
        .map(|(x, g)| {
            let k = g.len() as f64;
            let mean = g.iter().sum::<f64>() / k;
            let half = if g.len() > 1 {
                let var = g.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (k - 1.0);
                1.96 * (var / k).sqrt()
            } else {
                0.0
            };
            Bin {
                x: *x,
                mean,
                lo: mean - half,
                hi: mean + half,
            }
        })
        .collect()
}

/// What one panel shows for one series (an arm's difference, or the only arm's outcome).
struct Series {
    arm: usize,
    pairs: Vec<(f64, f64)>,
    bins: Vec<Bin>,
}

pub(super) fn draw_effects<DB: DrawingBackend>(c: &Canvas<DB>, d: &SweepPlotData) -> Result<()> {
    let u = unit(d);
    let diff = d.arms.len() > 1;
    let horizon = horizon_phrase(d.horizon_days);
    let what = if diff {
        format!("the change in {}", d.outcome.label)
    } else {
        d.outcome.label.clone()
    };
    let title = titled(&[
        "What drives",
        &what,
        &horizon,
        "across",
        &d.parameters.len().to_string(),
        "parameters",
    ]);
    let series_arms: Vec<usize> = if diff {
        (1..d.arms.len().min(1 + MAX_SERIES)).collect()
    } else {
        vec![0]
    };
    let subtitle = format!(
        "{} · dots: the {} {} points · lines: mean per {} with 95 % interval · panels ordered by how far the means move",
        if diff && d.arms.len() > 1 + MAX_SERIES {
            format!(
                "Paired difference from “{}” of the first {MAX_SERIES} of {} other arms",
                baseline_name(d),
                d.arms.len() - 1
            )
        } else if diff {
            format!("Paired difference of each arm from “{}”", baseline_name(d))
        } else {
            "Interval at each point".to_string()
        },
        d.points.len(),
        design_name(d.design),
        if d.design == crate::report::sweep_plotdata::DesignKind::Grid {
            "level"
        } else {
            "bin"
        },
    );
    let body = sweep_frame(c, &title, &subtitle, d)?;
    if d.arms.is_empty() || d.points.is_empty() || d.parameters.is_empty() {
        return c.note(body, "No points to show.");
    }
    let items = arm_legend(
        d.arms
            .get(..series_arms.last().map_or(1, |a| a + 1))
            .unwrap_or(&d.arms),
        Swatch::Line,
    );
    let items: Vec<_> = items
        .into_iter()
        .enumerate()
        .filter(|(a, _)| series_arms.contains(a))
        .map(|(_, i)| i)
        .collect();
    let legend_h = legend(c, body, &items)?;
    // Per parameter: its series and how far the first series' means move.
    let mut panels: Vec<(usize, Vec<Series>, f64)> = (0..d.parameters.len())
        .map(|p| {
            let levels = levels_of(d, p);
            let range = param_range(d, p);
            let series: Vec<Series> = series_arms
                .iter()
                .map(|&arm| {
                    let pairs: Vec<(f64, f64)> = d
                        .points
                        .iter()
                        .filter_map(|pt| {
                            let list = if diff { &pt.diffs } else { &pt.arms };
                            Some((*pt.values.get(p)?, list.get(arm)?.value * u.scale))
                        })
                        .collect();
                    let bins = bins(&pairs, &levels, range);
                    Series { arm, pairs, bins }
                })
                .collect();
            let means: Vec<f64> = series.first().map_or(Vec::new(), |s| {
                s.bins
                    .iter()
                    .map(|b| b.mean)
                    .filter(|m| m.is_finite())
                    .collect()
            });
            let spread = means.iter().fold(f64::NEG_INFINITY, |m, v| m.max(*v))
                - means.iter().fold(f64::INFINITY, |m, v| m.min(*v));
            (
                p,
                series,
                if spread.is_finite() { spread } else { f64::NAN },
            )
        })
        .collect();
    panels.sort_by(|a, b| {
        let key = |s: f64| if s.is_finite() { s } else { -1.0 };
        key(b.2).total_cmp(&key(a.2)).then(a.0.cmp(&b.0))
    });
    panels.truncate(MAX_PANELS);
    let values: Vec<f64> = panels
        .iter()
        .flat_map(|(_, s, _)| s.iter())
        .flat_map(|s| {
            s.pairs
                .iter()
                .map(|(_, y)| *y)
                .chain(s.bins.iter().flat_map(|b| [b.lo, b.hi]))
        })
        .collect();
    let (lo, hi, step) = value_range(&values, diff || d.outcome.proportion, 5);
    let spread_dec = value_decimals(&[hi - lo]);
    let (rows, cols) = grid_shape(panels.len());
    let area = Rect::new(body.x0 + 44, body.y0 + legend_h + 8, body.x1, body.y1);
    let cells = grid_cells(area, rows, cols, 40, 26);
    let dot = match d.points.len() {
        0..=60 => 4,
        61..=300 => 3,
        _ => 2,
    };
    // Measured with the widest the note can be (two digits and the longer unit).
    let widest_note = format!(
        "means move {} {}",
        fmt_value(88.0, spread_dec),
        if u.change.len() > u.axis.len() {
            u.change
        } else {
            u.axis
        }
    );
    let two_lines = panels.iter().zip(&cells).any(|((p, _, _), cell)| {
        let label = &d.parameters[*p].label;
        PANEL_TITLE.width(label) + font(15.0).width(&widest_note) + 16 > cell.w()
    });
    for ((p, series, spread), cell) in panels.iter().zip(&cells) {
        let info = &d.parameters[*p];
        let note = if spread.is_finite() {
            format!(
                "means move {} {}",
                fmt_value(*spread, spread_dec),
                if diff { u.change } else { u.axis }
            )
        } else {
            String::new()
        };
        // The parameter's name in full where it fits; the note beside it, or below it in every panel when
        // one panel has no room for both (so the panels line up).
        let note_font = font(15.0).colour(MUTED);
        let note_at = if !two_lines {
            (cell.x1, cell.y0 + 12, HPos::Right)
        } else {
            (cell.x0, cell.y0 + 33, HPos::Left)
        };
        c.text(
            &note_font.fit(&note, cell.w()),
            (note_at.0, note_at.1),
            note_font,
            note_at.2,
            VPos::Center,
        )?;
        c.text(
            &PANEL_TITLE.fit(&info.label, cell.w()),
            (cell.x0, cell.y0 + 12),
            PANEL_TITLE,
            HPos::Left,
            VPos::Center,
        )?;
        let left = if cell.x0 - area.x0 < 10 { 62 } else { 10 };
        let top = if two_lines { 50 } else { 30 };
        let plot = Rect::new(cell.x0 + left, cell.y0 + top, cell.x1 - 6, cell.y1 - 48);
        let (xlo, xhi) = padded(param_range(d, *p));
        let x = Scale::new(xlo, xhi, plot.x0, plot.x1);
        let y = Scale::new(lo, hi, plot.y1, plot.y0);
        let xstep = nice_step(xhi - xlo, (plot.w() / 80).clamp(3, 6) as usize);
        let first_col = cell.x0 - area.x0 < 10;
        y_axis(
            c,
            plot,
            y,
            &ticks(lo, hi, step),
            &|v| format!("{}{}", fmt_tick(v, step), if diff { "" } else { u.suffix }),
            first_col,
        )?;
        c.note_axis(lo, d.outcome.proportion && !diff, false);
        x_axis(
            c,
            plot,
            x,
            &ticks(xlo, xhi, xstep),
            &|v| fmt_tick(v, xstep),
            true,
        )?;
        if diff {
            c.line(
                vec![(plot.x0, y.px(0.0)), (plot.x1, y.px(0.0))],
                INK.stroke_width(1),
            )?;
        }
        for s in series {
            let colour = arm_colour(s.arm);
            for (vx, vy) in s
                .pairs
                .iter()
                .filter(|(a, b)| a.is_finite() && b.is_finite())
            {
                c.dot((x.px(*vx), y.px(*vy)), dot, colour.mix(0.45).filled())?;
            }
        }
        for s in series {
            let colour = arm_colour(s.arm);
            let line: Vec<(i32, i32)> = s.bins.iter().map(|b| (x.px(b.x), y.px(b.mean))).collect();
            c.line(line.clone(), INK.stroke_width(5))?;
            c.line(line, colour.stroke_width(3))?;
            for b in &s.bins {
                let px = x.px(b.x);
                c.line(
                    vec![(px, y.px(b.lo)), (px, y.px(b.hi))],
                    INK.stroke_width(2),
                )?;
                c.dot((px, y.px(b.mean)), 5, colour.filled())?;
                c.dot((px, y.px(b.mean)), 5, INK.stroke_width(1))?;
            }
        }
        axes_box(c, plot)?;
        let small = font(13.0).colour(MUTED);
        c.text(
            &small.fit(&info.caption(), plot.w()),
            (plot.cx(), plot.y1 + 28),
            small,
            HPos::Center,
            VPos::Top,
        )?;
    }
    let ylabel = if diff {
        format!("change in {} ({})", d.outcome.label, u.change)
    } else {
        format!("{} ({})", d.outcome.label, u.axis)
    };
    y_title(c, (body.x0 + 10, area.cy()), &ylabel, area.h())
}
