//! The sweep file's serde types: what a researcher writes in RON.

use crate::report::sweep_plotdata::DesignKind;
use serde::{Deserialize, Serialize};

/// A parameter sweep over a base scenario.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Sweep {
    /// Short identifier, used for the default output folder (`results/sweeps/<name>-NNN/`).
    pub name: String,
    /// What question the sweep answers.
    #[serde(default)]
    pub description: String,
    /// The base scenario: a path relative to the sweep file, or `builtin:us_russia_2016`.
    pub scenario: String,
    /// Master seed (every point uses the same replicate seeds: common random numbers across points).
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Replicates per point (each runs every arm); with `precision`, the first batch and the step.
    #[schemars(range(min = 1))]
    pub replicates: u64,
    /// Arms to compare, by name (default: every arm of the scenario). The first is the baseline of
    /// the paired differences.
    #[serde(default)]
    pub arms: Vec<String>,
    /// Headline outcome: a metric key such as "crisis", "kinetic", "highest_rung" (default "crisis").
    #[serde(default = "default_outcome")]
    pub outcome: String,
    /// Add replicates per point until the headline intervals are narrow enough.
    #[serde(default)]
    pub precision: Option<Precision>,
    /// The parameters swept.
    pub parameters: Vec<Parameter>,
    /// How points are chosen.
    pub design: Design,
}

/// Adaptive replicates per point.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Precision {
    /// Target: the widest 95 % interval of the headline outcome (every arm and every paired
    /// difference) must be narrower than this (in the outcome's unit: 0.02 is 2 points for a proportion).
    pub width: f64,
    /// Cap on the replicates of one point.
    #[schemars(range(min = 1))]
    pub max_replicates: u64,
}

/// One swept parameter: a value that sets one or more places in the scenario.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    /// Label used in the CSV header and on plot axes.
    pub name: String,
    /// Scenario paths set to the value, e.g. `states[US].attribution.skill`, `states[*].detection`,
    /// `measures.channels[Hotline].reliability`, `campaigns[RUS->USA].rate_per_year`.
    #[serde(default)]
    pub set: Vec<String>,
    /// Scenario paths set to `offset + scale × value` (e.g. to split a rate between two campaigns).
    #[serde(default)]
    pub derived: Vec<Derived>,
    /// The values: a range (grid: `levels` evenly spaced values; other designs: the interval) or a list.
    pub values: Values,
}

/// A scenario path set to a linear function of the parameter.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Derived {
    /// Scenario path.
    pub path: String,
    /// Multiplier of the parameter's value.
    #[serde(default = "one")]
    pub scale: f64,
    /// Added after scaling.
    #[serde(default)]
    pub offset: f64,
}

/// A parameter's values.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema, PartialEq)]
pub enum Values {
    /// An interval; a grid takes `levels` evenly spaced values from `min` to `max` (both included).
    Range {
        /// Lowest value.
        min: f64,
        /// Highest value.
        max: f64,
        /// Grid levels (≥ 2 unless min = max; ignored by the Latin hypercube and Morris designs).
        #[serde(default = "default_levels")]
        levels: u32,
    },
    /// Explicit values, in the order given (a Latin hypercube or Morris design picks among them).
    List(Vec<f64>),
}

/// How the points are chosen.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema, PartialEq)]
pub enum Design {
    /// Every combination of every parameter's values (the last parameter varies fastest).
    Grid,
    /// `samples` points; each parameter's range is cut into `samples` equal strata, each hit once.
    LatinHypercube {
        /// Number of points.
        samples: u32,
    },
    /// Morris elementary effects: `trajectories` one-at-a-time paths of (parameters + 1) points
    /// on a `levels`-level grid (levels even, ≥ 2; the step is levels / (2 (levels − 1))).
    Morris {
        /// Number of trajectories (r; 10–50 is usual).
        trajectories: u32,
        /// Grid levels per parameter (p; 4 is usual).
        #[serde(default = "default_morris_levels")]
        levels: u32,
    },
    /// Sobol' variance-based indices: a Saltelli design of `samples` base rows (N), each of
    /// (parameters + 2) points (A, B and A with one column of B per parameter), uniform over each
    /// parameter's range; first-order and total indices with bootstrap intervals in `sobol.csv`.
    Sobol {
        /// Base rows N (the design has N × (parameters + 2) points; 64–512 is usual).
        #[schemars(range(min = super::sobol::MIN_SOBOL_SAMPLES))]
        samples: u32,
        /// Bootstrap resamples of the N rows for the 95 % intervals of the indices.
        #[serde(default = "default_sobol_bootstrap")]
        #[schemars(range(min = super::sobol::MIN_BOOTSTRAP, max = super::sobol::MAX_BOOTSTRAP))]
        bootstrap: u32,
    },
}

impl Design {
    /// Which kind of design.
    pub fn kind(&self) -> DesignKind {
        match self {
            Design::Grid => DesignKind::Grid,
            Design::LatinHypercube { .. } => DesignKind::LatinHypercube,
            Design::Morris { .. } => DesignKind::Morris,
            Design::Sobol { .. } => DesignKind::Sobol,
        }
    }
}

fn default_seed() -> u64 {
    1
}
fn default_outcome() -> String {
    "crisis".into()
}
fn one() -> f64 {
    1.0
}
fn default_levels() -> u32 {
    5
}
fn default_morris_levels() -> u32 {
    4
}
fn default_sobol_bootstrap() -> u32 {
    1000
}
