//! The bundled scenarios, embedded in the binary: `builtin:NAME` works from any folder, in every
//! command that takes a scenario and in a sweep file's `scenario:`.

use crate::error::InputError;

/// Every bundled scenario: its name (the file stem under `scenarios/`) and its text.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "us_russia_2016",
        include_str!("../../scenarios/us_russia_2016.ron"),
    ),
    ("classroom", include_str!("../../scenarios/classroom.ron")),
    ("false_flag", include_str!("../../scenarios/false_flag.ron")),
    (
        "mercenary_market",
        include_str!("../../scenarios/mercenary_market.ron"),
    ),
    ("multipolar", include_str!("../../scenarios/multipolar.ron")),
    (
        "proxy_heavy",
        include_str!("../../scenarios/proxy_heavy.ron"),
    ),
];

/// The prefix that names a bundled scenario instead of a file.
pub const PREFIX: &str = "builtin:";

/// The text of the bundled scenario `name` (without the prefix), or an error listing the valid names.
pub fn builtin(name: &str) -> Result<&'static str, InputError> {
    if let Some((_, text)) = BUILTIN.iter().find(|(n, _)| *n == name) {
        return Ok(text);
    }
    let names: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
    let hint = crate::scenario::validate::did_you_mean(name, &names)
        .map(|n| format!("did you mean \"{PREFIX}{n}\"? "))
        .unwrap_or_default();
    Err(InputError::Flag {
        flag: format!("{PREFIX}{name}"),
        message: format!(
            "no such built-in scenario; {hint}the built-in ones are {}",
            names
                .iter()
                .map(|n| format!("{PREFIX}{n}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_scenario_file_is_built_in_and_valid() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .expect("scenarios/")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter_map(|n| n.strip_suffix(".ron").map(str::to_string))
            .collect();
        files.sort();
        let mut built_in: Vec<String> = BUILTIN.iter().map(|(n, _)| n.to_string()).collect();
        built_in.sort();
        assert_eq!(
            files, built_in,
            "scenarios/*.ron and BUILTIN must list the same scenarios"
        );
        for (name, text) in BUILTIN {
            crate::scenario::parse_scenario(name, text)
                .unwrap_or_else(|e| panic!("builtin:{name}: {e}"));
        }
    }

    #[test]
    fn an_unknown_name_lists_the_valid_ones_with_a_suggestion() {
        let e = builtin("clasroom").expect_err("unknown").to_string();
        assert!(e.contains("did you mean \"builtin:classroom\""), "{e}");
        assert!(e.contains("builtin:us_russia_2016"), "{e}");
    }
}
