//! The options layer: the parsed command line turned into typed options and checked in one pass
//! (as hyperfine's `Options::from_cli_arguments`), before anything runs or is written. Every
//! subcommand that simulates takes its engine options from here, so `--threads` (0 = every core,
//! at most [`MAX_THREADS`]), the progress bar and Ctrl-C behave the same in `run`, `sweep` and
//! `demo --find`.

use super::demo::DemoArgs;
use super::{RunArgs, SweepArgs};
use crate::demo::find::Contrast;
use crate::error::InputError;
use crate::montecarlo::budget::{self, Estimate, Shape};
use crate::montecarlo::{EngineOptions, Interrupted};
use crate::report::folder::{Destination, latest_numbered, next_numbered};
use crate::scenario::Compiled;
use crate::scenario::load::load_scenario;
use crate::sweep::load::{LoadedSweep, Overrides, load_sweep};
use crate::sweep::run::Shard;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

/// Largest `--threads` accepted.
pub const MAX_THREADS: usize = 1024;

/// Most seeds `demo --find` may try (a bound on the search, not on the seeds themselves).
pub const MAX_SEEDS: u64 = 1_000_000_000;

fn flag(flag: &str, message: impl Into<String>) -> InputError {
    InputError::Flag {
        flag: flag.into(),
        message: message.into(),
    }
}

/// Worker threads for `--threads N`: 0 means every core; more than [`MAX_THREADS`] is refused.
pub fn threads(requested: usize) -> Result<usize, InputError> {
    match requested {
        0 => Ok(std::thread::available_parallelism().map_or(1, |n| n.get())),
        n if n > MAX_THREADS => Err(flag(
            "--threads",
            format!("{n} is too many; use 0 (all cores) or a number up to {MAX_THREADS}"),
        )),
        n => Ok(n),
    }
}

/// The process's cancellation flag, set by Ctrl-C or SIGTERM. The handler is installed the first
/// time this is called, and only then (a process can install one handler).
pub fn cancellation() -> Arc<AtomicBool> {
    static FLAG: OnceLock<Arc<AtomicBool>> = OnceLock::new();
    FLAG.get_or_init(|| {
        let flag = Arc::new(AtomicBool::new(false));
        let set = flag.clone();
        // Without a handler (e.g. another one is installed) Ctrl-C ends the process at once, which
        // leaves a temporary folder behind but never a wrong result.
        let _ = ctrlc::set_handler(move || set.store(true, Ordering::SeqCst));
        flag
    })
    .clone()
}

/// The environment variable that makes a process wait at the start of a phase until it is
/// interrupted (at most a minute). For tests only: it lets a test send a signal in a phase that
/// would otherwise pass too quickly to hit ("plotting", "sweep-output"). Not for users.
pub const TEST_PAUSE_VARIABLE: &str = "ESCALATE_TEST_PAUSE";

/// A cancellation point at the start of `phase`: Err([`Interrupted`]) if Ctrl-C or SIGTERM has
/// arrived. With [`TEST_PAUSE_VARIABLE`] set to `phase`, first says so on stderr and waits for the
/// signal (tests only).
pub fn checkpoint(phase: &str) -> Result<(), Interrupted> {
    let cancel = cancellation();
    if !phase.is_empty() && std::env::var_os(TEST_PAUSE_VARIABLE).is_some_and(|v| v == phase) {
        eprintln!("paused at {phase} ({TEST_PAUSE_VARIABLE} is set: tests only)");
        let until = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while !cancel.load(Ordering::SeqCst) && std::time::Instant::now() < until {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
    if cancel.load(Ordering::SeqCst) {
        Err(Interrupted)
    } else {
        Ok(())
    }
}

/// A count flag (`--replicates`, `--max-replicates`), checked: a whole number of 1 or more. Parsed
/// by clap as a wide signed integer, so that `-1` reaches this message rather than clap's "invalid
/// digit" (or its hint to write `-- -1`, which would make -1 the scenario path).
pub fn positive_count(flag_name: &str, value: Option<i128>) -> Result<Option<u64>, InputError> {
    value
        .map(|n| {
            u64::try_from(n).ok().filter(|n| *n >= 1).ok_or_else(|| {
                flag(
                    flag_name,
                    format!(
                        "{n} is not allowed: it must be a positive integer (1 to {})",
                        u64::MAX
                    ),
                )
            })
        })
        .transpose()
}

/// `--max-memory GIB`, checked: a finite number above 0.
pub fn max_memory(gib: f64) -> Result<f64, InputError> {
    if gib.is_finite() && gib > 0.0 {
        Ok(gib)
    } else {
        Err(flag(
            "--max-memory",
            format!("{gib} is not a size; give a number of GiB above 0, e.g. --max-memory 8"),
        ))
    }
}

/// The engine's options for `--threads N`, with a progress bar unless `quiet`.
pub fn engine_options(requested_threads: usize, quiet: bool) -> Result<EngineOptions, InputError> {
    Ok(EngineOptions {
        threads: threads(requested_threads)?,
        progress: !quiet,
        cancel: Some(cancellation()),
    })
}

/// `escalate run`, checked.
pub struct RunOptions {
    /// The scenario, validated and compiled (the scenario as written is its `scenario`).
    pub compiled: Compiled,
    /// How the scenario is named in messages (its path, or the built-in label).
    pub label: String,
    /// Master seed (`--seed`, else the scenario's).
    pub seed: u64,
    /// Replicates (`--replicates`, else the scenario's); at least 1.
    pub replicates: u64,
    /// Result folder (`--out`, else the next free `results/runs/<scenario name>-NNN`).
    pub out: Destination,
    /// Replace an existing result folder.
    pub force: bool,
    /// No progress bar, no table.
    pub quiet: bool,
    /// Threads, progress, cancellation.
    pub engine: EngineOptions,
    /// The run's expected memory and work (its memory already checked against --max-memory).
    pub estimate: Estimate,
    /// The event log to write (`--events`), with its replicates.
    pub events: Option<(PathBuf, std::ops::RangeInclusive<u64>)>,
}

impl RunOptions {
    /// Checks the flags, then reads and validates the scenario.
    pub fn from_cli_arguments(a: &RunArgs) -> anyhow::Result<RunOptions> {
        let engine = engine_options(a.threads, a.quiet)?;
        let replicates = positive_count("--replicates", a.replicates)?;
        let (compiled, label, _) = load_scenario(a.scenario.as_deref())?;
        let scenario = &compiled.scenario;
        let replicates = replicates.unwrap_or(scenario.replicates as u64);
        if replicates == 0 {
            return Err(flag("--replicates", "must be at least 1").into());
        }
        let seed = a.seed.unwrap_or(scenario.seed);
        let estimate = budget::estimate(&compiled, replicates, engine.threads, Shape::Run);
        estimate.check_memory(max_memory(a.max_memory)?)?;
        let out = match &a.out {
            Some(out) => Destination::Named(out.clone()),
            None => Destination::Numbered {
                parent: PathBuf::from("results").join("runs"),
                stem: scenario.name.clone(),
            },
        };
        let events = match &a.events {
            Some(path) => {
                let range = match &a.events_replicates {
                    Some(text) => crate::report::events::parse_replicate_range(text)
                        .map_err(|m| flag("--events-replicates", m))?,
                    // The first ten, or every replicate of a shorter run.
                    None => 0..=replicates.min(10).saturating_sub(1),
                };
                if *range.end() >= replicates {
                    return Err(flag(
                        "--events-replicates",
                        format!(
                            "replicate {} is not run: --replicates is {replicates} (indices 0-{})",
                            range.end(),
                            replicates - 1
                        ),
                    )
                    .into());
                }
                let count = range.end() - range.start() + 1;
                if count > crate::report::events::MAX_EVENT_REPLICATES {
                    return Err(flag(
                        "--events-replicates",
                        format!(
                            "{count} replicates; an event log covers at most {}",
                            crate::report::events::MAX_EVENT_REPLICATES
                        ),
                    )
                    .into());
                }
                crate::report::events::check_target(path, a.force)?;
                Some((path.clone(), range))
            }
            None => None,
        };
        Ok(RunOptions {
            compiled,
            seed,
            out,
            label,
            replicates,
            force: a.force,
            quiet: a.quiet,
            engine,
            estimate,
            events,
        })
    }
}

/// `escalate sweep`, checked.
pub struct SweepOptions {
    /// The sweep, every point checked against the scenario's validation.
    pub sweep: LoadedSweep,
    /// The shard to run; None runs the whole design and merges it.
    pub shard: Option<Shard>,
    /// Output folder (`--out`, else a new numbered folder under `results/sweeps/`, or with
    /// `--resume` the latest one of this sweep). What it holds is checked when the sweep starts.
    pub out: PathBuf,
    /// Carry on from an earlier run.
    pub resume: bool,
    /// Discard earlier results.
    pub force: bool,
    /// No progress bar, no messages.
    pub quiet: bool,
    /// Threads, progress, cancellation.
    pub engine: EngineOptions,
    /// The sweep's expected memory and work (its memory already checked against --max-memory).
    pub estimate: Estimate,
}

impl SweepOptions {
    /// Checks the flags, reads and checks the sweep file, and resolves the output folder.
    pub fn from_cli_arguments(a: &SweepArgs) -> anyhow::Result<SweepOptions> {
        let shard = a.shard.as_deref().map(parse_shard).transpose()?;
        let engine = engine_options(a.threads, a.quiet)?;
        if a.resume && a.force {
            return Err(flag(
                "--resume",
                "--resume keeps earlier results and --force discards them: give one of them",
            )
            .into());
        }
        let overrides = Overrides {
            seed: a.seed,
            replicates: positive_count("--replicates", a.replicates)?,
            precision: a.precision,
            max_replicates: positive_count("--max-replicates", a.max_replicates)?,
        };
        let limit = max_memory(a.max_memory)?;
        let sweep = load_sweep(&a.sweep, &overrides)?;
        let estimate = sweep_estimate(&sweep, engine.threads)?;
        estimate.check_memory(limit)?;
        let out = sweep_destination(a, &sweep.spec.name, shard.is_some())?;
        Ok(SweepOptions {
            sweep,
            shard,
            out,
            resume: a.resume,
            force: a.force,
            quiet: a.quiet,
            engine,
            estimate,
        })
    }
}

/// A sweep's estimate: its first point (with the compared arms) stands for every point, at the most
/// replicates a point may take.
pub fn sweep_estimate(sweep: &LoadedSweep, threads: usize) -> Result<Estimate, InputError> {
    let first = sweep.compiled_at(0).map_err(|p| InputError::Invalid {
        file: sweep.label.clone(),
        problems: vec![p],
        located: Vec::new(),
    })?;
    let replicates = sweep
        .spec
        .precision
        .as_ref()
        .map_or(sweep.spec.replicates, |p| {
            p.max_replicates.max(sweep.spec.replicates)
        });
    let points = sweep.points.len() as u64;
    Ok(budget::estimate(
        &first,
        replicates,
        threads,
        Shape::Sweep { points },
    ))
}

/// The sweep's output folder: `--out`, or under results/sweeps/ a fresh numbered folder (with
/// `--resume`, the latest one of this sweep).
fn sweep_destination(a: &SweepArgs, name: &str, sharded: bool) -> Result<PathBuf, InputError> {
    if let Some(out) = &a.out {
        return Ok(out.clone());
    }
    if sharded {
        return Err(flag(
            "--shard",
            "the shards of one sweep must write into one folder: give it with --out",
        ));
    }
    let parent = PathBuf::from("results").join("sweeps");
    if a.resume {
        return latest_numbered(&parent, name).ok_or_else(|| {
            flag(
                "--resume",
                format!(
                    "there is no earlier run of the sweep \"{name}\" under {} to resume; give its folder with --out",
                    parent.display()
                ),
            )
        });
    }
    Ok(next_numbered(&parent, name))
}

/// Parses `--shard I/N` (0-based index I of N shards).
pub fn parse_shard(text: &str) -> Result<Shard, InputError> {
    let bad = |m: String| {
        flag(
            "--shard",
            format!(
                "\"{text}\": {m}; write I/N with 0 ≤ I < N, e.g. --shard 3/16 (Slurm: $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT)"
            ),
        )
    };
    let (i, n) = text.split_once('/').ok_or_else(|| bad("no `/`".into()))?;
    let i: u32 = i
        .trim()
        .parse()
        .map_err(|_| bad(format!("`{i}` is not a shard index")))?;
    let n: u32 = n
        .trim()
        .parse()
        .map_err(|_| bad(format!("`{n}` is not a shard count")))?;
    if n == 0 || i >= n {
        return Err(bad(format!("index {i} is not below the count {n}")));
    }
    Ok(Shard { index: i, count: n })
}

/// `escalate demo --find`, checked (the arms are checked with the rest of the demo's flags).
pub struct FindOptions {
    /// The contrast searched for.
    pub contrast: Contrast,
    /// Seeds tried: 1 to this.
    pub max_seeds: u64,
    /// Threads and cancellation (no progress bar: the search prints one line).
    pub engine: EngineOptions,
}

impl FindOptions {
    /// The search's options, or None without `--find`.
    pub fn from_cli_arguments(a: &DemoArgs) -> Result<Option<FindOptions>, InputError> {
        let Some(name) = &a.find else {
            return Ok(None);
        };
        let Some(contrast) = Contrast::from_name(name) else {
            let names: Vec<&str> = Contrast::ALL.iter().map(|c| c.1).collect();
            return Err(flag(
                "--find",
                format!("unknown contrast \"{name}\"; known: {}", names.join(", ")),
            ));
        };
        if a.max_seeds == 0 || a.max_seeds > MAX_SEEDS {
            return Err(flag(
                "--max-seeds",
                format!("{} is out of range; use 1 to {MAX_SEEDS}", a.max_seeds),
            ));
        }
        let engine = engine_options(a.threads, true)?;
        max_memory(a.max_memory)?;
        Ok(Some(FindOptions {
            contrast,
            max_seeds: a.max_seeds,
            engine,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_zero_means_every_core_and_the_cap_is_the_same_everywhere() {
        assert!(threads(0).expect("0 is valid") >= 1);
        assert_eq!(threads(3).expect("valid"), 3);
        assert_eq!(threads(MAX_THREADS).expect("valid"), MAX_THREADS);
        let e = threads(MAX_THREADS + 1).expect_err("too many");
        assert!(
            e.to_string().starts_with("--threads: 1025 is too many"),
            "{e}"
        );
    }

    #[test]
    fn the_cancellation_flag_is_one_flag() {
        let a = cancellation();
        let b = cancellation();
        assert!(Arc::ptr_eq(&a, &b));
    }

    #[test]
    fn shards_are_parsed_and_checked() {
        assert_eq!(
            parse_shard("3/16").expect("valid"),
            Shard {
                index: 3,
                count: 16
            }
        );
        for bad in ["3", "16/16", "a/2", "1/b", "0/0"] {
            let e = parse_shard(bad).expect_err(bad);
            assert!(e.to_string().starts_with("--shard: "), "{e}");
        }
    }
}
