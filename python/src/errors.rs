//! The library's errors as Python exceptions, with the message the command line prints after
//! `Error: ` (file, line:col and a caret, field paths, "did you mean").

use escalate::error::InputError as LibInputError;
use escalate::montecarlo::Interrupted;
use escalate::scenario::text::{escape_controls, shorten_lines};
use pyo3::exceptions::{PyKeyboardInterrupt, PyRuntimeError, PyValueError};
use pyo3::prelude::*;

pyo3::create_exception!(
    escalate,
    InputError,
    PyValueError,
    "Bad input (a flag-like argument, a sweep file, a path into a scenario): the command line's message, exit code 2 there."
);
pyo3::create_exception!(
    escalate,
    ScenarioError,
    InputError,
    "A scenario that does not parse (file:line:col with a caret) or makes no sense (every problem with its field path)."
);

/// The message as the command line prints it (control characters escaped, very long lines cut).
pub fn message(e: &anyhow::Error) -> String {
    escape_controls(&shorten_lines(&format!("{e:#}")))
}

/// Maps a library error to the Python exception a caller expects: a scenario problem to
/// `ScenarioError`, other bad input to `InputError`, an interrupt to `KeyboardInterrupt`, anything
/// else (a file that cannot be written, a worker that cannot start) to `RuntimeError`.
pub fn to_py(e: anyhow::Error) -> PyErr {
    let text = message(&e);
    match e.downcast_ref::<LibInputError>() {
        Some(LibInputError::Syntax { .. } | LibInputError::Invalid { .. }) => {
            ScenarioError::new_err(text)
        }
        Some(_) => InputError::new_err(text),
        None if e.downcast_ref::<Interrupted>().is_some() => PyKeyboardInterrupt::new_err(text),
        None => PyRuntimeError::new_err(text),
    }
}

/// [`to_py`] for the library's own input errors.
pub fn input(e: LibInputError) -> PyErr {
    to_py(e.into())
}
