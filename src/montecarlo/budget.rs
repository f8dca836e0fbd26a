//! The resource model: before a run starts, an estimate of the memory and the work it implies, from
//! the compiled scenario and the flags. A run whose memory estimate exceeds the limit is refused
//! (an allocation failure would abort it, lose everything and may stall the machine); a run whose
//! work is long is only warned about (it can be interrupted at any time, and a long run may be meant).
//!
//! The memory model follows what the engine holds (see `engine.rs` and `aggregate.rs`): the run's
//! aggregate per arm (dense over rungs × days, and over ordered pairs of states), the blocks in
//! flight (each with a sample per replicate, arm, metric and pair), each worker's simulator (every
//! operation of a replicate-arm at once), and the report's day-by-rung timelines. It is an upper
//! estimate within a small factor, which is what a refusal needs.

use super::aggregate::BlockAggregate;
use super::engine::{BLOCK, IN_FLIGHT_PER_THREAD};
use super::metrics::METRICS;
use super::stats::Moments;
use crate::error::InputError;
use crate::scenario::compile::Compiled;
use crate::scenario::validate::limits::expected_events_per_run;
use std::mem::size_of;

/// Default memory limit, GiB: what a laptop can give one program without swapping.
pub const DEFAULT_MAX_MEMORY_GIB: f64 = 4.0;

/// Bytes one operation of a replicate-arm takes while it runs (its entity, components, ledger entry
/// and agenda events): measured as peak memory over a million operations, rounded up.
pub const BYTES_PER_OPERATION: f64 = 320.0;

/// Bytes per row of replicates.csv (measured on the bundled scenarios: 130), rounded up.
pub const BYTES_PER_CSV_ROW: f64 = 160.0;

/// Operations simulated per second on one thread (measured: about a million on the default
/// scenario, less on busier ones); only used to put a long run's warning in hours.
pub const OPERATIONS_PER_SECOND_PER_THREAD: f64 = 1.0e6;

/// Above this much estimated time (seconds), a run is warned about before it starts.
pub const WARN_AFTER_SECONDS: f64 = 3600.0;

const GIB: f64 = 1024.0 * 1024.0 * 1024.0;

/// What a run is expected to take.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// Operations and dialogue rounds expected per replicate-arm.
    pub events_per_run: f64,
    /// Replicate-arms to simulate.
    pub replicate_arms: f64,
    /// Peak memory, bytes.
    pub memory_bytes: f64,
    /// Bytes of replicates.csv (0 when none is written).
    pub csv_bytes: f64,
    /// Worker threads the estimate assumes.
    pub threads: usize,
}

/// How a run holds its aggregates: one at a time (`escalate run`), or one per point in flight (a
/// sweep keeps the aggregate of every point whose blocks are still coming back).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `escalate run`: one aggregate, replicates.csv written.
    Run,
    /// `escalate sweep`: up to this many points' aggregates at once, no replicates.csv.
    Sweep {
        /// Points in the design (or shard).
        points: u64,
    },
    /// `escalate demo --find`: no aggregate, only outcomes.
    Find,
}

/// Estimates the memory and work of `replicates` replicates of every arm of `p` on `threads` threads.
pub fn estimate(p: &Compiled, replicates: u64, threads: usize, shape: Shape) -> Estimate {
    let threads = threads.max(1);
    let arms = p.arms.len() as f64;
    let n = p.states.len() as f64;
    let pairs = n * n;
    let days = f64::from(p.scenario.horizon_days);
    let rungs = p.scenario.ladder.rungs.len() as f64;
    let metrics = METRICS.len() as f64;
    let moments = size_of::<Moments>() as f64;
    let events = expected_events_per_run(&p.scenario);

    // The run's aggregate, per arm: timelines (rung × day), day histograms, pair tallies.
    let arm_aggregate = 8.0 * rungs * (days + 2.0)
        + 8.0 * 3.0 * (days + 1.0)
        + pairs * (moments + 8.0 * 13.0)
        + 8.0 * (n + 2.0) * n
        + metrics * (8.0 + 2.0 * moments);
    let aggregate = arms * arm_aggregate;
    // A block in flight: tallies per arm, and a sample per replicate, arm, metric and pair.
    let block = size_of::<BlockAggregate>() as f64
        + arms * (pairs * 8.0 * 13.0 + 8.0 * (n + 2.0) * n + metrics * 8.0)
        + BLOCK as f64 * arms * (metrics + pairs) * 8.0;
    let blocks = (threads * (IN_FLIGHT_PER_THREAD + 1)) as f64 * block;
    // Each worker's simulator: every operation of one replicate-arm, the pairs of states.
    let simulator = events * BYTES_PER_OPERATION + pairs * 256.0;
    let workers = threads as f64 * simulator;
    let (aggregates, report, csv_bytes, runs) = match shape {
        Shape::Run => (
            aggregate,
            // The report turns each arm's timeline into day rows, and plots read them back
            // (measured: 255 rungs over a century in 4 arms peak at 1.27 GB, which this matches).
            3.5 * arms * days * (rungs * 8.0 + 24.0),
            replicates as f64 * arms * BYTES_PER_CSV_ROW,
            replicates as f64 * arms,
        ),
        Shape::Sweep { points } => {
            let in_flight = points.min((threads * IN_FLIGHT_PER_THREAD + 1) as u64) as f64;
            (
                in_flight * aggregate,
                0.0,
                0.0,
                replicates as f64 * arms * points as f64,
            )
        }
        Shape::Find => (0.0, 0.0, 0.0, replicates as f64 * arms),
    };
    Estimate {
        events_per_run: events,
        replicate_arms: runs,
        memory_bytes: aggregates + report + blocks + workers,
        csv_bytes,
        threads,
    }
}

impl Estimate {
    /// Refuses the run when its memory estimate exceeds `limit_gib`, naming the estimate, the limit,
    /// what drives it and the flag that raises it.
    pub fn check_memory(&self, limit_gib: f64) -> Result<(), InputError> {
        if self.memory_bytes <= limit_gib * GIB {
            return Ok(());
        }
        let needed = (self.memory_bytes / GIB).ceil();
        Err(InputError::Flag {
            flag: "--max-memory".into(),
            message: format!(
                "this run would need about {} of memory, more than the limit of {limit_gib} GiB. \
                 Memory grows with rungs × horizon days × arms (each arm's timeline), with the square \
                 of the number of states, with the operations of one replicate-arm (about {:.0} here) \
                 and with --threads. Use a shorter horizon, fewer arms, rungs or states, or fewer \
                 threads; or, if the machine has the memory, raise the limit with --max-memory {needed}",
                if self.memory_bytes >= 0.1 * GIB {
                    format!("{:.1} GiB", self.memory_bytes / GIB)
                } else {
                    format!(
                        "{:.0} MiB",
                        (self.memory_bytes / (1024.0 * 1024.0)).max(1.0)
                    )
                },
                self.events_per_run,
            ),
        })
    }

    /// Estimated wall time in seconds on the estimate's threads.
    pub fn seconds(&self) -> f64 {
        // Each replicate-arm also has a fixed cost, about that of 50 operations.
        self.replicate_arms * (self.events_per_run + 50.0)
            / (OPERATIONS_PER_SECOND_PER_THREAD * self.threads as f64)
    }

    /// A warning for a run expected to take longer than [`WARN_AFTER_SECONDS`], or None.
    pub fn long_run_warning(&self) -> Option<String> {
        let seconds = self.seconds();
        if seconds <= WARN_AFTER_SECONDS {
            return None;
        }
        let disk = if self.csv_bytes > GIB {
            format!(
                ", and replicates.csv will take about {:.0} GiB",
                self.csv_bytes / GIB
            )
        } else {
            String::new()
        };
        Some(format!(
            "this run simulates {:.3e} replicate-arms of about {:.0} operations each: roughly {:.0} hours \
             on {} thread{}{disk}. Ctrl-C stops it cleanly (nothing is written); fewer replicates \
             or a shorter horizon make it shorter",
            self.replicate_arms,
            self.events_per_run,
            seconds / 3600.0,
            self.threads,
            if self.threads == 1 { "" } else { "s" }
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load::{DEFAULT_SCENARIO, parse_scenario};

    fn default() -> Compiled {
        parse_scenario("default", DEFAULT_SCENARIO).expect("valid")
    }

    #[test]
    fn the_bundled_default_fits_well_within_the_default_limit() {
        let e = estimate(&default(), 20_000, 2, Shape::Run);
        assert!(
            e.memory_bytes < 0.05 * DEFAULT_MAX_MEMORY_GIB * GIB,
            "{e:?}"
        );
        assert!(e.check_memory(DEFAULT_MAX_MEMORY_GIB).is_ok());
        assert!(e.long_run_warning().is_none(), "{e:?}");
    }

    #[test]
    fn a_long_ladder_over_a_century_in_many_arms_is_refused_with_the_flag_that_raises_it() {
        let mut p = default();
        p.scenario.horizon_days = 36_525;
        let rungs = p.scenario.ladder.rungs.clone();
        while p.scenario.ladder.rungs.len() < 255 {
            p.scenario.ladder.rungs.extend(rungs.iter().cloned());
        }
        p.scenario.ladder.rungs.truncate(255);
        let arm = p.arms[0].clone();
        p.arms.resize(60, arm);
        let e = estimate(&p, 1000, 2, Shape::Run);
        let err = e
            .check_memory(DEFAULT_MAX_MEMORY_GIB)
            .expect_err("4.5 GB of timelines alone");
        let m = err.to_string();
        assert!(
            m.starts_with("--max-memory: this run would need about"),
            "{m}"
        );
        assert!(m.contains("more than the limit of 4 GiB"), "{m}");
        let raise = m.rsplit(' ').next().expect("a number").parse::<f64>();
        let raise = raise.expect("ends with the limit to give");
        assert!(e.check_memory(raise).is_ok(), "{m}");
    }

    #[test]
    fn memory_grows_with_threads_and_work_with_replicates() {
        let p = default();
        let one = estimate(&p, 1000, 1, Shape::Run);
        let many = estimate(&p, 1000, 64, Shape::Run);
        assert!(many.memory_bytes > one.memory_bytes);
        let long = estimate(&p, 1_000_000_000, 2, Shape::Run);
        assert!(long.seconds() > 100.0 * one.seconds());
        let w = long
            .long_run_warning()
            .expect("a billion replicates is long");
        assert!(w.contains("hours"), "{w}");
    }
}
