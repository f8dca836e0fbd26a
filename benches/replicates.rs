//! Throughput of the default scenario: one replicate-arm on one thread, and paired replicates on
//! all cores. Seeded; parameterised by horizon (the cost should follow events, not days).

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use escalate::montecarlo::paired::NoRows;
use escalate::montecarlo::{Engine, EngineOptions, run_paired};
use escalate::scenario::compile::Compiled;
use escalate::scenario::load::{DEFAULT_SCENARIO, parse_scenario};
use escalate::scenario::validate;
use escalate::sim::Simulator;
use std::hint::black_box;
use std::sync::Arc;

fn compiled(horizon_days: u32) -> Arc<Compiled> {
    let mut s = parse_scenario("default", DEFAULT_SCENARIO)
        .expect("the default scenario is valid")
        .scenario;
    s.horizon_days = horizon_days;
    Arc::new(validate(&s).expect("a shorter or longer horizon keeps it valid"))
}

fn options() -> EngineOptions {
    EngineOptions {
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        progress: false,
        cancel: None,
    }
}

fn all_cores() -> Engine {
    Engine::new(options()).expect("threads start")
}

/// One thread, one replicate of every arm per iteration (as the engine runs them: the arms of a
/// replicate share its plan), counted in replicate-arms.
fn one_replicate_arm(c: &mut Criterion) {
    let mut g = c.benchmark_group("replicate_arm");
    for years in [1u32, 5] {
        let p = compiled(years * 365 + years / 4);
        let arms = p.arms.len();
        let mut sim = Simulator::new(p);
        let mut r = 0u64;
        g.throughput(Throughput::Elements(arms as u64));
        g.bench_with_input(BenchmarkId::new("years", years), &years, |b, _| {
            b.iter(|| {
                r += 1;
                for arm in 0..arms {
                    black_box(sim.run(7, r, arm));
                }
            })
        });
    }
    g.finish();
}

fn paired_all_cores(c: &mut Criterion) {
    let p = compiled(1826);
    let reps = 2000u64;
    let mut g = c.benchmark_group("paired_default_5y");
    g.sample_size(10);
    g.throughput(Throughput::Elements(reps * p.arms.len() as u64));
    g.bench_function("2000_replicates_all_arms", |b| {
        let engine = all_cores();
        b.iter(|| black_box(run_paired(&engine, &p, 7, reps, NoRows, |_| Ok(())).expect("runs")))
    });
    g.finish();
}

/// A sweep of 8 points × 250 replicates × 2 arms against one scenario run of 2,000 replicates × 2 arms:
/// the same simulation work, so the ratio is the sweep machinery's overhead (per-point scenario
/// building and validation, simulators per point, rows streamed to disk).
fn sweep_overhead(c: &mut Criterion) {
    use escalate::sweep::load::parse_sweep;
    use escalate::sweep::run::{Shard, SweepConfig, run_shard};
    let text = r#"Sweep(name: "bench", scenario: "builtin:us_russia_2016", seed: 7, replicates: 250,
        arms: ["without channels", "with channels"],
        parameters: [Parameter(name: "skill", set: ["states[*].attribution.skill"], values: Range(min: 0.2, max: 0.9, levels: 8))],
        design: Grid)"#;
    let sweep = parse_sweep(
        "bench",
        text,
        std::path::Path::new("."),
        &Default::default(),
    )
    .expect("the bench sweep is valid");
    let mut g = c.benchmark_group("sweep_vs_run_4000_replicate_arms");
    g.sample_size(10);
    g.throughput(Throughput::Elements(4000));
    g.bench_function("sweep_8_points", |b| {
        b.iter(|| {
            let dir = tempfile::tempdir().expect("temp dir");
            let cfg = SweepConfig {
                engine: options(),
                resume: false,
                force: true,
            };
            black_box(run_shard(&sweep, Shard::WHOLE, dir.path(), &cfg).expect("runs"))
        })
    });
    let mut p = (*compiled(1826)).clone();
    p.arms.truncate(2);
    let p = Arc::new(p);
    g.bench_function("run_1_scenario", |b| {
        let engine = all_cores();
        b.iter(|| black_box(run_paired(&engine, &p, 7, 2000, NoRows, |_| Ok(())).expect("runs")))
    });
    g.finish();
}

criterion_group!(benches, one_replicate_arm, paired_all_cores, sweep_overhead);
criterion_main!(benches);
