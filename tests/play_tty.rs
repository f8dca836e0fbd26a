//! `escalate play` in a real terminal (tmux): the choices typed at the prompts, a bad one asked
//! again, and the game's ending the same as the scripted game's golden transcript. Needs tmux
//! (`.ci/run` installs it); the test fails, rather than skips, without it.

mod common;

use common::tmux::Tmux;

/// The ending of a transcript: from the truth to the outcome table.
fn ending(text: &str) -> Vec<String> {
    text.lines()
        .skip_while(|l| !l.starts_with("══ The truth"))
        .take_while(|l| !l.starts_with("EXIT="))
        .map(|l| l.trim_end().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn a_game_typed_in_a_terminal_ends_as_the_scripted_golden_game() {
    let t = Tmux::start(
        "play",
        "game",
        "",
        "--seat Borealis --arm with-channels --seed 3",
    )
    .joining_wrapped_lines();
    t.wait_for(&|s| s.contains("Your choice? "), "the first prompt");
    // A bad choice on a terminal is explained and asked again, not fatal.
    t.keys(&["retreat", "Enter"]);
    t.wait_for(
        &|s| s.contains("\"retreat\" is not one of the options"),
        "the re-ask",
    );
    for choice in ["admit", "2", "sanctions", "doctrine"] {
        t.keys(&[choice, "Enter"]);
    }
    for _ in 0..11 {
        t.keys(&["d", "Enter"]);
    }
    let screen = t.wait_for(&|s| s.contains("EXIT="), "the end of the game");
    assert!(screen.contains("EXIT=0"), "{screen}");
    assert!(screen.contains("You choose admit."), "{screen}");
    assert!(
        t.screen(true).contains("\x1b[36m── Day 72"),
        "no colour on a terminal"
    );
    let golden = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/golden/play_classroom_borealis.txt"),
    )
    .expect("the golden transcript (tests/play.rs writes it)");
    let expected = ending(&golden);
    assert!(expected.len() > 10, "the golden has no ending");
    assert_eq!(ending(&screen), expected);
}

#[test]
fn no_color_is_honoured_on_a_terminal() {
    // Each session on its own socket: a second server started on the socket of one being killed
    // can fail to start under load.
    for (name, env, flag) in [
        ("nocolor-env", "NO_COLOR=1", ""),
        ("nocolor-flag", "", "--no-color"),
    ] {
        let t = Tmux::start(
            "play",
            name,
            env,
            &format!("--seat Borealis --arm with-channels --seed 3 {flag}"),
        )
        .joining_wrapped_lines();
        t.wait_for(&|s| s.contains("Your choice? "), "the first prompt");
        for _ in 0..8 {
            t.keys(&["d", "Enter"]);
        }
        let screen = t.wait_for(&|s| s.contains("EXIT="), "the end of the game");
        assert!(screen.contains("EXIT=0"), "{screen}");
        assert!(
            !t.screen(true).contains("\x1b[36m"),
            "colour codes despite {env}{flag}"
        );
    }
}
