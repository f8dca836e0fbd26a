//! The agenda of future events, the events themselves (named facts, each read by the system of its
//! phase), and [`Due`]: the events of the current step, sorted by kind.

use super::resources::Trigger;
use crate::outcome::Origin;
use crate::scenario::compile::StateId;
use bevy_ecs::prelude::*;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Why a state chose the rung of a response: what its doctrine answered (MODEL.md §7.6, §7.9).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reason {
    /// A first response from the doctrine's table: the incident read with `perceived` severity
    /// (DCID points, the worst-case reading of intent included) plus `tension` points from the
    /// dyad's current level, then `noise` (−1 restraint, +1 escalation) and the cap while unsure.
    Doctrine {
        /// Perceived severity.
        perceived: f64,
        /// Severity points the dyad's tension added.
        tension: f64,
        /// −1, 0 or +1.
        noise: i8,
    },
    /// A first response carried out as a reply in kind (the doctrine's propensity, the victim sure
    /// of who acted), above the rung `table` its table gave.
    ReplyInKind {
        /// Rung the table gave.
        table: u8,
    },
    /// An answer to the other side's response, seen with the severity of its rung (`seen`) plus
    /// `tension` points from the dyad's level, then `noise`.
    Answer {
        /// Severity of the action answered (its rung's).
        seen: f64,
        /// Severity points the dyad's tension added.
        tension: f64,
        /// −1, 0 or +1.
        noise: i8,
    },
}

impl Reason {
    /// One line for the event log export.
    pub fn describe(&self) -> String {
        match self {
            Reason::Doctrine {
                perceived,
                tension,
                noise,
            } => format!(
                "doctrine: perceived {perceived:.2} + tension {tension:.2}; noise {noise:+}"
            ),
            Reason::ReplyInKind { table } => format!("reply in kind (the table gave rung {table})"),
            Reason::Answer {
                seen,
                tension,
                noise,
            } => format!("answer: seen {seen:.2} + tension {tension:.2}; noise {noise:+}"),
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
    /// The operation the chain began with (the same for every response of the chain).
    pub origin: Origin,
    /// What the doctrine answered in choosing the rung.
    pub reason: Reason,
}

impl Decision {
    /// Key of the decision at `depth` in a chain whose first decision has key `root`.
    pub fn key_at(root: u64, depth: u32) -> u64 {
        if depth == 0 {
            root
        } else {
            crate::rng::combine(root, u64::from(depth))
        }
    }

    /// Key of the decision this one answers (None for the first response, which answers the
    /// operation).
    pub fn answers(&self) -> Option<u64> {
        (self.depth > 0).then(|| Decision::key_at(self.root, self.depth - 1))
    }
}

/// The victim attributes an operation publicly today and considers a response.
#[derive(Debug, Clone)]
pub struct OperationAttributed {
    /// The operation (spawned at planning with its detection and attribution).
    pub op: Entity,
    /// The state it is blamed on.
    pub blamed: StateId,
}

/// The answer to a channel call made before responding arrives today.
#[derive(Debug, Clone)]
pub struct AnswerArrived {
    /// The pending decision.
    pub decision: Decision,
    /// The measure whose line carried the call.
    pub measure: usize,
    /// Uniform draw deciding whether the answer is believed.
    pub believe_draw: f64,
}

/// A decided response is carried out today.
#[derive(Debug, Clone)]
pub struct ResponseDue {
    /// What is done, by whom, to whom.
    pub decision: Decision,
}

/// A round of a dialogue is due today.
#[derive(Debug, Clone)]
pub struct DialogueRoundDue {
    /// The dialogue measure.
    pub measure: usize,
    /// Round number (1-based).
    pub round: u32,
}

/// A lie told over a channel comes to light today and costs trust.
#[derive(Debug, Clone)]
pub struct LieExposed {
    /// Dyad index.
    pub dyad: usize,
    /// Fraction of trust lost, in [0, 1].
    pub loss: f64,
}

/// The events due in the current step, by kind, in agenda order within each kind: the clock fills
/// it, each phase's system reads its kind.
///
/// A resource rather than one bevy `Messages` queue per kind: a step would then fetch five queues
/// in the clock and one in each run condition, which measured 4.6 % more instructions per
/// replicate-arm for the same behaviour.
#[derive(Resource, Default)]
pub struct Due {
    /// Operations attributed publicly today.
    pub attributed: Vec<OperationAttributed>,
    /// Channel answers arriving today.
    pub answers: Vec<AnswerArrived>,
    /// Responses carried out today.
    pub responses: Vec<ResponseDue>,
    /// Dialogue rounds due today.
    pub rounds: Vec<DialogueRoundDue>,
    /// Lies exposed today.
    pub lies: Vec<LieExposed>,
}

impl Due {
    /// Forgets the previous step's events.
    pub fn clear(&mut self) {
        self.attributed.clear();
        self.answers.clear();
        self.responses.clear();
        self.rounds.clear();
        self.lies.clear();
    }

    /// Files one event under its kind.
    pub fn post(&mut self, event: AgendaEvent) {
        match event {
            AgendaEvent::Attributed(e) => self.attributed.push(e),
            AgendaEvent::Answer(e) => self.answers.push(e),
            AgendaEvent::Respond(e) => self.responses.push(e),
            AgendaEvent::DialogueRound(e) => self.rounds.push(e),
            AgendaEvent::LieExposed(e) => self.lies.push(e),
        }
    }
}

/// A future event: one of the events above, waiting for its day.
#[derive(Debug, Clone)]
pub enum AgendaEvent {
    /// See [`OperationAttributed`].
    Attributed(OperationAttributed),
    /// See [`AnswerArrived`].
    Answer(AnswerArrived),
    /// See [`ResponseDue`].
    Respond(ResponseDue),
    /// See [`DialogueRoundDue`].
    DialogueRound(DialogueRoundDue),
    /// See [`LieExposed`].
    LieExposed(LieExposed),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn round(measure: usize) -> AgendaEvent {
        AgendaEvent::DialogueRound(DialogueRoundDue { measure, round: 1 })
    }

    fn measures(events: &[AgendaEvent]) -> Vec<usize> {
        events
            .iter()
            .map(|e| match e {
                AgendaEvent::DialogueRound(r) => r.measure,
                _ => usize::MAX,
            })
            .collect()
    }

    #[test]
    fn events_come_out_by_day_then_in_the_order_they_were_scheduled() {
        let mut a = Agenda::default();
        a.schedule(5, round(1));
        a.schedule(3, round(2));
        a.schedule(5, round(3));
        a.schedule(3, round(4));
        assert_eq!(a.next_day(), Some(3));
        let mut out = Vec::new();
        a.take_day(3, &mut out);
        assert_eq!(measures(&out), [2, 4]);
        out.clear();
        a.take_day(5, &mut out);
        assert_eq!(measures(&out), [1, 3]);
        assert_eq!(a.next_day(), None);
    }

    #[test]
    fn days_after_round_and_saturate() {
        assert_eq!(day_after(10, 0.4), 10);
        assert_eq!(day_after(10, 0.5), 11);
        assert_eq!(day_after(10, -3.0), 10);
        assert_eq!(day_after(u32::MAX - 1, 5.0), u32::MAX);
        assert_eq!(day_after(0, f64::INFINITY), u32::MAX);
    }
}
