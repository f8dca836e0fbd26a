//! `summary.json`: every metric per arm with its interval, the paired differences, calibration
//! tallies, and the precision the run reached. One serde type writes it and reads it back (for
//! `escalate plot` and the report): a missing or mistyped key is an error naming the file and key.

use crate::model::Trigger;
use crate::montecarlo::metrics::{MetricId, PerMetric};
use crate::montecarlo::stats::{Interval, replicates_for};
use crate::montecarlo::{Aggregate, ArmAggregate};
use crate::scenario::compile::Compiled;

pub use super::breakdown::{
    Mechanisms, OriginDifference, OriginShares, PairResult, mechanism_differences, mechanisms,
    pair_results,
};
use anyhow::Context;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The format tag written into `summary.json`; a folder without it is not an escalate result folder.
/// Version 2 added the mechanism breakdown (`mechanisms`) and the results per ordered pair of
/// states (`pairs`), per arm and per paired difference.
pub const RESULTS_FORMAT: &str = "escalate-results-2";

/// Earlier formats this escalate still reads (their missing sections are `None`).
pub const OLDER_RESULTS_FORMATS: &[&str] = &["escalate-results-1"];

/// Metrics whose widest interval sets the precision reported (and the advice to add replicates).
const PRECISION_HEADLINE: [MetricId; 3] =
    [MetricId::Crisis, MetricId::Kinetic, MetricId::HighestRung];

/// `summary.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Always [`RESULTS_FORMAT`].
    pub format: String,
    /// Scenario name.
    pub scenario: String,
    /// Master seed.
    pub seed: u64,
    /// Replicates per arm.
    pub replicates: u64,
    /// Horizon in days.
    pub horizon_days: u32,
    /// Rung names, lowest first.
    pub rungs: Vec<String>,
    /// Index of the crisis rung.
    pub crisis_rung: usize,
    /// State names.
    pub states: Vec<String>,
    /// Per arm, in arm order (the first is the baseline).
    pub arms: Vec<ArmSummary>,
    /// Each arm from the second against the first, paired by replicate.
    pub paired_differences: Vec<PairedDifference>,
    /// Trigger labels, in `Trigger::ALL` order.
    pub triggers: Vec<String>,
    /// How precise the run is.
    pub precision: Precision,
    /// Under a calibration's posterior (`escalate run --posterior`): every estimate's interval with
    /// parameter uncertainty. Absent from plain runs, whose summary.json is unchanged by it; a
    /// reader of format 2 that does not know it ignores it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub posterior: Option<super::posterior::PosteriorSummary>,
}

/// One arm's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArmSummary {
    /// Arm name.
    pub name: String,
    /// Replicates.
    pub replicates: u64,
    /// Every metric with its 95 % interval.
    pub metrics: PerMetric<Interval>,
    /// Share of replicates whose highest rung was each rung (by rung name, lowest first).
    pub highest_rung_distribution: IndexMap<String, f64>,
    /// Responses per run by trigger label.
    pub responses_by_trigger_per_run: IndexMap<String, f64>,
    /// What the victims detected and publicly attributed.
    pub calibration: Calibration,
    /// What began the chains that reached crisis and kinetic conflict (absent before format 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mechanisms: Option<Mechanisms>,
    /// Results per ordered pair of states (absent before format 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pairs: Option<Vec<PairResult>>,
}

/// An arm against the baseline arm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairedDifference {
    /// The arm.
    pub arm: String,
    /// The baseline arm.
    pub versus: String,
    /// Every metric's paired difference (arm − baseline) with its 95 % interval.
    pub metrics: PerMetric<Interval>,
    /// Per kind of operation, the paired difference of the probabilities of crisis and kinetic
    /// conflict whose chain began with it (absent before format 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mechanisms: Option<IndexMap<String, OriginDifference>>,
    /// Per ordered pair of states, the paired differences (absent before format 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pairs: Option<Vec<PairResult>>,
}

/// Calibration tallies of one arm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// Per ordered pair of states with attributed incidents.
    pub attributed_incidents: Vec<AttributedPair>,
    /// Quartiles of the days from launch to public attribution (null without attributions).
    pub attribution_lag_days: LagQuartiles,
    /// Share of public attributions that blamed a state that did not order the operation.
    pub misattribution_share: f64,
    /// First responses per detected incident, at any rung: political responses and replies in kind
    /// together (the calibration compares the political ones alone with EuRepoC, tests/calibration.rs).
    pub political_response_share_of_detected: f64,
}

/// Incidents one state publicly attributed to another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttributedPair {
    /// The state blamed.
    pub from: String,
    /// The victim.
    pub to: String,
    /// Per run (the horizon).
    pub per_run: Interval,
    /// Per year.
    pub per_year: Interval,
    /// Share of the incidents at each DCID severity 1..=10.
    pub severity_shares: Vec<f64>,
    /// Share of the incidents by DCID objective.
    pub objective_shares: IndexMap<String, f64>,
}

/// Quartiles of a distribution of days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LagQuartiles {
    /// First quartile.
    pub q1: Option<f64>,
    /// Median.
    pub median: Option<f64>,
    /// Third quartile.
    pub q3: Option<f64>,
}

/// The precision the run reached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Precision {
    /// The widest 95 % interval among the headline metrics, over arms.
    pub widest_interval: WidestInterval,
    /// Four times the replicates halves every interval.
    pub replicates_to_halve_it: u64,
    /// Replicates for a half-width of 0.01 on that metric.
    pub replicates_for_half_width_0_01: u64,
}

/// Where the widest headline interval is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WidestInterval {
    /// Arm name.
    pub arm: String,
    /// The metric.
    pub metric: MetricId,
    /// Lower bound.
    pub lo: f64,
    /// Upper bound.
    pub hi: f64,
    /// Width.
    pub width: f64,
}

/// The widest 95 % interval among the headline metrics (crisis, kinetic, highest rung), over arms.
pub fn widest_interval(agg: &Aggregate) -> (&ArmAggregate, MetricId, Interval) {
    let mut best: Option<(&ArmAggregate, MetricId, Interval)> = None;
    for arm in &agg.arms {
        for id in PRECISION_HEADLINE {
            let e = arm.estimate(id);
            if best.as_ref().is_none_or(|(_, _, b)| e.width() > b.width()) {
                best = Some((arm, id, e));
            }
        }
    }
    best.expect("invariant: at least one arm and one headline metric")
}

/// Calibration tallies of one arm: what its victims detected and publicly attributed.
pub fn calibration(p: &Compiled, arm: &ArmAggregate) -> Calibration {
    let n = p.states.len();
    let years = p.scenario.horizon_days as f64 / 365.25;
    let mut pairs = Vec::new();
    for blamed in 0..n {
        for victim in 0..n {
            if blamed == victim {
                continue;
            }
            let k = blamed * n + victim;
            let e = arm.pairs[k].estimate();
            if e.value == 0.0 {
                continue;
            }
            let sev = arm.severity_counts(&[k]);
            let total = sev.iter().sum::<u64>().max(1) as f64;
            pairs.push(AttributedPair {
                from: p.states[blamed].name.clone(),
                to: p.states[victim].name.clone(),
                per_run: e,
                per_year: Interval {
                    value: e.value / years,
                    lo: e.lo / years,
                    hi: e.hi / years,
                },
                severity_shares: sev.iter().map(|c| *c as f64 / total).collect(),
                objective_shares: arm
                    .objective_counts(&[k])
                    .into_iter()
                    .map(|(o, c)| (o.label().to_string(), c as f64 / total))
                    .collect(),
            });
        }
    }
    let misattributed = arm.moments[MetricId::Misattributions as usize].mean();
    let attributed = arm.moments[MetricId::OpsAttributed as usize].mean();
    Calibration {
        attributed_incidents: pairs,
        attribution_lag_days: LagQuartiles {
            q1: arm.lag_quantile(0.25),
            median: arm.lag_quantile(0.5),
            q3: arm.lag_quantile(0.75),
        },
        misattribution_share: if attributed > 0.0 {
            misattributed / attributed
        } else {
            0.0
        },
        political_response_share_of_detected: if arm.detected > 0 {
            arm.political as f64 / arm.detected as f64
        } else {
            0.0
        },
    }
}

/// Builds the summary document.
pub fn summary(p: &Compiled, agg: &Aggregate, seed: u64, replicates: u64) -> Summary {
    let arms = agg
        .arms
        .iter()
        .map(|arm| ArmSummary {
            name: arm.name.clone(),
            replicates: arm.n,
            metrics: PerMetric::from_fn(|id| arm.estimate(id)),
            highest_rung_distribution: p
                .scenario
                .ladder
                .rungs
                .iter()
                .zip(&arm.highest_rung)
                .map(|(r, c)| (r.name.clone(), *c as f64 / arm.n.max(1) as f64))
                .collect(),
            responses_by_trigger_per_run: arm
                .trigger_counts()
                .into_iter()
                .map(|(t, c)| (t.label().to_string(), c as f64 / arm.n.max(1) as f64))
                .collect(),
            calibration: calibration(p, arm),
            mechanisms: Some(mechanisms(arm)),
            pairs: Some(pair_results(p, arm, false)),
        })
        .collect();
    let base = &agg.arms[0].name;
    let paired_differences = agg
        .arms
        .iter()
        .skip(1)
        .map(|arm| PairedDifference {
            arm: arm.name.clone(),
            versus: base.clone(),
            metrics: PerMetric::from_fn(|id| arm.difference(id)),
            mechanisms: Some(mechanism_differences(arm)),
            pairs: Some(pair_results(p, arm, true)),
        })
        .collect();
    let (w_arm, w_metric, w) = widest_interval(agg);
    let sd = w_arm.moments[w_metric as usize].sd();
    Summary {
        format: RESULTS_FORMAT.into(),
        scenario: p.scenario.name.clone(),
        seed,
        replicates,
        horizon_days: p.scenario.horizon_days,
        rungs: p
            .scenario
            .ladder
            .rungs
            .iter()
            .map(|r| r.name.clone())
            .collect(),
        crisis_rung: usize::from(p.crisis_rung),
        states: p.states.iter().map(|s| s.name.clone()).collect(),
        arms,
        paired_differences,
        triggers: Trigger::ALL.iter().map(|t| t.label().to_string()).collect(),
        precision: Precision {
            widest_interval: WidestInterval {
                arm: w_arm.name.clone(),
                metric: w_metric,
                lo: w.lo,
                hi: w.hi,
                width: w.width(),
            },
            replicates_to_halve_it: replicates.saturating_mul(4),
            replicates_for_half_width_0_01: replicates_for(sd, 0.01),
        },
        posterior: None,
    }
}

impl Summary {
    /// Per arm that has section `of_arm`: its name, the section, and the same section of its paired
    /// difference (none for the baseline). The tables of the breakdown and of the pairs read this.
    pub fn arm_sections<'a, T: ?Sized, U: ?Sized>(
        &'a self,
        of_arm: impl Fn(&'a ArmSummary) -> Option<&'a T>,
        of_difference: impl Fn(&'a PairedDifference) -> Option<&'a U>,
    ) -> Vec<(&'a str, &'a T, Option<&'a U>)> {
        self.arms
            .iter()
            .filter_map(|arm| {
                let diff = self
                    .paired_differences
                    .iter()
                    .find(|d| d.arm == arm.name)
                    .and_then(&of_difference);
                of_arm(arm).map(|section| (arm.name.as_str(), section, diff))
            })
            .collect()
    }

    /// The JSON text written to `summary.json`.
    pub fn to_json(&self) -> anyhow::Result<String> {
        Ok(serde_json::to_string_pretty(self)? + "\n")
    }

    /// Reads `summary.json` of the result folder `dir`.
    pub fn load(dir: &Path) -> anyhow::Result<Summary> {
        if !dir.is_dir() {
            anyhow::bail!("{} is not a folder", dir.display());
        }
        let path = dir.join("summary.json");
        if !path.exists() {
            anyhow::bail!(
                "{} is not an escalate result folder: it has no summary.json",
                dir.display()
            );
        }
        let text =
            crate::files::read_bounded_to_string(&path, crate::files::MAX_RESULT_FILE_BYTES)?;
        // A summary.json that is not what escalate writes is bad input the user pointed at (exit 2).
        Summary::parse(&path, &text).map_err(|e| {
            let message = format!("{e:#}");
            let prefix = format!("{}: ", path.display());
            crate::error::InputError::File {
                path: path.display().to_string(),
                line: None,
                message: message
                    .strip_prefix(&prefix)
                    .unwrap_or(&message)
                    .to_string(),
            }
            .into()
        })
    }

    /// Parses summary text; `path` names it in errors. The format tag is checked first, so a file
    /// of another version says so rather than naming the first key that differs.
    pub fn parse(path: &Path, text: &str) -> anyhow::Result<Summary> {
        #[derive(Deserialize)]
        struct Tag {
            format: Option<serde_json::Value>,
        }
        let tag: Tag = serde_json::from_str(text)
            .with_context(|| format!("{}: not a JSON object", path.display()))?;
        let format = tag.format.as_ref().and_then(|f| f.as_str());
        match format {
            Some(RESULTS_FORMAT) => {}
            Some(older) if OLDER_RESULTS_FORMATS.contains(&older) => {}
            Some(other) => anyhow::bail!(
                "{}: written in format \"{other}\", this escalate reads \"{RESULTS_FORMAT}\"; re-run the scenario with this version",
                path.display()
            ),
            None => anyhow::bail!(
                "{}: no \"format\" field; not written by this escalate (it reads \"{RESULTS_FORMAT}\"); re-run the scenario",
                path.display()
            ),
        }
        let summary: Summary =
            serde_json::from_str(text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        if summary.arms.is_empty() {
            anyhow::bail!("{}: lists no arms", path.display());
        }
        // Plots allocate by these sizes: a hand-edited summary (a horizon of 2^32 days, 20,000
        // states) must not exhaust memory. The limits are the scenario's.
        use crate::scenario::validate::{MAX_HORIZON_DAYS, MAX_RUNGS, limits};
        let sizes = [
            (
                "horizon_days",
                summary.horizon_days as usize,
                MAX_HORIZON_DAYS as usize,
            ),
            ("rungs", summary.rungs.len(), MAX_RUNGS),
            ("states", summary.states.len(), limits::MAX_STATES),
            ("arms", summary.arms.len(), limits::MAX_ARMS + 2),
        ];
        for (key, n, max) in sizes {
            if n > max {
                anyhow::bail!(
                    "{}: {key} is {n}, more than a scenario may have ({max}); this file was not written by escalate",
                    path.display()
                );
            }
        }
        if format == Some(RESULTS_FORMAT) {
            for arm in &summary.arms {
                for (key, missing) in [
                    ("mechanisms", arm.mechanisms.is_none()),
                    ("pairs", arm.pairs.is_none()),
                ] {
                    if missing {
                        anyhow::bail!(
                            "{}: arm \"{}\" has no \"{key}\" (format {RESULTS_FORMAT} has it)",
                            path.display(),
                            arm.name
                        );
                    }
                }
            }
            for d in &summary.paired_differences {
                for (key, missing) in [
                    ("mechanisms", d.mechanisms.is_none()),
                    ("pairs", d.pairs.is_none()),
                ] {
                    if missing {
                        anyhow::bail!(
                            "{}: the paired difference of \"{}\" has no \"{key}\" (format {RESULTS_FORMAT} has it)",
                            path.display(),
                            d.arm
                        );
                    }
                }
            }
        }
        if summary.crisis_rung >= summary.rungs.len() {
            anyhow::bail!(
                "{}: crisis_rung {} is not a rung",
                path.display(),
                summary.crisis_rung
            );
        }
        Ok(summary)
    }
}
