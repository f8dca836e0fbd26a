//! The mechanism breakdown as tables and sentences: what kind of operation began the chains of
//! responses that reached crisis and kinetic conflict (from summary.json's `mechanisms`).

use super::summary::{Mechanisms, OriginDifference, Summary};
use super::table::{Block, format_difference, format_estimate, grid, signed};
use crate::montecarlo::stats::Interval;
use crate::outcome::OriginKind;
use indexmap::IndexMap;
use std::fmt::Write;

/// A row label: the operation a chain began with.
fn label(kind: OriginKind) -> &'static str {
    match kind {
        OriginKind::Misattributed => "misattributed",
        OriginKind::Deceptive => "deceptive",
        OriginKind::Proxy => "by a proxy",
        OriginKind::Mercenary => "by a mercenary",
        OriginKind::Independent => "by an independent",
    }
}

/// One arm's breakdown and (not for the baseline) its paired differences.
struct Column<'a> {
    name: &'a str,
    m: &'a Mechanisms,
    diff: Option<&'a IndexMap<String, OriginDifference>>,
}

fn columns(summary: &Summary) -> Vec<Column<'_>> {
    summary
        .arm_sections(|a| a.mechanisms.as_ref(), |d| d.mechanisms.as_ref())
        .into_iter()
        .map(|(name, m, diff)| Column { name, m, diff })
        .collect()
}

/// A share in percent, one decimal below 10 % and none from there: "0.3", "12".
fn percent(x: f64) -> String {
    let p = 100.0 * x;
    if p == 0.0 {
        return "0".to_string();
    }
    signed(p, if p.abs() < 9.95 { 1 } else { 0 }, false)
}

/// A share in percent with its interval, narrow: "12 [10, 15]", "0.3 [0.1, 0.9]" ("–" without a
/// crisis to share).
fn narrow_percent(i: &Interval) -> String {
    if !i.value.is_finite() {
        return "–".to_string();
    }
    format!(
        "{} [{}, {}]",
        percent(i.value),
        percent(i.lo),
        percent(i.hi)
    )
}

fn share_of_crises(m: &Mechanisms, kind: OriginKind) -> Option<&Interval> {
    m.began_with.get(kind.key()).map(|s| &s.share_of_crises)
}

fn share_of_kinetic(m: &Mechanisms, kind: OriginKind) -> Option<&Interval> {
    m.began_with
        .get(kind.key())
        .map(|s| &s.share_of_kinetic_conflicts)
}

/// The estimates: per arm, the count of crises and the share that began with each kind of
/// operation, then the same for kinetic conflicts. `cell` formats a share.
fn share_blocks(
    cols: &[Column<'_>],
    per_block: usize,
    cell: fn(&Interval) -> String,
) -> Vec<Block> {
    type Share = fn(&Mechanisms, OriginKind) -> Option<&Interval>;
    type Section = (&'static str, fn(&Mechanisms) -> u64, Share);
    let sections: [Section; 2] = [
        ("crises", |m| m.crises, share_of_crises),
        (
            "kinetic conflicts",
            |m| m.kinetic_conflicts,
            share_of_kinetic,
        ),
    ];
    cols.chunks(per_block)
        .map(|block| {
            let mut rows = Vec::new();
            for (what, count, share) in sections {
                rows.push(
                    std::iter::once(what.to_string())
                        .chain(block.iter().map(|c| count(c.m).to_string()))
                        .collect(),
                );
                for kind in OriginKind::ALL {
                    rows.push(
                        std::iter::once(format!("  % {}", label(kind)))
                            .chain(
                                block
                                    .iter()
                                    .map(|c| share(c.m, kind).map_or_else(String::new, cell)),
                            )
                            .collect(),
                    );
                }
            }
            Block {
                header: std::iter::once("began with an operation".to_string())
                    .chain(block.iter().map(|c| c.name.to_string()))
                    .collect(),
                rows,
            }
        })
        .collect()
}

/// The paired differences of P(crisis) and P(kinetic conflict) by the kind of operation that began
/// the chain, every arm but the first against it.
fn difference_blocks(cols: &[Column<'_>]) -> Vec<Block> {
    let Some((base, rest)) = cols.split_first() else {
        return Vec::new();
    };
    let rest: Vec<&Column<'_>> = rest.iter().filter(|c| c.diff.is_some()).collect();
    let pts = |i: &Interval| format_difference(i.value, i.lo, i.hi, true);
    rest.chunks(super::table::ARMS_PER_BLOCK)
        .map(|block| {
            let mut rows = Vec::new();
            for (what, kinetic) in [("P(crisis)", false), ("P(kinetic conflict)", true)] {
                for kind in OriginKind::ALL {
                    rows.push(
                        std::iter::once(format!("{what}, {}", label(kind)))
                            .chain(block.iter().map(|c| {
                                c.diff
                                    .and_then(|d| d.get(kind.key()))
                                    .map_or_else(String::new, |d| {
                                        pts(if kinetic { &d.kinetic } else { &d.crisis })
                                    })
                            }))
                            .collect(),
                    );
                }
            }
            Block {
                header: std::iter::once(format!("paired difference, arm − \"{}\"", base.name))
                    .chain(block.iter().map(|c| c.name.to_string()))
                    .collect(),
                rows,
            }
        })
        .collect()
}

/// What the breakdown says of one arm, in plain words.
fn sentence(c: &Column<'_>) -> String {
    let m = c.m;
    if m.crises == 0 {
        return format!("In \"{}\" no run reached a crisis.", c.name);
    }
    let pct = |i: Option<&Interval>| i.map_or("–".to_string(), |i| percent(i.value));
    let mut s = format!(
        "In \"{}\", {} % of the {} crises began with an operation blamed on a state that did not order it; {} % with a deceptive one (false flag, reused tools, mimicry); {} % with a proxy's, {} % with a mercenary's, {} % with an independent group's.",
        c.name,
        pct(share_of_crises(m, OriginKind::Misattributed)),
        m.crises,
        pct(share_of_crises(m, OriginKind::Deceptive)),
        pct(share_of_crises(m, OriginKind::Proxy)),
        pct(share_of_crises(m, OriginKind::Mercenary)),
        pct(share_of_crises(m, OriginKind::Independent)),
    );
    if m.kinetic_conflicts > 0 {
        let _ = write!(
            s,
            " Of the {} kinetic conflicts, {} % began with a misattributed operation.",
            m.kinetic_conflicts,
            pct(share_of_kinetic(m, OriginKind::Misattributed))
        );
    }
    s
}

/// The paragraph that explains the breakdown, then a sentence per arm (at most `arms` of them).
pub fn sentences(summary: &Summary, arms: usize) -> Vec<String> {
    let cols = columns(summary);
    if cols.is_empty() {
        return Vec::new();
    }
    let mut out = vec![
        "Every response belongs to a chain that began with one operation: the incident the victim answered first; every later answer inherits it. An operation can be of several kinds (a mercenary's operation blamed on another client is misattributed, deceptive and a mercenary's), so the shares do not add up to 100 %.".to_string(),
    ];
    out.extend(cols.iter().take(arms).map(sentence));
    out
}

/// The breakdown's tables for report.md / report.html: the shares per arm (with one decimal), then
/// the paired differences.
pub fn report_blocks(summary: &Summary) -> (Vec<Block>, Vec<Block>) {
    let cols = columns(summary);
    let shares = share_blocks(&cols, super::table::ARMS_PER_BLOCK, |i| {
        if i.value.is_finite() {
            format_estimate(i.value, i.lo, i.hi, true)
        } else {
            "–".to_string()
        }
    });
    (shares, difference_blocks(&cols))
}

/// The breakdown as a short block for the terminal: shares in narrow percent and the first arm's
/// sentence (paired differences are in report.md and summary.json).
pub fn terminal(summary: &Summary) -> String {
    let cols = columns(summary);
    if cols.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "What began the chains of responses: replicates with a crisis or kinetic conflict, and the % of them whose chain began with each kind of operation (95 % Wilson intervals):\n\n",
    );
    for b in super::table::terminal_blocks(|n| share_blocks(&cols, n, narrow_percent)) {
        grid(&mut out, &b);
        out.push('\n');
    }
    if let Some(first) = cols.first() {
        let _ = writeln!(out, "{}", sentence(first));
    }
    out
}
