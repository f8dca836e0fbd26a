//! Plots and reports: written by `run`, valid PNG and SVG with real content, and redrawn
//! byte-identically by `escalate plot` from the saved files alone.

mod common;

use assert_cmd::Command;
use common::escalate_ok;
use std::path::Path;

const STEMS: [&str; 6] = [
    "escalation_over_time",
    "survival",
    "highest_rung",
    "outcomes",
    "attribution",
    "triggers",
];

fn run(dir: &Path, out: &str) {
    escalate_ok(
        dir,
        &[
            "run",
            "--replicates",
            "300",
            "--seed",
            "3",
            "--quiet",
            "--out",
            out,
        ],
    );
}

#[test]
fn run_writes_every_plot_as_valid_png_and_svg_with_content() {
    let dir = tempfile::tempdir().expect("temp dir");
    run(dir.path(), "r");
    let r = dir.path().join("r");
    for stem in STEMS {
        let png = std::fs::read(r.join(format!("{stem}.png"))).expect("png written");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{stem}.png is not a PNG");
        // A plot with text, axes and data compresses far less than a blank image of the same size.
        assert!(
            png.len() > 30_000,
            "{stem}.png is suspiciously small ({} bytes)",
            png.len()
        );
        let svg = std::fs::read_to_string(r.join(format!("{stem}.svg"))).expect("svg written");
        assert!(
            svg.contains("<svg") && svg.trim_end().ends_with("</svg>"),
            "{stem}.svg is not an SVG"
        );
        assert!(
            svg.contains("without channels"),
            "{stem}.svg does not name the arms"
        );
        assert!(
            svg.contains("us_russia_2016"),
            "{stem}.svg has no footer naming the scenario"
        );
        assert!(
            svg.matches("<text").count() > 10,
            "{stem}.svg has almost no text"
        );
    }
    let report = std::fs::read_to_string(r.join("report.md")).expect("report.md");
    for stem in STEMS {
        assert!(
            report.contains(&format!("({stem}.png)")),
            "report.md does not show {stem}"
        );
    }
    let html = std::fs::read_to_string(r.join("report.html")).expect("report.html");
    assert_eq!(
        html.matches("<svg").count(),
        STEMS.len(),
        "report.html must inline every plot"
    );
    assert!(
        !html.contains("http://") || html.contains("http://www.w3.org"),
        "report.html must not load anything from the network"
    );
    assert!(
        !html.contains("<img") && !html.contains("<script"),
        "report.html must be self-contained"
    );
}

#[test]
fn plot_redraws_byte_identical_svgs_and_report_from_the_saved_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    run(dir.path(), "r");
    let r = dir.path().join("r");
    let mut before = Vec::new();
    for stem in STEMS {
        before.push(std::fs::read(r.join(format!("{stem}.svg"))).expect("svg"));
        std::fs::remove_file(r.join(format!("{stem}.svg"))).expect("remove");
        std::fs::remove_file(r.join(format!("{stem}.png"))).expect("remove");
    }
    let report = std::fs::read(r.join("report.md")).expect("report");
    std::fs::remove_file(r.join("report.md")).expect("remove");
    // No scenario, no replicates.csv needed: the plots come from the saved summaries.
    std::fs::remove_file(r.join("replicates.csv")).expect("remove");
    Command::cargo_bin("escalate")
        .expect("binary")
        .args(["plot", "--quiet"])
        .arg(&r)
        .assert()
        .success();
    for (stem, b) in STEMS.iter().zip(before) {
        let after = std::fs::read(r.join(format!("{stem}.svg"))).expect("redrawn");
        assert!(after == b, "{stem}.svg differs after escalate plot");
        assert!(r.join(format!("{stem}.png")).is_file());
    }
    assert_eq!(std::fs::read(r.join("report.md")).expect("redrawn"), report);
}

#[test]
fn plot_on_a_folder_that_is_not_a_result_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = Command::cargo_bin("escalate")
        .expect("binary")
        .arg("plot")
        .arg(dir.path())
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not an escalate result folder"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    // A summary.json that escalate did not write is bad input too (exit 2), with its path.
    std::fs::write(dir.path().join("summary.json"), "{}").expect("write");
    let out = Command::cargo_bin("escalate")
        .expect("binary")
        .arg("plot")
        .arg(dir.path())
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("summary.json: no \"format\" field; not written by this escalate"),
        "{err}"
    );
}

/// A result folder whose plot files were damaged (an arm summary.json does not list, a malformed
/// row) is bad input: exit 2, the folder and the file named, nothing redrawn from half the data.
#[test]
fn plot_on_a_damaged_result_folder_names_the_folder_and_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    run(dir.path(), "r");
    let folder = dir.path().join("r");
    let report = std::fs::read(folder.join("report.md")).expect("report");
    for (file, damage) in [
        ("timeline.csv", "no such arm,0,1\n"),
        ("survival.csv", "\"unclosed,\n"),
    ] {
        let path = folder.join(file);
        let original = std::fs::read_to_string(&path).expect("read");
        std::fs::write(&path, format!("{original}{damage}")).expect("write");
        let out = Command::cargo_bin("escalate")
            .expect("binary")
            .arg("plot")
            .arg(&folder)
            .assert()
            .code(2)
            .get_output()
            .clone();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&folder.display().to_string()) && err.contains(file),
            "{file}: {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
        std::fs::write(&path, original).expect("restore");
    }
    assert_eq!(
        std::fs::read(folder.join("report.md")).expect("report"),
        report,
        "nothing was redrawn"
    );
}
