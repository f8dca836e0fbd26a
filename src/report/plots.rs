//! The plots of a result folder, drawn from [`PlotData`] alone: PNG for slides, SVG for papers.
//!
//! Every plot is drawn by one function over any plotters backend, in pixel coordinates on a fixed
//! canvas, with the bundled DejaVu Sans (no system fonts) and the Okabe–Ito palette. Layout is computed
//! from measured text, so long names are shortened with an ellipsis instead of overlapping. Nothing
//! depends on the clock or on hash-map order: the same `PlotData` gives byte-identical SVG.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::{Context, Result, anyhow, bail};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontDesc, FontFamily, FontStyle, FontTransform, register_font};

use super::plotdata::{Interval, MetricRow, PlotData};

/// The plot file stems, in order, with a one-line title each (for the report).
pub const PLOTS: &[(&str, &str)] = &[
    (
        "escalation_over_time",
        "Escalation over time: the current rung in each arm",
    ),
    (
        "survival",
        "How long runs stay clear of crisis and kinetic conflict",
    ),
    ("highest_rung", "The highest rung a run reached, per arm"),
    (
        "outcomes",
        "Key outcomes per arm, and the paired change against the baseline",
    ),
    (
        "attribution",
        "Who was blamed: true sponsor against the state publicly blamed",
    ),
    ("triggers", "What triggered the responses, per arm"),
];

const REGULAR: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/DejaVuSans-Bold.ttf");
/// The font family the plots ask for (a CSS font list in SVG, a registered name for bitmaps).
const FAMILY: &str = "DejaVu Sans, sans-serif";

/// Registers the font shipped in assets/ (DejaVu Sans, regular and bold) with plotters; idempotent.
pub fn register_fonts() -> Result<()> {
    static REGISTERED: OnceLock<std::result::Result<(), String>> = OnceLock::new();
    REGISTERED
        .get_or_init(|| {
            // Under "sans-serif" for any other plotters user, and under the name the plots ask for, which
            // SVG viewers read as "DejaVu Sans if installed, else their sans-serif".
            for family in ["sans-serif", FAMILY] {
                register_font(family, FontStyle::Normal, REGULAR)
                    .map_err(|_| "assets/DejaVuSans.ttf is not a usable font".to_string())?;
                register_font(family, FontStyle::Bold, BOLD)
                    .map_err(|_| "assets/DejaVuSans-Bold.ttf is not a usable font".to_string())?;
            }
            Ok(())
        })
        .clone()
        .map_err(|e| anyhow!("registering the plot font: {e}"))
}

/// Draws every plot as PNG and SVG into `dir`; returns the files written, in a fixed order.
///
/// Each file is written through a temporary sibling and a rename, so a reader never sees half a plot.
pub fn draw_all(data: &PlotData, dir: &Path) -> Result<Vec<PathBuf>> {
    register_fonts()?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut written = Vec::with_capacity(2 * PLOTS.len());
    for (stem, _) in PLOTS {
        let png = dir.join(format!("{stem}.png"));
        write_through_temporary(&png, |tmp| write_png(stem, data, tmp))?;
        written.push(png);
        let svg = dir.join(format!("{stem}.svg"));
        let text = render_svg(stem, data)?;
        write_through_temporary(&svg, |tmp| {
            std::fs::write(tmp, &text).with_context(|| format!("cannot write {}", tmp.display()))
        })?;
        written.push(svg);
    }
    Ok(written)
}

/// Runs `write` on a hidden sibling of `path` (same extension, so the PNG encoder knows the format),
/// then renames it into place; removes the sibling if anything fails.
fn write_through_temporary(path: &Path, write: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".partial-{}-{name}", std::process::id()));
    let result = write(&tmp).and_then(|()| {
        std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))
    });
    if result.is_err() {
        // Best effort: the error being returned matters more than a leftover temporary file.
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The canvas size in pixels of the plot `stem` (the outcome grid grows with the number of metrics).
pub fn plot_size(stem: &str, data: &PlotData) -> (u32, u32) {
    match stem {
        "outcomes" => {
            let rows = data.metrics.len().clamp(1, MAX_METRICS) as u32;
            (1200, (250 + rows * 100).max(800))
        }
        _ => (1200, 800),
    }
}

/// Draws the plot `stem` as an SVG document.
pub fn render_svg(stem: &str, data: &PlotData) -> Result<String> {
    register_fonts()?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, plot_size(stem, data)).into_drawing_area();
        draw_plot(stem, &root, data, false)?;
        root.present()
            .map_err(|e| anyhow!("drawing {stem}.svg: {e}"))?;
    }
    Ok(svg)
}

/// Draws the plot `stem` into an RGB buffer (3 bytes a pixel, row by row); returns it with its size.
pub fn render_rgb(stem: &str, data: &PlotData) -> Result<(Vec<u8>, (u32, u32))> {
    register_fonts()?;
    let size = plot_size(stem, data);
    let mut buf = vec![0u8; size.0 as usize * size.1 as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut buf, size).into_drawing_area();
        draw_plot(stem, &root, data, true)?;
        root.present().map_err(|e| anyhow!("drawing {stem}: {e}"))?;
    }
    Ok((buf, size))
}

fn write_png(stem: &str, data: &PlotData, path: &Path) -> Result<()> {
    let root = BitMapBackend::new(path, plot_size(stem, data)).into_drawing_area();
    draw_plot(stem, &root, data, true)?;
    root.present()
        .map_err(|e| anyhow!("cannot write {}: {e}", path.display()))
}

fn draw_plot<DB: DrawingBackend>(
    stem: &str,
    area: &DrawingArea<DB, Shift>,
    data: &PlotData,
    bitmap: bool,
) -> Result<()> {
    let (w, h) = area.dim_in_pixel();
    let c = Canvas {
        area,
        w: w as i32,
        h: h as i32,
        bitmap,
    };
    c.fill(Rect::new(0, 0, c.w, c.h), WHITE.into())?;
    let drawn = match stem {
        "escalation_over_time" => draw_escalation(&c, data),
        "survival" => draw_survival(&c, data),
        "highest_rung" => draw_highest_rung(&c, data),
        "outcomes" => draw_outcomes(&c, data),
        "attribution" => draw_attribution(&c, data),
        "triggers" => draw_triggers(&c, data),
        _ => bail!("no plot is called {stem:?}"),
    };
    drawn.with_context(|| format!("drawing the {stem} plot"))
}

// ---------------------------------------------------------------------------------------------
// Palette, fonts and the pixel canvas
// ---------------------------------------------------------------------------------------------

/// Okabe–Ito, in the order arms get them (yellow and black last: weakest as lines on white).
const OKABE_ITO: [RGBColor; 8] = [
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0xF0, 0xE4, 0x42),
    RGBColor(0x00, 0x00, 0x00),
];
const INK: RGBColor = RGBColor(0x1A, 0x1A, 0x1A);
const MUTED: RGBColor = RGBColor(0x55, 0x55, 0x55);
const GRID: RGBColor = RGBColor(0xE3, 0xE3, 0xE3);
const AXIS: RGBColor = RGBColor(0x80, 0x80, 0x80);
const CRISIS_TINT: RGBColor = RGBColor(0xFB, 0xEB, 0xE1);

fn arm_colour(arm: usize) -> RGBColor {
    OKABE_ITO[arm % OKABE_ITO.len()]
}

#[derive(Clone, Copy)]
struct Font {
    size: f64,
    bold: bool,
    colour: RGBColor,
}

const fn font(size: f64) -> Font {
    Font {
        size,
        bold: false,
        colour: INK,
    }
}

impl Font {
    const fn bold(self) -> Self {
        Font { bold: true, ..self }
    }
    const fn colour(self, colour: RGBColor) -> Self {
        Font { colour, ..self }
    }
    fn desc(self) -> FontDesc<'static> {
        let style = if self.bold {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        };
        FontDesc::new(FontFamily::Name(FAMILY), self.size, style)
    }
    fn style(self, h: HPos, v: VPos) -> TextStyle<'static> {
        TextStyle {
            font: self.desc(),
            color: self.colour.to_backend_color(),
            pos: Pos::new(h, v),
        }
    }
    /// Width of `text` in pixels.
    fn width(self, text: &str) -> i32 {
        match self.desc().box_size(text) {
            Ok((w, _)) => w as i32,
            Err(_) => (text.chars().count() as f64 * self.size * 0.6) as i32,
        }
    }
    /// `text`, shortened with an ellipsis until it fits in `max` pixels.
    fn fit(self, text: &str, max: i32) -> String {
        if self.width(text) <= max {
            return text.to_string();
        }
        let chars: Vec<char> = text.chars().collect();
        let shortened = |keep: usize| {
            chars[..keep]
                .iter()
                .collect::<String>()
                .trim_end()
                .to_string()
                + "…"
        };
        // The longest prefix that fits, by bisection (widths grow with the prefix).
        let (mut fits, mut too_long) = (0, chars.len());
        while too_long - fits > 1 {
            let mid = (fits + too_long) / 2;
            if self.width(&shortened(mid)) <= max {
                fits = mid;
            } else {
                too_long = mid;
            }
        }
        if fits == 0 && self.width("…") > max {
            return String::new();
        }
        shortened(fits)
    }
    /// `text` broken into at most `lines` lines of at most `max` pixels (the last one shortened).
    fn wrap(self, text: &str, max: i32, lines: usize) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut current = String::new();
        for word in text.split_whitespace() {
            let candidate = if current.is_empty() {
                word.to_string()
            } else {
                format!("{current} {word}")
            };
            if self.width(&candidate) <= max || current.is_empty() {
                current = candidate;
            } else {
                out.push(std::mem::replace(&mut current, word.to_string()));
            }
        }
        if !current.is_empty() {
            out.push(current);
        }
        if out.len() > lines.max(1) {
            let rest = out.split_off(lines.max(1) - 1).join(" ");
            out.push(rest);
        }
        out.into_iter().map(|l| self.fit(&l, max)).collect()
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Rect {
    x0: i32,
    y0: i32,
    x1: i32,
    y1: i32,
}

impl Rect {
    const fn new(x0: i32, y0: i32, x1: i32, y1: i32) -> Self {
        Rect { x0, y0, x1, y1 }
    }
    const fn w(&self) -> i32 {
        self.x1 - self.x0
    }
    const fn h(&self) -> i32 {
        self.y1 - self.y0
    }
    const fn cx(&self) -> i32 {
        (self.x0 + self.x1) / 2
    }
    const fn cy(&self) -> i32 {
        (self.y0 + self.y1) / 2
    }
}

/// A linear map from data values to pixels (values outside the range are clamped to its edge).
#[derive(Clone, Copy, Debug)]
struct Scale {
    v0: f64,
    v1: f64,
    p0: f64,
    p1: f64,
}

impl Scale {
    fn new(v0: f64, v1: f64, p0: i32, p1: i32) -> Self {
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
    fn px(&self, v: f64) -> i32 {
        let v = if v.is_finite() {
            v.clamp(self.v0, self.v1)
        } else {
            self.v0
        };
        (self.p0 + (v - self.v0) / (self.v1 - self.v0) * (self.p1 - self.p0)).round() as i32
    }
}

struct Canvas<'a, DB: DrawingBackend> {
    area: &'a DrawingArea<DB, Shift>,
    w: i32,
    h: i32,
    /// A bitmap: text is placed glyph by glyph (see [`Bearings`]); SVG keeps whole strings.
    bitmap: bool,
}

fn plot_err<E: std::fmt::Display>(e: E) -> anyhow::Error {
    anyhow!("plotters: {e}")
}

impl<DB: DrawingBackend> Canvas<'_, DB> {
    fn text(&self, text: &str, (x, y): (i32, i32), f: Font, h: HPos, v: VPos) -> Result<()> {
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
    fn text_rotated(&self, text: &str, (x, y): (i32, i32), f: Font) -> Result<()> {
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
    fn glyphs(
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
    fn fill(&self, r: Rect, style: ShapeStyle) -> Result<()> {
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
    fn outline(&self, r: Rect, style: ShapeStyle) -> Result<()> {
        let style = ShapeStyle {
            filled: false,
            ..style
        };
        self.area
            .draw(&Rectangle::new([(r.x0, r.y0), (r.x1, r.y1)], style))
            .map_err(plot_err)
    }
    fn line(&self, points: Vec<(i32, i32)>, style: ShapeStyle) -> Result<()> {
        if points.len() < 2 {
            return Ok(());
        }
        self.area
            .draw(&PathElement::new(points, style))
            .map_err(plot_err)
    }
    fn dashed(
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
    fn polygon(&self, points: Vec<(i32, i32)>, style: ShapeStyle) -> Result<()> {
        if points.len() < 3 {
            return Ok(());
        }
        self.area
            .draw(&Polygon::new(points, style))
            .map_err(plot_err)
    }
    fn dot(&self, at: (i32, i32), radius: i32, style: ShapeStyle) -> Result<()> {
        self.area
            .draw(&Circle::new(at, radius, style))
            .map_err(plot_err)
    }
    /// A centred grey note in place of a plot that has nothing to show.
    fn note(&self, r: Rect, text: &str) -> Result<()> {
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

/// Left side bearings of a TrueType font, read from its `cmap`, `hhea`, `maxp` and `hmtx` tables.
///
/// plotters 0.3.7 rasterises each glyph from the left edge of its ink instead of its pen position plus
/// side bearing, so letters with a wide bearing (i, l, r, n) crowd their left neighbour and the rest
/// drift apart. Knowing the bearings, [`Canvas::glyphs`] puts every glyph where it belongs.
struct Bearings {
    /// Ascent minus descent in font units: ab_glyph scales this height to the font size.
    height: f64,
    /// Left side bearing per glyph, in font units.
    lsb: Vec<i16>,
    /// Character ranges (first, last, glyph of first), sorted, non-overlapping.
    cmap: Vec<(u32, u32, u32)>,
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?]))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes([
        *b.get(at)?,
        *b.get(at + 1)?,
        *b.get(at + 2)?,
        *b.get(at + 3)?,
    ]))
}

impl Bearings {
    /// The bearings of the bundled regular or bold font (None only if the bundled file is unreadable).
    fn of(bold: bool) -> Option<&'static Bearings> {
        static REGULAR_BEARINGS: OnceLock<Option<Bearings>> = OnceLock::new();
        static BOLD_BEARINGS: OnceLock<Option<Bearings>> = OnceLock::new();
        if bold {
            BOLD_BEARINGS.get_or_init(|| Bearings::parse(BOLD)).as_ref()
        } else {
            REGULAR_BEARINGS
                .get_or_init(|| Bearings::parse(REGULAR))
                .as_ref()
        }
    }

    fn parse(font: &[u8]) -> Option<Self> {
        let table = |tag: &[u8; 4]| -> Option<&[u8]> {
            let tables = usize::from(u16_at(font, 4)?);
            let record = (0..tables)
                .map(|i| 12 + 16 * i)
                .find(|&r| font.get(r..r + 4) == Some(&tag[..]))?;
            let (offset, length) = (
                u32_at(font, record + 8)? as usize,
                u32_at(font, record + 12)? as usize,
            );
            font.get(offset..offset.checked_add(length)?)
        };
        let hhea = table(b"hhea")?;
        let (ascent, descent) = (u16_at(hhea, 4)? as i16, u16_at(hhea, 6)? as i16);
        let metrics = usize::from(u16_at(hhea, 34)?);
        let glyphs = usize::from(u16_at(table(b"maxp")?, 4)?);
        let hmtx = table(b"hmtx")?;
        let lsb = (0..glyphs)
            .map(|g| {
                let at = if g < metrics {
                    4 * g + 2
                } else {
                    4 * metrics + 2 * (g - metrics)
                };
                u16_at(hmtx, at).map(|v| v as i16)
            })
            .collect::<Option<Vec<i16>>>()?;
        let height = f64::from(ascent) - f64::from(descent);
        (height > 0.0).then_some(())?;
        Some(Bearings {
            height,
            lsb,
            cmap: Self::cmap(table(b"cmap")?)?,
        })
    }

    /// The Unicode character map: the full-range (format 12) table if there is one, else the BMP one (format 4).
    fn cmap(t: &[u8]) -> Option<Vec<(u32, u32, u32)>> {
        let count = usize::from(u16_at(t, 2)?);
        let subtables: Vec<(u16, u16, usize)> = (0..count)
            .map(|i| {
                Some((
                    u16_at(t, 4 + 8 * i)?,
                    u16_at(t, 6 + 8 * i)?,
                    u32_at(t, 8 + 8 * i)? as usize,
                ))
            })
            .collect::<Option<_>>()?;
        let find = |encoding: u16, format: u16| {
            subtables
                .iter()
                .find(|s| s.0 == 3 && s.1 == encoding && u16_at(t, s.2) == Some(format))
                .map(|s| s.2)
        };
        let mut ranges = Vec::new();
        if let Some(at) = find(10, 12) {
            let groups = u32_at(t, at + 12)? as usize;
            for g in 0..groups {
                let group = at + 16 + 12 * g;
                ranges.push((
                    u32_at(t, group)?,
                    u32_at(t, group + 4)?,
                    u32_at(t, group + 8)?,
                ));
            }
        } else {
            let at = find(1, 4)?;
            let seg_x2 = usize::from(u16_at(t, at + 6)?);
            for s in 0..seg_x2 / 2 {
                let end = u16_at(t, at + 14 + 2 * s)?;
                let start = u16_at(t, at + 16 + seg_x2 + 2 * s)?;
                let delta = u16_at(t, at + 16 + 2 * seg_x2 + 2 * s)?;
                let range_at = at + 16 + 3 * seg_x2 + 2 * s;
                let range = usize::from(u16_at(t, range_at)?);
                for c in start..=end.min(0xFFFE) {
                    let glyph = if range == 0 {
                        c.wrapping_add(delta)
                    } else {
                        match u16_at(t, range_at + range + 2 * usize::from(c - start))? {
                            0 => 0,
                            g => g.wrapping_add(delta),
                        }
                    };
                    ranges.push((u32::from(c), u32::from(c), u32::from(glyph)));
                }
            }
        }
        ranges.sort_unstable();
        Some(ranges)
    }

    /// The left side bearing of `c` in pixels at font size `size` (0 for a character the font lacks).
    fn lsb(&self, c: char, size: f64) -> f64 {
        let c = c as u32;
        let i = self.cmap.partition_point(|r| r.1 < c);
        let glyph = match self.cmap.get(i) {
            Some(&(first, _, g)) if first <= c => g.saturating_add(c - first) as usize,
            _ => 0,
        };
        self.lsb
            .get(glyph)
            .map_or(0.0, |&l| f64::from(l) * size / self.height)
    }
}

// ---------------------------------------------------------------------------------------------
// Shared layout: title, footer, legend, axes
// ---------------------------------------------------------------------------------------------

const MARGIN: i32 = 28;
const TITLE: Font = font(30.0).bold();
const SUBTITLE: Font = font(19.0).colour(MUTED);
const FOOTER: Font = font(15.0).colour(MUTED);
const TICK: Font = font(16.0).colour(INK);
const AXIS_LABEL: Font = font(18.0).colour(INK);
const LEGEND: Font = font(17.0).colour(INK);
const PANEL_TITLE: Font = font(18.0).bold();

fn plot_title(stem: &str) -> &'static str {
    PLOTS
        .iter()
        .find(|(s, _)| *s == stem)
        .map_or("", |(_, t)| t)
}

/// Draws the title, the subtitle and the footer; returns the area left for the plot.
fn frame<DB: DrawingBackend>(
    c: &Canvas<DB>,
    stem: &str,
    subtitle: &str,
    d: &PlotData,
) -> Result<Rect> {
    let width = c.w - 2 * MARGIN;
    c.text(
        &TITLE.fit(plot_title(stem), width),
        (MARGIN, 20),
        TITLE,
        HPos::Left,
        VPos::Top,
    )?;
    c.text(
        &SUBTITLE.fit(subtitle, width),
        (MARGIN, 62),
        SUBTITLE,
        HPos::Left,
        VPos::Top,
    )?;
    let days = match d.horizon_days {
        1 => "1 day".to_string(),
        n if f64::from(n) >= DAYS_PER_YEAR => {
            format!(
                "{} days ({:.1} years)",
                group_thousands(u64::from(n)),
                f64::from(n) / DAYS_PER_YEAR
            )
        }
        n => format!("{} days", group_thousands(u64::from(n))),
    };
    let footer = format!(
        "scenario {} · seed {} · {} replicates per arm · horizon {days} · escalate",
        d.scenario,
        d.seed,
        group_thousands(d.replicates),
    );
    c.text(
        &FOOTER.fit(&footer, width),
        (MARGIN, c.h - 14),
        FOOTER,
        HPos::Left,
        VPos::Bottom,
    )?;
    c.line(
        vec![(MARGIN, c.h - 40), (c.w - MARGIN, c.h - 40)],
        GRID.stroke_width(1),
    )?;
    Ok(Rect::new(MARGIN, 100, c.w - MARGIN, c.h - 48))
}

#[derive(Clone, Copy)]
enum Swatch {
    Block(RGBAColor),
    Line(RGBColor),
    Dashed(RGBColor),
}

struct LegendItem {
    swatch: Swatch,
    label: String,
}

const SWATCH_W: i32 = 32;
const LEGEND_ROW: i32 = 28;
/// The most rows a legend takes; items beyond are summarised as "+N more".
const LEGEND_ROWS: i32 = 3;

/// A legend entry's place: x offset, row, and the (possibly shortened) text.
type Placed = (i32, i32, String);

/// Places legend items left to right, wrapping; returns the places of the items that fit in
/// [`LEGEND_ROWS`] rows, the rows used, and a "+N more" note with its place if some did not.
fn legend_layout(items: &[LegendItem], width: i32) -> (Vec<Placed>, i32, Option<Placed>) {
    let mut placed = Vec::with_capacity(items.len());
    let (mut x, mut row) = (0, 0);
    let max_label = (width - SWATCH_W - 10).max(40);
    let more_w = LEGEND.width("+000 more") + 8;
    for (i, item) in items.iter().enumerate() {
        let label = LEGEND.fit(&item.label, max_label.min(360));
        let w = SWATCH_W + 8 + LEGEND.width(&label);
        let last_row = row == LEGEND_ROWS - 1;
        let room = if last_row && i + 1 < items.len() {
            width - more_w
        } else {
            width
        };
        if x > 0 && x + w > room {
            if last_row {
                let note = format!("+{} more", items.len() - i);
                return (placed, LEGEND_ROWS, Some((x, row, note)));
            }
            x = 0;
            row += 1;
        }
        placed.push((x, row, label));
        x += w + 28;
    }
    let rows = if items.is_empty() { 0 } else { row + 1 };
    (placed, rows, None)
}

/// Draws a legend at the top of `r`; returns its height.
fn legend<DB: DrawingBackend>(c: &Canvas<DB>, r: Rect, items: &[LegendItem]) -> Result<i32> {
    let (placed, rows, more) = legend_layout(items, r.w());
    if let Some((x, row, note)) = more {
        let y = r.y0 + row * LEGEND_ROW + LEGEND_ROW / 2;
        c.text(
            &note,
            (r.x0 + x, y),
            LEGEND.colour(MUTED),
            HPos::Left,
            VPos::Center,
        )?;
    }
    for (item, (x, row, label)) in items.iter().zip(&placed) {
        let (x, y) = (r.x0 + x, r.y0 + row * LEGEND_ROW + LEGEND_ROW / 2);
        match item.swatch {
            Swatch::Block(colour) => {
                c.fill(Rect::new(x, y - 8, x + SWATCH_W, y + 8), colour.filled())?;
            }
            Swatch::Line(colour) => {
                c.line(vec![(x, y), (x + SWATCH_W, y)], colour.stroke_width(4))?;
            }
            Swatch::Dashed(colour) => {
                c.dashed(
                    vec![(x, y), (x + SWATCH_W, y)],
                    8,
                    5,
                    colour.stroke_width(3),
                )?;
            }
        }
        c.text(
            label,
            (x + SWATCH_W + 8, y),
            LEGEND,
            HPos::Left,
            VPos::Center,
        )?;
    }
    Ok(rows * LEGEND_ROW)
}

fn arm_legend(arms: &[String], swatch: fn(RGBColor) -> Swatch) -> Vec<LegendItem> {
    arms.iter()
        .enumerate()
        .map(|(i, name)| LegendItem {
            swatch: swatch(arm_colour(i)),
            label: name.clone(),
        })
        .collect()
}

/// Rows and columns of a grid of `n` small panels.
fn grid_shape(n: usize) -> (usize, usize) {
    match n {
        0 | 1 => (1, 1),
        2 => (1, 2),
        3 => (1, 3),
        4 => (2, 2),
        5 | 6 => (2, 3),
        7..=9 => (3, 3),
        _ => (n.div_ceil(4), 4),
    }
}

/// Splits `r` into `rows` × `cols` cells separated by gaps, row by row.
fn grid_cells(r: Rect, rows: usize, cols: usize, gap_x: i32, gap_y: i32) -> Vec<Rect> {
    let (rows_i, cols_i) = (rows.max(1) as i32, cols.max(1) as i32);
    let cw = (r.w() - gap_x * (cols_i - 1)) / cols_i;
    let ch = (r.h() - gap_y * (rows_i - 1)) / rows_i;
    let mut cells = Vec::with_capacity(rows * cols);
    for row in 0..rows_i {
        for col in 0..cols_i {
            let x0 = r.x0 + col * (cw + gap_x);
            let y0 = r.y0 + row * (ch + gap_y);
            cells.push(Rect::new(x0, y0, x0 + cw, y0 + ch));
        }
    }
    cells
}

/// A "nice" tick step (1, 2, 2.5 or 5 times a power of ten) giving about `target` intervals.
fn nice_step(span: f64, target: usize) -> f64 {
    if !span.is_finite() || span <= 0.0 {
        return 1.0;
    }
    let raw = span / target.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw * 0.999)
        .unwrap_or(10.0 * magnitude)
}

/// Ticks inside [lo, hi] at multiples of `step`.
fn ticks(lo: f64, hi: f64, step: f64) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite() && step > 0.0) {
        return Vec::new();
    }
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last).take(100).map(|k| k as f64 * step).collect()
}

/// Decimals needed to print multiples of `step` exactly.
fn decimals(step: f64) -> usize {
    (0..6)
        .find(|d| {
            let scaled = step * 10f64.powi(*d as i32);
            (scaled - scaled.round()).abs() < 1e-6
        })
        .unwrap_or(6)
}

fn fmt_tick(v: f64, step: f64) -> String {
    let s = format!("{:.*}", decimals(step), v);
    // "-0" reads as a sign error.
    if s.trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        s.trim_start_matches('-').to_string()
    } else {
        s.replace('-', "−")
    }
}

fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A share (0–1) as a percentage with sensible precision.
fn fmt_share(share: f64) -> String {
    if !share.is_finite() {
        "–".to_string()
    } else if share <= 0.0 {
        "0 %".to_string()
    } else if share < 0.001 {
        "<0.1 %".to_string()
    } else if share < 0.1 {
        format!("{:.1} %", share * 100.0)
    } else {
        format!("{:.0} %", share * 100.0)
    }
}

/// Horizontal grid lines and left tick labels for the y scale.
fn y_axis<DB: DrawingBackend>(
    c: &Canvas<DB>,
    plot: Rect,
    y: Scale,
    values: &[f64],
    label: &dyn Fn(f64) -> String,
    labels: bool,
) -> Result<()> {
    for v in values {
        let py = y.px(*v);
        c.line(vec![(plot.x0, py), (plot.x1, py)], GRID.stroke_width(1))?;
        if labels {
            c.text(
                &label(*v),
                (plot.x0 - 8, py),
                TICK,
                HPos::Right,
                VPos::Center,
            )?;
        }
    }
    Ok(())
}

/// Vertical grid lines and bottom tick labels for the x scale.
fn x_axis<DB: DrawingBackend>(
    c: &Canvas<DB>,
    plot: Rect,
    x: Scale,
    values: &[f64],
    label: &dyn Fn(f64) -> String,
    labels: bool,
) -> Result<()> {
    for v in values {
        let px = x.px(*v);
        c.line(vec![(px, plot.y0), (px, plot.y1)], GRID.stroke_width(1))?;
        if labels {
            c.text(&label(*v), (px, plot.y1 + 6), TICK, HPos::Center, VPos::Top)?;
        }
    }
    Ok(())
}

fn axes_box<DB: DrawingBackend>(c: &Canvas<DB>, plot: Rect) -> Result<()> {
    c.line(
        vec![(plot.x0, plot.y0), (plot.x0, plot.y1), (plot.x1, plot.y1)],
        AXIS.stroke_width(1),
    )
}

// ---------------------------------------------------------------------------------------------
// Time axis shared by the two plots over days
// ---------------------------------------------------------------------------------------------

const DAYS_PER_YEAR: f64 = 365.25;

/// Days on the x axis, shown in years when the horizon is longer than two years.
#[derive(Clone, Copy)]
struct TimeAxis {
    days: usize,
    years: bool,
}

impl TimeAxis {
    fn new(days: usize) -> Self {
        TimeAxis {
            days: days.max(1),
            years: days as f64 > 2.0 * DAYS_PER_YEAR,
        }
    }
    fn value(&self, day: f64) -> f64 {
        if self.years { day / DAYS_PER_YEAR } else { day }
    }
    /// The end of the axis: the horizon, or the whole year it falls within two days of (1826 days: 5 years).
    fn max(&self) -> f64 {
        let end = self.value(self.days as f64);
        let whole = (self.days as f64 / DAYS_PER_YEAR).round();
        if self.years && (whole * DAYS_PER_YEAR - self.days as f64).abs() <= 2.0 {
            whole.max(end)
        } else {
            end
        }
    }
    fn scale(&self, plot: Rect) -> Scale {
        Scale::new(0.0, self.max(), plot.x0, plot.x1)
    }
    fn ticks(&self, width_px: i32) -> (Vec<f64>, f64) {
        let target = (width_px / 60).clamp(2, 7) as usize;
        let step = nice_step(self.max(), target).max(if self.years { 0.5 } else { 1.0 });
        (ticks(0.0, self.max(), step), step)
    }
    fn label(&self) -> &'static str {
        if self.years {
            "years since the start"
        } else {
            "days since the start"
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 1. Escalation over time
// ---------------------------------------------------------------------------------------------

/// Where the share `q` of the replicates in `hist` is reached, with rungs as unit cells: rung `r` spans
/// `r - 0.5 .. r + 0.5` and its replicates are spread evenly across it. The result moves smoothly
/// as counts change (a plain quantile of a discrete histogram flickers between rungs from day to day),
/// and it still falls inside the row of the rung the ordinary quantile gives. None for an empty histogram.
fn quantile_position(hist: &[u64], q: f64) -> Option<f64> {
    let total: f64 = hist.iter().map(|&c| c as f64).sum();
    if total <= 0.0 {
        return None;
    }
    let target = q.clamp(0.0, 1.0) * total;
    let mut below = 0.0;
    let mut last = None;
    for (rung, &count) in hist.iter().enumerate() {
        if count == 0 {
            continue;
        }
        let count = count as f64;
        if below + count >= target {
            return Some(rung as f64 - 0.5 + (target - below) / count);
        }
        below += count;
        last = Some(rung);
    }
    last.map(|r| r as f64 + 0.5)
}

fn mean_rung(hist: &[u64]) -> Option<f64> {
    let total: f64 = hist.iter().map(|&c| c as f64).sum();
    (total > 0.0).then(|| {
        hist.iter()
            .enumerate()
            .map(|(r, &c)| r as f64 * c as f64)
            .sum::<f64>()
            / total
    })
}

/// One day of one arm: where the 5, 25, 50, 75 and 95 % points fall (see [`quantile_position`]), and the mean.
#[derive(Clone, Copy, Debug, PartialEq)]
struct DayRungs {
    q: [f64; 5],
    mean: f64,
}

const BAND_QUANTILES: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

fn day_rungs(hist: &[u64]) -> Option<DayRungs> {
    let mut q = [0.0; 5];
    for (slot, level) in q.iter_mut().zip(BAND_QUANTILES) {
        *slot = quantile_position(hist, level)?;
    }
    Some(DayRungs {
        q,
        mean: mean_rung(hist)?,
    })
}

/// Daily rung positions of one arm, each from the histograms of the days within `half` days of it
/// pooled, which steadies the bands without moving them (a day without replicates stays empty).
fn smoothed_days(timeline: &[Vec<u64>], half: usize) -> Vec<Option<DayRungs>> {
    let rungs = timeline.iter().map(Vec::len).max().unwrap_or(0);
    // prefix[d][r]: replicates on rung r over days before d.
    let mut prefix = Vec::with_capacity(timeline.len() + 1);
    prefix.push(vec![0u64; rungs]);
    for hist in timeline {
        let before = prefix.last().map_or(&[][..], Vec::as_slice);
        let row: Vec<u64> = (0..rungs)
            .map(|r| {
                before
                    .get(r)
                    .copied()
                    .unwrap_or(0)
                    .saturating_add(hist.get(r).copied().unwrap_or(0))
            })
            .collect();
        prefix.push(row);
    }
    timeline
        .iter()
        .enumerate()
        .map(|(day, hist)| {
            if hist.iter().all(|&c| c == 0) {
                return None;
            }
            let (from, to) = (
                day.saturating_sub(half),
                (day + half + 1).min(timeline.len()),
            );
            let pooled: Vec<u64> = (0..rungs)
                .map(|r| prefix[to][r] - prefix[from][r])
                .collect();
            day_rungs(&pooled)
        })
        .collect()
}

/// Pixel paths of a daily value, one per stretch of days with data: a point at the middle of each
/// day, stretched to the start of the first day and the end of the last.
fn daily_paths(
    values: &[Option<f64>],
    x: &dyn Fn(f64) -> i32,
    y: &dyn Fn(f64) -> i32,
) -> Vec<Vec<(i32, i32)>> {
    let mut paths = Vec::new();
    let mut current: Vec<(i32, i32)> = Vec::new();
    let mut last: Option<(usize, f64)> = None;
    for (day, v) in values.iter().enumerate() {
        match v {
            Some(v) if v.is_finite() => {
                if current.is_empty() {
                    current.push((x(day as f64), y(*v)));
                }
                current.push((x(day as f64 + 0.5), y(*v)));
                last = Some((day, *v));
            }
            _ => {
                if let Some((end, v)) = last.take() {
                    current.push((x(end as f64 + 1.0), y(v)));
                    paths.push(simplify(&std::mem::take(&mut current), 0.75));
                }
            }
        }
    }
    if let Some((end, v)) = last {
        current.push((x(end as f64 + 1.0), y(v)));
        paths.push(simplify(&current, 0.75));
    }
    paths
}

/// Band polygons between two daily values, one per stretch of days with data.
fn band_polygons(
    lower: &[Option<f64>],
    upper: &[Option<f64>],
    x: &dyn Fn(f64) -> i32,
    y: &dyn Fn(f64) -> i32,
) -> Vec<Vec<(i32, i32)>> {
    daily_paths(upper, x, y)
        .into_iter()
        .zip(daily_paths(lower, x, y))
        .map(|(mut top, mut bottom)| {
            bottom.reverse();
            top.extend(bottom);
            top
        })
        .collect()
}

/// The mean rung averaged over buckets of days, so a path has at most about `points` points.
fn mean_path(stats: &[Option<DayRungs>], points: usize) -> Vec<Vec<(f64, f64)>> {
    let bucket = stats.len().div_ceil(points.max(1)).max(1);
    let mut paths = Vec::new();
    let mut current = Vec::new();
    for (b, chunk) in stats.chunks(bucket).enumerate() {
        let means: Vec<f64> = chunk.iter().flatten().map(|s| s.mean).collect();
        if means.is_empty() {
            if !current.is_empty() {
                paths.push(std::mem::take(&mut current));
            }
            continue;
        }
        let mid = (b * bucket) as f64 + chunk.len() as f64 / 2.0;
        current.push((mid, means.iter().sum::<f64>() / means.len() as f64));
    }
    if !current.is_empty() {
        paths.push(current);
    }
    paths
}

fn draw_escalation<DB: DrawingBackend>(c: &Canvas<DB>, d: &PlotData) -> Result<()> {
    let body = frame(
        c,
        "escalation_over_time",
        "Day by day, the rung of the most escalated pair of states; bands and median placed within each rung",
        d,
    )?;
    let days = d
        .timeline
        .iter()
        .take(d.arms.len())
        .map(Vec::len)
        .max()
        .unwrap_or(0);
    if d.arms.is_empty() || d.rungs.is_empty() || days == 0 {
        return c.note(body, "No runs to show: the result holds no daily rungs.");
    }
    let grey = RGBColor(0x60, 0x60, 0x60);
    let mut items = vec![
        LegendItem {
            swatch: Swatch::Block(grey.mix(0.45)),
            label: "middle 50 % of runs".into(),
        },
        LegendItem {
            swatch: Swatch::Block(grey.mix(0.18)),
            label: "middle 90 % of runs".into(),
        },
        LegendItem {
            swatch: Swatch::Line(grey),
            label: "median".into(),
        },
        LegendItem {
            swatch: Swatch::Dashed(INK),
            label: "mean".into(),
        },
    ];
    let crisis = d.crisis_rung.min(d.rungs.len());
    if crisis < d.rungs.len() {
        items.push(LegendItem {
            swatch: Swatch::Block(CRISIS_TINT.mix(1.0)),
            label: "crisis rungs".into(),
        });
    }
    let legend_h = legend(c, body, &items)?;

    // Pool about 1 % of the horizon around each day (9 days either side of a five-year run).
    let half = days / 200;
    let stats: Vec<Vec<Option<DayRungs>>> = d
        .timeline
        .iter()
        .take(d.arms.len())
        .map(|t| smoothed_days(t, half))
        .collect();
    // Rows above both the crisis rung and everything the bands reach would be empty: the top row is
    // the higher of the crisis rung and one above the highest band (within the ladder), labelled
    // "... or worse" when rungs are left out.
    let reached = stats
        .iter()
        .flatten()
        .flatten()
        .map(|s| s.q[4].max(s.mean).round().max(0.0) as usize)
        .max()
        .unwrap_or(0);
    let top_rung = (reached + 1).max(d.crisis_rung).min(d.rungs.len() - 1);
    let n_rungs = top_rung + 1;
    let rung_names: Vec<String> = d.rungs[..n_rungs]
        .iter()
        .enumerate()
        .map(|(r, name)| {
            if r == top_rung && n_rungs < d.rungs.len() {
                format!("{name} or worse")
            } else {
                name.clone()
            }
        })
        .collect();
    let gutter = TICK.width_max(&rung_names).min(230) + 14;
    let grid = Rect::new(
        body.x0 + gutter,
        body.y0 + legend_h + 10,
        body.x1,
        body.y1 - 30,
    );
    let (rows, cols) = grid_shape(d.arms.len());
    let cells = grid_cells(grid, rows, cols, 22, 10);
    let time = TimeAxis::new(days);
    for (arm, cell) in cells.iter().enumerate().take(d.arms.len()) {
        let name = d.arms.get(arm).map_or("", String::as_str);
        let colour = arm_colour(arm);
        c.fill(
            Rect::new(cell.x0, cell.y0 + 5, cell.x0 + 16, cell.y0 + 21),
            colour.filled(),
        )?;
        c.text(
            &PANEL_TITLE.fit(name, cell.w() - 24),
            (cell.x0 + 24, cell.y0 + 13),
            PANEL_TITLE,
            HPos::Left,
            VPos::Center,
        )?;
        let plot = Rect::new(cell.x0, cell.y0 + 30, cell.x1, cell.y1 - 26);
        let x = time.scale(plot);
        let y = Scale::new(-0.5, n_rungs as f64 - 0.5, plot.y1, plot.y0);
        if crisis < n_rungs {
            let shade = Rect::new(
                plot.x0,
                y.px(n_rungs as f64 - 0.5),
                plot.x1,
                y.px(crisis as f64 - 0.5),
            );
            c.fill(shade, CRISIS_TINT.filled())?;
        }
        // Rungs are rows: lines between them, names at their middles.
        for r in 1..n_rungs {
            let py = y.px(r as f64 - 0.5);
            c.line(vec![(plot.x0, py), (plot.x1, py)], GRID.stroke_width(1))?;
        }
        let row_px = f64::from(plot.h()) / n_rungs as f64;
        let every = ((22.0 / row_px).ceil() as usize).max(1);
        if arm % cols == 0 {
            for r in (0..n_rungs).step_by(every) {
                let label = TICK.fit(rung_names.get(r).map_or("", String::as_str), gutter - 14);
                c.text(
                    &label,
                    (plot.x0 - 8, y.px(r as f64)),
                    TICK,
                    HPos::Right,
                    VPos::Center,
                )?;
            }
        }
        let (xt, step) = time.ticks(plot.w());
        let bottom = arm + cols >= d.arms.len();
        x_axis(c, plot, x, &xt, &|v| fmt_tick(v, step), bottom)?;

        let stats = stats.get(arm).map_or(&[][..], Vec::as_slice);
        if stats.iter().all(Option::is_none) {
            axes_box(c, plot)?;
            c.note(plot, "no runs")?;
            continue;
        }
        let xd = |day: f64| x.px(time.value(day));
        let yd = |v: f64| y.px(v);
        let level = |i: usize| stats.iter().map(|s| s.map(|s| s.q[i])).collect::<Vec<_>>();
        for poly in band_polygons(&level(0), &level(4), &xd, &yd) {
            c.polygon(poly, colour.mix(0.22).filled())?;
        }
        for poly in band_polygons(&level(1), &level(3), &xd, &yd) {
            c.polygon(poly, colour.mix(0.45).filled())?;
        }
        // A darker shade lifts the median off the band of the same colour.
        let dark = RGBColor(
            (f64::from(colour.0) * 0.6) as u8,
            (f64::from(colour.1) * 0.6) as u8,
            (f64::from(colour.2) * 0.6) as u8,
        );
        for path in daily_paths(&level(2), &xd, &yd) {
            c.line(path, dark.stroke_width(3))?;
        }
        for path in mean_path(stats, plot.w().max(1) as usize / 2) {
            let pts = path.iter().map(|&(day, m)| (xd(day), y.px(m))).collect();
            c.dashed(pts, 7, 5, INK.stroke_width(2))?;
        }
        axes_box(c, plot)?;
    }
    c.text(
        time.label(),
        (grid.cx(), body.y1 - 2),
        AXIS_LABEL,
        HPos::Center,
        VPos::Bottom,
    )
}

impl Font {
    fn width_max(self, texts: &[String]) -> i32 {
        texts.iter().map(|t| self.width(t)).max().unwrap_or(0)
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Survival
// ---------------------------------------------------------------------------------------------

/// Percentage of replicates without the event by each day.
fn survival_percent(by_day: &[u64], replicates: u64) -> Vec<f64> {
    if replicates == 0 {
        return Vec::new();
    }
    by_day
        .iter()
        .map(|&n| 100.0 * (1.0 - (n.min(replicates) as f64 / replicates as f64)))
        .collect()
}

/// A step path through daily values, with points only where the value changes.
fn survival_path(values: &[f64], x: &dyn Fn(usize) -> i32, y: Scale) -> Vec<(i32, i32)> {
    let mut pts = Vec::new();
    let Some(&first) = values.first() else {
        return pts;
    };
    pts.push((x(0), y.px(first)));
    let mut last = first;
    for (day, &v) in values.iter().enumerate().skip(1) {
        if v != last {
            pts.push((x(day), y.px(last)));
            pts.push((x(day), y.px(v)));
            last = v;
        }
    }
    pts.push((x(values.len()), y.px(last)));
    pts
}

/// Drops the vertices of a pixel path that lie within `tolerance` pixels of the line through their
/// neighbours (Ramer–Douglas–Peucker), so stairs finer than a pixel draw as one straight stroke.
fn simplify(points: &[(i32, i32)], tolerance: f64) -> Vec<(i32, i32)> {
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

fn draw_survival<DB: DrawingBackend>(c: &Canvas<DB>, d: &PlotData) -> Result<()> {
    let body = frame(
        c,
        "survival",
        "Share of runs with no kinetic conflict yet (solid) and no crisis yet (dashed), by day",
        d,
    )?;
    let days = d
        .kinetic_by_day
        .iter()
        .chain(&d.crisis_by_day)
        .map(Vec::len)
        .max()
        .unwrap_or(0);
    if d.arms.is_empty() || days == 0 || d.replicates == 0 {
        return c.note(body, "No runs to show: no replicates or no days.");
    }
    // The line-style key first, so it survives when a long list of arms is cut short.
    let mut items = vec![
        LegendItem {
            swatch: Swatch::Line(MUTED),
            label: "no kinetic conflict yet".into(),
        },
        LegendItem {
            swatch: Swatch::Dashed(MUTED),
            label: "no crisis yet".into(),
        },
    ];
    items.extend(arm_legend(&d.arms, Swatch::Line));
    let legend_h = legend(c, body, &items)?;
    let plot = Rect::new(
        body.x0 + 100,
        body.y0 + legend_h + 16,
        body.x1 - 10,
        body.y1 - 60,
    );
    let curves: Vec<(Vec<f64>, Vec<f64>)> = (0..d.arms.len())
        .map(|arm| {
            let kinetic = d.kinetic_by_day.get(arm).map_or(&[][..], Vec::as_slice);
            let crisis = d.crisis_by_day.get(arm).map_or(&[][..], Vec::as_slice);
            (
                survival_percent(kinetic, d.replicates),
                survival_percent(crisis, d.replicates),
            )
        })
        .collect();
    let lowest = curves
        .iter()
        .flat_map(|(k, c)| k.iter().chain(c))
        .copied()
        .fold(100.0f64, f64::min);
    // At least five steps of scale, so a plot where nothing happens still reads as "100 %, flat".
    let step = nice_step((100.0 - lowest).max(5.0), 6);
    let lo = (((lowest - step * 0.3) / step).floor() * step)
        .min(100.0 - 5.0 * step)
        .max(0.0);
    let y = Scale::new(lo, 100.0 + (100.0 - lo) * 0.015, plot.y1, plot.y0);
    let time = TimeAxis::new(days);
    let x = time.scale(plot);
    let yt = ticks(lo, 100.0, step);
    y_axis(
        c,
        plot,
        y,
        &yt,
        &|v| format!("{} %", fmt_tick(v, step)),
        true,
    )?;
    let (xt, xstep) = time.ticks(plot.w());
    x_axis(c, plot, x, &xt, &|v| fmt_tick(v, xstep), true)?;
    let xd = |day: usize| x.px(time.value(day as f64));
    // The baseline is drawn first and wider, so an arm whose curve coincides with it leaves a visible edge.
    let width = |arm: usize| if arm == 0 && curves.len() > 1 { 6 } else { 3 };
    for (arm, (_, crisis)) in curves.iter().enumerate() {
        c.dashed(
            simplify(&survival_path(crisis, &xd, y), 3.0),
            10,
            7,
            arm_colour(arm).stroke_width(width(arm)),
        )?;
    }
    for (arm, (kinetic, _)) in curves.iter().enumerate() {
        c.line(
            simplify(&survival_path(kinetic, &xd, y), 3.0),
            arm_colour(arm).stroke_width(width(arm)),
        )?;
    }
    axes_box(c, plot)?;
    c.text(
        time.label(),
        (plot.cx(), body.y1 - 2),
        AXIS_LABEL,
        HPos::Center,
        VPos::Bottom,
    )?;
    c.text_rotated(
        "runs without the event so far (%)",
        (body.x0 + 12, plot.cy()),
        AXIS_LABEL,
    )
}

// ---------------------------------------------------------------------------------------------
// 3. Highest rung
// ---------------------------------------------------------------------------------------------

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

fn draw_highest_rung<DB: DrawingBackend>(c: &Canvas<DB>, d: &PlotData) -> Result<()> {
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

// ---------------------------------------------------------------------------------------------
// 4. Outcomes
// ---------------------------------------------------------------------------------------------

/// The most metrics the outcome grid shows (one row each).
const MAX_METRICS: usize = 8;

fn finite(i: &Interval) -> bool {
    i.value.is_finite() && i.lo.is_finite() && i.hi.is_finite()
}

/// The value range to show for intervals, padded, always including zero.
fn interval_range(intervals: &[Interval], scale: f64) -> (f64, f64, f64) {
    let mut lo = 0.0f64;
    let mut hi = 0.0f64;
    for i in intervals.iter().filter(|i| finite(i)) {
        lo = lo.min(i.lo.min(i.value) * scale);
        hi = hi.max(i.hi.max(i.value) * scale);
    }
    if hi - lo <= 0.0 {
        hi = lo + 1.0;
    }
    let step = nice_step(hi - lo, 4);
    let lo = if lo < 0.0 {
        (lo / step - 0.15).floor() * step
    } else {
        0.0
    };
    let hi = if hi > 0.0 {
        (hi / step + 0.15).ceil() * step
    } else {
        0.0
    };
    (lo, hi, step)
}

fn draw_intervals<DB: DrawingBackend>(
    c: &Canvas<DB>,
    plot: Rect,
    rows: usize,
    entries: &[(usize, Interval)],
    scale: f64,
    unit: &str,
    zero_line: bool,
) -> Result<()> {
    if !entries.iter().any(|e| finite(&e.1)) {
        axes_box(c, plot)?;
        return c.note(plot, "no estimate");
    }
    let (lo, hi, step) = interval_range(&entries.iter().map(|e| e.1).collect::<Vec<_>>(), scale);
    let x = Scale::new(lo, hi, plot.x0, plot.x1);
    let xt = ticks(lo, hi, step);
    x_axis(
        c,
        plot,
        x,
        &xt,
        &|v| format!("{}{unit}", fmt_tick(v, step)),
        true,
    )?;
    if zero_line {
        c.line(
            vec![(x.px(0.0), plot.y0), (x.px(0.0), plot.y1)],
            INK.stroke_width(2),
        )?;
    }
    let row_h = f64::from(plot.h()) / rows.max(1) as f64;
    for &(arm, i) in entries {
        if !finite(&i) {
            continue;
        }
        let py = (f64::from(plot.y0) + (arm as f64 + 0.5) * row_h).round() as i32;
        let colour = arm_colour(arm);
        let (a, b) = (x.px(i.lo * scale), x.px(i.hi * scale));
        let cap = (row_h * 0.3).clamp(2.0, 7.0) as i32;
        c.line(vec![(a, py), (b, py)], colour.stroke_width(3))?;
        c.line(vec![(a, py - cap), (a, py + cap)], colour.stroke_width(2))?;
        c.line(vec![(b, py - cap), (b, py + cap)], colour.stroke_width(2))?;
        c.dot(
            (x.px(i.value * scale), py),
            (row_h * 0.32).clamp(3.0, 6.0) as i32,
            colour.filled(),
        )?;
    }
    axes_box(c, plot)
}

fn draw_outcomes<DB: DrawingBackend>(c: &Canvas<DB>, d: &PlotData) -> Result<()> {
    let baseline = d.arms.first().map_or("the first arm", String::as_str);
    let body = frame(
        c,
        "outcomes",
        "Dots: estimates · bars: 95 % intervals · right: the paired difference from the first arm",
        d,
    )?;
    let legend_h = legend(c, body, &arm_legend(&d.arms, Swatch::Line))?;
    let metrics: Vec<&MetricRow> = d.metrics.iter().take(MAX_METRICS).collect();
    let area = Rect::new(body.x0, body.y0 + legend_h + 8, body.x1, body.y1);
    if metrics.is_empty() || d.arms.is_empty() {
        return c.note(area, "No metrics to show.");
    }
    let with_differences = d.arms.len() > 1;
    let label_w = 270;
    let header_h = 30;
    let cols_x0 = area.x0 + label_w;
    let col_gap = 56;
    let col_w = if with_differences {
        (area.x1 - cols_x0 - col_gap) / 2
    } else {
        area.x1 - cols_x0
    };
    let head = font(17.0).bold();
    c.text(
        &head.fit("estimate per arm", col_w),
        (cols_x0, area.y0 + 12),
        head,
        HPos::Left,
        VPos::Center,
    )?;
    if with_differences {
        let title = format!("difference from “{baseline}”");
        c.text(
            &head.fit(&title, col_w),
            (cols_x0 + col_w + col_gap, area.y0 + 12),
            head,
            HPos::Left,
            VPos::Center,
        )?;
    }
    let rows_area = Rect::new(area.x0, area.y0 + header_h, area.x1, area.y1);
    let row_h = rows_area.h() / metrics.len() as i32;
    let name_font = font(17.0).bold();
    let unit_font = font(15.0).colour(MUTED);
    for (m, metric) in metrics.iter().enumerate() {
        let top = rows_area.y0 + m as i32 * row_h;
        let plot_h = row_h - 34;
        let label_lines = name_font.wrap(&metric.label, label_w - 20, 2);
        for (i, line) in label_lines.iter().enumerate() {
            c.text(
                line,
                (area.x0, top + 12 + 21 * i as i32),
                name_font,
                HPos::Left,
                VPos::Center,
            )?;
        }
        let unit = match (metric.proportion, with_differences) {
            (true, true) => "% of runs; change in % points",
            (true, false) => "% of runs",
            (false, _) => "mean per run",
        };
        c.text(
            unit,
            (area.x0, top + 12 + 21 * label_lines.len() as i32),
            unit_font,
            HPos::Left,
            VPos::Center,
        )?;
        let (scale, suffix) = if metric.proportion {
            (100.0, " %")
        } else {
            (1.0, "")
        };
        let plot = Rect::new(cols_x0, top + 4, cols_x0 + col_w, top + 4 + plot_h);
        let estimates: Vec<(usize, Interval)> = metric
            .by_arm
            .iter()
            .copied()
            .enumerate()
            .take(d.arms.len())
            .collect();
        draw_intervals(c, plot, d.arms.len(), &estimates, scale, suffix, false)?;
        if with_differences {
            let plot = Rect::new(
                plot.x1 + col_gap,
                plot.y0,
                plot.x1 + col_gap + col_w,
                plot.y1,
            );
            let diffs: Vec<(usize, Interval)> = d
                .differences
                .iter()
                .find(|row| row.key == metric.key)
                .map(|row| {
                    row.by_arm
                        .iter()
                        .copied()
                        .enumerate()
                        .map(|(j, i)| (j + 1, i))
                        .take(d.arms.len() - 1)
                        .collect()
                })
                .unwrap_or_default();
            if diffs.is_empty() {
                axes_box(c, plot)?;
                c.note(plot, "no paired differences")?;
            } else {
                draw_intervals(c, plot, d.arms.len(), &diffs, scale, "", true)?;
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 5. Attribution
// ---------------------------------------------------------------------------------------------

/// The most arms the attribution grid shows.
const MAX_MATRICES: usize = 6;

/// White to Okabe–Ito blue as `t` goes from 0 to 1.
fn heat(t: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
    RGBColor(mix(0xFF, 0x00), mix(0xFF, 0x5A), mix(0xFF, 0x9A))
}

fn draw_attribution<DB: DrawingBackend>(c: &Canvas<DB>, d: &PlotData) -> Result<()> {
    let shown = d.arms.len().min(MAX_MATRICES);
    let more = if d.arms.len() > shown {
        format!(" (first {shown} of {} arms)", d.arms.len())
    } else {
        String::new()
    };
    let body = frame(
        c,
        "attribution",
        &format!(
            "Rows: true sponsor · columns: state blamed · cells: incidents in all runs, share of the row · outlined: correct{more}"
        ),
        d,
    )?;
    let total: u64 = d.attribution.iter().flatten().flatten().sum();
    if shown == 0 || d.true_sponsors.is_empty() || d.blamed.is_empty() || total == 0 {
        return c.note(body, "No publicly attributed incidents in these runs.");
    }
    let row_font = font(16.0);
    let gutter = row_font.width_max(&d.true_sponsors).min(200) + 16;
    let (rows, cols) = grid_shape(shown);
    let grid = Rect::new(body.x0 + gutter, body.y0 + 4, body.x1, body.y1);
    let cells = grid_cells(grid, rows, cols, 26, 14);
    let n_rows = d.true_sponsors.len();
    let n_cols = d.blamed.len();
    for (arm, cell) in cells.iter().enumerate().take(shown) {
        let colour = arm_colour(arm);
        c.fill(
            Rect::new(cell.x0, cell.y0 + 5, cell.x0 + 16, cell.y0 + 21),
            colour.filled(),
        )?;
        let name = d.arms.get(arm).map_or("", String::as_str);
        c.text(
            &PANEL_TITLE.fit(name, cell.w() - 24),
            (cell.x0 + 24, cell.y0 + 13),
            PANEL_TITLE,
            HPos::Left,
            VPos::Center,
        )?;
        let header = Rect::new(cell.x0, cell.y0 + 30, cell.x1, cell.y0 + 56);
        let matrix = Rect::new(cell.x0, header.y1, cell.x1, cell.y1);
        let cw = f64::from(matrix.w()) / n_cols as f64;
        let ch = f64::from(matrix.h()) / n_rows as f64;
        let col_font = font(16.0).bold();
        for (j, state) in d.blamed.iter().enumerate() {
            let cx = (f64::from(matrix.x0) + (j as f64 + 0.5) * cw).round() as i32;
            c.text(
                &col_font.fit(state, cw as i32 - 4),
                (cx, header.cy()),
                col_font,
                HPos::Center,
                VPos::Center,
            )?;
        }
        let counts = d.attribution.get(arm);
        for (i, sponsor) in d.true_sponsors.iter().enumerate() {
            let row: Vec<u64> = (0..n_cols)
                .map(|j| {
                    counts
                        .and_then(|m| m.get(i))
                        .and_then(|r| r.get(j))
                        .copied()
                        .unwrap_or(0)
                })
                .collect();
            let row_total: u64 = row.iter().sum();
            let y0 = (f64::from(matrix.y0) + i as f64 * ch).round() as i32;
            let y1 = (f64::from(matrix.y0) + (i + 1) as f64 * ch).round() as i32;
            if arm % cols == 0 && i == 0 {
                let head = font(15.0).bold().colour(MUTED);
                c.text(
                    &head.fit("true sponsor", gutter - 16),
                    (matrix.x0 - 10, header.cy()),
                    head,
                    HPos::Right,
                    VPos::Center,
                )?;
            }
            if arm % cols == 0 {
                c.text(
                    &row_font.fit(sponsor, gutter - 16),
                    (matrix.x0 - 10, (y0 + y1) / 2),
                    row_font,
                    HPos::Right,
                    VPos::Center,
                )?;
            }
            for (j, &n) in row.iter().enumerate() {
                let x0 = (f64::from(matrix.x0) + j as f64 * cw).round() as i32;
                let x1 = (f64::from(matrix.x0) + (j + 1) as f64 * cw).round() as i32;
                let r = Rect::new(x0, y0, x1, y1);
                let share = if row_total > 0 {
                    n as f64 / row_total as f64
                } else {
                    f64::NAN
                };
                let fill = if row_total > 0 {
                    heat(share)
                } else {
                    RGBColor(0xF2, 0xF2, 0xF2)
                };
                c.fill(r, fill.filled())?;
                c.outline(r, WHITE.stroke_width(1))?;
                let ink = if share > 0.55 { WHITE } else { INK };
                // Text scaled to the cell: both lines when there is room, the share alone otherwise.
                let size = if r.h() >= 44 && r.w() >= 70 {
                    15.0
                } else {
                    13.0
                };
                let count_font = font(size).bold().colour(ink);
                let share_font = font(size - 1.0).colour(ink);
                let count = group_thousands(n);
                if r.h() >= 30 && count_font.width(&count) <= r.w() - 6 {
                    let half = (size * 0.6).round() as i32;
                    c.text(
                        &count,
                        (r.cx(), r.cy() - half),
                        count_font,
                        HPos::Center,
                        VPos::Center,
                    )?;
                    c.text(
                        &fmt_share(share),
                        (r.cx(), r.cy() + half + 1),
                        share_font,
                        HPos::Center,
                        VPos::Center,
                    )?;
                } else {
                    c.text(
                        &share_font.fit(&fmt_share(share), r.w() - 4),
                        (r.cx(), r.cy()),
                        share_font,
                        HPos::Center,
                        VPos::Center,
                    )?;
                }
            }
            if let Some(j) = d.blamed.iter().position(|b| b == sponsor) {
                let x0 = (f64::from(matrix.x0) + j as f64 * cw).round() as i32;
                let x1 = (f64::from(matrix.x0) + (j + 1) as f64 * cw).round() as i32;
                c.outline(
                    Rect::new(x0 + 1, y0 + 1, x1 - 1, y1 - 1),
                    INK.stroke_width(3),
                )?;
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 6. Triggers
// ---------------------------------------------------------------------------------------------

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

fn draw_triggers<DB: DrawingBackend>(c: &Canvas<DB>, d: &PlotData) -> Result<()> {
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

// ---------------------------------------------------------------------------------------------
// Example data
// ---------------------------------------------------------------------------------------------

/// Splits `total` into integer parts proportional to `weights` (largest remainders), summing to `total`.
fn apportion(weights: &[f64], total: u64) -> Vec<u64> {
    let sum: f64 = weights.iter().filter(|w| w.is_finite() && **w > 0.0).sum();
    if sum <= 0.0 {
        return vec![0; weights.len()];
    }
    let exact: Vec<f64> = weights
        .iter()
        .map(|w| {
            if w.is_finite() && *w > 0.0 {
                w / sum * total as f64
            } else {
                0.0
            }
        })
        .collect();
    let mut parts: Vec<u64> = exact.iter().map(|e| e.floor() as u64).collect();
    let mut left = total.saturating_sub(parts.iter().sum());
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        (exact[b] - exact[b].floor())
            .total_cmp(&(exact[a] - exact[a].floor()))
            .then(a.cmp(&b))
    });
    for i in order.into_iter().cycle().take(weights.len() * 2) {
        if left == 0 {
            break;
        }
        parts[i] += 1;
        left -= 1;
    }
    parts
}

/// A realistic synthetic `PlotData` shaped like the default scenario (6 arms, 9 rungs, 5 years), for
/// tests and for looking at the plots without running a simulation.
#[doc(hidden)]
pub fn example_plot_data() -> PlotData {
    const RUNGS: [&str; 9] = [
        "competition",
        "diplomatic protest",
        "public attribution",
        "sanctions",
        "cyber retaliation",
        "disruptive attack",
        "destructive attack",
        "limited kinetic",
        "full kinetic conflict",
    ];
    // Per arm: (name, escalation factor above rung 3, operations factor, misattribution factor).
    const ARMS: [(&str, f64, f64, f64); 6] = [
        ("without channels", 1.15, 1.0, 1.0),
        ("with channels", 0.1, 0.9, 0.45),
        ("hotline only", 0.45, 1.0, 0.8),
        ("CERT-to-CERT only", 0.8, 1.0, 0.6),
        ("dialogue only", 0.85, 0.97, 0.9),
        ("agreement and pledge only", 0.9, 0.9, 0.95),
    ];
    let replicates = 4000u64;
    let horizon = 1826usize;
    let n = RUNGS.len();
    let crisis = 5;
    let jump = [0.0, 0.55, 0.3, 0.12, 0.03];
    let mut d = PlotData {
        scenario: "us_russia_2016".into(),
        seed: 2016,
        replicates,
        horizon_days: horizon as u32,
        arms: ARMS.iter().map(|a| a.0.to_string()).collect(),
        rungs: RUNGS.iter().map(|r| r.to_string()).collect(),
        crisis_rung: crisis,
        timeline: Vec::new(),
        crisis_by_day: Vec::new(),
        kinetic_by_day: Vec::new(),
        highest_rung: Vec::new(),
        true_sponsors: ["US", "RUS", "PRK", "freelancing proxy", "independent group"]
            .map(String::from)
            .to_vec(),
        blamed: ["US", "RUS", "PRK"].map(String::from).to_vec(),
        attribution: Vec::new(),
        triggers: [
            "correctly attributed",
            "false flag",
            "mercenary",
            "independent actor",
            "freelancing proxy",
            "spiral",
        ]
        .map(String::from)
        .to_vec(),
        responses_by_trigger: Vec::new(),
        metrics: Vec::new(),
        differences: Vec::new(),
    };
    let mut finals = Vec::new();
    for &(_, esc_factor, ops, misattribution) in &ARMS {
        // A daily Markov chain over (current rung, highest rung so far), evolved as a distribution.
        let r0 = 2.5 / 365.0 * ops;
        let esc = [
            0.0,
            0.0025,
            0.0015,
            0.0012,
            0.0035 * esc_factor,
            0.03 * esc_factor,
            0.05 * esc_factor,
            0.04,
            0.0,
        ];
        let mut p = vec![vec![0.0f64; n]; n];
        p[0][0] = 1.0;
        let (mut timeline, mut crisis_by_day, mut kinetic_by_day) =
            (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..horizon {
            let mut q = vec![vec![0.0f64; n]; n];
            for cur in 0..n {
                for max in 0..n {
                    let v = p[cur][max];
                    if v == 0.0 {
                        continue;
                    }
                    if cur == 0 {
                        q[0][max] += v * (1.0 - r0);
                        for (k, share) in jump.iter().enumerate().skip(1) {
                            q[k][max.max(k)] += v * r0 * share;
                        }
                    } else if cur == n - 1 {
                        q[cur][max] += v;
                    } else {
                        let decay = if cur < 7 { 1.0 / 40.0 } else { 0.0 };
                        q[cur + 1][max.max(cur + 1)] += v * esc[cur];
                        q[cur - 1][max] += v * decay;
                        q[cur][max] += v * (1.0 - esc[cur] - decay);
                    }
                }
            }
            p = q;
            let current: Vec<f64> = p.iter().map(|row| row.iter().sum()).collect();
            timeline.push(apportion(&current, replicates));
            let reached = |from: usize| {
                (0..n)
                    .flat_map(|c| (from..n).map(move |m| (c, m)))
                    .map(|(c, m)| p[c][m])
                    .sum::<f64>()
            };
            crisis_by_day.push((reached(crisis) * replicates as f64).round() as u64);
            kinetic_by_day.push((reached(7) * replicates as f64).round() as u64);
        }
        let highest: Vec<f64> = (0..n).map(|m| (0..n).map(|c| p[c][m]).sum()).collect();
        d.highest_rung.push(apportion(&highest, replicates));
        d.timeline.push(timeline);
        d.crisis_by_day.push(crisis_by_day);
        d.kinetic_by_day.push(kinetic_by_day);
        finals.push((highest, ops, misattribution));

        // Attributed incidents over all runs: rows US, RUS, PRK, freelancing proxy, independent group.
        let r = replicates as f64;
        let m = misattribution;
        let cell = |per_run: f64| (per_run * r).round() as u64;
        d.attribution.push(vec![
            vec![cell(1.9 * ops), cell(0.0), cell(0.02 * m)],
            vec![cell(0.0), cell(17.5 * ops), cell(0.9 * m * ops)],
            vec![cell(0.05 * m), cell(1.3 * m), cell(2.4)],
            vec![cell(0.0), cell(2.6 * ops), cell(0.15 * m)],
            vec![cell(0.3 * m), cell(2.1 * m), cell(0.4 * m)],
        ]);
        let spiral = 0.45 * esc_factor.max(0.2);
        d.responses_by_trigger.push(
            [2.6 * ops, 0.22 * m, 0.16 * m, 0.19 * m, 0.12 * m, spiral]
                .iter()
                .map(|v| (v * r).round() as u64)
                .collect(),
        );
    }
    let wilson = |p: f64| {
        let half = 1.96 * (p * (1.0 - p) / replicates as f64).sqrt();
        Interval {
            value: p,
            lo: (p - half).max(0.0),
            hi: (p + half).min(1.0),
        }
    };
    let mean = |v: f64, sd: f64| {
        let half = 1.96 * sd / (replicates as f64).sqrt();
        Interval {
            value: v,
            lo: v - half,
            hi: v + half,
        }
    };
    let arm_metrics: Vec<Vec<Interval>> = finals
        .iter()
        .map(|(highest, ops, m)| {
            let crisis_p: f64 = highest[crisis..].iter().sum();
            let kinetic_p: f64 = highest[7..].iter().sum();
            let mean_rung: f64 = highest.iter().enumerate().map(|(r, p)| r as f64 * p).sum();
            vec![
                wilson(crisis_p),
                wilson(kinetic_p),
                mean(mean_rung, 0.9),
                mean(1.6 * m * ops, 1.4),
                mean(3.7 * ops * (0.6 + 0.4 * m), 2.1),
                mean(0.37 * m, 0.7),
            ]
        })
        .collect();
    let keys = [
        ("crisis", "P(crisis)", true),
        ("kinetic", "P(kinetic conflict)", true),
        ("highest_rung", "mean highest rung", false),
        ("misattributions", "misattributions", false),
        ("responses", "responses", false),
        (
            "wrongful_responses",
            "responses against an innocent state",
            false,
        ),
    ];
    for (k, &(key, label, proportion)) in keys.iter().enumerate() {
        d.metrics.push(MetricRow {
            key: key.into(),
            label: label.into(),
            proportion,
            by_arm: arm_metrics.iter().map(|a| a[k]).collect(),
        });
        d.differences.push(MetricRow {
            key: key.into(),
            label: label.into(),
            proportion,
            by_arm: arm_metrics
                .iter()
                .skip(1)
                .map(|a| {
                    let (b, v) = (arm_metrics[0][k], a[k]);
                    let diff = v.value - b.value;
                    // Paired runs share their draws, so the difference is tighter than either estimate.
                    let half = 0.6 * ((b.hi - b.lo).powi(2) + (v.hi - v.lo).powi(2)).sqrt() / 2.0;
                    Interval {
                        value: diff,
                        lo: diff - half,
                        hi: diff + half,
                    }
                })
                .collect(),
        });
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pixel_variety(buf: &[u8]) -> usize {
        let mut colours: Vec<[u8; 3]> = buf.chunks_exact(3).map(|p| [p[0], p[1], p[2]]).collect();
        colours.sort_unstable();
        colours.dedup();
        colours.len()
    }

    #[test]
    fn draw_all_writes_twelve_readable_files() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let data = example_plot_data();
        let files = draw_all(&data, dir.path()).expect("the example draws");
        assert_eq!(files.len(), 12);
        for (i, (stem, title)) in PLOTS.iter().enumerate() {
            assert_eq!(files[2 * i], dir.path().join(format!("{stem}.png")));
            assert_eq!(files[2 * i + 1], dir.path().join(format!("{stem}.svg")));
            let png = std::fs::read(&files[2 * i]).expect("the PNG exists");
            assert!(
                png.starts_with(b"\x89PNG\r\n\x1a\n"),
                "{stem}.png has a PNG signature"
            );
            assert!(
                png.len() > 20_000,
                "{stem}.png is more than a blank canvas ({} bytes)",
                png.len()
            );
            let svg = std::fs::read_to_string(&files[2 * i + 1]).expect("the SVG exists");
            assert!(svg.contains("<svg"), "{stem}.svg is an SVG");
            assert!(svg.contains(title), "{stem}.svg shows its title");
        }
    }

    #[test]
    fn draw_all_leaves_no_temporary_files_and_reports_unwritable_folders() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        draw_all(&example_plot_data(), dir.path()).expect("draws");
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .expect("lists")
            .map(|e| {
                e.expect("an entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        assert_eq!(names.len(), 12, "{names:?}");
        assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
        let file = dir.path().join("not a folder");
        std::fs::write(&file, "x").expect("writes");
        assert!(draw_all(&example_plot_data(), &file).is_err());
    }

    #[test]
    fn every_plot_renders_with_many_colours() {
        let data = example_plot_data();
        for (stem, _) in PLOTS {
            let (buf, (w, h)) = render_rgb(stem, &data).expect("renders");
            assert_eq!(buf.len(), (w * h * 3) as usize);
            assert!(
                pixel_variety(&buf) > 50,
                "{stem} is not a blank or single-colour image"
            );
        }
    }

    #[test]
    fn svg_is_byte_identical_when_drawn_twice() {
        let data = example_plot_data();
        for (stem, _) in PLOTS {
            assert_eq!(
                render_svg(stem, &data).expect("draws"),
                render_svg(stem, &data).expect("draws"),
                "{stem}"
            );
        }
    }

    #[test]
    fn svg_names_the_arms_and_the_scenario() {
        let data = example_plot_data();
        let survival = render_svg("survival", &data).expect("draws");
        for arm in &data.arms {
            assert!(
                survival.contains(arm.as_str()),
                "the survival legend names {arm}"
            );
        }
        assert!(survival.contains("us_russia_2016"));
        assert!(survival.contains("seed 2016"));
    }

    #[test]
    fn unknown_plot_is_an_error() {
        assert!(render_svg("pie_chart", &example_plot_data()).is_err());
    }

    #[test]
    fn quantile_positions_fall_within_their_rungs() {
        let at = |hist: &[u64], q: f64| quantile_position(hist, q).expect("a non-empty histogram");
        let hist = [50, 30, 0, 20];
        assert!(
            (at(&hist, 0.05) - -0.4).abs() < 1e-9,
            "5 of 50 replicates into rung 0"
        );
        assert!((at(&hist, 0.5) - 0.5).abs() < 1e-9, "the top of rung 0");
        assert!(
            (at(&hist, 0.65) - 1.0).abs() < 1e-9,
            "half way through rung 1"
        );
        assert!(
            (at(&hist, 0.95) - 3.25).abs() < 1e-9,
            "rung 2 is empty: straight to rung 3"
        );
        assert!((at(&[0, 0, 7], 0.05) - 1.55).abs() < 1e-9);
        assert!((at(&[4], 1.0) - 0.5).abs() < 1e-9);
        assert_eq!(quantile_position(&[0, 0], 0.5), None);
        assert_eq!(quantile_position(&[], 0.5), None);
        assert_eq!(mean_rung(&[1, 0, 1]), Some(1.0));
        // The plain quantile's rung is the row the position falls in.
        for q in [0.05, 0.25, 0.5, 0.75, 0.95] {
            let position = at(&hist, q);
            assert!(position > -0.5 && position <= 3.5);
        }
    }

    #[test]
    fn smoothing_pools_neighbouring_days_and_keeps_gaps() {
        let timeline = vec![vec![10, 0], vec![0, 10], vec![0, 0], vec![10, 0]];
        let raw = smoothed_days(&timeline, 0);
        assert_eq!(raw[0].map(|s| s.mean), Some(0.0));
        assert_eq!(raw[1].map(|s| s.mean), Some(1.0));
        assert_eq!(raw[2], None, "a day without replicates stays empty");
        let pooled = smoothed_days(&timeline, 1);
        assert_eq!(pooled[0].map(|s| s.mean), Some(0.5));
        assert_eq!(pooled[1].map(|s| s.mean), Some(0.5));
        assert_eq!(pooled[2], None);
        assert_eq!(pooled[3].map(|s| s.mean), Some(0.0));
    }

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

    #[test]
    fn bundled_font_bearings_are_read() {
        let regular = Bearings::of(false).expect("the regular font parses");
        let bold = Bearings::of(true).expect("the bold font parses");
        // DejaVu Sans at 17 px, as ab_glyph reports it: i 1.376, w 0.613.
        assert!((regular.lsb('i', 17.0) - 1.376).abs() < 0.01);
        assert!((regular.lsb('w', 17.0) - 0.613).abs() < 0.01);
        assert!(bold.lsb('i', 17.0) > 0.0);
        assert_eq!(
            regular.lsb('\u{10FFFF}', 17.0),
            regular.lsb('\u{10FFFE}', 17.0),
            "missing glyphs"
        );
    }

    #[test]
    fn legend_wraps_and_summarises_what_does_not_fit() {
        register_fonts().expect("fonts");
        let items: Vec<LegendItem> = (0..40)
            .map(|i| LegendItem {
                swatch: Swatch::Line(arm_colour(i)),
                label: format!("arm number {i}"),
            })
            .collect();
        let (placed, rows, more) = legend_layout(&items, 1100);
        assert_eq!(rows, LEGEND_ROWS);
        assert!(placed.len() < items.len());
        let (_, _, note) = more.expect("a +N more note");
        assert_eq!(note, format!("+{} more", items.len() - placed.len()));
        let (placed, rows, more) = legend_layout(&items[..3], 1100);
        assert_eq!((placed.len(), rows, more), (3, 1, None));
    }

    #[test]
    fn text_helpers_fit_and_wrap() {
        register_fonts().expect("fonts");
        let long = "agreement and pledge only with a very long name";
        let fitted = LEGEND.fit(long, 150);
        assert!(LEGEND.width(&fitted) <= 150 && fitted.ends_with('…'));
        assert_eq!(LEGEND.fit("short", 150), "short");
        let lines = TICK.wrap("full kinetic conflict", 110, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|l| TICK.width(l) <= 110));
        assert_eq!(group_thousands(1_234_567), "1,234,567");
        assert_eq!(fmt_tick(-0.0, 0.5), "0.0");
        assert_eq!(fmt_tick(-2.0, 1.0), "−2");
        assert_eq!(fmt_share(0.0004), "<0.1 %");
    }

    #[test]
    fn apportion_keeps_the_total() {
        assert_eq!(apportion(&[1.0, 1.0, 1.0], 10).iter().sum::<u64>(), 10);
        assert_eq!(apportion(&[0.0, 0.0], 5), vec![0, 0]);
        assert_eq!(apportion(&[0.5, 0.5], 3), vec![2, 1]);
    }

    #[test]
    fn example_data_is_consistent() {
        let d = example_plot_data();
        assert_eq!(d.arms.len(), 6);
        assert_eq!(d.timeline[0].len(), d.horizon_days as usize);
        for arm in 0..d.arms.len() {
            assert_eq!(d.highest_rung[arm].iter().sum::<u64>(), d.replicates);
            assert!(
                d.timeline[arm]
                    .iter()
                    .all(|day| day.iter().sum::<u64>() == d.replicates)
            );
            assert!(d.kinetic_by_day[arm].windows(2).all(|w| w[0] <= w[1]));
        }
        // The channels arm escalates less than the baseline, as in the default scenario.
        assert!(d.metrics[0].by_arm[1].value < d.metrics[0].by_arm[0].value);
    }

    fn edge_cases() -> Vec<(&'static str, PlotData)> {
        let base = example_plot_data();
        let mut cases = Vec::new();
        let mut one_arm = base.clone();
        one_arm.arms.truncate(1);
        one_arm.timeline.truncate(1);
        one_arm.crisis_by_day.truncate(1);
        one_arm.kinetic_by_day.truncate(1);
        one_arm.highest_rung.truncate(1);
        one_arm.attribution.truncate(1);
        one_arm.responses_by_trigger.truncate(1);
        for m in &mut one_arm.metrics {
            m.by_arm.truncate(1);
        }
        one_arm.differences.clear();
        cases.push(("one arm", one_arm));

        let mut zero = base.clone();
        zero.replicates = 0;
        for t in &mut zero.timeline {
            for day in t {
                day.iter_mut().for_each(|c| *c = 0);
            }
        }
        zero.crisis_by_day.iter_mut().flatten().for_each(|c| *c = 0);
        zero.kinetic_by_day
            .iter_mut()
            .flatten()
            .for_each(|c| *c = 0);
        zero.highest_rung.iter_mut().flatten().for_each(|c| *c = 0);
        zero.attribution
            .iter_mut()
            .flatten()
            .flatten()
            .for_each(|c| *c = 0);
        zero.responses_by_trigger
            .iter_mut()
            .flatten()
            .for_each(|c| *c = 0);
        for m in zero.metrics.iter_mut().chain(zero.differences.iter_mut()) {
            m.by_arm.iter_mut().for_each(|i| {
                *i = Interval {
                    value: f64::NAN,
                    lo: f64::NAN,
                    hi: f64::NAN,
                }
            });
        }
        cases.push(("zero replicates", zero));

        let mut single_rung = base.clone();
        single_rung.rungs.truncate(1);
        single_rung.crisis_rung = 5;
        for t in &mut single_rung.timeline {
            for day in t {
                day.truncate(1);
            }
        }
        single_rung
            .highest_rung
            .iter_mut()
            .for_each(|h| h.truncate(1));
        cases.push(("single rung", single_rung));

        let mut one_day = base.clone();
        one_day.horizon_days = 1;
        one_day.timeline.iter_mut().for_each(|t| t.truncate(1));
        one_day.crisis_by_day.iter_mut().for_each(|t| t.truncate(1));
        one_day
            .kinetic_by_day
            .iter_mut()
            .for_each(|t| t.truncate(1));
        cases.push(("horizon of one day", one_day));

        let mut no_attribution = base.clone();
        no_attribution.true_sponsors.clear();
        no_attribution.blamed.clear();
        no_attribution.attribution.clear();
        cases.push(("empty attribution", no_attribution));

        let mut long_names = base.clone();
        long_names.arms = long_names
            .arms
            .iter()
            .map(|a| format!("{a} with a very long descriptive name that goes on and on"))
            .collect();
        long_names.rungs[3] =
            "sanctions on the energy, finance and defence sectors of the economy".into();
        cases.push(("long names", long_names));

        let mut ragged = base.clone();
        ragged.timeline.truncate(2);
        ragged.highest_rung[0].clear();
        ragged.attribution[1].truncate(1);
        ragged.responses_by_trigger.clear();
        ragged.metrics.truncate(1);
        ragged.differences.clear();
        ragged.crisis_rung = 99;
        cases.push(("ragged and inconsistent", ragged));

        let mut many = base.clone();
        for i in 0..5 {
            many.arms.push(format!("extra arm {i}"));
        }
        cases.push(("eleven arms", many));

        let mut crowd = base;
        for i in 0..34 {
            crowd.arms.push(format!("extra arm {i}"));
        }
        cases.push(("forty arms", crowd));

        let empty = PlotData {
            scenario: String::new(),
            seed: 0,
            replicates: 0,
            horizon_days: 0,
            arms: Vec::new(),
            rungs: Vec::new(),
            crisis_rung: 0,
            timeline: Vec::new(),
            crisis_by_day: Vec::new(),
            kinetic_by_day: Vec::new(),
            highest_rung: Vec::new(),
            true_sponsors: Vec::new(),
            blamed: Vec::new(),
            attribution: Vec::new(),
            triggers: Vec::new(),
            responses_by_trigger: Vec::new(),
            metrics: Vec::new(),
            differences: Vec::new(),
        };
        cases.push(("nothing at all", empty));
        cases
    }

    #[test]
    fn edge_cases_draw_without_panicking() {
        for (name, data) in edge_cases() {
            for (stem, _) in PLOTS {
                render_svg(stem, &data).unwrap_or_else(|e| panic!("{stem} for {name}: {e:#}"));
                let (buf, _) =
                    render_rgb(stem, &data).unwrap_or_else(|e| panic!("{stem} for {name}: {e:#}"));
                assert!(
                    pixel_variety(&buf) > 2,
                    "{stem} for {name} shows at least its title"
                );
            }
        }
    }

    /// Writes the example and the edge cases as PNG for a person to look at:
    /// `PLOTS_CHECK_DIR=/tmp/plots-check cargo test --release plots::tests::write_for_inspection`.
    #[test]
    fn write_for_inspection() {
        let Ok(dir) = std::env::var("PLOTS_CHECK_DIR") else {
            return;
        };
        let dir = Path::new(&dir);
        draw_all(&example_plot_data(), dir).expect("draws");
        for (name, data) in edge_cases() {
            let sub = dir.join(name.replace(' ', "_"));
            draw_all(&data, &sub).expect("draws");
        }
    }
}
