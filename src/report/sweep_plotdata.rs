//! What the sweep plots draw, read back from a sweep folder's `sweep.csv` and `morris.csv` alone, so
//! `escalate plot SWEEP_DIR` redraws them without re-simulating.

use crate::montecarlo::stats::Interval;
use serde::{Deserialize, Serialize};

/// The design that produced the points (decides which plots make sense); written as "grid",
/// "latin_hypercube", "morris" or "sobol".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DesignKind {
    /// Full factorial grid.
    Grid,
    /// Latin hypercube sample.
    LatinHypercube,
    /// Morris one-at-a-time trajectories (elementary effects).
    Morris,
    /// Saltelli design for Sobol' first-order and total indices.
    Sobol,
}

impl DesignKind {
    /// As written in files: "grid", "latin_hypercube", "morris" or "sobol".
    pub fn label(self) -> &'static str {
        match self {
            DesignKind::Grid => "grid",
            DesignKind::LatinHypercube => "latin_hypercube",
            DesignKind::Morris => "morris",
            DesignKind::Sobol => "sobol",
        }
    }
}

/// One swept parameter (in `sweep.json` and every shard's description, and on the plots).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParamInfo {
    /// Short label the sweep file gives it (e.g. "attribution skill"); used on axes and as the CSV
    /// column (`name` in the files).
    #[serde(rename = "name")]
    pub label: String,
    /// The scenario paths it sets, one entry each (e.g. `["states[US].attribution.skill",
    /// "states[RUS].attribution.skill"]`; a derived one as `path = offset + scale × x`). Sweep files
    /// written before the list form held one string joined with "; ", which still reads.
    #[serde(deserialize_with = "paths_list_or_joined")]
    pub paths: Vec<String>,
    /// Lowest value swept.
    pub min: f64,
    /// Highest value swept.
    pub max: f64,
    /// Grid levels in increasing order (grid designs; empty otherwise).
    pub levels: Vec<f64>,
}

impl ParamInfo {
    /// The paths joined for a caption on a plot or in a data dictionary.
    pub fn caption(&self) -> String {
        self.paths.join("; ")
    }
}

/// Reads `paths` as a list, or as the one "; "-joined string of earlier sweep files.
fn paths_list_or_joined<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Form {
        List(Vec<String>),
        Joined(String),
    }
    Ok(match Form::deserialize(d)? {
        Form::List(v) => v,
        Form::Joined(s) => s.split("; ").map(str::to_string).collect(),
    })
}

/// The headline outcome of a sweep (the one plotted and used by `--precision`).
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeInfo {
    /// Metric key (as in METRICS, e.g. "crisis").
    pub key: String,
    /// Human label (e.g. "P(crisis)").
    pub label: String,
    /// A proportion (drawn in %) or a mean.
    pub proportion: bool,
}

/// One point of the design.
#[derive(Debug, Clone, PartialEq)]
pub struct PointResult {
    /// Index in the design (0-based).
    pub index: usize,
    /// Parameter values, in `SweepPlotData::parameters` order.
    pub values: Vec<f64>,
    /// Replicates used at this point.
    pub replicates: u64,
    /// Headline outcome per arm, with its 95 % interval.
    pub arms: Vec<Interval>,
    /// Paired difference arm − first arm, per arm (entry 0 is the first arm against itself: 0).
    pub diffs: Vec<Interval>,
}

/// Elementary effects of one parameter on one target quantity.
#[derive(Debug, Clone, PartialEq)]
pub struct MorrisEffect {
    /// Index into `SweepPlotData::parameters`.
    pub param: usize,
    /// Mean elementary effect μ (per unit of the parameter's range, i.e. the change of the outcome
    /// when the parameter goes from its min to its max).
    pub mu: f64,
    /// Mean absolute elementary effect μ*.
    pub mu_star: f64,
    /// Standard deviation σ of the elementary effects (interactions and non-linearity).
    pub sigma: f64,
    /// Number of elementary effects (trajectories).
    pub count: usize,
}

/// The Morris screening results for one target quantity.
#[derive(Debug, Clone, PartialEq)]
pub struct MorrisTarget {
    /// What is screened, e.g. "P(crisis) without channels" or "change in P(crisis): with channels".
    pub label: String,
    /// One effect per parameter, in parameter order.
    pub effects: Vec<MorrisEffect>,
}

/// A Sobol' design's settings, as `sweep.json` records them (absent for other designs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SobolSettings {
    /// Base rows N (the design has N × (parameters + 2) points).
    pub samples: u32,
    /// Bootstrap resamples of the rows for the intervals.
    pub bootstrap: u32,
}

/// One parameter's Sobol' indices on one target quantity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SobolEffect {
    /// Index into `SweepPlotData::parameters`.
    pub param: usize,
    /// First-order index S1 with its 95 % bootstrap interval: the share of the target's variance
    /// the parameter explains alone.
    pub first: Interval,
    /// Total index ST with its 95 % bootstrap interval: its share with every interaction it takes
    /// part in (ST ≥ S1 but for estimation error).
    pub total: Interval,
}

/// The Sobol' indices of every parameter on one target quantity.
#[derive(Debug, Clone, PartialEq)]
pub struct SobolTarget {
    /// What is decomposed, e.g. "P(crisis) — without channels" or "change in P(crisis): with
    /// channels − without channels".
    pub label: String,
    /// The column of `sweep.csv` it is read from, with the arm: e.g. "crisis" or "diff_crisis".
    pub key: String,
    /// The arm.
    pub arm: String,
    /// Variance of the target over the A and B points of the design (its unit squared).
    pub variance: f64,
    /// Mean Monte Carlo variance of one point's estimate (its standard error squared, from its
    /// 95 % interval): the part of `variance` that is noise, not the parameters.
    pub noise_variance: f64,
    /// One entry per parameter, in parameter order.
    pub effects: Vec<SobolEffect>,
}

impl SobolTarget {
    /// The share of the target's variance that is Monte Carlo noise (0 to 1; NaN if it does not vary).
    /// With independent noise an index is biased by it: ST towards 1 (a parameter that does nothing
    /// gets about this much), S1 towards 0 (shrunk by 1 minus it).
    pub fn noise_share(&self) -> f64 {
        if self.variance > 0.0 {
            (self.noise_variance / self.variance).min(1.0)
        } else {
            f64::NAN
        }
    }
}

/// How an index reads against zero and the Monte Carlo noise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexReading {
    /// Its interval includes 0 (or it is not a number): no evidence the parameter matters this way.
    IndistinguishableFromZero,
    /// Above 0, but its whole interval is below the noise share: noise alone could give it.
    WithinNoise,
    /// Above 0 and above the noise.
    Positive,
}

/// How `index` reads given the target's noise share (see [`SobolTarget::noise_share`]).
pub fn reading(index: &Interval, noise_share: f64) -> IndexReading {
    if !(index.value.is_finite() && index.lo.is_finite()) || index.lo <= 0.0 {
        IndexReading::IndistinguishableFromZero
    } else if noise_share.is_finite() && index.hi <= noise_share {
        IndexReading::WithinNoise
    } else {
        IndexReading::Positive
    }
}

/// Everything the sweep plots need.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepPlotData {
    /// Sweep name.
    pub name: String,
    /// Name of the base scenario.
    pub scenario: String,
    /// Master seed.
    pub seed: u64,
    /// Design.
    pub design: DesignKind,
    /// Swept parameters.
    pub parameters: Vec<ParamInfo>,
    /// Arm names; the first is the baseline.
    pub arms: Vec<String>,
    /// The headline outcome.
    pub outcome: OutcomeInfo,
    /// Horizon of the base scenario in days (for captions).
    pub horizon_days: u32,
    /// Every point, in index order.
    pub points: Vec<PointResult>,
    /// Morris results (Morris designs only): one target per arm (the outcome), then one per arm
    /// from the second (the paired difference against the first arm).
    pub morris: Vec<MorrisTarget>,
    /// Sobol' indices (Sobol' designs only), in the same order of targets as `morris`.
    pub sobol: Vec<SobolTarget>,
}

#[cfg(test)]
mod tests {
    use super::ParamInfo;

    #[test]
    fn paths_read_as_a_list_or_as_the_joined_string_of_earlier_files() {
        let list: ParamInfo = serde_json::from_str(
            r#"{"name": "skill", "paths": ["a.b", "c.d"], "min": 0, "max": 1, "levels": []}"#,
        )
        .unwrap();
        let joined: ParamInfo = serde_json::from_str(
            r#"{"name": "skill", "paths": "a.b; c.d", "min": 0, "max": 1, "levels": []}"#,
        )
        .unwrap();
        assert_eq!(list.paths, vec!["a.b", "c.d"]);
        assert_eq!(joined, list);
        assert_eq!(list.caption(), "a.b; c.d");
    }
}
