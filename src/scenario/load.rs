//! Reading a scenario: syntax first (with file, line, column and a caret), then meaning (which
//! compiles it).

use super::compile::Compiled;
use super::types::Scenario;
use super::validate::validate;
use crate::error::InputError;
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

/// Reads, checks and compiles a scenario file; `None` loads the embedded default. Returns the
/// compiled scenario (the scenario as written is its `scenario`), its label and its text.
pub fn load_scenario(path: Option<&Path>) -> Result<(Compiled, String, String), InputError> {
    let (label, text) = match path {
        None => (
            DEFAULT_SCENARIO_LABEL.to_string(),
            DEFAULT_SCENARIO.to_string(),
        ),
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|e| InputError::Read {
                path: p.display().to_string(),
                cause: e,
            })?;
            (p.display().to_string(), text)
        }
    };
    let scenario = parse_scenario(&label, &text)?;
    Ok((scenario, label, text))
}

/// Parses scenario text, validates it and compiles it; `label` names the source in errors.
pub fn parse_scenario(label: &str, text: &str) -> Result<Compiled, InputError> {
    let scenario: Scenario = ron_options()
        .from_str(text)
        .map_err(|e| syntax_error(label, text, &e))?;
    validate(&scenario).map_err(|problems| InputError::Invalid {
        file: label.to_string(),
        problems,
    })
}

/// Formats a RON error with the offending line and a caret under the column.
pub fn syntax_error(label: &str, text: &str, e: &ron::error::SpannedError) -> InputError {
    let line_no = e.span.start.line.max(1);
    let col = e.span.start.col.max(1);
    let line = text.lines().nth(line_no - 1).unwrap_or("");
    let gutter = format!("{line_no}");
    let caret_pad: String = line
        .chars()
        .take(col - 1)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let excerpt = format!(
        "{:w$} |\n{gutter} | {line}\n{:w$} | {caret_pad}^",
        "",
        "",
        w = gutter.len()
    );
    InputError::Syntax {
        file: label.to_string(),
        line: line_no,
        column: col,
        message: e.code.to_string(),
        excerpt,
    }
}
