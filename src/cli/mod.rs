//! The command line: clap definitions, then one file per subcommand.

pub mod calibrate;
pub mod classroom;
pub mod completions;
pub mod demo;
mod demo_picture;
pub mod discover;
pub mod fit_doctrine;
pub mod new;
pub mod options;
pub mod play;
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
    after_help = "Examples:
  escalate run                        # the built-in default scenario
  escalate run scenarios/proxy_heavy.ron -n 20000 --seed 7 --out runs/proxy
  escalate run builtin:classroom      # any bundled scenario, from any folder
  escalate new my_scenario            # a commented starter scenario to edit
  escalate validate my_scenario.ron   # check a scenario and print it resolved
  escalate plot results/published/us_russia_2016   # redraw plots and report
  escalate sweep scenarios/sweeps/attribution_vs_hotline.ron
  escalate demo                       # narrate one classroom run, both arms
  escalate completions bash > ~/.local/share/bash-completion/completions/escalate"
)]
pub struct Cli {
    /// When to colour the output: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto, value_name = "WHEN")]
    pub color: Color,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The `--color` choice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Color {
    /// Colour on a terminal, unless NO_COLOR is set to something non-empty.
    Auto,
    /// Colour even when piped.
    Always,
    /// Never colour.
    Never,
}

impl Color {
    /// Whether to colour a stream that is (or is not) a terminal.
    pub fn enabled(self, is_terminal: bool) -> bool {
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a scenario: every arm, N paired replicates; print a summary table and write a result folder.
    #[command(after_help = RUN_EXAMPLES)]
    Run(RunArgs),
    /// Check a scenario and print it fully resolved (defaults filled in).
    #[command(
        after_help = "Examples:\n  escalate validate scenarios/my_edit.ron\n  escalate validate builtin:classroom > classroom_resolved.ron\n  escalate validate                       # the built-in default scenario"
    )]
    Validate(ValidateArgs),
    /// Redraw the plots (PNG and SVG) and the report of a result folder, or the plots of a sweep
    /// folder, from its saved files alone (no re-simulation).
    #[command(
        after_help = "Examples:\n  escalate plot results/runs/us_russia_2016-001\n  escalate plot results/published/sweeps/attribution_vs_hotline"
    )]
    Plot(PlotArgs),
    /// Narrate one run event by event, with and without channels side by side (for a class).
    Demo(demo::DemoArgs),
    /// Take the seat of one state: decide where its doctrine would, then see your path beside the
    /// doctrine's in the same world.
    Play(play::PlayArgs),
    /// Fit the seated state's doctrine to games saved with `play --save` (policy capture): values,
    /// intervals, goodness of fit, and a scenario with the fitted doctrine for `run`.
    FitDoctrine(fit_doctrine::FitDoctrineArgs),
    /// Run the game of `play` in a browser: a local server with a facilitator's page for the
    /// projector and a page for the students' phones and laptops.
    #[command(
        after_help = "Examples:\n  escalate classroom\n  escalate classroom --bind 0.0.0.0 --seat Borealis --decide vote --save class1.ron"
    )]
    Classroom(classroom::ClassroomArgs),
    /// Run a parameter sweep: a design of points over scenario parameters, each in paired arms.
    #[command(long_about = SWEEP_ABOUT)]
    Sweep(SweepArgs),
    /// Join the shards of a sweep into one result (sweep.csv, sweep.json, plots).
    #[command(
        after_help = "Examples:\n  escalate merge sweep-out/                 # into sweep-out/ itself\n  escalate merge sweep-out/ --out merged/"
    )]
    Merge(MergeArgs),
    /// Find where in a sweep's parameter space a condition on its results holds (PRIM scenario
    /// discovery): a box of parameter values, with its coverage and density.
    #[command(after_help = discover::EXAMPLES)]
    Discover(discover::DiscoverArgs),
    /// Calibrate a scenario's uncertain parameters against target statistics (ABC-SMC).
    #[command(long_about = calibrate::ABOUT, after_help = calibrate::EXAMPLES)]
    Calibrate(calibrate::CalibrateArgs),
    /// Write a commented starter scenario, NAME.ron, to edit and run.
    #[command(after_help = new::EXAMPLES)]
    New(new::NewArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell) on stdout.
    #[command(after_help = completions::COMPLETION_EXAMPLES)]
    Completions(completions::CompletionsArgs),
    /// Print the manual page (roff) on stdout, or write one page per subcommand into a folder.
    #[command(after_help = completions::MAN_EXAMPLES)]
    Man(completions::ManArgs),
}

const SWEEP_ABOUT: &str = "Run a parameter sweep: the points of a design (full grid, Latin hypercube, Morris \
elementary effects or a Saltelli design for Sobol' indices) over numbers of a base scenario, each point run in paired arms with the same replicate \
seeds (common random numbers across points). Each completed point is appended to the shard's file under \
OUT/shards/ at once, so an interrupted sweep loses only the points in flight and --resume carries on. A point's \
result depends only on the sweep file, the seed and the point's index: the whole sweep, any number of shards \
merged, or an interrupted and resumed run give byte-identical sweep.csv.\n\n\
The sweep file (RON) names a base scenario, the parameters (scenario paths such as \
`states[US].attribution.skill`, `states[*].detection`, `measures.channels[hotline].reliability`, \
`campaigns[RUS->US].rate_per_year`), their values (Range(min, max, levels) or List([...])), the design, the \
replicates per point and the arms; see scenarios/sweeps/ and the README.\n\n\
Output (OUT, default a fresh results/sweeps/<name>-NNN/; with --resume, the latest of them): sweep.csv (one row per point × arm: every parameter, every \
outcome with its 95 % interval, the paired difference against the first arm), sweep.json, morris.csv (Morris), \
sobol.csv and sobol.md (Sobol'), manifest.json, plots (PNG and SVG).\n\n\
Examples:\n  escalate sweep scenarios/sweeps/attribution_vs_hotline.ron\n  \
escalate sweep SWEEP.ron --shard 3/16 --out sweep-out/      # shard 3 of 0..15\n  \
escalate merge sweep-out/ --out merged/\n  \
escalate sweep SWEEP.ron --resume --out sweep-out/\n  \
sbatch --array=0-15 scripts/slurm/sweep.sbatch SWEEP.ron sweep-out/";

/// Options of `escalate sweep`.
#[derive(Debug, Args)]
// A negative number is read as a (bad) value, so `--replicates -1` says what is wrong with it.
#[command(allow_negative_numbers = true)]
pub struct SweepArgs {
    /// Sweep file (RON).
    pub sweep: PathBuf,
    /// Output folder (default: a fresh results/sweeps/<sweep name>-NNN/; with --resume, the latest of
    /// them). Shards of one sweep share it, so --shard needs --out.
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
    /// Only a folder holding nothing but escalate's sweep files is deleted: a folder with any other
    /// file in it, a file, a device or a link is refused, with or without --force.
    #[arg(long)]
    pub force: bool,
    /// Worker threads; 0 uses every core. Results do not depend on it.
    #[arg(long, short = 'j', default_value_t = 0)]
    pub threads: usize,
    /// Master seed (replaces the sweep file's `seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Replicates per point (replaces the sweep file's `replicates`; the first batch with --precision).
    #[arg(long, short = 'n', value_name = "N")]
    pub replicates: Option<i128>,
    /// Per point, add batches of replicates until the widest 95 % interval of the headline outcome
    /// (every arm and every paired difference) is narrower than X (e.g. 0.02), up to --max-replicates.
    #[arg(long, value_name = "X")]
    pub precision: Option<f64>,
    /// Cap on replicates per point with --precision (default: the sweep file's, else 16 × replicates).
    #[arg(long, value_name = "N")]
    pub max_replicates: Option<i128>,
    /// Refuse to start if the run is estimated to need more than this much memory, in GiB (the
    /// estimate and what drives it are in the message). Raise it on a machine with more memory.
    #[arg(long, value_name = "GIB", default_value_t = crate::montecarlo::budget::DEFAULT_MAX_MEMORY_GIB)]
    pub max_memory: f64,
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
    /// Replace existing merged results (only a folder holding nothing but escalate's sweep files).
    #[arg(long)]
    pub force: bool,
    /// No messages; errors only.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

const RUN_EXAMPLES: &str = "Examples:
  escalate run                                 # the built-in default scenario
  escalate run scenarios/proxy_heavy.ron -n 20000 --seed 7 --out runs/proxy
  escalate run builtin:classroom --threads 1 --quiet
  escalate run my.ron --out runs/my --force    # replace an earlier result of mine

Without --out the results go to a fresh results/runs/<scenario name>-NNN/ folder.";

/// Options of `escalate plot`.
#[derive(Debug, Args)]
pub struct PlotArgs {
    /// A result folder written by `escalate run`, or a sweep folder written by `escalate sweep`.
    pub results: PathBuf,
    /// No messages; errors only.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// Options of `escalate run`.
#[derive(Debug, Args)]
// A negative number is read as a (bad) value, so `--replicates -1` says what is wrong with it.
#[command(allow_negative_numbers = true)]
pub struct RunArgs {
    /// Scenario file (RON), or builtin:NAME for a bundled one. Without it, the built-in default
    /// scenario (us_russia_2016) runs.
    pub scenario: Option<PathBuf>,
    /// Master seed (default: the scenario's `seed`). Same seed, scenario and version: same results.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Replicates per arm (default: the scenario's `replicates`).
    #[arg(long, short = 'n', value_name = "N")]
    pub replicates: Option<i128>,
    /// Worker threads; 0 uses every core. Results do not depend on it.
    #[arg(long, short = 'j', default_value_t = 0)]
    pub threads: usize,
    /// Result folder (default: a fresh results/runs/<scenario name>-NNN/, numbered after the highest
    /// one there). An existing non-empty folder needs --force.
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
    /// Replace an existing --out folder, only if it holds nothing but an earlier escalate result: a
    /// folder with any other file in it, a file, a device or a link is refused and nothing is deleted.
    #[arg(long)]
    pub force: bool,
    /// Refuse to start if the run is estimated to need more than this much memory, in GiB (the
    /// estimate and what drives it are in the message). Raise it on a machine with more memory.
    #[arg(long, value_name = "GIB", default_value_t = crate::montecarlo::budget::DEFAULT_MAX_MEMORY_GIB)]
    pub max_memory: f64,
    /// No progress bar and no table; errors only.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Also write the event log of some replicates (every arm) to this CSV file: one row per event
    /// (operation, detection, attribution, decision, channel call and answer, response, level
    /// change, …) with replicate, arm, day, actor, target, the truth (executor, true sponsor), the
    /// belief (state blamed, confidence) and the cause (the operation a chain began with, the
    /// decision a response answers). Columns: DATA.md of the result folder. Written whole or not
    /// at all; an existing file is replaced only with --force and only if an earlier --events wrote
    /// it.
    #[arg(long, value_name = "FILE")]
    pub events: Option<PathBuf>,
    /// Replicates whose events --events writes: N or FIRST-LAST (inclusive, from 0, within
    /// --replicates) [default: the first ten, 0-9, or every replicate when fewer are run]. At most
    /// 10,000 replicates and an estimated 1 GiB; the estimate (from the first of them) is printed
    /// before the run.
    #[arg(long, value_name = "RANGE", requires = "events")]
    pub events_replicates: Option<String>,
    /// Draw each replicate's parameters from this calibration's posterior (the output folder of
    /// `escalate calibrate` on this scenario): the same draw in every arm, so the arms stay paired.
    /// Every estimate then has a second interval, with parameter uncertainty, beside its Monte Carlo
    /// one (docs/MODEL.md, section 10.2).
    #[arg(long, value_name = "DIR", conflicts_with = "events")]
    pub posterior: Option<PathBuf>,
}

/// Options of `escalate validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Scenario file (RON), or builtin:NAME for a bundled one. Without it, the built-in default
    /// scenario is checked.
    pub scenario: Option<PathBuf>,
}

/// Runs the parsed command line.
pub fn dispatch(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Run(a) => run::run(a),
        Command::Validate(a) => validate::validate(a),
        Command::Plot(a) => plot::plot(a),
        Command::Demo(a) => demo::demo(a, cli.color),
        Command::Play(a) => play::play(a, cli.color),
        Command::FitDoctrine(a) => fit_doctrine::fit_doctrine(a),
        Command::Classroom(a) => classroom::classroom(a),
        Command::Sweep(a) => sweep::sweep(a),
        Command::Merge(a) => sweep::merge(a),
        Command::Discover(a) => discover::discover(a),
        Command::Calibrate(a) => calibrate::calibrate(a),
        Command::New(a) => new::new(a),
        Command::Completions(a) => completions::completions(a),
        Command::Man(a) => completions::man(a),
    }
}
