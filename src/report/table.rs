//! The summary table printed by `escalate run` and shown in `report.md` / `report.html`: the same
//! rows, in the same blocks of arms, readable by a policy analyst.

use crate::montecarlo::Aggregate;
use crate::montecarlo::metrics::{METRICS, MetricId, MetricKind};
use crate::montecarlo::stats::Interval as Estimate;
use crate::units::DAYS_PER_YEAR;
use std::fmt::Write;

/// Metrics shown in the terminal table and the report, estimates and paired differences alike
/// (all of them, and the rest, are in summary.json).
pub const ROWS: &[&str] = &[
    "crisis",
    "kinetic",
    "highest_rung",
    "ops_launched",
    "ops_detected",
    "ops_attributed",
    "misattributions",
    "responses",
    "wrongful_responses",
    "channel_uses",
    "de_escalations",
    "violations",
    "damage",
    "escalation_score",
];

/// Arms side by side in one block of the report's tables: three fit a 1280-pixel page (the terminal
/// fits as many as its width allows: [`Fit::Width`]).
pub const ARMS_PER_BLOCK: usize = 3;

/// `x` rounded to `decimals`, with a real minus sign, and no sign at all when it rounds to zero
/// ("−0.0" reads as a sign error). With `plus`, positive values get a "+".
pub fn signed(x: f64, decimals: usize, plus: bool) -> String {
    if !x.is_finite() {
        return "–".to_string();
    }
    let s = format!("{:.*}", decimals, x.abs());
    if s.chars().all(|c| c == '0' || c == '.') {
        s
    } else if x < 0.0 {
        format!("−{s}")
    } else if plus {
        format!("+{s}")
    } else {
        s
    }
}

/// Decimals for a mean of this size: 0 from 100, 1 from 10, else 2.
fn mean_decimals(value: f64) -> usize {
    if value.abs() >= 100.0 {
        0
    } else if value.abs() >= 10.0 {
        1
    } else {
        2
    }
}

/// Formats an estimate and its interval: percentages for proportions, adaptive decimals for means.
pub fn format_estimate(value: f64, lo: f64, hi: f64, proportion: bool) -> String {
    if proportion {
        format!(
            "{} % [{}, {}]",
            signed(100.0 * value, 1, false),
            signed(100.0 * lo, 1, false),
            signed(100.0 * hi, 1, false)
        )
    } else {
        let d = mean_decimals(value);
        format!(
            "{} [{}, {}]",
            signed(value, d, false),
            signed(lo, d, false),
            signed(hi, d, false)
        )
    }
}

/// Formats a paired difference and its interval: percentage points for proportions.
pub fn format_difference(value: f64, lo: f64, hi: f64, proportion: bool) -> String {
    if proportion {
        format!(
            "{} pts [{}, {}]",
            signed(100.0 * value, 1, true),
            signed(100.0 * lo, 1, true),
            signed(100.0 * hi, 1, true)
        )
    } else {
        let d = mean_decimals(value);
        format!(
            "{} [{}, {}]",
            signed(value, d, true),
            signed(lo, d, true),
            signed(hi, d, true)
        )
    }
}

/// Formats an estimate of a metric of the given kind.
pub fn fmt_estimate(e: Estimate, kind: MetricKind) -> String {
    format_estimate(e.value, e.lo, e.hi, kind == MetricKind::Proportion)
}

fn fmt_diff(e: Estimate, kind: MetricKind) -> String {
    format_difference(e.value, e.lo, e.hi, kind == MetricKind::Proportion)
}

/// One block of a table: a header (first cell: what the rows are) and rows (first cell: the label).
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// Column headings: the rows' heading, then one arm per column.
    pub header: Vec<String>,
    /// Rows: a metric label, then one cell per arm.
    pub rows: Vec<Vec<String>>,
}

/// A metric looked up by key: its estimate, if the arm has one.
pub type Lookup<'a> = Box<dyn Fn(&str) -> Option<Estimate> + 'a>;

/// What the table needs of one arm: its name, and per key its estimate and (not for the baseline)
/// its paired difference against the baseline.
pub struct ArmColumn<'a> {
    /// Arm name.
    pub name: &'a str,
    /// Estimate of a metric by key.
    pub estimate: Lookup<'a>,
    /// Paired difference of a metric by key (None for the baseline).
    pub difference: Lookup<'a>,
}

/// The heading of the estimates' first column.
pub const ESTIMATE_HEADING: &str = "per run (95 % interval)";

/// How arms are grouped into blocks side by side.
#[derive(Clone, Copy, Debug)]
pub enum Fit {
    /// A fixed number of arms a block (the report: [`ARMS_PER_BLOCK`] fit a 1280-pixel page).
    PerBlock(usize),
    /// As many arms a block as keep every line within this many columns (the terminal), at least one.
    Width(usize),
}

/// The blocks of the table: estimates of every arm, [`ARMS_PER_BLOCK`] arms a block, then paired
/// differences of every arm but the baseline against it (the baseline has none: it is not shown as 0).
pub fn blocks(arms: &[ArmColumn<'_>]) -> (Vec<Block>, Vec<Block>) {
    blocks_fitting(arms, Fit::PerBlock(ARMS_PER_BLOCK))
}

/// [`blocks`], grouped as `fit` says. With [`Fit::Width`] the differences' first heading is the short
/// "paired difference" (the sentence above the blocks names the baseline).
pub fn blocks_fitting(arms: &[ArmColumn<'_>], fit: Fit) -> (Vec<Block>, Vec<Block>) {
    let rows: Vec<&crate::montecarlo::metrics::Metric> = ROWS
        .iter()
        .filter_map(|k| MetricId::from_key(k).map(MetricId::metric))
        .collect();
    let cell = |e: Option<Estimate>, m: &crate::montecarlo::metrics::Metric, diff: bool| {
        e.map_or_else(String::new, |e| {
            if diff {
                fmt_diff(e, m.kind)
            } else {
                fmt_estimate(e, m.kind)
            }
        })
    };
    let block = |heading: String, group: &[ArmColumn<'_>], diff: bool| Block {
        header: std::iter::once(heading)
            .chain(group.iter().map(|a| a.name.to_string()))
            .collect(),
        rows: rows
            .iter()
            .map(|m| {
                std::iter::once(m.label.to_string())
                    .chain(group.iter().map(|a| {
                        let e = if diff {
                            (a.difference)(m.key)
                        } else {
                            (a.estimate)(m.key)
                        };
                        cell(e, m, diff)
                    }))
                    .collect()
            })
            .collect(),
    };
    let group = |cols: &[ArmColumn<'_>], heading: &str, diff: bool| -> Vec<Block> {
        let mut out = Vec::new();
        let mut start = 0;
        while start < cols.len() {
            let mut end = start + 1;
            match fit {
                Fit::PerBlock(n) => end = (start + n.max(1)).min(cols.len()),
                Fit::Width(width) => {
                    while end < cols.len()
                        && grid_width(&block(heading.to_string(), &cols[start..=end], diff))
                            <= width
                    {
                        end += 1;
                    }
                }
            }
            out.push(block(heading.to_string(), &cols[start..end], diff));
            start = end;
        }
        out
    };
    let estimates = group(arms, ESTIMATE_HEADING, false);
    let differences = match arms.split_first() {
        Some((base, rest)) if !rest.is_empty() => {
            let heading = match fit {
                Fit::PerBlock(_) => format!("paired difference, arm − \"{}\"", base.name),
                Fit::Width(_) => "paired difference".to_string(),
            };
            group(rest, &heading, true)
        }
        _ => Vec::new(),
    };
    (estimates, differences)
}

/// `text` for a terminal `width` columns wide: each line of prose (one that does not start with a
/// space) wrapped at word boundaries; table lines (indented) and blank lines kept as they are.
pub fn wrap_prose(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        if body.starts_with(' ') || body.chars().count() <= width {
            out.push_str(line);
            continue;
        }
        let mut current = 0;
        for (k, word) in body.split(' ').enumerate() {
            let n = word.chars().count();
            if k > 0 && current + 1 + n > width {
                out.push('\n');
                current = 0;
            } else if k > 0 {
                out.push(' ');
                current += 1;
            }
            out.push_str(word);
            current += n;
        }
        out.push_str(end);
    }
    out
}

/// The blocks `build(n)` makes with the most arms a block, up to [`ARMS_PER_BLOCK`], whose every
/// line fits [`TERMINAL_WIDTH`]; one arm a block if none does (the names decide).
pub fn terminal_blocks(build: impl Fn(usize) -> Vec<Block>) -> Vec<Block> {
    (2..=ARMS_PER_BLOCK)
        .rev()
        .map(&build)
        .find(|blocks| blocks.iter().all(|b| grid_width(b) <= TERMINAL_WIDTH))
        .unwrap_or_else(|| build(1))
}

/// The widest line [`grid`] writes for `b`, in characters.
pub fn grid_width(b: &Block) -> usize {
    let mut out = String::new();
    grid(&mut out, b);
    out.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

/// The widest 95 % interval among the probabilities of every arm, in words, and how many replicates
/// would halve it (intervals narrow with the square root of the replicates). Probabilities are
/// compared with probabilities only: a width in rungs or in responses is not on the same scale.
/// `widest`: (arm, metric label, estimate).
pub fn precision_sentence(widest: Option<(&str, &str, Estimate)>, replicates: u64) -> String {
    match widest {
        Some((arm, label, e)) => format!(
            "With {} replicates per arm, the widest interval among the probabilities is {label} in \"{arm}\": {} to {} %, {} percentage points wide; about {} replicates would halve it.",
            group_thousands(replicates),
            signed(100.0 * e.lo, 1, false),
            signed(100.0 * e.hi, 1, false),
            signed(100.0 * e.width(), 1, false),
            group_thousands(replicates.saturating_mul(4))
        ),
        None => format!(
            "With {} replicates per arm; no probability was estimated.",
            group_thousands(replicates)
        ),
    }
}

/// The widest probability interval of an aggregate: (arm, metric label, estimate).
pub fn widest_probability(agg: &Aggregate) -> Option<(&str, &'static str, Estimate)> {
    let mut best: Option<(&str, &'static str, Estimate)> = None;
    for arm in &agg.arms {
        for m in METRICS {
            if m.kind != MetricKind::Proportion || !ROWS.contains(&m.key) {
                continue;
            }
            let e = arm.estimate(m.id);
            if best.is_none_or(|(_, _, b)| e.width() > b.width()) {
                best = Some((arm.name.as_str(), m.label, e));
            }
        }
    }
    best
}

/// `n` with a comma every three digits.
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Writes a block as a text grid (first column left-aligned, the others right-aligned).
pub fn grid(out: &mut String, b: &Block) {
    let cols = b.header.len();
    let mut w = vec![0; cols];
    for r in std::iter::once(&b.header).chain(&b.rows) {
        for (i, c) in r.iter().enumerate() {
            w[i] = w[i].max(c.chars().count());
        }
    }
    let line = |out: &mut String, r: &[String]| {
        let cells: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let pad = w[i] - c.chars().count();
                if i == 0 {
                    format!("{c}{}", " ".repeat(pad))
                } else {
                    format!("{}{c}", " ".repeat(pad))
                }
            })
            .collect();
        let _ = writeln!(out, "  {}", cells.join("   ").trim_end());
    };
    line(out, &b.header);
    let _ = writeln!(
        out,
        "  {}",
        w.iter()
            .map(|n| "─".repeat(*n))
            .collect::<Vec<_>>()
            .join("   ")
    );
    for r in &b.rows {
        line(out, r);
    }
}

/// The columns of an aggregate's arms.
pub fn columns(agg: &Aggregate) -> Vec<ArmColumn<'_>> {
    let index = MetricId::from_key;
    agg.arms
        .iter()
        .enumerate()
        .map(|(a, arm)| ArmColumn {
            name: &arm.name,
            estimate: Box::new(move |k| index(k).map(|i| arm.estimate(i))),
            difference: Box::new(move |k| {
                (a > 0)
                    .then_some(())
                    .and(index(k))
                    .map(|i| arm.difference(i))
            }),
        })
        .collect()
}

/// Columns the terminal table keeps within (where the arms' names allow: an arm always fits alone).
pub const TERMINAL_WIDTH: usize = 80;

/// The table: metrics by arm (as many arms a block as fit [`TERMINAL_WIDTH`]), then paired
/// differences against the first arm, then the precision sentence.
pub fn table(agg: &Aggregate, replicates: u64, horizon_days: u32) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Per arm, per run of {:.1} years, {} replicates (95 % intervals; Wilson for proportions):\n",
        f64::from(horizon_days) / DAYS_PER_YEAR,
        group_thousands(replicates)
    );
    let cols = columns(agg);
    let (estimates, differences) = blocks_fitting(&cols, Fit::Width(TERMINAL_WIDTH));
    for b in &estimates {
        grid(&mut out, b);
        out.push('\n');
    }
    if let Some(base) = cols.first()
        && !differences.is_empty()
    {
        let _ = writeln!(
            out,
            "Paired difference, arm − \"{}\" (same random draws in both arms):\n",
            base.name
        );
        for b in &differences {
            grid(&mut out, b);
            out.push('\n');
        }
    }
    let _ = writeln!(
        out,
        "{}",
        precision_sentence(widest_probability(agg), replicates)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_wraps_at_the_width_and_tables_do_not() {
        let text = "one two three four five six\n  a table line that is long stays\n\nshort\n";
        assert_eq!(
            wrap_prose(text, 10),
            "one two\nthree four\nfive six\n  a table line that is long stays\n\nshort\n"
        );
        let long = "x".repeat(30);
        assert_eq!(
            wrap_prose(&format!("a {long} b"), 10),
            format!("a\n{long}\nb")
        );
    }

    #[test]
    fn no_negative_zero_and_a_real_minus_sign() {
        assert_eq!(signed(-0.0004, 1, true), "0.0");
        assert_eq!(signed(-0.04, 1, false), "0.0");
        assert_eq!(signed(-0.06, 1, true), "−0.1");
        assert_eq!(signed(0.06, 1, true), "+0.1");
        assert_eq!(signed(0.06, 1, false), "0.1");
        assert_eq!(
            format_difference(-0.0004, -0.0009, -0.00001, true),
            "0.0 pts [−0.1, 0.0]"
        );
        assert_eq!(format_difference(0.0, 0.0, 0.0, false), "0.00 [0.00, 0.00]");
        assert_eq!(
            format_difference(-12.05, -12.13, -11.98, false),
            "−12.1 [−12.1, −12.0]"
        );
        assert_eq!(
            format_estimate(0.046, 0.043, 0.049, true),
            "4.6 % [4.3, 4.9]"
        );
        assert!(!format_difference(-1e-9, -2e-9, 0.0, true).contains("-0"));
        assert!(!format_difference(-1e-9, -2e-9, 0.0, true).contains("−0"));
    }

    #[test]
    fn the_precision_sentence_speaks_of_probabilities_in_percentage_points() {
        let e = Estimate {
            value: 0.046,
            lo: 0.043,
            hi: 0.049,
        };
        let s = precision_sentence(Some(("without channels", "P(crisis)", e)), 20_000);
        assert_eq!(
            s,
            "With 20,000 replicates per arm, the widest interval among the probabilities is P(crisis) in \"without channels\": 4.3 to 4.9 %, 0.6 percentage points wide; about 80,000 replicates would halve it."
        );
    }

    #[test]
    fn every_row_is_a_metric() {
        for key in ROWS {
            assert!(MetricId::from_key(key).is_some(), "{key}");
        }
    }
}
