//! Sobol' indices: per target quantity (the baseline's headline outcome, then its paired
//! differences), each parameter's first-order index S1 and total index ST as bars with their 95 %
//! bootstrap intervals, ranked by ST, against a zero line and the Monte Carlo noise share.

use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::report::sobol::headline_targets;
use crate::report::sweep_plotdata::{
    IndexReading, SobolEffect, SobolTarget, SweepPlotData, reading,
};

use super::super::axes::{nice_step, ticks, x_axis};
use super::super::canvas::{Canvas, Rect, Scale};
use super::super::layout::{LegendItem, Swatch, legend};
use super::super::palette::{INK, MUTED};
use super::super::text::{TICK, fmt_tick, font};
use super::shared::{horizon_phrase, param_label, sweep_frame, titled};

/// The most targets drawn (one row each).
const MAX_TARGETS: usize = 3;
/// Height of one parameter's pair of bars, pixels.
const PARAM_H: i32 = 46;

/// S1: Okabe–Ito orange; ST: Okabe–Ito blue; the noise share: a grey dashed line.
const FIRST: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
const TOTAL: RGBColor = RGBColor(0x00, 0x72, 0xB2);
const NOISE: RGBColor = MUTED;

fn shown_targets(d: &SweepPlotData) -> Vec<&SobolTarget> {
    headline_targets(d).into_iter().take(MAX_TARGETS).collect()
}

pub(super) fn sobol_size(d: &SweepPlotData) -> (u32, u32) {
    let rows = shown_targets(d).len().max(1) as i32;
    let params = d.parameters.len() as i32;
    let row_h = 130 + PARAM_H * params;
    (1500, (230 + rows * row_h).max(800) as u32)
}

pub(super) fn draw_sobol<DB: DrawingBackend>(c: &Canvas<DB>, d: &SweepPlotData) -> Result<()> {
    let horizon = horizon_phrase(d.horizon_days);
    let title = titled(&[
        "What the variance of",
        &d.outcome.label,
        &horizon,
        "comes from — Sobol' indices",
    ]);
    let subtitle = "Orange bar S1: the share of the variance over the swept ranges a parameter explains alone · blue bar ST: its share with every interaction, so ST ≥ S1 (the gap is interaction; an estimate can break this by its error) · whiskers: 95 % bootstrap intervals · ≈ 0: the interval includes 0 · dashed: the Monte Carlo noise share (noise alone can give an ST that small)";
    let body = sweep_frame(c, &title, subtitle, d)?;
    let targets = shown_targets(d);
    if targets.is_empty() || d.parameters.is_empty() {
        return c.note(body, "No Sobol' indices to show.");
    }
    let items = vec![
        LegendItem {
            swatch: Swatch::Block(FIRST.to_rgba()),
            label: "S1, first-order (alone)".into(),
        },
        LegendItem {
            swatch: Swatch::Block(TOTAL.to_rgba()),
            label: "ST, total (with interactions)".into(),
        },
        LegendItem {
            swatch: Swatch::Dashed(NOISE),
            label: "Monte Carlo noise share".into(),
        },
    ];
    let legend_h = legend(c, body, &items)?;
    let area = Rect::new(body.x0, body.y0 + legend_h + 8, body.x1, body.y1);
    let row_h = area.h() / targets.len() as i32;
    // One index scale for every row, so bars compare across targets.
    let lo = targets
        .iter()
        .flat_map(|t| t.effects.iter())
        .flat_map(|e| [e.first.lo, e.total.lo, e.first.value])
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::min)
        .max(-0.5);
    let hi = targets
        .iter()
        .flat_map(|t| t.effects.iter())
        .flat_map(|e| [e.first.hi, e.total.hi, e.total.value])
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::max)
        .clamp(0.1, 1.2);
    for (k, t) in targets.iter().enumerate() {
        let row = Rect::new(
            area.x0,
            area.y0 + k as i32 * row_h,
            area.x1,
            area.y0 + (k as i32 + 1) * row_h,
        );
        draw_row(c, row, t, d, (lo, hi))?;
    }
    Ok(())
}

fn draw_row<DB: DrawingBackend>(
    c: &Canvas<DB>,
    row: Rect,
    t: &SobolTarget,
    d: &SweepPlotData,
    (lo, hi): (f64, f64),
) -> Result<()> {
    let noise = t.noise_share();
    let heading = format!(
        "{} · noise share {}",
        t.label,
        if noise.is_finite() {
            format!("{:.1} %", 100.0 * noise)
        } else {
            "–".into()
        }
    );
    c.text(
        &font(20.0).bold().fit(&heading, row.w()),
        (row.x0, row.y0 + 14),
        font(20.0).bold(),
        HPos::Left,
        VPos::Center,
    )?;
    let mut effects: Vec<&SobolEffect> = t.effects.iter().collect();
    effects.sort_by(|a, b| {
        let key = |e: &SobolEffect| {
            if e.total.value.is_finite() {
                e.total.value
            } else {
                f64::NEG_INFINITY
            }
        };
        key(b).total_cmp(&key(a)).then(a.param.cmp(&b.param))
    });
    let names: Vec<String> = effects
        .iter()
        .map(|e| param_label(d, e.param).to_string())
        .collect();
    let name_font = font(17.0);
    let gutter = (name_font.width_max(&names) + 16).clamp(120, row.w() * 2 / 5);
    let plot = Rect::new(row.x0 + gutter, row.y0 + 36, row.x1 - 150, row.y1 - 50);
    let step = nice_step(hi - lo, 6);
    let lo = (lo / step).floor() * step;
    let hi = (hi / step).ceil() * step;
    let x = Scale::new(lo, hi, plot.x0, plot.x1);
    x_axis(
        c,
        plot,
        x,
        &ticks(lo, hi, step),
        &|v| fmt_tick(v, step),
        true,
    )?;
    c.text(
        "index: share of the variance (0 to 1)",
        (plot.cx(), plot.y1 + 30),
        font(17.0),
        HPos::Center,
        VPos::Top,
    )?;
    let band = f64::from(plot.h()) / effects.len().max(1) as f64;
    let bar_h = ((band * 0.32).round() as i32).clamp(3, 16);
    let value_font = TICK;
    for (i, (e, name)) in effects.iter().zip(&names).enumerate() {
        let cy = (f64::from(plot.y0) + (i as f64 + 0.5) * band).round() as i32;
        c.text(
            &name_font.fit(name, gutter - 14),
            (plot.x0 - 12, cy),
            name_font,
            HPos::Right,
            VPos::Center,
        )?;
        for (index, colour, dy) in [
            (&e.first, FIRST, -(bar_h / 2 + 1)),
            (&e.total, TOTAL, bar_h / 2 + 1),
        ] {
            let y = cy + dy;
            if index.value.is_finite() {
                let (a, b) = (x.px(0.0), x.px(index.value));
                c.fill(
                    Rect::new(
                        a.min(b),
                        y - bar_h / 2,
                        a.max(b).max(a.min(b) + 1),
                        y + bar_h / 2,
                    ),
                    colour.filled(),
                )?;
            }
            if index.lo.is_finite() && index.hi.is_finite() {
                let (l, h) = (x.px(index.lo), x.px(index.hi));
                c.line(vec![(l, y), (h, y)], INK.stroke_width(2))?;
                c.line(vec![(l, y - 5), (l, y + 5)], INK.stroke_width(2))?;
                c.line(vec![(h, y - 5), (h, y + 5)], INK.stroke_width(2))?;
            }
        }
        // The total index in words at the right: its value, or ≈ 0 when its interval includes 0.
        let text = match reading(&e.total, noise) {
            IndexReading::IndistinguishableFromZero => "ST ≈ 0".to_string(),
            IndexReading::WithinNoise => "ST within noise".to_string(),
            IndexReading::Positive => format!("ST {:.2}", e.total.value),
        };
        c.text(
            &value_font.fit(&text, 140),
            (plot.x1 + 12, cy),
            value_font,
            HPos::Left,
            VPos::Center,
        )?;
    }
    // The zero line, over the bars' ends.
    c.line(
        vec![(x.px(0.0), plot.y0), (x.px(0.0), plot.y1)],
        INK.stroke_width(2),
    )?;
    if noise.is_finite() && noise > 0.0 {
        let nx = x.px(noise);
        c.dashed(
            vec![(nx, plot.y0 - 4), (nx, plot.y1)],
            8,
            5,
            NOISE.stroke_width(2),
        )?;
    }
    c.line(
        vec![(plot.x0, plot.y1), (plot.x1, plot.y1)],
        MUTED.stroke_width(1),
    )
}

#[cfg(test)]
mod tests {
    use super::super::super::palette::vision::confusable;
    use super::*;

    #[test]
    fn the_two_index_colours_and_the_noise_line_are_told_apart_in_every_kind_of_vision() {
        let colours = [
            ("S1".to_string(), FIRST),
            ("ST".to_string(), TOTAL),
            ("noise".to_string(), NOISE),
        ];
        let problems = confusable(&colours, 15.0, 20.0);
        assert!(problems.is_empty(), "{problems:?}");
    }
}
