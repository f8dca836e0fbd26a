//! Running a sweep's points (all of them, or one shard's), streaming each completed point to the
//! shard's CSV file; `resume` carries on from what an interrupted run left.

use super::load::LoadedSweep;
use super::rows::{header_line, point_rows};
use super::shard::{
    ParamMeta, SHARD_FORMAT, ShardInfo, SweepInfo, read_info, read_rows, shards_dir, stem,
};
use crate::error::InputError;
use crate::montecarlo::Interrupted;
use crate::montecarlo::aggregate::Aggregate;
use crate::sim::{RunResult, Simulator};
use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

/// Replicates simulated before their results are aggregated (bounds memory per point in flight).
const BLOCK: u64 = 1024;

/// Which part of the design this process runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 0-based index.
    pub index: u32,
    /// Number of shards.
    pub count: u32,
}

impl Shard {
    /// The whole design.
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// Whether point `p` belongs to this shard (round robin, so neighbouring, similarly costly
    /// points spread over shards).
    pub fn owns(&self, p: usize) -> bool {
        p % self.count as usize == self.index as usize
    }
}

/// How to run.
pub struct SweepConfig {
    /// Worker threads (0: all cores).
    pub threads: usize,
    /// Show a progress bar (only on a terminal).
    pub progress: bool,
    /// Set to stop after the points in flight.
    pub cancel: Option<Arc<AtomicBool>>,
    /// Carry on from an earlier run's completed points.
    pub resume: bool,
    /// Replace this shard's earlier files.
    pub force: bool,
}

/// What a shard run did.
#[derive(Debug, Clone, Copy)]
pub struct ShardReport {
    /// Points of the shard.
    pub points: usize,
    /// Points found complete from an earlier run.
    pub resumed: usize,
    /// Points run now.
    pub run: usize,
    /// Replicates run now (each runs every arm).
    pub replicates: u64,
    /// Wall time in seconds.
    pub seconds: f64,
}

/// The sweep's description written into every shard's JSON.
pub fn sweep_info(s: &LoadedSweep) -> SweepInfo {
    let paths = s.parameter_paths();
    SweepInfo {
        name: s.spec.name.clone(),
        description: s.spec.description.clone(),
        scenario: s.base.name.clone(),
        // As written in the sweep file (relative to it): the same whatever folder the sweep runs from.
        scenario_source: s.spec.scenario.clone(),
        horizon_days: s.base.horizon_days,
        seed: s.spec.seed,
        design: s.spec.design.label().into(),
        points: s.points.len(),
        replicates: s.spec.replicates,
        precision: s
            .spec
            .precision
            .as_ref()
            .map(|p| (p.width, p.max_replicates)),
        parameters: s
            .spec
            .parameters
            .iter()
            .zip(paths)
            .map(|(p, paths)| {
                let (min, max) = super::design::bounds(&p.values);
                ParamMeta {
                    name: p.name.clone(),
                    paths,
                    min,
                    max,
                    levels: match s.spec.design {
                        super::spec::Design::Grid => super::design::grid_levels(&p.values),
                        _ => Vec::new(),
                    },
                }
            })
            .collect(),
        arms: s.arm_names.clone(),
        outcome: s.spec.outcome.clone(),
    }
}

/// Runs the points of `shard` that are not done yet, appending to the shard's files under `out`.
pub fn run_shard(
    s: &LoadedSweep,
    shard: Shard,
    out: &Path,
    cfg: &SweepConfig,
) -> anyhow::Result<ShardReport> {
    let started = Instant::now();
    let dir = shards_dir(out);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let name = stem(shard.index, shard.count);
    let json_path = dir.join(format!("{name}.json"));
    let csv_path = dir.join(format!("{name}.csv"));
    let morris = matches!(s.spec.design, super::spec::Design::Morris { .. });
    let header = header_line(&s.parameter_names(), morris);
    let info = ShardInfo {
        format: SHARD_FORMAT.into(),
        version: env!("CARGO_PKG_VERSION").into(),
        identity: s.identity.clone(),
        shard: shard.index,
        shards: shard.count,
        sweep: sweep_info(s),
    };

    let exists = json_path.exists() || csv_path.exists();
    let mut done = std::collections::BTreeSet::new();
    // A shard killed between writing its description and its header has not started: under --resume
    // it starts afresh (the header is written whole, through a rename, so it is never partial).
    let header_written = std::fs::metadata(&csv_path).is_ok_and(|m| m.len() >= header.len() as u64);
    let fresh = !exists || cfg.force || (cfg.resume && !header_written);
    if !fresh && cfg.resume {
        let old = read_info(&json_path).with_context(|| {
            format!("{} has results but no readable description; remove the shard's files or run with --force", csv_path.display())
        })?;
        if old.identity != info.identity {
            let why = if old.version != info.version {
                format!(
                    "escalate {} wrote them; this is {}",
                    old.version, info.version
                )
            } else {
                "they come from a different sweep file or base scenario".to_string()
            };
            return Err(InputError::Flag {
                flag: "--resume".into(),
                message: format!(
                    "{} holds results that cannot be mixed with this sweep's ({why}); use another --out, or --force to start this shard over",
                    out.display()
                ),
            }
            .into());
        }
        let rows = read_rows(&csv_path, &header, s.arms.len())?;
        // Drop a partial point left at the end by a killed process.
        let f = std::fs::OpenOptions::new()
            .write(true)
            .open(&csv_path)
            .with_context(|| format!("cannot open {}", csv_path.display()))?;
        f.set_len(rows.complete_len)?;
        done.extend(rows.points.keys().copied());
    } else if !fresh {
        return Err(InputError::Flag {
            flag: "--out".into(),
            message: format!(
                "{} already holds shard {}/{} of a sweep; pass --resume to carry on, or --force to start it over",
                out.display(),
                shard.index,
                shard.count
            ),
        }
        .into());
    }
    if fresh {
        crate::files::write_atomically(
            &json_path,
            (serde_json::to_string_pretty(&info)? + "\n").as_bytes(),
        )?;
        crate::files::write_atomically(&csv_path, header.as_bytes())?;
        done.clear();
    }
    if cfg.resume {
        // Points other shards of the same sweep completed (e.g. a cluster run whose failed tasks are
        // finished here) count as done; their files are only read, never changed.
        done.extend(points_done_elsewhere(
            &dir,
            &name,
            &info.identity,
            &header,
            s.arms.len(),
        ));
    }
    let todo: Vec<usize> = (0..s.points.len())
        .filter(|p| shard.owns(*p) && !done.contains(p))
        .collect();
    let points_in_shard = (0..s.points.len()).filter(|p| shard.owns(*p)).count();

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cfg.threads)
        .build()
        .map_err(|e| anyhow::anyhow!("cannot start {} worker threads: {e}", cfg.threads))?;
    let bar = if cfg.progress && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        let b =
            ProgressBar::with_draw_target(Some(todo.len() as u64), ProgressDrawTarget::stderr());
        b.set_style(
            ProgressStyle::with_template("{spinner} {bar:40} {pos}/{len} points  {msg}  eta {eta}")
                .expect("invariant: the progress template is valid"),
        );
        b
    } else {
        ProgressBar::hidden()
    };
    let replicate_arms = AtomicU64::new(0);
    let cancelled = || {
        cfg.cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::SeqCst))
    };
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&csv_path)
        .with_context(|| format!("cannot open {}", csv_path.display()))?;
    let (tx, rx) = std::sync::mpsc::channel::<(String, u64)>();
    let mut written = 0usize;
    let mut replicates = 0u64;
    let outcome = std::thread::scope(|scope| -> anyhow::Result<()> {
        let worker = scope.spawn(|| {
            pool.install(|| {
                todo.par_iter()
                    .with_max_len(1)
                    .try_for_each_with(tx, |tx, &p| {
                        if cancelled() {
                            return Err(anyhow::Error::from(Interrupted));
                        }
                        let (rows, n) = run_point(s, p, &replicate_arms, &cancelled)?;
                        tx.send((rows, n))
                            .map_err(|_| anyhow::anyhow!("the writer stopped"))?;
                        Ok(())
                    })
            })
        });
        let mut write_error = None;
        for (rows, n) in rx {
            if write_error.is_some() {
                continue;
            }
            // One write per point: a kill leaves at most a partial last point, dropped on --resume.
            if let Err(e) = file.write_all(rows.as_bytes()).and_then(|()| file.flush()) {
                write_error = Some(
                    anyhow::Error::from(e).context(format!("cannot write {}", csv_path.display())),
                );
                if let Some(c) = &cfg.cancel {
                    c.store(true, Ordering::SeqCst);
                }
                continue;
            }
            written += 1;
            replicates += n;
            bar.inc(1);
            let secs = started.elapsed().as_secs_f64().max(1e-9);
            bar.set_message(format!(
                "{:.0} replicate-arms/s",
                replicate_arms.load(Ordering::Relaxed) as f64 / secs
            ));
        }
        let result = worker
            .join()
            .map_err(|_| anyhow::anyhow!("a sweep worker panicked"))?;
        if let Some(e) = write_error {
            return Err(e);
        }
        result
    });
    file.sync_all().ok();
    bar.finish_and_clear();
    outcome?;
    Ok(ShardReport {
        points: points_in_shard,
        resumed: done.len(),
        run: written,
        replicates,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Width of the widest 95 % interval of the headline outcome: every arm, every paired difference.
fn widest(agg: &Aggregate, outcome: usize) -> f64 {
    agg.arms
        .iter()
        .enumerate()
        .flat_map(|(k, a)| {
            let e = a.estimate(outcome).width();
            let d = if k == 0 {
                0.0
            } else {
                a.difference(outcome).width()
            };
            [e, d]
        })
        .fold(
            0.0,
            |m, w| if w.is_nan() { f64::INFINITY } else { m.max(w) },
        )
}

/// Runs one point: its replicates in fixed blocks (parallel inside a block, aggregated in replicate
/// order), adding batches while a precision target is not met.
fn run_point(
    s: &LoadedSweep,
    p: usize,
    counter: &AtomicU64,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> anyhow::Result<(String, u64)> {
    let compiled = Arc::new(
        s.compiled_at(p)
            .map_err(|e| anyhow::anyhow!("{}: {}", e.path, e.message))?,
    );
    let arms = compiled.arms.len();
    let mut agg = Aggregate::new(&compiled);
    let seed = s.spec.seed;
    let batch = s.spec.replicates;
    let (target, cap) = match &s.spec.precision {
        Some(pr) => (pr.width, pr.max_replicates),
        None => (f64::INFINITY, batch),
    };
    let mut n = 0u64;
    loop {
        let end = (n + batch).min(cap.max(batch));
        let mut from = n;
        while from < end {
            if cancelled() {
                return Err(Interrupted.into());
            }
            let to = (from + BLOCK).min(end);
            let block: Vec<Vec<RunResult>> = (from..to)
                .collect::<Vec<u64>>()
                .into_par_iter()
                .with_min_len(16)
                .map_init(
                    || Simulator::new(compiled.clone()),
                    |sim, r| (0..arms).map(|a| sim.run(seed, r, a)).collect(),
                )
                .collect();
            for runs in &block {
                agg.push(runs);
            }
            counter.fetch_add((to - from) * arms as u64, Ordering::Relaxed);
            from = to;
        }
        n = end;
        if n >= cap || widest(&agg, s.outcome) < target {
            break;
        }
    }
    let point = &s.points[p];
    Ok((
        point_rows(p, point.trajectory, &point.values, &s.arm_names, &agg),
        n,
    ))
}

/// Completed points in the other shard files of `dir` written for the sweep `identity`.
fn points_done_elsewhere(
    dir: &Path,
    own: &str,
    identity: &str,
    header: &str,
    arms: usize,
) -> Vec<usize> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in entries.filter_map(Result::ok) {
        let path = e.path();
        let is_other = path.extension().is_some_and(|x| x == "json")
            && path.file_stem().is_some_and(|n| n != own);
        if !is_other {
            continue;
        }
        if read_info(&path).is_ok_and(|i| i.identity == identity)
            && let Ok(rows) = read_rows(&path.with_extension("csv"), header, arms)
        {
            out.extend(rows.points.keys().copied());
        }
    }
    out
}
