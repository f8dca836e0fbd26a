//! `escalate demo`: one run narrated event by event, its arms side by side, for a class.

use super::options::FindOptions;
use crate::demo::find::find_seed;
use crate::demo::inject::parse_inject;
use crate::demo::narrate::{ArmStory, Style, narrate};
use crate::demo::{DEMO_SCENARIO, DEMO_SCENARIO_LABEL, arm_by_name, slug};
use crate::error::InputError;
use crate::scenario::compile::Compiled;
use crate::scenario::load::{load_scenario, parse_scenario};
use crate::scenario::validate::validate;
use crate::sim::Simulator;
use clap::Args;
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;

const HELP: &str = "\
Injects (--inject, repeatable; also `injects: [...]` in a scenario file, see
docs/MODEL.md):
  day <N>: [state|proxy|mercenary|group] <executor> [for <sponsor>] <verb>
           <target> [<sector>] [, false flag <state>] [, severity <1-10>]
           [, overt] [, detected after <N> days]
  verbs: spies on | steals from | disrupts | destroys | sabotages | meddles in
  Names are one word or \"quoted words\", matched without regard to case; the
  sector is the rest up to the first comma. What an inject leaves unsaid
  (severity, sector, detection, attribution) is drawn from the inject's own
  random stream, so every other draw of the run stays as it was. The sponsor
  defaults to the state itself, a proxy's patron, or the state hiring the
  mercenary against that target.
  e.g.  day 40: mercenary \"Sandfly\" destroys Aurelia power grid,
                false flag Borealis
        day 12: Borealis spies on Aurelia military, severity 4,
                detected after 3 days

Contrasts (--find; the baseline is the first arm, the other the second):
  kinetic-without-channels-only   armed conflict in the baseline, none in
                                  the other arm
  crisis-without-channels-only    a crisis in the baseline, none in the other
  misattribution-corrected        a misattribution in the baseline; a channel
                                  corrects one in the other arm
  proxy-freelance-crisis          a freelancing proxy's operation is
                                  answered; the baseline reaches a crisis
  mercenary-misattributed-crisis  a mercenary's operation is blamed on the
                                  wrong state and answered; the baseline
                                  reaches a crisis
  mercenary-crisis-averted        as the previous one, and the other arm
                                  stays below the crisis rung
  false-flag-crisis               a false flag is answered and the baseline
                                  reaches a crisis

Output: colour and a ladder gauge when stdout is a terminal (see --color;
never with --no-color or a non-empty NO_COLOR); two columns from 140 columns
(COLUMNS or the terminal), interleaved below that.
Exit codes: 0 success (also `q` in --step), 1 nothing found by --find or a
runtime error, 2 bad input.

Examples:
  escalate demo                 # classroom scenario, its demo seed, both arms
  escalate demo scenarios/false_flag.ron --seed 12 --step
  escalate demo --arm with-channels \\
      --inject 'day 40: mercenary \"Sandfly\" destroys Aurelia power grid'
  escalate demo --find kinetic-without-channels-only
  escalate demo --picture slides/        # demo_timeline.png and .svg";

/// Options of `escalate demo`.
#[derive(Debug, Args)]
#[command(after_long_help = HELP, allow_negative_numbers = true)]
pub struct DemoArgs {
    /// Scenario file (RON). Without it, the built-in classroom scenario.
    pub scenario: Option<PathBuf>,
    /// Seed of the run (master seed, replicate 0; default: the scenario's `demo_seed`, else `seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Arm to narrate, by slug ("without-channels", "with-channels", "hotline-only") or exact name;
    /// give it twice to compare two arms. Default: "without channels" and "with channels".
    #[arg(long = "arm", value_name = "ARM")]
    pub arms: Vec<String>,
    /// A scripted operation, e.g. 'day 40: mercenary "Sandfly" destroys Aurelia power grid' (see
    /// the grammar below); repeatable.
    #[arg(long = "inject", value_name = "INJECT")]
    pub injects: Vec<String>,
    /// Wait for Enter between events (`q` then Enter quits); only when stdin is a terminal.
    #[arg(long)]
    pub step: bool,
    /// Plain text even on a terminal (the same as --color never; a non-empty NO_COLOR does it too).
    #[arg(long)]
    pub no_color: bool,
    /// Search seeds for a run that shows CONTRAST (names below) and say which seed to use.
    #[arg(long, value_name = "CONTRAST")]
    pub find: Option<String>,
    /// Seeds --find tries (1 to N).
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub max_seeds: u64,
    /// Worker threads for --find; 0 uses every core. The seed found does not depend on it.
    #[arg(long, short = 'j', default_value_t = 0)]
    pub threads: usize,
    /// With --find: refuse to start if the search is estimated to need more than this much memory,
    /// in GiB.
    #[arg(long, value_name = "GIB", default_value_t = crate::montecarlo::budget::DEFAULT_MAX_MEMORY_GIB)]
    pub max_memory: f64,
    /// Write the timeline picture (demo_timeline.png and .svg) into DIR.
    #[arg(long, value_name = "DIR")]
    pub picture: Option<PathBuf>,
    /// Also write demo_timeline.gif, the timeline filling in day by day (needs --picture and a
    /// build with the `gif` feature).
    #[arg(long)]
    pub gif: bool,
    /// Replace existing picture files.
    #[arg(long)]
    pub force: bool,
}

fn flag(flag: &str, message: impl Into<String>) -> anyhow::Error {
    InputError::Flag {
        flag: flag.into(),
        message: message.into(),
    }
    .into()
}

/// The terminal's width: COLUMNS, else the terminal, else 100.
fn width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|w| *w >= 40)
        .or_else(|| terminal_size::terminal_size().map(|(w, _)| w.0 as usize))
        .unwrap_or(100)
}

/// Runs `escalate demo`.
pub fn demo(a: DemoArgs, color: super::Color) -> anyhow::Result<()> {
    let find_options = FindOptions::from_cli_arguments(&a)?;
    let (compiled, label) = match &a.scenario {
        Some(path) => {
            let (c, label, _) = load_scenario(Some(path))?;
            (c, label)
        }
        None => (
            parse_scenario(DEMO_SCENARIO_LABEL, DEMO_SCENARIO)?,
            DEMO_SCENARIO_LABEL.to_string(),
        ),
    };
    let params = Arc::new(if a.injects.is_empty() {
        compiled
    } else {
        let mut scenario = compiled.scenario;
        for text in &a.injects {
            let inj = parse_inject(text, &scenario).map_err(|e| flag("--inject", e.to_string()))?;
            scenario.injects.push(inj);
        }
        // Each inject was checked against the scenario as it was read; together they are checked
        // again (the problems then concern the command line, so they have no place in the file).
        validate(&scenario).map_err(|problems| InputError::Invalid {
            file: label.clone(),
            problems,
            located: Vec::new(),
        })?
    });
    let scenario = &params.scenario;
    let mut arms = Vec::new();
    for name in &a.arms {
        arms.push(arm_by_name(&params, name).map_err(|m| flag("--arm", m))?);
    }
    if arms.len() > 2 {
        return Err(flag(
            "--arm",
            "give at most two arms (the demo compares two)",
        ));
    }
    if arms.is_empty() {
        arms = vec![0, 1];
    }
    if a.gif && a.picture.is_none() {
        return Err(flag(
            "--gif",
            "needs --picture DIR (where to write demo_timeline.gif)",
        ));
    }
    if a.gif && !cfg!(feature = "gif") {
        return Err(flag(
            "--gif",
            "this escalate was built without the `gif` feature; rebuild with `cargo build --release --features gif`",
        ));
    }
    if let Some(opts) = find_options {
        return find(&a, opts, &params, &label, &arms);
    }
    let seed = a.seed.or(scenario.demo_seed).unwrap_or(scenario.seed);

    let mut sim = Simulator::new(params.clone());
    let stories: Vec<ArmStory> = arms
        .iter()
        .map(|&arm| {
            let (result, log) = sim.run_logged(seed, 0, arm);
            ArmStory {
                name: params.arms[arm].name.clone(),
                result,
                entries: log.entries,
            }
        })
        .collect();

    let style = Style {
        color: !a.no_color && color.enabled(std::io::stdout().is_terminal()),
        width: width(),
    };
    let story = narrate(&params, seed, &stories, style);
    if let Some(dir) = &a.picture {
        super::demo_picture::write(dir, &params, seed, &stories, &story, a.gif, a.force)?;
    }
    let stepping = a.step && std::io::stdin().is_terminal();
    if a.step && !stepping {
        eprintln!("note: --step needs a terminal on stdin; printing the whole run.");
    }
    let mut out = std::io::stdout().lock();
    for l in &story.head {
        writeln!(out, "{l}")?;
    }
    let stdin = std::io::stdin();
    let mut line = String::new();
    for block in &story.blocks {
        for l in block {
            writeln!(out, "{l}")?;
        }
        if stepping {
            write!(out, "  [Enter: next event · q, Enter: quit] ")?;
            out.flush()?;
            line.clear();
            if stdin.lock().read_line(&mut line)? == 0 {
                continue;
            }
            // Erase the prompt and the echoed Enter.
            write!(out, "\x1b[1A\x1b[2K")?;
            if line.trim().eq_ignore_ascii_case("q") {
                writeln!(out, "Stopped.")?;
                return Ok(());
            }
        }
    }
    for l in &story.tail {
        writeln!(out, "{l}")?;
    }
    if let Some(dir) = &a.picture {
        writeln!(
            out,
            "Timeline picture written to {}.",
            dir.join("demo_timeline.png").display()
        )?;
    }
    Ok(())
}

fn find(
    a: &DemoArgs,
    opts: FindOptions,
    params: &Arc<Compiled>,
    label: &str,
    arms: &[usize],
) -> anyhow::Result<()> {
    let FindOptions {
        contrast,
        max_seeds,
        engine,
    } = opts;
    let (base, other) = match arms {
        [x, y] => (*x, *y),
        [x] if *x != 0 => (0, *x),
        _ => return Err(flag("--arm", "--find compares two arms; give a second one")),
    };
    let estimate = crate::montecarlo::budget::estimate(
        params,
        max_seeds,
        engine.threads,
        crate::montecarlo::budget::Shape::Find,
    );
    estimate.check_memory(super::options::max_memory(a.max_memory)?)?;
    if let Some(w) = estimate.long_run_warning() {
        eprintln!("warning: {w}");
    }
    let engine = crate::montecarlo::Engine::new(engine)?;
    let found = find_seed(&engine, params, contrast, base, other, max_seeds)?;
    let Some(seed) = found else {
        anyhow::bail!(
            "no seed from 1 to {} shows {} between \"{}\" and \"{}\"; try a larger --max-seeds or another contrast",
            max_seeds,
            contrast.name(),
            params.arms[base].name,
            params.arms[other].name
        );
    };
    let mut cmd = String::from("escalate demo");
    if let Some(p) = &a.scenario {
        cmd += &format!(" {}", p.display());
    }
    cmd += &format!(" --seed {seed}");
    if !a.arms.is_empty() {
        cmd += &format!(
            " --arm {} --arm {}",
            slug(&params.arms[base].name),
            slug(&params.arms[other].name)
        );
    }
    for i in &a.injects {
        cmd += &format!(" --inject '{}'", i.replace('\'', "'\\''"));
    }
    println!(
        "Seed {seed} shows {} in {label} (\"{}\" against \"{}\").\nReplay it with:\n  {cmd}",
        contrast.name(),
        params.arms[base].name,
        params.arms[other].name
    );
    Ok(())
}
