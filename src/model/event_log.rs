//! The event log: what happened in one replicate-arm, event by event — the record the narrated demo
//! reads (and anything else that wants the story of a run rather than its counts).
//!
//! The systems record into it only when the resource is present, so the Monte Carlo path neither
//! pays for it nor changes: recording draws no random number and only reads what the systems
//! decided.

use super::agenda::Reason;
use super::components::Deception;
use super::resources::Trigger;
use crate::scenario::compile::{Compiled, StateId, dyad_index};
use crate::scenario::types::OperationKind;
use bevy_ecs::prelude::*;

/// What an operation was, as the class can see it (the truth, not what the victim believed).
#[derive(Debug, Clone, PartialEq)]
pub struct OpFacts {
    /// Stable operation key (shared by the arms).
    pub key: u64,
    /// Index into `Compiled::executors`.
    pub executor: usize,
    /// The state that ordered it (None: a freelancing proxy or an independent group).
    pub sponsor: Option<StateId>,
    /// The victim.
    pub victim: StateId,
    /// Kind.
    pub kind: OperationKind,
    /// DCID severity 1–10.
    pub severity: u8,
    /// Index of the target sector.
    pub sector: usize,
    /// Overt rather than covert.
    pub overt: bool,
    /// The state a planted false flag points at.
    pub false_flag: Option<StateId>,
    /// Scripted by an inject rather than drawn.
    pub injected: bool,
}

/// Why a party left a measure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Withdrawal {
    /// It declined the measure from the start.
    Declined,
    /// On the day the scenario set.
    Scheduled,
    /// Its doctrine: it had publicly attributed this many violations by the other party.
    Violations(u32),
    /// Its doctrine: the pair's escalation level had reached this many rungs.
    Tension(f64),
}

/// One thing that happened.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// An operation was launched; `detect_day` says whether and when its victim will notice.
    Launched {
        /// The operation.
        op: OpFacts,
        /// Day of detection, if within the horizon.
        detect_day: Option<u32>,
    },
    /// A planned operation was not launched: its sponsor complied with an agreement or pledge.
    Restrained {
        /// The operation that did not happen.
        op: OpFacts,
        /// The measure that held it back.
        measure: usize,
    },
    /// A sponsor announced an operation in advance under an incidents agreement's rules.
    Noticed {
        /// The operation announced.
        op: OpFacts,
        /// The agreement.
        measure: usize,
    },
    /// A candidate operation was not launched: its sponsor expected to be blamed and punished.
    Deterred {
        /// The operation that did not happen.
        op: OpFacts,
        /// Probability the sponsor would have let it go ahead.
        acceptance: f64,
    },
    /// The victim detected an operation.
    Detected {
        /// Key of the operation.
        op: u64,
    },
    /// CERTs shared indicators about misleading evidence.
    EvidenceShared {
        /// Key of the operation.
        op: u64,
        /// The state the evidence pointed at (the other end of the line).
        accused: StateId,
        /// The line tried first (or the one that connected).
        measure: usize,
        /// Whether a line connected.
        connected: bool,
        /// Whether the evidence convinced the analysts (the misattribution was avoided).
        convinced: bool,
    },
    /// The victim publicly blamed a state.
    Attributed {
        /// Key of the operation.
        op: u64,
        /// The state blamed.
        blamed: StateId,
        /// Confidence when deciding, in [0, 1].
        confidence: f64,
        /// What misleading evidence there was.
        deception: Deception,
        /// Whether analysts (or a CERT) saw through it.
        saw_through: bool,
    },
    /// The victim decided on a first response (rung 0: let it pass).
    Decided {
        /// Key of the operation.
        op: u64,
        /// Decision key (links the call, the answer and the response).
        decision: u64,
        /// The victim.
        actor: StateId,
        /// The state blamed.
        against: StateId,
        /// Rung chosen.
        rung: u8,
        /// Rung it would have chosen without the worst-case reading of intent.
        clarified: u8,
        /// What the doctrine answered.
        reason: Reason,
    },
    /// A channel was called before responding.
    Consulted {
        /// Decision key.
        decision: u64,
        /// The caller.
        actor: StateId,
        /// The state called.
        against: StateId,
        /// The line tried first (or the one that connected).
        measure: usize,
        /// Whether a line connected.
        connected: bool,
    },
    /// The answer over a channel, and what the caller then did.
    Answered {
        /// Decision key.
        decision: u64,
        /// The caller.
        actor: StateId,
        /// The state that answered.
        against: StateId,
        /// The line.
        measure: usize,
        /// The answerer really did not order the operation.
        innocent: bool,
        /// An acknowledgement (rather than a denial).
        acknowledged: bool,
        /// The denial was believed.
        believed: bool,
        /// Rung planned before the call.
        planned: u8,
        /// Rung carried out after it (0: stood down).
        after: u8,
    },
    /// A response was carried out.
    Responded {
        /// Decision key.
        decision: u64,
        /// The state acting.
        actor: StateId,
        /// The state acted against.
        against: StateId,
        /// Rung of the action.
        rung: u8,
        /// What set it off.
        trigger: Trigger,
        /// Against a state that did not order the operation answered.
        wrongful: bool,
        /// The dyad's level right after it (in rungs).
        level: f64,
        /// The action was kinetic: the dyad's run ends.
        kinetic: bool,
        /// Key of the operation the chain began with.
        origin: u64,
        /// Decision key of the response this one answers (None: it answers the operation).
        answers: Option<u64>,
        /// What the doctrine answered in choosing the rung.
        reason: Reason,
    },
    /// A crisis channel was used before the other side answered.
    CrisisCall {
        /// The state about to answer.
        actor: StateId,
        /// The state it answers.
        against: StateId,
        /// The line.
        measure: usize,
        /// The call calmed it.
        believed: bool,
        /// Rung it would have answered with.
        planned: u8,
        /// Rung it answers with.
        after: u8,
    },
    /// A round of dialogue was due.
    Dialogue {
        /// The dialogue measure.
        measure: usize,
        /// Whether it took place.
        held: bool,
        /// Trust afterwards.
        trust: f64,
    },
    /// A party warned the other over a channel before an expected interference.
    Warned {
        /// The state that warns.
        by: StateId,
        /// The state warned.
        to: StateId,
        /// The channel.
        measure: usize,
        /// Whether the call got through (only then is the warning weighed).
        delivered: bool,
        /// First day after the window the warning covers.
        until: u32,
    },
    /// The party called refused a call over a channel.
    Refused {
        /// The state that refused.
        by: StateId,
        /// The channel.
        measure: usize,
        /// Its probability of refusing (the reason: its stance towards the channel).
        refusal: f64,
    },
    /// The annual review of an incidents agreement.
    Reviewed {
        /// The agreement.
        measure: usize,
        /// The two states (lower id first).
        dyad: (StateId, StateId),
        /// Year reviewed (1-based).
        year: u32,
        /// Violations attributed on the pair during the year.
        violations: u32,
        /// Trust afterwards.
        trust: f64,
    },
    /// A party left a measure: from this day it is no longer in force, for either party.
    Withdrew {
        /// The state that left.
        by: StateId,
        /// The measure.
        measure: usize,
        /// Why.
        reason: Withdrawal,
    },
    /// A lie told over a channel was discovered.
    LieDiscovered {
        /// The two states (lower id first).
        dyad: (StateId, StateId),
        /// Trust afterwards.
        trust: f64,
        /// The channel the lie was told over.
        measure: usize,
        /// Factor on the credibility of the pair's channels afterwards.
        credit: f64,
    },
}

/// One dated event, with the run's current rung right after it. Two entries are the same event when
/// their day and event agree (the rung is the state of the run around it, not part of the event).
#[derive(Debug, Clone)]
pub struct Entry {
    /// Day.
    pub day: u32,
    /// Run's current rung (highest over dyads) right after the event.
    pub rung: u8,
    /// What happened.
    pub event: Event,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.day == other.day && self.event == other.event
    }
}

/// The event log of one replicate-arm: present as a resource only when a caller asks for it.
#[derive(Resource, Debug, Clone, Default)]
pub struct EventLog {
    /// Entries in the order recorded (planning records future detections up front).
    pub entries: Vec<Entry>,
}

impl EventLog {
    /// Records `event` on `day` (the rung is filled in by [`EventLog::finish`]).
    pub fn record(&mut self, day: u32, event: Event) {
        self.entries.push(Entry {
            day,
            rung: 0,
            event,
        });
    }

    /// Puts the entries in time order (stable: same-day events keep the order they happened in),
    /// drops operations launched or detected after their dyad went to war, and fills in the rungs.
    pub fn finish(&mut self, p: &Compiled) {
        self.entries.sort_by_key(|e| e.day);
        let n = p.states.len();
        let half_life = p.scenario.dynamics.tension_half_life_days;
        let mut war: Vec<Option<u32>> = vec![None; crate::scenario::compile::dyad_count(n)];
        for e in &self.entries {
            if let Event::Responded {
                actor,
                against,
                kinetic: true,
                ..
            } = e.event
            {
                let w = &mut war[dyad_index(n, actor, against)];
                if w.is_none() {
                    *w = Some(e.day);
                }
            }
        }
        let mut cutoff = std::collections::BTreeMap::new();
        for e in &self.entries {
            if let Event::Launched { op, .. } = &e.event {
                let k = op.sponsor.and_then(|s| war[dyad_index(n, s, op.victim)]);
                cutoff.insert(op.key, k.unwrap_or(u32::MAX));
            }
        }
        self.entries.retain(|e| match &e.event {
            Event::Launched { op, .. } => e.day < cutoff[&op.key],
            Event::Detected { op } => cutoff.get(op).is_none_or(|k| e.day < *k),
            _ => true,
        });
        // The run's rung after each event: dyads' levels jump at responses and decay in between.
        let mut levels: Vec<(f64, u32, bool)> = vec![(0.0, 0, false); war.len()];
        for e in &mut self.entries {
            if let Event::Responded {
                actor,
                against,
                level,
                kinetic,
                ..
            } = e.event
            {
                levels[dyad_index(n, actor, against)] = (level, e.day, kinetic);
            }
            e.rung = levels
                .iter()
                .map(|&(l, from, kinetic)| {
                    let l = if kinetic {
                        l
                    } else {
                        l * (-std::f64::consts::LN_2 * (e.day - from) as f64 / half_life).exp()
                    };
                    l.floor().max(0.0) as u8
                })
                .max()
                .unwrap_or(0);
        }
    }
}

/// Index of the first entry where two event logs differ (None: identical).
pub fn divergence(a: &[Entry], b: &[Entry]) -> Option<usize> {
    let common = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    (common < a.len().max(b.len())).then_some(common)
}
