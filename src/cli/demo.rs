//! `escalate demo`: one run narrated event by event, its arms side by side, for a class.

use super::options::FindOptions;
use crate::demo::find::{Contrast, Found, find_seeds};
use crate::demo::inject::parse_inject;
use crate::demo::narrate::{ArmStory, Filter, Kind, Narration, Style, narrate_with};
use crate::demo::{DEMO_SCENARIO, DEMO_SCENARIO_LABEL, arm_by_name, slug};
use crate::error::InputError;
use crate::outcome::Outcome;
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

Contrasts (--find; the baseline is the first arm, the other the second). --find
lists the first seeds that show the contrast (--list, default 5), a line each
saying how each arm ends. When the scenario rules a contrast out (no proxy
that freelances, no false flag, no mercenary whose tools mislead, no kinetic
rung, or two arms with the same measures) it says so without searching; when
a search finds nothing it says whether the baseline's half ever happened and,
from enough seeds, that in practice the scenario does not produce it.
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

What is told: every event by default. --only keeps decisions (with their
reasons), responses (and the days tension eases) or attributions (and the
checks before them); give it twice or comma-separated for two kinds. --short
tells the short story, about 40 lines for a twenty-minute slot: the point
where the arms part, every attribution and first decision (with its reason),
every use of a channel, injects, and the responses that take an arm to a new
height or to armed conflict (with the decision behind each); it drops
launches, detections, dialogue rounds, the spiral's lesser exchanges and the
days tension eases. The two combine (--short --only decisions).

Stepping (--step, on a terminal): Enter (or n) next event, b back one event,
j DAY jump to the first event on or after DAY, h help, q quit. The keys are
shown at each pause; plain prompts when the output is not a terminal.

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
  escalate demo --short                  # the twenty-minute version
  escalate demo --only decisions,responses
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
    /// Tell only these kinds of event (decisions, responses, attributions); repeatable or
    /// comma-separated.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "KIND")]
    pub only: Vec<OnlyKind>,
    /// The short story for a twenty-minute slot: where the arms part and the decisive events only
    /// (what it keeps is listed below).
    #[arg(long)]
    pub short: bool,
    /// Pause after each event: Enter next, b back, j DAY jump to a day, h help, q quit; only when
    /// stdin is a terminal.
    #[arg(long)]
    pub step: bool,
    /// Plain text even on a terminal (the same as --color never; a non-empty NO_COLOR does it too).
    #[arg(long)]
    pub no_color: bool,
    /// Search seeds for runs that show CONTRAST (names below) and list the first ones.
    #[arg(long, value_name = "CONTRAST")]
    pub find: Option<String>,
    /// With --find: how many seeds to list (the smallest that show the contrast).
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub list: usize,
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

/// A kind of event `--only` keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OnlyKind {
    /// Decisions with their reasons: to respond or let pass, to answer, to call a channel.
    Decisions,
    /// Responses carried out, and the days tension eases.
    Responses,
    /// Attributions, and the checks over a channel before them.
    Attributions,
}

impl From<OnlyKind> for Kind {
    fn from(k: OnlyKind) -> Kind {
        match k {
            OnlyKind::Decisions => Kind::Decisions,
            OnlyKind::Responses => Kind::Responses,
            OnlyKind::Attributions => Kind::Attributions,
        }
    }
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
    let mut only: Vec<Kind> = a.only.iter().map(|&k| k.into()).collect();
    only.dedup();
    let filter = Filter {
        only,
        short: a.short,
    };
    let story = narrate_with(&params, seed, &stories, style, &filter);
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
    if stepping {
        let erase = std::io::stdout().is_terminal();
        if step(&mut out, &story, &mut std::io::stdin().lock(), erase)? == Stepped::Quit {
            return Ok(());
        }
    } else {
        for l in story.blocks.iter().flatten() {
            writeln!(out, "{l}")?;
        }
    }
    for l in &story.tail {
        writeln!(out, "{l}")?;
    }
    if let Some(dir) = &a.picture {
        writeln!(
            out,
            "Timeline picture written to {}.",
            crate::scenario::load::shown_path(&dir.join("demo_timeline.png"))
        )?;
    }
    Ok(())
}

/// A small percentage with two significant digits: 0.030, 0.30, 3.0.
fn significant(x: f64) -> String {
    let digits = (1 - x.log10().floor() as i32).max(0) as usize;
    format!("{x:.digits$}")
}

/// The pause after each event of `--step`.
const STEP_PROMPT: &str = "[Enter: next event · b: back · j DAY: jump · h: help · q: quit] ";

/// The keys of `--step`, shown by `h`.
const STEP_HELP: [&str; 5] = [
    "  Enter or n   the next event",
    "  b            back one event (shown again)",
    "  j DAY        jump to the first event on or after DAY, e.g. j 120",
    "  h or ?       these keys",
    "  q            quit",
];

/// How stepping ended.
#[derive(Debug, PartialEq, Eq)]
enum Stepped {
    /// Past the last event (or the input ended): the tally follows.
    End,
    /// `q`.
    Quit,
}

/// What a line typed at the pause asks for.
#[derive(Debug, PartialEq, Eq)]
enum Key {
    Next,
    Back,
    Jump(u32),
    Help,
    Quit,
    Bad(String),
}

fn key(line: &str) -> Key {
    let t = line.trim();
    let lower = t.to_lowercase();
    match lower.as_str() {
        "" | "n" => Key::Next,
        "b" => Key::Back,
        "h" | "?" | "help" => Key::Help,
        "q" => Key::Quit,
        _ => match lower.strip_prefix('j') {
            Some(rest) => match rest.trim().parse::<u32>() {
                Ok(day) => Key::Jump(day),
                Err(_) => Key::Bad(format!("\"{t}\": give a day after j, e.g. j 120")),
            },
            None => Key::Bad(format!("\"{t}\" is not a key; h shows them")),
        },
    }
}

/// Shows the narration's blocks one at a time, reading keys from `input` after each; `erase`
/// clears the prompt line after a key (on a terminal).
fn step(
    out: &mut impl Write,
    story: &Narration,
    input: &mut impl BufRead,
    erase: bool,
) -> anyhow::Result<Stepped> {
    let mut i = 0;
    let mut line = String::new();
    while i < story.blocks.len() {
        for l in &story.blocks[i] {
            writeln!(out, "{l}")?;
        }
        loop {
            write!(out, "  {STEP_PROMPT}")?;
            out.flush()?;
            line.clear();
            if input.read_line(&mut line)? == 0 {
                // The input ended: tell the rest.
                writeln!(out)?;
                for l in story.blocks[i + 1..].iter().flatten() {
                    writeln!(out, "{l}")?;
                }
                return Ok(Stepped::End);
            }
            if erase {
                // Erase the prompt and the echoed Enter.
                write!(out, "\x1b[1A\x1b[2K")?;
            } else {
                // The key was echoed elsewhere: end the prompt's line.
                writeln!(out)?;
            }
            match key(&line) {
                Key::Next => {
                    i += 1;
                    break;
                }
                Key::Back if i == 0 => writeln!(out, "  (this is the first event)")?,
                Key::Back => {
                    i -= 1;
                    writeln!(out, "  ↑ back to day {}", story.days[i])?;
                    break;
                }
                Key::Jump(day) => match story.days.iter().position(|d| *d >= day) {
                    Some(k) => {
                        i = k;
                        writeln!(out, "  → day {day}")?;
                        break;
                    }
                    None => writeln!(
                        out,
                        "  (nothing is told on or after day {day}; the last event is on day {})",
                        story.days.last().copied().unwrap_or(0)
                    )?,
                },
                Key::Help => {
                    for h in STEP_HELP {
                        writeln!(out, "{h}")?;
                    }
                }
                Key::Quit => {
                    writeln!(out, "Stopped.")?;
                    return Ok(Stepped::Quit);
                }
                Key::Bad(m) => writeln!(out, "  {m}")?,
            }
        }
    }
    Ok(Stepped::End)
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
    if a.list == 0 {
        return Err(flag("--list", "list at least one seed"));
    }
    if let Some(why) = contrast.impossible(params, base, other) {
        anyhow::bail!(
            "{label} cannot show {} between \"{}\" and \"{}\": {why}; no seed was searched",
            contrast.name(),
            params.arms[base].name,
            params.arms[other].name
        );
    }
    let engine = crate::montecarlo::Engine::new(engine)?;
    let found = find_seeds(&engine, params, contrast, (base, other), max_seeds, a.list)?;
    let Some(&seed) = found.seeds.first() else {
        anyhow::bail!(
            "{}",
            none_found(
                contrast,
                &found,
                &params.arms[base].name,
                &params.arms[other].name
            )
        );
    };
    let mut cmd = String::from("escalate demo");
    if let Some(p) = &a.scenario {
        cmd += &format!(" {}", crate::scenario::load::shown_path(p));
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
    println!(
        "The first {} that show it, of seeds 1 to {}:",
        if found.seeds.len() == 1 {
            "seed".to_string()
        } else {
            format!("{} seeds", found.seeds.len())
        },
        found.tried
    );
    let mut sim = crate::sim::Simulator::new(params.clone());
    for &s in &found.seeds {
        let (oa, ob) = (sim.run(s, 0, base).outcome, sim.run(s, 0, other).outcome);
        println!(
            "  seed {s:>5}: \"{}\": {}; \"{}\": {}.",
            params.arms[base].name,
            what_happens(params, &oa),
            params.arms[other].name,
            what_happens(params, &ob)
        );
    }
    Ok(())
}

/// One run's ending in a few words: "armed conflict on day 314", "a crisis from day 120 (highest
/// rung 6, destructive attack)", "highest rung 3 (sanctions), no crisis", with misattributions and
/// corrections.
fn what_happens(p: &Compiled, o: &Outcome) -> String {
    let rung = crate::demo::words::human(&p.scenario.ladder.rungs[o.highest_rung as usize].name);
    let mut s = match (o.crisis_day, o.kinetic_day) {
        (_, Some(k)) => format!("armed conflict on day {k}"),
        (Some(c), None) => format!(
            "a crisis from day {c} (highest rung {}, {rung})",
            o.highest_rung
        ),
        (None, None) => format!("highest rung {} ({rung}), no crisis", o.highest_rung),
    };
    if o.misattributions > 0 {
        s += &format!(", {} misattributed", o.misattributions);
    }
    if o.corrections > 0 {
        s += &format!(", {} corrected over a channel", o.corrections);
    }
    s
}

/// The message when no seed searched shows the contrast: whether the baseline arm's half ever
/// happened, and what that says of the scenario. None of n runs bounds the chance at 3/n with 95 %
/// confidence (the rule of three); from a bound under 5 % the scenario is said plainly not to
/// produce it in practice.
fn none_found(c: Contrast, f: &Found, base: &str, other: &str) -> String {
    let head = format!("no seed from 1 to {} shows {}", f.tried, c.name());
    let bound = 3.0 / f.tried.max(1) as f64;
    let verdict = |what: &str| {
        if bound >= 0.05 {
            "too few seeds to tell; try a larger --max-seeds".to_string()
        } else {
            format!(
                "if the scenario can produce {what} at all, it does in fewer than {} % of runs \
                 (95 % confidence), so in practice it does not",
                significant(bound * 100.0)
            )
        }
    };
    match (f.baseline, c.other_words()) {
        (0, _) => format!(
            "{head}: {} never happens in \"{base}\" in these runs; {}",
            c.baseline_words(),
            verdict("it")
        ),
        (k, Some(then)) => format!(
            "{head}: {} happens in \"{base}\" in {k} of them, but \"{other}\" never {then} in \
             those runs (what it switches on does not change how they end); {}",
            c.baseline_words(),
            verdict("the contrast")
        ),
        // Unreachable: a contrast about the baseline arm alone is shown by every such seed.
        (k, None) => format!("{head} ({k} seeds show the baseline's half)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_that_finds_nothing_says_what_the_seeds_tried_show() {
        let none = Found {
            seeds: vec![],
            tried: 10_000,
            baseline: 0,
        };
        let m = none_found(Contrast::KineticWithoutChannelsOnly, &none, "A", "B");
        assert!(
            m.contains("armed conflict never happens in \"A\" in these runs; if the scenario can produce it at all, it does in fewer than 0.030 % of runs (95 % confidence), so in practice it does not"),
            "{m}"
        );
        let some = Found {
            baseline: 12,
            ..none.clone()
        };
        let m = none_found(Contrast::KineticWithoutChannelsOnly, &some, "A", "B");
        assert!(
            m.contains("armed conflict happens in \"A\" in 12 of them, but \"B\" never stays out of armed conflict"),
            "{m}"
        );
        assert!(m.contains("fewer than 0.030 %"), "{m}");
        let few = Found { tried: 40, ..none };
        assert!(
            none_found(Contrast::CrisisWithoutChannelsOnly, &few, "A", "B")
                .ends_with("too few seeds to tell; try a larger --max-seeds")
        );
        assert_eq!(significant(3.0), "3.0");
        assert_eq!(significant(0.3), "0.30");
    }

    #[test]
    fn step_keys_are_read_and_a_bad_one_is_explained() {
        assert_eq!(key("\n"), Key::Next);
        assert_eq!(key("n"), Key::Next);
        assert_eq!(key("B\n"), Key::Back);
        assert_eq!(key("j 120"), Key::Jump(120));
        assert_eq!(key("j120"), Key::Jump(120));
        assert_eq!(key("?"), Key::Help);
        assert_eq!(key("q\n"), Key::Quit);
        assert!(matches!(key("j soon"), Key::Bad(m) if m.contains("give a day")));
        assert!(matches!(key("x"), Key::Bad(m) if m.contains("h shows them")));
    }

    fn story() -> Narration {
        Narration {
            head: vec![],
            blocks: vec![vec!["one".into()], vec!["two".into()], vec!["three".into()]],
            days: vec![10, 20, 30],
            tail: vec![],
            divergence: None,
            divergence_day: None,
            explanation: None,
        }
    }

    fn run(keys: &str) -> (String, Stepped) {
        let mut out = Vec::new();
        let how = step(&mut out, &story(), &mut keys.as_bytes(), false).expect("steps");
        (String::from_utf8(out).expect("utf-8"), how)
    }

    #[test]
    fn step_goes_back_jumps_helps_and_quits() {
        let (text, how) = run("\nb\nj 25\nh\nq\n");
        let shown: Vec<&str> = text
            .lines()
            .filter(|l| ["one", "two", "three"].contains(l))
            .collect();
        assert_eq!(shown, ["one", "two", "one", "three"], "{text}");
        assert!(text.contains("↑ back to day 10"), "{text}");
        assert!(text.contains("→ day 25"), "{text}");
        assert!(text.contains("j DAY        jump"), "{text}");
        assert!(text.ends_with("Stopped.\n"), "{text}");
        assert_eq!(how, Stepped::Quit);
        assert!(!text.contains('\x1b'), "escape codes in plain prompts");
        // Back at the first event, a jump past the end, then the input ends: the rest is told.
        let (text, how) = run("b\nj 99\n");
        assert!(text.contains("(this is the first event)"), "{text}");
        assert!(text.contains("nothing is told on or after day 99; the last event is on day 30"));
        let shown: Vec<&str> = text
            .lines()
            .filter(|l| ["one", "two", "three"].contains(l))
            .collect();
        assert_eq!(shown, ["one", "two", "three"], "{text}");
        assert_eq!(how, Stepped::End);
    }
}
