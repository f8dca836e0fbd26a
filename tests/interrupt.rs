//! An interrupted run (SIGTERM, as from Ctrl-C or a scheduler) leaves nothing behind.
#![cfg(unix)]

use std::process::{Command, Stdio};
use std::time::Duration;

#[test]
fn an_interrupted_run_leaves_no_result_folder_and_exits_130() {
    let dir = tempfile::tempdir().expect("temp dir");
    let child = Command::new(assert_cmd::cargo::cargo_bin!("escalate"))
        .current_dir(dir.path())
        .args(["run", "--replicates", "5000000", "--quiet", "--out", "big"])
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // Long enough for the run to be under way (the folder is created at the start).
    let partial_seen = (0..100).any(|_| {
        std::thread::sleep(Duration::from_millis(50));
        std::fs::read_dir(dir.path()).expect("dir").count() > 0
    });
    assert!(partial_seen, "the run never started");
    let status = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()
        .expect("kill");
    assert!(status.success());
    let out = child.wait_with_output().expect("wait");
    assert_eq!(
        out.status.code(),
        Some(130),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("interrupted"));
    let left: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

/// Spawns escalate in `dir` with `env` set, waits until its stderr says `marker`, sends SIGINT and
/// returns (exit code, all of stderr).
fn interrupt_when(
    dir: &std::path::Path,
    args: &[&str],
    env: &[(&str, &str)],
    marker: &str,
) -> (Option<i32>, String) {
    use std::io::BufRead;
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin!("escalate"));
    cmd.current_dir(dir)
        .args(args)
        .stderr(Stdio::piped())
        .stdout(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("spawn");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = std::io::BufReader::new(stderr).lines();
    let mut seen = String::new();
    for line in lines.by_ref() {
        let line = line.expect("utf-8 stderr");
        seen.push_str(&line);
        seen.push('\n');
        if line.contains(marker) {
            break;
        }
    }
    assert!(seen.contains(marker), "never reached {marker:?}: {seen}");
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    for line in lines {
        seen.push_str(&line.expect("utf-8 stderr"));
        seen.push('\n');
    }
    let code = child.wait().expect("wait").code();
    (code, seen)
}

fn entries(dir: &std::path::Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

/// Runs a classroom run with `extra` flags, paused at `phase` by the test-only hook, sends Ctrl-C
/// there, and checks it exits 130, says so, and leaves nothing in its folder.
fn ctrl_c_at_phase_leaves_nothing(phase: &str, extra: &[&str]) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut args = vec![
        "run",
        "builtin:classroom",
        "-n",
        "50",
        "--quiet",
        "--out",
        "r",
    ];
    args.extend_from_slice(extra);
    let (code, err) = interrupt_when(
        dir.path(),
        &args,
        &[("ESCALATE_TEST_PAUSE", phase)],
        &format!("paused at {phase}"),
    );
    assert_eq!(code, Some(130), "{err}");
    assert!(err.contains("interrupted"), "{err}");
    assert!(
        entries(dir.path()).is_empty(),
        "left behind: {:?}",
        entries(dir.path())
    );
}

#[test]
fn ctrl_c_while_plotting_stops_removes_the_folder_and_exits_130() {
    ctrl_c_at_phase_leaves_nothing("plotting", &[]);
}

#[test]
fn ctrl_c_while_a_sweep_runs_keeps_whole_points_only_and_exits_130() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sweep = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios/sweeps/attribution_vs_hotline.ron");
    let sweep = sweep.to_str().expect("utf-8 path");
    // The sweep says how many points it has before the first one runs.
    let (code, err) = interrupt_when(
        dir.path(),
        &["sweep", sweep, "-n", "200000", "--out", "s", "-j", "1"],
        &[],
        "Sweep ",
    );
    assert_eq!(code, Some(130), "{err}");
    assert!(err.contains("interrupted:"), "{err}");
    assert!(err.contains("--resume"), "{err}");
    // No temporary or partial file anywhere in the sweep folder.
    let shards = dir.path().join("s").join("shards");
    for name in entries(&shards) {
        assert!(
            !name.contains("partial") && !name.ends_with(".lock"),
            "left behind: {name}"
        );
    }
}

#[test]
fn ctrl_c_before_a_finished_sweep_is_merged_keeps_its_points_and_exits_130() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sweep = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios/sweeps/attribution_vs_hotline.ron");
    let sweep = sweep.to_str().expect("utf-8 path");
    let (code, err) = interrupt_when(
        dir.path(),
        &["sweep", sweep, "-n", "10", "--out", "s", "--quiet"],
        &[("ESCALATE_TEST_PAUSE", "sweep-output")],
        "paused at sweep-output",
    );
    assert_eq!(code, Some(130), "{err}");
    assert!(err.contains("points of this shard are saved"), "{err}");
    assert!(!dir.path().join("s").join("sweep.json").exists());
}

#[test]
fn a_replicate_arm_stops_inside_when_cancelled_and_is_unchanged_when_not() {
    use escalate::scenario::load::{DEFAULT_SCENARIO, parse_scenario};
    use escalate::sim::Simulator;
    use std::sync::Arc;
    use std::sync::atomic::AtomicBool;
    let p = Arc::new(parse_scenario("default", DEFAULT_SCENARIO).expect("valid"));
    let mut sim = Simulator::new(p.clone());
    let plain = sim.run(7, 3, 1);
    let not_set = AtomicBool::new(false);
    let watched = sim
        .run_cancellable(7, 3, 1, Some(&not_set))
        .expect("not cancelled");
    assert_eq!(plain, watched, "watching the flag changes nothing");
    let set = AtomicBool::new(true);
    assert!(
        sim.run_cancellable(7, 3, 1, Some(&set)).is_none(),
        "a set flag stops the replicate-arm before its first day of events"
    );
    // The simulator is still good afterwards.
    assert_eq!(sim.run(7, 3, 1), plain);
}

/// Ctrl-C while the event log is written (paused after its first replicate, so an unfinished file
/// exists) stops it, removes the unfinished log and the unfinished result folder, and exits 130.
#[test]
fn ctrl_c_while_the_event_log_is_written_leaves_neither_log_nor_results() {
    ctrl_c_at_phase_leaves_nothing(
        "events",
        &["--events", "events.csv", "--events-replicates", "0-9"],
    );
}
