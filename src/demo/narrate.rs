//! The narration: the arms' event logs merged into rows (events shared by both arms once, the rest
//! side by side or interleaved), the point where they part marked and explained, and a closing tally.

use super::text::{pad, paint, wrap};
use super::words::Words;
use crate::model::event_log::{Entry, Event, divergence};
use crate::scenario::compile::Compiled;
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

/// A row of the merged event logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    /// The same event in both arms (indices into each).
    Both(usize, usize),
    /// Only in the first arm.
    Left(usize),
    /// Only in the second arm.
    Right(usize),
}

/// Merges two event logs by day; equal events at the heads of both are shared.
pub fn merge(a: &[Entry], b: &[Entry]) -> Vec<Row> {
    let (mut i, mut j) = (0, 0);
    let mut rows = Vec::with_capacity(a.len().max(b.len()));
    while i < a.len() || j < b.len() {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x == y => {
                rows.push(Row::Both(i, j));
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x.day <= y.day => {
                rows.push(Row::Left(i));
                i += 1;
            }
            (Some(_), None) => {
                rows.push(Row::Left(i));
                i += 1;
            }
            _ => {
                rows.push(Row::Right(j));
                j += 1;
            }
        }
    }
    rows
}

/// The narration, block by block (one block per row, so `--step` can pause between them).
pub struct Narration {
    /// Lines before the events (title, cast, legend).
    pub head: Vec<String>,
    /// One block of lines per event row (the divergence marker is its own block).
    pub blocks: Vec<Vec<String>>,
    /// Lines after the events (how each arm ended).
    pub tail: Vec<String>,
    /// Index of the first differing entry, if the arms differ.
    pub divergence: Option<usize>,
    /// Day of the divergence.
    pub divergence_day: Option<u32>,
    /// The explanation printed at the divergence.
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

    /// The lines of one event in a column `width` wide, with an optional tag before it; `other` is
    /// the rung in the second arm for an event of both arms.
    fn event(
        &self,
        words: &Words,
        e: &Entry,
        width: usize,
        tag: &str,
        other: Option<u8>,
    ) -> Vec<String> {
        let prefix_plain = format!(
            "{tag}day {:>4} {} ",
            e.day,
            "▮".repeat(self.p.top_rung() as usize)
        );
        let indent = prefix_plain.chars().count() + 2;
        let text = words.sentence(e);
        let body = wrap(&text, width.saturating_sub(indent));
        let emphasis = match &e.event {
            Event::Responded { kinetic: true, .. } => "1;31",
            Event::Responded { rung, .. } if *rung >= self.p.crisis_rung => "31",
            Event::Responded { .. } => "1",
            Event::Attributed { .. } if text.contains("WRONG") => "33",
            Event::Answered { .. } | Event::CrisisCall { .. } | Event::Consulted { .. } => "36",
            Event::Launched { .. } => "",
            _ => "2",
        };
        let day = paint(self.style.color, "2", &format!("day {:>4}", e.day));
        let mut out = Vec::new();
        for (k, l) in body.iter().enumerate() {
            let l = if emphasis.is_empty() {
                l.clone()
            } else {
                paint(self.style.color, emphasis, l)
            };
            if k == 0 {
                let gauge = match other {
                    Some(r) if r != e.rung => {
                        let both = format!("A{} B{r}", e.rung);
                        format!("{both:<w$}", w = self.p.top_rung() as usize)
                    }
                    _ => self.gauge(e.rung),
                };
                out.push(format!("{tag}{day} {gauge} │ {l}"));
            } else {
                out.push(format!("{}│ {l}", " ".repeat(indent - 2)));
            }
        }
        out
    }
}

/// Whether an event is a decision or its consequence (what the explanation of a divergence cites).
fn telling(e: &Entry) -> bool {
    !matches!(
        e.event,
        Event::Launched { .. } | Event::Detected { .. } | Event::Dialogue { .. }
    )
}

/// The explanation of where the arms part: the first few decisions that happen in only one arm.
fn explain(words: &Words, arms: &[ArmStory], rows: &[Row], at: usize) -> String {
    let (mut only_a, mut only_b) = (Vec::new(), Vec::new());
    for r in &rows[at..] {
        match *r {
            Row::Left(i) if only_a.len() < 3 && telling(&arms[0].entries[i]) => {
                only_a.push(&arms[0].entries[i])
            }
            Row::Right(j) if only_b.len() < 3 && telling(&arms[1].entries[j]) => {
                only_b.push(&arms[1].entries[j])
            }
            _ => {}
        }
        if only_a.len() == 3 && only_b.len() == 3 {
            break;
        }
    }
    let say = |v: &[&Entry]| -> String {
        if v.is_empty() {
            "nothing of the kind happens".to_string()
        } else {
            v.iter()
                .map(|e| format!("day {}: {}", e.day, words.sentence(e).trim_end_matches('.')))
                .collect::<Vec<_>>()
                .join("; ")
        }
    };
    format!(
        "with \"{}\": {}. With \"{}\": {}.",
        arms[1].name,
        say(&only_b),
        arms[0].name,
        say(&only_a)
    )
}

/// Narrates one or two arms of a run.
pub fn narrate(p: &Compiled, seed: u64, arms: &[ArmStory], style: Style) -> Narration {
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
        .map(|(i, r)| format!("{i} {}", r.name))
        .collect();
    head.extend(wrap(
        &format!(
            "Ladder (the gauge shows the highest current rung): {}; crisis from {}.",
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
    head.push(String::new());

    let rows = if two {
        merge(&arms[0].entries, &arms[1].entries)
    } else {
        (0..arms[0].entries.len()).map(Row::Left).collect()
    };
    let div = if two {
        divergence(&arms[0].entries, &arms[1].entries)
    } else {
        None
    };
    let div_row = div.map(|d| {
        rows.iter()
            .position(|r| !matches!(r, Row::Both(..)))
            .unwrap_or(d)
    });
    let explanation = div_row.map(|r| explain(&words, arms, &rows, r));
    let full = style.width.max(60);
    let col = (full.saturating_sub(3)) / 2;
    let mut blocks = Vec::new();
    for (ri, row) in rows.iter().enumerate() {
        if Some(ri) == div_row {
            let e = explanation.as_deref().unwrap_or("");
            let day = match row {
                Row::Left(i) => arms[0].entries[*i].day,
                Row::Right(j) => arms[1].entries[*j].day,
                Row::Both(i, _) => arms[0].entries[*i].day,
            };
            let text = format!("◆ the arms part here, on day {day}: {e}");
            blocks.push(
                wrap(&text, full)
                    .into_iter()
                    .map(|l| paint(c, "1;35", &l))
                    .collect(),
            );
        }
        let block = match *row {
            Row::Both(i, j) => {
                let t = if two && !side { "  " } else { "" };
                let other = arms.get(1).map(|b| b.entries[j].rung);
                painter.event(&words, &arms[0].entries[i], full, t, other)
            }
            Row::Left(i) if side => painter
                .event(&words, &arms[0].entries[i], col, "", None)
                .into_iter()
                .map(|l| pad(&l, col) + " ┃")
                .collect(),
            Row::Right(j) if side => painter
                .event(&words, &arms[1].entries[j], col, "", None)
                .into_iter()
                .map(|l| format!("{} ┃ {l}", " ".repeat(col)))
                .collect(),
            Row::Left(i) => {
                let tag = if two {
                    paint(c, "34", tags[0])
                } else {
                    String::new()
                };
                let t = if two { tags[0] } else { "" };
                painter
                    .event(&words, &arms[0].entries[i], full, t, None)
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
                    .event(&words, &arms[1].entries[j], full, tags[1], None)
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
        tail,
        divergence: div,
        divergence_day,
        explanation,
    }
}
