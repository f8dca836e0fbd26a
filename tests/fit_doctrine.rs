//! Policy capture (`escalate fit-doctrine`): the fit recovers doctrine parameters from games whose
//! seat chose by that doctrine at known values, and stays near the scenario's values on games its
//! own doctrine played.
//!
//! Tolerance. The fit reports 95 % profile-likelihood intervals. Checking several parameters each
//! against its 95 % interval would fail for some seed one time in four or so; the checks below
//! widen each interval around the fitted value to 99.9 % under the normal approximation (×
//! 3.29 / 1.96), so that the family of checks fails for about one seed in a hundred, and require
//! each interval to be narrow enough that the check is not vacuous (the decisions do identify the
//! parameter). The seeds are fixed: the test is deterministic.

use escalate::demo::DEMO_SCENARIO;
use escalate::model::seat::{Choice, Decider, SeatView};
use escalate::play::Game;
use escalate::play::fit::{Observed, Param, choice_probabilities};
use escalate::play::fit_run::{FitResult, fit};
use escalate::scenario::compile::Compiled;
use escalate::scenario::load::parse_scenario;
use escalate::scenario::types::StateActor;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::sync::{Arc, Mutex};

/// Borealis in the classroom scenario with channels: it answers attributions, answers Aurelia's
/// actions in the spiral and is accused over the hotline.
const SEAT: usize = 1;
const ARM: usize = 1;

fn classroom() -> Compiled {
    parse_scenario("classroom", DEMO_SCENARIO).expect("valid")
}

/// Chooses by sampling from the doctrine's probabilities under `truth` (its own seeded stream),
/// and keeps what it saw.
struct Sampler {
    truth: Compiled,
    recorded: StateActor,
    rng: ChaCha8Rng,
    seen: Arc<Mutex<Vec<Observed>>>,
}

impl Decider for Sampler {
    fn decide(&mut self, view: &SeatView, options: &[Choice], _: &Choice) -> Choice {
        let probs = choice_probabilities(&self.truth, SEAT, &self.recorded, view, options);
        let u: f64 = self.rng.random();
        let mut acc = 0.0;
        let mut choice = *options.last().expect("options are never empty");
        for (o, p) in options.iter().zip(&probs) {
            acc += p;
            if u < acc {
                choice = *o;
                break;
            }
        }
        self.seen.lock().expect("not poisoned").push(Observed {
            view: view.clone(),
            options: options.to_vec(),
            choice,
        });
        choice
    }
}

/// Plays `games` seeded games with the seat sampling from `truth`'s doctrine.
fn sampled_games(base: &Arc<Compiled>, truth: &Compiled, games: u64) -> Vec<Observed> {
    let seen = Arc::new(Mutex::new(Vec::new()));
    for seed in 1..=games {
        let game = Game {
            params: base.clone(),
            seat: SEAT,
            arm: ARM,
            seed,
        };
        game.play(Box::new(Sampler {
            truth: truth.clone(),
            recorded: base.states[SEAT].spec.clone(),
            rng: ChaCha8Rng::seed_from_u64(1000 + seed),
            seen: seen.clone(),
        }));
    }
    std::mem::take(&mut *seen.lock().expect("not poisoned"))
}

/// z of 99.9 % over z of 95 %, two-sided.
const WIDEN: f64 = 3.290_526_731_491_926 / 1.959_963_984_540_054;

/// Checks that `truth` is within the widened interval of `param`, and that the interval is
/// narrower than `max_width` (the decisions identify it).
fn covers(r: &FitResult, param: Param, truth: f64, max_width: f64) {
    let f = r
        .fitted
        .iter()
        .find(|f| f.param == Some(param))
        .unwrap_or_else(|| panic!("{param:?} was not fitted"));
    let i = f.interval;
    assert!(
        i.hi - i.lo < max_width,
        "{param:?}: interval {i:?} wider than {max_width}: the decisions do not identify it"
    );
    let lo = f.value - WIDEN * (f.value - i.lo);
    let hi = f.value + WIDEN * (i.hi - f.value);
    assert!(
        (lo..=hi).contains(&truth),
        "{param:?}: truth {truth} outside [{lo}, {hi}] (fitted {}, 95 % interval {i:?})",
        f.value
    );
}

#[test]
fn the_fit_recovers_a_doctrine_from_games_it_played() {
    let base = Arc::new(classroom());
    let mut truth = classroom();
    // Borealis plays with little restraint, escalates often, is honest and reads tension hard
    // (the scenario: 0.2, 0.2, honesty 0.2, 0.5).
    let values = [
        (Param::Restraint, 0.05),
        (Param::Escalation, 0.45),
        (Param::Honesty, 0.75),
        (Param::TensionSensitivity, 0.9),
    ];
    for (p, v) in values {
        p.set(&mut truth.states[SEAT].spec, v);
    }
    let decisions = sampled_games(&base, &truth, 60);
    assert!(decisions.len() >= 300, "only {} decisions", decisions.len());
    let r = fit(&base, SEAT, &decisions);
    covers(&r, Param::Restraint, 0.05, 0.25);
    covers(&r, Param::Escalation, 0.45, 0.3);
    covers(&r, Param::Honesty, 0.75, 0.5);
    covers(&r, Param::TensionSensitivity, 0.9, 1.5);
    // The doctrine at its true values needs no lapse.
    let lapse = r.fitted.last().expect("the lapse");
    assert_eq!(lapse.param, None);
    assert!(lapse.interval.lo <= 1e-9, "{lapse:?}");
    // The fitted doctrine explains the choices better than the scenario's and than chance.
    assert!(r.log_likelihood > r.default_log_likelihood + 5.0, "{r:?}");
    assert!(r.default_log_likelihood > r.uniform_log_likelihood);
}

/// Takes the model's own choice and keeps what it saw.
struct Follower(Arc<Mutex<Vec<Observed>>>);

impl Decider for Follower {
    fn decide(&mut self, view: &SeatView, options: &[Choice], doctrine: &Choice) -> Choice {
        self.0.lock().expect("not poisoned").push(Observed {
            view: view.clone(),
            options: options.to_vec(),
            choice: *doctrine,
        });
        *doctrine
    }
}

#[test]
fn a_fit_on_the_scenarios_own_doctrine_stays_near_it() {
    let base = Arc::new(classroom());
    let seen = Arc::new(Mutex::new(Vec::new()));
    for seed in 1..=60 {
        let game = Game {
            params: base.clone(),
            seat: SEAT,
            arm: ARM,
            seed,
        };
        game.play(Box::new(Follower(seen.clone())));
    }
    let decisions = std::mem::take(&mut *seen.lock().expect("not poisoned"));
    let r = fit(&base, SEAT, &decisions);
    let spec = &base.states[SEAT].spec;
    covers(&r, Param::Restraint, Param::Restraint.get(spec), 0.3);
    covers(&r, Param::Escalation, Param::Escalation.get(spec), 0.3);
    covers(&r, Param::Honesty, Param::Honesty.get(spec), 0.5);
    // Every choice the model made has probability > 0 under its own doctrine: no lapse is needed.
    assert!(r.default_lapse < 1e-6, "{}", r.default_lapse);
    let lapse = r.fitted.last().expect("the lapse");
    assert!(lapse.value < 1e-6, "{lapse:?}");
}

// The command line: saved games in, a report and a runnable scenario out; bad files refused.

use assert_cmd::Command;
use std::path::Path;

fn escalate() -> Command {
    Command::cargo_bin("escalate").expect("binary built")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Saves a game of Borealis (with channels) at `seed` that follows its doctrine.
fn save_game(dir: &Path, seed: u64) -> String {
    let file = dir.join(format!("game{seed}.ron"));
    let f = file.to_str().expect("utf-8 path").to_string();
    let out = escalate()
        .args(["play", "--seat", "Borealis", "--arm", "with-channels"])
        .arg(format!("--seed={seed}"))
        .args(["--save", &f, "--quiet"])
        .write_stdin("d\n".repeat(400))
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", text(&out.stderr));
    f
}

#[test]
fn saved_games_are_fitted_and_the_fitted_scenario_validates_and_runs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let games: Vec<String> = [3, 5, 8]
        .iter()
        .map(|s| save_game(dir.path(), *s))
        .collect();
    let arm = dir.path().join("class.ron");
    let arm_s = arm.to_str().expect("utf-8 path");
    let mut args = vec!["fit-doctrine"];
    args.extend(games.iter().map(String::as_str));
    args.extend(["--out", arm_s]);
    let out = escalate().args(&args).output().expect("runs");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = text(&out.stdout);
    for needed in [
        "3 games of Borealis",
        "doctrine.restraint",
        "honesty",
        "lapse",
        "95 % interval",
        "Goodness of fit",
        "a uniform chooser",
        "most likely option",
    ] {
        assert!(report.contains(needed), "no {needed:?} in\n{report}");
    }
    let written = std::fs::read_to_string(&arm).expect("written");
    assert!(written.starts_with("// "), "{written}");
    assert!(
        written.contains("Borealis.doctrine.restraint = "),
        "{written}"
    );
    let valid = escalate().args(["validate", arm_s]).output().expect("runs");
    assert!(valid.status.success(), "{}", text(&valid.stderr));
    let run_dir = dir.path().join("run");
    let run = escalate()
        .args(["run", arm_s, "-n", "20", "--quiet", "--out"])
        .arg(&run_dir)
        .output()
        .expect("runs");
    assert!(run.status.success(), "{}", text(&run.stderr));
    // The file is never replaced.
    let again = escalate().args(&args).output().expect("runs");
    assert_eq!(again.status.code(), Some(2));
    assert!(text(&again.stderr).contains("already exists"));
    assert_eq!(std::fs::read_to_string(&arm).expect("kept"), written);
}

#[test]
fn a_malformed_file_is_refused_with_its_line_and_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.ron");
    std::fs::write(&bad, "(\n    format: 1,\n    escalate: 0.1,\n)\n").expect("write");
    let out = escalate()
        .arg("fit-doctrine")
        .arg(&bad)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(err.contains("bad.ron:3:"), "{err}");
}

#[test]
fn a_file_from_another_scenario_or_version_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = save_game(dir.path(), 3);
    let saved = std::fs::read_to_string(&good).expect("saved");
    let sha_at = saved.find("scenario_sha256: \"").expect("a fingerprint") + 18;
    let mut other = saved.clone();
    other.replace_range(sha_at..sha_at + 6, "000000");
    let other_path = dir.path().join("other.ron");
    std::fs::write(&other_path, &other).expect("write");
    let out = escalate()
        .args(["fit-doctrine", &good])
        .arg(&other_path)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("other.ron differs from") && err.contains("another scenario"),
        "{err}"
    );
    let version = saved.replace(
        &format!("escalate: \"{}\"", env!("CARGO_PKG_VERSION")),
        "escalate: \"0.0.1\"",
    );
    assert_ne!(version, saved);
    let old = dir.path().join("old.ron");
    std::fs::write(&old, version).expect("write");
    let out = escalate()
        .args(["fit-doctrine", &good])
        .arg(&old)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("old.ron differs from") && err.contains("escalate 0.0.1"),
        "{err}"
    );
}
