//! Policy capture (`escalate fit-doctrine`): the doctrine's choice at a decision point of the seat
//! as a probability over the options, given what the seat saw and the doctrine's parameters.
//!
//! The probabilities are not a copy of the doctrine: they integrate the model's own decision
//! functions ([`crate::systems::doctrine`]: `decision_from`, `reply_in_kind`, `choose_response`,
//! `answer_in_kind`) exactly over the uniforms each decision draws. Every decision is a step
//! function of its uniforms, constant between known break points (the restraint and escalation
//! thresholds, the fraction of the effective severity for the rounding, the reply-in-kind
//! propensity); the function is evaluated once in each cell between break points and weighted by
//! the cell's size, so the fit and the simulation cannot drift apart.

use crate::model::seat::{Choice, SeatView, Situation};
use crate::scenario::compile::{Compiled, StateId};
use crate::scenario::types::StateActor;
use crate::systems::doctrine::{
    Reading, answer_in_kind, choose_response, decision_from, reply_in_kind,
};
use crate::units::DCID_MAX;

/// A doctrine parameter of the seated state that the fit can move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Param {
    /// `doctrine.restraint`: probability of answering one rung lower.
    Restraint,
    /// `doctrine.escalation`: probability of answering one rung higher.
    Escalation,
    /// `doctrine.sure_confidence`: below it a first response is capped (and never a reply in kind).
    SureConfidence,
    /// `doctrine.reply_in_kind`: probability a sure victim replies in kind.
    ReplyInKind,
    /// `doctrine.incident_tension`: severity points per rung of tension on a new incident.
    IncidentTension,
    /// `doctrine.tension_sensitivity`: severity points per rung of tension in the spiral.
    TensionSensitivity,
    /// `worst_case_bias`: severity points added at ambiguity 1 on a new incident.
    WorstCaseBias,
    /// `honesty`: probability of admitting an operation it ordered when accused.
    Honesty,
}

/// Upper bound searched for a tension parameter (severity points per rung of tension): the whole
/// ladder's severity range over one rung, far beyond any bundled scenario (0.1–0.75).
pub const MAX_TENSION_POINTS: f64 = 3.0;

/// Upper bound searched for the worst-case bias (DCID points at ambiguity 1; bundled: 1–2).
pub const MAX_BIAS_POINTS: f64 = 5.0;

impl Param {
    /// Every parameter, in the order reported.
    pub const ALL: [Param; 8] = [
        Param::Restraint,
        Param::Escalation,
        Param::SureConfidence,
        Param::ReplyInKind,
        Param::IncidentTension,
        Param::TensionSensitivity,
        Param::WorstCaseBias,
        Param::Honesty,
    ];

    /// Its field in the scenario, under the seated state.
    pub fn field(self) -> &'static str {
        match self {
            Param::Restraint => "doctrine.restraint",
            Param::Escalation => "doctrine.escalation",
            Param::SureConfidence => "doctrine.sure_confidence",
            Param::ReplyInKind => "doctrine.reply_in_kind",
            Param::IncidentTension => "doctrine.incident_tension",
            Param::TensionSensitivity => "doctrine.tension_sensitivity",
            Param::WorstCaseBias => "worst_case_bias",
            Param::Honesty => "honesty",
        }
    }

    /// The range searched.
    pub fn bounds(self) -> (f64, f64) {
        match self {
            Param::IncidentTension | Param::TensionSensitivity => (0.0, MAX_TENSION_POINTS),
            Param::WorstCaseBias => (0.0, MAX_BIAS_POINTS),
            _ => (0.0, 1.0),
        }
    }

    /// Its value in a state's entry.
    pub fn get(self, s: &StateActor) -> f64 {
        let d = &s.doctrine;
        match self {
            Param::Restraint => d.restraint,
            Param::Escalation => d.escalation,
            Param::SureConfidence => d.sure_confidence,
            Param::ReplyInKind => d.reply_in_kind,
            Param::IncidentTension => d.incident_tension(),
            Param::TensionSensitivity => d.tension_sensitivity,
            Param::WorstCaseBias => s.worst_case_bias,
            Param::Honesty => s.honesty,
        }
    }

    /// Sets its value in a state's entry.
    pub fn set(self, s: &mut StateActor, v: f64) {
        let d = &mut s.doctrine;
        match self {
            Param::Restraint => d.restraint = v,
            Param::Escalation => d.escalation = v,
            Param::SureConfidence => d.sure_confidence = v,
            Param::ReplyInKind => d.reply_in_kind = v,
            Param::IncidentTension => d.incident_tension = Some(v),
            Param::TensionSensitivity => d.tension_sensitivity = v,
            Param::WorstCaseBias => s.worst_case_bias = v,
            Param::Honesty => s.honesty = v,
        }
    }

    /// Why the parameter cannot be fitted from decision files of this scenario's seat, if it
    /// cannot: the seat's view carries a tension or a bias only as points computed with the
    /// scenario's value, which a value of 0 leaves no way to rescale.
    pub fn unfittable(self, p: &Compiled, seat: StateId) -> Option<&'static str> {
        let st = &p.states[seat];
        match self {
            Param::SureConfidence if st.unsure_cap.is_none() && st.reply_rung.is_none() => {
                Some("the doctrine has no unsure_cap and no reply_rung for it to gate")
            }
            Param::ReplyInKind if st.reply_rung.is_none() => Some("the doctrine has no reply_rung"),
            Param::IncidentTension | Param::TensionSensitivity | Param::WorstCaseBias
                if self.get(&st.spec) <= 0.0 =>
            {
                Some("it is 0 in the scenario, so the decisions saved carry no points to rescale")
            }
            _ => None,
        }
    }
}

/// One decision as the seat saw it and took it.
#[derive(Debug, Clone, PartialEq)]
pub struct Observed {
    /// What the seat saw (computed with the scenario's own parameters).
    pub view: SeatView,
    /// What it could choose.
    pub options: Vec<Choice>,
    /// What it chose.
    pub choice: Choice,
}

/// Cells of the unit interval cut at `breaks`: (midpoint, width) of each non-empty cell.
fn cells(breaks: &[f64]) -> Vec<(f64, f64)> {
    let mut cuts: Vec<f64> = breaks
        .iter()
        .copied()
        .filter(|b| *b > 0.0 && *b < 1.0)
        .collect();
    cuts.sort_by(f64::total_cmp);
    cuts.dedup();
    let mut edges = Vec::with_capacity(cuts.len() + 2);
    edges.push(0.0);
    edges.extend(cuts);
    edges.push(1.0);
    edges
        .windows(2)
        .map(|w| ((w[0] + w[1]) / 2.0, w[1] - w[0]))
        .collect()
}

/// The fraction a severity is rounded on (as `doctrine_rung` reads it: clamped to the DCID scale).
fn rounding_break(effective: f64) -> f64 {
    effective.clamp(1.0, f64::from(DCID_MAX)).fract()
}

/// `value` computed with the scenario's parameter `recorded`, rescaled to the parameter `now`
/// (the view's points are linear in it). Unchanged when the parameter is unchanged.
fn rescale(value: f64, recorded: f64, now: f64) -> f64 {
    if now == recorded || recorded <= 0.0 {
        value
    } else {
        value * (now / recorded)
    }
}

/// The doctrine's probability of each option at a decision point of `seat`, under the parameters
/// in `p` (the scenario with the seat's parameters set). `recorded` is the seat's entry in the
/// scenario the view was computed with. The probabilities sum to 1 over `options` (a choice the
/// doctrine cannot make has probability 0).
pub fn choice_probabilities(
    p: &Compiled,
    seat: StateId,
    recorded: &StateActor,
    view: &SeatView,
    options: &[Choice],
) -> Vec<f64> {
    let mut probs = vec![0.0; options.len()];
    let mut add = |c: Choice, w: f64| {
        if let Some(i) = options.iter().position(|o| *o == c) {
            probs[i] += w;
        }
    };
    let st = &p.states[seat];
    let doc = &st.spec.doctrine;
    let noise = cells(&[doc.restraint, 1.0 - doc.escalation]);
    match view.situation {
        Situation::Attributed {
            severity,
            confidence,
            perceived,
            tension,
            ..
        } => {
            let severity = f64::from(severity);
            let reading = Reading {
                severity,
                perceived: severity
                    + rescale(
                        perceived - severity,
                        recorded.worst_case_bias,
                        st.spec.worst_case_bias,
                    ),
                tension: rescale(
                    tension,
                    recorded.doctrine.incident_tension(),
                    doc.incident_tension(),
                ),
                confidence,
            };
            let rounding = cells(&[
                rounding_break(reading.perceived + reading.tension),
                rounding_break(reading.severity + reading.tension),
            ]);
            // The reply-in-kind uniform is drawn only by a doctrine with a reply rung.
            let reply = match st.reply_rung {
                Some(_) => cells(&[doc.reply_in_kind]),
                None => vec![(0.5, 1.0)],
            };
            for &(un, wn) in &noise {
                for &(ur, wr) in &rounding {
                    let draws = decision_from(p, seat, un, ur);
                    for &(uq, wq) in &reply {
                        let r = st
                            .reply_rung
                            .and_then(|_| reply_in_kind(p, seat, confidence, uq));
                        let c = choose_response(p, seat, &reading, draws, r);
                        add(Choice::Rung(c.rung), wn * wr * wq);
                    }
                }
            }
        }
        Situation::ActedAgainst { seen, tension, .. } => {
            // The view's tension is the recorded sensitivity times the level after red lines.
            let recorded_sensitivity = recorded.doctrine.tension_sensitivity;
            let level = if recorded_sensitivity > 0.0 {
                tension / recorded_sensitivity
            } else {
                view.level
            };
            let confidence = p.scenario.dynamics.spiral_confidence;
            let rounding = cells(&[rounding_break(seen + doc.tension_sensitivity * level)]);
            for &(un, wn) in &noise {
                for &(ur, wr) in &rounding {
                    let draws = decision_from(p, seat, un, ur);
                    let r = answer_in_kind(p, seat, seen, level, confidence, draws);
                    add(Choice::Rung(r), wn * wr);
                }
            }
        }
        Situation::Accused { .. } => {
            // The model draws honesty as `uniform < honesty` (`Draws::chance`).
            add(Choice::Admit, st.spec.honesty);
            add(Choice::Deny, 1.0 - st.spec.honesty);
        }
    }
    probs
}

/// Probability of the observed choice under the doctrine in `p`, mixed with a lapse: with
/// probability `lapse` the chooser picks uniformly among the options.
pub fn choice_likelihood(
    p: &Compiled,
    seat: StateId,
    recorded: &StateActor,
    d: &Observed,
    lapse: f64,
) -> f64 {
    let probs = choice_probabilities(p, seat, recorded, &d.view, &d.options);
    let doctrine = d
        .options
        .iter()
        .position(|o| *o == d.choice)
        .map_or(0.0, |i| probs[i]);
    (1.0 - lapse) * doctrine + lapse / d.options.len() as f64
}

/// Index of the doctrine's most likely option (the lowest of equals).
pub fn most_likely(probs: &[f64]) -> usize {
    let mut best = 0;
    for (i, p) in probs.iter().enumerate() {
        if *p > probs[best] {
            best = i;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::seat::rung_options;
    use crate::scenario::load::{DEFAULT_SCENARIO, parse_scenario};
    use crate::systems::doctrine::DecisionDraws;

    fn default() -> Compiled {
        parse_scenario("default", DEFAULT_SCENARIO).expect("valid")
    }

    fn attributed(severity: u8, confidence: f64, perceived: f64, tension: f64) -> SeatView {
        SeatView {
            day: 10,
            seat: 0,
            against: 1,
            level: 2.0,
            trust: 0.5,
            situation: Situation::Attributed {
                op: 1,
                kind: crate::scenario::types::OperationKind::Espionage,
                sector: 0,
                severity,
                confidence,
                perceived,
                tension,
            },
            reason: None,
        }
    }

    /// Points of the brute-force grid over the reply-in-kind uniform.
    const REPLY_POINTS: usize = 100;

    /// The model's choice at a view on a fine grid of its uniforms: the brute-force distribution.
    fn brute_force(p: &Compiled, view: &SeatView, top: u8) -> Vec<f64> {
        let n = 200;
        let mut counts = vec![0.0; top as usize + 1];
        let grid = |i: usize| (i as f64 + 0.5) / n as f64;
        for a in 0..n {
            for b in 0..n {
                for c in 0..REPLY_POINTS {
                    let draws: DecisionDraws = decision_from(p, 0, grid(a), grid(b));
                    let rung = match view.situation {
                        Situation::Attributed {
                            severity,
                            confidence,
                            perceived,
                            tension,
                            ..
                        } => {
                            let reading = Reading {
                                severity: f64::from(severity),
                                perceived,
                                tension,
                                confidence,
                            };
                            let u = (c as f64 + 0.5) / REPLY_POINTS as f64;
                            let r = reply_in_kind(p, 0, confidence, u);
                            choose_response(p, 0, &reading, draws, r).rung
                        }
                        Situation::ActedAgainst { seen, tension, .. } => {
                            let level = tension / p.states[0].spec.doctrine.tension_sensitivity;
                            answer_in_kind(
                                p,
                                0,
                                seen,
                                level,
                                p.scenario.dynamics.spiral_confidence,
                                draws,
                            )
                        }
                        Situation::Accused { .. } => unreachable!("not a rung"),
                    };
                    counts[rung as usize] += 1.0;
                }
            }
        }
        let total = (n * n * REPLY_POINTS) as f64;
        counts.iter().map(|c| c / total).collect()
    }

    #[test]
    fn the_probabilities_are_the_models_choice_integrated_over_its_uniforms() {
        let p = default();
        let top = p.top_rung();
        let recorded = p.states[0].spec.clone();
        let views = [
            attributed(7, 0.9, 7.78, 0.3),
            attributed(9, 0.5, 9.2, 0.0),
            attributed(4, 0.95, 4.0, 0.45),
            attributed(10, 1.0, 11.2, 1.0),
            SeatView {
                situation: Situation::ActedAgainst {
                    rung: 4,
                    seen: 5.0,
                    tension: 0.75 * 2.6,
                },
                ..attributed(1, 1.0, 1.0, 0.0)
            },
        ];
        let mut spread = 0;
        for view in &views {
            let exact = choice_probabilities(&p, 0, &recorded, view, &rung_options(top));
            let sum: f64 = exact.iter().sum();
            assert!((sum - 1.0).abs() < 1e-12, "{view:?}: {exact:?}");
            let brute = brute_force(&p, view, top);
            for (e, b) in exact.iter().zip(&brute) {
                // A grid point misplaces at most one grid cell at each break point: two for the
                // noise (1/200 each), two for the rounding (1/200 each), one for a reply (1/100).
                assert!(
                    (e - b).abs() < 0.031,
                    "{view:?}\nexact {exact:?}\nbrute {brute:?}"
                );
            }
            spread = spread.max(exact.iter().filter(|x| **x > 0.0).count());
        }
        assert!(
            spread >= 3,
            "no view spreads over three rungs: the test proves little"
        );
    }

    #[test]
    fn moving_a_parameter_moves_the_probabilities_the_right_way() {
        let mut p = default();
        let recorded = p.states[0].spec.clone();
        let view = attributed(9, 0.95, 9.0, 0.0);
        let options = rung_options(p.top_rung());
        let before = choice_probabilities(&p, 0, &recorded, &view, &options);
        Param::Escalation.set(&mut p.states[0].spec, 0.5);
        let after = choice_probabilities(&p, 0, &recorded, &view, &options);
        // Severity 9 → rung 5 by the table; escalation moves mass to rung 6.
        assert!(after[6] > before[6] + 0.3, "{before:?} {after:?}");
        let accused = SeatView {
            situation: Situation::Accused {
                op: 1,
                planned: 3,
                measure: 0,
                honesty: 0.2,
            },
            ..view
        };
        Param::Honesty.set(&mut p.states[0].spec, 0.7);
        let probs =
            choice_probabilities(&p, 0, &recorded, &accused, &[Choice::Admit, Choice::Deny]);
        assert_eq!(probs, vec![0.7, 1.0 - 0.7]);
    }

    #[test]
    fn a_lapse_gives_every_option_some_probability() {
        let p = default();
        let recorded = p.states[0].spec.clone();
        let options = rung_options(p.top_rung());
        let d = Observed {
            view: attributed(2, 1.0, 2.0, 0.0),
            options: options.clone(),
            choice: Choice::Rung(6),
        };
        assert_eq!(choice_likelihood(&p, 0, &recorded, &d, 0.0), 0.0);
        let l = choice_likelihood(&p, 0, &recorded, &d, 0.1);
        assert!((l - 0.1 / options.len() as f64).abs() < 1e-12);
    }

    #[test]
    fn cells_cover_the_unit_interval() {
        let c = cells(&[0.3, 0.85, 0.3, 0.0, 1.0]);
        assert_eq!(c.len(), 3);
        assert!((c.iter().map(|x| x.1).sum::<f64>() - 1.0).abs() < 1e-15);
        assert_eq!(cells(&[]), vec![(0.5, 1.0)]);
    }
}
