//! The plots of a result folder, drawn from [`PlotData`] alone: PNG for slides, SVG for papers.
//!
//! Every plot is drawn by one function over any plotters backend, in pixel coordinates on a fixed
//! canvas, with the bundled DejaVu Sans (no system fonts) and the Okabe–Ito palette. Layout is computed
//! from measured text, so long names are shortened with an ellipsis instead of overlapping. Nothing
//! depends on the clock or on hash-map order: the same `PlotData` gives byte-identical SVG.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use plotters::prelude::*;

use super::plotdata::PlotData;

mod attribution;
mod axes;
mod calibration;
mod canvas;
mod demo_timeline;
mod discovery;
mod escalation;
mod example;
mod figure;
mod font;
mod highest_rung;
#[cfg(test)]
mod inspect;
mod layout;
mod outcomes;
mod palette;
mod survival;
mod sweep;
mod text;
mod triggers;

use attribution::draw_attribution;
use canvas::Canvas;
use escalation::draw_escalation;
use figure::Figure;
use highest_rung::draw_highest_rung;
use outcomes::{MAX_METRICS, draw_outcomes};
use survival::draw_survival;
use triggers::draw_triggers;

pub use axes::DAYS_PER_YEAR;
pub use calibration::{CalibrationPlotData, CheckRow, MarginalPanel, draw_calibration};
#[cfg(feature = "gif")]
pub use demo_timeline::demo_gif;
pub use demo_timeline::{DEMO_SIZE, DemoPicture, DemoTrack, demo_png, demo_svg};
pub use example::example_plot_data;
pub use font::register_fonts;
pub use sweep::{
    draw_sweep, example_sweep_data, render_sweep_rgb, render_sweep_svg, sweep_plot_size,
    sweep_plot_stems, sweep_stems,
};

/// Draws the figure of `escalate discover` as `dir/discovery.png` and `dir/discovery.svg`.
pub fn draw_discovery(d: &crate::report::discovery::Discovery, dir: &Path) -> Result<[PathBuf; 2]> {
    figure::write_png_and_svg(&discovery::DiscoveryFigure(d), dir)
}

/// The plot file stems, in order, with a one-line title each (for the report).
pub const PLOTS: &[(&str, &str)] = &[
    (
        "escalation_over_time",
        "Escalation over time: the current rung in each arm",
    ),
    (
        "survival",
        "How soon runs reach a crisis and kinetic conflict",
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

/// Draws every plot as PNG and SVG into `dir`; returns the files written, in a fixed order.
///
/// Each file is written through a temporary sibling and a rename, so a reader never sees half a plot.
pub fn draw_all(data: &PlotData, dir: &Path) -> Result<Vec<PathBuf>> {
    draw_all_checked(data, dir, &|| Ok(()))
}

/// As [`draw_all`], calling `check` before each plot and stopping with its error (e.g. when the
/// run is interrupted: each file is written whole or not at all).
pub fn draw_all_checked(
    data: &PlotData,
    dir: &Path,
    check: &dyn Fn() -> Result<()>,
) -> Result<Vec<PathBuf>> {
    register_fonts()?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut written = Vec::with_capacity(2 * PLOTS.len());
    for (stem, _) in PLOTS {
        check()?;
        written.extend(figure::write_png_and_svg(&ResultPlot { stem, data }, dir)?);
    }
    Ok(written)
}

/// The canvas size in pixels of the plot `stem` (the outcome grid grows with the number of metrics,
/// the attribution grid with the number of arms).
pub fn plot_size(stem: &str, data: &PlotData) -> (u32, u32) {
    match stem {
        "outcomes" => {
            let rows = data.metrics.len().clamp(1, MAX_METRICS) as u32;
            (1200, (250 + rows * 100).max(800))
        }
        // Two rows of matrices fit 800 pixels; a third row (seven to nine arms) adds one row's height.
        "attribution" => {
            let shown = data.arms.len().min(attribution::MAX_MATRICES);
            let rows = layout::grid_shape(shown).0 as u32;
            (1200, 800 + rows.saturating_sub(2) * 330)
        }
        _ => (1200, 800),
    }
}

/// Draws the plot `stem` as an SVG document.
pub fn render_svg(stem: &str, data: &PlotData) -> Result<String> {
    figure::svg(&ResultPlot { stem, data })
}

/// Draws the plot `stem` into an RGB buffer (3 bytes a pixel, row by row); returns it with its size.
pub fn render_rgb(stem: &str, data: &PlotData) -> Result<(Vec<u8>, (u32, u32))> {
    figure::rgb(&ResultPlot { stem, data })
}

/// One plot of a result folder.
struct ResultPlot<'a> {
    stem: &'a str,
    data: &'a PlotData,
}

impl Figure for ResultPlot<'_> {
    fn size(&self) -> (u32, u32) {
        plot_size(self.stem, self.data)
    }

    fn name(&self) -> &str {
        self.stem
    }

    fn draw<DB: DrawingBackend>(&self, c: &Canvas<'_, DB>) -> Result<()> {
        let (stem, data) = (self.stem, self.data);
        let drawn = match stem {
            "escalation_over_time" => draw_escalation(c, data),
            "survival" => draw_survival(c, data),
            "highest_rung" => draw_highest_rung(c, data),
            "outcomes" => draw_outcomes(c, data),
            "attribution" => draw_attribution(c, data),
            "triggers" => draw_triggers(c, data),
            _ => bail!("no plot is called {stem:?}"),
        };
        drawn.with_context(|| format!("drawing the {stem} plot"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::montecarlo::stats::Interval;

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
            parameter_uncertainty: false,
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

    fn logged(stem: &str, data: &PlotData) -> (String, canvas::DrawLog) {
        figure::svg_logged(&ResultPlot { stem, data }).expect("draws")
    }

    #[test]
    fn no_text_overlaps_or_leaves_the_canvas_in_any_plot() {
        let base = example_plot_data();
        let cases = edge_cases();
        let long = cases
            .iter()
            .find(|(n, _)| *n == "long names")
            .map(|(_, d)| d.clone())
            .expect("the long-names case");
        let one = cases
            .iter()
            .find(|(n, _)| *n == "one arm")
            .map(|(_, d)| d.clone())
            .expect("the one-arm case");
        for (name, data) in [("example", base), ("long names", long), ("one arm", one)] {
            for (stem, _) in PLOTS {
                let (svg, _) = logged(stem, &data);
                let placed = inspect::texts(&svg);
                assert!(placed.len() > 5, "{stem} ({name}) has text");
                let clashes = inspect::overlaps(&placed, 1);
                assert!(clashes.is_empty(), "{stem} ({name}): {clashes:#?}");
                let out = inspect::outside(&placed, plot_size(stem, &data));
                assert!(out.is_empty(), "{stem} ({name}): {out:#?}");
            }
        }
    }

    #[test]
    fn probability_axes_start_at_zero_unless_marked_broken() {
        let data = example_plot_data();
        let mut probability_axes = 0;
        for (stem, _) in PLOTS {
            let (_, log) = logged(stem, &data);
            for axis in &log.axes {
                if axis.probability {
                    probability_axes += 1;
                    assert!(
                        axis.from == 0.0 || axis.broken,
                        "{stem}: a probability axis starts at {} without a marked break",
                        axis.from
                    );
                }
            }
        }
        // Survival (2), escalation (one per arm), highest rung (2), outcomes (2 proportions).
        assert!(
            probability_axes >= 6 + data.arms.len(),
            "{probability_axes}"
        );
    }

    #[test]
    fn legends_list_only_the_series_present() {
        let mut data = example_plot_data();
        let mercenary = data
            .triggers
            .iter()
            .position(|t| t == "mercenary")
            .expect("a mercenary trigger");
        for arm in &mut data.responses_by_trigger {
            arm[mercenary] = 0;
        }
        let top = data.rungs.len() - 1;
        for arm in &mut data.timeline {
            for day in arm.iter_mut() {
                day[top - 1] += day[top];
                day[top] = 0;
            }
        }
        let (_, log) = logged("triggers", &data);
        let keys = log.legends.concat();
        assert!(!keys.iter().any(|k| k == "mercenary"), "{keys:?}");
        assert!(keys.iter().any(|k| k == "false flag"), "{keys:?}");
        let (_, log) = logged("escalation_over_time", &data);
        let keys = log.legends.concat();
        assert!(!keys.contains(&data.rungs[top]), "{keys:?}");
        assert!(keys.contains(&data.rungs[0]), "{keys:?}");
        for stem in ["survival", "highest_rung", "outcomes"] {
            let (_, log) = logged(stem, &data);
            let keys = log.legends.concat();
            for arm in &data.arms {
                assert!(
                    keys.iter().any(|k| k.starts_with(arm.as_str())),
                    "{stem}: {arm}"
                );
            }
        }
    }

    /// Width and height of a PNG file (from its IHDR chunk).
    pub(crate) fn png_size(png: &[u8]) -> (u32, u32) {
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG signature");
        let be = |at: usize| u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]);
        (be(16), be(20))
    }

    /// The example and every edge case are written as a PNG and an SVG per plot, each of the plot's
    /// size. The files go to a temporary folder, or to `PLOTS_CHECK_DIR` for a person to look at:
    /// `PLOTS_CHECK_DIR=/tmp/plots-check cargo test --release --lib every_case_is_written`.
    #[test]
    fn every_case_is_written_as_png_and_svg_of_its_size() {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let dir = std::env::var_os("PLOTS_CHECK_DIR").map_or(tmp.path().to_path_buf(), Into::into);
        let cases = std::iter::once(("example".to_string(), example_plot_data()))
            .chain(edge_cases().into_iter().map(|(n, d)| (n.to_string(), d)));
        for (name, data) in cases {
            let sub = dir.join(name.replace(' ', "_"));
            let files = draw_all(&data, &sub).unwrap_or_else(|e| panic!("{name}: {e:#}"));
            assert_eq!(files.len(), 2 * PLOTS.len(), "{name}");
            for (stem, _) in PLOTS {
                let (w, h) = plot_size(stem, &data);
                let png = std::fs::read(sub.join(format!("{stem}.png"))).expect("the PNG");
                assert_eq!(png_size(&png), (w, h), "{name}: {stem}.png");
                let svg =
                    std::fs::read_to_string(sub.join(format!("{stem}.svg"))).expect("the SVG");
                assert!(
                    svg.contains(&format!("width=\"{w}\""))
                        && svg.contains(&format!("height=\"{h}\"")),
                    "{name}: {stem}.svg is {w}×{h}"
                );
            }
        }
    }
}
