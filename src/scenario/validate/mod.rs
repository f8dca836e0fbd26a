//! Semantic validation: every problem of a parsed scenario, with its field path and what would be
//! valid; a valid scenario comes out compiled, its names resolved to indices in the same pass.
//!
//! One file per part of the scenario, in the order the checks run (and so the order problems are
//! listed): the run's settings here, then [`kinds`], [`ladder`], [`actors`], [`campaigns`],
//! [`relations`], [`measures`] (with the arms) and [`injects`]; [`warnings`] for settings that are
//! valid but probably not meant.

mod actors;
mod campaigns;
mod injects;
mod kinds;
mod ladder;
pub mod limits;
mod measures;
mod relations;
mod warnings;
mod withdrawals;

use super::compile::{Compiled, StateId, dyad_index};
use super::types::*;
pub use crate::error::Problem;
use std::collections::{BTreeMap, BTreeSet};
pub use warnings::warnings;

/// Longest horizon accepted (100 years): bounds memory and keeps every day in range.
pub const MAX_HORIZON_DAYS: u32 = 36_525;
/// Most rungs a ladder may have (rungs are indexed by a byte).
pub const MAX_RUNGS: usize = 255;

/// Checks a parsed scenario for meaning and resolves it: the compiled scenario, or every problem
/// found (in the order of the file's parts).
pub fn validate(s: &Scenario) -> Result<Compiled, Vec<Problem>> {
    let mut c = Checker::new(s);
    if !limits::check(&mut c) {
        // The other checks cost time in proportion to these sizes: not run on an oversized file.
        return Err(c.problems);
    }
    check_settings(&mut c);
    let kinds = kinds::check(&mut c);
    let ladder = ladder::check(&mut c);
    let actors = actors::check(&mut c);
    let campaigns = campaigns::check(&mut c);
    let initial_trust = relations::check(&mut c);
    let (measures, arms) = measures::check(&mut c);
    let injects = injects::check(&mut c);
    let resolved = (|| {
        let ladder = ladder?;
        let actors = actors?;
        let mut sources = campaigns::sources(s, &actors, campaigns?);
        let injects = injects::compile(s, &mut sources, injects?);
        Some(Compiled {
            scenario: s.clone(),
            states: actors.states,
            executors: actors.executors,
            sources,
            kinds,
            crisis_rung: ladder.crisis,
            kinetic_rung: ladder.kinetic,
            initial_trust: initial_trust?,
            measures: measures?,
            arms: arms?,
            injects,
        })
    })();
    match resolved {
        Some(compiled) if c.problems.is_empty() => Ok(compiled),
        Some(_) => Err(c.problems),
        None if !c.problems.is_empty() => Err(c.problems),
        // Every name that fails to resolve is reported where it is checked; this is a guard.
        None => Err(vec![Problem {
            path: "(scenario)".into(),
            message: "could not be resolved, though no problem was found; please report this"
                .into(),
        }]),
    }
}

/// The run's settings: name, horizon, replicates, sectors.
fn check_settings(c: &mut Checker) {
    let s = c.s;
    if s.name.trim().is_empty() || s.name.contains(['/', '\\']) || s.name.starts_with('.') {
        c.add(
            "name",
            "give a non-empty name without slashes (it names the result folder)",
        );
    }
    if s.horizon_days == 0 || s.horizon_days > MAX_HORIZON_DAYS {
        c.add(
            "horizon_days",
            format!(
                "{} is out of range; use 1 to {MAX_HORIZON_DAYS} days (100 years)",
                s.horizon_days
            ),
        );
    }
    if s.replicates == 0 {
        c.add("replicates", "must be at least 1");
    }
    if s.sectors.is_empty() {
        c.add("sectors", "list at least one sector");
    }
    unique(
        c,
        "sector",
        s.sectors
            .iter()
            .enumerate()
            .map(|(i, n)| (format!("sectors[{i}]"), n.as_str())),
    );
}

/// The scenario being checked, the problems found so far, and the names others refer to.
struct Checker<'a> {
    s: &'a Scenario,
    problems: Vec<Problem>,
    states: Vec<&'a str>,
    rungs: Vec<&'a str>,
    sectors: Vec<&'a str>,
}

/// Levenshtein distance, for "did you mean".
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The closest candidate to `name`, if it is close enough to be a likely typo. Candidates whose
/// length alone puts them too far are skipped, so a long name costs no more than a short one.
pub fn did_you_mean<'c>(name: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let len = name.chars().count();
    candidates
        .iter()
        .filter_map(|c| {
            let clen = c.chars().count();
            let limit = (clen.max(len) / 3).max(2);
            (clen.abs_diff(len) <= limit && clen.max(len) <= limits::MAX_NAME_CHARS)
                .then(|| (edit_distance(name, c), *c, limit))
        })
        .filter(|(d, _, limit)| d <= limit)
        .min_by_key(|(d, _, _)| *d)
        .map(|(_, c, _)| c)
}

/// A number as a message quotes it: `1e308`, not 309 digits.
fn number(v: f64) -> String {
    if v.is_finite() && v.abs() >= 1e9 {
        format!("{v:e}")
    } else {
        v.to_string()
    }
}

/// Known names as listed in a message: the first few, then how many more there are (a message
/// listing 20,000 names helps no one, and listing them for each of 20,000 problems is quadratic).
fn known_list(candidates: &[&str]) -> String {
    const SHOWN: usize = 10;
    let mut out = candidates
        .iter()
        .take(SHOWN)
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ");
    if candidates.len() > SHOWN {
        out.push_str(&format!(" and {} more", candidates.len() - SHOWN));
    }
    out
}

impl<'a> Checker<'a> {
    fn new(s: &'a Scenario) -> Checker<'a> {
        Checker {
            s,
            problems: Vec::new(),
            states: s.states.iter().map(|x| x.name.as_str()).collect(),
            rungs: s.ladder.rungs.iter().map(|r| r.name.as_str()).collect(),
            sectors: s.sectors.iter().map(String::as_str).collect(),
        }
    }

    fn add(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.into(),
            message: message.into(),
        });
    }

    fn probability(&mut self, path: &str, v: f64) {
        if !(0.0..=1.0).contains(&v) || v.is_nan() {
            self.add(
                path,
                format!("{v} is not a probability; use a number in [0, 1]"),
            );
        }
    }

    fn fraction_below_one(&mut self, path: &str, v: f64) {
        if !(0.0..1.0).contains(&v) || v.is_nan() {
            self.add(path, format!("{v} is out of range; use a number in [0, 1)"));
        }
    }

    fn non_negative(&mut self, path: &str, v: f64) {
        if !(v >= 0.0 && v.is_finite()) {
            self.add(path, format!("{v} must be a finite number ≥ 0"));
        }
    }

    fn positive(&mut self, path: &str, v: f64) {
        if !(v > 0.0 && v.is_finite()) {
            self.add(path, format!("{v} must be a finite number > 0"));
        }
    }

    /// The index of `name` among `candidates`, or a problem saying what is known (and which known
    /// name it is probably a typo of).
    fn name_in(
        &mut self,
        path: &str,
        name: &str,
        what: &str,
        candidates: &[&str],
    ) -> Option<usize> {
        if let Some(i) = candidates.iter().position(|c| *c == name) {
            return Some(i);
        }
        let hint = match did_you_mean(name, candidates) {
            Some(c) => format!("; did you mean \"{c}\"?"),
            None => String::new(),
        };
        self.add(
            path,
            format!(
                "unknown {what} \"{name}\"{hint} (known: {})",
                known_list(candidates)
            ),
        );
        None
    }

    /// The state called `name`.
    fn state(&mut self, path: &str, name: &str) -> Option<StateId> {
        let states = self.states.clone();
        self.name_in(path, name, "state", &states)
    }

    /// The rung called `name`, by index.
    fn rung(&mut self, path: &str, name: &str) -> Option<u8> {
        let rungs = self.rungs.clone();
        let i = self.name_in(path, name, "rung", &rungs)?;
        // A ladder too long for a byte is reported by the ladder's own check.
        u8::try_from(i).ok()
    }

    /// The sector called `name`, by index.
    fn sector(&mut self, path: &str, name: &str) -> Option<usize> {
        let sectors = self.sectors.clone();
        self.name_in(path, name, "sector", &sectors)
    }

    /// The dyad of a pair of different known states.
    fn pair(&mut self, path: &str, pair: &(String, String)) -> Option<usize> {
        let a = self.state(&format!("{path}.0"), &pair.0);
        let b = self.state(&format!("{path}.1"), &pair.1);
        let (a, b) = (a?, b?);
        if pair.0 == pair.1 {
            self.add(path, "a measure needs two different states");
            return None;
        }
        Some(dyad_index(self.states.len(), a, b))
    }

    fn delay(&mut self, path: &str, d: &Delay) {
        self.positive(&format!("{path}.median_days"), d.median_days);
        self.non_negative(&format!("{path}.spread"), d.spread);
    }

    fn weights<K: std::fmt::Debug>(&mut self, path: &str, w: &BTreeMap<K, f64>, required: bool) {
        if w.is_empty() {
            if required {
                self.add(path, "no weights given; give at least one positive weight");
            }
            return;
        }
        let mut all_valid = true;
        for (k, v) in w {
            if !(v.is_finite() && *v >= 0.0) {
                all_valid = false;
                self.add(
                    format!("{path}[{k:?}]"),
                    format!("{v}: weights must be finite numbers ≥ 0"),
                );
            }
        }
        if !all_valid {
            return;
        }
        let sum = w.values().sum::<f64>();
        if sum <= 0.0 {
            self.add(
                path,
                "the weights sum to zero; give at least one positive weight",
            );
        } else if !sum.is_finite() {
            self.add(
                path,
                "the weights are too large to add up; use relative weights of ordinary size",
            );
        }
    }

    fn sector_weights(&mut self, path: &str, w: &BTreeMap<String, f64>) {
        for k in w.keys() {
            self.sector(&format!("{path}[\"{k}\"]"), k);
        }
        self.weights(path, w, false);
    }

    fn kinds(&mut self, path: &str, w: &BTreeMap<OperationKind, f64>, required: bool) {
        self.weights(path, w, required);
        let profiled: BTreeSet<OperationKind> =
            self.s.operation_kinds.iter().map(|k| k.kind).collect();
        for (k, v) in w {
            if *v > 0.0 && !profiled.contains(k) {
                self.add(
                    format!("{path}[{k:?}]"),
                    format!("kind {k:?} has no entry in operation_kinds; add one"),
                );
            }
        }
    }
}

/// Checks that names are non-empty and unique.
fn unique<'n>(c: &mut Checker, what: &str, names: impl Iterator<Item = (String, &'n str)>) {
    let mut seen = BTreeSet::new();
    for (path, n) in names {
        if n.trim().is_empty() {
            c.add(path.clone(), format!("{what} name is empty"));
        }
        if !seen.insert(n.to_string()) {
            c.add(
                path,
                format!("{what} name \"{n}\" is used twice; names must be unique"),
            );
        }
    }
}

#[cfg(test)]
mod tests;
