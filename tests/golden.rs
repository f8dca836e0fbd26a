//! Golden files: `summary.json` and `report.md` of a small fixed-seed run are pinned. A change to the
//! model, the statistics or the report shows up here; regenerate deliberately with
//! `UPDATE_GOLDEN=1 cargo test --release --test golden` and review the diff.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn check(name: &str, actual: &str) {
    let path = golden_dir().join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{} missing; run with UPDATE_GOLDEN=1 to create it",
            path.display()
        )
    });
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from {} at line {}:\n  golden: {:?}\n  actual: {:?}\n(UPDATE_GOLDEN=1 regenerates it after a deliberate change)",
            path.display(),
            line + 1,
            expected.lines().nth(line).unwrap_or("<end>"),
            actual.lines().nth(line).unwrap_or("<end>")
        );
    }
}

#[test]
fn summary_and_report_of_a_fixed_seed_run_match_the_golden_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/classroom.ron");
    Command::cargo_bin("escalate")
        .expect("binary")
        .current_dir(dir.path())
        .arg("run")
        .arg(&scenario)
        .args([
            "--replicates",
            "400",
            "--seed",
            "11",
            "--quiet",
            "--out",
            "g",
        ])
        .assert()
        .success();
    let out = dir.path().join("g");
    check(
        "classroom_summary.json",
        &std::fs::read_to_string(out.join("summary.json")).expect("summary"),
    );
    // The report names the scenario file as given on the command line; make it independent of where
    // the repository is checked out.
    let report = std::fs::read_to_string(out.join("report.md")).expect("report");
    let report = report.replace(&scenario.display().to_string(), "scenarios/classroom.ron");
    check("classroom_report.md", &report);
}
