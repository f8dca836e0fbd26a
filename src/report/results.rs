//! The data behind the plots, as tidy CSV beside `summary.json`, and reading it all back.

use super::folder::ResultFolder;
use super::plotdata::{MetricRow, PlotData};
use super::summary::Summary;
use crate::model::Trigger;
use crate::montecarlo::Aggregate;
use crate::montecarlo::metrics::MetricId;
use crate::scenario::compile::Compiled;
use anyhow::{Context, anyhow, bail};
use std::path::Path;

/// Metrics shown in the outcome comparison, in order.
pub const HEADLINE: &[MetricId] = &[
    MetricId::Crisis,
    MetricId::Kinetic,
    MetricId::HighestRung,
    MetricId::Misattributions,
    MetricId::WrongfulResponses,
    MetricId::DeEscalations,
];

/// Labels of the attribution matrix's rows after the states.
pub const NON_STATE_SPONSORS: [&str; 2] = ["freelancing proxy", "independent group"];

fn writer(folder: &ResultFolder, name: &str) -> anyhow::Result<csv::Writer<std::fs::File>> {
    let path = folder.file(name);
    csv::Writer::from_path(&path).with_context(|| format!("cannot create {}", path.display()))
}

/// Writes timeline.csv, survival.csv, highest_rung.csv, attribution.csv and triggers.csv.
pub fn write_plot_files(
    folder: &ResultFolder,
    p: &Compiled,
    agg: &Aggregate,
) -> anyhow::Result<()> {
    let rungs: Vec<&str> = p
        .scenario
        .ladder
        .rungs
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    let n = p.states.len();

    let mut w = writer(folder, "timeline.csv")?;
    let mut header = vec!["arm".to_string(), "day".to_string()];
    header.extend(rungs.iter().map(|r| r.to_string()));
    w.write_record(&header)?;
    for arm in &agg.arms {
        for (day, row) in arm.timeline().iter().enumerate() {
            let mut rec = vec![arm.name.clone(), day.to_string()];
            rec.extend(row.iter().map(|c| c.to_string()));
            w.write_record(&rec)?;
        }
    }
    w.flush()?;

    let mut w = writer(folder, "survival.csv")?;
    w.write_record(["arm", "day", "crisis_by_day", "kinetic_by_day"])?;
    for arm in &agg.arms {
        let (mut c, mut k) = (0u64, 0u64);
        for day in 0..arm.crisis_days.len() {
            c += arm.crisis_days[day];
            k += arm.kinetic_days[day];
            w.write_record([
                arm.name.clone(),
                day.to_string(),
                c.to_string(),
                k.to_string(),
            ])?;
        }
    }
    w.flush()?;

    let mut w = writer(folder, "highest_rung.csv")?;
    w.write_record(["arm", "rung", "rung_name", "replicates"])?;
    for arm in &agg.arms {
        for (i, c) in arm.highest_rung.iter().enumerate() {
            w.write_record([
                arm.name.clone(),
                i.to_string(),
                rungs[i].to_string(),
                c.to_string(),
            ])?;
        }
    }
    w.flush()?;

    let mut w = writer(folder, "attribution.csv")?;
    w.write_record(["arm", "true_sponsor", "blamed", "incidents"])?;
    let truths: Vec<String> = p
        .states
        .iter()
        .map(|s| s.name.clone())
        .chain(NON_STATE_SPONSORS.iter().map(|s| s.to_string()))
        .collect();
    for arm in &agg.arms {
        for (t, truth) in truths.iter().enumerate() {
            for (b, blamed) in p.states.iter().enumerate() {
                w.write_record([
                    arm.name.clone(),
                    truth.clone(),
                    blamed.name.clone(),
                    arm.confusion[t * n + b].to_string(),
                ])?;
            }
        }
    }
    w.flush()?;

    let mut w = writer(folder, "triggers.csv")?;
    w.write_record(["arm", "trigger", "responses"])?;
    for arm in &agg.arms {
        for (t, c) in arm.trigger_counts() {
            w.write_record([arm.name.clone(), t.label().to_string(), c.to_string()])?;
        }
    }
    w.flush()?;
    Ok(())
}

fn read_csv(dir: &Path, name: &str) -> anyhow::Result<(Vec<String>, Vec<csv::StringRecord>)> {
    let path = dir.join(name);
    let mut r = csv::Reader::from_reader(crate::files::open_bounded(
        &path,
        crate::files::MAX_RESULT_FILE_BYTES,
    )?);
    let header = r
        .headers()
        .with_context(|| format!("{}: no header", path.display()))?
        .iter()
        .map(str::to_string)
        .collect();
    let rows = r
        .records()
        .collect::<Result<Vec<_>, _>>()
        .with_context(|| format!("{}: malformed CSV", path.display()))?;
    Ok((header, rows))
}

fn field<'r>(rec: &'r csv::StringRecord, i: usize, file: &str) -> anyhow::Result<&'r str> {
    rec.get(i).ok_or_else(|| {
        let line = rec.position().map_or(0, |p| p.line());
        anyhow!("{file}, line {line}: missing column {}", i + 1)
    })
}

fn number<T: std::str::FromStr>(
    rec: &csv::StringRecord,
    i: usize,
    file: &str,
) -> anyhow::Result<T> {
    let s = field(rec, i, file)?;
    s.parse().map_err(|_| {
        let line = rec.position().map_or(0, |p| p.line());
        anyhow!("{file}, line {line}: \"{s}\" is not a number")
    })
}

fn arm_index(arms: &[String], name: &str, file: &str) -> anyhow::Result<usize> {
    arms.iter().position(|a| a == name).ok_or_else(|| {
        anyhow!(
            "{file}: unknown arm \"{name}\" (summary.json lists {})",
            arms.join(", ")
        )
    })
}

impl PlotData {
    /// Reads a result folder written by `escalate run`.
    pub fn load(dir: &Path) -> anyhow::Result<PlotData> {
        PlotData::read(dir, &Summary::load(dir)?)
    }

    /// Reads the plot files of the result folder `dir` whose summary is `s`.
    pub fn read(dir: &Path, s: &Summary) -> anyhow::Result<PlotData> {
        let arms: Vec<String> = s.arms.iter().map(|a| a.name.clone()).collect();
        let (rungs, states) = (&s.rungs, &s.states);
        let horizon_days = s.horizon_days;
        let mut data = PlotData {
            scenario: s.scenario.clone(),
            seed: s.seed,
            replicates: s.replicates,
            horizon_days,
            crisis_rung: s.crisis_rung,
            timeline: vec![vec![vec![0; rungs.len()]; horizon_days as usize]; arms.len()],
            crisis_by_day: vec![vec![0; horizon_days as usize]; arms.len()],
            kinetic_by_day: vec![vec![0; horizon_days as usize]; arms.len()],
            highest_rung: vec![vec![0; rungs.len()]; arms.len()],
            true_sponsors: states
                .iter()
                .cloned()
                .chain(NON_STATE_SPONSORS.iter().map(|s| s.to_string()))
                .collect(),
            blamed: states.clone(),
            attribution: vec![vec![vec![0; states.len()]; states.len() + 2]; arms.len()],
            triggers: Trigger::ALL.iter().map(|t| t.label().to_string()).collect(),
            responses_by_trigger: vec![vec![0; Trigger::ALL.len()]; arms.len()],
            metrics: HEADLINE
                .iter()
                .map(|&id| MetricRow {
                    metric: id,
                    by_arm: s.arms.iter().map(|a| a.metrics[id]).collect(),
                })
                .collect(),
            differences: HEADLINE
                .iter()
                .map(|&id| MetricRow {
                    metric: id,
                    by_arm: s.paired_differences.iter().map(|d| d.metrics[id]).collect(),
                })
                .collect(),
            rungs: rungs.clone(),
            parameter_uncertainty: s.posterior.is_some(),
            arms,
        };

        let (header, rows) = read_csv(dir, "timeline.csv")?;
        if header.len() != data.rungs.len() + 2 {
            bail!(
                "timeline.csv: {} columns, expected arm, day and {} rungs",
                header.len(),
                data.rungs.len()
            );
        }
        for rec in &rows {
            let a = arm_index(&data.arms, field(rec, 0, "timeline.csv")?, "timeline.csv")?;
            let day: usize = number(rec, 1, "timeline.csv")?;
            let slot = data.timeline[a]
                .get_mut(day)
                .ok_or_else(|| anyhow!("timeline.csv: day {day} beyond the horizon"))?;
            for (r, c) in slot.iter_mut().enumerate() {
                *c = number(rec, r + 2, "timeline.csv")?;
            }
        }
        let (_, rows) = read_csv(dir, "survival.csv")?;
        for rec in &rows {
            let a = arm_index(&data.arms, field(rec, 0, "survival.csv")?, "survival.csv")?;
            let day: usize = number(rec, 1, "survival.csv")?;
            if day >= horizon_days as usize {
                bail!("survival.csv: day {day} beyond the horizon");
            }
            data.crisis_by_day[a][day] = number(rec, 2, "survival.csv")?;
            data.kinetic_by_day[a][day] = number(rec, 3, "survival.csv")?;
        }
        let (_, rows) = read_csv(dir, "highest_rung.csv")?;
        for rec in &rows {
            let a = arm_index(
                &data.arms,
                field(rec, 0, "highest_rung.csv")?,
                "highest_rung.csv",
            )?;
            let r: usize = number(rec, 1, "highest_rung.csv")?;
            *data.highest_rung[a]
                .get_mut(r)
                .ok_or_else(|| anyhow!("highest_rung.csv: rung {r} is not on the ladder"))? =
                number(rec, 3, "highest_rung.csv")?;
        }
        let (_, rows) = read_csv(dir, "attribution.csv")?;
        for rec in &rows {
            let a = arm_index(
                &data.arms,
                field(rec, 0, "attribution.csv")?,
                "attribution.csv",
            )?;
            let t = field(rec, 1, "attribution.csv")?;
            let b = field(rec, 2, "attribution.csv")?;
            let ti = data
                .true_sponsors
                .iter()
                .position(|x| x == t)
                .ok_or_else(|| anyhow!("attribution.csv: unknown sponsor \"{t}\""))?;
            let bi = data
                .blamed
                .iter()
                .position(|x| x == b)
                .ok_or_else(|| anyhow!("attribution.csv: unknown state \"{b}\""))?;
            data.attribution[a][ti][bi] = number(rec, 3, "attribution.csv")?;
        }
        let (_, rows) = read_csv(dir, "triggers.csv")?;
        for rec in &rows {
            let a = arm_index(&data.arms, field(rec, 0, "triggers.csv")?, "triggers.csv")?;
            let t = field(rec, 1, "triggers.csv")?;
            let ti = data
                .triggers
                .iter()
                .position(|x| x == t)
                .ok_or_else(|| anyhow!("triggers.csv: unknown trigger \"{t}\""))?;
            data.responses_by_trigger[a][ti] = number(rec, 2, "triggers.csv")?;
        }

        Ok(data)
    }
}
