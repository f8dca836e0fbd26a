//! One replicate: scenario + seed + arm → outcome. The only place a World is built and run.

use crate::model::event_log::{Event, EventLog, Withdrawal};
use crate::model::plan::ReplicatePlan;
use crate::model::seat::Seat;
use crate::model::*;
use crate::outcome::{IncidentRecord, Outcome, PairOutcome};
use crate::rng::{Streams, replicate_seed};
use crate::scenario::compile::{Compiled, ExitRule, dyad_count, dyad_index};
use crate::systems::{setup_schedule, step_schedule};
use bevy_ecs::prelude::*;
use bevy_ecs::schedule::LogLevel;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A reusable simulator: one World and its schedules (a Schedule is bound to its World, so each
/// rayon worker owns one Simulator).
pub struct Simulator {
    world: World,
    setup: Schedule,
    step: Schedule,
    params: Arc<Compiled>,
    operations: QueryState<Entity, With<Operation>>,
    scratch: Vec<(u32, usize, u8)>,
}

/// The result of one replicate-arm.
#[derive(Debug, Clone, PartialEq)]
pub struct RunResult {
    /// Outcome row.
    pub outcome: Outcome,
    /// Calibration data.
    pub incidents: IncidentRecord,
    /// Per ordered pair of states (`actor * n + target`; the diagonal stays empty).
    pub pairs: Vec<PairOutcome>,
}

impl Simulator {
    /// A simulator for a compiled scenario.
    pub fn new(params: Arc<Compiled>) -> Simulator {
        Simulator::with_ambiguity(params, LogLevel::Ignore)
    }

    /// A simulator whose schedules are built with the given ambiguity detection (tests use `Error`).
    pub fn with_ambiguity(params: Arc<Compiled>, ambiguity: LogLevel) -> Simulator {
        let mut world = World::new();
        world.insert_resource(Params(params.clone()));
        world.insert_resource(ArmState::default());
        world.insert_resource(Clock::default());
        world.insert_resource(Agenda::default());
        world.insert_resource(RandomStreams(Streams::new(0)));
        world.insert_resource(ReplicatePlan::default());
        world.insert_resource(Tally::default());
        world.insert_resource(Ledger::default());
        world.insert_resource(Due::default());
        // Dyads live as long as the simulator; only their state is reset per replicate.
        let n = params.states.len();
        let mut entities = vec![Entity::PLACEHOLDER; dyad_count(n)];
        for a in 0..n {
            for b in (a + 1)..n {
                entities[dyad_index(n, a, b)] = world.spawn(fresh_dyad(&params, a, b)).id();
            }
        }
        world.insert_resource(DyadEntities {
            states: n,
            entities,
        });
        let operations = world.query_filtered::<Entity, With<Operation>>();
        Simulator {
            world,
            setup: setup_schedule(ambiguity),
            step: step_schedule(ambiguity),
            params,
            operations,
            scratch: Vec::new(),
        }
    }

    /// Builds both schedules now, reporting ambiguities or other build errors.
    pub fn initialize(&mut self) -> Result<(), String> {
        let w = &mut self.world;
        self.setup
            .initialize(w)
            .map_err(|e| e.to_string(self.setup.graph(), w))?;
        self.step
            .initialize(w)
            .map_err(|e| e.to_string(self.step.graph(), w))?;
        Ok(())
    }

    /// Runs replicate `replicate` of master seed `seed` in arm `arm`.
    pub fn run(&mut self, seed: u64, replicate: u64, arm: usize) -> RunResult {
        self.run_cancellable(seed, replicate, arm, None)
            .expect("invariant: a run without a cancellation flag is never cancelled")
    }

    /// Runs like [`Simulator::run`], but gives up (None) as soon as `cancel` is set: the flag is
    /// read between days with events, so one replicate of a huge scenario does not hold up Ctrl-C.
    /// Reading it draws nothing, so a run that is not cancelled is exactly [`Simulator::run`]'s.
    pub fn run_cancellable(
        &mut self,
        seed: u64,
        replicate: u64,
        arm: usize,
        cancel: Option<&AtomicBool>,
    ) -> Option<RunResult> {
        let cancelled = || cancel.is_some_and(|c| c.load(Ordering::Relaxed));
        let rep_seed = replicate_seed(seed, replicate);
        let mut until = self.params.arms[arm].scheduled_until();
        let mut decided: Vec<(usize, u32, Withdrawal)> = Vec::new();
        // A party whose doctrine withdraws from a measure decides on what happened up to that day,
        // and nothing before the day depends on the days after it (every draw is keyed): the run is
        // replayed with the withdrawal scheduled, which is the run in which it was decided then.
        loop {
            self.reset(rep_seed, arm, &until, &decided);
            self.setup.run(&mut self.world);
            let horizon = self.params.scenario.horizon_days;
            while self
                .world
                .resource::<Agenda>()
                .next_day()
                .is_some_and(|d| d < horizon)
            {
                if cancelled() {
                    return None;
                }
                self.step.run(&mut self.world);
            }
            match first_doctrine_exit(&self.params, arm, &until, self.world.resource::<Tally>()) {
                Some((w, day, why)) => {
                    until[self.params.arms[arm].withdrawals[w].measure] = day;
                    decided.push((w, day, why));
                }
                None => break,
            }
        }
        Some(self.finish())
    }

    /// Runs like [`Simulator::run`] and also returns the event log of what happened, event by event
    /// (the same draws, so the same outcome as `run`).
    pub fn run_logged(&mut self, seed: u64, replicate: u64, arm: usize) -> (RunResult, EventLog) {
        self.world.insert_resource(EventLog::default());
        let result = self.run(seed, replicate, arm);
        let mut log = self
            .world
            .remove_resource::<EventLog>()
            .expect("invariant: the event log was inserted above");
        log.finish(&self.params);
        (result, log)
    }

    /// Runs like [`Simulator::run_logged`] with `seat` deciding for its state where the doctrine
    /// would (a game); returns the seat with the rest, its decider holding whatever it kept.
    pub fn run_seated(
        &mut self,
        seed: u64,
        replicate: u64,
        arm: usize,
        seat: Seat,
    ) -> (RunResult, EventLog, Seat) {
        self.world.insert_resource(seat);
        let (result, log) = self.run_logged(seed, replicate, arm);
        let seat = self
            .world
            .remove_resource::<Seat>()
            .expect("invariant: the seat was inserted above");
        (result, log, seat)
    }

    fn reset(
        &mut self,
        rep_seed: u64,
        arm: usize,
        until: &[u32],
        decided: &[(usize, u32, Withdrawal)],
    ) {
        let p = self.params.clone();
        let w = &mut self.world;
        let old: Vec<Entity> = self.operations.iter(w).collect();
        for e in old {
            w.despawn(e);
        }
        w.resource_mut::<Agenda>().clear();
        w.resource_mut::<Ledger>().0.clear();
        *w.resource_mut::<Clock>() = Clock {
            today: 0,
            horizon: p.scenario.horizon_days,
        };
        let mut state = w.resource_mut::<ArmState>();
        state.arm = arm;
        state.until.clear();
        state.until.extend_from_slice(until);
        if let Some(mut log) = w.get_resource_mut::<EventLog>() {
            log.entries.clear();
            record_withdrawals(&mut log, &p, arm, decided);
        }
        // Every draw positions its stream first, so the streams of the replicate are kept as they
        // are between its arms (and the plan drawn from them with them).
        if w.resource::<RandomStreams>().0.seed() != rep_seed {
            w.resource_mut::<RandomStreams>().0 = Streams::new(rep_seed);
        }
        let n = p.states.len();
        *w.resource_mut::<Tally>() = Tally {
            attributed_pairs: vec![Default::default(); n * n],
            first_responses: vec![0; n * n * p.scenario.ladder.rungs.len()],
            confusion: vec![0; (n + 2) * n],
            pairs: vec![Default::default(); n * n],
            ..Default::default()
        };
        let dyads = std::mem::take(&mut w.resource_mut::<DyadEntities>().entities);
        for &e in &dyads {
            let mut d = w.get_mut::<Dyad>(e).expect("invariant: dyads persist");
            *d = fresh_dyad(&p, d.a, d.b);
        }
        w.resource_mut::<DyadEntities>().entities = dyads;
    }

    fn finish(&mut self) -> RunResult {
        let p = self.params.clone();
        let n = p.states.len();
        let horizon = p.scenario.horizon_days;
        let w = &mut self.world;
        let dyads: Vec<Dyad> = w
            .resource::<DyadEntities>()
            .entities
            .iter()
            .map(|e| w.get::<Dyad>(*e).expect("invariant: dyads persist").clone())
            .collect();
        let kinetic_of = |a: usize, b: usize| dyads[dyad_index(n, a, b)].kinetic_day;
        let mut outcome = Outcome::default();
        let mut detected = 0;
        let ledger = std::mem::take(&mut w.resource_mut::<Ledger>().0);
        let mut damage = 0.0;
        for op in &ledger {
            let cutoff = op
                .sponsor
                .and_then(|s| kinetic_of(s, op.victim))
                .map_or(horizon, |k| k.min(horizon));
            if op.launch_day >= cutoff {
                continue;
            }
            outcome.ops_launched += 1;
            damage += op.severity as f64;
            outcome.violations += u32::from(op.violates);
            if op.detect_day.is_some_and(|d| d < cutoff) {
                detected += 1;
            }
        }
        outcome.ops_detected = detected;
        outcome.highest_rung = dyads.iter().map(|d| d.highest).max().unwrap_or(0);
        outcome.crisis_day = dyads.iter().filter_map(|d| d.crisis_day).min();
        outcome.kinetic_day = dyads.iter().filter_map(|d| d.kinetic_day).min();
        outcome.final_trust = if dyads.is_empty() {
            0.0
        } else {
            dyads.iter().map(|d| d.trust).sum::<f64>() / dyads.len() as f64
        };
        w.resource_mut::<Ledger>().0 = ledger;
        let mut t = std::mem::take(&mut *w.resource_mut::<Tally>());
        for a in 0..n {
            for b in (a + 1)..n {
                let trust = dyads[dyad_index(n, a, b)].trust;
                t.pairs[a * n + b].final_trust = trust;
                t.pairs[b * n + a].final_trust = trust;
            }
        }
        outcome.ops_attributed = t.attributed;
        outcome.misattributions = t.misattributed;
        outcome.responses = t.responses;
        outcome.wrongful_responses = t.wrongful_responses;
        outcome.channel_calls = t.channel_calls;
        outcome.channel_uses = t.channel_uses;
        outcome.de_escalations = t.de_escalations;
        outcome.corrections = t.corrections;
        outcome.lies = t.lies;
        outcome.dialogue_rounds = t.dialogue_rounds;
        outcome.violations_attributed = t.violations_attributed;
        outcome.restrained = t.restrained;
        outcome.damage = damage + t.response_damage;
        outcome.escalation_score = t.escalation_score;
        outcome.responses_by_trigger = t.responses_by_trigger;
        outcome.crisis_origin = t.crisis_origin;
        outcome.kinetic_origin = t.kinetic_origin;
        let political =
            t.responses - t.responses_by_trigger[crate::model::Trigger::Spiral as usize];
        let timeline = crate::timeline::rung_runs(
            &t.level_log,
            dyads.len(),
            horizon,
            p.scenario.dynamics.tension_half_life_days,
            &mut self.scratch,
        );
        RunResult {
            outcome,
            incidents: IncidentRecord {
                confusion: t.confusion,
                timeline,
                pairs: t.attributed_pairs,
                lags: t.attribution_lags,
                detected,
                political_responses: political,
                first_responses: t.first_responses,
            },
            pairs: t.pairs,
        }
    }
}

/// Records in the log every withdrawal of the arm that takes effect within the run: those the
/// scenario schedules, then those the parties' doctrines decided (`decided`: the withdrawal's index
/// in the arm, its first day out of force, why).
fn record_withdrawals(
    log: &mut EventLog,
    p: &Compiled,
    arm: usize,
    decided: &[(usize, u32, Withdrawal)],
) {
    let horizon = p.scenario.horizon_days;
    let rules = &p.arms[arm].withdrawals;
    for w in rules {
        if let ExitRule::Day(day) = w.rule
            && day < horizon
        {
            let reason = if day == 0 {
                Withdrawal::Declined
            } else {
                Withdrawal::Scheduled
            };
            log.record(
                day,
                Event::Withdrew {
                    by: w.by,
                    measure: w.measure,
                    reason,
                },
            );
        }
    }
    for &(i, day, reason) in decided {
        log.record(
            day,
            Event::Withdrew {
                by: rules[i].by,
                measure: rules[i].measure,
                reason,
            },
        );
    }
}

/// The earliest withdrawal a party's doctrine decides in a finished run of arm `arm` whose measures
/// were in force until `until`: (its index in the arm, its first day out of force, why), if one
/// takes effect within the run while its measure is still in force. A doctrine withdraws the day
/// after its condition first holds; ties go to the withdrawal listed first.
pub fn first_doctrine_exit(
    p: &Compiled,
    arm: usize,
    until: &[u32],
    tally: &Tally,
) -> Option<(usize, u32, Withdrawal)> {
    let horizon = p.scenario.horizon_days;
    let mut best: Option<(usize, u32, Withdrawal)> = None;
    for (i, w) in p.arms[arm].withdrawals.iter().enumerate() {
        let seen = match w.rule {
            ExitRule::Day(_) => None,
            ExitRule::Violations(k) => tally
                .violations_seen
                .iter()
                .filter(|(_, victim, blamed)| *victim == w.by && *blamed == w.other)
                .nth(k as usize - 1)
                .map(|(day, _, _)| (*day, Withdrawal::Violations(k))),
            ExitRule::Tension(x) => {
                let dyad = p.measures[w.measure].dyad;
                tally
                    .level_log
                    .iter()
                    .find(|c| c.dyad == dyad && c.level >= x)
                    .map(|c| (c.day, Withdrawal::Tension(c.level)))
            }
        };
        if let Some((day, why)) = seen {
            let from = day + 1;
            if from < horizon && from < until[w.measure] && best.is_none_or(|(_, b, _)| from < b) {
                best = Some((i, from, why));
            }
        }
    }
    best
}

/// A dyad at the start of a replicate.
fn fresh_dyad(p: &Compiled, a: usize, b: usize) -> Dyad {
    Dyad {
        a,
        b,
        level: 0.0,
        level_day: 0,
        highest: 0,
        trust: p.initial_trust[dyad_index(p.states.len(), a, b)],
        crisis_day: None,
        kinetic_day: None,
        dialogue_rounds: 0,
        settled: 0.0,
        violations: 0,
        violations_at_review: 0,
        channel_credit: 1.0,
    }
}
