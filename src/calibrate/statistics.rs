//! Summary statistics of one arm's replicates, compared with the public incident record: each has
//! the definition `tests/calibration.rs` gives it, so that test can compute its figures here.
//!
//! A statistic is a named item of [`Statistic`]; adding one (e.g. the response mix) is one variant,
//! its resolution in [`Statistic::resolve`] and its computation in [`Measure::compute`].

use crate::outcome::IncidentRecord;
use crate::scenario::types::DcidObjective;
use crate::sim::RunResult;
use crate::units::DCID_LEVELS;
use serde::{Deserialize, Serialize};

/// A summary statistic of the calibrated arm's replicates, as written in a calibration file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub enum Statistic {
    /// Mean number per replicate (per horizon) of incidents the victim `to` publicly attributed to
    /// `from`.
    Attributed {
        /// The state blamed.
        from: String,
        /// The victim.
        to: String,
    },
    /// Share of the incidents attributed between the two states (both directions pooled over every
    /// replicate) whose DCID severity is `level` (1–10).
    Severity {
        /// The two states.
        between: (String, String),
        /// DCID severity level, 1 to 10.
        level: u8,
    },
    /// Share of the incidents attributed between the two states (both directions pooled) with the
    /// DCID objective `objective`.
    Objective {
        /// The two states.
        between: (String, String),
        /// Espionage, Disruption or Degradation.
        objective: DcidObjective,
    },
    /// The simulated distribution function of the launch-to-attribution lag at `days`: the share of
    /// attributed covert incidents (every pair, every replicate pooled) attributed within `days`.
    LagCdf {
        /// Days from launch.
        days: u32,
    },
    /// The `q`-quantile of the launch-to-attribution lag in days (pooled as for [`Statistic::LagCdf`]):
    /// the least lag whose distribution function reaches `q`.
    LagQuantile {
        /// The probability, in (0, 1).
        q: f64,
    },
    /// Share of public attributions (every replicate pooled) that blame a state that did not order
    /// the operation.
    Misattribution,
}

/// A statistic with its states resolved to indices: ready to compute.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Measure {
    /// See [`Statistic::Attributed`].
    Attributed {
        /// Index of the state blamed.
        blamed: usize,
        /// Index of the victim.
        victim: usize,
    },
    /// See [`Statistic::Severity`]; `level` is 1-based.
    Severity {
        /// The two states' indices.
        pair: (usize, usize),
        /// DCID level, 1 to 10.
        level: usize,
    },
    /// See [`Statistic::Objective`].
    Objective {
        /// The two states' indices.
        pair: (usize, usize),
        /// Index in [`DcidObjective::ALL`].
        objective: usize,
    },
    /// See [`Statistic::LagCdf`].
    LagCdf(u32),
    /// See [`Statistic::LagQuantile`].
    LagQuantile(f64),
    /// See [`Statistic::Misattribution`].
    Misattribution,
}

impl Statistic {
    /// Resolves state names against `states`; an error says which name is unknown and what is valid.
    pub fn resolve(&self, states: &[&str]) -> Result<Measure, (String, String)> {
        let find = |field: &str, name: &str| {
            states.iter().position(|s| *s == name).ok_or_else(|| {
                let hint = crate::scenario::validate::did_you_mean(name, states)
                    .map(|d| format!(" (did you mean \"{d}\"?)"))
                    .unwrap_or_default();
                (
                    field.to_string(),
                    format!(
                        "the scenario has no state \"{name}\"{hint}; its states are {}",
                        states.join(", ")
                    ),
                )
            })
        };
        Ok(match self {
            Statistic::Attributed { from, to } => Measure::Attributed {
                blamed: find("from", from)?,
                victim: find("to", to)?,
            },
            Statistic::Severity { between, level } => {
                if !(1..=DCID_LEVELS as u8).contains(level) {
                    return Err((
                        "level".into(),
                        format!("{level} is not a DCID severity level; valid: 1 to {DCID_LEVELS}"),
                    ));
                }
                Measure::Severity {
                    pair: (find("between", &between.0)?, find("between", &between.1)?),
                    level: usize::from(*level),
                }
            }
            Statistic::Objective { between, objective } => Measure::Objective {
                pair: (find("between", &between.0)?, find("between", &between.1)?),
                objective: DcidObjective::ALL
                    .iter()
                    .position(|o| o == objective)
                    .expect("invariant: ALL lists every objective"),
            },
            Statistic::LagCdf { days } => Measure::LagCdf(*days),
            Statistic::LagQuantile { q } => {
                if !(q.is_finite() && *q > 0.0 && *q < 1.0) {
                    return Err((
                        "q".into(),
                        format!(
                            "{q} is not a probability strictly between 0 and 1, e.g. 0.5 for the median"
                        ),
                    ));
                }
                Measure::LagQuantile(*q)
            }
            Statistic::Misattribution => Measure::Misattribution,
        })
    }

    /// A short label for tables and plots, e.g. "attributed RUS→US".
    pub fn label(&self) -> String {
        match self {
            Statistic::Attributed { from, to } => format!("attributed {from}→{to}"),
            Statistic::Severity { between, level } => {
                format!("severity {level} share, {}–{}", between.0, between.1)
            }
            Statistic::Objective { between, objective } => {
                format!("{} share, {}–{}", objective.label(), between.0, between.1)
            }
            Statistic::LagCdf { days } => format!("lag ≤ {days} days (share)"),
            Statistic::LagQuantile { q } => format!("lag {q}-quantile (days)"),
            Statistic::Misattribution => "misattribution share".into(),
        }
    }
}

impl Measure {
    /// The statistic over `runs` (replicates of one arm of a scenario with `states` states). A
    /// share with nothing to share out (no incident) is NaN.
    pub fn compute(&self, runs: &[RunResult], states: usize) -> f64 {
        match *self {
            Measure::Attributed { blamed, victim } => {
                mean_attributed(runs.iter().map(|r| &r.incidents), states, blamed, victim)
            }
            Measure::Severity { pair, level } => {
                let (sev, _) = pooled_mix(runs.iter().map(|r| &r.incidents), states, pair);
                share(sev[level - 1], sev.iter().sum())
            }
            Measure::Objective { pair, objective } => {
                let (sev, obj) = pooled_mix(runs.iter().map(|r| &r.incidents), states, pair);
                // The test's denominator: every incident has one severity and one objective.
                share(obj[objective], sev.iter().sum())
            }
            Measure::LagCdf(days) => lag_cdf(&pooled_lags(runs.iter().map(|r| &r.incidents)), days),
            Measure::LagQuantile(q) => {
                lag_quantile(&pooled_lags(runs.iter().map(|r| &r.incidents)), q)
            }
            Measure::Misattribution => misattribution_share(runs),
        }
    }
}

fn share(part: u64, total: u64) -> f64 {
    if total == 0 {
        f64::NAN
    } else {
        part as f64 / total as f64
    }
}

/// Mean count per replicate of incidents `victim` attributed to `blamed` (`pairs[blamed * n + victim]`).
pub fn mean_attributed<'a>(
    records: impl ExactSizeIterator<Item = &'a IncidentRecord>,
    states: usize,
    blamed: usize,
    victim: usize,
) -> f64 {
    let n = records.len();
    let k = blamed * states + victim;
    records.map(|r| f64::from(r.pairs[k].count)).sum::<f64>() / n as f64
}

/// Severity (levels 1–10) and objective (in [`DcidObjective::ALL`] order) counts of the incidents
/// attributed between the two states, both directions, summed over `records`.
pub fn pooled_mix<'a>(
    records: impl Iterator<Item = &'a IncidentRecord>,
    states: usize,
    (a, b): (usize, usize),
) -> ([u64; DCID_LEVELS], [u64; 3]) {
    let mut sev = [0u64; DCID_LEVELS];
    let mut obj = [0u64; 3];
    for r in records {
        for k in [a * states + b, b * states + a] {
            let pair = &r.pairs[k];
            sev.iter_mut()
                .zip(pair.severity)
                .for_each(|(t, c)| *t += u64::from(c));
            obj.iter_mut()
                .zip(pair.objective)
                .for_each(|(t, c)| *t += u64::from(c));
        }
    }
    (sev, obj)
}

/// Every launch-to-attribution lag of `records`, sorted.
pub fn pooled_lags<'a>(records: impl Iterator<Item = &'a IncidentRecord>) -> Vec<u32> {
    let mut lags: Vec<u32> = records.flat_map(|r| r.lags.iter().copied()).collect();
    lags.sort_unstable();
    lags
}

/// The share of the sorted `lags` at most `days` (NaN when there is none).
pub fn lag_cdf(sorted: &[u32], days: u32) -> f64 {
    share(
        sorted.partition_point(|l| *l <= days) as u64,
        sorted.len() as u64,
    )
}

/// The least lag of the sorted `lags` whose distribution function reaches `q` (NaN when there is
/// none).
pub fn lag_quantile(sorted: &[u32], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let k = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    f64::from(sorted[k - 1])
}

/// Misattributions over public attributions, every replicate pooled (NaN when nothing was attributed).
pub fn misattribution_share(runs: &[RunResult]) -> f64 {
    let attributed: u64 = runs
        .iter()
        .map(|r| u64::from(r.outcome.ops_attributed))
        .sum();
    let mis: u64 = runs
        .iter()
        .map(|r| u64::from(r.outcome.misattributions))
        .sum();
    share(mis, attributed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lag_quantile_inverts_the_distribution_function() {
        let lags = [1, 3, 3, 7, 10, 20];
        for q in [0.1, 0.25, 0.5, 0.75, 0.99] {
            let x = lag_quantile(&lags, q);
            assert!(lag_cdf(&lags, x as u32) >= q, "F({x}) < {q}");
            // Every smaller lag in the data falls short of q.
            assert!(
                lags.iter()
                    .filter(|l| f64::from(**l) < x)
                    .all(|l| lag_cdf(&lags, *l) < q)
            );
        }
        assert!(lag_cdf(&[], 3).is_nan());
        assert_eq!(lag_cdf(&lags, 3), 0.5);
    }

    #[test]
    fn names_resolve_with_a_hint() {
        let s = Statistic::Attributed {
            from: "RUS".into(),
            to: "USA".into(),
        };
        let e = s.resolve(&["US", "RUS"]).unwrap_err();
        assert_eq!(e.0, "to");
        assert!(e.1.contains("did you mean \"US\""), "{}", e.1);
        let bad = Statistic::Severity {
            between: ("US".into(), "RUS".into()),
            level: 11,
        };
        assert!(
            bad.resolve(&["US", "RUS"])
                .unwrap_err()
                .1
                .contains("1 to 10")
        );
    }
}
