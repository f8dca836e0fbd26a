//! The layer check (`scripts/check-layers.sh`): the library's imports all point down the layer order
//! of docs/ARCHITECTURE.md with no cycle, and the check catches each kind of violation the codebase
//! once had (a model system importing the demo, the sweep importing the command line, report ↔ sweep,
//! error ↔ scenario). It also runs the length check (`scripts/check-fn-length.sh`): no function over 80
//! lines in `src/systems/` and `src/scenario/`, and a longer one is named.

mod common;

use common::repo;
use std::path::Path;
use std::process::{Command, Output};

fn check(src: &Path) -> Output {
    Command::new("bash")
        .arg(repo().join("scripts/check-layers.sh"))
        .arg(src)
        .output()
        .expect("bash runs")
}

fn text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr)
}

#[test]
fn the_library_imports_only_downward_and_has_no_cycle() {
    let out = check(&repo().join("src"));
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("all downward, no cycle"),
        "{}",
        text(&out)
    );
}

/// A copy of `src/` with `line` appended to each `(file, line)`.
fn src_with(additions: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    copy_tree(&repo().join("src"), dir.path());
    for (file, line) in additions {
        let path = dir.path().join(file);
        let mut body = std::fs::read_to_string(&path).expect("file exists");
        body.push_str(line);
        body.push('\n');
        std::fs::write(&path, body).expect("writes");
    }
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("creates");
    for entry in std::fs::read_dir(from).expect("lists") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copies");
        }
    }
}

#[test]
fn an_upward_import_is_named_with_its_file_and_line() {
    let dir = src_with(&[("systems/planning.rs", "use crate::demo::narrate::Style;")]);
    let out = check(dir.path());
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    let lines = std::fs::read_to_string(dir.path().join("systems/planning.rs"))
        .expect("reads")
        .lines()
        .count();
    assert!(
        t.contains(&format!(
            "systems/planning.rs:{lines}: systems (systems) imports demo"
        )),
        "{t}"
    );
    assert!(t.contains("cycle: systems <-> sim"), "{t}");
}

#[test]
fn each_violation_the_codebase_once_had_is_caught() {
    let dir = src_with(&[
        // The sweep writing through the command line's file writer.
        (
            "sweep/output.rs",
            "fn w(p: &std::path::Path) { let _ = crate::cli::plot::plot; }",
        ),
        // Report and sweep importing each other (a grouped import, over two lines).
        (
            "report/table.rs",
            "use crate::{\n    sweep::spec::Design,\n};",
        ),
        // Validation problems defined in the scenario but formatted by the error type.
        ("error.rs", "use crate::scenario::validate::validate;"),
        // A `super::` path from a module root reaching another module.
        ("model/mod.rs", "use super::sim::Simulator;"),
    ]);
    let out = check(dir.path());
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    for expected in [
        "sweep/output.rs:",
        "sweep (sweep) imports cli (cli, a higher layer)",
        "report (report) imports sweep (sweep, a higher layer)",
        "error (foundation) imports scenario (scenario, a higher layer)",
        "model (model) imports sim (sim, a higher layer)",
        "cycle: error <-> scenario",
        "cycle: model <-> systems <-> sim",
    ] {
        assert!(t.contains(expected), "missing {expected:?} in:\n{t}");
    }
    assert!(t.contains("report -> sweep first at"), "{t}");
}

#[test]
fn comments_strings_and_inline_test_modules_are_not_imports() {
    let dir = src_with(&[(
        "rng.rs",
        "// use crate::cli::Cli;\nconst _S: &str = \"crate::cli\";\n#[cfg(test)]\nmod more { use super::*; }",
    )]);
    let out = check(dir.path());
    assert!(out.status.success(), "{}", text(&out));
}

#[test]
fn a_module_without_a_layer_is_an_error() {
    let dir = src_with(&[]);
    std::fs::write(dir.path().join("stray.rs"), "pub fn f() {}\n").expect("writes");
    let out = check(dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("\"stray\" has no layer"),
        "{}",
        text(&out)
    );
}

fn check_lengths(src: &Path) -> Output {
    Command::new("bash")
        .arg(repo().join("scripts/check-fn-length.sh"))
        .arg(src)
        .output()
        .expect("bash runs")
}

/// A function `name` of exactly `lines` lines, signature and closing brace included.
fn function_of(name: &str, lines: usize) -> String {
    let body: String = (0..lines - 2)
        .map(|i| format!("    let _x{i} = {i};\n"))
        .collect();
    format!("pub fn {name}() {{\n{body}}}")
}

#[test]
fn no_function_in_the_systems_or_the_scenario_is_over_80_lines() {
    let out = check_lengths(&repo().join("src"));
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("none over 80 lines"), "{}", text(&out));
}

#[test]
fn a_function_over_80_lines_is_named_with_its_file_line_and_length() {
    let response_lines = std::fs::read_to_string(repo().join("src/systems/response.rs"))
        .expect("reads")
        .lines()
        .count();
    let long = function_of("too_long", 81);
    let nested = function_of("too_long_too", 95);
    let exact = function_of("just_right", 80);
    let dir = src_with(&[
        ("systems/response.rs", long.as_str()),
        ("scenario/validate/mod.rs", nested.as_str()),
        ("systems/escalation.rs", exact.as_str()),
    ]);
    let out = check_lengths(dir.path());
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    let at = response_lines + 1;
    assert!(
        t.contains(&format!(
            "systems/response.rs:{at}: fn too_long is 81 lines, over 80"
        )),
        "{t}"
    );
    assert!(
        t.contains("scenario/validate/mod.rs:") && t.contains("fn too_long_too is 95 lines"),
        "{t}"
    );
    assert!(
        !t.contains("just_right"),
        "80 lines is within the limit:\n{t}"
    );
    assert!(t.contains("2 function(s) over 80 lines"), "{t}");
}

#[test]
fn functions_elsewhere_are_not_the_length_checks_business() {
    let long = function_of("long_but_elsewhere", 120);
    let dir = src_with(&[("montecarlo/mod.rs", long.as_str())]);
    let out = check_lengths(dir.path());
    assert!(out.status.success(), "{}", text(&out));
}
