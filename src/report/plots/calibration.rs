//! The figures of `escalate calibrate`: marginal posteriors against their priors, pairs of the
//! informed parameters, and each target's observed value against its prior and posterior predictive
//! intervals. Drawn from [`CalibrationPlotData`] alone.

use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axes::{axes_box, nice_step, ticks, x_axis, y_axis};
use super::canvas::{Canvas, Rect, Scale};
use super::figure::Figure;
use super::layout::{
    LegendItem, Swatch, footer_with_rule, grid_cells, grid_shape, legend, title_and_subtitle,
};
use super::palette::{INK, MUTED};
use super::text::{AXIS_LABEL, PANEL_TITLE, TICK, fmt_tick};

const MARGIN: i32 = 28;
const POSTERIOR: RGBColor = RGBColor(0x00, 0x72, 0xB2);
const PRIOR: RGBColor = RGBColor(0x55, 0x55, 0x55);
const PRIOR_BAND: RGBColor = RGBColor(0xC8, 0xC8, 0xC8);
const SCENARIO: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
/// Bins of a marginal histogram.
const BINS: usize = 24;
/// Pair panels drawn at most (the first informed parameters' pairs).
const MAX_PAIRS: usize = 12;
/// Predictive rows are drawn within this many scales of the observed value (beyond: clipped, with
/// the clipped end marked).
const MAX_SCALES: f64 = 8.0;

/// One parameter's prior and weighted posterior sample.
#[derive(Debug, Clone)]
pub struct MarginalPanel {
    /// Its name.
    pub name: String,
    /// The prior's support.
    pub lo: f64,
    /// See `lo`.
    pub hi: f64,
    /// The prior density at points across the support.
    pub prior: Vec<(f64, f64)>,
    /// Posterior particles (value, normalised weight), in particle order.
    pub samples: Vec<(f64, f64)>,
    /// The scenario's own value.
    pub scenario_value: f64,
    /// Posterior sd over prior sd.
    pub ratio: f64,
    /// Whether the data inform it.
    pub informed: bool,
}

/// One target's predictive check.
#[derive(Debug, Clone)]
pub struct CheckRow {
    /// The statistic.
    pub label: String,
    /// Observed value.
    pub observed: f64,
    /// Scale (0: left out of the distance; drawn in units of the observed value's magnitude).
    pub scale: f64,
    /// Prior predictive 5 %, 50 %, 95 %.
    pub prior: [f64; 3],
    /// Posterior predictive 5 %, 50 %, 95 %.
    pub posterior: [f64; 3],
}

/// Everything the calibration figures show.
#[derive(Debug, Clone)]
pub struct CalibrationPlotData {
    /// E.g. "Calibration us_russia_2016".
    pub title: String,
    /// The footer (what, how many particles, seed).
    pub footer: String,
    /// Every parameter.
    pub marginals: Vec<MarginalPanel>,
    /// Every target.
    pub checks: Vec<CheckRow>,
    /// The informed-ness rule, in words.
    pub rule: String,
}

/// Draws marginals, pairs (two or more informed parameters) and predictive into `dir` as PNG and SVG.
pub fn draw_calibration(d: &CalibrationPlotData, dir: &std::path::Path) -> Result<()> {
    super::figure::write_png_and_svg(&Marginals(d), dir)?;
    if d.marginals.iter().filter(|m| m.informed).count() >= 2 {
        super::figure::write_png_and_svg(&Pairs(d), dir)?;
    }
    super::figure::write_png_and_svg(&Predictive(d), dir)?;
    Ok(())
}

struct Marginals<'a>(&'a CalibrationPlotData);
struct Pairs<'a>(&'a CalibrationPlotData);
struct Predictive<'a>(&'a CalibrationPlotData);

fn short(x: f64) -> String {
    let a = x.abs();
    if a >= 100.0 {
        format!("{x:.0}")
    } else if a >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

/// Axis ticks over [lo, hi] with their labels.
fn axis(lo: f64, hi: f64, px: i32) -> (Vec<f64>, f64) {
    let step = nice_step(hi - lo, (px / 70).clamp(2, 6) as usize);
    (ticks(lo, hi, step), step)
}

impl Figure for Marginals<'_> {
    fn size(&self) -> (u32, u32) {
        let (rows, _) = grid_shape(self.0.marginals.len());
        (1500, 230 + 300 * rows as u32)
    }
    fn name(&self) -> &str {
        "marginals"
    }
    fn draw<DB: DrawingBackend>(&self, c: &Canvas<'_, DB>) -> Result<()> {
        let d = self.0;
        let lines = title_and_subtitle(
            c,
            &format!("{}: marginal posteriors against their priors", d.title),
            &format!(
                "Bars: the weighted posterior sample (density); grey line: the prior; dashed: the scenario's value. {}",
                d.rule
            ),
            2,
        )?;
        let top = 100 + 24 * lines as i32;
        let used = legend(
            c,
            Rect::new(MARGIN, top, c.w - MARGIN, top + 30),
            &[
                LegendItem {
                    swatch: Swatch::Block(POSTERIOR.to_rgba()),
                    label: "posterior".into(),
                },
                LegendItem {
                    swatch: Swatch::Line(PRIOR),
                    label: "prior".into(),
                },
                LegendItem {
                    swatch: Swatch::Dashed(SCENARIO),
                    label: "scenario value".into(),
                },
            ],
        )?;
        footer_with_rule(c, &d.footer)?;
        let (rows, cols) = grid_shape(d.marginals.len());
        let area = Rect::new(MARGIN, top + used + 16, c.w - MARGIN, c.h - 56);
        for (m, cell) in d.marginals.iter().zip(grid_cells(area, rows, cols, 40, 34)) {
            marginal(c, cell, m)?;
        }
        Ok(())
    }
}

fn marginal<DB: DrawingBackend>(c: &Canvas<'_, DB>, cell: Rect, m: &MarginalPanel) -> Result<()> {
    c.text(
        &PANEL_TITLE.fit(&m.name, cell.w()),
        (cell.x0, cell.y0),
        PANEL_TITLE,
        HPos::Left,
        VPos::Top,
    )?;
    let verdict = if m.informed {
        format!("informed: posterior sd = {:.2} × prior sd", m.ratio)
    } else {
        format!("not informed: posterior sd = {:.2} × prior sd", m.ratio)
    };
    c.text(
        &verdict,
        (cell.x0, cell.y0 + 24),
        TICK.colour(if m.informed { INK } else { MUTED }),
        HPos::Left,
        VPos::Top,
    )?;
    let plot = Rect::new(cell.x0 + 10, cell.y0 + 52, cell.x1 - 10, cell.y1 - 30);
    let w = (m.hi - m.lo) / BINS as f64;
    let mut hist = [0.0; BINS];
    for (x, wt) in &m.samples {
        let b = (((x - m.lo) / w) as usize).min(BINS - 1);
        hist[b] += wt / w;
    }
    let top = hist
        .iter()
        .copied()
        .chain(m.prior.iter().map(|p| p.1))
        .fold(0.0, f64::max)
        * 1.08;
    let x = Scale::new(m.lo, m.hi, plot.x0, plot.x1);
    let y = Scale::new(0.0, top.max(1e-12), plot.y1, plot.y0);
    let (xt, step) = axis(m.lo, m.hi, plot.w());
    x_axis(c, plot, x, &xt, &|v| fmt_tick(v, step), true)?;
    for (i, h) in hist.iter().enumerate() {
        if *h > 0.0 {
            let x0 = x.px(m.lo + i as f64 * w);
            let x1 = x.px(m.lo + (i + 1) as f64 * w);
            c.fill(
                Rect::new(x0 + 1, y.px(*h), x1, plot.y1),
                POSTERIOR.mix(0.75).filled(),
            )?;
        }
    }
    c.line(
        m.prior.iter().map(|(a, p)| (x.px(*a), y.px(*p))).collect(),
        PRIOR.stroke_width(3),
    )?;
    if m.scenario_value.is_finite() {
        let px = x.px(m.scenario_value);
        c.dashed(
            vec![(px, plot.y0), (px, plot.y1)],
            8,
            5,
            SCENARIO.stroke_width(2),
        )?;
    }
    axes_box(c, plot)
}

impl Figure for Pairs<'_> {
    fn size(&self) -> (u32, u32) {
        let n = self.pairs().len().min(MAX_PAIRS);
        let (rows, _) = grid_shape(n);
        (1500, 200 + 380 * rows as u32)
    }
    fn name(&self) -> &str {
        "pairs"
    }
    fn draw<DB: DrawingBackend>(&self, c: &Canvas<'_, DB>) -> Result<()> {
        let d = self.0;
        let pairs = self.pairs();
        let shown = pairs.len().min(MAX_PAIRS);
        let more = if pairs.len() > shown {
            format!(" The first {shown} of {} pairs are shown.", pairs.len())
        } else {
            String::new()
        };
        let lines = title_and_subtitle(
            c,
            &format!("{}: pairs of the parameters the data inform", d.title),
            &format!(
                "Each dot is a posterior particle, its area proportional to its weight; axes span each prior's support. A slanted cloud means the data pin down a combination of the two rather than each.{more}"
            ),
            2,
        )?;
        footer_with_rule(c, &d.footer)?;
        let top = 110 + 24 * lines as i32;
        let (rows, cols) = grid_shape(shown);
        let area = Rect::new(MARGIN + 60, top, c.w - MARGIN, c.h - 60);
        for (&(i, j), cell) in pairs
            .iter()
            .take(shown)
            .zip(grid_cells(area, rows, cols, 110, 70))
        {
            let (a, b) = (&d.marginals[i], &d.marginals[j]);
            let plot = Rect::new(cell.x0, cell.y0, cell.x1, cell.y1 - 46);
            let x = Scale::new(a.lo, a.hi, plot.x0, plot.x1);
            let y = Scale::new(b.lo, b.hi, plot.y1, plot.y0);
            let (xt, xs) = axis(a.lo, a.hi, plot.w());
            let (yt, ys) = axis(b.lo, b.hi, plot.h());
            x_axis(c, plot, x, &xt, &|v| fmt_tick(v, xs), true)?;
            y_axis(c, plot, y, &yt, &|v| fmt_tick(v, ys), true)?;
            let n = a.samples.len().max(1) as f64;
            for (pa, pb) in a.samples.iter().zip(&b.samples) {
                let r = (2.5 * (pa.1 * n).sqrt()).clamp(1.0, 9.0).round() as i32;
                c.dot((x.px(pa.0), y.px(pb.0)), r, POSTERIOR.mix(0.45).filled())?;
            }
            axes_box(c, plot)?;
            c.text(
                &AXIS_LABEL.fit(&a.name, plot.w()),
                (plot.cx(), plot.y1 + 30),
                AXIS_LABEL,
                HPos::Center,
                VPos::Top,
            )?;
            c.text_rotated(
                &AXIS_LABEL.fit(&b.name, plot.h()),
                (plot.x0 - 62, plot.cy()),
                AXIS_LABEL,
            )?;
        }
        Ok(())
    }
}

impl Pairs<'_> {
    fn pairs(&self) -> Vec<(usize, usize)> {
        let informed: Vec<usize> = (0..self.0.marginals.len())
            .filter(|&i| self.0.marginals[i].informed)
            .collect();
        let mut out = Vec::new();
        for (k, &i) in informed.iter().enumerate() {
            for &j in &informed[k + 1..] {
                out.push((i, j));
            }
        }
        out
    }
}

impl Figure for Predictive<'_> {
    fn size(&self) -> (u32, u32) {
        (1500, 300 + 56 * self.0.checks.len() as u32)
    }
    fn name(&self) -> &str {
        "predictive"
    }
    fn draw<DB: DrawingBackend>(&self, c: &Canvas<'_, DB>) -> Result<()> {
        let d = self.0;
        let lines = title_and_subtitle(
            c,
            &format!("{}: predictive checks, simulated against observed", d.title),
            "Each row is one target, drawn in units of its scale (its observed value's standard error) from the observed value at 0: bars are 90 % predictive intervals of the simulated statistic, dots their medians. Posterior bars around 0 mean the calibrated model reproduces the target.",
            3,
        )?;
        let top = 100 + 24 * lines as i32;
        let used = legend(
            c,
            Rect::new(MARGIN, top, c.w - MARGIN, top + 30),
            &[
                LegendItem {
                    swatch: Swatch::Block(PRIOR_BAND.to_rgba()),
                    label: "prior predictive (generation 0)".into(),
                },
                LegendItem {
                    swatch: Swatch::Block(POSTERIOR.to_rgba()),
                    label: "posterior predictive".into(),
                },
                LegendItem {
                    swatch: Swatch::Line(INK),
                    label: "observed".into(),
                },
            ],
        )?;
        footer_with_rule(c, &d.footer)?;
        let labels: Vec<String> = d
            .checks
            .iter()
            .map(|t| format!("{} (observed {})", t.label, short(t.observed)))
            .collect();
        let label_w = TICK.width_max(&labels).min(560) + 16;
        let plot = Rect::new(
            MARGIN + label_w,
            top + used + 20,
            c.w - MARGIN - 20,
            c.h - 100,
        );
        let z = |t: &CheckRow, v: f64| (v - t.observed) / t.scale;
        let reach = d
            .checks
            .iter()
            .filter(|t| t.scale > 0.0)
            .flat_map(|t| {
                t.prior
                    .iter()
                    .chain(&t.posterior)
                    .map(move |v| z(t, *v).abs())
            })
            .filter(|v| v.is_finite())
            .fold(2.0, f64::max)
            .min(MAX_SCALES);
        let reach = reach.ceil();
        let x = Scale::new(-reach, reach, plot.x0, plot.x1);
        let (xt, step) = axis(-reach, reach, plot.w());
        x_axis(c, plot, x, &xt, &|v| fmt_tick(v, step), true)?;
        c.text(
            "simulated − observed, in scales (standard errors of the observed value)",
            (plot.cx(), plot.y1 + 36),
            AXIS_LABEL,
            HPos::Center,
            VPos::Top,
        )?;
        let row_h = plot.h() as f64 / d.checks.len().max(1) as f64;
        for (k, (t, label)) in d.checks.iter().zip(&labels).enumerate() {
            let cy = plot.y0 + (row_h * (k as f64 + 0.5)).round() as i32;
            c.text(
                &TICK.fit(label, label_w - 16),
                (plot.x0 - 12, cy),
                TICK,
                HPos::Right,
                VPos::Center,
            )?;
            if t.scale <= 0.0 {
                c.text(
                    "left out of the distance (no spread under the prior)",
                    (plot.x0 + 10, cy),
                    TICK.colour(MUTED),
                    HPos::Left,
                    VPos::Center,
                )?;
                continue;
            }
            for (q, colour, dy, hh) in [
                (&t.prior, PRIOR_BAND, -7, 6),
                (&t.posterior, POSTERIOR, 7, 6),
            ] {
                if q.iter().all(|v| v.is_finite()) {
                    let (a, b) = (x.px(z(t, q[0])), x.px(z(t, q[2])));
                    c.fill(
                        Rect::new(a, cy + dy - hh, b.max(a + 2), cy + dy + hh),
                        colour.filled(),
                    )?;
                    c.dot((x.px(z(t, q[1])), cy + dy), 5, INK.filled())?;
                }
            }
        }
        let zero = x.px(0.0);
        c.line(vec![(zero, plot.y0), (zero, plot.y1)], INK.stroke_width(2))?;
        axes_box(c, plot)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(informed: usize) -> CalibrationPlotData {
        let marginals = (0..4)
            .map(|i| MarginalPanel {
                name: format!("parameter {i}"),
                lo: 0.0,
                hi: 2.0,
                prior: (0..=50).map(|k| (k as f64 / 25.0, 0.5)).collect(),
                samples: (0..100).map(|k| (1.0 + 0.005 * k as f64, 0.01)).collect(),
                scenario_value: 1.0,
                ratio: if i < informed { 0.2 } else { 0.95 },
                informed: i < informed,
            })
            .collect();
        CalibrationPlotData {
            title: "Calibration test".into(),
            footer: "test".into(),
            marginals,
            checks: vec![CheckRow {
                label: "attributed RUS→US".into(),
                observed: 22.0,
                scale: 4.69,
                prior: [7.0, 25.0, 61.0],
                posterior: [17.0, 22.0, 27.0],
            }],
            rule: "rule".into(),
        }
    }

    #[test]
    fn every_figure_draws_and_pairs_only_with_two_informed() {
        let dir = tempfile::tempdir().expect("temp dir");
        draw_calibration(&data(1), dir.path()).expect("draws");
        assert!(dir.path().join("marginals.png").is_file());
        assert!(dir.path().join("predictive.svg").is_file());
        assert!(
            !dir.path().join("pairs.png").exists(),
            "one informed parameter has no pair"
        );
        draw_calibration(&data(3), dir.path()).expect("draws");
        assert!(dir.path().join("pairs.png").is_file());
    }
}
