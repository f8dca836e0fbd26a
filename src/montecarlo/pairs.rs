//! Results per ordered pair of states (who acted against whom): P(crisis), P(kinetic conflict),
//! responses, responses against an innocent state, and final trust, per arm and paired against the
//! first arm.

use super::stats::{Interval, Moments, wilson};
use crate::outcome::PairOutcome;

/// What is reported per ordered pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairMeasure {
    /// The actor's response brought the pair to the crisis rung.
    Crisis,
    /// The actor went kinetic against the target.
    Kinetic,
    /// Responses by the actor against the target.
    Responses,
    /// Of those, against a target that did not order the operation answered.
    WrongfulResponses,
    /// Trust between the two at the end.
    FinalTrust,
}

impl PairMeasure {
    /// Every measure, in report order.
    pub const ALL: [PairMeasure; 5] = [
        PairMeasure::Crisis,
        PairMeasure::Kinetic,
        PairMeasure::Responses,
        PairMeasure::WrongfulResponses,
        PairMeasure::FinalTrust,
    ];

    /// Key in JSON.
    pub fn key(self) -> &'static str {
        match self {
            PairMeasure::Crisis => "crisis",
            PairMeasure::Kinetic => "kinetic",
            PairMeasure::Responses => "responses",
            PairMeasure::WrongfulResponses => "wrongful_responses",
            PairMeasure::FinalTrust => "final_trust",
        }
    }

    /// Label in tables.
    pub fn label(self) -> &'static str {
        match self {
            PairMeasure::Crisis => "P(crisis)",
            PairMeasure::Kinetic => "P(kinetic conflict)",
            PairMeasure::Responses => "responses",
            PairMeasure::WrongfulResponses => "responses against an innocent state",
            PairMeasure::FinalTrust => "trust at the end",
        }
    }

    /// A 0/1 measure per run (Wilson interval, percentage points).
    pub fn is_proportion(self) -> bool {
        matches!(self, PairMeasure::Crisis | PairMeasure::Kinetic)
    }

    /// Its value in one run.
    pub fn value(self, o: &PairOutcome) -> f64 {
        match self {
            PairMeasure::Crisis => f64::from(u8::from(o.crisis)),
            PairMeasure::Kinetic => f64::from(u8::from(o.kinetic)),
            PairMeasure::Responses => f64::from(o.responses),
            PairMeasure::WrongfulResponses => f64::from(o.wrongful_responses),
            PairMeasure::FinalTrust => o.final_trust,
        }
    }
}

const MEASURES: usize = PairMeasure::ALL.len();

/// One arm's results per ordered pair (`actor * n + target`; the diagonal stays empty).
#[derive(Debug, Clone)]
pub struct PairAggregate {
    /// Runs.
    pub n: u64,
    /// Per pair and measure: runs where a 0/1 measure was 1.
    pub successes: Vec<[u64; MEASURES]>,
    /// Per pair and measure: moments over runs.
    pub moments: Vec<[Moments; MEASURES]>,
    /// Per pair and measure: paired difference (this arm − first arm).
    pub diffs: Vec<[Moments; MEASURES]>,
}

impl PairAggregate {
    /// Empty, for `pairs` ordered pairs (n × n).
    pub fn new(pairs: usize) -> PairAggregate {
        PairAggregate {
            n: 0,
            successes: vec![[0; MEASURES]; pairs],
            moments: vec![[Moments::default(); MEASURES]; pairs],
            diffs: vec![[Moments::default(); MEASURES]; pairs],
        }
    }

    /// Adds one replicate: this arm's pairs and the first arm's. Call in replicate order.
    pub fn push(&mut self, pairs: &[PairOutcome], base: &[PairOutcome]) {
        self.n += 1;
        for (k, (o, b)) in pairs.iter().zip(base).enumerate() {
            for (i, m) in PairMeasure::ALL.iter().enumerate() {
                let v = m.value(o);
                if m.is_proportion() && v > 0.0 {
                    self.successes[k][i] += 1;
                }
                self.moments[k][i].push(v);
                self.diffs[k][i].push(v - m.value(b));
            }
        }
    }

    /// Estimate of a measure for pair `k`, with its 95 % interval.
    pub fn estimate(&self, k: usize, m: PairMeasure) -> Interval {
        if m.is_proportion() {
            wilson(self.successes[k][m as usize], self.n)
        } else {
            self.moments[k][m as usize].estimate()
        }
    }

    /// Paired difference of a measure for pair `k` against the first arm.
    pub fn difference(&self, k: usize, m: PairMeasure) -> Interval {
        self.diffs[k][m as usize].estimate()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimates_and_paired_differences_per_pair() {
        let quiet = PairOutcome {
            final_trust: 0.5,
            ..Default::default()
        };
        let hot = PairOutcome {
            responses: 3,
            wrongful_responses: 1,
            crisis: true,
            kinetic: false,
            final_trust: 0.25,
        };
        let mut agg = PairAggregate::new(2);
        agg.push(&[quiet, hot], &[quiet, quiet]);
        agg.push(&[quiet, quiet], &[quiet, hot]);
        assert_eq!(agg.estimate(1, PairMeasure::Crisis).value, 0.5);
        assert_eq!(agg.estimate(1, PairMeasure::Responses).value, 1.5);
        assert_eq!(agg.estimate(1, PairMeasure::FinalTrust).value, 0.375);
        assert_eq!(agg.estimate(0, PairMeasure::Crisis).value, 0.0);
        assert_eq!(agg.difference(1, PairMeasure::Crisis).value, 0.0);
        assert_eq!(agg.difference(1, PairMeasure::WrongfulResponses).value, 0.0);
        assert_eq!(agg.difference(0, PairMeasure::Responses).value, 0.0);
        let mut one = PairAggregate::new(2);
        one.push(&[quiet, hot], &[quiet, quiet]);
        assert_eq!(one.difference(1, PairMeasure::Responses).value, 3.0);
        assert_eq!(one.difference(1, PairMeasure::FinalTrust).value, -0.25);
    }
}
