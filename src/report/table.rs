//! The summary table printed by `escalate run`: readable by a policy analyst.

use crate::montecarlo::Aggregate;
use crate::montecarlo::metrics::{METRICS, Metric, MetricId, MetricKind};
use crate::montecarlo::stats::Interval;
use std::fmt::Write;

/// Metrics shown in the terminal table (all are in summary.json).
const SHOWN: &[MetricId] = &[
    MetricId::Crisis,
    MetricId::Kinetic,
    MetricId::HighestRung,
    MetricId::OpsLaunched,
    MetricId::OpsDetected,
    MetricId::OpsAttributed,
    MetricId::Misattributions,
    MetricId::WrongfulResponses,
    MetricId::Responses,
    MetricId::ChannelUses,
    MetricId::DeEscalations,
    MetricId::Violations,
    MetricId::EscalationScore,
];

/// Paired differences shown in the terminal table.
const SHOWN_DIFFERENCES: &[MetricId] = &[
    MetricId::Crisis,
    MetricId::Kinetic,
    MetricId::HighestRung,
    MetricId::WrongfulResponses,
    MetricId::EscalationScore,
    MetricId::Damage,
];

/// Formats an estimate and its interval: percentages for proportions, adaptive decimals for means.
pub fn format_estimate(value: f64, lo: f64, hi: f64, proportion: bool) -> String {
    if proportion {
        format!(
            "{:.1} % [{:.1}, {:.1}]",
            100.0 * value,
            100.0 * lo,
            100.0 * hi
        )
    } else {
        let d = if value.abs() >= 100.0 {
            0
        } else if value.abs() >= 10.0 {
            1
        } else {
            2
        };
        format!("{value:.d$} [{lo:.d$}, {hi:.d$}]")
    }
}

/// Formats a paired difference and its interval: percentage points for proportions.
pub fn format_difference(value: f64, lo: f64, hi: f64, proportion: bool) -> String {
    if proportion {
        format!(
            "{:+.1} pts [{:+.1}, {:+.1}]",
            100.0 * value,
            100.0 * lo,
            100.0 * hi
        )
    } else {
        format!("{value:+.2} [{lo:+.2}, {hi:+.2}]")
    }
}

/// Formats an estimate of a metric of the given kind.
pub fn fmt_estimate(e: Interval, kind: MetricKind) -> String {
    format_estimate(e.value, e.lo, e.hi, kind == MetricKind::Proportion)
}

fn fmt_diff(e: Interval, kind: MetricKind) -> String {
    format_difference(e.value, e.lo, e.hi, kind == MetricKind::Proportion)
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
    let shown: Vec<&Metric> = METRICS.iter().filter(|m| SHOWN.contains(&m.id)).collect();
    for block in agg.arms.chunks(3) {
        let mut header = vec!["".to_string()];
        header.extend(block.iter().map(|a| a.name.clone()));
        let rows: Vec<Vec<String>> = shown
            .iter()
            .map(|m| {
                let mut r = vec![m.label.to_string()];
                r.extend(block.iter().map(|a| fmt_estimate(a.estimate(m.id), m.kind)));
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
        let rest = &agg.arms[1..];
        for block in rest.chunks(3) {
            let mut header = vec!["".to_string()];
            header.extend(block.iter().map(|a| a.name.clone()));
            let rows: Vec<Vec<String>> = METRICS
                .iter()
                .filter(|m| SHOWN_DIFFERENCES.contains(&m.id))
                .map(|m| {
                    let mut r = vec![m.label.to_string()];
                    r.extend(block.iter().map(|a| fmt_diff(a.difference(m.id), m.kind)));
                    r
                })
                .collect();
            grid(&mut out, &header, &rows);
            out.push('\n');
        }
    }
    out
}
