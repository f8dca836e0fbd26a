//! The game as a function of the choices taken so far. The model is deterministic, so the room
//! keeps only the list of choices: the world up to the next decision point is found by replaying
//! them (a replicate costs well under a millisecond), which makes a reload, a step or a replay
//! trivially the same game. No thread of the simulation ever waits on the room.

use crate::model::event_log::{Entry, divergence};
use crate::model::seat::{Choice, Decider, SeatView};
use crate::play::record::Doctrine;
use crate::play::{Game, Path};
use std::sync::{Arc, Mutex};

/// The next decision of the seat: what it sees and may choose.
#[derive(Debug, Clone)]
pub struct Pending {
    /// Index of the decision point in the game (0 for the first).
    pub index: usize,
    /// What the seat knows.
    pub view: SeatView,
    /// What it may choose (never empty).
    pub options: Vec<Choice>,
    /// What its doctrine would choose.
    pub doctrine: Choice,
}

/// The game after some choices: the next decision, if any, and the events the room may see.
pub struct Progress {
    /// The next decision (None: the game has no more).
    pub pending: Option<Pending>,
    /// The events that happened before the next decision (all of them when there is none).
    pub seen: Vec<Entry>,
    /// The finished paths, the seat's and the doctrine's, once no decision is pending.
    pub ended: Option<(Path, Path)>,
}

type Asked = Arc<Mutex<Option<(SeatView, Vec<Choice>, Choice)>>>;

/// Replays `choices`, then at the next decision records what is asked and answers `then` (the
/// doctrine's choice when None); after that it follows the doctrine.
struct Probe {
    choices: Vec<Choice>,
    then: Option<Choice>,
    count: usize,
    asked: Asked,
}

impl Decider for Probe {
    fn decide(&mut self, view: &SeatView, options: &[Choice], doctrine: &Choice) -> Choice {
        let n = self.count;
        self.count += 1;
        if let Some(c) = self.choices.get(n) {
            return *c;
        }
        if n == self.choices.len() {
            let mut asked = self.asked.lock().unwrap_or_else(|e| e.into_inner());
            *asked = Some((view.clone(), options.to_vec(), *doctrine));
            return self.then.unwrap_or(*doctrine);
        }
        Doctrine.decide(view, options, doctrine)
    }
}

fn probe(game: &Game, choices: &[Choice], then: Option<Choice>) -> (Path, Option<Pending>) {
    let asked: Asked = Arc::new(Mutex::new(None));
    let path = game.play(Box::new(Probe {
        choices: choices.to_vec(),
        then,
        count: 0,
        asked: asked.clone(),
    }));
    let asked = asked.lock().unwrap_or_else(|e| e.into_inner()).take();
    let pending = asked.map(|(view, options, doctrine)| Pending {
        index: choices.len(),
        view,
        options,
        doctrine,
    });
    (path, pending)
}

/// The game after `choices` (each must be an option at its point, as the room checks).
pub fn progress(game: &Game, choices: &[Choice]) -> Progress {
    let (path, pending) = probe(game, choices, None);
    match pending {
        None => {
            let seen = path.log.entries.clone();
            let doctrine = game.doctrine_path();
            Progress {
                pending: None,
                seen,
                ended: Some((path, doctrine)),
            }
        }
        Some(pending) => {
            // What happened before the decision is what every option shares (the decision is
            // logged when taken, so the logs part there at the latest), and never after its day.
            let mut common = path.log.entries.len();
            for option in &pending.options {
                if *option == pending.doctrine {
                    continue;
                }
                let (other, _) = probe(game, choices, Some(*option));
                if let Some(i) = divergence(&path.log.entries, &other.log.entries) {
                    common = common.min(i);
                }
            }
            let seen = path.log.entries[..common]
                .iter()
                .filter(|e| e.day <= pending.view.day)
                .cloned()
                .collect();
            Progress {
                pending: Some(pending),
                seen,
                ended: None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load::parse_scenario;

    fn game(seed: u64) -> Game {
        let p = parse_scenario("classroom", crate::demo::DEMO_SCENARIO).expect("valid");
        Game {
            params: Arc::new(p),
            seat: 0,
            arm: 0,
            seed,
        }
    }

    #[test]
    fn following_the_doctrine_point_by_point_ends_on_the_doctrines_path() {
        let mut points = 0;
        for seed in 1..=6 {
            let g = game(seed);
            let mut choices = Vec::new();
            loop {
                let p = progress(&g, &choices);
                match p.pending {
                    Some(pending) => {
                        assert_eq!(pending.index, choices.len());
                        assert!(pending.options.contains(&pending.doctrine));
                        // Nothing after the decision's day is shown before it.
                        assert!(p.seen.iter().all(|e| e.day <= pending.view.day));
                        choices.push(pending.doctrine);
                        points += 1;
                    }
                    None => {
                        let (yours, doctrine) =
                            p.ended.expect("invariant: ended when none pending");
                        assert_eq!(yours.log.entries, doctrine.log.entries, "seed {seed}");
                        assert_eq!(yours.taken.len(), choices.len());
                        break;
                    }
                }
            }
        }
        assert!(points > 0, "no decision point: the test proves nothing");
    }

    #[test]
    fn what_is_seen_before_a_decision_grows_and_is_kept() {
        // Choosing differently never rewrites what the room has already seen.
        let g = game(3);
        let mut choices = Vec::new();
        let mut before: Vec<Entry> = Vec::new();
        let mut checked = 0;
        while let Some(pending) = progress(&g, &choices).pending {
            let p = progress(&g, &choices);
            assert_eq!(&p.seen[..before.len()], &before[..]);
            before = p.seen;
            // The highest rung offered, to part from the doctrine.
            let last = *pending
                .options
                .last()
                .expect("invariant: options are not empty");
            choices.push(last);
            checked += 1;
        }
        assert!(checked > 0, "no decision point: the test proves nothing");
    }
}
