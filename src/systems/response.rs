//! Responses to attributed incidents: perception of intent, the doctrine's choice, and the channel
//! consulted before retaliating; then the answer over that channel.

use super::channels::{consultation_lines, place_call};
use super::doctrine::Choice as ResponseChoice;
use super::doctrine::*;
use super::params::{Dyads, Effects, RunContext, Seated};
use super::planning::binding_measure;
use crate::model::event_log::Event;
use crate::model::seat::{Choice, SeatView, Situation, rung_options};
use crate::model::*;
use crate::outcome::{Origin, OriginKind, OriginKinds};
use crate::rng::{Process, combine};
use crate::scenario::compile::{Compiled, ExecutorRole, MeasureParams, SourceKind, StateId};
use bevy_ecs::prelude::*;
use bevy_ecs::query::QueryData;

/// Sub-stream tag of the accused's answer (honesty, lie discovery), distinct from the chain's keys.
const ANSWER_KEY: u64 = 0xA5A5_0000_0000_0001;

/// Sub-stream tag of the first decision of a chain, combined with the operation's key.
const FIRST_DECISION_KEY: u64 = 0xD0;

/// Sub-stream tag of the victim's reply-in-kind draw, combined with the operation's key: its own
/// stream, so that a doctrine that never replies in kind leaves every other draw as it was.
const REPLY_KEY: u64 = 0xD1;

/// An operation publicly attributed: what was done, when it was detected, who is blamed, and the
/// draws its first response uses.
#[derive(QueryData)]
pub struct Incident {
    /// The operation.
    pub op: &'static Operation,
    /// When the victim detected it.
    pub detection: &'static Detection,
    /// The victim's attribution.
    pub belief: &'static AttributionBelief,
    /// Noise and rounding of the victim's first response.
    pub draws: &'static ResponseDraws,
}

/// The incident a chain of responses begins with, read from the operation's own data: whether the
/// state blamed ordered it (any misattribution counts, whatever caused it: deception or an honest
/// mistake), what misleading evidence it carried, and the role of its executor.
pub fn chain_origin(
    role: &ExecutorRole,
    op: &Operation,
    deception: Deception,
    blamed: StateId,
) -> Origin {
    let deceptive = match deception {
        Deception::FalseFlag | Deception::ToolReuse | Deception::Mimicry => true,
        // A freelancing proxy's evidence points at its patron without anyone planting it; an
        // honest error has no deceiver (it counts as misattributed, through the state blamed).
        Deception::None | Deception::Freelance | Deception::HonestError => false,
    };
    let kinds = OriginKinds::default()
        .with(OriginKind::Misattributed, Some(blamed) != op.sponsor)
        .with(OriginKind::Deceptive, deceptive)
        .with(
            OriginKind::Proxy,
            matches!(role, ExecutorRole::Proxy { .. }),
        )
        .with(
            OriginKind::Mercenary,
            matches!(role, ExecutorRole::Mercenary { .. }),
        )
        .with(
            OriginKind::Independent,
            matches!(role, ExecutorRole::Independent { .. }),
        );
    Origin { op: op.key, kinds }
}

/// The dialogue bias reduction in force on a dyad: an active dialogue's, times what the pair's
/// rounds have settled (all of it from the first round held, for a dialogue without a share).
pub fn dialogue_bias_reduction(p: &Compiled, active: InForce, dyad_idx: usize, dyad: &Dyad) -> f64 {
    if dyad.dialogue_rounds == 0 {
        return 0.0;
    }
    dyad.settled * max_dialogue_reduction(p, active, dyad_idx)
}

/// The share of the pair's tension that its agreed red lines take off a decision: an active
/// dialogue's `red_lines`, times what the pair's rounds have settled (none before a round is held).
pub fn red_lines_in_force(p: &Compiled, active: InForce, dyad_idx: usize, dyad: &Dyad) -> f64 {
    if dyad.dialogue_rounds == 0 {
        return 0.0;
    }
    let most = p
        .measures
        .iter()
        .enumerate()
        .filter(|(m, meas)| active.has(*m) && meas.dyad == dyad_idx)
        .filter_map(|(_, meas)| match &meas.params {
            MeasureParams::Dialogue(d) => Some(d.red_lines),
            _ => None,
        })
        .fold(0.0, f64::max);
    dyad.settled * most
}

fn max_dialogue_reduction(p: &Compiled, active: InForce, dyad_idx: usize) -> f64 {
    p.measures
        .iter()
        .enumerate()
        .filter(|(m, meas)| active.has(*m) && meas.dyad == dyad_idx)
        .filter_map(|(_, meas)| match &meas.params {
            MeasureParams::Dialogue(d) => Some(d.bias_reduction),
            _ => None,
        })
        .fold(0.0, f64::max)
}

/// Consults a channel before responding if one applies and connects (the response then waits for
/// the answer); otherwise schedules the response after the actor's decision time.
pub fn consult_or_respond(
    ctx: &RunContext,
    out: &mut Effects,
    dyad: usize,
    decision: Decision,
    sector: Option<usize>,
) {
    let p = ctx.scenario();
    let today = ctx.today();
    let lines = consultation_lines(
        p,
        ctx.active(),
        dyad,
        decision.against,
        decision.rung,
        sector,
    );
    let first = lines.first().map(|l| l.measure);
    let call = place_call(lines, decision.key, decision.against, today, out);
    if let Some(measure) = call.map(|c| c.line.measure).or(first) {
        out.record(today, || Event::Consulted {
            decision: decision.key,
            actor: decision.actor,
            against: decision.against,
            measure,
            connected: call.is_some(),
        });
    }
    if let Some(call) = call {
        out.agenda.schedule(
            day_after(today, call.line.latency_days),
            AgendaEvent::Answer(AnswerArrived {
                decision,
                measure: call.line.measure,
                believe_draw: call.belief_draw,
            }),
        );
        return;
    }
    let day = day_after(today, p.states[decision.actor].spec.doctrine.decision_days);
    out.agenda
        .schedule(day, AgendaEvent::Respond(ResponseDue { decision }));
}

/// Whether an attribution still counts on `today`: the operation was detected before its own dyad
/// went to war (as in the end-of-run tally of detections, so that attributed ≤ detected), and the
/// dyad of victim and blamed state is still at peace.
fn still_counts(dyads: &Dyads, incident: &IncidentItem, blamed: StateId, today: u32) -> bool {
    let op = incident.op;
    let own_dyad_at_peace = op
        .sponsor
        .is_none_or(|s| dyads.get(op.victim, s).running_on(incident.detection.day));
    own_dyad_at_peace && dyads.get(op.victim, blamed).running_on(today)
}

/// Adds a public attribution to the tally (counts, calibration pairs, the confusion matrix, lags).
fn count_attribution(tally: &mut Tally, p: &Compiled, op: &Operation, blamed: StateId, today: u32) {
    let n = p.states.len();
    let wrongful = Some(blamed) != op.sponsor;
    tally.attributed += 1;
    tally.misattributed += u32::from(wrongful);
    let pair = &mut tally.attributed_pairs[blamed * n + op.victim];
    pair.count += 1;
    pair.severity[op.severity as usize - 1] += 1;
    pair.objective[p.kind(op.kind).objective as usize] += 1;
    let truth = match (op.sponsor, p.sources[op.source].kind) {
        (Some(s), _) => s,
        (None, SourceKind::Freelance) => n,
        (None, _) => n + 1,
    };
    tally.confusion[truth * n + blamed] += 1;
    if !op.overt {
        tally.attribution_lags.push(today - op.launch_day);
    }
}

/// How the victim reads an incident on the day it attributes it publicly: its severity with and
/// without the worst-case reading of intent (which dialogue on the dyad tempers), the tension of the
/// dyad, and its confidence when it decides (overt operations are certain).
fn read_incident(ctx: &RunContext, incident: &IncidentItem, dyad: &Dyad, di: usize) -> Reading {
    let p = ctx.scenario();
    let today = ctx.today();
    let op = incident.op;
    let doctrine = &p.states[op.victim].spec.doctrine;
    let confidence = if op.overt {
        1.0
    } else {
        let days = today as f64 + doctrine.decision_days - incident.detection.day as f64;
        incident.belief.confidence_after(days)
    };
    let severity = op.severity as f64;
    let level = dyad.level_on(today, p.scenario.dynamics.tension_half_life_days);
    Reading {
        severity,
        perceived: perceived_severity(
            p,
            op.victim,
            severity,
            p.kind(op.kind).ambiguity,
            // An operation announced in advance is not read worst-case.
            if op.noticed.is_some() {
                1.0
            } else {
                dialogue_bias_reduction(p, ctx.active(), di, dyad)
            },
        ),
        tension: doctrine.incident_tension()
            * level
            * (1.0 - red_lines_in_force(p, ctx.active(), di, dyad)),
        confidence,
    }
}

/// A public attribution of an operation that a measure binding on the state blamed forbids: the
/// violation is tallied, counted on the pair, and costs the pair trust.
fn note_violation(
    out: &mut Effects,
    p: &Compiled,
    dyad: &mut Dyad,
    op: &Operation,
    blamed: StateId,
    today: u32,
) {
    out.tally.violations_attributed += 1;
    out.tally.violations_seen.push((today, op.victim, blamed));
    dyad.violations += 1;
    dyad.trust = lose_trust(dyad.trust, p.scenario.dynamics.violation_trust_loss);
}

/// Why the victim's first response has its rung: a reply in kind when that raised the rung above
/// the doctrine's table, the table (the reading and the noise) otherwise.
pub fn first_response_reason(choice: &ResponseChoice, reading: &Reading, noise: i8) -> Reason {
    if choice.reply_in_kind && choice.rung > choice.table {
        Reason::ReplyInKind {
            table: choice.table,
        }
    } else {
        Reason::Doctrine {
            perceived: reading.perceived,
            tension: reading.tension,
            noise,
        }
    }
}

/// The victim's first response to an attributed incident, as decided.
struct FirstResponse {
    /// How the victim read the incident.
    reading: Reading,
    /// The rung carried out (the doctrine's, or the seat's when the victim holds it).
    rung: u8,
    /// The rung had intent been clarified.
    clarified: u8,
    /// Why the doctrine chose its rung.
    reason: Reason,
}

/// The victim reads the incident, its doctrine chooses a rung (a reply in kind drawn from its own
/// stream), and the seat, if the victim holds it, may choose another.
fn decide_first_response(
    ctx: &RunContext,
    out: &mut Effects,
    seat: &mut Seated,
    incident: &IncidentItem,
    blamed: StateId,
    dyad: &Dyad,
    di: usize,
) -> FirstResponse {
    let p = ctx.scenario();
    let today = ctx.today();
    let op = incident.op;
    let reading = read_incident(ctx, incident, dyad, di);
    let confidence = reading.confidence;
    let draws = decision_from(p, op.victim, incident.draws.noise, incident.draws.rounding);
    let reply = p.states[op.victim].reply_rung.and_then(|_| {
        let u = out
            .streams
            .0
            .keyed(Process::Response, combine(op.key, REPLY_KEY))
            .uniform();
        reply_in_kind(p, op.victim, confidence, u)
    });
    let choice = choose_response(p, op.victim, &reading, draws, reply);
    let reason = first_response_reason(&choice, &reading, draws.noise);
    let rung = match seat.choose(
        op.victim,
        Choice::Rung(choice.rung),
        || rung_options(p.top_rung()),
        || SeatView {
            day: today,
            seat: op.victim,
            against: blamed,
            level: dyad.level_on(today, p.scenario.dynamics.tension_half_life_days),
            trust: dyad.trust,
            situation: Situation::Attributed {
                op: op.key,
                kind: op.kind,
                sector: op.sector,
                severity: op.severity,
                confidence,
                perceived: reading.perceived,
                tension: reading.tension,
            },
            reason: Some(reason),
        },
    ) {
        Choice::Rung(r) => r,
        Choice::Admit | Choice::Deny => choice.rung,
    };
    FirstResponse {
        reading,
        rung,
        clarified: choice.clarified,
        reason,
    }
}

/// On public attribution: tally the incident, read its intent, choose a response, consult a channel.
pub fn respond_to_incidents(
    ctx: RunContext,
    due: Res<Due>,
    incidents: Query<Incident>,
    mut dyads: Dyads,
    mut out: Effects,
    mut seat: Seated,
) {
    let p = ctx.scenario();
    let today = ctx.today();
    for &OperationAttributed { op: entity, blamed } in &due.attributed {
        let incident = incidents
            .get(entity)
            .expect("invariant: an attributed operation is spawned with its belief");
        let (op, belief) = (incident.op, incident.belief);
        if !still_counts(&dyads, &incident, blamed, today) {
            continue;
        }
        count_attribution(&mut out.tally, p, op, blamed, today);
        let di = dyads.index(op.victim, blamed);
        let mut dyad = dyads.get_mut(op.victim, blamed);
        if binding_measure(p, ctx.active(), blamed, op.victim, op.kind, op.sector).is_some() {
            note_violation(&mut out, p, &mut dyad, op, blamed, today);
        }
        let first = decide_first_response(&ctx, &mut out, &mut seat, &incident, blamed, &dyad, di);
        let (rung, reason) = (first.rung, first.reason);
        let root = combine(op.key, FIRST_DECISION_KEY);
        out.record(today, || Event::Attributed {
            op: op.key,
            blamed,
            confidence: first.reading.confidence,
            deception: belief.deception,
            saw_through: belief.saw_through,
        });
        out.record(today, || Event::Decided {
            op: op.key,
            decision: root,
            actor: op.victim,
            against: blamed,
            rung,
            clarified: first.clarified,
            reason,
        });
        if rung == 0 {
            continue;
        }
        let wrongful = Some(blamed) != op.sponsor;
        let decision = Decision {
            key: root,
            actor: op.victim,
            against: blamed,
            rung,
            rung_clarified: first.clarified,
            trigger: Trigger::from_deception(belief.deception, wrongful),
            op: Some(entity),
            depth: 0,
            root,
            wrongful,
            origin: chain_origin(&p.executors[op.executor].role, op, belief.deception, blamed),
            reason,
        };
        consult_or_respond(&ctx, &mut out, di, decision, Some(op.sector));
    }
}

/// What the accused said over the channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply {
    /// It did not order the operation, and says so.
    TruthfulDenial,
    /// It ordered the operation and acknowledges it.
    Acknowledgement,
    /// It ordered the operation and denies it.
    Lie,
}

/// What hearing an answer leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Heard {
    /// What was said.
    pub reply: Reply,
    /// Rung carried out after the call (0: the caller stands down).
    pub rung: u8,
    /// The answer builds trust (an honest word: a believed truthful denial or an acknowledgement).
    pub builds_trust: bool,
    /// The response was withdrawn or lowered.
    pub de_escalated: bool,
    /// A misattribution was corrected (a believed truthful denial).
    pub corrected: bool,
}

/// The answer to a call before a response at rung `planned`: the wrongly accused denies, the
/// sponsor acknowledges (`honest`) or lies; the caller `believed` the denial or not. An
/// acknowledgement clarifies intent, so the response drops to the rung chosen without the
/// worst-case reading (`clarified`), never above `planned`; a believed denial stands the caller down.
pub fn hear_answer(
    wrongful: bool,
    honest: bool,
    believed: bool,
    planned: u8,
    clarified: u8,
) -> Heard {
    let reply = if wrongful {
        Reply::TruthfulDenial
    } else if honest {
        Reply::Acknowledgement
    } else {
        Reply::Lie
    };
    let rung = match reply {
        Reply::Acknowledgement => clarified.min(planned),
        Reply::TruthfulDenial | Reply::Lie if believed => 0,
        _ => planned,
    };
    Heard {
        reply,
        rung,
        builds_trust: reply == Reply::Acknowledgement
            || (reply == Reply::TruthfulDenial && believed),
        de_escalated: rung < planned,
        corrected: reply == Reply::TruthfulDenial && believed,
    }
}

/// How much the evidence shared over the line of measure `m` weighs in the caller's belief (none
/// for a line that is not a channel's).
fn evidence_weight(p: &Compiled, m: usize) -> f64 {
    match &p.measures[m].params {
        MeasureParams::Channel(c, _, _, _) => c.evidence_weight,
        _ => 0.0,
    }
}

/// What the accused says: whether it answers honestly (its honesty draw, or the seat's choice when
/// it ordered the operation and holds the seat; the innocent denies truthfully), and whether a lie
/// would be discovered. Both draws come from the answer's own stream, in that order.
fn accused_answer(
    ctx: &RunContext,
    out: &mut Effects,
    seat: &mut Seated,
    answer: &AnswerArrived,
    dyad: &Dyad,
) -> (bool, bool) {
    let p = ctx.scenario();
    let today = ctx.today();
    let dy = &p.scenario.dynamics;
    let d = &answer.decision;
    let mut r = out
        .streams
        .0
        .keyed(Process::Response, combine(d.key, ANSWER_KEY));
    let honest = r.chance(p.states[d.against].spec.honesty);
    let discovered = r.chance(dy.lie_discovery);
    if d.wrongful {
        return (honest, discovered);
    }
    let doctrine = if honest { Choice::Admit } else { Choice::Deny };
    let chosen = seat.choose(
        d.against,
        doctrine,
        || vec![Choice::Admit, Choice::Deny],
        || SeatView {
            day: today,
            seat: d.against,
            against: d.actor,
            level: dyad.level_on(today, dy.tension_half_life_days),
            trust: dyad.trust,
            situation: Situation::Accused {
                op: d.origin.op,
                planned: d.rung,
                measure: answer.measure,
                honesty: p.states[d.against].spec.honesty,
            },
            reason: None,
        },
    );
    (chosen == Choice::Admit, discovered)
}

/// A believed lie that will be discovered: its exposure is scheduled after the caller's median
/// attribution time, costing the pair trust and the line credibility then.
fn expose_lie_later(
    out: &mut Effects,
    p: &Compiled,
    answer: &AnswerArrived,
    di: usize,
    today: u32,
) {
    let dy = &p.scenario.dynamics;
    let later = day_after(
        today,
        p.states[answer.decision.actor]
            .spec
            .attribution
            .time_scale
            .median_days,
    );
    out.agenda.schedule(
        later,
        AgendaEvent::LieExposed(LieExposed {
            dyad: di,
            loss: dy.lie_trust_loss,
            credibility_loss: dy.lie_credibility_loss,
            measure: answer.measure,
        }),
    );
}

/// Answers to channel calls: the accused denies (truthfully or not) or acknowledges; the caller
/// decides whether to believe it, and responds, lowers its response, or stands down.
pub fn hear_channel_answers(
    ctx: RunContext,
    due: Res<Due>,
    mut dyads: Dyads,
    mut out: Effects,
    mut seat: Seated,
) {
    let p = ctx.scenario();
    let today = ctx.today();
    let dy = &p.scenario.dynamics;
    for answer in &due.answers {
        let d = &answer.decision;
        let di = dyads.index(d.actor, d.against);
        let mut dyad = dyads.get_mut(d.actor, d.against);
        if !dyad.running_on(today) {
            continue;
        }
        let believed = answer.believe_draw
            < dyad.channel_credit * credibility(dyad.trust, evidence_weight(p, answer.measure));
        let (honest, discovered) = accused_answer(&ctx, &mut out, &mut seat, answer, &dyad);
        let heard = hear_answer(d.wrongful, honest, believed, d.rung, d.rung_clarified);
        if heard.builds_trust {
            dyad.trust = gain_trust(dyad.trust, dy.honest_trust_gain);
        }
        out.tally.de_escalations += u32::from(heard.de_escalated);
        out.tally.corrections += u32::from(heard.corrected);
        if heard.reply == Reply::Lie {
            out.tally.lies += 1;
            if believed && discovered {
                expose_lie_later(&mut out, p, answer, di, today);
            }
        }
        out.record(today, || Event::Answered {
            decision: d.key,
            actor: d.actor,
            against: d.against,
            measure: answer.measure,
            innocent: d.wrongful,
            acknowledged: heard.reply == Reply::Acknowledgement,
            believed,
            planned: d.rung,
            after: heard.rung,
        });
        if heard.rung > 0 {
            let day = day_after(today, p.states[d.actor].spec.doctrine.decision_days);
            let decision = Decision {
                rung: heard.rung,
                ..d.clone()
            };
            out.agenda
                .schedule(day, AgendaEvent::Respond(ResponseDue { decision }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::types::OperationKind;

    fn op(sponsor: Option<StateId>) -> Operation {
        Operation {
            key: 42,
            source: 0,
            kind: OperationKind::Espionage,
            severity: 3,
            sector: 0,
            executor: 0,
            sponsor,
            victim: 0,
            launch_day: 0,
            overt: false,
            violates: None,
            noticed: None,
        }
    }

    fn kinds(o: Origin) -> Vec<OriginKind> {
        o.kinds.iter().collect()
    }

    #[test]
    fn a_chain_is_misattributed_whenever_the_state_blamed_did_not_order_it_deceived_or_not() {
        let state = ExecutorRole::State;
        // An honest forensic mistake: no deception, the wrong state blamed.
        let honest = chain_origin(&state, &op(Some(1)), Deception::None, 2);
        assert_eq!(kinds(honest), [OriginKind::Misattributed]);
        assert_eq!(honest.op, 42);
        assert_eq!(
            kinds(chain_origin(&state, &op(Some(1)), Deception::None, 1)),
            []
        );
        // A false flag seen through: deceptive, but the sponsor was blamed.
        assert_eq!(
            kinds(chain_origin(&state, &op(Some(1)), Deception::FalseFlag, 1)),
            [OriginKind::Deceptive]
        );
        assert_eq!(
            kinds(chain_origin(&state, &op(Some(1)), Deception::FalseFlag, 2)),
            [OriginKind::Misattributed, OriginKind::Deceptive]
        );
    }

    #[test]
    fn the_executor_role_sets_proxy_mercenary_and_independent() {
        let proxy = ExecutorRole::Proxy {
            control: 0.5,
            overreach: 1,
        };
        // A freelancing proxy blamed on its patron: misattributed and a proxy's, not deceptive.
        assert_eq!(
            kinds(chain_origin(&proxy, &op(None), Deception::Freelance, 1)),
            [OriginKind::Misattributed, OriginKind::Proxy]
        );
        let mercenary = ExecutorRole::Mercenary {
            clients: vec![1, 2],
            tool_reuse: 0.5,
        };
        assert_eq!(
            kinds(chain_origin(
                &mercenary,
                &op(Some(1)),
                Deception::ToolReuse,
                2
            )),
            [
                OriginKind::Misattributed,
                OriginKind::Deceptive,
                OriginKind::Mercenary
            ]
        );
        assert_eq!(
            kinds(chain_origin(&mercenary, &op(Some(1)), Deception::None, 1)),
            [OriginKind::Mercenary]
        );
        let independent = ExecutorRole::Independent {
            kind: crate::scenario::types::IndependentKind::Hacktivist,
            resembles: Some(1),
            mimicry: 0.5,
        };
        assert_eq!(
            kinds(chain_origin(&independent, &op(None), Deception::Mimicry, 1)),
            [
                OriginKind::Misattributed,
                OriginKind::Deceptive,
                OriginKind::Independent
            ]
        );
    }

    fn reading() -> Reading {
        Reading {
            severity: 3.0,
            perceived: 4.5,
            tension: 0.5,
            confidence: 1.0,
        }
    }

    fn response(rung: u8, table: u8, reply_in_kind: bool) -> ResponseChoice {
        ResponseChoice {
            rung,
            clarified: table,
            table,
            reply_in_kind,
        }
    }

    #[test]
    fn a_reply_in_kind_is_the_reason_only_when_it_raised_the_rung_above_the_table() {
        assert_eq!(
            first_response_reason(&response(4, 2, true), &reading(), 1),
            Reason::ReplyInKind { table: 2 }
        );
        let doctrine = Reason::Doctrine {
            perceived: 4.5,
            tension: 0.5,
            noise: -1,
        };
        // A reply in kind no higher than the table's rung: the table decided.
        assert_eq!(
            first_response_reason(&response(4, 4, true), &reading(), -1),
            doctrine
        );
        assert_eq!(
            first_response_reason(&response(4, 4, false), &reading(), -1),
            doctrine
        );
    }

    #[test]
    fn a_believed_truthful_denial_stands_the_caller_down_and_corrects_the_misattribution() {
        let h = hear_answer(true, false, true, 4, 2);
        assert_eq!(h.reply, Reply::TruthfulDenial);
        assert_eq!(h.rung, 0);
        assert!(h.builds_trust && h.de_escalated && h.corrected);
        // The accused's honesty is irrelevant when it is innocent.
        assert_eq!(hear_answer(true, true, true, 4, 2), h);
    }

    #[test]
    fn a_disbelieved_denial_changes_nothing() {
        for wrongful in [true, false] {
            let h = hear_answer(wrongful, false, false, 4, 2);
            assert_eq!(h.rung, 4);
            assert!(!h.builds_trust && !h.de_escalated && !h.corrected);
        }
    }

    #[test]
    fn an_acknowledgement_lowers_to_the_clarified_rung_and_never_raises() {
        let h = hear_answer(false, true, false, 4, 2);
        assert_eq!((h.reply, h.rung), (Reply::Acknowledgement, 2));
        assert!(h.builds_trust && h.de_escalated && !h.corrected);
        // Believing it or not does not matter: the sponsor said what it did.
        assert_eq!(hear_answer(false, true, true, 4, 2), h);
        let same = hear_answer(false, true, false, 3, 3);
        assert_eq!(same.rung, 3);
        assert!(same.builds_trust && !same.de_escalated);
        let higher = hear_answer(false, true, false, 3, 5);
        assert_eq!(
            higher.rung, 3,
            "a clarified reading never raises the response"
        );
        assert_eq!(hear_answer(false, true, false, 3, 0).rung, 0);
    }

    #[test]
    fn a_believed_lie_stands_the_caller_down_without_building_trust() {
        let h = hear_answer(false, false, true, 4, 2);
        assert_eq!((h.reply, h.rung), (Reply::Lie, 0));
        assert!(h.de_escalated && !h.builds_trust && !h.corrected);
    }

    #[test]
    fn the_rung_after_a_call_is_never_above_the_planned_one() {
        for wrongful in [true, false] {
            for honest in [true, false] {
                for believed in [true, false] {
                    for planned in 0..6 {
                        for clarified in 0..6 {
                            let h = hear_answer(wrongful, honest, believed, planned, clarified);
                            assert!(h.rung <= planned);
                            assert_eq!(h.de_escalated, h.rung < planned);
                        }
                    }
                }
            }
        }
    }
}
