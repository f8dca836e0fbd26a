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

/// The classroom scenario's header states its headline figures; they must be what the published run
/// (20,000 replicates, seed 1) gives, rounded to one decimal.
#[test]
fn the_classroom_header_states_the_published_figures() {
    let text =
        std::fs::read_to_string(repo().join("scenarios/classroom.ron")).expect("classroom.ron");
    let summary: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("results/published/classroom/summary.json"))
            .expect("published summary"),
    )
    .expect("json");
    let arms = summary["arms"].as_array().expect("arms");
    let value = |arm: &str, metric: &str| -> f64 {
        let a = arms
            .iter()
            .find(|a| a["name"] == arm)
            .unwrap_or_else(|| panic!("arm {arm}"));
        a["metrics"][metric]["value"].as_f64().expect("value")
    };
    for (arm, metric, stated) in [
        (
            "without channels",
            "crisis",
            "crisis (a disruptive attack or worse) breaks out in\n// 35.2 %",
        ),
        ("without channels", "kinetic", "kinetic clash in 15.8 %"),
        ("with channels", "crisis", "crisis 11.8 %"),
        ("with channels", "kinetic", "kinetic 1.5 %"),
    ] {
        let pct = format!("{:.1} %", 100.0 * value(arm, metric));
        assert!(
            text.contains(stated) && stated.ends_with(&pct),
            "classroom.ron should state {arm} {metric} = {pct} as {stated:?}"
        );
    }
}

/// Every document a scenario, the README or the model description cites (`docs/NAME.md`) is in the
/// repository, so no reference points outside it.
#[test]
fn cited_documents_exist_in_the_repository() {
    let mut files = vec![repo().join("README.md"), repo().join("docs/MODEL.md")];
    for dir in ["scenarios", "scenarios/sweeps", "scenarios/calibration"] {
        for e in std::fs::read_dir(repo().join(dir)).expect("scenarios") {
            let p = e.expect("entry").path();
            if p.extension().is_some_and(|x| x == "ron") {
                files.push(p);
            }
        }
    }
    let mut cited = 0;
    for f in files {
        let text = std::fs::read_to_string(&f).expect("readable");
        assert!(
            !text.contains("../shared/"),
            "{} points outside the repository",
            f.display()
        );
        for (i, _) in text.match_indices("docs/") {
            let name: String = text[i..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || matches!(c, '/' | '_' | '.' | '-'))
                .collect();
            let name = name.trim_end_matches('.');
            if name.ends_with(".md") {
                cited += 1;
                assert!(
                    repo().join(name).is_file(),
                    "{} cites {name}, which is missing",
                    f.display()
                );
            }
        }
    }
    assert!(
        cited > 5,
        "the scenarios cite docs/CALIBRATION.md and docs/MODEL.md"
    );
}

/// The README's headline figures are what the published default run (20,000 replicates, seed 2016)
/// gives: each stated value and interval, formatted as the README states it.
#[test]
fn the_readme_headline_states_the_published_figures() {
    let text = readme();
    let summary: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("results/published/us_russia_2016/summary.json"))
            .expect("published summary"),
    )
    .expect("json");
    let arm = |name: &str| -> serde_json::Value {
        summary["arms"]
            .as_array()
            .expect("arms")
            .iter()
            .find(|a| a["name"] == name)
            .unwrap_or_else(|| panic!("arm {name}"))
            .clone()
    };
    let diff = |name: &str| -> serde_json::Value {
        summary["paired_differences"]
            .as_array()
            .expect("paired differences")
            .iter()
            .find(|a| a["arm"] == name)
            .unwrap_or_else(|| panic!("difference {name}"))
            .clone()
    };
    let pct = |m: &serde_json::Value, decimals: usize| -> String {
        let f = |k: &str| 100.0 * m[k].as_f64().expect("number");
        format!(
            "{:.d$} % [{:.d$}, {:.d$}]",
            f("value"),
            f("lo"),
            f("hi"),
            d = decimals
        )
    };
    let pts = |m: &serde_json::Value| -> String {
        let f =
            |k: &str| format!("{:.1}", 100.0 * m[k].as_f64().expect("number")).replace('-', "−");
        format!("{} pts [{}, {}]", f("value"), f("lo"), f("hi"))
    };
    let base = arm("without channels");
    let with = arm("with channels");
    // The published default run draws its parameters from the calibrated posterior: the README gives
    // the second interval (with parameter uncertainty) of P(crisis) beside the Monte Carlo one.
    let posterior = &summary["posterior"];
    let post = |list: &str, key: &str, name: &str| -> serde_json::Value {
        posterior[list]
            .as_array()
            .expect("posterior estimates")
            .iter()
            .find(|a| a[key] == name)
            .unwrap_or_else(|| panic!("posterior {name}"))["metrics"]["crisis"]
            .clone()
    };
    let iv = |m: &serde_json::Value| -> String {
        let f =
            |k: &str| format!("{:.1}", 100.0 * m[k].as_f64().expect("number")).replace('-', "−");
        format!("[{}, {}]", f("lo"), f("hi"))
    };
    let stated = [
        format!(
            "| … with parameter uncertainty | {} | {} | {} |",
            iv(&post("arms", "arm", "without channels")),
            iv(&post("arms", "arm", "with channels")),
            iv(&post("paired_differences", "arm", "with channels"))
        ),
        format!(
            "P(crisis) over five years from {} to {}",
            pct(&base["metrics"]["crisis"], 1),
            pct(&with["metrics"]["crisis"], 1)
        ),
        format!(
            "conflict) from {} to {}",
            pct(&base["metrics"]["kinetic"], 1),
            pct(&with["metrics"]["kinetic"], 2)
        ),
        format!("| {} |", pts(&diff("with channels")["metrics"]["crisis"])),
        format!("| {} |", pts(&diff("with channels")["metrics"]["kinetic"])),
        format!(
            "dialogue alone {} pts",
            format!(
                "{:.1}",
                100.0
                    * diff("dialogue only")["metrics"]["crisis"]["value"]
                        .as_f64()
                        .expect("number")
            )
            .replace('-', "−")
        ),
    ];
    for s in stated {
        assert!(
            text.contains(&s.replace("\n", " ")) || text.replace('\n', " ").contains(&s),
            "README should state {s:?} (from results/published/us_russia_2016/summary.json)"
        );
    }
}
