//! Resources: the replicate-wide state (clock, agenda of future events, random streams, tallies).

use crate::model::components::Deception;
use crate::rng::Streams;
use crate::scenario::compile::{Compiled, StateId};
use bevy_ecs::prelude::*;
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::sync::Arc;

/// The resolved scenario (read-only).
#[derive(Resource, Clone)]
pub struct Params(pub Arc<Compiled>);

/// Which measures are switched on in the arm being simulated.
#[derive(Resource, Debug, Clone, Default)]
pub struct ArmState {
    /// Index of the arm.
    pub arm: usize,
    /// `active[m]` for each measure.
    pub active: Vec<bool>,
}

/// Simulated time.
#[derive(Resource, Debug, Clone, Default)]
pub struct Clock {
    /// Current day (0-based).
    pub today: u32,
    /// Length of the run in days.
    pub horizon: u32,
}

/// What set a response off, for the breakdown of where escalation came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Trigger {
    /// An operation correctly attributed to its sponsor.
    Attributed,
    /// A misattribution caused by a false flag.
    FalseFlag,
    /// A misattribution caused by a mercenary's reused tools.
    Mercenary,
    /// An independent group's operation blamed on a state.
    Independent,
    /// A freelancing proxy's operation blamed on its patron.
    FreelancingProxy,
    /// The other side's response (the spiral).
    Spiral,
}

impl Trigger {
    /// All triggers in a fixed order.
    pub const ALL: [Trigger; 6] = [
        Trigger::Attributed,
        Trigger::FalseFlag,
        Trigger::Mercenary,
        Trigger::Independent,
        Trigger::FreelancingProxy,
        Trigger::Spiral,
    ];

    /// The trigger of a response to an incident blamed after the given deception.
    pub fn from_deception(d: Deception, fooled: bool) -> Trigger {
        if !fooled {
            return Trigger::Attributed;
        }
        match d {
            Deception::None => Trigger::Attributed,
            Deception::FalseFlag => Trigger::FalseFlag,
            Deception::ToolReuse => Trigger::Mercenary,
            Deception::Mimicry => Trigger::Independent,
            Deception::Freelance => Trigger::FreelancingProxy,
        }
    }

    /// Label for CSV and reports.
    pub fn label(self) -> &'static str {
        match self {
            Trigger::Attributed => "correctly_attributed",
            Trigger::FalseFlag => "false_flag",
            Trigger::Mercenary => "mercenary",
            Trigger::Independent => "independent_actor",
            Trigger::FreelancingProxy => "freelancing_proxy",
            Trigger::Spiral => "spiral",
        }
    }
}

/// A response being decided: who answers whom, at which rung, and why.
#[derive(Debug, Clone)]
pub struct Decision {
    /// Stable key of this decision (for its random sub-streams).
    pub key: u64,
    /// The state responding.
    pub actor: StateId,
    /// The state it responds against.
    pub against: StateId,
    /// Rung chosen.
    pub rung: u8,
    /// Rung the doctrine would choose without the worst-case reading of intent (after the same noise).
    pub rung_clarified: u8,
    /// Why.
    pub trigger: Trigger,
    /// The operation behind it, for the first response of a chain.
    pub op: Option<Entity>,
    /// Position in the chain of responses (0: the response to the operation).
    pub depth: u32,
    /// Root key of the chain.
    pub root: u64,
    /// True when `against` did not order the operation answered.
    pub wrongful: bool,
}

/// A future event.
#[derive(Debug, Clone)]
pub enum AgendaEvent {
    /// The victim attributes an operation publicly and considers a response.
    Attributed(Entity),
    /// A channel call made before responding is answered.
    Answer {
        /// The pending decision.
        decision: Decision,
        /// The measure used.
        measure: usize,
        /// Uniform draw deciding whether the answer is believed.
        believe_draw: f64,
    },
    /// A response is carried out.
    Respond(Decision),
    /// A round of dialogue is due.
    DialogueRound {
        /// The dialogue measure.
        measure: usize,
        /// Round number (1-based).
        round: u32,
    },
    /// A discovered lie or violation costs trust.
    TrustShock {
        /// Dyad index.
        dyad: usize,
        /// Fraction of trust lost.
        loss: f64,
    },
}

struct Entry {
    day: u32,
    seq: u64,
    event: AgendaEvent,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        (self.day, self.seq) == (other.day, other.seq)
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        // Reversed: BinaryHeap is a max-heap and we want the earliest (day, seq) first.
        (other.day, other.seq).cmp(&(self.day, self.seq))
    }
}

/// The agenda of future events: time advances from one event day to the next, so a run's cost
/// follows its events, not the calendar.
#[derive(Resource, Default)]
pub struct Agenda {
    heap: BinaryHeap<Entry>,
    seq: u64,
}

impl Agenda {
    /// Schedules `event` on `day` (events of one day run in the order they were scheduled).
    pub fn schedule(&mut self, day: u32, event: AgendaEvent) {
        self.seq += 1;
        self.heap.push(Entry {
            day,
            seq: self.seq,
            event,
        });
    }

    /// Day of the next event.
    pub fn next_day(&self) -> Option<u32> {
        self.heap.peek().map(|e| e.day)
    }

    /// Removes and returns every event due on `day`, in order.
    pub fn take_day(&mut self, day: u32, out: &mut Vec<AgendaEvent>) {
        while self.heap.peek().is_some_and(|e| e.day == day) {
            out.push(
                self.heap
                    .pop()
                    .expect("invariant: peeked entry exists")
                    .event,
            );
        }
    }

    /// Empties the agenda.
    pub fn clear(&mut self) {
        self.heap.clear();
        self.seq = 0;
    }
}

/// The day `days` after `today`, rounded to whole days; saturates instead of overflowing (events past
/// the horizon are never run).
pub fn day_after(today: u32, days: f64) -> u32 {
    let d = days.round();
    if d >= u32::MAX as f64 {
        u32::MAX
    } else {
        today.saturating_add(d.max(0.0) as u32)
    }
}

/// The events due in the current step, sorted by kind for the systems of each phase.
#[derive(Resource, Default)]
pub struct Due {
    /// Operations attributed today.
    pub attributions: Vec<Entity>,
    /// Channel answers arriving today.
    pub answers: Vec<(Decision, usize, f64)>,
    /// Responses carried out today.
    pub responses: Vec<Decision>,
    /// Dialogue rounds today.
    pub rounds: Vec<(usize, u32)>,
    /// Trust shocks today.
    pub shocks: Vec<(usize, f64)>,
    /// Scratch buffer.
    pub scratch: Vec<AgendaEvent>,
}

/// The random streams of the replicate.
#[derive(Resource)]
pub struct RandomStreams(pub Streams);

/// Entity of each dyad, by dyad index.
#[derive(Resource, Default)]
pub struct DyadEntities(pub Vec<Entity>);

/// Counters accumulated while a replicate-arm runs.
#[derive(Resource, Debug, Clone, Default)]
pub struct Tally {
    /// Operations publicly attributed to a state.
    pub attributed: u32,
    /// ... to a state that did not order them.
    pub misattributed: u32,
    /// Responses carried out.
    pub responses: u32,
    /// Responses against a state that did not order the operation answered.
    pub wrongful_responses: u32,
    /// Responses by what triggered them, in `Trigger::ALL` order.
    pub responses_by_trigger: [u32; 6],
    /// Channel calls attempted.
    pub channel_calls: u32,
    /// Channel calls that connected.
    pub channel_uses: u32,
    /// Responses withdrawn or lowered thanks to a channel.
    pub de_escalations: u32,
    /// Misattributions corrected by a channel (CERT evidence or a believed denial).
    pub corrections: u32,
    /// Lies told over a channel.
    pub lies: u32,
    /// Dialogue rounds held.
    pub dialogue_rounds: u32,
    /// Violations of agreements or pledges that the victim attributed (to someone).
    pub violations_attributed: u32,
    /// Operations not launched because the sponsor complied with an agreement or pledge.
    pub restrained: u32,
    /// Sum of rung scores of responses (Rivera et al. weights).
    pub escalation_score: f64,
    /// Sum of rung severities of responses.
    pub response_damage: f64,
    /// Calibration data: per (blamed, victim) ordered pair (`blamed * n + victim`), attributed incidents.
    pub attributed_pairs: Vec<crate::outcome::PairIncidents>,
    /// Days from launch to public attribution, one per attributed covert incident.
    pub attribution_lags: Vec<u32>,
    /// Publicly attributed incidents by (true sponsor, blamed state): row `truth * n + blamed`, where
    /// `truth` is a state, `n` for a freelancing proxy, `n + 1` for an independent group.
    pub confusion: Vec<u32>,
    /// Every change of a dyad's level: (dyad, day, level after the action, the action was kinetic).
    pub level_log: Vec<(usize, u32, f64, bool)>,
}

/// One operation's record, kept for the end-of-run counts (launched, detected, violations) without
/// spawning an entity for the many operations no one ever attributes.
#[derive(Debug, Clone, Copy)]
pub struct LedgerEntry {
    /// The state that ordered it, if any.
    pub sponsor: Option<StateId>,
    /// The victim.
    pub victim: StateId,
    /// Day of launch.
    pub launch_day: u32,
    /// DCID severity.
    pub severity: u8,
    /// Whether it breached an active agreement or pledge.
    pub violates: bool,
    /// Day of detection, if detected within the horizon.
    pub detect_day: Option<u32>,
}

/// Every operation launched in the replicate-arm, in planning order.
#[derive(Resource, Debug, Default)]
pub struct Ledger(pub Vec<LedgerEntry>);
