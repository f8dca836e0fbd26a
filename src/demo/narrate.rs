//! The narration: each arm's event log turned into beats (its events, the decisions behind the
//! other side's answers, and the days tension eases), the arms merged into rows (beats shared by
//! both once, the rest side by side or interleaved), the point where they part marked in one line,
//! and a closing tally.
//!
//! Nothing is told before its day: a decision is narrated on the day it is taken, a beat never
//! refers to a later day, and the ladder gauge is drawn only on the beats that move it.

use super::text::{pad, paint, wrap};
use super::words::{Words, human};
use crate::model::agenda::Reason;
use crate::model::event_log::{Entry, Event, divergence};
use crate::scenario::compile::{Compiled, StateId};
use crate::sim::RunResult;

/// One narrated arm.
pub struct ArmStory {
    /// Arm name.
    pub name: String,
    /// Its result.
    pub result: RunResult,
    /// What happened.
    pub entries: Vec<Entry>,
}

/// How to print.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// ANSI colours.
    pub color: bool,
    /// Terminal width in columns.
    pub width: usize,
}

/// Width from which two arms are printed in two columns.
pub const TWO_COLUMNS_FROM: usize = 140;

/// A kind of beat `--only` can keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Decisions and their reasons: to respond or let pass, to answer the other side, to call or
    /// refuse a channel, to hold an operation back.
    Decisions,
    /// Responses carried out, and the days tension eases (the beats that move the gauge).
    Responses,
    /// Attributions, and the checks over a channel before them.
    Attributions,
}

impl Kind {
    /// The kind of a beat (None: a launch, a detection, a dialogue round, a review or a lie exposed).
    pub fn of(what: &What) -> Option<Kind> {
        what.class().0
    }
}

/// Whether the short story keeps a beat (see [`SHORT_KEEPS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Short {
    Keep,
    Drop,
    /// A response: kept when it takes its arm to a new height or to war.
    IfDecisive,
    /// The decision to answer back: kept with the decisive response it led to.
    WithDecisiveResponse,
    /// A first decision: kept when it responds (rung above 0).
    IfItResponds,
    /// A launch: kept when an inject.
    IfInjected,
}

impl What {
    /// A beat's kind (for `--only`) and whether the short story keeps it (for `--short`), decided
    /// together in one exhaustive match so that a new event cannot be classed by one and forgotten by
    /// the other.
    fn class(&self) -> (Option<Kind>, Short) {
        use Kind::{Attributions, Decisions, Responses};
        match self {
            What::Eases { .. } => (Some(Responses), Short::Drop),
            What::Answer { .. } => (Some(Decisions), Short::WithDecisiveResponse),
            What::Log(e) => match e {
                Event::Responded { .. } => (Some(Responses), Short::IfDecisive),
                Event::Attributed { .. } | Event::EvidenceShared { .. } => {
                    (Some(Attributions), Short::Keep)
                }
                Event::Decided { .. } => (Some(Decisions), Short::IfItResponds),
                Event::Answered { .. }
                | Event::CrisisCall { .. }
                | Event::Consulted { .. }
                | Event::Warned { .. }
                | Event::Refused { .. }
                | Event::Withdrew { .. } => (Some(Decisions), Short::Keep),
                Event::Restrained { .. } | Event::Deterred { .. } | Event::Noticed { .. } => {
                    (Some(Decisions), Short::Drop)
                }
                Event::Launched { .. } => (None, Short::IfInjected),
                Event::Detected { .. }
                | Event::Dialogue { .. }
                | Event::Reviewed { .. }
                | Event::LieDiscovered { .. } => (None, Short::Drop),
            },
        }
    }
}

/// Which beats to tell. The default tells everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Keep only these kinds (empty: every kind); injects are always kept.
    pub only: Vec<Kind>,
    /// The short story: see [`SHORT_KEEPS`].
    pub short: bool,
}

/// What the short story keeps (for `--help` and the legend).
pub const SHORT_KEEPS: &str = "the point where the arms part (and the first event that differs), every attribution and first decision \
(with its reason), every use of a channel, a party declining or leaving a measure, injects, and the responses that take an arm to a new \
height or to armed conflict (with the decision behind each); it drops launches, detections, \
dialogue rounds, the spiral's lesser exchanges and the days tension eases";

/// What a beat tells: an event of the log, or the day the highest current rung falls as tension
/// decays (which the log does not record).
#[derive(Debug, Clone, PartialEq)]
pub enum What {
    /// An event of the event log.
    Log(Event),
    /// The decision to answer the other side's response (the spiral), on the day it was taken.
    Answer {
        /// Decision key of the answer (that of its response when carried out).
        decision: u64,
        /// The state answering.
        actor: StateId,
        /// The state it answers.
        against: StateId,
        /// Rung of the response it answers.
        answered: u8,
        /// Rung it answers with.
        rung: u8,
        /// What its doctrine weighed.
        reason: Reason,
    },
    /// The highest current rung falls to `to`.
    Eases {
        /// The rung it falls to.
        to: u8,
    },
}

/// One narrated beat of an arm.
#[derive(Debug, Clone, PartialEq)]
pub struct Beat {
    /// Day.
    pub day: u32,
    /// The arm's gauge (highest current rung) after this beat, when this beat moves it.
    pub gauge: Option<u8>,
    /// What happens.
    pub what: What,
}

/// Something dated, to merge two arms by day.
pub trait Dated {
    /// Its day.
    fn day(&self) -> u32;
}

impl Dated for Entry {
    fn day(&self) -> u32 {
        self.day
    }
}

impl Dated for Beat {
    fn day(&self) -> u32 {
        self.day
    }
}

/// The decision behind each answer in the spiral, on the day it was taken (the day of the response
/// it answers, after a crisis call made that day): the log records only the answer carried out,
/// with its reason. Each entry comes with the decisions taken right after it.
fn answer_decisions(entries: &[Entry]) -> Vec<Vec<What>> {
    let mut inserts: Vec<Vec<What>> = vec![Vec::new(); entries.len()];
    for e in entries {
        let Event::Responded {
            decision,
            actor,
            against,
            rung,
            answers: Some(answered),
            reason,
            ..
        } = &e.event
        else {
            continue;
        };
        let Some(at) = entries.iter().position(
            |x| matches!(&x.event, Event::Responded { decision: d, .. } if d == answered),
        ) else {
            continue;
        };
        let Event::Responded { rung: theirs, .. } = entries[at].event else {
            continue;
        };
        let day = entries[at].day;
        let call = (at + 1..entries.len())
            .take_while(|&k| entries[k].day == day)
            .find(|&k| {
                matches!(&entries[k].event,
                    Event::CrisisCall { actor: a, against: b, .. } if a == actor && b == against)
            });
        inserts[call.unwrap_or(at)].push(What::Answer {
            decision: *decision,
            actor: *actor,
            against: *against,
            answered: theirs,
            rung: *rung,
            reason: *reason,
        });
    }
    inserts
}

/// The beats of one arm: its events, the decisions behind the spiral's answers, and the days the
/// highest current rung falls as tension decays (from the run's exact rung timeline); the gauge
/// is set on the beats that move it.
pub fn beats(story: &ArmStory) -> Vec<Beat> {
    let entries = &story.entries;
    let decisions = answer_decisions(entries);
    let timeline = &story.result.incidents.timeline;
    let mut falls = Vec::new();
    for w in timeline.windows(2) {
        if w[1].1 < w[0].1 {
            falls.push((w[1].0, w[1].1));
        }
    }
    let mut out = Vec::with_capacity(entries.len() * 2 + falls.len());
    let mut gauge = 0u8;
    let mut f = falls.into_iter().peekable();
    for (e, answers) in entries.iter().zip(decisions) {
        while let Some(&(day, to)) = f.peek() {
            if day > e.day {
                break;
            }
            f.next();
            if to < gauge {
                gauge = to;
                out.push(Beat {
                    day,
                    gauge: Some(to),
                    what: What::Eases { to },
                });
            }
        }
        let moves = matches!(e.event, Event::Responded { .. }) && e.rung != gauge;
        if moves {
            gauge = e.rung;
        }
        out.push(Beat {
            day: e.day,
            gauge: moves.then_some(e.rung),
            what: What::Log(e.event.clone()),
        });
        out.extend(answers.into_iter().map(|what| Beat {
            day: e.day,
            gauge: None,
            what,
        }));
    }
    for (day, to) in f {
        if to < gauge {
            gauge = to;
            out.push(Beat {
                day,
                gauge: Some(to),
                what: What::Eases { to },
            });
        }
    }
    out
}

/// A row of the merged arms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    /// The same beat in both arms (indices into each).
    Both(usize, usize),
    /// Only in the first arm.
    Left(usize),
    /// Only in the second arm.
    Right(usize),
}

/// Merges two arms by day: within each day, the longest common run of equal items is shared (only
/// items of one day can be equal, so this is the longest common subsequence of the two arms), and
/// between shared items those of the first arm come first.
pub fn merge<T: PartialEq + Dated>(a: &[T], b: &[T]) -> Vec<Row> {
    let (mut i, mut j) = (0, 0);
    let mut rows = Vec::with_capacity(a.len().max(b.len()));
    while i < a.len() || j < b.len() {
        let day = match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) => x.day().min(y.day()),
            (Some(x), None) => x.day(),
            (None, Some(y)) => y.day(),
            (None, None) => break,
        };
        let ie = i + a[i..].iter().take_while(|x| x.day() == day).count();
        let je = j + b[j..].iter().take_while(|y| y.day() == day).count();
        let (x, y) = (&a[i..ie], &b[j..je]);
        // lcs[k][l]: the longest common subsequence of x[k..] and y[l..].
        let mut lcs = vec![vec![0u32; y.len() + 1]; x.len() + 1];
        for k in (0..x.len()).rev() {
            for l in (0..y.len()).rev() {
                lcs[k][l] = if x[k] == y[l] {
                    lcs[k + 1][l + 1] + 1
                } else {
                    lcs[k + 1][l].max(lcs[k][l + 1])
                };
            }
        }
        let (mut k, mut l) = (0, 0);
        let (mut only_a, mut only_b) = (Vec::new(), Vec::new());
        while k < x.len() || l < y.len() {
            if k < x.len() && l < y.len() && x[k] == y[l] {
                rows.extend(only_a.drain(..).map(Row::Left));
                rows.extend(only_b.drain(..).map(Row::Right));
                rows.push(Row::Both(i + k, j + l));
                k += 1;
                l += 1;
            } else if l == y.len() || (k < x.len() && lcs[k + 1][l] >= lcs[k][l + 1]) {
                only_a.push(i + k);
                k += 1;
            } else {
                only_b.push(j + l);
                l += 1;
            }
        }
        rows.extend(only_a.into_iter().map(Row::Left));
        rows.extend(only_b.into_iter().map(Row::Right));
        (i, j) = (ie, je);
    }
    rows
}

/// The narration, block by block (one block per row, so `--step` can pause between them).
pub struct Narration {
    /// Lines before the events (title, cast, legend).
    pub head: Vec<String>,
    /// One block of lines per beat told (the divergence marker is its own block).
    pub blocks: Vec<Vec<String>>,
    /// The day of each block.
    pub days: Vec<u32>,
    /// Lines after the events (how each arm ended).
    pub tail: Vec<String>,
    /// Index of the first differing entry, if the arms differ.
    pub divergence: Option<usize>,
    /// Day of the divergence.
    pub divergence_day: Option<u32>,
    /// The one line printed at the divergence (from "◆").
    pub explanation: Option<String>,
}

impl Narration {
    /// Everything as one text.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for l in self
            .head
            .iter()
            .chain(self.blocks.iter().flatten())
            .chain(&self.tail)
        {
            out.push_str(l);
            out.push('\n');
        }
        out
    }
}

struct Painter<'a> {
    p: &'a Compiled,
    style: Style,
}

impl Painter<'_> {
    fn gauge(&self, rung: u8) -> String {
        let top = self.p.top_rung() as usize;
        let filled = "▮".repeat(rung as usize);
        let empty = "▯".repeat(top - rung as usize);
        let code = if self.p.kinetic_rung.is_some_and(|k| rung >= k) {
            "1;31"
        } else if rung >= self.p.crisis_rung {
            "31"
        } else if rung >= 3 {
            "33"
        } else {
            "32"
        };
        format!(
            "{}{}",
            paint(self.style.color, code, &filled),
            paint(self.style.color, "2", &empty)
        )
    }

    /// The sentence of a beat.
    fn sentence(&self, words: &Words, b: &Beat) -> String {
        match &b.what {
            What::Log(e) => words.sentence(&Entry {
                day: b.day,
                rung: 0,
                event: e.clone(),
            }),
            What::Answer {
                actor,
                against,
                answered,
                rung,
                reason,
                ..
            } => words.answer(*actor, *against, *answered, *rung, reason),
            What::Eases { to: 0 } => {
                "Tension eases: the highest rung falls back to the status quo.".to_string()
            }
            What::Eases { to } => format!(
                "Tension eases: the highest rung falls to {} ({}).",
                to,
                words.rung(*to)
            ),
        }
    }

    /// The lines of one beat in a column `width` wide, with a tag before it.
    fn beat(&self, words: &Words, b: &Beat, width: usize, tag: &str) -> Vec<String> {
        let top = self.p.top_rung() as usize;
        let indent = tag.chars().count() + "day 1234 ".len() + top + 3;
        let text = self.sentence(words, b);
        let body = wrap(&text, width.saturating_sub(indent));
        let emphasis = match &b.what {
            What::Log(Event::Responded { kinetic: true, .. }) => "1;31",
            What::Log(Event::Responded { rung, .. }) if *rung >= self.p.crisis_rung => "31",
            What::Log(Event::Responded { .. }) => "1",
            What::Log(Event::Attributed { .. }) if text.contains("WRONG") => "33",
            What::Log(
                Event::Answered { .. } | Event::CrisisCall { .. } | Event::Consulted { .. },
            ) => "36",
            What::Log(Event::Decided { .. }) | What::Eases { .. } | What::Answer { .. } => "",
            What::Log(Event::Launched { .. }) => "",
            _ => "2",
        };
        let day = paint(self.style.color, "2", &format!("day {:>4}", b.day));
        let gauge = match b.gauge {
            Some(r) => self.gauge(r),
            None => " ".repeat(top),
        };
        let mut out = Vec::new();
        for (k, l) in body.iter().enumerate() {
            let l = if emphasis.is_empty() {
                l.clone()
            } else {
                paint(self.style.color, emphasis, l)
            };
            if k == 0 {
                out.push(format!("{tag}{day} {gauge} │ {l}"));
            } else {
                out.push(format!("{}│ {l}", " ".repeat(indent - 2)));
            }
        }
        out
    }
}

/// A few words for the first thing that differs (for the one line at the divergence).
fn gist(words: &Words, b: &Beat, terse: bool) -> String {
    let Beat { what, .. } = b;
    let e = match what {
        What::Log(e) => e,
        What::Eases { .. } => return "tension eases".to_string(),
        What::Answer {
            actor,
            against,
            rung,
            ..
        } => {
            return format!(
                "{} decides to answer {} with {}",
                words.state(*actor),
                words.state(*against),
                words.rung(*rung)
            );
        }
    };
    match e {
        Event::EvidenceShared {
            accused,
            measure,
            connected,
            convinced,
            ..
        } => match (connected, convinced) {
            (true, true) => format!(
                "the {} clears {} of the blame",
                words.measure(*measure),
                words.state(*accused)
            ),
            (true, false) => format!(
                "a check over the {} convinces no one",
                words.measure(*measure)
            ),
            (false, _) => format!(
                "a call over the {} goes unanswered",
                words.measure(*measure)
            ),
        },
        Event::Consulted {
            actor,
            against,
            measure,
            ..
        } => format!(
            "{} calls {} on the {}",
            words.state(*actor),
            words.state(*against),
            words.measure(*measure)
        ),
        Event::Answered { actor, after, .. } if *after == 0 => {
            format!("{} stands down after a call", words.state(*actor))
        }
        Event::CrisisCall { measure, .. } => {
            format!("a crisis call over the {}", words.measure(*measure))
        }
        Event::Attributed { blamed, .. } => format!("the blame falls on {}", words.state(*blamed)),
        Event::Launched { op, .. } if terse => format!(
            "{} goes ahead",
            &words.launch(op).split(' ').next().unwrap_or("it")
        ),
        Event::Launched { op, .. } => words.launch(op),
        Event::Restrained { op, measure } if !terse => format!(
            "{} holds an operation back, bound by the {}",
            op.sponsor.map_or("a group", |s| words.state(s)),
            words.measure(*measure)
        ),
        Event::Restrained { op, .. } | Event::Deterred { op, .. } => format!(
            "{} holds an operation back",
            op.sponsor.map_or("a group", |s| words.state(s))
        ),
        Event::Dialogue {
            measure,
            held: true,
            ..
        } => format!("a round of {} is held", words.measure(*measure)),
        Event::Dialogue { measure, .. } => {
            format!("a round of {} is cancelled", words.measure(*measure))
        }
        Event::Warned { by, to, .. } => {
            format!("{} warns {}", words.state(*by), words.state(*to))
        }
        Event::Refused { by, .. } => format!("{} refuses a call", words.state(*by)),
        Event::Detected { .. } => "the victim detects an operation".to_string(),
        Event::Reviewed { measure, .. } => format!("the {} is reviewed", words.measure(*measure)),
        Event::LieDiscovered { .. } => "a lie comes out".to_string(),
        Event::Noticed { op, measure } => format!(
            "{} announces an operation under the {}",
            op.sponsor.map_or("a group", |s| words.state(s)),
            words.measure(*measure)
        ),
        Event::Decided { actor, rung: 0, .. } => format!("{} lets it pass", words.state(*actor)),
        Event::Decided { actor, rung, .. } => {
            format!("{} decides on {}", words.state(*actor), words.rung(*rung))
        }
        Event::Responded {
            actor,
            against,
            rung,
            ..
        } => format!(
            "{} answers {} with {}",
            words.state(*actor),
            words.state(*against),
            words.rung(*rung)
        ),
        _ => {
            let s = words.sentence(&Entry {
                day: b.day,
                rung: 0,
                event: e.clone(),
            });
            s.trim_end_matches('.').to_string()
        }
    }
}

/// The one line at the divergence: its day, and what happens that day in one arm and not the
/// other (`who`: how each arm is called on the page), in at most `width` characters when it can.
fn explain(
    words: &Words,
    beats: &[Vec<Beat>],
    rows: &[Row],
    at: usize,
    who: [&str; 2],
    width: usize,
) -> String {
    let day = match rows[at] {
        Row::Left(i) | Row::Both(i, _) => beats[0][i].day,
        Row::Right(j) => beats[1][j].day,
    };
    let first = |arm: usize, terse: bool| {
        rows[at..].iter().find_map(|r| match (*r, arm) {
            (Row::Left(i), 0) if beats[0][i].day == day => Some(gist(words, &beats[0][i], terse)),
            (Row::Right(j), 1) if beats[1][j].day == day => Some(gist(words, &beats[1][j], terse)),
            _ => None,
        })
    };
    let say = |arm: usize, terse: bool| {
        first(arm, terse).unwrap_or_else(|| "nothing of the kind".to_string())
    };
    let line = |terse: bool| {
        format!(
            "◆ Day {day}, the arms part: {} {}; {} {}.",
            who[1],
            say(1, terse),
            who[0],
            say(0, terse)
        )
    };
    let fits = |l: &String| l.chars().count() <= width;
    let full = line(false);
    if fits(&full) {
        return full;
    }
    let terse = line(true);
    if fits(&terse) {
        return terse;
    }
    format!("◆ Day {day}, the arms part: the tagged lines below happen in one arm only.")
}

/// Which rows to tell under `filter`: an index per row, true when told.
fn told(beats: &[Vec<Beat>], rows: &[Row], filter: &Filter, parting: Option<usize>) -> Vec<bool> {
    let get = |r: &Row| -> Vec<(usize, &Beat)> {
        match *r {
            Row::Both(i, j) => vec![(0, &beats[0][i]), (1, &beats[1][j])],
            Row::Left(i) => vec![(0, &beats[0][i])],
            Row::Right(j) => vec![(1, &beats[1][j])],
        }
    };
    let injected =
        |b: &Beat| matches!(&b.what, What::Log(Event::Launched { op, .. }) if op.injected);
    let kind_ok = |b: &Beat| {
        filter.only.is_empty()
            || injected(b)
            || Kind::of(&b.what).is_some_and(|k| filter.only.contains(&k))
    };
    if !filter.short {
        return rows
            .iter()
            .map(|r| get(r).iter().all(|(_, b)| kind_ok(b)))
            .collect();
    }
    // The short story: a response is decisive when it takes its arm to a new height or to war; the
    // decision behind a decisive answer is told with it.
    let mut peak = [0u8; 2];
    let mut decisive_decisions = std::collections::BTreeSet::new();
    let mut decisive = vec![false; rows.len()];
    for (ri, r) in rows.iter().enumerate() {
        for (arm, b) in get(r) {
            if let What::Log(Event::Responded {
                decision, kinetic, ..
            }) = &b.what
                && let Some(g) = b.gauge
                && (g > peak[arm] || *kinetic)
            {
                peak[arm] = peak[arm].max(g);
                decisive[ri] = true;
                decisive_decisions.insert((arm, *decision));
            }
        }
    }
    rows.iter()
        .enumerate()
        .map(|(ri, r)| {
            let keep = get(r).iter().any(|(arm, b)| match b.what.class().1 {
                Short::Keep => true,
                Short::Drop => false,
                Short::IfDecisive => decisive[ri],
                Short::WithDecisiveResponse => matches!(&b.what,
                    What::Answer { decision, .. } if decisive_decisions.contains(&(*arm, *decision))),
                Short::IfItResponds => {
                    matches!(&b.what, What::Log(Event::Decided { rung, .. }) if *rung > 0)
                }
                Short::IfInjected => {
                    matches!(&b.what, What::Log(Event::Launched { op, .. }) if op.injected)
                }
            }) || Some(ri) == parting;
            keep && get(r).iter().all(|(_, b)| kind_ok(b))
        })
        .collect()
}

/// Narrates one or two arms of a run, every beat told.
pub fn narrate(p: &Compiled, seed: u64, arms: &[ArmStory], style: Style) -> Narration {
    narrate_with(p, seed, arms, style, &Filter::default())
}

/// Narrates one or two arms of a run, telling the beats `filter` keeps.
pub fn narrate_with(
    p: &Compiled,
    seed: u64,
    arms: &[ArmStory],
    style: Style,
    filter: &Filter,
) -> Narration {
    let words = Words::new(p, arms.iter().flat_map(|a| &a.entries));
    let painter = Painter { p, style };
    let c = style.color;
    let mut head = vec![paint(
        c,
        "1",
        &format!(
            "escalate demo: scenario \"{}\", seed {seed}, {} simulated days",
            p.scenario.name, p.scenario.horizon_days
        ),
    )];
    if !p.scenario.description.is_empty() {
        head.extend(wrap(&p.scenario.description, style.width.min(120)));
    }
    head.push(String::new());
    for l in words.cast() {
        head.push(format!("  {l}"));
    }
    let ladder: Vec<String> = p
        .scenario
        .ladder
        .rungs
        .iter()
        .enumerate()
        .map(|(i, r)| format!("{i} {}", human(&r.name)))
        .collect();
    head.extend(wrap(
        &format!(
            "Ladder: {}; crisis from {}. The gauge (one ▮ per rung) shows the highest current rung, \
             drawn where it moves: at a response, or when tension eases.",
            ladder.join(", "),
            p.crisis_rung
        ),
        style.width.min(120),
    ));
    let two = arms.len() == 2;
    let side = two && style.width >= TWO_COLUMNS_FROM;
    let tags = ["A ", "B "];
    if two {
        head.push(if side {
            "Left: \"".to_string()
                + &arms[0].name
                + "\"; right: \""
                + &arms[1].name
                + "\"; events of both arms span the page."
        } else {
            format!(
                "A = \"{}\", B = \"{}\"; untagged lines happen in both arms.",
                arms[0].name, arms[1].name
            )
        });
    } else {
        head.push(format!("Arm \"{}\".", arms[0].name));
    }
    let beats: Vec<Vec<Beat>> = arms.iter().map(beats).collect();
    let rows = if two {
        merge(&beats[0], &beats[1])
    } else {
        (0..beats[0].len()).map(Row::Left).collect()
    };
    let parting = if two && divergence(&arms[0].entries, &arms[1].entries).is_some() {
        rows.iter().position(|r| !matches!(r, Row::Both(..)))
    } else {
        None
    };
    let keep = told(&beats, &rows, filter, parting);
    if filter.short || !filter.only.is_empty() {
        let mut what = Vec::new();
        if filter.short {
            what.push("the short story".to_string());
        }
        if !filter.only.is_empty() {
            let kinds: Vec<&str> = filter
                .only
                .iter()
                .map(|k| match k {
                    Kind::Decisions => "decisions",
                    Kind::Responses => "responses",
                    Kind::Attributions => "attributions",
                })
                .collect();
            what.push(format!("{} only", kinds.join(", ")));
        }
        head.push(format!(
            "Told: {} ({} of {} beats).",
            what.join(", "),
            keep.iter().filter(|k| **k).count(),
            rows.len()
        ));
    }
    head.push(String::new());

    let div = if two {
        divergence(&arms[0].entries, &arms[1].entries)
    } else {
        None
    };
    let div_row = div.and_then(|_| rows.iter().position(|r| !matches!(r, Row::Both(..))));
    let who = if side {
        ["on the left,", "on the right,"]
    } else {
        ["in A,", "in B,"]
    };
    let full = style.width.max(60);
    let explanation = div_row.map(|r| explain(&words, &beats, &rows, r, who, full));
    let col = (full.saturating_sub(3)) / 2;
    let mut blocks = Vec::new();
    let mut days = Vec::new();
    let mut marked = false;
    for (ri, row) in rows.iter().enumerate() {
        if !keep[ri] && Some(ri) != div_row {
            continue;
        }
        let day = match *row {
            Row::Left(i) | Row::Both(i, _) => beats[0][i].day,
            Row::Right(j) => beats[1][j].day,
        };
        if !marked && div_row.is_some_and(|d| ri >= d) {
            marked = true;
            let e = explanation.as_deref().unwrap_or("");
            blocks.push(
                wrap(e, full)
                    .into_iter()
                    .map(|l| paint(c, "1;35", &l))
                    .collect(),
            );
            days.push(day);
        }
        if !keep[ri] {
            continue;
        }
        let block = match *row {
            Row::Both(i, _) => {
                let t = if two && !side { "  " } else { "" };
                painter.beat(&words, &beats[0][i], full, t)
            }
            Row::Left(i) if side => painter
                .beat(&words, &beats[0][i], col, "")
                .into_iter()
                .map(|l| pad(&l, col) + " ┃")
                .collect(),
            Row::Right(j) if side => painter
                .beat(&words, &beats[1][j], col, "")
                .into_iter()
                .map(|l| format!("{} ┃ {l}", " ".repeat(col)))
                .collect(),
            Row::Left(i) => {
                let t = if two { tags[0] } else { "" };
                let tag = paint(c, "34", t);
                painter
                    .beat(&words, &beats[0][i], full, t)
                    .into_iter()
                    .map(|l| {
                        if two && l.starts_with(t) {
                            l.replacen(t, &tag, 1)
                        } else {
                            l
                        }
                    })
                    .collect()
            }
            Row::Right(j) => {
                let tag = paint(c, "33", tags[1]);
                painter
                    .beat(&words, &beats[1][j], full, tags[1])
                    .into_iter()
                    .map(|l| {
                        if l.starts_with(tags[1]) {
                            l.replacen(tags[1], &tag, 1)
                        } else {
                            l
                        }
                    })
                    .collect()
            }
        };
        blocks.push(block);
        days.push(day);
    }
    let mut tail = vec![String::new(), paint(c, "1", "How it ended:")];
    for a in arms {
        let o = &a.result.outcome;
        let mut s = format!(
            "  \"{}\": highest rung {} ({})",
            a.name,
            o.highest_rung,
            words.rung(o.highest_rung)
        );
        match (o.crisis_day, o.kinetic_day) {
            (_, Some(k)) => s += &format!(", armed conflict on day {k}"),
            (Some(d), None) => s += &format!(", crisis from day {d}"),
            _ => s += ", no crisis",
        }
        s += &format!(
            "; {} operations ({} detected), {} misattributed, {} responses ({} against an innocent state), {} channel calls ({} connected), {} corrections, final trust {:.2}.",
            o.ops_launched,
            o.ops_detected,
            o.misattributions,
            o.responses,
            o.wrongful_responses,
            o.channel_calls,
            o.channel_uses,
            o.corrections,
            o.final_trust
        );
        tail.extend(wrap(&s, full));
    }
    if two && div.is_none() {
        tail.push(
            "  The two arms never part: the channels were never used in a way that mattered."
                .into(),
        );
    }
    let divergence_day = div.map(|d| {
        arms[0]
            .entries
            .get(d)
            .into_iter()
            .chain(arms[1].entries.get(d))
            .map(|e| e.day)
            .min()
            .unwrap_or(0)
    });
    Narration {
        head,
        blocks,
        days,
        tail,
        divergence: div,
        divergence_day,
        explanation,
    }
}
