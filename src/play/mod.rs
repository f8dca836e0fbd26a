//! `escalate play`: a student takes the seat of one state. The model runs the world; at each
//! decision point of the seated state ([`crate::model::seat`]) the game shows what that state knows,
//! its options and its doctrine's choice, and takes the student's. At the end the truth is revealed
//! and the student's path is set beside the doctrine's in the same world (the same seed, arm and
//! draws), with the day they part.

pub mod ending;
pub mod fit;
pub mod fit_report;
pub mod fit_run;
pub mod fit_search;
pub mod prompt;
pub mod record;
pub mod view;

use crate::model::event_log::EventLog;
use crate::model::seat::{Decider, Seat};
use crate::scenario::compile::{Compiled, StateId};
use crate::sim::{RunResult, Simulator};
use record::{Recorder, Taken};
use std::sync::Arc;

/// A game: the scenario, the seated state, the arm and the seed.
#[derive(Clone)]
pub struct Game {
    /// The compiled scenario.
    pub params: Arc<Compiled>,
    /// The seated state.
    pub seat: StateId,
    /// Index of the arm.
    pub arm: usize,
    /// Seed (master seed; the game is replicate 0).
    pub seed: u64,
}

/// One path through the world: its outcome, its events, and the seat's decisions.
pub struct Path {
    /// Outcome.
    pub result: RunResult,
    /// Events, in time order.
    pub log: EventLog,
    /// The seat's decisions (empty for the doctrine's path).
    pub taken: Vec<Taken>,
}

impl Game {
    /// Plays the game with `decider` in the seat.
    pub fn play(&self, decider: Box<dyn Decider>) -> Path {
        let names = self.params.states.iter().map(|s| s.name.clone()).collect();
        let (recorder, taken) = Recorder::new(decider, names);
        let seat = Seat {
            state: self.seat,
            decider: Box::new(recorder),
        };
        let mut sim = Simulator::new(self.params.clone());
        let (result, log, seat) = sim.run_seated(self.seed, 0, self.arm, seat);
        drop(seat);
        let taken = std::mem::take(&mut *taken.lock().unwrap_or_else(|e| e.into_inner()));
        Path { result, log, taken }
    }

    /// The doctrine's path: the same world with no one in the seat.
    pub fn doctrine_path(&self) -> Path {
        let mut sim = Simulator::new(self.params.clone());
        let (result, log) = sim.run_logged(self.seed, 0, self.arm);
        Path {
            result,
            log,
            taken: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::event_log::Event;
    use crate::model::seat::{Choice, SeatView};
    use crate::scenario::load::parse_scenario;
    use record::Doctrine;

    fn game(seed: u64) -> Game {
        let p = parse_scenario("classroom", crate::demo::DEMO_SCENARIO).expect("valid");
        Game {
            params: Arc::new(p),
            seat: 0,
            arm: 0,
            seed,
        }
    }

    /// Always one rung above the doctrine (within the ladder), or deny.
    struct Hawk;
    impl Decider for Hawk {
        fn decide(&mut self, _: &SeatView, options: &[Choice], doctrine: &Choice) -> Choice {
            match doctrine {
                Choice::Rung(r) if options.contains(&Choice::Rung(r + 1)) => Choice::Rung(r + 1),
                Choice::Admit | Choice::Deny => Choice::Deny,
                other => *other,
            }
        }
    }

    #[test]
    fn a_seat_that_follows_its_doctrine_walks_the_doctrines_path() {
        let mut decided = 0;
        for seed in 1..=20 {
            let g = game(seed);
            let seated = g.play(Box::new(Doctrine));
            let free = g.doctrine_path();
            assert_eq!(seated.result, free.result, "seed {seed}");
            assert_eq!(seated.log.entries, free.log.entries, "seed {seed}");
            decided += seated.taken.len();
        }
        assert!(
            decided > 0,
            "the seat was never asked: the test proves nothing"
        );
    }

    #[test]
    fn a_different_choice_changes_the_path_but_not_the_world_before_it() {
        let mut parted = 0;
        for seed in 1..=20 {
            let g = game(seed);
            let hawk = g.play(Box::new(Hawk));
            let free = g.doctrine_path();
            let Some(first) = hawk.taken.iter().find(|t| t.choice != t.doctrine) else {
                continue;
            };
            parted += 1;
            // Everything before the first different choice is the same, event for event.
            let before = |log: &EventLog| {
                log.entries
                    .iter()
                    .filter(|e| e.day < first.day)
                    .cloned()
                    .collect::<Vec<_>>()
            };
            assert_eq!(before(&hawk.log), before(&free.log), "seed {seed}");
            // The operations are drawn alike on both paths, whatever the choices (only those
            // launched once a pair is at war are dropped from a log).
            let peace = [&hawk, &free]
                .iter()
                .filter_map(|p| p.result.outcome.kinetic_day)
                .min()
                .unwrap_or(u32::MAX);
            let launched = |log: &EventLog| {
                log.entries
                    .iter()
                    .filter(|e| e.day < peace && matches!(e.event, Event::Launched { .. }))
                    .cloned()
                    .collect::<Vec<_>>()
            };
            assert_eq!(launched(&hawk.log), launched(&free.log), "seed {seed}");
        }
        assert!(parted > 0, "no seed offered a choice above the doctrine's");
    }
}
