//! `escalate sweep` and `escalate merge`: errors before any run, shard / whole / resume equivalence
//! (byte-identical), flat memory, precision targets, Morris output.

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

mod common;

fn fixture(name: &str) -> PathBuf {
    common::repo().join("tests/fixtures/sweeps").join(name)
}

fn escalate() -> Command {
    Command::new(assert_cmd::cargo::cargo_bin!("escalate"))
}

/// Runs escalate with `args`, expecting success; returns stdout.
fn ok(args: &[&str]) -> String {
    let out = escalate().args(args).output().expect("run escalate");
    assert!(
        out.status.success(),
        "escalate {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs escalate with `args`, expecting exit code 2; returns stderr.
fn input_error(args: &[&str]) -> String {
    let out = escalate().args(args).output().expect("run escalate");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "escalate {args:?}: {err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

fn p(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

/// The files that must be identical however the sweep was run.
fn results_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("results folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|f| {
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            name == "sweep.csv"
                || name == "sweep.json"
                || name == "morris.csv"
                || name.ends_with(".svg")
        })
        .map(|f| {
            (
                f.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&f).unwrap(),
            )
        })
        .collect();
    files.sort();
    assert!(
        files.iter().any(|(n, _)| n == "sweep.csv"),
        "no sweep.csv in {}",
        dir.display()
    );
    files
}

fn assert_same_results(a: &Path, b: &Path) {
    let (ra, rb) = (results_of(a), results_of(b));
    let names = |r: &[(String, Vec<u8>)]| r.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&ra), names(&rb), "different files");
    for ((name, x), (_, y)) in ra.iter().zip(&rb) {
        assert!(
            x == y,
            "{name} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

#[test]
fn shards_merged_equal_the_whole_sweep_byte_for_byte_whatever_the_threads() {
    let t = tempfile::tempdir().unwrap();
    let sweep = fixture("slurm_small.ron");
    let whole = t.path().join("whole");
    ok(&["sweep", p(&sweep), "--out", p(&whole), "-q", "-j", "2"]);
    let csv = std::fs::read_to_string(whole.join("sweep.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 12 * 2, "one row per point × arm");
    let header = csv.lines().next().unwrap();
    for col in [
        "point",
        "attribution skill",
        "hotline reliability",
        "arm",
        "replicates",
        "crisis_lo",
        "diff_kinetic_hi",
    ] {
        assert!(
            header.split(',').any(|c| c.trim_matches('"') == col),
            "no column {col}"
        );
    }
    // The baseline arm's paired difference against itself is left empty; the other arm's is a number.
    let cols: Vec<&str> = header.split(',').collect();
    let diff = cols.iter().position(|c| *c == "diff_crisis").unwrap();
    let arm = cols.iter().position(|c| *c == "arm").unwrap();
    let first_arm = csv.lines().nth(1).unwrap().split(',').nth(arm).unwrap();
    for row in csv.lines().skip(1) {
        let f: Vec<&str> = row.split(',').collect();
        let baseline = f[arm] == first_arm;
        assert_eq!(f[diff].is_empty(), baseline, "diff_crisis in {row}");
        if !baseline {
            assert!(f[diff].parse::<f64>().is_ok(), "diff_crisis in {row}");
        }
    }
    // sweep.json lists each parameter's scenario paths, one entry per path.
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(whole.join("sweep.json")).unwrap()).unwrap();
    assert_eq!(
        json["parameters"][0]["paths"],
        serde_json::json!(["states[*].attribution.skill"])
    );

    let sharded = t.path().join("sharded");
    for i in 0..5 {
        ok(&[
            "sweep",
            p(&sweep),
            "--shard",
            &format!("{i}/5"),
            "--out",
            p(&sharded),
            "-q",
            "-j",
            "1",
        ]);
    }
    let merged = t.path().join("merged");
    ok(&["merge", p(&sharded), "--out", p(&merged), "-q"]);
    assert_same_results(&whole, &merged);

    let one_thread = t.path().join("one_thread");
    ok(&["sweep", p(&sweep), "--out", p(&one_thread), "-q", "-j", "1"]);
    assert_same_results(&whole, &one_thread);
}

#[test]
fn a_killed_sweep_resumes_to_the_identical_result_without_duplicating_points() {
    let t = tempfile::tempdir().unwrap();
    let sweep = fixture("slurm_small.ron");
    let reference = t.path().join("reference");
    ok(&[
        "sweep",
        p(&sweep),
        "--out",
        p(&reference),
        "-q",
        "-n",
        "600",
    ]);

    for signal in ["-KILL", "-TERM"] {
        let out = t.path().join(format!("killed{signal}"));
        let csv = out.join("shards/shard-0000-of-0001.csv");
        let child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("escalate"))
            .args([
                "sweep",
                p(&sweep),
                "--out",
                p(&out),
                "-q",
                "-n",
                "600",
                "-j",
                "1",
            ])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Wait until some points are saved, then stop the process.
        let started = (0..600).any(|_| {
            std::thread::sleep(Duration::from_millis(20));
            std::fs::read_to_string(&csv).is_ok_and(|t| t.lines().count() > 2 * 2)
        });
        assert!(started, "the sweep never saved a point");
        std::process::Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .unwrap();
        let output = child.wait_with_output().unwrap();
        let saved = std::fs::read_to_string(&csv).unwrap();
        let saved_points = saved
            .lines()
            .skip(1)
            .filter(|l| l.ends_with("with channels") || l.contains(",with channels,"))
            .count();
        assert!(
            (2..12).contains(&saved_points),
            "{signal}: {saved_points} points saved"
        );
        assert!(
            !out.join("sweep.csv").exists(),
            "{signal}: an unfinished sweep wrote merged results"
        );
        if signal == "-TERM" {
            assert_eq!(output.status.code(), Some(130));
            let err = String::from_utf8_lossy(&output.stderr);
            assert!(err.contains("--resume") && err.contains("points"), "{err}");
        } else {
            // A kill can land mid-write: simulate the worst case, half a row at the end.
            let mut f = std::fs::OpenOptions::new().append(true).open(&csv).unwrap();
            std::io::Write::write_all(&mut f, b"7,0.5,0.3,without chan").unwrap();
        }
        // Without --resume the folder is protected.
        let err = input_error(&["sweep", p(&sweep), "--out", p(&out), "-q", "-n", "600"]);
        assert!(err.contains("--resume") && err.contains("--force"), "{err}");
        ok(&[
            "sweep",
            p(&sweep),
            "--out",
            p(&out),
            "-q",
            "-n",
            "600",
            "--resume",
        ]);
        assert_same_results(&reference, &out);
        let rows = std::fs::read_to_string(out.join("shards/shard-0000-of-0001.csv")).unwrap();
        assert_eq!(
            rows.lines().count(),
            1 + 12 * 2,
            "{signal}: every point exactly once"
        );
    }
}

#[test]
fn resume_refuses_results_of_another_sweep_or_version() {
    let t = tempfile::tempdir().unwrap();
    let sweep = fixture("slurm_small.ron");
    let out = t.path().join("out");
    ok(&["sweep", p(&sweep), "--out", p(&out), "-q", "-n", "20"]);
    // Different settings: a different sweep.
    let err = input_error(&[
        "sweep",
        p(&sweep),
        "--out",
        p(&out),
        "-q",
        "-n",
        "30",
        "--resume",
    ]);
    assert!(
        err.contains("cannot be mixed") && err.contains("different sweep"),
        "{err}"
    );
    // Another version wrote the shard.
    let json = out.join("shards/shard-0000-of-0001.json");
    let text = std::fs::read_to_string(&json).unwrap();
    let text = text.replace(
        &format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION")),
        "\"version\": \"0.0.1\"",
    );
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["identity"] = "0000".into();
    std::fs::write(&json, v.to_string()).unwrap();
    let err = input_error(&[
        "sweep",
        p(&sweep),
        "--out",
        p(&out),
        "-q",
        "-n",
        "20",
        "--resume",
    ]);
    assert!(err.contains("escalate 0.0.1 wrote them"), "{err}");
    // A shard of the same folder from another sweep cannot be merged with it.
    let mixed = t.path().join("mixed");
    ok(&[
        "sweep",
        p(&sweep),
        "--shard",
        "0/2",
        "--out",
        p(&mixed),
        "-q",
        "-n",
        "20",
    ]);
    ok(&[
        "sweep",
        p(&sweep),
        "--shard",
        "1/2",
        "--out",
        p(&mixed),
        "-q",
        "-n",
        "25",
    ]);
    let err = input_error(&["merge", p(&mixed), "--out", p(&t.path().join("m")), "-q"]);
    assert!(err.contains("belong to different sweeps"), "{err}");
}

#[test]
fn merge_names_the_missing_points_and_shards() {
    let t = tempfile::tempdir().unwrap();
    let sweep = fixture("slurm_small.ron");
    let out = t.path().join("out");
    ok(&[
        "sweep",
        p(&sweep),
        "--shard",
        "1/3",
        "--out",
        p(&out),
        "-q",
        "-n",
        "20",
    ]);
    let err = input_error(&["merge", p(&out), "--out", p(&t.path().join("m")), "-q"]);
    assert!(err.contains("8 of 12 points are missing"), "{err}");
    assert!(err.contains("0/3") && err.contains("2/3"), "{err}");
    assert!(!t.path().join("m").exists(), "a failed merge wrote results");
    let err = input_error(&["merge", p(t.path()), "-q"]);
    assert!(err.contains("not a sweep folder"), "{err}");
}

#[test]
fn bad_sweep_files_are_clear_errors_before_any_run() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("never");
    let run = |name: &str| {
        input_error(&[
            "sweep",
            p(&fixture(&format!("bad/{name}.ron"))),
            "--out",
            p(&out),
            "-q",
        ])
    };
    let e = run("unknown_path");
    assert!(
        e.contains("unknown_path.ron") && e.contains("parameters[0].set[0]"),
        "{e}"
    );
    assert!(e.contains("did you mean `attribution`"), "{e}");
    assert!(
        e.contains("states[US].atribution.skill\n") && e.contains("           ^"),
        "caret under the field: {e}"
    );
    let e = run("unknown_element");
    assert!(
        e.contains("no element named `hotlne`") && e.contains("did you mean `hotline`"),
        "{e}"
    );
    let e = run("out_of_range");
    assert!(
        e.contains("design point") && e.contains("detection = 1.5") && e.contains(".detection"),
        "{e}"
    );
    let e = run("empty_design");
    assert!(e.contains("design.samples") && e.contains("empty"), "{e}");
    let e = run("empty_list");
    assert!(
        e.contains("parameters[0].values") && e.contains("empty"),
        "{e}"
    );
    let e = run("not_a_number");
    assert!(e.contains("only numbers can be swept"), "{e}");
    let e = run("syntax");
    assert!(e.contains("syntax.ron:4:") && e.contains('^'), "{e}");
    let e = run("unknown_arm");
    for want in [
        "arms[1]",
        "did you mean \"hotline only\"",
        "outcome",
        "did you mean \"crisis\"",
        "design.trajectories",
        "design.levels",
    ] {
        assert!(e.contains(want), "missing {want:?} in {e}");
    }
    assert!(!out.exists(), "an invalid sweep created its output folder");
    for bad in ["3", "3/3", "a/4", "1/0", "-1/4"] {
        let e = input_error(&[
            "sweep",
            p(&fixture("slurm_small.ron")),
            &format!("--shard={bad}"),
            "--out",
            p(&out),
            "-q",
        ]);
        assert!(
            e.contains("--shard") && e.contains("0 ≤ I < N"),
            "{bad}: {e}"
        );
    }
    // A folder that is not a sweep folder is never written into, even with --force.
    std::fs::write(t.path().join("precious.txt"), "keep me").unwrap();
    let e = input_error(&[
        "sweep",
        p(&fixture("slurm_small.ron")),
        "--out",
        p(t.path()),
        "--force",
        "-q",
    ]);
    assert!(e.contains("is not a sweep folder"), "{e}");
    assert!(t.path().join("precious.txt").exists());
}

#[test]
fn many_points_keep_memory_flat() {
    // 600 points × 20 replicates × 2 arms: every point's aggregate is dropped once written.
    let t = tempfile::tempdir().unwrap();
    let file = t.path().join("many.ron");
    std::fs::write(
        &file,
        r#"Sweep(name: "many", scenario: "builtin:us_russia_2016", seed: 3, replicates: 20,
             arms: ["without channels", "with channels"],
             parameters: [
               Parameter(name: "skill", set: ["states[*].attribution.skill"], values: Range(min: 0.1, max: 0.9)),
               Parameter(name: "reliability", set: ["measures.channels[hotline].reliability"], values: Range(min: 0.0, max: 1.0)),
             ],
             design: LatinHypercube(samples: SAMPLES))"#
            .replace("SAMPLES", "600"),
    )
    .unwrap();
    let out = t.path().join("out");
    ok(&["sweep", p(&file), "--out", p(&out), "-q", "-j", "2"]);
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    let rss = manifest["peak_rss_bytes"]
        .as_u64()
        .expect("peak RSS recorded on Linux");
    // Bound: the binary, two workers' simulators and a few points in flight fit in well under
    // 100 MB; holding every point's aggregate (about 0.3 MB each here) would pass 180 MB.
    assert!(rss < 100 << 20, "peak RSS {} MB", rss >> 20);
    let rows = std::fs::read_to_string(out.join("sweep.csv"))
        .unwrap()
        .lines()
        .count();
    assert_eq!(rows, 1 + 600 * 2);
}

#[test]
fn precision_adds_replicates_until_the_interval_is_narrow_enough() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("out");
    let sweep = fixture("slurm_small.ron");
    ok(&[
        "sweep",
        p(&sweep),
        "--out",
        p(&out),
        "-q",
        "-n",
        "100",
        "--precision",
        "0.04",
        "--max-replicates",
        "1000",
    ]);
    let mut r = csv::Reader::from_path(out.join("sweep.csv")).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    let (reps, lo, hi, dlo, dhi) = (
        col("replicates"),
        col("crisis_lo"),
        col("crisis_hi"),
        col("diff_crisis_lo"),
        col("diff_crisis_hi"),
    );
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let mut used = std::collections::BTreeSet::new();
    for pair in rows.chunks(2) {
        let n: u64 = pair[0][reps].parse().unwrap();
        assert_eq!(
            n,
            pair[1][reps].parse::<u64>().unwrap(),
            "both arms of a point use the same replicates"
        );
        assert!(n.is_multiple_of(100) && (100..=1000).contains(&n), "{n}");
        let f = |row: &csv::StringRecord, c: usize| row[c].parse::<f64>().unwrap();
        let widest = pair
            .iter()
            .map(|row| f(row, hi) - f(row, lo))
            .chain([f(&pair[1], dhi) - f(&pair[1], dlo)])
            .fold(0.0, f64::max);
        assert!(
            widest < 0.04 || n == 1000,
            "point stopped at {n} with width {widest}"
        );
        used.insert(n);
    }
    // The rule stops at the first batch that is enough: the same points with one batch fewer (the
    // same replicates, by construction) were not narrow enough; and with exactly n replicates fixed,
    // the rows are identical to the adaptive run's.
    for &n in &used {
        let fixed = t.path().join(format!("fixed{n}"));
        ok(&[
            "sweep",
            p(&sweep),
            "--out",
            p(&fixed),
            "-q",
            "-n",
            &n.to_string(),
        ]);
        let same = std::fs::read_to_string(fixed.join("sweep.csv")).unwrap();
        let adaptive = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
        let rows_at = |text: &str| -> Vec<String> {
            text.lines()
                .filter(|l| l.split(',').nth(4) == Some(n.to_string().as_str()))
                .map(String::from)
                .collect()
        };
        let a = rows_at(&adaptive);
        assert!(!a.is_empty());
        let f = rows_at(&same);
        assert!(
            a.iter().all(|row| f.contains(row)),
            "adaptive rows at n = {n} differ from a fixed run of {n}"
        );
        if n > 100 {
            let fewer = t.path().join(format!("fewer{n}"));
            ok(&[
                "sweep",
                p(&sweep),
                "--out",
                p(&fewer),
                "-q",
                "-n",
                &(n - 100).to_string(),
            ]);
            let mut r = csv::Reader::from_path(fewer.join("sweep.csv")).unwrap();
            let fewer_rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
            for pair in fewer_rows.chunks(2) {
                let point = &pair[0][0];
                if !a.iter().any(|row| row.split(',').next() == Some(point)) {
                    continue;
                }
                let g = |row: &csv::StringRecord, c: usize| row[c].parse::<f64>().unwrap();
                let widest = pair
                    .iter()
                    .map(|row| g(row, hi) - g(row, lo))
                    .chain([g(&pair[1], dhi) - g(&pair[1], dlo)])
                    .fold(0.0, f64::max);
                assert!(
                    widest >= 0.04,
                    "point {point} was narrow enough at {} replicates",
                    n - 100
                );
            }
        }
    }
    let json = std::fs::read_to_string(out.join("sweep.json")).unwrap();
    assert!(
        json.contains("\"precision\": [\n    0.04,\n    1000\n  ]"),
        "{json}"
    );
}

#[test]
fn morris_screen_writes_elementary_effects_per_parameter_and_target() {
    let t = tempfile::tempdir().unwrap();
    let file = t.path().join("morris.ron");
    std::fs::write(
        &file,
        r#"Sweep(name: "m", scenario: "builtin:us_russia_2016", seed: 5, replicates: 100,
             arms: ["without channels", "with channels"],
             parameters: [
               Parameter(name: "skill", set: ["states[*].attribution.skill"], values: Range(min: 0.1, max: 0.9)),
               Parameter(name: "rate", set: ["campaigns[RUS->US].rate_per_year"], values: Range(min: 2, max: 30)),
               Parameter(name: "unused", set: ["dynamics.lie_trust_loss"], values: Range(min: 0.4, max: 0.6)),
             ],
             design: Morris(trajectories: 6, levels: 4))"#,
    )
    .unwrap();
    let out = t.path().join("out");
    ok(&["sweep", p(&file), "--out", p(&out), "-q"]);
    let rows = std::fs::read_to_string(out.join("sweep.csv"))
        .unwrap()
        .lines()
        .count();
    assert_eq!(
        rows,
        1 + 6 * 4 * 2,
        "trajectories × (parameters + 1) points × arms"
    );
    let mut r = csv::Reader::from_path(out.join("morris.csv")).unwrap();
    let recs: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(recs.len(), 3 * 3, "(2 arms + 1 difference) × 3 parameters");
    let effect = |target_prefix: &str, param: &str| -> f64 {
        recs.iter()
            .find(|x| x[0].starts_with(target_prefix) && &x[1] == param)
            .map(|x| {
                assert_eq!(&x[5], "6", "one effect per trajectory");
                x[3].parse().unwrap()
            })
            .unwrap()
    };
    // Fifteen times the operations must matter more for P(crisis) than a parameter that only acts
    // when a lie is discovered.
    let rate = effect("P(crisis) — without channels", "rate");
    let unused = effect("P(crisis) — without channels", "unused");
    assert!(
        rate > 0.02 && rate > 3.0 * unused,
        "μ* rate {rate}, unused {unused}"
    );
}

#[test]
fn bundled_sweeps_are_valid() {
    let dir = common::repo().join("scenarios/sweeps");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let f = e.unwrap().path();
        if f.extension().is_some_and(|x| x == "ron") {
            let s = escalate::sweep::load::load_sweep(&f, &Default::default())
                .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            assert!(!s.points.is_empty());
            n += 1;
        }
    }
    assert!(n >= 3, "at least the three bundled sweeps");
}

#[test]
fn the_readme_sweep_example_is_a_valid_sweep() {
    let readme = std::fs::read_to_string(common::repo().join("README.md")).unwrap();
    let section = &readme[readme
        .find("## Parameter sweeps")
        .expect("a sweeps section")..];
    let start = section.find("```ron\n").expect("a RON example") + "```ron\n".len();
    let text = &section[start..start + section[start..].find("```").unwrap()];
    let s = escalate::sweep::load::parse_sweep(
        "README.md",
        text,
        &common::repo().join("scenarios/sweeps"),
        &Default::default(),
    )
    .unwrap_or_else(|e| panic!("the README's sweep example: {e}"));
    assert_eq!(s.points.len(), 25);
    assert_eq!(
        s.arm_names,
        ["without channels", "hotline only", "with channels"]
    );
}

#[test]
fn a_whole_run_resumed_in_a_sharded_folder_runs_only_the_missing_points() {
    let t = tempfile::tempdir().unwrap();
    let sweep = fixture("slurm_small.ron");
    let whole = t.path().join("whole");
    ok(&["sweep", p(&sweep), "--out", p(&whole), "-q", "-n", "40"]);
    // A cluster run where shard 2 of 3 failed: finish it locally with one resumed whole run.
    let out = t.path().join("cluster");
    for i in [0, 1] {
        ok(&[
            "sweep",
            p(&sweep),
            "--shard",
            &format!("{i}/3"),
            "--out",
            p(&out),
            "-q",
            "-n",
            "40",
        ]);
    }
    let err = escalate()
        .args(["sweep", p(&sweep), "--out", p(&out), "-n", "40", "--resume"])
        .output()
        .unwrap();
    assert!(err.status.success());
    let msg = String::from_utf8_lossy(&err.stderr);
    assert!(msg.contains("8 of 12 points were already done"), "{msg}");
    assert_same_results(&whole, &out);
    let own = std::fs::read_to_string(out.join("shards/shard-0000-of-0001.csv")).unwrap();
    assert_eq!(
        own.lines().count(),
        1 + 4 * 2,
        "only the 4 missing points were run"
    );
}

#[test]
fn resume_starts_a_shard_killed_before_its_header_afresh() {
    let t = tempfile::tempdir().unwrap();
    let sweep = fixture("slurm_small.ron");
    let out = t.path().join("out");
    ok(&[
        "sweep",
        p(&sweep),
        "--shard",
        "0/2",
        "--out",
        p(&out),
        "-q",
        "-n",
        "20",
    ]);
    let csv = out.join("shards/shard-0000-of-0002.csv");
    let sorted = |text: String| {
        let mut lines: Vec<String> = text.lines().map(String::from).collect();
        lines.sort();
        lines
    };
    let reference = std::fs::read_to_string(&csv).unwrap();
    for damage in ["missing", "half a header"] {
        if damage == "missing" {
            std::fs::remove_file(&csv).unwrap();
        } else {
            std::fs::write(&csv, &reference.as_bytes()[..10]).unwrap();
        }
        ok(&[
            "sweep",
            p(&sweep),
            "--shard",
            "0/2",
            "--out",
            p(&out),
            "-q",
            "-n",
            "20",
            "--resume",
        ]);
        // Rows are in completion order; the same rows, each once.
        let again = sorted(std::fs::read_to_string(&csv).unwrap());
        assert!(
            again == sorted(reference.clone()),
            "{damage}: different rows"
        );
    }
}

#[test]
fn sweep_plots_follow_the_design_and_escalate_plot_redraws_them_identically() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("grid");
    ok(&[
        "sweep",
        p(&fixture("slurm_small.ron")),
        "--out",
        p(&out),
        "-q",
        "-n",
        "30",
    ]);
    for f in ["sweep_heatmaps.png", "sweep_heatmaps.svg"] {
        assert!(
            out.join(f).is_file(),
            "a two-parameter grid draws heat-maps: no {f}"
        );
    }
    let svg = std::fs::read(out.join("sweep_heatmaps.svg")).unwrap();
    let text = String::from_utf8_lossy(&svg);
    for want in [
        "attribution skill",
        "hotline reliability",
        "without channels",
        "with channels",
        "slurm_small",
    ] {
        assert!(
            text.contains(want),
            "the heat-map SVG does not name {want:?}"
        );
    }
    std::fs::remove_file(out.join("sweep_heatmaps.svg")).unwrap();
    std::fs::remove_file(out.join("sweep_heatmaps.png")).unwrap();
    std::fs::remove_dir_all(out.join("shards")).unwrap();
    let said = ok(&["plot", p(&out)]);
    assert!(said.contains("sweep plot files redrawn"), "{said}");
    assert!(
        std::fs::read(out.join("sweep_heatmaps.svg")).unwrap() == svg,
        "redrawn SVG differs"
    );
    assert!(out.join("sweep_heatmaps.png").is_file());

    // One parameter: the outcome against it.
    let file = t.path().join("one.ron");
    std::fs::write(
        &file,
        r#"Sweep(name: "one", scenario: "builtin:us_russia_2016", replicates: 30,
             arms: ["without channels", "with channels"],
             parameters: [Parameter(name: "skill", set: ["states[*].attribution.skill"], values: Range(min: 0.2, max: 0.8, levels: 3))],
             design: Grid)"#,
    )
    .unwrap();
    let one = t.path().join("one");
    ok(&["sweep", p(&file), "--out", p(&one), "-q"]);
    assert!(one.join("sweep_outcome.svg").is_file() && one.join("sweep_outcome.png").is_file());

    // An edited sweep.json without arms is a clear error, not a panic.
    let json = std::fs::read_to_string(one.join("sweep.json")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v["arms"] = serde_json::json!([]);
    std::fs::write(one.join("sweep.json"), v.to_string()).unwrap();
    let err = input_error(&["plot", p(&one)]);
    assert!(
        err.contains("sweep.json") && err.contains("no arms"),
        "{err}"
    );
    std::fs::write(one.join("sweep.json"), json).unwrap();

    // A damaged sweep.csv is a clear error naming the file, not a panic.
    std::fs::write(one.join("sweep.csv"), "point,skill\n0,abc\n").unwrap();
    let err = input_error(&["plot", p(&one)]);
    assert!(err.contains("sweep.csv"), "{err}");
}

#[test]
fn parameters_left_out_of_the_resolved_scenario_at_their_default_can_be_swept() {
    // The resolved default scenario does not write them (its identity is unchanged by their
    // addition), yet a sweep finds and sets them.
    let resolved = escalate::scenario::load::resolved_ron(&common::default_scenario()).unwrap();
    for field in ["spiral_confidence", "overreach", "notification_reliability"] {
        assert!(!resolved.contains(field), "{field} left out at its default");
    }
    let text = r#"Sweep(
        name: "new_parameters",
        scenario: "builtin:us_russia_2016",
        replicates: 10,
        parameters: [
            Parameter(name: "spiral", set: ["dynamics.spiral_confidence"], values: List([0.5])),
            Parameter(name: "overreach", set: ["proxies[CyberBerkut].overreach"], values: List([3])),
            Parameter(name: "notify", set: ["measures.agreements[0].notification_reliability"],
                      values: List([0.25])),
        ],
        design: Grid,
    )"#;
    let s = escalate::sweep::load::parse_sweep("new", text, Path::new("."), &Default::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let c = s.compiled_at(0).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(c.scenario.dynamics.spiral_confidence, 0.5);
    assert_eq!(c.scenario.proxies[0].overreach, 3);
    assert_eq!(
        c.scenario.measures.agreements[0].notification_reliability,
        0.25
    );
}
