//! One drawing, any backend: every plot family (result plots, sweep plots, the demo timeline) is a
//! [`Figure`], rendered here as SVG text, an RGB buffer, a PNG file, or both files in a folder.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow};
use plotters::coord::Shift;
use plotters::prelude::*;

use std::cell::RefCell;

use super::canvas::{Canvas, DrawLog, Rect};
use super::{register_fonts, write_through_temporary};

/// Something drawn on a white canvas of a fixed size.
pub(super) trait Figure {
    /// Canvas size in pixels.
    fn size(&self) -> (u32, u32);
    /// Name used in error messages (the file stem).
    fn name(&self) -> &str;
    /// Draws the figure; the canvas is already white.
    fn draw<DB: DrawingBackend>(&self, c: &Canvas<'_, DB>) -> Result<()>;
}

/// Draws `f` on `area` (a bitmap places text glyph by glyph; SVG keeps whole strings).
pub(super) fn draw_on<DB: DrawingBackend>(
    f: &impl Figure,
    area: &DrawingArea<DB, Shift>,
    bitmap: bool,
) -> Result<()> {
    draw_logged(f, area, bitmap).map(|_| ())
}

/// Draws `f` on `area` and returns the record of its axes and legends.
pub(super) fn draw_logged<DB: DrawingBackend>(
    f: &impl Figure,
    area: &DrawingArea<DB, Shift>,
    bitmap: bool,
) -> Result<DrawLog> {
    let (w, h) = area.dim_in_pixel();
    let c = Canvas {
        area,
        w: w as i32,
        h: h as i32,
        bitmap,
        log: RefCell::new(DrawLog::default()),
    };
    c.fill(Rect::new(0, 0, c.w, c.h), WHITE.into())?;
    f.draw(&c)?;
    Ok(c.log.into_inner())
}

/// `f` as an SVG document, with the record of its axes and legends (for tests).
#[cfg(test)]
pub(super) fn svg_logged(f: &impl Figure) -> Result<(String, DrawLog)> {
    register_fonts()?;
    let mut svg = String::new();
    let log;
    {
        let root = SVGBackend::with_string(&mut svg, f.size()).into_drawing_area();
        log = draw_logged(f, &root, false)?;
        root.present()
            .map_err(|e| anyhow!("drawing {}.svg: {e}", f.name()))?;
    }
    Ok((svg, log))
}

/// `f` as an SVG document.
pub(super) fn svg(f: &impl Figure) -> Result<String> {
    register_fonts()?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, f.size()).into_drawing_area();
        draw_on(f, &root, false)?;
        root.present()
            .map_err(|e| anyhow!("drawing {}.svg: {e}", f.name()))?;
    }
    Ok(svg)
}

/// `f` in an RGB buffer (3 bytes a pixel, row by row), with its size.
pub(super) fn rgb(f: &impl Figure) -> Result<(Vec<u8>, (u32, u32))> {
    register_fonts()?;
    let size = f.size();
    let mut buf = vec![0u8; size.0 as usize * size.1 as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut buf, size).into_drawing_area();
        draw_on(f, &root, true)?;
        root.present()
            .map_err(|e| anyhow!("drawing {}: {e}", f.name()))?;
    }
    Ok((buf, size))
}

/// Writes `f` as a PNG file at `path`.
pub(super) fn png(f: &impl Figure, path: &Path) -> Result<()> {
    register_fonts()?;
    let root = BitMapBackend::new(path, f.size()).into_drawing_area();
    draw_on(f, &root, true)?;
    root.present()
        .map_err(|e| anyhow!("cannot write {}: {e}", path.display()))
}

/// Writes `dir/<name>.png` and `dir/<name>.svg`, each through a temporary sibling and a rename, so
/// a reader never sees half a plot; returns both paths.
pub(super) fn write_png_and_svg(f: &impl Figure, dir: &Path) -> Result<[PathBuf; 2]> {
    let png_path = dir.join(format!("{}.png", f.name()));
    write_through_temporary(&png_path, |tmp| png(f, tmp))?;
    let svg_path = dir.join(format!("{}.svg", f.name()));
    let text = svg(f)?;
    write_through_temporary(&svg_path, |tmp| {
        std::fs::write(tmp, &text).with_context(|| format!("cannot write {}", tmp.display()))
    })?;
    Ok([png_path, svg_path])
}
