//! `escalate run --events FILE`: the event log agrees with replicates.csv replicate by replicate,
//! is byte-identical at any thread count, is bounded before it starts, and never replaces a file
//! it did not write.

mod common;

use assert_cmd::Command;
use common::*;
use std::collections::HashMap;
use std::path::Path;

fn run(dir: &Path, out: &str, threads: &str, extra: &[&str]) -> assert_cmd::assert::Assert {
    let scenario = repo().join("scenarios/mercenary_market.ron");
    let mut args = vec![
        "run".to_string(),
        scenario.display().to_string(),
        "--replicates".into(),
        "60".into(),
        "--seed".into(),
        "11".into(),
        "--threads".into(),
        threads.into(),
        "--quiet".into(),
        "--out".into(),
        out.into(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    Command::cargo_bin("escalate")
        .expect("binary")
        .current_dir(dir)
        .args(&args)
        .assert()
}

fn read_csv(path: &Path) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_path(path).expect("csv");
    let header: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    r.records()
        .map(|rec| {
            let rec = rec.expect("row");
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(String::from))
                .collect()
        })
        .collect()
}

#[test]
fn the_events_of_each_replicate_agree_with_replicates_csv() {
    let dir = tempfile::tempdir().expect("temp dir");
    run(
        dir.path(),
        "r",
        "2",
        &["--events", "ev.csv", "--events-replicates", "0-59"],
    )
    .success();
    let summary = escalate::report::summary::Summary::load(&dir.path().join("r")).expect("summary");
    let crisis_rung = summary.crisis_rung as u32;
    let events = read_csv(&dir.path().join("ev.csv"));
    let rows = read_csv(&dir.path().join("r/replicates.csv"));
    assert_eq!(rows.len(), 60 * summary.arms.len());
    let mut checked_crises = 0;
    for row in &rows {
        let (rep, arm) = (&row["replicate"], &row["arm"]);
        let mine: Vec<&HashMap<String, String>> = events
            .iter()
            .filter(|e| &e["replicate"] == rep && &e["arm"] == arm)
            .collect();
        let of = |kind: &str| {
            mine.iter()
                .filter(|e| e["event"] == kind)
                .collect::<Vec<_>>()
        };
        let responses = of("response");
        let at = format!("replicate {rep} arm {arm}");
        let count = |k: &str| row[k].parse::<usize>().expect("integer");
        assert_eq!(responses.len(), count("responses"), "{at}");
        assert_eq!(of("operation").len(), count("ops_launched"), "{at}");
        assert_eq!(of("detection").len(), count("ops_detected"), "{at}");
        let wrongful = responses.iter().filter(|e| e["wrongful"] == "1").count();
        assert_eq!(wrongful, count("wrongful_responses"), "{at}");
        let max_rung = responses
            .iter()
            .map(|e| e["rung"].parse::<u32>().expect("rung"))
            .max()
            .unwrap_or(0);
        assert_eq!(
            max_rung,
            row["highest_rung"].parse::<u32>().expect("rung"),
            "{at}"
        );
        let crisis = responses
            .iter()
            .any(|e| e["rung"].parse::<u32>().expect("rung") >= crisis_rung);
        assert_eq!(crisis, row["crisis"] == "1", "{at}");
        let kinetic = responses.iter().any(|e| e["kinetic"] == "1");
        assert_eq!(kinetic, row["kinetic"] == "1", "{at}");
        checked_crises += usize::from(crisis);
        // Every response names its chain's origin, an operation that appears in the log.
        for r in &responses {
            assert!(
                mine.iter()
                    .any(|e| e["event"] == "operation" && e["operation"] == r["origin"]),
                "{at}: origin {} not among the operations",
                r["origin"]
            );
        }
    }
    assert!(checked_crises > 3, "not vacuous: {checked_crises} crises");
}

#[test]
fn the_event_log_is_byte_identical_whatever_the_thread_count() {
    let dir = tempfile::tempdir().expect("temp dir");
    run(
        dir.path(),
        "a",
        "1",
        &["--events", "a.csv", "--events-replicates", "5-24"],
    )
    .success();
    run(
        dir.path(),
        "b",
        "3",
        &["--events", "b.csv", "--events-replicates", "5-24"],
    )
    .success();
    let a = std::fs::read(dir.path().join("a.csv")).expect("written");
    let b = std::fs::read(dir.path().join("b.csv")).expect("written");
    assert!(a == b, "the event logs differ between 1 and 3 threads");
    assert!(a.len() > 10_000, "not vacuous: {} bytes", a.len());
}

#[test]
fn an_existing_file_is_replaced_only_if_an_earlier_events_wrote_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("mine.csv"), "a user's data\n").expect("write");
    for force in [false, true] {
        let extra: &[&str] = if force {
            &["--events", "mine.csv", "--force"]
        } else {
            &["--events", "mine.csv"]
        };
        let out = run(dir.path(), "r", "1", extra).failure().code(2);
        let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert!(
            err.contains("--events") && err.contains("mine.csv"),
            "{err}"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("mine.csv")).expect("kept"),
            "a user's data\n"
        );
    }
    assert!(!dir.path().join("r").exists(), "nothing was run");
    run(
        dir.path(),
        "r",
        "1",
        &["--events", "ev.csv", "--events-replicates", "0"],
    )
    .success();
    let first = std::fs::read(dir.path().join("ev.csv")).expect("written");
    run(
        dir.path(),
        "r",
        "1",
        &["--events", "ev.csv", "--events-replicates", "1"],
    )
    .failure()
    .code(2);
    run(
        dir.path(),
        "r",
        "1",
        &["--events", "ev.csv", "--events-replicates", "1", "--force"],
    )
    .success();
    let second = std::fs::read(dir.path().join("ev.csv")).expect("replaced");
    assert_ne!(first, second, "replaced by replicate 1's events");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.starts_with(".partial")),
        "{names:?}"
    );
}

#[test]
fn the_size_is_checked_before_anything_runs() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (range, needle) in [
        ("0-60", "replicate 60 is not run"),
        ("7-3", "after the last"),
        ("x", "not N or FIRST-LAST"),
    ] {
        let out = run(
            dir.path(),
            "r",
            "1",
            &["--events", "ev.csv", "--events-replicates", range],
        )
        .failure()
        .code(2);
        let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert!(
            err.contains("--events-replicates") && err.contains(needle),
            "{err}"
        );
    }
    // The default scenario's events of 10,000 replicates: over the size limit, refused at once.
    let out = Command::cargo_bin("escalate")
        .expect("binary")
        .current_dir(dir.path())
        .args([
            "run", "-n", "10000", "--quiet", "--out", "big", "--events", "big.csv",
        ])
        .args(["--events-replicates", "0-9999"])
        .assert()
        .failure()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("GiB") && err.contains("choose fewer replicates"),
        "{err}"
    );
    assert!(!dir.path().join("big").exists() && !dir.path().join("big.csv").exists());
    assert!(!dir.path().join("ev.csv").exists() && !dir.path().join("r").exists());
}

/// Every column of the event log has its own name (a reader keyed by name, as pandas or R's
/// read.csv, would otherwise lose one), and the reasons reach the rows: every decision, response and
/// withdrawal says why.
#[test]
fn every_column_has_its_own_name_and_the_reasons_are_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    run(dir.path(), "r", "1", &["--events", "ev.csv"]).success();
    let mut r = csv::Reader::from_path(dir.path().join("ev.csv")).expect("csv");
    let header: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    let distinct: std::collections::BTreeSet<&String> = header.iter().collect();
    assert_eq!(
        distinct.len(),
        header.len(),
        "a column name repeats: {header:?}"
    );
    let rows = read_csv(&dir.path().join("ev.csv"));
    let decided: Vec<_> = rows
        .iter()
        .filter(|row| row["event"] == "decision" || row["event"] == "response")
        .collect();
    assert!(!decided.is_empty(), "the run has decisions and responses");
    for row in decided {
        assert!(
            !row["reason"].is_empty(),
            "a {} without its reason: {row:?}",
            row["event"]
        );
    }
}

/// Without --events-replicates, a run of fewer than ten replicates logs all of them (the default is
/// the first ten, capped by --replicates), instead of refusing replicate 9.
#[test]
fn the_default_range_fits_a_short_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    Command::cargo_bin("escalate")
        .expect("binary")
        .current_dir(dir.path())
        .args([
            "run", "-n", "3", "--quiet", "--out", "r", "--events", "ev.csv",
        ])
        .assert()
        .success();
    let rows = read_csv(&dir.path().join("ev.csv"));
    let replicates: std::collections::BTreeSet<&str> =
        rows.iter().map(|row| row["replicate"].as_str()).collect();
    assert_eq!(replicates.into_iter().collect::<Vec<_>>(), ["0", "1", "2"]);
}
