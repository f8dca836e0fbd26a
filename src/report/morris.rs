//! Morris elementary effects from a merged Morris design.

use super::sweep_plotdata::{MorrisEffect, MorrisTarget, SweepPlotData};
use crate::montecarlo::stats::Interval;

/// μ, μ* and σ per parameter for each arm's outcome and each paired difference.
///
/// An elementary effect is the change of the target between two consecutive points of a trajectory
/// divided by the change of the one parameter that moved, as a fraction of its range: it reads as
/// "the change of the outcome if the parameter went from its lowest to its highest value".
pub fn morris(data: &SweepPlotData) -> Vec<MorrisTarget> {
    let k = data.parameters.len();
    let per = k + 1;
    // (label, arm, difference?): each arm's outcome, then each arm's paired difference.
    let mut targets: Vec<(String, usize, bool)> = Vec::new();
    for (a, name) in data.arms.iter().enumerate() {
        targets.push((format!("{} — {name}", data.outcome.label), a, false));
    }
    for (a, name) in data.arms.iter().enumerate().skip(1) {
        targets.push((
            format!(
                "change in {}: {name} − {}",
                data.outcome.label, data.arms[0]
            ),
            a,
            true,
        ));
    }
    let y = |arms: &[Interval], diffs: &[Interval], a: usize, diff: bool| {
        if diff { diffs[a].value } else { arms[a].value }
    };
    targets
        .into_iter()
        .map(|(label, a, diff)| {
            let mut effects: Vec<Vec<f64>> = vec![Vec::new(); k];
            for traj in data.points.chunks(per) {
                for pair in traj.windows(2) {
                    let moved: Vec<usize> = (0..k)
                        .filter(|&i| pair[0].values[i] != pair[1].values[i])
                        .collect();
                    let [i] = moved.as_slice() else { continue };
                    let range = data.parameters[*i].max - data.parameters[*i].min;
                    if range == 0.0 {
                        continue;
                    }
                    let dx = (pair[1].values[*i] - pair[0].values[*i]) / range;
                    let dy = y(&pair[1].arms, &pair[1].diffs, a, diff)
                        - y(&pair[0].arms, &pair[0].diffs, a, diff);
                    effects[*i].push(dy / dx);
                }
            }
            MorrisTarget {
                label,
                effects: effects
                    .into_iter()
                    .enumerate()
                    .map(|(param, ee)| {
                        let n = ee.len();
                        let mu = ee.iter().sum::<f64>() / n as f64;
                        let mu_star = ee.iter().map(|e| e.abs()).sum::<f64>() / n as f64;
                        let sigma = if n > 1 {
                            (ee.iter().map(|e| (e - mu).powi(2)).sum::<f64>() / (n - 1) as f64)
                                .sqrt()
                        } else {
                            0.0
                        };
                        MorrisEffect {
                            param,
                            mu,
                            mu_star,
                            sigma,
                            count: n,
                        }
                    })
                    .collect(),
            }
        })
        .collect()
}
