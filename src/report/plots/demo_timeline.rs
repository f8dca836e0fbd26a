//! The demo's timeline picture: the current rung over time in each arm of one run, the events that
//! moved it marked and labelled, and the day the arms part highlighted. PNG and SVG for a slide, and
//! (with the `gif` feature) an animated GIF of the timeline filling in.

use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use std::path::Path;

use super::axes::{TimeAxis, axes_box, x_axis, y_axis};
use super::canvas::{Canvas, Rect, Scale};
use super::figure::{self, Figure};
use super::layout::{LegendItem, Swatch, arm_legend, legend};
use super::palette::{CRISIS_TINT, MUTED, arm_colour};
use super::text::{AXIS_LABEL, FOOTER, SUBTITLE, TICK, TITLE, fmt_tick, font};

/// One arm's line and marks.
#[derive(Debug, Clone)]
pub struct DemoTrack {
    /// Arm name.
    pub name: String,
    /// The current rung as runs (first day, rung), from day 0.
    pub runs: Vec<(u32, u8)>,
    /// Marked events: day, rung, and a short label for the ones worth reading (empty: a dot only).
    pub marks: Vec<(u32, u8, String)>,
}

/// What the picture shows.
#[derive(Debug, Clone)]
pub struct DemoPicture {
    /// Title line.
    pub title: String,
    /// Subtitle line.
    pub subtitle: String,
    /// Rung names, bottom up.
    pub rungs: Vec<String>,
    /// First crisis rung.
    pub crisis_rung: u8,
    /// Days in the run.
    pub horizon: u32,
    /// One or two arms.
    pub tracks: Vec<DemoTrack>,
    /// The day the arms part and a short note.
    pub divergence: Option<(u32, String)>,
    /// Footer (scenario, seed, how to reproduce).
    pub footer: String,
}

/// Canvas size in pixels.
pub const DEMO_SIZE: (u32, u32) = (1400, 800);

#[cfg(feature = "gif")]
fn err<E: std::fmt::Display>(e: E) -> anyhow::Error {
    anyhow::anyhow!("drawing the demo timeline: {e}")
}

/// Draws the picture up to day `until` (the horizon for the whole run).
fn draw<DB: DrawingBackend>(c: &Canvas<'_, DB>, d: &DemoPicture, until: u32) -> Result<()> {
    let m = 28;
    c.text(
        &TITLE.fit(&d.title, c.w - 2 * m),
        (m, 20),
        TITLE,
        HPos::Left,
        VPos::Top,
    )?;
    c.text(
        &SUBTITLE.fit(&d.subtitle, c.w - 2 * m),
        (m, 62),
        SUBTITLE,
        HPos::Left,
        VPos::Top,
    )?;
    c.text(
        &FOOTER.fit(&d.footer, c.w - 2 * m),
        (m, c.h - 14),
        FOOTER,
        HPos::Left,
        VPos::Bottom,
    )?;
    let body = Rect::new(m, 100, c.w - m, c.h - 48);
    let mut items = arm_legend(
        &d.tracks.iter().map(|t| t.name.clone()).collect::<Vec<_>>(),
        Swatch::Line,
    );
    if d.divergence.is_some() {
        items.push(LegendItem {
            swatch: Swatch::Dashed(RGBColor(0xAA, 0x22, 0x88)),
            label: "the arms part here".into(),
        });
    }
    let legend_h = legend(c, body, &items)?;
    let label_w = d.rungs.iter().map(|r| TICK.width(r)).max().unwrap_or(80) + 40;
    let plot = Rect::new(
        body.x0 + label_w,
        body.y0 + legend_h + 20,
        body.x1 - 10,
        body.y1 - 50,
    );
    let top = d.rungs.len().saturating_sub(1).max(1) as f64;
    let y = Scale::new(-0.5, top + 0.5, plot.y1, plot.y0);
    let time = TimeAxis::new(d.horizon as usize);
    let x = time.scale(plot);
    let xd = |day: u32| x.px(time.value(day as f64));
    // Crisis band.
    c.fill(
        Rect::new(
            plot.x0,
            y.px(top + 0.5),
            plot.x1,
            y.px(d.crisis_rung as f64 - 0.5),
        ),
        CRISIS_TINT.filled(),
    )?;
    let rung_ticks: Vec<f64> = (0..d.rungs.len()).map(|r| r as f64).collect();
    let names = d.rungs.clone();
    y_axis(
        c,
        plot,
        y,
        &rung_ticks,
        &|v| {
            format!(
                "{} {}",
                names.get(v as usize).map_or("", |s| s.as_str()),
                v as usize
            )
        },
        true,
    )?;
    let (xt, xstep) = time.ticks(plot.w());
    x_axis(c, plot, x, &xt, &|v| fmt_tick(v, xstep), true)?;
    // Everything a label must not cover: the "crisis" note, the divergence marker and its note, the
    // lines and the dots.
    let mut taken: Vec<Rect> = Vec::new();
    let crisis_font = font(15.0).colour(RGBColor(0xB0, 0x40, 0x10));
    let crisis_at = (plot.x1 - 6, y.px(top + 0.5) + 6);
    c.text("crisis", crisis_at, crisis_font, HPos::Right, VPos::Top)?;
    taken.push(Rect::new(
        crisis_at.0 - crisis_font.width("crisis") - 2,
        crisis_at.1 - 2,
        crisis_at.0 + 2,
        crisis_at.1 + 20,
    ));
    // Divergence.
    if let Some((day, note)) = &d.divergence
        && *day <= until
    {
        let px = xd(*day);
        let colour = RGBColor(0xAA, 0x22, 0x88);
        c.dashed(
            vec![(px, plot.y0), (px, plot.y1)],
            8,
            6,
            colour.stroke_width(3),
        )?;
        taken.push(Rect::new(px - 4, plot.y0, px + 4, plot.y1));
        let f = font(16.0).bold().colour(colour);
        let text = f.fit(note, (plot.x1 - px - 12).max(200));
        let tw = f.width(&text);
        let (hpos, tx, x0) = if px + tw + 10 < plot.x1 {
            (HPos::Left, px + 8, px + 8)
        } else {
            (HPos::Right, px - 8, px - 8 - tw)
        };
        c.text(&text, (tx, plot.y0 + 4), f, hpos, VPos::Top)?;
        taken.push(Rect::new(x0 - 2, plot.y0, x0 + tw + 2, plot.y0 + 26));
    }
    // Lines: the baseline wider and underneath, so where the arms agree both stay visible.
    for (i, t) in d.tracks.iter().enumerate() {
        let mut pts = Vec::new();
        for (k, &(day, rung)) in t.runs.iter().enumerate() {
            if day > until {
                break;
            }
            if k > 0 {
                pts.push((xd(day), pts.last().map_or(y.px(0.0), |p: &(i32, i32)| p.1)));
            }
            pts.push((xd(day), y.px(rung as f64)));
        }
        if let Some(&(_, py)) = pts.last() {
            pts.push((xd(until.min(d.horizon)), py));
        }
        let width: u32 = if i == 0 && d.tracks.len() > 1 { 7 } else { 3 };
        let half = width as i32 / 2 + 2;
        taken.extend(pts.windows(2).map(|w| {
            let ((ax, ay), (bx, by)) = (w[0], w[1]);
            Rect::new(
                ax.min(bx) - half,
                ay.min(by) - half,
                ax.max(bx) + half,
                ay.max(by) + half,
            )
        }));
        c.line(pts, arm_colour(i).stroke_width(width))?;
    }
    // Marks first (so labels avoid every dot), then labels, each at the nearest free place: above or
    // below the dot, centred on it, beside it to the right, or beside it to the left.
    let lf = font(15.0).bold();
    for (i, t) in d.tracks.iter().enumerate() {
        for (day, rung, label) in &t.marks {
            if *day > until {
                continue;
            }
            let at = (xd(*day), y.px(*rung as f64));
            let r = if label.is_empty() { 4 } else { 7 };
            c.dot(at, r, arm_colour(i).filled())?;
            c.dot(at, r, WHITE.stroke_width(1))?;
            taken.push(Rect::new(
                at.0 - r - 1,
                at.1 - r - 1,
                at.0 + r + 1,
                at.1 + r + 1,
            ));
        }
    }
    for (i, t) in d.tracks.iter().enumerate() {
        for (day, rung, label) in &t.marks {
            if *day > until || label.is_empty() {
                continue;
            }
            let at = (xd(*day), y.px(*rung as f64));
            let text = lf.fit(label, 380);
            let tw = lf.width(&text);
            // Candidate places on a 10-pixel grid around the dot, nearest first (the first arm's
            // labels lean above their dots, the second's below), the first one free taken.
            let lean = if i == 0 { -1 } else { 1 };
            let mut candidates: Vec<(i32, Rect)> = Vec::new();
            for k in -14..=14 {
                let cy = at.1 + 10 * k;
                for j in -((tw + 200) / 10)..=20 {
                    let x0 =
                        (at.0 + 10 * j).clamp(plot.x0 + 2, (plot.x1 - tw - 2).max(plot.x0 + 2));
                    let r = Rect::new(x0, cy - 9, x0 + tw, cy + 9);
                    let dx = (r.x0 - at.0).max(at.0 - r.x1).max(0);
                    let dy = (r.y0 - at.1).max(at.1 - r.y1).max(0);
                    let away = if k.signum() == lean { 0 } else { 6 };
                    candidates.push((dx + 2 * dy + away, r));
                }
            }
            candidates.sort_by_key(|(d, r)| (*d, r.y0, r.x0));
            let place = candidates.into_iter().map(|(_, r)| r).find(|r| {
                let inside = r.y0 > plot.y0 && r.y1 < plot.y1;
                inside
                    && taken
                        .iter()
                        .all(|o| r.x1 < o.x0 || r.x0 > o.x1 || r.y1 < o.y0 || r.y0 > o.y1)
            });
            if let Some(r) = place {
                taken.push(r);
                c.text(
                    &text,
                    (r.x0, r.cy()),
                    lf.colour(arm_colour(i)),
                    HPos::Left,
                    VPos::Center,
                )?;
            }
        }
    }
    axes_box(c, plot)?;
    c.text(
        time.label(),
        (plot.cx(), body.y1 - 2),
        AXIS_LABEL,
        HPos::Center,
        VPos::Bottom,
    )?;
    if until < d.horizon {
        c.text(
            &format!("day {until}"),
            (plot.x1, plot.y0 - 6),
            AXIS_LABEL.colour(MUTED),
            HPos::Right,
            VPos::Bottom,
        )?;
    }
    Ok(())
}

/// The picture up to day `until`.
struct Timeline<'a> {
    d: &'a DemoPicture,
    until: u32,
}

impl Figure for Timeline<'_> {
    fn size(&self) -> (u32, u32) {
        DEMO_SIZE
    }

    fn name(&self) -> &str {
        "demo_timeline"
    }

    fn draw<DB: DrawingBackend>(&self, c: &Canvas<'_, DB>) -> Result<()> {
        draw(c, self.d, self.until)
    }
}

/// The picture as an SVG document.
pub fn demo_svg(d: &DemoPicture) -> Result<String> {
    figure::svg(&Timeline {
        d,
        until: d.horizon,
    })
}

/// Writes the picture as a PNG.
pub fn demo_png(d: &DemoPicture, path: &Path) -> Result<()> {
    figure::png(
        &Timeline {
            d,
            until: d.horizon,
        },
        path,
    )
}

/// Writes the picture as an animated GIF filling in over about `frames` frames.
#[cfg(feature = "gif")]
pub fn demo_gif(d: &DemoPicture, path: &Path, frames: u32) -> Result<()> {
    super::register_fonts()?;
    let root = BitMapBackend::gif(path, DEMO_SIZE, 120)
        .map_err(err)?
        .into_drawing_area();
    let step = (d.horizon / frames.max(1)).max(1);
    let mut day = 0;
    loop {
        figure::draw_on(
            &Timeline {
                d,
                until: day.min(d.horizon),
            },
            &root,
            true,
        )?;
        root.present().map_err(err)?;
        if day >= d.horizon {
            break;
        }
        day += step;
    }
    // Hold the last frame a little.
    for _ in 0..4 {
        figure::draw_on(
            &Timeline {
                d,
                until: d.horizon,
            },
            &root,
            true,
        )?;
        root.present().map_err(err)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A crowded picture like the classroom's seed 9: labelled marks right beside the divergence
    /// marker, on lines that run through the labels' natural places.
    fn crowded() -> DemoPicture {
        let rungs: Vec<String> = [
            "competition",
            "diplomatic protest",
            "public attribution",
            "sanctions",
            "cyber retaliation",
            "disruptive attack",
            "destructive attack",
            "limited kinetic",
            "full kinetic conflict",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let label = |s: &str| s.to_string();
        DemoPicture {
            title: "One run of \"classroom\", seed 9".into(),
            subtitle: "The current rung day by day in each arm".into(),
            rungs,
            crisis_rung: 5,
            horizon: 365,
            tracks: vec![
                DemoTrack {
                    name: "without channels".into(),
                    runs: vec![
                        (0, 0),
                        (53, 1),
                        (56, 0),
                        (107, 2),
                        (128, 4),
                        (131, 3),
                        (198, 5),
                        (282, 6),
                        (284, 5),
                        (317, 8),
                    ],
                    marks: vec![
                        (53, 1, label("Aurelia→Borealis: diplomatic protest")),
                        (107, 3, label("Aurelia→Borealis: sanctions (wrong state)")),
                        (128, 4, label("Aurelia→Borealis: cyber retaliation")),
                        (198, 5, label("Borealis→Aurelia: disruptive attack")),
                        (282, 6, label("Borealis→Aurelia: destructive attack")),
                        (317, 8, label("Aurelia→Borealis: full kinetic conflict")),
                        (140, 3, String::new()),
                    ],
                },
                DemoTrack {
                    name: "with channels".into(),
                    runs: vec![
                        (0, 0),
                        (53, 1),
                        (59, 0),
                        (107, 3),
                        (110, 2),
                        (195, 1),
                        (282, 0),
                    ],
                    marks: vec![
                        (53, 1, label("Aurelia→Borealis: diplomatic protest")),
                        (59, 0, label("CERT/hotline clears Borealis")),
                        (107, 3, label("Aurelia→Caspia: sanctions")),
                        (280, 1, label("CERT/hotline clears Borealis")),
                    ],
                },
            ],
            divergence: Some((59, "day 59: the arms part".into())),
            footer: "escalate; scenario classroom, seed 9".into(),
        }
    }

    #[test]
    fn labels_cover_no_other_text_and_stay_on_the_canvas() {
        let d = crowded();
        let svg = demo_svg(&d).expect("draws");
        let placed = super::super::inspect::texts(&svg);
        let clashes = super::super::inspect::overlaps(&placed, 1);
        assert!(clashes.is_empty(), "{clashes:#?}");
        assert!(super::super::inspect::outside(&placed, DEMO_SIZE).is_empty());
        // The arms' lines and the divergence marker (not the grey grid and axes) cross no text.
        let lines = super::super::inspect::strokes(&svg, &["#E3E3E3", "#808080"]);
        assert!(lines.len() > 20, "the lines are read ({})", lines.len());
        let crossed = super::super::inspect::crossed(&placed, &lines, 1);
        assert!(crossed.is_empty(), "{crossed:#?}");
        // Most labels find a place (a label with no free place is left out, its dot stays).
        let shown = placed
            .iter()
            .filter(|p| p.text.contains('→') || p.text.contains("clears"))
            .count();
        assert!(shown >= 7, "{shown} of 9 labels placed");
    }
}
