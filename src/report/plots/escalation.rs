//! Plot 1, escalation over time: the rung distribution in each arm, day by day.

use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::report::plotdata::PlotData;

use super::axes::{TimeAxis, axes_box, x_axis};
use super::canvas::{Canvas, Rect, Scale, simplify};
use super::layout::{LegendItem, Swatch, frame, grid_cells, grid_shape, legend, panel_header};
use super::palette::{CRISIS_TINT, GRID, INK, arm_colour};
use super::text::{AXIS_LABEL, TICK, fmt_tick};

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

pub(super) fn draw_escalation<DB: DrawingBackend>(c: &Canvas<DB>, d: &PlotData) -> Result<()> {
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
        let colour = arm_colour(arm);
        panel_header(c, *cell, d, arm)?;
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
