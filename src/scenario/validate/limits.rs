//! Size limits: every count and rate of a scenario is bounded before anything else is checked, so a
//! hostile or mistaken file is refused in milliseconds instead of exhausting memory or time later
//! (in validation itself, or in every replicate). Each limit is named in its message with the
//! reason for it; docs/SCENARIO.md and the README list them.
//!
//! The limits are far above what the bundled scenarios use (at most 6 states, 9 rungs, 6 arms and a
//! few dozen operations per replicate-arm): they bound what a laptop can do, not what a model may be.

use super::{Checker, MAX_HORIZON_DAYS, number};
use crate::scenario::types::Scenario;
use crate::units::DAYS_PER_YEAR;

/// Most states: every pair of states is tracked in every replicate (100 states are 4,950 pairs, and
/// the tallies per ordered pair grow as the square).
pub const MAX_STATES: usize = 100;
/// Most proxies, most mercenaries and most independents (each list).
pub const MAX_EXECUTORS: usize = 1_000;
/// Most campaigns, relations and injects (each list).
pub const MAX_ENTRIES: usize = 10_000;
/// Most sectors, and most measures of each kind.
pub const MAX_SECTORS_OR_MEASURES: usize = 1_000;
/// Most arms a scenario names (two built-in arms are added): each arm is simulated in every
/// replicate and aggregated over the whole horizon.
pub const MAX_ARMS: usize = 62;
/// Longest name (in characters) of anything named: names label folders, tables and plots.
pub const MAX_NAME_CHARS: usize = 200;
/// Highest rate of one campaign, proxy or independent (operations per year).
pub const MAX_RATE_PER_YEAR: f64 = 1_000_000.0;
/// Most operations and dialogue rounds expected in one replicate-arm. Every operation of a
/// replicate-arm is drawn and held at once (about 300 bytes each, per worker thread) and one
/// replicate-arm cannot be split: a million take about 300 MB and a second per worker.
pub const MAX_EVENTS_PER_RUN: f64 = 1_000_000.0;

/// Checks every size limit; returns false (with the problems added) when one is exceeded, in which
/// case the rest of validation is skipped: its cost grows with these sizes.
pub(super) fn check(c: &mut Checker) -> bool {
    let before = c.problems.len();
    let s = c.s;
    let counts = [
        ("states", s.states.len(), MAX_STATES),
        ("proxies", s.proxies.len(), MAX_EXECUTORS),
        ("mercenaries", s.mercenaries.len(), MAX_EXECUTORS),
        ("independents", s.independents.len(), MAX_EXECUTORS),
        ("campaigns", s.campaigns.len(), MAX_ENTRIES),
        ("relations", s.relations.len(), MAX_ENTRIES),
        ("injects", s.injects.len(), MAX_ENTRIES),
        ("sectors", s.sectors.len(), MAX_SECTORS_OR_MEASURES),
        (
            "measures.dialogues",
            s.measures.dialogues.len(),
            MAX_SECTORS_OR_MEASURES,
        ),
        (
            "measures.channels",
            s.measures.channels.len(),
            MAX_SECTORS_OR_MEASURES,
        ),
        (
            "measures.agreements",
            s.measures.agreements.len(),
            MAX_SECTORS_OR_MEASURES,
        ),
        (
            "measures.pledges",
            s.measures.pledges.len(),
            MAX_SECTORS_OR_MEASURES,
        ),
        ("arms", s.arms.len(), MAX_ARMS),
    ];
    for (path, n, max) in counts {
        if n > max {
            c.add(
                path,
                format!(
                    "has {n} entries; at most {max} are accepted (a limit that keeps validation and \
                     every replicate within a laptop's memory and time)"
                ),
            );
        }
    }
    check_names(c);
    check_rates(c);
    c.problems.len() == before
}

/// Every name at most [`MAX_NAME_CHARS`] characters long.
fn check_names(c: &mut Checker) {
    let s = c.s;
    let lists: [(&str, Vec<&str>); 10] = [
        ("states", s.states.iter().map(|x| x.name.as_str()).collect()),
        (
            "proxies",
            s.proxies.iter().map(|x| x.name.as_str()).collect(),
        ),
        (
            "mercenaries",
            s.mercenaries.iter().map(|x| x.name.as_str()).collect(),
        ),
        (
            "independents",
            s.independents.iter().map(|x| x.name.as_str()).collect(),
        ),
        (
            "ladder.rungs",
            s.ladder.rungs.iter().map(|x| x.name.as_str()).collect(),
        ),
        ("arms", s.arms.iter().map(|x| x.name.as_str()).collect()),
        (
            "measures.dialogues",
            s.measures
                .dialogues
                .iter()
                .map(|x| x.name.as_str())
                .collect(),
        ),
        (
            "measures.channels",
            s.measures
                .channels
                .iter()
                .map(|x| x.name.as_str())
                .collect(),
        ),
        (
            "measures.agreements",
            s.measures
                .agreements
                .iter()
                .map(|x| x.name.as_str())
                .collect(),
        ),
        (
            "measures.pledges",
            s.measures.pledges.iter().map(|x| x.name.as_str()).collect(),
        ),
    ];
    let too_long = |n: &str| n.chars().count() > MAX_NAME_CHARS;
    let message = |n: &str| {
        format!(
            "this name has {} characters; a name has at most {MAX_NAME_CHARS}",
            n.chars().count()
        )
    };
    if too_long(&s.name) {
        c.add("name", message(&s.name));
    }
    for (i, n) in s.sectors.iter().enumerate() {
        if too_long(n) {
            c.add(format!("sectors[{i}]"), message(n));
        }
    }
    for (list, names) in lists {
        for (i, n) in names.into_iter().enumerate() {
            if too_long(n) {
                c.add(format!("{list}[{i}].name"), message(n));
            }
        }
    }
}

/// Each rate at most [`MAX_RATE_PER_YEAR`], and the operations and dialogue rounds expected in one
/// replicate-arm at most [`MAX_EVENTS_PER_RUN`].
fn check_rates(c: &mut Checker) {
    let s = c.s;
    let rates = s
        .campaigns
        .iter()
        .enumerate()
        .map(|(i, x)| (format!("campaigns[{i}].rate_per_year"), x.rate_per_year))
        .chain(s.proxies.iter().enumerate().map(|(i, x)| {
            (
                format!("proxies[{i}].freelance_per_year"),
                x.freelance_per_year,
            )
        }))
        .chain(
            s.independents
                .iter()
                .enumerate()
                .map(|(i, x)| (format!("independents[{i}].rate_per_year"), x.rate_per_year)),
        );
    let mut per_year = 0.0;
    let mut rates_ok = true;
    for (path, r) in rates {
        // NaN and negative rates are reported by the campaign and actor checks.
        if r > MAX_RATE_PER_YEAR {
            rates_ok = false;
            c.add(
                path,
                format!(
                    "{} is out of range; use a finite number of operations per year from 0 to {MAX_RATE_PER_YEAR:.0}",
                    number(r)
                ),
            );
        } else if r > 0.0 {
            per_year += r;
        }
    }
    let days = f64::from(s.horizon_days.min(MAX_HORIZON_DAYS));
    let dialogue_rounds = dialogue_rounds(s, days);
    let expected = expected_events_per_run(s);
    if rates_ok && expected > MAX_EVENTS_PER_RUN {
        c.add(
            "campaigns",
            format!(
                "one replicate-arm would draw about {expected:.0} operations and dialogue rounds \
                 ({per_year:.0} operations a year over {days:.0} days, {dialogue_rounds:.0} dialogue \
                 rounds, {} injects); at most {MAX_EVENTS_PER_RUN:.0} are accepted, because each \
                 replicate-arm holds all of its operations in memory at once (about 300 bytes each, \
                 per worker thread). Lower the rates or the horizon",
                s.injects.len()
            ),
        );
    }
}

/// Dialogue rounds held over `days` (rounds at least a day apart; a shorter interval is refused by
/// the measures' checks).
fn dialogue_rounds(s: &Scenario, days: f64) -> f64 {
    s.measures
        .dialogues
        .iter()
        .filter(|d| d.interval_days >= 1.0)
        .map(|d| days / d.interval_days)
        .sum()
}

/// Operations and dialogue rounds one replicate-arm is expected to hold: the yearly rates over the
/// horizon, the dialogue rounds and the injects (rates that are not finite and ≥ 0 count as 0;
/// validation refuses them).
pub fn expected_events_per_run(s: &Scenario) -> f64 {
    let days = f64::from(s.horizon_days.min(MAX_HORIZON_DAYS));
    let per_year: f64 = s
        .campaigns
        .iter()
        .map(|x| x.rate_per_year)
        .chain(s.proxies.iter().map(|x| x.freelance_per_year))
        .chain(s.independents.iter().map(|x| x.rate_per_year))
        .filter(|r| r.is_finite() && *r > 0.0)
        .sum();
    per_year * days / DAYS_PER_YEAR + dialogue_rounds(s, days) + s.injects.len() as f64
}
