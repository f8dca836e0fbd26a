//! A calibration run: proposals simulated on the Monte Carlo engine (the calibrated arm only, a
//! fresh simulator per proposal since each has its own parameters), then the summaries the output
//! folder is written from.

use super::load::LoadedCalibration;
use super::smc::{
    AbcResult, Inference, Observer, Proposal, Settings, run_abc, weighted_moments,
    weighted_quantile,
};
use crate::montecarlo::engine::{Engine, Interrupted, Work};
use crate::sim::Simulator;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

/// A parameter's posterior is "not informed" by the data when its sd is above this share of the
/// prior's sd (the posterior is then close to the prior).
pub const INFORMED_SD_RATIO: f64 = 0.8;

/// Simulates a proposal: the calibrated arm's replicates at the proposal's parameters.
pub struct ScenarioWork<'a> {
    /// The calibration.
    pub loaded: &'a LoadedCalibration,
    /// Replicates per proposal.
    pub replicates: u64,
    /// Stops a replicate in its tracks.
    pub cancel: Option<Arc<AtomicBool>>,
}

impl Work for ScenarioWork<'_> {
    type Task = Proposal;
    type Output = Vec<f64>;
    type Worker = ();

    fn worker(&self) {}

    fn simulate(&self, _: &mut (), p: &Proposal) -> anyhow::Result<Vec<f64>> {
        let compiled = self.loaded.compiled_at(&p.theta).map_err(|e| {
            let values = self
                .loaded
                .names()
                .iter()
                .zip(&p.theta)
                .map(|(n, x)| format!("{n} = {x}"))
                .collect::<Vec<_>>()
                .join(", ");
            anyhow::anyhow!(
                "generation {} proposal {} ({values}) makes the scenario invalid: {}: {}",
                p.generation,
                p.index,
                e.path,
                e.message
            )
        })?;
        let mut sim = Simulator::new(Arc::new(compiled));
        let mut runs = Vec::with_capacity(self.replicates as usize);
        for r in 0..self.replicates {
            runs.push(
                sim.run_cancellable(p.seed, r, 0, self.cancel.as_deref())
                    .ok_or(Interrupted)?,
            );
        }
        Ok(self
            .loaded
            .measures
            .iter()
            .map(|m| m.compute(&runs, self.loaded.states))
            .collect())
    }
}

/// Runs the calibration on `engine`.
pub fn calibrate(
    loaded: &LoadedCalibration,
    engine: &Engine,
    observer: &mut dyn Observer,
    resume: Option<super::smc::Checkpoint>,
) -> anyhow::Result<AbcResult> {
    let s = &loaded.spec;
    let settings = Settings {
        seed: s.seed,
        population: s.population,
        alpha: s.alpha,
        min_acceptance: s.min_acceptance,
        max_generations: s.max_generations,
    };
    let observed: Vec<f64> = s.targets.iter().map(|t| t.observed).collect();
    let scales: Vec<Option<f64>> = s.targets.iter().map(|t| t.scale).collect();
    run_abc(
        engine,
        &ScenarioWork {
            loaded,
            replicates: s.replicates,
            cancel: engine.cancel_flag(),
        },
        Inference {
            priors: &loaded.priors(),
            observed: &observed,
            file_scales: &scales,
            replicates: s.replicates,
        },
        &settings,
        observer,
        resume,
    )
}

/// A parameter's prior and posterior in brief.
#[derive(Debug, Clone)]
pub struct ParameterSummary {
    /// Its name.
    pub name: String,
    /// The prior, in words.
    pub prior: String,
    /// The scenario's own value.
    pub scenario_value: f64,
    /// Prior sd.
    pub prior_sd: f64,
    /// Posterior weighted mean.
    pub mean: f64,
    /// Posterior weighted sd.
    pub sd: f64,
    /// Posterior 5 % and 95 % weighted quantiles.
    pub q05: f64,
    /// See `q05`.
    pub q95: f64,
    /// Posterior sd over prior sd.
    pub ratio: f64,
}

impl ParameterSummary {
    /// Whether the data inform the parameter (see [`INFORMED_SD_RATIO`]).
    pub fn informed(&self) -> bool {
        self.ratio <= INFORMED_SD_RATIO
    }
}

/// Summaries of every parameter.
pub fn parameter_summaries(loaded: &LoadedCalibration, r: &AbcResult) -> Vec<ParameterSummary> {
    let ws: Vec<f64> = r.posterior.iter().map(|p| p.weight).collect();
    let values = loaded.scenario_values();
    loaded
        .spec
        .priors
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let xs: Vec<f64> = r.posterior.iter().map(|q| q.theta[i]).collect();
            let (mean, sd) = weighted_moments(&xs, &ws);
            let prior_sd = p.distribution.sd();
            ParameterSummary {
                name: p.name.clone(),
                prior: p.distribution.describe(),
                scenario_value: values[i],
                prior_sd,
                mean,
                sd,
                q05: weighted_quantile(&xs, &ws, 0.05),
                q95: weighted_quantile(&xs, &ws, 0.95),
                ratio: sd / prior_sd,
            }
        })
        .collect()
}

/// A target's observed value against its prior and posterior predictive distributions.
#[derive(Debug, Clone)]
pub struct PredictiveCheck {
    /// The statistic's label.
    pub label: String,
    /// Observed.
    pub observed: f64,
    /// Scale in the distance (0: left out).
    pub scale: f64,
    /// Whether the scale came from the prior predictive spread.
    pub scale_from_prior: bool,
    /// Prior predictive 5 %, 50 %, 95 %.
    pub prior: [f64; 3],
    /// Posterior predictive 5 %, 50 %, 95 % (weighted).
    pub posterior: [f64; 3],
}

/// Predictive checks of every target: the statistics each particle simulated, weighted.
pub fn predictive_checks(loaded: &LoadedCalibration, r: &AbcResult) -> Vec<PredictiveCheck> {
    let q = |ps: &[super::smc::Particle], i: usize| {
        let xs: Vec<f64> = ps.iter().map(|p| p.stats[i]).collect();
        let ws: Vec<f64> = ps.iter().map(|p| p.weight).collect();
        [0.05, 0.5, 0.95].map(|q| weighted_quantile(&xs, &ws, q))
    };
    loaded
        .spec
        .targets
        .iter()
        .enumerate()
        .map(|(i, t)| PredictiveCheck {
            label: t.statistic.label(),
            observed: t.observed,
            scale: r.scales[i],
            scale_from_prior: r.scale_from_prior[i],
            prior: q(&r.prior_sample, i),
            posterior: q(&r.posterior, i),
        })
        .collect()
}
