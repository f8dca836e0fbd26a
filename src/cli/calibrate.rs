//! `escalate calibrate`: approximate Bayesian computation of a scenario's uncertain parameters
//! against target statistics.

use crate::calibrate::checkpoint;
use crate::calibrate::load::{LoadedCalibration, Overrides, load_calibration};
use crate::calibrate::output::write_files;
use crate::calibrate::run::{calibrate as run_calibration, parameter_summaries, predictive_checks};
use crate::calibrate::smc::{Checkpoint, GenerationSummary, Observer};
use crate::error::InputError;
use crate::montecarlo::engine::Engine;
use crate::report::folder::{Destination, FolderKind, ResultFolder};
use clap::Args;
use std::path::PathBuf;
use std::time::Instant;

pub const ABOUT: &str = "Calibrate a scenario's uncertain parameters by approximate Bayesian computation \
(sequential Monte Carlo ABC with an adaptive tolerance: Beaumont et al. 2009, Del Moral et al. 2012). The \
calibration file (RON) gives each uncertain parameter a prior (Uniform, LogUniform, Beta or Normal with \
bounds) over scenario paths written as in sweep files, and the targets: summary statistics of one arm \
(attributed incidents per direction, severity and objective shares, attribution-lag distribution and \
quantiles, misattribution share) with their observed values and scales. Generation 0 samples the priors; \
each later generation moves particles of the one before with a Gaussian kernel and keeps those whose \
statistics fall within the tolerance. Every draw comes from a stream keyed by (seed, generation, proposal, \
purpose): the output is byte-identical at any thread count.\n\n\
Output (OUT, default a fresh results/calibrations/<name>-NNN/): posterior.csv (weighted particles), \
generations.csv (tolerance, acceptance, effective sample size), parameters.csv (prior against posterior, \
and whether the data inform each parameter), predictive.csv (each target's observed value against the prior \
and posterior predictive quantiles), calibration.json, calibration.ron (the file resolved), plots \
(marginals, pairs of the informed parameters, predictive checks; PNG and SVG) and report.md.";

pub const EXAMPLES: &str = "Examples:
  escalate calibrate scenarios/us_russia_2016.ron \\
      --targets scenarios/calibration/us_russia_2016.ron --out calibrated/
  escalate calibrate builtin:us_russia_2016 --targets FILE -n 100 --population 100   # a quick look
  escalate calibrate SCENARIO --targets FILE --out calibrated/ --resume   # carry on after Ctrl-C

Each complete generation is checkpointed beside --out (.OUT.calibration-checkpoint.json); --resume
carries on from it to the result an uninterrupted run gives, byte for byte.";

/// Options of `escalate calibrate`.
#[derive(Debug, Args)]
#[command(allow_negative_numbers = true)]
pub struct CalibrateArgs {
    /// The scenario (a path, or builtin:NAME).
    pub scenario: PathBuf,
    /// The calibration file: priors, targets and settings.
    #[arg(long, value_name = "FILE")]
    pub targets: PathBuf,
    /// Output folder (default: a fresh results/calibrations/<name>-NNN/). An existing non-empty
    /// folder needs --force.
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
    /// Replace an existing --out folder, only if it holds nothing but an earlier calibration.
    #[arg(long)]
    pub force: bool,
    /// Worker threads (0: every core).
    #[arg(long, short = 'j', default_value_t = 0)]
    pub threads: usize,
    /// Master seed (default: the calibration file's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Replicates per particle (default: the calibration file's).
    #[arg(long, short = 'n', value_name = "N")]
    pub replicates: Option<i128>,
    /// Particles per generation (default: the calibration file's).
    #[arg(long, value_name = "N")]
    pub population: Option<i128>,
    /// Most generations, generation 0 included (default: the calibration file's).
    #[arg(long, value_name = "N")]
    pub max_generations: Option<i128>,
    /// Carry on an interrupted calibration into --out from its last complete generation (the
    /// result is the one an uninterrupted run gives, byte for byte).
    #[arg(long)]
    pub resume: bool,
    /// No progress and no summary; errors only.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

fn count<T: TryFrom<i128>>(
    flag: &str,
    v: Option<i128>,
    least: i128,
) -> Result<Option<T>, InputError> {
    match v {
        None => Ok(None),
        Some(n) if n >= least => T::try_from(n).map(Some).map_err(|_| InputError::Flag {
            flag: flag.into(),
            message: format!("{n} is too large"),
        }),
        Some(n) => Err(InputError::Flag {
            flag: flag.into(),
            message: format!("{n} is not a count; give a whole number of at least {least}"),
        }),
    }
}

/// Writes a checkpoint after each generation, and prints a line per generation on a terminal.
struct Progress {
    show: bool,
    checkpoint: PathBuf,
    identity: String,
}

impl Observer for Progress {
    fn generation(&mut self, g: &GenerationSummary, c: &Checkpoint) -> anyhow::Result<()> {
        checkpoint::write(&self.checkpoint, &self.identity, c)?;
        if self.show {
            eprintln!(
                "generation {}: tolerance {:.3}, accepted {} of {} ({:.1} %), effective sample size {:.0}",
                g.generation,
                g.tolerance,
                g.accepted,
                g.proposals,
                100.0 * g.acceptance(),
                g.ess
            );
        }
        Ok(())
    }
}

fn slug(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Runs `escalate calibrate`.
pub fn calibrate(a: CalibrateArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let overrides = Overrides {
        seed: a.seed,
        replicates: count("--replicates", a.replicates, 1)?,
        population: count("--population", a.population, 10)?,
        max_generations: count("--max-generations", a.max_generations, 1)?,
    };
    let engine_options = crate::cli::options::engine_options(a.threads, a.quiet)?;
    let (compiled, _, _) = crate::scenario::load_scenario(Some(&a.scenario))?;
    let loaded: LoadedCalibration = load_calibration(&a.targets, &compiled, &overrides)?;
    let dest = match &a.out {
        Some(p) => Destination::Named(p.clone()),
        None => Destination::Numbered {
            parent: PathBuf::from("results").join("calibrations"),
            stem: slug(&loaded.spec.name),
        },
    };
    if a.resume && a.out.is_none() {
        return Err(InputError::Flag {
            flag: "--resume".into(),
            message: "needs --out, the folder the interrupted calibration was writing".into(),
        }
        .into());
    }
    let folder = ResultFolder::create(&dest, FolderKind::Calibration, a.force)?;
    let identity = checkpoint::identity(
        &loaded,
        &crate::scenario::load::resolved_ron(&compiled.scenario)
            .map_err(|e| anyhow::anyhow!("cannot serialise the scenario: {e}"))?,
    );
    let checkpoint_path = checkpoint::checkpoint_path(folder.target());
    let resume = if a.resume {
        Some(checkpoint::read(
            &checkpoint_path,
            &identity,
            loaded.spec.priors.len(),
        )?)
    } else {
        None
    };
    let engine = Engine::new(engine_options)?;
    let threads = engine.threads();
    let terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
    if !a.quiet {
        eprintln!(
            "Calibrating {} against {} ({} parameters, {} targets): {} particles a generation, {} replicates each, at most {} generations, seed {}, {threads} thread{}.",
            loaded.scenario,
            crate::scenario::load::shown_path(&a.targets),
            loaded.spec.priors.len(),
            loaded.spec.targets.len(),
            loaded.spec.population,
            loaded.spec.replicates,
            loaded.spec.max_generations,
            loaded.spec.seed,
            if threads == 1 { "" } else { "s" }
        );
    }
    let result = run_calibration(
        &loaded,
        &engine,
        &mut Progress {
            show: terminal && !a.quiet,
            checkpoint: checkpoint_path.clone(),
            identity,
        },
        resume,
    )?;
    if result.generations.is_empty() {
        anyhow::bail!(
            "generation 0 could not be completed: {}",
            crate::calibrate::output::stop_words(&result, loaded.spec.min_acceptance)
        );
    }
    let params = parameter_summaries(&loaded, &result);
    let checks = predictive_checks(&loaded, &result);
    let seconds = started.elapsed().as_secs_f64();
    let simulated: u64 = result.generations.iter().map(|g| g.simulations).sum();
    let note = format!(
        "Command: `{}`. It took {:.0} s of wall time on {threads} worker thread{} and simulated {simulated} replicates \
         (timing varies with the machine and its load; nothing else in this folder does).\n",
        std::env::args().collect::<Vec<_>>().join(" "),
        seconds,
        if threads == 1 { "" } else { "s" }
    );
    write_files(&folder, &loaded, &result, &params, &checks, &note)?;
    crate::files::write_atomically(
        &folder.file("calibration.ron"),
        crate::calibrate::load::resolved(&loaded.spec).as_bytes(),
    )?;
    crate::calibrate::output::draw_plots(&folder, &loaded, &result, &params, &checks)?;
    let at = folder.commit()?;
    // The folder is complete: the checkpoint has done its work.
    let _ = std::fs::remove_file(&checkpoint_path);
    if !a.quiet {
        println!(
            "{} generations, {} particles, {:.0} s.",
            result.generations.len(),
            result.posterior.len(),
            seconds
        );
        let (informed, not): (Vec<_>, Vec<_>) = params.iter().partition(|p| p.informed());
        let names = |v: &[&crate::calibrate::run::ParameterSummary]| {
            if v.is_empty() {
                "none".to_string()
            } else {
                v.iter()
                    .map(|p| p.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        println!("Informed by the targets: {}.", names(&informed));
        println!("Not informed (posterior ≈ prior): {}.", names(&not));
        println!(
            "Wrote posterior.csv, generations.csv, parameters.csv, predictive.csv, plots and report.md to {}.",
            crate::scenario::load::shown_path(&at)
        );
    }
    Ok(())
}
