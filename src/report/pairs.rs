//! Results per ordered pair of states (who acted against whom) as tables and sentences, from
//! summary.json's `pairs`.

use super::summary::{PairResult, Summary};
use super::table::{ARMS_PER_BLOCK, Block, format_difference, format_estimate, grid, signed};
use crate::montecarlo::pairs::PairMeasure;

/// One arm's pairs and (not for the baseline) their paired differences.
struct Column<'a> {
    name: &'a str,
    pairs: &'a [PairResult],
    diff: Option<&'a [PairResult]>,
}

fn columns(summary: &Summary) -> Vec<Column<'_>> {
    summary
        .arm_sections(|a| a.pairs.as_deref(), |d| d.pairs.as_deref())
        .into_iter()
        .map(|(name, pairs, diff)| Column { name, pairs, diff })
        .collect()
}

/// "US → Russia".
fn pair_label(p: &PairResult) -> String {
    format!("{} → {}", p.actor, p.target)
}

/// Indices of the pairs where some arm has a response: the others have nothing to show.
fn active(cols: &[Column<'_>]) -> Vec<usize> {
    let Some(first) = cols.first() else {
        return Vec::new();
    };
    (0..first.pairs.len())
        .filter(|k| {
            cols.iter()
                .any(|c| c.pairs.get(*k).is_some_and(|p| p.responses.value > 0.0))
        })
        .collect()
}

/// The tables for report.md / report.html: per ordered pair and measure, each arm's estimate, then
/// each arm's paired difference against the first.
pub fn report_blocks(summary: &Summary) -> (Vec<Block>, Vec<Block>) {
    let cols = columns(summary);
    let pairs = active(&cols);
    let rows = |block: &[Column<'_>], diff: bool| -> Vec<Vec<String>> {
        let mut rows = Vec::new();
        for &k in &pairs {
            for m in PairMeasure::ALL {
                let mut row = vec![format!("{}: {}", pair_label(&cols[0].pairs[k]), m.label())];
                for c in block {
                    let source = if diff { c.diff } else { Some(c.pairs) };
                    row.push(
                        source
                            .and_then(|ps| ps.get(k))
                            .map_or_else(String::new, |p| {
                                let i = p.get(m);
                                if diff {
                                    format_difference(i.value, i.lo, i.hi, m.is_proportion())
                                } else {
                                    format_estimate(i.value, i.lo, i.hi, m.is_proportion())
                                }
                            }),
                    );
                }
                rows.push(row);
            }
        }
        rows
    };
    if pairs.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let estimates = cols
        .chunks(ARMS_PER_BLOCK)
        .map(|block| Block {
            header: std::iter::once("who acted against whom (95 % interval)".to_string())
                .chain(block.iter().map(|c| c.name.to_string()))
                .collect(),
            rows: rows(block, false),
        })
        .collect();
    let differences = match cols.split_first() {
        Some((base, rest)) if !rest.is_empty() => rest
            .chunks(ARMS_PER_BLOCK)
            .map(|block| Block {
                header: std::iter::once(format!("paired difference, arm − \"{}\"", base.name))
                    .chain(block.iter().map(|c| c.name.to_string()))
                    .collect(),
                rows: rows(block, true),
            })
            .collect(),
        _ => Vec::new(),
    };
    (estimates, differences)
}

/// Who gains from each arm: for every arm but the first, the pairs whose P(crisis) changes most,
/// in plain words.
pub fn sentences(summary: &Summary) -> Vec<String> {
    let cols = columns(summary);
    let pairs = active(&cols);
    let Some((base, rest)) = cols.split_first() else {
        return Vec::new();
    };
    let Some(example) = pairs.first().and_then(|&k| base.pairs.get(k)) else {
        return Vec::new();
    };
    let mut out = vec![format!(
        "A pair is who acted against whom: \"{}: P(crisis)\" is the probability that a response by {} against {} took the pair to the crisis rung (the first to reach it); responses count the actor's responses against the target; trust is the pair's, the same both ways. Pairs with no response in any arm are left out (they are in summary.json). Paired differences are against \"{}\".",
        pair_label(example),
        example.actor,
        example.target,
        base.name
    )];
    for c in rest {
        let Some(diff) = c.diff else { continue };
        let mut moved: Vec<&PairResult> = pairs
            .iter()
            .filter_map(|&k| diff.get(k))
            .filter(|d| (100.0 * d.crisis.value).abs() >= 0.05)
            .collect();
        moved.sort_by(|a, b| b.crisis.value.abs().total_cmp(&a.crisis.value.abs()));
        let parts: Vec<String> = moved
            .iter()
            .map(|d| {
                format!(
                    "{} {}",
                    pair_label(d),
                    format_difference(d.crisis.value, d.crisis.lo, d.crisis.hi, true)
                )
            })
            .collect();
        out.push(if parts.is_empty() {
            format!(
                "\"{}\" changes no pair's P(crisis) by 0.1 percentage points or more.",
                c.name
            )
        } else {
            format!(
                "\"{}\" changes P(crisis) by who took the pair there: {}; no other pair by 0.1 percentage points or more.",
                c.name,
                parts.join(", ")
            )
        });
    }
    out
}

/// A compact form for the terminal: per active ordered pair and arm, P(crisis) and responses per
/// run (point estimates; intervals and the other measures are in report.md and summary.json).
pub fn terminal(summary: &Summary) -> String {
    let cols = columns(summary);
    let pairs = active(&cols);
    if pairs.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "Per ordered pair (who acted against whom): P(crisis) the actor's response began · its responses per run (intervals, kinetic conflict, wrongful responses, trust: report.md):\n\n",
    );
    let blocks = |per: usize| -> Vec<Block> {
        cols.chunks(per)
            .map(|block| Block {
                header: std::iter::once("actor → target".to_string())
                    .chain(block.iter().map(|c| c.name.to_string()))
                    .collect(),
                rows: pairs
                    .iter()
                    .map(|&k| {
                        std::iter::once(pair_label(&cols[0].pairs[k]))
                            .chain(block.iter().map(|c| {
                                c.pairs.get(k).map_or_else(String::new, |p| {
                                    format!(
                                        "{} % · {}",
                                        signed(100.0 * p.crisis.value, 1, false),
                                        signed(p.responses.value, 2, false)
                                    )
                                })
                            }))
                            .collect()
                    })
                    .collect(),
            })
            .collect()
    };
    for b in super::table::terminal_blocks(blocks) {
        grid(&mut out, &b);
        out.push('\n');
    }
    out
}
