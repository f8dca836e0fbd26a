//! `escalate play` in a real terminal (tmux): the choices typed at the prompts, a bad one asked
//! again, and the game's ending the same as the scripted game's golden transcript. Needs tmux
//! (`.ci/run` installs it); the test fails, rather than skips, without it.

use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(name: &str, env: &str, args: &str) -> Tmux {
        let found = Command::new("tmux").arg("-V").output();
        assert!(
            found.is_ok_and(|o| o.status.success()),
            "this test needs tmux: install it (apt-get install tmux), as .ci/run does"
        );
        let socket = format!("escalate-play-test-{}-{name}", std::process::id());
        let bin = env!("CARGO_BIN_EXE_escalate");
        let cmd =
            format!("env -u NO_COLOR COLUMNS=120 {env} {bin} play {args}; echo EXIT=$?; sleep 60");
        let ok = Command::new("tmux")
            .args([
                "-L",
                &socket,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-x",
                "120",
                "-y",
                "60",
                "sh",
                "-c",
                &cmd,
            ])
            .status()
            .expect("tmux runs");
        assert!(ok.success(), "cannot start a tmux session");
        Tmux { socket }
    }

    fn screen(&self, escapes: bool) -> String {
        let mut args = vec![
            "-L",
            &self.socket,
            "capture-pane",
            "-p",
            "-J",
            "-S",
            "-1000",
        ];
        if escapes {
            args.push("-e");
        }
        let out = Command::new("tmux")
            .args(&args)
            .output()
            .expect("capture-pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn wait_for(&self, what: &dyn Fn(&str) -> bool, label: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen(false);
            if what(&s) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "timed out waiting for {label}; screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["-L", self.socket.as_str(), "send-keys"];
        args.extend_from_slice(keys);
        assert!(
            Command::new("tmux")
                .args(&args)
                .status()
                .expect("send-keys")
                .success()
        );
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        // Our own server, on our own socket.
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .status();
    }
}

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
    let t = Tmux::start("game", "", "--seat Borealis --arm with-channels --seed 3");
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
    for (env, flag) in [("NO_COLOR=1", ""), ("", "--no-color")] {
        let t = Tmux::start(
            "nocolor",
            env,
            &format!("--seat Borealis --arm with-channels --seed 3 {flag}"),
        );
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
