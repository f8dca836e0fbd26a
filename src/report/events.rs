//! The event log export (`escalate run --events FILE`): one tidy CSV row per event of the chosen
//! replicates, every arm, with who acted against whom, the truth (sponsor, executor), the victim's
//! belief (who it blamed, how sure), and the cause (the operation a chain began with, the decision
//! a response answers). The replicates are simulated again with their event log; the draws are the
//! same, so the rows agree with `replicates.csv`, and they are written in replicate and arm order
//! whatever the thread count.

use crate::error::InputError;
use crate::model::components::Deception;
use crate::model::event_log::{Event, EventLog, OpFacts, Withdrawal};
use crate::scenario::compile::{Compiled, StateId};
use crate::sim::Simulator;
use std::collections::HashMap;
use std::io::Write;
use std::ops::RangeInclusive;
use std::path::Path;
use std::sync::Arc;

/// Most replicates an event log may cover (each is simulated again, every arm).
pub const MAX_EVENT_REPLICATES: u64 = 10_000;

/// Largest event log written, in bytes (estimated before anything is simulated).
pub const MAX_EVENT_BYTES: u64 = 1 << 30;

/// The columns of the event log, with their meaning (for DATA.md and `--help`).
pub const COLUMNS: &[(&str, &str)] = &[
    ("replicate", "replicate index (as in replicates.csv)"),
    ("arm", "arm name"),
    ("day", "day of the event, from 0"),
    (
        "event",
        "operation, deterred (a candidate operation its sponsor held back, expecting to be blamed and punished), restrained, detection, evidence_shared, attribution, decision, channel_call, channel_answer, response, level_change, crisis_call, dialogue, lie_discovered, advance_notice (a sponsor announced an operation under an incidents agreement's rules), review (an incidents agreement's annual review), refusal (the party called refused a channel call), warning (a pre-emptive warning over a channel)",
    ),
    (
        "actor",
        "the state acting: an operation's sponsor (empty: nobody ordered it), the victim that detects, attributes or decides, the caller, the state responding",
    ),
    (
        "target",
        "the state acted against: an operation's victim, the state blamed, called or responded against",
    ),
    ("operation", "key of the operation the row is about"),
    (
        "decision",
        "key of the response decision (links decision, channel_call, channel_answer and response)",
    ),
    (
        "answers",
        "for a response: the decision key of the response it answers (empty: it answers the operation)",
    ),
    (
        "origin",
        "for a decision or response: the operation its chain of responses began with",
    ),
    ("executor", "truth: who carried out the operation"),
    (
        "true_sponsor",
        "truth: the state that ordered the operation (empty: nobody)",
    ),
    ("kind", "operation kind"),
    ("severity", "DCID severity 1-10 of the operation"),
    (
        "deception",
        "misleading evidence: none, false_flag, tool_reuse, mimicry, freelance, honest_error (no deceiver: the analysts' reading pointed at the wrong state)",
    ),
    ("blamed", "belief: the state the victim blamed publicly"),
    (
        "confidence",
        "belief: the victim's confidence when it decided, 0 to 1",
    ),
    (
        "saw_through",
        "1 when the victim (or a CERT) saw through misleading evidence",
    ),
    (
        "rung",
        "rung index: chosen (decision), after the call (channel_answer, crisis_call), carried out (response), the run's current rung (level_change)",
    ),
    ("rung_name", "its name"),
    (
        "wrongful",
        "1 when the target did not order the operation answered",
    ),
    ("kinetic", "1 for a kinetic response (the pair's run ends)"),
    (
        "level",
        "the pair's escalation level right after a response, in rungs",
    ),
    (
        "reason",
        "for a decision or response: what the doctrine answered (doctrine: the perceived severity plus the points the pair's tension added, and the noise; reply in kind: the propensity to answer a cyber incident in kind, above the rung the table gave; answer: the severity of the action answered plus tension, and the noise); for a measure's event, why it happened (advance_notice: the agreement's rules, the sector it does not protect; review: the violations attributed on the pair in the year; refusal: the party's probability of refusing; lie_discovered: what is left of the channels' credibility; warning: the window; withdrawal: the party's reason)",
    ),
    ("measure", "the confidence-building measure used"),
    ("connected", "1 when a channel call connected"),
    ("believed", "1 when the answer or evidence was believed"),
];

/// Parses `--events-replicates`: `N` or `FIRST-LAST` (inclusive).
pub fn parse_replicate_range(text: &str) -> Result<RangeInclusive<u64>, String> {
    let number = |s: &str| {
        s.trim()
            .parse::<u64>()
            .map_err(|_| format!("\"{text}\" is not N or FIRST-LAST (replicate indices from 0)"))
    };
    let (first, last) = match text.split_once('-') {
        Some((a, b)) => (number(a)?, number(b)?),
        None => {
            let n = number(text)?;
            (n, n)
        }
    };
    if first > last {
        return Err(format!("\"{text}\": the first replicate is after the last"));
    }
    Ok(first..=last)
}

/// Checks that the event log may be written at `path`: it does not exist (in an existing folder),
/// or, with `force`, it is a regular file that an earlier `--events` wrote (its first line is the
/// event log's header). Anything else (a user's file, a folder, a link, a device) is refused.
pub fn check_target(path: &Path, force: bool) -> Result<(), InputError> {
    let problem = |message: String| InputError::Flag {
        flag: "--events".into(),
        message,
    };
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !parent.is_dir() {
        return Err(problem(format!(
            "{}: the folder {} does not exist",
            path.display(),
            parent.display()
        )));
    }
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return Ok(());
    };
    if !force {
        return Err(problem(format!(
            "{} already exists; choose another file, or pass --force to replace an event log an earlier --events wrote",
            path.display()
        )));
    }
    let ours = meta.file_type().is_file()
        && std::fs::read(path).is_ok_and(|bytes| bytes.starts_with(header().as_bytes()));
    if ours {
        Ok(())
    } else {
        Err(problem(format!(
            "{} is not an event log escalate wrote (a file of another kind, a folder, a link or a device); it is never replaced, even with --force",
            path.display()
        )))
    }
}

/// The header line.
pub fn header() -> String {
    let names: Vec<&str> = COLUMNS.iter().map(|c| c.0).collect();
    format!("{}\n", names.join(","))
}

/// How big an event log will be.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SizeEstimate {
    /// Rows.
    pub rows: u64,
    /// Bytes.
    pub bytes: u64,
}

/// The size of the event log of `replicates`, from the first of them (all arms) simulated now.
pub fn estimate(p: &Arc<Compiled>, seed: u64, replicates: &RangeInclusive<u64>) -> SizeEstimate {
    let first = *replicates.start();
    let mut w = Rows::new(p);
    let mut sim = Simulator::new(p.clone());
    for arm in 0..p.arms.len() {
        let (_, log) = sim.run_logged(seed, first, arm);
        w.replicate_arm(first, arm, &log);
    }
    let count = replicates.end() - replicates.start() + 1;
    SizeEstimate {
        rows: w.rows.saturating_mul(count),
        bytes: (w.out.len() as u64).saturating_mul(count),
    }
}

/// Writes the event log of `replicates` (every arm) to `path`, atomically.
///
/// `between` is called after each replicate's rows are written (every arm): an error from it (an
/// interrupt) stops the writing and removes the unfinished file.
pub fn write(
    p: &Arc<Compiled>,
    seed: u64,
    replicates: RangeInclusive<u64>,
    path: &Path,
    between: &mut dyn FnMut() -> Result<(), crate::montecarlo::Interrupted>,
) -> anyhow::Result<()> {
    crate::files::write_through_temporary(path, |tmp| {
        let file = std::fs::File::create(tmp)
            .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", tmp.display()))?;
        let mut file = std::io::BufWriter::new(file);
        file.write_all(header().as_bytes())?;
        let mut sim = Simulator::new(p.clone());
        let mut w = Rows::new(p);
        for r in replicates {
            for arm in 0..p.arms.len() {
                let (_, log) = sim.run_logged(seed, r, arm);
                w.replicate_arm(r, arm, &log);
            }
            file.write_all(&w.out)?;
            w.out.clear();
            between()?;
        }
        file.flush()?;
        Ok(())
    })
}

/// One row under construction: the columns by name, empty unless set.
#[derive(Default)]
struct Row {
    cells: Vec<String>,
}

impl Row {
    fn new() -> Row {
        Row {
            cells: vec![String::new(); COLUMNS.len()],
        }
    }

    fn set(&mut self, column: &str, value: impl ToString) -> &mut Row {
        let i = COLUMNS
            .iter()
            .position(|c| c.0 == column)
            .expect("invariant: the column is in COLUMNS");
        self.cells[i] = value.to_string();
        self
    }
}

/// Formats the rows of event logs.
struct Rows<'a> {
    p: &'a Compiled,
    out: Vec<u8>,
    rows: u64,
}

fn bit(b: bool) -> &'static str {
    if b { "1" } else { "0" }
}

fn deception_key(d: Deception) -> &'static str {
    match d {
        Deception::None => "none",
        Deception::FalseFlag => "false_flag",
        Deception::ToolReuse => "tool_reuse",
        Deception::Mimicry => "mimicry",
        Deception::Freelance => "freelance",
        Deception::HonestError => "honest_error",
    }
}

impl<'a> Rows<'a> {
    fn new(p: &'a Compiled) -> Rows<'a> {
        Rows {
            p,
            out: Vec::new(),
            rows: 0,
        }
    }

    fn state(&self, s: StateId) -> &str {
        &self.p.states[s].name
    }

    fn rung(&self, row: &mut Row, rung: u8) {
        row.set("rung", rung);
        if let Some(r) = self.p.scenario.ladder.rungs.get(rung as usize) {
            row.set("rung_name", &r.name);
        }
    }

    fn measure(&self, m: usize) -> &str {
        self.p.measures.get(m).map_or("", |x| x.name.as_str())
    }

    fn operation(&self, row: &mut Row, op: &OpFacts) {
        row.set("operation", op.key)
            .set("target", self.state(op.victim))
            .set("executor", &self.p.executors[op.executor].name)
            .set("kind", op.kind.label())
            .set("severity", op.severity);
        if let Some(s) = op.sponsor {
            row.set("actor", self.state(s))
                .set("true_sponsor", self.state(s));
        }
    }

    fn emit(&mut self, row: Row) {
        let line: Vec<String> = row.cells.iter().map(|c| csv_field(c)).collect();
        self.out.extend_from_slice(line.join(",").as_bytes());
        self.out.push(b'\n');
        self.rows += 1;
    }

    /// The rows of one replicate-arm's event log.
    fn replicate_arm(&mut self, replicate: u64, arm: usize, log: &EventLog) {
        let mut ops: HashMap<u64, OpFacts> = HashMap::new();
        let mut run_rung = 0u8;
        for e in &log.entries {
            let mut row = Row::new();
            row.set("replicate", replicate)
                .set("arm", &self.p.arms[arm].name)
                .set("day", e.day);
            match &e.event {
                Event::Launched { op, .. } => {
                    row.set("event", "operation").set(
                        "deception",
                        if op.false_flag.is_some() {
                            "false_flag"
                        } else {
                            ""
                        },
                    );
                    self.operation(&mut row, op);
                    ops.insert(op.key, op.clone());
                }
                Event::Deterred { op, .. } => {
                    row.set("event", "deterred");
                    self.operation(&mut row, op);
                }
                Event::Noticed { op, measure } => {
                    row.set("event", "advance_notice")
                        .set("measure", self.measure(*measure))
                        .set(
                            "reason",
                            format!(
                                "{} is outside the protected sectors",
                                self.p.scenario.sectors[op.sector]
                            ),
                        );
                    self.operation(&mut row, op);
                }
                Event::Restrained { op, measure } => {
                    row.set("event", "restrained")
                        .set("measure", self.measure(*measure));
                    self.operation(&mut row, op);
                }
                Event::Detected { op } => {
                    row.set("event", "detection");
                    match ops.get(op) {
                        Some(facts) => {
                            let facts = facts.clone();
                            self.operation(&mut row, &facts);
                            // The victim detects: it acts here.
                            row.set("actor", self.state(facts.victim)).set("target", "");
                        }
                        None => {
                            row.set("operation", op);
                        }
                    }
                }
                Event::EvidenceShared {
                    op,
                    accused,
                    measure,
                    connected,
                    convinced,
                } => {
                    row.set("event", "evidence_shared")
                        .set("operation", op)
                        .set("target", self.state(*accused))
                        .set("measure", self.measure(*measure))
                        .set("connected", bit(*connected))
                        .set("believed", bit(*convinced));
                    if let Some(f) = ops.get(op) {
                        row.set("actor", self.state(f.victim));
                    }
                }
                Event::Attributed {
                    op,
                    blamed,
                    confidence,
                    deception,
                    saw_through,
                } => {
                    row.set("event", "attribution");
                    if let Some(f) = ops.get(op) {
                        let f = f.clone();
                        self.operation(&mut row, &f);
                        row.set("actor", self.state(f.victim))
                            .set("wrongful", bit(f.sponsor != Some(*blamed)));
                    } else {
                        row.set("operation", op);
                    }
                    row.set("target", self.state(*blamed))
                        .set("blamed", self.state(*blamed))
                        .set("confidence", format!("{confidence:.6}"))
                        .set("deception", deception_key(*deception))
                        .set("saw_through", bit(*saw_through));
                }
                Event::Decided {
                    op,
                    decision,
                    actor,
                    against,
                    rung,
                    reason,
                    ..
                } => {
                    row.set("reason", reason.describe());
                    row.set("event", "decision")
                        .set("operation", op)
                        .set("origin", op)
                        .set("decision", decision)
                        .set("actor", self.state(*actor))
                        .set("target", self.state(*against));
                    self.rung(&mut row, *rung);
                }
                Event::Consulted {
                    decision,
                    actor,
                    against,
                    measure,
                    connected,
                } => {
                    row.set("event", "channel_call")
                        .set("decision", decision)
                        .set("actor", self.state(*actor))
                        .set("target", self.state(*against))
                        .set("measure", self.measure(*measure))
                        .set("connected", bit(*connected));
                }
                Event::Answered {
                    decision,
                    actor,
                    against,
                    measure,
                    innocent,
                    believed,
                    after,
                    ..
                } => {
                    row.set("event", "channel_answer")
                        .set("decision", decision)
                        .set("actor", self.state(*actor))
                        .set("target", self.state(*against))
                        .set("measure", self.measure(*measure))
                        .set("wrongful", bit(*innocent))
                        .set("believed", bit(*believed));
                    self.rung(&mut row, *after);
                }
                Event::Responded {
                    decision,
                    actor,
                    against,
                    rung,
                    wrongful,
                    level,
                    kinetic,
                    origin,
                    answers,
                    reason,
                    ..
                } => {
                    row.set("reason", reason.describe());
                    row.set("event", "response")
                        .set("decision", decision)
                        .set("origin", origin)
                        .set("actor", self.state(*actor))
                        .set("target", self.state(*against))
                        .set("wrongful", bit(*wrongful))
                        .set("kinetic", bit(*kinetic))
                        .set("level", format!("{level:.6}"));
                    if let Some(a) = answers {
                        row.set("answers", a);
                    }
                    self.rung(&mut row, *rung);
                }
                Event::CrisisCall {
                    actor,
                    against,
                    measure,
                    believed,
                    after,
                    ..
                } => {
                    row.set("event", "crisis_call")
                        .set("actor", self.state(*actor))
                        .set("target", self.state(*against))
                        .set("measure", self.measure(*measure))
                        .set("believed", bit(*believed));
                    self.rung(&mut row, *after);
                }
                Event::Dialogue { measure, held, .. } => {
                    row.set("event", "dialogue")
                        .set("measure", self.measure(*measure))
                        .set("connected", bit(*held));
                }
                Event::Warned {
                    by,
                    to,
                    measure,
                    delivered,
                    until,
                } => {
                    row.set("event", "warning")
                        .set("actor", self.state(*by))
                        .set("target", self.state(*to))
                        .set("measure", self.measure(*measure))
                        .set("connected", bit(*delivered))
                        .set(
                            "reason",
                            format!("expected interference, until day {until}"),
                        );
                }
                Event::Withdrew {
                    by,
                    measure,
                    reason,
                } => {
                    row.set("event", "withdrawal")
                        .set("actor", self.state(*by))
                        .set("measure", self.measure(*measure))
                        .set(
                            "reason",
                            match reason {
                                Withdrawal::Declined => "declined from the start".to_string(),
                                Withdrawal::Scheduled => "withdrew on the day set".to_string(),
                                Withdrawal::Violations(k) => {
                                    format!("withdrew after {k} violations by the other party")
                                }
                                Withdrawal::Tension(x) => {
                                    format!("withdrew as the pair's level reached {x:.2} rungs")
                                }
                            },
                        );
                }
                Event::Refused {
                    by,
                    measure,
                    refusal,
                } => {
                    row.set("event", "refusal")
                        .set("actor", self.state(*by))
                        .set("measure", self.measure(*measure))
                        .set("connected", 0)
                        .set(
                            "reason",
                            format!("refuses calls with probability {refusal}"),
                        );
                }
                Event::Reviewed {
                    measure,
                    dyad: (a, b),
                    violations,
                    ..
                } => {
                    row.set("event", "review")
                        .set("measure", self.measure(*measure))
                        .set("actor", self.state(*a))
                        .set("target", self.state(*b))
                        .set(
                            "reason",
                            if *violations == 0 {
                                "no violation attributed in the year: trust gained".to_string()
                            } else {
                                format!("{violations} violations attributed in the year")
                            },
                        );
                }
                Event::LieDiscovered {
                    dyad,
                    measure,
                    credit,
                    ..
                } => {
                    row.set("event", "lie_discovered")
                        .set("actor", self.state(dyad.0))
                        .set("target", self.state(dyad.1))
                        .set("measure", self.measure(*measure))
                        .set(
                            "reason",
                            format!("a denial the attribution later contradicted; the pair's channels now keep {credit} of their credibility"),
                        );
                }
            }
            self.emit(row);
            if e.rung != run_rung {
                run_rung = e.rung;
                let mut change = Row::new();
                change
                    .set("replicate", replicate)
                    .set("arm", &self.p.arms[arm].name)
                    .set("day", e.day)
                    .set("event", "level_change");
                self.rung(&mut change, run_rung);
                self.emit(change);
            }
        }
    }
}

/// A CSV field, quoted when it needs to be.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replicate_ranges_are_one_number_or_first_to_last() {
        assert_eq!(parse_replicate_range("5"), Ok(5..=5));
        assert_eq!(parse_replicate_range("0-9"), Ok(0..=9));
        assert!(parse_replicate_range("9-0").is_err());
        assert!(parse_replicate_range("a-3").is_err());
        assert!(parse_replicate_range("").is_err());
    }

    #[test]
    fn fields_with_commas_or_quotes_are_quoted() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
