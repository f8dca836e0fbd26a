//! Honest attribution errors (MODEL.md §7, "Forensics"): with no deceiver anywhere, noisy evidence
//! read through the victim's prior blames an innocent state, and under the doctrine that can start
//! a spiral to crisis (tests/fixtures/honest_spiral.ron).

mod common;

use common::*;
use escalate::model::Deception;
use escalate::model::event_log::{Event, EventLog};
use escalate::rng::combine;
use escalate::scenario::Scenario;
use escalate::sim::Simulator;
use std::collections::HashMap;
use std::sync::Arc;

const SEED: u64 = 5;
const REPLICATES: u64 = 400;
/// Deepest chain followed back to its root (a chain ends at the kinetic rung long before).
const MAX_DEPTH: u64 = 64;

fn fixture() -> Scenario {
    let path = repo().join("tests/fixtures/honest_spiral.ron");
    let text = std::fs::read_to_string(&path).expect("fixture exists");
    escalate::scenario::load::parse_scenario("honest_spiral.ron", &text)
        .expect("fixture is valid")
        .scenario
}

/// How the chain that first reached the crisis rung began: was its root operation blamed on a
/// state that did not order it, and by what (None: no crisis in the run).
fn crisis_root(log: &EventLog, crisis_rung: u8) -> Option<(bool, Deception)> {
    let mut sponsor = HashMap::new();
    let mut blame = HashMap::new();
    let mut root_of = HashMap::new();
    let mut op_of_root = HashMap::new();
    for e in &log.entries {
        match &e.event {
            Event::Launched { op, .. } => {
                sponsor.insert(op.key, op.sponsor);
            }
            Event::Attributed {
                op,
                blamed,
                deception,
                ..
            } => {
                blame.insert(*op, (*blamed, *deception));
            }
            Event::Decided { op, decision, .. } => {
                op_of_root.insert(*decision, *op);
                root_of.insert(*decision, *decision);
                // The spiral's decisions are keyed by (root, depth) (systems/escalation.rs).
                for depth in 1..=MAX_DEPTH {
                    root_of.insert(combine(*decision, depth), *decision);
                }
            }
            Event::Responded { decision, rung, .. } if *rung >= crisis_rung => {
                let root = root_of[decision];
                let op = op_of_root[&root];
                let (blamed, deception) = blame[&op];
                return Some((sponsor[&op] != Some(blamed), deception));
            }
            _ => {}
        }
    }
    None
}

/// For every run of the baseline arm that reached a crisis: how its chain began.
fn crisis_roots(s: &Scenario) -> Vec<(bool, Deception)> {
    let p = Arc::new(compile(s));
    let crisis = p.crisis_rung;
    let mut sim = Simulator::new(p);
    (0..REPLICATES)
        .filter_map(|r| crisis_root(&sim.run_logged(SEED, r, 0).1, crisis))
        .collect()
}

#[test]
fn an_honest_misattribution_starts_a_spiral_to_crisis() {
    let roots = crisis_roots(&fixture());
    // Not vacuous: half of the detected sabotage is blamed on Borealis (the evidence points at the
    // usual suspect with probability (1 − 0.36) × 0.76), and each such blame draws a cyber
    // retaliation that Borealis answers; crises happen in a large share of runs.
    assert!(
        roots.len() as u64 > REPLICATES / 5,
        "{} crises",
        roots.len()
    );
    let innocent = roots
        .iter()
        .filter(|(wrongful, d)| *wrongful && *d == Deception::HonestError)
        .count();
    // Cordova is never blamed publicly (its posterior stays below the threshold) and Borealis's own
    // operations are harmless, so a crisis chain can begin otherwise only when an earlier honest
    // error left the dyad tense enough for a Borealian espionage to be answered.
    assert!(
        innocent * 10 >= roots.len() * 9,
        "{innocent} of {} crisis chains began with an innocent state blamed by an honest error",
        roots.len()
    );
}

#[test]
fn with_clean_evidence_no_crisis_begins_with_an_innocent_state_blamed() {
    let mut s = fixture();
    s.states[0].attribution.forensic_noise = 0.0;
    let roots = crisis_roots(&s);
    assert!(roots.iter().all(|(wrongful, _)| !wrongful), "{roots:?}");
    assert!(
        roots.len() < crisis_roots(&fixture()).len(),
        "clean evidence, {} crises",
        roots.len()
    );
}
