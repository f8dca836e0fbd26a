//! The data behind the plots is consistent with the summary, and reads back from the files alone.

use assert_cmd::Command;
use escalate::report::plotdata::PlotData;
use std::path::Path;

fn run(dir: &Path, scenario: Option<&str>, out: &str) {
    let mut c = Command::cargo_bin("escalate").expect("binary");
    c.current_dir(dir).arg("run");
    if let Some(s) = scenario {
        c.arg(Path::new(env!("CARGO_MANIFEST_DIR")).join(s));
    }
    c.args([
        "--replicates",
        "300",
        "--seed",
        "5",
        "--quiet",
        "--out",
        out,
    ])
    .assert()
    .success();
}

fn metric(d: &PlotData, key: &str, arm: usize) -> f64 {
    d.metrics
        .iter()
        .find(|m| m.metric.key() == key)
        .expect("metric")
        .by_arm[arm]
        .value
}

#[test]
fn plot_data_agrees_with_the_summary() {
    let dir = tempfile::tempdir().expect("temp dir");
    run(dir.path(), None, "r");
    let d = PlotData::load(&dir.path().join("r")).expect("loads");
    let reps = d.replicates;
    assert_eq!(reps, 300);
    let summary: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("r/summary.json")).expect("read"),
    )
    .expect("json");
    for (a, arm) in d.arms.iter().enumerate() {
        for (day, counts) in d.timeline[a].iter().enumerate() {
            assert_eq!(
                counts.iter().sum::<u64>(),
                reps,
                "{arm} day {day}: every replicate is on one rung"
            );
        }
        assert!(
            d.crisis_by_day[a].windows(2).all(|w| w[0] <= w[1]),
            "cumulative crises decrease"
        );
        assert!(
            d.kinetic_by_day[a]
                .iter()
                .zip(&d.crisis_by_day[a])
                .all(|(k, c)| k <= c),
            "kinetic without crisis"
        );
        let last = d.horizon_days as usize - 1;
        assert!(
            (d.crisis_by_day[a][last] as f64 / reps as f64 - metric(&d, "crisis", a)).abs() < 1e-12
        );
        assert!(
            (d.kinetic_by_day[a][last] as f64 / reps as f64 - metric(&d, "kinetic", a)).abs()
                < 1e-12
        );
        assert_eq!(d.highest_rung[a].iter().sum::<u64>(), reps);
        let mean_highest = d.highest_rung[a]
            .iter()
            .enumerate()
            .map(|(r, c)| (r as u64 * c) as f64)
            .sum::<f64>()
            / reps as f64;
        assert!((mean_highest - metric(&d, "highest_rung", a)).abs() < 1e-9);
        // The highest rung is the maximum over the run of the day-by-day rung... at least on the last day
        // no replicate is above its highest rung.
        let attributed: u64 = d.attribution[a].iter().flatten().sum();
        let mean_attr = summary["arms"][a]["metrics"]["ops_attributed"]["value"]
            .as_f64()
            .expect("metric");
        assert!(
            (attributed as f64 / reps as f64 - mean_attr).abs() < 1e-9,
            "{arm}: attribution matrix total"
        );
        let wrong: u64 = d.attribution[a]
            .iter()
            .enumerate()
            .flat_map(|(t, row)| {
                row.iter()
                    .enumerate()
                    .filter(move |(b, _)| *b != t)
                    .map(|(_, c)| *c)
            })
            .sum();
        let mean_mis = summary["arms"][a]["metrics"]["misattributions"]["value"]
            .as_f64()
            .expect("metric");
        assert!(
            (wrong as f64 / reps as f64 - mean_mis).abs() < 1e-9,
            "{arm}: off-diagonal = misattributions"
        );
        let responses: u64 = d.responses_by_trigger[a].iter().sum();
        let mean_resp = summary["arms"][a]["metrics"]["responses"]["value"]
            .as_f64()
            .expect("metric");
        assert!(
            (responses as f64 / reps as f64 - mean_resp).abs() < 1e-9,
            "{arm}: responses by trigger"
        );
    }
    // The day-by-day rung is not trivially zero: some replicate escalates in the baseline.
    assert!(d.timeline[0].iter().any(|c| c[0] < reps));
}

#[test]
fn loading_a_folder_that_is_not_a_result_gives_a_clear_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let err = PlotData::load(dir.path()).expect_err("not a result folder");
    assert!(
        format!("{err:#}").contains("not an escalate result folder"),
        "{err:#}"
    );
    std::fs::write(dir.path().join("summary.json"), "{\"scenario\": \"x\"}").expect("write");
    let err = PlotData::load(dir.path()).expect_err("no format");
    assert!(format!("{err:#}").contains("format"), "{err:#}");
    std::fs::write(
        dir.path().join("summary.json"),
        "{\"format\": \"escalate-results-0\"}",
    )
    .expect("write");
    let err = PlotData::load(dir.path()).expect_err("old format");
    assert!(format!("{err:#}").contains("escalate-results-0"), "{err:#}");
}

#[test]
fn a_damaged_csv_is_reported_with_its_file_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    run(dir.path(), Some("scenarios/classroom.ron"), "r");
    let path = dir.path().join("r/highest_rung.csv");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, text.replacen(",0,", ",zero,", 1)).expect("write");
    let err = PlotData::load(&dir.path().join("r")).expect_err("damaged");
    assert!(format!("{err:#}").contains("highest_rung.csv"), "{err:#}");
}

#[test]
fn summary_json_reads_back_into_the_type_that_wrote_it_byte_for_byte() {
    use escalate::report::summary::Summary;
    let dir = tempfile::tempdir().expect("temp dir");
    run(dir.path(), Some("scenarios/classroom.ron"), "r");
    let path = dir.path().join("r/summary.json");
    let text = std::fs::read_to_string(&path).expect("read");
    let s = Summary::load(&dir.path().join("r")).expect("reads");
    // Every number reads back exactly (serde_json's float_roundtrip), so the same type writes the
    // same bytes.
    assert!(
        s.to_json().expect("writes") == text,
        "summary.json does not round-trip"
    );
    assert_eq!(s.arms.len(), 4);
    assert!(!s.arms[0].calibration.attributed_incidents.is_empty());
}

#[test]
fn a_summary_missing_a_key_or_with_a_wrong_type_names_the_file_and_the_key() {
    let dir = tempfile::tempdir().expect("temp dir");
    run(dir.path(), None, "r");
    let r = dir.path().join("r");
    let path = r.join("summary.json");
    let text = std::fs::read_to_string(&path).expect("read");
    let mut v: serde_json::Value = serde_json::from_str(&text).expect("json");
    type Damage = fn(&mut serde_json::Value);
    let cases: [(&str, Damage, &[&str]); 7] = [
        (
            "top-level key missing",
            |v| {
                v.as_object_mut().expect("object").remove("horizon_days");
            },
            &["missing field `horizon_days`"],
        ),
        (
            "a metric missing",
            |v| {
                v["arms"][1]["metrics"]
                    .as_object_mut()
                    .expect("object")
                    .remove("kinetic");
            },
            &["missing metric `kinetic`"],
        ),
        (
            "a bound missing",
            |v| {
                v["paired_differences"][0]["metrics"]["crisis"]
                    .as_object_mut()
                    .expect("object")
                    .remove("hi");
            },
            &["missing field `hi`"],
        ),
        (
            "a wrong type",
            |v| v["seed"] = serde_json::json!("2016"),
            &["invalid type", "string \"2016\""],
        ),
        (
            "an arm's mechanism breakdown missing",
            |v| {
                v["arms"][2]
                    .as_object_mut()
                    .expect("object")
                    .remove("mechanisms");
            },
            &["has no \"mechanisms\""],
        ),
        (
            "an arm's pairs missing",
            |v| {
                v["arms"][0]
                    .as_object_mut()
                    .expect("object")
                    .remove("pairs");
            },
            &["has no \"pairs\""],
        ),
        (
            "a paired difference's mechanism breakdown missing",
            |v| {
                v["paired_differences"][0]
                    .as_object_mut()
                    .expect("object")
                    .remove("mechanisms");
            },
            &["has no \"mechanisms\""],
        ),
    ];
    for (what, damage, needles) in cases {
        let mut damaged = v.clone();
        damage(&mut damaged);
        std::fs::write(&path, serde_json::to_string_pretty(&damaged).expect("json"))
            .expect("write");
        let err = format!("{:#}", PlotData::load(&r).expect_err(what));
        assert!(err.contains("summary.json"), "{what}: {err}");
        for n in needles {
            assert!(err.contains(n), "{what}: {err}");
        }
    }
    // The undamaged file still loads (the cases above failed for their damage, not for the file).
    v["seed"] = serde_json::json!(2016);
    std::fs::write(&path, serde_json::to_string_pretty(&v).expect("json")).expect("write");
    PlotData::load(&r).expect("the file as written loads");
}

#[test]
fn a_summary_in_the_first_format_still_reads_back_without_the_newer_sections() {
    use escalate::report::summary::Summary;
    // A copy of results/published/classroom/summary.json as published in format 1.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/format1");
    let s = Summary::load(&dir).expect("reads");
    assert_eq!(s.format, "escalate-results-1");
    assert!(!s.arms.is_empty());
    assert!(s.arms.iter().all(|a| a.mechanisms.is_none()));
    assert!(s.paired_differences.iter().all(|d| d.mechanisms.is_none()));
    assert!(s.arms.iter().all(|a| a.pairs.is_none()));
}
