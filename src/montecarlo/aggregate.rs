//! Streaming aggregation per arm, and paired differences against the first arm.

use super::mechanisms::{OriginAggregate, indicators};
use super::metrics::{METRICS, MetricId, MetricKind};
use super::pairs::PairAggregate;
use super::stats::{Interval, Moments, wilson};
use crate::model::Trigger;
use crate::outcome::PairOutcome;
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
    pub triggers: [u64; Trigger::ALL.len()],
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
    /// What began the chains that reached crisis and kinetic conflict.
    pub origins: OriginAggregate,
    /// Results per ordered pair of states (who acted against whom).
    pub by_pair: PairAggregate,
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
            triggers: [0; Trigger::ALL.len()],
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
            origins: OriginAggregate::default(),
            by_pair: PairAggregate::new(n * n),
        }
    }

    /// Estimate of a metric with its 95 % interval.
    pub fn estimate(&self, id: MetricId) -> Interval {
        let i = id as usize;
        match id.kind() {
            MetricKind::Proportion => wilson(self.successes[i], self.n),
            MetricKind::Mean => self.moments[i].estimate(),
        }
    }

    /// Paired difference of a metric against the first arm, with its 95 % interval.
    pub fn difference(&self, id: MetricId) -> Interval {
        self.diffs[id as usize].estimate()
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
    shape: Shape,
}

/// The sizes a block's tallies need (from the compiled scenario).
#[derive(Debug, Clone, Copy)]
struct Shape {
    arms: usize,
    /// Ordered (blamed, victim) pairs of states.
    pairs: usize,
    /// Cells of the attribution matrix (true sponsor × blamed).
    confusion: usize,
    /// Horizon in days.
    horizon: u32,
}

impl Shape {
    fn of(p: &Compiled) -> Shape {
        let n = p.states.len();
        Shape {
            arms: p.arms.len(),
            pairs: n * n,
            confusion: (n + 2) * n,
            horizon: p.scenario.horizon_days,
        }
    }
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
            shape: Shape::of(p),
        }
    }

    /// An empty block for this aggregate's scenario, to fill on a worker.
    pub fn block(&self) -> BlockAggregate {
        BlockAggregate::new(self.shape)
    }

    /// Adds one replicate (all arms, in arm order). Call in replicate order for reproducible floats.
    pub fn push(&mut self, runs: &[RunResult]) {
        let mut block = self.block();
        block.push(runs);
        self.merge(&block);
    }

    /// Adds a block of consecutive replicates. Call in replicate order: the integer tallies add up
    /// in any order, but the running means and variances take each replicate's values in turn, so
    /// the floats are the same whatever the thread count.
    pub fn merge(&mut self, block: &BlockAggregate) {
        let metrics = METRICS.len();
        let pairs = self.shape.pairs;
        let stride = metrics + pairs;
        for (agg, t) in self.arms.iter_mut().zip(&block.tallies) {
            agg.n += t.n;
            for (a, b) in agg.successes.iter_mut().zip(&t.successes) {
                *a += b;
            }
            for &r in &t.highest_rung {
                agg.highest_rung[r as usize] += 1;
            }
            for (a, b) in agg.triggers.iter_mut().zip(t.triggers) {
                *a += b;
            }
            for (a, b) in agg.severity.iter_mut().zip(&t.severity) {
                a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
            }
            for (a, b) in agg.objective.iter_mut().zip(&t.objective) {
                a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
            }
            let last_lag = agg.lags.len() - 1;
            for &lag in &t.lags {
                agg.lags[(lag as usize).min(last_lag)] += 1;
            }
            agg.detected += t.detected;
            for &(rung, start, end) in &t.spans {
                agg.timeline_diff[rung as usize][start as usize] += 1;
                agg.timeline_diff[rung as usize][end as usize] -= 1;
            }
            for &d in &t.crisis_days {
                agg.crisis_days[d as usize] += 1;
            }
            for &d in &t.kinetic_days {
                agg.kinetic_days[d as usize] += 1;
            }
            for (a, b) in agg.confusion.iter_mut().zip(&t.confusion) {
                *a += b;
            }
            agg.political += t.political;
        }
        for replicate in block.pair_outcomes.chunks_exact(pairs * self.arms.len()) {
            let base = &replicate[..pairs];
            for (agg, values) in self.arms.iter_mut().zip(replicate.chunks_exact(pairs)) {
                agg.by_pair.push(values, base);
            }
        }
        for replicate in block.origins.chunks_exact(self.arms.len()) {
            for (agg, bits) in self.arms.iter_mut().zip(replicate) {
                agg.origins.push(*bits, replicate[0]);
            }
        }
        for replicate in block.samples.chunks_exact(stride * self.arms.len()) {
            let base = &replicate[..metrics];
            for (agg, values) in self.arms.iter_mut().zip(replicate.chunks_exact(stride)) {
                for (i, v) in values[..metrics].iter().enumerate() {
                    agg.moments[i].push(*v);
                    agg.diffs[i].push(v - base[i]);
                }
                for (m, v) in agg.pairs.iter_mut().zip(&values[metrics..metrics + pairs]) {
                    m.push(*v);
                }
            }
        }
    }
}

/// The integer tallies of one arm over a block: exact, so they add up in any order. Per-day and
/// per-rung counts are kept as the events themselves (a few per replicate), not as arrays over the
/// horizon.
#[derive(Debug, Clone)]
struct BlockTallies {
    n: u64,
    successes: Vec<u64>,
    highest_rung: Vec<u8>,
    triggers: [u64; Trigger::ALL.len()],
    severity: Vec<[u64; 10]>,
    objective: Vec<[u64; 3]>,
    lags: Vec<u32>,
    detected: u64,
    /// (rung, first day, day after the last) of each run of days at one rung (the last run of a
    /// replicate ends at the horizon).
    spans: Vec<(u8, u32, u32)>,
    crisis_days: Vec<u32>,
    kinetic_days: Vec<u32>,
    confusion: Vec<u64>,
    political: u64,
}

/// A block of consecutive replicates aggregated on the worker that simulated them: the exact
/// integer tallies, and the values each replicate adds to the running means, kept in replicate
/// order for [`Aggregate::merge`].
#[derive(Debug, Clone)]
pub struct BlockAggregate {
    /// Replicates in the block.
    pub replicates: u64,
    tallies: Vec<BlockTallies>,
    /// Per replicate, per arm: every metric's value (in `METRICS` order), then the attributed
    /// incidents of every ordered pair.
    samples: Vec<f64>,
    /// Per replicate, per arm: the origin indicators of its crisis and kinetic conflict.
    origins: Vec<u16>,
    /// Per replicate, per arm: the results of every ordered pair of states.
    pair_outcomes: Vec<PairOutcome>,
    horizon: u32,
}

impl BlockTallies {
    fn new(shape: Shape) -> BlockTallies {
        BlockTallies {
            n: 0,
            successes: vec![0; METRICS.len()],
            highest_rung: Vec::new(),
            triggers: [0; Trigger::ALL.len()],
            severity: vec![[0; 10]; shape.pairs],
            objective: vec![[0; 3]; shape.pairs],
            lags: Vec::new(),
            detected: 0,
            spans: Vec::new(),
            crisis_days: Vec::new(),
            kinetic_days: Vec::new(),
            confusion: vec![0; shape.confusion],
            political: 0,
        }
    }
}

impl BlockAggregate {
    /// An empty block for the compiled scenario's arms.
    pub fn for_scenario(p: &Compiled) -> BlockAggregate {
        BlockAggregate::new(Shape::of(p))
    }

    fn new(shape: Shape) -> BlockAggregate {
        BlockAggregate {
            replicates: 0,
            tallies: vec![BlockTallies::new(shape); shape.arms],
            samples: Vec::new(),
            origins: Vec::new(),
            pair_outcomes: Vec::new(),
            horizon: shape.horizon,
        }
    }

    /// Adds one replicate (all arms, in arm order).
    pub fn push(&mut self, runs: &[RunResult]) {
        self.replicates += 1;
        for (t, run) in self.tallies.iter_mut().zip(runs) {
            let o = &run.outcome;
            let inc = &run.incidents;
            t.n += 1;
            self.origins.push(indicators(o));
            self.pair_outcomes.extend_from_slice(&run.pairs);
            for (i, m) in METRICS.iter().enumerate() {
                let v = (m.value)(o);
                self.samples.push(v);
                if m.kind == MetricKind::Proportion && v > 0.0 {
                    t.successes[i] += 1;
                }
            }
            self.samples
                .extend(inc.pairs.iter().map(|pair| f64::from(pair.count)));
            t.highest_rung.push(o.highest_rung);
            for (a, c) in t.triggers.iter_mut().zip(o.responses_by_trigger) {
                *a += u64::from(c);
            }
            for (k, pair) in inc.pairs.iter().enumerate() {
                for (a, c) in t.severity[k].iter_mut().zip(pair.severity) {
                    *a += u64::from(c);
                }
                for (a, c) in t.objective[k].iter_mut().zip(pair.objective) {
                    *a += u64::from(c);
                }
            }
            t.lags.extend_from_slice(&inc.lags);
            t.detected += u64::from(inc.detected);
            for (i, &(start, rung)) in inc.timeline.iter().enumerate() {
                let end = inc.timeline.get(i + 1).map_or(self.horizon, |r| r.0);
                t.spans.push((rung, start, end));
            }
            t.crisis_days.extend(o.crisis_day);
            t.kinetic_days.extend(o.kinetic_day);
            for (a, c) in t.confusion.iter_mut().zip(&inc.confusion) {
                *a += u64::from(*c);
            }
            t.political += u64::from(inc.political_responses);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load::{DEFAULT_SCENARIO, parse_scenario};
    use crate::sim::Simulator;
    use std::sync::Arc;

    #[test]
    fn blocks_of_any_size_merged_in_order_equal_replicate_by_replicate() {
        let mut s = parse_scenario("default", DEFAULT_SCENARIO)
            .expect("valid")
            .scenario;
        s.horizon_days = 400;
        let p = Arc::new(crate::scenario::validate(&s).expect("valid"));
        let mut sim = Simulator::new(p.clone());
        let runs: Vec<Vec<RunResult>> = (0..40)
            .map(|r| (0..p.arms.len()).map(|a| sim.run(5, r, a)).collect())
            .collect();
        let mut one_by_one = Aggregate::new(&p);
        runs.iter().for_each(|r| one_by_one.push(r));
        for size in [1, 7, 40] {
            let mut blocked = Aggregate::new(&p);
            for chunk in runs.chunks(size) {
                let mut block = blocked.block();
                chunk.iter().for_each(|r| block.push(r));
                assert_eq!(block.replicates, chunk.len() as u64);
                blocked.merge(&block);
            }
            assert_eq!(
                format!("{blocked:?}"),
                format!("{one_by_one:?}"),
                "blocks of {size}"
            );
        }
        // Not vacuous: the runs produced something to aggregate.
        assert!(one_by_one.arms[0].moments[3].mean() > 0.0);
        assert!(
            one_by_one.arms[0]
                .timeline_diff
                .iter()
                .flatten()
                .any(|d| *d != 0)
        );
    }
}
