//! The conventions of a well-kept command-line tool: completions, a man page, `--color`, help that
//! fits 80 columns with examples, `escalate new`, `builtin:NAME`, and errors that point at the line
//! or say what a file of another kind is for.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Ran {
    fn describe(&self) -> String {
        format!(
            "exit {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.code,
            &self.stdout[..self.stdout.len().min(3000)],
            &self.stderr[..self.stderr.len().min(3000)]
        )
    }
}

fn escalate_env(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Ran {
    let mut c = Command::new(env!("CARGO_BIN_EXE_escalate"));
    c.current_dir(cwd).args(args).env_remove("NO_COLOR");
    for (k, v) in env {
        c.env(k, v);
    }
    let o = c.output().expect("escalate starts");
    Ran {
        code: o.status.code(),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

fn escalate(cwd: &Path, args: &[&str]) -> Ran {
    escalate_env(cwd, args, &[])
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

const SUBCOMMANDS: &[&str] = &[
    "run",
    "validate",
    "plot",
    "demo",
    "play",
    "sweep",
    "merge",
    "new",
    "completions",
    "man",
];

#[test]
fn every_help_fits_80_columns_and_shows_examples() {
    let t = tempfile::tempdir().expect("tmp");
    let mut pages = vec![vec!["--help"]];
    pages.extend(SUBCOMMANDS.iter().map(|s| vec![*s, "--help"]));
    for args in pages {
        let r = escalate_env(t.path(), &args, &[("COLUMNS", "80")]);
        assert_eq!(r.code, Some(0), "{args:?}\n{}", r.describe());
        for line in r.stdout.lines() {
            assert!(
                line.chars().count() <= 80,
                "{args:?}: a line of {} characters:\n{line}",
                line.chars().count()
            );
        }
        assert!(
            r.stdout.contains("Examples:"),
            "{args:?} has no examples\n{}",
            r.describe()
        );
    }
}

#[test]
fn completions_cover_every_subcommand_for_every_shell() {
    let t = tempfile::tempdir().expect("tmp");
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let r = escalate(t.path(), &["completions", shell]);
        assert_eq!(r.code, Some(0), "{shell}\n{}", r.describe());
        for sub in SUBCOMMANDS {
            assert!(r.stdout.contains(sub), "{shell}: no {sub}");
        }
    }
    let r = escalate(t.path(), &["completions", "tcsh"]);
    assert_eq!(r.code, Some(2), "{}", r.describe());
    assert!(
        r.stderr.contains("bash"),
        "lists the valid shells\n{}",
        r.describe()
    );
}

#[test]
fn the_man_page_is_printed_or_written_per_subcommand_never_over_a_file() {
    let t = tempfile::tempdir().expect("tmp");
    let r = escalate(t.path(), &["man"]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    assert!(r.stdout.contains(".TH escalate 1"), "{}", r.describe());
    assert!(r.stdout.contains("completions"));
    let r = escalate(t.path(), &["man", "--out", "man1"]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    for page in [
        "escalate.1",
        "escalate-run.1",
        "escalate-sweep.1",
        "escalate-new.1",
    ] {
        let text = std::fs::read_to_string(t.path().join("man1").join(page)).expect(page);
        assert!(text.contains(".TH"), "{page}");
    }
    std::fs::write(t.path().join("man1/escalate-run.1"), "mine").expect("write");
    let r = escalate(t.path(), &["man", "--out", "man1"]);
    assert_eq!(r.code, Some(2), "{}", r.describe());
    assert_eq!(
        std::fs::read_to_string(t.path().join("man1/escalate-run.1")).expect("kept"),
        "mine"
    );
}

#[test]
fn color_is_chosen_by_the_flag_and_no_color() {
    let t = tempfile::tempdir().expect("tmp");
    let esc = |r: &Ran| r.stdout.contains('\u{1b}');
    let always = escalate(t.path(), &["--color", "always", "demo"]);
    assert_eq!(always.code, Some(0), "{}", always.describe());
    assert!(esc(&always), "--color always colours piped output");
    let auto = escalate(t.path(), &["demo"]);
    assert!(!esc(&auto), "auto: no colour when piped");
    let never = escalate(t.path(), &["demo", "--color", "never"]);
    assert!(!esc(&never));
    let r = escalate(t.path(), &["--color", "sometimes", "demo"]);
    assert_eq!(r.code, Some(2), "{}", r.describe());
}

#[test]
fn new_writes_a_valid_commented_starter_and_never_overwrites() {
    let t = tempfile::tempdir().expect("tmp");
    let r = escalate(t.path(), &["new", "my_scenario"]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    let text = std::fs::read_to_string(t.path().join("my_scenario.ron")).expect("written");
    assert!(text.contains("name: \"my_scenario\""));
    assert!(
        text.matches("//").count() > 20,
        "the starter keeps its comments"
    );
    let r = escalate(t.path(), &["validate", "my_scenario.ron"]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    let r = escalate(
        t.path(),
        &["new", "my_scenario", "--from", "builtin:false_flag"],
    );
    assert_eq!(r.code, Some(2), "{}", r.describe());
    assert!(r.stderr.contains("already exists"), "{}", r.describe());
    assert_eq!(
        std::fs::read_to_string(t.path().join("my_scenario.ron")).expect("kept"),
        text
    );
    let r = escalate(t.path(), &["new", "second", "--from", "my_scenario.ron"]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
}

#[test]
fn every_bundled_scenario_runs_as_builtin_from_any_folder() {
    let t = tempfile::tempdir().expect("tmp");
    let mut names: Vec<String> = std::fs::read_dir(repo().join("scenarios"))
        .expect("scenarios/")
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_string_lossy()
                .strip_suffix(".ron")
                .map(str::to_string)
        })
        .collect();
    names.sort();
    assert!(names.len() >= 6);
    for n in &names {
        let r = escalate(t.path(), &["validate", &format!("builtin:{n}")]);
        assert_eq!(r.code, Some(0), "{n}\n{}", r.describe());
    }
    let r = escalate(
        t.path(),
        &["run", "builtin:classroom", "-n", "20", "-q", "--out", "c"],
    );
    assert_eq!(r.code, Some(0), "{}", r.describe());
    // And as a sweep's base scenario.
    std::fs::write(
        t.path().join("s.ron"),
        r#"Sweep(name: "s", scenario: "builtin:classroom", seed: 1, replicates: 10,
            arms: ["without channels", "with channels"],
            parameters: [Parameter(name: "skill", set: ["states[*].attribution.skill"], values: List([0.3, 0.6]))],
            design: Grid)"#,
    )
    .expect("write");
    let r = escalate(t.path(), &["sweep", "s.ron", "-q", "--out", "sw"]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    let r = escalate(t.path(), &["run", "builtin:clasroom"]);
    assert_eq!(r.code, Some(2), "{}", r.describe());
    assert!(
        r.stderr.contains("did you mean \"builtin:classroom\""),
        "{}",
        r.describe()
    );
}

#[test]
fn a_file_of_another_kind_says_what_it_is_for() {
    let t = tempfile::tempdir().expect("tmp");
    let sweep = repo().join("scenarios/sweeps/attribution_vs_hotline.ron");
    let r = escalate(t.path(), &["validate", &sweep.display().to_string()]);
    assert_eq!(r.code, Some(2), "{}", r.describe());
    assert!(
        r.stderr
            .contains("This is a sweep file: run it with `escalate sweep FILE`"),
        "{}",
        r.describe()
    );
    let scenario = repo().join("scenarios/classroom.ron");
    let r = escalate(t.path(), &["sweep", &scenario.display().to_string(), "-q"]);
    assert_eq!(r.code, Some(2), "{}", r.describe());
    assert!(
        r.stderr.contains("This is a scenario file"),
        "{}",
        r.describe()
    );
    let r = escalate(t.path(), &["sweep", "builtin:classroom", "-q"]);
    assert_eq!(r.code, Some(2), "{}", r.describe());
    assert!(
        r.stderr.contains("names a bundled scenario, not a sweep")
            && r.stderr.contains("escalate run builtin:classroom"),
        "{}",
        r.describe()
    );
    let published = repo().join("results/published/us_russia_2016");
    let r = escalate(t.path(), &["run", &published.display().to_string()]);
    assert_eq!(r.code, Some(2), "{}", r.describe());
    assert!(
        r.stderr
            .contains("is a result folder written by escalate run"),
        "{}",
        r.describe()
    );
    let r = escalate(t.path(), &["plot", &t.path().display().to_string()]);
    assert_eq!(
        r.code,
        Some(2),
        "a folder that is not a result is an input error\n{}",
        r.describe()
    );
}

#[test]
fn misspelt_fields_and_variants_get_a_suggestion() {
    let t = tempfile::tempdir().expect("tmp");
    let text = std::fs::read_to_string(repo().join("scenarios/classroom.ron")).expect("read");
    let cases = [
        (
            "reliability:",
            "relaibility:",
            "did you mean `reliability`?",
        ),
        ("Espionage:", "Espionnage:", "did you mean `Espionage`?"),
    ];
    for (right, wrong, hint) in cases {
        assert!(text.contains(right), "{right}");
        std::fs::write(t.path().join("x.ron"), text.replacen(right, wrong, 1)).expect("write");
        let r = escalate(t.path(), &["validate", "x.ron"]);
        assert_eq!(r.code, Some(2), "{}", r.describe());
        assert!(r.stderr.contains(hint), "{wrong}\n{}", r.describe());
    }
}

#[test]
fn a_semantic_problem_points_at_its_line_and_column() {
    let t = tempfile::tempdir().expect("tmp");
    let text = std::fs::read_to_string(repo().join("scenarios/classroom.ron")).expect("read");
    // The first `reliability: <number>` becomes 1.7, an impossible probability.
    let at = text.find("reliability:").expect("a reliability field");
    let value_start = at
        + "reliability:".len()
        + text[at + "reliability:".len()..]
            .find(|c: char| !c.is_whitespace())
            .expect("value");
    let value_end = value_start + text[value_start..].find([',', ')', '\n']).expect("end");
    let bad = format!("{}1.7{}", &text[..value_start], &text[value_end..]);
    std::fs::write(t.path().join("x.ron"), &bad).expect("write");
    let line = bad[..value_start].matches('\n').count() + 1;
    let column = bad[..value_start]
        .rsplit('\n')
        .next()
        .expect("line")
        .chars()
        .count()
        + 1;
    let r = escalate(t.path(), &["validate", "x.ron"]);
    assert_eq!(r.code, Some(2), "{}", r.describe());
    assert!(
        r.stderr.contains(&format!("at x.ron:{line}:{column}")),
        "expected x.ron:{line}:{column}\n{}",
        r.describe()
    );
    let src = bad.lines().nth(line - 1).expect("line");
    let lines: Vec<&str> = r.stderr.lines().collect();
    let i = lines
        .iter()
        .position(|l| {
            l.trim_start().starts_with(&format!("{line} | ")) && l.ends_with(src.trim_end())
        })
        .unwrap_or_else(|| panic!("the offending line is shown\n{}", r.describe()));
    let shown = lines[i];
    let caret = lines[i + 1];
    let content = shown.find(" | ").expect("gutter") + 3;
    let expected: usize = content
        + src
            .chars()
            .take(column - 1)
            .map(char::len_utf8)
            .sum::<usize>();
    assert_eq!(
        caret.find('^'),
        Some(expected),
        "caret under the value\n{shown}\n{caret}"
    );
}

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    let child = Command::new(env!("CARGO_BIN_EXE_escalate"))
        .args(["validate", "builtin:us_russia_2016"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("escalate starts");
    // Close the reading end at once: the writer meets a closed pipe.
    let mut child = child;
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("waits");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// What `escalate run` prints on the default scenario (six arms, one named with 25 characters) fits
/// an 80-column terminal: tables take as many arms a block as fit, prose is wrapped.
#[test]
fn the_run_summary_fits_80_columns() {
    let dir = tempfile::tempdir().expect("tmp");
    let r = escalate(dir.path(), &["run", "-n", "200", "--out", "out"]);
    assert_eq!(r.code, Some(0), "{}", r.describe());
    assert!(
        r.stdout.contains("agreement and pledge only"),
        "{}",
        r.describe()
    );
    for line in r.stdout.lines() {
        assert!(
            line.chars().count() <= 80,
            "{} columns: {line}",
            line.chars().count()
        );
    }
}
