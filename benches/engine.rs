//! The Monte Carlo engine's throughput in replicate-arms: blocks of paired replicates simulated,
//! aggregated (and, for `run`, formatted as replicates.csv rows) on the workers and merged in order.
//! Seeded; parameterised by horizon (1 and 5 years of the default scenario) and by threads.
//!
//!     cargo bench --bench engine

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use escalate::montecarlo::paired::NoRows;
use escalate::montecarlo::{Engine, EngineOptions, run_paired};
use escalate::report::csv_out::ReplicateRows;
use escalate::scenario::compile::Compiled;
use escalate::scenario::load::{DEFAULT_SCENARIO, parse_scenario};
use escalate::scenario::validate;
use std::hint::black_box;
use std::sync::Arc;

const SEED: u64 = 7;

/// The default scenario with its horizon set to `years` (5 is the scenario's own).
fn scenario(years: u32) -> Arc<Compiled> {
    let mut s = parse_scenario("default", DEFAULT_SCENARIO)
        .expect("the default scenario is valid")
        .scenario;
    s.horizon_days = years * 365 + years / 4;
    Arc::new(validate(&s).expect("a shorter horizon keeps it valid"))
}

fn engine(threads: usize) -> Engine {
    Engine::new(EngineOptions {
        threads,
        progress: false,
        cancel: None,
    })
    .expect("threads start")
}

fn all_cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn rows(p: &Compiled) -> ReplicateRows {
    ReplicateRows {
        seed: SEED,
        arms: p.arms.iter().map(|a| a.name.clone()).collect(),
        rungs: p
            .scenario
            .ladder
            .rungs
            .iter()
            .map(|r| r.name.clone())
            .collect(),
    }
}

/// One thread: the cost of a replicate-arm through the engine (simulation, block aggregation,
/// ordered merge), for a 1-year and the 5-year default scenario.
fn replicate_arms_one_thread(c: &mut Criterion) {
    let mut g = c.benchmark_group("engine_one_thread");
    g.sample_size(10);
    let one = engine(1);
    for years in [1u32, 5] {
        let p = scenario(years);
        let replicates = 256u64;
        g.throughput(Throughput::Elements(replicates * p.arms.len() as u64));
        g.bench_with_input(BenchmarkId::new("years", years), &years, |b, _| {
            b.iter(|| {
                black_box(run_paired(&one, &p, SEED, replicates, NoRows, |_| Ok(())).expect("runs"))
            })
        });
    }
    g.finish();
}

/// Every core: paired replicates of the 5-year default scenario, as `escalate run` does them
/// (with the rows of replicates.csv formatted on the workers and handed over in order), and
/// without rows.
fn paired_all_cores(c: &mut Criterion) {
    let p = scenario(5);
    let replicates = 2000u64;
    let all = engine(all_cores());
    let mut g = c.benchmark_group("engine_all_cores_5y");
    g.sample_size(10);
    g.throughput(Throughput::Elements(replicates * p.arms.len() as u64));
    g.bench_function("2000_replicates_with_rows", |b| {
        b.iter(|| {
            let mut bytes = 0usize;
            let agg = run_paired(&all, &p, SEED, replicates, rows(&p), |r| {
                bytes += r.len();
                Ok(())
            })
            .expect("runs");
            black_box((agg, bytes))
        })
    });
    g.bench_function("2000_replicates_aggregate_only", |b| {
        b.iter(|| {
            black_box(run_paired(&all, &p, SEED, replicates, NoRows, |_| Ok(())).expect("runs"))
        })
    });
    g.finish();
}

criterion_group!(benches, replicate_arms_one_thread, paired_all_cores);
criterion_main!(benches);
