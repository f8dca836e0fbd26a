//! The summary table printed by `escalate run`: readable by a policy analyst.

use crate::montecarlo::Aggregate;
use crate::montecarlo::metrics::{METRICS, MetricKind};
use crate::montecarlo::stats::Estimate;
use std::fmt::Write;

/// Metrics shown in the terminal table (all are in summary.json).
const SHOWN: &[&str] = &[
    "crisis",
    "kinetic",
    "highest_rung",
    "ops_launched",
    "ops_detected",
    "ops_attributed",
    "misattributions",
    "wrongful_responses",
    "responses",
    "channel_uses",
    "de_escalations",
    "violations",
    "escalation_score",
];

/// Formats an estimate: percentages for proportions.
pub fn fmt_estimate(e: Estimate, kind: MetricKind) -> String {
    match kind {
        MetricKind::Proportion => format!(
            "{:.1}% [{:.1}, {:.1}]",
            100.0 * e.value,
            100.0 * e.lo,
            100.0 * e.hi
        ),
        MetricKind::Mean => {
            let d = if e.value.abs() >= 100.0 {
                0
            } else if e.value.abs() >= 10.0 {
                1
            } else {
                2
            };
            format!("{:.d$} [{:.d$}, {:.d$}]", e.value, e.lo, e.hi, d = d)
        }
    }
}

fn fmt_diff(e: Estimate, kind: MetricKind) -> String {
    match kind {
        MetricKind::Proportion => format!(
            "{:+.1} pts [{:+.1}, {:+.1}]",
            100.0 * e.value,
            100.0 * e.lo,
            100.0 * e.hi
        ),
        MetricKind::Mean => format!("{:+.2} [{:+.2}, {:+.2}]", e.value, e.lo, e.hi),
    }
}

fn grid(out: &mut String, header: &[String], rows: &[Vec<String>]) {
    let cols = header.len();
    let mut w = vec![0; cols];
    for r in std::iter::once(header).chain(rows.iter().map(|r| r.as_slice())) {
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
        let _ = writeln!(out, "  {}", cells.join("   "));
    };
    line(out, header);
    let _ = writeln!(
        out,
        "  {}",
        w.iter()
            .map(|n| "─".repeat(*n))
            .collect::<Vec<_>>()
            .join("   ")
    );
    for r in rows {
        line(out, r);
    }
}

/// The table: metrics by arm (three arms per block), then paired differences against the first arm.
pub fn table(agg: &Aggregate, replicates: u64, horizon_days: u32) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Per arm, mean per run of {:.1} years (95 % intervals; Wilson for proportions), {replicates} replicates:\n",
        horizon_days as f64 / 365.25
    );
    let shown: Vec<(usize, &crate::montecarlo::metrics::Metric)> = METRICS
        .iter()
        .enumerate()
        .filter(|(_, m)| SHOWN.contains(&m.key))
        .collect();
    for block in agg.arms.chunks(3) {
        let mut header = vec!["".to_string()];
        header.extend(block.iter().map(|a| a.name.clone()));
        let rows: Vec<Vec<String>> = shown
            .iter()
            .map(|(i, m)| {
                let mut r = vec![m.label.to_string()];
                r.extend(block.iter().map(|a| fmt_estimate(a.estimate(*i), m.kind)));
                r
            })
            .collect();
        grid(&mut out, &header, &rows);
        out.push('\n');
    }
    if agg.arms.len() > 1 {
        let base = &agg.arms[0].name;
        let _ = writeln!(
            out,
            "Paired difference, arm − \"{base}\" (same random draws in both arms):\n"
        );
        let keys = [
            "crisis",
            "kinetic",
            "highest_rung",
            "wrongful_responses",
            "escalation_score",
            "damage",
        ];
        let rest = &agg.arms[1..];
        for block in rest.chunks(3) {
            let mut header = vec!["".to_string()];
            header.extend(block.iter().map(|a| a.name.clone()));
            let rows: Vec<Vec<String>> = METRICS
                .iter()
                .enumerate()
                .filter(|(_, m)| keys.contains(&m.key))
                .map(|(i, m)| {
                    let mut r = vec![m.label.to_string()];
                    r.extend(block.iter().map(|a| fmt_diff(a.difference(i), m.kind)));
                    r
                })
                .collect();
            grid(&mut out, &header, &rows);
            out.push('\n');
        }
    }
    out
}
