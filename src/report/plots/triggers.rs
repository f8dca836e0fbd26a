//! Plot 6: what triggered the responses, per arm. Left, every response: to a correct attribution,
//! to the other side's response (the spiral), or to a misattribution; right, the misattributions —
//! the deceptions this tool is about — split by kind on their own scale, so none is a sliver.

use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::report::plotdata::PlotData;

use super::axes::{axes_box, nice_step, ticks, x_axis};
use super::canvas::{Canvas, Rect, Scale};
use super::layout::{LegendItem, Swatch, frame, grid_cells, legend};
use super::palette::{INK, is_dark};
use super::text::{AXIS_LABEL, PANEL_TITLE, fmt_tick, font};

/// The trigger keys of summary.json and triggers.csv that are not misattributions.
const CORRECT: &str = "correctly_attributed";
const SPIRAL: &str = "spiral";

/// Colours of the left panel's three parts.
const CORRECT_COLOUR: RGBColor = RGBColor(0xCC, 0xCC, 0xCC);
const SPIRAL_COLOUR: RGBColor = RGBColor(0x00, 0x72, 0xB2);
const MISATTRIBUTED_COLOUR: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
/// Colours of the kinds of misattribution, in the order of summary.json's triggers.
/// One per kind the model has (false flag, tool reuse, independent actor, freelancing proxy, honest
/// error): no two kinds share a colour.
const KIND_COLOURS: [RGBColor; 5] = [
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0x00, 0x00, 0x00),
    RGBColor(0xF0, 0xE4, 0x42),
];

/// One stacked part: its colour and its value per run.
struct Part {
    colour: RGBColor,
    value: f64,
}

/// Draws one stacked bar from `x`'s zero, labelling each part that has room; returns where it ends.
fn stacked_bar<DB: DrawingBackend>(
    c: &Canvas<DB>,
    x: Scale,
    (y0, y1): (i32, i32),
    parts: &[Part],
) -> Result<f64> {
    let cy = (y0 + y1) / 2;
    let mut acc = 0.0;
    for p in parts {
        let (a, b) = (x.px(acc), x.px(acc + p.value));
        acc += p.value;
        if b <= a {
            continue;
        }
        c.fill(Rect::new(a, y0, b, y1), p.colour.filled())?;
        c.line(vec![(b, y0), (b, y1)], WHITE.stroke_width(1))?;
        let label = format!("{:.2}", p.value);
        let f = font(14.0).colour(if is_dark(p.colour) { WHITE } else { INK });
        if f.width(&label) + 8 <= b - a && y1 - y0 >= 18 {
            c.text(&label, ((a + b) / 2, cy), f, HPos::Center, VPos::Center)?;
        }
    }
    Ok(acc)
}

pub(super) fn draw_triggers<DB: DrawingBackend>(c: &Canvas<DB>, d: &PlotData) -> Result<()> {
    let body = frame(
        c,
        "triggers",
        "Mean responses per run by what each answered; right: the misattributions alone, by kind, on their own scale",
        d,
    )?;
    if d.arms.is_empty() || d.triggers.is_empty() || d.replicates == 0 {
        return c.note(body, "No responses to show: no replicates or no triggers.");
    }
    let per_run = |arm: usize, t: usize| {
        d.responses_by_trigger
            .get(arm)
            .and_then(|r| r.get(t))
            .copied()
            .unwrap_or(0) as f64
            / d.replicates as f64
    };
    let index = |key: &str| d.triggers.iter().position(|t| t == key);
    let (correct, spiral) = (index(CORRECT), index(SPIRAL));
    let kinds: Vec<usize> = (0..d.triggers.len())
        .filter(|&t| Some(t) != correct && Some(t) != spiral)
        .collect();
    let arms = 0..d.arms.len();
    let total_of = |t: Option<usize>| t.map_or(0.0, |t| arms.clone().map(|a| per_run(a, t)).sum());
    // Only what some run had is keyed and drawn.
    let present_kinds: Vec<usize> = kinds
        .iter()
        .copied()
        .filter(|&t| total_of(Some(t)) > 0.0)
        .collect();
    let mut items = Vec::new();
    let mut key = |present: bool, colour: RGBColor, label: &str| {
        if present {
            items.push(LegendItem {
                swatch: Swatch::Block(colour.mix(1.0)),
                label: label.to_string(),
            });
        }
    };
    key(
        total_of(correct) > 0.0,
        CORRECT_COLOUR,
        "correctly attributed",
    );
    key(
        total_of(spiral) > 0.0,
        SPIRAL_COLOUR,
        "the spiral (answering a response)",
    );
    key(
        !present_kinds.is_empty(),
        MISATTRIBUTED_COLOUR,
        "a misattribution (right: by kind)",
    );
    for (k, &t) in kinds.iter().enumerate() {
        key(
            present_kinds.contains(&t),
            KIND_COLOURS[k % KIND_COLOURS.len()],
            &d.triggers[t].replace('_', " "),
        );
    }
    let legend_h = legend(c, body, &items)?;

    let name_font = font(17.0);
    let gutter = name_font.width_max(&d.arms).clamp(60, 260) + 16;
    let area = Rect::new(
        body.x0 + gutter,
        body.y0 + legend_h + 16,
        body.x1 - 60,
        body.y1 - 60,
    );
    let [left, right] = match grid_cells(area, 1, 2, 110, 0)[..] {
        [l, r] => [l, r],
        _ => [area, area],
    };
    let left = Rect::new(left.x0, left.y0 + 30, left.x1 + 40, left.y1);
    let right = Rect::new(right.x0 + 40, right.y0 + 30, right.x1 + 60, right.y1);
    c.text(
        "all responses",
        (left.x0, left.y0 - 16),
        PANEL_TITLE,
        HPos::Left,
        VPos::Center,
    )?;
    c.text(
        "set off by a misattribution, by kind",
        (right.x0, right.y0 - 16),
        PANEL_TITLE,
        HPos::Left,
        VPos::Center,
    )?;
    let parts_left = |arm: usize| {
        let mis: f64 = kinds.iter().map(|&t| per_run(arm, t)).sum();
        [
            (SPIRAL_COLOUR, spiral.map_or(0.0, |t| per_run(arm, t))),
            (MISATTRIBUTED_COLOUR, mis),
            (CORRECT_COLOUR, correct.map_or(0.0, |t| per_run(arm, t))),
        ]
        .into_iter()
        .map(|(colour, value)| Part { colour, value })
        .collect::<Vec<_>>()
    };
    let parts_right = |arm: usize| {
        kinds
            .iter()
            .enumerate()
            .filter(|(_, t)| present_kinds.contains(t))
            .map(|(k, &t)| Part {
                colour: KIND_COLOURS[k % KIND_COLOURS.len()],
                value: per_run(arm, t),
            })
            .collect::<Vec<_>>()
    };
    let longest = |f: &dyn Fn(usize) -> Vec<Part>| {
        arms.clone()
            .map(|a| f(a).iter().map(|p| p.value).sum::<f64>())
            .fold(0.0f64, f64::max)
    };
    let row_h = f64::from(left.h()) / d.arms.len() as f64;
    let bar_h = (row_h * 0.62).min(70.0);
    for (panel, parts) in [
        (left, &parts_left as &dyn Fn(usize) -> Vec<Part>),
        (right, &parts_right),
    ] {
        let plot = Rect::new(panel.x0, panel.y0, panel.x1 - 60, panel.y1);
        let most = longest(parts);
        let step = nice_step(most.max(0.01), 4);
        let top = (most / step).ceil().max(1.0) * step;
        let x = Scale::new(0.0, top, plot.x0, plot.x1);
        x_axis(
            c,
            plot,
            x,
            &ticks(0.0, top, step),
            &|v| fmt_tick(v, step),
            true,
        )?;
        for arm in arms.clone() {
            let cy = f64::from(plot.y0) + (arm as f64 + 0.5) * row_h;
            let (y0, y1) = (
                (cy - bar_h / 2.0).round() as i32,
                (cy + bar_h / 2.0).round() as i32,
            );
            let end = stacked_bar(c, x, (y0, y1), &parts(arm))?;
            c.text(
                &format!("{end:.2}"),
                (x.px(end) + 8, cy.round() as i32),
                font(15.0).bold(),
                HPos::Left,
                VPos::Center,
            )?;
        }
        axes_box(c, plot)?;
    }
    for arm in arms {
        let cy = f64::from(left.y0) + (arm as f64 + 0.5) * row_h;
        let lines = name_font.wrap(d.arms.get(arm).map_or("", String::as_str), gutter - 16, 2);
        let first = cy.round() as i32 - 10 * (lines.len() as i32 - 1);
        for (i, line) in lines.iter().enumerate() {
            c.text(
                line,
                (left.x0 - 10, first + 20 * i as i32),
                name_font,
                HPos::Right,
                VPos::Center,
            )?;
        }
    }
    c.text(
        "responses per run (mean over runs; bold: the bar's total)",
        (area.cx(), body.y1 - 2),
        AXIS_LABEL,
        HPos::Center,
        VPos::Bottom,
    )
}

#[cfg(test)]
mod tests {
    use super::super::palette::vision::confusable;
    use super::*;

    #[test]
    fn the_trigger_colours_are_told_apart_in_every_kind_of_vision() {
        let mut all = vec![
            ("correct".to_string(), CORRECT_COLOUR),
            ("spiral".to_string(), SPIRAL_COLOUR),
            ("misattributed".to_string(), MISATTRIBUTED_COLOUR),
        ];
        all.extend(
            KIND_COLOURS
                .iter()
                .enumerate()
                .map(|(i, c)| (format!("kind {i}"), *c)),
        );
        let problems = confusable(&all, 15.0, 20.0);
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn every_kind_of_misattribution_has_its_own_colour() {
        // Every trigger but "correctly attributed" and "the spiral" is a kind drawn on the right.
        assert!(KIND_COLOURS.len() >= crate::outcome::TRIGGER_KINDS - 2);
    }
}
