//! Responses to attributed incidents: perception of intent, the doctrine's choice, and the channel
//! consulted before retaliating.

use super::channels::{consultation_lines, place_call};
use super::doctrine::*;
use crate::model::event_log::{Event, EventLog};
use crate::model::*;
use crate::rng::{Process, combine};
use crate::scenario::compile::{Compiled, MeasureParams, SourceKind, StateId, dyad_index};
use crate::scenario::types::OperationKind;
use bevy_ecs::prelude::*;

/// The dialogue bias reduction in force on a dyad (an active dialogue that has held a round).
pub fn dialogue_bias_reduction(p: &Compiled, active: &[bool], dyad_idx: usize, dyad: &Dyad) -> f64 {
    if dyad.dialogue_rounds == 0 {
        return 0.0;
    }
    p.measures
        .iter()
        .enumerate()
        .filter(|(m, meas)| active[*m] && meas.dyad == dyad_idx)
        .filter_map(|(_, meas)| match &meas.params {
            MeasureParams::Dialogue(d) => Some(d.bias_reduction),
            _ => None,
        })
        .fold(0.0, f64::max)
}

/// The agreement or pledge an operation by `accused` against `victim` would break, if active.
pub fn breached_measure(
    p: &Compiled,
    active: &[bool],
    accused: StateId,
    victim: StateId,
    kind: OperationKind,
    sector: usize,
) -> Option<usize> {
    let dyad = dyad_index(p.states.len(), accused, victim);
    p.measures.iter().enumerate().find_map(|(m, meas)| {
        if !active[m] || meas.dyad != dyad {
            return None;
        }
        match &meas.params {
            MeasureParams::Agreement(_, mask) if mask[sector] => Some(m),
            MeasureParams::Pledge(_) if kind == OperationKind::Influence => Some(m),
            _ => None,
        }
    })
}

/// Sub-stream tag of the accused's answer (honesty, lie discovery), distinct from the chain's keys.
const ANSWER_KEY: u64 = 0xA5A5_0000_0000_0001;

/// Consults a channel before responding if one applies and connects; otherwise schedules the response.
#[allow(clippy::too_many_arguments)]
pub fn consult_or_respond(
    p: &Compiled,
    active: &[bool],
    dyad_idx: usize,
    decision: Decision,
    sector: Option<usize>,
    today: u32,
    streams: &mut RandomStreams,
    tally: &mut Tally,
    agenda: &mut Agenda,
    chronicle: Option<&mut EventLog>,
) {
    let lines = consultation_lines(p, active, dyad_idx, decision.rung, sector);
    let first = lines.first().map(|l| l.measure);
    let call = place_call(lines, decision.key, streams, tally);
    if let Some(ch) = chronicle
        && let Some(measure) = call.map(|c| c.line.measure).or(first)
    {
        ch.record(
            today,
            Event::Consulted {
                decision: decision.key,
                actor: decision.actor,
                against: decision.against,
                measure,
                connected: call.is_some(),
            },
        );
    }
    if let Some(call) = call {
        let day = day_after(today, call.line.latency_days);
        agenda.schedule(
            day,
            AgendaEvent::Answer {
                decision,
                measure: call.line.measure,
                believe_draw: call.belief_draw,
            },
        );
        return;
    }
    let day = day_after(today, p.states[decision.actor].spec.doctrine.decision_days);
    agenda.schedule(day, AgendaEvent::Respond(decision));
}

/// On public attribution: tally the incident, read its intent, choose a response, consult a channel.
#[allow(clippy::too_many_arguments)]
pub fn respond_to_incidents(
    params: Res<Params>,
    arm: Res<ArmState>,
    clock: Res<Clock>,
    due: Res<Due>,
    dyad_entities: Res<DyadEntities>,
    mut streams: ResMut<RandomStreams>,
    mut agenda: ResMut<Agenda>,
    mut tally: ResMut<Tally>,
    ops: Query<(&Operation, &Detection, &AttributionBelief, &ResponseDraws)>,
    mut dyads: Query<&mut Dyad>,
    mut chronicle: Option<ResMut<EventLog>>,
) {
    let p = &*params.0;
    let n = p.states.len();
    let today = clock.today;
    for &e in &due.attributions {
        let (op, det, belief, first) = ops
            .get(e)
            .expect("invariant: an attributed operation has a belief");
        let blamed = belief
            .blamed
            .expect("invariant: only operations blamed on a state are scheduled");
        // An operation detected after its own dyad went to war is not counted (as in the end-of-run
        // tally of detections), so that attributed ≤ detected holds.
        if let Some(s) = op.sponsor {
            let own = dyads
                .get(dyad_entities.0[dyad_index(n, op.victim, s)])
                .expect("invariant: every dyad is spawned");
            if !own.running_on(det.day) {
                continue;
            }
        }
        let di = dyad_index(n, op.victim, blamed);
        let mut dyad = dyads
            .get_mut(dyad_entities.0[di])
            .expect("invariant: every dyad is spawned");
        if !dyad.running_on(today) {
            continue;
        }
        let wrongful = Some(blamed) != op.sponsor;
        tally.attributed += 1;
        tally.misattributed += u32::from(wrongful);
        let profile = p.kinds[op.kind.index()]
            .as_ref()
            .expect("invariant: kind profiled");
        let pair = &mut tally.attributed_pairs[blamed * n + op.victim];
        pair.count += 1;
        pair.severity[op.severity as usize - 1] += 1;
        pair.objective[profile.objective as usize] += 1;
        let truth = match (op.sponsor, p.sources[op.source].kind) {
            (Some(s), _) => s,
            (None, SourceKind::Freelance) => n,
            (None, _) => n + 1,
        };
        tally.confusion[truth * n + blamed] += 1;
        if !op.overt {
            tally.attribution_lags.push(today - op.launch_day);
        }
        if breached_measure(p, &arm.active, blamed, op.victim, op.kind, op.sector).is_some() {
            tally.violations_attributed += 1;
            dyad.trust *= 1.0 - p.scenario.dynamics.violation_trust_loss;
        }

        let victim = &p.states[op.victim].spec;
        let doctrine = &victim.doctrine;
        let confidence = if op.overt {
            1.0
        } else {
            belief.confidence_after(today as f64 + doctrine.decision_days - det.day as f64)
        };
        let bias_reduction = dialogue_bias_reduction(p, &arm.active, di, &dyad);
        let level = dyad.level_on(today, p.scenario.dynamics.tension_half_life_days);
        let tension = doctrine.tension_sensitivity * level;
        let severity = op.severity as f64;
        let perceived =
            perceived_severity(p, op.victim, severity, profile.ambiguity, bias_reduction);
        let root = combine(op.key, 0xD0);
        let dd = decision_from(p, op.victim, first.noise, first.rounding);
        let choose = |s: f64| {
            final_rung(
                p,
                op.victim,
                doctrine_rung(p, op.victim, s, dd.rounding),
                dd.noise,
                confidence,
            )
        };
        let rung = choose(perceived + tension);
        let rung_clarified = choose(severity + tension);
        if let Some(ch) = chronicle.as_deref_mut() {
            ch.record(
                today,
                Event::Attributed {
                    op: op.key,
                    blamed,
                    confidence,
                    deception: belief.deception,
                    saw_through: belief.saw_through,
                },
            );
            ch.record(
                today,
                Event::Decided {
                    op: op.key,
                    decision: root,
                    actor: op.victim,
                    against: blamed,
                    rung,
                    clarified: rung_clarified,
                },
            );
        }
        if rung == 0 {
            continue;
        }
        let decision = Decision {
            key: root,
            actor: op.victim,
            against: blamed,
            rung,
            rung_clarified,
            trigger: Trigger::from_deception(belief.deception, wrongful),
            op: Some(e),
            depth: 0,
            root,
            wrongful,
        };
        consult_or_respond(
            p,
            &arm.active,
            di,
            decision,
            Some(op.sector),
            today,
            &mut streams,
            &mut tally,
            &mut agenda,
            chronicle.as_deref_mut(),
        );
    }
}

/// Answers to channel calls: the accused denies (truthfully or not) or acknowledges; the caller
/// decides whether to believe it, and responds, lowers its response, or stands down.
#[allow(clippy::too_many_arguments)]
pub fn hear_channel_answers(
    params: Res<Params>,
    clock: Res<Clock>,
    due: Res<Due>,
    dyad_entities: Res<DyadEntities>,
    mut streams: ResMut<RandomStreams>,
    mut agenda: ResMut<Agenda>,
    mut tally: ResMut<Tally>,
    mut dyads: Query<&mut Dyad>,
    mut chronicle: Option<ResMut<EventLog>>,
) {
    let p = &*params.0;
    let n = p.states.len();
    let today = clock.today;
    let dy = &p.scenario.dynamics;
    for (decision, m, believe_draw) in &due.answers {
        let di = dyad_index(n, decision.actor, decision.against);
        let mut dyad = dyads
            .get_mut(dyad_entities.0[di])
            .expect("invariant: every dyad is spawned");
        if !dyad.running_on(today) {
            continue;
        }
        let evidence_weight = match &p.measures[*m].params {
            MeasureParams::Channel(c, _) => c.evidence_weight,
            _ => 0.0,
        };
        let believed = *believe_draw < credibility(dyad.trust, evidence_weight);
        let accused = &p.states[decision.against].spec;
        let mut r = streams
            .0
            .keyed(Process::Response, combine(decision.key, ANSWER_KEY));
        let honest = r.chance(accused.honesty);
        let discovered = r.chance(dy.lie_discovery);
        let outcome = if decision.wrongful {
            // The accused did not order it and says so.
            if believed {
                tally.de_escalations += 1;
                tally.corrections += 1;
                dyad.trust += dy.honest_trust_gain * (1.0 - dyad.trust);
                None
            } else {
                Some(decision.rung)
            }
        } else if honest {
            // Acknowledged: intent is clarified and the temperature drops.
            dyad.trust += dy.honest_trust_gain * (1.0 - dyad.trust);
            let lowered = decision.rung_clarified.min(decision.rung);
            if lowered < decision.rung {
                tally.de_escalations += 1;
            }
            (lowered > 0).then_some(lowered)
        } else {
            tally.lies += 1;
            if believed {
                tally.de_escalations += 1;
                if discovered {
                    let victim = &p.states[decision.actor].spec;
                    let later = day_after(today, victim.attribution.time_scale.median_days);
                    agenda.schedule(
                        later,
                        AgendaEvent::TrustShock {
                            dyad: di,
                            loss: dy.lie_trust_loss,
                        },
                    );
                }
                None
            } else {
                Some(decision.rung)
            }
        };
        if let Some(ch) = chronicle.as_deref_mut() {
            ch.record(
                today,
                Event::Answered {
                    decision: decision.key,
                    actor: decision.actor,
                    against: decision.against,
                    measure: *m,
                    innocent: decision.wrongful,
                    acknowledged: !decision.wrongful && honest,
                    believed,
                    planned: decision.rung,
                    after: outcome.unwrap_or(0),
                },
            );
        }
        if let Some(rung) = outcome {
            let day = day_after(today, p.states[decision.actor].spec.doctrine.decision_days);
            agenda.schedule(
                day,
                AgendaEvent::Respond(Decision {
                    rung,
                    ..decision.clone()
                }),
            );
        }
    }
}
