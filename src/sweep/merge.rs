//! Joining shards: every shard of one sweep, each point exactly once, rows in point order; then the
//! files a reader uses (`sweep.csv`, `sweep.json`, `morris.csv`, `sobol.csv` and `sobol.md`) and
//! the plot data read back from them.

use super::rows::header_line;
use super::shard::{ShardInfo, SweepInfo, read_info, read_rows, shards_dir};
use crate::error::InputError;
use crate::montecarlo::stats::Interval;
use crate::report::morris::morris;
use crate::report::sweep_plotdata::{DesignKind, OutcomeInfo, PointResult, SweepPlotData};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// Format tag of `sweep.json`.
pub const SWEEP_FORMAT: &str = "escalate-sweep-1";

/// `sweep.json`: the sweep's description beside its rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepSummary {
    /// Always [`SWEEP_FORMAT`].
    pub format: String,
    /// escalate's version.
    pub version: String,
    /// Identity of the sweep (see `LoadedSweep::identity`).
    pub identity: String,
    /// The sweep.
    #[serde(flatten)]
    pub sweep: SweepInfo,
    /// Replicates used per point: fewest and most (they differ with a precision target).
    pub replicates_used: (u64, u64),
}

/// The merged result of a sweep's shards.
pub struct Merged {
    /// The sweep's description (from the shards).
    pub summary: SweepSummary,
    /// Text of `sweep.csv`.
    pub csv: String,
    /// Text of `morris.csv` (Morris designs).
    pub morris_csv: Option<String>,
    /// Texts of `sobol.csv` and `sobol.md` (Sobol' designs).
    pub sobol: Option<(String, String)>,
    /// What the plots and the terminal summary show (from `sweep.csv` as written, parsed once).
    pub plot_data: SweepPlotData,
    /// The resolved sweep file, if the shards left it.
    pub resolved: Option<String>,
    /// Shards found (index/count).
    pub shards: Vec<(u32, u32)>,
}

/// Reads every shard under `dir/shards` and joins them; fails if they belong to different sweeps or
/// versions, disagree on a point, or leave a point out.
pub fn merge_dir(dir: &Path) -> anyhow::Result<Merged> {
    let sdir = shards_dir(dir);
    let not_sweep = || InputError::File {
        path: dir.display().to_string(),
        line: None,
        message:
            "is not a sweep folder (no shards/ inside); give the --out folder of `escalate sweep`"
                .into(),
    };
    let entries = std::fs::read_dir(&sdir).map_err(|_| not_sweep())?;
    let mut infos: Vec<(std::path::PathBuf, ShardInfo)> = Vec::new();
    let mut names: Vec<std::path::PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    names.sort();
    for p in names {
        infos.push((p.clone(), read_info(&p)?));
    }
    let Some((first_path, first)) = infos.first().cloned() else {
        return Err(not_sweep().into());
    };
    for (p, info) in &infos[1..] {
        if info.identity != first.identity {
            let why = if info.version != first.version {
                format!(
                    "escalate {} wrote one and {} the other",
                    first.version, info.version
                )
            } else {
                "they come from different sweep files or base scenarios".into()
            };
            return Err(InputError::File {
                path: dir.display().to_string(),
                line: None,
                message: format!(
                    "{} and {} belong to different sweeps ({why}); merge only shards of one sweep",
                    first_path.display(),
                    p.display()
                ),
            }
            .into());
        }
    }
    let info = &first.sweep;
    if info.arms.is_empty() || info.parameters.is_empty() {
        // The plots (drawn from this merge) need both.
        return Err(InputError::File {
            path: first_path.display().to_string(),
            line: None,
            message: "lists no arms or no parameters; it was not written by escalate sweep (or was edited)".into(),
        }
        .into());
    }
    let morris_design = info.design == DesignKind::Morris;
    let names: Vec<String> = info.parameters.iter().map(|p| p.label.clone()).collect();
    let header = header_line(&names, morris_design);
    let mut points: BTreeMap<usize, String> = BTreeMap::new();
    for (p, s) in &infos {
        let csv = p.with_extension("csv");
        if !csv.exists() {
            continue;
        }
        let rows = read_rows(&csv, &header, info.arms.len())?;
        for (k, text) in rows.points {
            if k >= info.points || k % s.shards as usize != s.shard as usize {
                return Err(InputError::File {
                    path: csv.display().to_string(),
                    line: None,
                    message: format!(
                        "holds point {k}, which is not one of shard {}/{}'s points",
                        s.shard, s.shards
                    ),
                }
                .into());
            }
            match points.get(&k) {
                Some(old) if *old != text => {
                    return Err(InputError::File {
                        path: csv.display().to_string(),
                        line: None,
                        message: format!("point {k} differs from the same point in another shard; the results cannot be trusted"),
                    }
                    .into());
                }
                Some(_) => {}
                None => {
                    points.insert(k, text);
                }
            }
        }
    }
    let missing: Vec<usize> = (0..info.points)
        .filter(|k| !points.contains_key(k))
        .collect();
    if !missing.is_empty() {
        // The shards (of the count most shards used) that own the missing points.
        let n = first.shards as usize;
        let shards: std::collections::BTreeSet<usize> = missing.iter().map(|k| k % n).collect();
        let shards: Vec<String> = shards.into_iter().map(|i| format!("{i}/{n}")).collect();
        return Err(InputError::File {
            path: dir.display().to_string(),
            line: None,
            message: format!(
                "{} of {} points are missing (first: {}); run or resume shard{} {} with --resume --out {}",
                missing.len(),
                info.points,
                missing.iter().take(8).map(ToString::to_string).collect::<Vec<_>>().join(", "),
                if shards.len() == 1 { "" } else { "s" },
                shards.iter().take(12).cloned().collect::<Vec<_>>().join(", "),
                dir.display()
            ),
        }
        .into());
    }
    let mut csv = header.clone();
    for text in points.values() {
        csv.push_str(text);
    }
    let parsed = parse_points(&csv, info, "sweep.csv")?;
    let reps = parsed.iter().map(|p| p.replicates);
    let summary = SweepSummary {
        format: SWEEP_FORMAT.into(),
        version: first.version.clone(),
        identity: first.identity.clone(),
        sweep: info.clone(),
        replicates_used: (reps.clone().min().unwrap_or(0), reps.max().unwrap_or(0)),
    };
    let plot_data = plot_data_from(&summary, parsed);
    let morris_csv = morris_design.then(|| morris_text(&plot_data));
    let sobol = (info.design == DesignKind::Sobol).then(|| {
        (
            crate::report::sobol::sobol_csv(&plot_data),
            crate::report::sobol::sobol_report(&plot_data),
        )
    });
    let mut shards: Vec<(u32, u32)> = infos.iter().map(|(_, s)| (s.shard, s.shards)).collect();
    shards.sort_unstable();
    Ok(Merged {
        summary,
        csv,
        morris_csv,
        sobol,
        plot_data,
        resolved: std::fs::read_to_string(sdir.join("sweep.ron")).ok(),
        shards,
    })
}

/// Reads `sweep.csv` text into points (headline outcome only); `file` names it in errors.
pub fn parse_points(
    csv_text: &str,
    info: &SweepInfo,
    file: &str,
) -> anyhow::Result<Vec<PointResult>> {
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = r.headers()?.clone();
    let col = |name: &str| -> anyhow::Result<usize> {
        headers.iter().position(|h| h == name).ok_or_else(|| {
            anyhow::Error::from(InputError::File {
                path: file.into(),
                line: None,
                message: format!("has no column \"{name}\""),
            })
        })
    };
    let point_c = col("point")?;
    let arm_c = col("arm")?;
    let reps_c = col("replicates")?;
    let param_c: Vec<usize> = info
        .parameters
        .iter()
        .map(|p| col(&p.label))
        .collect::<anyhow::Result<_>>()?;
    let key = info.outcome.key();
    let est_c = [
        col(key)?,
        col(&format!("{key}_lo"))?,
        col(&format!("{key}_hi"))?,
    ];
    let diff_c = [
        col(&format!("diff_{key}"))?,
        col(&format!("diff_{key}_lo"))?,
        col(&format!("diff_{key}_hi"))?,
    ];
    let mut out: Vec<PointResult> = Vec::new();
    for (line, rec) in r.records().enumerate() {
        let rec = rec?;
        let num = |c: usize| -> anyhow::Result<f64> {
            rec.get(c).and_then(|f| f.parse().ok()).ok_or_else(|| {
                anyhow::Error::from(InputError::File {
                    path: file.into(),
                    line: Some(line + 2),
                    message: format!(
                        "column \"{}\" is not a number",
                        headers.get(c).unwrap_or("?")
                    ),
                })
            })
        };
        let index = num(point_c)? as usize;
        let interval = |c: [usize; 3]| -> anyhow::Result<Interval> {
            Ok(Interval {
                value: num(c[0])?,
                lo: num(c[1])?,
                hi: num(c[2])?,
            })
        };
        let arm = rec.get(arm_c).unwrap_or_default();
        let arm_pos = info.arms.iter().position(|a| a == arm);
        let new_point = out.last().is_none_or(|p| p.index != index);
        if new_point {
            out.push(PointResult {
                index,
                values: param_c
                    .iter()
                    .map(|&c| num(c))
                    .collect::<anyhow::Result<_>>()?,
                replicates: num(reps_c)? as u64,
                arms: Vec::new(),
                diffs: Vec::new(),
            });
        }
        let p = out.last_mut().expect("invariant: pushed above");
        if arm_pos != Some(p.arms.len()) {
            return Err(InputError::File {
                path: file.into(),
                line: Some(line + 2),
                message: format!(
                    "arm \"{arm}\" is out of order for point {index}; expected \"{}\"",
                    info.arms.get(p.arms.len()).map_or("", String::as_str)
                ),
            }
            .into());
        }
        p.arms.push(interval(est_c)?);
        // The baseline's own rows leave the difference empty (written as 0 before): it is 0.
        let baseline_row = p.arms.len() == 1;
        let empty = diff_c
            .iter()
            .all(|&c| rec.get(c).is_some_and(str::is_empty));
        p.diffs.push(if baseline_row && empty {
            Interval {
                value: 0.0,
                lo: 0.0,
                hi: 0.0,
            }
        } else {
            interval(diff_c)?
        });
    }
    Ok(out)
}

/// Reads and checks `dir/sweep.json`: the format, and that it lists arms and parameters.
pub fn load_summary(dir: &Path) -> anyhow::Result<SweepSummary> {
    let text = crate::files::read_bounded_to_string(
        &dir.join("sweep.json"),
        crate::files::MAX_RESULT_FILE_BYTES,
    )?;
    let summary: SweepSummary = serde_json::from_str(&text).map_err(|e| InputError::File {
        path: dir.join("sweep.json").display().to_string(),
        line: None,
        message: format!("is not a sweep summary written by escalate ({e})"),
    })?;
    if summary.format != SWEEP_FORMAT {
        return Err(InputError::File {
            path: dir.join("sweep.json").display().to_string(),
            line: None,
            message: format!(
                "has format \"{}\"; this escalate reads \"{SWEEP_FORMAT}\"",
                summary.format
            ),
        }
        .into());
    }
    if summary.sweep.arms.is_empty() || summary.sweep.parameters.is_empty() {
        return Err(InputError::File {
            path: dir.join("sweep.json").display().to_string(),
            line: None,
            message: "lists no arms or no parameters; it was not written by escalate sweep (or was edited)".into(),
        }
        .into());
    }
    Ok(summary)
}

/// The plot data of a merged sweep.
pub fn plot_data_from(summary: &SweepSummary, points: Vec<PointResult>) -> SweepPlotData {
    let info = &summary.sweep;
    let design = info.design;
    let mut data = SweepPlotData {
        name: info.name.clone(),
        scenario: info.scenario.clone(),
        seed: info.seed,
        design,
        parameters: info.parameters.clone(),
        arms: info.arms.clone(),
        outcome: OutcomeInfo {
            key: info.outcome.key().to_string(),
            label: info.outcome.label().to_string(),
            proportion: info.outcome.is_proportion(),
        },
        horizon_days: info.horizon_days,
        points,
        morris: Vec::new(),
        sobol: Vec::new(),
    };
    if design == DesignKind::Morris {
        data.morris = morris(&data);
    }
    if let (DesignKind::Sobol, Some(settings)) = (design, info.sobol) {
        data.sobol = super::sensitivity::sobol_targets(&data, settings);
    }
    data
}

fn morris_text(data: &SweepPlotData) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut rows = || -> csv::Result<()> {
        w.write_record(["target", "parameter", "mu", "mu_star", "sigma", "effects"])?;
        for t in &data.morris {
            for e in &t.effects {
                w.write_record([
                    t.label.clone(),
                    data.parameters[e.param].label.clone(),
                    e.mu.to_string(),
                    e.mu_star.to_string(),
                    e.sigma.to_string(),
                    e.count.to_string(),
                ])?;
            }
        }
        Ok(())
    };
    rows().expect("invariant: writing to memory cannot fail");
    String::from_utf8(w.into_inner().expect("invariant: in memory")).expect("invariant: UTF-8")
}

/// Loads the plot data of a sweep folder from `sweep.json` and `sweep.csv` alone.
pub fn load_plot_data(dir: &Path) -> anyhow::Result<SweepPlotData> {
    let summary = load_summary(dir)?;
    let csv = crate::files::read_bounded_to_string(
        &dir.join("sweep.csv"),
        crate::files::MAX_RESULT_FILE_BYTES,
    )?;
    let points = parse_points(
        &csv,
        &summary.sweep,
        &dir.join("sweep.csv").display().to_string(),
    )?;
    Ok(plot_data_from(&summary, points))
}
