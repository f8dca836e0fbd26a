//! Time advance: jump to the next day with an event and hand its events to the phases.

use crate::model::*;
use bevy_ecs::prelude::*;

/// Pops every event of the next event day and sorts them into [`Due`].
pub fn advance_clock(mut clock: ResMut<Clock>, mut agenda: ResMut<Agenda>, mut due: ResMut<Due>) {
    let due = &mut *due;
    due.attributions.clear();
    due.answers.clear();
    due.responses.clear();
    due.rounds.clear();
    due.shocks.clear();
    let Some(day) = agenda.next_day() else {
        return;
    };
    clock.today = day;
    let mut events = std::mem::take(&mut due.scratch);
    agenda.take_day(day, &mut events);
    for e in events.drain(..) {
        match e {
            AgendaEvent::Attributed(op) => due.attributions.push(op),
            AgendaEvent::Answer {
                decision,
                measure,
                believe_draw,
            } => due.answers.push((decision, measure, believe_draw)),
            AgendaEvent::Respond(d) => due.responses.push(d),
            AgendaEvent::DialogueRound { measure, round } => due.rounds.push((measure, round)),
            AgendaEvent::TrustShock { dyad, loss } => due.shocks.push((dyad, loss)),
        }
    }
    due.scratch = events;
}
