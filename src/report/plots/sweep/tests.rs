//! Tests of the sweep plots: which plots apply, files written, determinism, and edge cases.

use super::example::example_grid;
use super::*;
use crate::montecarlo::stats::Interval;
use crate::report::sweep_plotdata::PointResult;

fn pixel_variety(buf: &[u8]) -> usize {
    let mut colours: Vec<[u8; 3]> = buf.chunks_exact(3).map(|p| [p[0], p[1], p[2]]).collect();
    colours.sort_unstable();
    colours.dedup();
    colours.len()
}

fn stems(d: &SweepPlotData) -> Vec<&'static str> {
    sweep_plot_stems(d).into_iter().map(|(s, _)| s).collect()
}

/// The four designs the plots are made for.
fn designs() -> Vec<(&'static str, SweepPlotData)> {
    vec![
        (
            "grid over one parameter",
            example_sweep_data(DesignKind::Grid, 1),
        ),
        (
            "grid over two parameters",
            example_sweep_data(DesignKind::Grid, 2),
        ),
        (
            "Latin hypercube over three parameters",
            example_sweep_data(DesignKind::LatinHypercube, 3),
        ),
        (
            "Morris over four parameters",
            example_sweep_data(DesignKind::Morris, 4),
        ),
        (
            "Sobol' over five parameters",
            example_sweep_data(DesignKind::Sobol, 5),
        ),
    ]
}

#[test]
fn the_design_decides_which_plots_apply() {
    let expect = |design, params, want: &[&str]| {
        assert_eq!(
            stems(&example_sweep_data(design, params)),
            want,
            "{design:?} over {params}"
        );
    };
    expect(DesignKind::Grid, 1, &["sweep_outcome"]);
    expect(DesignKind::Grid, 2, &["sweep_heatmaps"]);
    expect(DesignKind::Grid, 3, &["sweep_effects"]);
    expect(DesignKind::LatinHypercube, 1, &["sweep_outcome"]);
    expect(DesignKind::LatinHypercube, 2, &["sweep_effects"]);
    expect(DesignKind::LatinHypercube, 5, &["sweep_effects"]);
    expect(DesignKind::Morris, 1, &["sweep_outcome", "morris"]);
    expect(DesignKind::Morris, 6, &["morris"]);
    expect(DesignKind::Sobol, 1, &["sweep_outcome", "sobol"]);
    expect(DesignKind::Sobol, 6, &["sobol"]);
    expect(DesignKind::Grid, 0, &[]);
    for (stem, title) in SWEEP_PLOTS {
        assert!(!title.is_empty(), "{stem} has a title");
    }
}

#[test]
fn draw_sweep_writes_png_and_svg_naming_arms_and_parameters() {
    for (name, data) in designs() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let files = draw_sweep(&data, dir.path()).expect("draws");
        let applicable = sweep_plot_stems(&data);
        assert_eq!(files.len(), 2 * applicable.len(), "{name}");
        for (i, (stem, _)) in applicable.iter().enumerate() {
            assert_eq!(files[2 * i], dir.path().join(format!("{stem}.png")));
            assert_eq!(files[2 * i + 1], dir.path().join(format!("{stem}.svg")));
            let png = std::fs::read(&files[2 * i]).expect("the PNG exists");
            assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{name}: {stem}.png");
            assert!(
                png.len() > 20_000,
                "{name}: {stem}.png is more than a blank canvas"
            );
            let svg = std::fs::read_to_string(&files[2 * i + 1]).expect("the SVG exists");
            assert!(
                svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
                "{name}: {stem}.svg"
            );
            assert!(
                svg.contains("us_russia_2016") && svg.contains("seed 2016"),
                "{name}: {stem} footer"
            );
            if stem != &"morris" {
                for arm in &data.arms {
                    assert!(svg.contains(arm.as_str()), "{name}: {stem}.svg names {arm}");
                }
            }
            for p in &data.parameters {
                assert!(
                    svg.contains(p.label.as_str()),
                    "{name}: {stem}.svg names {}",
                    p.label
                );
            }
        }
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
        assert!(
            names.iter().all(|n| !n.starts_with('.')),
            "{name}: {names:?}"
        );
    }
}

#[test]
fn sweep_plots_render_with_many_colours_and_identical_svg() {
    for (name, data) in designs() {
        for (stem, _) in sweep_plot_stems(&data) {
            let (buf, (w, h)) = render_sweep_rgb(stem, &data).expect("renders");
            assert_eq!(buf.len(), (w * h * 3) as usize);
            assert!(pixel_variety(&buf) > 50, "{name}: {stem} has colours");
            assert_eq!(
                render_sweep_svg(stem, &data).expect("draws"),
                render_sweep_svg(stem, &data).expect("draws"),
                "{name}: {stem} is byte-identical"
            );
        }
    }
}

#[test]
fn titles_say_what_is_shown() {
    let svg = render_sweep_svg("sweep_heatmaps", &example_sweep_data(DesignKind::Grid, 2))
        .expect("draws");
    assert!(svg.contains("P(crisis) over 5 years by attribution skill and hotline reliability"));
    let svg =
        render_sweep_svg("sweep_outcome", &example_sweep_data(DesignKind::Grid, 1)).expect("draws");
    assert!(svg.contains("P(crisis) over 5 years by attribution skill"));
    assert!(
        svg.contains("states[*].attribution.skill"),
        "the parameter's path"
    );
    assert!(svg.contains("2,000 replicates per point"));
    assert!(render_sweep_svg("pie_chart", &example_sweep_data(DesignKind::Grid, 1)).is_err());
}

/// Adds arms until there are `n`, each a little better than the last (outcomes and differences).
fn with_arms(mut d: SweepPlotData, n: usize) -> SweepPlotData {
    for k in d.arms.len()..n {
        d.arms.push(format!("variant {k}"));
        for p in &mut d.points {
            let base = p.arms[0];
            let f = 1.0 - 0.08 * k as f64;
            let arm = Interval {
                value: base.value * f,
                lo: base.lo * f,
                hi: base.hi * f,
            };
            let diff = arm.value - base.value;
            p.arms.push(arm);
            p.diffs.push(Interval {
                value: diff,
                lo: diff - 0.01,
                hi: diff + 0.01,
            });
        }
    }
    d
}

fn one_arm(mut d: SweepPlotData) -> SweepPlotData {
    d.arms.truncate(1);
    for p in &mut d.points {
        p.arms.truncate(1);
        p.diffs.truncate(1);
    }
    d.morris.truncate(1);
    d.sobol.truncate(1);
    d
}

fn nan_intervals(mut d: SweepPlotData) -> SweepPlotData {
    let nan = Interval {
        value: f64::NAN,
        lo: f64::NAN,
        hi: f64::NAN,
    };
    for p in &mut d.points {
        p.replicates = 0;
        p.arms
            .iter_mut()
            .chain(p.diffs.iter_mut())
            .for_each(|i| *i = nan);
    }
    for t in &mut d.morris {
        for e in &mut t.effects {
            (e.mu, e.mu_star, e.sigma) = (f64::NAN, f64::NAN, f64::NAN);
        }
    }
    for t in &mut d.sobol {
        (t.variance, t.noise_variance) = (f64::NAN, f64::NAN);
        for e in &mut t.effects {
            (e.first, e.total) = (nan, nan);
        }
    }
    d
}

fn edge_cases() -> Vec<(String, SweepPlotData)> {
    let mut cases: Vec<(String, SweepPlotData)> = Vec::new();
    for (name, base) in designs() {
        let mut single = base.clone();
        single.points.truncate(1);
        cases.push((format!("{name}, a single point"), single));
        cases.push((
            format!("{name}, zero replicates"),
            nan_intervals(base.clone()),
        ));
        cases.push((format!("{name}, one arm"), one_arm(base.clone())));
        cases.push((format!("{name}, eight arms"), with_arms(base.clone(), 8)));
        let mut flat = base.clone();
        let p0 = &mut flat.parameters[0];
        p0.max = p0.min;
        p0.levels = vec![p0.min];
        let v = p0.min;
        flat.points.iter_mut().for_each(|p| p.values[0] = v);
        cases.push((format!("{name}, min = max"), flat));
        let mut long = base.clone();
        for p in &mut long.parameters {
            p.label = format!(
                "{} of the state that is least able to tell who attacked it",
                p.label
            );
            p.paths = vec![format!(
                "{}.and.a.very.long.path.into.the.scenario.file",
                p.caption()
            )];
        }
        long.arms = long
            .arms
            .iter()
            .map(|a| format!("{a}, a very long descriptive arm name that goes on"))
            .collect();
        long.outcome.label = "P(crisis or worse, counted at the first day of any crisis)".into();
        long.name = "a sweep with a long name ".repeat(6);
        cases.push((format!("{name}, long labels"), long));
        let mut mean = base.clone();
        mean.outcome.proportion = false;
        mean.outcome.label = "incidents per run".into();
        mean.horizon_days = 90;
        cases.push((format!("{name}, a mean outcome"), mean));
        let mut empty = base;
        empty.points.clear();
        empty.morris.clear();
        empty.sobol.clear();
        cases.push((format!("{name}, no points"), empty));
    }
    cases.push(("grid of 12 × 12".into(), example_grid(2, &[12, 12])));
    cases.push((
        "grid of 12 × 12, eight arms".into(),
        with_arms(example_grid(2, &[12, 12]), 8),
    ));
    let mut signs = example_sweep_data(DesignKind::Grid, 2);
    for (i, p) in signs.points.iter_mut().enumerate() {
        let v = if i % 3 == 0 {
            0.05
        } else if i % 3 == 1 {
            -0.08
        } else {
            0.004
        };
        p.diffs[1] = Interval {
            value: v,
            lo: v - 0.01,
            hi: v + 0.01,
        };
    }
    cases.push(("negative and positive differences".into(), signs));
    cases.push((
        "Morris over ten parameters".into(),
        example_sweep_data(DesignKind::Morris, 10),
    ));
    cases.push((
        "Sobol' over ten parameters".into(),
        example_sweep_data(DesignKind::Sobol, 10),
    ));
    cases.push((
        "Latin hypercube over twelve parameters".into(),
        example_sweep_data(DesignKind::LatinHypercube, 12),
    ));
    cases.push((
        "grid over five parameters".into(),
        example_sweep_data(DesignKind::Grid, 5),
    ));
    let mut gap = example_sweep_data(DesignKind::Grid, 2);
    gap.points.retain(|p: &PointResult| p.index % 4 != 1);
    cases.push(("grid with missing cells".into(), gap));
    cases
}

#[test]
fn edge_cases_draw_without_panicking() {
    let all = [
        "sweep_outcome",
        "sweep_heatmaps",
        "sweep_effects",
        "morris",
        "sobol",
    ];
    for (name, data) in edge_cases() {
        // Every plot, even one that does not apply, draws something rather than panicking.
        for stem in all {
            render_sweep_svg(stem, &data).unwrap_or_else(|e| panic!("{stem} for {name}: {e:#}"));
        }
        for (stem, _) in sweep_plot_stems(&data) {
            let (buf, _) = render_sweep_rgb(stem, &data)
                .unwrap_or_else(|e| panic!("{stem} for {name}: {e:#}"));
            assert!(
                pixel_variety(&buf) > 2,
                "{stem} for {name} shows at least its title"
            );
        }
    }
}

#[test]
fn heatmap_marks_cells_whose_interval_excludes_zero() {
    let data = example_sweep_data(DesignKind::Grid, 2);
    let svg = render_sweep_svg("sweep_heatmaps", &data).expect("draws");
    assert!(svg.contains("bold, outlined"), "the marking is explained");
    assert!(svg.contains("with channels − without channels"));
}

#[test]
fn morris_ranks_every_parameter() {
    let data = example_sweep_data(DesignKind::Morris, 10);
    let svg = render_sweep_svg("morris", &data).expect("draws");
    for p in &data.parameters {
        assert!(
            svg.contains(p.label.as_str()),
            "the ranking names {}",
            p.label
        );
    }
    assert!(svg.contains("Parameters ranked by μ*"));
}

#[test]
fn sobol_bars_name_every_parameter_and_say_which_are_indistinguishable_from_zero() {
    let data = example_sweep_data(DesignKind::Sobol, 6);
    let svg = render_sweep_svg("sobol", &data).expect("draws");
    for p in &data.parameters {
        assert!(svg.contains(p.label.as_str()), "the bars name {}", p.label);
    }
    // The last example parameter's ST interval includes 0: written ≈ 0, not as a small number.
    assert!(svg.contains("ST ≈ 0"), "an index whose interval includes 0");
    assert!(svg.contains("ST 0.61"), "the leading parameter's ST");
    assert!(svg.contains("ST ≥ S1"), "the subtitle explains S1 ≤ ST");
    assert!(
        svg.contains("Monte Carlo noise share"),
        "the noise line is in the legend"
    );
    assert!(svg.contains("change in P(crisis): with channels − without channels"));
}

/// The example sweeps and every edge case are written as a PNG and an SVG per applicable plot,
/// each of the plot's size. The files go to a temporary folder, or to `SWEEP_PLOTS_CHECK_DIR` for a
/// person to look at:
/// `SWEEP_PLOTS_CHECK_DIR=/tmp/sweepplots-look cargo test --release --lib every_sweep_case_is_written`.
#[test]
fn every_sweep_case_is_written_as_png_and_svg_of_its_size() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let dir =
        std::env::var_os("SWEEP_PLOTS_CHECK_DIR").map_or(tmp.path().to_path_buf(), Into::into);
    let mut plots = 0;
    for (name, data) in designs()
        .into_iter()
        .map(|(n, d)| (n.to_string(), d))
        .chain(edge_cases())
    {
        let sub = dir.join(name.replace([' ', ',', '×', '='], "_"));
        let files = draw_sweep(&data, &sub).unwrap_or_else(|e| panic!("{name}: {e:#}"));
        let stems = stems(&data);
        assert_eq!(files.len(), 2 * stems.len(), "{name}");
        for stem in stems {
            let (w, h) = sweep_plot_size(stem, &data);
            let png = std::fs::read(sub.join(format!("{stem}.png"))).expect("the PNG");
            assert_eq!(
                crate::report::plots::tests::png_size(&png),
                (w, h),
                "{name}: {stem}.png"
            );
            let svg = std::fs::read_to_string(sub.join(format!("{stem}.svg"))).expect("the SVG");
            assert!(
                svg.contains(&format!("width=\"{w}\"")) && svg.contains(&format!("height=\"{h}\"")),
                "{name}: {stem}.svg is {w}×{h}"
            );
            plots += 1;
        }
    }
    assert!(plots >= 5, "every design draws something ({plots} plots)");
}

#[test]
fn shared_helpers_format_ranges_levels_and_horizons() {
    use super::shared::{
        fmt_value, horizon_phrase, level_decimals, level_index, value_decimals, value_range,
    };
    assert_eq!(horizon_phrase(1826), "over 5 years");
    assert_eq!(horizon_phrase(90), "over 90 days");
    assert_eq!(horizon_phrase(0), "");
    assert_eq!(fmt_value(-0.01, 1), "0.0");
    assert_eq!(fmt_value(-12.0, 0), "−12");
    assert_eq!(level_index(&[0.0, 0.5, 1.0], 0.5 + 1e-12), Some(1));
    assert_eq!(level_index(&[0.0, 0.5, 1.0], 0.7), None);
    assert_eq!(level_decimals(&[0.0, 0.25, 0.5]), 2);
    assert_eq!(level_decimals(&[2.0, 13.0, 24.0]), 0);
    assert_eq!(value_decimals(&[0.42]), 2);
    assert_eq!(value_decimals(&[-54.0, 3.0]), 0);
    let (lo, hi, step) = value_range(&[-59.6, -3.0], true, 5);
    assert!(
        lo < -59.6 && lo > -65.0 && hi == 0.0 && step > 0.0,
        "{lo} {hi} {step}"
    );
    let (lo, hi, _) = value_range(&[f64::NAN], true, 5);
    assert!(lo < hi, "no finite values still give a usable range");
    let (lo, hi, _) = value_range(&[0.3, 0.3], false, 5);
    assert!(lo < 0.3 && hi > 0.3, "a single value is padded");
}

#[test]
fn probability_axes_start_at_zero_and_no_text_overlaps() {
    let mut probability_axes = 0;
    for (name, data) in designs() {
        for stem in stems(&data) {
            let (svg, log) =
                super::super::figure::svg_logged(&SweepPlot { stem, data: &data }).expect("draws");
            for axis in log.axes.iter().filter(|a| a.probability) {
                probability_axes += 1;
                assert!(
                    axis.from == 0.0 || axis.broken,
                    "{stem} ({name}): a probability axis starts at {}",
                    axis.from
                );
            }
            let placed = super::super::inspect::texts(&svg);
            let clashes = super::super::inspect::overlaps(&placed, 1);
            assert!(clashes.is_empty(), "{stem} ({name}): {clashes:#?}");
        }
    }
    assert!(probability_axes > 0, "some sweep plot shows a probability");
}
