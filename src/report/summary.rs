//! `summary.json`: every metric per arm with its interval, the paired differences, calibration
//! tallies, and the precision the run reached.

use crate::model::Trigger;
use crate::montecarlo::metrics::METRICS;
use crate::montecarlo::stats::{Estimate, replicates_for};
use crate::montecarlo::{Aggregate, ArmAggregate};
use crate::scenario::compile::Compiled;
use serde_json::{Map, Value, json};

fn est(e: Estimate) -> Value {
    json!({"value": e.value, "lo": e.lo, "hi": e.hi})
}

/// The widest 95 % interval among the headline metrics (crisis, kinetic, highest rung), over arms.
pub fn widest_interval(agg: &Aggregate) -> (String, String, Estimate) {
    let headline = ["crisis", "kinetic", "highest_rung"];
    let mut best: Option<(String, String, Estimate)> = None;
    for arm in &agg.arms {
        for (i, m) in METRICS.iter().enumerate() {
            if !headline.contains(&m.key) {
                continue;
            }
            let e = arm.estimate(i);
            if best.as_ref().is_none_or(|(_, _, b)| e.width() > b.width()) {
                best = Some((arm.name.clone(), m.key.to_string(), e));
            }
        }
    }
    best.expect("invariant: at least one arm and one headline metric")
}

/// Calibration tallies of one arm: what its victims detected and publicly attributed.
pub fn calibration(p: &Compiled, arm: &ArmAggregate) -> Value {
    let n = p.states.len();
    let years = p.scenario.horizon_days as f64 / 365.25;
    let mut pairs = Vec::new();
    for blamed in 0..n {
        for victim in 0..n {
            if blamed == victim {
                continue;
            }
            let m = &arm.pairs[blamed * n + victim];
            let e = m.estimate();
            if e.value == 0.0 {
                continue;
            }
            let k = blamed * n + victim;
            let sev = arm.severity_counts(&[k]);
            let total = sev.iter().sum::<u64>().max(1) as f64;
            let objectives: Map<String, Value> = arm
                .objective_counts(&[k])
                .into_iter()
                .map(|(o, c)| (o.label().to_string(), json!(c as f64 / total)))
                .collect();
            pairs.push(json!({
                "from": p.states[blamed].name,
                "to": p.states[victim].name,
                "per_run": est(e),
                "per_year": est(Estimate { value: e.value / years, lo: e.lo / years, hi: e.hi / years }),
                "severity_shares": sev.iter().map(|c| *c as f64 / total).collect::<Vec<_>>(),
                "objective_shares": objectives,
            }));
        }
    }
    let misattributed = arm.moments[METRICS
        .iter()
        .position(|m| m.key == "misattributions")
        .expect("metric exists")]
    .mean();
    let attributed = arm.moments[METRICS
        .iter()
        .position(|m| m.key == "ops_attributed")
        .expect("metric exists")]
    .mean();
    json!({
        "attributed_incidents": pairs,
        "attribution_lag_days": {
            "q1": arm.lag_quantile(0.25),
            "median": arm.lag_quantile(0.5),
            "q3": arm.lag_quantile(0.75),
        },
        "misattribution_share": if attributed > 0.0 { misattributed / attributed } else { 0.0 },
        "political_response_share_of_detected": if arm.detected > 0 { arm.political as f64 / arm.detected as f64 } else { 0.0 },
    })
}

/// Builds the summary document.
pub fn summary(p: &Compiled, agg: &Aggregate, seed: u64, replicates: u64) -> Value {
    let mut arms = Vec::new();
    for arm in &agg.arms {
        let mut metrics = Map::new();
        for (i, m) in METRICS.iter().enumerate() {
            metrics.insert(m.key.to_string(), est(arm.estimate(i)));
        }
        let rungs: Map<String, Value> = p
            .scenario
            .ladder
            .rungs
            .iter()
            .zip(&arm.highest_rung)
            .map(|(r, c)| (r.name.clone(), json!(*c as f64 / arm.n.max(1) as f64)))
            .collect();
        let triggers: Map<String, Value> = arm
            .trigger_counts()
            .into_iter()
            .map(|(t, c)| (t.label().to_string(), json!(c as f64 / arm.n.max(1) as f64)))
            .collect();
        arms.push(json!({
            "name": arm.name,
            "replicates": arm.n,
            "metrics": metrics,
            "highest_rung_distribution": rungs,
            "responses_by_trigger_per_run": triggers,
            "calibration": calibration(p, arm),
        }));
    }
    let base = &agg.arms[0].name;
    let mut diffs = Vec::new();
    for arm in agg.arms.iter().skip(1) {
        let mut metrics = Map::new();
        for (i, m) in METRICS.iter().enumerate() {
            metrics.insert(m.key.to_string(), est(arm.difference(i)));
        }
        diffs.push(json!({"arm": arm.name, "versus": base, "metrics": metrics}));
    }
    let (w_arm, w_metric, w) = widest_interval(agg);
    let i = METRICS
        .iter()
        .position(|m| m.key == w_metric)
        .expect("metric exists");
    let sd = agg
        .arms
        .iter()
        .find(|a| a.name == w_arm)
        .map(|a| a.moments[i].sd())
        .unwrap_or(0.0);
    json!({
        "format": crate::report::plotdata::RESULTS_FORMAT,
        "scenario": p.scenario.name,
        "seed": seed,
        "replicates": replicates,
        "horizon_days": p.scenario.horizon_days,
        "rungs": p.scenario.ladder.rungs.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
        "crisis_rung": p.crisis_rung,
        "states": p.states.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
        "arms": arms,
        "paired_differences": diffs,
        "triggers": Trigger::ALL.iter().map(|t| t.label()).collect::<Vec<_>>(),
        "precision": {
            "widest_interval": {"arm": w_arm, "metric": w_metric, "lo": w.lo, "hi": w.hi, "width": w.width()},
            "replicates_to_halve_it": replicates.saturating_mul(4),
            "replicates_for_half_width_0_01": replicates_for(sd, 0.01),
        },
    })
}
