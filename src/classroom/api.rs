//! The JSON the pages and the tests read and write: one serde type per message.

use super::room::{Accept, By, Room, public};
use crate::demo::words::Words;
use crate::model::event_log::{Entry, Event};
use crate::model::seat::Choice;
use crate::play::ending::ending;
use crate::play::view::{choice_label, render, why};
use serde::{Deserialize, Serialize};

/// A choice as the API writes it: a rung's number, `admit` or `deny`.
pub fn choice_code(c: Choice) -> String {
    match c {
        Choice::Rung(r) => r.to_string(),
        Choice::Admit => "admit".to_string(),
        Choice::Deny => "deny".to_string(),
    }
}

/// Reads a choice written by [`choice_code`].
pub fn parse_code(code: &str) -> Option<Choice> {
    match code {
        "admit" => Some(Choice::Admit),
        "deny" => Some(Choice::Deny),
        r => r.parse::<u8>().ok().map(Choice::Rung),
    }
}

/// A choice with its label ("3 (sanctions)").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionView {
    /// What to send back to choose it.
    pub code: String,
    /// As shown.
    pub label: String,
}

/// The open decision, as the seat sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionView {
    /// Index of the decision point (send it back with the choice).
    pub point: usize,
    /// Its day.
    pub day: u32,
    /// What the seat knows, its options and its doctrine's choice, in sentences (as `play` shows).
    pub lines: Vec<String>,
    /// The options.
    pub options: Vec<OptionView>,
    /// The doctrine's choice.
    pub doctrine: OptionView,
    /// Why the doctrine chooses it.
    pub why: String,
}

/// A decision taken.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TakenView {
    /// Index of the decision point.
    pub point: usize,
    /// Its day.
    pub day: u32,
    /// The choice.
    pub choice: OptionView,
    /// Whether it was the doctrine's choice.
    pub as_doctrine: bool,
    /// Who took it: a student's name, "the facilitator" or "the model".
    pub by: String,
}

/// Where the game is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Before the first step.
    Ready,
    /// The clock is moving (or paused) between decisions.
    Playing,
    /// The seat's decision is open.
    Deciding,
    /// The game is over.
    Over,
}

/// What a student's page shows: the seat's view only (never the truth before the end).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeatPage {
    /// Version of the room (send it back as `since` to wait for a change).
    pub version: u64,
    /// The seated state.
    pub seat: String,
    /// The scenario's name.
    pub scenario: String,
    /// Where the game is.
    pub status: Status,
    /// The room's day.
    pub day: u32,
    /// The last day.
    pub horizon: u32,
    /// The open decision.
    pub decision: Option<DecisionView>,
    /// This student's vote at the open decision (when the room votes).
    pub your_vote: Option<String>,
    /// Whether the room votes (the facilitator locks) rather than taking the first choice.
    pub voting: bool,
    /// The seat's decisions so far.
    pub decisions: Vec<TakenView>,
    /// Students in the seat.
    pub students: usize,
    /// The end: the truth and the student's path beside the doctrine's (once over).
    pub ending: Option<Vec<String>>,
}

/// One event as the facilitator's page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventView {
    /// Day.
    pub day: u32,
    /// The narration's sentence.
    pub text: String,
    /// A decision or response (shown in bold).
    pub key: bool,
}

/// A state and its seat.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StateView {
    /// Name.
    pub name: String,
    /// Students in its seat (0: played by the model). Only the game's seat can be taken.
    pub students: usize,
    /// Whether students may take it.
    pub seat: bool,
}

/// A response on the ladder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RungPoint {
    /// Day.
    pub day: u32,
    /// Rung of the response.
    pub rung: u8,
    /// The acting state (index into `states`).
    pub by: usize,
}

/// The responses between one pair of states.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairView {
    /// The two states (indices, lower first).
    pub states: (usize, usize),
    /// Their responses, in time order.
    pub points: Vec<RungPoint>,
}

/// A vote count at the open decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    /// The choice.
    pub code: String,
    /// Votes for it.
    pub votes: usize,
}

/// What the facilitator's page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoomPage {
    /// Version of the room.
    pub version: u64,
    /// The scenario's name.
    pub scenario: String,
    /// The arm played.
    pub arm: String,
    /// The seed.
    pub seed: u64,
    /// The states and their seats.
    pub states: Vec<StateView>,
    /// The ladder's rungs, lowest first.
    pub ladder: Vec<String>,
    /// First rung of a crisis.
    pub crisis_rung: u8,
    /// Where the game is.
    pub status: Status,
    /// Whether the clock runs by itself.
    pub running: bool,
    /// Whether the truth is shown.
    pub revealed: bool,
    /// How decisions are taken.
    pub accept: Accept,
    /// The room's day.
    pub day: u32,
    /// The last day.
    pub horizon: u32,
    /// The events so far (without what only the truth shows, until revealed).
    pub events: Vec<EventView>,
    /// The ladder of each pair of states over time.
    pub pairs: Vec<PairView>,
    /// The open decision.
    pub decision: Option<DecisionView>,
    /// Votes at the open decision.
    pub votes: Vec<Tally>,
    /// The seat's decisions so far.
    pub decisions: Vec<TakenView>,
    /// The end: the truth and the seat's path beside the doctrine's (once over).
    pub ending: Option<Vec<String>>,
    /// The code students join with (shown on the projector).
    pub code: String,
}

/// `POST /api/join`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoinRequest {
    /// The room's join code.
    pub code: String,
    /// The student's name (optional).
    #[serde(default)]
    pub name: String,
}

/// The answer to a join.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Joined {
    /// Keep it: it rejoins the same seat after a reload.
    pub token: String,
    /// The seated state.
    pub seat: String,
}

/// `POST /api/choose`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChooseRequest {
    /// The student's token.
    pub token: String,
    /// The decision point.
    pub point: usize,
    /// The choice's code.
    pub choice: String,
}

/// The answer to a choice.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Chosen {
    /// Taken as the room's decision (false: counted as a vote).
    pub taken: bool,
}

/// The facilitator's actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Let the clock run.
    Start,
    /// Stop the clock.
    Pause,
    /// Move to the next day with something to see.
    Step,
    /// Show the truth.
    Reveal,
    /// Hide it again.
    Hide,
    /// Take the open decision (needs `point` and `choice`).
    Lock,
}

/// `POST /api/control`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControlRequest {
    /// The facilitator's key.
    pub key: String,
    /// What to do.
    pub action: Action,
    /// For `lock`: the decision point.
    #[serde(default)]
    pub point: Option<usize>,
    /// For `lock`: the choice's code.
    #[serde(default)]
    pub choice: Option<String>,
}

/// An error: what was wrong and what to do.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ApiError {
    /// One sentence.
    pub error: String,
}

fn option(room: &Room, c: Choice) -> OptionView {
    OptionView {
        code: choice_code(c),
        label: choice_label(&room.game.params, c),
    }
}

fn status(room: &Room) -> Status {
    if room.over() {
        Status::Over
    } else if room.open().is_some() {
        Status::Deciding
    } else if room.clock == 0 && room.decisions.is_empty() && !room.running {
        Status::Ready
    } else {
        Status::Playing
    }
}

fn decision(room: &Room) -> Option<DecisionView> {
    let p = room.open()?;
    let params = &room.game.params;
    Some(DecisionView {
        point: p.index,
        day: p.view.day,
        lines: render(params, &p.view, &p.options, p.doctrine),
        options: p.options.iter().map(|c| option(room, *c)).collect(),
        doctrine: option(room, p.doctrine),
        why: why(params, &p.view, p.doctrine),
    })
}

fn decisions(room: &Room) -> Vec<TakenView> {
    room.decisions
        .iter()
        .enumerate()
        .map(|(i, d)| TakenView {
            point: i,
            day: d.taken.day,
            choice: option(room, d.taken.choice),
            as_doctrine: d.taken.choice == d.taken.doctrine,
            by: match &d.by {
                By::Student(n) if n.is_empty() => "a student".to_string(),
                By::Student(n) => n.clone(),
                By::Facilitator => "the facilitator".to_string(),
                By::Model => "the model (no one in the seat)".to_string(),
            },
        })
        .collect()
}

fn ending_lines(room: &Room) -> Option<Vec<String>> {
    if !room.over() {
        return None;
    }
    let (yours, doctrine) = room.progress.ended.as_ref()?;
    Some(ending(&room.game.params, room.game.seat, yours, doctrine))
}

/// The student's page.
pub fn seat_page(room: &Room, student: usize) -> SeatPage {
    let params = &room.game.params;
    let open = room.open().map(|p| p.index);
    SeatPage {
        version: room.version,
        seat: params.states[room.game.seat].name.clone(),
        scenario: params.scenario.name.clone(),
        status: status(room),
        day: room.clock,
        horizon: room.horizon(),
        decision: decision(room),
        your_vote: open.and_then(|_| {
            room.votes
                .iter()
                .find(|(s, _)| *s == student)
                .map(|(_, c)| choice_code(*c))
        }),
        voting: room.accept == Accept::Vote,
        decisions: decisions(room),
        students: room.students.len(),
        ending: ending_lines(room),
    }
}

/// A sentence that tells only what the states could see (no hidden sponsor, no lie exposed), or
/// None for an event only the truth shows.
fn public_sentence(words: &Words, e: &Entry) -> Option<String> {
    if !public(&e.event) {
        return None;
    }
    Some(match &e.event {
        Event::Attributed {
            op,
            blamed,
            confidence,
            ..
        } => format!(
            "{} is publicly blamed for {} (confidence {:.0} %).",
            words.state(*blamed),
            words.op_ref(*op),
            confidence * 100.0
        ),
        Event::Answered {
            actor,
            against,
            acknowledged,
            believed,
            planned,
            after,
            ..
        } => {
            let (a, b) = (words.state(*actor), words.state(*against));
            let said = match (acknowledged, believed) {
                (true, _) => format!("{b} admits it and explains its intent"),
                (false, true) => format!("{b} denies it and is believed"),
                (false, false) => format!("{b} denies it and is not believed"),
            };
            let then = if *after == 0 {
                format!("{a} stands down instead of {}", words.rung(*planned))
            } else if after < planned {
                format!(
                    "{a} lowers its response from {} to {}",
                    words.rung(*planned),
                    words.rung(*after)
                )
            } else {
                format!("{a} goes ahead with {}", words.rung(*after))
            };
            format!("{said}: {then}.")
        }
        Event::Responded {
            actor,
            against,
            rung,
            kinetic,
            ..
        } => {
            let mut s = format!(
                "{} → {}: {}",
                words.state(*actor),
                words.state(*against),
                words.rung(*rung).to_uppercase()
            );
            if *kinetic {
                s += ". Armed conflict: the run ends for this pair";
            }
            s + "."
        }
        _ => words.sentence(e),
    })
}

/// The facilitator's page.
pub fn room_page(room: &Room, code: &str) -> RoomPage {
    let params = &room.game.params;
    let shown: Vec<&Entry> = room
        .progress
        .seen
        .iter()
        .filter(|e| e.day <= room.clock)
        .collect();
    let words = Words::new(params, room.progress.seen.iter());
    let events = shown
        .iter()
        .filter_map(|e| {
            let text = if room.revealed {
                Some(words.sentence(e))
            } else {
                public_sentence(&words, e)
            }?;
            (!text.is_empty()).then_some(EventView {
                day: e.day,
                text,
                key: matches!(e.event, Event::Decided { .. } | Event::Responded { .. }),
            })
        })
        .collect();
    let n = params.states.len();
    let mut pairs: Vec<PairView> = (0..n)
        .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
        .map(|states| PairView {
            states,
            points: Vec::new(),
        })
        .collect();
    for e in &shown {
        if let Event::Responded {
            actor,
            against,
            rung,
            ..
        } = &e.event
        {
            let key = ((*actor).min(*against), (*actor).max(*against));
            if let Some(pair) = pairs.iter_mut().find(|p| p.states == key) {
                pair.points.push(RungPoint {
                    day: e.day,
                    rung: *rung,
                    by: *actor,
                });
            }
        }
    }
    let mut votes: Vec<Tally> = Vec::new();
    if let Some(p) = room.open() {
        for c in &p.options {
            let count = room.votes.iter().filter(|(_, v)| v == c).count();
            votes.push(Tally {
                code: choice_code(*c),
                votes: count,
            });
        }
    }
    RoomPage {
        version: room.version,
        scenario: params.scenario.name.clone(),
        arm: params.arms[room.game.arm].name.clone(),
        seed: room.game.seed,
        states: params
            .states
            .iter()
            .enumerate()
            .map(|(i, s)| StateView {
                name: s.name.clone(),
                students: if i == room.game.seat {
                    room.students.len()
                } else {
                    0
                },
                seat: i == room.game.seat,
            })
            .collect(),
        ladder: params
            .scenario
            .ladder
            .rungs
            .iter()
            .map(|r| r.name.clone())
            .collect(),
        crisis_rung: params.crisis_rung,
        status: status(room),
        running: room.running,
        revealed: room.revealed,
        accept: room.accept,
        day: room.clock,
        horizon: room.horizon(),
        events,
        pairs,
        decision: decision(room),
        votes,
        decisions: decisions(room),
        ending: ending_lines(room),
        code: code.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::play::Game;
    use crate::scenario::load::parse_scenario;
    use std::sync::Arc;

    #[test]
    fn the_projector_shows_no_truth_until_it_is_revealed() {
        // Seeds of the classroom scenario whose year holds a wrong attribution and a lie; the
        // model plays the empty seat to the end.
        let mut hidden_marks = 0;
        for seed in 1..=12 {
            let p = parse_scenario("classroom", crate::demo::DEMO_SCENARIO).expect("valid");
            let game = Game {
                params: Arc::new(p),
                seat: 0,
                arm: 0,
                seed,
            };
            let mut room = Room::new(game, Accept::First);
            while room.step() {}
            assert!(room.over());
            let hidden = room_page(&room, "CODE");
            room.reveal(true);
            let shown = room_page(&room, "CODE");
            let truth = [
                "WRONG",
                "(a lie)",
                "truthfully",
                "for something",
                "covertly",
                "openly",
            ];
            for e in &hidden.events {
                for t in truth {
                    assert!(
                        !e.text.contains(t),
                        "seed {seed}: {:?} tells the truth",
                        e.text
                    );
                }
            }
            hidden_marks += shown
                .events
                .iter()
                .filter(|e| truth.iter().any(|t| e.text.contains(t)))
                .count();
            assert!(shown.events.len() > hidden.events.len(), "seed {seed}");
        }
        assert!(
            hidden_marks > 0,
            "no seed showed any truth: the test proves nothing"
        );
    }

    #[test]
    fn choice_codes_round_trip() {
        for c in [
            Choice::Rung(0),
            Choice::Rung(8),
            Choice::Admit,
            Choice::Deny,
        ] {
            assert_eq!(parse_code(&choice_code(c)), Some(c));
        }
        assert_eq!(parse_code("nine"), None);
        assert_eq!(parse_code("-1"), None);
    }
}
