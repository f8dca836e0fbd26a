//! `escalate demo --step` in a real terminal (tmux): Enter advances one event, `q` quits cleanly with
//! exit 0; colour on a terminal, none with NO_COLOR. Needs tmux (`.ci/run` installs it); the test
//! fails, rather than skips, without it.

mod common;

use common::tmux::Tmux;

fn events(screen: &str) -> usize {
    screen
        .lines()
        .filter(|l| l.contains(" │ ") && l.contains("day "))
        .count()
}

#[test]
fn step_advances_one_event_per_enter_and_q_quits_with_exit_0() {
    let t = Tmux::start("demo", "step", "", "--step");
    let prompt = "[Enter: next event";
    let first = t.wait_for(&|s| s.contains(prompt), "the first prompt");
    let shown = events(&first);
    assert_eq!(shown, 1, "one event before the first Enter:\n{first}");
    // Colour and a gauge on a terminal.
    let coloured = t.screen(true);
    assert!(coloured.contains("\x1b["), "no colour on a terminal");
    for k in 1..=3 {
        t.keys(&["Enter"]);
        t.wait_for(&|s| events(s) >= shown + k, "the next event");
    }
    let s = t.screen(false);
    assert_eq!(events(&s), shown + 3, "more than one event per Enter:\n{s}");
    assert!(!s.contains("How it ended"));
    t.keys(&["q", "Enter"]);
    let end = t.wait_for(&|s| s.contains("EXIT="), "the exit");
    assert!(end.contains("Stopped."), "{end}");
    assert!(end.contains("EXIT=0"), "{end}");
}

#[test]
fn no_color_is_honoured_on_a_terminal() {
    let t = Tmux::start("demo", "nocolor", "NO_COLOR=1", "--seed 9");
    t.wait_for(&|s| s.contains("EXIT=0"), "the end of the run");
    let s = t.screen(true);
    assert!(s.contains("How it ended"));
    assert!(!s.contains("\x1b[3"), "colour codes despite NO_COLOR:\n{s}");
    let t = Tmux::start("demo", "flag", "", "--seed 9 --no-color");
    t.wait_for(&|s| s.contains("EXIT=0"), "the end of the run");
    assert!(
        !t.screen(true).contains("\x1b[3"),
        "colour codes despite --no-color"
    );
}

#[test]
fn step_goes_back_jumps_to_a_day_and_shows_its_keys() {
    let t = Tmux::start("demo", "keys", "", "--step");
    let prompt = "[Enter: next event · b: back · j DAY: jump · h: help · q: quit]";
    t.wait_for(&|s| s.contains(prompt), "the first prompt");
    t.keys(&["h", "Enter"]);
    t.wait_for(&|s| s.contains("j DAY        jump"), "the help");
    t.keys(&["Enter"]);
    t.wait_for(&|s| events(s) >= 2, "the second event");
    t.keys(&["b", "Enter"]);
    let back = t.wait_for(&|s| s.contains("↑ back to day 1"), "back");
    assert_eq!(
        events(&back),
        3,
        "back shows the first event again:\n{back}"
    );
    t.keys(&["j 300", "Enter"]);
    let jumped = t.wait_for(&|s| s.contains("→ day 300"), "the jump");
    let after = jumped
        .split("→ day 300")
        .nth(1)
        .expect("text after the jump");
    let first_day: u32 = after
        .split("day ")
        .nth(1)
        .and_then(|d| d.trim_start().split(' ').next())
        .and_then(|d| d.parse().ok())
        .unwrap_or_else(|| panic!("no day after the jump:\n{jumped}"));
    assert!(first_day >= 300, "jumped to day {first_day}:\n{jumped}");
    assert!(!jumped.contains("How it ended"));
    t.keys(&["q", "Enter"]);
    let end = t.wait_for(&|s| s.contains("EXIT="), "the exit");
    assert!(end.contains("EXIT=0"), "{end}");
}
