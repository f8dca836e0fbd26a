//! The tidy rows of a sweep: one per point × arm, with every parameter value, every outcome with its
//! 95 % interval, and the paired difference against the baseline arm.

use crate::montecarlo::aggregate::Aggregate;
use crate::montecarlo::metrics::METRICS;
use std::fmt::Write;

/// Column names of `sweep.csv` (and of every shard file).
pub fn header(parameters: &[String], morris: bool) -> Vec<String> {
    let mut h = vec!["point".to_string()];
    if morris {
        h.push("trajectory".into());
    }
    h.extend(parameters.iter().cloned());
    h.push("arm".into());
    h.push("replicates".into());
    for m in METRICS {
        h.push(m.key.into());
        h.push(format!("{}_lo", m.key));
        h.push(format!("{}_hi", m.key));
    }
    for m in METRICS {
        h.push(format!("diff_{}", m.key));
        h.push(format!("diff_{}_lo", m.key));
        h.push(format!("diff_{}_hi", m.key));
    }
    h
}

/// The header as one CSV line (with its newline).
pub fn header_line(parameters: &[String], morris: bool) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header(parameters, morris))
        .expect("invariant: writing to memory cannot fail");
    String::from_utf8(w.into_inner().expect("invariant: in memory"))
        .expect("invariant: the header is UTF-8")
}

fn field(out: &mut String, x: f64) {
    out.push(',');
    // Display prints the shortest text that reads back to the same f64: reproducible bytes.
    let _ = write!(out, "{x}");
}

/// Every row of one completed point, one line per arm, as CSV text.
pub fn point_rows(
    index: usize,
    trajectory: Option<usize>,
    values: &[f64],
    arm_names: &[String],
    agg: &Aggregate,
) -> String {
    let mut out = String::new();
    for (a, (name, arm)) in arm_names.iter().zip(&agg.arms).enumerate() {
        let _ = write!(out, "{index}");
        if let Some(t) = trajectory {
            let _ = write!(out, ",{t}");
        }
        for v in values {
            field(&mut out, *v);
        }
        out.push(',');
        out.push_str(&csv_quote(name));
        let _ = write!(out, ",{}", arm.n);
        for m in METRICS {
            let e = arm.estimate(m.id);
            field(&mut out, e.value);
            field(&mut out, e.lo);
            field(&mut out, e.hi);
        }
        for m in METRICS {
            if a == 0 {
                // The baseline against itself is no comparison: empty, not a misleading 0 [0, 0].
                out.push_str(",,,");
                continue;
            }
            let e = arm.difference(m.id);
            field(&mut out, e.value);
            field(&mut out, e.lo);
            field(&mut out, e.hi);
        }
        out.push('\n');
    }
    out
}

/// Quotes a CSV field when it needs it.
fn csv_quote(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
