//! The output folder of `escalate calibrate`: posterior.csv, generations.csv, parameters.csv,
//! predictive.csv, calibration.json, the resolved calibration file, the plots and report.md.
//! Everything but report.md's timing line is a function of the inputs and the seed.

use super::load::LoadedCalibration;
use super::run::{INFORMED_SD_RATIO, ParameterSummary, PredictiveCheck};
use super::smc::{AbcResult, Stop};
use crate::report::folder::ResultFolder;
use serde::{Deserialize, Serialize};

pub use crate::report::folder::CALIBRATION_FORMAT;

/// calibration.json: what was calibrated and what the data inform.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CalibrationInfo {
    /// [`CALIBRATION_FORMAT`].
    pub format: String,
    /// escalate's version.
    pub version: String,
    /// The calibration's name.
    pub name: String,
    /// The scenario's name.
    pub scenario: String,
    /// SHA-256 of the scenario apart from the calibrated numbers (see
    /// [`LoadedCalibration::scenario_fingerprint`]); `escalate run --posterior` checks it. Absent in
    /// folders written before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario_fingerprint: Option<String>,
    /// The calibrated arm.
    pub arm: String,
    /// Master seed.
    pub seed: u64,
    /// Replicates per particle.
    pub replicates: u64,
    /// Particles per generation.
    pub population: usize,
    /// Complete generations.
    pub generations: usize,
    /// Why it stopped, in words.
    pub stop: String,
    /// Parameter names, in the column order of posterior.csv.
    pub parameters: Vec<String>,
    /// The parameters whose posterior sd is at most the informed ratio of their prior sd.
    pub informed: Vec<String>,
}

/// Why the run stopped, in words.
pub fn stop_words(r: &AbcResult, min_acceptance: f64) -> String {
    match &r.stop {
        Stop::LowAcceptance => format!(
            "the last generation accepted fewer than {:.1} % of its proposals",
            100.0 * min_acceptance
        ),
        Stop::Abandoned {
            generation,
            proposals,
            accepted,
        } => format!(
            "generation {generation} accepted only {accepted} of {proposals} proposals (below {:.1} %) and was abandoned; the posterior is generation {}",
            100.0 * min_acceptance,
            generation.saturating_sub(1)
        ),
        Stop::MaxGenerations => "the maximum number of generations was reached".into(),
    }
}

fn csv_bytes(
    rows: impl FnOnce(&mut csv::Writer<Vec<u8>>) -> csv::Result<()>,
) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    rows(&mut w)?;
    w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))
}

fn num(x: f64) -> String {
    if x.is_nan() {
        String::new()
    } else {
        format!("{x}")
    }
}

/// Writes every file of the folder but the plots.
pub fn write_files(
    folder: &ResultFolder,
    loaded: &LoadedCalibration,
    r: &AbcResult,
    params: &[ParameterSummary],
    checks: &[PredictiveCheck],
    run_note: &str,
) -> anyhow::Result<()> {
    let names = loaded.names();
    let w = |name: &str, bytes: &[u8]| crate::files::write_atomically(&folder.file(name), bytes);
    w(
        "posterior.csv",
        &csv_bytes(|c| {
            let mut head = vec!["particle".to_string(), "weight".into(), "distance".into()];
            head.extend(names.iter().cloned());
            c.write_record(&head)?;
            for (i, p) in r.posterior.iter().enumerate() {
                let mut row = vec![i.to_string(), num(p.weight), num(p.distance)];
                row.extend(p.theta.iter().map(|x| num(*x)));
                c.write_record(&row)?;
            }
            Ok(())
        })?,
    )?;
    w(
        "generations.csv",
        &csv_bytes(|c| {
            c.write_record([
                "generation",
                "tolerance",
                "proposals",
                "accepted",
                "acceptance",
                "ess",
                "replicates_simulated",
            ])?;
            for g in &r.generations {
                c.write_record([
                    g.generation.to_string(),
                    num(g.tolerance),
                    g.proposals.to_string(),
                    g.accepted.to_string(),
                    num(g.acceptance()),
                    num(g.ess),
                    g.simulations.to_string(),
                ])?;
            }
            Ok(())
        })?,
    )?;
    w(
        "parameters.csv",
        &csv_bytes(|c| {
            c.write_record([
                "parameter",
                "prior",
                "scenario_value",
                "prior_sd",
                "posterior_mean",
                "posterior_sd",
                "posterior_q05",
                "posterior_q95",
                "sd_ratio",
                "informed",
            ])?;
            for p in params {
                c.write_record([
                    p.name.clone(),
                    p.prior.clone(),
                    num(p.scenario_value),
                    num(p.prior_sd),
                    num(p.mean),
                    num(p.sd),
                    num(p.q05),
                    num(p.q95),
                    num(p.ratio),
                    p.informed().to_string(),
                ])?;
            }
            Ok(())
        })?,
    )?;
    w(
        "predictive.csv",
        &csv_bytes(|c| {
            c.write_record([
                "target",
                "observed",
                "scale",
                "scale_source",
                "prior_q05",
                "prior_median",
                "prior_q95",
                "posterior_q05",
                "posterior_median",
                "posterior_q95",
            ])?;
            for t in checks {
                let mut row = vec![
                    t.label.clone(),
                    num(t.observed),
                    num(t.scale),
                    if t.scale == 0.0 {
                        "left out (no spread under the prior)".into()
                    } else if t.scale_from_prior {
                        "prior predictive MAD".into()
                    } else {
                        "targets file".into()
                    },
                ];
                row.extend(t.prior.iter().chain(&t.posterior).map(|x| num(*x)));
                c.write_record(&row)?;
            }
            Ok(())
        })?,
    )?;
    let info = CalibrationInfo {
        format: CALIBRATION_FORMAT.into(),
        version: env!("CARGO_PKG_VERSION").into(),
        name: loaded.spec.name.clone(),
        scenario: loaded.scenario.clone(),
        scenario_fingerprint: Some(loaded.scenario_fingerprint()),
        arm: loaded.arm_name.clone(),
        seed: loaded.spec.seed,
        replicates: loaded.spec.replicates,
        population: loaded.spec.population,
        generations: r.generations.len(),
        stop: stop_words(r, loaded.spec.min_acceptance),
        parameters: names,
        informed: params
            .iter()
            .filter(|p| p.informed())
            .map(|p| p.name.clone())
            .collect(),
    };
    w(
        "calibration.json",
        (serde_json::to_string_pretty(&info)? + "\n").as_bytes(),
    )?;
    w(
        "report.md",
        report(loaded, r, params, checks, run_note).as_bytes(),
    )?;
    Ok(())
}

fn g(x: f64) -> String {
    if !x.is_finite() {
        return if x.is_nan() {
            "–".into()
        } else {
            "∞".into()
        };
    }
    let a = x.abs();
    if a != 0.0 && !(0.01..10_000.0).contains(&a) {
        format!("{x:.2e}")
    } else if a >= 100.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.3}")
    }
}

/// report.md: what was done, what the data inform and what they do not, and the checks.
pub fn report(
    loaded: &LoadedCalibration,
    r: &AbcResult,
    params: &[ParameterSummary],
    checks: &[PredictiveCheck],
    run_note: &str,
) -> String {
    let s = &loaded.spec;
    let mut out = String::new();
    let mut line = |t: String| {
        out.push_str(&t);
        out.push('\n');
    };
    line(format!("# Calibration {} of {}\n", s.name, loaded.scenario));
    if !s.description.is_empty() {
        line(format!("{}\n", s.description));
    }
    line(format!(
        "Approximate Bayesian computation (sequential Monte Carlo, adaptive tolerance) of the arm \"{}\" \
         against {} target statistics, over {} uncertain parameters. Each particle is {} replicates; {} \
         particles a generation; each tolerance the {} quantile of the previous generation's distances; \
         seed {}. It stopped because {}.\n",
        loaded.arm_name,
        s.targets.len(),
        s.priors.len(),
        s.replicates,
        s.population,
        s.alpha,
        s.seed,
        stop_words(r, s.min_acceptance)
    ));
    let informed: Vec<&ParameterSummary> = params.iter().filter(|p| p.informed()).collect();
    let not: Vec<&ParameterSummary> = params.iter().filter(|p| !p.informed()).collect();
    line("## What the data inform\n".into());
    line(format!(
        "Rule: a parameter is informed when its posterior standard deviation is at most {INFORMED_SD_RATIO} of its prior's; \
         above that, the posterior is close to the prior and the value used is an assumption, not a finding.\n"
    ));
    let list = |v: &[&ParameterSummary]| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    line(format!("- **Informed by the data:** {}.", list(&informed)));
    line(format!(
        "- **Not informed (posterior ≈ prior):** {}.\n",
        list(&not)
    ));
    line("| parameter | prior | scenario value | posterior mean | 90 % interval | posterior sd / prior sd | informed |".into());
    line("|---|---|---:|---:|---|---:|---|".into());
    for p in params {
        line(format!(
            "| {} | {} | {} | {} | {} – {} | {:.2} | {} |",
            p.name,
            p.prior,
            g(p.scenario_value),
            g(p.mean),
            g(p.q05),
            g(p.q95),
            p.ratio,
            if p.informed() { "yes" } else { "no" }
        ));
    }
    line("\nMarginal posteriors (bars) against the priors (lines): `marginals.png`; pairs of the informed parameters: `pairs.png` (when two or more are informed).\n".into());
    line("## Generations\n".into());
    line(
        "| generation | tolerance | proposals | accepted | acceptance | effective sample size |"
            .into(),
    );
    line("|---:|---:|---:|---:|---:|---:|".into());
    for row in &r.generations {
        line(format!(
            "| {} | {} | {} | {} | {:.1} % | {:.0} |",
            row.generation,
            g(row.tolerance),
            row.proposals,
            row.accepted,
            100.0 * row.acceptance(),
            row.ess
        ));
    }
    line("\n## Predictive checks\n".into());
    line("Each target's observed value against the statistic the particles simulated: prior predictive (generation 0) and posterior predictive (weighted), 5 %, 50 % and 95 % quantiles. `predictive.png` draws the same, each row in units of its scale.\n".into());
    line("| target | observed | scale | prior predictive | posterior predictive |".into());
    line("|---|---:|---:|---|---|".into());
    for t in checks {
        line(format!(
            "| {} | {} | {}{} | {} [{} – {}] | {} [{} – {}] |",
            t.label,
            g(t.observed),
            g(t.scale),
            if t.scale == 0.0 {
                " (left out)"
            } else if t.scale_from_prior {
                " (prior MAD)"
            } else {
                ""
            },
            g(t.prior[1]),
            g(t.prior[0]),
            g(t.prior[2]),
            g(t.posterior[1]),
            g(t.posterior[0]),
            g(t.posterior[2]),
        ));
    }
    line("\n## Caveats\n".into());
    line("- ABC's posterior is that of the summary statistics within the last tolerance, not of the full data; a wider tolerance widens it.".into());
    line("- Each particle's statistics are means over its replicates: Monte Carlo noise in them widens the posterior a little.".into());
    line("- The kernel's moves that leave a prior's bounds are redrawn, and the weights ignore that truncation (as Beaumont et al. 2009 do); parameters whose posterior piles up at a bound are slightly misweighted there.".into());
    line("- Integer scenario fields are rounded when set; the posterior lists the continuous values drawn.\n".into());
    line(format!("## Run\n\n{run_note}"));
    out
}

/// Points at which a marginal plot draws the prior density.
const PRIOR_CURVE_POINTS: usize = 200;

/// Draws marginals.png/.svg, pairs.png/.svg (two or more informed parameters) and
/// predictive.png/.svg into the folder.
pub fn draw_plots(
    folder: &ResultFolder,
    loaded: &LoadedCalibration,
    r: &AbcResult,
    params: &[ParameterSummary],
    checks: &[PredictiveCheck],
) -> anyhow::Result<()> {
    use crate::report::plots::{CalibrationPlotData, CheckRow, MarginalPanel, draw_calibration};
    let marginals = loaded
        .spec
        .priors
        .iter()
        .zip(params)
        .enumerate()
        .map(|(i, (p, s))| {
            let (lo, hi) = p.distribution.bounds();
            let prior = (0..=PRIOR_CURVE_POINTS)
                .map(|k| {
                    // Midpoints at the ends, where a beta or log-uniform density may be infinite.
                    let u = (k as f64).clamp(0.5, PRIOR_CURVE_POINTS as f64 - 0.5)
                        / PRIOR_CURVE_POINTS as f64;
                    let x = lo + u * (hi - lo);
                    (x, p.distribution.density(x))
                })
                .collect();
            MarginalPanel {
                name: p.name.clone(),
                lo,
                hi,
                prior,
                samples: r.posterior.iter().map(|q| (q.theta[i], q.weight)).collect(),
                scenario_value: s.scenario_value,
                ratio: s.ratio,
                informed: s.informed(),
            }
        })
        .collect();
    let data = CalibrationPlotData {
        title: format!("Calibration {}", loaded.spec.name),
        footer: format!(
            "scenario {} · arm \"{}\" · {} particles from generation {} · {} replicates a particle · seed {} · escalate",
            loaded.scenario,
            loaded.arm_name,
            r.posterior.len(),
            r.generations.len().saturating_sub(1),
            loaded.spec.replicates,
            loaded.spec.seed
        ),
        marginals,
        checks: checks
            .iter()
            .map(|t| CheckRow {
                label: t.label.clone(),
                observed: t.observed,
                scale: t.scale,
                prior: t.prior,
                posterior: t.posterior,
            })
            .collect(),
        rule: format!(
            "A parameter is informed when its posterior sd is at most {INFORMED_SD_RATIO} of its prior sd."
        ),
    };
    draw_calibration(&data, &folder.file(""))
}
