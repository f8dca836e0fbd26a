//! How the `escalate` binary behaves on bad input.
//!
//! The contract: exit code 0 on success, 1 on a runtime error, 2 on a usage or input error; errors are
//! printed as `Error: …` on stderr; the program never panics (nor aborts); a failing `run` leaves
//! neither a result folder nor a hidden `.NAME.partial-*` folder behind.
//!
//! Every bad input is one file in `tests/fixtures/bad/`, a small edit of the valid
//! `tests/fixtures/minimal.ron` (its first line says what was changed). Runs are tiny (20 replicates,
//! 60 simulated days) and always go to `--out` inside a temporary folder, with the temporary folder as
//! the working directory, so nothing is ever written into the repository.

use assert_cmd::Command;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Longest any single invocation may take before the test fails (a hang is a failure too).
const TIMEOUT: Duration = Duration::from_secs(60);

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
}

fn minimal() -> PathBuf {
    fixtures().join("minimal.ron")
}

fn bad(name: &str) -> PathBuf {
    let p = fixtures().join("bad").join(name);
    assert!(p.exists(), "missing fixture {}", p.display());
    p
}

/// Every fixture in `tests/fixtures/bad/`, sorted.
fn all_bad_fixtures() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(fixtures().join("bad"))
        .expect("tests/fixtures/bad exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.is_file())
        .collect();
    v.sort();
    v
}

/// What one invocation did.
#[derive(Debug)]
struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Outcome {
    fn describe(&self) -> String {
        format!(
            "exit code {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.code,
            truncate(&self.stdout),
            truncate(&self.stderr)
        )
    }

    /// Exit code `code`, no panic, and (for failures) an `Error: ` line on stderr.
    fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, Some(code), "{}", self.describe());
        self.expect_no_panic();
        if code != 0 {
            assert!(
                self.stderr.starts_with("Error: "),
                "stderr should start with `Error: `\n{}",
                self.describe()
            );
        }
        self
    }

    fn expect_no_panic(&self) -> &Self {
        assert!(
            !self.stderr.contains("panicked"),
            "the program panicked\n{}",
            self.describe()
        );
        assert!(
            matches!(self.code, Some(0..=2)),
            "exit code should be 0, 1 or 2 (a signal or 101 means a crash)\n{}",
            self.describe()
        );
        self
    }

    /// Stderr contains every one of `needles`.
    fn expect_stderr_has(&self, needles: &[&str]) -> &Self {
        for n in needles {
            assert!(
                self.stderr.contains(n),
                "stderr should contain {n:?}\n{}",
                self.describe()
            );
        }
        self
    }
}

fn truncate(s: &str) -> String {
    const MAX: usize = 4000;
    if s.len() <= MAX {
        s.to_string()
    } else {
        let mut end = MAX;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}… ({} bytes in all)", &s[..end], s.len())
    }
}

/// `escalate ARGS` in the working directory `cwd`.
fn escalate<I, S>(cwd: &Path, args: I) -> Outcome
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let out = Command::cargo_bin("escalate")
        .expect("the escalate binary is built")
        .current_dir(cwd)
        .env_remove("RUST_BACKTRACE")
        .args(args)
        .timeout(TIMEOUT)
        .output()
        .expect("escalate ran (and finished within the timeout)");
    Outcome {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary folder")
}

/// `escalate validate FILE`, run from a fresh temporary folder.
fn validate(file: &Path) -> Outcome {
    let tmp = tempdir();
    escalate(tmp.path(), [Path::new("validate"), file])
}

/// Names in a folder, sorted.
fn entries(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| {
            e.expect("readable entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

/// The parent folder holds exactly `expected` (so no result folder appeared and no hidden
/// `.NAME.partial-*` or `.NAME.old` folder was left behind).
fn expect_folder_holds(dir: &Path, expected: &[&str], context: &Outcome) {
    let want: BTreeSet<String> = expected.iter().map(|s| s.to_string()).collect();
    let got = entries(dir);
    assert_eq!(
        got,
        want,
        "{} should hold exactly {want:?}\n{}",
        dir.display(),
        context.describe()
    );
}

/// A complete result folder.
fn expect_complete_results(out: &Path, context: &Outcome) {
    for f in [
        "scenario.ron",
        "replicates.csv",
        "summary.json",
        "manifest.json",
    ] {
        assert!(
            out.join(f).is_file(),
            "{} should contain {f}\n{}",
            out.display(),
            context.describe()
        );
    }
}

/// Arguments of `escalate run FILE --quiet --out OUT EXTRA…`, with `--replicates 20` unless
/// `extra` sets `--replicates` itself.
fn run_args(file: &Path, out: &Path, extra: &[&str]) -> Vec<std::ffi::OsString> {
    let mut args: Vec<std::ffi::OsString> = vec![
        "run".into(),
        file.into(),
        "--quiet".into(),
        "--out".into(),
        out.into(),
    ];
    if !extra.contains(&"--replicates") {
        args.extend(["--replicates".into(), "20".into()]);
    }
    args.extend(extra.iter().map(Into::into));
    args
}

/// `escalate run FILE --replicates 20 --quiet --out <tmp>/out EXTRA…` from a fresh temporary
/// folder; returns the outcome and the folder (kept alive) for inspection.
fn run_into_tmp(file: &Path, extra: &[&str]) -> (Outcome, tempfile::TempDir) {
    let tmp = tempdir();
    let out = tmp.path().join("out");
    let o = escalate(tmp.path(), run_args(file, &out, extra));
    (o, tmp)
}

/// `run` must not crash: exit 0, 1 or 2 and no panic; a failure (`Error: …`) leaves the temporary
/// folder empty, a success leaves exactly a complete `out/`. Returns what went wrong, if anything.
fn check_run_does_not_crash(file: &Path) -> Result<Outcome, String> {
    let (o, tmp) = run_into_tmp(file, &[]);
    if o.stderr.contains("panicked") || !matches!(o.code, Some(0..=2)) {
        return Err(format!("crashed: {}", o.describe()));
    }
    let left = entries(tmp.path());
    if o.code == Some(0) {
        let out = tmp.path().join("out");
        let complete = [
            "scenario.ron",
            "replicates.csv",
            "summary.json",
            "manifest.json",
        ]
        .iter()
        .all(|f| out.join(f).is_file());
        if left.len() != 1 || !complete {
            return Err(format!(
                "succeeded but left {left:?} (out/ complete: {complete}): {}",
                o.describe()
            ));
        }
    } else {
        if !o.stderr.starts_with("Error: ") {
            return Err(format!("failed without `Error: `: {}", o.describe()));
        }
        if !left.is_empty() {
            return Err(format!("failed and left {left:?}: {}", o.describe()));
        }
    }
    Ok(o)
}

/// `validate` and `run` both reject `fixture` as an input error (exit 2) whose message contains
/// every one of `needles`, and `run` leaves nothing behind.
fn expect_input_error(fixture: &Path, needles: &[&str]) {
    validate(fixture).expect_code(2).expect_stderr_has(needles);
    let (o, tmp) = run_into_tmp(fixture, &[]);
    o.expect_code(2).expect_stderr_has(needles);
    expect_folder_holds(tmp.path(), &[], &o);
}

/// The message has `FILE:LINE:COL: `, then the offending line of the file and a caret under the
/// column; returns (line, column).
fn expect_located(o: &Outcome, file: &Path) -> (usize, usize) {
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    let at = o
        .stderr
        .find(&format!("{name}:"))
        .unwrap_or_else(|| panic!("no `{name}:` in the message\n{}", o.describe()));
    let rest = &o.stderr[at + name.len() + 1..];
    let mut parts = rest.splitn(3, ':');
    let line: usize = parts
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no line number after `{name}:`\n{}", o.describe()));
    let col: usize = parts
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no column after `{name}:{line}:`\n{}", o.describe()));
    let text = std::fs::read_to_string(file).unwrap();
    let src_line = text.lines().nth(line - 1).unwrap_or("");
    // The excerpt: `N | <line>` then `  | <padding>^`.
    let lines: Vec<&str> = o.stderr.lines().collect();
    let shown = format!("{line} | {src_line}");
    let i = lines
        .iter()
        .position(|l| l.trim_end() == shown.trim_end())
        .unwrap_or_else(|| {
            panic!(
                "the offending line {line} should be shown as {shown:?}\n{}",
                o.describe()
            )
        });
    let caret_line = lines
        .get(i + 1)
        .unwrap_or_else(|| panic!("no caret line\n{}", o.describe()));
    let caret = caret_line
        .find('^')
        .unwrap_or_else(|| panic!("no caret `^` under the line\n{}", o.describe()));
    let content_start = format!("{line} | ").len();
    let expected_caret = content_start
        + src_line
            .chars()
            .take(col - 1)
            .map(char::len_utf8)
            .sum::<usize>();
    assert_eq!(
        caret,
        expected_caret,
        "the caret should sit under column {col}\n{}",
        o.describe()
    );
    (line, col)
}

// ---------------------------------------------------------------------------------------------
// The valid baseline.

#[test]
fn minimal_fixture_is_valid_and_runs() {
    validate(&minimal()).expect_code(0);
    let (o, tmp) = run_into_tmp(&minimal(), &[]);
    o.expect_code(0);
    expect_folder_holds(tmp.path(), &["out"], &o);
    expect_complete_results(&tmp.path().join("out"), &o);
}

#[test]
fn validate_prints_resolved_ron_that_validates_again_unchanged() {
    let first = validate(&minimal());
    first.expect_code(0);
    assert!(first.stdout.contains("Scenario("), "{}", first.describe());
    let tmp = tempdir();
    let resolved = tmp.path().join("resolved.ron");
    std::fs::write(&resolved, &first.stdout).unwrap();
    let second = escalate(tmp.path(), [Path::new("validate"), resolved.as_path()]);
    second.expect_code(0);
    assert_eq!(
        first.stdout, second.stdout,
        "resolving a resolved scenario should change nothing"
    );
}

#[test]
fn validate_of_builtin_default_prints_resolved_ron_that_validates_again_unchanged() {
    let tmp = tempdir();
    let first = escalate(tmp.path(), ["validate"]);
    first.expect_code(0);
    let resolved = tmp.path().join("resolved.ron");
    std::fs::write(&resolved, &first.stdout).unwrap();
    let second = escalate(tmp.path(), [Path::new("validate"), resolved.as_path()]);
    second.expect_code(0);
    assert_eq!(first.stdout, second.stdout);
}

// ---------------------------------------------------------------------------------------------
// Syntax and type errors: located, with the line and a caret.

#[test]
fn syntax_error_shows_file_line_column_offending_line_and_caret() {
    let f = bad("syntax_missing_comma.ron");
    let o = validate(&f);
    o.expect_code(2);
    let (line, _) = expect_located(&o, &f);
    // The comma is missing at the end of line 5; ron notices at the start of line 6.
    assert!(line == 5 || line == 6, "{}", o.describe());
    let (r, _tmp) = run_into_tmp(&f, &[]);
    r.expect_code(2);
    expect_located(&r, &f);
}

#[test]
fn unknown_field_lists_the_valid_fields() {
    let f = bad("unknown_field.ron");
    expect_input_error(
        &f,
        &[
            "horizon_dayz",
            "expected one of",
            "`horizon_days`",
            "`replicates`",
        ],
    );
    assert_eq!(expect_located(&validate(&f), &f), (4, 5));
}

#[test]
fn unknown_enum_variant_lists_the_valid_variants() {
    let f = bad("unknown_variant.ron");
    expect_input_error(
        &f,
        &[
            "Espionnage",
            "expected one of",
            "`Espionage`",
            "`IpTheft`",
            "`Disruption`",
            "`Sabotage`",
            "`Influence`",
        ],
    );
    assert_eq!(expect_located(&validate(&f), &f).0, 9);
}

#[test]
fn string_where_a_number_is_expected_is_a_located_type_error() {
    let f = bad("type_error.ron");
    expect_input_error(&f, &["type_error.ron:22:"]);
    let o = validate(&f);
    expect_located(&o, &f);
    let lower = o.stderr.to_lowercase();
    assert!(
        lower.contains("float") || lower.contains("number"),
        "the message should say a number was expected\n{}",
        o.describe()
    );
}

// ---------------------------------------------------------------------------------------------
// Semantic errors: field paths, all problems at once.

#[test]
fn probability_outside_unit_interval_is_reported_with_its_field_path() {
    expect_input_error(
        &bad("probability_out_of_range.ron"),
        &["1 problem found", "states[0].detection", "1.5", "[0, 1]"],
    );
}

#[test]
fn unknown_state_name_suggests_the_closest_one() {
    expect_input_error(
        &bad("unknown_state.ron"),
        &["campaigns[0].sponsor", "\"RUSS\"", "did you mean \"RUS\""],
    );
}

#[test]
fn unordered_ladder_is_reported() {
    expect_input_error(
        &bad("unordered_ladder.ron"),
        &[
            "ladder.rungs[2]",
            "not ordered",
            "\"protest\"",
            "\"sanctions\"",
        ],
    );
}

#[test]
fn proxy_without_sponsor_is_reported() {
    expect_input_error(
        &bad("proxy_without_sponsor.ron"),
        &["proxies[0].sponsor", "sponsor"],
    );
}

#[test]
fn zero_replicates_in_scenario_is_reported() {
    expect_input_error(
        &bad("zero_replicates.ron"),
        &["  - replicates: ", "at least 1"],
    );
}

#[test]
fn campaign_executed_by_a_proxy_of_another_sponsor_is_reported() {
    expect_input_error(
        &bad("executor_proxy_of_other_sponsor.ron"),
        &["campaigns[0].executor", "\"Patriots\"", "\"US\"", "\"RUS\""],
    );
}

#[test]
fn unknown_measure_in_an_arm_is_reported() {
    expect_input_error(
        &bad("unknown_measure_in_arm.ron"),
        &[
            "arms[0].measures[0]",
            "\"hotlne\"",
            "did you mean \"hotline\"",
        ],
    );
}

#[test]
fn duplicate_names_are_reported() {
    expect_input_error(
        &bad("duplicate_names.ron"),
        &["measures.channels[1].name", "\"hotline\"", "used twice"],
    );
}

#[test]
fn severity_weights_of_wrong_length_are_reported() {
    expect_input_error(
        &bad("severity_weights_wrong_length.ron"),
        &["operation_kinds[0].severity_weights", "9 entries", "ten"],
    );
}

#[test]
fn false_flag_framing_the_sponsor_itself_is_reported() {
    expect_input_error(
        &bad("false_flag_frames_sponsor.ron"),
        &["campaigns[0].false_flag.frame", "third state"],
    );
}

#[test]
fn several_problems_are_all_listed_at_once() {
    expect_input_error(
        &bad("several_problems.ron"),
        &[
            "5 problems found",
            "  - replicates: ",
            "  - operation_kinds[0].severity_weights: ",
            "  - states[0].detection: ",
            "  - campaigns[0].sponsor: ",
            "did you mean \"RUS\"",
            "  - arms[0].measures[0]: ",
            "did you mean \"hotline\"",
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// Files that are not scenarios at all.

#[test]
fn missing_file_is_an_input_error() {
    let tmp = tempdir();
    let missing = tmp.path().join("no_such_scenario.ron");
    escalate(tmp.path(), [Path::new("validate"), missing.as_path()])
        .expect_code(2)
        .expect_stderr_has(&["cannot read", "no_such_scenario.ron"]);
    let out = tmp.path().join("out");
    let o = escalate(
        tmp.path(),
        [
            Path::new("run"),
            missing.as_path(),
            Path::new("--quiet"),
            Path::new("--out"),
            out.as_path(),
        ],
    );
    o.expect_code(2)
        .expect_stderr_has(&["cannot read", "no_such_scenario.ron"]);
    expect_folder_holds(tmp.path(), &[], &o);
}

#[test]
fn directory_instead_of_a_file_is_an_input_error() {
    let tmp = tempdir();
    let dir = tmp.path().join("looks_like_a.ron");
    std::fs::create_dir(&dir).unwrap();
    escalate(tmp.path(), [Path::new("validate"), dir.as_path()])
        .expect_code(2)
        .expect_stderr_has(&["looks_like_a.ron"]);
    let out = tmp.path().join("out");
    let o = escalate(
        tmp.path(),
        [
            Path::new("run"),
            dir.as_path(),
            Path::new("--quiet"),
            Path::new("--out"),
            out.as_path(),
        ],
    );
    o.expect_code(2).expect_stderr_has(&["looks_like_a.ron"]);
    expect_folder_holds(tmp.path(), &["looks_like_a.ron"], &o);
}

#[test]
fn read_errors_state_the_reason_once() {
    // `cannot read PATH: REASON`, not `cannot read PATH: REASON: REASON`.
    let tmp = tempdir();
    let dir = tmp.path().join("a_folder.ron");
    std::fs::create_dir(&dir).unwrap();
    for path in [
        tmp.path().join("no_such_scenario.ron"),
        dir,
        bad("garbage.bin"),
    ] {
        let o = escalate(tmp.path(), [Path::new("validate"), path.as_path()]);
        o.expect_code(2);
        let first = o.stderr.lines().next().unwrap_or("");
        let reason = first
            .rsplit(": ")
            .next()
            .expect("a reason after the last `: `");
        assert_eq!(
            first.matches(reason).count(),
            1,
            "the reason {reason:?} is repeated\n{}",
            o.describe()
        );
    }
}

#[test]
fn empty_file_is_a_located_input_error() {
    let f = bad("empty.ron");
    expect_input_error(&f, &["empty.ron:1:1:"]);
}

#[test]
fn binary_garbage_file_is_an_input_error() {
    let f = bad("garbage.bin");
    expect_input_error(&f, &["garbage.bin"]);
}

#[test]
fn deeply_nested_file_is_an_input_error_not_a_stack_overflow() {
    let f = bad("deeply_nested.ron");
    expect_input_error(&f, &["deeply_nested.ron:7:"]);
    let o = validate(&f);
    expect_located(&o, &f);
    assert!(
        o.stderr.len() < 2000,
        "the message should stay short\n{}",
        o.describe()
    );
}

// ---------------------------------------------------------------------------------------------
// Command-line errors.

#[test]
fn zero_replicates_flag_is_a_usage_error_naming_the_flag() {
    let (o, tmp) = run_into_tmp(&minimal(), &["--replicates", "0"]);
    o.expect_code(2).expect_stderr_has(&["--replicates"]);
    expect_folder_holds(tmp.path(), &[], &o);
}

#[test]
fn too_many_threads_is_a_usage_error_naming_the_flag() {
    let (o, tmp) = run_into_tmp(&minimal(), &["--threads", "5000"]);
    o.expect_code(2).expect_stderr_has(&["--threads"]);
    expect_folder_holds(tmp.path(), &[], &o);
}

#[test]
fn the_thread_cap_is_the_same_for_run_sweep_and_demo_find() {
    let tmp = tempdir();
    let sweep = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sweeps/slurm_small.ron");
    let sweep = sweep.display().to_string();
    for args in [
        vec!["sweep", sweep.as_str(), "--threads", "1025", "--out", "s"],
        vec![
            "demo",
            "--find",
            "crisis-without-channels-only",
            "-j",
            "1025",
        ],
    ] {
        let o = escalate(tmp.path(), &args);
        o.expect_code(2)
            .expect_stderr_has(&["--threads", "1025 is too many", "up to 1024"]);
    }
    expect_folder_holds(tmp.path(), &[], &escalate(tmp.path(), ["--version"]));
    // 1024 itself is accepted, and the seed found does not depend on it (seed 9, as with -j 1).
    for threads in ["1", "1024"] {
        let o = escalate(
            tmp.path(),
            [
                "demo",
                "--find",
                "crisis-without-channels-only",
                "--max-seeds",
                "20",
                "-j",
                threads,
            ],
        );
        o.expect_code(0);
        assert!(o.stdout.starts_with("Seed 9 shows"), "{}", o.describe());
    }
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let (o, tmp) = run_into_tmp(&minimal(), &["--no-such-flag"]);
    assert_eq!(o.code, Some(2), "{}", o.describe());
    o.expect_no_panic();
    assert!(o.stderr.contains("--no-such-flag"), "{}", o.describe());
    expect_folder_holds(tmp.path(), &[], &o);

    let tmp = tempdir();
    let o = escalate(tmp.path(), ["validate", "--no-such-flag"]);
    assert_eq!(o.code, Some(2), "{}", o.describe());
    let o = escalate(tmp.path(), ["no-such-subcommand"]);
    assert_eq!(o.code, Some(2), "{}", o.describe());
}

#[test]
fn non_numeric_replicates_is_a_usage_error() {
    let (o, tmp) = run_into_tmp(&minimal(), &["--replicates", "many"]);
    assert_eq!(o.code, Some(2), "{}", o.describe());
    o.expect_no_panic();
    expect_folder_holds(tmp.path(), &[], &o);
}

// ---------------------------------------------------------------------------------------------
// The result folder.

const SENTINEL: &str = "an earlier result the user wants to keep\n";

/// A temporary folder holding `out/keep.txt`.
fn folder_with_previous_results() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempdir();
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("keep.txt"), SENTINEL).unwrap();
    (tmp, out)
}

fn run_minimal_into(cwd: &Path, out: &Path, extra: &[&str]) -> Outcome {
    escalate(cwd, run_args(&minimal(), out, extra))
}

#[test]
fn run_refuses_an_existing_nonempty_out_folder_without_force_and_leaves_it_untouched() {
    let (tmp, out) = folder_with_previous_results();
    let o = run_minimal_into(tmp.path(), &out, &[]);
    o.expect_code(2).expect_stderr_has(&["--force"]);
    expect_folder_holds(tmp.path(), &["out"], &o);
    expect_folder_holds(&out, &["keep.txt"], &o);
    assert_eq!(
        std::fs::read_to_string(out.join("keep.txt")).unwrap(),
        SENTINEL
    );
}

#[test]
fn run_with_force_replaces_an_earlier_result_folder() {
    let tmp = tempdir();
    let out = tmp.path().join("out");
    run_minimal_into(tmp.path(), &out, &[]).expect_code(0);
    std::fs::write(out.join("summary.json"), "stale").unwrap();
    let o = run_minimal_into(tmp.path(), &out, &["--force"]);
    o.expect_code(0);
    expect_folder_holds(tmp.path(), &["out"], &o);
    expect_complete_results(&out, &o);
    assert_ne!(
        std::fs::read_to_string(out.join("summary.json")).unwrap(),
        "stale"
    );
}

#[test]
fn run_with_force_refuses_a_folder_holding_files_escalate_did_not_write() {
    // --force replaces an earlier result, never a user's own files (a thesis, notes).
    let (tmp, out) = folder_with_previous_results();
    let o = run_minimal_into(tmp.path(), &out, &["--force"]);
    o.expect_code(2)
        .expect_stderr_has(&["\"keep.txt\"", "Nothing was deleted"]);
    expect_folder_holds(tmp.path(), &["out"], &o);
    expect_folder_holds(&out, &["keep.txt"], &o);
    assert_eq!(
        std::fs::read_to_string(out.join("keep.txt")).unwrap(),
        SENTINEL
    );
}

#[test]
fn run_refuses_an_existing_file_as_out_without_force_and_leaves_it_untouched() {
    let tmp = tempdir();
    let out = tmp.path().join("out");
    std::fs::write(&out, SENTINEL).unwrap();
    let o = run_minimal_into(tmp.path(), &out, &[]);
    o.expect_code(2).expect_stderr_has(&["--force"]);
    expect_folder_holds(tmp.path(), &["out"], &o);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), SENTINEL);
}

#[test]
fn run_into_an_existing_empty_out_folder_writes_the_results() {
    // Only a *non-empty* folder needs --force (see `ResultFolder::create`).
    let tmp = tempdir();
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let o = run_minimal_into(tmp.path(), &out, &[]);
    o.expect_code(0);
    expect_folder_holds(tmp.path(), &["out"], &o);
    expect_complete_results(&out, &o);
}

#[test]
fn run_with_out_below_a_regular_file_fails_cleanly() {
    let tmp = tempdir();
    let file = tmp.path().join("a_file");
    std::fs::write(&file, SENTINEL).unwrap();
    let o = run_minimal_into(tmp.path(), &file.join("out"), &[]);
    assert!(matches!(o.code, Some(1 | 2)), "{}", o.describe());
    o.expect_no_panic();
    assert!(o.stderr.starts_with("Error: "), "{}", o.describe());
    expect_folder_holds(tmp.path(), &["a_file"], &o);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), SENTINEL);
}

/// An interrupted run (Ctrl-C) must not leave its hidden `.out.partial-*` folder behind.
#[cfg(target_os = "linux")]
#[test]
fn interrupted_run_leaves_no_partial_folder() {
    use std::process::Stdio;
    use std::time::Instant;
    let tmp = tempdir();
    let out = tmp.path().join("out");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_escalate"))
        .current_dir(tmp.path())
        .args(["run", "--replicates", "100000000", "--quiet", "--out"])
        .arg(&out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("escalate starts");
    let pid = child.id();
    // Wait until the run is under way (its temporary folder exists).
    let started = Instant::now();
    while entries(tmp.path()).is_empty() {
        if started.elapsed() > TIMEOUT || child.try_wait().unwrap().is_some() {
            let _ = child.kill();
            panic!("the run neither started writing nor kept running");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(200));
    // Ctrl-C sends SIGINT; if this test process was started with SIGINT ignored (a background
    // job), the child inherits that, so send SIGTERM instead.
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let sigint_ignored = status
        .lines()
        .find_map(|l| l.strip_prefix("SigIgn:"))
        .and_then(|m| u64::from_str_radix(m.trim(), 16).ok())
        .is_some_and(|m| m & (1 << (2 - 1)) != 0);
    let signal = if sigint_ignored { "-TERM" } else { "-INT" };
    let killed = std::process::Command::new("kill")
        .args([signal, &pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            panic!("escalate did not stop on {signal}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let left: BTreeSet<String> = entries(tmp.path());
    assert!(
        left.is_empty(),
        "after {signal}, the folder still holds {left:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Extreme inputs that used to crash the simulation: each is either rejected with the valid range,
// or valid and run to the end with the effect it must have.

/// The rows of `replicates.csv` in `dir/out`, each column by name.
fn replicate_rows(dir: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let text = std::fs::read_to_string(dir.join("out").join("replicates.csv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<String> = lines.next().unwrap().split(',').map(String::from).collect();
    lines
        .map(|l| {
            header
                .iter()
                .cloned()
                .zip(l.split(',').map(String::from))
                .collect()
        })
        .collect()
}

/// Column `name` of a row, as an integer.
fn int(row: &std::collections::BTreeMap<String, String>, name: &str) -> u64 {
    row[name]
        .parse()
        .unwrap_or_else(|_| panic!("{name}: {:?}", row[name]))
}

#[test]
fn huge_horizon_is_rejected_with_the_valid_range() {
    expect_input_error(
        &bad("huge_horizon.ron"),
        &[
            "horizon_days",
            "4294967295 is out of range; use 1 to 36525 days",
        ],
    );
}

#[test]
fn kind_weights_whose_sum_overflows_are_rejected() {
    expect_input_error(
        &bad("kind_weights_overflow.ron"),
        &["campaigns[0].kinds", "the weights are too large to add up"],
    );
}

#[test]
fn ladder_longer_than_255_rungs_is_rejected() {
    expect_input_error(
        &bad("ladder_too_long.ron"),
        &["ladder.rungs", "has 303 rungs; a ladder has at most 255"],
    );
}

#[test]
fn a_decision_delay_past_the_horizon_runs_and_no_response_is_ever_carried_out() {
    // The US, the only victim, decides in 1e10 days: incidents are attributed and the decisions
    // taken (and consulted on), but no response happens before the horizon, so nothing escalates.
    let f = bad("huge_decision_days.ron");
    let (o, tmp) = run_into_tmp(&f, &["--replicates", "300", "--seed", "1"]);
    o.expect_code(0);
    let rows = replicate_rows(tmp.path());
    assert_eq!(rows.len(), 900, "300 replicates × 3 arms");
    for r in &rows {
        assert_eq!(int(r, "responses"), 0, "{r:?}");
        assert_eq!(int(r, "highest_rung"), 0, "{r:?}");
    }
    let attributed: u64 = rows.iter().map(|r| int(r, "ops_attributed")).sum();
    let consulted: u64 = rows.iter().map(|r| int(r, "channel_calls")).sum();
    assert!(
        attributed > 0 && consulted > 0,
        "{attributed} attributed, {consulted} calls"
    );
}

#[test]
fn a_channel_latency_past_the_horizon_runs_and_no_answer_ever_arrives() {
    // The hotline answers after 1e10 days: calls connect, but no answer is ever heard, so nothing
    // is withdrawn, lowered, corrected or lied about, and a response whose call connected never
    // happens. With the hotline off the run is the minimal scenario's, row for row.
    let seed = ["--replicates", "300", "--seed", "1"];
    let (o, tmp) = run_into_tmp(&bad("huge_channel_latency.ron"), &seed);
    o.expect_code(0);
    let rows = replicate_rows(tmp.path());
    let (o, base) = run_into_tmp(&fixtures().join("minimal.ron"), &seed);
    o.expect_code(0);
    let minimal = replicate_rows(base.path());
    let mut connected = 0;
    for (r, m) in rows.iter().zip(&minimal) {
        if r["arm"] == "without channels" {
            assert_eq!(r, m, "the hotline is off");
            continue;
        }
        for heard in ["de_escalations", "corrections", "lies"] {
            assert_eq!(int(r, heard), 0, "{heard}: {r:?}");
        }
        let lost = int(r, "channel_uses");
        let first = int(r, "responses") - int(r, "responses_spiral");
        assert!(first + lost <= int(r, "channel_calls"), "{r:?}");
        connected += lost;
    }
    assert!(connected > 0, "some calls connected");
    // In the minimal scenario the same calls are answered (the test is not vacuous).
    let lies: u64 = minimal.iter().map(|r| int(r, "lies")).sum();
    assert!(lies > 0);
}

// ---------------------------------------------------------------------------------------------
// The crash check.

#[test]
fn no_bad_fixture_makes_validate_or_run_crash() {
    let mut failures = Vec::new();
    for f in all_bad_fixtures() {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let v = validate(&f);
        if v.stderr.contains("panicked") || !matches!(v.code, Some(0 | 2)) {
            failures.push(format!("validate {name}: {}", v.describe()));
        }
        if let Err(e) = check_run_does_not_crash(&f) {
            failures.push(format!("run {name}: {e}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} crash(es):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
