//! What the seat is shown at a decision, in words, and how a typed choice is read.

use crate::model::agenda::Reason;
use crate::model::seat::{Choice, SeatView, Situation};
use crate::scenario::compile::Compiled;
use crate::scenario::types::OperationKind;

/// A rung as shown: its number and name.
pub fn rung_label(p: &Compiled, r: u8) -> String {
    format!("{r} ({})", p.scenario.ladder.rungs[r as usize].name)
}

/// A choice as shown and as echoed in a transcript.
pub fn choice_label(p: &Compiled, c: Choice) -> String {
    match c {
        Choice::Rung(r) => rung_label(p, r),
        Choice::Admit => "admit".to_string(),
        Choice::Deny => "deny".to_string(),
    }
}

fn kind_phrase(kind: OperationKind) -> &'static str {
    match kind {
        OperationKind::Espionage => "spied on",
        OperationKind::IpTheft => "stole from",
        OperationKind::Disruption => "disrupted",
        OperationKind::Sabotage => "sabotaged",
        OperationKind::Influence => "meddled in",
    }
}

/// A sector's name as words.
pub fn sector_words(p: &Compiled, s: usize) -> String {
    p.scenario.sectors[s].replace('_', " ")
}

/// The doctrine's reasoning in one sentence.
pub fn why(p: &Compiled, view: &SeatView, doctrine: Choice) -> String {
    let noise = |n: i8| match n {
        -1 => ", then restraint takes it one rung lower",
        1 => ", then a hawkish streak takes it one rung higher",
        _ => "",
    };
    match (&view.reason, &view.situation) {
        (
            Some(Reason::Doctrine {
                perceived,
                tension,
                noise: n,
            }),
            _,
        ) => format!(
            "its table reads the incident as severity {:.1} ({perceived:.1} with the worst case of intent, {tension:+.1} for tension){}.",
            perceived + tension,
            noise(*n)
        ),
        (Some(Reason::ReplyInKind { table }), _) => format!(
            "sure of who acted, it replies in kind rather than with the table's {}.",
            rung_label(p, *table)
        ),
        (
            Some(Reason::Answer {
                seen,
                tension,
                noise: n,
            }),
            _,
        ) => format!(
            "it answers an action of severity {seen:.1} ({tension:+.1} for tension){}.",
            noise(*n)
        ),
        (None, Situation::Accused { honesty, .. }) => format!(
            "it owns up {:.0} % of the time, and this is {}.",
            honesty * 100.0,
            if doctrine == Choice::Admit {
                "one of them"
            } else {
                "not one of them"
            }
        ),
        (None, _) => "its doctrine.".to_string(),
    }
}

/// The lines shown at a decision: what the seat knows, its options, its doctrine's choice and why.
pub fn render(p: &Compiled, view: &SeatView, options: &[Choice], doctrine: Choice) -> Vec<String> {
    let me = &p.states[view.seat].name;
    let other = &p.states[view.against].name;
    let mut lines = vec![format!("── Day {} · {me} decides ──", view.day)];
    match &view.situation {
        Situation::Attributed {
            kind,
            sector,
            severity,
            confidence,
            ..
        } => {
            lines.push(format!(
                "Your analysts blame {other}: someone {} your {} (severity {severity} of 10).",
                kind_phrase(*kind),
                sector_words(p, *sector)
            ));
            lines.push(format!(
                "You are {:.0} % confident it was {other}.",
                confidence * 100.0
            ));
        }
        Situation::ActedAgainst { rung, .. } => {
            lines.push(format!(
                "{other} has acted against you: {}.",
                rung_label(p, *rung)
            ));
        }
        Situation::Accused {
            planned, measure, ..
        } => {
            lines.push(format!(
                "{other} calls on the {}: it blames you for an operation you ordered, and plans {} unless satisfied.",
                p.measures[*measure].name,
                rung_label(p, *planned)
            ));
        }
    }
    lines.push(format!(
        "Tension with {other}: {:.1} on the ladder; trust {:.2}.",
        view.level, view.trust
    ));
    let shown: Vec<String> = options.iter().map(|c| choice_label(p, *c)).collect();
    lines.push(format!("Options: {}", shown.join(" · ")));
    lines.push(format!(
        "Your doctrine would choose {}: {}",
        choice_label(p, doctrine),
        why(p, view, doctrine)
    ));
    lines
}

/// Reads a typed choice: a rung's number or name, `admit` or `deny`, or `doctrine` (or `d`) for the
/// doctrine's choice. The error lists the options.
pub fn parse_choice(
    p: &Compiled,
    text: &str,
    options: &[Choice],
    doctrine: Choice,
) -> Result<Choice, String> {
    let t = text.trim();
    let lower = t.to_lowercase();
    let found = if lower == "doctrine" || lower == "d" {
        Some(doctrine)
    } else if let Ok(r) = lower.parse::<u8>() {
        Some(Choice::Rung(r))
    } else if lower == "admit" {
        Some(Choice::Admit)
    } else if lower == "deny" {
        Some(Choice::Deny)
    } else {
        options.iter().copied().find(|c| match c {
            Choice::Rung(r) => p.scenario.ladder.rungs[*r as usize].name.to_lowercase() == lower,
            _ => false,
        })
    };
    match found {
        Some(c) if options.contains(&c) => Ok(c),
        _ => Err(format!(
            "\"{t}\" is not one of the options ({}; or `doctrine`)",
            options
                .iter()
                .map(|c| choice_label(p, *c))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}
