//! A real terminal for the tests of interactive subcommands (`demo --step`, `play`): a tmux server on
//! its own socket, 120 × 60, running one `escalate` command. Needs tmux (`.ci/run` installs it); a test
//! that uses it fails, rather than skips, without it.

use std::process::Command;
use std::time::{Duration, Instant};

pub struct Tmux {
    socket: String,
    /// Whether `screen` joins lines the terminal wrapped (`capture-pane -J`).
    join_wrapped: bool,
}

impl Tmux {
    /// Starts `escalate SUBCOMMAND ARGS` with `ENV` set and NO_COLOR unset, in a session named after
    /// the test (`name`). The shell prints `EXIT=<code>` when the command ends and keeps the pane open.
    pub fn start(subcommand: &str, name: &str, env: &str, args: &str) -> Tmux {
        let found = Command::new("tmux").arg("-V").output();
        assert!(
            found.is_ok_and(|o| o.status.success()),
            "this test needs tmux: install it (apt-get install tmux), as .ci/run does"
        );
        let socket = format!("escalate-{subcommand}-test-{}-{name}", std::process::id());
        let bin = env!("CARGO_BIN_EXE_escalate");
        let cmd = format!(
            "env -u NO_COLOR COLUMNS=120 {env} {bin} {subcommand} {args}; echo EXIT=$?; sleep 60"
        );
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
        Tmux {
            socket,
            join_wrapped: false,
        }
    }

    /// `screen` joins wrapped lines from now on.
    pub fn joining_wrapped_lines(mut self) -> Tmux {
        self.join_wrapped = true;
        self
    }

    /// The pane and its scrollback (1,000 lines), with the escape sequences when `escapes`.
    pub fn screen(&self, escapes: bool) -> String {
        let mut args = vec!["-L", &self.socket, "capture-pane", "-p", "-S", "-1000"];
        if self.join_wrapped {
            args.push("-J");
        }
        if escapes {
            args.push("-e");
        }
        let out = Command::new("tmux")
            .args(&args)
            .output()
            .expect("capture-pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Polls the screen every 50 ms until `what` holds; fails after 20 s showing the screen.
    pub fn wait_for(&self, what: &dyn Fn(&str) -> bool, label: &str) -> String {
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

    /// Types keys (tmux `send-keys` names: "Enter", "q", "j", …).
    pub fn keys(&self, keys: &[&str]) {
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
