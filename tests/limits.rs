//! Bounded work: every size and rate of a scenario has a limit, checked before anything runs, and the
//! refusal names the field, the limit and the reason; the checks themselves stay fast however large
//! the input (no quadratic path), and what a message quotes from the input is cut short.

mod common;

use escalate::error::MAX_LISTED_PROBLEMS;
use escalate::scenario::load::resolved_ron;
use escalate::scenario::types::Scenario;
use escalate::scenario::validate::limits::{
    MAX_EVENTS_PER_RUN, MAX_EXECUTORS, MAX_NAME_CHARS, MAX_RATE_PER_YEAR, MAX_STATES,
};
use escalate::scenario::validate::validate;
use std::path::Path;
use std::process::Command;

/// The problems of a scenario as `path: message` lines.
fn problems(s: &Scenario) -> Vec<String> {
    validate(s)
        .err()
        .unwrap_or_default()
        .into_iter()
        .map(|p| format!("{}: {}", p.path, p.message))
        .collect()
}

fn has(problems: &[String], path: &str, words: &str) -> bool {
    problems
        .iter()
        .any(|p| p.starts_with(&format!("{path}: ")) && p.contains(words))
}

/// Runs the binary in `cwd`; returns (exit code, stderr).
fn escalate(cwd: &Path, args: &[&str]) -> (Option<i32>, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_escalate"))
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("escalate starts");
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn a_rate_above_the_limit_is_refused_by_validation_and_nothing_is_written() {
    let mut s = common::bundled("classroom");
    s.campaigns[0].rate_per_year = 1e9;
    let p = problems(&s);
    assert!(
        has(
            &p,
            "campaigns[0].rate_per_year",
            &format!("from 0 to {MAX_RATE_PER_YEAR:.0}")
        ),
        "{p:?}"
    );
    // Through the command line: exit 2, no result folder, no partial folder.
    let dir = tempfile::tempdir().expect("tmp");
    let text = resolved_ron(&s).expect("serialises");
    std::fs::write(dir.path().join("fast.ron"), text).expect("write");
    let (code, err) = escalate(
        dir.path(),
        &["run", "fast.ron", "-n", "1", "--quiet", "--out", "out"],
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("rate_per_year"), "{err}");
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(left, vec![std::ffi::OsString::from("fast.ron")]);
}

#[test]
fn rates_each_allowed_but_too_many_operations_per_replicate_arm_are_refused() {
    let mut s = common::bundled("classroom");
    // Each rate is allowed; together they would draw well over the limit in a year.
    for c in &mut s.campaigns {
        c.rate_per_year = MAX_RATE_PER_YEAR;
    }
    let p = problems(&s);
    assert!(
        has(
            &p,
            "campaigns",
            &format!("at most {MAX_EVENTS_PER_RUN:.0} are accepted")
        ),
        "{p:?}"
    );
    // A tenth of the limit is fine.
    let per_campaign = MAX_EVENTS_PER_RUN / 10.0 / s.campaigns.len() as f64;
    for c in &mut s.campaigns {
        c.rate_per_year = per_campaign;
    }
    assert!(validate(&s).is_ok(), "{:?}", problems(&s));
}

#[test]
fn too_many_states_or_proxies_are_refused_before_the_costly_checks() {
    let mut s = common::bundled("classroom");
    let st = s.states[0].clone();
    for i in 0..300 {
        let mut x = st.clone();
        x.name = format!("S{i}");
        s.states.push(x);
    }
    let p = problems(&s);
    assert!(
        has(&p, "states", &format!("at most {MAX_STATES} are accepted")),
        "{p:?}"
    );

    let mut s = common::bundled("proxy_heavy");
    let px = s.proxies[0].clone();
    for i in 0..100_000 {
        let mut x = px.clone();
        x.name = format!("P{i}");
        s.proxies.push(x);
    }
    let p = problems(&s);
    assert!(
        has(
            &p,
            "proxies",
            &format!("at most {MAX_EXECUTORS} are accepted")
        ),
        "{p:?}"
    );
}

#[test]
fn many_misspelt_names_give_a_short_message() {
    // 10,000 campaigns naming executors that do not exist: each is a problem with a did-you-mean
    // against every known executor, and the message lists the first few only.
    let mut s = common::bundled("classroom");
    let c = s.campaigns[0].clone();
    for i in 0..10_000 - s.campaigns.len() {
        let mut x = c.clone();
        x.executor = Some(format!("Sandfy{i}"));
        s.campaigns.push(x);
    }
    let dir = tempfile::tempdir().expect("tmp");
    let text = resolved_ron(&s).expect("serialises");
    std::fs::write(dir.path().join("typos.ron"), text).expect("write");
    let (code, err) = escalate(dir.path(), &["validate", "typos.ron"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("\"Sandfy0\"; did you mean \"Sandfly\"?"),
        "{err}"
    );
    assert!(err.contains(": 9996 problems found"), "{err}");
    let listed = err.matches("\n  - ").count();
    assert_eq!(listed, MAX_LISTED_PROBLEMS + 1, "{err}");
    assert!(
        err.contains(&format!(
            "… and {} more problems not listed",
            9996 - MAX_LISTED_PROBLEMS
        )),
        "{err}"
    );
}

#[test]
fn a_long_name_is_refused_without_a_slow_did_you_mean() {
    let mut s = common::bundled("classroom");
    s.campaigns[0].target = "x".repeat(200_000);
    s.states[1].name = "y".repeat(MAX_NAME_CHARS + 1);
    let p = problems(&s);
    assert!(
        has(
            &p,
            "states[1].name",
            &format!("a name has at most {MAX_NAME_CHARS}")
        ),
        "{p:?}"
    );
    // Within the name limit, a long misspelt name still gets its answer (no did-you-mean).
    let mut s = common::bundled("classroom");
    s.campaigns[0].target = "x".repeat(200_000);
    let p = problems(&s);
    assert!(
        p.iter()
            .any(|p| p.starts_with("campaigns[0].target: unknown state")),
        "{p:?}"
    );
}

#[test]
fn an_error_on_a_huge_line_does_not_echo_it() {
    let dir = tempfile::tempdir().expect("tmp");
    // A syntax error at the end of a 1 MB line.
    let text = format!(
        "Scenario(name: \"{}\", horizon_days: 60.5)",
        "n".repeat(1_000_000)
    );
    std::fs::write(dir.path().join("long.ron"), text).expect("write");
    let (code, err) = escalate(dir.path(), &["validate", "long.ron"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.len() < 5_000, "{} bytes of stderr", err.len());
    assert!(err.contains('…'), "{err}");
}

/// The classroom scenario over a century with a 255-rung ladder: each of its 4 arms keeps a timeline
/// of 255 rungs × 36,525 days (about 1.2 GB in all at its peak).
fn century_ladder() -> Scenario {
    let mut s = common::bundled("classroom");
    s.horizon_days = 36_525;
    let top = s.ladder.rungs.last().expect("rungs").clone();
    let mut i = 0;
    while s.ladder.rungs.len() < 255 {
        let mut r = top.clone();
        r.name = format!("beyond {i}");
        r.score += 1.0 + i as f64;
        s.ladder.rungs.push(r);
        i += 1;
    }
    s
}

#[test]
fn a_run_estimated_above_the_memory_limit_is_refused_with_the_flag_that_raises_it() {
    let s = century_ladder();
    assert!(validate(&s).is_ok(), "{:?}", problems(&s));
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(
        dir.path().join("century.ron"),
        resolved_ron(&s).expect("ron"),
    )
    .expect("write");
    let (code, err) = escalate(
        dir.path(),
        &[
            "run",
            "century.ron",
            "-n",
            "1",
            "--quiet",
            "--out",
            "out",
            "--max-memory",
            "0.5",
        ],
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("--max-memory: this run would need about"),
        "{err}"
    );
    assert!(err.contains("more than the limit of 0.5 GiB"), "{err}");
    assert!(err.contains("raise the limit with --max-memory"), "{err}");
    assert!(!dir.path().join("out").exists());
    // A limit that is not a size is refused as such.
    let (code, err) = escalate(
        dir.path(),
        &["run", "century.ron", "--max-memory", "-3", "--quiet"],
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("-3 is not a size"), "{err}");
}

#[test]
fn a_find_over_many_seeds_is_bounded_by_the_same_limit() {
    let dir = tempfile::tempdir().expect("tmp");
    let (code, err) = escalate(
        dir.path(),
        &[
            "demo",
            "--find",
            "kinetic-without-channels-only",
            "--max-seeds",
            "1000",
            "--max-memory",
            "0.0001",
        ],
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--max-memory: this run would need"), "{err}");
}

/// A fresh result folder of the classroom scenario (a few replicates), in `dir`/r.
fn small_result(dir: &Path) -> std::path::PathBuf {
    let (code, err) = escalate(
        dir,
        &[
            "run",
            "builtin:classroom",
            "-n",
            "20",
            "--quiet",
            "--out",
            "r",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    dir.join("r")
}

#[test]
fn plot_refuses_sizes_no_run_could_write_and_files_that_are_not_files() {
    let dir = tempfile::tempdir().expect("tmp");
    let r = small_result(dir.path());
    let summary = std::fs::read_to_string(r.join("summary.json")).expect("summary");
    // A horizon of 2^32 − 1 days would make the plots allocate 100 GB.
    let huge = summary.replacen("\"horizon_days\": 365", "\"horizon_days\": 4294967295", 1);
    assert_ne!(huge, summary, "the horizon was found");
    std::fs::write(r.join("summary.json"), &huge).expect("write");
    let (code, err) = escalate(dir.path(), &["plot", "r", "--quiet"]);
    assert_eq!(
        code,
        Some(2),
        "a summary.json escalate did not write is bad input: {err}"
    );
    assert!(
        err.contains("horizon_days is 4294967295, more than a scenario may have (36525)"),
        "{err}"
    );
    std::fs::write(r.join("summary.json"), &summary).expect("write");
    #[cfg(unix)]
    {
        // timeline.csv replaced by a link to an endless device.
        std::fs::remove_file(r.join("timeline.csv")).expect("rm");
        std::os::unix::fs::symlink("/dev/zero", r.join("timeline.csv")).expect("symlink");
        let (code, err) = escalate(dir.path(), &["plot", "r", "--quiet"]);
        assert_ne!(code, Some(0), "{err}");
        assert!(err.contains("timeline.csv is not a regular file"), "{err}");
    }
}

// ---------------------------------------------------------------------------------------------
// Messages: what was found, where, and what would be valid.

/// Validates the classroom scenario with `from` replaced by `to`; returns (exit code, stderr).
fn validate_edit(from: &str, to: &str) -> (Option<i32>, String) {
    let text = std::fs::read_to_string(common::repo().join("scenarios/classroom.ron"))
        .expect("classroom.ron");
    assert!(text.contains(from), "{from} is in classroom.ron");
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(dir.path().join("x.ron"), text.replacen(from, to, 1)).expect("write");
    escalate(dir.path(), &["validate", "x.ron"])
}

#[test]
fn a_number_where_an_integer_is_wanted_names_the_type_and_range() {
    for (value, said) in [
        ("60.5", "Expected comma"),
        ("1e12", "Invalid digit"),
        ("99999999999", "Integer is out of bounds"),
        ("-5", "Integer is out of bounds"),
    ] {
        let (code, err) = validate_edit("horizon_days: 365", &format!("horizon_days: {value}"));
        assert_eq!(code, Some(2), "{err}");
        assert!(err.contains(said), "{err}");
        assert!(
            err.contains(&format!(
                "`horizon_days` takes an integer, a whole number of days from 1 to 36525; found `{value}`"
            )),
            "{err}"
        );
    }
}

#[test]
fn a_rung_score_that_would_overflow_the_results_is_refused() {
    let (code, err) = validate_edit("score: 60,", "score: 1e308,");
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("ladder.rungs[8].score: 1e308 is out of range"),
        "{err}"
    );
    assert!(err.contains("from -1000000 to 1000000"), "{err}");
}

#[test]
fn arms_whose_names_share_a_slug_are_refused() {
    let (code, err) = validate_edit("name: \"hotline only\"", "name: \"With  Channels\"");
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("has the same short name \"with-channels\" as arm \"with channels\""),
        "{err}"
    );
}

#[test]
fn a_negative_count_says_it_must_be_a_positive_integer() {
    let dir = tempfile::tempdir().expect("tmp");
    for args in [
        &["run", "--replicates", "-1"][..],
        &["run", "-n", "0"][..],
        &["sweep", "x.ron", "--replicates", "-1"][..],
    ] {
        let (code, err) = escalate(dir.path(), args);
        assert_eq!(code, Some(2), "{err}");
        assert!(
            err.contains("must be a positive integer"),
            "{args:?}: {err}"
        );
        assert!(!err.contains("-- -1"), "{err}");
    }
}
