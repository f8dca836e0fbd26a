//! Carrying out responses: the dyad climbs the ladder, the other side answers (the spiral), crisis
//! channels talk it down, kinetic conflict ends the dyad. Then trust: dialogue rounds build it,
//! exposed lies cost it.

use super::channels::{crisis_lines, place_call};
use super::doctrine::*;
use super::params::{Dyads, Effects, RunContext, Seated};
use super::response::red_lines_in_force;
use crate::model::event_log::Event;
use crate::model::seat::{Choice, SeatView, Situation, rung_options};
use crate::model::*;
use crate::rng::{Process, combine};
use crate::scenario::compile::{Compiled, MeasureParams};
use crate::scenario::types::Rung;
use crate::units::DAYS_PER_YEAR;
use bevy_ecs::prelude::*;

/// Raises a dyad's level to `rung` on `today` (its decayed level if that is higher) and records its
/// highest rung and the day it first reached the crisis rung.
pub fn climb(dyad: &mut Dyad, rung: u8, today: u32, half_life: f64, crisis_rung: u8) {
    dyad.level = dyad.level_on(today, half_life).max(rung as f64);
    dyad.level_day = today;
    dyad.highest = dyad.highest.max(rung);
    if rung >= crisis_rung && dyad.crisis_day.is_none() {
        dyad.crisis_day = Some(today);
    }
}

/// Adds a response carried out to the tally.
fn count_response(tally: &mut Tally, d: &Decision, rung: &Rung) {
    tally.responses += 1;
    tally.responses_by_trigger[d.trigger as usize] += 1;
    tally.wrongful_responses += u32::from(d.wrongful);
    tally.escalation_score += rung.score;
    tally.response_damage += rung.severity;
}

/// Applies the responses due today and decides the other side's answer to each.
pub fn carry_out_responses(
    ctx: RunContext,
    due: Res<Due>,
    mut dyads: Dyads,
    mut out: Effects,
    mut seat: Seated,
) {
    let p = ctx.scenario();
    let today = ctx.today();
    let half_life = p.scenario.dynamics.tension_half_life_days;
    for ResponseDue { decision: d } in due.responses.iter() {
        let di = dyads.index(d.actor, d.against);
        let mut dyad = dyads.get_mut(d.actor, d.against);
        if !dyad.running_on(today) {
            continue;
        }
        let rung = &p.scenario.ladder.rungs[d.rung as usize];
        let calm = dyad.crisis_day.is_none();
        climb(&mut dyad, d.rung, today, half_life, p.crisis_rung);
        let tally = &mut *out.tally;
        let pair = &mut tally.pairs[d.actor * p.states.len() + d.against];
        pair.responses += 1;
        pair.wrongful_responses += u32::from(d.wrongful);
        if calm && dyad.crisis_day.is_some() {
            pair.crisis = true;
            tally.crisis_origin.get_or_insert(d.origin);
        }
        if rung.kinetic {
            pair.kinetic = true;
            tally.kinetic_origin.get_or_insert(d.origin);
        }
        out.tally.level_log.push(LevelChange {
            dyad: di,
            day: today,
            level: dyad.level,
            kinetic: rung.kinetic,
        });
        count_response(&mut out.tally, d, rung);
        if d.depth == 0 {
            let rungs = p.scenario.ladder.rungs.len();
            let k = (d.actor * p.states.len() + d.against) * rungs + d.rung as usize;
            out.tally.first_responses[k] += 1;
        }
        out.record(today, || Event::Responded {
            decision: d.key,
            actor: d.actor,
            against: d.against,
            rung: d.rung,
            trigger: d.trigger,
            wrongful: d.wrongful,
            level: dyad.level,
            kinetic: rung.kinetic,
            origin: d.origin.op,
            answers: d.answers(),
            reason: d.reason,
        });
        if rung.kinetic {
            dyad.kinetic_day = Some(today);
            continue;
        }
        answer_back(&ctx, &mut out, &mut seat, di, &dyad, d, rung);
    }
}

/// Sub-stream tag of the draw that decides whether the other side sees a covert action.
const SEEN_KEY: u64 = 0x5EE;

/// Whether the other side notices an action at `rung`: a covert one goes unanswered unless its own
/// keyed draw says it is seen (a rung always seen draws nothing).
fn sees_action(out: &mut Effects, key: u64, rung: &Rung) -> bool {
    if rung.seen < 1.0 {
        out.streams
            .0
            .keyed(Process::Response, combine(key, SEEN_KEY))
            .chance(rung.seen)
    } else {
        true
    }
}

/// In a crisis, the side answering `d` calls over a crisis line if one connects: a believed call
/// over a line that de-escalates talks its `planned` answer down. Returns the answer after the call
/// and the line's latency, or `None` when no line connects.
fn call_in_crisis(
    ctx: &RunContext,
    out: &mut Effects,
    di: usize,
    dyad: &Dyad,
    d: &Decision,
    key: u64,
    planned: u8,
) -> Option<(u8, f64)> {
    let p = ctx.scenario();
    let today = ctx.today();
    let actor = d.against;
    let call = place_call(
        crisis_lines(p, ctx.active(), di, actor),
        key,
        actor,
        today,
        out,
    )?;
    let believed =
        call.belief_draw < dyad.channel_credit * credibility(dyad.trust, call.line.evidence_weight);
    let de_escalation = crisis_de_escalation(p, call.line.measure);
    let after = talked_down(planned, de_escalation, believed && de_escalation > 0);
    out.tally.de_escalations += u32::from(believed && de_escalation > 0);
    out.record(today, || Event::CrisisCall {
        actor,
        against: d.actor,
        measure: call.line.measure,
        believed,
        planned,
        after,
    });
    Some((after, call.line.latency_days))
}

/// The other side sees the action (of perceived `severity`) and answers by its own doctrine, perhaps
/// talked down over a crisis channel first; the answer is scheduled as the chain's next response.
fn answer_back(
    ctx: &RunContext,
    out: &mut Effects,
    seat: &mut Seated,
    di: usize,
    dyad: &Dyad,
    d: &Decision,
    rung: &Rung,
) {
    let p = ctx.scenario();
    let today = ctx.today();
    let actor = d.against;
    let key = Decision::key_at(d.root, d.depth + 1);
    if !sees_action(out, key, rung) {
        return;
    }
    let severity = rung.severity;
    let draws = decision_draws(p, actor, &mut out.streams.0.keyed(Process::Response, key));
    let confidence = p.scenario.dynamics.spiral_confidence;
    // Agreed red lines (dialogue) take part of the pair's tension off the answer.
    let level = dyad.level * (1.0 - red_lines_in_force(p, ctx.active(), di, dyad));
    let mut answer = answer_in_kind(p, actor, severity, level, confidence, draws);
    let reason = Reason::Answer {
        seen: severity,
        tension: p.states[actor].spec.doctrine.tension_sensitivity * level,
        noise: draws.noise,
    };
    if let Choice::Rung(r) = seat.choose(
        actor,
        Choice::Rung(answer),
        || rung_options(p.top_rung()),
        || SeatView {
            day: today,
            seat: actor,
            against: d.actor,
            level: dyad.level,
            trust: dyad.trust,
            situation: Situation::ActedAgainst {
                rung: d.rung,
                seen: severity,
                tension: p.states[actor].spec.doctrine.tension_sensitivity * level,
            },
            reason: Some(reason),
        },
    ) {
        answer = r;
    }
    if answer == 0 {
        return;
    }
    let mut delay = p.states[actor].spec.doctrine.decision_days;
    let in_crisis = answer >= p.crisis_rung || dyad.level >= p.crisis_rung as f64;
    if in_crisis && let Some((after, latency)) = call_in_crisis(ctx, out, di, dyad, d, key, answer)
    {
        answer = after;
        delay += latency;
    }
    if answer == 0 {
        return;
    }
    let decision = Decision {
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
        origin: d.origin,
        reason,
    };
    out.agenda.schedule(
        day_after(today, delay),
        AgendaEvent::Respond(ResponseDue { decision }),
    );
}

/// Rungs a believed crisis call over measure `m` takes off an answer.
fn crisis_de_escalation(p: &Compiled, m: usize) -> u8 {
    match &p.measures[m].params {
        MeasureParams::Channel(c, _, _, _) => c.crisis_de_escalation.min(u32::from(u8::MAX)) as u8,
        _ => 0,
    }
}

/// Trust: the dialogue rounds due today, then the lies exposed today. One system for the phase
/// rather than one per kind: a system more in every step measured 3.4 % more instructions per
/// replicate-arm.
pub fn adjust_trust(ctx: RunContext, due: Res<Due>, mut dyads: Dyads, mut out: Effects) {
    hold_dialogue_rounds(&ctx, &due, &mut dyads, &mut out);
    expose_lies(&ctx, &due, &mut dyads, &mut out);
    hold_reviews(&ctx, &due, &mut dyads, &mut out);
}

/// Whether an annual review finds a clean year: no violation attributed on the pair since the last.
pub fn clean_year(violations: u32, at_last_review: u32) -> bool {
    violations == at_last_review
}

/// Annual reviews of incidents agreements: a year with no violation attributed on the pair builds
/// trust (a year with violations does not: each already cost trust when it was attributed); the
/// next review is scheduled.
fn hold_reviews(ctx: &RunContext, due: &Due, dyads: &mut Dyads, out: &mut Effects) {
    let p = ctx.scenario();
    let today = ctx.today();
    for &ReviewDue { measure: m, year } in &due.reviews {
        let meas = &p.measures[m];
        let MeasureParams::Agreement(a, _, _) = &meas.params else {
            continue;
        };
        let mut dyad = dyads.by_index_mut(meas.dyad);
        // A party that has left the agreement holds no more reviews.
        if !dyad.running_on(today) || !ctx.active().has(m) {
            continue;
        }
        let violations = dyad.violations - dyad.violations_at_review;
        if clean_year(dyad.violations, dyad.violations_at_review) {
            dyad.trust = gain_trust(dyad.trust, a.review_trust_gain);
        }
        dyad.violations_at_review = dyad.violations;
        let trust = dyad.trust;
        let pair = (dyad.a, dyad.b);
        out.record(today, || Event::Reviewed {
            measure: m,
            dyad: pair,
            year,
            violations,
            trust,
        });
        schedule_review(out, ctx.horizon(), m, year + 1);
    }
}

/// Puts the review of `year` of agreement `m` on the agenda, if it falls before the horizon.
pub fn schedule_review(out: &mut Effects, horizon: u32, m: usize, year: u32) {
    let day = day_after(0, f64::from(year) * DAYS_PER_YEAR);
    if day < horizon {
        out.agenda
            .schedule(day, AgendaEvent::Review(ReviewDue { measure: m, year }));
    }
}

/// Dialogue rounds: each is held with the dialogue's availability and then builds trust; the next
/// round is scheduled.
fn hold_dialogue_rounds(ctx: &RunContext, due: &Due, dyads: &mut Dyads, out: &mut Effects) {
    let p = ctx.scenario();
    let today = ctx.today();
    for &DialogueRoundDue { measure: m, round } in &due.rounds {
        let meas = &p.measures[m];
        let MeasureParams::Dialogue(d) = &meas.params else {
            continue;
        };
        let mut dyad = dyads.by_index_mut(meas.dyad);
        // A party that has left the dialogue comes to no more rounds.
        if !dyad.running_on(today) || !ctx.active().has(m) {
            continue;
        }
        let held = out
            .streams
            .0
            .keyed(Process::Dialogue, combine(m as u64, round as u64))
            .chance(d.availability);
        if held {
            dyad.trust = gain_trust(dyad.trust, d.trust_gain);
            dyad.dialogue_rounds += 1;
            out.tally.dialogue_rounds += 1;
        }
        dyad.settled = settled_after(
            dyad.settled,
            held,
            d.settled_per_round,
            d.erosion_per_missed_round,
        );
        let trust = dyad.trust;
        out.record(today, || Event::Dialogue {
            measure: m,
            held,
            trust,
        });
        let next = day_after(0, (round + 1) as f64 * d.interval_days);
        if next < ctx.horizon() {
            out.agenda.schedule(
                next,
                AgendaEvent::DialogueRound(DialogueRoundDue {
                    measure: m,
                    round: round + 1,
                }),
            );
        }
    }
}

/// What dialogue has settled after a round: a round held settles `share` of what is still open
/// (everything at once without a share), a round missed loses `erosion` of what was settled.
pub fn settled_after(settled: f64, held: bool, share: Option<f64>, erosion: f64) -> f64 {
    match (held, share) {
        (true, Some(share)) => settled + share * (1.0 - settled),
        (true, None) => 1.0,
        (false, _) => settled * (1.0 - erosion),
    }
}

/// Mean over the horizon of what a dialogue is expected to have settled, from the expected path
/// (a round is held with the dialogue's availability): what a sponsor planning at the start expects.
pub fn expected_mean_settled(d: &crate::scenario::types::Dialogue, horizon: u32) -> f64 {
    let (a, h) = (d.availability, f64::from(horizon));
    let mut settled = 0.0;
    let mut total = 0.0;
    let mut k = 1.0;
    while k * d.interval_days < h {
        settled = a * settled_after(
            settled,
            true,
            d.settled_per_round,
            d.erosion_per_missed_round,
        ) + (1.0 - a)
            * settled_after(
                settled,
                false,
                d.settled_per_round,
                d.erosion_per_missed_round,
            );
        total += settled * (((k + 1.0) * d.interval_days).min(h) - k * d.interval_days);
        k += 1.0;
    }
    total / h
}

/// Exposed lies cost trust.
fn expose_lies(ctx: &RunContext, due: &Due, dyads: &mut Dyads, out: &mut Effects) {
    for &LieExposed {
        dyad: di,
        loss,
        credibility_loss,
        measure,
    } in &due.lies
    {
        let mut dyad = dyads.by_index_mut(di);
        dyad.trust = lose_trust(dyad.trust, loss);
        dyad.channel_credit *= 1.0 - credibility_loss;
        out.record(ctx.today(), || Event::LieDiscovered {
            dyad: (dyad.a, dyad.b),
            trust: dyad.trust,
            measure,
            credit: dyad.channel_credit,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calm() -> Dyad {
        Dyad {
            a: 0,
            b: 1,
            level: 0.0,
            level_day: 0,
            highest: 0,
            trust: 0.5,
            crisis_day: None,
            kinetic_day: None,
            dialogue_rounds: 0,
            settled: 0.0,
            violations: 0,
            violations_at_review: 0,
            channel_credit: 1.0,
        }
    }

    #[test]
    fn dialogue_settles_round_by_round_and_erodes_when_rounds_are_missed() {
        let mut s = 0.0;
        let mut path = Vec::new();
        for _ in 0..4 {
            s = settled_after(s, true, Some(0.25), 0.5);
            path.push(s);
        }
        assert!(path.windows(2).all(|w| w[1] > w[0]), "{path:?}");
        assert!((path[0] - 0.25).abs() < 1e-12 && path[3] < 1.0);
        assert!((settled_after(0.6, false, Some(0.25), 0.5) - 0.3).abs() < 1e-12);
        assert_eq!(settled_after(0.6, false, Some(0.25), 0.0), 0.6);
        // Without a share the first round held settles everything, as dialogue did before.
        assert_eq!(settled_after(0.0, true, None, 0.0), 1.0);
        assert_eq!(settled_after(1.0, false, None, 0.0), 1.0);
    }

    #[test]
    fn climbing_raises_the_level_and_keeps_the_highest_rung_and_first_crisis_day() {
        let mut d = calm();
        climb(&mut d, 3, 10, 90.0, 5);
        assert_eq!(
            (d.level, d.level_day, d.highest, d.crisis_day),
            (3.0, 10, 3, None)
        );
        climb(&mut d, 6, 20, 90.0, 5);
        assert_eq!((d.highest, d.crisis_day), (6, Some(20)));
        climb(&mut d, 5, 30, 90.0, 5);
        assert_eq!(d.crisis_day, Some(20), "the first crisis day stays");
        assert_eq!(d.highest, 6);
    }

    #[test]
    fn a_lower_rung_never_lowers_a_level_that_has_not_decayed_below_it() {
        let mut d = calm();
        climb(&mut d, 6, 0, 90.0, 9);
        climb(&mut d, 2, 1, 90.0, 9);
        assert!(
            d.level > 5.9 && d.level < 6.0,
            "decayed one day, still above 2"
        );
        assert_eq!(d.level_day, 1);
        let mut e = calm();
        climb(&mut e, 6, 0, 10.0, 9);
        climb(&mut e, 2, 100, 10.0, 9);
        assert_eq!(e.level, 2.0, "long decayed: the new action sets it");
    }
}
