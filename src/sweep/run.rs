//! Running a sweep's points (all of them, or one shard's), streaming each completed point to the
//! shard's CSV file; `resume` carries on from what an interrupted run left.

use super::load::LoadedSweep;
use super::rows::{header_line, point_rows};
use super::shard::{SHARD_FORMAT, ShardInfo, SweepInfo, read_info, read_rows, shards_dir, stem};
use crate::error::InputError;
use crate::montecarlo::aggregate::{Aggregate, BlockAggregate};
use crate::montecarlo::engine::{BLOCK, Engine, EngineOptions, Flow, Meter, Plan, Work};
use crate::montecarlo::metrics::MetricId;
use crate::montecarlo::paired::{Replicates, simulate_block};
use crate::report::sweep_plotdata::ParamInfo;
use crate::scenario::compile::Compiled;
use crate::sim::Simulator;
use anyhow::Context;
use std::collections::{BTreeMap, VecDeque};
use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

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
    /// Threads, progress bar, cancellation.
    pub engine: EngineOptions,
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
        design: s.spec.design.kind(),
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
                ParamInfo {
                    label: p.name.clone(),
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
        outcome: s.outcome,
        sobol: match s.spec.design {
            super::spec::Design::Sobol { samples, bootstrap } => {
                Some(crate::report::sweep_plotdata::SobolSettings { samples, bootstrap })
            }
            _ => None,
        },
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

    let engine = Engine::new(cfg.engine.clone())?;
    let file = std::fs::OpenOptions::new()
        .append(true)
        .open(&csv_path)
        .with_context(|| format!("cannot open {}", csv_path.display()))?;
    let mut plan = SweepPlan::new(s, todo, file, &csv_path);
    let total = plan.order.len() as u64;
    let outcome = engine.run(
        &mut plan,
        &PointWork {
            seed: s.spec.seed,
            cancel: engine.cancel_flag(),
        },
        Meter {
            total,
            unit: "points",
        },
    );
    plan.file.sync_all().ok();
    outcome?;
    Ok(ShardReport {
        points: points_in_shard,
        resumed: done.len(),
        run: plan.written,
        replicates: plan.replicates_written,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Width of the widest 95 % interval of the headline outcome: every arm, every paired difference.
fn widest(agg: &Aggregate, outcome: MetricId) -> f64 {
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

/// A block of one point's replicates.
struct PointTask {
    /// Position of the point in the plan's order.
    position: usize,
    compiled: Arc<Compiled>,
    replicates: Replicates,
}

/// Simulates a point's blocks; a worker keeps the simulator of the last point it ran.
struct PointWork {
    seed: u64,
    cancel: Option<Arc<std::sync::atomic::AtomicBool>>,
}

impl Work for PointWork {
    type Task = PointTask;
    type Output = BlockAggregate;
    type Worker = Option<(Arc<Compiled>, Simulator)>;

    fn worker(&self) -> Self::Worker {
        None
    }

    fn simulate(&self, w: &mut Self::Worker, t: &PointTask) -> anyhow::Result<BlockAggregate> {
        let sim = match w {
            Some((c, sim)) if Arc::ptr_eq(c, &t.compiled) => sim,
            _ => {
                &mut w
                    .insert((t.compiled.clone(), Simulator::new(t.compiled.clone())))
                    .1
            }
        };
        let mut block = BlockAggregate::for_scenario(&t.compiled);
        let arms = t.compiled.arms.len();
        simulate_block(
            sim,
            self.seed,
            arms,
            t.replicates,
            &mut block,
            self.cancel.as_deref(),
            |_, _| Ok(()),
        )?;
        Ok(block)
    }
}

/// A point being run: its aggregate so far, and how far its current batch is planned.
struct PointState {
    compiled: Arc<Compiled>,
    aggregate: Aggregate,
    planned: u64,
    batch_end: u64,
}

/// The sweep's plan: points in order, each in blocks of replicates and in batches (another batch
/// while a precision target is not met). Several points are in flight at once, so the workers stay
/// busy across point boundaries; a done point's rows are appended to the shard file in point order.
struct SweepPlan<'a> {
    s: &'a LoadedSweep,
    /// The points to run, in order.
    order: Vec<usize>,
    /// Position in `order` of the next point to start.
    next_point: usize,
    /// Points started and not done, by position in `order`.
    active: BTreeMap<usize, PointState>,
    /// Positions of the points whose current batch still has blocks to plan, oldest batch first.
    planning: VecDeque<usize>,
    /// Rows (and replicates) of done points waiting for an earlier point, by position.
    finished: BTreeMap<usize, (String, u64)>,
    /// Position of the next point to write.
    next_write: usize,
    file: std::fs::File,
    csv_path: &'a Path,
    written: usize,
    replicates_written: u64,
    replicate_arms: u64,
}

impl<'a> SweepPlan<'a> {
    fn new(
        s: &'a LoadedSweep,
        order: Vec<usize>,
        file: std::fs::File,
        csv_path: &'a Path,
    ) -> SweepPlan<'a> {
        SweepPlan {
            s,
            order,
            next_point: 0,
            active: BTreeMap::new(),
            planning: VecDeque::new(),
            finished: BTreeMap::new(),
            next_write: 0,
            file,
            csv_path,
            written: 0,
            replicates_written: 0,
            replicate_arms: 0,
        }
    }

    /// Replicates per batch, the cap, and the target width (one batch without a precision target).
    fn batches(&self) -> (u64, u64, f64) {
        let batch = self.s.spec.replicates;
        match &self.s.spec.precision {
            Some(pr) => (batch, pr.max_replicates.max(batch), pr.width),
            None => (batch, batch, f64::INFINITY),
        }
    }

    /// Starts the next point; false when every point has started.
    fn start_point(&mut self) -> anyhow::Result<bool> {
        let Some(&p) = self.order.get(self.next_point) else {
            return Ok(false);
        };
        let compiled = Arc::new(
            self.s
                .compiled_at(p)
                .map_err(|e| anyhow::anyhow!("{}: {}", e.path, e.message))?,
        );
        let (batch, _, _) = self.batches();
        self.active.insert(
            self.next_point,
            PointState {
                aggregate: Aggregate::new(&compiled),
                compiled,
                planned: 0,
                batch_end: batch,
            },
        );
        self.planning.push_back(self.next_point);
        self.next_point += 1;
        Ok(true)
    }

    /// Appends the done points that are next in order, one write per point: a kill leaves at most
    /// a partial last point, which --resume drops.
    fn write_finished(&mut self) -> anyhow::Result<()> {
        while let Some((rows, n)) = self.finished.remove(&self.next_write) {
            self.file
                .write_all(rows.as_bytes())
                .and_then(|()| self.file.flush())
                .with_context(|| format!("cannot write {}", self.csv_path.display()))?;
            self.next_write += 1;
            self.written += 1;
            self.replicates_written += n;
        }
        Ok(())
    }
}

impl Plan for SweepPlan<'_> {
    type Task = PointTask;
    type Output = BlockAggregate;

    fn next_task(&mut self) -> anyhow::Result<Option<PointTask>> {
        loop {
            if let Some(&position) = self.planning.front() {
                let st = self
                    .active
                    .get_mut(&position)
                    .expect("invariant: a point being planned is active");
                if st.planned < st.batch_end {
                    let replicates = Replicates {
                        first: st.planned,
                        end: (st.planned + BLOCK).min(st.batch_end),
                    };
                    st.planned = replicates.end;
                    return Ok(Some(PointTask {
                        position,
                        compiled: st.compiled.clone(),
                        replicates,
                    }));
                }
                self.planning.pop_front();
            } else if !self.start_point()? {
                return Ok(None);
            }
        }
    }

    fn merge(&mut self, task: PointTask, block: BlockAggregate) -> anyhow::Result<Flow> {
        let (batch, cap, target) = self.batches();
        let st = self
            .active
            .get_mut(&task.position)
            .expect("invariant: a merged block's point is active");
        st.aggregate.merge(&block);
        self.replicate_arms += block.replicates * st.compiled.arms.len() as u64;
        let n = task.replicates.end;
        if n < st.batch_end {
            return Ok(Flow::Continue);
        }
        if n < cap && widest(&st.aggregate, self.s.outcome) >= target {
            st.batch_end = (n + batch).min(cap);
            self.planning.push_back(task.position);
            return Ok(Flow::Continue);
        }
        let st = self
            .active
            .remove(&task.position)
            .expect("invariant: found above");
        let p = self.order[task.position];
        let point = &self.s.points[p];
        let rows = point_rows(
            p,
            point.trajectory,
            &point.values,
            &self.s.arm_names,
            &st.aggregate,
        );
        self.finished.insert(task.position, (rows, n));
        self.write_finished()?;
        Ok(Flow::Continue)
    }

    fn progress(&self) -> (u64, u64) {
        (self.written as u64, self.replicate_arms)
    }
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
