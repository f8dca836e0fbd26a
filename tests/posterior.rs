//! `escalate run --posterior`: a posterior of one point at the scenario's values changes no outcome;
//! a wide posterior widens the interval with parameter uncertainty and only that one; the arms of a
//! replicate share its parameters and keep their common random numbers; any thread count gives the
//! same bytes; a folder that is not this scenario's posterior is refused with its file and place.

mod common;

use common::{arm_index, compile, default_scenario, repo};
use escalate::montecarlo::engine::{Engine, EngineOptions};
use escalate::montecarlo::paired::RowFormat;
use escalate::montecarlo::posterior::PosteriorPool;
use escalate::montecarlo::run_paired_posterior;
use escalate::scenario::types::{ArmSpec, Channel, ChannelKind};
use escalate::sim::RunResult;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn escalate(dir: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    assert_cmd::Command::cargo_bin("escalate")
        .expect("binary built")
        .current_dir(dir)
        .args(args)
        .assert()
}

/// A small calibration of the default scenario (its posterior.csv is then replaced by the test's).
fn calibration(dir: &Path) -> PathBuf {
    let scenario = repo().join("scenarios/us_russia_2016.ron");
    let targets = repo().join("scenarios/calibration/us_russia_2016.ron");
    escalate(
        dir,
        &[
            "calibrate",
            scenario.to_str().expect("utf-8"),
            "--targets",
            targets.to_str().expect("utf-8"),
            "-n",
            "5",
            "--population",
            "10",
            "--max-generations",
            "1",
            "--out",
            "cal",
            "--quiet",
        ],
    )
    .success();
    dir.join("cal")
}

/// The calibration's parameter names and the scenario's own values of them, from parameters.csv.
fn scenario_values(cal: &Path) -> (Vec<String>, Vec<String>) {
    let mut r = csv::Reader::from_path(cal.join("parameters.csv")).expect("parameters.csv");
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.expect("row")).collect();
    (
        rows.iter().map(|x| x[0].to_string()).collect(),
        rows.iter().map(|x| x[2].to_string()).collect(),
    )
}

/// Replaces posterior.csv with particles: (weight, values), values in parameter order.
fn write_posterior(cal: &Path, particles: &[(f64, Vec<String>)]) {
    let (names, _) = scenario_values(cal);
    let mut text = format!("particle,weight,distance,{}\n", names.join(","));
    for (i, (w, values)) in particles.iter().enumerate() {
        text.push_str(&format!("{i},{w},0,{}\n", values.join(",")));
    }
    std::fs::write(cal.join("posterior.csv"), text).expect("writes posterior.csv");
}

/// Particles at the scenario's values but the Russian operation rate (the first parameter), one
/// per rate given, equally weighted.
fn rate_posterior(cal: &Path, rates: &[f64]) {
    let (names, values) = scenario_values(cal);
    assert_eq!(names[0], "Russian operation rate");
    let particles: Vec<(f64, Vec<String>)> = rates
        .iter()
        .map(|x| {
            let mut v = values.clone();
            v[0] = x.to_string();
            (1.0, v)
        })
        .collect();
    write_posterior(cal, &particles);
}

fn run_args<'a>(out: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec!["run", "-n", "400", "--seed", "5", "--quiet", "--out", out];
    a.extend_from_slice(extra);
    a
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("reads")).expect("JSON")
}

#[test]
fn a_posterior_of_one_point_at_the_scenarios_values_changes_no_outcome() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cal = calibration(dir.path());
    let (_, values) = scenario_values(&cal);
    write_posterior(&cal, &[(1.0, values)]);
    escalate(dir.path(), &run_args("plain", &[])).success();
    escalate(dir.path(), &run_args("point", &["--posterior", "cal"])).success();
    let (plain, point) = (dir.path().join("plain"), dir.path().join("point"));
    let mut same = 0;
    for entry in std::fs::read_dir(&plain).expect("lists") {
        let name = entry.expect("entry").file_name();
        let name = name.to_string_lossy();
        // The manifest (wall time, command line), the summary, the report and DATA.md gain the
        // posterior's sections: they are compared below. The outcomes plot's subtitle says its bars
        // are the Monte Carlo intervals (checked below).
        if [
            "manifest.json",
            "summary.json",
            "report.md",
            "report.html",
            "DATA.md",
            "outcomes.png",
            "outcomes.svg",
        ]
        .contains(&name.as_ref())
        {
            continue;
        }
        let a = std::fs::read(plain.join(name.as_ref())).expect("reads");
        let b = std::fs::read(point.join(name.as_ref())).expect("reads");
        assert!(a == b, "{name} differs");
        same += 1;
    }
    assert!(same >= 10, "compared {same} files");
    let subtitle = |dir: &Path| {
        std::fs::read_to_string(dir.join("outcomes.svg"))
            .expect("outcomes.svg")
            .contains("Monte Carlo intervals")
    };
    assert!(
        subtitle(&point) && !subtitle(&plain),
        "only the posterior run's outcomes plot says its bars are Monte Carlo intervals"
    );
    let mut s = json(&point.join("summary.json"));
    let section = s
        .as_object_mut()
        .expect("object")
        .remove("posterior")
        .expect("a posterior section");
    assert_eq!(s, json(&plain.join("summary.json")));
    // One point: no spread between draws, so both intervals are the same.
    for (arm, with) in s["arms"]
        .as_array()
        .expect("arms")
        .iter()
        .zip(section["arms"].as_array().expect("arms"))
    {
        for (key, mc) in arm["metrics"].as_object().expect("metrics") {
            let w = &with["metrics"][key];
            assert_eq!(w["between_draw_sd"], 0.0, "{key}");
            for b in ["value", "lo", "hi"] {
                assert_eq!(w[b], mc[b], "{key} {b}");
            }
        }
    }
    let data = std::fs::read_to_string(point.join("DATA.md")).expect("DATA.md");
    let plain_data = std::fs::read_to_string(plain.join("DATA.md")).expect("DATA.md");
    assert!(data.starts_with(&plain_data) && data.contains("`posterior_draws.csv`"));
    let manifest = json(&point.join("manifest.json"));
    assert_eq!(manifest["posterior"]["folder"], "cal");
    assert_eq!(
        manifest["posterior"]["scenario_fingerprint"],
        json(&cal.join("calibration.json"))["scenario_fingerprint"]
    );
}

#[test]
fn a_wide_posterior_widens_the_interval_with_parameter_uncertainty_and_thread_counts_agree() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cal = calibration(dir.path());
    rate_posterior(&cal, &[6.0, 10.0, 16.2, 25.0, 50.0]);
    escalate(
        dir.path(),
        &run_args("one", &["--posterior", "cal", "-j", "1"]),
    )
    .success();
    escalate(
        dir.path(),
        &run_args("two", &["--posterior", "cal", "-j", "2"]),
    )
    .success();
    for file in [
        "summary.json",
        "replicates.csv",
        "posterior_draws.csv",
        "report.md",
        "DATA.md",
    ] {
        let a = std::fs::read(dir.path().join("one").join(file)).expect("written");
        let b = std::fs::read(dir.path().join("two").join(file)).expect("written");
        assert!(a == b, "{file} differs between 1 and 2 threads");
    }
    let s = json(&dir.path().join("one/summary.json"));
    let p = &s["posterior"];
    assert_eq!(p["particles"], 5);
    assert_eq!(
        p["draws_used"], 5,
        "400 replicates draw every one of 5 particles"
    );
    let f = |v: &serde_json::Value| v.as_f64().expect("number");
    // Russian operations from 6 to 50 a year move the baseline P(crisis) from about 2 % to about
    // 20 % (2,000 replicates at each end, seed 5): the spread between draws dwarfs the Monte Carlo
    // noise of 400 replicates (an interval about 5 points wide).
    let mc = &s["arms"][0]["metrics"]["crisis"];
    let with = &p["arms"][0]["metrics"]["crisis"];
    let (mc_width, with_width) = (f(&mc["hi"]) - f(&mc["lo"]), f(&with["hi"]) - f(&with["lo"]));
    assert!(f(&with["between_draw_sd"]) > 0.05, "{with}");
    assert!(with_width > 2.0 * mc_width, "{with_width} vs {mc_width}");
    // The second interval contains the first, for every metric of every arm and difference.
    for (mc_side, with_side) in [
        ("arms", "arms"),
        ("paired_differences", "paired_differences"),
    ] {
        for (a, b) in s[mc_side]
            .as_array()
            .expect("list")
            .iter()
            .zip(p[with_side].as_array().expect("list"))
        {
            for (key, m) in a["metrics"].as_object().expect("metrics") {
                let w = &b["metrics"][key];
                assert_eq!(w["value"], m["value"], "{key}");
                assert!(
                    f(&w["lo"]) <= f(&m["lo"]) && f(&w["hi"]) >= f(&m["hi"]),
                    "{key}"
                );
            }
        }
    }
    let report = std::fs::read_to_string(dir.path().join("one/report.md")).expect("report");
    assert!(report.contains("## With parameter uncertainty"));
    assert!(report.contains("Monte Carlo interval"));
}

/// Rows of every run of a replicate, as Debug text: replicate, arm, outcome and incidents, pairs.
struct Collect;

impl RowFormat for Collect {
    type Buffer = Vec<u8>;
    fn start(&self) -> Vec<u8> {
        Vec::new()
    }
    fn replicate(&self, b: &mut Vec<u8>, replicate: u64, runs: &[RunResult]) -> anyhow::Result<()> {
        for (arm, run) in runs.iter().enumerate() {
            b.extend(
                format!(
                    "{replicate}\t{arm}\t{:?} {:?}\t{:?}\n",
                    run.outcome, run.incidents, run.pairs
                )
                .bytes(),
            );
        }
        Ok(())
    }
    fn finish(&self, b: Vec<u8>) -> anyhow::Result<Vec<u8>> {
        Ok(b)
    }
}

/// The outcome's count of channel calls (its first `channel_calls` field).
fn first_calls(o: &str) -> u32 {
    let at = o
        .find("channel_calls: ")
        .expect("the outcome has channel_calls")
        + 15;
    o[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .expect("a count")
}

fn without_calls(o: &str) -> String {
    // Channel calls are the one outcome a dead hotline may change: blank their counts.
    let re = |s: &str, key: &str| -> String {
        s.split(", ")
            .map(|f| {
                if f.starts_with(key) {
                    format!("{key}_")
                } else {
                    f.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    re(o, "channel_calls: ")
}

#[test]
fn under_a_posterior_the_arms_of_a_replicate_keep_their_common_random_numbers() {
    // The two CRN properties of tests/model.rs, each replicate with parameters drawn from a
    // posterior over Russia's worst-case bias: an arm that repeats "with channels" (every measure,
    // the dead hotline included) gives the same runs, and a hotline that never connects changes
    // nothing but its count of calls.
    let mut s = default_scenario();
    s.measures.channels.push(Channel {
        name: "dead hotline".into(),
        kind: ChannelKind::RiskReductionCentre,
        between: ("US".into(), "RUS".into()),
        availability: 1.0,
        reliability: 0.0,
        latency_days: 2.0,
        consult_from: Some("diplomatic protest".into()),
        crisis_use: true,
        crisis_de_escalation: 1,
        evidence_weight: 0.5,
        refusal: None,
        warnings: Vec::new(),
    });
    let mut names: Vec<String> = s.measures.channels.iter().map(|c| c.name.clone()).collect();
    names.extend(s.measures.dialogues.iter().map(|c| c.name.clone()));
    names.extend(s.measures.agreements.iter().map(|c| c.name.clone()));
    names.extend(s.measures.pledges.iter().map(|c| c.name.clone()));
    s.arms.push(ArmSpec {
        name: "everything again".into(),
        measures: names,
        withdrawals: Vec::new(),
    });
    s.arms.push(ArmSpec {
        name: "dead".into(),
        measures: vec!["dead hotline".into()],
        withdrawals: Vec::new(),
    });
    let base = Arc::new(compile(&s));
    let rus = s.states.iter().position(|x| x.name == "RUS").expect("RUS");
    let scenarios: Vec<_> = [0.0, 2.0, 4.0]
        .iter()
        .map(|b| {
            let mut t = s.clone();
            t.states[rus].worst_case_bias = *b;
            Arc::new(compile(&t))
        })
        .collect();
    let pool = Arc::new(PosteriorPool::new(
        scenarios,
        vec![0, 1, 2],
        &[1.0, 1.0, 1.0],
    ));
    let engine = Engine::new(EngineOptions {
        threads: 2,
        progress: false,
        cancel: None,
    })
    .expect("engine");
    let mut text = Vec::new();
    let (_, spread) = run_paired_posterior(&engine, &base, &pool, 9, 300, Collect, |b| {
        text.extend_from_slice(b);
        Ok(())
    })
    .expect("runs");
    assert_eq!(spread.draws_used(), 3);
    let text = String::from_utf8(text).expect("utf-8");
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    let arms = base.arms.len();
    assert_eq!(rows.len(), 300 * arms);
    let (with, again, dead) = (
        arm_index(&base, "with channels"),
        arm_index(&base, "everything again"),
        arm_index(&base, "dead"),
    );
    let mut differing = 0;
    let mut calls = 0;
    for (r, replicate) in rows.chunks(arms).enumerate() {
        assert_eq!(replicate[with][2..], replicate[again][2..], "replicate {r}");
        assert_eq!(
            without_calls(replicate[dead][2]),
            without_calls(replicate[0][2]),
            "replicate {r}"
        );
        differing += usize::from(replicate[with][2] != replicate[0][2]);
        calls += usize::from(first_calls(replicate[dead][2]) > 0);
        assert_eq!(
            first_calls(replicate[0][2]),
            0,
            "the baseline has no channel"
        );
    }
    // Not vacuous: the channels change most runs, and the dead hotline was called.
    assert!(differing > 150, "{differing}");
    assert!(calls > 50, "{calls}");
    // The blanking touches only the count of calls.
    assert!(without_calls("a: 1, channel_calls: 3, b: 2") == "a: 1, channel_calls: _, b: 2");
}

fn refused(dir: &Path, args: &[&str]) -> String {
    let out = escalate(dir, args).failure().code(2).get_output().clone();
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn folders_that_are_not_this_scenarios_posterior_are_refused_with_file_and_place() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let cal = calibration(d);
    let (names, values) = scenario_values(&cal);
    let run = |posterior: &str| refused(d, &run_args("out", &["--posterior", posterior]));

    // Not a folder.
    let e = run("nowhere");
    assert!(
        e.contains("--posterior") && e.contains("not a folder"),
        "{e}"
    );

    // Another scenario's posterior.
    let classroom = repo().join("scenarios/classroom.ron");
    let e = refused(
        d,
        &[
            "run",
            classroom.to_str().expect("utf-8"),
            "-n",
            "10",
            "--quiet",
            "--out",
            "out",
            "--posterior",
            "cal",
        ],
    );
    assert!(
        e.contains("calibration.json")
            && e.contains("field \"scenario\"")
            && e.contains("\"us_russia_2016\""),
        "{e}"
    );

    // The same scenario with another model (a number the calibration does not set).
    let text = std::fs::read_to_string(repo().join("scenarios/us_russia_2016.ron")).expect("reads");
    let changed = text.replacen("worst_case_bias: 1.3,", "worst_case_bias: 1.4,", 1);
    assert_ne!(changed, text);
    std::fs::write(d.join("changed.ron"), changed).expect("writes");
    let e = refused(
        d,
        &[
            "run",
            "changed.ron",
            "-n",
            "10",
            "--quiet",
            "--out",
            "out",
            "--posterior",
            "cal",
        ],
    );
    assert!(
        e.contains("scenario_fingerprint") && e.contains("calibrate this scenario again"),
        "{e}"
    );

    // Malformed posterior.csv: a word for a number, on its line.
    let mut bad = values.clone();
    bad[1] = "many".into();
    write_posterior(&cal, &[(1.0, values.clone()), (1.0, bad)]);
    let e = run("cal");
    assert!(
        e.contains("posterior.csv:3")
            && e.contains(&format!("column \"{}\" is \"many\"", names[1])),
        "{e}"
    );

    // Outside the prior's support.
    let mut outside = values.clone();
    outside[0] = "1000".into();
    write_posterior(&cal, &[(1.0, outside)]);
    let e = run("cal");
    assert!(
        e.contains("posterior.csv:2") && e.contains("outside its prior's support"),
        "{e}"
    );

    // No weight anywhere.
    write_posterior(&cal, &[(0.0, values.clone())]);
    let e = run("cal");
    assert!(
        e.contains("none of its 1 particles has a positive weight"),
        "{e}"
    );

    // A header that is not the calibration's.
    std::fs::write(
        cal.join("posterior.csv"),
        "particle,weight,distance,x\n0,1,0,1\n",
    )
    .expect("writes");
    let e = run("cal");
    assert!(
        e.contains("posterior.csv:1") && e.contains("the header is"),
        "{e}"
    );

    // A missing file.
    std::fs::remove_file(cal.join("posterior.csv")).expect("removes");
    let e = run("cal");
    assert!(e.contains("posterior.csv") && e.contains("missing"), "{e}");

    // Nothing was written by any refused run.
    assert!(!d.join("out").exists());
}
