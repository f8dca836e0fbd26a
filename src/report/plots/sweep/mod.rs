//! The plots of a parameter sweep, drawn from [`SweepPlotData`] alone (so a sweep folder is redrawn
//! without re-simulating), in the house style of the result-folder plots: pixel layout from measured
//! text, the bundled font, Okabe–Ito colours, byte-identical SVG for the same data.
//!
//! Which plots apply depends on the design: one parameter gives the outcome against it; a grid over
//! two gives heat-maps; more parameters, or a Latin hypercube, give one panel per parameter; a Morris
//! design gives the μ*/σ screening chart.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::report::plotdata::Interval;
use crate::sweep::plotdata::{DesignKind, SweepPlotData};

use super::axes::{DAYS_PER_YEAR, nice_step};
use super::canvas::{Canvas, Rect};
use super::palette::{GRID, MUTED};
use super::text::{AXIS_LABEL, FOOTER, SUBTITLE, TITLE, font, group_thousands};
use super::{register_fonts, write_through_temporary};

mod example;
mod heatmap;
mod lines;
mod morris;
mod scatter;
#[cfg(test)]
mod tests;

pub use example::example_sweep_data;

/// Every sweep plot: its file stem and a one-line title for the report.
const SWEEP_PLOTS: [(&str, &str); 4] = [
    (
        "sweep_outcome",
        "The headline outcome per arm against the swept parameter, and the paired difference from the first arm",
    ),
    (
        "sweep_heatmaps",
        "The headline outcome over two swept parameters, per arm, and the paired difference from the first arm",
    ),
    (
        "sweep_effects",
        "Which parameters drive the outcome: the paired difference against each swept parameter",
    ),
    (
        "morris",
        "Morris screening: which parameters matter (μ* against σ, and μ* ranked)",
    ),
];

fn entry(stem: &str) -> (&'static str, &'static str) {
    SWEEP_PLOTS
        .iter()
        .copied()
        .find(|(s, _)| *s == stem)
        .expect("invariant: every stem asked for is in SWEEP_PLOTS")
}

/// The plots that apply to this sweep, in drawing order: (file stem, one-line title for a report).
///
/// One parameter (any design): `sweep_outcome`. A grid over two parameters: `sweep_heatmaps`. A grid
/// over more, or a Latin hypercube over two or more: `sweep_effects`. A Morris design: `morris`.
pub fn sweep_plot_stems(data: &SweepPlotData) -> Vec<(&'static str, &'static str)> {
    let n = data.parameters.len();
    let mut stems = Vec::new();
    if n == 1 {
        stems.push(entry("sweep_outcome"));
    }
    match data.design {
        DesignKind::Grid if n == 2 => stems.push(entry("sweep_heatmaps")),
        DesignKind::Grid | DesignKind::LatinHypercube if n >= 2 => {
            stems.push(entry("sweep_effects"));
        }
        DesignKind::Morris if n >= 1 => stems.push(entry("morris")),
        _ => {}
    }
    stems
}

/// Draws every applicable sweep plot as PNG and SVG into `dir`; returns the files written, in the
/// order of [`sweep_plot_stems`] (PNG then SVG for each).
///
/// Each file is written through a temporary sibling and a rename, so a reader never sees half a plot.
pub fn draw_sweep(data: &SweepPlotData, dir: &Path) -> Result<Vec<PathBuf>> {
    register_fonts()?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let stems = sweep_plot_stems(data);
    let mut written = Vec::with_capacity(2 * stems.len());
    for (stem, _) in stems {
        let png = dir.join(format!("{stem}.png"));
        write_through_temporary(&png, |tmp| write_png(stem, data, tmp))?;
        written.push(png);
        let svg = dir.join(format!("{stem}.svg"));
        let text = render_sweep_svg(stem, data)?;
        write_through_temporary(&svg, |tmp| {
            std::fs::write(tmp, &text).with_context(|| format!("cannot write {}", tmp.display()))
        })?;
        written.push(svg);
    }
    Ok(written)
}

/// The canvas size in pixels of the sweep plot `stem` (heat-maps and small multiples grow with the
/// number of arms or parameters).
pub fn sweep_plot_size(stem: &str, data: &SweepPlotData) -> (u32, u32) {
    match stem {
        "sweep_heatmaps" => heatmap::heatmap_size(data),
        "sweep_effects" => scatter::effects_size(data),
        "morris" => morris::morris_size(data),
        _ => (1200, 900),
    }
}

/// Draws the sweep plot `stem` as an SVG document.
pub fn render_sweep_svg(stem: &str, data: &SweepPlotData) -> Result<String> {
    register_fonts()?;
    let mut svg = String::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, sweep_plot_size(stem, data)).into_drawing_area();
        draw_sweep_plot(stem, &root, data, false)?;
        root.present()
            .map_err(|e| anyhow!("drawing {stem}.svg: {e}"))?;
    }
    Ok(svg)
}

/// Draws the sweep plot `stem` into an RGB buffer (3 bytes a pixel, row by row); returns it with its size.
pub fn render_sweep_rgb(stem: &str, data: &SweepPlotData) -> Result<(Vec<u8>, (u32, u32))> {
    register_fonts()?;
    let size = sweep_plot_size(stem, data);
    let mut buf = vec![0u8; size.0 as usize * size.1 as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut buf, size).into_drawing_area();
        draw_sweep_plot(stem, &root, data, true)?;
        root.present().map_err(|e| anyhow!("drawing {stem}: {e}"))?;
    }
    Ok((buf, size))
}

fn write_png(stem: &str, data: &SweepPlotData, path: &Path) -> Result<()> {
    let root = BitMapBackend::new(path, sweep_plot_size(stem, data)).into_drawing_area();
    draw_sweep_plot(stem, &root, data, true)?;
    root.present()
        .map_err(|e| anyhow!("cannot write {}: {e}", path.display()))
}

fn draw_sweep_plot<DB: DrawingBackend>(
    stem: &str,
    area: &DrawingArea<DB, Shift>,
    data: &SweepPlotData,
    bitmap: bool,
) -> Result<()> {
    let (w, h) = area.dim_in_pixel();
    let c = Canvas {
        area,
        w: w as i32,
        h: h as i32,
        bitmap,
    };
    c.fill(Rect::new(0, 0, c.w, c.h), WHITE.into())?;
    let drawn = match stem {
        "sweep_outcome" => lines::draw_outcome_lines(&c, data),
        "sweep_heatmaps" => heatmap::draw_heatmaps(&c, data),
        "sweep_effects" => scatter::draw_effects(&c, data),
        "morris" => morris::draw_morris(&c, data),
        _ => bail!("no sweep plot is called {stem:?}"),
    };
    drawn.with_context(|| format!("drawing the {stem} plot"))
}

// ---------------------------------------------------------------------------------------------
// Shared by the sweep plots
// ---------------------------------------------------------------------------------------------

const MARGIN: i32 = 28;

/// How the headline outcome is shown: proportions in %, means as they are.
#[derive(Clone, Copy)]
struct Unit {
    /// Multiplies a value for display.
    scale: f64,
    /// Appended to tick labels of the outcome.
    suffix: &'static str,
    /// The unit of the outcome, for axis titles.
    axis: &'static str,
    /// The unit of a difference of outcomes, for axis titles.
    change: &'static str,
}

fn unit(d: &SweepPlotData) -> Unit {
    if d.outcome.proportion {
        Unit {
            scale: 100.0,
            suffix: " %",
            axis: "% of runs",
            change: "% points",
        }
    } else {
        Unit {
            scale: 1.0,
            suffix: "",
            axis: "mean per run",
            change: "difference of means",
        }
    }
}

fn finite(i: &Interval) -> bool {
    i.value.is_finite() && i.lo.is_finite() && i.hi.is_finite()
}

fn baseline_name(d: &SweepPlotData) -> &str {
    d.arms.first().map_or("the first arm", String::as_str)
}

fn param_label(d: &SweepPlotData, p: usize) -> &str {
    d.parameters.get(p).map_or("", |p| p.label.as_str())
}

fn design_name(design: DesignKind) -> &'static str {
    match design {
        DesignKind::Grid => "grid",
        DesignKind::LatinHypercube => "Latin hypercube",
        DesignKind::Morris => "Morris trajectories",
    }
}

/// "over 5 years", "over 90 days", for titles (empty for a horizon of zero days).
fn horizon_phrase(days: u32) -> String {
    let years = f64::from(days) / DAYS_PER_YEAR;
    match days {
        0 => String::new(),
        1 => "over 1 day".into(),
        n if years >= 2.0 => {
            let whole = years.round();
            if (whole * DAYS_PER_YEAR - f64::from(n)).abs() <= 2.0 {
                format!("over {whole:.0} years")
            } else {
                format!("over {years:.1} years")
            }
        }
        n => format!("over {} days", group_thousands(u64::from(n))),
    }
}

/// The title text with the horizon, without a double space when the horizon is unknown.
fn titled(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

fn replicates_phrase(d: &SweepPlotData) -> String {
    let lo = d.points.iter().map(|p| p.replicates).min();
    let hi = d.points.iter().map(|p| p.replicates).max();
    match (lo, hi) {
        (Some(lo), Some(hi)) if lo == hi => {
            format!("{} replicates per point and arm", group_thousands(lo))
        }
        (Some(lo), Some(hi)) => format!(
            "{}–{} replicates per point and arm",
            group_thousands(lo),
            group_thousands(hi)
        ),
        _ => "no points".into(),
    }
}

/// Draws the title, a subtitle of up to two lines and the footer; returns the area left for the plot.
fn sweep_frame<DB: DrawingBackend>(
    c: &Canvas<DB>,
    title: &str,
    subtitle: &str,
    d: &SweepPlotData,
) -> Result<Rect> {
    let width = c.w - 2 * MARGIN;
    c.text(
        &TITLE.fit(title, width),
        (MARGIN, 20),
        TITLE,
        HPos::Left,
        VPos::Top,
    )?;
    let lines = SUBTITLE.wrap(subtitle, width, 2);
    for (i, line) in lines.iter().enumerate() {
        c.text(
            line,
            (MARGIN, 62 + 24 * i as i32),
            SUBTITLE,
            HPos::Left,
            VPos::Top,
        )?;
    }
    let days = match d.horizon_days {
        1 => "1 day".to_string(),
        n if f64::from(n) >= DAYS_PER_YEAR => format!(
            "{} days ({:.1} years)",
            group_thousands(u64::from(n)),
            f64::from(n) / DAYS_PER_YEAR
        ),
        n => format!("{} days", group_thousands(u64::from(n))),
    };
    let footer = format!(
        "sweep {} · scenario {} · seed {} · {} of {} points · {} · horizon {days} · escalate",
        d.name,
        d.scenario,
        d.seed,
        design_name(d.design),
        group_thousands(d.points.len() as u64),
        replicates_phrase(d),
    );
    c.text(
        &FOOTER.fit(&footer, width),
        (MARGIN, c.h - 14),
        FOOTER,
        HPos::Left,
        VPos::Bottom,
    )?;
    c.line(
        vec![(MARGIN, c.h - 40), (c.w - MARGIN, c.h - 40)],
        GRID.stroke_width(1),
    )?;
    let extra = 24 * (lines.len().max(1) as i32 - 1);
    Ok(Rect::new(MARGIN, 100 + extra, c.w - MARGIN, c.h - 48))
}

/// A padded value range with a "nice" tick step; includes zero when asked (and always when all
/// values are on one side of it and `include_zero`). Non-finite values are ignored.
fn value_range(values: &[f64], include_zero: bool, target: usize) -> (f64, f64, f64) {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for v in values.iter().filter(|v| v.is_finite()) {
        lo = lo.min(*v);
        hi = hi.max(*v);
    }
    if !lo.is_finite() {
        return (0.0, 1.0, 0.25);
    }
    if include_zero {
        lo = lo.min(0.0);
        hi = hi.max(0.0);
    }
    if hi - lo <= 1e-12 {
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        if !(include_zero && lo == 0.0) {
            lo -= pad;
        }
        hi += pad;
    }
    let step = nice_step(hi - lo, target);
    let lo = if lo == 0.0 {
        0.0
    } else {
        (lo / step - 0.1).floor() * step
    };
    let hi = if hi == 0.0 {
        0.0
    } else {
        (hi / step + 0.1).ceil() * step
    };
    (lo, hi, step)
}

/// The range of parameter `p` on an axis: its min and max, widened when they coincide.
fn param_range(d: &SweepPlotData, p: usize) -> (f64, f64) {
    let (mut lo, mut hi) = d
        .parameters
        .get(p)
        .map_or((f64::NAN, f64::NAN), |p| (p.min, p.max));
    if !(lo.is_finite() && hi.is_finite() && hi >= lo) {
        let vals = d
            .points
            .iter()
            .filter_map(|pt| pt.values.get(p).copied())
            .filter(|v| v.is_finite());
        lo = f64::INFINITY;
        hi = f64::NEG_INFINITY;
        for v in vals {
            lo = lo.min(v);
            hi = hi.max(v);
        }
        if !lo.is_finite() {
            return (0.0, 1.0);
        }
    }
    if hi - lo <= 1e-12 {
        let pad = if lo == 0.0 { 0.5 } else { lo.abs() * 0.1 };
        return (lo - pad, hi + pad);
    }
    (lo, hi)
}

/// The levels of parameter `p`: the grid levels, or else the distinct values of the points; sorted.
fn levels_of(d: &SweepPlotData, p: usize) -> Vec<f64> {
    let given = d.parameters.get(p).map_or(&[][..], |p| p.levels.as_slice());
    let mut levels: Vec<f64> = if given.is_empty() {
        d.points
            .iter()
            .filter_map(|pt| pt.values.get(p).copied())
            .collect()
    } else {
        given.to_vec()
    };
    levels.retain(|v| v.is_finite());
    levels.sort_by(f64::total_cmp);
    let span = levels.last().unwrap_or(&0.0) - levels.first().unwrap_or(&0.0);
    let tolerance = 1e-9 * span.abs().max(1.0);
    levels.dedup_by(|a, b| (*a - *b).abs() <= tolerance);
    levels
}

/// The index of the level `v` falls on (nearest level, within a small tolerance).
fn level_index(levels: &[f64], v: f64) -> Option<usize> {
    if !v.is_finite() || levels.is_empty() {
        return None;
    }
    let span = levels[levels.len() - 1] - levels[0];
    let tolerance = 1e-6 * span.abs().max(1.0);
    let (i, gap) = levels
        .iter()
        .enumerate()
        .map(|(i, l)| (i, (l - v).abs()))
        .min_by(|a, b| a.1.total_cmp(&b.1))?;
    (gap <= tolerance).then_some(i)
}

/// `v` with `decimals` decimals, a real minus sign, and no "−0".
fn fmt_value(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    let s = format!("{v:.decimals$}");
    if s.trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        s.trim_start_matches('-').to_string()
    } else {
        s.replace('-', "−")
    }
}

/// The fewest decimals (up to 4) that print every level distinctly and, if possible, exactly.
fn level_decimals(levels: &[f64]) -> usize {
    let exact = |d: usize| {
        levels.iter().all(|v| {
            let scaled = v * 10f64.powi(d as i32);
            (scaled - scaled.round()).abs() < 1e-6
        })
    };
    let distinct = |d: usize| {
        let mut s: Vec<String> = levels.iter().map(|v| fmt_value(*v, d)).collect();
        s.dedup();
        s.len() == levels.len()
    };
    (0..=4)
        .find(|d| exact(*d))
        .or_else(|| (0..=4).find(|d| distinct(*d)))
        .unwrap_or(4)
}

/// Decimals for values on a display scale: one when they are all small, none otherwise.
fn value_decimals(values: &[f64]) -> usize {
    let largest = values
        .iter()
        .filter(|v| v.is_finite())
        .fold(0.0f64, |m, v| m.max(v.abs()));
    if largest < 10.0 { 1 } else { 0 }
}

/// An axis title under a plot: the label, and the scenario path in small print below it.
fn x_title<DB: DrawingBackend>(
    c: &Canvas<DB>,
    (cx, y): (i32, i32),
    label: &str,
    path: &str,
    max_w: i32,
) -> Result<()> {
    c.text(
        &AXIS_LABEL.fit(label, max_w),
        (cx, y),
        AXIS_LABEL,
        HPos::Center,
        VPos::Top,
    )?;
    let small = font(14.0).colour(MUTED);
    c.text(
        &small.fit(path, max_w),
        (cx, y + 23),
        small,
        HPos::Center,
        VPos::Top,
    )
}

/// An axis title reading upwards at `x`, centred on `cy`, fitted to `max_h` pixels.
fn y_title<DB: DrawingBackend>(
    c: &Canvas<DB>,
    (x, cy): (i32, i32),
    label: &str,
    max_h: i32,
) -> Result<()> {
    let fitted = AXIS_LABEL.fit(label, max_h);
    if fitted.is_empty() {
        return Ok(());
    }
    c.text_rotated(&fitted, (x, cy), AXIS_LABEL)
}

/// Decimals needed to print multiples of `step` exactly (at most 4).
fn step_decimals(step: f64) -> usize {
    (0..4)
        .find(|d| {
            let scaled = step * 10f64.powi(*d as i32);
            (scaled - scaled.round()).abs() < 1e-6
        })
        .unwrap_or(4)
}
