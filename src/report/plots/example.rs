//! Synthetic example data, for tests and for looking at the plots without running a simulation.

use crate::montecarlo::metrics::MetricId;
use crate::montecarlo::stats::Interval;
use crate::report::plotdata::{MetricRow, PlotData};

/// Splits `total` into integer parts proportional to `weights` (largest remainders), summing to `total`.
fn apportion(weights: &[f64], total: u64) -> Vec<u64> {
    let sum: f64 = weights.iter().filter(|w| w.is_finite() && **w > 0.0).sum();
    if sum <= 0.0 {
        return vec![0; weights.len()];
    }
    let exact: Vec<f64> = weights
        .iter()
        .map(|w| {
            if w.is_finite() && *w > 0.0 {
                w / sum * total as f64
            } else {
                0.0
            }
        })
        .collect();
    let mut parts: Vec<u64> = exact.iter().map(|e| e.floor() as u64).collect();
    let mut left = total.saturating_sub(parts.iter().sum());
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        (exact[b] - exact[b].floor())
            .total_cmp(&(exact[a] - exact[a].floor()))
            .then(a.cmp(&b))
    });
    for i in order.into_iter().cycle().take(weights.len() * 2) {
        if left == 0 {
            break;
        }
        parts[i] += 1;
        left -= 1;
    }
    parts
}

/// A realistic synthetic `PlotData` shaped like the default scenario (6 arms, 9 rungs, 5 years), for
/// tests and for looking at the plots without running a simulation.
#[doc(hidden)]
pub fn example_plot_data() -> PlotData {
    const RUNGS: [&str; 9] = [
        "competition",
        "diplomatic protest",
        "public attribution",
        "sanctions",
        "cyber retaliation",
        "disruptive attack",
        "destructive attack",
        "limited kinetic",
        "full kinetic conflict",
    ];
    // Per arm: (name, escalation factor above rung 3, operations factor, misattribution factor).
    const ARMS: [(&str, f64, f64, f64); 6] = [
        ("without channels", 1.15, 1.0, 1.0),
        ("with channels", 0.1, 0.9, 0.45),
        ("hotline only", 0.45, 1.0, 0.8),
        ("CERT-to-CERT only", 0.8, 1.0, 0.6),
        ("dialogue only", 0.85, 0.97, 0.9),
        ("agreement and pledge only", 0.9, 0.9, 0.95),
    ];
    let replicates = 4000u64;
    let horizon = 1826usize;
    let n = RUNGS.len();
    let crisis = 5;
    let jump = [0.0, 0.55, 0.3, 0.12, 0.03];
    let mut d = PlotData {
        parameter_uncertainty: false,
        scenario: "us_russia_2016".into(),
        seed: 2016,
        replicates,
        horizon_days: horizon as u32,
        arms: ARMS.iter().map(|a| a.0.to_string()).collect(),
        rungs: RUNGS.iter().map(|r| r.to_string()).collect(),
        crisis_rung: crisis,
        timeline: Vec::new(),
        crisis_by_day: Vec::new(),
        kinetic_by_day: Vec::new(),
        highest_rung: Vec::new(),
        true_sponsors: ["US", "RUS", "PRK", "freelancing proxy", "independent group"]
            .map(String::from)
            .to_vec(),
        blamed: ["US", "RUS", "PRK"].map(String::from).to_vec(),
        attribution: Vec::new(),
        triggers: [
            "correctly attributed",
            "false flag",
            "mercenary",
            "independent actor",
            "freelancing proxy",
            "spiral",
        ]
        .map(String::from)
        .to_vec(),
        responses_by_trigger: Vec::new(),
        metrics: Vec::new(),
        differences: Vec::new(),
    };
    let mut finals = Vec::new();
    for &(_, esc_factor, ops, misattribution) in &ARMS {
        // A daily Markov chain over (current rung, highest rung so far), evolved as a distribution.
        let r0 = 2.5 / 365.0 * ops;
        let esc = [
            0.0,
            0.0025,
            0.0015,
            0.0012,
            0.0035 * esc_factor,
            0.03 * esc_factor,
            0.05 * esc_factor,
            0.04,
            0.0,
        ];
        let mut p = vec![vec![0.0f64; n]; n];
        p[0][0] = 1.0;
        let (mut timeline, mut crisis_by_day, mut kinetic_by_day) =
            (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..horizon {
            let mut q = vec![vec![0.0f64; n]; n];
            for cur in 0..n {
                for max in 0..n {
                    let v = p[cur][max];
                    if v == 0.0 {
                        continue;
                    }
                    if cur == 0 {
                        q[0][max] += v * (1.0 - r0);
                        for (k, share) in jump.iter().enumerate().skip(1) {
                            q[k][max.max(k)] += v * r0 * share;
                        }
                    } else if cur == n - 1 {
                        q[cur][max] += v;
                    } else {
                        let decay = if cur < 7 { 1.0 / 40.0 } else { 0.0 };
                        q[cur + 1][max.max(cur + 1)] += v * esc[cur];
                        q[cur - 1][max] += v * decay;
                        q[cur][max] += v * (1.0 - esc[cur] - decay);
                    }
                }
            }
            p = q;
            let current: Vec<f64> = p.iter().map(|row| row.iter().sum()).collect();
            timeline.push(apportion(&current, replicates));
            let reached = |from: usize| {
                (0..n)
                    .flat_map(|c| (from..n).map(move |m| (c, m)))
                    .map(|(c, m)| p[c][m])
                    .sum::<f64>()
            };
            crisis_by_day.push((reached(crisis) * replicates as f64).round() as u64);
            kinetic_by_day.push((reached(7) * replicates as f64).round() as u64);
        }
        let highest: Vec<f64> = (0..n).map(|m| (0..n).map(|c| p[c][m]).sum()).collect();
        d.highest_rung.push(apportion(&highest, replicates));
        d.timeline.push(timeline);
        d.crisis_by_day.push(crisis_by_day);
        d.kinetic_by_day.push(kinetic_by_day);
        finals.push((highest, ops, misattribution));

        // Attributed incidents over all runs: rows US, RUS, PRK, freelancing proxy, independent group.
        let r = replicates as f64;
        let m = misattribution;
        let cell = |per_run: f64| (per_run * r).round() as u64;
        d.attribution.push(vec![
            vec![cell(1.9 * ops), cell(0.0), cell(0.02 * m)],
            vec![cell(0.0), cell(17.5 * ops), cell(0.9 * m * ops)],
            vec![cell(0.05 * m), cell(1.3 * m), cell(2.4)],
            vec![cell(0.0), cell(2.6 * ops), cell(0.15 * m)],
            vec![cell(0.3 * m), cell(2.1 * m), cell(0.4 * m)],
        ]);
        let spiral = 0.45 * esc_factor.max(0.2);
        d.responses_by_trigger.push(
            [2.6 * ops, 0.22 * m, 0.16 * m, 0.19 * m, 0.12 * m, spiral]
                .iter()
                .map(|v| (v * r).round() as u64)
                .collect(),
        );
    }
    let wilson = |p: f64| {
        let half = 1.96 * (p * (1.0 - p) / replicates as f64).sqrt();
        Interval {
            value: p,
            lo: (p - half).max(0.0),
            hi: (p + half).min(1.0),
        }
    };
    let mean = |v: f64, sd: f64| {
        let half = 1.96 * sd / (replicates as f64).sqrt();
        Interval {
            value: v,
            lo: v - half,
            hi: v + half,
        }
    };
    let arm_metrics: Vec<Vec<Interval>> = finals
        .iter()
        .map(|(highest, ops, m)| {
            let crisis_p: f64 = highest[crisis..].iter().sum();
            let kinetic_p: f64 = highest[7..].iter().sum();
            let mean_rung: f64 = highest.iter().enumerate().map(|(r, p)| r as f64 * p).sum();
            vec![
                wilson(crisis_p),
                wilson(kinetic_p),
                mean(mean_rung, 0.9),
                mean(1.6 * m * ops, 1.4),
                mean(3.7 * ops * (0.6 + 0.4 * m), 2.1),
                mean(0.37 * m, 0.7),
            ]
        })
        .collect();
    let keys = [
        MetricId::Crisis,
        MetricId::Kinetic,
        MetricId::HighestRung,
        MetricId::Misattributions,
        MetricId::Responses,
        MetricId::WrongfulResponses,
    ];
    for (k, &metric) in keys.iter().enumerate() {
        d.metrics.push(MetricRow {
            metric,
            by_arm: arm_metrics.iter().map(|a| a[k]).collect(),
        });
        d.differences.push(MetricRow {
            metric,
            by_arm: arm_metrics
                .iter()
                .skip(1)
                .map(|a| {
                    let (b, v) = (arm_metrics[0][k], a[k]);
                    let diff = v.value - b.value;
                    // Paired runs share their draws, so the difference is tighter than either estimate.
                    let half = 0.6 * ((b.hi - b.lo).powi(2) + (v.hi - v.lo).powi(2)).sqrt() / 2.0;
                    Interval {
                        value: diff,
                        lo: diff - half,
                        hi: diff + half,
                    }
                })
                .collect(),
        });
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apportion_keeps_the_total() {
        assert_eq!(apportion(&[1.0, 1.0, 1.0], 10).iter().sum::<u64>(), 10);
        assert_eq!(apportion(&[0.0, 0.0], 5), vec![0, 0]);
        assert_eq!(apportion(&[0.5, 0.5], 3), vec![2, 1]);
    }

    #[test]
    fn example_data_is_consistent() {
        let d = example_plot_data();
        assert_eq!(d.arms.len(), 6);
        assert_eq!(d.timeline[0].len(), d.horizon_days as usize);
        for arm in 0..d.arms.len() {
            assert_eq!(d.highest_rung[arm].iter().sum::<u64>(), d.replicates);
            assert!(
                d.timeline[arm]
                    .iter()
                    .all(|day| day.iter().sum::<u64>() == d.replicates)
            );
            assert!(d.kinetic_by_day[arm].windows(2).all(|w| w[0] <= w[1]));
        }
        // The channels arm escalates less than the baseline, as in the default scenario.
        assert!(d.metrics[0].by_arm[1].value < d.metrics[0].by_arm[0].value);
    }
}
