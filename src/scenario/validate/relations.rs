//! `relations` and `dynamics`: initial trust per pair of states, tension decay, trust dynamics.

use super::Checker;
use crate::scenario::compile::dyad_count;
use std::collections::BTreeSet;

/// Checks relations and dynamics; returns the initial trust per dyad (None if a name does not
/// resolve).
pub(super) fn check(c: &mut Checker) -> Option<Vec<f64>> {
    let s = c.s;
    let mut trust = Some(vec![s.dynamics.default_trust; dyad_count(s.states.len())]);
    let mut pairs_seen = BTreeSet::new();
    for (i, r) in s.relations.iter().enumerate() {
        let dyad = c.pair(&format!("relations[{i}].between"), &r.between);
        let key = if r.between.0 <= r.between.1 {
            (&r.between.0, &r.between.1)
        } else {
            (&r.between.1, &r.between.0)
        };
        if !pairs_seen.insert(key) {
            c.add(
                format!("relations[{i}].between"),
                format!(
                    "the pair ({}, {}) is listed twice; list each pair once",
                    r.between.0, r.between.1
                ),
            );
        }
        c.probability(&format!("relations[{i}].trust"), r.trust);
        match (trust.as_mut(), dyad) {
            (Some(t), Some(d)) => t[d] = r.trust,
            _ => trust = None,
        }
    }
    let dy = &s.dynamics;
    c.positive("dynamics.tension_half_life_days", dy.tension_half_life_days);
    c.probability("dynamics.default_trust", dy.default_trust);
    c.probability("dynamics.honest_trust_gain", dy.honest_trust_gain);
    c.probability("dynamics.lie_discovery", dy.lie_discovery);
    c.probability("dynamics.lie_trust_loss", dy.lie_trust_loss);
    c.probability("dynamics.lie_credibility_loss", dy.lie_credibility_loss);
    c.probability("dynamics.violation_trust_loss", dy.violation_trust_loss);
    c.probability("dynamics.spiral_confidence", dy.spiral_confidence);
    trust
}
