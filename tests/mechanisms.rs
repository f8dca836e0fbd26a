//! The mechanism breakdown: each crisis and kinetic conflict is traced to the operation its chain of
//! responses began with, and the kind of that operation is read from the operation's own record.
//! Checked here against the event log of the same runs, followed link by link.

mod common;

use common::*;
use escalate::model::components::Deception;
use escalate::model::event_log::{Event, EventLog, OpFacts};
use escalate::outcome::{Origin, OriginKind};
use escalate::scenario::compile::{Compiled, ExecutorRole};
use escalate::sim::Simulator;
use std::collections::HashMap;
use std::sync::Arc;

/// The origin of the first response at or above `rung` (kinetic: the first kinetic one), found by
/// walking the event log back from that response to the operation its chain answered.
fn traced_origin(p: &Compiled, log: &EventLog, kinetic: bool) -> Option<Origin> {
    let mut first_decision_of_op: HashMap<u64, u64> = HashMap::new();
    let mut answered: HashMap<u64, Option<u64>> = HashMap::new();
    let mut ops: HashMap<u64, &OpFacts> = HashMap::new();
    let mut blamed: HashMap<u64, (usize, Deception)> = HashMap::new();
    let mut target = None;
    for e in &log.entries {
        match &e.event {
            Event::Launched { op, .. } => {
                ops.insert(op.key, op);
            }
            Event::Attributed {
                op,
                blamed: b,
                deception,
                ..
            } => {
                blamed.insert(*op, (*b, *deception));
            }
            Event::Decided { op, decision, .. } => {
                first_decision_of_op.insert(*decision, *op);
            }
            Event::Responded {
                decision,
                rung,
                kinetic: k,
                answers,
                ..
            } => {
                answered.insert(*decision, *answers);
                let hit = if kinetic { *k } else { *rung >= p.crisis_rung };
                if hit && target.is_none() {
                    target = Some(*decision);
                }
            }
            _ => {}
        }
    }
    // Walk back along "answers" to the first response of the chain, then to its operation.
    let mut d = target?;
    while let Some(Some(previous)) = answered.get(&d) {
        d = *previous;
    }
    let op_key = first_decision_of_op[&d];
    let op = ops[&op_key];
    let (b, deception) = blamed[&op_key];
    let role = &p.executors[op.executor].role;
    let expected = [
        (OriginKind::Misattributed, Some(b) != op.sponsor),
        (
            OriginKind::Deceptive,
            matches!(
                deception,
                Deception::FalseFlag | Deception::ToolReuse | Deception::Mimicry
            ),
        ),
        (
            OriginKind::Proxy,
            matches!(role, ExecutorRole::Proxy { .. }),
        ),
        (
            OriginKind::Mercenary,
            matches!(role, ExecutorRole::Mercenary { .. }),
        ),
        (
            OriginKind::Independent,
            matches!(role, ExecutorRole::Independent { .. }),
        ),
    ];
    Some(Origin {
        op: op_key,
        kinds: expected
            .iter()
            .fold(Default::default(), |s, (k, yes)| s.with(*k, *yes)),
    })
}

#[test]
fn the_origin_of_each_crisis_and_kinetic_conflict_is_the_operation_the_event_log_leads_back_to() {
    let p = Arc::new(compile(&bundled("mercenary_market")));
    let mut sim = Simulator::new(p.clone());
    let mut crises = 0;
    let mut kinetic = 0;
    let mut seen = HashMap::new();
    for r in 0..600 {
        for arm in [0, 1] {
            let (run, log) = sim.run_logged(11, r, arm);
            let o = &run.outcome;
            check_invariants(&p, o).expect("invariants");
            assert_eq!(
                o.crisis_origin,
                traced_origin(&p, &log, false),
                "replicate {r} arm {arm}"
            );
            assert_eq!(
                o.kinetic_origin,
                traced_origin(&p, &log, true),
                "replicate {r} arm {arm}"
            );
            crises += usize::from(o.crisis());
            kinetic += usize::from(o.kinetic());
            for k in o.crisis_origin.iter().flat_map(|o| o.kinds.iter()) {
                *seen.entry(k.key()).or_insert(0) += 1;
            }
        }
    }
    // Not vacuous: crises and kinetic conflicts happened, and chains began with misattributed,
    // deceptive and mercenaries' operations as well as with correctly blamed ones.
    assert!(
        crises > 50 && kinetic > 10,
        "{crises} crises, {kinetic} kinetic"
    );
    for key in ["misattributed", "deceptive", "mercenary"] {
        let n = seen.get(key).copied().unwrap_or(0);
        assert!(n > 5 && n < crises, "{key}: {n} of {crises}");
    }
}

#[test]
fn arms_that_run_the_same_history_name_the_same_origin() {
    // The origin is part of the outcome: with common random numbers, the arms of a replicate that
    // run the same history name the same origin.
    let (_, runs) = run_all(&bundled("mercenary_market"), 5, 200);
    let mut same_history = 0;
    for arms in &runs {
        for run in &arms[1..] {
            if run.outcome.crisis_day == arms[0].outcome.crisis_day
                && run.outcome.responses == arms[0].outcome.responses
                && run.incidents.timeline == arms[0].incidents.timeline
            {
                same_history += 1;
                assert_eq!(run.outcome.crisis_origin, arms[0].outcome.crisis_origin);
            }
        }
    }
    assert!(same_history > 100, "{same_history}");
}

/// Every response of a chain that went kinetic, followed back link by link, carries the reason its
/// state chose it: an answer to the previous response of the chain, seen with that response's rung
/// severity and the tension the pair's level then added; the first, the doctrine's reading of the
/// incident or a reply in kind.
#[test]
fn each_step_from_a_first_response_to_kinetic_conflict_has_its_reason_in_the_event_log() {
    use escalate::model::Reason;
    let p = Arc::new(compile(&default_scenario()));
    let mut sim = Simulator::new(p.clone());
    let rungs = &p.scenario.ladder.rungs;
    let (mut chains, mut steps, mut replies) = (0, 0, 0);
    for r in 0..3000 {
        let (run, log) = sim.run_logged(2016, r, 0);
        if !run.outcome.kinetic() {
            continue;
        }
        // decision → (rung, level, actor, answers, reason)
        let mut responses = HashMap::new();
        let mut kinetic = None;
        for e in &log.entries {
            if let Event::Responded {
                decision,
                actor,
                rung,
                level,
                kinetic: k,
                answers,
                reason,
                ..
            } = &e.event
            {
                responses.insert(*decision, (*rung, *level, *actor, *answers, *reason));
                if *k && kinetic.is_none() {
                    kinetic = Some(*decision);
                }
            }
        }
        let mut d = kinetic.expect("a kinetic run has a kinetic response");
        chains += 1;
        loop {
            let (rung, _, actor, answers, reason) = responses[&d];
            steps += 1;
            match (answers, reason) {
                (Some(previous), Reason::Answer { seen, tension, .. }) => {
                    let (prev_rung, prev_level, _, _, _) = responses[&previous];
                    let sensitivity = p.states[actor].spec.doctrine.tension_sensitivity;
                    assert_eq!(seen, rungs[prev_rung as usize].severity, "replicate {r}");
                    assert!(
                        (tension - sensitivity * prev_level).abs() < 1e-9,
                        "replicate {r}: tension {tension}, level {prev_level}"
                    );
                    d = previous;
                }
                (None, Reason::Doctrine { perceived, .. }) => {
                    assert!((1.0..=20.0).contains(&perceived), "replicate {r}");
                    break;
                }
                (None, Reason::ReplyInKind { table }) => {
                    assert!(
                        table < rung,
                        "a reply in kind raised the rung: {table} → {rung}"
                    );
                    replies += 1;
                    break;
                }
                other => panic!("replicate {r}: a response with the wrong reason {other:?}"),
            }
        }
    }
    // Not vacuous: chains went kinetic over several steps, some of them begun by a reply in kind.
    assert!(
        chains > 20 && steps > 2 * chains && replies > 0,
        "{chains} chains, {steps} steps, {replies} begun by a reply in kind"
    );
}
