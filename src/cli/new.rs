//! `escalate new`: a commented starter scenario to edit, copied from a bundled (or any) scenario.

use crate::error::InputError;
use crate::scenario::load::{load_scenario, parse_scenario};
use crate::scenario::locate::locate;
use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Examples for `escalate new --help`.
pub const EXAMPLES: &str = "Examples:
  escalate new my_scenario                    # my_scenario.ron, from builtin:classroom
  escalate new scenarios/mine --from builtin:us_russia_2016
  escalate new variant --from my_scenario.ron # keeps that file's comments

The file keeps every comment of the scenario it is copied from; only its name changes. It is never
written over an existing file. Then: escalate validate NAME.ron, escalate run NAME.ron.
Every field is described in docs/SCENARIO.md.";

/// Options of `escalate new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The new scenario's name; the file is NAME.ron (a path such as scenarios/mine also works).
    pub name: PathBuf,
    /// The scenario to start from: a file, or builtin:NAME (default: builtin:classroom, a small
    /// commented scenario with fictional states).
    #[arg(long, value_name = "SCENARIO", default_value = "builtin:classroom")]
    pub from: PathBuf,
}

/// Runs `escalate new`.
pub fn new(a: NewArgs) -> anyhow::Result<()> {
    let file = if a.name.extension().is_some_and(|e| e == "ron") {
        a.name.clone()
    } else {
        a.name.with_extension("ron")
    };
    let name = scenario_name(&file)?;
    let (_, from_label, text) = load_scenario(Some(&a.from))?;
    let text = starter_text(&text, &name, &from_label)?;
    // Never over an existing file: create_new fails if anything is there.
    let mut out = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&file)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => InputError::Flag {
                flag: file.display().to_string(),
                message:
                    "already exists; escalate new never writes over a file: choose another name"
                        .into(),
            }
            .into(),
            _ => anyhow::Error::new(e).context(format!("cannot create {}", file.display())),
        })?;
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.sync_all()) {
        drop(out);
        let _ = std::fs::remove_file(&file);
        return Err(anyhow::Error::new(e).context(format!("cannot write {}", file.display())));
    }
    println!(
        "Wrote {} (from {from_label}). Next: escalate validate {} then escalate run {}. Fields: docs/SCENARIO.md.",
        crate::scenario::load::shown_path(&file),
        crate::scenario::load::shown_path(&file),
        crate::scenario::load::shown_path(&file)
    );
    Ok(())
}

/// The scenario name a file stands for: its stem, which must be usable as a folder name.
fn scenario_name(file: &Path) -> Result<String, InputError> {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ok = !stem.is_empty()
        && !stem.starts_with('.')
        && stem
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-'));
    if ok {
        Ok(stem)
    } else {
        Err(InputError::Flag {
            flag: "NAME".into(),
            message: format!(
                "{:?} cannot name a scenario; use letters, digits, '_' and '-' (e.g. my_scenario)",
                stem
            ),
        })
    }
}

/// The source text with its top-level `name:` replaced and a header saying where it came from;
/// checked to be a valid scenario before it is written.
fn starter_text(text: &str, name: &str, from: &str) -> anyhow::Result<String> {
    let at = locate(text, "name").ok_or_else(|| InputError::Flag {
        flag: "--from".into(),
        message: format!("{from} has no top-level `name:` to replace"),
    })?;
    let line_start: usize = text
        .split_inclusive('\n')
        .take(at.line - 1)
        .map(str::len)
        .sum();
    let line = &text[line_start..];
    let value_start = line_start + line.char_indices().nth(at.column - 1).map_or(0, |(i, _)| i);
    let rest = &text[value_start..];
    // The old name is a plain string literal: up to its closing quote.
    let len = rest
        .strip_prefix('"')
        .and_then(|r| r.find('"'))
        .map(|end| end + 2)
        .ok_or_else(|| InputError::Flag {
            flag: "--from".into(),
            message: format!("{from}: the top-level `name:` is not a plain string"),
        })?;
    let header = format!(
        "// Starter scenario \"{name}\", copied by `escalate new` from {from}: edit it, then\n\
         // `escalate validate {name}.ron` and `escalate run {name}.ron`. Every field, with its unit,\n\
         // range and default, is described in docs/SCENARIO.md.\n"
    );
    let out = format!(
        "{header}{}\"{name}\"{}",
        &text[..value_start],
        &text[value_start + len..]
    );
    parse_scenario(name, &out)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_is_the_source_renamed_with_its_comments() {
        for (builtin, text) in crate::scenario::builtin::BUILTIN {
            let out = starter_text(text, "mine", builtin).expect("valid starter");
            let s = parse_scenario("mine", &out).expect("valid").scenario;
            assert_eq!(s.name, "mine");
            let original = parse_scenario(builtin, text).expect("valid").scenario;
            assert_eq!(s.states.len(), original.states.len());
            assert_eq!(
                out.matches("//").count(),
                text.matches("//").count() + 3,
                "every comment kept, three header lines added"
            );
        }
    }

    #[test]
    fn names_that_cannot_be_folders_are_refused() {
        assert!(scenario_name(Path::new("ok_name-2.ron")).is_ok());
        for bad in [".hidden.ron", "a b.ron", "semi;colon.ron"] {
            assert!(scenario_name(Path::new(bad)).is_err(), "{bad}");
        }
    }
}
