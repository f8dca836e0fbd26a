//! What the plots and the report are drawn from: read back from a result folder's files alone, so
//! `escalate plot` redraws everything without re-simulating.

use crate::montecarlo::metrics::MetricId;
use crate::montecarlo::stats::Interval;

/// Everything the plots need.
#[derive(Debug, Clone, PartialEq)]
pub struct PlotData {
    /// Scenario name.
    pub scenario: String,
    /// Master seed.
    pub seed: u64,
    /// Replicates per arm.
    pub replicates: u64,
    /// Horizon in days.
    pub horizon_days: u32,
    /// Arm names, in order; the first is the baseline ("without channels").
    pub arms: Vec<String>,
    /// Rung names, lowest first.
    pub rungs: Vec<String>,
    /// Index of the crisis rung.
    pub crisis_rung: usize,
    /// `timeline[arm][day][rung]`: replicates whose current rung (highest over dyads) on `day` is `rung`.
    pub timeline: Vec<Vec<Vec<u64>>>,
    /// `crisis_by_day[arm][day]`: replicates that reached a crisis on or before `day`.
    pub crisis_by_day: Vec<Vec<u64>>,
    /// `kinetic_by_day[arm][day]`: replicates in kinetic conflict on or before `day`.
    pub kinetic_by_day: Vec<Vec<u64>>,
    /// `highest_rung[arm][rung]`: replicates whose highest rung was `rung`.
    pub highest_rung: Vec<Vec<u64>>,
    /// Row labels of the attribution matrix: each state, then "freelancing proxy", then "independent group".
    pub true_sponsors: Vec<String>,
    /// Column labels: the states that can be blamed.
    pub blamed: Vec<String>,
    /// `attribution[arm][true][blamed]`: publicly attributed incidents.
    pub attribution: Vec<Vec<Vec<u64>>>,
    /// Trigger labels (correctly attributed, false flag, mercenary, independent actor, freelancing proxy, spiral).
    pub triggers: Vec<String>,
    /// `responses_by_trigger[arm][trigger]`: total responses over all replicates.
    pub responses_by_trigger: Vec<Vec<u64>>,
    /// Headline metrics for the comparison plot: (key, label, is_proportion, per-arm estimates).
    pub metrics: Vec<MetricRow>,
    /// Paired differences against the first arm: per arm (from the second), per metric key.
    pub differences: Vec<MetricRow>,
    /// The run drew its parameters from a posterior: the intervals drawn are the Monte Carlo ones,
    /// and the plots say that those with parameter uncertainty are in the report.
    pub parameter_uncertainty: bool,
}

/// A metric across arms.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricRow {
    /// The metric.
    pub metric: MetricId,
    /// One estimate per arm (for `differences`: per arm from the second on).
    pub by_arm: Vec<Interval>,
}

impl MetricRow {
    /// Human label.
    pub fn label(&self) -> &'static str {
        self.metric.label()
    }

    /// Proportion (shown in %) or mean.
    pub fn proportion(&self) -> bool {
        self.metric.is_proportion()
    }
}
