//! The end of a game: the truth revealed, and the student's path beside the doctrine's.

use super::Path;
use super::record::{Point, Taken};
use super::view::choice_label;
use crate::demo::words::Words;
use crate::model::event_log::{Entry, Event, divergence};
use crate::scenario::compile::{Compiled, StateId};

/// Events of a path shown after the paths part, at most.
const SHOWN_AFTER_PARTING: usize = 10;

fn involves(e: &Entry, words_seat: StateId, ops: &dyn Fn(u64) -> Option<StateId>) -> bool {
    match &e.event {
        Event::Attributed { op, blamed, .. } => {
            *blamed == words_seat || ops(*op) == Some(words_seat)
        }
        _ => false,
    }
}

/// Whether an event is a decision or an action (what the paths are compared by).
fn is_action(e: &Entry) -> bool {
    matches!(
        e.event,
        Event::Decided { .. }
            | Event::Consulted { .. }
            | Event::Answered { .. }
            | Event::Responded { .. }
            | Event::CrisisCall { .. }
            | Event::Attributed { .. }
    )
}

fn point_phrase(t: &Taken) -> String {
    match t.point {
        Point::Attributed => format!("an operation blamed on {}", t.against),
        Point::ActedAgainst => format!("an action by {}", t.against),
        Point::Accused => format!("{}'s accusation", t.against),
    }
}

fn day(d: Option<u32>) -> String {
    d.map_or_else(|| "none".to_string(), |d| format!("day {d}"))
}

/// The closing lines of a game played by `seat`: the truth, then the two paths.
pub fn ending(p: &Compiled, seat: StateId, yours: &Path, doctrine: &Path) -> Vec<String> {
    let words = Words::new(
        p,
        yours.log.entries.iter().chain(doctrine.log.entries.iter()),
    );
    let me = &p.states[seat].name;
    let victim_of = |key: u64| {
        yours.log.entries.iter().find_map(|e| match &e.event {
            Event::Launched { op, .. } if op.key == key => Some(op.victim),
            _ => None,
        })
    };
    let mut out = vec!["══ The truth ══".to_string()];
    let mut launched = 0;
    let mut detected = 0;
    let mut ordered = 0;
    for e in &yours.log.entries {
        if let Event::Launched { op, detect_day } = &e.event {
            if op.victim == seat {
                launched += 1;
                detected += u32::from(detect_day.is_some());
            }
            ordered += u32::from(op.sponsor == Some(seat));
        }
    }
    out.push(format!(
        "{launched} operations were launched against {me}; its analysts detected {detected}. {me} ordered {ordered} of its own."
    ));
    for e in yours
        .log
        .entries
        .iter()
        .filter(|e| involves(e, seat, &victim_of))
    {
        out.push(format!("  day {:>3}: {}", e.day, words.sentence(e)));
    }
    out.push(String::new());
    out.push("══ Your path and your doctrine's (the same world, the same draws) ══".to_string());
    let parted = yours.taken.iter().find(|t| t.choice != t.doctrine);
    let split = divergence(&yours.log.entries, &doctrine.log.entries);
    match (parted, split) {
        (None, _) => out.push(format!(
            "You chose as your doctrine would at each of your {} decisions: your path is the doctrine's.",
            yours.taken.len()
        )),
        (Some(t), None) => out.push(format!(
            "On day {} you chose {} where your doctrine would choose {}, facing {}; it changed nothing that followed.",
            t.day,
            choice_label(p, t.choice),
            choice_label(p, t.doctrine),
            point_phrase(t)
        )),
        (Some(t), Some(i)) => {
            out.push(format!(
                "You parted from your doctrine on day {}: facing {}, you chose {} where it would choose {}.",
                t.day,
                point_phrase(t),
                choice_label(p, t.choice),
                choice_label(p, t.doctrine)
            ));
            for (name, path) in [("your path", yours), ("the doctrine's path", doctrine)] {
                out.push(format!("Then, on {name}:"));
                let shown: Vec<&Entry> = path.log.entries[i.min(path.log.entries.len())..]
                    .iter()
                    .filter(|e| is_action(e))
                    .collect();
                for e in shown.iter().take(SHOWN_AFTER_PARTING) {
                    out.push(format!("  day {:>3}: {}", e.day, words.sentence(e)));
                }
                if shown.len() > SHOWN_AFTER_PARTING {
                    out.push(format!(
                        "  … and {} more.",
                        shown.len() - SHOWN_AFTER_PARTING
                    ));
                }
                if shown.is_empty() {
                    out.push("  nothing more happens.".to_string());
                }
            }
        }
    }
    let (a, b) = (&yours.result.outcome, &doctrine.result.outcome);
    out.push(String::new());
    out.push(format!("{:<28}{:>14}{:>14}", "", "yours", "doctrine's"));
    let rows = [
        (
            "highest rung",
            a.highest_rung.to_string(),
            b.highest_rung.to_string(),
        ),
        ("first crisis", day(a.crisis_day), day(b.crisis_day)),
        ("armed conflict", day(a.kinetic_day), day(b.kinetic_day)),
        (
            "responses",
            a.responses.to_string(),
            b.responses.to_string(),
        ),
        (
            "damage (DCID points)",
            format!("{:.1}", a.damage),
            format!("{:.1}", b.damage),
        ),
    ];
    for (label, x, y) in rows {
        out.push(format!("{label:<28}{x:>14}{y:>14}"));
    }
    out
}
