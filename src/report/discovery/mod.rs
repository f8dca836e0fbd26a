//! Scenario discovery over a sweep: where in parameter space does a condition on the results hold?
//! PRIM ([`prim`]) finds a box of parameter values where the condition ([`condition`]) holds at
//! most points; [`Discovery`] is what `escalate discover` writes (`discovery.json`) and reads back.

pub mod condition;
pub mod prim;

use prim::{PrimBox, PrimResult, PrimSettings, restriction_p_value};
use serde::{Deserialize, Serialize};

/// The format of `discovery.json`.
pub const DISCOVERY_FORMAT: &str = "escalate-discovery-1";

/// The points of a sweep as PRIM sees them.
#[derive(Debug, Clone)]
pub struct Cases {
    /// Parameter labels (the sweep's), one per column of `x`.
    pub parameters: Vec<String>,
    /// Parameter values, one row per point.
    pub x: Vec<Vec<f64>>,
    /// Whether the condition holds at each point.
    pub y: Vec<bool>,
}

/// The result of `escalate discover`, as written to `discovery.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Discovery {
    /// Always [`DISCOVERY_FORMAT`].
    pub format: String,
    /// The sweep's name.
    pub sweep: String,
    /// The condition, as given to `--where`.
    pub condition: String,
    /// The arm whose rows the condition reads.
    pub arm: String,
    /// Peeling fraction, smallest box and density threshold used.
    pub alpha: f64,
    pub min_mass: f64,
    pub threshold: f64,
    /// Points of the sweep, and points where the condition holds.
    pub points: usize,
    pub cases: usize,
    /// Whether the chosen box reaches the density threshold (otherwise it is the densest box).
    pub reaches_threshold: bool,
    /// The step of the peeling trajectory chosen (before pasting).
    pub chosen_step: usize,
    /// The chosen box after pasting.
    #[serde(rename = "box")]
    pub found: FoundBox,
    /// The peeling trajectory, from the whole space.
    pub trajectory: Vec<Step>,
    /// The finding in one sentence.
    pub sentence: String,
}

/// The chosen box.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FoundBox {
    pub coverage: f64,
    pub density: f64,
    /// Points in the box, and cases among them.
    pub mass: usize,
    pub cases: usize,
    /// One entry per parameter of the sweep.
    pub limits: Vec<Limit>,
}

/// A parameter's limits in the box.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limit {
    pub parameter: String,
    /// Lowest and highest value the box keeps.
    pub lo: f64,
    pub hi: f64,
    /// Lowest and highest value swept.
    pub range_lo: f64,
    pub range_hi: f64,
    /// Whether the box restricts this parameter.
    pub restricted: bool,
    /// For a restricted parameter: the one-sided binomial p-value that the box would be as dense
    /// without this restriction (high: the restriction adds little).
    pub p_value: Option<f64>,
}

/// One box of the peeling trajectory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub step: usize,
    pub mass: usize,
    pub cases: usize,
    pub coverage: f64,
    pub density: f64,
    /// Number of parameters the box restricts.
    pub restricted: usize,
    /// The box's lowest and highest value per parameter (in the sweep's parameter order).
    pub lo: Vec<f64>,
    pub hi: Vec<f64>,
}

/// Why no discovery can be made.
#[derive(Debug, Clone, PartialEq)]
pub enum NoDiscovery {
    NoPoints,
    NoCases,
    EveryPoint,
}

/// Runs PRIM on `cases` and describes the result.
pub fn discover(
    cases: &Cases,
    settings: PrimSettings,
    sweep: &str,
    condition: &str,
    arm: &str,
) -> Result<Discovery, NoDiscovery> {
    if cases.x.is_empty() {
        return Err(NoDiscovery::NoPoints);
    }
    if cases.y.iter().all(|&c| c) {
        return Err(NoDiscovery::EveryPoint);
    }
    let r = prim::prim(&cases.x, &cases.y, settings).ok_or(NoDiscovery::NoCases)?;
    let found = found_box(cases, &r);
    let sentence = sentence(&r, &found, condition, arm, settings.threshold);
    Ok(Discovery {
        format: DISCOVERY_FORMAT.into(),
        sweep: sweep.into(),
        condition: condition.into(),
        arm: arm.into(),
        alpha: settings.alpha,
        min_mass: settings.min_mass,
        threshold: settings.threshold,
        points: r.points,
        cases: r.cases,
        reaches_threshold: r.reaches_threshold,
        chosen_step: r.chosen,
        found,
        trajectory: r.trajectory.iter().map(step).collect(),
        sentence,
    })
}

fn step(b: &PrimBox) -> Step {
    Step {
        step: b.step,
        mass: b.mass,
        cases: b.cases,
        coverage: b.coverage,
        density: b.density,
        restricted: b.restricted.len(),
        lo: b.limits.lo.clone(),
        hi: b.limits.hi.clone(),
    }
}

fn found_box(cases: &Cases, r: &PrimResult) -> FoundBox {
    let b = &r.pasted;
    FoundBox {
        coverage: b.coverage,
        density: b.density,
        mass: b.mass,
        cases: b.cases,
        limits: cases
            .parameters
            .iter()
            .enumerate()
            .map(|(j, name)| {
                let restricted = b.restricted.contains(&j);
                Limit {
                    parameter: name.clone(),
                    lo: b.limits.lo[j],
                    hi: b.limits.hi[j],
                    range_lo: r.range.lo[j],
                    range_hi: r.range.hi[j],
                    restricted,
                    p_value: restricted
                        .then(|| restriction_p_value(&cases.x, &cases.y, b, &r.range, j)),
                }
            })
            .collect(),
    }
}

/// A number as a person reads it: at most 3 decimals, no trailing zeros.
pub fn fmt_number(v: f64) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// The box's limit on one parameter without its name: "≤ 0.25", "≥ 0.5", "= 0", "0.3 to 0.7";
/// `None` when the box does not restrict it.
pub fn relation(l: &Limit) -> Option<String> {
    let low = l.lo > l.range_lo;
    let high = l.hi < l.range_hi;
    match (low, high) {
        (false, false) => None,
        _ if l.lo == l.hi => Some(format!("= {}", fmt_number(l.lo))),
        (true, true) => Some(format!("{} to {}", fmt_number(l.lo), fmt_number(l.hi))),
        (true, false) => Some(format!("≥ {}", fmt_number(l.lo))),
        (false, true) => Some(format!("≤ {}", fmt_number(l.hi))),
    }
}

/// "hotline reliability ≤ 0.25", "0.3 ≤ attribution skill ≤ 0.7".
pub fn limit_phrase(l: &Limit) -> String {
    match relation(l) {
        None => format!("{} anywhere", l.parameter),
        Some(_) if l.lo > l.range_lo && l.hi < l.range_hi && l.lo != l.hi => format!(
            "{} ≤ {} ≤ {}",
            fmt_number(l.lo),
            l.parameter,
            fmt_number(l.hi)
        ),
        Some(r) => format!("{} {r}", l.parameter),
    }
}

fn percent(x: f64) -> String {
    format!("{:.0} %", 100.0 * x)
}

fn sentence(
    r: &PrimResult,
    found: &FoundBox,
    condition: &str,
    arm: &str,
    threshold: f64,
) -> String {
    let head = format!(
        "`{condition}` (arm \"{arm}\") holds at {} of {} points ({}).",
        r.cases,
        r.points,
        percent(r.cases as f64 / r.points as f64)
    );
    let restricted: Vec<String> = found
        .limits
        .iter()
        .filter(|l| l.restricted)
        .map(limit_phrase)
        .collect();
    if restricted.is_empty() {
        return format!(
            "{head} No box of parameter values holds it more densely than the whole space does."
        );
    }
    let caveat = if r.reaches_threshold {
        String::new()
    } else {
        format!(
            " No box reaches the density threshold of {}; this is the densest one found.",
            percent(threshold)
        )
    };
    format!(
        "{head} It holds mostly where {}: at {} of the points in that box (density), which hold {} of the points where it holds (coverage).{caveat}",
        restricted.join(" and "),
        percent(found.density),
        percent(found.coverage),
    )
}

/// `discovery.md`: the sentence, the box, the trajectory, and how to read them.
pub fn markdown(d: &Discovery) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(s, "# Scenario discovery: where `{}` holds\n", d.condition);
    let _ = writeln!(s, "Sweep **{}**, arm \"{}\".\n", d.sweep, d.arm);
    let _ = writeln!(s, "{}\n", d.sentence);
    let _ = writeln!(s, "## The box\n");
    let _ = writeln!(
        s,
        "| parameter | in the box | swept | restricted | p-value of the restriction |"
    );
    let _ = writeln!(s, "|---|---|---|---|---|");
    for l in &d.found.limits {
        let _ = writeln!(
            s,
            "| {} | {} – {} | {} – {} | {} | {} |",
            l.parameter,
            fmt_number(l.lo),
            fmt_number(l.hi),
            fmt_number(l.range_lo),
            fmt_number(l.range_hi),
            if l.restricted { "yes" } else { "no" },
            l.p_value.map_or("".into(), |p| format!("{p:.2e}"))
        );
    }
    let _ = writeln!(
        s,
        "\nCoverage {} ({} of the {} points where the condition holds are in the box); density {} ({} of the box's {} points).\n",
        percent(d.found.coverage),
        d.found.cases,
        d.cases,
        percent(d.found.density),
        d.found.cases,
        d.found.mass
    );
    let _ = writeln!(s, "## The peeling trajectory\n");
    let _ = writeln!(
        s,
        "PRIM (Friedman and Fisher 1999) peels the box down from the whole space, {} of its points at a time, keeping the densest box, down to {} of all points. Each step trades coverage for density; the chosen box (step {}) is the one of highest coverage with density ≥ {}, then widened (pasted) where that raises its density. `trajectory.csv` holds every step with its limits; `discovery.png` draws them.\n",
        percent(d.alpha),
        percent(d.min_mass),
        d.chosen_step,
        percent(d.threshold)
    );
    let _ = writeln!(
        s,
        "| step | points | coverage | density | restricted parameters |"
    );
    let _ = writeln!(s, "|---|---|---|---|---|");
    for t in &d.trajectory {
        let _ = writeln!(
            s,
            "| {}{} | {} | {} | {} | {} |",
            t.step,
            if t.step == d.chosen_step {
                " (chosen)"
            } else {
                ""
            },
            t.mass,
            percent(t.coverage),
            percent(t.density),
            t.restricted
        );
    }
    let _ = writeln!(s, "\n## How to read it\n");
    let _ = writeln!(
        s,
        "- The condition is evaluated on each point's estimates, which carry Monte Carlo error: a point near the boundary can fall on either side by chance. To ask for a difference that is clear of that error, put the interval's bound in the condition (e.g. `diff_kinetic_lo > 0` for \"clearly raises\", `diff_kinetic_hi >= 0` for \"not clearly lowers\")."
    );
    let _ = writeln!(
        s,
        "- The p-value of a restriction is the chance, were the box as dense as it is without that restriction, of seeing at least this many cases in it (a binomial tail): a high value says the restriction adds little and the box could drop it."
    );
    let _ = writeln!(
        s,
        "- The box describes the points of this sweep: it says nothing about values outside the ranges swept, and on a grid its limits can only fall on the grid's levels."
    );
    s
}

/// `trajectory.csv`: one row per step, with the box's limits per parameter.
pub fn trajectory_csv(d: &Discovery) -> String {
    use std::fmt::Write;
    let mut s = String::from("step,points,cases,coverage,density,restricted");
    for l in &d.found.limits {
        let _ = write!(
            s,
            ",{},{}",
            csv_name(&l.parameter, "_lo"),
            csv_name(&l.parameter, "_hi")
        );
    }
    s.push('\n');
    for t in &d.trajectory {
        let _ = write!(
            s,
            "{},{},{},{},{},{}",
            t.step, t.mass, t.cases, t.coverage, t.density, t.restricted
        );
        for (lo, hi) in t.lo.iter().zip(&t.hi) {
            let _ = write!(s, ",{lo},{hi}");
        }
        s.push('\n');
    }
    s
}

/// A column name `NAME_SUFFIX`, quoted when the name needs it.
fn csv_name(name: &str, suffix: &str) -> String {
    let s = format!("{name}{suffix}");
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid_cases() -> Cases {
        // 5 × 5 grid; the condition holds where reliability ≤ 0.25 and skill ≥ 0.5.
        let mut x = Vec::new();
        for a in 0..5 {
            for b in 0..5 {
                x.push(vec![a as f64 / 4.0, b as f64 / 4.0]);
            }
        }
        let y = x.iter().map(|p| p[0] <= 0.25 && p[1] >= 0.5).collect();
        Cases {
            parameters: vec!["hotline reliability".into(), "attribution skill".into()],
            x,
            y,
        }
    }

    #[test]
    fn the_sentence_names_the_box_with_its_coverage_and_density() {
        let d = discover(
            &grid_cases(),
            PrimSettings::default(),
            "s",
            "diff_kinetic >= 0",
            "with channels",
        )
        .unwrap();
        assert_eq!(
            d.sentence,
            "`diff_kinetic >= 0` (arm \"with channels\") holds at 6 of 25 points (24 %). It holds mostly where hotline reliability ≤ 0.25 and attribution skill ≥ 0.5: at 100 % of the points in that box (density), which hold 100 % of the points where it holds (coverage)."
        );
        assert!(d.reaches_threshold);
        let md = markdown(&d);
        assert!(
            md.contains("| hotline reliability | 0 – 0.25 | 0 – 1 | yes |"),
            "{md}"
        );
        let json = serde_json::to_string(&d).unwrap();
        assert_eq!(serde_json::from_str::<Discovery>(&json).unwrap(), d);
    }

    #[test]
    fn a_condition_everywhere_or_nowhere_has_no_box() {
        let mut c = grid_cases();
        c.y = vec![true; 25];
        assert_eq!(
            discover(&c, PrimSettings::default(), "s", "x", "a"),
            Err(NoDiscovery::EveryPoint)
        );
        c.y = vec![false; 25];
        assert_eq!(
            discover(&c, PrimSettings::default(), "s", "x", "a"),
            Err(NoDiscovery::NoCases)
        );
    }

    #[test]
    fn limits_read_as_a_person_writes_them() {
        let l = |lo, hi| Limit {
            parameter: "p".into(),
            lo,
            hi,
            range_lo: 0.0,
            range_hi: 1.0,
            restricted: true,
            p_value: None,
        };
        assert_eq!(limit_phrase(&l(0.0, 0.3)), "p ≤ 0.3");
        assert_eq!(limit_phrase(&l(0.25, 1.0)), "p ≥ 0.25");
        assert_eq!(limit_phrase(&l(0.2, 0.7)), "0.2 ≤ p ≤ 0.7");
        assert_eq!(limit_phrase(&l(0.5, 0.5)), "p = 0.5");
        assert_eq!(limit_phrase(&l(0.0, 0.0)), "p = 0");
        assert_eq!(fmt_number(0.123456), "0.123");
        assert_eq!(fmt_number(-0.0001), "0");
    }
}
