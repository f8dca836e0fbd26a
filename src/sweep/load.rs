//! Reading a sweep file: syntax (file, line, column, caret), then meaning, then every point of the
//! design checked against the scenario's own validation, all before any replicate runs.

use super::design::{self, MAX_POINTS, MAX_SOBOL_REPLICATES, Point};
use super::path::{Location, locate, set};
use super::sobol::{MAX_BOOTSTRAP, MIN_BOOTSTRAP, MIN_SOBOL_SAMPLES};
use super::spec::{Design, Sweep, Values};
use crate::error::InputError;
use crate::montecarlo::metrics::{METRICS, MetricId};
use crate::scenario::compile::Compiled;
use crate::scenario::load::{resolved_ron, ron_options, syntax_error};
use crate::scenario::types::with_every_field;
use crate::scenario::validate::{Problem, did_you_mean, validate};
use crate::scenario::{Scenario, parse_scenario};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Points whose problems are listed before the rest are summarised.
const LISTED_BAD_POINTS: usize = 5;

/// A sweep file read and checked: ready to run any point.
#[derive(Debug, Clone)]
pub struct LoadedSweep {
    /// The sweep as written (defaults filled).
    pub spec: Sweep,
    /// How the sweep file is named in messages.
    pub label: String,
    /// The base scenario.
    pub base: Scenario,
    /// Where the base scenario came from.
    pub base_label: String,
    base_json: Value,
    /// Per parameter: the locations it sets, with (scale, offset).
    targets: Vec<Vec<(Location, f64, f64)>>,
    /// Every point of the design, in index order.
    pub points: Vec<Point>,
    /// Indices of the compared arms in the base scenario's compiled arm list.
    pub arms: Vec<usize>,
    /// Names of the compared arms, baseline first.
    pub arm_names: Vec<String>,
    /// The headline outcome.
    pub outcome: MetricId,
    /// SHA-256 of the resolved sweep, the resolved base scenario and the program version: shards and
    /// resumed runs must agree on it.
    pub identity: String,
    /// The resolved sweep file (RON), written beside the results.
    pub resolved: String,
}

fn problem(path: impl Into<String>, message: impl Into<String>) -> Problem {
    Problem {
        path: path.into(),
        message: message.into(),
    }
}

/// A path with a caret under position `at`, for messages.
fn caret(path: &str, at: usize) -> String {
    let before = path.get(..at).unwrap_or(path).chars().count();
    format!("\n        {path}\n        {}^", " ".repeat(before))
}

/// Reads the sweep file at `path`.
pub fn load_sweep(path: &Path, overrides: &Overrides) -> Result<LoadedSweep, InputError> {
    if let Some(name) = path
        .to_str()
        .and_then(|s| s.strip_prefix(crate::scenario::builtin::PREFIX))
        && !path.exists()
    {
        return Err(InputError::Flag {
            flag: crate::scenario::load::shown_path(path),
            message: format!(
                "`builtin:` names a bundled scenario, not a sweep: `escalate run builtin:{name}` runs it, and a sweep file (scenarios/sweeps/*.ron; `escalate sweep --help` shows one) sweeps it with `scenario: \"builtin:{name}\"`",
                name = crate::scenario::text::escape_controls(name)
            ),
        });
    }
    let text = crate::scenario::text::read_input(path)?;
    let base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    parse_sweep(&path.display().to_string(), &text, &base_dir, overrides)
}

/// Settings given on the command line that replace the sweep file's (they are part of the sweep's
/// identity: a resumed run must use the same).
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--seed`.
    pub seed: Option<u64>,
    /// `--replicates`.
    pub replicates: Option<u64>,
    /// `--precision` (width).
    pub precision: Option<f64>,
    /// `--max-replicates` (cap of a precision target).
    pub max_replicates: Option<u64>,
}

/// Default cap of a precision target given only on the command line, in multiples of `replicates`.
const DEFAULT_CAP_FACTOR: u64 = 16;

impl Overrides {
    fn apply(&self, s: &mut Sweep) {
        if let Some(x) = self.seed {
            s.seed = x;
        }
        if let Some(x) = self.replicates {
            s.replicates = x;
        }
        if self.precision.is_some() || self.max_replicates.is_some() {
            let cap = self
                .max_replicates
                .or(s.precision.as_ref().map(|p| p.max_replicates))
                .unwrap_or(s.replicates.saturating_mul(DEFAULT_CAP_FACTOR));
            let width = self
                .precision
                .or(s.precision.as_ref().map(|p| p.width))
                .unwrap_or(f64::INFINITY);
            s.precision = Some(super::spec::Precision {
                width,
                max_replicates: cap,
            });
        }
    }
}

/// Parses and checks sweep text; `base_dir` resolves the relative scenario path.
pub fn parse_sweep(
    label: &str,
    text: &str,
    base_dir: &Path,
    overrides: &Overrides,
) -> Result<LoadedSweep, InputError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut spec: Sweep = ron_options()
        .from_str(text)
        .map_err(|e| syntax_error(label, text, &e))?;
    crate::scenario::load::reject_duplicate_keys(label, text)?;
    overrides.apply(&mut spec);
    let invalid = |problems: Vec<Problem>| {
        let located = crate::scenario::load::locate_problems(text, &problems);
        InputError::Invalid {
            file: label.to_string(),
            problems,
            located,
        }
    };
    let mut problems = check_fields(&spec);

    // The base scenario (its own errors name its own file).
    let (compiled, base_label) = match spec.scenario.strip_prefix(crate::scenario::builtin::PREFIX)
    {
        Some(name) => match crate::scenario::builtin::builtin(name) {
            Ok(text) => (parse_scenario(&spec.scenario, text)?, spec.scenario.clone()),
            Err(e) => {
                let message = match e {
                    InputError::Flag { message, .. } => message,
                    other => other.to_string(),
                };
                problems.push(problem(
                    "scenario",
                    format!("{message}; or give a path relative to the sweep file"),
                ));
                return Err(invalid(problems));
            }
        },
        None => {
            let p: PathBuf = base_dir.join(&spec.scenario);
            let text = std::fs::read_to_string(&p).map_err(|e| {
                invalid(vec![problem(
                    "scenario",
                    format!(
                        "cannot read {} ({e}); the path is relative to the sweep file",
                        p.display()
                    ),
                )])
            })?;
            (
                parse_scenario(&p.display().to_string(), &text)?,
                p.display().to_string(),
            )
        }
    };
    let base = compiled.scenario.clone();
    // Every field, so that parameters a resolved scenario leaves out at their default can be swept.
    let base_json = with_every_field(|| serde_json::to_value(&base))
        .expect("invariant: a scenario serialises to JSON");

    // Arms.
    let all: Vec<&str> = compiled.arms.iter().map(|a| a.name.as_str()).collect();
    let mut arms = Vec::new();
    if spec.arms.is_empty() {
        arms = (0..all.len()).collect();
    }
    for (i, name) in spec.arms.iter().enumerate() {
        match all.iter().position(|a| a == name) {
            Some(k) if arms.contains(&k) => problems.push(problem(
                format!("arms[{i}]"),
                format!("\"{name}\" is listed twice"),
            )),
            Some(k) => arms.push(k),
            None => problems.push(problem(
                format!("arms[{i}]"),
                format!(
                    "the scenario has no arm \"{name}\"{}; its arms are {}",
                    did_you_mean(name, &all)
                        .map(|d| format!(" (did you mean \"{d}\"?)"))
                        .unwrap_or_default(),
                    all.iter()
                        .map(|a| format!("\"{a}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
        }
    }
    let arm_names = arms.iter().map(|&k| all[k].to_string()).collect();

    // Paths.
    let mut targets: Vec<Vec<(Location, f64, f64)>> = Vec::new();
    for (i, par) in spec.parameters.iter().enumerate() {
        let mut locs = Vec::new();
        let entries = par
            .set
            .iter()
            .enumerate()
            .map(|(j, p)| (format!("parameters[{i}].set[{j}]"), p.as_str(), 1.0, 0.0))
            .chain(par.derived.iter().enumerate().map(|(j, d)| {
                (
                    format!("parameters[{i}].derived[{j}].path"),
                    d.path.as_str(),
                    d.scale,
                    d.offset,
                )
            }));
        for (field, p, scale, offset) in entries {
            match locate(&base_json, p) {
                Ok(found) => {
                    for l in found {
                        let taken = |set: &Vec<(Location, f64, f64)>| {
                            set.iter().any(|(o, _, _)| o.display == l.display)
                        };
                        if taken(&locs) || targets.iter().any(taken) {
                            problems.push(problem(
                                field.clone(),
                                format!("`{}` is already set by another path; each number may be swept by one parameter only", l.display),
                            ));
                        }
                        locs.push((l, scale, offset));
                    }
                }
                Err(e) => problems.push(problem(field, format!("{}{}", e.message, caret(p, e.at)))),
            }
        }
        targets.push(locs);
    }
    if !problems.is_empty() {
        return Err(invalid(problems));
    }

    let values: Vec<Values> = spec.parameters.iter().map(|p| p.values.clone()).collect();
    let points = design::points(&spec.design, &values, spec.seed);
    let resolved = resolved_sweep(&spec);
    let base_resolved = resolved_ron(&base).expect("invariant: a valid scenario serialises to RON");
    let mut h = Sha256::new();
    for part in [
        resolved.as_str(),
        base_resolved.as_str(),
        env!("CARGO_PKG_VERSION"),
    ] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    let loaded = LoadedSweep {
        outcome: MetricId::from_key(&spec.outcome).expect("invariant: the outcome was checked"),
        identity: format!("{:x}", h.finalize()),
        resolved,
        spec,
        label: label.to_string(),
        base,
        base_label,
        base_json,
        targets,
        points,
        arms,
        arm_names,
    };

    // Every point must give a valid scenario: values outside a parameter's valid range are caught here.
    let mut bad = Vec::new();
    let mut bad_count = 0usize;
    for (i, _) in loaded.points.iter().enumerate() {
        if let Err(e) = loaded.scenario_at(i) {
            bad_count += 1;
            if bad.len() < LISTED_BAD_POINTS {
                bad.push(e);
            }
        }
    }
    if !bad.is_empty() {
        if bad_count > bad.len() {
            bad.push(problem(
                "design",
                format!(
                    "{} more points are invalid in the same way",
                    bad_count - LISTED_BAD_POINTS
                ),
            ));
        }
        return Err(invalid(bad));
    }
    Ok(loaded)
}

fn check_fields(s: &Sweep) -> Vec<Problem> {
    let mut out = Vec::new();
    if s.name.trim().is_empty() || s.name.contains(['/', '\\']) || s.name.starts_with('.') {
        out.push(problem(
            "name",
            "give a non-empty name without slashes (it names the output folder)",
        ));
    }
    if s.replicates == 0 {
        out.push(problem("replicates", "must be at least 1"));
    }
    if MetricId::from_key(&s.outcome).is_none() {
        let keys: Vec<&str> = METRICS.iter().map(|m| m.key).collect();
        out.push(problem(
            "outcome",
            format!(
                "unknown outcome \"{}\"{}; valid: {}",
                s.outcome,
                did_you_mean(&s.outcome, &keys)
                    .map(|d| format!(" (did you mean \"{d}\"?)"))
                    .unwrap_or_default(),
                keys.join(", ")
            ),
        ));
    }
    if let Some(p) = &s.precision {
        if !(p.width.is_finite() && p.width > 0.0) {
            out.push(problem(
                "precision.width",
                format!(
                    "{} is not a positive width (e.g. 0.02 for ±1 point on a proportion)",
                    p.width
                ),
            ));
        }
        if p.max_replicates < s.replicates {
            out.push(problem(
                "precision.max_replicates",
                format!(
                    "{} is below `replicates` ({}); the cap must be at least the first batch",
                    p.max_replicates, s.replicates
                ),
            ));
        }
    }
    if s.parameters.is_empty() {
        out.push(problem(
            "parameters",
            "list at least one parameter to sweep",
        ));
    }
    for (i, p) in s.parameters.iter().enumerate() {
        let at = format!("parameters[{i}]");
        if p.name.trim().is_empty() {
            out.push(problem(
                format!("{at}.name"),
                "give the parameter a label (it heads a CSV column)",
            ));
        }
        if s.parameters[..i].iter().any(|q| q.name == p.name) {
            out.push(problem(
                format!("{at}.name"),
                format!("\"{}\" names two parameters", p.name),
            ));
        }
        if ["point", "trajectory", "arm", "replicates"].contains(&p.name.as_str())
            || METRICS.iter().any(|m| p.name == m.key)
        {
            out.push(problem(
                format!("{at}.name"),
                format!(
                    "\"{}\" is an output column name; choose another label",
                    p.name
                ),
            ));
        }
        if p.set.is_empty() && p.derived.is_empty() {
            out.push(problem(
                at.clone(),
                "sets nothing: give `set: [\"path\"]` or `derived: [...]`",
            ));
        }
        for (j, d) in p.derived.iter().enumerate() {
            if !(d.scale.is_finite() && d.offset.is_finite()) {
                out.push(problem(
                    format!("{at}.derived[{j}]"),
                    "scale and offset must be finite numbers",
                ));
            }
        }
        match &p.values {
            Values::Range { min, max, levels } => {
                if !(min.is_finite() && max.is_finite()) || min > max {
                    out.push(problem(
                        format!("{at}.values"),
                        format!(
                            "Range(min: {min}, max: {max}) is empty: min must be ≤ max, both finite"
                        ),
                    ));
                }
                if matches!(s.design, Design::Grid) && *levels < 2 && min != max {
                    out.push(problem(
                        format!("{at}.values.levels"),
                        format!(
                            "{levels} level{} cannot span {min} to {max}; a grid needs at least 2",
                            if *levels == 1 { "" } else { "s" }
                        ),
                    ));
                }
            }
            Values::List(xs) => {
                if xs.is_empty() {
                    out.push(problem(
                        format!("{at}.values"),
                        "the list is empty; give at least one value",
                    ));
                }
                if let Some(x) = xs.iter().find(|x| !x.is_finite()) {
                    out.push(problem(
                        format!("{at}.values"),
                        format!("{x} is not a finite number"),
                    ));
                }
            }
        }
    }
    match &s.design {
        Design::Grid => {}
        Design::LatinHypercube { samples } => {
            if *samples == 0 {
                out.push(problem(
                    "design.samples",
                    "the design is empty: give at least 1 sample",
                ));
            }
        }
        Design::Morris {
            trajectories,
            levels,
        } => {
            if *trajectories == 0 {
                out.push(problem(
                    "design.trajectories",
                    "the design is empty: give at least 1 trajectory (10–50 is usual)",
                ));
            }
            if *levels < 2 || levels % 2 == 1 {
                out.push(problem(
                    "design.levels",
                    format!("{levels} levels: Morris needs an even number ≥ 2 (4 is usual)"),
                ));
            }
        }
        Design::Sobol { samples, bootstrap } => {
            if *samples < MIN_SOBOL_SAMPLES {
                out.push(problem(
                    "design.samples",
                    format!(
                        "{samples} base rows: Sobol' indices need at least {MIN_SOBOL_SAMPLES} (64–512 is usual; the intervals shrink as 1/√N)"
                    ),
                ));
            }
            if !(MIN_BOOTSTRAP..=MAX_BOOTSTRAP).contains(bootstrap) {
                out.push(problem(
                    "design.bootstrap",
                    format!(
                        "{bootstrap} resamples: give {MIN_BOOTSTRAP} to {MAX_BOOTSTRAP} (1000 is usual; fewer make the 95 % interval's ends noisy)"
                    ),
                ));
            }
        }
    }
    if out.is_empty() {
        let values: Vec<Values> = s.parameters.iter().map(|p| p.values.clone()).collect();
        match design::point_count(&s.design, &values) {
            Some(0) => out.push(problem("design", "the design has no points")),
            Some(n) if n <= MAX_POINTS => {
                if let Some(p) = sobol_work(s, n) {
                    out.push(p);
                }
            }
            n => out.push(problem(
                "design",
                format!("{} points is more than the {MAX_POINTS} accepted; use fewer levels or a Latin hypercube", n.map_or("an overflowing number of".to_string(), |n| n.to_string())),
            )),
        }
    }
    out
}

/// A Sobol' design's work, N × (k + 2) points × replicates (at the precision cap), refused above
/// [`MAX_SOBOL_REPLICATES`] before anything runs, with the arithmetic spelled out.
fn sobol_work(s: &Sweep, points: u64) -> Option<Problem> {
    let Design::Sobol { samples, .. } = s.design else {
        return None;
    };
    let replicates = s
        .precision
        .as_ref()
        .map_or(s.replicates, |p| p.max_replicates.max(s.replicates));
    let total = points.checked_mul(replicates);
    if total.is_some_and(|t| t <= MAX_SOBOL_REPLICATES) {
        return None;
    }
    let k = s.parameters.len();
    Some(problem(
        "design.samples",
        format!(
            "Sobol(samples: {samples}) over {k} parameter{} is {samples} × ({k} + 2) = {points} points × {replicates} replicates{} = {} replicates per arm, more than the {MAX_SOBOL_REPLICATES} accepted; use fewer samples, replicates or parameters (screen with Morris first)",
            if k == 1 { "" } else { "s" },
            if s.precision.is_some() {
                " (the precision cap)"
            } else {
                ""
            },
            total.map_or("an overflowing number of".to_string(), |t| t.to_string()),
        ),
    ))
}

/// The sweep serialised back to RON with every default filled in.
fn resolved_sweep(s: &Sweep) -> String {
    let cfg = ron::ser::PrettyConfig::new()
        .depth_limit(4)
        .struct_names(true);
    let body = ron_options()
        .to_string_pretty(s, cfg)
        .expect("invariant: a sweep serialises to RON");
    format!(
        "// {} resolved by escalate {}: every default filled in.\n{body}\n",
        s.name,
        env!("CARGO_PKG_VERSION")
    )
}

impl LoadedSweep {
    /// The scenario at point `i`, validated and compiled with every arm; a problem names the point,
    /// the parameters and the field. Every point is checked this way when the sweep is loaded.
    pub fn scenario_at(&self, i: usize) -> Result<Compiled, Problem> {
        let s = self.build_at(i)?;
        validate(&s).map_err(|problems| {
            let p = &problems[0];
            problem(
                self.point_label(i),
                format!("makes the scenario invalid: {}: {}", p.path, p.message),
            )
        })
    }

    /// The compiled scenario at point `i`, restricted to the compared arms (baseline first).
    /// Compiling is validating (names are resolved in the same pass), so a point is checked again
    /// when it runs; keeping every point's compiled scenario from the load instead would make
    /// memory grow with the design.
    pub fn compiled_at(&self, i: usize) -> Result<Compiled, Problem> {
        let mut c = self.scenario_at(i)?;
        c.arms = self.arms.iter().map(|&k| c.arms[k].clone()).collect();
        Ok(c)
    }

    /// The base scenario with point `i`'s values set.
    fn build_at(&self, i: usize) -> Result<Scenario, Problem> {
        let point = &self.points[i];
        let mut v = self.base_json.clone();
        for (locs, x) in self.targets.iter().zip(&point.values) {
            for (loc, scale, offset) in locs {
                set(&mut v, loc, offset + scale * x);
            }
        }
        serde_json::from_value(v).map_err(|e| {
            problem(
                self.point_label(i),
                format!("a value does not fit its field: {e}"),
            )
        })
    }

    /// "design point I (p = x, q = y)", for messages.
    fn point_label(&self, i: usize) -> String {
        let settings = self
            .spec
            .parameters
            .iter()
            .zip(&self.points[i].values)
            .map(|(p, x)| format!("{} = {x}", p.name))
            .collect::<Vec<_>>()
            .join(", ");
        format!("design point {i} ({settings})")
    }

    /// Parameter labels, in order.
    pub fn parameter_names(&self) -> Vec<String> {
        self.spec
            .parameters
            .iter()
            .map(|p| p.name.clone())
            .collect()
    }

    /// The concrete scenario places each parameter sets, for captions (a derived place as a
    /// person writes it: "14.5 − 14.5 × x", not "14.5 + -14.5 × x").
    pub fn parameter_paths(&self) -> Vec<Vec<String>> {
        self.spec
            .parameters
            .iter()
            .map(|p| {
                p.set
                    .iter()
                    .cloned()
                    .chain(
                        p.derived
                            .iter()
                            .map(|d| format!("{} = {}", d.path, linear_formula(d.offset, d.scale))),
                    )
                    .collect()
            })
            .collect()
    }
}

/// `offset + scale × x` as a person writes it: no "+ -", a real minus sign, no "0 +" or "1 ×".
fn linear_formula(offset: f64, scale: f64) -> String {
    let term = if scale.abs() == 1.0 {
        "x".to_string()
    } else {
        format!("{} × x", scale.abs())
    };
    match (offset == 0.0, scale < 0.0) {
        (true, false) => term,
        (true, true) => format!("−{term}"),
        (false, false) => format!("{} + {term}", signed_number(offset)),
        (false, true) => format!("{} − {term}", signed_number(offset)),
    }
}

fn signed_number(v: f64) -> String {
    if v < 0.0 {
        format!("−{}", -v)
    } else {
        format!("{v}")
    }
}

#[cfg(test)]
mod formula_tests {
    use super::linear_formula;

    #[test]
    fn derived_places_read_as_a_person_writes_them() {
        assert_eq!(linear_formula(14.5, -14.5), "14.5 − 14.5 × x");
        assert_eq!(linear_formula(1.0, 2.0), "1 + 2 × x");
        assert_eq!(linear_formula(0.0, 1.0), "x");
        assert_eq!(linear_formula(0.0, -1.0), "−x");
        assert_eq!(linear_formula(-0.5, 1.0), "−0.5 + x");
    }
}
