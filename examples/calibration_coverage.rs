//! Coverage of `escalate calibrate`'s posterior intervals over repeated seeded trials.
//!
//! Each trial draws a "true" parameter vector from the priors, simulates the minimal test scenario
//! at it (20,000 replicates) to make synthetic targets, calibrates against them, and records whether
//! each parameter's central 50 % and 90 % posterior intervals contain the truth. With the truth
//! drawn from the prior, Bayesian intervals cover at their nominal rate on average; ABC's tolerance
//! and the particles' Monte Carlo noise make them somewhat wider (over-covering) in practice.
//!
//!   cargo run --release --example calibration_coverage -- TRIALS      (scripts/calibration-coverage.sh)

use escalate::calibrate::load::{Overrides, parse_calibration};
use escalate::calibrate::run::calibrate;
use escalate::calibrate::smc::{Purpose, Silent, stream, weighted_quantile};
use escalate::montecarlo::engine::{Engine, EngineOptions};
use escalate::rng::Draws;
use escalate::scenario::parse_scenario;
use escalate::sim::Simulator;
use std::sync::Arc;

const SCENARIO: &str = include_str!("../tests/fixtures/minimal.ron");

fn calibration(seed: u64, observed: &[f64]) -> String {
    format!(
        r#"Calibration(
    name: "coverage", seed: {seed}, replicates: 200, population: 150, alpha: 0.5,
    min_acceptance: 0.05, max_generations: 5,
    priors: [
        Prior(name: "rate", set: ["campaigns[RUS->US].rate_per_year"], distribution: LogUniform(min: 3, max: 60)),
        Prior(name: "time scale", set: ["states[US].attribution.time_scale.median_days"], distribution: Uniform(min: 4, max: 60)),
    ],
    targets: [
        Target(statistic: Attributed(from: "RUS", to: "US"), observed: {}),
        Target(statistic: LagCdf(days: 15), observed: {}),
        Target(statistic: LagCdf(days: 30), observed: {}),
    ],
)"#,
        observed[0], observed[1], observed[2]
    )
}

fn main() -> anyhow::Result<()> {
    let trials: u64 = std::env::args()
        .nth(1)
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(20);
    let base = parse_scenario("minimal", SCENARIO)?;
    let probe = parse_calibration(
        "coverage",
        &calibration(0, &[0.0; 3]),
        &base,
        &Overrides::default(),
    )?;
    let priors = probe.priors();
    let names = probe.names();
    let engine = Engine::new(EngineOptions {
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        progress: false,
        cancel: None,
    })?;
    let mut hits = vec![[0u32; 2]; names.len()];
    let started = std::time::Instant::now();
    for t in 0..trials {
        // The truth, from the priors (a stream of its own: purpose Propose of "generation" u32::MAX).
        let mut rng = stream(1000 + t, u32::MAX, t, Purpose::Propose);
        let mut d = Draws::from(&mut rng);
        let truth: Vec<f64> = priors.iter().map(|p| p.sample(&mut d)).collect();
        let compiled = Arc::new(
            probe
                .compiled_at(&truth)
                .map_err(|e| anyhow::anyhow!("{}: {}", e.path, e.message))?,
        );
        let mut sim = Simulator::new(compiled);
        let runs: Vec<_> = (0..20_000).map(|r| sim.run(7000 + t, r, 0)).collect();
        let observed: Vec<f64> = probe
            .measures
            .iter()
            .map(|m| m.compute(&runs, probe.states))
            .collect();
        let loaded = parse_calibration(
            "coverage",
            &calibration(t, &observed),
            &base,
            &Overrides::default(),
        )?;
        let r = calibrate(&loaded, &engine, &mut Silent, None)?;
        let ws: Vec<f64> = r.posterior.iter().map(|p| p.weight).collect();
        let mut line = format!("trial {t:>3}:");
        for (i, h) in hits.iter_mut().enumerate() {
            let xs: Vec<f64> = r.posterior.iter().map(|p| p.theta[i]).collect();
            for (k, level) in [0.5, 0.9].into_iter().enumerate() {
                let lo = weighted_quantile(&xs, &ws, (1.0 - level) / 2.0);
                let hi = weighted_quantile(&xs, &ws, (1.0 + level) / 2.0);
                h[k] += u32::from((lo..=hi).contains(&truth[i]));
            }
            line += &format!("  {} {:.2}", names[i], truth[i]);
        }
        println!("{line}");
    }
    println!(
        "\n{trials} trials in {:.0} s. Coverage of the central posterior intervals:",
        started.elapsed().as_secs_f64()
    );
    for (name, h) in names.iter().zip(&hits) {
        let rate = |k: usize| f64::from(h[k]) / trials as f64;
        // Binomial standard error of a coverage rate near its nominal value.
        let se = |p: f64| (p * (1.0 - p) / trials as f64).sqrt();
        println!(
            "  {name:<12} 50 %: {:>5.1} % (nominal 50 ± {:.0})   90 %: {:>5.1} % (nominal 90 ± {:.0})",
            100.0 * rate(0),
            200.0 * se(0.5),
            100.0 * rate(1),
            200.0 * se(0.9)
        );
    }
    Ok(())
}
