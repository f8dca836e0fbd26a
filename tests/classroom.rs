//! `escalate classroom` through its HTTP API, as the pages use it: a facilitator and two students
//! play a scripted game to the end (a reload, forged and stale requests refused), the saved
//! decisions replay with `escalate play --replay` to the same transcript, Ctrl-C stops the server,
//! and a hundred concurrent students lose no vote.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running server, stopped (Ctrl-C) when dropped.
struct Server {
    child: Child,
    port: u16,
    key: String,
    code: String,
    lines: Vec<String>,
    /// The rest of its stdout (kept open: a closed pipe would end it at its next line).
    stdout: BufReader<std::process::ChildStdout>,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_escalate"))
            .args(["classroom", "--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let stdout = child.stdout.take().expect("piped");
        let mut stdout = BufReader::new(stdout);
        let mut lines = Vec::new();
        loop {
            let mut line = String::new();
            if stdout.read_line(&mut line).expect("utf-8") == 0 {
                break;
            }
            let line = line.trim_end().to_string();
            let done = line.starts_with("Ctrl-C stops");
            lines.push(line);
            if done {
                break;
            }
        }
        let text = lines.join("\n");
        let facilitator = lines
            .iter()
            .find(|l| l.starts_with("Facilitator"))
            .unwrap_or_else(|| panic!("no facilitator address in:\n{text}"));
        let url = facilitator.rsplit(' ').next().expect("an address");
        let port: u16 = url
            .split("127.0.0.1:")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in {url}"));
        let key = url.split("#key=").nth(1).expect("a key").to_string();
        let code = text
            .split("join with the code ")
            .nth(1)
            .and_then(|r| r.split_whitespace().next())
            .expect("a join code")
            .to_string();
        Server {
            child,
            port,
            key,
            code,
            lines,
            stdout,
        }
    }

    /// One request; the status and the body.
    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> (u16, String) {
        Client { port: self.port }.call(method, path, body)
    }

    fn json(&self, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
        let (status, text) = self.call(method, path, body);
        let v = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
        (status, v)
    }

    fn ok(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        let (status, v) = self.json(method, path, body);
        assert_eq!(status, 200, "{method} {path}: {v}");
        v
    }

    fn room(&self) -> Value {
        self.ok("GET", &format!("/api/room?key={}", self.key), None)
    }

    fn control(&self, action: &str) -> (u16, Value) {
        self.json(
            "POST",
            "/api/control",
            Some(&json!({"key": self.key, "action": action})),
        )
    }

    fn join(&self, name: &str) -> String {
        let v = self.ok(
            "POST",
            "/api/join",
            Some(&json!({"code": self.code, "name": name})),
        );
        v["token"].as_str().expect("a token").to_string()
    }

    fn seat(&self, token: &str) -> Value {
        self.ok("GET", &format!("/api/seat?token={token}"), None)
    }

    /// Steps the clock until a decision is open (Some) or the game is over (None).
    fn to_decision(&self) -> Option<Value> {
        loop {
            let r = self.room();
            match r["status"].as_str() {
                Some("deciding") => return Some(r["decision"].clone()),
                Some("over") => return None,
                _ => {
                    let (status, v) = self.control("step");
                    assert_eq!(status, 200, "step: {v}");
                }
            }
        }
    }

    /// Ctrl-C, and the server's stdout after it.
    fn stop(mut self) -> String {
        // SAFETY: kill(2) on the pid of the child this test started.
        let rc = unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGINT) };
        assert_eq!(rc, 0, "cannot signal the server");
        let mut rest = String::new();
        self.stdout.read_to_string(&mut rest).expect("stdout");
        let status = self.child.wait().expect("the server exits");
        assert!(
            status.success(),
            "Ctrl-C should stop the server cleanly: {status:?}"
        );
        rest
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn codes(options: &Value) -> Vec<String> {
    options
        .as_array()
        .expect("options")
        .iter()
        .map(|o| o["code"].as_str().expect("code").to_string())
        .collect()
}

#[test]
fn a_facilitator_and_two_students_play_a_game_that_replays_with_play() {
    let dir = tempfile::tempdir().expect("tempdir");
    let saved = dir.path().join("game.ron");
    let saved_arg = saved.to_str().expect("utf-8 path");
    let server = Server::start(&[
        "--seat",
        "Borealis",
        "--arm",
        "with-channels",
        "--seed",
        "3",
        "--save",
        saved_arg,
    ]);
    assert!(
        server.lines[0].contains("seat of Borealis"),
        "{:?}",
        server.lines
    );

    // The pages and their script are served from the binary.
    let (status, page) = server.call("GET", "/", None);
    assert_eq!(status, 200);
    assert!(page.contains("classroom.js"));
    assert_eq!(server.call("GET", "/facilitator", None).0, 200);
    assert_eq!(server.call("GET", "/classroom.js", None).0, 200);

    // A wrong code, a wrong key and an unknown token are refused.
    let (status, v) = server.json("POST", "/api/join", Some(&json!({"code": "WRONG1"})));
    assert_eq!(status, 403, "{v}");
    assert!(v["error"].as_str().expect("error").contains("join code"));
    assert_eq!(server.json("GET", "/api/room?key=nope", None).0, 401);
    assert_eq!(server.json("GET", "/api/seat?token=nope", None).0, 401);

    let ana = server.join("Ana");
    let ben = server.join("Ben");
    let room = server.room();
    assert_eq!(room["status"], "ready");
    let seats: Vec<u64> = room["states"]
        .as_array()
        .expect("states")
        .iter()
        .map(|s| s["students"].as_u64().expect("students"))
        .collect();
    assert_eq!(seats, vec![0, 2, 0], "two students in Borealis's seat");
    // Before a decision, a student sees no options.
    assert!(server.seat(&ana)["decision"].is_null());

    let mut point = 0u64;
    let mut refused_stale = false;
    let mut refused_forged = false;
    let mut locked = false;
    let mut reloaded = false;
    let mut parted = false;
    while let Some(decision) = server.to_decision() {
        assert_eq!(decision["point"], point);
        let options = codes(&decision["options"]);
        let doctrine = decision["doctrine"]["code"]
            .as_str()
            .expect("doctrine")
            .to_string();
        // Both students see the same open decision, with the doctrine's choice among the options.
        let seen_by_ben = server.seat(&ben);
        assert_eq!(seen_by_ben["decision"], server.seat(&ana)["decision"]);
        assert!(options.contains(&doctrine));
        let version = server.room()["version"].clone();
        if !refused_forged {
            // Forged or malformed: a wrong token, a decision not open, an option not offered.
            let forged = [
                (
                    json!({"token": "0123456789abcdef0123456789abcdef", "point": point, "choice": doctrine}),
                    401,
                ),
                (
                    json!({"token": ana, "point": point + 1, "choice": doctrine}),
                    409,
                ),
                (json!({"token": ana, "point": point, "choice": "99"}), 400),
                (
                    json!({"token": ana, "point": point, "choice": "launch"}),
                    400,
                ),
                (
                    json!({"token": ana, "point": point, "choice": doctrine, "extra": 1}),
                    400,
                ),
            ];
            for (body, want) in forged {
                let (status, v) = server.json("POST", "/api/choose", Some(&body));
                assert_eq!(status, want, "{body}: {v}");
                assert!(v["error"].is_string(), "{v}");
            }
            assert_eq!(
                server.room()["version"],
                version,
                "a refused request changed the room"
            );
            refused_forged = true;
        }
        if point == 1 && !reloaded {
            // A reload: the page rejoins with its token and sees the same seat and decision.
            let again = server.seat(&ana);
            assert_eq!(again["seat"], "Borealis");
            assert_eq!(again["decision"]["point"], point);
            reloaded = true;
        }
        if point == 2 {
            // The facilitator decides for the room.
            let (status, v) = server.json(
                "POST",
                "/api/control",
                Some(&json!({"key": server.key, "action": "lock", "point": point, "choice": doctrine})),
            );
            assert_eq!(status, 200, "{v}");
            locked = true;
        } else {
            // Ana parts from the doctrine at the first points (the lowest option that is not the
            // doctrine's: admit, or letting it pass, which keeps the game going), then follows
            // it; Ben, a moment late, is refused.
            let choice = if point < 2 {
                options
                    .iter()
                    .find(|o| **o != doctrine)
                    .unwrap_or(&doctrine)
                    .clone()
            } else {
                doctrine.clone()
            };
            parted |= choice != doctrine;
            let v = server.ok(
                "POST",
                "/api/choose",
                Some(&json!({"token": ana, "point": point, "choice": choice})),
            );
            assert_eq!(v["taken"], true);
            let (status, v) = server.json(
                "POST",
                "/api/choose",
                Some(&json!({"token": ben, "point": point, "choice": doctrine})),
            );
            assert_eq!(status, 409, "a second decision at one point: {v}");
            refused_stale = true;
        }
        point += 1;
    }
    assert!(point >= 4, "only {point} decisions: the test proves little");
    assert!(refused_stale && refused_forged && locked && reloaded && parted);

    let room = server.room();
    assert_eq!(room["status"], "over");
    let decisions = room["decisions"].as_array().expect("decisions");
    assert_eq!(decisions.len() as u64, point);
    assert_eq!(decisions[0]["by"], "Ana");
    assert_eq!(decisions[2]["by"], "the facilitator");
    let ending: Vec<String> = room["ending"]
        .as_array()
        .expect("an ending")
        .iter()
        .map(|l| l.as_str().expect("line").to_string())
        .collect();
    assert_eq!(ending[0], "══ The truth ══");
    // The students see the end too.
    assert_eq!(server.seat(&ben)["status"], "over");

    // The file saved at the end is the one the page offers, and replays with `play` to the same
    // transcript as the room's.
    let (status, offered) = server.call("GET", &format!("/api/decisions?key={}", server.key), None);
    assert_eq!(status, 200);
    let transcript = server.call("GET", &format!("/api/transcript?key={}", server.key), None);
    assert_eq!(transcript.0, 200);
    let out = server.stop();
    assert!(out.contains("Stopped."), "{out}");
    let file = std::fs::read_to_string(&saved).expect("the game was saved at its end");
    assert_eq!(file, offered);
    let replay = Command::new(env!("CARGO_BIN_EXE_escalate"))
        .args(["play", "--replay", saved_arg, "--no-color"])
        .output()
        .expect("play runs");
    assert!(
        replay.status.success(),
        "{}",
        String::from_utf8_lossy(&replay.stderr)
    );
    let replayed = String::from_utf8(replay.stdout).expect("utf-8");
    assert_eq!(
        replayed, transcript.1,
        "the replay differs from the room's game"
    );
    assert!(
        replayed.ends_with(&format!("{}\n", ending.join("\n"))),
        "the room's end screen is not the replay's ending"
    );
}

#[test]
fn a_hundred_concurrent_students_lose_no_vote() {
    const STUDENTS: usize = 100;
    let server = Server::start(&[
        "--decide",
        "vote",
        "--seat",
        "Borealis",
        "--arm",
        "with-channels",
        "--seed",
        "3",
    ]);
    let tokens: Vec<String> = (0..STUDENTS)
        .map(|i| server.join(&format!("s{i}")))
        .collect();
    let port = server.port;
    for round in 0..2 {
        let decision = server.to_decision().expect("a decision");
        let point = decision["point"].as_u64().expect("point");
        let options = codes(&decision["options"]);
        let version = server.room()["version"].as_u64().expect("version");
        // Every student waits on its page (a long poll from the version before the votes), then
        // votes; the waiting pages must all wake with the votes counted.
        let handles: Vec<_> = tokens
            .iter()
            .enumerate()
            .map(|(i, token)| {
                let (token, choice) = (token.clone(), options[i % options.len()].clone());
                std::thread::spawn(move || {
                    let s = Client { port };
                    let (status, v) = s.json(
                        "POST",
                        "/api/choose",
                        Some(&json!({"token": token, "point": point, "choice": choice})),
                    );
                    assert_eq!(status, 200, "{v}");
                    assert_eq!(v["taken"], false, "a vote, not a decision");
                    let (status, seat) = s.json(
                        "GET",
                        &format!("/api/seat?token={token}&since={version}"),
                        None,
                    );
                    assert_eq!(status, 200, "{seat}");
                    assert_eq!(seat["your_vote"], choice);
                })
            })
            .collect();
        for h in handles {
            h.join().expect("a student thread");
        }
        let room = server.room();
        let votes: u64 = room["votes"]
            .as_array()
            .expect("votes")
            .iter()
            .map(|t| t["votes"].as_u64().expect("count"))
            .sum();
        assert_eq!(votes, STUDENTS as u64, "round {round}: votes lost");
        let (status, v) = server.json(
            "POST",
            "/api/control",
            Some(
                &json!({"key": server.key, "action": "lock", "point": point, "choice": options[0]}),
            ),
        );
        assert_eq!(status, 200, "{v}");
        assert_eq!(
            server.room()["decisions"]
                .as_array()
                .expect("decisions")
                .len() as u64,
            point + 1
        );
    }
    server.stop();
}

/// A bare client (Connection: close per request), for threads.
struct Client {
    port: u16,
}

impl Client {
    /// One request; the status and the body.
    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> (u16, String) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(60)))
            .expect("timeout");
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .expect("send");
        let mut answer = String::new();
        s.read_to_string(&mut answer).expect("read");
        let (head, rest) = answer.split_once("\r\n\r\n").expect("an HTTP answer");
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("a status");
        (status, rest.to_string())
    }

    fn json(&self, method: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
        let (status, text) = self.call(method, path, body);
        let v = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
        (status, v)
    }
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_escalate"))
        .args(["classroom", "--port", &port])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot listen on 127.0.0.1:"), "{err}");
}
