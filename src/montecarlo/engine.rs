//! The one Monte Carlo engine: fixed blocks of work simulated in parallel on rayon, each worker
//! thread with its own simulator (one World and its Schedules), results merged in the order the
//! blocks were planned, whatever the thread count.
//!
//! Two halves meet here. The calling thread owns a [`Plan`]: it says which block comes next and
//! merges each simulated block, strictly in planning order (so floating-point sums and file rows
//! are the same with 1 or 1024 threads). The workers share a [`Work`]: each builds its own worker
//! state once and simulates whole blocks with it, doing the per-replicate work (aggregation, row
//! formatting) where the replicates are. `escalate run`, `escalate sweep` and `escalate demo --find`
//! are three plans over this one engine.
//!
//! Blocks in flight are bounded (memory stays flat however many replicates), cancellation is
//! looked at before each block and while waiting (honoured within a block's time, milliseconds),
//! and a progress bar is drawn only on a terminal.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Replicates (or seeds) per block. Fixed, so the blocks and everything computed from them are the
/// same whatever the thread count; small enough that a block takes milliseconds, which bounds how
/// long a cancellation waits.
pub const BLOCK: u64 = 64;

/// Blocks in flight per worker thread: enough to keep every worker busy while an early block is
/// late, few enough that memory does not grow with the run.
pub(crate) const IN_FLIGHT_PER_THREAD: usize = 4;

/// Blocks a worker simulates before it builds its state (its simulator) afresh. A simulator's World
/// grows by about 1.5 KB per replicate-arm it has run (measured with bevy_ecs 0.20: the memory is
/// freed when the World is dropped), so without this a long run or `--find` over many seeds grows
/// without bound. Results never depend on a simulator's history (blocks go to any worker), and a
/// new simulator costs about 100 µs, against about a second for 16 blocks of the default scenario.
pub(crate) const BLOCKS_PER_WORKER_STATE: u32 = 16;

/// How often the merging thread looks at the cancellation flag while it waits for a block.
const POLL: Duration = Duration::from_millis(50);

/// How the engine runs: resolved options (see the command line's options layer).
#[derive(Debug, Clone)]
pub struct EngineOptions {
    /// Worker threads (at least 1).
    pub threads: usize,
    /// Draw a progress bar on stderr (only honoured when stderr is a terminal).
    pub progress: bool,
    /// Set (e.g. by a Ctrl-C handler) to stop with [`Interrupted`].
    pub cancel: Option<Arc<AtomicBool>>,
}

/// The run was interrupted before it finished.
#[derive(Debug, thiserror::Error)]
#[error("interrupted before the run finished; nothing was written")]
pub struct Interrupted;

/// What the merging thread tells the engine after a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Carry on.
    Continue,
    /// Stop now: the plan has what it needs (blocks still in flight are dropped).
    Stop,
}

/// The calling thread's half: which block comes next, and what each simulated block adds.
pub trait Plan {
    /// A block of work: what a worker needs to simulate it.
    type Task: Send;
    /// What a worker returns for a block.
    type Output: Send;
    /// The next block, or None when no block can be planned until more are merged (or none is
    /// left: the run ends when nothing is in flight and this returns None).
    fn next_task(&mut self) -> anyhow::Result<Option<Self::Task>>;
    /// Takes one simulated block; called in the order the blocks were planned.
    fn merge(&mut self, task: Self::Task, output: Self::Output) -> anyhow::Result<Flow>;
    /// Units done so far (of [`Meter::total`]) and replicate-arms simulated, for the progress bar.
    fn progress(&self) -> (u64, u64);
}

/// The workers' half: how to simulate a block.
pub trait Work: Sync {
    /// A block of work.
    type Task: Send;
    /// What a block gives.
    type Output: Send;
    /// A worker's own state (its simulator: a World is bound to its Schedule, so each worker
    /// builds one and keeps it).
    type Worker;
    /// Builds a worker's state, on the worker's thread.
    fn worker(&self) -> Self::Worker;
    /// Blocks a worker simulates before it builds its state afresh (see
    /// [`BLOCKS_PER_WORKER_STATE`]); work whose state is costly to build may keep it longer.
    fn blocks_per_worker_state(&self) -> u32 {
        BLOCKS_PER_WORKER_STATE
    }
    /// Simulates one block.
    fn simulate(
        &self,
        worker: &mut Self::Worker,
        task: &Self::Task,
    ) -> anyhow::Result<Self::Output>;
}

/// What the progress bar counts.
#[derive(Debug, Clone, Copy)]
pub struct Meter {
    /// Units in the whole run.
    pub total: u64,
    /// Their name, e.g. "replicates" or "points".
    pub unit: &'static str,
}

/// A pool of worker threads and the run's options.
pub struct Engine {
    pool: rayon::ThreadPool,
    options: EngineOptions,
}

type Done<T, O> = (u64, T, anyhow::Result<O>);

impl Engine {
    /// Starts the worker threads.
    pub fn new(options: EngineOptions) -> anyhow::Result<Engine> {
        let threads = options.threads.max(1);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| anyhow::anyhow!("cannot start {threads} worker threads: {e}"))?;
        Ok(Engine {
            pool,
            options: EngineOptions { threads, ..options },
        })
    }

    /// Worker threads.
    pub fn threads(&self) -> usize {
        self.options.threads
    }

    /// The cancellation flag, for work that checks it inside a block (see
    /// [`crate::sim::Simulator::run_cancellable`]).
    pub fn cancel_flag(&self) -> Option<Arc<AtomicBool>> {
        self.options.cancel.clone()
    }

    /// Whether the run was asked to stop.
    pub fn cancelled(&self) -> bool {
        self.options
            .cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::SeqCst))
    }

    /// Runs `plan` to the end on the workers; fails with [`Interrupted`] when cancelled, or with the
    /// first error of a block or of a merge.
    pub fn run<P, W>(&self, plan: &mut P, work: &W, meter: Meter) -> anyhow::Result<()>
    where
        P: Plan,
        W: Work<Task = P::Task, Output = P::Output>,
    {
        let bar = self.bar(meter);
        let (task_tx, task_rx) = mpsc::channel::<(u64, P::Task)>();
        let task_rx = Mutex::new(task_rx);
        let (done_tx, done_rx) = mpsc::channel::<Done<P::Task, P::Output>>();
        let stop = AtomicBool::new(false);
        let result = self.pool.in_place_scope(|scope| {
            for _ in 0..self.options.threads {
                let done_tx = done_tx.clone();
                let (task_rx, stop) = (&task_rx, &stop);
                scope.spawn(move |_| worker_loop(work, task_rx, &done_tx, stop));
            }
            drop(done_tx);
            let result = self.drive(plan, task_tx, &done_rx, &bar);
            // Workers skip what is still queued and end when the task channel closes (it closed
            // when `drive` returned).
            stop.store(true, Ordering::SeqCst);
            result
        });
        match &result {
            Ok(()) => bar.finish_and_clear(),
            Err(_) => bar.abandon(),
        }
        result
    }

    fn bar(&self, meter: Meter) -> ProgressBar {
        if !(self.options.progress && std::io::IsTerminal::is_terminal(&std::io::stderr())) {
            return ProgressBar::hidden();
        }
        let b = ProgressBar::with_draw_target(Some(meter.total), ProgressDrawTarget::stderr());
        b.set_style(
            ProgressStyle::with_template(&format!(
                "{{spinner}} {{bar:40}} {{pos}}/{{len}} {}  {{msg}}  eta {{eta}}",
                meter.unit
            ))
            .expect("invariant: the progress template is valid"),
        );
        b
    }

    /// The merging thread: plans blocks up to the in-flight bound, and merges what comes back in
    /// planning order. After each merge the plan may plan again, so the sequence of calls the plan
    /// sees depends only on the bound, never on which worker finished first.
    fn drive<P: Plan>(
        &self,
        plan: &mut P,
        tasks: mpsc::Sender<(u64, P::Task)>,
        done: &mpsc::Receiver<Done<P::Task, P::Output>>,
        bar: &ProgressBar,
    ) -> anyhow::Result<()> {
        let window = (self.options.threads * IN_FLIGHT_PER_THREAD) as u64;
        let started = Instant::now();
        let mut issued = 0u64;
        let mut merged = 0u64;
        let mut planning = true;
        let mut arrived: BTreeMap<u64, (P::Task, P::Output)> = BTreeMap::new();
        let stopped = || anyhow::anyhow!("the simulation workers stopped");
        let fill = |plan: &mut P, issued: &mut u64, merged: u64, planning: &mut bool| {
            while *planning && *issued - merged < window {
                if self.cancelled() {
                    return Err(anyhow::Error::from(Interrupted));
                }
                match plan.next_task()? {
                    Some(t) => {
                        tasks.send((*issued, t)).map_err(|_| stopped())?;
                        *issued += 1;
                    }
                    None => *planning = false,
                }
            }
            Ok(())
        };
        fill(plan, &mut issued, merged, &mut planning)?;
        while issued > merged {
            let (seq, task, output) = match done.recv_timeout(POLL) {
                Ok(d) => d,
                Err(RecvTimeoutError::Timeout) => {
                    if self.cancelled() {
                        return Err(Interrupted.into());
                    }
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => return Err(stopped()),
            };
            arrived.insert(seq, (task, output?));
            while let Some((task, output)) = arrived.remove(&merged) {
                merged += 1;
                if plan.merge(task, output)? == Flow::Stop {
                    return Ok(());
                }
                planning = true;
                fill(plan, &mut issued, merged, &mut planning)?;
            }
            let (units, replicate_arms) = plan.progress();
            bar.set_position(units);
            bar.set_message(format!(
                "{:.0} replicate-arms/s",
                replicate_arms as f64 / started.elapsed().as_secs_f64().max(1e-9)
            ));
        }
        Ok(())
    }
}

/// One worker thread: builds its state, then simulates blocks until the task channel closes.
fn worker_loop<W: Work>(
    work: &W,
    tasks: &Mutex<mpsc::Receiver<(u64, W::Task)>>,
    done: &mpsc::Sender<Done<W::Task, W::Output>>,
    stop: &AtomicBool,
) {
    let mut state = None;
    let mut blocks = 0u32;
    loop {
        // Only the receiving is under the lock; a poisoned lock still holds a usable receiver.
        let next = tasks.lock().unwrap_or_else(|e| e.into_inner()).recv();
        let Ok((seq, task)) = next else { return };
        if stop.load(Ordering::SeqCst) {
            continue;
        }
        let output = catch_unwind(AssertUnwindSafe(|| {
            let state = state.get_or_insert_with(|| work.worker());
            work.simulate(state, &task)
        }))
        .unwrap_or_else(|_| Err(anyhow::anyhow!("a simulation worker panicked")));
        blocks += 1;
        if output.is_err() || blocks >= work.blocks_per_worker_state() {
            // A worker that failed (or panicked) may hold a broken simulator; one that has run many
            // blocks holds a grown one: build a new one.
            state = None;
            blocks = 0;
        }
        if done.send((seq, task, output)).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Squares of 0..n in blocks; the merge checks it sees the blocks in order.
    struct Squares {
        n: u64,
        next: u64,
        sum: u64,
        merged_to: u64,
        stop_at: Option<u64>,
    }

    impl Plan for Squares {
        type Task = (u64, u64);
        type Output = u64;
        fn next_task(&mut self) -> anyhow::Result<Option<(u64, u64)>> {
            Ok((self.next < self.n).then(|| {
                let t = (self.next, (self.next + 7).min(self.n));
                self.next = t.1;
                t
            }))
        }
        fn merge(&mut self, task: (u64, u64), output: u64) -> anyhow::Result<Flow> {
            assert_eq!(task.0, self.merged_to, "blocks merged out of order");
            self.merged_to = task.1;
            self.sum += output;
            Ok(match self.stop_at {
                Some(s) if task.1 >= s => Flow::Stop,
                _ => Flow::Continue,
            })
        }
        fn progress(&self) -> (u64, u64) {
            (self.merged_to, self.merged_to)
        }
    }

    struct SquareWork {
        fail_at: Option<u64>,
    }

    impl Work for SquareWork {
        type Task = (u64, u64);
        type Output = u64;
        type Worker = u64;
        fn worker(&self) -> u64 {
            0
        }
        fn simulate(&self, blocks: &mut u64, t: &(u64, u64)) -> anyhow::Result<u64> {
            *blocks += 1;
            if self.fail_at.is_some_and(|f| (t.0..t.1).contains(&f)) {
                anyhow::bail!("block {t:?} failed");
            }
            // Uneven block times, so blocks finish out of order.
            std::thread::sleep(Duration::from_micros((t.0 * 7919) % 500));
            Ok((t.0..t.1).map(|x| x * x).sum())
        }
    }

    fn engine(threads: usize, cancel: Option<Arc<AtomicBool>>) -> Engine {
        Engine::new(EngineOptions {
            threads,
            progress: false,
            cancel,
        })
        .expect("threads start")
    }

    fn squares(n: u64) -> Squares {
        Squares {
            n,
            next: 0,
            sum: 0,
            merged_to: 0,
            stop_at: None,
        }
    }

    const METER: Meter = Meter {
        total: 0,
        unit: "items",
    };

    #[test]
    fn blocks_are_merged_in_planning_order_whatever_the_thread_count() {
        let expected: u64 = (0..1000u64).map(|x| x * x).sum();
        for threads in [1, 2, 5] {
            let mut plan = squares(1000);
            engine(threads, None)
                .run(&mut plan, &SquareWork { fail_at: None }, METER)
                .expect("runs");
            assert_eq!(plan.sum, expected, "{threads} threads");
            assert_eq!(plan.merged_to, 1000);
        }
    }

    #[test]
    fn a_plan_can_stop_early() {
        let mut plan = squares(1000);
        plan.stop_at = Some(100);
        engine(3, None)
            .run(&mut plan, &SquareWork { fail_at: None }, METER)
            .expect("runs");
        assert_eq!(
            plan.merged_to, 105,
            "stopped after the block that reached 100"
        );
    }

    #[test]
    fn a_failing_block_fails_the_run_with_its_error() {
        let mut plan = squares(1000);
        let e = engine(2, None)
            .run(&mut plan, &SquareWork { fail_at: Some(500) }, METER)
            .expect_err("a block fails");
        assert!(e.to_string().contains("failed"), "{e}");
        assert!(plan.merged_to <= 497);
    }

    #[test]
    fn a_cancelled_run_stops_with_interrupted() {
        let cancel = Arc::new(AtomicBool::new(true));
        let mut plan = squares(1000);
        let e = engine(2, Some(cancel))
            .run(&mut plan, &SquareWork { fail_at: None }, METER)
            .expect_err("cancelled");
        assert!(e.downcast_ref::<Interrupted>().is_some(), "{e}");
        assert_eq!(plan.merged_to, 0);
    }

    #[test]
    fn a_worker_builds_its_state_afresh_every_few_blocks_so_memory_stays_flat() {
        struct Counted(std::sync::atomic::AtomicU32);
        impl Work for Counted {
            type Task = (u64, u64);
            type Output = u64;
            type Worker = ();
            fn worker(&self) {
                self.0.fetch_add(1, Ordering::SeqCst);
            }
            fn simulate(&self, _: &mut (), t: &(u64, u64)) -> anyhow::Result<u64> {
                Ok(t.1 - t.0)
            }
        }
        // 700 items in blocks of 7: 100 blocks on one thread.
        let work = Counted(std::sync::atomic::AtomicU32::new(0));
        let mut plan = squares(700);
        engine(1, None).run(&mut plan, &work, METER).expect("runs");
        let expected = 100u32.div_ceil(BLOCKS_PER_WORKER_STATE);
        assert_eq!(work.0.load(Ordering::SeqCst), expected);
    }

    #[test]
    fn a_panicking_worker_is_an_error_not_a_hang() {
        struct Panics;
        impl Work for Panics {
            type Task = (u64, u64);
            type Output = u64;
            type Worker = ();
            fn worker(&self) {}
            fn simulate(&self, _: &mut (), t: &(u64, u64)) -> anyhow::Result<u64> {
                assert!(t.0 < 50, "a bug in block {t:?}");
                Ok(0)
            }
        }
        let mut plan = squares(1000);
        let e = engine(2, None)
            .run(&mut plan, &Panics, METER)
            .expect_err("a worker panics");
        assert!(e.to_string().contains("panicked"), "{e}");
    }
}
