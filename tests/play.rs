//! `escalate play`: a scripted game through stdin against a golden transcript, --save and --replay,
//! a seat that follows its doctrine, and the errors of bad choices and bad decision files.
//! Regenerate the golden deliberately with `UPDATE_GOLDEN=1 cargo test --release --test play`.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn escalate() -> Command {
    Command::cargo_bin("escalate").expect("binary built")
}

/// The golden game: Borealis in the classroom scenario with channels, seed 3 (it is accused twice
/// over the hotline, and answers Aurelia's actions). The student admits the first accusation,
/// chooses a rung by number and one by name, then follows the doctrine.
const GAME: [&str; 6] = [
    "play",
    "--seat",
    "Borealis",
    "--arm",
    "with-channels",
    "--seed=3",
];

/// The golden game's choices, one per line (15 decisions).
fn script() -> String {
    let mut s = String::from("admit\n2\nsanctions\ndoctrine\n");
    for _ in 0..11 {
        s += "d\n";
    }
    s
}

fn golden(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

fn check_golden(name: &str, actual: &str) {
    let path = golden(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{} missing; run with UPDATE_GOLDEN=1 to create it",
            path.display()
        )
    });
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from {} at line {}:\n  golden: {:?}\n  actual: {:?}\n(UPDATE_GOLDEN=1 regenerates it after a deliberate change)",
            path.display(),
            line + 1,
            expected.lines().nth(line).unwrap_or("<end>"),
            actual.lines().nth(line).unwrap_or("<end>")
        );
    }
}

fn play(args: &[&str], stdin: &str) -> std::process::Output {
    escalate()
        .args(args)
        .env_remove("NO_COLOR")
        .write_stdin(stdin)
        .output()
        .expect("runs")
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8")
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_scripted_game_plays_to_the_end_and_matches_the_golden_transcript() {
    let out = play(&GAME, &script());
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert_eq!(text.matches("Borealis decides ──").count(), 15);
    assert!(text.contains("You choose admit."), "{text}");
    assert!(
        text.contains("You parted from your doctrine on day 72"),
        "{text}"
    );
    check_golden("play_classroom_borealis.txt", &text);
}

#[test]
fn a_saved_game_replays_with_the_same_transcript() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("game.ron");
    let f = file.to_str().expect("utf-8 path");
    let mut args = GAME.to_vec();
    args.extend(["--save", f]);
    let first = play(&args, &script());
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(stderr(&first).contains("Game saved to"));
    let saved = std::fs::read_to_string(&file).expect("saved");
    assert!(saved.contains("scenario_sha256:") && saved.contains("seat: \"Borealis\""));
    assert_eq!(saved.matches("day:").count(), 15);
    // Seat, arm and seed come from the file; stdin is not read.
    let again = play(&["play", "--replay", f], "");
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(stdout(&again), stdout(&first));
    // Saving over it is refused before the game starts, and the file is untouched.
    let over = play(&args, &script());
    assert_eq!(over.status.code(), Some(2));
    assert!(
        stderr(&over).contains("already exists"),
        "{}",
        stderr(&over)
    );
    assert!(stdout(&over).is_empty());
    assert_eq!(std::fs::read_to_string(&file).expect("kept"), saved);
}

#[test]
fn a_seat_that_always_follows_its_doctrine_walks_the_doctrines_path() {
    let out = play(&GAME, &"d\n".repeat(8));
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert_eq!(text.matches("Borealis decides ──").count(), 8);
    assert!(
        text.contains("You chose as your doctrine would at each of your 8 decisions"),
        "{text}"
    );
    // The outcome rows agree column for column.
    for row in [
        "highest rung",
        "first crisis",
        "armed conflict",
        "responses",
        "damage",
    ] {
        let line = text
            .lines()
            .find(|l| l.starts_with(row))
            .unwrap_or_else(|| panic!("no row {row}"));
        let cells: Vec<&str> = line[28..].split_whitespace().collect();
        let half = cells.len() / 2;
        assert_eq!(cells[..half], cells[half..], "{line}");
    }
}

#[test]
fn a_bad_choice_names_its_line_and_a_short_script_says_where_it_ended() {
    let bad = play(&GAME, "admit\n2\nretreat\n");
    assert_eq!(bad.status.code(), Some(2));
    let e = stderr(&bad);
    assert!(
        e.contains("stdin, line 3: \"retreat\" is not one of the options"),
        "{e}"
    );
    assert!(
        e.contains("0 (competition)") && !e.contains("panicked"),
        "{e}"
    );
    let short = play(&GAME, "admit\n");
    assert_eq!(short.status.code(), Some(2));
    assert!(
        stderr(&short).contains("stdin ended after line 1, before the decision on day 86"),
        "{}",
        stderr(&short)
    );
    // An accusation takes only admit or deny.
    let rung = play(&GAME, "3\n");
    assert!(stderr(&rung).contains("line 1: \"3\" is not one of the options (admit, deny"));
}

#[test]
fn a_decision_file_from_another_scenario_or_version_is_refused_and_a_malformed_one_located() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("game.ron");
    let f = file.to_str().expect("utf-8 path");
    let mut args = GAME.to_vec();
    args.extend(["--save", f]);
    assert!(play(&args, &script()).status.success());
    let saved = std::fs::read_to_string(&file).expect("saved");

    let other = play(&["play", "scenarios/false_flag.ron", "--replay", f], "");
    assert_eq!(other.status.code(), Some(2));
    let e = stderr(&other);
    assert!(e.contains("was played on another scenario"), "{e}");
    assert!(e.contains("leave the scenario out"), "{e}");

    let old = dir.path().join("old.ron");
    std::fs::write(&old, saved.replace("escalate: \"", "escalate: \"0.0.1-")).expect("write");
    let o = play(&["play", "--replay", old.to_str().expect("utf-8")], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("was played with escalate 0.0.1-"),
        "{}",
        stderr(&o)
    );

    let broken = dir.path().join("broken.ron");
    std::fs::write(&broken, saved.replacen("seed: 3,", "seed: three,", 1)).expect("write");
    let b = play(&["play", "--replay", broken.to_str().expect("utf-8")], "");
    assert_eq!(b.status.code(), Some(2));
    let line = saved
        .lines()
        .position(|l| l.contains("seed: 3,"))
        .expect("seed line")
        + 1;
    assert!(
        stderr(&b).contains(&format!("broken.ron:{line}:")),
        "{}",
        stderr(&b)
    );

    let seat = play(&["play", "--replay", f, "--seat", "Aurelia"], "");
    assert_eq!(seat.status.code(), Some(2));
    assert!(stderr(&seat).contains("the saved game's seat is Borealis"));
}

#[test]
fn an_unknown_seat_lists_the_states() {
    let out = play(&["play", "--seat", "Atlantis"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no state \"Atlantis\"; the states are Aurelia, Borealis"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn help_documents_every_flag_and_the_decision_points() {
    let out = escalate().args(["play", "--help"]).output().expect("runs");
    assert!(out.status.success());
    let help = stdout(&out);
    for needle in [
        "--seat",
        "--arm",
        "--seed",
        "--save",
        "--replay",
        "--quiet",
        "--no-color",
        "NO_COLOR",
        "first response to an operation",
        "admit or deny",
        "one choice per line",
        "never replaces an existing file",
        "Exit codes",
    ] {
        assert!(help.contains(needle), "--help lacks {needle}");
    }
}
