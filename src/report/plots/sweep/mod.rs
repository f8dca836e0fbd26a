//! The plots of a parameter sweep, drawn from [`SweepPlotData`] alone (so a sweep folder is redrawn
//! without re-simulating), in the house style of the result-folder plots: pixel layout from measured
//! text, the bundled font, Okabe–Ito colours, byte-identical SVG for the same data.
//!
//! Which plots apply depends on the design: one parameter gives the outcome against it; a grid over
//! two gives heat-maps; more parameters, or a Latin hypercube, give one panel per parameter; a Morris
//! design gives the μ*/σ screening chart; a Sobol' design gives the S1 and ST bars.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use plotters::prelude::*;

use crate::report::sweep_plotdata::{DesignKind, SweepPlotData};

use super::canvas::Canvas;
use super::figure::{self, Figure};
use super::register_fonts;

mod colour;
mod example;
mod heatmap;
mod lines;
mod morris;
mod scatter;
mod shared;
mod sobol;
#[cfg(test)]
mod tests;

pub use example::example_sweep_data;

/// Every sweep plot: its file stem and a one-line title for the report.
const SWEEP_PLOTS: [(&str, &str); 5] = [
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
    (
        "sobol",
        "Sobol' indices: the share of the headline's variance each parameter explains, alone (S1) and with its interactions (ST)",
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
/// The file stems of every sweep plot any design can draw.
pub fn sweep_stems() -> impl Iterator<Item = &'static str> {
    SWEEP_PLOTS.iter().map(|(stem, _)| *stem)
}

/// One parameter (any design): `sweep_outcome`. A grid over two parameters: `sweep_heatmaps`. A grid
/// over more, or a Latin hypercube over two or more: `sweep_effects`. A Morris design: `morris`. A
/// Sobol' design: `sobol`.
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
        DesignKind::Sobol if n >= 1 => stems.push(entry("sobol")),
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
        written.extend(figure::write_png_and_svg(&SweepPlot { stem, data }, dir)?);
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
        "sobol" => sobol::sobol_size(data),
        _ => (1200, 900),
    }
}

/// Draws the sweep plot `stem` as an SVG document.
pub fn render_sweep_svg(stem: &str, data: &SweepPlotData) -> Result<String> {
    figure::svg(&SweepPlot { stem, data })
}

/// Draws the sweep plot `stem` into an RGB buffer (3 bytes a pixel, row by row); returns it with its size.
pub fn render_sweep_rgb(stem: &str, data: &SweepPlotData) -> Result<(Vec<u8>, (u32, u32))> {
    figure::rgb(&SweepPlot { stem, data })
}

/// One plot of a sweep.
struct SweepPlot<'a> {
    stem: &'a str,
    data: &'a SweepPlotData,
}

impl Figure for SweepPlot<'_> {
    fn size(&self) -> (u32, u32) {
        sweep_plot_size(self.stem, self.data)
    }

    fn name(&self) -> &str {
        self.stem
    }

    fn draw<DB: DrawingBackend>(&self, c: &Canvas<'_, DB>) -> Result<()> {
        let (stem, data) = (self.stem, self.data);
        let drawn = match stem {
            "sweep_outcome" => lines::draw_outcome_lines(c, data),
            "sweep_heatmaps" => heatmap::draw_heatmaps(c, data),
            "sweep_effects" => scatter::draw_effects(c, data),
            "morris" => morris::draw_morris(c, data),
            "sobol" => sobol::draw_sobol(c, data),
            _ => bail!("no sweep plot is called {stem:?}"),
        };
        drawn.with_context(|| format!("drawing the {stem} plot"))
    }
}
