//! The room: one game, its clock, the students in the seat and the decisions they take. Every
//! request of the server goes through [`Room`]'s methods under one lock; each change bumps a
//! version that waiting pages are woken by.

use super::game::{Pending, Progress, progress};
use crate::model::event_log::Event;
use crate::model::seat::Choice;
use crate::play::Game;
use crate::play::record::{DecisionFile, FORMAT, Point, Taken};

/// Whether the states could see an event (a launch, an operation held back or deterred is known
/// only to the truth).
pub fn public(e: &Event) -> bool {
    !matches!(
        e,
        Event::Launched { .. } | Event::Restrained { .. } | Event::Deterred { .. }
    )
}

/// Who takes the seat's decision when students disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Accept {
    /// The first valid choice from a student (or the facilitator) is the room's.
    First,
    /// Students vote; the facilitator locks the choice.
    Vote,
}

/// What a refused request did wrong, with the HTTP status it gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// HTTP status (400 malformed, 401 unknown token or key, 409 stale or out of turn).
    pub status: u16,
    /// What was wrong and what to do, in one sentence.
    pub message: String,
}

impl Refusal {
    fn new(status: u16, message: impl Into<String>) -> Refusal {
        Refusal {
            status,
            message: message.into(),
        }
    }
}

/// A student who joined the seat.
#[derive(Debug, Clone)]
pub struct Student {
    /// The secret the page keeps to rejoin.
    pub token: String,
    /// The name typed when joining (may be empty).
    pub name: String,
}

/// Who took a decision.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase", tag = "kind", content = "name")]
pub enum By {
    /// A student (by name).
    Student(String),
    /// The facilitator.
    Facilitator,
    /// The model: no student in the seat.
    Model,
}

/// One decision taken in the room.
#[derive(Debug, Clone)]
pub struct Decision {
    /// The decision as offered and taken (as in the decision file).
    pub taken: Taken,
    /// Who took it.
    pub by: By,
}

/// The room's game and everything the pages show of it.
pub struct Room {
    /// The game (scenario, seat, arm, seed).
    pub game: Game,
    /// How the seat's decisions are taken.
    pub accept: Accept,
    /// Decisions taken, in order.
    pub decisions: Vec<Decision>,
    /// The game after them.
    pub progress: Progress,
    /// The day the room has reached.
    pub clock: u32,
    /// The clock runs by itself.
    pub running: bool,
    /// The facilitator has revealed the truth.
    pub revealed: bool,
    /// Students of the seat.
    pub students: Vec<Student>,
    /// Votes at the open decision: (student index, choice), one per student.
    pub votes: Vec<(usize, Choice)>,
    /// Bumped on every change.
    pub version: u64,
}

impl Room {
    /// A room for `game`, on day 0, paused.
    pub fn new(game: Game, accept: Accept) -> Room {
        let progress = progress(&game, &[]);
        Room {
            game,
            accept,
            decisions: Vec::new(),
            progress,
            clock: 0,
            running: false,
            revealed: false,
            students: Vec::new(),
            votes: Vec::new(),
            version: 1,
        }
    }

    /// The last day of the game.
    pub fn horizon(&self) -> u32 {
        self.game.params.scenario.horizon_days
    }

    /// The decision waiting for the seat, if the clock has reached it.
    pub fn open(&self) -> Option<&Pending> {
        self.progress
            .pending
            .as_ref()
            .filter(|p| self.clock >= p.view.day)
    }

    /// The game is over: no decision left and the clock at the horizon.
    pub fn over(&self) -> bool {
        self.progress.pending.is_none() && self.clock >= self.horizon()
    }

    fn changed(&mut self) {
        self.version += 1;
    }

    /// Adds a student to the seat; returns the student's index.
    pub fn join(&mut self, token: String, name: &str) -> usize {
        let name: String = name
            .trim()
            .chars()
            .filter(|c| !c.is_control())
            .take(40)
            .collect();
        self.students.push(Student { token, name });
        self.changed();
        self.students.len() - 1
    }

    /// The student holding `token`.
    pub fn student(&self, token: &str) -> Result<usize, Refusal> {
        self.students
            .iter()
            .position(|s| s.token == token)
            .ok_or_else(|| {
                Refusal::new(
                    401,
                    "unknown token: join the seat again with the room's code",
                )
            })
    }

    /// Moves the clock to the next day with something to see (or to the next decision, or the
    /// end). Returns whether it moved.
    pub fn step(&mut self) -> bool {
        let took = self.take_for_an_empty_seat();
        if self.open().is_some() || self.over() {
            if took {
                self.changed();
            }
            return took;
        }
        let limit = self
            .progress
            .pending
            .as_ref()
            .map_or(self.horizon(), |p| p.view.day);
        let revealed = self.revealed;
        let next = self
            .progress
            .seen
            .iter()
            .filter(|e| revealed || public(&e.event))
            .map(|e| e.day)
            .find(|d| *d > self.clock)
            .unwrap_or(limit);
        self.clock = next.min(limit).max(self.clock);
        self.take_for_an_empty_seat();
        if self.over() {
            self.running = false;
        }
        self.changed();
        true
    }

    /// With no student in the seat, the model takes the open decisions (its doctrine's choices).
    /// Returns whether it took any.
    fn take_for_an_empty_seat(&mut self) -> bool {
        let mut took = false;
        while self.students.is_empty()
            && let Some(p) = self.open()
        {
            let doctrine = p.doctrine;
            self.apply(doctrine, By::Model);
            took = true;
        }
        took
    }

    fn apply(&mut self, choice: Choice, by: By) {
        let Some(p) = self.progress.pending.as_ref() else {
            return;
        };
        let taken = Taken {
            day: p.view.day,
            point: Point::of(&p.view.situation),
            against: self.game.params.states[p.view.against].name.clone(),
            options: p.options.clone(),
            doctrine: p.doctrine,
            choice,
        };
        self.decisions.push(Decision { taken, by });
        self.votes.clear();
        let choices: Vec<Choice> = self.decisions.iter().map(|d| d.taken.choice).collect();
        self.progress = progress(&self.game, &choices);
        self.changed();
    }

    /// Checks a choice against the open decision point `point`.
    fn check(&self, point: usize, choice: Choice) -> Result<(), Refusal> {
        if self.over() {
            return Err(Refusal::new(
                409,
                "the game is over: nothing is left to decide",
            ));
        }
        let Some(p) = self.open() else {
            let done = point < self.decisions.len();
            return Err(Refusal::new(
                409,
                if done {
                    format!("decision {point} was already taken; no decision is open now")
                } else {
                    format!("decision {point} is not open: the room is not at a decision yet")
                },
            ));
        };
        if point != p.index {
            let what = if point < p.index {
                "was already taken"
            } else {
                "does not exist yet"
            };
            return Err(Refusal::new(
                409,
                format!("decision {point} {what}; the open decision is {}", p.index),
            ));
        }
        if !p.options.contains(&choice) {
            return Err(Refusal::new(
                400,
                format!(
                    "{} is not an option at decision {point}; the options are {}",
                    super::api::choice_code(choice),
                    p.options
                        .iter()
                        .map(|c| super::api::choice_code(*c))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        Ok(())
    }

    /// A student's choice at `point`: taken if the room takes the first choice, else a vote.
    /// Returns whether it was taken (false: counted as a vote).
    pub fn choose(&mut self, token: &str, point: usize, choice: Choice) -> Result<bool, Refusal> {
        let who = self.student(token)?;
        self.check(point, choice)?;
        match self.accept {
            Accept::First => {
                let name = self.students[who].name.clone();
                self.apply(choice, By::Student(name));
                Ok(true)
            }
            Accept::Vote => {
                self.votes.retain(|(s, _)| *s != who);
                self.votes.push((who, choice));
                self.changed();
                Ok(false)
            }
        }
    }

    /// The facilitator locks the choice at `point`.
    pub fn lock(&mut self, point: usize, choice: Choice) -> Result<(), Refusal> {
        self.check(point, choice)?;
        self.apply(choice, By::Facilitator);
        Ok(())
    }

    /// Starts or pauses the clock.
    pub fn run(&mut self, running: bool) {
        self.running = running && !self.over();
        self.changed();
    }

    /// Reveals (or hides again) the truth on the facilitator's page.
    pub fn reveal(&mut self, on: bool) {
        self.revealed = on;
        self.changed();
    }

    /// The decision file of the game so far (complete once the game is over).
    pub fn decision_file(&self, scenario: &str, sha: &str) -> DecisionFile {
        let p = &self.game.params;
        DecisionFile {
            format: FORMAT,
            escalate: env!("CARGO_PKG_VERSION").to_string(),
            scenario: scenario.to_string(),
            scenario_sha256: sha.to_string(),
            seat: p.states[self.game.seat].name.clone(),
            arm: p.arms[self.game.arm].name.clone(),
            seed: self.game.seed,
            decisions: self.decisions.iter().map(|d| d.taken.clone()).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load::parse_scenario;
    use std::sync::Arc;

    fn room(accept: Accept) -> Room {
        let p = parse_scenario("classroom", crate::demo::DEMO_SCENARIO).expect("valid");
        let game = Game {
            params: Arc::new(p),
            seat: 0,
            arm: 0,
            seed: 3,
        };
        Room::new(game, accept)
    }

    fn to_first_decision(r: &mut Room) -> Pending {
        while r.open().is_none() {
            assert!(r.step(), "the game ended before any decision");
        }
        r.open().cloned().expect("open")
    }

    #[test]
    fn an_empty_seat_is_played_by_the_model_to_the_end() {
        let mut r = room(Accept::First);
        while r.step() {}
        assert!(r.over());
        assert!(
            !r.decisions.is_empty(),
            "no decision: the test proves nothing"
        );
        assert!(
            r.decisions
                .iter()
                .all(|d| d.by == By::Model && d.taken.choice == d.taken.doctrine)
        );
    }

    #[test]
    fn the_first_choice_is_taken_and_a_second_one_is_refused_as_stale() {
        let mut r = room(Accept::First);
        let a = r.join("a".into(), "Ana");
        let _b = r.join("b".into(), "Ben");
        assert_eq!(a, 0);
        let p = to_first_decision(&mut r);
        let choice = *p.options.last().expect("options");
        assert_eq!(r.choose("a", p.index, choice), Ok(true));
        let before = (r.decisions.len(), r.version);
        let refused = r.choose("b", p.index, p.doctrine).expect_err("stale");
        assert_eq!(refused.status, 409);
        assert!(
            refused.message.contains("already taken"),
            "{}",
            refused.message
        );
        assert_eq!(
            (r.decisions.len(), r.version),
            before,
            "a refusal changed the room"
        );
    }

    #[test]
    fn forged_requests_are_refused_and_change_nothing() {
        let mut r = room(Accept::First);
        r.join("a".into(), "Ana");
        let p = to_first_decision(&mut r);
        let version = r.version;
        assert_eq!(
            r.choose("forged", p.index, p.doctrine)
                .map_err(|e| e.status),
            Err(401)
        );
        assert_eq!(
            r.choose("a", p.index + 1, p.doctrine).map_err(|e| e.status),
            Err(409)
        );
        let top = p.options.len() as u8 + 5;
        assert_eq!(
            r.choose("a", p.index, Choice::Rung(top))
                .map_err(|e| e.status),
            Err(400)
        );
        assert_eq!(r.version, version);
        assert!(r.decisions.is_empty());
    }

    #[test]
    fn votes_wait_for_the_facilitators_lock() {
        let mut r = room(Accept::Vote);
        r.join("a".into(), "Ana");
        r.join("b".into(), "Ben");
        let p = to_first_decision(&mut r);
        assert_eq!(r.choose("a", p.index, p.doctrine), Ok(false));
        assert_eq!(r.choose("a", p.index, p.doctrine), Ok(false));
        assert_eq!(r.choose("b", p.index, p.doctrine), Ok(false));
        assert_eq!(r.votes.len(), 2, "one vote per student");
        assert!(r.decisions.is_empty());
        r.lock(p.index, p.doctrine).expect("lock");
        assert_eq!(r.decisions.len(), 1);
        assert_eq!(r.decisions[0].by, By::Facilitator);
        assert!(r.votes.is_empty());
    }
}
