//! Time advance: jump to the next day with an event and post that day's events as messages, one
//! kind per phase.

use crate::model::*;
use bevy_ecs::message::Messages;
use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;

/// The message queues of the events due in the current step.
#[derive(SystemParam)]
pub struct DueToday<'w> {
    attributed: ResMut<'w, Messages<OperationAttributed>>,
    answers: ResMut<'w, Messages<AnswerArrived>>,
    responses: ResMut<'w, Messages<ResponseDue>>,
    rounds: ResMut<'w, Messages<DialogueRoundDue>>,
    lies: ResMut<'w, Messages<LieExposed>>,
}

impl DueToday<'_> {
    /// Forgets the previous step's messages (every phase has read them by now).
    fn clear(&mut self) {
        self.attributed.clear();
        self.answers.clear();
        self.responses.clear();
        self.rounds.clear();
        self.lies.clear();
    }

    /// Posts one event to the queue of its kind.
    fn post(&mut self, event: AgendaEvent) {
        match event {
            AgendaEvent::Attributed(m) => {
                self.attributed.write(m);
            }
            AgendaEvent::Answer(m) => {
                self.answers.write(m);
            }
            AgendaEvent::Respond(m) => {
                self.responses.write(m);
            }
            AgendaEvent::DialogueRound(m) => {
                self.rounds.write(m);
            }
            AgendaEvent::LieExposed(m) => {
                self.lies.write(m);
            }
        }
    }
}

/// Registers the message queue of every kind of event in a World.
pub fn add_event_queues(world: &mut World) {
    world.init_resource::<Messages<OperationAttributed>>();
    world.init_resource::<Messages<AnswerArrived>>();
    world.init_resource::<Messages<ResponseDue>>();
    world.init_resource::<Messages<DialogueRoundDue>>();
    world.init_resource::<Messages<LieExposed>>();
}

/// Pops every event of the next event day, in (day, scheduling) order, and posts them.
pub fn advance_clock(
    mut clock: ResMut<Clock>,
    mut agenda: ResMut<Agenda>,
    mut due: DueToday,
    mut events: Local<Vec<AgendaEvent>>,
) {
    due.clear();
    let Some(day) = agenda.next_day() else {
        return;
    };
    clock.today = day;
    agenda.take_day(day, &mut events);
    for e in events.drain(..) {
        due.post(e);
    }
}
