//! The README's scenario example validates and runs, and its first commands are the ones CI runs.

mod common;

use common::*;
use escalate::scenario::parse_scenario;

fn readme() -> String {
    std::fs::read_to_string(repo().join("README.md")).expect("README.md")
}

#[test]
fn the_readme_scenario_example_validates_and_runs() {
    let text = readme();
    let start = text.find("```ron\n").expect("a ron example") + "```ron\n".len();
    let len = text[start..].find("```").expect("closing fence");
    let s = parse_scenario("README.md example", &text[start..start + len])
        .unwrap_or_else(|e| panic!("{e}"))
        .scenario;
    let (p, runs) = run_all(&s, 1, 50);
    assert_eq!(p.arms.len(), 3);
    for arms in &runs {
        for run in arms {
            check_invariants(&p, &run.outcome).expect("invariants");
        }
    }
}

#[test]
fn the_readme_opens_with_the_two_commands_ci_relies_on() {
    let text = readme();
    let head: String = text.lines().take(20).collect::<Vec<_>>().join("\n");
    assert!(
        head.contains("cargo run --release -- run"),
        "first command missing"
    );
    assert!(
        head.contains("cargo test --release"),
        "test command missing"
    );
    let ci = std::fs::read_to_string(repo().join(".ci/run")).expect(".ci/run");
    assert!(
        ci.lines()
            .any(|l| l.trim().starts_with("cargo test --release 2>&1")),
        ".ci/run must run the README's test command, exactly"
    );
}
