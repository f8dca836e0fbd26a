//! Time advance: jump to the next day with an event and file that day's events in [`Due`], one kind
//! per phase.

use crate::model::*;
use bevy_ecs::prelude::*;

/// Pops every event of the next event day, in (day, scheduling) order, into [`Due`].
pub fn advance_clock(
    mut clock: ResMut<Clock>,
    mut agenda: ResMut<Agenda>,
    mut due: ResMut<Due>,
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
