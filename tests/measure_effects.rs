//! The report's "What each measure carries" section: every arm's paired difference and its share of
//! the "with channels" difference, read back against summary.json's own numbers (computed here from
//! the raw JSON, not through the code that writes the report), and every measure of the scenario
//! listed with its parameters.

use std::process::Command;

/// `x` as the report writes a signed figure with `decimals` (U+2212 for minus, no sign for zero).
fn signed(x: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, x.abs());
    if s.chars().all(|c| c == '0' || c == '.') {
        s
    } else if x < 0.0 {
        format!("−{s}")
    } else {
        format!("+{s}")
    }
}

#[test]
fn the_report_gives_each_arms_share_of_the_channels_effect_from_the_summary() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("r");
    let o = Command::new(env!("CARGO_BIN_EXE_escalate"))
        .args(["run", "-n", "3000", "--seed", "7", "--quiet", "--out"])
        .arg(&out)
        .output()
        .expect("escalate starts");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let report = std::fs::read_to_string(out.join("report.md")).expect("report.md");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).expect("summary"))
            .expect("json");
    let section = report
        .split("## What each measure carries")
        .nth(1)
        .expect("the report has the section")
        .split("\n## ")
        .next()
        .expect("section text");
    let diffs = summary["paired_differences"]
        .as_array()
        .expect("differences");
    let value = |d: &serde_json::Value, metric: &str, key: &str| {
        d["metrics"][metric][key].as_f64().expect("a number")
    };
    let all = diffs
        .iter()
        .find(|d| d["arm"] == "with channels")
        .expect("a with-channels arm");
    // The default scenario's channels lower P(crisis) clearly at 3,000 replicates: a share exists.
    assert!(value(all, "crisis", "hi") < 0.0, "{all}");
    let mut checked = 0;
    for d in diffs {
        let arm = d["arm"].as_str().expect("arm name");
        let row = section
            .lines()
            .find(|l| l.starts_with(&format!("| {arm} |")))
            .unwrap_or_else(|| panic!("no row for {arm} in\n{section}"));
        let delta = format!(
            "{} pts [{}, {}]",
            signed(100.0 * value(d, "crisis", "value"), 1),
            signed(100.0 * value(d, "crisis", "lo"), 1),
            signed(100.0 * value(d, "crisis", "hi"), 1)
        );
        let delta = delta.replace('+', "");
        let share = 100.0 * value(d, "crisis", "value") / value(all, "crisis", "value");
        let share = format!("| {} % |", signed(share, 0).replace('+', ""));
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        assert!(
            cells.iter().any(|c| c.replace('+', "") == delta),
            "{arm}: expected {delta} in {row}"
        );
        assert!(row.contains(&share), "{arm}: expected {share} in {row}");
        checked += 1;
    }
    assert!(checked >= 2, "the default scenario has arms of its own");
    // Every measure of the scenario is listed with its parameters as assumptions.
    for measure in [
        "dialogue",
        "hotline",
        "CERT-to-CERT",
        "incidents agreement",
        "non-interference pledge",
    ] {
        assert!(
            section
                .lines()
                .any(
                    |l| l.starts_with(&format!("| {measure} |")) && l.contains("availability")
                        || l.starts_with(&format!("| {measure} |")) && l.contains("compliance")
                ),
            "{measure} is listed with its parameters in\n{section}"
        );
    }
}
