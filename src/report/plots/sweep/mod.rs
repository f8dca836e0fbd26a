//! The plots of a parameter sweep, drawn from [`SweepPlotData`] alone (so a sweep folder is redrawn
//! without re-simulating), in the house style of the result-folder plots: pixel layout from measured
//! text, the bundled font, Okabe–Ito colours, byte-identical SVG for the same data.
//!
//! Which plots apply depends on the design: one parameter gives the outcome against it; a grid over
//! two gives heat-maps; more parameters, or a Latin hypercube, give one panel per parameter; a Morris
//! design gives the μ*/σ screening chart.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::sweep::plotdata::{DesignKind, SweepPlotData};

use super::canvas::{Canvas, Rect};
use super::{register_fonts, write_through_temporary};

mod colour;
mod example;
mod heatmap;
mod lines;
mod morris;
mod scatter;
mod shared;
#[cfg(test)]
mod tests;

pub use example::example_sweep_data;

/// Every sweep plot: its file stem and a one-line title for the report.
const SWEEP_PLOTS: [(&str, &str); 4] = [
    (
        "sweep_outcome",
        "The headline outcome per arm against the swept parameter, and the paired difference from the first arm",
    ),
    (
        "sweep_heatmaps",
        "The headline outcome over two swept parameters, per arm, and the paired difference from the first arm",
    ),
    (
        "sweep_effects",
        "Which parameters drive the outcome: the paired difference against each swept parameter",
    ),
    (
        "morris",
        "Morris screening: which parameters matter (μ* against σ, and μ* ranked)",
    ),
];

fn entry(stem: &str) -> (&'static str, &'static str) {
    SWEEP_PLOTS
        .iter()
        .copied()
        .find(|(s, _)| *s == stem)
        .expect("invariant: every stem asked for is in SWEEP_PLOTS")
}

/// The plots that apply to this sweep, in drawing order: (file stem, one-line title for a report).
///
/// One parameter (any design): `sweep_outcome`. A grid over two parameters: `sweep_heatmaps`. A grid
/// over more, or a Latin hypercube over two or more: `sweep_effects`. A Morris design: `morris`.
pub fn sweep_plot_stems(data: &SweepPlotData) -> Vec<(&'static str, &'static str)> {
    let n = data.parameters.len();
    let mut stems = Vec::new();
    if n == 1 {
        stems.push(entry("sweep_outcome"));
    }
    match data.design {
        DesignKind::Grid if n == 2 => stems.push(entry("sweep_heatmaps")),
        DesignKind::Grid | DesignKind::LatinHypercube if n >= 2 => {
            stems.push(entry("sweep_effects"));
        }
        DesignKind::Morris if n >= 1 => stems.push(entry("morris")),
        _ => {}
    }
    stems
}

/// Draws every applicable sweep plot as PNG and SVG into `dir`; returns the files written, in the
/// order of [`sweep_plot_stems`] (PNG then SVG for each).
///
/// Each file is written through a temporary sibling and a rename, so a reader never sees half a plot.
pub fn draw_sweep(data: &SweepPlotData, dir: &Path) -> Result<Vec<PathBuf>> {
    register_fonts()?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let stems = sweep_plot_stems(data);
    let mut written = Vec::with_capacity(2 * stems.len());
    for (stem, _) in stems {
        let png = dir.join(format!("{stem}.png"));
        write_through_temporary(&png, |tmp| write_png(stem, data, tmp))?;
        written.push(png);
        let svg = dir.join(format!("{stem}.svg"));
        let text = render_sweep_svg(stem, data)?;
        write_through_temporary(&svg, |tmp| {
            std::fs::write(tmp, &text).with_context(|| format!("cannot write {}", tmp.display()))
        })?;
        written.push(svg);
    }
    Ok(written)
}

/// The canvas size in pixels of the sweep plot `stem` (heat-maps and small multiples grow with the
/// number of arms or parameters).
pub fn sweep_plot_size(stem: &str, data: &SweepPlotData) -> (u32, u32) {
    match stem {
        "sweep_heatmaps" => heatmap::heatmap_size(data),
        "sweep_effects" => scatter::effects_size(data),
        "morris" => morris::morris_size(data),
        _ => (1200, 900),
    }
}

/// Draws the sweep plot `stem` as an SVG document.
pub fn render_sweep_svg(stem: &str, data: &SweepPlotData) -> Result<String> {
    register_fonts()?;
    let mut svg = String::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, sweep_plot_size(stem, data)).into_drawing_area();
        draw_sweep_plot(stem, &root, data, false)?;
        root.present()
            .map_err(|e| anyhow!("drawing {stem}.svg: {e}"))?;
    }
    Ok(svg)
}

/// Draws the sweep plot `stem` into an RGB buffer (3 bytes a pixel, row by row); returns it with its size.
pub fn render_sweep_rgb(stem: &str, data: &SweepPlotData) -> Result<(Vec<u8>, (u32, u32))> {
    register_fonts()?;
    let size = sweep_plot_size(stem, data);
    let mut buf = vec![0u8; size.0 as usize * size.1 as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut buf, size).into_drawing_area();
        draw_sweep_plot(stem, &root, data, true)?;
        root.present().map_err(|e| anyhow!("drawing {stem}: {e}"))?;
    }
    Ok((buf, size))
}

fn write_png(stem: &str, data: &SweepPlotData, path: &Path) -> Result<()> {
    let root = BitMapBackend::new(path, sweep_plot_size(stem, data)).into_drawing_area();
    draw_sweep_plot(stem, &root, data, true)?;
    root.present()
        .map_err(|e| anyhow!("cannot write {}: {e}", path.display()))
}

fn draw_sweep_plot<DB: DrawingBackend>(
    stem: &str,
    area: &DrawingArea<DB, Shift>,
    data: &SweepPlotData,
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
        "sweep_outcome" => lines::draw_outcome_lines(&c, data),
        "sweep_heatmaps" => heatmap::draw_heatmaps(&c, data),
        "sweep_effects" => scatter::draw_effects(&c, data),
        "morris" => morris::draw_morris(&c, data),
        _ => bail!("no sweep plot is called {stem:?}"),
    };
    drawn.with_context(|| format!("drawing the {stem} plot"))
}
