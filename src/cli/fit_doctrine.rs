//! `escalate fit-doctrine`: policy capture. Fits the seated state's doctrine parameters that best
//! reproduce the choices saved by `escalate play --save` (see [`crate::play::fit`]).

use crate::demo::{DEMO_SCENARIO, DEMO_SCENARIO_LABEL, arm_by_name};
use crate::error::InputError;
use crate::files::{read_bounded_to_string, write_new_atomically};
use crate::play::Game;
use crate::play::fit::Observed;
use crate::play::fit_report::{report_lines, scenario_arm};
use crate::play::fit_run::{fit, replay_views};
use crate::play::record::{DecisionFile, FORMAT, Point};
use crate::scenario::compile::Compiled;
use crate::scenario::load::{load_scenario, parse_scenario, resolved_ron, syntax_error};
use anyhow::Context;
use clap::Args;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The largest decision file read (a class's game is a few kilobytes).
const MAX_DECISION_FILE_BYTES: u64 = 16 << 20;

/// Help after the options.
pub const HELP: &str = "\
Policy capture: which doctrine plays like these games? Each decision file
(from `escalate play --save`) is replayed on its scenario to see again what
the seat saw at each decision (the rung of the operation attributed, the
confidence, the perceived severity, the tension, the trust, the channel's
call). At each, the scenario's doctrine gives every option a probability:
the model's own decision code, integrated exactly over its random draws
(restraint or escalation noise, the rounding of a fractional severity, a
reply in kind, honesty). The fit finds the doctrine parameters under which
the saved choices are most likely (maximum likelihood, by a bounded
coordinate search):
  doctrine.restraint, doctrine.escalation        (every rung decision)
  doctrine.sure_confidence, doctrine.reply_in_kind   (first responses)
  doctrine.incident_tension, worst_case_bias     (first responses)
  doctrine.tension_sensitivity                   (answers in the spiral)
  honesty                                        (accusations: admit or deny)
plus a lapse: the share of choices taken as random picks among the
options, so that a choice the doctrine never makes does not rule it out.
The response table itself (which rung each severity gets) is kept.

Output: each parameter's fitted value with a 95 % profile-likelihood
interval and the number of decisions its likelihood depends on; a warning
for a parameter the decisions do not identify (flat profile); the
log-likelihood of the fitted doctrine, of the scenario's doctrine and of a
uniform chooser; the share of choices that are the fitted doctrine's most
likely option. With --out, the scenario with the seat's doctrine replaced
by the fitted one, commented, for `escalate run` (never replaces a file).

All files must come from one scenario, one escalate version and one seat
(arms and seeds may differ); a file that differs is named, with how.
Exit codes: 0 success, 1 a runtime error, 2 bad input (a malformed or
mismatched decision file, a scenario that does not fit).

Examples:
  escalate fit-doctrine alice.ron bob.ron carol.ron
  escalate fit-doctrine class/*.ron --out class-doctrine.ron
  escalate run class-doctrine.ron -n 10000
  escalate fit-doctrine game.ron --scenario scenarios/false_flag.ron";

/// Options of `escalate fit-doctrine`.
#[derive(Debug, Args)]
#[command(after_long_help = HELP)]
pub struct FitDoctrineArgs {
    /// Decision files saved by `escalate play --save` (one or more, one scenario and seat).
    #[arg(required = true, value_name = "DECISIONS")]
    pub files: Vec<PathBuf>,
    /// The scenario the games were played on (RON file or builtin:NAME). Default: the built-in
    /// classroom scenario when the files say so, else the scenario path the files name.
    #[arg(long, value_name = "SCENARIO")]
    pub scenario: Option<PathBuf>,
    /// Write the scenario with the fitted doctrine to FILE (RON); never replaces an existing file.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// No notes on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

fn bad(flag: &str, message: impl Into<String>) -> anyhow::Error {
    InputError::Flag {
        flag: flag.into(),
        message: message.into(),
    }
    .into()
}

/// Reads a decision file, with file:line:column for a malformed one.
pub fn read_decision_file(path: &Path) -> anyhow::Result<DecisionFile> {
    let label = path.display().to_string();
    let text = read_bounded_to_string(path, MAX_DECISION_FILE_BYTES)
        .map_err(|e| bad("DECISIONS", format!("{e:#}")))?;
    ron::from_str::<DecisionFile>(&text).map_err(|e| syntax_error(&label, &text, &e).into())
}

fn short(sha: &str) -> &str {
    sha.get(..12).unwrap_or(sha)
}

/// Checks that every file comes from the first one's scenario, version, format and seat; names
/// the first that does not, and how it differs.
pub fn check_same_game(files: &[(PathBuf, DecisionFile)]) -> anyhow::Result<()> {
    let Some((first_path, first)) = files.first() else {
        return Ok(());
    };
    for (path, f) in files {
        let (a, b) = (first_path.display(), path.display());
        let differs = if f.format != first.format {
            Some(format!(
                "decision file format {} (not {})",
                f.format, first.format
            ))
        } else if f.escalate != first.escalate {
            Some(format!(
                "escalate {} (not {}, whose model may differ)",
                f.escalate, first.escalate
            ))
        } else if f.scenario_sha256 != first.scenario_sha256 {
            Some(format!(
                "another scenario: {} (resolved SHA-256 {}…), not {} ({}…)",
                f.scenario,
                short(&f.scenario_sha256),
                first.scenario,
                short(&first.scenario_sha256)
            ))
        } else if !f.seat.eq_ignore_ascii_case(&first.seat) {
            Some(format!(
                "another seat: {}, not {} (fit each seat's games apart)",
                f.seat, first.seat
            ))
        } else {
            None
        };
        if let Some(how) = differs {
            return Err(bad(
                "DECISIONS",
                format!("{b} differs from {a}: it was played with {how}"),
            ));
        }
    }
    if first.format != FORMAT {
        return Err(bad(
            "DECISIONS",
            format!(
                "{} is a decision file of format {}; this escalate reads format {FORMAT}",
                first_path.display(),
                first.format
            ),
        ));
    }
    let here = env!("CARGO_PKG_VERSION");
    if first.escalate != here {
        return Err(bad(
            "DECISIONS",
            format!(
                "{} was played with escalate {}; this is escalate {here}, whose model may differ: fit it with escalate {}",
                first_path.display(),
                first.escalate,
                first.escalate
            ),
        ));
    }
    Ok(())
}

/// The scenario the games were played on, checked against their fingerprint.
fn scenario_of(a: &FitDoctrineArgs, first: &DecisionFile) -> anyhow::Result<(Compiled, String)> {
    let (compiled, label) = match (&a.scenario, first.scenario == DEMO_SCENARIO_LABEL) {
        (Some(path), _) => {
            let (c, label, _) = load_scenario(Some(path))?;
            (c, label)
        }
        (None, true) => (
            parse_scenario(DEMO_SCENARIO_LABEL, DEMO_SCENARIO)?,
            DEMO_SCENARIO_LABEL.to_string(),
        ),
        (None, false) => {
            let (c, label, _) = load_scenario(Some(Path::new(&first.scenario)))?;
            (c, label)
        }
    };
    let resolved =
        resolved_ron(&compiled.scenario).context("cannot write the resolved scenario")?;
    let sha = format!("{:x}", Sha256::digest(resolved.as_bytes()));
    if sha != first.scenario_sha256 {
        return Err(bad(
            "--scenario",
            format!(
                "the games were played on {} (resolved SHA-256 {}…), not on {label} ({}…): give that scenario with --scenario",
                first.scenario,
                short(&first.scenario_sha256),
                short(&sha)
            ),
        ));
    }
    Ok((compiled, label))
}

/// Replays one file and returns what the seat saw at each decision, checking the replay against
/// the file decision by decision.
fn observe(
    params: &Arc<Compiled>,
    seat: usize,
    path: &Path,
    f: &DecisionFile,
) -> anyhow::Result<Vec<Observed>> {
    let arm = arm_by_name(params, &f.arm)
        .map_err(|m| bad("DECISIONS", format!("{}: {m}", path.display())))?;
    let game = Game {
        params: params.clone(),
        seat,
        arm,
        seed: f.seed,
    };
    let choices: Vec<_> = f.decisions.iter().map(|t| t.choice).collect();
    let seen = replay_views(&game, &choices);
    if seen.len() != f.decisions.len() {
        return Err(bad(
            "DECISIONS",
            format!(
                "{} holds {} decisions, but its game asks for {} on this scenario",
                path.display(),
                f.decisions.len(),
                seen.len()
            ),
        ));
    }
    for (i, ((o, doctrine), t)) in seen.iter().zip(&f.decisions).enumerate() {
        if o.view.day != t.day || *doctrine != t.doctrine || o.options != t.options {
            return Err(bad(
                "DECISIONS",
                format!(
                    "{}: decision {} (day {}) does not replay: the game offers it on day {} with the doctrine choosing {:?}",
                    path.display(),
                    i + 1,
                    t.day,
                    o.view.day,
                    doctrine
                ),
            ));
        }
    }
    Ok(seen.into_iter().map(|(o, _)| o).collect())
}

/// Runs `escalate fit-doctrine`.
pub fn fit_doctrine(a: FitDoctrineArgs) -> anyhow::Result<()> {
    if let Some(out) = &a.out
        && out.exists()
    {
        return Err(bad(
            "--out",
            format!("{} already exists; choose another name", out.display()),
        ));
    }
    let files = a
        .files
        .iter()
        .map(|p| Ok((p.clone(), read_decision_file(p)?)))
        .collect::<anyhow::Result<Vec<_>>>()?;
    check_same_game(&files)?;
    let first = &files[0].1;
    let (compiled, label) = scenario_of(&a, first)?;
    let params = Arc::new(compiled);
    let seat = params
        .states
        .iter()
        .position(|s| s.name.eq_ignore_ascii_case(&first.seat))
        .ok_or_else(|| {
            bad(
                "DECISIONS",
                format!("the scenario has no state {}", first.seat),
            )
        })?;
    let observed = files
        .par_iter()
        .map(|(path, f)| observe(&params, seat, path, f))
        .collect::<anyhow::Result<Vec<_>>>()?
        .concat();
    if observed.is_empty() {
        return Err(bad(
            "DECISIONS",
            "the files hold no decision: there is nothing to fit",
        ));
    }
    let count = |point: Point| {
        files
            .iter()
            .flat_map(|(_, f)| &f.decisions)
            .filter(|t| t.point == point)
            .count()
    };
    let points = vec![
        ("first responses".to_string(), count(Point::Attributed)),
        (
            "answers in the spiral".to_string(),
            count(Point::ActedAgainst),
        ),
        (
            "answers to an accusation".to_string(),
            count(Point::Accused),
        ),
    ];
    let result = fit(&params, seat, &observed);
    let seat_name = params.states[seat].name.clone();
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "escalate fit-doctrine: {} game{} of {seat_name} in {} ({label}).",
        files.len(),
        if files.len() == 1 { "" } else { "s" },
        params.scenario.name
    )?;
    for l in report_lines(&result, &seat_name, &points) {
        writeln!(out, "{l}")?;
    }
    if let Some(path) = &a.out {
        let names: Vec<String> = files.iter().map(|(p, _)| p.display().to_string()).collect();
        let text = scenario_arm(&result, seat, &names, &label)
            .context("cannot write the fitted scenario")?;
        write_new_atomically(path, text.as_bytes())?;
        if !a.quiet {
            eprintln!(
                "The scenario with the fitted doctrine is in {} (escalate run {} to compare).",
                path.display(),
                path.display()
            );
        }
    }
    Ok(())
}
