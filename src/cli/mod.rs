//! The command line: clap definitions, then one file per subcommand.

pub mod demo;
mod demo_picture;
pub mod options;
pub mod plot;
pub mod run;
pub mod sweep;
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
escalate plot results/us_russia_2016           # redraw plots and report from saved results\n  \
escalate sweep scenarios/sweeps/attribution_vs_hotline.ron   # a parameter sweep\n  \
escalate demo                                  # narrate one classroom run, with and without channels"
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
    /// Redraw the plots (PNG and SVG) and the report of a result or sweep folder from its saved files alone.
    Plot(PlotArgs),
    /// Narrate one run event by event, with and without channels side by side (for a class).
    Demo(demo::DemoArgs),
    /// Run a parameter sweep: a design of points over scenario parameters, each in paired arms.
    #[command(long_about = SWEEP_ABOUT)]
    Sweep(SweepArgs),
    /// Join the shards of a sweep into one result (sweep.csv, sweep.json, plots).
    Merge(MergeArgs),
}

const SWEEP_ABOUT: &str = "Run a parameter sweep: the points of a design (full grid, Latin hypercube or Morris \
elementary effects) over numbers of a base scenario, each point run in paired arms with the same replicate \
seeds (common random numbers across points). Each completed point is appended to the shard's file under \
OUT/shards/ at once, so an interrupted sweep loses only the points in flight and --resume carries on. A point's \
result depends only on the sweep file, the seed and the point's index: the whole sweep, any number of shards \
merged, or an interrupted and resumed run give byte-identical sweep.csv.\n\n\
The sweep file (RON) names a base scenario, the parameters (scenario paths such as \
`states[US].attribution.skill`, `states[*].detection`, `measures.channels[hotline].reliability`, \
`campaigns[RUS->US].rate_per_year`), their values (Range(min, max, levels) or List([...])), the design, the \
replicates per point and the arms; see scenarios/sweeps/ and the README.\n\n\
Output (OUT, default results/sweeps/<name>/): sweep.csv (one row per point × arm: every parameter, every \
outcome with its 95 % interval, the paired difference against the first arm), sweep.json, morris.csv (Morris), \
manifest.json, plots (PNG and SVG).\n\n\
Examples:\n  escalate sweep scenarios/sweeps/attribution_vs_hotline.ron\n  \
escalate sweep SWEEP.ron --shard 3/16 --out sweep-out/      # shard 3 of 0..15\n  \
escalate merge sweep-out/ --out merged/\n  \
escalate sweep SWEEP.ron --resume --out sweep-out/\n  \
sbatch --array=0-15 scripts/slurm/sweep.sbatch SWEEP.ron sweep-out/";

/// Options of `escalate sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Sweep file (RON).
    pub sweep: PathBuf,
    /// Output folder (default: results/sweeps/<sweep name>/). Shards of one sweep share it.
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
    /// Run only shard I of N (0-based: 0 ≤ I < N), e.g. 3/16; on Slurm, $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT.
    /// Without it the whole sweep runs and is merged into OUT.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    /// Carry on from the points an interrupted run completed (refuses results of another sweep file,
    /// base scenario or escalate version); starts afresh if the shard has not begun.
    #[arg(long)]
    pub resume: bool,
    /// Discard earlier results in OUT (the whole sweep folder, or with --shard only that shard's files).
    #[arg(long)]
    pub force: bool,
    /// Worker threads; 0 uses every core. Results do not depend on it.
    #[arg(long, short = 'j', default_value_t = 0)]
    pub threads: usize,
    /// Master seed (replaces the sweep file's `seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Replicates per point (replaces the sweep file's `replicates`; the first batch with --precision).
    #[arg(long, short = 'n')]
    pub replicates: Option<u64>,
    /// Per point, add batches of replicates until the widest 95 % interval of the headline outcome
    /// (every arm and every paired difference) is narrower than X (e.g. 0.02), up to --max-replicates.
    #[arg(long, value_name = "X")]
    pub precision: Option<f64>,
    /// Cap on replicates per point with --precision (default: the sweep file's, else 16 × replicates).
    #[arg(long, value_name = "N")]
    pub max_replicates: Option<u64>,
    /// No progress bar and no messages; errors only.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// Options of `escalate merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The folder the shards wrote into (the --out of `escalate sweep --shard`).
    pub sweep_dir: PathBuf,
    /// Where to write the merged results (default: into SWEEP_DIR itself). Must not exist unless --force.
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
    /// Replace existing merged results.
    #[arg(long)]
    pub force: bool,
    /// No messages; errors only.
    #[arg(long, short = 'q')]
    pub quiet: bool,
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
        Command::Sweep(a) => sweep::sweep(a),
        Command::Merge(a) => sweep::merge(a),
    }
}
