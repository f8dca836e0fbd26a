//! The system parameters the phases share: what a system reads about the run, the dyads found by
//! their pair of states, and what a system may change beyond them.

use crate::model::event_log::{Event, EventLog};
use crate::model::seat::{Choice, Seat, SeatView};
use crate::model::*;
use crate::scenario::compile::{Compiled, StateId};
use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;

/// What every system reads: the compiled scenario, the arm being run, and the clock.
#[derive(SystemParam)]
pub struct RunContext<'w> {
    params: Res<'w, Params>,
    arm: Res<'w, ArmState>,
    clock: Res<'w, Clock>,
}

impl RunContext<'_> {
    /// The compiled scenario.
    pub fn scenario(&self) -> &Compiled {
        &self.params.0
    }

    /// Index of the arm being run.
    pub fn arm(&self) -> usize {
        self.arm.arm
    }

    /// The measures in force today (`active().on(day)` for another day).
    pub fn active(&self) -> InForce<'_> {
        self.arm.on(self.clock.today)
    }

    /// The current day.
    pub fn today(&self) -> u32 {
        self.clock.today
    }

    /// The length of the run in days.
    pub fn horizon(&self) -> u32 {
        self.clock.horizon
    }
}

/// The dyads, found by their two states (in either order) or by their index.
#[derive(SystemParam)]
pub struct Dyads<'w, 's> {
    index: Res<'w, DyadEntities>,
    query: Query<'w, 's, &'static mut Dyad>,
}

impl Dyads<'_, '_> {
    /// Index of the dyad of `a` and `b`.
    pub fn index(&self, a: StateId, b: StateId) -> usize {
        self.index.index(a, b)
    }

    /// The dyad of `a` and `b`.
    pub fn get(&self, a: StateId, b: StateId) -> &Dyad {
        self.query
            .get(self.index.entities[self.index(a, b)])
            .expect("invariant: every dyad is spawned with the simulator")
    }

    /// The dyad of `a` and `b`, to change.
    pub fn get_mut(&mut self, a: StateId, b: StateId) -> Mut<'_, Dyad> {
        let i = self.index(a, b);
        self.by_index_mut(i)
    }

    /// The dyad of index `i`, to change.
    pub fn by_index_mut(&mut self, i: usize) -> Mut<'_, Dyad> {
        self.query
            .get_mut(self.index.entities[i])
            .expect("invariant: every dyad is spawned with the simulator")
    }
}

/// What a system may change besides the dyads: the random streams it draws from, the agenda of
/// future events, the tally, and the event log (present only when a caller asked for it).
#[derive(SystemParam)]
pub struct Effects<'w> {
    /// The replicate's random streams.
    pub streams: ResMut<'w, RandomStreams>,
    /// Future events.
    pub agenda: ResMut<'w, Agenda>,
    /// Counters of the replicate-arm.
    pub tally: ResMut<'w, Tally>,
    log: Option<ResMut<'w, EventLog>>,
}

impl Effects<'_> {
    /// Records what happened on `day` in the event log, if one is kept; `event` is built only then,
    /// so a run without a log pays for a branch.
    pub fn record(&mut self, day: u32, event: impl FnOnce() -> Event) {
        if let Some(log) = self.log.as_deref_mut() {
            log.record(day, event());
        }
    }

    /// Whether an event log is kept (for records that need extra work to assemble).
    pub fn logging(&self) -> bool {
        self.log.is_some()
    }
}

/// The seat, present only in a game: only the systems with a decision point of a state take it, so
/// that the others do not fetch it.
#[derive(SystemParam)]
pub struct Seated<'w>(Option<ResMut<'w, Seat>>);

impl Seated<'_> {
    /// The choice of `state` at a decision point: `doctrine`, unless `state` holds the seat (a game),
    /// whose decider then sees `view()` and chooses among `options()`. Neither is built otherwise,
    /// so a run without a seat pays for a branch. Call it after every draw the decision point makes,
    /// so that a choice shifts no draw.
    pub fn choose(
        &mut self,
        state: StateId,
        doctrine: Choice,
        options: impl FnOnce() -> Vec<Choice>,
        view: impl FnOnce() -> SeatView,
    ) -> Choice {
        match self.0.as_deref_mut() {
            Some(seat) if seat.state == state => ask(seat, doctrine, &options(), &view()),
            _ => doctrine,
        }
    }
}

/// The seat's side of [`Seated::choose`], kept out of line so that the systems' code without a seat
/// stays as it was.
#[cold]
#[inline(never)]
fn ask(seat: &mut Seat, doctrine: Choice, options: &[Choice], view: &SeatView) -> Choice {
    seat.decide(view, options, doctrine)
}
