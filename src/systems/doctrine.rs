//! The doctrine and trust: from a perceived severity, the current escalation level and attribution
//! confidence to a rung; how words over a channel are believed; how trust moves. Pure functions,
//! shared by the response systems.

use crate::rng::Draws;
use crate::scenario::compile::{Compiled, StateId};
use crate::units::DCID_MAX;

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
/// read as 5 with probability 0.3 and as 4 otherwise. Severities are clamped to the DCID scale.
pub fn doctrine_rung(p: &Compiled, actor: StateId, effective_severity: f64, rounding: f64) -> u8 {
    let top = f64::from(DCID_MAX);
    let x = effective_severity.clamp(1.0, top);
    let s = (x.floor() + f64::from(u8::from(x.fract() > rounding))).min(top) as usize;
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

/// How a victim reads an incident when it decides.
#[derive(Debug, Clone, Copy)]
pub struct Reading {
    /// The incident's true severity (DCID points).
    pub severity: f64,
    /// Its severity with the worst-case reading of intent (≥ `severity` when the bias is ≥ 0).
    pub perceived: f64,
    /// Severity points the current tension of the dyad adds (the spiral).
    pub tension: f64,
    /// Attribution confidence when deciding, in [0, 1].
    pub confidence: f64,
}

/// A first response: the rung chosen, and the rung had intent been clarified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    /// Rung chosen on the perceived severity (0: let it pass).
    pub rung: u8,
    /// Rung chosen, with the same draws, on the true severity.
    pub clarified: u8,
    /// The rung the doctrine's table gave (before a reply in kind raised it).
    pub table: u8,
    /// The victim replies in kind (the rung is at least the doctrine's reply rung).
    pub reply_in_kind: bool,
}

/// The rung of a reply in kind if `actor` answers an incident it decides on with `confidence` by
/// one, given its uniform `u`: only when it is sure of who acted, with its doctrine's propensity.
pub fn reply_in_kind(p: &Compiled, actor: StateId, confidence: f64, u: f64) -> Option<u8> {
    let st = &p.states[actor];
    let doctrine = &st.spec.doctrine;
    let rung = st.reply_rung?;
    (confidence >= doctrine.sure_confidence && u < doctrine.reply_in_kind).then_some(rung)
}

/// The doctrine's answer to an incident, read with and without the worst-case reading of intent;
/// a reply in kind (`reply`: its rung, from [`reply_in_kind`]) is carried out instead of a lower
/// rung of the table, and never lowers it.
pub fn choose_response(
    p: &Compiled,
    actor: StateId,
    r: &Reading,
    draws: DecisionDraws,
    reply: Option<u8>,
) -> Choice {
    let choose = |s: f64| {
        final_rung(
            p,
            actor,
            doctrine_rung(p, actor, s, draws.rounding),
            draws.noise,
            r.confidence,
        )
    };
    let table = choose(r.perceived + r.tension);
    let floor = reply.unwrap_or(0);
    Choice {
        rung: table.max(floor),
        clarified: choose(r.severity + r.tension).max(floor),
        table,
        reply_in_kind: reply.is_some(),
    }
}

/// The other side's answer to an action perceived with `severity` while the dyad is at `level`,
/// decided with `confidence` in who acted (0: no answer).
pub fn answer_in_kind(
    p: &Compiled,
    actor: StateId,
    severity: f64,
    level: f64,
    confidence: f64,
    draws: DecisionDraws,
) -> u8 {
    let doctrine = &p.states[actor].spec.doctrine;
    let effective = severity + doctrine.tension_sensitivity * level;
    final_rung(
        p,
        actor,
        doctrine_rung(p, actor, effective, draws.rounding),
        draws.noise,
        confidence,
    )
}

/// An answer of rung `answer` after a crisis call that lowers it by `de_escalation` rungs if
/// `believed` (never below 0).
pub fn talked_down(answer: u8, de_escalation: u8, believed: bool) -> u8 {
    if believed {
        answer.saturating_sub(de_escalation)
    } else {
        answer
    }
}

/// Probability that a message over a channel is believed: trust, plus what the channel's evidence
/// proves regardless of trust.
pub fn credibility(trust: f64, evidence_weight: f64) -> f64 {
    trust + (1.0 - trust) * evidence_weight
}

/// Trust after something that builds it: it closes the fraction `rate` of its distance to 1.
pub fn gain_trust(trust: f64, rate: f64) -> f64 {
    trust + rate * (1.0 - trust)
}

/// Trust after something that costs the fraction `loss` of it.
pub fn lose_trust(trust: f64, loss: f64) -> f64 {
    trust * (1.0 - loss)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load::{DEFAULT_SCENARIO, parse_scenario};

    /// The default scenario: the US (state 0) answers severities 1–5 with "competition" (rung 0),
    /// 6 → 2, 7 → 3, 8 → 4, 9 → 5, 10 → 6; below confidence 0.85 it caps at "sanctions" (3); sure,
    /// it replies in kind ("cyber retaliation", 4) with probability 0.33.
    fn default() -> Compiled {
        parse_scenario("default", DEFAULT_SCENARIO).expect("valid")
    }

    const US: StateId = 0;

    fn sure(noise: i8) -> DecisionDraws {
        DecisionDraws {
            noise,
            rounding: 0.5,
        }
    }

    #[test]
    fn fractional_severities_round_up_with_the_probability_of_their_fraction() {
        let p = default();
        assert_eq!(doctrine_rung(&p, US, 6.3, 0.29), 3, "6.3 read as 7");
        assert_eq!(doctrine_rung(&p, US, 6.3, 0.31), 2, "6.3 read as 6");
        assert_eq!(
            doctrine_rung(&p, US, 6.0, 0.0),
            2,
            "a whole severity is itself"
        );
    }

    #[test]
    fn severities_off_the_scale_are_clamped_to_it() {
        let p = default();
        assert_eq!(
            doctrine_rung(&p, US, -4.0, 0.5),
            doctrine_rung(&p, US, 1.0, 0.5)
        );
        assert_eq!(doctrine_rung(&p, US, 0.0, 0.5), 0);
        assert_eq!(doctrine_rung(&p, US, 25.0, 0.0), 6);
        assert_eq!(doctrine_rung(&p, US, 10.9, 0.0), 6, "no severity above 10");
    }

    #[test]
    fn noise_is_restraint_below_and_escalation_above() {
        let p = default();
        // US: restraint 0.35, escalation 0.15.
        assert_eq!(decision_from(&p, US, 0.34, 0.5).noise, -1);
        assert_eq!(decision_from(&p, US, 0.35, 0.5).noise, 0);
        assert_eq!(decision_from(&p, US, 0.84, 0.5).noise, 0);
        assert_eq!(decision_from(&p, US, 0.85, 0.5).noise, 1);
    }

    #[test]
    fn noise_never_invents_a_response_and_stays_on_the_ladder() {
        let p = default();
        assert_eq!(final_rung(&p, US, 0, 1, 1.0), 0);
        assert_eq!(final_rung(&p, US, 1, -1, 1.0), 0);
        assert_eq!(final_rung(&p, US, p.top_rung(), 1, 1.0), p.top_rung());
        assert_eq!(final_rung(&p, US, 4, 1, 1.0), 5);
    }

    #[test]
    fn an_unsure_victim_is_capped() {
        let p = default();
        assert_eq!(final_rung(&p, US, 6, 0, 0.84), 3, "capped at sanctions");
        assert_eq!(final_rung(&p, US, 6, 0, 0.85), 6, "sure enough");
        assert_eq!(final_rung(&p, US, 2, 0, 0.1), 2, "the cap never raises");
    }

    #[test]
    fn the_worst_case_reading_never_lowers_a_response() {
        let p = default();
        for severity in 1..=10 {
            for tenths in 0..30 {
                for noise in [-1, 0, 1] {
                    let severity = f64::from(severity);
                    let r = Reading {
                        severity,
                        perceived: perceived_severity(&p, US, severity, tenths as f64 / 29.0, 0.0),
                        tension: 0.4,
                        confidence: 0.9,
                    };
                    let c = choose_response(&p, US, &r, sure(noise), None);
                    assert!(c.clarified <= c.rung, "{r:?} {c:?}");
                }
            }
        }
        // Dialogue removes the bias: the two readings agree.
        let r = Reading {
            severity: 5.0,
            perceived: perceived_severity(&p, US, 5.0, 1.0, 1.0),
            tension: 0.0,
            confidence: 1.0,
        };
        let c = choose_response(&p, US, &r, sure(0), None);
        assert_eq!(c.rung, c.clarified);
    }

    #[test]
    fn tension_hardens_the_answer_in_kind() {
        let p = default();
        let calm = answer_in_kind(&p, US, 6.0, 0.0, 1.0, sure(0));
        let tense = answer_in_kind(&p, US, 6.0, 4.0, 1.0, sure(0));
        assert_eq!(calm, 2);
        assert_eq!(tense, 5, "0.75 points per rung of level: 6 + 3 = 9");
        for level in 0..8 {
            let a = answer_in_kind(&p, US, 6.0, level as f64, 1.0, sure(0));
            let b = answer_in_kind(&p, US, 6.0, level as f64 + 1.0, 1.0, sure(0));
            assert!(a <= b);
        }
    }

    #[test]
    fn a_reply_in_kind_needs_a_sure_victim_and_its_propensity() {
        let p = default();
        // US: reply_in_kind 0.33 at "cyber retaliation" (4), sure from confidence 0.85.
        assert_eq!(reply_in_kind(&p, US, 0.85, 0.32), Some(4));
        assert_eq!(
            reply_in_kind(&p, US, 0.85, 0.33),
            None,
            "above the propensity"
        );
        assert_eq!(reply_in_kind(&p, US, 0.84, 0.0), None, "unsure: no reply");
        let prk = p.states.iter().position(|s| s.name == "PRK").expect("PRK");
        assert_eq!(reply_in_kind(&p, prk, 1.0, 0.0), None, "no reply rung");
    }

    #[test]
    fn a_reply_in_kind_raises_the_table_and_never_lowers_it() {
        let p = default();
        let reading = |severity: f64| Reading {
            severity,
            perceived: severity,
            tension: 0.0,
            confidence: 1.0,
        };
        let calm = choose_response(&p, US, &reading(4.0), sure(0), Some(4));
        assert_eq!((calm.table, calm.rung, calm.clarified), (0, 4, 4));
        assert!(calm.reply_in_kind);
        let severe = choose_response(&p, US, &reading(9.0), sure(0), Some(4));
        assert_eq!(
            (severe.table, severe.rung),
            (5, 5),
            "the table's higher rung stays"
        );
        let none = choose_response(&p, US, &reading(4.0), sure(0), None);
        assert_eq!((none.rung, none.reply_in_kind), (0, false));
    }

    #[test]
    fn a_crisis_call_lowers_only_when_believed_and_not_below_zero() {
        assert_eq!(talked_down(5, 2, true), 3);
        assert_eq!(talked_down(5, 2, false), 5);
        assert_eq!(talked_down(1, 3, true), 0);
    }

    #[test]
    fn credibility_is_between_trust_and_one() {
        assert_eq!(credibility(0.3, 0.0), 0.3);
        assert_eq!(credibility(0.3, 1.0), 1.0);
        assert!((credibility(0.5, 0.5) - 0.75).abs() < 1e-12);
    }

    #[test]
    fn trust_moves_the_right_way_and_stays_in_the_unit_interval() {
        for t in [0.0, 0.2, 0.5, 0.9, 1.0] {
            for r in [0.0, 0.1, 0.5, 1.0] {
                let up = gain_trust(t, r);
                let down = lose_trust(t, r);
                assert!((t..=1.0).contains(&up), "{t} {r} {up}");
                assert!((0.0..=t).contains(&down), "{t} {r} {down}");
            }
        }
        assert_eq!(gain_trust(0.5, 1.0), 1.0);
        assert_eq!(lose_trust(0.5, 1.0), 0.0);
    }
}
