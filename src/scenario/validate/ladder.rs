//! `ladder`: ordered rungs, kinetic ones on top, a crisis rung that is neither the lowest nor above
//! the first kinetic one.

use super::{Checker, MAX_RUNGS, number, unique};
use crate::units::DCID_MAX;

/// The ladder's rungs that the simulation needs by index.
pub(super) struct LadderIndex {
    /// The crisis rung.
    pub crisis: u8,
    /// The first kinetic rung, if any.
    pub kinetic: Option<u8>,
}

/// Checks the ladder; returns its crisis and kinetic rungs (None if the crisis rung is unknown).
pub(super) fn check(c: &mut Checker) -> Option<LadderIndex> {
    let s = c.s;
    let rungs = &s.ladder.rungs;
    if rungs.len() > MAX_RUNGS {
        c.add(
            "ladder.rungs",
            format!(
                "has {} rungs; a ladder has at most {MAX_RUNGS}",
                rungs.len()
            ),
        );
    }
    if rungs.len() < 2 {
        c.add(
            "ladder.rungs",
            "a ladder needs at least two rungs (the status quo and one response)",
        );
    }
    unique(
        c,
        "rung",
        rungs
            .iter()
            .enumerate()
            .map(|(i, r)| (format!("ladder.rungs[{i}].name"), r.name.as_str())),
    );
    check_order(c);
    for (i, r) in rungs.iter().enumerate() {
        c.probability(&format!("ladder.rungs[{i}].seen"), r.seen);
    }
    let kinetic = rungs.iter().position(|r| r.kinetic);
    if let (Some(ci), Some(ki)) = (
        rungs.iter().position(|r| r.name == s.ladder.crisis),
        kinetic,
    ) && ci > ki
    {
        c.add(
            "ladder.crisis",
            format!("the crisis rung \"{}\" is above the first kinetic rung \"{}\"; a kinetic conflict must count as a crisis", s.ladder.crisis, rungs[ki].name),
        );
    }
    let crisis = c.rung("ladder.crisis", &s.ladder.crisis);
    if crisis.is_some() && s.ladder.rungs.first().map(|r| &r.name) == Some(&s.ladder.crisis) {
        c.add("ladder.crisis", "the crisis rung cannot be the lowest rung");
    }
    Some(LadderIndex {
        crisis: crisis?,
        kinetic: kinetic.and_then(|k| u8::try_from(k).ok()),
    })
}

/// Largest rung score in absolute value (the bundled ladders score up to 60): a run sums the score
/// of every response (at most a million operations), and its variance squares it, so this keeps
/// every result finite.
pub const MAX_RUNG_SCORE: f64 = 1.0e6;

/// Each rung: a finite score, a severity on the DCID scale, both non-decreasing up the ladder, and
/// kinetic rungs only on top.
fn check_order(c: &mut Checker) {
    let rungs = &c.s.ladder.rungs;
    for (i, r) in rungs.iter().enumerate() {
        let p = format!("ladder.rungs[{i}]");
        if !(r.score.is_finite() && r.score.abs() <= MAX_RUNG_SCORE) {
            c.add(
                format!("{p}.score"),
                format!(
                    "{} is out of range; use a finite number from -{MAX_RUNG_SCORE:.0} to {MAX_RUNG_SCORE:.0} (scores are summed over every response of a run, and must not overflow)",
                    number(r.score)
                ),
            );
        }
        if !(0.0..=f64::from(DCID_MAX)).contains(&r.severity) {
            c.add(
                format!("{p}.severity"),
                format!("{} is outside the DCID scale; use 0 to 10", r.severity),
            );
        }
        if i > 0 {
            let prev = &rungs[i - 1];
            if r.score < prev.score || r.severity < prev.severity {
                c.add(
                    p.clone(),
                    format!(
                        "the ladder is not ordered: \"{}\" (score {}, severity {}) is below \"{}\" (score {}, severity {}); list rungs from lowest to highest",
                        r.name, r.score, r.severity, prev.name, prev.score, prev.severity
                    ),
                );
            }
            if prev.kinetic && !r.kinetic {
                c.add(format!("{p}.kinetic"), "kinetic rungs must be the top ones; a non-kinetic rung cannot follow a kinetic one");
            }
        }
    }
    if rungs.first().is_some_and(|r| r.kinetic) {
        c.add(
            "ladder.rungs[0].kinetic",
            "the lowest rung is the status quo and cannot be kinetic",
        );
    }
}
