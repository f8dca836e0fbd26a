//! Errors a user can cause (exit code 2) as opposed to runtime failures (exit code 1).

use serde::Serialize;
use thiserror::Error;

/// One semantic problem of an input file (a scenario, a sweep file, an inject).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    /// Field path, e.g. `states[1].attribution.skill`.
    pub path: String,
    /// What is wrong and what would be valid.
    pub message: String,
}

/// Renders a list of semantic problems, one per line.
pub fn format_problems(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("  - {}: {}", p.path, p.message))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Bad input: a scenario, a flag or a result folder the user supplied.
#[derive(Debug, Error)]
pub enum InputError {
    /// The file could not be read.
    #[error("cannot read {path}: {cause}")]
    Read {
        /// The path given.
        path: String,
        /// Why (printed once: not chained as a source).
        cause: std::io::Error,
    },
    /// RON syntax or type error.
    #[error("{file}:{line}:{column}: {message}\n{excerpt}")]
    Syntax {
        /// File label.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What ron said.
        message: String,
        /// The offending line with a caret.
        excerpt: String,
    },
    /// The scenario parsed but makes no sense; every problem is listed.
    #[error("{file}: {} problem{} found:\n{}", problems.len(), if problems.len() == 1 { "" } else { "s" }, format_problems(problems))]
    Invalid {
        /// File label.
        file: String,
        /// Every problem, with its field path.
        problems: Vec<Problem>,
    },
    /// A command-line value is out of range or inconsistent.
    #[error("{flag}: {message}")]
    Flag {
        /// The flag, e.g. `--replicates`.
        flag: String,
        /// What is wrong and what would be valid.
        message: String,
    },
    /// The output folder exists and `--force` was not given.
    #[error(
        "{path} already exists and is not empty; choose another --out or pass --force to replace it"
    )]
    OutputExists {
        /// The folder.
        path: String,
    },
}
