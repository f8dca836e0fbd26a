//! Errors a user can cause (exit code 2) as opposed to runtime failures (exit code 1).

use crate::scenario::validate::Problem;
use thiserror::Error;

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
    #[error("{file}: {} problem{} found:\n{}", problems.len(), if problems.len() == 1 { "" } else { "s" }, crate::scenario::load::format_problems(problems))]
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
    /// A file or folder the user pointed at (a result or sweep folder, a shard) is missing, malformed
    /// or of another kind.
    #[error("{path}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    File {
        /// The file or folder.
        path: String,
        /// 1-based line, when the problem is on one.
        line: Option<usize>,
        /// What is wrong and what to do.
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
