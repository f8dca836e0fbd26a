//! The terminal summary of a finished sweep: the headline outcome per point and arm (small designs),
//! the Morris ranking, or the Sobol' indices.

use crate::report::sweep_plotdata::{DesignKind, SweepPlotData};
use crate::report::table::{format_difference, format_estimate};
use std::fmt::Write;

/// Most points listed one per line; larger designs are summarised.
const MAX_ROWS: usize = 30;

/// The summary text (ends with a newline).
pub fn summary(data: &SweepPlotData) -> String {
    let mut out = String::new();
    let o = &data.outcome;
    if data.design == DesignKind::Morris {
        for t in data
            .morris
            .iter()
            .take(1)
            .chain(data.morris.iter().skip(data.arms.len()).take(1))
        {
            let mut ranked: Vec<_> = t.effects.iter().collect();
            ranked.sort_by(|a, b| b.mu_star.total_cmp(&a.mu_star));
            let _ = writeln!(
                out,
                "Morris μ* (effect of each parameter across its range) on {}{}:",
                t.label,
                if o.proportion {
                    ", in percentage points (morris.csv holds them as fractions: 0.66 is 66 points)"
                } else {
                    ""
                }
            );
            for e in ranked {
                let scale = if o.proportion { 100.0 } else { 1.0 };
                let _ = writeln!(
                    out,
                    "  {:<32} μ* {:>7.2}  μ {:>+7.2}  σ {:>7.2}",
                    data.parameters[e.param].label,
                    scale * e.mu_star,
                    scale * e.mu,
                    scale * e.sigma
                );
            }
        }
        return out;
    }
    if data.design == DesignKind::Sobol {
        return crate::report::sobol::sobol_summary(data);
    }
    if data.points.len() > MAX_ROWS {
        let _ = writeln!(
            out,
            "{} points: see sweep.csv and the plots ({} per arm, paired difference against \"{}\").",
            data.points.len(),
            o.label,
            data.arms[0]
        );
        return out;
    }
    let last = data.arms.len() - 1;
    let mut header: Vec<String> = data.parameters.iter().map(|p| p.label.clone()).collect();
    header.extend(data.arms.iter().map(|a| format!("{}: {a}", o.label)));
    if last > 0 {
        header.push(format!("{} − {}", data.arms[last], data.arms[0]));
    }
    let rows: Vec<Vec<String>> = data
        .points
        .iter()
        .map(|p| {
            let mut r: Vec<String> = p.values.iter().map(|v| format!("{v}")).collect();
            r.extend(
                p.arms
                    .iter()
                    .map(|e| format_estimate(e.value, e.lo, e.hi, o.proportion)),
            );
            if last > 0 {
                let d = p.diffs[last];
                r.push(format_difference(d.value, d.lo, d.hi, o.proportion));
            }
            r
        })
        .collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|c| {
            rows.iter()
                .map(|r| r[c].chars().count())
                .chain([header[c].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| {
        cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    let _ = writeln!(out, "{}", line(&header));
    for r in &rows {
        let _ = writeln!(out, "{}", line(r));
    }
    out
}
