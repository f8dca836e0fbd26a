//! Axes: tick steps and positions, grid lines with tick labels, and the time axis of the plots
//! over days.

use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::canvas::{Canvas, Rect, Scale};
use super::palette::{AXIS, GRID};
use super::text::TICK;

/// A "nice" tick step (1, 2, 2.5 or 5 times a power of ten) giving about `target` intervals.
pub(super) fn nice_step(span: f64, target: usize) -> f64 {
    if !span.is_finite() || span <= 0.0 {
        return 1.0;
    }
    let raw = span / target.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw * 0.999)
        .unwrap_or(10.0 * magnitude)
}

/// Ticks inside [lo, hi] at multiples of `step`.
pub(super) fn ticks(lo: f64, hi: f64, step: f64) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite() && step > 0.0) {
        return Vec::new();
    }
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last).take(100).map(|k| k as f64 * step).collect()
}

/// Horizontal grid lines and left tick labels for the y scale.
pub(super) fn y_axis<DB: DrawingBackend>(
    c: &Canvas<DB>,
    plot: Rect,
    y: Scale,
    values: &[f64],
    label: &dyn Fn(f64) -> String,
    labels: bool,
) -> Result<()> {
    for v in values {
        let py = y.px(*v);
        c.line(vec![(plot.x0, py), (plot.x1, py)], GRID.stroke_width(1))?;
        if labels {
            c.text(
                &label(*v),
                (plot.x0 - 8, py),
                TICK,
                HPos::Right,
                VPos::Center,
            )?;
        }
    }
    Ok(())
}

/// Vertical grid lines and bottom tick labels for the x scale.
pub(super) fn x_axis<DB: DrawingBackend>(
    c: &Canvas<DB>,
    plot: Rect,
    x: Scale,
    values: &[f64],
    label: &dyn Fn(f64) -> String,
    labels: bool,
) -> Result<()> {
    for v in values {
        let px = x.px(*v);
        c.line(vec![(px, plot.y0), (px, plot.y1)], GRID.stroke_width(1))?;
        if labels {
            c.text(&label(*v), (px, plot.y1 + 6), TICK, HPos::Center, VPos::Top)?;
        }
    }
    Ok(())
}

pub(super) fn axes_box<DB: DrawingBackend>(c: &Canvas<DB>, plot: Rect) -> Result<()> {
    c.line(
        vec![(plot.x0, plot.y0), (plot.x0, plot.y1), (plot.x1, plot.y1)],
        AXIS.stroke_width(1),
    )
}

/// Days in a mean Gregorian year, for axes and footers in years.
pub const DAYS_PER_YEAR: f64 = 365.25;

/// Days on the x axis, shown in years when the horizon is longer than two years.
#[derive(Clone, Copy)]
pub(super) struct TimeAxis {
    pub(super) days: usize,
    pub(super) years: bool,
}

impl TimeAxis {
    pub(super) fn new(days: usize) -> Self {
        TimeAxis {
            days: days.max(1),
            years: days as f64 > 2.0 * DAYS_PER_YEAR,
        }
    }
    pub(super) fn value(&self, day: f64) -> f64 {
        if self.years { day / DAYS_PER_YEAR } else { day }
    }
    /// The end of the axis: the horizon, or the whole year it falls within two days of (1826 days: 5 years).
    pub(super) fn max(&self) -> f64 {
        let end = self.value(self.days as f64);
        let whole = (self.days as f64 / DAYS_PER_YEAR).round();
        if self.years && (whole * DAYS_PER_YEAR - self.days as f64).abs() <= 2.0 {
            whole.max(end)
        } else {
            end
        }
    }
    pub(super) fn scale(&self, plot: Rect) -> Scale {
        Scale::new(0.0, self.max(), plot.x0, plot.x1)
    }
    pub(super) fn ticks(&self, width_px: i32) -> (Vec<f64>, f64) {
        let target = (width_px / 60).clamp(2, 7) as usize;
        let step = nice_step(self.max(), target).max(if self.years { 0.5 } else { 1.0 });
        (ticks(0.0, self.max(), step), step)
    }
    pub(super) fn label(&self) -> &'static str {
        if self.years {
            "years since the start"
        } else {
            "days since the start"
        }
    }
}
