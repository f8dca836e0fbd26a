//! The colours of the heat-maps: a sequential scale for outcomes, a diverging one centred on zero for
//! differences, text colour by cell brightness, and the colour bar that keys them.

use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::super::axes::{nice_step, ticks};
use super::super::canvas::{Canvas, Rect};
use super::super::palette::{INK, MUTED};
use super::super::text::{TICK, font};
use super::shared::{fmt_value, step_decimals};

/// The width of the column that holds a colour bar and its labels.
pub(super) const BAR_COLUMN: i32 = 190;

/// Linear interpolation through evenly spaced colour stops, `t` in [0, 1].
pub(super) fn through(stops: &[RGBColor], t: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let pos = t * (stops.len() - 1) as f64;
    let i = (pos.floor() as usize).min(stops.len() - 2);
    let f = pos - i as f64;
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * f).round() as u8;
    let (a, b) = (stops[i], stops[i + 1]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Light yellow through green to dark blue (ColorBrewer YlGnBu): readable for colour-blind viewers.
pub(super) fn sequential(t: f64) -> RGBColor {
    through(
        &[
            RGBColor(0xFF, 0xFF, 0xD9),
            RGBColor(0xC7, 0xE9, 0xB4),
            RGBColor(0x41, 0xB6, 0xC4),
            RGBColor(0x22, 0x5E, 0xA8),
            RGBColor(0x08, 0x1D, 0x58),
        ],
        t,
    )
}

/// Okabe–Ito blue (below 0) through white to vermillion (above 0), `t` in [−1, 1].
pub(super) fn diverging(t: f64) -> RGBColor {
    through(
        &[
            RGBColor(0x00, 0x4F, 0x80),
            RGBColor(0x56, 0xA0, 0xD3),
            RGBColor(0xFF, 0xFF, 0xFF),
            RGBColor(0xEE, 0x8E, 0x4F),
            RGBColor(0xA8, 0x3F, 0x00),
        ],
        (t + 1.0) / 2.0,
    )
}

/// Dark text on light cells, white text on dark ones.
pub(super) fn ink_on(bg: RGBColor) -> RGBColor {
    let lum = 0.2126 * f64::from(bg.0) + 0.7152 * f64::from(bg.1) + 0.0722 * f64::from(bg.2);
    if lum > 140.0 { INK } else { WHITE }
}

pub(super) const NO_DATA: RGBColor = RGBColor(0xEE, 0xEE, 0xEE);

/// The colour of a value on one group's scale.
#[derive(Clone, Copy)]
pub(super) enum ColourScale {
    /// Light to dark from `lo` to `hi`.
    Sequential { lo: f64, hi: f64 },
    /// Blue below zero, white at zero, vermillion above, saturating at ±`max`.
    Diverging { max: f64 },
}

impl ColourScale {
    pub(super) fn colour(self, v: f64) -> RGBColor {
        if !v.is_finite() {
            return NO_DATA;
        }
        match self {
            ColourScale::Sequential { lo, hi } => sequential((v - lo) / (hi - lo)),
            ColourScale::Diverging { max } => diverging(v / max),
        }
    }
    pub(super) fn range(self) -> (f64, f64) {
        match self {
            ColourScale::Sequential { lo, hi } => (lo, hi),
            ColourScale::Diverging { max } => (-max, max),
        }
    }
}

/// A vertical colour bar with ticks in `r` (top-left anchored), headed by `title`.
pub(super) fn colour_bar<DB: DrawingBackend>(
    c: &Canvas<DB>,
    r: Rect,
    scale: ColourScale,
    title: &str,
    suffix: &str,
) -> Result<()> {
    let head = font(16.0).bold();
    for (i, line) in head.wrap(title, BAR_COLUMN - 24, 2).iter().enumerate() {
        c.text(
            line,
            (r.x0, r.y0 + 10 + 20 * i as i32),
            head,
            HPos::Left,
            VPos::Center,
        )?;
    }
    let bar = Rect::new(r.x0, r.y0 + 52, r.x0 + 26, r.y1);
    let (lo, hi) = scale.range();
    let steps = bar.h().max(1);
    for k in 0..steps {
        let v = hi - (hi - lo) * (f64::from(k) + 0.5) / f64::from(steps);
        c.fill(
            Rect::new(bar.x0, bar.y0 + k, bar.x1, bar.y0 + k + 1),
            scale.colour(v).filled(),
        )?;
    }
    c.outline(bar, MUTED.stroke_width(1))?;
    let step = nice_step(hi - lo, 5);
    let dec = step_decimals(step);
    for v in ticks(lo, hi, step) {
        let py = (f64::from(bar.y1) - (v - lo) / (hi - lo) * f64::from(bar.h())).round() as i32;
        c.line(vec![(bar.x1, py), (bar.x1 + 5, py)], INK.stroke_width(1))?;
        c.text(
            &format!("{}{suffix}", fmt_value(v, dec)),
            (bar.x1 + 9, py),
            TICK,
            HPos::Left,
            VPos::Center,
        )?;
    }
    Ok(())
}
