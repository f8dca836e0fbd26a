//! `run` and `sweep`: the library's engine on a worker thread, the GIL released while it simulates,
//! Ctrl-C (KeyboardInterrupt) turned into the engine's cancellation flag. What they return are the
//! bytes the command line writes: `replicates.csv` and `summary.json` of `escalate run`,
//! `sweep.csv`, `sweep.json` and `morris.csv` of `escalate sweep`.

use crate::errors;
use crate::scenario::Scenario;
use escalate::cli::options::{positive_count, threads as thread_count};
use escalate::error::InputError as LibInputError;
use escalate::montecarlo::budget::{self, DEFAULT_MAX_MEMORY_GIB, Shape};
use escalate::montecarlo::{Engine, EngineOptions, run_paired};
use escalate::report::{csv_out, summary};
use escalate::scenario::Compiled;
use escalate::sweep::load::{Overrides, load_sweep};
use escalate::sweep::merge::merge_dir;
use escalate::sweep::run::{Shard, SweepConfig, run_shard};
use escalate::sweep::shard::shards_dir;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// How often the waiting Python thread looks for a signal (Ctrl-C) while the engine works.
const SIGNAL_POLL: Duration = Duration::from_millis(50);

/// Runs `work` on its own thread with the GIL released; the calling thread wakes every
/// [`SIGNAL_POLL`] to let Python run its signal handlers. A KeyboardInterrupt (or any exception a
/// handler raises) sets `cancel`, which stops the engine within a replicate-arm, and is raised once
/// the worker has stopped.
fn interruptible<T: Send>(
    py: Python<'_>,
    cancel: &AtomicBool,
    work: impl FnOnce() -> anyhow::Result<T> + Send,
) -> PyResult<T> {
    std::thread::scope(|scope| {
        let (tx, mut rx) = std::sync::mpsc::channel::<()>();
        let handle = scope.spawn(move || {
            let result = work();
            // The waiting thread may already have stopped listening (an interrupt): nothing to tell.
            let _ = tx.send(());
            result
        });
        loop {
            let (finished, back) = py.detach(move || {
                let r = rx.recv_timeout(SIGNAL_POLL);
                // Disconnected: the worker ended without sending (a panic); join reports it.
                (
                    !matches!(r, Err(std::sync::mpsc::RecvTimeoutError::Timeout)),
                    rx,
                )
            });
            rx = back;
            if finished {
                break;
            }
            if let Err(signal) = py.check_signals() {
                cancel.store(true, Ordering::SeqCst);
                // The engine checks the flag inside every replicate-arm: this returns promptly.
                let _ = py.detach(move || handle.join());
                return Err(signal);
            }
        }
        match py.detach(move || handle.join()) {
            Ok(result) => result.map_err(errors::to_py),
            Err(_) => Err(pyo3::exceptions::PyRuntimeError::new_err(
                "internal error: the simulation panicked (its message is on stderr)",
            )),
        }
    })
}

/// The engine's options: `threads` checked as `--threads` is (0 = every core), no progress bar,
/// cancelled through `cancel`.
fn engine_options(
    threads: usize,
    cancel: &Arc<AtomicBool>,
) -> Result<EngineOptions, LibInputError> {
    Ok(EngineOptions {
        threads: thread_count(threads)?,
        progress: false,
        cancel: Some(cancel.clone()),
    })
}

/// The compiled scenario restricted to `names`, in that order (the first is the baseline of the
/// paired differences), as a sweep's `arms` restricts it.
fn select_arms(c: &Compiled, names: &[String]) -> Result<Compiled, LibInputError> {
    let all: Vec<&str> = c.arms.iter().map(|a| a.name.as_str()).collect();
    let problem = |message: String| LibInputError::Flag {
        flag: "arms".into(),
        message,
    };
    if names.is_empty() {
        return Err(problem(format!(
            "no arm given; give one or more of {}",
            quoted(&all)
        )));
    }
    let mut picked = Vec::with_capacity(names.len());
    for name in names {
        match all.iter().position(|a| a == name) {
            Some(k) if picked.contains(&k) => {
                return Err(problem(format!("\"{name}\" is given twice")));
            }
            Some(k) => picked.push(k),
            None => {
                let hint = escalate::scenario::validate::did_you_mean(name, &all)
                    .map(|n| format!("did you mean \"{n}\"? "))
                    .unwrap_or_default();
                return Err(problem(format!(
                    "the scenario has no arm \"{name}\"; {hint}its arms are {}",
                    quoted(&all)
                )));
            }
        }
    }
    let mut c = c.clone();
    c.arms = picked.iter().map(|&k| c.arms[k].clone()).collect();
    Ok(c)
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Paired replicates of every arm (or of `arms`, the first being the baseline): returns
/// `(replicates.csv bytes, summary.json text, seed, replicates)`, byte for byte what
/// `escalate run --seed SEED --replicates N` writes for the same scenario.
#[pyfunction]
#[pyo3(signature = (scenario, replicates=None, seed=None, threads=0, arms=None, max_memory=DEFAULT_MAX_MEMORY_GIB))]
pub fn run<'py>(
    py: Python<'py>,
    scenario: PyRef<'py, Scenario>,
    replicates: Option<i128>,
    seed: Option<u64>,
    threads: usize,
    arms: Option<Vec<String>>,
    max_memory: f64,
) -> PyResult<(Bound<'py, PyBytes>, String, u64, u64)> {
    let cancel = Arc::new(AtomicBool::new(false));
    let options = engine_options(threads, &cancel).map_err(errors::input)?;
    let replicates = positive_count("--replicates", replicates).map_err(errors::input)?;
    let compiled = match &arms {
        Some(names) => select_arms(&scenario.compiled, names).map_err(errors::input)?,
        None => (*scenario.compiled).clone(),
    };
    let replicates = replicates.unwrap_or(compiled.scenario.replicates as u64);
    let seed = seed.unwrap_or(compiled.scenario.seed);
    let limit = escalate::cli::options::max_memory(max_memory).map_err(errors::input)?;
    budget::estimate(&compiled, replicates, options.threads, Shape::Run)
        .check_memory(limit)
        .map_err(errors::input)?;
    let params = Arc::new(compiled);
    drop(scenario);
    let (csv, json) = interruptible(py, &cancel, move || {
        let rows = csv_out::ReplicateRows {
            seed,
            arms: params.arms.iter().map(|a| a.name.clone()).collect(),
            rungs: params
                .scenario
                .ladder
                .rungs
                .iter()
                .map(|r| r.name.clone())
                .collect(),
        };
        let mut csv = rows.header()?;
        let engine = Engine::new(options)?;
        let agg = run_paired(&engine, &params, seed, replicates, rows, |bytes| {
            csv.extend_from_slice(bytes);
            Ok(())
        })?;
        let json = summary::summary(&params, &agg, seed, replicates).to_json()?;
        Ok((csv, json))
    })?;
    Ok((PyBytes::new(py, &csv), json, seed, replicates))
}

/// A whole sweep, its shard files written under `workdir` (a new or empty folder): returns
/// `(sweep.csv text, sweep.json text, morris.csv text or None)`, byte for byte what
/// `escalate sweep SWEEP --seed SEED --replicates N` writes.
#[pyfunction]
#[pyo3(signature = (path, workdir, replicates=None, seed=None, threads=0, max_memory=DEFAULT_MAX_MEMORY_GIB))]
pub fn sweep(
    py: Python<'_>,
    path: PathBuf,
    workdir: PathBuf,
    replicates: Option<i128>,
    seed: Option<u64>,
    threads: usize,
    max_memory: f64,
) -> PyResult<(String, String, Option<String>)> {
    let cancel = Arc::new(AtomicBool::new(false));
    let engine = engine_options(threads, &cancel).map_err(errors::input)?;
    let overrides = Overrides {
        seed,
        replicates: positive_count("--replicates", replicates).map_err(errors::input)?,
        precision: None,
        max_replicates: None,
    };
    let limit = escalate::cli::options::max_memory(max_memory).map_err(errors::input)?;
    let threads = engine.threads;
    interruptible(py, &cancel, move || {
        let s = load_sweep(&path, &overrides)?;
        // The memory a point needs, checked before any point runs, as `escalate sweep` does.
        escalate::cli::options::sweep_estimate(&s, threads)?.check_memory(limit)?;
        let shards = shards_dir(&workdir);
        std::fs::create_dir_all(&shards)
            .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", shards.display()))?;
        escalate::files::write_atomically(&shards.join("sweep.ron"), s.resolved.as_bytes())?;
        let cfg = SweepConfig {
            engine,
            resume: false,
            force: true,
        };
        run_shard(&s, Shard::WHOLE, &workdir, &cfg)?;
        let merged = merge_dir(&workdir)?;
        let json = serde_json::to_string_pretty(&merged.summary)? + "\n";
        Ok((merged.csv, json, merged.morris_csv))
    })
}
