//! The command line: clap definitions, then one file per subcommand.

pub mod demo;
mod demo_picture;
pub mod plot;
pub mod run;
pub mod validate;

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Simulate cyber escalation between states, with and without confidence-building channels.
#[derive(Debug, Parser)]
#[command(
    name = "escalate",
    version,
    about = "Monte Carlo simulator of cyber escalation between states, with and without confidence-building channels",
    long_about = "Monte Carlo simulator of cyber escalation between states acting directly and through proxies \
and mercenaries. Victims detect and attribute operations (often wrongly), respond on an escalation ladder, \
and may consult confidence-building channels (dialogue, hotlines, CERT-to-CERT links, an incidents agreement, \
a non-interference pledge). Every scenario is run in paired arms (without channels, with channels, and any \
the scenario names) that share their random draws, so differences between arms are caused by the channels.\n\n\
Exit codes: 0 success, 1 runtime error, 2 usage or input error.",
    after_help = "Examples:\n  escalate run                                  # the built-in default scenario\n  \
escalate run scenarios/proxy_heavy.ron --replicates 20000 --seed 7 --out runs/proxy\n  \
escalate validate scenarios/my_edit.ron        # check a scenario and print it resolved\n  \
escalate plot results/us_russia_2016           # redraw plots and report from saved results"
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a scenario: every arm, N paired replicates; print a summary table and write a result folder.
    Run(RunArgs),
    /// Check a scenario and print it fully resolved (defaults filled in).
    Validate(ValidateArgs),
    /// Redraw the plots (PNG and SVG) and the report of a result folder from its saved files alone.
    Plot(PlotArgs),
    /// Narrate one run event by event, with and without channels side by side (for a class).
    Demo(demo::DemoArgs),
}

/// Options of `escalate plot`.
#[derive(Debug, Args)]
pub struct PlotArgs {
    /// A result folder written by `escalate run`.
    pub results: PathBuf,
    /// No messages; errors only.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// Options of `escalate run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario file (RON). Without it, the built-in default scenario (us_russia_2016) runs.
    pub scenario: Option<PathBuf>,
    /// Master seed (default: the scenario's `seed`). Same seed, scenario and version: same results.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Replicates per arm (default: the scenario's `replicates`).
    #[arg(long, short = 'n')]
    pub replicates: Option<u64>,
    /// Worker threads; 0 uses every core. Results do not depend on it.
    #[arg(long, short = 'j', default_value_t = 0)]
    pub threads: usize,
    /// Result folder (default: results/<scenario name>/). Must not exist unless --force is given.
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
    /// Replace an existing result folder.
    #[arg(long)]
    pub force: bool,
    /// No progress bar and no table; errors only.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// Options of `escalate validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Scenario file (RON). Without it, the built-in default scenario is checked.
    pub scenario: Option<PathBuf>,
}

/// Runs the parsed command line.
pub fn dispatch(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Run(a) => run::run(a),
        Command::Validate(a) => validate::validate(a),
        Command::Plot(a) => plot::plot(a),
        Command::Demo(a) => demo::demo(a),
    }
}
