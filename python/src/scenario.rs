//! `escalate.Scenario`: a validated scenario whose numbers are read and set by the sweep's parameter
//! paths (`s["states[US].attribution.skill"]`), with the sweep's path errors and the scenario's
//! validation.

use crate::errors::{self, InputError};
use escalate::error::InputError as LibInputError;
use escalate::scenario::Compiled;
use escalate::scenario::load::resolved_ron;
use escalate::sweep::path::{self, Location};
use pyo3::prelude::*;
use pyo3::types::{PyFloat, PyInt, PyList};
use serde_json::Value;
use std::path::PathBuf;
use std::sync::Arc;

/// A scenario, validated and compiled.
///
/// Numbers are read and set by the paths of a sweep file's parameters: `s["horizon_days"]`,
/// `s["states[US].attribution.skill"]`, `s["measures.channels[hotline].reliability"]`,
/// `s["campaigns[RUS->US].rate_per_year"]`. A path that selects several numbers (`states[*].detection`)
/// reads as a list and sets them all. Setting validates the whole scenario and raises
/// `ScenarioError` (leaving the scenario as it was) when the value makes it invalid.
#[pyclass(module = "escalate", name = "Scenario")]
#[derive(Clone)]
pub struct Scenario {
    /// How the scenario is named in messages (its path, or the built-in label).
    label: String,
    /// The scenario as written, every default filled in, as the sweep's paths see it.
    json: Value,
    /// The scenario compiled (what a run simulates).
    pub compiled: Arc<Compiled>,
}

impl Scenario {
    fn new(label: String, compiled: Compiled) -> Scenario {
        let json = serde_json::to_value(&compiled.scenario)
            .expect("invariant: a scenario serialises to JSON");
        Scenario {
            label,
            json,
            compiled: Arc::new(compiled),
        }
    }

    /// The label used in messages.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Every number `path` names, or the sweep's error with a caret under the bad segment.
    fn locate(&self, path: &str) -> PyResult<Vec<Location>> {
        path::locate(&self.json, path).map_err(|e| {
            let before = path.get(..e.at).unwrap_or(path).chars().count();
            InputError::new_err(format!(
                "`{path}`: {}\n        {path}\n        {}^",
                e.message,
                " ".repeat(before)
            ))
        })
    }
}

fn number<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    if let Some(i) = v.as_u64() {
        Ok(PyInt::new(py, i).into_any())
    } else if let Some(i) = v.as_i64() {
        Ok(PyInt::new(py, i).into_any())
    } else if let Some(x) = v.as_f64() {
        Ok(PyFloat::new(py, x).into_any())
    } else {
        Err(pyo3::exceptions::PyRuntimeError::new_err(format!(
            "internal error: a located place holds {v}, not a number"
        )))
    }
}

#[pymethods]
impl Scenario {
    /// The number at `path` (an `int` for integer fields), or a list of them when the path selects
    /// several (`[*]`).
    fn __getitem__<'py>(&self, py: Python<'py>, path: &str) -> PyResult<Bound<'py, PyAny>> {
        let locs = self.locate(path)?;
        let values: Vec<Bound<'py, PyAny>> = locs
            .iter()
            .map(|l| number(py, path::get(&self.json, l)))
            .collect::<PyResult<_>>()?;
        match <[_; 1]>::try_from(values) {
            Ok([one]) => Ok(one),
            Err(many) => Ok(PyList::new(py, many)?.into_any()),
        }
    }

    /// `s[path] = value`: the same as `s.set(path, value)`.
    fn __setitem__(&mut self, path: &str, value: f64) -> PyResult<()> {
        self.set(path, value)
    }

    /// Sets every number `path` names to `value` (rounded for integer fields, as in a sweep), then
    /// validates the scenario; on a problem raises `ScenarioError` naming the field and leaves the
    /// scenario unchanged.
    fn set(&mut self, path: &str, value: f64) -> PyResult<()> {
        let locs = self.locate(path)?;
        if !value.is_finite() {
            return Err(InputError::new_err(format!(
                "`{path}`: {value} is not a number a scenario can hold; give a finite number"
            )));
        }
        let mut json = self.json.clone();
        for l in &locs {
            path::set(&mut json, l, value);
        }
        let file = format!("{}, with `{path}` = {value}", self.label);
        let scenario: escalate::scenario::Scenario = serde_json::from_value(json).map_err(|e| {
            errors::input(LibInputError::Invalid {
                file: file.clone(),
                problems: vec![escalate::error::Problem {
                    path: path.to_string(),
                    message: format!("a value does not fit its field: {e}"),
                }],
                located: Vec::new(),
            })
        })?;
        let compiled = escalate::scenario::validate(&scenario).map_err(|problems| {
            errors::input(LibInputError::Invalid {
                file,
                problems,
                located: Vec::new(),
            })
        })?;
        *self = Scenario::new(self.label.clone(), compiled);
        Ok(())
    }

    /// A copy that can be changed without changing this one.
    fn copy(&self) -> Scenario {
        self.clone()
    }

    fn __copy__(&self) -> Scenario {
        self.clone()
    }

    fn __deepcopy__(&self, _memo: &Bound<'_, PyAny>) -> Scenario {
        self.clone()
    }

    /// The scenario's `name` (it names result folders).
    #[getter]
    fn name(&self) -> String {
        self.compiled.scenario.name.clone()
    }

    /// Where it came from: its path, or `scenarios/NAME.ron (built in)`.
    #[getter(label)]
    fn py_label(&self) -> String {
        self.label.clone()
    }

    /// The scenario's master seed (a run's default `seed`).
    #[getter]
    fn seed(&self) -> u64 {
        self.compiled.scenario.seed
    }

    /// The scenario's replicates (a run's default `replicates`).
    #[getter]
    fn replicates(&self) -> u64 {
        self.compiled.scenario.replicates as u64
    }

    /// The arms, in order; the first ("without channels") is the baseline of paired differences.
    #[getter]
    fn arms(&self) -> Vec<String> {
        self.compiled.arms.iter().map(|a| a.name.clone()).collect()
    }

    /// The scenario as RON with every default filled in: the text a run writes to `scenario.ron`,
    /// itself a valid scenario (`escalate run` on it gives the same results).
    fn to_ron(&self) -> PyResult<String> {
        resolved_ron(&self.compiled.scenario)
            .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))
    }

    /// The scenario as JSON text (the form the paths are resolved in).
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.json)
            .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))
    }

    fn __repr__(&self) -> String {
        format!(
            "<escalate.Scenario {:?} from {}: {} arms, {} days>",
            self.compiled.scenario.name,
            self.label,
            self.compiled.arms.len(),
            self.compiled.scenario.horizon_days
        )
    }
}

/// Reads, validates and compiles a scenario: a path to a `.ron` file, `builtin:NAME` for a bundled
/// one, or nothing for the default (US–Russia 2016–2020). Raises `ScenarioError` with the command
/// line's message (file:line:col and a caret; every problem with its field path).
#[pyfunction]
#[pyo3(signature = (source=None))]
pub fn load_scenario(source: Option<PathBuf>) -> PyResult<Scenario> {
    let (compiled, label, _) =
        escalate::scenario::load_scenario(source.as_deref()).map_err(errors::input)?;
    Ok(Scenario::new(label, compiled))
}

/// Parses scenario text (RON); `label` names it in messages.
#[pyfunction]
#[pyo3(signature = (text, label="<string>"))]
pub fn parse_scenario(text: &str, label: &str) -> PyResult<Scenario> {
    let compiled = escalate::scenario::parse_scenario(label, text).map_err(errors::input)?;
    Ok(Scenario::new(label.to_string(), compiled))
}
