//! The figure of `escalate discover`: left, PRIM's peeling trajectory (coverage against density, each
//! box a dot coloured by how many parameters it restricts, the chosen box ringed); right, the
//! chosen box's limits on every parameter against the range swept.

use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axes::{axes_box, x_axis, y_axis};
use super::canvas::{Canvas, Rect, Scale};
use super::figure::Figure;
use super::layout::{LegendItem, Swatch, footer_with_rule, legend, title_and_subtitle};
use super::palette::{INK, MUTED};
use super::text::{AXIS_LABEL, PANEL_TITLE, TICK, font};
use crate::report::discovery::{Discovery, fmt_number, relation};

const MARGIN: i32 = 28;
/// Colours by the number of restricted parameters: 0, 1, 2, 3 and more (Okabe–Ito).
const BY_RESTRICTED: [RGBColor; 4] = [
    RGBColor(0x99, 0x99, 0x99),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xCC, 0x79, 0xA7),
];
const IN_BOX: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
const RANGE: RGBColor = RGBColor(0xE3, 0xE3, 0xE3);

fn restricted_colour(n: usize) -> RGBColor {
    BY_RESTRICTED[n.min(BY_RESTRICTED.len() - 1)]
}

/// The discovery figure (`discovery.png`, `discovery.svg`).
pub struct DiscoveryFigure<'a>(pub &'a Discovery);

impl Figure for DiscoveryFigure<'_> {
    fn size(&self) -> (u32, u32) {
        let rows = self.0.found.limits.len() as u32;
        (1500, 760.max(330 + 100 * rows))
    }

    fn name(&self) -> &str {
        "discovery"
    }

    fn draw<DB: DrawingBackend>(&self, c: &Canvas<'_, DB>) -> Result<()> {
        let d = self.0;
        let title = format!("Where `{}` holds — scenario discovery (PRIM)", d.condition);
        let lines = title_and_subtitle(c, &title, &d.sentence.replace('`', ""), 3)?;
        let footer = format!(
            "sweep {} · arm \"{}\" · {} points, {} where the condition holds · peel {} · smallest box {} · density threshold {} · escalate",
            d.sweep,
            d.arm,
            d.points,
            d.cases,
            pct(d.alpha),
            pct(d.min_mass),
            pct(d.threshold)
        );
        footer_with_rule(c, &footer)?;
        let top = 100 + 24 * lines as i32;
        let body = Rect::new(MARGIN, top, c.w - MARGIN, c.h - 48);
        let split = body.x0 + body.w() * 47 / 100;
        trajectory(c, Rect::new(body.x0, body.y0, split - 30, body.y1), d)?;
        limits(c, Rect::new(split + 30, body.y0, body.x1, body.y1), d)
    }
}

fn pct(x: f64) -> String {
    format!("{:.0} %", 100.0 * x)
}

fn trajectory<DB: DrawingBackend>(c: &Canvas<DB>, r: Rect, d: &Discovery) -> Result<()> {
    c.text(
        "Peeling trajectory: each step trades coverage for density",
        (r.x0, r.y0 + 4),
        PANEL_TITLE,
        HPos::Left,
        VPos::Top,
    )?;
    let most = d.trajectory.iter().map(|t| t.restricted).max().unwrap_or(0);
    let items: Vec<LegendItem> = (0..=most.min(BY_RESTRICTED.len() - 1))
        .filter(|n| d.trajectory.iter().any(|t| t.restricted.min(3) == *n))
        .map(|n| LegendItem {
            swatch: Swatch::Block(restricted_colour(n).to_rgba()),
            label: match n {
                0 => "no parameter restricted".into(),
                1 => "1 parameter".into(),
                3 => "3 or more".into(),
                n => format!("{n} parameters"),
            },
        })
        .collect();
    let legend_h = legend(c, Rect::new(r.x0, r.y0 + 34, r.x1, r.y1), &items)?;
    let plot = Rect::new(r.x0 + 70, r.y0 + 44 + legend_h, r.x1 - 10, r.y1 - 60);
    let x = Scale::new(0.0, 1.0, plot.x0, plot.x1);
    let y = Scale::new(0.0, 1.0, plot.y1, plot.y0);
    let ticks: Vec<f64> = (0..=5).map(|k| f64::from(k) / 5.0).collect();
    let label = |v: f64| format!("{:.0} %", 100.0 * v);
    x_axis(c, plot, x, &ticks, &label, true)?;
    y_axis(c, plot, y, &ticks, &label, true)?;
    axes_box(c, plot)?;
    c.text(
        "coverage: share of the condition's points inside the box",
        (plot.cx(), plot.y1 + 32),
        AXIS_LABEL,
        HPos::Center,
        VPos::Top,
    )?;
    c.text_rotated(
        "density: share of the box's points where it holds",
        (r.x0 + 4, plot.cy()),
        AXIS_LABEL,
    )?;
    let threshold = y.px(d.threshold);
    c.dashed(
        vec![(plot.x0, threshold), (plot.x1, threshold)],
        6,
        5,
        MUTED.stroke_width(1),
    )?;
    c.text(
        &format!("threshold {}", pct(d.threshold)),
        (plot.x0 + 6, threshold - 4),
        TICK.colour(MUTED),
        HPos::Left,
        VPos::Bottom,
    )?;
    let path: Vec<(i32, i32)> = d
        .trajectory
        .iter()
        .map(|t| (x.px(t.coverage), y.px(t.density)))
        .collect();
    c.line(path.clone(), MUTED.stroke_width(1))?;
    for (t, p) in d.trajectory.iter().zip(&path) {
        c.dot(*p, 6, restricted_colour(t.restricted).filled())?;
    }
    if let Some(p) = path.get(d.chosen_step) {
        c.dot(*p, 12, INK.stroke_width(2))?;
        c.text(
            &format!("chosen: step {}", d.chosen_step),
            (p.0 - 16, p.1 + 14),
            TICK,
            HPos::Right,
            VPos::Top,
        )?;
    }
    let pasted = (x.px(d.found.coverage), y.px(d.found.density));
    if pasted != path.get(d.chosen_step).copied().unwrap_or((-1, -1)) {
        c.dot(pasted, 7, IN_BOX.filled())?;
        c.text(
            "pasted",
            (pasted.0 + 12, pasted.1 - 4),
            TICK.colour(IN_BOX),
            HPos::Left,
            VPos::Bottom,
        )?;
    }
    Ok(())
}

fn limits<DB: DrawingBackend>(c: &Canvas<DB>, r: Rect, d: &Discovery) -> Result<()> {
    c.text(
        "The chosen box, on each parameter's swept range",
        (r.x0, r.y0 + 4),
        PANEL_TITLE,
        HPos::Left,
        VPos::Top,
    )?;
    let items = [
        LegendItem {
            swatch: Swatch::Block(RANGE.to_rgba()),
            label: "range swept".into(),
        },
        LegendItem {
            swatch: Swatch::Block(IN_BOX.to_rgba()),
            label: "values in the box".into(),
        },
    ];
    let legend_h = legend(c, Rect::new(r.x0, r.y0 + 34, r.x1, r.y1), &items)?;
    let top = r.y0 + 50 + legend_h;
    let n = d.found.limits.len().max(1) as i32;
    let row_h = ((r.y1 - top) / n).clamp(96, 120);
    let bar_x = Rect::new(r.x0 + 10, 0, r.x1 - 10, 0);
    for (k, l) in d.found.limits.iter().enumerate() {
        let y0 = top + k as i32 * row_h;
        // The name on its own line (shortened if it must be), the box's limits on the next, so a
        // long name never hides the limits.
        let name_font = if l.restricted {
            font(18.0).bold()
        } else {
            font(18.0).colour(MUTED)
        };
        c.text(
            &name_font.fit(&l.parameter, bar_x.w()),
            (bar_x.x0, y0),
            name_font,
            HPos::Left,
            VPos::Top,
        )?;
        let detail = if l.restricted {
            let phrase = if l.lo == l.hi {
                format!("only {}", fmt_number(l.lo))
            } else {
                relation(l).unwrap_or_default()
            };
            let p = l
                .p_value
                .map_or(String::new(), |p| format!(" · p = {p:.1e}"));
            format!("in the box: {phrase}{p}")
        } else {
            "not restricted".into()
        };
        c.text(
            &TICK.fit(&detail, bar_x.w()),
            (bar_x.x0, y0 + 24),
            TICK.colour(if l.restricted { INK } else { MUTED }),
            HPos::Left,
            VPos::Top,
        )?;
        let bar_y = y0 + 48;
        let s = Scale::new(l.range_lo, l.range_hi, bar_x.x0, bar_x.x1);
        c.fill(
            Rect::new(bar_x.x0, bar_y, bar_x.x1, bar_y + 16),
            RANGE.filled(),
        )?;
        let (a, b) = (s.px(l.lo), s.px(l.hi).max(s.px(l.lo) + 3));
        let colour = if l.restricted {
            IN_BOX
        } else {
            RGBColor(0xF2, 0xC1, 0x9E)
        };
        c.fill(Rect::new(a, bar_y, b, bar_y + 16), colour.filled())?;
        for (v, pos) in [(l.range_lo, HPos::Left), (l.range_hi, HPos::Right)] {
            c.text(
                &fmt_number(v),
                (s.px(v), bar_y + 20),
                TICK.colour(MUTED),
                pos,
                VPos::Top,
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::{figure, inspect};
    use super::*;
    use crate::report::discovery::prim::PrimSettings;
    use crate::report::discovery::{Cases, discover};

    /// A discovery over a `k`-parameter grid (3 levels each) where the condition holds at the low
    /// level of the first parameter and the high level of the second.
    fn example(k: usize, long: bool) -> Discovery {
        let mut x: Vec<Vec<f64>> = vec![Vec::new()];
        for _ in 0..k {
            x = x
                .into_iter()
                .flat_map(|p| {
                    (0..3).map(move |l| {
                        let mut q = p.clone();
                        q.push(f64::from(l) / 2.0);
                        q
                    })
                })
                .collect();
        }
        let y = x.iter().map(|p| p[0] < 0.4 && p[1] > 0.6).collect();
        let name = |j: usize| {
            if long {
                format!("parameter {j} of the state that is least able to tell who attacked it")
            } else {
                format!("parameter {j}")
            }
        };
        let cases = Cases {
            parameters: (0..k).map(name).collect(),
            x,
            y,
        };
        discover(
            &cases,
            PrimSettings::default(),
            "example sweep",
            "diff_kinetic_hi >= 0 and \"hotline reliability\" < 0.5",
            "with channels",
        )
        .expect("a box")
    }

    #[test]
    fn no_text_overlaps_or_leaves_the_canvas() {
        for (k, long) in [(2, false), (2, true), (5, false), (5, true)] {
            let d = example(k, long);
            let f = DiscoveryFigure(&d);
            let (svg, _) = figure::svg_logged(&f).expect("draws");
            let placed = inspect::texts(&svg);
            assert!(placed.len() > 10, "{k} parameters: the figure has its text");
            let clashes = inspect::overlaps(&placed, 1);
            assert!(
                clashes.is_empty(),
                "{k} parameters, long {long}: {clashes:#?}"
            );
            let out = inspect::outside(&placed, f.size());
            assert!(out.is_empty(), "{k} parameters, long {long}: {out:#?}");
            // The restricted parameters are named with their limits, the others as not restricted.
            assert!(
                svg.contains("in the box: only 1 · p = "),
                "{k} parameters, long {long}"
            );
            assert_eq!(svg.matches("\nnot restricted\n").count(), k - 2);
        }
    }
}
