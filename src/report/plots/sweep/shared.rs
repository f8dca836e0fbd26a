//! What the sweep plots share: the frame (title, subtitle, footer), units, ranges, levels, number
//! formats and axis titles.

use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::montecarlo::stats::Interval;
use crate::report::sweep_plotdata::{DesignKind, SweepPlotData};

use super::super::axes::{DAYS_PER_YEAR, nice_step};
use super::super::canvas::{Canvas, Rect};
use super::super::layout::{footer_with_rule, horizon_days, title_and_subtitle};
use super::super::palette::MUTED;
use super::super::text::{AXIS_LABEL, font, group_thousands};

pub(super) const MARGIN: i32 = 28;

/// How the headline outcome is shown: proportions in %, means as they are.
#[derive(Clone, Copy)]
pub(super) struct Unit {
    /// Multiplies a value for display.
    pub(super) scale: f64,
    /// Appended to tick labels of the outcome.
    pub(super) suffix: &'static str,
    /// The unit of the outcome, for axis titles.
    pub(super) axis: &'static str,
    /// The unit of a difference of outcomes, for axis titles.
    pub(super) change: &'static str,
}

pub(super) fn unit(d: &SweepPlotData) -> Unit {
    if d.outcome.proportion {
        Unit {
            scale: 100.0,
            suffix: " %",
            axis: "% of runs",
            change: "percentage points",
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

pub(super) fn finite(i: &Interval) -> bool {
    i.value.is_finite() && i.lo.is_finite() && i.hi.is_finite()
}

pub(super) fn baseline_name(d: &SweepPlotData) -> &str {
    d.arms.first().map_or("the first arm", String::as_str)
}

pub(super) fn param_label(d: &SweepPlotData, p: usize) -> &str {
    d.parameters.get(p).map_or("", |p| p.label.as_str())
}

pub(super) fn design_name(design: DesignKind) -> &'static str {
    match design {
        DesignKind::Grid => "grid",
        DesignKind::LatinHypercube => "Latin hypercube",
        DesignKind::Morris => "Morris trajectories",
        DesignKind::Sobol => "Saltelli (Sobol')",
    }
}

/// "over 5 years", "over 90 days", for titles (empty for a horizon of zero days).
pub(super) fn horizon_phrase(days: u32) -> String {
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
pub(super) fn titled(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

pub(super) fn replicates_phrase(d: &SweepPlotData) -> String {
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
pub(super) fn sweep_frame<DB: DrawingBackend>(
    c: &Canvas<DB>,
    title: &str,
    subtitle: &str,
    d: &SweepPlotData,
) -> Result<Rect> {
    let lines = title_and_subtitle(c, title, subtitle, 2)?;
    let footer = format!(
        "sweep {} · scenario {} · seed {} · {} of {} point{} · {} · horizon {} · escalate",
        d.name,
        d.scenario,
        d.seed,
        design_name(d.design),
        group_thousands(d.points.len() as u64),
        if d.points.len() == 1 { "" } else { "s" },
        replicates_phrase(d),
        horizon_days(d.horizon_days),
    );
    footer_with_rule(c, &footer)?;
    let extra = 24 * (lines.max(1) as i32 - 1);
    Ok(Rect::new(MARGIN, 100 + extra, c.w - MARGIN, c.h - 48))
}

/// A value range padded by 4 % (not beyond zero) with a "nice" tick step for about `target` ticks;
/// includes zero when `include_zero`. Non-finite values are ignored.
pub(super) fn value_range(values: &[f64], include_zero: bool, target: usize) -> (f64, f64, f64) {
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
    // A little room beyond the data, not a whole tick step (which can waste a fifth of the plot).
    let pad = 0.04 * (hi - lo);
    let lo = if lo == 0.0 { 0.0 } else { lo - pad };
    let hi = if hi == 0.0 { 0.0 } else { hi + pad };
    (lo, hi, step)
}

/// The range of parameter `p` on an axis: its min and max, widened when they coincide.
pub(super) fn param_range(d: &SweepPlotData, p: usize) -> (f64, f64) {
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
pub(super) fn levels_of(d: &SweepPlotData, p: usize) -> Vec<f64> {
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
pub(super) fn level_index(levels: &[f64], v: f64) -> Option<usize> {
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
pub(super) fn fmt_value(v: f64, decimals: usize) -> String {
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
pub(super) fn level_decimals(levels: &[f64]) -> usize {
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

/// Decimals for values on a display scale: none from 10 up, then one more per factor of ten (at most 3).
pub(super) fn value_decimals(values: &[f64]) -> usize {
    let largest = values
        .iter()
        .filter(|v| v.is_finite())
        .fold(0.0f64, |m, v| m.max(v.abs()));
    match largest {
        l if l >= 10.0 => 0,
        l if l >= 1.0 => 1,
        l if l >= 0.1 => 2,
        _ => 3,
    }
}

/// An axis title under a plot: the label, and the scenario path in small print below it.
pub(super) fn x_title<DB: DrawingBackend>(
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
pub(super) fn y_title<DB: DrawingBackend>(
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
pub(super) fn step_decimals(step: f64) -> usize {
    (0..4)
        .find(|d| {
            let scaled = step * 10f64.powi(*d as i32);
            (scaled - scaled.round()).abs() < 1e-6
        })
        .unwrap_or(4)
}

/// `(lo, hi)` widened by 3 % on each side, so points at the ends do not sit on the frame.
pub(super) fn padded((lo, hi): (f64, f64)) -> (f64, f64) {
    let pad = 0.03 * (hi - lo);
    (lo - pad, hi + pad)
}
