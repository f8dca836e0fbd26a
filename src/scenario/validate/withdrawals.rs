//! `measures.withdrawals` and `arms[i].withdrawals`: a party that declines a measure or leaves it on
//! a day or by its doctrine names a known measure, is one of its two states, and gives a condition
//! that can hold.

use super::Checker;
use crate::scenario::compile::{CompiledWithdrawal, ExitRule, Measure};
use crate::scenario::types::{Exit, Withdrawal};

/// Checks a list of withdrawals at `path`; returns them resolved (None where a name does not
/// resolve or the measures could not be).
pub(super) fn check(
    c: &mut Checker,
    path: &str,
    list: &[Withdrawal],
    measures: Option<&[Measure]>,
) -> Option<Vec<CompiledWithdrawal>> {
    let mut out = Some(Vec::new());
    for (i, w) in list.iter().enumerate() {
        let p = format!("{path}[{i}]");
        let rule = rule(c, &p, w.when);
        let by = c.state(&format!("{p}.by"), &w.by);
        let Some(measures) = measures else {
            out = None;
            continue;
        };
        let names: Vec<&str> = measures.iter().map(|m| m.name.as_str()).collect();
        let m = c.name_in(&format!("{p}.measure"), &w.measure, "measure", &names);
        let resolved = (|| {
            let (m, by, rule) = (m?, by?, rule?);
            let (a, b) = pair_of(c, measures[m].dyad);
            let other = if by == a {
                b
            } else if by == b {
                a
            } else {
                c.add(
                    format!("{p}.by"),
                    format!(
                        "\"{}\" is not a party to \"{}\" (between \"{}\" and \"{}\")",
                        w.by, w.measure, c.states[a], c.states[b]
                    ),
                );
                return None;
            };
            Some(CompiledWithdrawal {
                measure: m,
                by,
                other,
                rule,
            })
        })();
        match (resolved, out.as_mut()) {
            (Some(r), Some(list)) => list.push(r),
            _ => out = None,
        }
    }
    out
}

/// The two states (lower id first) of dyad `dyad`.
fn pair_of(c: &Checker, dyad: usize) -> (usize, usize) {
    let n = c.states.len();
    (0..n)
        .flat_map(|a| ((a + 1)..n).map(move |b| (a, b)))
        .find(|&(a, b)| crate::scenario::compile::dyad_index(n, a, b) == dyad)
        .expect("invariant: a resolved measure's dyad is a pair of known states")
}

fn rule(c: &mut Checker, p: &str, when: Exit) -> Option<ExitRule> {
    match when {
        Exit::Declines => Some(ExitRule::Day(0)),
        Exit::Day(d) => Some(ExitRule::Day(d)),
        Exit::Violations(0) => {
            c.add(
                format!("{p}.when"),
                "Violations(0) would withdraw before anything happened; use Declines, or a count ≥ 1",
            );
            None
        }
        Exit::Violations(k) => Some(ExitRule::Violations(k)),
        Exit::Tension(x) => {
            let top = c.s.ladder.rungs.len().saturating_sub(1) as f64;
            if x > 0.0 && x <= top {
                Some(ExitRule::Tension(x))
            } else {
                c.add(
                    format!("{p}.when"),
                    format!("Tension({x}) is out of range; use a level in rungs in (0, {top}]"),
                );
                None
            }
        }
    }
}
