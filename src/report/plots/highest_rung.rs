//! Plot 3: the highest rung a run reached, per arm.

use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::report::plotdata::PlotData;

use super::axes::{axes_box, nice_step, ticks, y_axis};
use super::canvas::{Canvas, Rect, Scale};
use super::layout::{Swatch, arm_legend, frame, legend};
use super::palette::arm_colour;
use super::text::{AXIS_LABEL, PANEL_TITLE, TICK, fmt_tick};

fn shares(counts: &[u64], replicates: u64) -> Vec<f64> {
    let total: u64 = counts.iter().sum();
    let denominator = if replicates > 0 {
        replicates.max(total)
    } else {
        total
    };
    if denominator == 0 {
        return vec![0.0; counts.len()];
    }
    counts
        .iter()
        .map(|&n| n as f64 / denominator as f64)
        .collect()
}

pub(super) fn draw_highest_rung<DB: DrawingBackend>(c: &Canvas<DB>, d: &PlotData) -> Result<()> {
    let body = frame(
        c,
        "highest_rung",
        "Share of runs whose highest rung over the whole horizon was each rung",
        d,
    )?;
    let legend_h = legend(c, body, &arm_legend(&d.arms, |c| Swatch::Block(c.mix(1.0))))?;
    let n_rungs = d.rungs.len();
    let all: Vec<Vec<f64>> = (0..d.arms.len())
        .map(|arm| {
            let counts = d.highest_rung.get(arm).map_or(&[][..], Vec::as_slice);
            let mut s = shares(counts, d.replicates);
            s.resize(n_rungs, 0.0);
            s
        })
        .collect();
    let area = Rect::new(body.x0 + 40, body.y0 + legend_h + 14, body.x1, body.y1);
    if d.arms.is_empty() || n_rungs == 0 || all.iter().flatten().all(|&s| s == 0.0) {
        return c.note(area, "No runs to show: no highest rungs recorded.");
    }
    let max_of = |from: usize, to: usize| {
        all.iter()
            .flat_map(|s| s[from..to].iter())
            .copied()
            .fold(0.0f64, f64::max)
    };
    let crisis = d.crisis_rung.min(n_rungs);
    // A second panel with its own scale keeps the rare crisis rungs visible next to the common ones.
    let split =
        crisis > 0 && crisis < n_rungs && max_of(crisis, n_rungs) < 0.25 * max_of(0, n_rungs);
    let panels: Vec<(usize, usize, &str)> = if split {
        vec![
            (0, crisis, "below the crisis rung"),
            (crisis, n_rungs, "crisis and above (own scale)"),
        ]
    } else {
        vec![(0, n_rungs, "")]
    };
    let label_h = 52;
    let gutter = 70;
    let total_groups = n_rungs as i32;
    let usable = area.w() - gutter * panels.len() as i32 - 20 * (panels.len() as i32 - 1);
    let mut x0 = area.x0;
    for (from, to, title) in panels {
        let groups = (to - from) as i32;
        let w = usable * groups / total_groups.max(1);
        let top = area.y0 + if title.is_empty() { 0 } else { 30 };
        let plot = Rect::new(x0 + gutter, top, x0 + gutter + w, area.y1 - label_h);
        if !title.is_empty() {
            c.text(
                title,
                (plot.x0, area.y0 + 10),
                PANEL_TITLE,
                HPos::Left,
                VPos::Center,
            )?;
        }
        let peak = max_of(from, to) * 100.0;
        let step = nice_step(peak.max(0.1), 5);
        let top_value = ((peak * 1.05) / step).ceil() * step;
        let y = Scale::new(0.0, top_value.max(step), plot.y1, plot.y0);
        let yt = ticks(0.0, top_value.max(step), step);
        y_axis(
            c,
            plot,
            y,
            &yt,
            &|v| format!("{} %", fmt_tick(v, step)),
            true,
        )?;
        c.note_axis(0.0, true, false);
        let group_w = f64::from(plot.w()) / f64::from(groups.max(1));
        let bar_w = group_w * 0.84 / d.arms.len().max(1) as f64;
        for (g, rung) in (from..to).enumerate() {
            let gx = f64::from(plot.x0) + g as f64 * group_w + group_w * 0.08;
            for (arm, s) in all.iter().enumerate() {
                let bx0 = (gx + arm as f64 * bar_w).round() as i32;
                let bx1 = (gx + (arm + 1) as f64 * bar_w).round() as i32 - 1;
                c.fill(
                    Rect::new(bx0, y.px(s[rung] * 100.0), bx1.max(bx0 + 1), plot.y1),
                    arm_colour(arm).filled(),
                )?;
            }
            let centre = (f64::from(plot.x0) + (g as f64 + 0.5) * group_w).round() as i32;
            let name = d.rungs.get(rung).map_or("", String::as_str);
            let lines = TICK.wrap(name, group_w as i32 - 6, 2);
            for (i, line) in lines.iter().enumerate() {
                c.text(
                    line,
                    (centre, plot.y1 + 6 + 20 * i as i32),
                    TICK,
                    HPos::Center,
                    VPos::Top,
                )?;
            }
        }
        axes_box(c, plot)?;
        x0 += gutter + w + 20;
    }
    c.text_rotated(
        "share of runs (%)",
        (body.x0 + 12, (area.y0 + area.y1 - label_h) / 2),
        AXIS_LABEL,
    )
}
