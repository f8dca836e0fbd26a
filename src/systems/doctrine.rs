//! The doctrine: from a perceived severity, the current escalation level and attribution confidence
//! to a rung. Pure functions, shared by the response systems.

use crate::rng::Draws;
use crate::scenario::compile::{Compiled, StateId};

/// Rung the doctrine of `actor` chooses for an effective severity, before noise.
pub fn doctrine_rung(p: &Compiled, actor: StateId, effective_severity: f64) -> u8 {
    let s = effective_severity.round().clamp(1.0, 10.0) as usize;
    p.states[actor].response[s - 1]
}

/// The noise of a decision: −1 (restraint), 0, or +1 (escalation). One draw.
pub fn decision_noise(p: &Compiled, actor: StateId, d: &mut Draws<'_>) -> i8 {
    let doc = &p.states[actor].spec.doctrine;
    let u = d.uniform();
    if u < doc.restraint {
        -1
    } else if u >= 1.0 - doc.escalation {
        1
    } else {
        0
    }
}

/// Applies noise and the unsure cap to a doctrine rung, within the ladder.
pub fn final_rung(p: &Compiled, actor: StateId, base: u8, noise: i8, confidence: f64) -> u8 {
    if base == 0 {
        // The doctrine ignores the incident; noise does not invent a response.
        return 0;
    }
    let mut r = (base as i16 + noise as i16).clamp(0, p.top_rung() as i16) as u8;
    let st = &p.states[actor];
    if confidence < st.spec.doctrine.sure_confidence
        && let Some(cap) = st.unsure_cap
    {
        r = r.min(cap);
    }
    r
}

/// Severity an incident is perceived with: the worst-case reading adds `bias × ambiguity`, reduced
/// by dialogue.
pub fn perceived_severity(
    p: &Compiled,
    victim: StateId,
    severity: f64,
    ambiguity: f64,
    bias_reduction: f64,
) -> f64 {
    severity + p.states[victim].spec.worst_case_bias * ambiguity * (1.0 - bias_reduction)
}

/// Probability that a message over a channel is believed: trust, plus what the channel's evidence
/// proves regardless of trust.
pub fn credibility(trust: f64, evidence_weight: f64) -> f64 {
    trust + (1.0 - trust) * evidence_weight
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credibility_is_between_trust_and_one() {
        assert_eq!(credibility(0.3, 0.0), 0.3);
        assert_eq!(credibility(0.3, 1.0), 1.0);
        assert!((credibility(0.5, 0.5) - 0.75).abs() < 1e-12);
    }
}
