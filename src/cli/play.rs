//! `escalate play`: a student takes the seat of one state (see [`crate::play`]).

use crate::demo::{DEMO_SCENARIO, DEMO_SCENARIO_LABEL, arm_by_name};
use crate::error::InputError;
use crate::files::{read_bounded_to_string, write_new_atomically};
use crate::model::seat::Choice;
use crate::play::Game;
use crate::play::ending::ending;
use crate::play::prompt::{Prompter, Source};
use crate::play::record::{DecisionFile, FORMAT};
use crate::scenario::compile::{Compiled, ExitRule};
use crate::scenario::load::{load_scenario, parse_scenario, resolved_ron, syntax_error};
use anyhow::Context;
use clap::Args;
use sha2::{Digest, Sha256};
use std::io::{BufReader, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The largest decision file read (a class's game is a few kilobytes).
const MAX_DECISION_FILE_BYTES: u64 = 16 << 20;

/// Help after the options.
pub const HELP: &str = "\
The seat: the model runs the world; whenever the seated state decides, the run
pauses and shows what that state knows (its attribution and confidence, the
tension and trust of the pair; never the truth), the options its ladder
allows, and what its doctrine would choose and why. It decides:
  - the first response to an operation attributed to another state (a rung);
  - the answer to another state's action against it (a rung);
  - the answer to an accusation over a channel about an operation it ordered
    (admit or deny).
Type a rung's number or name, `admit`, `deny`, or `doctrine` (`d`) for the
doctrine's choice. At the end the truth is revealed and your path is set
beside the doctrine's in the same world: the same seed, arm and random draws,
so the two are identical until the first choice that differs.

Scripted games: with stdin piped, one choice per line; a bad choice or a
script that ends too soon stops the game with an error naming the line.

Saved games: --save FILE writes the seat, arm, seed, the scenario's
fingerprint (the SHA-256 of the resolved scenario, as in a run's
manifest.json), the escalate version and every decision with its day and
options; it never replaces an existing file. --replay FILE plays it again
(the same transcript, byte for byte) on the same scenario; a file from
another scenario or version is refused.

Output: plain prompts (no full-screen interface); on a terminal the headings
and your choices are in colour (see --color; never with --no-color or a
non-empty NO_COLOR).
Exit codes: 0 success, 1 a runtime error, 2 bad input (a flag, a scenario, a
bad choice, a decision file that does not fit).

Examples:
  escalate play --seat Aurelia
  escalate play scenarios/false_flag.ron --seat Borealis --arm with-channels --seed 12
  { printf 'admit\\n2\\n'; yes d; } | escalate play --seat Borealis \\
      --arm with-channels --seed 3 --save my_game.ron
  escalate play --replay my_game.ron";

/// Options of `escalate play`.
#[derive(Debug, Args)]
#[command(after_long_help = HELP)]
pub struct PlayArgs {
    /// Scenario file (RON), or builtin:NAME. Without it, the built-in classroom scenario (with
    /// --replay: give the scenario the game was played on).
    pub scenario: Option<PathBuf>,
    /// The state whose seat you take (its name, in any case). Required unless --replay.
    #[arg(long, value_name = "STATE", required_unless_present = "replay")]
    pub seat: Option<String>,
    /// Arm to play, by slug ("without-channels", "with-channels", …) or exact name. Default: the
    /// scenario's first arm.
    #[arg(long, value_name = "ARM")]
    pub arm: Option<String>,
    /// Seed of the world (master seed, replicate 0). Default: the scenario's `demo_seed`, else `seed`.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Write the game's decisions to FILE (RON) at the end; never replaces an existing file.
    #[arg(long, value_name = "FILE")]
    pub save: Option<PathBuf>,
    /// Replay the decisions saved in FILE (seat, arm and seed come from it).
    #[arg(long, value_name = "FILE", conflicts_with = "save")]
    pub replay: Option<PathBuf>,
    /// Plain text even on a terminal (the same as --color never; a non-empty NO_COLOR does it too).
    #[arg(long)]
    pub no_color: bool,
    /// No notes on stderr (the game itself is on stdout).
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

fn flag(flag: &str, message: impl Into<String>) -> anyhow::Error {
    InputError::Flag {
        flag: flag.into(),
        message: message.into(),
    }
    .into()
}

fn state_by_name(p: &Compiled, wanted: &str) -> Result<usize, String> {
    p.states
        .iter()
        .position(|s| s.name.eq_ignore_ascii_case(wanted.trim()))
        .ok_or_else(|| {
            format!(
                "no state \"{wanted}\"; the states are {}",
                p.states
                    .iter()
                    .map(|s| s.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
}

/// Reads a decision file, with file:line:column for a malformed one.
pub fn read_decisions(path: &Path) -> anyhow::Result<DecisionFile> {
    let label = path.display().to_string();
    let text = read_bounded_to_string(path, MAX_DECISION_FILE_BYTES)
        .map_err(|e| flag("--replay", format!("{e:#}")))?;
    ron::from_str::<DecisionFile>(&text).map_err(|e| syntax_error(&label, &text, &e).into())
}

/// Checks that a saved game fits this escalate and this scenario; says which does not, and how to
/// proceed.
fn check_fits(file: &DecisionFile, path: &Path, sha: &str, label: &str) -> anyhow::Result<()> {
    let name = path.display();
    if file.format != FORMAT {
        return Err(flag(
            "--replay",
            format!(
                "{name} is a decision file of format {}; this escalate reads format {FORMAT}",
                file.format
            ),
        ));
    }
    let here = env!("CARGO_PKG_VERSION");
    if file.escalate != here {
        return Err(flag(
            "--replay",
            format!(
                "{name} was played with escalate {}; this is escalate {here}, whose model may differ: replay it with escalate {}",
                file.escalate, file.escalate
            ),
        ));
    }
    if file.scenario_sha256 != sha {
        let how = if file.scenario == DEMO_SCENARIO_LABEL {
            format!("leave the scenario out: `escalate play --replay {name}`")
        } else {
            format!(
                "give that scenario: `escalate play {} --replay {name}`",
                file.scenario
            )
        };
        return Err(flag(
            "--replay",
            format!(
                "{name} was played on another scenario ({}, resolved SHA-256 {}…), not on {label} ({}…): {how}",
                file.scenario,
                &file
                    .scenario_sha256
                    .get(..12)
                    .unwrap_or(&file.scenario_sha256),
                &sha[..12],
            ),
        ));
    }
    Ok(())
}

/// The scenario a game is played on (`play`, `classroom`): the file given, or the demo's classroom
/// scenario; its label; and the SHA-256 of its resolved text, the fingerprint a decision file carries.
pub(crate) fn game_scenario(
    path: Option<&Path>,
) -> anyhow::Result<(Arc<Compiled>, String, String)> {
    let (compiled, label) = match path {
        Some(path) => {
            let (c, label, _) = load_scenario(Some(path))?;
            (c, label)
        }
        None => (
            parse_scenario(DEMO_SCENARIO_LABEL, DEMO_SCENARIO)?,
            DEMO_SCENARIO_LABEL.to_string(),
        ),
    };
    let params = Arc::new(compiled);
    let resolved = resolved_ron(&params.scenario).context("cannot write the resolved scenario")?;
    let sha = format!("{:x}", Sha256::digest(resolved.as_bytes()));
    Ok((params, label, sha))
}

/// Runs `escalate play`.
pub fn play(a: PlayArgs, color: super::Color) -> anyhow::Result<()> {
    let (params, label, sha) = game_scenario(a.scenario.as_deref())?;
    let saved = match &a.replay {
        Some(path) => {
            let file = read_decisions(path)?;
            check_fits(&file, path, &sha, &label)?;
            Some(file)
        }
        None => None,
    };
    let seat_name = match (&saved, &a.seat) {
        (Some(f), Some(s)) if !f.seat.eq_ignore_ascii_case(s) => {
            return Err(flag(
                "--seat",
                format!(
                    "the saved game's seat is {}, not {s}; leave --seat out",
                    f.seat
                ),
            ));
        }
        (Some(f), _) => f.seat.clone(),
        (None, Some(s)) => s.clone(),
        (None, None) => return Err(flag("--seat", "name the state whose seat you take")),
    };
    let seat = state_by_name(&params, &seat_name).map_err(|m| flag("--seat", m))?;
    let arm = match (&saved, &a.arm) {
        (Some(f), given) => {
            let arm = arm_by_name(&params, &f.arm).map_err(|m| flag("--replay", m))?;
            if let Some(g) = given
                && arm_by_name(&params, g).ok() != Some(arm)
            {
                return Err(flag(
                    "--arm",
                    format!("the saved game's arm is \"{}\"; leave --arm out", f.arm),
                ));
            }
            arm
        }
        (None, Some(g)) => arm_by_name(&params, g).map_err(|m| flag("--arm", m))?,
        (None, None) => 0,
    };
    // A withdrawal decided by a doctrine replays the replicate from the start with the withdrawal
    // scheduled (sim.rs): a seat would be asked its questions a second time. Until the seat can be
    // rewound, such an arm cannot be played.
    if let Some(w) = params.arms[arm]
        .withdrawals
        .iter()
        .find(|w| !matches!(w.rule, ExitRule::Day(_)))
    {
        return Err(flag(
            "--arm",
            format!(
                "the arm \"{}\" has {} leave {} when its doctrine decides, which a game cannot play \
                 yet; choose an arm without such a withdrawal (escalate validate lists the arms)",
                params.arms[arm].name, params.states[w.by].name, params.measures[w.measure].name
            ),
        ));
    }
    let seed = match (&saved, a.seed) {
        (Some(f), Some(s)) if s != f.seed => {
            return Err(flag(
                "--seed",
                format!("the saved game's seed is {}; leave --seed out", f.seed),
            ));
        }
        (Some(f), _) => f.seed,
        (None, Some(s)) => s,
        (None, None) => params.scenario.demo_seed.unwrap_or(params.scenario.seed),
    };
    if let Some(path) = &a.save
        && path.exists()
    {
        return Err(flag(
            "--save",
            format!(
                "{} already exists; choose another name (a saved game is never replaced)",
                path.display()
            ),
        ));
    }

    let game = Game {
        params: params.clone(),
        seat,
        arm,
        seed,
    };
    let source = match (&saved, &a.replay) {
        (Some(f), Some(path)) => Source::Replay(
            f.decisions
                .iter()
                .map(|t| t.choice)
                .collect::<Vec<Choice>>(),
            path.display().to_string(),
        ),
        _ if std::io::stdin().is_terminal() => {
            Source::Terminal(Box::new(BufReader::new(std::io::stdin())))
        }
        _ => Source::Script(Box::new(BufReader::new(std::io::stdin())), "stdin".into()),
    };
    let mut out = std::io::stdout();
    let me = &params.states[seat].name;
    writeln!(
        out,
        "escalate play: you are {me} in {} (arm \"{}\", seed {seed}).\n",
        params.scenario.name, params.arms[arm].name
    )?;
    let color = !a.no_color && color.enabled(std::io::stdout().is_terminal());
    let (prompter, failure) =
        Prompter::new(params.clone(), source, Box::new(std::io::stdout()), color);
    let yours = game.play(Box::new(prompter));
    let failed = failure.lock().unwrap_or_else(|e| e.into_inner()).take();
    if let Some(message) = failed {
        return Err(InputError::Flag {
            flag: if a.replay.is_some() {
                "--replay"
            } else {
                "the game"
            }
            .into(),
            message,
        }
        .into());
    }
    if let Some(f) = &saved
        && f.decisions.len() != yours.taken.len()
    {
        return Err(flag(
            "--replay",
            format!(
                "the saved game holds {} decisions; this game asked for {}",
                f.decisions.len(),
                yours.taken.len()
            ),
        ));
    }
    let doctrine = game.doctrine_path();
    writeln!(
        out,
        "The game ends on day {}.\n",
        params.scenario.horizon_days
    )?;
    for l in ending(&params, seat, &yours, &doctrine) {
        writeln!(out, "{l}")?;
    }
    if let Some(path) = &a.save {
        let file = DecisionFile {
            format: FORMAT,
            escalate: env!("CARGO_PKG_VERSION").to_string(),
            scenario: label.clone(),
            scenario_sha256: sha,
            seat: me.clone(),
            arm: params.arms[arm].name.clone(),
            seed,
            decisions: yours.taken,
        };
        let text = ron::ser::to_string_pretty(
            &file,
            ron::ser::PrettyConfig::default().compact_arrays(true),
        )
        .context("cannot write the decision file")?;
        write_new_atomically(path, format!("{text}\n").as_bytes())?;
        if !a.quiet {
            eprintln!("Game saved to {}.", crate::scenario::load::shown_path(path));
        }
    }
    Ok(())
}
