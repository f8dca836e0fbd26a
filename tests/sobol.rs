//! The `sobol` sweep design: shards merged equal the whole run byte for byte, a parameter the model
//! ignores gets indices whose intervals include 0 (and the ones it uses do not), and bad Sobol'
//! specifications are clear errors with their locations, before anything runs.

use assert_cmd::Command;
use std::path::Path;

mod common;

fn escalate() -> Command {
    Command::new(assert_cmd::cargo::cargo_bin!("escalate"))
}

fn p(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
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

/// Runs escalate with `args`, expecting exit code 2 (bad input); returns stderr.
fn input_error(args: &[&str]) -> String {
    let out = escalate().args(args).output().expect("run escalate");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "escalate {args:?}: {err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

/// A small Sobol' sweep: the Russian operation rate (which drives everything) and the CERT-to-CERT
/// link's evidence weight, a parameter of a measure neither compared arm holds (so the model ignores
/// it). 16 rows × 4 points × 60 replicates × 2 arms: well under a second in release.
const SMALL: &str = r#"Sweep(
    name: "sobol_small",
    scenario: "builtin:us_russia_2016",
    seed: 7,
    replicates: 60,
    arms: ["without channels", "hotline only"],
    outcome: "highest_rung",
    parameters: [
        Parameter(name: "rate", set: ["campaigns[RUS->US].rate_per_year"], values: Range(min: 2, max: 40)),
        Parameter(name: "ignored", set: ["measures.channels[CERT-to-CERT].evidence_weight"], values: Range(min: 0, max: 1)),
    ],
    design: Sobol(samples: 16, bootstrap: 400),
)"#;

/// The files that must be identical however the sweep was run.
fn results_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("results folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|f| f.is_file())
        .filter(|f| f.file_name().is_some_and(|n| n != "manifest.json"))
        .map(|f| {
            (
                f.file_name()
                    .expect("a file name")
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(&f).expect("reads"),
            )
        })
        .collect();
    files.sort();
    files
}

struct Row {
    target: String,
    parameter: String,
    s1: [f64; 3],
    st: [f64; 3],
    st_reading: String,
}

fn sobol_rows(dir: &Path) -> Vec<Row> {
    let mut r = csv::Reader::from_path(dir.join("sobol.csv")).expect("sobol.csv");
    let h = r.headers().expect("a header").clone();
    let col = |name: &str| h.iter().position(|c| c == name).expect(name);
    let (target, parameter, reading) = (col("column"), col("parameter"), col("st_reading"));
    let num =
        |rec: &csv::StringRecord, name: &str| -> f64 { rec[col(name)].parse().expect("a number") };
    r.records()
        .map(|rec| {
            let rec = rec.expect("a record");
            Row {
                target: rec[target].to_string(),
                parameter: rec[parameter].to_string(),
                s1: [num(&rec, "s1"), num(&rec, "s1_lo"), num(&rec, "s1_hi")],
                st: [num(&rec, "st"), num(&rec, "st_lo"), num(&rec, "st_hi")],
                st_reading: rec[reading].to_string(),
            }
        })
        .collect()
}

#[test]
fn two_shards_merged_equal_the_whole_sobol_sweep_byte_for_byte() {
    let t = tempfile::tempdir().expect("a temporary folder");
    let file = t.path().join("small.ron");
    std::fs::write(&file, SMALL).expect("writes");
    let whole = t.path().join("whole");
    let stdout = ok(&["sweep", p(&file), "--out", p(&whole), "-j", "2"]);
    assert!(
        stdout.contains("Sobol' indices of highest rung") || stdout.contains("Sobol' indices of"),
        "the terminal summary gives the indices: {stdout}"
    );
    assert!(stdout.contains("sobol.csv, sobol.md"), "{stdout}");
    let csv = std::fs::read_to_string(whole.join("sweep.csv")).expect("sweep.csv");
    assert_eq!(
        csv.lines().count(),
        1 + 16 * (2 + 2) * 2,
        "N × (k + 2) points × arms"
    );
    for f in ["sobol.csv", "sobol.md", "sobol.png", "sobol.svg", "DATA.md"] {
        assert!(whole.join(f).is_file(), "{f}");
    }
    // DATA.md describes the design's own files and every column of sobol.csv.
    let dictionary = std::fs::read_to_string(whole.join("DATA.md")).expect("DATA.md");
    for f in ["`sobol.csv`", "`sobol.md`", "`sobol.png`"] {
        assert!(dictionary.contains(f), "DATA.md describes {f}");
    }
    let mut r = csv::Reader::from_path(whole.join("sobol.csv")).expect("sobol.csv");
    for col in r.headers().expect("a header") {
        assert!(dictionary.contains(&format!("`{col}`")), "sobol.csv: {col}");
    }
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(whole.join("sweep.json")).expect("sweep.json"),
    )
    .expect("JSON");
    assert_eq!(json["design"], "sobol");
    assert_eq!(
        json["sobol"],
        serde_json::json!({"samples": 16, "bootstrap": 400})
    );

    let sharded = t.path().join("sharded");
    for i in 0..2 {
        ok(&[
            "sweep",
            p(&file),
            "--shard",
            &format!("{i}/2"),
            "--out",
            p(&sharded),
            "-q",
            "-j",
            "1",
        ]);
    }
    let merged = t.path().join("merged");
    ok(&["merge", p(&sharded), "--out", p(&merged), "-q"]);
    let (a, b) = (results_of(&whole), results_of(&merged));
    let names = |r: &[(String, Vec<u8>)]| r.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b));
    assert!(names(&a).contains(&"sobol.csv".to_string()));
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{name} differs between the whole run and the merge");
    }

    // `escalate plot` redraws the Sobol' plot from the saved files alone, identically.
    let svg = std::fs::read(whole.join("sobol.svg")).expect("the SVG");
    std::fs::remove_file(whole.join("sobol.svg")).expect("removes");
    ok(&["plot", p(&whole), "-q"]);
    assert_eq!(
        std::fs::read(whole.join("sobol.svg")).expect("redrawn"),
        svg
    );
}

#[test]
fn a_parameter_the_model_ignores_gets_indices_whose_intervals_include_zero() {
    let t = tempfile::tempdir().expect("a temporary folder");
    let file = t.path().join("small.ron");
    std::fs::write(&file, SMALL).expect("writes");
    let out = t.path().join("out");
    ok(&["sweep", p(&file), "--out", p(&out), "-q"]);
    let rows = sobol_rows(&out);
    // Two arms' outcomes and one paired difference, two parameters each.
    assert_eq!(rows.len(), 3 * 2);
    let ignored: Vec<&Row> = rows.iter().filter(|r| r.parameter == "ignored").collect();
    assert_eq!(
        ignored.len(),
        3,
        "each arm's outcome and the paired difference"
    );
    for r in ignored {
        assert!(
            r.st[1] <= 0.0 && 0.0 <= r.st[2],
            "{}: ST of the ignored parameter {:?}",
            r.target,
            r.st
        );
        assert!(
            r.s1[1] <= 0.0 && 0.0 <= r.s1[2],
            "{}: S1 of the ignored parameter {:?}",
            r.target,
            r.s1
        );
        assert_eq!(r.st_reading, "zero", "{}", r.target);
    }
    // Not vacuous: in each arm, the parameter the model uses is clear of zero and explains most of
    // the variance.
    let rate: Vec<&Row> = rows
        .iter()
        .filter(|r| r.parameter == "rate" && r.target == "highest_rung")
        .collect();
    assert_eq!(rate.len(), 2);
    for r in rate {
        assert!(r.st[1] > 0.0 && r.st[0] > 0.5, "ST of rate: {:?}", r.st);
        assert_eq!(r.st_reading, "positive");
    }
    // The report says so in words, and does not call the ignored parameter a small positive effect.
    let md = std::fs::read_to_string(out.join("sobol.md")).expect("sobol.md");
    assert!(md.contains("most sensitive to **rate**"), "{md}");
    assert!(
        md.contains("No evidence of an effect (the interval of ST includes 0): ignored"),
        "{md}"
    );
    assert!(md.contains("noise share"), "{md}");
}

#[test]
fn bad_sobol_specifications_are_clear_errors_with_locations() {
    let t = tempfile::tempdir().expect("a temporary folder");
    let out = t.path().join("never");
    let run = |name: &str, text: String| {
        let file = t.path().join(format!("{name}.ron"));
        std::fs::write(&file, text).expect("writes");
        input_error(&["sweep", p(&file), "--out", p(&out), "-q"])
    };
    let e = run(
        "too_few",
        SMALL.replace(
            "Sobol(samples: 16, bootstrap: 400)",
            "Sobol(samples: 2, bootstrap: 20)",
        ),
    );
    assert!(
        e.contains("design.samples") && e.contains("at least 8"),
        "{e}"
    );
    assert!(
        e.contains("design.bootstrap") && e.contains("100 to 100000"),
        "{e}"
    );
    assert!(e.contains("too_few.ron:"), "the file and line: {e}");
    let e = run(
        "too_much",
        SMALL
            .replace(
                "Sobol(samples: 16, bootstrap: 400)",
                "Sobol(samples: 1000000)",
            )
            .replace("replicates: 60", "replicates: 20000"),
    );
    assert!(
        e.contains("design.samples")
            && e.contains("1000000 × (2 + 2) = 4000000 points × 20000 replicates")
            && e.contains("more than the 1000000000 accepted"),
        "{e}"
    );
    let e = run(
        "misspelt",
        SMALL.replace("Sobol(samples: 16, bootstrap: 400)", "Sobol(sample: 16)"),
    );
    assert!(e.contains("misspelt.ron:") && e.contains("samples"), "{e}");
    assert!(!out.exists(), "an invalid sweep created its output folder");
}

#[test]
fn the_bundled_sobol_screen_is_a_valid_sobol_design() {
    let f = common::repo().join("scenarios/sweeps/sobol_screen.ron");
    let s = escalate::sweep::load::load_sweep(&f, &Default::default())
        .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
    let k = s.spec.parameters.len();
    let escalate::sweep::spec::Design::Sobol { samples, .. } = s.spec.design else {
        panic!("sobol_screen.ron is a Sobol' design")
    };
    assert_eq!(s.points.len(), samples as usize * (k + 2));
    assert!((4..=8).contains(&k), "a handful of parameters: {k}");
}
