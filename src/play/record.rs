//! The decisions of a game as offered and taken, and the decision file (`--save`, `--replay`).

use crate::model::seat::{Choice, Decider, SeatView, Situation};
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex};

/// The kind of a decision point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Point {
    /// The first response to an attribution.
    Attributed,
    /// The answer to a response against the seat.
    ActedAgainst,
    /// The answer to an accusation over a channel.
    Accused,
}

impl Point {
    /// The kind of `situation`.
    pub fn of(situation: &Situation) -> Point {
        match situation {
            Situation::Attributed { .. } => Point::Attributed,
            Situation::ActedAgainst { .. } => Point::ActedAgainst,
            Situation::Accused { .. } => Point::Accused,
        }
    }
}

/// One decision, as offered and taken.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Taken {
    /// Day of the decision.
    pub day: u32,
    /// Its kind.
    pub point: Point,
    /// The other state (by name).
    pub against: String,
    /// What the seat could choose.
    pub options: Vec<Choice>,
    /// What its doctrine would have chosen.
    pub doctrine: Choice,
    /// What was chosen.
    pub choice: Choice,
}

/// Version of the decision file's layout.
pub const FORMAT: u32 = 1;

/// A saved game: enough to replay it identically, and to refuse it on another scenario or version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionFile {
    /// Layout version ([`FORMAT`]).
    pub format: u32,
    /// Version of escalate that played it.
    pub escalate: String,
    /// The scenario as it was named on the command line.
    pub scenario: String,
    /// SHA-256 of the resolved scenario (as in a run's manifest.json).
    pub scenario_sha256: String,
    /// The seated state.
    pub seat: String,
    /// The arm (its name).
    pub arm: String,
    /// Seed (master seed, replicate 0).
    pub seed: u64,
    /// The decisions, in the order taken.
    pub decisions: Vec<Taken>,
}

/// A decider that records every decision another one takes.
pub struct Recorder {
    inner: Box<dyn Decider>,
    names: Vec<String>,
    taken: Arc<Mutex<Vec<Taken>>>,
}

impl Recorder {
    /// Records what `inner` decides; state names from `names`. The records are shared with the
    /// returned handle.
    pub fn new(inner: Box<dyn Decider>, names: Vec<String>) -> (Recorder, Arc<Mutex<Vec<Taken>>>) {
        let taken = Arc::new(Mutex::new(Vec::new()));
        (
            Recorder {
                inner,
                names,
                taken: taken.clone(),
            },
            taken,
        )
    }
}

impl Decider for Recorder {
    fn decide(&mut self, view: &SeatView, options: &[Choice], doctrine: &Choice) -> Choice {
        let chosen = self.inner.decide(view, options, doctrine);
        // The seat reads a choice outside the options as the doctrine's; record what it does.
        let choice = if options.contains(&chosen) {
            chosen
        } else {
            *doctrine
        };
        let mut taken = self.taken.lock().unwrap_or_else(|e| e.into_inner());
        taken.push(Taken {
            day: view.day,
            point: Point::of(&view.situation),
            against: self.names[view.against].clone(),
            options: options.to_vec(),
            doctrine: *doctrine,
            choice,
        });
        choice
    }
}

/// A decider that always takes the doctrine's choice.
pub struct Doctrine;

impl Decider for Doctrine {
    fn decide(&mut self, _: &SeatView, _: &[Choice], doctrine: &Choice) -> Choice {
        *doctrine
    }
}
