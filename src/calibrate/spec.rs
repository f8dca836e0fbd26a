//! The calibration file as written: priors over scenario parameters (addressed by the sweep's
//! paths), the targets (summary statistics of one arm with their observed values and scales), and
//! the settings of the sequential Monte Carlo ABC. Read by [`super::load`].

use super::statistics::Statistic;
use serde::{Deserialize, Serialize};

/// A calibration file (`scenarios/calibration/*.ron`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename = "Calibration")]
pub struct Calibration {
    /// Names the output folder (letters, digits, `-`, `_`).
    pub name: String,
    /// What the calibration is for.
    #[serde(default)]
    pub description: String,
    /// The arm whose replicates are compared with the targets (default: the scenario's first arm,
    /// "without channels").
    #[serde(default)]
    pub arm: Option<String>,
    /// Master seed of every draw of the calibration.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Replicates simulated per particle: the statistics are means or pooled shares over them.
    #[serde(default = "default_replicates")]
    pub replicates: u64,
    /// Particles per generation (accepted ones).
    #[serde(default = "default_population")]
    pub population: usize,
    /// Each generation's tolerance is this quantile of the previous generation's distances, in (0, 1).
    #[serde(default = "default_alpha")]
    pub alpha: f64,
    /// Stop when a generation accepts fewer than this share of its proposals, in (0, 1]; a
    /// generation that cannot reach its population within population / min_acceptance proposals is
    /// abandoned and the one before it is the posterior.
    #[serde(default = "default_min_acceptance")]
    pub min_acceptance: f64,
    /// Most generations, the prior's (generation 0) included.
    #[serde(default = "default_max_generations")]
    pub max_generations: u32,
    /// The uncertain parameters, each with its prior.
    pub priors: Vec<Prior>,
    /// The summary statistics the calibrated model should reproduce.
    pub targets: Vec<Target>,
}

fn default_seed() -> u64 {
    1
}
fn default_replicates() -> u64 {
    300
}
fn default_population() -> usize {
    200
}
fn default_alpha() -> f64 {
    0.5
}
fn default_min_acceptance() -> f64 {
    0.02
}
fn default_max_generations() -> u32 {
    8
}

/// One uncertain parameter: a prior over the numbers its paths name (all set to the same value).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename = "Prior")]
pub struct Prior {
    /// Label in tables and plots, e.g. "Russian operation rate".
    pub name: String,
    /// Scenario paths, as in sweep files: `campaigns[RUS->US].rate_per_year`, `states[*].detection`.
    pub set: Vec<String>,
    /// The prior distribution.
    pub distribution: Distribution,
}

/// A prior distribution; every one has bounded support (the kernel is kept inside it).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub enum Distribution {
    /// Uniform on [min, max].
    Uniform {
        /// Lower bound.
        min: f64,
        /// Upper bound.
        max: f64,
    },
    /// Log-uniform on [min, max], 0 < min < max: every factor of ten equally likely.
    LogUniform {
        /// Lower bound (> 0).
        min: f64,
        /// Upper bound.
        max: f64,
    },
    /// Beta(alpha, beta) stretched onto [min, max] (default [0, 1]).
    Beta {
        /// First shape (> 0).
        alpha: f64,
        /// Second shape (> 0).
        beta: f64,
        /// Lower bound (default 0).
        #[serde(default)]
        min: f64,
        /// Upper bound (default 1).
        #[serde(default = "one")]
        max: f64,
    },
    /// Normal(mean, sd) truncated to [min, max].
    Normal {
        /// Mean before truncation.
        mean: f64,
        /// Standard deviation before truncation (> 0).
        sd: f64,
        /// Lower bound.
        min: f64,
        /// Upper bound.
        max: f64,
    },
}

fn one() -> f64 {
    1.0
}

/// One summary statistic of the calibrated arm with its observed value.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename = "Target")]
pub struct Target {
    /// What is measured.
    pub statistic: Statistic,
    /// The observed value, in the statistic's unit.
    pub observed: f64,
    /// The scale dividing the statistic's difference in the distance (its sampling standard
    /// deviation, say); default: the median absolute deviation of the statistic under the prior
    /// (prior predictive, generation 0).
    #[serde(default)]
    pub scale: Option<f64>,
}
