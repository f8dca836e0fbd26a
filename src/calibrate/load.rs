//! Reading a calibration file: syntax (file, line, column, caret), then meaning (every problem with
//! its field path and place in the file), then every prior's bounds checked against the scenario's
//! own validation, all before anything is simulated.

use super::prior::MIN_NORMAL_MASS;
use super::spec::{Calibration, Distribution};
use super::statistics::Measure;
use crate::error::{InputError, Problem};
use crate::scenario::Scenario;
use crate::scenario::compile::Compiled;
use crate::scenario::load::{ron_options, syntax_error};
use crate::scenario::types::with_every_field;
use crate::scenario::validate::{did_you_mean, validate};
use crate::sweep::path::{Location, locate, set};
use serde_json::Value;
use std::path::Path;

/// Settings given on the command line that replace the calibration file's.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--seed`.
    pub seed: Option<u64>,
    /// `--replicates`.
    pub replicates: Option<u64>,
    /// `--population`.
    pub population: Option<usize>,
    /// `--max-generations`.
    pub max_generations: Option<u32>,
}

/// A calibration file read and checked against its scenario: ready to simulate any parameter vector.
#[derive(Debug, Clone)]
pub struct LoadedCalibration {
    /// The file as written, defaults and overrides filled in.
    pub spec: Calibration,
    /// How the file is named in messages.
    pub label: String,
    /// The scenario's name.
    pub scenario: String,
    /// The calibrated arm's name.
    pub arm_name: String,
    arm: usize,
    base_json: Value,
    locations: Vec<Vec<Location>>,
    /// The targets' statistics, resolved, in file order.
    pub measures: Vec<Measure>,
    /// States of the scenario.
    pub states: usize,
}

fn problem(path: impl Into<String>, message: impl Into<String>) -> Problem {
    Problem {
        path: path.into(),
        message: message.into(),
    }
}

/// Reads the calibration file at `path` for the scenario `base`.
pub fn load_calibration(
    path: &Path,
    base: &Compiled,
    overrides: &Overrides,
) -> Result<LoadedCalibration, InputError> {
    let text = crate::scenario::text::read_input(path)?;
    parse_calibration(&path.display().to_string(), &text, base, overrides)
}

/// Parses and checks calibration text for the scenario `base`.
pub fn parse_calibration(
    label: &str,
    text: &str,
    base: &Compiled,
    overrides: &Overrides,
) -> Result<LoadedCalibration, InputError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut spec: Calibration = ron_options()
        .from_str(text)
        .map_err(|e| syntax_error(label, text, &e))?;
    crate::scenario::load::reject_duplicate_keys(label, text)?;
    if let Some(x) = overrides.seed {
        spec.seed = x;
    }
    if let Some(x) = overrides.replicates {
        spec.replicates = x;
    }
    if let Some(x) = overrides.population {
        spec.population = x;
    }
    if let Some(x) = overrides.max_generations {
        spec.max_generations = x;
    }
    let invalid = |problems: Vec<Problem>| {
        let located = crate::scenario::load::locate_problems(text, &problems);
        InputError::Invalid {
            file: label.to_string(),
            problems,
            located,
        }
    };
    let mut problems = check_settings(&spec);

    let base_scenario = base.scenario.clone();
    let base_json = with_every_field(|| serde_json::to_value(&base_scenario))
        .expect("invariant: a scenario serialises to JSON");

    // The arm.
    let arms: Vec<&str> = base.arms.iter().map(|a| a.name.as_str()).collect();
    let arm = match &spec.arm {
        None => 0,
        Some(name) => arms.iter().position(|a| a == name).unwrap_or_else(|| {
            problems.push(problem(
                "arm",
                format!(
                    "the scenario has no arm \"{name}\"{}; its arms are {}",
                    did_you_mean(name, &arms)
                        .map(|d| format!(" (did you mean \"{d}\"?)"))
                        .unwrap_or_default(),
                    arms.iter()
                        .map(|a| format!("\"{a}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
            0
        }),
    };

    // Priors: names, distributions, paths.
    let mut locations: Vec<Vec<Location>> = Vec::new();
    for (i, p) in spec.priors.iter().enumerate() {
        if p.name.trim().is_empty() {
            problems.push(problem(
                format!("priors[{i}].name"),
                "give the parameter a name",
            ));
        } else if spec.priors[..i].iter().any(|q| q.name == p.name) {
            problems.push(problem(
                format!("priors[{i}].name"),
                format!(
                    "\"{}\" names another prior too; give each its own name",
                    p.name
                ),
            ));
        }
        problems.extend(check_distribution(
            &p.distribution,
            &format!("priors[{i}].distribution"),
        ));
        if p.set.is_empty() {
            problems.push(problem(
                format!("priors[{i}].set"),
                "name at least one scenario path, e.g. \"campaigns[RUS->US].rate_per_year\"",
            ));
        }
        let mut locs = Vec::new();
        for (j, path) in p.set.iter().enumerate() {
            let field = format!("priors[{i}].set[{j}]");
            match locate(&base_json, path) {
                Ok(found) => {
                    for l in found {
                        let taken = |v: &Vec<Location>| v.iter().any(|o| o.display == l.display);
                        if taken(&locs) || locations.iter().any(taken) {
                            problems.push(problem(
                                field.clone(),
                                format!("`{}` is already set by another path; each number may have one prior only", l.display),
                            ));
                        }
                        locs.push(l);
                    }
                }
                Err(e) => problems.push(problem(
                    field,
                    format!(
                        "{}\n        {path}\n        {}^",
                        e.message,
                        " ".repeat(path.get(..e.at).unwrap_or(path).chars().count())
                    ),
                )),
            }
        }
        locations.push(locs);
    }

    // Targets.
    let state_names: Vec<&str> = base.states.iter().map(|s| s.name.as_str()).collect();
    let mut measures = Vec::new();
    for (i, t) in spec.targets.iter().enumerate() {
        match t.statistic.resolve(&state_names) {
            Ok(m) => measures.push(m),
            Err((field, message)) => {
                problems.push(problem(format!("targets[{i}].statistic.{field}"), message))
            }
        }
        if !t.observed.is_finite() {
            problems.push(problem(
                format!("targets[{i}].observed"),
                "must be a finite number",
            ));
        }
        if let Some(s) = t.scale
            && !(s.is_finite() && s > 0.0)
        {
            problems.push(problem(
                format!("targets[{i}].scale"),
                format!("{s} is not a positive scale; give the statistic's standard error, or leave it out to use the prior predictive spread"),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(invalid(problems));
    }

    let loaded = LoadedCalibration {
        label: label.to_string(),
        scenario: base.scenario.name.clone(),
        arm_name: arms[arm].to_string(),
        arm,
        base_json,
        locations,
        measures,
        states: base.states.len(),
        spec,
    };
    // Each prior's bounds (the others at the scenario's values) must give a valid scenario.
    let mut bad = Vec::new();
    let base_values: Vec<Option<f64>> = vec![None; loaded.spec.priors.len()];
    for (i, p) in loaded.spec.priors.iter().enumerate() {
        let (lo, hi) = p.distribution.bounds();
        for (x, end) in [(lo, "min"), (hi, "max")] {
            let mut v = base_values.clone();
            v[i] = Some(x);
            if let Err(e) = loaded.build(&v) {
                bad.push(problem(
                    format!("priors[{i}].distribution.{end}"),
                    format!("at {x} the scenario is invalid: {}: {}", e.path, e.message),
                ));
            }
        }
    }
    if !bad.is_empty() {
        return Err(invalid(bad));
    }
    Ok(loaded)
}

fn check_settings(s: &Calibration) -> Vec<Problem> {
    let mut out = Vec::new();
    if s.name.trim().is_empty() || s.name.contains(['/', '\\']) || s.name.starts_with('.') {
        out.push(problem(
            "name",
            "give a non-empty name without slashes (it names the output folder)",
        ));
    }
    if s.replicates == 0 {
        out.push(problem(
            "replicates",
            "must be at least 1 (a few hundred is usual)",
        ));
    }
    if s.population < 10 {
        out.push(problem(
            "population",
            format!("{} particles are too few for a weighted covariance and quantiles; use at least 10 (200 is usual)", s.population),
        ));
    }
    if !(s.alpha.is_finite() && s.alpha > 0.0 && s.alpha < 1.0) {
        out.push(problem(
            "alpha",
            format!(
                "{} is not a quantile strictly between 0 and 1 (0.5 is usual)",
                s.alpha
            ),
        ));
    }
    if !(s.min_acceptance.is_finite() && s.min_acceptance > 0.0 && s.min_acceptance <= 1.0) {
        out.push(problem(
            "min_acceptance",
            format!(
                "{} is not a share above 0 and at most 1 (e.g. 0.02)",
                s.min_acceptance
            ),
        ));
    }
    if s.max_generations == 0 {
        out.push(problem(
            "max_generations",
            "must be at least 1 (generation 0 samples the prior)",
        ));
    }
    if s.priors.is_empty() {
        out.push(problem(
            "priors",
            "name at least one uncertain parameter with its prior",
        ));
    }
    if s.targets.is_empty() {
        out.push(problem("targets", "name at least one target statistic"));
    }
    out
}

fn check_distribution(d: &Distribution, at: &str) -> Vec<Problem> {
    let mut out = Vec::new();
    let (lo, hi) = d.bounds();
    if !(lo.is_finite() && hi.is_finite() && lo < hi) {
        out.push(problem(
            format!("{at}.max"),
            format!("the bounds must be finite with min < max (min {lo}, max {hi})"),
        ));
        return out;
    }
    match *d {
        Distribution::Uniform { .. } => {}
        Distribution::LogUniform { min, .. } => {
            if min <= 0.0 {
                out.push(problem(
                    format!("{at}.min"),
                    format!("{min}: a log-uniform prior needs min > 0"),
                ));
            }
        }
        Distribution::Beta { alpha, beta, .. } => {
            for (v, f) in [(alpha, "alpha"), (beta, "beta")] {
                if !(v.is_finite() && v > 0.0) {
                    out.push(problem(
                        format!("{at}.{f}"),
                        format!("{v} is not a positive shape"),
                    ));
                }
            }
        }
        Distribution::Normal { mean, sd, min, max } => {
            if !(sd.is_finite() && sd > 0.0) {
                out.push(problem(
                    format!("{at}.sd"),
                    format!("{sd} is not a positive standard deviation"),
                ));
            } else if !mean.is_finite() {
                out.push(problem(format!("{at}.mean"), "must be a finite number"));
            } else {
                let mass = super::prior::normal_cdf((max - mean) / sd)
                    - super::prior::normal_cdf((min - mean) / sd);
                if mass < MIN_NORMAL_MASS {
                    out.push(problem(
                        format!("{at}.mean"),
                        format!("[{min}, {max}] keeps {mass:.1e} of normal({mean}, sd {sd}): move the mean or widen the bounds"),
                    ));
                }
            }
        }
    }
    out
}

impl LoadedCalibration {
    /// Parameter names, in order.
    pub fn names(&self) -> Vec<String> {
        self.spec.priors.iter().map(|p| p.name.clone()).collect()
    }

    /// The prior distributions, in order.
    pub fn priors(&self) -> Vec<Distribution> {
        self.spec.priors.iter().map(|p| p.distribution).collect()
    }

    /// The scenario's own value of each parameter (of its first path).
    pub fn scenario_values(&self) -> Vec<f64> {
        self.locations
            .iter()
            .map(|locs| {
                locs.first()
                    .map_or(f64::NAN, |l| value_at(&self.base_json, l))
            })
            .collect()
    }

    fn build(&self, values: &[Option<f64>]) -> Result<Compiled, Problem> {
        let mut v = self.base_json.clone();
        for (locs, x) in self.locations.iter().zip(values) {
            if let Some(x) = x {
                for l in locs {
                    set(&mut v, l, *x);
                }
            }
        }
        let s: Scenario = serde_json::from_value(v)
            .map_err(|e| problem("parameters", format!("a value does not fit its field: {e}")))?;
        validate(&s).map_err(|problems| problems[0].clone())
    }

    /// The compiled scenario with the parameters at `theta`, every arm kept (a run under the
    /// posterior).
    pub fn scenario_at(&self, theta: &[f64]) -> Result<Compiled, Problem> {
        let values: Vec<Option<f64>> = theta.iter().map(|x| Some(*x)).collect();
        self.build(&values)
    }

    /// SHA-256 of the scenario with every calibrated number set to 0 and the run settings left out
    /// (name, description, seeds, replicates), every other field written out: two scenarios share
    /// it when their models differ at most in the values the calibration draws, so a posterior
    /// applies to the model it was calibrated on, whatever values the scenario now holds there.
    pub fn scenario_fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut v = self.base_json.clone();
        for l in self.locations.iter().flatten() {
            set(&mut v, l, 0.0);
        }
        if let Some(top) = v.as_object_mut() {
            for key in RUN_SETTINGS {
                top.remove(*key);
            }
        }
        let text = serde_json::to_string(&v).expect("invariant: JSON values serialise");
        format!("{:x}", Sha256::digest(text.as_bytes()))
    }

    /// The compiled scenario with the parameters at `theta`, reduced to the calibrated arm.
    pub fn compiled_at(&self, theta: &[f64]) -> Result<Compiled, Problem> {
        let values: Vec<Option<f64>> = theta.iter().map(|x| Some(*x)).collect();
        let mut c = self.build(&values)?;
        c.arms = vec![c.arms[self.arm].clone()];
        Ok(c)
    }
}

/// Top-level scenario fields that say how to run it, not what the model is: left out of the
/// fingerprint.
const RUN_SETTINGS: &[&str] = &["name", "description", "seed", "demo_seed", "replicates"];

fn value_at(v: &Value, l: &Location) -> f64 {
    // Locations display as `a.b[1].c`; walk it through a JSON pointer.
    let pointer: String = l
        .display
        .replace('[', ".")
        .replace(']', "")
        .split('.')
        .map(|s| format!("/{s}"))
        .collect();
    v.pointer(&pointer)
        .and_then(Value::as_f64)
        .unwrap_or(f64::NAN)
}

/// The calibration file with every default filled in (written beside the results).
pub fn resolved(s: &Calibration) -> String {
    let cfg = ron::ser::PrettyConfig::new()
        .depth_limit(4)
        .struct_names(true);
    let body = ron_options()
        .to_string_pretty(s, cfg)
        .expect("invariant: a calibration serialises to RON");
    format!(
        "// {} resolved by escalate {}: every default filled in.\n{body}\n",
        s.name,
        env!("CARGO_PKG_VERSION")
    )
}
