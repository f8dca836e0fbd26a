//! The pixel canvas every plot draws on: rectangles, linear scales, shapes, text (placed glyph by
//! glyph in bitmaps), and the simplification of pixel paths.

use std::cell::RefCell;

use anyhow::{Result, anyhow};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::FontTransform;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::font::Bearings;
use super::palette::MUTED;
use super::text::{Font, font};

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Rect {
    pub(super) x0: i32,
    pub(super) y0: i32,
    pub(super) x1: i32,
    pub(super) y1: i32,
}

impl Rect {
    pub(super) const fn new(x0: i32, y0: i32, x1: i32, y1: i32) -> Self {
        Rect { x0, y0, x1, y1 }
    }
    pub(super) const fn w(&self) -> i32 {
        self.x1 - self.x0
    }
    pub(super) const fn h(&self) -> i32 {
        self.y1 - self.y0
    }
    pub(super) const fn cx(&self) -> i32 {
        (self.x0 + self.x1) / 2
    }
    pub(super) const fn cy(&self) -> i32 {
        (self.y0 + self.y1) / 2
    }
}

/// A linear map from data values to pixels (values outside the range are clamped to its edge).
#[derive(Clone, Copy, Debug)]
pub(super) struct Scale {
    v0: f64,
    v1: f64,
    p0: f64,
    p1: f64,
}

impl Scale {
    pub(super) fn new(v0: f64, v1: f64, p0: i32, p1: i32) -> Self {
        let v0 = if v0.is_finite() { v0 } else { 0.0 };
        let v1 = if v1.is_finite() && v1 > v0 {
            v1
        } else {
            v0 + 1.0
        };
        Scale {
            v0,
            v1,
            p0: f64::from(p0),
            p1: f64::from(p1),
        }
    }
    pub(super) fn px(&self, v: f64) -> i32 {
        let v = if v.is_finite() {
            v.clamp(self.v0, self.v1)
        } else {
            self.v0
        };
        (self.p0 + (v - self.v0) / (self.v1 - self.v0) * (self.p1 - self.p0)).round() as i32
    }
}

pub(super) struct Canvas<'a, DB: DrawingBackend> {
    pub(super) area: &'a DrawingArea<DB, Shift>,
    pub(super) w: i32,
    pub(super) h: i32,
    /// A bitmap: text is placed glyph by glyph (see [`Bearings`]); SVG keeps whole strings.
    pub(super) bitmap: bool,
    /// What was drawn that the tests check beyond pixels: value axes and legends.
    pub(super) log: RefCell<DrawLog>,
}

/// A value axis as drawn: where it starts, whether it shows a probability, whether a break is drawn.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct AxisNote {
    /// The value at the axis origin.
    pub(super) from: f64,
    /// Percentages or shares of runs.
    pub(super) probability: bool,
    /// A broken axis, drawn and marked as such.
    pub(super) broken: bool,
}

/// The record of one drawing.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct DrawLog {
    pub(super) axes: Vec<AxisNote>,
    /// Each legend's labels, in order.
    pub(super) legends: Vec<Vec<String>>,
}

fn plot_err<E: std::fmt::Display>(e: E) -> anyhow::Error {
    anyhow!("plotters: {e}")
}

impl<DB: DrawingBackend> Canvas<'_, DB> {
    /// Records a value axis just drawn (see [`DrawLog`]).
    pub(super) fn note_axis(&self, from: f64, probability: bool, broken: bool) {
        self.log.borrow_mut().axes.push(AxisNote {
            from,
            probability,
            broken,
        });
    }
    pub(super) fn text(
        &self,
        text: &str,
        (x, y): (i32, i32),
        f: Font,
        h: HPos,
        v: VPos,
    ) -> Result<()> {
        if text.is_empty() {
            return Ok(());
        }
        if !self.bitmap {
            return self
                .area
                .draw(&Text::new(text, (x, y), f.style(h, v)))
                .map_err(plot_err);
        }
        // The bitmap font path centres the layout box, which sits above the letters: move it down.
        let y = if matches!(v, VPos::Center) {
            y + (f.size * CENTRE_NUDGE).round() as i32
        } else {
            y
        };
        let width = f.width(text);
        let x = match h {
            HPos::Left => x,
            HPos::Center => x - width / 2,
            HPos::Right => x - width,
        };
        self.glyphs(text, f, v, FontTransform::None, &|offset| (x + offset, y))
    }
    /// Text reading upwards, centred on `(x, y)`.
    pub(super) fn text_rotated(&self, text: &str, (x, y): (i32, i32), f: Font) -> Result<()> {
        let font = f.desc().transform(FontTransform::Rotate270);
        if !self.bitmap {
            let style = TextStyle {
                font,
                color: f.colour.to_backend_color(),
                pos: Pos::new(HPos::Center, VPos::Center),
            };
            return self
                .area
                .draw(&Text::new(text, (x, y), style))
                .map_err(plot_err);
        }
        let y = y + f.width(text) / 2;
        let x = x + (f.size * CENTRE_NUDGE).round() as i32;
        self.glyphs(text, f, VPos::Center, FontTransform::Rotate270, &|offset| {
            (x, y - offset)
        })
    }
    /// Draws `text` one glyph at a time at its pen position plus its left side bearing, which plotters'
    /// ab_glyph renderer drops (so "without" would print as "w ithout"); `at` maps a pen offset to pixels.
    pub(super) fn glyphs(
        &self,
        text: &str,
        f: Font,
        v: VPos,
        turn: FontTransform,
        at: &dyn Fn(i32) -> (i32, i32),
    ) -> Result<()> {
        let style = TextStyle {
            font: f.desc().transform(turn),
            color: f.colour.to_backend_color(),
            pos: Pos::new(HPos::Left, v),
        };
        let bearings = Bearings::of(f.bold);
        let mut upto = String::with_capacity(text.len());
        for ch in text.chars() {
            upto.push(ch);
            if ch.is_whitespace() {
                continue;
            }
            // Pen position: everything up to and including this glyph (so its kerning counts), less its advance.
            let glyph = ch.to_string();
            let pen = f.width(&upto) - f.width(&glyph);
            let bearing = bearings.map_or(0.0, |b| b.lsb(ch, f.size)).floor() as i32;
            self.area
                .draw(&Text::new(glyph, at(pen + bearing), style.clone()))
                .map_err(plot_err)?;
        }
        Ok(())
    }
    pub(super) fn fill(&self, r: Rect, style: ShapeStyle) -> Result<()> {
        if r.w() <= 0 || r.h() <= 0 {
            return Ok(());
        }
        let style = ShapeStyle {
            filled: true,
            ..style
        };
        self.area
            .draw(&Rectangle::new([(r.x0, r.y0), (r.x1, r.y1)], style))
            .map_err(plot_err)
    }
    pub(super) fn outline(&self, r: Rect, style: ShapeStyle) -> Result<()> {
        let style = ShapeStyle {
            filled: false,
            ..style
        };
        self.area
            .draw(&Rectangle::new([(r.x0, r.y0), (r.x1, r.y1)], style))
            .map_err(plot_err)
    }
    pub(super) fn line(&self, points: Vec<(i32, i32)>, style: ShapeStyle) -> Result<()> {
        if points.len() < 2 {
            return Ok(());
        }
        self.area
            .draw(&PathElement::new(points, style))
            .map_err(plot_err)
    }
    pub(super) fn dashed(
        &self,
        points: Vec<(i32, i32)>,
        dash: u32,
        gap: u32,
        style: ShapeStyle,
    ) -> Result<()> {
        if points.len() < 2 {
            return Ok(());
        }
        self.area
            .draw(&DashedPathElement::new(points, dash, gap, style))
            .map_err(plot_err)
    }
    pub(super) fn polygon(&self, points: Vec<(i32, i32)>, style: ShapeStyle) -> Result<()> {
        if points.len() < 3 {
            return Ok(());
        }
        self.area
            .draw(&Polygon::new(points, style))
            .map_err(plot_err)
    }
    pub(super) fn dot(&self, at: (i32, i32), radius: i32, style: ShapeStyle) -> Result<()> {
        self.area
            .draw(&Circle::new(at, radius, style))
            .map_err(plot_err)
    }
    /// A centred grey note in place of a plot that has nothing to show.
    pub(super) fn note(&self, r: Rect, text: &str) -> Result<()> {
        let f = font(22.0).colour(MUTED);
        self.text(
            &f.fit(text, r.w() - 20),
            (r.cx(), r.cy()),
            f,
            HPos::Center,
            VPos::Center,
        )
    }
}

// ---------------------------------------------------------------------------------------------
// Glyph side bearings, for placing text in bitmaps
// ---------------------------------------------------------------------------------------------

/// How far (in font sizes) centred bitmap text is moved down so its letters, not its box, are centred.
const CENTRE_NUDGE: f64 = 0.15;

/// Drops the vertices of a pixel path that lie within `tolerance` pixels of the line through their
/// neighbours (Ramer–Douglas–Peucker), so stairs finer than a pixel draw as one straight stroke.
pub(super) fn simplify(points: &[(i32, i32)], tolerance: f64) -> Vec<(i32, i32)> {
    if points.len() < 3 {
        return points.to_vec();
    }
    let mut keep = vec![false; points.len()];
    keep[0] = true;
    keep[points.len() - 1] = true;
    let mut stack = vec![(0, points.len() - 1)];
    while let Some((a, b)) = stack.pop() {
        let (ax, ay) = (f64::from(points[a].0), f64::from(points[a].1));
        let (bx, by) = (f64::from(points[b].0), f64::from(points[b].1));
        let length = (bx - ax).hypot(by - ay);
        let mut farthest = (0.0, a);
        for (i, p) in points.iter().enumerate().take(b).skip(a + 1) {
            let (px, py) = (f64::from(p.0), f64::from(p.1));
            let distance = if length == 0.0 {
                (px - ax).hypot(py - ay)
            } else {
                ((bx - ax) * (ay - py) - (ax - px) * (by - ay)).abs() / length
            };
            if distance > farthest.0 {
                farthest = (distance, i);
            }
        }
        if farthest.0 > tolerance {
            keep[farthest.1] = true;
            stack.push((a, farthest.1));
            stack.push((farthest.1, b));
        }
    }
    points
        .iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(p, _)| *p)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simplify_keeps_corners_and_drops_stairs() {
        let stairs: Vec<(i32, i32)> = (0..100)
            .flat_map(|i| [(i, i / 2), (i + 1, i / 2)])
            .collect();
        let simple = simplify(&stairs, 1.0);
        assert!(
            simple.len() < 10,
            "fine stairs become a line ({} points)",
            simple.len()
        );
        assert_eq!(simple.first(), stairs.first());
        assert_eq!(simple.last(), stairs.last());
        let corner = [(0, 0), (50, 0), (50, 50)];
        assert_eq!(simplify(&corner, 1.0), corner.to_vec());
    }
}
