//! `escalate discover`: the points of a sweep folder as PRIM's cases — each point's parameter
//! values, and whether a condition on one arm's row of `sweep.csv` holds there.

use super::merge::{SweepSummary, load_summary};
use crate::error::InputError;
use crate::report::discovery::Cases;
use crate::report::discovery::condition::Condition;
use std::path::Path;

/// The most points PRIM is run on (its peeling costs about points² × parameters).
pub const MAX_POINTS: usize = 200_000;
/// The largest `sweep.csv` read (bytes).
pub const MAX_CSV_BYTES: u64 = 1 << 30;

/// A sweep's cases for a condition, with what they were read from.
pub struct SweepCases {
    pub summary: SweepSummary,
    pub arm: String,
    pub cases: Cases,
}

/// Reads `dir` (a sweep folder) and evaluates `condition` on the rows of `arm` (default: the last
/// arm, the one usually compared with the baseline).
pub fn sweep_cases(dir: &Path, condition: &str, arm: Option<&str>) -> anyhow::Result<SweepCases> {
    if !dir.join("sweep.json").is_file() {
        let what = if dir.join("summary.json").is_file() {
            "is a result folder of escalate run; discover reads a sweep folder (of escalate sweep or merge)"
        } else if dir.is_dir() {
            "is not a sweep folder (no sweep.json); give the folder escalate sweep wrote"
        } else {
            "does not exist or is not a folder"
        };
        return Err(InputError::File {
            path: dir.display().to_string(),
            line: None,
            message: what.into(),
        }
        .into());
    }
    let summary = load_summary(dir)?;
    let info = &summary.sweep;
    let arm = match arm {
        None => info.arms.last().cloned().unwrap_or_default(),
        Some(a) => {
            if let Some(found) = info.arms.iter().find(|x| *x == a) {
                found.clone()
            } else {
                return Err(InputError::Flag {
                    flag: "--arm".into(),
                    message: format!(
                        "the sweep has no arm \"{a}\"; its arms: {}",
                        info.arms
                            .iter()
                            .map(|x| format!("\"{x}\""))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                }
                .into());
            }
        }
    };
    let path = dir.join("sweep.csv");
    let file_error = |line: Option<usize>, message: String| InputError::File {
        path: path.display().to_string(),
        line,
        message,
    };
    let text = crate::files::read_bounded_to_string(&path, MAX_CSV_BYTES)?;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| file_error(Some(1), format!("has no readable header: {e}")))?
        .iter()
        .map(str::to_string)
        .collect();
    let parsed = Condition::parse(condition, &header).map_err(|e| InputError::Flag {
        flag: "--where".into(),
        message: e.render(condition),
    })?;
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| file_error(Some(1), format!("has no column \"{name}\"")))
    };
    let arm_c = col("arm")?;
    let param_c: Vec<usize> = info
        .parameters
        .iter()
        .map(|p| col(&p.label))
        .collect::<Result<_, _>>()?;
    let mut x = Vec::new();
    let mut y = Vec::new();
    for (k, rec) in reader.records().enumerate() {
        let line = k + 2;
        let rec = rec.map_err(|e| file_error(Some(line), format!("is not valid CSV: {e}")))?;
        if rec.get(arm_c) != Some(arm.as_str()) {
            continue;
        }
        if x.len() == MAX_POINTS {
            return Err(file_error(
                None,
                format!(
                    "has more than {MAX_POINTS} points; discover peels at most that many (sample the sweep's points)"
                ),
            )
            .into());
        }
        let row: Vec<Option<f64>> = rec
            .iter()
            .map(|f| f.parse::<f64>().ok().filter(|v| v.is_finite()))
            .collect();
        let values = param_c
            .iter()
            .map(|&c| {
                row.get(c).copied().flatten().ok_or_else(|| {
                    file_error(
                        Some(line),
                        format!("column \"{}\" is not a finite number", header[c]),
                    )
                })
            })
            .collect::<Result<Vec<f64>, _>>()?;
        let holds = parsed.holds(&row).map_err(|m| {
            let column = &header[m.column];
            let why = if rec.get(m.column).is_some_and(str::is_empty) {
                if column.starts_with("diff_") && info.arms.first() == Some(&arm) {
                    format!(
                        "is empty: \"{arm}\" is the baseline, and its difference from itself is not a comparison; choose another arm with --arm"
                    )
                } else {
                    "is empty".into()
                }
            } else {
                "is not a finite number".into()
            };
            InputError::Flag {
                flag: "--where".into(),
                message: format!(
                    "column `{column}` of arm \"{arm}\" {why} (sweep.csv line {line})"
                ),
            }
        })?;
        x.push(values);
        y.push(holds);
    }
    Ok(SweepCases {
        cases: Cases {
            parameters: info.parameters.iter().map(|p| p.label.clone()).collect(),
            x,
            y,
        },
        arm,
        summary,
    })
}
