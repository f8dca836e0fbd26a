//! Reading a scenario: syntax first (with file, line, column and a caret), then meaning (which
//! compiles it).

use super::builtin;
use super::compile::Compiled;
use super::locate::locate;
use super::types::Scenario;
use super::validate::{Problem, validate};
use crate::error::{InputError, Located, MAX_LISTED_PROBLEMS};
use ron::extensions::Extensions;
use std::path::Path;

/// The default scenario, embedded so `escalate run` works from any folder.
pub const DEFAULT_SCENARIO: &str = include_str!("../../scenarios/us_russia_2016.ron");
/// Name shown for the embedded default scenario in messages.
pub const DEFAULT_SCENARIO_LABEL: &str = "scenarios/us_russia_2016.ron (built in)";

/// RON options used for every scenario: `IMPLICIT_SOME` lets users write `executor: "X"`.
pub fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(Extensions::IMPLICIT_SOME)
}

/// The scenario serialised back to RON with every default filled in, under a comment naming the
/// version that resolved it.
pub fn resolved_ron(s: &Scenario) -> Result<String, ron::Error> {
    let cfg = ron::ser::PrettyConfig::new()
        .depth_limit(6)
        .struct_names(true);
    let body = ron_options().to_string_pretty(s, cfg)?;
    Ok(format!(
        "// {} resolved by escalate {}: every default filled in.\n{body}\n",
        s.name,
        env!("CARGO_PKG_VERSION")
    ))
}

/// Reads, checks and compiles a scenario file; `None` loads the embedded default, `builtin:NAME` a
/// bundled one. Returns the compiled scenario (the scenario as written is its `scenario`), its label
/// and its text.
pub fn load_scenario(path: Option<&Path>) -> Result<(Compiled, String, String), InputError> {
    let (label, text) = match path {
        None => (
            DEFAULT_SCENARIO_LABEL.to_string(),
            DEFAULT_SCENARIO.to_string(),
        ),
        Some(p) => match p.to_str().and_then(|s| s.strip_prefix(builtin::PREFIX)) {
            // The label is shown on the terminal: a control character in the path is escaped.
            Some(name) => (shown_path(p), builtin::builtin(name)?.to_string()),
            None => (shown_path(p), read_scenario_text(p)?),
        },
    };
    let scenario = parse_scenario(&label, &text)?;
    Ok((scenario, label, text))
}

/// A path as the terminal shows it: control characters escaped, so a file name cannot clear the
/// screen or set the window title.
pub fn shown_path(p: &Path) -> String {
    super::text::escape_controls(&p.display().to_string())
}

/// Reads a scenario file, saying what it is instead when it is a result or sweep folder.
fn read_scenario_text(p: &Path) -> Result<String, InputError> {
    if p.is_dir() {
        let what = if p.join("sweep.json").is_file() || p.join("shards").is_dir() {
            Some("a sweep folder written by escalate sweep")
        } else if p.join("summary.json").is_file() {
            Some("a result folder written by escalate run")
        } else {
            None
        };
        if let Some(what) = what {
            return Err(InputError::Flag {
                flag: p.display().to_string(),
                message: format!(
                    "is {what}, not a scenario file; `escalate plot {}` redraws its plots, and its scenario.ron or sweep.ron is the file to run",
                    p.display()
                ),
            });
        }
    }
    super::text::read_input(p)
}

/// Parses scenario text, validates it and compiles it; `label` names the source in errors.
pub fn parse_scenario(label: &str, text: &str) -> Result<Compiled, InputError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let scenario: Scenario = ron_options()
        .from_str(text)
        .map_err(|e| syntax_error(label, text, &e))?;
    reject_duplicate_keys(label, text)?;
    let mut problems = super::text::unprintable_strings(
        &serde_json::to_value(&scenario).expect("invariant: a scenario serialises to JSON"),
    );
    match validate(&scenario) {
        Ok(compiled) if problems.is_empty() => return Ok(compiled),
        Ok(_) => {}
        Err(more) => problems.extend(more),
    }
    let located = locate_problems(text, &problems);
    Err(InputError::Invalid {
        file: label.to_string(),
        problems,
        located,
    })
}

/// A key written twice in one map (RON would keep the last silently) is an error at its second place.
pub fn reject_duplicate_keys(label: &str, text: &str) -> Result<(), InputError> {
    match super::locate::duplicate_key(text) {
        None => Ok(()),
        Some((key, first, again)) => Err(InputError::Syntax {
            file: label.to_string(),
            line: again.line,
            column: again.column,
            message: format!(
                "the key `{key}` is written twice in one map (first at line {}, column {}); write each key once",
                first.line, first.column
            ),
            excerpt: excerpt(text, again.line, again.column),
        }),
    }
}

/// Where each problem's field path stands in `text` (the line with a caret), where it is written.
/// Only the problems a message lists ([`MAX_LISTED_PROBLEMS`]) are located: each is a pass over the
/// text, so locating 20,000 would be quadratic.
pub fn locate_problems(text: &str, problems: &[Problem]) -> Vec<Option<Located>> {
    problems
        .iter()
        .take(MAX_LISTED_PROBLEMS)
        .map(|p| {
            locate(text, &p.path).map(|at| Located {
                line: at.line,
                column: at.column,
                excerpt: excerpt(text, at.line, at.column),
            })
        })
        .collect()
}

/// Characters of a line shown on each side of the caret: a 10 MB line is not echoed whole.
const EXCERPT_CONTEXT: usize = 60;

/// The line `line_no` of `text` with a gutter and a caret under column `col` (both 1-based). A
/// line longer than four times [`EXCERPT_CONTEXT`] characters is cut to that many either side of the
/// column, marked with `…`.
pub fn excerpt(text: &str, line_no: usize, col: usize) -> String {
    let full = text.lines().nth(line_no.max(1) - 1).unwrap_or("");
    let col = col.max(1);
    let length = full.chars().count();
    let skip = if length <= 4 * EXCERPT_CONTEXT {
        0
    } else {
        (col - 1).saturating_sub(EXCERPT_CONTEXT)
    };
    let shown = if length <= 4 * EXCERPT_CONTEXT {
        length
    } else {
        2 * EXCERPT_CONTEXT
    };
    let mut line: String = full.chars().skip(skip).take(shown).collect();
    let cut_after = length > skip + shown;
    let mut col = col - skip;
    if skip > 0 {
        line.insert(0, '…');
        col += 1;
    }
    if cut_after {
        line.push('…');
    }
    let line = line.as_str();
    let gutter = format!("{line_no}");
    let caret_pad: String = line
        .chars()
        .take(col - 1)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    format!(
        "{:w$} |\n{gutter} | {line}\n{:w$} | {caret_pad}^",
        "",
        "",
        w = gutter.len()
    )
}

/// Formats a RON error with the offending line and a caret under the column, and a hint where the
/// message allows one (a misspelt field or variant, a file of another kind).
pub fn syntax_error(label: &str, text: &str, e: &ron::error::SpannedError) -> InputError {
    let line_no = e.span.start.line.max(1);
    let col = e.span.start.col.max(1);
    let message = e.code.to_string();
    let hint = integer_hint(text, line_no, col, &message).unwrap_or_else(|| hint(&message));
    InputError::Syntax {
        file: label.to_string(),
        line: line_no,
        column: col,
        message: format!("{message}{hint}"),
        excerpt: excerpt(text, line_no, col),
    }
}

/// Fields that take a whole number, with the range a valid file gives them (scenario and sweep
/// files): what an integer error names, instead of ron's "Expected comma" or "Invalid digit".
const INTEGER_FIELDS: [(&str, &str); 13] = [
    ("horizon_days", "a whole number of days from 1 to 36525"),
    ("seed", "a whole number from 0 to 18446744073709551615"),
    ("demo_seed", "a whole number from 0 to 18446744073709551615"),
    (
        "replicates",
        "a whole number from 1 to 4294967295 (in a sweep file, to 18446744073709551615)",
    ),
    (
        "max_replicates",
        "a whole number from 1 to 18446744073709551615",
    ),
    ("day", "a whole day number from 0 to the horizon"),
    ("severity", "a whole number from 1 to 10 (the DCID scale)"),
    (
        "detected_after_days",
        "a whole number of days from 0 to 4294967295",
    ),
    ("overreach", "a whole number of severity points from 0 to 9"),
    (
        "crisis_de_escalation",
        "a whole number of rungs from 0 to 4294967295",
    ),
    ("levels", "a whole number from 1 to 4294967295"),
    ("trajectories", "a whole number from 1 to 4294967295"),
    ("points", "a whole number from 1 to 4294967295"),
];

/// For ron's errors on a number where an integer is wanted (`60.5`, `1e12`, `-5`, `99999999999`):
/// the field, what was found and what is valid.
fn integer_hint(text: &str, line_no: usize, col: usize, message: &str) -> Option<String> {
    let integer_error = message.starts_with("Invalid digit")
        || message.starts_with("Integer is out of bounds")
        || message.starts_with("Expected integer")
        || message == "Expected comma";
    if !integer_error {
        return None;
    }
    let line = text.lines().nth(line_no.max(1) - 1)?;
    let chars: Vec<char> = line.chars().collect();
    // The field is the last `name:` before the column; the value starts after its colon.
    let before: String = chars.iter().take(col.saturating_sub(1)).collect();
    let colon = before.rfind(':')?;
    let field = before[..colon]
        .trim_end()
        .rsplit(|c: char| !(c.is_alphanumeric() || c == '_'))
        .next()?;
    let (_, valid) = INTEGER_FIELDS.iter().find(|(f, _)| *f == field)?;
    let value: String = before[colon + 1..]
        .chars()
        .chain(chars.iter().skip(col.saturating_sub(1)).copied())
        .skip_while(|c| c.is_whitespace())
        .take_while(|c| !matches!(c, ',' | ')' | ']' | '/') && !c.is_whitespace())
        .take(40)
        .collect();
    // "Expected comma" is ron stopping at the `.` of a decimal: only then is it about a number.
    if message == "Expected comma" && !value.contains(['.', 'e', 'E']) {
        return None;
    }
    Some(format!(
        ": `{field}` takes an integer, {valid}; found `{value}`"
    ))
}

/// A "did you mean" for an unknown field or variant, or what to do with a file of another kind.
fn hint(message: &str) -> String {
    if message.contains("Expected struct `Scenario` but found `Sweep`") {
        return ". This is a sweep file: run it with `escalate sweep FILE`".into();
    }
    if message.contains("Expected struct `Sweep` but found `Scenario`") {
        return ". This is a scenario file: run it with `escalate run FILE`, or name it as the `scenario:` of a sweep file".into();
    }
    let unknown = ["field named `", "variant named `"]
        .iter()
        .find_map(|marker| {
            let rest = &message[message.find(marker)? + marker.len()..];
            Some(&rest[..rest.find('`')?])
        });
    let Some(unknown) = unknown else {
        return String::new();
    };
    let Some(list) = message.split_once("expected one of ").map(|(_, l)| l) else {
        return String::new();
    };
    let candidates: Vec<&str> = list.split('`').skip(1).step_by(2).collect();
    match crate::scenario::validate::did_you_mean(unknown, &candidates) {
        Some(best) => format!("; did you mean `{best}`?"),
        None => String::new(),
    }
}
