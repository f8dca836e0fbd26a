//! `escalate discover`: PRIM over a real sweep folder, end to end — the box a condition on the
//! parameters plants is found exactly; the files are written once, never over a user's folder; bad
//! conditions, arms and folders are clear errors (exit 2).

use assert_cmd::Command;
use std::path::Path;

mod common;

fn escalate() -> Command {
    Command::new(assert_cmd::cargo::cargo_bin!("escalate"))
}

fn p(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = escalate().args(args).output().expect("run escalate");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A small sweep (3 × 4 grid, 2 arms), run once for all the checks below.
fn sweep(dir: &Path) -> std::path::PathBuf {
    let fixture = common::repo().join("tests/fixtures/sweeps/slurm_small.ron");
    let out = dir.join("sweep");
    let (code, _, err) = run(&["sweep", p(&fixture), "--out", p(&out), "-q", "-n", "20"]);
    assert_eq!(code, Some(0), "{err}");
    out
}

#[test]
fn discover_finds_the_box_a_condition_plants_and_reports_it_everywhere() {
    let t = tempfile::tempdir().unwrap();
    let sw = sweep(t.path());
    let out = t.path().join("found");
    // The condition holds exactly on the grid points with reliability ≤ 0.3 and skill ≥ 0.5
    // (2 × 2 = 4 of 12 points): PRIM must return that box with coverage and density 100 %.
    let cond = "\"hotline reliability\" <= 0.3 and \"attribution skill\" >= 0.5";
    let (code, stdout, err) = run(&["discover", p(&sw), "--where", cond, "--out", p(&out)]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        stdout.contains("holds at 4 of 12 points (33 %). It holds mostly where attribution skill ≥ 0.5 and hotline reliability ≤ 0.3: at 100 % of the points in that box (density), which hold 100 % of the points where it holds (coverage)."),
        "{stdout}"
    );
    for f in [
        "discovery.json",
        "discovery.md",
        "trajectory.csv",
        "discovery.png",
        "discovery.svg",
    ] {
        assert!(out.join(f).is_file(), "{f} written");
    }
    let d: escalate::report::discovery::Discovery =
        serde_json::from_str(&std::fs::read_to_string(out.join("discovery.json")).unwrap())
            .unwrap();
    assert_eq!(d.arm, "with channels", "the last arm by default");
    assert_eq!(
        (d.points, d.cases, d.found.mass, d.found.cases),
        (12, 4, 4, 4)
    );
    let skill = &d.found.limits[0];
    assert_eq!((skill.lo, skill.hi, skill.restricted), (0.5, 0.8, true));
    let csv = std::fs::read_to_string(out.join("trajectory.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + d.trajectory.len());
    assert!(csv.starts_with("step,points,cases,coverage,density,restricted,attribution skill_lo,"));

    // The same command again leaves the folder alone without --force, and replaces it with it.
    let (code, _, err) = run(&["discover", p(&sw), "--where", cond, "--out", p(&out)]);
    assert_eq!(code, Some(2), "{err}");
    let (code, _, err) = run(&[
        "discover",
        p(&sw),
        "--where",
        cond,
        "--out",
        p(&out),
        "--force",
        "-q",
    ]);
    assert_eq!(code, Some(0), "{err}");
    // --force never replaces a folder escalate did not write as a discovery.
    let (code, _, err) = run(&[
        "discover",
        p(&sw),
        "--where",
        cond,
        "--out",
        p(&sw),
        "--force",
        "-q",
    ]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        sw.join("sweep.csv").is_file(),
        "the sweep folder is untouched"
    );
}

#[test]
fn bad_conditions_arms_and_folders_are_clear_errors() {
    let t = tempfile::tempdir().unwrap();
    let sw = sweep(t.path());
    let out = t.path().join("never");
    let cases: &[(&[&str], &str)] = &[
        (
            &["--where", "diff_crsis >= 0"],
            "did you mean `diff_crisis`?",
        ),
        (&["--where", "crisis = 0"], "`=` alone is not a comparison"),
        (
            &["--where", "diff_crisis >= 0", "--arm", "without channels"],
            "is the baseline, and its difference from itself is not a comparison",
        ),
        (
            &["--where", "crisis >= 0", "--arm", "hotline"],
            "the sweep has no arm \"hotline\"",
        ),
        (&["--where", "crisis < 0"], "holds at none of the 12 points"),
        (
            &["--where", "crisis >= 0"],
            "holds at every one of the 12 points",
        ),
        (
            &["--where", "crisis > 0", "--threshold", "1.5"],
            "--threshold: must be a share",
        ),
    ];
    for (args, expected) in cases {
        let mut all = vec!["discover", p(&sw)];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--out", p(&out)]);
        let (code, _, err) = run(&all);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    assert!(!out.exists(), "no folder for a refused discovery");
    let (code, _, err) = run(&["discover", p(t.path()), "--where", "crisis > 0"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("is not a sweep folder"), "{err}");
}
