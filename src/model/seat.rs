//! The seat: one state whose decisions a decider (a student at a prompt, a saved game being replayed,
//! a browser on another thread) takes instead of its doctrine.
//!
//! The systems consult the seat, when the resource is present, at each decision point of the seated
//! state; they draw every random number they would draw without it, before asking, so that a choice
//! changes only what follows from it (every draw is keyed by its event, not by its position in a
//! stream). Without the resource, as in every Monte Carlo run, nothing is asked and nothing changes.

use super::agenda::Reason;
use crate::scenario::compile::StateId;
use crate::scenario::types::OperationKind;
use bevy_ecs::prelude::*;

/// What the seated state may choose at a decision point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Choice {
    /// A rung of the ladder (0: let it pass, no response).
    Rung(u8),
    /// Accused over a channel of an operation it ordered: acknowledge it.
    Admit,
    /// Accused over a channel of an operation it ordered: deny it (a lie).
    Deny,
}

/// What the seated state faces, as it knows it (never the truth it cannot see).
#[derive(Debug, Clone, PartialEq)]
pub enum Situation {
    /// An operation against the seat has been publicly attributed to `against`: the first response.
    Attributed {
        /// Stable key of the operation.
        op: u64,
        /// Its kind.
        kind: OperationKind,
        /// Index of the sector hit.
        sector: usize,
        /// The damage seen, DCID severity 1–10.
        severity: u8,
        /// Confidence in the attribution when deciding, in [0, 1].
        confidence: f64,
        /// The severity read with the worst case of intent (DCID points).
        perceived: f64,
        /// Severity points the pair's tension adds.
        tension: f64,
    },
    /// `against` carried out a response against the seat that the seat saw: the answer.
    ActedAgainst {
        /// The rung `against` climbed to.
        rung: u8,
        /// Severity of that rung (DCID points).
        seen: f64,
        /// Severity points the pair's tension adds.
        tension: f64,
    },
    /// `against` calls over a channel about an operation the seat ordered, before responding at
    /// `planned`: acknowledge it or deny it.
    Accused {
        /// Stable key of the operation.
        op: u64,
        /// The rung the caller plans if it is not answered to its satisfaction.
        planned: u8,
        /// Index of the channel (measure) the call came over.
        measure: usize,
        /// The doctrine's probability of an honest answer.
        honesty: f64,
    },
}

/// What a seated state sees at a decision point.
#[derive(Debug, Clone, PartialEq)]
pub struct SeatView {
    /// Day of the decision.
    pub day: u32,
    /// The seated state.
    pub seat: StateId,
    /// The other state of the decision.
    pub against: StateId,
    /// Tension of the pair on that day (a level on the ladder's scale).
    pub level: f64,
    /// Trust of the pair, in [0, 1].
    pub trust: f64,
    /// What the seat faces.
    pub situation: Situation,
    /// The doctrine's reasoning for its own choice (None at an accusation: honesty is a draw).
    pub reason: Option<Reason>,
}

/// Takes the seated state's decisions. `options` is never empty and holds `doctrine`; a choice not
/// among the options is read as the doctrine's.
pub trait Decider: Send + Sync {
    /// Chooses among `options`, seeing `view` and what the doctrine would choose.
    fn decide(&mut self, view: &SeatView, options: &[Choice], doctrine: &Choice) -> Choice;
}

/// The seated state and who decides for it. Present only in a game.
#[derive(Resource)]
pub struct Seat {
    /// The seated state.
    pub state: StateId,
    /// Who decides.
    pub decider: Box<dyn Decider>,
}

impl Seat {
    /// The choice at a decision point of the seated state: the decider's if it is among `options`,
    /// else the doctrine's.
    pub fn decide(&mut self, view: &SeatView, options: &[Choice], doctrine: Choice) -> Choice {
        let chosen = self.decider.decide(view, options, &doctrine);
        if options.contains(&chosen) {
            chosen
        } else {
            doctrine
        }
    }
}

/// The rungs a seat may choose: every rung of a ladder whose top is `top`.
pub fn rung_options(top: u8) -> Vec<Choice> {
    (0..=top).map(Choice::Rung).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Always(Choice);
    impl Decider for Always {
        fn decide(&mut self, _: &SeatView, _: &[Choice], _: &Choice) -> Choice {
            self.0
        }
    }

    fn view() -> SeatView {
        SeatView {
            day: 3,
            seat: 0,
            against: 1,
            level: 0.0,
            trust: 0.5,
            situation: Situation::ActedAgainst {
                rung: 2,
                seen: 4.0,
                tension: 0.0,
            },
            reason: None,
        }
    }

    #[test]
    fn a_choice_outside_the_options_is_read_as_the_doctrines() {
        let mut seat = Seat {
            state: 0,
            decider: Box::new(Always(Choice::Rung(9))),
        };
        let options = rung_options(3);
        assert_eq!(options.len(), 4);
        assert_eq!(
            seat.decide(&view(), &options, Choice::Rung(1)),
            Choice::Rung(1)
        );
        seat.decider = Box::new(Always(Choice::Rung(3)));
        assert_eq!(
            seat.decide(&view(), &options, Choice::Rung(1)),
            Choice::Rung(3)
        );
    }
}
