//! Morris screening: per target quantity, μ* (how much a parameter moves the outcome) against σ
//! (how much that effect varies: interactions, non-linearity), with the points named, and beside it
//! the parameters ranked by μ*.

use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::report::sweep_plotdata::{MorrisEffect, MorrisTarget, SweepPlotData};

use super::super::axes::{axes_box, nice_step, ticks, x_axis, y_axis};
use super::super::canvas::{Canvas, Rect, Scale};
use super::super::layout::{LegendItem, Swatch, legend};
use super::super::palette::{INK, MUTED};
use super::super::text::{Font, PANEL_TITLE, TICK, fmt_tick, font};
use super::shared::{
    fmt_value, horizon_phrase, param_label, sweep_frame, titled, unit, value_decimals,
};

/// The most targets drawn (one row each).
const MAX_TARGETS: usize = 3;
const ROW_H: i32 = 440;

const RAISES: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
const LOWERS: RGBColor = RGBColor(0x00, 0x72, 0xB2);
const MIXED: RGBColor = RGBColor(0x99, 0x99, 0x99);

/// The colour of an effect: by the sign of μ when the effects mostly agree in sign, grey otherwise.
fn effect_colour(e: &MorrisEffect) -> RGBColor {
    if !(e.mu.is_finite() && e.mu_star.is_finite()) || e.mu.abs() < 0.5 * e.mu_star {
        MIXED
    } else if e.mu > 0.0 {
        RAISES
    } else {
        LOWERS
    }
}

/// The targets drawn: the baseline outcome, then the paired differences, then the other arms.
fn shown_targets(d: &SweepPlotData) -> Vec<&MorrisTarget> {
    let arms = d.arms.len();
    let mut order: Vec<usize> = Vec::new();
    if d.morris.len() == 2 * arms.max(1) - 1 && arms >= 1 {
        order.push(0);
        order.extend(arms..d.morris.len());
        order.extend(1..arms);
    } else {
        order.extend(0..d.morris.len());
    }
    order
        .iter()
        .take(MAX_TARGETS)
        .map(|&i| &d.morris[i])
        .collect()
}

pub(super) fn morris_size(d: &SweepPlotData) -> (u32, u32) {
    let rows = shown_targets(d).len().max(1) as i32;
    let params = d.parameters.len() as i32;
    let row_h = ROW_H.max(80 + 30 * params);
    (1500, (200 + rows * row_h).max(800) as u32)
}

pub(super) fn draw_morris<DB: DrawingBackend>(c: &Canvas<DB>, d: &SweepPlotData) -> Result<()> {
    let u = unit(d);
    let horizon = horizon_phrase(d.horizon_days);
    let title = titled(&[
        "Which parameters matter for",
        &d.outcome.label,
        &horizon,
        "— Morris screening",
    ]);
    let per = format!(
        "in {} for a change of the parameter from its lowest to its highest value{}",
        u.change,
        if d.outcome.proportion {
            " (morris.csv holds the same effects as fractions: 0.66 there is 66 points here)"
        } else {
            ""
        }
    );
    let more = if d.morris.len() > MAX_TARGETS {
        format!(
            " · {MAX_TARGETS} of {} screened quantities shown",
            d.morris.len()
        )
    } else {
        String::new()
    };
    let subtitle = format!(
        "Left: μ*, the mean size of a parameter's effect, against σ, its spread (above the dashed line: interactions or non-linearity) · right: parameters ranked by μ* · effects {per}{more}"
    );
    let body = sweep_frame(c, &title, &subtitle, d)?;
    let targets = shown_targets(d);
    if targets.is_empty() || d.parameters.is_empty() {
        return c.note(body, "No Morris screening results to show.");
    }
    let items = [
        (RAISES, "raises the outcome (μ > 0)"),
        (LOWERS, "lowers the outcome (μ < 0)"),
        (MIXED, "either way (|μ| < μ*/2)"),
    ]
    .map(|(colour, label)| LegendItem {
        swatch: Swatch::Block(colour.to_rgba()),
        label: label.into(),
    });
    let legend_h = legend(c, body, &items)?;
    let area = Rect::new(body.x0, body.y0 + legend_h + 6, body.x1, body.y1);
    let row_h = area.h() / targets.len() as i32;
    for (k, target) in targets.iter().enumerate() {
        let row = Rect::new(
            area.x0,
            area.y0 + k as i32 * row_h,
            area.x1,
            area.y0 + (k as i32 + 1) * row_h,
        );
        c.text(
            &font(20.0).bold().fit(&target.label, row.w()),
            (row.x0, row.y0 + 14),
            font(20.0).bold(),
            HPos::Left,
            VPos::Center,
        )?;
        let split = row.x0 + row.w() * 11 / 20;
        let scatter = Rect::new(row.x0 + 80, row.y0 + 40, split - 30, row.y1 - 62);
        let bars = Rect::new(split + 20, row.y0 + 40, row.x1, row.y1 - 62);
        draw_scatter(c, scatter, target, d, u.scale)?;
        draw_bars(c, bars, target, d, u.scale)?;
        c.text(
            &format!("μ* ({})", u.change),
            (scatter.cx(), scatter.y1 + 30),
            font(17.0),
            HPos::Center,
            VPos::Top,
        )?;
        c.text_rotated(
            &format!("σ ({})", u.change),
            (row.x0 + 12, scatter.cy()),
            font(17.0),
        )?;
    }
    Ok(())
}

/// Usable effects: finite μ* and σ.
fn usable(t: &MorrisTarget) -> Vec<&MorrisEffect> {
    t.effects
        .iter()
        .filter(|e| e.mu_star.is_finite() && e.sigma.is_finite())
        .collect()
}

const LABEL: Font = font(15.0);

/// The first free spot for a point's label: next to the point, then further out (with a leader line),
/// in full and then shortened; inside the plot and clear of `taken`. `None` if there is no room.
fn place_label(
    full: &str,
    (px, py): (i32, i32),
    r: i32,
    plot: Rect,
    taken: &[Rect],
) -> Option<(String, Rect, bool)> {
    let candidates = [full.to_string(), LABEL.fit(full, 150)];
    let h = 18;
    for far in [0, 22, 44] {
        for text in candidates.iter().filter(|t| !t.is_empty()) {
            let w = LABEL.width(text);
            let (near, side) = (r + 5 + far, r + 3 + far);
            let spots = [
                (px + near, py - h / 2),
                (px - near - 2 - w, py - h / 2),
                (px - w / 2, py - side - h),
                (px - w / 2, py + side),
                (px + r + 2 + far, py - r - h - far),
                (px + r + 2 + far, py + r + far),
                (px - r - 2 - w - far, py - r - h - far),
                (px - r - 2 - w - far, py + r + far),
            ];
            for (sx, sy) in spots {
                let rect = Rect::new(sx, sy, sx + w, sy + h);
                let inside = rect.x0 >= plot.x0 + 2
                    && rect.x1 <= plot.x1 - 2
                    && rect.y0 >= plot.y0
                    && rect.y1 <= plot.y1 - 2;
                if inside && !taken.iter().any(|t| overlaps(t, &rect)) {
                    return Some((text.clone(), rect, far > 0));
                }
            }
        }
    }
    None
}

fn overlaps(a: &Rect, b: &Rect) -> bool {
    a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1
}

fn draw_scatter<DB: DrawingBackend>(
    c: &Canvas<DB>,
    plot: Rect,
    t: &MorrisTarget,
    d: &SweepPlotData,
    scale: f64,
) -> Result<()> {
    let effects = usable(t);
    if effects.is_empty() {
        axes_box(c, plot)?;
        return c.note(plot, "no effects");
    }
    let top = effects
        .iter()
        .flat_map(|e| [e.mu_star * scale, e.sigma * scale])
        .fold(0.0f64, f64::max);
    let top = if top > 0.0 { top * 1.08 } else { 1.0 };
    let step = nice_step(top, 5);
    let top = (top / step).ceil() * step;
    let x = Scale::new(0.0, top, plot.x0, plot.x1);
    let y = Scale::new(0.0, top, plot.y1, plot.y0);
    let tk = ticks(0.0, top, step);
    y_axis(c, plot, y, &tk, &|v| fmt_tick(v, step), true)?;
    x_axis(c, plot, x, &tk, &|v| fmt_tick(v, step), true)?;
    c.dashed(
        vec![(x.px(0.0), y.px(0.0)), (x.px(top), y.px(top))],
        8,
        6,
        MUTED.stroke_width(2),
    )?;
    let label_font = LABEL;
    c.text(
        "σ = μ*",
        // Above the line, left of where it crosses 85 % of the axis: clear of the line itself.
        (x.px(top * 0.85) - 8, y.px(top * 0.85) - 12),
        label_font.colour(MUTED),
        HPos::Right,
        VPos::Center,
    )?;
    // Points, then labels placed greedily from the most important point: the first free spot around
    // each point, inside the plot, clear of every point and of the labels already placed.
    let mut ranked = effects.clone();
    ranked.sort_by(|a, b| b.mu_star.total_cmp(&a.mu_star).then(a.param.cmp(&b.param)));
    let centres: Vec<(i32, i32)> = ranked
        .iter()
        .map(|e| (x.px(e.mu_star * scale), y.px(e.sigma * scale)))
        .collect();
    let r = 7;
    let mut taken: Vec<Rect> = centres
        .iter()
        .map(|&(px, py)| Rect::new(px - r, py - r, px + r, py + r))
        .collect();
    for (e, &(px, py)) in ranked.iter().zip(&centres) {
        c.dot((px, py), r, effect_colour(e).filled())?;
        c.dot((px, py), r, INK.stroke_width(1))?;
    }
    for (e, &(px, py)) in ranked.iter().zip(&centres) {
        if let Some((text, rect, leader)) =
            place_label(param_label(d, e.param), (px, py), r, plot, &taken)
        {
            if leader {
                // A thin line from the point to the label's nearest edge, for labels set further out.
                let lx = px.clamp(rect.x0, rect.x1);
                let ly = py.clamp(rect.y0, rect.y1);
                c.line(vec![(px, py), (lx, ly)], MUTED.stroke_width(1))?;
            }
            c.text(&text, (rect.x0, rect.cy()), LABEL, HPos::Left, VPos::Center)?;
            taken.push(rect);
        }
    }
    axes_box(c, plot)
}

fn draw_bars<DB: DrawingBackend>(
    c: &Canvas<DB>,
    r: Rect,
    t: &MorrisTarget,
    d: &SweepPlotData,
    scale: f64,
) -> Result<()> {
    let mut effects = usable(t);
    if effects.is_empty() {
        return c.note(r, "no effects");
    }
    effects.sort_by(|a, b| b.mu_star.total_cmp(&a.mu_star).then(a.param.cmp(&b.param)));
    c.text(
        &PANEL_TITLE.fit("Parameters ranked by μ*", r.w()),
        (r.x0, r.y0 - 12),
        PANEL_TITLE,
        HPos::Left,
        VPos::Center,
    )?;
    let names: Vec<String> = effects
        .iter()
        .map(|e| param_label(d, e.param).to_string())
        .collect();
    let name_font = font(16.0);
    let gutter = (name_font.width_max(&names) + 14).clamp(80, r.w() * 2 / 5);
    let plot = Rect::new(r.x0 + gutter, r.y0 + 8, r.x1 - 70, r.y1);
    let top = effects
        .iter()
        .map(|e| e.mu_star * scale)
        .fold(0.0f64, f64::max);
    // Room after the longest bar for its value.
    let top = if top > 0.0 { top * 1.1 } else { 1.0 };
    let step = nice_step(top, 4);
    let x = Scale::new(0.0, top, plot.x0, plot.x1);
    x_axis(
        c,
        plot,
        x,
        &ticks(0.0, top, step),
        &|v| fmt_tick(v, step),
        true,
    )?;
    let row = f64::from(plot.h()) / effects.len() as f64;
    let bar_h = (row * 0.7).clamp(2.0, 28.0) as i32;
    let dec = value_decimals(&[top]);
    for (i, (e, name)) in effects.iter().zip(&names).enumerate() {
        let cy = (f64::from(plot.y0) + (i as f64 + 0.5) * row).round() as i32;
        if row >= 14.0 {
            c.text(
                &name_font.fit(name, gutter - 12),
                (plot.x0 - 10, cy),
                name_font,
                HPos::Right,
                VPos::Center,
            )?;
        }
        let x1 = x.px(e.mu_star * scale);
        c.fill(
            Rect::new(plot.x0, cy - bar_h / 2, x1.max(plot.x0 + 1), cy + bar_h / 2),
            effect_colour(e).filled(),
        )?;
        if row >= 14.0 {
            c.text(
                &fmt_value(e.mu_star * scale, dec),
                (x1 + 6, cy),
                TICK,
                HPos::Left,
                VPos::Center,
            )?;
        }
    }
    c.line(
        vec![(plot.x0, plot.y0), (plot.x0, plot.y1)],
        INK.stroke_width(1),
    )
}

#[cfg(test)]
mod tests {
    use super::super::super::palette::vision::confusable;
    use super::*;

    #[test]
    fn the_three_effect_colours_are_told_apart_in_every_kind_of_vision() {
        let colours = [
            ("raises".to_string(), RAISES),
            ("lowers".to_string(), LOWERS),
            ("either way".to_string(), MIXED),
        ];
        let problems = confusable(&colours, 15.0, 20.0);
        assert!(problems.is_empty(), "{problems:?}");
    }
}
