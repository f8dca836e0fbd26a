//! Plot 6: what triggered the responses, per arm.

use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::report::plotdata::PlotData;

use super::axes::{axes_box, nice_step, ticks, x_axis};
use super::canvas::{Canvas, Rect, Scale};
use super::layout::{LegendItem, Swatch, frame, legend};
use super::palette::INK;
use super::text::{AXIS_LABEL, fmt_tick, font};

/// Trigger colours: neutral grey for correct attribution, Okabe–Ito for the deceptions and the spiral.
const TRIGGER_COLOURS: [RGBColor; 8] = [
    RGBColor(0xA0, 0xA0, 0xA0),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0xF0, 0xE4, 0x42),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0x00, 0x72, 0xB2),
];

fn trigger_colour(i: usize) -> RGBColor {
    TRIGGER_COLOURS[i % TRIGGER_COLOURS.len()]
}

/// Relative luminance, to choose black or white text on a fill.
fn is_dark(c: RGBColor) -> bool {
    0.2126 * f64::from(c.0) + 0.7152 * f64::from(c.1) + 0.0722 * f64::from(c.2) < 110.0
}

pub(super) fn draw_triggers<DB: DrawingBackend>(c: &Canvas<DB>, d: &PlotData) -> Result<()> {
    let body = frame(
        c,
        "triggers",
        "Mean responses per run, split by what each response answered (a correct attribution stacked last)",
        d,
    )?;
    // The first trigger (responses to a correct attribution) is stacked last, so the responses to
    // deceptions and to the spiral line up at zero and can be compared across arms.
    let order: Vec<usize> = (1..d.triggers.len())
        .chain((!d.triggers.is_empty()).then_some(0))
        .collect();
    let items: Vec<LegendItem> = order
        .iter()
        .map(|&i| LegendItem {
            swatch: Swatch::Block(trigger_colour(i).mix(1.0)),
            // Keys ("false_flag") read as words.
            label: d.triggers[i].replace('_', " "),
        })
        .collect();
    if d.arms.is_empty() || d.triggers.is_empty() || d.replicates == 0 {
        return c.note(body, "No responses to show: no replicates or no triggers.");
    }
    let legend_h = legend(c, body, &items)?;
    let per_run: Vec<Vec<f64>> = (0..d.arms.len())
        .map(|arm| {
            (0..d.triggers.len())
                .map(|t| {
                    let total = d
                        .responses_by_trigger
                        .get(arm)
                        .and_then(|r| r.get(t))
                        .copied()
                        .unwrap_or(0);
                    total as f64 / d.replicates as f64
                })
                .collect()
        })
        .collect();
    let longest = per_run
        .iter()
        .map(|r| r.iter().sum::<f64>())
        .fold(0.0f64, f64::max);
    let name_font = font(17.0);
    let gutter = name_font.width_max(&d.arms).clamp(60, 300) + 16;
    let plot = Rect::new(
        body.x0 + gutter,
        body.y0 + legend_h + 16,
        body.x1 - 70,
        body.y1 - 60,
    );
    let step = nice_step(longest.max(0.1), 6);
    let top = (longest / step).ceil().max(1.0) * step;
    let x = Scale::new(0.0, top, plot.x0, plot.x1);
    x_axis(
        c,
        plot,
        x,
        &ticks(0.0, top, step),
        &|v| fmt_tick(v, step),
        true,
    )?;
    let row_h = f64::from(plot.h()) / d.arms.len() as f64;
    let bar_h = (row_h * 0.62).min(70.0);
    for (arm, values) in per_run.iter().enumerate() {
        let cy = f64::from(plot.y0) + (arm as f64 + 0.5) * row_h;
        let (y0, y1) = (
            (cy - bar_h / 2.0).round() as i32,
            (cy + bar_h / 2.0).round() as i32,
        );
        let lines = name_font.wrap(d.arms.get(arm).map_or("", String::as_str), gutter - 16, 2);
        let first = cy.round() as i32 - 10 * (lines.len() as i32 - 1);
        for (i, line) in lines.iter().enumerate() {
            c.text(
                line,
                (plot.x0 - 10, first + 20 * i as i32),
                name_font,
                HPos::Right,
                VPos::Center,
            )?;
        }
        let mut acc = 0.0;
        for &t in &order {
            let v = values.get(t).copied().unwrap_or(0.0);
            let (a, b) = (x.px(acc), x.px(acc + v));
            acc += v;
            if b <= a {
                continue;
            }
            let colour = trigger_colour(t);
            c.fill(Rect::new(a, y0, b, y1), colour.filled())?;
            c.line(vec![(b, y0), (b, y1)], WHITE.stroke_width(1))?;
            let label = format!("{v:.2}");
            let f = font(15.0).colour(if is_dark(colour) { WHITE } else { INK });
            if f.width(&label) + 8 <= b - a && bar_h >= 18.0 {
                c.text(
                    &label,
                    ((a + b) / 2, cy.round() as i32),
                    f,
                    HPos::Center,
                    VPos::Center,
                )?;
            }
        }
        let total = font(16.0).bold();
        c.text(
            &format!("{acc:.2}"),
            (x.px(acc) + 8, cy.round() as i32),
            total,
            HPos::Left,
            VPos::Center,
        )?;
    }
    axes_box(c, plot)?;
    c.text(
        "responses per run (mean over runs; bold: total)",
        (plot.cx(), body.y1 - 2),
        AXIS_LABEL,
        HPos::Center,
        VPos::Bottom,
    )
}
