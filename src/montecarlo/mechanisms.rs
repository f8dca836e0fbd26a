//! The mechanism breakdown: which kinds of operation began the chains of responses that reached
//! crisis and kinetic conflict, per arm and paired against the first arm.

use super::stats::{Interval, Moments, wilson};
use crate::outcome::{OriginKind, Outcome};

/// Kinds of origin tallied.
pub const KINDS: usize = OriginKind::ALL.len();

/// Bit of "the kinetic conflict began with kind k" in a replicate's indicators (k below it: the crisis).
const KINETIC_SHIFT: usize = 8;

/// A replicate-arm's indicators: bit `k` when its crisis began with an operation of kind `k`, bit
/// `KINETIC_SHIFT + k` for its kinetic conflict.
pub fn indicators(o: &Outcome) -> u16 {
    let mut bits = 0u16;
    for (shift, origin) in [(0, o.crisis_origin), (KINETIC_SHIFT, o.kinetic_origin)] {
        if let Some(origin) = origin {
            for (k, kind) in OriginKind::ALL.iter().enumerate() {
                if origin.kinds.contains(*kind) {
                    bits |= 1 << (shift + k);
                }
            }
        }
    }
    bits
}

fn bit(bits: u16, shift: usize, k: usize) -> f64 {
    f64::from((bits >> (shift + k)) & 1)
}

/// One arm's tallies of origins.
#[derive(Debug, Clone, Default)]
pub struct OriginAggregate {
    /// Replicates whose crisis began with an operation of each kind (in `OriginKind::ALL` order).
    pub crisis: [u64; KINDS],
    /// Replicates whose kinetic conflict began with an operation of each kind.
    pub kinetic: [u64; KINDS],
    /// Paired difference (this arm − first arm) of "a crisis that began with kind k", per replicate.
    pub crisis_diff: [Moments; KINDS],
    /// Paired difference of "a kinetic conflict that began with kind k", per replicate.
    pub kinetic_diff: [Moments; KINDS],
}

impl OriginAggregate {
    /// Adds one replicate: this arm's indicators and the first arm's.
    pub fn push(&mut self, bits: u16, base: u16) {
        for k in 0..KINDS {
            let (c, k_) = (bit(bits, 0, k), bit(bits, KINETIC_SHIFT, k));
            self.crisis[k] += c as u64;
            self.kinetic[k] += k_ as u64;
            self.crisis_diff[k].push(c - bit(base, 0, k));
            self.kinetic_diff[k].push(k_ - bit(base, KINETIC_SHIFT, k));
        }
    }

    /// Share of the `crises` whose chain began with `kind` (Wilson; NaN without a crisis).
    pub fn share_of_crises(&self, kind: OriginKind, crises: u64) -> Interval {
        wilson(self.crisis[kind as usize], crises)
    }

    /// Share of the `kinetic` conflicts whose chain began with `kind`.
    pub fn share_of_kinetic(&self, kind: OriginKind, kinetic: u64) -> Interval {
        wilson(self.kinetic[kind as usize], kinetic)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::{Origin, OriginKinds};

    fn outcome(crisis: &[OriginKind], kinetic: Option<&[OriginKind]>) -> Outcome {
        let origin = |ks: &[OriginKind]| Origin {
            op: 1,
            kinds: ks
                .iter()
                .fold(OriginKinds::default(), |s, k| s.with(*k, true)),
        };
        Outcome {
            crisis_day: Some(3),
            crisis_origin: Some(origin(crisis)),
            kinetic_origin: kinetic.map(origin),
            ..Outcome::default()
        }
    }

    #[test]
    fn counts_and_paired_differences_follow_the_indicators() {
        let a = outcome(&[OriginKind::Misattributed, OriginKind::Mercenary], None);
        let b = outcome(&[OriginKind::Proxy], Some(&[OriginKind::Proxy]));
        let mut agg = OriginAggregate::default();
        agg.push(indicators(&a), indicators(&b));
        agg.push(indicators(&b), indicators(&b));
        assert_eq!(agg.crisis, [1, 0, 1, 1, 0]);
        assert_eq!(agg.kinetic, [0, 0, 1, 0, 0]);
        assert_eq!(agg.crisis_diff[0].mean(), 0.5);
        assert_eq!(agg.crisis_diff[2].mean(), -0.5);
        assert_eq!(agg.kinetic_diff[2].mean(), -0.5);
        assert_eq!(agg.kinetic_diff[1].mean(), 0.0);
        let s = agg.share_of_crises(OriginKind::Proxy, 2);
        assert_eq!(s.value, 0.5);
        assert!(agg.share_of_kinetic(OriginKind::Proxy, 0).value.is_nan());
        assert_eq!(indicators(&Outcome::default()), 0);
    }
}
