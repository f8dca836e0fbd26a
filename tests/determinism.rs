//! Same inputs, any thread count: byte-identical `summary.json` and `replicates.csv`.

mod common;

use assert_cmd::Command;
use common::escalate_ok;
use std::path::Path;

fn run(dir: &Path, threads: &str, out: &str) {
    escalate_ok(
        dir,
        &[
            "run",
            "--replicates",
            "600",
            "--seed",
            "77",
            "--threads",
            threads,
            "--quiet",
            "--out",
            out,
        ],
    );
}

#[test]
fn results_are_byte_identical_whatever_the_thread_count() {
    let dir = tempfile::tempdir().expect("temp dir");
    run(dir.path(), "1", "one");
    run(dir.path(), "2", "two");
    run(dir.path(), "3", "three");
    for file in ["summary.json", "replicates.csv", "scenario.ron"] {
        let a = std::fs::read(dir.path().join("one").join(file)).expect("written");
        for other in ["two", "three"] {
            let b = std::fs::read(dir.path().join(other).join(file)).expect("written");
            assert!(a == b, "{file} differs between 1 and {other} threads");
        }
    }
    let csv = std::fs::read_to_string(dir.path().join("one/replicates.csv")).expect("written");
    // One header plus one row per replicate × arm (7 arms in the default scenario).
    assert_eq!(csv.lines().count(), 1 + 600 * 7);
}

#[test]
fn a_different_seed_gives_different_results() {
    let dir = tempfile::tempdir().expect("temp dir");
    run(dir.path(), "2", "a");
    Command::cargo_bin("escalate")
        .expect("binary built")
        .current_dir(dir.path())
        .args([
            "run",
            "--replicates",
            "600",
            "--seed",
            "78",
            "--quiet",
            "--out",
            "b",
        ])
        .assert()
        .success();
    let a = std::fs::read(dir.path().join("a/replicates.csv")).expect("written");
    let b = std::fs::read(dir.path().join("b/replicates.csv")).expect("written");
    assert_ne!(a, b);
}

#[test]
fn the_result_folder_has_every_file_and_a_manifest_that_names_the_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    run(dir.path(), "2", "r");
    let r = dir.path().join("r");
    for f in [
        "scenario.ron",
        "summary.json",
        "replicates.csv",
        "manifest.json",
    ] {
        assert!(r.join(f).is_file(), "{f} missing");
    }
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(r.join("manifest.json")).expect("read"))
            .expect("json");
    assert_eq!(m["seed"], 77);
    assert_eq!(m["replicates"], 600);
    assert_eq!(m["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(m["scenario_sha256"].as_str().map(str::len), Some(64));
    assert!(m["command_line"].as_array().is_some_and(|a| a.len() > 3));
    // The resolved scenario written beside the results is itself a valid scenario.
    Command::cargo_bin("escalate")
        .expect("binary")
        .arg("validate")
        .arg(r.join("scenario.ron"))
        .assert()
        .success();
    // Nothing but the result folder is left behind (no temporary folder).
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["r".to_string()]);
}

#[test]
fn run_without_arguments_uses_the_built_in_scenario_from_any_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    Command::cargo_bin("escalate")
        .expect("binary built")
        .current_dir(dir.path())
        .args(["run", "--replicates", "50", "--quiet"])
        .assert()
        .success();
    assert!(
        dir.path()
            .join("results/runs/us_russia_2016-001/summary.json")
            .is_file()
    );
}
