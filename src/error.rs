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

/// Where a problem stands in a file: line, column and the offending line with a caret.
#[derive(Clone, Debug)]
pub struct Located {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The line with a caret under the column (several lines, no trailing newline).
    pub excerpt: String,
}

/// Most problems listed in one message: no reader reads past the first few dozen, and each listed
/// problem is located in the file (a pass over its text).
pub const MAX_LISTED_PROBLEMS: usize = 50;

/// Renders semantic problems, one per entry, each followed by its place in the file when known; past
/// [`MAX_LISTED_PROBLEMS`], says how many more there are.
pub fn format_problems(file: &str, problems: &[Problem], located: &[Option<Located>]) -> String {
    let more = problems.len().saturating_sub(MAX_LISTED_PROBLEMS);
    let tail = (more > 0).then(|| {
        format!(
            "  - … and {more} more problem{} not listed; fix these first",
            if more == 1 { "" } else { "s" }
        )
    });
    problems
        .iter()
        .take(MAX_LISTED_PROBLEMS)
        .enumerate()
        .map(|(i, p)| match located.get(i).and_then(Option::as_ref) {
            Some(l) => format!(
                "  - {}: {}\n    at {file}:{}:{}\n{}",
                p.path,
                p.message,
                l.line,
                l.column,
                l.excerpt
                    .lines()
                    .map(|x| format!("    {x}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
            None => format!("  - {}: {}", p.path, p.message),
        })
        .chain(tail)
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
    /// The scenario parsed but makes no sense; every problem is listed, with its place in the file
    /// where the text is at hand.
    #[error("{file}: {} problem{} found:\n{}", problems.len(), if problems.len() == 1 { "" } else { "s" }, format_problems(file, problems, located))]
    Invalid {
        /// File label.
        file: String,
        /// Every problem, with its field path.
        problems: Vec<Problem>,
        /// Where each problem's value stands in the file (same order as `problems`; may be shorter).
        located: Vec<Option<Located>>,
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
    /// `--out` names something that is not a folder: escalate never replaces it.
    #[error(
        "{path} is {what}, not a folder; escalate never replaces it, even with --force: choose another --out"
    )]
    OutputNotFolder {
        /// The path.
        path: String,
        /// What it is ("a file", "a device", …).
        what: &'static str,
    },
    /// `--force` was given for a folder that holds more than escalate's own files.
    #[error(
        "{path} is not an escalate {kind} that --force may replace: {why}. Nothing was deleted; move those entries away or choose another --out"
    )]
    OutputForeign {
        /// The folder.
        path: String,
        /// "result folder" or "sweep folder".
        kind: &'static str,
        /// What in it is not escalate's.
        why: String,
    },
    /// Another running process is writing the same output.
    #[error(
        "{path} is being written by another escalate process (PID {pid}, lock {lock}); wait for it to finish or choose another --out"
    )]
    OutputLocked {
        /// The folder or file being written.
        path: String,
        /// The holder's process id.
        pid: u32,
        /// The lock file.
        lock: String,
    },
}
