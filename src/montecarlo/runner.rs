//! Paired replicates on rayon: every replicate runs all arms with the same streams; results come
//! back in replicate order, chunk by chunk, whatever the thread count.

use super::aggregate::Aggregate;
use crate::scenario::compile::Compiled;
use crate::sim::{RunResult, Simulator};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Replicates simulated per chunk before results are handed on (bounds memory).
const CHUNK: u64 = 2048;

/// How to run.
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// Master seed.
    pub seed: u64,
    /// Number of replicates (each runs every arm).
    pub replicates: u64,
    /// Worker threads (0: all cores).
    pub threads: usize,
    /// Show a progress bar on stderr (only honoured on a terminal).
    pub progress: bool,
    /// Set (e.g. by a Ctrl-C handler) to stop at the next chunk boundary with [`Interrupted`].
    pub cancel: Option<Arc<AtomicBool>>,
}

/// The run was interrupted before it finished (nothing is written).
#[derive(Debug, thiserror::Error)]
#[error("interrupted before the run finished; nothing was written")]
pub struct Interrupted;

/// Runs every replicate of every arm; `sink` receives each replicate's results in replicate order.
pub fn run_paired(
    params: Arc<Compiled>,
    cfg: &RunConfig,
    mut sink: impl FnMut(u64, &[RunResult]) -> anyhow::Result<()>,
) -> anyhow::Result<Aggregate> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cfg.threads)
        .build()
        .map_err(|e| anyhow::anyhow!("cannot start {} worker threads: {e}", cfg.threads))?;
    let bar = if cfg.progress && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        let b = ProgressBar::with_draw_target(Some(cfg.replicates), ProgressDrawTarget::stderr());
        b.set_style(
            ProgressStyle::with_template(
                "{spinner} {bar:40} {pos}/{len} replicates  {per_sec}  eta {eta}",
            )
            .expect("invariant: the progress template is valid"),
        );
        b
    } else {
        ProgressBar::hidden()
    };
    let arms = params.arms.len();
    let compute = |from: u64, to: u64| -> Vec<Vec<RunResult>> {
        pool.install(|| {
            (from..to)
                .collect::<Vec<u64>>()
                .into_par_iter()
                .with_min_len(16)
                .map_init(
                    || Simulator::new(params.clone()),
                    |sim, r| {
                        let runs = (0..arms).map(|a| sim.run(cfg.seed, r, a)).collect();
                        bar.inc(1);
                        runs
                    },
                )
                .collect()
        })
    };
    let mut agg = Aggregate::new(&params);
    // Pipeline: while the workers simulate one chunk, this thread aggregates and writes the previous
    // one, in replicate order.
    let mut pending: Option<(u64, Vec<Vec<RunResult>>)> = None;
    let mut start = 0;
    loop {
        if cfg
            .cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::SeqCst))
        {
            bar.abandon();
            return Err(Interrupted.into());
        }
        let next = (start < cfg.replicates).then(|| (start, (start + CHUNK).min(cfg.replicates)));
        if next.is_none() && pending.is_none() {
            break;
        }
        let (computed, sunk) = std::thread::scope(|scope| {
            let worker = next.map(|(from, to)| scope.spawn(move || compute(from, to)));
            let sunk = match pending.take() {
                Some((first, chunk)) => chunk.iter().enumerate().try_for_each(|(i, runs)| {
                    agg.push(runs);
                    sink(first + i as u64, runs)
                }),
                None => Ok(()),
            };
            let computed = worker.map(|w| {
                w.join()
                    .map_err(|_| anyhow::anyhow!("a simulation worker panicked"))
            });
            (computed, sunk)
        });
        sunk?;
        if let (Some((from, to)), Some(chunk)) = (next, computed) {
            pending = Some((from, chunk?));
            start = to;
        }
    }
    bar.finish_and_clear();
    Ok(agg)
}
