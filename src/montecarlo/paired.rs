//! Paired replicates of one compiled scenario on the engine: every replicate runs all arms with the
//! same streams; each block is aggregated (and its rows formatted) on the worker that simulated it,
//! and merged in replicate order.

use super::aggregate::{Aggregate, BlockAggregate};
use super::engine::{BLOCK, Engine, Flow, Interrupted, Meter, Plan, Work};
use super::posterior::{DrawBlock, DrawSimulators, DrawSpread, PosteriorPool};
use crate::scenario::compile::Compiled;
use crate::sim::{RunResult, Simulator};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

/// Replicates `first..end` of one scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Replicates {
    /// First replicate.
    pub first: u64,
    /// One past the last.
    pub end: u64,
}

/// Simulates replicates `r` of arms `0..arms` on `sim`, adding each to `block` and handing it to
/// `each` (e.g. to format its rows).
/// Stops with [`Interrupted`] as soon as `cancel` is set, even inside a replicate-arm.
pub fn simulate_block(
    sim: &mut Simulator,
    seed: u64,
    arms: usize,
    r: Replicates,
    block: &mut BlockAggregate,
    cancel: Option<&AtomicBool>,
    mut each: impl FnMut(u64, &[RunResult]) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut runs = Vec::with_capacity(arms);
    for replicate in r.first..r.end {
        runs.clear();
        for a in 0..arms {
            runs.push(
                sim.run_cancellable(seed, replicate, a, cancel)
                    .ok_or(Interrupted)?,
            );
        }
        block.push(&runs);
        each(replicate, &runs)?;
    }
    Ok(())
}

/// Rows written per replicate (e.g. `replicates.csv`), formatted on the worker, one buffer per block.
pub trait RowFormat: Sync {
    /// A block's buffer.
    type Buffer;
    /// An empty buffer for a block.
    fn start(&self) -> Self::Buffer;
    /// Formats one replicate's rows (every arm).
    fn replicate(
        &self,
        buffer: &mut Self::Buffer,
        replicate: u64,
        runs: &[RunResult],
    ) -> anyhow::Result<()>;
    /// The block's bytes.
    fn finish(&self, buffer: Self::Buffer) -> anyhow::Result<Vec<u8>>;
}

/// No rows: only the aggregate.
pub struct NoRows;

impl RowFormat for NoRows {
    type Buffer = ();
    fn start(&self) {}
    fn replicate(&self, _: &mut (), _: u64, _: &[RunResult]) -> anyhow::Result<()> {
        Ok(())
    }
    fn finish(&self, _: ()) -> anyhow::Result<Vec<u8>> {
        Ok(Vec::new())
    }
}

/// A block's result: its aggregate and the bytes its rows formatted to.
pub struct PairedBlock {
    /// Tallies and samples of the block.
    pub aggregate: BlockAggregate,
    /// The block's rows (empty without a row formatter).
    pub rows: Vec<u8>,
    /// Under a posterior: the particle each replicate drew, with its metrics.
    pub draws: Option<DrawBlock>,
}

struct PairedWork<'a, F> {
    params: &'a Arc<Compiled>,
    posterior: Option<&'a Arc<PosteriorPool>>,
    cancel: Option<Arc<AtomicBool>>,
    empty: BlockAggregate,
    seed: u64,
    rows: &'a F,
}

/// A worker's simulators: one for the scenario, or one per posterior particle.
pub enum PairedWorker {
    /// A plain run.
    One(Box<Simulator>),
    /// A run under a posterior.
    ByDraw(DrawSimulators),
}

impl<F: RowFormat> Work for PairedWork<'_, F> {
    type Task = Replicates;
    type Output = PairedBlock;
    type Worker = PairedWorker;

    fn worker(&self) -> PairedWorker {
        match self.posterior {
            None => PairedWorker::One(Box::new(Simulator::new(self.params.clone()))),
            Some(pool) => PairedWorker::ByDraw(DrawSimulators::new(pool.clone())),
        }
    }

    fn blocks_per_worker_state(&self) -> u32 {
        match self.posterior {
            None => super::engine::BLOCKS_PER_WORKER_STATE,
            Some(_) => super::posterior::BLOCKS_PER_DRAW_SIMULATORS,
        }
    }

    fn simulate(&self, worker: &mut PairedWorker, r: &Replicates) -> anyhow::Result<PairedBlock> {
        let mut aggregate = self.empty.clone();
        let mut buffer = self.rows.start();
        let arms = self.params.arms.len();
        let draws = match worker {
            PairedWorker::One(sim) => {
                simulate_block(
                    sim,
                    self.seed,
                    arms,
                    *r,
                    &mut aggregate,
                    self.cancel.as_deref(),
                    |replicate, runs| self.rows.replicate(&mut buffer, replicate, runs),
                )?;
                None
            }
            PairedWorker::ByDraw(sims) => {
                let pool = self
                    .posterior
                    .expect("invariant: simulators by draw exist only under a posterior");
                let mut draws = DrawBlock::default();
                let mut runs = Vec::with_capacity(arms);
                for replicate in r.first..r.end {
                    let k = pool.draw(self.seed, replicate);
                    let sim = sims.get(k);
                    runs.clear();
                    for a in 0..arms {
                        runs.push(
                            sim.run_cancellable(self.seed, replicate, a, self.cancel.as_deref())
                                .ok_or(Interrupted)?,
                        );
                    }
                    aggregate.push(&runs);
                    draws.push(k, &runs);
                    self.rows.replicate(&mut buffer, replicate, &runs)?;
                }
                Some(draws)
            }
        };
        Ok(PairedBlock {
            aggregate,
            rows: self.rows.finish(buffer)?,
            draws,
        })
    }
}

struct PairedPlan<S> {
    next: u64,
    replicates: u64,
    arms: u64,
    aggregate: Aggregate,
    merged: u64,
    spread: Option<DrawSpread>,
    sink: S,
}

impl<S: FnMut(&[u8]) -> anyhow::Result<()>> Plan for PairedPlan<S> {
    type Task = Replicates;
    type Output = PairedBlock;

    fn next_task(&mut self) -> anyhow::Result<Option<Replicates>> {
        Ok((self.next < self.replicates).then(|| {
            let r = Replicates {
                first: self.next,
                end: (self.next + BLOCK).min(self.replicates),
            };
            self.next = r.end;
            r
        }))
    }

    fn merge(&mut self, r: Replicates, block: PairedBlock) -> anyhow::Result<Flow> {
        self.aggregate.merge(&block.aggregate);
        if let (Some(spread), Some(draws)) = (&mut self.spread, &block.draws) {
            spread.merge(draws);
        }
        (self.sink)(&block.rows)?;
        self.merged = r.end;
        Ok(Flow::Continue)
    }

    fn progress(&self) -> (u64, u64) {
        (self.merged, self.merged * self.arms)
    }
}

/// Runs replicates `0..replicates` of every arm of `params` with master seed `seed`. `rows` formats
/// each replicate's rows on the worker; `sink` receives each block's rows in replicate order.
pub fn run_paired<F, S>(
    engine: &Engine,
    params: &Arc<Compiled>,
    seed: u64,
    replicates: u64,
    rows: F,
    sink: S,
) -> anyhow::Result<Aggregate>
where
    F: RowFormat,
    S: FnMut(&[u8]) -> anyhow::Result<()>,
{
    run(engine, params, None, seed, replicates, rows, sink).map(|(a, _)| a)
}

/// Runs like [`run_paired`], each replicate with the parameters of the posterior particle it draws
/// (the same in every arm; see [`PosteriorPool::draw`]), and returns the spread between the
/// particles drawn beside the aggregate. `params` is the scenario as written: it gives the shape
/// (arms, states, horizon), which every particle shares.
pub fn run_paired_posterior<F, S>(
    engine: &Engine,
    params: &Arc<Compiled>,
    pool: &Arc<PosteriorPool>,
    seed: u64,
    replicates: u64,
    rows: F,
    sink: S,
) -> anyhow::Result<(Aggregate, DrawSpread)>
where
    F: RowFormat,
    S: FnMut(&[u8]) -> anyhow::Result<()>,
{
    let (aggregate, spread) = run(engine, params, Some(pool), seed, replicates, rows, sink)?;
    Ok((
        aggregate,
        spread.expect("invariant: a posterior run keeps its spread"),
    ))
}

fn run<F, S>(
    engine: &Engine,
    params: &Arc<Compiled>,
    posterior: Option<&Arc<PosteriorPool>>,
    seed: u64,
    replicates: u64,
    rows: F,
    sink: S,
) -> anyhow::Result<(Aggregate, Option<DrawSpread>)>
where
    F: RowFormat,
    S: FnMut(&[u8]) -> anyhow::Result<()>,
{
    let aggregate = Aggregate::new(params);
    let work = PairedWork {
        params,
        posterior,
        cancel: engine.cancel_flag(),
        empty: aggregate.block(),
        seed,
        rows: &rows,
    };
    let mut plan = PairedPlan {
        next: 0,
        replicates,
        arms: params.arms.len() as u64,
        aggregate,
        merged: 0,
        spread: posterior.map(|p| DrawSpread::new(p.len(), params.arms.len())),
        sink,
    };
    engine.run(
        &mut plan,
        &work,
        Meter {
            total: replicates,
            unit: "replicates",
        },
    )?;
    Ok((plan.aggregate, plan.spread))
}
