//! Synthetic sweep results, for tests and for looking at the sweep plots without running a sweep:
//! P(crisis) falls with attribution skill, and the channels' effect grows with hotline reliability.

use crate::montecarlo::stats::Interval;
use crate::report::sweep_plotdata::{
    DesignKind, MorrisTarget, OutcomeInfo, ParamInfo, PointResult, SobolEffect, SobolTarget,
    SweepPlotData,
};

/// (label, scenario path, min, max) of the example parameters, in the order they are swept.
const PARAMS: [(&str, &str, f64, f64); 10] = [
    (
        "attribution skill",
        "states[*].attribution.skill",
        0.3,
        0.95,
    ),
    (
        "hotline reliability",
        "channels.hotline.reliability",
        0.0,
        1.0,
    ),
    (
        "operations per year",
        "states[*].operations.per_year",
        2.0,
        24.0,
    ),
    (
        "retaliation threshold",
        "states[*].response.threshold",
        0.2,
        0.8,
    ),
    ("CERT sharing delay", "channels.cert.delay_days", 1.0, 30.0),
    ("false-flag share", "operations.false_flag_share", 0.0, 0.3),
    (
        "dialogue rounds per year",
        "channels.dialogue.per_year",
        0.0,
        12.0,
    ),
    (
        "pledge credibility",
        "channels.pledge.credibility",
        0.0,
        1.0,
    ),
    ("domestic pressure", "states[*].politics.pressure", 0.0, 1.0),
    ("proxy share", "operations.proxy_share", 0.0, 0.6),
];
const ARMS: [&str; 2] = ["without channels", "with channels"];
const REPLICATES: u64 = 2000;

/// A 64-bit linear congruential generator: deterministic noise, good enough for a picture.
struct Lcg(u64);

impl Lcg {
    fn next_f64(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        ((self.next_f64() * n as f64) as usize).min(n.saturating_sub(1))
    }
}

fn param(k: usize, levels: Vec<f64>) -> ParamInfo {
    let (label, paths, min, max) = PARAMS.get(k).map_or_else(
        || {
            (
                format!("parameter {k}"),
                vec![format!("extra.parameter_{k}")],
                0.0,
                1.0,
            )
        },
        |p| (p.0.to_string(), vec![p.1.to_string()], p.2, p.3),
    );
    ParamInfo {
        label,
        paths,
        min,
        max,
        levels,
    }
}

/// P(crisis) without and with channels, at parameters scaled to [0, 1] (missing ones at 0.5).
fn model(u: &[f64]) -> (f64, f64) {
    let at = |k: usize| u.get(k).copied().unwrap_or(0.5);
    let logit = -0.2 - 2.6 * at(0) + 1.5 * at(2) - 1.1 * at(3)
        + 0.9 * at(5)
        + 0.6 * at(8)
        + 0.15 * at(9)
        + 1.4 * at(2) * at(5)
        - 0.5 * (2.0 * at(4) - 1.0).powi(2);
    let p0 = 1.0 / (1.0 + (-logit).exp());
    let relief = (0.08 + 0.6 * at(1) + 0.12 * at(6) + 0.08 * at(7) - 0.15 * at(4)
        + 0.15 * at(1) * at(0))
    .clamp(0.0, 0.95);
    (p0, p0 * (1.0 - relief))
}

/// A design point: estimates with Monte Carlo-like noise and 95 % intervals.
fn point(index: usize, values: Vec<f64>, d: &[ParamInfo], rng: &mut Lcg) -> PointResult {
    let u: Vec<f64> = values
        .iter()
        .zip(d)
        .map(|(v, p)| {
            if p.max > p.min {
                (v - p.min) / (p.max - p.min)
            } else {
                0.5
            }
        })
        .collect();
    let (p0, p1) = model(&u);
    let n = REPLICATES as f64;
    let se = |p: f64| (p * (1.0 - p) / n).sqrt();
    let mut noisy = |p: f64| (p + se(p) * (rng.next_f64() * 2.0 - 1.0)).clamp(0.0, 1.0);
    let (e0, e1) = (noisy(p0), noisy(p1));
    let arm = |e: f64| Interval {
        value: e,
        lo: (e - 1.96 * se(e)).max(0.0),
        hi: (e + 1.96 * se(e)).min(1.0),
    };
    let diff = e1 - e0;
    // Paired replicates share their random streams: the difference is tighter than independent arms.
    let sd = (se(e0).powi(2) + se(e1).powi(2) - se(e0) * se(e1))
        .max(0.0)
        .sqrt();
    PointResult {
        index,
        values,
        replicates: REPLICATES,
        arms: vec![arm(e0), arm(e1)],
        diffs: vec![
            Interval {
                value: 0.0,
                lo: 0.0,
                hi: 0.0,
            },
            Interval {
                value: diff,
                lo: diff - 1.96 * sd,
                hi: diff + 1.96 * sd,
            },
        ],
    }
}

fn spaced(p: &ParamInfo, n: usize) -> Vec<f64> {
    if n <= 1 {
        return vec![p.min];
    }
    (0..n)
        .map(|i| p.min + (p.max - p.min) * i as f64 / (n - 1) as f64)
        .collect()
}

/// A full factorial grid over `params` parameters with `levels` levels each (the last varies fastest).
pub(super) fn example_grid(params: usize, levels: &[usize]) -> SweepPlotData {
    let infos: Vec<ParamInfo> = (0..params)
        .map(|k| {
            let shell = param(k, Vec::new());
            let n = levels.get(k).copied().unwrap_or(3).max(1);
            param(k, spaced(&shell, n))
        })
        .collect();
    let mut rng = Lcg(2016);
    let total: usize = infos.iter().map(|p| p.levels.len()).product();
    let points = (0..total)
        .map(|index| {
            let mut rest = index;
            let mut values = vec![0.0; params];
            for k in (0..params).rev() {
                let n = infos[k].levels.len();
                values[k] = infos[k].levels[rest % n];
                rest /= n;
            }
            point(index, values, &infos, &mut rng)
        })
        .collect();
    let name = if params == 2 {
        "attribution_x_hotline"
    } else {
        "channel_value_grid"
    };
    assemble(name, DesignKind::Grid, infos, points, Vec::new())
}

fn assemble(
    name: &str,
    design: DesignKind,
    parameters: Vec<ParamInfo>,
    points: Vec<PointResult>,
    morris: Vec<MorrisTarget>,
) -> SweepPlotData {
    SweepPlotData {
        name: name.into(),
        scenario: "us_russia_2016".into(),
        seed: 2016,
        design,
        parameters,
        arms: ARMS.iter().map(|a| a.to_string()).collect(),
        outcome: OutcomeInfo {
            key: "crisis".into(),
            label: "P(crisis)".into(),
            proportion: true,
        },
        horizon_days: 1826,
        points,
        morris,
        sobol: Vec::new(),
    }
}

/// Synthetic but plausible sweep results over the first `params` example parameters (attribution
/// skill, hotline reliability, operations per year, …), deterministic, for tests and for looking at
/// the plots: P(crisis) falls with attribution skill, and the channels help more as the hotline
/// becomes reliable.
#[doc(hidden)]
pub fn example_sweep_data(design: DesignKind, params: usize) -> SweepPlotData {
    match design {
        DesignKind::Grid => {
            let levels: Vec<usize> = match params {
                1 => vec![9],
                2 => vec![6, 5],
                3 | 4 => vec![3; params],
                _ => vec![2; params],
            };
            example_grid(params, &levels)
        }
        DesignKind::LatinHypercube => {
            let infos: Vec<ParamInfo> = (0..params).map(|k| param(k, Vec::new())).collect();
            let n = (12 * params).max(30);
            let mut rng = Lcg(1983);
            let columns: Vec<Vec<usize>> = infos
                .iter()
                .map(|_| {
                    let mut perm: Vec<usize> = (0..n).collect();
                    for i in (1..n).rev() {
                        perm.swap(i, rng.below(i + 1));
                    }
                    perm
                })
                .collect();
            let points = (0..n)
                .map(|i| {
                    let values = infos
                        .iter()
                        .zip(&columns)
                        .map(|(p, col)| p.min + (p.max - p.min) * (col[i] as f64 + 0.5) / n as f64)
                        .collect();
                    point(i, values, &infos, &mut rng)
                })
                .collect();
            assemble("channel_value_lhs", design, infos, points, Vec::new())
        }
        DesignKind::Morris => example_morris(params),
        DesignKind::Sobol => example_sobol(params),
    }
}

/// A Saltelli design's worth of points (N = 16 rows) with indices written down, not estimated (the
/// estimator belongs to the sweep): the first parameter dominates, the second acts mostly through
/// interactions, the last does nothing (its interval includes 0), one sits within the noise.
fn example_sobol(params: usize) -> SweepPlotData {
    let infos: Vec<ParamInfo> = (0..params).map(|k| param(k, Vec::new())).collect();
    let rows = 16;
    let mut rng = Lcg(1951);
    let points = (0..rows * (params + 2))
        .map(|i| {
            let values = infos
                .iter()
                .map(|p| p.min + (p.max - p.min) * rng.next_f64())
                .collect();
            point(i, values, &infos, &mut rng)
        })
        .collect();
    let interval = |value: f64, half: f64| Interval {
        value,
        lo: value - half,
        hi: value + half,
    };
    let effects = |scale: f64| -> Vec<SobolEffect> {
        (0..params)
            .map(|k| {
                let (s1, st) = match k {
                    _ if k + 1 == params && params > 1 => (0.004, 0.006),
                    0 => (0.48, 0.61),
                    1 => (0.08, 0.27),
                    2 => (0.012, 0.03),
                    _ => (0.1 / k as f64, 0.16 / k as f64),
                };
                SobolEffect {
                    param: k,
                    first: interval(s1 * scale, 0.06),
                    total: interval(st * scale, if st < 0.01 { 0.01 } else { 0.05 }),
                }
            })
            .collect()
    };
    let mut data = assemble(
        "channel_value_sobol",
        DesignKind::Sobol,
        infos,
        points,
        Vec::new(),
    );
    data.sobol = vec![
        SobolTarget {
            label: format!("{} — {}", data.outcome.label, ARMS[0]),
            key: data.outcome.key.clone(),
            arm: ARMS[0].into(),
            variance: 0.0012,
            noise_variance: 0.0012 * 0.04,
            effects: effects(1.0),
        },
        SobolTarget {
            label: format!("{} — {}", data.outcome.label, ARMS[1]),
            key: data.outcome.key.clone(),
            arm: ARMS[1].into(),
            variance: 0.0006,
            noise_variance: 0.0006 * 0.06,
            effects: effects(0.9),
        },
        SobolTarget {
            label: format!(
                "change in {}: {} − {}",
                data.outcome.label, ARMS[1], ARMS[0]
            ),
            key: format!("diff_{}", data.outcome.key),
            arm: ARMS[1].into(),
            variance: 0.0004,
            noise_variance: 0.0004 * 0.05,
            effects: effects(0.8),
        },
    ];
    data
}

/// Morris trajectories on a 4-level grid (steps of 2/3 of each range); the elementary effects are
/// computed by the sweep's own `morris` (each arm's outcome, then the paired difference).
fn example_morris(params: usize) -> SweepPlotData {
    let infos: Vec<ParamInfo> = (0..params).map(|k| param(k, Vec::new())).collect();
    let trajectories = 10;
    let delta = 2.0 / 3.0;
    let mut rng = Lcg(1962);
    let mut points = Vec::new();
    let to_values = |u: &[f64]| -> Vec<f64> {
        u.iter()
            .zip(&infos)
            .map(|(u, p)| p.min + (p.max - p.min) * u)
            .collect()
    };
    for _ in 0..trajectories {
        let mut u: Vec<f64> = (0..params).map(|_| rng.below(2) as f64 / 3.0).collect();
        let mut order: Vec<usize> = (0..params).collect();
        for i in (1..params).rev() {
            order.swap(i, rng.below(i + 1));
        }
        points.push(point(points.len(), to_values(&u), &infos, &mut rng));
        for k in order {
            u[k] += delta;
            points.push(point(points.len(), to_values(&u), &infos, &mut rng));
        }
    }
    let mut data = assemble(
        "channel_value_screening",
        DesignKind::Morris,
        infos,
        points,
        Vec::new(),
    );
    data.morris = crate::report::morris::morris(&data);
    data
}
