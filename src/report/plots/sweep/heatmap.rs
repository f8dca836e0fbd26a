//! A grid over two parameters: one heat-map of the outcome per arm (a shared colour scale), then one
//! heat-map per other arm of the paired difference from the first (diverging colours centred on 0,
//! cells whose 95 % interval excludes 0 in bold and outlined).

use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::montecarlo::stats::Interval;
use crate::report::sweep_plotdata::SweepPlotData;

use super::super::canvas::{Canvas, Rect};
use super::super::palette::{INK, MUTED, arm_colour};
use super::super::text::{Font, PANEL_TITLE, font};
use super::colour::{BAR_COLUMN, ColourScale, colour_bar, ink_on};
use super::shared::{
    baseline_name, finite, fmt_value, horizon_phrase, level_decimals, level_index, levels_of,
    param_label, sweep_frame, titled, unit, value_decimals, y_title,
};

/// The most arms drawn (each gets a panel, and each but the first a difference panel).
const MAX_ARMS: usize = 8;
/// Panel header (arm name) height.
const HEADER: i32 = 34;
/// Room left of each map for the level labels of the y parameter.
const Y_TICKS: i32 = 70;
/// The level labels: larger than other plots' ticks, for the back of the room.
const LEVEL: Font = font(18.0);
/// Room below each map for the level labels and the x parameter's label.
const BELOW: i32 = 64;
/// The heading of each group of panels (outcome, difference).
const GROUP_HEAD: i32 = 40;
/// The column left of the panels for the y parameter's label.
const LEFT: i32 = 40;

struct Layout {
    shown: usize,
    cols: usize,
    arm_rows: usize,
    diff_rows: usize,
    panel_w: i32,
    map_h: i32,
    /// Two arms: both outcome panels and the difference panel in one row (a slide-shaped plot).
    side_by_side: bool,
}

impl Layout {
    fn of(d: &SweepPlotData) -> Self {
        let shown = d.arms.len().clamp(1, MAX_ARMS);
        let cols = shown.min(4);
        let side_by_side = shown == 2;
        let panel_w = match cols {
            1 => 760,
            2 if side_by_side => 540,
            2 => 580,
            3 => 500,
            _ => 430,
        };
        // Square maps in a single row (a slide), flatter ones when panels stack.
        let aspect = if side_by_side { 0.95 } else { 0.8 };
        let map_h = (f64::from(panel_w - Y_TICKS - 16) * aspect) as i32;
        Layout {
            shown,
            cols,
            arm_rows: shown.div_ceil(cols),
            diff_rows: (shown - 1).div_ceil(cols),
            panel_w,
            map_h,
            side_by_side,
        }
    }
    fn row_h(&self) -> i32 {
        HEADER + self.map_h + BELOW + 16
    }
}

pub(super) fn heatmap_size(d: &SweepPlotData) -> (u32, u32) {
    let l = Layout::of(d);
    if l.side_by_side {
        let w = 2 * super::shared::MARGIN + LEFT + 3 * l.panel_w + 2 * BAR_COLUMN + 10;
        let h = 124 + GROUP_HEAD + l.row_h() + 56;
        return (w as u32, h.max(700) as u32);
    }
    let w = 2 * super::shared::MARGIN + LEFT + l.cols as i32 * l.panel_w + BAR_COLUMN;
    let groups = 1 + i32::from(l.diff_rows > 0);
    let h = 124 + groups * GROUP_HEAD + (l.arm_rows + l.diff_rows) as i32 * l.row_h() + 56;
    (w.max(1200) as u32, h.max(700) as u32)
}

/// The cells of one panel: `grid[iy][ix]`, `None` where the design has no point.
fn cells(
    d: &SweepPlotData,
    lx: &[f64],
    ly: &[f64],
    arm: usize,
    diff: bool,
) -> Vec<Vec<Option<Interval>>> {
    let mut grid = vec![vec![None; lx.len()]; ly.len()];
    for p in &d.points {
        let (Some(vx), Some(vy)) = (p.values.first(), p.values.get(1)) else {
            continue;
        };
        let (Some(ix), Some(iy)) = (level_index(lx, *vx), level_index(ly, *vy)) else {
            continue;
        };
        let list = if diff { &p.diffs } else { &p.arms };
        if let Some(i) = list.get(arm) {
            grid[iy][ix] = Some(*i);
        }
    }
    grid
}

/// The largest font (at most 22 px, at least 10 px) at which every text fits a cell; `None` if none does.
fn cell_font(texts: &[String], cw: f64, ch: f64) -> Option<f64> {
    let widest = texts
        .iter()
        .max_by_key(|t| t.chars().count())
        .map_or("", String::as_str);
    let mut size = (ch * 0.45).min(22.0).floor();
    while size >= 10.0 {
        if f64::from(font(size).bold().width(widest)) <= cw - 6.0 {
            return Some(size);
        }
        size -= 1.0;
    }
    None
}

struct Panel<'a> {
    title: String,
    colour: RGBColor,
    grid: Vec<Vec<Option<Interval>>>,
    scale: ColourScale,
    decimals: usize,
    /// Difference panels: mark cells whose interval excludes 0.
    significance: bool,
    lx: &'a [f64],
    ly: &'a [f64],
}

/// Draws one heat-map panel with its header in the cell `r`.
fn draw_panel<DB: DrawingBackend>(
    c: &Canvas<DB>,
    r: Rect,
    p: &Panel,
    u: f64,
    text_size: Option<f64>,
) -> Result<()> {
    c.fill(
        Rect::new(r.x0, r.y0 + 7, r.x0 + 16, r.y0 + 23),
        p.colour.filled(),
    )?;
    c.text(
        &PANEL_TITLE.fit(&p.title, r.w() - 24),
        (r.x0 + 24, r.y0 + 15),
        PANEL_TITLE,
        HPos::Left,
        VPos::Center,
    )?;
    let map = Rect::new(r.x0 + Y_TICKS, r.y0 + HEADER, r.x1 - 16, r.y1 - BELOW - 16);
    let (nx, ny) = (p.lx.len().max(1), p.ly.len().max(1));
    let cw = f64::from(map.w()) / nx as f64;
    let ch = f64::from(map.h()) / ny as f64;
    let xs = |i: usize| (f64::from(map.x0) + i as f64 * cw).round() as i32;
    let ys = |i: usize| (f64::from(map.y1) - i as f64 * ch).round() as i32;
    for (iy, row) in p.grid.iter().enumerate() {
        for (ix, cell) in row.iter().enumerate() {
            let rect = Rect::new(xs(ix), ys(iy + 1), xs(ix + 1), ys(iy));
            let value = cell.map_or(f64::NAN, |i| i.value * u);
            let bg = p.scale.colour(value);
            c.fill(rect, bg.filled())?;
            c.outline(rect, WHITE.stroke_width(1))?;
            let significant =
                p.significance && cell.is_some_and(|i| finite(&i) && (i.lo > 0.0 || i.hi < 0.0));
            if significant {
                // A thinner mark in small cells, where a 2-pixel frame would swamp the colour.
                let (inset, width) = if rect.w().min(rect.h()) >= 30 {
                    (2, 2)
                } else {
                    (1, 1)
                };
                c.outline(
                    Rect::new(
                        rect.x0 + inset,
                        rect.y0 + inset,
                        rect.x1 - inset,
                        rect.y1 - inset,
                    ),
                    INK.stroke_width(width),
                )?;
            }
            let Some(size) = text_size else { continue };
            if cell.is_none() {
                continue;
            }
            let f: Font = if significant || !p.significance {
                font(size).bold().colour(ink_on(bg))
            } else {
                font(size).colour(ink_on(bg))
            };
            c.text(
                &fmt_value(value, p.decimals),
                (rect.cx(), rect.cy()),
                f,
                HPos::Center,
                VPos::Center,
            )?;
        }
    }
    // Level labels, thinned so they do not collide.
    let lx_dec = level_decimals(p.lx);
    let lx_text: Vec<String> = p.lx.iter().map(|v| fmt_value(*v, lx_dec)).collect();
    let widest = lx_text.iter().map(|t| LEVEL.width(t)).max().unwrap_or(0);
    let every_x = ((f64::from(widest + 10) / cw).ceil() as usize).max(1);
    for (i, t) in lx_text.iter().enumerate().filter(|(i, _)| i % every_x == 0) {
        let cx = (xs(i) + xs(i + 1)) / 2;
        c.text(t, (cx, map.y1 + 6), LEVEL, HPos::Center, VPos::Top)?;
    }
    let ly_dec = level_decimals(p.ly);
    let every_y = ((22.0 / ch).ceil() as usize).max(1);
    for (i, v) in p.ly.iter().enumerate().filter(|(i, _)| i % every_y == 0) {
        let cy = (ys(i) + ys(i + 1)) / 2;
        let t = LEVEL.fit(&fmt_value(*v, ly_dec), Y_TICKS - 12);
        c.text(&t, (map.x0 - 8, cy), LEVEL, HPos::Right, VPos::Center)?;
    }
    Ok(())
}

pub(super) fn draw_heatmaps<DB: DrawingBackend>(c: &Canvas<DB>, d: &SweepPlotData) -> Result<()> {
    let u = unit(d);
    let l = Layout::of(d);
    let (px, py) = (param_label(d, 0), param_label(d, 1));
    let horizon = horizon_phrase(d.horizon_days);
    let title = titled(&[&d.outcome.label, &horizon, "by", px, "and", py]);
    let path = |p: usize| d.parameters.get(p).map_or(String::new(), |p| p.caption());
    let more = if d.arms.len() > l.shown {
        format!(" · first {} of {} arms", l.shown, d.arms.len())
    } else {
        String::new()
    };
    let subtitle = format!(
        "Across: {px} ({}) · up: {py} ({}) · cells: estimate{} {}{more}",
        path(0),
        path(1),
        if d.outcome.proportion { " in %" } else { "" },
        match (d.arms.len() > 1, l.side_by_side) {
            (true, true) => {
                "· right: paired difference, bold and outlined where its 95 % interval excludes 0"
            }
            (true, false) => {
                "· lower panels: paired difference, bold and outlined where its 95 % interval excludes 0"
            }
            (false, _) => "",
        },
    );
    let body = sweep_frame(c, &title, &subtitle, d)?;
    let lx = levels_of(d, 0);
    let ly = levels_of(d, 1);
    if d.arms.is_empty() || d.points.is_empty() || lx.is_empty() || ly.is_empty() {
        return c.note(body, "No grid points to show.");
    }
    let arm_panels: Vec<Panel> = (0..l.shown)
        .map(|a| Panel {
            title: d.arms.get(a).cloned().unwrap_or_default(),
            colour: arm_colour(a),
            grid: cells(d, &lx, &ly, a, false),
            scale: ColourScale::Sequential { lo: 0.0, hi: 1.0 },
            decimals: 0,
            significance: false,
            lx: &lx,
            ly: &ly,
        })
        .collect();
    let diff_panels: Vec<Panel> = (1..l.shown)
        .map(|a| Panel {
            title: format!(
                "{} − {}",
                d.arms.get(a).map_or("", String::as_str),
                baseline_name(d)
            ),
            colour: arm_colour(a),
            grid: cells(d, &lx, &ly, a, true),
            scale: ColourScale::Diverging { max: 1.0 },
            decimals: 0,
            significance: true,
            lx: &lx,
            ly: &ly,
        })
        .collect();
    let values = |panels: &[Panel]| -> Vec<f64> {
        panels
            .iter()
            .flat_map(|p| p.grid.iter().flatten().flatten().map(|i| i.value * u.scale))
            .filter(|v| v.is_finite())
            .collect()
    };
    let arm_values = values(&arm_panels);
    let diff_values = values(&diff_panels);
    let (mut lo, mut hi) = arm_values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(*v), b.max(*v))
        });
    if !lo.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    if hi - lo < 1e-9 {
        (lo, hi) = (lo - 1.0, hi + 1.0);
    }
    let max_diff = diff_values.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let max_diff = if max_diff > 0.0 { max_diff } else { 1.0 };
    let groups: [(Vec<Panel>, ColourScale, String, String, &str); 2] = [
        (
            arm_panels,
            ColourScale::Sequential { lo, hi },
            format!("{} per arm", d.outcome.label),
            u.axis.to_string(),
            u.suffix,
        ),
        (
            diff_panels,
            ColourScale::Diverging { max: max_diff },
            if l.side_by_side {
                format!("Difference from “{}”", baseline_name(d))
            } else {
                format!(
                    "Paired difference from “{}” (arm − baseline)",
                    baseline_name(d)
                )
            },
            format!("change ({})", u.change),
            "",
        ),
    ];
    let grid_x0 = body.x0 + LEFT;
    let mut y = body.y0;
    let cw = f64::from(l.panel_w - Y_TICKS - 16) / lx.len() as f64;
    let ch = f64::from(l.map_h) / ly.len() as f64;
    for (g, (mut panels, scale, heading, bar_title, suffix)) in groups.into_iter().enumerate() {
        if panels.is_empty() {
            continue;
        }
        let decimals = value_decimals(if g == 0 { &arm_values } else { &diff_values });
        let texts: Vec<String> = panels
            .iter()
            .flat_map(|p| {
                p.grid
                    .iter()
                    .flatten()
                    .flatten()
                    .map(|i| fmt_value(i.value * u.scale, decimals))
            })
            .collect();
        let size = cell_font(&texts, cw, ch);
        // Side by side, the difference group starts right of the outcome group's colour bar.
        let shift = if l.side_by_side && g == 1 {
            2 * l.panel_w + BAR_COLUMN + 10
        } else {
            0
        };
        let gx = grid_x0 + shift;
        let heading_w = if l.side_by_side {
            if g == 0 {
                2 * l.panel_w
            } else {
                l.panel_w + BAR_COLUMN
            }
        } else {
            c.w - 2 * super::shared::MARGIN
        };
        let head_font = font(21.0).bold();
        c.text(
            &head_font.fit(&heading, heading_w),
            (if g == 0 { body.x0 } else { gx.max(body.x0) }, y + 16),
            head_font,
            HPos::Left,
            VPos::Center,
        )?;
        y += GROUP_HEAD;
        let rows = panels.len().div_ceil(l.cols);
        for (k, panel) in panels.iter_mut().enumerate() {
            panel.scale = scale;
            panel.decimals = decimals;
            let (row, col) = ((k / l.cols) as i32, (k % l.cols) as i32);
            let x0 = gx + col * l.panel_w;
            let y0 = y + row * l.row_h();
            let r = Rect::new(x0, y0, x0 + l.panel_w, y0 + l.row_h());
            draw_panel(c, r, panel, u.scale, size)?;
            let map_x = x0 + Y_TICKS + (l.panel_w - Y_TICKS - 16) / 2;
            c.text(
                &font(18.0).fit(px, l.panel_w - Y_TICKS - 16),
                (map_x, y0 + HEADER + l.map_h + 34),
                font(18.0),
                HPos::Center,
                VPos::Top,
            )?;
            if col == 0 {
                let x = if shift > 0 { gx - 20 } else { body.x0 + 10 };
                y_title(c, (x, y0 + HEADER + l.map_h / 2), py, l.map_h)?;
            }
        }
        let group_cols = if l.side_by_side && g == 1 {
            1
        } else {
            l.cols as i32
        };
        let bar_x = gx + group_cols * l.panel_w + 16;
        let advance = if l.side_by_side && g == 0 {
            -GROUP_HEAD
        } else {
            rows as i32 * l.row_h()
        };
        let bar_h = (rows as i32 * l.row_h() - BELOW - 16).min(420);
        let has_values = if g == 0 {
            !arm_values.is_empty()
        } else {
            !diff_values.is_empty()
        };
        if !has_values {
            y += advance;
            continue;
        }
        colour_bar(
            c,
            Rect::new(bar_x, y, bar_x + BAR_COLUMN - 20, y + bar_h),
            scale,
            &bar_title,
            suffix,
        )?;
        if g == 1 {
            let note = font(15.0).colour(MUTED);
            let lines = note.wrap(
                "bold, outlined: the 95 % interval of the difference excludes 0",
                BAR_COLUMN - 24,
                4,
            );
            for (i, line) in lines.iter().enumerate() {
                c.text(
                    line,
                    (bar_x, y + bar_h + 22 + 19 * i as i32),
                    note,
                    HPos::Left,
                    VPos::Center,
                )?;
            }
        }
        y += advance;
    }
    Ok(())
}
