//! Carrying out responses: the dyad climbs the ladder, the other side answers (the spiral), crisis
//! channels talk it down, kinetic conflict ends the dyad.

use super::channels::{crisis_lines, place_call};
use super::doctrine::*;
use crate::model::event_log::{Event, EventLog};
use crate::model::*;
use crate::rng::{Process, combine};
use crate::scenario::compile::{MeasureParams, dyad_index};
use bevy_ecs::prelude::*;

/// Applies the responses due today and decides the other side's answer to each.
#[allow(clippy::too_many_arguments)]
pub fn carry_out_responses(
    params: Res<Params>,
    arm: Res<ArmState>,
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
    let half_life = p.scenario.dynamics.tension_half_life_days;
    for d in &due.responses {
        let di = dyad_index(n, d.actor, d.against);
        let mut dyad = dyads
            .get_mut(dyad_entities.0[di])
            .expect("invariant: every dyad is spawned");
        if !dyad.running_on(today) {
            continue;
        }
        let rung = &p.scenario.ladder.rungs[d.rung as usize];
        dyad.level = dyad.level_on(today, half_life).max(d.rung as f64);
        dyad.level_day = today;
        dyad.highest = dyad.highest.max(d.rung);
        if d.rung >= p.crisis_rung && dyad.crisis_day.is_none() {
            dyad.crisis_day = Some(today);
        }
        tally.level_log.push((di, today, dyad.level, rung.kinetic));
        tally.responses += 1;
        tally.responses_by_trigger[d.trigger as usize] += 1;
        tally.wrongful_responses += u32::from(d.wrongful);
        tally.escalation_score += rung.score;
        tally.response_damage += rung.severity;
        if let Some(ch) = chronicle.as_deref_mut() {
            ch.record(
                today,
                Event::Responded {
                    decision: d.key,
                    actor: d.actor,
                    against: d.against,
                    rung: d.rung,
                    trigger: d.trigger,
                    wrongful: d.wrongful,
                    level: dyad.level,
                    kinetic: rung.kinetic,
                },
            );
        }
        if rung.kinetic {
            dyad.kinetic_day = Some(today);
            continue;
        }

        // The other side sees the action and answers by its own doctrine.
        let actor = d.against;
        let doctrine = &p.states[actor].spec.doctrine;
        let key = combine(d.root, d.depth as u64 + 1);
        let dd = decision_draws(p, actor, &mut streams.0.keyed(Process::Response, key));
        let effective = rung.severity + doctrine.tension_sensitivity * dyad.level;
        let mut answer = final_rung(
            p,
            actor,
            doctrine_rung(p, actor, effective, dd.rounding),
            dd.noise,
            1.0,
        );
        if answer == 0 {
            continue;
        }
        let mut delay = doctrine.decision_days;
        let in_crisis = answer >= p.crisis_rung || dyad.level >= p.crisis_rung as f64;
        if in_crisis
            && let Some(call) = place_call(
                crisis_lines(p, &arm.active, di),
                key,
                &mut streams,
                &mut tally,
            )
        {
            delay += call.line.latency_days;
            let de_escalation = match &p.measures[call.line.measure].params {
                MeasureParams::Channel(c, _) => {
                    c.crisis_de_escalation.min(u32::from(u8::MAX)) as u8
                }
                _ => 0,
            };
            let planned = answer;
            let believed = call.belief_draw < credibility(dyad.trust, call.line.evidence_weight);
            if believed && de_escalation > 0 {
                answer = answer.saturating_sub(de_escalation);
                tally.de_escalations += 1;
            }
            if let Some(ch) = chronicle.as_deref_mut() {
                ch.record(
                    today,
                    Event::CrisisCall {
                        actor,
                        against: d.actor,
                        measure: call.line.measure,
                        believed,
                        planned,
                        after: answer,
                    },
                );
            }
        }
        if answer == 0 {
            continue;
        }
        agenda.schedule(
            day_after(today, delay),
            AgendaEvent::Respond(Decision {
                key,
                actor,
                against: d.actor,
                rung: answer,
                rung_clarified: answer,
                trigger: Trigger::Spiral,
                op: None,
                depth: d.depth + 1,
                root: d.root,
                wrongful: false,
            }),
        );
    }
}

/// Trust: rounds of regular dialogue build it (and the next round is scheduled); discovered lies cost it.
#[allow(clippy::too_many_arguments)]
pub fn adjust_trust(
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
    for &(m, round) in &due.rounds {
        let meas = &p.measures[m];
        let MeasureParams::Dialogue(d) = &meas.params else {
            continue;
        };
        let mut dyad = dyads
            .get_mut(dyad_entities.0[meas.dyad])
            .expect("invariant: every dyad is spawned");
        if !dyad.running_on(clock.today) {
            continue;
        }
        let held = streams
            .0
            .keyed(Process::Dialogue, combine(m as u64, round as u64))
            .chance(d.availability);
        if held {
            dyad.trust += d.trust_gain * (1.0 - dyad.trust);
            dyad.dialogue_rounds += 1;
            tally.dialogue_rounds += 1;
        }
        if let Some(ch) = chronicle.as_deref_mut() {
            let trust = dyad.trust;
            ch.record(
                clock.today,
                Event::Dialogue {
                    measure: m,
                    held,
                    trust,
                },
            );
        }
        let next = day_after(0, (round + 1) as f64 * d.interval_days);
        if next < clock.horizon {
            agenda.schedule(
                next,
                AgendaEvent::DialogueRound {
                    measure: m,
                    round: round + 1,
                },
            );
        }
    }
    for &(di, loss) in &due.shocks {
        let mut dyad = dyads
            .get_mut(dyad_entities.0[di])
            .expect("invariant: every dyad is spawned");
        dyad.trust *= 1.0 - loss;
        if let Some(ch) = chronicle.as_deref_mut() {
            ch.record(
                clock.today,
                Event::LieDiscovered {
                    dyad: (dyad.a, dyad.b),
                    trust: dyad.trust,
                },
            );
        }
    }
}
