//! Paired replicates on rayon: every replicate runs all arms with the same streams; results come
//! back in replicate order, chunk by chunk, whatever the thread count.

use super::aggregate::Aggregate;
use crate::scenario::compile::Compiled;
use crate::sim::{RunResult, Simulator};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::sync::Arc;

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
}

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
    let mut agg = Aggregate::new(&params);
    let mut start = 0;
    while start < cfg.replicates {
        let end = (start + CHUNK).min(cfg.replicates);
        let chunk: Vec<Vec<RunResult>> = pool.install(|| {
            (start..end)
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
        });
        for (i, runs) in chunk.iter().enumerate() {
            let r = start + i as u64;
            agg.push(runs);
            sink(r, runs)?;
        }
        start = end;
    }
    bar.finish_and_clear();
    Ok(agg)
}
