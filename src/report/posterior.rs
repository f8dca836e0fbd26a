//! A run under a calibration's posterior (`escalate run --posterior`): the section of summary.json
//! that gives every estimate its second interval, with parameter uncertainty, and the tables and
//! words the terminal and the report show it with.

use super::table::{ArmColumn, Block, ESTIMATE_HEADING, Fit, TERMINAL_WIDTH, blocks_fitting, grid};
use crate::montecarlo::Aggregate;
use crate::montecarlo::metrics::{MetricId, PerMetric};
use crate::montecarlo::posterior::{DrawSpread, metric_range, with_parameters};
use crate::montecarlo::stats::Interval;
use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// How the interval with parameter uncertainty is made, in words (summary.json and the report).
pub const METHOD: &str = "Each replicate drew one particle of the posterior by weight (the same in every arm). \
The Monte Carlo interval is the usual one over all replicates: it measures only the simulation's noise around the \
posterior-predictive mean (the estimate averaged over the parameters' uncertainty). The interval with parameter \
uncertainty also spans where the estimate would lie were the parameters known: the between-draw standard deviation \
sd_between of the estimate, from a one-way random-effects analysis of variance of the replicates grouped by the \
particle they drew (the within-draw noise removed), widens each side of the Monte Carlo interval in quadrature: \
value ± sqrt(half-width² + (1.96 sd_between)²), clamped to [0, 1] for probabilities and [−1, 1] for their differences.";

/// The parameter-uncertainty section of summary.json (present only in runs under a posterior; a
/// reader that does not know it ignores it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PosteriorSummary {
    /// The calibration folder, as given.
    pub folder: String,
    /// The calibration's name.
    pub calibration: String,
    /// SHA-256 of the scenario apart from the calibrated numbers.
    pub scenario_fingerprint: String,
    /// The calibrated parameters.
    pub parameters: Vec<String>,
    /// Particles of positive weight in the posterior.
    pub particles: usize,
    /// Effective sample size of the posterior's weights.
    pub effective_sample_size: f64,
    /// Particles drawn by at least one replicate.
    pub draws_used: usize,
    /// How the second interval is made, in words.
    pub method: String,
    /// Per arm, in arm order: every metric with its interval with parameter uncertainty.
    pub arms: Vec<PosteriorArm>,
    /// Each arm from the second against the first: the paired differences, the same way.
    pub paired_differences: Vec<PosteriorArm>,
}

/// One arm (or one paired difference) with parameter uncertainty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PosteriorArm {
    /// The arm.
    pub arm: String,
    /// Every metric: the estimate (as in the Monte Carlo interval), its 95 % interval with
    /// parameter uncertainty, and the between-draw standard deviation it was widened by.
    pub metrics: PerMetric<ParameterInterval>,
}

/// An estimate's interval with parameter uncertainty.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ParameterInterval {
    /// The estimate and its 95 % interval with parameter uncertainty.
    #[serde(flatten)]
    pub interval: Interval,
    /// Between-draw standard deviation of the estimate (0: the parameters drawn do not move it
    /// beyond the Monte Carlo noise).
    pub between_draw_sd: f64,
}

/// What the run knows of the posterior folder.
pub struct PosteriorSource<'a> {
    /// The folder, as given.
    pub folder: &'a str,
    /// The calibration's name.
    pub calibration: &'a str,
    /// The scenario's fingerprint.
    pub fingerprint: &'a str,
    /// The parameters.
    pub parameters: &'a [String],
    /// Particles of positive weight.
    pub particles: usize,
    /// Effective sample size of the weights.
    pub effective_sample_size: f64,
}

/// The section, from the aggregate (the Monte Carlo intervals) and the spread between draws.
pub fn section(agg: &Aggregate, spread: &DrawSpread, src: &PosteriorSource) -> PosteriorSummary {
    let interval = |mc: Interval, sd: f64, range| ParameterInterval {
        interval: with_parameters(mc, sd, range),
        between_draw_sd: sd,
    };
    let arms = agg
        .arms
        .iter()
        .enumerate()
        .map(|(a, arm)| {
            let sd = spread.arm_sd(a);
            PosteriorArm {
                arm: arm.name.clone(),
                metrics: PerMetric::from_fn(|id| {
                    interval(arm.estimate(id), sd[id], metric_range(id, false))
                }),
            }
        })
        .collect();
    let paired_differences = agg
        .arms
        .iter()
        .enumerate()
        .skip(1)
        .map(|(a, arm)| {
            let sd = spread.difference_sd(a);
            PosteriorArm {
                arm: arm.name.clone(),
                metrics: PerMetric::from_fn(|id| {
                    interval(arm.difference(id), sd[id], metric_range(id, true))
                }),
            }
        })
        .collect();
    PosteriorSummary {
        folder: src.folder.to_string(),
        calibration: src.calibration.to_string(),
        scenario_fingerprint: src.fingerprint.to_string(),
        parameters: src.parameters.to_vec(),
        particles: src.particles,
        effective_sample_size: src.effective_sample_size,
        draws_used: spread.draws_used(),
        method: METHOD.to_string(),
        arms,
        paired_differences,
    }
}

/// The heading of the estimates' first column in the tables with parameter uncertainty.
pub const WITH_PARAMETERS_HEADING: &str = "with parameter uncertainty (95 %)";

fn columns(p: &PosteriorSummary) -> Vec<ArmColumn<'_>> {
    p.arms
        .iter()
        .map(|arm| {
            let diff = p.paired_differences.iter().find(|d| d.arm == arm.arm);
            ArmColumn {
                name: &arm.arm,
                estimate: Box::new(move |k| {
                    MetricId::from_key(k).map(|id| arm.metrics[id].interval)
                }),
                difference: Box::new(move |k| {
                    diff.zip(MetricId::from_key(k))
                        .map(|(d, id)| d.metrics[id].interval)
                }),
            }
        })
        .collect()
}

/// The tables with parameter uncertainty (estimates, then paired differences), laid out as `fit`
/// says, like the Monte Carlo table they stand beside.
pub fn tables(p: &PosteriorSummary, fit: Fit) -> (Vec<Block>, Vec<Block>) {
    let cols = columns(p);
    let (mut estimates, differences) = blocks_fitting(&cols, fit);
    for b in &mut estimates {
        if b.header.first().is_some_and(|h| h == ESTIMATE_HEADING) {
            b.header[0] = WITH_PARAMETERS_HEADING.to_string();
        }
    }
    (estimates, differences)
}

/// The sentence that says which interval is which.
pub fn which_is_which(p: &PosteriorSummary) -> String {
    format!(
        "Parameters drawn from the posterior of calibration \"{}\" ({}; {} particles, effective sample size {:.0}; {} of them drawn). \
         Every estimate has two 95 % intervals: the table above gives the Monte Carlo interval (the simulation's noise only, \
         around the estimate averaged over the parameters' uncertainty); the table below, the interval with parameter \
         uncertainty (where the estimate would lie were the parameters known, given what the calibration says about them). \
         The second always contains the first.",
        p.calibration,
        p.parameters.join(", "),
        p.particles,
        p.effective_sample_size,
        p.draws_used
    )
}

/// The terminal's tables with parameter uncertainty, after the Monte Carlo table.
pub fn terminal(p: &PosteriorSummary) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}\n", which_is_which(p));
    let (estimates, differences) = tables(p, Fit::Width(TERMINAL_WIDTH));
    for b in &estimates {
        grid(&mut out, b);
        out.push('\n');
    }
    if !differences.is_empty() {
        let _ = writeln!(
            out,
            "Paired difference with parameter uncertainty (the same parameters and random draws in both arms):\n"
        );
        for b in &differences {
            grid(&mut out, b);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_section_reads_back_and_the_flattened_interval_is_plain_json() {
        let pi = ParameterInterval {
            interval: Interval {
                value: 0.1,
                lo: 0.05,
                hi: 0.2,
            },
            between_draw_sd: 0.03,
        };
        let json = serde_json::to_string(&pi).expect("serialises");
        assert_eq!(
            json,
            "{\"value\":0.1,\"lo\":0.05,\"hi\":0.2,\"between_draw_sd\":0.03}"
        );
        assert_eq!(
            serde_json::from_str::<ParameterInterval>(&json).expect("reads"),
            pi
        );
    }
}
