//! Streaming aggregation per arm, and paired differences against the first arm.

use super::metrics::{METRICS, MetricKind};
use super::stats::{Estimate, Moments, wilson};
use crate::model::Trigger;
use crate::scenario::compile::Compiled;
use crate::scenario::types::DcidObjective;
use crate::sim::RunResult;

/// Everything accumulated for one arm.
#[derive(Debug, Clone)]
pub struct ArmAggregate {
    /// Arm name.
    pub name: String,
    /// Runs.
    pub n: u64,
    /// Per metric (in `METRICS` order): count of successes for proportions.
    pub successes: Vec<u64>,
    /// Per metric: moments.
    pub moments: Vec<Moments>,
    /// Paired difference (this arm − first arm) per metric.
    pub diffs: Vec<Moments>,
    /// Histogram of highest rung.
    pub highest_rung: Vec<u64>,
    /// Responses by trigger.
    pub triggers: [u64; 6],
    /// Attributed incidents per (blamed, victim) pair, per run.
    pub pairs: Vec<Moments>,
    /// Severity totals of attributed incidents per pair.
    pub severity: Vec<[u64; 10]>,
    /// Objective totals of attributed incidents per pair.
    pub objective: Vec<[u64; 3]>,
    /// Histogram of attribution lags (days).
    pub lags: Vec<u64>,
    /// Detected incidents.
    pub detected: u64,
    /// `timeline_diff[rung][day]`: difference array of the replicates at `rung` on `day`.
    pub timeline_diff: Vec<Vec<i64>>,
    /// Replicates whose first crisis fell on each day.
    pub crisis_days: Vec<u64>,
    /// Replicates whose kinetic conflict began on each day.
    pub kinetic_days: Vec<u64>,
    /// Attributed incidents by (true sponsor, blamed), summed over replicates.
    pub confusion: Vec<u64>,
    /// Responses to incidents (political responses).
    pub political: u64,
}

impl ArmAggregate {
    fn new(name: &str, p: &Compiled) -> ArmAggregate {
        let n = p.states.len();
        ArmAggregate {
            name: name.to_string(),
            n: 0,
            successes: vec![0; METRICS.len()],
            moments: vec![Moments::default(); METRICS.len()],
            diffs: vec![Moments::default(); METRICS.len()],
            highest_rung: vec![0; p.rung_count()],
            triggers: [0; 6],
            pairs: vec![Moments::default(); n * n],
            severity: vec![[0; 10]; n * n],
            objective: vec![[0; 3]; n * n],
            lags: vec![0; p.scenario.horizon_days as usize + 1],
            detected: 0,
            political: 0,
            timeline_diff: vec![vec![0; p.scenario.horizon_days as usize + 1]; p.rung_count()],
            crisis_days: vec![0; p.scenario.horizon_days as usize],
            kinetic_days: vec![0; p.scenario.horizon_days as usize],
            confusion: vec![0; (n + 2) * n],
        }
    }

    /// Estimate of metric `i` with its 95 % interval.
    pub fn estimate(&self, i: usize) -> Estimate {
        match METRICS[i].kind {
            MetricKind::Proportion => wilson(self.successes[i], self.n),
            MetricKind::Mean => self.moments[i].estimate(),
        }
    }

    /// Paired difference of metric `i` against the first arm, with its 95 % interval.
    pub fn difference(&self, i: usize) -> Estimate {
        self.diffs[i].estimate()
    }

    /// Quantile of the attribution lag distribution (days), or None when empty.
    pub fn lag_quantile(&self, q: f64) -> Option<f64> {
        let total: u64 = self.lags.iter().sum();
        if total == 0 {
            return None;
        }
        let target = q * total as f64;
        let mut acc = 0u64;
        for (day, c) in self.lags.iter().enumerate() {
            acc += c;
            if acc as f64 >= target {
                return Some(day as f64);
            }
        }
        Some((self.lags.len() - 1) as f64)
    }

    /// Severity counts (1..=10) of the incidents attributed within the given ordered pairs.
    pub fn severity_counts(&self, pairs: &[usize]) -> [u64; 10] {
        let mut out = [0; 10];
        for p in pairs {
            for (o, c) in out.iter_mut().zip(self.severity[*p]) {
                *o += c;
            }
        }
        out
    }

    /// Objective counts of the incidents attributed within the given ordered pairs.
    pub fn objective_counts(&self, pairs: &[usize]) -> Vec<(DcidObjective, u64)> {
        DcidObjective::ALL
            .iter()
            .map(|o| {
                (
                    *o,
                    pairs.iter().map(|p| self.objective[*p][*o as usize]).sum(),
                )
            })
            .collect()
    }

    /// `timeline[day][rung]`: replicates at `rung` on `day`.
    pub fn timeline(&self) -> Vec<Vec<u64>> {
        let days = self.crisis_days.len();
        let mut out = vec![vec![0u64; self.timeline_diff.len()]; days];
        for (rung, diff) in self.timeline_diff.iter().enumerate() {
            let mut acc = 0i64;
            for (day, row) in out.iter_mut().enumerate() {
                acc += diff[day];
                row[rung] = acc as u64;
            }
        }
        out
    }

    /// Responses by trigger with labels.
    pub fn trigger_counts(&self) -> Vec<(Trigger, u64)> {
        Trigger::ALL
            .iter()
            .map(|t| (*t, self.triggers[*t as usize]))
            .collect()
    }
}

/// The aggregate of all arms.
#[derive(Debug, Clone)]
pub struct Aggregate {
    /// Per arm, in arm order.
    pub arms: Vec<ArmAggregate>,
}

impl Aggregate {
    /// Empty aggregates for the compiled scenario's arms.
    pub fn new(p: &Compiled) -> Aggregate {
        Aggregate {
            arms: p
                .arms
                .iter()
                .map(|a| ArmAggregate::new(&a.name, p))
                .collect(),
        }
    }

    /// Adds one replicate (all arms, in arm order). Call in replicate order for reproducible floats.
    pub fn push(&mut self, runs: &[RunResult]) {
        let base: Vec<f64> = METRICS
            .iter()
            .map(|m| (m.value)(&runs[0].outcome))
            .collect();
        for (agg, run) in self.arms.iter_mut().zip(runs) {
            let o = &run.outcome;
            agg.n += 1;
            for (i, m) in METRICS.iter().enumerate() {
                let v = (m.value)(o);
                agg.moments[i].push(v);
                if m.kind == MetricKind::Proportion && v > 0.0 {
                    agg.successes[i] += 1;
                }
                agg.diffs[i].push(v - base[i]);
            }
            agg.highest_rung[o.highest_rung as usize] += 1;
            for (t, c) in agg.triggers.iter_mut().zip(o.responses_by_trigger) {
                *t += u64::from(c);
            }
            let inc = &run.incidents;
            for (k, pair) in inc.pairs.iter().enumerate() {
                agg.pairs[k].push(f64::from(pair.count));
                for (t, c) in agg.severity[k].iter_mut().zip(pair.severity) {
                    *t += u64::from(c);
                }
                for (t, c) in agg.objective[k].iter_mut().zip(pair.objective) {
                    *t += u64::from(c);
                }
            }
            for lag in &inc.lags {
                let i = (*lag as usize).min(agg.lags.len() - 1);
                agg.lags[i] += 1;
            }
            agg.detected += u64::from(inc.detected);
            let horizon = agg.crisis_days.len() as u32;
            for (i, &(start, rung)) in inc.timeline.iter().enumerate() {
                let end = inc.timeline.get(i + 1).map_or(horizon, |r| r.0);
                agg.timeline_diff[rung as usize][start as usize] += 1;
                agg.timeline_diff[rung as usize][end as usize] -= 1;
            }
            if let Some(d) = o.crisis_day {
                agg.crisis_days[d as usize] += 1;
            }
            if let Some(d) = o.kinetic_day {
                agg.kinetic_days[d as usize] += 1;
            }
            for (t, c) in agg.confusion.iter_mut().zip(&inc.confusion) {
                *t += u64::from(*c);
            }
            agg.political += u64::from(inc.political_responses);
        }
    }
}
