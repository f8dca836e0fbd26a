//! The doctrine: from a perceived severity, the current escalation level and attribution confidence
//! to a rung. Pure functions, shared by the response systems.

use crate::rng::Draws;
use crate::scenario::compile::{Compiled, StateId};

/// The random part of a decision, drawn once per decision.
#[derive(Debug, Clone, Copy)]
pub struct DecisionDraws {
    /// −1 (restraint), 0, or +1 (escalation).
    pub noise: i8,
    /// Uniform used to round a fractional severity up or down (stochastic rounding), so that the
    /// doctrine's answer changes smoothly with the parameters rather than jumping at .5.
    pub rounding: f64,
}

/// Rung the doctrine of `actor` chooses for an effective severity, before noise: severity 4.3 is
/// read as 5 with probability 0.3 and as 4 otherwise.
pub fn doctrine_rung(p: &Compiled, actor: StateId, effective_severity: f64, rounding: f64) -> u8 {
    let x = effective_severity.clamp(1.0, 10.0);
    let s = (x.floor() + f64::from(u8::from(x.fract() > rounding))).min(10.0) as usize;
    p.states[actor].response[s - 1]
}

/// Draws the random part of a decision by `actor` (two draws).
pub fn decision_draws(p: &Compiled, actor: StateId, d: &mut Draws<'_>) -> DecisionDraws {
    let noise_u = d.uniform();
    let rounding = d.uniform();
    decision_from(p, actor, noise_u, rounding)
}

/// The random part of a decision by `actor` from its two uniforms (noise, rounding).
pub fn decision_from(p: &Compiled, actor: StateId, noise_u: f64, rounding: f64) -> DecisionDraws {
    let doc = &p.states[actor].spec.doctrine;
    let noise = if noise_u < doc.restraint {
        -1
    } else if noise_u >= 1.0 - doc.escalation {
        1
    } else {
        0
    };
    DecisionDraws { noise, rounding }
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
