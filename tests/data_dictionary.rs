//! `DATA.md`, the data dictionary of every result and sweep folder, is kept current: every file the
//! folder holds is described, and every column of every CSV file is listed with a unit and a meaning.

use assert_cmd::Command;
use std::path::Path;

mod common;

fn escalate() -> Command {
    Command::new(assert_cmd::cargo::cargo_bin!("escalate"))
}

/// The rows `| `column` | unit | meaning |` of the table under `## `file``, as (column, unit, meaning).
fn documented_columns(dictionary: &str, file: &str) -> Vec<(String, String, String)> {
    let heading = format!("## `{file}`");
    let Some(start) = dictionary.find(&heading) else {
        return Vec::new();
    };
    let section = &dictionary[start + heading.len()..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    section
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.strip_prefix("| `")?.splitn(2, "` | ").collect();
            let (column, rest) = (cells.first()?, cells.get(1)?);
            let rest = rest.strip_suffix(" |")?;
            let (unit, meaning) = rest.split_once(" | ")?;
            Some((column.to_string(), unit.to_string(), meaning.to_string()))
        })
        .collect()
}

/// Checks `dir/DATA.md` against the files in `dir`; returns how many CSV columns it checked.
fn check_folder(dir: &Path) -> usize {
    let dictionary = std::fs::read_to_string(dir.join("DATA.md")).expect("DATA.md is written");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).expect("lists the folder") {
        let name = entry
            .expect("an entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        let described = dictionary.contains(&format!("`{name}`"))
            || dictionary.contains(&format!("`{name}/`"))
            || name.rsplit_once('.').is_some_and(|(stem, ext)| {
                matches!(ext, "png" | "svg") && dictionary.contains(&format!("`{stem}"))
            })
            || (name.starts_with("report.") && dictionary.contains("## `report.md, report.html`"));
        assert!(
            described,
            "{}: {name} is not described in DATA.md",
            dir.display()
        );
        if let Some(stem) = name.strip_suffix(".csv") {
            let mut r = csv::Reader::from_path(dir.join(&name)).expect("reads the CSV");
            let header: Vec<String> = r
                .headers()
                .expect("a header")
                .iter()
                .map(str::to_string)
                .collect();
            let rows = documented_columns(&dictionary, &name);
            if stem == "morris" {
                // Described in prose: its five columns are named there.
                for col in &header {
                    assert!(
                        dictionary.contains(&format!("`{col}`")),
                        "morris.csv: {col}"
                    );
                }
                continue;
            }
            assert_eq!(
                rows.iter().map(|r| r.0.clone()).collect::<Vec<_>>(),
                header,
                "{name}: DATA.md lists exactly its columns, in order"
            );
            for (col, unit, meaning) in &rows {
                assert!(!unit.trim().is_empty(), "{name}: {col} has no unit");
                assert!(!meaning.trim().is_empty(), "{name}: {col} has no meaning");
                checked += 1;
            }
        }
    }
    checked
}

#[test]
fn a_result_folder_describes_every_file_and_column() {
    let t = tempfile::tempdir().expect("a temporary folder");
    let out = t.path().join("r");
    escalate()
        .args([
            "run",
            "--replicates",
            "40",
            "--seed",
            "3",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let checked = check_folder(&out);
    assert!(
        checked > 40,
        "replicates.csv alone has more columns ({checked})"
    );
    let dictionary = std::fs::read_to_string(out.join("DATA.md")).expect("DATA.md");
    assert!(dictionary.contains("fraction of runs, 0 to 1 (not a percentage)"));
    assert!(dictionary.contains("pair of states"));
}

#[test]
fn a_result_folder_under_a_posterior_describes_its_extra_file_and_columns() {
    let t = tempfile::tempdir().expect("a temporary folder");
    let repo = common::repo();
    escalate()
        .arg("calibrate")
        .arg(repo.join("scenarios/us_russia_2016.ron"))
        .arg("--targets")
        .arg(repo.join("scenarios/calibration/us_russia_2016.ron"))
        .args([
            "-n",
            "5",
            "--population",
            "10",
            "--max-generations",
            "1",
            "--quiet",
            "--out",
        ])
        .arg(t.path().join("cal"))
        .assert()
        .success();
    let out = t.path().join("r");
    escalate()
        .args([
            "run",
            "--replicates",
            "40",
            "--seed",
            "3",
            "--quiet",
            "--posterior",
        ])
        .arg(t.path().join("cal"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    assert!(out.join("posterior_draws.csv").is_file());
    let checked = check_folder(&out);
    assert!(
        checked > 42,
        "replicates.csv and posterior_draws.csv ({checked})"
    );
    let dictionary = std::fs::read_to_string(out.join("DATA.md")).expect("DATA.md");
    assert!(dictionary.contains("## `summary.json → posterior`"));
}

#[test]
fn a_sweep_folder_describes_every_file_and_column() {
    let t = tempfile::tempdir().expect("a temporary folder");
    let file = t.path().join("s.ron");
    std::fs::write(
        &file,
        r#"Sweep(name: "s", scenario: "builtin:us_russia_2016", seed: 5, replicates: 30,
             arms: ["without channels", "with channels"],
             parameters: [
               Parameter(name: "skill", set: ["states[*].attribution.skill"], values: Range(min: 0.1, max: 0.9)),
               Parameter(name: "rate", set: ["campaigns[RUS->US].rate_per_year"], values: Range(min: 2, max: 30)),
             ],
             design: Morris(trajectories: 2, levels: 4))"#,
    )
    .expect("writes the sweep");
    let out = t.path().join("out");
    escalate()
        .arg("sweep")
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .arg("-q")
        .assert()
        .success();
    assert!(out.join("morris.csv").is_file());
    let checked = check_folder(&out);
    assert!(
        checked > 100,
        "sweep.csv has a column per metric, bound and difference ({checked})"
    );
    let _ = common::repo();
}
