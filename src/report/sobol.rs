//! The Sobol' results of a sweep in words and in a table: `sobol.csv` (every index with its interval
//! and how it reads), `sobol.md` (the parameters the headline is most sensitive to, in sentences, and
//! how Monte Carlo noise biases the indices), and the terminal summary.

use super::sweep_plotdata::{IndexReading, SobolEffect, SobolTarget, SweepPlotData, reading};
use crate::montecarlo::stats::Interval;
use std::fmt::Write;

/// Most parameters named one by one as the ones the target is most sensitive to.
const NAMED: usize = 3;

/// The word `sobol.csv` uses for a reading.
fn reading_key(r: IndexReading) -> &'static str {
    match r {
        IndexReading::IndistinguishableFromZero => "zero",
        IndexReading::WithinNoise => "noise",
        IndexReading::Positive => "positive",
    }
}

/// The targets a reader is shown first: the baseline's outcome, then each paired difference.
pub fn headline_targets(d: &SweepPlotData) -> Vec<&SobolTarget> {
    let arms = d.arms.len();
    let mut out: Vec<&SobolTarget> = d.sobol.iter().take(1).collect();
    out.extend(d.sobol.iter().skip(arms));
    out
}

/// `sobol.csv`: one row per target and parameter.
pub fn sobol_csv(d: &SweepPlotData) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut rows = || -> csv::Result<()> {
        w.write_record([
            "target",
            "column",
            "arm",
            "parameter",
            "s1",
            "s1_lo",
            "s1_hi",
            "s1_reading",
            "st",
            "st_lo",
            "st_hi",
            "st_reading",
            "variance",
            "noise_share",
        ])?;
        for t in &d.sobol {
            let noise = t.noise_share();
            for e in &t.effects {
                w.write_record([
                    t.label.clone(),
                    t.key.clone(),
                    t.arm.clone(),
                    d.parameters[e.param].label.clone(),
                    e.first.value.to_string(),
                    e.first.lo.to_string(),
                    e.first.hi.to_string(),
                    reading_key(reading(&e.first, noise)).into(),
                    e.total.value.to_string(),
                    e.total.lo.to_string(),
                    e.total.hi.to_string(),
                    reading_key(reading(&e.total, noise)).into(),
                    t.variance.to_string(),
                    noise.to_string(),
                ])?;
            }
        }
        Ok(())
    };
    rows().expect("invariant: writing to memory cannot fail");
    String::from_utf8(w.into_inner().expect("invariant: in memory")).expect("invariant: UTF-8")
}

/// "0.42 [0.35, 0.50]", with a real minus sign; three decimals when every number is below 0.01
/// (so a small index does not print as "0.00 [0.00, 0.00]").
pub fn fmt_index(i: &Interval) -> String {
    let small = [i.value, i.lo, i.hi]
        .iter()
        .all(|v| !v.is_finite() || v.abs() < 0.01);
    let f = |v: f64| {
        if !v.is_finite() {
            "–".into()
        } else if small {
            format!("{v:.3}").replace('-', "−")
        } else {
            format!("{v:.2}").replace('-', "−")
        }
    };
    format!("{} [{}, {}]", f(i.value), f(i.lo), f(i.hi))
}

/// An index as it reads: "≈ 0 (0.01 [−0.02, 0.04])" when its interval includes 0, the number
/// otherwise.
pub fn describe_index(i: &Interval, noise: f64) -> String {
    match reading(i, noise) {
        IndexReading::IndistinguishableFromZero => format!("≈ 0 ({})", fmt_index(i)),
        IndexReading::WithinNoise => format!("{} (within noise)", fmt_index(i)),
        IndexReading::Positive => fmt_index(i),
    }
}

fn names(d: &SweepPlotData, effects: &[&SobolEffect]) -> String {
    let n: Vec<&str> = effects
        .iter()
        .map(|e| d.parameters[e.param].label.as_str())
        .collect();
    match n.as_slice() {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// `s` with its first letter in upper case, to open a sentence.
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
}

/// The target's standard deviation over the design, in words ("3.1 percentage points").
fn spread(d: &SweepPlotData, t: &SobolTarget) -> String {
    let sd = t.variance.sqrt();
    if d.outcome.proportion {
        format!("{:.1} percentage points", 100.0 * sd)
    } else {
        format!("{sd:.3}")
    }
}

/// The sentences about one target: which parameters it is most sensitive to, which show no
/// evidence of an effect, which are within the noise, and how much is interaction.
pub fn sensitivity_sentences(d: &SweepPlotData, t: &SobolTarget) -> String {
    let noise = t.noise_share();
    let mut out = String::new();
    if t.variance.is_nan() || t.variance <= 0.0 {
        return format!(
            "{} does not vary over the design: there is no variance to share out.",
            capitalised(&t.label)
        );
    }
    let mut ranked: Vec<&SobolEffect> = t.effects.iter().collect();
    ranked.sort_by(|a, b| {
        b.total
            .value
            .total_cmp(&a.total.value)
            .then(a.param.cmp(&b.param))
    });
    let by = |r: IndexReading| -> Vec<&SobolEffect> {
        ranked
            .iter()
            .copied()
            .filter(|e| reading(&e.total, noise) == r)
            .collect()
    };
    let (positive, within, zero) = (
        by(IndexReading::Positive),
        by(IndexReading::WithinNoise),
        by(IndexReading::IndistinguishableFromZero),
    );
    let _ = write!(
        out,
        "{} varies by {} (one standard deviation) over the sweep's ranges. ",
        capitalised(&t.label),
        spread(d, t)
    );
    if positive.is_empty() {
        let _ = write!(
            out,
            "No parameter's total index stands clear of zero and of the noise: the design cannot tell which parameters it is sensitive to (more samples or replicates would)."
        );
    } else {
        let first = positive[0];
        let _ = write!(
            out,
            "It is most sensitive to **{}** (total index ST {}; alone, S1 {})",
            d.parameters[first.param].label,
            fmt_index(&first.total),
            describe_index(&first.first, noise)
        );
        let next: Vec<String> = positive
            .iter()
            .skip(1)
            .take(NAMED - 1)
            .map(|e| {
                format!(
                    "**{}** (ST {})",
                    d.parameters[e.param].label,
                    fmt_index(&e.total)
                )
            })
            .collect();
        match next.as_slice() {
            [] => out.push('.'),
            [one] => {
                let _ = write!(out, ", then {one}.");
            }
            [init @ .., last] => {
                let _ = write!(out, ", then {} and {last}.", init.join(", "));
            }
        }
        let rest = &positive[positive.len().min(NAMED)..];
        if !rest.is_empty() {
            let _ = write!(out, " Smaller but clear of the noise: {}.", names(d, rest));
        }
    }
    if !zero.is_empty() {
        let _ = write!(
            out,
            " No evidence of an effect (the interval of ST includes 0): {}.",
            names(d, &zero)
        );
    }
    if !within.is_empty() {
        let _ = write!(
            out,
            " Within the Monte Carlo noise (ST's whole interval is below the noise share of {:.0} %, which noise alone could give): {}.",
            100.0 * noise,
            names(d, &within)
        );
    }
    let sum_first: f64 = t.effects.iter().map(|e| e.first.value).sum();
    if sum_first.is_finite() && sum_first < 0.8 && !positive.is_empty() {
        let _ = write!(
            out,
            " The first-order indices add up to {sum_first:.2}: the rest of the variance comes from parameters acting together (interactions), and from noise."
        );
    }
    out
}

/// `sobol.md`: the sweep's Sobol' results in words, then every index, then how to read them.
pub fn sobol_report(d: &SweepPlotData) -> String {
    let mut out = String::new();
    let k = d.parameters.len();
    let per = k + 2;
    let rows = d.points.len() / per.max(1);
    let lo = d.points.iter().map(|p| p.replicates).min().unwrap_or(0);
    let hi = d.points.iter().map(|p| p.replicates).max().unwrap_or(0);
    let reps = if lo == hi {
        lo.to_string()
    } else {
        format!("{lo}–{hi}")
    };
    let _ = writeln!(out, "# Global sensitivity (Sobol' indices): {}\n", d.name);
    let _ = writeln!(
        out,
        "Scenario {}, seed {}; a Saltelli design of N = {rows} base rows × ({k} parameters + 2) = {} points, {reps} replicates per point and arm. Intervals are 95 % bootstrap percentiles over the N rows.\n",
        d.scenario,
        d.seed,
        d.points.len()
    );
    let _ = writeln!(out, "## What the headline is most sensitive to\n");
    let headline = headline_targets(d);
    if headline.is_empty() {
        let _ = writeln!(out, "No indices: the design's points are not whole rows.\n");
    }
    for t in &headline {
        let _ = writeln!(out, "{}\n", sensitivity_sentences(d, t));
    }
    let _ = writeln!(out, "## Every index\n");
    let _ = writeln!(
        out,
        "| quantity | parameter | S1 (alone) | ST (with interactions) | noise share |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|");
    for t in &d.sobol {
        let noise = t.noise_share();
        for e in &t.effects {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {:.1} % |",
                t.label,
                d.parameters[e.param].label,
                describe_index(&e.first, noise),
                describe_index(&e.total, noise),
                100.0 * noise
            );
        }
    }
    let _ = writeln!(
        out,
        "\n## How to read these\n\n\
         - **S1** is the share of the quantity's variance over the sweep's ranges that a parameter explains alone; \
         **ST** its share with every interaction it takes part in. ST ≥ S1 (an estimate may break this by its error); \
         a parameter with ST near 0 can be fixed anywhere in its range without changing the quantity. The S1 add up to at most 1; \
         what they leave is interaction.\n\
         - An index whose interval includes 0 is written ≈ 0: the sweep gives no evidence that the parameter matters, \
         which is not the same as evidence that it does not.\n\
         - **Monte Carlo noise.** Each point's value is an estimate from a finite number of replicates, so part of \
         the variance is noise (the *noise share*, from the points' own intervals). With noise independent between points, \
         ST of a parameter that does nothing comes out near the noise share instead of 0, every ST is pulled up by it, and every \
         S1 is shrunk by it. An ST whose whole interval lies below the noise share is written *within noise*. \
         The points share their replicate seeds (common random numbers), so the noise of two points that differ in one \
         parameter is correlated and the bias is smaller than that bound; a parameter the model ignores gives identical \
         points and ST = 0 exactly. The bootstrap intervals carry the noise's spread, not its bias: more replicates per \
         point lower the bias, more samples narrow the intervals.\n\
         - sobol.csv holds the same indices with a reading each (`zero`, `noise`, `positive`); docs/MODEL.md §9 gives the estimators."
    );
    out
}

/// The terminal lines of a Sobol' sweep: the headline targets, parameters ranked by ST.
pub fn sobol_summary(d: &SweepPlotData) -> String {
    let mut out = String::new();
    for t in headline_targets(d) {
        let noise = t.noise_share();
        let _ = writeln!(
            out,
            "Sobol' indices of {} (noise share {:.1} %):",
            t.label,
            100.0 * noise
        );
        let mut ranked: Vec<&SobolEffect> = t.effects.iter().collect();
        ranked.sort_by(|a, b| {
            b.total
                .value
                .total_cmp(&a.total.value)
                .then(a.param.cmp(&b.param))
        });
        let w = ranked
            .iter()
            .map(|e| d.parameters[e.param].label.chars().count())
            .max()
            .unwrap_or(0);
        for e in ranked {
            let _ = writeln!(
                out,
                "  {:<w$}  ST {:<34} S1 {}",
                d.parameters[e.param].label,
                describe_index(&e.total, noise),
                describe_index(&e.first, noise)
            );
        }
    }
    out
}
