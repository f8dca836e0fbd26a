//! `escalate._escalate`: the compiled half of the Python package `escalate`.
//!
//! A thin layer beside the command line: it calls the library (scenario loading and validation, the
//! sweep's parameter paths, the Monte Carlo engine, the writers of `replicates.csv`, `summary.json`
//! and `sweep.csv`) and hands Python the very bytes the command line writes; the pure-Python package
//! (`python/escalate/`) turns them into pandas DataFrames. Nothing of the simulator is copied here.

mod errors;
mod runs;
mod scenario;

use pyo3::prelude::*;

/// The compiled module. Its exceptions subclass `ValueError`, so `except ValueError` catches bad input.
#[pymodule]
fn _escalate(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("InputError", py.get_type::<errors::InputError>())?;
    m.add("ScenarioError", py.get_type::<errors::ScenarioError>())?;
    m.add_class::<scenario::Scenario>()?;
    m.add_function(wrap_pyfunction!(scenario::load_scenario, m)?)?;
    m.add_function(wrap_pyfunction!(scenario::parse_scenario, m)?)?;
    m.add_function(wrap_pyfunction!(runs::run, m)?)?;
    m.add_function(wrap_pyfunction!(runs::sweep, m)?)?;
    // The package's version; it follows the root crate's (python/Cargo.toml says the same number).
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
