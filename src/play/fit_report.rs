//! What `escalate fit-doctrine` prints, and the scenario it writes: the seat's doctrine replaced by
//! the fitted one, commented, loadable by `escalate run`.

use super::fit::Param;
use super::fit_run::{FitResult, Fitted};
use crate::scenario::compile::StateId;
use crate::scenario::load::resolved_ron;

/// Decimals the fitted values are written with (the intervals are far wider than 0.001).
const DECIMALS: i32 = 3;

/// `v` rounded to [`DECIMALS`].
pub fn rounded(v: f64) -> f64 {
    let k = 10f64.powi(DECIMALS);
    (v * k).round() / k
}

fn name(f: &Fitted) -> String {
    match f.param {
        Some(p) => p.field().to_string(),
        None => "lapse (not a doctrine parameter)".to_string(),
    }
}

/// What a fitted parameter's profile says: nothing (flat), or how many decisions inform it.
fn identified(f: &Fitted) -> Option<String> {
    if f.interval.flat() {
        Some(format!(
            "{}: not identified: its profile is flat over its whole range [{}, {}]\n    ({} of the decisions depend on it); the value written is where the\n    search stopped, not an estimate",
            name(f),
            f.interval.lo,
            f.interval.hi,
            f.informing
        ))
    } else {
        None
    }
}

/// The report, one line per item.
pub fn report_lines(r: &FitResult, seat_name: &str, points: &[(String, usize)]) -> Vec<String> {
    let mut out = Vec::new();
    let counts = points
        .iter()
        .map(|(what, n)| format!("{n} {what}"))
        .collect::<Vec<_>>()
        .join(", ");
    out.push(format!(
        "{} decisions by {seat_name} ({counts}).",
        r.decisions
    ));
    out.push(String::new());
    out.push(format!(
        "  {:<34} {:>8} {:>8}   {:<18} {:>9}",
        "parameter", "scenario", "fitted", "95 % interval", "decisions"
    ));
    for f in &r.fitted {
        let interval = format!(
            "[{:.3}, {:.3}]{}",
            f.interval.lo,
            f.interval.hi,
            if f.interval.flat() { " flat" } else { "" }
        );
        let default = if f.param.is_some() {
            format!("{:.3}", f.default)
        } else {
            "–".to_string()
        };
        out.push(format!(
            "  {:<34} {:>8} {:>8.3}   {:<18} {:>9}",
            name(f),
            default,
            f.value,
            interval,
            f.informing
        ));
    }
    for k in &r.kept {
        out.push(format!(
            "  {:<34} {:>8.3} {:>8}   not fitted: {}",
            k.param.field(),
            k.value,
            "kept",
            k.why
        ));
    }
    out.push(String::new());
    out.push(
        "Intervals: profile likelihood (the values within χ²₁(0.95)/2 = 1.92 of the".to_string(),
    );
    out.push(
        "maximum log-likelihood, the others re-maximised). \"decisions\": how many".to_string(),
    );
    out.push("choices' likelihoods depend on the parameter.".to_string());
    out.push(String::new());
    let n = r.decisions.max(1) as f64;
    out.push("Goodness of fit (log-likelihood; higher is better):".to_string());
    out.push(format!(
        "  fitted doctrine            {:>10.2}",
        r.log_likelihood
    ));
    out.push(format!(
        "  the scenario's doctrine    {:>10.2}   (its lapse fitted: {:.3})",
        r.default_log_likelihood, r.default_lapse
    ));
    out.push(format!(
        "  a uniform chooser          {:>10.2}",
        r.uniform_log_likelihood
    ));
    out.push(format!(
        "  choices that are the doctrine's most likely option: fitted {} of {} ({:.0} %),\n  the scenario's {} ({:.0} %)",
        r.predicted,
        r.decisions,
        100.0 * r.predicted as f64 / n,
        r.default_predicted,
        100.0 * r.default_predicted as f64 / n
    ));
    let warnings: Vec<String> = r.fitted.iter().filter_map(identified).collect();
    if !warnings.is_empty() {
        out.push(String::new());
        out.push("Warnings:".to_string());
        for w in warnings {
            out.push(format!("  {w}"));
        }
    }
    out
}

/// The scenario with the seat's doctrine fitted, as commented RON that `escalate run` loads.
pub fn scenario_arm(
    r: &FitResult,
    seat: StateId,
    files: &[String],
    original: &str,
) -> Result<String, ron::Error> {
    let mut scenario = r.params.scenario.clone();
    let st = &mut scenario.states[seat];
    for f in &r.fitted {
        if let Some(p) = f.param {
            p.set(st, rounded(f.value));
        }
    }
    // Rounding must not break restraint + escalation ≤ 1.
    let d = &mut st.doctrine;
    if d.restraint + d.escalation > 1.0 {
        d.escalation = 1.0 - d.restraint;
    }
    let seat_name = st.name.clone();
    scenario.name = format!("{} — {seat_name} as the class plays it", scenario.name);
    let mut head = vec![
        format!(
            "// {original}, with {seat_name}'s doctrine fitted by `escalate fit-doctrine` to {} decisions",
            r.decisions
        ),
        format!("// from {}.", files.join(", ")),
        "// Run it like any scenario (`escalate run THIS_FILE`) and compare its arms with the original's:"
            .to_string(),
        "// everything else is the original scenario, resolved.".to_string(),
        "//".to_string(),
        "// Fitted (maximum likelihood; 95 % profile-likelihood interval; scenario's value):".to_string(),
    ];
    for f in r.fitted.iter().filter(|f| f.param.is_some()) {
        head.push(format!(
            "//   {seat_name}.{} = {:.3}  [{:.3}, {:.3}]  (was {:.3}){}",
            name(f),
            rounded(f.value),
            f.interval.lo,
            f.interval.hi,
            f.default,
            if f.interval.flat() {
                "  NOT IDENTIFIED: flat profile"
            } else {
                ""
            }
        ));
    }
    if let Some(lapse) = r.fitted.iter().find(|f| f.param.is_none()) {
        head.push(format!(
            "//   lapse {:.3}: the share of choices the doctrine explains only as random picks (a scenario has no such parameter)",
            lapse.value
        ));
    }
    for k in &r.kept {
        head.push(format!(
            "//   {seat_name}.{} kept at {:.3}: {}",
            k.param.field(),
            k.value,
            k.why
        ));
    }
    head.push(
        "//   The response table (which rung each severity gets) is kept: the fit moves only the numbers above."
            .to_string(),
    );
    let body = resolved_ron(&scenario)?;
    Ok(format!("{}\n{body}", head.join("\n")))
}

/// Every parameter a fit may move, with its field (for help texts).
pub fn fittable_fields() -> Vec<&'static str> {
    Param::ALL.iter().map(|p| p.field()).collect()
}
