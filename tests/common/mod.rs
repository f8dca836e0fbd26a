//! Helpers shared by the integration tests.
#![allow(dead_code)]

use escalate::outcome::Outcome;
use escalate::scenario::Scenario;
use escalate::scenario::compile::Compiled;
use escalate::scenario::load::{DEFAULT_SCENARIO, parse_scenario};
use escalate::scenario::validate;
use escalate::sim::{RunResult, Simulator};
use std::path::PathBuf;
use std::sync::Arc;

pub mod tmux;

/// The default scenario, parsed.
pub fn default_scenario() -> Scenario {
    parse_scenario("default", DEFAULT_SCENARIO)
        .expect("the default scenario is valid")
        .scenario
}

/// A bundled scenario by file stem.
pub fn bundled(stem: &str) -> Scenario {
    let path = repo().join("scenarios").join(format!("{stem}.ron"));
    let text = std::fs::read_to_string(&path).expect("bundled scenario exists");
    parse_scenario(&path.display().to_string(), &text)
        .expect("bundled scenario is valid")
        .scenario
}

/// A scenario the test knows to be valid, compiled.
pub fn compile(s: &Scenario) -> Compiled {
    validate(s).unwrap_or_else(|problems| panic!("the test's scenario is invalid: {problems:?}"))
}

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `replicates` replicates of every arm; result[r][arm].
pub fn run_all(s: &Scenario, seed: u64, replicates: u64) -> (Arc<Compiled>, Vec<Vec<RunResult>>) {
    let p = Arc::new(compile(s));
    let mut sim = Simulator::new(p.clone());
    let out = (0..replicates)
        .map(|r| (0..p.arms.len()).map(|a| sim.run(seed, r, a)).collect())
        .collect();
    (p, out)
}

/// Runs `replicates` replicates of one arm.
pub fn run_arm(s: &Scenario, seed: u64, replicates: u64, arm: usize) -> Vec<RunResult> {
    let p = Arc::new(compile(s));
    let mut sim = Simulator::new(p);
    (0..replicates).map(|r| sim.run(seed, r, arm)).collect()
}

/// Index of an arm by name.
pub fn arm_index(p: &Compiled, name: &str) -> usize {
    p.arms
        .iter()
        .position(|a| a.name == name)
        .unwrap_or_else(|| panic!("no arm {name}"))
}

/// The invariants every outcome must satisfy; returns the first violation.
pub fn check_invariants(p: &Compiled, o: &Outcome) -> Result<(), String> {
    let h = p.scenario.horizon_days;
    let top = p.top_rung();
    let fail = |m: &str| Err(format!("{m}: {o:?}"));
    if o.highest_rung > top {
        return fail("highest rung above the ladder");
    }
    if !(o.ops_attributed <= o.ops_detected && o.ops_detected <= o.ops_launched) {
        return fail("attributed ≤ detected ≤ launched does not hold");
    }
    if o.misattributions > o.ops_attributed {
        return fail("more misattributions than attributions");
    }
    if o.wrongful_responses > o.responses {
        return fail("more wrongful responses than responses");
    }
    if o.responses_by_trigger.iter().sum::<u32>() != o.responses {
        return fail("responses by trigger do not add up");
    }
    if o.channel_uses > o.channel_calls {
        return fail("more channel uses than calls");
    }
    if o.crisis() != (o.highest_rung >= p.crisis_rung) {
        return fail("crisis flag disagrees with the highest rung");
    }
    if let Some(k) = p.kinetic_rung
        && o.kinetic() != (o.highest_rung >= k)
    {
        return fail("kinetic flag disagrees with the highest rung");
    }
    if o.kinetic() && !o.crisis() {
        return fail("kinetic conflict without a crisis");
    }
    if let (Some(c), Some(k)) = (o.crisis_day, o.kinetic_day)
        && c > k
    {
        return fail("crisis after kinetic conflict");
    }
    if o.crisis_day.is_some_and(|d| d >= h) || o.kinetic_day.is_some_and(|d| d >= h) {
        return fail("an event after the horizon");
    }
    if o.crisis_origin.is_some() != o.crisis() || o.kinetic_origin.is_some() != o.kinetic() {
        return fail(
            "a crisis or kinetic conflict without the origin of its chain, or the reverse",
        );
    }
    if !(0.0..=1.0).contains(&o.final_trust) {
        return fail("trust outside [0, 1]");
    }
    if o.damage < 0.0 || o.escalation_score < 0.0 {
        return fail("negative damage or score");
    }
    Ok(())
}

/// Runs the `escalate` binary in `dir` with `args`, expecting success.
pub fn escalate_ok(dir: &std::path::Path, args: &[&str]) {
    assert_cmd::Command::cargo_bin("escalate")
        .expect("binary built")
        .current_dir(dir)
        .args(args)
        .assert()
        .success();
}
