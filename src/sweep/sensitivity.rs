//! Sobol' indices of a merged Saltelli design: for each arm's headline outcome and each paired
//! difference, S1 and ST of every parameter with bootstrap intervals, and how much of the target's
//! variance is the Monte Carlo noise of the points' own estimates.

use super::sobol::{MAX_BOOTSTRAP, MIN_BOOTSTRAP, points_per_row, sobol_indices};
use crate::montecarlo::stats::{Interval, Z95};
use crate::report::sweep_plotdata::{
    PointResult, SobolEffect, SobolSettings, SobolTarget, SweepPlotData,
};

/// The targets decomposed: each arm's outcome, then each later arm's paired difference against the
/// first (the order of `morris`). Empty when the points are not whole Saltelli rows.
pub fn sobol_targets(data: &SweepPlotData, settings: SobolSettings) -> Vec<SobolTarget> {
    let k = data.parameters.len();
    let per = points_per_row(k);
    let n = data.points.len();
    if k == 0 || n == 0 || !n.is_multiple_of(per) {
        return Vec::new();
    }
    let o = &data.outcome;
    let mut targets: Vec<(String, String, usize, bool)> = Vec::new();
    for (a, name) in data.arms.iter().enumerate() {
        targets.push((format!("{} — {name}", o.label), o.key.clone(), a, false));
    }
    for (a, name) in data.arms.iter().enumerate().skip(1) {
        targets.push((
            format!("change in {}: {name} − {}", o.label, data.arms[0]),
            format!("diff_{}", o.key),
            a,
            true,
        ));
    }
    let pick = |p: &PointResult, a: usize, diff: bool| -> Option<Interval> {
        if diff { p.diffs.get(a) } else { p.arms.get(a) }.copied()
    };
    targets
        .into_iter()
        .filter_map(|(label, key, a, diff)| {
            let est: Vec<Interval> = data
                .points
                .iter()
                .map(|p| pick(p, a, diff))
                .collect::<Option<_>>()?;
            let y: Vec<f64> = est.iter().map(|e| e.value).collect();
            // A sweep.json edited by hand may ask for anything: the sweep file's bounds hold here too.
            let resamples = settings.bootstrap.clamp(MIN_BOOTSTRAP, MAX_BOOTSTRAP) as usize;
            let indices = sobol_indices(&y, k, resamples, data.seed);
            let ab: Vec<f64> = y.chunks(per).flat_map(|row| [row[0], row[1]]).collect();
            Some(SobolTarget {
                label,
                key,
                arm: data.arms[a].clone(),
                variance: sample_variance(&ab),
                noise_variance: noise_variance(&est),
                effects: indices
                    .into_iter()
                    .enumerate()
                    .map(|(param, s)| SobolEffect {
                        param,
                        first: Interval {
                            value: s.first.value,
                            lo: s.first.lo,
                            hi: s.first.hi,
                        },
                        total: Interval {
                            value: s.total.value,
                            lo: s.total.lo,
                            hi: s.total.hi,
                        },
                    })
                    .collect(),
            })
        })
        .collect()
}

/// The variance of `x` with the n − 1 divisor (NaN for fewer than two values).
fn sample_variance(x: &[f64]) -> f64 {
    let n = x.len() as f64;
    if x.len() < 2 {
        return f64::NAN;
    }
    let mean = x.iter().sum::<f64>() / n;
    x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)
}

/// The mean squared standard error of the points' estimates, each read from its 95 % interval as
/// (hi − lo) / (2 z): exact for a normal interval (means, paired differences), close for a Wilson
/// interval away from 0 and 1 (and not zero at 0, where the estimate is still uncertain).
fn noise_variance(est: &[Interval]) -> f64 {
    let se2: Vec<f64> = est
        .iter()
        .map(|e| ((e.hi - e.lo) / (2.0 * Z95)).powi(2))
        .filter(|v| v.is_finite())
        .collect();
    if se2.is_empty() {
        f64::NAN
    } else {
        se2.iter().sum::<f64>() / se2.len() as f64
    }
}
