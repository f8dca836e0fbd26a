//! The breakdowns of `summary.json` added in format 2: what began the chains of responses that
//! reached crisis and kinetic conflict (`mechanisms`), and the results per ordered pair of states
//! (`pairs`), per arm and per paired difference.

use crate::montecarlo::ArmAggregate;
use crate::montecarlo::metrics::MetricId;
use crate::montecarlo::pairs::PairMeasure;
use crate::montecarlo::stats::{Interval, wilson};
use crate::outcome::OriginKind;
use crate::scenario::compile::Compiled;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// The mechanism breakdown of one arm: what kind of operation began each chain of responses that
/// reached the crisis rung, or kinetic conflict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mechanisms {
    /// Replicates with a crisis.
    pub crises: u64,
    /// Replicates with kinetic conflict.
    pub kinetic_conflicts: u64,
    /// Per kind of operation (`misattributed`, `deceptive`, `proxy`, `mercenary`, `independent`).
    pub began_with: IndexMap<String, OriginShares>,
}

/// How often the chains began with one kind of operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OriginShares {
    /// Share of the crises whose chain began with it (Wilson; null without a crisis).
    pub share_of_crises: Interval,
    /// Share of the kinetic conflicts whose chain began with it (null without one).
    pub share_of_kinetic_conflicts: Interval,
    /// Probability per run of a crisis whose chain began with it (Wilson).
    pub crisis: Interval,
    /// Probability per run of a kinetic conflict whose chain began with it (Wilson).
    pub kinetic: Interval,
}

/// The paired difference (arm − baseline) of the probabilities of crisis and kinetic conflict whose
/// chain began with one kind of operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OriginDifference {
    /// Of P(crisis that began with it).
    pub crisis: Interval,
    /// Of P(kinetic conflict that began with it).
    pub kinetic: Interval,
}

/// The mechanism breakdown of one arm.
pub fn mechanisms(arm: &ArmAggregate) -> Mechanisms {
    let crises = arm.successes[MetricId::Crisis as usize];
    let kinetic = arm.successes[MetricId::Kinetic as usize];
    let o = &arm.origins;
    Mechanisms {
        crises,
        kinetic_conflicts: kinetic,
        began_with: OriginKind::ALL
            .iter()
            .map(|k| {
                (
                    k.key().to_string(),
                    OriginShares {
                        share_of_crises: o.share_of_crises(*k, crises),
                        share_of_kinetic_conflicts: o.share_of_kinetic(*k, kinetic),
                        crisis: wilson(o.crisis[*k as usize], arm.n),
                        kinetic: wilson(o.kinetic[*k as usize], arm.n),
                    },
                )
            })
            .collect(),
    }
}

/// The paired differences of the mechanism breakdown of one arm against the first.
pub fn mechanism_differences(arm: &ArmAggregate) -> IndexMap<String, OriginDifference> {
    OriginKind::ALL
        .iter()
        .map(|k| {
            let i = *k as usize;
            (
                k.key().to_string(),
                OriginDifference {
                    crisis: arm.origins.crisis_diff[i].estimate(),
                    kinetic: arm.origins.kinetic_diff[i].estimate(),
                },
            )
        })
        .collect()
}

/// What one state did to another, over the runs of an arm (or its paired difference against the
/// baseline).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairResult {
    /// The state acting.
    pub actor: String,
    /// The state it acted against.
    pub target: String,
    /// Probability that the actor's response brought the pair to the crisis rung.
    pub crisis: Interval,
    /// Probability that the actor went kinetic against the target.
    pub kinetic: Interval,
    /// Responses by the actor against the target, per run.
    pub responses: Interval,
    /// Of those, against a target that did not order the operation answered, per run.
    pub wrongful_responses: Interval,
    /// Trust between the two at the end (the same in both directions).
    pub final_trust: Interval,
}

/// Every ordered pair of an arm, estimates (`difference` false) or paired differences.
pub fn pair_results(p: &Compiled, arm: &ArmAggregate, difference: bool) -> Vec<PairResult> {
    let n = p.states.len();
    let mut out = Vec::new();
    for a in 0..n {
        for b in (0..n).filter(|b| *b != a) {
            let k = a * n + b;
            let get = |m: PairMeasure| {
                if difference {
                    arm.by_pair.difference(k, m)
                } else {
                    arm.by_pair.estimate(k, m)
                }
            };
            out.push(PairResult {
                actor: p.states[a].name.clone(),
                target: p.states[b].name.clone(),
                crisis: get(PairMeasure::Crisis),
                kinetic: get(PairMeasure::Kinetic),
                responses: get(PairMeasure::Responses),
                wrongful_responses: get(PairMeasure::WrongfulResponses),
                final_trust: get(PairMeasure::FinalTrust),
            });
        }
    }
    out
}

impl PairResult {
    /// The value of a measure.
    pub fn get(&self, m: PairMeasure) -> Interval {
        match m {
            PairMeasure::Crisis => self.crisis,
            PairMeasure::Kinetic => self.kinetic,
            PairMeasure::Responses => self.responses,
            PairMeasure::WrongfulResponses => self.wrongful_responses,
            PairMeasure::FinalTrust => self.final_trust,
        }
    }
}
